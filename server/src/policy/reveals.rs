//! Identity reveals. A reveal is seen by the owner country of its case and
//! by the country that asked, and by the latter only while it still sees the
//! case at `DETAIL` (so losing sight of a case also ends its reveal: the
//! sealed copy is never reached). Nobody else learns one exists.
use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use uuid::Uuid;

use super::Seen;
use super::cases::{self as case_policy, country_levels};
use crate::auth::Viewer;
use crate::domain::CountryCode;
use crate::domain::case::Visibility;
use crate::error::{AppError, AppResult};
use crate::store::{case, identity_reveal};

/// How the viewer stands to a reveal.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    /// The viewer's country owns the case: it decides.
    Owner,
    /// The viewer's country asked.
    Requester,
}

/// Reveals a case holds at most, all countries and states together (a
/// bound on every list of them; enforced on request).
pub const MAX_PER_CASE: u64 = 200;

/// The reveals of a case the viewer sees: every one for the owner, its
/// own country's for a partner at `DETAIL`, none otherwise. Newest first.
pub async fn for_case(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    case: &Seen<case::Model>,
) -> AppResult<Vec<Seen<identity_reveal::Model, Side>>> {
    let Some(country) = viewer.country else {
        return Ok(Vec::new());
    };
    let mut query = identity_reveal::Entity::find()
        .filter(identity_reveal::Column::CaseId.eq(case.model().id))
        .order_by_desc(identity_reveal::Column::CreatedAt)
        .order_by_desc(identity_reveal::Column::Id)
        .limit(MAX_PER_CASE);
    let side = match case.level() {
        Visibility::Owner => Side::Owner,
        Visibility::Detail => {
            query = query.filter(identity_reveal::Column::RequestingCountry.eq(country.as_str()));
            Side::Requester
        }
        _ => return Ok(Vec::new()),
    };
    Ok(query
        .all(db)
        .await?
        .into_iter()
        .map(|r| Seen::at(r, side))
        .collect())
}

/// One reveal by id, or `NOT_FOUND` exactly as if it did not exist.
pub async fn find(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    id: Uuid,
) -> AppResult<Seen<identity_reveal::Model, Side>> {
    let row = identity_reveal::Entity::find_by_id(id).one(db).await?;
    seen(db, viewer, row).await
}

/// For a write: the reveal under its row lock, as `find`.
pub async fn lock(
    txn: &impl ConnectionTrait,
    viewer: &Viewer,
    id: Uuid,
) -> AppResult<Seen<identity_reveal::Model, Side>> {
    let row = identity_reveal::Entity::find_by_id(id)
        .lock_exclusive()
        .one(txn)
        .await?;
    seen(txn, viewer, row).await
}

async fn seen(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    row: Option<identity_reveal::Model>,
) -> AppResult<Seen<identity_reveal::Model, Side>> {
    let (Some(row), Some(country)) = (row, viewer.country) else {
        return Err(AppError::NotFound);
    };
    let case = case_policy::find(db, viewer, row.case_id).await?;
    let side = if case.level() == Visibility::Owner && row.owner_country == country.as_str() {
        Side::Owner
    } else if case.level() == Visibility::Detail && row.requesting_country == country.as_str() {
        Side::Requester
    } else {
        return Err(AppError::NotFound);
    };
    Ok(Seen::at(row, side))
}

/// The approval through which the viewer's country may read a case's
/// identity now, if there is one: approved, unexpired, not revoked, and the
/// case still seen at `DETAIL`.
pub async fn open_for(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    case: &Seen<case::Model>,
    now: DateTime<Utc>,
) -> AppResult<Option<Seen<identity_reveal::Model, Side>>> {
    let Some(country) = viewer.country else {
        return Ok(None);
    };
    if case.level() != Visibility::Detail {
        return Ok(None);
    }
    Ok(identity_reveal::Entity::find()
        .filter(identity_reveal::Column::CaseId.eq(case.model().id))
        .filter(identity_reveal::Column::RequestingCountry.eq(country.as_str()))
        .filter(identity_reveal::Column::State.eq("APPROVED"))
        .filter(identity_reveal::Column::ExpiresAt.gt(now))
        .order_by_desc(identity_reveal::Column::ExpiresAt)
        .one(db)
        .await?
        .map(|r| Seen::at(r, Side::Requester)))
}

/// What waits for the viewer's country, newest first, at most `limit`:
/// requests on its cases and its own requests, in `states`.
pub async fn inbox(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    states: &[&str],
    limit: u64,
) -> AppResult<Vec<Seen<identity_reveal::Model, Side>>> {
    let Some(country) = viewer.country else {
        return Ok(Vec::new());
    };
    let rows = identity_reveal::Entity::find()
        .filter(
            sea_orm::Condition::any()
                .add(identity_reveal::Column::OwnerCountry.eq(country.as_str()))
                .add(identity_reveal::Column::RequestingCountry.eq(country.as_str())),
        )
        .filter(identity_reveal::Column::State.is_in(states.iter().copied()))
        .order_by_desc(identity_reveal::Column::CreatedAt)
        .order_by_desc(identity_reveal::Column::Id)
        .limit(limit)
        .all(db)
        .await?;
    // Each through the case policy: a partner that lost sight of the case
    // no longer sees its request.
    let cases = case_policy::levels(
        db,
        viewer,
        case::internal_by_ids(db, rows.iter().map(|r| r.case_id).collect()).await?,
    )
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            let level = cases.iter().find(|c| c.model().id == r.case_id)?.level();
            let side = match level {
                Visibility::Owner if r.owner_country == country.as_str() => Side::Owner,
                Visibility::Detail if r.requesting_country == country.as_str() => Side::Requester,
                _ => return None,
            };
            Some(Seen::at(r, side))
        })
        .collect())
}

/// Whether `country` sees `case` at `DETAIL` now (an approval re-seals the
/// identity only to a country that still does).
pub async fn country_sees_detail(
    db: &impl ConnectionTrait,
    country: CountryCode,
    case: &case::Model,
) -> AppResult<bool> {
    let levels = country_levels(db, country, std::slice::from_ref(case)).await?;
    Ok(levels.get(&case.id) == Some(&Visibility::Detail))
}

/// How many reveals a case holds (against `MAX_PER_CASE`).
pub async fn count_for_case(db: &impl ConnectionTrait, case_id: Uuid) -> AppResult<u64> {
    use sea_orm::PaginatorTrait;
    Ok(identity_reveal::Entity::find()
        .filter(identity_reveal::Column::CaseId.eq(case_id))
        .count(db)
        .await?)
}
