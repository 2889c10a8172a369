//! Hearings, rosters and observations (docs/RULES.md "Visibility", rules 2 and 6).
//!
//! A hearing is visible to its case's owner country always, and to another
//! country only while that country sees the case at DETAIL *and* the
//! defender's consent to trial observation stands (computed per change into
//! the access index by `policy::access`, read back here by country). Everything that follows
//! from a hearing — its roster, observations, reminders, calendar entries,
//! live updates and email — is decided here from that one rule.
//!
//! Who covers a hearing (countries) is visible with it; *who* the observers
//! are is shown only for the viewer's own country's claims and, for all
//! claims, to the case owner's country. A claim whose country lost sight of
//! the hearing is suspended (`internal_claims_without_sight`) and shown only to the
//! owner country.
//!
//! The calendar is the `Hearings` area (`policy::area`): its filter (window,
//! host, case, status, coverage, own claims) is decided here, not by the caller.
use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, JoinType, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, RelationDef, Select,
};
use uuid::Uuid;

use super::area::{self, Area, Order};
use super::cases::reader_country;
use super::paging::{Loaded, Total};
use super::{Checked, Seen, counts, key, nothing};
use crate::auth::Viewer;
use crate::domain::case::Visibility;
use crate::domain::hearing::{ClaimStatus, Coverage, HearingStatus, SuspendReason};
use crate::domain::{CountryCode, Role};
use crate::error::{AppError, AppResult};
use crate::msg;
use crate::store::{
    case, case_access, hearing, hearing_access, observation, observation_revision, roster_claim,
    user,
};

/// Hearings joined to the viewer's rows of the calendar index (pages are
/// ordered by the index's own columns, `CALENDAR_ORDER`).
fn calendar_row() -> RelationDef {
    hearing::Entity::belongs_to(hearing_access::Entity)
        .from(hearing::Column::Id)
        .to(hearing_access::Column::HearingId)
        .into()
}

fn scope(country: Option<CountryCode>) -> Select<hearing::Entity> {
    let joined = hearing::Entity::find().join(JoinType::InnerJoin, calendar_row());
    match country {
        Some(country) => joined.filter(hearing_access::Column::Country.eq(country.as_str())),
        None => joined.filter(nothing()),
    }
}

/// Loads a query on `visible(viewer)` with the viewer's level on each row,
/// in one statement, and the page's riding count with them when given.
pub async fn load_counted(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    query: Select<hearing::Entity>,
    total: Option<&Expr>,
) -> AppResult<Loaded<Seen<hearing::Model>>> {
    if reader_country(viewer).is_none() {
        return Ok(Vec::new().into());
    }
    // Read by position, as the case page.
    area::load_by_position(
        db,
        query,
        hearing_access::Column::Level,
        calendar_level,
        total,
    )
    .await
}

/// Loads a query on `visible(viewer)` with the viewer's level on each row,
/// in one statement.
pub async fn load(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    query: Select<hearing::Entity>,
) -> AppResult<Vec<Seen<hearing::Model>>> {
    Ok(load_counted(db, viewer, query, None).await?.rows)
}

/// The calendar's order, (start, id), as the index holds it: paging by these
/// columns is one range of the viewer's index rows.
pub const CALENDAR_ORDER: (hearing_access::Column, hearing_access::Column) = (
    hearing_access::Column::StartsAt,
    hearing_access::Column::HearingId,
);

/// Hearings of the viewer's calendar starting at `from` or later.
pub fn starting_from(from: DateTime<Utc>) -> Condition {
    Condition::all().add(hearing_access::Column::StartsAt.gte(from))
}

/// Hearings of the viewer's calendar starting before `to`.
pub fn starting_before(to: DateTime<Utc>) -> Condition {
    Condition::all().add(hearing_access::Column::StartsAt.lt(to))
}

