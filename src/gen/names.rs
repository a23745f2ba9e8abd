//! The names the generator gives to what it creates, and the rules names from the topology
//! must follow to be usable where they end up (a hostname, a peer-group, a Kubernetes
//! object). One place, so the FRR side and the Cilium side agree on every name.

use crate::model::Afi;

/// Cilium's `attributes.communities.wellKnown` values.
pub const CILIUM_WELL_KNOWN: &[&str] = &[
    "accept-own",
    "blackhole",
    "internet",
    "llgr-stale",
    "no-advertise",
    "no-export",
    "no-export-subconfed",
    "no-llgr",
    "no-peer",
    "planned-shut",
    "route-filter-translated-v4",
    "route-filter-translated-v6",
    "route-filter-v4",
    "route-filter-v6",
];

/// Well-known community names FRR's `set community` accepts (8.4 and later).
pub const FRR_WELL_KNOWN: &[&str] = &[
    "accept-own",
    "accept-own-nexthop",
    "blackhole",
    "graceful-shutdown",
    "llgr-stale",
    "local-AS",
    "no-advertise",
    "no-export",
    "no-llgr",
    "no-peer",
    "route-filter-translated-v4",
    "route-filter-translated-v6",
    "route-filter-v4",
    "route-filter-v6",
];

/// `V4` / `V6`, for FRR object names.
pub fn afi_suffix(afi: Afi) -> &'static str {
    match afi {
        Afi::Ipv4 => "V4",
        Afi::Ipv6 => "V6",
    }
}

/// The prefix-list of what a cluster announces in a family.
pub fn services_list(cluster: &str, afi: Afi) -> String {
    format!("{}-SERVICES-{}", cluster.to_ascii_uppercase(), afi_suffix(afi))
}

/// The prefix-list of what a router sends to a peer-group.
pub fn export_list(group: &str) -> String {
    format!("{group}-EXPORT")
}

/// The route-map a peer-group's routes pass on the way in.
pub fn route_map_in(group: &str) -> String {
    format!("{group}-IN")
}

/// The route-map a peer-group's routes pass on the way out.
pub fn route_map_out(group: &str) -> String {
    format!("{group}-OUT")
}

/// The advertisement (and its label value) of a cluster's Services.
pub fn advertisement(cluster: &str) -> String {
    format!("{cluster}-services")
}

/// The label a PeerConfig selects advertisements by.
pub const ADVERTISE_LABEL: &str = "bgp.cilium.io/advertise";

/// A DNS label made from any name: lower case, other characters as `-`, no `-` at the ends.
pub fn dns_label(name: &str) -> String {
    let mut s: String =
        name.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '-' }).collect();
    while s.contains("--") {
        s = s.replace("--", "-");
    }
    s.trim_matches('-').chars().take(63).collect::<String>().trim_end_matches('-').to_string()
}

/// RFC 1123 label: what Kubernetes requires of namespaces and many names.
pub fn is_dns_label(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 63
        && s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !s.starts_with('-')
        && !s.ends_with('-')
}

/// RFC 1123 subdomain: what Kubernetes requires of most object names.
pub fn is_dns_subdomain(s: &str) -> bool {
    !s.is_empty() && s.len() <= 253 && s.split('.').all(is_dns_label)
}

/// A hostname FRR prints and a file name the generator writes.
pub fn is_hostname(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 63
        && s.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
        && s.as_bytes()[0].is_ascii_alphanumeric()
}

/// A word FRR reads as a peer-group name, never as an address, and that leaves room for
/// the `-V4`, `-IN`, `-EXPORT` suffixes within FRR's name limits.
pub fn is_peer_group(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 48
        && s.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
        && s.as_bytes()[0].is_ascii_alphabetic()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert_eq!(dns_label("KUBE_AS"), "kube-as");
        assert_eq!(dns_label("--a__b--"), "a-b");
        assert!(is_dns_label("kube-as") && !is_dns_label("Kube") && !is_dns_label("-a"));
        assert!(is_dns_subdomain("node-1.example") && !is_dns_subdomain("a..b"));
        assert!(is_peer_group("KUBE_AS") && !is_peer_group("10.0.0.1") && !is_peer_group("fe80::1"));
        assert_eq!(services_list("kube", Afi::Ipv6), "KUBE-SERVICES-V6");
    }
}
