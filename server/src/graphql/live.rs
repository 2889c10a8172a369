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
//!
//! Abuse limits (configurable): a connection holds at most
//! `ws_max_subscriptions` subscriptions (one more is answered `error` with
//! `RATE_LIMITED`); a user holds at most `ws_max_connections_per_user`
//! connections per server process (the next `connection_init` is closed
//! 4429); a client sends at most `ws_max_messages_per_minute` messages (a
//! token bucket of that size refilled over a minute; beyond it, close 4429).
//! Queries and mutations are refused over the socket (`error`,
//! `BAD_USER_INPUT`): they belong to `POST /graphql` and its limits. A logout,
//! deactivation or refresh-token reuse (`Change::SessionsEnded`) makes every
//! stream of that user re-authenticate at once, and closes the connections
//! whose session ended (4403).
//!
//! Protocol points async-graphql leaves open, kept here: a `subscribe` whose
//! id is still open closes the socket with 4409 (it would silently replace
//! the first); a message or frame over `http::MAX_BODY_BYTES` closes it with
//! 1009 (not a dropped connection); an event over `ACCORD_MAX_RESPONSE_BYTES`
//! (`graphql/size.rs` ends the stream with the refusal) is sent as the
//! protocol's `error` message for its id, with no `complete` after it.
use std::collections::{HashMap, HashSet, VecDeque};
use std::time::Duration;

use async_graphql::http::{WebSocketProtocols, WsMessage};
use async_graphql::parser::types::{DocumentOperations, OperationType};
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
use crate::live::{Change, ConnectionSlot};
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

