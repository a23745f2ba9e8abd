//! The interop lab: runs real FRR bgpd and real GoBGP gobgpd (configured the way Cilium
//! configures it) in network namespaces and reports which sessions come up and which prefixes
//! each router accepts. The ground truth frrlint's session predictions are compared with.
//!
//! `run_plan(&LabPlan) -> Observation`; both formats are described in `README.md` here.
//! `netns.sh` does the privileged work (namespaces, daemons, teardown); `guard` owns one
//! run's resources and tears them down on drop; `daemons` writes the configs; `state` reads
//! the daemons; `evidence` keeps the log lines and counters that explain a verdict.

mod daemons;
mod evidence;
mod formats;
mod guard;
mod observation;
mod plan;
mod run;
mod smoke;
mod state;

pub use observation::{Observation, PrefixFate, SessionObservation};
pub use plan::{Announcement, Family, LabNode, LabPeer, LabPlan, LabRouter, Origin};

/// Why a plan could not be run (as opposed to what the daemons did, which is the Observation).
#[derive(Debug, thiserror::Error)]
pub enum LabError {
    /// The plan is malformed for the harness (duplicate names or addresses, host bits…).
    #[error("invalid plan: {0}")]
    Plan(String),
    /// The machine cannot run the lab: not root, frr/gobgpd/iproute2 missing.
    #[error("the lab cannot run here: {0}")]
    Prerequisite(String),
    /// A setup or teardown step failed.
    #[error("lab step {step:?} failed: {detail}")]
    Setup { step: String, detail: String },
    /// A daemon did not start or did not become ready.
    #[error("{daemon} did not start: {detail}")]
    Daemon { daemon: String, detail: String },
}

/// Runs one plan in fresh namespaces and observes it. Blocks for up to ~15 s (GoBGP's first dial
/// alone comes 5-9 s after it starts). Everything is torn down before this returns, also on
/// error or panic. Safe to call from several threads at once.
pub fn run_plan(plan: &LabPlan) -> Result<Observation, LabError> {
    plan.validate()?;
    let mut lab = guard::Lab::create()?;
    let observation = run::run(&mut lab, plan)?;
    lab.teardown()?;
    Ok(observation)
}
