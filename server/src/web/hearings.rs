//! The hearings a viewer may see: the calendar (`/hearings`, filtered and
//! paged exactly as the API's `hearings` connection), one hearing
//! (`/hearings/{id}`, what the API's `Hearing` shows this viewer: roster,
//! observers only where the policy names them, observations and their
//! history), and the changes a diplomat makes there: claim a place, release
//! it, submit or amend an observation. Reads go through `policy::hearings`
//! and `policy::paging`, writes through `service::roster` and
//! `service::hearings`, with the same viewer as the resolvers.
use std::collections::HashMap;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Form, Router};
use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;
use sea_orm::{ColumnTrait, QueryFilter};
use serde::Deserialize;
use uuid::Uuid;

use super::Web;
use super::error::WebError;
use super::page::{Flash, FormErrors, Nav, done, html, ok};
use super::session::SignedIn;
use crate::auth::Viewer;
use crate::domain::CountryCode;
use crate::domain::hearing::{
    self as rules, ClaimStatus, Coverage, HearingStatus, Outcome, SuspendReason,
};
use crate::domain::ids::{self, Kind};
use crate::domain::observation::{
    Content, CounselAccess, CourtroomAccess, HearingAccess, Interpretation, Present, present_of,
};
use crate::error::AppError;
use crate::i18n::{current, t};
use crate::policy::Seen;
use crate::policy::cases as case_policy;
use crate::policy::hearings::{self as policy, HearingFilter, Hearings};
use crate::policy::{Positioned, paging};
use crate::service::{calendar, hearings as service, roster};
use crate::store::roster_claim::{self, ClaimView};
use crate::store::{case, hearing, observation, observation_revision};

/// Confirmations of this area's changes.
pub const DONE: &[(&str, &str)] = &[
    ("place-confirmed", "hearings-done-place-confirmed"),
    ("place-waitlisted", "hearings-done-place-waitlisted"),
    ("place-released", "hearings-done-place-released"),
    ("observation-saved", "hearings-done-observation-saved"),
];

/// A calendar page holds at most this many hearings.
const PAGE: i32 = 50;

/// This area's routes.
pub fn routes() -> Router<Web> {
    Router::new()
        .route("/hearings", get(list))
        .route("/hearings/{id}", get(show))
        .route("/hearings/{id}/claim", post(claim))
        .route("/hearings/{id}/release", post(release))
        .route("/hearings/{id}/observation", post(observe))
}

// ---------------------------------------------------------------------------
// Times: the court's local time with its zone, the viewer's own beside it.

/// A moment as a page shows it: the court's local time with its zone, the
/// viewer's own beside it when their clock differs.
pub(super) use crate::i18n::When;

/// `at` in the court's zone (`court_zone` as stored; UTC if it does not
/// parse) first, and in the viewer's zone `own` beside it when it differs,
/// in the page's language.
pub(super) fn when(at: DateTime<Utc>, court_zone: &str, own: Tz) -> When {
    let court: Tz = court_zone.parse().unwrap_or(chrono_tz::UTC);
    current().when(at, court, Some(own))
}

/// The page's address of a hearing (the API's global id, as email links).
pub(super) fn href(id: Uuid) -> String {
    format!("/hearings/{}", ids::encode(Kind::Hearing, id))
}

/// A claim's place, in words (never colour alone), in the page's language.
pub(super) fn place_of(view: &ClaimView) -> String {
    match view.claim.state() {
        Some(ClaimStatus::Confirmed) => t("hearings-place-confirmed"),
        Some(ClaimStatus::Waitlisted) => match view.position {
            Some(n) => current().text1("hearings-place-waitlisted-number", "number", n),
            None => t("hearings-place-waitlisted"),
        },
        Some(ClaimStatus::Suspended) => {
            let why = view
                .claim
                .suspended_reason
                .as_deref()
                .and_then(SuspendReason::from_stored);
            match why {
                Some(SuspendReason::ConsentWithdrawn) => t("hearings-place-suspended-consent"),
                Some(SuspendReason::VisibilityLost) => t("hearings-place-suspended-visibility"),
                None => t("hearings-place-suspended"),
            }
        }
        None => t("hearings-place-unknown"),
    }
}

/// A stored status's message id.
fn status_label(stored: &str) -> &'static str {
    match HearingStatus::from_stored(stored) {
        Some(HearingStatus::Scheduled) => "hearings-status-scheduled",
        Some(HearingStatus::Postponed) => "hearings-status-postponed",
        Some(HearingStatus::Held) => "hearings-status-held",
        Some(HearingStatus::Cancelled) => "hearings-status-cancelled",
        None => "hearings-status-unknown",
    }
}

fn coverage_label(c: Coverage) -> &'static str {
    match c {
        Coverage::Uncovered => "hearings-coverage-uncovered",
        Coverage::Partial => "hearings-coverage-partial",
        Coverage::Covered => "hearings-coverage-covered",
    }
}

