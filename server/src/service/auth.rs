//! Login, token refresh with rotation and reuse detection, logout, and turning
//! a bearer token into a `Viewer`.
use std::net::{IpAddr, Ipv6Addr};

use chrono::{Duration, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict, Query};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult,
    QueryFilter, QuerySelect, TransactionTrait,
};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::audit::{self, Action, Actor, Event, ObjectType};
use crate::auth::token::{hash_refresh_token, new_refresh_token, split_unlock, with_unlock};
use crate::auth::{Reading, Viewer};
use crate::crypto::sealed::{SecretKey, UnlockSecret};
use crate::domain::{CountryCode, Role, SignInMethod};
use crate::error::{AppError, AppResult};
use crate::service::{identity, second_factor};
use crate::state::AppState;
use crate::store::{login_throttle, mission, refresh_token, session, user};

/// The same words for a wrong password, an unknown email and a deactivated account.
const BAD_LOGIN: AppError = AppError::Unauthenticated("invalid email or password");
const BAD_REFRESH: AppError = AppError::Unauthenticated("invalid or expired refresh token");
const BAD_SESSION: AppError = AppError::Unauthenticated("invalid or expired access token");

/// Tokens handed out by login and refresh.
pub struct Issued {
    pub access_token: String,
    pub refresh_token: String,
    pub expires_at: i64,
    pub user_id: Uuid,
}

fn email_key(email: &str) -> String {
    hex::encode(Sha256::digest(email.trim().to_lowercase().as_bytes()))
}

/// The throttle key of a client address: `addr:` and the IPv4 address (an
/// IPv4-mapped IPv6 address counts as its IPv4 one), or the IPv6 /64 prefix,
/// since one host commonly holds a whole /64. Without a known address (no
/// transport put one in the request), every such login shares one key. Email
/// keys are 64 hex digits, so the two kinds never meet in `login_throttle`.
pub fn address_key(client: Option<IpAddr>) -> String {
    let client = client.map(|ip| match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        v4 => v4,
    });
    match client {
        Some(IpAddr::V4(v4)) => format!("addr:{v4}"),
        Some(IpAddr::V6(v6)) => {
            let s = v6.segments();
            let prefix = Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0);
            format!("addr:{prefix}/64")
        }
        None => "addr:unknown".to_owned(),
    }
}

/// Signs in. Refused without a password check while the email or the client
/// address is locked, or while the password-hashing pool is full (all
/// `RATE_LIMITED` with `retryAfterSeconds`). A failure counts against both
/// the email and the address; success clears the email's count only (else
/// one valid account would reset its address's count).
pub async fn login(
    state: &AppState,
    email: &str,
    password: &str,
    client: Option<IpAddr>,
) -> AppResult<Issued> {
    match sign_in(state, email, password, client, NewSession::Api).await? {
        Opened::Api(issued) => Ok(issued),
        Opened::Web(_) => Err(AppError::internal("an API login opened a web session")),
    }
}

/// Signs in from a page: the same checks, throttles and audit as `login`,
/// opening a web session whose secret goes only into the browser's cookie.
pub async fn web_sign_in(
    state: &AppState,
    email: &str,
    password: &str,
    client: Option<IpAddr>,
    browser: &str,
) -> AppResult<WebSession> {
    match sign_in(state, email, password, client, NewSession::Web { browser }).await? {
        Opened::Web(session) => Ok(session),
        Opened::Api(_) => Err(AppError::internal("a web sign-in opened an API session")),
    }
}

/// What a successful sign-in opens.
#[derive(Clone, Copy)]
pub(crate) enum NewSession<'a> {
    /// Access and refresh tokens (the GraphQL `login`).
    Api,
    /// A cookie for the pages, labelled with the browser that asked.
    Web { browser: &'a str },
}

/// A session just opened: an API login's tokens or a page's cookie.
pub enum Opened {
    Api(Issued),
    Web(WebSession),
}

