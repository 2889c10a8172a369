//! Attack reports as pages: the liaison's form (or a mission's, on behalf of
//! a source), the list of reports a viewer sees (a liaison's own, with each
//! country's response; a mission's, those sent to its country), one report,
//! and the recipient country's triage. Every read and write is the one the
//! GraphQL resolvers make (`policy::reports`, `service::reports`).
use askama::Template;
use axum::Form;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use chrono::NaiveDate;
use chrono_tz::Tz;
use serde::Deserialize;
use uuid::Uuid;

use super::Web;
use super::error::WebError;
use super::page::{Choice, Flash, FormErrors, Nav, choices, done, html, ok, zone_names};
use super::session::{SignedIn, encode_component};
use crate::auth::Viewer;
use crate::domain::CountryCode;
use crate::domain::ids::{self, Kind};
use crate::domain::report::{AttackType, CloseOutcome, PerpetratorType, ResponseState, Triage};
use crate::error::{AppError, AppResult};
use crate::i18n::{Args, current, t, t_with};
use crate::msg;
use crate::policy::paging::{self, Positioned};
use crate::policy::reports::{self as policy, ReportFilter, Reports, SeenReport, Sight};
use crate::service::{auth, calendar, directory, reports as service};
use crate::store::attack_report_response;

/// Confirmations of this area's changes.
pub const DONE: &[(&str, &str)] = &[
    ("report-filed", "reports-done-filed"),
    ("report-acknowledged", "reports-done-acknowledged"),
    ("report-linked", "reports-done-linked"),
    ("report-closed", "reports-done-closed"),
];

/// This area's routes.
pub fn routes() -> Router<Web> {
    Router::new()
        .route("/reports", get(list_page).post(submit))
        .route("/reports/new", get(new_page))
        .route("/reports/{id}", get(report_page))
        .route("/reports/{id}/acknowledge", post(acknowledge))
        .route("/reports/{id}/link", post(link))
        .route("/reports/{id}/close", post(close))
}

/// Reports listed on one page (the brief's page size).
const PAGE: i32 = 50;
/// Earlier reports offered as "on the same defender" (the service's limit).
const PRIORS_OFFERED: i32 = service::MAX_PRIORS as i32;

/// An attack type's message id.
fn attack_label(t: AttackType) -> &'static str {
    match t {
        AttackType::Killing => "reports-attack-killing",
        AttackType::PhysicalAttack => "reports-attack-physical-attack",
        AttackType::Threat => "reports-attack-threat",
        AttackType::JudicialHarassment => "reports-attack-judicial-harassment",
        AttackType::ArbitraryDetention => "reports-attack-arbitrary-detention",
        AttackType::EnforcedDisappearance => "reports-attack-enforced-disappearance",
        AttackType::Surveillance => "reports-attack-surveillance",
        AttackType::SmearCampaign => "reports-attack-smear-campaign",
        AttackType::Raid => "reports-attack-raid",
        AttackType::TravelBan => "reports-attack-travel-ban",
        AttackType::DigitalAttack => "reports-attack-digital-attack",
        AttackType::SexualViolence => "reports-attack-sexual-violence",
        AttackType::Other => "reports-attack-other",
    }
}

/// A perpetrator kind's message id.
fn perpetrator_label(p: PerpetratorType) -> &'static str {
    match p {
        PerpetratorType::State => "reports-perpetrator-state",
        PerpetratorType::NonStateArmed => "reports-perpetrator-non-state-armed",
        PerpetratorType::Corporation => "reports-perpetrator-corporation",
        PerpetratorType::PrivateSecurity => "reports-perpetrator-private-security",
        PerpetratorType::OrganizedCrime => "reports-perpetrator-organized-crime",
        PerpetratorType::PrivateIndividual => "reports-perpetrator-private-individual",
        PerpetratorType::Unknown => "reports-perpetrator-unknown",
        PerpetratorType::Other => "reports-perpetrator-other",
    }
}

/// A response state's message id (said in words, never colour alone).
fn state_id(state: ResponseState) -> &'static str {
    match state {
        ResponseState::Received => "reports-state-received",
        ResponseState::Acknowledged => "reports-state-acknowledged",
        ResponseState::Linked => "reports-state-linked",
        ResponseState::NoAction => "reports-state-no-action",
        ResponseState::Escalated => "reports-state-escalated",
    }
}

/// A stored response state in the reader's words.
fn state_label(raw: &str) -> String {
    match ResponseState::from_stored(raw) {
        Some(state) => t(state_id(state)),
        None => t("reports-state-unknown"),
    }
}

/// Every ISO country by name, `selected` (a code) chosen.
pub(super) fn all_countries(selected: &str) -> Vec<Choice> {
    super::page::country_choices(selected)
}

