//! `route_map_apply` as bgpd runs it: entries by ascending sequence, all matches of an entry
//! must hold, a matching deny entry denies, a matching permit entry applies its sets, its
//! `call`, then its exit policy (`on-match next|goto`, default: done, permit). If the walk
//! ends with no decision, the route is denied unless an earlier permit entry matched and
//! continued (FRR then keeps the permit).

use super::{Decision, Route, Step};
use crate::model::{
    Action, AsPathList, Community, CommunityList, CommunityListKind, CommunityMatch, Config, ListVerdict,
    MatchKind, MatchStmt, OnMatch, RouteMapEntry, SetKind, SetValue,
};
use crate::source::Span;

/// FRR stops recursing through `call` after this depth (RMAP_RECURSION_LIMIT).
const RECURSION_LIMIT: usize = 10;

/// The outcome of running one route-map.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RouteMapOutcome {
    pub decision: Decision,
    pub route: Route,
    pub trace: Vec<Step>,
    /// A statement the model cannot evaluate was involved; the decision assumed it did
    /// not match.
    pub uncertain: bool,
}

/// Run route-map `name` of `cfg` on `route`.
pub fn eval_route_map(cfg: &Config, name: &str, route: &Route) -> RouteMapOutcome {
    eval_route_map_with(Cx { cfg, index: None }, name, route)
}

/// The configuration being evaluated, and an optional prefix-list index for speed.
#[derive(Clone, Copy)]
pub(crate) struct Cx<'a> {
    pub cfg: &'a Config,
    pub index: Option<&'a super::PolicyIndex>,
}

impl Cx<'_> {
    fn plist(&self, pl: &crate::model::PrefixList, p: &ipnet::IpNet) -> ListVerdict {
        match self.index {
            Some(ix) => ix.evaluate(pl, p),
            None => pl.evaluate(p),
        }
    }
}

pub(crate) fn eval_route_map_with(cx: Cx<'_>, name: &str, route: &Route) -> RouteMapOutcome {
    let mut out = RouteMapOutcome { decision: Decision::Permit, route: route.clone(), trace: Vec::new(), uncertain: false };
    out.decision = run(cx, name, &mut out, 0);
    out
}

fn run(cx: Cx<'_>, name: &str, out: &mut RouteMapOutcome, depth: usize) -> Decision {
    let cfg = cx.cfg;
    let Some(map) = cfg.route_maps.get(name) else {
        return Decision::Undefined { object: format!("route-map {name}"), span: Span::default() };
    };
    if map.entries.is_empty() {
        out.trace.push(Step { span: map.span, what: format!("route-map {name} has no entries: deny") });
        return Decision::ImplicitDeny { object: format!("route-map {name}"), span: map.span };
    }
    let entries: Vec<&RouteMapEntry> = map.entries.values().collect();
    let mut permitted_and_continued = false;
    let mut i = 0;
    while i < entries.len() {
        let e = entries[i];
        // The entry's line comes before the statements it evaluates in the trace.
        let at = out.trace.len();
        let matched = entry_matches(cx, e, out);
        let steps: Vec<Step> = out.trace.drain(at..).collect();
        out.trace.push(Step { span: e.span, what: format!("route-map {name} {} {}", e.action, e.seq) });
        out.trace.extend(steps);
        if !matched {
            out.trace.push(Step { span: e.span, what: format!("route-map {name} {} {}: no match, next entry", e.action, e.seq) });
            i += 1;
            continue;
        }
        if e.action == Action::Deny {
            out.trace.push(Step { span: e.span, what: format!("route-map {name} deny {}: matches, deny", e.seq) });
            return Decision::DeniedBy { span: e.span, reason: format!("route-map {name} deny {}", e.seq) };
        }
        out.trace.push(Step { span: e.span, what: format!("route-map {name} permit {}: matches", e.seq) });
        for s in &e.sets {
            apply_set(&s.kind, &mut out.route);
            out.trace.push(Step { span: s.span, what: format!("set {}", s.kind.slot()) });
        }
        if let Some(call) = &e.call {
            if !cfg.route_maps.contains_key(&call.value) {
                out.trace.push(Step { span: call.span, what: format!("call {}: not defined, skipped", call.value) });
            } else if depth >= RECURSION_LIMIT {
                out.trace.push(Step { span: call.span, what: "call: recursion limit reached, skipped".into() });
            } else {
                let sub = run(cx, &call.value, out, depth + 1);
                if !sub.permitted() {
                    return sub;
                }
            }
        }
        match e.on_match.as_ref().map(|o| o.value) {
            None => return Decision::Permit,
            Some(OnMatch::Next) => {
                permitted_and_continued = true;
                i += 1;
            }
            Some(OnMatch::Goto(n)) => {
                permitted_and_continued = true;
                match entries.iter().position(|x| x.seq >= n) {
                    Some(j) if j > i => i = j,
                    _ => return Decision::Permit,
                }
            }
        }
    }
    if permitted_and_continued {
        Decision::Permit
    } else {
        out.trace.push(Step { span: map.span, what: format!("route-map {name}: no entry matches (implicit deny)") });
        Decision::ImplicitDeny { object: format!("route-map {name}"), span: map.span }
    }
}

