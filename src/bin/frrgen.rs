//! The frrgen command: parse arguments, run the generator, map the outcome to an exit code.
//!
//! Exit codes: 0 generated (or up to date, or a clean topology), 1 `--check` found drift or
//! `check-topology` found warnings, 2 a bad topology, a usage error, an I/O error or an
//! internal error. Nothing is written when a topology has an error.

use clap::Parser;
use frrlint::gen::cli::{self, Cli};
use std::process::ExitCode;

fn main() -> ExitCode {
    // clap prints usage errors and exits with 2 itself; --help and --version exit with 0.
    let args = Cli::parse();
    // A panic is a bug of ours: the hook has printed it; exit 2, not Rust's 101.
    match std::panic::catch_unwind(|| cli::run(args)) {
        Ok(outcome) => ExitCode::from(outcome.exit_code()),
        Err(_) => {
            eprintln!("frrgen: internal error; please report it with the topology that caused it");
            ExitCode::from(2)
        }
    }
}
