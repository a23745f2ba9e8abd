//! `frrlint sessions`: the predicted sessions as rows, for a text table or JSON. Built from
//! the same [`Session`] values the cross-check rules read.

use super::{Md5, Origin, Session, State, World};

/// One row of the session table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub node: String,
    pub node_address: String,
    pub node_asn: String,
    pub router: String,
    pub router_address: String,
    pub router_asn: String,
    pub port: u16,
    pub md5: &'static str,
    pub hold: String,
    pub state: &'static str,
    pub sent: usize,
    pub accepted: usize,
    pub reason: String,
}

fn md5_text(m: Md5) -> &'static str {
    match m {
        Md5::None => "no",
        Md5::Same => "yes",
        Md5::Differ => "differs",
        Md5::CiliumOnly => "cilium only",
        Md5::FrrOnly => "frr only",
    }
}

/// The rows, in session order.
pub fn rows(world: &World<'_>, sessions: &[Session], reasons: impl Fn(&Session) -> String) -> Vec<Row> {
    sessions
        .iter()
        .map(|s| Row {
            node: s.node.clone(),
            node_address: s.node_address.map(|a| a.to_string()).unwrap_or_else(|| "?".into()),
            node_asn: s.node_asn.map(|a| a.to_string()).unwrap_or_else(|| "?".into()),
            router: s.router.map(|r| world.routers[r].name.clone()).unwrap_or_else(|| "(none)".into()),
            router_address: match (s.origin, s.router) {
                // The session is the router's neighbor for the node: show the router's own address.
                (Origin::FrrToNode, Some(r)) => world.routers[r].addresses.first().map(|a| a.0.to_string()).unwrap_or_else(|| "?".into()),
                _ => s.peer_address.to_string(),
            },
            router_asn: s.router_asn.map(|a| a.to_string()).unwrap_or_else(|| "?".into()),
            port: s.port,
            md5: md5_text(s.md5),
            hold: s.hold.map(|h| h.to_string()).unwrap_or_else(|| "-".into()),
            state: match (s.state, s.origin) {
                (State::Established, _) => "established",
                (State::Down, Origin::FrrToNode) => "never (node does not peer)",
                (State::Down, _) => "never",
            },
            sent: s.prefixes.len(),
            accepted: s.prefixes.iter().filter(|p| p.accepted).count(),
            reason: reasons(s),
        })
        .collect()
}

/// A plain text table with aligned columns.
pub fn render_text(rows: &[Row]) -> String {
    let header = ["NODE", "NODE ADDRESS", "NODE AS", "ROUTER", "ROUTER ADDRESS", "ROUTER AS", "PORT", "MD5", "HOLD", "STATE", "PREFIXES", "REASON"];
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            vec![
                r.node.clone(),
                r.node_address.clone(),
                r.node_asn.clone(),
                r.router.clone(),
                r.router_address.clone(),
                r.router_asn.clone(),
                r.port.to_string(),
                r.md5.to_string(),
                r.hold.clone(),
                r.state.to_string(),
                format!("{}/{}", r.accepted, r.sent),
                r.reason.clone(),
            ]
        })
        .collect();
    let mut widths: Vec<usize> = header.iter().map(|h| h.len()).collect();
    for row in &cells {
        for (i, c) in row.iter().enumerate() {
            widths[i] = widths[i].max(c.chars().count());
        }
    }
    let line = |cols: Vec<String>| -> String {
        let mut s = String::new();
        for (i, c) in cols.iter().enumerate() {
            if i + 1 == cols.len() {
                s.push_str(c);
            } else {
                s.push_str(&format!("{c:<w$}  ", w = widths[i]));
            }
        }
        s.trim_end().to_string()
    };
    let mut out = line(header.iter().map(|h| h.to_string()).collect());
    out.push('\n');
    for row in cells {
        out.push_str(&line(row));
        out.push('\n');
    }
    out
}
