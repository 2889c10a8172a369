//! The access index: the visibility rule (docs/RULES.md rules 1, 2, 6), computed
//! once per change instead of on every read.
//!
//! For each case, `compute` derives which countries see it, at which level,
//! and whether they see its hearings:
//! - the owner country: `OWNER`, hearings included;
//! - while the defender's consent to share holds, every country a share
//!   reaches — directly, or through a coalition it is a member of *now* —
//!   at the highest level among those shares; it sees the hearings when that
//!   level is `DETAIL` and consent to trial observation holds.
//!
//! `rebuild` rewrites the rows of some cases from that rule, inside the
//! transaction of every change that can move visibility (a case created,
//! consent recorded, a share added, changed or removed, a coalition's members
//! changed), so that readers always find the index as the rule says. Every
//! scope in `policy/` reads it by the viewer's country.
use std::collections::{BTreeMap, HashMap};

use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, TransactionTrait,
};
use uuid::Uuid;

use super::counts;
use crate::domain::case::{ShareLevel, Visibility};
use crate::error::AppResult;
use crate::store::{
    access_index_state, case, case_access, case_share, coalition_member, hearing, hearing_access,
};

/// Cases per statement when whole tables are walked.
const CHUNK: usize = 500;

/// What the rule gives one country on one case.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Access {
    pub level: Visibility,
    pub hearings: bool,
}

/// The rule, for `cases`: country → access, per case id.
async fn compute(
    db: &impl ConnectionTrait,
    cases: &[case::Model],
) -> AppResult<HashMap<Uuid, BTreeMap<String, Access>>> {
    let ids: Vec<Uuid> = cases.iter().map(|c| c.id).collect();
    let shares = if ids.is_empty() {
        Vec::new()
    } else {
        case_share::Entity::find()
            .filter(case_share::Column::CaseId.is_in(ids.iter().copied()))
            .all(db)
            .await?
    };
    let mut coalitions: Vec<Uuid> = shares.iter().filter_map(|s| s.coalition_id).collect();
    coalitions.sort();
    coalitions.dedup();
    let mut members: HashMap<Uuid, Vec<String>> = HashMap::new();
    if !coalitions.is_empty() {
        for m in coalition_member::Entity::find()
            .filter(coalition_member::Column::CoalitionId.is_in(coalitions))
            .all(db)
            .await?
        {
            members.entry(m.coalition_id).or_default().push(m.country);
        }
    }
    let mut by_case: HashMap<Uuid, Vec<&case_share::Model>> = HashMap::new();
    for s in &shares {
        by_case.entry(s.case_id).or_default().push(s);
    }
    let mut out = HashMap::new();
    for c in cases {
        let mut levels: BTreeMap<String, Visibility> = BTreeMap::new();
        if c.consent_share {
            for s in by_case.get(&c.id).into_iter().flatten() {
                let Some(level) = ShareLevel::from_stored(&s.level).map(Visibility::from) else {
                    continue;
                };
                let reached: Vec<&String> = match (&s.country, s.coalition_id) {
                    (Some(country), _) => vec![country],
                    (None, Some(k)) => members.get(&k).into_iter().flatten().collect(),
                    (None, None) => Vec::new(),
                };
                for country in reached {
                    let entry = levels.entry(country.clone()).or_insert(level);
                    *entry = (*entry).max(level);
                }
            }
        }
        levels.insert(c.owner_country.clone(), Visibility::Owner);
        let rows = levels
            .into_iter()
            .map(|(country, level)| {
                let hearings =
                    level == Visibility::Owner || (level >= Visibility::Detail && c.consent_trial);
                (country, Access { level, hearings })
            })
            .collect();
        out.insert(c.id, rows);
    }
    Ok(out)
}