/// How the hearings the viewer sees, starting in `[from, to)` and of
/// `status` when given, are counted: on the calendar index alone (its count
/// row for the whole calendar), riding on the page's statement.
pub fn count_visible(
    viewer: &Viewer,
    from: Option<DateTime<Utc>>,
    to: Option<DateTime<Utc>>,
    status: Option<HearingStatus>,
) -> Total {
    let Some(country) = reader_country(viewer) else {
        return Total::Counted(0);
    };
    if from.is_none() && to.is_none() && status.is_none() {
        return Total::Riding(counts::row(counts::Index::Hearings, country.as_str()));
    }
    Total::Riding(counts::rows_of(calendar_rows(country, from, to, status)))
}

/// `country`'s calendar index rows starting in `[from, to)` and of `status`
/// when given: what `count_visible` counts (one range of the primary key,
/// or of `(country, status, starts_at)` when narrowed by status).
pub fn calendar_rows(
    country: CountryCode,
    from: Option<DateTime<Utc>>,
    to: Option<DateTime<Utc>>,
    status: Option<HearingStatus>,
) -> Select<hearing_access::Entity> {
    let mut q =
        hearing_access::Entity::find().filter(hearing_access::Column::Country.eq(country.as_str()));
    if let Some(f) = from {
        q = q.filter(hearing_access::Column::StartsAt.gte(f));
    }
    if let Some(t) = to {
        q = q.filter(hearing_access::Column::StartsAt.lt(t));
    }
    if let Some(s) = status {
        q = q.filter(hearing_access::Column::Status.eq(s.as_str()));
    }
    q
}

/// `country`'s level on those of `case_ids` whose hearings it sees.
async fn hearing_levels(
    db: &impl ConnectionTrait,
    country: CountryCode,
    case_ids: impl IntoIterator<Item = Uuid>,
) -> AppResult<HashMap<Uuid, Visibility>> {
    Ok(case_access::Entity::find()
        .filter(case_access::Column::Country.eq(country.as_str()))
        .filter(case_access::Column::Hearings.eq(true))
        .filter(case_access::Column::CaseId.is_in(case_ids))
        .all(db)
        .await?
        .into_iter()
        .filter_map(|a| Some((a.case_id, calendar_level(&a.level)?)))
        .collect())
}

/// Every hearing the viewer may see.
pub fn visible(viewer: &Viewer) -> Select<hearing::Entity> {
    scope(reader_country(viewer))
}

/// Hearings whose case is hosted in `host` (a SUMMARY field, so it may
/// narrow any hearing scope).
pub fn hosted_in(host: CountryCode) -> Condition {
    Condition::all().add(
        hearing::Column::CaseId.in_subquery(
            Query::select()
                .column(case::Column::Id)
                .from(case::Entity)
                .and_where(case::Column::HostCountry.eq(host.as_str()))
                .to_owned(),
        ),
    )
}

/// Hearings the viewer holds an active (not suspended) claim on.
pub fn claimed_by(viewer: &Viewer) -> Condition {
    Condition::all().add(
        hearing::Column::Id.in_subquery(
            Query::select()
                .column(roster_claim::Column::HearingId)
                .from(roster_claim::Entity)
                .and_where(roster_claim::Column::UserId.eq(viewer.user_id))
                .cond_where(roster_claim::active())
                .to_owned(),
        ),
    )
}

/// Attaches the viewer's level on each hearing's case (one query for the
/// lot), dropping any the viewer may not see.
pub async fn levels(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    hearings: Vec<hearing::Model>,
) -> AppResult<Vec<Seen<hearing::Model>>> {
    let Some(country) = reader_country(viewer) else {
        return Ok(Vec::new());
    };
    let mut case_ids: Vec<Uuid> = hearings.iter().map(|h| h.case_id).collect();
    case_ids.sort();
    case_ids.dedup();
    let seen = hearing_levels(db, country, case_ids).await?;
    Ok(hearings
        .into_iter()
        .filter_map(|h| {
            let level = *seen.get(&h.case_id)?;
            Some(Seen::at(h, level))
        })
        .collect())
}

