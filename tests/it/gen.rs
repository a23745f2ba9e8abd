//! frrgen: golden files for every topology fixture; every generated FRR config through FRR's
//! own checker (`vtysh -C`) and through a real bgpd whose `show running-config` must print it
//! back unchanged; the generated FRR configs and Cilium manifests through frrlint's whole
//! pipeline (rules, Kubernetes checks, cross-checks); the mdhlabs lab's seven problems;
//! bad topologies; the command line.
//!
//! FRR 8.4.4 must be installed (tests/run-all.sh does it): without it these tests fail.

use frrlint::check::{check_paths, CheckOptions, CheckReport};
use frrlint::crosscheck::State;
use frrlint::diag::Severity;
use frrlint::gen::plan::Plan;
use frrlint::gen::{self, Generated, Input, MapEnv};
use frrlint::source::SourceFile;
use frrlint::syntax::FrrVersion;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

const TOPOLOGIES: &str = "fixtures/topologies";
const SNAPSHOTS: &str = "tests/it/snapshots/gen";
const BGPD: &str = "/usr/lib/frr/bgpd";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// What the fixtures' `env` passwords stand for.
fn env() -> MapEnv {
    MapEnv::default().with("MDHLABS_BGP_PASSWORD", "weakpassword")
}

/// Every good topology fixture, by name.
fn topologies() -> Vec<(String, PathBuf)> {
    let mut v: Vec<(String, PathBuf)> = std::fs::read_dir(root().join(TOPOLOGIES))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .map(|p| (p.file_stem().unwrap().to_string_lossy().into_owned(), p))
        .collect();
    v.sort();
    assert!(v.len() >= 3, "topology fixtures missing: {v:?}");
    v
}

fn compile(path: &Path) -> (Plan, Generated) {
    let text = std::fs::read_to_string(path).unwrap();
    let input = Input { name: path.to_str().unwrap(), text: &text, base_dir: path.parent().unwrap() };
    let (plan, issues) = gen::check(input, &env());
    let (generated, issues2) = gen::compile(input, &env());
    assert_eq!(issues, issues2);
    let errors: Vec<&str> = issues.iter().filter(|i| i.is_error()).map(|i| i.message.as_str()).collect();
    match (plan, generated) {
        (Some(p), Some(g)) if errors.is_empty() => (p, g),
        _ => panic!("{} does not compile: {errors:?}", path.display()),
    }
}

fn scratch(name: &str) -> PathBuf {
    // Unique per call: tests run in parallel and several use the same topology.
    static N: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = N.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("gen-{name}-{}-{n}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn write(dir: &Path, files: &BTreeMap<String, String>) {
    gen::output::write_all(dir, files).unwrap();
}

/// The routers whose target is FRR 8.4, the release installed here, with their config.
fn frr84_configs() -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (name, path) in topologies() {
        let (plan, g) = compile(&path);
        for r in plan.routers.iter().filter(|r| r.frr_version == FrrVersion::new(8, 4)) {
            out.push((format!("{name}/{}", r.name), g.files[&gen::router_file(&r.name)].clone()));
        }
    }
    assert!(out.len() >= 4, "too few FRR 8.4 configs: {}", out.len());
    out
}

