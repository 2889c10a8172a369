//! Email that is still true when it arrives. Notices on one topic tell one
//! fact about one recipient (a claim's standing: promoted or demoted; a
//! hearing's schedule: rescheduled, postponed or cancelled), so a newer one
//! supersedes the older: `topic` names that fact, and the worker drops an
//! older message (`SUPERSEDED`) rather than send it after a newer one.
//!
//! The CHECK on `drop_reason` widens, which SQLite cannot alter: the table is
//! rebuilt as in m20261126_000006. Pending messages get their topic from
//! their payload, so an upgrade during an SMTP outage is covered too.
use sea_orm_migration::{prelude::*, schema::*};

use crate::shared::{fk, index, swap};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Outbox {
    Id,
    Kind,
    RecipientUserId,
    DedupKey,
    Payload,
    Status,
    Attempts,
    NextAttemptAt,
    LockedUntil,
    CreatedAt,
    SentAt,
    DropReason,
    /// `claim:<uuid>` or `schedule:<hearing uuid>`; NULL for notices that
    /// each tell news of their own.
    Topic,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

const OUTBOX_NEXT: &str = "outbox_next";

fn outbox_table(name: &str) -> TableCreateStatement {
    let t = Alias::new(name);
    Table::create()
        .table(t.clone())
        .col(pk_uuid(Outbox::Id))
        .col(string_len(Outbox::Kind, 32))
        .col(uuid(Outbox::RecipientUserId))
        .col(string_len_uniq(Outbox::DedupKey, 200))
        .col(text(Outbox::Payload))
        .col(string_len(Outbox::Status, 16))
        .col(integer(Outbox::Attempts))
        .col(timestamp_with_time_zone(Outbox::NextAttemptAt))
        .col(timestamp_with_time_zone_null(Outbox::LockedUntil))
        .col(timestamp_with_time_zone(Outbox::CreatedAt))
        .col(timestamp_with_time_zone_null(Outbox::SentAt))
        .col(string_len_null(Outbox::DropReason, 32))
        .col(string_len_null(Outbox::Topic, 64))
        .foreign_key(&mut fk(
            "fk_outbox_recipient",
            (t, Outbox::RecipientUserId),
            (Users::Table, Users::Id),
            Some(ForeignKeyAction::Cascade),
        ))
        .check(Expr::cust(
            "status IN ('PENDING', 'SENT', 'DEAD', 'DROPPED')",
        ))
        .check(Expr::cust("attempts >= 0"))
        .check(Expr::cust("(status = 'SENT') = (sent_at IS NOT NULL)"))
        .check(Expr::cust("(status = 'DROPPED') = (drop_reason IS NOT NULL)"))
        .check(Expr::cust(
            "drop_reason IS NULL OR drop_reason IN ('UNREADABLE', 'RECIPIENT_INACTIVE', 'NOT_VISIBLE', 'OVERTAKEN', 'SUPERSEDED')",
        ))
        .check(Expr::cust(
            "topic IS NULL OR topic LIKE 'claim:%' OR topic LIKE 'schedule:%'",
        ))
        .take()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.create_table(outbox_table(OUTBOX_NEXT)).await?;
        swap(
            manager,
            "outbox",
            OUTBOX_NEXT,
            "id, kind, recipient_user_id, dedup_key, payload, status, attempts, next_attempt_at, locked_until, created_at, sent_at, drop_reason",
            &[
                ("outbox_next_pkey", "outbox_pkey"),
                ("outbox_next_dedup_key_key", "outbox_dedup_key_key"),
            ],
        )
        .await?;
        for i in [
            index(
                "ix_outbox_due",
                "outbox",
                &["status", "next_attempt_at"],
                false,
            ),
            index(
                "ix_outbox_topic",
                "outbox",
                &["recipient_user_id", "topic"],
                false,
            ),
        ] {
            manager.create_index(i).await?;
        }
        // The same strings `Notice::topic` writes (hyphenated uuids, as
        // serde writes them into the payload).
        let field = |name: &str| match manager.get_database_backend() {
            sea_orm::DatabaseBackend::Postgres => format!("(payload::json ->> '{name}')"),
            _ => format!("json_extract(payload, '$.{name}')"),
        };
        let db = manager.get_connection();
        db.execute_unprepared(&format!(
            "UPDATE outbox SET topic = 'claim:' || {} \
             WHERE status = 'PENDING' AND kind IN ('PROMOTED', 'DEMOTED')",
            field("claim_id")
        ))
        .await?;
        db.execute_unprepared(&format!(
            "UPDATE outbox SET topic = 'schedule:' || {} \
             WHERE status = 'PENDING' AND kind IN ('RESCHEDULED', 'POSTPONED', 'CANCELLED')",
            field("hearing_id")
        ))
        .await?;
        Ok(())
    }

    async fn down(&self, _manager: &SchemaManager) -> Result<(), DbErr> {
        // Forward only, like m20261126_000006: going back would have to
        // delete superseded messages, which are kept as the record.
        Err(DbErr::Migration(
            "m20261201_000011_outbox_topics cannot be reverted".into(),
        ))
    }
}
