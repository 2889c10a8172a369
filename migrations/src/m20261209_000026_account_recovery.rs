//! Account recovery: forgot-password links, the queue of "forgot password"
//! requests the background work answers, and email-address changes.
//!
//! A link's token is never stored: only its SHA-256 (`token_hash`), minted
//! when the email is sent (NULL until then). A link is used once
//! (`used_at`) or voided by a newer one (`voided_at`), never both; it
//! expires at `expires_at`. An email change keeps the old and the new
//! address (the old one is told of the change); `users.email` stays UNIQUE,
//! so a taken address is refused at confirmation by the database too.
use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261125_000002_auth::Users;
use crate::shared::{fk, non_blank};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum PasswordResets {
    Table,
    Id,
    UserId,
    TokenHash,
    /// An admin forced it (the password was voided at once).
    Forced,
    CreatedAt,
    ExpiresAt,
    UsedAt,
    VoidedAt,
}

#[derive(DeriveIden)]
enum PasswordResetRequests {
    Table,
    Id,
    /// As typed, trimmed and lower-cased; deleted once answered.
    Email,
    RequestedAt,
}

#[derive(DeriveIden)]
enum EmailChanges {
    Table,
    Id,
    UserId,
    OldEmail,
    NewEmail,
    TokenHash,
    CreatedAt,
    ExpiresAt,
    UsedAt,
    VoidedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(PasswordResets::Table)
                    .col(pk_uuid(PasswordResets::Id))
                    .col(uuid(PasswordResets::UserId))
                    .col(string_len_null(PasswordResets::TokenHash, 64).unique_key())
                    .col(boolean(PasswordResets::Forced))
                    .col(timestamp_with_time_zone(PasswordResets::CreatedAt))
                    .col(timestamp_with_time_zone(PasswordResets::ExpiresAt))
                    .col(timestamp_with_time_zone_null(PasswordResets::UsedAt))
                    .col(timestamp_with_time_zone_null(PasswordResets::VoidedAt))
                    .foreign_key(&mut fk(
                        "fk_password_resets_user",
                        (PasswordResets::Table, PasswordResets::UserId),
                        (Users::Table, Users::Id),
                        Some(ForeignKeyAction::Cascade),
                    ))
                    .check(Expr::cust("used_at IS NULL OR voided_at IS NULL"))
                    .check(Expr::cust("expires_at > created_at"))
                    .check(Expr::cust("token_hash IS NULL OR length(token_hash) = 64"))
                    .take(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(PasswordResetRequests::Table)
                    .col(pk_uuid(PasswordResetRequests::Id))
                    .col(string_len_uniq(PasswordResetRequests::Email, 254))
                    .col(timestamp_with_time_zone(PasswordResetRequests::RequestedAt))
                    .check(non_blank("email"))
                    .take(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(EmailChanges::Table)
                    .col(pk_uuid(EmailChanges::Id))
                    .col(uuid(EmailChanges::UserId))
                    .col(string_len(EmailChanges::OldEmail, 254))
                    .col(string_len(EmailChanges::NewEmail, 254))
                    .col(string_len_null(EmailChanges::TokenHash, 64).unique_key())
                    .col(timestamp_with_time_zone(EmailChanges::CreatedAt))
                    .col(timestamp_with_time_zone(EmailChanges::ExpiresAt))
                    .col(timestamp_with_time_zone_null(EmailChanges::UsedAt))
                    .col(timestamp_with_time_zone_null(EmailChanges::VoidedAt))
                    .foreign_key(&mut fk(
                        "fk_email_changes_user",
                        (EmailChanges::Table, EmailChanges::UserId),
                        (Users::Table, Users::Id),
                        Some(ForeignKeyAction::Cascade),
                    ))
                    .check(non_blank("new_email"))
                    .check(Expr::cust("old_email <> new_email"))
                    .check(Expr::cust("used_at IS NULL OR voided_at IS NULL"))
                    .check(Expr::cust("expires_at > created_at"))
                    .check(Expr::cust("token_hash IS NULL OR length(token_hash) = 64"))
                    .take(),
            )
            .await?;
        let db = manager.get_connection();
        for (name, table, cols) in [
            (
                "ix_password_resets_user",
                "password_resets",
                "user_id, created_at",
            ),
            (
                "ix_password_reset_requests_at",
                "password_reset_requests",
                "requested_at",
            ),
            (
                "ix_email_changes_user",
                "email_changes",
                "user_id, created_at",
            ),
        ] {
            db.execute_unprepared(&format!("CREATE INDEX {name} ON {table} ({cols})"))
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            "email_changes",
            "password_reset_requests",
            "password_resets",
        ] {
            manager
                .drop_table(Table::drop().table(Alias::new(table)).take())
                .await?;
        }
        Ok(())
    }
}
