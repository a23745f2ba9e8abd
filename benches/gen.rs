//! frrgen on a large topology: 50 routers in one AS (an iBGP full mesh) all peering with a
//! 2,000-node cluster, so each router's config has 2,049 neighbors and the run prints
//! about 100,000 neighbors in all. The goal is the whole compile (TOML, checks, model,
//! FRR text, Cilium YAML) in under 200 ms.

use frrlint::gen::{self, Input, MapEnv};
use std::fmt::Write;
use std::path::Path;

fn main() {
    divan::main();
}

const ROUTERS: usize = 50;
const NODES: usize = 2000;

fn topology() -> String {
    let mut t = String::from("[frr]\nversion = \"8.4.4\"\n\n[passwords.site]\nenv = \"BENCH_PASSWORD\"\n\n");
    for r in 1..=ROUTERS {
        let _ = write!(t, "[[routers]]\nname = \"r{r}\"\nasn = 64512\naddresses = [\"10.0.0.{r}\"]\nnetworks = [\"172.16.{r}.0/24\"]\n\n");
    }
    t.push_str("[[clusters]]\nname = \"big\"\nasn = 65000\ncilium_version = \"1.18\"\n\n");
    for n in 0..NODES {
        let _ = write!(t, "[[clusters.nodes]]\nname = \"node{n}\"\naddresses = [\"10.1.{}.{}\"]\n\n", n / 250, n % 250 + 1);
    }
    t.push_str("[[clusters.pools]]\nname = \"lb\"\ncidrs = [\"192.168.0.0/20\"]\n\n");
    t.push_str("[clusters.announce]\nservices = [{ \"bgp\" = \"yes\" }]\n\n");
    let routers: Vec<String> = (1..=ROUTERS).map(|r| format!("\"r{r}\"")).collect();
    let _ = write!(t, "[[meshes]]\nname = \"CORE\"\nrouters = [{}]\npassword = \"site\"\n\n", routers.join(", "));
    let _ = write!(t, "[[peerings]]\nname = \"BIG\"\ncluster = \"big\"\nrouters = [{}]\npassword = \"site\"\n", routers.join(", "));
    t
}

#[divan::bench(sample_count = 20)]
fn compile_50_routers_2000_nodes(bencher: divan::Bencher) {
    let text = topology();
    let env = MapEnv::default().with("BENCH_PASSWORD", "bench-secret");
    bencher.bench(|| {
        let input = Input { name: "bench.toml", text: &text, base_dir: Path::new(".") };
        let (out, issues) = gen::compile(divan::black_box(input), &env);
        assert!(issues.is_empty(), "{issues:?}");
        let out = out.expect("the topology compiles");
        assert_eq!(out.files.len(), ROUTERS + 2);
        out
    });
}
