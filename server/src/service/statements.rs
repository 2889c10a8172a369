//! Joint statements: drafting in immutable versions, invitations, signatures
//! pinned to a version, finalization (consent to public advocacy checked
//! then), delivery, the Markdown export and the deadline reminder. Each use
//! case finds through `policy::statements` (under the statement lock),
//! decides, then writes through the named `store::statement*` functions.
use chrono::{DateTime, Duration, SubsecRound, Utc};
use sea_orm::{ConnectionTrait, TransactionTrait};
use uuid::Uuid;

use crate::audit::{self, Action, Actor, Event, ObjectType};
use crate::auth::Viewer;
use crate::domain::ids::new_id;
use crate::domain::input::long_text;
use crate::domain::statement::{
    self as rules, DeliveryChannel, ParticipantRole, SignatureStatus, StatementKind,
    StatementStatus, content_hash, may_finalize,
};
use crate::domain::{CountryCode, Role, bounded_text};
use crate::error::{AppError, AppResult};
use crate::mail::{self, Notice};
use crate::msg;
use crate::policy::cases as case_policy;
use crate::policy::statements::{self as policy, SeenStatement};
use crate::service::missions;
use crate::state::AppState;
use crate::store::{statement, statement_case, statement_participant, statement_version};

pub const MAX_TITLE: usize = 200;
pub const MAX_BODY: usize = 50_000;
pub const MAX_REASON: usize = 1_000;
pub const MAX_PARTICIPANTS: usize = 60;
pub const MAX_CASES: usize = 20;
/// The reminder before a sign-on deadline.
pub const DEADLINE_NOTICE: Duration = Duration::hours(24);

pub struct NewStatement {
    pub title: String,
    pub kind: StatementKind,
    pub host_country: String,
    pub body: String,
    pub case_ids: Vec<Uuid>,
    pub invited_countries: Vec<String>,
    pub deadline: Option<DateTime<Utc>>,
}

fn countries(field: &str, raw: &[String]) -> AppResult<Vec<CountryCode>> {
    let mut out = Vec::new();
    for (i, c) in raw.iter().enumerate() {
        out.push(CountryCode::parse(&format!("{field}[{i}]"), c)?);
    }
    out.sort();
    out.dedup();
    if out.len() > MAX_PARTICIPANTS {
        return Err(AppError::bad_input(
            field,
            msg!("input-at-most-countries", max = MAX_PARTICIPANTS),
        ));
    }
    Ok(out)
}

async fn notify(
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
    countries: &[String],
    except: Uuid,
    notice: &Notice,
) -> AppResult<()> {
    for u in missions::mission_users(db, countries, &[Role::Diplomat, Role::Coordinator]).await? {
        if u != except {
            mail::enqueue(db, now, u, notice).await?;
        }
    }
    Ok(())
}

fn version_row(
    statement_id: Uuid,
    number: i32,
    body: String,
    viewer: &Viewer,
    country: CountryCode,
    now: DateTime<Utc>,
) -> statement_version::Model {
    statement_version::Model {
        statement_id,
        number,
        content_hash: content_hash(&body),
        body,
        author_id: viewer.user_id,
        author_country: country.to_string(),
        created_at: now,
    }
}

fn now_of(state: &AppState) -> DateTime<Utc> {
    state.clock.now().trunc_subsecs(6)
}

/// Audits, announces and reads back a change, after its transaction.
async fn changed(state: &AppState, viewer: &Viewer, id: Uuid) -> AppResult<SeenStatement> {
    state.live.statement_changed(&state.db, id).await;
    policy::find(&state.db, viewer, id).await
}

