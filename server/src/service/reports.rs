//! Attack reports: intake (consent first, idempotent under retries, rate
//! limited), per-country triage, the "still unacknowledged" reminder and the
//! retention that erases descriptions nobody acted on.
//!
//! Each use case reads: find through the report scope (`policy::reports`)
//! → decide (pure checks here and in `domain::report`) → write (the named
//! `store::attack_report*` functions) → audit → notify, all in one
//! transaction; a description or note is stored only sealed.
use chrono::{DateTime, Datelike, Duration, SubsecRound, Utc};

use sea_orm::sea_query::LockType;
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect, TransactionTrait,
};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::audit::{self, Action, Actor, Event, ObjectType};
use crate::auth::Viewer;
use crate::domain::ids::new_id;
use crate::domain::input::long_text;
use crate::domain::reference::new_report_reference;
use crate::domain::report::{
    AttackType, Incident, PerpetratorType, ResponseState, Triage, incident, looks_like_coordinates,
    transition,
};
use crate::domain::{CountryCode, Role, bounded_text, parse_timezone};
use crate::error::{AppError, AppResult};
use crate::mail::{self, Notice};
use crate::msg;
use crate::policy::cases as case_policy;
use crate::policy::reports::{self as policy, SeenReport, Sight, Submitter};
use crate::service::missions;
use crate::state::AppState;
use crate::store::{
    attack_report, attack_report_perpetrator, attack_report_prior, attack_report_response,
    attack_report_type, user,
};

pub const MAX_DESCRIPTION: usize = 10_000;
pub const MAX_REGION: usize = 120;
pub const MAX_NOTE: usize = 2_000;
pub const MAX_SUBMISSION_KEY: usize = 100;
pub const MAX_RECIPIENTS: usize = 30;
pub const MAX_PRIORS: usize = 20;
/// Reports re-notified or erased per worker round.
const WORKER_BATCH: u64 = 100;

/// A submission as the client sent it.
pub struct NewReport {
    pub host_country: String,
    pub region: Option<String>,
    pub incident_date: String,
    pub incident_time: Option<String>,
    pub timezone: Option<String>,
    pub attack_types: Vec<AttackType>,
    pub perpetrator_types: Vec<PerpetratorType>,
    pub description: String,
    pub recipient_countries: Vec<String>,
    pub victim_consent: bool,
    pub submission_key: Option<String>,
    pub prior_report_ids: Vec<Uuid>,
}

/// A submission that passed every check that needs no database.
struct Checked {
    host: CountryCode,
    region: Option<String>,
    incident: Incident,
    attack_types: Vec<AttackType>,
    perpetrator_types: Vec<PerpetratorType>,
    description: String,
    recipients: Vec<CountryCode>,
    key: Option<String>,
    priors: Vec<Uuid>,
}

fn sorted_unique<T: Ord>(mut v: Vec<T>) -> Vec<T> {
    v.sort();
    v.dedup();
    v
}

/// Every check of a submission that needs no database, in the order the
/// client's fields are reported.
fn check(input: NewReport, submitter: Submitter, now: DateTime<Utc>) -> AppResult<Checked> {
    let host = CountryCode::parse("hostCountry", &input.host_country)?;
    let region = check_region(input.region.as_deref())?;
    let incident = check_incident(&input, now)?;
    let attack_types = sorted_unique(input.attack_types);
    if attack_types.is_empty() {
        return Err(AppError::bad_input(
            "attackTypes",
            msg!("input-name-an-attack-type"),
        ));
    }
    let perpetrator_types = sorted_unique(input.perpetrator_types);
    if perpetrator_types.is_empty() {
        return Err(AppError::bad_input(
            "perpetratorTypes",
            msg!("input-name-a-perpetrator-type"),
        ));
    }
    let description = long_text("description", &input.description, MAX_DESCRIPTION)?;
    let recipients = check_recipients(&input.recipient_countries, submitter)?;
    let key = check_key(input.submission_key.as_deref())?;
    let priors = check_priors(input.prior_report_ids)?;
    Ok(Checked {
        host,
        region,
        incident,
        attack_types,
        perpetrator_types,
        description,
        recipients,
        key,
        priors,
    })
}

