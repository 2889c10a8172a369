//! Fairness assessments (issue 25): their own visibility, apart from the case's.
//!
//! An assessment is seen by
//! - the owner country's coordinators, admins and current assessors (not
//!   every diplomat: the judgement is an expert's, kept apart from the
//!   monitors who report facts);
//! - a partner country's diplomats, coordinators and admins only while the
//!   owner shares the assessment with that country *and* the country sees
//!   the case's hearings (the case at DETAIL with consent to trial
//!   observation, the hearing rule of `policy::hearings`, read from the
//!   access index): sharing an assessment never reveals a case or a trial
//!   the partner cannot see, and seeing the case does not show the
//!   assessment unless it is shared.
//!
//! Anyone else: it does not exist (`NOT_FOUND`, absent from lists and
//! counts, `Case.fairnessAssessment` null). `visible` is the one scope every
//! read starts from. Writing is for the owner's current assessors; sharing
//! is for the owner's coordinators and admins; the export for publication
//! is for whoever sees it at the owner (the consent gate is the service's).
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    Select,
};
use uuid::Uuid;

use super::cases::reader_country;
use super::{Seen, nothing};
use crate::auth::Viewer;
use crate::domain::case::Visibility;
use crate::domain::{CountryCode, Role};
use crate::error::{AppError, AppResult};
use crate::msg;
use crate::store::{
    assessor, case, case_access, fairness_assessment, fairness_assessment_share,
    fairness_assessment_version, hearing, hearing_access, observation, user,
};

/// How the viewer stands to an assessment.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sight {
    /// The owner country (coordinators, admins, assessors).
    Owner,
    /// A partner country it is shared with, which sees the trial.
    Partner,
}

/// An assessment as the policy let the viewer see it.
pub type SeenAssessment = Seen<fairness_assessment::Model, Sight>;

/// Cases `country` sees at `levels`, with their hearings when `hearings`.
fn cases_seen(country: CountryCode, owner: bool) -> sea_orm::sea_query::SelectStatement {
    let mut q = Query::select();
    q.column(case_access::Column::CaseId)
        .from(case_access::Entity)
        .and_where(case_access::Column::Country.eq(country.as_str()));
    if owner {
        q.and_where(case_access::Column::Level.eq(Visibility::Owner.as_str()));
    } else {
        q.and_where(case_access::Column::Hearings.eq(true));
    }
    q.to_owned()
}

/// Every assessment the viewer may see.
pub fn visible(viewer: &Viewer) -> Select<fairness_assessment::Entity> {
    let scope = fairness_assessment::Entity::find();
    let Some(country) = reader_country(viewer) else {
        return scope.filter(nothing());
    };
    let owner_reader = match viewer.role {
        Role::Coordinator | Role::Admin => Condition::all(),
        _ => Condition::all().add(
            Expr::val(viewer.user_id).in_subquery(
                Query::select()
                    .column(assessor::Column::UserId)
                    .from(assessor::Entity)
                    .and_where(assessor::Column::UserId.eq(viewer.user_id))
                    .and_where(assessor::Column::Country.eq(country.as_str()))
                    .to_owned(),
            ),
        ),
    };
    let owner = Condition::all()
        .add(fairness_assessment::Column::OwnerCountry.eq(country.as_str()))
        .add(fairness_assessment::Column::CaseId.in_subquery(cases_seen(country, true)))
        .add(owner_reader);
    let partner = Condition::all()
        .add(fairness_assessment::Column::OwnerCountry.ne(country.as_str()))
        .add(
            fairness_assessment::Column::Id.in_subquery(
                Query::select()
                    .column(fairness_assessment_share::Column::AssessmentId)
                    .from(fairness_assessment_share::Entity)
                    .and_where(fairness_assessment_share::Column::Country.eq(country.as_str()))
                    .to_owned(),
            ),
        )
        .add(fairness_assessment::Column::CaseId.in_subquery(cases_seen(country, false)));
    scope.filter(Condition::any().add(owner).add(partner))
}

fn seen(viewer: &Viewer, model: fairness_assessment::Model) -> SeenAssessment {
    let owner = reader_country(viewer).is_some_and(|c| c.as_str() == model.owner_country);
    Seen::at(model, if owner { Sight::Owner } else { Sight::Partner })
}

/// The assessment of `case_id`'s trial, if the viewer may see it.
pub async fn of_case(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    case_id: Uuid,
) -> AppResult<Option<SeenAssessment>> {
    Ok(visible(viewer)
        .filter(fairness_assessment::Column::CaseId.eq(case_id))
        .one(db)
        .await?
        .map(|m| seen(viewer, m)))
}

/// The assessment of `case_id`'s trial, or `NOT_FOUND` exactly as if there were none.
pub async fn find_of_case(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    case_id: Uuid,
) -> AppResult<SeenAssessment> {
    of_case(db, viewer, case_id)
        .await?
        .ok_or(AppError::NotFound)
}

/// How many assessments the viewer sees.
pub async fn count_visible(db: &impl ConnectionTrait, viewer: &Viewer) -> AppResult<u64> {
    Ok(visible(viewer).count(db).await?)
}

/// Up to `limit` assessments the viewer sees, newest change first.
pub async fn list_visible(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    limit: u64,
) -> AppResult<Vec<SeenAssessment>> {
    use sea_orm::QuerySelect;
    Ok(visible(viewer)
        .order_by_desc(fairness_assessment::Column::UpdatedAt)
        .order_by_desc(fairness_assessment::Column::Id)
        .limit(limit)
        .all(db)
        .await?
        .into_iter()
        .map(|m| seen(viewer, m))
        .collect())
}

