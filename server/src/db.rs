//! Connecting and migrating. SQLite runs with one connection: writes are then
//! strictly serialised (no `SQLITE_BUSY` mid-transaction), which is what an
//! embedded single-node deployment needs. PostgreSQL gets a real pool.
//!
//! While the database cannot be reached, nothing waits for long: taking a
//! connection (PostgreSQL: connecting included), and on SQLite waiting for a
//! lock another process holds, give up after `ACCORD_DB_ACQUIRE_TIMEOUT_MS`,
//! well below the request timeout, and the request is answered `UNAVAILABLE`
//! (`error::is_unavailable`). The pool reconnects by itself once the database is back.
use std::time::Duration;

use accord_migrations::{Migrator, MigratorTrait};
use sea_orm::sqlx::Connection as _;
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbBackend, DbErr,
    SqliteTransactionMode, TransactionOptions, TransactionTrait,
};

pub fn is_sqlite(url: &str) -> bool {
    url.starts_with("sqlite:")
}

/// A pooled connection idle this long is pinged before it is lent again.
///
/// sqlx pings a connection on every checkout by default and on every
/// return as well: with both, each statement cost three round trips to the
/// database (issue 28: the visible-cases page's four statements were twelve
/// round trips). A connection in steady use is lent without the checkout
/// ping; one idle for a second or more, the kind a proxy or a firewall
/// may have dropped, is still pinged and replaced when it fails. A
/// connection the database closed while in use (a restart) fails its next
/// statement as `UNAVAILABLE` (`error::is_unavailable`) and is dropped when
/// its return ping fails.
pub const PING_IF_IDLE_FOR: Duration = Duration::from_secs(1);

/// `max_connections` applies to PostgreSQL; SQLite always uses one.
/// `acquire_timeout` bounds every wait for the database (see the module).
pub async fn connect(
    url: &str,
    max_connections: u32,
    acquire_timeout: Duration,
) -> Result<DatabaseConnection, DbErr> {
    let mut options = ConnectOptions::new(url.to_owned());
    options
        .sqlx_logging(false)
        .test_before_acquire_if_idle_for(PING_IF_IDLE_FOR)
        .connect_timeout(acquire_timeout)
        .acquire_timeout(acquire_timeout);
    if is_sqlite(url) {
        options
            .max_connections(1)
            .min_connections(1)
            .map_sqlx_sqlite_opts(move |o| {
                o.foreign_keys(true)
                    .journal_mode(sea_orm::sqlx::sqlite::SqliteJournalMode::Wal)
                    .synchronous(sea_orm::sqlx::sqlite::SqliteSynchronous::Normal)
                    .busy_timeout(acquire_timeout)
            });
    } else {
        options
            .max_connections(max_connections.max(2))
            .min_connections(1)
            // A connection handed back inside a transaction is closed, not
            // lent again: sea-orm's `begin_with_config` returns early when
            // its `SET TRANSACTION` fails (a PostgreSQL restart) and leaves
            // the `BEGIN` open, and the next borrower's snapshot would then
            // start with a SAVEPOINT and fail.
            .map_sqlx_postgres_pool_opts(|pool| {
                pool.after_release(|conn, _| Box::pin(async move { Ok(!conn.is_in_transaction()) }))
            });
    }
    Database::connect(options).await
}

/// As `connect`, with the configured pool size and timeout.
pub async fn connect_configured(
    config: &crate::config::Config,
) -> Result<DatabaseConnection, DbErr> {
    connect(
        &config.database_url,
        config.db_max_connections,
        config.db_acquire_timeout(),
    )
    .await
}

/// Applies pending migrations. On PostgreSQL under a transaction-scoped
/// advisory lock: replicas starting at once apply them one after the other,
/// so each migration runs once (the second finds nothing pending).
pub async fn migrate(db: &DatabaseConnection) -> Result<(), DbErr> {
    match db.get_database_backend() {
        DbBackend::Postgres => {
            let txn = db.begin().await?;
            txn.execute_unprepared(&format!("SELECT pg_advisory_xact_lock({MIGRATION_LOCK})"))
                .await?;
            Migrator::up(&txn, None).await?;
            txn.commit().await
        }
        _ => Migrator::up(db, None).await,
    }
}