fn outcome_label(o: Outcome) -> &'static str {
    match o {
        Outcome::AccessDenied => "hearings-outcome-access-denied",
        Outcome::Adjourned => "hearings-outcome-adjourned",
        Outcome::Heard => "hearings-outcome-heard",
        Outcome::Verdict => "hearings-outcome-verdict",
        Outcome::Postponed => "hearings-outcome-postponed",
        Outcome::Other => "hearings-outcome-other",
    }
}

fn yes_no(v: Option<bool>) -> String {
    match v {
        Some(true) => t("hearings-yes"),
        Some(false) => t("hearings-no"),
        None => t("hearings-not-recorded"),
    }
}

/// A hearing id from the address: malformed or another kind of id reads
/// exactly as a hearing that does not exist.
fn hearing_id(raw: &str) -> Result<Uuid, WebError> {
    ids::decode(Kind::Hearing, raw).ok_or(WebError(AppError::NotFound))
}

// ---------------------------------------------------------------------------
// The calendar.

fn countries(host: &str) -> Vec<super::page::Choice> {
    super::page::country_choices(host)
}

/// One row of the calendar.
struct HearingRow {
    href: String,
    when: When,
    court: String,
    city: String,
    host: String,
    confirmed: usize,
    needed: i32,
    status: String,
    /// Whether the status is "Scheduled" (not shown then).
    scheduled: bool,
    /// The viewer's own place, if they hold a claim.
    mine: Option<String>,
}

#[derive(Template)]
#[template(path = "hearings.html")]
struct ListPage {
    nav: Nav,
    errors: FormErrors,
    countries: Vec<super::page::Choice>,
    from: String,
    to: String,
    own_zone: String,
    rows: Vec<HearingRow>,
    total: u64,
    /// The filters as a query string (`&host=…`), for the pager's links.
    filters: String,
    next: Option<String>,
    first_page: bool,
}

#[derive(Deserialize, Default)]
pub struct ListQuery {
    #[serde(default)]
    host: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
    after: Option<String>,
}

const FILTER_FIELDS: &[(&str, &str)] = &[
    ("host", "hearings-filter-host"),
    ("from", "hearings-filter-from"),
    ("to", "hearings-filter-to"),
];

/// Midnight at the start of `day` in `tz`, as an instant.
fn midnight(day: NaiveDate, tz: Tz) -> Option<DateTime<Utc>> {
    tz.from_local_datetime(&day.and_hms_opt(0, 0, 0)?)
        .earliest()
        .map(|t| t.with_timezone(&Utc))
}

/// The filter form as the policy's filter; a mistake beside its field.
/// Dates are days in the viewer's own zone, both included.
fn read_filter(q: &ListQuery, own: Tz) -> Result<HearingFilter, FormErrors> {
    let mut errors = FormErrors::default();
    let mut filter = HearingFilter::default();
    if !q.host.trim().is_empty() {
        match CountryCode::parse("host", &q.host) {
            Ok(c) => filter.host_country = Some(c),
            Err(e) => errors.add("host", &t("hearings-filter-host"), e.reason.text()),
        }
    }
    let date = |raw: &str, field: &str, label: &str, errors: &mut FormErrors| {
        if raw.trim().is_empty() {
            return None;
        }
        match NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d") {
            Ok(d) => Some(d),
            Err(_) => {
                errors.add(field, label, t("hearings-error-date"));
                None
            }
        }
    };
    let from = date(&q.from, "from", &t("hearings-filter-from"), &mut errors);
    let to = date(&q.to, "to", &t("hearings-filter-to"), &mut errors);
    if let (Some(f), Some(until)) = (from, to)
        && until < f
    {
        errors.add(
            "to",
            &t("hearings-filter-to"),
            t("hearings-error-to-before-from"),
        );
    }
    filter.from = from.and_then(|d| midnight(d, own));
    filter.to = to
        .and_then(|d| d.checked_add_signed(Duration::days(1)))
        .and_then(|d| midnight(d, own));
    if errors.is_empty() {
        Ok(filter)
    } else {
        Err(errors)
    }
}

/// The filters again as a query string, each value checked already.
fn filter_query(q: &ListQuery) -> String {
    let mut out = String::new();
    for (key, value) in [("host", &q.host), ("from", &q.from), ("to", &q.to)] {
        let value = value.trim();
        if !value.is_empty() {
            out.push('&');
            out.push_str(key);
            out.push('=');
            out.push_str(&urlencoding(value));
        }
    }
    out
}

