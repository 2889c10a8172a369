//! The append-only, hash-chained audit trail.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum AuditEvents {
    Table,
    Seq,
    OccurredAt,
    ActorUserId,
    ActorCountry,
    Action,
    ObjectType,
    ObjectId,
    ObjectCountry,
    Detail,
    PrevHash,
    Hash,
}

/// One row holding the chain's head. Appending updates it first, so concurrent
/// writers queue on its row lock (PostgreSQL) or the write lock (SQLite) and the
/// chain can never fork.
#[derive(DeriveIden)]
enum AuditHead {
    Table,
    Id,
    Seq,
    Hash,
}

/// The hash that the first event points back to.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(AuditEvents::Table)
                    .col(big_integer(AuditEvents::Seq).primary_key())
                    .col(timestamp_with_time_zone(AuditEvents::OccurredAt))
                    .col(uuid_null(AuditEvents::ActorUserId))
                    .col(string_len_null(AuditEvents::ActorCountry, 2))
                    .col(string_len(AuditEvents::Action, 64))
                    .col(string_len(AuditEvents::ObjectType, 32))
                    .col(string_len_null(AuditEvents::ObjectId, 64))
                    .col(string_len_null(AuditEvents::ObjectCountry, 2))
                    .col(text_null(AuditEvents::Detail))
                    .col(string_len_uniq(AuditEvents::PrevHash, 64))
                    .col(string_len_uniq(AuditEvents::Hash, 64))
                    .check(Expr::cust("seq > 0"))
                    .take(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_audit_events_object_country")
                    .table(AuditEvents::Table)
                    .col(AuditEvents::ObjectCountry)
                    .col(AuditEvents::Seq)
                    .take(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_audit_events_actor_country")
                    .table(AuditEvents::Table)
                    .col(AuditEvents::ActorCountry)
                    .col(AuditEvents::Seq)
                    .take(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(AuditHead::Table)
                    .col(integer(AuditHead::Id).primary_key())
                    .col(big_integer(AuditHead::Seq))
                    .col(string_len(AuditHead::Hash, 64))
                    .check(Expr::cust("id = 1"))
                    .take(),
            )
            .await?;
        manager
            .exec_stmt(
                Query::insert()
                    .into_table(AuditHead::Table)
                    .columns([AuditHead::Id, AuditHead::Seq, AuditHead::Hash])
                    .values_panic([1.into(), 0i64.into(), GENESIS_HASH.into()])
                    .take(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(AuditHead::Table).take())
            .await?;
        manager
            .drop_table(Table::drop().table(AuditEvents::Table).take())
            .await
    }
}
