//! Fairness assessments (issue 25): assessors appointed by their country's
//! admin, versioned assessments of a trial written by them, shared only as
//! the owner decides, and exported for publication only with the defender's
//! consent to public advocacy. Each use case locks the case through the
//! policy (so consent and share changes serialise with it), decides by the
//! domain rules, writes through `store/` and audits in the same transaction.
use chrono::{DateTime, SubsecRound, Utc};
use sea_orm::{ColumnTrait, QueryFilter, TransactionTrait};
use uuid::Uuid;

use crate::audit::{self, Action, Event, ObjectType};
use crate::auth::Viewer;
use crate::domain::CountryCode;
use crate::domain::assessment::{
    self as rules, FairnessGrade, FairnessStandard, MAX_REASONING, NextRefusal,
};
use crate::domain::ids::new_id;
use crate::domain::input::long_text;
use crate::error::{AppError, AppResult};
use crate::msg;
use crate::policy::assessments::{self as policy, SeenAssessment};
use crate::policy::cases as case_policy;
use crate::policy::directory as directory_policy;
use crate::state::AppState;
use crate::store::{
    assessor, fairness_assessment, fairness_assessment_share, fairness_assessment_version, user,
};

/// What an assessor saves as the next version.
pub struct NewVersion {
    /// The version this one revises (none for the first).
    pub base_version: Option<i32>,
    pub grade: FairnessGrade,
    pub standards: Vec<FairnessStandard>,
    pub reasoning: String,
    pub observation_ids: Vec<Uuid>,
}

fn now_of(state: &AppState) -> DateTime<Utc> {
    state.clock.now().trunc_subsecs(6)
}

/// A user in the admin's directory scope (their own country's), if any.
async fn directory_user(
    db: &impl sea_orm::ConnectionTrait,
    viewer: &Viewer,
    user_id: Uuid,
) -> AppResult<Option<user::Model>> {
    Ok(directory_policy::users(viewer)
        .filter(user::Column::Id.eq(user_id))
        .one(db)
        .await?)
}

/// A user the viewer's directory shows (their own country's), if any: an
/// assessment version's author, for the owner country.
pub async fn directory_user_of(
    state: &AppState,
    viewer: &Viewer,
    user_id: Uuid,
) -> AppResult<Option<user::Model>> {
    directory_user(&state.db, viewer, user_id).await
}

/// `appointAssessor`: an admin makes a user of their own country an
/// assessor (appointing one twice changes nothing).
pub async fn appoint(state: &AppState, viewer: &Viewer, user_id: Uuid) -> AppResult<user::Model> {
    let txn = state.db.begin().await?;
    let target = directory_user(&txn, viewer, user_id).await?;
    let country = policy::may_appoint(viewer, target.as_ref())?;
    let target = target.ok_or(AppError::NotFound)?;
    if !assessor::is_assessor_of(&txn, user_id, country.as_str()).await? {
        assessor::insert(
            &txn,
            assessor::Model {
                user_id,
                country: country.to_string(),
                appointed_by: viewer.user_id,
                appointed_at: now_of(state),
            },
        )
        .await?;
        audit::append(
            &txn,
            Event::new(viewer, Action::AssessorAppointed, ObjectType::User)
                .object(user_id, Some(country)),
        )
        .await?;
    }
    txn.commit().await?;
    Ok(target)
}

/// `dismissAssessor`: the grant ends at once; the versions they wrote stay.
pub async fn dismiss(state: &AppState, viewer: &Viewer, user_id: Uuid) -> AppResult<user::Model> {
    let txn = state.db.begin().await?;
    let target = directory_user(&txn, viewer, user_id).await?;
    let country = policy::may_appoint(viewer, target.as_ref())?;
    let target = target.ok_or(AppError::NotFound)?;
    if assessor::delete(&txn, user_id).await? {
        audit::append(
            &txn,
            Event::new(viewer, Action::AssessorDismissed, ObjectType::User)
                .object(user_id, Some(country)),
        )
        .await?;
    }
    txn.commit().await?;
    Ok(target)
}