/// The incident's date and time, in its timezone when one is given.
fn check_incident(input: &NewReport, now: DateTime<Utc>) -> AppResult<Incident> {
    let timezone = input
        .timezone
        .as_deref()
        .filter(|t| !t.trim().is_empty())
        .map(|t| parse_timezone("timezone", t))
        .transpose()?;
    Ok(incident(
        &input.incident_date,
        input.incident_time.as_deref(),
        timezone,
        now,
    )?)
}

/// The idempotency key, or none when blank.
fn check_key(key: Option<&str>) -> AppResult<Option<String>> {
    match key.map(str::trim) {
        Some(k) if !k.is_empty() => Ok(Some(bounded_text("submissionKey", k, MAX_SUBMISSION_KEY)?)),
        _ => Ok(None),
    }
}

/// A coarse region, or none when blank; never coordinates.
fn check_region(region: Option<&str>) -> AppResult<Option<String>> {
    match region.map(str::trim) {
        Some(r) if !r.is_empty() => {
            let r = bounded_text("region", r, MAX_REGION)?;
            if looks_like_coordinates(&r) {
                return Err(AppError::bad_input(
                    "region",
                    msg!("input-must-be-a-coarse-area"),
                ));
            }
            Ok(Some(r))
        }
        _ => Ok(None),
    }
}

/// The recipient countries, a mission's own country always among them,
/// sorted and unique, at least one and at most `MAX_RECIPIENTS`.
fn check_recipients(raw: &[String], submitter: Submitter) -> AppResult<Vec<CountryCode>> {
    let mut recipients = Vec::new();
    for (i, raw) in raw.iter().enumerate() {
        recipients.push(CountryCode::parse(
            &format!("recipientCountries[{i}]"),
            raw,
        )?);
    }
    if let Submitter::Mission(own) = submitter {
        recipients.push(own);
    }
    let recipients = sorted_unique(recipients);
    if recipients.is_empty() {
        return Err(AppError::bad_input(
            "recipientCountries",
            msg!("input-name-a-country"),
        ));
    }
    if recipients.len() > MAX_RECIPIENTS {
        return Err(AppError::bad_input(
            "recipientCountries",
            msg!("input-at-most-countries", max = MAX_RECIPIENTS),
        ));
    }
    Ok(recipients)
}

/// The earlier reports named, sorted and unique, at most `MAX_PRIORS`.
fn check_priors(priors: Vec<Uuid>) -> AppResult<Vec<Uuid>> {
    let priors = sorted_unique(priors);
    if priors.len() > MAX_PRIORS {
        return Err(AppError::bad_input(
            "priorReportIds",
            msg!("input-at-most-reports", max = MAX_PRIORS),
        ));
    }
    Ok(priors)
}

/// A fingerprint of the submission, so that a retry is recognised and a
/// key reused for different content is not.
fn request_hash(c: &Checked) -> String {
    let mut h = Sha256::new();
    let mut field = |s: &str| {
        h.update((s.len() as u64).to_be_bytes());
        h.update(s.as_bytes());
    };
    field(c.host.as_str());
    field(c.region.as_deref().unwrap_or(""));
    field(&c.incident.date.to_string());
    field(c.incident.time.as_ref().map(|t| t.0.as_str()).unwrap_or(""));
    field(c.incident.timezone.map(|t| t.name()).unwrap_or(""));
    for t in &c.attack_types {
        field(t.as_str());
    }
    field("|");
    for p in &c.perpetrator_types {
        field(p.as_str());
    }
    field("|");
    field(&c.description);
    for r in &c.recipients {
        field(r.as_str());
    }
    field("|");
    for p in &c.priors {
        field(&p.to_string());
    }
    hex::encode(h.finalize())
}