/// A country's name in the page's language (the code itself if unknown).
pub(super) fn country_name(code: &str) -> String {
    CountryCode::parse("country", code)
        .map(super::page::country_name)
        .unwrap_or_else(|_| code.to_owned())
}

/// The zones of one region ("Asia"), each labelled by its city.
pub struct ZoneGroup {
    /// The zones' first part (`Asia`), as their names spell it.
    pub key: &'static str,
    /// The region in the reader's words.
    pub region: String,
    pub zones: Vec<Choice>,
}

/// The IANA zones a place can be in, grouped by region and sorted (the
/// canonical "Region/City" names, without legacy aliases), `current`
/// selected: nobody has to type a zone's name.
fn zone_choices(current: &str) -> Vec<ZoneGroup> {
    let mut groups: Vec<ZoneGroup> = Vec::new();
    for &name in zone_names() {
        let (region, city) = name.split_once('/').unwrap_or(("Universal", name));
        let choice = Choice {
            value: name.to_owned(),
            label: city.replace('_', " ").replace('/', ": "),
            selected: name == current,
        };
        match groups.last_mut() {
            Some(group) if group.key == region => group.zones.push(choice),
            _ => groups.push(ZoneGroup {
                key: region,
                region: t_with("reports-zone-region", &Args::new().set("region", region)),
                zones: vec![choice],
            }),
        }
    }
    groups
}

/// The signed-in person's name for the header.
async fn name_of(web: &Web, viewer: &Viewer) -> AppResult<String> {
    Ok(auth::current_user(&web.state, viewer).await?.display_name)
}

// ---------------------------------------------------------------- the form

/// What was typed into the report form, kept to show it again.
#[derive(Default, Clone)]
struct Draft {
    host_country: String,
    region: String,
    incident_date: String,
    incident_time: String,
    timezone: String,
    attack_types: Vec<String>,
    perpetrator_types: Vec<String>,
    description: String,
    recipients: Vec<String>,
    victim_consent: bool,
    submission_key: String,
    priors: Vec<String>,
}

impl Draft {
    /// The posted form: repeated names are the checkbox groups.
    fn from_pairs(pairs: Vec<(String, String)>) -> Draft {
        let mut d = Draft::default();
        for (name, value) in pairs {
            match name.as_str() {
                "hostCountry" => d.host_country = value,
                "region" => d.region = value,
                "incidentDate" => d.incident_date = value,
                "incidentTime" => d.incident_time = value,
                "timezone" => d.timezone = value,
                "attackTypes" => d.attack_types.push(value),
                "perpetratorTypes" => d.perpetrator_types.push(value),
                "description" => d.description = value,
                "recipientCountries" => d.recipients.push(value),
                "victimConsent" => d.victim_consent = value == "yes",
                "submissionKey" => d.submission_key = value,
                "priorReportIds" => d.priors.push(value),
                _ => {}
            }
        }
        d
    }

    /// The checks the form can make at once, so that every empty field is
    /// named in one go (the service stops at the first; it still decides).
    fn missing(&self, own_country: Option<CountryCode>) -> FormErrors {
        let mut errors = FormErrors::default();
        if self.host_country.trim().is_empty() {
            errors.add(
                "hostCountry",
                &t("reports-field-host-country"),
                t("reports-error-choose-country"),
            );
        }
        if self.incident_date.trim().is_empty() {
            errors.add(
                "incidentDate",
                &t("reports-field-incident-date"),
                t("reports-error-enter-date"),
            );
        }
        if self.attack_types.is_empty() {
            errors.add(
                "attackTypes",
                &t("reports-field-attack-types"),
                t("reports-error-choose-attack"),
            );
        }
        if self.perpetrator_types.is_empty() {
            errors.add(
                "perpetratorTypes",
                &t("reports-field-perpetrator-types"),
                t("reports-error-choose-perpetrator"),
            );
        }
        if self.description.trim().is_empty() {
            errors.add(
                "description",
                &t("reports-field-description"),
                t("reports-error-describe"),
            );
        }
        if self.recipients.is_empty() && own_country.is_none() {
            errors.add(
                "recipientCountries",
                &t("reports-field-recipients"),
                t("reports-error-choose-recipient"),
            );
        }
        if !self.victim_consent {
            errors.add(
                "victimConsent",
                &t("reports-field-consent"),
                t("reports-error-consent-missing"),
            );
        }
        errors
    }

