//! The one error type. Every failure a client can see is an `AppError`, and
//! `impl ErrorExtensions for AppError` is the only place `extensions.code` is set.
//! Messages are fixed per kind or name only the input field at fault: they never
//! carry data the viewer may not read, nor any internal detail.
//! It also tells a database outage from a mistake (`is_unavailable`), so every
//! layer maps a `DbErr` the same way. Bottom floor: imports only `domain`.
use async_graphql::ErrorExtensions;
use sea_orm::{DbErr, RuntimeErr};

use crate::domain::InputError;
use crate::i18n::Msg;
use crate::msg;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// No valid credentials: missing, expired, revoked or forged token; wrong login.
    #[error("{0}")]
    Unauthenticated(&'static str),
    /// The viewer is known and the object is visible, but the action is not theirs to take.
    #[error("you are not allowed to do this")]
    Forbidden,
    /// Missing, or invisible to this viewer: the two are indistinguishable by design.
    #[error("not found")]
    NotFound,
    /// An input field broke a rule; the message names the field.
    #[error("{0}")]
    BadUserInput(#[from] InputError),
    /// The change clashes with the current state (duplicate, stale version).
    #[error("{0}")]
    Conflict(Msg),
    /// The version named is not the current one (a statement revised meanwhile).
    #[error("that is not the current version; the current version is {current}")]
    StaleVersion { current: i32 },
    /// The defender's consent does not cover this action.
    #[error("{0}")]
    ConsentRequired(Msg),
    /// No roster place can be had (deadline passed, hearing closed).
    #[error("{0}")]
    SlotUnavailable(Msg),
    /// A defender's identity cannot be opened in this session, and why
    /// (`extensions.reason`). Not `null`: the reader is told what to do.
    #[error("{}", .0.sentence())]
    IdentityLocked(LockReason),
    /// The password was right, but a second step must follow before a
    /// session opens: `extensions.challenge` is the opaque token to present
    /// (five minutes, once), `extensions.methods` the ways to pass it
    /// (`TOTP`, `RECOVERY_CODE`, or `ENROL_TOTP` for a person a rule
    /// requires to enrol).
    #[error("a second sign-in step is needed")]
    SecondFactorRequired {
        challenge: String,
        methods: Vec<&'static str>,
    },
    /// Too many attempts; try again later.
    #[error("too many attempts; try again later")]
    RateLimited { retry_after_secs: i64 },
    /// The database cannot be reached or used right now (down, restarting,
    /// every connection busy past the acquire timeout, locked elsewhere):
    /// nothing was changed, and the same request may succeed later.
    #[error(
        "the service is temporarily unavailable; nothing was changed; try again in {retry_after_secs} s"
    )]
    Unavailable { retry_after_secs: i64 },
    /// Anything else. The cause travels with the error to where the response
    /// is built, is logged there once (with the request id), and is never sent.
    #[error("internal error")]
    Internal(#[source] Box<dyn std::error::Error + Send + Sync>),
}

/// Why an identity stays sealed for this reader.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LockReason {
    /// The owner country has no identity key yet: an admin sets one up.
    NoCountryKey,
    /// The reader does not hold a copy of their country's key.
    NotACustodian,
    /// The session does not carry the reader's key: signed in before it
    /// existed or was granted, or a token from an older sign-in.
    SessionLocked,
}

impl LockReason {
    pub fn as_str(self) -> &'static str {
        match self {
            LockReason::NoCountryKey => "NO_COUNTRY_KEY",
            LockReason::NotACustodian => "NOT_A_CUSTODIAN",
            LockReason::SessionLocked => "SESSION_LOCKED",
        }
    }

    /// The sentence a person reads (`Display` of the error: in English).
    pub fn sentence(self) -> Msg {
        match self {
            LockReason::NoCountryKey => msg!("locked-no-country-key"),
            LockReason::NotACustodian => msg!("locked-not-a-custodian"),
            LockReason::SessionLocked => msg!("locked-session-locked"),
        }
    }
}

/// The logged cause of an `INTERNAL` error, carried to the response
/// (`ServerError::source`) so that the hygiene extension logs it once.
#[derive(Debug)]
pub struct InternalCause(pub String);

