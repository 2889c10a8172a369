//! A country admin's pages: the mission's users (create, deactivate,
//! reactivate), the coalitions the country convenes or belongs to (create,
//! add or remove a country) and the audit trail the API shows this admin.
//! Every read and write is the GraphQL resolver's (`service::directory`,
//! `policy::directory`, `policy::audit`).
use askama::Template;
use axum::Form;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use serde::Deserialize;

use super::Web;
use super::error::WebError;
use super::page::Choice;
use super::page::{Flash, FormErrors, Nav, done, html, ok};
use super::reports::{all_countries, country_name};
use super::session::{SignedIn, encode_component};
use crate::auth::Viewer;
use crate::domain::ids::{self, Kind};
use crate::domain::{CountryCode, Role};
use crate::error::{AppError, AppResult};
use crate::i18n::t;
use crate::msg;
use crate::policy::audit as audit_policy;
use crate::policy::paging::{PageShape, Positioned};
use crate::service::{auth, directory};

/// Confirmations of this area's changes: each code with its message id.
pub const DONE: &[(&str, &str)] = &[
    ("user-created", "admin-done-user-created"),
    ("user-deactivated", "admin-done-user-deactivated"),
    ("user-reactivated", "admin-done-user-reactivated"),
    ("coalition-created", "admin-done-coalition-created"),
    ("member-added", "admin-done-member-added"),
    ("member-removed", "admin-done-member-removed"),
];

/// This area's routes.
pub fn routes() -> Router<Web> {
    Router::new()
        .route("/admin/users", get(users_page).post(create_user))
        .route("/admin/users/{id}/deactivate", post(deactivate))
        .route("/admin/users/{id}/reactivate", post(reactivate))
        .route(
            "/admin/coalitions",
            get(coalitions_page).post(create_coalition),
        )
        .route("/admin/coalitions/{id}/members", post(add_member))
        .route(
            "/admin/coalitions/{id}/members/{country}/remove",
            post(remove_member),
        )
        .route("/admin/audit", get(audit_page))
}

/// Rows on one page.
const PAGE: i32 = 50;
/// Coalitions on one page: each carries a list of countries to add, and a
/// page must stay small.
const COALITION_PAGE: i32 = 10;

#[derive(Deserialize, Default)]
struct After {
    after: Option<String>,
}

/// The pager's links: the first page again, and the next one after `last`.
fn pager(base: &str, params: &str, shape: &PageShape, last: Option<String>) -> Pager {
    let join = |extra: Option<String>| {
        let mut parts: Vec<String> = Vec::new();
        if let Some(e) = extra {
            parts.push(e);
        }
        if !params.is_empty() {
            parts.push(params.to_owned());
        }
        if parts.is_empty() {
            base.to_owned()
        } else {
            format!("{base}?{}", parts.join("&"))
        }
    };
    Pager {
        first: shape.has_previous.then(|| join(None)),
        next: match (shape.has_next, last) {
            (true, Some(cursor)) => Some(join(Some(format!("after={cursor}")))),
            _ => None,
        },
    }
}

pub struct Pager {
    pub first: Option<String>,
    pub next: Option<String>,
}

async fn name_of(web: &Web, viewer: &Viewer) -> AppResult<String> {
    Ok(auth::current_user(&web.state, viewer).await?.display_name)
}

/// A stored role's name in the page's language.
fn role_name(raw: &str) -> String {
    match Role::from_stored(raw) {
        Some(role) => t(super::page::role_label(role)),
        None => t("admin-role-unknown"),
    }
}

/// A refusal as the page's form error, with the API's own status.
fn status_of(err: &AppError) -> StatusCode {
    match err {
        AppError::Conflict(_) => StatusCode::CONFLICT,
        AppError::Forbidden => StatusCode::FORBIDDEN,
        AppError::NotFound => StatusCode::NOT_FOUND,
        AppError::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
        _ => StatusCode::BAD_REQUEST,
    }
}

// ---------------------------------------------------------------- users

pub struct UserRow {
    pub id: String,
    pub name: String,
    pub email: String,
    pub role: String,
    pub mission: String,
    pub active: bool,
    pub is_me: bool,
    /// Whether they are an assessor of the admin's country; `None` where
    /// they cannot be one (liaisons, or an operator's view).
    pub assessor: Option<bool>,
}

