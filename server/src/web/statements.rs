//! Joint statements and démarches as pages: the list, a new statement, one
//! statement with every change its viewer may make (revise, invite and
//! remove countries, approve or decline the version shown, withdraw,
//! finalize, mark delivered, export), and the difference between two
//! versions. Every read and write calls exactly what the GraphQL resolver of
//! the same field calls (`policy::statements`, `service::statements`), with
//! the same viewer: a page shows what the API shows that person.
use askama::Template;
use axum::Form;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use chrono::{DateTime, NaiveDateTime, Utc};
use chrono_tz::Tz;
use serde::Deserialize;
use uuid::Uuid;

use super::Web;
use super::error::{WebError, sentence};
use super::page::{Choice, Flash, FormErrors, Nav, choices, done, html, list_field, ok};
use super::session::{SignedIn, encode_component};
use crate::auth::Viewer;
use crate::domain::CountryCode;
use crate::domain::ids::{self, Kind};
use crate::domain::statement::{
    DeliveryChannel, ParticipantRole, SignatureStatus, StatementKind, StatementStatus,
};
use crate::error::AppError;
use crate::i18n::{Args, Lang, t, t_with};
use crate::msg;
use crate::policy::cases as case_policy;
use crate::policy::paging;
use crate::policy::statements::{self as policy, SeenStatement};
use crate::service::{auth, calendar, directory, statements as service};
use crate::store::{statement_participant, statement_version};

/// Confirmations of this area's changes.
pub const DONE: &[(&str, &str)] = &[
    ("statement-created", "statements-done-created"),
    ("statement-revised", "statements-done-revised"),
    ("statement-invited", "statements-done-invited"),
    ("statement-uninvited", "statements-done-uninvited"),
    ("statement-approved", "statements-done-approved"),
    ("statement-declined", "statements-done-declined"),
    ("statement-withdrawn", "statements-done-withdrawn"),
    ("statement-finalized", "statements-done-finalized"),
    ("statement-delivered", "statements-done-delivered"),
];

/// This area's routes.
pub fn routes() -> Router<Web> {
    Router::new()
        .route("/statements", get(list).post(create))
        .route("/statements/new", get(new_page))
        .route("/statements/{id}", get(show))
        .route("/statements/{id}/diff", get(diff_page))
        .route("/statements/{id}/revise", get(revise_page).post(revise))
        .route("/statements/{id}/invite", post(invite))
        .route("/statements/{id}/uninvite", post(uninvite))
        .route("/statements/{id}/approve", post(approve))
        .route("/statements/{id}/decline", post(decline))
        .route("/statements/{id}/withdraw", post(withdraw))
        .route("/statements/{id}/finalize", post(finalize))
        .route("/statements/{id}/deliver", post(deliver))
        .route("/statements/{id}/export", post(export))
}

// ---------------------------------------------------------------------------
// Words people read for the stored values: each label is a message id
// (`page::choices` and the pages translate it).

fn kind_label(kind: StatementKind) -> &'static str {
    match kind {
        StatementKind::Demarche => "statements-kind-demarche",
        StatementKind::PublicStatement => "statements-kind-public-statement",
        StatementKind::PressRelease => "statements-kind-press-release",
        StatementKind::Letter => "statements-kind-letter",
    }
}

fn status_label(status: StatementStatus) -> &'static str {
    match status {
        StatementStatus::Draft => "statements-status-draft",
        StatementStatus::Circulating => "statements-status-circulating",
        StatementStatus::Final => "statements-status-final",
        StatementStatus::Delivered => "statements-status-delivered",
    }
}

fn role_label(role: ParticipantRole) -> &'static str {
    match role {
        ParticipantRole::Lead => "statements-role-lead",
        ParticipantRole::CoPenholder => "statements-role-co-penholder",
        ParticipantRole::Invited => "statements-role-invited",
    }
}

fn channel_label(channel: DeliveryChannel) -> &'static str {
    match channel {
        DeliveryChannel::Meeting => "statements-channel-meeting",
        DeliveryChannel::NoteVerbale => "statements-channel-note-verbale",
        DeliveryChannel::Letter => "statements-channel-letter",
        DeliveryChannel::Publication => "statements-channel-publication",
        DeliveryChannel::PressConference => "statements-channel-press-conference",
        DeliveryChannel::Other => "statements-channel-other",
    }
}

/// A stored value's words in the page's language ("Unknown" for a value
/// this version does not know).
fn stored_label<T: Copy>(
    raw: &str,
    parse: fn(&str) -> Option<T>,
    label: fn(T) -> &'static str,
) -> String {
    t(parse(raw).map_or("statements-unknown", label))
}

/// "Netherlands (NL)". The country's name is English for now (data, as
/// `CountryCode::name` gives it).
fn country_label(code: &str) -> String {
    super::page::country_label(CountryCode::from_stored(code))
}

/// An instant in UTC (what the countries agree on), and beside it the
/// viewer's own time when their clock differs, in the page's language:
/// "Monday 1 March 2027, 9:00 AM (UTC) · 10:00 AM your time
/// (Europe/Amsterdam)".
fn when(at: DateTime<Utc>, own: Tz) -> String {
    when_in(crate::i18n::current(), at, own)
}

fn when_in(lang: Lang, at: DateTime<Utc>, own: Tz) -> String {
    lang.when(at, chrono_tz::UTC, Some(own)).to_string()
}

fn kind_choices(selected: &str) -> Vec<Choice> {
    choices(
        StatementKind::ALL,
        StatementKind::as_str,
        kind_label,
        selected,
    )
}

fn status_choices(selected: &str) -> Vec<Choice> {
    choices(
        StatementStatus::ALL,
        StatementStatus::as_str,
        status_label,
        selected,
    )
}

