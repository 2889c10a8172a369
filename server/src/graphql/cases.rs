//! Cases: `cases`, `case`, `caseByReference` and the case mutations. Every
//! `Case` wraps a `Seen` from the policy; fields above the viewer's level
//! resolve to null.
use async_graphql::{Context, ID, InputObject, Object, Result, ResultExt, SimpleObject};
use chrono::{DateTime, Utc};

use crate::domain::CountryCode;
use crate::domain::case as domain;
use crate::error::{AppError, AppResult};
use crate::graphql::connection::{self, Page, Positioned};
use crate::graphql::context::ContextExt;
use crate::graphql::ids::{self, Kind};
use crate::graphql::loaders::{self, CategoryLoader, CoalitionLoader, ShareLoader};
use crate::graphql::objects::Coalition;
use crate::msg;
use crate::policy::cases::{self as policy, Seen};
use crate::service::cases as service;
use crate::store::{case, case_share};

mirror_enum!(CaseCategory, "crate::domain::case::CaseCategory", "CaseCategory" {
    WomanHrd, Environmental, LandRights, Indigenous, Lgbti, Journalist, Lawyer, TradeUnionist, Student, Other
});
mirror_enum!(RiskLevel, "crate::domain::case::RiskLevel", "RiskLevel" { Low, Medium, High, Critical });
mirror_enum!(CaseStatus, "crate::domain::case::CaseStatus", "CaseStatus" { AtRisk, Detained, OnTrial, Released, Relocated, Closed });
mirror_enum!(ShareLevel, "crate::domain::case::ShareLevel", "ShareLevel" { Summary, Detail });
mirror_enum!(ConsentGiver, "crate::domain::case::ConsentGiver", "ConsentGiver" { Defender, Family, Representative });
mirror_enum!(CaseVisibility, "crate::domain::case::Visibility", "CaseVisibility" { Summary, Detail, Owner });

pub struct Case(pub Seen<case::Model>);

#[derive(SimpleObject)]
pub struct Identity {
    pub legal_name: Option<String>,
    pub contact: Option<String>,
    pub location: Option<String>,
    pub notes: Option<String>,
}

#[derive(SimpleObject)]
pub struct Consent {
    pub share_with_partners: bool,
    pub trial_observation: bool,
    pub public_advocacy: bool,
    pub given_by: Option<ConsentGiver>,
    pub recorded_at: Option<DateTime<Utc>>,
}

pub struct CaseShare(case_share::Model);

#[Object]
impl CaseShare {
    async fn country(&self) -> Option<&str> {
        self.0.country.as_deref()
    }
    async fn coalition(&self, ctx: &Context<'_>) -> Result<Option<Coalition>> {
        let Some(id) = self.0.coalition_id else {
            return Ok(None);
        };
        let found = loaders::one::<CoalitionLoader, _>(ctx, id).await.extend()?;
        Ok(found.map(Coalition))
    }
    async fn level(&self) -> Option<ShareLevel> {
        domain::ShareLevel::from_stored(&self.0.level).map(Into::into)
    }
}

impl Case {
    fn detail<T>(&self, value: T) -> Option<T> {
        policy::may_read_detail(&self.0).then_some(value)
    }
}