fn description_context(report: Uuid) -> String {
    format!("accord:report:{report}:description")
}

fn note_context(report: Uuid, country: &str) -> String {
    format!("accord:report:{report}:note:{country}")
}

/// A response's note in clear (the response of a report the viewer sees).
pub fn response_note(
    state: &AppState,
    response: &attack_report_response::Model,
) -> AppResult<Option<String>> {
    response
        .note
        .as_deref()
        .map(|s| {
            state
                .keys_identity
                .open(&note_context(response.report_id, &response.country), s)
        })
        .transpose()
}

/// The report's description in clear, or `None` once retention erased it.
pub fn description(state: &AppState, report: &SeenReport) -> AppResult<Option<String>> {
    let m = report.model();
    m.description_sealed
        .as_deref()
        .map(|s| state.keys_identity.open(&description_context(m.id), s))
        .transpose()
}

/// Refuses a submission over the hourly rate, saying when the next one fits.
/// Inside the submission's transaction, after the submitter's row is locked,
/// so that concurrent submissions cannot all slip under the limit.
async fn within_rate(
    txn: &impl ConnectionTrait,
    state: &AppState,
    viewer: &Viewer,
    now: DateTime<Utc>,
) -> AppResult<()> {
    let window = Duration::hours(1);
    let recent = attack_report::internal_submitted_since(txn, viewer.user_id, now - window).await?;
    let limit = state.config.report_submissions_per_hour as usize;
    if recent.len() < limit {
        return Ok(());
    }
    // The submission that must leave the window before another fits.
    let oldest = recent[recent.len() - limit];
    let wait = (oldest + window - now).num_seconds().max(1);
    Err(AppError::RateLimited {
        retry_after_secs: wait,
    })
}

/// A retried submission: the same report back, or `CONFLICT` when the key
/// was used for different content.
async fn replay(
    state: &AppState,
    viewer: &Viewer,
    key: &str,
    hash: &str,
) -> AppResult<Option<SeenReport>> {
    let Some(existing) = policy::find_submission(&state.db, viewer, key).await? else {
        return Ok(None);
    };
    if existing.model().request_hash.as_deref() == Some(hash) {
        Ok(Some(existing))
    } else {
        Err(AppError::Conflict(msg!("conflict-submission-key-used")))
    }
}

/// Active liaisons of an organization.
async fn liaisons_of(db: &impl ConnectionTrait, org: Uuid) -> AppResult<Vec<Uuid>> {
    Ok(user::Entity::find()
        .select_only()
        .column(user::Column::Id)
        .filter(user::Column::Active.eq(true))
        .filter(user::Column::Role.eq(Role::Liaison.as_str()))
        .filter(user::Column::OrganizationId.eq(org))
        .into_tuple::<Uuid>()
        .all(db)
        .await?)
}

/// `submitAttackReport`: consent, check, replay a retry, require known
/// recipients and visible priors, then write (a reference collision is
/// simply tried again).
pub async fn submit(state: &AppState, viewer: &Viewer, input: NewReport) -> AppResult<SeenReport> {
    let submitter = policy::submitter(viewer)?;
    if !input.victim_consent {
        // Nothing is stored, not even an audit event.
        return Err(AppError::ConsentRequired(msg!(
            "consent-the-victim-s-consent-to"
        )));
    }
    let now = state.clock.now().trunc_subsecs(6);
    let checked = check(input, submitter, now)?;
    let hash = request_hash(&checked);
    if let Some(key) = &checked.key
        && let Some(existing) = replay(state, viewer, key, &hash).await?
    {
        return Ok(existing);
    }
    require_known(state, viewer, &checked).await?;
    let mut attempts = 0;
    loop {
        attempts += 1;
        match insert(state, viewer, submitter, &checked, &hash, now).await {
            Ok(Some(id)) => return policy::find(&state.db, viewer, id).await,
            // A concurrent retry with the same key stored it first.
            Ok(None) => {
                let key = checked.key.as_deref().unwrap_or_default();
                return replay(state, viewer, key, &hash)
                    .await?
                    .ok_or_else(|| AppError::internal("submission vanished after its conflict"));
            }
            Err(AppError::Conflict(_)) if attempts < 3 => continue,
            Err(e) => return Err(e),
        }
    }
}

