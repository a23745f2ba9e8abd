//! The `json` format: one document with a stable, versioned schema (docs/output-formats.md).
//! The output structs live here so that the model never needs serde; a change that removes
//! or retypes a field must bump `version`.

use super::{findings, sorted_input_errors, Counts};
use crate::check::CheckReport;
use crate::source::Location;
use serde::Serialize;

/// The schema version written as `"version"`.
pub const SCHEMA_VERSION: u32 = 1;

#[derive(Serialize)]
struct JsonReport<'a> {
    version: u32,
    diagnostics: Vec<JsonDiagnostic<'a>>,
    errors: Vec<JsonError>,
    summary: JsonSummary,
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    code: &'static str,
    rule: &'static str,
    severity: &'static str,
    message: &'a str,
    help: Option<&'a str>,
    label: Option<&'a str>,
    file: String,
    line: u32,
    column: u32,
    end_line: u32,
    end_column: u32,
    related: Vec<JsonRelated<'a>>,
}

#[derive(Serialize)]
struct JsonRelated<'a> {
    file: String,
    line: u32,
    column: u32,
    end_line: u32,
    end_column: u32,
    message: Option<&'a str>,
}

#[derive(Serialize)]
struct JsonError {
    path: String,
    message: String,
}

#[derive(Serialize)]
struct JsonSummary {
    files: usize,
    frr_files: usize,
    yaml_files: usize,
    errors: usize,
    warnings: usize,
    infos: usize,
    unreadable: usize,
    lines_checked: usize,
    lines_passed_through: usize,
}

pub fn render(report: &CheckReport) -> miette::Result<String> {
    let diagnostics = findings(report)
        .into_iter()
        .map(|f| {
            let Location { file, line, column, end_line, end_column } = f.location;
            JsonDiagnostic {
                code: f.diag.code,
                rule: f.diag.rule,
                severity: f.diag.severity.as_str(),
                message: &f.diag.message,
                help: f.diag.help.as_deref(),
                label: f.diag.primary.message.as_deref(),
                file,
                line,
                column,
                end_line,
                end_column,
                related: f
                    .related
                    .into_iter()
                    .map(|(l, message)| JsonRelated {
                        file: l.file,
                        line: l.line,
                        column: l.column,
                        end_line: l.end_line,
                        end_column: l.end_column,
                        message,
                    })
                    .collect(),
            }
        })
        .collect();
    let errors: Vec<JsonError> = sorted_input_errors(report)
        .into_iter()
        .map(|e| JsonError { path: e.path.display().to_string(), message: e.message.clone() })
        .collect();
    let counts = Counts::of(report);
    let summary = JsonSummary {
        files: report.sources.len(),
        frr_files: report.stats.frr_files,
        yaml_files: report.stats.yaml_files,
        errors: counts.errors,
        warnings: counts.warnings,
        infos: counts.infos,
        unreadable: errors.len(),
        lines_checked: report.stats.lines_checked,
        lines_passed_through: report.stats.lines_passed_through,
    };
    let doc = JsonReport { version: SCHEMA_VERSION, diagnostics, errors, summary };
    let mut s = serde_json::to_string_pretty(&doc).map_err(|e| miette::miette!("cannot encode the JSON report: {e}"))?;
    s.push('\n');
    Ok(s)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::testing;
    use serde_json::{json, Value};

    /// Every key path in a document, `diagnostics[].related[].file` style.
    fn key_paths(v: &Value, prefix: &str, out: &mut std::collections::BTreeSet<String>) {
        match v {
            Value::Object(m) => {
                for (k, v) in m {
                    let p = format!("{prefix}.{k}");
                    out.insert(p.clone());
                    key_paths(v, &p, out);
                }
            }
            Value::Array(a) => a.iter().for_each(|v| key_paths(v, &format!("{prefix}[]"), out)),
            _ => {}
        }
    }

    #[test]
    fn the_documented_example_has_the_fields_we_write() {
        let doc = include_str!("../../docs/output-formats.md");
        let example = doc.split("```json\n").nth(1).and_then(|s| s.split("```").next()).unwrap();
        let example: Value = serde_json::from_str(example).unwrap();
        let ours: Value = serde_json::from_str(&render(&testing::report()).unwrap()).unwrap();
        let (mut a, mut b) = (Default::default(), Default::default());
        key_paths(&example, "", &mut a);
        key_paths(&ours, "", &mut b);
        assert_eq!(a, b);
        // And the field table names every field.
        let table = doc.split("| field | type | meaning |").nth(1).and_then(|s| s.split("## ").next()).unwrap();
        for path in &b {
            let leaf = path.rsplit(['.', ']']).next().unwrap_or(path);
            assert!(table.contains(leaf), "{path} is not in the field table");
        }
    }

    #[test]
    fn schema_fields() {
        let v: Value = serde_json::from_str(&render(&testing::report()).unwrap()).unwrap();
        assert_eq!(v["version"], 1);
        let d = &v["diagnostics"];
        assert_eq!(d.as_array().map(Vec::len), Some(3));
        assert_eq!(
            d[1],
            json!({
                "code": "XCK201", "rule": "peer-asn-mismatch", "severity": "warning",
                "message": "remote-as 65002 but the Cilium peer says 65009", "help": null,
                "label": "FRR side", "file": "frr/leaf1.conf",
                "line": 2, "column": 30, "end_line": 2, "end_column": 35,
                "related": [{ "file": "k8s/peer config.yaml", "line": 4, "column": 12,
                              "end_line": 4, "end_column": 17, "message": "Cilium side" }]
            })
        );
        assert_eq!(d[2]["code"], "FRR101");
        assert_eq!(d[2]["help"], "define it with `route-map IN, permit 10`");
        assert_eq!(v["errors"], json!([{ "path": "missing.conf", "message": "No such file or directory (os error 2)" }]));
        assert_eq!(
            v["summary"],
            json!({ "files": 2, "frr_files": 1, "yaml_files": 1, "errors": 1, "warnings": 1, "infos": 1,
                    "unreadable": 1, "lines_checked": 7, "lines_passed_through": 1 })
        );
    }
}