#[Object]
impl Case {
    pub async fn id(&self) -> ID {
        ids::encode(Kind::Case, self.0.model().id)
    }
    /// Non-identifying reference, e.g. `PH-2026-0007`.
    async fn reference(&self) -> &str {
        &self.0.model().reference
    }
    async fn visibility(&self) -> CaseVisibility {
        self.0.level().into()
    }
    async fn host_country(&self) -> &str {
        &self.0.model().host_country
    }
    async fn categories(&self, ctx: &Context<'_>) -> Result<Vec<CaseCategory>> {
        let raw = loaders::rows::<CategoryLoader, _, _>(ctx, self.0.key())
            .await
            .extend()?;
        let mut cats: Vec<domain::CaseCategory> = raw
            .iter()
            .filter_map(|c| domain::CaseCategory::from_stored(c))
            .collect();
        cats.sort();
        Ok(cats.into_iter().map(Into::into).collect())
    }
    async fn risk_level(&self) -> Option<RiskLevel> {
        domain::RiskLevel::from_stored(&self.0.model().risk_level).map(Into::into)
    }
    async fn status(&self) -> Option<CaseStatus> {
        domain::CaseStatus::from_stored(&self.0.model().status).map(Into::into)
    }
    /// DETAIL and above.
    async fn pseudonym(&self) -> Option<&str> {
        self.detail(self.0.model().pseudonym.as_str())
    }
    /// Coarse, sub-national. DETAIL and above.
    async fn region(&self) -> Option<&str> {
        self.detail(self.0.model().region.as_deref()).flatten()
    }
    /// DETAIL and above.
    async fn summary(&self) -> Option<&str> {
        self.detail(self.0.model().summary.as_deref()).flatten()
    }
    /// DETAIL and above.
    async fn owner_country(&self) -> Option<&str> {
        self.detail(self.0.model().owner_country.as_str())
    }
    async fn created_at(&self) -> Option<DateTime<Utc>> {
        self.detail(self.0.model().created_at)
    }
    async fn updated_at(&self) -> Option<DateTime<Utc>> {
        self.detail(self.0.model().updated_at)
    }
    /// Requests to reveal this case's identity: all of them for the owner
    /// country, its own for a partner at DETAIL, none otherwise.
    async fn identity_reveals(
        &self,
        ctx: &Context<'_>,
    ) -> Result<Vec<crate::graphql::identity::IdentityReveal>> {
        let (state, viewer) = ctx.parts().extend()?;
        let rows = Box::pin(crate::policy::reveals::for_case(&state.db, viewer, &self.0))
            .await
            .extend()?;
        Ok(rows
            .into_iter()
            .map(crate::graphql::identity::IdentityReveal)
            .collect())
    }
    /// The defender in clear: for custodians of the owner country in a
    /// session signed in with their password, and for a partner through a
    /// running reveal; every read is audited. `IDENTITY_LOCKED` (with
    /// `extensions.reason`) when the viewer's country may read it but this
    /// session cannot; null for everyone else.
    async fn identity(&self, ctx: &Context<'_>) -> Result<Option<Identity>> {
        let (state, viewer) = ctx.parts().extend()?;
        // Boxed, as every rarely asked resolver that awaits a service (see
        // `graphql/mod.rs`).
        let identity = Box::pin(service::read_identity(state, viewer, &self.0))
            .await
            .extend()?;
        Ok(identity.map(|i| Identity {
            legal_name: i.legal_name,
            contact: i.contact,
            location: i.location,
            notes: i.notes,
        }))
    }
    /// Owner country only.
    async fn consent(&self) -> Option<Consent> {
        let m = &self.0.model();
        policy::may_read_sharing(&self.0).then(|| Consent {
            share_with_partners: m.consent_share,
            trial_observation: m.consent_trial,
            public_advocacy: m.consent_public,
            given_by: m
                .consent_given_by
                .as_deref()
                .and_then(domain::ConsentGiver::from_stored)
                .map(Into::into),
            recorded_at: m.consent_recorded_at,
        })
    }
    /// Attack reports linked to this case that the viewer may see (rule 3),
    /// in the order the incidents happened: the sequence of threats.
    #[graphql(complexity = "crate::graphql::connection::list_cost(child_complexity)")]
    async fn attack_reports(
        &self,
        ctx: &Context<'_>,
    ) -> Result<Vec<crate::graphql::reports::AttackReport>> {
        let rows = loaders::rows::<loaders::CaseReportLoader, _, _>(ctx, self.0.key())
            .await
            .extend()?;
        Ok(rows
            .into_iter()
            .map(crate::graphql::reports::AttackReport)
            .collect())
    }
    /// The trial's fairness assessment, when the viewer may see it (its own
    /// visibility: `FairnessAssessment`); null otherwise, exactly as when
    /// there is none.
    async fn fairness_assessment(
        &self,
        ctx: &Context<'_>,
    ) -> Result<Option<crate::graphql::assessments::FairnessAssessment>> {
        let (state, viewer) = ctx.parts().extend()?;
        Box::pin(crate::policy::assessments::of_case(
            &state.db,
            viewer,
            self.0.model().id,
        ))
        .await
        .map(|a| a.map(crate::graphql::assessments::FairnessAssessment))
        .extend()
    }
    /// Whom the case is shared with. Owner country only.
    #[graphql(complexity = "crate::graphql::connection::list_cost(child_complexity)")]
    async fn shares(&self, ctx: &Context<'_>) -> Result<Option<Vec<CaseShare>>> {
        let Some(key) = policy::sharing_key(&self.0) else {
            return Ok(None);
        };
        let rows = loaders::rows::<ShareLoader, _, _>(ctx, key)
            .await
            .extend()?;
        Ok(Some(rows.into_iter().map(CaseShare).collect()))
    }
}

