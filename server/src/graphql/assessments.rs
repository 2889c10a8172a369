//! Fairness assessments: `fairnessAssessment`, `fairnessAssessments`,
//! `publishableAssessment` and the assessor and assessment mutations. Every
//! `FairnessAssessment` wraps what `policy::assessments` let through; who
//! sees one is decided there (its own visibility, apart from the case's).
use async_graphql::{Context, ID, InputObject, Object, Result, ResultExt, SimpleObject};
use chrono::{DateTime, Utc};

use crate::domain::assessment as domain;
use crate::graphql::connection::capped_list_cost;
use crate::graphql::context::ContextExt;
use crate::graphql::ids::{self, Kind};
use crate::graphql::objects::User;
use crate::msg;
use crate::policy::assessments::{self as policy, SeenAssessment, Sight};
use crate::service::assessments as service;
use crate::store::fairness_assessment_version;

mirror_enum!(
    /// A trial's fairness, graded as TrialWatch grades trials against
    /// international fair-trial standards.
    FairnessGrade, "crate::domain::assessment::FairnessGrade", "FairnessGrade" {
        /// No violations of international fair-trial standards, or only minimal ones.
        A,
        /// Violations of international fair-trial standards that did not affect the outcome and did not cause significant harm.
        B,
        /// Violations of international fair-trial standards that may have affected the outcome or caused significant harm.
        C,
        /// Violations of international fair-trial standards that affected the outcome or caused significant harm.
        D,
        /// Gross violations of international fair-trial standards that affected the outcome or caused significant harm.
        F,
    }
);

mirror_enum!(
    /// An international standard a fairness assessment applies.
    FairnessStandard, "crate::domain::assessment::FairnessStandard", "FairnessStandard" {
        /// ICCPR, article 14 (fair trial).
        IccprArt14,
        /// ICCPR, article 9 (liberty and security).
        IccprArt9,
        /// ICCPR, article 7 (torture and ill-treatment).
        IccprArt7,
        /// ICCPR, article 19 (freedom of expression).
        IccprArt19,
        /// UDHR, article 10 (fair and public hearing).
        UdhrArt10,
        /// UDHR, article 11 (presumption of innocence).
        UdhrArt11,
        /// African Charter on Human and Peoples' Rights, article 7.
        AchprArt7,
        /// American Convention on Human Rights, article 8.
        AchrArt8,
        /// European Convention on Human Rights, article 6.
        EchrArt6,
        /// Arab Charter on Human Rights, article 13.
        ArabCharterArt13,
        /// UN Basic Principles on the Role of Lawyers.
        UnBasicPrinciplesLawyers,
        /// UN Basic Principles on the Independence of the Judiciary.
        UnBasicPrinciplesJudiciary,
        /// UN Guidelines on the Role of Prosecutors.
        UnGuidelinesProsecutors,
        /// Convention against Torture.
        ConventionAgainstTorture,
        /// Other standards, named in the reasoning.
        Other,
    }
);

/// How the viewer stands to an assessment.
#[derive(async_graphql::Enum, Copy, Clone, Eq, PartialEq)]
pub enum AssessmentVisibility {
    /// The owner country's coordinators, admins and assessors.
    Owner,
    /// A partner country the owner shared it with, which sees the trial.
    Partner,
}

fn grade_of(stored: &str) -> Option<FairnessGrade> {
    domain::FairnessGrade::from_stored(stored).map(Into::into)
}

fn standards_of(stored: &str) -> Vec<FairnessStandard> {
    domain::decode_standards(stored)
        .into_iter()
        .map(Into::into)
        .collect()
}

fn cited_of(stored: &str) -> Vec<ID> {
    domain::decode_cited(stored)
        .into_iter()
        .map(|id| ids::encode(Kind::Observation, id))
        .collect()
}

/// A trial's fairness assessment (one per case): an expert's graded
/// judgement, apart from the monitors' observations it draws on. Seen by
/// the owner country's coordinators, admins and assessors, and by a partner
/// country only while the owner shares it with that country and the
/// country sees the case's hearings.
pub struct FairnessAssessment(pub SeenAssessment);

