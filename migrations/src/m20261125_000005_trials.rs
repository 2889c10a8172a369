//! Hearings, roster claims, observations, the email outbox and calendar tokens.
use sea_orm_migration::{prelude::*, schema::*};

use crate::shared::fk;

use crate::m20261125_000002_auth::Users;
use crate::m20261125_000004_cases::Cases;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Hearings {
    Table,
    Id,
    CaseId,
    Court,
    City,
    StartsAt,
    Timezone,
    DurationMinutes,
    Status,
    ObserversNeeded,
    ClaimDeadline,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum RosterClaims {
    Table,
    Id,
    HearingId,
    UserId,
    Country,
    Status,
    /// Claim order within the hearing: waitlist positions are ranks of this.
    QueueSeq,
    CreatedAt,
    ConfirmedAt,
}

#[derive(DeriveIden)]
enum Observations {
    Table,
    Id,
    HearingId,
    ObserverId,
    Country,
    Attended,
    Outcome,
    PublicAccess,
    DefendantPresent,
    AccessToCounsel,
    Interpretation,
    IllTreatmentAlleged,
    Notes,
    SubmittedAt,
}

#[derive(DeriveIden)]
enum Outbox {
    Table,
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
}

#[derive(DeriveIden)]
enum CalendarTokens {
    Table,
    UserId,
    TokenHash,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Hearings::Table)
                    .col(pk_uuid(Hearings::Id))
                    .col(uuid(Hearings::CaseId))
                    .col(string_len(Hearings::Court, 200))
                    .col(string_len(Hearings::City, 100))
                    .col(timestamp_with_time_zone(Hearings::StartsAt))
                    .col(string_len(Hearings::Timezone, 64))
                    .col(integer(Hearings::DurationMinutes))
                    .col(string_len(Hearings::Status, 16))
                    .col(integer(Hearings::ObserversNeeded))
                    .col(timestamp_with_time_zone_null(Hearings::ClaimDeadline))
                    .col(uuid(Hearings::CreatedBy))
                    .col(timestamp_with_time_zone(Hearings::CreatedAt))
                    .col(timestamp_with_time_zone(Hearings::UpdatedAt))
                    .foreign_key(&mut fk(
                        "fk_hearings_case",
                        (Hearings::Table, Hearings::CaseId),
                        (Cases::Table, Cases::Id),
                        Some(ForeignKeyAction::Restrict),
                    ))
                    .foreign_key(&mut fk(
                        "fk_hearings_created_by",
                        (Hearings::Table, Hearings::CreatedBy),
                        (Users::Table, Users::Id),
                        Some(ForeignKeyAction::Restrict),
                    ))
                    .check(Expr::cust(
                        "status IN ('SCHEDULED', 'POSTPONED', 'HELD', 'CANCELLED')",
                    ))
                    .check(Expr::cust(
                        "duration_minutes > 0 AND duration_minutes <= 1440",
                    ))
                    .check(Expr::cust(
                        "observers_needed >= 0 AND observers_needed <= 50",
                    ))
                    .check(Expr::cust(
                        "length(trim(court)) > 0 AND length(trim(city)) > 0",
                    ))
                    .take(),
            )
            .await?;
        for (name, col) in [
            ("ix_hearings_case", Hearings::CaseId),
            ("ix_hearings_starts_at", Hearings::StartsAt),
        ] {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table(Hearings::Table)
                        .col(col)
                        .take(),
                )
                .await?;
        }
        manager
            .create_table(
                Table::create()
                    .table(RosterClaims::Table)
                    .col(pk_uuid(RosterClaims::Id))
                    .col(uuid(RosterClaims::HearingId))
                    .col(uuid(RosterClaims::UserId))
                    .col(string_len(RosterClaims::Country, 2))
                    .col(string_len(RosterClaims::Status, 16))
                    .col(big_integer(RosterClaims::QueueSeq))
                    .col(timestamp_with_time_zone(RosterClaims::CreatedAt))
                    .col(timestamp_with_time_zone_null(RosterClaims::ConfirmedAt))
                    .foreign_key(&mut fk(
                        "fk_roster_claims_hearing",
                        (RosterClaims::Table, RosterClaims::HearingId),
                        (Hearings::Table, Hearings::Id),
                        Some(ForeignKeyAction::Cascade),
                    ))
                    .foreign_key(&mut fk(
                        "fk_roster_claims_user",
                        (RosterClaims::Table, RosterClaims::UserId),
                        (Users::Table, Users::Id),
                        Some(ForeignKeyAction::Cascade),
                    ))
                    .check(Expr::cust("status IN ('CONFIRMED', 'WAITLISTED')"))
                    .check(Expr::cust("queue_seq > 0"))
                    .take(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_roster_claims_one_per_user")
                    .table(RosterClaims::Table)
                    .col(RosterClaims::HearingId)
                    .col(RosterClaims::UserId)
                    .unique()
                    .take(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_roster_claims_queue")
                    .table(RosterClaims::Table)
                    .col(RosterClaims::HearingId)
                    .col(RosterClaims::QueueSeq)
                    .unique()
                    .take(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_roster_claims_user")
                    .table(RosterClaims::Table)
                    .col(RosterClaims::UserId)
                    .take(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Observations::Table)
                    .col(pk_uuid(Observations::Id))
                    .col(uuid(Observations::HearingId))
                    .col(uuid(Observations::ObserverId))
                    .col(string_len(Observations::Country, 2))
                    .col(boolean(Observations::Attended))
                    .col(string_len(Observations::Outcome, 24))
                    .col(boolean_null(Observations::PublicAccess))
                    .col(boolean_null(Observations::DefendantPresent))
                    .col(boolean_null(Observations::AccessToCounsel))
                    .col(boolean_null(Observations::Interpretation))
                    .col(boolean_null(Observations::IllTreatmentAlleged))
                    .col(text_null(Observations::Notes))
                    .col(timestamp_with_time_zone(Observations::SubmittedAt))
                    .foreign_key(&mut fk("fk_observations_hearing", (Observations::Table, Observations::HearingId), (Hearings::Table, Hearings::Id), Some(ForeignKeyAction::Cascade)))
                    .foreign_key(&mut fk("fk_observations_observer", (Observations::Table, Observations::ObserverId), (Users::Table, Users::Id), Some(ForeignKeyAction::Restrict)))
                    .check(Expr::cust("outcome IN ('ACCESS_DENIED', 'ADJOURNED', 'HEARD', 'VERDICT', 'POSTPONED', 'OTHER')"))
                    .check(Expr::cust("attended OR outcome = 'ACCESS_DENIED'"))
                    .take(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_observations_hearing")
                    .table(Observations::Table)
                    .col(Observations::HearingId)
                    .take(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Outbox::Table)
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
                    .foreign_key(&mut fk(
                        "fk_outbox_recipient",
                        (Outbox::Table, Outbox::RecipientUserId),
                        (Users::Table, Users::Id),
                        Some(ForeignKeyAction::Cascade),
                    ))
                    .check(Expr::cust("status IN ('PENDING', 'SENT', 'DEAD')"))
                    .check(Expr::cust("attempts >= 0"))
                    .check(Expr::cust("(status = 'SENT') = (sent_at IS NOT NULL)"))
                    .take(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_outbox_due")
                    .table(Outbox::Table)
                    .col(Outbox::Status)
                    .col(Outbox::NextAttemptAt)
                    .take(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(CalendarTokens::Table)
                    .col(uuid(CalendarTokens::UserId).primary_key())
                    .col(string_len_uniq(CalendarTokens::TokenHash, 64))
                    .col(timestamp_with_time_zone(CalendarTokens::CreatedAt))
                    .foreign_key(&mut fk(
                        "fk_calendar_tokens_user",
                        (CalendarTokens::Table, CalendarTokens::UserId),
                        (Users::Table, Users::Id),
                        Some(ForeignKeyAction::Cascade),
                    ))
                    .take(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            CalendarTokens::Table.into_iden(),
            Outbox::Table.into_iden(),
            Observations::Table.into_iden(),
            RosterClaims::Table.into_iden(),
            Hearings::Table.into_iden(),
        ] {
            manager.drop_table(Table::drop().table(t).take()).await?;
        }
        Ok(())
    }
}
