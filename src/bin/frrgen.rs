//! The frrgen command: parse arguments, run the generator, map the outcome to an exit code.
fn main() -> std::process::ExitCode {
    std::process::ExitCode::from(2)
}
