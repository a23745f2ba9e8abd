//! A `model::Config` printed exactly as FRR's vtysh prints `show running-config` for the
//! config's FRR version (../shared/notes/frr-config.md §6): the `frr version`/`frr defaults`
//! header and global lines, then the sections in the CLI node order of that version, each
//! block closed by `exit` and `!`, the `router bgp` body in `bgp_config_write` order
//! (peer-groups by name, neighbors in `peer_cmp` order, per-neighbor lines in
//! `bgp_config_write_peer_global` order, address-families with ` !` and
//! ` exit-address-family`), prefix-lists with explicit `seq` and `ge` before `le`, route-map
//! statement lines sorted byte-wise as vtysh does, and `end`. Only non-default values print.
//!
//! This is the only place the generator formats FRR text. It prints the parts of the model
//! the generator produces; anything else is refused with [`EmitError`] rather than dropped.

use crate::model::{
    AfFlag, AfiSafi, BgpRouter, Community, Config, Direction, MatchKind, Neighbor, OnMatch, Origin, PeerAf, PeerId,
    PeerSettings, PolicySlot, PrefixList, RouteMap, RouteMapEntry, SetKind, SetValue, UpdateSource,
};
use crate::syntax::FrrVersion;
use std::fmt::Write;

/// A part of the model this printer does not know how to print.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EmitError {
    #[error("the FRR printer does not support {0}")]
    Unsupported(String),
}

type Result<T> = std::result::Result<T, EmitError>;

fn unsupported<T>(what: impl Into<String>) -> Result<T> {
    Err(EmitError::Unsupported(what.into()))
}

/// Print a whole configuration.
pub fn emit(cfg: &Config) -> Result<String> {
    refuse_unprintable(cfg)?;
    let mut out = String::with_capacity(4096 + 160 * cfg.routers.iter().map(|r| r.neighbors.len()).sum::<usize>());
    let version = cfg.version_line.as_ref().map_or_else(|| cfg.version.to_string(), |v| v.value.clone());
    let _ = writeln!(out, "frr version {version}");
    let _ = writeln!(out, "frr defaults {}", cfg.profile.value);
    if let Some(h) = &cfg.hostname {
        let _ = writeln!(out, "hostname {}", h.value);
    }
    out.push_str("!\n");
    // Node order: prefix-lists moved before everything in 10.0, route-maps after them in 10.3.
    let lists_first = cfg.version >= FrrVersion::new(10, 0);
    let maps_first = cfg.version >= FrrVersion::new(10, 3);
    if lists_first {
        prefix_lists(&mut out, cfg);
    }
    if maps_first {
        route_maps(&mut out, cfg)?;
    }
    for r in &cfg.routers {
        router(&mut out, cfg, r)?;
    }
    if !lists_first {
        prefix_lists(&mut out, cfg);
    }
    if !maps_first {
        route_maps(&mut out, cfg)?;
    }
    out.push_str("end\n");
    Ok(out)
}

fn refuse_unprintable(cfg: &Config) -> Result<()> {
    let parts = [
        (!cfg.interfaces.is_empty(), "interface blocks"),
        (!cfg.access_lists.is_empty(), "access-lists"),
        (!cfg.community_lists.is_empty(), "community-lists"),
        (!cfg.large_community_lists.is_empty(), "large-community-lists"),
        (!cfg.ext_community_lists.is_empty(), "extcommunity-lists"),
        (!cfg.as_path_lists.is_empty(), "as-path access-lists"),
    ];
    match parts.iter().find(|(present, _)| *present) {
        Some((_, what)) => unsupported(*what),
        None => Ok(()),
    }
}