/// Rewrites the index rows of `case_ids` from the rule, in the caller's
/// transaction, with the per-country counts (`policy::counts`).
pub async fn rebuild(db: &impl ConnectionTrait, case_ids: &[Uuid]) -> AppResult<()> {
    // Two changes that reach the same case (its consent, and a coalition it
    // is shared with) must not rewrite its rows at once: each would delete
    // what it saw and insert beside the other's rows. Locked in id order.
    let mut ids = case_ids.to_vec();
    ids.sort_unstable();
    ids.dedup();
    let mut deltas = counts::Deltas::new();
    let mut calendar = counts::Deltas::new();
    for chunk in ids.chunks(CHUNK) {
        let cases = case::internal_lock_all(db, chunk).await?;
        let wanted = compute(db, &cases).await?;
        let removed = case_access::Entity::delete_many()
            .filter(case_access::Column::CaseId.is_in(chunk.iter().copied()))
            .exec_with_returning(db)
            .await?;
        for r in removed {
            *deltas.entry(r.country).or_default() -= 1;
        }
        for country in wanted.values().flat_map(BTreeMap::keys) {
            *deltas.entry(country.clone()).or_default() += 1;
        }
        // The case's summary fields ride along (read under its lock; the
        // composite foreign key refuses any other value).
        let rows: Vec<case_access::ActiveModel> = cases
            .iter()
            .flat_map(|c| {
                wanted
                    .get(&c.id)
                    .into_iter()
                    .flatten()
                    .map(move |(country, a)| case_access::ActiveModel {
                        country: Set(country.clone()),
                        case_id: Set(c.id),
                        level: Set(a.level.as_str().to_owned()),
                        hearings: Set(a.hearings),
                        status: Set(c.status.clone()),
                        risk_level: Set(c.risk_level.clone()),
                        host_country: Set(c.host_country.clone()),
                    })
            })
            .collect();
        for batch in rows.chunks(2000) {
            case_access::Entity::insert_many(batch.to_vec())
                .exec_without_returning(db)
                .await?;
        }
        rewrite_calendar(db, chunk, &mut calendar).await?;
    }
    // Once, last: the count rows are the most contended, so they are held
    // for the shortest time (cases before hearings, in every transaction).
    counts::adjust(db, counts::Index::Cases, &deltas).await?;
    counts::adjust(db, counts::Index::Hearings, &calendar).await
}

/// Hearings of `case_ids`, as a subquery.
fn hearings_of(case_ids: &[Uuid]) -> sea_orm::sea_query::SelectStatement {
    Query::select()
        .column(hearing::Column::Id)
        .from(hearing::Entity)
        .and_where(hearing::Column::CaseId.is_in(case_ids.iter().copied()))
        .to_owned()
}

/// Rewrites the calendar index of the hearings of `case_ids` from their
/// cases' rows (after `rebuild`, or when a hearing is scheduled or moved).
pub async fn rebuild_hearings(db: &impl ConnectionTrait, case_ids: &[Uuid]) -> AppResult<()> {
    let mut calendar = counts::Deltas::new();
    rewrite_calendar(db, case_ids, &mut calendar).await?;
    counts::adjust(db, counts::Index::Hearings, &calendar).await
}

/// `rebuild_hearings` without the counts: what it changed, per country, is
/// added to `calendar`.
async fn rewrite_calendar(
    db: &impl ConnectionTrait,
    case_ids: &[Uuid],
    calendar: &mut counts::Deltas,
) -> AppResult<()> {
    for removed in hearing_access::Entity::delete_many()
        .filter(hearing_access::Column::HearingId.in_subquery(hearings_of(case_ids)))
        .exec_with_returning(db)
        .await?
    {
        *calendar.entry(removed.country).or_default() -= 1;
    }
    let rows = Query::select()
        .column((case_access::Entity, case_access::Column::Country))
        .column((hearing::Entity, hearing::Column::StartsAt))
        .column((hearing::Entity, hearing::Column::Id))
        .column((case_access::Entity, case_access::Column::Level))
        .column((hearing::Entity, hearing::Column::Status))
        .from(hearing::Entity)
        .inner_join(
            case_access::Entity,
            Expr::col((case_access::Entity, case_access::Column::CaseId))
                .equals((hearing::Entity, hearing::Column::CaseId)),
        )
        .and_where(Expr::col((case_access::Entity, case_access::Column::Hearings)).eq(true))
        .and_where(
            Expr::col((hearing::Entity, hearing::Column::CaseId)).is_in(case_ids.iter().copied()),
        )
        .to_owned();
    let insert = Query::insert()
        .into_table(hearing_access::Entity)
        .columns([
            hearing_access::Column::Country,
            hearing_access::Column::StartsAt,
            hearing_access::Column::HearingId,
            hearing_access::Column::Level,
            hearing_access::Column::Status,
        ])
        .select_from(rows)
        .map_err(crate::error::AppError::internal)?
        .returning_col(hearing_access::Column::Country)
        .to_owned();
    for row in db.query_all(&insert).await? {
        let country: String = row.try_get("", "country")?;
        *calendar.entry(country).or_default() += 1;
    }
    Ok(())
}

