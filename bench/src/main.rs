//! `accord-bench`: performance at scale, end to end.
//!
//! ```sh
//! cargo run --release -p accord-bench -- --cases 20000
//! ```
//!
//! For each backend (SQLite, PostgreSQL or both): a fresh database seeded in
//! bulk with a world of N cases (see `seed`), the real `accord` binary started
//! in production mode on it (see `server`), HTTP load from this process over a
//! fixed mix of read scenarios at each connection count, a claim storm on one
//! hearing, SQL statements per request counted in-process (see `statements`),
//! and the server's memory read from `/proc`. Prints a Markdown table per
//! backend. Every database it creates is removed at the end. See README.md.
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, anyhow, bail};
use clap::{Parser, ValueEnum};
use sea_orm::{ConnectionTrait, DatabaseConnection, Statement};
use serde_json::json;

mod abuse;
mod callgrind;
mod identity;
mod load;
mod pages;
mod report;
mod seed;
mod server;
mod statements;

use load::{CASE_BY_ID, CASES_PAGE, CLAIM, HEARINGS, LOGIN, Req};
use report::{Report, Row};

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum Backend {
    Postgres,
    Sqlite,
    Both,
}

#[derive(Parser, Debug)]
#[command(
    name = "accord-bench",
    about = "Seeds a world of N cases, starts the accord binary in production mode on it and measures it under HTTP load"
)]
pub struct Args {
    /// Cases to seed.
    #[arg(long, default_value_t = 20_000)]
    cases: usize,
    /// Which database(s) to run on.
    #[arg(long, value_enum, default_value_t = Backend::Both)]
    backend: Backend,
    /// A PostgreSQL server where this user may CREATE and DROP DATABASE.
    #[arg(long, default_value = "postgres://postgres@127.0.0.1:5432/postgres")]
    postgres_url: String,
    /// Measured seconds per scenario and connection count (after a warm-up).
    #[arg(long, default_value_t = 10)]
    pub duration_secs: u64,
    /// Concurrent connections, one run per value.
    #[arg(long, default_value = "8,16", value_delimiter = ',')]
    pub connections: Vec<usize>,
    /// Diplomats who claim the same hearing at once.
    #[arg(long, default_value_t = 1000)]
    claims: usize,
    /// Logins in flight at once (each costs a production argon2id hash).
    #[arg(long, default_value_t = 4)]
    login_concurrency: usize,
    /// The `accord` binary; by default cargo builds it (see README.md).
    #[arg(long)]
    server_bin: Option<PathBuf>,
    /// Leave the PostgreSQL database in place at the end (its name is
    /// printed), to study its plans with psql; drop it by hand afterwards.
    #[arg(long)]
    keep_database: bool,
    /// An extra `KEY=VALUE` for the server's environment (repeatable), to
    /// measure a setting, e.g. `--server-env ACCORD_MAX_EXECUTING_REQUESTS=128`.
    #[arg(long = "server-env", value_parser = parse_env_pair)]
    pub server_env: Vec<(String, String)>,
    /// PostgreSQL only: the server's queries go through the PgBouncer
    /// listening on this port of the database's host (transaction mode,
    /// `max_prepared_statements` set; ops/HA.md), its listener and
    /// migrations straight to the database, to measure the pooler's cost.
    #[arg(long)]
    pgbouncer_port: Option<u16>,
    /// Seconds per abuse reproduction (a huge diff, a versions flood) while
    /// another user's `me` is timed; 0 skips them.
    #[arg(long, default_value_t = 5)]
    abuse_secs: u64,
    /// Instead of the load: count the server's instructions per request
    /// under valgrind's callgrind, over this many requests per read scenario
    /// and one storm of `--claims` claims (see README.md, "Instructions per
    /// request").
    #[arg(long, default_value_t = 0)]
    callgrind: usize,
    /// Where callgrind's per-scenario profiles are kept (for
    /// `callgrind_annotate`); by default a temporary directory, removed.
    #[arg(long)]
    callgrind_out: Option<PathBuf>,
    /// Instead of the load: the web client's hearing page and *my roster*
    /// against the GraphQL queries that read the same (see README.md,
    /// "Web client"), at each `--connections`.
    #[arg(long)]
    pages: bool,
    /// Instead of the load: what sealing and opening one defender identity
    /// costs, in process, median over this many runs (see README.md,
    /// "Sealed identity").
    #[arg(long, default_value_t = 0)]
    identity: usize,
}

