//! The typed model of an FRR configuration (lowered from `syntax`), the shape every rule,
//! the policy engine, the cross-checks and the generator share. No serde here.

pub mod secret;

pub use secret::Secret;
