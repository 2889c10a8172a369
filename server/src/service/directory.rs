//! Missions, users, organizations and coalitions.
//!
//! A coalition change is found through the viewer's coalition scope, locked,
//! decided by a pure rule, written, audited, and the cases whose sight moved
//! are announced after commit.
use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait,
    QueryFilter, QuerySelect, TransactionTrait,
};
use uuid::Uuid;

use crate::audit::{self, Action, Actor, Event, ObjectType};
use crate::auth::Viewer;
use crate::domain::ids::new_id;
use crate::domain::{CountryCode, Email, Password, Role, bounded_text, parse_timezone};
use crate::error::{AppError, AppResult};
use crate::msg;
use crate::policy::access;
use crate::policy::directory::{self as policy, Placement};
use crate::service::auth::revoke_all_sessions;
use crate::service::identity;
use crate::state::AppState;
use crate::store::{self, coalition, coalition_member, mission, organization, user};

/// Longest names and places accepted anywhere in the directory.
pub const MAX_NAME: usize = 200;
pub const MAX_CITY: usize = 100;
pub const MAX_DISPLAY_NAME: usize = 120;
/// Most countries a coalition holds besides its convener: at creation, and
/// after any number of additions (so a case shared with it reaches a bounded
/// list of members).
pub const MAX_COALITION_MEMBERS: usize = 60;

pub struct NewMission {
    pub country: String,
    pub host_country: String,
    pub city: String,
    pub name: String,
    pub timezone: String,
}

pub async fn create_mission(
    state: &AppState,
    viewer: &Viewer,
    input: NewMission,
) -> AppResult<mission::Model> {
    let country = CountryCode::parse("country", &input.country)?;
    let host_country = CountryCode::parse("hostCountry", &input.host_country)?;
    let city = bounded_text("city", &input.city, MAX_CITY)?;
    let name = bounded_text("name", &input.name, MAX_NAME)?;
    let timezone = parse_timezone("timezone", &input.timezone)?;
    policy::may_create_mission(viewer, country)?;

    let txn = state.db.begin().await?;
    let created = mission::ActiveModel {
        id: Set(new_id()),
        country: Set(country.to_string()),
        host_country: Set(host_country.to_string()),
        city: Set(city),
        name: Set(name),
        timezone: Set(timezone.name().to_owned()),
        created_at: Set(Utc::now()),
        second_factor_required: Set(false),
    }
    .insert(&txn)
    .await
    .map_err(|e| {
        AppError::unique_or(
            e,
            AppError::bad_input("name", msg!("input-this-country-already-has-a")),
        )
    })?;
    audit::append(
        &txn,
        Event::new(viewer, Action::MissionCreated, ObjectType::Mission)
            .object(created.id, Some(country)),
    )
    .await?;
    txn.commit().await?;
    Ok(created)
}

pub struct NewUser {
    pub email: String,
    pub display_name: String,
    pub password: String,
    pub role: Role,
    pub mission_id: Option<Uuid>,
    pub organization_id: Option<Uuid>,
}

pub async fn create_user(
    state: &AppState,
    viewer: &Viewer,
    input: NewUser,
) -> AppResult<user::Model> {
    let email = Email::parse("email", &input.email)?;
    let display_name = bounded_text("displayName", &input.display_name, MAX_DISPLAY_NAME)?;
    let password = Password::parse("password", &input.password)?;
    policy::may_manage_directory(viewer)?;
    // Hash before the transaction: on SQLite it holds the only connection.
    let user_id = new_id();
    // Their key pair, wrapped under the password they were given (so an
    // admin can grant them the country key before they first sign in);
    // derived off the transaction too.
    let member_key = identity::new_member_key_row(state, user_id, password.expose()).await?;
    let hash = hash_password(state, password).await?;

    let txn = state.db.begin().await?;
    let placement = place_user(&txn, input.role, input.mission_id, input.organization_id).await?;
    policy::may_create_user(viewer, input.role, &placement)?;
    let country = match placement {
        Placement::Mission { country } => Some(country),
        Placement::Organization => None,
    };
    let created = insert_user(
        &txn,
        user_id,
        &email,
        display_name,
        hash,
        input.role,
        input.mission_id,
        input.organization_id,
    )
    .await
    .map_err(|e| match e {
        // Lost a race with another creation of the same email.
        AppError::Conflict(_) => AppError::bad_input("email", msg!("input-is-already-in-use")),
        other => other,
    })?;
    if country.is_some() {
        store::member_key::insert(&txn, member_key).await?;
    }
    audit::append(
        &txn,
        Event::new(viewer, Action::UserCreated, ObjectType::User)
            .object(created.id, country)
            .detail(format!("role={}", input.role)),
    )
    .await?;
    txn.commit().await?;
    // Admins and coordinators created by an unlocked admin hold the
    // country key from the start.
    identity::grant_on_creation(state, viewer, created.id, input.role).await?;
    Ok(created)
}