/// Cases shared with a coalition, whose rows move with its membership (no
/// viewer: index maintenance when the membership changes).
pub async fn internal_cases_shared_with_coalition(
    db: &impl ConnectionTrait,
    coalition_id: Uuid,
) -> AppResult<Vec<Uuid>> {
    Ok(case_share::Entity::find()
        .select_only()
        .column(case_share::Column::CaseId)
        .filter(case_share::Column::CoalitionId.eq(coalition_id))
        .distinct()
        .into_tuple::<Uuid>()
        .all(db)
        .await?)
}

/// Every case id after `after`, a chunk at a time (no viewer: maintenance).
async fn internal_case_ids_after(
    db: &impl ConnectionTrait,
    after: Option<Uuid>,
) -> AppResult<Vec<Uuid>> {
    let mut q = case::Entity::find()
        .select_only()
        .column(case::Column::Id)
        .order_by_asc(case::Column::Id)
        .limit(CHUNK as u64);
    if let Some(a) = after {
        q = q.filter(case::Column::Id.gt(a));
    }
    Ok(q.into_tuple::<Uuid>().all(db).await?)
}

/// Recomputes the whole index (`accord rebuild-access`, bulk loads). Each
/// chunk of cases is rewritten in its own transaction; then the counts are
/// recomputed and the index is recorded as complete. Returns the cases.
pub async fn internal_rebuild_all(db: &sea_orm::DatabaseConnection) -> AppResult<u64> {
    let mut after = None;
    let mut done = 0u64;
    loop {
        let ids = internal_case_ids_after(db, after).await?;
        let Some(last) = ids.last().copied() else {
            let txn = db.begin().await?;
            counts::internal_recount(&txn, counts::Index::Cases).await?;
            counts::internal_recount(&txn, counts::Index::Hearings).await?;
            mark_complete(&txn).await?;
            txn.commit().await?;
            return Ok(done);
        };
        let txn = db.begin().await?;
        rebuild(&txn, &ids).await?;
        txn.commit().await?;
        done += ids.len() as u64;
        after = Some(last);
    }
}

async fn mark_complete(db: &impl ConnectionTrait) -> AppResult<()> {
    access_index_state::Entity::update_many()
        .col_expr(access_index_state::Column::Complete, Expr::value(true))
        .filter(access_index_state::Column::Id.eq(1))
        .exec(db)
        .await?;
    Ok(())
}