fn router(out: &mut String, cfg: &Config, r: &BgpRouter) -> Result<()> {
    let Some(asn) = &r.asn else { return unsupported("`router bgp` without an AS number") };
    let _ = write!(out, "router bgp {}", asn.value);
    if let Some(v) = &r.vrf {
        let _ = write!(out, " vrf {v}");
    } else if let Some(v) = &r.view {
        let _ = write!(out, " view {v}");
    }
    out.push('\n');
    let d = &cfg.defaults;
    if let Some(id) = &r.router_id {
        let _ = writeln!(out, " bgp router-id {}", id.value);
    }
    if let Some(v) = r.ebgp_requires_policy.as_ref().filter(|v| v.value != d.ebgp_requires_policy) {
        let _ = writeln!(out, " {}bgp ebgp-requires-policy", no(v.value));
    }
    if let Some(v) = r.default_ipv4_unicast.as_ref().filter(|v| v.value != d.default_ipv4_unicast) {
        let _ = writeln!(out, " {}bgp default ipv4-unicast", no(v.value));
    }
    if let Some(v) = r.network_import_check.as_ref().filter(|v| v.value != d.network_import_check) {
        let _ = writeln!(out, " {}bgp network import-check", no(v.value));
    }
    if let Some(t) = &r.timers {
        let _ = writeln!(out, " timers bgp {} {}", t.value.keepalive, t.value.hold);
    }
    for g in r.peer_groups.values() {
        let _ = writeln!(out, " neighbor {} peer-group", g.name);
        peer_global(out, &g.name, &g.settings, true);
    }
    let neighbors = peer_order(&r.neighbors);
    for n in &neighbors {
        let name = n.id.to_string();
        match (&n.id, &n.group) {
            (PeerId::Interface(_), Some(g)) => {
                let _ = writeln!(out, " neighbor {name} interface peer-group {}", g.value);
            }
            (PeerId::Interface(_), None) => {
                let _ = write!(out, " neighbor {name} interface");
                if let Some(ra) = &n.settings.remote_as {
                    let _ = write!(out, " remote-as {}", ra.value);
                }
                out.push('\n');
            }
            (PeerId::Address(_), Some(g)) => {
                // A member's own remote-as (the group has none) prints before its group.
                if let Some(ra) = &n.settings.remote_as {
                    let _ = writeln!(out, " neighbor {name} remote-as {}", ra.value);
                }
                let _ = writeln!(out, " neighbor {name} peer-group {}", g.value);
            }
            (PeerId::Address(_), None) => match &n.settings.remote_as {
                Some(ra) => {
                    let _ = writeln!(out, " neighbor {name} remote-as {}", ra.value);
                }
                None => return unsupported(format!("neighbor {name} without remote-as or peer-group")),
            },
        }
        peer_global(out, &name, &n.settings, false);
    }
    for l in &r.listen_ranges {
        let _ = writeln!(out, " bgp listen range {} peer-group {}", l.range.value, l.group.value);
    }
    for afs in AfiSafi::ALL {
        address_family(out, cfg, r, &neighbors, afs)?;
    }
    out.push_str("exit\n!\n");
    Ok(())
}

fn no(on: bool) -> &'static str {
    if on {
        ""
    } else {
        "no "
    }
}

/// FRR's `peer_cmp`: peer-group members first (by group name), then the rest; within each,
/// interface peers before addresses, IPv4 before IPv6, numerically.
fn peer_order(neighbors: &[Neighbor]) -> Vec<&Neighbor> {
    let mut v: Vec<&Neighbor> = neighbors.iter().collect();
    fn key(n: &Neighbor) -> (bool, &str, bool) {
        let group = n.group.as_ref().map(|g| g.value.as_str());
        (group.is_none(), group.unwrap_or(""), matches!(n.id, PeerId::Address(_)))
    }
    v.sort_by(|a, b| {
        key(a).cmp(&key(b)).then_with(|| match (&a.id, &b.id) {
            (PeerId::Address(x), PeerId::Address(y)) => x.cmp(y),
            (PeerId::Interface(x), PeerId::Interface(y)) => natural(x, y),
            _ => std::cmp::Ordering::Equal,
        })
    });
    v
}

