//! Security keys (WebAuthn, `webauthn-rs`) as a second factor: a signed-in
//! person registers keys (named, at most `MAX_KEYS`), lists and removes
//! them; at sign-in the second step may be passed with one. Each ceremony's
//! state is held server-side (`security_key_ceremonies`), bound to what
//! began it — the web session for a registration, the second step's
//! challenge (its token's SHA-256) for a sign-in — and used once.
//!
//! The relying party is the configured public URL: its host is the
//! relying-party id and its origin the only one accepted (any port in
//! development, where tests bind port 0). A public URL whose host is an IP
//! address cannot have security keys (browsers refuse them there).
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::Duration;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, TransactionTrait,
};
use uuid::Uuid;
use webauthn_rs::prelude::{
    CreationChallengeResponse, PublicKeyCredential, RegisterPublicKeyCredential,
    RequestChallengeResponse, SecurityKey, SecurityKeyAuthentication, SecurityKeyRegistration, Url,
    Webauthn, WebauthnBuilder, WebauthnError,
};

use crate::audit::{self, Action, Actor, Event, ObjectType};
use crate::auth::Viewer;
use crate::auth::token::hash_refresh_token;
use crate::config::{Config, Mode};
use crate::error::{AppError, AppResult};
use crate::msg;
use crate::service::auth::{confirm_password, current_user};
use crate::state::AppState;
use crate::store::{security_key, security_key_ceremony, user};

/// At most this many keys per person.
pub const MAX_KEYS: u64 = 10;
/// A key's name: at most this many characters.
pub const MAX_NAME_CHARS: usize = 60;
/// How long a ceremony may take, from its start (a person finds their key
/// and touches it).
const CEREMONY_SECS: i64 = 300;

const REGISTER: &str = "REGISTER";
const SIGN_IN: &str = "SIGN_IN";

/// The relying party of the configured public URL; `None` where security
/// keys cannot work (an IP address or no host at all).
///
/// A key proves presence (a touch), not a PIN: it is the second factor
/// after the password, as FIDO U2F keys are (password and a hardware key:
/// something known and something held). Asking the key to verify its user
/// as well makes webauthn-rs request a credential-protection policy that
/// Chromium refuses for such a key ("inconsistent … parameters"), and would
/// make people set a PIN on keys that have none.
pub fn relying_party(config: &Config) -> Option<Webauthn> {
    let origin = Url::parse(config.public_url.trim_end_matches('/')).ok()?;
    let rp_id = origin.domain()?.to_owned();
    WebauthnBuilder::new(&rp_id, &origin)
        .ok()?
        .rp_name("Accord")
        .allow_any_port(config.mode == Mode::Development)
        .danger_set_user_presence_only_security_keys(true)
        .build()
        .ok()
}

/// Whether this server can register and use security keys at all.
pub fn available(state: &AppState) -> bool {
    relying_party(&state.config).is_some()
}

fn unavailable() -> AppError {
    AppError::bad_input("securityKey", msg!("input-security-keys-unavailable"))
}

fn not_accepted() -> AppError {
    AppError::bad_input("securityKey", msg!("input-security-key-not-accepted"))
}

fn credential_id_of(key: &SecurityKey) -> String {
    URL_SAFE_NO_PAD.encode(key.cred_id().as_ref())
}

fn parse_key(row: &security_key::Model) -> AppResult<SecurityKey> {
    serde_json::from_str(&row.credential)
        .map_err(|e| AppError::internal(format!("stored security key unreadable: {e}")))
}

/// The viewer's keys, oldest first.
pub async fn list(state: &AppState, viewer: &Viewer) -> AppResult<Vec<security_key::Model>> {
    keys_of(&state.db, viewer.user_id).await
}

async fn keys_of(db: &impl ConnectionTrait, user_id: Uuid) -> AppResult<Vec<security_key::Model>> {
    Ok(security_key::Entity::find()
        .filter(security_key::Column::UserId.eq(user_id))
        .order_by_asc(security_key::Column::CreatedAt)
        .order_by_asc(security_key::Column::Id)
        .all(db)
        .await?)
}

/// Whether this person has a security key (the second step offers it).
pub async fn has_keys(state: &AppState, user_id: Uuid) -> AppResult<bool> {
    Ok(security_key::Entity::find()
        .filter(security_key::Column::UserId.eq(user_id))
        .count(&state.db)
        .await?
        > 0)
}

