//! Hand-overs of roster claims: offers, and the steps on them.
use async_graphql::{Context, ID, InputObject, Object, Result, ResultExt};
use chrono::{DateTime, Utc};

use crate::domain::handover::{self as domain, MAX_OFFERS_SHOWN, MAX_OPEN_OFFERS_RECEIVED};
use crate::domain::hearing::MAX_OPEN_CLAIMS;
use crate::graphql::connection::capped_list_cost;
use crate::graphql::context::ContextExt;
use crate::graphql::hearings::Hearing;
use crate::graphql::ids::{self, Kind};
use crate::graphql::loaders::{self, ObserverLoader};
use crate::graphql::objects::User;
use crate::policy::Seen;
use crate::policy::hearings as hearing_policy;
use crate::policy::offers::{self as policy, Offered};
use crate::service::handover as service;
use crate::store::{claim_offer, hearing};

mirror_enum!(
    /// OPEN until accepted (the claim moved to the taker), declined (by the
    /// named colleague), withdrawn (by the offerer), expired (the hearing's
    /// claim deadline passed) or cancelled (the claim was suspended or
    /// released, or the colleague's country lost sight of the hearing).
    OfferState, "crate::domain::handover::OfferState", "ClaimOfferState" { Open, Accepted, Declined, Withdrawn, Expired, Cancelled }
);

/// `Hearing.offers`: at most `MAX_OFFERS_SHOWN`.
pub fn offers_cost(child_complexity: usize) -> usize {
    capped_list_cost(
        usize::try_from(MAX_OFFERS_SHOWN).unwrap_or(0),
        child_complexity,
    )
}

/// `myClaimOffers`: one open offer per open claim, plus those received.
fn mine_cost(child_complexity: usize) -> usize {
    let cap = MAX_OPEN_CLAIMS + usize::try_from(MAX_OPEN_OFFERS_RECEIVED).unwrap_or(0);
    capped_list_cost(cap, child_complexity)
}

/// An offer of a roster place: to a named colleague, or open to anyone
/// who may claim. Seen by those who see its hearing and are a party, by
/// anyone eligible when open, and by the case owner's country.
pub struct ClaimOffer {
    offer: Seen<claim_offer::Model>,
    hearing: Seen<hearing::Model>,
}

impl From<Offered> for ClaimOffer {
    fn from((offer, hearing): Offered) -> Self {
        ClaimOffer { offer, hearing }
    }
}

impl ClaimOffer {
    fn model(&self) -> &claim_offer::Model {
        self.offer.model()
    }

    async fn party(&self, ctx: &Context<'_>, user_id: uuid::Uuid) -> Result<Option<User>> {
        let viewer = ctx.viewer().extend()?;
        let Some(key) = hearing_policy::observer_key(
            viewer,
            self.offer.level(),
            &self.model().offered_by_country,
            user_id,
        ) else {
            return Ok(None);
        };
        let user = loaders::one::<ObserverLoader, _>(ctx, key).await.extend()?;
        Ok(user.map(User))
    }
}

#[Object]
impl ClaimOffer {
    async fn id(&self) -> ID {
        ids::encode(Kind::ClaimOffer, self.model().id)
    }
    async fn hearing(&self) -> Hearing {
        Hearing::new(self.hearing.clone())
    }
    /// Who offers: for the offer's own country and the case owner's
    /// country; null otherwise.
    async fn offered_by(&self, ctx: &Context<'_>) -> Result<Option<User>> {
        self.party(ctx, self.model().offered_by).await
    }
    /// The named colleague (null for an open offer, and for viewers who may
    /// not know who they are).
    async fn offered_to(&self, ctx: &Context<'_>) -> Result<Option<User>> {
        match self.model().offered_to {
            Some(to) => self.party(ctx, to).await,
            None => Ok(None),
        }
    }
    /// Open to anyone who may claim (first to accept takes it).
    async fn open(&self) -> bool {
        self.model().offered_to.is_none()
    }
    /// Which country's place is offered.
    async fn country(&self) -> &str {
        &self.model().offered_by_country
    }
    /// The viewer made this offer.
    async fn offered_by_you(&self, ctx: &Context<'_>) -> Result<bool> {
        Ok(ctx.viewer().extend()?.user_id == self.model().offered_by)
    }
    /// The offer names the viewer.
    async fn offered_to_you(&self, ctx: &Context<'_>) -> Result<bool> {
        Ok(Some(ctx.viewer().extend()?.user_id) == self.model().offered_to)
    }
    async fn state(&self) -> Option<OfferState> {
        self.model().state().map(Into::into)
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.model().created_at
    }
    /// The hearing's claim deadline as it is now (never after its start):
    /// an offer not taken by then expires.
    async fn expires_at(&self) -> DateTime<Utc> {
        let h = self.hearing.model();
        domain::expiry(h.starts_at, h.claim_deadline)
    }
    /// When it was accepted, declined, withdrawn, expired or cancelled.
    async fn decided_at(&self) -> Option<DateTime<Utc>> {
        self.model().decided_at
    }
}

