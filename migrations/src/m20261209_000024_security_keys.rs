//! Security keys (WebAuthn) as a second factor: each person's registered
//! keys (at most ten, named by them; a credential id belongs to one key
//! only), and the ceremonies in progress — a registration bound to the web
//! session that began it, a sign-in bound to the second step's challenge
//! (by its token's SHA-256) — each used once and short-lived.
use sea_orm_migration::{prelude::*, schema::*};

use crate::shared::{fk, index, non_blank};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum SecurityKeys {
    Table,
    Id,
    UserId,
    Name,
    CredentialId,
    Credential,
    CreatedAt,
    LastUsedAt,
}

#[derive(DeriveIden)]
enum SecurityKeyCeremonies {
    Table,
    Id,
    UserId,
    Purpose,
    BoundTo,
    KeyName,
    State,
    ExpiresAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(SecurityKeys::Table)
                    .col(pk_uuid(SecurityKeys::Id))
                    .col(uuid(SecurityKeys::UserId))
                    .col(string_len(SecurityKeys::Name, 60))
                    .col(string_len_uniq(SecurityKeys::CredentialId, 1400))
                    .col(text(SecurityKeys::Credential))
                    .col(timestamp_with_time_zone(SecurityKeys::CreatedAt))
                    .col(timestamp_with_time_zone_null(SecurityKeys::LastUsedAt))
                    .check(non_blank("name"))
                    .check(non_blank("credential_id"))
                    .foreign_key(&mut fk(
                        "fk_security_keys_user",
                        (SecurityKeys::Table, SecurityKeys::UserId),
                        (Users::Table, Users::Id),
                        Some(ForeignKeyAction::Cascade),
                    ))
                    .take(),
            )
            .await?;
        manager
            .create_index(index(
                "idx_security_keys_user",
                "security_keys",
                &["user_id"],
                false,
            ))
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(SecurityKeyCeremonies::Table)
                    .col(pk_uuid(SecurityKeyCeremonies::Id))
                    .col(uuid(SecurityKeyCeremonies::UserId))
                    .col(string_len(SecurityKeyCeremonies::Purpose, 16))
                    .col(string_len(SecurityKeyCeremonies::BoundTo, 64))
                    .col(string_len_null(SecurityKeyCeremonies::KeyName, 60))
                    .col(text(SecurityKeyCeremonies::State))
                    .col(timestamp_with_time_zone(SecurityKeyCeremonies::ExpiresAt))
                    .check(Expr::cust(
                        "(purpose = 'REGISTER' AND key_name IS NOT NULL AND length(trim(key_name)) > 0) OR (purpose = 'SIGN_IN' AND key_name IS NULL)",
                    ))
                    .foreign_key(&mut fk(
                        "fk_security_key_ceremonies_user",
                        (SecurityKeyCeremonies::Table, SecurityKeyCeremonies::UserId),
                        (Users::Table, Users::Id),
                        Some(ForeignKeyAction::Cascade),
                    ))
                    .take(),
            )
            .await?;
        manager
            .create_index(index(
                "uq_security_key_ceremonies_bound",
                "security_key_ceremonies",
                &["purpose", "bound_to"],
                true,
            ))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            SecurityKeyCeremonies::Table.into_iden(),
            SecurityKeys::Table.into_iden(),
        ] {
            manager.drop_table(Table::drop().table(t).take()).await?;
        }
        Ok(())
    }
}