/// A web session just opened: `cookie` is its only copy of the secret
/// (the database keeps its SHA-256).
pub struct WebSession {
    pub cookie: String,
    pub user_id: Uuid,
    pub session_id: Uuid,
}

async fn sign_in(
    state: &AppState,
    email: &str,
    password: &str,
    client: Option<IpAddr>,
    kind: NewSession<'_>,
) -> AppResult<Opened> {
    let now = Utc::now();
    let key = email_key(email);
    let addr = address_key(client);
    let locked_until = login_throttle::Entity::find()
        .filter(login_throttle::Column::EmailKey.is_in([key.clone(), addr.clone()]))
        .all(&state.db)
        .await?
        .into_iter()
        .filter_map(|t| t.locked_until)
        .filter(|until| *until > now)
        .max();
    if let Some(until) = locked_until {
        return Err(AppError::RateLimited {
            retry_after_secs: Ord::max((until - now).num_seconds(), 1),
        });
    }

    let found = user::Entity::find()
        .filter(user::Column::Email.eq(email.trim().to_lowercase()))
        .one(&state.db)
        .await?;
    let stored = found.as_ref().map(|u| u.password_hash.clone());
    let matches = state
        .hasher
        .verify_bounded(password.to_owned(), stored)
        .await?;

    // With the password at hand: the member key this session will keep
    // (before the transaction: on SQLite it holds the only connection).
    let member = match &found {
        Some(u) if matches && u.active && u.mission_id.is_some() => {
            identity::member_secret_at_sign_in(state, u.id, password).await?
        }
        _ => None,
    };
    let txn = state.db.begin().await?;
    match found {
        Some(u) if matches && u.active => {
            login_throttle::Entity::delete_by_id(key).exec(&txn).await?;
            // A second step first, when the person has a factor or a rule
            // requires one: no session yet, only a short-lived challenge.
            if let Some(refusal) =
                second_factor::challenge_if_needed(state, &txn, &u, kind, member.as_ref()).await?
            {
                txn.commit().await?;
                return Err(refusal);
            }
            let country = user_country(&txn, &u).await?;
            let opened = match kind {
                NewSession::Api => Opened::Api(
                    open_session(state, &txn, &u, SignInMethod::Password, member.as_ref()).await?,
                ),
                NewSession::Web { browser } => Opened::Web(
                    open_web_session(
                        state,
                        &txn,
                        &u,
                        browser,
                        SignInMethod::Password,
                        member.as_ref(),
                    )
                    .await?,
                ),
            };
            audit::append(
                &txn,
                Event::new(
                    Actor {
                        user_id: Some(u.id),
                        country,
                    },
                    Action::LoginSucceeded,
                    ObjectType::User,
                )
                .object(u.id, country),
            )
            .await?;
            txn.commit().await?;
            Ok(opened)
        }
        found => {
            state.metrics.login_failure();
            let config = &state.config;
            let locked = record_failure(
                &txn,
                &key,
                config.login_max_failures,
                config.login_lockout_secs,
            )
            .await?;
            let address_locked = record_failure(
                &txn,
                &addr,
                config.login_max_failures_per_address,
                config.login_address_lockout_secs,
            )
            .await?;
            if address_locked {
                tracing::warn!(address = %addr, "too many failed logins from one address; locked");
            }
            let (user_id, country) = match &found {
                Some(u) => (Some(u.id), user_country(&txn, u).await?),
                None => (None, None),
            };
            let mut event = Event::new(Actor::SYSTEM, Action::LoginFailed, ObjectType::User);
            if let Some(id) = user_id {
                event = event.object(id, country);
            }
            audit::append(&txn, event).await?;
            if locked {
                let mut event = Event::new(Actor::SYSTEM, Action::LoginLocked, ObjectType::User);
                if let Some(id) = user_id {
                    event = event.object(id, country);
                }
                audit::append(&txn, event).await?;
            }
            if address_locked {
                // The address, not an account, is locked: no object.
                audit::append(
                    &txn,
                    Event::new(Actor::SYSTEM, Action::LoginLocked, ObjectType::User),
                )
                .await?;
            }
            txn.commit().await?;
            Err(BAD_LOGIN)
        }
    }
}

