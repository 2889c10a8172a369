//! Joint statements and démarches (DESIGN.md "Statement", rules 4 and 6):
//! the statement, its immutable versions, one participant row per country
//! (lead, co-penholders, invited — also the access index: primary key
//! `(country, statement_id)`, so a country's list is one index range), and
//! the linked cases.
use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261125_000001_directory::Countries;
use crate::m20261125_000002_auth::Users;
use crate::m20261125_000004_cases::Cases;
use crate::shared::{fk, non_blank};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Statements {
    Table,
    Id,
    Title,
    Kind,
    HostCountry,
    LeadCountry,
    Status,
    Deadline,
    /// The newest version's number.
    CurrentVersion,
    /// The version frozen by finalization.
    FinalVersion,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
    FinalizedAt,
    DeliveredAt,
    DeliveryChannel,
    /// When the "24 h before the deadline" reminder went out (once).
    DeadlineRemindedAt,
}

#[derive(DeriveIden)]
enum StatementVersions {
    Table,
    StatementId,
    Number,
    Body,
    ContentHash,
    AuthorId,
    AuthorCountry,
    CreatedAt,
}

#[derive(DeriveIden)]
enum StatementParticipants {
    Table,
    Country,
    StatementId,
    Role,
    Signature,
    /// The version approved (APPROVED, STALE).
    SignatureVersion,
    DeclineReason,
    SignedBy,
    SignedAt,
    InvitedAt,
}

