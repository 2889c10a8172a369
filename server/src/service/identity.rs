//! Sealed identity: who holds a country's key, how a session unlocks it,
//! and sealing and opening a case's identity fields with it
//! (docs/SECURITY.md, "Sealed identity").
//!
//! The chain is password → member key → country key → identity field:
//! - each user's private key is wrapped under a key derived from their
//!   password (`member_keys`), and unwrapped only at sign-in, when the
//!   password is at hand; the session then keeps it sealed under a secret
//!   only the client holds (`sessions.unlock_sealed`);
//! - a country's private key is wrapped to each custodian's public key,
//!   under the country's recovery key, and (after the key-ring migration)
//!   under a one-time claim code (`country_key_wraps`);
//! - identity fields are sealed to the country's public key, so anyone who
//!   may write a case seals without opening anything.
//!
//! Nothing the server holds at rest (database, configuration, environment)
//! opens an identity: that needs a member's password, a signed-in member's
//! client secret, or the recovery key.
use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, TransactionTrait};
use uuid::Uuid;
use zeroize::Zeroizing;

use crate::audit::{self, Action, Event, ObjectType};
use crate::auth::Viewer;
use crate::crypto::sealed::{
    self, KdfParams, PublicKey, RecoveryKey, SealError, SecretKey, UnlockSecret,
};
use crate::domain::ids::new_id;
use crate::domain::{CountryCode, Role};
use crate::error::{AppError, AppResult, LockReason};
use crate::msg;
use crate::state::AppState;
use crate::store::{case, country_key, country_key_wrap, identity_reveal, member_key, session};

/// The four identity fields, by the name their sealing context uses.
pub const FIELDS: [&str; 4] = ["legal_name", "contact", "location", "notes"];

/// Cases re-sealed per call after a rotation; the rest follow lazily
/// (each open of a case under an old key re-seals it) or by calling again.
pub const RESEAL_BATCH: u64 = 500;

/// What a person must acknowledge before a key is made: said plainly,
/// before it happens.
pub const LOSS_WARNING: &str = "must be true: if every member holding the key forgets their password and the recovery key is lost, every identity of your country is lost for good; nobody, not even the operator, can open it";

/// Where a field's sealed value belongs: it opens only here.
pub fn case_context(case_id: Uuid, field: &str, key_id: Uuid) -> String {
    format!("accord identity v1|case:{case_id}|field:{field}|key:{key_id}")
}

/// A reveal's copy of a field, sealed to the requesting country's key.
pub fn reveal_context(reveal_id: Uuid, case_id: Uuid, field: &str, key_id: Uuid) -> String {
    format!("accord reveal v1|reveal:{reveal_id}|case:{case_id}|field:{field}|key:{key_id}")
}

fn member_context(user_id: Uuid) -> String {
    format!("accord member key v1|user:{user_id}")
}

fn member_wrap_context(key_id: Uuid, user_id: Uuid) -> String {
    format!("accord country key v1|key:{key_id}|user:{user_id}")
}

fn holder_wrap_context(key_id: Uuid, holder: Holder) -> String {
    format!("accord country key v1|key:{key_id}|{}", holder.as_str())
}

fn session_context(session_id: Uuid) -> String {
    format!("accord session unlock v1|session:{session_id}")
}

/// Who a country key's wrap is for, besides members.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Holder {
    Recovery,
    Claim,
}

impl Holder {
    fn as_str(self) -> &'static str {
        match self {
            Holder::Recovery => "RECOVERY",
            Holder::Claim => "CLAIM",
        }
    }
}

/// A country key's state.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyState {
    Active,
    Unclaimed,
    Retired,
}

impl KeyState {
    pub fn as_str(self) -> &'static str {
        match self {
            KeyState::Active => "ACTIVE",
            KeyState::Unclaimed => "UNCLAIMED",
            KeyState::Retired => "RETIRED",
        }
    }
}

fn sealing_failed(_: SealError) -> AppError {
    AppError::internal("identity sealing failed")
}

fn stored_public(key: &country_key::Model) -> AppResult<PublicKey> {
    PublicKey::from_base64(&key.public_key).map_err(sealing_failed)
}

// ---------------------------------------------------------------------------
// Member keys and sessions.

/// Makes a user's key pair, wrapped under their password. Runs the key
/// derivation on the password pool.
async fn new_member_key(
    state: &AppState,
    user_id: Uuid,
    password: &str,
) -> AppResult<(member_key::Model, SecretKey)> {
    let params = KdfParams::new(
        state.config.argon2_memory_kib,
        state.config.argon2_iterations,
    );
    let kek = state
        .hasher
        .derive_bounded(password.to_owned(), params.clone())
        .await?;
    let (secret, public) = sealed::generate_key_pair();
    let now = Utc::now();
    let row = member_key::Model {
        user_id,
        public_key: public.to_base64(),
        private_wrapped: sealed::wrap_secret(&kek, &member_context(user_id), &secret)
            .map_err(sealing_failed)?,
        kdf: params.encode(),
        created_at: now,
        updated_at: now,
    };
    Ok((row, secret))
}

/// A new user's key pair, wrapped under the password they were given, as
/// a row to insert with the user.
pub async fn new_member_key_row(
    state: &AppState,
    user_id: Uuid,
    password: &str,
) -> AppResult<member_key::Model> {
    Ok(new_member_key(state, user_id, password).await?.0)
}

