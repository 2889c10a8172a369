//! The weekly coverage digest: a coordinator's choice of day, the round
//! that queues each week's digest once (on any number of replicas), and
//! what a digest lists — found at send time, as the recipient, through the
//! same `coverage_gaps` the API and the coverage page use, so consent or a
//! share withdrawn after queueing is honoured like for every other notice.
use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, TransactionTrait};
use uuid::Uuid;

use crate::audit::{self, Action, Event, ObjectType};
use crate::auth::Viewer;
use crate::domain::Role;
use crate::domain::digest::{self as rules, DigestDay};
use crate::domain::hearing::ClaimStatus;
use crate::error::{AppError, AppResult};
use crate::mail::render::DigestLine;
use crate::mail::{self, Notice};
use crate::policy::hearings as hearing_policy;
use crate::state::AppState;
use crate::store::{digest_setting, mission, user};

/// The digest is a coordinator's: others are refused the setting.
fn coordinator(viewer: &Viewer) -> AppResult<()> {
    if viewer.role == Role::Coordinator {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// The viewer's day (the default when they never chose).
pub async fn day_of(state: &AppState, viewer: &Viewer) -> AppResult<DigestDay> {
    Ok(digest_setting::of_user(&state.db, viewer.user_id)
        .await?
        .map_or(DigestDay::DEFAULT, |s| DigestDay::from_stored(&s.day)))
}

/// Sets the viewer's day (or off), audited.
pub async fn set_day(state: &AppState, viewer: &Viewer, day: DigestDay) -> AppResult<DigestDay> {
    coordinator(viewer)?;
    let now = state.clock.now();
    let txn = state.db.begin().await?;
    digest_setting::set_day(&txn, viewer.user_id, day.as_str(), now).await?;
    audit::append(
        &txn,
        Event::new(viewer, Action::CoverageDigestSet, ObjectType::User)
            .object(viewer.user_id, viewer.country)
            .detail(format!("day={}", day.as_str())),
    )
    .await?;
    txn.commit().await?;
    Ok(day)
}

/// Queues the digests due at `now` (periodic work, no viewer): each active
/// coordinator whose chosen weekday it is in their mission's zone, from
/// 07:00, once per local date; nothing when the operator turned digests off
/// (`ACCORD_COVERAGE_DIGEST=false`). Returns how many were queued.
pub async fn internal_queue_due(state: &AppState, now: DateTime<Utc>) -> AppResult<usize> {
    if !state.config.coverage_digest {
        return Ok(0);
    }
    let db = &state.db;
    let coordinators = user::Entity::find()
        .filter(user::Column::Active.eq(true))
        .filter(user::Column::Role.eq(Role::Coordinator.as_str()))
        .filter(user::Column::MissionId.is_not_null())
        .all(db)
        .await?;
    if coordinators.is_empty() {
        return Ok(0);
    }
    let settings: HashMap<Uuid, digest_setting::Model> =
        digest_setting::internal_of_users(db, coordinators.iter().map(|u| u.id))
            .await?
            .into_iter()
            .map(|s| (s.user_id, s))
            .collect();
    let waiting: Vec<&user::Model> = coordinators
        .iter()
        .filter(|u| {
            settings.get(&u.id).is_none_or(|s| {
                DigestDay::from_stored(&s.day) != DigestDay::Off
                    && rules::may_be_due(now, s.last_queued_on)
            })
        })
        .collect();
    let missions: HashMap<Uuid, chrono_tz::Tz> = mission::Entity::find()
        .filter(mission::Column::Id.is_in(waiting.iter().filter_map(|u| u.mission_id)))
        .all(db)
        .await?
        .into_iter()
        .filter_map(|m| Some((m.id, m.timezone.parse().ok()?)))
        .collect();
    let mut queued = 0;
    for u in waiting {
        let Some(zone) = u.mission_id.and_then(|m| missions.get(&m)) else {
            continue;
        };
        let setting = settings.get(&u.id);
        let day = setting.map_or(DigestDay::DEFAULT, |s| DigestDay::from_stored(&s.day));
        let last = setting.and_then(|s| s.last_queued_on);
        let Some(on) = rules::due(now, *zone, day, last) else {
            continue;
        };
        let txn = db.begin().await?;
        if digest_setting::internal_take(&txn, u.id, DigestDay::DEFAULT.as_str(), on, now).await? {
            mail::enqueue(&txn, now, u.id, &Notice::CoverageDigest { on }).await?;
            queued += 1;
        }
        txn.commit().await?;
    }
    Ok(queued)
}

/// Whether `viewer` still wants the digest at send time: still a
/// coordinator, not switched off since it was queued.
pub async fn still_wanted(state: &AppState, viewer: &Viewer) -> AppResult<bool> {
    Ok(viewer.role == Role::Coordinator && day_of(state, viewer).await? != DigestDay::Off)
}

/// What `viewer`'s digest lists now: the first `MAX_LISTED` upcoming
/// hearings they see that lack observers (soonest first), and how many
/// there are in all — through `coverage_gaps`, as the viewer.
pub async fn lines_for(state: &AppState, viewer: &Viewer) -> AppResult<(Vec<DigestLine>, usize)> {
    let gaps = super::hearings::coverage_gaps(state, viewer, rules::HORIZON_DAYS).await?;
    let total = gaps.len();
    let listed: Vec<_> = gaps.into_iter().take(rules::MAX_LISTED).collect();
    let keys: Vec<_> = listed.iter().map(|h| h.key()).collect();
    let claims = hearing_policy::claims_of(&state.db, &keys).await?;
    let lines = listed
        .iter()
        .map(|h| {
            let m = h.model();
            let confirmed = claims
                .iter()
                .filter(|c| c.hearing_id == m.id && c.is(ClaimStatus::Confirmed))
                .count();
            DigestLine {
                hearing_id: m.id,
                confirmed: confirmed as u64,
                needed: u64::try_from(m.observers_needed).unwrap_or(0),
            }
        })
        .collect();
    Ok((lines, total))
}
