//! The access index: which country sees which case, at which level, and
//! whether it sees the case's hearings; and, per country, the hearings it
//! sees in calendar order. Every visibility scope answers from
//! it by the viewer's country (primary key `(country, case_id)`, so a page is
//! one index range in case-id order and a count touches only the viewer's
//! rows). It is derived data, rewritten in the transaction of every change
//! that moves visibility; `accord rebuild-access` recomputes it whole.
use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261125_000001_directory::Countries;
use crate::m20261125_000004_cases::Cases;
use crate::shared::fk;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum CaseAccess {
    Table,
    Country,
    CaseId,
    /// OWNER, DETAIL or SUMMARY: the highest level that reaches the country.
    Level,
    /// Whether the country sees the case's hearings (the owner, or DETAIL
    /// while consent to trial observation stands).
    Hearings,
}

#[derive(DeriveIden)]
enum HearingAccess {
    Table,
    Country,
    /// The hearing's start, copied so that a country's calendar is one
    /// index range in (start, id) order.
    StartsAt,
    HearingId,
    /// OWNER or DETAIL.
    Level,
}

#[derive(DeriveIden)]
enum Hearings {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(CaseAccess::Table)
                    .col(string_len(CaseAccess::Country, 2))
                    .col(uuid(CaseAccess::CaseId))
                    .col(string_len(CaseAccess::Level, 8))
                    .col(boolean(CaseAccess::Hearings))
                    .primary_key(
                        Index::create()
                            .col(CaseAccess::Country)
                            .col(CaseAccess::CaseId),
                    )
                    .foreign_key(&mut fk(
                        "fk_case_access_case",
                        (CaseAccess::Table, CaseAccess::CaseId),
                        (Cases::Table, Cases::Id),
                        Some(ForeignKeyAction::Cascade),
                    ))
                    .foreign_key(&mut fk(
                        "fk_case_access_country",
                        (CaseAccess::Table, CaseAccess::Country),
                        (Countries::Table, Countries::Code),
                        None,
                    ))
                    .check(Expr::cust("level IN ('SUMMARY', 'DETAIL', 'OWNER')"))
                    .check(Expr::cust("level <> 'SUMMARY' OR NOT hearings"))
                    .take(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_case_access_case")
                    .table(CaseAccess::Table)
                    .col(CaseAccess::CaseId)
                    .take(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(HearingAccess::Table)
                    .col(string_len(HearingAccess::Country, 2))
                    .col(timestamp_with_time_zone(HearingAccess::StartsAt))
                    .col(uuid(HearingAccess::HearingId))
                    .col(string_len(HearingAccess::Level, 8))
                    .primary_key(
                        Index::create()
                            .col(HearingAccess::Country)
                            .col(HearingAccess::StartsAt)
                            .col(HearingAccess::HearingId),
                    )
                    .foreign_key(&mut fk(
                        "fk_hearing_access_hearing",
                        (HearingAccess::Table, HearingAccess::HearingId),
                        (Hearings::Table, Hearings::Id),
                        Some(ForeignKeyAction::Cascade),
                    ))
                    .foreign_key(&mut fk(
                        "fk_hearing_access_country",
                        (HearingAccess::Table, HearingAccess::Country),
                        (Countries::Table, Countries::Code),
                        None,
                    ))
                    .check(Expr::cust("level IN ('DETAIL', 'OWNER')"))
                    .take(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_hearing_access_hearing")
                    .table(HearingAccess::Table)
                    .col(HearingAccess::HearingId)
                    .col(HearingAccess::Country)
                    .unique()
                    .take(),
            )
            .await?;
        // Existing cases: the owner row, then shares, computed by the server's
        // own rebuild at start-up (`App::build` fills in any case without
        // its owner row), so the rule lives in one place.
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(HearingAccess::Table).take())
            .await?;
        manager
            .drop_table(Table::drop().table(CaseAccess::Table).take())
            .await
    }
}
