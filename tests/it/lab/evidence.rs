//! Evidence lines: the parts of bgpd's and gobgpd's logs, FRR's neighbor summary, the
//! TCP-MD5 counters and the socket states that explain a session's verdict. Timestamps,
//! hostnames and ephemeral ports are dropped so equal behaviour gives equal lines.

use std::collections::BTreeMap;
use std::net::IpAddr;

use serde_json::Value;

use super::daemons::strip_log_prefix;

/// bgpd log lines worth keeping when they name the node (with `debug bgp neighbor-events` and
/// `debug bgp updates in` on).
const BGPD_PATTERNS: &[&str] = &[
    "bad OPEN",
    "NOTIFICATION",
    "DENIED",
    "to Established",
    "not configured",
    "Hold Timer",
    "unacceptable",
    "ADJCHANGE",
];

/// bgpd lines that name no neighbor but concern every eBGP session of the router.
const BGPD_GLOBAL_PATTERNS: &[&str] = &["policy not properly setup"];

/// gobgpd messages worth keeping for the neighbor they are about.
const GOBGPD_PATTERNS: &[&str] = &[
    "Peer Up",
    "Peer Down",
    "notification",
    "failed",
    "Failed",
    "error",
    "mismatch",
];

/// gobgpd FSM transitions worth keeping: into Idle (the reason says why) and into Established.
const GOBGPD_TRANSITIONS: &[&str] = &["new=BGP_FSM_IDLE ", "new=BGP_FSM_ESTABLISHED "];

/// bgpd.log lines about any of `node` (a node's addresses), prefixed "bgpd.log: ".
pub(super) fn bgpd_lines(log: &str, node: &[IpAddr]) -> Vec<String> {
    let mut out = Vec::new();
    for raw in log.lines() {
        let line = strip_log_prefix(raw);
        let about_node = node.iter().any(|a| mentions(line, &a.to_string()));
        let keep = (about_node && BGPD_PATTERNS.iter().any(|p| line.contains(p)))
            || BGPD_GLOBAL_PATTERNS.iter().any(|p| line.contains(p));
        if keep {
            out.push(format!("bgpd.log: {}", drop_hostnames(line, node)));
        }
    }
    out
}

/// gobgpd.log lines (logrus text format) about neighbor `peer`, prefixed "gobgpd.log: ".
pub(super) fn gobgpd_lines(log: &str, peer: IpAddr) -> Vec<String> {
    let key = peer.to_string();
    let mut out = Vec::new();
    for line in log.lines() {
        let about_peer = line.contains(&format!("Key={key} "))
            || line.contains(&format!("Key=\"{key}\""))
            || line.ends_with(&format!("Key={key}"));
        let transition = line.contains("msg=\"state changed\"")
            && GOBGPD_TRANSITIONS.iter().any(|t| line.contains(t));
        if !about_peer || !(transition || GOBGPD_PATTERNS.iter().any(|p| line.contains(p))) {
            continue;
        }
        out.push(format!("gobgpd.log: {}", without_field(line, "time")));
    }
    out
}

/// `line` names `address` as a whole token (so 10.0.0.1 does not match 10.0.0.12).
fn mentions(line: &str, address: &str) -> bool {
    let is_addr_char = |c: char| c.is_ascii_hexdigit() || c == '.' || c == ':';
    line.match_indices(address).any(|(i, _)| {
        let before = line[..i].chars().next_back();
        let after = line[i + address.len()..].chars().next();
        !before.is_some_and(is_addr_char) && !after.is_some_and(is_addr_char)
    })
}

/// FRR writes "192.168.99.12(hostname)"; the hostname is the machine's, not the plan's.
fn drop_hostnames(line: &str, node: &[IpAddr]) -> String {
    let mut line = line.to_string();
    for a in node {
        let open = format!("{a}(");
        while let Some(i) = line.find(&open) {
            let start = i + open.len() - 1;
            match line[start..].find(')') {
                Some(len) => line.replace_range(start..=start + len, ""),
                None => break,
            }
        }
    }
    line
}