/// Percent-encodes everything but unreserved characters.
fn urlencoding(raw: &str) -> String {
    raw.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The viewer's place on each hearing's roster, and the confirmed count, as
/// the API's `Hearing` computes them (`shown_claims`, then display order).
fn roster_facts(
    h: &Seen<hearing::Model>,
    claims: &[roster_claim::Model],
    viewer: &Viewer,
) -> (usize, Option<String>) {
    let on_hearing: Vec<roster_claim::Model> = claims
        .iter()
        .filter(|c| c.hearing_id == h.model().id)
        .cloned()
        .collect();
    let shown = policy::shown_claims(h, on_hearing);
    let confirmed = roster_claim::confirmed_count(&shown);
    let mine = roster::in_display_order(shown)
        .iter()
        .find(|v| v.claim.user_id == viewer.user_id)
        .map(place_of);
    (confirmed, mine)
}

/// `GET /hearings`: the hearings the viewer may see, 50 a page.
pub async fn list(
    State(web): State<Web>,
    SignedIn(viewer): SignedIn,
    Flash(flash): Flash,
    Query(q): Query<ListQuery>,
) -> Result<Response, WebError> {
    let state = &web.state;
    let me = calendar::page_viewer(state, &viewer).await?;
    let own = me.timezone;
    let mut page = ListPage {
        nav: Nav::of(&viewer, &me.display_name, "/hearings").with_flash(flash),
        errors: FormErrors::default(),
        countries: countries(q.host.trim()),
        from: q.from.trim().to_owned(),
        to: q.to.trim().to_owned(),
        own_zone: own.name().to_owned(),
        rows: Vec::new(),
        total: 0,
        filters: filter_query(&q),
        next: None,
        first_page: q.after.is_none(),
    };
    let filter = match read_filter(&q, own) {
        Ok(f) => f,
        Err(errors) => {
            page.errors = errors;
            return Ok(html(StatusCode::BAD_REQUEST, &page));
        }
    };
    let listed =
        paging::list::<Hearings>(&state.db, &viewer, filter, Some(PAGE), q.after.clone()).await;
    let (seen, shape) = match listed {
        Ok(found) => found,
        Err(err @ AppError::BadUserInput(_)) => {
            page.errors = FormErrors::from_error(&err, FILTER_FIELDS, "host");
            return Ok(html(StatusCode::BAD_REQUEST, &page));
        }
        Err(err) => return Err(err.into()),
    };
    let keys: Vec<_> = seen.iter().map(|h| h.key()).collect();
    let claims = policy::claims_of(&state.db, &keys).await?;
    // Host countries as the viewer's case scope shows them (a SUMMARY field),
    // as the API's `coverageGaps` reads them.
    let hosts: HashMap<Uuid, String> = case_policy::visible(&viewer)
        .filter(case::Column::Id.is_in(seen.iter().map(|h| h.model().case_id)))
        .all(&state.db)
        .await?
        .into_iter()
        .map(|c| {
            (
                c.id,
                super::page::country_name(CountryCode::from_stored(&c.host_country)),
            )
        })
        .collect();
    page.next = shape
        .has_next
        .then(|| seen.last().map(|h| h.position().cursor()))
        .flatten();
    page.total = shape.total_count;
    page.rows = seen
        .iter()
        .map(|h| {
            let m = h.model();
            let (confirmed, mine) = roster_facts(h, &claims, &viewer);
            HearingRow {
                href: href(m.id),
                when: when(m.starts_at, &m.timezone, own),
                court: m.court.clone(),
                city: m.city.clone(),
                host: hosts.get(&m.case_id).cloned().unwrap_or_default(),
                confirmed,
                needed: m.observers_needed,
                status: t(status_label(&m.status)),
                scheduled: HearingStatus::from_stored(&m.status) == Some(HearingStatus::Scheduled),
                mine,
            }
        })
        .collect();
    Ok(ok(&page))
}

// ---------------------------------------------------------------------------
// One hearing.

/// One claim of the roster as the viewer is shown it.
struct ClaimRow {
    place: String,
    country: String,
    /// Who, where the policy names observers to this viewer.
    who: Option<String>,
    mine: bool,
}

/// An observation's content (current or earlier), as the page shows it.
struct ObservationContent {
    courtroom_access: String,
    access_note: Option<String>,
    public_access: String,
    press_access: String,
    /// The categories present, as labels ("None recorded" when empty).
    present: String,
    counsel_access: String,
    interpretation: String,
    duration: String,
    adjourned: String,
    adjournment_reason: Option<String>,
    outcome: String,
    defendant_present: String,
    ill_treatment_alleged: String,
    notable_events: Option<String>,
    notes: Option<String>,
}

impl ObservationContent {
    /// A stored content (`None`: a row the database's CHECKs should have
    /// refused, an internal error).
    fn of(content: Option<Content>) -> Result<Self, AppError> {
        let c = content.ok_or_else(|| AppError::internal("unreadable observation content"))?;
        let present: Vec<_> = c.present.iter().map(|p| t(present_label(*p))).collect();
        Ok(ObservationContent {
            courtroom_access: t(courtroom_label(c.courtroom_access)),
            access_note: c.access_note,
            public_access: t(hearing_access_label(c.public_access)),
            press_access: t(hearing_access_label(c.press_access)),
            present: if present.is_empty() {
                t("hearings-none-recorded")
            } else {
                present.join(", ")
            },
            counsel_access: t(counsel_label(c.counsel_access)),
            interpretation: t(c
                .interpretation
                .map_or("hearings-not-recorded", interpretation_label)),
            duration: c.duration_minutes.map_or_else(
                || t("hearings-not-recorded"),
                |m| current().text1("hearings-minutes", "count", m),
            ),
            adjourned: yes_no(Some(c.adjourned)),
            adjournment_reason: c.adjournment_reason,
            outcome: t(outcome_label(c.outcome)),
            defendant_present: yes_no(c.defendant_present),
            ill_treatment_alleged: yes_no(c.ill_treatment_alleged),
            notable_events: c.notable_events,
            notes: c.notes,
        })
    }
}

fn courtroom_label(a: CourtroomAccess) -> &'static str {
    match a {
        CourtroomAccess::Granted => "hearings-courtroom-granted",
        CourtroomAccess::GrantedAfterDelay => "hearings-courtroom-granted-after-delay",
        CourtroomAccess::Denied => "hearings-courtroom-denied",
    }
}

