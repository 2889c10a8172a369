//! The drill's own boxes: a private PostgreSQL cluster, PgBouncer in
//! transaction mode in front of it, an SMTP sink, three `accord serve`
//! replicas and nginx (configured from `ops/nginx/accord.conf`) in front of
//! them. Nothing here touches a server the drill did not start; everything
//! lives in one temporary directory and is stopped when dropped.
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, anyhow, bail};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

use crate::server::{Secrets, Server, free_port};

/// The oldest PgBouncer that keeps protocol-level prepared statements
/// working in transaction mode (`max_prepared_statements`).
const PGBOUNCER_MIN: (u32, u32) = (1, 21);
const PG_BIN: &str = "/usr/lib/postgresql/15/bin";
/// The nginx example the drill runs (derived: see `nginx_conf`).
const NGINX_EXAMPLE: &str = include_str!("../../../ops/nginx/accord.conf");
/// Whom the third-party daemons run as when the drill runs as root
/// (initdb and PgBouncer refuse root).
const UNPRIVILEGED: &str = "postgres";
/// How long a replica has to stop after SIGTERM before it is killed: what a
/// container orchestrator gives by default (Kubernetes: 30 s).
const STOP_GRACE: Duration = Duration::from_secs(30);

/// The programs the drill needs.
pub struct Tools {
    pub initdb: PathBuf,
    pub pg_ctl: PathBuf,
    pub pgbouncer: PathBuf,
    pub pgbouncer_version: String,
    pub nginx: PathBuf,
}

/// What is missing, each with how to get it; or a program that is there but
/// unusable (an old PgBouncer), which is never skipped.
pub enum ToolsError {
    Missing(Vec<String>),
    Unusable(String),
}

fn on_path(name: &str) -> Option<PathBuf> {
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|d| d.join(name))
            .find(|p| p.is_file())
    })
}

pub fn find_tools() -> std::result::Result<Tools, ToolsError> {
    let mut missing = Vec::new();
    let initdb = Path::new(PG_BIN).join("initdb");
    let pg_ctl = Path::new(PG_BIN).join("pg_ctl");
    if !initdb.is_file() || !pg_ctl.is_file() {
        missing.push(format!(
            "PostgreSQL 15 server binaries ({PG_BIN}/initdb, pg_ctl; apt-get install postgresql-15)"
        ));
    }
    let pgbouncer = match std::env::var_os("ACCORD_PGBOUNCER") {
        Some(p) => Some(PathBuf::from(p)),
        None => on_path("pgbouncer"),
    };
    let pgbouncer = match pgbouncer {
        Some(p) if p.is_file() => Some(p),
        Some(p) => {
            missing.push(format!(
                "PgBouncer: ACCORD_PGBOUNCER={} is not a file",
                p.display()
            ));
            None
        }
        None => {
            missing.push(
                "PgBouncer >= 1.21 (set ACCORD_PGBOUNCER to its path or put it on PATH; .ci/run builds 1.24)"
                    .into(),
            );
            None
        }
    };
    let nginx = on_path("nginx").or_else(|| {
        let p = PathBuf::from("/usr/sbin/nginx");
        p.is_file().then_some(p)
    });
    if nginx.is_none() {
        missing.push("nginx (apt-get install nginx-light)".into());
    }
    let (Some(pgbouncer), Some(nginx)) = (pgbouncer, nginx) else {
        return Err(ToolsError::Missing(missing));
    };
    if !missing.is_empty() {
        return Err(ToolsError::Missing(missing));
    }
    let version = pgbouncer_version(&pgbouncer).map_err(|e| ToolsError::Unusable(e.to_string()))?;
    Ok(Tools {
        initdb,
        pg_ctl,
        pgbouncer,
        pgbouncer_version: version,
        nginx,
    })
}

