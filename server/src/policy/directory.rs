//! Missions, users, organizations and coalitions.
//!
//! - Missions are the platform's directory of embassies: every signed-in user
//!   except liaisons sees them.
//! - Users: the operator sees all; a mission user sees the users of their own
//!   country; a liaison sees the users of their own organization.
//! - Organizations: liaisons see their own only; everyone else sees all.
//! - Coalitions: a country's users see those their country convenes or belongs
//!   to now; the operator sees all; liaisons none.
use sea_orm::sea_query::Query;
use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter, Select};

use crate::auth::Viewer;
use crate::domain::role::Affiliation;
use crate::domain::{CountryCode, Role};
use crate::error::{AppError, AppResult};
use crate::msg;
use crate::policy::nothing;
use crate::store::{coalition, coalition_member, mission, organization, user};

pub fn missions(viewer: &Viewer) -> AppResult<Select<mission::Entity>> {
    match viewer.role {
        Role::Liaison => Err(AppError::Forbidden),
        _ => Ok(mission::Entity::find()),
    }
}

pub fn users(viewer: &Viewer) -> Select<user::Entity> {
    let scope = user::Entity::find();
    match (viewer.role, viewer.country, viewer.organization_id) {
        (Role::Operator, _, _) => scope,
        (Role::Liaison, _, Some(org)) => scope.filter(user::Column::OrganizationId.eq(org)),
        (_, Some(country), _) => scope.filter(
            user::Column::MissionId.in_subquery(
                Query::select()
                    .column(mission::Column::Id)
                    .from(mission::Entity)
                    .and_where(mission::Column::Country.eq(country.as_str()))
                    .to_owned(),
            ),
        ),
        _ => scope.filter(nothing()),
    }
}

pub fn organizations(viewer: &Viewer) -> Select<organization::Entity> {
    let scope = organization::Entity::find();
    match (viewer.role, viewer.organization_id) {
        (Role::Liaison, Some(org)) => scope.filter(organization::Column::Id.eq(org)),
        (Role::Liaison, None) => scope.filter(nothing()),
        _ => scope,
    }
}

/// Ids of the coalitions `country` is a member of now. Membership is always
/// read at the time of the request, never cached.
pub fn memberships_of(country: CountryCode) -> sea_orm::sea_query::SelectStatement {
    Query::select()
        .column(coalition_member::Column::CoalitionId)
        .from(coalition_member::Entity)
        .and_where(coalition_member::Column::Country.eq(country.as_str()))
        .to_owned()
}

pub fn coalitions(viewer: &Viewer) -> Select<coalition::Entity> {
    let scope = coalition::Entity::find();
    match (viewer.role, viewer.country) {
        (Role::Operator, _) => scope,
        (Role::Liaison, _) | (_, None) => scope.filter(nothing()),
        (_, Some(country)) => scope.filter(
            Condition::any()
                .add(coalition::Column::ConvenerCountry.eq(country.as_str()))
                .add(coalition::Column::Id.in_subquery(memberships_of(country))),
        ),
    }
}

/// Creating a mission: the operator anywhere, an admin for their own country.
pub fn may_create_mission(viewer: &Viewer, country: CountryCode) -> AppResult<()> {
    match viewer.role {
        Role::Operator => Ok(()),
        Role::Admin if viewer.country == Some(country) => Ok(()),
        _ => Err(AppError::Forbidden),
    }
}

/// Creating users at all: only the operator and admins (checked before any
/// lookup, so that nobody else learns which ids exist).
pub fn may_manage_directory(viewer: &Viewer) -> AppResult<()> {
    match viewer.role {
        Role::Operator | Role::Admin => Ok(()),
        _ => Err(AppError::Forbidden),
    }
}

/// Where a new user is placed, as resolved by the service.
pub enum Placement {
    Mission { country: CountryCode },
    Organization,
}

