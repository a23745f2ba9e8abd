//! The `github` format: one GitHub Actions workflow command per finding
//! (`::error file=…,line=…,col=…,endLine=…,endColumn=…,title=CODE rule::message`), which the
//! runner turns into annotations on the pull request. Related locations and help go into the
//! message, since an annotation has only one place.

use super::{findings, sorted_input_errors, summary_line};
use crate::check::CheckReport;
use crate::diag::Severity;

fn command(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "notice",
    }
}

/// Escape a command's message, as the Actions toolkit does.
fn escape_data(s: &str) -> String {
    s.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// Escape a property value: also `:` and `,`, which would end the value.
fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

pub fn render(report: &CheckReport) -> String {
    let mut out = String::new();
    for f in findings(report) {
        let d = f.diag;
        let l = &f.location;
        let mut message = d.message.clone();
        if let Some(help) = &d.help {
            message.push_str("\nhelp: ");
            message.push_str(help);
        }
        for (loc, note) in &f.related {
            message.push_str(&format!("\n{loc}"));
            if let Some(note) = note {
                message.push_str(&format!(": {note}"));
            }
        }
        out.push_str(&format!(
            "::{} file={},line={},col={},endLine={},endColumn={},title={}::{}\n",
            command(d.severity),
            escape_property(&l.file),
            l.line,
            l.column,
            l.end_line,
            l.end_column,
            escape_property(&format!("{} {}", d.code, d.rule)),
            escape_data(&message)
        ));
    }
    for e in sorted_input_errors(report) {
        let path = e.path.display().to_string();
        out.push_str(&format!(
            "::error file={},title=frrlint::{}\n",
            escape_property(&path),
            escape_data(&format!("cannot read {path}: {}", e.message))
        ));
    }
    out.push_str(&format!("frrlint: {}\n", summary_line(report)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::testing;

    #[test]
    fn escaping() {
        assert_eq!(escape_data("100%\r\nnext: a,b"), "100%25%0D%0Anext: a,b");
        assert_eq!(escape_property("a:b,c%\n"), "a%3Ab%2Cc%25%0A");
    }

    #[test]
    fn commands() {
        let out = render(&testing::report());
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), 5, "{out}");
        assert_eq!(lines[0], "::notice file=frr/leaf1.conf,line=1,col=1,endLine=1,endColumn=17,title=XCK201 peer-asn-mismatch::an informational note");
        assert_eq!(
            lines[1],
            "::warning file=frr/leaf1.conf,line=2,col=30,endLine=2,endColumn=35,title=XCK201 peer-asn-mismatch::\
             remote-as 65002 but the Cilium peer says 65009%0Ak8s/peer config.yaml:4:12: Cilium side"
        );
        assert_eq!(
            lines[2],
            "::error file=frr/leaf1.conf,line=3,col=30,endLine=3,endColumn=33,title=FRR101 undefined-reference::\
             route-map `IN,` is not defined: 100%25%0Ahelp: define it with `route-map IN, permit 10`"
        );
        assert_eq!(lines[3], "::error file=missing.conf,title=frrlint::cannot read missing.conf: No such file or directory (os error 2)");
        assert_eq!(lines[4], "frrlint: 1 error, 1 warning, 1 info in 2 files; 1 input could not be read");
    }
}
