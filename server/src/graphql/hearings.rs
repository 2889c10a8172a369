//! Trials: hearings, the roster, observations, the coverage overview.
use std::sync::Arc;

use async_graphql::{Context, ID, InputObject, Object, Result, ResultExt, SimpleObject};
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use sea_orm::{ColumnTrait, QueryFilter};

use crate::domain::CountryCode;
use crate::domain::hearing::{self as domain, ClaimStatus};
use crate::domain::observation as facts;
use crate::error::{AppError, AppResult};
use crate::graphql::cases::Case;
use crate::graphql::connection::{self, Page, Positioned, capped_list_cost};
use crate::graphql::context::ContextExt;
use crate::graphql::ids::{self, Kind};
use crate::graphql::loaders::{
    self, ClaimLoader, ObservationLoader, ObserverLoader, RevisionLoader,
};
use crate::graphql::objects::User;
use crate::msg;
use crate::policy::cases::{self as case_policy, Seen};
use crate::policy::hearings as policy;
use crate::policy::{Checked, key};
use crate::service::hearings as service;
use crate::service::roster;
use crate::store::roster_claim::ClaimView;
use crate::store::{case, hearing, observation, observation_revision, roster_claim};

mirror_enum!(HearingStatus, "crate::domain::hearing::HearingStatus", "HearingStatus" { Scheduled, Postponed, Held, Cancelled });
mirror_enum!(ClaimState, "crate::domain::hearing::ClaimStatus", "ClaimStatus" { Confirmed, Waitlisted, Suspended });
mirror_enum!(ClaimSuspension, "crate::domain::hearing::SuspendReason", "ClaimSuspension" { ConsentWithdrawn, VisibilityLost });
mirror_enum!(Coverage, "crate::domain::hearing::Coverage", "Coverage" { Uncovered, Partial, Covered });
mirror_enum!(ObservationOutcome, "crate::domain::hearing::Outcome", "ObservationOutcome" { AccessDenied, Adjourned, Heard, Verdict, Postponed, Other });
mirror_enum!(
    /// Whether the observer got into the courtroom.
    CourtroomAccess, "crate::domain::observation::CourtroomAccess", "CourtroomAccess" { Granted, GrantedAfterDelay, Denied });
mirror_enum!(
    /// How open the hearing was (to the public, or to the press): NOT_OBSERVED when the observer could not tell.
    HearingAccess, "crate::domain::observation::HearingAccess", "HearingAccess" { Open, Restricted, Closed, NotObserved });
mirror_enum!(
    /// Whether the defendant could consult their counsel.
    CounselAccess, "crate::domain::observation::CounselAccess", "CounselAccess" { Unrestricted, Restricted, Denied, NotObserved });
mirror_enum!(
    /// Interpretation for a defendant who needs it.
    Interpretation, "crate::domain::observation::Interpretation", "Interpretation" { Provided, Inadequate, NotProvided, NotNeeded });
mirror_enum!(
    /// Who was in the courtroom, by category: never by name.
    PresentCategory, "crate::domain::observation::Present", "PresentCategory" { Family, Public, Press, OtherDiplomats, UnOrInternational, NgoObservers, SecurityForces, GovernmentOfficials, Victims });

/// The roster of a hearing as this viewer is shown it (suspended claims only
/// to the case owner's country).
async fn claims_for(ctx: &Context<'_>, hearing: &Hearing) -> AppResult<Vec<roster_claim::Model>> {
    let all = match &hearing.snapshot {
        Some(s) => s.claims.clone(),
        None => loaders::rows::<ClaimLoader, _, _>(ctx, hearing.seen.key()).await?,
    };
    Ok(policy::shown_claims(&hearing.seen, all))
}

use roster_claim::confirmed_count as confirmed;

/// A hearing as the viewer sees it. A live update carries the roster and
/// observations read in the same snapshot as the visibility check, so an
/// event never shows a roster from after the viewer lost sight.
pub struct Hearing {
    seen: Seen<hearing::Model>,
    snapshot: Option<Arc<Snapshot>>,
}

/// What a live event read together with the hearing.
pub struct Snapshot {
    pub claims: Vec<roster_claim::Model>,
    pub observations: Vec<observation::Model>,
    /// The observations' histories, oldest first.
    pub revisions: Vec<observation_revision::Model>,
}

