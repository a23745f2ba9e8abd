//! The whole `frrlint check` pipeline as one function: gather input files (directories are
//! walked), read them in parallel, parse and lower FRR configs, read Kubernetes manifests,
//! run the rules and cross-checks, apply inline suppressions, and return every finding as
//! data. Nothing here prints; an unreadable file becomes an error entry and the others are
//! still checked.

use crate::diag::{self, Diagnostic, Severity};
use crate::crosscheck::{self, World};
use crate::k8s::{self, Cluster, EffectiveOptions};
use crate::model::Config;
use std::net::IpAddr;
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
    /// Ports bgpd listens on, as `NAME=PORT` (default 179).
    pub router_ports: Vec<String>,
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
    /// The predicted sessions, when manifests were given.
    pub session_rows: Vec<crosscheck::table::Row>,
    /// The cross-check's inputs and results, when manifests were given: what the session
    /// table, `frrlint route` and the interop lab read.
    pub crosscheck: Option<CrossReport>,
}

/// Both sides as the cross-check saw them, owned (the World borrows; this does not).
#[derive(Debug)]
pub struct CrossReport {
    pub cluster: Cluster,
    pub effective: k8s::Effective,
    /// Index = `Session::router`: each router's name, owned addresses and listen port.
    pub routers: Vec<RouterInfo>,
    pub sessions: Vec<crosscheck::Session>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RouterInfo {
    pub name: String,
    /// Index into `CheckReport::configs`.
    pub config: usize,
    pub addresses: Vec<IpAddr>,
    pub listen_port: u16,
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
            Ok(m) if m.is_file() => out.push(p.clone()),
            Ok(_) => errors.push(InputError { path: p.clone(), message: "not a regular file or directory".into() }),
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
        // Symbolic links are not followed inside a walked directory (a loop would never
        // end), and only regular files are read (a FIFO named *.conf would block forever).
        let Ok(meta) = std::fs::symlink_metadata(&p) else { continue };
        if meta.is_dir() {
            walk(&p, out, errors);
        } else if meta.is_file() && matches!(FileKind::from_path(&p), FileKind::Frr | FileKind::Yaml) {
            out.push(p);
        }
    }
}

