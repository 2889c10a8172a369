//! The mixed load, all through nginx: readers, claimers (who keep their
//! own roster, re-reading it after any refused answer instead of guessing),
//! attack-report submitters (one `submissionKey` per report, resent until
//! answered), statement writers, logins, and rosterChanged subscribers who
//! reconnect whenever their connection drops.
use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::Result;
use futures_util::{SinkExt, StreamExt};
use rand::Rng;
use rand::seq::SliceRandom;
use reqwest::header::CONTENT_TYPE;
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::http::{HeaderValue, header};

use super::tally::{Outcome, Tally, classify, snippet};
use crate::load::{CASE_BY_ID, CASES_PAGE, HEARINGS, LOGIN};

pub const RELEASE: &str = "mutation($h: ID!) { releaseRosterSlot(hearingId: $h) { id } }";
pub const CLAIM_ID: &str = "mutation($h: ID!) { claimRosterSlot(hearingId: $h) { id status } }";
pub const MY_ROSTER: &str = "query { myRoster { id status hearing { id } } }";
const REPORT: &str =
    "mutation($i: SubmitAttackReportInput!) { submitAttackReport(input: $i) { id } }";
const CREATE_STATEMENT: &str = "mutation($i: CreateStatementInput!) { createStatement(input: $i) { id currentVersion { number } } }";
const REVISE_STATEMENT: &str = "mutation($id: ID!, $v: Int!, $b: String!) { reviseStatement(id: $id, baseVersion: $v, body: $b) { currentVersion { number } } }";
const STATEMENT_VERSION: &str =
    "query($id: ID!) { statement(id: $id) { currentVersion { number } } }";
const SUBSCRIPTION: &str = "subscription($h: ID!) { rosterChanged(hearingId: $h) { id confirmedCount claims { id status } } }";

/// A statement is revised this many times, then its writer starts another
/// (a statement takes at most 100 versions).
const VERSIONS_PER_STATEMENT: i64 = 30;
/// How long a client keeps re-reading after a refused answer before the
/// drill calls it a failure.
const REREAD_PATIENCE: Duration = Duration::from_secs(120);

/// Shared by every worker.
pub struct Ctx {
    pub url: String,
    pub ws_url: String,
    pub tally: Arc<Tally>,
    pub stop: AtomicBool,
    /// Pause between two requests of one worker.
    pub think: Duration,
}

impl Ctx {
    fn stopping(&self) -> bool {
        self.stop.load(Ordering::Relaxed)
    }

    async fn pause(&self) {
        let jitter = rand::thread_rng().gen_range(0..=self.think.as_millis() as u64 / 2);
        tokio::time::sleep(self.think + Duration::from_millis(jitter)).await;
    }

    /// One GraphQL request through nginx, recorded under `kind`.
    pub async fn call(
        &self,
        client: &reqwest::Client,
        kind: &'static str,
        token: Option<&str>,
        query: &str,
        variables: Value,
    ) -> Outcome {
        let started = Instant::now();
        let mut r = client
            .post(&self.url)
            .header(CONTENT_TYPE, "application/json")
            .body(json!({ "query": query, "variables": variables }).to_string());
        if let Some(t) = token {
            r = r.bearer_auth(t);
        }
        let outcome = match r.send().await {
            Err(e) => Outcome::Bad(format!("transport: {e}")),
            Ok(res) => {
                let status = res.status().as_u16();
                match res.text().await {
                    Ok(body) => classify(status, &body),
                    Err(e) => Outcome::Bad(format!("HTTP {status}, body cut: {e}")),
                }
            }
        };
        self.tally.record(kind, started.elapsed(), &outcome);
        outcome
    }

    /// Retries (pausing) while the answer is refused, up to the re-read
    /// patience; `None` after a bad answer or when patience runs out (both
    /// recorded as failures).
    async fn until_data(
        &self,
        client: &reqwest::Client,
        kind: &'static str,
        token: &str,
        query: &str,
        variables: Value,
    ) -> Option<Value> {
        let started = Instant::now();
        loop {
            match self
                .call(client, kind, Some(token), query, variables.clone())
                .await
            {
                Outcome::Data(d) => return Some(d),
                Outcome::Bad(_) => return None,
                Outcome::Refused(code) => {
                    if started.elapsed() > REREAD_PATIENCE {
                        self.tally.fail(format!(
                            "{kind}: still {code} after {} s",
                            REREAD_PATIENCE.as_secs()
                        ));
                        return None;
                    }
                    tokio::time::sleep(Duration::from_millis(250)).await;
                }
            }
        }
    }
}

