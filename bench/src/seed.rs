//! A world of N cases, written underneath the API with multi-row INSERTs in
//! transactions (bind parameters, through the server's own sea-orm entities,
//! so every value is stored exactly as the server stores it), then the access
//! index rebuilt by the server's own code.
//!
//! Every row respects the migrations' CHECKs, foreign keys and unique keys:
//! consent fields are recorded whenever a consent is given, references are
//! `HOST-YEAR-NNNN` numbered per host country and year (the old sequential
//! form, which cannot collide with the random ones cases created later
//! through the API get), shares go to a country or a coalition (never both,
//! never twice the same), identity columns stay NULL.
use std::collections::{BTreeMap, HashSet};
use std::time::{Duration, Instant};

use accord_server::store::{
    case, case_category, case_share, coalition, coalition_member, hearing, mission, user,
};
use anyhow::{Context, Result, anyhow, bail};
use chrono::{DateTime, Datelike, TimeDelta, Timelike, Utc};
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use sea_orm::{
    ActiveModelTrait, ConnectionTrait, DatabaseConnection, EntityTrait, IntoActiveModel, Statement,
    TransactionTrait,
};
use uuid::Uuid;

/// Every seeded user's password.
pub const PASSWORD: &str = "accord-bench-password";
/// Sending countries, each with one mission in Manila.
pub const SENDERS: usize = 50;
const COALITIONS: usize = 10;
const COALITION_SIZE: usize = 8;
/// Where the defenders are (ISO codes checked against the `countries` table).
const HOSTS: [(&str, u32); 4] = [("PH", 60), ("GT", 15), ("KE", 15), ("CO", 10)];
/// Cases per transaction.
const CHUNK: usize = 20_000;
/// How often the index tables are analysed while the rebuild fills them
/// (PostgreSQL), standing in for autoanalyze.
const AUTOANALYZE_EVERY: Duration = Duration::from_secs(10);
/// Bind parameters per statement: below SQLite's 32766 and PostgreSQL's 65535.
const MAX_PARAMS: usize = 30_000;

const RISKS: [&str; 4] = ["LOW", "MEDIUM", "HIGH", "CRITICAL"];
const STATUSES: [&str; 6] = [
    "AT_RISK",
    "DETAINED",
    "ON_TRIAL",
    "RELEASED",
    "RELOCATED",
    "CLOSED",
];
const CATEGORIES: [&str; 10] = [
    "WOMAN_HRD",
    "ENVIRONMENTAL",
    "LAND_RIGHTS",
    "INDIGENOUS",
    "LGBTI",
    "JOURNALIST",
    "LAWYER",
    "TRADE_UNIONIST",
    "STUDENT",
    "OTHER",
];

/// What the load phase needs to know about the seeded world.
pub struct World {
    /// One COORDINATOR and one DIPLOMAT per country (same order as `countries`).
    pub coordinators: Vec<String>,
    pub diplomats: Vec<String>,
    /// The diplomats who race for the storm hearing, spread over all countries.
    pub storm_diplomats: Vec<String>,
    /// The coordinator of the storm case's owner country (reads the roster).
    pub storm_owner: String,
    pub storm_hearing: Uuid,
    pub storm_observers_needed: i32,
    pub counts: Counts,
    pub insert_time: Duration,
    pub access_time: Duration,
    pub analyze_time: Duration,
}

#[derive(Default)]
pub struct Counts {
    pub cases: usize,
    pub shares: usize,
    pub categories: usize,
    pub hearings: usize,
    pub users: usize,
    pub coalitions: usize,
}

/// Multi-row INSERTs of `rows`, as many rows per statement as the bind
/// parameter limit allows.
async fn insert_all<A>(db: &impl ConnectionTrait, rows: Vec<A>, columns: usize) -> Result<()>
where
    A: ActiveModelTrait + Send,
{
    let per_statement = (MAX_PARAMS / columns).max(1);
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let batch: Vec<A> = rows.by_ref().take(per_statement).collect();
        A::Entity::insert_many(batch)
            .exec_without_returning(db)
            .await
            .with_context(|| format!("bulk insert into {}", table_name::<A>()))?;
    }
    Ok(())
}

fn table_name<A: ActiveModelTrait>() -> String {
    use sea_orm::EntityName;
    A::Entity::default().table_name().to_owned()
}

