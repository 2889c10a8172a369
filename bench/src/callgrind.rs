//! Server CPU per request as an instruction count (`--callgrind N`).
//!
//! Wall-clock rates and even `/proc` CPU time move by a third between runs on
//! a shared machine; the instructions the server executes per request do not.
//! The users sign in once against the binary running natively (Argon2id under
//! valgrind would take minutes); the same binary is then restarted on the same
//! database, with the same secrets (the tokens stay valid), under
//! `valgrind --tool=callgrind`, and driven by one client, one request at a
//! time (the steadiest count), over a fixed list of requests per scenario.
//! Around each measured list `callgrind_control --dump` writes a profile and
//! zeroes the counters, so each scenario's dump holds exactly its requests
//! (plus whatever the server's own timers did meanwhile, a few hundred
//! thousand instructions a second) and is kept for `callgrind_annotate`.
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Context, Result, anyhow, bail};
use serde_json::{Value, json};
use tokio::sync::Barrier;

use crate::load::{self, CASE_BY_ID, CASES_PAGE, CLAIM, HEARINGS, Req};
use crate::seed::World;
use crate::server::{Secrets, Server};

/// The idle window's name and length (its "requests" are its seconds).
const IDLE: &str = "idle, per second";
const IDLE_SECS: u64 = 5;

/// One scenario's count.
pub struct Line {
    pub scenario: &'static str,
    pub requests: usize,
    pub instructions: u64,
    pub dump: PathBuf,
}

/// A running callgrind: dumps name files `callgrind.out.<pid>.<n>`, n from 1.
struct Control {
    pid: u32,
    dir: PathBuf,
    dumps: usize,
}

