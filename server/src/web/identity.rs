//! The country's identity key and its reveal requests: the key's status
//! (`service::identity::status`), the reveal inbox
//! (`policy::reveals::inbox`), and for admins setting up, rotating and
//! recovering the key, granting and revoking custodians and re-sealing.
//! Every read and write is the GraphQL resolver's. A new recovery key is
//! shown once, on the page answering the POST that made it (never in an
//! address, a confirmation or a log), and the page is never stored.
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Form, Router};
use sea_orm::{ColumnTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::Deserialize;
use uuid::Uuid;

use super::Web;
use super::cases::{RevealFacts, country_name, in_zone};
use super::error::WebError;
use super::page::{Choice, Flash, FormErrors, Nav, done, html, ok};
use super::session::SignedIn;
use crate::auth::Viewer;
use crate::domain::Role;
use crate::domain::ids::{self, Kind};
use crate::error::AppError;
use crate::msg;
use crate::policy::directory as directory_policy;
use crate::policy::reveals::{self as reveal_policy, Side};
use crate::service::identity::{self as identity_service, KeyStatus, LOSS_WARNING};
use crate::service::reveals::RevealState;
use crate::service::{auth, calendar, directory};
use crate::store::user;

/// Confirmations of this area's changes.
pub const DONE: &[(&str, &str)] = &[
    (
        "key-recovered",
        "The recovery key opened your country's key: you hold it again.",
    ),
    (
        "access-granted",
        "They now hold your country's identity key.",
    ),
    (
        "access-revoked",
        "Their copies of your country's identity key were deleted.",
    ),
    (
        "identities-resealed",
        "Identities were moved to the current key.",
    ),
];

/// This area's routes.
pub fn routes() -> Router<Web> {
    Router::new()
        .route("/identity", get(identity_page))
        .route("/identity/set-up", post(set_up))
        .route("/identity/rotate", post(rotate))
        .route("/identity/recover", post(recover))
        .route("/identity/reseal", post(reseal))
        .route("/identity/custodians", post(grant))
        .route("/identity/custodians/{id}/revoke", post(revoke))
}

/// How many requests the inbox lists.
const INBOX: u64 = 100;
/// How many members the grant list offers.
const GRANTABLE: u64 = 200;

/// The loss warning as a sentence ("If every member …").
fn warning() -> String {
    let text = LOSS_WARNING
        .strip_prefix("must be true: ")
        .unwrap_or(LOSS_WARNING);
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => format!("{}{}.", first.to_uppercase(), chars.as_str()),
        None => String::new(),
    }
}

pub struct Custodian {
    pub id: String,
    pub name: String,
    pub is_me: bool,
}

pub struct InboxRow {
    pub case_href: String,
    pub reference: String,
    pub facts: RevealFacts,
}

#[derive(Template)]
#[template(path = "identity.html")]
struct IdentityPage {
    nav: Nav,
    errors: FormErrors,
    country: String,
    /// "ready", "claimable" or "none".
    state: &'static str,
    created: Option<String>,
    custodian: bool,
    unlocked: bool,
    pending_reseal: u64,
    custodians: Vec<Custodian>,
    waiting: Vec<InboxRow>,
    asked: Vec<InboxRow>,
    admin: bool,
    warning: String,
    grantable: Vec<Choice>,
}

#[derive(Template)]
#[template(path = "identity_new_key.html")]
struct NewKeyPage {
    nav: Nav,
    title: &'static str,
    recovery_key: String,
    pending_reseal: u64,
}

fn key_state(status: &KeyStatus) -> &'static str {
    match status.key.as_ref().map(|k| k.state.as_str()) {
        Some("ACTIVE") => "ready",
        Some("UNCLAIMED") => "claimable",
        _ => "none",
    }
}

async fn nav_of(web: &Web, viewer: &Viewer, flash: Option<String>) -> Result<Nav, WebError> {
    let me = auth::current_user(&web.state, viewer).await?;
    Ok(Nav::of(viewer, &me.display_name, "/identity").with_flash(flash))
}