#[derive(InputObject, Default)]
pub struct CaseFilter {
    pub host_country: Option<String>,
    pub status: Option<CaseStatus>,
    pub risk_level: Option<RiskLevel>,
    pub category: Option<CaseCategory>,
    /// Only cases seen at DETAIL or above (the update time is a detail field).
    pub updated_since: Option<DateTime<Utc>>,
    /// Matches the reference, and pseudonym, region and summary where the
    /// viewer may read them.
    pub search: Option<String>,
}

impl CaseFilter {
    /// The transport's filter as the policy's; the policy decides what it may match.
    fn into_policy(self) -> AppResult<policy::CaseFilter> {
        Ok(policy::CaseFilter {
            host_country: self
                .host_country
                .map(|h| CountryCode::parse("filter.hostCountry", &h))
                .transpose()?,
            status: self.status.map(Into::into),
            risk_level: self.risk_level.map(Into::into),
            category: self.category.map(Into::into),
            updated_since: self.updated_since,
            search: self.search,
        })
    }
}

#[derive(Default)]
pub struct CaseQuery;

#[Object]
impl CaseQuery {
    /// Cases the viewer may see; `totalCount` counts only those.
    #[graphql(complexity = "crate::graphql::connection::page_cost(first, child_complexity)")]
    async fn cases(
        &self,
        ctx: &Context<'_>,
        filter: Option<CaseFilter>,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<Page<Case>> {
        let (state, viewer) = ctx.parts().extend()?;
        let filter = filter.unwrap_or_default().into_policy().extend()?;
        let (seen, shape) =
            connection::list::<policy::Cases>(&state.db, viewer, filter, first, after)
                .await
                .extend()?;
        let node = ctx.look_ahead().field("edges").field("node");
        let wants = loaders::CaseFields {
            categories: node.field("categories").exists(),
            shares: node.field("shares").exists(),
            share_coalitions: node.field("shares").field("coalition").exists(),
            reports: node.field("attackReports").exists(),
        };
        loaders::prefetch_cases(ctx, &seen, wants).await.extend()?;
        Ok(crate::graphql::connection::into_page(
            shape,
            seen.into_iter().map(|s| (s.position(), Case(s))),
        ))
    }

    async fn case(&self, ctx: &Context<'_>, id: ID) -> Result<Case> {
        let (state, viewer) = ctx.parts().extend()?;
        let id = ids::decode(Kind::Case, &id).extend()?;
        policy::find(&state.db, viewer, id).await.map(Case).extend()
    }

    async fn case_by_reference(&self, ctx: &Context<'_>, reference: String) -> Result<Case> {
        let (state, viewer) = ctx.parts().extend()?;
        policy::find_by_reference(&state.db, viewer, &reference)
            .await
            .map(Case)
            .extend()
    }
}

#[derive(InputObject)]
pub struct IdentityInput {
    pub legal_name: Option<String>,
    pub contact: Option<String>,
    pub location: Option<String>,
    pub notes: Option<String>,
}

impl From<IdentityInput> for service::Identity {
    fn from(input: IdentityInput) -> Self {
        service::Identity {
            legal_name: input.legal_name,
            contact: input.contact,
            location: input.location,
            notes: input.notes,
        }
    }
}

#[derive(InputObject)]
pub struct CreateCaseInput {
    pub pseudonym: String,
    pub host_country: String,
    pub region: Option<String>,
    pub categories: Vec<CaseCategory>,
    pub risk_level: RiskLevel,
    pub status: CaseStatus,
    pub summary: Option<String>,
    pub identity: Option<IdentityInput>,
}

impl From<CreateCaseInput> for service::NewCase {
    fn from(input: CreateCaseInput) -> Self {
        service::NewCase {
            pseudonym: input.pseudonym,
            host_country: input.host_country,
            region: input.region,
            categories: input.categories.into_iter().map(Into::into).collect(),
            risk_level: input.risk_level.into(),
            status: input.status.into(),
            summary: input.summary,
            identity: input.identity.map(Into::into),
        }
    }
}

#[derive(InputObject)]
pub struct UpdateCaseInput {
    pub pseudonym: Option<String>,
    pub region: Option<String>,
    pub categories: Option<Vec<CaseCategory>>,
    pub risk_level: Option<RiskLevel>,
    pub status: Option<CaseStatus>,
    pub summary: Option<String>,
    /// Replaces the whole identity.
    pub identity: Option<IdentityInput>,
}

impl From<UpdateCaseInput> for service::CaseChanges {
    fn from(input: UpdateCaseInput) -> Self {
        service::CaseChanges {
            pseudonym: input.pseudonym,
            region: input.region,
            categories: input
                .categories
                .map(|c| c.into_iter().map(Into::into).collect()),
            risk_level: input.risk_level.map(Into::into),
            status: input.status.map(Into::into),
            summary: input.summary,
            identity: input.identity.map(Into::into),
        }
    }
}

#[derive(InputObject)]
pub struct ConsentInput {
    pub share_with_partners: bool,
    pub trial_observation: bool,
    pub public_advocacy: bool,
    pub given_by: ConsentGiver,
}

impl From<ConsentInput> for service::Consent {
    fn from(input: ConsentInput) -> Self {
        service::Consent {
            share_with_partners: input.share_with_partners,
            trial_observation: input.trial_observation,
            public_advocacy: input.public_advocacy,
            given_by: input.given_by.into(),
        }
    }
}

#[derive(InputObject)]
pub struct ShareInput {
    pub country: Option<String>,
    pub coalition_id: Option<ID>,
    pub level: ShareLevel,
}

#[derive(InputObject)]
pub struct UnshareInput {
    pub country: Option<String>,
    pub coalition_id: Option<ID>,
}

fn target(country: Option<String>, coalition_id: Option<ID>) -> AppResult<service::ShareTarget> {
    match (country, coalition_id) {
        (Some(c), None) => Ok(service::ShareTarget::Country(c)),
        (None, Some(id)) => Ok(service::ShareTarget::Coalition(ids::decode_input(
            Kind::Coalition,
            "coalitionId",
            &id,
        )?)),
        _ => Err(AppError::bad_input(
            "country",
            msg!("input-give-exactly-one-of-country"),
        )),
    }
}

#[derive(Default)]
pub struct CaseMutation;

#[Object]
impl CaseMutation {
    /// Coordinators and admins; the case belongs to their country. All
    /// consents start as not given.
    async fn create_case(&self, ctx: &Context<'_>, input: CreateCaseInput) -> Result<Case> {
        let (state, viewer) = ctx.parts().extend()?;
        let new = service::NewCase::from(input);
        service::create_case(state, viewer, new)
            .await
            .map(Case)
            .extend()
    }