/// What was typed into the new user form (never the password).
#[derive(Deserialize, Default)]
struct NewUserForm {
    #[serde(default)]
    email: String,
    #[serde(default, rename = "displayName")]
    display_name: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    role: String,
    #[serde(default, rename = "missionId")]
    mission_id: String,
    #[serde(default, rename = "organizationId")]
    organization_id: String,
}

/// The new user form's fields, each with its label's message id.
const USER_FIELDS: &[(&str, &str)] = &[
    ("email", "admin-users-field-email"),
    ("displayName", "admin-users-field-name"),
    ("password", "admin-users-field-password"),
    ("role", "admin-users-field-role"),
    ("missionId", "admin-users-field-mission"),
    ("organizationId", "admin-users-field-organization"),
];

#[derive(Template)]
#[template(path = "admin_users.html")]
struct UsersPage {
    nav: Nav,
    title: String,
    errors: FormErrors,
    rows: Vec<UserRow>,
    total: u64,
    pager: Pager,
    email: String,
    display_name: String,
    roles: Vec<Choice>,
    missions: Vec<Choice>,
    organizations: Vec<Choice>,
    min_password: usize,
    /// Mission admins: whether their mission requires two-step sign-in.
    second_factor_required: Option<bool>,
}

async fn users_view(
    web: &Web,
    viewer: &Viewer,
    after: Option<String>,
    typed: NewUserForm,
    errors: FormErrors,
    flash: Option<String>,
) -> AppResult<UsersPage> {
    let name = name_of(web, viewer).await?;
    let (users, shape) = directory::users_page(&web.state, viewer, Some(PAGE), after).await?;
    let missions = directory::own_missions(&web.state, viewer).await?;
    let organizations = directory::organization_choices(&web.state, viewer).await?;
    let last = users.last().map(|u| u.position().cursor());
    let ids_on_page: Vec<uuid::Uuid> = users.iter().map(|u| u.id).collect();
    let assessors =
        crate::service::assessments::assessors_among(&web.state, viewer, &ids_on_page).await?;
    let may_assess = viewer.role == Role::Admin && viewer.country.is_some();
    let rows = users
        .into_iter()
        .map(|u| UserRow {
            assessor: (may_assess && u.mission_id.is_some() && u.role != Role::Liaison.as_str())
                .then(|| assessors.contains(&u.id)),
            id: ids::encode(Kind::User, u.id),
            mission: u
                .mission_id
                .and_then(|m| missions.iter().find(|x| x.id == m))
                .map(|m| m.name.clone())
                .unwrap_or_default(),
            role: role_name(&u.role),
            is_me: u.id == viewer.user_id,
            name: u.display_name,
            email: u.email,
            active: u.active,
        })
        .collect();
    let role_now = if typed.role.is_empty() {
        Role::Diplomat.as_str().to_owned()
    } else {
        typed.role.clone()
    };
    let roles = [
        Role::Diplomat,
        Role::Coordinator,
        Role::Admin,
        Role::Liaison,
    ]
    .iter()
    .map(|r| Choice {
        value: r.as_str().to_owned(),
        label: t(super::page::role_label(*r)),
        selected: role_now == r.as_str(),
    })
    .collect();
    let missions = missions
        .iter()
        .map(|m| {
            let id = ids::encode(Kind::Mission, m.id);
            Choice {
                selected: typed.mission_id == id,
                label: format!("{} ({})", m.name, m.city),
                value: id,
            }
        })
        .collect();
    let organizations = organizations
        .iter()
        .map(|o| {
            let id = ids::encode(Kind::Organization, o.id);
            Choice {
                selected: typed.organization_id == id,
                label: o.name.clone(),
                value: id,
            }
        })
        .collect();
    Ok(UsersPage {
        second_factor_required: crate::service::second_factor::mission_rule_for_admin(
            &web.state, viewer,
        )
        .await?,
        nav: Nav::of(viewer, &name, "/admin/users").with_flash(flash),
        title: match viewer.country {
            Some(c) => crate::i18n::current().text1(
                "admin-users-heading",
                "country",
                super::page::country_name(c),
            ),
            None => t("admin-users-title"),
        },
        errors,
        rows,
        total: shape.total_count,
        pager: pager("/admin/users", "", &shape, last),
        email: typed.email,
        display_name: typed.display_name,
        roles,
        missions,
        organizations,
        min_password: crate::domain::Password::MIN_CHARS,
    })
}

