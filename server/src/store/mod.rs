//! sea-orm entities. Only `store/`, `policy/` and `service/` build queries from
//! them; GraphQL objects wrap what the policy hands out, never an entity.
//!
//! The only reads without a viewer are here, each named `internal_*` (key
//! rotation, reminders, roster reconciliation, row locks), so that `grep
//! internal_` lists every unchecked read.
use sea_orm::{ConnectionTrait, DbErr, EntityTrait, PrimaryKeyTrait, QuerySelect};
use uuid::Uuid;

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
pub mod coalition;
pub mod coalition_member;
pub mod hearing;
pub mod hearing_access;
pub mod login_throttle;
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