fn channel_choices(selected: &str) -> Vec<Choice> {
    choices(
        DeliveryChannel::ALL,
        DeliveryChannel::as_str,
        channel_label,
        selected,
    )
}

/// Every country a statement may be addressed to, by name.
fn host_choices(selected: &str) -> Vec<Choice> {
    super::page::country_choices(selected)
}

/// The countries with a mission on Accord (what `countries` answers), by
/// name, but `except`; `chosen` ticked.
async fn mission_choices(
    web: &Web,
    except: &[String],
    selected: &[String],
) -> Result<Vec<Choice>, WebError> {
    let mut out: Vec<Choice> = directory::participating_countries(&web.state)
        .await?
        .into_iter()
        .filter(|c| !except.contains(c))
        .map(|c| Choice {
            label: super::page::country_name(CountryCode::from_stored(&c)),
            selected: selected.contains(&c),
            value: c,
        })
        .collect();
    super::page::sort_for_reading(&mut out, |c| &c.label);
    Ok(out)
}

/// The first value of `name` in a submitted form.
fn one(pairs: &[(String, String)], name: &str) -> String {
    pairs
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.clone())
        .unwrap_or_default()
}

/// Every value of `name` (a group of checkboxes).
fn all(pairs: &[(String, String)], name: &str) -> Vec<String> {
    pairs
        .iter()
        .filter(|(k, v)| k == name && !v.is_empty())
        .map(|(_, v)| v.clone())
        .collect()
}

/// A browser sends a textarea's line breaks as CRLF; the API's clients send
/// LF. Stored text (and its hash, which approvals pin) is the same either way.
fn lf(text: &str) -> String {
    text.replace("\r\n", "\n")
}

/// A `datetime-local` value, read as UTC.
fn utc_input(field: &str, raw: &str) -> Result<DateTime<Utc>, AppError> {
    let raw = raw.trim();
    NaiveDateTime::parse_from_str(raw, "%Y-%m-%dT%H:%M")
        .or_else(|_| NaiveDateTime::parse_from_str(raw, "%Y-%m-%dT%H:%M:%S"))
        .map(|t| t.and_utc())
        .map_err(|_| AppError::bad_input(field, msg!("statements-error-datetime")))
}

fn statement_id(id: &str) -> Result<Uuid, WebError> {
    Ok(ids::decode(Kind::Statement, id).ok_or(AppError::NotFound)?)
}

async fn nav(web: &Web, viewer: &Viewer, flash: Option<String>) -> Result<Nav, WebError> {
    let me = auth::current_user(&web.state, viewer).await?;
    Ok(Nav::of(viewer, &me.display_name, "/statements").with_flash(flash))
}

// ---------------------------------------------------------------------------
// The list.

struct ListRow {
    href: String,
    title: String,
    kind: String,
    status: String,
    host: String,
    lead: String,
    my_role: String,
    deadline: String,
}

#[derive(Template)]
#[template(path = "statements.html")]
struct ListPage {
    nav: Nav,
    errors: FormErrors,
    rows: Vec<ListRow>,
    total: u64,
    statuses: Vec<Choice>,
    kinds: Vec<Choice>,
    hosts: Vec<Choice>,
    next: Option<String>,
    first: Option<String>,
    may_create: bool,
}

#[derive(Deserialize, Default)]
pub struct ListQuery {
    #[serde(default)]
    status: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    host: String,
    after: Option<String>,
}

/// The filter's fields, each with its label's message id.
const FILTER_FIELDS: &[(&str, &str)] = &[
    ("status", "statements-field-status"),
    ("kind", "statements-field-kind"),
    ("host", "statements-field-host"),
    ("hostCountry", "statements-field-host"),
];

/// The list's filter as the policy's (what `StatementFilter.into_policy` does).
fn list_filter(q: &ListQuery) -> Result<policy::StatementFilter, AppError> {
    let status = match q.status.as_str() {
        "" => None,
        s => Some(
            StatementStatus::from_stored(s)
                .ok_or_else(|| AppError::bad_input("status", msg!("statements-error-status")))?,
        ),
    };
    let kind = match q.kind.as_str() {
        "" => None,
        k => Some(
            StatementKind::from_stored(k)
                .ok_or_else(|| AppError::bad_input("kind", msg!("statements-error-kind")))?,
        ),
    };
    let host_country = match q.host.trim() {
        "" => None,
        h => Some(CountryCode::parse("host", h)?),
    };
    Ok(policy::StatementFilter {
        status,
        kind,
        host_country,
    })
}

/// `GET /statements`: the `statements` connection, 50 to a page.
async fn list(
    State(web): State<Web>,
    SignedIn(viewer): SignedIn,
    Flash(flash): Flash,
    Query(q): Query<ListQuery>,
) -> Result<Response, WebError> {
    let nav = nav(&web, &viewer, flash).await?;
    let own = calendar::viewer_timezone(&web.state, &viewer).await?;
    let listed = match list_filter(&q) {
        Ok(filter) => {
            paging::list::<policy::Statements>(
                &web.state.db,
                &viewer,
                filter,
                Some(paging::DEFAULT_PAGE),
                q.after.clone().filter(|a| !a.is_empty()),
            )
            .await
        }
        Err(err) => Err(err),
    };
    let filters = format!(
        "status={}&kind={}&host={}",
        encode_component(&q.status),
        encode_component(&q.kind),
        encode_component(&q.host)
    );
    let mut page = ListPage {
        nav,
        errors: FormErrors::default(),
        rows: Vec::new(),
        total: 0,
        statuses: status_choices(&q.status),
        kinds: kind_choices(&q.kind),
        hosts: host_choices(&q.host),
        next: None,
        first: None,
        may_create: policy::lead_for_new(&viewer).is_ok(),
    };
    let (seen, shape) = match listed {
        Ok(listed) => listed,
        Err(err @ AppError::BadUserInput(_)) => {
            page.errors = FormErrors::from_error(&err, FILTER_FIELDS, "status");
            return Ok(html(StatusCode::BAD_REQUEST, &page));
        }
        Err(err) => return Err(err.into()),
    };
    page.total = shape.total_count;
    if shape.has_next {
        page.next = seen.last().map(|s| {
            format!(
                "/statements?{filters}&after={}",
                encode_component(&paging::Positioned::position(s).cursor())
            )
        });
    }
    if shape.has_previous {
        page.first = Some(format!("/statements?{filters}"));
    }
    page.rows = seen.iter().map(|s| list_row(s, own)).collect();
    Ok(ok(&page))
}

