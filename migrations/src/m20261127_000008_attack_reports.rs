//! Attack reports from civil society (DESIGN.md "Attack report", rules 3 and
//! 5): the report, its attack and perpetrator types, one response per
//! recipient country, links to earlier reports on the same defender, and the
//! report access index (`report_access`: who may read which report, in
//! submission order, so every list is one index range of the reader's rows).
use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261125_000001_directory::{Countries, Organizations};
use crate::m20261125_000002_auth::Users;
use crate::m20261125_000004_cases::Cases;
use crate::shared::{fk, non_blank};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum AttackReports {
    Table,
    Id,
    Reference,
    /// The submitting organization; NULL when a diplomat submitted on behalf
    /// of a source.
    OrganizationId,
    SubmittedBy,
    /// The client's retry key, unique per submitter.
    SubmissionKey,
    /// SHA-256 of the submitted input, so a key reused for other content is
    /// refused instead of answered with the wrong report.
    RequestHash,
    HostCountry,
    Region,
    IncidentDate,
    /// Local wall-clock time `HH:MM`, read in `Timezone`.
    IncidentTime,
    Timezone,
    /// The instant `IncidentTime` means, when given.
    IncidentAt,
    /// The description, sealed like case identity (AEAD, bound to the report).
    DescriptionSealed,
    /// Set when retention erased the description.
    DescriptionErasedAt,
    SubmittedAt,
}

#[derive(DeriveIden)]
enum AttackReportTypes {
    Table,
    ReportId,
    AttackType,
}

#[derive(DeriveIden)]
enum AttackReportPerpetrators {
    Table,
    ReportId,
    PerpetratorType,
}

#[derive(DeriveIden)]
enum AttackReportResponses {
    Table,
    ReportId,
    Country,
    State,
    Note,
    CaseId,
    UpdatedAt,
    UpdatedBy,
    /// When the "still unacknowledged" reminder went to the country (once).
    RenotifiedAt,
}

#[derive(DeriveIden)]
enum AttackReportPriors {
    Table,
    ReportId,
    PriorId,
}

#[derive(DeriveIden)]
enum ReportAccess {
    Table,
    /// A recipient country's code, or the submitting organization's id.
    Reader,
    ReportId,
    /// The report's submission time, copied so that a reader's list is one
    /// index range in (time, id) order.
    SubmittedAt,
}

const ATTACK_TYPES: &str = "'KILLING', 'PHYSICAL_ATTACK', 'THREAT', 'JUDICIAL_HARASSMENT', \
    'ARBITRARY_DETENTION', 'ENFORCED_DISAPPEARANCE', 'SURVEILLANCE', 'SMEAR_CAMPAIGN', 'RAID', \
    'TRAVEL_BAN', 'DIGITAL_ATTACK', 'SEXUAL_VIOLENCE', 'OTHER'";
