//! The generated files on disk: atomic writes (a temporary file in the target directory,
//! then a rename, so a reader never sees half a file), and the comparison behind `--check`
//! with unified diffs.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

/// A file that could not be written or read.
#[derive(Debug, thiserror::Error)]
#[error("{}: {source}", path.display())]
pub struct OutputError {
    pub path: PathBuf,
    #[source]
    pub source: std::io::Error,
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> OutputError + '_ {
    move |source| OutputError { path: path.to_path_buf(), source }
}

/// Write every file under `dir` (relative paths with `/`), each atomically. Files already
/// equal to what would be written are left alone. Returns the paths written.
pub fn write_all(dir: &Path, files: &BTreeMap<String, String>) -> Result<Vec<PathBuf>, OutputError> {
    let mut written = Vec::new();
    for (rel, text) in files {
        let path = dir.join(rel);
        if std::fs::read(&path).is_ok_and(|old| old == text.as_bytes()) {
            continue;
        }
        write_atomic(&path, text.as_bytes())?;
        written.push(path);
    }
    Ok(written)
}

/// Write `bytes` to a temporary file beside `path`, flush it to disk, and rename it over
/// `path`. On failure the temporary file is removed and `path` is untouched.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), OutputError> {
    let parent = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent).map_err(io(parent))?;
    let name = path.file_name().map_or_else(|| "out".into(), |n| n.to_string_lossy().into_owned());
    let tmp = parent.join(format!(".{name}.frrgen-{}.tmp", std::process::id()));
    let result = (|| {
        let mut f = std::fs::OpenOptions::new().write(true).create(true).truncate(true).open(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        drop(f);
        std::fs::rename(&tmp, path)
    })();
    if let Err(e) = result {
        let _ = std::fs::remove_file(&tmp);
        return Err(OutputError { path: path.to_path_buf(), source: e });
    }
    Ok(())
}

/// A generated file whose copy in the output directory differs (or is missing).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Drift {
    pub rel: String,
    pub expected: String,
    /// `None`: the file does not exist.
    pub actual: Option<String>,
}

impl Drift {
    /// `diff -u` style, from what is on disk to what the topology generates.
    pub fn unified_diff(&self, dir: &Path) -> String {
        let old = self.actual.as_deref().unwrap_or("");
        let shown = dir.join(&self.rel).display().to_string();
        let old_name = if self.actual.is_some() { shown.clone() } else { "/dev/null".to_string() };
        similar::TextDiff::from_lines(old, &self.expected)
            .unified_diff()
            .context_radius(3)
            .header(&old_name, &format!("{shown} (generated)"))
            .to_string()
    }
}

/// Compare what would be generated with what is in `dir`. Files in `dir` that the topology
/// does not generate are not looked at.
pub fn compare(dir: &Path, files: &BTreeMap<String, String>) -> Result<Vec<Drift>, OutputError> {
    let mut out = Vec::new();
    for (rel, text) in files {
        let path = dir.join(rel);
        let actual = match std::fs::read(&path) {
            Ok(b) => Some(String::from_utf8_lossy(&b).into_owned()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => return Err(OutputError { path, source: e }),
        };
        if actual.as_deref() != Some(text.as_str()) {
            out.push(Drift { rel: rel.clone(), expected: text.clone(), actual });
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atomic_write_then_compare() {
        let dir = std::env::temp_dir().join(format!("frrgen-output-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let files = BTreeMap::from([("frr/r1.conf".to_string(), "a\nb\n".to_string())]);
        assert_eq!(compare(&dir, &files).unwrap().len(), 1);
        assert_eq!(write_all(&dir, &files).unwrap().len(), 1);
        assert!(compare(&dir, &files).unwrap().is_empty());
        // Unchanged files are not rewritten.
        assert!(write_all(&dir, &files).unwrap().is_empty());
        let changed = BTreeMap::from([("frr/r1.conf".to_string(), "a\nc\n".to_string())]);
        let drift = compare(&dir, &changed).unwrap();
        let diff = drift[0].unified_diff(&dir);
        assert!(diff.contains("-b\n+c\n"), "{diff}");
        // No temporary file is left behind.
        let names: Vec<_> = std::fs::read_dir(dir.join("frr")).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names.len(), 1);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