impl Args {
    /// `--server-env`, and with `--pgbouncer-port` on PostgreSQL the URLs
    /// that send queries through that PgBouncer (later entries win).
    pub fn server_env_for(&self, url: &str, postgres: bool) -> Vec<(String, String)> {
        let mut env = self.server_env.clone();
        if let (Some(port), true) = (self.pgbouncer_port, postgres) {
            env.push(("DATABASE_URL".into(), with_port(url, port)));
            env.push(("ACCORD_DIRECT_DATABASE_URL".into(), url.to_owned()));
        }
        env
    }
}

/// `url` with its port replaced (`postgres://user@host:5432/db` → `…:port/db`).
fn with_port(url: &str, port: u16) -> String {
    let (scheme, rest) = url.split_once("://").unwrap_or(("postgres", url));
    let (authority, path) = rest.split_once('/').unwrap_or((rest, ""));
    let (user, host_port) = match authority.rsplit_once('@') {
        Some((user, host_port)) => (format!("{user}@"), host_port),
        None => (String::new(), authority),
    };
    let host = match host_port.rsplit_once(':') {
        Some((host, port)) if port.bytes().all(|b| b.is_ascii_digit()) => host,
        _ => host_port,
    };
    format!("{scheme}://{user}{host}:{port}/{path}")
}

fn parse_env_pair(s: &str) -> Result<(String, String), String> {
    s.split_once('=')
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .filter(|(k, _)| !k.is_empty())
        .ok_or_else(|| format!("expected KEY=VALUE, got {s}"))
}

fn main() -> Result<()> {
    let args = Args::parse();
    if args.identity > 0 {
        print!("{}", identity::measure(args.identity)?);
        return Ok(());
    }
    if args.connections.is_empty() || args.connections.contains(&0) {
        bail!("--connections needs one or more positive numbers");
    }
    if args.duration_secs == 0 {
        bail!("--duration-secs must be positive");
    }
    // Built before the runtime starts: a failed build stops everything early.
    let bin = server::locate_binary(args.server_bin.as_deref())?;
    eprintln!("server binary: {}", bin.display());
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(run(args, bin))
}

async fn run(args: Args, bin: PathBuf) -> Result<()> {
    let machine = report::machine();
    let mut backends = Vec::new();
    if matches!(args.backend, Backend::Sqlite | Backend::Both) {
        backends.push(Backend::Sqlite);
    }
    if matches!(args.backend, Backend::Postgres | Backend::Both) {
        backends.push(Backend::Postgres);
    }
    let mut reports = Vec::new();
    for backend in backends {
        eprintln!("\n=== {backend:?}: {} cases ===", args.cases);
        let report = match backend {
            Backend::Sqlite => on_sqlite(&args, &bin).await?,
            _ => on_postgres(&args, &bin).await?,
        };
        // Each table as soon as it is known (progress); the results at the end.
        eprintln!("{}", report.markdown());
        reports.push(report);
    }
    println!("# accord-bench results\n");
    let versions: Vec<&str> = reports.iter().map(|r| r.version.as_str()).collect();
    println!("{}", machine.markdown(&versions));
    println!(
        "Command: `accord-bench {}`\n",
        std::env::args().skip(1).collect::<Vec<_>>().join(" ")
    );
    for r in &reports {
        println!("{}", r.markdown());
    }
    let failed: Vec<&str> = reports
        .iter()
        .filter(|r| !r.storm_problems.is_empty())
        .map(|r| r.backend.as_str())
        .collect();
    if !failed.is_empty() {
        bail!("the claim storm broke the roster on {}", failed.join(", "));
    }
    Ok(())
}

async fn on_sqlite(args: &Args, bin: &std::path::Path) -> Result<Report> {
    let dir = tempfile::Builder::new().prefix("accord-bench-").tempdir()?;
    let url = format!(
        "sqlite://{}?mode=rwc",
        dir.path().join("accord.db").display()
    );
    let result = interruptible(on_database(args, bin, "SQLite", &url, dir.path(), false)).await;
    drop(dir);
    result
}