/// At start-up: cases without their owner row (written before the index
/// existed) get their rows. Once none is found, the index is recorded as
/// complete and later start-ups read one row instead of every case.
pub async fn internal_fill_missing(db: &sea_orm::DatabaseConnection) -> AppResult<u64> {
    let complete = access_index_state::Entity::find_by_id(1)
        .one(db)
        .await?
        .is_some_and(|s| s.complete);
    if complete {
        return Ok(0);
    }
    let missing: Vec<Uuid> = case::Entity::find()
        .select_only()
        .column(case::Column::Id)
        .filter(
            Expr::exists(
                Query::select()
                    .expr(Expr::val(1))
                    .from(case_access::Entity)
                    .and_where(
                        Expr::col((case_access::Entity, case_access::Column::CaseId))
                            .equals((case::Entity, case::Column::Id)),
                    )
                    .and_where(
                        Expr::col((case_access::Entity, case_access::Column::Country))
                            .equals((case::Entity, case::Column::OwnerCountry)),
                    )
                    .to_owned(),
            )
            .not(),
        )
        .into_tuple::<Uuid>()
        .all(db)
        .await?;
    let txn = db.begin().await?;
    rebuild(&txn, &missing).await?;
    mark_complete(&txn).await?;
    txn.commit().await?;
    Ok(missing.len() as u64)
}

/// Where the maintained index differs from the rule recomputed from scratch:
/// one line per difference (empty when they agree). For tests and
/// `accord rebuild-access --check`.
pub async fn internal_drift(db: &impl ConnectionTrait) -> AppResult<Vec<String>> {
    // The counts of every index (cases, calendar, reports) are part of it.
    let mut drift = counts::internal_drift(db).await?;
    let mut after = None;
    loop {
        let ids = internal_case_ids_after(db, after).await?;
        let Some(last) = ids.last().copied() else {
            return Ok(drift);
        };
        let cases = case::Entity::find()
            .filter(case::Column::Id.is_in(ids.iter().copied()))
            .all(db)
            .await?;
        let wanted = compute(db, &cases).await?;
        let stored = case_access::Entity::find()
            .filter(case_access::Column::CaseId.is_in(ids.iter().copied()))
            .all(db)
            .await?;
        let mut have: HashMap<Uuid, BTreeMap<String, (String, bool)>> = HashMap::new();
        for r in stored {
            have.entry(r.case_id)
                .or_default()
                .insert(r.country, (r.level, r.hearings));
        }
        drift.extend(hearing_drift(db, &ids, &wanted).await?);
        for id in &ids {
            let want: BTreeMap<String, (String, bool)> = wanted
                .get(id)
                .into_iter()
                .flatten()
                .map(|(c, a)| (c.clone(), (a.level.as_str().to_owned(), a.hearings)))
                .collect();
            let got = have.remove(id).unwrap_or_default();
            if want != got {
                drift.push(format!("case {id}: index {got:?}, rule {want:?}"));
            }
        }
        after = Some(last);
    }
}

/// Where the calendar index of the hearings of `case_ids` differs from what
/// `wanted` (the rule for those cases) gives.
async fn hearing_drift(
    db: &impl ConnectionTrait,
    case_ids: &[Uuid],
    wanted: &HashMap<Uuid, BTreeMap<String, Access>>,
) -> AppResult<Vec<String>> {
    let hearings = hearing::Entity::find()
        .filter(hearing::Column::CaseId.is_in(case_ids.iter().copied()))
        .all(db)
        .await?;
    if hearings.is_empty() {
        return Ok(Vec::new());
    }
    let stored = hearing_access::Entity::find()
        .filter(hearing_access::Column::HearingId.is_in(hearings.iter().map(|h| h.id)))
        .all(db)
        .await?;
    let mut drift = Vec::new();
    for h in &hearings {
        let want: BTreeMap<String, (String, i64)> = wanted
            .get(&h.case_id)
            .into_iter()
            .flatten()
            .filter(|(_, a)| a.hearings)
            .map(|(c, a)| {
                (
                    c.clone(),
                    (a.level.as_str().to_owned(), h.starts_at.timestamp_micros()),
                )
            })
            .collect();
        let got: BTreeMap<String, (String, i64)> = stored
            .iter()
            .filter(|r| r.hearing_id == h.id)
            .map(|r| {
                (
                    r.country.clone(),
                    (r.level.clone(), r.starts_at.timestamp_micros()),
                )
            })
            .collect();
        if want != got {
            drift.push(format!("hearing {}: index {got:?}, rule {want:?}", h.id));
        }
    }
    Ok(drift)
}
