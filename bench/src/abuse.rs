//! The reproductions of issue 21's two worst holes, run against the real
//! binary while another user asks `me` in a loop: what the attacks get back
//! (codes, bytes, time) and how long the bystander waits. A figure, not a
//! test: README "Performance" quotes it.
use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Result, anyhow, bail};
use serde_json::{Value, json};

use crate::load::{Latency, Req, RssSampler, client, gql, send};

const CREATE: &str = "mutation($b: String!) { createStatement(input: { title: \"Bench\", kind: DEMARCHE, hostCountry: \"PH\", body: $b }) { id } }";
const REVISE: &str = "mutation($id: ID!, $v: Int!, $b: String!) { reviseStatement(id: $id, baseVersion: $v, body: $b) { currentVersion { number } } }";
const ME: &str = "query { me { user { id } } }";

/// What one kind of attack request got back.
#[derive(Default)]
pub struct Attack {
    pub requests: usize,
    /// First error code of each answer (`ok` without error, `HTTP <status>`
    /// for a non-JSON answer), with how often.
    pub answers: BTreeMap<String, usize>,
    pub latency: Latency,
    pub largest_answer_bytes: usize,
}

pub struct Outcome {
    pub diff: Attack,
    pub versions: Attack,
    pub versions_written: i64,
    pub bystander: Latency,
    pub bystander_requests: usize,
    pub peak_rss_kib: u64,
}

impl Outcome {
    pub fn markdown(&self, backend: &str) -> String {
        let mut out = format!(
            "Abuse reproductions ({backend}; {} revisions written; the bystander's `me`: {} requests, p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms; peak RSS {:.1} MB)\n\n\
             | attack | requests | answers | p50 ms | max ms | largest answer bytes |\n|---|---:|---|---:|---:|---:|\n",
            self.versions_written,
            self.bystander_requests,
            self.bystander.p50_ms,
            self.bystander.p99_ms,
            self.bystander.max_ms,
            self.peak_rss_kib as f64 / 1024.0,
        );
        for (name, a) in [
            ("12 aliased diffs of 25,000 lines, 2 at once", &self.diff),
            ("285 aliases of `versions { body }`", &self.versions),
        ] {
            let answers: Vec<String> = a.answers.iter().map(|(k, n)| format!("{k} ×{n}")).collect();
            out.push_str(&format!(
                "| {name} | {} | {} | {:.1} | {:.1} | {} |\n",
                a.requests,
                answers.join(", "),
                a.latency.p50_ms,
                a.latency.max_ms,
                a.largest_answer_bytes
            ));
        }
        out
    }
}

/// Runs both attacks for `duration` each while `bystander` asks `me`.
pub async fn run(
    base: &str,
    pid: u32,
    coordinator: Arc<str>,
    bystander: Arc<str>,
    duration: Duration,
) -> Result<Outcome> {
    let url = format!("{base}/graphql");
    let setup = client()?;
    let lines = |c: &str| c.repeat(25_000);
    let created = gql(
        &setup,
        &url,
        &Req::new(Some(&coordinator), CREATE, json!({ "b": lines("a\n") })),
    )
    .await?;
    let id = created["createStatement"]["id"]
        .as_str()
        .ok_or_else(|| anyhow!("createStatement gave no id: {created}"))?
        .to_owned();
    gql(
        &setup,
        &url,
        &Req::new(
            Some(&coordinator),
            REVISE,
            json!({ "id": id, "v": 1, "b": lines("b\n") }),
        ),
    )
    .await?;
    // As the tester did: 59 revisions of 50,000 characters (the cap may stop
    // them earlier; what was written is reported).
    let mut written = 2;
    for v in 2..=60 {
        let body = format!("{v:05}").repeat(10_000);
        let req = Req::new(
            Some(&coordinator),
            REVISE,
            json!({ "id": id, "v": v, "b": body }),
        );
        match gql(&setup, &url, &req).await {
            Ok(_) => written = v + 1,
            Err(_) => break,
        }
    }

    let diff_query = {
        let fields: Vec<String> = (0..12)
            .map(|i| format!("d{i}: diff(from: 1, to: 2)"))
            .collect();
        format!(
            "query($id: ID!) {{ statement(id: $id) {{ {} }} }}",
            fields.join(" ")
        )
    };
    let versions_query = {
        let fields: Vec<String> = (0..285)
            .map(|i| format!("s{i}: statement(id: $id) {{ versions {{ body }} }}"))
            .collect();
        format!("query($id: ID!) {{ {} }}", fields.join(" "))
    };
    let diff_req = Req::new(Some(&coordinator), &diff_query, json!({ "id": id }));
    let versions_req = Req::new(Some(&coordinator), &versions_query, json!({ "id": id }));

    let rss = RssSampler::start(pid);
    let watch = tokio::spawn(watch_me(url.clone(), bystander, duration * 2));
    let diff = attack(&url, diff_req, 2, duration).await?;
    let versions = attack(&url, versions_req, 1, duration).await?;
    let (bystander, bystander_requests) = watch.await??;
    let peak_rss_kib = rss.finish(pid).await;
    Ok(Outcome {
        diff,
        versions,
        versions_written: written,
        bystander,
        bystander_requests,
        peak_rss_kib,
    })
}

/// `parallel` clients sending `req` back to back for `duration`.
async fn attack(url: &str, req: Req, parallel: usize, duration: Duration) -> Result<Attack> {
    let deadline = Instant::now() + duration;
    let mut workers = tokio::task::JoinSet::new();
    for _ in 0..parallel {
        let (url, req, http) = (url.to_owned(), req.clone(), client()?);
        workers.spawn(async move {
            let mut seen = Vec::new();
            while Instant::now() < deadline {
                let started = Instant::now();
                let (status, body) = send(&http, &url, &req).await?;
                seen.push((
                    status,
                    body.len(),
                    first_code(status, &body),
                    started.elapsed(),
                ));
            }
            anyhow::Ok(seen)
        });
    }
    let mut out = Attack::default();
    let mut times = Vec::new();
    while let Some(done) = workers.join_next().await {
        for (_, bytes, code, took) in done?? {
            out.requests += 1;
            *out.answers.entry(code).or_default() += 1;
            out.largest_answer_bytes = out.largest_answer_bytes.max(bytes);
            times.push(took.as_micros() as u64);
        }
    }
    if out.requests == 0 {
        bail!("no attack request completed");
    }
    out.latency = Latency::of(times);
    Ok(out)
}

fn first_code(status: u16, body: &str) -> String {
    match serde_json::from_str::<Value>(body) {
        Ok(v) => v["errors"][0]["extensions"]["code"]
            .as_str()
            .map_or_else(|| "ok".to_owned(), str::to_owned),
        Err(_) => format!("HTTP {status}"),
    }
}

/// Another user's `me`, one at a time, for `duration`.
async fn watch_me(url: String, token: Arc<str>, duration: Duration) -> Result<(Latency, usize)> {
    let http = client()?;
    let req = Req::new(Some(&token), ME, json!({}));
    let deadline = Instant::now() + duration;
    let mut times = Vec::new();
    while Instant::now() < deadline {
        let started = Instant::now();
        let (status, _) = send(&http, &url, &req).await?;
        if status != 200 {
            bail!("the bystander's me answered {status}");
        }
        times.push(started.elapsed().as_micros() as u64);
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let n = times.len();
    Ok((Latency::of(times), n))
}