/// At sign-in, with the password just verified: the user's private key
/// (made now if they have none, e.g. a user from before sealed identity).
/// `None` if the stored wrap does not open (it always should).
pub async fn member_secret_at_sign_in(
    state: &AppState,
    user_id: Uuid,
    password: &str,
) -> AppResult<Option<SecretKey>> {
    match member_key::of_user(&state.db, user_id).await? {
        Some(row) => {
            let params = KdfParams::parse(&row.kdf).map_err(sealing_failed)?;
            let kek = state
                .hasher
                .derive_bounded(password.to_owned(), params)
                .await?;
            match sealed::unwrap_secret(&kek, &member_context(user_id), &row.private_wrapped) {
                Ok(secret) => Ok(Some(secret)),
                Err(_) => {
                    tracing::error!(user = %user_id, "a member key did not open with the verified password");
                    Ok(None)
                }
            }
        }
        None => {
            let (row, secret) = new_member_key(state, user_id, password).await?;
            match member_key::insert(&state.db, row).await {
                Ok(_) => Ok(Some(secret)),
                // A concurrent sign-in made theirs first: use that one.
                Err(e)
                    if matches!(
                        e.sql_err(),
                        Some(sea_orm::SqlErr::UniqueConstraintViolation(_))
                    ) =>
                {
                    Box::pin(member_secret_at_sign_in(state, user_id, password)).await
                }
                Err(e) => Err(e.into()),
            }
        }
    }
}

/// What a new session keeps: the member's private key sealed under the
/// client's secret, bound to the session.
pub fn seal_for_session(
    secret: &SecretKey,
    unlock: &UnlockSecret,
    session_id: Uuid,
) -> AppResult<String> {
    sealed::wrap_secret(unlock.key(), &session_context(session_id), secret).map_err(sealing_failed)
}

/// Opens what `seal_for_session` sealed for `session_id` (a sign-in
/// challenge carries the member key this way to the session its second
/// step opens).
pub fn open_for_session(
    sealed_key: &str,
    unlock: &UnlockSecret,
    session_id: Uuid,
) -> AppResult<SecretKey> {
    sealed::unwrap_secret(unlock.key(), &session_context(session_id), sealed_key)
        .map_err(sealing_failed)
}

/// The viewer's key re-wrapped under a new password (the current one just
/// verified), as a row to write in the password change's transaction. A
/// user without a key gets one.
pub async fn rewrapped_for_new_password(
    state: &AppState,
    user_id: Uuid,
    current: &str,
    new: &str,
) -> AppResult<member_key::Model> {
    let secret = member_secret_at_sign_in(state, user_id, current)
        .await?
        .ok_or_else(|| AppError::internal("member key did not open"))?;
    let params = KdfParams::new(
        state.config.argon2_memory_kib,
        state.config.argon2_iterations,
    );
    let kek = state
        .hasher
        .derive_bounded(new.to_owned(), params.clone())
        .await?;
    let now = Utc::now();
    let created_at = member_key::of_user(&state.db, user_id)
        .await?
        .map_or(now, |e| e.created_at);
    Ok(member_key::Model {
        user_id,
        public_key: secret.public_key().to_base64(),
        private_wrapped: sealed::wrap_secret(&kek, &member_context(user_id), &secret)
            .map_err(sealing_failed)?,
        kdf: params.encode(),
        created_at,
        updated_at: now,
    })
}

/// The viewer's private key, from their session and their client's secret.
async fn member_secret(db: &impl ConnectionTrait, viewer: &Viewer) -> AppResult<SecretKey> {
    let locked = AppError::IdentityLocked(LockReason::SessionLocked);
    let unlock = viewer
        .unlock
        .as_ref()
        .ok_or_else(|| locked_again(&locked))?;
    let sealed_key = session::unlock_of(db, viewer.session_id)
        .await?
        .ok_or_else(|| locked_again(&locked))?;
    sealed::unwrap_secret(
        unlock.key(),
        &session_context(viewer.session_id),
        &sealed_key,
    )
    .map_err(|_| locked)
}

fn locked_again(e: &AppError) -> AppError {
    match e {
        AppError::IdentityLocked(r) => AppError::IdentityLocked(*r),
        _ => AppError::internal("unexpected"),
    }
}

/// The private half of `key`, as the viewer holds it: their wrap opened
/// with their unlocked member key.
async fn country_secret(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    key: &country_key::Model,
) -> AppResult<SecretKey> {
    let wrap = country_key_wrap::of_member(db, key.id, viewer.user_id)
        .await?
        .ok_or(AppError::IdentityLocked(LockReason::NotACustodian))?;
    let member = member_secret(db, viewer).await?;
    sealed::unwrap_secret_with(
        &member,
        &member_wrap_context(key.id, viewer.user_id),
        &wrap.wrapped,
    )
    .map_err(sealing_failed)
}

// ---------------------------------------------------------------------------
// Sealing and opening case identity.

/// An identity in clear, field by field (`FIELDS` order).
pub type Clear = [Option<String>; 4];
/// The same, sealed, with the key it is sealed to.
pub struct SealedFields {
    pub key_id: Option<Uuid>,
    pub fields: [Option<String>; 4],
}

impl SealedFields {
    /// `c` with its identity replaced by these sealed fields.
    pub fn into_case(self, c: case::Model) -> case::Model {
        let [legal_name, contact, location, notes] = self.fields;
        case::Model {
            legal_name_sealed: legal_name,
            contact_sealed: contact,
            location_sealed: location,
            notes_sealed: notes,
            identity_key_id: self.key_id,
            ..c
        }
    }

