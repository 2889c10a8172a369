//! The fairness assessment of a case's trial (issue 25), on its own page
//! beside the case: shown to those the policy lets see it, with every
//! version; an assessor's form for the next version (grade with its
//! definition, standards, reasoning, the trial's observations to cite);
//! the owner's share and unshare forms; and the text for publication.
//! Every read and write is the call the GraphQL resolver makes.
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Form, Router};
use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, QueryFilter};
use serde::Deserialize;
use uuid::Uuid;

use super::Web;
use super::error::WebError;
use super::page::{Choice, Flash, FormErrors, Nav, done, html, ok};
use super::session::SignedIn;
use crate::auth::Viewer;
use crate::domain::CountryCode;
use crate::domain::assessment::{self as rules, FairnessGrade, FairnessStandard};
use crate::domain::ids::{self, Kind};
use crate::error::AppError;
use crate::msg;
use crate::policy::assessments::{self as policy, Sight};
use crate::policy::cases as case_policy;
use crate::policy::hearings as hearing_policy;
use crate::service::{assessments as service, auth};
use crate::store::hearing;

/// Confirmations of this area's changes.
pub const DONE: &[(&str, &str)] = &[
    (
        "assessor-appointed",
        "The user is now an assessor: they may write your country's fairness assessments.",
    ),
    (
        "assessor-dismissed",
        "The user is no longer an assessor; what they wrote stays.",
    ),
    (
        "assessment-saved",
        "The new version of the assessment was saved.",
    ),
    (
        "assessment-shared",
        "The assessment is shared with that country (while it sees the trial).",
    ),
    (
        "assessment-unshared",
        "The assessment is no longer shared with that country.",
    ),
];

/// This area's routes.
pub fn routes() -> Router<Web> {
    Router::new()
        .route("/cases/{id}/assessment", get(assessment_page).post(save))
        .route("/cases/{id}/assessment/share", post(share))
        .route("/cases/{id}/assessment/unshare", post(unshare))
        .route("/cases/{id}/assessment/publication", get(publication))
        .route("/admin/users/{id}/assessor", post(appoint))
}

fn case_uuid(id: &str) -> Result<Uuid, WebError> {
    ids::decode(Kind::Case, id).ok_or(WebError(AppError::NotFound))
}

fn date_of(at: DateTime<Utc>) -> String {
    at.format("%-d %b %Y, %H:%M UTC").to_string()
}

fn country_name(code: &str) -> String {
    format!("{} ({code})", CountryCode::from_stored(code).name())
}

/// One version as the page shows it.
pub struct VersionRow {
    pub number: i32,
    pub grade: String,
    pub definition: &'static str,
    pub standards: Vec<&'static str>,
    /// The standards' stored names (to start the next version from).
    pub standard_values: Vec<&'static str>,
    pub reasoning: String,
    pub cited: usize,
    pub author_country: String,
    pub created: String,
}

/// An observation the assessor may cite.
pub struct CiteChoice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

/// A grade to choose, with what it means.
pub struct GradeChoice {
    pub value: &'static str,
    pub definition: &'static str,
    pub selected: bool,
}

/// What was typed into the version form (kept when it comes back).
#[derive(Default)]
struct Typed {
    grade: String,
    standards: Vec<String>,
    reasoning: String,
    cited: Vec<String>,
}

#[derive(Template)]
#[template(path = "assessment.html")]
struct AssessmentPage {
    nav: Nav,
    errors: FormErrors,
    case_id: String,
    reference: String,
    /// Newest first.
    versions: Vec<VersionRow>,
    owner: bool,
    shared_with: Option<Vec<String>>,
    may_share: bool,
    may_write: bool,
    base_version: i32,
    grades: Vec<GradeChoice>,
    standards: Vec<Choice>,
    reasoning: String,
    observations: Vec<CiteChoice>,
}

