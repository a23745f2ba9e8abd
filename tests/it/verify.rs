//! Issue 5's truth test: frrlint's predicted sessions and prefix verdicts against real FRR
//! bgpd and GoBGP (Cilium's BGP engine) in the interop lab.
//!
//! Each scenario under tests/verify-scenarios/ is what a user has: `frr/*.conf` and `k8s/*.yaml`.
//! The test runs `check_paths` on it, turns the cross-check's view of both sides into a lab
//! plan the way Cilium would configure GoBGP (never from the expected outcome), runs every
//! scenario's plan in parallel, and compares each predicted session and each predicted prefix
//! verdict with what the daemons did. `expect.toml` beside each scenario pins what frrlint
//! must predict, so a scenario cannot quietly stop testing what it is named after.
//! docs/verification.md explains the mapping and holds the figures of the last run.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::fs;
use std::net::{IpAddr, Ipv4Addr};
use std::path::{Path, PathBuf};
use std::thread;
use std::time::{Duration, Instant};

use frrlint::check::{check_paths, CheckOptions, CheckReport, CrossReport};
use frrlint::crosscheck::{Origin, Session, State};
use frrlint::k8s::effective::{Instance, PasswordProblem, Peer, PeerAddress, Predicted, RouterId};
use frrlint::k8s::resources::{Afi, Safi};
use ipnet::IpNet;
use serde::Deserialize;

use crate::lab::{
    run_plan, Announcement, Family, LabNode, LabPeer, LabPlan, LabRouter, Observation, PrefixFate,
};

/// The scenarios issue 5 asks for (one per session rule, plus clean ones); more may be added.
const REQUIRED: &[&str] = &[
    "clean-ebgp",
    "asn-mismatch",
    "peer-asn-wrong",
    "address-unknown",
    "port-mismatch",
    "password-differs",
    "password-frr-only",
    "password-cilium-only",
    "secret-missing",
    "secret-missing-no-frr-password",
    "advertisement-selects-nothing",
    "prefix-exact",
    "ebgp-no-policy",
    "node-not-selected",
    "frr-port-neighbor",
    "ibgp-clean",
    "mdhlabs-generated",
];

/// Set to a comma-separated list of scenario names to run only those (while debugging one).
const ONLY_ENV: &str = "FRRLINT_VERIFY_ONLY";
/// Set to print every scenario's plan (passwords masked) and observation.
const SHOW_ENV: &str = "FRRLINT_VERIFY_SHOW";

fn scenarios_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/verify-scenarios")
}

