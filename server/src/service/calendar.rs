//! Private iCalendar feeds of a diplomat's confirmed hearings. The URL holds
//! a secret token (stored hashed, revocable, re-issuable); events name the
//! court and city, never the case or the defender (docs/RULES.md rule 8).
use chrono::Duration;
use icalendar::{Calendar, Component, Event, EventLike, EventStatus};
use sea_orm::ActiveValue::Set;
use sea_orm::sea_query::OnConflict;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, TransactionTrait};

use crate::audit::{self, Action, Event as AuditEvent, ObjectType};
use crate::auth::Viewer;
use crate::auth::token::{hash_refresh_token as hash_secret, new_refresh_token as new_secret};
use crate::domain::Role;
use crate::domain::hearing::{ClaimStatus, HearingStatus};
use crate::error::{AppError, AppResult};
use crate::policy::hearings as policy;
use crate::state::AppState;
use crate::store::{calendar_token, hearing, user};

fn may_have_feed(viewer: &Viewer) -> AppResult<()> {
    match viewer.role {
        Role::Diplomat | Role::Coordinator | Role::Admin => Ok(()),
        _ => Err(AppError::Forbidden),
    }
}

/// Issues a new feed URL; any earlier one stops working.
pub async fn issue(state: &AppState, viewer: &Viewer) -> AppResult<String> {
    may_have_feed(viewer)?;
    let (token, hash) = new_secret();
    let now = state.clock.now();
    let txn = state.db.begin().await?;
    calendar_token::Entity::insert(calendar_token::ActiveModel {
        user_id: Set(viewer.user_id),
        token_hash: Set(hash),
        created_at: Set(now),
    })
    .on_conflict(
        OnConflict::column(calendar_token::Column::UserId)
            .update_columns([
                calendar_token::Column::TokenHash,
                calendar_token::Column::CreatedAt,
            ])
            .to_owned(),
    )
    .exec_without_returning(&txn)
    .await?;
    audit::append(
        &txn,
        AuditEvent::new(viewer, Action::CalendarTokenIssued, ObjectType::User)
            .object(viewer.user_id, viewer.country),
    )
    .await?;
    txn.commit().await?;
    Ok(format!(
        "{}/calendar/{token}.ics",
        state.config.public_url.trim_end_matches('/')
    ))
}

/// Stops the viewer's feed URL from working. Returns whether there was one.
pub async fn revoke(state: &AppState, viewer: &Viewer) -> AppResult<bool> {
    let txn = state.db.begin().await?;
    let deleted = calendar_token::Entity::delete_by_id(viewer.user_id)
        .exec(&txn)
        .await?;
    if deleted.rows_affected > 0 {
        audit::append(
            &txn,
            AuditEvent::new(viewer, Action::CalendarTokenRevoked, ObjectType::User)
                .object(viewer.user_id, viewer.country),
        )
        .await?;
    }
    txn.commit().await?;
    Ok(deleted.rows_affected > 0)
}

