//! The HTTP client side: logins, closed-loop load over pre-built requests,
//! latency percentiles, peak server RSS per scenario, and the claim storm.
use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, anyhow, bail};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use reqwest::header::CONTENT_TYPE;
use serde_json::{Value, json};
use tokio::sync::Barrier;
use uuid::Uuid;

use crate::server::Memory;

pub const CASES_PAGE: &str = "query($n: Int) { cases(first: $n) { totalCount edges { node { reference riskLevel status shares { country level } } } } }";
pub const CASE_BY_ID: &str =
    "query($id: ID!) { case(id: $id) { id reference visibility pseudonym } }";
pub const HEARINGS: &str = "query($n: Int) { hearings(first: $n) { totalCount edges { node { id startsAt confirmedCount } } } }";
pub const CLAIM: &str = "mutation($h: ID!) { claimRosterSlot(hearingId: $h) { status position } }";
pub const LOGIN: &str =
    "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken } }";
const CASE_IDS: &str = "query { cases(first: 50) { edges { node { id } } } }";
pub const ROSTER: &str = "query($h: ID!) { hearing(id: $h) { confirmedCount observersNeeded claims { status position } } }";

/// `base64url_nopad("Kind:uuid")`, as the server's ids.
pub fn global_id(kind: &str, id: Uuid) -> String {
    URL_SAFE_NO_PAD.encode(format!("{kind}:{id}"))
}

/// One connection per client: a worker owns one and reuses it (keep-alive).
pub fn client() -> Result<reqwest::Client> {
    Ok(reqwest::Client::builder()
        // Loopback only: never through a proxy from the environment.
        .no_proxy()
        .pool_max_idle_per_host(1)
        .timeout(Duration::from_secs(120))
        .build()?)
}

/// A GraphQL request body ready to send, with the bearer token to send it
/// with; or a web page to GET with its session cookie.
#[derive(Clone)]
pub struct Req {
    pub token: Option<Arc<str>>,
    pub body: String,
    /// A page's path (`/roster`) and the session cookie (`name=value`).
    pub page: Option<(String, Arc<str>)>,
}

impl Req {
    pub fn new(token: Option<&Arc<str>>, query: &str, variables: Value) -> Req {
        Req {
            token: token.cloned(),
            body: json!({ "query": query, "variables": variables }).to_string(),
            page: None,
        }
    }

    /// `GET path` of the web client, signed in by `cookie`.
    pub fn page(path: &str, cookie: &Arc<str>) -> Req {
        Req {
            token: None,
            body: String::new(),
            page: Some((path.to_owned(), cookie.clone())),
        }
    }

    /// Whether an answer is a success: a page's 200, or a GraphQL 200
    /// without errors.
    pub fn succeeded(&self, status: u16, body: &str) -> bool {
        status == 200 && (self.page.is_some() || !body.contains("\"errors\""))
    }
}

/// Sends one request to `url` (`…/graphql`; a page goes to its path on the
/// same server); `Err` for transport failures, otherwise the status and body.
pub async fn send(client: &reqwest::Client, url: &str, req: &Req) -> Result<(u16, String)> {
    if let Some((path, cookie)) = &req.page {
        let base = url.trim_end_matches("/graphql");
        let res = client
            .get(format!("{base}{path}"))
            .header(reqwest::header::COOKIE, cookie.as_ref())
            .send()
            .await?;
        let status = res.status().as_u16();
        return Ok((status, res.text().await?));
    }
    let mut r = client
        .post(url)
        .header(CONTENT_TYPE, "application/json")
        .body(req.body.clone());
    if let Some(t) = &req.token {
        r = r.bearer_auth(t);
    }
    let res = r.send().await?;
    let status = res.status().as_u16();
    let text = res.text().await?;
    Ok((status, text))
}

/// `data`, or the first error.
pub async fn gql(client: &reqwest::Client, url: &str, req: &Req) -> Result<Value> {
    let (status, text) = send(client, url, req).await?;
    let body: Value =
        serde_json::from_str(&text).with_context(|| format!("HTTP {status}, not JSON: {text}"))?;
    if let Some(errors) = body.get("errors").and_then(Value::as_array)
        && !errors.is_empty()
    {
        bail!("HTTP {status}: {}", Value::Array(errors.clone()));
    }
    Ok(body["data"].clone())
}

/// Latency percentiles over sorted microseconds.
#[derive(Clone, Copy, Debug, Default)]
pub struct Latency {
    pub p50_ms: f64,
    pub p99_ms: f64,
    pub max_ms: f64,
}

