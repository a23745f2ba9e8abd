//! The lab plan: what to run, already in daemon terms (FRR config text per router, GoBGP
//! neighbors per Cilium node). The JSON format is documented in `README.md` beside this file.

use std::collections::BTreeSet;
use std::net::{IpAddr, Ipv4Addr};

use ipnet::IpNet;
use serde::{Deserialize, Serialize};

use super::LabError;

/// One lab run: routers (bgpd) and Cilium nodes (gobgpd) on one L2 segment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LabPlan {
    pub name: String,
    #[serde(default)]
    pub routers: Vec<LabRouter>,
    #[serde(default)]
    pub nodes: Vec<LabNode>,
}

/// An FRR router: one bgpd with this configuration, owning these addresses.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LabRouter {
    pub name: String,
    /// The FRR configuration text, as it would be in frr.conf.
    pub config: String,
    #[serde(with = "nets")]
    pub addresses: Vec<IpNet>,
    /// bgpd `-p`: the port bgpd listens on (0 = no listener).
    #[serde(default = "bgp_port")]
    pub listen_port: u16,
}

/// A Cilium node: one gobgpd configured the way Cilium's BGP control plane configures it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LabNode {
    pub name: String,
    #[serde(with = "nets")]
    pub addresses: Vec<IpNet>,
    pub asn: u32,
    pub router_id: Ipv4Addr,
    /// Cilium `localPort`; `None` (the default) means GoBGP does not listen at all.
    #[serde(default)]
    pub listen_port: Option<u16>,
    #[serde(default)]
    pub peers: Vec<LabPeer>,
    #[serde(default)]
    pub announce: Vec<Announcement>,
}

/// One GoBGP neighbor of a node (a Cilium peer after PeerConfig and Secret are resolved).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LabPeer {
    pub address: IpAddr,
    pub asn: u32,
    /// Cilium `transport.peerPort`: the port GoBGP dials.
    #[serde(default = "bgp_port")]
    pub port: u16,
    /// The TCP-MD5 password from the Secret; `None` means no TCP-MD5.
    #[serde(default)]
    pub password: Option<String>,
    #[serde(default = "default_hold")]
    pub hold: u16,
    #[serde(default = "default_keepalive")]
    pub keepalive: u16,
    #[serde(default = "default_connect_retry")]
    pub connect_retry: u16,
    /// 1 (the default) means directly connected: GoBGP's ebgp-multihop stays off.
    #[serde(default = "default_multihop")]
    pub ebgp_multihop: u8,
    #[serde(default = "default_families")]
    pub families: Vec<Family>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Family {
    Ipv4Unicast,
    Ipv6Unicast,
}

impl Family {
    /// GoBGP's `afi-safi-name`.
    pub fn gobgp_name(self) -> &'static str {
        match self {
            Family::Ipv4Unicast => "ipv4-unicast",
            Family::Ipv6Unicast => "ipv6-unicast",
        }
    }

    /// The family a prefix is announced in.
    pub fn of(prefix: &IpNet) -> Family {
        match prefix {
            IpNet::V4(_) => Family::Ipv4Unicast,
            IpNet::V6(_) => Family::Ipv6Unicast,
        }
    }

    /// The `-a` argument of the gobgp CLI and the AFI word of FRR's `show bgp`.
    pub fn afi_word(self) -> &'static str {
        match self {
            Family::Ipv4Unicast => "ipv4",
            Family::Ipv6Unicast => "ipv6",
        }
    }
}

/// A prefix the node originates (what a CiliumBGPAdvertisement would make it announce).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Announcement {
    #[serde(with = "net")]
    pub prefix: IpNet,
    /// Communities in the gobgp CLI's notation ("65000:100", "no-export").
    #[serde(default)]
    pub communities: Vec<String>,
    #[serde(default)]
    pub local_pref: Option<u32>,
    /// ORIGIN: IGP is what Cilium sends; INCOMPLETE with its legacy-origin option.
    #[serde(default)]
    pub origin: Origin,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Origin {
    #[default]
    Igp,
    Incomplete,
}

impl Origin {
    /// The gobgp CLI's word for it.
    pub fn gobgp_word(self) -> &'static str {
        match self {
            Origin::Igp => "igp",
            Origin::Incomplete => "incomplete",
        }
    }
}

fn bgp_port() -> u16 {
    179
}
fn default_hold() -> u16 {
    90
}
fn default_keepalive() -> u16 {
    30
}
fn default_connect_retry() -> u16 {
    120
}
fn default_multihop() -> u8 {
    1
}
fn default_families() -> Vec<Family> {
    vec![Family::Ipv4Unicast, Family::Ipv6Unicast]
}

impl LabPlan {
    /// Reads a plan from its JSON text.
    pub fn from_json(text: &str) -> Result<LabPlan, LabError> {
        serde_json::from_str(text).map_err(|e| LabError::Plan(format!("plan JSON: {e}")))
    }

    /// The index of the router whose namespace owns `address`, if any.
    pub fn owner_of(&self, address: IpAddr) -> Option<usize> {
        self.routers
            .iter()
            .position(|r| r.addresses.iter().any(|a| a.addr() == address))
    }

    /// Checks what the harness relies on; the daemons judge everything else.
    pub fn validate(&self) -> Result<(), LabError> {
        let bad = |msg: String| Err(LabError::Plan(format!("plan {:?}: {msg}", self.name)));
        let mut names = BTreeSet::new();
        let mut owned = BTreeSet::new();
        let members = self
            .routers
            .iter()
            .map(|r| (&r.name, &r.addresses))
            .chain(self.nodes.iter().map(|n| (&n.name, &n.addresses)));
        for (name, addresses) in members {
            if name.is_empty() || !names.insert(name.as_str()) {
                return bad(format!("name {name:?} is empty or used twice"));
            }
            if addresses.is_empty() {
                return bad(format!("{name} has no address"));
            }
            for a in addresses {
                if !owned.insert(a.addr()) {
                    return bad(format!("address {} is owned twice", a.addr()));
                }
            }
        }
        for node in &self.nodes {
            let mut peers = BTreeSet::new();
            for p in &node.peers {
                if !peers.insert(p.address) {
                    return bad(format!("{} peers {} twice", node.name, p.address));
                }
                if p.families.is_empty() {
                    return bad(format!("{} -> {}: no families", node.name, p.address));
                }
            }
            for a in &node.announce {
                if a.prefix != a.prefix.trunc() {
                    return bad(format!("{}: {} has host bits set", node.name, a.prefix));
                }
                let word = |c: &String| !c.is_empty() && !c.contains(char::is_whitespace);
                if !a.communities.iter().all(word) {
                    return bad(format!(
                        "{}: community with blanks in {}",
                        node.name, a.prefix
                    ));
                }
            }
        }
        Ok(())
    }
}

/// `IpNet` as its text ("192.168.99.10/24"); ipnet's serde feature is not enabled.
mod net {
    use ipnet::IpNet;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(net: &IpNet, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(net)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<IpNet, D::Error> {
        let text = String::deserialize(d)?;
        text.parse()
            .map_err(|_| serde::de::Error::custom(format!("not a prefix: {text:?}")))
    }
}

mod nets {
    use ipnet::IpNet;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(nets: &[IpNet], s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(nets.iter().map(ToString::to_string))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<IpNet>, D::Error> {
        Vec::<String>::deserialize(d)?
            .iter()
            .map(|t| {
                t.parse()
                    .map_err(|_| serde::de::Error::custom(format!("not a prefix: {t:?}")))
            })
            .collect()
    }
}
