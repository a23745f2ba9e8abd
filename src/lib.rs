//! frrlint: FRR configuration text -> `syntax` (grammar engine) -> `model` (typed IR)
//! -> `rules` and `crosscheck` (with Kubernetes/Cilium facts from `k8s`) -> `diag` findings,
//! printed by `cli`. `policy` evaluates route-maps; `gen` compiles a topology into FRR
//! configs and Cilium manifests through the same model.

pub mod check;
pub mod cli;
pub mod crosscheck;
pub mod diag;
pub mod gen;
pub mod hash;
pub mod heap;
pub mod k8s;
pub mod model;
pub mod policy;
pub mod rules;
pub mod source;
pub mod syntax;
#[cfg(test)]
mod testing;