    /// `r` holding these sealed fields as its copy of the identity.
    pub fn into_reveal(self, r: identity_reveal::Model) -> identity_reveal::Model {
        let [legal_name, contact, location, notes] = self.fields;
        identity_reveal::Model {
            key_id: self.key_id,
            legal_name_sealed: legal_name,
            contact_sealed: contact,
            location_sealed: location,
            notes_sealed: notes,
            ..r
        }
    }
}

/// Seals an identity to the owner country's current key. An identity with
/// no field given needs no key; one with a field needs the country to have
/// one (`IDENTITY_LOCKED`, `NO_COUNTRY_KEY`).
pub async fn seal_for_case(
    db: &impl ConnectionTrait,
    owner: CountryCode,
    case_id: Uuid,
    clear: Clear,
) -> AppResult<SealedFields> {
    let key = country_key::current(db, owner.as_str()).await?;
    let Some(key) = key else {
        if clear.iter().all(Option::is_none) {
            return Ok(SealedFields {
                key_id: None,
                fields: [None, None, None, None],
            });
        }
        return Err(AppError::IdentityLocked(LockReason::NoCountryKey));
    };
    seal_fields_to(&key, |field| case_context(case_id, field, key.id), clear)
}

fn seal_fields_to(
    key: &country_key::Model,
    context: impl Fn(&str) -> String,
    clear: Clear,
) -> AppResult<SealedFields> {
    let public = stored_public(key)?;
    let mut fields: [Option<String>; 4] = [None, None, None, None];
    for (i, value) in clear.into_iter().enumerate() {
        fields[i] = value
            .map(|v| sealed::seal_to(&public, &context(FIELDS[i]), v.as_bytes()))
            .transpose()
            .map_err(sealing_failed)?;
    }
    Ok(SealedFields {
        key_id: Some(key.id),
        fields,
    })
}

fn open_fields(
    secret: &SecretKey,
    context: impl Fn(&str) -> String,
    sealed_fields: [&Option<String>; 4],
) -> AppResult<Clear> {
    let mut clear: Clear = [None, None, None, None];
    for (i, value) in sealed_fields.into_iter().enumerate() {
        clear[i] = value
            .as_ref()
            .map(|v| sealed::open_text(secret, &context(FIELDS[i]), v))
            .transpose()
            .map_err(sealing_failed)?;
    }
    Ok(clear)
}

fn case_fields(c: &case::Model) -> [&Option<String>; 4] {
    [
        &c.legal_name_sealed,
        &c.contact_sealed,
        &c.location_sealed,
        &c.notes_sealed,
    ]
}

/// Opens a case's identity for a viewer of the owner country. The caller
/// has asked the policy (`policy::cases::may_read_identity`) and audits.
/// An identity still under a retired key is re-sealed to the current one
/// on the way (`resealed` tells the caller to write it).
pub async fn open_case_identity(
    state: &AppState,
    viewer: &Viewer,
    c: &case::Model,
) -> AppResult<Clear> {
    let owner = CountryCode::from_stored(&c.owner_country);
    let Some(key_id) = c.identity_key_id else {
        if case_fields(c).iter().all(|f| f.is_none()) {
            // Nothing recorded; still only for a custodian's open session.
            require_unlocked_custodian(state, viewer, owner).await?;
            return Ok([None, None, None, None]);
        }
        return open_ring_sealed(state, c);
    };
    let key = country_key::by_id(&state.db, key_id)
        .await?
        .ok_or_else(|| AppError::internal("identity sealed to a destroyed key"))?;
    let secret = country_secret(&state.db, viewer, &key).await?;
    let clear = open_fields(&secret, |f| case_context(c.id, f, key.id), case_fields(c))?;
    if key.state == KeyState::Retired.as_str() {
        reseal_cases(state, viewer, owner, &key, &secret, 1, Some(c.id)).await?;
    }
    Ok(clear)
}

/// Before `accord seal-identities` has run: an identity sealed under the
/// server's key ring. Kept only so that the service works between the
/// upgrade and that command; the command leaves none behind.
fn open_ring_sealed(state: &AppState, c: &case::Model) -> AppResult<Clear> {
    let mut clear: Clear = [None, None, None, None];
    for (i, value) in case_fields(c).into_iter().enumerate() {
        clear[i] = value
            .as_ref()
            .map(|v| {
                state
                    .keys_identity
                    .open(&crate::service::cases::ring_context(c.id, FIELDS[i]), v)
            })
            .transpose()?;
    }
    Ok(clear)
}

/// Fails unless the viewer holds their country's current key in an
/// unlocked session.
async fn require_unlocked_custodian(
    state: &AppState,
    viewer: &Viewer,
    country: CountryCode,
) -> AppResult<(country_key::Model, SecretKey)> {
    let key = country_key::current(&state.db, country.as_str())
        .await?
        .ok_or(AppError::IdentityLocked(LockReason::NoCountryKey))?;
    let secret = country_secret(&state.db, viewer, &key).await?;
    Ok((key, secret))
}

