//! Live updates: which hearings' rosters changed. Events carry ids only; every
//! subscriber re-reads through the policy before showing anything.
//!
//! On SQLite (one process) the `Hub` is an in-process broadcast. On PostgreSQL
//! several server processes may share the database, so `roster_changed` sends
//! `NOTIFY accord_roster, '<hearing uuid>'` and every process's listener
//! (`Hub::listen_postgres`) feeds what it hears into its local broadcast: its
//! own changes come back the same way, so each event is delivered once. When
//! the listener loses its connection it reconnects and tells subscribers that
//! changes may have been missed (`Change::Unknown`), so they re-read.
//!
//! The hub also counts this process's WebSocket connections per user
//! (`Hub::connection_slot`): the limit holds per server process (replica).
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use sea_orm::sqlx::postgres::PgListener;
use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, Statement};
use tokio::sync::broadcast;
use uuid::Uuid;

/// The PostgreSQL channel carrying roster changes between processes.
pub const CHANNEL: &str = "accord_roster";

/// Events a subscriber may fall behind by before it is told to re-read.
const CAPACITY: usize = 1024;

/// Reconnection back-off of the PostgreSQL listener.
const BACKOFF_FIRST: Duration = Duration::from_millis(250);
/// Short, so that subscribers hear changes again within seconds of the
/// database coming back (a failed attempt costs one refused connection).
const BACKOFF_MAX: Duration = Duration::from_secs(5);

/// What a subscriber hears.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Change {
    /// The roster of this hearing changed.
    Roster(Uuid),
    /// This statement changed (text, participants, signatures, status).
    Statement(Uuid),
    /// Sessions of this user ended (logout, deactivation, a reused refresh
    /// token): their streams re-authenticate at once.
    SessionsEnded(Uuid),
    /// Changes may have been missed (the listener reconnected): re-read.
    Unknown,
}

/// Fan-out of "roster of hearing X changed" events.
#[derive(Clone)]
pub struct Hub {
    local: broadcast::Sender<Change>,
    /// Whether this process hears PostgreSQL notifications; then its own
    /// changes reach its subscribers through NOTIFY too, and are not also
    /// sent locally.
    relayed: Arc<AtomicBool>,
    /// Open WebSocket connections per user, in this process.
    connections: Arc<Mutex<HashMap<Uuid, usize>>>,
}

impl Default for Hub {
    fn default() -> Self {
        let (local, _) = broadcast::channel(CAPACITY);
        Self {
            local,
            relayed: Arc::new(AtomicBool::new(false)),
            connections: Arc::default(),
        }
    }
}

/// One of a user's WebSocket connections in this process; released on drop.
pub struct ConnectionSlot {
    connections: Arc<Mutex<HashMap<Uuid, usize>>>,
    user_id: Uuid,
}

impl Drop for ConnectionSlot {
    fn drop(&mut self) {
        let mut open = self
            .connections
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(n) = open.get_mut(&self.user_id) {
            *n -= 1;
            if *n == 0 {
                open.remove(&self.user_id);
            }
        }
    }
}

impl Hub {
    /// Announces a change, after the transaction that made it committed.
    /// Never fails: a lost announcement must not undo a committed change (a
    /// subscriber still re-reads on its next event).
    pub async fn roster_changed(&self, db: &DatabaseConnection, hearing_id: Uuid) {
        self.announce(db, Change::Roster(hearing_id)).await;
    }

    /// Announces that a statement changed, after the transaction that changed
    /// it committed (`NOTIFY accord_roster, 'statement:<uuid>'` on PostgreSQL).
    /// Never fails, like `roster_changed`.
    pub async fn statement_changed(&self, db: &DatabaseConnection, statement_id: Uuid) {
        self.announce(db, Change::Statement(statement_id)).await;
    }

    /// Announces that some of a user's sessions ended (logout, deactivation,
    /// refresh-token reuse), after the commit that ended them
    /// (`NOTIFY accord_roster, 'sessions:<user uuid>'` on PostgreSQL): every
    /// stream of that user re-authenticates at once. Never fails.
    pub async fn sessions_ended(&self, db: &DatabaseConnection, user_id: Uuid) {
        self.announce(db, Change::SessionsEnded(user_id)).await;
    }

    /// To every process through NOTIFY when this one listens, else (SQLite,
    /// or the NOTIFY failed) to this process's subscribers only.
    async fn announce(&self, db: &DatabaseConnection, change: Change) {
        if self.relayed.load(Ordering::Acquire)
            && db.get_database_backend() == DbBackend::Postgres
            && let Some(payload) = payload_of(change)
        {
            match db.execute_raw(notify(payload)).await {
                Ok(_) => return,
                Err(e) => {
                    tracing::warn!(?change, error = %e, "NOTIFY failed; announcing in this process only");
                }
            }
        }
        let _ = self.local.send(change);
    }

    /// WebSocket connections open in this process (for the metrics).
    pub fn open_connections(&self) -> usize {
        self.connections
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .values()
            .sum()
    }