/// One hearing, or `NOT_FOUND` exactly as if it did not exist.
pub async fn find(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    id: Uuid,
) -> AppResult<Seen<hearing::Model>> {
    area::find::<Hearings>(db, viewer, id).await
}

/// For a roster write: the hearing as the viewer sees it under its row lock
/// (`area::lock`). Every change that takes sight away locks the same rows
/// (`internal_claims_without_sight` runs under
/// `store::hearing::internal_lock_of_cases`), so the two serialise.
pub async fn lock(
    txn: &impl ConnectionTrait,
    viewer: &Viewer,
    id: Uuid,
) -> AppResult<Seen<hearing::Model>> {
    area::lock::<Hearings>(txn, viewer, id).await
}

/// What a viewer may narrow the calendar by: the window (`from`, `to`) and
/// the filter. Every field is one the viewer reads on each hearing they see.
#[derive(Default, PartialEq)]
pub struct HearingFilter {
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
    pub host_country: Option<CountryCode>,
    pub case_id: Option<Uuid>,
    pub status: Option<HearingStatus>,
    pub coverage: Option<Coverage>,
    /// Only hearings the viewer holds an active claim on.
    pub only_mine: bool,
}

impl HearingFilter {
    /// Narrowed beyond the window and the status: the calendar index cannot
    /// count it alone.
    fn narrowed(&self) -> bool {
        self.host_country.is_some()
            || self.case_id.is_some()
            || self.coverage.is_some()
            || self.only_mine
    }
}

/// The filter as a condition on `visible(viewer)`.
pub fn filter(viewer: &Viewer, f: HearingFilter) -> Condition {
    let mut cond = Condition::all();
    if let Some(from) = f.from {
        cond = cond.add(starting_from(from));
    }
    if let Some(to) = f.to {
        cond = cond.add(starting_before(to));
    }
    if let Some(h) = f.host_country {
        cond = cond.add(hosted_in(h));
    }
    if let Some(c) = f.case_id {
        cond = cond.add(hearing::Column::CaseId.eq(c));
    }
    if let Some(s) = f.status {
        // The index row's copy (equal to the hearing's by its foreign key).
        cond = cond.add(hearing_access::Column::Status.eq(s.as_str()));
    }
    if let Some(coverage) = f.coverage {
        cond = cond.add(covered(coverage));
    }
    if f.only_mine {
        cond = cond.add(claimed_by(viewer));
    }
    cond
}

/// Hearings at `coverage`: confirmed claims against the observers needed.
fn covered(coverage: Coverage) -> Condition {
    let needed = Expr::col((hearing::Entity, hearing::Column::ObserversNeeded));
    let confirmed = roster_claim::confirmed_count_sql;
    match coverage {
        Coverage::Uncovered => Condition::all().add(needed.gt(0)).add(confirmed().eq(0)),
        Coverage::Partial => Condition::all()
            .add(confirmed().gt(0))
            .add(confirmed().lt(needed)),
        Coverage::Covered => Condition::all().add(confirmed().gte(needed)),
    }
}

/// The hearings area: the calendar index by country, counted on the index
/// alone unless narrowed beyond the window and status, paged by (start, id).
pub struct Hearings;

impl Area for Hearings {
    type Entity = hearing::Entity;
    type Level = Visibility;
    type Filter = HearingFilter;
    type OrderColumn = hearing_access::Column;

    const ID: hearing::Column = hearing::Column::Id;
    const ORDER: Order<hearing_access::Column> =
        Order::TimeThenId(CALENDAR_ORDER.0, CALENDAR_ORDER.1);

    fn visible(viewer: &Viewer) -> Select<hearing::Entity> {
        visible(viewer)
    }

    fn filter(viewer: &Viewer, f: HearingFilter) -> AppResult<Condition> {
        Ok(filter(viewer, f))
    }

    fn count(viewer: &Viewer, f: &HearingFilter) -> Total {
        if f.narrowed() {
            return Total::OfScope;
        }
        count_visible(viewer, f.from, f.to, f.status)
    }

