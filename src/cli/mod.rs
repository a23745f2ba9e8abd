//! The frrlint command line, and the only code that prints: clap definitions (`args`), the
//! `check`, `rules` and `explain` commands, and one renderer per output format (`text`,
//! `json`, `sarif`, `github`), each reading the same [`CheckReport`]; `redact` masks
//! passwords in the source lines the text format shows.
//!
//! Renderers return strings and never touch the terminal themselves, so unit tests can feed
//! them hand-built reports; [`run`] writes what they return and says which exit code fits.

mod allocator;
mod args;
mod catalogue;
mod github;
mod json;
mod redact;
mod route;
mod rules;
mod sarif;
mod sessions;
mod text;

pub use args::{CheckArgs, Cli, Command, ExplainArgs, Format, InputArgs, ListFormat, RouteArgs, RouterAddress, RouterPort, RulesArgs, SessionsArgs, Threshold};
pub use allocator::tune_for_one_run;
pub use catalogue::catalogue;

use crate::check::{check_paths, CheckOptions, CheckReport};
use crate::diag::{Diagnostic, Severity};
use crate::source::Location;
use std::io::{IsTerminal, Write};

/// How a run ended; the binary turns it into the process exit code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Nothing at or above the threshold (or `--exit-zero`): exit code 0.
    Clean,
    /// Findings at or above the threshold: exit code 1.
    Findings,
    /// An input could not be read, or the command could not run: exit code 2.
    Failed,
}

impl Outcome {
    pub fn exit_code(self) -> u8 {
        match self {
            Outcome::Clean => 0,
            Outcome::Findings => 1,
            Outcome::Failed => 2,
        }
    }
}

/// Run one parsed command line. An `Err` is a usage or internal error (exit code 2); findings
/// and unreadable inputs are reported through the returned [`Outcome`].
pub fn run(cli: Cli) -> miette::Result<Outcome> {
    match cli.command {
        Command::Check(args) => check(&args),
        Command::Rules(args) => {
            let rules = catalogue();
            let out = match args.format {
                ListFormat::Text => rules::table(&rules),
                ListFormat::Json => rules::json(&rules)?,
            };
            write_stdout(&out)?;
            Ok(Outcome::Clean)
        }
        Command::Explain(args) => {
            let page = rules::explain(&catalogue(), &args.rule)?;
            write_stdout(&page)?;
            Ok(Outcome::Clean)
        }
        Command::Sessions(args) => {
            let report = check_paths(&args.inputs.paths, &options(&args.inputs));
            let (out, outcome) = sessions::render(&report, args.format)?;
            write_stdout(&out)?;
            report_input_errors(&report);
            Ok(outcome)
        }
        Command::Route(args) => {
            let (out, outcome) = route::run(&args)?;
            write_stdout(&out)?;
            Ok(outcome)
        }
    }
}

/// Start reading the embedded grammar on a thread of its own when the command line asks for
/// a subcommand that reads FRR files, before the arguments are parsed: on a large file the
/// reader otherwise waits for it (it takes longer than mapping the file), and argument
/// parsing is a third of a millisecond it can use. The thread is not waited for: whoever
/// needs the grammar first waits for it to be ready, and any other run exits without it.
pub fn prepare_grammar_early() {
    let sub = std::env::args_os().nth(1);
    if sub.is_some_and(|s| matches!(s.to_str(), Some("check" | "sessions" | "route"))) {
        let _ = std::thread::Builder::new().name("frrlint-grammar".into()).spawn(crate::syntax::prepare);
    }
}

/// The library options for a set of inputs.
pub(crate) fn options(i: &InputArgs) -> CheckOptions {
    CheckOptions {
        frr_version: i.frr_version.clone(),
        cilium_version: i.cilium_version.clone(),
        router_addresses: i.router_addresses.iter().map(ToString::to_string).collect(),
        router_ports: i.router_ports.iter().map(ToString::to_string).collect(),
    }
}

/// Input errors go to stderr in every format, so that a redirected JSON or SARIF document
/// does not hide why the exit code is 2.
fn report_input_errors(report: &CheckReport) {
    let mut errors = String::new();
    for e in sorted_input_errors(report) {
        errors.push_str(&format!("frrlint: cannot read {}: {}\n", e.path.display(), e.message));
    }
    if !errors.is_empty() {
        // Nothing better to do if stderr itself is gone.
        let _ = std::io::stderr().lock().write_all(errors.as_bytes());
    }
}