#[Object]
impl FairnessAssessment {
    async fn case_id(&self) -> ID {
        ids::encode(Kind::Case, self.0.model().case_id)
    }
    async fn visibility(&self) -> AssessmentVisibility {
        match self.0.level() {
            Sight::Owner => AssessmentVisibility::Owner,
            Sight::Partner => AssessmentVisibility::Partner,
        }
    }
    async fn owner_country(&self) -> &str {
        &self.0.model().owner_country
    }
    /// The number of the latest version.
    async fn current_version(&self) -> i32 {
        self.0.model().current_version
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.model().created_at
    }
    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.model().updated_at
    }
    /// The latest version.
    async fn current(&self, ctx: &Context<'_>) -> Result<FairnessAssessmentVersion> {
        let (state, _) = ctx.parts().extend()?;
        policy::current_of(&state.db, &self.0)
            .await
            .map(|v| FairnessAssessmentVersion(v, self.0.level()))
            .extend()
    }
    /// Every version, oldest first (at most 50, capped on write).
    #[graphql(complexity = "capped_list_cost(domain::MAX_VERSIONS as usize, child_complexity)")]
    async fn versions(&self, ctx: &Context<'_>) -> Result<Vec<FairnessAssessmentVersion>> {
        let (state, _) = ctx.parts().extend()?;
        let level = self.0.level();
        Ok(policy::versions_of(&state.db, &self.0)
            .await
            .extend()?
            .into_iter()
            .map(|v| FairnessAssessmentVersion(v, level))
            .collect())
    }
    /// The partner countries it is shared with: owner country only (null
    /// for partners).
    async fn shared_with(&self, ctx: &Context<'_>) -> Result<Option<Vec<String>>> {
        let (state, _) = ctx.parts().extend()?;
        Ok(policy::shares_of(&state.db, &self.0)
            .await
            .extend()?
            .map(|rows| rows.into_iter().map(|s| s.country).collect()))
    }
}

/// One immutable version of an assessment.
pub struct FairnessAssessmentVersion(fairness_assessment_version::Model, Sight);

#[Object]
impl FairnessAssessmentVersion {
    async fn number(&self) -> i32 {
        self.0.number
    }
    async fn grade(&self) -> Option<FairnessGrade> {
        grade_of(&self.0.grade)
    }
    /// What the grade means.
    async fn grade_definition(&self) -> Option<&'static str> {
        domain::FairnessGrade::from_stored(&self.0.grade).map(domain::FairnessGrade::definition)
    }
    async fn standards(&self) -> Vec<FairnessStandard> {
        standards_of(&self.0.standards)
    }
    async fn reasoning(&self) -> &str {
        &self.0.reasoning
    }
    /// The observations of the trial's hearings it draws on (whoever sees
    /// the assessment sees the hearings, and so these observations).
    async fn observation_ids(&self) -> Vec<ID> {
        cited_of(&self.0.observation_ids)
    }
    async fn author_country(&self) -> &str {
        &self.0.author_country
    }
    /// Who wrote it: the owner country only (null for partners, and when
    /// the author is gone from the viewer's directory).
    async fn author(&self, ctx: &Context<'_>) -> Result<Option<User>> {
        if self.1 != Sight::Owner {
            return Ok(None);
        }
        let (state, viewer) = ctx.parts().extend()?;
        service::directory_user_of(state, viewer, self.0.author_id)
            .await
            .map(|u| u.map(User))
            .extend()
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
}

/// The assessments the viewer sees, newest change first.
#[derive(SimpleObject)]
pub struct FairnessAssessmentList {
    /// How many the viewer sees in all.
    total_count: u64,
    nodes: Vec<FairnessAssessment>,
}

/// What may be published of an assessment: the judgement and its grounds,
/// never who the defender is (the case's pseudonym is replaced in the
/// reasoning), who assessed, or which monitors observed.
#[derive(SimpleObject)]
pub struct PublishableAssessment {
    grade: FairnessGrade,
    grade_definition: String,
    standards: Vec<FairnessStandard>,
    /// Each standard's published name.
    standard_titles: Vec<String>,
    reasoning: String,
    version: i32,
    first_assessed_at: DateTime<Utc>,
    assessed_at: DateTime<Utc>,
    /// All of it as one text, ready to publish.
    text: String,
}

impl From<service::Publishable> for PublishableAssessment {
    fn from(p: service::Publishable) -> Self {
        PublishableAssessment {
            grade: p.grade.into(),
            grade_definition: p.grade.definition().to_owned(),
            standards: p.standards.iter().copied().map(Into::into).collect(),
            standard_titles: p.standards.iter().map(|s| s.title().to_owned()).collect(),
            text: p.text(),
            reasoning: p.reasoning,
            version: p.version,
            first_assessed_at: p.first_assessed_at,
            assessed_at: p.assessed_at,
        }
    }
}

/// The longest `fairnessAssessments` answer.
const MAX_LIST: i32 = 100;

#[derive(Default)]
pub struct AssessmentQuery;