/// Applies pending migrations on the direct connection when
/// `ACCORD_DIRECT_DATABASE_URL` is set (its own short-lived connection:
/// DDL and the migration lock stay off the pooler), else on `conn`.
pub async fn migrate_configured(
    config: &crate::config::Config,
    conn: &DatabaseConnection,
) -> Result<(), DbErr> {
    let Some(direct) = &config.direct_database_url else {
        return migrate(conn).await;
    };
    let own = connect(
        direct,
        2,
        config.db_acquire_timeout().max(MIGRATION_CONNECT),
    )
    .await?;
    let applied = migrate(&own).await;
    own.close().await?;
    applied
}

/// How long migrations wait to connect directly (at least; the pool's
/// acquire timeout may be longer).
const MIGRATION_CONNECT: Duration = Duration::from_secs(10);

/// How long the start-up check of `DATABASE_URL` may take in all.
const POOLER_CHECK: Duration = Duration::from_secs(15);

/// Clients the prepared-statement check opens one after the other.
const POOLER_CHECK_CLIENTS: usize = 3;

/// Start-up check of what a pooler between the server and PostgreSQL must
/// carry, on fresh connections to `url` (`DATABASE_URL`), so that a setting
/// that would fail requests later is refused now, with its name:
/// - transactions: a pooler in statement mode refuses `BEGIN`;
/// - prepared statements: the server prepares every query once per
///   connection and reuses it by name. In transaction mode a pooler hands
///   each transaction whichever server connection is free, so the name must
///   follow the client (PgBouncer >= 1.21 with `max_prepared_statements`);
///   otherwise the second client's statement of the same name collides with
///   the first's on a shared server connection, which the check provokes.
///
/// Straight to PostgreSQL, or through a session-mode pooler, both hold.
pub async fn check_pooled_url(url: &str) -> Result<(), String> {
    use sea_orm::sqlx::postgres::PgConnection;
    use sea_orm::sqlx::{Connection, query};

    let check = async {
        let mut first = PgConnection::connect(url).await.map_err(Refusal::Connect)?;
        let mut txn = first.begin().await.map_err(Refusal::Transactions)?;
        for _ in 0..2 {
            query("SELECT 1")
                .execute(&mut *txn)
                .await
                .map_err(Refusal::Transactions)?;
        }
        txn.commit().await.map_err(Refusal::Transactions)?;
        let mut clients = vec![first];
        for _ in 0..POOLER_CHECK_CLIENTS {
            let mut client = PgConnection::connect(url).await.map_err(Refusal::Connect)?;
            for n in 0..2_i32 {
                query("SELECT $1::int4 AS accord_pooler_check")
                    .bind(n)
                    .execute(&mut client)
                    .await
                    .map_err(Refusal::PreparedStatements)?;
            }
            clients.push(client);
        }
        for client in clients {
            let _ = client.close().await;
        }
        Ok::<(), Refusal>(())
    };
    match tokio::time::timeout(POOLER_CHECK, check).await {
        Ok(Ok(())) => Ok(()),
        Ok(Err(refusal)) => Err(refusal.to_string()),
        Err(_) => Err(format!(
            "DATABASE_URL: the start-up check of the database connection took over {} s",
            POOLER_CHECK.as_secs()
        )),
    }
}