/// Checks `password` against the signed-in user's own, under sign-in's
/// throttle: refused while their email is locked, and a wrong password
/// counts against the email (audited as a failed login), so a session left
/// open cannot be used to guess the password it would change.
pub async fn confirm_password(
    state: &AppState,
    u: &user::Model,
    password: &str,
) -> AppResult<bool> {
    let now = Utc::now();
    let key = email_key(&u.email);
    let locked_until = login_throttle::Entity::find_by_id(key.clone())
        .one(&state.db)
        .await?
        .and_then(|t| t.locked_until)
        .filter(|until| *until > now);
    if let Some(until) = locked_until {
        return Err(AppError::RateLimited {
            retry_after_secs: Ord::max((until - now).num_seconds(), 1),
        });
    }
    let matches = state
        .hasher
        .verify_bounded(password.to_owned(), Some(u.password_hash.clone()))
        .await?;
    if matches {
        return Ok(true);
    }
    state.metrics.login_failure();
    let txn = state.db.begin().await?;
    let locked = record_failure(
        &txn,
        &key,
        state.config.login_max_failures,
        state.config.login_lockout_secs,
    )
    .await?;
    let country = user_country(&txn, u).await?;
    audit::append(
        &txn,
        Event::new(Actor::SYSTEM, Action::LoginFailed, ObjectType::User).object(u.id, country),
    )
    .await?;
    if locked {
        audit::append(
            &txn,
            Event::new(Actor::SYSTEM, Action::LoginLocked, ObjectType::User).object(u.id, country),
        )
        .await?;
    }
    txn.commit().await?;
    Ok(false)
}

