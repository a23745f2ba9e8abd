//! The whole `frrlint check` pipeline as one function: gather input files (directories are
//! walked), read them in parallel, parse and lower FRR configs, read Kubernetes manifests,
//! run the rules and cross-checks, apply inline suppressions, and return every finding as
//! data. Nothing here prints; an unreadable file becomes an error entry and the others are
//! still checked.

use crate::diag::{self, Diagnostic, Severity};
use crate::model::Config;
use crate::rules;
use crate::syntax::{FrrVersion, ParseOptions};
use crate::source::{FileId, FileKind, SourceFile, Sources};
use rayon::prelude::*;
use std::path::{Path, PathBuf};

/// What the caller asked for.
#[derive(Debug, Clone, Default)]
pub struct CheckOptions {
    /// Target FRR version ("8.4", "10.5"); `None`: each file's `frr version`, else the newest.
    pub frr_version: Option<String>,
    /// Target Cilium version ("1.16"); `None`: the newest.
    pub cilium_version: Option<String>,
    /// Extra addresses of routers, as `NAME=IP`, for pairing Cilium peers with FRR routers.
    pub router_addresses: Vec<String>,
}

/// An input that could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputError {
    pub path: PathBuf,
    pub message: String,
}

/// Counts for `--stats`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CheckStats {
    pub frr_files: usize,
    pub yaml_files: usize,
    pub lines_checked: usize,
    pub lines_passed_through: usize,
}

/// Everything one run found.
#[derive(Debug, Default)]
pub struct CheckReport {
    pub sources: Sources,
    pub diagnostics: Vec<Diagnostic>,
    pub input_errors: Vec<InputError>,
    pub stats: CheckStats,
    /// The lowered FRR configurations, in input order.
    pub configs: Vec<Config>,
}

impl CheckReport {
    /// Highest severity among the findings, if any.
    pub fn max_severity(&self) -> Option<Severity> {
        self.diagnostics.iter().map(|d| d.severity).max()
    }
}

/// Expand the given paths: files are taken as they are; directories are walked for FRR
/// configs (`*.conf`, `frr.conf`, `bgpd.conf`) and manifests (`*.yaml`, `*.yml`), sorted so
/// that output order does not depend on the file system.
pub fn collect_inputs(paths: &[PathBuf], errors: &mut Vec<InputError>) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for p in paths {
        match std::fs::metadata(p) {
            Ok(m) if m.is_dir() => walk(p, &mut out, errors),
            Ok(_) => out.push(p.clone()),
            Err(e) => errors.push(InputError { path: p.clone(), message: e.to_string() }),
        }
    }
    out
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>, errors: &mut Vec<InputError>) {
    let entries = match std::fs::read_dir(dir) {
        Ok(rd) => rd,
        Err(e) => {
            errors.push(InputError { path: dir.to_path_buf(), message: e.to_string() });
            return;
        }
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for p in paths {
        let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if name.starts_with('.') {
            continue;
        }
        if p.is_dir() {
            walk(&p, out, errors);
        } else if matches!(FileKind::from_path(&p), FileKind::Frr | FileKind::Yaml) {
            out.push(p);
        }
    }
}

/// Read files in parallel; a file that cannot be read is reported, not fatal.
pub fn read_inputs(paths: &[PathBuf]) -> (Vec<(PathBuf, SourceFile)>, Vec<InputError>) {
    let results: Vec<Result<(PathBuf, SourceFile), InputError>> = paths
        .par_iter()
        .map(|p| match std::fs::read(p) {
            Ok(bytes) => Ok((p.clone(), SourceFile::from_bytes(p.display().to_string(), bytes))),
            Err(e) => Err(InputError { path: p.clone(), message: e.to_string() }),
        })
        .collect();
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for r in results {
        match r {
            Ok(f) => files.push(f),
            Err(e) => errors.push(e),
        }
    }
    (files, errors)
}

/// Run the full check over `paths`.
pub fn check_paths(paths: &[PathBuf], opts: &CheckOptions) -> CheckReport {
    let mut report = CheckReport::default();
    let inputs = collect_inputs(paths, &mut report.input_errors);
    let (files, errors) = read_inputs(&inputs);
    report.input_errors.extend(errors);
    let mut ids: Vec<(FileId, FileKind)> = Vec::new();
    for (path, file) in files {
        let kind = FileKind::from_path(&path);
        ids.push((report.sources.add(file), kind));
    }
    report.stats.frr_files = ids.iter().filter(|(_, k)| *k == FileKind::Frr).count();
    report.stats.yaml_files = ids.iter().filter(|(_, k)| *k == FileKind::Yaml).count();
    let parse_opts = match frr_version(opts) {
        Ok(v) => ParseOptions { version: v },
        Err(e) => {
            report.input_errors.push(e);
            return report;
        }
    };
    let frr: Vec<FileId> = ids.iter().filter(|(_, k)| *k == FileKind::Frr).map(|(id, _)| *id).collect();
    let sources = &report.sources;
    let results: Vec<(Config, Vec<Diagnostic>)> = frr
        .par_iter()
        .map(|&id| {
            let cfg = Config::from_source(id, sources.get(id), &parse_opts);
            let diags = rules::check_config(&cfg);
            (cfg, diags)
        })
        .collect();
    for (cfg, diags) in results {
        report.stats.lines_checked += cfg.stats.commands_checked;
        report.stats.lines_passed_through += cfg.stats.lines_passed_through;
        report.diagnostics.extend(diags);
        report.configs.push(cfg);
    }
    diag::sort_and_dedup(&mut report.diagnostics);
    report
}

fn frr_version(opts: &CheckOptions) -> Result<Option<FrrVersion>, InputError> {
    match &opts.frr_version {
        None => Ok(None),
        Some(v) => FrrVersion::parse(v).map(Some).ok_or_else(|| InputError {
            path: PathBuf::from("--frr-version"),
            message: format!("`{v}` is not an FRR version (expected e.g. 8.4 or 10.5)"),
        }),
    }
}