/// The bearer token of a `connection_init` payload:
/// `{"Authorization": "Bearer <token>"}` (or `authorization`, or `token`).
/// As over HTTP, `Authorization` must be `Bearer <token>`; `token` may be bare.
fn token_from(payload: &serde_json::Value) -> AppResult<String> {
    let field = |key: &str| payload.get(key).and_then(serde_json::Value::as_str);
    let token = match field("Authorization").or_else(|| field("authorization")) {
        Some(header) => crate::http::bearer_token(header),
        None => field("token").map(|t| crate::http::bearer_token(t).unwrap_or(t)),
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

/// Why a `connection_init` was refused.
enum Refusal {
    /// A missing, bad or revoked token (4403).
    Forbidden(AppError),
    /// The user already holds the most connections allowed (4429).
    Crowded,
    /// The token could not be checked: the database is unavailable (1013).
    Unavailable(AppError),
}

/// Authenticates a connection and takes one of its user's connection slots;
/// its data then holds the viewer, the session, the slot (released with the
/// connection) and the loaders (which do not cache across events).
async fn open_session(
    state: &AppState,
    payload: serde_json::Value,
) -> Result<(Data, Opened), Refusal> {
    let token = token_from(&payload).map_err(Refusal::Forbidden)?;
    let claims = state.keys.verify(&token).map_err(Refusal::Forbidden)?;
    let viewer = authenticate(state, &token).await.map_err(|e| match e {
        AppError::Unavailable { .. } => Refusal::Unavailable(e),
        e => Refusal::Forbidden(e),
    })?;
    let slot: ConnectionSlot = state
        .live
        .connection_slot(viewer.user_id, state.config.ws_max_connections_per_user)
        .ok_or(Refusal::Crowded)?;
    let left = claims.exp - chrono::Utc::now().timestamp();
    let expires = Instant::now() + Duration::from_secs(u64::try_from(left).unwrap_or(0));
    tracing::info!(user = %viewer.user_id, "websocket authenticated");
    let opened = Opened {
        user_id: viewer.user_id,
        session_id: viewer.session_id,
        token: token.clone(),
        expires,
    };
    let mut data = loaders::attach(Data::default(), &state.db, Some(&viewer));
    data.insert(viewer);
    data.insert(Session { token, expires });
    data.insert(slot);
    Ok((data, opened))
}

/// An authenticated connection.
#[derive(Clone)]
struct Opened {
    user_id: Uuid,
    session_id: Uuid,
    token: String,
    expires: Instant,
}

#[derive(Clone)]
enum Handshake {
    Waiting,
    Refused,
    Crowded,
    /// The database could not be asked about the token (1013, try again later).
    Unavailable,
    Open(Opened),
}

/// A client's message allowance: `per_minute` at once, refilled evenly over
/// a minute.
struct Bucket {
    capacity: f64,
    tokens: f64,
    per_sec: f64,
    last: Instant,
}

impl Bucket {
    fn new(per_minute: u32) -> Self {
        let capacity = f64::from(per_minute.max(1));
        Self {
            capacity,
            tokens: capacity,
            per_sec: capacity / 60.0,
            last: Instant::now(),
        }
    }

    /// Whether one more message is allowed now.
    fn take(&mut self) -> bool {
        let now = Instant::now();
        let refill = now.duration_since(self.last).as_secs_f64() * self.per_sec;
        self.tokens = (self.tokens + refill).min(self.capacity);
        self.last = now;
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            true
        } else {
            false
        }
    }
}

/// What becomes of a client's message.
#[derive(Debug, PartialEq)]
enum Verdict {
    /// Passed to the protocol implementation.
    Forward,
    /// A `subscribe` passed on: subscription `id` is open from now on.
    Subscribe(String),
    /// A `complete` passed on: the client ends subscription `id`.
    Complete(String),
    /// Answered here (an `error` message for a refused `subscribe`).
    Reply(String),
    /// The connection is closed with this code and reason.
    Close(u16, String),
}

/// Decides a client message once the connection is open: a `subscribe` must
/// not reuse the id of a subscription still open (`active`; the protocol
/// then closes the socket, 4409), must carry a subscription (queries and
/// mutations go to `POST /graphql`, with its limits), and no more than `max`
/// subscriptions may be open.
fn vet(text: &[u8], active: &HashSet<String>, max: usize) -> Verdict {
    #[derive(serde::Deserialize)]
    struct Incoming {
        #[serde(rename = "type")]
        kind: String,
        id: Option<String>,
        payload: Option<Payload>,
    }
    #[derive(serde::Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct Payload {
        query: Option<String>,
        operation_name: Option<String>,
    }
    // Anything malformed is left to the protocol (it closes with 4400).
    let Ok(message) = serde_json::from_slice::<Incoming>(text) else {
        return Verdict::Forward;
    };
    let id = match (message.id, message.kind.as_str()) {
        (Some(id), "complete") => return Verdict::Complete(id),
        (Some(id), "subscribe") => id,
        _ => return Verdict::Forward,
    };
    if active.contains(&id) {
        return Verdict::Close(4409, already_exists(&id));
    }
    let payload = message.payload;
    let query = payload.as_ref().and_then(|p| p.query.as_deref());
    let name = payload.as_ref().and_then(|p| p.operation_name.as_deref());
    if let Some(kind) = query.and_then(|q| operation_type(q, name))
        && kind != OperationType::Subscription
    {
        return Verdict::Reply(refusal(
            &id,
            "BAD_USER_INPUT",
            "only subscriptions are served over the WebSocket; use POST /graphql for queries and mutations",
        ));
    }
    if active.len() >= max {
        return Verdict::Reply(refusal(
            &id,
            "RATE_LIMITED",
            &format!("at most {max} subscriptions per connection; complete one first"),
        ));
    }
    Verdict::Subscribe(id)
}

/// The protocol's reason for 4409, "Subscriber for <id> already exists",
/// with a long id cut (a close reason holds at most 123 bytes).
fn already_exists(id: &str) -> String {
    const ROOM: usize = 123 - "Subscriber for  already exists".len();
    let id = if id.len() <= ROOM {
        id.to_owned()
    } else {
        let mut end = ROOM - '…'.len_utf8();
        while !id.is_char_boundary(end) {
            end -= 1;
        }
        format!("{}…", &id[..end])
    };
    format!("Subscriber for {id} already exists")
}