/// Counts a failure for this key (an email's or an address's) within a window
/// of `window_secs`; at `max_failures` the key is locked for `window_secs`.
/// Returns whether it is now locked.
pub(crate) async fn record_failure(
    txn: &impl ConnectionTrait,
    key: &str,
    max_failures: i32,
    window_secs: i64,
) -> AppResult<bool> {
    let now = Utc::now();
    let window = Duration::seconds(window_secs);
    login_throttle::Entity::insert(login_throttle::ActiveModel {
        email_key: Set(key.to_owned()),
        failures: Set(0),
        window_started_at: Set(now),
        locked_until: Set(None),
    })
    .on_conflict(
        OnConflict::column(login_throttle::Column::EmailKey)
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(txn)
    .await?;
    let row = login_throttle::Entity::find_by_id(key.to_owned())
        .lock_exclusive()
        .one(txn)
        .await?
        .ok_or_else(|| AppError::internal("row vanished inside its transaction"))?;
    let (failures, started) = if row.window_started_at + window < now {
        (1, now)
    } else {
        (row.failures + 1, row.window_started_at)
    };
    let locked = failures >= max_failures;
    login_throttle::ActiveModel {
        email_key: Set(key.to_owned()),
        failures: Set(if locked { 0 } else { failures }),
        window_started_at: Set(started),
        locked_until: Set(locked.then(|| now + window)),
    }
    .update(txn)
    .await?;
    Ok(locked)
}

pub(crate) async fn user_country(
    db: &impl ConnectionTrait,
    u: &user::Model,
) -> AppResult<Option<CountryCode>> {
    let Some(mission_id) = u.mission_id else {
        return Ok(None);
    };
    Ok(mission::Entity::find_by_id(mission_id)
        .one(db)
        .await?
        .map(|m| CountryCode::from_stored(&m.country)))
}

/// Opens an API session for a person who has proved who they are with
/// `method`, handing out its first tokens.
pub(crate) async fn open_session(
    state: &AppState,
    txn: &impl ConnectionTrait,
    u: &user::Model,
    method: SignInMethod,
    member: Option<&SecretKey>,
) -> AppResult<Issued> {
    let now = Utc::now();
    let session_id = crate::domain::ids::new_id();
    let unlock = member.map(|_| UnlockSecret::generate());
    let expires_at = now + Duration::seconds(state.config.refresh_token_ttl_secs);
    session::ActiveModel {
        id: Set(session_id),
        user_id: Set(u.id),
        created_at: Set(now),
        expires_at: Set(expires_at),
        revoked_at: Set(None),
        kind: Set(SessionKind::Api.as_str().to_owned()),
        web_token_hash: Set(None),
        client_label: Set(None),
        method: Set(method.as_str().to_owned()),
        unlock_sealed: Set(member
            .zip(unlock.as_ref())
            .map(|(m, u)| identity::seal_for_session(m, u, session_id))
            .transpose()?),
    }
    .insert(txn)
    .await?;
    issue_in_session(state, txn, u.id, session_id, expires_at, unlock.as_ref()).await
}

/// How long a web session lasts from sign-in: a working day, not the month
/// a refresh token may live (a desk computer left signed in is a risk).
pub const WEB_SESSION_HOURS: i64 = 12;

/// Opens a web session for a person who has proved who they are with
/// `method`; the cookie is the session's only secret.
pub(crate) async fn open_web_session(
    state: &AppState,
    txn: &impl ConnectionTrait,
    u: &user::Model,
    browser: &str,
    method: SignInMethod,
    member: Option<&SecretKey>,
) -> AppResult<WebSession> {
    open_labelled_web_session(state, txn, u, browser_label(browser), method, member).await
}

/// `open_web_session` with the browser already named (`browser_label`):
/// a sign-in challenge keeps the label, not the whole `User-Agent`.
pub(crate) async fn open_labelled_web_session(
    state: &AppState,
    txn: &impl ConnectionTrait,
    u: &user::Model,
    label: String,
    method: SignInMethod,
    member: Option<&SecretKey>,
) -> AppResult<WebSession> {
    let now = Utc::now();
    let session_id = crate::domain::ids::new_id();
    let lifetime = Duration::hours(WEB_SESSION_HOURS)
        .min(Duration::seconds(state.config.refresh_token_ttl_secs));
    let (cookie, hash) = new_refresh_token();
    session::ActiveModel {
        id: Set(session_id),
        user_id: Set(u.id),
        created_at: Set(now),
        expires_at: Set(now + lifetime),
        revoked_at: Set(None),
        kind: Set(SessionKind::Web.as_str().to_owned()),
        web_token_hash: Set(Some(hash)),
        client_label: Set(Some(label)),
        method: Set(method.as_str().to_owned()),
        // The cookie is the client's secret; the key it derives seals the
        // member key (the database keeps only the cookie's SHA-256).
        unlock_sealed: Set(member
            .map(|m| identity::seal_for_session(m, &UnlockSecret::from_cookie(&cookie), session_id))
            .transpose()?),
    }
    .insert(txn)
    .await?;
    Ok(WebSession {
        cookie,
        user_id: u.id,
        session_id,
    })
}

/// A short, recognisable name for the browser behind a `User-Agent`
/// (`Firefox|Windows`): enough for a person to tell their sessions apart,
/// without keeping the fingerprint the full header is. Only product names
/// are stored, joined by `|`; the page says "Firefox on Windows" in its
/// reader's language (`web::account`). An unknown browser is `?`.
pub fn browser_label(user_agent: &str) -> String {
    let ua = user_agent.to_ascii_lowercase();
    let browser = [
        ("edg/", "Edge"),
        ("firefox/", "Firefox"),
        ("headlesschrome/", "Chromium*"),
        ("chromium/", "Chromium"),
        ("chrome/", "Chrome"),
        ("safari/", "Safari"),
    ]
    .into_iter()
    .find(|(token, _)| ua.contains(token))
    .map_or("?", |(_, name)| name);
    let system = [
        ("android", "Android"),
        ("iphone", "iOS"),
        ("ipad", "iPadOS"),
        ("windows", "Windows"),
        ("mac os", "macOS"),
        ("cros", "ChromeOS"),
        ("linux", "Linux"),
    ]
    .into_iter()
    .find(|(token, _)| ua.contains(token))
    .map_or("", |(_, name)| name);
    format!("{browser}|{system}")
}

/// Which way a session was opened.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SessionKind {
    Api,
    Web,
}

