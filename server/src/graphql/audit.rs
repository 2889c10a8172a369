//! `auditEvents`: a country admin's view of the hash-chained trail, newest first.
use async_graphql::{Context, ID, InputObject, Object, Result, ResultExt, SimpleObject};
use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, QueryFilter};

use crate::graphql::connection::{Order, Page, Positioned, Total, page};
use crate::graphql::context::ContextExt;
use crate::graphql::ids::{self, Kind};
use crate::policy::audit as policy;
use crate::store::audit_event;

#[derive(SimpleObject)]
pub struct AuditEvent {
    /// Position in the chain.
    pub seq: i64,
    pub occurred_at: DateTime<Utc>,
    pub actor: Option<ID>,
    pub actor_country: Option<String>,
    pub action: String,
    pub object_type: String,
    pub object_id: Option<String>,
    pub object_country: Option<String>,
    /// Ids and enum values only, never names or free text.
    pub detail: Option<String>,
    pub hash: String,
    pub prev_hash: String,
}

#[derive(InputObject, Default)]
pub struct AuditFilter {
    pub action: Option<String>,
    pub since: Option<DateTime<Utc>>,
}

#[derive(Default)]
pub struct AuditQuery;

#[Object]
impl AuditQuery {
    /// ADMIN only: events on the admin's country's objects and by its users.
    #[graphql(complexity = "crate::graphql::connection::page_cost(first, child_complexity)")]
    async fn audit_events(
        &self,
        ctx: &Context<'_>,
        filter: Option<AuditFilter>,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<Page<AuditEvent>> {
        let (state, viewer) = ctx.parts().extend()?;
        let mut scope = policy::visible(viewer).extend()?;
        let filter = filter.unwrap_or_default();
        if let Some(a) = filter.action {
            scope = scope.filter(audit_event::Column::Action.eq(a.trim().to_uppercase()));
        }
        if let Some(since) = filter.since {
            scope = scope.filter(audit_event::Column::OccurredAt.gte(since));
        }
        let db = &state.db;
        let (rows, shape) = page(
            db,
            scope,
            Total::OfScope,
            Order::SeqDesc(audit_event::Column::Seq),
            first,
            after,
            async |q, _| Ok(q.all(db).await?.into()),
        )
        .await
        .extend()?;
        let page = crate::graphql::connection::into_page(
            shape,
            rows.into_iter().map(|e| {
                (
                    e.position(),
                    AuditEvent {
                        seq: e.seq,
                        occurred_at: e.occurred_at,
                        actor: e.actor_user_id.map(|u| ids::encode(Kind::User, u)),
                        actor_country: e.actor_country,
                        action: e.action,
                        object_type: e.object_type,
                        object_id: e.object_id,
                        object_country: e.object_country,
                        detail: e.detail,
                        hash: e.hash,
                        prev_hash: e.prev_hash,
                    },
                )
            }),
        );
        Ok(page)
    }
}
