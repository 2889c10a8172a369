//! Operational metrics in the Prometheus text format, served on their own
//! listener (`ACCORD_METRICS_BIND`, never the public one).
//!
//! Every label value comes from a fixed set: a root field of the schema, an
//! error code, a notice kind, a drop reason, a status class. None ever
//! carries a user, an email, a case, an id or text a client typed (a root
//! field name is taken only when the schema has it). The recorder belongs to
//! the `AppState`, not the process: two servers in one process (tests,
//! replicas) count apart.
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::Duration;

use metrics::{Key, Label, Level, Metadata, Recorder, SharedString, Unit};
use metrics_exporter_prometheus::{
    Matcher, PrometheusBuilder, PrometheusHandle, PrometheusRecorder,
};
use sea_orm::{
    ColumnTrait, DatabaseConnection, DbBackend, EntityTrait, PaginatorTrait, QueryFilter,
    QuerySelect,
};

const META: Metadata<'static> = Metadata::new("accord", Level::INFO, Some(module_path!()));

/// Request latency buckets, in seconds: 5 ms … 30 s (the request timeout).
const LATENCY_BUCKETS: [f64; 12] = [
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0,
];

pub struct Metrics {
    /// Recording only when served (`ACCORD_METRICS_BIND`): histograms keep
    /// their samples until a scrape or an upkeep drains them, so an unserved
    /// recorder would grow without end, and each request would pay for it.
    enabled: bool,
    recorder: PrometheusRecorder,
    handle: PrometheusHandle,
    /// `POST /graphql` requests running, and waiting for a place to run
    /// (`ACCORD_MAX_EXECUTING_REQUESTS`); subscriptions open (`Counted`).
    executing: AtomicI64,
    waiting: AtomicI64,
    subscriptions: AtomicI64,
    /// Connections with bytes that wait unread for a place
    /// (`ACCORD_MAX_OPEN_REQUESTS`, `http/listener.rs`).
    unread: AtomicI64,
}

/// How often histogram samples are folded into their buckets between
/// scrapes (`Metrics::upkeep`).
pub const UPKEEP_EVERY: Duration = Duration::from_secs(5);

/// What a live count counts.
#[derive(Clone, Copy, Debug)]
pub enum Live {
    Executing,
    Waiting,
    Subscriptions,
    Unread,
}

/// One more in a live count for as long as it lives (dropped with a
/// cancelled request or an ended subscription).
pub struct Counted {
    metrics: std::sync::Arc<Metrics>,
    what: Live,
}

impl Counted {
    pub fn new(metrics: &std::sync::Arc<Metrics>, what: Live) -> Self {
        metrics.live(what).fetch_add(1, Ordering::Relaxed);
        Self {
            metrics: metrics.clone(),
            what,
        }
    }
}

impl Drop for Counted {
    fn drop(&mut self) {
        self.metrics.live(self.what).fetch_sub(1, Ordering::Relaxed);
    }
}

/// What an email round did with one message.
#[derive(Clone, Copy, Debug)]
pub enum EmailOutcome {
    Sent,
    /// A transient failure: tried again later.
    Retried,
    Dropped(&'static str),
    /// A permanent failure.
    Dead,
}

impl Metrics {
    fn live(&self, what: Live) -> &AtomicI64 {
        match what {
            Live::Executing => &self.executing,
            Live::Waiting => &self.waiting,
            Live::Subscriptions => &self.subscriptions,
            Live::Unread => &self.unread,
        }
    }

    pub fn new(enabled: bool) -> Self {
        let recorder = PrometheusBuilder::new()
            .set_buckets_for_metric(
                Matcher::Full("accord_graphql_request_duration_seconds".into()),
                &LATENCY_BUCKETS,
            )
            .map(PrometheusBuilder::build_recorder)
            .unwrap_or_else(|_| PrometheusBuilder::new().build_recorder());
        let handle = recorder.handle();
        let metrics = Self {
            enabled,
            recorder,
            handle,
            executing: AtomicI64::new(0),
            waiting: AtomicI64::new(0),
            subscriptions: AtomicI64::new(0),
            unread: AtomicI64::new(0),
        };
        metrics.describe();
        metrics
    }

