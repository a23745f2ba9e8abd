//! keepalive-adjusted: `timers KEEPALIVE HOLD` with keepalive above hold/3. FRR silently
//! lowers the keepalive to hold/3, so the configuration does not say what runs.

use super::Rule;
use crate::diag::{Diagnostic, RuleGroup, RuleMeta, Severity};
use crate::model::{Config, Spanned, Timers};

pub(crate) static META: RuleMeta = RuleMeta {
    code: "FRR204",
    name: "keepalive-adjusted",
    severity: Severity::Warning,
    group: RuleGroup::Frr,
    summary: "a keepalive above hold/3 that FRR silently lowers",
    docs: include_str!("../../docs/rules/FRR204.md"),
};

pub struct KeepaliveAdjusted;

fn check_one(cfg: &Config, t: &Spanned<Timers>, out: &mut Vec<Diagnostic>) {
    let eff = t.value.effective_keepalive();
    if eff != t.value.keepalive {
        out.push(
            Diagnostic::new(&META, cfg.file, t.span, format!("keepalive {} is more than a third of hold time {}: FRR uses {eff}", t.value.keepalive, t.value.hold))
                .help(format!("write `{eff} {}` so the configuration says what FRR does", t.value.hold)),
        );
    }
}

impl Rule for KeepaliveAdjusted {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cfg: &Config, out: &mut Vec<Diagnostic>) {
        for r in &cfg.routers {
            if let Some(t) = &r.timers {
                check_one(cfg, t, out);
            }
            let settings = r.peer_groups.values().map(|g| &g.settings).chain(r.neighbors.iter().map(|n| &n.settings));
            for s in settings {
                if let Some(t) = &s.timers {
                    check_one(cfg, t, out);
                }
            }
        }
    }
}