async fn identity_view(
    web: &Web,
    viewer: &Viewer,
    errors: FormErrors,
    flash: Option<String>,
) -> Result<IdentityPage, WebError> {
    let db = &web.state.db;
    let status = identity_service::status(&web.state, viewer).await?;
    let tz = calendar::viewer_timezone(&web.state, viewer).await?;
    let names = directory::user_names(&web.state, viewer, &status.custodians).await?;
    let mut custodians: Vec<Custodian> = names
        .into_iter()
        .map(|(id, name)| Custodian {
            id: ids::encode(Kind::User, id),
            name,
            is_me: id == viewer.user_id,
        })
        .collect();
    custodians.sort_by(|a, b| a.name.cmp(&b.name));
    // The inbox, each request with its case as the viewer sees it.
    let now = web.state.clock.now();
    let reveals = reveal_policy::inbox(
        db,
        viewer,
        &["PENDING", "APPROVED", "DENIED", "REVOKED"],
        INBOX,
    )
    .await?;
    let case_ids: Vec<Uuid> = reveals.iter().map(|r| r.model().case_id).collect();
    let cases = if case_ids.is_empty() {
        Vec::new()
    } else {
        crate::policy::cases::load(
            db,
            viewer,
            crate::policy::cases::visible(viewer)
                .filter(crate::store::case::Column::Id.is_in(case_ids)),
        )
        .await?
    };
    let mut waiting = Vec::new();
    let mut asked = Vec::new();
    for r in reveals {
        let m = r.model();
        let Some(case) = cases.iter().find(|c| c.model().id == m.case_id) else {
            continue;
        };
        let state = RevealState::of(m, now);
        let row = InboxRow {
            case_href: format!("/cases/{}#reveals", ids::encode(Kind::Case, m.case_id)),
            reference: case.model().reference.clone(),
            facts: RevealFacts::of(m, now, tz),
        };
        match r.level() {
            Side::Owner if state == RevealState::Pending => waiting.push(row),
            Side::Owner => {}
            Side::Requester => asked.push(row),
        }
    }
    let admin = viewer.role == Role::Admin;
    let grantable = if admin && key_state(&status) == "ready" {
        directory_policy::users(viewer)
            .filter(user::Column::Active.eq(true))
            .filter(user::Column::Role.is_in([
                Role::Diplomat.as_str(),
                Role::Coordinator.as_str(),
                Role::Admin.as_str(),
            ]))
            .filter(user::Column::Id.is_not_in(status.custodians.iter().copied()))
            .order_by_asc(user::Column::DisplayName)
            .order_by_asc(user::Column::Id)
            .limit(GRANTABLE)
            .all(db)
            .await?
            .into_iter()
            .map(|u| Choice {
                value: ids::encode(Kind::User, u.id),
                label: format!(
                    "{} ({})",
                    u.display_name,
                    Role::from_stored(&u.role).map_or("", role_label)
                ),
                selected: false,
            })
            .collect()
    } else {
        Vec::new()
    };
    Ok(IdentityPage {
        nav: nav_of(web, viewer, flash).await?,
        errors,
        country: country_name(status.country.as_str()),
        state: key_state(&status),
        created: status.key.as_ref().map(|k| in_zone(k.created_at, tz)),
        custodian: status.custodian,
        unlocked: status.unlocked,
        pending_reseal: status.pending_reseal,
        custodians,
        waiting,
        asked,
        admin,
        warning: warning(),
        grantable,
    })
}

fn role_label(role: Role) -> &'static str {
    match role {
        Role::Diplomat => "diplomat",
        Role::Coordinator => "coordinator",
        Role::Admin => "administrator",
        Role::Liaison => "liaison",
        Role::Operator => "operator",
    }
}