fn check(args: &CheckArgs) -> miette::Result<Outcome> {
    let report = check_paths(&args.inputs.paths, &options(&args.inputs));
    let out = match args.format {
        Format::Text => {
            let color = !args.no_color && std::io::stdout().is_terminal() && !no_color_env();
            text::render(&report, &text::TextOptions { color, stats: args.stats })
        }
        Format::Json => json::render(&report)?,
        Format::Sarif => sarif::render(&report, &catalogue())?,
        Format::Github => github::render(&report),
    };
    write_stdout(&out)?;
    report_input_errors(&report);
    let outcome = outcome(&report, args.severity.into(), args.exit_zero);
    // The process ends right after this: freeing every model and finding one by one would
    // only delay the exit (a tenth of the run on a 200,000-line config).
    std::mem::forget(report);
    Ok(outcome)
}

/// The exit status a report deserves: unreadable input wins, then findings at or above the
/// threshold unless `--exit-zero`.
pub fn outcome(report: &CheckReport, threshold: Severity, exit_zero: bool) -> Outcome {
    if !report.input_errors.is_empty() {
        Outcome::Failed
    } else if !exit_zero && report.diagnostics.iter().any(|d| d.severity >= threshold) {
        Outcome::Findings
    } else {
        Outcome::Clean
    }
}

/// <https://no-color.org>: a non-empty `NO_COLOR` turns colour off.
fn no_color_env() -> bool {
    std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
}

fn write_stdout(s: &str) -> miette::Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(s.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => Ok(()),
        // `frrlint check … | head` closing the pipe early is not an error of ours.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(miette::miette!("cannot write the output: {e}")),
    }
}

/// A finding with its locations resolved, as every format prints it.
pub(crate) struct Finding<'a> {
    pub diag: &'a Diagnostic,
    pub location: Location,
    /// Secondary labels, in the order the rule added them.
    pub related: Vec<(Location, Option<&'a str>)>,
}

/// Every finding of a report with resolved locations, sorted by file name, position, code
/// and message, so that output does not depend on the order files were read in.
pub(crate) fn findings(report: &CheckReport) -> Vec<Finding<'_>> {
    let resolve = |file, span| match report.sources.try_get(file) {
        Some(f) => Location::resolve(f, span),
        // A label into a file the report does not hold is a library bug; print it at the
        // start of an unnamed file rather than lose the finding.
        None => Location { file: String::from("<unknown>"), line: 1, column: 1, end_line: 1, end_column: 1 },
    };
    let mut out: Vec<Finding<'_>> = report
        .diagnostics
        .iter()
        .map(|d| Finding {
            diag: d,
            location: resolve(d.primary.file, d.primary.span),
            related: d.related.iter().map(|l| (resolve(l.file, l.span), l.message.as_deref())).collect(),
        })
        .collect();
    out.sort_by(|a, b| {
        (&a.location, a.diag.code, &a.diag.message).cmp(&(&b.location, b.diag.code, &b.diag.message))
    });
    out
}

pub(crate) fn sorted_input_errors(report: &CheckReport) -> Vec<&crate::check::InputError> {
    let mut v: Vec<_> = report.input_errors.iter().collect();
    v.sort_by(|a, b| (&a.path, &a.message).cmp(&(&b.path, &b.message)));
    v
}

/// `N errors, M warnings, K infos in F files`, plus unreadable inputs when there are any.
pub(crate) fn summary_line(report: &CheckReport) -> String {
    let c = Counts::of(report);
    let mut s = format!(
        "{}, {}, {} in {}",
        plural(c.errors, "error"),
        plural(c.warnings, "warning"),
        plural(c.infos, "info"),
        plural(report.sources.len(), "file")
    );
    if !report.input_errors.is_empty() {
        s.push_str(&format!("; {} could not be read", plural(report.input_errors.len(), "input")));
    }
    s
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// Findings per severity.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Counts {
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
}