/// Drops a logrus `name="..."` or `name=value` field and the blank after it.
fn without_field(line: &str, name: &str) -> String {
    let Some(start) = line.find(&format!("{name}=")) else {
        return line.to_string();
    };
    let value = &line[start + name.len() + 1..];
    let len = if let Some(quoted) = value.strip_prefix('"') {
        quoted.find('"').map_or(value.len(), |e| e + 2)
    } else {
        value.find(' ').unwrap_or(value.len())
    };
    let end = (start + name.len() + 1 + len).min(line.len());
    let rest = line[end..].trim_start();
    format!("{}{rest}", &line[..start])
}

/// Parses `netns.sh counters` output ("TCPMD5Failure 3" lines).
pub(super) fn parse_counters(text: &str) -> BTreeMap<String, u64> {
    text.lines()
        .filter_map(|l| {
            let (name, value) = l.split_once(' ')?;
            Some((name.to_string(), value.trim().parse().ok()?))
        })
        .collect()
}

/// "netns fedora1: TcpExt TCPMD5Failure +3" for each counter that moved.
pub(super) fn counter_deltas(
    member: &str,
    before: &BTreeMap<String, u64>,
    after: &BTreeMap<String, u64>,
) -> Vec<String> {
    after
        .iter()
        .filter_map(|(name, &now)| {
            let delta = now.saturating_sub(before.get(name).copied().unwrap_or(0));
            (delta > 0).then(|| format!("netns {member}: TcpExt {name} +{delta}"))
        })
        .collect()
}

/// One socket from `ss -Htan`.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Socket {
    pub state: String,
    pub local: (Option<IpAddr>, u16),
    pub peer: (Option<IpAddr>, u16),
}

pub(super) fn parse_sockets(text: &str) -> Vec<Socket> {
    text.lines()
        .filter_map(|l| {
            let f: Vec<&str> = l.split_whitespace().collect();
            (f.len() >= 5).then(|| Socket {
                state: f[0].to_string(),
                local: endpoint(f[3]),
                peer: endpoint(f[4]),
            })
        })
        .collect()
}

/// "192.168.99.10:179", "[fd00::1]:179", "*:179", "0.0.0.0:*" -> (address, port; 0 = any).
fn endpoint(text: &str) -> (Option<IpAddr>, u16) {
    let Some((host, port)) = text.rsplit_once(':') else {
        return (None, 0);
    };
    let host = host.trim_start_matches('[').trim_end_matches(']');
    let host = host.split('%').next().unwrap_or(host);
    (host.parse().ok(), port.parse().unwrap_or(0))
}

/// Socket evidence for one session: the node's sockets towards the peer address and the
/// router's listener and sockets for this node, ephemeral ports dropped. `node` carries the
/// node's listen port (Cilium localPort), `router` bgpd's.
pub(super) fn socket_lines(
    node: (&str, &[Socket], Option<u16>),
    router: Option<(&str, &[Socket], u16)>,
    peer: IpAddr,
    node_addrs: &[IpAddr],
) -> Vec<String> {
    let mut out = Vec::new();
    let (node_name, node_sockets, node_port) = node;
    for s in node_sockets.iter().filter(|s| s.peer.0 == Some(peer)) {
        // Accepted on the node's listen port, or dialled by GoBGP from an ephemeral port.
        out.push(match s.local.0 {
            Some(local) if Some(s.local.1) == node_port => {
                format!(
                    "ss {node_name}: {} {} <- {peer}",
                    s.state,
                    show(local, s.local.1)
                )
            }
            _ => format!("ss {node_name}: {} -> {}", s.state, show(peer, s.peer.1)),
        });
    }
    if let Some((router_name, sockets, listen_port)) = router {
        for s in sockets {
            let node = s.peer.0.filter(|a| node_addrs.contains(a));
            if s.state == "LISTEN" && s.local.1 == listen_port {
                let local = s.local.0.map_or("*".to_string(), |a| a.to_string());
                out.push(format!(
                    "ss {router_name}: LISTEN {local} port {}",
                    s.local.1
                ));
            } else if let (Some(node), true) = (node, s.local.0 == Some(peer)) {
                // Accepted on the listen port, or dialled by bgpd from an ephemeral port.
                out.push(if s.local.1 == listen_port {
                    format!(
                        "ss {router_name}: {} {} <- {node}",
                        s.state,
                        show(peer, s.local.1)
                    )
                } else {
                    format!(
                        "ss {router_name}: {} {peer} -> {}",
                        s.state,
                        show(node, s.peer.1)
                    )
                });
            }
        }
    }
    out
}

