//! The frrlint command: parse arguments, run the library, map the outcome to an exit code.
//!
//! Exit codes: 0 clean (or findings below the `--severity` threshold, or `--exit-zero`),
//! 1 findings at or above the threshold, 2 usage error, unreadable input or internal error.

use clap::Parser;
use frrlint::cli::{self, Cli};
use std::process::ExitCode;

fn main() -> ExitCode {
    // clap prints usage errors and exits with 2 itself; --help and --version exit with 0.
    let args = Cli::parse();
    match cli::run(args) {
        Ok(outcome) => ExitCode::from(outcome.exit_code()),
        Err(report) => {
            eprintln!("{report:?}");
            ExitCode::from(2)
        }
    }
}
