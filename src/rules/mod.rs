//! Single-file FRR rules: `trait Rule`, one file per rule, and the one registry
//! ([`RULES`]). Each rule reads the typed model of one configuration and pushes findings;
//! inline `! frrlint: ignore[…]` comments are applied afterwards, in [`check_config`].

use crate::diag::{Diagnostic, RuleMeta};
use crate::model::Config;

mod classful_network;
mod command_rejected;
mod duplicate_definition;
mod early_end;
mod ebgp_no_policy;
mod ebgp_policy_disabled;
mod empty_prefix_list;
mod family_mismatch;
mod implicit_block_exit;
mod invalid_value;
mod keepalive_adjusted;
mod neighbor_no_remote_as;
mod peer_group_port_ignored;
mod shadowed_prefix_list_entry;
mod stray_block_exit;
mod syntax_error;
mod undefined_reference;
mod unreachable_route_map_entry;
mod unused_definition;

/// `family-mismatch` also covers Cilium families against FRR activation (crosscheck).
pub use family_mismatch::META as FAMILY_MISMATCH;

/// A check over one FRR configuration.
pub trait Rule: Sync {
    fn meta(&self) -> &'static RuleMeta;
    fn check(&self, cfg: &Config, out: &mut Vec<Diagnostic>);
}

/// Every single-file rule. Adding a rule: one file, one line here.
pub static RULES: &[&dyn Rule] = &[
    &syntax_error::SyntaxError,
    &invalid_value::InvalidValue,
    &implicit_block_exit::ImplicitBlockExit,
    &command_rejected::CommandRejected,
    &early_end::EarlyEnd,
    &stray_block_exit::StrayBlockExit,
    &undefined_reference::UndefinedReference,
    &unused_definition::UnusedDefinition,
    &duplicate_definition::DuplicateDefinition,
    &ebgp_no_policy::EbgpNoPolicy,
    &ebgp_policy_disabled::EbgpPolicyDisabled,
    &neighbor_no_remote_as::NeighborNoRemoteAs,
    &keepalive_adjusted::KeepaliveAdjusted,
    &classful_network::ClassfulNetwork,
    &peer_group_port_ignored::PeerGroupPortIgnored,
    &shadowed_prefix_list_entry::ShadowedPrefixListEntry,
    &unreachable_route_map_entry::UnreachableRouteMapEntry,
    &empty_prefix_list::EmptyPrefixList,
    &family_mismatch::FamilyMismatch,
];

/// The third-person verb of an action, for messages: "permits", "denies".
pub(crate) fn verb(a: crate::model::Action) -> &'static str {
    match a {
        crate::model::Action::Permit => "permits",
        crate::model::Action::Deny => "denies",
    }
}

/// Every rule frrlint has, of every group, for `frrlint rules`, `explain` and SARIF.
pub fn catalogue() -> Vec<&'static RuleMeta> {
    let mut v: Vec<&'static RuleMeta> = RULES.iter().map(|r| r.meta()).collect();
    v.extend(crate::k8s::checks::CHECKS.iter().map(|c| c.meta));
    v.extend(crate::crosscheck::rule_metas());
    v.sort_by_key(|m| m.code);
    v.dedup_by_key(|m| m.code);
    v
}

/// Find a rule by code (`FRR101`) or name (`undefined-reference`).
pub fn find(key: &str) -> Option<&'static RuleMeta> {
    catalogue().into_iter().find(|m| m.code.eq_ignore_ascii_case(key) || m.name == key)
}

/// The rules whose work grows with every prefix-list entry or every reference, longest
/// first: on a large config they are started before the others, which then fill the other
/// thread, so that the rules take about as long as the longest one (in registry order the
/// two longest ran last, one after the other).
const LONGEST_FIRST: &[&str] = &["shadowed-prefix-list-entry", "family-mismatch", "undefined-reference", "unused-definition", "ebgp-no-policy"];

/// Indices into [`RULES`]: [`LONGEST_FIRST`], then the others in registry order.
fn start_order() -> Vec<usize> {
    let rank = |i: usize| LONGEST_FIRST.iter().position(|&n| n == RULES[i].meta().name).unwrap_or(LONGEST_FIRST.len());
    let mut order: Vec<usize> = (0..RULES.len()).collect();
    order.sort_by_key(|&i| rank(i));
    order
}

/// Commands from which the rules are shared with other threads: below this the rules take
/// well under a millisecond, less than starting a thread.
const PARALLEL_FROM: usize = 20_000;