/// Hashes off the async threads (argon2 is deliberately slow).
pub(crate) async fn hash_password(state: &AppState, password: Password) -> AppResult<String> {
    let hasher = state.hasher.clone();
    tokio::task::spawn_blocking(move || hasher.hash(password.expose()))
        .await
        .map_err(AppError::internal)?
}

#[allow(clippy::too_many_arguments)]
async fn insert_user(
    db: &impl ConnectionTrait,
    id: Uuid,
    email: &Email,
    display_name: String,
    password_hash: String,
    role: Role,
    mission_id: Option<Uuid>,
    organization_id: Option<Uuid>,
) -> AppResult<user::Model> {
    Ok(user::ActiveModel {
        id: Set(id),
        email: Set(email.as_str().to_owned()),
        display_name: Set(display_name),
        password_hash: Set(password_hash),
        role: Set(role.as_str().to_owned()),
        mission_id: Set(mission_id),
        organization_id: Set(organization_id),
        active: Set(true),
        created_at: Set(Utc::now()),
        deactivated_at: Set(None),
        language: Set(None),
        timezone: Set(None),
    }
    .insert(db)
    .await?)
}

/// Checks that the role's affiliation was given (and only it) and exists.
async fn place_user(
    db: &impl ConnectionTrait,
    role: Role,
    mission_id: Option<Uuid>,
    organization_id: Option<Uuid>,
) -> AppResult<Placement> {
    use crate::domain::role::Affiliation;
    match (role.affiliation(), mission_id, organization_id) {
        (Affiliation::Mission, Some(id), None) => {
            let m = mission::Entity::find_by_id(id)
                .one(db)
                .await?
                .ok_or_else(|| AppError::bad_input("missionId", msg!("input-no-such-mission")))?;
            Ok(Placement::Mission {
                country: CountryCode::from_stored(&m.country),
            })
        }
        (Affiliation::Mission, _, _) => Err(AppError::bad_input(
            "missionId",
            msg!("input-diplomats-coordinators-and-admins-need"),
        )),
        (Affiliation::Organization, None, Some(id)) => {
            organization::Entity::find_by_id(id)
                .one(db)
                .await?
                .ok_or_else(|| {
                    AppError::bad_input("organizationId", msg!("input-no-such-organization"))
                })?;
            Ok(Placement::Organization)
        }
        (Affiliation::Organization, _, _) => Err(AppError::bad_input(
            "organizationId",
            msg!("input-liaisons-need-an-organizationid-and"),
        )),
        (Affiliation::Platform, _, _) => Err(AppError::Forbidden),
    }
}

/// Deactivates (or reactivates) a user; deactivation ends their sessions at once.
pub async fn set_user_active(
    state: &AppState,
    viewer: &Viewer,
    user_id: Uuid,
    active: bool,
) -> AppResult<user::Model> {
    let txn = state.db.begin().await?;
    let target = user::Entity::find_by_id(user_id)
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    let country = match target.mission_id {
        Some(m) => mission::Entity::find_by_id(m)
            .one(&txn)
            .await?
            .map(|m| CountryCode::from_stored(&m.country)),
        None => None,
    };
    // A user outside the viewer's directory scope does not exist for them.
    let visible = policy::users(viewer)
        .filter(user::Column::Id.eq(user_id))
        .count(&txn)
        .await?;
    if visible == 0 {
        return Err(AppError::NotFound);
    }
    policy::may_manage_user(viewer, &target, country)?;
    if target.active == active {
        return Ok(target);
    }
    let mut model: user::ActiveModel = target.into();
    model.active = Set(active);
    model.deactivated_at = Set((!active).then(Utc::now));
    let updated = model.update(&txn).await?;
    if !active {
        revoke_all_sessions(&txn, user_id).await?;
        // Their copies of the country key go with them: reactivation
        // needs a new grant.
        identity::forget_member(&txn, user_id).await?;
    }
    let action = if active {
        Action::UserReactivated
    } else {
        Action::UserDeactivated
    };
    audit::append(
        &txn,
        Event::new(viewer, action, ObjectType::User).object(user_id, country),
    )
    .await?;
    txn.commit().await?;
    if !active {
        state.live.sessions_ended(&state.db, user_id).await;
    }
    Ok(updated)
}

