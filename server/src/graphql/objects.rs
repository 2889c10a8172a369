//! GraphQL objects. Each wraps a model that came out of a policy scope; nested
//! fields start from a policy scope again, and resolve to null when the viewer
//! may not follow the link.
use async_graphql::{ComplexObject, Context, Enum, ID, Object, Result, ResultExt, SimpleObject};
use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, QueryFilter};

use crate::auth::Viewer as AuthViewer;
use crate::domain::{CountryCode, Role as DomainRole};
use crate::error::AppResult;
use crate::graphql::connection::{Order, Page, paginate};
use crate::graphql::context::ContextExt;
use crate::graphql::ids::{self, Kind};
use crate::graphql::loaders::{self, MemberLoader};
use crate::policy::directory as policy;
use crate::state::AppState;
use crate::store::{coalition, mission, organization, user};

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(remote = "crate::domain::Role", name = "Role")]
pub enum Role {
    Diplomat,
    Coordinator,
    Liaison,
    Admin,
    Operator,
}

/// A country by its code (ISO 3166-1 alpha-2, or EU).
#[derive(SimpleObject)]
pub struct Country {
    pub code: String,
    pub name: String,
}

impl From<CountryCode> for Country {
    fn from(c: CountryCode) -> Self {
        Country {
            code: c.to_string(),
            name: c.name().to_owned(),
        }
    }
}

pub struct User(pub user::Model);

