//! Attack reports: `attackReports`, `attackReport` and the intake and triage
//! mutations. Every `AttackReport` wraps a `Seen` from the report policy;
//! its linked cases and earlier reports load through their own scopes, so a
//! link to something the viewer cannot see is simply left out.
use async_graphql::{Context, ID, InputObject, Object, Result, ResultExt};
use chrono::{DateTime, NaiveDate, Utc};

use crate::domain::CountryCode;
use crate::domain::report as domain;
use crate::error::{AppError, AppResult};
use crate::graphql::cases::Case;
use crate::graphql::connection::{self, Page, Positioned};
use crate::graphql::context::ContextExt;
use crate::graphql::ids::{self, Kind};
use crate::graphql::loaders::{
    self, LinkedCaseLoader, OrganizationLoader, PerpetratorLoader, PriorLoader, ReportTypeLoader,
    ResponseLoader,
};
use crate::graphql::objects::Organization;
use crate::msg;
use crate::policy::reports::{self as policy, SeenReport};
use crate::service::reports as service;
use crate::store::attack_report_response;

mirror_enum!(
    /// What was done to the defender. Close to the HURIDOCS Events Standard
    /// Formats "act" vocabulary, so reports can be exported.
    AttackType, "crate::domain::report::AttackType", "AttackType" {
    /// Killing or attempted killing.
    Killing,
    /// Beating, shooting, torture or other physical harm.
    PhysicalAttack,
    /// Death threats and other intimidation, in person or online.
    Threat,
    /// Charges, lawsuits or investigations used to silence the defender.
    JudicialHarassment,
    /// Arrest or detention without legal basis or due process.
    ArbitraryDetention,
    /// Deprivation of liberty followed by a refusal to acknowledge it.
    EnforcedDisappearance,
    /// Being followed, watched, wiretapped or photographed.
    Surveillance,
    /// Stigmatisation and defamation ("red-tagging", "foreign agent").
    SmearCampaign,
    /// A search or break-in at home or office.
    Raid,
    /// Being prevented from leaving or entering the country.
    TravelBan,
    /// Hacking, account takeover, spyware, doxxing.
    DigitalAttack,
    /// Rape, sexual assault or sexual harassment.
    SexualViolence,
    /// Anything else; say what in the description.
    Other,
});

mirror_enum!(
    /// Who is believed to be behind it (HURIDOCS perpetrator types, grouped).
    PerpetratorType, "crate::domain::report::PerpetratorType", "PerpetratorType" {
    /// Police, military, intelligence, judiciary or other state officials.
    State,
    /// Armed groups, paramilitaries, insurgents.
    NonStateArmed,
    /// Companies and their staff.
    Corporation,
    /// Private security firms and guards.
    PrivateSecurity,
    /// Criminal organizations.
    OrganizedCrime,
    /// Private individuals, including community members.
    PrivateIndividual,
    /// Not known.
    Unknown,
    /// Anything else; say what in the description.
    Other,
});

mirror_enum!(
    /// One recipient country's triage: RECEIVED → ACKNOWLEDGED → LINKED |
    /// NO_ACTION | ESCALATED (the last three are final).
    ResponseState, "crate::domain::report::ResponseState", "ResponseState" {
    Received, Acknowledged, Linked, NoAction, Escalated
});

mirror_enum!(
    /// How a country closes its response without linking a case.
    ReportOutcome, "crate::domain::report::CloseOutcome", "ReportOutcome" { NoAction, Escalated }
);

pub struct AttackReport(pub SeenReport);

/// One recipient country's response. Its note is written for the
/// submitting organization.
pub struct ReportResponse(attack_report_response::Model);

#[Object]
impl ReportResponse {
    async fn country(&self) -> &str {
        &self.0.country
    }
    async fn state(&self) -> Option<ResponseState> {
        domain::ResponseState::from_stored(&self.0.state).map(Into::into)
    }
    /// Sealed at rest like the description.
    async fn note(&self, ctx: &Context<'_>) -> Result<Option<String>> {
        let state = ctx.state().extend()?;
        service::response_note(state, &self.0).extend()
    }
    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }
}

/// Stored vocabulary values, read back and sorted, as GraphQL enums.
fn sorted<D: Ord, G: From<D>>(raw: &[String], read: impl Fn(&str) -> Option<D>) -> Vec<G> {
    let mut values: Vec<D> = raw.iter().filter_map(|t| read(t)).collect();
    values.sort();
    values.into_iter().map(Into::into).collect()
}

