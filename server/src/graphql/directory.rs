//! Countries, missions, users, organizations and coalitions.
use async_graphql::{Context, ID, InputObject, Object, Result, ResultExt};
use sea_orm::{ColumnTrait, QueryFilter, QueryOrder};

use crate::domain::CountryCode;
use crate::error::{AppError, AppResult};
use crate::graphql::connection::{Order, Page, paginate};
use crate::graphql::context::ContextExt;
use crate::graphql::ids::{self, Kind};
use crate::graphql::loaders;
use crate::graphql::objects::{Coalition, Country, Mission, Organization, Role, User};
use crate::policy::directory as policy;
use crate::service::directory as service;
use crate::store::{coalition, mission, organization};

#[derive(Default)]
pub struct DirectoryQuery;

#[Object]
impl DirectoryQuery {
    /// Countries that have at least one mission on the platform, by code.
    #[graphql(complexity = "crate::graphql::connection::list_cost(child_complexity)")]
    async fn countries(&self, ctx: &Context<'_>) -> Result<Vec<Country>> {
        let (state, _viewer) = ctx.parts().extend()?;
        let rows = service::participating_countries(state).await.extend()?;
        Ok(rows
            .iter()
            .map(|c| Country::from(CountryCode::from_stored(c)))
            .collect())
    }

