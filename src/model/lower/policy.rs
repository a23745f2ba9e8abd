//! Lowering of policy objects: prefix-lists, access-lists, community and as-path lists,
//! and route-maps with their statements, including FRR's merge rules (a repeated `seq`
//! replaces, a repeated route-map header reopens the entry, a second statement of the same
//! kind replaces the first).

use super::{Cmd, Ctx, Handler, LowerIssueKind, Lowerer};
use crate::model::{
    AccessList, AccessListEntry, AccessMatch, Action, Afi, AsPathEntry, AsPathList, Asn, Community, CommunityList,
    CommunityListEntry, CommunityListKind, CommunityMatch, Duplicate, DuplicateKind, MatchKind, MatchStmt, ObjectKind,
    OnMatch, Origin, PrefixList, PrefixListEntry, Reference, RouteMap, RouteMapEntry, SetKind, SetStmt, SetValue,
    Spanned, Usage,
};
use crate::syntax::FrrVersion;
use std::collections::btree_map::Entry;

pub(crate) static HANDLERS: &[(&str, Handler)] = &[
    ("ip prefix-list", prefix_list),
    ("ipv6 prefix-list", prefix_list),
    ("access-list", access_list),
    ("ipv6 access-list", access_list),
    ("bgp community-list", community_list),
    ("bgp large-community-list", community_list),
    ("bgp extcommunity-list", community_list),
    ("bgp as-path access-list", as_path_list),
    ("route-map", no_route_map),
    ("match", rm_match),
    ("set", rm_set),
    ("call", rm_call),
    ("on-match", rm_on_match),
    ("continue", rm_on_match),
    ("description", rm_description),
];

/// `[seq N]` at word `i`: the number, with `i` moved past it.
fn optional_seq(c: &Cmd<'_>, i: &mut usize) -> Option<u32> {
    if !c.is_kw(*i, "seq") {
        return None;
    }
    *i += 2;
    c.num(*i - 1).map(|n| n as u32)
}

fn action(c: &Cmd<'_>, i: usize) -> Option<Action> {
    match c.kw(i)? {
        "permit" => Some(Action::Permit),
        "deny" => Some(Action::Deny),
        _ => None,
    }
}

/// What one prefix-list line says about its entry: `<permit|deny> <any|PREFIX [ge G] [le L]>`.
struct EntrySpec {
    action: Action,
    /// Masked, as FRR stores it.
    prefix: ipnet::IpNet,
    /// As written, host bits included.
    written: ipnet::IpNet,
    any: bool,
    ge: Option<u8>,
    le: Option<u8>,
}

/// A fingerprint of what FRR's duplicate test compares: action, prefix, ge, le (and `any`).
/// Lowering keeps the fingerprints of every rule a list has seen: a new fingerprint proves
/// the line repeats no entry, and only a known one costs a scan of the list. Four bytes a
/// rule instead of the rule itself (24): long lists are what makes these sets large.
pub(crate) type RuleKey = u32;

/// The fingerprint of a rule (see [`RuleKey`]).
fn rule_key(action: Action, prefix: ipnet::IpNet, ge: Option<u8>, le: Option<u8>, any: bool) -> RuleKey {
    use std::hash::{Hash, Hasher};
    let mut h = crate::hash::FastHasher::default();
    (action, prefix, ge, le, any).hash(&mut h);
    let x = h.finish();
    (x ^ (x >> 32)) as u32
}

/// A rule's prefix as [`crate::model::prefix_key`] orders it (address, then length):
/// generated lists are written in that order.
type PrefixOrd = (u128, u8);

/// The rest of a rule: ge, le, `any` and action.
type RuleTail = (Option<u8>, Option<u8>, bool, Action);

/// Rules of one prefix kept by [`SeenRules::Ascending`] at most; a list with more goes to
/// the set, so that a line never scans a long run.
const PREFIX_RUN: usize = 16;

/// The rules a prefix-list's lines have added, for telling whether a line may repeat one.
pub(crate) enum SeenRules {
    /// Every line so far added a rule whose prefix is not below the prefix of the line
    /// before it (`last`): a line of a greater prefix repeats none, and one of the same
    /// prefix can only repeat a rule of that prefix, which `tails` keeps (often one or two:
    /// `permit P le 24` beside `deny P ge 25`). No set is kept. The first line of a lower
    /// prefix, or a prefix with more than [`PREFIX_RUN`] rules, turns this into `Set`.
    Ascending { last: Option<PrefixOrd>, tails: Vec<RuleTail> },
    /// The fingerprints of the rules in the list (and of some no longer in it: only a rule
    /// seen before can be a repeat, so only then is the list scanned for one).
    Set(super::FastSet<RuleKey>),
}

impl Default for SeenRules {
    fn default() -> Self {
        SeenRules::Ascending { last: None, tails: Vec::new() }
    }
}

impl EntrySpec {
    fn key(&self) -> RuleKey {
        rule_key(self.action, self.prefix, self.ge, self.le, self.any)
    }

    fn ord(&self) -> (PrefixOrd, RuleTail) {
        (crate::model::prefix_key(self.prefix), (self.ge, self.le, self.any, self.action))
    }

    /// The same rule as `e` (FRR's duplicate test: action, prefix, ge and le).
    fn same_rule(&self, e: &PrefixListEntry) -> bool {
        e.action == self.action && e.prefix == self.prefix && e.ge == self.ge && e.le == self.le && e.any == self.any
    }
}

/// Read the entry part of a prefix-list line from word `i` on. `any` is stored as FRR
/// stores it: the zero-length prefix with `le` at the family's maximum, so that it matches
/// every prefix (`lib/filter_nb.c`).
fn entry_spec(c: &Cmd<'_>, mut i: usize, afi: Afi) -> Option<EntrySpec> {
    let action = action(c, i)?;
    i += 1;
    let (prefix, written, any) = if c.is_kw(i, "any") {
        let p: ipnet::IpNet = match afi {
            Afi::Ipv4 => ipnet::IpNet::V4(ipnet::Ipv4Net::default()),
            Afi::Ipv6 => ipnet::IpNet::V6(ipnet::Ipv6Net::default()),
        };
        (p, p, true)
    } else {
        let p = c.prefix(i)?;
        (p.trunc(), p, false)
    };
    i += 1;
    let (mut ge, mut le) = (None, None);
    while i < c.len() {
        match c.kw(i) {
            Some("ge") => ge = c.num(i + 1).map(|n| n as u8),
            Some("le") => le = c.num(i + 1).map(|n| n as u8),
            _ => break,
        }
        i += 2;
    }
    if any {
        ge = None;
        le = Some(afi.max_len());
    }
    Some(EntrySpec { action, prefix, written, any, ge, le })
}

/// FRR deletes a prefix-list that has neither entries nor a description
/// (`plist_remove_if_empty`): afterwards the name is undefined, which denies, rather than
/// empty, which permits.
fn remove_if_empty(lw: &mut Lowerer, key: &(Afi, String)) {
    if lw.cfg.prefix_lists.get(key).is_some_and(|pl| pl.entries.is_empty() && pl.description.is_none()) {
        lw.cfg.prefix_lists.remove(key);
    }
}