impl Counts {
    pub fn of(report: &CheckReport) -> Counts {
        let mut c = Counts::default();
        for d in &report.diagnostics {
            match d.severity {
                Severity::Error => c.errors += 1,
                Severity::Warning => c.warnings += 1,
                Severity::Info => c.infos += 1,
            }
        }
        c
    }
}

#[cfg(test)]
pub(crate) mod testing {
    //! Hand-built reports for the renderers' unit tests, independent of the library's stages.

    use crate::check::{CheckReport, InputError};
    use crate::diag::{Diagnostic, RuleGroup, RuleMeta, Severity};
    use crate::source::{SourceFile, Span};

    pub static UNDEFINED: RuleMeta = RuleMeta {
        code: "FRR101",
        name: "undefined-reference",
        severity: Severity::Error,
        group: RuleGroup::Frr,
        summary: "A route-map, prefix-list or peer-group is used but never defined",
        docs: "# FRR101 undefined-reference\n\nA name is used that nothing defines.\n\nMore text.\n",
    };
    pub static ASN: RuleMeta = RuleMeta {
        code: "XCK201",
        name: "peer-asn-mismatch",
        severity: Severity::Warning,
        group: RuleGroup::Crosscheck,
        summary: "The two sides of a session disagree on an AS number",
        docs: "",
    };

    /// Two files, three findings (one pointing into both files), one unreadable input.
    pub fn report() -> CheckReport {
        let mut r = CheckReport::default();
        let conf_text = "router bgp 65001\n neighbor 10.0.0.2 remote-as 65002\n neighbor 10.0.0.2 route-map IN, in\n";
        let yaml_text = "apiVersion: cilium.io/v2\nkind: CiliumBGPClusterConfig\nspec:\n  peerASN: 65009\n";
        let at = |text: &str, needle: &str| {
            let start = text.find(needle).unwrap_or(0);
            Span::new(start, start + needle.len())
        };
        let (rm, asn, peer) = (at(conf_text, "IN,"), at(conf_text, "65002"), at(yaml_text, "65009"));
        let conf = r.sources.add(SourceFile::new("frr/leaf1.conf", conf_text));
        let yaml = r.sources.add(SourceFile::new("k8s/peer config.yaml", yaml_text));
        r.diagnostics.push(
            Diagnostic::new(&UNDEFINED, conf, rm, "route-map `IN,` is not defined: 100%")
                .label("used here")
                .help("define it with `route-map IN, permit 10`"),
        );
        r.diagnostics.push(
            Diagnostic::new(&ASN, conf, asn, "remote-as 65002 but the Cilium peer says 65009")
                .label("FRR side")
                .related(yaml, peer, "Cilium side"),
        );
        r.diagnostics.push(
            Diagnostic::new(&ASN, conf, Span::new(0, 16), "an informational note").severity(Severity::Info),
        );
        r.input_errors.push(InputError { path: "missing.conf".into(), message: "No such file or directory (os error 2)".into() });
        r.stats.frr_files = 1;
        r.stats.yaml_files = 1;
        r.stats.lines_checked = 7;
        r.stats.lines_passed_through = 1;
        r
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exit_codes() {
        let mut r = testing::report();
        assert_eq!(outcome(&r, Severity::Warning, false), Outcome::Failed);
        r.input_errors.clear();
        assert_eq!(outcome(&r, Severity::Warning, false), Outcome::Findings);
        assert_eq!(outcome(&r, Severity::Warning, true), Outcome::Clean);
        r.diagnostics.retain(|d| d.severity == Severity::Info);
        assert_eq!(outcome(&r, Severity::Warning, false), Outcome::Clean);
        assert_eq!(outcome(&r, Severity::Info, false), Outcome::Findings);
        assert_eq!(Outcome::Failed.exit_code(), 2);
    }

    #[test]
    fn findings_are_sorted_by_file_then_position() {
        let r = testing::report();
        let f = findings(&r);
        let keys: Vec<_> = f.iter().map(|f| (f.location.line, f.location.column, f.diag.code)).collect();
        assert_eq!(keys, vec![(1, 1, "XCK201"), (2, 30, "XCK201"), (3, 30, "FRR101")]);
        assert_eq!(f[1].related[0].0.file, "k8s/peer config.yaml");
        assert_eq!(f[1].related[0].0.line, 4);
    }
}