    /// The missions on the platform (not for liaisons).
    #[graphql(complexity = "crate::graphql::connection::page_cost(first, child_complexity)")]
    async fn missions(
        &self,
        ctx: &Context<'_>,
        country: Option<String>,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<Page<Mission>> {
        let (state, viewer) = ctx.parts().extend()?;
        let mut scope = policy::missions(viewer).extend()?;
        if let Some(country) = country {
            let country = CountryCode::parse("country", &country)
                .map_err(AppError::from)
                .extend()?;
            scope = scope.filter(mission::Column::Country.eq(country.as_str()));
        }
        paginate(
            &state.db,
            scope,
            Order::Id(mission::Column::Id),
            first,
            after,
            Mission,
        )
        .await
        .extend()
    }

    /// Coalitions the viewer's country convenes or belongs to.
    #[graphql(complexity = "crate::graphql::connection::page_cost(first, child_complexity)")]
    async fn coalitions(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<Page<Coalition>> {
        let (state, viewer) = ctx.parts().extend()?;
        let scope = policy::coalitions(viewer);
        let page = paginate(
            &state.db,
            scope,
            Order::Id(coalition::Column::Id),
            first,
            after,
            Coalition,
        )
        .await
        .extend()?;
        // The page's members in one query, whatever the scheduling: the
        // nodes' own loads then find them cached.
        let node = ctx.look_ahead().field("edges").field("node");
        if node.field("members").exists() {
            let ids: Vec<_> = page.edges.iter().map(|e| e.node.0.id).collect();
            loaders::many::<loaders::MemberLoader, _>(ctx, ids)
                .await
                .extend()?;
        }
        Ok(page)
    }

    /// Civil-society organizations (a liaison sees only their own).
    #[graphql(complexity = "crate::graphql::connection::page_cost(first, child_complexity)")]
    async fn organizations(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<Page<Organization>> {
        let (state, viewer) = ctx.parts().extend()?;
        let scope = policy::organizations(viewer).order_by_asc(organization::Column::Id);
        paginate(
            &state.db,
            scope,
            Order::Id(organization::Column::Id),
            first,
            after,
            Organization,
        )
        .await
        .extend()
    }
}

#[derive(InputObject)]
pub struct CreateMissionInput {
    /// Sending country: ISO 3166-1 alpha-2 code or EU.
    pub country: String,
    pub host_country: String,
    pub city: String,
    pub name: String,
    /// IANA time zone, e.g. `Asia/Manila`.
    pub timezone: String,
}

#[derive(InputObject)]
pub struct CreateUserInput {
    pub email: String,
    pub display_name: String,
    /// At least 12 characters.
    pub password: String,
    pub role: Role,
    /// Required for diplomats, coordinators and admins.
    pub mission_id: Option<ID>,
    /// Required for liaisons.
    pub organization_id: Option<ID>,
}

#[derive(InputObject)]
pub struct CreateOrganizationInput {
    pub name: String,
    pub host_country: String,
}

#[derive(InputObject)]
pub struct CreateCoalitionInput {
    pub name: String,
    pub host_country: String,
    /// Member country codes; the convening (your) country is always a member.
    pub members: Vec<String>,
}

impl From<CreateMissionInput> for service::NewMission {
    fn from(input: CreateMissionInput) -> Self {
        service::NewMission {
            country: input.country,
            host_country: input.host_country,
            city: input.city,
            name: input.name,
            timezone: input.timezone,
        }
    }
}

impl TryFrom<CreateUserInput> for service::NewUser {
    type Error = AppError;

    /// Fails on a malformed mission or organization id.
    fn try_from(input: CreateUserInput) -> AppResult<Self> {
        Ok(service::NewUser {
            email: input.email,
            display_name: input.display_name,
            password: input.password,
            role: input.role.into(),
            mission_id: input
                .mission_id
                .map(|id| ids::decode_input(Kind::Mission, "missionId", &id))
                .transpose()?,
            organization_id: input
                .organization_id
                .map(|id| ids::decode_input(Kind::Organization, "organizationId", &id))
                .transpose()?,
        })
    }
}

#[derive(Default)]
pub struct DirectoryMutation;

#[Object]
impl DirectoryMutation {
    /// Operator: any country. Admin: their own country.
    async fn create_mission(
        &self,
        ctx: &Context<'_>,
        input: CreateMissionInput,
    ) -> Result<Mission> {
        let (state, viewer) = ctx.parts().extend()?;
        let input = service::NewMission::from(input);
        service::create_mission(state, viewer, input)
            .await
            .map(Mission)
            .extend()
    }

    /// Operator: admins and liaisons. Admin: users of their own country's
    /// missions, and liaisons.
    async fn create_user(&self, ctx: &Context<'_>, input: CreateUserInput) -> Result<User> {
        let (state, viewer) = ctx.parts().extend()?;
        let input = service::NewUser::try_from(input).extend()?;
        service::create_user(state, viewer, input)
            .await
            .map(User)
            .extend()
    }

    /// Ends the user's sessions and refuses their logins from now on.
    async fn deactivate_user(&self, ctx: &Context<'_>, user_id: ID) -> Result<User> {
        let (state, viewer) = ctx.parts().extend()?;
        let id = ids::decode(Kind::User, &user_id).extend()?;
        service::set_user_active(state, viewer, id, false)
            .await
            .map(User)
            .extend()
    }

    async fn reactivate_user(&self, ctx: &Context<'_>, user_id: ID) -> Result<User> {
        let (state, viewer) = ctx.parts().extend()?;
        let id = ids::decode(Kind::User, &user_id).extend()?;
        service::set_user_active(state, viewer, id, true)
            .await
            .map(User)
            .extend()
    }

    /// Operator or admin.
    async fn create_organization(
        &self,
        ctx: &Context<'_>,
        input: CreateOrganizationInput,
    ) -> Result<Organization> {
        let (state, viewer) = ctx.parts().extend()?;
        service::create_organization(state, viewer, &input.name, &input.host_country)
            .await
            .map(Organization)
            .extend()
    }

    /// Admin; their country convenes the coalition.
    async fn create_coalition(
        &self,
        ctx: &Context<'_>,
        input: CreateCoalitionInput,
    ) -> Result<Coalition> {
        let (state, viewer) = ctx.parts().extend()?;
        service::create_coalition(
            state,
            viewer,
            &input.name,
            &input.host_country,
            &input.members,
        )
        .await
        .map(Coalition)
        .extend()
    }

    /// Convening country's admin.
    async fn add_coalition_member(
        &self,
        ctx: &Context<'_>,
        coalition_id: ID,
        country: String,
    ) -> Result<Coalition> {
        let (state, viewer) = ctx.parts().extend()?;
        let id = ids::decode(Kind::Coalition, &coalition_id).extend()?;
        service::change_coalition_member(state, viewer, id, &country, true)
            .await
            .map(Coalition)
            .extend()
    }

    /// Convening country's admin. Takes effect on the very next request.
    async fn remove_coalition_member(
        &self,
        ctx: &Context<'_>,
        coalition_id: ID,
        country: String,
    ) -> Result<Coalition> {
        let (state, viewer) = ctx.parts().extend()?;
        let id = ids::decode(Kind::Coalition, &coalition_id).extend()?;
        service::change_coalition_member(state, viewer, id, &country, false)
            .await
            .map(Coalition)
            .extend()
    }
}
