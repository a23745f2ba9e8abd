//! ebgp-policy-disabled: RFC 8212 enforcement is off (`no bgp ebgp-requires-policy`, the
//! datacenter profile, or an old `frr version`) and an eBGP neighbor has no inbound policy:
//! it accepts every route the peer sends.

use super::Rule;
use crate::diag::{Diagnostic, RuleGroup, RuleMeta, Severity};
use crate::model::{Config, Direction};

pub(crate) static META: RuleMeta = RuleMeta {
    code: "FRR202",
    name: "ebgp-policy-disabled",
    severity: Severity::Info,
    group: RuleGroup::Frr,
    summary:
        "RFC 8212 safety is off and an eBGP neighbor has no inbound policy: it accepts everything",
    docs: include_str!("../../docs/rules/FRR202.md"),
};

pub struct EbgpPolicyDisabled;

impl Rule for EbgpPolicyDisabled {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cfg: &Config, out: &mut Vec<Diagnostic>) {
        for r in &cfg.routers {
            if r.local_asn().is_none() {
                continue;
            }
            if r.requires_policy(&cfg.defaults) {
                continue;
            }
            for (p, afs) in r.ebgp_unicast() {
                if p.af(afs).is_some_and(|a| a.has_policy(Direction::In)) {
                    continue;
                }
                let mut d = Diagnostic::new(&META, cfg.file, p.neighbor.span, format!("eBGP neighbor {} accepts every {afs} route it is sent: no inbound policy and ebgp-requires-policy is off", p.neighbor.id))
                        .help("add an inbound route-map that permits only the prefixes you expect");
                if let Some(e) = &r.ebgp_requires_policy {
                    d = d.related(cfg.file, e.span, "disabled here");
                }
                out.push(d);
            }
        }
    }
}