/// Which of `users` are assessors of the viewer's country (for the admin's
/// list of users); empty for a viewer without a country.
pub async fn assessors_among(
    state: &AppState,
    viewer: &Viewer,
    users: &[Uuid],
) -> AppResult<Vec<Uuid>> {
    let Some(country) = viewer.country else {
        return Ok(Vec::new());
    };
    Ok(assessor::assessors_among(&state.db, users, country.as_str()).await?)
}

/// Whether the viewer is an assessor of their country now.
pub async fn viewer_is_assessor(state: &AppState, viewer: &Viewer) -> AppResult<bool> {
    policy::is_assessor(&state.db, viewer).await
}

/// `writeFairnessAssessment`: the next version of the trial's assessment,
/// on top of `base_version`, which must be the current one (`CONFLICT` with
/// the current number otherwise, as for statements).
pub async fn write(
    state: &AppState,
    viewer: &Viewer,
    case_id: Uuid,
    input: NewVersion,
) -> AppResult<SeenAssessment> {
    let reasoning = long_text("input.reasoning", &input.reasoning, MAX_REASONING)?;
    let standards = rules::encode_standards("input.standards", &input.standards)?;
    let cited = rules::distinct_cited("input.observationIds", &input.observation_ids)?;
    // Asked before any lock, so that nobody else holds the case's row.
    let seen = case_policy::find(&state.db, viewer, case_id).await?;
    policy::may_write(&state.db, viewer, &seen).await?;
    let txn = state.db.begin().await?;
    let case = case_policy::lock(&txn, viewer, case_id).await?;
    policy::may_write(&txn, viewer, &case).await?;
    let existing = policy::internal_of_locked_case(&txn, &case).await?;
    let next = rules::next_version(
        existing.as_ref().map(|a| a.current_version),
        input.base_version,
    )
    .map_err(|refusal| match refusal {
        NextRefusal::Stale { current } => AppError::StaleVersion { current },
        NextRefusal::Full => AppError::Conflict(msg!(
            "conflict-assessment-versions",
            max = rules::MAX_VERSIONS
        )),
    })?;
    let seen = policy::citable(&txn, viewer, &case, &cited).await?;
    if let Some(i) = cited.iter().position(|id| !seen.contains(id)) {
        return Err(AppError::bad_input(
            &format!("input.observationIds[{i}]"),
            msg!("input-is-not-an-observation-of"),
        ));
    }
    let now = now_of(state);
    let owner = Some(CountryCode::from_stored(&case.model().owner_country));
    let assessment_id = match existing {
        None => {
            let row = fairness_assessment::Model {
                id: new_id(),
                case_id,
                owner_country: case.model().owner_country.clone(),
                current_version: next,
                created_at: now,
                updated_at: now,
            };
            fairness_assessment::insert(&txn, row)
                .await
                .map_err(|e| AppError::unique_or(e, AppError::StaleVersion { current: 1 }))?
                .id
        }
        Some(a) => {
            if !fairness_assessment::advance(&txn, a.id, a.current_version, next, now).await? {
                return Err(AppError::StaleVersion { current: next });
            }
            a.id
        }
    };
    let author_country = viewer.country.ok_or(AppError::Forbidden)?;
    fairness_assessment_version::insert(
        &txn,
        fairness_assessment_version::Model {
            assessment_id,
            number: next,
            grade: input.grade.as_str().to_owned(),
            standards,
            reasoning,
            observation_ids: rules::encode_cited(&cited),
            author_id: viewer.user_id,
            author_country: author_country.to_string(),
            created_at: now,
        },
    )
    .await
    .map_err(|e| AppError::unique_or(e, AppError::StaleVersion { current: next }))?;
    audit::append(
        &txn,
        Event::new(
            viewer,
            Action::FairnessAssessmentWritten,
            ObjectType::FairnessAssessment,
        )
        .object(assessment_id, owner)
        .detail(format!(
            "case={case_id} version={next} grade={} cited={}",
            input.grade.as_str(),
            cited.len()
        )),
    )
    .await?;
    txn.commit().await?;
    policy::find_of_case(&state.db, viewer, case_id).await
}