fn hearing_access_label(a: HearingAccess) -> &'static str {
    match a {
        HearingAccess::Open => "hearings-access-open",
        HearingAccess::Restricted => "hearings-access-restricted",
        HearingAccess::Closed => "hearings-access-closed",
        HearingAccess::NotObserved => "hearings-access-not-observed",
    }
}

fn counsel_label(a: CounselAccess) -> &'static str {
    match a {
        CounselAccess::Unrestricted => "hearings-counsel-unrestricted",
        CounselAccess::Restricted => "hearings-counsel-restricted",
        CounselAccess::Denied => "hearings-counsel-denied",
        CounselAccess::NotObserved => "hearings-counsel-not-observed",
    }
}

fn interpretation_label(i: Interpretation) -> &'static str {
    match i {
        Interpretation::Provided => "hearings-interpretation-provided",
        Interpretation::Inadequate => "hearings-interpretation-inadequate",
        Interpretation::NotProvided => "hearings-interpretation-not-provided",
        Interpretation::NotNeeded => "hearings-interpretation-not-needed",
    }
}

fn present_label(p: Present) -> &'static str {
    match p {
        Present::Family => "hearings-present-family",
        Present::Public => "hearings-present-public",
        Present::Press => "hearings-present-press",
        Present::OtherDiplomats => "hearings-present-other-diplomats",
        Present::UnOrInternational => "hearings-present-un-or-international",
        Present::NgoObservers => "hearings-present-ngo-observers",
        Present::SecurityForces => "hearings-present-security-forces",
        Present::GovernmentOfficials => "hearings-present-government-officials",
        Present::Victims => "hearings-present-victims",
    }
}

struct EarlierContent {
    revision: i32,
    written: String,
    replaced: String,
    /// Why this content amended the one before (none for the original).
    reason: Option<String>,
    content: ObservationContent,
}

struct ObservationRow {
    country: String,
    who: Option<String>,
    submitted: String,
    amended: Option<String>,
    reason: Option<String>,
    content: ObservationContent,
    history: Vec<EarlierContent>,
}

/// The observation form's values (as typed, or the viewer's current ones).
/// Its names are the API's input fields, so a refusal lands beside its field.
#[derive(Default, Clone)]
pub struct ObservationForm {
    courtroom_access: String,
    access_note: String,
    public_access: String,
    press_access: String,
    present: Vec<String>,
    counsel_access: String,
    interpretation: String,
    duration_minutes: String,
    adjourned: bool,
    adjournment_reason: String,
    outcome: String,
    defendant_present: String,
    ill_treatment_alleged: String,
    notable_events: String,
    notes: String,
    /// Why (an amendment only).
    reason: String,
    /// The observation amended (its global id), when amending.
    amend: String,
}

/// A yes/no/not-recorded question of the form.
struct Question {
    field: &'static str,
    label: String,
    value: String,
}

/// One choice of a select or a set of radios or checkboxes.
struct Choice {
    value: &'static str,
    label: String,
    selected: bool,
}

/// A select of the form (its field, label and choices).
struct Select {
    field: &'static str,
    label: String,
    choices: Vec<Choice>,
}

/// The choices of a closed set, each labelled from its message id
/// (`label`), in the page's language.
fn choices<T: Copy>(
    all: &[T],
    value: impl Fn(T) -> &'static str,
    label: impl Fn(T) -> &'static str,
    selected: impl Fn(&str) -> bool,
) -> Vec<Choice> {
    all.iter()
        .map(|x| Choice {
            value: value(*x),
            label: t(label(*x)),
            selected: selected(value(*x)),
        })
        .collect()
}

impl ObservationForm {
    fn from_pairs(pairs: Vec<(String, String)>) -> ObservationForm {
        let mut f = ObservationForm::default();
        for (k, v) in pairs {
            match k.as_str() {
                "courtroomAccess" => f.courtroom_access = v,
                "accessNote" => f.access_note = v,
                "publicAccess" => f.public_access = v,
                "pressAccess" => f.press_access = v,
                "present" => f.present.push(v),
                "counselAccess" => f.counsel_access = v,
                "interpretation" => f.interpretation = v,
                "durationMinutes" => f.duration_minutes = v,
                "adjourned" => f.adjourned = v == "true",
                "adjournmentReason" => f.adjournment_reason = v,
                "outcome" => f.outcome = v,
                "defendantPresent" => f.defendant_present = v,
                "illTreatmentAlleged" => f.ill_treatment_alleged = v,
                "notableEvents" => f.notable_events = v,
                "notes" => f.notes = v,
                "reason" => f.reason = v,
                "amend" => f.amend = v,
                _ => {}
            }
        }
        f
    }

