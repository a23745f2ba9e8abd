//! The typed model of an FRR configuration (lowered from `syntax`), the shape every rule,
//! the policy engine, the cross-checks and the generator share. No serde here.
//!
//! Every value that came from a file keeps the [`Span`] it came from, so that findings can
//! point at it; values the generator creates carry an empty span.

pub mod bgp;
pub mod defaults;
pub mod lists;
pub mod lower;
pub mod refs;
pub mod routemap;
pub mod secret;

pub use bgp::*;
pub use defaults::{Defaults, Profile};
pub use lists::*;
pub use refs::{ObjectKind, Reference, Usage};
pub use routemap::*;
pub use secret::Secret;

use crate::source::{FileId, Span};
use crate::syntax::FrrVersion;
use std::collections::BTreeMap;
use std::fmt;

/// A value and where it was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spanned<T> {
    pub value: T,
    pub span: Span,
}

impl<T> Spanned<T> {
    pub fn new(value: T, span: Span) -> Self {
        Spanned { value, span }
    }
}

/// An autonomous system number (asdot input is converted).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Asn(pub u32);

impl fmt::Display for Asn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Afi {
    Ipv4,
    Ipv6,
}

impl Afi {
    pub fn of(net: &ipnet::IpNet) -> Afi {
        match net {
            ipnet::IpNet::V4(_) => Afi::Ipv4,
            ipnet::IpNet::V6(_) => Afi::Ipv6,
        }
    }

    /// The other family: where a list named for this one may have been defined by mistake.
    pub fn other(self) -> Afi {
        match self {
            Afi::Ipv4 => Afi::Ipv6,
            Afi::Ipv6 => Afi::Ipv4,
        }
    }

    pub fn max_len(self) -> u8 {
        match self {
            Afi::Ipv4 => 32,
            Afi::Ipv6 => 128,
        }
    }

    /// The keyword FRR uses in `ip prefix-list` / `ipv6 prefix-list`.
    pub fn ip_keyword(self) -> &'static str {
        match self {
            Afi::Ipv4 => "ip",
            Afi::Ipv6 => "ipv6",
        }
    }
}

impl fmt::Display for Afi {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Afi::Ipv4 => "ipv4",
            Afi::Ipv6 => "ipv6",
        })
    }
}

/// A BGP address family as FRR names its nodes, in FRR's printing order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum AfiSafi {
    Ipv4Unicast,
    Ipv4Multicast,
    Ipv4LabeledUnicast,
    Ipv4Vpn,
    Ipv4Flowspec,
    Ipv6Unicast,
    Ipv6Multicast,
    Ipv6LabeledUnicast,
    Ipv6Vpn,
    Ipv6Flowspec,
    L2vpnEvpn,
    LinkState,
}

impl AfiSafi {
    pub const ALL: [AfiSafi; 12] = [
        AfiSafi::Ipv4Unicast,
        AfiSafi::Ipv4Multicast,
        AfiSafi::Ipv4LabeledUnicast,
        AfiSafi::Ipv4Vpn,
        AfiSafi::Ipv4Flowspec,
        AfiSafi::Ipv6Unicast,
        AfiSafi::Ipv6Multicast,
        AfiSafi::Ipv6LabeledUnicast,
        AfiSafi::Ipv6Vpn,
        AfiSafi::Ipv6Flowspec,
        AfiSafi::L2vpnEvpn,
        AfiSafi::LinkState,
    ];

