//! The observation: what real bgpd and gobgpd did with a plan, one entry per GoBGP neighbor.
//! Sorted everywhere so two runs of the same plan compare equal on their verdicts.

use std::collections::BTreeMap;
use std::net::IpAddr;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Observation {
    /// One per (node, peer) of the plan, sorted by node name, then peer address.
    pub sessions: Vec<SessionObservation>,
    /// Lines bgpd's own dry run (`bgpd -C`) refused, as "router: message (config line N)",
    /// numbered in the plan's config text. bgpd skips such lines and runs with the rest.
    #[serde(default)]
    pub config_errors: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SessionObservation {
    pub node: String,
    /// The router whose namespace owns `peer_address`; `None` if nobody owns it.
    pub router: Option<String>,
    pub peer_address: IpAddr,
    /// GoBGP's neighbor was Established when the harness stopped watching.
    pub established: bool,
    /// Log lines, counters and socket states that explain the verdict (never a password).
    pub evidence: Vec<String>,
    /// Every prefix the node announces, keyed by its text.
    pub prefixes: BTreeMap<String, PrefixFate>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PrefixFate {
    /// In the router's BGP RIB with this node's session as the source.
    Accepted,
    /// In GoBGP's adj-rib-out for the peer, but not in the router's RIB from it.
    Rejected,
    /// GoBGP never sent it: session down or family not negotiated.
    NotSent,
}

impl Observation {
    /// The session of `node` towards `peer`, if the plan had it.
    pub fn session(&self, node: &str, peer: IpAddr) -> Option<&SessionObservation> {
        self.sessions
            .iter()
            .find(|s| s.node == node && s.peer_address == peer)
    }

    pub fn to_json(&self) -> String {
        // Plain data with string keys: serialization cannot fail.
        serde_json::to_string_pretty(self).unwrap_or_default()
    }
}