fn prefix_list(lw: &mut Lowerer, c: &Cmd<'_>, _: Ctx) -> bool {
    let afi = if c.is_kw(0, "ipv6") { Afi::Ipv6 } else { Afi::Ipv4 };
    let name = c.text(2);
    let mut i = 3;
    if c.neg || c.is_kw(i, "description") {
        close_list(lw);
        return prefix_list_other(lw, c, &(afi, name.to_string()));
    }
    let seq = optional_seq(c, &mut i);
    let Some(spec) = entry_spec(c, i, afi) else { return false };
    // FRR's daemon check: prefix length <= ge <= le.
    let len = spec.prefix.prefix_len();
    let (ge, le) = (spec.ge, spec.le);
    let bad = ge.is_some_and(|g| g < len) || le.is_some_and(|l| l < len) || matches!((ge, le), (Some(g), Some(l)) if g > l);
    if bad {
        lw.issue(
            c.rest_span(3),
            LowerIssueKind::InvalidValue,
            format!("invalid prefix range for {}: FRR requires prefix length <= ge <= le and rejects this line", spec.written),
            "make the lengths satisfy len <= ge <= le, for example `le 32` to match every longer prefix",
        );
        return true;
    }
    let version = lw.cfg.version;
    if !lw.plist_open.as_ref().is_some_and(|o| o.key.0 == afi && o.key.1 == name) {
        close_list(lw);
        let key = (afi, name.to_string());
        let list = lw.cfg.prefix_lists.remove(&key).unwrap_or_else(|| PrefixList::new(afi, name, c.span(2)));
        let seen = lw.plist_rules.remove(&key).unwrap_or_default();
        lw.plist_open = Some(OpenList { key, list, seen, aside: Aside::default() });
    }
    let Some(open) = lw.plist_open.as_mut() else { return false };
    // Only a rule seen before in this list can be a repeat, so the scan for one runs only
    // then and lowering stays linear on long lists.
    let maybe_repeat = open.may_repeat(&spec);
    let entry = PrefixListEntry {
        // Entries below the last one never raise the highest seq.
        seq: seq.unwrap_or_else(|| open.list.next_seq()),
        seq_explicit: seq.is_some(),
        action: spec.action,
        prefix: spec.prefix,
        any: spec.any,
        ge: spec.ge,
        le: spec.le,
        span: c.span,
        had_host_bits: !spec.any && spec.written != spec.prefix,
    };
    let mut dup = None;
    match open.aside.find(&mut open.list.entries, entry.seq) {
        Some(old) => {
            let what = if spec.same_rule(old) { DuplicateKind::IgnoredRepeat } else { DuplicateKind::ReplacedSeq };
            dup = Some((old.span, what));
            *old = entry;
        }
        None => match maybe_repeat.then(|| open.first_same_rule(&spec)).flatten() {
            Some(prev) => {
                dup = Some((prev, DuplicateKind::IgnoredRepeat));
                // FRR 8.4 ignores the repeat; 9.0-10.3 add it under a new seq when none is given.
                if version >= FrrVersion::new(9, 0) && version < FrrVersion::new(10, 4) && !entry.seq_explicit {
                    open.aside.add(&mut open.list.entries, entry);
                }
            }
            None => open.aside.add(&mut open.list.entries, entry),
        },
    }
    if let Some((first, what)) = dup {
        lw.cfg.duplicates.push(Duplicate { kind: ObjectKind::PrefixList(afi), name: name.to_string(), span: c.span, first, what });
    }
    true
}

/// The prefix-list that the last lines added entries to, held out of the config's map
/// together with its seen-rule set while lines keep adding to it: a long list is written
/// line after line, and each line then costs no map lookup.
pub(crate) struct OpenList {
    key: (Afi, String),
    /// Its entries sorted by seq, apart from those kept `aside`.
    list: PrefixList,
    seen: SeenRules,
    aside: Aside<PrefixListEntry>,
}

impl OpenList {
    /// Whether the rule of `spec` may have been in the list before (then the list is
    /// scanned for it), noting it as seen.
    fn may_repeat(&mut self, spec: &EntrySpec) -> bool {
        if let SeenRules::Ascending { last, tails } = &mut self.seen {
            let (prefix, tail) = spec.ord();
            match *last {
                Some(l) if l == prefix && tails.len() < PREFIX_RUN => {
                    if tails.contains(&tail) {
                        return true;
                    }
                    tails.push(tail);
                    return false;
                }
                Some(l) if l >= prefix => {}
                _ => {
                    *last = Some(prefix);
                    tails.clear();
                    tails.push(tail);
                    return false;
                }
            }
            // Out of order: the fingerprints of the rules the list holds from now on (the
            // scan looks only at those).
            let set = self.list.entries.iter().chain(self.aside.late()).map(|e| rule_key(e.action, e.prefix, e.ge, e.le, e.any)).collect();
            self.seen = SeenRules::Set(set);
        }
        match &mut self.seen {
            SeenRules::Set(set) => !set.insert(spec.key()),
            SeenRules::Ascending { .. } => true,
        }
    }

    /// The span of the entry of lowest seq with this rule.
    fn first_same_rule(&self, spec: &EntrySpec) -> Option<crate::source::Span> {
        let sorted = self.list.entries.iter().find(|e| spec.same_rule(e));
        let late = self.aside.late().iter().filter(|e| spec.same_rule(e)).min_by_key(|e| e.seq);
        match (sorted, late) {
            (Some(a), Some(b)) => Some(if a.seq < b.seq { a.span } else { b.span }),
            (a, b) => a.or(b).map(|e| e.span),
        }
    }
}

/// Put the open prefix-list back into the config (before anything else reads the lists, and
/// at the end of lowering).
pub(crate) fn close_list(lw: &mut Lowerer) {
    if let Some(o) = lw.plist_open.take() {
        let OpenList { key, mut list, seen, mut aside } = o;
        aside.finish(&mut list.entries);
        lw.cfg.prefix_lists.insert(key.clone(), list);
        lw.plist_rules.insert(key, seen);
    }
}

/// `no ip prefix-list …` and `… description`.
fn prefix_list_other(lw: &mut Lowerer, c: &Cmd<'_>, key: &(Afi, String)) -> bool {
    let (afi, name) = (key.0, key.1.as_str());
    let mut i = 3;
    if c.is_kw(i, "description") {
        if c.neg {
            if let Some(pl) = lw.cfg.prefix_lists.get_mut(key) {
                pl.description = None;
            }
            remove_if_empty(lw, key);
        } else {
            let d = Spanned::new(c.rest(i + 1), c.rest_span(i + 1));
            lw.cfg.prefix_lists.entry(key.clone()).or_insert_with(|| PrefixList::new(afi, name, c.span(2))).description = Some(d);
        }
        return true;
    }
    let seq = optional_seq(c, &mut i);
    // `no … seq N [...]` removes entry N whatever the rest says; `no … permit P` removes the
    // entry with that rule; `no ip prefix-list NAME` removes the list.
    let spec = entry_spec(c, i, afi);
    match (lw.cfg.prefix_lists.get_mut(key), seq, spec) {
        (Some(pl), Some(s), _) => pl.entries.retain(|e| e.seq != s),
        (Some(pl), None, Some(spec)) => {
            if let Some(pos) = pl.entries.iter().position(|e| spec.same_rule(e)) {
                pl.entries.remove(pos);
            }
        }
        (Some(_), None, None) if c.len() == 3 => {
            lw.cfg.prefix_lists.remove(key);
        }
        _ => {}
    }
    remove_if_empty(lw, key);
    true
}

