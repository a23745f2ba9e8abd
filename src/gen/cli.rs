//! The frrgen command line: clap definitions, and the code that writes, prints or compares
//! what [`compile`] produced, and renders topology findings with miette.
//!
//! Exit codes (as frrlint): `from` 0 when written or printed, 1 with `--check` when the
//! output directory differs from the topology, 2 for a bad topology, a usage error or an
//! I/O error (nothing is written then); `check-topology` 0 clean, 1 warnings only, 2 errors.

use super::{compile, Generated, Input, Issue, ProcessEnv};
use crate::diag::Severity;
use clap::{Args, Parser, Subcommand};
use miette::{Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource, SourceCode};
use std::fmt;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

/// Generate FRR configurations and the matching Cilium manifests from one topology file.
#[derive(Debug, Parser)]
#[command(name = "frrgen", version, propagate_version = true, max_term_width = 100)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Generate the files of one or more topologies
    From(FromArgs),
    /// Check topologies without generating anything
    CheckTopology(CheckTopologyArgs),
}

#[derive(Debug, Args)]
pub struct FromArgs {
    /// Topology files (TOML)
    #[arg(required = true, value_name = "TOPOLOGY")]
    pub topologies: Vec<PathBuf>,

    /// Output directory [default: beside each topology, named after it without .toml]
    #[arg(short = 'o', long = "output", value_name = "DIR")]
    pub output: Option<PathBuf>,

    /// Print the files to standard output instead of writing them
    #[arg(long, conflicts_with = "check")]
    pub stdout: bool,

    /// Compare with the output directory: print diffs, exit 1 if anything differs
    #[arg(long)]
    pub check: bool,
}

#[derive(Debug, Args)]
pub struct CheckTopologyArgs {
    #[arg(required = true, value_name = "TOPOLOGY")]
    pub topologies: Vec<PathBuf>,
}

/// How a run ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Outcome {
    Clean,
    /// `--check` found drift, or `check-topology` found warnings.
    Findings,
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

/// Run one command line. Output goes to stdout (files, diffs) and stderr (findings).
pub fn run(cli: Cli) -> Outcome {
    let mut stdout = std::io::stdout().lock();
    let mut stderr = std::io::stderr().lock();
    let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    let mut io = Io { out: &mut stdout, err: &mut stderr, color };
    match cli.command {
        Command::From(args) => from(&args, &mut io),
        Command::CheckTopology(args) => {
            let mut worst = Outcome::Clean;
            for t in &args.topologies {
                let outcome = match load(t, &mut io) {
                    None => Outcome::Failed,
                    Some(text) => {
                        let (_, issues) = super::check(input(t, &text), &ProcessEnv);
                        report(&mut io, t, &text, &issues);
                        let errors = issues.iter().filter(|i| i.is_error()).count();
                        let _ = writeln!(
                            io.err,
                            "{}: {errors} error(s), {} warning(s)",
                            t.display(),
                            issues.len() - errors
                        );
                        match issues.iter().map(|i| i.severity).max() {
                            Some(Severity::Error) => Outcome::Failed,
                            Some(_) => Outcome::Findings,
                            None => Outcome::Clean,
                        }
                    }
                };
                worst = worst.max(outcome);
            }
            worst
        }
    }
}

/// Where output goes; tests can capture it.
pub struct Io<'a> {
    pub out: &'a mut dyn Write,
    pub err: &'a mut dyn Write,
    pub color: bool,
}

fn input<'a>(path: &'a Path, text: &'a str) -> Input<'a> {
    let base = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    Input { name: path.to_str().unwrap_or("topology"), text, base_dir: base }
}

fn load(path: &Path, io: &mut Io<'_>) -> Option<String> {
    match std::fs::read_to_string(path) {
        Ok(t) => Some(t),
        Err(e) => {
            let _ = writeln!(io.err, "frrgen: cannot read {}: {e}", path.display());
            None
        }
    }
}

/// The output directory of a topology: `-o`, else beside it, named after it.
fn output_dir(args: &FromArgs, topology: &Path) -> PathBuf {
    match &args.output {
        Some(d) => d.clone(),
        None => topology.with_extension(""),
    }
}

