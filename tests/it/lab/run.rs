//! One run, step by step: wire the namespaces, start bgpd per router and gobgpd per node,
//! watch GoBGP's neighbors until every session has settled (or the never-Established deadline
//! has passed), then read the verdicts and their evidence. Teardown is the guard's job.

use std::collections::BTreeMap;
use std::fs;
use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::thread;
use std::time::{Duration, Instant};

use super::daemons::{bgpd_config, config_errors, confined_config, gobgpd_config};
use super::evidence::{self, Socket};
use super::guard::{poll, Lab};
use super::observation::{Observation, PrefixFate, SessionObservation};
use super::plan::{Family, LabPlan};
use super::state::{self, GobgpPeer};
use super::LabError;

/// GoBGP dials first 5-9 s after it starts (gobgp 3.10 connectLoop: rand(5)+5 s); with TCP-MD5
/// and nobody answering, the dial times out after 4 s more. A session not Established by then
/// never will be (interop-lab.md, "Pitfalls").
const NEVER_ESTABLISHED: Duration = Duration::from_millis(14_500);
/// Extra time for sessions that came up just before the deadline to exchange their UPDATEs.
const SETTLE_GRACE: Duration = Duration::from_secs(3);
/// How long a session must have been seen up before its UPDATE counts are trusted.
const MIN_UP: Duration = Duration::from_secs(1);
const POLL: Duration = Duration::from_millis(250);
const DAEMON_START: Duration = Duration::from_secs(10);
/// gobgpd's gRPC port inside each node namespace (netns.sh passes it to gobgpd and gobgp).
const GOBGP_API_PORT: &str = "50051";

/// A router or node of the plan and where it lives in this run.
struct Member {
    name: String,
    ns: String,
    dir: PathBuf,
}

impl Member {
    fn vty(&self) -> PathBuf {
        self.dir.join("run")
    }
}

/// One GoBGP neighbor of the plan: node index, peer address, owning router index.
#[derive(Clone, Copy)]
struct Session {
    node: usize,
    peer: IpAddr,
    router: Option<usize>,
}

pub(super) fn run(lab: &mut Lab, plan: &LabPlan) -> Result<Observation, LabError> {
    lab.script("check", &["check"]).map_err(|e| match e {
        LabError::Setup { detail, .. } => LabError::Prerequisite(detail),
        e => e,
    })?;
    let member = |prefix: &str, i: usize, name: &str| Member {
        name: name.to_string(),
        ns: lab.ns(&format!("{prefix}{i}")),
        dir: lab.dir().join(format!("{prefix}{i}")),
    };
    let routers: Vec<Member> = plan
        .routers
        .iter()
        .enumerate()
        .map(|(i, r)| member("r", i, &r.name))
        .collect();
    let nodes: Vec<Member> = plan
        .nodes
        .iter()
        .enumerate()
        .map(|(i, n)| member("n", i, &n.name))
        .collect();
    let sessions: Vec<Session> = plan
        .nodes
        .iter()
        .enumerate()
        .flat_map(|(node, n)| n.peers.iter().map(move |p| (node, p.address)))
        .map(|(node, peer)| Session {
            node,
            peer,
            router: plan.owner_of(peer),
        })
        .collect();

    wire(lab, plan, &routers, &nodes)?;
    let counters = |lab: &Lab, m: &Member| {
        evidence::parse_counters(&lab.query(&["counters", &m.ns]).unwrap_or_default())
    };
    let before: Vec<_> = routers
        .iter()
        .chain(&nodes)
        .map(|m| counters(lab, m))
        .collect();
    let config_errors = start_routers(lab, plan, &routers)?;
    start_nodes(lab, plan, &nodes)?;
    watch(lab, &routers, &nodes, &sessions, Instant::now());

    let after: Vec<_> = routers
        .iter()
        .chain(&nodes)
        .map(|m| counters(lab, m))
        .collect();
    let moved: Vec<Vec<String>> = routers
        .iter()
        .chain(&nodes)
        .zip(before.iter().zip(&after))
        .map(|(m, (b, a))| evidence::counter_deltas(&m.name, b, a))
        .collect();
    let mut sessions = observe(lab, plan, &routers, &nodes, &sessions, &moved);
    sessions.sort_by(|a, b| (&a.node, a.peer_address).cmp(&(&b.node, b.peer_address)));
    Ok(Observation {
        sessions,
        config_errors,
    })
}