fn access_list(lw: &mut Lowerer, c: &Cmd<'_>, _: Ctx) -> bool {
    let (afi, base) = if c.is_kw(0, "ipv6") { (Afi::Ipv6, 2) } else { (Afi::Ipv4, 1) };
    let name = c.text(base).to_string();
    let key = (afi, name.clone());
    let mut i = base + 1;
    let new = |name| (AccessList { afi, name, entries: Vec::new(), span: c.span(base) }, Aside::default());
    if c.is_kw(i, "remark") {
        lw.access_lists.entry(key).or_insert_with(|| new(name));
        return true;
    }
    let seq = optional_seq(c, &mut i);
    if c.neg {
        if c.len() == base + 1 {
            lw.access_lists.remove(&key);
        } else if let (Some((l, aside)), Some(s)) = (lw.access_lists.get_mut(&key), seq) {
            aside.remove(&mut l.entries, s);
        }
        return true;
    }
    let Some(act) = action(c, i) else { return false };
    i += 1;
    let what = if c.is_kw(i, "any") {
        AccessMatch::Any
    } else if let Some(p) = c.prefix(i) {
        AccessMatch::Prefix { prefix: p.trunc(), exact: c.is_kw(i + 1, "exact-match") }
    } else if c.is_kw(i, "host") {
        match c.ip(i + 1) {
            Some(std::net::IpAddr::V4(a)) => AccessMatch::Wildcard { addr: a, wildcard: 0u32.into() },
            _ => return false,
        }
    } else if c.is_kw(i, "ip") {
        let src = match (c.ip(i + 1), c.ip(i + 2)) {
            (Some(std::net::IpAddr::V4(a)), Some(std::net::IpAddr::V4(w))) => Some((a, w)),
            _ if c.is_kw(i + 1, "host") => match c.ip(i + 2) {
                Some(std::net::IpAddr::V4(a)) => Some((a, 0u32.into())),
                _ => None,
            },
            _ => None,
        };
        AccessMatch::Extended { src }
    } else {
        match (c.ip(i), c.ip(i + 1)) {
            (Some(std::net::IpAddr::V4(a)), Some(std::net::IpAddr::V4(w))) => AccessMatch::Wildcard { addr: a, wildcard: w },
            (Some(std::net::IpAddr::V4(a)), None) => AccessMatch::Wildcard { addr: a, wildcard: 0u32.into() },
            _ => return false,
        }
    };
    let (l, aside) = lw.access_lists.entry(key).or_insert_with(|| new(name));
    // The highest seq is the last entry's (see `Aside`).
    let seq = seq.unwrap_or_else(|| l.entries.last().map(|e| e.seq + 5).unwrap_or(5));
    aside.put(&mut l.entries, AccessListEntry { seq, action: act, what, span: c.span });
    true
}

fn community_list(lw: &mut Lowerer, c: &Cmd<'_>, _: Ctx) -> bool {
    let family = c.kw(1).unwrap_or("community-list");
    let (name, kind, mut i) = match c.kw(2) {
        Some("standard") => (c.text(3), CommunityListKind::Standard, 4),
        Some("expanded") => (c.text(3), CommunityListKind::Expanded, 4),
        _ => {
            let n = c.num(2).unwrap_or(0);
            let kind = if (1..=99).contains(&n) { CommunityListKind::Standard } else { CommunityListKind::Expanded };
            (c.text(2), kind, 3)
        }
    };
    let name_span = c.span(if i == 4 { 3 } else { 2 });
    let map = match family {
        "large-community-list" => &mut lw.clists[1],
        "extcommunity-list" => &mut lw.clists[2],
        _ => &mut lw.clists[0],
    };
    let seq = optional_seq(c, &mut i);
    if c.neg {
        match seq {
            Some(s) => {
                if let Some((l, _, aside)) = map.get_mut(name) {
                    aside.remove(&mut l.entries, s);
                }
            }
            None if c.len() <= i => {
                map.remove(name);
            }
            None => {}
        }
        return true;
    }
    let Some(act) = action(c, i) else { return false };
    i += 1;
    let what = if family != "community-list" {
        CommunityMatch::Values((i..c.len()).map(|j| c.text(j).to_string()).collect())
    } else if kind == CommunityListKind::Expanded {
        CommunityMatch::Regex(c.rest(i))
    } else {
        let mut vals = Vec::with_capacity(c.len().saturating_sub(i));
        for j in i..c.len() {
            match Community::parse(c.text(j)) {
                Some(v) => vals.push(v),
                None => {
                    lw.issue(c.span(j), LowerIssueKind::InvalidValue, format!("malformed community value `{}`: FRR rejects this line", c.text(j)), "write communities as AA:NN with both parts 0-65535, or a well-known name such as no-export");
                    return true;
                }
            }
        }
        CommunityMatch::All(vals)
    };
    // The name is copied only for a new list.
    let (l, seen, aside) = match map.get_mut(name) {
        Some(x) => x,
        None => map.entry(name.to_string()).or_insert_with(|| (CommunityList { name: name.to_string(), kind, entries: Vec::new(), span: name_span }, Default::default(), Aside::default())),
    };
    // Rules seen in this list (never pruned): only a rule seen before can be a repeat, so the
    // scan for one runs only then and a long list is read in linear time.
    let maybe_repeat = !seen.insert(rule_hash(&(act, &what)));
    if maybe_repeat && l.entries.iter().chain(aside.late()).any(|e| e.action == act && e.what == what) {
        return true;
    }
    // The highest seq is the last entry's (see `Aside`).
    let seq = seq.unwrap_or_else(|| l.entries.last().map(|e| (e.seq / 5) * 5 + 5).unwrap_or(5));
    aside.put(&mut l.entries, CommunityListEntry { seq, action: act, what, span: c.span });
    true
}

/// Put the community, as-path and access lists into the config, by name, their entries all
/// in place (at the end of lowering).
pub(crate) fn close_named_lists(lw: &mut Lowerer) {
    let [c, large, ext] = std::mem::take(&mut lw.clists);
    for (map, into) in [(c, &mut lw.cfg.community_lists), (large, &mut lw.cfg.large_community_lists), (ext, &mut lw.cfg.ext_community_lists)] {
        into.extend(map.into_iter().map(|(name, (mut list, _, mut aside))| {
            aside.finish(&mut list.entries);
            (name, list)
        }));
    }
    lw.cfg.as_path_lists.extend(std::mem::take(&mut lw.as_paths).into_iter().map(|(name, (mut list, mut aside))| {
        aside.finish(&mut list.entries);
        (name, list)
    }));
    lw.cfg.access_lists.extend(std::mem::take(&mut lw.access_lists).into_iter().map(|(key, (mut list, mut aside))| {
        aside.finish(&mut list.entries);
        (key, list)
    }));
}

