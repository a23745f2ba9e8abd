//! Tests over whole inputs: the three labs of `../shared/fixtures`, the rule fixtures under
//! `fixtures/k8s`, and hostile YAML.

mod fixtures;
mod hostile;
mod labs;
mod semantics;

use super::checks::run_all;
use super::{effective, read, CiliumVersion, Cluster, Effective, EffectiveOptions};
use crate::diag::{sort_and_dedup, Diagnostic};
use crate::source::{SourceFile, Sources};
use std::path::{Path, PathBuf};

/// Everything one run over some YAML produced.
pub(super) struct Run {
    pub sources: Sources,
    pub cluster: Cluster,
    pub eff: Effective,
    pub diags: Vec<Diagnostic>,
}

impl Run {
    /// `(rule name, file name, 1-based line)` of every finding.
    pub fn findings(&self) -> Vec<(&'static str, String, u32)> {
        self.diags
            .iter()
            .map(|d| {
                let f = self.sources.get(d.primary.file);
                (d.rule, f.name.clone(), f.line_col(d.primary.span.start).0)
            })
            .collect()
    }

    pub fn rules(&self) -> Vec<&'static str> {
        self.diags.iter().map(|d| d.rule).collect()
    }
}

/// Read `files` (name, text) and run every check for `version`.
pub(super) fn run_texts(files: &[(String, String)], version: CiliumVersion) -> Run {
    let mut sources = Sources::new();
    let mut cluster = Cluster::default();
    let mut diags = Vec::new();
    for (name, text) in files {
        let id = sources.add(SourceFile::new(name.clone(), text.clone()));
        read(id, sources.get(id), &mut cluster, &mut diags);
    }
    let eff = effective(&cluster, &EffectiveOptions { version, ..EffectiveOptions::default() });
    run_all(&cluster, &eff, &mut diags);
    sort_and_dedup(&mut diags);
    Run { sources, cluster, eff, diags }
}

pub(super) fn run_yaml(text: &str, version: CiliumVersion) -> Run {
    run_texts(&[("test.yaml".to_string(), text.to_string())], version)
}

/// Every `*.yaml` file under `dir`, sorted, as (relative name, text).
pub(super) fn yaml_files(dir: &Path) -> Vec<(String, String)> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| matches!(p.extension().and_then(|e| e.to_str()), Some("yaml" | "yml")))
        .collect();
    paths.sort();
    paths
        .into_iter()
        .map(|p| {
            let name = p.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            (name, std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display())))
        })
        .collect()
}

/// `../shared/fixtures/<lab>/k8s`.
pub(super) fn lab_dir(lab: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/fixtures").join(lab).join("k8s")
}

/// No password read in `run` appears in any finding's text, nor on the source line of any
/// of its labels (renderers print those lines).
pub(super) fn assert_no_secret_printed(run: &Run, what: &str) {
    let secrets: Vec<String> = run
        .cluster
        .secrets
        .values()
        .flat_map(|s| s.data.values().chain(s.string_data.values()))
        .map(|v| v.value.expose().to_string())
        .filter(|v| v.len() >= 4)
        .collect();
    for d in &run.diags {
        let mut text = format!("{} {:?} {:?} {:?}", d.message, d.help, d.primary.message, d.related);
        for label in std::iter::once(&d.primary).chain(&d.related) {
            let f = run.sources.get(label.file);
            let (line, _) = f.line_col(label.span.start);
            text.push_str(f.slice(f.line_span(line)));
        }
        for s in &secrets {
            assert!(!text.contains(s.as_str()), "{what}: a secret value is printed in: {text}");
        }
    }
    let eff = format!("{:?}", run.eff);
    for s in &secrets {
        assert!(!eff.contains(s.as_str()), "{what}: a secret value is in Effective's Debug output");
    }
}