/// The switch namespace with its bridge, then one namespace per router and node on it.
fn wire(lab: &Lab, plan: &LabPlan, routers: &[Member], nodes: &[Member]) -> Result<(), LabError> {
    let run = lab.dir().to_string_lossy().into_owned();
    let switch = lab.ns("sw");
    lab.script("switch namespace", &["switch", &run, &switch])?;
    let addresses = plan
        .routers
        .iter()
        .map(|r| &r.addresses)
        .chain(plan.nodes.iter().map(|n| &n.addresses));
    for (m, addrs) in routers.iter().chain(nodes).zip(addresses) {
        let port = m
            .dir
            .file_name()
            .map(|f| f.to_string_lossy().into_owned())
            .unwrap_or_default();
        let addrs: Vec<String> = addrs.iter().map(ToString::to_string).collect();
        let mut args = vec!["member", &run, &switch, &m.ns, &port];
        args.extend(addrs.iter().map(String::as_str));
        lab.script(&format!("namespace for {}", m.name), &args)?;
        fs::create_dir(&m.dir).map_err(|e| setup(&m.name, e))?;
    }
    Ok(())
}

fn setup(what: &str, e: std::io::Error) -> LabError {
    LabError::Setup {
        step: format!("files for {what}"),
        detail: e.to_string(),
    }
}

/// bgpd's dry run per router (its complaints are returned), then bgpd itself; waits until
/// every bgpd answers on its vty socket.
fn start_routers(
    lab: &mut Lab,
    plan: &LabPlan,
    routers: &[Member],
) -> Result<Vec<String>, LabError> {
    let mut errors = Vec::new();
    for (r, m) in plan.routers.iter().zip(routers) {
        let check = m.dir.join("check.conf");
        fs::write(&check, confined_config(r)).map_err(|e| setup(&m.name, e))?;
        let out = lab.script("bgpd -C", &["bgpd-check", &m.ns, &check.to_string_lossy()])?;
        errors.extend(config_errors(
            &r.name,
            &String::from_utf8_lossy(&out.stdout),
        ));
        let conf = bgpd_config(r, &m.dir.join("bgpd.log"));
        fs::write(m.dir.join("bgpd.conf"), conf).map_err(|e| setup(&m.name, e))?;
        let port = r.listen_port.to_string();
        let dir = m.dir.to_string_lossy();
        lab.spawn(
            &m.name,
            &["bgpd", &m.ns, &dir, &port],
            &m.dir.join("bgpd.out"),
        )?;
    }
    for (r, m) in plan.routers.iter().zip(routers) {
        let vty = m.vty();
        let ready = poll(DAEMON_START, Duration::from_millis(50), || {
            state::bgpd_ready(&vty) || lab.exited(&m.name).is_some()
        });
        if !ready || !state::bgpd_ready(&vty) {
            return Err(daemon_error(lab, "bgpd", m, "bgpd.out"));
        }
        // bgpd binds its port when `router bgp` is read; a config without one never listens.
        if r.listen_port != 0
            && r.config
                .lines()
                .any(|l| l.trim_start().starts_with("router bgp"))
        {
            let port = r.listen_port.to_string();
            poll(Duration::from_secs(3), Duration::from_millis(50), || {
                lab.script_ok(&["listening", &m.ns, &port])
            });
        }
    }
    Ok(errors)
}