/// A rule's hash, for the sets of rules seen per list.
fn rule_hash(rule: &impl std::hash::Hash) -> u64 {
    use std::hash::{BuildHasher, BuildHasherDefault};
    BuildHasherDefault::<crate::hash::FastHasher>::default().hash_one(rule)
}

/// An entry of a list ordered by sequence number.
pub(crate) trait BySeq {
    fn seq(&self) -> u32;
}

macro_rules! by_seq {
    ($($t:ty),*) => {
        $(impl BySeq for $t {
            fn seq(&self) -> u32 {
                self.seq
            }
        })*
    };
}
by_seq!(PrefixListEntry, CommunityListEntry, AsPathEntry, AccessListEntry);

/// A list's entries while it is being written, one per seq: the list's own vector, sorted
/// by seq, plus the entries that came below its last seq and far from its end, kept aside
/// (with an index by seq) until [`Aside::finish`] puts them in place. Putting each in place
/// at once would move the entries after it, and a list written in descending order would
/// take quadratic time. Entries aside are always below the sorted vector's last seq, so its
/// last entry still holds the highest seq. Lists are mostly written in ascending order: a
/// seq above the last one is an append, found without a search.
pub(crate) struct Aside<T> {
    late: Vec<T>,
    seqs: super::FastMap<u32, usize>,
}

impl<T> Default for Aside<T> {
    fn default() -> Self {
        Aside { late: Vec::new(), seqs: super::FastMap::default() }
    }
}

impl<T: BySeq> Aside<T> {
    /// The entry of this seq, in place or aside.
    fn find<'a>(&'a mut self, sorted: &'a mut [T], seq: u32) -> Option<&'a mut T> {
        if sorted.last().is_none_or(|last| last.seq() < seq) {
            return None;
        }
        match sorted.binary_search_by_key(&seq, |e| e.seq()) {
            Ok(pos) => Some(&mut sorted[pos]),
            Err(_) => self.seqs.get(&seq).map(|&i| &mut self.late[i]),
        }
    }

    /// Add an entry of a new seq.
    fn add(&mut self, sorted: &mut Vec<T>, entry: T) {
        /// An entry this close to the end is put in place (moving a few entries).
        const NEAR_END: usize = 64;
        let pos = match sorted.last() {
            Some(last) if last.seq() > entry.seq() => sorted.partition_point(|e| e.seq() < entry.seq()),
            _ => sorted.len(),
        };
        if sorted.len() - pos <= NEAR_END {
            sorted.insert(pos, entry);
        } else {
            self.seqs.insert(entry.seq(), self.late.len());
            self.late.push(entry);
        }
    }

    /// Put `entry` in, replacing the entry of its seq.
    fn put(&mut self, sorted: &mut Vec<T>, entry: T) {
        match self.find(sorted, entry.seq()) {
            Some(old) => *old = entry,
            None => self.add(sorted, entry),
        }
    }

    /// The entries kept aside, in no order.
    fn late(&self) -> &[T] {
        &self.late
    }

    /// Remove the entry of this seq (`no … seq N`), wherever it is; every entry is then in
    /// place.
    fn remove(&mut self, sorted: &mut Vec<T>, seq: u32) {
        self.finish(sorted);
        sorted.retain(|e| e.seq() != seq);
    }

    /// Put the entries kept aside in place: `sorted` then holds every entry, sorted by seq.
    fn finish(&mut self, sorted: &mut Vec<T>) {
        if !self.late.is_empty() {
            sorted.append(&mut self.late);
            sorted.sort_unstable_by_key(|e| e.seq());
            self.seqs.clear();
        }
    }
}

/// Whether FRR allows `ch` in an as-path expression: digits and `_ ^ | [ , { } ( ) ] $ * +
/// . ? - \` and space.
fn as_path_char(ch: char) -> bool {
    /// One bit per ASCII code.
    const ALLOWED: u128 = {
        let chars = b"1234567890_^|[,{}() ]$*+.?-\\";
        let mut m = 0u128;
        let mut i = 0;
        while i < chars.len() {
            m |= 1 << chars[i];
            i += 1;
        }
        m
    };
    (ch as u32) < 128 && ALLOWED >> (ch as u32) & 1 == 1
}

fn as_path_list(lw: &mut Lowerer, c: &Cmd<'_>, _: Ctx) -> bool {
    let name = c.text(3);
    let mut i = 4;
    let seq = optional_seq(c, &mut i);
    if c.neg {
        if c.len() == 4 {
            lw.as_paths.remove(name);
        } else if let (Some((l, aside)), Some(s)) = (lw.as_paths.get_mut(name), seq) {
            aside.remove(&mut l.entries, s);
        }
        return true;
    }
    let Some(act) = action(c, i) else { return false };
    let regex = c.rest(i + 1);
    if let Some(bad) = regex.chars().find(|&ch| !as_path_char(ch)) {
        lw.issue(c.rest_span(i + 1), LowerIssueKind::InvalidValue, format!("invalid character `{bad}` in as-path regular expression: FRR rejects this line"), "as-path expressions may use digits and _ ^ | [ , { } ( ) ] $ * + . ? - \\ only");
        return true;
    }
    let span = c.span(3);
    // The name is copied only for a new list.
    let (l, aside) = match lw.as_paths.get_mut(name) {
        Some(x) => x,
        None => lw.as_paths.entry(name.to_string()).or_insert_with(|| (AsPathList { name: name.to_string(), entries: Vec::new(), span }, Aside::default())),
    };
    // The highest seq is the last entry's (see `Aside`).
    let seq = seq.unwrap_or_else(|| l.entries.last().map(|e| (e.seq / 5) * 5 + 5).unwrap_or(5));
    aside.put(&mut l.entries, AsPathEntry { seq, action: act, regex, span: c.span });
    true
}

pub(crate) fn open_route_map(lw: &mut Lowerer, c: &Cmd<'_>) -> Option<(usize, u16)> {
    let name = c.text(1);
    let act = action(c, 2)?;
    let seq = c.num(3)? as u16;
    let idx = match lw.route_map_ids.get(name) {
        Some(&i) => i,
        None => {
            lw.route_maps.push((name.into(), None));
            lw.route_map_ids.insert(name.to_string(), lw.route_maps.len() - 1);
            lw.route_maps.len() - 1
        }
    };
    let rm = lw.route_maps[idx].1.get_or_insert_with(|| RouteMap::new(name, c.span(1)));
    match rm.entries.entry(seq) {
        Entry::Vacant(v) => {
            v.insert(RouteMapEntry::new(seq, act, c.span));
        }
        Entry::Occupied(mut o) => {
            let first = o.get().span;
            o.get_mut().action = act;
            lw.cfg.duplicates.push(Duplicate { kind: ObjectKind::RouteMap, name: name.to_string(), span: c.span, first, what: DuplicateKind::ReopenedEntry });
        }
    }
    Some((idx, seq))
}

fn no_route_map(lw: &mut Lowerer, c: &Cmd<'_>, _: Ctx) -> bool {
    if !c.neg {
        return false;
    }
    let slot = lw.route_map_ids.get(c.text(1)).and_then(|&i| lw.route_maps.get_mut(i)).map(|(_, rm)| rm);
    match (c.num(3), slot) {
        (Some(seq), Some(Some(rm))) => {
            rm.entries.remove(&(seq as u16));
        }
        (None, Some(rm)) if c.len() == 2 => *rm = None,
        (Some(_), _) => {}
        (None, _) if c.len() == 2 => {}
        (None, _) => return false,
    }
    true
}

