//! `accord-soak`: proves Accord keeps serving while boxes go away.
//!
//! ```sh
//! cargo run --release -p accord-bench --bin accord-soak -- --duration-secs 600
//! ```
//!
//! A topology of its own, in one temporary directory: a private PostgreSQL
//! 15 cluster, PgBouncer (>= 1.21) in transaction mode in front of it, an
//! SMTP sink, three `accord serve` replicas in production mode (queries
//! through PgBouncer, the live-update listener and migrations on
//! `ACCORD_DIRECT_DATABASE_URL`) and nginx from `ops/nginx/accord.conf` in
//! front of them. A mixed load runs through nginx while one replica is
//! killed (SIGKILL) and restarted, PostgreSQL is restarted, and all three
//! replicas are restarted one by one. Then the checks: every answer data,
//! `UNAVAILABLE` or `RATE_LIMITED`; the roster exact; every email once; the
//! audit chain intact; subscribers back and hearing what happened after.
//! Exit 0 when all hold, 1 when one does not (each failure printed), 2 when
//! the drill itself could not run. See ops/SOAK.md.
use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, anyhow};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use clap::Parser;
use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, Statement};
use serde_json::json;

#[path = "../load.rs"]
#[allow(dead_code)]
mod load;
#[path = "../seed.rs"]
#[allow(dead_code)]
mod seed;
#[path = "../server.rs"]
#[allow(dead_code)]
mod server;
mod stack;
mod tally;
mod work;

use tally::Tally;
use work::{Ctx, User};

#[derive(Parser, Debug)]
#[command(
    name = "accord-soak",
    about = "Three accord replicas behind nginx, PgBouncer in front of PostgreSQL, a mixed load while replicas and the database restart; checks nothing was lost or doubled"
)]
struct Args {
    /// Seconds of load; the faults fall at 20 %, 45 % and 65 % of it.
    #[arg(long, default_value_t = 600)]
    duration_secs: u64,
    /// Cases in the seeded world (read by the readers).
    #[arg(long, default_value_t = 2000)]
    cases: usize,
    /// Diplomats who claim and release.
    #[arg(long, default_value_t = 60)]
    claimants: usize,
    /// Hearings they claim (one seeded, the others scheduled through the API).
    #[arg(long, default_value_t = 6)]
    hearings: usize,
    #[arg(long, default_value_t = 3)]
    readers: usize,
    #[arg(long, default_value_t = 3)]
    claimers: usize,
    /// rosterChanged subscribers (WebSocket, through nginx).
    #[arg(long, default_value_t = 6)]
    subscribers: usize,
    /// Pause between two requests of one worker (logins: ten times this).
    #[arg(long, default_value_t = 40)]
    think_ms: u64,
    /// The `accord` binary; by default cargo builds it (as accord-bench).
    #[arg(long)]
    server_bin: Option<PathBuf>,
    /// Keep the temporary directory (logs, configuration) and print it.
    #[arg(long)]
    keep: bool,
}

const REPLICAS: usize = 3;
/// How long the outbox may take to drain after the load (a message leased
/// by a killed replica waits out its 60 s lease first).
const DRAIN: Duration = Duration::from_secs(150);
/// A message first accepted this long before a SIGKILL may have been
/// accepted by the SMTP server but not yet marked SENT by the killed replica.
const KILL_WINDOW: Duration = Duration::from_secs(2);
/// How long a subscriber may take to hear of the closing claim.
const PROBE_PATIENCE: Duration = Duration::from_secs(20);

fn on_ci() -> bool {
    matches!(std::env::var("CI").as_deref(), Ok("true" | "1"))
}

fn main() -> ExitCode {
    let args = Args::parse();
    if args.duration_secs < 20 || args.hearings == 0 || args.claimants == 0 {
        eprintln!("accord-soak: --duration-secs >= 20, --hearings and --claimants > 0");
        return ExitCode::from(2);
    }
    let tools = match stack::find_tools() {
        Ok(t) => t,
        Err(stack::ToolsError::Missing(missing)) => {
            let list = missing.join("\n  - ");
            if on_ci() {
                eprintln!("accord-soak: FAILED under CI=true, missing:\n  - {list}");
                return ExitCode::from(1);
            }
            println!(
                "accord-soak: SKIPPED (nothing was run): missing\n  - {list}\n(under CI=true this is a failure)"
            );
            return ExitCode::SUCCESS;
        }
        Err(stack::ToolsError::Unusable(why)) => {
            eprintln!("accord-soak: {why}");
            return ExitCode::from(2);
        }
    };
    let bin = match server::locate_binary(args.server_bin.as_deref()) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("accord-soak: {e:#}");
            return ExitCode::from(2);
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("accord-soak: {e}");
            return ExitCode::from(2);
        }
    };
    match runtime.block_on(run(args, tools, bin)) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(e) => {
            eprintln!("accord-soak: could not run the drill: {e:#}");
            ExitCode::from(2)
        }
    }
}