async fn view(
    web: &Web,
    viewer: &Viewer,
    case_id: Uuid,
    flash: Option<String>,
    errors: FormErrors,
    typed: Typed,
) -> Result<AssessmentPage, WebError> {
    let db = &web.state.db;
    let case = case_policy::find(db, viewer, case_id).await?;
    let assessment = policy::of_case(db, viewer, case_id).await?;
    let may_write = policy::may_write(db, viewer, &case).await.is_ok();
    // Nothing to show and nothing to write: as if there were nothing.
    if assessment.is_none() && !may_write {
        return Err(AppError::NotFound.into());
    }
    let me = auth::current_user(&web.state, viewer).await?;
    let nav = Nav::of(viewer, &me.display_name, "/cases").with_flash(flash);
    let (versions, shared_with, owner, may_share, base_version) = match &assessment {
        Some(a) => {
            let mut rows: Vec<VersionRow> = policy::versions_of(db, a)
                .await?
                .into_iter()
                .map(|v| {
                    let grade = FairnessGrade::from_stored(&v.grade);
                    VersionRow {
                        number: v.number,
                        grade: v.grade.clone(),
                        definition: grade.map(FairnessGrade::definition).unwrap_or_default(),
                        standards: rules::decode_standards(&v.standards)
                            .into_iter()
                            .map(FairnessStandard::title)
                            .collect(),
                        standard_values: rules::decode_standards(&v.standards)
                            .into_iter()
                            .map(FairnessStandard::as_str)
                            .collect(),
                        reasoning: v.reasoning,
                        cited: rules::decode_cited(&v.observation_ids).len(),
                        author_country: country_name(&v.author_country),
                        created: date_of(v.created_at),
                    }
                })
                .collect();
            rows.reverse();
            let shared = policy::shares_of(db, a)
                .await?
                .map(|s| s.into_iter().map(|s| country_name(&s.country)).collect());
            (
                rows,
                shared,
                a.level() == Sight::Owner,
                policy::may_share(viewer, a).is_ok(),
                a.model().current_version,
            )
        }
        None => (Vec::new(), None, true, false, 0),
    };
    // A new version starts from the current one, unless a refused form
    // comes back with what was typed.
    let current = versions.first();
    let fresh = errors.is_empty();
    let grade = match current {
        Some(v) if fresh => v.grade.clone(),
        _ => typed.grade.clone(),
    };
    let chosen: Vec<String> = match current {
        Some(v) if fresh => v.standard_values.iter().map(|s| (*s).to_owned()).collect(),
        _ => typed.standards.clone(),
    };
    let reasoning = match current {
        Some(v) if fresh => v.reasoning.clone(),
        _ => typed.reasoning.clone(),
    };
    let observations = if may_write {
        cite_choices(web, viewer, case_id, &typed.cited).await?
    } else {
        Vec::new()
    };
    Ok(AssessmentPage {
        nav,
        errors,
        case_id: ids::encode(Kind::Case, case_id),
        reference: case.model().reference.clone(),
        owner,
        shared_with,
        may_share,
        may_write,
        base_version,
        grades: FairnessGrade::ALL
            .iter()
            .map(|g| GradeChoice {
                value: g.as_str(),
                definition: g.definition(),
                selected: g.as_str() == grade,
            })
            .collect(),
        standards: FairnessStandard::ALL
            .iter()
            .map(|s| Choice {
                value: s.as_str().to_owned(),
                label: s.title().to_owned(),
                selected: chosen.iter().any(|t| t == s.as_str()),
            })
            .collect(),
        reasoning,
        observations,
        versions,
    })
}