    /// The grammar node that holds this family's commands.
    pub fn node_name(self) -> &'static str {
        match self {
            AfiSafi::Ipv4Unicast => "bgp-ipv4-unicast",
            AfiSafi::Ipv4Multicast => "bgp-ipv4-multicast",
            AfiSafi::Ipv4LabeledUnicast => "bgp-ipv4-labeled-unicast",
            AfiSafi::Ipv4Vpn => "bgp-ipv4-vpn",
            AfiSafi::Ipv4Flowspec => "bgp-ipv4-flowspec",
            AfiSafi::Ipv6Unicast => "bgp-ipv6-unicast",
            AfiSafi::Ipv6Multicast => "bgp-ipv6-multicast",
            AfiSafi::Ipv6LabeledUnicast => "bgp-ipv6-labeled-unicast",
            AfiSafi::Ipv6Vpn => "bgp-ipv6-vpn",
            AfiSafi::Ipv6Flowspec => "bgp-ipv6-flowspec",
            AfiSafi::L2vpnEvpn => "bgp-l2vpn-evpn",
            AfiSafi::LinkState => "bgp-link-state",
        }
    }

    pub fn from_node_name(name: &str) -> Option<AfiSafi> {
        AfiSafi::ALL.into_iter().find(|a| a.node_name() == name)
    }

    /// How `show running-config` spells it after `address-family `.
    pub fn keyword(self) -> &'static str {
        match self {
            AfiSafi::Ipv4Unicast => "ipv4 unicast",
            AfiSafi::Ipv4Multicast => "ipv4 multicast",
            AfiSafi::Ipv4LabeledUnicast => "ipv4 labeled-unicast",
            AfiSafi::Ipv4Vpn => "ipv4 vpn",
            AfiSafi::Ipv4Flowspec => "ipv4 flowspec",
            AfiSafi::Ipv6Unicast => "ipv6 unicast",
            AfiSafi::Ipv6Multicast => "ipv6 multicast",
            AfiSafi::Ipv6LabeledUnicast => "ipv6 labeled-unicast",
            AfiSafi::Ipv6Vpn => "ipv6 vpn",
            AfiSafi::Ipv6Flowspec => "ipv6 flowspec",
            AfiSafi::L2vpnEvpn => "l2vpn evpn",
            AfiSafi::LinkState => "link-state link-state",
        }
    }

    /// The IP family of the routes it carries (EVPN and link-state have none).
    pub fn afi(self) -> Option<Afi> {
        use AfiSafi::*;
        match self {
            Ipv4Unicast | Ipv4Multicast | Ipv4LabeledUnicast | Ipv4Vpn | Ipv4Flowspec => Some(Afi::Ipv4),
            Ipv6Unicast | Ipv6Multicast | Ipv6LabeledUnicast | Ipv6Vpn | Ipv6Flowspec => Some(Afi::Ipv6),
            L2vpnEvpn | LinkState => None,
        }
    }

    pub fn unicast(afi: Afi) -> AfiSafi {
        match afi {
            Afi::Ipv4 => AfiSafi::Ipv4Unicast,
            Afi::Ipv6 => AfiSafi::Ipv6Unicast,
        }
    }
}

impl fmt::Display for AfiSafi {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.keyword())
    }
}

/// permit or deny, for every list and route-map entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Action {
    Permit,
    Deny,
}

impl Action {
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Permit => "permit",
            Action::Deny => "deny",
        }
    }
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Direction of a policy attached to a neighbor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Direction {
    In,
    Out,
}

impl fmt::Display for Direction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Direction::In => "in",
            Direction::Out => "out",
        })
    }
}

/// An interface block: its name and the addresses it carries (used to know which
/// addresses a router owns).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Interface {
    pub name: Spanned<String>,
    pub vrf: Option<String>,
    pub addresses: Vec<Spanned<ipnet::IpNet>>,
}

/// One FRR configuration file, lowered.
#[derive(Debug, Clone)]
pub struct Config {
    pub file: FileId,
    /// The FRR version the file was checked against.
    pub version: FrrVersion,
    /// The `frr version` line, if any.
    pub version_line: Option<Spanned<String>>,
    pub profile: Spanned<Profile>,
    pub defaults: Defaults,
    pub hostname: Option<Spanned<String>>,
    pub interfaces: Vec<Interface>,
    pub routers: Vec<BgpRouter>,
    /// Keyed by (family, name): `ip prefix-list X` and `ipv6 prefix-list X` are different lists.
    pub prefix_lists: BTreeMap<(Afi, String), PrefixList>,
    pub access_lists: BTreeMap<(Afi, String), AccessList>,
    pub route_maps: BTreeMap<String, RouteMap>,
    pub community_lists: BTreeMap<String, CommunityList>,
    pub large_community_lists: BTreeMap<String, CommunityList>,
    pub ext_community_lists: BTreeMap<String, CommunityList>,
    pub as_path_lists: BTreeMap<String, AsPathList>,
    /// Every use of a named object, in file order.
    pub references: Vec<Reference>,
    /// Definitions that were written more than once in a way FRR merges or replaces
    /// (kept for `duplicate-definition`).
    pub duplicates: Vec<Duplicate>,
    /// Commands that were matched by the grammar but are not modelled: their line
    /// numbers, so nothing is lost.
    pub unmodelled: Vec<u32>,
    /// Variable words of the unmodelled commands: a name used there (by zebra, another
    /// daemon's block, …) counts as used.
    pub unmodelled_words: std::collections::BTreeSet<String>,
    /// `! frrlint: ignore[rule, …]` comments: the line they apply to and the rules named.
    pub suppressions: Vec<Suppression>,
    /// What the grammar engine found wrong with lines.
    pub syntax_issues: Vec<crate::syntax::SyntaxIssue>,
    /// What lowering found that FRR's daemon rejects or changes.
    pub lower_issues: Vec<lower::LowerIssue>,
    /// Lines checked against the grammar vs. kept verbatim in unchecked blocks.
    pub stats: crate::syntax::Stats,
}

