//! The weekly coverage digest: each coordinator's choice of day (or off),
//! and the local date of the last digest queued for them, so a round on any
//! replica queues a week's digest once. No row means the default (Monday).
use sea_orm_migration::{prelude::*, schema::*};

use crate::shared::fk;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum DigestSettings {
    Table,
    UserId,
    Day,
    LastQueuedOn,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

/// The values `domain::digest::DigestDay` stores.
const DAYS: [&str; 8] = [
    "MONDAY",
    "TUESDAY",
    "WEDNESDAY",
    "THURSDAY",
    "FRIDAY",
    "SATURDAY",
    "SUNDAY",
    "OFF",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(DigestSettings::Table)
                    .col(uuid(DigestSettings::UserId).primary_key())
                    .col(
                        string_len(DigestSettings::Day, 9)
                            .check(Expr::col(DigestSettings::Day).is_in(DAYS)),
                    )
                    .col(date_null(DigestSettings::LastQueuedOn))
                    .col(timestamp_with_time_zone(DigestSettings::UpdatedAt))
                    .foreign_key(&mut fk(
                        "fk_digest_settings_user",
                        (DigestSettings::Table, DigestSettings::UserId),
                        (Users::Table, Users::Id),
                        Some(ForeignKeyAction::Cascade),
                    ))
                    .take(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(DigestSettings::Table).take())
            .await
    }
}