/// `createStatement`: the creator's country leads.
pub async fn create(
    state: &AppState,
    viewer: &Viewer,
    input: NewStatement,
) -> AppResult<SeenStatement> {
    let new = decide_new(viewer, now_of(state), input)?;
    missions::require_missions(&state.db, "invitedCountries", &new.invited).await?;
    let txn = state.db.begin().await?;
    for case_id in &new.case_ids {
        // Only cases the creator's country sees; anything else does not exist.
        case_policy::find(&txn, viewer, *case_id).await?;
    }
    let id = new.row.id;
    let names: Vec<String> = new.invited.iter().map(|c| c.to_string()).collect();
    let detail = format!(
        "kind={} invited={} cases={}",
        new.row.kind,
        names.join(","),
        new.case_ids.len()
    );
    let (lead, now) = (new.lead, new.row.created_at);
    write_new(&txn, viewer, new).await?;
    audit::append(
        &txn,
        Event::new(viewer, Action::StatementCreated, ObjectType::Statement)
            .object(id, Some(lead))
            .detail(detail),
    )
    .await?;
    let invited = Notice::StatementInvited { statement_id: id };
    notify(&txn, now, &names, viewer.user_id, &invited).await?;
    txn.commit().await?;
    changed(state, viewer, id).await
}

/// A new statement as decided, before anything is written.
struct Decided {
    row: statement::Model,
    lead: CountryCode,
    body: String,
    invited: Vec<CountryCode>,
    case_ids: Vec<Uuid>,
}

/// Checks a new statement's input and builds its row (the lead invites no
/// one twice, itself never).
fn decide_new(viewer: &Viewer, now: DateTime<Utc>, input: NewStatement) -> AppResult<Decided> {
    let lead = policy::lead_for_new(viewer)?;
    let title = bounded_text("title", &input.title, MAX_TITLE)?;
    let body = long_text("body", &input.body, MAX_BODY)?;
    let host = CountryCode::parse("hostCountry", &input.host_country)?;
    let mut invited = countries("invitedCountries", &input.invited_countries)?;
    invited.retain(|c| *c != lead);
    if input.deadline.is_some_and(|d| d <= now) {
        return Err(AppError::bad_input("deadline", msg!("input-in-the-future")));
    }
    let case_ids = linked_cases(input.case_ids)?;
    let status = first_status(&invited);
    let row = statement::Model {
        id: new_id(),
        title,
        kind: input.kind.as_str().to_owned(),
        host_country: host.to_string(),
        lead_country: lead.to_string(),
        status: status.as_str().to_owned(),
        deadline: input.deadline.map(|d| d.trunc_subsecs(6)),
        current_version: 1,
        final_version: None,
        created_by: viewer.user_id,
        created_at: now,
        updated_at: now,
        finalized_at: None,
        delivered_at: None,
        delivery_channel: None,
        deadline_reminded_at: None,
    };
    Ok(Decided {
        row,
        lead,
        body,
        invited,
        case_ids,
    })
}

/// A new statement circulates at once when it invites anyone.
fn first_status(invited: &[CountryCode]) -> StatementStatus {
    if invited.is_empty() {
        StatementStatus::Draft
    } else {
        StatementStatus::Circulating
    }
}

/// The cases a new statement is about: each once, at most `MAX_CASES`.
fn linked_cases(mut case_ids: Vec<Uuid>) -> AppResult<Vec<Uuid>> {
    case_ids.sort();
    case_ids.dedup();
    if case_ids.len() > MAX_CASES {
        let max = msg!("input-at-most-cases", max = MAX_CASES);
        return Err(AppError::bad_input("caseIds", max));
    }
    Ok(case_ids)
}

/// Writes a decided statement: its row, version 1, the participants (the
/// lead first) and the linked cases.
async fn write_new(txn: &impl ConnectionTrait, viewer: &Viewer, new: Decided) -> AppResult<()> {
    let (id, lead, now) = (new.row.id, new.lead, new.row.created_at);
    statement::insert(txn, new.row).await?;
    statement_version::insert(txn, version_row(id, 1, new.body, viewer, lead, now)).await?;
    let mut rows = vec![statement_participant::pending(
        id,
        lead,
        ParticipantRole::Lead,
        now,
    )];
    rows.extend(
        new.invited
            .iter()
            .map(|c| statement_participant::pending(id, *c, ParticipantRole::Invited, now)),
    );
    statement_participant::insert_all(txn, rows).await?;
    statement_case::insert_all(txn, id, &new.case_ids).await?;
    Ok(())
}

/// Opens a write: the statement locked and seen, and still open to change.
async fn open_for_change(
    txn: &impl ConnectionTrait,
    viewer: &Viewer,
    id: Uuid,
) -> AppResult<SeenStatement> {
    let seen = policy::lock(txn, viewer, id).await?;
    if !seen.status()?.is_open() {
        return Err(AppError::Conflict(msg!(
            "conflict-the-statement-is-final-nothing"
        )));
    }
    Ok(seen)
}