/// The type of the operation a document would run, if it parses and names
/// one unambiguously (anything else is left to the schema to refuse).
fn operation_type(query: &str, name: Option<&str>) -> Option<OperationType> {
    let document = async_graphql::parser::parse_query(query).ok()?;
    match (document.operations, name) {
        (DocumentOperations::Single(op), _) => Some(op.node.ty),
        (DocumentOperations::Multiple(ops), Some(name)) => ops
            .into_iter()
            .find(|(n, _)| n.as_str() == name)
            .map(|(_, op)| op.node.ty),
        (DocumentOperations::Multiple(_), None) => None,
    }
}

/// A graphql-transport-ws `error` message for subscription `id`.
fn refusal(id: &str, code: &str, message: &str) -> String {
    serde_json::json!({
        "type": "error",
        "id": id,
        "payload": [{ "message": message, "extensions": { "code": code } }],
    })
    .to_string()
}

/// A server message, as far as the connection loop needs to know it.
#[derive(Debug, PartialEq)]
enum Outgoing {
    /// `complete` for a subscription.
    Complete(String),
    /// An event replaced by the response-size refusal (`graphql/size.rs`):
    /// the subscription's last.
    TooLarge(String),
    Other,
}

/// Reads a server message's type and id, and whether it carries the
/// response-size refusal (the event's data is skipped, not kept).
fn outgoing(text: &str) -> Outgoing {
    #[derive(serde::Deserialize)]
    struct Message {
        #[serde(rename = "type")]
        kind: String,
        id: Option<String>,
        payload: Option<Payload>,
    }
    #[derive(serde::Deserialize)]
    struct Payload {
        #[serde(default)]
        errors: Vec<Error>,
    }
    #[derive(serde::Deserialize)]
    struct Error {
        extensions: Option<serde_json::Map<String, serde_json::Value>>,
    }
    let Ok(Message {
        kind,
        id: Some(id),
        payload,
    }) = serde_json::from_str::<Message>(text)
    else {
        return Outgoing::Other;
    };
    match kind.as_str() {
        "complete" => Outgoing::Complete(id),
        "next"
            if payload.is_some_and(|p| {
                p.errors.iter().any(|e| {
                    e.extensions
                        .as_ref()
                        .is_some_and(|x| x.contains_key(crate::graphql::size::MARKER))
                })
            }) =>
        {
            Outgoing::TooLarge(id)
        }
        _ => Outgoing::Other,
    }
}

/// The protocol's `error` message for subscription `id` whose event was over
/// `max` bytes: the operation ends with it (no `complete` follows).
fn too_large_message(id: &str, max: usize) -> String {
    serde_json::json!({
        "type": "error",
        "id": id,
        "payload": [crate::graphql::size::too_large(max)],
    })
    .to_string()
}

/// Whether a read error is a message or frame over the size limit.
fn too_big(err: &axum::Error) -> bool {
    std::error::Error::source(err)
        .and_then(|e| e.downcast_ref::<tungstenite::Error>())
        .is_some_and(|e| {
            matches!(
                e,
                tungstenite::Error::Capacity(
                    tungstenite::error::CapacityError::MessageTooLong { .. }
                )
            )
        })
}