fn entry_matches(cx: Cx<'_>, e: &RouteMapEntry, out: &mut RouteMapOutcome) -> bool {
    e.matches.iter().all(|m| match_one(cx, m, out))
}

fn match_one(cx: Cx<'_>, m: &MatchStmt, out: &mut RouteMapOutcome) -> bool {
    let cfg = cx.cfg;
    let route = &out.route;
    let (result, note) = match &m.kind {
        MatchKind::PrefixList { afi, name } => {
            if *afi != route.afi() {
                (false, format!("match {afi} prefix-list {name}: wrong address family, no match"))
            } else {
                match cfg.prefix_list(*afi, name) {
                    None => (false, format!("prefix-list {name} is not defined: no match")),
                    Some(pl) => {
                        let v = cx.plist(pl, &route.prefix);
                        let r = v.action() == Action::Permit;
                        (r, format!("prefix-list {name}: {}", list_text(v, r)))
                    }
                }
            }
        }
        MatchKind::AccessList { afi, name } => match cfg.access_lists.get(&(*afi, name.to_string())) {
            None => (false, format!("access-list {name} is not defined: no match")),
            Some(acl) if *afi != route.afi() => (false, format!("access-list {} is {afi}: no match", acl.name)),
            Some(acl) => {
                let v = acl.evaluate(&route.prefix);
                let r = v.action() == Action::Permit;
                (r, format!("access-list {name}: {}", list_text(v, r)))
            }
        },
        MatchKind::NextHopPrefixList { afi, name } => match (route.next_hop, cfg.prefix_list(*afi, name)) {
            (Some(nh), Some(pl)) => {
                let r = pl.evaluate(&ipnet::IpNet::from(nh)).action() == Action::Permit;
                (r, format!("next-hop prefix-list {name}: {}", if r { "match" } else { "no match" }))
            }
            (None, _) => (false, "next hop unknown: no match".into()),
            (_, None) => (false, format!("prefix-list {name} is not defined: no match")),
        },
        MatchKind::NextHopAddress(a) => (route.next_hop == Some(*a), format!("next-hop {a}")),
        MatchKind::Community { list, exact, any } => match cfg.community_lists.get(&**list) {
            None => (false, format!("community-list {list} is not defined: no match")),
            Some(cl) => {
                let r = eval_community_list(cl, &route.communities, *exact, *any) == Action::Permit;
                (r, format!("community-list {list}: {}", if r { "match" } else { "no match" }))
            }
        },
        MatchKind::AsPath(name) => match cfg.as_path_lists.get(&**name) {
            None => (false, format!("as-path access-list {name} is not defined: no match")),
            Some(l) => {
                let r = eval_as_path_list(l, &route.as_path).action() == Action::Permit;
                (r, format!("as-path access-list {name}: {}", if r { "match" } else { "no match" }))
            }
        },
        MatchKind::Metric(v) => (route.metric.unwrap_or(0) == *v, format!("metric {v}")),
        MatchKind::LocalPreference(v) => (route.local_pref.unwrap_or(100) == *v, format!("local-preference {v}")),
        MatchKind::Origin(o) => (route.origin == *o, "origin".into()),
        MatchKind::Peer(p) => (route.peer.map(|a| a.to_string()) == Some(p.clone()), format!("peer {p}")),
        MatchKind::Tag(_) | MatchKind::SourceProtocol(_) => (false, "not applicable to received BGP routes: no match".into()),
        MatchKind::LargeCommunity { .. } | MatchKind::ExtCommunity { .. } | MatchKind::Other(_) => {
            out.uncertain = true;
            (false, format!("match {} is not evaluated by frrlint: assumed no match", m.kind.slot()))
        }
    };
    out.trace.push(Step { span: m.span, what: note });
    result
}

