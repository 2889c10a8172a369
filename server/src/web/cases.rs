//! The coordinator's cases and hearings: the cases list (each row redacted
//! for the viewer exactly as the API redacts it), a case page, opening a
//! case, consent, sharing, scheduling and updating hearings, and the
//! coverage-gaps view. Every read and write is the call the GraphQL
//! resolver makes, with the same viewer: the page shows what the API shows.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Form, Router};
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use sea_orm::{ColumnTrait, QueryFilter};
use serde::Deserialize;
use uuid::Uuid;

use super::Web;
use super::error::WebError;
use super::page::{Choice, Flash, FormErrors, Nav, choices, done, html, ok};
use super::session::encode_component;
use crate::auth::Viewer;
use crate::domain::case::{
    CaseCategory, CaseStatus, ConsentGiver, RiskLevel, ShareLevel, Visibility,
};
use crate::domain::hearing::{self as hearing_domain, HearingStatus};
use crate::domain::ids::{self, Kind};
use crate::domain::{CountryCode, Role, parse_timezone};
use crate::error::{AppError, LockReason};
use crate::i18n::{When, t};
use crate::msg;
use crate::policy::cases::{self as case_policy, Cases, Seen};
use crate::policy::directory as directory_policy;
use crate::policy::hearings::{self as hearing_policy, Hearings};
use crate::policy::paging::{self, Positioned};
use crate::policy::reveals::{self as reveal_policy, Side};
use crate::service::reveals::{self as reveal_service, RevealState};
use crate::service::{
    auth, calendar, cases as case_service, directory, hearings as hearing_service,
};
use crate::store::{case, coalition, hearing, identity_reveal, roster_claim};

/// Confirmations this area's changes end with (`page::done`).
pub const DONE: &[(&str, &str)] = &[
    ("case-created", "cases-done-case-created"),
    ("consent-recorded", "cases-done-consent-recorded"),
    ("case-shared", "cases-done-case-shared"),
    ("case-unshared", "cases-done-case-unshared"),
    ("hearing-scheduled", "cases-done-hearing-scheduled"),
    ("hearing-updated", "cases-done-hearing-updated"),
    ("reveal-requested", "cases-done-reveal-requested"),
    ("reveal-approved", "cases-done-reveal-approved"),
    ("reveal-denied", "cases-done-reveal-denied"),
    ("reveal-revoked", "cases-done-reveal-revoked"),
];

/// This area's routes.
pub fn routes() -> Router<Web> {
    Router::new()
        .route("/cases", get(list_page).post(create))
        .route("/cases/new", get(new_page))
        .route("/cases/{id}", get(case_page))
        .route("/cases/{id}/consent", post(record_consent))
        .route("/cases/{id}/share", post(share))
        .route("/cases/{id}/unshare", post(unshare))
        .route("/cases/{id}/reveals", post(request_reveal))
        .route("/cases/{id}/reveals/{rid}/decide", post(decide_reveal))
        .route("/cases/{id}/reveals/{rid}/revoke", post(revoke_reveal))
        .route(
            "/cases/{id}/hearings/new",
            get(new_hearing_page).post(schedule),
        )
        .route("/hearings/{id}/edit", get(edit_hearing_page).post(update))
        .route("/coverage", get(coverage_page))
}

// ---------------------------------------------------------------------------
// Words and choices.

fn category_label(c: CaseCategory) -> &'static str {
    match c {
        CaseCategory::WomanHrd => "cases-category-woman-hrd",
        CaseCategory::Environmental => "cases-category-environmental",
        CaseCategory::LandRights => "cases-category-land-rights",
        CaseCategory::Indigenous => "cases-category-indigenous",
        CaseCategory::Lgbti => "cases-category-lgbti",
        CaseCategory::Journalist => "cases-category-journalist",
        CaseCategory::Lawyer => "cases-category-lawyer",
        CaseCategory::TradeUnionist => "cases-category-trade-unionist",
        CaseCategory::Student => "cases-category-student",
        CaseCategory::Other => "cases-category-other",
    }
}

fn risk_label(r: RiskLevel) -> &'static str {
    match r {
        RiskLevel::Low => "cases-risk-low",
        RiskLevel::Medium => "cases-risk-medium",
        RiskLevel::High => "cases-risk-high",
        RiskLevel::Critical => "cases-risk-critical",
    }
}

fn status_label(s: CaseStatus) -> &'static str {
    match s {
        CaseStatus::AtRisk => "cases-status-at-risk",
        CaseStatus::Detained => "cases-status-detained",
        CaseStatus::OnTrial => "cases-status-on-trial",
        CaseStatus::Released => "cases-status-released",
        CaseStatus::Relocated => "cases-status-relocated",
        CaseStatus::Closed => "cases-status-closed",
    }
}

fn level_label(l: ShareLevel) -> &'static str {
    match l {
        ShareLevel::Summary => "cases-share-level-summary",
        ShareLevel::Detail => "cases-share-level-detail",
    }
}

fn short_level(l: ShareLevel) -> &'static str {
    match l {
        ShareLevel::Summary => "cases-share-level-summary-short",
        ShareLevel::Detail => "cases-share-level-detail-short",
    }
}

fn giver_label(g: ConsentGiver) -> &'static str {
    match g {
        ConsentGiver::Defender => "cases-giver-defender",
        ConsentGiver::Family => "cases-giver-family",
        ConsentGiver::Representative => "cases-giver-representative",
    }
}

fn visibility_label(v: Visibility) -> &'static str {
    match v {
        Visibility::Summary => "cases-visibility-summary",
        Visibility::Detail => "cases-visibility-detail",
        Visibility::Owner => "cases-visibility-owner",
    }
}

fn hearing_status_label(s: HearingStatus) -> &'static str {
    match s {
        HearingStatus::Scheduled => "cases-hearing-status-scheduled",
        HearingStatus::Postponed => "cases-hearing-status-postponed",
        HearingStatus::Held => "cases-hearing-status-held",
        HearingStatus::Cancelled => "cases-hearing-status-cancelled",
    }
}

fn stored<T>(
    raw: &str,
    parse: fn(&str) -> Option<T>,
    label: fn(T) -> &'static str,
) -> &'static str {
    parse(raw).map_or("cases-unknown", label)
}

/// "Philippines (PH)".
/// "Canada (CA)".
pub(super) fn country_name(code: &str) -> String {
    super::page::country_label(CountryCode::from_stored(code))
}

fn country_choices(current: &str) -> Vec<Choice> {
    super::page::country_choices(current)
}

/// A time as people read it here: the court's own clock with its zone,
/// and the viewer's clock beside it when it shows another time.
fn when(at: DateTime<Utc>, court_zone: &str, mine: Tz) -> When {
    let zone = court_zone.parse::<Tz>().unwrap_or(Tz::UTC);
    crate::i18n::current().when(at, zone, Some(mine))
}

