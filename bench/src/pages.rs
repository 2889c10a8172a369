//! `--pages`: the web client's two busiest pages against the GraphQL
//! queries that read the same data, on the same world and the same running
//! binary: the hearing page (`GET /hearings/{id}`) against `hearing(id:)`,
//! and *my roster* (`GET /roster`) against `myRoster`, each selecting what
//! the page shows. Closed-loop load at each connection count, then the SQL
//! statements each one costs, counted in-process. The target (README,
//! "Web client"): a page serves at least 80 % of its query's requests/s.
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, Result, anyhow, bail};
use serde_json::json;

use crate::load::{self, CLAIM, LOGIN, Req};
use crate::statements::{self, Probe};
use crate::{Args, seed, server};

/// What the hearing page shows, as one GraphQL query: the header (`me`: the
/// name, "Diplomat, CA mission" from role and country, the own time zone
/// beside the court's, and the user's id, with which the page marks the
/// viewer's own claim and observation), the hearing's facts (the court's
/// local start with its offset, the instant for the viewer's own time), the
/// case's reference and host country, the roster (place, country, who where
/// the policy names them), and every observation with its earlier versions.
/// Not the ids of claims or observations, nor the case's pseudonym: the page
/// shows none of them. The page shows every earlier version (at most 20);
/// the API's complexity limit (2000, costed for 50 observations) lets one
/// query ask for the last 2. The bench's hearing has no observation yet, so
/// both read the same rows.
pub const HEARING_AS_PAGE: &str = concat!(
    "query($h: ID!) { ",
    "me { user { id displayName role } mission { timezone } country } ",
    "hearing(id: $h) { id court city startsAt timezone localStart utcOffset durationMinutes ",
    "status observersNeeded confirmedCount coverage claimDeadline ",
    "case { id reference hostCountry } ",
    "claims { status position country suspendedReason user { id displayName } } ",
    "observations { country observer { id displayName } attended outcome publicAccess ",
    "defendantPresent accessToCounsel interpretation illTreatmentAlleged notes submittedAt amendedAt ",
    "history(last: 2) { revision attended outcome publicAccess defendantPresent accessToCounsel ",
    "interpretation illTreatmentAlleged notes submittedAt amendedAt } } } }"
);

/// What *my roster* shows, as one GraphQL query: the header, then each claim's
/// place and its hearing's link, court, city and start. (The page also says
/// whether the viewer has a calendar feed, which the API does not expose.)
pub const ROSTER_AS_PAGE: &str = concat!(
    "{ me { user { displayName role } mission { timezone } country } ",
    "myRoster { status position suspendedReason ",
    "hearing { id court city startsAt timezone localStart utcOffset } } }"
);

const VISIBLE_HEARINGS: &str =
    "query { hearings(first: 50) { edges { node { id status observersNeeded confirmedCount } } } }";

