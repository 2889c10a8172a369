//! The `accord` command line.
use std::io::BufRead;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use secrecy::ExposeSecret;

use crate::app::App;
use crate::audit::{self, Verification};
use crate::config::Config;
use crate::state::AppState;
use crate::{db, graphql, service, telemetry};

#[derive(Parser)]
#[command(
    name = "accord",
    version,
    about = "Accord: embassies coordinating support for human rights defenders at risk",
    long_about = "Accord serves a GraphQL API at /graphql. Configuration comes from ACCORD_* \
                  environment variables and DATABASE_URL (see the README)."
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Run the API server (the default). Migrates the database first; in
    /// development mode builds the demo world on an empty database.
    Serve,
    /// Apply pending database migrations and exit (the server also applies
    /// them at start-up). `--check` applies nothing: exit 0 when the database
    /// is up to date, 1 when migrations are pending (listed), 2 on error.
    Migrate {
        #[arg(long)]
        check: bool,
    },
    /// Write a consistent copy of the SQLite database to `--output` while the
    /// server runs (`VACUUM INTO`). Identity fields stay sealed to their
    /// countries' keys: nothing in the copy or the server's configuration
    /// opens them. For
    /// PostgreSQL use ops/backup-postgres.sh (pg_dump).
    Backup {
        #[arg(long)]
        output: std::path::PathBuf,
    },
    /// Create the platform operator (role OPERATOR), who creates missions,
    /// organizations and each country's first admin.
    CreateAdmin {
        /// Login email of the operator (default: ACCORD_BOOTSTRAP_ADMIN_EMAIL).
        #[arg(long)]
        email: Option<String>,
        /// Name shown to other users.
        #[arg(long, default_value = "Platform operator")]
        display_name: String,
        /// Read the password from the first line of standard input (otherwise
        /// ACCORD_BOOTSTRAP_ADMIN_PASSWORD).
        #[arg(long)]
        password_stdin: bool,
    },
    /// Print the GraphQL schema (SDL) that schema.graphql must match.
    ExportSchema {
        /// Write to this file instead of standard output.
        #[arg(long)]
        output: Option<std::path::PathBuf>,
    },
    /// Re-seal what the server's key ring still seals (attack-report
    /// descriptions and notes, and identities not yet moved by
    /// `seal-identities`) with the first key of ACCORD_IDENTITY_KEYS (keep
    /// the old keys listed until this has run).
    RotateKeys,
    /// Move every defender identity from the server's key ring to its owner
    /// country's key (run once after upgrading). A country with no key yet
    /// gets a migration key; its one-time claim code is printed here, once:
    /// hand it to that country's first admin, who claims it with
    /// `setUpIdentityKey(input: { claimCode })` (docs/SECURITY.md).
    SealIdentities,
    /// Recompute the access index (who sees which case) from cases, shares
    /// and coalitions, e.g. after a bulk load; `--check` only reports drift
    /// (exit 1 when the index differs from the rule).
    RebuildAccess {
        #[arg(long)]
        check: bool,
    },
    /// Development only: erase the demo database and build the demo world
    /// again, e.g. after a README walkthrough withdrew a consent. Stop the
    /// server first. Refused (exit 2, nothing changed) in production mode,
    /// with ACCORD_DEMO=false, and on a database holding any account that is
    /// not one of the demo accounts.
    Demo {
        /// Required: drop every table of DATABASE_URL's database, migrate and
        /// build the demo world anew.
        #[arg(long)]
        reset: bool,
    },
    /// Audit-trail tools.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
}