pub async fn create_organization(
    state: &AppState,
    viewer: &Viewer,
    name: &str,
    host_country: &str,
) -> AppResult<organization::Model> {
    let name = bounded_text("name", name, MAX_NAME)?;
    let host_country = CountryCode::parse("hostCountry", host_country)?;
    policy::may_create_organization(viewer)?;
    let txn = state.db.begin().await?;
    let created = organization::ActiveModel {
        id: Set(new_id()),
        name: Set(name),
        host_country: Set(host_country.to_string()),
        created_at: Set(Utc::now()),
    }
    .insert(&txn)
    .await
    .map_err(|e| {
        AppError::unique_or(
            e,
            AppError::bad_input("name", msg!("input-an-organization-with-that-name")),
        )
    })?;
    audit::append(
        &txn,
        Event::new(
            viewer,
            Action::OrganizationCreated,
            ObjectType::Organization,
        )
        .object(created.id, viewer.country),
    )
    .await?;
    txn.commit().await?;
    Ok(created)
}

pub async fn create_coalition(
    state: &AppState,
    viewer: &Viewer,
    name: &str,
    host_country: &str,
    members: &[String],
) -> AppResult<coalition::Model> {
    let name = bounded_text("name", name, MAX_NAME)?;
    let host_country = CountryCode::parse("hostCountry", host_country)?;
    if members.len() > MAX_COALITION_MEMBERS {
        return Err(AppError::bad_input(
            "members",
            msg!(
                "input-coalition-at-most-countries",
                max = MAX_COALITION_MEMBERS
            ),
        ));
    }
    let mut countries = members
        .iter()
        .map(|m| CountryCode::parse("members", m))
        .collect::<Result<Vec<_>, _>>()?;
    let convener = policy::convener_for_new_coalition(viewer)?;
    // The convening country always belongs to its own coalition.
    countries.push(convener);
    countries.sort();
    countries.dedup();

    let txn = state.db.begin().await?;
    let now = Utc::now();
    let created = coalition::ActiveModel {
        id: Set(new_id()),
        name: Set(name),
        host_country: Set(host_country.to_string()),
        convener_country: Set(convener.to_string()),
        created_at: Set(now),
    }
    .insert(&txn)
    .await
    .map_err(|e| {
        AppError::unique_or(
            e,
            AppError::bad_input("name", msg!("input-your-country-already-convenes-a")),
        )
    })?;
    coalition_member::Entity::insert_many(countries.iter().map(|c| {
        coalition_member::ActiveModel {
            coalition_id: Set(created.id),
            country: Set(c.to_string()),
            added_at: Set(now),
        }
    }))
    .exec_without_returning(&txn)
    .await?;
    let member_list: Vec<String> = countries.iter().map(|c| c.to_string()).collect();
    audit::append(
        &txn,
        Event::new(viewer, Action::CoalitionCreated, ObjectType::Coalition)
            .object(created.id, Some(convener))
            .detail(format!("members={}", member_list.join(","))),
    )
    .await?;
    txn.commit().await?;
    Ok(created)
}

/// Adds or removes a member country. Membership is read at the time of each
/// later access decision, so the change applies to the very next request.
pub async fn change_coalition_member(
    state: &AppState,
    viewer: &Viewer,
    coalition_id: Uuid,
    country: &str,
    add: bool,
) -> AppResult<coalition::Model> {
    let country = CountryCode::parse("country", country)?;
    let txn = state.db.begin().await?;
    let found = policy::coalitions(viewer)
        .filter(coalition::Column::Id.eq(coalition_id))
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    policy::may_manage_coalition(viewer, &found)?;
    // Two additions at once must not both pass the cap below: the
    // coalition's row is locked (after the scope found it) for the count.
    coalition::Entity::find_by_id(coalition_id)
        .lock_exclusive()
        .one(&txn)
        .await?;
    let existing = coalition_member::Entity::find_by_id((coalition_id, country.to_string()))
        .one(&txn)
        .await?;
    let change = decide_member(add, existing, country, &found.convener_country)?;
    write_member(&txn, coalition_id, country, change).await?;
    // The member's sight of cases shared with the coalition moves with it;
    // a country that left may hold roster places on hearings it no longer sees.
    let cases = access::internal_cases_shared_with_coalition(&txn, coalition_id).await?;
    let touched =
        crate::service::cases::visibility_moved(&txn, state.clock.now(), viewer, &cases).await?;
    audit_member(&txn, viewer, coalition_id, country, add).await?;
    state
        .live
        .commit_announcing(txn, &state.db, &touched)
        .await?;
    Ok(found)
}

