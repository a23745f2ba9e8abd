//! Route policy evaluation, the way bgpd does it: what a neighbor's inbound or outbound
//! filters and route-map do to one route, with a trace of every entry tried.
//!
//! FRR's order on input (`bgp_input_filter`, then `bgp_input_modifier`): distribute-list,
//! prefix-list, filter-list, then the route-map; before that, RFC 8212 denies everything
//! from an eBGP peer with no policy when `bgp ebgp-requires-policy` is on. Undefined
//! objects behave as FRR treats them: an undefined neighbor filter or route-map denies, an
//! undefined list in a `match` never matches, an undefined `call` is skipped.

mod index;
mod routemap;

pub use index::PolicyIndex;
pub use routemap::{eval_route_map, RouteMapOutcome};

use crate::model::{
    Action, Afi, AfiSafi, Asn, BgpRouter, Community, Config, Defaults, Direction, EffectivePeer, ListVerdict,
    Origin, PeerAf, Spanned,
};
use crate::source::Span;
use ipnet::IpNet;
use std::fmt;
use std::net::IpAddr;

/// A route as the policy sees it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Route {
    pub prefix: IpNet,
    pub as_path: Vec<Asn>,
    pub communities: Vec<Community>,
    pub next_hop: Option<IpAddr>,
    pub local_pref: Option<u32>,
    pub metric: Option<u32>,
    pub origin: Origin,
    /// The neighbor the route came from (or goes to).
    pub peer: Option<IpAddr>,
}

impl Route {
    pub fn new(prefix: IpNet) -> Route {
        Route {
            prefix,
            as_path: Vec::new(),
            communities: Vec::new(),
            next_hop: None,
            local_pref: None,
            metric: None,
            origin: Origin::Igp,
            peer: None,
        }
    }

    pub fn afi(&self) -> Afi {
        Afi::of(&self.prefix)
    }
}

/// One step of an evaluation, for the trace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    pub span: Span,
    pub what: String,
}

/// Why a route was denied, or that it was permitted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    Permit,
    /// RFC 8212: eBGP peer without policy in this direction.
    PolicyMissing,
    /// The neighbor does not exchange this address family.
    NotActivated,
    /// Denied by a named filter or route-map entry (its span and description).
    DeniedBy { span: Span, reason: String },
    /// Denied because nothing matched (the list's or map's implicit deny).
    ImplicitDeny { object: String, span: Span },
    /// The neighbor's filter names an object that does not exist.
    Undefined { object: String, span: Span },
}

impl Decision {
    pub fn permitted(&self) -> bool {
        matches!(self, Decision::Permit)
    }
}

impl fmt::Display for Decision {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Decision::Permit => f.write_str("permitted"),
            Decision::PolicyMissing => f.write_str("denied: eBGP peer without policy while bgp ebgp-requires-policy is on"),
            Decision::NotActivated => f.write_str("not exchanged: the neighbor is not activated in this address family"),
            Decision::DeniedBy { reason, .. } => write!(f, "denied by {reason}"),
            Decision::ImplicitDeny { object, .. } => write!(f, "denied: nothing in {object} matches (implicit deny)"),
            Decision::Undefined { object, .. } => write!(f, "denied: {object} is not defined, so FRR denies every route"),
        }
    }
}

/// The result of running a neighbor's policy on a route.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    pub decision: Decision,
    pub trace: Vec<Step>,
    /// The route after `set` statements, when permitted.
    pub route: Route,
}

/// Evaluate what `router` does with `route` received from (`In`) or sent to (`Out`) `peer`.
pub fn eval_neighbor(
    cfg: &Config,
    router: &BgpRouter,
    peer: &EffectivePeer<'_>,
    dir: Direction,
    route: &Route,
) -> Verdict {
    eval_neighbor_inner(routemap::Cx { cfg, index: None }, router, peer, dir, route)
}

/// [`eval_neighbor`] with a prefix-list index of `cfg`, for evaluating many routes.
pub fn eval_neighbor_indexed(
    cfg: &Config,
    index: &PolicyIndex,
    router: &BgpRouter,
    peer: &EffectivePeer<'_>,
    dir: Direction,
    route: &Route,
) -> Verdict {
    eval_neighbor_inner(routemap::Cx { cfg, index: Some(index) }, router, peer, dir, route)
}

