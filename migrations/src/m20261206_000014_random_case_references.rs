//! Case references are random from now on (`domain::reference`): the
//! per-host, per-year counters that numbered them are dropped, because a
//! counter is exactly what told one country how many cases others held.
//! Existing references stay as they are and keep working.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum CaseReferenceCounters {
    Table,
    HostCountry,
    Year,
    LastNumber,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(
                Table::drop()
                    .table(CaseReferenceCounters::Table)
                    .if_exists()
                    .to_owned(),
            )
            .await
    }

    /// Recreates the table empty; references issued meanwhile are random,
    /// so counting would restart from 1 without colliding with them.
    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(CaseReferenceCounters::Table)
                    .col(string_len(CaseReferenceCounters::HostCountry, 2))
                    .col(integer(CaseReferenceCounters::Year))
                    .col(integer(CaseReferenceCounters::LastNumber))
                    .primary_key(
                        Index::create()
                            .col(CaseReferenceCounters::HostCountry)
                            .col(CaseReferenceCounters::Year),
                    )
                    .to_owned(),
            )
            .await
    }
}