/// `GET /admin/users`.
async fn users_page(
    State(web): State<Web>,
    SignedIn(viewer): SignedIn,
    Flash(flash): Flash,
    Query(q): Query<After>,
) -> Result<Response, WebError> {
    let page = users_view(
        &web,
        &viewer,
        q.after,
        NewUserForm::default(),
        FormErrors::default(),
        flash,
    )
    .await?;
    Ok(ok(&page))
}

/// `POST /admin/users` (`createUser`): a refusal comes back beside its
/// field, what was typed kept (the password excepted).
async fn create_user(
    State(web): State<Web>,
    SignedIn(viewer): SignedIn,
    Form(form): Form<NewUserForm>,
) -> Result<Response, WebError> {
    let input = new_user(&form);
    let created = match input {
        Ok(input) => directory::create_user(&web.state, &viewer, input).await,
        Err(err) => Err(err),
    };
    match created {
        Ok(_) => Ok(done("/admin/users", "user-created")),
        Err(err @ (AppError::BadUserInput(_) | AppError::Conflict(_) | AppError::NotFound)) => {
            let errors = FormErrors::from_error(&err, USER_FIELDS, "email");
            let status = status_of(&err);
            let page = users_view(&web, &viewer, None, form, errors, None).await?;
            Ok(html(status, &page))
        }
        Err(err) => Err(err.into()),
    }
}

/// The service's input from the form: a mission for mission roles, an
/// organization for liaisons, as the API's `CreateUserInput` carries them.
fn new_user(form: &NewUserForm) -> AppResult<directory::NewUser> {
    let role = Role::from_stored(&form.role)
        .ok_or_else(|| AppError::bad_input("role", msg!("input-choose-a-role")))?;
    let pick = |kind: Kind, field: &str, raw: &str| -> AppResult<Option<uuid::Uuid>> {
        if raw.trim().is_empty() {
            return Ok(None);
        }
        ids::decode(kind, raw)
            .map(Some)
            .ok_or_else(|| AppError::bad_input(field, msg!("input-choose-one-from-the-list")))
    };
    let (mission_id, organization_id) = if role == Role::Liaison {
        (
            None,
            pick(Kind::Organization, "organizationId", &form.organization_id)?,
        )
    } else {
        (pick(Kind::Mission, "missionId", &form.mission_id)?, None)
    };
    Ok(directory::NewUser {
        email: form.email.clone(),
        display_name: form.display_name.clone(),
        password: form.password.clone(),
        role,
        mission_id,
        organization_id,
    })
}

async fn set_active(
    web: &Web,
    viewer: &Viewer,
    id: &str,
    active: bool,
) -> Result<Response, WebError> {
    let user_id = ids::decode(Kind::User, id).ok_or(AppError::NotFound)?;
    match directory::set_user_active(&web.state, viewer, user_id, active).await {
        Ok(_) if active => Ok(done("/admin/users", "user-reactivated")),
        Ok(_) => Ok(done("/admin/users", "user-deactivated")),
        Err(err @ AppError::BadUserInput(_)) => {
            let errors = FormErrors::from_error(&err, &[], "users");
            let page = users_view(web, viewer, None, NewUserForm::default(), errors, None).await?;
            Ok(html(StatusCode::BAD_REQUEST, &page))
        }
        Err(err) => Err(err.into()),
    }
}

/// `POST /admin/users/{id}/deactivate` (`deactivateUser`): their sessions,
/// page sessions included, end at once.
async fn deactivate(
    State(web): State<Web>,
    SignedIn(viewer): SignedIn,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    set_active(&web, &viewer, &id, false).await
}

/// `POST /admin/users/{id}/reactivate` (`reactivateUser`).
async fn reactivate(
    State(web): State<Web>,
    SignedIn(viewer): SignedIn,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    set_active(&web, &viewer, &id, true).await
}

// ---------------------------------------------------------------- coalitions

pub struct CoalitionView {
    pub id: String,
    pub name: String,
    pub host: String,
    pub convener: String,
    /// The viewer's country convenes it: its admins change the members.
    pub manage: bool,
    pub members: Vec<Choice>,
    /// Participating countries not yet members.
    pub addable: Vec<Choice>,
}

#[derive(Deserialize, Default)]
struct NewCoalitionForm {
    name: String,
    host_country: String,
    members: Vec<String>,
}