    fn describe(&self) {
        let counters = [
            (
                "accord_graphql_requests_total",
                "GraphQL requests by root field (operation) and outcome code (OK or extensions.code)",
            ),
            (
                "accord_http_responses_total",
                "HTTP responses by status class",
            ),
            (
                "accord_emails_total",
                "Email messages handled by the outbox worker, by outcome and notice kind",
            ),
            (
                "accord_emails_dropped_total",
                "Email messages not sent on purpose, by drop reason",
            ),
            (
                "accord_login_failures_total",
                "Failed logins (wrong email or password)",
            ),
            (
                "accord_rate_limited_total",
                "Requests refused RATE_LIMITED, by limit",
            ),
        ];
        for (name, help) in counters {
            self.recorder
                .describe_counter(name.into(), None, SharedString::const_str(help));
        }
        self.recorder.describe_histogram(
            "accord_graphql_request_duration_seconds".into(),
            Some(Unit::Seconds),
            SharedString::const_str("GraphQL request latency by root field (operation)"),
        );
        let gauges = [
            (
                "accord_db_pool_connections",
                "Database pool connections by state (in_use, idle)",
            ),
            ("accord_db_pool_max_connections", "Database pool size limit"),
            (
                "accord_database_up",
                "1 when the database answered the scrape's queries",
            ),
            (
                "accord_requests_executing",
                "POST /graphql requests running",
            ),
            (
                "accord_requests_waiting",
                "POST /graphql requests waiting for a place to run",
            ),
            (
                "accord_connections_unread",
                "Connections whose request waits unread for a place among the open requests",
            ),
            ("accord_outbox_pending", "Email messages waiting to be sent"),
            (
                "accord_outbox_oldest_pending_age_seconds",
                "Age of the oldest email message waiting to be sent (0 when none)",
            ),
            (
                "accord_websocket_connections",
                "Open /graphql/ws connections",
            ),
            ("accord_subscriptions_open", "Open GraphQL subscriptions"),
            (
                "accord_audit_chain_length",
                "Events in the audit hash chain",
            ),
        ];
        for (name, help) in gauges {
            self.recorder
                .describe_gauge(name.into(), None, SharedString::const_str(help));
        }
    }

    /// Whether anything is recorded (metrics are served).
    pub fn enabled(&self) -> bool {
        self.enabled
    }

    /// Folds histogram samples into their buckets, so that memory stays
    /// bounded however rarely Prometheus scrapes.
    pub fn upkeep(&self) {
        self.handle.run_upkeep();
    }

    fn counter(&self, name: &'static str, labels: Vec<Label>) -> metrics::Counter {
        if !self.enabled {
            return metrics::Counter::noop();
        }
        self.recorder
            .register_counter(&Key::from_parts(name, labels), &META)
    }

    fn gauge(&self, name: &'static str, labels: Vec<Label>, value: f64) {
        self.recorder
            .register_gauge(&Key::from_parts(name, labels), &META)
            .set(value);
    }

    /// One GraphQL request: `operation` is a root field of the schema (or
    /// `-` when there is none, e.g. a query that did not parse), `code` is
    /// `OK` or an error code of `ERROR_CODES`.
    pub fn graphql_request(&self, operation: SharedString, code: &'static str, took: Duration) {
        if !self.enabled {
            return;
        }
        self.counter(
            "accord_graphql_requests_total",
            vec![
                Label::from_static_parts("code", code),
                Label::new("operation", operation.clone()),
            ],
        )
        .increment(1);
        self.recorder
            .register_histogram(
                &Key::from_parts(
                    "accord_graphql_request_duration_seconds",
                    vec![Label::new("operation", operation)],
                ),
                &META,
            )
            .record(took.as_secs_f64());
    }

    pub fn http_response(&self, status: u16) {
        let class = match status {
            100..=199 => "1xx",
            200..=299 => "2xx",
            300..=399 => "3xx",
            400..=499 => "4xx",
            _ => "5xx",
        };
        self.counter(
            "accord_http_responses_total",
            vec![Label::from_static_parts("class", class)],
        )
        .increment(1);
    }

    pub fn email(&self, kind: &'static str, outcome: EmailOutcome) {
        let name = match outcome {
            EmailOutcome::Sent => "sent",
            EmailOutcome::Retried => "retried",
            EmailOutcome::Dropped(_) => "dropped",
            EmailOutcome::Dead => "dead",
        };
        self.counter(
            "accord_emails_total",
            vec![
                Label::from_static_parts("kind", kind),
                Label::from_static_parts("outcome", name),
            ],
        )
        .increment(1);
        if let EmailOutcome::Dropped(reason) = outcome {
            self.counter(
                "accord_emails_dropped_total",
                vec![Label::from_static_parts("reason", reason)],
            )
            .increment(1);
        }
    }

    pub fn login_failure(&self) {
        self.counter("accord_login_failures_total", Vec::new())
            .increment(1);
    }

    /// `limit`: which limit refused: `address` or `user` (request rates, HTTP
    /// 429), `graphql` (a refusal inside GraphQL: login lockouts, the hashing
    /// queue, report submissions; `accord_graphql_requests_total` names the
    /// operation), `websocket` (connections per user, message rate: 4429).
    pub fn rate_limited(&self, limit: &'static str) {
        self.counter(
            "accord_rate_limited_total",
            vec![Label::from_static_parts("limit", limit)],
        )
        .increment(1);
    }