async fn on_postgres(args: &Args, bin: &std::path::Path) -> Result<Report> {
    let admin = sea_orm::Database::connect(args.postgres_url.as_str())
        .await
        .with_context(|| format!("connecting to {}", args.postgres_url))?;
    let name = format!("accord_bench_{}", uuid::Uuid::new_v4().simple());
    admin
        .execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
        .await
        .context("CREATE DATABASE")?;
    let url = database_url(&args.postgres_url, &name)?;
    let dir = tempfile::Builder::new().prefix("accord-bench-").tempdir()?;
    let result = interruptible(on_database(args, bin, "PostgreSQL", &url, dir.path(), true)).await;
    if args.keep_database {
        eprintln!("kept database {name}: {url}");
        let _ = admin.close().await;
        return result;
    }
    // Dropped whatever happened (FORCE ends any connection still open).
    if let Err(e) = admin
        .execute_unprepared(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
        .await
    {
        eprintln!("could not drop database {name}: {e}");
    }
    let _ = admin.close().await;
    result
}

/// Runs `work` unless SIGINT or SIGTERM comes first; then `work` is dropped
/// (which kills the server it started), so the caller still cleans up.
async fn interruptible(work: impl std::future::Future<Output = Result<Report>>) -> Result<Report> {
    let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())?;
    tokio::select! {
        r = work => r,
        _ = tokio::signal::ctrl_c() => Err(anyhow!("interrupted")),
        _ = term.recv() => Err(anyhow!("terminated")),
    }
}

/// `url` with its database name replaced by `name`.
fn database_url(url: &str, name: &str) -> Result<String> {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let (prefix, _) = base
        .rsplit_once('/')
        .filter(|(p, _)| p.contains("://") && !p.ends_with('/'))
        .ok_or_else(|| anyhow!("--postgres-url needs a database name: {url}"))?;
    Ok(match query {
        Some(q) => format!("{prefix}/{name}?{q}"),
        None => format!("{prefix}/{name}"),
    })
}

async fn scalar(db: &DatabaseConnection, sql: &str) -> Result<String> {
    let row = db
        .query_one_raw(Statement::from_string(db.get_database_backend(), sql))
        .await?
        .ok_or_else(|| anyhow!("{sql}: no row"))?;
    Ok(row.try_get_by_index::<String>(0)?)
}