    /// A place for one more WebSocket connection of `user_id`, unless this
    /// process already holds `max` of theirs.
    pub fn connection_slot(&self, user_id: Uuid, max: usize) -> Option<ConnectionSlot> {
        let mut open = self
            .connections
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let n = open.entry(user_id).or_insert(0);
        if *n >= max {
            return None;
        }
        *n += 1;
        Some(ConnectionSlot {
            connections: self.connections.clone(),
            user_id,
        })
    }

    /// Announces changes from inside the transaction that makes them. On
    /// PostgreSQL the NOTIFY is delivered when — and only if — it commits, to
    /// every server process, with no further round trip after the commit;
    /// returns `true` then. Otherwise (SQLite, or no listener) the caller
    /// announces after the commit with `after_commit`.
    pub async fn within(&self, txn: &impl ConnectionTrait, hearing_ids: &[Uuid]) -> bool {
        if !self.relayed.load(Ordering::Acquire)
            || txn.get_database_backend() != DbBackend::Postgres
        {
            return false;
        }
        for id in hearing_ids {
            if let Err(e) = txn.execute_raw(notify(id.to_string())).await {
                tracing::warn!(hearing = %id, error = %e, "NOTIFY in transaction failed; announcing after commit");
                return false;
            }
        }
        true
    }

    /// Commits `txn`, announcing a change of `hearing_ids` to every
    /// process: from inside the transaction where it can (`within`), else
    /// right after the commit (`after_commit`).
    pub async fn commit_announcing(
        &self,
        txn: sea_orm::DatabaseTransaction,
        db: &DatabaseConnection,
        hearing_ids: &[Uuid],
    ) -> Result<(), sea_orm::DbErr> {
        let queued = self.within(&txn, hearing_ids).await;
        txn.commit().await?;
        self.after_commit(db, queued, hearing_ids).await;
        Ok(())
    }

    /// After the commit, announces what `within` could not.
    pub async fn after_commit(&self, db: &DatabaseConnection, queued: bool, hearing_ids: &[Uuid]) {
        if !queued {
            for id in hearing_ids {
                self.roster_changed(db, *id).await;
            }
        }
    }

    /// A receiver of every change from now on.
    pub fn subscribe(&self) -> broadcast::Receiver<Change> {
        self.local.subscribe()
    }

    /// Starts relaying PostgreSQL notifications into this process: returns
    /// once `LISTEN` is in place on `url` (so nothing announced afterwards is
    /// missed) and a notification sent through `db` was heard on it, then
    /// keeps listening in the background, reconnecting as needed. The check
    /// is what a pooler in transaction mode breaks: its `LISTEN` stays on a
    /// server connection the listener no longer holds, and nothing is heard.
    pub async fn listen_postgres(&self, url: &str, db: &DatabaseConnection) -> Result<(), String> {
        let mut listener = listen(url)
            .await
            .map_err(|e| format!("cannot LISTEN for live updates: {e}"))?;
        heard_through(&mut listener, db).await?;
        self.relayed.store(true, Ordering::Release);
        tokio::spawn(relay(listener, url.to_owned(), self.local.clone()));
        Ok(())
    }
}

/// How long start-up waits to hear its own probe notification.
const PROBE_WAIT: Duration = Duration::from_secs(3);

/// Sends `probe:<uuid>` through the pool and waits for it on `listener`
/// (other processes' notifications met meanwhile are dropped: no subscriber
/// of this process exists yet).
async fn heard_through(listener: &mut PgListener, db: &DatabaseConnection) -> Result<(), String> {
    let unheard = |why: String| {
        format!(
            "live updates would be lost: a notification sent through DATABASE_URL was not heard on the listener's connection ({why}). The listener needs a connection of its own to PostgreSQL: when DATABASE_URL leads to a pooler in transaction mode (PgBouncer pool_mode = transaction), set ACCORD_DIRECT_DATABASE_URL to PostgreSQL itself (or to a session-mode pool)"
        )
    };
    let probe = format!("{PROBE_PREFIX}{}", Uuid::new_v4());
    // Through a transaction pooler the listener's LISTEN may sit on the very
    // server connection the NOTIFY runs on: the pool's client then receives
    // the notification and fails.
    db.execute_raw(notify(probe.clone()))
        .await
        .map_err(|e| unheard(format!("the NOTIFY failed: {e}")))?;
    let hear = async {
        loop {
            match listener.try_recv().await {
                Ok(Some(n)) if n.payload() == probe => return Ok(()),
                Ok(Some(_)) => continue,
                Ok(None) => return Err("the connection closed".to_owned()),
                Err(e) => return Err(e.to_string()),
            }
        }
    };
    match tokio::time::timeout(PROBE_WAIT, hear).await {
        Ok(Ok(())) => Ok(()),
        Ok(Err(why)) => Err(unheard(why)),
        Err(_) => Err(unheard(format!(
            "nothing within {} s",
            PROBE_WAIT.as_secs()
        ))),
    }
}