const PERPETRATOR_TYPES: &str = "'STATE', 'NON_STATE_ARMED', 'CORPORATION', 'PRIVATE_SECURITY', \
    'ORGANIZED_CRIME', 'PRIVATE_INDIVIDUAL', 'UNKNOWN', 'OTHER'";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(AttackReports::Table)
                    .col(pk_uuid(AttackReports::Id))
                    .col(string_len_uniq(AttackReports::Reference, 32))
                    .col(uuid_null(AttackReports::OrganizationId))
                    .col(uuid(AttackReports::SubmittedBy))
                    .col(string_len_null(AttackReports::SubmissionKey, 100))
                    .col(string_len_null(AttackReports::RequestHash, 64))
                    .col(string_len(AttackReports::HostCountry, 2))
                    .col(string_len_null(AttackReports::Region, 120))
                    .col(date(AttackReports::IncidentDate))
                    .col(string_len_null(AttackReports::IncidentTime, 5))
                    .col(string_len_null(AttackReports::Timezone, 64))
                    .col(timestamp_with_time_zone_null(AttackReports::IncidentAt))
                    .col(text_null(AttackReports::DescriptionSealed))
                    .col(timestamp_with_time_zone_null(
                        AttackReports::DescriptionErasedAt,
                    ))
                    .col(timestamp_with_time_zone(AttackReports::SubmittedAt))
                    .foreign_key(&mut fk(
                        "fk_attack_reports_organization",
                        (AttackReports::Table, AttackReports::OrganizationId),
                        (Organizations::Table, Organizations::Id),
                        None,
                    ))
                    .foreign_key(&mut fk(
                        "fk_attack_reports_submitter",
                        (AttackReports::Table, AttackReports::SubmittedBy),
                        (Users::Table, Users::Id),
                        None,
                    ))
                    .foreign_key(&mut fk(
                        "fk_attack_reports_host",
                        (AttackReports::Table, AttackReports::HostCountry),
                        (Countries::Table, Countries::Code),
                        None,
                    ))
                    .check(Expr::cust(
                        "(incident_time IS NULL) = (incident_at IS NULL)",
                    ))
                    .check(Expr::cust("incident_at IS NULL OR timezone IS NOT NULL"))
                    .check(Expr::cust(
                        "(description_sealed IS NULL) = (description_erased_at IS NOT NULL)",
                    ))
                    .check(Expr::cust(
                        "(submission_key IS NULL) = (request_hash IS NULL)",
                    ))
                    .check(non_blank("reference"))
                    .take(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_attack_reports_submission_key")
                    .table(AttackReports::Table)
                    .col(AttackReports::SubmittedBy)
                    .col(AttackReports::SubmissionKey)
                    .unique()
                    .take(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_attack_reports_submitter_time")
                    .table(AttackReports::Table)
                    .col(AttackReports::SubmittedBy)
                    .col(AttackReports::SubmittedAt)
                    .take(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(AttackReportTypes::Table)
                    .col(uuid(AttackReportTypes::ReportId))
                    .col(string_len(AttackReportTypes::AttackType, 32))
                    .primary_key(
                        Index::create()
                            .col(AttackReportTypes::ReportId)
                            .col(AttackReportTypes::AttackType),
                    )
                    .foreign_key(&mut fk(
                        "fk_attack_report_types_report",
                        (AttackReportTypes::Table, AttackReportTypes::ReportId),
                        (AttackReports::Table, AttackReports::Id),
                        Some(ForeignKeyAction::Cascade),
                    ))
                    .check(Expr::cust(format!("attack_type IN ({ATTACK_TYPES})")))
                    .take(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(AttackReportPerpetrators::Table)
                    .col(uuid(AttackReportPerpetrators::ReportId))
                    .col(string_len(AttackReportPerpetrators::PerpetratorType, 32))
                    .primary_key(
                        Index::create()
                            .col(AttackReportPerpetrators::ReportId)
                            .col(AttackReportPerpetrators::PerpetratorType),
                    )
                    .foreign_key(&mut fk(
                        "fk_attack_report_perpetrators_report",
                        (
                            AttackReportPerpetrators::Table,
                            AttackReportPerpetrators::ReportId,
                        ),
                        (AttackReports::Table, AttackReports::Id),
                        Some(ForeignKeyAction::Cascade),
                    ))
                    .check(Expr::cust(format!(
                        "perpetrator_type IN ({PERPETRATOR_TYPES})"
                    )))
                    .take(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(AttackReportResponses::Table)
                    .col(uuid(AttackReportResponses::ReportId))
                    .col(string_len(AttackReportResponses::Country, 2))
                    .col(string_len(AttackReportResponses::State, 16))
                    .col(text_null(AttackReportResponses::Note))
                    .col(uuid_null(AttackReportResponses::CaseId))
                    .col(timestamp_with_time_zone(AttackReportResponses::UpdatedAt))
                    .col(uuid_null(AttackReportResponses::UpdatedBy))
                    .col(timestamp_with_time_zone_null(
                        AttackReportResponses::RenotifiedAt,
                    ))
                    .primary_key(
                        Index::create()
                            .col(AttackReportResponses::ReportId)
                            .col(AttackReportResponses::Country),
                    )
                    .foreign_key(&mut fk(
                        "fk_attack_report_responses_report",
                        (
                            AttackReportResponses::Table,
                            AttackReportResponses::ReportId,
                        ),
                        (AttackReports::Table, AttackReports::Id),
                        Some(ForeignKeyAction::Cascade),
                    ))
                    .foreign_key(&mut fk(
                        "fk_attack_report_responses_country",
                        (AttackReportResponses::Table, AttackReportResponses::Country),
                        (Countries::Table, Countries::Code),
                        None,
                    ))
                    .foreign_key(&mut fk(
                        "fk_attack_report_responses_case",
                        (AttackReportResponses::Table, AttackReportResponses::CaseId),
                        (Cases::Table, Cases::Id),
                        None,
                    ))
                    .foreign_key(&mut fk(
                        "fk_attack_report_responses_user",
                        (
                            AttackReportResponses::Table,
                            AttackReportResponses::UpdatedBy,
                        ),
                        (Users::Table, Users::Id),
                        None,
                    ))
                    .check(Expr::cust(
                        "state IN ('RECEIVED', 'ACKNOWLEDGED', 'LINKED', 'NO_ACTION', 'ESCALATED')",
                    ))
                    .check(Expr::cust("(state = 'LINKED') = (case_id IS NOT NULL)"))
                    .check(Expr::cust("state <> 'RECEIVED' OR updated_by IS NULL"))
                    .take(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_attack_report_responses_case")
                    .table(AttackReportResponses::Table)
                    .col(AttackReportResponses::CaseId)
                    .take(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_attack_report_responses_state")
                    .table(AttackReportResponses::Table)
                    .col(AttackReportResponses::State)
                    .col(AttackReportResponses::UpdatedAt)
                    .take(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(AttackReportPriors::Table)
                    .col(uuid(AttackReportPriors::ReportId))
                    .col(uuid(AttackReportPriors::PriorId))
                    .primary_key(
                        Index::create()
                            .col(AttackReportPriors::ReportId)
                            .col(AttackReportPriors::PriorId),
                    )
                    .foreign_key(&mut fk(
                        "fk_attack_report_priors_report",
                        (AttackReportPriors::Table, AttackReportPriors::ReportId),
                        (AttackReports::Table, AttackReports::Id),
                        Some(ForeignKeyAction::Cascade),
                    ))
                    .foreign_key(&mut fk(
                        "fk_attack_report_priors_prior",
                        (AttackReportPriors::Table, AttackReportPriors::PriorId),
                        (AttackReports::Table, AttackReports::Id),
                        Some(ForeignKeyAction::Cascade),
                    ))
                    .check(Expr::cust("report_id <> prior_id"))
                    .take(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ReportAccess::Table)
                    .col(string_len(ReportAccess::Reader, 40))
                    .col(uuid(ReportAccess::ReportId))
                    .col(timestamp_with_time_zone(ReportAccess::SubmittedAt))
                    .primary_key(
                        Index::create()
                            .col(ReportAccess::Reader)
                            .col(ReportAccess::ReportId),
                    )
                    .foreign_key(&mut fk(
                        "fk_report_access_report",
                        (ReportAccess::Table, ReportAccess::ReportId),
                        (AttackReports::Table, AttackReports::Id),
                        Some(ForeignKeyAction::Cascade),
                    ))
                    .take(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_report_access_order")
                    .table(ReportAccess::Table)
                    .col(ReportAccess::Reader)
                    .col(ReportAccess::SubmittedAt)
                    .col(ReportAccess::ReportId)
                    .unique()
                    .take(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_report_access_report")
                    .table(ReportAccess::Table)
                    .col(ReportAccess::ReportId)
                    .take(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            ReportAccess::Table.into_iden(),
            AttackReportPriors::Table.into_iden(),
            AttackReportResponses::Table.into_iden(),
            AttackReportPerpetrators::Table.into_iden(),
            AttackReportTypes::Table.into_iden(),
            AttackReports::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).take())
                .await?;
        }
        Ok(())
    }
}
