//! Joint statements: `statements`, `statement` and the drafting, signing,
//! finalization and delivery mutations. Every `Statement` wraps a `Seen`
//! from the statement policy; linked cases load through the case policy.
use async_graphql::{Context, ID, InputObject, Object, Result, ResultExt, SimpleObject};
use chrono::{DateTime, Utc};

use crate::domain::CountryCode;
use crate::domain::statement as domain;
use crate::error::{AppError, AppResult};
use crate::graphql::cases::Case;
use crate::graphql::connection::{self, Page, Positioned};
use crate::graphql::context::ContextExt;
use crate::graphql::ids::{self, Kind};
use crate::graphql::loaders::{
    self, ParticipantLoader, StatementCaseLoader, VersionLoader, VersionNumberLoader,
};
use crate::graphql::once::{self, Scarce};
use crate::msg;
use crate::policy::statements::{self as policy, SeenStatement};
use crate::service::statements as service;
use crate::store::{statement_participant, statement_version};

mirror_enum!(
    /// Public kinds (PUBLIC_STATEMENT, PRESS_RELEASE) about a case need the
    /// defender's consent to public advocacy at finalization.
    StatementKind, "crate::domain::statement::StatementKind", "StatementKind" {
    Demarche, PublicStatement, PressRelease, Letter
});
mirror_enum!(
    /// DRAFT (no one invited yet) → CIRCULATING → FINAL → DELIVERED.
    StatementStatus, "crate::domain::statement::StatementStatus", "StatementStatus" {
    Draft, Circulating, Final, Delivered
});
mirror_enum!(
    /// LEAD drafts, invites and finalizes; CO_PENHOLDER may revise; INVITED signs.
    ParticipantRole, "crate::domain::statement::ParticipantRole", "ParticipantRole" {
    Lead, CoPenholder, Invited
});
mirror_enum!(
    /// APPROVED and STALE carry the version approved; a new version turns
    /// approvals STALE.
    SignatureStatus, "crate::domain::statement::SignatureStatus", "SignatureStatus" {
    Pending, Approved, Stale, Declined
});
mirror_enum!(
    DeliveryChannel, "crate::domain::statement::DeliveryChannel", "DeliveryChannel" {
    Meeting, NoteVerbale, Letter, Publication, PressConference, Other
});

/// Who wrote a version: the user and their country.
#[derive(SimpleObject)]
pub struct StatementAuthor {
    pub id: ID,
    pub country: String,
}

pub struct StatementVersion(statement_version::Model);

#[Object]
impl StatementVersion {
    async fn number(&self) -> i32 {
        self.0.number
    }
    async fn body(&self) -> &str {
        &self.0.body
    }
    /// SHA-256 of the body as stored (surrounding white space trimmed), hex:
    /// what an approval is an approval of.
    async fn content_hash(&self) -> &str {
        &self.0.content_hash
    }
    async fn author(&self) -> StatementAuthor {
        StatementAuthor {
            id: ids::encode(Kind::User, self.0.author_id),
            country: self.0.author_country.clone(),
        }
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
}

#[derive(SimpleObject)]
pub struct Signature {
    pub status: Option<SignatureStatus>,
    /// The version approved (APPROVED, STALE).
    pub version: Option<i32>,
    /// Why the country declined.
    pub reason: Option<String>,
    pub signed_at: Option<DateTime<Utc>>,
}

pub struct Participant(statement_participant::Model);

#[Object]
impl Participant {
    async fn country(&self) -> &str {
        &self.0.country
    }
    async fn role(&self) -> Option<ParticipantRole> {
        domain::ParticipantRole::from_stored(&self.0.role).map(Into::into)
    }
    async fn signature(&self) -> Signature {
        Signature {
            status: domain::SignatureStatus::from_stored(&self.0.signature).map(Into::into),
            version: self.0.signature_version,
            reason: self.0.decline_reason.clone(),
            signed_at: self.0.signed_at,
        }
    }
}

/// A statement as the viewer sees it. A live event carries its versions,
/// participants and linked cases read in the same snapshot as its visibility
/// check (`Statement::live`), so nothing committed after the check shows.
pub struct Statement(pub SeenStatement, Option<Live>);

/// What a live event read together with its visibility check.
pub struct StatementSnapshot {
    pub versions: Vec<statement_version::Model>,
    pub participants: Vec<statement_participant::Model>,
    pub cases: Vec<crate::policy::Seen<crate::store::case::Model>>,
}

/// A live event's snapshot, and its own once-per-event fields (all events
/// of a subscription share the operation's request data).
pub struct Live {
    snapshot: StatementSnapshot,
    used: once::Used,
}

impl Statement {
    pub fn new(seen: SeenStatement) -> Self {
        Statement(seen, None)
    }