    /// The service's input; a malformed earlier-report id is refused
    /// beside its field, as the API names it.
    fn into_new(self) -> AppResult<service::NewReport> {
        let mut priors = Vec::new();
        for raw in &self.priors {
            let id = ids::decode(Kind::AttackReport, raw).ok_or_else(|| {
                AppError::bad_input("priorReportIds", msg!("input-is-not-a-report"))
            })?;
            priors.push(id);
        }
        let blank = |s: String| (!s.trim().is_empty()).then_some(s);
        Ok(service::NewReport {
            host_country: self.host_country,
            region: blank(self.region),
            incident_date: self.incident_date,
            incident_time: blank(self.incident_time),
            timezone: blank(self.timezone),
            attack_types: self
                .attack_types
                .iter()
                .filter_map(|t| AttackType::from_stored(t))
                .collect(),
            perpetrator_types: self
                .perpetrator_types
                .iter()
                .filter_map(|p| PerpetratorType::from_stored(p))
                .collect(),
            description: self.description,
            recipient_countries: self.recipients,
            victim_consent: self.victim_consent,
            submission_key: blank(self.submission_key),
            prior_report_ids: priors,
        })
    }
}

/// The report form's fields and their labels' message ids, for errors from
/// the service.
const REPORT_FIELDS: &[(&str, &str)] = &[
    ("hostCountry", "reports-field-host-country"),
    ("region", "reports-field-region"),
    ("incidentDate", "reports-field-incident-date"),
    ("incidentTime", "reports-field-incident-time"),
    ("timezone", "reports-field-timezone"),
    ("attackTypes", "reports-field-attack-types"),
    ("perpetratorTypes", "reports-field-perpetrator-types"),
    ("description", "reports-field-description"),
    ("recipientCountries", "reports-field-recipients"),
    ("victimConsent", "reports-field-consent"),
    ("priorReportIds", "reports-field-priors"),
];

#[derive(Template)]
#[template(path = "report_new.html")]
struct NewReportPage {
    nav: Nav,
    errors: FormErrors,
    host_countries: Vec<Choice>,
    region: String,
    incident_date: String,
    incident_time: String,
    zones: Vec<ZoneGroup>,
    attack_types: Vec<Choice>,
    perpetrator_types: Vec<Choice>,
    description: String,
    recipients: Vec<Choice>,
    /// A mission reporting on behalf of a source: its own country, which
    /// always receives the report.
    own_country: Option<String>,
    victim_consent: bool,
    submission_key: String,
    priors: Vec<Choice>,
    max_description: usize,
}

/// A fresh submission key: a retry or a second press with it files nothing new.
fn new_key() -> String {
    Uuid::new_v4().simple().to_string()
}

async fn new_report_view(
    web: &Web,
    viewer: &Viewer,
    draft: Draft,
    errors: FormErrors,
) -> AppResult<NewReportPage> {
    let own = match policy::submitter(viewer)? {
        policy::Submitter::Mission(c) => Some(c),
        policy::Submitter::Organization(_) => None,
    };
    let name = name_of(web, viewer).await?;
    let hosts = all_countries(&draft.host_country);
    let mut recipients: Vec<Choice> = directory::participating_countries(&web.state)
        .await?
        .into_iter()
        .filter(|c| own.is_none_or(|own| own.as_str() != c))
        .map(|c| Choice {
            selected: draft.recipients.contains(&c),
            label: country_name(&c),
            value: c,
        })
        .collect();
    recipients.sort_by(|a, b| a.label.cmp(&b.label));
    // Earlier reports the viewer sees, newest first: the same list as the API's.
    let (recent, _) = paging::list::<Reports>(
        &web.state.db,
        viewer,
        ReportFilter::default(),
        Some(PRIORS_OFFERED),
        None,
    )
    .await?;
    let priors = recent
        .iter()
        .map(|r| {
            let m = r.model();
            let id = ids::encode(Kind::AttackReport, m.id);
            Choice {
                selected: draft.priors.contains(&id),
                label: t_with(
                    "reports-prior-choice",
                    &Args::new()
                        .set("reference", &m.reference)
                        .set("date", current().date(m.incident_date))
                        .set("country", country_name(&m.host_country)),
                ),
                value: id,
            }
        })
        .collect();
    let attack_types = AttackType::ALL
        .iter()
        .map(|a| Choice {
            value: a.as_str().to_owned(),
            label: t(attack_label(*a)),
            selected: draft.attack_types.iter().any(|d| d == a.as_str()),
        })
        .collect();
    let perpetrator_types = PerpetratorType::ALL
        .iter()
        .map(|p| Choice {
            value: p.as_str().to_owned(),
            label: t(perpetrator_label(*p)),
            selected: draft.perpetrator_types.iter().any(|d| d == p.as_str()),
        })
        .collect();
    let submission_key = if draft.submission_key.trim().is_empty() {
        new_key()
    } else {
        draft.submission_key
    };
    Ok(NewReportPage {
        nav: Nav::of(viewer, &name, "/reports/new"),
        errors,
        host_countries: hosts,
        region: draft.region,
        incident_date: draft.incident_date,
        incident_time: draft.incident_time,
        zones: zone_choices(&draft.timezone),
        attack_types,
        perpetrator_types,
        description: draft.description,
        recipients,
        own_country: own.map(super::page::country_name),
        victim_consent: draft.victim_consent,
        submission_key,
        priors,
        max_description: service::MAX_DESCRIPTION,
    })
}