async fn query_strings(db: &DatabaseConnection, sql: &str, column: &str) -> Result<Vec<String>> {
    let rows = db
        .query_all_raw(Statement::from_string(db.get_database_backend(), sql))
        .await?;
    rows.iter()
        .map(|r| r.try_get::<String>("", column).map_err(Into::into))
        .collect()
}

/// A time-ordered id (UUIDv7) for an instant, so that ids sort like creation times.
fn id_at(at: DateTime<Utc>, rng: &mut StdRng) -> Uuid {
    let secs = u64::try_from(at.timestamp()).unwrap_or(0);
    let ts = uuid::Timestamp::from_unix(uuid::NoContext, secs, at.nanosecond());
    // Random low bits keep ids unique when instants repeat.
    let v7 = Uuid::new_v7(ts);
    let mut bytes = *v7.as_bytes();
    rng.fill(&mut bytes[8..]);
    bytes[8] = (bytes[8] & 0x3f) | 0x80; // RFC 4122 variant
    Uuid::from_bytes(bytes)
}

struct Sender {
    code: String,
    mission: Uuid,
    coordinator: Uuid,
}

pub struct SeedOptions {
    pub cases: usize,
    pub claims: usize,
    pub postgres: bool,
}

pub async fn seed(db: &DatabaseConnection, opts: &SeedOptions) -> Result<World> {
    let started = Instant::now();
    let mut rng = StdRng::seed_from_u64(20_261_126);
    let now = Utc::now();

    // Real ISO codes from the seeded `countries` table.
    let codes = query_strings(
        db,
        "SELECT code FROM countries WHERE code <> 'EU' ORDER BY code",
        "code",
    )
    .await?;
    for (host, _) in HOSTS {
        if !codes.iter().any(|c| c == host) {
            bail!("host country {host} is missing from the countries table");
        }
    }
    let candidates: Vec<&String> = codes
        .iter()
        .filter(|c| !HOSTS.iter().any(|(h, _)| h == c))
        .collect();
    if candidates.len() < SENDERS {
        bail!("only {} countries to choose from", candidates.len());
    }
    // Evenly spaced over the alphabet.
    let countries: Vec<String> = (0..SENDERS)
        .map(|i| candidates[i * candidates.len() / SENDERS].clone())
        .collect();

    // One argon2id hash at the production cost, reused for every user.
    let hasher = accord_server::auth::password::Hasher::new(19 * 1024, 2, 1)
        .map_err(|e| anyhow!("argon2 parameters: {e}"))?;
    let password_hash = hasher
        .hash(PASSWORD)
        .map_err(|e| anyhow!("hashing the password: {e}"))?;

    let mut counts = Counts::default();

    // The directory: missions, users, coalitions.
    let txn = db.begin().await?;
    let mut senders = Vec::with_capacity(SENDERS);
    let mut missions = Vec::new();
    let mut users = Vec::new();
    let mut coordinators = Vec::new();
    let mut diplomats = Vec::new();
    let new_user = |email: &str, role: &str, mission: Uuid, name: &str| user::Model {
        id: Uuid::now_v7(),
        email: email.to_owned(),
        display_name: name.to_owned(),
        password_hash: password_hash.clone(),
        role: role.to_owned(),
        mission_id: Some(mission),
        organization_id: None,
        active: true,
        created_at: now,
        deactivated_at: None,
        language: None,
        timezone: None,
    };
    for code in &countries {
        let lower = code.to_lowercase();
        let mission_id = Uuid::now_v7();
        missions.push(mission::Model {
            id: mission_id,
            country: code.clone(),
            host_country: "PH".into(),
            city: "Manila".into(),
            name: format!("Embassy of {code} in Manila"),
            timezone: "Asia/Manila".into(),
            created_at: now,
            second_factor_required: false,
        });
        let coordinator = new_user(
            &format!("coordinator.{lower}@bench.example"),
            "COORDINATOR",
            mission_id,
            &format!("Coordinator {code}"),
        );
        let diplomat = new_user(
            &format!("diplomat.{lower}@bench.example"),
            "DIPLOMAT",
            mission_id,
            &format!("Diplomat {code}"),
        );
        coordinators.push(coordinator.email.clone());
        diplomats.push(diplomat.email.clone());
        senders.push(Sender {
            code: code.clone(),
            mission: mission_id,
            coordinator: coordinator.id,
        });
        users.push(coordinator);
        users.push(diplomat);
    }
    let mut storm_diplomats = Vec::with_capacity(opts.claims);
    for n in 0..opts.claims {
        let s = &senders[n % SENDERS];
        let email = format!("storm.{n:05}.{}@bench.example", s.code.to_lowercase());
        users.push(new_user(
            &email,
            "DIPLOMAT",
            s.mission,
            &format!("Observer {n}"),
        ));
        storm_diplomats.push(email);
    }
    counts.users = users.len();
    insert_all(
        &txn,
        missions
            .into_iter()
            .map(|m| m.into_active_model())
            .collect(),
        7,
    )
    .await?;
    insert_all(
        &txn,
        users.into_iter().map(|u| u.into_active_model()).collect(),
        10,
    )
    .await?;

    // Coalitions of eight neighbouring (in seeding order) countries, overlapping.
    let mut coalitions: Vec<(Uuid, Vec<usize>)> = Vec::with_capacity(COALITIONS);
    let mut coalition_rows = Vec::new();
    let mut member_rows = Vec::new();
    for k in 0..COALITIONS {
        let members: Vec<usize> = (0..COALITION_SIZE)
            .map(|j| (k * 5 + j * 3) % SENDERS)
            .collect();
        let id = Uuid::now_v7();
        let convener = &senders[members[0]].code;
        coalition_rows.push(
            coalition::Model {
                id,
                name: format!("Like-minded group {}", k + 1),
                host_country: "PH".into(),
                convener_country: convener.clone(),
                created_at: now,
            }
            .into_active_model(),
        );
        for &m in &members {
            member_rows.push(
                coalition_member::Model {
                    coalition_id: id,
                    country: senders[m].code.clone(),
                    added_at: now,
                }
                .into_active_model(),
            );
        }
        coalitions.push((id, members));
    }
    counts.coalitions = coalitions.len();
    insert_all(&txn, coalition_rows, 5).await?;
    insert_all(&txn, member_rows, 3).await?;
    txn.commit().await?;

    // Cases, created over the last three years, in id (= time) order.
    let span_secs: i64 = 3 * 365 * 24 * 3600;
    let first = now - TimeDelta::seconds(span_secs);
    let host_weights: u32 = HOSTS.iter().map(|(_, w)| w).sum();
    let mut counters: BTreeMap<(&'static str, i32), i32> = BTreeMap::new();
    let mut done = 0;
    while done < opts.cases {
        let end = (done + CHUNK).min(opts.cases);
        let mut cases = Vec::with_capacity(end - done);
        let mut categories = Vec::with_capacity(end - done);
        let mut shares = Vec::with_capacity((end - done) * 5 / 2);
        let mut hearings = Vec::new();
        for i in done..end {
            let offset = span_secs * i64::try_from(i)? / i64::try_from(opts.cases.max(1))?;
            let created = first
                + TimeDelta::seconds(offset)
                + TimeDelta::milliseconds(i64::from(rng.gen_range(0..1000u32)));
            let id = id_at(created, &mut rng);
            let owner = i % SENDERS;
            let s = &senders[owner];
            let mut pick = rng.gen_range(0..host_weights);
            let host = HOSTS
                .iter()
                .find(|(_, w)| {
                    if pick < *w {
                        true
                    } else {
                        pick -= w;
                        false
                    }
                })
                .map_or("PH", |(h, _)| h);
            let year = created.year();
            let number = counters.entry((host, year)).or_insert(0);
            *number += 1;
            let with_hearing = rng.gen_bool(0.05);
            let consent_share = rng.gen_bool(0.8);
            // A hearing needs consent to trial observation (as scheduleHearing does).
            let consent_trial = with_hearing || rng.gen_bool(0.6);
            let consent_public = rng.gen_bool(0.3);
            let recorded = consent_share || consent_trial || consent_public;
            cases.push(
                case::Model {
                    id,
                    reference: accord_server::domain::case::format_reference(
                        host, year, *number,
                    ),
                    owner_country: s.code.clone(),
                    owner_mission_id: s.mission,
                    host_country: host.to_owned(),
                    pseudonym: format!("Defender {i}"),
                    region: Some(format!("Region {}", rng.gen_range(1..=17))),
                    risk_level: RISKS[rng.gen_range(0..RISKS.len())].to_owned(),
                    status: STATUSES[rng.gen_range(0..STATUSES.len())].to_owned(),
                    summary: Some(format!(
                        "Bench case {i}: a defender followed by the missions of the like-minded group."
                    )),
                    legal_name_sealed: None,
                    contact_sealed: None,
                    location_sealed: None,
                    notes_sealed: None,
                    identity_key_id: None,
                    consent_share,
                    consent_trial,
                    consent_public,
                    consent_given_by: recorded.then(|| "DEFENDER".to_owned()),
                    consent_recorded_at: recorded.then_some(created),
                    consent_recorded_by: recorded.then_some(s.coordinator),
                    created_by: s.coordinator,
                    created_at: created,
                    updated_at: created,
                }
                .into_active_model(),
            );
            categories.push(
                case_category::Model {
                    case_id: id,
                    category: CATEGORIES[rng.gen_range(0..CATEGORIES.len())].to_owned(),
                }
                .into_active_model(),
            );
            // 2 or 3 shares (2.4 on average), to countries or coalitions.
            let n_shares = if rng.gen_bool(0.4) { 3 } else { 2 };
            let mut to_countries = HashSet::new();
            let mut to_coalitions = HashSet::new();
            while to_countries.len() + to_coalitions.len() < n_shares {
                if rng.gen_bool(0.25) {
                    to_coalitions.insert(rng.gen_range(0..COALITIONS));
                } else {
                    let c = rng.gen_range(0..SENDERS);
                    if c != owner {
                        to_countries.insert(c);
                    }
                }
            }
            let mut targets: Vec<(Option<String>, Option<Uuid>)> = to_countries
                .into_iter()
                .map(|c| (Some(senders[c].code.clone()), None))
                .chain(
                    to_coalitions
                        .into_iter()
                        .map(|k| (None, Some(coalitions[k].0))),
                )
                .collect();
            targets.sort();
            for (country, coalition_id) in targets {
                shares.push(
                    case_share::Model {
                        id: id_at(created, &mut rng),
                        case_id: id,
                        country,
                        coalition_id,
                        level: if rng.gen_bool(0.5) {
                            "DETAIL"
                        } else {
                            "SUMMARY"
                        }
                        .to_owned(),
                        created_by: s.coordinator,
                        created_at: created,
                    }
                    .into_active_model(),
                );
            }
            if with_hearing {
                let starts = (now + TimeDelta::days(rng.gen_range(1..=180)))
                    .with_minute(0)
                    .and_then(|t| t.with_second(0))
                    .and_then(|t| t.with_nanosecond(0))
                    .unwrap_or(now);
                hearings.push(
                    hearing::Model {
                        id: Uuid::now_v7(),
                        case_id: id,
                        court: format!("Regional Trial Court Branch {}", rng.gen_range(1..=80)),
                        city: "Manila".into(),
                        starts_at: starts,
                        timezone: "Asia/Manila".into(),
                        duration_minutes: 180,
                        status: "SCHEDULED".into(),
                        observers_needed: rng.gen_range(2..=4),
                        claim_deadline: None,
                        created_by: s.coordinator,
                        created_at: now,
                        updated_at: now,
                    }
                    .into_active_model(),
                );
            }
        }
        counts.cases += cases.len();
        counts.categories += categories.len();
        counts.shares += shares.len();
        counts.hearings += hearings.len();
        let txn = db.begin().await?;
        insert_all(&txn, cases, 23).await?;
        insert_all(&txn, categories, 2).await?;
        insert_all(&txn, shares, 7).await?;
        insert_all(&txn, hearings, 13).await?;
        txn.commit().await?;
        done = end;
        if opts.cases >= 100_000 {
            eprintln!(
                "  seeded {done}/{} cases ({:.1} s)",
                opts.cases,
                started.elapsed().as_secs_f64()
            );
        }
    }

    // The storm: one case of the first country, seen at DETAIL by every other
    // country (through coalition 1 and direct shares), consent to share and to
    // trial observation recorded, and one hearing everyone races for.
    let owner = &senders[0];
    let storm_case = Uuid::now_v7();
    let storm_hearing = Uuid::now_v7();
    let storm_observers_needed = 4;
    let number = counters.entry(("PH", now.year())).or_insert(0);
    *number += 1;
    let txn = db.begin().await?;
    insert_all(
        &txn,
        vec![
            case::Model {
                id: storm_case,
                reference: accord_server::domain::case::format_reference("PH", now.year(), *number),
                owner_country: owner.code.clone(),
                owner_mission_id: owner.mission,
                host_country: "PH".into(),
                pseudonym: "Defender of the claim storm".into(),
                region: Some("Davao".into()),
                risk_level: "HIGH".into(),
                status: "ON_TRIAL".into(),
                summary: Some("Everyone wants to observe this trial.".into()),
                legal_name_sealed: None,
                contact_sealed: None,
                location_sealed: None,
                notes_sealed: None,
                identity_key_id: None,
                consent_share: true,
                consent_trial: true,
                consent_public: false,
                consent_given_by: Some("DEFENDER".into()),
                consent_recorded_at: Some(now),
                consent_recorded_by: Some(owner.coordinator),
                created_by: owner.coordinator,
                created_at: now,
                updated_at: now,
            }
            .into_active_model(),
        ],
        23,
    )
    .await?;
    let (coalition_id, members) = &coalitions[0];
    let mut storm_shares = vec![
        case_share::Model {
            id: Uuid::now_v7(),
            case_id: storm_case,
            country: None,
            coalition_id: Some(*coalition_id),
            level: "DETAIL".into(),
            created_by: owner.coordinator,
            created_at: now,
        }
        .into_active_model(),
    ];
    for (k, s) in senders.iter().enumerate().skip(1) {
        if !members.contains(&k) {
            storm_shares.push(
                case_share::Model {
                    id: Uuid::now_v7(),
                    case_id: storm_case,
                    country: Some(s.code.clone()),
                    coalition_id: None,
                    level: "DETAIL".into(),
                    created_by: owner.coordinator,
                    created_at: now,
                }
                .into_active_model(),
            );
        }
    }
    counts.cases += 1;
    counts.shares += storm_shares.len();
    counts.hearings += 1;
    insert_all(&txn, storm_shares, 7).await?;
    // At 01:30 UTC, a time no seeded hearing uses, so no claim overlaps.
    let storm_start = (now + TimeDelta::days(45))
        .with_hour(1)
        .and_then(|t| t.with_minute(30))
        .and_then(|t| t.with_second(0))
        .and_then(|t| t.with_nanosecond(0))
        .unwrap_or(now);
    insert_all(
        &txn,
        vec![
            hearing::Model {
                id: storm_hearing,
                case_id: storm_case,
                court: "Regional Trial Court Branch 12".into(),
                city: "Davao City".into(),
                starts_at: storm_start,
                timezone: "Asia/Manila".into(),
                duration_minutes: 180,
                status: "SCHEDULED".into(),
                observers_needed: storm_observers_needed,
                claim_deadline: None,
                created_by: owner.coordinator,
                created_at: now,
                updated_at: now,
            }
            .into_active_model(),
        ],
        13,
    )
    .await?;
    txn.commit().await?;
    let insert_time = started.elapsed();

    // Planner statistics, as autoanalyze gathers them on a live server after
    // a bulk load (it may be off, as on a test server): without them
    // PostgreSQL plans the rebuild's joins as if the tables were tiny.
    let mut analyze_time = Duration::ZERO;
    if opts.postgres {
        let t = Instant::now();
        db.execute_unprepared("ANALYZE").await?;
        analyze_time += t.elapsed();
    }

    // The access index, recomputed by the server's own rule. The tables it
    // fills grow from nothing while it runs; on PostgreSQL, autoanalyze keeps
    // their statistics current on a live server (without, every chunk's
    // DELETE and INSERT … SELECT scans the whole index table, and the rebuild
    // grows quadratically). Autovacuum may be off on a test server, so the
    // bench stands in for it.
    let t = Instant::now();
    let rebuild = accord_server::policy::access::internal_rebuild_all(db);
    let autoanalyze = async {
        if !opts.postgres {
            std::future::pending::<()>().await;
        }
        loop {
            tokio::time::sleep(AUTOANALYZE_EVERY).await;
            if let Err(e) = db
                .execute_unprepared("ANALYZE case_access, hearing_access")
                .await
            {
                return e;
            }
        }
    };
    tokio::select! {
        rebuilt = rebuild => {
            rebuilt.map_err(|e| anyhow!("rebuilding the access index: {e}"))?;
        }
        failed = autoanalyze => bail!("ANALYZE during the rebuild: {failed}"),
    }
    let access_time = t.elapsed();

    // And again for the index tables the rebuild filled.
    if opts.postgres {
        let t = Instant::now();
        db.execute_unprepared("ANALYZE").await?;
        analyze_time += t.elapsed();
    }

    let mut storm = storm_diplomats;
    storm.shuffle(&mut rng);
    Ok(World {
        storm_owner: coordinators[0].clone(),
        coordinators,
        diplomats,
        storm_diplomats: storm,
        storm_hearing,
        storm_observers_needed,
        counts,
        insert_time,
        access_time,
        analyze_time,
    })
}
