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
use crate::i18n::{Args, current, t};
use crate::policy::assessments::{self as policy, Sight};
use crate::policy::cases as case_policy;
use crate::policy::hearings as hearing_policy;
use crate::service::{assessments as service, auth};
use crate::store::hearing;

/// Confirmations of this area's changes.
pub const DONE: &[(&str, &str)] = &[
    ("assessor-appointed", "assessments-done-assessor-appointed"),
    ("assessor-dismissed", "assessments-done-assessor-dismissed"),
    ("assessment-saved", "assessments-done-saved"),
    ("assessment-shared", "assessments-done-shared"),
    ("assessment-unshared", "assessments-done-unshared"),
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

/// A UTC instant (when a version was written), in the page's language.
fn date_of(at: DateTime<Utc>) -> String {
    current().datetime_in(at, chrono_tz::UTC)
}

fn country_name(code: &str) -> String {
    current().text2(
        "assessments-country",
        "name",
        super::page::country_name(CountryCode::from_stored(code)),
        "code",
        code,
    )
}

/// What a grade means (its message id).
fn definition_id(grade: FairnessGrade) -> &'static str {
    match grade {
        FairnessGrade::A => "assessments-grade-a",
        FairnessGrade::B => "assessments-grade-b",
        FairnessGrade::C => "assessments-grade-c",
        FairnessGrade::D => "assessments-grade-d",
        FairnessGrade::F => "assessments-grade-f",
    }
}

/// A standard's name (its message id).
fn standard_id(standard: FairnessStandard) -> &'static str {
    match standard {
        FairnessStandard::IccprArt14 => "assessments-standard-iccpr-14",
        FairnessStandard::IccprArt9 => "assessments-standard-iccpr-9",
        FairnessStandard::IccprArt7 => "assessments-standard-iccpr-7",
        FairnessStandard::IccprArt19 => "assessments-standard-iccpr-19",
        FairnessStandard::UdhrArt10 => "assessments-standard-udhr-10",
        FairnessStandard::UdhrArt11 => "assessments-standard-udhr-11",
        FairnessStandard::AchprArt7 => "assessments-standard-achpr-7",
        FairnessStandard::AchrArt8 => "assessments-standard-achr-8",
        FairnessStandard::EchrArt6 => "assessments-standard-echr-6",
        FairnessStandard::ArabCharterArt13 => "assessments-standard-arab-charter-13",
        FairnessStandard::UnBasicPrinciplesLawyers => "assessments-standard-un-lawyers",
        FairnessStandard::UnBasicPrinciplesJudiciary => "assessments-standard-un-judiciary",
        FairnessStandard::UnGuidelinesProsecutors => "assessments-standard-un-prosecutors",
        FairnessStandard::ConventionAgainstTorture => "assessments-standard-cat",
        FairnessStandard::Other => "assessments-standard-other",
    }
}

/// The outcome of a cited observation (its message id).
fn outcome_id(stored: &str) -> &'static str {
    use crate::domain::hearing::Outcome;
    match Outcome::from_stored(stored) {
        Some(Outcome::AccessDenied) => "hearings-outcome-access-denied",
        Some(Outcome::Adjourned) => "hearings-outcome-adjourned",
        Some(Outcome::Heard) => "hearings-outcome-heard",
        Some(Outcome::Verdict) => "hearings-outcome-verdict",
        Some(Outcome::Postponed) => "hearings-outcome-postponed",
        Some(Outcome::Other) | None => "hearings-outcome-other",
    }
}

/// The text for publication in the page's language: the grade, its
/// meaning, the standards and the reasoning (what `Publishable::text`
/// says in English).
fn publication_text(p: &service::Publishable) -> String {
    let lang = current();
    let standards: Vec<String> = p
        .standards
        .iter()
        .map(|s| lang.text(standard_id(*s)))
        .collect();
    format!(
        "{}\n{}\n\n{}\n\n{}\n\n{}\n",
        lang.text1("assessments-publication-grade", "grade", p.grade.as_str()),
        lang.text(definition_id(p.grade)),
        lang.text1(
            "assessments-publication-standards",
            "standards",
            standards.join("; ")
        ),
        p.reasoning,
        lang.text1(
            "assessments-publication-date",
            "date",
            lang.date(p.assessed_at.date_naive())
        ),
    )
}