/// Every recipient is a mission and every prior report is one the viewer
/// sees.
async fn require_known(state: &AppState, viewer: &Viewer, c: &Checked) -> AppResult<()> {
    missions::require_missions(&state.db, "recipientCountries", &c.recipients).await?;
    let visible = policy::visible_among(&state.db, viewer, &c.priors).await?;
    if visible.len() != c.priors.len() {
        // An earlier report the submitter cannot see is as unknown as a missing one.
        return Err(AppError::NotFound);
    }
    Ok(())
}

/// Writes the report and everything that belongs to it in one transaction.
/// `None` when a concurrent submission with the same key won.
async fn insert(
    state: &AppState,
    viewer: &Viewer,
    submitter: Submitter,
    c: &Checked,
    hash: &str,
    now: DateTime<Utc>,
) -> AppResult<Option<Uuid>> {
    let model = new_row(state, viewer, submitter, c, hash, now)?;
    let id = model.id;
    let txn = state.db.begin().await?;
    // One submission at a time per submitter: a concurrent retry finds the
    // report stored, and the rate limit counts exactly. FOR NO KEY UPDATE,
    // not FOR UPDATE: it still serialises this user's submissions, but does
    // not block the FOR KEY SHARE that another transaction's outbox or audit
    // row referencing this user takes — which, while that transaction holds
    // the audit head and this one waits for it, was a deadlock (the soak
    // drill found it: three replicas, claims and reports at once).
    user::Entity::find_by_id(viewer.user_id)
        .lock(LockType::NoKeyUpdate)
        .one(&txn)
        .await?;
    if let Some(key) = &c.key
        && policy::find_submission(&txn, viewer, key).await?.is_some()
    {
        txn.rollback().await?;
        return Ok(None);
    }
    within_rate(&txn, state, viewer, now).await?;
    if !insert_row(&txn, &model).await? {
        txn.rollback().await?;
        return Ok(None);
    }
    write_parts(&txn, &model, c, now).await?;
    let recipients: Vec<String> = c.recipients.iter().map(|r| r.to_string()).collect();
    audit_submitted(&txn, viewer, id, &recipients).await?;
    notify_received(&txn, viewer, &recipients, id, now).await?;
    txn.commit().await?;
    Ok(Some(id))
}

/// Stores the report's row; `false` when a concurrent submission with the
/// same key stored it first, `CONFLICT` on a reference collision.
async fn insert_row(txn: &impl ConnectionTrait, model: &attack_report::Model) -> AppResult<bool> {
    let inserted = attack_report::insert_once(txn, model.clone())
        .await
        .map_err(|e| {
            AppError::unique_or(
                e,
                AppError::Conflict(msg!("conflict-reference-already-taken")),
            )
        })?;
    Ok(inserted != 0)
}

/// The audit event of a submission, naming its recipients.
async fn audit_submitted(
    txn: &impl ConnectionTrait,
    viewer: &Viewer,
    id: Uuid,
    recipients: &[String],
) -> AppResult<()> {
    audit::append(
        txn,
        Event::new(
            viewer,
            Action::AttackReportSubmitted,
            ObjectType::AttackReport,
        )
        .object(id, viewer.country)
        .detail(format!("recipients={}", recipients.join(","))),
    )
    .await
}

