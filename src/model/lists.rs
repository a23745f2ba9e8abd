//! Single-line policy objects: prefix-lists, access-lists, community lists and as-path
//! lists, with the matching rules FRR applies (`lib/plist.c`, `lib/filter.c`,
//! `bgpd/bgp_clist.c`, `bgpd/bgp_filter.c`).

use super::{Action, Afi, Spanned};
use crate::source::Span;
use ipnet::IpNet;

/// A prefix as a plain number and length, ordered by address, then length: one list holds
/// one family, and two plain integers hash and compare faster than the address types.
pub fn prefix_key(p: IpNet) -> (u128, u8) {
    match p {
        IpNet::V4(n) => (u128::from(u32::from(n.addr())), n.prefix_len()),
        IpNet::V6(n) => (u128::from(n.addr()), n.prefix_len()),
    }
}

/// One `ip|ipv6 prefix-list NAME seq N permit|deny PREFIX [ge G] [le L]` entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrefixListEntry {
    pub seq: u32,
    /// The sequence number was written (not assigned by FRR).
    pub seq_explicit: bool,
    pub action: Action,
    /// Masked, as FRR stores it.
    pub prefix: IpNet,
    /// `any`.
    pub any: bool,
    pub ge: Option<u8>,
    pub le: Option<u8>,
    /// The whole line.
    pub span: Span,
    /// Host bits were set in the prefix as written.
    pub had_host_bits: bool,
}

impl PrefixListEntry {
    /// The inclusive range of prefix lengths this entry matches (notes §2.2).
    pub fn len_range(&self) -> (u8, u8) {
        let len = self.prefix.prefix_len();
        let max = self.prefix.max_prefix_len();
        match (self.ge, self.le) {
            (None, None) => (len, len),
            (None, Some(le)) => (len, le),
            (Some(ge), None) => (ge, max),
            (Some(ge), Some(le)) => (ge, le),
        }
    }

    /// Does a route for `p` match this entry?
    pub fn matches(&self, p: &IpNet) -> bool {
        if Afi::of(p) != Afi::of(&self.prefix) {
            return false;
        }
        let (lo, hi) = self.len_range();
        let len = p.prefix_len();
        len >= lo && len <= hi && self.prefix.contains(p)
    }

    /// Does this entry match every route `other` matches?
    pub fn covers(&self, other: &PrefixListEntry) -> bool {
        if Afi::of(&self.prefix) != Afi::of(&other.prefix) {
            return false;
        }
        let (a_lo, a_hi) = self.len_range();
        let (b_lo, b_hi) = other.len_range();
        if b_lo > b_hi {
            return true;
        }
        self.prefix.contains(&other.prefix) && a_lo <= b_lo && b_hi <= a_hi
    }
}

/// `ip|ipv6 prefix-list NAME …`: entries sorted by sequence number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrefixList {
    pub afi: Afi,
    pub name: String,
    pub description: Option<Spanned<String>>,
    pub entries: Vec<PrefixListEntry>,
    /// The name word of the first line that defined it.
    pub span: Span,
}

/// The outcome of a list lookup, with the deciding entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListVerdict {
    /// An entry matched: its action and index.
    Entry(Action, usize),
    /// No entry matched: FRR denies.
    ImplicitDeny,
    /// The list has no entries: FRR permits everything (`lib/plist.c`).
    EmptyPermit,
}

impl ListVerdict {
    pub fn action(self) -> Action {
        match self {
            ListVerdict::Entry(a, _) => a,
            ListVerdict::ImplicitDeny => Action::Deny,
            ListVerdict::EmptyPermit => Action::Permit,
        }
    }
}

impl PrefixList {
    pub fn new(afi: Afi, name: impl Into<String>, span: Span) -> Self {
        PrefixList { afi, name: name.into(), description: None, entries: Vec::new(), span }
    }

    /// FRR's next automatic sequence number: highest + 5 (`acl_get_seq`).
    pub fn next_seq(&self) -> u32 {
        // Entries are sorted by seq: the last one is the highest.
        self.entries.last().map(|e| e.seq.saturating_add(5)).unwrap_or(5)
    }