pub fn client() -> Result<reqwest::Client> {
    crate::load::client()
}

/// A signed-in user.
#[derive(Clone)]
pub struct User {
    pub email: String,
    pub token: Arc<str>,
}

/// Reads: the visible-cases page, a case by id, the hearings calendar.
pub async fn reader(ctx: Arc<Ctx>, viewers: Arc<Vec<(User, Vec<String>)>>) -> Result<()> {
    let client = client()?;
    while !ctx.stopping() {
        let (kind, token, query, vars) = {
            let mut rng = rand::thread_rng();
            let (user, cases) = &viewers[rng.gen_range(0..viewers.len())];
            match rng.gen_range(0..3) {
                0 => (
                    "read: cases page",
                    user.token.clone(),
                    CASES_PAGE,
                    json!({ "n": 50 }),
                ),
                1 if !cases.is_empty() => (
                    "read: case by id",
                    user.token.clone(),
                    CASE_BY_ID,
                    json!({ "id": cases[rng.gen_range(0..cases.len())] }),
                ),
                _ => (
                    "read: hearings",
                    user.token.clone(),
                    HEARINGS,
                    json!({ "n": 50 }),
                ),
            }
        };
        ctx.call(&client, kind, Some(&token), query, vars).await;
        ctx.pause().await;
    }
    Ok(())
}

/// What a claimer believes at the end: (email, hearing id, holds a claim).
pub type Beliefs = Vec<(String, String, bool)>;

/// Claims and releases by `users` on `hearings`: each user's claim on a
/// hearing is released when held, taken when not. The worker knows what it
/// holds only from answers it got: after a refused answer (the request may
/// or may not have happened) it re-reads the user's roster.
pub async fn claimer(
    ctx: Arc<Ctx>,
    users: Vec<User>,
    hearings: Arc<Vec<String>>,
) -> Result<Beliefs> {
    let client = client()?;
    let mut held: HashMap<(usize, usize), bool> = HashMap::new();
    while !ctx.stopping() && !users.is_empty() {
        let (u, h) = {
            let mut rng = rand::thread_rng();
            (
                rng.gen_range(0..users.len()),
                rng.gen_range(0..hearings.len()),
            )
        };
        let user = &users[u];
        let holds = held.get(&(u, h)).copied().unwrap_or(false);
        let (kind, query) = if holds {
            ("roster: release", RELEASE)
        } else {
            ("roster: claim", CLAIM_ID)
        };
        match ctx
            .call(
                &client,
                kind,
                Some(&user.token),
                query,
                json!({ "h": hearings[h] }),
            )
            .await
        {
            Outcome::Data(_) => {
                held.insert((u, h), !holds);
            }
            // Refused, or a failure (already recorded): whether it
            // happened is unknown, so it is read back, never guessed.
            Outcome::Refused(_) | Outcome::Bad(_) => {
                reread(&ctx, &client, user, u, &hearings, &mut held).await;
            }
        }
        ctx.pause().await;
    }
    let mut out = Vec::new();
    for ((u, h), holds) in held {
        out.push((users[u].email.clone(), hearings[h].clone(), holds));
    }
    Ok(out)
}

