//! Do no harm: a roster claim whose country lost sight of its hearing is kept
//! as SUSPENDED with a reason (nothing is deleted), and an email the worker
//! decided not to send is DROPPED with a reason, apart from the DEAD ones it
//! could not deliver.
//!
//! Both changes widen CHECK constraints, which SQLite cannot alter: each table
//! is rebuilt (new table, copy, drop, rename, indexes), the same way on both
//! databases.
use sea_orm_migration::{prelude::*, schema::*};

use crate::shared::{fk, index, swap};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum RosterClaims {
    Id,
    HearingId,
    UserId,
    Country,
    Status,
    QueueSeq,
    CreatedAt,
    ConfirmedAt,
    /// CONSENT_WITHDRAWN or VISIBILITY_LOST, exactly when SUSPENDED.
    SuspendedReason,
    SuspendedAt,
}

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
    /// Why the worker chose not to send, exactly when DROPPED.
    DropReason,
}

#[derive(DeriveIden)]
enum Hearings {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

const CLAIMS_NEXT: &str = "roster_claims_next";
const OUTBOX_NEXT: &str = "outbox_next";

fn claims_table(name: &str) -> TableCreateStatement {
    let t = Alias::new(name);
    Table::create()
        .table(t.clone())
        .col(pk_uuid(RosterClaims::Id))
        .col(uuid(RosterClaims::HearingId))
        .col(uuid(RosterClaims::UserId))
        .col(string_len(RosterClaims::Country, 2))
        .col(string_len(RosterClaims::Status, 16))
        .col(big_integer(RosterClaims::QueueSeq))
        .col(timestamp_with_time_zone(RosterClaims::CreatedAt))
        .col(timestamp_with_time_zone_null(RosterClaims::ConfirmedAt))
        .col(string_len_null(RosterClaims::SuspendedReason, 24))
        .col(timestamp_with_time_zone_null(RosterClaims::SuspendedAt))
        .foreign_key(&mut fk(
            "fk_roster_claims_hearing",
            (t.clone(), RosterClaims::HearingId),
            (Hearings::Table, Hearings::Id),
            Some(ForeignKeyAction::Cascade),
        ))
        .foreign_key(&mut fk(
            "fk_roster_claims_user",
            (t, RosterClaims::UserId),
            (Users::Table, Users::Id),
            Some(ForeignKeyAction::Cascade),
        ))
        .check(Expr::cust(
            "status IN ('CONFIRMED', 'WAITLISTED', 'SUSPENDED')",
        ))
        .check(Expr::cust("queue_seq > 0"))
        .check(Expr::cust(
            "suspended_reason IS NULL OR suspended_reason IN ('CONSENT_WITHDRAWN', 'VISIBILITY_LOST')",
        ))
        .check(Expr::cust(
            "(status = 'SUSPENDED') = (suspended_reason IS NOT NULL)",
        ))
        .check(Expr::cust(
            "(status = 'SUSPENDED') = (suspended_at IS NOT NULL)",
        ))
        .check(Expr::cust(
            "status <> 'SUSPENDED' OR confirmed_at IS NULL",
        ))
        .take()
}

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
            "drop_reason IS NULL OR drop_reason IN ('UNREADABLE', 'RECIPIENT_INACTIVE', 'NOT_VISIBLE', 'OVERTAKEN')",
        ))
        .take()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.create_table(claims_table(CLAIMS_NEXT)).await?;
        swap(
            manager,
            "roster_claims",
            CLAIMS_NEXT,
            "id, hearing_id, user_id, country, status, queue_seq, created_at, confirmed_at",
            &[("roster_claims_next_pkey", "roster_claims_pkey")],
        )
        .await?;
        for i in [
            index(
                "ux_roster_claims_one_per_user",
                "roster_claims",
                &["hearing_id", "user_id"],
                true,
            ),
            index(
                "ux_roster_claims_queue",
                "roster_claims",
                &["hearing_id", "queue_seq"],
                true,
            ),
            index(
                "ix_roster_claims_user",
                "roster_claims",
                &["user_id"],
                false,
            ),
        ] {
            manager.create_index(i).await?;
        }

        manager.create_table(outbox_table(OUTBOX_NEXT)).await?;
        swap(
            manager,
            "outbox",
            OUTBOX_NEXT,
            "id, kind, recipient_user_id, dedup_key, payload, status, attempts, next_attempt_at, locked_until, created_at, sent_at",
            &[
                ("outbox_next_pkey", "outbox_pkey"),
                ("outbox_next_dedup_key_key", "outbox_dedup_key_key"),
            ],
        )
        .await?;
        manager
            .create_index(index(
                "ix_outbox_due",
                "outbox",
                &["status", "next_attempt_at"],
                false,
            ))
            .await
    }

    async fn down(&self, _manager: &SchemaManager) -> Result<(), DbErr> {
        // Forward only: going back would have to delete suspended claims and
        // dropped messages, which this migration exists to keep.
        Err(DbErr::Migration(
            "m20261126_000006_do_no_harm cannot be reverted".into(),
        ))
    }
}
