//! Live updates: the `rosterChanged` and `statementChanged` subscription
//! roots, what each follows (`Target`) and one subscriber's view of it
//! (`Watch`). The WebSocket protocol that carries them is `http/websocket.rs`.
//!
//! Every event is re-checked as if it were a new request: the token is
//! re-authenticated (logout and deactivation end the stream), the hearing or
//! statement is re-read through the policy (lost visibility ends it with
//! `NOT_FOUND`), and when the access token expires the stream ends with
//! `UNAUTHENTICATED`. A subscription needs the `Session` the WebSocket put
//! into its data at `connection_init`; over `POST /graphql` it is refused.
use std::time::Duration;

use async_graphql::{Context, ErrorExtensions, ID, ResultExt, Subscription};
use futures::stream::{self, BoxStream};
use futures::{StreamExt, future};
use sea_orm::{AccessMode, DatabaseTransaction, DbBackend, IsolationLevel, TransactionTrait};
use tokio::sync::broadcast;
use tokio::sync::broadcast::error::{RecvError, TryRecvError};
use tokio::time::{Instant, Interval};
use uuid::Uuid;

use crate::auth::Viewer;
use crate::error::{AppError, AppResult};
use crate::graphql::context::ContextExt;
use crate::graphql::hearings::{Hearing, Snapshot};
use crate::graphql::ids::{self, Kind};
use crate::graphql::statements::{Statement, StatementSnapshot};
use crate::live::Change;
use crate::policy::{hearings, statements};
use crate::service::auth::authenticate;
use crate::state::AppState;

/// How often a quiet subscription re-checks its viewer and object, so that a
/// logout or lost visibility ends it even when nothing changes.
const RECHECK_EVERY: Duration = Duration::from_secs(30);

/// Back-off of a subscription's re-read while the database is unavailable.
const UNAVAILABLE_RETRY_FIRST: std::time::Duration = std::time::Duration::from_millis(250);
const UNAVAILABLE_RETRY_MAX: std::time::Duration = std::time::Duration::from_secs(5);

const EXPIRED: AppError = AppError::Unauthenticated("the access token expired; connect again");
const CHANGED: AppError = AppError::Unauthenticated("the session changed; connect again");

#[derive(Default)]
pub struct LiveSubscription;

#[Subscription]
impl LiveSubscription {
    /// The hearing as it is now, then again after every change to its roster
    /// (claims, releases, promotions, rescheduling). Ends with `NOT_FOUND` when
    /// the viewer can no longer see the hearing, and with `UNAUTHENTICATED`
    /// when the access token expires or the session ends. WebSocket only
    /// (`graphql-transport-ws` at `/graphql/ws`).
    async fn roster_changed(
        &self,
        ctx: &Context<'_>,
        hearing_id: ID,
    ) -> async_graphql::Result<BoxStream<'static, async_graphql::Result<Hearing>>> {
        let (watch, now) = Watch::<RosterOf>::open(ctx, &hearing_id).await.extend()?;
        Ok(watch.into_stream(now))
    }

    /// The statement as it is now, then again after every change to it (a
    /// new version, invitations, signatures, finalization, delivery). Ends
    /// with `NOT_FOUND` when the viewer's country no longer takes part in it
    /// (removed from the invitation), and with `UNAUTHENTICATED` when the
    /// access token expires or the session ends. WebSocket only
    /// (`graphql-transport-ws` at `/graphql/ws`).
    async fn statement_changed(
        &self,
        ctx: &Context<'_>,
        id: ID,
    ) -> async_graphql::Result<BoxStream<'static, async_graphql::Result<Statement>>> {
        let (watch, now) = Watch::<StatementOf>::open(ctx, &id).await.extend()?;
        Ok(watch.into_stream(now))
    }
}

/// What a subscription follows: which changes concern it, and what the
/// viewer may see of it now, read through the policy like a new request.
trait Target: Sized + Send + Sync + 'static {
    type Item: Send + 'static;
    /// The kind of global id that names it.
    const KIND: Kind;
    /// What to follow; `ctx` is the subscription field's, whose selection
    /// tells what each event needs to read.
    fn new(id: Uuid, ctx: &Context<'_>) -> Self;
    /// Whether `change` is a change of this object.
    fn concerns(&self, change: Change) -> bool;
    /// The object as `viewer` may see it, in `txn`'s snapshot; `NOT_FOUND`
    /// once they may not.
    fn read(
        &self,
        txn: &DatabaseTransaction,
        viewer: &Viewer,
    ) -> impl Future<Output = AppResult<Self::Item>> + Send;
}

