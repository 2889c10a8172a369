use sea_orm::QuerySelect;
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
    /// Which lease that is: a sender sends only while the token is still
    /// the one it wrote (`jobs::outbox`).
    pub lease_token: Option<Uuid>,
    pub created_at: DateTimeUtc,
    pub sent_at: Option<DateTimeUtc>,
    /// Why the worker chose not to send it (`DROPPED` only).
    pub drop_reason: Option<String>,
    /// The fact this message tells (`Notice::topic`): a newer message to the
    /// same recipient on the same topic supersedes it.
    pub topic: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

/// Where a message stands among the messages to its recipient on its topic.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TopicStanding {
    /// No newer message is queued or sent, and no older one is being sent.
    Newest,
    /// A newer message is queued or was sent: this one must not arrive after it.
    Superseded,
    /// An older message is under a sender's lease right now (another
    /// replica): wait for it to end, so the two cannot arrive out of order.
    AfterOlderInFlight,
}

/// Decides by id, which is a UUIDv7 (time-ordered: newer is greater).
pub async fn internal_topic_standing(
    db: &impl ConnectionTrait,
    message: &Model,
    now: DateTimeUtc,
) -> Result<TopicStanding, DbErr> {
    let Some(topic) = &message.topic else {
        return Ok(TopicStanding::Newest);
    };
    let same_topic = || {
        Entity::find()
            .select_only()
            .column(Column::Id)
            .filter(Column::RecipientUserId.eq(message.recipient_user_id))
            .filter(Column::Topic.eq(topic.as_str()))
            .filter(Column::Id.ne(message.id))
    };
    let newer = same_topic()
        .filter(Column::Id.gt(message.id))
        .filter(Column::Status.is_in(["PENDING", "SENT"]))
        .into_tuple::<Uuid>()
        .one(db)
        .await?;
    if newer.is_some() {
        return Ok(TopicStanding::Superseded);
    }
    let older_in_flight = same_topic()
        .filter(Column::Id.lt(message.id))
        .filter(Column::Status.eq("PENDING"))
        .filter(Column::LockedUntil.gt(now))
        .into_tuple::<Uuid>()
        .one(db)
        .await?;
    Ok(if older_in_flight.is_some() {
        TopicStanding::AfterOlderInFlight
    } else {
        TopicStanding::Newest
    })
}