    pub fn live(seen: SeenStatement, snapshot: StatementSnapshot) -> Self {
        Statement(
            seen,
            Some(Live {
                snapshot,
                used: once::Used::default(),
            }),
        )
    }

    fn snapshot(&self) -> Option<&StatementSnapshot> {
        self.1.as_ref().map(|l| &l.snapshot)
    }

    /// Takes this request's (or this live event's) one `what`.
    fn claim(&self, ctx: &Context<'_>, what: Scarce, field: &str) -> AppResult<()> {
        match &self.1 {
            Some(live) => live.used.claim(what, field),
            None => once::claim(ctx, what, field),
        }
    }

    async fn versions_loaded(&self, ctx: &Context<'_>) -> AppResult<Vec<statement_version::Model>> {
        if let Some(s) = self.snapshot() {
            return Ok(s.versions.clone());
        }
        loaders::rows::<VersionLoader, _, _>(ctx, self.0.key()).await
    }

    async fn participants_loaded(
        &self,
        ctx: &Context<'_>,
    ) -> AppResult<Vec<statement_participant::Model>> {
        if let Some(s) = self.snapshot() {
            return Ok(s.participants.clone());
        }
        loaders::rows::<ParticipantLoader, _, _>(ctx, self.0.key()).await
    }

    /// One version, loaded alone (or taken from a live event's snapshot).
    async fn version_numbered(
        &self,
        ctx: &Context<'_>,
        field: &str,
        number: i32,
    ) -> AppResult<statement_version::Model> {
        let found = match self.snapshot() {
            Some(s) => s.versions.iter().find(|v| v.number == number).cloned(),
            None => loaders::one::<VersionNumberLoader, _>(ctx, (self.0.key(), number)).await?,
        };
        found.ok_or_else(|| AppError::bad_input(field, msg!("input-no-such-version")))
    }
}

#[Object]
impl Statement {
    pub async fn id(&self) -> ID {
        ids::encode(Kind::Statement, self.0.model().id)
    }
    async fn title(&self) -> &str {
        &self.0.model().title
    }
    async fn kind(&self) -> Option<StatementKind> {
        domain::StatementKind::from_stored(&self.0.model().kind).map(Into::into)
    }
    async fn host_country(&self) -> &str {
        &self.0.model().host_country
    }
    async fn status(&self) -> Option<StatementStatus> {
        domain::StatementStatus::from_stored(&self.0.model().status).map(Into::into)
    }
    async fn lead_country(&self) -> &str {
        &self.0.model().lead_country
    }
    /// The viewer's country's part.
    async fn my_role(&self) -> ParticipantRole {
        self.0.level().into()
    }
    /// Sign-on deadline; after it the lead may finalize with those who approved.
    async fn deadline(&self) -> Option<DateTime<Utc>> {
        self.0.model().deadline
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.model().created_at
    }
    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.model().updated_at
    }
    async fn finalized_at(&self) -> Option<DateTime<Utc>> {
        self.0.model().finalized_at
    }
    async fn delivered_at(&self) -> Option<DateTime<Utc>> {
        self.0.model().delivered_at
    }
    async fn delivery_channel(&self) -> Option<DeliveryChannel> {
        self.0
            .model()
            .delivery_channel
            .as_deref()
            .and_then(domain::DeliveryChannel::from_stored)
            .map(Into::into)
    }
    async fn current_version(&self, ctx: &Context<'_>) -> Result<StatementVersion> {
        let n = self.0.model().current_version;
        self.version_numbered(ctx, "currentVersion", n)
            .await
            .map(StatementVersion)
            .extend()
    }
    /// The version finalization froze.
    async fn final_version(&self, ctx: &Context<'_>) -> Result<Option<StatementVersion>> {
        let Some(n) = self.0.model().final_version else {
            return Ok(None);
        };
        self.version_numbered(ctx, "finalVersion", n)
            .await
            .map(|v| Some(StatementVersion(v)))
            .extend()
    }
    /// Every version, oldest first: at most 100 (a revision beyond is
    /// refused), so the query cost counts 100 rows.
    #[graphql(
        complexity = "crate::graphql::connection::capped_list_cost(domain::MAX_VERSIONS as usize, child_complexity)"
    )]
    async fn versions(&self, ctx: &Context<'_>) -> Result<Vec<StatementVersion>> {
        let rows = self.versions_loaded(ctx).await.extend()?;
        Ok(rows.into_iter().map(StatementVersion).collect())
    }
    async fn version(&self, ctx: &Context<'_>, number: i32) -> Result<StatementVersion> {
        self.version_numbered(ctx, "number", number)
            .await
            .map(StatementVersion)
            .extend()
    }
    /// A unified line diff from version `from` to version `to`. One per
    /// request (aliases included; over a subscription, one per event): a
    /// second is `BAD_USER_INPUT`. It runs off the request workers on a
    /// small shared pool (`ACCORD_CPU_WORK_CONCURRENCY`); when the pool is
    /// busy for more than a second the answer is `RATE_LIMITED` with
    /// `retryAfterSeconds`. Line matching gives up after half of
    /// `ACCORD_CPU_WORK_TIMEOUT_MS` (1 s by default): the lines it has not
    /// matched by then show as removed and added in blocks — still a correct
    /// diff, only coarser. A diff not done within the whole timeout (a
    /// server under load) is `UNAVAILABLE` with `retryAfterSeconds`.
    async fn diff(&self, ctx: &Context<'_>, from: i32, to: i32) -> Result<String> {
        self.claim(ctx, Scarce::Diff, "diff").extend()?;
        let state = ctx.state().extend()?;
        let old = self.version_numbered(ctx, "from", from).await.extend()?;
        let new = self.version_numbered(ctx, "to", to).await.extend()?;
        Box::pin(service::diff(state, old, new)).await.extend()
    }
    /// The lead first, then by country.
    #[graphql(complexity = "crate::graphql::connection::list_cost(child_complexity)")]
    async fn participants(&self, ctx: &Context<'_>) -> Result<Vec<Participant>> {
        let rows = self.participants_loaded(ctx).await.extend()?;
        Ok(rows.into_iter().map(Participant).collect())
    }
    /// Countries that approved the final version; empty until finalization.
    async fn signatories(&self, ctx: &Context<'_>) -> Result<Vec<String>> {
        let Some(v) = self.0.model().final_version else {
            return Ok(Vec::new());
        };
        let rows = self.participants_loaded(ctx).await.extend()?;
        Ok(service::signatories(&rows, v))
    }
    /// Linked cases, as far as the viewer sees them.
    #[graphql(complexity = "crate::graphql::connection::list_cost(child_complexity)")]
    async fn cases(&self, ctx: &Context<'_>) -> Result<Vec<Case>> {
        if let Some(s) = self.snapshot() {
            return Ok(s.cases.iter().cloned().map(Case).collect());
        }
        let rows = loaders::rows::<StatementCaseLoader, _, _>(ctx, self.0.key())
            .await
            .extend()?;
        Ok(rows.into_iter().map(Case).collect())
    }
    /// The final text and its signatories as Markdown (note verbale, press
    /// release); null before finalization. Every read is audited. One per
    /// request (aliases included; over a subscription, one per event): a
    /// second is `BAD_USER_INPUT`.
    async fn export_markdown(&self, ctx: &Context<'_>) -> Result<Option<String>> {
        self.claim(ctx, Scarce::Export, "exportMarkdown").extend()?;
        let (state, viewer) = ctx.parts().extend()?;
        Box::pin(service::export_markdown(state, viewer, &self.0))
            .await
            .extend()
    }
}