/// `GET /reports/new`: the form, with its own submission key; a mission's
/// own time zone comes chosen (a liaison, who has none, starts with none).
async fn new_page(
    State(web): State<Web>,
    SignedIn(viewer): SignedIn,
) -> Result<Response, WebError> {
    let mut draft = Draft::default();
    if viewer.mission_id.is_some() {
        draft.timezone = calendar::viewer_timezone(&web.state, &viewer)
            .await?
            .name()
            .to_owned();
    }
    let page = new_report_view(&web, &viewer, draft, FormErrors::default()).await?;
    Ok(ok(&page))
}

/// `POST /reports`: `submitAttackReport`. A retry with the form's key lands
/// on the report the first press filed; a refusal brings the form back as
/// it was typed, each error beside its field.
async fn submit(
    State(web): State<Web>,
    SignedIn(viewer): SignedIn,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let own = match policy::submitter(&viewer)? {
        policy::Submitter::Mission(c) => Some(c),
        policy::Submitter::Organization(_) => None,
    };
    let draft = Draft::from_pairs(pairs);
    let missing = draft.missing(own);
    if !missing.is_empty() {
        let page = new_report_view(&web, &viewer, draft, missing).await?;
        return Ok(html(StatusCode::BAD_REQUEST, &page));
    }
    let kept = draft.clone();
    let filed = match draft.into_new() {
        Ok(new) => service::submit(&web.state, &viewer, new).await,
        Err(err) => Err(err),
    };
    match filed {
        Ok(seen) => Ok(done(
            &format!(
                "/reports/{}",
                ids::encode(Kind::AttackReport, seen.model().id)
            ),
            "report-filed",
        )),
        Err(err @ (AppError::Forbidden | AppError::Unauthenticated(_))) => Err(err.into()),
        Err(err) => {
            if let AppError::Internal(_) = &err {
                tracing::error!(error = %err.cause_chain(), "a report could not be filed");
            }
            let status = refusal_status(&err);
            let errors = report_errors(&err);
            let mut kept = kept;
            if matches!(err, AppError::Conflict(_)) {
                // The key filed a different report: this one is new.
                kept.submission_key = new_key();
            }
            let page = new_report_view(&web, &viewer, kept, errors).await?;
            Ok(html(status, &page))
        }
    }
}