fn list_row(s: &SeenStatement, own: Tz) -> ListRow {
    let m = s.model();
    ListRow {
        href: format!("/statements/{}", ids::encode(Kind::Statement, m.id)),
        title: m.title.clone(),
        kind: stored_label(&m.kind, StatementKind::from_stored, kind_label),
        status: stored_label(&m.status, StatementStatus::from_stored, status_label),
        host: country_label(&m.host_country),
        lead: country_label(&m.lead_country),
        my_role: t(role_label(s.level())),
        deadline: m
            .deadline
            .map_or_else(|| t("statements-no-deadline"), |at| when(at, own)),
    }
}

// ---------------------------------------------------------------------------
// A new statement.

/// A case the new statement may be about, as the creator sees it.
struct CaseChoice {
    value: String,
    label: String,
    selected: bool,
}

#[derive(Template)]
#[template(path = "statement_new.html")]
struct NewPage {
    nav: Nav,
    errors: FormErrors,
    title: String,
    body: String,
    deadline: String,
    kinds: Vec<Choice>,
    hosts: Vec<Choice>,
    invited: Vec<Choice>,
    cases: Vec<CaseChoice>,
    max_body: usize,
}

/// The form's fields, each with its label's message id.
const NEW_FIELDS: &[(&str, &str)] = &[
    ("title", "statements-field-title"),
    ("kind", "statements-field-kind"),
    ("hostCountry", "statements-field-host"),
    ("body", "statements-field-body"),
    ("invitedCountries", "statements-field-invited"),
    ("caseIds", "statements-field-cases"),
    ("deadline", "statements-field-deadline"),
];

/// The form, filled with what was typed (`pairs`; empty for a new one).
async fn new_view(
    web: &Web,
    viewer: &Viewer,
    pairs: &[(String, String)],
    errors: FormErrors,
) -> Result<NewPage, WebError> {
    let lead = policy::lead_for_new(viewer)?;
    let chosen_cases = all(pairs, "caseIds");
    // The cases the creator's country sees, as the `cases` connection lists
    // them (its first page): the statement may name only those.
    let (cases, _) = paging::list::<case_policy::Cases>(
        &web.state.db,
        viewer,
        case_policy::CaseFilter::default(),
        Some(paging::DEFAULT_PAGE),
        None,
    )
    .await?;
    let cases = cases
        .iter()
        .map(|c| {
            let m = c.model();
            let value = ids::encode(Kind::Case, m.id);
            let label = if case_policy::may_read_detail(c) {
                format!("{} · {}", m.reference, m.pseudonym)
            } else {
                m.reference.clone()
            };
            CaseChoice {
                selected: chosen_cases.contains(&value),
                value,
                label,
            }
        })
        .collect();
    Ok(NewPage {
        nav: nav(web, viewer, None).await?,
        errors,
        title: one(pairs, "title"),
        body: one(pairs, "body"),
        deadline: one(pairs, "deadline"),
        kinds: kind_choices(&one(pairs, "kind")),
        hosts: host_choices(&one(pairs, "hostCountry")),
        invited: mission_choices(web, &[lead.to_string()], &all(pairs, "invitedCountries")).await?,
        cases,
        max_body: service::MAX_BODY,
    })
}

/// `GET /statements/new`: coordinators only (the API's `createStatement`).
async fn new_page(
    State(web): State<Web>,
    SignedIn(viewer): SignedIn,
) -> Result<Response, WebError> {
    Ok(ok(
        &new_view(&web, &viewer, &[], FormErrors::default()).await?
    ))
}

/// The form as `createStatement`'s input.
fn new_statement(pairs: &[(String, String)]) -> Result<service::NewStatement, AppError> {
    let kind = StatementKind::from_stored(&one(pairs, "kind"))
        .ok_or_else(|| AppError::bad_input("kind", msg!("statements-error-choose-kind")))?;
    let mut case_ids = Vec::new();
    for id in all(pairs, "caseIds") {
        case_ids.push(
            ids::decode(Kind::Case, &id)
                .ok_or_else(|| AppError::bad_input("caseIds", msg!("statements-error-case")))?,
        );
    }
    let deadline = match one(pairs, "deadline").trim() {
        "" => None,
        raw => Some(utc_input("deadline", raw)?),
    };
    Ok(service::NewStatement {
        title: one(pairs, "title"),
        kind,
        host_country: one(pairs, "hostCountry"),
        body: lf(&one(pairs, "body")),
        case_ids,
        invited_countries: all(pairs, "invitedCountries"),
        deadline,
    })
}