/// `shareAssessment` / `unshareAssessment`: the owner's coordinators and
/// admins decide which partner countries may read the assessment (each
/// still only while it sees the trial).
pub async fn set_shared(
    state: &AppState,
    viewer: &Viewer,
    case_id: Uuid,
    country: &str,
    shared: bool,
) -> AppResult<SeenAssessment> {
    let country = CountryCode::parse("country", country)?;
    // Asked before any lock, then again under the case's lock.
    policy::may_share(
        viewer,
        &policy::find_of_case(&state.db, viewer, case_id).await?,
    )?;
    let txn = state.db.begin().await?;
    case_policy::lock(&txn, viewer, case_id).await?;
    let assessment = policy::find_of_case(&txn, viewer, case_id).await?;
    policy::may_share(viewer, &assessment)?;
    let owner = Some(CountryCode::from_stored(&assessment.model().owner_country));
    if owner == Some(country) {
        return Err(AppError::bad_input(
            "country",
            msg!("input-the-owner-country-always-sees"),
        ));
    }
    let id = assessment.model().id;
    let changed = if shared {
        fairness_assessment_share::insert_if_new(
            &txn,
            fairness_assessment_share::Model {
                assessment_id: id,
                country: country.to_string(),
                shared_by: viewer.user_id,
                shared_at: now_of(state),
            },
        )
        .await?
    } else {
        fairness_assessment_share::delete(&txn, id, country.as_str()).await?
    };
    if changed {
        let action = if shared {
            Action::FairnessAssessmentShared
        } else {
            Action::FairnessAssessmentUnshared
        };
        audit::append(
            &txn,
            Event::new(viewer, action, ObjectType::FairnessAssessment)
                .object(id, owner)
                .detail(format!("country={country}")),
        )
        .await?;
    }
    txn.commit().await?;
    policy::find_of_case(&state.db, viewer, case_id).await
}

/// What may be published of an assessment: the judgement and its grounds,
/// never who the defender is, who assessed, or which monitors observed.
pub struct Publishable {
    pub grade: FairnessGrade,
    pub standards: Vec<FairnessStandard>,
    /// The reasoning, with the case's pseudonym replaced.
    pub reasoning: String,
    pub version: i32,
    pub first_assessed_at: DateTime<Utc>,
    pub assessed_at: DateTime<Utc>,
}

impl Publishable {
    /// The whole text, ready to paste into a publication.
    pub fn text(&self) -> String {
        let standards: Vec<&str> = self.standards.iter().map(|s| s.title()).collect();
        format!(
            "Trial fairness grade: {grade}\n{definition}\n\nStandards applied: {standards}\n\n{reasoning}\n\nAssessed on {date}.\n",
            grade = self.grade.as_str(),
            definition = self.grade.definition(),
            standards = standards.join("; "),
            reasoning = self.reasoning,
            date = self.assessed_at.format("%-d %B %Y"),
        )
    }
}

/// `publishableAssessment`: the text for publication, for the owner
/// country, only while the defender consents to public advocacy
/// (`CONSENT_REQUIRED` otherwise); every export is audited.
pub async fn export(state: &AppState, viewer: &Viewer, case_id: Uuid) -> AppResult<Publishable> {
    policy::may_export(&policy::find_of_case(&state.db, viewer, case_id).await?)?;
    let txn = state.db.begin().await?;
    let case = case_policy::lock(&txn, viewer, case_id).await?;
    let assessment = policy::find_of_case(&txn, viewer, case_id).await?;
    policy::may_export(&assessment)?;
    if !case.model().consent_public {
        return Err(AppError::ConsentRequired(msg!(
            "consent-the-defender-has-not-consented-to"
        )));
    }
    let current = policy::current_of(&txn, &assessment).await?;
    let grade = FairnessGrade::from_stored(&current.grade)
        .ok_or_else(|| AppError::internal("unknown stored grade"))?;
    let out = Publishable {
        grade,
        standards: rules::decode_standards(&current.standards),
        reasoning: rules::without_name(
            &current.reasoning,
            &case.model().pseudonym,
            "the defendant",
        ),
        version: current.number,
        first_assessed_at: assessment.model().created_at,
        assessed_at: current.created_at,
    };
    audit::append(
        &txn,
        Event::new(
            viewer,
            Action::FairnessAssessmentExported,
            ObjectType::FairnessAssessment,
        )
        .object(
            assessment.model().id,
            Some(CountryCode::from_stored(&assessment.model().owner_country)),
        )
        .detail(format!("case={case_id} version={}", current.number)),
    )
    .await?;
    txn.commit().await?;
    Ok(out)
}
