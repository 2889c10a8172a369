//! Sealed identity: the country key (`identityKey`, set up, rotate,
//! recover, grant, revoke) and reveal requests (`identityReveals`,
//! request, decide, revoke). Thin: `service::identity` and
//! `service::reveals` hold the rules, `policy::reveals` who sees what.
use async_graphql::{Context, ID, InputObject, Object, Result, ResultExt};
use chrono::{DateTime, Utc};

use crate::error::AppError;
use crate::graphql::cases::Case;
use crate::graphql::context::ContextExt;
use crate::graphql::ids::{self, Kind};
use crate::msg;
use crate::policy::Seen;
use crate::policy::cases as case_policy;
use crate::policy::reveals::{self as policy, Side};
use crate::service::directory::user_names;
use crate::service::identity::{self as service, KeyStatus, NewKey};
use crate::service::reveals::{self as reveals, RevealState as State};
use crate::store::identity_reveal;

mirror_enum!(
    /// Where a reveal request stands. `EXPIRED`: approved, and its expiry
    /// has passed; reads through it stopped at that moment.
    RevealState, "crate::service::reveals::RevealState", "RevealState" {
    Pending, Approved, Denied, Revoked, Expired
});
mirror_enum!(
    /// How the viewer's country stands to a reveal: it owns the case (and
    /// decides), or it asked.
    RevealSide, "crate::policy::reveals::Side", "RevealSide" { Owner, Requester });

/// A member of the viewer's country who holds its identity key.
pub struct Custodian {
    id: uuid::Uuid,
    display_name: String,
}

#[Object]
impl Custodian {
    async fn id(&self) -> ID {
        ids::encode(Kind::User, self.id)
    }
    async fn display_name(&self) -> &str {
        &self.display_name
    }
}

/// The viewer's country key, as a member of that country knows it.
pub struct IdentityKeyStatus(KeyStatus);

#[Object]
impl IdentityKeyStatus {
    async fn country(&self) -> &str {
        self.0.country.as_str()
    }
    /// The country has a key that seals its identities.
    async fn ready(&self) -> bool {
        self.0.key.as_ref().is_some_and(|k| k.state == "ACTIVE")
    }
    /// The key-ring migration left a key for the first admin to claim
    /// (`setUpIdentityKey` with its `claimCode`).
    async fn claimable(&self) -> bool {
        self.0.key.as_ref().is_some_and(|k| k.state == "UNCLAIMED")
    }
    async fn created_at(&self) -> Option<DateTime<Utc>> {
        self.0.key.as_ref().map(|k| k.created_at)
    }
    /// The viewer holds a copy of the key.
    async fn custodian(&self) -> bool {
        self.0.custodian
    }
    /// This session carries the viewer's own key (signed in with their
    /// password): with `custodian`, identities open.
    async fn unlocked(&self) -> bool {
        self.0.unlocked
    }
    /// Identities still sealed under a retired key: they move to the
    /// current key as custodians open them, or with `resealIdentities`.
    async fn pending_reseal(&self) -> i64 {
        i64::try_from(self.0.pending_reseal).unwrap_or(i64::MAX)
    }
    /// Who holds the key (as the viewer's directory shows them).
    async fn custodians(&self, ctx: &Context<'_>) -> Result<Vec<Custodian>> {
        let (state, viewer) = ctx.parts().extend()?;
        let names = user_names(state, viewer, &self.0.custodians)
            .await
            .extend()?;
        Ok(names
            .into_iter()
            .map(|(id, display_name)| Custodian { id, display_name })
            .collect())
    }
}

/// A key just made. The recovery key is shown this once: write it down
/// and keep it apart from every password; with it, an admin regains the
/// key when every custodian has lost theirs.
pub struct NewIdentityKey {
    recovery_key: String,
    status: KeyStatus,
}

#[Object]
impl NewIdentityKey {
    async fn recovery_key(&self) -> &str {
        &self.recovery_key
    }
    async fn status(&self) -> IdentityKeyStatus {
        IdentityKeyStatus(self.status.clone())
    }
}

/// A partner country's request to see a case's identity, and the owner
/// country's decision. Seen by those two countries only.
pub struct IdentityReveal(pub Seen<identity_reveal::Model, Side>);