impl NewCoalitionForm {
    fn from_pairs(pairs: Vec<(String, String)>) -> NewCoalitionForm {
        let mut f = NewCoalitionForm::default();
        for (k, v) in pairs {
            match k.as_str() {
                "name" => f.name = v,
                "hostCountry" => f.host_country = v,
                "members" => f.members.push(v),
                _ => {}
            }
        }
        f
    }
}

/// The new coalition form's fields, each with its label's message id.
const COALITION_FIELDS: &[(&str, &str)] = &[
    ("name", "admin-coalitions-field-name"),
    ("hostCountry", "admin-coalitions-field-host"),
    ("members", "admin-coalitions-field-members"),
];

#[derive(Template)]
#[template(path = "admin_coalitions.html")]
struct CoalitionsPage {
    nav: Nav,
    errors: FormErrors,
    coalitions: Vec<CoalitionView>,
    total: u64,
    pager: Pager,
    may_create: bool,
    name: String,
    hosts: Vec<Choice>,
    members: Vec<Choice>,
}

async fn coalitions_view(
    web: &Web,
    viewer: &Viewer,
    after: Option<String>,
    typed: NewCoalitionForm,
    errors: FormErrors,
    flash: Option<String>,
) -> AppResult<CoalitionsPage> {
    let name = name_of(web, viewer).await?;
    let (rows, shape) =
        directory::coalitions_page(&web.state, viewer, Some(COALITION_PAGE), after).await?;
    let countries = directory::participating_countries(&web.state).await?;
    let own = viewer.country.map(|c| c.as_str().to_owned());
    let last = rows.last().map(|(c, _)| c.position().cursor());
    let coalitions = rows
        .into_iter()
        .map(|(c, members)| {
            let manage = own.as_deref() == Some(c.convener_country.as_str());
            let mut addable: Vec<Choice> = countries
                .iter()
                .filter(|x| !members.contains(x) && **x != c.convener_country)
                .map(|x| Choice {
                    value: x.clone(),
                    label: country_name(x),
                    selected: false,
                })
                .collect();
            addable.sort_by(|a, b| a.label.cmp(&b.label));
            CoalitionView {
                id: ids::encode(Kind::Coalition, c.id),
                host: country_name(&c.host_country),
                convener: country_name(&c.convener_country),
                manage,
                members: members
                    .iter()
                    .map(|m| Choice {
                        value: m.clone(),
                        label: country_name(m),
                        // The convener stays a member.
                        selected: *m == c.convener_country,
                    })
                    .collect(),
                addable,
                name: c.name,
            }
        })
        .collect();
    let mut members: Vec<Choice> = countries
        .iter()
        .filter(|x| own.as_deref() != Some(x.as_str()))
        .map(|x| Choice {
            selected: typed.members.contains(x),
            label: country_name(x),
            value: x.clone(),
        })
        .collect();
    members.sort_by(|a, b| a.label.cmp(&b.label));
    Ok(CoalitionsPage {
        nav: Nav::of(viewer, &name, "/admin/coalitions").with_flash(flash),
        errors,
        coalitions,
        total: shape.total_count,
        pager: pager("/admin/coalitions", "", &shape, last),
        may_create: viewer.role == Role::Admin && viewer.country.is_some(),
        name: typed.name,
        hosts: all_countries(&typed.host_country),
        members,
    })
}

/// `GET /admin/coalitions`.
async fn coalitions_page(
    State(web): State<Web>,
    SignedIn(viewer): SignedIn,
    Flash(flash): Flash,
    Query(q): Query<After>,
) -> Result<Response, WebError> {
    let page = coalitions_view(
        &web,
        &viewer,
        q.after,
        NewCoalitionForm::default(),
        FormErrors::default(),
        flash,
    )
    .await?;
    Ok(ok(&page))
}

/// A coalition refusal: beside the field it names (`members[2]` is the
/// members' group), else at the top under `fallback` (`label`: already in
/// the page's language).
fn coalition_errors(err: &AppError, fallback: &str, label: &str) -> FormErrors {
    if let AppError::BadUserInput(input) = err {
        let field = input.field.split('[').next().unwrap_or("");
        if let Some((name, l)) = COALITION_FIELDS.iter().find(|(n, _)| *n == field) {
            let mut errors = FormErrors::default();
            errors.add(name, &t(l), input.reason.text());
            return errors;
        }
    }
    let mut errors = FormErrors::default();
    errors.add(fallback, label, super::error::sentence(err));
    errors
}