/// Opens the copy of an identity a reveal holds, for the requesting
/// country's viewer (the policy found the reveal open for them).
pub async fn open_revealed(
    state: &AppState,
    viewer: &Viewer,
    reveal: &identity_reveal::Model,
) -> AppResult<Clear> {
    let Some(key_id) = reveal.key_id else {
        return Ok([None, None, None, None]);
    };
    let key = country_key::by_id(&state.db, key_id)
        .await?
        .ok_or_else(|| AppError::internal("reveal sealed to a destroyed key"))?;
    let secret = country_secret(&state.db, viewer, &key).await?;
    open_fields(
        &secret,
        |f| reveal_context(reveal.id, reveal.case_id, f, key.id),
        [
            &reveal.legal_name_sealed,
            &reveal.contact_sealed,
            &reveal.location_sealed,
            &reveal.notes_sealed,
        ],
    )
}

/// For an approval: the case's identity re-sealed to the requesting
/// country's current key, opened with the approver's.
pub async fn seal_for_reveal(
    state: &AppState,
    viewer: &Viewer,
    c: &case::Model,
    reveal_id: Uuid,
    requester: CountryCode,
) -> AppResult<SealedFields> {
    let clear = open_case_identity(state, viewer, c).await?;
    let key = country_key::current(&state.db, requester.as_str())
        .await?
        .filter(|k| k.state == KeyState::Active.as_str())
        .ok_or_else(|| AppError::Conflict(msg!("conflict-the-requesting-country-has-no")))?;
    seal_fields_to(&key, |f| reveal_context(reveal_id, c.id, f, key.id), clear)
}

// ---------------------------------------------------------------------------
// Setting up, claiming, rotating and recovering a country's key.

/// The status of the viewer's country key, as they may know it.
#[derive(Clone)]
pub struct KeyStatus {
    pub country: CountryCode,
    pub key: Option<country_key::Model>,
    pub custodian: bool,
    pub unlocked: bool,
    /// Identities (cases and reveals) still under a retired key.
    pub pending_reseal: u64,
    /// Custodians of the current key (user ids).
    pub custodians: Vec<Uuid>,
}

fn country_of(viewer: &Viewer) -> AppResult<CountryCode> {
    viewer.country.ok_or(AppError::Forbidden)
}

fn require_admin(viewer: &Viewer) -> AppResult<CountryCode> {
    match (viewer.role, viewer.country) {
        (Role::Admin, Some(country)) => Ok(country),
        _ => Err(AppError::Forbidden),
    }
}

pub async fn status(state: &AppState, viewer: &Viewer) -> AppResult<KeyStatus> {
    let country = country_of(viewer)?;
    let key = country_key::current(&state.db, country.as_str()).await?;
    let (custodian, custodians) = match &key {
        Some(k) => {
            let members = country_key_wrap::members_of(&state.db, k.id).await?;
            let ids: Vec<Uuid> = members.iter().filter_map(|w| w.user_id).collect();
            (ids.contains(&viewer.user_id), ids)
        }
        None => (false, Vec::new()),
    };
    let unlocked = member_secret(&state.db, viewer).await.is_ok();
    let mut pending_reseal = 0;
    for old in country_key::of_country(&state.db, country.as_str()).await? {
        if old.state == KeyState::Retired.as_str() {
            pending_reseal += case::internal_count_sealed_under(&state.db, old.id).await?
                + identity_reveal::internal_count_under(&state.db, old.id).await?;
        }
    }
    Ok(KeyStatus {
        country,
        key,
        custodian,
        unlocked,
        pending_reseal,
        custodians,
    })
}

/// A key made, with the recovery key shown this once.
pub struct NewKey {
    pub recovery_key: Zeroizing<String>,
    pub key: country_key::Model,
}

fn acknowledged(acknowledge_loss_risk: bool) -> AppResult<()> {
    if acknowledge_loss_risk {
        Ok(())
    } else {
        Err(AppError::bad_input(
            "acknowledgeLossRisk",
            msg!("input-loss-warning"),
        ))
    }
}

/// Makes a key pair for `country`, wraps it to `holders` (user id and
/// public key) and under a fresh recovery key. Returns the key row, its
/// private half and the recovery key.
async fn make_key(
    db: &impl ConnectionTrait,
    country: CountryCode,
    created_by: Option<Uuid>,
    state_of_key: KeyState,
    holders: &[(Uuid, PublicKey)],
    granted_by: Option<Uuid>,
) -> AppResult<(country_key::Model, SecretKey, RecoveryKey)> {
    let (secret, public) = sealed::generate_key_pair();
    let now = Utc::now();
    let key = country_key::insert(
        db,
        country_key::Model {
            id: new_id(),
            country: country.as_str().to_owned(),
            public_key: public.to_base64(),
            state: state_of_key.as_str().to_owned(),
            created_by,
            created_at: now,
            retired_at: None,
        },
    )
    .await
    .map_err(|e| {
        AppError::unique_or(
            e,
            AppError::Conflict(msg!("conflict-your-country-already-has-an")),
        )
    })?;
    for (user_id, member_public) in holders {
        wrap_to_member(db, &key, &secret, *user_id, member_public, granted_by).await?;
    }
    let recovery = RecoveryKey::generate();
    wrap_to_holder(db, &key, &secret, Holder::Recovery, &recovery).await?;
    Ok((key, secret, recovery))
}

