//! The real `accord` binary, started as production starts it.
//!
//! Finding it: `--server-bin PATH` if given; otherwise the bench asks cargo
//! to build it (`cargo build -p accord-bench -p accord-server --bin accord`,
//! `--release` when the bench itself is an optimised build) with
//! `--message-format=json` and takes the executable path cargo reports.
//! Selecting the bench package too makes cargo resolve features exactly as
//! for the bench's own build, so the server library is not compiled twice. That is the same workspace
//! (this crate's manifest directory's parent), the same profile and the same
//! target directory (`CARGO_TARGET_DIR` and `.cargo/config` are honoured by
//! cargo itself), so the binary is never stale and never guessed. When the
//! bench runs under `cargo run --release` the server library is already
//! built, so this only links the `accord` shim.
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, anyhow, bail};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use rand::RngCore;
use tokio::process::{Child, Command};

/// Builds (if needed) and locates the `accord` binary.
pub fn locate_binary(explicit: Option<&Path>) -> Result<PathBuf> {
    if let Some(path) = explicit {
        if !path.is_file() {
            bail!("--server-bin {} is not a file", path.display());
        }
        return Ok(path.to_owned());
    }
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .ok_or_else(|| anyhow!("the bench crate has no parent directory"))?;
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut cmd = std::process::Command::new(cargo);
    cmd.arg("build")
        .arg("--manifest-path")
        .arg(workspace.join("Cargo.toml"))
        // With the bench selected too, features resolve exactly as for the
        // bench's own build, so the server library it built is reused.
        .args([
            "-p",
            "accord-bench",
            "-p",
            "accord-server",
            "--bin",
            "accord",
        ])
        .arg("--message-format=json");
    if !cfg!(debug_assertions) {
        cmd.arg("--release");
    }
    // Started without cargo and without CARGO_TARGET_DIR: build into the
    // target directory this executable lives in (`<target>/<profile>/`),
    // not the workspace default, so nothing is compiled a second time.
    if std::env::var_os("CARGO_TARGET_DIR").is_none()
        && let Some(target) = std::env::current_exe()
            .ok()
            .and_then(|exe| Some(exe.parent()?.parent()?.to_owned()))
            .filter(|dir| dir.join("CACHEDIR.TAG").is_file())
    {
        cmd.arg("--target-dir").arg(target);
    }
    // `cargo run` gives the bench the variables it sets for a crate
    // (CARGO_PKG_NAME, CARGO_MANIFEST_DIR, …). Some build scripts (ring's)
    // declare `rerun-if-env-changed` on them, so passing them on would make
    // this build, and every ordinary build after it, recompile the stack.
    for (key, _) in std::env::vars_os() {
        let k = key.to_string_lossy();
        if [
            "CARGO_PKG_",
            "CARGO_MANIFEST_",
            "CARGO_CRATE_",
            "CARGO_BIN_",
        ]
        .iter()
        .any(|p| k.starts_with(p))
            || [
                "CARGO_PRIMARY_PACKAGE",
                "CARGO_RUSTC_CURRENT_DIR",
                "CARGO_TARGET_TMPDIR",
                "OUT_DIR",
            ]
            .contains(&k.as_ref())
        {
            cmd.env_remove(&key);
        }
    }
    let shown: Vec<_> = cmd.get_args().map(|a| a.to_string_lossy()).collect();
    eprintln!("building the server: cargo {}", shown.join(" "));
    let out = cmd
        .stderr(Stdio::inherit())
        .output()
        .context("running cargo to build the accord binary (or pass --server-bin)")?;
    if !out.status.success() {
        bail!("cargo build of the accord binary failed ({})", out.status);
    }
    for line in String::from_utf8_lossy(&out.stdout).lines() {
        let Ok(msg) = serde_json::from_str::<serde_json::Value>(line) else {
            continue;
        };
        if msg["reason"] == "compiler-artifact"
            && msg["target"]["name"] == "accord"
            && let Some(exe) = msg["executable"].as_str()
        {
            return Ok(PathBuf::from(exe));
        }
    }
    bail!("cargo built nothing called `accord`")
}

/// Secrets of one server run, shared with the in-process server that counts
/// statements (so the tokens minted by one are valid on the other).
#[derive(Clone)]
pub struct Secrets {
    pub jwt_secret: String,
    pub identity_keys: String,
}

