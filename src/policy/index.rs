//! Fast prefix-list lookups for evaluating many routes against the same configuration
//! (the cross-check runs every announced prefix of every session through the router's
//! policy). A list's entries are indexed by their prefix; a route's candidates are the
//! entries at its own prefix and at each shorter covering prefix (at most 33 or 129
//! lookups), and the lowest-sequence match among them is the one FRR would pick.

use crate::model::{Config, ListVerdict, PrefixList};
use ipnet::IpNet;

use crate::hash::FastMap;

/// Indexes of every prefix-list of one configuration, keyed by the list's address (the
/// configuration is not changed while it is evaluated).
#[derive(Debug, Default)]
pub struct PolicyIndex {
    lists: FastMap<usize, PrefixIndex>,
}

#[derive(Debug, Default)]
struct PrefixIndex {
    /// Entry positions by entry prefix, in sequence order.
    by_prefix: FastMap<IpNet, Vec<usize>>,
}

impl PolicyIndex {
    pub fn new(cfg: &Config) -> PolicyIndex {
        let mut lists = FastMap::default();
        for pl in cfg.prefix_lists.values() {
            let mut ix = PrefixIndex::default();
            for (i, e) in pl.entries.iter().enumerate() {
                ix.by_prefix.entry(e.prefix).or_default().push(i);
            }
            lists.insert(pl as *const PrefixList as usize, ix);
        }
        PolicyIndex { lists }
    }

    /// The same verdict as [`PrefixList::evaluate`], without scanning the list.
    pub fn evaluate(&self, pl: &PrefixList, p: &IpNet) -> ListVerdict {
        let Some(ix) = self.lists.get(&(pl as *const PrefixList as usize)) else {
            return pl.evaluate(p);
        };
        if pl.entries.is_empty() {
            return ListVerdict::EmptyPermit;
        }
        let mut best: Option<usize> = None;
        for len in 0..=p.prefix_len() {
            let Ok(anc) = IpNet::new(p.addr(), len).map(|n| n.trunc()) else { continue };
            if let Some(v) = ix.by_prefix.get(&anc) {
                if let Some(&i) = v.iter().find(|&&i| pl.entries.get(i).is_some_and(|e| e.matches(p))) {
                    best = Some(best.map_or(i, |b| b.min(i)));
                }
            }
        }
        match best {
            Some(i) => ListVerdict::Entry(pl.entries[i].action, i),
            None => ListVerdict::ImplicitDeny,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Action, Afi, PrefixListEntry};
    use crate::source::Span;

    #[test]
    fn same_verdicts_as_a_scan() {
        let mut cfg = Config::empty(crate::source::FileId(0), crate::syntax::FrrVersion::NEWEST);
        let mut pl = PrefixList::new(Afi::Ipv4, "P", Span::default());
        let specs: [(&str, Option<u8>, Option<u8>, Action); 5] = [
            ("10.1.0.0/16", None, Some(24), Action::Deny),
            ("10.0.0.0/8", None, Some(32), Action::Permit),
            ("10.1.2.0/24", None, None, Action::Permit),
            ("0.0.0.0/0", Some(30), None, Action::Deny),
            ("192.168.77.0/24", None, None, Action::Permit),
        ];
        for (i, (p, ge, le, a)) in specs.into_iter().enumerate() {
            pl.entries.push(PrefixListEntry::for_test((i as u32 + 1) * 5, a, p, ge, le));
        }
        cfg.prefix_lists.insert((Afi::Ipv4, "P".into()), pl);
        let ix = PolicyIndex::new(&cfg);
        let pl = &cfg.prefix_lists[&(Afi::Ipv4, "P".to_string())];
        for p in ["10.1.2.0/24", "10.1.2.3/32", "10.2.0.0/16", "192.168.77.0/24", "192.168.77.128/32", "11.0.0.0/31", "0.0.0.0/0"] {
            let net: IpNet = p.parse().unwrap();
            assert_eq!(ix.evaluate(pl, &net), pl.evaluate(&net), "{p}");
        }
    }
}