/// The feed for a token, or `NOT_FOUND` for an unknown or revoked one (or a
/// deactivated user). Lists the confirmed claims on hearings the user can
/// still see.
pub async fn feed(state: &AppState, token: &str) -> AppResult<String> {
    let found = calendar_token::Entity::find()
        .filter(calendar_token::Column::TokenHash.eq(hash_secret(token)))
        .one(&state.db)
        .await?
        .ok_or(AppError::NotFound)?;
    let owner = user::Entity::find_by_id(found.user_id)
        .one(&state.db)
        .await?
        .filter(|u| u.active)
        .ok_or(AppError::NotFound)?;
    let viewer = crate::service::auth::viewer_for(state, &owner).await?;
    // As the feed's owner: a hearing they no longer see leaves the feed.
    let claims: Vec<_> = policy::my_claims(&state.db, &viewer)
        .await?
        .into_iter()
        .filter(|c| c.is(ClaimStatus::Confirmed))
        .collect();
    let hearings = policy::visible(&viewer)
        .filter(hearing::Column::Id.is_in(claims.iter().map(|c| c.hearing_id)))
        .order_by_asc(hearing::Column::StartsAt)
        .all(&state.db)
        .await?;
    // The feed's words in its owner's language; times stay machine times.
    let lang = viewer.reading.mail_lang();
    let mut cal = Calendar::new();
    cal.name(&lang.text("calendar-feed-name"));
    for h in hearings {
        let court_zone = crate::mail::render::zone_of(&h.timezone);
        let start = lang.when(h.starts_at, court_zone, viewer.reading.zone);
        let status = match HearingStatus::from_stored(&h.status) {
            Some(HearingStatus::Cancelled) => EventStatus::Cancelled,
            Some(HearingStatus::Postponed) => EventStatus::Tentative,
            _ => EventStatus::Confirmed,
        };
        // The hearing's own page (after sign-in), not the site's root.
        let page = crate::mail::render::page_link(
            &state.config.public_url,
            "hearings",
            crate::domain::ids::Kind::Hearing,
            h.id,
        );
        cal.push(
            Event::new()
                .uid(&format!("{}@accord", h.id))
                .timestamp(h.updated_at)
                .summary(&lang.text1("calendar-feed-summary", "court", &h.court))
                .location(&format!("{}, {}", h.court, h.city))
                .description(&lang.text2(
                    "calendar-feed-description",
                    "start",
                    start.to_string(),
                    "link",
                    &page,
                ))
                .add_property("URL", &page)
                .starts(h.starts_at)
                .ends(h.starts_at + Duration::minutes(h.duration_minutes.into()))
                .status(status)
                .done(),
        );
    }
    Ok(cal.done().to_string())
}

/// Whether the viewer has a feed URL that works now (the page says so; the
/// secret itself is never kept in the clear, so it cannot be shown again).
pub async fn has_feed(state: &AppState, viewer: &Viewer) -> AppResult<bool> {
    Ok(calendar_token::Entity::find_by_id(viewer.user_id)
        .one(&state.db)
        .await?
        .is_some())
}

/// The viewer's own time zone: their mission's, UTC for people without a
/// mission (or a zone that no longer parses). Pages show hearing times in
/// it beside the court's local time.
pub async fn viewer_timezone(state: &AppState, viewer: &Viewer) -> AppResult<chrono_tz::Tz> {
    let Some(mission_id) = viewer.mission_id else {
        return Ok(chrono_tz::UTC);
    };
    Ok(crate::store::mission::Entity::find_by_id(mission_id)
        .one(&state.db)
        .await?
        .and_then(|m| m.timezone.parse().ok())
        .unwrap_or(chrono_tz::UTC))
}

/// What a page says of the signed-in person besides the hearings: their
/// name (the header), their own time zone (their choice, else their
/// mission's; UTC for neither) and whether
/// they have a calendar feed (as `has_feed`).
pub struct PageViewer {
    pub display_name: String,
    pub timezone: chrono_tz::Tz,
    pub has_feed: bool,
}

/// The signed-in person as pages show them, in one statement (the user, their
/// mission's zone and their feed joined) instead of three: a page must cost
/// no more statements than the GraphQL query showing the same. Only the
/// viewer's own row is read; a user gone since the session was checked is
/// the same `UNAUTHENTICATED` as `auth::current_user`.
pub async fn page_viewer(state: &AppState, viewer: &Viewer) -> AppResult<PageViewer> {
    use sea_orm::FromQueryResult;
    use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query};

    #[derive(FromQueryResult)]
    struct Row {
        display_name: String,
        feed: Option<uuid::Uuid>,
    }
    let query = Query::select()
        .column((user::Entity, user::Column::DisplayName))
        .expr_as(
            Expr::col((calendar_token::Entity, calendar_token::Column::UserId)),
            Alias::new("feed"),
        )
        .from(user::Entity)
        .left_join(
            calendar_token::Entity,
            Expr::col((calendar_token::Entity, calendar_token::Column::UserId))
                .equals((user::Entity, user::Column::Id)),
        )
        .and_where(Expr::col((user::Entity, user::Column::Id)).eq(viewer.user_id))
        .to_owned();
    let row = Row::find_by_statement(state.db.get_database_backend().build(&query))
        .one(&state.db)
        .await?
        .ok_or(AppError::Unauthenticated("invalid or expired access token"))?;
    Ok(PageViewer {
        display_name: row.display_name,
        timezone: viewer.reading.zone.unwrap_or(chrono_tz::UTC),
        has_feed: row.feed.is_some(),
    })
}