async fn wrap_to_member(
    db: &impl ConnectionTrait,
    key: &country_key::Model,
    secret: &SecretKey,
    user_id: Uuid,
    member_public: &PublicKey,
    granted_by: Option<Uuid>,
) -> AppResult<()> {
    let wrapped =
        sealed::wrap_secret_to(member_public, &member_wrap_context(key.id, user_id), secret)
            .map_err(sealing_failed)?;
    country_key_wrap::delete_member(db, &[key.id], user_id).await?;
    country_key_wrap::insert(
        db,
        country_key_wrap::Model {
            id: new_id(),
            key_id: key.id,
            holder: "MEMBER".into(),
            user_id: Some(user_id),
            wrapped,
            granted_by,
            created_at: Utc::now(),
        },
    )
    .await?;
    Ok(())
}

async fn wrap_to_holder(
    db: &impl ConnectionTrait,
    key: &country_key::Model,
    secret: &SecretKey,
    holder: Holder,
    code: &RecoveryKey,
) -> AppResult<()> {
    let wrapped = sealed::wrap_secret(
        &code.wrapping_key(),
        &holder_wrap_context(key.id, holder),
        secret,
    )
    .map_err(sealing_failed)?;
    country_key_wrap::delete_holder(db, key.id, holder.as_str()).await?;
    country_key_wrap::insert(
        db,
        country_key_wrap::Model {
            id: new_id(),
            key_id: key.id,
            holder: holder.as_str().into(),
            user_id: None,
            wrapped,
            granted_by: None,
            created_at: Utc::now(),
        },
    )
    .await?;
    Ok(())
}

async fn public_of(db: &impl ConnectionTrait, user_id: Uuid) -> AppResult<PublicKey> {
    let row = member_key::of_user(db, user_id)
        .await?
        .ok_or_else(|| AppError::bad_input("userId", msg!("input-has-no-key-yet-they")))?;
    PublicKey::from_base64(&row.public_key).map_err(sealing_failed)
}

/// Sets up the viewer's country key (an admin, signed in with a password
/// since sealed identity landed). With `claim_code`, claims the key the
/// key-ring migration made for the country: its identities move to the new
/// key, and the migration key is destroyed once empty.
pub async fn set_up(
    state: &AppState,
    viewer: &Viewer,
    acknowledge_loss_risk: bool,
    claim_code: Option<&str>,
) -> AppResult<NewKey> {
    let country = require_admin(viewer)?;
    acknowledged(acknowledge_loss_risk)?;
    let me_public = member_secret(&state.db, viewer).await?.public_key();
    let txn = state.db.begin().await?;
    let claimed = match country_key::current(&txn, country.as_str()).await? {
        Some(k) if k.state == KeyState::Active.as_str() => {
            return Err(AppError::Conflict(msg!(
                "conflict-your-country-already-has-an-identity"
            )));
        }
        Some(unclaimed) => {
            let code = claim_code.ok_or_else(|| {
                AppError::bad_input("claimCode", msg!("input-your-country-s-identities-wait"))
            })?;
            let secret = open_with_code(&txn, &unclaimed, Holder::Claim, code, "claimCode").await?;
            country_key::retire(&txn, unclaimed.id, Utc::now()).await?;
            country_key_wrap::delete_holder(&txn, unclaimed.id, Holder::Claim.as_str()).await?;
            wrap_to_member(
                &txn,
                &unclaimed,
                &secret,
                viewer.user_id,
                &me_public,
                Some(viewer.user_id),
            )
            .await?;
            Some(unclaimed)
        }
        None if claim_code.is_some() => {
            return Err(AppError::bad_input(
                "claimCode",
                msg!("input-there-is-no-migration-key"),
            ));
        }
        None => None,
    };
    let (key, _, recovery) = make_key(
        &txn,
        country,
        Some(viewer.user_id),
        KeyState::Active,
        &[(viewer.user_id, me_public)],
        Some(viewer.user_id),
    )
    .await?;
    let detail = match &claimed {
        Some(old) => format!("claimed migration key {}", old.id),
        None => "first key".into(),
    };
    audit::append(
        &txn,
        Event::new(viewer, Action::IdentityKeyCreated, ObjectType::IdentityKey)
            .object(key.id, Some(country))
            .detail(detail),
    )
    .await?;
    txn.commit().await?;
    if claimed.is_some() {
        reseal_pending(state, viewer).await?;
    }
    Ok(NewKey {
        recovery_key: recovery.display(),
        key,
    })
}

async fn open_with_code(
    db: &impl ConnectionTrait,
    key: &country_key::Model,
    holder: Holder,
    code: &str,
    field: &str,
) -> AppResult<SecretKey> {
    let wrong = || AppError::bad_input(field, msg!("input-does-not-open-your-country"));
    let code = RecoveryKey::parse(code).map_err(|_| wrong())?;
    let wrap = country_key_wrap::of_holder(db, key.id, holder.as_str())
        .await?
        .ok_or_else(wrong)?;
    sealed::unwrap_secret(
        &code.wrapping_key(),
        &holder_wrap_context(key.id, holder),
        &wrap.wrapped,
    )
    .map_err(|_| wrong())
}

