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
use super::cases::{RevealFacts, country_name};
use super::error::WebError;
use super::page::{Choice, Flash, FormErrors, Nav, done, html, ok};
use super::session::SignedIn;
use crate::auth::Viewer;
use crate::domain::Role;
use crate::domain::ids::{self, Kind};
use crate::error::AppError;
use crate::i18n::t;
use crate::msg;
use crate::policy::directory as directory_policy;
use crate::policy::reveals::{self as reveal_policy, Side};
use crate::service::identity::{self as identity_service, KeyStatus};
use crate::service::reveals::RevealState;
use crate::service::{auth, calendar, directory};
use crate::store::user;

/// Confirmations of this area's changes: each code with its message id.
pub const DONE: &[(&str, &str)] = &[
    ("key-recovered", "identity-done-key-recovered"),
    ("access-granted", "identity-done-access-granted"),
    ("access-revoked", "identity-done-access-revoked"),
    ("identities-resealed", "identity-done-identities-resealed"),
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

pub struct Custodian {
    pub id: String,
    pub name: String,
    pub is_me: bool,
}

pub struct InboxRow {
    /// The request in one sentence, its case a link: HTML, every value in
    /// it escaped (`line`).
    pub line: String,
    pub facts: RevealFacts,
}

/// `text` safe inside HTML.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A request of the inbox as one sentence in the page's language: the case
/// a link, the values escaped (the sentence itself comes from the bundles).
fn inbox_line(href: &str, reference: &str, facts: &RevealFacts, waiting: bool) -> String {
    use crate::i18n::Args;
    let lang = crate::i18n::current();
    let case = format!(
        "<a href=\"{}\">{}</a>",
        escape(href),
        escape(&lang.text1("identity-case-link", "reference", reference))
    );
    let args = Args::new()
        .set("case", case)
        .set("country", escape(&facts.country))
        .set("date", escape(&facts.requested))
        .set(
            "state",
            format!("<strong>{}</strong>", escape(&facts.state)),
        );
    if waiting {
        return lang.text_with("identity-waiting-row", &args);
    }
    match &facts.expires {
        Some(until) => lang.text_with("identity-asked-row-open", &args.set("until", escape(until))),
        None => lang.text_with("identity-asked-row", &args),
    }
}

#[derive(Template)]
#[template(path = "identity.html")]
struct IdentityPage {
    nav: Nav,
    errors: FormErrors,
    country: String,
    /// "ready", "claimable" or "none".
    state: &'static str,
    /// The key's state in words ("Ready, made …").
    key_line: String,
    custodian: bool,
    unlocked: bool,
    pending_reseal: u64,
    custodians: Vec<Custodian>,
    waiting: Vec<InboxRow>,
    asked: Vec<InboxRow>,
    admin: bool,
    grantable: Vec<Choice>,
}

#[derive(Template)]
#[template(path = "identity_new_key.html")]
struct NewKeyPage {
    nav: Nav,
    title: String,
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

/// The key's state in words: ready (and when it was made, in UTC with the
/// viewer's own clock beside), waiting to be claimed, or none.
fn key_line(status: &KeyStatus, tz: chrono_tz::Tz) -> String {
    let lang = crate::i18n::current();
    match (key_state(status), status.key.as_ref()) {
        ("ready", Some(k)) => lang.text1(
            "identity-key-ready-made",
            "when",
            lang.when(k.created_at, chrono_tz::UTC, Some(tz))
                .to_string(),
        ),
        ("ready", None) => lang.text("identity-key-ready"),
        ("claimable", _) => lang.text("identity-key-claimable"),
        _ => lang.text("identity-key-none"),
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
        let href = format!("/cases/{}#reveals", ids::encode(Kind::Case, m.case_id));
        let facts = RevealFacts::of(m, now, tz);
        let reference = &case.model().reference;
        match r.level() {
            Side::Owner if state == RevealState::Pending => waiting.push(InboxRow {
                line: inbox_line(&href, reference, &facts, true),
                facts,
            }),
            Side::Owner => {}
            Side::Requester => asked.push(InboxRow {
                line: inbox_line(&href, reference, &facts, false),
                facts,
            }),
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
                label: crate::i18n::current().text2(
                    "identity-grant-choice",
                    "name",
                    &u.display_name,
                    "role",
                    Role::from_stored(&u.role)
                        .map(|r| t(super::page::role_label(r)))
                        .unwrap_or_default(),
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
        key_line: key_line(&status, tz),
        custodian: status.custodian,
        unlocked: status.unlocked,
        pending_reseal: status.pending_reseal,
        custodians,
        waiting,
        asked,
        admin,
        grantable,
    })
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
/// field (`fields`: the service's field, the input's id, its label in the
/// page's language; `fallback`: the input and label of any other refusal).
async fn refused(
    web: &Web,
    viewer: &Viewer,
    err: AppError,
    fields: &[(&str, &str, String)],
    fallback: (&str, String),
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
                .map_or((fallback.0, fallback.1.as_str()), |(_, id, label)| {
                    (*id, label.as_str())
                });
            let message = if input.field == "acknowledgeLossRisk" {
                t("identity-tick-the-box")
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
        other => errors.add(fallback.0, &fallback.1, super::error::sentence(other)),
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
    title: String,
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
        Ok(made) => new_key_page(&web, &viewer, t("identity-new-key-ready"), made).await,
        Err(err) => {
            refused(
                &web,
                &viewer,
                err,
                &[
                    (
                        "acknowledgeLossRisk",
                        "acknowledge",
                        t("identity-field-risk"),
                    ),
                    ("claimCode", "claimCode", t("identity-claim-code")),
                ],
                ("acknowledge", t("identity-setup-title")),
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
        Ok(made) => new_key_page(&web, &viewer, t("identity-new-key-replaced"), made).await,
        Err(err) => {
            refused(
                &web,
                &viewer,
                err,
                &[(
                    "acknowledgeLossRisk",
                    "rotateAcknowledge",
                    t("identity-field-risk"),
                )],
                ("rotateAcknowledge", t("identity-rotate-title")),
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
                &[("recoveryKey", "recoveryKey", t("identity-recovery-key"))],
                ("recoveryKey", t("identity-recover-submit")),
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
        Err(err) => {
            refused(
                &web,
                &viewer,
                err,
                &[],
                ("reseal", t("identity-field-reseal")),
            )
            .await
        }
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
                &[("userId", "grantUser", t("identity-field-member"))],
                ("grantUser", t("identity-grant-title")),
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
        Err(err) => {
            refused(
                &web,
                &viewer,
                err,
                &[],
                ("custodians", t("identity-field-holders")),
            )
            .await
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::i18n::Lang;

    #[test]
    fn the_warning_reads_as_a_sentence() {
        let w = Lang::SOURCE.text("identity-loss-warning");
        assert!(w.starts_with("If every member"), "{w}");
        assert!(w.ends_with("open it."), "{w}");
    }

    #[test]
    fn every_confirmation_has_a_message_in_every_language() {
        for lang in Lang::all() {
            for (_, id) in DONE {
                assert_ne!(&lang.text(id), id, "{id} missing in {lang}");
            }
        }
    }

    #[test]
    fn an_inbox_line_escapes_what_it_quotes() {
        let facts = RevealFacts {
            country: "Netherlands (NL)".to_owned(),
            motivation: String::new(),
            state: "Approved".to_owned(),
            pending: false,
            requested: "1 Mar 2027 <b>".to_owned(),
            decision: None,
            expires: None,
        };
        let line = inbox_line("/cases/x#reveals", "R-1 & <i>", &facts, true);
        assert_eq!(
            line,
            "<a href=\"/cases/x#reveals\">Case R-1 &amp; &lt;i&gt;</a>: Netherlands (NL) asked on 1 Mar 2027 &lt;b&gt;."
        );
    }
}
