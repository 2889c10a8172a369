//! The audit trail is read by a country's admins only: events on that
//! country's objects and events its users caused. Nobody else, not even the
//! operator, reads it through the API.
use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter, Select};

use crate::auth::Viewer;
use crate::domain::Role;
use crate::error::{AppError, AppResult};
use crate::store::audit_event;

pub fn visible(viewer: &Viewer) -> AppResult<Select<audit_event::Entity>> {
    match (viewer.role, viewer.country) {
        (Role::Admin, Some(country)) => Ok(audit_event::Entity::find().filter(
            Condition::any()
                .add(audit_event::Column::ObjectCountry.eq(country.as_str()))
                .add(audit_event::Column::ActorCountry.eq(country.as_str())),
        )),
        _ => Err(AppError::Forbidden),
    }
}

/// One page of the trail the viewer reads, newest first, optionally of one
/// action: what the API's `auditEvents` pages.
pub async fn page(
    db: &impl sea_orm::ConnectionTrait,
    viewer: &Viewer,
    action: Option<&str>,
    first: Option<i32>,
    after: Option<String>,
) -> AppResult<(Vec<audit_event::Model>, super::paging::PageShape)> {
    let mut scope = visible(viewer)?;
    if let Some(a) = action.map(str::trim).filter(|a| !a.is_empty()) {
        scope = scope.filter(audit_event::Column::Action.eq(a.to_uppercase()));
    }
    super::paging::page(
        db,
        scope,
        super::paging::Total::OfScope,
        super::Order::SeqDesc(audit_event::Column::Seq),
        first,
        after,
        async |q, _| Ok(q.all(db).await?.into()),
    )
    .await
}