/// `reviseStatement`: a new immutable version on top of `base`, which must
/// be the current one. Approvals of earlier text go stale.
pub async fn revise(
    state: &AppState,
    viewer: &Viewer,
    id: Uuid,
    base: i32,
    body: String,
) -> AppResult<SeenStatement> {
    let body = long_text("body", &body, MAX_BODY)?;
    let txn = state.db.begin().await?;
    let seen = open_for_change(&txn, viewer, id).await?;
    policy::may_revise(viewer, &seen)?;
    let current = current_is(&seen, base)?;
    let country = policy::reader_country(viewer).ok_or(AppError::Forbidden)?;
    // The statement row is locked: the count cannot change under us, and
    // the database refuses a number past the cap anyway.
    let next = rules::next_version(current).map_err(AppError::Conflict)?;
    let now = now_of(state);
    // The primary key (statement, number) makes a racing second revision of
    // the same base fail even without the row lock.
    statement_version::insert(&txn, version_row(id, next, body, viewer, country, now))
        .await
        .map_err(|e| AppError::unique_or(e, AppError::StaleVersion { current: next }))?;
    statement::update_current_version(&txn, id, current, next, now).await?;
    let stale = stale_approvals(&txn, id).await?;
    audit::append(
        &txn,
        Event::new(viewer, Action::StatementRevised, ObjectType::Statement)
            .object(id, Some(country))
            .detail(format!("version={next} stale={}", stale.len())),
    )
    .await?;
    let notice = Notice::StatementApprovalStale {
        statement_id: id,
        version: next,
    };
    notify(&txn, now, &stale, viewer.user_id, &notice).await?;
    txn.commit().await?;
    changed(state, viewer, id).await
}

/// The current version, which a revision must be based on.
fn current_is(seen: &SeenStatement, base: i32) -> AppResult<i32> {
    let current = seen.model().current_version;
    if base != current {
        return Err(AppError::StaleVersion { current });
    }
    Ok(current)
}

/// Makes the approvals of earlier text stale; the countries that held one.
async fn stale_approvals(txn: &impl ConnectionTrait, id: Uuid) -> AppResult<Vec<String>> {
    let stale: Vec<String> = policy::internal_participants(txn, id)
        .await?
        .into_iter()
        .filter(|p| p.signature == SignatureStatus::Approved.as_str())
        .map(|p| p.country)
        .collect();
    statement_participant::mark_approvals_stale(txn, id).await?;
    Ok(stale)
}

/// `inviteToStatement`: adds countries (or makes invited ones co-penholders)
/// until finalization; the lead only.
pub async fn invite(
    state: &AppState,
    viewer: &Viewer,
    id: Uuid,
    raw: &[String],
    role: Option<ParticipantRole>,
) -> AppResult<SeenStatement> {
    let wanted = invited_countries(raw, role)?;
    let txn = state.db.begin().await?;
    let seen = open_for_change(&txn, viewer, id).await?;
    policy::may_lead(viewer, &seen)?;
    missions::require_missions(&txn, "countries", &wanted).await?;
    let now = now_of(state);
    let existing = policy::internal_participants(&txn, id).await?;
    let changes = decide_invites(&existing, &wanted, role)?;
    let added = write_invites(&txn, id, changes, now).await?;
    statement::update_circulating(&txn, id, now).await?;
    let names: Vec<String> = wanted.iter().map(|c| c.to_string()).collect();
    audit::append(
        &txn,
        Event::new(viewer, Action::StatementInvited, ObjectType::Statement)
            .object(id, viewer.country)
            .detail(format!(
                "role={} countries={}",
                role.map_or("UNCHANGED", ParticipantRole::as_str),
                names.join(",")
            )),
    )
    .await?;
    let invited = Notice::StatementInvited { statement_id: id };
    notify(&txn, now, &added, viewer.user_id, &invited).await?;
    txn.commit().await?;
    changed(state, viewer, id).await
}