/// Open offers on a hearing the viewer may see (for `Hearing.offers`).
pub async fn offers_of(
    ctx: &Context<'_>,
    hearing: &Seen<hearing::Model>,
) -> Result<Vec<ClaimOffer>> {
    let (state, viewer) = ctx.parts().extend()?;
    let offers = policy::open_on(&state.db, viewer, hearing).await.extend()?;
    Ok(offers
        .into_iter()
        .map(|offer| ClaimOffer {
            offer,
            hearing: hearing.clone(),
        })
        .collect())
}

#[derive(Default)]
pub struct HandoverQuery;

#[Object]
impl HandoverQuery {
    /// One offer the viewer may see (else `NOT_FOUND`).
    async fn claim_offer(&self, ctx: &Context<'_>, id: ID) -> Result<ClaimOffer> {
        let (state, viewer) = ctx.parts().extend()?;
        let id = ids::decode(Kind::ClaimOffer, &id).extend()?;
        policy::find(&state.db, viewer, id)
            .await
            .map(Into::into)
            .extend()
    }

    /// The viewer's open offers, made and received, on hearings they see,
    /// newest first (at most one per open claim, plus at most 20 received).
    #[graphql(complexity = "mine_cost(child_complexity)")]
    async fn my_claim_offers(&self, ctx: &Context<'_>) -> Result<Vec<ClaimOffer>> {
        let (state, viewer) = ctx.parts().extend()?;
        Ok(policy::mine(&state.db, viewer)
            .await
            .extend()?
            .into_iter()
            .map(Into::into)
            .collect())
    }
}

/// To whom a roster place is offered.
#[derive(InputObject)]
pub struct OfferClaimInput {
    /// A colleague of the viewer's country who may claim on the hearing
    /// (else `NOT_FOUND`, as for a missing user); absent: open to anyone
    /// who may claim.
    pub to_user_id: Option<ID>,
}

#[derive(Default)]
pub struct HandoverMutation;

#[Object]
impl HandoverMutation {
    /// Offers the viewer's claim (confirmed or waitlisted) on the hearing.
    /// One open offer per claim (`CONFLICT`). A named colleague is emailed.
    async fn offer_roster_claim(
        &self,
        ctx: &Context<'_>,
        hearing_id: ID,
        input: OfferClaimInput,
    ) -> Result<ClaimOffer> {
        let (state, viewer) = ctx.parts().extend()?;
        let hearing_id = ids::decode(Kind::Hearing, &hearing_id).extend()?;
        let to = match input.to_user_id {
            Some(id) => Some(ids::decode(Kind::User, &id).extend()?),
            None => None,
        };
        service::offer(state, viewer, hearing_id, to)
            .await
            .map(Into::into)
            .extend()
    }

    /// Takes an offer: the claim moves to the viewer with its place. The
    /// taker passes the checks of a new claim (sight, consent, deadline,
    /// clashes: `CONFLICT`); a decided offer is `CONFLICT`, an expired one
    /// `SLOT_UNAVAILABLE`. Of concurrent takers exactly one wins.
    async fn accept_claim_offer(&self, ctx: &Context<'_>, id: ID) -> Result<ClaimOffer> {
        let (state, viewer) = ctx.parts().extend()?;
        let id = ids::decode(Kind::ClaimOffer, &id).extend()?;
        service::accept(state, viewer, id)
            .await
            .map(Into::into)
            .extend()
    }

    /// The named colleague declines; the offerer keeps the place.
    async fn decline_claim_offer(&self, ctx: &Context<'_>, id: ID) -> Result<ClaimOffer> {
        let (state, viewer) = ctx.parts().extend()?;
        let id = ids::decode(Kind::ClaimOffer, &id).extend()?;
        service::decline(state, viewer, id)
            .await
            .map(Into::into)
            .extend()
    }

    /// The offerer withdraws an offer not yet decided.
    async fn withdraw_claim_offer(&self, ctx: &Context<'_>, id: ID) -> Result<ClaimOffer> {
        let (state, viewer) = ctx.parts().extend()?;
        let id = ids::decode(Kind::ClaimOffer, &id).extend()?;
        service::withdraw(state, viewer, id)
            .await
            .map(Into::into)
            .extend()
    }
}