/// `GET /identity`: the country key's status and the reveal inbox.
async fn identity_page(
    State(web): State<Web>,
    SignedIn(viewer): SignedIn,
    Flash(flash): Flash,
) -> Result<Response, WebError> {
    Ok(ok(&identity_view(
        &web,
        &viewer,
        FormErrors::default(),
        flash,
    )
    .await?))
}

/// The status a refused form on this page comes back with; `None` when
/// the refusal is a page of its own.
fn form_status(err: &AppError) -> Option<StatusCode> {
    match err {
        AppError::BadUserInput(_) => Some(StatusCode::BAD_REQUEST),
        AppError::Conflict(_) => Some(StatusCode::CONFLICT),
        AppError::IdentityLocked(_) => Some(StatusCode::FORBIDDEN),
        _ => None,
    }
}

/// The identity page again, with the refused form's error beside its
/// field (`fields`: the service's field, the input's id, its label).
async fn refused(
    web: &Web,
    viewer: &Viewer,
    err: AppError,
    fields: &[(&str, &str, &str)],
    fallback: (&str, &str),
) -> Result<Response, WebError> {
    let Some(status) = form_status(&err) else {
        return Err(err.into());
    };
    let mut errors = FormErrors::default();
    match &err {
        AppError::BadUserInput(input) => {
            let (id, label) = fields
                .iter()
                .find(|(field, _, _)| *field == input.field)
                .map_or(fallback, |(_, id, label)| (*id, *label));
            let message = if input.field == "acknowledgeLossRisk" {
                "Tick the box to confirm you understand the risk of loss".to_owned()
            } else {
                let reason = input.reason.text();
                let mut chars = reason.chars();
                match chars.next() {
                    Some(first) => first.to_uppercase().chain(chars).collect(),
                    None => String::new(),
                }
            };
            errors.add(id, label, message);
        }
        other => errors.add(fallback.0, fallback.1, super::error::sentence(other)),
    }
    let page = identity_view(web, viewer, errors, None).await?;
    Ok(html(status, &page))
}

/// The page answering a POST that made a key: the recovery key, once.
/// Rendered directly (status 200, `no-store`): no redirect, so the key is
/// in no address, no confirmation and no log.
async fn new_key_page(
    web: &Web,
    viewer: &Viewer,
    title: &'static str,
    made: identity_service::NewKey,
) -> Result<Response, WebError> {
    let status = identity_service::status(&web.state, viewer).await?;
    let page = NewKeyPage {
        nav: nav_of(web, viewer, None).await?,
        title,
        recovery_key: made.recovery_key.to_string(),
        pending_reseal: status.pending_reseal,
    };
    Ok(ok(&page))
}

#[derive(Deserialize)]
pub struct SetUpPost {
    #[serde(default)]
    acknowledge: Option<String>,
    #[serde(default, rename = "claimCode")]
    claim_code: String,
}

/// `POST /identity/set-up`: `service::identity::set_up`, as
/// `setUpIdentityKey`.
async fn set_up(
    State(web): State<Web>,
    SignedIn(viewer): SignedIn,
    Form(form): Form<SetUpPost>,
) -> Result<Response, WebError> {
    let claim = Some(form.claim_code.trim()).filter(|c| !c.is_empty());
    match identity_service::set_up(&web.state, &viewer, form.acknowledge.is_some(), claim).await {
        Ok(made) => new_key_page(&web, &viewer, "Your country's identity key is ready", made).await,
        Err(err) => {
            refused(
                &web,
                &viewer,
                err,
                &[
                    ("acknowledgeLossRisk", "acknowledge", "Risk of loss"),
                    ("claimCode", "claimCode", "Claim code"),
                ],
                ("acknowledge", "Set up the key"),
            )
            .await
        }
    }
}

#[derive(Deserialize)]
pub struct RotatePost {
    #[serde(default)]
    acknowledge: Option<String>,
}

