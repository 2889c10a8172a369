//! One observation per observer and hearing, editable, with its history
//! (what trial monitors expect, and a bound on what a hearing holds).
//!
//! `observations` becomes unique per (hearing, observer); an amendment
//! rewrites the row in place and keeps the content it replaces in
//! `observation_revisions`, numbered 1 (the first submission) to 20 — the
//! cap on amendments, held by the database too (CHECK, and the primary key).
//! `submitted_at` stays the first submission; `amended_at` is when the
//! current content was written.
//!
//! Rows written before, when each submission was a new row, are folded: per
//! (hearing, observer) the latest becomes the observation (its id is kept),
//! the earlier ones become its revisions. Past the cap the original and the
//! 19 most recent earlier ones are kept (each revision's `amended_at` is
//! when it was really replaced, so a gap shows where rows were dropped).
use sea_orm_migration::{prelude::*, schema::*};

use crate::shared::{fk, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Amendments an observation may have (SECURITY.md, "query cost"); the
/// server's `MAX_AMENDMENTS` must equal it.
const MAX_REVISIONS: i32 = 20;

#[derive(DeriveIden)]
enum Observations {
    Table,
    Id,
    AmendedAt,
}

#[derive(DeriveIden)]
enum ObservationRevisions {
    Table,
    ObservationId,
    Revision,
    Attended,
    Outcome,
    PublicAccess,
    DefendantPresent,
    AccessToCounsel,
    Interpretation,
    IllTreatmentAlleged,
    Notes,
    SubmittedAt,
    AmendedAt,
}

const CONTENT: &str = "attended, outcome, public_access, defendant_present, access_to_counsel, interpretation, ill_treatment_alleged, notes, submitted_at";

/// Per (hearing, observer): each row's rank from the oldest and from the
/// newest, and when the next row replaced it.
const RANKED: &str = "SELECT id, hearing_id, observer_id, attended, outcome, public_access, defendant_present, \
     access_to_counsel, interpretation, ill_treatment_alleged, notes, submitted_at, \
     ROW_NUMBER() OVER (PARTITION BY hearing_id, observer_id ORDER BY submitted_at, id) AS oldest, \
     ROW_NUMBER() OVER (PARTITION BY hearing_id, observer_id ORDER BY submitted_at DESC, id DESC) AS newest, \
     LEAD(submitted_at) OVER (PARTITION BY hearing_id, observer_id ORDER BY submitted_at, id) AS replaced_at \
     FROM observations";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Observations::Table)
                    .add_column(timestamp_with_time_zone_null(Observations::AmendedAt))
                    .take(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ObservationRevisions::Table)
                    .col(uuid(ObservationRevisions::ObservationId))
                    .col(integer(ObservationRevisions::Revision))
                    .col(boolean(ObservationRevisions::Attended))
                    .col(string_len(ObservationRevisions::Outcome, 24))
                    .col(boolean_null(ObservationRevisions::PublicAccess))
                    .col(boolean_null(ObservationRevisions::DefendantPresent))
                    .col(boolean_null(ObservationRevisions::AccessToCounsel))
                    .col(boolean_null(ObservationRevisions::Interpretation))
                    .col(boolean_null(ObservationRevisions::IllTreatmentAlleged))
                    .col(text_null(ObservationRevisions::Notes))
                    .col(timestamp_with_time_zone(ObservationRevisions::SubmittedAt))
                    .col(timestamp_with_time_zone(ObservationRevisions::AmendedAt))
                    .primary_key(
                        Index::create()
                            .col(ObservationRevisions::ObservationId)
                            .col(ObservationRevisions::Revision),
                    )
                    .foreign_key(&mut fk(
                        "fk_observation_revisions_observation",
                        (
                            ObservationRevisions::Table,
                            ObservationRevisions::ObservationId,
                        ),
                        (Observations::Table, Observations::Id),
                        Some(ForeignKeyAction::Cascade),
                    ))
                    .check(Expr::cust(format!(
                        "revision BETWEEN 1 AND {MAX_REVISIONS}"
                    )))
                    .check(Expr::cust(
                        "outcome IN ('ACCESS_DENIED', 'ADJOURNED', 'HEARD', 'VERDICT', 'POSTPONED', 'OTHER')",
                    ))
                    .check(Expr::cust("attended OR outcome = 'ACCESS_DENIED'"))
                    .check(Expr::cust("amended_at >= submitted_at"))
                    .take(),
            )
            .await?;

        // Fold: the earlier rows of each (hearing, observer) become the
        // latest row's revisions — the original and the most recent ones.
        let db = manager.get_connection();
        db.execute_unprepared(&format!(
            "INSERT INTO observation_revisions (observation_id, revision, {CONTENT}, amended_at) \
             SELECT cur.id, kept.revision, {kept_content}, kept.replaced_at \
             FROM (SELECT r.*, ROW_NUMBER() OVER (PARTITION BY hearing_id, observer_id ORDER BY submitted_at, id) AS revision \
                   FROM ({RANKED}) r \
                   WHERE r.newest > 1 AND (r.oldest = 1 OR r.newest <= {MAX_REVISIONS})) kept \
             JOIN ({RANKED}) cur \
               ON cur.hearing_id = kept.hearing_id AND cur.observer_id = kept.observer_id AND cur.newest = 1",
            kept_content = CONTENT
                .split(", ")
                .map(|c| format!("kept.{c}"))
                .collect::<Vec<_>>()
                .join(", "),
        ))
        .await?;
        db.execute_unprepared(&format!(
            "DELETE FROM observations WHERE id IN (SELECT id FROM ({RANKED}) r WHERE r.newest > 1)"
        ))
        .await?;
        // The survivor's content is an amendment, written when it was
        // submitted; the observation was first submitted with revision 1.
        db.execute_unprepared(
            "UPDATE observations SET amended_at = submitted_at, \
             submitted_at = (SELECT MIN(r.submitted_at) FROM observation_revisions r WHERE r.observation_id = observations.id) \
             WHERE id IN (SELECT observation_id FROM observation_revisions)",
        )
        .await?;

        manager
            .drop_index(
                Index::drop()
                    .name("ix_observations_hearing")
                    .table(Observations::Table)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "ux_observations_hearing_observer",
                "observations",
                &["hearing_id", "observer_id"],
                true,
            ))
            .await?;
        Ok(())
    }

    async fn down(&self, _manager: &SchemaManager) -> Result<(), DbErr> {
        // Forward only: going back would have to turn revisions into rows
        // again, and the rows dropped past the cap are gone.
        Err(DbErr::Migration(
            "m20261206_000013_observation_history cannot be reverted".into(),
        ))
    }
}