/// `POST /statements`: `createStatement`; a refusal comes back with the form
/// as typed and the error beside its field.
async fn create(
    State(web): State<Web>,
    SignedIn(viewer): SignedIn,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let created = match new_statement(&pairs) {
        Ok(new) => service::create(&web.state, &viewer, new).await,
        Err(err) => Err(err),
    };
    match created {
        Ok(seen) => Ok(done(
            &format!(
                "/statements/{}",
                ids::encode(Kind::Statement, seen.model().id)
            ),
            "statement-created",
        )),
        Err(err @ (AppError::BadUserInput(_) | AppError::NotFound)) => {
            // NOT_FOUND here is a chosen case no longer shared with the
            // creator's country: said beside the cases, as the API says it.
            let errors = FormErrors::from_error(&err, NEW_FIELDS, "caseIds");
            let status = if matches!(err, AppError::NotFound) {
                StatusCode::CONFLICT
            } else {
                StatusCode::BAD_REQUEST
            };
            Ok(html(
                status,
                &new_view(&web, &viewer, &pairs, errors).await?,
            ))
        }
        Err(err) => Err(err.into()),
    }
}

// ---------------------------------------------------------------------------
// One statement.

struct VersionRow {
    number: i32,
    author: String,
    created: String,
    /// The difference from the version before.
    diff_href: Option<String>,
}

struct ParticipantRow {
    code: String,
    country: String,
    role: String,
    answer: String,
    reason: Option<String>,
    removable: bool,
}

struct CaseRow {
    href: String,
    reference: String,
    host: String,
    pseudonym: Option<String>,
}

/// What was typed into a form that failed, to put back.
#[derive(Default)]
struct Typed {
    reason: String,
    invite: Vec<String>,
    role: String,
    delivered_at: String,
    channel: String,
}

#[derive(Template)]
#[template(path = "statement.html")]
struct StatementPage {
    nav: Nav,
    errors: FormErrors,
    id: String,
    title: String,
    kind: String,
    status: String,
    host: String,
    lead: String,
    my_role: String,
    deadline: Option<String>,
    created: String,
    finalized: Option<String>,
    delivered: Option<String>,
    signatories: Vec<String>,
    current: i32,
    current_text: String,
    current_author: String,
    current_hash: String,
    versions: Vec<VersionRow>,
    participants: Vec<ParticipantRow>,
    cases: Vec<CaseRow>,
    /// The viewer's country's own answer, when it may sign.
    my_answer: Option<String>,
    may_sign: bool,
    may_withdraw: bool,
    may_revise: bool,
    may_lead: bool,
    may_deliver: bool,
    may_export: bool,
    reason: String,
    invitable: Vec<Choice>,
    role_co_penholder: bool,
    delivered_at: String,
    channels: Vec<Choice>,
}

fn answer_of(p: &statement_participant::Model) -> String {
    match (
        SignatureStatus::from_stored(&p.signature),
        p.signature_version,
    ) {
        (Some(SignatureStatus::Approved), Some(v)) => {
            t_with("statements-answer-approved", &Args::new().set("version", v))
        }
        (Some(SignatureStatus::Stale), Some(v)) => {
            t_with("statements-answer-stale", &Args::new().set("version", v))
        }
        (Some(SignatureStatus::Declined), _) => t("statements-answer-declined"),
        _ => t("statements-answer-none"),
    }
}

/// The page of a statement the viewer sees (`policy::statements::find`),
/// with the parts the `Statement` type loads for it: versions, participants
/// and the linked cases as the viewer's case visibility allows.
async fn statement_view(
    web: &Web,
    viewer: &Viewer,
    seen: SeenStatement,
    errors: FormErrors,
    typed: Typed,
    flash: Option<String>,
) -> Result<StatementPage, WebError> {
    let db = &web.state.db;
    let own = calendar::viewer_timezone(&web.state, viewer).await?;
    let keys = [seen.key()];
    let versions: Vec<statement_version::Model> = policy::versions_of(db, &keys).await?;
    let participants = policy::participants_of(db, &keys).await?;
    let linked = policy::linked_cases_of(db, viewer, &keys).await?;
    let m = seen.model();
    let id = ids::encode(Kind::Statement, m.id);
    let status = seen.status()?;
    let open = status.is_open();
    let current = versions
        .iter()
        .find(|v| v.number == m.current_version)
        .ok_or_else(|| AppError::internal("current version missing"))?;
    let may_lead = open && policy::may_lead(viewer, &seen).is_ok();
    let signer = policy::may_sign(viewer, &seen).ok();
    let mine = signer.and_then(|c| participants.iter().find(|p| p.country == c.as_str()));
    let may_withdraw = open
        && mine.is_some_and(|p| {
            matches!(
                SignatureStatus::from_stored(&p.signature),
                Some(SignatureStatus::Approved | SignatureStatus::Stale)
            )
        });
    let taking_part: Vec<String> = participants.iter().map(|p| p.country.clone()).collect();
    let invitable = if may_lead {
        mission_choices(web, &taking_part, &typed.invite).await?
    } else {
        Vec::new()
    };
    let version_rows = versions
        .iter()
        .map(|v| VersionRow {
            number: v.number,
            author: country_label(&v.author_country),
            created: when(v.created_at, own),
            diff_href: (v.number > 1).then(|| {
                format!(
                    "/statements/{id}/diff?from={}&to={}",
                    v.number - 1,
                    v.number
                )
            }),
        })
        .collect();
    let participant_rows = participants
        .iter()
        .map(|p| ParticipantRow {
            code: p.country.clone(),
            country: country_label(&p.country),
            role: stored_label(&p.role, ParticipantRole::from_stored, role_label),
            answer: answer_of(p),
            reason: p.decline_reason.clone(),
            removable: may_lead && p.role != ParticipantRole::Lead.as_str(),
        })
        .collect();
    let cases = linked
        .iter()
        .map(|(_, c)| CaseRow {
            href: format!("/cases/{}", ids::encode(Kind::Case, c.model().id)),
            reference: c.model().reference.clone(),
            host: country_label(&c.model().host_country),
            pseudonym: case_policy::may_read_detail(c).then(|| c.model().pseudonym.clone()),
        })
        .collect();
    let signatories = match m.final_version {
        Some(v) => service::signatories(&participants, v)
            .iter()
            .map(|c| country_label(c))
            .collect(),
        None => Vec::new(),
    };
    let now = web.state.clock.now();
    Ok(StatementPage {
        nav: nav(web, viewer, flash).await?,
        errors,
        title: m.title.clone(),
        kind: stored_label(&m.kind, StatementKind::from_stored, kind_label),
        status: t(status_label(status)),
        host: country_label(&m.host_country),
        lead: country_label(&m.lead_country),
        my_role: t(role_label(seen.level())),
        deadline: m.deadline.map(|at| when(at, own)),
        created: when(m.created_at, own),
        finalized: m.finalized_at.map(|at| when(at, own)),
        delivered: m.delivered_at.map(|at| {
            let when = when(at, own);
            match m
                .delivery_channel
                .as_deref()
                .and_then(DeliveryChannel::from_stored)
            {
                Some(channel) => t_with(
                    "statements-delivered-how",
                    &Args::new()
                        .set("when", when)
                        .set("channel", t(channel_label(channel))),
                ),
                None => when,
            }
        }),
        signatories,
        current: current.number,
        current_text: current.body.clone(),
        current_author: country_label(&current.author_country),
        current_hash: current.content_hash.clone(),
        versions: version_rows,
        participants: participant_rows,
        cases,
        my_answer: mine.map(answer_of),
        may_sign: open && mine.is_some(),
        may_withdraw,
        may_revise: open && policy::may_revise(viewer, &seen).is_ok(),
        may_lead,
        may_deliver: status == StatementStatus::Final && policy::may_lead(viewer, &seen).is_ok(),
        may_export: m.final_version.is_some(),
        reason: typed.reason,
        invitable,
        role_co_penholder: typed.role == ParticipantRole::CoPenholder.as_str(),
        delivered_at: if typed.delivered_at.is_empty() {
            now.format("%Y-%m-%dT%H:%M").to_string()
        } else {
            typed.delivered_at
        },
        channels: channel_choices(&typed.channel),
        id,
    })
}

