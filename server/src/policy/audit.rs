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