/// `Hearing.observations`: at most `MAX_OBSERVATIONS`.
fn observations_cost(child_complexity: usize) -> usize {
    capped_list_cost(domain::MAX_OBSERVATIONS, child_complexity)
}

/// `Observation.history(last:)`: `last` rows, at most `MAX_AMENDMENTS`
/// (a larger `last` is refused, and costs what it asks for).
fn history_cost(last: Option<i32>, child_complexity: usize) -> usize {
    let rows = std::cmp::max(last.unwrap_or(domain::MAX_AMENDMENTS), 0);
    capped_list_cost(usize::try_from(rows).unwrap_or(0), child_complexity)
}

impl Hearing {
    pub fn new(seen: Seen<hearing::Model>) -> Self {
        Hearing {
            seen,
            snapshot: None,
        }
    }

    pub fn live(seen: Seen<hearing::Model>, snapshot: Snapshot) -> Self {
        Hearing {
            seen,
            snapshot: Some(Arc::new(snapshot)),
        }
    }
}

impl Hearing {
    fn tz(&self) -> Option<Tz> {
        self.seen.model().timezone.parse().ok()
    }
}

#[Object]
impl Hearing {
    pub async fn id(&self) -> ID {
        ids::encode(Kind::Hearing, self.seen.model().id)
    }
    /// The case, as the viewer's own case visibility allows.
    async fn case(&self, ctx: &Context<'_>) -> Result<Option<Case>> {
        let (state, viewer) = ctx.parts().extend()?;
        match Box::pin(case_policy::find(
            &state.db,
            viewer,
            self.seen.model().case_id,
        ))
        .await
        {
            Ok(seen) => Ok(Some(Case(seen))),
            Err(AppError::NotFound) => Ok(None),
            Err(e) => Err(e).extend(),
        }
    }
    async fn court(&self) -> &str {
        &self.seen.model().court
    }
    async fn city(&self) -> &str {
        &self.seen.model().city
    }
    /// The start as an instant (RFC 3339, UTC).
    async fn starts_at(&self) -> DateTime<Utc> {
        self.seen.model().starts_at
    }
    /// The court's IANA time zone.
    async fn timezone(&self) -> &str {
        &self.seen.model().timezone
    }
    /// The start in the court's local time, without offset (read with `timezone`).
    async fn local_start(&self) -> Option<String> {
        self.tz()
            .map(|tz| domain::local_start(self.seen.model().starts_at, tz))
    }
    /// The UTC offset in force at the start, e.g. `+08:00`.
    async fn utc_offset(&self) -> Option<String> {
        self.tz().map(|tz| {
            self.seen
                .model()
                .starts_at
                .with_timezone(&tz)
                .format("%:z")
                .to_string()
        })
    }
    async fn duration_minutes(&self) -> i32 {
        self.seen.model().duration_minutes
    }
    async fn status(&self) -> Option<HearingStatus> {
        domain::HearingStatus::from_stored(&self.seen.model().status).map(Into::into)
    }
    async fn observers_needed(&self) -> i32 {
        self.seen.model().observers_needed
    }
    /// Claims close at this instant (the start when not set).
    async fn claim_deadline(&self) -> DateTime<Utc> {
        self.seen
            .model()
            .claim_deadline
            .unwrap_or(self.seen.model().starts_at)
    }
    async fn confirmed_count(&self, ctx: &Context<'_>) -> Result<i32> {
        let claims = claims_for(ctx, self).await.extend()?;
        Ok(i32::try_from(confirmed(&claims)).unwrap_or(i32::MAX))
    }
    async fn coverage(&self, ctx: &Context<'_>) -> Result<Coverage> {
        let claims = claims_for(ctx, self).await.extend()?;
        Ok(domain::coverage(
            confirmed(&claims),
            usize::try_from(self.seen.model().observers_needed).unwrap_or(0),
        )
        .into())
    }
    /// Confirmed claims, then the waitlist in order; for the case owner's
    /// country, then the suspended claims (whose country lost sight of the
    /// hearing), with their reason.
    #[graphql(complexity = "crate::graphql::connection::list_cost(child_complexity)")]
    async fn claims(&self, ctx: &Context<'_>) -> Result<Vec<RosterClaim>> {
        let claims = claims_for(ctx, self).await.extend()?;
        Ok(roster::in_display_order(claims)
            .into_iter()
            .map(|v| RosterClaim::new(v, self.seen.clone()))
            .collect())
    }
    /// Open offers of roster places (hand-overs) the viewer may see: their
    /// own, those named to them, open ones when they may claim, all for the
    /// case owner's country. Newest first, at most 50.
    #[graphql(complexity = "crate::graphql::handover::offers_cost(child_complexity)")]
    async fn offers(&self, ctx: &Context<'_>) -> Result<Vec<crate::graphql::handover::ClaimOffer>> {
        Box::pin(crate::graphql::handover::offers_of(ctx, &self.seen)).await
    }
    /// What observers reported, one observation per observer, in the order
    /// they were first submitted. At most 50 (one per observer; a hearing
    /// asks for at most 50 observers), and a query is costed for 50.
    #[graphql(complexity = "observations_cost(child_complexity)")]
    async fn observations(&self, ctx: &Context<'_>) -> Result<Vec<Observation>> {
        let rows = match &self.snapshot {
            Some(s) => s.observations.clone(),
            None => loaders::rows::<ObservationLoader, _, _>(ctx, self.seen.key())
                .await
                .extend()?,
        };
        let key = self.seen.key();
        rows.into_iter()
            .map(|o| {
                Ok(Observation {
                    content: ObservationContent::of(o.content())?,
                    history: policy::history_key(key, &o),
                    live: self.snapshot.as_ref().map(|s| {
                        s.revisions
                            .iter()
                            .filter(|r| r.observation_id == o.id)
                            .cloned()
                            .collect()
                    }),
                    model: o,
                    level: self.seen.level(),
                })
            })
            .collect::<AppResult<_>>()
            .extend()
    }
}

