//! shadowed-prefix-list-entry: an entry no prefix can reach because an earlier entry
//! matches everything it matches (same family, earlier sequence, a covering prefix and a
//! length range that contains its range). An error when the two actions differ: the
//! author's intent is silently inverted.
//!
//! Linear in practice: earlier entries are indexed by their prefix, and for each entry
//! only the entries at its own prefix and its ancestors at the lengths the list uses are
//! looked at.

use super::Rule;
use crate::diag::{Diagnostic, RuleGroup, RuleMeta, Severity};
use crate::model::{Config, PrefixList};
use ipnet::IpNet;
use crate::hash::FastMap;

pub(crate) static META: RuleMeta = RuleMeta {
    code: "FRR301",
    name: "shadowed-prefix-list-entry",
    severity: Severity::Warning,
    group: RuleGroup::Frr,
    summary: "a prefix-list entry that an earlier entry makes unreachable (an error if their actions differ)",
    docs: include_str!("../../docs/rules/FRR301.md"),
};

pub struct ShadowedPrefixListEntry;

/// For each entry shadowed by an earlier one: (shadowed index, shadowing index).
///
/// An entry can only be covered by an earlier entry whose prefix is one of its ancestors (or
/// itself). Earlier entries are indexed by prefix, and only the prefix lengths that occur in
/// the list are tried (usually one to three), so each entry costs a few hash lookups (with the
/// fast hasher: this rule reads every entry of every list).
pub(crate) fn shadowed(pl: &PrefixList) -> Vec<(usize, usize)> {
    // The first and the last earlier entry of each prefix; `next_same[i]` links the entries
    // of one prefix.
    let mut ends: FastMap<(u128, u8), (usize, usize)> = FastMap::with_capacity_and_hasher(pl.entries.len(), Default::default());
    let mut next_same: Vec<Option<usize>> = vec![None; pl.entries.len()];
    // Prefix lengths seen so far, longest first.
    let mut lens: Vec<u8> = Vec::new();
    let mut found = Vec::new();
    for (i, e) in pl.entries.iter().enumerate() {
        let max = e.prefix.prefix_len();
        let hit = lens.iter().filter(|&&l| l <= max).find_map(|&len| {
            let anc = ancestor(e.prefix, len)?;
            let mut j = ends.get(&anc).map(|&(first, _)| first);
            while let Some(k) = j {
                if pl.entries[k].covers(e) {
                    return Some(k);
                }
                j = next_same[k];
            }
            None
        });
        if let Some(j) = hit {
            found.push((i, j));
        }
        match ends.get_mut(&key(e.prefix)) {
            Some((_, last)) => {
                next_same[*last] = Some(i);
                *last = i;
            }
            None => {
                ends.insert(key(e.prefix), (i, i));
            }
        }
        if let Err(pos) = lens.binary_search_by(|l| max.cmp(l)) {
            lens.insert(pos, max);
        }
    }
    found
}

/// The key of the prefix of `len` bits that contains `p` (see [`key`]).
fn ancestor(p: IpNet, len: u8) -> Option<(u128, u8)> {
    match p {
        IpNet::V4(n) => ipnet::Ipv4Net::new(n.network(), len).ok().map(|n| key(IpNet::V4(n.trunc()))),
        IpNet::V6(n) => ipnet::Ipv6Net::new(n.network(), len).ok().map(|n| key(IpNet::V6(n.trunc()))),
    }
}

/// A prefix as a plain number and length: one list holds one family, and two plain
/// integers hash faster than the address types.
fn key(p: IpNet) -> (u128, u8) {
    match p {
        IpNet::V4(n) => (u128::from(u32::from(n.addr())), n.prefix_len()),
        IpNet::V6(n) => (u128::from(n.addr()), n.prefix_len()),
    }
}

impl Rule for ShadowedPrefixListEntry {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cfg: &Config, out: &mut Vec<Diagnostic>) {
        for pl in cfg.prefix_lists.values() {
            for (i, j) in shadowed(pl) {
                let (e, by) = (&pl.entries[i], &pl.entries[j]);
                let differ = e.action != by.action;
                let msg = if differ {
                    format!("{} prefix-list {} seq {} can never match: seq {} already {} every prefix it would {}", pl.afi.ip_keyword(), pl.name, e.seq, by.seq, super::verb(by.action), e.action)
                } else {
                    format!("{} prefix-list {} seq {} is redundant: seq {} already matches every prefix it matches", pl.afi.ip_keyword(), pl.name, e.seq, by.seq)
                };
                let d = Diagnostic::new(&META, cfg.file, e.span, msg)
                    .related(cfg.file, by.span, "this earlier entry matches first")
                    .help(if differ { "move this entry before the broader one (give it a lower seq), or narrow the earlier entry" } else { "remove the redundant entry" });
                out.push(if differ { d.severity(Severity::Error) } else { d });
            }
        }
    }
}
