//! The `text` format: miette's graphical report for each finding (code and rule name, the
//! message, labelled snippets, help), then one summary line. Labels in another file than the
//! primary one are shown as a related report carrying that file's snippet.

use super::redact::redact;
use super::{findings, summary_line};
use crate::check::CheckReport;
use crate::diag::{Diagnostic, Label, Severity};
use crate::source::{FileId, SourceFile};
use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource, SourceCode};
use std::collections::BTreeMap;
use std::fmt;

pub struct TextOptions {
    /// ANSI colours; the caller decides (terminal, `--no-color`, `NO_COLOR`).
    pub color: bool,
    /// Add file and line counts after the summary.
    pub stats: bool,
}

pub fn render(report: &CheckReport, opts: &TextOptions) -> String {
    let theme = if opts.color { GraphicalTheme::unicode() } else { GraphicalTheme::unicode_nocolor() };
    let handler = GraphicalReportHandler::new_themed(theme).with_links(false).with_width(100).with_show_related_as_nested(true);
    // One miette source per file, built once and with secrets masked: each finding borrows it.
    let named: Vec<NamedSource<String>> =
        report.sources.iter().map(|(_, f)| NamedSource::new(f.name.clone(), redact(&f.name, &f.text))).collect();
    let mut out = String::new();
    for finding in findings(report) {
        let view = View::of(finding.diag, report, &named);
        let mut rendered = String::new();
        if handler.render_report(&mut rendered, &view).is_err() {
            // miette only fails on a formatter error; fall back to the one-line form.
            rendered = format!("{}: {} {}: {}\n", finding.location, finding.diag.code, finding.diag.rule, finding.diag.message);
        }
        out.push_str(&rendered);
        out.push('\n');
    }
    let summary = summary_line(report);
    out.push_str(&summary);
    out.push('\n');
    if opts.stats {
        let s = &report.stats;
        out.push_str(&format!(
            "files: {} FRR, {} YAML; lines: {} checked, {} passed through\n",
            s.frr_files, s.yaml_files, s.lines_checked, s.lines_passed_through
        ));
    }
    out
}

/// A finding, or the part of it in one other file, seen through miette's trait.
struct View<'a> {
    header: Option<String>,
    message: String,
    severity: miette::Severity,
    help: Option<&'a str>,
    source: Option<&'a NamedSource<String>>,
    labels: Vec<LabeledSpan>,
    related: Vec<View<'a>>,
}

impl<'a> View<'a> {
    fn of(d: &'a Diagnostic, report: &'a CheckReport, named: &'a [NamedSource<String>]) -> View<'a> {
        let file = d.primary.file;
        let source_file = report.sources.try_get(file);
        let mut labels = vec![LabeledSpan::new_primary_with_span(d.primary.message.clone(), clamp(source_file, &d.primary))];
        // Other files' labels, grouped per file in file order.
        let mut elsewhere: BTreeMap<FileId, Vec<&Label>> = BTreeMap::new();
        for l in &d.related {
            if l.file == file {
                labels.push(LabeledSpan::new_with_span(l.message.clone(), clamp(source_file, l)));
            } else {
                elsewhere.entry(l.file).or_default().push(l);
            }
        }
        let related = elsewhere
            .into_iter()
            .map(|(other, ls)| {
                let sf = report.sources.try_get(other);
                View {
                    header: None,
                    message: format!("see also {}", sf.map_or("<unknown>", |f| f.name.as_str())),
                    severity: miette::Severity::Advice,
                    help: None,
                    source: named.get(other.0 as usize),
                    labels: ls.iter().map(|l| LabeledSpan::new_with_span(l.message.clone(), clamp(sf, l))).collect(),
                    related: Vec::new(),
                }
            })
            .collect();
        View {
            header: Some(format!("{} {}", d.code, d.rule)),
            message: d.message.clone(),
            severity: match d.severity {
                Severity::Error => miette::Severity::Error,
                Severity::Warning => miette::Severity::Warning,
                Severity::Info => miette::Severity::Advice,
            },
            help: d.help.as_deref(),
            source: named.get(file.0 as usize),
            labels,
            related,
        }
    }
}

/// Keep a label inside its file so that miette never reports a span it cannot read.
fn clamp(file: Option<&SourceFile>, label: &Label) -> miette::SourceSpan {
    let len = file.map_or(0, |f| f.text.len()) as u32;
    let start = label.span.start.min(len);
    let end = label.span.end.clamp(start, len);
    (start as usize, (end - start) as usize).into()
}

impl fmt::Debug for View<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl fmt::Display for View<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for View<'_> {}

impl miette::Diagnostic for View<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.header.as_ref().map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(self.severity)
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.help.map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.source.map(|s| s as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(self.labels.iter().cloned()))
    }

    fn related<'b>(&'b self) -> Option<Box<dyn Iterator<Item = &'b dyn miette::Diagnostic> + 'b>> {
        if self.related.is_empty() {
            None
        } else {
            Some(Box::new(self.related.iter().map(|r| r as &dyn miette::Diagnostic)))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::testing;

    fn plain(report: &CheckReport, stats: bool) -> String {
        render(report, &TextOptions { color: false, stats })
    }

    #[test]
    fn snippets_codes_and_summary() {
        let out = plain(&testing::report(), true);
        assert!(out.contains("FRR101 undefined-reference"), "{out}");
        assert!(out.contains("route-map `IN,` is not defined: 100%"), "{out}");
        assert!(out.contains("[frr/leaf1.conf:3:30]"), "{out}");
        assert!(out.contains("used here"), "{out}");
        assert!(out.contains("help: define it with `route-map IN, permit 10`"), "{out}");
        assert!(out.ends_with(
            "1 error, 1 warning, 1 info in 2 files; 1 input could not be read\n\
             files: 1 FRR, 1 YAML; lines: 7 checked, 1 passed through\n"
        ), "{out}");
        assert!(!out.contains('\u{1b}'), "no colour asked for:\n{out}");
    }

    #[test]
    fn a_label_in_another_file_shows_that_files_snippet() {
        let out = plain(&testing::report(), false);
        assert!(out.contains("see also k8s/peer config.yaml"), "{out}");
        assert!(out.contains("[k8s/peer config.yaml:4:12]"), "{out}");
        assert!(out.contains("peerASN: 65009"), "{out}");
        assert!(out.contains("Cilium side"), "{out}");
    }

    #[test]
    fn colour_only_when_asked() {
        let out = render(&testing::report(), &TextOptions { color: true, stats: false });
        assert!(out.contains('\u{1b}'));
    }

    #[test]
    fn empty_report() {
        assert_eq!(plain(&CheckReport::default(), false), "0 errors, 0 warnings, 0 infos in 0 files\n");
    }
}