/// `GET /statements/{id}`: the `statement` query; NOT_FOUND reads the same
/// for a statement that does not exist and one not (or no longer) shared.
async fn show(
    State(web): State<Web>,
    SignedIn(viewer): SignedIn,
    Flash(flash): Flash,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let id = statement_id(&id)?;
    let seen = policy::find(&web.state.db, &viewer, id).await?;
    let page = statement_view(
        &web,
        &viewer,
        seen,
        FormErrors::default(),
        Typed::default(),
        flash,
    )
    .await?;
    Ok(ok(&page))
}

/// A form of the statement page: its confirmation, its fields' labels and
/// where a refusal of the whole form is shown (labels as message ids).
struct Change {
    done: &'static str,
    labels: &'static [(&'static str, &'static str)],
    field: &'static str,
    label: &'static str,
}

const INVITE: Change = Change {
    done: "statement-invited",
    labels: &[
        ("countries", "statements-field-countries-to-invite"),
        ("role", "statements-field-their-part"),
    ],
    field: "countries",
    label: "statements-field-countries-to-invite",
};
const UNINVITE: Change = Change {
    done: "statement-uninvited",
    labels: &[],
    field: "participants",
    label: "statements-field-participants",
};
const APPROVE: Change = Change {
    done: "statement-approved",
    labels: &[],
    field: "answer",
    label: "statements-field-answer",
};
const DECLINE: Change = Change {
    done: "statement-declined",
    labels: &[("reason", "statements-field-reason")],
    field: "reason",
    label: "statements-field-reason",
};
const WITHDRAW: Change = Change {
    done: "statement-withdrawn",
    ..APPROVE
};
const FINALIZE: Change = Change {
    done: "statement-finalized",
    labels: &[],
    field: "finalize",
    label: "statements-field-finalize",
};
const DELIVER: Change = Change {
    done: "statement-delivered",
    labels: &[
        ("deliveredAt", "statements-field-delivered-at"),
        ("channel", "statements-field-channel"),
    ],
    field: "deliveredAt",
    label: "statements-field-delivered-at",
};

/// After a change: back to the statement saying so. A refusal the person
/// can act on comes back on the statement page (as it is now) beside the
/// form used, with what was typed; anything else is a refusal page.
async fn after(
    web: &Web,
    viewer: &Viewer,
    id: Uuid,
    result: Result<SeenStatement, AppError>,
    change: &Change,
    typed: Typed,
) -> Result<Response, WebError> {
    let err = match result {
        Ok(seen) => {
            let to = format!(
                "/statements/{}",
                ids::encode(Kind::Statement, seen.model().id)
            );
            return Ok(done(&to, change.done));
        }
        Err(err) => err,
    };
    let status = match &err {
        AppError::BadUserInput(_) => StatusCode::BAD_REQUEST,
        AppError::StaleVersion { .. } | AppError::Conflict(_) | AppError::ConsentRequired(_) => {
            StatusCode::CONFLICT
        }
        _ => return Err(err.into()),
    };
    let (field, label, message) = match &err {
        AppError::BadUserInput(input) => {
            let name = list_field(&input.field);
            match change.labels.iter().find(|(f, _)| *f == name) {
                Some((f, l)) => (*f, *l, input.reason.text()),
                None => (change.field, change.label, input.reason.text()),
            }
        }
        other => (change.field, change.label, sentence(other)),
    };
    let mut errors = FormErrors::default();
    errors.add(field, &t(label), message);
    let seen = policy::find(&web.state.db, viewer, id).await?;
    let page = statement_view(web, viewer, seen, errors, typed, None).await?;
    Ok(html(status, &page))
}

// ---------------------------------------------------------------------------
// Revising: a page of its own, so the statement page does not carry a long
// text twice (once to read, once in a text box).