    /// The text a scrape answers: the counters, and the gauges read now.
    /// The database is given `bound` to answer; when it cannot,
    /// `accord_database_up` is 0 and its gauges keep their last values.
    pub async fn render(
        &self,
        db: &DatabaseConnection,
        live: &crate::live::Hub,
        now: chrono::DateTime<chrono::Utc>,
        bound: Duration,
    ) -> String {
        self.pool_gauges(db);
        self.gauge(
            "accord_requests_executing",
            Vec::new(),
            self.executing.load(Ordering::Relaxed) as f64,
        );
        self.gauge(
            "accord_requests_waiting",
            Vec::new(),
            self.waiting.load(Ordering::Relaxed) as f64,
        );
        self.gauge(
            "accord_connections_unread",
            Vec::new(),
            self.unread.load(Ordering::Relaxed) as f64,
        );
        self.gauge(
            "accord_subscriptions_open",
            Vec::new(),
            self.subscriptions.load(Ordering::Relaxed) as f64,
        );
        self.gauge(
            "accord_websocket_connections",
            Vec::new(),
            live.open_connections() as f64,
        );
        let up = match tokio::time::timeout(bound, internal_database_gauges(db)).await {
            Ok(Ok(read)) => {
                self.gauge(
                    "accord_outbox_pending",
                    Vec::new(),
                    read.outbox_pending as f64,
                );
                let age = read.oldest_pending.map_or(0.0, |at| {
                    (now - at).num_milliseconds().max(0) as f64 / 1000.0
                });
                self.gauge("accord_outbox_oldest_pending_age_seconds", Vec::new(), age);
                self.gauge(
                    "accord_audit_chain_length",
                    Vec::new(),
                    read.audit_events as f64,
                );
                1.0
            }
            Ok(Err(e)) => {
                tracing::warn!(error = %e, "metrics: the database gauges could not be read");
                0.0
            }
            Err(_) => 0.0,
        };
        self.gauge("accord_database_up", Vec::new(), up);
        self.handle.render()
    }

    fn pool_gauges(&self, db: &DatabaseConnection) {
        let (size, idle, max) = match db.get_database_backend() {
            DbBackend::Postgres => {
                let pool = db.get_postgres_connection_pool();
                (
                    pool.size(),
                    pool.num_idle(),
                    pool.options().get_max_connections(),
                )
            }
            _ => {
                let pool = db.get_sqlite_connection_pool();
                (
                    pool.size(),
                    pool.num_idle(),
                    pool.options().get_max_connections(),
                )
            }
        };
        let idle = u32::try_from(idle).unwrap_or(u32::MAX).min(size);
        self.gauge(
            "accord_db_pool_connections",
            vec![Label::from_static_parts("state", "in_use")],
            f64::from(size - idle),
        );
        self.gauge(
            "accord_db_pool_connections",
            vec![Label::from_static_parts("state", "idle")],
            f64::from(idle),
        );
        self.gauge("accord_db_pool_max_connections", Vec::new(), f64::from(max));
    }
}

struct DatabaseGauges {
    outbox_pending: u64,
    oldest_pending: Option<chrono::DateTime<chrono::Utc>>,
    audit_events: i64,
}

/// Counts with no viewer: nothing about any object, only how many.
async fn internal_database_gauges(
    db: &DatabaseConnection,
) -> Result<DatabaseGauges, sea_orm::DbErr> {
    use crate::store::{audit_event, outbox};
    let pending = || outbox::Entity::find().filter(outbox::Column::Status.eq("PENDING"));
    let outbox_pending = pending().count(db).await?;
    let oldest_pending = pending()
        .select_only()
        .column_as(outbox::Column::CreatedAt.min(), "oldest")
        .into_tuple::<Option<chrono::DateTime<chrono::Utc>>>()
        .one(db)
        .await?
        .flatten();
    let audit_events = audit_event::Entity::find()
        .select_only()
        .column_as(audit_event::Column::Seq.max(), "events")
        .into_tuple::<Option<i64>>()
        .one(db)
        .await?
        .flatten()
        .unwrap_or(0);
    Ok(DatabaseGauges {
        outbox_pending,
        oldest_pending,
        audit_events,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nothing_is_recorded_unless_metrics_are_served() {
        let a_login = |m: &Metrics| {
            m.graphql_request(
                SharedString::const_str("login"),
                "OK",
                Duration::from_millis(3),
            )
        };
        let off = Metrics::new(false);
        a_login(&off);
        off.login_failure();
        off.http_response(200);
        let text = off.handle.render();
        assert!(!text.contains("accord_graphql_requests_total{"), "{text}");
        assert!(!text.contains("accord_login_failures_total "), "{text}");
        let on = Metrics::new(true);
        a_login(&on);
        on.upkeep();
        let text = on.handle.render();
        assert!(
            text.contains(r#"accord_graphql_requests_total{code="OK",operation="login"} 1"#),
            "{text}"
        );
        assert!(
            text.contains(r#"accord_graphql_request_duration_seconds_count{operation="login"} 1"#),
            "{text}"
        );
    }
}