/// `SELECT pg_notify(CHANNEL, payload)`.
fn notify(payload: String) -> Statement {
    Statement::from_sql_and_values(
        DbBackend::Postgres,
        "SELECT pg_notify($1, $2)",
        [CHANNEL.into(), payload.into()],
    )
}

/// What other processes hear of `change` (`Unknown` is never sent).
fn payload_of(change: Change) -> Option<String> {
    match change {
        Change::Roster(id) => Some(id.to_string()),
        Change::Statement(id) => Some(format!("{STATEMENT_PREFIX}{id}")),
        Change::SessionsEnded(id) => Some(format!("{SESSIONS_PREFIX}{id}")),
        Change::Unknown => None,
    }
}

async fn listen(url: &str) -> Result<PgListener, sea_orm::sqlx::Error> {
    let mut listener = PgListener::connect(url).await?;
    listener.eager_reconnect(false);
    listener.listen(CHANNEL).await?;
    Ok(listener)
}

/// Forwards notifications until the process ends; on a lost connection opens
/// a new one (with back-off) and tells subscribers to re-read.
async fn relay(mut listener: PgListener, url: String, local: broadcast::Sender<Change>) {
    loop {
        match listener.try_recv().await {
            Ok(Some(notification)) if notification.payload().starts_with(PROBE_PREFIX) => {}
            Ok(Some(notification)) => match parse_payload(notification.payload()) {
                Some(change) => {
                    let _ = local.send(change);
                }
                None => tracing::warn!("ignoring a malformed {CHANNEL} notification"),
            },
            Ok(None) => {
                tracing::warn!("{CHANNEL} listener lost its connection; reconnecting");
                listener = reconnect(&url).await;
                let _ = local.send(Change::Unknown);
            }
            Err(e) => {
                tracing::warn!(error = %e, "{CHANNEL} listener failed; reconnecting");
                listener = reconnect(&url).await;
                let _ = local.send(Change::Unknown);
            }
        }
    }
}

/// Payloads on the channel: a bare hearing id (a roster changed),
/// `statement:<id>`, or `sessions:<user id>`.
const STATEMENT_PREFIX: &str = "statement:";
const SESSIONS_PREFIX: &str = "sessions:";
/// A process checking at start-up that it hears what it sends; ignored.
const PROBE_PREFIX: &str = "probe:";

fn parse_payload(payload: &str) -> Option<Change> {
    if let Some(id) = payload.strip_prefix(STATEMENT_PREFIX) {
        return Uuid::parse_str(id).ok().map(Change::Statement);
    }
    if let Some(id) = payload.strip_prefix(SESSIONS_PREFIX) {
        return Uuid::parse_str(id).ok().map(Change::SessionsEnded);
    }
    Uuid::parse_str(payload).ok().map(Change::Roster)
}

async fn reconnect(url: &str) -> PgListener {
    let mut backoff = BACKOFF_FIRST;
    loop {
        tokio::time::sleep(backoff).await;
        match listen(url).await {
            Ok(listener) => {
                tracing::info!("{CHANNEL} listener reconnected");
                return listener;
            }
            Err(e) => {
                tracing::warn!(error = %e, retry_in_ms = backoff.as_millis() as u64, "{CHANNEL} listener cannot reconnect");
                backoff = (backoff * 2).min(BACKOFF_MAX);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn in_process_events_reach_every_subscriber_once() {
        let hub = Hub::default();
        let db = sea_orm::Database::connect("sqlite::memory:")
            .await
            .expect("sqlite");
        let (mut a, mut b) = (hub.subscribe(), hub.subscribe());
        let id = Uuid::new_v4();
        hub.roster_changed(&db, id).await;
        assert_eq!(a.recv().await.expect("a"), Change::Roster(id));
        assert_eq!(b.recv().await.expect("b"), Change::Roster(id));
        assert!(a.try_recv().is_err(), "delivered once");
    }

    #[test]
    fn connection_slots_are_counted_per_user_and_released() {
        let hub = Hub::default();
        let (ann, bob) = (Uuid::new_v4(), Uuid::new_v4());
        let first = hub.connection_slot(ann, 2).expect("first");
        let second = hub.connection_slot(ann, 2).expect("second");
        assert!(hub.connection_slot(ann, 2).is_none(), "third refused");
        assert!(hub.connection_slot(bob, 2).is_some(), "others unaffected");
        drop(first);
        let third = hub
            .connection_slot(ann, 2)
            .expect("a released slot is free");
        drop((second, third));
        assert!(hub.connections.lock().expect("lock").is_empty());
    }

    #[test]
    fn payloads_name_a_roster_or_a_statement() {
        let id = Uuid::new_v4();
        assert_eq!(parse_payload(&id.to_string()), Some(Change::Roster(id)));
        assert_eq!(
            parse_payload(&format!("statement:{id}")),
            Some(Change::Statement(id))
        );
        assert_eq!(
            parse_payload(&format!("sessions:{id}")),
            Some(Change::SessionsEnded(id))
        );
        assert_eq!(parse_payload("statement:nope"), None);
        assert_eq!(parse_payload("sessions:nope"), None);
        assert_eq!(parse_payload("nope"), None);
    }
}