fn list_text(v: ListVerdict, matched: bool) -> String {
    match v {
        ListVerdict::Entry(a, _) => format!("an entry {} ({})", if a == Action::Permit { "permits" } else { "denies" }, if matched { "match" } else { "no match" }),
        ListVerdict::ImplicitDeny => "no entry matches (no match)".into(),
        ListVerdict::EmptyPermit => "empty list permits (match)".into(),
    }
}

fn apply_set(s: &SetKind, r: &mut Route) {
    let num = |cur: Option<u32>, base: u32, v: &SetValue| match v {
        SetValue::Absolute(n) => *n,
        SetValue::Add(n) => cur.unwrap_or(base).saturating_add(*n),
        SetValue::Subtract(n) => cur.unwrap_or(base).saturating_sub(*n),
    };
    match s {
        SetKind::LocalPreference(v) => r.local_pref = Some(num(r.local_pref, 100, v)),
        SetKind::Metric(v) => r.metric = Some(num(r.metric, 0, v)),
        SetKind::Community { values, additive, none } => {
            if *none {
                r.communities.clear();
            } else if *additive {
                r.communities.extend(values.iter().copied());
                r.communities.sort();
                r.communities.dedup();
            } else {
                r.communities = values.clone();
            }
        }
        SetKind::AsPathPrepend(asns) => {
            let mut p = asns.clone();
            p.extend(r.as_path.iter().copied());
            r.as_path = p;
        }
        SetKind::Origin(o) => r.origin = *o,
        SetKind::NextHop(_) | SetKind::Weight(_) | SetKind::Other(_) => {}
    }
}

/// Standard lists: the first entry whose communities are all present decides (with
/// `exact-match`, the route must carry exactly those); no match denies.
pub(crate) fn eval_community_list(cl: &CommunityList, have: &[Community], exact: bool, any: bool) -> Action {
    for e in &cl.entries {
        let hit = match (&cl.kind, &e.what) {
            (CommunityListKind::Standard, CommunityMatch::All(want)) => {
                if exact {
                    let mut a = want.clone();
                    a.sort();
                    a.dedup();
                    let mut b = have.to_vec();
                    b.sort();
                    b.dedup();
                    a == b
                } else if any {
                    want.iter().any(|c| have.contains(c))
                } else {
                    want.iter().all(|c| have.contains(c))
                }
            }
            (_, CommunityMatch::Regex(re)) => {
                let text: Vec<String> = have.iter().map(|c| c.to_string()).collect();
                regex_match(re, &text.join(" "))
            }
            _ => false,
        };
        if hit {
            return e.action;
        }
    }
    Action::Deny
}

/// First matching regular expression decides; no match denies.
pub(crate) fn eval_as_path_list(l: &AsPathList, path: &[crate::model::Asn]) -> ListVerdict {
    let text: Vec<String> = path.iter().map(|a| a.to_string()).collect();
    let text = text.join(" ");
    for (i, e) in l.entries.iter().enumerate() {
        if regex_match(&e.regex, &text) {
            return ListVerdict::Entry(e.action, i);
        }
    }
    ListVerdict::ImplicitDeny
}

/// FRR's BGP regular expressions: POSIX extended, with `_` standing for a delimiter.
fn regex_match(pattern: &str, text: &str) -> bool {
    let expanded = pattern.replace('_', "(^|[,{}() ]|$)");
    match regex::Regex::new(&expanded) {
        Ok(re) => re.is_match(text),
        Err(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Asn, AsPathEntry};

    #[test]
    fn as_path_underscore() {
        let l = AsPathList {
            name: "A".into(),
            entries: vec![AsPathEntry { seq: 5, action: Action::Permit, regex: "_65432$".into(), span: Span::default() }],
            span: Span::default(),
        };
        assert!(matches!(eval_as_path_list(&l, &[Asn(65432)]), ListVerdict::Entry(Action::Permit, 0)));
        assert_eq!(eval_as_path_list(&l, &[Asn(165432)]), ListVerdict::ImplicitDeny);
    }
}