/// `POST /admin/coalitions` (`createCoalition`).
async fn create_coalition(
    State(web): State<Web>,
    SignedIn(viewer): SignedIn,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let form = NewCoalitionForm::from_pairs(pairs);
    match directory::create_coalition(
        &web.state,
        &viewer,
        &form.name,
        &form.host_country,
        &form.members,
    )
    .await
    {
        Ok(_) => Ok(done("/admin/coalitions", "coalition-created")),
        Err(err @ (AppError::BadUserInput(_) | AppError::Conflict(_))) => {
            let errors = coalition_errors(&err, "name", &t("admin-coalitions-new-form"));
            let page = coalitions_view(&web, &viewer, None, form, errors, None).await?;
            Ok(html(status_of(&err), &page))
        }
        Err(err) => Err(err.into()),
    }
}

#[derive(Deserialize)]
struct MemberForm {
    #[serde(default)]
    country: String,
}

async fn change_member(
    web: &Web,
    viewer: &Viewer,
    id: &str,
    country: &str,
    add: bool,
) -> Result<Response, WebError> {
    let coalition_id = ids::decode(Kind::Coalition, id).ok_or(AppError::NotFound)?;
    match directory::change_coalition_member(&web.state, viewer, coalition_id, country, add).await {
        Ok(_) if add => Ok(done("/admin/coalitions", "member-added")),
        Ok(_) => Ok(done("/admin/coalitions", "member-removed")),
        Err(err @ (AppError::BadUserInput(_) | AppError::Conflict(_))) => {
            let field = format!("add-{id}");
            let mut errors = FormErrors::default();
            let message = match &err {
                AppError::BadUserInput(input) => input.reason.text(),
                other => super::error::sentence(other),
            };
            errors.add(&field, &t("admin-coalitions-field-add"), message);
            let page =
                coalitions_view(web, viewer, None, NewCoalitionForm::default(), errors, None)
                    .await?;
            Ok(html(status_of(&err), &page))
        }
        Err(err) => Err(err.into()),
    }
}

/// `POST /admin/coalitions/{id}/members` (`addCoalitionMember`).
async fn add_member(
    State(web): State<Web>,
    SignedIn(viewer): SignedIn,
    Path(id): Path<String>,
    Form(form): Form<MemberForm>,
) -> Result<Response, WebError> {
    change_member(&web, &viewer, &id, &form.country, true).await
}

/// `POST /admin/coalitions/{id}/members/{country}/remove`
/// (`removeCoalitionMember`): takes effect on the very next request.
async fn remove_member(
    State(web): State<Web>,
    SignedIn(viewer): SignedIn,
    Path((id, country)): Path<(String, String)>,
) -> Result<Response, WebError> {
    change_member(&web, &viewer, &id, &country, false).await
}

// ---------------------------------------------------------------- audit

/// The message id of a recorded action's name in words: `USER_DEACTIVATED`
/// is `admin-action-user-deactivated` ("User deactivated"). Every action of
/// `Action::ALL` has one in every language (the test below checks).
fn action_label(action: crate::audit::Action) -> String {
    format!(
        "admin-action-{}",
        action.as_str().to_lowercase().replace('_', "-")
    )
}

/// A stored action's name in words, when Accord still records that action.
fn action_words(code: &str) -> Option<String> {
    crate::audit::Action::ALL
        .iter()
        .find(|a| a.as_str() == code)
        .map(|a| t(&action_label(*a)))
}

/// Every recorded action as a choice, labelled in words ("User
/// deactivated"), the one filtered on (any case, as the policy reads it)
/// selected.
fn action_choices(current: &str) -> Vec<Choice> {
    crate::audit::Action::ALL
        .iter()
        .map(|a| {
            let name = a.as_str();
            Choice {
                value: name.to_owned(),
                label: t(&action_label(*a)),
                selected: name.eq_ignore_ascii_case(current),
            }
        })
        .collect()
}

#[derive(Deserialize, Default)]
struct AuditQuery {
    action: Option<String>,
    after: Option<String>,
}

