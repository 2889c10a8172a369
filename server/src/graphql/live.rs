//! Live updates: the `rosterChanged` and `statementChanged` subscriptions and
//! the `graphql-transport-ws` session at `/graphql/ws` that carries them.
//!
//! The viewer is authenticated once, at `connection_init`, from the token in
//! its payload; a missing or bad token closes the connection (4403). Every
//! event is then re-checked as if it were a new request: the token is
//! re-authenticated (logout and deactivation end the stream), the hearing or
//! statement is re-read through the policy (lost visibility ends it with
//! `NOT_FOUND`), and when the access token expires the stream ends with
//! `UNAUTHENTICATED` and the connection closes.
use std::time::Duration;

use async_graphql::http::{WebSocketProtocols, WsMessage};
use async_graphql::{Context, Data, ErrorExtensions, ID, ResultExt, Subscription};
use axum::extract::ws::{CloseFrame, Message, WebSocket};
use futures::stream::{self, BoxStream};
use futures::{SinkExt, StreamExt, future};
use sea_orm::{AccessMode, DatabaseTransaction, DbBackend, IsolationLevel, TransactionTrait};
use tokio::sync::broadcast::error::{RecvError, TryRecvError};
use tokio::sync::{broadcast, watch};
use tokio::time::{Instant, Interval};
use uuid::Uuid;

use crate::auth::Viewer;
use crate::error::{AppError, AppResult};
use crate::graphql::AccordSchema;
use crate::graphql::context::ContextExt;
use crate::graphql::hearings::{Hearing, Snapshot};
use crate::graphql::ids::{self, Kind};
use crate::graphql::loaders;
use crate::graphql::statements::{Statement, StatementSnapshot};
use crate::live::Change;
use crate::policy::{hearings, statements};
use crate::service::auth::authenticate;
use crate::state::AppState;

/// The one WebSocket subprotocol spoken at `/graphql/ws`.
pub const PROTOCOL: &str = "graphql-transport-ws";

/// How long a client has to send `connection_init` (then 4408).
const INIT_TIMEOUT: Duration = Duration::from_secs(10);

/// How often a quiet subscription re-checks its viewer and object, so that a
/// logout or lost visibility ends it even when nothing changes.
const RECHECK_EVERY: Duration = Duration::from_secs(30);

/// After the token expires, subscriptions end at once; the connection closes
/// this much later, so that clients first see why.
const EXPIRY_GRACE: Duration = Duration::from_secs(1);

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
    fn new(id: Uuid) -> Self;
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

    fn new(id: Uuid) -> Self {
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
        let snapshot = Snapshot {
            claims: hearings::claims_of(txn, &keys).await?,
            observations: hearings::observations_of(txn, &keys).await?,
        };
        Ok(Hearing::live(seen, snapshot))
    }
}

/// A joint statement.
struct StatementOf(Uuid);

impl Target for StatementOf {
    type Item = Statement;
    const KIND: Kind = Kind::Statement;

    fn new(id: Uuid) -> Self {
        Self(id)
    }

    fn concerns(&self, change: Change) -> bool {
        change == Change::Statement(self.0)
    }

