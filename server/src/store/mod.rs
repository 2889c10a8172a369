//! sea-orm entities, the viewer-less reads (`internal_*`) and the only row
//! writes. Only `store/`, `policy/` and `service/` build queries from them;
//! GraphQL objects wrap what the policy hands out, never an entity. Every
//! insert, update and delete of a guarded table (`policy::gate`) is a named
//! function here: a use case decides, then calls one.
use sea_orm::{
    ActiveModelBehavior, ActiveModelTrait, ActiveValue, ConnectionTrait, DbErr, EntityTrait,
    IntoActiveModel, Iterable, ModelTrait, PrimaryKeyTrait, QuerySelect,
};
use uuid::Uuid;

/// Inserts a whole row (every column given) and returns it as written.
async fn insert_row<M, A>(db: &impl ConnectionTrait, row: M) -> Result<M, DbErr>
where
    M: ModelTrait + IntoActiveModel<A>,
    A: ActiveModelTrait<Entity = M::Entity> + ActiveModelBehavior + Send,
    <M::Entity as EntityTrait>::Model: IntoActiveModel<A> + Into<M>,
{
    Ok(row.into_active_model().insert(db).await?.into())
}

/// Writes the columns in which `after` differs from `before` (the row as
/// read under the caller's lock) and returns the row as written.
async fn update_row<M, A>(db: &impl ConnectionTrait, before: &M, after: M) -> Result<M, DbErr>
where
    M: ModelTrait + IntoActiveModel<A>,
    A: ActiveModelTrait<Entity = M::Entity> + ActiveModelBehavior + Send,
    <M::Entity as EntityTrait>::Model: IntoActiveModel<A> + Into<M>,
{
    let mut row = after.into_active_model();
    for column in <M::Entity as EntityTrait>::Column::iter() {
        if matches!(row.get(column), ActiveValue::Unchanged(v) if v != before.get(column)) {
            row.reset(column);
        }
    }
    Ok(row.update(db).await?.into())
}

pub mod access_count;
pub mod access_index_state;
pub mod attack_report;
pub mod attack_report_perpetrator;
pub mod attack_report_prior;
pub mod attack_report_response;
pub mod attack_report_type;
pub mod audit_event;
pub mod audit_head;
pub mod calendar_token;
pub mod case;
pub mod case_access;
pub mod case_category;
pub mod case_share;
pub mod claim_offer;
pub mod coalition;
pub mod coalition_member;
pub mod country_key;
pub mod country_key_wrap;
pub mod hearing;
pub mod hearing_access;
pub mod identity_reveal;
pub mod login_throttle;
pub mod member_key;
pub mod mission;
pub mod observation;
pub mod observation_revision;
pub mod organization;
pub mod outbox;
pub mod refresh_token;
pub mod report_access;
pub mod roster_claim;
pub mod session;
pub mod statement;
pub mod statement_case;
pub mod statement_participant;
pub mod statement_version;
pub mod user;

/// Locks one row of `E` by id for the rest of the transaction (`SELECT …
/// FOR UPDATE`; SQLite serialises writes anyway). No visibility is decided
/// here: the policy's `area::lock` asks before and after, in the same transaction.
pub async fn internal_lock<E>(db: &impl ConnectionTrait, id: Uuid) -> Result<(), DbErr>
where
    E: EntityTrait,
    <E::PrimaryKey as PrimaryKeyTrait>::ValueType: From<Uuid>,
{
    E::find_by_id(id).lock_exclusive().one(db).await?;
    Ok(())
}