impl SessionKind {
    pub fn as_str(self) -> &'static str {
        match self {
            SessionKind::Api => "API",
            SessionKind::Web => "WEB",
        }
    }
}

async fn issue_in_session(
    state: &AppState,
    txn: &impl ConnectionTrait,
    user_id: Uuid,
    session_id: Uuid,
    expires_at: chrono::DateTime<Utc>,
    unlock: Option<&UnlockSecret>,
) -> AppResult<Issued> {
    let now = Utc::now();
    let (refresh, hash) = new_refresh_token();
    refresh_token::ActiveModel {
        id: Set(Uuid::now_v7()),
        session_id: Set(session_id),
        token_hash: Set(hash),
        issued_at: Set(now),
        expires_at: Set(expires_at),
        used_at: Set(None),
    }
    .insert(txn)
    .await?;
    let (access, exp) = state
        .keys
        .issue_unlocking(user_id, session_id, now.timestamp(), unlock)?;
    Ok(Issued {
        access_token: access,
        refresh_token: with_unlock(&refresh, unlock),
        expires_at: exp,
        user_id,
    })
}

/// Exchanges a refresh token for a new pair. A token that was already used
/// means it leaked: the whole session (every token rotated from the same
/// login) is revoked.
pub async fn refresh(state: &AppState, presented: &str) -> AppResult<Issued> {
    let now = Utc::now();
    let (presented, unlock) = split_unlock(presented);
    let txn = state.db.begin().await?;
    let Some(token) = refresh_token::Entity::find()
        .filter(refresh_token::Column::TokenHash.eq(hash_refresh_token(presented)))
        .one(&txn)
        .await?
    else {
        return Err(BAD_REFRESH);
    };
    let sess = session::Entity::find_by_id(token.session_id)
        .one(&txn)
        .await?
        .ok_or(BAD_REFRESH)?;
    if sess.revoked_at.is_some() || token.expires_at <= now || sess.expires_at <= now {
        return Err(BAD_REFRESH);
    }
    // Claim the token atomically: of two concurrent uses, only one wins.
    let claimed = refresh_token::Entity::update_many()
        .col_expr(
            refresh_token::Column::UsedAt,
            sea_orm::sea_query::Expr::value(now),
        )
        .filter(refresh_token::Column::Id.eq(token.id))
        .filter(refresh_token::Column::UsedAt.is_null())
        .exec(&txn)
        .await?;
    let u = user::Entity::find_by_id(sess.user_id)
        .one(&txn)
        .await?
        .ok_or(BAD_REFRESH)?;
    let country = user_country(&txn, &u).await?;
    let actor = Actor {
        user_id: Some(u.id),
        country,
    };
    if claimed.rows_affected != 1 {
        revoke_session(&txn, sess.id).await?;
        audit::append(
            &txn,
            Event::new(actor, Action::RefreshTokenReused, ObjectType::Session)
                .object(sess.id, country),
        )
        .await?;
        txn.commit().await?;
        state.live.sessions_ended(&state.db, sess.user_id).await;
        tracing::warn!(session = %sess.id, "refresh token reused; session revoked");
        return Err(BAD_REFRESH);
    }
    if !u.active {
        return Err(BAD_REFRESH);
    }
    let unlock = unlock.filter(|_| sess.unlock_sealed.is_some());
    let issued =
        issue_in_session(state, &txn, u.id, sess.id, sess.expires_at, unlock.as_ref()).await?;
    audit::append(
        &txn,
        Event::new(actor, Action::TokenRefreshed, ObjectType::Session).object(sess.id, country),
    )
    .await?;
    txn.commit().await?;
    Ok(issued)
}