/// Put the route-maps into the config's map by name (at the end of lowering: until then
/// lines find theirs by index).
pub(crate) fn close_route_maps(lw: &mut Lowerer) {
    for (name, rm) in lw.route_maps.drain(..) {
        if let Some(rm) = rm {
            lw.cfg.route_maps.insert(name.to_string(), rm);
        }
    }
}

/// The route-map entry a line sits in.
fn entry(lw: &mut Lowerer, ctx: Ctx) -> Option<&mut RouteMapEntry> {
    let (idx, seq) = ctx.route_map?;
    lw.route_maps.get_mut(idx)?.1.as_mut()?.entries.get_mut(&seq)
}

/// The name of the route-map a line sits in, for a reference or a finding.
fn map_name(lw: &Lowerer, ctx: Ctx) -> std::sync::Arc<str> {
    ctx.route_map.and_then(|(idx, _)| lw.route_maps.get(idx)).map(|(name, _)| name.clone()).unwrap_or_else(|| "".into())
}

/// A reference to the object word `i` names (none on a `no` line); `shared`: its name as
/// already shared, else it is looked up.
fn reference(lw: &mut Lowerer, c: &Cmd<'_>, kind: ObjectKind, i: usize, shared: Option<std::sync::Arc<str>>, usage: Usage) -> Option<usize> {
    if c.neg || i >= c.len() {
        return None;
    }
    let name = shared.unwrap_or_else(|| lw.names.get(c.text(i)));
    lw.cfg.references.push(Reference { kind, name, span: c.span(i), usage });
    Some(i)
}

fn rm_match(lw: &mut Lowerer, c: &Cmd<'_>, ctx: Ctx) -> bool {
    if entry(lw, ctx).is_none() {
        return false;
    }
    let seq = ctx.route_map.map(|r| r.1).unwrap_or(0);
    let fam = |k: &str| if k == "ipv6" { Afi::Ipv6 } else { Afi::Ipv4 };
    let k1 = c.kw(1).unwrap_or("");
    // The object a match names is the shared name its reference holds.
    let mut name = |i: usize| lw.names.get(c.text(i));
    let (kind, name_at) = match (k1, c.kw(2), c.kw(3)) {
        ("ip" | "ipv6", Some("address"), Some("prefix-list")) => (MatchKind::PrefixList { afi: fam(k1), name: name(4) }, Some((ObjectKind::PrefixList(fam(k1)), 4))),
        ("ip" | "ipv6", Some("address"), _) => (MatchKind::AccessList { afi: fam(k1), name: name(3) }, Some((ObjectKind::AccessList(fam(k1)), 3))),
        ("ip" | "ipv6", Some("next-hop"), Some("prefix-list")) => (MatchKind::NextHopPrefixList { afi: fam(k1), name: name(4) }, Some((ObjectKind::PrefixList(fam(k1)), 4))),
        ("ip" | "ipv6", Some("next-hop"), Some("address")) => match c.ip(4) {
            Some(a) => (MatchKind::NextHopAddress(a), None),
            None => (MatchKind::Other(c.skeleton()), None),
        },
        ("community", _, _) => (
            MatchKind::Community { list: name(2), exact: c.find_kw(3, "exact-match").is_some(), any: c.find_kw(3, "any").is_some() },
            Some((ObjectKind::CommunityList, 2)),
        ),
        ("large-community", _, _) => (MatchKind::LargeCommunity { list: name(2), exact: c.find_kw(3, "exact-match").is_some() }, Some((ObjectKind::LargeCommunityList, 2))),
        ("extcommunity", _, _) => (MatchKind::ExtCommunity { list: name(2) }, Some((ObjectKind::ExtCommunityList, 2))),
        ("as-path", _, _) => (MatchKind::AsPath(name(2)), Some((ObjectKind::AsPathList, 2))),
        ("metric", _, _) => (c.num(2).map(|n| MatchKind::Metric(n as u32)).unwrap_or(MatchKind::Other(c.skeleton())), None),
        ("local-preference", _, _) => (c.num(2).map(|n| MatchKind::LocalPreference(n as u32)).unwrap_or(MatchKind::Other(c.skeleton())), None),
        ("tag", _, _) => (c.num(2).map(|n| MatchKind::Tag(n as u32)).unwrap_or(MatchKind::Other(c.skeleton())), None),
        ("origin", Some(o), _) => (MatchKind::Origin(origin(o)), None),
        ("peer", _, _) => (MatchKind::Peer(c.text(2).into()), None),
        ("source-protocol", _, _) => (MatchKind::SourceProtocol(c.text(2).into()), None),
        _ => (MatchKind::Other(c.skeleton()), None),
    };
    let name_span = name_at
        .and_then(|(k, i)| {
            let usage = Usage::RouteMapMatch { map: map_name(lw, ctx), seq };
            reference(lw, c, k, i, kind.name().cloned(), usage)
        })
        .map(|i| c.span(i));
    let Some(e) = entry(lw, ctx) else { return false };
    let slot = kind.slot();
    let old = e.matches.iter().position(|m| m.kind.slot() == slot);
    let prev = old.map(|p| e.matches.remove(p).span);
    if !c.neg {
        push_exact(&mut e.matches, MatchStmt { kind, span: c.span, name_span });
        if let Some(first) = prev {
            let name = map_name(lw, ctx).to_string();
            lw.cfg.duplicates.push(Duplicate { kind: ObjectKind::RouteMap, name, span: c.span, first, what: DuplicateKind::ReplacedStatement });
        }
    }
    true
}

/// A route-map entry holds at most one statement of each kind, mostly one or two: its lists
/// grow by one rather than to four, which thousands of entries would leave mostly empty.
fn push_exact<T>(v: &mut Vec<T>, x: T) {
    v.reserve_exact(1);
    v.push(x);
}

fn origin(s: &str) -> Origin {
    match s {
        "egp" => Origin::Egp,
        "incomplete" => Origin::Incomplete,
        _ => Origin::Igp,
    }
}

fn set_value(s: &str) -> Option<SetValue> {
    if let Some(v) = s.strip_prefix('+') {
        v.parse().ok().map(SetValue::Add)
    } else if let Some(v) = s.strip_prefix('-') {
        v.parse().ok().map(SetValue::Subtract)
    } else {
        s.parse().ok().map(SetValue::Absolute)
    }
}

