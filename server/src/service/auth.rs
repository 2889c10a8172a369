//! Login, token refresh with rotation and reuse detection, logout, and turning
//! a bearer token into a `Viewer`.
use chrono::{Duration, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict, Query};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult,
    QueryFilter, QuerySelect, TransactionTrait,
};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::audit::{self, Action, Actor, Event, ObjectType};
use crate::auth::Viewer;
use crate::auth::token::{hash_refresh_token, new_refresh_token};
use crate::domain::{CountryCode, Role};
use crate::error::{AppError, AppResult};
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

pub async fn login(state: &AppState, email: &str, password: &str) -> AppResult<Issued> {
    let now = Utc::now();
    let key = email_key(email);
    if let Some(t) = login_throttle::Entity::find_by_id(key.clone())
        .one(&state.db)
        .await?
        && let Some(until) = t.locked_until
        && until > now
    {
        return Err(AppError::RateLimited {
            retry_after_secs: Ord::max((until - now).num_seconds(), 1),
        });
    }

    let found = user::Entity::find()
        .filter(user::Column::Email.eq(email.trim().to_lowercase()))
        .one(&state.db)
        .await?;
    let hasher = state.hasher.clone();
    let (pw, stored) = (
        password.to_owned(),
        found.as_ref().map(|u| u.password_hash.clone()),
    );
    let matches = tokio::task::spawn_blocking(move || hasher.verify(&pw, stored.as_deref()))
        .await
        .map_err(AppError::internal)?;

    let txn = state.db.begin().await?;
    match found {
        Some(u) if matches && u.active => {
            login_throttle::Entity::delete_by_id(key).exec(&txn).await?;
            let country = user_country(&txn, &u).await?;
            let issued = open_session(state, &txn, &u).await?;
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
            Ok(issued)
        }
        found => {
            let locked = record_failure(state, &txn, &key).await?;
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
            txn.commit().await?;
            Err(BAD_LOGIN)
        }
    }
}

/// Counts a failure for this email; returns whether it is now locked.
async fn record_failure(
    state: &AppState,
    txn: &impl ConnectionTrait,
    key: &str,
) -> AppResult<bool> {
    let now = Utc::now();
    let window = Duration::seconds(state.config.login_lockout_secs);
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
    let locked = failures >= state.config.login_max_failures;
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

async fn user_country(
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

async fn open_session(
    state: &AppState,
    txn: &impl ConnectionTrait,
    u: &user::Model,
) -> AppResult<Issued> {
    let now = Utc::now();
    let session_id = Uuid::now_v7();
    let expires_at = now + Duration::seconds(state.config.refresh_token_ttl_secs);
    session::ActiveModel {
        id: Set(session_id),
        user_id: Set(u.id),
        created_at: Set(now),
        expires_at: Set(expires_at),
        revoked_at: Set(None),
    }
    .insert(txn)
    .await?;
    issue_in_session(state, txn, u.id, session_id, expires_at).await
}

async fn issue_in_session(
    state: &AppState,
    txn: &impl ConnectionTrait,
    user_id: Uuid,
    session_id: Uuid,
    expires_at: chrono::DateTime<Utc>,
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
    let (access, exp) = state.keys.issue(user_id, session_id, now.timestamp())?;
    Ok(Issued {
        access_token: access,
        refresh_token: refresh,
        expires_at: exp,
        user_id,
    })
}

/// Exchanges a refresh token for a new pair. A token that was already used
/// means it leaked: the whole session (every token rotated from the same
/// login) is revoked.
pub async fn refresh(state: &AppState, presented: &str) -> AppResult<Issued> {
    let now = Utc::now();
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
        tracing::warn!(session = %sess.id, "refresh token reused; session revoked");
        return Err(BAD_REFRESH);
    }
    if !u.active {
        return Err(BAD_REFRESH);
    }
    let issued = issue_in_session(state, &txn, u.id, sess.id, sess.expires_at).await?;
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
    expires_at: chrono::DateTime<Utc>,
    revoked_at: Option<chrono::DateTime<Utc>>,
}

/// Turns a bearer token into the viewer, checking the user and the session
/// in the database on every request (one statement: user, session and
/// mission joined), so that deactivation and logout apply at once.
pub async fn authenticate(state: &AppState, bearer: &str) -> AppResult<Viewer> {
    let claims = state.keys.verify(bearer)?;
    let query = Query::select()
        .columns([
            (user::Entity, user::Column::Role),
            (user::Entity, user::Column::Active),
            (user::Entity, user::Column::MissionId),
            (user::Entity, user::Column::OrganizationId),
        ])
        .column((mission::Entity, mission::Column::Country))
        .columns([
            (session::Entity, session::Column::ExpiresAt),
            (session::Entity, session::Column::RevokedAt),
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
        .and_where(Expr::col((user::Entity, user::Column::Id)).eq(claims.sub))
        .and_where(Expr::col((session::Entity, session::Column::Id)).eq(claims.sid))
        .to_owned();
    let row = ViewerRow::find_by_statement(state.db.get_database_backend().build(&query))
        .one(&state.db)
        .await?
        .filter(|r| r.active && r.revoked_at.is_none() && r.expires_at > Utc::now())
        .ok_or(BAD_SESSION)?;
    Ok(Viewer {
        user_id: claims.sub,
        session_id: claims.sid,
        role: row
            .role
            .parse::<Role>()
            .map_err(|_| AppError::internal("unknown stored role"))?,
        country: row.country.as_deref().map(CountryCode::from_stored),
        mission_id: row.mission_id,
        organization_id: row.organization_id,
    })
}

/// The viewer a user is, outside any session (for their calendar feed).
pub async fn viewer_for(state: &AppState, u: &user::Model) -> AppResult<Viewer> {
    let role = u
        .role
        .parse::<Role>()
        .map_err(|_| AppError::internal("unknown stored role"))?;
    let country = user_country(&state.db, u).await?;
    Ok(Viewer {
        user_id: u.id,
        session_id: Uuid::nil(),
        role,
        country,
        mission_id: u.mission_id,
        organization_id: u.organization_id,
    })
}

/// The viewer's own user record.
pub async fn current_user(state: &AppState, viewer: &Viewer) -> AppResult<user::Model> {
    user::Entity::find_by_id(viewer.user_id)
        .one(&state.db)
        .await?
        .ok_or(BAD_SESSION)
}