pub struct RosterClaim {
    view: ClaimView,
    hearing: Seen<hearing::Model>,
}

impl RosterClaim {
    pub fn new(view: ClaimView, hearing: Seen<hearing::Model>) -> Self {
        Self { view, hearing }
    }
}

#[Object]
impl RosterClaim {
    async fn id(&self) -> ID {
        ids::encode(Kind::RosterClaim, self.view.claim.id)
    }
    async fn status(&self) -> Option<ClaimState> {
        ClaimStatus::from_stored(&self.view.claim.status).map(Into::into)
    }
    /// 1-based place on the waitlist; null when confirmed.
    async fn position(&self) -> Option<i32> {
        self.view.position
    }
    /// Which country covers (or waits to cover) the hearing.
    async fn country(&self) -> &str {
        &self.view.claim.country
    }
    /// Why the claim holds no place any more (SUSPENDED claims, shown to the
    /// case owner's country only).
    async fn suspended_reason(&self) -> Option<ClaimSuspension> {
        self.view
            .claim
            .suspended_reason
            .as_deref()
            .and_then(domain::SuspendReason::from_stored)
            .map(Into::into)
    }
    /// Who: for the viewer's own country's claims, and for the case owner's
    /// country; null otherwise.
    async fn user(&self, ctx: &Context<'_>) -> Result<Option<User>> {
        let viewer = ctx.viewer().extend()?;
        let Some(key) = policy::observer_key(
            viewer,
            self.hearing.level(),
            &self.view.claim.country,
            self.view.claim.user_id,
        ) else {
            return Ok(None);
        };
        let user = loaders::one::<ObserverLoader, _>(ctx, key).await.extend()?;
        Ok(user.map(User))
    }
    async fn hearing(&self) -> Hearing {
        Hearing::new(self.hearing.clone())
    }
}

/// What an observer recorded, on the OSCE/ODIHR and TrialWatch model:
/// facts only (no assessment), who was present by category, never names.
#[derive(SimpleObject, Clone)]
pub struct ObservationContent {
    /// Whether the observer got into the courtroom.
    courtroom_access: CourtroomAccess,
    /// How (e.g. "after a 40-minute wait and a search").
    access_note: Option<String>,
    public_access: HearingAccess,
    press_access: HearingAccess,
    /// Who was present, by category (each at most once).
    present: Vec<PresentCategory>,
    /// The defendant's access to counsel.
    counsel_access: CounselAccess,
    /// Null: not recorded.
    interpretation: Option<Interpretation>,
    duration_minutes: Option<i32>,
    adjourned: bool,
    adjournment_reason: Option<String>,
    outcome: ObservationOutcome,
    /// False when the observer was refused entry (`courtroomAccess` DENIED).
    attended: bool,
    defendant_present: Option<bool>,
    ill_treatment_alleged: Option<bool>,
    notable_events: Option<String>,
    notes: Option<String>,
}

