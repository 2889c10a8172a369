//! Opening, editing, consenting to and sharing cases; reading identity.
use chrono::{Datelike, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, QueryFilter, TransactionTrait};
use uuid::Uuid;

use crate::audit::{self, Action, Event, ObjectType};
use crate::auth::Viewer;
use crate::crypto::KeyRing;
use crate::domain::case::{CaseCategory, CaseStatus, ConsentGiver, RiskLevel, ShareLevel};
use crate::domain::ids::new_id;
use crate::domain::reference::new_case_reference;
use crate::domain::{CountryCode, bounded_text};
use crate::error::{AppError, AppResult};
use crate::msg;
use crate::policy::access;
use crate::policy::cases::{self as policy, Seen};
use crate::policy::directory as directory_policy;
use crate::policy::reveals as reveal_policy;
use crate::service::identity;
use crate::state::AppState;
use crate::store::{case, case_category, case_share, coalition};

pub const MAX_PSEUDONYM: usize = 120;
pub const MAX_REGION: usize = 120;
pub const MAX_SUMMARY: usize = 4000;
pub const MAX_IDENTITY_FIELD: usize = 500;
pub const MAX_NOTES: usize = 4000;

/// The private part of a case, in clear. Only the owner country reads it.
#[derive(Default, Clone)]
pub struct Identity {
    pub legal_name: Option<String>,
    pub contact: Option<String>,
    pub location: Option<String>,
    pub notes: Option<String>,
}

pub struct NewCase {
    pub pseudonym: String,
    pub host_country: String,
    pub region: Option<String>,
    pub categories: Vec<CaseCategory>,
    pub risk_level: RiskLevel,
    pub status: CaseStatus,
    pub summary: Option<String>,
    pub identity: Option<Identity>,
}

/// Optional changes; `None` leaves a field as it is, `Some("")` clears an
/// optional text field.
#[derive(Default)]
pub struct CaseChanges {
    pub pseudonym: Option<String>,
    pub region: Option<String>,
    pub categories: Option<Vec<CaseCategory>>,
    pub risk_level: Option<RiskLevel>,
    pub status: Option<CaseStatus>,
    pub summary: Option<String>,
    pub identity: Option<Identity>,
}

fn optional_text(field: &str, raw: Option<String>, max: usize) -> AppResult<Option<String>> {
    match raw {
        Some(v) if !v.trim().is_empty() => Ok(Some(bounded_text(field, &v, max)?)),
        _ => Ok(None),
    }
}

fn categories(raw: Vec<CaseCategory>) -> AppResult<Vec<CaseCategory>> {
    let mut c = raw;
    c.sort();
    c.dedup();
    if c.is_empty() {
        return Err(AppError::bad_input(
            "categories",
            msg!("input-name-a-category"),
        ));
    }
    Ok(c)
}

/// The associated data of a field sealed under the server's key ring
/// (identities from before sealed identity, until `accord seal-identities`).
pub(crate) fn ring_context(case_id: Uuid, field: &str) -> String {
    format!("accord:case:{case_id}:{field}")
}

/// Checks an identity's fields and seals them to the owner country's key.
async fn seal_identity(
    db: &impl ConnectionTrait,
    owner: CountryCode,
    case_id: Uuid,
    identity: Identity,
) -> AppResult<identity::SealedFields> {
    let clear = [
        optional_text(
            "identity.legalName",
            identity.legal_name,
            MAX_IDENTITY_FIELD,
        )?,
        optional_text("identity.contact", identity.contact, MAX_IDENTITY_FIELD)?,
        optional_text("identity.location", identity.location, MAX_IDENTITY_FIELD)?,
        optional_text("identity.notes", identity.notes, MAX_NOTES)?,
    ];
    identity::seal_for_case(db, owner, case_id, clear).await
}

/// Writes a new case row under a fresh random reference. A reference that
/// is already taken (about one chance in 10¹¹ per case held) is drawn again
/// (`store::case::insert_if_reference_free`).
async fn insert_with_new_reference(
    db: &impl ConnectionTrait,
    row: case::Model,
    host: CountryCode,
    year: i32,
) -> AppResult<()> {
    for _ in 0..5 {
        let mut row = row.clone();
        row.reference = new_case_reference(&mut rand::thread_rng(), host.as_str(), year);
        if case::insert_if_reference_free(db, row).await? {
            return Ok(());
        }
    }
    Err(AppError::internal("no free case reference after 5 draws"))
}

