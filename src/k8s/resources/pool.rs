//! `CiliumLoadBalancerIPPool` (LB-IPAM; `cilium.io/v2alpha1`, and `cilium.io/v2` from 1.18):
//! the address blocks Cilium hands out to LoadBalancer Services, and which Services may
//! take from it.

use super::{CiliumApi, Meta};
use crate::k8s::at::{At, Loc};
use crate::k8s::decode::Reader;
use crate::k8s::selector::{read_selector, LabelSelector};
use crate::k8s::yaml::YNode;
use ipnet::IpNet;
use std::net::IpAddr;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LbIpPool {
    pub meta: Meta,
    pub api: At<CiliumApi>,
    /// `spec.blocks` (1.15+).
    pub blocks: Vec<PoolBlock>,
    /// The `spec.cidrs` key, if written: deprecated in 1.15, removed (pruned) in 1.16.
    pub cidrs_key: Option<Loc>,
    /// `spec.cidrs` entries (same item type as `blocks`).
    pub cidrs: Vec<PoolBlock>,
    /// Absent: the pool serves any Service.
    pub service_selector: Option<LabelSelector>,
    /// `Yes` / `No`; absent means No before 1.16 and Yes from 1.16.
    pub allow_first_last_ips: Option<At<bool>>,
    pub disabled: Option<At<bool>>,
}

/// One block of a pool.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PoolBlock {
    pub loc: Loc,
    pub range: PoolRange,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PoolRange {
    Cidr(IpNet),
    /// `start`..=`stop`; a block with only `start` is that one address.
    Range {
        start: IpAddr,
        stop: IpAddr,
    },
}

impl PoolRange {
    pub fn contains(&self, ip: IpAddr) -> bool {
        match *self {
            PoolRange::Cidr(net) => net.contains(&ip),
            PoolRange::Range { start, stop } => start <= ip && ip <= stop && start.is_ipv4() == ip.is_ipv4(),
        }
    }

    pub fn is_ipv4(&self) -> bool {
        match self {
            PoolRange::Cidr(n) => matches!(n, IpNet::V4(_)),
            PoolRange::Range { start, .. } => start.is_ipv4(),
        }
    }
}

impl std::fmt::Display for PoolRange {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PoolRange::Cidr(n) => write!(f, "{n}"),
            PoolRange::Range { start, stop } if start == stop => write!(f, "{start}"),
            PoolRange::Range { start, stop } => write!(f, "{start}-{stop}"),
        }
    }
}

pub(crate) fn read_pool(r: &mut Reader, meta: Meta, api: At<CiliumApi>, root: &YNode) -> LbIpPool {
    let spec = r.mapping(root.get("spec"), "spec");
    let get = |k: &str| spec.and_then(|s| s.get(k));
    let blocks = read_blocks(r, get("blocks"), "blocks");
    let cidrs = read_blocks(r, get("cidrs"), "cidrs");
    let allow = r.one_of(get("allowFirstLastIPs"), "allowFirstLastIPs", &[("Yes", true), ("No", false)]);
    LbIpPool {
        meta,
        api,
        blocks,
        cidrs_key: spec.and_then(|s| s.entry("cidrs")).map(|(k, _)| k.loc),
        cidrs,
        service_selector: spec.and_then(|s| read_selector(r, s, "serviceSelector")),
        allow_first_last_ips: allow,
        disabled: r.boolean(get("disabled"), "disabled"),
    }
}

fn read_blocks(r: &mut Reader, n: Option<&YNode>, key: &str) -> Vec<PoolBlock> {
    let mut out = Vec::new();
    for b in r.list(n, key) {
        let Some(b) = r.mapping(Some(b), key) else { continue };
        if b.get("cidr").is_some() {
            if let Some(c) = r.cidr(b.get("cidr"), "cidr") {
                out.push(PoolBlock { loc: c.loc, range: PoolRange::Cidr(c.value) });
            }
            continue;
        }
        let Some(start) = r.ip(b.get("start"), "start") else {
            if b.get("start").is_none() {
                r.invalid(
                    b.loc,
                    format!("a {key} entry needs `cidr` or `start`"),
                    "write cidr: 10.0.0.0/24, or start: and stop:",
                );
            }
            continue;
        };
        let stop = r.ip(b.get("stop"), "stop").map_or(start.value, |s| s.value);
        if stop.is_ipv4() != start.value.is_ipv4() || stop < start.value {
            r.invalid(
                start.loc,
                "`stop` is before `start` or of another address family",
                "write start <= stop, both IPv4 or both IPv6",
            );
            continue;
        }
        out.push(PoolBlock { loc: start.loc, range: PoolRange::Range { start: start.value, stop } });
    }
    out
}