impl ObservationContent {
    /// A stored content (`None`: a row the database's CHECKs should have
    /// refused, an internal error).
    fn of(content: Option<facts::Content>) -> AppResult<Self> {
        let c = content.ok_or_else(|| AppError::internal("unreadable observation content"))?;
        Ok(ObservationContent {
            attended: c.attended(),
            courtroom_access: c.courtroom_access.into(),
            access_note: c.access_note,
            public_access: c.public_access.into(),
            press_access: c.press_access.into(),
            present: c.present.into_iter().map(Into::into).collect(),
            counsel_access: c.counsel_access.into(),
            interpretation: c.interpretation.map(Into::into),
            duration_minutes: c.duration_minutes,
            adjourned: c.adjourned,
            adjournment_reason: c.adjournment_reason,
            outcome: c.outcome.into(),
            defendant_present: c.defendant_present,
            ill_treatment_alleged: c.ill_treatment_alleged,
            notable_events: c.notable_events,
            notes: c.notes,
        })
    }
}

/// One observer's observation of a hearing: submitted once, then locked.
/// Its fields are the current content; corrections are amendments appended
/// and dated (`amendObservation`), and what it said before stays readable:
/// `original` and `history`.
pub struct Observation {
    model: observation::Model,
    content: ObservationContent,
    level: crate::domain::case::Visibility,
    /// The key its history loads under (the hearing's policy issued it).
    history: Option<Checked<key::Observation>>,
    /// The history read with a live event's snapshot.
    live: Option<Vec<observation_revision::Model>>,
}

impl Observation {
    /// The earlier contents, oldest first, as the viewer may read them.
    async fn revisions(&self, ctx: &Context<'_>) -> AppResult<Vec<observation_revision::Model>> {
        Ok(match (&self.live, self.history) {
            (Some(rows), _) => rows.clone(),
            (None, Some(key)) => loaders::rows::<RevisionLoader, _, _>(ctx, key).await?,
            (None, None) => Vec::new(),
        })
    }
}

#[Object]
impl Observation {
    async fn id(&self) -> ID {
        ids::encode(Kind::Observation, self.model.id)
    }
    async fn country(&self) -> &str {
        &self.model.country
    }
    /// The observer, for their own country and the case owner's country.
    async fn observer(&self, ctx: &Context<'_>) -> Result<Option<User>> {
        let viewer = ctx.viewer().extend()?;
        let Some(key) = policy::observer_key(
            viewer,
            self.level,
            &self.model.country,
            self.model.observer_id,
        ) else {
            return Ok(None);
        };
        let user = loaders::one::<ObserverLoader, _>(ctx, key).await.extend()?;
        Ok(user.map(User))
    }
    /// The current content.
    #[graphql(flatten)]
    async fn content(&self) -> ObservationContent {
        self.content.clone()
    }
    /// When the observation was first submitted (an amendment keeps it).
    async fn submitted_at(&self) -> DateTime<Utc> {
        self.model.submitted_at
    }
    /// When the current content was written, if it amends an earlier one.
    async fn amended_at(&self) -> Option<DateTime<Utc>> {
        self.model.amended_at
    }
    /// Why the current content amends the one before (null for the original).
    async fn amendment_reason(&self) -> Option<&str> {
        self.model.amendment_reason.as_deref()
    }
    /// The observation as first submitted, once it was amended (revision 1
    /// of `history`); null while it was never amended (then its fields are
    /// the original).
    async fn original(&self, ctx: &Context<'_>) -> Result<Option<ObservationRevision>> {
        let rows = self.revisions(ctx).await.extend()?;
        rows.into_iter()
            .find(|r| r.revision == 1)
            .map(ObservationRevision::of)
            .transpose()
            .extend()
    }
    /// The contents this observation had before, oldest first (revision 1 is
    /// the first submission; each later one says when and why it was
    /// written): the latest `last` of them (0–20; all when absent). At most
    /// 20 amendments (then `CONFLICT`). A query is costed for `last` rows,
    /// 20 when absent.
    #[graphql(complexity = "history_cost(last, child_complexity)")]
    async fn history(
        &self,
        ctx: &Context<'_>,
        last: Option<i32>,
    ) -> Result<Vec<ObservationRevision>> {
        let last = match last {
            None => domain::MAX_AMENDMENTS,
            Some(n) if (0..=domain::MAX_AMENDMENTS).contains(&n) => n,
            Some(_) => {
                return Err(AppError::bad_input(
                    "last",
                    msg!("input-between", min = 0, max = domain::MAX_AMENDMENTS),
                ))
                .extend();
            }
        };
        let mut rows = self.revisions(ctx).await.extend()?;
        let keep = usize::try_from(last).unwrap_or(0);
        let rows = rows.split_off(rows.len().saturating_sub(keep));
        rows.into_iter()
            .map(ObservationRevision::of)
            .collect::<AppResult<_>>()
            .extend()
    }
}

