//! Daemon inputs: bgpd's config (the plan's text plus the logging the harness needs) and
//! gobgpd's config (the neighbors the way Cilium's BGP control plane creates them).

use std::path::Path;

use serde_json::{json, Value};

use super::plan::{LabNode, LabPeer, LabRouter};

/// Lines of the plan's config that would write outside the run directory: dropped.
const DROPPED: &[&str] = &["log file", "log syslog", "dump bgp"];

/// The plan's config with lines that write files outside the run directory turned into
/// comments, so line N is still line N.
pub(super) fn confined_config(router: &LabRouter) -> String {
    let mut out = String::new();
    for line in router.config.lines() {
        let t = line.trim_start();
        if DROPPED.iter().any(|d| t.starts_with(d)) {
            out.push_str("! (lab: dropped, writes outside the run directory)\n");
        } else {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

/// What bgpd runs with: logging to `log` with the debugs that make bad OPENs, NOTIFICATIONs and
/// DENIED updates visible, then the confined plan config.
pub(super) fn bgpd_config(router: &LabRouter, log: &Path) -> String {
    let prelude = format!(
        "! frrlint lab: logging added by the harness\n\
         log file {} debugging\n\
         log timestamp precision 3\n\
         debug bgp neighbor-events\n\
         debug bgp updates in\n\
         !\n",
        log.display()
    );
    prelude + &confined_config(router)
}

/// Turns the complaints of bgpd -C (run on `confined_config`, so line N is the plan's line N)
/// into "router: message: text (config line N)". Input lines look like
/// `2026/11/25 06:27:13 BGP: [SHWNK-NWT5S][EC 100663304] No such command on config line 2:  x`.
pub(super) fn config_errors(router: &str, dry_run_output: &str) -> Vec<String> {
    let mut errors = Vec::new();
    for line in dry_run_output.lines() {
        let Some(at) = line.find(" on config line ") else {
            continue;
        };
        let message = strip_log_prefix(&line[..at]);
        let rest = &line[at + " on config line ".len()..];
        let (number, text) = rest.split_once(':').unwrap_or((rest, ""));
        errors.push(format!(
            "{router}: {message}: {} (config line {number})",
            text.trim()
        ));
    }
    errors
}

/// Drops FRR's "date time BGP: [XXXXX-XXXXX][EC n] " prefix from a log line.
pub(super) fn strip_log_prefix(line: &str) -> &str {
    let mut rest = match line.find("BGP: ") {
        Some(i) => &line[i + "BGP: ".len()..],
        None => line,
    };
    while rest.starts_with('[') {
        match rest.find(']') {
            Some(end) => rest = &rest[end + 1..],
            None => break,
        }
    }
    rest.trim_start()
}

/// gobgpd's JSON config for a node. Like Cilium: no listener unless `listen_port` (Cilium's
/// `localPort`); a global import policy that rejects every received path but accepts local
/// ones (Cilium's "allow-local", pkg/bgpv1/gobgp/server.go), so a node never passes one
/// router's routes on to another; remote port = the peer port, the Secret's password as
/// TCP-MD5, ebgp-multihop only above 1. Connect-retry and idle-hold are lowered (GoBGP clamps
/// its dial interval to at least 5 s anyway); hold and keepalive are the plan's.
pub(super) fn gobgpd_config(node: &LabNode) -> String {
    let port = node.listen_port.map_or(-1, i64::from);
    let neighbors: Vec<Value> = node.peers.iter().map(neighbor).collect();
    let config = json!({
        "global": {
            "config": { "as": node.asn, "router-id": node.router_id.to_string(), "port": port },
            "apply-policy": { "config": {
                "import-policy-list": ["allow-local"],
                "default-import-policy": "reject-route",
            } },
        },
        "policy-definitions": [{
            "name": "allow-local",
            "statements": [{
                "name": "accept-local",
                "conditions": { "bgp-conditions": { "route-type": "local" } },
                "actions": { "route-disposition": "accept-route" },
            }],
        }],
        "neighbors": neighbors,
    });
    serde_json::to_string_pretty(&config).unwrap_or_default()
}

fn neighbor(peer: &LabPeer) -> Value {
    let mut config = json!({ "neighbor-address": peer.address.to_string(), "peer-as": peer.asn });
    if let Some(password) = &peer.password {
        config["auth-password"] = json!(password);
    }
    let mut neighbor = json!({
        "config": config,
        "transport": { "config": { "remote-port": peer.port } },
        "timers": { "config": {
            "connect-retry": peer.connect_retry.min(5),
            "hold-time": peer.hold,
            "keepalive-interval": peer.keepalive,
            "idle-hold-time-after-reset": 1,
        } },
        "afi-safis": peer.families.iter()
            .map(|f| json!({ "config": { "afi-safi-name": f.gobgp_name() } }))
            .collect::<Vec<_>>(),
    });
    if peer.ebgp_multihop > 1 {
        neighbor["ebgp-multihop"] =
            json!({ "config": { "enabled": true, "multihop-ttl": peer.ebgp_multihop } });
    }
    neighbor
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn config_errors_are_numbered_in_the_plan_text() {
        let out = "2026/11/25 06:27:13 BGP: [SHWNK-NWT5S][EC 100663304] No such command on config line 2:  bogus command\nother noise\n";
        assert_eq!(
            config_errors("r1", out),
            vec!["r1: No such command: bogus command (config line 2)".to_string()]
        );
    }

    #[test]
    fn file_writing_lines_are_commented_out_in_place() {
        let router = LabRouter {
            name: "r".into(),
            config: "hostname r\nlog file /var/log/frr/bgpd.log\nrouter bgp 1\n".into(),
            addresses: vec!["10.0.0.1/24".parse().unwrap()],
            listen_port: 179,
        };
        let text = confined_config(&router);
        assert_eq!(text.lines().count(), 3);
        assert!(!text.contains("/var/log"));
        assert!(text.lines().nth(2) == Some("router bgp 1"));
    }
}
