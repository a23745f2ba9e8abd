//! The three real labs of fixtures/labs/: each problem their README lists is reported at its
//! file and line, and nothing is reported for what the README calls right.

use frrlint::check::{check_paths, CheckOptions, CheckReport};
use std::collections::BTreeSet;
use std::path::PathBuf;

fn lab(name: &str, cilium: &str) -> CheckReport {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/labs").join(name);
    let opts = CheckOptions { cilium_version: Some(cilium.into()), ..CheckOptions::default() };
    let report = check_paths(&[dir], &opts);
    assert!(report.input_errors.is_empty(), "{:?}", report.input_errors);
    report
}

/// (rule, file name, line) of every finding.
fn found(r: &CheckReport) -> BTreeSet<(String, String, u32)> {
    r.diagnostics
        .iter()
        .map(|d| {
            let loc = d.location(&r.sources).expect("location");
            let file = PathBuf::from(&loc.file).file_name().unwrap().to_string_lossy().into_owned();
            (d.rule.to_string(), file, loc.line)
        })
        .collect()
}

fn has(set: &BTreeSet<(String, String, u32)>, rule: &str, file: &str, line: u32) -> bool {
    set.contains(&(rule.to_string(), file.to_string(), line))
}

#[test]
fn mdhlabs_reports_all_seven_problems() {
    let r = lab("mdhlabs", "1.18");
    let f = found(&r);
    let expected = [
        // 1. MDHFILTER undefined, FILTER_IN unused.
        ("undefined-reference", "fedora2.conf", 12),
        ("unused-definition", "fedora2.conf", 11),
        // 2. `End`.
        ("syntax-error", "fedora2.conf", 49),
        // 3. fedora1 sets a port for the cluster's peers, fedora2 does not.
        ("router-disagreement", "fedora1.conf", 20),
        // 4. Cilium peers with 192.168.1.10/11, the routers are 192.168.99.10/11.
        ("peer-address-unknown", "mdhlabs-bgp-cluster-config.yaml", 15),
        ("peer-address-unknown", "mdhlabs-bgp-cluster-config.yaml", 20),
        // 5. The PeerConfig selects no CiliumBGPAdvertisement.
        ("advertisement-selects-nothing", "mdhlabs-bgp-peer-config.yaml", 14),
        // 6. KUBEFILTER permits only the /24 itself: every /32 VIP is rejected.
        ("prefix-rejected", "fedora1.conf", 5),
        ("prefix-rejected", "fedora2.conf", 5),
        // 7. The Gateway's label does not reach cilium-gateway-cd-bgp-gw.
        ("gateway-labels-not-propagated", "cd-bgp-gw.prod.yaml", 8),
    ];
    let missing: Vec<_> = expected.iter().filter(|(r, f2, l)| !has(&f, r, f2, *l)).collect();
    assert!(missing.is_empty(), "missing {missing:?}\nfound {f:#?}");
    // What the README calls right: ASNs, passwords, timers, the Secret's namespace.
    for wrong in ["peer-asn-mismatch", "peer-password-mismatch", "secret-missing", "timers-mismatch"] {
        assert!(!f.iter().any(|(r, _, _)| r == wrong), "{wrong} reported: {f:#?}");
    }
    // fedora1.conf has no error of its own (findings that involve the cluster aside).
    let own_errors: Vec<_> = r
        .diagnostics
        .iter()
        .filter(|d| d.severity == frrlint::diag::Severity::Error && d.code.starts_with("FRR"))
        .filter(|d| d.location(&r.sources).unwrap().file.ends_with("fedora1.conf"))
        .collect();
    assert!(own_errors.is_empty(), "{own_errors:#?}");
}

#[test]
fn edgerouter_reports_unselected_workers_and_removed_cidrs() {
    let r = lab("edgerouter-l4", "1.16");
    let f = found(&r);
    for (rule, file, line) in [
        ("node-not-peering", "edgerouter.conf", 7),
        ("node-not-peering", "edgerouter.conf", 8),
        ("deprecated-api", "01-default-pool.yaml", 6),
        ("deprecated-api", "02-pool-with-selector.yaml", 6),
    ] {
        assert!(has(&f, rule, file, line), "missing {rule} {file}:{line}\nfound {f:#?}");
    }
    // worker01 is selected and peers.
    assert!(!has(&f, "node-not-peering", "edgerouter.conf", 6), "{f:#?}");
    let sessions = &r.crosscheck.as_ref().expect("cross-check ran").sessions;
    let up: Vec<&str> = sessions.iter().filter(|s| s.state == frrlint::crosscheck::State::Established).map(|s| s.node.as_str()).collect();
    assert_eq!(up, vec!["worker01"]);
}

#[test]
fn k3d_gateway_has_no_errors() {
    let r = lab("k3d-gateway", "1.15");
    let errors: Vec<_> = r.diagnostics.iter().filter(|d| d.severity == frrlint::diag::Severity::Error).collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let sessions = &r.crosscheck.as_ref().expect("cross-check ran").sessions;
    assert_eq!(sessions.iter().filter(|s| s.state == frrlint::crosscheck::State::Established).count(), 3);
}

/// A FIFO or a symlink loop inside a walked directory neither hangs nor repeats the walk.
#[test]
fn directory_walk_skips_fifos_and_symlink_loops() {
    let dir = std::env::temp_dir().join(format!("frrlint-walk-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("sub")).unwrap();
    std::fs::write(dir.join("sub/r1.conf"), "hostname r1\n").unwrap();
    let fifo = dir.join("pipe.conf");
    let ok = std::process::Command::new("mkfifo").arg(&fifo).status().expect("mkfifo runs");
    assert!(ok.success());
    std::os::unix::fs::symlink(&dir, dir.join("sub/loop")).unwrap();
    let r = check_paths(std::slice::from_ref(&dir), &CheckOptions::default());
    assert_eq!(r.stats.frr_files, 1, "{:?}", r.input_errors);
    let _ = std::fs::remove_dir_all(&dir);
}
