//! Hearings, rosters and observations (DESIGN.md "Visibility", rule 2): visible
//! exactly to those who see their case at DETAIL or above. Who covers a
//! hearing (countries) is visible with it; *who* the observers are is shown
//! only for the viewer's own country's claims and, for all claims, to the
//! case owner's country.
use std::collections::HashMap;

use sea_orm::sea_query::Query;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Select};
use uuid::Uuid;

use crate::auth::Viewer;
use crate::domain::Role;
use crate::domain::case::Visibility;
use crate::error::{AppError, AppResult};
use crate::policy::cases::{self, Seen};
use crate::store::{case, hearing};

/// Every hearing whose case the viewer sees at DETAIL or above.
pub fn visible(viewer: &Viewer) -> Select<hearing::Entity> {
    hearing::Entity::find().filter(
        hearing::Column::CaseId.in_subquery(
            Query::select()
                .column(case::Column::Id)
                .from(case::Entity)
                .cond_where(cases::at_least(viewer, Visibility::Detail))
                .to_owned(),
        ),
    )
}

/// Attaches the viewer's level on each hearing's case (one query for the lot).
pub async fn levels(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    hearings: Vec<hearing::Model>,
) -> AppResult<Vec<Seen<hearing::Model>>> {
    let mut case_ids: Vec<Uuid> = hearings.iter().map(|h| h.case_id).collect();
    case_ids.sort();
    case_ids.dedup();
    let case_rows = cases::visible(viewer)
        .filter(case::Column::Id.is_in(case_ids))
        .all(db)
        .await?;
    let by_case: HashMap<Uuid, Visibility> = cases::levels(db, viewer, case_rows)
        .await?
        .into_iter()
        .map(|c| (c.model.id, c.level))
        .collect();
    Ok(hearings
        .into_iter()
        .filter_map(|h| {
            let level = *by_case.get(&h.case_id)?;
            (level >= Visibility::Detail).then(|| Seen::at(h, level))
        })
        .collect())
}

/// One hearing, or `NOT_FOUND` exactly as if it did not exist.
pub async fn find(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    id: Uuid,
) -> AppResult<Seen<hearing::Model>> {
    let found = visible(viewer)
        .filter(hearing::Column::Id.eq(id))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    levels(db, viewer, vec![found])
        .await?
        .pop()
        .ok_or(AppError::NotFound)
}

/// Scheduling and changing hearings: as for changing their case.
pub use crate::policy::cases::may_edit_at as may_manage;

/// Claiming a roster place: diplomats and coordinators of a country that sees
/// the case at DETAIL (which any visible hearing implies).
pub fn may_claim(viewer: &Viewer, hearing: &Seen<hearing::Model>) -> AppResult<()> {
    match viewer.role {
        Role::Diplomat | Role::Coordinator if hearing.level >= Visibility::Detail => Ok(()),
        _ => Err(AppError::Forbidden),
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

/// The coverage overview is a coordinator's tool.
pub fn may_view_coverage(viewer: &Viewer) -> AppResult<()> {
    match viewer.role {
        Role::Coordinator | Role::Admin => Ok(()),
        _ => Err(AppError::Forbidden),
    }
}
