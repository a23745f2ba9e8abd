//! ebgp-no-policy: an eBGP neighbor active in an address family without inbound or
//! outbound policy while `bgp ebgp-requires-policy` is in force (the default since FRR
//! 7.4 with the traditional profile). RFC 8212: FRR then accepts, or sends, nothing.

use super::Rule;
use crate::diag::{Diagnostic, RuleGroup, RuleMeta, Severity};
use crate::model::{Config, Direction};

pub(crate) static META: RuleMeta = RuleMeta {
    code: "FRR201",
    name: "ebgp-no-policy",
    severity: Severity::Error,
    group: RuleGroup::Frr,
    summary: "an eBGP neighbor without inbound or outbound policy while ebgp-requires-policy is on: it exchanges nothing",
    docs: include_str!("../../docs/rules/FRR201.md"),
};

pub struct EbgpNoPolicy;

impl Rule for EbgpNoPolicy {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cfg: &Config, out: &mut Vec<Diagnostic>) {
        for r in &cfg.routers {
            if r.local_asn().is_none() {
                continue;
            }
            if !r.requires_policy(&cfg.defaults) {
                continue;
            }
            for (p, afs) in r.ebgp_unicast() {
                let af = p.af(afs);
                let missing: Vec<Direction> = [Direction::In, Direction::Out]
                    .into_iter()
                    .filter(|d| !af.is_some_and(|a| a.has_policy(*d)))
                    .collect();
                if missing.is_empty() {
                    continue;
                }
                let what = match missing.as_slice() {
                    [Direction::In] => "no inbound policy: FRR accepts no route from it",
                    [Direction::Out] => "no outbound policy: FRR sends it no route",
                    _ => "no inbound and no outbound policy: FRR neither accepts nor sends routes",
                };
                let who = p
                    .group
                    .map(|g| format!(" (peer-group {})", g.name))
                    .unwrap_or_default();
                let mut d = Diagnostic::new(&META, cfg.file, p.neighbor.span, format!("eBGP neighbor {}{who} in {afs} has {what}", p.neighbor.id))
                        .label("bgp ebgp-requires-policy is in force")
                        .help(format!("attach `neighbor {} route-map NAME in|out` in address-family {afs}, or disable the check with `no bgp ebgp-requires-policy`", p.group.map(|g| g.name.clone()).unwrap_or_else(|| p.neighbor.id.to_string())));
                if let Some(e) = &r.ebgp_requires_policy {
                    d = d.related(cfg.file, e.span, "enabled here");
                }
                out.push(d);
            }
        }
    }
}