impl AttackReport {
    /// This report's rows from loader `L`.
    async fn load<L>(&self, ctx: &Context<'_>) -> AppResult<Vec<String>>
    where
        L: async_graphql::dataloader::Loader<
                crate::policy::Checked<crate::policy::key::Report>,
                Value = Vec<String>,
                Error = std::sync::Arc<AppError>,
            > + loaders::Build,
    {
        loaders::rows::<L, _, _>(ctx, self.0.key()).await
    }

    async fn responses_loaded(
        &self,
        ctx: &Context<'_>,
    ) -> AppResult<Vec<attack_report_response::Model>> {
        loaders::rows::<ResponseLoader, _, _>(ctx, self.0.key()).await
    }
}

#[Object]
impl AttackReport {
    pub async fn id(&self) -> ID {
        ids::encode(Kind::AttackReport, self.0.model().id)
    }
    /// Non-identifying reference, e.g. `AR-PH-2026-7KQ3XM`.
    async fn reference(&self) -> &str {
        &self.0.model().reference
    }
    async fn host_country(&self) -> &str {
        &self.0.model().host_country
    }
    /// Coarse, sub-national; never coordinates.
    async fn region(&self) -> Option<&str> {
        self.0.model().region.as_deref()
    }
    /// `2026-11-20`.
    async fn incident_date(&self) -> String {
        self.0.model().incident_date.format("%Y-%m-%d").to_string()
    }
    /// Local wall-clock time `21:40` in `timezone`, when known.
    async fn incident_time(&self) -> Option<&str> {
        self.0.model().incident_time.as_deref()
    }
    /// The IANA zone of the place.
    async fn timezone(&self) -> Option<&str> {
        self.0.model().timezone.as_deref()
    }
    /// The instant `incidentTime` means, when known.
    async fn incident_at(&self) -> Option<DateTime<Utc>> {
        self.0.model().incident_at
    }
    async fn attack_types(&self, ctx: &Context<'_>) -> Result<Vec<AttackType>> {
        let raw = self.load::<ReportTypeLoader>(ctx).await.extend()?;
        Ok(sorted(&raw, domain::AttackType::from_stored))
    }
    async fn perpetrator_types(&self, ctx: &Context<'_>) -> Result<Vec<PerpetratorType>> {
        let raw = self.load::<PerpetratorLoader>(ctx).await.extend()?;
        Ok(sorted(&raw, domain::PerpetratorType::from_stored))
    }
    /// What happened. Null once retention erased it (`descriptionErasedAt`).
    async fn description(&self, ctx: &Context<'_>) -> Result<Option<String>> {
        let state = ctx.state().extend()?;
        service::description(state, &self.0).extend()
    }
    async fn description_erased_at(&self) -> Option<DateTime<Utc>> {
        self.0.model().description_erased_at
    }
    async fn submitted_at(&self) -> DateTime<Utc> {
        self.0.model().submitted_at
    }
    /// The submitting organization; null when a mission submitted it on
    /// behalf of a source.
    async fn organization(&self, ctx: &Context<'_>) -> Result<Option<Organization>> {
        let Some(org) = self.0.model().organization_id else {
            return Ok(None);
        };
        let found = loaders::one::<OrganizationLoader, _>(ctx, org)
            .await
            .extend()?;
        Ok(found.map(Organization))
    }
    /// The countries the report was sent to.
    async fn recipient_countries(&self, ctx: &Context<'_>) -> Result<Vec<String>> {
        let rows = self.responses_loaded(ctx).await.extend()?;
        Ok(rows.into_iter().map(|r| r.country).collect())
    }
    /// One per recipient country.
    #[graphql(complexity = "crate::graphql::connection::list_cost(child_complexity)")]
    async fn responses(&self, ctx: &Context<'_>) -> Result<Vec<ReportResponse>> {
        let rows = self.responses_loaded(ctx).await.extend()?;
        Ok(rows.into_iter().map(ReportResponse).collect())
    }
    /// The viewer's own country's response; null for the submitting organization.
    async fn my_response(&self, ctx: &Context<'_>) -> Result<Option<ReportResponse>> {
        let policy::Sight::Recipient(country) = self.0.level() else {
            return Ok(None);
        };
        let rows = self.responses_loaded(ctx).await.extend()?;
        Ok(rows
            .into_iter()
            .find(|r| r.country == country.as_str())
            .map(ReportResponse))
    }
    /// Cases a recipient linked this report to, as far as the viewer sees them.
    #[graphql(complexity = "crate::graphql::connection::list_cost(child_complexity)")]
    async fn cases(&self, ctx: &Context<'_>) -> Result<Vec<Case>> {
        let rows = loaders::rows::<LinkedCaseLoader, _, _>(ctx, self.0.key())
            .await
            .extend()?;
        Ok(rows.into_iter().map(Case).collect())
    }
    /// Earlier reports on the same defender, as far as the viewer sees them, oldest first.
    #[graphql(complexity = "crate::graphql::connection::list_cost(child_complexity)")]
    async fn prior_reports(&self, ctx: &Context<'_>) -> Result<Vec<AttackReport>> {
        let rows = loaders::rows::<PriorLoader, _, _>(ctx, self.0.key())
            .await
            .extend()?;
        Ok(rows.into_iter().map(AttackReport).collect())
    }
}

#[derive(InputObject, Default)]
pub struct AttackReportFilter {
    /// Recipient countries: their own country's response state. The
    /// submitting organization: any response in that state.
    pub state: Option<ResponseState>,
    pub attack_type: Option<AttackType>,
    pub host_country: Option<String>,
    /// Incident date on or after, `2026-11-01`.
    pub from: Option<String>,
    /// Incident date on or before.
    pub to: Option<String>,
}

fn date(field: &str, raw: Option<String>) -> AppResult<Option<NaiveDate>> {
    raw.map(|d| {
        NaiveDate::parse_from_str(d.trim(), "%Y-%m-%d")
            .map_err(|_| AppError::bad_input(field, msg!("input-must-be-a-date-such")))
    })
    .transpose()
}

impl AttackReportFilter {
    fn into_policy(self) -> AppResult<policy::ReportFilter> {
        Ok(policy::ReportFilter {
            state: self.state.map(Into::into),
            attack_type: self.attack_type.map(Into::into),
            host_country: self
                .host_country
                .map(|h| CountryCode::parse("filter.hostCountry", &h))
                .transpose()?,
            from: date("filter.from", self.from)?,
            to: date("filter.to", self.to)?,
        })
    }
}

#[derive(Default)]
pub struct ReportQuery;

#[Object]
impl ReportQuery {
    /// Reports the viewer may see, newest first; `totalCount` counts only those.
    #[graphql(complexity = "crate::graphql::connection::page_cost(first, child_complexity)")]
    async fn attack_reports(
        &self,
        ctx: &Context<'_>,
        filter: Option<AttackReportFilter>,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<Page<AttackReport>> {
        let (state, viewer) = ctx.parts().extend()?;
        let filter = filter.unwrap_or_default().into_policy().extend()?;
        let (seen, shape) =
            connection::list::<policy::Reports>(&state.db, viewer, filter, first, after)
                .await
                .extend()?;
        let node = ctx.look_ahead().field("edges").field("node");
        let wants = loaders::ReportFields {
            attack_types: node.field("attackTypes").exists(),
            perpetrator_types: node.field("perpetratorTypes").exists(),
            responses: node.field("responses").exists()
                || node.field("recipientCountries").exists()
                || node.field("myResponse").exists(),
            priors: node.field("priorReports").exists(),
            cases: node.field("cases").exists(),
            organization: node.field("organization").exists(),
        };
        loaders::prefetch_reports(ctx, &seen, wants)
            .await
            .extend()?;
        Ok(crate::graphql::connection::into_page(
            shape,
            seen.into_iter().map(|s| (s.position(), AttackReport(s))),
        ))
    }

    async fn attack_report(&self, ctx: &Context<'_>, id: ID) -> Result<AttackReport> {
        let (state, viewer) = ctx.parts().extend()?;
        let id = ids::decode(Kind::AttackReport, &id).extend()?;
        policy::find(&state.db, viewer, id)
            .await
            .map(AttackReport)
            .extend()
    }
}

#[derive(InputObject)]
pub struct SubmitAttackReportInput {
    pub host_country: String,
    /// Coarse, sub-national (a province or district); never coordinates.
    pub region: Option<String>,
    /// `2026-11-20`; not in the future.
    pub incident_date: String,
    /// `21:40`, read in `timezone` (required with it).
    pub incident_time: Option<String>,
    /// IANA zone of the place, e.g. `Asia/Manila`.
    pub timezone: Option<String>,
    pub attack_types: Vec<AttackType>,
    pub perpetrator_types: Vec<PerpetratorType>,
    pub description: String,
    /// Countries to send it to; each needs a mission on Accord. A diplomat
    /// submitting on behalf of a source always sends it to their own country too.
    pub recipient_countries: Vec<String>,
    /// The victim consents to sharing this report with those countries.
    /// Without it nothing is stored (`CONSENT_REQUIRED`).
    pub victim_consent: bool,
    /// A key the client picks per report: a retried submit with it returns
    /// the same report instead of a duplicate.
    pub submission_key: Option<String>,
    /// Earlier reports on the same defender the submitter can see.
    pub prior_report_ids: Option<Vec<ID>>,
}

impl TryFrom<SubmitAttackReportInput> for service::NewReport {
    type Error = AppError;