#[Object]
impl IdentityReveal {
    pub async fn id(&self) -> ID {
        ids::encode(Kind::IdentityReveal, self.0.model().id)
    }
    /// The case, as the viewer sees it.
    async fn case(&self, ctx: &Context<'_>) -> Result<Case> {
        let (state, viewer) = ctx.parts().extend()?;
        let seen = Box::pin(case_policy::find(&state.db, viewer, self.0.model().case_id))
            .await
            .extend()?;
        Ok(Case(seen))
    }
    async fn side(&self) -> RevealSide {
        self.0.level().into()
    }
    async fn owner_country(&self) -> &str {
        &self.0.model().owner_country
    }
    async fn requesting_country(&self) -> &str {
        &self.0.model().requesting_country
    }
    /// Why the partner asked.
    async fn motivation(&self) -> &str {
        &self.0.model().motivation
    }
    async fn state(&self, ctx: &Context<'_>) -> Result<RevealState> {
        // The server's clock, as the reads through a reveal use it.
        let (state, _) = ctx.parts().extend()?;
        Ok(State::of(self.0.model(), state.clock.now()).into())
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.model().created_at
    }
    async fn decided_at(&self) -> Option<DateTime<Utc>> {
        self.0.model().decided_at
    }
    /// Why the owner approved, denied or revoked: both countries read it.
    async fn decision_motivation(&self) -> Option<&str> {
        self.0.model().decision_motivation.as_deref()
    }
    /// When an approval stops opening the identity.
    async fn expires_at(&self) -> Option<DateTime<Utc>> {
        self.0.model().expires_at
    }
    async fn revoked_at(&self) -> Option<DateTime<Utc>> {
        self.0.model().revoked_at
    }
}

/// The most reveal requests one `identityReveals` answers.
const MAX_LISTED: i32 = 100;

#[derive(Default)]
pub struct IdentityQuery;

#[Object]
impl IdentityQuery {
    /// The viewer's country key: whether it exists, whether the viewer holds
    /// it, and whether this session can open identities.
    async fn identity_key(&self, ctx: &Context<'_>) -> Result<IdentityKeyStatus> {
        let (state, viewer) = ctx.parts().extend()?;
        Ok(IdentityKeyStatus(
            service::status(state, viewer).await.extend()?,
        ))
    }

    /// Reveal requests on the viewer's country's cases and by its members,
    /// newest first: at most `first` (default 50, at most 100).
    async fn identity_reveals(
        &self,
        ctx: &Context<'_>,
        states: Option<Vec<RevealState>>,
        #[graphql(default = 50)] first: i32,
    ) -> Result<Vec<IdentityReveal>> {
        let (state, viewer) = ctx.parts().extend()?;
        if !(1..=MAX_LISTED).contains(&first) {
            return Err(AppError::bad_input(
                "first",
                msg!("input-from-to", min = 1, max = MAX_LISTED),
            ))
            .extend();
        }
        let wanted = states.unwrap_or_default();
        let stored: Vec<&str> = if wanted.is_empty() {
            vec!["PENDING", "APPROVED", "DENIED", "REVOKED"]
        } else {
            let mut s: Vec<&str> = wanted
                .iter()
                .map(|w| match w {
                    RevealState::Pending => "PENDING",
                    RevealState::Approved | RevealState::Expired => "APPROVED",
                    RevealState::Denied => "DENIED",
                    RevealState::Revoked => "REVOKED",
                })
                .collect();
            s.dedup();
            s
        };
        let now = state.clock.now();
        let rows = policy::inbox(&state.db, viewer, &stored, first as u64)
            .await
            .extend()?;
        Ok(rows
            .into_iter()
            .filter(|r| wanted.is_empty() || wanted.contains(&State::of(r.model(), now).into()))
            .map(IdentityReveal)
            .collect())
    }
}

#[derive(InputObject)]
pub struct SetUpIdentityKeyInput {
    /// Must be true: losing every custodian's password and the recovery key
    /// loses every identity of the country, for good.
    pub acknowledge_loss_risk: bool,
    /// The claim code the operator handed over after `accord
    /// seal-identities`, when the country's identities wait under a
    /// migration key.
    pub claim_code: Option<String>,
}

#[derive(InputObject)]
pub struct DecideIdentityRevealInput {
    pub approve: bool,
    /// Shown to both countries.
    pub motivation: String,
    /// To approve, give exactly one of `expiresAt` (at most 90 days
    /// ahead) and `validForDays` (1 to 90).
    pub expires_at: Option<DateTime<Utc>>,
    pub valid_for_days: Option<i32>,
}

#[derive(Default)]
pub struct IdentityMutation;

async fn new_key(ctx: &Context<'_>, made: NewKey) -> Result<NewIdentityKey> {
    let (state, viewer) = ctx.parts().extend()?;
    let status = service::status(state, viewer).await.extend()?;
    Ok(NewIdentityKey {
        recovery_key: made.recovery_key.to_string(),
        status,
    })
}

enum Access {
    Grant,
    Revoke,
}

/// `grantIdentityAccess` and `revokeIdentityAccess`: the key status after.
async fn change_access(
    ctx: &Context<'_>,
    user_id: &ID,
    access: Access,
) -> Result<IdentityKeyStatus> {
    let (state, viewer) = ctx.parts().extend()?;
    let user_id = ids::decode_input(Kind::User, "userId", user_id).extend()?;
    match access {
        Access::Grant => service::grant(state, viewer, user_id).await,
        Access::Revoke => service::revoke(state, viewer, user_id).await,
    }
    .extend()?;
    status_now(ctx).await
}