/// Serves one upgraded `graphql-transport-ws` connection until either side
/// closes it, the client fails to initialise in time, its token expires or
/// its session ends, or it exceeds a limit.
pub async fn serve(socket: WebSocket, schema: AccordSchema, state: AppState) {
    let config = state.config.clone();
    let (mut sink, mut source) = socket.split();
    // Client messages reach the protocol through here once vetted; bounded
    // by the message rate (the sender never waits, so nothing deadlocks).
    let (to_protocol, input) = futures::channel::mpsc::unbounded::<Vec<u8>>();
    let (handshake_tx, handshake) = watch::channel(Handshake::Waiting);
    let mut events = state.live.subscribe();
    let init_state = state.clone();
    let messages =
        async_graphql::http::WebSocket::new(schema, input, WebSocketProtocols::GraphQLWS)
            .on_connection_init(move |payload| async move {
                match open_session(&init_state, payload).await {
                    Ok((data, opened)) => {
                        let _ = handshake_tx.send(Handshake::Open(opened));
                        Ok(data)
                    }
                    Err(Refusal::Forbidden(e)) => {
                        let _ = handshake_tx.send(Handshake::Refused);
                        Err(async_graphql::Error::new(e.to_string()))
                    }
                    Err(Refusal::Crowded) => {
                        init_state.metrics.rate_limited("websocket");
                        let _ = handshake_tx.send(Handshake::Crowded);
                        Err(async_graphql::Error::new("Too many connections"))
                    }
                    Err(Refusal::Unavailable(e)) => {
                        let _ = handshake_tx.send(Handshake::Unavailable);
                        Err(async_graphql::Error::new(e.to_string()))
                    }
                }
            });
    futures::pin_mut!(messages);
    let opened_at = Instant::now();
    let mut bucket = Bucket::new(config.ws_max_messages_per_minute);
    let mut subscriptions = Subscriptions::default();
    // Closing on a message too big: wait a little before dropping the socket.
    let mut linger = false;
    // When the session ended (logout, deactivation): close shortly after.
    let mut ended: Option<Instant> = None;
    // A re-authentication under way after a session event.
    let mut check: Option<tokio::task::JoinHandle<bool>> = None;
    loop {
        let (deadline, code, reason) = match (&*handshake.borrow(), ended) {
            (Handshake::Open(_), Some(at)) => {
                (at + EXPIRY_GRACE, 4403, "Forbidden: the session ended")
            }
            (Handshake::Open(o), None) => (
                o.expires + EXPIRY_GRACE,
                4403,
                "Forbidden: the access token expired",
            ),
            _ => (
                opened_at + INIT_TIMEOUT,
                4408,
                "Connection initialisation timeout",
            ),
        };
        let outgoing = tokio::select! {
            frame = source.next() => match frame {
                Some(Ok(frame @ (Message::Text(_) | Message::Binary(_)))) => {
                    if !bucket.take() {
                        tracing::warn!("websocket client over its message rate; closing");
                        state.metrics.rate_limited("websocket");
                        close(4429, "Too many messages".to_owned())
                    } else {
                        let data = frame.into_data();
                        let open = matches!(&*handshake.borrow(), Handshake::Open(_));
                        let verdict = if open {
                            vet(&data, &subscriptions.active, config.ws_max_subscriptions)
                        } else {
                            Verdict::Forward
                        };
                        let answer = match verdict {
                            Verdict::Forward => None,
                            Verdict::Subscribe(id) => {
                                subscriptions.subscribed(id);
                                None
                            }
                            Verdict::Complete(id) => {
                                subscriptions.client_completed(id);
                                None
                            }
                            Verdict::Reply(text) => Some(Message::Text(text.into())),
                            Verdict::Close(code, reason) => Some(close(code, reason)),
                        };
                        match answer {
                            Some(answer) => answer,
                            None => {
                                if to_protocol.unbounded_send(data.to_vec()).is_err() {
                                    break;
                                }
                                continue;
                            }
                        }
                    }
                }
                // Pings are answered by the WebSocket layer; a close is
                // acknowledged there and the stream then ends.
                Some(Ok(_)) => continue,
                // Over the size limit: the protocol's 1009, not a silent
                // drop (which the client sees as 1006).
                Some(Err(e)) if too_big(&e) => {
                    tracing::info!("websocket message over the size limit; closing 1009");
                    linger = true;
                    close(1009, format!("Message too big: at most {} bytes", crate::http::MAX_BODY_BYTES))
                }
                Some(Err(_)) | None => break,
            },
            message = messages.next() => match message {
                Some(WsMessage::Text(text)) => match outgoing(&text) {
                    // Owed for a subscription already ended with `error`.
                    Outgoing::Complete(id) if !subscriptions.server_completed(&id) => continue,
                    Outgoing::TooLarge(id) => {
                        if !subscriptions.ended_too_large(&id) {
                            // The client completed it meanwhile.
                            continue;
                        }
                        // Stopped in the protocol now, before any later
                        // message of the client's (which may reuse the id)
                        // is read by it; its `complete` is not sent.
                        let stop = serde_json::json!({ "type": "complete", "id": id });
                        if to_protocol.unbounded_send(stop.to_string().into_bytes()).is_err() {
                            break;
                        }
                        Message::Text(too_large_message(&id, config.max_response_bytes).into())
                    }
                    _ => Message::Text(text.into()),
                },
                Some(WsMessage::Close(code, reason)) => {
                    let (code, reason) = close_code(&handshake.borrow(), code, reason);
                    close(code, reason)
                }
                None => break,
            },
            event = events.recv() => {
                let concerns = match (&event, &*handshake.borrow()) {
                    (Ok(Change::SessionsEnded(user)), Handshake::Open(o)) => *user == o.user_id,
                    // Something may have been missed.
                    (Ok(Change::Unknown) | Err(RecvError::Lagged(_)), Handshake::Open(_)) => true,
                    (Err(RecvError::Closed), _) => break,
                    _ => false,
                };
                if let (true, None, None, Handshake::Open(o)) =
                    (concerns, ended, &check, &*handshake.borrow())
                {
                    // In a task of its own: this loop drives the connection's
                    // subscriptions, which may hold the database connection
                    // (SQLite has one) that the check waits for.
                    let (state, o) = (state.clone(), o.clone());
                    check = Some(tokio::spawn(async move {
                        authenticate(&state, &o.token)
                            .await
                            .is_ok_and(|v| v.session_id == o.session_id)
                    }));
                }
                continue;
            },
            still = async {
                match check.as_mut() {
                    Some(task) => task.await,
                    // Not polled: the guard below keeps this branch off without a check.
                    None => std::future::pending().await,
                }
            }, if check.is_some() => {
                check = None;
                // The check failing for another reason (the database) is not
                // taken for an ended session.
                if let Ok(false) = still {
                    // Its subscriptions end on the same event; the
                    // connection closes right after.
                    ended = Some(Instant::now());
                }
                continue;
            },
            () = tokio::time::sleep_until(deadline) => close(code, reason.to_owned()),
        };
        let closing = matches!(outgoing, Message::Close(_));
        if sink.send(outgoing).await.is_err() || closing {
            if closing && linger {
                // The client may still be sending the rest of its message,
                // unread: a socket closed now would be reset and could take
                // the close frame with it. Give the client time to read it.
                tokio::time::sleep(CLOSE_LINGER).await;
            }
            break;
        }
    }
}