async fn on_database(
    args: &Args,
    bin: &std::path::Path,
    backend: &str,
    url: &str,
    work_dir: &std::path::Path,
    postgres: bool,
) -> Result<Report> {
    // 1. Seed.
    eprintln!("seeding {} cases…", args.cases);
    let seed_started = Instant::now();
    let db = accord_server::db::connect(url, 4, std::time::Duration::from_secs(30))
        .await
        .map_err(|e| anyhow!("connecting to {url}: {e}"))?;
    accord_server::db::migrate(&db)
        .await
        .map_err(|e| anyhow!("migrations: {e}"))?;
    let migrate_time = seed_started.elapsed();
    let world = seed::seed(
        &db,
        &seed::SeedOptions {
            cases: args.cases,
            claims: args.claims,
            postgres,
        },
    )
    .await?;
    let seed_time = seed_started.elapsed();
    let version = if postgres {
        scalar(&db, "SHOW server_version").await?
    } else {
        scalar(&db, "SELECT sqlite_version()").await?
    };
    db.close().await?;
    eprintln!(
        "seeded in {:.1} s (migrations {:.1} s, inserts {:.1} s, access index {:.1} s, analyze {:.1} s)",
        seed_time.as_secs_f64(),
        migrate_time.as_secs_f64(),
        world.insert_time.as_secs_f64(),
        world.access_time.as_secs_f64(),
        world.analyze_time.as_secs_f64()
    );

    if args.callgrind > 0 {
        let out_dir = match &args.callgrind_out {
            Some(dir) => dir.join(backend),
            None => work_dir.join("callgrind"),
        };
        let lines = callgrind::measure(
            bin,
            url,
            work_dir,
            &out_dir,
            &args.server_env_for(url, postgres),
            &world,
            args.callgrind,
        )
        .await?;
        let text = callgrind::markdown(backend, args.cases, &lines);
        return Ok(Report::of_text(backend, version, text));
    }

    if args.pages {
        let text = pages::measure(args, bin, url, work_dir, &world).await?;
        return Ok(Report::of_text(
            backend,
            version,
            format!(
                "### {backend}: web pages against GraphQL ({} cases)\n\n{text}",
                args.cases
            ),
        ));
    }

    // 2. The binary, as production starts it.
    let secrets = server::Secrets::random();
    let server_env = args.server_env_for(url, postgres);
    let srv = server::Server::start(bin, url, &secrets, work_dir, &server_env).await?;
    let pid = srv.pid;
    let idle = srv.rss().unwrap_or_default();
    eprintln!(
        "server pid {pid} ready in {} ms (log {}), RSS {:.1} MB",
        srv.start_to_ready.as_millis(),
        srv.log.display(),
        server::mib(idle.rss_kib)
    );
    let outcome = drive(args, &srv, &world).await;
    let after = srv.rss().unwrap_or_default();
    let stopped = srv.stop().await;
    let load = outcome?;
    stopped?;

    // 3. Statements per request, in-process on the same database.
    eprintln!("counting statements per request in-process…");
    let coordinator = load.token(&world.coordinators[0])?;
    let diplomat = load.token(&world.diplomats[0])?;
    let case_id = load
        .case_ids
        .first()
        .and_then(|ids| ids.first())
        .cloned()
        .ok_or_else(|| anyhow!("the first coordinator sees no case"))?;
    let mut probes = Vec::new();
    for (who, token) in [("coordinator", &coordinator), ("diplomat", &diplomat)] {
        for rows in [5, 50] {
            probes.push(statements::Probe {
                name: format!("cases/{rows}/{who}"),
                req: Req::new(Some(token), CASES_PAGE, json!({ "n": rows })),
            });
            probes.push(statements::Probe {
                name: format!("hearings/{rows}/{who}"),
                req: Req::new(Some(token), HEARINGS, json!({ "n": rows })),
            });
        }
    }
    probes.push(statements::Probe {
        name: "case".into(),
        req: Req::new(Some(&coordinator), CASE_BY_ID, json!({ "id": case_id })),
    });
    // Mutations, once each: a login, and a claim on the storm hearing by a
    // diplomat who has not claimed yet (it joins the end of the waitlist).
    let claimer = load.token(&world.diplomats[1])?;
    let mutations = vec![
        statements::Probe {
            name: "login".into(),
            req: Req::new(
                None,
                LOGIN,
                json!({ "e": world.coordinators[1], "p": seed::PASSWORD }),
            ),
        },
        statements::Probe {
            name: "claim".into(),
            req: Req::new(
                Some(&claimer),
                CLAIM,
                json!({ "h": load::global_id("Hearing", world.storm_hearing) }),
            ),
        },
    ];
    let (u, s) = (url.to_owned(), secrets.clone());
    let counts =
        tokio::task::spawn_blocking(move || statements::count_blocking(u, s, probes, mutations))
            .await??;

    Ok(Report::build(report::Run {
        backend,
        version,
        cases: args.cases,
        world: &world,
        seed_time,
        migrate_time,
        idle,
        after,
        load,
        counts,
    }))
}

/// Everything measured against the running binary.
pub struct Driven {
    pub start_to_ready: Duration,
    pub tokens: std::collections::HashMap<String, Arc<str>>,
    pub case_ids: Vec<Vec<String>>,
    pub login: load::Measured,
    pub rows: Vec<Row>,
    pub storm: load::Storm,
    pub abuse: Option<abuse::Outcome>,
}

impl Driven {
    fn token(&self, email: &str) -> Result<Arc<str>> {
        self.tokens
            .get(email)
            .cloned()
            .ok_or_else(|| anyhow!("{email} did not sign in"))
    }
}

