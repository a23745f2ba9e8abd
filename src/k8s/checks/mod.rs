//! The Kubernetes-only rules: each reads the [`Cluster`] and its [`Effective`] view and
//! appends findings. One file per rule; [`CHECKS`] lists them for the rule registry.

pub mod invalid_manifest;

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
    Check { meta: &invalid_manifest::META, run: invalid_manifest::check_invalid_manifest },
];

/// Run every check.
pub fn run_all(cluster: &Cluster, eff: &Effective, out: &mut Vec<Diagnostic>) {
    for c in CHECKS {
        (c.run)(cluster, eff, out);
    }
}