fn rm_set(lw: &mut Lowerer, c: &Cmd<'_>, ctx: Ctx) -> bool {
    if entry(lw, ctx).is_none() {
        return false;
    }
    let k1 = c.kw(1).unwrap_or("");
    let kind = match k1 {
        "local-preference" | "metric" => match set_value(c.text(2)) {
            Some(v) if k1 == "metric" => SetKind::Metric(v),
            Some(v) => SetKind::LocalPreference(v),
            None if k1 == "local-preference" => {
                lw.issue(c.span(2), LowerIssueKind::InvalidValue, format!("`{}` is not a local preference: FRR logs a compile error, keeps the line, and never applies it", c.text(2)), "use a number 0-4294967295, optionally with + or -");
                SetKind::Other(c.skeleton())
            }
            None => SetKind::Other(c.skeleton()),
        },
        "weight" => c.num(2).map(|n| SetKind::Weight(n as u32)).unwrap_or(SetKind::Other(c.skeleton())),
        "community" => {
            if c.is_kw(2, "none") {
                SetKind::Community { values: Vec::new(), additive: false, none: true }
            } else {
                let mut values = Vec::new();
                let mut additive = false;
                for j in 2..c.len() {
                    if c.is_kw(j, "additive") {
                        additive = true;
                    } else if let Some(w) = set_community_word(c.text(j)) {
                        match w {
                            SetCommunityWord::Additive => additive = true,
                            SetCommunityWord::Value(v) => values.push(v),
                        }
                    } else {
                        lw.issue(c.span(j), LowerIssueKind::InvalidValue, format!("malformed community `{}`: FRR rejects this line", c.text(j)), "write communities as AA:NN with both parts 0-65535, or a well-known name");
                        return true;
                    }
                }
                SetKind::Community { values, additive, none: false }
            }
        }
        "as-path" if c.is_kw(2, "prepend") && !c.is_kw(3, "last-as") => {
            let mut asns = Vec::new();
            for j in 3..c.len() {
                match super::parse_asn(c.text(j)) {
                    Some(a) => asns.push(Asn(a)),
                    None => {
                        lw.issue(c.span(j), LowerIssueKind::InvalidValue, format!("`{}` is not an AS number: FRR rejects this line", c.text(j)), "prepend AS numbers 1-4294967295");
                        return true;
                    }
                }
            }
            SetKind::AsPathPrepend(asns)
        }
        "origin" => SetKind::Origin(origin(c.kw(2).unwrap_or("igp"))),
        "ip" | "ipv6" if c.is_kw(2, "next-hop") => SetKind::NextHop(c.rest(3)),
        _ => SetKind::Other(c.skeleton()),
    };
    let Some(e) = entry(lw, ctx) else { return false };
    let slot = kind.slot();
    let prev = e.sets.iter().position(|s| s.kind.slot() == slot).map(|p| e.sets.remove(p).span);
    if !c.neg {
        push_exact(&mut e.sets, SetStmt { kind, span: c.span });
        if let Some(first) = prev {
            let name = map_name(lw, ctx).to_string();
            lw.cfg.duplicates.push(Duplicate { kind: ObjectKind::RouteMap, name, span: c.span, first, what: DuplicateKind::ReplacedStatement });
        }
    }
    true
}

fn rm_call(lw: &mut Lowerer, c: &Cmd<'_>, ctx: Ctx) -> bool {
    if entry(lw, ctx).is_none() {
        return false;
    }
    let seq = ctx.route_map.map(|r| r.1).unwrap_or(0);
    reference(lw, c, ObjectKind::RouteMap, 1, None, Usage::RouteMapCall { map: map_name(lw, ctx), seq });
    let Some(e) = entry(lw, ctx) else { return false };
    e.call = if c.neg { None } else { Some(c.spanned(1)) };
    true
}

fn rm_on_match(lw: &mut Lowerer, c: &Cmd<'_>, ctx: Ctx) -> bool {
    let Some(e) = entry(lw, ctx) else { return false };
    if c.neg {
        e.on_match = None;
        return true;
    }
    let v = if c.is_kw(0, "continue") {
        OnMatch::Goto(c.num(1).map(|n| n as u16).unwrap_or(e.seq.saturating_add(1)))
    } else if c.is_kw(1, "next") {
        OnMatch::Next
    } else {
        match c.num(2) {
            Some(n) => OnMatch::Goto(n as u16),
            None => return false,
        }
    };
    let (action, seq) = (e.action, e.seq);
    if action == Action::Deny {
        lw.issue(c.span, LowerIssueKind::InvalidValue, "on-match or continue in a deny entry: FRR rejects this line", "move the exit policy to a permit entry; a matching deny entry always ends evaluation");
        return true;
    }
    if let OnMatch::Goto(n) = v {
        if n <= seq {
            lw.issue(c.span, LowerIssueKind::InvalidValue, format!("goto {n} does not jump forward from entry {seq}: FRR rejects this line (\"Can't jump backwards\")"), "jump to a sequence number greater than this entry's");
            return true;
        }
    }
    if let Some(e) = entry(lw, ctx) {
        e.on_match = Some(Spanned::new(v, c.span));
    }
    true
}

fn rm_description(lw: &mut Lowerer, c: &Cmd<'_>, ctx: Ctx) -> bool {
    let Some(e) = entry(lw, ctx) else { return false };
    e.description = if c.neg { None } else { Some(Spanned::new(c.rest(1), c.rest_span(1))) };
    true
}

/// One word of `set community AA:NN...` as bgpd reads it (`set_community` in
/// `bgpd/bgp_routemap.c`; checked on 8.4.4): the words are free text, so `additive` is not a
/// keyword and may be abbreviated like a few well-known community names.
enum SetCommunityWord {
    Additive,
    Value(Community),
}

fn set_community_word(w: &str) -> Option<SetCommunityWord> {
    if !w.is_empty() && "additive".starts_with(w) {
        return Some(SetCommunityWord::Additive);
    }
    // (name, shortest accepted abbreviation); other well-known names must be written out.
    const ABBREVIABLE: [(&str, usize); 6] =
        [("internet", 1), ("local-AS", 1), ("no-advertise", 4), ("no-export", 4), ("blackhole", 1), ("graceful-shutdown", 1)];
    for (name, min) in ABBREVIABLE {
        if w.len() >= min && name.starts_with(w) {
            return Community::parse(name).map(SetCommunityWord::Value);
        }
    }
    Community::parse(w).map(SetCommunityWord::Value)
}


#[cfg(test)]
mod tests {
    use crate::model::{AccessMatch, Action, CommunityMatch, Config, ObjectKind};
    use crate::source::{FileId, SourceFile};
    use crate::syntax::ParseOptions;