    async fn load(
        db: &impl ConnectionTrait,
        viewer: &Viewer,
        query: Select<hearing::Entity>,
    ) -> AppResult<Vec<Seen<hearing::Model>>> {
        load(db, viewer, query).await
    }

    async fn load_page(
        db: &impl ConnectionTrait,
        viewer: &Viewer,
        query: Select<hearing::Entity>,
        total: Option<&Expr>,
    ) -> AppResult<Loaded<Seen<hearing::Model>>> {
        load_counted(db, viewer, query, total).await
    }
}

/// `lock` for several viewers at once (claims decided together): asked
/// first, then one lock only when one of them sees the hearing, then each
/// viewer's sight in one statement, in the same transaction.
pub async fn lock_for_each(
    txn: &impl ConnectionTrait,
    viewers: &[&Viewer],
    id: Uuid,
) -> AppResult<Vec<AppResult<Seen<hearing::Model>>>> {
    let before = find_for_each(txn, viewers, id).await?;
    if before.iter().all(Result::is_err) {
        return Ok(before);
    }
    Hearings::internal_lock(txn, id).await?;
    find_for_each(txn, viewers, id).await
}

impl Seen<hearing::Model> {
    /// The key under which this hearing's roster and observations load.
    pub fn key(&self) -> Checked<key::Hearing> {
        Checked::new(self.model.id)
    }
}

/// The whole roster of a hearing the viewer sees (suspended claims
/// included), in queue order: for the roster rules, under the hearing lock.
pub async fn roster(
    db: &impl ConnectionTrait,
    hearing: &Seen<hearing::Model>,
) -> AppResult<Vec<roster_claim::Model>> {
    claims_of(db, &[hearing.key()]).await
}

/// What new claims need to know of a roster, counted in the database rather
/// than read whole: under the hearing lock a claim then costs the same for
/// the thousandth claimant as for the first.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RosterTally {
    pub confirmed: u64,
    pub waitlisted: u64,
    /// The highest queue number given so far (suspended claims keep theirs).
    pub last_seq: i64,
    /// The claimants' own claims on the hearing (absent: none).
    pub own: HashMap<Uuid, OwnClaim>,
}

/// A claimant's own claim on the hearing (at most one, by a unique key).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OwnClaim {
    /// Confirmed or waitlisted.
    Holding,
    /// Suspended when sight was lost; taken up again by a new claim.
    Suspended,
}

/// The tally of a hearing the viewer sees, with the own claims of
/// `claimants`: two statements, whatever the roster's length.
pub async fn tally(
    db: &impl ConnectionTrait,
    hearing: &Seen<hearing::Model>,
    claimants: &[Uuid],
) -> AppResult<RosterTally> {
    use sea_orm::sea_query::{Func, SimpleExpr};
    // COALESCE(…, 0): an empty roster sums to NULL.
    let or_zero = |e: SimpleExpr| -> SimpleExpr {
        let parts: [SimpleExpr; 2] = [e, Expr::val(0)];
        Func::coalesce(parts).into()
    };
    let count_where = |cond: SimpleExpr| or_zero(Func::sum(Expr::case(cond, 1).finally(0)).into());
    let status = || Expr::col(roster_claim::Column::Status);
    let of_hearing = roster_claim::Column::HearingId.eq(hearing.key().uuid());
    let row: Option<(i64, i64, i64)> = roster_claim::Entity::find()
        .select_only()
        .column_as(count_where(roster_claim::is_confirmed_sql()), "confirmed")
        .column_as(
            count_where(status().eq(ClaimStatus::Waitlisted.as_str())),
            "waitlisted",
        )
        .column_as(
            or_zero(Func::max(Expr::col(roster_claim::Column::QueueSeq)).into()),
            "last_seq",
        )
        .filter(of_hearing.clone())
        .into_tuple()
        .one(db)
        .await?;
    let (confirmed, waitlisted, last_seq) = row.unwrap_or_default();
    let own = if claimants.is_empty() {
        HashMap::new()
    } else {
        roster_claim::Entity::find()
            .select_only()
            .column(roster_claim::Column::UserId)
            .column(roster_claim::Column::Status)
            .filter(of_hearing)
            .filter(roster_claim::Column::UserId.is_in(claimants.iter().copied()))
            .into_tuple::<(Uuid, String)>()
            .all(db)
            .await?
            .into_iter()
            .map(|(user, status)| {
                let own = if status == ClaimStatus::Suspended.as_str() {
                    OwnClaim::Suspended
                } else {
                    OwnClaim::Holding
                };
                (user, own)
            })
            .collect()
    };
    Ok(RosterTally {
        confirmed: u64::try_from(confirmed).unwrap_or(0),
        waitlisted: u64::try_from(waitlisted).unwrap_or(0),
        last_seq,
        own,
    })
}