/// The report's row, its description sealed under its own id.
fn new_row(
    state: &AppState,
    viewer: &Viewer,
    submitter: Submitter,
    c: &Checked,
    hash: &str,
    now: DateTime<Utc>,
) -> AppResult<attack_report::Model> {
    let id = new_id();
    let sealed = state
        .keys_identity
        .seal(&description_context(id), &c.description)?;
    let organization = match submitter {
        Submitter::Organization(org) => Some(org),
        Submitter::Mission(_) => None,
    };
    Ok(attack_report::Model {
        id,
        reference: new_report_reference(&mut rand::thread_rng(), c.host.as_str(), now.year()),
        organization_id: organization,
        submitted_by: viewer.user_id,
        submission_key: c.key.clone(),
        request_hash: c.key.as_ref().map(|_| hash.to_owned()),
        host_country: c.host.to_string(),
        region: c.region.clone(),
        incident_date: c.incident.date,
        incident_time: c.incident.time.as_ref().map(|t| t.0.clone()),
        timezone: c.incident.timezone.map(|t| t.name().to_owned()),
        incident_at: c.incident.time.as_ref().map(|t| t.1),
        description_sealed: Some(sealed),
        description_erased_at: None,
        submitted_at: now,
    })
}

/// The rows that belong to a stored report: types, perpetrators, one
/// `RECEIVED` response per recipient, priors, and the recipients' index.
async fn write_parts(
    txn: &impl ConnectionTrait,
    model: &attack_report::Model,
    c: &Checked,
    now: DateTime<Utc>,
) -> AppResult<()> {
    let id = model.id;
    attack_report_type::insert_all(txn, id, c.attack_types.iter().map(|t| t.as_str())).await?;
    let perpetrators = c.perpetrator_types.iter().map(|p| p.as_str());
    attack_report_perpetrator::insert_all(txn, id, perpetrators).await?;
    attack_report_response::insert_received(txn, id, &c.recipients, now).await?;
    attack_report_prior::insert_all(txn, id, &c.priors).await?;
    policy::index_new(txn, model, &c.recipients).await
}

/// Tells the recipient missions' coordinators (not the submitter) that a
/// report arrived.
async fn notify_received(
    txn: &impl ConnectionTrait,
    viewer: &Viewer,
    recipients: &[String],
    id: Uuid,
    now: DateTime<Utc>,
) -> AppResult<()> {
    let notice = Notice::ReportReceived { report_id: id };
    for coordinator in missions::mission_users(txn, recipients, &[Role::Coordinator]).await? {
        if coordinator != viewer.user_id {
            mail::enqueue(txn, now, coordinator, &notice).await?;
        }
    }
    Ok(())
}

/// The viewer country's response to `report`.
async fn own_response(
    db: &impl ConnectionTrait,
    report: &SeenReport,
    country: CountryCode,
) -> AppResult<attack_report_response::Model> {
    policy::responses_of(db, &[report.key()])
        .await?
        .into_iter()
        .find(|r| r.country == country.as_str())
        .ok_or_else(|| AppError::internal("a recipient without its response row"))
}

/// Whether the recipient country of the viewer who holds `report` has moved
/// past `RECEIVED` (the unacknowledged reminder is then overtaken).
pub async fn acknowledged_by_viewer(
    db: &impl ConnectionTrait,
    report: &SeenReport,
) -> AppResult<bool> {
    match report.level() {
        Sight::Recipient(country) => {
            let r = own_response(db, report, country).await?;
            Ok(r.state != ResponseState::Received.as_str())
        }
        Sight::Submitter => Ok(true),
    }
}