#[derive(Subcommand)]
enum AuditCommand {
    /// Recompute the hash chain; report the first broken event, exit 1 if any.
    Verify,
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    if let Some(Command::ExportSchema { output }) = &cli.command {
        return export_schema(output.as_deref());
    }
    let config = match Config::load() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("accord: {e}");
            return ExitCode::from(2);
        }
    };
    telemetry::init(config.log_format);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("accord: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    runtime.block_on(async move {
        match cli.command.unwrap_or(Command::Serve) {
            Command::Serve => serve(config).await,
            Command::Migrate { check: false } => migrate(config).await,
            Command::Migrate { check: true } => migrate_check(config).await,
            Command::Backup { output } => backup(config, &output).await,
            Command::CreateAdmin {
                email,
                display_name,
                password_stdin,
            } => create_admin(config, email, display_name, password_stdin).await,
            Command::Audit {
                command: AuditCommand::Verify,
            } => audit_verify(config).await,
            Command::RotateKeys => rotate_keys(config).await,
            Command::SealIdentities => seal_identities(config).await,
            Command::RebuildAccess { check } => rebuild_access(config, check).await,
            Command::Demo { reset } => demo_reset(config, reset).await,
            Command::ExportSchema { .. } => ExitCode::SUCCESS,
        }
    })
}

fn export_schema(output: Option<&std::path::Path>) -> ExitCode {
    let sdl = graphql::sdl();
    match output {
        None => {
            print!("{sdl}");
            ExitCode::SUCCESS
        }
        Some(path) => match std::fs::write(path, sdl) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("accord: cannot write {}: {e}", path.display());
                ExitCode::FAILURE
            }
        },
    }
}

