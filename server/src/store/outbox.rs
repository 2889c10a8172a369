use sea_orm::entity::prelude::*;

/// An email waiting to be sent, written in the transaction of the change that
/// causes it. `payload` holds ids only (JSON); the text is rendered at send
/// time from data that carries no defender information.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "outbox")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub kind: String,
    pub recipient_user_id: Uuid,
    /// Makes enqueueing idempotent (e.g. one 48 h reminder per claim and start time).
    pub dedup_key: String,
    pub payload: String,
    pub status: String,
    pub attempts: i32,
    pub next_attempt_at: DateTimeUtc,
    /// A sender's lease, so that two replicas never send the same message.
    pub locked_until: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub sent_at: Option<DateTimeUtc>,
    /// Why the worker chose not to send it (`DROPPED` only).
    pub drop_reason: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