/// One triage step on the viewer country's own response: find through the
/// scope, decide the transition, write it guarded by the state read, audit,
/// notify the submitting organization's liaisons.
pub async fn triage(
    state: &AppState,
    viewer: &Viewer,
    id: Uuid,
    step: Triage,
    note: Option<String>,
    case_id: Option<Uuid>,
) -> AppResult<SeenReport> {
    let note = triage_note(note)?;
    let txn = state.db.begin().await?;
    let seen = policy::lock(&txn, viewer, id).await?;
    let country = policy::may_triage(viewer, &seen)?;
    let current = own_response(&txn, &seen, country).await?;
    let from = ResponseState::from_stored(&current.state)
        .ok_or_else(|| AppError::internal("unknown stored response state"))?;
    let next = transition(from, step)?;
    let linked = link_target(&txn, viewer, step, case_id).await?;
    let now = state.clock.now().trunc_subsecs(6);
    let note_sealed = seal_note(state, id, country, note)?;
    let written = attack_report_response::Step {
        report_id: id,
        country: country.as_str(),
        from: from.as_str(),
        to: next.as_str(),
        case_id: linked,
        note_sealed,
        by: viewer.user_id,
        at: now,
    };
    write_step(&txn, written).await?;
    audit_triage(&txn, viewer, id, country, step, next, linked).await?;
    if let Some(org) = seen.model().organization_id {
        notify_responded(&txn, now, org, id, country).await?;
    }
    txn.commit().await?;
    policy::find(&state.db, viewer, id).await
}

/// The note sealed like the description: a note may speak of the victim.
fn seal_note(
    state: &AppState,
    id: Uuid,
    country: CountryCode,
    note: Option<String>,
) -> AppResult<Option<String>> {
    note.map(|n| {
        state
            .keys_identity
            .seal(&note_context(id, country.as_str()), &n)
    })
    .transpose()
}

/// Moves the response, guarded by the state it was read in: a concurrent
/// step makes this one a `CONFLICT`.
async fn write_step(
    txn: &impl ConnectionTrait,
    step: attack_report_response::Step<'_>,
) -> AppResult<()> {
    if attack_report_response::update_state(txn, step).await? != 1 {
        return Err(AppError::Conflict(msg!(
            "conflict-the-response-changed-meanwhile-reload"
        )));
    }
    Ok(())
}

/// The triage note, trimmed and bounded; blank is no note.
fn triage_note(note: Option<String>) -> AppResult<Option<String>> {
    match note.as_deref().map(str::trim) {
        Some(n) if !n.is_empty() => Ok(Some(bounded_text("note", n, MAX_NOTE)?)),
        _ => Ok(None),
    }
}

/// The case a `Link` step points to, found through the case scope and
/// readable in detail by the viewer; `None` for the other steps.
async fn link_target(
    txn: &impl ConnectionTrait,
    viewer: &Viewer,
    step: Triage,
    case_id: Option<Uuid>,
) -> AppResult<Option<Uuid>> {
    match (step, case_id) {
        (Triage::Link, Some(case_id)) => {
            let case = case_policy::find(txn, viewer, case_id).await?;
            if !case_policy::may_read_detail(&case) {
                return Err(AppError::Forbidden);
            }
            Ok(Some(case_id))
        }
        (Triage::Link, None) => Err(AppError::bad_input(
            "caseId",
            msg!("input-is-required-to-link-a"),
        )),
        _ => Ok(None),
    }
}

/// The audit event of one triage step.
async fn audit_triage(
    txn: &impl ConnectionTrait,
    viewer: &Viewer,
    id: Uuid,
    country: CountryCode,
    step: Triage,
    next: ResponseState,
    linked: Option<Uuid>,
) -> AppResult<()> {
    let action = match step {
        Triage::Acknowledge => Action::AttackReportAcknowledged,
        Triage::Link => Action::AttackReportLinked,
        Triage::Close(_) => Action::AttackReportClosed,
    };
    let mut detail = format!("country={country} state={}", next.as_str());
    if let Some(c) = linked {
        detail.push_str(&format!(" case={c}"));
    }
    audit::append(
        txn,
        Event::new(viewer, action, ObjectType::AttackReport)
            .object(id, Some(country))
            .detail(detail),
    )
    .await
}