impl std::fmt::Display for InternalCause {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Every code a client may see (docs/RULES.md, "Refusals: the error contract").
pub const ERROR_CODES: [&str; 12] = [
    "UNAUTHENTICATED",
    "SECOND_FACTOR_REQUIRED",
    "FORBIDDEN",
    "NOT_FOUND",
    "BAD_USER_INPUT",
    "CONFLICT",
    "CONSENT_REQUIRED",
    "SLOT_UNAVAILABLE",
    "IDENTITY_LOCKED",
    "RATE_LIMITED",
    "UNAVAILABLE",
    "INTERNAL",
];

/// What an `UNAVAILABLE` answer suggests waiting: the pool retries meanwhile,
/// and a restarting PostgreSQL is usually back within seconds.
pub const UNAVAILABLE_RETRY_AFTER_SECS: i64 = 5;

impl AppError {
    pub fn code(&self) -> &'static str {
        match self {
            AppError::Unauthenticated(_) => "UNAUTHENTICATED",
            AppError::Forbidden => "FORBIDDEN",
            AppError::NotFound => "NOT_FOUND",
            AppError::BadUserInput(_) => "BAD_USER_INPUT",
            AppError::Conflict(_) | AppError::StaleVersion { .. } => "CONFLICT",
            AppError::ConsentRequired(_) => "CONSENT_REQUIRED",
            AppError::SlotUnavailable(_) => "SLOT_UNAVAILABLE",
            AppError::IdentityLocked(_) => "IDENTITY_LOCKED",
            AppError::SecondFactorRequired { .. } => "SECOND_FACTOR_REQUIRED",
            AppError::RateLimited { .. } => "RATE_LIMITED",
            AppError::Unavailable { .. } => "UNAVAILABLE",
            AppError::Internal(_) => "INTERNAL",
        }
    }

    /// `retryAfterSeconds` of a refusal the client should retry, if any.
    pub fn retry_after_secs(&self) -> Option<i64> {
        match self {
            AppError::RateLimited { retry_after_secs }
            | AppError::Unavailable { retry_after_secs } => Some(*retry_after_secs),
            _ => None,
        }
    }

    pub fn bad_input(field: &str, reason: Msg) -> Self {
        AppError::BadUserInput(InputError::new(field, reason))
    }

    /// Hides `cause` from the client; it is logged where the response is built.
    pub fn internal(cause: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> Self {
        AppError::Internal(cause.into())
    }

    /// For an insert guarded by a unique key: its violation is `documented`
    /// (one statement, so no check-then-insert race can change the code).
    pub fn unique_or(err: DbErr, documented: AppError) -> AppError {
        match err.sql_err() {
            Some(sea_orm::SqlErr::UniqueConstraintViolation(_)) => documented,
            _ => AppError::from(err),
        }
    }

    /// The error and its cause, for an operator at the command line (never
    /// for an API client).
    pub fn with_cause(&self) -> String {
        let cause = self.cause_chain();
        if cause.is_empty() {
            self.to_string()
        } else {
            format!("{self}: {cause}")
        }
    }

    /// The whole cause chain, for the log.
    pub fn cause_chain(&self) -> String {
        let mut text = String::new();
        let mut next = std::error::Error::source(self);
        while let Some(e) = next {
            if !text.is_empty() {
                text.push_str(": ");
            }
            text.push_str(&e.to_string());
            next = e.source();
        }
        text
    }
}

impl ErrorExtensions for AppError {
    fn extend(&self) -> async_graphql::Error {
        let mut error = async_graphql::Error::new(self.to_string());
        if let AppError::Internal(_) = self {
            error.source = Some(std::sync::Arc::new(InternalCause(self.cause_chain())));
        }
        error.extend_with(|_, ext| {
            ext.set("code", self.code());
            match self {
                AppError::BadUserInput(e) => ext.set("field", e.field.as_str()),
                AppError::StaleVersion { current } => ext.set("currentVersion", *current),
                AppError::IdentityLocked(reason) => ext.set("reason", reason.as_str()),
                AppError::SecondFactorRequired { challenge, methods } => {
                    ext.set("challenge", challenge.as_str());
                    ext.set("methods", methods.clone());
                }
                _ => {}
            }
            if let Some(secs) = self.retry_after_secs() {
                ext.set("retryAfterSeconds", secs);
            }
        })
    }
}

impl From<DbErr> for AppError {
    fn from(err: DbErr) -> Self {
        if is_unavailable(&err) {
            // An outage is not a bug: logged once per failed operation, as a
            // warning, with the driver's words (never sent to the client).
            tracing::warn!(error = %err, "database unavailable");
            return AppError::Unavailable {
                retry_after_secs: UNAVAILABLE_RETRY_AFTER_SECS,
            };
        }
        match err.sql_err() {
            Some(sea_orm::SqlErr::UniqueConstraintViolation(_)) => {
                tracing::info!(error = %err, "unique constraint violated");
                AppError::Conflict(msg!("conflict-conflicts-with-an-existing-record"))
            }
            Some(sea_orm::SqlErr::ForeignKeyConstraintViolation(_)) => {
                tracing::info!(error = %err, "foreign key violated");
                AppError::NotFound
            }
            _ => AppError::internal(err),
        }
    }
}

/// Whether `err` says the database cannot be reached or used right now
/// (rather than that the statement was wrong): no connection within the
/// acquire timeout, a connection refused, reset or closed by a shutting-down
/// server, or a SQLite lock held elsewhere past the busy timeout. Retrying
/// later can succeed, so clients are told `UNAVAILABLE`.
pub fn is_unavailable(err: &DbErr) -> bool {
    use sea_orm::sqlx::Error as Sqlx;
    let sqlx = match err {
        DbErr::ConnectionAcquire(_) => return true,
        DbErr::Conn(RuntimeErr::SqlxError(e))
        | DbErr::Exec(RuntimeErr::SqlxError(e))
        | DbErr::Query(RuntimeErr::SqlxError(e)) => e,
        DbErr::Conn(_) => return true,
        _ => return false,
    };
    match sqlx.as_ref() {
        Sqlx::Io(_)
        | Sqlx::Tls(_)
        | Sqlx::PoolTimedOut
        | Sqlx::PoolClosed
        | Sqlx::WorkerCrashed
        | Sqlx::Protocol(_) => true,
        Sqlx::Database(db) => db.code().is_some_and(|code| unavailable_code(&code)),
        _ => matches!(err, DbErr::Conn(_)),
    }
}

/// PostgreSQL SQLSTATEs of a lost or refused connection (class 08, and 57P01–
/// 57P03: the server is shutting down, crashed, or not yet accepting), and
/// SQLite's BUSY (5) with its extended codes (low byte 5).
fn unavailable_code(code: &str) -> bool {
    if code.starts_with("08") || matches!(code, "57P01" | "57P02" | "57P03") {
        return true;
    }
    code.parse::<u32>().is_ok_and(|n| n & 0xff == 5)
}

pub type AppResult<T> = Result<T, AppError>;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::msg;