fn show(address: IpAddr, port: u16) -> String {
    match address {
        IpAddr::V4(a) => format!("{a}:{port}"),
        IpAddr::V6(a) => format!("[{a}]:{port}"),
    }
}

/// "frr fedora1 ipv4Unicast 192.168.99.12: state Established, peerState Policy, pfxRcd 0" from
/// `show bgp summary json`, for the node's addresses.
pub(super) fn frr_summary_lines(
    router: &str,
    summary: &Value,
    node_addrs: &[IpAddr],
) -> Vec<String> {
    let mut out = Vec::new();
    let Value::Object(families) = summary else {
        return out;
    };
    for (family, f) in families {
        let Value::Object(peers) = &f["peers"] else {
            continue;
        };
        for (address, p) in peers {
            if !address
                .parse()
                .is_ok_and(|a: IpAddr| node_addrs.contains(&a))
            {
                continue;
            }
            let field = |k: &str| match &p[k] {
                Value::String(s) => s.clone(),
                Value::Null => "?".to_string(),
                v => v.to_string(),
            };
            out.push(format!(
                "frr {router} {family} {address}: state {}, peerState {}, pfxRcd {}",
                field("state"),
                field("peerState"),
                field("pfxRcd")
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bgpd_lines_keep_the_node_and_drop_timestamps_and_hostnames() {
        let log = "2026/11/25 06:27:32.689 BGP: [RZMGQ-A03CG] 192.168.99.12(vm) rcvd UPDATE about 192.168.77.128/32 IPv4 unicast -- DENIED due to: route-map;\n\
                   2026/11/25 06:27:32.689 BGP: [RZMGQ-A03CG] 192.168.99.120(vm) rcvd UPDATE about 10.0.0.0/8 IPv4 unicast -- DENIED due to: route-map;\n";
        let node = ["192.168.99.12".parse().unwrap()];
        assert_eq!(
            bgpd_lines(log, &node),
            vec!["bgpd.log: 192.168.99.12 rcvd UPDATE about 192.168.77.128/32 IPv4 unicast -- DENIED due to: route-map;"]
        );
    }

    #[test]
    fn gobgpd_lines_drop_the_time_field() {
        let log = "time=\"2026-11-25T06:27:32Z\" level=info msg=\"Peer Up\" Key=192.168.99.10 State=BGP_FSM_OPENCONFIRM Topic=Peer\n\
                   time=\"2026-11-25T06:27:32Z\" level=info msg=\"Peer Up\" Key=192.168.99.100 State=BGP_FSM_OPENCONFIRM Topic=Peer\n";
        assert_eq!(
            gobgpd_lines(log, "192.168.99.10".parse().unwrap()),
            vec!["gobgpd.log: level=info msg=\"Peer Up\" Key=192.168.99.10 State=BGP_FSM_OPENCONFIRM Topic=Peer"]
        );
    }

    #[test]
    fn sockets_parse_v4_and_v6() {
        let ss = "ESTAB 0 0 192.168.99.12:41234 192.168.99.10:179\nLISTEN 0 4096 [::]:179 [::]:*\n";
        let s = parse_sockets(ss);
        assert_eq!(s[0].peer, (Some("192.168.99.10".parse().unwrap()), 179));
        assert_eq!(s[1].local, (Some("::".parse().unwrap()), 179));
    }
}