    fn courtroom(&self) -> Vec<Choice> {
        choices(
            CourtroomAccess::ALL,
            CourtroomAccess::as_str,
            courtroom_label,
            |v| v == self.courtroom_access,
        )
    }

    fn outcomes(&self) -> Vec<Choice> {
        choices(Outcome::ALL, Outcome::as_str, outcome_label, |v| {
            v == self.outcome
        })
    }

    fn categories(&self) -> Vec<Choice> {
        choices(Present::ALL, Present::as_str, present_label, |v| {
            self.present.iter().any(|p| p == v)
        })
    }

    fn selects(&self) -> Vec<Select> {
        vec![
            Select {
                field: "publicAccess",
                label: t("hearing-field-public-access"),
                choices: choices(
                    HearingAccess::ALL,
                    HearingAccess::as_str,
                    hearing_access_label,
                    |v| v == self.public_access,
                ),
            },
            Select {
                field: "pressAccess",
                label: t("hearing-field-press-access"),
                choices: choices(
                    HearingAccess::ALL,
                    HearingAccess::as_str,
                    hearing_access_label,
                    |v| v == self.press_access,
                ),
            },
            Select {
                field: "counselAccess",
                label: t("hearing-field-counsel-access"),
                choices: choices(
                    CounselAccess::ALL,
                    CounselAccess::as_str,
                    counsel_label,
                    |v| v == self.counsel_access,
                ),
            },
        ]
    }

    fn interpretations(&self) -> Vec<Choice> {
        choices(
            Interpretation::ALL,
            Interpretation::as_str,
            interpretation_label,
            |v| v == self.interpretation,
        )
    }

    fn questions(&self) -> Vec<Question> {
        [
            (
                "defendantPresent",
                t("hearing-field-defendant-present"),
                &self.defendant_present,
            ),
            (
                "illTreatmentAlleged",
                t("hearing-field-ill-treatment"),
                &self.ill_treatment_alleged,
            ),
        ]
        .into_iter()
        .map(|(field, label, value)| Question {
            field,
            label,
            value: value.clone(),
        })
        .collect()
    }

    /// The form for amending `o`: its current content, no reason yet.
    fn of(o: &observation::Model) -> ObservationForm {
        let answer = |v: Option<bool>| match v {
            Some(true) => "yes".to_owned(),
            Some(false) => "no".to_owned(),
            None => String::new(),
        };
        ObservationForm {
            courtroom_access: o.courtroom_access.clone(),
            access_note: o.access_note.clone().unwrap_or_default(),
            public_access: o.public_access.clone(),
            press_access: o.press_access.clone(),
            present: present_of(o.present)
                .unwrap_or_default()
                .into_iter()
                .map(|p| p.as_str().to_owned())
                .collect(),
            counsel_access: o.counsel_access.clone(),
            interpretation: o.interpretation.clone().unwrap_or_default(),
            duration_minutes: o
                .duration_minutes
                .map(|d| d.to_string())
                .unwrap_or_default(),
            adjourned: o.adjourned,
            adjournment_reason: o.adjournment_reason.clone().unwrap_or_default(),
            outcome: o.outcome.clone(),
            defendant_present: answer(o.defendant_present),
            ill_treatment_alleged: answer(o.ill_treatment_alleged),
            notable_events: o.notable_events.clone().unwrap_or_default(),
            notes: o.notes.clone().unwrap_or_default(),
            reason: String::new(),
            amend: ids::encode(Kind::Observation, o.id),
        }
    }