/// Tells the submitting organization's liaisons that `country` responded.
async fn notify_responded(
    txn: &impl ConnectionTrait,
    now: DateTime<Utc>,
    org: Uuid,
    id: Uuid,
    country: CountryCode,
) -> AppResult<()> {
    for liaison in liaisons_of(txn, org).await? {
        let notice = Notice::ReportResponded {
            report_id: id,
            country: country.to_string(),
        };
        mail::enqueue(txn, now, liaison, &notice).await?;
    }
    Ok(())
}

/// Worker: re-notifies, once, each recipient country that has left a report
/// unacknowledged for `report_renotify_hours`. Returns how many.
pub async fn renotify_unacknowledged(state: &AppState, now: DateTime<Utc>) -> AppResult<usize> {
    let cutoff = now - Duration::hours(state.config.report_renotify_hours);
    let due =
        attack_report_response::internal_unacknowledged(&state.db, cutoff, WORKER_BATCH).await?;
    let mut done = 0;
    for (report_id, country) in due {
        let txn = state.db.begin().await?;
        let claimed =
            attack_report_response::mark_renotified(&txn, report_id, country.as_str(), now).await?;
        if claimed == 1 {
            for coordinator in
                missions::mission_users(&txn, std::slice::from_ref(&country), &[Role::Coordinator])
                    .await?
            {
                mail::enqueue(
                    &txn,
                    now,
                    coordinator,
                    &Notice::ReportUnacknowledged { report_id },
                )
                .await?;
            }
            done += 1;
        }
        txn.commit().await?;
    }
    Ok(done)
}

/// Worker: erases the description of reports every recipient closed as
/// `NO_ACTION` more than `report_retention_days` ago. The statistics (types,
/// dates, host country, responses) stay; each erasure is audited.
pub async fn erase_expired(state: &AppState, now: DateTime<Utc>) -> AppResult<usize> {
    let cutoff = now - Duration::days(state.config.report_retention_days);
    let due = attack_report::internal_expired(&state.db, cutoff, WORKER_BATCH).await?;
    let mut done = 0;
    for id in due {
        let txn = state.db.begin().await?;
        let erased = attack_report::erase_description(&txn, id, now).await?;
        if erased == 1 {
            audit::append(
                &txn,
                Event::new(
                    Actor::SYSTEM,
                    Action::AttackReportDescriptionErased,
                    ObjectType::AttackReport,
                )
                .object(id, None)
                .detail(format!(
                    "retention_days={}",
                    state.config.report_retention_days
                )),
            )
            .await?;
            done += 1;
        }
        txn.commit().await?;
    }
    Ok(done)
}

/// Re-seals report descriptions and response notes with the current key
/// (`accord rotate-keys`).
pub async fn rotate_description_keys(
    txn: &impl ConnectionTrait,
    state: &AppState,
) -> AppResult<u64> {
    let keys = &state.keys_identity;
    let mut changed = 0;
    for (report, country, sealed) in attack_report_response::internal_sealed_notes(txn).await? {
        if crate::crypto::KeyRing::key_id_of(&sealed) == Some(keys.current_id()) {
            continue;
        }
        let ctx = note_context(report, &country);
        let resealed = keys.seal(&ctx, &keys.open(&ctx, &sealed)?)?;
        attack_report_response::update_note(txn, report, &country, resealed).await?;
        changed += 1;
    }
    for (id, sealed) in attack_report::internal_sealed(txn).await? {
        if crate::crypto::KeyRing::key_id_of(&sealed) == Some(keys.current_id()) {
            continue;
        }
        let ctx = description_context(id);
        let resealed = keys.seal(&ctx, &keys.open(&ctx, &sealed)?)?;
        attack_report::update_description(txn, id, resealed).await?;
        changed += 1;
    }
    Ok(changed)
}