/// Interface names compared with their digit runs as numbers (`eth2` < `eth10`).
fn natural(a: &str, b: &str) -> std::cmp::Ordering {
    let split = |s: &str| -> Vec<(String, u64)> {
        let mut parts = Vec::new();
        let mut text = String::new();
        let mut digits = String::new();
        for c in s.chars() {
            if c.is_ascii_digit() {
                digits.push(c);
            } else {
                if !digits.is_empty() {
                    parts.push((std::mem::take(&mut text), digits.parse().unwrap_or(u64::MAX)));
                    digits.clear();
                }
                text.push(c);
            }
        }
        parts.push((text, digits.parse().unwrap_or(0)));
        parts
    };
    split(a).cmp(&split(b)).then_with(|| a.cmp(b))
}

/// A peer's session-level lines, in `bgp_config_write_peer_global` order (after the
/// declaration, which the caller prints).
fn peer_global(out: &mut String, name: &str, s: &PeerSettings, is_group: bool) {
    let mut line = |text: std::fmt::Arguments<'_>| {
        let _ = writeln!(out, " neighbor {name} {text}");
    };
    if is_group {
        if let Some(ra) = &s.remote_as {
            line(format_args!("remote-as {}", ra.value));
        }
    }
    if let Some(a) = &s.local_as {
        line(format_args!("local-as {}", a.value));
    }
    if let Some(d) = &s.description {
        line(format_args!("description {}", d.value));
    }
    if s.shutdown.is_some() {
        line(format_args!("shutdown"));
    }
    if s.bfd.is_some() {
        line(format_args!("bfd"));
    }
    if let Some(p) = &s.password {
        line(format_args!("password {}", p.value.expose()));
    }
    if let Some(p) = &s.port {
        line(format_args!("port {}", p.value));
    }
    if s.passive.is_some() {
        line(format_args!("passive"));
    }
    if let Some(h) = &s.ebgp_multihop {
        line(format_args!("ebgp-multihop {}", h.value));
    }
    if let Some(h) = &s.ttl_security {
        line(format_args!("ttl-security hops {}", h.value));
    }
    if s.disable_connected_check.is_some() {
        line(format_args!("disable-connected-check"));
    }
    if let Some(u) = &s.update_source {
        match &u.value {
            UpdateSource::Address(a) => line(format_args!("update-source {a}")),
            UpdateSource::Interface(i) => line(format_args!("update-source {i}")),
        }
    }
    if let Some(t) = &s.timers {
        line(format_args!("timers {} {}", t.value.keepalive, t.value.hold));
    }
    if let Some(c) = &s.connect_retry {
        line(format_args!("timers connect {}", c.value));
    }
    if s.capability_extended_nexthop.is_some() {
        line(format_args!("capability extended-nexthop"));
    }
}

fn address_family(out: &mut String, cfg: &Config, r: &BgpRouter, neighbors: &[&Neighbor], afs: AfiSafi) -> Result<()> {
    let mut body = String::new();
    if let Some(af) = r.afs.get(&afs) {
        let mut networks: Vec<_> = af.networks.iter().collect();
        networks.sort_by_key(|n| (n.prefix.value.network(), n.prefix.value.prefix_len()));
        for n in networks {
            let _ = write!(body, "  network {}", n.prefix.value);
            if let Some(rm) = &n.route_map {
                let _ = write!(body, " route-map {}", rm.value);
            }
            body.push('\n');
        }
        let mut aggregates: Vec<_> = af.aggregates.iter().map(|a| a.value).collect();
        aggregates.sort_by_key(|n| (n.network(), n.prefix_len()));
        for a in aggregates {
            let _ = writeln!(body, "  aggregate-address {a}");
        }
        let mut redistribute: Vec<_> = af.redistribute.iter().collect();
        redistribute.sort_by_key(|r| route_type_rank(&r.protocol.value));
        for rd in redistribute {
            if route_type_rank(&rd.protocol.value) == usize::MAX {
                return unsupported(format!("redistribute {}", rd.protocol.value));
            }
            let _ = write!(body, "  redistribute {}", rd.protocol.value);
            if let Some(m) = rd.metric {
                let _ = write!(body, " metric {m}");
            }
            if let Some(rm) = &rd.route_map {
                let _ = write!(body, " route-map {}", rm.value);
            }
            body.push('\n');
        }
    }
    let default_v4 = r.default_ipv4_unicast.as_ref().map_or(cfg.defaults.default_ipv4_unicast, |v| v.value);
    for g in r.peer_groups.values() {
        if let Some(af) = g.settings.af.get(&afs) {
            peer_af(&mut body, &g.name, af, afs, default_v4);
        }
    }
    for n in neighbors {
        if let Some(af) = n.settings.af.get(&afs) {
            peer_af(&mut body, &n.id.to_string(), af, afs, default_v4);
        }
    }
    if !body.is_empty() {
        let _ = writeln!(out, " !\n address-family {}", afs.keyword());
        out.push_str(&body);
        out.push_str(" exit-address-family\n");
    }
    Ok(())
}