#[derive(InputObject, Default)]
pub struct StatementFilter {
    pub status: Option<StatementStatus>,
    pub kind: Option<StatementKind>,
    pub host_country: Option<String>,
}

impl StatementFilter {
    /// The transport's filter as the policy's.
    fn into_policy(self) -> AppResult<policy::StatementFilter> {
        Ok(policy::StatementFilter {
            status: self.status.map(Into::into),
            kind: self.kind.map(Into::into),
            host_country: self
                .host_country
                .map(|h| CountryCode::parse("filter.hostCountry", &h))
                .transpose()?,
        })
    }
}

#[derive(Default)]
pub struct StatementQuery;

#[Object]
impl StatementQuery {
    /// Statements the viewer's country leads or is invited to, oldest first;
    /// `totalCount` counts only those.
    #[graphql(complexity = "crate::graphql::connection::page_cost(first, child_complexity)")]
    async fn statements(
        &self,
        ctx: &Context<'_>,
        filter: Option<StatementFilter>,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<Page<Statement>> {
        let (state, viewer) = ctx.parts().extend()?;
        let filter = filter.unwrap_or_default().into_policy().extend()?;
        let (seen, shape) =
            connection::list::<policy::Statements>(&state.db, viewer, filter, first, after)
                .await
                .extend()?;
        let node = ctx.look_ahead().field("edges").field("node");
        let parts = loaders::StatementParts {
            versions: node.field("versions").exists(),
            current: node.field("currentVersion").exists(),
            final_version: node.field("finalVersion").exists(),
            participants: node.field("participants").exists() || node.field("signatories").exists(),
            cases: node.field("cases").exists(),
        };
        loaders::prefetch_statements(ctx, &seen, parts)
            .await
            .extend()?;
        Ok(crate::graphql::connection::into_page(
            shape,
            seen.into_iter().map(|s| (s.position(), Statement::new(s))),
        ))
    }

    async fn statement(&self, ctx: &Context<'_>, id: ID) -> Result<Statement> {
        let (state, viewer) = ctx.parts().extend()?;
        let id = ids::decode(Kind::Statement, &id).extend()?;
        policy::find(&state.db, viewer, id)
            .await
            .map(Statement::new)
            .extend()
    }
}

#[derive(InputObject)]
pub struct CreateStatementInput {
    pub title: String,
    pub kind: StatementKind,
    pub host_country: String,
    pub body: String,
    /// Cases the statement is about; each one the creator's country sees.
    pub case_ids: Option<Vec<ID>>,
    pub invited_countries: Option<Vec<String>>,
    /// Sign-on deadline (future).
    pub deadline: Option<DateTime<Utc>>,
}

#[derive(InputObject)]
pub struct DeliveryInput {
    pub delivered_at: DateTime<Utc>,
    pub channel: DeliveryChannel,
}

impl TryFrom<CreateStatementInput> for service::NewStatement {
    type Error = AppError;

