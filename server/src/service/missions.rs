//! Who is reachable in a country: whether it has a mission on the platform,
//! and which of its mission users to tell about something.
use sea_orm::sea_query::Query;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};
use uuid::Uuid;

use crate::domain::{CountryCode, InputError, Role};
use crate::error::{AppError, AppResult};
use crate::msg;
use crate::store::{mission, user};

/// Refuses (naming `field`) the first of `countries` without a mission on
/// the platform: nobody there could read what is sent to it.
pub async fn require_missions(
    db: &impl ConnectionTrait,
    field: &str,
    countries: &[CountryCode],
) -> AppResult<()> {
    if countries.is_empty() {
        return Ok(());
    }
    let present: Vec<String> = mission::Entity::find()
        .select_only()
        .column(mission::Column::Country)
        .filter(mission::Column::Country.is_in(countries.iter().map(|c| c.to_string())))
        .distinct()
        .into_tuple()
        .all(db)
        .await?;
    match countries
        .iter()
        .find(|c| !present.iter().any(|p| p == c.as_str()))
    {
        Some(missing) => Err(AppError::BadUserInput(InputError::new(
            field,
            msg!("input-no-mission-on-accord", country = missing.as_str()),
        ))),
        None => Ok(()),
    }
}

/// Active users with one of `roles` in the missions of `countries`.
pub async fn mission_users(
    db: &impl ConnectionTrait,
    countries: &[String],
    roles: &[Role],
) -> AppResult<Vec<Uuid>> {
    if countries.is_empty() || roles.is_empty() {
        return Ok(Vec::new());
    }
    Ok(user::Entity::find()
        .select_only()
        .column(user::Column::Id)
        .filter(user::Column::Active.eq(true))
        .filter(user::Column::Role.is_in(roles.iter().map(|r| r.as_str())))
        .filter(
            user::Column::MissionId.in_subquery(
                Query::select()
                    .column(mission::Column::Id)
                    .from(mission::Entity)
                    .and_where(mission::Column::Country.is_in(countries.iter().cloned()))
                    .to_owned(),
            ),
        )
        .into_tuple()
        .all(db)
        .await?)
}