/// Zebra's route-type order, in which `redistribute` lines print.
fn route_type_rank(protocol: &str) -> usize {
    const ORDER: &[&str] = &[
        "kernel",
        "connected",
        "local",
        "static",
        "rip",
        "ripng",
        "ospf",
        "ospf6",
        "isis",
        "bgp",
        "pim",
        "eigrp",
        "nhrp",
        "hsls",
        "olsr",
        "table",
        "ldp",
        "vnc",
        "vnc-direct",
        "babel",
        "sharp",
        "pbr",
        "bfd",
        "openfabric",
        "vrrp",
        "table-direct",
    ];
    ORDER.iter().position(|p| *p == protocol).unwrap_or(usize::MAX)
}

/// A peer's lines in one address-family, in `bgp_config_write_peer_af` order.
fn peer_af(out: &mut String, name: &str, af: &PeerAf, afs: AfiSafi, default_v4: bool) {
    // With `bgp default ipv4-unicast` on, ipv4 unicast activation is the default and only
    // a deactivation prints.
    let implicit = afs == AfiSafi::Ipv4Unicast && default_v4;
    match af.activate.as_ref().map(|a| a.value) {
        Some(true) if !implicit => {
            let _ = writeln!(out, "  neighbor {name} activate");
        }
        Some(false) if implicit => {
            let _ = writeln!(out, "  no neighbor {name} activate");
        }
        _ => {}
    }
    let mut line = |text: std::fmt::Arguments<'_>| {
        let _ = writeln!(out, "  neighbor {name} {text}");
    };
    let flags = [
        (AfFlag::RouteReflectorClient, "route-reflector-client"),
        (AfFlag::NextHopSelf, "next-hop-self"),
        (AfFlag::RemovePrivateAs, "remove-private-AS"),
        (AfFlag::AsOverride, "as-override"),
        (AfFlag::DefaultOriginate, "default-originate"),
        (AfFlag::SoftReconfigurationInbound, "soft-reconfiguration inbound"),
    ];
    for (_, text) in flags.iter().filter(|(f, _)| af.flag(*f).is_some()) {
        line(format_args!("{text}"));
    }
    if let Some(m) = &af.maximum_prefix {
        line(format_args!("maximum-prefix {}", m.value));
    }
    if af.flag(AfFlag::AllowasIn).is_some() {
        line(format_args!("allowas-in"));
    }
    if let Some(w) = &af.weight {
        line(format_args!("weight {}", w.value));
    }
    let filters = [
        (PolicySlot::DistributeList(Direction::In), "distribute-list"),
        (PolicySlot::DistributeList(Direction::Out), "distribute-list"),
        (PolicySlot::PrefixList(Direction::In), "prefix-list"),
        (PolicySlot::PrefixList(Direction::Out), "prefix-list"),
        (PolicySlot::RouteMap(Direction::In), "route-map"),
        (PolicySlot::RouteMap(Direction::Out), "route-map"),
    ];
    for (slot, what) in filters {
        if let Some(v) = af.policy(slot) {
            line(format_args!("{what} {} {}", v.value, slot.direction()));
        }
    }
    if let Some(u) = af.unsuppress_map() {
        line(format_args!("unsuppress-map {}", u.value));
    }
    for dir in [Direction::In, Direction::Out] {
        if let Some(v) = af.filter_list(dir) {
            line(format_args!("filter-list {} {dir}", v.value));
        }
    }
}