/// The hearing as each of `viewers` sees it (what `find` gives each), in
/// one statement: for claims decided together under the hearing lock.
pub async fn find_for_each(
    db: &impl ConnectionTrait,
    viewers: &[&Viewer],
    id: Uuid,
) -> AppResult<Vec<AppResult<Seen<hearing::Model>>>> {
    let mut countries: Vec<String> = viewers
        .iter()
        .filter_map(|v| reader_country(v))
        .map(|c| c.to_string())
        .collect();
    countries.sort_unstable();
    countries.dedup();
    let seen: HashMap<String, (hearing::Model, Visibility)> = if countries.is_empty() {
        HashMap::new()
    } else {
        hearing::Entity::find()
            .join(JoinType::InnerJoin, calendar_row())
            .filter(hearing_access::Column::Country.is_in(countries))
            .filter(hearing::Column::Id.eq(id))
            .select_also(hearing_access::Entity)
            .all(db)
            .await?
            .into_iter()
            .filter_map(|(h, access)| {
                let access = access?;
                Some((access.country, (h, calendar_level(&access.level)?)))
            })
            .collect()
    };
    Ok(viewers
        .iter()
        .map(|v| {
            reader_country(v)
                .and_then(|c| seen.get(c.as_str()))
                .map(|(h, level)| Seen::at(h.clone(), *level))
                .ok_or(AppError::NotFound)
        })
        .collect())
}

/// A level stored in the calendar index (OWNER or DETAIL: a hearing is
/// never seen at SUMMARY).
fn calendar_level(stored: &str) -> Option<Visibility> {
    Visibility::from_stored(stored).filter(|v| *v >= Visibility::Detail)
}

/// Rosters of hearings the viewer sees, in queue order (what each viewer
/// may be shown of them is `shown_claims`).
pub async fn claims_of(
    db: &impl ConnectionTrait,
    keys: &[Checked<key::Hearing>],
) -> AppResult<Vec<roster_claim::Model>> {
    Ok(roster_claim::Entity::find()
        .filter(roster_claim::Column::HearingId.is_in(keys.iter().map(Checked::uuid)))
        .order_by_asc(roster_claim::Column::QueueSeq)
        .all(db)
        .await?)
}

/// What the viewer is shown of a roster: suspended claims (and why) only to
/// the case owner's country, which must see who no longer covers its case.
pub fn shown_claims(
    hearing: &Seen<hearing::Model>,
    claims: Vec<roster_claim::Model>,
) -> Vec<roster_claim::Model> {
    claims
        .into_iter()
        .filter(|c| {
            hearing.level == Visibility::Owner || c.status != ClaimStatus::Suspended.as_str()
        })
        .collect()
}

/// Observations of hearings the viewer sees, oldest first.
pub async fn observations_of(
    db: &impl ConnectionTrait,
    keys: &[Checked<key::Hearing>],
) -> AppResult<Vec<observation::Model>> {
    Ok(observation::Entity::find()
        .filter(observation::Column::HearingId.is_in(keys.iter().map(Checked::uuid)))
        .order_by_asc(observation::Column::SubmittedAt)
        .order_by_asc(observation::Column::Id)
        .all(db)
        .await?)
}