impl Secrets {
    pub fn random() -> Self {
        let mut rng = rand::thread_rng();
        let mut jwt = [0u8; 48];
        rng.fill_bytes(&mut jwt);
        let mut key = [0u8; 32];
        rng.fill_bytes(&mut key);
        Secrets {
            jwt_secret: STANDARD.encode(jwt),
            identity_keys: format!("bench:{}", STANDARD.encode(key)),
        }
    }
}

/// Access tokens outlive the longest run (logins happen once, before the load).
pub const ACCESS_TOKEN_TTL_SECS: i64 = 4 * 3600;

pub fn free_port() -> Result<u16> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    Ok(listener.local_addr()?.port())
}

pub struct Server {
    child: Child,
    pub pid: u32,
    pub base: String,
    pub log: PathBuf,
    pub start_to_ready: Duration,
}

impl Server {
    /// Spawns `accord serve` in production mode and waits for `/readyz`.
    pub async fn start(
        bin: &Path,
        database_url: &str,
        secrets: &Secrets,
        log_dir: &Path,
        extra_env: &[(String, String)],
    ) -> Result<Server> {
        Self::start_wrapped(&[], bin, database_url, secrets, log_dir, extra_env).await
    }

    /// As `start`, with the binary run by `wrapper` (a command and its
    /// arguments, e.g. valgrind's), which must keep the process id.
    pub async fn start_wrapped(
        wrapper: &[String],
        bin: &Path,
        database_url: &str,
        secrets: &Secrets,
        log_dir: &Path,
        extra_env: &[(String, String)],
    ) -> Result<Server> {
        let log = log_dir.join("accord-server.log");
        Self::start_at(
            wrapper,
            bin,
            free_port()?,
            database_url,
            secrets,
            &log,
            extra_env,
        )
        .await
    }

    /// As `start_wrapped`, on a given `port` (a replica restarted where its
    /// proxy expects it), appending to `log` (one log across restarts).
    pub async fn start_at(
        wrapper: &[String],
        bin: &Path,
        port: u16,
        database_url: &str,
        secrets: &Secrets,
        log: &Path,
        extra_env: &[(String, String)],
    ) -> Result<Server> {
        let base = format!("http://127.0.0.1:{port}");
        let log = log.to_owned();
        let out = std::fs::File::options()
            .create(true)
            .append(true)
            .open(&log)?;
        let err = out.try_clone()?;
        let mut cmd = match wrapper.split_first() {
            Some((program, args)) => {
                let mut cmd = Command::new(program);
                cmd.args(args).arg(bin);
                cmd
            }
            None => Command::new(bin),
        };
        cmd.arg("serve");
        // Only what this run sets: no ACCORD_* or DATABASE_URL from the caller.
        for (key, _) in std::env::vars_os() {
            let key_str = key.to_string_lossy();
            if key_str.starts_with("ACCORD_") || key_str == "DATABASE_URL" {
                cmd.env_remove(&key);
            }
        }
        cmd.env("ACCORD_MODE", "production")
            .env("ACCORD_DEMO", "false")
            .env("ACCORD_JWT_SECRET", &secrets.jwt_secret)
            .env("ACCORD_IDENTITY_KEYS", &secrets.identity_keys)
            .env("ACCORD_BIND", format!("127.0.0.1:{port}"))
            .env("ACCORD_PUBLIC_URL", &base)
            .env("DATABASE_URL", database_url)
            // The production minimums (config.rs refuses less).
            .env("ACCORD_ARGON2_MEMORY_KIB", "19456")
            .env("ACCORD_ARGON2_ITERATIONS", "2")
            // The whole load comes from one address, and each viewer's
            // requests repeat far beyond what one person sends: the request
            // rates (abuse limits, measured by their own tests) are lifted
            // so that they do not decide what is measured here.
            .env("ACCORD_RATE_PER_USER_PER_MINUTE", "1000000000")
            .env("ACCORD_RATE_PER_ADDRESS_PER_MINUTE", "1000000000")
            .env(
                "ACCORD_ACCESS_TOKEN_TTL_SECS",
                ACCESS_TOKEN_TTL_SECS.to_string(),
            )
            // As the systemd unit runs it (`ops/accord.service`).
            .env("MIMALLOC_PURGE_DELAY", PRODUCTION_PURGE_DELAY)
            .envs(extra_env.iter().map(|(k, v)| (k, v)))
            .stdin(Stdio::null())
            .stdout(out)
            .stderr(err)
            .kill_on_drop(true);
        let http = crate::load::client()?;
        let started = Instant::now();
        let mut child = cmd
            .spawn()
            .with_context(|| format!("spawning {}", bin.display()))?;
        let pid = child
            .id()
            .ok_or_else(|| anyhow!("the server exited at once"))?;
        let ready = format!("{base}/readyz");
        loop {
            if let Ok(r) = http.get(&ready).send().await
                && r.status() == reqwest::StatusCode::OK
            {
                break;
            }
            if let Some(status) = child.try_wait()? {
                bail!(
                    "the server exited during start-up ({status}); log {}:\n{}",
                    log.display(),
                    tail(&log)
                );
            }
            if started.elapsed() > Duration::from_secs(600) {
                bail!(
                    "the server was not ready within 600 s; log {}",
                    log.display()
                );
            }
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
        let start_to_ready = started.elapsed();
        Ok(Server {
            child,
            pid,
            base,
            log,
            start_to_ready,
        })
    }

    /// SIGKILL, as a crashed box: no graceful shutdown.
    #[allow(dead_code)] // the soak drill's (bench/src/soak/), not the bench's
    pub async fn kill(mut self) -> Result<()> {
        self.child.kill().await?;
        Ok(())
    }

    /// Whether the process has exited (without waiting).
    #[allow(dead_code)] // the soak drill's, not the bench's
    pub fn exited(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(Some(_)))
    }

