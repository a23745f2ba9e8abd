//! Named objects and their uses: what `undefined-reference`, `unused-definition` and the
//! policy engine need to know about who refers to what.

use super::{Afi, AfiSafi, Direction};
use crate::source::Span;
use std::fmt;
use std::sync::Arc;

/// The kinds of named objects a configuration can define and refer to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ObjectKind {
    PrefixList(Afi),
    AccessList(Afi),
    RouteMap,
    CommunityList,
    LargeCommunityList,
    ExtCommunityList,
    AsPathList,
    PeerGroup,
}

impl ObjectKind {
    /// Every kind, in the order findings list them.
    pub const ALL: [ObjectKind; 10] = [
        ObjectKind::PrefixList(Afi::Ipv4),
        ObjectKind::PrefixList(Afi::Ipv6),
        ObjectKind::AccessList(Afi::Ipv4),
        ObjectKind::AccessList(Afi::Ipv6),
        ObjectKind::RouteMap,
        ObjectKind::CommunityList,
        ObjectKind::LargeCommunityList,
        ObjectKind::ExtCommunityList,
        ObjectKind::AsPathList,
        ObjectKind::PeerGroup,
    ];

    /// How FRR's commands name it.
    pub fn describe(self) -> &'static str {
        match self {
            ObjectKind::PrefixList(Afi::Ipv4) => "ip prefix-list",
            ObjectKind::PrefixList(Afi::Ipv6) => "ipv6 prefix-list",
            ObjectKind::AccessList(Afi::Ipv4) => "access-list",
            ObjectKind::AccessList(Afi::Ipv6) => "ipv6 access-list",
            ObjectKind::RouteMap => "route-map",
            ObjectKind::CommunityList => "bgp community-list",
            ObjectKind::LargeCommunityList => "bgp large-community-list",
            ObjectKind::ExtCommunityList => "bgp extcommunity-list",
            ObjectKind::AsPathList => "bgp as-path access-list",
            ObjectKind::PeerGroup => "peer-group",
        }
    }
}

impl fmt::Display for ObjectKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.describe())
    }
}

/// Where a reference was made; decides what FRR does when the object is missing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Usage {
    /// `neighbor X route-map|prefix-list|filter-list|distribute-list NAME in|out`: a missing
    /// object denies every route in that direction.
    NeighborPolicy { peer: Arc<str>, direction: Direction, afs: AfiSafi },
    /// `neighbor X unsuppress-map|advertise-map|default-originate route-map …`.
    NeighborOther { peer: Arc<str> },
    /// `match … NAME` in a route-map entry: a missing object never matches.
    RouteMapMatch { map: Arc<str>, seq: u16 },
    /// `call NAME` in a route-map entry: a missing map is skipped (treated as permit).
    RouteMapCall { map: Arc<str>, seq: u16 },
    /// `set comm-list NAME delete` and similar.
    RouteMapSet { map: Arc<str>, seq: u16 },
    /// `redistribute … route-map`, `network … route-map`, `table-map`, `aggregate-address …
    /// route-map`: a missing map denies.
    Origination,
    /// `neighbor X peer-group NAME`, `bgp listen range … peer-group NAME`.
    PeerGroupMember { peer: Arc<str> },
    /// Any other place (zebra, import/export vrf route-map, …).
    Other,
}

/// One use of a named object. Names are shared (`Arc<str>`): a large configuration names
/// a few hundred objects tens of thousands of times, and a copy per use was most of
/// lowering's allocations.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    pub kind: ObjectKind,
    pub name: Arc<str>,
    /// The name as written.
    pub span: Span,
    pub usage: Usage,
}

#[cfg(test)]
mod tests {
    use super::Reference;

    /// A large configuration makes tens of thousands of references: this size shows in
    /// peak memory.
    #[test]
    fn references_stay_small() {
        assert!(std::mem::size_of::<Reference>() <= 56, "Reference is {} bytes", std::mem::size_of::<Reference>());
    }
}