/// The key under which an observation's history loads: issued only for an
/// observation of the hearing whose key the viewer holds.
pub fn history_key(
    hearing: Checked<key::Hearing>,
    observation: &observation::Model,
) -> Option<Checked<key::Observation>> {
    (observation.hearing_id == hearing.uuid()).then(|| Checked::new(observation.id))
}

/// Earlier contents of observations the viewer sees, oldest first.
pub async fn revisions_of(
    db: &impl ConnectionTrait,
    keys: &[Checked<key::Observation>],
) -> AppResult<Vec<observation_revision::Model>> {
    Ok(observation_revision::Entity::find()
        .filter(observation_revision::Column::ObservationId.is_in(keys.iter().map(Checked::uuid)))
        .order_by_asc(observation_revision::Column::ObservationId)
        .order_by_asc(observation_revision::Column::Revision)
        .all(db)
        .await?)
}

/// The viewer's own observation of a hearing they see (at most one, by a
/// unique key), with how many times it was amended: for a submission,
/// under the hearing lock.
pub async fn own_observation(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    hearing: &Seen<hearing::Model>,
) -> AppResult<Option<(observation::Model, i32)>> {
    let Some(own) = observation::Entity::find()
        .filter(observation::Column::HearingId.eq(hearing.key().uuid()))
        .filter(observation::Column::ObserverId.eq(viewer.user_id))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let last: Option<Option<i32>> = observation_revision::Entity::find()
        .select_only()
        .column_as(observation_revision::Column::Revision.max(), "last")
        .filter(observation_revision::Column::ObservationId.eq(own.id))
        .into_tuple()
        .one(db)
        .await?;
    Ok(Some((own, last.flatten().unwrap_or(0))))
}

/// Observation `id`, for its observer to amend: its hearing locked as the
/// viewer (`NOT_FOUND` when they do not see it, exactly as for a missing
/// id), then `FORBIDDEN` unless the observation is the viewer's own; with
/// how many times it was amended.
pub async fn lock_own_observation(
    txn: &impl ConnectionTrait,
    viewer: &Viewer,
    id: Uuid,
) -> AppResult<(Seen<hearing::Model>, observation::Model, i32)> {
    // Only the hearing's id leaves this read, and only to be checked.
    let hearing_id: Option<Uuid> = observation::Entity::find_by_id(id)
        .select_only()
        .column(observation::Column::HearingId)
        .into_tuple()
        .one(txn)
        .await?;
    let seen = lock(txn, viewer, hearing_id.ok_or(AppError::NotFound)?).await?;
    match own_observation(txn, viewer, &seen).await? {
        Some((own, amendments)) if own.id == id => Ok((seen, own, amendments)),
        _ => Err(AppError::Forbidden),
    }
}

/// How many observations a hearing the viewer sees holds (for the cap on
/// new ones, under the hearing lock).
pub async fn observation_count(
    db: &impl ConnectionTrait,
    hearing: &Seen<hearing::Model>,
) -> AppResult<u64> {
    Ok(observation::Entity::find()
        .filter(observation::Column::HearingId.eq(hearing.key().uuid()))
        .count(db)
        .await?)
}

/// Hearings still to be attended: a claim on one of them counts towards
/// `MAX_OPEN_CLAIMS` and shows in `myRoster`.
const OPEN_STATUSES: [&str; 2] = ["SCHEDULED", "POSTPONED"];

/// The viewer's own active claims on hearings still open (scheduled or
/// postponed): at most `MAX_OPEN_CLAIMS`, enforced when claiming, so
/// `myRoster` is a short list however long a diplomat has served. Claims
/// on held or cancelled hearings stay readable through
/// `hearings(filter: { onlyMine: true })`, which is paged.
pub async fn my_open_claims(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
) -> AppResult<Vec<roster_claim::Model>> {
    Ok(own_active_claims(viewer)
        .filter(
            roster_claim::Column::HearingId.in_subquery(
                Query::select()
                    .column(hearing::Column::Id)
                    .from(hearing::Entity)
                    .and_where(hearing::Column::Status.is_in(OPEN_STATUSES))
                    .to_owned(),
            ),
        )
        .all(db)
        .await?)
}