/// Replaces the country key: every custodian receives the new one, a new
/// recovery key is shown, the old key is retired and identities move to the
/// new one (a batch now, the rest as they are opened or on `reseal`).
pub async fn rotate(
    state: &AppState,
    viewer: &Viewer,
    acknowledge_loss_risk: bool,
) -> AppResult<NewKey> {
    let country = require_admin(viewer)?;
    acknowledged(acknowledge_loss_risk)?;
    let (old, _old_secret) = require_unlocked_custodian(state, viewer, country).await?;
    let txn = state.db.begin().await?;
    let mut holders = Vec::new();
    for wrap in country_key_wrap::members_of(&txn, old.id).await? {
        if let Some(user_id) = wrap.user_id {
            holders.push((user_id, public_of(&txn, user_id).await?));
        }
    }
    country_key::retire(&txn, old.id, Utc::now()).await?;
    let (key, _, recovery) = make_key(
        &txn,
        country,
        Some(viewer.user_id),
        KeyState::Active,
        &holders,
        Some(viewer.user_id),
    )
    .await?;
    audit::append(
        &txn,
        Event::new(viewer, Action::IdentityKeyRotated, ObjectType::IdentityKey)
            .object(key.id, Some(country))
            .detail(format!("replaces {}", old.id)),
    )
    .await?;
    txn.commit().await?;
    reseal_pending(state, viewer).await?;
    Ok(NewKey {
        recovery_key: recovery.display(),
        key,
    })
}

/// Moves identities from the country's retired keys to its current one, a
/// batch per key, destroying each retired key left empty. Returns how many
/// remain. Needs a custodian's unlocked session (of the old keys too).
pub async fn reseal_pending(state: &AppState, viewer: &Viewer) -> AppResult<u64> {
    let country = country_of(viewer)?;
    let mut remaining = 0;
    for old in country_key::of_country(&state.db, country.as_str()).await? {
        if old.state != KeyState::Retired.as_str() {
            continue;
        }
        let secret = match country_secret(&state.db, viewer, &old).await {
            Ok(secret) => secret,
            // A retired key this custodian never held: another custodian's
            // session (or their opening a case) moves what it seals.
            Err(AppError::IdentityLocked(LockReason::NotACustodian)) => {
                remaining += case::internal_count_sealed_under(&state.db, old.id).await?
                    + identity_reveal::internal_count_under(&state.db, old.id).await?;
                continue;
            }
            Err(e) => return Err(e),
        };
        remaining +=
            reseal_cases(state, viewer, country, &old, &secret, RESEAL_BATCH, None).await?;
    }
    Ok(remaining)
}

/// Re-seals up to `limit` cases (or just `only`) and the reveals sealed
/// under `old` to the country's current key; destroys `old` when nothing
/// is left under it. Returns how many remain under it.
async fn reseal_cases(
    state: &AppState,
    viewer: &Viewer,
    country: CountryCode,
    old: &country_key::Model,
    old_secret: &SecretKey,
    limit: u64,
    only: Option<Uuid>,
) -> AppResult<u64> {
    let txn = state.db.begin().await?;
    let current = country_key::current(&txn, country.as_str())
        .await?
        .ok_or(AppError::IdentityLocked(LockReason::NoCountryKey))?;
    let mut moved = 0u64;
    let cases = match only {
        // One case, as it was opened: moved unless someone moved it meanwhile.
        Some(id) => case::internal_lock_all(&txn, &[id])
            .await?
            .into_iter()
            .filter(|c| c.identity_key_id == Some(old.id))
            .collect(),
        None => case::internal_lock_sealed_under(&txn, old.id, limit).await?,
    };
    for c in cases {
        let clear = open_fields(
            old_secret,
            |f| case_context(c.id, f, old.id),
            case_fields(&c),
        )?;
        let after = seal_fields_to(&current, |f| case_context(c.id, f, current.id), clear)?
            .into_case(c.clone());
        case::update(&txn, &c, after).await?;
        moved += 1;
    }
    if only.is_none() {
        for r in identity_reveal::internal_sealed_under(&txn, old.id, limit).await? {
            let clear = open_fields(
                old_secret,
                |f| reveal_context(r.id, r.case_id, f, old.id),
                [
                    &r.legal_name_sealed,
                    &r.contact_sealed,
                    &r.location_sealed,
                    &r.notes_sealed,
                ],
            )?;
            let after = seal_fields_to(
                &current,
                |f| reveal_context(r.id, r.case_id, f, current.id),
                clear,
            )?
            .into_reveal(r.clone());
            identity_reveal::update(&txn, &r, after).await?;
            moved += 1;
        }
    }
    let remaining = case::internal_count_sealed_under(&txn, old.id).await?
        + identity_reveal::internal_count_under(&txn, old.id).await?;
    if moved > 0 {
        audit::append(
            &txn,
            Event::new(viewer, Action::IdentitiesResealed, ObjectType::IdentityKey)
                .object(current.id, Some(country))
                .detail(format!(
                    "from={} moved={moved} remaining={remaining}",
                    old.id
                )),
        )
        .await?;
    }
    if remaining == 0 {
        country_key::destroy(&txn, old.id).await?;
        audit::append(
            &txn,
            Event::new(
                viewer,
                Action::IdentityKeyDestroyed,
                ObjectType::IdentityKey,
            )
            .object(old.id, Some(country)),
        )
        .await?;
    }
    txn.commit().await?;
    Ok(remaining)
}