async fn drive(args: &Args, srv: &server::Server, world: &seed::World) -> Result<Driven> {
    let pid = srv.pid;
    // Sign in everyone needed, once.
    let mut emails: Vec<String> = world.coordinators.clone();
    emails.extend(world.diplomats.iter().cloned());
    emails.extend(world.storm_diplomats.iter().cloned());
    eprintln!(
        "signing in {} users ({} at a time, production argon2id)…",
        emails.len(),
        args.login_concurrency
    );
    let (tokens, login) = load::login_all(
        &srv.base,
        pid,
        &emails,
        seed::PASSWORD,
        args.login_concurrency,
    )
    .await?;
    let token = |email: &String| -> Result<Arc<str>> {
        tokens
            .get(email)
            .cloned()
            .ok_or_else(|| anyhow!("{email} did not sign in"))
    };
    // Viewers: each country's coordinator (owns cases) and diplomat, interleaved.
    let mut viewers = Vec::new();
    for (c, d) in world.coordinators.iter().zip(&world.diplomats) {
        viewers.push(token(c)?);
        viewers.push(token(d)?);
    }
    let case_ids = load::visible_case_ids(&srv.base, &viewers).await?;

    let cases_reqs: Vec<Req> = viewers
        .iter()
        .map(|t| Req::new(Some(t), CASES_PAGE, json!({ "n": 50 })))
        .collect();
    let mut by_id_reqs = Vec::new();
    for round in 0..50 {
        for (t, ids) in viewers.iter().zip(&case_ids) {
            if let Some(id) = ids.get(round % ids.len().max(1)) {
                by_id_reqs.push(Req::new(Some(t), CASE_BY_ID, json!({ "id": id })));
            }
        }
    }
    let hearing_reqs: Vec<Req> = viewers
        .iter()
        .map(|t| Req::new(Some(t), HEARINGS, json!({ "n": 50 })))
        .collect();
    let scenarios = [
        (report::CASES, Arc::new(cases_reqs)),
        (report::CASE, Arc::new(by_id_reqs)),
        (report::HEARINGS, Arc::new(hearing_reqs)),
    ];
    let duration = Duration::from_secs(args.duration_secs);
    let warmup = Duration::from_secs(2).min(duration);
    let mut rows = Vec::new();
    for (name, reqs) in &scenarios {
        for &connections in &args.connections {
            eprintln!(
                "{name}: {connections} connections, {} s…",
                args.duration_secs
            );
            let m = load::closed_loop(&srv.base, pid, reqs.clone(), connections, warmup, duration)
                .await?;
            if let Some(e) = &m.first_error {
                eprintln!("  {} errors; first: {}", m.errors, truncate(e, 400));
            }
            rows.push(Row {
                scenario: name,
                measured: m,
            });
        }
    }

    eprintln!(
        "claim storm: {} diplomats on one hearing…",
        world.storm_diplomats.len()
    );
    let storm_tokens = world
        .storm_diplomats
        .iter()
        .map(token)
        .collect::<Result<Vec<_>>>()?;
    let storm = load::claim_storm(
        &srv.base,
        pid,
        world.storm_hearing,
        world.storm_observers_needed,
        storm_tokens,
        token(&world.storm_owner)?,
    )
    .await?;
    if let Some(e) = &storm.first_error {
        eprintln!(
            "  {} claims failed; first: {}",
            storm.errors,
            truncate(e, 400)
        );
    }
    let abuse = if args.abuse_secs == 0 {
        None
    } else {
        eprintln!(
            "abuse reproductions: {} s each, another user's me timed meanwhile…",
            args.abuse_secs
        );
        Some(
            abuse::run(
                &srv.base,
                pid,
                token(&world.coordinators[2])?,
                token(&world.diplomats[3])?,
                Duration::from_secs(args.abuse_secs),
            )
            .await?,
        )
    };
    Ok(Driven {
        start_to_ready: srv.start_to_ready,
        tokens,
        case_ids,
        login,
        rows,
        storm,
        abuse,
    })
}

fn truncate(s: &str, max: usize) -> &str {
    match s.char_indices().nth(max) {
        Some((i, _)) => &s[..i],
        None => s,
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_pgbouncer_url_differs_only_by_its_port() {
        assert_eq!(
            super::with_port("postgres://postgres@127.0.0.1:5432/accord_bench_1", 6432),
            "postgres://postgres@127.0.0.1:6432/accord_bench_1"
        );
        assert_eq!(
            super::with_port("postgres://u:p@db.internal/accord", 6432),
            "postgres://u:p@db.internal:6432/accord"
        );
    }
}
