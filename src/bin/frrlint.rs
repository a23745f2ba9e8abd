//! The frrlint command: parse arguments, run the library, map the outcome to an exit code.
//!
//! Exit codes: 0 clean (or findings below the `--severity` threshold, or `--exit-zero`),
//! 1 findings at or above the threshold, 2 usage error, unreadable input or internal error.

use clap::Parser;
use frrlint::cli::{self, Cli};
use std::process::ExitCode;

fn main() -> ExitCode {
    cli::tune_for_one_run();
    cli::prepare_grammar_early();
    // clap prints usage errors and exits with 2 itself; --help and --version exit with 0.
    let args = Cli::parse();
    // A panic is a bug of ours: the hook has printed it; exit 2, not Rust's 101.
    match std::panic::catch_unwind(|| cli::run(args)) {
        Ok(Ok(outcome)) => ExitCode::from(outcome.exit_code()),
        Ok(Err(report)) => {
            eprintln!("{report:?}");
            ExitCode::from(2)
        }
        Err(_) => {
            eprintln!("frrlint: internal error; please report it with the input that caused it");
            ExitCode::from(2)
        }
    }
}
