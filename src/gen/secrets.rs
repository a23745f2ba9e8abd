//! Passwords named in `[passwords.NAME]`: read from an environment variable, a file next to
//! the topology, or (with a warning) the topology itself. The value is checked against what
//! both FRR (`neighbor X password WORD`: one word) and the kernel's TCP-MD5 (at most 80
//! bytes) accept, and is kept as a [`Secret`] that never prints.

use super::issue::Issue;
use super::topology::{Password, S};
use crate::model::Secret;
use std::path::{Path, PathBuf};

/// The outside world a topology may read: environment variables and files. Tests pass a
/// fixed map instead of the process environment.
pub trait Env {
    fn var(&self, name: &str) -> Option<String>;
    fn read_file(&self, path: &Path) -> std::io::Result<String>;
}

/// The real environment.
#[derive(Debug, Clone, Copy, Default)]
pub struct ProcessEnv;

impl Env for ProcessEnv {
    fn var(&self, name: &str) -> Option<String> {
        std::env::var(name).ok()
    }

    fn read_file(&self, path: &Path) -> std::io::Result<String> {
        std::fs::read_to_string(path)
    }
}

/// Fixed variables (for tests); files are read from disk.
#[derive(Debug, Clone, Default)]
pub struct MapEnv {
    pub vars: std::collections::BTreeMap<String, String>,
}

impl MapEnv {
    pub fn with(mut self, name: &str, value: &str) -> MapEnv {
        self.vars.insert(name.to_string(), value.to_string());
        self
    }
}

impl Env for MapEnv {
    fn var(&self, name: &str) -> Option<String> {
        self.vars.get(name).cloned()
    }

    fn read_file(&self, path: &Path) -> std::io::Result<String> {
        std::fs::read_to_string(path)
    }
}

/// The longest TCP-MD5 key Linux accepts (`TCP_MD5SIG_MAXKEYLEN`).
const MAX_LEN: usize = 80;

/// Resolve one `[passwords.NAME]` entry. `base` is the topology file's directory.
pub fn resolve(name: &S<String>, p: &Password, base: &Path, env: &dyn Env, issues: &mut Vec<Issue>) -> Option<Secret> {
    let sources = [p.env.is_some(), p.file.is_some(), p.value.is_some()].iter().filter(|b| **b).count();
    if sources != 1 {
        issues.push(
            Issue::error(
                name.span(),
                format!("password `{}` needs exactly one of `env`, `file` or `value`", name.get_ref()),
            )
            .help("write `env = \"VARIABLE\"` or `file = \"path\"`"),
        );
        return None;
    }
    let (text, span) = if let Some(var) = &p.env {
        match env.var(var.get_ref()) {
            Some(v) => (v, var.span()),
            None => {
                issues.push(
                    Issue::error(var.span(), format!("environment variable `{}` is not set", var.get_ref()))
                        .label("password read from here")
                        .help(format!("export {} before running frrgen", var.get_ref())),
                );
                return None;
            }
        }
    } else if let Some(file) = &p.file {
        let path: PathBuf = base.join(file.get_ref());
        match env.read_file(&path) {
            // One line ending is part of the file, not of the password.
            Ok(t) => {
                (t.strip_suffix('\n').map(|t| t.strip_suffix('\r').unwrap_or(t)).unwrap_or(&t).to_string(), file.span())
            }
            Err(e) => {
                issues.push(
                    Issue::error(file.span(), format!("cannot read password file `{}`: {e}", file.get_ref()))
                        .help("the path is relative to the topology file"),
                );
                return None;
            }
        }
    } else {
        let v = p.value.as_ref()?;
        issues.push(
            Issue::warning(v.span(), format!("password `{}` is written in the topology", name.get_ref()))
                .help("keep it out of the file: use `env = \"VARIABLE\"` or `file = \"path\"`"),
        );
        (v.get_ref().clone(), v.span())
    };
    if text.is_empty() {
        issues.push(Issue::error(span, format!("password `{}` is empty", name.get_ref())));
        return None;
    }
    if text.len() > MAX_LEN {
        issues.push(Issue::error(
            span,
            format!("password `{}` is longer than {MAX_LEN} bytes, the most TCP-MD5 accepts", name.get_ref()),
        ));
        return None;
    }
    if !text.chars().all(|c| c.is_ascii_graphic()) {
        issues.push(
            Issue::error(
                span,
                format!("password `{}` contains spaces or characters FRR cannot read back", name.get_ref()),
            )
            .help("FRR takes the password as one word of printable ASCII"),
        );
        return None;
    }
    Some(Secret::new(text))
}