/// Signs in on the sign-in page as a browser would; the cookie `name=value`.
async fn page_session(base: &str, email: &str) -> Result<Arc<str>> {
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()?;
    let res = client
        .post(format!("{base}/sign-in"))
        .header("sec-fetch-site", "same-origin")
        .form(&[
            ("email", email),
            ("password", seed::PASSWORD),
            ("next", "/"),
        ])
        .send()
        .await?;
    if res.status().as_u16() != 303 {
        bail!("page sign-in of {email}: HTTP {}", res.status());
    }
    let cookie = res
        .headers()
        .get(reqwest::header::SET_COOKIE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .ok_or_else(|| anyhow!("page sign-in of {email}: no cookie"))?;
    Ok(Arc::from(cookie))
}

/// A diplomat's token, cookie, and a hearing of theirs they hold a place on
/// (or are waitlisted for), so that both pages show a roster.
struct Viewer {
    token: Arc<str>,
    cookie: Arc<str>,
    hearing: String,
}

async fn viewer(base: &str, email: &str) -> Result<Viewer> {
    let client = load::client()?;
    let url = format!("{base}/graphql");
    let login = load::gql(
        &client,
        &url,
        &Req::new(None, LOGIN, json!({ "e": email, "p": seed::PASSWORD })),
    )
    .await?;
    let token: Arc<str> = Arc::from(
        login["login"]["accessToken"]
            .as_str()
            .ok_or_else(|| anyhow!("no access token"))?,
    );
    let cookie = page_session(base, email).await?;
    let hearings = load::gql(
        &client,
        &url,
        &Req::new(Some(&token), VISIBLE_HEARINGS, json!({})),
    )
    .await?;
    let ids: Vec<String> = hearings["hearings"]["edges"]
        .as_array()
        .map(|edges| {
            edges
                .iter()
                .filter(|e| e["node"]["status"] == "SCHEDULED")
                .filter_map(|e| e["node"]["id"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    for id in &ids {
        let claim = Req::new(Some(&token), CLAIM, json!({ "h": id }));
        if load::gql(&client, &url, &claim).await.is_ok() {
            return Ok(Viewer {
                token,
                cookie,
                hearing: id.clone(),
            });
        }
    }
    bail!(
        "{email} could claim none of the {} hearings they see",
        ids.len()
    )
}

/// One line of the table.
struct Line {
    name: &'static str,
    connections: usize,
    page: load::Measured,
    query: load::Measured,
}

/// Runs the comparison; its Markdown.
pub async fn measure(
    args: &Args,
    bin: &std::path::Path,
    url: &str,
    work_dir: &std::path::Path,
    world: &seed::World,
) -> Result<String> {
    let secrets = server::Secrets::random();
    let srv = server::Server::start(bin, url, &secrets, work_dir, &args.server_env).await?;
    let email = world
        .diplomats
        .first()
        .ok_or_else(|| anyhow!("the world has no diplomat"))?;
    let who = viewer(&srv.base, email)
        .await
        .context("preparing the viewer")?;
    let pairs = [
        (
            "hearing page",
            Req::page(&format!("/hearings/{}", who.hearing), &who.cookie),
            Req::new(
                Some(&who.token),
                HEARING_AS_PAGE,
                json!({ "h": who.hearing }),
            ),
        ),
        (
            "my roster",
            Req::page("/roster", &who.cookie),
            Req::new(Some(&who.token), ROSTER_AS_PAGE, json!({})),
        ),
    ];
    let warmup = Duration::from_secs(2);
    let duration = Duration::from_secs(args.duration_secs);
    let mut lines = Vec::new();
    for &connections in &args.connections {
        for (name, page, query) in &pairs {
            eprintln!("{name}: {connections} connections…");
            let page = load::closed_loop(
                &srv.base,
                srv.pid,
                Arc::new(vec![page.clone()]),
                connections,
                warmup,
                duration,
            )
            .await?;
            let query = load::closed_loop(
                &srv.base,
                srv.pid,
                Arc::new(vec![query.clone()]),
                connections,
                warmup,
                duration,
            )
            .await?;
            for m in [&page, &query] {
                if m.errors > 0 {
                    bail!("{name}: {} errors, first: {:?}", m.errors, m.first_error);
                }
            }
            lines.push(Line {
                name,
                connections,
                page,
                query,
            });
        }
    }
    srv.stop().await?;

    let probes: Vec<Probe> = pairs
        .iter()
        .flat_map(|(name, page, query)| {
            [
                Probe {
                    name: format!("{name} (page)"),
                    req: page.clone(),
                },
                Probe {
                    name: format!("{name} (GraphQL)"),
                    req: query.clone(),
                },
            ]
        })
        .collect();
    let (u, s) = (url.to_owned(), secrets.clone());
    let counts =
        tokio::task::spawn_blocking(move || statements::count_blocking(u, s, probes, Vec::new()))
            .await??;
    Ok(markdown(&lines, &counts))
}

fn markdown(lines: &[Line], counts: &[statements::Count]) -> String {
    let mut out = String::from(
        "| scenario | connections | page req/s | GraphQL req/s | page / GraphQL | page p50 / p99 ms | GraphQL p50 / p99 ms |\n|---|---:|---:|---:|---:|---:|---:|\n",
    );
    for l in lines {
        out.push_str(&format!(
            "| {} | {} | {:.0} | {:.0} | {:.0} % | {:.1} / {:.1} | {:.1} / {:.1} |\n",
            l.name,
            l.connections,
            l.page.requests_per_sec,
            l.query.requests_per_sec,
            100.0 * l.page.requests_per_sec / l.query.requests_per_sec.max(f64::MIN_POSITIVE),
            l.page.latency.p50_ms,
            l.page.latency.p99_ms,
            l.query.latency.p50_ms,
            l.query.latency.p99_ms,
        ));
    }
    out.push_str("\n| request | SQL statements |\n|---|---:|\n");
    for c in counts {
        let n = if c.min == c.max {
            c.min.to_string()
        } else {
            format!("{}–{}", c.min, c.max)
        };
        out.push_str(&format!("| {} | {n} |\n", c.name));
    }
    out
}
