//! The Kubernetes-only rules: each reads the [`Cluster`] and its [`Effective`] view and
//! appends findings. One file per rule; [`CHECKS`] lists them for the rule registry.

pub mod advertisement_selects_nothing;
pub mod deprecated_api;
pub mod gateway_labels_not_propagated;
pub mod invalid_manifest;
pub mod node_selector_empty;
pub mod peer_config_missing;
pub mod secret_missing;
pub mod unknown_field;

use super::cluster::Cluster;
use super::effective::Effective;
use crate::diag::{Diagnostic, RuleMeta};

/// A rule of this module: its metadata and its check function.
pub struct Check {
    pub meta: &'static RuleMeta,
    pub run: fn(&Cluster, &Effective, &mut Vec<Diagnostic>),
}

/// Every Kubernetes rule, in code order.
pub static CHECKS: &[Check] = &[
    Check { meta: &unknown_field::META, run: unknown_field::check_unknown_field },
    Check { meta: &deprecated_api::META, run: deprecated_api::check_deprecated_api },
    Check { meta: &secret_missing::META, run: secret_missing::check_secret_missing },
    Check { meta: &peer_config_missing::META, run: peer_config_missing::check_peer_config_missing },
    Check {
        meta: &advertisement_selects_nothing::META,
        run: advertisement_selects_nothing::check_advertisement_selects_nothing,
    },
    Check {
        meta: &gateway_labels_not_propagated::META,
        run: gateway_labels_not_propagated::check_gateway_labels_not_propagated,
    },
    Check { meta: &node_selector_empty::META, run: node_selector_empty::check_node_selector_empty },
    Check { meta: &invalid_manifest::META, run: invalid_manifest::check_invalid_manifest },
];

/// Run every check.
pub fn run_all(cluster: &Cluster, eff: &Effective, out: &mut Vec<Diagnostic>) {
    for c in CHECKS {
        (c.run)(cluster, eff, out);
    }
}