/// A refused form's errors: a field's mistake beside its field (`fields`:
/// the service's field name, the input's id, its label's message id),
/// anything else at `fallback` (the input's id, its label's message id) as
/// the API's sentence.
fn form_errors(
    err: &AppError,
    fields: &[(&str, &str, &str)],
    fallback: (&str, &str),
) -> FormErrors {
    let mut errors = FormErrors::default();
    match err {
        AppError::BadUserInput(input) => {
            let (id, label) = fields
                .iter()
                .find(|(field, _, _)| *field == input.field)
                .map_or(fallback, |(_, id, label)| (*id, *label));
            errors.add(id, &t(label), capitalised(&input.reason.text()));
        }
        other => errors.add(fallback.0, &t(fallback.1), super::error::sentence(other)),
    }
    errors
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The status a refused form comes back with; `None` when the refusal is
/// not about the form (it is a page of its own, as the API's code says).
fn form_status(err: &AppError) -> Option<StatusCode> {
    match err {
        AppError::BadUserInput(_) => Some(StatusCode::BAD_REQUEST),
        AppError::ConsentRequired(_) | AppError::Conflict(_) | AppError::StaleVersion { .. } => {
            Some(StatusCode::CONFLICT)
        }
        _ => None,
    }
}

async fn nav_of(
    web: &Web,
    viewer: &Viewer,
    current: &str,
    flash: Option<String>,
) -> Result<Nav, WebError> {
    let me = auth::current_user(&web.state, viewer).await?;
    Ok(Nav::of(viewer, &me.display_name, current).with_flash(flash))
}

/// A case's row id from its address; anything else reads as missing.
fn case_uuid(id: &str) -> Result<Uuid, WebError> {
    ids::decode(Kind::Case, id).ok_or(WebError(AppError::NotFound))
}

fn hearing_uuid(id: &str) -> Result<Uuid, WebError> {
    ids::decode(Kind::Hearing, id).ok_or(WebError(AppError::NotFound))
}

fn case_href(id: Uuid) -> String {
    format!("/cases/{}", ids::encode(Kind::Case, id))
}

// ---------------------------------------------------------------------------
// The cases list.

#[derive(Deserialize, Default)]
pub struct ListQuery {
    #[serde(default, rename = "hostCountry")]
    host_country: String,
    #[serde(default)]
    status: String,
    #[serde(default, rename = "riskLevel")]
    risk_level: String,
    #[serde(default)]
    category: String,
    #[serde(default)]
    search: String,
    after: Option<String>,
}

/// One case as the list shows it: the summary fields for everyone, the
/// detail fields only where the API returns them (`None` otherwise).
pub struct CaseRow {
    pub href: String,
    pub reference: String,
    pub visibility: String,
    pub host: String,
    pub status: String,
    pub risk: String,
    pub categories: String,
    pub pseudonym: Option<String>,
    pub region: Option<String>,
    pub owner: Option<String>,
}

#[derive(Template)]
#[template(path = "cases.html")]
struct ListPage {
    nav: Nav,
    errors: FormErrors,
    search: String,
    hosts: Vec<Choice>,
    statuses: Vec<Choice>,
    risks: Vec<Choice>,
    categories: Vec<Choice>,
    rows: Vec<CaseRow>,
    total: u64,
    filtered: bool,
    /// `yes` or `no`, for the caption's message.
    filtered_key: &'static str,
    next_href: Option<String>,
    first_href: Option<String>,
    may_create: bool,
}

const FILTER_FIELDS: &[(&str, &str, &str)] = &[
    (
        "filter.hostCountry",
        "hostCountry",
        "cases-field-host-country",
    ),
    ("filter.search", "search", "cases-field-search"),
    ("after", "search", "cases-field-page"),
];

/// A GET parameter, `None` when left empty.
fn pick(raw: &str) -> Option<&str> {
    Some(raw.trim()).filter(|r| !r.is_empty())
}

impl ListQuery {
    /// The policy's filter, as the GraphQL `cases` query builds it.
    fn filter(&self) -> Result<case_policy::CaseFilter, AppError> {
        let bad = |field: &str| AppError::bad_input(field, msg!("input-not-one-of-the-choices"));
        Ok(case_policy::CaseFilter {
            host_country: pick(&self.host_country)
                .map(|h| CountryCode::parse("filter.hostCountry", h))
                .transpose()?,
            status: pick(&self.status)
                .map(|s| CaseStatus::from_stored(s).ok_or_else(|| bad("filter.status")))
                .transpose()?,
            risk_level: pick(&self.risk_level)
                .map(|s| RiskLevel::from_stored(s).ok_or_else(|| bad("filter.riskLevel")))
                .transpose()?,
            category: pick(&self.category)
                .map(|s| CaseCategory::from_stored(s).ok_or_else(|| bad("filter.category")))
                .transpose()?,
            updated_since: None,
            search: pick(&self.search).map(str::to_owned),
        })
    }

    /// The filters as a query string (for the pager's links).
    fn query_string(&self) -> String {
        [
            ("hostCountry", &self.host_country),
            ("status", &self.status),
            ("riskLevel", &self.risk_level),
            ("category", &self.category),
            ("search", &self.search),
        ]
        .iter()
        .filter(|(_, v)| !v.trim().is_empty())
        .map(|(k, v)| format!("{k}={}", encode_component(v.trim())))
        .collect::<Vec<_>>()
        .join("&")
    }
}

/// `GET /cases`: the cases the viewer may see, 50 a page, filtered.
async fn list_page(
    State(web): State<Web>,
    super::session::SignedIn(viewer): super::session::SignedIn,
    Flash(flash): Flash,
    Query(q): Query<ListQuery>,
) -> Result<Response, WebError> {
    let nav = nav_of(&web, &viewer, "/cases", flash).await?;
    let mut page = ListPage {
        nav,
        errors: FormErrors::default(),
        search: q.search.clone(),
        hosts: country_choices(q.host_country.trim()),
        statuses: choices(CaseStatus::ALL, CaseStatus::as_str, status_label, &q.status),
        risks: choices(RiskLevel::ALL, RiskLevel::as_str, risk_label, &q.risk_level),
        categories: choices(
            CaseCategory::ALL,
            CaseCategory::as_str,
            category_label,
            &q.category,
        ),
        rows: Vec::new(),
        total: 0,
        filtered: !q.query_string().is_empty(),
        filtered_key: if q.query_string().is_empty() {
            "no"
        } else {
            "yes"
        },
        next_href: None,
        first_href: None,
        may_create: case_policy::owner_for_new_case(&viewer).is_ok(),
    };
    let listed = match q.filter() {
        Ok(filter) => {
            paging::list::<Cases>(
                &web.state.db,
                &viewer,
                filter,
                Some(paging::DEFAULT_PAGE),
                q.after.clone(),
            )
            .await
        }
        Err(err) => Err(err),
    };
    let (seen, shape) = match listed {
        Ok(listed) => listed,
        Err(err @ AppError::BadUserInput(_)) => {
            page.errors = form_errors(&err, FILTER_FIELDS, ("search", "cases-field-filters"));
            return Ok(html(StatusCode::BAD_REQUEST, &page));
        }
        Err(err) => return Err(err.into()),
    };
    let keys: Vec<_> = seen.iter().map(|c| c.key()).collect();
    let categories = case_policy::categories_of(&web.state.db, &keys).await?;
    let filters = q.query_string();
    let with = |extra: &str| -> String {
        match (filters.is_empty(), extra.is_empty()) {
            (true, true) => "/cases".to_owned(),
            (true, false) => format!("/cases?{extra}"),
            (false, true) => format!("/cases?{filters}"),
            (false, false) => format!("/cases?{filters}&{extra}"),
        }
    };
    page.next_href = shape
        .has_next
        .then(|| {
            seen.last()
                .map(|last| with(&format!("after={}", last.position().cursor())))
        })
        .flatten();
    page.first_href = shape.has_previous.then(|| with(""));
    page.total = shape.total_count;
    page.rows = seen
        .iter()
        .map(|c| {
            let m = c.model();
            let detail = case_policy::may_read_detail(c);
            let mut cats: Vec<CaseCategory> = categories
                .iter()
                .filter(|row| row.case_id == m.id)
                .filter_map(|row| CaseCategory::from_stored(&row.category))
                .collect();
            cats.sort();
            CaseRow {
                href: case_href(m.id),
                reference: m.reference.clone(),
                visibility: t(visibility_label(c.level())),
                host: country_name(&m.host_country),
                status: t(stored(&m.status, CaseStatus::from_stored, status_label)),
                risk: t(stored(&m.risk_level, RiskLevel::from_stored, risk_label)),
                categories: cats
                    .into_iter()
                    .map(|c| t(category_label(c)))
                    .collect::<Vec<_>>()
                    .join(", "),
                pseudonym: detail.then(|| m.pseudonym.clone()),
                region: if detail { m.region.clone() } else { None },
                owner: detail.then(|| country_name(&m.owner_country)),
            }
        })
        .collect();
    Ok(ok(&page))
}

// ---------------------------------------------------------------------------
// Opening a case.

/// What was typed into the new-case form (kept when it comes back).
#[derive(Default)]
pub struct CaseForm {
    pub pseudonym: String,
    pub host_country: String,
    pub region: String,
    pub categories: Vec<String>,
    pub risk_level: String,
    pub status: String,
    pub summary: String,
    pub legal_name: String,
    pub contact: String,
    pub location: String,
    pub notes: String,
}

impl CaseForm {
    fn from_pairs(pairs: Vec<(String, String)>) -> CaseForm {
        let mut form = CaseForm::default();
        for (key, value) in pairs {
            match key.as_str() {
                "pseudonym" => form.pseudonym = value,
                "hostCountry" => form.host_country = value,
                "region" => form.region = value,
                "categories" => form.categories.push(value),
                "riskLevel" => form.risk_level = value,
                "status" => form.status = value,
                "summary" => form.summary = value,
                "legalName" => form.legal_name = value,
                "contact" => form.contact = value,
                "location" => form.location = value,
                "notes" => form.notes = value,
                _ => {}
            }
        }
        form
    }
}

#[derive(Template)]
#[template(path = "case_new.html")]
struct NewCasePage {
    nav: Nav,
    errors: FormErrors,
    form: CaseForm,
    hosts: Vec<Choice>,
    categories: Vec<Choice>,
    risks: Vec<Choice>,
    statuses: Vec<Choice>,
}

impl NewCasePage {
    fn new(nav: Nav, errors: FormErrors, form: CaseForm) -> NewCasePage {
        let categories = CaseCategory::ALL
            .iter()
            .map(|&c| Choice {
                value: c.as_str().to_owned(),
                label: t(category_label(c)),
                selected: form.categories.iter().any(|v| v == c.as_str()),
            })
            .collect();
        NewCasePage {
            nav,
            errors,
            hosts: country_choices(&form.host_country),
            categories,
            risks: choices(
                RiskLevel::ALL,
                RiskLevel::as_str,
                risk_label,
                &form.risk_level,
            ),
            statuses: choices(
                CaseStatus::ALL,
                CaseStatus::as_str,
                status_label,
                &form.status,
            ),
            form,
        }
    }
}

const CASE_FIELDS: &[(&str, &str, &str)] = &[
    ("pseudonym", "pseudonym", "cases-field-pseudonym"),
    ("hostCountry", "hostCountry", "cases-field-host-country"),
    ("region", "region", "cases-field-region"),
    ("categories", "categories", "cases-field-categories"),
    ("riskLevel", "riskLevel", "cases-field-risk-level"),
    ("status", "status", "cases-field-status"),
    ("summary", "summary", "cases-field-summary"),
    ("identity.legalName", "legalName", "cases-field-legal-name"),
    ("identity.contact", "contact", "cases-field-contact"),
    ("identity.location", "location", "cases-field-location"),
    ("identity.notes", "notes", "cases-field-notes"),
];

/// `GET /cases/new`: only for those who may open a case (as the API's
/// `createCase`); others get the API's refusal.
async fn new_page(
    State(web): State<Web>,
    super::session::SignedIn(viewer): super::session::SignedIn,
) -> Result<Response, WebError> {
    case_policy::owner_for_new_case(&viewer)?;
    let nav = nav_of(&web, &viewer, "/cases", None).await?;
    Ok(ok(&NewCasePage::new(
        nav,
        FormErrors::default(),
        CaseForm::default(),
    )))
}

fn optional(text: &str) -> Option<String> {
    Some(text.to_owned()).filter(|t| !t.trim().is_empty())
}

/// `POST /cases`: `service::cases::create_case`, as `createCase`.
async fn create(
    State(web): State<Web>,
    super::session::SignedIn(viewer): super::session::SignedIn,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let form = CaseForm::from_pairs(pairs);
    // The choices the input types need before the service can be asked.
    let mut errors = FormErrors::default();
    let risk = RiskLevel::from_stored(&form.risk_level);
    if risk.is_none() {
        errors.add(
            "riskLevel",
            &t("cases-field-risk-level"),
            t("cases-choose-risk-level"),
        );
    }
    let status = CaseStatus::from_stored(&form.status);
    if status.is_none() {
        errors.add("status", &t("cases-field-status"), t("cases-choose-status"));
    }
    let categories: Vec<CaseCategory> = form
        .categories
        .iter()
        .filter_map(|c| CaseCategory::from_stored(c))
        .collect();
    let result = match (risk, status) {
        (Some(risk_level), Some(status)) => {
            let new = case_service::NewCase {
                pseudonym: form.pseudonym.clone(),
                host_country: form.host_country.clone(),
                region: optional(&form.region),
                categories,
                risk_level,
                status,
                summary: optional(&form.summary),
                identity: Some(case_service::Identity {
                    legal_name: optional(&form.legal_name),
                    contact: optional(&form.contact),
                    location: optional(&form.location),
                    notes: optional(&form.notes),
                }),
            };
            Some(case_service::create_case(&web.state, &viewer, new).await)
        }
        _ => None,
    };
    let status = match result {
        Some(Ok(created)) => return Ok(done(&case_href(created.model().id), "case-created")),
        Some(Err(err @ AppError::IdentityLocked(_))) => {
            // What was typed stays on the form; the reason sits by the
            // identity's first field.
            errors = form_errors(&err, &[], ("legalName", "cases-identity-legend"));
            StatusCode::FORBIDDEN
        }
        Some(Err(err)) => {
            let Some(status) = form_status(&err) else {
                return Err(err.into());
            };
            errors = form_errors(&err, CASE_FIELDS, ("pseudonym", "cases-this-form"));
            status
        }
        None => StatusCode::BAD_REQUEST,
    };
    let nav = nav_of(&web, &viewer, "/cases", None).await?;
    Ok(html(status, &NewCasePage::new(nav, errors, form)))
}

// ---------------------------------------------------------------------------
// One case.

pub struct Detail {
    pub pseudonym: String,
    pub region: Option<String>,
    pub summary: Option<String>,
    pub owner: String,
    pub created: String,
    pub updated: String,
}

pub struct IdentityView {
    pub legal_name: Option<String>,
    pub contact: Option<String>,
    pub location: Option<String>,
    pub notes: Option<String>,
}

pub struct ConsentView {
    pub share: bool,
    pub trial: bool,
    pub public: bool,
    pub given_by: Option<String>,
    pub recorded_at: Option<String>,
}

pub struct ShareRow {
    pub target: String,
    pub level: String,
    /// The value the unshare form posts (`NL` or `coalition:<id>`); none
    /// for a coalition the viewer's country no longer sees (the API names
    /// it by nothing either, so it offers no way to unshare it).
    pub value: Option<String>,
}

/// A hearing of the case, as the hearing area shows it to the viewer.
pub struct HearingRow {
    pub href: String,
    pub edit_href: String,
    pub court: String,
    pub city: String,
    pub when: When,
    pub status: String,
    pub confirmed: usize,
    pub needed: i32,
}

/// An attack report linked to the case that the viewer may see.
pub struct ReportRow {
    pub href: String,
    pub reference: String,
    pub incident_date: String,
}

/// The consent form's values (the current consent, or what was ticked).
pub struct ConsentForm {
    pub share: bool,
    pub trial: bool,
    pub public: bool,
    pub givers: Vec<Choice>,
}

#[derive(Template)]
#[template(path = "case.html")]
struct CasePage {
    nav: Nav,
    errors: FormErrors,
    id: String,
    reference: String,
    visibility: String,
    host: String,
    status: String,
    risk: String,
    categories: Vec<String>,
    detail: Option<Detail>,
    /// Owner country, or a partner through a running reveal; read (and
    /// audited) when asked for.
    identity: Option<IdentityView>,
    identity_offered: bool,
    /// Why the identity stays sealed for this reader, when they asked.
    identity_locked: Option<LockedView>,
    /// The viewer's country owns the case (it decides on reveals).
    owner: bool,
    /// A partner at DETAIL who may ask for the identity.
    partner: bool,
    /// A partner's running reveal: until when (in the viewer's zone).
    revealed_until: Option<String>,
    reveals: Vec<RevealRow>,
    /// A partner may send a new request (none of theirs is open).
    may_request: bool,
    request_motivation: String,
    expiry_choices: Vec<Choice>,
    consent: Option<ConsentView>,
    shares: Option<Vec<ShareRow>>,
    hearings: Vec<HearingRow>,
    more_hearings: bool,
    reports: Vec<ReportRow>,
    may_edit: bool,
    consent_form: ConsentForm,
    share_countries: Vec<Choice>,
    share_coalitions: Vec<Choice>,
    share_levels: Vec<Choice>,
    /// The link to the trial's fairness assessment, for those who may
    /// see it or write it (`policy::assessments`).
    assessment_link: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct CaseQuery {
    #[serde(default)]
    identity: String,
}

/// What a refused form on the case page asks to keep.
#[derive(Default)]
struct Kept {
    errors: FormErrors,
    consent: Option<(bool, bool, bool, String)>,
    share: Option<(String, String)>,
    /// The motivation typed into the reveal request form.
    request: Option<String>,
}

/// Why the identity stays sealed, as a sentence with what to do.
pub struct LockedView {
    pub sentence: String,
    /// Link to the identity key page, and what it says.
    pub link: Option<String>,
}

fn locked_view(viewer: &Viewer, reason: LockReason) -> LockedView {
    let admin = viewer.role == Role::Admin;
    match reason {
        LockReason::NoCountryKey => LockedView {
            sentence: if admin {
                t("cases-locked-no-key-admin")
            } else {
                t("cases-locked-no-key")
            },
            link: admin.then(|| t("cases-locked-no-key-link")),
        },
        LockReason::NotACustodian => LockedView {
            sentence: t("cases-locked-not-custodian"),
            link: admin.then(|| t("cases-locked-not-custodian-link")),
        },
        LockReason::SessionLocked => LockedView {
            sentence: t("cases-locked-session"),
            link: None,
        },
    }
}

/// A reveal request on the case, as the viewer's side sees it.
pub struct RevealRow {
    pub id: String,
    pub facts: RevealFacts,
    pub decided: Option<String>,
    /// The owner decides it (approve or deny).
    pub decidable: bool,
    /// A running approval the viewer may revoke.
    pub revocable: bool,
    pub motivation_error: Option<String>,
    pub days_error: Option<String>,
    pub revoke_error: Option<String>,
}

/// What every list of reveal requests shows of one (the case page, the
/// identity page), with times in the reader's zone.
pub struct RevealFacts {
    pub country: String,
    pub motivation: String,
    /// Where it stands, in the reader's language.
    pub state: String,
    /// It waits for the owner's decision.
    pub pending: bool,
    pub requested: String,
    pub decision: Option<String>,
    pub expires: Option<String>,
}

impl RevealFacts {
    pub fn of(m: &identity_reveal::Model, now: DateTime<Utc>, tz: Tz) -> Self {
        RevealFacts {
            country: country_name(&m.requesting_country),
            motivation: m.motivation.clone(),
            state: t(reveal_state_label(RevealState::of(m, now))),
            pending: RevealState::of(m, now) == RevealState::Pending,
            requested: in_zone(m.created_at, tz),
            decision: m.decision_motivation.clone(),
            expires: m.expires_at.map(|at| in_zone(at, tz)),
        }
    }
}

fn reveal_state_label(state: RevealState) -> &'static str {
    match state {
        RevealState::Pending => "cases-reveal-state-pending",
        RevealState::Approved => "cases-reveal-state-approved",
        RevealState::Denied => "cases-reveal-state-denied",
        RevealState::Revoked => "cases-reveal-state-revoked",
        RevealState::Expired => "cases-reveal-state-expired",
    }
}

/// "Thursday 7 January 2027, 2:00 PM (Asia/Manila)", in the page's
/// language.
pub fn in_zone(at: DateTime<Utc>, tz: Tz) -> String {
    crate::i18n::current().datetime_in(at, tz)
}

/// How long an approval runs: the choices the decision form offers.
const REVEAL_DAYS: [i64; 3] = [7, 30, 90];

fn expiry_choices() -> Vec<Choice> {
    REVEAL_DAYS
        .iter()
        .map(|d| Choice {
            value: d.to_string(),
            label: crate::i18n::current().text1("cases-days", "count", *d),
            selected: *d == 7,
        })
        .collect()
}

fn reveal_rows(
    viewer: &Viewer,
    reveals: Vec<Seen<identity_reveal::Model, Side>>,
    now: DateTime<Utc>,
    tz: Tz,
    errors: &FormErrors,
) -> Vec<RevealRow> {
    reveals
        .into_iter()
        .map(|r| {
            let side = r.level();
            let m = r.model();
            let state = RevealState::of(m, now);
            let id = ids::encode(Kind::IdentityReveal, m.id);
            let error = |what: &str| errors.of(&format!("{what}-{id}")).map(str::to_owned);
            RevealRow {
                facts: RevealFacts::of(m, now, tz),
                decided: m.decided_at.map(|at| in_zone(at, tz)),
                decidable: side == Side::Owner && state == RevealState::Pending,
                revocable: state == RevealState::Approved
                    && (side == Side::Owner || viewer.role == Role::Admin),
                motivation_error: error("decide-motivation"),
                days_error: error("decide-days"),
                revoke_error: error("revoke-motivation"),
                id,
            }
        })
        .collect()
}

async fn case_view(
    web: &Web,
    viewer: &Viewer,
    id: Uuid,
    show_identity: bool,
    flash: Option<String>,
    kept: Kept,
) -> Result<CasePage, WebError> {
    let db = &web.state.db;
    let seen = case_policy::find(db, viewer, id).await?;
    let nav = nav_of(web, viewer, "/cases", flash).await?;
    let m = seen.model();
    let categories = {
        let rows = case_policy::categories_of(db, &[seen.key()]).await?;
        let mut cats: Vec<CaseCategory> = rows
            .iter()
            .filter_map(|r| CaseCategory::from_stored(&r.category))
            .collect();
        cats.sort();
        cats.into_iter().map(|c| t(category_label(c))).collect()
    };
    let tz = calendar::viewer_timezone(&web.state, viewer).await?;
    let lang = crate::i18n::current();
    let detail = case_policy::may_read_detail(&seen).then(|| Detail {
        pseudonym: m.pseudonym.clone(),
        region: m.region.clone(),
        summary: m.summary.clone(),
        owner: country_name(&m.owner_country),
        created: lang.datetime_in(m.created_at, tz),
        updated: lang.datetime_in(m.updated_at, tz),
    });
    // The identity: read (and audited) by the service only when asked for;
    // a locked one is a sentence on the page, never an error page.
    let (identity, identity_locked) = if show_identity {
        match case_service::read_identity(&web.state, viewer, &seen).await {
            Ok(i) => (
                i.map(|i| IdentityView {
                    legal_name: i.legal_name,
                    contact: i.contact,
                    location: i.location,
                    notes: i.notes,
                }),
                None,
            ),
            Err(AppError::IdentityLocked(reason)) => (None, Some(locked_view(viewer, reason))),
            Err(err) => return Err(err.into()),
        }
    } else {
        (None, None)
    };
    let owner = case_policy::may_read_identity(&seen);
    let partner = seen.level() == Visibility::Detail
        && matches!(
            viewer.role,
            Role::Diplomat | Role::Coordinator | Role::Admin
        );
    let now = web.state.clock.now();
    let (reveals, revealed_until) = if owner || partner {
        let found = reveal_policy::for_case(db, viewer, &seen).await?;
        let running = if partner {
            reveal_policy::open_for(db, viewer, &seen, now)
                .await?
                .and_then(|r| r.model().expires_at)
                .map(|at| in_zone(at, tz))
        } else {
            None
        };
        (reveal_rows(viewer, found, now, tz, &kept.errors), running)
    } else {
        (Vec::new(), None)
    };
    let may_request =
        partner && !reveals.iter().any(|r| r.facts.pending) && revealed_until.is_none();
    let consent = case_policy::may_read_sharing(&seen).then(|| ConsentView {
        share: m.consent_share,
        trial: m.consent_trial,
        public: m.consent_public,
        given_by: m
            .consent_given_by
            .as_deref()
            .and_then(ConsentGiver::from_stored)
            .map(|g| t(giver_label(g))),
        recorded_at: m.consent_recorded_at.map(|at| lang.datetime_in(at, tz)),
    });
    let shares = match case_policy::sharing_key(&seen) {
        Some(key) => Some(share_rows(web, viewer, key).await?),
        None => None,
    };
    let (hearings, more_hearings) = hearing_rows(web, viewer, id).await?;
    // As `Case.attackReports`: the linked reports the viewer may see, in
    // the order the incidents happened.
    let reports = crate::policy::reports::linked_to_cases(db, viewer, &[seen.key()])
        .await?
        .into_iter()
        .map(|(_, r)| ReportRow {
            href: format!("/reports/{}", ids::encode(Kind::AttackReport, r.model().id)),
            reference: r.model().reference.clone(),
            incident_date: lang.date(r.model().incident_date),
        })
        .collect();
    let may_edit = case_policy::may_edit(viewer, &seen).is_ok();
    let (share_countries, share_coalitions) = if may_edit {
        share_targets(
            web,
            viewer,
            &m.owner_country,
            kept.share.as_ref().map(|s| s.0.as_str()),
        )
        .await?
    } else {
        (Vec::new(), Vec::new())
    };
    let (c_share, c_trial, c_public, c_giver) = kept.consent.unwrap_or((
        m.consent_share,
        m.consent_trial,
        m.consent_public,
        m.consent_given_by.clone().unwrap_or_default(),
    ));
    let level = kept.share.map(|s| s.1).unwrap_or_default();
    let assessment_link = match crate::policy::assessments::of_case(db, viewer, id).await? {
        Some(a) => Some(lang.text1(
            "cases-assessment-link",
            "version",
            a.model().current_version,
        )),
        None if crate::policy::assessments::may_write(db, viewer, &seen)
            .await
            .is_ok() =>
        {
            Some(t("cases-assessment-write"))
        }
        None => None,
    };
    Ok(CasePage {
        nav,
        errors: kept.errors,
        id: ids::encode(Kind::Case, id),
        reference: m.reference.clone(),
        visibility: t(visibility_label(seen.level())),
        host: country_name(&m.host_country),
        status: t(stored(&m.status, CaseStatus::from_stored, status_label)),
        risk: t(stored(&m.risk_level, RiskLevel::from_stored, risk_label)),
        categories,
        detail,
        identity_offered: !show_identity && (owner || revealed_until.is_some()),
        identity,
        identity_locked,
        owner,
        partner,
        revealed_until,
        reveals,
        may_request,
        request_motivation: kept.request.unwrap_or_default(),
        expiry_choices: expiry_choices(),
        consent,
        shares,
        hearings,
        more_hearings,
        reports,
        may_edit,
        consent_form: ConsentForm {
            share: c_share,
            trial: c_trial,
            public: c_public,
            givers: choices(
                ConsentGiver::ALL,
                ConsentGiver::as_str,
                giver_label,
                &c_giver,
            ),
        },
        share_countries,
        share_coalitions,
        share_levels: choices(ShareLevel::ALL, ShareLevel::as_str, level_label, &level),
        assessment_link,
    })
}

/// The case's shares (owner country only: the caller holds the key).
async fn share_rows(
    web: &Web,
    viewer: &Viewer,
    key: crate::policy::Checked<crate::policy::key::Sharing>,
) -> Result<Vec<ShareRow>, WebError> {
    let db = &web.state.db;
    let rows = case_policy::shares_of(db, &[key]).await?;
    let coalition_ids: Vec<Uuid> = rows.iter().filter_map(|s| s.coalition_id).collect();
    let coalitions = if coalition_ids.is_empty() {
        Vec::new()
    } else {
        directory_policy::coalitions(viewer)
            .filter(coalition::Column::Id.is_in(coalition_ids))
            .all(db)
            .await?
    };
    Ok(rows
        .into_iter()
        .filter_map(|s| {
            let level = t(ShareLevel::from_stored(&s.level).map_or("cases-unknown", short_level));
            match (s.country, s.coalition_id) {
                (Some(country), _) => Some(ShareRow {
                    target: country_name(&country),
                    level,
                    value: Some(country),
                }),
                (None, Some(cid)) => {
                    // A coalition the viewer may not see is named by nothing, as
                    // `Share.coalition` is null; the share is still listed, so
                    // the page never says "Nobody" while someone sees the case.
                    match coalitions.iter().find(|c| c.id == cid) {
                        Some(c) => Some(ShareRow {
                            target: crate::i18n::current().text1(
                                "cases-coalition-named",
                                "name",
                                &c.name,
                            ),
                            level,
                            value: Some(format!("coalition:{}", ids::encode(Kind::Coalition, cid))),
                        }),
                        None => Some(ShareRow {
                            target: t("cases-coalition-left"),
                            level,
                            value: None,
                        }),
                    }
                }
                (None, None) => None,
            }
        })
        .collect())
}

/// Whom the case can be shared with: the countries on Accord (other than
/// the owner), and the coalitions the viewer's country sees.
async fn share_targets(
    web: &Web,
    viewer: &Viewer,
    owner: &str,
    current: Option<&str>,
) -> Result<(Vec<Choice>, Vec<Choice>), WebError> {
    let current = current.unwrap_or("");
    let countries = directory::participating_countries(&web.state)
        .await?
        .into_iter()
        .filter(|c| c != owner)
        .map(|c| Choice {
            label: country_name(&c),
            selected: c == current,
            value: c,
        })
        .collect();
    let coalitions = directory_policy::coalitions(viewer)
        .all(&web.state.db)
        .await?
        .into_iter()
        .map(|c| {
            let value = format!("coalition:{}", ids::encode(Kind::Coalition, c.id));
            Choice {
                label: crate::i18n::current().text1("cases-coalition-named", "name", &c.name),
                selected: value == current,
                value,
            }
        })
        .collect();
    Ok((countries, coalitions))
}

/// The case's hearings the viewer sees (the hearing area's list with the
/// `caseId` filter, as `hearings(filter: { caseId })`), with their rosters'
/// confirmed counts as the viewer is shown them.
async fn hearing_rows(
    web: &Web,
    viewer: &Viewer,
    case_id: Uuid,
) -> Result<(Vec<HearingRow>, bool), WebError> {
    let db = &web.state.db;
    let filter = hearing_policy::HearingFilter {
        case_id: Some(case_id),
        ..Default::default()
    };
    let (seen, shape) =
        paging::list::<Hearings>(db, viewer, filter, Some(paging::DEFAULT_PAGE), None).await?;
    let rows = hearing_table(web, viewer, seen).await?;
    Ok((rows, shape.has_next))
}

async fn hearing_table(
    web: &Web,
    viewer: &Viewer,
    seen: Vec<Seen<hearing::Model>>,
) -> Result<Vec<HearingRow>, WebError> {
    let keys: Vec<_> = seen.iter().map(|h| h.key()).collect();
    let claims = hearing_policy::claims_of(&web.state.db, &keys).await?;
    let mine = calendar::viewer_timezone(&web.state, viewer).await?;
    Ok(seen
        .into_iter()
        .map(|h| {
            let m = h.model();
            let own: Vec<roster_claim::Model> = claims
                .iter()
                .filter(|c| c.hearing_id == m.id)
                .cloned()
                .collect();
            let shown = hearing_policy::shown_claims(&h, own);
            let gid = ids::encode(Kind::Hearing, m.id);
            HearingRow {
                href: format!("/hearings/{gid}"),
                edit_href: format!("/hearings/{gid}/edit"),
                court: m.court.clone(),
                city: m.city.clone(),
                when: when(m.starts_at, &m.timezone, mine),
                status: t(stored(
                    &m.status,
                    HearingStatus::from_stored,
                    hearing_status_label,
                )),
                confirmed: roster_claim::confirmed_count(&shown),
                needed: m.observers_needed,
            }
        })
        .collect())
}

/// `GET /cases/{id}`: the case as `case(id:)` shows this viewer;
/// `?identity=show` opens the defender's identity (owner country only,
/// audited like the API's `identity` field).
async fn case_page(
    State(web): State<Web>,
    super::session::SignedIn(viewer): super::session::SignedIn,
    Flash(flash): Flash,
    Path(id): Path<String>,
    Query(q): Query<CaseQuery>,
) -> Result<Response, WebError> {
    let id = case_uuid(&id)?;
    let page = case_view(
        &web,
        &viewer,
        id,
        q.identity == "show",
        flash,
        Kept::default(),
    )
    .await?;
    Ok(ok(&page))
}

#[derive(Deserialize)]
pub struct ConsentPost {
    #[serde(default, rename = "shareWithPartners")]
    share: Option<String>,
    #[serde(default, rename = "trialObservation")]
    trial: Option<String>,
    #[serde(default, rename = "publicAdvocacy")]
    public: Option<String>,
    #[serde(default, rename = "givenBy")]
    given_by: String,
}

/// `POST /cases/{id}/consent`: `service::cases::record_consent`.
async fn record_consent(
    State(web): State<Web>,
    super::session::SignedIn(viewer): super::session::SignedIn,
    Path(raw): Path<String>,
    Form(form): Form<ConsentPost>,
) -> Result<Response, WebError> {
    let id = case_uuid(&raw)?;
    let (share, trial, public) = (
        form.share.is_some(),
        form.trial.is_some(),
        form.public.is_some(),
    );
    let kept = |errors| Kept {
        errors,
        consent: Some((share, trial, public, form.given_by.clone())),
        share: None,
        request: None,
    };
    let Some(given_by) = ConsentGiver::from_stored(&form.given_by) else {
        let mut errors = FormErrors::default();
        errors.add(
            "givenBy",
            &t("cases-field-given-by"),
            t("cases-choose-giver-error"),
        );
        let page = case_view(&web, &viewer, id, false, None, kept(errors)).await?;
        return Ok(html(StatusCode::BAD_REQUEST, &page));
    };
    let consent = case_service::Consent {
        share_with_partners: share,
        trial_observation: trial,
        public_advocacy: public,
        given_by,
    };
    match case_service::record_consent(&web.state, &viewer, id, consent).await {
        Ok(_) => Ok(done(&format!("/cases/{raw}"), "consent-recorded")),
        Err(err) => {
            let Some(status) = form_status(&err) else {
                return Err(err.into());
            };
            let errors = form_errors(
                &err,
                &[("givenBy", "givenBy", "cases-field-given-by")],
                ("givenBy", "cases-consent-field"),
            );
            let page = case_view(&web, &viewer, id, false, None, kept(errors)).await?;
            Ok(html(status, &page))
        }
    }
}

#[derive(Deserialize)]
pub struct SharePost {
    #[serde(default)]
    to: String,
    #[serde(default)]
    level: String,
}

/// `NL` or `coalition:<global id>` as the service's target.
fn target_of(raw: &str) -> Result<case_service::ShareTarget, AppError> {
    match raw.strip_prefix("coalition:") {
        Some(gid) => ids::decode(Kind::Coalition, gid)
            .map(case_service::ShareTarget::Coalition)
            .ok_or_else(|| AppError::bad_input("coalitionId", msg!("input-no-such-coalition"))),
        None if raw.trim().is_empty() => Err(AppError::bad_input(
            "country",
            msg!("input-choose-a-country-or-a"),
        )),
        None => Ok(case_service::ShareTarget::Country(raw.to_owned())),
    }
}

const SHARE_FIELDS: &[(&str, &str, &str)] = &[
    ("country", "shareTo", "cases-field-share-with"),
    ("coalitionId", "shareTo", "cases-field-share-with"),
    ("level", "shareLevel", "cases-field-level"),
];

/// `POST /cases/{id}/share`: `service::cases::share_case`, as `shareCase`.
async fn share(
    State(web): State<Web>,
    super::session::SignedIn(viewer): super::session::SignedIn,
    Path(raw): Path<String>,
    Form(form): Form<SharePost>,
) -> Result<Response, WebError> {
    let id = case_uuid(&raw)?;
    let result = match (target_of(&form.to), ShareLevel::from_stored(&form.level)) {
        (Ok(to), Some(level)) => case_service::share_case(&web.state, &viewer, id, to, level)
            .await
            .map(|_| ()),
        (Err(err), _) => Err(err),
        (_, None) => Err(AppError::bad_input(
            "level",
            msg!("input-choose-how-much-to-share"),
        )),
    };
    match result {
        Ok(()) => Ok(done(&format!("/cases/{raw}"), "case-shared")),
        Err(err) => {
            let Some(status) = form_status(&err) else {
                return Err(err.into());
            };
            let kept = Kept {
                errors: form_errors(&err, SHARE_FIELDS, ("shareTo", "cases-sharing")),
                consent: None,
                share: Some((form.to.clone(), form.level.clone())),
                request: None,
            };
            let page = case_view(&web, &viewer, id, false, None, kept).await?;
            Ok(html(status, &page))
        }
    }
}

#[derive(Deserialize)]
pub struct UnsharePost {
    #[serde(default)]
    from: String,
}

/// `POST /cases/{id}/unshare`: `service::cases::unshare_case`.
async fn unshare(
    State(web): State<Web>,
    super::session::SignedIn(viewer): super::session::SignedIn,
    Path(raw): Path<String>,
    Form(form): Form<UnsharePost>,
) -> Result<Response, WebError> {
    let id = case_uuid(&raw)?;
    let result = match target_of(&form.from) {
        Ok(from) => case_service::unshare_case(&web.state, &viewer, id, from)
            .await
            .map(|_| ()),
        Err(err) => Err(err),
    };
    match result {
        Ok(()) => Ok(done(&format!("/cases/{raw}"), "case-unshared")),
        Err(err) => {
            let Some(status) = form_status(&err) else {
                return Err(err.into());
            };
            let kept = Kept {
                errors: form_errors(&err, &[], ("shares", "cases-sharing")),
                ..Kept::default()
            };
            let page = case_view(&web, &viewer, id, false, None, kept).await?;
            Ok(html(status, &page))
        }
    }
}

// ---------------------------------------------------------------------------
// Reveal requests.

/// The status a refused reveal form comes back with on the case page;
/// `None` when the refusal is a page of its own.
fn reveal_form_status(err: &AppError) -> Option<StatusCode> {
    match err {
        AppError::IdentityLocked(_) | AppError::Forbidden => Some(StatusCode::FORBIDDEN),
        other => form_status(other),
    }
}

#[derive(Deserialize)]
pub struct RevealRequestPost {
    #[serde(default)]
    motivation: String,
}

/// `POST /cases/{id}/reveals`: `service::reveals::request`, as
/// `requestIdentityReveal`.
async fn request_reveal(
    State(web): State<Web>,
    super::session::SignedIn(viewer): super::session::SignedIn,
    Path(raw): Path<String>,
    Form(form): Form<RevealRequestPost>,
) -> Result<Response, WebError> {
    let id = case_uuid(&raw)?;
    match reveal_service::request(&web.state, &viewer, id, &form.motivation).await {
        Ok(_) => Ok(done(&format!("/cases/{raw}"), "reveal-requested")),
        Err(err) => {
            let Some(status) = reveal_form_status(&err) else {
                return Err(err.into());
            };
            let kept = Kept {
                errors: form_errors(
                    &err,
                    &[("motivation", "revealMotivation", "cases-reveal-request-why")],
                    ("revealMotivation", "cases-reveal-request-title"),
                ),
                request: Some(form.motivation),
                ..Kept::default()
            };
            let page = case_view(&web, &viewer, id, false, None, kept).await?;
            Ok(html(status, &page))
        }
    }
}

/// The reveal named in a case page's address: one of this case's (else
/// NOT_FOUND, as for a reveal out of sight).
async fn reveal_of_case(
    web: &Web,
    viewer: &Viewer,
    case_id: Uuid,
    raw: &str,
) -> Result<Uuid, WebError> {
    let rid = ids::decode(Kind::IdentityReveal, raw).ok_or(WebError(AppError::NotFound))?;
    let seen = reveal_policy::find(&web.state.db, viewer, rid).await?;
    if seen.model().case_id != case_id {
        return Err(WebError(AppError::NotFound));
    }
    Ok(rid)
}

#[derive(Deserialize)]
pub struct DecidePost {
    #[serde(default)]
    decision: String,
    #[serde(default)]
    motivation: String,
    #[serde(default)]
    days: String,
}

/// `POST /cases/{id}/reveals/{rid}/decide`: `service::reveals::decide`, as
/// `decideIdentityReveal` (approve until 7, 30 or 90 days from now, or deny).
async fn decide_reveal(
    State(web): State<Web>,
    super::session::SignedIn(viewer): super::session::SignedIn,
    Path((raw, raw_rid)): Path<(String, String)>,
    Form(form): Form<DecidePost>,
) -> Result<Response, WebError> {
    let id = case_uuid(&raw)?;
    let rid = reveal_of_case(&web, &viewer, id, &raw_rid).await?;
    let approve = form.decision == "approve";
    let result = if !approve && form.decision != "deny" {
        Err(AppError::bad_input(
            "decision",
            msg!("input-choose-to-approve-or-to"),
        ))
    } else {
        let valid_for_days = if approve {
            form.days
                .trim()
                .parse::<i64>()
                .ok()
                .filter(|d| REVEAL_DAYS.contains(d))
        } else {
            None
        };
        let decision = reveal_service::Decision {
            approve,
            motivation: form.motivation.clone(),
            expires_at: None,
            valid_for_days,
        };
        reveal_service::decide(&web.state, &viewer, rid, decision).await
    };
    match result {
        Ok(_) => Ok(done(
            &format!("/cases/{raw}"),
            if approve {
                "reveal-approved"
            } else {
                "reveal-denied"
            },
        )),
        Err(err) => {
            let Some(status) = reveal_form_status(&err) else {
                return Err(err.into());
            };
            let motivation_id = format!("decide-motivation-{raw_rid}");
            let days_id = format!("decide-days-{raw_rid}");
            let fields = [
                (
                    "motivation",
                    motivation_id.as_str(),
                    "cases-reveal-field-why",
                ),
                ("expiresAt", days_id.as_str(), "cases-reveal-field-open-for"),
            ];
            let kept = Kept {
                errors: form_errors(
                    &err,
                    &fields,
                    (motivation_id.as_str(), "cases-reveal-the-decision"),
                ),
                ..Kept::default()
            };
            let page = case_view(&web, &viewer, id, false, None, kept).await?;
            Ok(html(status, &page))
        }
    }
}

/// `POST /cases/{id}/reveals/{rid}/revoke`: `service::reveals::revoke`, as
/// `revokeIdentityReveal`.
async fn revoke_reveal(
    State(web): State<Web>,
    super::session::SignedIn(viewer): super::session::SignedIn,
    Path((raw, raw_rid)): Path<(String, String)>,
    Form(form): Form<RevealRequestPost>,
) -> Result<Response, WebError> {
    let id = case_uuid(&raw)?;
    let rid = reveal_of_case(&web, &viewer, id, &raw_rid).await?;
    match reveal_service::revoke(&web.state, &viewer, rid, &form.motivation).await {
        Ok(_) => Ok(done(&format!("/cases/{raw}"), "reveal-revoked")),
        Err(err) => {
            let Some(status) = reveal_form_status(&err) else {
                return Err(err.into());
            };
            let field = format!("revoke-motivation-{raw_rid}");
            let kept = Kept {
                errors: form_errors(
                    &err,
                    &[("motivation", field.as_str(), "cases-reveal-field-why")],
                    (field.as_str(), "cases-reveal-revoking"),
                ),
                ..Kept::default()
            };
            let page = case_view(&web, &viewer, id, false, None, kept).await?;
            Ok(html(status, &page))
        }
    }
}

// ---------------------------------------------------------------------------
// Scheduling and updating hearings.

/// What was typed into a hearing form (court-local date and time).
#[derive(Deserialize, Default)]
pub struct HearingForm {
    #[serde(default)]
    pub court: String,
    #[serde(default)]
    pub city: String,
    #[serde(default)]
    pub date: String,
    #[serde(default)]
    pub time: String,
    #[serde(default)]
    pub timezone: String,
    #[serde(default, rename = "utcOffset")]
    pub utc_offset: String,
    #[serde(default)]
    pub duration: String,
    #[serde(default)]
    pub observers: String,
    #[serde(default, rename = "deadlineDate")]
    pub deadline_date: String,
    #[serde(default, rename = "deadlineTime")]
    pub deadline_time: String,
    #[serde(default)]
    pub status: String,
}

const HEARING_FIELDS: &[(&str, &str, &str)] = &[
    ("court", "court", "cases-field-court"),
    ("city", "city", "cases-field-city"),
    ("localStart", "date", "cases-field-date"),
    ("timezone", "timezone", "cases-field-timezone"),
    ("utcOffset", "utcOffset", "cases-field-utc-offset"),
    ("durationMinutes", "duration", "cases-field-duration-short"),
    ("observersNeeded", "observers", "cases-field-observers"),
    ("claimDeadline", "deadlineDate", "cases-field-claims-close"),
    ("status", "status", "cases-field-status"),
];

/// A whole number typed into `id` (labelled by the message `label`), or
/// its error.
fn number(raw: &str, errors: &mut FormErrors, id: &str, label: &str) -> Option<i32> {
    match raw.trim().parse::<i32>() {
        Ok(n) => Some(n),
        Err(_) => {
            errors.add(id, &t(label), t("cases-whole-number"));
            None
        }
    }
}

impl HearingForm {
    fn local_start(&self) -> String {
        let time = self.time.trim();
        // `09:30` and `09:30:00` both read.
        format!("{}T{}", self.date.trim(), time)
    }

    fn offset(&self) -> Option<String> {
        optional(self.utc_offset.trim())
    }

    /// The claim deadline typed in the court's local time, as an instant;
    /// `None` when left empty.
    fn deadline(&self, errors: &mut FormErrors) -> Option<DateTime<Utc>> {
        let (date, time) = (self.deadline_date.trim(), self.deadline_time.trim());
        if date.is_empty() && time.is_empty() {
            return None;
        }
        let tz = parse_timezone("timezone", &self.timezone).ok()?;
        match hearing_domain::resolve_local_start(&format!("{date}T{time}"), tz, None) {
            Ok(at) => Some(at),
            Err(_) => {
                errors.add(
                    "deadlineDate",
                    &t("cases-field-claims-close"),
                    t("cases-deadline-invalid"),
                );
                None
            }
        }
    }

    fn of(h: &hearing::Model) -> HearingForm {
        let tz = h.timezone.parse::<Tz>().unwrap_or(Tz::UTC);
        let split = |at: DateTime<Utc>| {
            let local = at.with_timezone(&tz);
            (
                local.format("%Y-%m-%d").to_string(),
                local.format("%H:%M").to_string(),
            )
        };
        let (date, time) = split(h.starts_at);
        let (deadline_date, deadline_time) = h.claim_deadline.map(split).unwrap_or_default();
        HearingForm {
            court: h.court.clone(),
            city: h.city.clone(),
            date,
            time,
            timezone: h.timezone.clone(),
            utc_offset: String::new(),
            duration: h.duration_minutes.to_string(),
            observers: h.observers_needed.to_string(),
            deadline_date,
            deadline_time,
            status: h.status.clone(),
        }
    }
}

#[derive(Template)]
#[template(path = "hearing_new.html")]
struct NewHearingPage {
    nav: Nav,
    errors: FormErrors,
    case_id: String,
    reference: String,
    consent_missing: bool,
    form: HearingForm,
    zones: Vec<ZoneGroup>,
}

/// The zones of one region ("Asia"), each labelled by its city.
pub struct ZoneGroup {
    pub region: &'static str,
    pub zones: Vec<Choice>,
}

fn zone_choices(current: &str) -> Vec<ZoneGroup> {
    let mut groups: Vec<ZoneGroup> = Vec::new();
    for zone in super::page::zone_names().iter() {
        let (region, city) = zone.split_once('/').unwrap_or(("Universal", zone));
        let choice = Choice {
            value: (*zone).to_owned(),
            label: city.replace('_', " ").replace('/', ": "),
            selected: *zone == current,
        };
        match groups.last_mut() {
            Some(group) if group.region == region => group.zones.push(choice),
            _ => groups.push(ZoneGroup {
                region,
                zones: vec![choice],
            }),
        }
    }
    groups
}

async fn new_hearing_view(
    web: &Web,
    viewer: &Viewer,
    case_id: Uuid,
    errors: FormErrors,
    form: HearingForm,
) -> Result<NewHearingPage, WebError> {
    let seen = case_policy::find(&web.state.db, viewer, case_id).await?;
    hearing_policy::may_manage(viewer, seen.level())?;
    Ok(NewHearingPage {
        nav: nav_of(web, viewer, "/cases", None).await?,
        errors,
        case_id: ids::encode(Kind::Case, case_id),
        reference: seen.model().reference.clone(),
        consent_missing: !seen.model().consent_trial,
        zones: zone_choices(&form.timezone),
        form,
    })
}

/// `GET /cases/{id}/hearings/new`: the owner's coordinators and admins.
async fn new_hearing_page(
    State(web): State<Web>,
    super::session::SignedIn(viewer): super::session::SignedIn,
    Path(raw): Path<String>,
) -> Result<Response, WebError> {
    let id = case_uuid(&raw)?;
    let form = HearingForm {
        duration: "120".to_owned(),
        observers: "2".to_owned(),
        ..HearingForm::default()
    };
    Ok(ok(&new_hearing_view(
        &web,
        &viewer,
        id,
        FormErrors::default(),
        form,
    )
    .await?))
}

/// `POST /cases/{id}/hearings/new`: `service::hearings::schedule`, as
/// `scheduleHearing`.
async fn schedule(
    State(web): State<Web>,
    super::session::SignedIn(viewer): super::session::SignedIn,
    Path(raw): Path<String>,
    Form(form): Form<HearingForm>,
) -> Result<Response, WebError> {
    let id = case_uuid(&raw)?;
    let mut errors = FormErrors::default();
    let duration = number(
        &form.duration,
        &mut errors,
        "duration",
        "cases-field-duration-short",
    );
    let observers = number(
        &form.observers,
        &mut errors,
        "observers",
        "cases-field-observers",
    );
    let deadline = form.deadline(&mut errors);
    let status = match (duration, observers, errors.is_empty()) {
        (Some(duration_minutes), Some(observers_needed), true) => {
            let new = hearing_service::NewHearing {
                court: form.court.clone(),
                city: form.city.clone(),
                local_start: form.local_start(),
                timezone: form.timezone.clone(),
                utc_offset: form.offset(),
                duration_minutes,
                observers_needed,
                claim_deadline: deadline,
            };
            match hearing_service::schedule(&web.state, &viewer, id, new).await {
                Ok(_) => return Ok(done(&format!("/cases/{raw}"), "hearing-scheduled")),
                Err(err) => {
                    let Some(status) = form_status(&err) else {
                        return Err(err.into());
                    };
                    errors = form_errors(&err, HEARING_FIELDS, ("court", "cases-this-hearing"));
                    status
                }
            }
        }
        _ => StatusCode::BAD_REQUEST,
    };
    let page = new_hearing_view(&web, &viewer, id, errors, form).await?;
    Ok(html(status, &page))
}

#[derive(Template)]
#[template(path = "hearing_edit.html")]
struct EditHearingPage {
    nav: Nav,
    errors: FormErrors,
    id: String,
    case_href: Option<String>,
    reference: Option<String>,
    when: When,
    form: HearingForm,
    zones: Vec<ZoneGroup>,
    statuses: Vec<Choice>,
}

async fn edit_hearing_view(
    web: &Web,
    viewer: &Viewer,
    seen: &Seen<hearing::Model>,
    errors: FormErrors,
    form: HearingForm,
) -> Result<EditHearingPage, WebError> {
    let m = seen.model();
    // The case as the viewer's own case visibility allows (`Hearing.case`).
    let case = match case_policy::find(&web.state.db, viewer, m.case_id).await {
        Ok(c) => Some(c),
        Err(AppError::NotFound) => None,
        Err(err) => return Err(err.into()),
    };
    let mine = calendar::viewer_timezone(&web.state, viewer).await?;
    Ok(EditHearingPage {
        nav: nav_of(web, viewer, "/cases", None).await?,
        errors,
        id: ids::encode(Kind::Hearing, m.id),
        case_href: case.as_ref().map(|c| case_href(c.model().id)),
        reference: case.map(|c| c.model().reference.clone()),
        when: when(m.starts_at, &m.timezone, mine),
        zones: zone_choices(&form.timezone),
        statuses: choices(
            HearingStatus::ALL,
            HearingStatus::as_str,
            hearing_status_label,
            &form.status,
        ),
        form,
    })
}

/// The hearing for a change: seen by the viewer (else NOT_FOUND, as the
/// API) and theirs to manage (else FORBIDDEN, as `updateHearing`).
async fn managed_hearing(
    web: &Web,
    viewer: &Viewer,
    raw: &str,
) -> Result<Seen<hearing::Model>, WebError> {
    let id = hearing_uuid(raw)?;
    let seen = hearing_policy::find(&web.state.db, viewer, id).await?;
    hearing_policy::may_manage(viewer, seen.level())?;
    Ok(seen)
}

/// `GET /hearings/{id}/edit`: reschedule, postpone, cancel, observers.
async fn edit_hearing_page(
    State(web): State<Web>,
    super::session::SignedIn(viewer): super::session::SignedIn,
    Path(raw): Path<String>,
) -> Result<Response, WebError> {
    let seen = managed_hearing(&web, &viewer, &raw).await?;
    let form = HearingForm::of(seen.model());
    Ok(ok(&edit_hearing_view(
        &web,
        &viewer,
        &seen,
        FormErrors::default(),
        form,
    )
    .await?))
}

/// The changes the form makes to `current`: only what differs, so that a
/// postponed hearing given a new date is scheduled again (the service's
/// rule) unless the status is changed too.
fn changes_of(
    form: &HearingForm,
    current: &hearing::Model,
    errors: &mut FormErrors,
) -> hearing_service::HearingChanges {
    let before = HearingForm::of(current);
    let differs = |a: &str, b: &str| a.trim() != b.trim();
    let mut changes = hearing_service::HearingChanges::default();
    if differs(&form.court, &before.court) {
        changes.court = Some(form.court.clone());
    }
    if differs(&form.city, &before.city) {
        changes.city = Some(form.city.clone());
    }
    if differs(&form.date, &before.date) || differs(&form.time, &before.time) {
        changes.local_start = Some(form.local_start());
    }
    if differs(&form.timezone, &before.timezone) {
        changes.timezone = Some(form.timezone.clone());
    }
    if changes.local_start.is_some() || changes.timezone.is_some() {
        changes.utc_offset = form.offset();
    }
    if differs(&form.duration, &before.duration) {
        changes.duration_minutes = number(
            &form.duration,
            errors,
            "duration",
            "cases-field-duration-short",
        );
    }
    if differs(&form.observers, &before.observers) {
        changes.observers_needed = number(
            &form.observers,
            errors,
            "observers",
            "cases-field-observers",
        );
    }
    if differs(&form.deadline_date, &before.deadline_date)
        || differs(&form.deadline_time, &before.deadline_time)
    {
        changes.claim_deadline = form.deadline(errors);
    }
    if differs(&form.status, &before.status) {
        match HearingStatus::from_stored(&form.status) {
            Some(s) => changes.status = Some(s),
            None => errors.add(
                "status",
                &t("cases-field-status"),
                t("cases-choose-hearing-status"),
            ),
        }
    }
    changes
}

/// `POST /hearings/{id}/edit`: `service::hearings::update`, as `updateHearing`.
async fn update(
    State(web): State<Web>,
    super::session::SignedIn(viewer): super::session::SignedIn,
    Path(raw): Path<String>,
    Form(form): Form<HearingForm>,
) -> Result<Response, WebError> {
    let seen = managed_hearing(&web, &viewer, &raw).await?;
    let mut errors = FormErrors::default();
    let changes = changes_of(&form, seen.model(), &mut errors);
    let status = if errors.is_empty() {
        match hearing_service::update(&web.state, &viewer, seen.model().id, changes).await {
            Ok(updated) => {
                return Ok(done(&case_href(updated.model().case_id), "hearing-updated"));
            }
            Err(err) => {
                let Some(status) = form_status(&err) else {
                    return Err(err.into());
                };
                errors = form_errors(&err, HEARING_FIELDS, ("court", "cases-this-hearing"));
                status
            }
        }
    } else {
        StatusCode::BAD_REQUEST
    };
    let page = edit_hearing_view(&web, &viewer, &seen, errors, form).await?;
    Ok(html(status, &page))
}

// ---------------------------------------------------------------------------
// Coverage gaps.

#[derive(Deserialize)]
pub struct CoverageQuery {
    days: Option<String>,
}

pub struct GapRow {
    pub href: String,
    pub case_href: String,
    pub reference: String,
    pub court: String,
    pub city: String,
    pub when: When,
    pub confirmed: usize,
    pub needed: i32,
    pub coverage: String,
}

pub struct GapGroup {
    pub host: String,
    pub uncovered: usize,
    pub partial: usize,
    pub rows: Vec<GapRow>,
}

#[derive(Template)]
#[template(path = "coverage.html")]
struct CoveragePage {
    nav: Nav,
    errors: FormErrors,
    days: Vec<Choice>,
    chosen: i64,
    groups: Vec<GapGroup>,
}

/// `GET /coverage`: `service::hearings::coverage_gaps`, grouped by host
/// country as `coverageGaps` groups them.
async fn coverage_page(
    State(web): State<Web>,
    super::session::SignedIn(viewer): super::session::SignedIn,
    Query(q): Query<CoverageQuery>,
) -> Result<Response, WebError> {
    let db = &web.state.db;
    let raw = q.days.unwrap_or_else(|| "14".to_owned());
    let day_choices = |current: &str| {
        [7_i64, 14, 30, 60, 90, 180, 366]
            .iter()
            .map(|d| Choice {
                value: d.to_string(),
                label: crate::i18n::current().text1("cases-days", "count", *d),
                selected: d.to_string() == current,
            })
            .collect()
    };
    let parsed = raw
        .trim()
        .parse::<i64>()
        .map_err(|_| AppError::bad_input("days", msg!("input-between", min = 1, max = 366)));
    let gaps = match parsed {
        Ok(days) => hearing_service::coverage_gaps(&web.state, &viewer, days)
            .await
            .map(|g| (days, g)),
        Err(err) => Err(err),
    };
    let (chosen, gaps) = match gaps {
        Ok(found) => found,
        Err(err @ AppError::BadUserInput(_)) => {
            let page = CoveragePage {
                nav: nav_of(&web, &viewer, "/coverage", None).await?,
                errors: form_errors(
                    &err,
                    &[("days", "days", "cases-coverage-within-field")],
                    ("days", "cases-coverage-within-field"),
                ),
                days: day_choices(raw.as_str()),
                chosen: 0,
                groups: Vec::new(),
            };
            return Ok(html(StatusCode::BAD_REQUEST, &page));
        }
        Err(err) => return Err(err.into()),
    };
    let keys: Vec<_> = gaps.iter().map(|h| h.key()).collect();
    let claims = hearing_policy::claims_of(db, &keys).await?;
    let case_ids: Vec<Uuid> = gaps.iter().map(|h| h.model().case_id).collect();
    let cases = case_policy::load(
        db,
        &viewer,
        case_policy::visible(&viewer).filter(case::Column::Id.is_in(case_ids)),
    )
    .await?;
    let mine = calendar::viewer_timezone(&web.state, &viewer).await?;
    let mut groups: Vec<GapGroup> = Vec::new();
    for h in gaps {
        let m = h.model();
        let Some(of_case) = cases.iter().find(|c| c.model().id == m.case_id) else {
            continue;
        };
        let own: Vec<roster_claim::Model> = claims
            .iter()
            .filter(|c| c.hearing_id == m.id)
            .cloned()
            .collect();
        let confirmed = roster_claim::confirmed_count(&hearing_policy::shown_claims(&h, own));
        let host = country_name(&of_case.model().host_country);
        let at = match groups.iter().position(|g| g.host == host) {
            Some(i) => i,
            None => {
                groups.push(GapGroup {
                    host,
                    uncovered: 0,
                    partial: 0,
                    rows: Vec::new(),
                });
                groups.len() - 1
            }
        };
        let Some(group) = groups.get_mut(at) else {
            continue;
        };
        if confirmed == 0 {
            group.uncovered += 1;
        } else {
            group.partial += 1;
        }
        let gid = ids::encode(Kind::Hearing, m.id);
        group.rows.push(GapRow {
            href: format!("/hearings/{gid}"),
            case_href: case_href(m.case_id),
            reference: of_case.model().reference.clone(),
            court: m.court.clone(),
            city: m.city.clone(),
            when: when(m.starts_at, &m.timezone, mine),
            confirmed,
            needed: m.observers_needed,
            coverage: if confirmed == 0 {
                t("cases-coverage-none-yet")
            } else {
                t("cases-coverage-partly")
            },
        });
    }
    groups.sort_by(|a, b| a.host.cmp(&b.host));
    let page = CoveragePage {
        nav: nav_of(&web, &viewer, "/coverage", None).await?,
        errors: FormErrors::default(),
        days: day_choices(&chosen.to_string()),
        chosen,
        groups,
    };
    Ok(ok(&page))
}
