//! Single sign-on per mission: the ministry's OpenID Connect provider its
//! admin registered (one per mission; the client secret sealed under the
//! server's key for data at rest), the sign-ins under way (the `state` kept
//! only as its SHA-256, single use, ten minutes), and the subject a person is
//! known by at their provider when the mission matches on it (recorded by
//! the admin, unique within the mission).
use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261125_000001_directory::Missions;
use crate::m20261125_000002_auth::Users;
use crate::shared::{fk, index, non_blank};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum SingleSignOn {
    Table,
    MissionId,
    /// The opaque id of the mission's start URL (`/sign-in/sso/<public_id>`).
    PublicId,
    Issuer,
    ClientId,
    ClientSecretSealed,
    MatchClaim,
    SsoOnly,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum SsoFlows {
    Table,
    Id,
    MissionId,
    StateHash,
    /// SHA-256 of the secret in the browser's flow cookie: the callback must
    /// come back to the browser that started.
    BrowserHash,
    Nonce,
    PkceVerifierSealed,
    CreatedAt,
    ExpiresAt,
    UsedAt,
}

#[derive(DeriveIden)]
enum SsoSubjects {
    Table,
    UserId,
    MissionId,
    Subject,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(SingleSignOn::Table)
                    .col(pk_uuid(SingleSignOn::MissionId))
                    .col(string_len_uniq(SingleSignOn::PublicId, 64).check(non_blank("public_id")))
                    .col(string_len(SingleSignOn::Issuer, 512).check(non_blank("issuer")))
                    .col(string_len(SingleSignOn::ClientId, 255).check(non_blank("client_id")))
                    .col(text(SingleSignOn::ClientSecretSealed))
                    .col(
                        string_len(SingleSignOn::MatchClaim, 16)
                            .check(Expr::col(SingleSignOn::MatchClaim).is_in(["EMAIL", "SUBJECT"])),
                    )
                    .col(boolean(SingleSignOn::SsoOnly))
                    .col(timestamp_with_time_zone(SingleSignOn::CreatedAt))
                    .col(timestamp_with_time_zone(SingleSignOn::UpdatedAt))
                    .foreign_key(&mut fk(
                        "fk_single_sign_on_mission",
                        (SingleSignOn::Table, SingleSignOn::MissionId),
                        (Missions::Table, Missions::Id),
                        Some(ForeignKeyAction::Cascade),
                    ))
                    .take(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(SsoFlows::Table)
                    .col(pk_uuid(SsoFlows::Id))
                    .col(uuid(SsoFlows::MissionId))
                    .col(string_len_uniq(SsoFlows::StateHash, 64))
                    .col(string_len(SsoFlows::BrowserHash, 64))
                    .col(string_len(SsoFlows::Nonce, 128))
                    .col(text(SsoFlows::PkceVerifierSealed))
                    .col(timestamp_with_time_zone(SsoFlows::CreatedAt))
                    .col(timestamp_with_time_zone(SsoFlows::ExpiresAt))
                    .col(timestamp_with_time_zone_null(SsoFlows::UsedAt))
                    .check(Expr::cust("expires_at > created_at"))
                    .foreign_key(&mut fk(
                        "fk_sso_flows_mission",
                        (SsoFlows::Table, SsoFlows::MissionId),
                        (SingleSignOn::Table, SingleSignOn::MissionId),
                        Some(ForeignKeyAction::Cascade),
                    ))
                    .take(),
            )
            .await?;
        manager
            .create_index(index(
                "idx_sso_flows_expires",
                "sso_flows",
                &["expires_at"],
                false,
            ))
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(SsoSubjects::Table)
                    .col(pk_uuid(SsoSubjects::UserId))
                    .col(uuid(SsoSubjects::MissionId))
                    .col(string_len(SsoSubjects::Subject, 255).check(non_blank("subject")))
                    .col(timestamp_with_time_zone(SsoSubjects::CreatedAt))
                    .foreign_key(&mut fk(
                        "fk_sso_subjects_user",
                        (SsoSubjects::Table, SsoSubjects::UserId),
                        (Users::Table, Users::Id),
                        Some(ForeignKeyAction::Cascade),
                    ))
                    .foreign_key(&mut fk(
                        "fk_sso_subjects_mission",
                        (SsoSubjects::Table, SsoSubjects::MissionId),
                        (Missions::Table, Missions::Id),
                        Some(ForeignKeyAction::Cascade),
                    ))
                    .take(),
            )
            .await?;
        manager
            .create_index(index(
                "idx_sso_subjects_mission_subject",
                "sso_subjects",
                &["mission_id", "subject"],
                true,
            ))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(SsoSubjects::Table).take())
            .await?;
        manager
            .drop_table(Table::drop().table(SsoFlows::Table).take())
            .await?;
        manager
            .drop_table(Table::drop().table(SingleSignOn::Table).take())
            .await
    }
}
