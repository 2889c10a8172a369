//! The Markdown report: the machine, then one table per backend.
use std::fmt::Write as _;
use std::time::Duration;

use crate::Driven;
use crate::load::Measured;
use crate::seed::World;
use crate::server::{Memory, mib};
use crate::statements::Count;

pub const CASES: &str = "visible-cases page";
pub const CASE: &str = "case by id";
pub const HEARINGS: &str = "hearings calendar";

pub struct Row {
    pub scenario: &'static str,
    pub measured: Measured,
}

pub struct Machine {
    cpus: usize,
    cpu_model: String,
    memory_gib: f64,
    kernel: String,
}

pub fn machine() -> Machine {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let cpu_model = cpuinfo
        .lines()
        .find_map(|l| l.strip_prefix("model name"))
        .and_then(|rest| rest.split_once(':'))
        .map_or_else(|| "unknown CPU".to_owned(), |(_, m)| m.trim().to_owned());
    let meminfo = std::fs::read_to_string("/proc/meminfo").unwrap_or_default();
    let memory_kib = meminfo
        .lines()
        .find_map(|l| l.strip_prefix("MemTotal:"))
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|n| n.parse::<f64>().ok())
        .unwrap_or(0.0);
    Machine {
        cpus: std::thread::available_parallelism().map_or(0, |n| n.get()),
        cpu_model,
        memory_gib: memory_kib / 1024.0 / 1024.0,
        kernel: std::fs::read_to_string("/proc/sys/kernel/osrelease")
            .map_or_else(|_| "unknown".to_owned(), |s| s.trim().to_owned()),
    }
}

impl Machine {
    /// `databases`: the version of each database the run used.
    pub fn markdown(&self, databases: &[&str]) -> String {
        format!(
            "Machine: {} CPUs (nproc), {}, {:.1} GiB RAM, Linux {}; {}. Client, server and database share these CPUs.\n",
            self.cpus,
            self.cpu_model,
            self.memory_gib,
            self.kernel,
            databases.join(", ")
        )
    }
}

pub struct Report {
    pub backend: String,
    /// The database and its version, e.g. `PostgreSQL 15.20`.
    pub version: String,
    text: String,
    pub storm_problems: Vec<String>,
}

impl Report {
    /// A report of one table made elsewhere (the callgrind mode's).
    pub fn of_text(backend: &str, version: String, text: String) -> Report {
        Report {
            backend: backend.to_owned(),
            version,
            text,
            storm_problems: Vec::new(),
        }
    }
}

fn secs(d: Duration) -> String {
    format!("{:.1} s", d.as_secs_f64())
}

/// Statements of the probes named `prefix/{rows}/{who}` (or `prefix`).
fn statements_cell(counts: &[Count], scenario: &str) -> String {
    let one = |name: &str| -> Option<String> {
        let c = counts.iter().find(|c| c.name == name)?;
        Some(if c.min == c.max {
            c.min.to_string()
        } else {
            format!("{}–{}", c.min, c.max)
        })
    };
    let paged = |prefix: &str| -> String {
        [5, 50]
            .iter()
            .map(|rows| {
                let coordinator = one(&format!("{prefix}/{rows}/coordinator"));
                let diplomat = one(&format!("{prefix}/{rows}/diplomat"));
                let value = match (coordinator, diplomat) {
                    (Some(c), Some(d)) if c == d => c,
                    (Some(c), Some(d)) => format!("{c} (diplomat {d})"),
                    (c, d) => c.or(d).unwrap_or_else(|| "?".into()),
                };
                format!("{rows} rows: {value}")
            })
            .collect::<Vec<_>>()
            .join(" · ")
    };
    match scenario {
        CASES => paged("cases"),
        HEARINGS => paged("hearings"),
        CASE => one("case").unwrap_or_else(|| "?".into()),
        other => one(other).unwrap_or_else(|| "?".into()),
    }
}

fn row(out: &mut String, scenario: &str, m: &Measured, statements: &str) {
    let _ = writeln!(
        out,
        "| {scenario} | {} | {:.1} | {:.2} | {:.2} | {} | {statements} | {:.1} | {} |",
        m.connections,
        m.requests_per_sec,
        m.latency.p50_ms,
        m.latency.p99_ms,
        m.server_cpu_per_request.map_or_else(
            || "–".to_owned(),
            |d| format!("{:.0}", d.as_secs_f64() * 1e6)
        ),
        mib(m.peak_rss_kib),
        m.errors
    );
}

