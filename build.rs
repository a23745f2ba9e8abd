//! Embeds every `grammar/*.frr` file: writes `$OUT_DIR/grammar_files.rs`, a slice of
//! `(file name, include_str!(…))` that `src/syntax` includes, so that a new grammar file
//! needs no code change.

use std::path::Path;

fn main() {
    println!("cargo:rerun-if-changed=grammar");
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("grammar");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok())
                .filter_map(|e| e.file_name().into_string().ok())
                .filter(|n| n.ends_with(".frr"))
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    let mut out = String::from("&[\n");
    for n in &names {
        out.push_str(&format!(
            "    ({n:?}, include_str!(concat!(env!(\"CARGO_MANIFEST_DIR\"), \"/grammar/\", {n:?}))),\n"
        ));
    }
    out.push(']');
    let out_dir = std::env::var("OUT_DIR").unwrap_or_else(|_| ".".into());
    if let Err(e) = std::fs::write(Path::new(&out_dir).join("grammar_files.rs"), out) {
        println!("cargo:warning=cannot write the grammar file list: {e}");
    }
}