/// Stores a new ceremony, replacing any other of the same purpose bound to
/// the same thing (a second click starts over).
async fn hold_ceremony(
    state: &AppState,
    user_id: Uuid,
    purpose: &str,
    bound_to: String,
    key_name: Option<String>,
    ceremony: String,
) -> AppResult<()> {
    let now = state.clock.now();
    let txn = state.db.begin().await?;
    security_key_ceremony::Entity::delete_many()
        .filter(security_key_ceremony::Column::Purpose.eq(purpose))
        .filter(security_key_ceremony::Column::BoundTo.eq(bound_to.clone()))
        .exec(&txn)
        .await?;
    // Ceremonies abandoned long ago go with it.
    security_key_ceremony::Entity::delete_many()
        .filter(security_key_ceremony::Column::ExpiresAt.lt(now))
        .exec(&txn)
        .await?;
    security_key_ceremony::ActiveModel {
        id: Set(crate::domain::ids::new_id()),
        user_id: Set(user_id),
        purpose: Set(purpose.to_owned()),
        bound_to: Set(bound_to),
        key_name: Set(key_name),
        state: Set(ceremony),
        expires_at: Set(now + Duration::seconds(CEREMONY_SECS)),
    }
    .insert(&txn)
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Takes the ceremony bound to `bound_to` (deleted: it is used once, passed
/// or not); `None` when there is none for this person or it has expired.
async fn take_ceremony(
    state: &AppState,
    user_id: Uuid,
    purpose: &str,
    bound_to: &str,
) -> AppResult<Option<security_key_ceremony::Model>> {
    let txn = state.db.begin().await?;
    let found = security_key_ceremony::Entity::find()
        .filter(security_key_ceremony::Column::Purpose.eq(purpose))
        .filter(security_key_ceremony::Column::BoundTo.eq(bound_to))
        .lock_exclusive()
        .one(&txn)
        .await?;
    let Some(row) = found else {
        return Ok(None);
    };
    let deleted = security_key_ceremony::Entity::delete_by_id(row.id)
        .exec(&txn)
        .await?;
    txn.commit().await?;
    let usable =
        deleted.rows_affected == 1 && row.user_id == user_id && row.expires_at > state.clock.now();
    Ok(usable.then_some(row))
}

/// A key's name as given: trimmed, 1 to `MAX_NAME_CHARS` characters.
fn key_name(name: &str) -> AppResult<String> {
    let name = name.trim();
    if name.is_empty()
        || name.chars().count() > MAX_NAME_CHARS
        || name.chars().any(char::is_control)
    {
        return Err(AppError::bad_input(
            "name",
            msg!(
                "input-security-key-name-length",
                max = MAX_NAME_CHARS as i64
            ),
        ));
    }
    Ok(name.to_owned())
}

/// Begins registering a key named `name` for the viewer: the options their
/// browser passes to `navigator.credentials.create`. Refused at
/// `MAX_KEYS` keys, and where keys cannot work.
pub async fn start_registration(
    state: &AppState,
    viewer: &Viewer,
    name: &str,
) -> AppResult<CreationChallengeResponse> {
    let name = key_name(name)?;
    let rp = relying_party(&state.config).ok_or_else(unavailable)?;
    let me = current_user(state, viewer).await?;
    let keys = keys_of(&state.db, me.id).await?;
    if keys.len() as u64 >= MAX_KEYS {
        return Err(AppError::Conflict(msg!(
            "conflict-security-key-limit",
            max = MAX_KEYS as i64
        )));
    }
    // The browser refuses a key already registered here.
    let exclude = keys
        .iter()
        .map(|k| parse_key(k).map(|k| k.cred_id().clone()))
        .collect::<AppResult<Vec<_>>>()?;
    let (options, ceremony) = rp
        .start_securitykey_registration(
            me.id,
            &me.email,
            &me.display_name,
            Some(exclude),
            None,
            None,
        )
        .map_err(|e| AppError::internal(format!("security key registration not begun: {e}")))?;
    let ceremony = serde_json::to_string(&ceremony)
        .map_err(|e| AppError::internal(format!("ceremony not stored: {e}")))?;
    hold_ceremony(
        state,
        me.id,
        REGISTER,
        viewer.session_id.to_string(),
        Some(name),
        ceremony,
    )
    .await?;
    Ok(options)
}

/// Finishes a registration begun in this session: the key is checked and
/// stored under the name given at the start. Refused when the ceremony is
/// unknown, expired or already used, when the browser's answer does not
/// verify, when the key is registered already (to anyone), or at the cap.
pub async fn finish_registration(
    state: &AppState,
    viewer: &Viewer,
    answer: &RegisterPublicKeyCredential,
) -> AppResult<security_key::Model> {
    let rp = relying_party(&state.config).ok_or_else(unavailable)?;
    let ceremony = take_ceremony(
        state,
        viewer.user_id,
        REGISTER,
        &viewer.session_id.to_string(),
    )
    .await?
    .ok_or_else(|| AppError::bad_input("securityKey", msg!("input-security-key-start-again")))?;
    let registration: SecurityKeyRegistration = serde_json::from_str(&ceremony.state)
        .map_err(|e| AppError::internal(format!("ceremony unreadable: {e}")))?;
    let key = rp
        .finish_securitykey_registration(answer, &registration)
        .map_err(|e| {
            tracing::info!(error = %e, "a security key's registration did not verify");
            not_accepted()
        })?;
    let name = ceremony
        .key_name
        .ok_or_else(|| AppError::internal("a registration without a key name"))?;
    let credential_id = credential_id_of(&key);
    let credential = serde_json::to_string(&key)
        .map_err(|e| AppError::internal(format!("security key not stored: {e}")))?;
    let txn = state.db.begin().await?;
    // One registration at a time per person: the cap holds under races.
    let me = user::Entity::find_by_id(viewer.user_id)
        .lock_exclusive()
        .one(&txn)
        .await?
        .ok_or_else(|| AppError::internal("the signed-in user vanished"))?;
    let count = security_key::Entity::find()
        .filter(security_key::Column::UserId.eq(me.id))
        .count(&txn)
        .await?;
    if count >= MAX_KEYS {
        return Err(AppError::Conflict(msg!(
            "conflict-security-key-limit",
            max = MAX_KEYS as i64
        )));
    }
    let taken = security_key::Entity::find()
        .filter(security_key::Column::CredentialId.eq(credential_id.clone()))
        .count(&txn)
        .await?;
    if taken > 0 {
        return Err(AppError::Conflict(msg!(
            "conflict-security-key-already-registered"
        )));
    }
    let row = security_key::ActiveModel {
        id: Set(crate::domain::ids::new_id()),
        user_id: Set(me.id),
        name: Set(name),
        credential_id: Set(credential_id),
        credential: Set(credential),
        created_at: Set(state.clock.now()),
        last_used_at: Set(None),
    }
    .insert(&txn)
    .await?;
    audit::append(
        &txn,
        Event::new(viewer, Action::SecurityKeyAdded, ObjectType::User)
            .object(me.id, viewer.country)
            .detail(row.id.to_string()),
    )
    .await?;
    txn.commit().await?;
    Ok(row)
}

/// Removes one of the viewer's keys, their current password confirming it
/// (checked under sign-in's throttle). Someone else's key is `NOT_FOUND`.
pub async fn remove(
    state: &AppState,
    viewer: &Viewer,
    key_id: Uuid,
    current_password: &str,
) -> AppResult<()> {
    let me = current_user(state, viewer).await?;
    if !confirm_password(state, &me, current_password).await? {
        return Err(AppError::bad_input(
            "currentPassword",
            msg!("input-is-not-your-current-password"),
        ));
    }
    let txn = state.db.begin().await?;
    let deleted = security_key::Entity::delete_many()
        .filter(security_key::Column::Id.eq(key_id))
        .filter(security_key::Column::UserId.eq(me.id))
        .exec(&txn)
        .await?;
    if deleted.rows_affected == 0 {
        return Err(AppError::NotFound);
    }
    audit::append(
        &txn,
        Event::new(viewer, Action::SecurityKeyRemoved, ObjectType::User)
            .object(me.id, viewer.country)
            .detail(key_id.to_string()),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Begins the second step with a security key for `user_id`, bound to the
/// challenge whose token is `challenge_token`: the options the browser
/// passes to `navigator.credentials.get` (the person's keys only).
pub async fn start_sign_in(
    state: &AppState,
    user_id: Uuid,
    challenge_token: &str,
) -> AppResult<RequestChallengeResponse> {
    let rp = relying_party(&state.config).ok_or_else(unavailable)?;
    let keys = keys_of(&state.db, user_id)
        .await?
        .iter()
        .map(parse_key)
        .collect::<AppResult<Vec<_>>>()?;
    if keys.is_empty() {
        return Err(AppError::bad_input(
            "securityKey",
            msg!("input-no-security-key"),
        ));
    }
    let (options, ceremony) = rp
        .start_securitykey_authentication(&keys)
        .map_err(|e| AppError::internal(format!("security key sign-in not begun: {e}")))?;
    let ceremony = serde_json::to_string(&ceremony)
        .map_err(|e| AppError::internal(format!("ceremony not stored: {e}")))?;
    hold_ceremony(
        state,
        user_id,
        SIGN_IN,
        hash_refresh_token(challenge_token),
        None,
        ceremony,
    )
    .await?;
    Ok(options)
}

/// Why a security key did not pass the second step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyRefused {
    /// No ceremony for this challenge (expired, used, never begun), or the
    /// answer does not verify against the person's keys.
    NotAccepted,
    /// The key's signature counter went backwards: it may have been cloned
    /// (audited as `SECURITY_KEY_CLONE_SUSPECTED`).
    CloneSuspected,
}

/// Checks the browser's answer for the second step bound to
/// `challenge_token`. On success the key's counter and last use are kept.
/// The caller passes or fails the step.
pub async fn finish_sign_in(
    state: &AppState,
    user_id: Uuid,
    challenge_token: &str,
    answer: &PublicKeyCredential,
) -> AppResult<Result<(), KeyRefused>> {
    let rp = relying_party(&state.config).ok_or_else(unavailable)?;
    let Some(ceremony) = take_ceremony(
        state,
        user_id,
        SIGN_IN,
        &hash_refresh_token(challenge_token),
    )
    .await?
    else {
        return Ok(Err(KeyRefused::NotAccepted));
    };
    let authentication: SecurityKeyAuthentication = serde_json::from_str(&ceremony.state)
        .map_err(|e| AppError::internal(format!("ceremony unreadable: {e}")))?;
    let result = match rp.finish_securitykey_authentication(answer, &authentication) {
        Ok(result) => result,
        Err(WebauthnError::CredentialPossibleCompromise) => {
            tracing::warn!(user = %user_id, "a security key's counter went backwards; sign-in refused");
            let txn = state.db.begin().await?;
            audit::append(
                &txn,
                Event::new(
                    Actor {
                        user_id: Some(user_id),
                        country: None,
                    },
                    Action::SecurityKeyCloneSuspected,
                    ObjectType::User,
                )
                .object(user_id, None),
            )
            .await?;
            txn.commit().await?;
            return Ok(Err(KeyRefused::CloneSuspected));
        }
        Err(e) => {
            tracing::info!(error = %e, "a security key's answer did not verify");
            return Ok(Err(KeyRefused::NotAccepted));
        }
    };
    let used = URL_SAFE_NO_PAD.encode(result.cred_id().as_ref());
    let txn = state.db.begin().await?;
    let Some(row) = security_key::Entity::find()
        .filter(security_key::Column::UserId.eq(user_id))
        .filter(security_key::Column::CredentialId.eq(used))
        .lock_exclusive()
        .one(&txn)
        .await?
    else {
        // Removed meanwhile.
        return Ok(Err(KeyRefused::NotAccepted));
    };
    let mut key = parse_key(&row)?;
    key.update_credential(&result);
    let credential = serde_json::to_string(&key)
        .map_err(|e| AppError::internal(format!("security key not stored: {e}")))?;
    security_key::ActiveModel {
        id: Set(row.id),
        credential: Set(credential),
        last_used_at: Set(Some(state.clock.now())),
        ..Default::default()
    }
    .update(&txn)
    .await?;
    txn.commit().await?;
    Ok(Ok(()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_relying_party_is_the_public_urls_host() {
        let mut config = Config {
            public_url: "https://accord.example.org".into(),
            ..Config::default()
        };
        assert!(relying_party(&config).is_some());
        config.public_url = "http://localhost:8080/".into();
        assert!(relying_party(&config).is_some());
        // Browsers refuse security keys on an IP address.
        config.public_url = "http://127.0.0.1:8080".into();
        assert!(relying_party(&config).is_none());
        config.public_url = "not a url".into();
        assert!(relying_party(&config).is_none());
    }

    #[test]
    fn a_key_name_is_short_plain_text() {
        assert_eq!(key_name("  Blue key ").ok().as_deref(), Some("Blue key"));
        assert!(key_name("   ").is_err());
        assert!(key_name(&"x".repeat(MAX_NAME_CHARS + 1)).is_err());
        assert!(key_name(&"é".repeat(MAX_NAME_CHARS)).is_ok());
        assert!(key_name("a\u{7}b").is_err());
    }
}