/// A claim by `user` on `hearing` that is there at the end, and its id: after
/// a refused answer the roster is re-read (the claim may have been taken),
/// and the claim made again only when it is not there. `None` when the
/// server never answered within the re-read patience (recorded).
pub async fn claim_for_sure(
    ctx: &Ctx,
    client: &reqwest::Client,
    user: &User,
    hearing: &str,
) -> Option<String> {
    let started = Instant::now();
    while started.elapsed() < REREAD_PATIENCE {
        if let Outcome::Data(d) = ctx
            .call(
                client,
                "roster: claim",
                Some(&user.token),
                CLAIM_ID,
                json!({ "h": hearing }),
            )
            .await
        {
            return d["claimRosterSlot"]["id"].as_str().map(str::to_owned);
        }
        let data = ctx
            .until_data(client, "roster: re-read", &user.token, MY_ROSTER, json!({}))
            .await?;
        let mine = data["myRoster"].as_array().and_then(|claims| {
            claims
                .iter()
                .find(|c| c["hearing"]["id"].as_str() == Some(hearing))
                .and_then(|c| c["id"].as_str().map(str::to_owned))
        });
        if mine.is_some() {
            return mine;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    ctx.tally.fail(format!(
        "{}: no claim on {hearing} within {} s",
        user.email,
        REREAD_PATIENCE.as_secs()
    ));
    None
}

/// The user's roster as the server has it now, replacing what the worker
/// believed about them.
async fn reread(
    ctx: &Ctx,
    client: &reqwest::Client,
    user: &User,
    u: usize,
    hearings: &[String],
    held: &mut HashMap<(usize, usize), bool>,
) {
    let Some(data) = ctx
        .until_data(client, "roster: re-read", &user.token, MY_ROSTER, json!({}))
        .await
    else {
        ctx.tally
            .fail(format!("{}: roster could not be re-read", user.email));
        return;
    };
    let mine: HashSet<&str> = data["myRoster"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|c| c["hearing"]["id"].as_str())
                .collect()
        })
        .unwrap_or_default();
    for (h, id) in hearings.iter().enumerate() {
        held.insert((u, h), mine.contains(id.as_str()));
    }
}

/// Attack reports, each with its own `submissionKey`, resent with the same
/// key until answered. Returns the keys the server acknowledged.
pub async fn reporter(
    ctx: Arc<Ctx>,
    users: Vec<(User, String)>,
    countries: Arc<Vec<String>>,
) -> Result<Vec<String>> {
    let client = client()?;
    let mut acknowledged = Vec::new();
    let mut n = 0u64;
    while !ctx.stopping() && !users.is_empty() {
        n += 1;
        let (user, own, recipients) = {
            let mut rng = rand::thread_rng();
            let (user, own) = &users[rng.gen_range(0..users.len())];
            let recipients: Vec<String> = countries
                .choose_multiple(&mut rng, 3)
                .filter(|c| *c != own)
                .take(2)
                .cloned()
                .collect();
            (user.clone(), own.clone(), recipients)
        };
        let key = uuid::Uuid::new_v4().to_string();
        let day = (chrono::Utc::now() - chrono::TimeDelta::days(2))
            .format("%Y-%m-%d")
            .to_string();
        let input = json!({
            "hostCountry": "PH",
            "incidentDate": day,
            "attackTypes": ["THREAT"],
            "perpetratorTypes": ["UNKNOWN"],
            "description": format!("Soak report {n} from {own}: threats against a defender."),
            "recipientCountries": recipients,
            "victimConsent": true,
            "submissionKey": key,
        });
        if ctx
            .until_data(
                &client,
                "report: submit",
                &user.token,
                REPORT,
                json!({ "i": input }),
            )
            .await
            .is_some()
        {
            acknowledged.push(key);
        }
        ctx.pause().await;
    }
    Ok(acknowledged)
}