    /// The form as the service's content; a missing or unknown answer
    /// beside its field.
    fn read(&self) -> Result<Content, FormErrors> {
        let mut errors = FormErrors::default();
        let answer = |raw: &str| match raw {
            "yes" => Some(true),
            "no" => Some(false),
            _ => None,
        };
        let access = CourtroomAccess::from_stored(&self.courtroom_access);
        if access.is_none() {
            errors.add(
                "courtroomAccess",
                &t("hearing-field-courtroom-access"),
                t("hearing-error-choose-access"),
            );
        }
        let outcome = Outcome::from_stored(&self.outcome);
        if outcome.is_none() {
            errors.add(
                "outcome",
                &t("hearing-field-outcome"),
                t("hearing-error-choose-outcome"),
            );
        }
        let or_unobserved =
            |raw: &str| HearingAccess::from_stored(raw).unwrap_or(HearingAccess::NotObserved);
        let mut present = Vec::new();
        for raw in &self.present {
            match Present::from_stored(raw) {
                Some(p) => present.push(p),
                None => errors.add(
                    "present",
                    &t("hearing-field-present"),
                    t("hearing-error-choose-present"),
                ),
            }
        }
        let duration_minutes = match self.duration_minutes.trim() {
            "" => None,
            raw => match raw.parse::<i32>() {
                Ok(d) => Some(d),
                Err(_) => {
                    errors.add(
                        "durationMinutes",
                        &t("hearing-field-duration"),
                        t("hearing-error-whole-minutes"),
                    );
                    None
                }
            },
        };
        let (Some(courtroom_access), Some(outcome)) = (access, outcome) else {
            return Err(errors);
        };
        if !errors.is_empty() {
            return Err(errors);
        }
        let text = |raw: &str| Some(raw.to_owned());
        Ok(Content {
            courtroom_access,
            access_note: text(&self.access_note),
            public_access: or_unobserved(&self.public_access),
            press_access: or_unobserved(&self.press_access),
            present,
            counsel_access: CounselAccess::from_stored(&self.counsel_access)
                .unwrap_or(CounselAccess::NotObserved),
            interpretation: Interpretation::from_stored(&self.interpretation),
            duration_minutes,
            adjourned: self.adjourned,
            adjournment_reason: text(&self.adjournment_reason),
            outcome,
            defendant_present: answer(&self.defendant_present),
            ill_treatment_alleged: answer(&self.ill_treatment_alleged),
            notable_events: text(&self.notable_events),
            notes: text(&self.notes),
        })
    }
}

/// The form's fields and their labels' message ids.
const OBSERVATION_FIELDS: &[(&str, &str)] = &[
    ("courtroomAccess", "hearing-field-courtroom-access"),
    ("accessNote", "hearing-field-access-note"),
    ("present", "hearing-field-present"),
    ("durationMinutes", "hearing-field-duration"),
    (
        "adjournmentReason",
        "hearing-field-adjournment-reason-short",
    ),
    ("outcome", "hearing-field-outcome"),
    ("notableEvents", "hearing-field-notable-events"),
    ("notes", "hearing-field-notes"),
    ("reason", "hearing-field-reason"),
];

/// What the viewer may do on the hearing, decided from what they are shown.
enum Action {
    /// No claim: may claim a place.
    Claim,
    /// Holds a place or waits for one: may release it.
    Release,
    Nothing,
}

#[derive(Template)]
#[template(path = "hearing.html")]
struct HearingPage {
    nav: Nav,
    errors: FormErrors,
    id: String,
    court: String,
    city: String,
    when: When,
    duration_minutes: i32,
    deadline: String,
    status: String,
    needed: i32,
    confirmed: usize,
    coverage: String,
    /// (address, reference) of the case, when the viewer sees it.
    case: Option<(String, String)>,
    host: String,
    claims: Vec<ClaimRow>,
    mine: Option<String>,
    action: Action,
    observations: Vec<ObservationRow>,
    /// The observation form, when the viewer may report now.
    form: Option<ObservationForm>,
    amending: bool,
    /// Why no form is offered to a confirmed observer yet.
    form_later: bool,
}