/// `POST /identity/rotate`: `service::identity::rotate`, as
/// `rotateIdentityKey`.
async fn rotate(
    State(web): State<Web>,
    SignedIn(viewer): SignedIn,
    Form(form): Form<RotatePost>,
) -> Result<Response, WebError> {
    match identity_service::rotate(&web.state, &viewer, form.acknowledge.is_some()).await {
        Ok(made) => {
            new_key_page(
                &web,
                &viewer,
                "Your country's identity key was replaced",
                made,
            )
            .await
        }
        Err(err) => {
            refused(
                &web,
                &viewer,
                err,
                &[("acknowledgeLossRisk", "rotateAcknowledge", "Risk of loss")],
                ("rotateAcknowledge", "Rotate the key"),
            )
            .await
        }
    }
}

#[derive(Deserialize)]
pub struct RecoverPost {
    #[serde(default, rename = "recoveryKey")]
    recovery_key: String,
}

/// `POST /identity/recover`: `service::identity::recover`, as
/// `recoverIdentityKey`. What was typed is never shown again.
async fn recover(
    State(web): State<Web>,
    SignedIn(viewer): SignedIn,
    Form(form): Form<RecoverPost>,
) -> Result<Response, WebError> {
    let typed = zeroize::Zeroizing::new(form.recovery_key);
    match identity_service::recover(&web.state, &viewer, &typed).await {
        Ok(_) => Ok(done("/identity", "key-recovered")),
        Err(err) => {
            refused(
                &web,
                &viewer,
                err,
                &[("recoveryKey", "recoveryKey", "Recovery key")],
                ("recoveryKey", "Recover the key"),
            )
            .await
        }
    }
}

/// `POST /identity/reseal`: `service::identity::reseal_pending`, as
/// `resealIdentities`.
async fn reseal(State(web): State<Web>, SignedIn(viewer): SignedIn) -> Result<Response, WebError> {
    match identity_service::reseal_pending(&web.state, &viewer).await {
        Ok(_) => Ok(done("/identity", "identities-resealed")),
        Err(err) => refused(&web, &viewer, err, &[], ("reseal", "Re-seal")).await,
    }
}

#[derive(Deserialize)]
pub struct GrantPost {
    #[serde(default, rename = "userId")]
    user_id: String,
}

/// `POST /identity/custodians`: `service::identity::grant`, as
/// `grantIdentityAccess`.
async fn grant(
    State(web): State<Web>,
    SignedIn(viewer): SignedIn,
    Form(form): Form<GrantPost>,
) -> Result<Response, WebError> {
    let result = match ids::decode(Kind::User, form.user_id.trim()) {
        Some(user_id) => identity_service::grant(&web.state, &viewer, user_id).await,
        None => Err(AppError::bad_input("userId", msg!("input-choose-a-member"))),
    };
    match result {
        Ok(()) => Ok(done("/identity", "access-granted")),
        Err(err) => {
            refused(
                &web,
                &viewer,
                err,
                &[("userId", "grantUser", "Member")],
                ("grantUser", "Grant the key"),
            )
            .await
        }
    }
}

/// `POST /identity/custodians/{id}/revoke`: `service::identity::revoke`, as
/// `revokeIdentityAccess`.
async fn revoke(
    State(web): State<Web>,
    SignedIn(viewer): SignedIn,
    Path(raw): Path<String>,
) -> Result<Response, WebError> {
    let user_id = ids::decode(Kind::User, &raw).ok_or(WebError(AppError::NotFound))?;
    let result = identity_service::revoke(&web.state, &viewer, user_id).await;
    match result {
        Ok(()) => Ok(done("/identity", "access-revoked")),
        Err(err) => refused(&web, &viewer, err, &[], ("custodians", "Key holders")).await,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_warning_reads_as_a_sentence() {
        let w = warning();
        assert!(w.starts_with("If every member"), "{w}");
        assert!(w.ends_with("open it."), "{w}");
    }
}