/// `ip prefix-list` lines as one group, then `ipv6 prefix-list` lines as another, each
/// followed by one `!`.
fn prefix_lists(out: &mut String, cfg: &Config) {
    for afi in [crate::model::Afi::Ipv4, crate::model::Afi::Ipv6] {
        let lists: Vec<&PrefixList> = cfg.prefix_lists.values().filter(|p| p.afi == afi).collect();
        if lists.is_empty() {
            continue;
        }
        for pl in lists {
            prefix_list(out, pl);
        }
        out.push_str("!\n");
    }
}

fn prefix_list(out: &mut String, pl: &PrefixList) {
    let kw = pl.afi.ip_keyword();
    if let Some(d) = &pl.description {
        let _ = writeln!(out, "{kw} prefix-list {} description {}", pl.name, d.value);
    }
    let mut entries: Vec<_> = pl.entries.iter().collect();
    entries.sort_by_key(|e| e.seq);
    for e in entries {
        let _ = write!(out, "{kw} prefix-list {} seq {} {} ", pl.name, e.seq, e.action);
        if e.any {
            out.push_str("any");
        } else {
            let _ = write!(out, "{}", e.prefix.trunc());
            if let Some(ge) = e.ge {
                let _ = write!(out, " ge {ge}");
            }
            if let Some(le) = e.le {
                let _ = write!(out, " le {le}");
            }
        }
        out.push('\n');
    }
}

fn route_maps(out: &mut String, cfg: &Config) -> Result<()> {
    for rm in cfg.route_maps.values() {
        route_map(out, rm)?;
    }
    Ok(())
}

fn route_map(out: &mut String, rm: &RouteMap) -> Result<()> {
    for e in rm.entries.values() {
        let _ = writeln!(out, "route-map {} {} {}", rm.name, e.action, e.seq);
        // vtysh sorts a route-map entry's lines with strcmp and drops repeats.
        let mut lines = statements(e)?;
        lines.sort();
        lines.dedup();
        for l in lines {
            let _ = writeln!(out, " {l}");
        }
        out.push_str("exit\n!\n");
    }
    Ok(())
}

fn statements(e: &RouteMapEntry) -> Result<Vec<String>> {
    let mut v = Vec::new();
    if let Some(d) = &e.description {
        v.push(format!("description {}", d.value));
    }
    if let Some(c) = &e.call {
        v.push(format!("call {}", c.value));
    }
    match e.on_match.as_ref().map(|o| o.value) {
        Some(OnMatch::Next) => v.push("on-match next".into()),
        Some(OnMatch::Goto(n)) => v.push(format!("on-match goto {n}")),
        None => {}
    }
    for m in &e.matches {
        v.push(match_line(&m.kind)?);
    }
    for s in &e.sets {
        v.push(set_line(&s.kind)?);
    }
    Ok(v)
}

fn match_line(m: &MatchKind) -> Result<String> {
    Ok(match m {
        MatchKind::PrefixList { afi, name } => format!("match {} address prefix-list {name}", afi.ip_keyword()),
        MatchKind::AccessList { afi, name } => format!("match {} address {name}", afi.ip_keyword()),
        MatchKind::NextHopPrefixList { afi, name } => format!("match {} next-hop prefix-list {name}", afi.ip_keyword()),
        MatchKind::Community { list, exact, any } => {
            format!(
                "match community {list}{}{}",
                if *exact { " exact-match" } else { "" },
                if *any { " any" } else { "" }
            )
        }
        MatchKind::LargeCommunity { list, exact } => {
            format!("match large-community {list}{}", if *exact { " exact-match" } else { "" })
        }
        MatchKind::ExtCommunity { list } => format!("match extcommunity {list}"),
        MatchKind::AsPath(n) => format!("match as-path {n}"),
        MatchKind::Metric(n) => format!("match metric {n}"),
        MatchKind::LocalPreference(n) => format!("match local-preference {n}"),
        MatchKind::Tag(n) => format!("match tag {n}"),
        MatchKind::Origin(o) => format!("match origin {}", origin(*o)),
        MatchKind::Peer(p) => format!("match peer {p}"),
        MatchKind::SourceProtocol(p) => format!("match source-protocol {p}"),
        MatchKind::NextHopAddress(_) | MatchKind::Other(_) => return unsupported(format!("route-map {m:?}")),
    })
}