/// An earlier content of an observation, as it stood from `submittedAt`
/// until `amendedAt`.
pub struct ObservationRevision {
    row: observation_revision::Model,
    content: ObservationContent,
}

impl ObservationRevision {
    fn of(row: observation_revision::Model) -> AppResult<Self> {
        Ok(ObservationRevision {
            content: ObservationContent::of(row.content())?,
            row,
        })
    }
}

#[Object]
impl ObservationRevision {
    /// 1 for the first submission, then in order.
    async fn revision(&self) -> i32 {
        self.row.revision
    }
    #[graphql(flatten)]
    async fn content(&self) -> ObservationContent {
        self.content.clone()
    }
    /// Why this content amended the one before (null for revision 1).
    async fn amendment_reason(&self) -> Option<&str> {
        self.row.amendment_reason.as_deref()
    }
    /// When this content was written.
    async fn submitted_at(&self) -> DateTime<Utc> {
        self.row.submitted_at
    }
    /// When the next content replaced it.
    async fn amended_at(&self) -> DateTime<Utc> {
        self.row.amended_at
    }
}

#[derive(InputObject, Default)]
pub struct HearingFilter {
    pub host_country: Option<String>,
    pub case_id: Option<ID>,
    pub coverage: Option<Coverage>,
    /// Only hearings the viewer holds a claim on.
    pub only_mine: Option<bool>,
    pub status: Option<HearingStatus>,
}

impl HearingFilter {
    /// The transport's filter (and window) as the policy's, which builds the
    /// condition.
    fn into_policy(
        self,
        from: Option<DateTime<Utc>>,
        to: Option<DateTime<Utc>>,
    ) -> AppResult<policy::HearingFilter> {
        Ok(policy::HearingFilter {
            from,
            to,
            host_country: self
                .host_country
                .map(|h| CountryCode::parse("filter.hostCountry", &h))
                .transpose()?,
            case_id: self
                .case_id
                .map(|c| ids::decode_input(Kind::Case, "filter.caseId", &c))
                .transpose()?,
            status: self.status.map(Into::into),
            coverage: self.coverage.map(Into::into),
            only_mine: self.only_mine == Some(true),
        })
    }
}

#[derive(SimpleObject)]
pub struct CoverageByCountry {
    pub host_country: String,
    pub uncovered: i32,
    pub partial: i32,
    pub hearings: Vec<Hearing>,
}

#[derive(Default)]
pub struct HearingQuery;

#[Object]
impl HearingQuery {
    async fn hearing(&self, ctx: &Context<'_>, id: ID) -> Result<Hearing> {
        let (state, viewer) = ctx.parts().extend()?;
        let id = ids::decode(Kind::Hearing, &id).extend()?;
        policy::find(&state.db, viewer, id)
            .await
            .map(Hearing::new)
            .extend()
    }

