//! `/graphql/ws`: the upgrade and the `graphql-transport-ws` protocol around
//! async-graphql's implementation. A browser sends `Origin` on every
//! WebSocket handshake and CORS does not protect WebSockets, so pages from
//! other origins are refused at the upgrade (403).
//!
//! The viewer is authenticated once, at `connection_init`, from the token in
//! its payload; a missing or bad token closes the connection (4403). When
//! the access token expires the connection closes (4403) shortly after its
//! subscriptions ended (`graphql/live.rs` re-checks each event as a request).
//!
//! Abuse limits (configurable): a connection holds at most
//! `ws_max_subscriptions` subscriptions (one more is answered `error` with
//! `RATE_LIMITED`); a user holds at most `ws_max_connections_per_user`
//! connections per server process (the next `connection_init` is closed
//! 4429); a client sends at most `ws_max_messages_per_minute` messages (a
//! token bucket of that size refilled over a minute; beyond it, close 4429).
//! Queries and mutations are refused over the socket (`error`,
//! `BAD_USER_INPUT`): they belong to `POST /graphql` and its limits. A logout,
//! deactivation or refresh-token reuse (`Change::SessionsEnded`) makes the
//! connection re-authenticate, and closes it if its session ended (4403).
//!
//! Protocol points async-graphql leaves open, kept here: a `subscribe` whose
//! id is still open closes the socket with 4409 (it would silently replace
//! the first); a message or frame over `MAX_BODY_BYTES` closes it with
//! 1009 (not a dropped connection); an event over `ACCORD_MAX_RESPONSE_BYTES`
//! (`graphql/size.rs` ends the stream with the refusal) is sent as the
//! protocol's `error` message for its id, with no `complete` after it.
//!
//! Shape: `serve` is a short loop that waits for the first event (a client
//! frame, a protocol message, a live change, a session check, the deadline)
//! and hands it to one `Connection` method, which says what to send.
//!
//! Close codes: 1002 malformed message, 1009 a message or frame over 256 KiB,
//! 4401 `subscribe` before `connection_init`, 4403 refused or ended session,
//! 4408 no `connection_init` within 10 s, 4409 a `subscribe` whose id is still
//! open, 4429 too many connections or messages, 1013 ("try again later", reason
//! `UNAVAILABLE: …`) when the database could not check the token at
//! `connection_init`.
use std::collections::{HashMap, HashSet, VecDeque};
use std::net::SocketAddr;
use std::time::Duration;

use async_graphql::Data;
use async_graphql::http::{WebSocketProtocols, WsMessage};
use async_graphql::parser::types::{DocumentOperations, OperationType};
use axum::extract::State;
use axum::extract::ws::{
    CloseFrame, Message, WebSocket, WebSocketUpgrade, rejection::WebSocketUpgradeRejection,
};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use futures::{SinkExt, StreamExt};
use serde_json::json;
use tokio::sync::broadcast::error::RecvError;
use tokio::sync::watch;
use tokio::time::Instant;
use uuid::Uuid;

use super::refusal::error_response;
use super::{Http, MAX_BODY_BYTES};
use crate::auth::request::token_from_init;
use crate::error::AppError;
use crate::graphql::AccordSchema;
use crate::graphql::live::Session;
use crate::graphql::loaders;
use crate::live::{Change, ConnectionSlot};
use crate::msg;
use crate::service::auth::authenticate;
use crate::state::AppState;

/// The one WebSocket subprotocol spoken at `/graphql/ws`.
const PROTOCOL: &str = "graphql-transport-ws";

/// How long a client has to send `connection_init` (then 4408).
const INIT_TIMEOUT: Duration = Duration::from_secs(10);

/// After the token expires, subscriptions end at once; the connection closes
/// this much later, so that clients first see why.
const EXPIRY_GRACE: Duration = Duration::from_secs(1);

