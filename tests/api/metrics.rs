//! Metrics an operator can watch: scraped from their own listener after a
//! few real operations and read with a Prometheus text parser (the
//! `prometheus-parse` crate), checking the numbers an operator would alert
//! on and that no label ever carries a user, an email, an id or free text.
use std::collections::HashMap;

use accord_server::config::Config;
use accord_server::mail::transport::Mailer;
use prometheus_parse::{Sample, Scrape, Value as Metric};
use serde_json::json;

use crate::builders::{claimed, hearing_world};
use crate::helpers::*;
use crate::live::Ws;
use crate::on_both_backends_with;
use crate::smtp::SmtpServer;

/// Every label name the server may use, and the only values some may take.
const LABELS: [&str; 7] = [
    "operation",
    "code",
    "class",
    "kind",
    "outcome",
    "reason",
    "state",
];

struct Scraped(Vec<Sample>);

impl Scraped {
    async fn from(app: &TestApp) -> Scraped {
        let text = app.scrape().await;
        let scrape =
            Scrape::parse(text.lines().map(|l| Ok(l.to_owned()))).expect("Prometheus text format");
        assert!(!scrape.samples.is_empty(), "{text}");
        Scraped(scrape.samples)
    }

    /// The value of the one sample of `name` with exactly `labels` (0 when
    /// none: a counter not yet incremented is not exported).
    fn value(&self, name: &str, labels: &[(&str, &str)]) -> f64 {
        let wanted: HashMap<String, String> = labels
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        let found: Vec<&Sample> = self
            .0
            .iter()
            .filter(|s| s.metric == name && *s.labels == wanted)
            .collect();
        assert!(found.len() <= 1, "{name} {labels:?} twice");
        match found.first().map(|s| &s.value) {
            Some(Metric::Counter(v) | Metric::Gauge(v) | Metric::Untyped(v)) => *v,
            Some(other) => panic!("{name} is not a number: {other:?}"),
            None => 0.0,
        }
    }

    /// How many observations the histogram `name` holds for `operation`.
    fn observations(&self, name: &str, operation: &str) -> f64 {
        self.0
            .iter()
            .filter(|s| s.metric == name && s.labels.get("operation") == Some(operation))
            .find_map(|s| match &s.value {
                Metric::Histogram(buckets) => buckets.last().map(|b| b.count),
                _ => None,
            })
            .unwrap_or(0.0)
    }

    /// No label names a person, an object or anything typed by a client.
    fn assert_labels_are_safe(&self, secrets: &[&str]) {
        let uuid = regex::Regex::new("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-").expect("regex");
        for s in &self.0 {
            assert!(s.metric.starts_with("accord_"), "{}", s.metric);
            for (name, value) in s.labels.iter() {
                assert!(
                    LABELS.contains(&name.as_str()) || name == "le",
                    "label {name} on {}",
                    s.metric
                );
                assert!(
                    !value.contains('@') && !uuid.is_match(value),
                    "{}{{{name}={value:?}}}",
                    s.metric
                );
                assert!(value.len() <= 40, "{}{{{name}={value:?}}}", s.metric);
                for secret in secrets {
                    assert!(!value.contains(secret), "{secret} in {}", s.metric);
                }
            }
        }
    }
}

fn with_metrics(c: &mut Config) {
    c.metrics_bind = Some("127.0.0.1:0".parse().expect("addr"));
}