/// A hearing's roster.
struct RosterOf(Uuid);

impl Target for RosterOf {
    type Item = Hearing;
    const KIND: Kind = Kind::Hearing;

    fn new(id: Uuid, _: &Context<'_>) -> Self {
        Self(id)
    }

    fn concerns(&self, change: Change) -> bool {
        change == Change::Roster(self.0)
    }

    /// The hearing with its roster and observations read in the same
    /// snapshot: nothing the event carries can postdate the visibility check.
    async fn read(&self, txn: &DatabaseTransaction, viewer: &Viewer) -> AppResult<Hearing> {
        let seen = hearings::find(txn, viewer, self.0).await?;
        let keys = [seen.key()];
        let observations = hearings::observations_of(txn, &keys).await?;
        let histories: Vec<_> = observations
            .iter()
            .filter_map(|o| hearings::history_key(seen.key(), o))
            .collect();
        let snapshot = Snapshot {
            claims: hearings::claims_of(txn, &keys).await?,
            revisions: hearings::revisions_of(txn, &histories).await?,
            observations,
        };
        Ok(Hearing::live(seen, snapshot))
    }
}

/// A joint statement, and whether the subscription reads versions other
/// than the current and the final one (`versions`, `version`, `diff`): up
/// to 100 texts of 50,000 characters, read on every event only if asked for.
struct StatementOf {
    id: Uuid,
    every_version: bool,
}

impl Target for StatementOf {
    type Item = Statement;
    const KIND: Kind = Kind::Statement;

    fn new(id: Uuid, ctx: &Context<'_>) -> Self {
        let selection = ctx.look_ahead();
        let every_version = ["versions", "version", "diff"]
            .iter()
            .any(|f| selection.field(f).exists());
        Self { id, every_version }
    }

    fn concerns(&self, change: Change) -> bool {
        change == Change::Statement(self.id)
    }

    /// Only the lead and the participating countries see it (rule 4). Its
    /// versions, participants and linked cases (as far as the viewer sees
    /// those cases) are read in the same snapshot as that check, so nothing
    /// committed after it — a removal, then a new text — can show.
    async fn read(&self, txn: &DatabaseTransaction, viewer: &Viewer) -> AppResult<Statement> {
        let seen = statements::find(txn, viewer, self.id).await?;
        let keys = [seen.key()];
        let versions = if self.every_version {
            statements::versions_of(txn, &keys).await?
        } else {
            let model = seen.model();
            let wanted: Vec<_> = std::iter::once(model.current_version)
                .chain(model.final_version)
                .map(|n| (seen.key(), n))
                .collect();
            statements::versions_numbered(txn, &wanted).await?
        };
        let snapshot = StatementSnapshot {
            versions,
            participants: statements::participants_of(txn, &keys).await?,
            cases: statements::linked_cases_of(txn, viewer, &keys)
                .await?
                .into_iter()
                .map(|(_, c)| c)
                .collect(),
        };
        Ok(Statement::live(seen, snapshot))
    }
}

/// What a connection was opened with (put into its data by
/// `http/websocket.rs`); every event re-checks it.
#[derive(Clone)]
pub struct Session {
    pub token: String,
    pub expires: Instant,
}

/// One subscriber's view of one object.
struct Watch<T> {
    state: AppState,
    viewer: Viewer,
    session: Session,
    target: T,
    events: broadcast::Receiver<Change>,
    recheck: Interval,
    /// Counts this subscription in `accord_subscriptions_open` while it lives.
    _open: crate::metrics::Counted,
}

impl<T: Target> Watch<T> {
    async fn open(ctx: &Context<'_>, id: &ID) -> AppResult<(Self, T::Item)> {
        let (state, viewer) = ctx.parts()?;
        let session = ctx
            .data_opt::<Session>()
            .ok_or(AppError::Unauthenticated(
                "subscriptions are served over WebSocket at /graphql/ws",
            ))?
            .clone();
        let target = T::new(ids::decode(T::KIND, id)?, ctx);
        let watch = Self {
            state: state.clone(),
            viewer: viewer.clone(),
            session,
            target,
            // Subscribed before the first read, so no change slips in between.
            events: state.live.subscribe(),
            recheck: tokio::time::interval_at(Instant::now() + RECHECK_EVERY, RECHECK_EVERY),
            _open: crate::metrics::Counted::new(
                &state.metrics,
                crate::metrics::Live::Subscriptions,
            ),
        };
        let now = watch.read().await?;
        Ok((watch, now))
    }

