//! Serving the public listener: HTTP/1.1 (with upgrades, for the
//! WebSocket), one task per connection, graceful shutdown, and a bound on
//! the requests open at once, applied *before* hyper reads them.
//!
//! Why before: a request hyper has read costs about 22 KiB of touched memory
//! until it is answered, wherever it then waits (README "Performance"),
//! while bytes not yet read cost this process nothing (they wait in the
//! kernel's socket buffer). So a connection is read from only while it
//! holds one of `ACCORD_MAX_OPEN_REQUESTS` places:
//! - taken when bytes arrive and no request of the connection is open;
//! - kept while one is open (read, waiting, executing, until hyper has taken
//!   its response body); given back then, or when the connection
//!   waits for more bytes with no request open. An idle keep-alive
//!   connection and a client sending its request head slowly hold none;
//!   a client sending its *body* slowly holds one until the request timeout.
//!
//! A new connection waits for its place before hyper's connection (about
//! 10 KiB of buffers and state) is even built: until then it costs a socket
//! and a small task. An upgraded connection (the WebSocket) never takes a
//! place again. Places are handed out first come, first served.
use std::convert::Infallible;
use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::{Context, Poll, ready};
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use hyper_util::rt::TokioIo;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio_util::sync::{CancellationToken, PollSemaphore};
use tokio_util::task::TaskTracker;
use tower::ServiceExt;

use crate::metrics::{Counted, Live, Metrics};

/// The places for open requests, shared by every connection of the listener.
#[derive(Clone)]
pub struct Admission {
    places: Arc<Semaphore>,
    metrics: Arc<Metrics>,
}

impl Admission {
    pub fn new(places: usize, metrics: Arc<Metrics>) -> Self {
        Self {
            places: Arc::new(Semaphore::new(places.max(1))),
            metrics,
        }
    }
}

/// Serves `router` on `listener` until `shutdown` completes; then accepts
/// nothing more, lets every request already read finish, and returns once
/// all connections have closed (an upgraded WebSocket is on its own by then).
pub async fn serve(
    listener: TcpListener,
    router: Router,
    admission: Admission,
    shutdown: impl Future<Output = ()>,
) -> io::Result<()> {
    let connections = TaskTracker::new();
    let stopping = CancellationToken::new();
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(err) => {
                    not_accepted(err).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        connections.spawn(serve_connection(
            stream,
            peer,
            router.clone(),
            admission.clone(),
            stopping.clone(),
        ));
    }
    drop(listener);
    stopping.cancel();
    connections.close();
    connections.wait().await;
    Ok(())
}

/// A failed `accept`: a connection reset before it was taken is nothing;
/// anything else (out of file descriptors, say) is logged and waited out
/// for a second rather than retried in a busy loop.
async fn not_accepted(err: io::Error) {
    use io::ErrorKind::{ConnectionAborted, ConnectionRefused, ConnectionReset};
    if matches!(
        err.kind(),
        ConnectionRefused | ConnectionAborted | ConnectionReset
    ) {
        return;
    }
    tracing::error!(error = %err, "accepting a connection failed; retrying in 1 s");
    tokio::time::sleep(Duration::from_secs(1)).await;
}

async fn serve_connection(
    stream: TcpStream,
    peer: SocketAddr,
    router: Router,
    admission: Admission,
    stopping: CancellationToken,
) {
    let gate = Arc::new(Gate {
        state: Mutex::default(),
        places: admission.places.clone(),
    });
    let mut stream = GatedStream {
        stream,
        gate: gate.clone(),
        asking: PollSemaphore::new(admission.places.clone()),
        unread: None,
        metrics: admission.metrics,
    };
    // Until its first bytes can be read, a new connection is only a socket:
    // hyper's connection (its buffers, about 10 KiB) is built once it has a place.
    tokio::select! {
        placed = std::future::poll_fn(|cx| stream.poll_place(cx)) => {
            if placed.is_err() {
                return;
            }
        }
        () = stopping.cancelled() => return,
    }
    let io = TokioIo::new(stream);
    let service = hyper::service::service_fn(move |request: Request<hyper::body::Incoming>| {
        // Counted now, as hyper hands the request over: the connection's
        // place stays with it from here.
        let open = OpenRequest::new(gate.clone());
        let router = router.clone();
        async move {
            open.placed().await;
            let mut request = request.map(Body::new);
            request.extensions_mut().insert(ConnectInfo(peer));
            let response = match router.oneshot(request).await {
                Ok(response) => response,
                Err(never) => match never {},
            };
            if response.status() == StatusCode::SWITCHING_PROTOCOLS {
                open.upgraded();
            }
            // The place goes back once hyper has taken the body's last frame
            // (or dropped it): a whole body, before the client has read it.
            Ok::<_, Infallible>(response.map(|body| {
                Body::new(body.map_frame(move |frame| {
                    let _sending = &open;
                    frame
                }))
            }))
        }
    });
    // Boxed: the task of a connection still waiting above stays small.
    let mut connection = Box::pin(
        hyper::server::conn::http1::Builder::new()
            .serve_connection(io, service)
            .with_upgrades(),
    );
    let served = tokio::select! {
        served = connection.as_mut() => served,
        () = stopping.cancelled() => {
            // Finishes the request in hand, then closes.
            connection.as_mut().graceful_shutdown();
            connection.await
        }
    };
    if let Err(err) = served {
        tracing::debug!(error = %err, "connection ended with an error");
    }
}