impl Config {
    /// Parse and lower one file: the front end every caller uses.
    pub fn from_source(file_id: FileId, file: &crate::source::SourceFile, opts: &crate::syntax::ParseOptions) -> Config {
        let (mut cfg, issues, walked) = lower::parse_and_lower(file_id, file, opts);
        cfg.lower_issues = issues;
        cfg.stats = walked.stats;
        cfg.syntax_issues = walked.issues;
        cfg
    }

    pub fn empty(file: FileId, version: FrrVersion) -> Config {
        Config {
            file,
            version,
            version_line: None,
            profile: Spanned::new(Profile::Traditional, Span::default()),
            defaults: Defaults::for_version(version, Profile::Traditional),
            hostname: None,
            interfaces: Vec::new(),
            routers: Vec::new(),
            prefix_lists: BTreeMap::new(),
            access_lists: BTreeMap::new(),
            route_maps: BTreeMap::new(),
            community_lists: BTreeMap::new(),
            large_community_lists: BTreeMap::new(),
            ext_community_lists: BTreeMap::new(),
            as_path_lists: BTreeMap::new(),
            references: Vec::new(),
            duplicates: Vec::new(),
            unmodelled: Vec::new(),
            unmodelled_words: Default::default(),
            suppressions: Vec::new(),
            syntax_issues: Vec::new(),
            lower_issues: Vec::new(),
            stats: Default::default(),
        }
    }

    pub fn prefix_list(&self, afi: Afi, name: &str) -> Option<&PrefixList> {
        self.prefix_lists.get(&(afi, name.to_string()))
    }

    /// Every address this router's configuration says it owns: router-ids, interface
    /// addresses, update-source addresses.
    pub fn owned_addresses(&self) -> Vec<Spanned<std::net::IpAddr>> {
        let mut v = Vec::new();
        for r in &self.routers {
            if let Some(id) = &r.router_id {
                v.push(Spanned::new(std::net::IpAddr::V4(id.value), id.span));
            }
            for n in r.neighbors.iter().map(|n| &n.settings).chain(r.peer_groups.values().map(|g| &g.settings)) {
                if let Some(Spanned { value: UpdateSource::Address(a), span }) = &n.update_source {
                    v.push(Spanned::new(*a, *span));
                }
            }
        }
        for i in &self.interfaces {
            for a in &i.addresses {
                v.push(Spanned::new(a.value.addr(), a.span));
            }
        }
        v.sort_by(|a, b| a.value.cmp(&b.value));
        v.dedup_by(|a, b| a.value == b.value);
        v
    }
}

/// A definition repeated in a way FRR silently merges, replaces or ignores.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Duplicate {
    pub kind: ObjectKind,
    pub name: String,
    /// The later line.
    pub span: Span,
    /// The earlier line it collides with.
    pub first: Span,
    pub what: DuplicateKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DuplicateKind {
    /// Same entry written twice: FRR keeps one.
    IgnoredRepeat,
    /// Same sequence number with different content: the later line replaces the earlier.
    ReplacedSeq,
    /// Same route-map name and sequence: the entry is reopened (action may change).
    ReopenedEntry,
    /// A second `match`/`set` of the same kind in one route-map entry: the last one wins.
    ReplacedStatement,
    /// A neighbor or peer-group declared twice.
    Redeclared,
}

/// An inline suppression comment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suppression {
    /// The comment itself.
    pub span: Span,
    /// The next command line, which it applies to.
    pub target: Span,
    /// Rule names or codes; empty means every rule.
    pub rules: Vec<String>,
}
