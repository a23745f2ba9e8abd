//! `frrlint sessions`: the predicted sessions as a table or JSON (schema in
//! docs/output-formats.md). Exit code 1 when a session is predicted never to come up.

use super::{ListFormat, Outcome};
use crate::check::CheckReport;
use crate::crosscheck::table;
use serde::Serialize;

#[derive(Serialize)]
struct JsonSessions<'a> {
    version: u32,
    sessions: Vec<JsonRow<'a>>,
}

#[derive(Serialize)]
struct JsonRow<'a> {
    node: &'a str,
    node_address: &'a str,
    node_asn: &'a str,
    router: &'a str,
    router_address: &'a str,
    router_asn: &'a str,
    port: u16,
    md5: &'a str,
    hold: &'a str,
    state: &'a str,
    prefixes_sent: usize,
    prefixes_accepted: usize,
    reason: &'a str,
}

pub(crate) fn render(report: &CheckReport, format: ListFormat) -> miette::Result<(String, Outcome)> {
    let rows = &report.session_rows;
    let out = match format {
        ListFormat::Text => {
            if report.crosscheck.is_none() {
                "no Kubernetes manifests given: there are no Cilium sessions to predict\n".to_string()
            } else {
                table::render_text(rows)
            }
        }
        ListFormat::Json => {
            let doc = JsonSessions {
                version: 1,
                sessions: rows
                    .iter()
                    .map(|r| JsonRow {
                        node: &r.node,
                        node_address: &r.node_address,
                        node_asn: &r.node_asn,
                        router: &r.router,
                        router_address: &r.router_address,
                        router_asn: &r.router_asn,
                        port: r.port,
                        md5: r.md5,
                        hold: &r.hold,
                        state: r.state,
                        prefixes_sent: r.sent,
                        prefixes_accepted: r.accepted,
                        reason: &r.reason,
                    })
                    .collect(),
            };
            let mut s = serde_json::to_string_pretty(&doc).map_err(|e| miette::miette!("cannot encode JSON: {e}"))?;
            s.push('\n');
            s
        }
    };
    let outcome = if !report.input_errors.is_empty() {
        Outcome::Failed
    } else if rows.iter().any(|r| r.state != "established") {
        Outcome::Findings
    } else {
        Outcome::Clean
    };
    Ok((out, outcome))
}