    /// Only the lead and the participating countries see it (rule 4). Its
    /// versions, participants and linked cases (as far as the viewer sees
    /// those cases) are read in the same snapshot as that check, so nothing
    /// committed after it — a removal, then a new text — can show.
    async fn read(&self, txn: &DatabaseTransaction, viewer: &Viewer) -> AppResult<Statement> {
        let seen = statements::find(txn, viewer, self.0).await?;
        let keys = [seen.key()];
        let snapshot = StatementSnapshot {
            versions: statements::versions_of(txn, &keys).await?,
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

/// What a connection was opened with; every event re-checks it.
#[derive(Clone)]
struct Session {
    token: String,
    expires: Instant,
}

/// One subscriber's view of one object.
struct Watch<T> {
    state: AppState,
    viewer: Viewer,
    session: Session,
    target: T,
    events: broadcast::Receiver<Change>,
    recheck: Interval,
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
        let target = T::new(ids::decode(T::KIND, id)?);
        let watch = Self {
            state: state.clone(),
            viewer: viewer.clone(),
            session,
            target,
            // Subscribed before the first read, so no change slips in between.
            events: state.live.subscribe(),
            recheck: tokio::time::interval_at(Instant::now() + RECHECK_EVERY, RECHECK_EVERY),
        };
        let now = watch.read().await?;
        Ok((watch, now))
    }

    /// The object as this viewer may see it now, checked like a new request
    /// (the token re-authenticated, visibility decided by the policy).
    async fn read(&self) -> AppResult<T::Item> {
        if Instant::now() >= self.session.expires {
            return Err(EXPIRED);
        }
        let viewer = authenticate(&self.state, &self.session.token).await?;
        if !same_viewer(&viewer, &self.viewer) {
            return Err(CHANGED);
        }
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
                _ = self.recheck.tick() => {
                    if let Err(e) = self.read().await {
                        return Some(Err(e));
                    }
                }
                event = self.events.recv() => match event {
                    // Changes may have been missed: re-read to be sure.
                    Ok(Change::Unknown) | Err(RecvError::Lagged(_)) => break,
                    Ok(change) if self.target.concerns(change) => break,
                    Ok(_) => {}
                    Err(RecvError::Closed) => return None,
                },
            }
        }
        // Changes already queued are folded into the one read below.
        while let Ok(_) | Err(TryRecvError::Lagged(_)) = self.events.try_recv() {}
        Some(self.read().await)
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

/// The bearer token of a `connection_init` payload:
/// `{"Authorization": "Bearer <token>"}` (or `authorization`, or `token`).
/// As over HTTP, `Authorization` must be `Bearer <token>`; `token` may be bare.
fn token_from(payload: &serde_json::Value) -> AppResult<String> {
    let field = |key: &str| payload.get(key).and_then(serde_json::Value::as_str);
    let token = match field("Authorization").or_else(|| field("authorization")) {
        Some(header) => header.strip_prefix("Bearer "),
        None => field("token").map(|t| t.strip_prefix("Bearer ").unwrap_or(t)),
    }
    .map(str::trim)
    .unwrap_or_default();
    if token.is_empty() {
        return Err(AppError::Unauthenticated(
            "connection_init must carry {\"Authorization\": \"Bearer <token>\"}",
        ));
    }
    Ok(token.to_owned())
}

/// Authenticates a connection; its data then holds the viewer, the session
/// and the loaders (which do not cache across events).
async fn open_session(state: &AppState, payload: serde_json::Value) -> AppResult<(Data, Instant)> {
    let token = token_from(&payload)?;
    let claims = state.keys.verify(&token)?;
    let viewer = authenticate(state, &token).await?;
    let left = claims.exp - chrono::Utc::now().timestamp();
    let expires = Instant::now() + Duration::from_secs(u64::try_from(left).unwrap_or(0));
    tracing::info!(user = %viewer.user_id, "websocket authenticated");
    let mut data = loaders::attach(Data::default(), &state.db, Some(&viewer));
    data.insert(viewer);
    data.insert(Session { token, expires });
    Ok((data, expires))
}

#[derive(Clone, Copy)]
enum Handshake {
    Waiting,
    Refused,
    Until(Instant),
}

/// Serves one upgraded `graphql-transport-ws` connection until either side
/// closes it, the client fails to initialise in time, or its token expires.
pub async fn serve(socket: WebSocket, schema: AccordSchema, state: AppState) {
    let (mut sink, source) = socket.split();
    let input = source
        .take_while(|m| future::ready(m.is_ok()))
        .filter_map(|m| {
            future::ready(match m {
                Ok(m @ (Message::Text(_) | Message::Binary(_))) => Some(m.into_data()),
                _ => None,
            })
        });
    let (handshake_tx, handshake) = watch::channel(Handshake::Waiting);
    let messages =
        async_graphql::http::WebSocket::new(schema, input, WebSocketProtocols::GraphQLWS)
            .on_connection_init(move |payload| async move {
                match open_session(&state, payload).await {
                    Ok((data, expires)) => {
                        let _ = handshake_tx.send(Handshake::Until(expires));
                        Ok(data)
                    }
                    Err(e) => {
                        let _ = handshake_tx.send(Handshake::Refused);
                        Err(async_graphql::Error::new(e.to_string()))
                    }
                }
            });
    futures::pin_mut!(messages);
    let opened = Instant::now();
    loop {
        let now = *handshake.borrow();
        let (deadline, (code, reason)) = match now {
            Handshake::Until(expires) => (
                expires + EXPIRY_GRACE,
                (4403, "Forbidden: the access token expired".to_owned()),
            ),
            Handshake::Waiting | Handshake::Refused => (
                opened + INIT_TIMEOUT,
                (4408, "Connection initialisation timeout".to_owned()),
            ),
        };
        let outgoing = tokio::select! {
            message = messages.next() => match message {
                Some(WsMessage::Text(text)) => Message::Text(text.into()),
                Some(WsMessage::Close(code, reason)) => {
                    let (code, reason) = close_code(*handshake.borrow(), code, reason);
                    close(code, reason)
                }
                None => break,
            },
            () = tokio::time::sleep_until(deadline) => close(code, reason),
        };
        let closing = matches!(outgoing, Message::Close(_));
        if sink.send(outgoing).await.is_err() || closing {
            break;
        }
    }
}

/// The protocol's close codes where the library uses generic ones: 4403 for a
/// refused `connection_init`, 4401 for a `subscribe` before it.
fn close_code(handshake: Handshake, code: u16, reason: String) -> (u16, String) {
    match (handshake, code) {
        (Handshake::Refused, 1002) => (4403, format!("Forbidden: {reason}")),
        (Handshake::Waiting, 1011) => (4401, "Unauthorized".to_owned()),
        _ => (code, reason),
    }
}

fn close(code: u16, reason: String) -> Message {
    Message::Close(Some(CloseFrame {
        code,
        reason: reason.into(),
    }))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn the_token_comes_from_the_init_payload() {
        for payload in [
            json!({ "Authorization": "Bearer abc" }),
            json!({ "authorization": "Bearer abc" }),
            json!({ "token": "abc" }),
            json!({ "token": "Bearer abc" }),
        ] {
            assert_eq!(token_from(&payload).expect("token"), "abc", "{payload}");
        }
        for payload in [
            json!({}),
            json!(null),
            json!({ "Authorization": "Bearer " }),
            json!({ "Authorization": 7 }),
            json!({ "Authorization": "abc" }),
        ] {
            assert!(token_from(&payload).is_err(), "{payload}");
        }
    }
}