pub async fn create_case(
    state: &AppState,
    viewer: &Viewer,
    input: NewCase,
) -> AppResult<Seen<case::Model>> {
    let (owner, mission) = policy::owner_for_new_case(viewer)?;
    let pseudonym = bounded_text("pseudonym", &input.pseudonym, MAX_PSEUDONYM)?;
    let host = CountryCode::parse("hostCountry", &input.host_country)?;
    let region = optional_text("region", input.region, MAX_REGION)?;
    let summary = optional_text("summary", input.summary, MAX_SUMMARY)?;
    let cats = categories(input.categories)?;
    let id = new_id();
    let sealed = seal_identity(&state.db, owner, id, input.identity.unwrap_or_default()).await?;

    let txn = state.db.begin().await?;
    let now = state.clock.now();
    let row = case::Model {
        id,
        // Drawn by `insert_with_new_reference`.
        reference: String::new(),
        owner_country: owner.to_string(),
        owner_mission_id: mission,
        host_country: host.to_string(),
        pseudonym,
        region,
        risk_level: input.risk_level.as_str().to_owned(),
        status: input.status.as_str().to_owned(),
        summary,
        legal_name_sealed: None,
        contact_sealed: None,
        location_sealed: None,
        notes_sealed: None,
        identity_key_id: None,
        consent_share: false,
        consent_trial: false,
        consent_public: false,
        consent_given_by: None,
        consent_recorded_at: None,
        consent_recorded_by: None,
        created_by: viewer.user_id,
        created_at: now,
        updated_at: now,
    };
    insert_with_new_reference(&txn, sealed.into_case(row), host, now.year()).await?;
    case_category::replace(&txn, id, &cats).await?;
    access::rebuild(&txn, &[id]).await?;
    audit::append(
        &txn,
        Event::new(viewer, Action::CaseCreated, ObjectType::Case).object(id, Some(owner)),
    )
    .await?;
    txn.commit().await?;
    // Read back through the policy, as every read is.
    let seen = policy::find(&state.db, viewer, id).await?;
    Ok(seen)
}

pub async fn update_case(
    state: &AppState,
    viewer: &Viewer,
    id: Uuid,
    changes: CaseChanges,
) -> AppResult<Seen<case::Model>> {
    let txn = state.db.begin().await?;
    let seen = policy::lock(&txn, viewer, id).await?;
    policy::may_edit(viewer, &seen)?;
    let mut model = seen.model().clone();
    if let Some(p) = changes.pseudonym {
        model.pseudonym = bounded_text("pseudonym", &p, MAX_PSEUDONYM)?;
    }
    if let Some(r) = changes.region {
        model.region = optional_text("region", Some(r), MAX_REGION)?;
    }
    if let Some(s) = changes.summary {
        model.summary = optional_text("summary", Some(s), MAX_SUMMARY)?;
    }
    if let Some(r) = changes.risk_level {
        model.risk_level = r.as_str().to_owned();
    }
    if let Some(s) = changes.status {
        model.status = s.as_str().to_owned();
    }
    if let Some(identity) = changes.identity {
        let owner = CountryCode::from_stored(&model.owner_country);
        model = seal_identity(&txn, owner, id, identity)
            .await?
            .into_case(model);
    }
    if let Some(c) = changes.categories {
        case_category::replace(&txn, id, &categories(c)?).await?;
    }
    model.updated_at = state.clock.now();
    case::update(&txn, seen.model(), model).await?;
    audit::append(
        &txn,
        Event::new(viewer, Action::CaseUpdated, ObjectType::Case).object(id, viewer.country),
    )
    .await?;
    txn.commit().await?;
    policy::find(&state.db, viewer, id).await
}

pub struct Consent {
    pub share_with_partners: bool,
    pub trial_observation: bool,
    pub public_advocacy: bool,
    pub given_by: ConsentGiver,
}

/// Records the defender's consent. Withdrawing consent to share suspends
/// every share at once (they are kept, and work again if it is re-granted);
/// withdrawing either consent takes partners' hearings, roster places,
/// reminders and calendar entries away in the same transaction.
pub async fn record_consent(
    state: &AppState,
    viewer: &Viewer,
    id: Uuid,
    consent: Consent,
) -> AppResult<Seen<case::Model>> {
    let txn = state.db.begin().await?;
    let seen = policy::lock(&txn, viewer, id).await?;
    policy::may_edit(viewer, &seen)?;
    let now = state.clock.now();
    let model = case::Model {
        consent_share: consent.share_with_partners,
        consent_trial: consent.trial_observation,
        consent_public: consent.public_advocacy,
        consent_given_by: Some(consent.given_by.as_str().to_owned()),
        consent_recorded_at: Some(now),
        consent_recorded_by: Some(viewer.user_id),
        updated_at: now,
        ..seen.model().clone()
    };
    case::update(&txn, seen.model(), model).await?;
    let touched = visibility_moved(&txn, now, viewer, &[id]).await?;
    audit::append(
        &txn,
        Event::new(viewer, Action::ConsentRecorded, ObjectType::Case)
            .object(id, viewer.country)
            .detail(format!(
                "share={} trial={} public={} given_by={}",
                consent.share_with_partners,
                consent.trial_observation,
                consent.public_advocacy,
                consent.given_by.as_str()
            )),
    )
    .await?;
    state
        .live
        .commit_announcing(txn, &state.db, &touched)
        .await?;
    policy::find(&state.db, viewer, id).await
}

