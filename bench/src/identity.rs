//! `--identity N`: what sealing and opening one defender identity costs,
//! in process, with the server's own code (`accord_server::crypto::sealed`)
//! and its production Argon2id cost. No server, no database: the figures
//! are the cryptography a request adds, reported as the median over N runs.
//!
//! - **seal**: the four fields (typical lengths) sealed to a country's
//!   public key, one HPKE seal each — what `createCase` and `updateCase` add.
//! - **open**: what a custodian's read adds: the member key out of the
//!   session (unlock secret, XChaCha20-Poly1305), the country key out of the
//!   member's wrap (one HPKE open), then four HPKE opens.
//! - **sign-in**: the Argon2id derivation that unwraps the member key at
//!   sign-in (the second Argon2id run of a sign-in, on the same bounded pool).
use std::time::{Duration, Instant};

use accord_server::crypto::sealed::{self, KdfParams, UnlockSecret};
use anyhow::{Result, anyhow};

const FIELDS: [(&str, &str); 4] = [
    ("legal_name", "Maria Clara Santos Dela Cruz"),
    ("contact", "+63 917 555 0142 (Signal only)"),
    ("location", "Purok 3, Barangay San Isidro, near the chapel"),
    (
        "notes",
        "Prefers contact through her lawyer. Two prior threats by the same unit; family relocated in March. Do not call before 18:00.",
    ),
];

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort_unstable();
    samples[samples.len() / 2]
}

fn micros(d: Duration) -> String {
    format!("{:.1}", d.as_secs_f64() * 1e6)
}

/// Runs the three measurements `n` times each and returns a Markdown table.
pub fn measure(n: usize) -> Result<String> {
    let n = n.max(1);
    let (country_secret, country_public) = sealed::generate_key_pair();
    let (member_secret, member_public) = sealed::generate_key_pair();
    let unlock = UnlockSecret::generate();
    let in_session = sealed::wrap_secret(unlock.key(), "session", &member_secret)
        .map_err(|e| anyhow!("session wrap: {e}"))?;
    let wrap = sealed::wrap_secret_to(&member_public, "wrap", &country_secret)
        .map_err(|e| anyhow!("wrap: {e}"))?;

    let mut seal_times = Vec::with_capacity(n);
    let mut sealed_fields = Vec::new();
    for _ in 0..n {
        let started = Instant::now();
        let fields = FIELDS
            .iter()
            .map(|(field, value)| sealed::seal_to(&country_public, field, value.as_bytes()))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| anyhow!("seal: {e}"))?;
        seal_times.push(started.elapsed());
        sealed_fields = fields;
    }

    let mut open_times = Vec::with_capacity(n);
    for _ in 0..n {
        let started = Instant::now();
        let member = sealed::unwrap_secret(unlock.key(), "session", &in_session)
            .map_err(|e| anyhow!("session: {e}"))?;
        let country =
            sealed::unwrap_secret_with(&member, "wrap", &wrap).map_err(|e| anyhow!("wrap: {e}"))?;
        for ((field, value), blob) in FIELDS.iter().zip(&sealed_fields) {
            let clear =
                sealed::open_text(&country, field, blob).map_err(|e| anyhow!("open: {e}"))?;
            if clear != *value {
                return Err(anyhow!("opened the wrong text"));
            }
        }
        open_times.push(started.elapsed());
    }

    // The production cost (`ACCORD_ARGON2_MEMORY_KIB` 19456, 2 passes).
    let params = KdfParams::new(19 * 1024, 2);
    let derivations = n.clamp(1, 20);
    let mut kdf_times = Vec::with_capacity(derivations);
    for _ in 0..derivations {
        let started = Instant::now();
        params
            .derive("a long enough password")
            .map_err(|e| anyhow!("derive: {e}"))?;
        kdf_times.push(started.elapsed());
    }

    let bytes: usize = sealed_fields.iter().map(String::len).sum();
    let clear: usize = FIELDS.iter().map(|(_, v)| v.len()).sum();
    Ok(format!(
        "| step | median µs | runs |\n|---|---:|---:|\n\
         | seal one identity (4 fields, {clear} bytes → {bytes} stored) | {} | {n} |\n\
         | open one identity (session key, country key, 4 fields) | {} | {n} |\n\
         | sign-in: Argon2id member-key derivation (19 MiB, 2 passes) | {} | {derivations} |\n",
        micros(median(seal_times)),
        micros(median(open_times)),
        micros(median(kdf_times)),
    ))
}