/// The viewer's own active claims (on hearings they therefore see).
pub async fn my_claims(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
) -> AppResult<Vec<roster_claim::Model>> {
    Ok(own_active_claims(viewer).all(db).await?)
}

fn own_active_claims(viewer: &Viewer) -> Select<roster_claim::Entity> {
    roster_claim::Entity::find()
        .filter(roster_claim::Column::UserId.eq(viewer.user_id))
        .filter(roster_claim::active())
}

/// For each of `viewers`, their other hearings that are still open
/// (scheduled or postponed), seen by their country, on which they hold an
/// active claim: one statement for a batch of claims (the overlap rule).
pub async fn open_hearings_of_each(
    db: &impl ConnectionTrait,
    viewers: &[&Viewer],
    except: Uuid,
) -> AppResult<HashMap<Uuid, Vec<hearing::Model>>> {
    let users: Vec<Uuid> = viewers
        .iter()
        .filter(|v| reader_country(v).is_some())
        .map(|v| v.user_id)
        .collect();
    if users.is_empty() {
        return Ok(HashMap::new());
    }
    let claims: RelationDef = hearing::Entity::belongs_to(roster_claim::Entity)
        .from(hearing::Column::Id)
        .to(roster_claim::Column::HearingId)
        .into();
    let rows = hearing::Entity::find()
        .join(JoinType::InnerJoin, calendar_row())
        .join(JoinType::InnerJoin, claims)
        // Seen by the claimant's country, as `visible` would for them.
        .filter(sea_orm::sea_query::ExprTrait::equals(
            sea_orm::sea_query::Expr::col((roster_claim::Entity, roster_claim::Column::Country)),
            (hearing_access::Entity, hearing_access::Column::Country),
        ))
        .filter(roster_claim::Column::UserId.is_in(users))
        .filter(roster_claim::active())
        .filter(hearing::Column::Id.ne(except))
        .filter(hearing::Column::Status.is_in(OPEN_STATUSES))
        .select_also(roster_claim::Entity)
        .all(db)
        .await?;
    let country_of: HashMap<Uuid, String> = viewers
        .iter()
        .filter_map(|v| Some((v.user_id, reader_country(v)?.to_string())))
        .collect();
    let mut out: HashMap<Uuid, Vec<hearing::Model>> = HashMap::new();
    for (h, claim) in rows {
        let Some(claim) = claim else { continue };
        if country_of.get(&claim.user_id) == Some(&claim.country) {
            out.entry(claim.user_id).or_default().push(h);
        }
    }
    Ok(out)
}

/// Whether the hearings of `case` take observers at all: only while the
/// defender's consent to trial observation stands. Partners lose sight of
/// the hearing with it; the owner country keeps sight but may not claim.
fn roster_open(case: &case::Model) -> bool {
    case.consent_trial
}

