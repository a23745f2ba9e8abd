//! One lab run's resources: its temp directory, its namespaces (all named `fl<pid>x<n>-*`) and
//! its daemons. Dropping the guard tears everything down, also while a test panics.

use std::collections::BTreeSet;
use std::fs::{self, File};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::thread;
use std::time::{Duration, Instant};

use super::LabError;

/// Distinguishes runs inside one process, so plans can run on parallel threads.
static RUNS: AtomicUsize = AtomicUsize::new(0);

/// Namespace prefixes of the runs of this process not yet torn down.
static LIVE: Mutex<BTreeSet<String>> = Mutex::new(BTreeSet::new());

/// Set to keep the run directory (configs, logs) after teardown, for debugging.
const KEEP_ENV: &str = "FRRLINT_LAB_KEEP";

pub(super) struct Lab {
    dir: PathBuf,
    prefix: String,
    script: PathBuf,
    /// The daemons, held so they can be reaped (PID 1 may not reap daemonized orphans).
    children: Vec<(String, Child)>,
    torn_down: bool,
}

impl Lab {
    /// Creates the run directory; nothing exists in the kernel yet.
    pub fn create() -> Result<Lab, LabError> {
        let n = RUNS.fetch_add(1, Ordering::Relaxed);
        let pid = std::process::id();
        let dir = std::env::temp_dir().join(format!("frrlint-lab-{pid}-{n}"));
        // create_dir (not create_dir_all) fails if a stale run left the same name behind.
        fs::create_dir(&dir).map_err(|e| LabError::Setup {
            step: format!("create {}", dir.display()),
            detail: e.to_string(),
        })?;
        let prefix = format!("fl{pid}x{n}-");
        LIVE.lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(prefix.clone());
        Ok(Lab {
            dir,
            prefix,
            script: Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/it/lab/netns.sh"),
            children: Vec::new(),
            torn_down: false,
        })
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The namespace name for a member of this run ("sw", "r0", "n1").
    pub fn ns(&self, member: &str) -> String {
        format!("{}{member}", self.prefix)
    }

    /// Runs one netns.sh command to completion; a non-zero exit is an error naming `step`.
    pub fn script(&self, step: &str, args: &[&str]) -> Result<Output, LabError> {
        let out = Command::new("bash")
            .arg(&self.script)
            .args(args)
            .stdin(Stdio::null())
            .output()
            .map_err(|e| LabError::Setup {
                step: step.into(),
                detail: e.to_string(),
            })?;
        if out.status.success() {
            Ok(out)
        } else {
            Err(LabError::Setup {
                step: step.into(),
                detail: String::from_utf8_lossy(&out.stderr).trim().to_string(),
            })
        }
    }

    /// Like `script`, but only says whether the command succeeded (for polling).
    pub fn script_ok(&self, args: &[&str]) -> bool {
        self.script("poll", args).is_ok()
    }

    /// Runs netns.sh and returns its stdout, or `None` if it failed (for state queries).
    pub fn query(&self, args: &[&str]) -> Option<String> {
        let out = self.script("query", args).ok()?;
        Some(String::from_utf8_lossy(&out.stdout).into_owned())
    }

    /// Starts a daemon through netns.sh (which execs it), output to `log` in the run dir.
    pub fn spawn(&mut self, name: &str, args: &[&str], log: &Path) -> Result<(), LabError> {
        let step = format!("start {name}");
        let setup = |e: std::io::Error| LabError::Setup {
            step: step.clone(),
            detail: e.to_string(),
        };
        let out = File::create(log).map_err(setup)?;
        let err = out.try_clone().map_err(setup)?;
        let child = Command::new("bash")
            .arg(&self.script)
            .args(args)
            .stdin(Stdio::null())
            .stdout(out)
            .stderr(err)
            .spawn()
            .map_err(setup)?;
        self.children.push((name.to_string(), child));
        Ok(())
    }

    /// If the named daemon has exited, says how (its log is the caller's business).
    pub fn exited(&mut self, name: &str) -> Option<String> {
        let (_, child) = self.children.iter_mut().find(|(n, _)| n == name)?;
        match child.try_wait() {
            Ok(Some(status)) => Some(status.to_string()),
            _ => None,
        }
    }

    /// Kills the daemons (by pid file, in netns.sh), deletes the namespaces, reaps the
    /// children and removes the run directory. Safe to call twice.
    pub fn teardown(&mut self) -> Result<(), LabError> {
        if self.torn_down {
            return Ok(());
        }
        self.torn_down = true;
        let dir = self.dir.to_string_lossy().into_owned();
        let result = self.script("teardown", &["teardown", &dir]).map(drop);
        for (_, child) in &mut self.children {
            reap(child);
        }
        if std::env::var_os(KEEP_ENV).is_none() {
            let _ = fs::remove_dir_all(&self.dir);
        } else {
            eprintln!("lab: kept {}", self.dir.display());
        }
        LIVE.lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(&self.prefix);
        result
    }
}

/// Waits briefly for a child netns.sh already signalled; kills it if it is still there.
fn reap(child: &mut Child) {
    let deadline = Instant::now() + Duration::from_secs(2);
    while Instant::now() < deadline {
        if let Ok(Some(_)) = child.try_wait() {
            return;
        }
        thread::sleep(Duration::from_millis(20));
    }
    let _ = child.kill();
    let _ = child.wait();
}

impl Drop for Lab {
    fn drop(&mut self) {
        if let Err(e) = self.teardown() {
            eprintln!("lab: teardown of {} failed: {e}", self.dir.display());
        }
    }
}

/// Namespaces and run directories of this process whose run has been torn down: must be none.
pub(super) fn leftovers() -> Vec<String> {
    let pid = std::process::id();
    let live = LIVE.lock().unwrap_or_else(|p| p.into_inner()).clone();
    let names = |dir: &Path| -> Vec<String> {
        fs::read_dir(dir)
            .map(|d| {
                d.filter_map(|e| e.ok())
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default()
    };
    let namespaces = names(Path::new("/run/netns"))
        .into_iter()
        .filter(|n| n.starts_with(&format!("fl{pid}x")) && !live.iter().any(|p| n.starts_with(p)));
    // frrlint-lab-<pid>-<n> belongs to prefix fl<pid>x<n>-.
    let kept = std::env::var_os(KEEP_ENV).is_some();
    let dirs = names(&std::env::temp_dir()).into_iter().filter(|d| {
        !kept
            && d.strip_prefix(&format!("frrlint-lab-{pid}-"))
                .is_some_and(|n| !live.contains(&format!("fl{pid}x{n}-")))
    });
    namespaces.chain(dirs).collect()
}

/// Polls `ready` every `every` until it holds or `timeout` passes; says whether it held.
pub(super) fn poll(timeout: Duration, every: Duration, mut ready: impl FnMut() -> bool) -> bool {
    let deadline = Instant::now() + timeout;
    loop {
        if ready() {
            return true;
        }
        if Instant::now() >= deadline {
            return false;
        }
        thread::sleep(every);
    }
}