    #[test]
    fn an_internal_error_keeps_its_cause_for_the_log_only() {
        let err = AppError::internal(std::io::Error::other("disk on fire at /var/lib/x"));
        assert_eq!(err.code(), "INTERNAL");
        assert_eq!(err.to_string(), "internal error");
        assert_eq!(err.cause_chain(), "disk on fire at /var/lib/x");
        let sent = err.extend();
        assert_eq!(sent.message, "internal error");
        let cause = sent
            .source
            .as_ref()
            .and_then(|s| s.downcast_ref::<InternalCause>())
            .map(|c| c.0.clone());
        assert_eq!(cause.as_deref(), Some("disk on fire at /var/lib/x"));
        let json = serde_json::to_string(&sent).unwrap_or_default();
        assert!(!json.contains("fire"), "{json}");
    }

    #[test]
    fn a_unique_violation_becomes_the_documented_error() {
        let dup = DbErr::Query(RuntimeErr::Internal("boom".into()));
        // Not a unique violation: stays internal.
        assert_eq!(
            AppError::unique_or(
                dup,
                AppError::bad_input("name", msg!("input-is-already-in-use"))
            )
            .code(),
            "INTERNAL"
        );
    }

    #[test]
    fn lost_connections_and_busy_locks_are_unavailable_and_mistakes_are_not() {
        for code in ["08006", "08001", "57P01", "57P03", "5", "261", "517"] {
            assert!(unavailable_code(code), "{code}");
        }
        for code in ["23505", "40001", "42P01", "19", "2067", "1"] {
            assert!(!unavailable_code(code), "{code}");
        }
        assert!(is_unavailable(&DbErr::ConnectionAcquire(
            sea_orm::ConnAcquireErr::Timeout
        )));
        assert!(!is_unavailable(&DbErr::RecordNotFound("x".into())));
        assert!(!is_unavailable(&DbErr::Query(RuntimeErr::Internal(
            "syntax".into()
        ))));
    }