/// Read files in parallel; a file that cannot be read is reported, not fatal.
pub fn read_inputs(paths: &[PathBuf]) -> (Vec<(PathBuf, SourceFile)>, Vec<InputError>) {
    let read = |p: &PathBuf| match SourceFile::read(p) {
        Ok(file) => Ok((p.clone(), file)),
        Err(e) => Err(InputError { path: p.clone(), message: e.to_string() }),
    };
    // One file is read here; several over the pool.
    let results: Vec<Result<(PathBuf, SourceFile), InputError>> = match paths {
        [one] => vec![read(one)],
        _ => paths.par_iter().map(read).collect(),
    };
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
    // The grammar's top node is compiled while the files are read (when there are FRR
    // files to read with it).
    let frr_input = inputs.iter().any(|p| FileKind::from_path(p) == FileKind::Frr);
    let (files, errors) = std::thread::scope(|s| {
        if frr_input {
            s.spawn(crate::syntax::prepare);
        }
        read_inputs(&inputs)
    });
    report.input_errors.extend(errors);
    let mut ids: Vec<(FileId, FileKind)> = Vec::new();
    for (path, file) in files {
        let kind = FileKind::from_path(&path);
        ids.push((report.sources.add(file), kind));
    }
    report.stats.frr_files = ids.iter().filter(|(_, k)| *k == FileKind::Frr).count();
    report.stats.yaml_files = ids.iter().filter(|(_, k)| *k == FileKind::Yaml).count();
    let parse_opts = match frr_version(opts) {
        Ok(v) => ParseOptions { version: v, ..Default::default() },
        Err(e) => {
            report.input_errors.push(e);
            return report;
        }
    };
    let frr: Vec<FileId> = ids.iter().filter(|(_, k)| *k == FileKind::Frr).map(|(id, _)| *id).collect();
    let sources = &report.sources;
    let one = |&id: &FileId| {
        let cfg = Config::from_source(id, sources.get(id), &parse_opts);
        let diags = rules::check_config(&cfg);
        (cfg, diags)
    };
    // One file is read on this thread (a large one brings its own second thread); several
    // are spread over the pool.
    let results: Vec<(Config, Vec<Diagnostic>)> = match frr.as_slice() {
        [single] => vec![one(single)],
        _ => frr.par_iter().map(one).collect(),
    };
    for (cfg, diags) in results {
        report.stats.lines_checked += cfg.stats.commands_checked;
        report.stats.lines_passed_through += cfg.stats.lines_passed_through;
        report.diagnostics.extend(diags);
        report.configs.push(cfg);
    }
    let yaml: Vec<FileId> = ids.iter().filter(|(_, k)| *k == FileKind::Yaml).map(|(id, _)| *id).collect();
    if !yaml.is_empty() {
        let mut world_opts = match WorldOptions::from_check(opts) {
            Ok(w) => w,
            Err(e) => {
                report.input_errors.push(e);
                return report;
            }
        };
        world_opts.file_names = report.configs.iter().map(|c| file_stem(&report.sources.get(c.file).name)).collect();
        let mut cluster = Cluster::default();
        for id in &yaml {
            k8s::read(*id, report.sources.get(*id), &mut cluster, &mut report.diagnostics);
        }
        let eff = k8s::effective(&cluster, &world_opts.effective);
        k8s::checks::run_all(&cluster, &eff, &mut report.diagnostics);
        let world = World::new(&report.configs, &world_opts.file_names, &cluster, &eff, &world_opts.router_addresses, &world_opts.router_ports);
        let sessions = crosscheck::predict(&world);
        report.diagnostics.extend(crosscheck::check(&world, &sessions));
        report.session_rows = crosscheck::table::rows(&world, &sessions, |s| crosscheck::explain(&world, s));
        let routers = world
            .routers
            .iter()
            .enumerate()
            .map(|(i, r)| RouterInfo { name: r.name.clone(), config: i, addresses: r.addresses.iter().map(|a| a.0).collect(), listen_port: r.listen_port })
            .collect();
        drop(world);
        report.crosscheck = Some(CrossReport { cluster, effective: eff, routers, sessions });
    }
    for cfg in &report.configs {
        rules::apply_suppressions(cfg, &mut report.diagnostics);
    }
    diag::sort_and_dedup(&mut report.diagnostics);
    report
}

fn file_stem(name: &str) -> String {
    Path::new(name).file_stem().and_then(|s| s.to_str()).unwrap_or(name).to_string()
}

/// The cross-check settings that do not come from the files.
#[derive(Debug, Clone, Default)]
pub struct WorldOptions {
    pub effective: EffectiveOptions,
    pub router_addresses: Vec<(String, IpAddr)>,
    pub router_ports: Vec<(String, u16)>,
    pub file_names: Vec<String>,
}

impl WorldOptions {
    fn from_check(opts: &CheckOptions) -> Result<WorldOptions, InputError> {
        let bad = |what: &str, v: &str, expected: &str| InputError { path: PathBuf::from(what), message: format!("`{v}`: expected {expected}") };
        let mut w = WorldOptions::default();
        if let Some(v) = &opts.cilium_version {
            w.effective.version = v.parse().map_err(|_| bad("--cilium-version", v, "a Cilium version such as 1.16 or 1.18"))?;
        }
        for a in &opts.router_addresses {
            let (name, ip) = a.split_once('=').ok_or_else(|| bad("--router-address", a, "NAME=IP"))?;
            let ip: IpAddr = ip.trim().parse().map_err(|_| bad("--router-address", a, "NAME=IP with an IPv4 or IPv6 address"))?;
            w.router_addresses.push((name.trim().to_string(), ip));
        }
        for a in &opts.router_ports {
            let (name, port) = a.split_once('=').ok_or_else(|| bad("--router-port", a, "NAME=PORT"))?;
            let port: u16 = port.trim().parse().map_err(|_| bad("--router-port", a, "NAME=PORT with a port 1-65535"))?;
            w.router_ports.push((name.trim().to_string(), port));
        }
        Ok(w)
    }
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