/// The hearing page of `id` for `viewer`, as the API's `Hearing` resolves
/// it: the hearing through `policy::hearings::find`, its roster and
/// observations through the hearing's key, observers' names only where
/// `observer_key` allows, the case only through the case policy.
async fn hearing_page(
    web: &Web,
    viewer: &Viewer,
    id: Uuid,
    errors: FormErrors,
    typed: Option<ObservationForm>,
    flash: Option<String>,
) -> Result<HearingPage, WebError> {
    let state = &web.state;
    let db = &state.db;
    let seen = policy::find(db, viewer, id).await?;
    let me = calendar::page_viewer(state, viewer).await?;
    let own = me.timezone;
    let key = seen.key();
    let level = seen.level();
    let m = seen.model().clone();

    let case = match case_policy::find(db, viewer, m.case_id).await {
        Ok(c) => Some(c),
        Err(AppError::NotFound) => None,
        Err(e) => return Err(e.into()),
    };
    let host = case
        .as_ref()
        .map(|c| super::page::country_name(CountryCode::from_stored(&c.model().host_country)))
        .unwrap_or_default();
    let case = case.map(|c| {
        (
            format!("/cases/{}", ids::encode(Kind::Case, c.model().id)),
            c.model().reference.clone(),
        )
    });

    let shown = policy::shown_claims(&seen, policy::claims_of(db, &[key]).await?);
    let confirmed = roster_claim::confirmed_count(&shown);
    let coverage = rules::coverage(confirmed, usize::try_from(m.observers_needed).unwrap_or(0));
    let views = roster::in_display_order(shown);
    let observations = policy::observations_of(db, &[seen.key()]).await?;

    // Whom the viewer may know: one load for the roster and the observers.
    let mut keys = Vec::new();
    for v in &views {
        keys.extend(policy::observer_key(
            viewer,
            level,
            &v.claim.country,
            v.claim.user_id,
        ));
    }
    for o in &observations {
        keys.extend(policy::observer_key(
            viewer,
            level,
            &o.country,
            o.observer_id,
        ));
    }
    let names: HashMap<Uuid, String> = policy::observers(db, &keys)
        .await?
        .into_iter()
        .map(|u| (u.id, u.display_name))
        .collect();
    let name_if = |country: &str, user: Uuid| {
        policy::may_see_observer(viewer, level, country)
            .then(|| names.get(&user).cloned())
            .flatten()
    };

    let own_claim = views.iter().find(|v| v.claim.user_id == viewer.user_id);
    let mine = own_claim.map(place_of);
    let holding = own_claim.is_some_and(|v| !v.claim.is(ClaimStatus::Suspended));
    let confirmed_mine = own_claim.is_some_and(|v| v.claim.is(ClaimStatus::Confirmed));
    let open = matches!(
        HearingStatus::from_stored(&m.status),
        Some(HearingStatus::Scheduled | HearingStatus::Postponed)
    );
    let may_claim = matches!(
        viewer.role,
        crate::domain::Role::Diplomat | crate::domain::Role::Coordinator
    );
    let claims_open = state.clock.now() < m.claim_deadline.unwrap_or(m.starts_at);
    let action = if holding {
        Action::Release
    } else if may_claim && open && claims_open {
        Action::Claim
    } else {
        Action::Nothing
    };

    let history_keys: Vec<_> = observations
        .iter()
        .filter_map(|o| policy::history_key(seen.key(), o))
        .collect();
    let revisions: Vec<observation_revision::Model> =
        policy::revisions_of(db, &history_keys).await?;
    let own_observation = observations
        .iter()
        .find(|o| o.observer_id == viewer.user_id)
        .cloned();
    let mut rows = Vec::with_capacity(observations.len());
    for o in observations {
        let mut history = Vec::new();
        for r in revisions.iter().filter(|r| r.observation_id == o.id) {
            history.push(EarlierContent {
                revision: r.revision,
                written: when(r.submitted_at, &m.timezone, own).to_string(),
                replaced: when(r.amended_at, &m.timezone, own).to_string(),
                reason: r.amendment_reason.clone(),
                content: ObservationContent::of(r.content())?,
            });
        }
        rows.push(ObservationRow {
            country: o.country.clone(),
            who: name_if(&o.country, o.observer_id),
            submitted: when(o.submitted_at, &m.timezone, own).to_string(),
            amended: o
                .amended_at
                .map(|at| when(at, &m.timezone, own).to_string()),
            reason: o.amendment_reason.clone(),
            content: ObservationContent::of(o.content())?,
            history,
        });
    }

    let started = state.clock.now() >= m.starts_at;
    let reportable = confirmed_mine && m.status != HearingStatus::Cancelled.as_str();
    let form = (reportable && started).then(|| {
        typed.unwrap_or_else(|| {
            own_observation
                .as_ref()
                .map(ObservationForm::of)
                .unwrap_or_default()
        })
    });

    Ok(HearingPage {
        nav: Nav::of(viewer, &me.display_name, "/hearings").with_flash(flash),
        errors,
        id: ids::encode(Kind::Hearing, m.id),
        when: when(m.starts_at, &m.timezone, own),
        duration_minutes: m.duration_minutes,
        deadline: when(m.claim_deadline.unwrap_or(m.starts_at), &m.timezone, own).to_string(),
        status: t(status_label(&m.status)),
        needed: m.observers_needed,
        confirmed,
        coverage: t(coverage_label(coverage)),
        case,
        host,
        claims: views
            .iter()
            .map(|v| ClaimRow {
                place: place_of(v),
                country: v.claim.country.clone(),
                who: name_if(&v.claim.country, v.claim.user_id),
                mine: v.claim.user_id == viewer.user_id,
            })
            .collect(),
        mine,
        action,
        observations: rows,
        form,
        amending: own_observation.is_some(),
        form_later: reportable && !started,
        court: m.court,
        city: m.city,
    })
}

/// `GET /hearings/{id}`.
pub async fn show(
    State(web): State<Web>,
    SignedIn(viewer): SignedIn,
    Flash(flash): Flash,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let id = hearing_id(&id)?;
    let page = hearing_page(&web, &viewer, id, FormErrors::default(), None, flash).await?;
    Ok(ok(&page))
}

/// The status a refused form comes back with.
fn status_of(err: &AppError) -> StatusCode {
    match err {
        AppError::BadUserInput(_) => StatusCode::BAD_REQUEST,
        AppError::Forbidden => StatusCode::FORBIDDEN,
        _ => StatusCode::CONFLICT,
    }
}

