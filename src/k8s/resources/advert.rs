//! `CiliumBGPAdvertisement` (BGPv2): what to announce (pod CIDRs, Service addresses,
//! interface addresses) and with which path attributes; selected by a PeerConfig family
//! through its `metadata.labels`.

use super::bgp::required_list;
use super::{CiliumApi, Meta, ServiceAddressType, SERVICE_ADDRESS_TYPES};
use crate::k8s::at::{At, Loc};
use crate::k8s::decode::Reader;
use crate::k8s::selector::{read_selector, LabelSelector};
use crate::k8s::yaml::YNode;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Advertisement {
    pub meta: Meta,
    pub api: At<CiliumApi>,
    pub entries: Vec<AdvertEntry>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum AdvertType {
    PodCidr,
    CiliumPodIpPool,
    Service,
    Interface,
}

const ADVERT_TYPES: &[(&str, AdvertType)] = &[
    ("PodCIDR", AdvertType::PodCidr),
    ("CiliumPodIPPool", AdvertType::CiliumPodIpPool),
    ("Service", AdvertType::Service),
    ("Interface", AdvertType::Interface),
];

impl AdvertType {
    pub fn as_str(self) -> &'static str {
        ADVERT_TYPES.iter().find(|(_, a)| *a == self).map_or("?", |(s, _)| s)
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AdvertEntry {
    pub loc: Loc,
    pub advertisement_type: At<AdvertType>,
    pub service: Option<ServiceAdvert>,
    /// Absent: no Service (or pool) is selected; PodCIDR ignores it.
    pub selector: Option<LabelSelector>,
    pub interface: Option<At<String>>,
    pub attributes: Attributes,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServiceAdvert {
    pub loc: Loc,
    pub addresses: Vec<At<ServiceAddressType>>,
    pub aggregation_length_v4: Option<At<u8>>,
    pub aggregation_length_v6: Option<At<u8>>,
}

/// Path attributes put on advertised routes.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Attributes {
    pub standard_communities: Vec<At<String>>,
    pub well_known_communities: Vec<At<String>>,
    pub large_communities: Vec<At<String>>,
    /// Sent to iBGP peers only.
    pub local_preference: Option<At<u32>>,
}

pub(crate) fn read_advertisement(r: &mut Reader, meta: Meta, api: At<CiliumApi>, root: &YNode) -> Advertisement {
    let spec = r.mapping(root.get("spec"), "spec");
    let mut entries = Vec::new();
    for e in required_list(r, root, spec, "advertisements", "CiliumBGPAdvertisement") {
        let Some(e) = r.mapping(Some(e), "advertisements[]") else { continue };
        let Some(advertisement_type) = r.one_of(e.get("advertisementType"), "advertisementType", ADVERT_TYPES) else {
            if e.get("advertisementType").is_none() {
                r.invalid(
                    e.loc,
                    "an advertisement needs `advertisementType`",
                    "set PodCIDR, Service, CiliumPodIPPool or Interface",
                );
            }
            continue;
        };
        let service = r.mapping(e.get("service"), "service").map(|s| {
            let items = r.list(s.get("addresses"), "addresses");
            let addresses: Vec<_> =
                items.iter().filter_map(|a| r.one_of(Some(a), "addresses", SERVICE_ADDRESS_TYPES)).collect();
            if items.is_empty() {
                r.invalid(
                    s.loc,
                    "service advertisement lists no `addresses`",
                    "list LoadBalancerIP, ClusterIP and/or ExternalIP",
                );
            }
            ServiceAdvert {
                loc: s.loc,
                addresses,
                aggregation_length_v4: r.u8(s.get("aggregationLengthIPv4"), "aggregationLengthIPv4", 0, 31),
                aggregation_length_v6: r.u8(s.get("aggregationLengthIPv6"), "aggregationLengthIPv6", 0, 127),
            }
        });
        let interface = r.mapping(e.get("interface"), "interface").and_then(|i| r.string(i.get("name"), "name"));
        entries.push(AdvertEntry {
            loc: e.loc,
            advertisement_type,
            service,
            selector: read_selector(r, e, "selector"),
            interface,
            attributes: read_attributes(r, e.get("attributes")),
        });
    }
    Advertisement { meta, api, entries }
}

const WELL_KNOWN: &[&str] = &[
    "internet",
    "planned-shut",
    "accept-own",
    "route-filter-translated-v4",
    "route-filter-v4",
    "route-filter-translated-v6",
    "route-filter-v6",
    "llgr-stale",
    "no-llgr",
    "blackhole",
    "no-export",
    "no-advertise",
    "no-export-subconfed",
    "no-peer",
];

/// `attributes` of an advertisement (also BGPv1's `advertisedPathAttributes`).
pub(crate) fn read_attributes(r: &mut Reader, n: Option<&YNode>) -> Attributes {
    let Some(a) = r.mapping(n, "attributes") else { return Attributes::default() };
    let c = r.mapping(a.get("communities"), "communities");
    let list = |r: &mut Reader, k: &str| c.map(|c| r.string_list(c.get(k), k)).unwrap_or_default();
    let standard = list(r, "standard");
    let well_known = list(r, "wellKnown");
    let large = list(r, "large");
    for s in &standard {
        if !community_ok(&s.value, 2) {
            r.invalid(
                s.loc,
                format!("`{}` is not a standard community", s.value),
                "write a 32-bit number or two 16-bit numbers as aa:nn",
            );
        }
    }
    for s in &large {
        if !community_ok(&s.value, 3) {
            r.invalid(s.loc, format!("`{}` is not a large community", s.value), "write three 32-bit numbers as a:b:c");
        }
    }
    for s in &well_known {
        if !WELL_KNOWN.contains(&s.value.as_str()) {
            r.invalid(
                s.loc,
                format!("`{}` is not a well-known community name", s.value),
                format!("use one of: {}", WELL_KNOWN.join(", ")),
            );
        }
    }
    Attributes {
        standard_communities: standard,
        well_known_communities: well_known,
        large_communities: large,
        local_preference: r.u32(a.get("localPreference"), "localPreference", 0, u32::MAX),
    }
}

/// `N` (32-bit) or `a:b` (16-bit parts) for `parts == 2`; `a:b:c` (32-bit parts) for 3.
fn community_ok(s: &str, parts: usize) -> bool {
    let p: Vec<&str> = s.split(':').collect();
    let fits = |x: &str, bits: u32| x.parse::<u64>().is_ok_and(|v| v < (1u64 << bits)) && !x.starts_with('+');
    match (parts, p.len()) {
        (2, 1) => fits(p[0], 32),
        (2, 2) => fits(p[0], 16) && fits(p[1], 16),
        (3, 3) => p.iter().all(|x| fits(x, 32)),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn communities() {
        assert!(community_ok("65000:100", 2) && community_ok("4294967295", 2));
        assert!(!community_ok("65536:1", 2) && !community_ok("a:b", 2) && !community_ok("1:2:3", 2));
        assert!(community_ok("65000:1:1", 3) && !community_ok("1:2", 3));
    }
}