/// Statements: a coordinator opens one (inviting two countries), then
/// revises it; after a refused revision it re-reads the current version.
pub async fn statement_writer(
    ctx: Arc<Ctx>,
    users: Vec<(User, String)>,
    countries: Arc<Vec<String>>,
) -> Result<()> {
    let client = client()?;
    let mut open: HashMap<usize, (String, i64)> = HashMap::new();
    while !ctx.stopping() && !users.is_empty() {
        let u = rand::thread_rng().gen_range(0..users.len());
        let (user, own) = &users[u];
        match open.get(&u).cloned() {
            Some((id, version)) if version < VERSIONS_PER_STATEMENT => {
                let body = format!("Version {} of the joint demarche.", version + 1);
                match ctx
                    .call(
                        &client,
                        "statement: revise",
                        Some(&user.token),
                        REVISE_STATEMENT,
                        json!({ "id": id, "v": version, "b": body }),
                    )
                    .await
                {
                    Outcome::Data(d) => {
                        let v = d["reviseStatement"]["currentVersion"]["number"]
                            .as_i64()
                            .unwrap_or(version + 1);
                        open.insert(u, (id, v));
                    }
                    _ => {
                        match ctx
                            .until_data(
                                &client,
                                "statement: re-read",
                                &user.token,
                                STATEMENT_VERSION,
                                json!({ "id": id }),
                            )
                            .await
                        {
                            Some(d) => {
                                let v = d["statement"]["currentVersion"]["number"]
                                    .as_i64()
                                    .unwrap_or(version);
                                open.insert(u, (id, v));
                            }
                            None => {
                                open.remove(&u);
                            }
                        }
                    }
                }
            }
            _ => {
                let invited: Vec<String> = {
                    let mut rng = rand::thread_rng();
                    countries
                        .choose_multiple(&mut rng, 3)
                        .filter(|c| *c != own)
                        .take(2)
                        .cloned()
                        .collect()
                };
                let input = json!({
                    "title": format!("Soak demarche by {own}"),
                    "kind": "DEMARCHE",
                    "hostCountry": "PH",
                    "body": "Version 1 of the joint demarche.",
                    "invitedCountries": invited,
                });
                // A refused create is simply not retried: an extra
                // statement is no harm, and none is expected.
                if let Outcome::Data(d) = ctx
                    .call(
                        &client,
                        "statement: create",
                        Some(&user.token),
                        CREATE_STATEMENT,
                        json!({ "i": input }),
                    )
                    .await
                    && let Some(id) = d["createStatement"]["id"].as_str()
                {
                    let v = d["createStatement"]["currentVersion"]["number"]
                        .as_i64()
                        .unwrap_or(1);
                    open.insert(u, (id.to_owned(), v));
                }
            }
        }
        ctx.pause().await;
    }
    Ok(())
}

/// Logins with the real password (production argon2id).
pub async fn login(ctx: Arc<Ctx>, emails: Vec<String>, password: String) -> Result<()> {
    let client = client()?;
    while !ctx.stopping() && !emails.is_empty() {
        let email = emails[rand::thread_rng().gen_range(0..emails.len())].clone();
        ctx.call(
            &client,
            "login",
            None,
            LOGIN,
            json!({ "e": email, "p": password }),
        )
        .await;
        tokio::time::sleep(ctx.think * 10).await;
    }
    Ok(())
}

/// What one subscriber saw.
#[derive(Default)]
pub struct Seen {
    /// Each `next`: when, and the claim ids it listed.
    pub events: Vec<(Instant, Vec<String>)>,
    /// Connections acknowledged (the first included).
    pub connects: u32,
    /// Connections lost after an acknowledgement.
    pub drops: u32,
}

/// A rosterChanged subscriber on `hearing`, through nginx, until `done`.
pub async fn subscriber(
    ctx: Arc<Ctx>,
    done: Arc<AtomicBool>,
    user: User,
    hearing: String,
    seen: Arc<Mutex<Seen>>,
) -> Result<()> {
    while !done.load(Ordering::Relaxed) {
        let started = Instant::now();
        match subscribe_once(&ctx, &done, &user, &hearing, &seen, started).await {
            Ok(()) => {}
            Err(why) => {
                ctx.tally
                    .record("subscribe (through nginx)", started.elapsed(), &why);
            }
        }
        if !done.load(Ordering::Relaxed) {
            tokio::time::sleep(Duration::from_millis(250)).await;
        }
    }
    Ok(())
}