fn from(args: &FromArgs, io: &mut Io<'_>) -> Outcome {
    if args.output.is_some() && args.topologies.len() > 1 && !args.stdout {
        let _ = writeln!(io.err, "frrgen: -o takes one topology; without it each is generated beside its file");
        return Outcome::Failed;
    }
    // Compile everything first: a bad topology must stop the run before anything is written.
    let mut compiled: Vec<(&PathBuf, Generated)> = Vec::new();
    let mut failed = false;
    for t in &args.topologies {
        let Some(text) = load(t, io) else {
            failed = true;
            continue;
        };
        let (generated, issues) = compile(input(t, &text), &ProcessEnv);
        report(io, t, &text, &issues);
        match generated {
            Some(g) => compiled.push((t, g)),
            None => failed = true,
        }
    }
    if failed {
        let _ = writeln!(io.err, "frrgen: nothing written");
        return Outcome::Failed;
    }
    let mut outcome = Outcome::Clean;
    for (t, g) in compiled {
        let dir = output_dir(args, t);
        if args.stdout {
            for (rel, text) in &g.files {
                let _ = write!(io.out, "### {rel}\n{text}");
            }
        } else if args.check {
            match super::output::compare(&dir, &g.files) {
                Ok(drift) if drift.is_empty() => {}
                Ok(drift) => {
                    for d in &drift {
                        let _ = write!(io.out, "{}", d.unified_diff(&dir));
                    }
                    let _ = writeln!(
                        io.err,
                        "frrgen: {} file(s) in {} differ from {}",
                        drift.len(),
                        dir.display(),
                        t.display()
                    );
                    outcome = outcome.max(Outcome::Findings);
                }
                Err(e) => {
                    let _ = writeln!(io.err, "frrgen: cannot read {e}");
                    outcome = Outcome::Failed;
                }
            }
        } else {
            match super::output::write_all(&dir, &g.files) {
                Ok(written) => {
                    let _ = writeln!(
                        io.err,
                        "frrgen: {} file(s) written, {} unchanged in {}",
                        written.len(),
                        g.files.len() - written.len(),
                        dir.display()
                    );
                }
                Err(e) => {
                    let _ = writeln!(io.err, "frrgen: cannot write {e}");
                    outcome = Outcome::Failed;
                }
            }
        }
    }
    let _ = io.out.flush();
    outcome
}

/// Print findings about one topology file.
pub fn report(io: &mut Io<'_>, path: &Path, text: &str, issues: &[Issue]) {
    if issues.is_empty() {
        return;
    }
    let theme = if io.color { GraphicalTheme::unicode() } else { GraphicalTheme::unicode_nocolor() };
    let handler = GraphicalReportHandler::new_themed(theme).with_links(false).with_width(100);
    // Shown snippets come from the file: mask passwords written in it first.
    let mut masked = text.to_string();
    for span in super::secret_spans(text) {
        if let Some(part) = masked.get(span.clone()) {
            let stars: String = part.chars().map(|c| if c == '"' || c == '\'' { c } else { '*' }).collect();
            masked.replace_range(span, &stars);
        }
    }
    let source = NamedSource::new(path.display().to_string(), masked);
    for issue in issues {
        let view = View { issue, source: &source };
        let mut rendered = String::new();
        if handler.render_report(&mut rendered, &view).is_err() {
            rendered = format!("{}: {}\n", path.display(), issue.message);
        }
        let _ = writeln!(io.err, "{rendered}");
    }
}

/// One finding through miette's trait.
struct View<'a> {
    issue: &'a Issue,
    source: &'a NamedSource<String>,
}

impl fmt::Debug for View<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.issue.message)
    }
}

impl fmt::Display for View<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.issue.message)
    }
}

impl std::error::Error for View<'_> {}

impl Diagnostic for View<'_> {
    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.issue.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Info => miette::Severity::Advice,
        })
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.issue.help.as_ref().map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.issue.span.as_ref().map(|_| self.source as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let span = self.issue.span.as_ref()?;
        let mut labels = vec![LabeledSpan::new_primary_with_span(self.issue.label.clone(), span.clone())];
        labels.extend(self.issue.related.iter().map(|(s, m)| LabeledSpan::new_with_span(Some(m.clone()), s.clone())));
        Some(Box::new(labels.into_iter()))
    }
}