impl Latency {
    pub fn of(mut us: Vec<u64>) -> Latency {
        if us.is_empty() {
            return Latency::default();
        }
        us.sort_unstable();
        let at = |q: f64| {
            let i = ((us.len() as f64 * q).ceil() as usize).clamp(1, us.len()) - 1;
            us[i] as f64 / 1000.0
        };
        Latency {
            p50_ms: at(0.50),
            p99_ms: at(0.99),
            max_ms: at(1.0),
        }
    }
}

/// Samples the server's VmRSS until stopped; returns the peak seen.
pub struct RssSampler {
    stop: Arc<AtomicBool>,
    peak: Arc<AtomicU64>,
    task: tokio::task::JoinHandle<()>,
}

impl RssSampler {
    pub fn start(pid: u32) -> RssSampler {
        let stop = Arc::new(AtomicBool::new(false));
        let peak = Arc::new(AtomicU64::new(0));
        let (s, p) = (stop.clone(), peak.clone());
        let task = tokio::spawn(async move {
            while !s.load(Ordering::Relaxed) {
                if let Some(m) = Memory::of(pid) {
                    p.fetch_max(m.rss_kib, Ordering::Relaxed);
                }
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        });
        RssSampler { stop, peak, task }
    }

    /// Peak VmRSS in KiB.
    pub async fn finish(self, pid: u32) -> u64 {
        self.stop.store(true, Ordering::Relaxed);
        let _ = self.task.await;
        if let Some(m) = Memory::of(pid) {
            self.peak.fetch_max(m.rss_kib, Ordering::Relaxed);
        }
        self.peak.load(Ordering::Relaxed)
    }
}

/// What a closed-loop run measured.
pub struct Measured {
    pub connections: usize,
    pub requests: u64,
    pub requests_per_sec: f64,
    pub latency: Latency,
    pub errors: u64,
    pub first_error: Option<String>,
    pub peak_rss_kib: u64,
    /// The server's CPU time in the window over the requests answered in it:
    /// steadier than requests/s where client and server share the CPUs.
    pub server_cpu_per_request: Option<Duration>,
}

/// CPU time `pid` spent between two readings, per request answered.
pub fn cpu_per_request(
    from: Option<Duration>,
    to: Option<Duration>,
    requests: u64,
) -> Option<Duration> {
    let spent = to?.checked_sub(from?)?;
    u32::try_from(requests)
        .ok()
        .filter(|n| *n > 0)
        .map(|n| spent / n)
}

/// `connections` workers, each on its own keep-alive connection, each sending
/// its next request as soon as the previous answer is in, for `warmup`
/// (not counted) and then `duration`. Requests are taken round-robin from
/// `reqs`, each worker starting at a different offset.
pub async fn closed_loop(
    base: &str,
    pid: u32,
    reqs: Arc<Vec<Req>>,
    connections: usize,
    warmup: Duration,
    duration: Duration,
) -> Result<Measured> {
    if reqs.is_empty() {
        bail!("no requests to send");
    }
    let url = format!("{base}/graphql");
    let start = Instant::now();
    let measure_from = start + warmup;
    let deadline = measure_from + duration;
    let mut workers = tokio::task::JoinSet::new();
    for w in 0..connections {
        let client = client()?;
        let url = url.clone();
        let reqs = reqs.clone();
        workers.spawn(async move {
            let mut latencies = Vec::with_capacity(4096);
            let mut errors = 0u64;
            let mut first_error = None;
            let mut i = w * reqs.len() / connections;
            loop {
                let sent = Instant::now();
                if sent >= deadline {
                    break;
                }
                let req = &reqs[i % reqs.len()];
                i += 1;
                let outcome = send(&client, &url, req).await;
                let done = Instant::now();
                if sent < measure_from || done > deadline {
                    continue;
                }
                latencies.push(u64::try_from((done - sent).as_micros()).unwrap_or(u64::MAX));
                let failed = match &outcome {
                    Ok((status, body)) if req.succeeded(*status, body) => None,
                    Ok((status, body)) => Some(format!("HTTP {status}: {body}")),
                    Err(e) => Some(format!("transport: {e}")),
                };
                if let Some(why) = failed {
                    errors += 1;
                    first_error.get_or_insert(why);
                }
            }
            (latencies, errors, first_error)
        });
    }
    // RSS is sampled over the measured window only.
    tokio::time::sleep_until(measure_from.into()).await;
    let sampler = RssSampler::start(pid);
    let cpu_from = crate::server::cpu_time(pid);
    tokio::time::sleep_until(deadline.into()).await;
    let cpu_to = crate::server::cpu_time(pid);
    let mut all = Vec::new();
    let mut errors = 0;
    let mut first_error = None;
    while let Some(joined) = workers.join_next().await {
        let (lat, err, first) = joined?;
        all.extend(lat);
        errors += err;
        if first_error.is_none() {
            first_error = first;
        }
    }
    let peak_rss_kib = sampler.finish(pid).await;
    let requests = all.len() as u64;
    Ok(Measured {
        connections,
        requests,
        requests_per_sec: requests as f64 / duration.as_secs_f64(),
        latency: Latency::of(all),
        errors,
        first_error,
        peak_rss_kib,
        server_cpu_per_request: cpu_per_request(cpu_from, cpu_to, requests),
    })
}

/// Signs every `email` in (the production argon2 cost makes this the slow
/// part of start-up), `concurrency` at a time; returns the tokens and the
/// login latencies as a measurement.
pub async fn login_all(
    base: &str,
    pid: u32,
    emails: &[String],
    password: &str,
    concurrency: usize,
) -> Result<(HashMap<String, Arc<str>>, Measured)> {
    let url = format!("{base}/graphql");
    let queue = Arc::new(tokio::sync::Mutex::new(emails.to_vec()));
    let sampler = RssSampler::start(pid);
    let cpu_from = crate::server::cpu_time(pid);
    let started = Instant::now();
    let mut workers = tokio::task::JoinSet::new();
    for _ in 0..concurrency.max(1) {
        let queue = queue.clone();
        let url = url.clone();
        let password = password.to_owned();
        let client = client()?;
        workers.spawn(async move {
            let mut tokens = Vec::new();
            let mut latencies = Vec::new();
            loop {
                let Some(email) = queue.lock().await.pop() else {
                    break;
                };
                let req = Req::new(None, LOGIN, json!({ "e": email, "p": password }));
                let t = Instant::now();
                let data = gql(&client, &url, &req)
                    .await
                    .with_context(|| format!("login of {email}"))?;
                latencies.push(u64::try_from(t.elapsed().as_micros()).unwrap_or(u64::MAX));
                let token = data["login"]["accessToken"]
                    .as_str()
                    .ok_or_else(|| anyhow!("login of {email}: no accessToken"))?;
                tokens.push((email, Arc::<str>::from(token)));
            }
            anyhow::Ok((tokens, latencies))
        });
    }
    let mut tokens = HashMap::new();
    let mut all = Vec::new();
    while let Some(joined) = workers.join_next().await {
        let (t, l) = joined??;
        tokens.extend(t);
        all.extend(l);
    }
    let elapsed = started.elapsed();
    let cpu_to = crate::server::cpu_time(pid);
    let peak_rss_kib = sampler.finish(pid).await;
    let requests = all.len() as u64;
    Ok((
        tokens,
        Measured {
            connections: concurrency,
            requests,
            requests_per_sec: requests as f64 / elapsed.as_secs_f64(),
            latency: Latency::of(all),
            errors: 0,
            first_error: None,
            peak_rss_kib,
            server_cpu_per_request: cpu_per_request(cpu_from, cpu_to, requests),
        },
    ))
}

/// Ids of the cases each viewer sees (the first page), as global ids.
pub async fn visible_case_ids(base: &str, tokens: &[Arc<str>]) -> Result<Vec<Vec<String>>> {
    let url = format!("{base}/graphql");
    let client = client()?;
    let mut out = Vec::with_capacity(tokens.len());
    for token in tokens {
        let data = gql(&client, &url, &Req::new(Some(token), CASE_IDS, json!({}))).await?;
        let ids = data["cases"]["edges"]
            .as_array()
            .map(|edges| {
                edges
                    .iter()
                    .filter_map(|e| e["node"]["id"].as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default();
        out.push(ids);
    }
    Ok(out)
}

/// What the claim storm did.
pub struct Storm {
    pub claims: usize,
    pub settle: Duration,
    pub latency: Latency,
    pub peak_rss_kib: u64,
    pub server_cpu_per_claim: Option<Duration>,
    pub confirmed: usize,
    pub waitlisted: usize,
    pub errors: usize,
    pub first_error: Option<String>,
    /// Every check that failed; empty when the roster is right.
    pub problems: Vec<String>,
}

/// Every diplomat claims the same hearing at once: each on its own connection
/// (opened and warmed beforehand), all released by one barrier. Checks the
/// answers and the roster read back by the owner country's coordinator.
pub async fn claim_storm(
    base: &str,
    pid: u32,
    hearing: Uuid,
    observers_needed: i32,
    tokens: Vec<Arc<str>>,
    owner_token: Arc<str>,
) -> Result<Storm> {
    let url = format!("{base}/graphql");
    let hearing_id = global_id("Hearing", hearing);
    let n = tokens.len();
    let barrier = Arc::new(Barrier::new(n + 1));
    let mut tasks = tokio::task::JoinSet::new();
    for token in tokens {
        let client = client()?;
        // Open the connection now, so the storm measures claims, not handshakes.
        client
            .get(format!("{base}/healthz"))
            .send()
            .await?
            .error_for_status()?;
        let barrier = barrier.clone();
        let url = url.clone();
        let req = Req::new(Some(&token), CLAIM, json!({ "h": hearing_id }));
        tasks.spawn(async move {
            barrier.wait().await;
            let sent = Instant::now();
            let outcome = send(&client, &url, &req).await;
            (sent, Instant::now(), outcome)
        });
    }
    let sampler = RssSampler::start(pid);
    let cpu_from = crate::server::cpu_time(pid);
    barrier.wait().await;
    let released = Instant::now();
    let mut latencies = Vec::with_capacity(n);
    let mut last = released;
    let mut confirmed = 0;
    let mut positions = Vec::new();
    let mut errors = 0;
    let mut first_error = None;
    while let Some(joined) = tasks.join_next().await {
        let (sent, done, outcome) = joined?;
        latencies.push(u64::try_from((done - sent).as_micros()).unwrap_or(u64::MAX));
        last = last.max(done);
        let parsed = outcome.and_then(|(status, text)| {
            let body: Value = serde_json::from_str(&text)?;
            let claim = &body["data"]["claimRosterSlot"];
            match (claim["status"].as_str(), claim["position"].as_i64()) {
                (Some("CONFIRMED"), _) => Ok(None),
                (Some("WAITLISTED"), Some(p)) => Ok(Some(p)),
                _ => Err(anyhow!("HTTP {status}: {text}")),
            }
        });
        match parsed {
            Ok(None) => confirmed += 1,
            Ok(Some(p)) => positions.push(p),
            Err(e) => {
                errors += 1;
                first_error.get_or_insert(e.to_string());
            }
        }
    }
    let settle = last - released;
    let cpu_to = crate::server::cpu_time(pid);
    let peak_rss_kib = sampler.finish(pid).await;

    let mut problems = Vec::new();
    let needed = usize::try_from(observers_needed)?;
    if errors > 0 {
        problems.push(format!("{errors} claims failed"));
    }
    if confirmed != needed.min(n) {
        problems.push(format!(
            "{confirmed} claims answered CONFIRMED, observersNeeded is {needed}"
        ));
    }
    let waitlisted = positions.len();
    positions.sort_unstable();
    let expected: Vec<i64> = (1..=i64::try_from(waitlisted)?).collect();
    if positions != expected {
        problems.push("waitlist positions answered are not 1..n without gaps".into());
    }
    // The roster as stored, read back through the API by the owner country.
    let client = client()?;
    let data = gql(
        &client,
        &url,
        &Req::new(Some(&owner_token), ROSTER, json!({ "h": hearing_id })),
    )
    .await?;
    let h = &data["hearing"];
    let stored_confirmed = h["confirmedCount"].as_i64().unwrap_or(-1);
    if stored_confirmed != i64::try_from(needed.min(n))? {
        problems.push(format!(
            "confirmedCount read back is {stored_confirmed}, expected {}",
            needed.min(n)
        ));
    }
    let claims = h["claims"].as_array().cloned().unwrap_or_default();
    let mut stored_positions: Vec<i64> = claims
        .iter()
        .filter(|c| c["status"] == "WAITLISTED")
        .filter_map(|c| c["position"].as_i64())
        .collect();
    let stored_confirmed_rows = claims.iter().filter(|c| c["status"] == "CONFIRMED").count();
    if stored_confirmed_rows != needed.min(n) {
        problems.push(format!(
            "{stored_confirmed_rows} CONFIRMED claims in the roster read back"
        ));
    }
    stored_positions.sort_unstable();
    let expected_stored: Vec<i64> = (1..=i64::try_from(n.saturating_sub(needed))?).collect();
    if stored_positions != expected_stored {
        problems.push(format!(
            "roster read back: waitlist positions are not 1..{} without gaps ({} waitlisted)",
            n.saturating_sub(needed),
            stored_positions.len()
        ));
    }
    Ok(Storm {
        claims: n,
        settle,
        latency: Latency::of(latencies),
        peak_rss_kib,
        server_cpu_per_claim: cpu_per_request(cpu_from, cpu_to, n as u64),
        confirmed,
        waitlisted,
        errors,
        first_error,
        problems,
    })
}