    /// First match by ascending sequence; no match denies; an empty list permits.
    pub fn evaluate(&self, p: &IpNet) -> ListVerdict {
        if self.entries.is_empty() {
            return ListVerdict::EmptyPermit;
        }
        for (i, e) in self.entries.iter().enumerate() {
            if e.matches(p) {
                return ListVerdict::Entry(e.action, i);
            }
        }
        ListVerdict::ImplicitDeny
    }
}

/// What an access-list entry matches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AccessMatch {
    Any,
    /// Zebra style `PREFIX [exact-match]`: without exact-match every prefix inside matches.
    Prefix { prefix: IpNet, exact: bool },
    /// Cisco style: address and wildcard (host = wildcard 0).
    Wildcard { addr: std::net::Ipv4Addr, wildcard: std::net::Ipv4Addr },
    /// Extended Cisco style (source and destination); matched on the source.
    Extended { src: Option<(std::net::Ipv4Addr, std::net::Ipv4Addr)> },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessListEntry {
    pub seq: u32,
    pub action: Action,
    pub what: AccessMatch,
    pub span: Span,
}

impl AccessListEntry {
    pub fn matches(&self, p: &IpNet) -> bool {
        match &self.what {
            AccessMatch::Any => true,
            AccessMatch::Prefix { prefix, exact } => {
                Afi::of(prefix) == Afi::of(p)
                    && prefix.contains(p)
                    && (!exact || prefix.prefix_len() == p.prefix_len())
            }
            AccessMatch::Wildcard { addr, wildcard } | AccessMatch::Extended { src: Some((addr, wildcard)) } => {
                match p {
                    IpNet::V4(n) => {
                        let mask = !u32::from(*wildcard);
                        u32::from(n.network()) & mask == u32::from(*addr) & mask
                    }
                    IpNet::V6(_) => false,
                }
            }
            AccessMatch::Extended { src: None } => true,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessList {
    pub afi: Afi,
    pub name: String,
    pub entries: Vec<AccessListEntry>,
    pub span: Span,
}

impl AccessList {
    /// First match; no match (or no entries) denies.
    pub fn evaluate(&self, p: &IpNet) -> ListVerdict {
        for (i, e) in self.entries.iter().enumerate() {
            if e.matches(p) {
                return ListVerdict::Entry(e.action, i);
            }
        }
        ListVerdict::ImplicitDeny
    }
}

/// A BGP community value as FRR accepts it in a standard list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Community(pub u32);

impl Community {
    pub const NO_EXPORT: Community = Community(0xFFFF_FF01);
    pub const NO_ADVERTISE: Community = Community(0xFFFF_FF02);
    pub const LOCAL_AS: Community = Community(0xFFFF_FF03);
    pub const NO_PEER: Community = Community(0xFFFF_FF04);
    pub const BLACKHOLE: Community = Community(0xFFFF_029A);
    pub const GRACEFUL_SHUTDOWN: Community = Community(0xFFFF_0000);

    /// `AA:NN`, a number, or a well-known name.
    pub fn parse(s: &str) -> Option<Community> {
        if let Some((a, b)) = s.split_once(':') {
            let a: u16 = a.parse().ok()?;
            let b: u16 = b.parse().ok()?;
            return Some(Community((u32::from(a) << 16) | u32::from(b)));
        }
        match s {
            "no-export" => Some(Community::NO_EXPORT),
            "no-advertise" => Some(Community::NO_ADVERTISE),
            "local-AS" => Some(Community::LOCAL_AS),
            "no-peer" => Some(Community::NO_PEER),
            "blackhole" => Some(Community::BLACKHOLE),
            "graceful-shutdown" => Some(Community::GRACEFUL_SHUTDOWN),
            "accept-own" => Some(Community(0xFFFF_0001)),
            "route-filter-translated-v4" => Some(Community(0xFFFF_0002)),
            "route-filter-v4" => Some(Community(0xFFFF_0003)),
            "route-filter-translated-v6" => Some(Community(0xFFFF_0004)),
            "route-filter-v6" => Some(Community(0xFFFF_0005)),
            "llgr-stale" => Some(Community(0xFFFF_0006)),
            "no-llgr" => Some(Community(0xFFFF_0007)),
            "accept-own-nexthop" => Some(Community(0xFFFF_0008)),
            "internet" => Some(Community(0)),
            _ => s.parse::<u32>().ok().map(Community),
        }
    }
}

impl std::fmt::Display for Community {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.0 >> 16, self.0 & 0xFFFF)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CommunityListKind {
    Standard,
    Expanded,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum CommunityMatch {
    /// Standard: every listed community must be present.
    All(Vec<Community>),
    /// Expanded: a regular expression over the community string (kept verbatim).
    Regex(String),
    /// Large or extended community values, kept verbatim.
    Values(Vec<String>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommunityListEntry {
    pub seq: u32,
    pub action: Action,
    pub what: CommunityMatch,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommunityList {
    pub name: String,
    pub kind: CommunityListKind,
    pub entries: Vec<CommunityListEntry>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AsPathEntry {
    pub seq: u32,
    pub action: Action,
    pub regex: String,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AsPathList {
    pub name: String,
    pub entries: Vec<AsPathEntry>,
    pub span: Span,
}

#[cfg(test)]
impl PrefixListEntry {
    /// An entry written with an explicit seq, without host bits or a span (tests).
    pub(crate) fn for_test(seq: u32, action: Action, prefix: &str, ge: Option<u8>, le: Option<u8>) -> PrefixListEntry {
        PrefixListEntry {
            seq,
            seq_explicit: true,
            action,
            prefix: prefix.parse().expect("a test prefix"),
            any: false,
            ge,
            le,
            span: Span::default(),
            had_host_bits: false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(p: &str, ge: Option<u8>, le: Option<u8>) -> PrefixListEntry {
        PrefixListEntry::for_test(5, Action::Permit, p, ge, le)
    }

    /// Long lists hold tens of thousands of entries: this size shows in peak memory.
    #[test]
    fn entries_stay_small() {
        assert!(std::mem::size_of::<PrefixListEntry>() <= 40, "PrefixListEntry is {} bytes", std::mem::size_of::<PrefixListEntry>());
    }

    #[test]
    fn exact_length_without_le() {
        let e = entry("192.168.77.0/24", None, None);
        assert!(e.matches(&"192.168.77.0/24".parse().unwrap()));
        assert!(!e.matches(&"192.168.77.128/32".parse().unwrap()));
        let e = entry("192.168.77.0/24", None, Some(32));
        assert!(e.matches(&"192.168.77.128/32".parse().unwrap()));
        assert!(!e.matches(&"192.168.78.1/32".parse().unwrap()));
        let e = entry("0.0.0.0/0", Some(25), None);
        assert!(e.matches(&"10.0.0.0/25".parse().unwrap()));
        assert!(!e.matches(&"10.0.0.0/24".parse().unwrap()));
        assert!(!e.matches(&"::/0".parse().unwrap()));
    }

    #[test]
    fn coverage() {
        let wide = entry("10.0.0.0/8", None, Some(32));
        let narrow = entry("10.1.0.0/16", Some(24), Some(24));
        assert!(wide.covers(&narrow));
        assert!(!narrow.covers(&wide));
        assert!(!entry("10.0.0.0/8", None, None).covers(&narrow));
    }

    #[test]
    fn empty_list_permits_missing_match_denies() {
        let mut pl = PrefixList::new(Afi::Ipv4, "P", Span::default());
        assert_eq!(pl.evaluate(&"1.2.3.4/32".parse().unwrap()), ListVerdict::EmptyPermit);
        pl.entries.push(entry("10.0.0.0/8", None, None));
        assert_eq!(pl.evaluate(&"1.2.3.4/32".parse().unwrap()), ListVerdict::ImplicitDeny);
        assert_eq!(pl.next_seq(), 10);
    }

    #[test]
    fn communities() {
        assert_eq!(Community::parse("65000:1"), Some(Community(65000 << 16 | 1)));
        assert_eq!(Community::parse("1:99999"), None);
        assert_eq!(Community::parse("no-export"), Some(Community::NO_EXPORT));
    }
}
