//! A person's own account: their password and their open sessions (API
//! logins and web sign-ins alike). Every change here ends sessions at once —
//! the next request of an ended session, page or API, is refused — and is
//! audited.
use chrono::Utc;
use sea_orm::{
    ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, TransactionTrait,
    sea_query::Expr,
};
use uuid::Uuid;

use crate::audit::{self, Action, Event, ObjectType};
use crate::auth::Viewer;
use crate::domain::SignInMethod;
use crate::domain::input::Password;
use crate::error::{AppError, AppResult};
use crate::i18n::Lang;
use crate::msg;
use crate::service::auth::{confirm_password, current_user, revoke_all_sessions};
use crate::service::directory::hash_password;
use crate::service::identity;
use crate::state::AppState;
use crate::store::{self, session, user};

/// The most open sessions listed; older ones are still ended by "sign out
/// everywhere".
pub const MAX_LISTED_SESSIONS: u64 = 50;

/// Changes the viewer's password after checking the current one. Every other
/// session of theirs ends; the one in use stays open.
pub async fn change_password(
    state: &AppState,
    viewer: &Viewer,
    current: &str,
    new: &str,
) -> AppResult<()> {
    let new = Password::parse("newPassword", new)?;
    if current == new.expose() {
        return Err(AppError::bad_input(
            "newPassword",
            msg!("input-must-differ-from-the-current"),
        ));
    }
    let me = current_user(state, viewer).await?;
    if !confirm_password(state, &me, current).await? {
        return Err(AppError::bad_input(
            "currentPassword",
            msg!("input-is-not-your-current-password"),
        ));
    }
    // The member key follows the password: re-wrapped, never re-made, so
    // the country keys wrapped to it still open.
    let member_key = match me.mission_id {
        Some(_) => {
            Some(identity::rewrapped_for_new_password(state, me.id, current, new.expose()).await?)
        }
        None => None,
    };
    let hash = hash_password(state, new).await?;
    let txn = state.db.begin().await?;
    if let Some(row) = member_key {
        store::member_key::replace(&txn, row).await?;
    }
    user::Entity::update_many()
        .col_expr(user::Column::PasswordHash, Expr::value(hash))
        .filter(user::Column::Id.eq(me.id))
        .exec(&txn)
        .await?;
    session::Entity::update_many()
        .col_expr(session::Column::RevokedAt, Expr::value(Utc::now()))
        .col_expr(
            session::Column::UnlockSealed,
            Expr::value(Option::<String>::None),
        )
        .filter(session::Column::UserId.eq(viewer.user_id))
        .filter(session::Column::Id.ne(viewer.session_id))
        .filter(session::Column::RevokedAt.is_null())
        .exec(&txn)
        .await?;
    audit::append(
        &txn,
        Event::new(viewer, Action::PasswordChanged, ObjectType::User)
            .object(viewer.user_id, viewer.country),
    )
    .await?;
    txn.commit().await?;
    state.live.sessions_ended(&state.db, viewer.user_id).await;
    Ok(())
}

/// The viewer's open sessions, newest first (at most `MAX_LISTED_SESSIONS`).
pub async fn open_sessions(state: &AppState, viewer: &Viewer) -> AppResult<Vec<session::Model>> {
    Ok(session::Entity::find()
        .filter(session::Column::UserId.eq(viewer.user_id))
        .filter(session::Column::RevokedAt.is_null())
        .filter(session::Column::ExpiresAt.gt(Utc::now()))
        .order_by_desc(session::Column::CreatedAt)
        .limit(MAX_LISTED_SESSIONS)
        .all(&state.db)
        .await?)
}

/// Where a session was opened, said in `lang`: "Web: Firefox on Windows"
/// or "API token" (the page's and the API's sessions list alike).
pub fn device_of(lang: Lang, s: &session::Model) -> String {
    let web = s.kind == crate::service::auth::SessionKind::Web.as_str();
    match (web, s.client_label.as_deref()) {
        (true, Some(label)) => {
            lang.text1("account-session-web-on", "browser", browser_in(lang, label))
        }
        (true, None) => lang.text("account-session-web"),
        (false, _) => lang.text("account-session-api"),
    }
}

/// How a session's person proved who they are, said in `lang`.
pub fn method_label(lang: Lang, s: &session::Model) -> String {
    let id = match SignInMethod::from_stored(&s.method) {
        Some(SignInMethod::Password) | None => "account-session-method-password",
        Some(SignInMethod::PasswordTotp) => "account-session-method-password-totp",
        Some(SignInMethod::PasswordRecoveryCode) => "account-session-method-password-recovery-code",
        Some(SignInMethod::PasswordSecurityKey) => "account-session-method-password-security-key",
        Some(SignInMethod::SingleSignOn) => "account-session-method-sso",
    };
    lang.text(id)
}