fn eval_neighbor_inner(
    cx: routemap::Cx<'_>,
    router: &BgpRouter,
    peer: &EffectivePeer<'_>,
    dir: Direction,
    route: &Route,
) -> Verdict {
    let cfg = cx.cfg;
    let afs = AfiSafi::unicast(route.afi());
    let mut trace = Vec::new();
    let done = |decision, trace, route: &Route| Verdict { decision, trace, route: route.clone() };
    if !peer.is_active(afs) {
        trace.push(Step { span: peer.neighbor.span, what: format!("neighbor is not active in {afs}") });
        return done(Decision::NotActivated, trace, route);
    }
    let none = PeerAf::default();
    let af = peer.af(afs).unwrap_or(&none);
    let defaults: &Defaults = &cfg.defaults;
    let ebgp = match (peer.settings.remote_as.as_ref(), router.local_asn()) {
        (Some(ra), Some(local)) => ra.value.is_ibgp(local).map(|i| !i).unwrap_or(true),
        _ => true,
    };
    if ebgp && router.requires_policy(defaults) && !af.has_policy(dir) {
        let span = router.ebgp_requires_policy.as_ref().map(|s| s.span).unwrap_or(router.span);
        trace.push(Step { span, what: format!("bgp ebgp-requires-policy is on and the eBGP neighbor has no {dir}bound policy") });
        return done(Decision::PolicyMissing, trace, route);
    }
    if let Some(acl) = af.distribute_list(dir) {
        match cfg.access_lists.get(&(route.afi(), acl.value.to_string())) {
            None => return undefined(format!("access-list {}", acl.value), acl, trace, route),
            Some(list) => {
                let v = list.evaluate(&route.prefix);
                trace.push(Step { span: verdict_span(v, |i| list.entries[i].span, list.span), what: format!("distribute-list {}: {}", acl.value, describe(v)) });
                if v.action() == Action::Deny {
                    return done(list_denial(v, |i| list.entries[i].span, list.span, &format!("access-list {}", acl.value)), trace, route);
                }
            }
        }
    }
    if let Some(pl) = af.prefix_list(dir) {
        match cfg.prefix_list(route.afi(), &pl.value) {
            None => return undefined(format!("{} prefix-list {}", route.afi().ip_keyword(), pl.value), pl, trace, route),
            Some(list) => {
                let v = match cx.index {
                    Some(ix) => ix.evaluate(list, &route.prefix),
                    None => list.evaluate(&route.prefix),
                };
                trace.push(Step { span: verdict_span(v, |i| list.entries[i].span, list.span), what: format!("prefix-list {}: {}", pl.value, describe(v)) });
                if v.action() == Action::Deny {
                    return done(list_denial(v, |i| list.entries[i].span, list.span, &format!("prefix-list {}", pl.value)), trace, route);
                }
            }
        }
    }
    if let Some(fl) = af.filter_list(dir) {
        match cfg.as_path_lists.get(&*fl.value) {
            None => return undefined(format!("bgp as-path access-list {}", fl.value), fl, trace, route),
            Some(list) => {
                let v = routemap::eval_as_path_list(list, &route.as_path);
                trace.push(Step { span: verdict_span(v, |i| list.entries[i].span, list.span), what: format!("filter-list {}: {}", fl.value, describe(v)) });
                if v.action() == Action::Deny {
                    return done(list_denial(v, |i| list.entries[i].span, list.span, &format!("as-path access-list {}", fl.value)), trace, route);
                }
            }
        }
    }
    if let Some(rm) = af.route_map(dir) {
        if !cfg.route_maps.contains_key(&*rm.value) {
            return undefined(format!("route-map {}", rm.value), rm, trace, route);
        }
        let out = routemap::eval_route_map_with(cx, &rm.value, route);
        trace.extend(out.trace.iter().cloned());
        return Verdict { decision: out.decision, trace, route: out.route };
    }
    done(Decision::Permit, trace, route)
}

fn undefined<T>(object: String, at: &Spanned<T>, mut trace: Vec<Step>, route: &Route) -> Verdict {
    trace.push(Step { span: at.span, what: format!("{object} is not defined: FRR denies every route") });
    Verdict { decision: Decision::Undefined { object, span: at.span }, trace, route: route.clone() }
}

fn describe(v: ListVerdict) -> String {
    match v {
        ListVerdict::Entry(Action::Permit, _) => "an entry permits".into(),
        ListVerdict::Entry(Action::Deny, _) => "an entry denies".into(),
        ListVerdict::ImplicitDeny => "no entry matches (implicit deny)".into(),
        ListVerdict::EmptyPermit => "the list is empty (permits everything)".into(),
    }
}

fn verdict_span(v: ListVerdict, entry: impl Fn(usize) -> Span, list: Span) -> Span {
    match v {
        ListVerdict::Entry(_, i) => entry(i),
        _ => list,
    }
}

fn list_denial(v: ListVerdict, entry: impl Fn(usize) -> Span, list: Span, object: &str) -> Decision {
    match v {
        ListVerdict::Entry(_, i) => Decision::DeniedBy { span: entry(i), reason: format!("a deny entry of {object}") },
        _ => Decision::ImplicitDeny { object: object.to_string(), span: list },
    }
}