/// What a membership request does, decided from the member row read.
enum MemberChange {
    Add,
    Remove(coalition_member::Model),
}

/// Adding a member twice is a `CONFLICT`; removing a non-member or the
/// convener is refused.
fn decide_member(
    add: bool,
    existing: Option<coalition_member::Model>,
    country: CountryCode,
    convener: &str,
) -> AppResult<MemberChange> {
    match (add, existing) {
        (true, Some(_)) => Err(AppError::Conflict(msg!(
            "conflict-that-country-is-already-a"
        ))),
        (false, None) => Err(AppError::bad_input(
            "country",
            msg!("input-is-not-a-member-of"),
        )),
        (false, Some(_)) if country.as_str() == convener => Err(AppError::bad_input(
            "country",
            msg!("input-the-convening-country-cannot-leave"),
        )),
        (true, None) => Ok(MemberChange::Add),
        (false, Some(m)) => Ok(MemberChange::Remove(m)),
    }
}

/// Writes the change; an addition counts the members first (the
/// coalition's row is locked by the caller) to keep the cap.
async fn write_member(
    txn: &impl ConnectionTrait,
    coalition_id: Uuid,
    country: CountryCode,
    change: MemberChange,
) -> AppResult<()> {
    match change {
        MemberChange::Add => {
            let members = coalition_member::Entity::find()
                .filter(coalition_member::Column::CoalitionId.eq(coalition_id))
                .count(txn)
                .await?;
            // The convener, and at most MAX_COALITION_MEMBERS others, as at creation.
            if members > MAX_COALITION_MEMBERS as u64 {
                return Err(AppError::Conflict(msg!(
                    "conflict-coalition-full",
                    max = MAX_COALITION_MEMBERS
                )));
            }
            coalition_member::ActiveModel {
                coalition_id: Set(coalition_id),
                country: Set(country.to_string()),
                added_at: Set(Utc::now()),
            }
            .insert(txn)
            .await?;
        }
        MemberChange::Remove(m) => {
            coalition_member::Entity::delete_by_id((m.coalition_id, m.country))
                .exec(txn)
                .await?;
        }
    }
    Ok(())
}

/// The audit event of a membership change.
async fn audit_member(
    txn: &impl ConnectionTrait,
    viewer: &Viewer,
    coalition_id: Uuid,
    country: CountryCode,
    add: bool,
) -> AppResult<()> {
    let action = if add {
        Action::CoalitionMemberAdded
    } else {
        Action::CoalitionMemberRemoved
    };
    audit::append(
        txn,
        Event::new(viewer, action, ObjectType::Coalition)
            .object(coalition_id, viewer.country)
            .detail(format!("country={country}")),
    )
    .await
}

/// Creates the platform operator unless a user with that email exists.
/// Returns whether one was created.
pub async fn bootstrap_operator(
    state: &AppState,
    email: &str,
    password: &str,
    display_name: &str,
) -> AppResult<bool> {
    let email = Email::parse("email", email)?;
    let password = Password::parse("password", password)?;
    let display_name = bounded_text("displayName", display_name, MAX_DISPLAY_NAME)?;
    let hash = hash_password(state, password).await?;
    let txn = state.db.begin().await?;
    let exists = user::Entity::find()
        .filter(user::Column::Email.eq(email.as_str()))
        .count(&txn)
        .await?;
    if exists > 0 {
        return Ok(false);
    }
    let created = match insert_user(
        &txn,
        new_id(),
        &email,
        display_name,
        hash,
        Role::Operator,
        None,
        None,
    )
    .await
    {
        Ok(created) => created,
        // Another replica starting at the same moment created it first.
        Err(AppError::Conflict(_)) => return Ok(false),
        Err(e) => return Err(e),
    };
    audit::append(
        &txn,
        Event::new(
            Actor::SYSTEM,
            Action::OperatorBootstrapped,
            ObjectType::User,
        )
        .object(created.id, None),
    )
    .await?;
    txn.commit().await?;
    Ok(true)
}

