//! peer-group-port-ignored: `neighbor GROUP port N` on a peer-group. FRR does not copy a
//! group's port to its members (`peer_group2peer_config_copy` leaves it out, like
//! `description`); the members keep dialing 179. Checked on FRR 8.4.4: a member of a group
//! with `port 32179` connects to port 179.

use super::Rule;
use crate::diag::{Diagnostic, RuleGroup, RuleMeta, Severity};
use crate::model::Config;

pub(crate) static META: RuleMeta = RuleMeta {
    code: "FRR206",
    name: "peer-group-port-ignored",
    severity: Severity::Warning,
    group: RuleGroup::Frr,
    summary: "`port` set on a peer-group: FRR does not apply it to the members",
    docs: include_str!("../../docs/rules/FRR206.md"),
};

pub struct PeerGroupPortIgnored;

impl Rule for PeerGroupPortIgnored {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cfg: &Config, out: &mut Vec<Diagnostic>) {
        for r in &cfg.routers {
            for g in r.peer_groups.values() {
                let Some(port) = &g.settings.port else { continue };
                let members: Vec<String> = r
                    .neighbors
                    .iter()
                    .filter(|n| n.group.as_ref().is_some_and(|m| m.value == g.name) && n.settings.port.is_none())
                    .map(|n| n.id.to_string())
                    .collect();
                if members.is_empty() {
                    continue;
                }
                out.push(
                    Diagnostic::new(&META, cfg.file, port.span, format!("port {} on peer-group {} is not applied to its members ({}): they still connect to port 179", port.value, g.name, members.join(", ")))
                        .help("set `neighbor ADDRESS port N` on each member if FRR must dial another port, or remove the line"),
                );
            }
        }
    }
}
