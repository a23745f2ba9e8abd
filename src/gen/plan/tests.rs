//! Plan checks the bad-topology fixtures do not cover, one small topology each.

use crate::gen::secrets::MapEnv;
use crate::gen::{self, Input, Issue};
use std::path::Path;

const BASE: &str = r#"
[frr]
version = "8.4.4"

[[routers]]
name = "r1"
asn = 64512
addresses = ["10.0.0.1"]

[[clusters]]
name = "kube"
asn = 65000
cilium_version = "CILIUM"

[[clusters.nodes]]
name = "n1"
addresses = ["10.0.0.11"]

[[clusters.pools]]
name = "lb"
cidrs = ["192.168.0.0/24"]

[clusters.announce]
services = [{ "bgp" = "on" }]
"#;

const PEERING: &str = "\n[[peerings]]\nname = \"KUBE\"\ncluster = \"kube\"\nrouters = [\"r1\"]\n";

fn issues_of(extra: &str, cilium: &str) -> Vec<Issue> {
    let text = format!("{}{extra}", BASE.replace("CILIUM", cilium));
    let env = MapEnv::default().with("PW", "s3cret-value");
    gen::check(Input { name: "t.toml", text: &text, base_dir: Path::new(".") }, &env).1
}

fn messages(extra: &str) -> Vec<String> {
    issues_of(extra, "1.18").into_iter().map(|i| format!("{}: {}", i.severity, i.message)).collect()
}

#[test]
fn a_complete_small_topology_is_clean() {
    assert_eq!(messages(PEERING), Vec::<String>::new());
}

#[test]
fn a_cluster_needs_a_peering() {
    assert_eq!(messages(""), ["error: cluster `kube` has no peering: no router would hear from it"]);
}

#[test]
fn a_mesh_is_within_one_as() {
    let extra = "\n[[routers]]\nname = \"r2\"\nasn = 64513\naddresses = [\"10.0.0.2\"]\n\n[[meshes]]\nname = \"CORE\"\nrouters = [\"r1\", \"r2\"]\n";
    let m = messages(&format!("{PEERING}{extra}"));
    assert!(m.iter().any(|m| m.contains("joins routers of different AS")), "{m:?}");
}

#[test]
fn passwords_are_checked_and_never_shown() {
    let inline = format!("{PEERING}password = \"pw\"\n\n[passwords.pw]\nvalue = \"inline-secret\"\n");
    let m = messages(&inline);
    assert_eq!(m, ["warning: password `pw` is written in the topology"]);
    let spaced = format!("{PEERING}password = \"pw\"\n\n[passwords.pw]\nvalue = \"two words\"\n");
    let m = messages(&spaced);
    assert!(m.iter().any(|m| m.contains("contains spaces")) && !m.iter().any(|m| m.contains("two words")), "{m:?}");
    let both = format!("{PEERING}password = \"pw\"\n\n[passwords.pw]\nenv = \"PW\"\nvalue = \"x\"\n");
    assert!(messages(&both).iter().any(|m| m.contains("exactly one of")));
    let unused = format!("{PEERING}\n[passwords.spare]\nenv = \"PW\"\n");
    assert_eq!(messages(&unused), ["warning: password `spare` is not used by any mesh or peering"]);
    let missing = format!("{PEERING}password = \"pww\"\n\n[passwords.pw]\nenv = \"PW\"\n");
    let i = issues_of(&missing, "1.18");
    assert!(i.iter().any(|i| i.message == "no password is named `pww`"), "{i:?}");
    for i in issues_of(&inline, "1.18") {
        assert!(!format!("{i:?}").contains("inline-secret"));
    }
}

#[test]
fn families_must_exist_on_every_member() {
    let m = messages(&format!("{PEERING}families = [\"ipv6\"]\n"));
    assert!(m.iter().any(|m| m.contains("router `r1` has no ipv6 address")), "{m:?}");
    let v6 = format!("{PEERING}families = [\"ipv6\"]\n").replace("routers = [\"r1\"]", "routers = [\"r6\"]");
    let extra = "\n[[routers]]\nname = \"r6\"\nasn = 64512\nrouter_id = \"10.0.0.6\"\naddresses = [\"fd00::6\"]\n";
    let m = messages(&format!("{extra}{v6}"));
    assert!(m.iter().any(|m| m.contains("node `n1` of cluster `kube` has no ipv6 address")), "{m:?}");
}

#[test]
fn ranges_may_not_overlap_within_a_pool() {
    let extra =
        "\n[[clusters.pools]]\nname = \"more\"\nranges = [{ start = \"192.168.0.250\", stop = \"192.168.1.5\" }]\n";
    // The pool table follows the announce table; TOML still puts it in the cluster.
    let m = messages(&format!("{extra}{PEERING}"));
    assert!(m.iter().any(|m| m.contains("pool `more` overlaps pool `lb`")), "{m:?}");
}

#[test]
fn features_follow_the_cilium_release() {
    let text = BASE.replace(
        "services = [{ \"bgp\" = \"on\" }]",
        "services = [{ \"bgp\" = \"on\" }]\naggregation_length_ipv4 = 24",
    );
    let env = MapEnv::default();
    let check = |cilium: &str| {
        let t = format!("{}{PEERING}", text.replace("CILIUM", cilium));
        gen::check(Input { name: "t.toml", text: &t, base_dir: Path::new(".") }, &env).1
    };
    assert!(check("1.17").iter().any(|i| i.message == "Cilium 1.17 cannot aggregate Service routes"));
    assert!(check("1.18").is_empty());
    assert!(check("1.15").iter().any(|i| i.message.contains("BGPv2 resources")));
}

#[test]
fn values_are_range_checked() {
    let m = messages(&format!("{PEERING}timers = {{ keepalive = 1, hold = 2 }}\nebgp_multihop = 1\n"));
    assert!(m.iter().any(|m| m.contains("hold time 2 is out of range")), "{m:?}");
    assert!(m.iter().any(|m| m.contains("ebgp_multihop 1 is out of range")), "{m:?}");
    let m = messages(&PEERING.replace("routers = [\"r1\"]", "routers = [\"r1\", \"r1\"]"));
    assert!(m.iter().any(|m| m.contains("listed twice")), "{m:?}");
}
