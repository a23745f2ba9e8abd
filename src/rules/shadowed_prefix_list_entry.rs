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
use crate::model::{prefix_key as key, Afi, Config, PrefixList};
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
    shadowed_ascending(pl).unwrap_or_else(|| shadowed_indexed(pl))
}

/// [`shadowed`] for a list in any order, by an index of the earlier entries by prefix.
fn shadowed_indexed(pl: &PrefixList) -> Vec<(usize, usize)> {
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

/// [`shadowed`] for a list written in ascending prefix order (by address, then length),
/// as long generated lists are, in one pass and without hashing; `None` when the list is in
/// another order (or mixes families, or has an entry of no lengths at all, which any entry
/// covers), for [`shadowed`]'s general search.
///
/// In that order every prefix comes after all of its ancestors, so the earlier entries that
/// can cover an entry are those whose prefix contains it, and these form one chain of nested
/// prefixes: a stack that drops its top while the top does not contain the next entry (a
/// prefix that does not contain an entry contains none after it). In that order, too, a
/// prefix contains a later entry exactly when the entry's address is not past the
/// prefix's last address: a later entry of a shorter length and an address inside the
/// prefix would have to start where the prefix does, and then it would come first. The
/// stack is searched as [`shadowed`] searches its index, which it reports the same as: the
/// entries of the entry's own prefix and length first, then shorter lengths, longest
/// first, and within one prefix and length the first entry that covers.
fn shadowed_ascending(pl: &PrefixList) -> Option<Vec<(usize, usize)>> {
    let afi = Afi::of(&pl.entries.first()?.prefix);
    let width = u32::from(afi.max_len());
    let all = prefix_mask(width, afi.max_len());
    // (key, last address of the prefix, entry index, stack position where the entries of
    // that key begin).
    let mut stack: Vec<((u128, u8), u128, usize, usize)> = Vec::new();
    let mut found = Vec::new();
    let mut prev = (0u128, 0u8);
    for (i, e) in pl.entries.iter().enumerate() {
        let k = key(e.prefix);
        let (lo, hi) = e.len_range();
        if k < prev || Afi::of(&e.prefix) != afi || lo > hi {
            return None;
        }
        prev = k;
        while stack.last().is_some_and(|&(_, last, _, _)| last < k.0) {
            stack.pop();
        }
        let mut top = stack.len();
        while top > 0 {
            let from = stack[top - 1].3;
            if let Some(&(_, _, j, _)) = stack[from..top].iter().find(|&&(_, _, j, _)| pl.entries[j].covers(e)) {
                found.push((i, j));
                break;
            }
            top = from;
        }
        let from = match stack.last() {
            Some(&(tk, _, _, from)) if tk == k => from,
            _ => stack.len(),
        };
        stack.push((k, k.0 | (all & !prefix_mask(width, k.1)), i, from));
    }
    Some(found)
}

/// The first `len` bits of a `width`-bit address, as a mask over [`key`]'s number.
fn prefix_mask(width: u32, len: u8) -> u128 {
    let all = if width >= 128 { u128::MAX } else { (1u128 << width) - 1 };
    all & !all.checked_shr(u32::from(len)).unwrap_or(0)
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
    /// an earlier entry that does. Every third list is written in ascending prefix order,
    /// which [`shadowed_ascending`] reads: it reports what the general search reports.
    #[test]
    fn finds_exactly_the_entries_an_earlier_one_covers() {
        let mut rng = crate::testing::Xorshift::new(0x9e37_79b9_7f4a_7c15);
        let mut next = |n: u64| rng.below(n);
        let mut text = String::new();
        for list in 0..40 {
            let v6 = list % 2 == 1;
            let max = if v6 { 128 } else { 32 };
            let mut lines = Vec::new();
            for _ in 0..60 {
                let len = [0, 8, 16, 24, max - 8, max][next(6) as usize];
                let (a, b) = (next(2), next(2));
                let prefix = if v6 { format!("2001:db8:{a}:{b}::/{len}") } else { format!("10.{a}.{b}.0/{len}") };
                let prefix = if len <= 16 { if v6 { format!("2000::/{len}") } else { format!("10.0.0.0/{len}") } } else { prefix };
                let mut range = String::new();
                if next(3) == 0 && len < max {
                    range = format!(" le {}", len + 1 + next(u64::from(max - len)) as u8);
                }
                let action = if next(2) == 0 { "permit" } else { "deny" };
                let net: ipnet::IpNet = prefix.parse().expect("a prefix");
                lines.push((key(net.trunc()), format!("{action} {prefix}{range}")));
            }
            if list % 3 == 0 {
                lines.sort_by_key(|l| l.0);
            }
            let kw = if v6 { "ipv6" } else { "ip" };
            for (seq, (_, line)) in lines.iter().enumerate() {
                text.push_str(&format!("{kw} prefix-list L{list} seq {} {line}\n", (seq + 1) * 5));
            }
        }
        let file = SourceFile::new("t.conf", text);
        let cfg = Config::from_source(FileId(0), &file, &ParseOptions::default());
        assert_eq!(cfg.prefix_lists.len(), 40);
        let (mut total, mut ascending) = (0, 0);
        for pl in cfg.prefix_lists.values() {
            let found = shadowed(pl);
            let got: Vec<usize> = found.iter().map(|&(i, _)| i).collect();
            let want: Vec<usize> = (0..pl.entries.len()).filter(|&i| (0..i).any(|j| pl.entries[j].covers(&pl.entries[i]))).collect();
            assert_eq!(got, want, "list {}", pl.name);
            for &(i, j) in &found {
                assert!(j < i && pl.entries[j].covers(&pl.entries[i]), "list {}: {i} by {j}", pl.name);
            }
            if let Some(swept) = shadowed_ascending(pl) {
                assert_eq!(swept, shadowed_indexed(pl), "list {}", pl.name);
                ascending += swept.len();
            }
            total += found.len();
        }
        assert!(total > 100, "only {total} shadowed entries: the lists do not exercise the search");
        assert!(ascending > 100, "only {ascending} shadowed entries in the lists in ascending order");
    }

    fn list(entries: &[&str]) -> PrefixList {
        let text: String = entries.iter().enumerate().map(|(i, p)| format!("ip prefix-list L seq {} {p}\n", (i + 1) * 5)).collect();
        let file = SourceFile::new("t.conf", text);
        let cfg = Config::from_source(FileId(0), &file, &ParseOptions::default());
        cfg.prefix_lists.into_values().next().expect("the list")
    }

    /// A list in ascending prefix order is read in one pass, which searches as the general
    /// search does: an entry's own prefix and length first (seq 20 is reported shadowed by
    /// seq 15, not by seq 5, which covers it too), then its ancestors, longest first.
    #[test]
    fn a_list_in_ascending_order_is_searched_as_any_other() {
        let sorted = ["permit 10.0.0.0/8 le 24", "deny 10.0.0.0/16", "permit 10.0.0.0/24 le 32", "deny 10.0.0.0/24", "permit 10.0.1.0/24", "permit 10.1.0.0/16"];
        let pl = list(&sorted);
        let want = vec![(1, 0), (3, 2), (4, 0), (5, 0)];
        assert_eq!(shadowed_ascending(&pl), Some(want.clone()));
        assert_eq!(shadowed_indexed(&pl), want);
        // Exact prefixes in ascending order: none shadowed, but a repeat right after its
        // first (with the other action: FRR drops a repeat of the same rule).
        assert_eq!(shadowed_ascending(&list(&["permit 10.0.0.0/24", "deny 10.0.0.0/25", "permit 10.0.1.0/24"])), Some(vec![]));
        assert_eq!(shadowed_ascending(&list(&["permit 10.0.0.0/24", "deny 10.0.0.0/24", "permit 10.0.1.0/24"])), Some(vec![(1, 0)]));
        // One entry out of order: the general search.
        let mut swapped = sorted;
        swapped.swap(4, 5);
        let pl = list(&swapped);
        assert_eq!(shadowed_ascending(&pl), None);
        assert_eq!(shadowed(&pl), vec![(1, 0), (3, 2), (4, 0), (5, 0)]);
    }
}