    /// Community, as-path and access lists written in every way (explicit and automatic sequence
    /// numbers out of order, replaced numbers, repeated rules, entries and whole lists
    /// removed) come out as the plain reading gives them: each line scanning its list for a
    /// repeat and for the highest seq, and removing the entry of its seq.
    #[test]
    fn lists_come_out_as_the_plain_reading_gives_them() {
        let mut rng = crate::testing::Xorshift::new(0x2545_f491_4f6c_dd1d);
        let mut next = |n: u64| rng.below(n);
        // (name, entries as (seq, action, value)), in creation order.
        type Plain = Vec<(String, Vec<(u32, Action, u32)>)>;
        let mut clists: Plain = Vec::new();
        let mut aslists: Plain = Vec::new();
        let mut acls: Plain = Vec::new();
        let mut text = String::from("frr version 8.4.4\n");
        for _ in 0..3000 {
            let kind = next(3);
            let (as_path, acl) = (kind == 0, kind == 1);
            let name = format!("L{}", next(4));
            let lists = match kind {
                0 => &mut aslists,
                1 => &mut acls,
                _ => &mut clists,
            };
            // Some rules from a few, to repeat; seqs spread wide, so that entries land far
            // below the end of a long list too.
            let value = if next(3) == 0 { next(6) } else { next(2000) } as u32;
            let act = if next(2) == 0 { Action::Permit } else { Action::Deny };
            let word = if act == Action::Permit { "permit" } else { "deny" };
            let head = match kind {
                0 => format!("bgp as-path access-list {name}"),
                1 => format!("access-list {name}"),
                _ => format!("bgp community-list standard {name}"),
            };
            let rule = match kind {
                0 => format!("^{value}_"),
                1 => format!("10.{}.{}.0/24", value / 256, value % 256),
                _ => format!("65000:{value}"),
            };
            // A whole list removed now and then, so that lists also grow long.
            match next(12 * 20) {
                0 => {
                    text.push_str(&format!("no {head}\n"));
                    lists.retain(|(n, _)| *n != name);
                }
                1..=20 => {
                    let seq = 5 * (1 + next(400) as u32);
                    text.push_str(&format!("no {head} seq {seq} {word} {rule}\n"));
                    if let Some((_, es)) = lists.iter_mut().find(|(n, _)| *n == name) {
                        es.retain(|e| e.0 != seq);
                    }
                }
                k => {
                    let seq = (k % 2 == 0).then(|| 5 * (1 + next(400) as u32));
                    match seq {
                        Some(s) => text.push_str(&format!("{head} seq {s} {word} {rule}\n")),
                        None => text.push_str(&format!("{head} {word} {rule}\n")),
                    }
                    if !lists.iter().any(|(n, _)| *n == name) {
                        lists.push((name.clone(), Vec::new()));
                    }
                    let es = &mut lists.iter_mut().find(|(n, _)| *n == name).expect("just added").1;
                    // FRR ignores a repeated rule of a community list.
                    if !as_path && !acl && es.iter().any(|e| e.1 == act && e.2 == value) {
                        continue;
                    }
                    // An access-list's next number is the highest + 5, unrounded.
                    let next_seq = |m: u32| if acl { m + 5 } else { (m / 5) * 5 + 5 };
                    let seq = seq.unwrap_or_else(|| es.iter().map(|e| e.0).max().map(next_seq).unwrap_or(5));
                    es.retain(|e| e.0 != seq);
                    let pos = es.partition_point(|e| e.0 < seq);
                    es.insert(pos, (seq, act, value));
                }
            }
        }
        let file = SourceFile::new("lists.conf", text);
        let cfg = Config::from_source(FileId(0), &file, &ParseOptions::default());
        let mut want_c = clists.clone();
        want_c.sort();
        let got_c: Plain = cfg
            .community_lists
            .values()
            .map(|l| {
                let es = l.entries.iter().map(|e| match &e.what {
                    CommunityMatch::All(v) if v.len() == 1 => (e.seq, e.action, v[0].0 & 0xFFFF),
                    other => panic!("unexpected {other:?}"),
                });
                (l.name.clone(), es.collect())
            })
            .collect();
        assert_eq!(got_c, want_c);
        let mut want_a = aslists.clone();
        want_a.sort();
        let got_a: Plain = cfg
            .as_path_lists
            .values()
            .map(|l| {
                let es = l.entries.iter().map(|e| (e.seq, e.action, e.regex.trim_start_matches('^').trim_end_matches('_').parse().expect("a number")));
                (l.name.clone(), es.collect())
            })
            .collect();
        assert_eq!(got_a, want_a);
        let mut want_l = acls.clone();
        want_l.sort();
        let got_l: Plain = cfg
            .access_lists
            .values()
            .map(|l| {
                let es = l.entries.iter().map(|e| match &e.what {
                    AccessMatch::Prefix { prefix, .. } => match prefix.addr() {
                        std::net::IpAddr::V4(a) => (e.seq, e.action, u32::from(a.octets()[1]) * 256 + u32::from(a.octets()[2])),
                        other => panic!("unexpected {other:?}"),
                    },
                    other => panic!("unexpected {other:?}"),
                });
                (l.name.clone(), es.collect())
            })
            .collect();
        assert_eq!(got_l, want_l);
        for got in [&got_c, &got_a, &got_l] {
            assert!(got.iter().map(|l| l.1.len()).sum::<usize>() > 10, "too few entries to tell: {got:?}");
        }
    }

    /// Prefix-lists written in every order (ascending, descending, scattered explicit seqs,
    /// automatic seqs, replaced seqs, repeated rules, lists interleaved and entries removed),
    /// with more entries than are ever put in place, give the entries and the duplicates of
    /// a plain reading: each line looking its seq up in the sorted list, scanning it for a
    /// repeated rule and putting the entry in place; for FRR 8.4 and for 9.1, which adds a
    /// repeat given without a seq.
    #[test]
    fn prefix_lists_come_out_as_the_plain_reading_gives_them() {
        use crate::model::{Afi, DuplicateKind};
        for version in ["8.4.4", "9.1"] {
            let mut rng = crate::testing::Xorshift::new(0x9e37_79b9_7f4a_7c15);
            let mut next = |n: u64| rng.below(n);
            let adds_repeats = version == "9.1";
            // (name, entries as (seq, action, value, line)) and duplicates as (line, first line, kind).
            type Entry = (u32, Action, u64, usize);
            let mut lists: Vec<(String, Vec<Entry>)> = Vec::new();
            let mut dups: Vec<(usize, usize, DuplicateKind)> = Vec::new();
            let mut text = format!("frr version {version}\n");
            let mut line = 1;
            for _ in 0..4000 {
                line += 1;
                let name = format!("P{}", next(3));
                // Some rules from a few, to repeat.
                let value = if next(4) == 0 { next(8) } else { next(4096) };
                let act = if next(2) == 0 { Action::Permit } else { Action::Deny };
                let word = if act == Action::Permit { "permit" } else { "deny" };
                if next(60) == 0 {
                    let seq = 5 * (1 + next(400) as u32);
                    text.push_str(&format!("no ip prefix-list {name} seq {seq}\n"));
                    if let Some(i) = lists.iter().position(|(n, _)| *n == name) {
                        lists[i].1.retain(|e| e.0 != seq);
                        if lists[i].1.is_empty() {
                            lists.remove(i);
                        }
                    }
                    continue;
                }
                let seq = match next(4) {
                    0 => None,
                    1 => Some(2000 - (line as u32 % 2000)),
                    _ => Some(5 * (1 + next(400) as u32)),
                };
                match seq {
                    Some(q) => text.push_str(&format!("ip prefix-list {name} seq {q} {word} 10.{}.{}.0/24\n", value / 256, value % 256)),
                    None => text.push_str(&format!("ip prefix-list {name} {word} 10.{}.{}.0/24\n", value / 256, value % 256)),
                }
                if !lists.iter().any(|(n, _)| *n == name) {
                    lists.push((name.clone(), Vec::new()));
                }
                let es = &mut lists.iter_mut().find(|(n, _)| *n == name).expect("just added").1;
                let q = seq.unwrap_or_else(|| es.last().map(|e| e.0 + 5).unwrap_or(5));
                let new = (q, act, value, line);
                match es.binary_search_by_key(&q, |e| e.0) {
                    Ok(pos) => {
                        let same = es[pos].1 == act && es[pos].2 == value;
                        dups.push((line, es[pos].3, if same { DuplicateKind::IgnoredRepeat } else { DuplicateKind::ReplacedSeq }));
                        es[pos] = new;
                    }
                    Err(pos) => match es.iter().find(|e| e.1 == act && e.2 == value) {
                        Some(prev) => {
                            dups.push((line, prev.3, DuplicateKind::IgnoredRepeat));
                            if adds_repeats && seq.is_none() {
                                es.insert(pos, new);
                            }
                        }
                        None => es.insert(pos, new),
                    },
                }
            }
            let file = SourceFile::new("lists.conf", text);
            let cfg = Config::from_source(FileId(0), &file, &ParseOptions::default());
            lists.sort();
            let got: Vec<(String, Vec<Entry>)> = cfg
                .prefix_lists
                .values()
                .map(|l| {
                    let es = l.entries.iter().map(|e| {
                        let value = match e.prefix {
                            ipnet::IpNet::V4(p) => u64::from(p.addr().octets()[1]) * 256 + u64::from(p.addr().octets()[2]),
                            ipnet::IpNet::V6(_) => panic!("an IPv4 list"),
                        };
                        (e.seq, e.action, value, file.line_col(e.span.start).0 as usize)
                    });
                    (l.name.clone(), es.collect())
                })
                .collect();
            assert_eq!(got, lists, "FRR {version}");
            let got_dups: Vec<_> = cfg
                .duplicates
                .iter()
                .filter(|d| d.kind == ObjectKind::PrefixList(Afi::Ipv4))
                .map(|d| (file.line_col(d.span.start).0 as usize, file.line_col(d.first.start).0 as usize, d.what))
                .collect();
            assert_eq!(got_dups, dups, "FRR {version}");
            let longest = lists.iter().map(|l| l.1.len()).max().unwrap_or(0);
            assert!(longest > 200 && dups.len() > 100, "too small to tell: {longest} entries, {} duplicates", dups.len());
        }
    }

