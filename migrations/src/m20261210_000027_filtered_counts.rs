//! Filtered counts from the access indexes (issue 28): `cases(filter:
//! {status})` counted the viewer's rows joined to `cases` (a scan of `cases`
//! at 50,000 rows). The index rows now carry the summary fields a list
//! filters on — a case's status, risk level and host country, a hearing's
//! status — so a count (and a page) narrowed by them is one range of the
//! viewer's index rows.
//!
//! The copies cannot drift: each is part of a composite foreign key to its
//! row, `ON UPDATE CASCADE`, so the database rewrites them in the statement
//! that changes the case or hearing, and refuses an index row that does not
//! match (the referenced columns get the UNIQUE index a foreign key needs;
//! the id alone is already unique, so it constrains nothing more). The
//! tables are derived data and are rebuilt here from their rows.
use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261125_000001_directory::Countries;
use crate::shared::{fk, index, swap};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Cases {
    Table,
}

#[derive(DeriveIden)]
enum Hearings {
    Table,
}

#[derive(DeriveIden)]
enum CaseAccess {
    Country,
    CaseId,
    Level,
    Hearings,
    Status,
    RiskLevel,
    HostCountry,
}

#[derive(DeriveIden)]
enum HearingAccess {
    Country,
    StartsAt,
    HearingId,
    Level,
    Status,
}

const CASE_ACCESS_NEXT: &str = "case_access_next";
const HEARING_ACCESS_NEXT: &str = "hearing_access_next";

/// A foreign key that follows its referenced row: deleted with it, and its
/// copied columns rewritten when the row's change.
fn follows(
    name: &str,
    from: (&str, &[&str]),
    to: (impl IntoIden, &[&str]),
) -> ForeignKeyCreateStatement {
    let mut key = ForeignKey::create();
    key.name(name)
        .from_tbl(Alias::new(from.0))
        .to_tbl(to.0)
        .on_delete(ForeignKeyAction::Cascade)
        .on_update(ForeignKeyAction::Cascade);
    for c in from.1 {
        key.from_col(Alias::new(*c));
    }
    for c in to.1 {
        key.to_col(Alias::new(*c));
    }
    key
}

fn case_access_table() -> TableCreateStatement {
    let t = Alias::new(CASE_ACCESS_NEXT);
    Table::create()
        .table(t.clone())
        .col(string_len(CaseAccess::Country, 2))
        .col(uuid(CaseAccess::CaseId))
        .col(string_len(CaseAccess::Level, 8))
        .col(boolean(CaseAccess::Hearings))
        .col(string_len(CaseAccess::Status, 16))
        .col(string_len(CaseAccess::RiskLevel, 16))
        .col(string_len(CaseAccess::HostCountry, 2))
        .primary_key(
            Index::create()
                .col(CaseAccess::Country)
                .col(CaseAccess::CaseId),
        )
        .foreign_key(&mut follows(
            "fk_case_access_case",
            (
                CASE_ACCESS_NEXT,
                &["case_id", "status", "risk_level", "host_country"],
            ),
            (
                Cases::Table,
                &["id", "status", "risk_level", "host_country"],
            ),
        ))
        .foreign_key(&mut fk(
            "fk_case_access_country",
            (t, CaseAccess::Country),
            (Countries::Table, Countries::Code),
            None,
        ))
        .check(Expr::cust("level IN ('SUMMARY', 'DETAIL', 'OWNER')"))
        .check(Expr::cust("level <> 'SUMMARY' OR NOT hearings"))
        .take()
}

fn hearing_access_table() -> TableCreateStatement {
    let t = Alias::new(HEARING_ACCESS_NEXT);
    Table::create()
        .table(t.clone())
        .col(string_len(HearingAccess::Country, 2))
        .col(timestamp_with_time_zone(HearingAccess::StartsAt))
        .col(uuid(HearingAccess::HearingId))
        .col(string_len(HearingAccess::Level, 8))
        .col(string_len(HearingAccess::Status, 16))
        .primary_key(
            Index::create()
                .col(HearingAccess::Country)
                .col(HearingAccess::StartsAt)
                .col(HearingAccess::HearingId),
        )
        .foreign_key(&mut follows(
            "fk_hearing_access_hearing",
            (HEARING_ACCESS_NEXT, &["hearing_id", "status"]),
            (Hearings::Table, &["id", "status"]),
        ))
        .foreign_key(&mut fk(
            "fk_hearing_access_country",
            (t, HearingAccess::Country),
            (Countries::Table, Countries::Code),
            None,
        ))
        .check(Expr::cust("level IN ('DETAIL', 'OWNER')"))
        .take()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        // The targets of the composite keys.
        manager
            .create_index(index(
                "ux_cases_summary",
                "cases",
                &["id", "status", "risk_level", "host_country"],
                true,
            ))
            .await?;
        manager
            .create_index(index(
                "ux_hearings_status",
                "hearings",
                &["id", "status"],
                true,
            ))
            .await?;

        // The old rows get the copies (nullable columns, dropped with the
        // old table), then move to the new table whole.
        for (table, column, from, of) in [
            ("case_access", "status", "cases", "case_id"),
            ("case_access", "risk_level", "cases", "case_id"),
            ("case_access", "host_country", "cases", "case_id"),
            ("hearing_access", "status", "hearings", "hearing_id"),
        ] {
            db.execute_unprepared(&format!(
                "ALTER TABLE {table} ADD COLUMN {column} VARCHAR(16) NULL"
            ))
            .await?;
            db.execute_unprepared(&format!(
                "UPDATE {table} SET {column} = \
                 (SELECT {from}.{column} FROM {from} WHERE {from}.id = {table}.{of})"
            ))
            .await?;
        }

        manager.create_table(case_access_table()).await?;
        swap(
            manager,
            "case_access",
            CASE_ACCESS_NEXT,
            "country, case_id, level, hearings, status, risk_level, host_country",
            &[("case_access_next_pkey", "case_access_pkey")],
        )
        .await?;
        manager.create_table(hearing_access_table()).await?;
        swap(
            manager,
            "hearing_access",
            HEARING_ACCESS_NEXT,
            "country, starts_at, hearing_id, level, status",
            &[("hearing_access_next_pkey", "hearing_access_pkey")],
        )
        .await?;

        for i in [
            // The old ones, dropped with their tables.
            index("ix_case_access_case", "case_access", &["case_id"], false),
            index(
                "ix_hearing_access_hearing",
                "hearing_access",
                &["hearing_id", "country"],
                true,
            ),
            // A country's cases of one status, in page order.
            index(
                "ix_case_access_status",
                "case_access",
                &["country", "status", "case_id"],
                false,
            ),
            // A country's calendar of one status, in calendar order.
            index(
                "ix_hearing_access_status",
                "hearing_access",
                &["country", "status", "starts_at", "hearing_id"],
                false,
            ),
        ] {
            manager.create_index(i).await?;
        }
        Ok(())
    }

    async fn down(&self, _manager: &SchemaManager) -> Result<(), DbErr> {
        // Forward only, like the other rewrites of derived tables: the old
        // shape is a subset, and `accord rebuild-access` recomputes it.
        Err(DbErr::Migration(
            "m20261210_000027_filtered_counts cannot be reverted".to_owned(),
        ))
    }
}