    /// The shared trial calendar: every hearing the viewer may see, by start.
    #[graphql(complexity = "crate::graphql::connection::page_cost(first, child_complexity)")]
    async fn hearings(
        &self,
        ctx: &Context<'_>,
        from: Option<DateTime<Utc>>,
        to: Option<DateTime<Utc>>,
        filter: Option<HearingFilter>,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<Page<Hearing>> {
        let (state, viewer) = ctx.parts().extend()?;
        let filter = filter.unwrap_or_default().into_policy(from, to).extend()?;
        let (seen, shape) =
            connection::list::<policy::Hearings>(&state.db, viewer, filter, first, after)
                .await
                .extend()?;
        let keys: Vec<_> = seen.iter().map(|h| h.key()).collect();
        loaders::many::<ClaimLoader, _>(ctx, keys).await.extend()?;
        Ok(crate::graphql::connection::into_page(
            shape,
            seen.into_iter().map(|h| (h.position(), Hearing::new(h))),
        ))
    }

    /// The viewer's own claims on open hearings (scheduled or postponed),
    /// soonest first: at most 100, the most one diplomat may hold at once
    /// (a claim beyond is `CONFLICT`). Claims on held and cancelled hearings:
    /// `hearings(filter: { onlyMine: true })`.
    #[graphql(complexity = "capped_list_cost(domain::MAX_OPEN_CLAIMS, child_complexity)")]
    async fn my_roster(&self, ctx: &Context<'_>) -> Result<Vec<RosterClaim>> {
        let (state, viewer) = ctx.parts().extend()?;
        let mine = roster::my_roster(state, viewer).await.extend()?;
        Ok(mine
            .into_iter()
            .map(|(view, h)| RosterClaim::new(view, h))
            .collect())
    }

    /// Coordinators' Monday view: upcoming hearings in the next `days` that
    /// lack observers, by host country.
    #[graphql(complexity = "crate::graphql::connection::list_cost(child_complexity)")]
    async fn coverage_gaps(
        &self,
        ctx: &Context<'_>,
        #[graphql(default = 14)] days: i32,
    ) -> Result<Vec<CoverageByCountry>> {
        let (state, viewer) = ctx.parts().extend()?;
        let gaps = service::coverage_gaps(state, viewer, days.into())
            .await
            .extend()?;
        let keys: Vec<_> = gaps.iter().map(|h| h.key()).collect();
        let claims = loaders::many::<ClaimLoader, _>(ctx, keys).await.extend()?;
        let hosts = case_policy::visible(viewer)
            .filter(case::Column::Id.is_in(gaps.iter().map(|h| h.model().case_id)))
            .all(&state.db)
            .await
            .map_err(AppError::from)
            .extend()?;
        let mut groups: Vec<CoverageByCountry> = Vec::new();
        for h in gaps {
            let host = hosts
                .iter()
                .find(|c| c.id == h.model().case_id)
                .map(|c| c.host_country.clone())
                .unwrap_or_default();
            let confirmed = claims.get(&h.key()).map_or(0, |c| confirmed(c));
            let idx = match groups.iter().position(|g| g.host_country == host) {
                Some(i) => i,
                None => {
                    groups.push(CoverageByCountry {
                        host_country: host,
                        uncovered: 0,
                        partial: 0,
                        hearings: Vec::new(),
                    });
                    groups.len() - 1
                }
            };
            let g = &mut groups[idx];
            if confirmed == 0 {
                g.uncovered += 1
            } else {
                g.partial += 1
            }
            g.hearings.push(Hearing::new(h));
        }
        groups.sort_by(|a, b| a.host_country.cmp(&b.host_country));
        Ok(groups)
    }
}

#[derive(InputObject)]
pub struct ScheduleHearingInput {
    pub court: String,
    pub city: String,
    /// The court's local time without offset, e.g. `2026-12-01T09:30:00`.
    pub local_start: String,
    /// IANA zone, e.g. `Asia/Manila`.
    pub timezone: String,
    /// Only for a local time that occurs twice (DST overlap), e.g. `+01:00`.
    pub utc_offset: Option<String>,
    pub duration_minutes: i32,
    pub observers_needed: i32,
    pub claim_deadline: Option<DateTime<Utc>>,
}

#[derive(InputObject, Default)]
pub struct UpdateHearingInput {
    pub court: Option<String>,
    pub city: Option<String>,
    pub local_start: Option<String>,
    pub timezone: Option<String>,
    pub utc_offset: Option<String>,
    pub duration_minutes: Option<i32>,
    pub observers_needed: Option<i32>,
    pub claim_deadline: Option<DateTime<Utc>>,
    pub status: Option<HearingStatus>,
}

/// An observation's full content: facts only, who was present by
/// category (never names). Texts are trimmed (blank is absent) and bounded:
/// `accessNote` and `adjournmentReason` 500 characters, `notableEvents` and
/// `notes` 4,000.
#[derive(InputObject)]
pub struct ObservationInput {
    /// DENIED when the observer was refused entry (then `outcome` is
    /// ACCESS_DENIED and nobody is listed `present`).
    pub courtroom_access: CourtroomAccess,
    /// How access went (e.g. "after a 40-minute wait and a search").
    pub access_note: Option<String>,
    #[graphql(default_with = "HearingAccess::NotObserved")]
    pub public_access: HearingAccess,
    #[graphql(default_with = "HearingAccess::NotObserved")]
    pub press_access: HearingAccess,
    /// Who was present, by category.
    #[graphql(default)]
    pub present: Vec<PresentCategory>,
    #[graphql(default_with = "CounselAccess::NotObserved")]
    pub counsel_access: CounselAccess,
    pub interpretation: Option<Interpretation>,
    /// 0 to 1440.
    pub duration_minutes: Option<i32>,
    #[graphql(default)]
    pub adjourned: bool,
    /// Only when `adjourned`.
    pub adjournment_reason: Option<String>,
    pub outcome: ObservationOutcome,
    pub defendant_present: Option<bool>,
    pub ill_treatment_alleged: Option<bool>,
    pub notable_events: Option<String>,
    pub notes: Option<String>,
}

/// An amendment: the full corrected content, and why (1–1,000 characters).
#[derive(InputObject)]
pub struct AmendObservationInput {
    #[graphql(flatten)]
    pub content: ObservationInput,
    /// Why the observation is corrected (shown, dated, with the amendment).
    pub reason: String,
}

#[derive(SimpleObject)]
pub struct CalendarFeed {
    /// Keep it private: anyone with the URL can read the feed.
    pub url: String,
}

impl From<ScheduleHearingInput> for service::NewHearing {
    fn from(input: ScheduleHearingInput) -> Self {
        service::NewHearing {
            court: input.court,
            city: input.city,
            local_start: input.local_start,
            timezone: input.timezone,
            utc_offset: input.utc_offset,
            duration_minutes: input.duration_minutes,
            observers_needed: input.observers_needed,
            claim_deadline: input.claim_deadline,
        }
    }
}

impl From<UpdateHearingInput> for service::HearingChanges {
    fn from(input: UpdateHearingInput) -> Self {
        service::HearingChanges {
            court: input.court,
            city: input.city,
            local_start: input.local_start,
            timezone: input.timezone,
            utc_offset: input.utc_offset,
            duration_minutes: input.duration_minutes,
            observers_needed: input.observers_needed,
            claim_deadline: input.claim_deadline,
            status: input.status.map(Into::into),
        }
    }
}

impl From<ObservationInput> for facts::Content {
    fn from(input: ObservationInput) -> Self {
        facts::Content {
            courtroom_access: input.courtroom_access.into(),
            access_note: input.access_note,
            public_access: input.public_access.into(),
            press_access: input.press_access.into(),
            present: input.present.into_iter().map(Into::into).collect(),
            counsel_access: input.counsel_access.into(),
            interpretation: input.interpretation.map(Into::into),
            duration_minutes: input.duration_minutes,
            adjourned: input.adjourned,
            adjournment_reason: input.adjournment_reason,
            outcome: input.outcome.into(),
            defendant_present: input.defendant_present,
            ill_treatment_alleged: input.ill_treatment_alleged,
            notable_events: input.notable_events,
            notes: input.notes,
        }
    }
}

#[derive(Default)]
pub struct HearingMutation;

#[Object]
impl HearingMutation {
    /// The case owner's coordinators and admins; needs consent to trial observation.
    async fn schedule_hearing(
        &self,
        ctx: &Context<'_>,
        case_id: ID,
        input: ScheduleHearingInput,
    ) -> Result<Hearing> {
        let (state, viewer) = ctx.parts().extend()?;
        let case_id = ids::decode(Kind::Case, &case_id).extend()?;
        let new = service::NewHearing::from(input);
        service::schedule(state, viewer, case_id, new)
            .await
            .map(Hearing::new)
            .extend()
    }

