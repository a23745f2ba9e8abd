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
use crate::model::{Afi, Config, PrefixList};
use ipnet::IpNet;
use crate::hash::FastMap;
use std::collections::hash_map::Entry;

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
        let (addr, max) = key(e.prefix);
        let width = u32::from(Afi::of(&e.prefix).max_len());
        let first_covering = |mut j: Option<usize>, next_same: &[Option<usize>]| {
            while let Some(k) = j {
                if pl.entries[k].covers(e) {
                    return Some(k);
                }
                j = next_same[k];
            }
            None
        };
        // Entries of this entry's own prefix and length first (in a list of one length,
        // the only ones): one map access finds them and adds this entry to them.
        let mut hit = None;
        match ends.entry((addr, max)) {
            Entry::Occupied(mut o) => {
                let (first, last) = *o.get();
                hit = first_covering(Some(first), &next_same);
                next_same[last] = Some(i);
                o.get_mut().1 = i;
            }
            Entry::Vacant(v) => {
                v.insert((i, i));
            }
        }
        // Then shorter lengths, longest first.
        if hit.is_none() {
            hit = lens.iter().filter(|&&l| l < max).find_map(|&len| {
                let j = ends.get(&(addr & prefix_mask(width, len), len)).map(|&(first, _)| first);
                first_covering(j, &next_same)
            });
        }
        if let Some(j) = hit {
            found.push((i, j));
        }
        if let Err(pos) = lens.binary_search_by(|l| max.cmp(l)) {
            lens.insert(pos, max);
        }
    }
    found
}

/// The first `len` bits of a `width`-bit address, as a mask over [`key`]'s number.
fn prefix_mask(width: u32, len: u8) -> u128 {
    let all = if width >= 128 { u128::MAX } else { (1u128 << width) - 1 };
    all & !all.checked_shr(u32::from(len)).unwrap_or(0)
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::{FileId, SourceFile};
    use crate::syntax::ParseOptions;

    /// On random lists of both families (few addresses, so that prefixes nest and repeat),
    /// the entries found shadowed are exactly those some earlier entry covers, each with
    /// an earlier entry that does.
    #[test]
    fn finds_exactly_the_entries_an_earlier_one_covers() {
        let mut rng = crate::testing::Xorshift::new(0x9e37_79b9_7f4a_7c15);
        let mut next = |n: u64| rng.below(n);
        let mut text = String::new();
        for list in 0..40 {
            let v6 = list % 2 == 1;
            let max = if v6 { 128 } else { 32 };
            for seq in 1..=60 {
                let len = [0, 8, 16, 24, max - 8, max][next(6) as usize];
                let (a, b) = (next(2), next(2));
                let prefix = if v6 { format!("2001:db8:{a}:{b}::/{len}") } else { format!("10.{a}.{b}.0/{len}") };
                let prefix = if len <= 16 { if v6 { format!("2000::/{len}") } else { format!("10.0.0.0/{len}") } } else { prefix };
                let mut range = String::new();
                if next(3) == 0 && len < max {
                    range = format!(" le {}", len + 1 + next(u64::from(max - len)) as u8);
                }
                let (kw, action) = (if v6 { "ipv6" } else { "ip" }, if next(2) == 0 { "permit" } else { "deny" });
                text.push_str(&format!("{kw} prefix-list L{list} seq {} {action} {prefix}{range}\n", seq * 5));
            }
        }
        let file = SourceFile::new("t.conf", text);
        let cfg = Config::from_source(FileId(0), &file, &ParseOptions::default());
        assert_eq!(cfg.prefix_lists.len(), 40);
        let mut total = 0;
        for pl in cfg.prefix_lists.values() {
            let found = shadowed(pl);
            let got: Vec<usize> = found.iter().map(|&(i, _)| i).collect();
            let want: Vec<usize> = (0..pl.entries.len()).filter(|&i| (0..i).any(|j| pl.entries[j].covers(&pl.entries[i]))).collect();
            assert_eq!(got, want, "list {}", pl.name);
            for &(i, j) in &found {
                assert!(j < i && pl.entries[j].covers(&pl.entries[i]), "list {}: {i} by {j}", pl.name);
            }
            total += found.len();
        }
        assert!(total > 100, "only {total} shadowed entries: the lists do not exercise the search");
    }
}