#[Object]
impl AssessmentQuery {
    /// The assessment of a case's trial; `NOT_FOUND` exactly as a missing
    /// one when the viewer may not see it.
    async fn fairness_assessment(
        &self,
        ctx: &Context<'_>,
        case_id: ID,
    ) -> Result<FairnessAssessment> {
        let (state, viewer) = ctx.parts().extend()?;
        let id = ids::decode(Kind::Case, &case_id).extend()?;
        policy::find_of_case(&state.db, viewer, id)
            .await
            .map(FairnessAssessment)
            .extend()
    }
    /// Up to `first` (at most 100, default 20) of the assessments the
    /// viewer sees, newest change first; `totalCount` counts only those.
    #[graphql(complexity = "crate::graphql::connection::page_cost(first, child_complexity)")]
    async fn fairness_assessments(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
    ) -> Result<FairnessAssessmentList> {
        let (state, viewer) = ctx.parts().extend()?;
        let first = first.unwrap_or(20);
        if !(0..=MAX_LIST).contains(&first) {
            return Err(crate::error::AppError::bad_input(
                "first",
                msg!("input-between", min = 0, max = MAX_LIST),
            ))
            .extend();
        }
        let total_count = policy::count_visible(&state.db, viewer).await.extend()?;
        let nodes = policy::list_visible(&state.db, viewer, u64::try_from(first).unwrap_or(0))
            .await
            .extend()?
            .into_iter()
            .map(FairnessAssessment)
            .collect();
        Ok(FairnessAssessmentList { total_count, nodes })
    }
    /// The text to publish, for the owner country, only while the defender
    /// consents to public advocacy (`CONSENT_REQUIRED` otherwise). Audited.
    async fn publishable_assessment(
        &self,
        ctx: &Context<'_>,
        case_id: ID,
    ) -> Result<PublishableAssessment> {
        let (state, viewer) = ctx.parts().extend()?;
        let id = ids::decode(Kind::Case, &case_id).extend()?;
        service::export(state, viewer, id)
            .await
            .map(Into::into)
            .extend()
    }
}

/// A new version of a trial's assessment.
#[derive(InputObject)]
pub struct FairnessAssessmentInput {
    /// The version this one revises (the current one); omit for the first.
    pub base_version: Option<i32>,
    pub grade: FairnessGrade,
    /// At least one.
    pub standards: Vec<FairnessStandard>,
    pub reasoning: String,
    /// Observations of this trial's hearings it draws on (at most 50).
    #[graphql(default)]
    pub observation_ids: Vec<ID>,
}

#[derive(Default)]
pub struct AssessmentMutation;

#[Object]
impl AssessmentMutation {
    /// An admin makes a diplomat, coordinator or admin of their own country
    /// an assessor: the only people who write its trials' assessments.
    async fn appoint_assessor(&self, ctx: &Context<'_>, user_id: ID) -> Result<User> {
        let (state, viewer) = ctx.parts().extend()?;
        let id = ids::decode(Kind::User, &user_id).extend()?;
        service::appoint(state, viewer, id).await.map(User).extend()
    }
    /// Ends a user's assessor grant at once (their versions stay).
    async fn dismiss_assessor(&self, ctx: &Context<'_>, user_id: ID) -> Result<User> {
        let (state, viewer) = ctx.parts().extend()?;
        let id = ids::decode(Kind::User, &user_id).extend()?;
        service::dismiss(state, viewer, id).await.map(User).extend()
    }
    /// Saves the next version of a case's trial assessment: current
    /// assessors of the owner country only. `baseVersion` must be the
    /// current version (`CONFLICT` with `currentVersion` otherwise).
    async fn write_fairness_assessment(
        &self,
        ctx: &Context<'_>,
        case_id: ID,
        input: FairnessAssessmentInput,
    ) -> Result<FairnessAssessment> {
        let (state, viewer) = ctx.parts().extend()?;
        let id = ids::decode(Kind::Case, &case_id).extend()?;
        if input.observation_ids.len() > domain::MAX_CITED {
            return Err(crate::error::AppError::bad_input(
                "input.observationIds",
                msg!("input-cite-at-most", max = domain::MAX_CITED),
            ))
            .extend();
        }
        let mut cited = Vec::with_capacity(input.observation_ids.len());
        for (i, o) in input.observation_ids.iter().enumerate() {
            let field = format!("input.observationIds[{i}]");
            // A malformed id is refused like any id outside the trial.
            let id = ids::decode(Kind::Observation, o).map_err(|_| {
                crate::error::AppError::bad_input(&field, msg!("input-is-not-an-observation-of"))
            });
            cited.push(id.extend()?);
        }
        let new = service::NewVersion {
            base_version: input.base_version,
            grade: input.grade.into(),
            standards: input.standards.into_iter().map(Into::into).collect(),
            reasoning: input.reasoning,
            observation_ids: cited,
        };
        service::write(state, viewer, id, new)
            .await
            .map(FairnessAssessment)
            .extend()
    }
    /// Lets a partner country read the assessment (only while it also sees
    /// the case's hearings): the owner's coordinators and admins.
    async fn share_assessment(
        &self,
        ctx: &Context<'_>,
        case_id: ID,
        country: String,
    ) -> Result<FairnessAssessment> {
        let (state, viewer) = ctx.parts().extend()?;
        let id = ids::decode(Kind::Case, &case_id).extend()?;
        service::set_shared(state, viewer, id, &country, true)
            .await
            .map(FairnessAssessment)
            .extend()
    }
    /// Stops sharing the assessment with a partner country, at once.
    async fn unshare_assessment(
        &self,
        ctx: &Context<'_>,
        case_id: ID,
        country: String,
    ) -> Result<FairnessAssessment> {
        let (state, viewer) = ctx.parts().extend()?;
        let id = ids::decode(Kind::Case, &case_id).extend()?;
        service::set_shared(state, viewer, id, &country, false)
            .await
            .map(FairnessAssessment)
            .extend()
    }
}