/// Subscriptions: `graphql-transport-ws` only. A browser sends `Origin` on
/// every WebSocket handshake and CORS does not protect WebSockets, so pages
/// from other origins are refused here (403); clients that send no `Origin`
/// (not browsers) are let through. The token is checked at `connection_init`.
pub(super) async fn upgrade(
    State(http): State<Http>,
    peer: Option<axum::Extension<axum::extract::ConnectInfo<SocketAddr>>>,
    headers: HeaderMap,
    upgrade: Result<WebSocketUpgrade, WebSocketUpgradeRejection>,
) -> Response {
    // An upgrade counts against the address's request rate.
    if let Some(axum::Extension(axum::extract::ConnectInfo(addr))) = peer
        && let Some(refused) = http.limits.refuse_address(addr.ip())
    {
        http.state.metrics.rate_limited("address");
        return refused;
    }
    if let Some(origin) = headers.get(header::ORIGIN) {
        let origin = origin.to_str().ok().and_then(crate::config::web_origin);
        if !origin.as_ref().is_some_and(|o| http.origins.contains(o)) {
            return origin_refused(origin.as_deref(), &http.state.config.public_url);
        }
    }
    let upgrade = match upgrade {
        Ok(upgrade) => upgrade,
        Err(rejection) => return rejection.into_response(),
    };
    let protocol = PROTOCOL;
    let offered = headers
        .get(header::SEC_WEBSOCKET_PROTOCOL)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.split(',')
                .any(|p| p.trim().eq_ignore_ascii_case(protocol))
        });
    if !offered {
        return error_response(
            StatusCode::BAD_REQUEST,
            &AppError::bad_input(
                "Sec-WebSocket-Protocol",
                msg!("input-must-offer-graphql-transport-ws"),
            ),
        );
    }
    let Http { state, schema, .. } = http;
    upgrade
        .protocols([protocol])
        .max_message_size(MAX_BODY_BYTES)
        .max_frame_size(MAX_BODY_BYTES)
        .on_upgrade(move |socket| serve(socket, schema, state))
}

/// 403 `FORBIDDEN` for a page whose origin may not open the WebSocket,
/// saying which origin was expected and which settings decide it (a new user
/// who moved the port meets this first, in GraphiQL). The expected origin is
/// the public URL's, which is no secret; the extra allowed origins are not
/// listed.
fn origin_refused(origin: Option<&str>, public_url: &str) -> Response {
    let expected = crate::config::web_origin(public_url).unwrap_or_else(|| public_url.to_owned());
    let origin = origin.map_or_else(
        || "this page's origin".to_owned(),
        |o| format!("origin {o}"),
    );
    super::refusal::refusal(
        StatusCode::FORBIDDEN,
        &format!(
            "{origin} may not open the WebSocket: pages are expected at {expected} (ACCORD_PUBLIC_URL) or an origin listed in ACCORD_ALLOWED_ORIGINS; set ACCORD_PUBLIC_URL to the address you open in the browser, or add this origin to ACCORD_ALLOWED_ORIGINS"
        ),
        json!({ "code": "FORBIDDEN" }),
    )
}

/// Serves one upgraded `graphql-transport-ws` connection until either side
/// closes it, the client fails to initialise in time, its token expires or
/// its session ends, or it exceeds a limit. Each turn waits for the first of
/// five events and hands it to the `Connection`; what it answers is sent.
async fn serve(socket: WebSocket, schema: AccordSchema, state: AppState) {
    let (mut sink, mut source) = socket.split();
    // Client messages reach the protocol through here once vetted; bounded
    // by the message rate (the sender never waits, so nothing deadlocks).
    let (to_protocol, input) = futures::channel::mpsc::unbounded::<Vec<u8>>();
    let (handshake_tx, handshake) = watch::channel(Handshake::Waiting);
    let mut events = state.live.subscribe();
    let messages = protocol(schema, input, state.clone(), handshake_tx);
    futures::pin_mut!(messages);
    let mut connection = Connection::new(state, to_protocol, handshake);
    loop {
        let (deadline, code, reason) = connection.deadline();
        let step = tokio::select! {
            frame = source.next() => connection.client_frame(frame),
            message = messages.next() => connection.protocol_message(message),
            event = events.recv() => connection.live_event(event),
            still = connection.session_check(), if connection.checking() => {
                connection.session_checked(still)
            },
            () = tokio::time::sleep_until(deadline) => Step::Send(close(code, reason.to_owned())),
        };
        let keep_going = match step {
            Step::Wait => true,
            Step::Stop => false,
            Step::Send(message) => connection.send(&mut sink, message).await,
        };
        if !keep_going {
            break;
        }
    }
}