#[Object]
impl User {
    pub async fn id(&self) -> ID {
        ids::encode(Kind::User, self.0.id)
    }
    async fn email(&self) -> &str {
        &self.0.email
    }
    async fn display_name(&self) -> &str {
        &self.0.display_name
    }
    async fn role(&self) -> Option<Role> {
        self.0.role.parse::<DomainRole>().ok().map(Into::into)
    }
    /// Deactivated users cannot sign in; their sessions have ended.
    async fn active(&self) -> bool {
        self.0.active
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    /// Whether the user is an assessor of the viewer's country (writes its
    /// trials' fairness assessments); null for viewers without a country.
    async fn is_assessor(&self, ctx: &Context<'_>) -> Result<Option<bool>> {
        let (state, viewer) = ctx.parts().extend()?;
        if viewer.country.is_none() {
            return Ok(None);
        }
        let found = Box::pin(crate::service::assessments::assessors_among(
            state,
            viewer,
            &[self.0.id],
        ))
        .await
        .extend()?;
        Ok(Some(found.contains(&self.0.id)))
    }
    /// The user's mission, if the viewer may see missions.
    async fn mission(&self, ctx: &Context<'_>) -> Result<Option<Mission>> {
        let Some(id) = self.0.mission_id else {
            return Ok(None);
        };
        let (state, viewer) = ctx.parts().extend()?;
        Box::pin(visible_mission(state, viewer, id)).await.extend()
    }
    /// The liaison's organization, if the viewer may see it.
    async fn organization(&self, ctx: &Context<'_>) -> Result<Option<Organization>> {
        let Some(id) = self.0.organization_id else {
            return Ok(None);
        };
        let (state, viewer) = ctx.parts().extend()?;
        Box::pin(visible_organization(state, viewer, id))
            .await
            .extend()
    }
}

pub async fn visible_mission(
    state: &AppState,
    viewer: &AuthViewer,
    id: uuid::Uuid,
) -> AppResult<Option<Mission>> {
    let Ok(scope) = policy::missions(viewer) else {
        return Ok(None);
    };
    Ok(scope
        .filter(mission::Column::Id.eq(id))
        .one(&state.db)
        .await?
        .map(Mission))
}

pub async fn visible_organization(
    state: &AppState,
    viewer: &AuthViewer,
    id: uuid::Uuid,
) -> AppResult<Option<Organization>> {
    Ok(policy::organizations(viewer)
        .filter(organization::Column::Id.eq(id))
        .one(&state.db)
        .await?
        .map(Organization))
}

pub struct Mission(pub mission::Model);

#[Object]
impl Mission {
    pub async fn id(&self) -> ID {
        ids::encode(Kind::Mission, self.0.id)
    }
    /// The sending country (ISO code or EU).
    async fn country(&self) -> &str {
        &self.0.country
    }
    async fn host_country(&self) -> &str {
        &self.0.host_country
    }
    async fn city(&self) -> &str {
        &self.0.city
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// IANA time zone of the mission.
    async fn timezone(&self) -> &str {
        &self.0.timezone
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    /// The mission's single sign-on (its admin only: FORBIDDEN for anyone
    /// else); null when none is registered.
    async fn single_sign_on(
        &self,
        ctx: &Context<'_>,
    ) -> Result<Option<crate::graphql::sso::SingleSignOn>> {
        let (state, viewer) = ctx.parts().extend()?;
        let row = crate::service::sso::registration(state, viewer, self.0.id)
            .await
            .extend()?;
        Ok(row.map(|r| crate::graphql::sso::SingleSignOn::of(&state.config, &r)))
    }
    /// The mission's users that the viewer may see (their own country's, or
    /// all for the operator).
    #[graphql(complexity = "crate::graphql::connection::page_cost(first, child_complexity)")]
    async fn users(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<Page<User>> {
        let (state, viewer) = ctx.parts().extend()?;
        let scope = policy::users(viewer).filter(user::Column::MissionId.eq(self.0.id));
        paginate(
            &state.db,
            scope,
            Order::Id(user::Column::Id),
            first,
            after,
            User,
        )
        .await
        .extend()
    }
}

pub struct Organization(pub organization::Model);

#[Object]
impl Organization {
    pub async fn id(&self) -> ID {
        ids::encode(Kind::Organization, self.0.id)
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    async fn host_country(&self) -> &str {
        &self.0.host_country
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
}

pub struct Coalition(pub coalition::Model);

#[Object]
impl Coalition {
    pub async fn id(&self) -> ID {
        ids::encode(Kind::Coalition, self.0.id)
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    async fn host_country(&self) -> &str {
        &self.0.host_country
    }
    /// The country whose admins manage the members.
    async fn convener(&self) -> &str {
        &self.0.convener_country
    }
    /// Member country codes as of now.
    async fn members(&self, ctx: &Context<'_>) -> Result<Vec<String>> {
        let members = loaders::one::<MemberLoader, _>(ctx, self.0.id)
            .await
            .extend()?;
        Ok(members.unwrap_or_default())
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
}

/// Who is signed in, as `me` and the login payload show it.
pub struct Viewer {
    pub user: user::Model,
    /// Nested fields are resolved as this viewer (the login payload has no
    /// viewer in the request yet).
    pub who: AuthViewer,
}

#[Object(name = "Viewer")]
impl Viewer {
    async fn user(&self) -> User {
        User(self.user.clone())
    }
    async fn mission(&self, ctx: &Context<'_>) -> Result<Option<Mission>> {
        let Some(id) = self.user.mission_id else {
            return Ok(None);
        };
        visible_mission(ctx.state().extend()?, &self.who, id)
            .await
            .extend()
    }
    /// The viewer's country code; null for liaisons and the operator.
    async fn country(&self) -> Option<String> {
        self.who.country.map(|c| c.to_string())
    }
    /// The viewer's open sessions, newest first (at most 50): where, since
    /// when and how they signed in.
    async fn sessions(&self, ctx: &Context<'_>) -> Result<Vec<super::sessions::Session>> {
        let state = ctx.state().extend()?;
        let rows = crate::service::account::open_sessions(state, &self.who)
            .await
            .extend()?;
        Ok(rows
            .iter()
            .map(|s| super::sessions::Session::of(s, &self.who))
            .collect())
    }
    /// This person's second factors (two-step sign-in).
    async fn second_factor(
        &self,
        ctx: &Context<'_>,
    ) -> Result<super::second_factor::SecondFactorStatus> {
        let state = ctx.state().extend()?;
        Ok(crate::service::second_factor::status(state, &self.who)
            .await
            .extend()?
            .into())
    }
    /// The language and time zone this person reads Accord in.
    async fn preferences(&self) -> super::preferences::Preferences {
        super::preferences::Preferences::of(&self.user, self.who.reading.zone)
    }
    /// The viewer's security keys (a second factor at sign-in), oldest
    /// first. Registered on the web client's account page.
    async fn security_keys(
        &self,
        ctx: &Context<'_>,
    ) -> Result<Vec<super::security_keys::SecurityKey>> {
        let state = ctx.state().extend()?;
        Ok(crate::service::security_keys::list(state, &self.who)
            .await
            .extend()?
            .into_iter()
            .map(Into::into)
            .collect())
    }
    /// Coordinators: the day of their weekly coverage digest (`MONDAY`
    /// until they choose), or `OFF`; null for everyone else.
    async fn coverage_digest(
        &self,
        ctx: &Context<'_>,
    ) -> Result<Option<super::digest::CoverageDigestDay>> {
        if self.who.role != crate::domain::Role::Coordinator {
            return Ok(None);
        }
        let state = ctx.state().extend()?;
        Ok(Some(
            crate::service::digest::day_of(state, &self.who)
                .await
                .extend()?
                .into(),
        ))
    }
    async fn organization(&self, ctx: &Context<'_>) -> Result<Option<Organization>> {
        let Some(id) = self.user.organization_id else {
            return Ok(None);
        };
        visible_organization(ctx.state().extend()?, &self.who, id)
            .await
            .extend()
    }
}

#[derive(SimpleObject)]
#[graphql(complex)]
pub struct AuthPayload {
    /// Short-lived bearer token for `Authorization: Bearer …`.
    pub access_token: String,
    /// Single-use token for `refreshToken`; each use returns a new one.
    pub refresh_token: String,
    /// When the access token expires.
    pub expires_at: DateTime<Utc>,
    #[graphql(skip)]
    pub viewer: Viewer,
}

#[ComplexObject]
impl AuthPayload {
    async fn viewer(&self) -> Viewer {
        Viewer {
            user: self.viewer.user.clone(),
            who: self.viewer.who.clone(),
        }
    }
}