async fn revoke_session(db: &impl ConnectionTrait, session_id: Uuid) -> AppResult<()> {
    session::Entity::update_many()
        .col_expr(
            session::Column::RevokedAt,
            sea_orm::sea_query::Expr::value(Utc::now()),
        )
        // An ended session keeps no sealed member key.
        .col_expr(
            session::Column::UnlockSealed,
            sea_orm::sea_query::Expr::value(Option::<String>::None),
        )
        .filter(session::Column::Id.eq(session_id))
        .filter(session::Column::RevokedAt.is_null())
        .exec(db)
        .await?;
    Ok(())
}

/// Ends every session of a user (on deactivation).
pub async fn revoke_all_sessions(db: &impl ConnectionTrait, user_id: Uuid) -> AppResult<()> {
    session::Entity::update_many()
        .col_expr(
            session::Column::RevokedAt,
            sea_orm::sea_query::Expr::value(Utc::now()),
        )
        // An ended session keeps no sealed member key.
        .col_expr(
            session::Column::UnlockSealed,
            sea_orm::sea_query::Expr::value(Option::<String>::None),
        )
        .filter(session::Column::UserId.eq(user_id))
        .filter(session::Column::RevokedAt.is_null())
        .exec(db)
        .await?;
    Ok(())
}

/// Ends the viewer's session: its refresh tokens and access tokens stop working.
pub async fn logout(state: &AppState, viewer: &Viewer) -> AppResult<()> {
    let txn = state.db.begin().await?;
    revoke_session(&txn, viewer.session_id).await?;
    audit::append(
        &txn,
        Event::new(viewer, Action::LoggedOut, ObjectType::Session)
            .object(viewer.session_id, viewer.country),
    )
    .await?;
    txn.commit().await?;
    // Its WebSocket streams end now, not at their next periodic check.
    state.live.sessions_ended(&state.db, viewer.user_id).await;
    Ok(())
}

/// What one request needs to know of its user, session and mission.
#[derive(FromQueryResult)]
struct ViewerRow {
    role: String,
    active: bool,
    mission_id: Option<Uuid>,
    organization_id: Option<Uuid>,
    country: Option<String>,
    language: Option<String>,
    timezone: Option<String>,
    mission_timezone: Option<String>,
    expires_at: chrono::DateTime<Utc>,
    revoked_at: Option<chrono::DateTime<Utc>>,
    id: Uuid,
    user_id: Uuid,
}

/// Turns a bearer token into the viewer, checking the user and the session
/// in the database on every request (one statement: user, session and
/// mission joined), so that deactivation and logout apply at once.
pub async fn authenticate(state: &AppState, bearer: &str) -> AppResult<Viewer> {
    let claims = state.keys.verify(bearer)?;
    let session = Expr::col((session::Entity, session::Column::Id))
        .eq(claims.sid)
        .and(Expr::col((user::Entity, user::Column::Id)).eq(claims.sub));
    let unlock = claims.ulk.as_deref().and_then(UnlockSecret::parse);
    viewer_of_session(state, session, unlock).await
}

/// The viewer behind a page's session cookie, checked exactly as a bearer
/// token is (user active, session neither revoked nor expired), in one
/// statement. Only a web session's cookie matches; a refresh token never does.
pub async fn authenticate_web(state: &AppState, cookie: &str) -> AppResult<Viewer> {
    let session = Expr::col((session::Entity, session::Column::WebTokenHash))
        .eq(hash_refresh_token(cookie))
        .and(Expr::col((session::Entity, session::Column::Kind)).eq(SessionKind::Web.as_str()));
    viewer_of_session(state, session, Some(UnlockSecret::from_cookie(cookie))).await
}