impl Control {
    /// Writes the counts since the last dump to a file and zeroes them;
    /// returns the file and its instruction total.
    async fn dump(&mut self, label: &str) -> Result<(PathBuf, u64)> {
        let out = tokio::process::Command::new("callgrind_control")
            .arg(format!("--dump={label}"))
            .arg(self.pid.to_string())
            .output()
            .await
            .context("running callgrind_control (valgrind installed?)")?;
        if !out.status.success() {
            bail!(
                "callgrind_control --dump failed: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        self.dumps += 1;
        let file = self
            .dir
            .join(format!("callgrind.out.{}.{}", self.pid, self.dumps));
        let text = tokio::fs::read_to_string(&file)
            .await
            .with_context(|| format!("reading {}", file.display()))?;
        let total = text
            .lines()
            .find_map(|l| {
                l.strip_prefix("totals:")
                    .or_else(|| l.strip_prefix("summary:"))
            })
            .and_then(|rest| rest.split_whitespace().next())
            .and_then(|n| n.parse().ok())
            .ok_or_else(|| anyhow!("no totals in {}", file.display()))?;
        Ok((file, total))
    }
}

/// Signs everyone in natively, then measures each scenario under callgrind:
/// `requests` requests each for the page, case by id and calendar (after one
/// unmeasured round over every viewer), and one storm of `world`'s diplomats.
pub async fn measure(
    bin: &Path,
    url: &str,
    work_dir: &Path,
    out_dir: &Path,
    extra_env: &[(String, String)],
    world: &World,
    requests: usize,
) -> Result<Vec<Line>> {
    let secrets = Secrets::random();
    let srv = Server::start(bin, url, &secrets, work_dir, extra_env).await?;
    let mut emails: Vec<String> = world.coordinators.clone();
    emails.extend(world.diplomats.iter().cloned());
    emails.extend(world.storm_diplomats.iter().cloned());
    eprintln!("signing in {} users natively…", emails.len());
    let signed = signed_in(&srv.base, srv.pid, &emails, world).await;
    srv.stop().await?;
    let (tokens, case_ids) = signed?;
    let token = |email: &String| -> Result<Arc<str>> {
        tokens
            .get(email)
            .cloned()
            .ok_or_else(|| anyhow!("{email} did not sign in"))
    };
    let viewers = viewers(world, &tokens)?;
    let storm: Vec<Arc<str>> = world
        .storm_diplomats
        .iter()
        .map(token)
        .collect::<Result<_>>()?;

    std::fs::create_dir_all(out_dir)?;
    let wrapper = [
        "valgrind".to_owned(),
        "--tool=callgrind".to_owned(),
        format!(
            "--callgrind-out-file={}/callgrind.out.%p",
            out_dir.display()
        ),
        // Threads take turns in order: the steadiest count for a server.
        "--fair-sched=yes".to_owned(),
    ];
    // Ten to a hundred times slower under valgrind: the time bounds are
    // lifted (they change no work done per request; unknown to older trees,
    // which ignore them).
    let mut env: Vec<(String, String)> = [
        ("ACCORD_REQUEST_TIMEOUT_SECS", "900"),
        ("ACCORD_DB_ACQUIRE_TIMEOUT_MS", "600000"),
        ("ACCORD_READINESS_TIMEOUT_MS", "600000"),
    ]
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .into();
    env.extend(extra_env.iter().cloned());
    eprintln!("starting the server under callgrind…");
    let srv = Server::start_wrapped(&wrapper, bin, url, &secrets, work_dir, &env).await?;
    let mut control = Control {
        pid: srv.pid,
        dir: out_dir.to_owned(),
        dumps: 0,
    };
    let outcome = scenarios(
        &srv.base,
        &mut control,
        &viewers,
        &case_ids,
        storm,
        world,
        requests,
    )
    .await;
    srv.stop().await?;
    outcome
}

type Tokens = HashMap<String, Arc<str>>;

/// Tokens for `emails`, and the case ids each viewer sees, from the binary
/// running natively.
async fn signed_in(
    base: &str,
    pid: u32,
    emails: &[String],
    world: &World,
) -> Result<(Tokens, Vec<Vec<String>>)> {
    let (tokens, _) = load::login_all(base, pid, emails, crate::seed::PASSWORD, 2).await?;
    let case_ids = load::visible_case_ids(base, &viewers(world, &tokens)?).await?;
    Ok((tokens, case_ids))
}

/// Each country's coordinator (owns cases) and diplomat, interleaved.
fn viewers(world: &World, tokens: &Tokens) -> Result<Vec<Arc<str>>> {
    let token = |email: &String| -> Result<Arc<str>> {
        tokens
            .get(email)
            .cloned()
            .ok_or_else(|| anyhow!("{email} did not sign in"))
    };
    let mut viewers = Vec::new();
    for (c, d) in world.coordinators.iter().zip(&world.diplomats) {
        viewers.push(token(c)?);
        viewers.push(token(d)?);
    }
    Ok(viewers)
}

async fn scenarios(
    base: &str,
    control: &mut Control,
    viewers: &[Arc<str>],
    case_ids: &[Vec<String>],
    storm: Vec<Arc<str>>,
    world: &World,
    requests: usize,
) -> Result<Vec<Line>> {
    let page = |query: &'static str| -> Vec<Req> {
        viewers
            .iter()
            .map(|t| Req::new(Some(t), query, json!({ "n": 50 })))
            .collect()
    };
    let mut by_id = Vec::new();
    for round in 0..50 {
        for (t, ids) in viewers.iter().zip(case_ids) {
            if let Some(id) = ids.get(round % ids.len().max(1)) {
                by_id.push(Req::new(Some(t), CASE_BY_ID, json!({ "id": id })));
            }
        }
    }
    // The server's own timers, counted in every scenario: one idle window.
    control.dump("before idle").await?;
    tokio::time::sleep(std::time::Duration::from_secs(IDLE_SECS)).await;
    let (dump, instructions) = control.dump("idle").await?;
    let mut lines = vec![Line {
        scenario: IDLE,
        requests: usize::try_from(IDLE_SECS)?,
        instructions,
        dump,
    }];
    for (scenario, reqs) in [
        (crate::report::CASES, page(CASES_PAGE)),
        (crate::report::CASE, by_id),
        (crate::report::HEARINGS, page(HEARINGS)),
    ] {
        if reqs.is_empty() {
            bail!("{scenario}: no request to send");
        }
        eprintln!("{scenario}: {requests} requests under callgrind…");
        // An unmeasured round over the requests to be measured: every
        // statement prepared, every cache as warm as under load.
        sequential(base, reqs.iter().cycle().take(requests)).await?;
        control.dump(&format!("before {scenario}")).await?;
        sequential(base, reqs.iter().cycle().take(requests)).await?;
        let (dump, instructions) = control.dump(scenario).await?;
        lines.push(Line {
            scenario,
            requests,
            instructions,
            dump,
        });
    }
    eprintln!(
        "claim storm: {} claims at once under callgrind…",
        storm.len()
    );
    let claims = storm.len();
    claim_storm(base, control, world, storm).await?;
    let (dump, instructions) = control.dump("claim storm").await?;
    lines.push(Line {
        scenario: "claim storm",
        requests: claims,
        instructions,
        dump,
    });
    Ok(lines)
}

/// Sends `reqs` one after the other on one connection; any error stops it.
async fn sequential(base: &str, reqs: impl Iterator<Item = &Req>) -> Result<()> {
    let url = format!("{base}/graphql");
    let client = load::client()?;
    for req in reqs {
        load::gql(&client, &url, req).await?;
    }
    Ok(())
}

/// Every storm diplomat claims the storm hearing at once, each on a connection
/// opened beforehand; the counters are zeroed once all are open. Exactly
/// `observersNeeded` answers must be CONFIRMED.
async fn claim_storm(
    base: &str,
    control: &mut Control,
    world: &World,
    tokens: Vec<Arc<str>>,
) -> Result<()> {
    let url = format!("{base}/graphql");
    let hearing = load::global_id("Hearing", world.storm_hearing);
    let go = Arc::new(Barrier::new(tokens.len() + 1));
    let mut tasks = tokio::task::JoinSet::new();
    for token in tokens {
        let client = load::client()?;
        client
            .get(format!("{base}/healthz"))
            .send()
            .await?
            .error_for_status()?;
        let (go, url) = (go.clone(), url.clone());
        let req = Req::new(Some(&token), CLAIM, json!({ "h": hearing }));
        tasks.spawn(async move {
            go.wait().await;
            load::gql(&client, &url, &req).await
        });
    }
    control.dump("before claim storm").await?;
    go.wait().await;
    let mut confirmed = 0;
    while let Some(joined) = tasks.join_next().await {
        let data: Value = joined??;
        if data["claimRosterSlot"]["status"] == "CONFIRMED" {
            confirmed += 1;
        }
    }
    let needed = usize::try_from(world.storm_observers_needed)?;
    if confirmed != needed {
        bail!("the storm confirmed {confirmed} claims, {needed} needed");
    }
    Ok(())
}

/// The table: instructions per request, per scenario.
pub fn markdown(backend: &str, cases: usize, lines: &[Line]) -> String {
    let mut out = format!(
        "## {backend}, {cases} cases: server instructions per request (callgrind)\n\n\
         | scenario | requests | instructions per request | profile |\n|---|---:|---:|---|\n"
    );
    for l in lines {
        let per = l.instructions / u64::try_from(l.requests.max(1)).unwrap_or(1);
        out.push_str(&format!(
            "| {} | {} | {} | `{}` |\n",
            l.scenario,
            l.requests,
            thousands(per),
            l.dump.display()
        ));
    }
    out
}

fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}