#[test]
fn golden_files() {
    let bless = std::env::var_os("BLESS").is_some_and(|v| !v.is_empty());
    let mut failures = Vec::new();
    for (name, path) in topologies() {
        let (_, g) = compile(&path);
        let dir = root().join(SNAPSHOTS).join(&name);
        if bless {
            let _ = std::fs::remove_dir_all(&dir);
            write(&dir, &g.files);
            continue;
        }
        for (rel, text) in &g.files {
            let golden = std::fs::read_to_string(dir.join(rel)).unwrap_or_default();
            if &golden != text {
                let diff = similar::TextDiff::from_lines(&golden, text)
                    .unified_diff()
                    .header(&format!("{SNAPSHOTS}/{name}/{rel}"), "generated")
                    .to_string();
                failures.push(diff);
            }
        }
        // A golden file the topology no longer generates is stale.
        for sub in ["frr", "cilium"] {
            for e in std::fs::read_dir(dir.join(sub)).into_iter().flatten() {
                let rel = format!("{sub}/{}", e.unwrap().file_name().to_string_lossy());
                if !g.files.contains_key(&rel) {
                    failures.push(format!("{SNAPSHOTS}/{name}/{rel} is not generated any more"));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}\nrun with BLESS=1 to accept the new output", failures.join("\n"));
}

#[test]
fn same_input_same_bytes() {
    for (name, path) in topologies() {
        let (_, a) = compile(&path);
        let (_, b) = compile(&path);
        assert_eq!(a, b, "{name}");
        // The file's location does not show in the output.
        let text = std::fs::read_to_string(&path).unwrap();
        let elsewhere = Input { name: "elsewhere/x.toml", text: &text, base_dir: path.parent().unwrap() };
        let (c, _) = gen::compile(elsewhere, &env());
        let strip = |g: &Generated| -> Vec<String> {
            g.files.values().map(|t| t.replace(&format!("{name}.toml"), "x.toml")).collect()
        };
        assert_eq!(strip(&a), strip(&c.unwrap()), "{name}");
    }
}

fn check_generated(name: &str, plan: &Plan, files: &BTreeMap<String, String>) -> CheckReport {
    let dir = scratch(&format!("lint-{name}"));
    write(&dir, files);
    let mut paths = vec![dir];
    // The cluster's Node objects (and for mdhlabs its Services), as kubectl shows them.
    let k8s = root().join(TOPOLOGIES).join(format!("{name}.k8s"));
    if k8s.is_dir() {
        paths.push(k8s);
    }
    let opts = CheckOptions {
        cilium_version: plan.clusters.first().map(|c| c.cilium.to_string()),
        router_ports: plan
            .routers
            .iter()
            .filter(|r| r.listen_port != 179)
            .map(|r| format!("{}={}", r.name, r.listen_port))
            .collect(),
        ..CheckOptions::default()
    };
    let report = check_paths(&paths, &opts);
    assert!(report.input_errors.is_empty(), "{name}: {:?}", report.input_errors);
    report
}

fn describe(report: &CheckReport, d: &frrlint::diag::Diagnostic) -> String {
    let at = d.location(&report.sources).map_or_else(String::new, |l| format!("{}:{}:{}", l.file, l.line, l.column));
    format!("{at}: {} {} {}: {}", d.severity, d.code, d.rule, d.message)
}

#[test]
fn generated_files_lint_and_cross_check_clean() {
    for (name, path) in topologies() {
        let (plan, g) = compile(&path);
        assert!(plan.clusters.len() <= 1, "{name}: one Cilium version per check run");
        let report = check_generated(&name, &plan, &g.files);
        let findings: Vec<String> = report
            .diagnostics
            .iter()
            .filter(|d| d.severity >= Severity::Warning)
            .map(|d| describe(&report, d))
            .collect();
        assert!(findings.is_empty(), "{name}:\n{}", findings.join("\n"));
        // Every session the topology asks for comes up, and every prefix Cilium would
        // announce on it is accepted.
        let cross = report.crosscheck.as_ref().expect("the manifests were read");
        let expected: usize = plan
            .peerings
            .iter()
            .map(|p| p.session.routers.len() * plan.clusters[p.cluster].nodes.len() * p.session.families.len())
            .sum();
        // Cilium's sessions as the topology asks; sessions between the routers (iBGP meshes)
        // come on top and must come up as well.
        let cilium = cross.sessions.iter().filter(|s| s.origin == frrlint::crosscheck::Origin::Cilium).count();
        assert_eq!(cilium, expected, "{name}: {:#?}", cross.sessions);
        for s in &cross.sessions {
            assert_eq!(s.state, State::Established, "{name}: {} -> {}: {:?}", s.node, s.peer_address, s.problems);
            assert!(s.problems.is_empty(), "{name}: {:?}", s.problems);
            for p in s.prefixes.iter().chain(&s.potential) {
                assert!(p.accepted, "{name}: {} -> {}: {} {:?}", s.node, s.peer_address, p.prefix, p.decision);
            }
        }
    }
}

#[test]
fn mdhlabs_fixes_the_published_problems() {
    let (plan, g) = compile(&root().join(TOPOLOGIES).join("mdhlabs.toml"));
    let f1 = &g.files["frr/fedora1.conf"];
    let f2 = &g.files["frr/fedora2.conf"];
    let report = check_generated("mdhlabs", &plan, &g.files);
    let codes: Vec<&str> = report.diagnostics.iter().map(|d| d.rule).collect();
    // 1. No route-map matches an undefined prefix-list, and nothing is defined unused.
    for rule in ["undefined-reference", "unused-definition"] {
        assert!(!codes.contains(&rule), "{codes:?}");
    }
    // 2. Both files end with FRR's own `end` (vtysh -C accepts them: see below).
    assert!(f1.ends_with("\n!\nend\n") && f2.ends_with("\n!\nend\n"));
    // 3. The routers treat the Cilium peers alike: no `port` (Cilium does not listen), and
    //    they wait for Cilium's sessions.
    let group = |text: &str| -> Vec<String> {
        text.lines().filter(|l| l.starts_with(" neighbor KUBE_AS ")).map(str::to_string).collect()
    };
    assert_eq!(group(f1), group(f2));
    assert!(group(f1).contains(&" neighbor KUBE_AS passive".to_string()), "{f1}");
    assert!(!f1.contains(" port ") && !f2.contains(" port "));
    let cross = report.crosscheck.as_ref().unwrap();
    let cilium: Vec<_> = cross.sessions.iter().filter(|s| s.origin == frrlint::crosscheck::Origin::Cilium).collect();
    assert_eq!(cilium.len(), 6);
    // The routers' own iBGP session (fedora1 <-> fedora2) comes up too.
    let ibgp: Vec<_> = cross.sessions.iter().filter(|s| s.origin == frrlint::crosscheck::Origin::FrrToFrr).collect();
    assert_eq!(ibgp.len(), 1, "{ibgp:?}");
    assert_eq!(ibgp[0].state, State::Established, "{:?}", ibgp[0].problems);
    for s in cilium {
        // 4. Cilium dials the routers at their own addresses, and the sessions come up.
        assert!(["192.168.99.10", "192.168.99.11"].contains(&s.peer_address.to_string().as_str()), "{s:?}");
        assert_eq!(s.state, State::Established, "{:?}", s.problems);
        // 5., 6. and 7.: the advertisement is selected, the /32s are accepted, and the
        //    Gateway's Service (192.168.77.130) is announced like cd-bgp-svc (.129).
        let accepted: Vec<String> = s.prefixes.iter().filter(|p| p.accepted).map(|p| p.prefix.to_string()).collect();
        for vip in ["192.168.77.129/32", "192.168.77.130/32"] {
            assert!(accepted.contains(&vip.to_string()), "{} -> {}: {accepted:?}", s.node, s.peer_address);
        }
    }
    assert!(!codes.contains(&"advertisement-selects-nothing"), "{codes:?}");
}

#[test]
fn frr_checker_accepts_generated_configs() {
    let dir = scratch("vtysh-c");
    for (name, text) in frr84_configs() {
        let file = dir.join(format!("{}.conf", name.replace('/', "-")));
        std::fs::write(&file, &text).unwrap();
        let out = run("vtysh", &["-C", "-f", file.to_str().unwrap()]);
        let all = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
        assert!(out.status.success() && !all.contains('%'), "vtysh -C rejects {name}:\n{all}");
    }
}

#[test]
fn bgpd_prints_generated_configs_back_unchanged() {
    let version = run(BGPD, &["--version"]);
    let version = String::from_utf8_lossy(&version.stdout);
    assert!(version.starts_with("bgpd version 8.4."), "these tests need FRR 8.4: {version}");
    for (i, (name, text)) in frr84_configs().into_iter().enumerate() {
        let dir = scratch(&format!("bgpd-{i}"));
        let conf = dir.join("frr.conf");
        std::fs::write(&conf, &text).unwrap();
        let bgpd = Bgpd::start(&conf, &dir.join("run"));
        let running = bgpd.vtysh("show running-config");
        drop(bgpd);
        let (gen_header, gen_body) = split_header(&text);
        // vtysh adds a preamble before the configuration proper.
        let running = running
            .strip_prefix("Building configuration...\n\nCurrent configuration:\n!\n")
            .unwrap_or_else(|| panic!("{name}: unexpected show running-config:\n{running}"));
        let (run_header, run_body) = split_header(running);
        // In the global lines FRR adds its own: `bgp no-rib` (bgpd runs with -Z, no zebra),
        // and vtysh's own `hostname` and `service integrated-vtysh-config` from vtysh.conf.
        // The generated ones must all be there, in order.
        let mut rest = run_header.iter();
        for line in &gen_header {
            assert!(rest.any(|l| l == line), "{name}: `{line}` missing from {run_header:?}");
        }
        // Everything else (router bgp, prefix-lists, route-maps, end) is compared as it is.
        if gen_body != run_body {
            let diff = similar::TextDiff::from_lines(gen_body, run_body)
                .unified_diff()
                .header("generated", "bgpd")
                .to_string();
            panic!("{name}: bgpd prints it differently:\n{diff}");
        }
    }
}

/// The header lines (up to the first `!`) and the rest.
fn split_header(text: &str) -> (Vec<&str>, &str) {
    let end = text.find("\n!\n").map_or(text.len(), |i| i + 3);
    (text[..end].lines().filter(|l| *l != "!").collect(), &text[end..])
}

fn run(program: &str, args: &[&str]) -> Output {
    Command::new(program).args(args).output().unwrap_or_else(|e| {
        panic!("cannot run {program} ({e}): FRR 8.4.4 must be installed (tests/run-all.sh does it)")
    })
}

/// A bgpd reading one config, with no zebra (-Z), no BGP listener (-p 0) and no TCP vty
/// (-P 0), its vty socket and pid file in its own directory. Dropping it stops the daemon,
/// also when the test fails.
struct Bgpd {
    dir: PathBuf,
}

impl Bgpd {
    fn start(conf: &Path, dir: &Path) -> Bgpd {
        std::fs::create_dir_all(dir).unwrap();
        let guard = Bgpd { dir: dir.to_path_buf() };
        let pid = dir.join("bgpd.pid");
        let args = [
            "-d",
            "-Z",
            "-S",
            "-P",
            "0",
            "-p",
            "0",
            "-f",
            conf.to_str().unwrap(),
            "--vty_socket",
            dir.to_str().unwrap(),
            "-i",
            pid.to_str().unwrap(),
        ];
        let out = run(BGPD, &args);
        assert!(out.status.success(), "bgpd did not start: {}", String::from_utf8_lossy(&out.stderr));
        let deadline = Instant::now() + Duration::from_secs(15);
        while !dir.join("bgpd.vty").exists() || guard.pid().is_none() {
            assert!(Instant::now() < deadline, "bgpd did not open its vty socket in {}", dir.display());
            std::thread::sleep(Duration::from_millis(20));
        }
        guard
    }

    fn pid(&self) -> Option<u32> {
        std::fs::read_to_string(self.dir.join("bgpd.pid")).ok()?.trim().parse().ok()
    }

    fn vtysh(&self, command: &str) -> String {
        let out = run("vtysh", &["--vty_socket", self.dir.to_str().unwrap(), "-c", command]);
        assert!(out.status.success(), "vtysh -c '{command}': {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap()
    }
}

impl Drop for Bgpd {
    fn drop(&mut self) {
        let Some(pid) = self.pid() else { return };
        let alive = || {
            // Gone, or a zombie waiting for PID 1: either way it has stopped.
            std::fs::read_to_string(format!("/proc/{pid}/stat"))
                .is_ok_and(|s| s.rsplit(')').next().is_some_and(|rest| !rest.trim_start().starts_with('Z')))
        };
        let _ = Command::new("kill").args(["-TERM", &pid.to_string()]).output();
        let deadline = Instant::now() + Duration::from_secs(5);
        while alive() && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(20));
        }
        if alive() {
            let _ = Command::new("kill").args(["-KILL", &pid.to_string()]).output();
        }
    }
}

/// `# expect: LINE:COL message` on a bad fixture's first line.
fn expectation(path: &Path) -> (u32, u32, String) {
    let text = std::fs::read_to_string(path).unwrap();
    let first = text.lines().next().unwrap_or_default();
    let rest = first.strip_prefix("# expect: ").unwrap_or_else(|| panic!("{}: no `# expect:` line", path.display()));
    let (pos, message) = rest.split_once(' ').unwrap();
    let (line, col) = pos.split_once(':').unwrap();
    (line.parse().unwrap(), col.parse().unwrap(), message.to_string())
}

fn bad_topologies() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> =
        std::fs::read_dir(root().join(TOPOLOGIES).join("bad")).unwrap().map(|e| e.unwrap().path()).collect();
    v.sort();
    assert!(v.len() >= 5);
    v
}

#[test]
fn bad_topologies_point_at_the_toml() {
    for path in bad_topologies() {
        let (line, col, message) = expectation(&path);
        let text = std::fs::read_to_string(&path).unwrap();
        let input = Input { name: path.to_str().unwrap(), text: &text, base_dir: path.parent().unwrap() };
        let (generated, issues) = gen::compile(input, &env());
        assert!(generated.is_none(), "{}", path.display());
        let file = SourceFile::new("t", text.as_str());
        let found: Vec<(u32, u32, &str)> = issues
            .iter()
            .filter(|i| i.is_error())
            .map(|i| {
                let (l, c) = i.span.as_ref().map_or((0, 0), |s| file.line_col(s.start as u32));
                (l, c, i.message.as_str())
            })
            .collect();
        assert!(
            found.iter().any(|(l, c, m)| (*l, *c) == (line, col) && m.contains(&message)),
            "{}: expected {line}:{col} {message}, found {found:?}",
            path.display()
        );
    }
}

/// Run frrgen in the repository root with relative paths, as a user in a checkout would.
fn frrgen(args: &[&str], vars: &[(&str, &str)]) -> (i32, String, String) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_frrgen"));
    cmd.args(args)
        .current_dir(root())
        .env_remove("FRRGEN_TEST_NEVER_SET")
        .env_remove("MDHLABS_BGP_PASSWORD")
        .env("NO_COLOR", "1");
    for (k, v) in vars {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap();
    (out.status.code().unwrap_or(-1), String::from_utf8(out.stdout).unwrap(), String::from_utf8(out.stderr).unwrap())
}

#[test]
fn bad_topologies_exit_2_and_write_nothing() {
    let dir = scratch("bad-cli");
    for path in bad_topologies() {
        let (line, col, message) = expectation(&path);
        let rel = path.strip_prefix(root()).unwrap().to_str().unwrap().to_string();
        let out = dir.join(path.file_stem().unwrap());
        for args in [vec!["from", &rel, "-o", out.to_str().unwrap()], vec!["check-topology", &rel]] {
            let (code, stdout, stderr) = frrgen(&args, &[]);
            assert_eq!(code, 2, "{args:?}\n{stderr}");
            assert!(stderr.contains(&format!("{rel}:{line}:{col}")) && stderr.contains(&message), "{args:?}\n{stderr}");
            assert!(stdout.is_empty(), "{stdout}");
            assert!(!out.exists(), "{rel}: {} was created", out.display());
        }
    }
}

#[test]
fn cli_writes_checks_and_prints() {
    let dir = scratch("cli");
    let out = dir.join("out");
    let o = out.to_str().unwrap();
    let topo = "fixtures/topologies/mdhlabs.toml";
    let pw = [("MDHLABS_BGP_PASSWORD", "weakpassword")];
    let (_, expected) = compile(&root().join(topo));

    // Without the password variable: exit 2, nothing written.
    let (code, _, stderr) = frrgen(&["from", topo, "-o", o], &[]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("MDHLABS_BGP_PASSWORD") && !out.exists(), "{stderr}");

    let (code, _, stderr) = frrgen(&["from", topo, "-o", o], &pw);
    assert_eq!(code, 0, "{stderr}");
    for (rel, text) in &expected.files {
        assert_eq!(&std::fs::read_to_string(out.join(rel)).unwrap(), text, "{rel}");
    }
    let (code, stdout, stderr) = frrgen(&["from", "--check", topo, "-o", o], &pw);
    assert_eq!((code, stdout.as_str()), (0, ""), "{stderr}");

    // Drift: a changed file and a missing one.
    let f1 = out.join("frr/fedora1.conf");
    let changed = std::fs::read_to_string(&f1).unwrap().replace("timers 30 90", "timers 60 180");
    std::fs::write(&f1, changed).unwrap();
    std::fs::remove_file(out.join("cilium/kube-secrets.yaml")).unwrap();
    let (code, stdout, stderr) = frrgen(&["from", "--check", topo, "-o", o], &pw);
    assert_eq!(code, 1, "{stderr}");
    assert!(stdout.contains("- neighbor KUBE_AS timers 60 180\n+ neighbor KUBE_AS timers 30 90\n"), "{stdout}");
    assert!(stdout.contains("--- /dev/null") && stderr.contains("2 file(s)"), "{stdout}{stderr}");

    // Writing again repairs exactly what drifted.
    let (code, _, stderr) = frrgen(&["from", topo, "-o", o], &pw);
    assert_eq!(code, 0);
    assert!(stderr.contains("2 file(s) written, 2 unchanged"), "{stderr}");
    assert_eq!(frrgen(&["from", "--check", topo, "-o", o], &pw).0, 0);

    // --stdout writes nothing.
    let fresh = dir.join("fresh");
    let (code, stdout, _) = frrgen(&["from", "--stdout", topo, "-o", fresh.to_str().unwrap()], &pw);
    assert_eq!(code, 0);
    assert!(!fresh.exists());
    let printed: String = expected.files.iter().map(|(rel, text)| format!("### {rel}\n{text}")).collect();
    assert_eq!(stdout, printed);

    // check-topology: clean, warnings only (an inline password), errors.
    assert_eq!(frrgen(&["check-topology", topo], &pw).0, 0);
    let inline = dir.join("inline.toml");
    let text = std::fs::read_to_string(root().join(topo))
        .unwrap()
        .replace("env = \"MDHLABS_BGP_PASSWORD\"", "value = \"weakpassword\"");
    std::fs::write(&inline, text).unwrap();
    let (code, _, stderr) = frrgen(&["check-topology", inline.to_str().unwrap()], &[]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("is written in the topology") && !stderr.contains("weakpassword"), "{stderr}");

    // Usage errors.
    assert_eq!(frrgen(&["from"], &[]).0, 2);
    assert_eq!(frrgen(&["from", topo, topo, "-o", o], &pw).0, 2);
    assert_eq!(frrgen(&["from", "missing.toml", "-o", o], &pw).0, 2);
}

#[test]
fn documented_example_compiles_and_lints_clean() {
    let doc = std::fs::read_to_string(root().join("docs/topology.md")).unwrap();
    let start = doc.find("```toml\n").expect("docs/topology.md has a TOML example") + "```toml\n".len();
    let text = &doc[start..start + doc[start..].find("```").unwrap()];
    let input = Input { name: "example.toml", text, base_dir: &root() };
    let env = MapEnv::default().with("SITE_BGP_PASSWORD", "site-secret");
    let (plan, issues) = gen::check(input, &env);
    assert!(issues.is_empty(), "{issues:?}");
    let (g, _) = gen::compile(input, &env);
    let report = check_generated("doc-example", &plan.unwrap(), &g.unwrap().files);
    let findings: Vec<String> =
        report.diagnostics.iter().filter(|d| d.severity >= Severity::Warning).map(|d| describe(&report, d)).collect();
    assert!(findings.is_empty(), "{}", findings.join("\n"));
}