/// Everything one backend's run produced.
pub struct Run<'a> {
    pub backend: &'a str,
    pub version: String,
    pub cases: usize,
    pub world: &'a World,
    pub seed_time: Duration,
    pub migrate_time: Duration,
    /// The server's memory when ready and after the load.
    pub idle: Memory,
    pub after: Memory,
    pub load: Driven,
    pub counts: Vec<Count>,
}

impl Report {
    pub fn build(run: Run<'_>) -> Report {
        let Run {
            backend,
            version,
            cases,
            world,
            seed_time,
            migrate_time,
            idle,
            after,
            load,
            counts,
        } = run;
        let mut t = String::new();
        let c = &world.counts;
        let _ = writeln!(t, "## {backend} {version} — {cases} cases\n");
        let _ = writeln!(
            t,
            "- Seed: **{}** (migrations {}, bulk inserts {}, access index rebuild {}, ANALYZE {}): {} cases, {} shares, {} categories, {} hearings, {} users, {} coalitions.",
            secs(seed_time),
            secs(migrate_time),
            secs(world.insert_time),
            secs(world.access_time),
            secs(world.analyze_time),
            c.cases,
            c.shares,
            c.categories,
            c.hearings,
            c.users,
            c.coalitions
        );
        let _ = writeln!(
            t,
            "- Start to ready (spawn of `accord serve` → `/readyz` 200): **{} ms**.",
            load.start_to_ready.as_millis()
        );
        let s = &load.storm;
        let verdict = if s.problems.is_empty() {
            format!(
                "{} CONFIRMED (observersNeeded {}), waitlist positions 1..{} without gaps, read back the same: OK",
                s.confirmed, world.storm_observers_needed, s.waitlisted
            )
        } else {
            format!("BROKEN: {}", s.problems.join("; "))
        };
        let _ = writeln!(
            t,
            "- Claim storm: {} concurrent claims on one hearing settled in **{}** (p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms); {verdict}.",
            s.claims,
            secs(s.settle),
            s.latency.p50_ms,
            s.latency.p99_ms,
            s.latency.max_ms
        );
        let _ = writeln!(
            t,
            "- Server memory: VmRSS {:.1} MB when ready; after the load VmRSS {:.1} MB, VmHWM {:.1} MB.\n",
            mib(idle.rss_kib),
            mib(after.rss_kib),
            mib(after.hwm_kib)
        );
        let _ = writeln!(
            t,
            "| scenario | connections | requests/s | p50 ms | p99 ms | server CPU µs/request | statements/request | server RSS MB | errors |"
        );
        let _ = writeln!(t, "|---|---:|---:|---:|---:|---:|---|---:|---:|");
        row(
            &mut t,
            "login (argon2id 19 MiB, t=2)",
            &load.login,
            &statements_cell(&counts, "login"),
        );
        for r in &load.rows {
            row(
                &mut t,
                r.scenario,
                &r.measured,
                &statements_cell(&counts, r.scenario),
            );
        }
        let storm_row = Measured {
            connections: s.claims,
            requests: s.claims as u64,
            requests_per_sec: s.claims as f64 / s.settle.as_secs_f64().max(1e-9),
            latency: s.latency,
            errors: s.errors as u64,
            first_error: None,
            peak_rss_kib: s.peak_rss_kib,
            server_cpu_per_request: s.server_cpu_per_claim,
        };
        row(
            &mut t,
            "claim storm (claims/s until settled)",
            &storm_row,
            &statements_cell(&counts, "claim"),
        );
        let _ = writeln!(
            t,
            "\nRequests/s and latencies: closed loop over HTTP/1.1 keep-alive, one connection per client, measured after a warm-up; \
             pages are `first: 50`, viewers rotate over the 50 countries' coordinators and diplomats. \
             Statements/request: counted in-process (`App::build_on` with a statement-counting connection) on the same database, \
             for the first country's coordinator (diplomat shown when different); the claim is one more claim on the storm hearing. \
             Server CPU: the server process's user + system time in the measured window (10 ms ticks) over the requests answered in it; \
             client and server share this machine's CPUs, so it moves less than requests/s from run to run. \
             Server RSS: peak VmRSS of the server process during the measured window."
        );
        if let Some(a) = &load.abuse {
            let _ = writeln!(t, "\n{}", a.markdown(backend));
        }
        Report {
            backend: backend.to_owned(),
            version: format!("{backend} {version}"),
            text: t,
            storm_problems: s.problems.clone(),
        }
    }

    pub fn markdown(&self) -> &str {
        &self.text
    }
}