/// Why `DATABASE_URL` cannot serve, naming the setting to change.
#[derive(Debug, thiserror::Error)]
enum Refusal {
    #[error("cannot connect to the database: {0}{hint}", hint = startup_hint(&.0.to_string()))]
    Connect(sea_orm::sqlx::Error),
    #[error(
        "DATABASE_URL does not keep a transaction on one connection ({0}): a pooler in statement mode cannot serve Accord; use pool_mode = transaction or session"
    )]
    Transactions(sea_orm::sqlx::Error),
    #[error(
        "DATABASE_URL loses prepared statements between transactions ({0}): a pooler in transaction mode must carry them; with PgBouncer >= 1.21 set max_prepared_statements (e.g. 200), or use pool_mode = session"
    )]
    PreparedStatements(sea_orm::sqlx::Error),
}

/// PgBouncer refuses startup parameters it does not track, and the driver
/// sends `extra_float_digits`: say which setting lets it through.
pub fn startup_hint(error: &str) -> &'static str {
    if error.contains("extra_float_digits") {
        " (behind PgBouncer, set ignore_startup_parameters = extra_float_digits)"
    } else {
        ""
    }
}

/// Drops every table of the database (and, on PostgreSQL, every type in
/// its schema), then applies all migrations: an empty database. Only for
/// `accord demo --reset`, which first makes sure it is a demo database.
pub async fn erase_and_migrate(db: &DatabaseConnection) -> Result<(), DbErr> {
    Migrator::fresh(db).await
}

/// The advisory lock key of migrations ("accord" in ASCII).
const MIGRATION_LOCK: i64 = 0x6163_636f_7264;

/// Names of the migrations not yet applied (`accord migrate --check`).
pub async fn pending_migrations(db: &DatabaseConnection) -> Result<Vec<String>, DbErr> {
    Ok(Migrator::get_pending_migrations(db)
        .await?
        .iter()
        .map(|m| m.name().to_owned())
        .collect())
}

/// A consistent copy of a SQLite database into `output` (a new file, or an
/// empty one: `accord backup` creates it 0600 first, since SQLite would give a
/// file it creates the umask's mode), taken
/// while others write: `VACUUM INTO` reads one snapshot. Then checked: the
/// copy must pass `PRAGMA integrity_check`. Returns its size in bytes.
pub async fn backup_sqlite(
    db: &DatabaseConnection,
    output: &std::path::Path,
) -> Result<u64, DbErr> {
    let path = output
        .to_str()
        .ok_or_else(|| DbErr::Custom("the output path is not valid UTF-8".into()))?;
    db.execute_raw(sea_orm::Statement::from_sql_and_values(
        DbBackend::Sqlite,
        "VACUUM INTO ?",
        [path.into()],
    ))
    .await?;
    let copy = connect(
        &format!("sqlite://{path}?mode=rw"),
        1,
        Duration::from_secs(10),
    )
    .await?;
    let verdict = copy
        .query_one_raw(sea_orm::Statement::from_string(
            DbBackend::Sqlite,
            "PRAGMA integrity_check",
        ))
        .await?
        .map(|row| row.try_get_by_index::<String>(0))
        .transpose()?;
    copy.close().await?;
    if verdict.as_deref() != Some("ok") {
        return Err(DbErr::Custom(format!(
            "the copy failed its integrity check: {}",
            verdict.unwrap_or_default()
        )));
    }
    std::fs::metadata(output)
        .map(|m| m.len())
        .map_err(|e| DbErr::Custom(format!("cannot read the copy: {e}")))
}

/// Whether the database can serve a request now, for `/readyz`. PostgreSQL:
/// a round trip. SQLite: the write lock, taken and given back at once (reads
/// keep working while another process holds it, but no change could be
/// made). Run it to its end (`/readyz` spawns it and waits with a bound):
/// abandoning a statement midway could leave the one SQLite connection
/// inside a transaction.
pub async fn ping(db: &DatabaseConnection) -> Result<(), DbErr> {
    match db.get_database_backend() {
        DbBackend::Sqlite => {
            let txn = db
                .begin_with_options(TransactionOptions {
                    sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
                    ..Default::default()
                })
                .await?;
            txn.rollback().await
        }
        _ => db.execute_unprepared("SELECT 1").await.map(|_| ()),
    }
}
