//! SQL statements per request, counted in-process: the server library started
//! exactly as the tests start it (`App::build_on` on a connection whose
//! metric callback counts every statement), on the benchmark's database,
//! with the same secrets as the `accord` binary so its tokens are valid here.
//!
//! It runs in a runtime of its own, dropped afterwards, so that the server's
//! tasks and connection pool are gone before the database is dropped.
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use accord_server::app::App;
use accord_server::config::{Config, Mode};
use anyhow::{Result, anyhow, bail};
use serde_json::{Value, json};

use crate::load::{self, Req};
use crate::server::{ACCESS_TOKEN_TTL_SECS, Secrets};

/// One request to count, by name.
pub struct Probe {
    pub name: String,
    pub req: Req,
}

/// Statements each probe cost: the minimum and maximum over a few repetitions.
pub struct Count {
    pub name: String,
    pub min: usize,
    pub max: usize,
}

pub fn count_blocking(
    database_url: String,
    secrets: Secrets,
    probes: Vec<Probe>,
    mutations: Vec<Probe>,
) -> Result<Vec<Count>> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    let counted = runtime.block_on(count(database_url, secrets, probes, mutations));
    runtime.shutdown_timeout(Duration::from_secs(5));
    counted
}

async fn count(
    database_url: String,
    secrets: Secrets,
    probes: Vec<Probe>,
    mutations: Vec<Probe>,
) -> Result<Vec<Count>> {
    let config = Config {
        database_url,
        bind: "127.0.0.1:0".parse()?,
        mode: Mode::Production,
        demo: Some(false),
        jwt_secret: Some(secrets.jwt_secret.into()),
        identity_keys: Some(secrets.identity_keys.into()),
        access_token_ttl_secs: ACCESS_TOKEN_TTL_SECS,
        // The email worker idles, so that the count is the request's alone.
        outbox_poll_ms: 3_600_000,
        ..Config::default()
    };
    let statements = Arc::new(AtomicUsize::new(0));
    let mut conn = accord_server::db::connect_configured(&config)
        .await
        .map_err(|e| anyhow!("in-process server: cannot connect: {e}"))?;
    let counter = statements.clone();
    conn.set_metric_callback(move |_| {
        counter.fetch_add(1, Ordering::Relaxed);
    });
    let app = App::build_on(config, conn, Arc::new(accord_server::clock::SystemClock))
        .await
        .map_err(|e| anyhow!("in-process server: {e}"))?;
    let url = format!("http://127.0.0.1:{}/graphql", app.port());
    tokio::spawn(app.run());
    // Let start-up work (the email worker's first round) settle.
    tokio::time::sleep(Duration::from_millis(500)).await;

    let client = load::client()?;
    let mut out = Vec::with_capacity(probes.len() + mutations.len());
    for probe in probes {
        // Once untimed (warms caches and prepared statements), then counted.
        check(
            &probe.req,
            load::send(&client, &url, &probe.req).await?,
            &probe.name,
        )?;
        let mut seen = Vec::new();
        for _ in 0..3 {
            let before = statements.load(Ordering::SeqCst);
            check(
                &probe.req,
                load::send(&client, &url, &probe.req).await?,
                &probe.name,
            )?;
            seen.push(statements.load(Ordering::SeqCst) - before);
        }
        out.push(Count {
            name: probe.name,
            min: seen.iter().copied().min().unwrap_or(0),
            max: seen.iter().copied().max().unwrap_or(0),
        });
    }
    // Mutations change state, so each runs once.
    for probe in mutations {
        let before = statements.load(Ordering::SeqCst);
        check(
            &probe.req,
            load::send(&client, &url, &probe.req).await?,
            &probe.name,
        )?;
        let n = statements.load(Ordering::SeqCst) - before;
        out.push(Count {
            name: probe.name,
            min: n,
            max: n,
        });
    }
    Ok(out)
}

fn check(req: &Req, (status, text): (u16, String), name: &str) -> Result<()> {
    if req.page.is_some() {
        if status != 200 {
            bail!("in-process {name}: HTTP {status}");
        }
        return Ok(());
    }
    let body: Value = serde_json::from_str(&text)?;
    if status != 200 || body.get("errors").is_some_and(|e| e != &json!([])) {
        bail!("in-process {name}: HTTP {status}: {text}");
    }
    Ok(())
}