#[derive(Template)]
#[template(path = "statement_revise.html")]
struct RevisePage {
    nav: Nav,
    errors: FormErrors,
    id: String,
    title: String,
    /// The base version, pinned in the form.
    current: i32,
    current_author: String,
    /// The current text shown to read, only beside a refused attempt (the
    /// text box then holds what was typed, not this).
    current_text: Option<String>,
    body: String,
    max_body: usize,
}

/// The revise form of a statement the viewer may revise now, as
/// `reviseStatement` would decide: open, and the viewer's part allows it.
/// `typed` is a refused attempt's text, kept; without it the box holds the
/// current text.
async fn revise_view(
    web: &Web,
    viewer: &Viewer,
    seen: SeenStatement,
    errors: FormErrors,
    typed: Option<String>,
) -> Result<RevisePage, WebError> {
    if !seen.status()?.is_open() {
        return Err(AppError::Conflict(msg!("conflict-the-statement-is-final-nothing")).into());
    }
    policy::may_revise(viewer, &seen)?;
    let m = seen.model();
    let versions = policy::versions_of(&web.state.db, &[seen.key()]).await?;
    let current = versions
        .iter()
        .find(|v| v.number == m.current_version)
        .ok_or_else(|| AppError::internal("current version missing"))?;
    let (current_text, body) = match typed {
        Some(body) => (Some(current.body.clone()), body),
        None => (None, current.body.clone()),
    };
    Ok(RevisePage {
        nav: nav(web, viewer, None).await?,
        errors,
        id: ids::encode(Kind::Statement, m.id),
        title: m.title.clone(),
        current: current.number,
        current_author: country_label(&current.author_country),
        current_text,
        body,
        max_body: service::MAX_BODY,
    })
}

/// `GET /statements/{id}/revise`: the current text in a box, its version
/// pinned. NOT_FOUND as on the statement page; a refusal page for a viewer
/// who may not revise or a final statement.
async fn revise_page(
    State(web): State<Web>,
    SignedIn(viewer): SignedIn,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let id = statement_id(&id)?;
    let seen = policy::find(&web.state.db, &viewer, id).await?;
    let page = revise_view(&web, &viewer, seen, FormErrors::default(), None).await?;
    Ok(ok(&page))
}

#[derive(Deserialize)]
pub struct ReviseForm {
    #[serde(default)]
    base: i32,
    #[serde(default)]
    body: String,
}

/// `POST /statements/{id}/revise`: `reviseStatement` on the pinned base. A
/// stale base or a mistake in the text comes back on the revise page with
/// the typed text kept (and, when stale, the new current text to read).
async fn revise(
    State(web): State<Web>,
    SignedIn(viewer): SignedIn,
    Path(id): Path<String>,
    Form(form): Form<ReviseForm>,
) -> Result<Response, WebError> {
    let id = statement_id(&id)?;
    let body = lf(&form.body);
    let err = match service::revise(&web.state, &viewer, id, form.base, body.clone()).await {
        Ok(seen) => {
            let to = format!(
                "/statements/{}",
                ids::encode(Kind::Statement, seen.model().id)
            );
            return Ok(done(&to, "statement-revised"));
        }
        Err(err) => err,
    };
    let status = match &err {
        AppError::BadUserInput(_) => StatusCode::BAD_REQUEST,
        AppError::StaleVersion { .. } => StatusCode::CONFLICT,
        _ => return Err(err.into()),
    };
    let errors = FormErrors::from_error(&err, &[("body", "statements-field-new-text")], "body");
    let seen = policy::find(&web.state.db, &viewer, id).await?;
    let page = revise_view(&web, &viewer, seen, errors, Some(body)).await?;
    Ok(html(status, &page))
}

/// `POST /statements/{id}/invite`: `inviteToStatement`, countries by name.
async fn invite(
    State(web): State<Web>,
    SignedIn(viewer): SignedIn,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let id = statement_id(&id)?;
    let countries = all(&pairs, "countries");
    let role_raw = one(&pairs, "role");
    let role = match role_raw.as_str() {
        "" => None,
        r => ParticipantRole::from_stored(r),
    };
    let result = service::invite(&web.state, &viewer, id, &countries, role).await;
    let typed = Typed {
        invite: countries,
        role: role_raw,
        ..Typed::default()
    };
    after(&web, &viewer, id, result, &INVITE, typed).await
}

/// `POST /statements/{id}/uninvite`: `uninviteFromStatement`.
async fn uninvite(
    State(web): State<Web>,
    SignedIn(viewer): SignedIn,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let id = statement_id(&id)?;
    let countries = all(&pairs, "countries");
    let result = service::uninvite(&web.state, &viewer, id, &countries).await;
    after(&web, &viewer, id, result, &UNINVITE, Typed::default()).await
}

#[derive(Deserialize)]
pub struct ApproveForm {
    #[serde(default)]
    version: i32,
}

/// `POST /statements/{id}/approve`: `approveStatement` of exactly the
/// version the page showed; if it was revised since, nothing is approved and
/// the page says so.
async fn approve(
    State(web): State<Web>,
    SignedIn(viewer): SignedIn,
    Path(id): Path<String>,
    Form(form): Form<ApproveForm>,
) -> Result<Response, WebError> {
    let id = statement_id(&id)?;
    let answer = service::Answer::Approve(form.version);
    let result = service::answer(&web.state, &viewer, id, answer).await;
    after(&web, &viewer, id, result, &APPROVE, Typed::default()).await
}

#[derive(Deserialize)]
pub struct DeclineForm {
    #[serde(default)]
    reason: String,
}