    /// Reschedule (localStart/timezone), postpone, cancel, mark held, change
    /// the number of observers (lowering it moves the latest confirmed claims
    /// back to the front of the waitlist).
    async fn update_hearing(
        &self,
        ctx: &Context<'_>,
        id: ID,
        input: UpdateHearingInput,
    ) -> Result<Hearing> {
        let (state, viewer) = ctx.parts().extend()?;
        let id = ids::decode(Kind::Hearing, &id).extend()?;
        let changes = service::HearingChanges::from(input);
        service::update(state, viewer, id, changes)
            .await
            .map(Hearing::new)
            .extend()
    }

    /// A confirmed place while there is one, else the end of the waitlist.
    async fn claim_roster_slot(&self, ctx: &Context<'_>, hearing_id: ID) -> Result<RosterClaim> {
        let (state, viewer) = ctx.parts().extend()?;
        let id = ids::decode(Kind::Hearing, &hearing_id).extend()?;
        let (view, hearing) = roster::claim(state, viewer, id).await.extend()?;
        Ok(RosterClaim::new(view, hearing))
    }

    /// Gives up the viewer's claim; the first waitlisted claim is promoted.
    async fn release_roster_slot(&self, ctx: &Context<'_>, hearing_id: ID) -> Result<Hearing> {
        let (state, viewer) = ctx.parts().extend()?;
        let id = ids::decode(Kind::Hearing, &hearing_id).extend()?;
        roster::release(state, viewer, id)
            .await
            .map(Hearing::new)
            .extend()
    }