/// The countries an invitation names, checked: at least one, and never as
/// the lead.
fn invited_countries(raw: &[String], role: Option<ParticipantRole>) -> AppResult<Vec<CountryCode>> {
    if role == Some(ParticipantRole::Lead) {
        return Err(AppError::bad_input(
            "role",
            msg!("input-must-be-invited-or-co"),
        ));
    }
    let wanted = countries("countries", raw)?;
    if wanted.is_empty() {
        return Err(AppError::bad_input(
            "countries",
            msg!("input-name-a-country"),
        ));
    }
    Ok(wanted)
}

/// What an invitation does to one country.
enum Invite {
    /// Not yet taking part: joins with this role.
    Add(CountryCode, ParticipantRole),
    /// Taking part with another role: takes this one.
    Promote(CountryCode, ParticipantRole),
}

/// Decides an invitation against the current participants: the cap, the
/// lead never re-invited, and without a role a participant keeps its own.
fn decide_invites(
    existing: &[statement_participant::Model],
    wanted: &[CountryCode],
    role: Option<ParticipantRole>,
) -> AppResult<Vec<Invite>> {
    if existing.len() + wanted.len() > MAX_PARTICIPANTS + 1 {
        return Err(AppError::bad_input(
            "countries",
            msg!("input-statement-at-most-invited", max = MAX_PARTICIPANTS),
        ));
    }
    let mut changes = Vec::new();
    for c in wanted {
        match (existing.iter().find(|p| p.country == c.as_str()), role) {
            (Some(p), _) if p.role == ParticipantRole::Lead.as_str() => {
                let leads = msg!("input-country-leads-statement", country = c.as_str());
                return Err(AppError::bad_input("countries", leads));
            }
            (Some(p), Some(r)) if p.role != r.as_str() => changes.push(Invite::Promote(*c, r)),
            (Some(_), _) => {}
            (None, r) => changes.push(Invite::Add(*c, r.unwrap_or(ParticipantRole::Invited))),
        }
    }
    Ok(changes)
}

/// Writes decided invitations in order; the countries that joined.
async fn write_invites(
    txn: &impl ConnectionTrait,
    id: Uuid,
    changes: Vec<Invite>,
    now: DateTime<Utc>,
) -> AppResult<Vec<String>> {
    let mut added = Vec::new();
    for change in changes {
        match change {
            Invite::Promote(c, role) => {
                statement_participant::update_role(txn, id, c, role).await?;
            }
            Invite::Add(c, role) => {
                statement_participant::insert(
                    txn,
                    statement_participant::pending(id, c, role, now),
                )
                .await?;
                added.push(c.to_string());
            }
        }
    }
    Ok(added)
}

/// `uninviteFromStatement`: the lead removes countries until finalization;
/// they lose the statement on their next request.
pub async fn uninvite(
    state: &AppState,
    viewer: &Viewer,
    id: Uuid,
    raw: &[String],
) -> AppResult<SeenStatement> {
    let gone = countries("countries", raw)?;
    let txn = state.db.begin().await?;
    let seen = open_for_change(&txn, viewer, id).await?;
    policy::may_lead(viewer, &seen)?;
    if gone.iter().any(|c| c.as_str() == seen.model().lead_country) {
        return Err(AppError::bad_input(
            "countries",
            msg!("input-the-lead-country-cannot-be"),
        ));
    }
    let removed = statement_participant::delete_countries(&txn, id, &gone).await?;
    audit::append(
        &txn,
        Event::new(viewer, Action::StatementUninvited, ObjectType::Statement)
            .object(id, viewer.country)
            .detail(format!(
                "countries={} removed={}",
                gone.iter()
                    .map(|c| c.to_string())
                    .collect::<Vec<_>>()
                    .join(","),
                removed
            )),
    )
    .await?;
    txn.commit().await?;
    changed(state, viewer, id).await
}

/// What a country says about the current text.
pub enum Answer {
    Approve(i32),
    Decline(Option<String>),
    Withdraw,
}