/// A refused form's status: the API's refusal, said in HTTP.
fn refusal_status(err: &AppError) -> StatusCode {
    match err {
        AppError::BadUserInput(_) | AppError::ConsentRequired(_) | AppError::NotFound => {
            StatusCode::BAD_REQUEST
        }
        AppError::Conflict(_) | AppError::StaleVersion { .. } => StatusCode::CONFLICT,
        AppError::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
        AppError::Unavailable { .. } => StatusCode::SERVICE_UNAVAILABLE,
        _ => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

/// The service's refusal beside the field it names (`recipientCountries[2]`
/// is the recipients' group); consent beside its box; an earlier report
/// nobody may name beside the earlier reports.
fn report_errors(err: &AppError) -> FormErrors {
    match err {
        AppError::BadUserInput(input) => {
            let field = input.field.split('[').next().unwrap_or("");
            let label = REPORT_FIELDS
                .iter()
                .find(|(name, _)| *name == field)
                .map(|(_, label)| *label);
            let mut errors = FormErrors::default();
            match label {
                Some(label) => errors.add(field, &t(label), input.reason.text()),
                None => errors.add(
                    "report-form",
                    &t("reports-field-form"),
                    super::error::sentence(err),
                ),
            }
            errors
        }
        AppError::ConsentRequired(_) => {
            let mut errors = FormErrors::default();
            errors.add(
                "victimConsent",
                &t("reports-field-consent"),
                t("reports-error-consent-required"),
            );
            errors
        }
        AppError::NotFound => {
            let mut errors = FormErrors::default();
            errors.add(
                "priorReportIds",
                &t("reports-field-priors"),
                t("reports-error-prior-unknown"),
            );
            errors
        }
        other => FormErrors::from_error(other, &[], "report-form"),
    }
}

// ---------------------------------------------------------------- the list

#[derive(Deserialize, Default)]
struct ListQuery {
    state: Option<String>,
    #[serde(rename = "attackType")]
    attack_type: Option<String>,
    #[serde(rename = "hostCountry")]
    host_country: Option<String>,
    from: Option<String>,
    to: Option<String>,
    after: Option<String>,
}

fn nonblank(s: &Option<String>) -> Option<&str> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

impl ListQuery {
    /// The policy's filter, as the API's `AttackReportFilter` reads it.
    fn filter(&self, errors: &mut FormErrors) -> ReportFilter {
        let mut f = ReportFilter::default();
        if let Some(s) = nonblank(&self.state) {
            f.state = ResponseState::from_stored(s);
        }
        if let Some(t) = nonblank(&self.attack_type) {
            f.attack_type = AttackType::from_stored(t);
        }
        if let Some(h) = nonblank(&self.host_country) {
            match CountryCode::parse("hostCountry", h) {
                Ok(c) => f.host_country = Some(c),
                Err(_) => errors.add(
                    "hostCountry",
                    &t("reports-field-host-country"),
                    t("reports-error-country-code"),
                ),
            }
        }
        for (field, label, raw, slot) in [
            (
                "from",
                t("reports-filter-from-label"),
                &self.from,
                &mut f.from,
            ),
            ("to", t("reports-filter-to-label"), &self.to, &mut f.to),
        ] {
            if let Some(d) = nonblank(raw) {
                match NaiveDate::parse_from_str(d, "%Y-%m-%d") {
                    Ok(d) => *slot = Some(d),
                    Err(_) => errors.add(field, &label, t("reports-error-filter-date")),
                }
            }
        }
        f
    }

    /// The filters as a query string, for the next page's link.
    fn params(&self) -> String {
        [
            ("state", &self.state),
            ("attackType", &self.attack_type),
            ("hostCountry", &self.host_country),
            ("from", &self.from),
            ("to", &self.to),
        ]
        .iter()
        .filter_map(|(k, v)| nonblank(v).map(|v| format!("{k}={}", encode_component(v))))
        .collect::<Vec<_>>()
        .join("&")
    }
}

/// One country's response, as a row or a list shows it.
pub struct ResponseView {
    pub country: String,
    pub state: String,
    /// "Netherlands: Acknowledged", as the liaison's list says it.
    pub country_state: String,
    pub note: Option<String>,
    pub updated: String,
}

fn response_view(
    web: &Web,
    viewer: &Viewer,
    r: &attack_report_response::Model,
) -> AppResult<ResponseView> {
    let country = country_name(&r.country);
    let state = state_label(&r.state);
    Ok(ResponseView {
        country_state: t_with(
            "reports-country-state",
            &Args::new().set("country", &country).set("state", &state),
        ),
        country,
        state,
        note: service::response_note(&web.state, r)?,
        updated: in_utc(r.updated_at, viewer),
    })
}

/// A moment Accord itself recorded (filed, updated): in UTC, and on the
/// viewer's own clock beside it where their zone is known.
fn in_utc(at: chrono::DateTime<chrono::Utc>, viewer: &Viewer) -> String {
    current()
        .when(at, chrono_tz::UTC, viewer.reading.zone)
        .to_string()
}

pub struct ReportRow {
    pub href: String,
    pub reference: String,
    /// The incident's date, as the reader's language writes it.
    pub incident_date: String,
    pub host: String,
    pub types: String,
    pub responses: Vec<ResponseView>,
}

#[derive(Template)]
#[template(path = "reports.html")]
struct ReportsPage {
    nav: Nav,
    title: String,
    liaison: bool,
    errors: FormErrors,
    states: Vec<Choice>,
    attack_types: Vec<Choice>,
    host_country: String,
    from: String,
    to: String,
    rows: Vec<ReportRow>,
    total: u64,
    next: Option<String>,
    first_page: Option<String>,
}

/// `GET /reports`: the reports the viewer sees, newest first, 50 a page.
async fn list_page(
    State(web): State<Web>,
    SignedIn(viewer): SignedIn,
    Flash(flash): Flash,
    Query(q): Query<ListQuery>,
) -> Result<Response, WebError> {
    let name = name_of(&web, &viewer).await?;
    let liaison = matches!(
        policy::reader(&viewer),
        Some(policy::Reader::Organization(_))
    );
    let mut errors = FormErrors::default();
    let filter = q.filter(&mut errors);
    let (seen, shape) = if errors.is_empty() {
        match paging::list::<Reports>(&web.state.db, &viewer, filter, Some(PAGE), q.after.clone())
            .await
        {
            Ok(page) => page,
            Err(err @ AppError::BadUserInput(_)) => {
                errors = FormErrors::from_error(
                    &err,
                    &[
                        ("filter.to", "reports-filter-to-label"),
                        ("after", "reports-filter-page"),
                    ],
                    "to",
                );
                (Vec::new(), empty_shape())
            }
            Err(err) => return Err(err.into()),
        }
    } else {
        (Vec::new(), empty_shape())
    };
    let rows = rows_of(&web, &viewer, &seen).await?;
    let params = q.params();
    let next = match (shape.has_next, seen.last()) {
        (true, Some(last)) => {
            let mut href = format!("/reports?after={}", last.position().cursor());
            if !params.is_empty() {
                href.push('&');
                href.push_str(&params);
            }
            Some(href)
        }
        _ => None,
    };
    let first_page = shape.has_previous.then(|| {
        if params.is_empty() {
            "/reports".to_owned()
        } else {
            format!("/reports?{params}")
        }
    });
    let title = match (liaison, viewer.country) {
        (true, _) => t("reports-list-mine"),
        (false, Some(c)) => t_with(
            "reports-list-sent-to",
            &Args::new().set("country", super::page::country_name(c)),
        ),
        (false, None) => t("reports-list-all"),
    };
    let chosen = |raw: &Option<String>| nonblank(raw).unwrap_or("").to_owned();
    let state_now = chosen(&q.state);
    let type_now = chosen(&q.attack_type);
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::BAD_REQUEST
    };
    let page = ReportsPage {
        nav: Nav::of(&viewer, &name, "/reports").with_flash(flash),
        title,
        liaison,
        errors,
        states: choices(
            ResponseState::ALL,
            ResponseState::as_str,
            state_id,
            &state_now,
        ),
        attack_types: choices(AttackType::ALL, AttackType::as_str, attack_label, &type_now),
        host_country: chosen(&q.host_country),
        from: chosen(&q.from),
        to: chosen(&q.to),
        rows,
        total: shape.total_count,
        next,
        first_page,
    };
    Ok(html(status, &page))
}

fn empty_shape() -> paging::PageShape {
    paging::PageShape {
        has_previous: false,
        has_next: false,
        total_count: 0,
    }
}

/// The list's rows: types and responses of the whole page in two queries,
/// as the API's loaders fetch them. A liaison reads every country's
/// response; a recipient country's viewer, in the list, its own.
async fn rows_of(web: &Web, viewer: &Viewer, seen: &[SeenReport]) -> AppResult<Vec<ReportRow>> {
    let keys: Vec<_> = seen.iter().map(SeenReport::key).collect();
    let types = policy::types_of(&web.state.db, &keys).await?;
    let responses = policy::responses_of(&web.state.db, &keys).await?;
    let mut rows = Vec::with_capacity(seen.len());
    for s in seen {
        let m = s.model();
        let mut kinds: Vec<AttackType> = types
            .iter()
            .filter(|t| t.report_id == m.id)
            .filter_map(|t| AttackType::from_stored(&t.attack_type))
            .collect();
        kinds.sort();
        let mut shown = Vec::new();
        for r in responses.iter().filter(|r| r.report_id == m.id) {
            let mine = match s.level() {
                Sight::Submitter => true,
                Sight::Recipient(c) => r.country == c.as_str(),
            };
            if mine {
                shown.push(response_view(web, viewer, r)?);
            }
        }
        rows.push(ReportRow {
            href: format!("/reports/{}", ids::encode(Kind::AttackReport, m.id)),
            reference: m.reference.clone(),
            incident_date: current().date(m.incident_date),
            host: country_name(&m.host_country),
            types: kinds
                .into_iter()
                .map(|kind| t(attack_label(kind)))
                .collect::<Vec<_>>()
                .join(", "),
            responses: shown,
        });
    }
    Ok(rows)
}

// ---------------------------------------------------------------- one report

pub struct LinkView {
    pub href: String,
    pub label: String,
}

#[derive(Template)]
#[template(path = "report.html")]
struct ReportPage {
    nav: Nav,
    id: String,
    reference: String,
    host: String,
    region: Option<String>,
    /// When it happened: the date and time on the place's own clock (the
    /// viewer's beside it when theirs differs), or the date alone.
    when: String,
    /// RFC 3339 of the incident's moment, or its date.
    when_iso: String,
    attack_types: Vec<String>,
    perpetrator_types: Vec<String>,
    description: Option<String>,
    erased_at: Option<String>,
    submitted_at: String,
    organization: Option<String>,
    responses: Vec<ResponseView>,
    cases: Vec<LinkView>,
    priors: Vec<LinkView>,
    /// Triage by the viewer's country: which step its response is at.
    triage: Option<TriageView>,
    errors: FormErrors,
}

/// The viewer's country's triage, and what was typed into its forms.
pub struct TriageView {
    pub country: String,
    pub state: String,
    pub may_acknowledge: bool,
    pub may_link_or_close: bool,
    pub ack_note: String,
    pub case_id: String,
    pub close_outcome: String,
    pub close_note: String,
}

/// What was typed into one triage form (shown again after a refusal).
#[derive(Deserialize, Default)]
struct TriageForm {
    #[serde(default)]
    note: String,
    #[serde(default, rename = "caseId")]
    case_id: String,
    #[serde(default)]
    outcome: String,
}

async fn report_view(
    web: &Web,
    viewer: &Viewer,
    seen: SeenReport,
    typed: (Triage, TriageForm),
    errors: FormErrors,
    flash: Option<String>,
) -> AppResult<ReportPage> {
    let name = name_of(web, viewer).await?;
    let db = &web.state.db;
    let m = seen.model();
    let keys = [seen.key()];
    let mut kinds: Vec<AttackType> = policy::types_of(db, &keys)
        .await?
        .iter()
        .filter_map(|t| AttackType::from_stored(&t.attack_type))
        .collect();
    kinds.sort();
    let mut perps: Vec<PerpetratorType> = policy::perpetrators_of(db, &keys)
        .await?
        .iter()
        .filter_map(|p| PerpetratorType::from_stored(&p.perpetrator_type))
        .collect();
    perps.sort();
    let raw_responses = policy::responses_of(db, &keys).await?;
    let mut responses = Vec::new();
    for r in &raw_responses {
        responses.push(response_view(web, viewer, r)?);
    }
    let cases = policy::linked_cases_of(db, viewer, &keys)
        .await?
        .into_iter()
        .map(|(_, c)| LinkView {
            href: format!("/cases/{}", ids::encode(Kind::Case, c.model().id)),
            label: c.model().reference.clone(),
        })
        .collect();
    let priors = policy::priors_of(db, viewer, &keys)
        .await?
        .into_iter()
        .map(|(_, p)| LinkView {
            href: format!("/reports/{}", ids::encode(Kind::AttackReport, p.model().id)),
            label: p.model().reference.clone(),
        })
        .collect();
    let organization = match m.organization_id {
        Some(org) => directory::visible_organization_name(&web.state, viewer, org).await?,
        None => None,
    };
    let triage = match policy::may_triage(viewer, &seen) {
        Ok(country) => raw_responses
            .iter()
            .find(|r| r.country == country.as_str())
            .map(|r| {
                let (step, form) = &typed;
                let now = ResponseState::from_stored(&r.state);
                TriageView {
                    country: super::page::country_name(country),
                    state: state_label(&r.state),
                    may_acknowledge: now == Some(ResponseState::Received),
                    may_link_or_close: now == Some(ResponseState::Acknowledged),
                    ack_note: if *step == Triage::Acknowledge {
                        form.note.clone()
                    } else {
                        String::new()
                    },
                    case_id: form.case_id.clone(),
                    close_outcome: form.outcome.clone(),
                    close_note: if matches!(step, Triage::Close(_)) {
                        form.note.clone()
                    } else {
                        String::new()
                    },
                }
            }),
        Err(_) => None,
    };
    // The incident on the place's own clock; a date alone when no time was given.
    let zone = m.timezone.as_deref().and_then(|z| z.parse::<Tz>().ok());
    let (when, when_iso) = match (m.incident_at, zone) {
        (Some(at), Some(zone)) => {
            let when = current().when(at, zone, viewer.reading.zone);
            (when.to_string(), when.iso)
        }
        _ => (
            current().date(m.incident_date),
            m.incident_date.format("%Y-%m-%d").to_string(),
        ),
    };
    Ok(ReportPage {
        nav: Nav::of(viewer, &name, "/reports").with_flash(flash),
        id: ids::encode(Kind::AttackReport, m.id),
        reference: m.reference.clone(),
        host: country_name(&m.host_country),
        region: m.region.clone(),
        when,
        when_iso,
        attack_types: kinds.into_iter().map(|k| t(attack_label(k))).collect(),
        perpetrator_types: perps.into_iter().map(|p| t(perpetrator_label(p))).collect(),
        description: service::description(&web.state, &seen)?,
        erased_at: m
            .description_erased_at
            .map(|at| current().date(at.date_naive())),
        submitted_at: in_utc(m.submitted_at, viewer),
        organization,
        responses,
        cases,
        priors,
        triage,
        errors,
    })
}

/// The report a path names, as the API's `attackReport` finds it: a
/// malformed, other-kind, missing or invisible id is the same `NOT_FOUND`.
async fn find(web: &Web, viewer: &Viewer, id: &str) -> AppResult<SeenReport> {
    let id = ids::decode(Kind::AttackReport, id).ok_or(AppError::NotFound)?;
    policy::find(&web.state.db, viewer, id).await
}

/// `GET /reports/{id}`.
async fn report_page(
    State(web): State<Web>,
    SignedIn(viewer): SignedIn,
    Flash(flash): Flash,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let seen = find(&web, &viewer, &id).await?;
    let page = report_view(
        &web,
        &viewer,
        seen,
        (Triage::Acknowledge, TriageForm::default()),
        FormErrors::default(),
        flash,
    )
    .await?;
    Ok(ok(&page))
}

/// One triage step, as the API's mutation makes it; a refusal comes back on
/// the report's page beside the form's field, what was typed kept.
async fn triage_step(
    web: &Web,
    viewer: &Viewer,
    id: &str,
    step: Triage,
    form: TriageForm,
) -> Result<Response, WebError> {
    let report_id = ids::decode(Kind::AttackReport, id).ok_or(AppError::NotFound)?;
    let what = match step {
        Triage::Acknowledge => "report-acknowledged",
        Triage::Link => "report-linked",
        Triage::Close(_) => "report-closed",
    };
    let (note, case_id) = match step {
        Triage::Link => {
            // The case's address or id, as its page shows it.
            let raw = form.case_id.trim();
            let tail = raw.rsplit('/').next().unwrap_or(raw);
            match ids::decode(Kind::Case, tail) {
                Some(c) => (None, Some(c)),
                None => {
                    let err = AppError::bad_input("caseId", msg!("reports-error-not-case-id"));
                    return refused(web, viewer, report_id, step, form, err).await;
                }
            }
        }
        _ => (Some(form.note.clone()), None),
    };
    match service::triage(&web.state, viewer, report_id, step, note, case_id).await {
        Ok(_) => Ok(done(&format!("/reports/{id}"), what)),
        Err(err @ (AppError::Unauthenticated(_) | AppError::Internal(_))) => Err(err.into()),
        Err(err) => refused(web, viewer, report_id, step, form, err).await,
    }
}

/// The report's page again with the refusal beside the triage form's field.
async fn refused(
    web: &Web,
    viewer: &Viewer,
    report_id: Uuid,
    step: Triage,
    form: TriageForm,
    err: AppError,
) -> Result<Response, WebError> {
    // A report the viewer cannot see is refused as the page would be.
    let seen = policy::find(&web.state.db, viewer, report_id).await?;
    let (field, label) = match step {
        Triage::Acknowledge => ("ackNote", t("reports-acknowledge")),
        Triage::Link => ("caseId", t("reports-field-case")),
        Triage::Close(_) => ("closeNote", t("reports-field-close")),
    };
    let message = match (&err, step) {
        (AppError::NotFound, Triage::Link) => t("reports-error-no-such-case"),
        (AppError::Forbidden, Triage::Link) => t("reports-error-case-hidden"),
        (AppError::BadUserInput(i), Triage::Link)
            if i.reason.id() == "reports-error-not-case-id" =>
        {
            t("reports-error-not-case-id")
        }
        (AppError::BadUserInput(i), _) => i.reason.text(),
        (other, _) => super::error::sentence(other),
    };
    let mut errors = FormErrors::default();
    errors.add(field, &label, message);
    let status = match &err {
        AppError::Forbidden => StatusCode::FORBIDDEN,
        other => refusal_status(other),
    };
    let page = report_view(web, viewer, seen, (step, form), errors, None).await?;
    Ok(html(status, &page))
}

/// `POST /reports/{id}/acknowledge` (`acknowledgeAttackReport`).
async fn acknowledge(
    State(web): State<Web>,
    SignedIn(viewer): SignedIn,
    Path(id): Path<String>,
    Form(form): Form<TriageForm>,
) -> Result<Response, WebError> {
    triage_step(&web, &viewer, &id, Triage::Acknowledge, form).await
}

/// `POST /reports/{id}/link` (`linkAttackReport`).
async fn link(
    State(web): State<Web>,
    SignedIn(viewer): SignedIn,
    Path(id): Path<String>,
    Form(form): Form<TriageForm>,
) -> Result<Response, WebError> {
    triage_step(&web, &viewer, &id, Triage::Link, form).await
}

/// `POST /reports/{id}/close` (`closeAttackReport`): an outcome must be chosen.
async fn close(
    State(web): State<Web>,
    SignedIn(viewer): SignedIn,
    Path(id): Path<String>,
    Form(form): Form<TriageForm>,
) -> Result<Response, WebError> {
    let Some(outcome) = CloseOutcome::from_stored(&form.outcome) else {
        let report_id = ids::decode(Kind::AttackReport, &id).ok_or(AppError::NotFound)?;
        let seen = policy::find(&web.state.db, &viewer, report_id).await?;
        let mut errors = FormErrors::default();
        errors.add(
            "closeOutcome",
            &t("reports-field-outcome"),
            t("reports-error-choose-outcome"),
        );
        let page = report_view(
            &web,
            &viewer,
            seen,
            (Triage::Close(CloseOutcome::NoAction), form),
            errors,
            None,
        )
        .await?;
        return Ok(html(StatusCode::BAD_REQUEST, &page));
    };
    triage_step(&web, &viewer, &id, Triage::Close(outcome), form).await
}
