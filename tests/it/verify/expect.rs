//! expect.toml: what frrlint must predict for one scenario (its rule codes, every session's
//! state and every prefix verdict), checked before the lab compares, so that a scenario cannot
//! quietly stop testing what it is named after.

use std::collections::BTreeSet;
use std::net::IpAddr;

use frrlint::check::{CheckReport, CrossReport};
use frrlint::crosscheck::{Origin, Session, State};
use ipnet::IpNet;
use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Expectation {
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
pub(super) fn expectation_mismatches(
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