/// The subscriptions open on a connection, as the protocol implementation
/// will hold them once it has read every client message passed to it (it
/// reads them all before it polls its streams again), and the `complete`
/// messages it still owes for subscriptions ended before it knew.
#[derive(Default)]
struct Subscriptions {
    active: HashSet<String>,
    /// Per id, for each `complete` owed: whether it goes on to the client
    /// (the client completed it) or not (it already had an `error`).
    owed: HashMap<String, VecDeque<bool>>,
}

impl Subscriptions {
    /// A `subscribe` passed on.
    fn subscribed(&mut self, id: String) {
        self.active.insert(id);
    }

    /// A client's `complete` passed on: the protocol answers `complete` if
    /// the subscription is still open. The id is free again at once.
    fn client_completed(&mut self, id: String) {
        if self.active.remove(&id) {
            self.owed.entry(id).or_default().push_back(true);
        }
    }

    /// The protocol sent `complete` for `id`: whether it goes to the client.
    fn server_completed(&mut self, id: &str) -> bool {
        if let Some(owed) = self.owed.get_mut(id) {
            let send = owed.pop_front().unwrap_or(true);
            if owed.is_empty() {
                self.owed.remove(id);
            }
            return send;
        }
        self.active.remove(id);
        true
    }

    /// `id`'s event was over the response bound: ended here (its `complete`
    /// is owed, not sent). `false` if the client had completed it already.
    fn ended_too_large(&mut self, id: &str) -> bool {
        if !self.active.remove(id) {
            return false;
        }
        self.owed.entry(id.to_owned()).or_default().push_back(false);
        true
    }
}