/// `POST /statements/{id}/decline`: `declineStatement`, with an optional reason.
async fn decline(
    State(web): State<Web>,
    SignedIn(viewer): SignedIn,
    Path(id): Path<String>,
    Form(form): Form<DeclineForm>,
) -> Result<Response, WebError> {
    let id = statement_id(&id)?;
    let reason = lf(&form.reason);
    let answer = service::Answer::Decline(Some(reason.clone()));
    let result = service::answer(&web.state, &viewer, id, answer).await;
    let typed = Typed {
        reason,
        ..Typed::default()
    };
    after(&web, &viewer, id, result, &DECLINE, typed).await
}

/// `POST /statements/{id}/withdraw`: `withdrawApproval`.
async fn withdraw(
    State(web): State<Web>,
    SignedIn(viewer): SignedIn,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let id = statement_id(&id)?;
    let result = service::answer(&web.state, &viewer, id, service::Answer::Withdraw).await;
    after(&web, &viewer, id, result, &WITHDRAW, Typed::default()).await
}

#[derive(Deserialize)]
pub struct FinalizeForm {
    #[serde(default)]
    version: i32,
}

/// `POST /statements/{id}/finalize`: `finalizeStatement` with the version
/// the page showed (pinned in the form): if the text was revised since,
/// nothing is frozen and the page says so. An early refusal names the
/// countries that have not answered.
async fn finalize(
    State(web): State<Web>,
    SignedIn(viewer): SignedIn,
    Path(id): Path<String>,
    Form(form): Form<FinalizeForm>,
) -> Result<Response, WebError> {
    let id = statement_id(&id)?;
    let result = service::finalize(&web.state, &viewer, id, Some(form.version)).await;
    after(&web, &viewer, id, result, &FINALIZE, Typed::default()).await
}

#[derive(Deserialize)]
pub struct DeliverForm {
    #[serde(default, rename = "deliveredAt")]
    delivered_at: String,
    #[serde(default)]
    channel: String,
}

/// `POST /statements/{id}/deliver`: `markStatementDelivered`.
async fn deliver(
    State(web): State<Web>,
    SignedIn(viewer): SignedIn,
    Path(id): Path<String>,
    Form(form): Form<DeliverForm>,
) -> Result<Response, WebError> {
    let id = statement_id(&id)?;
    let result = match (
        utc_input("deliveredAt", &form.delivered_at),
        DeliveryChannel::from_stored(&form.channel)
            .ok_or_else(|| AppError::bad_input("channel", msg!("statements-error-channel"))),
    ) {
        (Ok(at), Ok(channel)) => service::deliver(&web.state, &viewer, id, at, channel).await,
        (Err(err), _) | (_, Err(err)) => Err(err),
    };
    let typed = Typed {
        delivered_at: form.delivered_at,
        channel: form.channel,
        ..Typed::default()
    };
    after(&web, &viewer, id, result, &DELIVER, typed).await
}

/// `POST /statements/{id}/export`: the final text and its signatories as a
/// Markdown file (`exportMarkdown`). A POST, since every export is audited.
async fn export(
    State(web): State<Web>,
    SignedIn(viewer): SignedIn,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let id = statement_id(&id)?;
    let seen = policy::find(&web.state.db, &viewer, id).await?;
    let Some(markdown) = service::export_markdown(&web.state, &viewer, &seen).await? else {
        return Err(AppError::Conflict(msg!("conflict-the-statement-is-not-final")).into());
    };
    let name = format!(
        "attachment; filename=\"{}.md\"",
        file_name(&seen.model().title)
    );
    let mut response = (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/markdown; charset=utf-8"),
            ),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
        ],
        markdown,
    )
        .into_response();
    if let Ok(value) = HeaderValue::from_str(&name) {
        response
            .headers_mut()
            .insert(header::CONTENT_DISPOSITION, value);
    }
    Ok(response)
}

/// A file name from a title: ASCII letters and digits joined by dashes.
fn file_name(title: &str) -> String {
    let mut out = String::new();
    for word in title
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        if out.len() + word.len() > 60 {
            break;
        }
        if !out.is_empty() {
            out.push('-');
        }
        out.push_str(&word.to_ascii_lowercase());
    }
    if out.is_empty() {
        "statement".to_owned()
    } else {
        out
    }
}

// ---------------------------------------------------------------------------
// The difference between two versions.

/// One line of a difference.
enum DiffLine {
    /// The line of the newer version where a run of changes starts.
    Hunk(String),
    Same(String),
    Removed(String),
    Added(String),
}

/// Reads `line_diff`'s unified diff into lines a page shows.
fn diff_lines(unified: &str) -> Vec<DiffLine> {
    let mut out = Vec::new();
    for (i, line) in unified.lines().enumerate() {
        if i < 2 && (line.starts_with("--- ") || line.starts_with("+++ ")) {
            continue;
        }
        if let Some(hunk) = line.strip_prefix("@@ ") {
            let start = hunk
                .split_whitespace()
                .find_map(|part| part.strip_prefix('+'))
                .and_then(|p| p.split(',').next())
                .unwrap_or("1");
            out.push(DiffLine::Hunk(start.to_owned()));
        } else if let Some(text) = line.strip_prefix('-') {
            out.push(DiffLine::Removed(text.to_owned()));
        } else if let Some(text) = line.strip_prefix('+') {
            out.push(DiffLine::Added(text.to_owned()));
        } else if let Some(text) = line.strip_prefix(' ') {
            out.push(DiffLine::Same(text.to_owned()));
        }
        // "\ No newline at end of file" says nothing a reader needs.
    }
    out
}

#[derive(Template)]
#[template(path = "statement_diff.html")]
struct DiffPage {
    nav: Nav,
    errors: FormErrors,
    id: String,
    title: String,
    numbers: Vec<i32>,
    from: i32,
    to: i32,
    lines: Vec<DiffLine>,
    removed: usize,
    added: usize,
    shown: bool,
}

#[derive(Deserialize)]
pub struct DiffQuery {
    from: Option<String>,
    to: Option<String>,
}