    pub fn rss(&self) -> Option<Memory> {
        Memory::of(self.pid)
    }

    /// SIGTERM (graceful shutdown, as systemd stops it), then SIGKILL after 10 s.
    pub async fn stop(self) -> Result<()> {
        self.stop_within(Duration::from_secs(10)).await.map(|_| ())
    }

    /// SIGTERM, then SIGKILL if it has not exited within `grace`; whether it
    /// had to be killed (said on stderr too).
    pub async fn stop_within(mut self, grace: Duration) -> Result<bool> {
        let _ = std::process::Command::new("kill")
            .args(["-TERM", &self.pid.to_string()])
            .status();
        match tokio::time::timeout(grace, self.child.wait()).await {
            Ok(status) => {
                status?;
                Ok(false)
            }
            Err(_) => {
                eprintln!(
                    "the server did not stop within {} s after SIGTERM; killing it",
                    grace.as_secs()
                );
                self.child.kill().await?;
                Ok(true)
            }
        }
    }
}

fn tail(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(20)..].join("\n")
}

/// `VmRSS` and `VmHWM` of a process, in KiB.
#[derive(Clone, Copy, Debug, Default)]
pub struct Memory {
    pub rss_kib: u64,
    pub hwm_kib: u64,
}

impl Memory {
    pub fn of(pid: u32) -> Option<Memory> {
        let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
        let field = |name: &str| {
            status
                .lines()
                .find_map(|l| l.strip_prefix(name))
                .and_then(|rest| rest.split_whitespace().next())
                .and_then(|n| n.parse::<u64>().ok())
        };
        Some(Memory {
            rss_kib: field("VmRSS:")?,
            hwm_kib: field("VmHWM:")?,
        })
    }
}

/// CPU time the process has used so far, its ended threads included
/// (`utime + stime` of `/proc/<pid>/stat`, in the kernel's 100 Hz ticks).
pub fn cpu_time(pid: u32) -> Option<Duration> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name may hold spaces and parentheses: fields follow the last ')'.
    let mut fields = stat.rsplit_once(')')?.1.split_whitespace();
    let utime: u64 = fields.nth(11)?.parse().ok()?;
    let stime: u64 = fields.next()?.parse().ok()?;
    Some(Duration::from_millis((utime + stime) * 10))
}

pub fn mib(kib: u64) -> f64 {
    kib as f64 / 1024.0
}

/// The allocator's purge delay (ms) that `ops/accord.service` sets.
const PRODUCTION_PURGE_DELAY: &str = "10";

#[cfg(test)]
mod tests {
    #[test]
    fn the_server_runs_with_the_units_allocator_setting() {
        let unit = include_str!("../../ops/accord.service");
        let line = format!(
            "Environment=MIMALLOC_PURGE_DELAY={}",
            super::PRODUCTION_PURGE_DELAY
        );
        assert!(
            unit.lines().any(|l| l.trim() == line),
            "ops/accord.service should set {line}, as the bench does"
        );
    }
}