/// After any change that can move who sees `case_ids` (a case created,
/// consent, a share, a coalition's members), in its transaction: the access
/// index is rewritten from the rule, then claims whose country lost sight are
/// suspended. Returns the hearings whose watchers must re-check.
pub(crate) async fn visibility_moved(
    txn: &impl ConnectionTrait,
    now: chrono::DateTime<Utc>,
    actor: &Viewer,
    case_ids: &[Uuid],
) -> AppResult<Vec<Uuid>> {
    access::rebuild(txn, case_ids).await?;
    super::reveals::end_where_sight_lost(txn, now, actor, case_ids).await?;
    super::roster::reconcile(txn, now, actor, case_ids).await
}

/// Whom a share is for.
pub enum ShareTarget {
    Country(String),
    Coalition(Uuid),
}

async fn resolve_target(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    owner: &str,
    target: ShareTarget,
) -> AppResult<(Option<String>, Option<Uuid>)> {
    match target {
        ShareTarget::Country(c) => {
            let c = CountryCode::parse("country", &c)?;
            if c.as_str() == owner {
                return Err(AppError::bad_input(
                    "country",
                    msg!("input-the-case-already-belongs-to"),
                ));
            }
            Ok((Some(c.to_string()), None))
        }
        ShareTarget::Coalition(id) => {
            directory_policy::coalitions(viewer)
                .filter(coalition::Column::Id.eq(id))
                .one(db)
                .await?
                .ok_or_else(|| {
                    AppError::bad_input("coalitionId", msg!("input-no-such-coalition"))
                })?;
            Ok((None, Some(id)))
        }
    }
}

pub async fn share_case(
    state: &AppState,
    viewer: &Viewer,
    id: Uuid,
    target: ShareTarget,
    level: ShareLevel,
) -> AppResult<Seen<case::Model>> {
    let now = state.clock.now();
    let txn = state.db.begin().await?;
    let seen = policy::lock(&txn, viewer, id).await?;
    policy::may_edit(viewer, &seen)?;
    let (country, coalition_id) =
        resolve_target(&txn, viewer, &seen.model().owner_country, target).await?;
    if !seen.model().consent_share {
        return Err(AppError::ConsentRequired(msg!(
            "consent-the-defender-has-not-consented"
        )));
    }
    // One statement: a new share, or a new level for the existing one.
    let share = case_share::Model {
        id: new_id(),
        case_id: id,
        country: country.clone(),
        coalition_id,
        level: level.as_str().to_owned(),
        created_by: viewer.user_id,
        created_at: now,
    };
    case_share::upsert(&txn, share).await?;
    // Lowering a share to SUMMARY takes the hearings away.
    let touched = visibility_moved(&txn, now, viewer, &[id]).await?;
    let target_text = country
        .clone()
        .unwrap_or_else(|| format!("coalition:{}", coalition_id.unwrap_or_default()));
    audit::append(
        &txn,
        Event::new(viewer, Action::CaseShared, ObjectType::Case)
            .object(id, viewer.country)
            .detail(format!("to={target_text} level={}", level.as_str())),
    )
    .await?;
    state
        .live
        .commit_announcing(txn, &state.db, &touched)
        .await?;
    policy::find(&state.db, viewer, id).await
}