fn set_line(s: &SetKind) -> Result<String> {
    let value = |v: &SetValue| match v {
        SetValue::Absolute(n) => n.to_string(),
        SetValue::Add(n) => format!("+{n}"),
        SetValue::Subtract(n) => format!("-{n}"),
    };
    Ok(match s {
        SetKind::LocalPreference(v) => format!("set local-preference {}", value(v)),
        SetKind::Metric(v) => format!("set metric {}", value(v)),
        SetKind::Weight(n) => format!("set weight {n}"),
        SetKind::Community { none: true, .. } => "set community none".into(),
        SetKind::Community { values, additive, .. } => {
            // FRR keeps communities sorted by value and names the well-known ones.
            let mut vals = values.clone();
            vals.sort();
            vals.dedup();
            let words: Vec<String> = vals.iter().map(|c| community(*c)).collect();
            format!("set community {}{}", words.join(" "), if *additive { " additive" } else { "" })
        }
        SetKind::AsPathPrepend(asns) => {
            format!("set as-path prepend {}", asns.iter().map(ToString::to_string).collect::<Vec<_>>().join(" "))
        }
        SetKind::Origin(o) => format!("set origin {}", origin(*o)),
        SetKind::NextHop(_) | SetKind::Other(_) => return unsupported(format!("route-map {s:?}")),
    })
}

fn origin(o: Origin) -> &'static str {
    match o {
        Origin::Igp => "igp",
        Origin::Egp => "egp",
        Origin::Incomplete => "incomplete",
    }
}

