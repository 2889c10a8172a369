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
use crate::domain::input::Password;
use crate::error::{AppError, AppResult};
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
