//! Kubernetes and Cilium manifests -> facts. [`read`] parses YAML files (multi-document,
//! `kind: List`) into a [`Cluster`] of typed objects with the location of every field;
//! [`effective()`] applies Cilium's semantics for one release ([`CiliumVersion`]) and returns
//! what each node would run and announce; `checks` holds the Kubernetes-only rules.
//!
//! Nothing here fails: bad input becomes `invalid-manifest` findings and the rest is read.

pub mod at;
mod base64;
pub mod checks;
pub mod cluster;
mod decode;
pub mod effective;
pub mod resources;
mod schema;
pub mod selector;
pub mod served;
pub mod version;
mod yaml;

#[cfg(test)]
mod tests;

pub use at::{At, Loc, Setting};
pub use cluster::{read, Cluster, FieldUse};
pub use effective::{effective, Effective, EffectiveOptions};
pub use version::{CiliumVersion, Feature, VersionError};