    /// Fails on a malformed earlier report id, naming its place in the list.
    fn try_from(input: SubmitAttackReportInput) -> AppResult<Self> {
        let mut priors = Vec::new();
        for (i, id) in input
            .prior_report_ids
            .unwrap_or_default()
            .iter()
            .enumerate()
        {
            priors.push(ids::decode_input(
                Kind::AttackReport,
                &format!("priorReportIds[{i}]"),
                id,
            )?);
        }
        Ok(service::NewReport {
            host_country: input.host_country,
            region: input.region,
            incident_date: input.incident_date,
            incident_time: input.incident_time,
            timezone: input.timezone,
            attack_types: input.attack_types.into_iter().map(Into::into).collect(),
            perpetrator_types: input
                .perpetrator_types
                .into_iter()
                .map(Into::into)
                .collect(),
            description: input.description,
            recipient_countries: input.recipient_countries,
            victim_consent: input.victim_consent,
            submission_key: input.submission_key,
            prior_report_ids: priors,
        })
    }
}

#[derive(Default)]
pub struct ReportMutation;

#[Object]
impl ReportMutation {
    /// Liaisons for their organization; diplomats and coordinators on behalf of a source.
    async fn submit_attack_report(
        &self,
        ctx: &Context<'_>,
        input: SubmitAttackReportInput,
    ) -> Result<AttackReport> {
        let (state, viewer) = ctx.parts().extend()?;
        let new = service::NewReport::try_from(input).extend()?;
        service::submit(state, viewer, new)
            .await
            .map(AttackReport)
            .extend()
    }