/// The protocol implementation (async-graphql's), fed the vetted client
/// messages from `input`; `connection_init` opens the session and reports
/// how it went on `handshake`.
fn protocol(
    schema: AccordSchema,
    input: futures::channel::mpsc::UnboundedReceiver<Vec<u8>>,
    state: AppState,
    handshake: watch::Sender<Handshake>,
) -> impl futures::Stream<Item = WsMessage> {
    async_graphql::http::WebSocket::new(schema, input, WebSocketProtocols::GraphQLWS)
        .on_connection_init(move |payload| async move {
            let (told, answer) = match open_session(&state, payload).await {
                Ok((data, opened)) => (Handshake::Open(opened), Ok(data)),
                Err(Refusal::Forbidden(e)) => (
                    Handshake::Refused,
                    Err(async_graphql::Error::new(e.to_string())),
                ),
                Err(Refusal::Crowded) => {
                    state.metrics.rate_limited("websocket");
                    (
                        Handshake::Crowded,
                        Err(async_graphql::Error::new("Too many connections")),
                    )
                }
                Err(Refusal::Unavailable(e)) => (
                    Handshake::Unavailable,
                    Err(async_graphql::Error::new(e.to_string())),
                ),
            };
            let _ = handshake.send(told);
            answer
        })
}

/// What the loop does after an event.
enum Step {
    /// Nothing to send: wait for the next event.
    Wait,
    /// Send this to the client (a close frame ends the connection).
    Send(Message),
    /// The connection is over (either side went away).
    Stop,
}

/// One connection's state between events: the handshake, the client's
/// message allowance, the subscriptions as the protocol holds them, and a
/// session that ended or is being re-checked.
struct Connection {
    state: AppState,
    to_protocol: futures::channel::mpsc::UnboundedSender<Vec<u8>>,
    handshake: watch::Receiver<Handshake>,
    opened_at: Instant,
    bucket: Bucket,
    subscriptions: Subscriptions,
    /// Closing on a message too big: wait a little before dropping the socket.
    linger: bool,
    /// When the session ended (logout, deactivation): close shortly after.
    ended: Option<Instant>,
    /// A re-authentication under way after a session event.
    check: Option<tokio::task::JoinHandle<bool>>,
}

impl Connection {
    fn new(
        state: AppState,
        to_protocol: futures::channel::mpsc::UnboundedSender<Vec<u8>>,
        handshake: watch::Receiver<Handshake>,
    ) -> Self {
        let bucket = Bucket::new(state.config.ws_max_messages_per_minute);
        Self {
            state,
            to_protocol,
            handshake,
            opened_at: Instant::now(),
            bucket,
            subscriptions: Subscriptions::default(),
            linger: false,
            ended: None,
            check: None,
        }
    }

    /// When the connection closes unless something happens first, and how:
    /// the session ended, the token expires, or `connection_init` never came.
    fn deadline(&self) -> (Instant, u16, &'static str) {
        match (&*self.handshake.borrow(), self.ended) {
            (Handshake::Open(_), Some(at)) => {
                (at + EXPIRY_GRACE, 4403, "Forbidden: the session ended")
            }
            (Handshake::Open(o), None) => (
                o.expires + EXPIRY_GRACE,
                4403,
                "Forbidden: the access token expired",
            ),
            _ => (
                self.opened_at + INIT_TIMEOUT,
                4408,
                "Connection initialisation timeout",
            ),
        }
    }

    /// A frame from the client (or its end).
    fn client_frame(&mut self, frame: Option<Result<Message, axum::Error>>) -> Step {
        match frame {
            Some(Ok(frame @ (Message::Text(_) | Message::Binary(_)))) => {
                self.client_text(frame.into_data())
            }
            // Pings are answered by the WebSocket layer; a close is
            // acknowledged there and the stream then ends.
            Some(Ok(_)) => Step::Wait,
            // Over the size limit: the protocol's 1009, not a silent
            // drop (which the client sees as 1006).
            Some(Err(e)) if too_big(&e) => {
                tracing::info!("websocket message over the size limit; closing 1009");
                self.linger = true;
                Step::Send(close(
                    1009,
                    format!("Message too big: at most {MAX_BODY_BYTES} bytes"),
                ))
            }
            Some(Err(_)) | None => Step::Stop,
        }
    }

    /// A client message: counted against its rate, vetted once the
    /// connection is open, then answered here or passed to the protocol.
    fn client_text(&mut self, data: axum::body::Bytes) -> Step {
        if !self.bucket.take() {
            tracing::warn!("websocket client over its message rate; closing");
            self.state.metrics.rate_limited("websocket");
            return Step::Send(close(4429, "Too many messages".to_owned()));
        }
        let open = matches!(&*self.handshake.borrow(), Handshake::Open(_));
        let verdict = if open {
            let max = self.state.config.ws_max_subscriptions;
            vet(&data, &self.subscriptions.active, max)
        } else {
            Verdict::Forward
        };
        match verdict {
            Verdict::Forward => {}
            Verdict::Subscribe(id) => self.subscriptions.subscribed(id),
            Verdict::Complete(id) => self.subscriptions.client_completed(id),
            Verdict::Reply(text) => return Step::Send(Message::Text(text.into())),
            Verdict::Close(code, reason) => return Step::Send(close(code, reason)),
        }
        self.forward(data.to_vec())
    }