/// gobgpd per node; once its API port is up, the node's announcements go into its global RIB.
fn start_nodes(lab: &mut Lab, plan: &LabPlan, nodes: &[Member]) -> Result<(), LabError> {
    for (n, m) in plan.nodes.iter().zip(nodes) {
        fs::write(m.dir.join("gobgpd.json"), gobgpd_config(n)).map_err(|e| setup(&m.name, e))?;
        let dir = m.dir.to_string_lossy();
        lab.spawn(&m.name, &["gobgpd", &m.ns, &dir], &m.dir.join("gobgpd.log"))?;
    }
    for (n, m) in plan.nodes.iter().zip(nodes) {
        // The gobgp CLI stalls ~1 s if its port is not up yet: wait for the socket first.
        let listening = poll(DAEMON_START, Duration::from_millis(50), || {
            lab.script_ok(&["listening", &m.ns, GOBGP_API_PORT]) || lab.exited(&m.name).is_some()
        });
        if !listening || lab.exited(&m.name).is_some() {
            return Err(daemon_error(lab, "gobgpd", m, "gobgpd.log"));
        }
        for a in &n.announce {
            let prefix = a.prefix.to_string();
            let communities = a.communities.join(",");
            let local_pref = a.local_pref.map(|p| p.to_string());
            let afi = Family::of(&a.prefix).afi_word();
            let mut args = vec!["gobgp", &m.ns, "global", "rib", "add", "-a", afi, &prefix];
            args.extend(["origin", a.origin.gobgp_word()]);
            if !a.communities.is_empty() {
                args.extend(["community", &communities]);
            }
            if let Some(lp) = &local_pref {
                args.extend(["local-pref", lp]);
            }
            lab.script(&format!("announce {prefix} on {}", m.name), &args)?;
        }
    }
    Ok(())
}

fn daemon_error(lab: &mut Lab, daemon: &str, m: &Member, log: &str) -> LabError {
    let status = lab
        .exited(&m.name)
        .map_or("not ready in time".to_string(), |s| format!("exited ({s})"));
    let text = fs::read_to_string(m.dir.join(log)).unwrap_or_default();
    let tail: Vec<&str> = text.lines().rev().take(15).collect();
    let tail: Vec<&str> = tail.into_iter().rev().collect();
    LabError::Daemon {
        daemon: format!("{daemon} of {}", m.name),
        detail: format!("{status}; last lines of {log}:\n{}", tail.join("\n")),
    }
}

/// Polls until every session is Established and settled, or the deadline for "never
/// Established" has passed and the sessions that are up have settled.
fn watch(lab: &Lab, routers: &[Member], nodes: &[Member], sessions: &[Session], start: Instant) {
    if sessions.is_empty() {
        return;
    }
    let deadline = start + NEVER_ESTABLISHED;
    let mut up_since: BTreeMap<(usize, IpAddr), Instant> = BTreeMap::new();
    loop {
        let now = Instant::now();
        let peers: Vec<BTreeMap<IpAddr, GobgpPeer>> = nodes
            .iter()
            .map(|m| state::gobgp_peers(lab, &m.ns))
            .collect();
        let mut frr_updates: BTreeMap<usize, BTreeMap<IpAddr, u64>> = BTreeMap::new();
        let mut all_up = true;
        let mut all_settled = true;
        for s in sessions {
            let Some(peer) = peers[s.node].get(&s.peer).filter(|p| p.established()) else {
                up_since.remove(&(s.node, s.peer));
                all_up = false;
                continue;
            };
            let since = *up_since.entry((s.node, s.peer)).or_insert(now);
            all_settled &= now.duration_since(since) >= MIN_UP
                && settled(
                    peer,
                    s.router.map(|r| (r, &routers[r])),
                    &mut frr_updates,
                    now - since,
                );
        }
        if all_settled && (all_up || now >= deadline) || now >= deadline + SETTLE_GRACE {
            return;
        }
        thread::sleep(POLL);
    }
}

/// FRR has processed every UPDATE GoBGP sent on this session (both count them, End-of-RIB
/// included). Without a matching FRR neighbor entry, a longer uptime has to do.
fn settled(
    peer: &GobgpPeer,
    router: Option<(usize, &Member)>,
    cache: &mut BTreeMap<usize, BTreeMap<IpAddr, u64>>,
    up: Duration,
) -> bool {
    let received = router.zip(peer.local_address).and_then(|((i, m), local)| {
        let counts = cache.entry(i).or_insert_with(|| {
            let neighbors = state::vtysh_json(&m.vty(), "show bgp neighbors json");
            neighbors
                .map(|n| state::frr_updates_received(&n))
                .unwrap_or_default()
        });
        counts.get(&local).copied()
    });
    match received {
        Some(n) => n >= peer.updates_sent,
        None => up >= 2 * MIN_UP,
    }
}

