//! What every answer was, per operation kind: latencies of the answered,
//! codes per minute, and every answer that was neither data, `UNAVAILABLE`
//! nor `RATE_LIMITED` (a failure of the drill), with the first few quoted.
use std::collections::BTreeMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::load::Latency;

/// How one answer is classed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    Data(Value),
    /// `UNAVAILABLE` or `RATE_LIMITED`: allowed, the client retries or re-reads.
    Refused(&'static str),
    /// Anything else: a failure of the drill.
    Bad(String),
}

/// Classes an HTTP answer (status, body) of `POST /graphql`.
pub fn classify(status: u16, body: &str) -> Outcome {
    let Ok(json) = serde_json::from_str::<Value>(body) else {
        return Outcome::Bad(format!("HTTP {status}, not JSON: {}", snippet(body)));
    };
    let errors = json
        .get("errors")
        .and_then(Value::as_array)
        .filter(|e| !e.is_empty());
    match errors {
        None if status == 200 => Outcome::Data(json["data"].clone()),
        None => Outcome::Bad(format!("HTTP {status} without errors: {}", snippet(body))),
        Some(errors) => {
            let codes: Vec<&str> = errors
                .iter()
                .map(|e| e["extensions"]["code"].as_str().unwrap_or("NO_CODE"))
                .collect();
            if codes.iter().all(|c| *c == "UNAVAILABLE") {
                Outcome::Refused("UNAVAILABLE")
            } else if codes.iter().all(|c| *c == "RATE_LIMITED") {
                Outcome::Refused("RATE_LIMITED")
            } else {
                Outcome::Bad(format!("HTTP {status}, codes {codes:?}: {}", snippet(body)))
            }
        }
    }
}

pub fn snippet(s: &str) -> String {
    let s: String = s.chars().take(300).collect();
    s.replace('\n', " ")
}

#[derive(Default)]
struct Kind {
    micros: Vec<u64>,
    data: u64,
    refused: BTreeMap<&'static str, u64>,
    bad: u64,
}

#[derive(Default)]
struct Inner {
    kinds: BTreeMap<&'static str, Kind>,
    /// Minute since the start → code → count (codes: UNAVAILABLE,
    /// RATE_LIMITED, FAILED).
    per_minute: BTreeMap<u64, BTreeMap<&'static str, u64>>,
    failures: Vec<String>,
    failure_count: u64,
}

pub struct Tally {
    started: Instant,
    inner: Mutex<Inner>,
}

/// Failures quoted in full; the rest are counted.
const QUOTED: usize = 20;

impl Tally {
    pub fn new() -> Tally {
        Tally {
            started: Instant::now(),
            inner: Mutex::new(Inner::default()),
        }
    }

    /// Records one answer of `kind` that took `took`.
    pub fn record(&self, kind: &'static str, took: Duration, outcome: &Outcome) {
        let minute = self.started.elapsed().as_secs() / 60;
        let Ok(mut inner) = self.inner.lock() else {
            return;
        };
        let k = inner.kinds.entry(kind).or_default();
        match outcome {
            Outcome::Data(_) => {
                k.data += 1;
                k.micros
                    .push(u64::try_from(took.as_micros()).unwrap_or(u64::MAX));
            }
            Outcome::Refused(code) => {
                *k.refused.entry(code).or_default() += 1;
                *inner
                    .per_minute
                    .entry(minute)
                    .or_default()
                    .entry(code)
                    .or_default() += 1;
            }
            Outcome::Bad(why) => {
                k.bad += 1;
                *inner
                    .per_minute
                    .entry(minute)
                    .or_default()
                    .entry("FAILED")
                    .or_default() += 1;
                self.fail_locked(&mut inner, format!("{kind}: {why}"));
            }
        }
    }

    /// A failure that is not one answer (a check, a lost subscription…).
    pub fn fail(&self, why: String) {
        if let Ok(mut inner) = self.inner.lock() {
            self.fail_locked(&mut inner, why);
        }
    }

    fn fail_locked(&self, inner: &mut Inner, why: String) {
        inner.failure_count += 1;
        if inner.failures.len() < QUOTED {
            let at = self.started.elapsed().as_secs_f64();
            eprintln!("FAILURE at {at:.1} s: {why}");
            inner.failures.push(format!("at {at:.1} s: {why}"));
        }
    }

    pub fn failures(&self) -> (u64, Vec<String>) {
        self.inner
            .lock()
            .map(|i| (i.failure_count, i.failures.clone()))
            .unwrap_or_default()
    }

    /// The per-kind table and the per-minute table, in Markdown.
    pub fn markdown(&self) -> String {
        let Ok(inner) = self.inner.lock() else {
            return String::new();
        };
        let secs = self.started.elapsed().as_secs_f64().max(1.0);
        let mut out = String::from(
            "| operation | answered (data) | per s | p50 ms | p99 ms | max ms | UNAVAILABLE | RATE_LIMITED | failed |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|\n",
        );
        for (name, k) in &inner.kinds {
            let l = Latency::of(k.micros.clone());
            out.push_str(&format!(
                "| {name} | {} | {:.1} | {:.1} | {:.1} | {:.0} | {} | {} | {} |\n",
                k.data,
                k.data as f64 / secs,
                l.p50_ms,
                l.p99_ms,
                l.max_ms,
                k.refused.get("UNAVAILABLE").copied().unwrap_or(0),
                k.refused.get("RATE_LIMITED").copied().unwrap_or(0),
                k.bad
            ));
        }
        let minutes = (self.started.elapsed().as_secs() / 60) + 1;
        out.push_str("\n| minute | UNAVAILABLE | RATE_LIMITED | failed |\n|---:|---:|---:|---:|\n");
        for m in 0..minutes {
            let row = inner.per_minute.get(&m);
            let n = |c: &str| row.and_then(|r| r.get(c)).copied().unwrap_or(0);
            out.push_str(&format!(
                "| {} | {} | {} | {} |\n",
                m + 1,
                n("UNAVAILABLE"),
                n("RATE_LIMITED"),
                n("FAILED")
            ));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_data_unavailable_and_rate_limited_pass() {
        assert!(matches!(
            classify(200, r#"{"data":{"x":1}}"#),
            Outcome::Data(_)
        ));
        assert_eq!(
            classify(
                503,
                r#"{"errors":[{"message":"m","extensions":{"code":"UNAVAILABLE"}}]}"#
            ),
            Outcome::Refused("UNAVAILABLE")
        );
        assert_eq!(
            classify(
                429,
                r#"{"errors":[{"message":"m","extensions":{"code":"RATE_LIMITED"}}]}"#
            ),
            Outcome::Refused("RATE_LIMITED")
        );
        for (status, body) in [
            (502, "<html>Bad Gateway</html>"),
            (
                200,
                r#"{"data":null,"errors":[{"message":"m","extensions":{"code":"INTERNAL"}}]}"#,
            ),
            (
                200,
                r#"{"errors":[{"extensions":{"code":"UNAVAILABLE"}},{"extensions":{"code":"CONFLICT"}}]}"#,
            ),
            (503, r#"{}"#),
        ] {
            assert!(
                matches!(classify(status, body), Outcome::Bad(_)),
                "{status} {body}"
            );
        }
    }
}
