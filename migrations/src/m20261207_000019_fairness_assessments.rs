//! Fairness assessments, apart from the monitors' facts (issue 25).
//!
//! - `assessors`: the grant an admin of a country gives one of its own
//!   users to write fairness assessments of that country's cases. Dismissal
//!   deletes the row; the audit trail keeps both steps.
//! - `fairness_assessments`: at most one per case (the case's hearings are
//!   the trial), owned by the case's country; `current_version` is the
//!   latest version's number.
//! - `fairness_assessment_versions`: each save is a new immutable version —
//!   grade, standards applied, reasoning, the observations it cites, author
//!   and time — numbered 1 to 50 (`domain::assessment::MAX_VERSIONS`), a cap
//!   the database holds too.
//! - `fairness_assessment_shares`: the partner countries the owner shared
//!   the assessment with; a share never reveals a case (the policy also
//!   needs the partner to see the case's hearings).
use sea_orm_migration::{prelude::*, schema::*};

use crate::shared::{fk, index, non_blank};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Versions an assessment may have; the server's `MAX_VERSIONS` must equal it.
const MAX_VERSIONS: i32 = 50;

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Cases {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Assessors {
    Table,
    UserId,
    Country,
    AppointedBy,
    AppointedAt,
}

#[derive(DeriveIden)]
enum FairnessAssessments {
    Table,
    Id,
    CaseId,
    OwnerCountry,
    CurrentVersion,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum FairnessAssessmentVersions {
    Table,
    AssessmentId,
    Number,
    Grade,
    Standards,
    Reasoning,
    ObservationIds,
    AuthorId,
    AuthorCountry,
    CreatedAt,
}

#[derive(DeriveIden)]
enum FairnessAssessmentShares {
    Table,
    AssessmentId,
    Country,
    SharedBy,
    SharedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Assessors::Table)
                    .col(uuid(Assessors::UserId).primary_key())
                    .col(string_len(Assessors::Country, 2))
                    .col(uuid(Assessors::AppointedBy))
                    .col(timestamp_with_time_zone(Assessors::AppointedAt))
                    .foreign_key(&mut fk(
                        "fk_assessors_user",
                        (Assessors::Table, Assessors::UserId),
                        (Users::Table, Users::Id),
                        Some(ForeignKeyAction::Cascade),
                    ))
                    .foreign_key(&mut fk(
                        "fk_assessors_appointed_by",
                        (Assessors::Table, Assessors::AppointedBy),
                        (Users::Table, Users::Id),
                        None,
                    ))
                    .take(),
            )
            .await?;
        manager
            .create_index(index(
                "ix_assessors_country",
                "assessors",
                &["country"],
                false,
            ))
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(FairnessAssessments::Table)
                    .col(uuid(FairnessAssessments::Id).primary_key())
                    .col(uuid(FairnessAssessments::CaseId))
                    .col(string_len(FairnessAssessments::OwnerCountry, 2))
                    .col(integer(FairnessAssessments::CurrentVersion))
                    .col(timestamp_with_time_zone(FairnessAssessments::CreatedAt))
                    .col(timestamp_with_time_zone(FairnessAssessments::UpdatedAt))
                    .check(Expr::cust(format!(
                        "current_version BETWEEN 1 AND {MAX_VERSIONS}"
                    )))
                    .foreign_key(&mut fk(
                        "fk_fairness_assessments_case",
                        (FairnessAssessments::Table, FairnessAssessments::CaseId),
                        (Cases::Table, Cases::Id),
                        Some(ForeignKeyAction::Cascade),
                    ))
                    .take(),
            )
            .await?;
        manager
            .create_index(index(
                "ux_fairness_assessments_case",
                "fairness_assessments",
                &["case_id"],
                true,
            ))
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(FairnessAssessmentVersions::Table)
                    .col(uuid(FairnessAssessmentVersions::AssessmentId))
                    .col(integer(FairnessAssessmentVersions::Number))
                    .col(string_len(FairnessAssessmentVersions::Grade, 1))
                    .col(string_len(FairnessAssessmentVersions::Standards, 400))
                    .col(text(FairnessAssessmentVersions::Reasoning))
                    .col(text(FairnessAssessmentVersions::ObservationIds))
                    .col(uuid(FairnessAssessmentVersions::AuthorId))
                    .col(string_len(FairnessAssessmentVersions::AuthorCountry, 2))
                    .col(timestamp_with_time_zone(
                        FairnessAssessmentVersions::CreatedAt,
                    ))
                    .primary_key(
                        Index::create()
                            .col(FairnessAssessmentVersions::AssessmentId)
                            .col(FairnessAssessmentVersions::Number),
                    )
                    .check(Expr::cust(format!("number BETWEEN 1 AND {MAX_VERSIONS}")))
                    .check(Expr::cust("grade IN ('A', 'B', 'C', 'D', 'F')"))
                    .check(non_blank("standards"))
                    .check(non_blank("reasoning"))
                    .foreign_key(&mut fk(
                        "fk_fairness_assessment_versions_assessment",
                        (
                            FairnessAssessmentVersions::Table,
                            FairnessAssessmentVersions::AssessmentId,
                        ),
                        (FairnessAssessments::Table, FairnessAssessments::Id),
                        Some(ForeignKeyAction::Cascade),
                    ))
                    .foreign_key(&mut fk(
                        "fk_fairness_assessment_versions_author",
                        (
                            FairnessAssessmentVersions::Table,
                            FairnessAssessmentVersions::AuthorId,
                        ),
                        (Users::Table, Users::Id),
                        None,
                    ))
                    .take(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(FairnessAssessmentShares::Table)
                    .col(uuid(FairnessAssessmentShares::AssessmentId))
                    .col(string_len(FairnessAssessmentShares::Country, 2))
                    .col(uuid(FairnessAssessmentShares::SharedBy))
                    .col(timestamp_with_time_zone(FairnessAssessmentShares::SharedAt))
                    .primary_key(
                        Index::create()
                            .col(FairnessAssessmentShares::AssessmentId)
                            .col(FairnessAssessmentShares::Country),
                    )
                    .foreign_key(&mut fk(
                        "fk_fairness_assessment_shares_assessment",
                        (
                            FairnessAssessmentShares::Table,
                            FairnessAssessmentShares::AssessmentId,
                        ),
                        (FairnessAssessments::Table, FairnessAssessments::Id),
                        Some(ForeignKeyAction::Cascade),
                    ))
                    .foreign_key(&mut fk(
                        "fk_fairness_assessment_shares_shared_by",
                        (
                            FairnessAssessmentShares::Table,
                            FairnessAssessmentShares::SharedBy,
                        ),
                        (Users::Table, Users::Id),
                        None,
                    ))
                    .take(),
            )
            .await?;
        manager
            .create_index(index(
                "ix_fairness_assessment_shares_country",
                "fairness_assessment_shares",
                &["country", "assessment_id"],
                false,
            ))
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            "fairness_assessment_shares",
            "fairness_assessment_versions",
            "fairness_assessments",
            "assessors",
        ] {
            manager
                .drop_table(Table::drop().table(Alias::new(table)).take())
                .await?;
        }
        Ok(())
    }
}
