//! The comparison: every predicted session and every predicted prefix verdict against what
//! the lab observed. A disagreement carries both verdicts and the lab's evidence.

use std::time::Duration;

use frrlint::check::{CheckReport, CrossReport};
use frrlint::crosscheck::{Origin, Session, State};

use super::plan::Built;
use crate::lab::{Observation, PrefixFate};

/// Counts for one scenario's row of the table in docs/verification.md.
#[derive(Debug, Default)]
pub(super) struct Tally {
    pub pred_up: usize,
    pub pred_down: usize,
    pub obs_up: usize,
    pub obs_down: usize,
    pub pred_acc: usize,
    pub pred_rej: usize,
    pub obs_acc: usize,
    pub obs_rej: usize,
    /// Session verdicts compared / agreeing.
    pub sessions: usize,
    pub sessions_agree: usize,
    /// Prefix verdicts compared / agreeing.
    pub prefixes: usize,
    pub prefixes_agree: usize,
    pub unverified: usize,
}

pub(super) struct Outcome {
    pub name: String,
    pub tally: Tally,
    /// Disagreements between frrlint and the lab, each with both verdicts and the evidence.
    pub disagreements: Vec<String>,
    /// Anything else that makes the scenario fail (expect.toml, plan, lab errors).
    pub failures: Vec<String>,
    pub notes: Vec<String>,
    pub took: Duration,
}

fn fate_word(f: Option<PrefixFate>) -> &'static str {
    match f {
        Some(PrefixFate::Accepted) => "accepted",
        Some(PrefixFate::Rejected) => "rejected",
        Some(PrefixFate::NotSent) => "not sent",
        None => "not announced",
    }
}

pub(super) fn compare(
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
                    // A verdict the lab has and frrlint lacks counts as one that disagrees.
                    t.prefixes += 1;
                    if *fate == PrefixFate::Accepted {
                        t.obs_acc += 1;
                    } else {
                        t.obs_rej += 1;
                    }
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