/// How long a connection closed for a message too big stays open for the
/// client to read why (1009), before the socket is dropped.
const CLOSE_LINGER: Duration = Duration::from_millis(500);

/// The protocol's close codes where the library uses generic ones: 4403 for a
/// refused `connection_init`, 4429 when the user holds too many connections,
/// 1013 (RFC 6455 "try again later") when the database is unavailable,
/// 4401 for a `subscribe` before it.
fn close_code(handshake: &Handshake, code: u16, reason: String) -> (u16, String) {
    match (handshake, code) {
        (Handshake::Refused, 1002) => (4403, format!("Forbidden: {reason}")),
        (Handshake::Crowded, 1002) => (4429, reason),
        (Handshake::Unavailable, 1002) => (1013, format!("UNAVAILABLE: {reason}")),
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
            json!({ "Authorization": "bearer abc" }),
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

    fn subscribe(query: &str, name: Option<&str>) -> Vec<u8> {
        json!({ "type": "subscribe", "id": "7",
            "payload": { "query": query, "operationName": name } })
        .to_string()
        .into_bytes()
    }

    fn code_of(verdict: Verdict) -> String {
        match verdict {
            Verdict::Reply(text) => {
                let m: serde_json::Value = serde_json::from_str(&text).expect("json");
                assert_eq!(
                    (m["type"].as_str(), m["id"].as_str()),
                    (Some("error"), Some("7"))
                );
                m["payload"][0]["extensions"]["code"]
                    .as_str()
                    .expect("code")
                    .to_owned()
            }
            other => panic!("expected a reply, got {other:?}"),
        }
    }

    fn open(n: usize) -> HashSet<String> {
        (0..n).map(|i| format!("open-{i}")).collect()
    }

    #[test]
    fn only_subscriptions_are_served_and_only_so_many() {
        let sub = "subscription { rosterChanged(hearingId: \"x\") { id } }";
        assert_eq!(
            vet(&subscribe(sub, None), &open(0), 2),
            Verdict::Subscribe("7".into())
        );
        assert_eq!(
            code_of(vet(&subscribe(sub, None), &open(2), 2)),
            "RATE_LIMITED"
        );
        for query in [
            "{ __typename }",
            "query { __typename }",
            "mutation { logout }",
        ] {
            assert_eq!(
                code_of(vet(&subscribe(query, None), &open(0), 2)),
                "BAD_USER_INPUT"
            );
        }
        let both = format!("query Q {{ __typename }} subscription S {}", &sub[13..]);
        assert_eq!(
            code_of(vet(&subscribe(&both, Some("Q")), &open(0), 2)),
            "BAD_USER_INPUT"
        );
        assert_eq!(
            vet(&subscribe(&both, Some("S")), &open(0), 2),
            Verdict::Subscribe("7".into())
        );
        // Left to the protocol and the schema: other messages, bad documents.
        assert_eq!(
            vet(&subscribe("{", None), &open(0), 2),
            Verdict::Subscribe("7".into())
        );
        assert_eq!(vet(br#"{"type":"ping"}"#, &open(5), 2), Verdict::Forward);
        assert_eq!(vet(b"not json", &open(5), 2), Verdict::Forward);
        assert_eq!(
            vet(br#"{"type":"complete","id":"3"}"#, &open(5), 2),
            Verdict::Complete("3".into())
        );
    }

    #[test]
    fn a_duplicate_subscribe_id_closes_the_socket() {
        let mut active = open(1);
        active.insert("7".into());
        // Whatever the operation, and before the count is looked at.
        for query in [
            "subscription { rosterChanged(hearingId: \"x\") { id } }",
            "{ __typename }",
        ] {
            assert_eq!(
                vet(&subscribe(query, None), &active, 1),
                Verdict::Close(4409, "Subscriber for 7 already exists".into())
            );
        }
        let long = "é".repeat(200);
        let reason = already_exists(&long);
        assert!(reason.len() <= 123, "{}", reason.len());
        assert!(reason.starts_with("Subscriber for éé") && reason.ends_with("… already exists"));
    }

    #[test]
    fn subscriptions_are_counted_as_the_protocol_holds_them() {
        let mut subs = Subscriptions::default();
        subs.subscribed("a".into());
        subs.subscribed("b".into());
        // It ends by itself: its `complete` is sent, the id is free.
        assert!(subs.server_completed("a"));
        assert_eq!(subs.active, HashSet::from(["b".to_owned()]));
        // The client completes it and subscribes again under the same id
        // before the protocol's `complete` for the first comes: that one is
        // sent, and the new subscription stays open.
        subs.client_completed("b".into());
        subs.subscribed("b".into());
        assert!(subs.server_completed("b"));
        assert_eq!(subs.active, HashSet::from(["b".to_owned()]));
        // An event over the bound ends it; the protocol's `complete` is not
        // sent (the client had `error`).
        assert!(subs.ended_too_large("b"));
        assert!(subs.active.is_empty());
        subs.subscribed("b".into());
        assert!(!subs.server_completed("b"));
        assert_eq!(subs.active, HashSet::from(["b".to_owned()]));
        assert!(subs.owed.is_empty());
        // Completed by the client first: nothing to tell.
        subs.client_completed("b".into());
        assert!(!subs.ended_too_large("b"));
    }

    #[test]
    fn server_messages_are_told_apart() {
        assert_eq!(
            outgoing(r#"{"type":"complete","id":"1"}"#),
            Outgoing::Complete("1".into())
        );
        assert_eq!(
            outgoing(r#"{"type":"next","id":"1","payload":{"data":{"a":1}}}"#),
            Outgoing::Other
        );
        assert_eq!(
            outgoing(
                r#"{"type":"next","id":"1","payload":{"data":null,"errors":[{"message":"x","extensions":{"code":"NOT_FOUND"}}]}}"#
            ),
            Outgoing::Other
        );
        let too_large = serde_json::json!({ "type": "next", "id": "9",
            "payload": crate::graphql::size::too_large_response(5000) });
        assert_eq!(
            outgoing(&too_large.to_string()),
            Outgoing::TooLarge("9".into())
        );
        assert_eq!(outgoing(r#"{"type":"pong"}"#), Outgoing::Other);
        assert_eq!(outgoing("not json"), Outgoing::Other);
        let error: serde_json::Value =
            serde_json::from_str(&too_large_message("9", 5000)).expect("json");
        assert_eq!(error["type"], "error");
        assert_eq!(error["id"], "9");
        assert_eq!(error["payload"][0]["extensions"]["code"], "BAD_USER_INPUT");
        assert_eq!(error["payload"][0]["extensions"]["maxResponseBytes"], 5000);
    }

    #[test]
    fn the_message_bucket_allows_a_minutes_worth() {
        let mut bucket = Bucket::new(3);
        assert!(bucket.take() && bucket.take() && bucket.take());
        assert!(!bucket.take());
        bucket.last -= Duration::from_secs(20);
        assert!(bucket.take(), "one refilled after 20 s");
        assert!(!bucket.take());
    }
}