/// A session's browser as its stored label names it (`Chromium*|Linux`:
/// product names only, `*` headless, `?` unknown), said in `lang`.
fn browser_in(lang: Lang, label: &str) -> String {
    let Some((browser, system)) = label.split_once('|') else {
        // Labelled before labels were stored as names only.
        return label.to_owned();
    };
    let browser = match browser {
        "?" => lang.text("account-session-unknown-browser"),
        headless if headless.ends_with('*') => lang.text1(
            "account-session-headless",
            "browser",
            headless.trim_end_matches('*'),
        ),
        named => named.to_owned(),
    };
    if system.is_empty() {
        return browser;
    }
    lang.text2(
        "account-session-browser-on",
        "browser",
        browser,
        "system",
        system,
    )
}

/// Ends one of the viewer's own sessions; another's, or an unknown one, is
/// `NOT_FOUND`.
pub async fn end_session(state: &AppState, viewer: &Viewer, session_id: Uuid) -> AppResult<()> {
    let txn = state.db.begin().await?;
    let ended = session::Entity::update_many()
        .col_expr(session::Column::RevokedAt, Expr::value(Utc::now()))
        .col_expr(
            session::Column::UnlockSealed,
            Expr::value(Option::<String>::None),
        )
        .filter(session::Column::Id.eq(session_id))
        .filter(session::Column::UserId.eq(viewer.user_id))
        .filter(session::Column::RevokedAt.is_null())
        .exec(&txn)
        .await?;
    if ended.rows_affected == 0 {
        return Err(AppError::NotFound);
    }
    audit::append(
        &txn,
        Event::new(viewer, Action::LoggedOut, ObjectType::Session)
            .object(session_id, viewer.country),
    )
    .await?;
    txn.commit().await?;
    state.live.sessions_ended(&state.db, viewer.user_id).await;
    Ok(())
}

/// Ends every session of the viewer, the one in use included.
pub async fn sign_out_everywhere(state: &AppState, viewer: &Viewer) -> AppResult<()> {
    let txn = state.db.begin().await?;
    revoke_all_sessions(&txn, viewer.user_id).await?;
    audit::append(
        &txn,
        Event::new(viewer, Action::LoggedOutEverywhere, ObjectType::User)
            .object(viewer.user_id, viewer.country),
    )
    .await?;
    txn.commit().await?;
    state.live.sessions_ended(&state.db, viewer.user_id).await;
    Ok(())
}

/// A change to one of a person's choices: left as it is, cleared (back to
/// the default), or set.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Choice<T> {
    #[default]
    Keep,
    Clear,
    Set(T),
}

impl<T> Choice<T> {
    fn apply(self, current: Option<T>) -> Option<T> {
        match self {
            Choice::Keep => current,
            Choice::Clear => None,
            Choice::Set(value) => Some(value),
        }
    }
}

/// Reads a language a person may choose: a tag Accord has messages in (the
/// pseudo-language is for previews, not a choice).
pub fn parse_language(raw: &str) -> AppResult<crate::i18n::Lang> {
    crate::i18n::Lang::parse(raw)
        .filter(|lang| !lang.is_pseudo())
        .ok_or_else(|| {
            let tags: Vec<&str> = crate::i18n::Lang::choosable()
                .map(crate::i18n::Lang::tag)
                .collect();
            AppError::bad_input(
                "language",
                crate::msg!("account-language-unknown", languages = tags.join(", ")),
            )
        })
}

/// Sets the viewer's language and time zone, audited; answers the stored
/// row. A language chosen here is used for every page they open and every
/// email sent to them, whatever their browser says.
pub async fn set_preferences(
    state: &AppState,
    viewer: &Viewer,
    language: Choice<crate::i18n::Lang>,
    timezone: Choice<chrono_tz::Tz>,
) -> AppResult<user::Model> {
    let txn = state.db.begin().await?;
    let current = user::Entity::find_by_id(viewer.user_id)
        .lock_exclusive()
        .one(&txn)
        .await?
        .ok_or(AppError::Unauthenticated("invalid or expired access token"))?;
    let language = language
        .apply(
            current
                .language
                .as_deref()
                .and_then(crate::i18n::Lang::parse),
        )
        .map(|l| l.tag().to_owned());
    let timezone = timezone
        .apply(current.timezone.as_deref().and_then(|z| z.parse().ok()))
        .map(|z: chrono_tz::Tz| z.name().to_owned());
    user::Entity::update_many()
        .col_expr(user::Column::Language, Expr::value(language.clone()))
        .col_expr(user::Column::Timezone, Expr::value(timezone.clone()))
        .filter(user::Column::Id.eq(viewer.user_id))
        .exec(&txn)
        .await?;
    audit::append(
        &txn,
        Event::new(viewer, Action::PreferencesSet, ObjectType::User)
            .object(viewer.user_id, viewer.country)
            .detail(format!(
                "language={} timezone={}",
                language.as_deref().unwrap_or("-"),
                timezone.as_deref().unwrap_or("-")
            )),
    )
    .await?;
    txn.commit().await?;
    Ok(user::Model {
        language,
        timezone,
        ..current
    })
}