    /// Fails on a malformed case id, naming its place in the list.
    fn try_from(input: CreateStatementInput) -> AppResult<Self> {
        let mut case_ids = Vec::new();
        for (i, id) in input.case_ids.unwrap_or_default().iter().enumerate() {
            case_ids.push(ids::decode_input(Kind::Case, &format!("caseIds[{i}]"), id)?);
        }
        Ok(service::NewStatement {
            title: input.title,
            kind: input.kind.into(),
            host_country: input.host_country,
            body: input.body,
            case_ids,
            invited_countries: input.invited_countries.unwrap_or_default(),
            deadline: input.deadline,
        })
    }
}

#[derive(Default)]
pub struct StatementMutation;

fn statement_id(id: &ID) -> AppResult<uuid::Uuid> {
    ids::decode(Kind::Statement, id)
}

#[Object]
impl StatementMutation {
    /// Coordinators; the creator's country leads. Version 1 is `body`.
    async fn create_statement(
        &self,
        ctx: &Context<'_>,
        input: CreateStatementInput,
    ) -> Result<Statement> {
        let (state, viewer) = ctx.parts().extend()?;
        let new = service::NewStatement::try_from(input).extend()?;
        service::create(state, viewer, new)
            .await
            .map(Statement::new)
            .extend()
    }