/// Country codes with at least one mission on the platform.
pub async fn participating_countries(state: &AppState) -> AppResult<Vec<String>> {
    use sea_orm::{QueryOrder, QuerySelect};
    Ok(mission::Entity::find()
        .select_only()
        .column(mission::Column::Country)
        .distinct()
        .order_by_asc(mission::Column::Country)
        .into_tuple::<String>()
        .all(&state.db)
        .await?)
}

/// The name of organization `id` if the viewer may see it (the API's
/// `AttackReport.organization`, read through the same scope).
pub async fn visible_organization_name(
    state: &AppState,
    viewer: &Viewer,
    id: Uuid,
) -> AppResult<Option<String>> {
    Ok(policy::organizations(viewer)
        .filter(organization::Column::Id.eq(id))
        .one(&state.db)
        .await?
        .map(|o| o.name))
}

/// One page of the users the viewer may see (an admin: their country's
/// mission users), by id: the scope the API's `Mission.users` pages.
pub async fn users_page(
    state: &AppState,
    viewer: &Viewer,
    first: Option<i32>,
    after: Option<String>,
) -> AppResult<(Vec<user::Model>, crate::policy::paging::PageShape)> {
    use crate::policy::Order;
    use crate::policy::paging::{Total, page};
    policy::may_manage_directory(viewer)?;
    let db = &state.db;
    page(
        db,
        policy::users(viewer),
        Total::OfScope,
        Order::Id(user::Column::Id),
        first,
        after,
        async |q, _| Ok(q.all(db).await?.into()),
    )
    .await
}

/// Display names of those of `ids` the viewer may see (users scope).
pub async fn user_names(
    state: &AppState,
    viewer: &Viewer,
    ids: &[Uuid],
) -> AppResult<Vec<(Uuid, String)>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(policy::users(viewer)
        .filter(user::Column::Id.is_in(ids.iter().copied()))
        .all(&state.db)
        .await?
        .into_iter()
        .map(|u| (u.id, u.display_name))
        .collect())
}

/// The missions of the viewer's own country (where an admin places users),
/// through the missions scope, by name.
pub async fn own_missions(state: &AppState, viewer: &Viewer) -> AppResult<Vec<mission::Model>> {
    use sea_orm::QueryOrder;
    let Some(country) = viewer.country else {
        return Ok(Vec::new());
    };
    Ok(policy::missions(viewer)?
        .filter(mission::Column::Country.eq(country.as_str()))
        .order_by_asc(mission::Column::Name)
        .all(&state.db)
        .await?)
}

/// Most organizations offered in one choice list.
pub const ORGANIZATION_CHOICES: u64 = 200;

/// Organizations the viewer sees, by name, for placing a liaison.
pub async fn organization_choices(
    state: &AppState,
    viewer: &Viewer,
) -> AppResult<Vec<organization::Model>> {
    use sea_orm::QueryOrder;
    Ok(policy::organizations(viewer)
        .order_by_asc(organization::Column::Name)
        .limit(ORGANIZATION_CHOICES)
        .all(&state.db)
        .await?)
}

/// One page of the coalitions the viewer sees (the API's `coalitions`),
/// each with its member countries, by code.
pub async fn coalitions_page(
    state: &AppState,
    viewer: &Viewer,
    first: Option<i32>,
    after: Option<String>,
) -> AppResult<(
    Vec<(coalition::Model, Vec<String>)>,
    crate::policy::paging::PageShape,
)> {
    use crate::policy::Order;
    use crate::policy::paging::{Total, page};
    use sea_orm::QueryOrder;
    let db = &state.db;
    let (rows, shape) = page(
        db,
        policy::coalitions(viewer),
        Total::OfScope,
        Order::Id(coalition::Column::Id),
        first,
        after,
        async |q, _| Ok(q.all(db).await?.into()),
    )
    .await?;
    let members = coalition_member::Entity::find()
        .filter(coalition_member::Column::CoalitionId.is_in(rows.iter().map(|c| c.id)))
        .order_by_asc(coalition_member::Column::Country)
        .all(db)
        .await?;
    let out = rows
        .into_iter()
        .map(|c| {
            let of: Vec<String> = members
                .iter()
                .filter(|m| m.coalition_id == c.id)
                .map(|m| m.country.clone())
                .collect();
            (c, of)
        })
        .collect();
    Ok((out, shape))
}