on_both_backends_with! {
    async fn an_operator_scrapes_what_happened(app: TestApp)
        with with_metrics;
    {
        // Metrics are not on the public listener.
        let public = app.http().get(app.url("/metrics")).send().await.expect("sent");
        assert_eq!(public.status().as_u16(), 404);

        let (_coord, _case, hearing) = hearing_world(&app, 1).await;
        let first = app.diplomat("CA").await;
        let second = app.diplomat("NL").await;
        assert_eq!(claimed(&first, &hearing).await["status"], "CONFIRMED");
        assert_eq!(claimed(&second, &hearing).await["status"], "WAITLISTED");
        app.login_raw(&second.email, "not the password").await.assert_code("UNAUTHENTICATED");
        // A made-up root field and operation name never become labels.
        app.gql(Some(&first.token), "query SecretOperationName { madeUpField }", json!({})).await.assert_code("BAD_USER_INPUT");
        first.q("query($h: ID!) { hearing(id: $h) { id } }", json!({ "h": "SGVhcmluZzpub3BlCg==" })).await;
        first.q("mutation($h: ID!) { releaseRosterSlot(hearingId: $h) { id } }", json!({ "h": hearing })).await.data();
        let mut ws = Ws::connect(&app, &first).await;
        ws.subscribe("1", &hearing).await;
        ws.next_hearing("1").await;

        let m = Scraped::from(&app).await;
        m.assert_labels_are_safe(&[&first.email, &second.email, &hearing, "SecretOperationName", "madeUpField", "Live Test Name", "Defender L"]);
        assert_eq!(m.value("accord_graphql_requests_total", &[("operation", "claimRosterSlot"), ("code", "OK")]), 2.0);
        assert_eq!(m.value("accord_graphql_requests_total", &[("operation", "releaseRosterSlot"), ("code", "OK")]), 1.0);
        assert_eq!(m.value("accord_graphql_requests_total", &[("operation", "login"), ("code", "UNAUTHENTICATED")]), 1.0);
        assert!(m.value("accord_graphql_requests_total", &[("operation", "login"), ("code", "OK")]) >= 3.0);
        assert_eq!(m.value("accord_graphql_requests_total", &[("operation", "-"), ("code", "BAD_USER_INPUT")]), 1.0);
        assert_eq!(m.observations("accord_graphql_request_duration_seconds", "claimRosterSlot"), 2.0);
        assert_eq!(m.value("accord_login_failures_total", &[]), 1.0);
        assert!(m.value("accord_http_responses_total", &[("class", "2xx")]) >= 8.0);
        assert_eq!(m.value("accord_database_up", &[]), 1.0);
        assert!(m.value("accord_db_pool_max_connections", &[]) >= 1.0);
        assert!(m.value("accord_db_pool_connections", &[("state", "idle")]) + m.value("accord_db_pool_connections", &[("state", "in_use")]) >= 1.0);
        assert_eq!(m.value("accord_websocket_connections", &[]), 1.0);
        assert_eq!(m.value("accord_subscriptions_open", &[]), 1.0);
        assert_eq!(m.value("accord_requests_waiting", &[]), 0.0);
        assert_eq!(m.value("accord_connections_unread", &[]), 0.0);
        // The promotion waits in the outbox: an operator sees its depth and age.
        assert_eq!(m.value("accord_outbox_pending", &[]), 1.0);
        app.advance_clock(chrono::Duration::minutes(10));
        let m = Scraped::from(&app).await;
        assert!(m.value("accord_outbox_oldest_pending_age_seconds", &[]) >= 600.0);
        let verified = accord_server::audit::verify(app.db()).await.expect("verify");
        let accord_server::audit::Verification::Intact { events } = verified else {
            panic!("audit chain broken: {verified:?}");
        };
        assert_eq!(m.value("accord_audit_chain_length", &[]), events as f64);

        // A round of the email worker: sent, and the outbox empty again.
        let smtp = SmtpServer::start().await;
        let mut config = (*app.state().config).clone();
        config.smtp_url = Some(smtp.url().into());
        let mailer = Mailer::from_config(&config).expect("mailer");
        assert_eq!(accord_server::jobs::run_once(app.state(), &mailer).await.expect("round"), 1);
        drop(ws);
        let m = Scraped::from(&app).await;
        assert_eq!(m.value("accord_emails_total", &[("kind", "PROMOTED"), ("outcome", "sent")]), 1.0);
        assert_eq!(m.value("accord_outbox_pending", &[]), 0.0);
        assert_eq!(m.value("accord_outbox_oldest_pending_age_seconds", &[]), 0.0);
    }

    async fn rate_limit_refusals_are_counted(app: TestApp)
        with |c: &mut Config| { with_metrics(c); c.rate_per_user_per_minute = 2; };
    {
        let a = app.diplomat("CA").await;
        for _ in 0..2 {
            a.q("{ me { user { id } } }", json!({})).await.data();
        }
        let refused = raw(&a, "{ me { user { id } } }", json!({})).await;
        assert_eq!(refused.status, 429);
        let m = Scraped::from(&app).await;
        assert_eq!(m.value("accord_rate_limited_total", &[("limit", "user")]), 1.0);
        assert_eq!(m.value("accord_http_responses_total", &[("class", "4xx")]), 1.0);
        assert_eq!(m.value("accord_graphql_requests_total", &[("operation", "me"), ("code", "OK")]), 2.0);
    }
}