/// `GET /statements/{id}/diff?from=N&to=M`: `Statement.diff`, on the same
/// pool and limits; a version that does not exist is said beside its field.
async fn diff_page(
    State(web): State<Web>,
    SignedIn(viewer): SignedIn,
    Path(raw_id): Path<String>,
    Query(q): Query<DiffQuery>,
) -> Result<Response, WebError> {
    let id = statement_id(&raw_id)?;
    let seen = policy::find(&web.state.db, &viewer, id).await?;
    let current = seen.model().current_version;
    let numbers: Vec<i32> = (1..=current).collect();
    let mut errors = FormErrors::default();
    let from_label = t("statements-field-from");
    let to_label = t("statements-field-to");
    let mut number = |field: &str, label: &str, raw: Option<&str>, default: i32| -> i32 {
        match raw.map(str::trim).filter(|r| !r.is_empty()) {
            None => default,
            Some(r) => r.parse().unwrap_or_else(|_| {
                errors.add(field, label, t("statements-error-version-number"));
                0
            }),
        }
    };
    let from = number("from", &from_label, q.from.as_deref(), (current - 1).max(1));
    let to = number("to", &to_label, q.to.as_deref(), current);
    let mut page = DiffPage {
        nav: nav(&web, &viewer, None).await?,
        errors: FormErrors::default(),
        id: raw_id,
        title: seen.model().title.clone(),
        numbers,
        from,
        to,
        lines: Vec::new(),
        removed: 0,
        added: 0,
        shown: false,
    };
    if errors.is_empty() {
        let old = policy::version(&web.state.db, &seen, from).await?;
        let new = policy::version(&web.state.db, &seen, to).await?;
        match (old, new) {
            (Some(old), Some(new)) => {
                let unified = service::diff(&web.state, old, new).await?;
                page.lines = diff_lines(&unified);
                page.removed = page
                    .lines
                    .iter()
                    .filter(|l| matches!(l, DiffLine::Removed(_)))
                    .count();
                page.added = page
                    .lines
                    .iter()
                    .filter(|l| matches!(l, DiffLine::Added(_)))
                    .count();
                page.shown = true;
            }
            (old, new) => {
                if old.is_none() {
                    errors.add("from", &from_label, t("statements-error-no-version"));
                }
                if new.is_none() {
                    errors.add("to", &to_label, t("statements-error-no-version"));
                }
            }
        }
    }
    if !errors.is_empty() {
        page.errors = errors;
        return Ok(html(StatusCode::BAD_REQUEST, &page));
    }
    Ok(ok(&page))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_unified_diff_reads_as_removed_and_added_lines() {
        let unified = "--- version 1\n+++ version 2\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n\\ No newline at end of file\n";
        let lines = diff_lines(unified);
        assert_eq!(lines.len(), 5);
        assert!(matches!(&lines[0], DiffLine::Hunk(h) if h == "1"));
        assert!(matches!(&lines[2], DiffLine::Removed(t) if t == "b"));
        assert!(matches!(&lines[3], DiffLine::Added(t) if t == "B"));
        // A removed line that itself starts with dashes is still a line.
        let tricky = diff_lines("--- version 1\n+++ version 2\n@@ -1 +1 @@\n---- x\n++++ y\n");
        assert!(matches!(&tricky[1], DiffLine::Removed(t) if t == "--- x"));
        assert!(matches!(&tricky[2], DiffLine::Added(t) if t == "+++ y"));
    }

    #[test]
    fn times_in_utc_and_the_viewers_own_zone() {
        let at = DateTime::parse_from_rfc3339("2027-03-01T09:00:00Z")
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or_default();
        let en = Lang::SOURCE;
        // A viewer on UTC reads the instant once.
        assert_eq!(
            when_in(en, at, chrono_tz::UTC),
            "Monday 1 March 2027, 9:00 AM (UTC)"
        );
        // Anyone else reads their own clock beside it.
        assert_eq!(
            when_in(en, at, chrono_tz::Europe::Amsterdam),
            "Monday 1 March 2027, 9:00 AM (UTC) · 10:00 AM your time (Europe/Amsterdam)"
        );
        assert_eq!(
            when_in(en, at, chrono_tz::Asia::Manila),
            "Monday 1 March 2027, 9:00 AM (UTC) · 5:00 PM your time (Asia/Manila)"
        );
        // Another day on the viewer's clock names that day.
        let late = at + chrono::Duration::hours(12);
        assert_eq!(
            when_in(en, late, chrono_tz::Asia::Manila),
            "Monday 1 March 2027, 9:00 PM (UTC) · Tuesday 2 March 2027, 5:00 AM your time (Asia/Manila)"
        );
        // In the viewer's language.
        let fr = Lang::parse("fr").unwrap_or_default();
        let french = when_in(fr, at, chrono_tz::Europe::Amsterdam);
        assert!(
            french.contains("09:00 (UTC)") && french.contains("10:00 chez vous (Europe/Amsterdam)"),
            "{french}"
        );
    }

    #[test]
    fn file_names_and_form_values() {
        assert_eq!(
            file_name("Joint démarche on Ana's trial"),
            "joint-d-marche-on-ana-s-trial"
        );
        assert_eq!(file_name("«»"), "statement");
        assert_eq!(lf("a\r\nb\r\n"), "a\nb\n");
        let pairs = vec![
            ("countries".to_owned(), "NL".to_owned()),
            ("countries".to_owned(), "DE".to_owned()),
            ("countries".to_owned(), String::new()),
        ];
        assert_eq!(all(&pairs, "countries"), ["NL", "DE"]);
        assert_eq!(one(&pairs, "missing"), "");
        assert!(utc_input("d", "2026-12-20T10:30").is_ok());
        assert!(utc_input("d", "tomorrow").is_err());
    }
}