/// One connection's life. `Ok` when it ended (dropped, or done); `Err` with
/// the outcome to record when it could not be had.
async fn subscribe_once(
    ctx: &Ctx,
    done: &AtomicBool,
    user: &User,
    hearing: &str,
    seen: &Mutex<Seen>,
    started: Instant,
) -> std::result::Result<(), Outcome> {
    let mut request = ctx
        .ws_url
        .as_str()
        .into_client_request()
        .map_err(|e| Outcome::Bad(format!("ws request: {e}")))?;
    request.headers_mut().insert(
        header::SEC_WEBSOCKET_PROTOCOL,
        HeaderValue::from_static("graphql-transport-ws"),
    );
    let (mut ws, _) = match tokio_tungstenite::connect_async(request).await {
        Ok(ok) => ok,
        Err(tokio_tungstenite::tungstenite::Error::Http(res)) => {
            let status = res.status().as_u16();
            let body = res
                .body()
                .as_ref()
                .map(|b| String::from_utf8_lossy(b).into_owned())
                .unwrap_or_default();
            return Err(classify(status, &body));
        }
        Err(e) => return Err(Outcome::Bad(format!("ws connect: {e}"))),
    };
    let send = |v: Value| Message::text(v.to_string());
    ws.send(send(json!({ "type": "connection_init",
        "payload": { "Authorization": format!("Bearer {}", user.token) } })))
        .await
        .map_err(|_| Outcome::Refused("UNAVAILABLE"))?;
    let mut acked = false;
    let mut first = true;
    let poll = Duration::from_millis(500);
    loop {
        if done.load(Ordering::Relaxed) {
            let _ = ws.close(None).await;
            return Ok(());
        }
        let frame = match tokio::time::timeout(poll, ws.next()).await {
            Err(_) => {
                if !acked && started.elapsed() > Duration::from_secs(15) {
                    return Err(Outcome::Bad("no connection_ack within 15 s".into()));
                }
                continue;
            }
            Ok(f) => f,
        };
        let text = match frame {
            Some(Ok(Message::Text(t))) => t.to_string(),
            Some(Ok(Message::Close(_))) | Some(Err(_)) | None => {
                if acked {
                    if let Ok(mut s) = seen.lock() {
                        s.drops += 1;
                    }
                    return Ok(());
                }
                // Lost before it was acknowledged: the replica went away.
                return Err(Outcome::Refused("UNAVAILABLE"));
            }
            Some(Ok(_)) => continue,
        };
        let msg: Value = serde_json::from_str(&text)
            .map_err(|_| Outcome::Bad(format!("ws message not JSON: {}", snippet(&text))))?;
        match msg["type"].as_str() {
            Some("ping") => {
                let _ = ws.send(send(json!({ "type": "pong" }))).await;
            }
            Some("connection_ack") => {
                acked = true;
                if let Ok(mut s) = seen.lock() {
                    s.connects += 1;
                }
                ws.send(send(json!({ "type": "subscribe", "id": "1",
                    "payload": { "query": SUBSCRIPTION, "variables": { "h": hearing } } })))
                    .await
                    .map_err(|_| Outcome::Refused("UNAVAILABLE"))?;
            }
            Some("next") => {
                let payload = &msg["payload"];
                if payload.get("errors").is_some() {
                    let outcome = classify(200, &payload.to_string());
                    ctx.tally
                        .record("subscribe (through nginx)", started.elapsed(), &outcome);
                    let _ = ws.close(None).await;
                    return Ok(());
                }
                let ids: Vec<String> = payload["data"]["rosterChanged"]["claims"]
                    .as_array()
                    .map(|a| {
                        a.iter()
                            .filter_map(|c| c["id"].as_str().map(str::to_owned))
                            .collect()
                    })
                    .unwrap_or_default();
                if first {
                    first = false;
                    ctx.tally.record(
                        "subscribe (through nginx)",
                        started.elapsed(),
                        &Outcome::Data(Value::Null),
                    );
                }
                if let Ok(mut s) = seen.lock() {
                    s.events.push((Instant::now(), ids));
                }
            }
            Some("error") => {
                let outcome = classify(200, &json!({ "errors": msg["payload"] }).to_string());
                ctx.tally
                    .record("subscribe (through nginx)", started.elapsed(), &outcome);
                let _ = ws.close(None).await;
                return Ok(());
            }
            Some("complete") => {
                ctx.tally.fail(format!(
                    "{}: the server completed the subscription to {hearing}",
                    user.email
                ));
                let _ = ws.close(None).await;
                return Ok(());
            }
            _ => {}
        }
    }
}