    /// A new secret iCalendar URL of the viewer's confirmed hearings, for
    /// Outlook and other calendar apps. Any earlier URL stops working.
    async fn issue_calendar_feed(&self, ctx: &Context<'_>) -> Result<CalendarFeed> {
        let (state, viewer) = ctx.parts().extend()?;
        let url = crate::service::calendar::issue(state, viewer)
            .await
            .extend()?;
        Ok(CalendarFeed { url })
    }

    /// Stops the viewer's calendar URL from working.
    async fn revoke_calendar_feed(&self, ctx: &Context<'_>) -> Result<bool> {
        let (state, viewer) = ctx.parts().extend()?;
        crate::service::calendar::revoke(state, viewer)
            .await
            .extend()
    }

    /// A confirmed observer's report, once the hearing has started. One
    /// observation per observer, submitted once: a second submission is
    /// `CONFLICT` (amend it with `amendObservation`). A hearing holds at
    /// most 50.
    async fn submit_observation(
        &self,
        ctx: &Context<'_>,
        hearing_id: ID,
        input: ObservationInput,
    ) -> Result<Hearing> {
        let (state, viewer) = ctx.parts().extend()?;
        let id = ids::decode(Kind::Hearing, &hearing_id).extend()?;
        service::observe(state, viewer, id, input.into())
            .await
            .extend()?;
        policy::find(&state.db, viewer, id)
            .await
            .map(Hearing::new)
            .extend()
    }

    /// The observer corrects their own observation: the full corrected
    /// content and a `reason`. The observation's fields become the new
    /// content; what it said before stays in `history` (revision 1 is the
    /// original), dated, with each amendment's reason. At most 20
    /// amendments (then `CONFLICT`). Someone else's observation is
    /// `FORBIDDEN`; one of a hearing the viewer does not see, `NOT_FOUND`.
    async fn amend_observation(
        &self,
        ctx: &Context<'_>,
        id: ID,
        input: AmendObservationInput,
    ) -> Result<Observation> {
        let (state, viewer) = ctx.parts().extend()?;
        let id = ids::decode(Kind::Observation, &id).extend()?;
        let reason = input.reason;
        let (seen, written) =
            service::amend_observation(state, viewer, id, input.content.into(), &reason)
                .await
                .extend()?;
        Ok(Observation {
            content: ObservationContent::of(written.content()).extend()?,
            history: policy::history_key(seen.key(), &written),
            live: None,
            level: seen.level(),
            model: written,
        })
    }
}