    /// A new version on top of `baseVersion`; a stale base is `CONFLICT`
    /// with `extensions.currentVersion`. A statement holds at most 100
    /// versions: a revision of the 100th is `CONFLICT` (start a new
    /// statement). `body`: at most 50,000 characters.
    async fn revise_statement(
        &self,
        ctx: &Context<'_>,
        id: ID,
        base_version: i32,
        body: String,
    ) -> Result<Statement> {
        let (state, viewer) = ctx.parts().extend()?;
        let id = statement_id(&id).extend()?;
        service::revise(state, viewer, id, base_version, body)
            .await
            .map(Statement::new)
            .extend()
    }

    /// The lead adds countries as `role` (INVITED when not given), or changes
    /// the role of countries already taking part (only when `role` is given).
    async fn invite_to_statement(
        &self,
        ctx: &Context<'_>,
        id: ID,
        countries: Vec<String>,
        role: Option<ParticipantRole>,
    ) -> Result<Statement> {
        let (state, viewer) = ctx.parts().extend()?;
        let id = statement_id(&id).extend()?;
        let role = role.map(Into::into);
        service::invite(state, viewer, id, &countries, role)
            .await
            .map(Statement::new)
            .extend()
    }

    /// The lead removes countries; they lose the statement at once.
    async fn uninvite_from_statement(
        &self,
        ctx: &Context<'_>,
        id: ID,
        countries: Vec<String>,
    ) -> Result<Statement> {
        let (state, viewer) = ctx.parts().extend()?;
        let id = statement_id(&id).extend()?;
        service::uninvite(state, viewer, id, &countries)
            .await
            .map(Statement::new)
            .extend()
    }

    /// Approves exactly `version` for the viewer's country; not the current
    /// version: `CONFLICT` with `extensions.currentVersion`.
    async fn approve_statement(
        &self,
        ctx: &Context<'_>,
        id: ID,
        version: i32,
    ) -> Result<Statement> {
        let (state, viewer) = ctx.parts().extend()?;
        let id = statement_id(&id).extend()?;
        service::answer(state, viewer, id, service::Answer::Approve(version))
            .await
            .map(Statement::new)
            .extend()
    }

    async fn decline_statement(
        &self,
        ctx: &Context<'_>,
        id: ID,
        reason: Option<String>,
    ) -> Result<Statement> {
        let (state, viewer) = ctx.parts().extend()?;
        let id = statement_id(&id).extend()?;
        service::answer(state, viewer, id, service::Answer::Decline(reason))
            .await
            .map(Statement::new)
            .extend()
    }

    /// Until finalization.
    async fn withdraw_approval(&self, ctx: &Context<'_>, id: ID) -> Result<Statement> {
        let (state, viewer) = ctx.parts().extend()?;
        let id = statement_id(&id).extend()?;
        service::answer(state, viewer, id, service::Answer::Withdraw)
            .await
            .map(Statement::new)
            .extend()
    }

    /// The lead freezes the current text; signatories are the countries
    /// that approved exactly it. Allowed when every participating country
    /// (the lead included) has answered the current version — approved it
    /// or declined — or once the sign-on deadline has passed; either way at
    /// least one country must have approved it. Earlier, `BAD_USER_INPUT`
    /// names the countries that have not answered. A public kind about a
    /// case without consent to public advocacy is `CONSENT_REQUIRED`.
    ///
    /// `version`: the version the lead was shown; if the text was revised
    /// since, nothing is frozen (`CONFLICT` naming the current version).
    async fn finalize_statement(
        &self,
        ctx: &Context<'_>,
        id: ID,
        version: Option<i32>,
    ) -> Result<Statement> {
        let (state, viewer) = ctx.parts().extend()?;
        let id = statement_id(&id).extend()?;
        service::finalize(state, viewer, id, version)
            .await
            .map(Statement::new)
            .extend()
    }

    async fn mark_statement_delivered(
        &self,
        ctx: &Context<'_>,
        id: ID,
        input: DeliveryInput,
    ) -> Result<Statement> {
        let (state, viewer) = ctx.parts().extend()?;
        let id = statement_id(&id).extend()?;
        service::deliver(state, viewer, id, input.delivered_at, input.channel.into())
            .await
            .map(Statement::new)
            .extend()
    }
}