    #[test]
    fn a_refusal_is_said_in_each_language_and_the_api_keeps_its_english() {
        use crate::i18n::Lang;
        let (fr, es) = match (Lang::parse("fr"), Lang::parse("es")) {
            (Some(fr), Some(es)) => (fr, es),
            _ => panic!("French and Spanish are bundled"),
        };
        let err = AppError::bad_input("title", msg!("input-too-long", max = 200));
        assert_eq!(err.to_string(), "title: must be at most 200 characters");
        assert_eq!(
            err.extend().message,
            "title: must be at most 200 characters"
        );
        let AppError::BadUserInput(input) = &err else {
            panic!("bad input")
        };
        assert_eq!(
            input.reason.in_lang(fr),
            "doit compter au plus 200 caractères"
        );
        assert_eq!(
            input.reason.in_lang(es),
            "debe tener como máximo 200 caracteres"
        );

        let locked = AppError::IdentityLocked(LockReason::SessionLocked);
        assert_eq!(
            locked.to_string(),
            "identities are locked in this session: sign in again with your password to unlock them"
        );
        let sent = locked.extend();
        assert_eq!(sent.message, locked.to_string());
        let json = serde_json::to_value(&sent).unwrap_or_default();
        assert_eq!(json["extensions"]["reason"], "SESSION_LOCKED");
        assert_eq!(json["extensions"]["code"], "IDENTITY_LOCKED");
        assert!(
            LockReason::SessionLocked
                .sentence()
                .in_lang(fr)
                .starts_with("les identités sont verrouillées")
        );

        let consent =
            AppError::ConsentRequired(msg!("consent-the-defender-has-not-consented-to-trial"));
        assert_eq!(
            consent.to_string(),
            "the defender has not consented to trial observation"
        );
        let AppError::ConsentRequired(why) = &consent else {
            panic!("consent")
        };
        assert_eq!(
            why.in_lang(es),
            "la persona defensora no consintió la observación del juicio"
        );

        // Plurals and variables, English exactly as the API said it before.
        let conflict = AppError::Conflict(msg!("conflict-offer-not-open", state = "ACCEPTED"));
        assert_eq!(
            conflict.to_string(),
            "the offer is no longer open (it is accepted)"
        );
        let AppError::Conflict(why) = &conflict else {
            panic!("conflict")
        };
        assert_eq!(
            why.in_lang(fr),
            "l'offre n'est plus ouverte (elle est acceptée)"
        );
        let transition = msg!("input-report-transition", step = "link", state = "RECEIVED");
        assert_eq!(
            transition.english(),
            "cannot link a report your country's response to is RECEIVED (acknowledge it first)"
        );
        let closed = msg!(
            "input-report-transition",
            step = "close",
            state = "ACKNOWLEDGED"
        );
        assert_eq!(
            closed.english(),
            "cannot close a report your country's response to is ACKNOWLEDGED"
        );
        let id = msg!("input-not-an-id", kind = "AttackReport");
        assert_eq!(id.english(), "is not an attack report id");
    }

    /// The ids and variables of every message of `errors.ftl`.
    fn error_messages() -> Vec<(String, Vec<String>)> {
        let source = include_str!("../locales/en/errors.ftl");
        let mut messages: Vec<(String, Vec<String>)> = Vec::new();
        for line in source.lines() {
            let starts_message = line
                .split_once(" = ")
                .filter(|(id, _)| {
                    !id.is_empty()
                        && id
                            .chars()
                            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
                })
                .map(|(id, _)| id.to_owned());
            if let Some(id) = starts_message {
                messages.push((id, Vec::new()));
            }
            if line.starts_with('#') {
                continue;
            }
            if let Some((_, vars)) = messages.last_mut() {
                for part in line.split('$').skip(1) {
                    let name: String = part
                        .chars()
                        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
                        .collect();
                    if !name.is_empty() && !vars.contains(&name) {
                        vars.push(name);
                    }
                }
            }
        }
        messages
    }

    #[test]
    fn every_refusal_is_said_in_the_pseudo_language_with_no_english_left() {
        use crate::i18n::{Args, Lang};
        let messages = error_messages();
        assert!(messages.len() > 150, "{} messages", messages.len());
        for (id, vars) in messages {
            for n in [1_i64, 7] {
                let args = vars.iter().fold(Args::new(), |args, v| args.set(v, n));
                let text = Lang::pseudo().text_with(&id, &args);
                assert_ne!(text, id, "{id} is missing");
                let left = crate::i18n::untranslated_words(&text, &[]);
                assert!(left.is_empty(), "{id}: English left: {left:?} in {text}");
                for lang in ["en", "fr", "es"] {
                    let Some(lang) = Lang::parse(lang) else {
                        panic!("{lang} is bundled")
                    };
                    let said = lang.text_with(&id, &args);
                    assert!(!said.is_empty() && said != id, "{id} in {lang}");
                }
            }
        }
    }
}