fn pgbouncer_version(bin: &Path) -> Result<String> {
    let out = Command::new(bin)
        .arg("--version")
        .output()
        .with_context(|| format!("running {} --version", bin.display()))?;
    let text = String::from_utf8_lossy(&out.stdout);
    let version = text
        .lines()
        .find_map(|l| l.strip_prefix("PgBouncer "))
        .map(|v| v.trim().to_owned())
        .ok_or_else(|| anyhow!("{} --version printed no version: {text}", bin.display()))?;
    let mut parts = version.split('.').map(|p| p.parse::<u32>().unwrap_or(0));
    let major = parts.next().unwrap_or(0);
    let minor = parts.next().unwrap_or(0);
    if (major, minor) < PGBOUNCER_MIN {
        bail!(
            "refusing to run: {} is PgBouncer {version}; the drill needs >= {}.{} (prepared statements in transaction mode, max_prepared_statements). Set ACCORD_PGBOUNCER to a newer one.",
            bin.display(),
            PGBOUNCER_MIN.0,
            PGBOUNCER_MIN.1
        );
    }
    Ok(version)
}

/// Whether this process runs as root (then the daemons run as `UNPRIVILEGED`).
fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false)
}

/// A command for a third-party program, run unprivileged when we are root.
fn command(program: &Path, root: bool) -> Command {
    if root {
        let mut c = Command::new("runuser");
        c.args(["-u", UNPRIVILEGED, "--"]).arg(program);
        c
    } else {
        Command::new(program)
    }
}