    /// Passes a message on to the protocol.
    fn forward(&self, message: Vec<u8>) -> Step {
        match self.to_protocol.unbounded_send(message) {
            Ok(()) => Step::Wait,
            Err(_) => Step::Stop,
        }
    }

    /// A message from the protocol implementation, on its way to the client.
    fn protocol_message(&mut self, message: Option<WsMessage>) -> Step {
        match message {
            Some(WsMessage::Text(text)) => match outgoing(&text) {
                // Owed for a subscription already ended with `error`.
                Outgoing::Complete(id) if !self.subscriptions.server_completed(&id) => Step::Wait,
                Outgoing::TooLarge(id) => self.too_large(&id),
                _ => Step::Send(Message::Text(text.into())),
            },
            Some(WsMessage::Close(code, reason)) => {
                let (code, reason) = close_code(&self.handshake.borrow(), code, reason);
                Step::Send(close(code, reason))
            }
            None => Step::Stop,
        }
    }

    /// Subscription `id`'s event was over the response bound: the client is
    /// told with the protocol's `error`, and the subscription is stopped.
    fn too_large(&mut self, id: &str) -> Step {
        if !self.subscriptions.ended_too_large(id) {
            // The client completed it meanwhile.
            return Step::Wait;
        }
        // Stopped in the protocol now, before any later message of the
        // client's (which may reuse the id) is read by it; its `complete` is
        // not sent.
        let stop = serde_json::json!({ "type": "complete", "id": id });
        if let Step::Stop = self.forward(stop.to_string().into_bytes()) {
            return Step::Stop;
        }
        let max = self.state.config.max_response_bytes;
        Step::Send(Message::Text(too_large_message(id, max).into()))
    }

    /// A change from the live hub: a session event of this user (or a
    /// missed one) starts a re-authentication.
    fn live_event(&mut self, event: Result<Change, RecvError>) -> Step {
        let handshake = self.handshake.borrow();
        let Handshake::Open(o) = &*handshake else {
            return match event {
                Err(RecvError::Closed) => Step::Stop,
                _ => Step::Wait,
            };
        };
        let concerns = match event {
            Ok(Change::SessionsEnded(user)) => user == o.user_id,
            // Something may have been missed.
            Ok(Change::Unknown) | Err(RecvError::Lagged(_)) => true,
            Err(RecvError::Closed) => return Step::Stop,
            _ => false,
        };
        if concerns && self.ended.is_none() && self.check.is_none() {
            // In a task of its own: the loop drives the connection's
            // subscriptions, which may hold the database connection (SQLite
            // has one) that the check waits for.
            let (state, o) = (self.state.clone(), o.clone());
            drop(handshake);
            self.check = Some(tokio::spawn(async move {
                authenticate(&state, &o.token)
                    .await
                    .is_ok_and(|v| v.session_id == o.session_id)
            }));
        }
        Step::Wait
    }

    /// Whether a re-authentication is under way.
    fn checking(&self) -> bool {
        self.check.is_some()
    }

    /// The re-authentication under way, to its end (pending if none).
    async fn session_check(&mut self) -> Result<bool, tokio::task::JoinError> {
        match self.check.as_mut() {
            Some(task) => task.await,
            // Not polled: `checking` keeps the branch off without a check.
            None => std::future::pending().await,
        }
    }

    /// The re-authentication's verdict: a session that ended closes the
    /// connection shortly after (its subscriptions end on the same event).
    fn session_checked(&mut self, still: Result<bool, tokio::task::JoinError>) -> Step {
        self.check = None;
        // The check failing for another reason (the database) is not taken
        // for an ended session.
        if let Ok(false) = still {
            self.ended = Some(Instant::now());
        }
        Step::Wait
    }

    /// Sends `message`; whether the connection goes on (not after a close).
    async fn send(
        &self,
        sink: &mut futures::stream::SplitSink<WebSocket, Message>,
        message: Message,
    ) -> bool {
        let closing = matches!(message, Message::Close(_));
        if sink.send(message).await.is_ok() && !closing {
            return true;
        }
        if closing && self.linger {
            // The client may still be sending the rest of its message,
            // unread: a socket closed now would be reset and could take the
            // close frame with it. Give the client time to read it.
            tokio::time::sleep(CLOSE_LINGER).await;
        }
        false
    }
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
    let token = token_from_init(&payload).map_err(Refusal::Forbidden)?;
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