/// `approveStatement` / `declineStatement` / `withdrawApproval`, for the
/// viewer's own country.
pub async fn answer(
    state: &AppState,
    viewer: &Viewer,
    id: Uuid,
    answer: Answer,
) -> AppResult<SeenStatement> {
    let reason = decline_reason(&answer)?;
    let txn = state.db.begin().await?;
    let seen = open_for_change(&txn, viewer, id).await?;
    let country = policy::may_sign(viewer, &seen)?;
    let current = seen.model().current_version;
    let now = now_of(state);
    let mine = policy::internal_participants(&txn, id)
        .await?
        .into_iter()
        .find(|p| p.country == country.as_str())
        .ok_or_else(|| AppError::internal("a participant without its row"))?;
    let (status, version, action) = decide_answer(answer, current, &mine)?;
    let signature = statement_participant::Signature {
        status,
        version,
        decline_reason: reason,
        signed_by: viewer.user_id,
        signed_at: now,
    };
    statement_participant::update_signature(&txn, id, country, signature).await?;
    let shown = version.map_or("-".to_owned(), |v| v.to_string());
    audit::append(
        &txn,
        Event::new(viewer, action, ObjectType::Statement)
            .object(id, Some(country))
            .detail(format!("signature={} version={shown}", status.as_str())),
    )
    .await?;
    txn.commit().await?;
    changed(state, viewer, id).await
}

/// A decline's reason, checked (a blank one is none).
fn decline_reason(answer: &Answer) -> AppResult<Option<String>> {
    Ok(match answer {
        Answer::Decline(Some(r)) if !r.trim().is_empty() => {
            Some(bounded_text("reason", r, MAX_REASON)?)
        }
        _ => None,
    })
}

/// The signature an answer leaves, the version it pins and its audit
/// action: an approval is of the current text; only an approval (current
/// or stale) can be withdrawn.
fn decide_answer(
    answer: Answer,
    current: i32,
    mine: &statement_participant::Model,
) -> AppResult<(SignatureStatus, Option<i32>, Action)> {
    Ok(match answer {
        Answer::Approve(v) if v != current => return Err(AppError::StaleVersion { current }),
        Answer::Approve(v) => (
            SignatureStatus::Approved,
            Some(v),
            Action::StatementApproved,
        ),
        Answer::Decline(_) => (SignatureStatus::Declined, None, Action::StatementDeclined),
        Answer::Withdraw => {
            if !matches!(
                SignatureStatus::from_stored(&mine.signature),
                Some(SignatureStatus::Approved | SignatureStatus::Stale)
            ) {
                return Err(AppError::bad_input(
                    "id",
                    msg!("input-your-country-has-no-approval"),
                ));
            }
            (
                SignatureStatus::Pending,
                None,
                Action::StatementApprovalWithdrawn,
            )
        }
    })
}

/// `finalizeStatement`: the lead freezes the current text; its signatories
/// are the countries that approved exactly that version.
/// Freezes the current text. `expected`, when given, is the version the
/// lead was shown: if the text was revised since, nothing is frozen
/// (`CONFLICT`), decided under the statement's lock.
pub async fn finalize(
    state: &AppState,
    viewer: &Viewer,
    id: Uuid,
    expected: Option<i32>,
) -> AppResult<SeenStatement> {
    let txn = state.db.begin().await?;
    let seen = open_for_change(&txn, viewer, id).await?;
    policy::may_lead(viewer, &seen)?;
    let now = now_of(state);
    let current = seen.model().current_version;
    if expected.is_some_and(|shown| shown != current) {
        return Err(AppError::StaleVersion { current });
    }
    let participants = policy::internal_participants(&txn, id).await?;
    may_finalize_now(&seen, &participants, now)?;
    public_consent_holds(&txn, &seen).await?;
    statement::update_final(&txn, id, current, now).await?;
    let signatories: Vec<String> = signatories(&participants, current);
    audit::append(
        &txn,
        Event::new(viewer, Action::StatementFinalized, ObjectType::Statement)
            .object(id, viewer.country)
            .detail(format!(
                "version={current} signatories={}",
                signatories.join(",")
            )),
    )
    .await?;
    let everyone: Vec<String> = participants.into_iter().map(|p| p.country).collect();
    notify(
        &txn,
        now,
        &everyone,
        viewer.user_id,
        &Notice::StatementFinalized { statement_id: id },
    )
    .await?;
    txn.commit().await?;
    changed(state, viewer, id).await
}