/// The observations of the case's hearings the viewer sees, to cite.
async fn cite_choices(
    web: &Web,
    viewer: &Viewer,
    case_id: Uuid,
    selected: &[String],
) -> Result<Vec<CiteChoice>, WebError> {
    let db = &web.state.db;
    let hearings = hearing_policy::load(
        db,
        viewer,
        hearing_policy::visible(viewer).filter(hearing::Column::CaseId.eq(case_id)),
    )
    .await?;
    let keys: Vec<_> = hearings.iter().map(|h| h.key()).collect();
    let observations = hearing_policy::observations_of(db, &keys).await?;
    Ok(observations
        .into_iter()
        .map(|o| {
            let court = hearings
                .iter()
                .find(|h| h.model().id == o.hearing_id)
                .map(|h| {
                    format!(
                        "{}, {}",
                        h.model().court,
                        h.model().starts_at.format("%-d %b %Y")
                    )
                })
                .unwrap_or_default();
            let value = ids::encode(Kind::Observation, o.id);
            CiteChoice {
                label: format!(
                    "{court}: observed by {} ({})",
                    country_name(&o.country),
                    o.outcome
                ),
                selected: selected.contains(&value),
                value,
            }
        })
        .collect())
}

/// `GET /cases/{id}/assessment`.
async fn assessment_page(
    State(web): State<Web>,
    SignedIn(viewer): SignedIn,
    Flash(flash): Flash,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let id = case_uuid(&id)?;
    let page = view(
        &web,
        &viewer,
        id,
        flash,
        FormErrors::default(),
        Typed::default(),
    )
    .await?;
    Ok(ok(&page))
}

/// The status a refused form comes back with; `None`: a page of its own.
fn form_status(err: &AppError) -> Option<StatusCode> {
    match err {
        AppError::BadUserInput(_) => Some(StatusCode::BAD_REQUEST),
        AppError::Conflict(_) | AppError::StaleVersion { .. } => Some(StatusCode::CONFLICT),
        _ => None,
    }
}

/// The input's id and label for a field the service names.
fn field_of(field: &str) -> (&'static str, &'static str) {
    match field {
        "input.standards" => ("standards", "Standards applied"),
        "input.reasoning" => ("reasoning", "Reasoning"),
        f if f.starts_with("input.observationIds") => ("observations", "Observations cited"),
        "country" => ("country", "Country"),
        _ => ("grade", "Assessment"),
    }
}

fn errors_of(err: &AppError, fallback: (&str, &str)) -> FormErrors {
    let mut errors = FormErrors::default();
    match err {
        AppError::BadUserInput(input) => {
            let (id, label) = field_of(&input.field);
            errors.add(id, label, input.reason.text());
        }
        other => errors.add(fallback.0, fallback.1, super::error::sentence(other)),
    }
    errors
}

/// `POST /cases/{id}/assessment`: `service::assessments::write`, as
/// `writeFairnessAssessment`.
async fn save(
    State(web): State<Web>,
    SignedIn(viewer): SignedIn,
    Path(raw): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let id = case_uuid(&raw)?;
    let mut typed = Typed::default();
    let mut base = None;
    for (key, value) in pairs {
        match key.as_str() {
            "grade" => typed.grade = value,
            "standards" => typed.standards.push(value),
            "reasoning" => typed.reasoning = value,
            "observations" => typed.cited.push(value),
            "baseVersion" => base = value.parse::<i32>().ok().filter(|b| *b > 0),
            _ => {}
        }
    }
    let result = match FairnessGrade::from_stored(&typed.grade) {
        None => Err(AppError::bad_input("grade", msg!("input-choose-a-grade"))),
        Some(grade) => {
            let cited: Result<Vec<Uuid>, AppError> = typed
                .cited
                .iter()
                .map(|c| {
                    ids::decode(Kind::Observation, c).ok_or_else(|| {
                        AppError::bad_input(
                            "input.observationIds",
                            msg!("input-is-not-an-observation-of"),
                        )
                    })
                })
                .collect();
            match cited {
                Err(e) => Err(e),
                Ok(observation_ids) => {
                    let new = service::NewVersion {
                        base_version: base,
                        grade,
                        standards: typed
                            .standards
                            .iter()
                            .filter_map(|s| FairnessStandard::from_stored(s))
                            .collect(),
                        reasoning: typed.reasoning.clone(),
                        observation_ids,
                    };
                    service::write(&web.state, &viewer, id, new)
                        .await
                        .map(|_| ())
                }
            }
        }
    };
    match result {
        Ok(()) => Ok(done(
            &format!("/cases/{raw}/assessment"),
            "assessment-saved",
        )),
        Err(err) => {
            let Some(status) = form_status(&err) else {
                return Err(err.into());
            };
            let errors = errors_of(&err, ("grade", "Assessment"));
            let page = view(&web, &viewer, id, None, errors, typed).await?;
            Ok(html(status, &page))
        }
    }
}