async fn status_now(ctx: &Context<'_>) -> Result<IdentityKeyStatus> {
    let (state, viewer) = ctx.parts().extend()?;
    Ok(IdentityKeyStatus(
        service::status(state, viewer).await.extend()?,
    ))
}

#[Object]
impl IdentityMutation {
    /// Creates the viewer's country key (ADMIN, signed in with a password).
    /// Answers the recovery key, once.
    async fn set_up_identity_key(
        &self,
        ctx: &Context<'_>,
        input: SetUpIdentityKeyInput,
    ) -> Result<NewIdentityKey> {
        let (state, viewer) = ctx.parts().extend()?;
        let made = service::set_up(
            state,
            viewer,
            input.acknowledge_loss_risk,
            input.claim_code.as_deref(),
        )
        .await
        .extend()?;
        new_key(ctx, made).await
    }

    /// Replaces the country key (ADMIN holding it, unlocked): every
    /// custodian receives the new key, a new recovery key is answered once,
    /// and identities move to the new key.
    async fn rotate_identity_key(
        &self,
        ctx: &Context<'_>,
        acknowledge_loss_risk: bool,
    ) -> Result<NewIdentityKey> {
        let (state, viewer) = ctx.parts().extend()?;
        let made = service::rotate(state, viewer, acknowledge_loss_risk)
            .await
            .extend()?;
        new_key(ctx, made).await
    }

    /// Moves up to 500 more identities from retired keys to the current one.
    async fn reseal_identities(&self, ctx: &Context<'_>) -> Result<IdentityKeyStatus> {
        let (state, viewer) = ctx.parts().extend()?;
        service::reseal_pending(state, viewer).await.extend()?;
        status_now(ctx).await
    }

    /// An admin regains the country key with its recovery key.
    async fn recover_identity_key(
        &self,
        ctx: &Context<'_>,
        recovery_key: String,
    ) -> Result<IdentityKeyStatus> {
        let (state, viewer) = ctx.parts().extend()?;
        service::recover(state, viewer, &recovery_key)
            .await
            .extend()?;
        status_now(ctx).await
    }

    /// Gives a member of the viewer's country a copy of its key (ADMIN
    /// holding it, unlocked).
    async fn grant_identity_access(
        &self,
        ctx: &Context<'_>,
        user_id: ID,
    ) -> Result<IdentityKeyStatus> {
        change_access(ctx, &user_id, Access::Grant).await
    }

    /// Deletes a member's copies of the country key (ADMIN). The last
    /// custodian keeps theirs.
    async fn revoke_identity_access(
        &self,
        ctx: &Context<'_>,
        user_id: ID,
    ) -> Result<IdentityKeyStatus> {
        change_access(ctx, &user_id, Access::Revoke).await
    }

    /// Asks the owner country for a case's identity (a case the viewer's
    /// country sees at DETAIL).
    async fn request_identity_reveal(
        &self,
        ctx: &Context<'_>,
        case_id: ID,
        motivation: String,
    ) -> Result<IdentityReveal> {
        let (state, viewer) = ctx.parts().extend()?;
        let case_id = ids::decode(Kind::Case, &case_id).extend()?;
        Ok(IdentityReveal(
            reveals::request(state, viewer, case_id, &motivation)
                .await
                .extend()?,
        ))
    }

    /// Approves (until `expiresAt`) or denies a request on one of the
    /// viewer's country's cases (a custodian, unlocked).
    async fn decide_identity_reveal(
        &self,
        ctx: &Context<'_>,
        id: ID,
        input: DecideIdentityRevealInput,
    ) -> Result<IdentityReveal> {
        let (state, viewer) = ctx.parts().extend()?;
        let id = ids::decode(Kind::IdentityReveal, &id).extend()?;
        let decision = reveals::Decision {
            approve: input.approve,
            motivation: input.motivation,
            expires_at: input.expires_at,
            valid_for_days: input.valid_for_days.map(i64::from),
        };
        Ok(IdentityReveal(
            reveals::decide(state, viewer, id, decision)
                .await
                .extend()?,
        ))
    }

    /// Ends a running approval at once (the owner's custodians, or the
    /// requesting country's admin giving it up).
    async fn revoke_identity_reveal(
        &self,
        ctx: &Context<'_>,
        id: ID,
        motivation: String,
    ) -> Result<IdentityReveal> {
        let (state, viewer) = ctx.parts().extend()?;
        let id = ids::decode(Kind::IdentityReveal, &id).extend()?;
        Ok(IdentityReveal(
            reveals::revoke(state, viewer, id, &motivation)
                .await
                .extend()?,
        ))
    }
}