/// One connection's hold on the listener's places.
struct Gate {
    state: Mutex<GateState>,
    places: Arc<Semaphore>,
}

#[derive(Default)]
struct GateState {
    place: Option<OwnedSemaphorePermit>,
    /// Requests of this connection handed to the service and not yet
    /// answered in full (more than one only when the client pipelines).
    open: usize,
    upgraded: bool,
}

impl GateState {
    fn give_back_if_idle(&mut self) {
        if self.open == 0 {
            self.place = None;
        }
    }
}

impl Gate {
    fn state(&self) -> MutexGuard<'_, GateState> {
        // A panic while the lock was held leaves plain counters behind.
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn may_read(&self) -> bool {
        let state = self.state();
        state.upgraded || state.place.is_some()
    }

    /// Keeps `place` unless the connection already holds one (two waits of
    /// one connection can both be served; the second place goes back).
    fn hold(&self, place: OwnedSemaphorePermit) {
        let mut state = self.state();
        if state.place.is_none() && !state.upgraded {
            state.place = Some(place);
        }
    }

    /// The connection waits for bytes: with no request open, its place goes back.
    fn idle(&self) {
        self.state().give_back_if_idle();
    }
}

/// A request of the connection, from the moment hyper hands it over until
/// hyper has taken its response body (or the request was abandoned).
struct OpenRequest(Arc<Gate>);

impl OpenRequest {
    fn new(gate: Arc<Gate>) -> Self {
        gate.state().open += 1;
        Self(gate)
    }

    /// A request read together with the one before it (pipelined) finds the
    /// place given back with that one's response: it waits for another.
    async fn placed(&self) {
        if self.0.may_read() {
            return;
        }
        if let Ok(place) = self.0.places.clone().acquire_owned().await {
            self.0.hold(place);
        }
    }

    /// After `101 Switching Protocols` the connection is the WebSocket's,
    /// which has limits of its own: it is never gated again.
    fn upgraded(&self) {
        let mut state = self.0.state();
        state.upgraded = true;
        state.place = None;
    }
}

impl Drop for OpenRequest {
    fn drop(&mut self) {
        let mut state = self.0.state();
        state.open = state.open.saturating_sub(1);
        state.give_back_if_idle();
    }
}

/// The connection's socket, read only while its gate holds a place (or after
/// an upgrade); written freely.
struct GatedStream {
    stream: TcpStream,
    gate: Arc<Gate>,
    asking: PollSemaphore,
    /// Counted while bytes wait unread for a place.
    unread: Option<Counted>,
    metrics: Arc<Metrics>,
}

impl GatedStream {
    /// Ready once the connection may be read: it holds a place (taken here,
    /// once its socket is readable, with bytes or the peer's close), or it
    /// has been upgraded.
    fn poll_place(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        if self.gate.may_read() {
            return Poll::Ready(Ok(()));
        }
        ready!(self.stream.poll_read_ready(cx))?;
        let Poll::Ready(place) = self.asking.poll_acquire(cx) else {
            if self.unread.is_none() {
                self.unread = Some(Counted::new(&self.metrics, Live::Unread));
            }
            return Poll::Pending;
        };
        self.unread = None;
        let place = place.ok_or_else(|| io::Error::other("the listener's places are closed"))?;
        self.gate.hold(place);
        Poll::Ready(Ok(()))
    }
}

impl AsyncRead for GatedStream {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        ready!(this.poll_place(cx))?;
        let read = Pin::new(&mut this.stream).poll_read(cx, buf);
        if read.is_pending() {
            this.gate.idle();
        }
        read
    }
}

impl AsyncWrite for GatedStream {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().stream).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().stream).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().stream).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().stream).poll_shutdown(cx)
    }
}
