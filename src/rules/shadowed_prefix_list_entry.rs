//! shadowed-prefix-list-entry: an entry no prefix can reach because an earlier entry
//! matches everything it matches (same family, earlier sequence, a covering prefix and a
//! length range that contains its range). An error when the two actions differ: the
//! author's intent is silently inverted.
//!
//! Linear in practice: earlier entries are indexed by their prefix, and for each entry
//! only the entries at its own prefix and its ancestors (at most 33 or 129 lengths) are
//! looked at.

use super::Rule;
use crate::diag::{Diagnostic, RuleGroup, RuleMeta, Severity};
use crate::model::{Config, PrefixList};
use ipnet::IpNet;
use std::collections::HashMap;

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
pub(crate) fn shadowed(pl: &PrefixList) -> Vec<(usize, usize)> {
    let mut by_prefix: HashMap<IpNet, Vec<usize>> = HashMap::new();
    let mut found = Vec::new();
    for (i, e) in pl.entries.iter().enumerate() {
        let mut hit = None;
        let max = e.prefix.prefix_len();
        'lens: for len in (0..=max).rev() {
            let Ok(anc) = (match e.prefix {
                IpNet::V4(n) => ipnet::Ipv4Net::new(n.network(), len).map(|n| IpNet::V4(n.trunc())).map_err(|_| ()),
                IpNet::V6(n) => ipnet::Ipv6Net::new(n.network(), len).map(|n| IpNet::V6(n.trunc())).map_err(|_| ()),
            }) else {
                continue;
            };
            if let Some(cands) = by_prefix.get(&anc) {
                for &j in cands {
                    if pl.entries[j].covers(e) {
                        hit = Some(j);
                        break 'lens;
                    }
                }
            }
        }
        if let Some(j) = hit {
            found.push((i, j));
        }
        by_prefix.entry(e.prefix).or_default().push(i);
    }
    found
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