/// `base64url("Hearing:uuid")` → the uuid.
fn hearing_uuid(gid: &str) -> Option<String> {
    let raw = URL_SAFE_NO_PAD.decode(gid).ok()?;
    String::from_utf8(raw)
        .ok()?
        .strip_prefix("Hearing:")
        .map(str::to_owned)
}

fn country_of(email: &str) -> String {
    email
        .split(['.', '@'])
        .nth(1)
        .unwrap_or_default()
        .to_uppercase()
}

async fn rows(db: &DatabaseConnection, sql: &str) -> Result<Vec<sea_orm::QueryResult>> {
    db.query_all_raw(Statement::from_string(DbBackend::Postgres, sql))
        .await
        .with_context(|| format!("query: {sql}"))
}

async fn run(args: Args, tools: stack::Tools, bin: PathBuf) -> Result<bool> {
    let nginx_version = std::process::Command::new(&tools.nginx)
        .arg("-v")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stderr).trim().to_owned())
        .unwrap_or_default();
    eprintln!(
        "server binary: {}\npgbouncer {} ({}), {nginx_version}",
        bin.display(),
        tools.pgbouncer_version,
        tools.pgbouncer.display()
    );
    let found = stack::foundation(&tools, args.keep).await?;
    if args.keep {
        eprintln!("working directory (kept): {}", found.dir.path().display());
    }
    let direct = found.postgres.url("accord");
    eprintln!(
        "postgres :{} (direct), pgbouncer :{} (transaction mode), smtp sink :{}",
        found.postgres.port, found.pgbouncer.port, found.smtp.port
    );

    // The world, written underneath the API (bench/src/seed.rs).
    eprintln!("seeding {} cases…", args.cases);
    let db = accord_server::db::connect(&direct, 4, Duration::from_secs(30))
        .await
        .map_err(|e| anyhow!("connecting to {direct}: {e}"))?;
    accord_server::db::migrate(&db)
        .await
        .map_err(|e| anyhow!("migrations: {e}"))?;
    let world = seed::seed(
        &db,
        &seed::SeedOptions {
            cases: args.cases,
            claims: args.claimants,
            postgres: true,
        },
    )
    .await?;
    let pg_version = rows(&db, "SHOW server_version")
        .await?
        .first()
        .and_then(|r| r.try_get_by_index::<String>(0).ok())
        .unwrap_or_default();
    let storm_case = rows(
        &db,
        &format!(
            "SELECT case_id::text FROM hearings WHERE id = '{}'",
            world.storm_hearing
        ),
    )
    .await?
    .first()
    .and_then(|r| r.try_get_by_index::<String>(0).ok())
    .ok_or_else(|| anyhow!("the seeded hearing has no case"))?;
    db.close().await?;

    // Replicas and nginx.
    let mut replicas = stack::Replicas::new(
        bin.clone(),
        REPLICAS,
        found.pgbouncer.url(),
        Vec::new(),
        found.dir.path(),
    )?;
    let nginx_dir = found.dir.path().join("nginx");
    std::fs::create_dir_all(&nginx_dir)?;
    let nginx = stack::Nginx::start(&tools, &nginx_dir, &replicas.ports, found.root).await?;
    let base = nginx.base();
    replicas.env = [
        ("ACCORD_DIRECT_DATABASE_URL", direct.as_str()),
        ("ACCORD_SMTP_URL", &found.smtp.url()),
        ("ACCORD_REQUIRE_SECOND_FACTOR_FOR_STAFF", "false"),
        ("ACCORD_PUBLIC_URL", &base),
        ("ACCORD_DB_MAX_CONNECTIONS", "10"),
        ("ACCORD_REPORT_SUBMISSIONS_PER_HOUR", "1000000"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .collect();
    for i in 0..REPLICAS {
        let took = replicas.start(i).await?;
        eprintln!(
            "replica {i} on :{} ready in {} ms",
            replicas.ports[i],
            took.as_millis()
        );
    }
    eprintln!("nginx on {base}");

    // Everyone signs in once, through nginx.
    let mut emails: Vec<String> = world.coordinators.clone();
    emails.extend(world.diplomats.iter().cloned());
    emails.extend(world.storm_diplomats.iter().cloned());
    eprintln!("signing in {} users…", emails.len());
    let pid0 = replicas.running[0].as_ref().map_or(0, |s| s.pid);
    let (tokens, _) = load::login_all(&base, pid0, &emails, seed::PASSWORD, 4).await?;
    let user = |email: &String| -> Result<User> {
        Ok(User {
            email: email.clone(),
            token: tokens
                .get(email)
                .cloned()
                .ok_or_else(|| anyhow!("{email} did not sign in"))?,
        })
    };

    // The hearings claimed: the seeded one and more on the same case.
    let http = load::client()?;
    let url = format!("{base}/graphql");
    let owner = user(&world.storm_owner)?;
    let mut hearings = vec![load::global_id("Hearing", world.storm_hearing)];
    let case_gid = load::global_id("Case", storm_case.parse()?);
    for k in 1..args.hearings {
        let day = (chrono::Utc::now() + chrono::TimeDelta::days(60 + k as i64))
            .format("%Y-%m-%dT09:00:00")
            .to_string();
        let req = load::Req::new(
            Some(&owner.token),
            "mutation($c: ID!, $i: ScheduleHearingInput!) { scheduleHearing(caseId: $c, input: $i) { id } }",
            json!({ "c": case_gid, "i": {
                "court": format!("Regional Trial Court Branch {k}"), "city": "Manila",
                "localStart": day, "timezone": "Asia/Manila", "durationMinutes": 120,
                "observersNeeded": 3 } }),
        );
        let data = load::gql(&http, &url, &req).await?;
        hearings.push(
            data["scheduleHearing"]["id"]
                .as_str()
                .ok_or_else(|| anyhow!("scheduleHearing gave no id"))?
                .to_owned(),
        );
    }
    let hearings = Arc::new(hearings);

    // Readers see cases of every country (coordinators and diplomats).
    let mut viewer_users = Vec::new();
    for (c, d) in world.coordinators.iter().zip(&world.diplomats) {
        viewer_users.push(user(c)?);
        viewer_users.push(user(d)?);
    }
    let tokens_only: Vec<Arc<str>> = viewer_users.iter().map(|u| u.token.clone()).collect();
    let case_ids = load::visible_case_ids(&base, &tokens_only).await?;
    let viewers = Arc::new(viewer_users.into_iter().zip(case_ids).collect::<Vec<_>>());

    let countries: Arc<Vec<String>> =
        Arc::new(world.diplomats.iter().map(|e| country_of(e)).collect());
    let tally = Arc::new(Tally::new());
    let ctx = Arc::new(Ctx {
        url: url.clone(),
        ws_url: format!("{}/graphql/ws", base.replacen("http", "ws", 1)),
        tally: tally.clone(),
        stop: AtomicBool::new(false),
        think: Duration::from_millis(args.think_ms),
    });

    // Subscribers first, so they are connected when the faults begin.
    let subs_done = Arc::new(AtomicBool::new(false));
    let mut subs = Vec::new();
    for k in 0..args.subscribers {
        let who = user(&world.diplomats[k % world.diplomats.len()])?;
        let hearing = hearings[k % hearings.len()].clone();
        let seen = Arc::new(Mutex::new(work::Seen::default()));
        let task = tokio::spawn(work::subscriber(
            ctx.clone(),
            subs_done.clone(),
            who.clone(),
            hearing.clone(),
            seen.clone(),
        ));
        subs.push((who, hearing, seen, task));
    }

    let mut tasks = Vec::new();
    for _ in 0..args.readers {
        tasks.push(tokio::spawn(work::reader(ctx.clone(), viewers.clone())));
    }
    let claimant_users = world
        .storm_diplomats
        .iter()
        .map(user)
        .collect::<Result<Vec<_>>>()?;
    let per = claimant_users.len().div_ceil(args.claimers.max(1)).max(1);
    let mut claim_tasks = Vec::new();
    for chunk in claimant_users.chunks(per) {
        claim_tasks.push(tokio::spawn(work::claimer(
            ctx.clone(),
            chunk.to_vec(),
            hearings.clone(),
        )));
    }
    let reporters = world
        .diplomats
        .iter()
        .map(|e| Ok((user(e)?, country_of(e))))
        .collect::<Result<Vec<_>>>()?;
    let report_task = tokio::spawn(work::reporter(ctx.clone(), reporters, countries.clone()));
    let writers = world
        .coordinators
        .iter()
        .map(|e| Ok((user(e)?, country_of(e))))
        .collect::<Result<Vec<_>>>()?;
    tasks.push(tokio::spawn({
        let (c, countries) = (ctx.clone(), countries.clone());
        async move { work::statement_writer(c, writers, countries).await }
    }));
    tasks.push(tokio::spawn({
        let c = ctx.clone();
        let emails = emails.clone();
        async move { work::login(c, emails, seed::PASSWORD.to_owned()).await }
    }));

    // The faults, on a schedule.
    let duration = Duration::from_secs(args.duration_secs);
    let started = Instant::now();
    let at = |f: f64| started + duration.mul_f64(f);
    let mut timeline: Vec<String> = Vec::new();
    let mut note = |what: String| {
        let line = format!("{:6.1} s  {what}", started.elapsed().as_secs_f64());
        eprintln!("{line}");
        timeline.push(line);
    };
    let mut kills: Vec<Instant> = Vec::new();
    let faults = async {
        note(format!("load begins ({} s)", args.duration_secs));
        tokio::time::sleep_until(at(0.20).into()).await;
        note("SIGKILL replica 1".into());
        replicas.kill(1).await?;
        // Taken once it is dead (the kill waits for the exit): a message the
        // sink accepted up to that moment may not have been marked SENT.
        kills.push(Instant::now());
        tokio::time::sleep(Duration::from_secs(2)).await;
        let took = replicas.start(1).await?;
        note(format!(
            "replica 1 restarted, ready in {} ms",
            took.as_millis()
        ));

        tokio::time::sleep_until(at(0.45).into()).await;
        note("pg_ctl restart -m fast".into());
        let pg_started = Instant::now();
        let pg = &found.postgres;
        tokio::task::block_in_place(|| pg.restart())?;
        note(format!(
            "PostgreSQL back in {} ms",
            pg_started.elapsed().as_millis()
        ));

        tokio::time::sleep_until(at(0.65).into()).await;
        for i in 0..REPLICAS {
            note(format!("rolling restart: SIGTERM replica {i}"));
            if replicas.stop(i).await? {
                kills.push(Instant::now());
                note(format!("replica {i} did not stop on SIGTERM: SIGKILL"));
            }
            let took = replicas.start(i).await?;
            note(format!(
                "replica {i} ready again in {} ms",
                took.as_millis()
            ));
        }
        tokio::time::sleep_until(at(1.0).into()).await;
        note("load ends".into());
        anyhow::Ok(())
    };
    let fault_result = faults.await;
    ctx.stop.store(true, Ordering::Relaxed);
    if fault_result.is_err() {
        subs_done.store(true, Ordering::Relaxed);
    }
    let load_secs = started.elapsed().as_secs_f64();
    fault_result?;

    let mut beliefs: work::Beliefs = Vec::new();
    for t in claim_tasks {
        beliefs.extend(t.await??);
    }
    let acknowledged_reports = report_task.await??;
    for t in tasks {
        t.await??;
    }

    let mut checks: Vec<(String, Vec<String>)> = Vec::new();

    // Subscriptions: a claim made now reaches every subscriber.
    let probe_started = Instant::now();
    let mut probe_claims: HashMap<String, (String, String)> = HashMap::new();
    let mut probe_problems = Vec::new();
    let subscribed: HashSet<&String> = subs.iter().map(|(_, h, _, _)| h).collect();
    for (k, h) in hearings.iter().enumerate() {
        if !subscribed.contains(h) {
            continue;
        }
        let prober = user(&world.coordinators[(10 + k) % world.coordinators.len()])?;
        let id = work::claim_for_sure(&ctx, &http, &prober, h).await;
        match id {
            Some(id) => {
                probe_claims.insert(id, (prober.email.clone(), h.clone()));
            }
            None => probe_problems.push(format!("the closing claim on {h} was not answered")),
        }
    }
    let wanted: HashMap<&String, &String> =
        probe_claims.iter().map(|(id, (_, h))| (h, id)).collect();
    let deadline = Instant::now() + PROBE_PATIENCE;
    loop {
        let missing: Vec<String> = subs
            .iter()
            .filter(|(_, h, seen, _)| {
                let Some(id) = wanted.get(h) else { return false };
                let s = seen.lock().map(|s| {
                    s.events
                        .iter()
                        .any(|(t, ids)| *t >= probe_started && ids.contains(id))
                });
                !s.unwrap_or(false)
            })
            .map(|(u, h, seen, _)| {
                let (c, d) = seen.lock().map(|s| (s.connects, s.drops)).unwrap_or((0, 0));
                format!(
                    "{} on {h}: no event with the closing claim within {} s ({c} connections, {d} lost)",
                    u.email,
                    PROBE_PATIENCE.as_secs()
                )
            })
            .collect();
        if missing.is_empty() || Instant::now() > deadline {
            probe_problems.extend(missing);
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    subs_done.store(true, Ordering::Relaxed);
    let mut sub_lines = Vec::new();
    for (u, h, seen, task) in subs {
        task.await??;
        let s = seen.lock().map_err(|_| anyhow!("poisoned"))?;
        if s.drops == 0 {
            probe_problems.push(format!(
                "{} on {h}: never lost its connection, so never proved it resumes",
                u.email
            ));
        }
        sub_lines.push(format!(
            "{}: {} connections, {} lost, {} events",
            u.email,
            s.connects,
            s.drops,
            s.events.len()
        ));
    }
    checks.push((
        "subscriptions resume through nginx and hear a claim made after the faults".into(),
        probe_problems,
    ));

    // The database, directly.
    let db = accord_server::db::connect(&direct, 2, Duration::from_secs(30))
        .await
        .map_err(|e| anyhow!("connecting to {direct}: {e}"))?;

    // Outbox drained, then each message once.
    let drain_started = Instant::now();
    let pending = loop {
        let n = rows(&db, "SELECT count(*) FROM outbox WHERE status = 'PENDING'")
            .await?
            .first()
            .and_then(|r| r.try_get_by_index::<i64>(0).ok())
            .unwrap_or(0);
        if n == 0 || drain_started.elapsed() > DRAIN {
            break n;
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    };
    let drained_in = drain_started.elapsed();
    let mut mail_problems = Vec::new();
    if pending > 0 {
        mail_problems.push(format!(
            "{pending} messages still PENDING {} s after the load",
            DRAIN.as_secs()
        ));
    }
    let mut by_status = Vec::new();
    for r in rows(
        &db,
        "SELECT status, count(*) FROM outbox GROUP BY status ORDER BY status",
    )
    .await?
    {
        let s: String = r.try_get_by_index(0)?;
        let n: i64 = r.try_get_by_index(1)?;
        if s == "DEAD" {
            mail_problems.push(format!("{n} messages DEAD (the sink refuses nothing)"));
        }
        by_status.push(format!("{s} {n}"));
    }
    let sent: HashSet<String> = rows(&db, "SELECT id::text FROM outbox WHERE status = 'SENT'")
        .await?
        .iter()
        .filter_map(|r| r.try_get_by_index::<String>(0).ok())
        .collect();
    let mut received: HashMap<String, u32> = HashMap::new();
    let mut arrivals: HashMap<String, Vec<Instant>> = HashMap::new();
    for d in found.smtp.delivered() {
        let id = d
            .message_id
            .as_deref()
            .and_then(|m| m.split('@').next())
            .unwrap_or("(no Message-ID)")
            .to_owned();
        arrivals.entry(id.clone()).or_default().push(d.at);
        *received.entry(id).or_default() += 1;
    }
    let first_at: HashMap<&String, Instant> = arrivals
        .iter()
        .filter_map(|(id, at)| Some((id, *at.first()?)))
        .collect();
    // When each copy arrived, in seconds of the load, to set beside the
    // fault timeline.
    let arrived = |id: &String| {
        arrivals
            .get(id)
            .map(|at| {
                at.iter()
                    .map(|a| {
                        format!(
                            "{:.1} s",
                            a.saturating_duration_since(started).as_secs_f64()
                        )
                    })
                    .collect::<Vec<_>>()
                    .join(", ")
            })
            .unwrap_or_default()
    };
    // The outbox's one documented at-least-once boundary
    // (server/src/jobs/outbox.rs): a process killed between the SMTP
    // server's acceptance and the SENT update sends that message again, with
    // the same Message-ID, once its lease has run out. A second copy whose
    // first was accepted in the moment before a SIGKILL is that, and is
    // reported; any other second copy is a failure.
    let mut resent_after_kill = Vec::new();
    for id in &sent {
        match received.get(id).copied().unwrap_or(0) {
            1 => {}
            0 => mail_problems.push(format!("outbox {id} is SENT but the sink never got it")),
            2 if first_at.get(id).is_some_and(|first| {
                kills
                    .iter()
                    .any(|k| *first <= *k && k.duration_since(*first) < KILL_WINDOW)
            }) =>
            {
                resent_after_kill.push(id.clone());
            }
            n => mail_problems.push(format!(
                "outbox {id} was delivered {n} times (at {})",
                arrived(id)
            )),
        }
    }
    for (id, n) in &received {
        if !sent.contains(id) {
            mail_problems.push(format!(
                "the sink got {id} ({n}×), which the outbox does not record as SENT"
            ));
        }
    }
    let mail_summary = format!(
        "{} messages received by the sink; outbox: {}; drained {:.1} s after the load; sent twice, the first copy accepted just before a SIGKILL (the documented at-least-once boundary, same Message-ID): {}",
        received.values().sum::<u32>(),
        by_status.join(", "),
        drained_in.as_secs_f64(),
        if resent_after_kill.is_empty() {
            "none".to_owned()
        } else {
            resent_after_kill.join(", ")
        }
    );
    checks.push((
        "every email exactly once (but at the SIGKILL boundary, reported)".into(),
        mail_problems,
    ));

    // Roster exact.
    let mut roster_problems = Vec::new();
    let hearing_ids: Vec<String> = hearings
        .iter()
        .map(String::as_str)
        .filter_map(hearing_uuid)
        .collect();
    let in_list = hearing_ids
        .iter()
        .map(|h| format!("'{h}'"))
        .collect::<Vec<_>>()
        .join(",");
    let mut stored: HashMap<(String, String), u32> = HashMap::new();
    for r in rows(
        &db,
        &format!(
            "SELECT u.email, c.hearing_id::text FROM roster_claims c JOIN users u ON u.id = c.user_id WHERE c.hearing_id IN ({in_list})"
        ),
    )
    .await?
    {
        let key = (r.try_get_by_index::<String>(0)?, r.try_get_by_index::<String>(1)?);
        *stored.entry(key).or_default() += 1;
    }
    for ((email, h), n) in &stored {
        if *n > 1 {
            roster_problems.push(format!("{email} holds {n} claims on hearing {h}"));
        }
    }
    let mut believed: HashMap<(String, String), bool> = HashMap::new();
    for (email, gid, holds) in &beliefs {
        let h = hearing_uuid(gid).unwrap_or_default();
        believed.insert((email.clone(), h), *holds);
    }
    for (email, gid) in probe_claims.values() {
        believed.insert((email.clone(), hearing_uuid(gid).unwrap_or_default()), true);
    }
    let claimant_set: HashSet<&String> = world.storm_diplomats.iter().collect();
    for ((email, h), holds) in &believed {
        let there = stored.contains_key(&(email.clone(), h.clone()));
        if *holds && !there {
            roster_problems.push(format!("{email}'s acknowledged claim on {h} is gone"));
        }
        if !*holds && there {
            roster_problems.push(format!(
                "{email} released (or never got) a claim on {h}, yet it is there"
            ));
        }
    }
    for (email, h) in stored.keys() {
        if claimant_set.contains(email) && !believed.contains_key(&(email.clone(), h.clone())) {
            roster_problems.push(format!("{email} has a claim on {h} it never asked for"));
        }
    }
    let mut roster_lines = Vec::new();
    for r in rows(
        &db,
        &format!(
            "SELECT h.id::text, h.observers_needed, \
               count(*) FILTER (WHERE c.status = 'CONFIRMED'), \
               count(*) FILTER (WHERE c.status = 'WAITLISTED') \
             FROM hearings h LEFT JOIN roster_claims c ON c.hearing_id = h.id \
             WHERE h.id IN ({in_list}) GROUP BY h.id, h.observers_needed"
        ),
    )
    .await?
    {
        let h: String = r.try_get_by_index(0)?;
        let needed = i64::from(r.try_get_by_index::<i32>(1)?);
        let confirmed: i64 = r.try_get_by_index(2)?;
        let waiting: i64 = r.try_get_by_index(3)?;
        if confirmed > needed {
            roster_problems.push(format!(
                "hearing {h}: {confirmed} confirmed, {needed} needed"
            ));
        }
        if confirmed < needed && waiting > 0 {
            roster_problems.push(format!(
                "hearing {h}: {waiting} waiting while only {confirmed} of {needed} places are taken"
            ));
        }
        roster_lines.push(format!(
            "{h}: {confirmed}/{needed} confirmed, {waiting} waiting"
        ));
    }
    checks.push(("roster exact".into(), roster_problems));

    // Reports: one per submission key.
    let mut report_problems = Vec::new();
    let mut per_key: HashMap<String, i64> = HashMap::new();
    for r in rows(
        &db,
        "SELECT submission_key, count(*) FROM attack_reports WHERE submission_key IS NOT NULL GROUP BY submission_key",
    )
    .await?
    {
        per_key.insert(r.try_get_by_index(0)?, r.try_get_by_index(1)?);
    }
    for (k, n) in &per_key {
        if *n > 1 {
            report_problems.push(format!("submission {k} stored {n} times"));
        }
    }
    for k in &acknowledged_reports {
        if !per_key.contains_key(k) {
            report_problems.push(format!("acknowledged report {k} is missing"));
        }
    }
    checks.push((
        format!(
            "attack reports once each ({} acknowledged)",
            acknowledged_reports.len()
        ),
        report_problems,
    ));

    // Audit chain.
    let audit = match accord_server::audit::verify(&db).await {
        Ok(accord_server::audit::Verification::Intact { events }) => {
            (format!("audit chain intact ({events} events)"), Vec::new())
        }
        Ok(accord_server::audit::Verification::Broken { seq, reason }) => (
            "audit chain intact".to_owned(),
            vec![format!("broken at event {seq}: {reason}")],
        ),
        Err(e) => (
            "audit chain intact".to_owned(),
            vec![format!("could not verify: {e}")],
        ),
    };
    checks.push(audit);
    db.close().await?;

    let crashed = replicas.crashed();
    checks.push((
        "no replica died on its own".into(),
        crashed
            .iter()
            .map(|i| format!("replica {i} exited; log {}", replicas.log(*i).display()))
            .collect(),
    ));
    let (failed_answers, quoted) = tally.failures();
    checks.push((
        "every answer data, UNAVAILABLE or RATE_LIMITED".into(),
        if failed_answers == 0 {
            Vec::new()
        } else {
            let mut q = quoted;
            q.insert(0, format!("{failed_answers} failures, the first ones:"));
            q
        },
    ));

    // The report.
    println!("# accord-soak\n");
    println!(
        "Command: `accord-soak {}`\n",
        std::env::args().skip(1).collect::<Vec<_>>().join(" ")
    );
    println!(
        "PostgreSQL {pg_version} ← PgBouncer {} (transaction mode) ← {REPLICAS} × accord ← {nginx_version}; {} cases, {} claimants on {} hearings, {} readers, {} claimers, {} subscribers, think {} ms; {} CPUs.\n",
        tools.pgbouncer_version,
        args.cases,
        args.claimants,
        hearings.len(),
        args.readers,
        args.claimers,
        args.subscribers,
        args.think_ms,
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );
    println!(
        "Load {load_secs:.0} s. Timeline:\n\n```\n{}\n```\n",
        timeline.join("\n")
    );
    println!("{}", tally.markdown());
    println!("Email: {mail_summary}.\n");
    println!("Rosters: {}.\n", roster_lines.join("; "));
    println!("Subscribers: {}.\n", sub_lines.join("; "));
    let mut ok = true;
    for (name, problems) in &checks {
        if problems.is_empty() {
            println!("- PASS {name}");
        } else {
            ok = false;
            println!("- FAIL {name}");
            for p in problems.iter().take(20) {
                println!("    - {p}");
            }
            if problems.len() > 20 {
                println!("    - … {} more", problems.len() - 20);
            }
        }
    }
    if !ok {
        println!(
            "\nLogs: replicas {}, PostgreSQL and PgBouncer beside them{}",
            found.dir.path().display(),
            if args.keep {
                ""
            } else {
                " (removed; run with --keep to look)"
            }
        );
    }
    // Replicas first, then nginx, then the database and PgBouncer.
    drop(replicas);
    drop(nginx);
    drop(found);
    Ok(ok)
}