#[derive(Deserialize)]
pub struct SharePost {
    #[serde(default)]
    country: String,
}

async fn set_shared(
    web: Web,
    viewer: Viewer,
    raw: String,
    country: String,
    shared: bool,
) -> Result<Response, WebError> {
    let id = case_uuid(&raw)?;
    match service::set_shared(&web.state, &viewer, id, country.trim(), shared).await {
        Ok(_) => {
            let what = if shared {
                "assessment-shared"
            } else {
                "assessment-unshared"
            };
            Ok(done(&format!("/cases/{raw}/assessment"), what))
        }
        Err(err) => {
            let Some(status) = form_status(&err) else {
                return Err(err.into());
            };
            let errors = errors_of(&err, ("country", "Sharing"));
            let page = view(&web, &viewer, id, None, errors, Typed::default()).await?;
            Ok(html(status, &page))
        }
    }
}

/// `POST /cases/{id}/assessment/share`: as `shareAssessment`.
async fn share(
    State(web): State<Web>,
    SignedIn(viewer): SignedIn,
    Path(raw): Path<String>,
    Form(form): Form<SharePost>,
) -> Result<Response, WebError> {
    set_shared(web, viewer, raw, form.country, true).await
}

/// `POST /cases/{id}/assessment/unshare`: as `unshareAssessment`.
async fn unshare(
    State(web): State<Web>,
    SignedIn(viewer): SignedIn,
    Path(raw): Path<String>,
    Form(form): Form<SharePost>,
) -> Result<Response, WebError> {
    set_shared(web, viewer, raw, form.country, false).await
}

#[derive(Template)]
#[template(path = "assessment_publication.html")]
struct PublicationPage {
    nav: Nav,
    case_id: String,
    text: String,
}

/// `GET /cases/{id}/assessment/publication`: as `publishableAssessment`
/// (consent to public advocacy needed; audited).
async fn publication(
    State(web): State<Web>,
    SignedIn(viewer): SignedIn,
    Path(raw): Path<String>,
) -> Result<Response, WebError> {
    let id = case_uuid(&raw)?;
    let text = service::export(&web.state, &viewer, id).await?.text();
    let me = auth::current_user(&web.state, &viewer).await?;
    Ok(ok(&PublicationPage {
        nav: Nav::of(&viewer, &me.display_name, "/cases"),
        case_id: raw,
        text,
    }))
}

#[derive(Deserialize)]
pub struct AppointPost {
    #[serde(default)]
    appoint: String,
}

/// `POST /admin/users/{id}/assessor`: as `appointAssessor` (`appoint=yes`)
/// or `dismissAssessor`, back to the users page.
async fn appoint(
    State(web): State<Web>,
    SignedIn(viewer): SignedIn,
    Path(raw): Path<String>,
    Form(form): Form<AppointPost>,
) -> Result<Response, WebError> {
    let id = ids::decode(Kind::User, &raw).ok_or(WebError(AppError::NotFound))?;
    if form.appoint == "yes" {
        service::appoint(&web.state, &viewer, id).await?;
        Ok(done("/admin/users", "assessor-appointed"))
    } else {
        service::dismiss(&web.state, &viewer, id).await?;
        Ok(done("/admin/users", "assessor-dismissed"))
    }
}
