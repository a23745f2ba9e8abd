//! frrgen: one topology file -> FRR configurations and the matching Cilium manifests.
//!
//!     topology.toml ──> topology (serde, spans) ──> plan (checks, resolved values)
//!         ──> build_frr (model::Config per router) ──> emit_frr (show running-config text)
//!         ──> emit_cilium (YAML per cluster)
//!
//! [`compile`] runs the whole pipeline in memory and returns the files it would write, or
//! the findings that stop it; `cli` writes, prints or compares them. The same input gives
//! the same bytes.

pub mod build_frr;
pub mod cli;
pub mod emit_cilium;
pub mod emit_frr;
pub mod issue;
pub mod names;
pub mod output;
pub mod plan;
pub mod secrets;
pub mod topology;
mod yaml;

pub use issue::Issue;
pub use secrets::{Env, MapEnv, ProcessEnv};

use rayon::prelude::*;
use std::collections::BTreeMap;
use std::path::Path;

/// A topology to compile.
#[derive(Debug, Clone, Copy)]
pub struct Input<'a> {
    /// How findings name the file (the path as given).
    pub name: &'a str,
    pub text: &'a str,
    /// The directory password files are relative to.
    pub base_dir: &'a Path,
}

/// Everything one topology generates: relative path (with `/`) -> contents.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Generated {
    pub files: BTreeMap<String, String>,
}

/// The path of a router's configuration in the output directory.
pub fn router_file(router: &str) -> String {
    format!("frr/{router}.conf")
}

/// The path of a cluster's manifests (without Secrets).
pub fn cluster_file(cluster: &str) -> String {
    format!("cilium/{cluster}.yaml")
}

/// The path of a cluster's Secrets.
pub fn secrets_file(cluster: &str) -> String {
    format!("cilium/{cluster}-secrets.yaml")
}

/// Check a topology and generate its files. `None` when any finding is an error.
pub fn compile(input: Input<'_>, env: &dyn Env) -> (Option<Generated>, Vec<Issue>) {
    let (plan, mut issues) = check(input, env);
    let Some(plan) = plan else { return (None, issues) };
    let routers: Vec<Result<(String, String), emit_frr::EmitError>> = (0..plan.routers.len())
        .into_par_iter()
        .map(|i| {
            let cfg = build_frr::build_router(&plan, i);
            emit_frr::emit(&cfg).map(|text| (router_file(&plan.routers[i].name), text))
        })
        .collect();
    let mut files = BTreeMap::new();
    for r in routers {
        match r {
            Ok((path, text)) => {
                files.insert(path, text);
            }
            Err(e) => {
                issues.push(Issue::file_error(format!("internal error: {e}")));
                return (None, issues);
            }
        }
    }
    for (i, c) in plan.clusters.iter().enumerate() {
        let m = emit_cilium::emit(&plan, i);
        files.insert(cluster_file(&c.name), m.bgp);
        if let Some(s) = m.secrets {
            files.insert(secrets_file(&c.name), s);
        }
    }
    (Some(Generated { files }), issues)
}

/// Parse and check a topology without generating anything.
pub fn check(input: Input<'_>, env: &dyn Env) -> (Option<plan::Plan>, Vec<Issue>) {
    let topo = match topology::parse(input.text) {
        Ok(t) => t,
        Err((message, span)) => {
            let issue = match span {
                Some(s) => Issue::error(s, message),
                None => Issue::file_error(message),
            };
            return (None, vec![issue]);
        }
    };
    let source_name =
        Path::new(input.name).file_name().map_or_else(|| input.name.to_string(), |n| n.to_string_lossy().into_owned());
    plan::plan(&topo, &source_name, input.base_dir, env)
}

/// The byte ranges of passwords written inline (`value = "…"`), so that a printer can mask
/// them before showing the file.
pub fn secret_spans(text: &str) -> Vec<std::ops::Range<usize>> {
    let Ok(topo) = topology::parse(text) else { return Vec::new() };
    topo.passwords.values().filter_map(|p| p.value.as_ref().map(toml::Spanned::span)).collect()
}
