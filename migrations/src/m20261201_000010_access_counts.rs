//! Counts of the access indexes per reader, so that an unfiltered
//! `totalCount` is one row whatever the number of cases or reports (counting
//! a country's ~100,000 rows of `case_access` took 10–300 ms at 1,000,000
//! cases). Derived data like the indexes themselves: adjusted in the
//! transaction of every change to them, checked by `accord rebuild-access
//! --check`, recomputed by `accord rebuild-access`.
//!
//! `access_index_state` records that every case has its index rows, so that
//! start-up no longer looks for cases without them (an anti-join over every
//! case: 3.5 s at 1,000,000).
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum AccessCounts {
    Table,
    /// `CASES` and `HEARINGS` (readers: country codes) or `REPORTS`
    /// (country codes and organization ids).
    IndexName,
    Reader,
    Visible,
}

#[derive(DeriveIden)]
enum AccessIndexState {
    Table,
    Id,
    /// Every case has its rows in `case_access`.
    Complete,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(AccessCounts::Table)
                    .col(string_len(AccessCounts::IndexName, 8))
                    .col(string_len(AccessCounts::Reader, 36))
                    .col(big_integer(AccessCounts::Visible))
                    .primary_key(
                        Index::create()
                            .col(AccessCounts::IndexName)
                            .col(AccessCounts::Reader),
                    )
                    .check(Expr::cust("index_name IN ('CASES', 'HEARINGS', 'REPORTS')"))
                    .take(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(AccessIndexState::Table)
                    .col(integer(AccessIndexState::Id).primary_key())
                    .col(boolean(AccessIndexState::Complete))
                    .check(Expr::cust("id = 1"))
                    .take(),
            )
            .await?;
        let db = manager.get_connection();
        db.execute_unprepared(
            "INSERT INTO access_counts (index_name, reader, visible) \
             SELECT 'CASES', country, COUNT(*) FROM case_access GROUP BY country",
        )
        .await?;
        db.execute_unprepared(
            "INSERT INTO access_counts (index_name, reader, visible) \
             SELECT 'HEARINGS', country, COUNT(*) FROM hearing_access GROUP BY country",
        )
        .await?;
        db.execute_unprepared(
            "INSERT INTO access_counts (index_name, reader, visible) \
             SELECT 'REPORTS', reader, COUNT(*) FROM report_access GROUP BY reader",
        )
        .await?;
        // Not known to be complete: the next start-up checks once.
        db.execute_unprepared("INSERT INTO access_index_state (id, complete) VALUES (1, false)")
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(AccessIndexState::Table).take())
            .await?;
        manager
            .drop_table(Table::drop().table(AccessCounts::Table).take())
            .await
    }
}