/// Run every rule on `cfg` and drop findings that an inline comment suppresses.
pub fn check_config(cfg: &Config) -> Vec<Diagnostic> {
    // The rules are independent readers of the model. On a large config they run on this
    // thread and on helpers started for them, each taking the next rule in [`start_order`]
    // until none is left; their findings are put together in registry order. No pool is
    // started for them: this thread has nothing else to do meanwhile, and a pool's threads
    // cost as much to start as a helper of our own. Under a pool already (several files
    // checked at once) the files are what runs in parallel.
    let slots: Vec<std::sync::Mutex<Vec<Diagnostic>>> = RULES.iter().map(|_| Default::default()).collect();
    let order = start_order();
    let next = std::sync::atomic::AtomicUsize::new(0);
    let work = || {
        while let Some(&i) = order.get(next.fetch_add(1, std::sync::atomic::Ordering::Relaxed)) {
            let mut v = Vec::new();
            RULES[i].check(cfg, &mut v);
            *slots[i].lock().unwrap_or_else(|e| e.into_inner()) = v;
        }
    };
    let helpers = if cfg.stats.commands_checked < PARALLEL_FROM || rayon::current_thread_index().is_some() {
        0
    } else {
        std::thread::available_parallelism().map_or(1, |n| n.get()).min(4) - 1
    };
    std::thread::scope(|s| {
        for _ in 0..helpers {
            // No thread to be had: this thread runs every rule.
            let _ = std::thread::Builder::new().name("frrlint-rules".into()).spawn_scoped(s, work);
        }
        work();
    });
    let mut out: Vec<Diagnostic> = slots.into_iter().flat_map(|m| m.into_inner().unwrap_or_else(|e| e.into_inner())).collect();
    apply_suppressions(cfg, &mut out);
    out
}

/// `! frrlint: ignore[rule]` on the line before a command silences that rule (by name or
/// code) on that line; `! frrlint: ignore` silences every rule there.
pub fn apply_suppressions(cfg: &Config, out: &mut Vec<Diagnostic>) {
    if cfg.suppressions.is_empty() {
        return;
    }
    out.retain(|d| {
        if d.primary.file != cfg.file {
            return true;
        }
        let at = d.primary.span.start;
        !cfg.suppressions.iter().any(|s| {
            s.target.start <= at && at <= s.target.end && (s.rules.is_empty() || s.rules.iter().any(|r| r == d.rule || r.eq_ignore_ascii_case(d.code)))
        })
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A config large enough for the rules to be shared between threads gets the findings
    /// of running each rule in turn, in registry order.
    #[test]
    fn shared_rules_find_what_rules_in_turn_find() {
        use crate::source::{FileId, SourceFile};
        let mut text = String::from("router bgp 65001\n neighbor 192.0.2.1 remote-as 65002\n address-family ipv4 unicast\n  neighbor 192.0.2.1 prefix-list MISSING in\n exit-address-family\nexit\n");
        for i in 0..PARALLEL_FROM {
            text.push_str(&format!("ip prefix-list BIG seq {} permit 10.{}.{}.0/24\n", i + 1, i / 256 % 256, i % 256));
        }
        text.push_str("ip prefix-list BIG seq 999999 deny 10.0.0.0/24\nroute-map UNUSED permit 10\n match ipv6 address prefix-list BIG\nexit\n");
        let file = SourceFile::new("big.conf", text);
        let cfg = Config::from_source(FileId(0), &file, &crate::syntax::ParseOptions::default());
        assert!(cfg.stats.commands_checked >= PARALLEL_FROM);
        let mut want = Vec::new();
        for rule in RULES {
            rule.check(&cfg, &mut want);
        }
        apply_suppressions(&cfg, &mut want);
        let got = check_config(&cfg);
        assert!(want.len() >= 3, "{want:?}");
        assert_eq!(format!("{got:?}"), format!("{want:?}"));
    }

    /// Every rule is started once, the longest first: a renamed rule left in
    /// `LONGEST_FIRST` would silently lose its place.
    #[test]
    fn every_rule_is_started_once_longest_first() {
        let mut order = start_order();
        for (k, name) in LONGEST_FIRST.iter().enumerate() {
            assert_eq!(RULES[order[k]].meta().name, *name, "rule {name} is not in RULES");
        }
        order.sort_unstable();
        assert_eq!(order, (0..RULES.len()).collect::<Vec<_>>());
    }
}