pub async fn unshare_case(
    state: &AppState,
    viewer: &Viewer,
    id: Uuid,
    target: ShareTarget,
) -> AppResult<Seen<case::Model>> {
    let now = state.clock.now();
    let txn = state.db.begin().await?;
    let seen = policy::lock(&txn, viewer, id).await?;
    policy::may_edit(viewer, &seen)?;
    let field = match target {
        ShareTarget::Country(_) => "country",
        ShareTarget::Coalition(_) => "coalitionId",
    };
    let (country, coalition_id) = match target {
        // A share of the owner's own case: withdrawn by the coalition's id
        // even when the owner has since left the coalition (and so no
        // longer sees it); an id it never shared with is answered as any
        // other, "not shared with it".
        ShareTarget::Coalition(coalition) => (None, Some(coalition)),
        country => resolve_target(&txn, viewer, &seen.model().owner_country, country).await?,
    };
    if case_share::delete_for(&txn, id, country.as_deref(), coalition_id).await? == 0 {
        return Err(AppError::bad_input(
            field,
            msg!("input-the-case-is-not-shared"),
        ));
    }
    let touched = visibility_moved(&txn, now, viewer, &[id]).await?;
    let target_text =
        country.unwrap_or_else(|| format!("coalition:{}", coalition_id.unwrap_or_default()));
    audit::append(
        &txn,
        Event::new(viewer, Action::CaseUnshared, ObjectType::Case)
            .object(id, viewer.country)
            .detail(format!("from={target_text}")),
    )
    .await?;
    state
        .live
        .commit_announcing(txn, &state.db, &touched)
        .await?;
    policy::find(&state.db, viewer, id).await
}

/// Opens a case's identity for the viewer, appending an audit event: for
/// a custodian of the owner country in an unlocked session, or for a
/// partner through a running reveal. `None` when neither applies to the
/// viewer (a partner without a reveal); `IDENTITY_LOCKED` (with its reason)
/// when the viewer's country may read it but this session cannot.
pub async fn read_identity(
    state: &AppState,
    viewer: &Viewer,
    seen: &Seen<case::Model>,
) -> AppResult<Option<Identity>> {
    let c = seen.model();
    let (clear, through) = if policy::may_read_identity(seen) {
        (identity::open_case_identity(state, viewer, c).await?, None)
    } else if let Some(reveal) =
        reveal_policy::open_for(&state.db, viewer, seen, state.clock.now()).await?
    {
        let clear = identity::open_revealed(state, viewer, reveal.model()).await?;
        (clear, Some(reveal.model().id))
    } else {
        return Ok(None);
    };
    let [legal_name, contact, location, notes] = clear;
    let txn = state.db.begin().await?;
    let mut event =
        Event::new(viewer, Action::IdentityRead, ObjectType::Case).object(c.id, viewer.country);
    if let Some(reveal) = through {
        event = event.detail(format!("reveal={reveal}"));
    }
    audit::append(&txn, event).await?;
    txn.commit().await?;
    Ok(Some(Identity {
        legal_name,
        contact,
        location,
        notes,
    }))
}

/// Re-seals with the key ring's current key what it still seals: attack
/// report descriptions and notes, and identities not yet moved to their
/// country's key (`accord seal-identities`). Returns how many fields
/// changed. For `accord rotate-keys`.
pub async fn rotate_identity_keys(state: &AppState) -> AppResult<u64> {
    let keys = &state.keys_identity;
    let txn = state.db.begin().await?;
    let mut changed = 0u64;
    for c in case::internal_all(&txn).await? {
        if c.identity_key_id.is_some() {
            // Sealed to a country key: the ring has nothing to do with it.
            continue;
        }
        let reseal = |field: &str, v: &Option<String>| -> AppResult<(Option<String>, bool)> {
            match v {
                Some(s) if KeyRing::key_id_of(s) != Some(keys.current_id()) => {
                    let ctx = ring_context(c.id, field);
                    Ok((Some(keys.seal(&ctx, &keys.open(&ctx, s)?)?), true))
                }
                other => Ok((other.clone(), false)),
            }
        };
        let (a, ca) = reseal("legal_name", &c.legal_name_sealed)?;
        let (b, cb) = reseal("contact", &c.contact_sealed)?;
        let (l, cl) = reseal("location", &c.location_sealed)?;
        let (n, cn) = reseal("notes", &c.notes_sealed)?;
        let count = [ca, cb, cl, cn].iter().filter(|x| **x).count() as u64;
        if count > 0 {
            let resealed = case::Model {
                legal_name_sealed: a,
                contact_sealed: b,
                location_sealed: l,
                notes_sealed: n,
                ..c.clone()
            };
            case::update(&txn, &c, resealed).await?;
            changed += count;
        }
    }
    changed += crate::service::reports::rotate_description_keys(&txn, state).await?;
    audit::append(
        &txn,
        Event::new(
            audit::Actor::SYSTEM,
            Action::IdentityKeysRotated,
            ObjectType::Case,
        )
        .detail(format!("fields={changed} key={}", keys.current_id())),
    )
    .await?;
    txn.commit().await?;
    Ok(changed)
}