/// One version as the page shows it.
pub struct VersionRow {
    pub number: i32,
    pub grade: String,
    pub definition: String,
    pub standards: Vec<String>,
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
    pub definition: String,
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
                        definition: grade.map(|g| t(definition_id(g))).unwrap_or_default(),
                        standards: rules::decode_standards(&v.standards)
                            .into_iter()
                            .map(|s| t(standard_id(s)))
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
                definition: t(definition_id(*g)),
                selected: g.as_str() == grade,
            })
            .collect(),
        standards: FairnessStandard::ALL
            .iter()
            .map(|s| Choice {
                value: s.as_str().to_owned(),
                label: t(standard_id(*s)),
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
    let lang = current();
    Ok(observations
        .into_iter()
        .map(|o| {
            let court = hearings
                .iter()
                .find(|h| h.model().id == o.hearing_id)
                .map(|h| {
                    let zone: chrono_tz::Tz = h.model().timezone.parse().unwrap_or(chrono_tz::UTC);
                    (
                        h.model().court.clone(),
                        lang.date(h.model().starts_at.with_timezone(&zone).date_naive()),
                    )
                })
                .unwrap_or_default();
            let value = ids::encode(Kind::Observation, o.id);
            CiteChoice {
                label: lang.text_with(
                    "assessments-cite",
                    &Args::new()
                        .set("court", court.0)
                        .set("date", court.1)
                        .set("country", country_name(&o.country))
                        .set("outcome", lang.text(outcome_id(&o.outcome))),
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
fn field_of(field: &str) -> (&'static str, String) {
    match field {
        "input.standards" => ("standards", t("assessments-standards")),
        "input.reasoning" => ("reasoning", t("assessments-reasoning")),
        f if f.starts_with("input.observationIds") => {
            ("observations", t("assessments-field-cited"))
        }
        "country" => ("country", t("assessments-field-country")),
        _ => ("grade", t("assessments-field-grade")),
    }
}

fn errors_of(err: &AppError, fallback: (&str, &str)) -> FormErrors {
    let mut errors = FormErrors::default();
    match err {
        AppError::BadUserInput(input) => {
            let (id, label) = field_of(&input.field);
            errors.add(id, &label, input.reason.text());
        }
        other => errors.add(fallback.0, &t(fallback.1), super::error::sentence(other)),
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
    // A mistake found here, before the service: the form again, beside its
    // field, in the page's language.
    let mistake = |field: &str, label: &str, message: &str| {
        let mut errors = FormErrors::default();
        errors.add(field, &t(label), t(message));
        errors
    };
    let Some(grade) = FairnessGrade::from_stored(&typed.grade) else {
        let errors = mistake(
            "grade",
            "assessments-field-grade",
            "assessments-error-choose-grade",
        );
        let page = view(&web, &viewer, id, None, errors, typed).await?;
        return Ok(html(StatusCode::BAD_REQUEST, &page));
    };
    let cited: Option<Vec<Uuid>> = typed
        .cited
        .iter()
        .map(|c| ids::decode(Kind::Observation, c))
        .collect();
    let Some(observation_ids) = cited else {
        let errors = mistake(
            "observations",
            "assessments-field-cited",
            "assessments-error-not-observation",
        );
        let page = view(&web, &viewer, id, None, errors, typed).await?;
        return Ok(html(StatusCode::BAD_REQUEST, &page));
    };
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
    match service::write(&web.state, &viewer, id, new).await {
        Ok(_) => Ok(done(
            &format!("/cases/{raw}/assessment"),
            "assessment-saved",
        )),
        Err(err) => {
            let Some(status) = form_status(&err) else {
                return Err(err.into());
            };
            let errors = errors_of(&err, ("grade", "assessments-field-grade"));
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
            let errors = errors_of(&err, ("country", "assessments-field-sharing"));
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
    let text = publication_text(&service::export(&web.state, &viewer, id).await?);
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    /// Every grade, standard and confirmation is a message in every language.
    #[test]
    fn every_grade_and_standard_is_a_message_in_every_language() {
        let mut ids: Vec<&str> = Vec::new();
        ids.extend(FairnessGrade::ALL.iter().map(|g| definition_id(*g)));
        ids.extend(FairnessStandard::ALL.iter().map(|s| standard_id(*s)));
        ids.extend(DONE.iter().map(|(_, id)| *id));
        for lang in Lang::all() {
            for id in &ids {
                assert_ne!(lang.text(id), *id, "{id} in {lang}");
            }
        }
        // The English definitions are the domain's own (the API's).
        for g in FairnessGrade::ALL {
            assert_eq!(Lang::SOURCE.text(definition_id(*g)), g.definition());
        }
        for s in FairnessStandard::ALL {
            assert_eq!(Lang::SOURCE.text(standard_id(*s)), s.title());
        }
    }
}