async fn serve(config: Config) -> ExitCode {
    let app = match App::build(config).await {
        Ok(app) => app,
        Err(e) => {
            eprintln!("accord: start-up failed: {}", e.with_cause());
            return ExitCode::FAILURE;
        }
    };
    println!(
        "accord: listening on http://{addr}/ (the web client; the API is at http://{addr}/graphql)",
        addr = app.local_addr()
    );
    match app.run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("accord: server error: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn connected_state(config: Config) -> Result<AppState, ExitCode> {
    let conn = db::connect_configured(&config).await.map_err(|e| {
        eprintln!("accord: cannot connect to the database: {e}");
        ExitCode::FAILURE
    })?;
    db::migrate_configured(&config, &conn).await.map_err(|e| {
        eprintln!("accord: migrations failed: {e}");
        ExitCode::FAILURE
    })?;
    AppState::new(conn, config).map_err(|_| ExitCode::FAILURE)
}

async fn migrate(config: Config) -> ExitCode {
    match connected_state(config).await {
        Ok(_) => {
            println!("accord: database is up to date");
            ExitCode::SUCCESS
        }
        Err(code) => code,
    }
}

async fn migrate_check(config: Config) -> ExitCode {
    let conn = match db::connect_configured(&config).await {
        Ok(c) => c,
        Err(e) => {
            eprintln!("accord: cannot connect to the database: {e}");
            return ExitCode::from(2);
        }
    };
    match db::pending_migrations(&conn).await {
        Ok(pending) if pending.is_empty() => {
            println!("accord: database is up to date");
            ExitCode::SUCCESS
        }
        Ok(pending) => {
            println!("accord: {} migrations pending:", pending.len());
            for name in pending {
                println!("  {name}");
            }
            ExitCode::from(1)
        }
        Err(e) => {
            eprintln!("accord: cannot read the applied migrations: {e}");
            ExitCode::from(2)
        }
    }
}

async fn backup(config: Config, output: &std::path::Path) -> ExitCode {
    if !db::is_sqlite(&config.database_url) {
        eprintln!(
            "accord: backup copies SQLite databases; for PostgreSQL run ops/backup-postgres.sh (pg_dump, see ops/README.md)"
        );
        return ExitCode::from(2);
    }
    if let Err(refusal) = create_private_file(output) {
        eprintln!("accord: {refusal}");
        return ExitCode::from(2);
    }
    let conn = match db::connect_configured(&config).await {
        Ok(c) => c,
        Err(e) => {
            eprintln!("accord: cannot connect to the database: {e}");
            let _ = std::fs::remove_file(output);
            return ExitCode::FAILURE;
        }
    };
    match db::backup_sqlite(&conn, output).await {
        Ok(bytes) => {
            println!(
                "accord: backup written to {} ({bytes} bytes); identities are sealed to their countries' keys in it; keep ACCORD_IDENTITY_KEYS (attack-report text) and ACCORD_JWT_SECRET apart from it",
                output.display()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("accord: backup failed: {e}");
            let _ = std::fs::remove_file(output);
            ExitCode::FAILURE
        }
    }
}

/// Creates `output` empty, readable by its owner only (0600), before
/// `VACUUM INTO` fills it: the copy holds emails, password hashes and case
/// summaries, and SQLite would create a new file with the umask's mode
/// (0644 under the usual 022). `create_new` also refuses an existing file,
/// atomically. A missing folder is named in the refusal, not left to
/// surface as a database error.
fn create_private_file(output: &std::path::Path) -> Result<(), String> {
    let folder = output
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(std::path::Path::new("."));
    if !folder.is_dir() {
        return Err(format!(
            "the folder {} does not exist; create it first (e.g. install -d -m 0700 {})",
            folder.display(),
            folder.display()
        ));
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    match options.open(output) {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            Err(format!("{} exists; give a new file", output.display()))
        }
        Err(e) => Err(format!("cannot create {}: {e}", output.display())),
    }
}

/// `accord demo --reset`. The rule that keeps it from erasing real data is
/// two-fold: the configuration must be one that builds the demo world
/// (development mode, `ACCORD_DEMO` not false), and the database must hold
/// no account but the demo ones — a deployment's operator, a user someone
/// created, make it refuse, whatever the configuration says.
async fn demo_reset(config: Config, reset: bool) -> ExitCode {
    if !reset {
        eprintln!(
            "accord: `accord demo --reset` erases this demo database and builds the demo world again; give --reset to do it"
        );
        return ExitCode::from(2);
    }
    if !config.demo_enabled() {
        eprintln!(
            "accord: demo --reset is refused: it runs only where the demo world is built (ACCORD_MODE=development, ACCORD_DEMO not false)"
        );
        return ExitCode::from(2);
    }
    let state = match connected_state(config).await {
        Ok(s) => s,
        Err(code) => return code,
    };
    match crate::demo::holds_only_demo_accounts(&state.db).await {
        Ok(true) => {}
        Ok(false) => {
            eprintln!(
                "accord: demo --reset is refused: this database holds accounts that are not demo accounts, so it is not a demo database; nothing changed"
            );
            return ExitCode::from(2);
        }
        Err(e) => {
            eprintln!("accord: {}", e.with_cause());
            return ExitCode::FAILURE;
        }
    }
    if let Err(e) = db::erase_and_migrate(&state.db).await {
        eprintln!("accord: cannot erase the demo database: {e}");
        return ExitCode::FAILURE;
    }
    match crate::demo::build_if_empty(&state).await {
        Ok(()) => {
            println!("accord: the demo world was built anew");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("accord: cannot build the demo world: {}", e.with_cause());
            ExitCode::FAILURE
        }
    }
}

async fn create_admin(
    config: Config,
    email: Option<String>,
    display_name: String,
    password_stdin: bool,
) -> ExitCode {
    let Some(email) = email.or_else(|| config.bootstrap_admin_email.clone()) else {
        eprintln!("accord: give --email or set ACCORD_BOOTSTRAP_ADMIN_EMAIL");
        return ExitCode::from(2);
    };
    let password = if password_stdin {
        let mut line = String::new();
        if std::io::stdin().lock().read_line(&mut line).is_err() {
            eprintln!("accord: cannot read the password from standard input");
            return ExitCode::from(2);
        }
        line.trim_end_matches(['\r', '\n']).to_owned()
    } else if let Some(p) = &config.bootstrap_admin_password {
        p.expose_secret().to_owned()
    } else {
        eprintln!("accord: give --password-stdin or set ACCORD_BOOTSTRAP_ADMIN_PASSWORD");
        return ExitCode::from(2);
    };
    let state = match connected_state(config).await {
        Ok(s) => s,
        Err(code) => return code,
    };
    match service::directory::bootstrap_operator(&state, &email, &password, &display_name).await {
        Ok(true) => {
            println!("accord: operator {email} created");
            ExitCode::SUCCESS
        }
        Ok(false) => {
            eprintln!("accord: a user with that email already exists; nothing changed");
            ExitCode::from(3)
        }
        Err(e) => {
            eprintln!("accord: {}", e.with_cause());
            ExitCode::from(2)
        }
    }
}

async fn audit_verify(config: Config) -> ExitCode {
    let state = match connected_state(config).await {
        Ok(s) => s,
        Err(code) => return code,
    };
    match audit::verify(&state.db).await {
        Ok(Verification::Intact { events }) => {
            println!("audit trail intact: {events} events");
            ExitCode::SUCCESS
        }
        Ok(Verification::Broken { seq, reason }) => {
            println!("audit trail BROKEN at event {seq}: {reason}");
            ExitCode::FAILURE
        }
        Err(e) => {
            eprintln!("accord: {}", e.with_cause());
            ExitCode::FAILURE
        }
    }
}

async fn rotate_keys(config: Config) -> ExitCode {
    let state = match connected_state(config).await {
        Ok(s) => s,
        Err(code) => return code,
    };
    match service::cases::rotate_identity_keys(&state).await {
        Ok(n) => {
            println!(
                "accord: {n} identity fields re-sealed with key {}",
                state.keys_identity.current_id()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!(
                "accord: key rotation failed, nothing changed: {}",
                e.with_cause()
            );
            ExitCode::FAILURE
        }
    }
}

async fn seal_identities(config: Config) -> ExitCode {
    let state = match connected_state(config).await {
        Ok(s) => s,
        Err(code) => return code,
    };
    match service::identity::internal_seal_ring_identities(&state).await {
        Ok(report) if report.is_empty() => {
            println!("accord: no identity is sealed under the server's key ring; nothing to do");
            ExitCode::SUCCESS
        }
        Ok(report) => {
            for m in &report {
                println!(
                    "accord: {}: {} case identities sealed to the country's key",
                    m.country.as_str(),
                    m.cases
                );
                if let Some(code) = &m.claim_code {
                    println!(
                        "accord: {}: no key yet; claim code (shown once; hand it to the country's first admin): {}",
                        m.country.as_str(),
                        code.as_str()
                    );
                }
            }
            println!(
                "accord: the key ring no longer opens any identity; it still seals attack-report text"
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!(
                "accord: sealing identities failed; each batch either moved whole or not at all: {}",
                e.with_cause()
            );
            ExitCode::FAILURE
        }
    }
}

async fn rebuild_access(config: Config, check: bool) -> ExitCode {
    let state = match connected_state(config).await {
        Ok(s) => s,
        Err(code) => return code,
    };
    if check {
        let drift = async {
            let mut drift = crate::policy::access::internal_drift(&state.db).await?;
            drift.extend(crate::policy::reports::internal_drift(&state.db).await?);
            Ok::<_, crate::error::AppError>(drift)
        };
        return match drift.await {
            Ok(drift) if drift.is_empty() => {
                println!("accord: the access index matches the rule");
                ExitCode::SUCCESS
            }
            Ok(drift) => {
                for line in &drift {
                    println!("{line}");
                }
                println!(
                    "accord: {} cases or reports drifted; run `accord rebuild-access`",
                    drift.len()
                );
                ExitCode::FAILURE
            }
            Err(e) => {
                eprintln!("accord: {}", e.with_cause());
                ExitCode::FAILURE
            }
        };
    }
    let rebuilt = async {
        let cases = crate::policy::access::internal_rebuild_all(&state.db).await?;
        let reports = crate::policy::reports::internal_rebuild_all(&state.db).await?;
        Ok::<_, crate::error::AppError>((cases, reports))
    };
    match rebuilt.await {
        Ok((cases, reports)) => {
            println!(
                "accord: access index rebuilt for {cases} cases; report access index holds {reports} rows"
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("accord: {}", e.with_cause());
            ExitCode::FAILURE
        }
    }
}
