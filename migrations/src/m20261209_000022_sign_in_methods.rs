//! Each session records how its person proved who they are (password alone,
//! with an authenticator code, a recovery code, a security key, or their
//! ministry's single sign-on), so their sessions list can say so. Sessions
//! opened before this migration were opened with a password.
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Sessions {
    Table,
    Method,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Sessions::Table)
                    .add_column(
                        ColumnDef::new(Sessions::Method)
                            .string_len(32)
                            .not_null()
                            .default("PASSWORD")
                            .check(Expr::col(Sessions::Method).is_in([
                                "PASSWORD",
                                "PASSWORD_TOTP",
                                "PASSWORD_RECOVERY_CODE",
                                "PASSWORD_SECURITY_KEY",
                                "SSO",
                            ])),
                    )
                    .take(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        crate::shared::drop_column(manager, Sessions::Table, Sessions::Method).await
    }
}