    async fn update_case(&self, ctx: &Context<'_>, id: ID, input: UpdateCaseInput) -> Result<Case> {
        let (state, viewer) = ctx.parts().extend()?;
        let id = ids::decode(Kind::Case, &id).extend()?;
        let changes = service::CaseChanges::from(input);
        service::update_case(state, viewer, id, changes)
            .await
            .map(Case)
            .extend()
    }

    /// Withdrawing consent to share suspends every share at once.
    async fn record_consent(
        &self,
        ctx: &Context<'_>,
        case_id: ID,
        input: ConsentInput,
    ) -> Result<Case> {
        let (state, viewer) = ctx.parts().extend()?;
        let id = ids::decode(Kind::Case, &case_id).extend()?;
        let consent = service::Consent::from(input);
        service::record_consent(state, viewer, id, consent)
            .await
            .map(Case)
            .extend()
    }

    /// Exactly one of `country` / `coalitionId`; needs consent to share.
    async fn share_case(&self, ctx: &Context<'_>, case_id: ID, input: ShareInput) -> Result<Case> {
        let (state, viewer) = ctx.parts().extend()?;
        let id = ids::decode(Kind::Case, &case_id).extend()?;
        let to = target(input.country, input.coalition_id).extend()?;
        service::share_case(state, viewer, id, to, input.level.into())
            .await
            .map(Case)
            .extend()
    }

    async fn unshare_case(
        &self,
        ctx: &Context<'_>,
        case_id: ID,
        input: UnshareInput,
    ) -> Result<Case> {
        let (state, viewer) = ctx.parts().extend()?;
        let id = ids::decode(Kind::Case, &case_id).extend()?;
        let from = target(input.country, input.coalition_id).extend()?;
        service::unshare_case(state, viewer, id, from)
            .await
            .map(Case)
            .extend()
    }
}