/// Whether the hearing takes claims as far as consent goes (read under the
/// hearing lock, for `may_claim`).
pub async fn roster_is_open(
    db: &impl ConnectionTrait,
    hearing: &Seen<hearing::Model>,
) -> AppResult<bool> {
    let case = case::Entity::find_by_id(hearing.model().case_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(roster_open(&case))
}

/// Scheduling and changing hearings: as for changing their case.
pub use crate::policy::cases::may_edit_at as may_manage;

/// Claiming a roster place: diplomats and coordinators of a country that sees
/// the hearing, while the roster is open (`roster_is_open`). A closed roster
/// is `CONSENT_REQUIRED`: only the owner country can meet it, since for
/// partners the hearing is `NOT_FOUND` already.
pub fn may_claim(
    viewer: &Viewer,
    hearing: &Seen<hearing::Model>,
    roster_open: bool,
) -> AppResult<()> {
    match viewer.role {
        Role::Diplomat | Role::Coordinator if hearing.level >= Visibility::Detail => {}
        _ => return Err(AppError::Forbidden),
    }
    if roster_open {
        Ok(())
    } else {
        Err(AppError::ConsentRequired(msg!(
            "consent-the-defender-has-withdrawn-consent"
        )))
    }
}

/// Whether the viewer may know who an observer of `observer_country` is (not
/// just which country covers the hearing): their own country's people, and
/// everyone for the case owner's country.
pub fn may_see_observer(viewer: &Viewer, level: Visibility, observer_country: &str) -> bool {
    level == Visibility::Owner
        || viewer
            .country
            .is_some_and(|c| c.as_str() == observer_country)
}

/// The key under which an observer's user record loads, when the viewer may
/// know who they are.
pub fn observer_key(
    viewer: &Viewer,
    level: Visibility,
    observer_country: &str,
    user_id: Uuid,
) -> Option<Checked<key::Observer>> {
    may_see_observer(viewer, level, observer_country).then(|| Checked::new(user_id))
}

/// Observers' user records, by keys from `observer_key`.
pub async fn observers(
    db: &impl ConnectionTrait,
    keys: &[Checked<key::Observer>],
) -> AppResult<Vec<user::Model>> {
    Ok(user::Entity::find()
        .filter(user::Column::Id.is_in(keys.iter().map(Checked::uuid)))
        .all(db)
        .await?)
}

/// The coverage overview is a coordinator's tool.
pub fn may_view_coverage(viewer: &Viewer) -> AppResult<()> {
    match viewer.role {
        Role::Coordinator | Role::Admin => Ok(()),
        _ => Err(AppError::Forbidden),
    }
}

/// Of `claims` (on `hearings`), those that may no longer hold a place, with
/// the reason: their country no longer sees the hearing — the defender's
/// consent (to trial observation, or to sharing at all) is gone, or the
/// country's share is — or, for the owner country's own claims, consent to
/// trial observation is gone. Withdrawn consent closes the roster for
/// everyone: the owner still reads the hearing (it is their record), but
/// nobody is sent to observe a trial the defender no longer wants observed.
/// One query per claimant country, plus one. No viewer: the reconciliation
/// and reminders run as the system, on claims they already hold.
pub async fn internal_claims_without_sight(
    db: &impl ConnectionTrait,
    hearings: &[hearing::Model],
    claims: &[roster_claim::Model],
) -> AppResult<Vec<(Uuid, SuspendReason)>> {
    if claims.is_empty() {
        return Ok(Vec::new());
    }
    let mut case_ids: Vec<Uuid> = hearings.iter().map(|h| h.case_id).collect();
    case_ids.sort();
    case_ids.dedup();
    let cases: HashMap<Uuid, case::Model> = case::Entity::find()
        .filter(case::Column::Id.is_in(case_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c))
        .collect();
    let case_of: HashMap<Uuid, &case::Model> = hearings
        .iter()
        .filter_map(|h| Some((h.id, cases.get(&h.case_id)?)))
        .collect();
    let countries: HashSet<&str> = claims.iter().map(|c| c.country.as_str()).collect();
    let mut lost = Vec::new();
    for raw in countries {
        let country = CountryCode::parse("country", raw).map_err(AppError::internal)?;
        let sight = hearing_levels(db, country, cases.keys().copied()).await?;
        for claim in claims.iter().filter(|c| c.country == raw) {
            let Some(case) = case_of.get(&claim.hearing_id) else {
                continue;
            };
            if !sight.contains_key(&case.id) {
                let reason = if !case.consent_trial || !case.consent_share {
                    SuspendReason::ConsentWithdrawn
                } else {
                    SuspendReason::VisibilityLost
                };
                lost.push((claim.id, reason));
            } else if !roster_open(case) {
                lost.push((claim.id, SuspendReason::ConsentWithdrawn));
            }
        }
    }
    Ok(lost)
}