    /// RECEIVED → ACKNOWLEDGED, on the viewer's own country's response.
    async fn acknowledge_attack_report(
        &self,
        ctx: &Context<'_>,
        id: ID,
        note: Option<String>,
    ) -> Result<AttackReport> {
        let (state, viewer) = ctx.parts().extend()?;
        let id = ids::decode(Kind::AttackReport, &id).extend()?;
        service::triage(state, viewer, id, domain::Triage::Acknowledge, note, None)
            .await
            .map(AttackReport)
            .extend()
    }

    /// ACKNOWLEDGED → LINKED, to a case the viewer's country owns or sees at DETAIL.
    async fn link_attack_report(
        &self,
        ctx: &Context<'_>,
        id: ID,
        case_id: ID,
    ) -> Result<AttackReport> {
        let (state, viewer) = ctx.parts().extend()?;
        let id = ids::decode(Kind::AttackReport, &id).extend()?;
        let case_id = ids::decode_input(Kind::Case, "caseId", &case_id).extend()?;
        service::triage(state, viewer, id, domain::Triage::Link, None, Some(case_id))
            .await
            .map(AttackReport)
            .extend()
    }

    /// ACKNOWLEDGED → NO_ACTION | ESCALATED, with a note for the submitter.
    async fn close_attack_report(
        &self,
        ctx: &Context<'_>,
        id: ID,
        outcome: ReportOutcome,
        note: Option<String>,
    ) -> Result<AttackReport> {
        let (state, viewer) = ctx.parts().extend()?;
        let id = ids::decode(Kind::AttackReport, &id).extend()?;
        let step = domain::Triage::Close(outcome.into());
        service::triage(state, viewer, id, step, note, None)
            .await
            .map(AttackReport)
            .extend()
    }
}