/// The verdict and evidence of every session, from the daemons' final state.
fn observe(
    lab: &Lab,
    plan: &LabPlan,
    routers: &[Member],
    nodes: &[Member],
    sessions: &[Session],
    moved: &[Vec<String>],
) -> Vec<SessionObservation> {
    let read = |dir: &Path, file: &str| fs::read_to_string(dir.join(file)).unwrap_or_default();
    let sockets =
        |m: &Member| evidence::parse_sockets(&lab.query(&["sockets", &m.ns]).unwrap_or_default());
    let peers: Vec<_> = nodes
        .iter()
        .map(|m| state::gobgp_peers(lab, &m.ns))
        .collect();
    let node_logs: Vec<String> = nodes.iter().map(|m| read(&m.dir, "gobgpd.log")).collect();
    let node_sockets: Vec<Vec<Socket>> = nodes.iter().map(sockets).collect();
    let router_logs: Vec<String> = routers.iter().map(|m| read(&m.dir, "bgpd.log")).collect();
    let router_sockets: Vec<Vec<Socket>> = routers.iter().map(sockets).collect();
    let summaries: Vec<_> = routers
        .iter()
        .map(|m| state::vtysh_json(&m.vty(), "show bgp summary json").unwrap_or_default())
        .collect();
    let mut ribs = BTreeMap::new();

    let mut out = Vec::new();
    for s in sessions {
        let node = &plan.nodes[s.node];
        let m = &nodes[s.node];
        let gobgp = peers[s.node].get(&s.peer).cloned().unwrap_or_default();
        let node_addrs: Vec<IpAddr> = node.addresses.iter().map(|a| a.addr()).collect();
        // The address the router sees: GoBGP's end of the TCP session, or else every node
        // address of the peer's IP version (the kernel picks one of those as source)
        // (GoBGP shows 0.0.0.0 or a stale address while it is not connected.)
        let local = gobgp
            .local_address
            .filter(|a| gobgp.established() && !a.is_unspecified());
        let seen_as: Vec<IpAddr> = match local {
            Some(local) => vec![local],
            None => node_addrs
                .iter()
                .copied()
                .filter(|a| a.is_ipv4() == s.peer.is_ipv4())
                .collect(),
        };

        let mut prefixes = BTreeMap::new();
        for a in &node.announce {
            let family = Family::of(&a.prefix);
            let key = a.prefix.to_string();
            let sent = gobgp.established()
                && state::gobgp_adj_out(lab, &m.ns, s.peer, family).contains(&key);
            let accepted = gobgp.established()
                && s.router.is_some_and(|r| {
                    let rib = ribs
                        .entry((r, family))
                        .or_insert_with(|| state::frr_rib(&routers[r].vty(), family));
                    let from = rib.get(&key).map(Vec::as_slice).unwrap_or_default();
                    from.iter().any(|a| seen_as.contains(a))
                });
            let fate = match (accepted, sent) {
                (true, _) => PrefixFate::Accepted,
                (false, true) => PrefixFate::Rejected,
                (false, false) => PrefixFate::NotSent,
            };
            prefixes.insert(key, fate);
        }

        let mut evidence = vec![format!(
            "gobgp {}: neighbor {} {}, notifications sent {}, received {}",
            m.name,
            s.peer,
            gobgp.state_name(),
            gobgp.notifications_sent,
            gobgp.notifications_received
        )];
        let mut add = |mut lines: Vec<String>| {
            lines.sort();
            lines.dedup();
            evidence.extend(lines);
        };
        add(evidence::gobgpd_lines(&node_logs[s.node], s.peer));
        if let Some(r) = s.router {
            add(evidence::bgpd_lines(&router_logs[r], &seen_as));
            add(evidence::frr_summary_lines(
                &routers[r].name,
                &summaries[r],
                &seen_as,
            ));
            add(moved[r].clone());
        }
        add(moved[routers.len() + s.node].clone());
        let router = s.router.map(|r| {
            (
                routers[r].name.as_str(),
                router_sockets[r].as_slice(),
                plan.routers[r].listen_port,
            )
        });
        add(evidence::socket_lines(
            (&m.name, &node_sockets[s.node], node.listen_port),
            router,
            s.peer,
            &seen_as,
        ));

        out.push(SessionObservation {
            node: node.name.clone(),
            router: s.router.map(|r| plan.routers[r].name.clone()),
            peer_address: s.peer,
            established: gobgp.established(),
            evidence,
            prefixes,
        });
    }
    out
}
