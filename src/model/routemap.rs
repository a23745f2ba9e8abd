//! Route-maps: entries by sequence, their match and set statements, `call`, `on-match`.
//! Within an entry each match or set *kind* appears at most once: FRR replaces an earlier
//! statement of the same kind (notes L9), so the model keeps only the last one.

use super::{Action, Afi, Asn, Community, Spanned};
use crate::source::Span;
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::net::IpAddr;
use std::sync::Arc;

/// A `match` statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MatchKind {
    /// `match ip|ipv6 address prefix-list NAME`.
    PrefixList { afi: Afi, name: Arc<str> },
    /// `match ip|ipv6 address ACL`.
    AccessList { afi: Afi, name: Arc<str> },
    /// `match ip|ipv6 next-hop prefix-list NAME`.
    NextHopPrefixList { afi: Afi, name: Arc<str> },
    /// `match ip next-hop address A.B.C.D` and similar.
    NextHopAddress(IpAddr),
    /// `match community NAME [exact-match|any]`.
    Community { list: Arc<str>, exact: bool, any: bool },
    LargeCommunity { list: Arc<str>, exact: bool },
    ExtCommunity { list: Arc<str> },
    /// `match as-path NAME`.
    AsPath(Arc<str>),
    Metric(u32),
    LocalPreference(u32),
    Tag(u32),
    Origin(Origin),
    /// `match peer ADDRESS|IFNAME|local`.
    Peer(String),
    SourceProtocol(String),
    /// A match FRR accepts that the model does not evaluate; the keyword skeleton.
    Other(String),
}

impl MatchKind {
    /// The list the match names, if it names one.
    pub fn name(&self) -> Option<&Arc<str>> {
        match self {
            MatchKind::PrefixList { name, .. } | MatchKind::AccessList { name, .. } | MatchKind::NextHopPrefixList { name, .. } | MatchKind::AsPath(name) => Some(name),
            MatchKind::Community { list, .. } | MatchKind::LargeCommunity { list, .. } | MatchKind::ExtCommunity { list } => Some(list),
            _ => None,
        }
    }

    /// The key FRR uses to keep one statement per kind (compared for every statement a
    /// route-map entry gets, so not built unless the kind is unknown).
    pub fn slot(&self) -> Cow<'static, str> {
        match self {
            MatchKind::PrefixList { afi: Afi::Ipv4, .. } => "ipv4 address prefix-list".into(),
            MatchKind::PrefixList { afi: Afi::Ipv6, .. } => "ipv6 address prefix-list".into(),
            MatchKind::AccessList { afi: Afi::Ipv4, .. } => "ipv4 address".into(),
            MatchKind::AccessList { afi: Afi::Ipv6, .. } => "ipv6 address".into(),
            MatchKind::NextHopPrefixList { afi: Afi::Ipv4, .. } => "ipv4 next-hop prefix-list".into(),
            MatchKind::NextHopPrefixList { afi: Afi::Ipv6, .. } => "ipv6 next-hop prefix-list".into(),
            MatchKind::NextHopAddress(_) => "next-hop address".into(),
            MatchKind::Community { .. } => "community".into(),
            MatchKind::LargeCommunity { .. } => "large-community".into(),
            MatchKind::ExtCommunity { .. } => "extcommunity".into(),
            MatchKind::AsPath(_) => "as-path".into(),
            MatchKind::Metric(_) => "metric".into(),
            MatchKind::LocalPreference(_) => "local-preference".into(),
            MatchKind::Tag(_) => "tag".into(),
            MatchKind::Origin(_) => "origin".into(),
            MatchKind::Peer(_) => "peer".into(),
            MatchKind::SourceProtocol(_) => "source-protocol".into(),
            MatchKind::Other(s) => s.clone().into(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Origin {
    Igp,
    Egp,
    Incomplete,
}

/// `set local-preference|metric|weight` value forms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SetValue {
    Absolute(u32),
    Add(u32),
    Subtract(u32),
}

/// A `set` statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SetKind {
    LocalPreference(SetValue),
    Metric(SetValue),
    Weight(u32),
    /// `set community VALUES [additive]` / `set community none`.
    Community { values: Vec<Community>, additive: bool, none: bool },
    AsPathPrepend(Vec<Asn>),
    Origin(Origin),
    NextHop(String),
    /// A set FRR accepts that the model does not evaluate; the keyword skeleton.
    Other(String),
}

impl SetKind {
    /// As [`MatchKind::slot`].
    pub fn slot(&self) -> Cow<'static, str> {
        match self {
            SetKind::LocalPreference(_) => "local-preference".into(),
            SetKind::Metric(_) => "metric".into(),
            SetKind::Weight(_) => "weight".into(),
            SetKind::Community { .. } => "community".into(),
            SetKind::AsPathPrepend(_) => "as-path prepend".into(),
            SetKind::Origin(_) => "origin".into(),
            SetKind::NextHop(_) => "next-hop".into(),
            SetKind::Other(s) => s.clone().into(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MatchStmt {
    pub kind: MatchKind,
    pub span: Span,
    /// The referenced name's span, where the statement names an object.
    pub name_span: Option<Span>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SetStmt {
    pub kind: SetKind,
    pub span: Span,
}

/// What happens after a permit entry matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OnMatch {
    /// `on-match next`: go on with the next entry.
    Next,
    /// `on-match goto N` / `continue N`: go on at the first entry with seq >= N.
    Goto(u16),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RouteMapEntry {
    pub seq: u16,
    pub action: Action,
    /// The `route-map NAME ACTION SEQ` line (the first one, if reopened).
    pub span: Span,
    pub description: Option<Spanned<String>>,
    pub matches: Vec<MatchStmt>,
    pub sets: Vec<SetStmt>,
    pub call: Option<Spanned<String>>,
    pub on_match: Option<Spanned<OnMatch>>,
}

impl RouteMapEntry {
    pub fn new(seq: u16, action: Action, span: Span) -> Self {
        RouteMapEntry { seq, action, span, description: None, matches: Vec::new(), sets: Vec::new(), call: None, on_match: None }
    }

    /// An entry without match clauses matches every route.
    pub fn matches_everything(&self) -> bool {
        self.matches.is_empty()
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RouteMap {
    pub name: String,
    pub entries: BTreeMap<u16, RouteMapEntry>,
    /// The first header line's name word.
    pub span: Span,
}

impl RouteMap {
    pub fn new(name: impl Into<String>, span: Span) -> Self {
        RouteMap { name: name.into(), entries: BTreeMap::new(), span }
    }
}