/// A refused roster change: the hearing page again with the reason at the
/// top (beside the roster's button); a hearing the viewer may not see, or
/// any other failure, is the refusal page.
async fn roster_refused(
    web: &Web,
    viewer: &Viewer,
    id: Uuid,
    err: AppError,
) -> Result<Response, WebError> {
    match err {
        AppError::BadUserInput(_)
        | AppError::Conflict(_)
        | AppError::SlotUnavailable(_)
        | AppError::ConsentRequired(_) => {
            let mut errors = FormErrors::default();
            errors.add(
                "roster-action",
                &t("hearing-roster-action"),
                super::error::sentence(&err),
            );
            let page = hearing_page(web, viewer, id, errors, None, None).await?;
            Ok(html(status_of(&err), &page))
        }
        other => Err(other.into()),
    }
}

/// `POST /hearings/{id}/claim`: as the API's `claimRosterSlot`.
pub async fn claim(
    State(web): State<Web>,
    SignedIn(viewer): SignedIn,
    Path(raw): Path<String>,
) -> Result<Response, WebError> {
    let id = hearing_id(&raw)?;
    match roster::claim(&web.state, &viewer, id).await {
        Ok((view, _)) => {
            let what = if view.claim.is(ClaimStatus::Confirmed) {
                "place-confirmed"
            } else {
                "place-waitlisted"
            };
            Ok(done(&href(id), what))
        }
        Err(err) => roster_refused(&web, &viewer, id, err).await,
    }
}

#[derive(Deserialize)]
pub struct ReleaseForm {
    /// `roster` when released from *my roster* (back there after).
    #[serde(default)]
    back: String,
}

/// `POST /hearings/{id}/release`: as the API's `releaseRosterSlot`.
pub async fn release(
    State(web): State<Web>,
    SignedIn(viewer): SignedIn,
    Path(raw): Path<String>,
    Form(form): Form<ReleaseForm>,
) -> Result<Response, WebError> {
    let id = hearing_id(&raw)?;
    match roster::release(&web.state, &viewer, id).await {
        Ok(_) if form.back == "roster" => Ok(done("/roster", "place-released")),
        Ok(_) => Ok(done(&href(id), "place-released")),
        Err(err) => roster_refused(&web, &viewer, id, err).await,
    }
}

/// `POST /hearings/{id}/observation`: as the API's `submitObservation`,
/// or `amendObservation` when the form amends the viewer's observation
/// (`amend`, with a reason). A refused form comes back as typed, each
/// mistake beside its field.
pub async fn observe(
    State(web): State<Web>,
    SignedIn(viewer): SignedIn,
    Path(raw): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let id = hearing_id(&raw)?;
    let form = ObservationForm::from_pairs(pairs);
    let refused = async |errors: FormErrors, status: StatusCode, form: ObservationForm| {
        let page = hearing_page(&web, &viewer, id, errors, Some(form), None).await?;
        Ok::<Response, WebError>(html(status, &page))
    };
    let content = match form.read() {
        Ok(content) => content,
        Err(errors) => return refused(errors, StatusCode::BAD_REQUEST, form).await,
    };
    let written = if form.amend.is_empty() {
        service::observe(&web.state, &viewer, id, content).await
    } else {
        // An id of another kind reads as an observation that does not exist.
        let oid =
            ids::decode(Kind::Observation, &form.amend).ok_or(WebError(AppError::NotFound))?;
        service::amend_observation(&web.state, &viewer, oid, content, &form.reason)
            .await
            .map(|(_, o)| o)
    };
    match written {
        Ok(_) => Ok(done(&href(id), "observation-saved")),
        Err(AppError::NotFound) => Err(AppError::NotFound.into()),
        Err(err @ (AppError::BadUserInput(_) | AppError::Conflict(_))) => {
            let errors = FormErrors::from_error(&err, OBSERVATION_FIELDS, "courtroomAccess");
            refused(errors, status_of(&err), form).await
        }
        Err(err) => Err(err.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    /// The label fns return ids chosen at run time (the source scan cannot
    /// see them): each one is a message in every language.
    #[test]
    fn every_label_of_the_observation_is_a_message_in_every_language() {
        let mut ids: Vec<&str> = Vec::new();
        ids.extend(CourtroomAccess::ALL.iter().map(|a| courtroom_label(*a)));
        ids.extend(HearingAccess::ALL.iter().map(|a| hearing_access_label(*a)));
        ids.extend(CounselAccess::ALL.iter().map(|a| counsel_label(*a)));
        ids.extend(Interpretation::ALL.iter().map(|i| interpretation_label(*i)));
        ids.extend(Present::ALL.iter().map(|p| present_label(*p)));
        ids.extend(Outcome::ALL.iter().map(|o| outcome_label(*o)));
        ids.extend(HearingStatus::ALL.iter().map(|s| status_label(s.as_str())));
        ids.push(status_label("NOT_A_STATUS"));
        ids.extend(Coverage::ALL.iter().map(|c| coverage_label(*c)));
        ids.extend(OBSERVATION_FIELDS.iter().map(|(_, label)| *label));
        ids.extend(FILTER_FIELDS.iter().map(|(_, label)| *label));
        ids.extend(DONE.iter().map(|(_, id)| *id));
        for lang in Lang::all() {
            for id in &ids {
                assert_ne!(lang.text(id), *id, "{id} in {lang}");
            }
        }
    }
}