/// Creating a user: the operator bootstraps each country's admins and creates
/// liaisons; an admin creates diplomats, coordinators and admins in their own
/// country's missions, and liaisons. Nobody creates operators through the API.
pub fn may_create_user(viewer: &Viewer, role: Role, placement: &Placement) -> AppResult<()> {
    let allowed = match (viewer.role, role, placement) {
        (_, Role::Operator, _) => false,
        (Role::Operator, Role::Admin, Placement::Mission { .. }) => true,
        (Role::Operator | Role::Admin, Role::Liaison, Placement::Organization) => true,
        (Role::Admin, _, Placement::Mission { country }) => {
            viewer.country == Some(*country) && role.affiliation() == Affiliation::Mission
        }
        _ => false,
    };
    if allowed {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// Deactivating or reactivating a user: an admin for users of their own
/// country; the operator for admins and liaisons. Never oneself.
pub fn may_manage_user(
    viewer: &Viewer,
    target: &user::Model,
    target_country: Option<CountryCode>,
) -> AppResult<()> {
    if target.id == viewer.user_id {
        return Err(AppError::bad_input(
            "userId",
            msg!("input-you-cannot-change-your-own"),
        ));
    }
    let role = target
        .role
        .parse::<Role>()
        .map_err(|_| AppError::internal("unknown stored role"))?;
    let allowed = match viewer.role {
        Role::Operator => matches!(role, Role::Admin | Role::Liaison),
        Role::Admin => target_country.is_some() && target_country == viewer.country,
        _ => false,
    };
    if allowed {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// Creating an organization: the operator or any country's admin.
pub fn may_create_organization(viewer: &Viewer) -> AppResult<()> {
    match viewer.role {
        Role::Operator | Role::Admin => Ok(()),
        _ => Err(AppError::Forbidden),
    }
}

/// Creating a coalition: an admin, whose country convenes it.
pub fn convener_for_new_coalition(viewer: &Viewer) -> AppResult<CountryCode> {
    match (viewer.role, viewer.country) {
        (Role::Admin, Some(country)) => Ok(country),
        _ => Err(AppError::Forbidden),
    }
}

/// Changing a coalition's members: the convening country's admins.
pub fn may_manage_coalition(viewer: &Viewer, coalition: &coalition::Model) -> AppResult<()> {
    match (viewer.role, viewer.country) {
        (Role::Admin, Some(c)) if c.as_str() == coalition.convener_country => Ok(()),
        _ => Err(AppError::Forbidden),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use uuid::Uuid;

    fn viewer(role: Role, country: Option<&str>) -> Viewer {
        Viewer {
            user_id: Uuid::new_v4(),
            session_id: Uuid::new_v4(),
            role,
            country: country.map(CountryCode::from_stored),
            mission_id: None,
            organization_id: None,
            unlock: None,
            reading: Default::default(),
        }
    }

    fn in_mission(c: &str) -> Placement {
        Placement::Mission {
            country: CountryCode::from_stored(c),
        }
    }

    #[test]
    fn admins_create_users_only_in_their_own_country() {
        let ca = viewer(Role::Admin, Some("CA"));
        assert!(may_create_user(&ca, Role::Diplomat, &in_mission("CA")).is_ok());
        assert!(may_create_user(&ca, Role::Admin, &in_mission("CA")).is_ok());
        assert!(may_create_user(&ca, Role::Diplomat, &in_mission("NL")).is_err());
        assert!(may_create_user(&ca, Role::Operator, &Placement::Organization).is_err());
        assert!(may_create_user(&ca, Role::Liaison, &Placement::Organization).is_ok());
    }

    #[test]
    fn operator_bootstraps_admins_and_liaisons_only() {
        let op = viewer(Role::Operator, None);
        assert!(may_create_user(&op, Role::Admin, &in_mission("NL")).is_ok());
        assert!(may_create_user(&op, Role::Liaison, &Placement::Organization).is_ok());
        assert!(may_create_user(&op, Role::Diplomat, &in_mission("NL")).is_err());
        assert!(may_create_user(&op, Role::Operator, &Placement::Organization).is_err());
    }

    #[test]
    fn diplomats_and_liaisons_create_nothing() {
        for v in [
            viewer(Role::Diplomat, Some("CA")),
            viewer(Role::Liaison, None),
        ] {
            assert!(may_create_user(&v, Role::Diplomat, &in_mission("CA")).is_err());
            assert!(may_create_mission(&v, CountryCode::from_stored("CA")).is_err());
            assert!(may_create_organization(&v).is_err());
            assert!(convener_for_new_coalition(&v).is_err());
        }
        assert!(missions(&viewer(Role::Liaison, None)).is_err());
    }
}
