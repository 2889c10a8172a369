//! Second factors (issue 27): an authenticator app (TOTP, RFC 6238) per
//! person, their single-use recovery codes, the short-lived challenge that
//! sits between a right password and an opened session, and a mission's
//! rule that its people must have a second factor.
//!
//! - `user_totp`: one row per person; `secret_sealed` is the shared secret
//!   sealed with the server's identity keys (never in clear); `confirmed_at`
//!   is null while an enrolment waits for its first code; `last_step` is the
//!   last accepted time step (a code of that step or earlier is refused).
//! - `recovery_codes`: SHA-256 of each code only, used once.
//! - `sign_in_challenges`: SHA-256 of the token only, five minutes, used at
//!   most once; `member_sealed` keeps the member key sealed under the token
//!   (the password is never kept) so the session opened at step two can
//!   still open identities.
//! - `missions.second_factor_required`.
use sea_orm_migration::{prelude::*, schema::*};

use crate::shared::fk;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Missions {
    Table,
    SecondFactorRequired,
}

#[derive(DeriveIden)]
enum UserTotp {
    Table,
    UserId,
    SecretSealed,
    CreatedAt,
    ConfirmedAt,
    LastStep,
}

#[derive(DeriveIden)]
enum RecoveryCodes {
    Table,
    Id,
    UserId,
    CodeHash,
    CreatedAt,
    UsedAt,
}

#[derive(DeriveIden)]
enum SignInChallenges {
    Table,
    Id,
    TokenHash,
    UserId,
    Kind,
    ClientLabel,
    CreatedAt,
    ExpiresAt,
    Failures,
    UsedAt,
    MemberSealed,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Missions::Table)
                    .add_column(boolean(Missions::SecondFactorRequired).default(false))
                    .take(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(UserTotp::Table)
                    .col(pk_uuid(UserTotp::UserId))
                    .col(text(UserTotp::SecretSealed))
                    .col(timestamp_with_time_zone(UserTotp::CreatedAt))
                    .col(timestamp_with_time_zone_null(UserTotp::ConfirmedAt))
                    .col(big_integer_null(UserTotp::LastStep))
                    .foreign_key(&mut fk(
                        "fk_user_totp_user",
                        (UserTotp::Table, UserTotp::UserId),
                        (Users::Table, Users::Id),
                        Some(ForeignKeyAction::Cascade),
                    ))
                    .check(Expr::cust("length(secret_sealed) > 0"))
                    .check(Expr::cust("last_step IS NULL OR last_step >= 0"))
                    // A step is accepted only once enrolment is confirmed.
                    .check(Expr::cust("last_step IS NULL OR confirmed_at IS NOT NULL"))
                    .take(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(RecoveryCodes::Table)
                    .col(pk_uuid(RecoveryCodes::Id))
                    .col(uuid(RecoveryCodes::UserId))
                    .col(string_len_uniq(RecoveryCodes::CodeHash, 64))
                    .col(timestamp_with_time_zone(RecoveryCodes::CreatedAt))
                    .col(timestamp_with_time_zone_null(RecoveryCodes::UsedAt))
                    .foreign_key(&mut fk(
                        "fk_recovery_codes_user",
                        (RecoveryCodes::Table, RecoveryCodes::UserId),
                        (Users::Table, Users::Id),
                        Some(ForeignKeyAction::Cascade),
                    ))
                    .check(Expr::cust("length(code_hash) = 64"))
                    .take(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_recovery_codes_user")
                    .table(RecoveryCodes::Table)
                    .col(RecoveryCodes::UserId)
                    .take(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(SignInChallenges::Table)
                    .col(pk_uuid(SignInChallenges::Id))
                    .col(string_len_uniq(SignInChallenges::TokenHash, 64))
                    .col(uuid(SignInChallenges::UserId))
                    .col(string_len(SignInChallenges::Kind, 3))
                    .col(string_len_null(SignInChallenges::ClientLabel, 80))
                    .col(timestamp_with_time_zone(SignInChallenges::CreatedAt))
                    .col(timestamp_with_time_zone(SignInChallenges::ExpiresAt))
                    .col(integer(SignInChallenges::Failures).default(0))
                    .col(timestamp_with_time_zone_null(SignInChallenges::UsedAt))
                    .col(text_null(SignInChallenges::MemberSealed))
                    .foreign_key(&mut fk(
                        "fk_sign_in_challenges_user",
                        (SignInChallenges::Table, SignInChallenges::UserId),
                        (Users::Table, Users::Id),
                        Some(ForeignKeyAction::Cascade),
                    ))
                    .check(Expr::col(SignInChallenges::Kind).is_in(["API", "WEB"]))
                    .check(Expr::cust("length(token_hash) = 64"))
                    .check(Expr::cust("failures >= 0"))
                    .check(Expr::cust("expires_at > created_at"))
                    .take(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_sign_in_challenges_user")
                    .table(SignInChallenges::Table)
                    .col(SignInChallenges::UserId)
                    .take(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            SignInChallenges::Table.into_iden(),
            RecoveryCodes::Table.into_iden(),
            UserTotp::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).take())
                .await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table(Missions::Table)
                    .drop_column(Missions::SecondFactorRequired)
                    .take(),
            )
            .await
    }
}
