//! Case references: shareable fields, sealed identity, consent, categories,
//! shares (to a country or a coalition) and per-host, per-year reference counters.
use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261125_000001_directory::{Coalitions, Countries, Missions};
use crate::m20261125_000002_auth::Users;
use crate::shared::{fk, non_blank};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
pub enum Cases {
    Table,
    Id,
    Reference,
    OwnerCountry,
    OwnerMissionId,
    HostCountry,
    Pseudonym,
    Region,
    RiskLevel,
    Status,
    Summary,
    LegalNameSealed,
    ContactSealed,
    LocationSealed,
    NotesSealed,
    ConsentShare,
    ConsentTrial,
    ConsentPublic,
    ConsentGivenBy,
    ConsentRecordedAt,
    ConsentRecordedBy,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum CaseCategories {
    Table,
    CaseId,
    Category,
}

#[derive(DeriveIden)]
enum CaseShares {
    Table,
    Id,
    CaseId,
    Country,
    CoalitionId,
    Level,
    CreatedBy,
    CreatedAt,
}

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
            .create_table(
                Table::create()
                    .table(Cases::Table)
                    .col(pk_uuid(Cases::Id))
                    .col(string_len_uniq(Cases::Reference, 32))
                    .col(string_len(Cases::OwnerCountry, 2))
                    .col(uuid(Cases::OwnerMissionId))
                    .col(string_len(Cases::HostCountry, 2))
                    .col(string_len(Cases::Pseudonym, 120))
                    .col(string_len_null(Cases::Region, 120))
                    .col(string_len(Cases::RiskLevel, 16))
                    .col(string_len(Cases::Status, 16))
                    .col(text_null(Cases::Summary))
                    .col(text_null(Cases::LegalNameSealed))
                    .col(text_null(Cases::ContactSealed))
                    .col(text_null(Cases::LocationSealed))
                    .col(text_null(Cases::NotesSealed))
                    .col(boolean(Cases::ConsentShare))
                    .col(boolean(Cases::ConsentTrial))
                    .col(boolean(Cases::ConsentPublic))
                    .col(string_len_null(Cases::ConsentGivenBy, 16))
                    .col(timestamp_with_time_zone_null(Cases::ConsentRecordedAt))
                    .col(uuid_null(Cases::ConsentRecordedBy))
                    .col(uuid(Cases::CreatedBy))
                    .col(timestamp_with_time_zone(Cases::CreatedAt))
                    .col(timestamp_with_time_zone(Cases::UpdatedAt))
                    .foreign_key(&mut fk("fk_cases_owner_country", (Cases::Table, Cases::OwnerCountry), (Countries::Table, Countries::Code), None))
                    .foreign_key(&mut fk("fk_cases_host_country", (Cases::Table, Cases::HostCountry), (Countries::Table, Countries::Code), None))
                    .foreign_key(&mut fk("fk_cases_owner_mission", (Cases::Table, Cases::OwnerMissionId), (Missions::Table, Missions::Id), None))
                    .foreign_key(&mut fk("fk_cases_created_by", (Cases::Table, Cases::CreatedBy), (Users::Table, Users::Id), None))
                    .foreign_key(&mut fk("fk_cases_consent_recorded_by", (Cases::Table, Cases::ConsentRecordedBy), (Users::Table, Users::Id), None))
                    .check(non_blank("pseudonym"))
                    .check(Expr::cust("risk_level IN ('LOW', 'MEDIUM', 'HIGH', 'CRITICAL')"))
                    .check(Expr::cust("status IN ('AT_RISK', 'DETAINED', 'ON_TRIAL', 'RELEASED', 'RELOCATED', 'CLOSED')"))
                    .check(Expr::cust("consent_given_by IS NULL OR consent_given_by IN ('DEFENDER', 'FAMILY', 'REPRESENTATIVE')"))
                    // Consent recorded means who, when and on whose word.
                    .check(Expr::cust("(consent_recorded_at IS NULL) = (consent_given_by IS NULL) AND (consent_recorded_at IS NULL) = (consent_recorded_by IS NULL)"))
                    .check(Expr::cust("consent_recorded_at IS NOT NULL OR NOT (consent_share OR consent_trial OR consent_public)"))
                    .take(),
            )
            .await?;
        for (name, col) in [
            ("ix_cases_owner_country", Cases::OwnerCountry),
            ("ix_cases_updated_at", Cases::UpdatedAt),
        ] {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table(Cases::Table)
                        .col(col)
                        .take(),
                )
                .await?;
        }
        manager
            .create_table(
                Table::create()
                    .table(CaseCategories::Table)
                    .col(uuid(CaseCategories::CaseId))
                    .col(string_len(CaseCategories::Category, 16))
                    .primary_key(Index::create().col(CaseCategories::CaseId).col(CaseCategories::Category))
                    .foreign_key(&mut fk("fk_case_categories_case", (CaseCategories::Table, CaseCategories::CaseId), (Cases::Table, Cases::Id), Some(ForeignKeyAction::Cascade)))
                    .check(Expr::cust("category IN ('WOMAN_HRD', 'ENVIRONMENTAL', 'LAND_RIGHTS', 'INDIGENOUS', 'LGBTI', 'JOURNALIST', 'LAWYER', 'TRADE_UNIONIST', 'STUDENT', 'OTHER')"))
                    .take(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(CaseShares::Table)
                    .col(pk_uuid(CaseShares::Id))
                    .col(uuid(CaseShares::CaseId))
                    .col(string_len_null(CaseShares::Country, 2))
                    .col(uuid_null(CaseShares::CoalitionId))
                    .col(string_len(CaseShares::Level, 8))
                    .col(uuid(CaseShares::CreatedBy))
                    .col(timestamp_with_time_zone(CaseShares::CreatedAt))
                    .foreign_key(&mut fk(
                        "fk_case_shares_case",
                        (CaseShares::Table, CaseShares::CaseId),
                        (Cases::Table, Cases::Id),
                        Some(ForeignKeyAction::Cascade),
                    ))
                    .foreign_key(&mut fk(
                        "fk_case_shares_country",
                        (CaseShares::Table, CaseShares::Country),
                        (Countries::Table, Countries::Code),
                        None,
                    ))
                    .foreign_key(&mut fk(
                        "fk_case_shares_coalition",
                        (CaseShares::Table, CaseShares::CoalitionId),
                        (Coalitions::Table, Coalitions::Id),
                        None,
                    ))
                    .foreign_key(&mut fk(
                        "fk_case_shares_created_by",
                        (CaseShares::Table, CaseShares::CreatedBy),
                        (Users::Table, Users::Id),
                        None,
                    ))
                    .check(Expr::cust("level IN ('SUMMARY', 'DETAIL')"))
                    .check(Expr::cust("(country IS NULL) <> (coalition_id IS NULL)"))
                    .take(),
            )
            .await?;
        for (name, col) in [
            ("ux_case_shares_country", CaseShares::Country),
            ("ux_case_shares_coalition", CaseShares::CoalitionId),
        ] {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table(CaseShares::Table)
                        .col(CaseShares::CaseId)
                        .col(col)
                        .unique()
                        .take(),
                )
                .await?;
        }
        for (name, col) in [
            ("ix_case_shares_by_country", CaseShares::Country),
            ("ix_case_shares_by_coalition", CaseShares::CoalitionId),
        ] {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table(CaseShares::Table)
                        .col(col)
                        .take(),
                )
                .await?;
        }
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
                    .check(Expr::cust("last_number >= 0"))
                    .take(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            CaseReferenceCounters::Table.into_iden(),
            CaseShares::Table.into_iden(),
            CaseCategories::Table.into_iden(),
            Cases::Table.into_iden(),
        ] {
            manager.drop_table(Table::drop().table(t).take()).await?;
        }
        Ok(())
    }
}
