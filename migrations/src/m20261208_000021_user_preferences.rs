//! How each person reads Accord: the language of their pages and emails
//! (a BCP 47 tag of a language Accord has; none means "follow the browser",
//! and English for email) and their own time zone (none means their
//! mission's). The set of languages is the folders of `server/locales`, so
//! the database holds the tag's shape, not a list.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Users {
    Table,
    Language,
    Timezone,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite adds one column per statement.
        manager
            .alter_table(
                Table::alter()
                    .table(Users::Table)
                    .add_column(
                        string_len_null(Users::Language, 35).check(
                            Expr::col(Users::Language)
                                .is_null()
                                .or(Expr::cust("length(trim(language)) BETWEEN 2 AND 35")),
                        ),
                    )
                    .take(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Users::Table)
                    .add_column(
                        string_len_null(Users::Timezone, 64).check(
                            Expr::col(Users::Timezone)
                                .is_null()
                                .or(Expr::cust("length(trim(timezone)) BETWEEN 1 AND 64")),
                        ),
                    )
                    .take(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [Users::Language, Users::Timezone] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Users::Table)
                        .drop_column(column)
                        .take(),
                )
                .await?;
        }
        Ok(())
    }
}