    /// The viewer re-authenticated: still the one the connection opened for.
    async fn check_session(&self) -> AppResult<Viewer> {
        if Instant::now() >= self.session.expires {
            return Err(EXPIRED);
        }
        let viewer = authenticate(&self.state, &self.session.token).await?;
        if !same_viewer(&viewer, &self.viewer) {
            return Err(CHANGED);
        }
        Ok(viewer)
    }

    /// The object as this viewer may see it now, checked like a new request
    /// (the token re-authenticated, visibility decided by the policy).
    async fn read(&self) -> AppResult<T::Item> {
        let viewer = self.check_session().await?;
        let db = &self.state.db;
        // SQLite has one connection, so any transaction is a snapshot; on
        // PostgreSQL it takes REPEATABLE READ.
        let (isolation, access) = match db.get_database_backend() {
            DbBackend::Postgres => (
                Some(IsolationLevel::RepeatableRead),
                Some(AccessMode::ReadOnly),
            ),
            _ => (None, None),
        };
        let txn = db.begin_with_config(isolation, access).await?;
        let item = self.target.read(&txn, &viewer).await?;
        txn.commit().await?;
        Ok(item)
    }

    /// The object after its next change; `Err` ends the stream, `None` means
    /// the hub is gone (the server is stopping).
    async fn next_change(&mut self) -> Option<AppResult<T::Item>> {
        loop {
            tokio::select! {
                () = tokio::time::sleep_until(self.session.expires) => return Some(Err(EXPIRED)),
                _ = self.recheck.tick() => match self.read().await {
                    Ok(_) => {}
                    Err(AppError::Unavailable { .. }) => break,
                    Err(e) => return Some(Err(e)),
                },
                event = self.events.recv() => match event {
                    // Changes may have been missed: re-read to be sure.
                    Ok(Change::Unknown) | Err(RecvError::Lagged(_)) => break,
                    Ok(change) if self.target.concerns(change) => break,
                    // Some session of this user ended: if it is this one, the
                    // stream ends now (nothing is shown otherwise).
                    Ok(Change::SessionsEnded(user)) if user == self.viewer.user_id => {
                        match self.check_session().await {
                            Ok(_) => {}
                            Err(AppError::Unavailable { .. }) => break,
                            Err(e) => return Some(Err(e)),
                        }
                    }
                    Ok(_) => {}
                    Err(RecvError::Closed) => return None,
                },
            }
        }
        Some(self.read_when_available().await)
    }

    /// Reads once the database answers. While it is unavailable the stream
    /// stays open and shows nothing (the policy cannot be asked), retrying
    /// with back-off; the first read that succeeds is sent, as changes may
    /// have been missed meanwhile. The session's expiry still ends it.
    async fn read_when_available(&mut self) -> AppResult<T::Item> {
        let mut wait = UNAVAILABLE_RETRY_FIRST;
        loop {
            // Changes already queued are folded into the one read below.
            while let Ok(_) | Err(TryRecvError::Lagged(_)) = self.events.try_recv() {}
            match self.read().await {
                Err(AppError::Unavailable { .. }) => {}
                answer => return answer,
            }
            tokio::select! {
                () = tokio::time::sleep_until(self.session.expires) => return Err(EXPIRED),
                () = tokio::time::sleep(wait) => {}
            }
            wait = (wait * 2).min(UNAVAILABLE_RETRY_MAX);
        }
    }

    fn into_stream(self, now: T::Item) -> BoxStream<'static, async_graphql::Result<T::Item>> {
        let first = stream::once(future::ready(Ok(now)));
        let rest = stream::unfold(Some(self), |watch| async move {
            let mut watch = watch?;
            match watch.next_change().await? {
                Ok(item) => Some((Ok(item), Some(watch))),
                // The error is the stream's last item.
                Err(e) => Some((Err(e.extend()), None)),
            }
        });
        first.chain(rest).boxed()
    }
}

/// Whether a re-authenticated viewer is still the one the connection was
/// opened for (same user, session, role and country).
fn same_viewer(a: &Viewer, b: &Viewer) -> bool {
    a.user_id == b.user_id
        && a.session_id == b.session_id
        && a.role == b.role
        && a.country == b.country
        && a.mission_id == b.mission_id
        && a.organization_id == b.organization_id
}