pub struct AuditRow {
    /// RFC 3339, for `<time datetime>`.
    pub iso: String,
    pub when: String,
    /// The action's code (`USER_CREATED`), shown as recorded.
    pub action: String,
    /// The action in words beside its code.
    pub label: Option<String>,
    pub object: String,
    pub country: String,
    pub actor: String,
    pub detail: String,
}

#[derive(Template)]
#[template(path = "admin_audit.html")]
struct AuditPage {
    nav: Nav,
    errors: FormErrors,
    /// The filter's choices: every action Accord records.
    actions: Vec<Choice>,
    rows: Vec<AuditRow>,
    total: u64,
    pager: Pager,
}

/// `GET /admin/audit`: the trail the API's `auditEvents` shows this admin,
/// newest first, optionally of one action.
async fn audit_page(
    State(web): State<Web>,
    SignedIn(viewer): SignedIn,
    Query(q): Query<AuditQuery>,
) -> Result<Response, WebError> {
    let name = name_of(&web, &viewer).await?;
    let action = q.action.clone().unwrap_or_default().trim().to_owned();
    let mut errors = FormErrors::default();
    let (events, shape) = match audit_policy::page(
        &web.state.db,
        &viewer,
        Some(&action),
        Some(PAGE),
        q.after.clone(),
    )
    .await
    {
        Ok(page) => page,
        Err(err @ AppError::BadUserInput(_)) => {
            errors = FormErrors::from_error(&err, &[], "action");
            (
                Vec::new(),
                PageShape {
                    has_previous: false,
                    has_next: false,
                    total_count: 0,
                },
            )
        }
        Err(err) => return Err(err.into()),
    };
    let actors: Vec<uuid::Uuid> = events.iter().filter_map(|e| e.actor_user_id).collect();
    let names = directory::user_names(&web.state, &viewer, &actors).await?;
    let last = events.last().map(|e| e.position().cursor());
    let lang = crate::i18n::current();
    let rows = events
        .into_iter()
        .map(|e| AuditRow {
            iso: e.occurred_at.to_rfc3339(),
            when: lang.datetime_in(e.occurred_at, chrono_tz::UTC),
            label: action_words(&e.action),
            actor: match e.actor_user_id {
                None => t("admin-audit-by-accord"),
                Some(id) => names
                    .iter()
                    .find(|(u, _)| *u == id)
                    .map(|(_, n)| n.clone())
                    .unwrap_or_else(|| match &e.actor_country {
                        Some(c) => lang.text1("admin-audit-by-user-of", "country", country_name(c)),
                        None => t("admin-audit-by-other-country"),
                    }),
            },
            object: match &e.object_id {
                Some(id) => format!("{} {id}", e.object_type),
                None => e.object_type.clone(),
            },
            country: e
                .object_country
                .as_deref()
                .map(|c| {
                    CountryCode::parse("country", c)
                        .map(super::page::country_name)
                        .unwrap_or_else(|_| c.to_owned())
                })
                .unwrap_or_default(),
            action: e.action,
            detail: e.detail.unwrap_or_default(),
        })
        .collect();
    let params = if action.is_empty() {
        String::new()
    } else {
        format!("action={}", encode_component(&action))
    };
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::BAD_REQUEST
    };
    let page = AuditPage {
        nav: Nav::of(&viewer, &name, "/admin/audit"),
        errors,
        actions: action_choices(&action),
        rows,
        total: shape.total_count,
        pager: pager("/admin/audit", &params, &shape, last),
    };
    Ok(html(status, &page))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    /// The ids this file chooses at run time (tables, the actions' names)
    /// exist in every language.
    #[test]
    fn every_label_id_has_a_message_in_every_language() {
        let mut ids: Vec<String> = DONE.iter().map(|(_, id)| (*id).to_owned()).collect();
        ids.extend(USER_FIELDS.iter().map(|(_, id)| (*id).to_owned()));
        ids.extend(COALITION_FIELDS.iter().map(|(_, id)| (*id).to_owned()));
        ids.extend(crate::audit::Action::ALL.iter().map(|a| action_label(*a)));
        for lang in Lang::all() {
            for id in &ids {
                assert_ne!(&lang.text(id), id, "{id} missing in {lang}");
            }
        }
        assert_eq!(
            Lang::SOURCE.text(&action_label(
                crate::audit::Action::StatementDeadlineReminded
            )),
            "Statement deadline reminded"
        );
    }
}