fn run(mut cmd: Command, what: &str) -> Result<()> {
    let out = cmd
        .stdin(Stdio::null())
        .output()
        .with_context(|| format!("running {what}"))?;
    if !out.status.success() {
        bail!(
            "{what} failed ({}):\n{}{}",
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    Ok(())
}

/// The private PostgreSQL 15 cluster.
pub struct Postgres {
    data: PathBuf,
    log: PathBuf,
    pg_ctl: PathBuf,
    root: bool,
    pub port: u16,
}

impl Postgres {
    pub fn start(tools: &Tools, dir: &Path, root: bool) -> Result<Postgres> {
        let data = dir.join("pgdata");
        let port = free_port()?;
        let mut init = command(&tools.initdb, root);
        init.arg("-D").arg(&data).args([
            "-U",
            "postgres",
            "-A",
            "trust",
            "-E",
            "UTF8",
            "--no-sync",
        ]);
        run(init, "initdb")?;
        let conf = format!(
            "\n# accord-soak\nport = {port}\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '{}'\nmax_connections = 200\nfsync = off\nsynchronous_commit = off\nfull_page_writes = off\n",
            dir.display()
        );
        let mut f = std::fs::File::options()
            .append(true)
            .open(data.join("postgresql.conf"))?;
        std::io::Write::write_all(&mut f, conf.as_bytes())?;
        let pg = Postgres {
            log: dir.join("postgres.log"),
            data,
            pg_ctl: tools.pg_ctl.clone(),
            root,
            port,
        };
        pg.ctl(&["start", "-w", "-t", "60"])?;
        Ok(pg)
    }

    fn ctl(&self, args: &[&str]) -> Result<()> {
        let mut c = command(&self.pg_ctl, self.root);
        c.arg("-D")
            .arg(&self.data)
            .arg("-l")
            .arg(&self.log)
            .args(args);
        run(c, &format!("pg_ctl {}", args.join(" ")))
    }

    /// `pg_ctl restart -m fast`: every connection is cut, the cluster
    /// comes back on the same port.
    pub fn restart(&self) -> Result<()> {
        self.ctl(&["restart", "-m", "fast", "-w", "-t", "60"])
    }

    pub fn url(&self, db: &str) -> String {
        format!("postgres://postgres@127.0.0.1:{}/{db}", self.port)
    }
}

impl Drop for Postgres {
    fn drop(&mut self) {
        let _ = self.ctl(&["stop", "-m", "immediate", "-w"]);
    }
}

/// A child process killed (SIGTERM, then SIGKILL) when dropped.
struct Daemon {
    child: Child,
    name: &'static str,
}

impl Drop for Daemon {
    fn drop(&mut self) {
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if matches!(self.child.try_wait(), Ok(Some(_))) {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        eprintln!("{} did not stop on SIGTERM; killing it", self.name);
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn wait_for_port(port: u16, what: &str, child: &mut Child, log: &Path) -> Result<()> {
    let started = Instant::now();
    loop {
        if tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .is_ok()
        {
            return Ok(());
        }
        if let Ok(Some(status)) = child.try_wait() {
            bail!(
                "{what} exited at start ({status}); log {}:\n{}",
                log.display(),
                std::fs::read_to_string(log).unwrap_or_default()
            );
        }
        if started.elapsed() > Duration::from_secs(30) {
            bail!("{what} did not listen on {port} within 30 s");
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// PgBouncer in transaction mode with prepared statements on.
pub struct PgBouncer {
    _daemon: Daemon,
    pub port: u16,
}

impl PgBouncer {
    pub async fn start(tools: &Tools, dir: &Path, pg_port: u16, root: bool) -> Result<PgBouncer> {
        let port = free_port()?;
        let auth = dir.join("userlist.txt");
        std::fs::write(&auth, "\"postgres\" \"\"\n")?;
        let log = dir.join("pgbouncer.log");
        let ini = dir.join("pgbouncer.ini");
        std::fs::write(
            &ini,
            format!(
                "[databases]\n\
                 accord = host=127.0.0.1 port={pg_port} dbname=accord\n\
                 \n\
                 [pgbouncer]\n\
                 listen_addr = 127.0.0.1\n\
                 listen_port = {port}\n\
                 unix_socket_dir =\n\
                 auth_type = trust\n\
                 auth_file = {auth}\n\
                 pool_mode = transaction\n\
                 max_prepared_statements = 200\n\
                 max_client_conn = 500\n\
                 default_pool_size = 20\n\
                 ignore_startup_parameters = extra_float_digits\n\
                 server_login_retry = 2\n\
                 logfile = {log}\n\
                 pidfile = {pid}\n\
                 admin_users = postgres\n",
                auth = auth.display(),
                log = log.display(),
                pid = dir.join("pgbouncer.pid").display(),
            ),
        )?;
        // As root PgBouncer runs as UNPRIVILEGED, who may not reach the
        // binary where it was built (`.ci/run` builds it under root's home):
        // it runs from a copy in the drill's directory.
        let binary = if root {
            let copy = dir.join("pgbouncer");
            std::fs::copy(&tools.pgbouncer, &copy).context("copying pgbouncer")?;
            copy
        } else {
            tools.pgbouncer.clone()
        };
        if root {
            run(
                {
                    let mut c = Command::new("chown");
                    c.args(["-R", UNPRIVILEGED]).arg(dir);
                    c
                },
                "chown",
            )?;
        }
        let mut child = command(&binary, root)
            .arg(&ini)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .context("spawning pgbouncer")?;
        wait_for_port(port, "pgbouncer", &mut child, &log).await?;
        Ok(PgBouncer {
            _daemon: Daemon {
                child,
                name: "pgbouncer",
            },
            port,
        })
    }

    pub fn url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/accord", self.port)
    }
}

/// nginx from the example configuration: the same locations, headers,
/// timeouts and upstream-failure answer; plain HTTP on a free port; the
/// upstream is the three replicas.
pub fn nginx_conf(example: &str, listen: u16, upstreams: &[u16], logs: &Path) -> Result<String> {
    let mut out = String::new();
    let mut depth = 0usize;
    let mut skipping = false;
    let mut upstream_done = false;
    let mut listen_done = false;
    let lines: Vec<&str> = example.lines().collect();
    for (i, line) in lines.iter().enumerate() {
        let t = line.trim();
        // The port-80 server (redirects to https) is left out.
        if depth == 0 && t.starts_with("server {") {
            let block_listens_80 = lines[i..]
                .iter()
                .take_while(|l| !l.starts_with('}'))
                .any(|l| l.trim() == "listen 80;");
            skipping = block_listens_80;
        }
        let opens = line.matches('{').count();
        let closes = line.matches('}').count();
        let was_skipping = skipping;
        depth = (depth + opens).saturating_sub(closes);
        if was_skipping {
            if depth == 0 {
                skipping = false;
            }
            continue;
        }
        if t.starts_with("server 127.0.0.1:8080") {
            // The same parameters for each replica.
            for p in upstreams {
                out.push_str(&line.replace("127.0.0.1:8080", &format!("127.0.0.1:{p}")));
                out.push('\n');
            }
            upstream_done = true;
            continue;
        }
        // The load comes from one address standing for many clients: the
        // per-address limits (which the drill does not test) are lifted, as
        // the bench lifts the server's own.
        if t.starts_with("limit_req_zone") || t.starts_with("limit_conn ") {
            out.push_str(&lift_limit(line));
            out.push('\n');
            continue;
        }
        if t == "listen 443 ssl http2;" {
            out.push_str(&format!("    listen 127.0.0.1:{listen};\n"));
            listen_done = true;
            continue;
        }
        if t.starts_with("listen [::]:443") || t.starts_with("ssl_") {
            continue;
        }
        out.push_str(&line.replace("/var/log/nginx/", &format!("{}/", logs.display())));
        out.push('\n');
    }
    if !upstream_done || !listen_done {
        bail!(
            "ops/nginx/accord.conf no longer has the lines the drill rewrites (`server 127.0.0.1:8080` in the upstream, `listen 443 ssl http2;`); update bench/src/soak/stack.rs"
        );
    }
    Ok(out)
}

/// `rate=20r/s` → `rate=100000r/s`; `limit_conn zone 10;` → `… 10000;`.
fn lift_limit(line: &str) -> String {
    line.split(' ')
        .map(|w| {
            if let Some(rate) = w.strip_prefix("rate=") {
                let unit = rate.trim_start_matches(|c: char| c.is_ascii_digit());
                format!("rate=100000{unit}")
            } else if w.ends_with(';') && w.trim_end_matches(';').parse::<u64>().is_ok() {
                "10000;".to_owned()
            } else {
                w.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

pub struct Nginx {
    _daemon: Daemon,
    pub port: u16,
}

impl Nginx {
    pub async fn start(tools: &Tools, dir: &Path, upstreams: &[u16], root: bool) -> Result<Nginx> {
        let port = free_port()?;
        let logs = dir.join("logs");
        std::fs::create_dir_all(&logs)?;
        let site = nginx_conf(NGINX_EXAMPLE, port, upstreams, &logs)?;
        std::fs::write(dir.join("accord.conf"), site)?;
        let mime = if Path::new("/etc/nginx/mime.types").is_file() {
            "include /etc/nginx/mime.types;"
        } else {
            ""
        };
        let d = dir.display();
        // Temp paths for the modules this nginx has (a directive of a module
        // built without would be an error), as ops/nginx/validate.sh does.
        let built = Command::new(&tools.nginx)
            .arg("-V")
            .output()
            .map(|o| String::from_utf8_lossy(&o.stderr).into_owned())
            .unwrap_or_default();
        let mut temp_paths = String::new();
        for module in ["fastcgi", "uwsgi", "scgi"] {
            if !built.contains(&format!("--without-http_{module}_module")) {
                temp_paths.push_str(&format!("    {module}_temp_path {d}/{module};\n"));
            }
        }
        std::fs::write(
            dir.join("nginx.conf"),
            format!(
                "daemon off;\nworker_processes 2;\npid {d}/nginx.pid;\nlock_file {d}/nginx.lock;\nerror_log {d}/logs/error.log;\n\
                 events {{ worker_connections 2048; }}\n\
                 http {{\n    {mime}\n    access_log {d}/logs/access.log;\n\
                 client_body_temp_path {d}/client_body;\n    proxy_temp_path {d}/proxy;\n\
                 {temp_paths}    include {d}/accord.conf;\n}}\n"
            ),
        )?;
        if root {
            run(
                {
                    let mut c = Command::new("chown");
                    c.args(["-R", UNPRIVILEGED]).arg(dir);
                    c
                },
                "chown",
            )?;
        }
        let log = logs.join("error.log");
        let mut child = command(&tools.nginx, root)
            .arg("-p")
            .arg(dir)
            .arg("-c")
            .arg(dir.join("nginx.conf"))
            .arg("-e")
            .arg(&log)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .context("spawning nginx")?;
        wait_for_port(port, "nginx", &mut child, &log).await?;
        Ok(Nginx {
            _daemon: Daemon {
                child,
                name: "nginx",
            },
            port,
        })
    }

    pub fn base(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }
}

/// One message as the sink received it.
#[derive(Clone, Debug)]
pub struct Delivered {
    /// The `Message-ID` header without its angle brackets, if any.
    pub message_id: Option<String>,
    /// When the sink accepted it.
    pub at: Instant,
}

/// A minimal SMTP server that accepts everything and keeps each message's
/// Message-ID.
pub struct SmtpSink {
    pub port: u16,
    pub received: Arc<Mutex<Vec<Delivered>>>,
    task: tokio::task::JoinHandle<()>,
}

impl SmtpSink {
    pub async fn start() -> Result<SmtpSink> {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let port = listener.local_addr()?.port();
        let received = Arc::new(Mutex::new(Vec::new()));
        let store = received.clone();
        let task = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let store = store.clone();
                tokio::spawn(async move {
                    if let Err(e) = smtp_session(stream, store).await {
                        eprintln!("smtp sink: session ended: {e}");
                    }
                });
            }
        });
        Ok(SmtpSink {
            port,
            received,
            task,
        })
    }

    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    pub fn delivered(&self) -> Vec<Delivered> {
        self.received.lock().map(|v| v.clone()).unwrap_or_default()
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn smtp_session(
    stream: tokio::net::TcpStream,
    store: Arc<Mutex<Vec<Delivered>>>,
) -> Result<()> {
    let (read, mut write) = stream.into_split();
    let mut lines = BufReader::new(read);
    write.write_all(b"220 accord-soak sink ESMTP\r\n").await?;
    let mut line = String::new();
    loop {
        line.clear();
        if lines.read_line(&mut line).await? == 0 {
            return Ok(());
        }
        let verb = line.trim_end().to_ascii_uppercase();
        let reply: &[u8] = if verb.starts_with("EHLO") {
            b"250-accord-soak\r\n250 8BITMIME\r\n"
        } else if verb.starts_with("DATA") {
            write.write_all(b"354 go ahead\r\n").await?;
            let mut message_id = None;
            let mut in_headers = true;
            loop {
                line.clear();
                if lines.read_line(&mut line).await? == 0 {
                    // Cut off mid-message: nothing was accepted.
                    return Ok(());
                }
                let l = line.trim_end_matches(['\r', '\n']);
                if l == "." {
                    break;
                }
                if l.is_empty() {
                    in_headers = false;
                }
                if in_headers
                    && message_id.is_none()
                    && let Some((name, value)) = l.split_once(':')
                    && name.eq_ignore_ascii_case("message-id")
                {
                    message_id = Some(value.trim().trim_matches(['<', '>']).to_owned());
                }
            }
            if let Ok(mut v) = store.lock() {
                v.push(Delivered {
                    message_id,
                    at: Instant::now(),
                });
            }
            b"250 accepted\r\n"
        } else if verb.starts_with("QUIT") {
            write.write_all(b"221 bye\r\n").await?;
            return Ok(());
        } else {
            // HELO, MAIL, RCPT, RSET, NOOP…
            b"250 ok\r\n"
        };
        write.write_all(reply).await?;
    }
}

/// The three `accord serve` replicas, each on a fixed port (nginx's upstream).
pub struct Replicas {
    pub bin: PathBuf,
    pub ports: Vec<u16>,
    pub running: Vec<Option<Server>>,
    pub database_url: String,
    pub secrets: Secrets,
    pub env: Vec<(String, String)>,
    pub dir: PathBuf,
}

impl Replicas {
    pub fn new(
        bin: PathBuf,
        count: usize,
        database_url: String,
        env: Vec<(String, String)>,
        dir: &Path,
    ) -> Result<Replicas> {
        let ports = (0..count)
            .map(|_| free_port())
            .collect::<Result<Vec<_>>>()?;
        Ok(Replicas {
            bin,
            running: (0..count).map(|_| None).collect(),
            ports,
            database_url,
            secrets: Secrets::random(),
            env,
            dir: dir.to_owned(),
        })
    }

    pub fn log(&self, i: usize) -> PathBuf {
        self.dir.join(format!("accord-{i}.log"))
    }

    /// Starts replica `i` and waits for its `/readyz`.
    pub async fn start(&mut self, i: usize) -> Result<Duration> {
        let server = Server::start_at(
            &[],
            &self.bin,
            self.ports[i],
            &self.database_url,
            &self.secrets,
            &self.log(i),
            &self.env,
        )
        .await
        .with_context(|| format!("starting replica {i}"))?;
        let took = server.start_to_ready;
        self.running[i] = Some(server);
        Ok(took)
    }

    pub async fn kill(&mut self, i: usize) -> Result<()> {
        if let Some(s) = self.running[i].take() {
            s.kill().await?;
        }
        Ok(())
    }

    /// SIGTERM and wait for the exit; SIGKILL after `STOP_GRACE`, and then
    /// true (the drill counts it as a kill).
    pub async fn stop(&mut self, i: usize) -> Result<bool> {
        match self.running[i].take() {
            Some(s) => s.stop_within(STOP_GRACE).await,
            None => Ok(false),
        }
    }

    /// Replicas that died without being told to.
    pub fn crashed(&mut self) -> Vec<usize> {
        self.running
            .iter_mut()
            .enumerate()
            .filter_map(|(i, s)| s.as_mut().is_some_and(Server::exited).then_some(i))
            .collect()
    }
}

/// Creates the directory, the cluster, the `accord` database and PgBouncer;
/// the caller seeds, then `start_serving` starts the replicas and nginx.
pub struct Foundation {
    pub dir: tempfile::TempDir,
    pub postgres: Postgres,
    pub pgbouncer: PgBouncer,
    pub smtp: SmtpSink,
    pub root: bool,
}

pub async fn foundation(tools: &Tools, keep: bool) -> Result<Foundation> {
    let dir = tempfile::Builder::new()
        .prefix("accord-soak-")
        .disable_cleanup(keep)
        .tempdir()?;
    let root = is_root();
    // The daemons' user must reach into it (TempDir is 0700).
    if root {
        run(
            {
                let mut c = Command::new("chown");
                c.args(["-R", UNPRIVILEGED]).arg(dir.path());
                c
            },
            "chown",
        )?;
    }
    let pg_dir = dir.path().join("pg");
    let pgb_dir = dir.path().join("pgbouncer");
    std::fs::create_dir_all(&pg_dir)?;
    std::fs::create_dir_all(&pgb_dir)?;
    if root {
        run(
            {
                let mut c = Command::new("chown");
                c.args(["-R", UNPRIVILEGED]).arg(dir.path());
                c
            },
            "chown",
        )?;
    }
    let postgres = Postgres::start(tools, &pg_dir, root)?;
    let admin = sea_orm::Database::connect(postgres.url("postgres")).await?;
    sea_orm::ConnectionTrait::execute_unprepared(&admin, "CREATE DATABASE accord").await?;
    admin.close().await?;
    let pgbouncer = PgBouncer::start(tools, &pgb_dir, postgres.port, root).await?;
    let smtp = SmtpSink::start().await?;
    Ok(Foundation {
        dir,
        postgres,
        pgbouncer,
        smtp,
        root,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_drill_runs_the_nginx_example_with_its_upstream_answer() {
        let conf = nginx_conf(NGINX_EXAMPLE, 8000, &[1, 2, 3], Path::new("/tmp/x"))
            .expect("the example has the lines the drill rewrites");
        assert!(conf.contains("    server 127.0.0.1:1"));
        assert!(conf.contains("    server 127.0.0.1:2"));
        assert!(conf.contains("listen 127.0.0.1:8000;"));
        assert!(!conf.contains("ssl_certificate"));
        assert!(!conf.contains("listen 80;"));
        assert!(!conf.contains("/var/log/nginx"));
        // The GraphQL-shaped answer for an upstream that is gone.
        assert!(conf.contains("\"code\":\"UNAVAILABLE\""), "{conf}");
        assert_eq!(conf.matches('{').count(), conf.matches('}').count());
    }

    #[test]
    fn per_address_limits_are_lifted() {
        assert_eq!(
            lift_limit("limit_req_zone  $binary_remote_addr zone=a:10m rate=20r/s;"),
            "limit_req_zone  $binary_remote_addr zone=a:10m rate=100000r/s;"
        );
        assert_eq!(
            lift_limit("        limit_conn accord_websockets 10;"),
            "        limit_conn accord_websockets 10000;"
        );
    }
}