#[derive(DeriveIden)]
enum StatementCases {
    Table,
    StatementId,
    CaseId,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Statements::Table)
                    .col(pk_uuid(Statements::Id))
                    .col(string_len(Statements::Title, 200))
                    .col(string_len(Statements::Kind, 24))
                    .col(string_len(Statements::HostCountry, 2))
                    .col(string_len(Statements::LeadCountry, 2))
                    .col(string_len(Statements::Status, 16))
                    .col(timestamp_with_time_zone_null(Statements::Deadline))
                    .col(integer(Statements::CurrentVersion))
                    .col(integer_null(Statements::FinalVersion))
                    .col(uuid(Statements::CreatedBy))
                    .col(timestamp_with_time_zone(Statements::CreatedAt))
                    .col(timestamp_with_time_zone(Statements::UpdatedAt))
                    .col(timestamp_with_time_zone_null(Statements::FinalizedAt))
                    .col(timestamp_with_time_zone_null(Statements::DeliveredAt))
                    .col(string_len_null(Statements::DeliveryChannel, 24))
                    .col(timestamp_with_time_zone_null(
                        Statements::DeadlineRemindedAt,
                    ))
                    .foreign_key(&mut fk(
                        "fk_statements_host",
                        (Statements::Table, Statements::HostCountry),
                        (Countries::Table, Countries::Code),
                        None,
                    ))
                    .foreign_key(&mut fk(
                        "fk_statements_lead",
                        (Statements::Table, Statements::LeadCountry),
                        (Countries::Table, Countries::Code),
                        None,
                    ))
                    .foreign_key(&mut fk(
                        "fk_statements_creator",
                        (Statements::Table, Statements::CreatedBy),
                        (Users::Table, Users::Id),
                        None,
                    ))
                    .check(Expr::cust(
                        "kind IN ('DEMARCHE', 'PUBLIC_STATEMENT', 'PRESS_RELEASE', 'LETTER')",
                    ))
                    .check(Expr::cust(
                        "status IN ('DRAFT', 'CIRCULATING', 'FINAL', 'DELIVERED')",
                    ))
                    .check(Expr::cust("current_version >= 1"))
                    .check(Expr::cust(
                        "(status IN ('FINAL', 'DELIVERED')) = (final_version IS NOT NULL)",
                    ))
                    .check(Expr::cust(
                        "(status IN ('FINAL', 'DELIVERED')) = (finalized_at IS NOT NULL)",
                    ))
                    .check(Expr::cust(
                        "(status = 'DELIVERED') = (delivered_at IS NOT NULL)",
                    ))
                    .check(Expr::cust(
                        "(delivered_at IS NULL) = (delivery_channel IS NULL)",
                    ))
                    .check(Expr::cust(
                        "final_version IS NULL OR final_version = current_version",
                    ))
                    .check(non_blank("title"))
                    .take(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(StatementVersions::Table)
                    .col(uuid(StatementVersions::StatementId))
                    .col(integer(StatementVersions::Number))
                    .col(text(StatementVersions::Body))
                    .col(string_len(StatementVersions::ContentHash, 64))
                    .col(uuid(StatementVersions::AuthorId))
                    .col(string_len(StatementVersions::AuthorCountry, 2))
                    .col(timestamp_with_time_zone(StatementVersions::CreatedAt))
                    .primary_key(
                        Index::create()
                            .col(StatementVersions::StatementId)
                            .col(StatementVersions::Number),
                    )
                    .foreign_key(&mut fk(
                        "fk_statement_versions_statement",
                        (StatementVersions::Table, StatementVersions::StatementId),
                        (Statements::Table, Statements::Id),
                        Some(ForeignKeyAction::Cascade),
                    ))
                    .foreign_key(&mut fk(
                        "fk_statement_versions_author",
                        (StatementVersions::Table, StatementVersions::AuthorId),
                        (Users::Table, Users::Id),
                        None,
                    ))
                    .check(Expr::cust("number >= 1"))
                    .check(non_blank("body"))
                    .take(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(StatementParticipants::Table)
                    .col(string_len(StatementParticipants::Country, 2))
                    .col(uuid(StatementParticipants::StatementId))
                    .col(string_len(StatementParticipants::Role, 16))
                    .col(string_len(StatementParticipants::Signature, 16))
                    .col(integer_null(StatementParticipants::SignatureVersion))
                    .col(text_null(StatementParticipants::DeclineReason))
                    .col(uuid_null(StatementParticipants::SignedBy))
                    .col(timestamp_with_time_zone_null(
                        StatementParticipants::SignedAt,
                    ))
                    .col(timestamp_with_time_zone(StatementParticipants::InvitedAt))
                    .primary_key(
                        Index::create()
                            .col(StatementParticipants::Country)
                            .col(StatementParticipants::StatementId),
                    )
                    .foreign_key(&mut fk(
                        "fk_statement_participants_statement",
                        (
                            StatementParticipants::Table,
                            StatementParticipants::StatementId,
                        ),
                        (Statements::Table, Statements::Id),
                        Some(ForeignKeyAction::Cascade),
                    ))
                    .foreign_key(&mut fk(
                        "fk_statement_participants_country",
                        (StatementParticipants::Table, StatementParticipants::Country),
                        (Countries::Table, Countries::Code),
                        None,
                    ))
                    .foreign_key(&mut fk(
                        "fk_statement_participants_signer",
                        (
                            StatementParticipants::Table,
                            StatementParticipants::SignedBy,
                        ),
                        (Users::Table, Users::Id),
                        None,
                    ))
                    .check(Expr::cust("role IN ('LEAD', 'CO_PENHOLDER', 'INVITED')"))
                    .check(Expr::cust(
                        "signature IN ('PENDING', 'APPROVED', 'STALE', 'DECLINED')",
                    ))
                    .check(Expr::cust(
                        "(signature IN ('APPROVED', 'STALE')) = (signature_version IS NOT NULL)",
                    ))
                    .check(Expr::cust(
                        "signature = 'DECLINED' OR decline_reason IS NULL",
                    ))
                    .take(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_statement_participants_statement")
                    .table(StatementParticipants::Table)
                    .col(StatementParticipants::StatementId)
                    .take(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(StatementCases::Table)
                    .col(uuid(StatementCases::StatementId))
                    .col(uuid(StatementCases::CaseId))
                    .primary_key(
                        Index::create()
                            .col(StatementCases::StatementId)
                            .col(StatementCases::CaseId),
                    )
                    .foreign_key(&mut fk(
                        "fk_statement_cases_statement",
                        (StatementCases::Table, StatementCases::StatementId),
                        (Statements::Table, Statements::Id),
                        Some(ForeignKeyAction::Cascade),
                    ))
                    .foreign_key(&mut fk(
                        "fk_statement_cases_case",
                        (StatementCases::Table, StatementCases::CaseId),
                        (Cases::Table, Cases::Id),
                        None,
                    ))
                    .take(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_statement_cases_case")
                    .table(StatementCases::Table)
                    .col(StatementCases::CaseId)
                    .take(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            StatementCases::Table.into_iden(),
            StatementParticipants::Table.into_iden(),
            StatementVersions::Table.into_iden(),
            Statements::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).take())
                .await?;
        }
        Ok(())
    }
}