/// An admin regains their country's keys with its recovery key: each key
/// the recovery key opens is wrapped to them again. The recovery key stays
/// valid; rotating afterwards shows a new one.
pub async fn recover(state: &AppState, viewer: &Viewer, recovery_key: &str) -> AppResult<u64> {
    let country = require_admin(viewer)?;
    let me_public = public_of(&state.db, viewer.user_id).await?;
    let txn = state.db.begin().await?;
    let mut opened = 0u64;
    for key in country_key::of_country(&txn, country.as_str()).await? {
        if key.state == KeyState::Unclaimed.as_str() {
            continue;
        }
        if let Ok(secret) =
            open_with_code(&txn, &key, Holder::Recovery, recovery_key, "recoveryKey").await
        {
            wrap_to_member(
                &txn,
                &key,
                &secret,
                viewer.user_id,
                &me_public,
                Some(viewer.user_id),
            )
            .await?;
            opened += 1;
        }
    }
    if opened == 0 {
        return Err(AppError::bad_input(
            "recoveryKey",
            msg!("input-does-not-open-your-country"),
        ));
    }
    audit::append(
        &txn,
        Event::new(viewer, Action::IdentityKeyRecovered, ObjectType::User)
            .object(viewer.user_id, Some(country))
            .detail(format!("keys={opened}")),
    )
    .await?;
    txn.commit().await?;
    Ok(opened)
}

// ---------------------------------------------------------------------------
// Custodians.

/// Roles that may hold their country's key.
pub fn may_hold_key(role: Role) -> bool {
    matches!(role, Role::Admin | Role::Coordinator | Role::Diplomat)
}

/// Roles that receive the key when an unlocked admin creates them.
pub fn holds_key_by_role(role: Role) -> bool {
    matches!(role, Role::Admin | Role::Coordinator)
}

/// Wraps every key of the viewer's country to `user_id` (a member of the
/// same country). The viewer is an admin holding the keys, unlocked.
pub async fn grant(state: &AppState, viewer: &Viewer, user_id: Uuid) -> AppResult<()> {
    let target = target_of(state, viewer, user_id).await?;
    grant_to(state, viewer, user_id, target).await
}

