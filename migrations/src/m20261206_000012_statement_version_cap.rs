//! A statement holds at most 100 versions (`domain::statement::MAX_VERSIONS`).
//! Version numbers run 1, 2, … under the statement's row lock, so bounding
//! the number bounds the count; the service refuses the 101st revision
//! first (`CONFLICT`), and the database refuses it whatever writes it.
//!
//! PostgreSQL gets a CHECK, `NOT VALID` so that a database which already
//! holds longer histories upgrades (they stay readable; new rows are
//! checked). SQLite cannot add a CHECK to a table, so triggers refuse the
//! same rows there.
use sea_orm::DatabaseBackend;
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

const CAP: i32 = 100;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        match manager.get_database_backend() {
            DatabaseBackend::Postgres => {
                db.execute_unprepared(&format!(
                    "ALTER TABLE statement_versions ADD CONSTRAINT statement_versions_number_cap \
                     CHECK (number BETWEEN 1 AND {CAP}) NOT VALID"
                ))
                .await?;
            }
            _ => {
                for (name, event) in [
                    ("statement_versions_number_cap_insert", "INSERT"),
                    ("statement_versions_number_cap_update", "UPDATE OF number"),
                ] {
                    db.execute_unprepared(&format!(
                        "CREATE TRIGGER {name} BEFORE {event} ON statement_versions \
                         WHEN NEW.number < 1 OR NEW.number > {CAP} \
                         BEGIN SELECT RAISE(ABORT, 'statement_versions_number_cap'); END"
                    ))
                    .await?;
                }
            }
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        match manager.get_database_backend() {
            DatabaseBackend::Postgres => {
                db.execute_unprepared(
                    "ALTER TABLE statement_versions DROP CONSTRAINT statement_versions_number_cap",
                )
                .await?;
            }
            _ => {
                for name in [
                    "statement_versions_number_cap_insert",
                    "statement_versions_number_cap_update",
                ] {
                    db.execute_unprepared(&format!("DROP TRIGGER {name}"))
                        .await?;
                }
            }
        }
        Ok(())
    }
}