/// One statement: the user, the session matching `session` and the mission.
async fn viewer_of_session(
    state: &AppState,
    session: sea_orm::sea_query::SimpleExpr,
    unlock: Option<UnlockSecret>,
) -> AppResult<Viewer> {
    let query = Query::select()
        .columns([
            (user::Entity, user::Column::Role),
            (user::Entity, user::Column::Active),
            (user::Entity, user::Column::MissionId),
            (user::Entity, user::Column::OrganizationId),
            (user::Entity, user::Column::Language),
            (user::Entity, user::Column::Timezone),
        ])
        .column((mission::Entity, mission::Column::Country))
        .expr_as(
            Expr::col((mission::Entity, mission::Column::Timezone)),
            sea_orm::sea_query::Alias::new("mission_timezone"),
        )
        .columns([
            (session::Entity, session::Column::ExpiresAt),
            (session::Entity, session::Column::RevokedAt),
            (session::Entity, session::Column::Id),
            (session::Entity, session::Column::UserId),
        ])
        .from(user::Entity)
        .inner_join(
            session::Entity,
            Expr::col((session::Entity, session::Column::UserId))
                .equals((user::Entity, user::Column::Id)),
        )
        .left_join(
            mission::Entity,
            Expr::col((mission::Entity, mission::Column::Id))
                .equals((user::Entity, user::Column::MissionId)),
        )
        .and_where(session)
        .to_owned();
    let row = ViewerRow::find_by_statement(state.db.get_database_backend().build(&query))
        .one(&state.db)
        .await?
        .filter(|r| r.active && r.revoked_at.is_none() && r.expires_at > Utc::now())
        .ok_or(BAD_SESSION)?;
    Ok(Viewer {
        user_id: row.user_id,
        session_id: row.id,
        role: row
            .role
            .parse::<Role>()
            .map_err(|_| AppError::internal("unknown stored role"))?,
        country: row.country.as_deref().map(CountryCode::from_stored),
        mission_id: row.mission_id,
        organization_id: row.organization_id,
        unlock,
        reading: Reading::from_stored(
            row.language.as_deref(),
            row.timezone.as_deref(),
            row.mission_timezone.as_deref(),
        ),
    })
}

/// The viewer a user is, outside any session (for their calendar feed).
pub async fn viewer_for(state: &AppState, u: &user::Model) -> AppResult<Viewer> {
    let role = u
        .role
        .parse::<Role>()
        .map_err(|_| AppError::internal("unknown stored role"))?;
    let mission = match u.mission_id {
        Some(id) => mission::Entity::find_by_id(id).one(&state.db).await?,
        None => None,
    };
    Ok(Viewer {
        user_id: u.id,
        session_id: Uuid::nil(),
        role,
        country: mission
            .as_ref()
            .map(|m| CountryCode::from_stored(&m.country)),
        mission_id: u.mission_id,
        organization_id: u.organization_id,
        unlock: None,
        reading: Reading::from_stored(
            u.language.as_deref(),
            u.timezone.as_deref(),
            mission.as_ref().map(|m| m.timezone.as_str()),
        ),
    })
}

/// The viewer's own user record.
pub async fn current_user(state: &AppState, viewer: &Viewer) -> AppResult<user::Model> {
    user::Entity::find_by_id(viewer.user_id)
        .one(&state.db)
        .await?
        .ok_or(BAD_SESSION)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn address_keys_group_what_one_client_holds() {
        let key = |s: &str| address_key(Some(s.parse().expect("ip")));
        assert_eq!(key("203.0.113.7"), "addr:203.0.113.7");
        // An IPv4-mapped IPv6 peer (dual-stack listener) is its IPv4 address.
        assert_eq!(key("::ffff:203.0.113.7"), "addr:203.0.113.7");
        // IPv6: the /64 is the unit, whatever the interface id.
        assert_eq!(key("2001:db8:1:2::1"), "addr:2001:db8:1:2::/64");
        assert_eq!(
            key("2001:db8:1:2:aaaa:bbbb:cccc:dddd"),
            "addr:2001:db8:1:2::/64"
        );
        assert_ne!(key("2001:db8:1:3::1"), key("2001:db8:1:2::1"));
        assert_eq!(address_key(None), "addr:unknown");
        // Every key fits the column (64 characters) and never looks like an
        // email key (64 hex digits).
        let longest = key("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff");
        assert!(longest.len() <= 64, "{longest}");
        assert_eq!(email_key("A@B.example ").len(), 64);
        assert!(longest.starts_with("addr:"));
    }
}
