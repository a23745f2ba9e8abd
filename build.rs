//! Embeds the grammar: writes `$OUT_DIR/grammar_files.rs`, a slice of `(file name,
//! include_str!(…))` over every `grammar/*.frr`, so that a new grammar file needs no code
//! change; and `$OUT_DIR/grammar.bin`, every node of those files compiled, with the
//! crate's own grammar compiler (its modules are included below), so that a run decodes
//! the nodes it uses instead of compiling them (see `src/syntax/precompiled.rs`).

use std::path::Path;

#[path = "src/hash.rs"]
#[allow(dead_code)]
mod hash;

// The grammar compiler's modules. They name each other as `super::…` (their parent in
// the crate is `syntax`), which here is this script's root, where they all are.
#[path = "src/syntax/compile.rs"]
#[allow(dead_code)]
mod compile;
#[path = "src/syntax/grammar_file.rs"]
#[allow(dead_code)]
mod grammar_file;
#[path = "src/syntax/index.rs"]
#[allow(dead_code)]
mod index;
#[path = "src/syntax/lexer.rs"]
#[allow(dead_code)]
mod lexer;
#[path = "src/syntax/pattern.rs"]
#[allow(dead_code)]
mod pattern;
#[path = "src/syntax/precompiled.rs"]
#[allow(dead_code)]
mod precompiled;
#[path = "src/syntax/token.rs"]
#[allow(dead_code)]
mod token;
#[path = "src/syntax/version.rs"]
#[allow(dead_code)]
mod version;

/// As `NodeId` in the crate.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NodeId(pub u16);

fn main() {
    println!("cargo:rerun-if-changed=grammar");
    println!("cargo:rerun-if-changed=src/syntax");
    println!("cargo:rerun-if-changed=src/hash.rs");
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
    // The same files, in the same order, as the crate links them. A file that cannot be
    // read leaves the blob empty: the crate then compiles every node itself.
    let files: Option<Vec<(&'static str, &'static str)>> = names
        .iter()
        .map(|n| {
            let text = std::fs::read_to_string(dir.join(n)).ok()?;
            Some((leak(n.clone()), leak(text)))
        })
        .collect();
    let blob = match files {
        Some(files) => {
            let linked = compile::link(&files);
            let bodies: Vec<_> = linked
                .nodes
                .iter()
                .enumerate()
                .map(|(i, h)| compile::compile_node(NodeId(i as u16), h.source, &linked.by_name))
                .collect();
            let nodes: Vec<_> = linked.nodes.iter().map(|h| h.name).zip(bodies.iter()).collect();
            precompiled::encode(&nodes)
        }
        None => {
            println!("cargo:warning=cannot read the grammar files; nodes will be compiled at run time");
            Vec::new()
        }
    };
    if let Err(e) = std::fs::write(Path::new(&out_dir).join("grammar.bin"), blob) {
        println!("cargo:warning=cannot write the compiled grammar: {e}");
    }
}

fn leak(s: String) -> &'static str {
    Box::leak(s.into_boxed_str())
}