async fn grant_to(
    state: &AppState,
    viewer: &Viewer,
    user_id: Uuid,
    target: TargetUser,
) -> AppResult<()> {
    let country = require_admin(viewer)?;
    if target.country != Some(country) || !target.active {
        return Err(AppError::NotFound);
    }
    if !may_hold_key(target.role) {
        return Err(AppError::bad_input(
            "userId",
            msg!("input-only-diplomats-coordinators-and-admins-may"),
        ));
    }
    let (current, _) = require_unlocked_custodian(state, viewer, country).await?;
    let member_public = public_of(&state.db, user_id).await?;
    let mut secrets = Vec::new();
    for key in country_key::of_country(&state.db, country.as_str()).await? {
        if key.state == KeyState::Unclaimed.as_str() {
            continue;
        }
        match country_secret(&state.db, viewer, &key).await {
            Ok(secret) => secrets.push((secret, key)),
            // A retired key the granting admin never held: its identities
            // reach the new member once re-sealed.
            Err(AppError::IdentityLocked(LockReason::NotACustodian))
                if key.state == KeyState::Retired.as_str() => {}
            Err(e) => return Err(e),
        }
    }
    let txn = state.db.begin().await?;
    for (secret, key) in &secrets {
        wrap_to_member(
            &txn,
            key,
            secret,
            user_id,
            &member_public,
            Some(viewer.user_id),
        )
        .await?;
    }
    audit::append(
        &txn,
        Event::new(viewer, Action::IdentityAccessGranted, ObjectType::User)
            .object(user_id, Some(country))
            .detail(format!("key={}", current.id)),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// What the directory says of a user a grant or revocation names.
pub struct TargetUser {
    pub country: Option<CountryCode>,
    pub role: Role,
    pub active: bool,
}

/// Deletes `user_id`'s copies of their country's keys. Refused for the last
/// custodian of the current key (the identities would hang on the recovery
/// key alone).
pub async fn revoke(state: &AppState, viewer: &Viewer, user_id: Uuid) -> AppResult<()> {
    let target = target_of(state, viewer, user_id).await?;
    let country = require_admin(viewer)?;
    if target.country != Some(country) {
        return Err(AppError::NotFound);
    }
    let txn = state.db.begin().await?;
    let keys = country_key::of_country(&txn, country.as_str()).await?;
    if let Some(current) = keys.iter().find(|k| k.state == KeyState::Active.as_str()) {
        let members = country_key_wrap::members_of(&txn, current.id).await?;
        let holds = members.iter().any(|w| w.user_id == Some(user_id));
        if !holds {
            return Err(AppError::bad_input(
                "userId",
                msg!("input-does-not-hold-your-country"),
            ));
        }
        if members.len() == 1 {
            return Err(AppError::Conflict(msg!(
                "conflict-the-last-custodian-keeps-the"
            )));
        }
    }
    let ids: Vec<Uuid> = keys.iter().map(|k| k.id).collect();
    let removed = country_key_wrap::delete_member(&txn, &ids, user_id).await?;
    audit::append(
        &txn,
        Event::new(viewer, Action::IdentityAccessRevoked, ObjectType::User)
            .object(user_id, Some(country))
            .detail(format!("copies={removed}")),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// On deactivation: the user's copies go (inside the deactivating
/// transaction), so reactivation needs a new grant.
pub async fn forget_member(db: &impl ConnectionTrait, user_id: Uuid) -> AppResult<u64> {
    Ok(country_key_wrap::delete_all_of_user(db, user_id).await?)
}

/// When an unlocked admin creates an admin or coordinator of their
/// country: the new member receives the keys at once. Best effort: an
/// admin whose session is locked creates the user without, and grants later.
pub async fn grant_on_creation(
    state: &AppState,
    viewer: &Viewer,
    user_id: Uuid,
    role: Role,
) -> AppResult<bool> {
    let Some(country) = viewer.country else {
        return Ok(false);
    };
    if viewer.role != Role::Admin || !holds_key_by_role(role) {
        return Ok(false);
    }
    if country_key::current(&state.db, country.as_str())
        .await?
        .is_none()
    {
        return Ok(false);
    }
    match grant_to(
        state,
        viewer,
        user_id,
        TargetUser {
            country: Some(country),
            role,
            active: true,
        },
    )
    .await
    {
        Ok(()) => Ok(true),
        Err(AppError::IdentityLocked(_)) => Ok(false),
        Err(e) => Err(e),
    }
}

// ---------------------------------------------------------------------------
// Migration from the server's key ring.

/// One country's share of a migration.
pub struct Migrated {
    pub country: CountryCode,
    pub cases: u64,
    /// The one-time claim code, for a country that had no key: the
    /// operator hands it to the country's first admin.
    pub claim_code: Option<Zeroizing<String>>,
}

/// Re-seals every identity still under the server's key ring to its owner
/// country's key. A country with no key gets an `UNCLAIMED` migration key,
/// wrapped under a claim code returned once. A system path: no viewer;
/// afterwards nothing the server holds opens an identity.
pub async fn internal_seal_ring_identities(state: &AppState) -> AppResult<Vec<Migrated>> {
    let mut report: Vec<Migrated> = Vec::new();
    loop {
        let txn = state.db.begin().await?;
        let batch = case::internal_lock_ring_sealed(&txn, RESEAL_BATCH).await?;
        if batch.is_empty() {
            break;
        }
        for c in batch {
            let country = CountryCode::from_stored(&c.owner_country);
            let key = match country_key::current(&txn, country.as_str()).await? {
                Some(k) => k,
                None => {
                    let (key, secret, _unused_recovery) =
                        make_key(&txn, country, None, KeyState::Unclaimed, &[], None).await?;
                    let claim = RecoveryKey::generate();
                    wrap_to_holder(&txn, &key, &secret, Holder::Claim, &claim).await?;
                    report.push(Migrated {
                        country,
                        cases: 0,
                        claim_code: Some(claim.display()),
                    });
                    key
                }
            };
            let clear = open_ring_sealed(state, &c)?;
            let after = seal_fields_to(&key, |f| case_context(c.id, f, key.id), clear)?
                .into_case(c.clone());
            case::update(&txn, &c, after).await?;
            match report.iter_mut().find(|m| m.country == country) {
                Some(m) => m.cases += 1,
                None => report.push(Migrated {
                    country,
                    cases: 1,
                    claim_code: None,
                }),
            }
        }
        txn.commit().await?;
    }
    if !report.is_empty() {
        let txn = state.db.begin().await?;
        for m in &report {
            audit::append(
                &txn,
                Event::new(
                    audit::Actor::SYSTEM,
                    Action::IdentitiesResealed,
                    ObjectType::IdentityKey,
                )
                .detail(format!(
                    "from=key-ring country={} cases={}",
                    m.country.as_str(),
                    m.cases
                )),
            )
            .await?;
        }
        txn.commit().await?;
    }
    Ok(report)
}

/// How many identities still wait under the server's key ring (start-up
/// warns while any do).
pub async fn internal_ring_sealed_remaining(state: &AppState) -> AppResult<u64> {
    Ok(case::internal_count_ring_sealed(&state.db).await?)
}

/// When a reveal's approval runs out (for display).
pub fn is_expired(reveal: &identity_reveal::Model, now: DateTime<Utc>) -> bool {
    reveal.state == "APPROVED" && reveal.expires_at.is_some_and(|e| e <= now)
}

/// The user a grant or revocation names, as the viewer's directory shows
/// them (`NOT_FOUND` outside it).
async fn target_of(state: &AppState, viewer: &Viewer, user_id: Uuid) -> AppResult<TargetUser> {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let u = crate::policy::directory::users(viewer)
        .filter(crate::store::user::Column::Id.eq(user_id))
        .one(&state.db)
        .await?
        .ok_or(AppError::NotFound)?;
    let country = match u.mission_id {
        Some(m) => crate::store::mission::Entity::find_by_id(m)
            .one(&state.db)
            .await?
            .map(|m| CountryCode::from_stored(&m.country)),
        None => None,
    };
    Ok(TargetUser {
        country,
        role: u
            .role
            .parse::<Role>()
            .map_err(|_| AppError::internal("unknown stored role"))?,
        active: u.active,
    })
}

/// Sets up `country`'s key for the demo world, wrapped to `members` (their
/// public keys exist from their creation): no session is at hand, so this
/// is a system path, used only where every password is published anyway.
pub async fn internal_set_up_for_demo(
    state: &AppState,
    country: CountryCode,
    members: &[Uuid],
) -> AppResult<Zeroizing<String>> {
    let txn = state.db.begin().await?;
    let mut holders = Vec::new();
    for id in members {
        holders.push((*id, public_of(&txn, *id).await?));
    }
    let (key, _, recovery) = make_key(
        &txn,
        country,
        members.first().copied(),
        KeyState::Active,
        &holders,
        None,
    )
    .await?;
    audit::append(
        &txn,
        Event::new(
            audit::Actor::SYSTEM,
            Action::IdentityKeyCreated,
            ObjectType::IdentityKey,
        )
        .object(key.id, Some(country))
        .detail("demo world"),
    )
    .await?;
    txn.commit().await?;
    Ok(recovery.display())
}