/// Every version of an assessment the viewer sees, oldest first (at most
/// `MAX_VERSIONS`, capped on write).
pub async fn versions_of(
    db: &impl ConnectionTrait,
    assessment: &SeenAssessment,
) -> AppResult<Vec<fairness_assessment_version::Model>> {
    Ok(fairness_assessment_version::Entity::find()
        .filter(fairness_assessment_version::Column::AssessmentId.eq(assessment.model().id))
        .order_by_asc(fairness_assessment_version::Column::Number)
        .all(db)
        .await?)
}

/// The current version of an assessment the viewer sees.
pub async fn current_of(
    db: &impl ConnectionTrait,
    assessment: &SeenAssessment,
) -> AppResult<fairness_assessment_version::Model> {
    fairness_assessment_version::Entity::find_by_id((
        assessment.model().id,
        assessment.model().current_version,
    ))
    .one(db)
    .await?
    .ok_or_else(|| AppError::internal("an assessment without its current version"))
}

/// The countries the assessment is shared with: the owner only (null for partners).
pub async fn shares_of(
    db: &impl ConnectionTrait,
    assessment: &SeenAssessment,
) -> AppResult<Option<Vec<fairness_assessment_share::Model>>> {
    if assessment.level() != Sight::Owner {
        return Ok(None);
    }
    Ok(Some(
        fairness_assessment_share::Entity::find()
            .filter(fairness_assessment_share::Column::AssessmentId.eq(assessment.model().id))
            .order_by_asc(fairness_assessment_share::Column::Country)
            .all(db)
            .await?,
    ))
}

/// For a write on `case`'s assessment (under the case's row lock): the
/// assessment as it stands, read without a viewer's scope since the writer
/// was already found to be the owner's assessor or coordinator.
pub async fn internal_of_locked_case(
    db: &impl ConnectionTrait,
    case: &Seen<case::Model>,
) -> AppResult<Option<fairness_assessment::Model>> {
    if case.level() != Visibility::Owner {
        return Err(AppError::NotFound);
    }
    Ok(fairness_assessment::Entity::find()
        .filter(fairness_assessment::Column::CaseId.eq(case.model().id))
        .one(db)
        .await?)
}

/// Whether the viewer is now an assessor of their own country.
pub async fn is_assessor(db: &impl ConnectionTrait, viewer: &Viewer) -> AppResult<bool> {
    let Some(country) = reader_country(viewer) else {
        return Ok(false);
    };
    Ok(assessor::is_assessor_of(db, viewer.user_id, country.as_str()).await?)
}

/// Writing a version: a current assessor of the case's owner country. Anyone
/// else who sees the case is `FORBIDDEN` (whether an assessment exists or
/// not); a case the viewer does not see was `NOT_FOUND` before this.
pub async fn may_write(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    case: &Seen<case::Model>,
) -> AppResult<()> {
    if case.level() != Visibility::Owner {
        return Err(AppError::Forbidden);
    }
    match viewer.role {
        Role::Diplomat | Role::Coordinator | Role::Admin if is_assessor(db, viewer).await? => {
            Ok(())
        }
        _ => Err(AppError::Forbidden),
    }
}

/// Sharing and unsharing: the owner country's coordinators and admins.
pub fn may_share(viewer: &Viewer, assessment: &SeenAssessment) -> AppResult<()> {
    match (assessment.level(), viewer.role) {
        (Sight::Owner, Role::Coordinator | Role::Admin) => Ok(()),
        _ => Err(AppError::Forbidden),
    }
}

/// Exporting for publication: whoever sees it at the owner country.
pub fn may_export(assessment: &SeenAssessment) -> AppResult<()> {
    match assessment.level() {
        Sight::Owner => Ok(()),
        Sight::Partner => Err(AppError::Forbidden),
    }
}

/// Of `ids`, those that are observations of `case`'s hearings the viewer
/// sees. A cited id outside them (missing, invisible or of another trial)
/// is refused by the caller, identically whichever it is.
pub async fn citable(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    case: &Seen<case::Model>,
    ids: &[Uuid],
) -> AppResult<Vec<Uuid>> {
    let Some(country) = reader_country(viewer) else {
        return Ok(Vec::new());
    };
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let hearings_seen = Query::select()
        .column(hearing::Column::Id)
        .from(hearing::Entity)
        .and_where(hearing::Column::CaseId.eq(case.model().id))
        .and_where(
            hearing::Column::Id.in_subquery(
                Query::select()
                    .column(hearing_access::Column::HearingId)
                    .from(hearing_access::Entity)
                    .and_where(hearing_access::Column::Country.eq(country.as_str()))
                    .to_owned(),
            ),
        )
        .to_owned();
    Ok(observation::Entity::find()
        .filter(observation::Column::Id.is_in(ids.iter().copied()))
        .filter(observation::Column::HearingId.in_subquery(hearings_seen))
        .all(db)
        .await?
        .into_iter()
        .map(|o| o.id)
        .collect())
}

/// Appointing or dismissing an assessor: an admin, for a user of their own
/// country's missions who works on cases (a diplomat, coordinator or admin).
/// `target` is `None` when the user is outside the admin's directory: then
/// `NOT_FOUND`, as if missing.
pub fn may_appoint(viewer: &Viewer, target: Option<&user::Model>) -> AppResult<CountryCode> {
    let (Role::Admin, Some(country)) = (viewer.role, viewer.country) else {
        return Err(AppError::Forbidden);
    };
    let target = target.ok_or(AppError::NotFound)?;
    match target.role.parse::<Role>() {
        Ok(Role::Diplomat | Role::Coordinator | Role::Admin) => Ok(country),
        _ => Err(AppError::bad_input(
            "userId",
            msg!("input-only-diplomats-coordinators-and-admins"),
        )),
    }
}