/// A community as FRR's `community_str` writes it.
fn community(c: Community) -> String {
    match c.0 {
        0xFFFF_0000 => "graceful-shutdown".into(),
        0xFFFF_0001 => "accept-own".into(),
        0xFFFF_0002 => "route-filter-translated-v4".into(),
        0xFFFF_0003 => "route-filter-v4".into(),
        0xFFFF_0004 => "route-filter-translated-v6".into(),
        0xFFFF_0005 => "route-filter-v6".into(),
        0xFFFF_0006 => "llgr-stale".into(),
        0xFFFF_0007 => "no-llgr".into(),
        0xFFFF_0008 => "accept-own-nexthop".into(),
        0xFFFF_029A => "blackhole".into(),
        0xFFFF_FF01 => "no-export".into(),
        0xFFFF_FF02 => "no-advertise".into(),
        0xFFFF_FF03 => "local-AS".into(),
        0xFFFF_FF04 => "no-peer".into(),
        _ => c.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{
        Action, Afi, Asn, Interface, MatchStmt, Neighbor, PeerAf, PeerSettings, PrefixList, PrefixListEntry, RemoteAs,
        RouteMapEntry, SetStmt, Spanned,
    };
    use crate::source::{FileId, Span};

    fn s<T>(v: T) -> Spanned<T> {
        Spanned::new(v, Span::default())
    }

    /// One router with one neighbor, one prefix-list and one route-map.
    fn config(version: FrrVersion) -> Config {
        let mut cfg = Config::empty(FileId(0), version);
        cfg.hostname = Some(s("r1".into()));
        let mut r = BgpRouter::new(Span::default());
        r.asn = Some(s(Asn(65001)));
        let mut settings = PeerSettings { remote_as: Some(s(RemoteAs::Asn(Asn(65002)))), ..PeerSettings::default() };
        let mut af = PeerAf { activate: Some(s(false)), ..PeerAf::default() };
        af.policies.insert(PolicySlot::RouteMap(Direction::In), s("RM".into()));
        settings.af.insert(AfiSafi::Ipv4Unicast, af);
        r.neighbors.push(Neighbor {
            id: PeerId::Address("192.0.2.1".parse().unwrap()),
            span: Span::default(),
            group: None,
            settings,
            default_ipv4_activated: true,
        });
        cfg.routers.push(r);
        let mut pl = PrefixList::new(Afi::Ipv4, "PL", Span::default());
        pl.entries.push(PrefixListEntry {
            seq: 5,
            seq_explicit: true,
            action: Action::Permit,
            prefix: "10.0.0.0/8".parse().unwrap(),
            any: false,
            ge: Some(16),
            le: Some(24),
            span: Span::default(),
            had_host_bits: false,
        });
        cfg.prefix_lists.insert((Afi::Ipv4, "PL".into()), pl);
        let mut rm = RouteMap::new("RM", Span::default());
        let mut e = RouteMapEntry::new(10, Action::Permit, Span::default());
        e.sets.push(SetStmt { kind: SetKind::LocalPreference(SetValue::Absolute(200)), span: Span::default() });
        e.matches.push(MatchStmt {
            kind: MatchKind::PrefixList { afi: Afi::Ipv4, name: "PL".into() },
            span: Span::default(),
            name_span: None,
        });
        e.sets.push(SetStmt {
            kind: SetKind::Community {
                values: vec![Community::NO_EXPORT, Community(1 << 16 | 2)],
                additive: false,
                none: false,
            },
            span: Span::default(),
        });
        rm.entries.insert(10, e);
        cfg.route_maps.insert("RM".into(), rm);
        cfg
    }

    #[test]
    fn frr_8_4_order_and_forms() {
        let text = emit(&config(FrrVersion::new(8, 4))).unwrap();
        assert_eq!(
            text,
            "frr version 8.4\nfrr defaults traditional\nhostname r1\n!\n\
             router bgp 65001\n neighbor 192.0.2.1 remote-as 65002\n !\n address-family ipv4 unicast\n\
             \x20 no neighbor 192.0.2.1 activate\n  neighbor 192.0.2.1 route-map RM in\n exit-address-family\nexit\n!\n\
             ip prefix-list PL seq 5 permit 10.0.0.0/8 ge 16 le 24\n!\n\
             route-map RM permit 10\n match ip address prefix-list PL\n set community 1:2 no-export\n set local-preference 200\nexit\n!\n\
             end\n"
        );
    }

    #[test]
    fn lists_and_route_maps_move_first_in_newer_releases() {
        let pos = |text: &str, what: &str| text.find(what).unwrap();
        let t = emit(&config(FrrVersion::new(10, 0))).unwrap();
        assert!(pos(&t, "ip prefix-list") < pos(&t, "router bgp") && pos(&t, "router bgp") < pos(&t, "route-map RM"));
        let t = emit(&config(FrrVersion::new(10, 3))).unwrap();
        assert!(pos(&t, "ip prefix-list") < pos(&t, "route-map RM") && pos(&t, "route-map RM") < pos(&t, "router bgp"));
    }

    #[test]
    fn refuses_what_it_cannot_print() {
        let mut cfg = config(FrrVersion::new(8, 4));
        cfg.interfaces.push(Interface { name: s("eth0".into()), vrf: None, addresses: Vec::new() });
        assert_eq!(emit(&cfg), Err(EmitError::Unsupported("interface blocks".into())));
    }

    #[test]
    fn interface_names_sort_naturally() {
        assert_eq!(natural("eth2", "eth10"), std::cmp::Ordering::Less);
        assert_eq!(natural("swp1s2", "swp1s10"), std::cmp::Ordering::Less);
    }
}