// ---------------------------------------------------------------------------------------------
// expect.toml: what frrlint must predict for a scenario.

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Expectation {
    /// Every cross-check (XC) and Kubernetes (K8S) code frrlint reports, exactly; FRR codes
    /// listed here must be reported too (other FRR lint findings are not this test's business).
    rules: Vec<String>,
    #[serde(default, rename = "session")]
    sessions: Vec<ExpectedSession>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ExpectedSession {
    node: String,
    /// The Cilium peer address (for `from = "frr"`: the node address the router's neighbor names).
    peer: IpAddr,
    #[serde(default)]
    from: Side,
    state: ExpectedState,
    /// Prefixes the router accepts / rejects on this session (ipnet has no serde here).
    #[serde(default)]
    accepted: Vec<String>,
    #[serde(default)]
    rejected: Vec<String>,
}

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
enum Side {
    #[default]
    Cilium,
    Frr,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
enum ExpectedState {
    Established,
    Down,
}

/// Differences between what frrlint predicted and what the scenario's expect.toml says.
fn expectation_mismatches(
    report: &CheckReport,
    cross: &CrossReport,
    expect: &Expectation,
) -> Vec<String> {
    let mut out = Vec::new();
    let found: BTreeSet<&str> = report.diagnostics.iter().map(|d| d.code).collect();
    let wanted: BTreeSet<&str> = expect.rules.iter().map(String::as_str).collect();
    let exact = |c: &&str| c.starts_with("XC") || c.starts_with("K8S");
    let found_exact: BTreeSet<&str> = found.iter().copied().filter(exact).collect();
    let wanted_exact: BTreeSet<&str> = wanted.iter().copied().filter(exact).collect();
    if found_exact != wanted_exact {
        out.push(format!(
            "frrlint reports {found_exact:?}, expect.toml says {wanted_exact:?}"
        ));
    }
    for c in wanted.iter().filter(|c| !exact(c) && !found.contains(*c)) {
        out.push(format!("frrlint does not report {c}"));
    }
    let side = |s: &Session| {
        if s.origin == Origin::FrrToNode {
            Side::Frr
        } else {
            Side::Cilium
        }
    };
    if cross.sessions.len() != expect.sessions.len() {
        out.push(format!(
            "frrlint predicts {} sessions, expect.toml lists {}",
            cross.sessions.len(),
            expect.sessions.len()
        ));
    }
    for e in &expect.sessions {
        let Some(s) = cross
            .sessions
            .iter()
            .find(|s| s.node == e.node && s.peer_address == e.peer && side(s) == e.from)
        else {
            out.push(format!(
                "no predicted session {} -> {} ({:?})",
                e.node, e.peer, e.from
            ));
            continue;
        };
        let state = match s.state {
            State::Established => ExpectedState::Established,
            State::Down => ExpectedState::Down,
        };
        if state != e.state {
            out.push(format!(
                "{} -> {}: predicted {state:?}, expect.toml says {:?}",
                e.node, e.peer, e.state
            ));
        }
        let set = |accepted: bool| -> BTreeSet<IpNet> {
            s.prefixes
                .iter()
                .filter(|p| p.accepted == accepted && s.state == State::Established)
                .map(|p| p.prefix)
                .collect()
        };
        let (acc, rej) = (set(true), set(false));
        let parse = |list: &[String], out: &mut Vec<String>| -> BTreeSet<IpNet> {
            list.iter()
                .filter_map(|p| {
                    p.parse::<IpNet>()
                        .map_err(|_| out.push(format!("{p:?} is not a prefix")))
                        .ok()
                })
                .collect()
        };
        let (want_acc, want_rej) = (parse(&e.accepted, &mut out), parse(&e.rejected, &mut out));
        if acc != want_acc || rej != want_rej {
            out.push(format!(
                "{} -> {}: predicted accepted {acc:?} rejected {rej:?}, expect.toml says accepted {want_acc:?} rejected {want_rej:?}",
                e.node, e.peer
            ));
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// The lab plan, from frrlint's own view of both sides.

/// A plan plus what could not be put into it (each such session is reported as unverified).
struct Built {
    plan: LabPlan,
    /// (node, peer address) of Cilium peers the plan leaves out, with the reason.
    left_out: BTreeMap<(String, IpAddr), String>,
    /// Predicted prefixes the plan cannot announce (pool predictions without an address).
    not_announced: BTreeMap<IpNet, String>,
    /// (node, peer address) of peers Cilium itself never configures (its instance is refused),
    /// with the reason: GoBGP gets no neighbor, exactly as in the lab.
    refused: BTreeMap<(String, IpAddr), String>,
}

/// The prefix length that puts every address of one IP version on one subnet: the common
/// prefix of them all, at most /24 (IPv4) or /64 (IPv6), as on a typical LAN.
fn segment_len(addrs: &[IpAddr], v4: bool) -> u8 {
    let bits: Vec<u128> = addrs
        .iter()
        .filter(|a| a.is_ipv4() == v4)
        .map(|a| match a {
            IpAddr::V4(a) => u128::from(u32::from(*a)) << 96,
            IpAddr::V6(a) => u128::from(*a),
        })
        .collect();
    let max = if v4 { 24 } else { 64 };
    let Some(first) = bits.first() else {
        return max;
    };
    let common = bits
        .iter()
        .map(|b| (b ^ first).leading_zeros())
        .min()
        .unwrap_or(128);
    let common = if v4 { common.min(32) } else { common };
    u8::try_from(common).unwrap_or(max).min(max)
}

fn with_len(a: IpAddr, v4_len: u8, v6_len: u8) -> IpNet {
    let len = if a.is_ipv4() { v4_len } else { v6_len };
    IpNet::new(a, len).unwrap_or_else(|_| IpNet::from(a))
}

fn lab_family(afi: Afi, safi: Safi) -> Option<Family> {
    match (afi, safi) {
        (Afi::Ipv4, Safi::Unicast) => Some(Family::Ipv4Unicast),
        (Afi::Ipv6, Safi::Unicast) => Some(Family::Ipv6Unicast),
        _ => None,
    }
}

/// The GoBGP neighbor Cilium creates for `peer`, or why the lab cannot create it.
fn lab_peer(peer: &Peer) -> Result<LabPeer, String> {
    let PeerAddress::Ip(address) = &peer.address else {
        return Err("auto-discovered peer address (known only at run time)".into());
    };
    // GoBGP 3.10 needs a peer AS; Cilium's "any AS" (peerASN 0) has no lab equivalent here.
    let asn = peer
        .peer_asn
        .as_ref()
        .ok_or("peerASN 0 (any AS): GoBGP needs a value, the lab has none")?;
    let families: Vec<Family> = peer
        .families
        .iter()
        .filter_map(|f| lab_family(f.afi, f.safi))
        .collect();
    if families.is_empty() {
        return Err("no IPv4/IPv6 unicast family".into());
    }
    Ok(LabPeer {
        address: address.value,
        asn: asn.value,
        port: peer.peer_port.value,
        // The one place the Secret's value is read: to configure the lab's GoBGP.
        password: peer.password.as_ref().map(|p| p.expose().to_string()),
        hold: peer.hold_time.value,
        keepalive: peer.keepalive.value,
        connect_retry: u16::try_from(peer.connect_retry.value).unwrap_or(u16::MAX),
        ebgp_multihop: peer.ebgp_multihop.value,
        families,
    })
}

/// What the instance's peers announce (union over peers and families; GoBGP sends its whole
/// RIB to every peer): exact prefixes with their communities and local preference.
fn announcements(
    instance: &Instance,
    not_announced: &mut BTreeMap<IpNet, String>,
) -> Vec<Announcement> {
    let mut out: BTreeMap<IpNet, Announcement> = BTreeMap::new();
    for peer in &instance.peers {
        for fam in &peer.families {
            for a in &fam.announcements {
                let prefix = match &a.prefix {
                    Predicted::Exact(p) => *p,
                    Predicted::FromPools { pools, .. } => {
                        let names: Vec<&str> = pools.iter().map(|c| c.pool.as_str()).collect();
                        for (p, _) in pool_candidates(&a.prefix) {
                            not_announced.insert(
                                p,
                                format!("an address LB-IPAM has yet to pick from {names:?}"),
                            );
                        }
                        continue;
                    }
                };
                let entry = out.entry(prefix).or_insert_with(|| Announcement {
                    prefix,
                    communities: Vec::new(),
                    local_pref: None,
                    origin: crate::lab::Origin::Igp,
                });
                if let Some(attrs) = &a.attributes {
                    // Overlapping advertisements: communities add up, local preference is the highest.
                    for c in attrs
                        .standard_communities
                        .iter()
                        .chain(&attrs.well_known_communities)
                    {
                        if !entry.communities.contains(&c.value) {
                            entry.communities.push(c.value.clone());
                        }
                    }
                    if let Some(lp) = &attrs.local_preference {
                        entry.local_pref =
                            Some(entry.local_pref.map_or(lp.value, |x| x.max(lp.value)));
                    }
                }
            }
        }
    }
    out.into_values().collect()
}

/// The concrete prefixes frrlint evaluates for a pool prediction (the ends of every block).
fn pool_candidates(p: &Predicted) -> Vec<(IpNet, ())> {
    use frrlint::k8s::resources::pool::PoolRange;
    let Predicted::FromPools { pools, prefix_len } = p else {
        return Vec::new();
    };
    let mut v = Vec::new();
    for b in pools.iter().flat_map(|c| &c.blocks) {
        let (first, last) = match b {
            PoolRange::Cidr(c) => (c.network(), c.broadcast()),
            PoolRange::Range { start, stop } => (*start, *stop),
        };
        for a in [first, last] {
            if let Ok(n) = IpNet::new(a, *prefix_len) {
                v.push((n.trunc(), ()));
            }
        }
    }
    v
}

/// Routers from the FRR configs; nodes from Cilium's effective view, configured the way
/// Cilium configures GoBGP. A node without a BGP instance is there too, with no neighbor and
/// no listener: it exists and never dials.
fn build_plan(name: &str, report: &CheckReport, cross: &CrossReport) -> Result<Built, String> {
    let mut left_out = BTreeMap::new();
    let mut not_announced = BTreeMap::new();
    let mut refused = BTreeMap::new();
    let node_addrs = |node: &str| -> Vec<IpAddr> {
        let mut v: Vec<IpAddr> = cross
            .cluster
            .nodes
            .get(node)
            .map(|n| n.internal_ips.iter().map(|a| a.value).collect())
            .unwrap_or_default();
        // An override's localAddress is an address the node owns too.
        if let Some(nb) = cross.effective.nodes.get(node) {
            for p in nb.instances.iter().flat_map(|i| &i.peers) {
                if let Some(l) = &p.local_address {
                    if !v.contains(&l.value) {
                        v.push(l.value);
                    }
                }
            }
        }
        v
    };
    let mut all: Vec<IpAddr> = cross
        .routers
        .iter()
        .flat_map(|r| r.addresses.iter().copied())
        .collect();
    for n in cross.effective.nodes.keys() {
        all.extend(node_addrs(n));
    }
    let (v4, v6) = (segment_len(&all, true), segment_len(&all, false));

    let mut routers = Vec::new();
    for r in &cross.routers {
        let cfg = report
            .configs
            .get(r.config)
            .ok_or_else(|| format!("router {}: no config {}", r.name, r.config))?;
        if r.addresses.is_empty() {
            return Err(format!(
                "router {} owns no address (no bgp router-id, update-source or interface address)",
                r.name
            ));
        }
        routers.push(LabRouter {
            name: r.name.clone(),
            config: report.sources.get(cfg.file).text.clone(),
            addresses: r.addresses.iter().map(|a| with_len(*a, v4, v6)).collect(),
            listen_port: r.listen_port,
        });
    }

    let mut nodes = Vec::new();
    for (node, nb) in &cross.effective.nodes {
        let addrs = node_addrs(node);
        if addrs.is_empty() {
            return Err(format!("node {node} has no InternalIP"));
        }
        let first_v4 = addrs.iter().find_map(|a| match a {
            IpAddr::V4(a) => Some(*a),
            IpAddr::V6(_) => None,
        });
        let mut lab = LabNode {
            name: node.clone(),
            addresses: addrs.iter().map(|a| with_len(*a, v4, v6)).collect(),
            // Only used when the node has an instance; a node without one never speaks BGP.
            asn: 64512,
            router_id: first_v4.unwrap_or(Ipv4Addr::new(10, 255, 255, 254)),
            listen_port: None,
            peers: Vec::new(),
            announce: Vec::new(),
        };
        let skip_all =
            |i: &Instance, why: &str, left_out: &mut BTreeMap<(String, IpAddr), String>| {
                for p in &i.peers {
                    if let PeerAddress::Ip(a) = &p.address {
                        left_out.insert((node.clone(), a.value), why.to_string());
                    }
                }
            };
        match nb.instances.as_slice() {
            [] => {}
            [inst] => {
                let unusable_secret = inst.peers.iter().any(|p| {
                    matches!(
                        p.password_problem,
                        Some(
                            PasswordProblem::NoPasswordKey { .. }
                                | PasswordProblem::EmptyPassword { .. }
                        )
                    )
                });
                if inst.local_asn.is_none() || unusable_secret {
                    // Cilium refuses the instance ("missing ASN") or fails its reconcile
                    // ("missing password key"): no neighbor at all, as here.
                    let why = if unusable_secret {
                        "the Secret has no usable password key"
                    } else {
                        "no localASN"
                    };
                    skip_all(
                        inst,
                        &format!("Cilium configures no neighbor: {why}"),
                        &mut refused,
                    );
                } else {
                    lab.asn = inst.local_asn.as_ref().map(|a| a.value).unwrap_or(lab.asn);
                    lab.router_id = match &inst.router_id {
                        RouterId::Set(r) | RouterId::NodeAddress(r) => r.value,
                        RouterId::Unknown => lab.router_id,
                    };
                    lab.listen_port = inst.listen_port.as_ref().map(|p| p.value);
                    for p in &inst.peers {
                        match lab_peer(p) {
                            Ok(lp) => lab.peers.push(lp),
                            Err(why) => {
                                if let PeerAddress::Ip(a) = &p.address {
                                    left_out.insert((node.clone(), a.value), why);
                                }
                            }
                        }
                    }
                    lab.announce = announcements(inst, &mut not_announced);
                }
            }
            many => {
                for i in many {
                    skip_all(
                        i,
                        "several BGP instances on one node: the lab runs one gobgpd per node",
                        &mut left_out,
                    );
                }
            }
        }
        nodes.push(lab);
    }
    Ok(Built {
        plan: LabPlan {
            name: name.to_string(),
            routers,
            nodes,
        },
        left_out,
        not_announced,
        refused,
    })
}

// ---------------------------------------------------------------------------------------------
// Comparison.

/// Counts for one scenario's row of the table in docs/verification.md.
#[derive(Debug, Default)]
struct Tally {
    pred_up: usize,
    pred_down: usize,
    obs_up: usize,
    obs_down: usize,
    pred_acc: usize,
    pred_rej: usize,
    obs_acc: usize,
    obs_rej: usize,
    /// Session verdicts compared / agreeing.
    sessions: usize,
    sessions_agree: usize,
    /// Prefix verdicts compared / agreeing.
    prefixes: usize,
    prefixes_agree: usize,
    unverified: usize,
}

struct Outcome {
    name: String,
    tally: Tally,
    /// Disagreements between frrlint and the lab, each with both verdicts and the evidence.
    disagreements: Vec<String>,
    /// Anything else that makes the scenario fail (expect.toml, plan, lab errors).
    failures: Vec<String>,
    notes: Vec<String>,
    took: Duration,
}

fn fate_word(f: Option<PrefixFate>) -> &'static str {
    match f {
        Some(PrefixFate::Accepted) => "accepted",
        Some(PrefixFate::Rejected) => "rejected",
        Some(PrefixFate::NotSent) => "not sent",
        None => "not announced",
    }
}

fn compare(
    cross: &CrossReport,
    report: &CheckReport,
    built: &Built,
    obs: &Observation,
    out: &mut Outcome,
) {
    let t = &mut out.tally;
    let router_name = |s: &Session| {
        s.router
            .and_then(|r| cross.routers.get(r))
            .map(|r| r.name.clone())
    };
    for (i, s) in cross.sessions.iter().enumerate() {
        let reason = report
            .session_rows
            .get(i)
            .map(|r| r.reason.as_str())
            .unwrap_or("");
        let what = format!(
            "{}: {} {} -> {} ({})",
            out.name,
            if s.origin == Origin::FrrToNode {
                "router"
            } else {
                "node"
            },
            if s.origin == Origin::FrrToNode {
                router_name(s).unwrap_or_default()
            } else {
                s.node.clone()
            },
            if s.origin == Origin::FrrToNode {
                format!("node {} {}", s.node, s.peer_address)
            } else {
                s.peer_address.to_string()
            },
            router_name(s).unwrap_or_else(|| "no router".into()),
        );
        let predicted_up = s.state == State::Established;
        match s.origin {
            Origin::FrrToFrr => {
                out.notes.push(format!(
                    "{what}: router-to-router session: the lab observes GoBGP's sessions only"
                ));
                t.unverified += 1;
                continue;
            }
            Origin::Cilium => {
                if let Some(why) = built.left_out.get(&(s.node.clone(), s.peer_address)) {
                    out.notes.push(format!("{what}: not verified: {why}"));
                    t.unverified += 1;
                    continue;
                }
            }
            Origin::FrrToNode => {}
        }
        if predicted_up {
            t.pred_up += 1;
        } else {
            t.pred_down += 1;
        }
        // The lab session that stands for this prediction. For a router's neighbor towards a
        // node that does not peer back, any established session between the two would do.
        let seen = match s.origin {
            Origin::FrrToNode => obs
                .sessions
                .iter()
                .find(|o| o.node == s.node && o.router == router_name(s) && o.established),
            _ => obs.session(&s.node, s.peer_address),
        };
        let (observed_up, evidence) = match (s.origin, seen) {
            (_, Some(o)) => (o.established, o.evidence.clone()),
            (Origin::Cilium, None)
                if built
                    .refused
                    .contains_key(&(s.node.clone(), s.peer_address)) =>
            {
                let why = &built.refused[&(s.node.clone(), s.peer_address)];
                (
                    false,
                    vec![format!(
                        "lab: {why}, so node {} has no GoBGP neighbor {}",
                        s.node, s.peer_address
                    )],
                )
            }
            (Origin::FrrToNode, None) => {
                let has_neighbor = built
                    .plan
                    .nodes
                    .iter()
                    .any(|n| n.name == s.node && !n.peers.is_empty());
                (
                    false,
                    vec![format!(
                        "lab: node {} runs {} and no listener, so nothing can accept or open a session with {}",
                        s.node,
                        if has_neighbor { "GoBGP with no neighbor at this router" } else { "no GoBGP neighbor at all" },
                        router_name(s).unwrap_or_default()
                    )],
                )
            }
            (_, None) => {
                out.failures.push(format!(
                    "{what}: the lab has no session for this prediction"
                ));
                continue;
            }
        };
        if observed_up {
            t.obs_up += 1;
        } else {
            t.obs_down += 1;
        }
        t.sessions += 1;
        if let Some(o) = seen {
            let predicted_router = router_name(s);
            if s.origin == Origin::Cilium && o.router != predicted_router {
                out.disagreements.push(format!(
                    "{what}: frrlint pairs the peer with {predicted_router:?}, the lab's owner of the address is {:?}",
                    o.router
                ));
            }
        }
        if observed_up != predicted_up {
            out.disagreements.push(format!(
                "{what}: frrlint predicts {}{}, the lab observed {}\n  lab evidence:\n    {}",
                if predicted_up {
                    "Established"
                } else {
                    "never Established"
                },
                if reason.is_empty() {
                    String::new()
                } else {
                    format!(" ({reason})")
                },
                if observed_up {
                    "Established"
                } else {
                    "never Established"
                },
                evidence.join("\n    ")
            ));
            continue;
        }
        t.sessions_agree += 1;
        if !(predicted_up && observed_up) {
            continue;
        }
        let Some(o) = seen else { continue };
        for p in &s.prefixes {
            let key = p.prefix.to_string();
            if let Some(why) = built.not_announced.get(&p.prefix) {
                out.notes.push(format!("{what}: {key} not verified: {why}"));
                t.unverified += 1;
                continue;
            }
            let fate = o.prefixes.get(&key).copied();
            if p.accepted {
                t.pred_acc += 1;
            } else {
                t.pred_rej += 1;
            }
            match fate {
                Some(PrefixFate::Accepted) => t.obs_acc += 1,
                Some(PrefixFate::Rejected) => t.obs_rej += 1,
                _ => {}
            }
            t.prefixes += 1;
            let agree = matches!(
                (p.accepted, fate),
                (true, Some(PrefixFate::Accepted)) | (false, Some(PrefixFate::Rejected))
            );
            if agree {
                t.prefixes_agree += 1;
            } else {
                out.disagreements.push(format!(
                    "{what}: {key}: frrlint predicts {} ({}), the lab observed {}\n  lab evidence:\n    {}",
                    if p.accepted { "accepted" } else { "rejected" },
                    p.decision,
                    fate_word(fate),
                    o.evidence.join("\n    ")
                ));
            }
        }
        // A prefix the router took that frrlint did not expect on this session, when the node
        // has only this peer (with several, GoBGP sends every peer the union).
        let single = built
            .plan
            .nodes
            .iter()
            .find(|n| n.name == s.node)
            .is_some_and(|n| n.peers.len() == 1);
        if single {
            for (key, fate) in &o.prefixes {
                let predicted = s.prefixes.iter().any(|p| p.prefix.to_string() == *key);
                if !predicted && *fate != PrefixFate::NotSent {
                    out.disagreements.push(format!(
                        "{what}: {key}: frrlint predicts nothing for it on this session, the lab observed {}",
                        fate_word(Some(*fate))
                    ));
                }
            }
        }
    }
    for o in &obs.sessions {
        let predicted = cross.sessions.iter().any(|s| {
            s.origin == Origin::Cilium && s.node == o.node && s.peer_address == o.peer_address
        });
        if !predicted {
            out.failures.push(format!(
                "{}: lab session {} -> {} has no prediction",
                out.name, o.node, o.peer_address
            ));
        }
    }
    if !obs.config_errors.is_empty() {
        out.failures.push(format!(
            "{}: bgpd refused config lines: {:?}",
            out.name, obs.config_errors
        ));
    }
}

/// The plan as JSON with every password masked, for printing.
fn masked(plan: &LabPlan) -> String {
    let mut p = plan.clone();
    for peer in p.nodes.iter_mut().flat_map(|n| &mut n.peers) {
        if peer.password.is_some() {
            peer.password = Some("(masked)".into());
        }
    }
    serde_json::to_string_pretty(&p).unwrap_or_default()
}

/// generated.toml: the scenario's inputs are what frrgen makes of a topology, at test time.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Generated {
    /// The topology, relative to the repository root.
    topology: String,
    /// More inputs (relative to the repository root), such as Services with their addresses.
    #[serde(default)]
    extra: Vec<String>,
    /// Environment for frrgen (the topology's password variables).
    #[serde(default)]
    env: BTreeMap<String, String>,
}

/// The paths frrlint checks for a scenario: its `frr/` and `k8s/`, or frrgen's output.
fn inputs(name: &str, dir: &Path) -> Result<Vec<PathBuf>, String> {
    let spec = dir.join("generated.toml");
    if !spec.is_file() {
        return Ok(vec![dir.join("frr"), dir.join("k8s")]);
    }
    let text = fs::read_to_string(&spec).map_err(|e| format!("generated.toml: {e}"))?;
    let g: Generated = toml::from_str(&text).map_err(|e| format!("generated.toml: {e}"))?;
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("verify")
        .join(name);
    let _ = fs::remove_dir_all(&out);
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_frrgen"))
        .args(["from", &g.topology, "-o"])
        .arg(&out)
        .current_dir(root)
        .envs(&g.env)
        .output()
        .map_err(|e| format!("frrgen: {e}"))?;
    if !run.status.success() {
        return Err(format!(
            "frrgen from {} failed ({}): {}",
            g.topology,
            run.status,
            String::from_utf8_lossy(&run.stderr)
        ));
    }
    let mut paths = vec![out];
    paths.extend(g.extra.iter().map(|e| root.join(e)));
    Ok(paths)
}

fn verify_scenario(name: &str, dir: &Path) -> Outcome {
    let started = Instant::now();
    let mut out = Outcome {
        name: name.to_string(),
        tally: Tally::default(),
        disagreements: Vec::new(),
        failures: Vec::new(),
        notes: Vec::new(),
        took: Duration::ZERO,
    };
    let expect: Expectation = match fs::read_to_string(dir.join("expect.toml"))
        .map_err(|e| e.to_string())
        .and_then(|t| toml::from_str(&t).map_err(|e| e.to_string()))
    {
        Ok(e) => e,
        Err(e) => {
            out.failures.push(format!("{name}: expect.toml: {e}"));
            return out;
        }
    };
    let inputs = match inputs(name, dir) {
        Ok(i) => i,
        Err(e) => {
            out.failures.push(format!("{name}: {e}"));
            return out;
        }
    };
    let report = check_paths(&inputs, &CheckOptions::default());
    for e in &report.input_errors {
        out.failures
            .push(format!("{name}: {}: {}", e.path.display(), e.message));
    }
    let Some(cross) = &report.crosscheck else {
        out.failures.push(format!(
            "{name}: frrlint made no cross-check (no manifests read?)"
        ));
        return out;
    };
    out.failures.extend(
        expectation_mismatches(&report, cross, &expect)
            .into_iter()
            .map(|m| format!("{name}: expect.toml: {m}")),
    );
    let built = match build_plan(name, &report, cross) {
        Ok(b) => b,
        Err(e) => {
            out.failures
                .push(format!("{name}: cannot build a lab plan: {e}"));
            return out;
        }
    };
    let obs = match run_plan(&built.plan) {
        Ok(o) => o,
        Err(e) => {
            out.failures
                .push(format!("{name}: lab: {e}\nplan:\n{}", masked(&built.plan)));
            return out;
        }
    };
    compare(cross, &report, &built, &obs, &mut out);
    if !out.disagreements.is_empty() || std::env::var_os(SHOW_ENV).is_some() {
        out.notes.push(format!(
            "plan:\n{}\nobservation:\n{}",
            masked(&built.plan),
            obs.to_json()
        ));
    }
    out.took = started.elapsed();
    out
}

fn table(outcomes: &[Outcome]) -> String {
    let mut s = String::from(
        "| scenario | sessions predicted (up/down) | sessions observed (up/down) | prefixes predicted (acc/rej) | prefixes observed (acc/rej) | agreement (sessions, prefixes) |\n|---|---|---|---|---|---|\n",
    );
    for o in outcomes {
        let t = &o.tally;
        let _ = writeln!(
            s,
            "| {} | {}/{} | {}/{} | {}/{} | {}/{} | {}/{}, {}/{}{} |",
            o.name,
            t.pred_up,
            t.pred_down,
            t.obs_up,
            t.obs_down,
            t.pred_acc,
            t.pred_rej,
            t.obs_acc,
            t.obs_rej,
            t.sessions_agree,
            t.sessions,
            t.prefixes_agree,
            t.prefixes,
            if t.unverified > 0 {
                format!(" ({} not verifiable)", t.unverified)
            } else {
                String::new()
            }
        );
    }
    s
}

fn discover() -> Vec<(String, PathBuf)> {
    let mut scenarios: Vec<(String, PathBuf)> = fs::read_dir(scenarios_dir())
        .expect("tests/verify-scenarios")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.join("expect.toml").is_file())
        .map(|p| {
            (
                p.file_name()
                    .unwrap_or_default()
                    .to_string_lossy()
                    .into_owned(),
                p,
            )
        })
        .collect();
    scenarios.sort();
    scenarios
}

#[test]
fn predictions_agree_with_the_lab() {
    let mut scenarios = discover();
    for r in REQUIRED {
        assert!(
            scenarios.iter().any(|(n, _)| n == r),
            "scenario {r} is missing from tests/verify-scenarios"
        );
    }
    if let Some(only) = std::env::var_os(ONLY_ENV) {
        let only = only.to_string_lossy().into_owned();
        scenarios.retain(|(n, _)| only.split(',').any(|o| o == n));
    }
    let started = Instant::now();
    let runs: Vec<_> = scenarios
        .into_iter()
        .map(|(name, dir)| thread::spawn(move || verify_scenario(&name, &dir)))
        .collect();
    let outcomes: Vec<Outcome> = runs
        .into_iter()
        .map(|r| r.join().expect("a scenario thread panicked"))
        .collect();
    let wall = started.elapsed();

    let mut failures = Vec::new();
    for o in &outcomes {
        eprintln!("verify: {}: {:.1} s", o.name, o.took.as_secs_f64());
        for n in &o.notes {
            eprintln!("verify: {}: {n}", o.name);
        }
        failures.extend(o.failures.iter().cloned());
        failures.extend(o.disagreements.iter().map(|d| format!("DISAGREEMENT {d}")));
    }
    let (agree, total) = outcomes.iter().fold((0, 0), |(a, n), o| {
        (
            a + o.tally.sessions_agree + o.tally.prefixes_agree,
            n + o.tally.sessions + o.tally.prefixes,
        )
    });
    eprintln!("{}", table(&outcomes));
    eprintln!(
        "verify: {} scenarios, {agree}/{total} verdicts agree, {:.1} s wall",
        outcomes.len(),
        wall.as_secs_f64()
    );
    assert!(
        failures.is_empty(),
        "frrlint and the lab disagree, or a scenario is broken:\n{}",
        failures.join("\n")
    );
    assert!(total > 0, "no verdict was compared");
}

#[test]
fn segment_length_covers_every_address() {
    let a = |s: &str| s.parse::<IpAddr>().unwrap();
    assert_eq!(
        segment_len(&[a("192.168.99.10"), a("192.168.99.12")], true),
        24
    );
    assert_eq!(
        segment_len(&[a("192.168.99.10"), a("192.168.98.12")], true),
        23
    );
    assert_eq!(
        segment_len(
            &[a("fd00:99::10"), a("fd00:99::12"), a("192.168.99.1")],
            false
        ),
        64
    );
    assert_eq!(segment_len(&[a("10.0.0.1")], true), 24);
}
