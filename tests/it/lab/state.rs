//! Reading the daemons' live state: GoBGP neighbors and adj-rib-out through the gobgp CLI,
//! FRR neighbors, summary and RIB through vtysh. A query that fails reads as "nothing".

use std::collections::BTreeMap;
use std::net::IpAddr;
use std::path::Path;
use std::process::{Command, Stdio};

use serde_json::Value;

use super::guard::Lab;
use super::plan::Family;

/// GoBGP's `session_state` for Established (apipb.PeerState_SessionState).
const GOBGP_ESTABLISHED: u64 = 6;
const GOBGP_STATES: [&str; 7] = [
    "unknown",
    "idle",
    "connect",
    "active",
    "opensent",
    "openconfirm",
    "established",
];

/// One GoBGP neighbor as `gobgp neighbor -j` shows it (the password field is never read).
#[derive(Debug, Clone, Default)]
pub(super) struct GobgpPeer {
    pub state: u64,
    pub local_address: Option<IpAddr>,
    pub updates_sent: u64,
    pub notifications_sent: u64,
    pub notifications_received: u64,
}

impl GobgpPeer {
    pub fn established(&self) -> bool {
        self.state == GOBGP_ESTABLISHED
    }

    pub fn state_name(&self) -> &'static str {
        usize::try_from(self.state)
            .ok()
            .and_then(|i| GOBGP_STATES.get(i))
            .copied()
            .unwrap_or("unknown")
    }
}

/// All neighbors of the gobgpd in `ns`, by address.
pub(super) fn gobgp_peers(lab: &Lab, ns: &str) -> BTreeMap<IpAddr, GobgpPeer> {
    let mut peers = BTreeMap::new();
    let Some(text) = lab.query(&["gobgp", ns, "neighbor", "-j"]) else {
        return peers;
    };
    let Ok(Value::Array(list)) = serde_json::from_str::<Value>(&text) else {
        return peers;
    };
    for p in &list {
        let Some(address) = p["conf"]["neighbor_address"]
            .as_str()
            .and_then(|a| a.parse().ok())
        else {
            continue;
        };
        let state = &p["state"];
        let messages = &state["messages"];
        let peer = GobgpPeer {
            state: session_state(&state["session_state"]),
            local_address: p["transport"]["local_address"]
                .as_str()
                .and_then(|a| a.parse().ok()),
            updates_sent: messages["sent"]["update"].as_u64().unwrap_or(0),
            notifications_sent: messages["sent"]["notification"].as_u64().unwrap_or(0),
            notifications_received: messages["received"]["notification"].as_u64().unwrap_or(0),
        };
        peers.insert(address, peer);
    }
    peers
}

/// The state is a number in gobgp 3.10's JSON; accept the enum name too.
fn session_state(v: &Value) -> u64 {
    if let Some(n) = v.as_u64() {
        return n;
    }
    let name = v.as_str().unwrap_or("").to_ascii_lowercase();
    GOBGP_STATES
        .iter()
        .position(|s| *s == name)
        .map_or(0, |i| i as u64)
}

/// The prefixes in GoBGP's adj-rib-out towards `peer` for one family.
pub(super) fn gobgp_adj_out(lab: &Lab, ns: &str, peer: IpAddr, family: Family) -> Vec<String> {
    let peer = peer.to_string();
    let args = [
        "gobgp",
        ns,
        "neighbor",
        &peer,
        "adj-out",
        "-a",
        family.afi_word(),
        "-j",
    ];
    let Some(text) = lab.query(&args) else {
        return Vec::new();
    };
    match serde_json::from_str::<Value>(&text) {
        Ok(Value::Object(map)) => map.keys().cloned().collect(),
        _ => Vec::new(),
    }
}

/// One vtysh command against the bgpd whose vty socket is in `vty_dir`, as JSON.
pub(super) fn vtysh_json(vty_dir: &Path, command: &str) -> Option<Value> {
    let out = Command::new("vtysh")
        .arg("--vty_socket")
        .arg(vty_dir)
        .args(["-d", "bgpd", "-c", command])
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .ok()?;
    if !out.status.success() {
        return None;
    }
    serde_json::from_slice(&out.stdout).ok()
}

/// bgpd answers on its vty socket.
pub(super) fn bgpd_ready(vty_dir: &Path) -> bool {
    vty_dir.join("bgpd.vty").exists() && vtysh_json(vty_dir, "show bgp summary json").is_some()
}

/// UPDATE messages FRR has processed from each neighbor (`show bgp neighbors json`).
pub(super) fn frr_updates_received(neighbors: &Value) -> BTreeMap<IpAddr, u64> {
    let mut out = BTreeMap::new();
    if let Value::Object(map) = neighbors {
        for (address, n) in map {
            if let (Ok(a), Some(u)) = (address.parse(), n["messageStats"]["updatesRecv"].as_u64()) {
                out.insert(a, u);
            }
        }
    }
    out
}

/// For each prefix in FRR's RIB of one family, the neighbors ("peerId") it has paths from.
pub(super) fn frr_rib(vty_dir: &Path, family: Family) -> BTreeMap<String, Vec<IpAddr>> {
    let mut rib = BTreeMap::new();
    let command = format!("show bgp {} unicast json", family.afi_word());
    let Some(json) = vtysh_json(vty_dir, &command) else {
        return rib;
    };
    let Value::Object(routes) = &json["routes"] else {
        return rib;
    };
    for (prefix, paths) in routes {
        let from = paths
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|p| p["peerId"].as_str().and_then(|a| a.parse().ok()))
            .collect();
        rib.insert(prefix.clone(), from);
    }
    rib
}
