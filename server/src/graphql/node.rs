//! `node(id:)`: every kind is looked up through its policy scope, so an object
//! the viewer may not see is `NOT_FOUND` exactly like one that does not exist.
use async_graphql::{Context, ID, Interface, Object, Result, ResultExt};
use sea_orm::{ColumnTrait, ConnectionTrait, QueryFilter};
use uuid::Uuid;

use crate::auth::Viewer;

use crate::error::{AppError, AppResult};
use crate::graphql::cases::Case;
use crate::graphql::context::ContextExt;
use crate::graphql::hearings::Hearing;
use crate::graphql::identity::IdentityReveal;
use crate::graphql::ids::{self, Kind};
use crate::graphql::objects::{Coalition, Mission, Organization, User};
use crate::graphql::reports::AttackReport;
use crate::graphql::statements::Statement;
use crate::policy::cases::Cases;
use crate::policy::directory as policy;
use crate::policy::hearings::Hearings;
use crate::policy::reports::Reports;
use crate::policy::statements::Statements;
use crate::policy::{Area, SeenIn, area};
use crate::store::{coalition, mission, organization, user};

#[derive(Interface)]
#[graphql(field(name = "id", ty = "ID"))]
pub enum Node {
    User(User),
    Mission(Mission),
    Organization(Organization),
    Coalition(Coalition),
    Case(Box<Case>),
    Hearing(Box<Hearing>),
    AttackReport(Box<AttackReport>),
    Statement(Box<Statement>),
    IdentityReveal(Box<IdentityReveal>),
}

#[derive(Default)]
pub struct NodeQuery;

#[Object]
impl NodeQuery {
    /// Any object by its global id.
    async fn node(&self, ctx: &Context<'_>, id: ID) -> Result<Node> {
        find(ctx, &id).await.extend()
    }
}

async fn find(ctx: &Context<'_>, id: &ID) -> AppResult<Node> {
    let (state, viewer) = ctx.parts()?;
    let (kind, uuid) = ids::decode_any(id).ok_or(AppError::NotFound)?;
    let db = &state.db;
    let node = match kind {
        Kind::User => policy::users(viewer)
            .filter(user::Column::Id.eq(uuid))
            .one(db)
            .await?
            .map(|m| Node::User(User(m))),
        Kind::Mission => match policy::missions(viewer) {
            Ok(scope) => scope
                .filter(mission::Column::Id.eq(uuid))
                .one(db)
                .await?
                .map(|m| Node::Mission(Mission(m))),
            Err(_) => None,
        },
        Kind::Organization => policy::organizations(viewer)
            .filter(organization::Column::Id.eq(uuid))
            .one(db)
            .await?
            .map(|m| Node::Organization(Organization(m))),
        Kind::Coalition => policy::coalitions(viewer)
            .filter(coalition::Column::Id.eq(uuid))
            .one(db)
            .await?
            .map(|m| Node::Coalition(Coalition(m))),
        Kind::Case => seen::<Cases>(db, viewer, uuid, |s| Node::Case(Box::new(Case(s)))).await?,
        Kind::Hearing => {
            seen::<Hearings>(db, viewer, uuid, |s| {
                Node::Hearing(Box::new(Hearing::new(s)))
            })
            .await?
        }
        Kind::AttackReport => {
            seen::<Reports>(db, viewer, uuid, |s| {
                Node::AttackReport(Box::new(AttackReport(s)))
            })
            .await?
        }
        Kind::Statement => {
            seen::<Statements>(db, viewer, uuid, |s| {
                Node::Statement(Box::new(Statement::new(s)))
            })
            .await?
        }
        Kind::IdentityReveal => match crate::policy::reveals::find(db, viewer, uuid).await {
            Ok(s) => Some(Node::IdentityReveal(Box::new(IdentityReveal(s)))),
            Err(AppError::NotFound) => None,
            Err(e) => return Err(e),
        },
        Kind::RosterClaim
        | Kind::Observation
        | Kind::Session
        | Kind::ClaimOffer
        | Kind::SecurityKey => None,
    };
    node.ok_or(AppError::NotFound)
}

/// A row of area `A` as a node, or none where `find` says `NOT_FOUND`.
async fn seen<A: Area>(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    id: Uuid,
    wrap: impl FnOnce(SeenIn<A>) -> Node,
) -> AppResult<Option<Node>> {
    match area::find::<A>(db, viewer, id).await {
        Ok(row) => Ok(Some(wrap(row))),
        Err(AppError::NotFound) => Ok(None),
        Err(e) => Err(e),
    }
}