/// Whether the current text may be frozen now: `domain::statement`'s rule
/// over the stored answers and the deadline.
fn may_finalize_now(
    seen: &SeenStatement,
    participants: &[statement_participant::Model],
    now: DateTime<Utc>,
) -> AppResult<()> {
    let answers: Vec<rules::Answer<'_>> = participants
        .iter()
        .filter_map(|p| {
            Some(rules::Answer {
                country: &p.country,
                status: SignatureStatus::from_stored(&p.signature)?,
                version: p.signature_version,
            })
        })
        .collect();
    let deadline = match seen.model().deadline {
        None => rules::Deadline::None,
        Some(d) if d <= now => rules::Deadline::Passed,
        Some(d) => rules::Deadline::Ahead(d.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)),
    };
    may_finalize(&answers, seen.model().current_version, deadline)?;
    Ok(())
}

/// Rule 6: a public kind about a case needs the defender's consent to public
/// advocacy — at finalization, and again at delivery and export, since a
/// withdrawal stops what it allowed at once.
async fn public_consent_holds(db: &impl ConnectionTrait, seen: &SeenStatement) -> AppResult<()> {
    if seen.kind()?.is_public()
        && policy::internal_lacks_public_consent(db, seen.model().id).await?
    {
        return Err(AppError::ConsentRequired(msg!(
            "consent-a-linked-case-has-no"
        )));
    }
    Ok(())
}

/// The countries whose signature is an approval of `version`, by code.
pub fn signatories(participants: &[statement_participant::Model], version: i32) -> Vec<String> {
    let mut out: Vec<String> = participants
        .iter()
        .filter(|p| {
            p.signature == SignatureStatus::Approved.as_str()
                && p.signature_version == Some(version)
        })
        .map(|p| p.country.clone())
        .collect();
    out.sort();
    out
}

/// `markStatementDelivered`: records the démarche or the publication.
pub async fn deliver(
    state: &AppState,
    viewer: &Viewer,
    id: Uuid,
    delivered_at: DateTime<Utc>,
    channel: DeliveryChannel,
) -> AppResult<SeenStatement> {
    let txn = state.db.begin().await?;
    let seen = policy::lock(&txn, viewer, id).await?;
    policy::may_lead(viewer, &seen)?;
    if seen.status()? != StatementStatus::Final {
        return Err(AppError::Conflict(msg!("conflict-only-a-final-not-yet")));
    }
    public_consent_holds(&txn, &seen).await?;
    let now = now_of(state);
    let delivered_at = delivery_time(&seen, delivered_at, now)?;
    statement::update_delivered(&txn, id, delivered_at, channel, now).await?;
    audit::append(
        &txn,
        Event::new(viewer, Action::StatementDelivered, ObjectType::Statement)
            .object(id, viewer.country)
            .detail(format!("channel={}", channel.as_str())),
    )
    .await?;
    txn.commit().await?;
    changed(state, viewer, id).await
}