    /// A repeated rule is reported against its entry of lowest seq, whether that entry was
    /// put in place or kept aside (an entry far below the end of a long list).
    #[test]
    fn a_repeat_is_reported_against_the_lowest_seq() {
        use crate::model::DuplicateKind;
        // (seq kept aside, the line the repeat is reported against).
        for (aside, want_first) in [(1051, 202), (1301, 203)] {
            let mut text = String::from("frr version 8.4.4\n");
            for i in 0..200 {
                text.push_str(&format!("ip prefix-list L seq {} permit 10.0.{i}.0/24\n", 1000 + 5 * i));
            }
            // Line 202 adds the rule far below the end (kept aside); line 203 puts it in
            // place by replacing seq 1100; line 204 repeats it.
            text.push_str(&format!("ip prefix-list L seq {aside} permit 192.0.2.0/24\n"));
            text.push_str("ip prefix-list L seq 1100 permit 192.0.2.0/24\n");
            text.push_str("ip prefix-list L seq 3000 permit 192.0.2.0/24\n");
            let file = SourceFile::new("l.conf", text);
            let cfg = Config::from_source(FileId(0), &file, &ParseOptions::default());
            let repeats: Vec<(u32, u32)> = cfg
                .duplicates
                .iter()
                .filter(|d| d.what == DuplicateKind::IgnoredRepeat)
                .map(|d| (file.line_col(d.span.start).0, file.line_col(d.first.start).0))
                .collect();
            assert_eq!(repeats, vec![(204, want_first)], "seq {aside} kept aside");
        }
    }

    /// A list written in ascending order keeps no set of its rules until a line breaks the
    /// order: a repeat of the line before, or of a line long before, is still found, also
    /// after another list's lines came between.
    #[test]
    fn repeats_in_a_list_written_in_ascending_order() {
        use crate::model::DuplicateKind;
        let text = "ip prefix-list A seq 5 permit 10.0.0.0/24\nip prefix-list A seq 10 permit 10.0.1.0/24\nip prefix-list B seq 5 permit 10.9.0.0/16\nip prefix-list A seq 15 permit 10.0.2.0/24\nip prefix-list A seq 20 permit 10.0.2.0/24\nip prefix-list A seq 25 permit 10.0.0.0/24\nip prefix-list A seq 30 deny 10.0.0.0/24\nip prefix-list A seq 35 permit 10.0.3.0/24\n";
        let file = SourceFile::new("l.conf", text);
        let cfg = Config::from_source(FileId(0), &file, &ParseOptions::default());
        let repeats: Vec<(u32, u32)> = cfg.duplicates.iter().filter(|d| d.what == DuplicateKind::IgnoredRepeat).map(|d| (file.line_col(d.span.start).0, file.line_col(d.first.start).0)).collect();
        assert_eq!(repeats, vec![(5, 4), (6, 1)]);
        let seqs: Vec<u32> = cfg.prefix_list(crate::model::Afi::Ipv4, "A").expect("list A").entries.iter().map(|e| e.seq).collect();
        assert_eq!(seqs, vec![5, 10, 15, 30, 35]);
    }

    /// Rules of one prefix side by side (other ge, le or action) keep a list on the
    /// ascending path, and a repeat among them is found; so is one after a lower prefix, and
    /// one in a run of more rules of one prefix than that path keeps.
    #[test]
    fn repeats_among_rules_of_one_prefix() {
        use crate::model::DuplicateKind;
        let mut text = String::from("ip prefix-list A seq 5 permit 10.0.0.0/8 le 24\nip prefix-list A seq 10 deny 10.0.0.0/8 ge 25\nip prefix-list A seq 15 permit 10.0.0.0/8 le 24\nip prefix-list A seq 20 permit 10.1.0.0/16\nip prefix-list A seq 25 deny 10.0.0.0/8 ge 25\n");
        for le in 9..=30 {
            text.push_str(&format!("ip prefix-list B seq {le} permit 10.0.0.0/8 le {le}\n"));
        }
        text.push_str("ip prefix-list B seq 99 permit 10.0.0.0/8 le 9\nip prefix-list B seq 100 permit 10.0.0.0/8 le 31\n");
        let file = SourceFile::new("l.conf", text);
        let cfg = Config::from_source(FileId(0), &file, &ParseOptions::default());
        let repeats: Vec<(u32, u32)> = cfg.duplicates.iter().filter(|d| d.what == DuplicateKind::IgnoredRepeat).map(|d| (file.line_col(d.span.start).0, file.line_col(d.first.start).0)).collect();
        assert_eq!(repeats, vec![(3, 1), (5, 2), (28, 6)]);
        assert_eq!(cfg.prefix_list(crate::model::Afi::Ipv4, "B").expect("list B").entries.len(), 23);
    }

    /// The bit table allows exactly the characters of FRR's list.
    #[test]
    fn as_path_characters_are_frrs() {
        const FRR: &str = "1234567890_^|[,{}() ]$*+.?-\\";
        for ch in (0..0x3000).filter_map(char::from_u32) {
            assert_eq!(super::as_path_char(ch), FRR.contains(ch), "{ch:?}");
        }
    }
}