/// A delivery's time, checked: not in the future nor before finalization
/// (five minutes' slack for clocks).
fn delivery_time(
    seen: &SeenStatement,
    delivered_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> AppResult<DateTime<Utc>> {
    let delivered_at = delivered_at.trunc_subsecs(6);
    if delivered_at > now + Duration::minutes(5) {
        return Err(AppError::bad_input(
            "deliveredAt",
            msg!("input-not-in-the-future"),
        ));
    }
    if seen
        .model()
        .finalized_at
        .is_some_and(|f| delivered_at < f - Duration::minutes(5))
    {
        return Err(AppError::bad_input(
            "deliveredAt",
            msg!("input-must-not-be-before-the"),
        ));
    }
    Ok(delivered_at)
}

/// `Statement.diff`: a line diff of two versions the viewer sees, computed
/// on the CPU pool (off the async workers, `ACCORD_CPU_WORK_CONCURRENCY` at
/// once), its line matching bounded by half of `ACCORD_CPU_WORK_TIMEOUT_MS`
/// and the whole job by all of it (then `UNAVAILABLE`).
pub async fn diff(
    state: &AppState,
    old: statement_version::Model,
    new: statement_version::Model,
) -> AppResult<String> {
    state
        .cpu
        .run(move |deadline| {
            rules::line_diff(
                &old.body,
                &new.body,
                &format!("version {}", old.number),
                &format!("version {}", new.number),
                deadline,
            )
        })
        .await
}

/// The final text with its signatories, as Markdown for the note verbale or
/// the press release. Final statements only; every export is audited.
pub async fn export_markdown(
    state: &AppState,
    viewer: &Viewer,
    seen: &SeenStatement,
) -> AppResult<Option<String>> {
    let Some(version) = seen.model().final_version else {
        return Ok(None);
    };
    public_consent_holds(&state.db, seen).await?;
    let text = policy::version(&state.db, seen, version)
        .await?
        .ok_or_else(|| AppError::internal("final version missing"))?;
    let participants = policy::participants_of(&state.db, &[seen.key()]).await?;
    let names: Vec<String> = signatories(&participants, version)
        .into_iter()
        .map(|c| CountryCode::from_stored(&c).name().to_owned())
        .collect();
    let txn = state.db.begin().await?;
    audit::append(
        &txn,
        Event::new(viewer, Action::StatementExported, ObjectType::Statement)
            .object(seen.model().id, viewer.country)
            .detail(format!("version={version}")),
    )
    .await?;
    txn.commit().await?;
    Ok(Some(format!(
        "# {title}\n\n{body}\n\n---\n\n**Signatories:** {signers}\n\n_Version {version}, SHA-256 {hash}_\n",
        title = seen.model().title,
        body = text.body,
        signers = names.join(", "),
        hash = text.content_hash,
    )))
}

/// Worker: 24 h before a sign-on deadline, once, the countries that have
/// not answered the current text are reminded. Returns how many statements.
pub async fn remind_deadlines(state: &AppState, now: DateTime<Utc>) -> AppResult<usize> {
    let due = statement::internal_deadline_due(&state.db, now, now + DEADLINE_NOTICE).await?;
    let mut done = 0;
    for s in due {
        let txn = state.db.begin().await?;
        if statement::claim_deadline_reminder(&txn, s.id, now).await? {
            let waiting: Vec<String> = policy::internal_participants(&txn, s.id)
                .await?
                .into_iter()
                .filter(|p| !answered(p, s.current_version))
                .map(|p| p.country)
                .collect();
            notify(
                &txn,
                now,
                &waiting,
                Uuid::nil(),
                &Notice::StatementDeadline {
                    statement_id: s.id,
                    deadline: s.deadline.unwrap_or(now),
                },
            )
            .await?;
            audit::append(
                &txn,
                Event::new(
                    Actor::SYSTEM,
                    Action::StatementDeadlineReminded,
                    ObjectType::Statement,
                )
                .object(s.id, None)
                .detail(format!("countries={}", waiting.len())),
            )
            .await?;
            done += 1;
        }
        txn.commit().await?;
    }
    Ok(done)
}

/// Whether a participant has answered `version` (approved it, or declined).
pub fn answered(p: &statement_participant::Model, version: i32) -> bool {
    p.signature == SignatureStatus::Declined.as_str()
        || (p.signature == SignatureStatus::Approved.as_str()
            && p.signature_version == Some(version))
}

/// A statement notice that no longer tells the truth is not sent: a deadline
/// reminder once the statement is closed or the recipient's country has
/// answered; a "stale" notice once the country approved the newer text.
pub async fn notice_overtaken(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    seen: &SeenStatement,
    notice: &Notice,
) -> AppResult<bool> {
    let mine = || async {
        let country = policy::reader_country(viewer);
        Ok::<_, AppError>(
            policy::internal_participants(db, seen.model().id)
                .await?
                .into_iter()
                .find(|p| Some(p.country.as_str()) == country.as_ref().map(|c| c.as_str())),
        )
    };
    let current = seen.model().current_version;
    Ok(match notice {
        Notice::StatementDeadline { .. } => {
            !seen.status()?.is_open() || mine().await?.is_some_and(|p| answered(&p, current))
        }
        Notice::StatementApprovalStale { .. } => {
            !seen.status()?.is_open() || mine().await?.is_some_and(|p| answered(&p, current))
        }
        _ => false,
    })
}
