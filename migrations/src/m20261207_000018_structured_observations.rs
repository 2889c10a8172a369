//! Observations monitors can stand behind: structured on the OSCE/ODIHR
//! trial-monitoring manual and TrialWatch (courtroom access and how, public
//! and press access, who was present in categories, counsel's access,
//! interpretation, duration, adjournment and its reason, notable events,
//! notes), submitted once and then corrected only by amendments that say
//! why (`amendment_reason`, NULL exactly for the first submission).
//!
//! Both tables are rebuilt (SQLite cannot add CHECKs or drop the boolean
//! columns the enums replace), and their rows folded:
//! - `attended` becomes `courtroom_access` GRANTED / DENIED;
//! - `public_access` true / false / NULL becomes OPEN / CLOSED / NOT_OBSERVED,
//!   `access_to_counsel` UNRESTRICTED / DENIED / NOT_OBSERVED,
//!   `interpretation` PROVIDED / NOT_PROVIDED / NULL (not recorded);
//! - press access was not recorded (NOT_OBSERVED), nor who was present (no
//!   category), nor the duration; `adjourned` is the outcome ADJOURNED;
//! - an amendment made before reasons were asked for gets the reason
//!   `LEGACY_REASON`, so that "amended" and "has a reason" stay one fact.
//!
//! A denied observer (outcome ACCESS_DENIED) reports no one present; the
//! old rule that only ACCESS_DENIED goes with not attending holds both ways
//! now for new rows (the service checks it; old rows that attended with the
//! outcome ACCESS_DENIED keep it, so the CHECK here is the old one-way rule).
use sea_orm_migration::{prelude::*, schema::*};

use crate::shared::{fk, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Amendments an observation may have (as m20261206_000013).
const MAX_REVISIONS: i32 = 20;
/// Bits of the `present` mask: the server's `domain::observation::PRESENT_BITS`.
const PRESENT_BITS: i32 = 9;
/// The reason given to amendments made before reasons were asked for.
const LEGACY_REASON: &str = "amended before amendments recorded a reason";

#[derive(DeriveIden)]
enum Observations {
    Id,
    HearingId,
    ObserverId,
    Country,
    SubmittedAt,
}

#[derive(DeriveIden)]
enum ObservationRevisions {
    ObservationId,
    Revision,
    SubmittedAt,
    AmendedAt,
}

#[derive(DeriveIden)]
enum Content {
    CourtroomAccess,
    AccessNote,
    PublicAccess,
    PressAccess,
    Present,
    CounselAccess,
    Interpretation,
    DurationMinutes,
    Adjourned,
    AdjournmentReason,
    Outcome,
    DefendantPresent,
    IllTreatmentAlleged,
    NotableEvents,
    Notes,
    AmendmentReason,
}

#[derive(DeriveIden)]
enum Hearings {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

const OBSERVATIONS_NEXT: &str = "observations_next";
const REVISIONS_NEXT: &str = "observation_revisions_next";

/// The content columns and their CHECKs, the same in both tables.
fn content(t: &mut TableCreateStatement) -> &mut TableCreateStatement {
    t.col(string_len(Content::CourtroomAccess, 24))
        .col(text_null(Content::AccessNote))
        .col(string_len(Content::PublicAccess, 16))
        .col(string_len(Content::PressAccess, 16))
        .col(integer(Content::Present))
        .col(string_len(Content::CounselAccess, 16))
        .col(string_len_null(Content::Interpretation, 16))
        .col(integer_null(Content::DurationMinutes))
        .col(boolean(Content::Adjourned))
        .col(text_null(Content::AdjournmentReason))
        .col(string_len(Content::Outcome, 24))
        .col(boolean_null(Content::DefendantPresent))
        .col(boolean_null(Content::IllTreatmentAlleged))
        .col(text_null(Content::NotableEvents))
        .col(text_null(Content::Notes))
        .col(text_null(Content::AmendmentReason))
        .check(Expr::cust(
            "courtroom_access IN ('GRANTED', 'GRANTED_AFTER_DELAY', 'DENIED')",
        ))
        .check(Expr::cust(
            "public_access IN ('OPEN', 'RESTRICTED', 'CLOSED', 'NOT_OBSERVED')",
        ))
        .check(Expr::cust(
            "press_access IN ('OPEN', 'RESTRICTED', 'CLOSED', 'NOT_OBSERVED')",
        ))
        .check(Expr::cust(format!(
            "present >= 0 AND present < {}",
            1 << PRESENT_BITS
        )))
        .check(Expr::cust(
            "counsel_access IN ('UNRESTRICTED', 'RESTRICTED', 'DENIED', 'NOT_OBSERVED')",
        ))
        .check(Expr::cust(
            "interpretation IS NULL OR interpretation IN ('PROVIDED', 'INADEQUATE', 'NOT_PROVIDED', 'NOT_NEEDED')",
        ))
        .check(Expr::cust(
            "duration_minutes IS NULL OR duration_minutes BETWEEN 0 AND 1440",
        ))
        .check(Expr::cust("adjourned OR adjournment_reason IS NULL"))
        .check(Expr::cust(
            "outcome IN ('ACCESS_DENIED', 'ADJOURNED', 'HEARD', 'VERDICT', 'POSTPONED', 'OTHER')",
        ))
        .check(Expr::cust(
            "courtroom_access <> 'DENIED' OR (outcome = 'ACCESS_DENIED' AND present = 0)",
        ))
        .check(Expr::cust(
            "access_note IS NULL OR length(access_note) <= 500",
        ))
        .check(Expr::cust(
            "adjournment_reason IS NULL OR length(adjournment_reason) <= 500",
        ))
        .check(Expr::cust(
            "notable_events IS NULL OR length(notable_events) <= 4000",
        ))
        .check(Expr::cust(
            "amendment_reason IS NULL OR length(amendment_reason) <= 1000",
        ))
}

fn observations_table() -> TableCreateStatement {
    let t = Alias::new(OBSERVATIONS_NEXT);
    let mut table = Table::create()
        .table(t.clone())
        .col(pk_uuid(Observations::Id))
        .col(uuid(Observations::HearingId))
        .col(uuid(Observations::ObserverId))
        .col(string_len(Observations::Country, 2))
        .col(timestamp_with_time_zone(Observations::SubmittedAt))
        .col(timestamp_with_time_zone_null(
            ObservationRevisions::AmendedAt,
        ))
        .foreign_key(&mut fk(
            "fk_observations_hearing",
            (t.clone(), Observations::HearingId),
            (Hearings::Table, Hearings::Id),
            Some(ForeignKeyAction::Cascade),
        ))
        .foreign_key(&mut fk(
            "fk_observations_observer",
            (t, Observations::ObserverId),
            (Users::Table, Users::Id),
            Some(ForeignKeyAction::Restrict),
        ))
        .check(Expr::cust(
            "(amended_at IS NULL) = (amendment_reason IS NULL)",
        ))
        .check(Expr::cust(
            "amended_at IS NULL OR amended_at >= submitted_at",
        ))
        .take();
    content(&mut table);
    table
}

fn revisions_table() -> TableCreateStatement {
    let t = Alias::new(REVISIONS_NEXT);
    let mut table = Table::create()
        .table(t.clone())
        .col(uuid(ObservationRevisions::ObservationId))
        .col(integer(ObservationRevisions::Revision))
        .col(timestamp_with_time_zone(ObservationRevisions::SubmittedAt))
        .col(timestamp_with_time_zone(ObservationRevisions::AmendedAt))
        .primary_key(
            Index::create()
                .col(ObservationRevisions::ObservationId)
                .col(ObservationRevisions::Revision),
        )
        .foreign_key(&mut fk(
            "fk_observation_revisions_observation",
            (t, ObservationRevisions::ObservationId),
            (Alias::new(OBSERVATIONS_NEXT), Observations::Id),
            Some(ForeignKeyAction::Cascade),
        ))
        .check(Expr::cust(format!(
            "revision BETWEEN 1 AND {MAX_REVISIONS}"
        )))
        .check(Expr::cust("(revision = 1) = (amendment_reason IS NULL)"))
        .check(Expr::cust("amended_at >= submitted_at"))
        .take();
    content(&mut table);
    table
}

/// The new content columns from an old row (`r`), the amendment reason
/// given as `reason`.
fn folded(reason: &str) -> String {
    format!(
        "CASE WHEN r.attended THEN 'GRANTED' ELSE 'DENIED' END, NULL, \
         CASE WHEN r.public_access THEN 'OPEN' WHEN NOT r.public_access THEN 'CLOSED' ELSE 'NOT_OBSERVED' END, \
         'NOT_OBSERVED', 0, \
         CASE WHEN r.access_to_counsel THEN 'UNRESTRICTED' WHEN NOT r.access_to_counsel THEN 'DENIED' ELSE 'NOT_OBSERVED' END, \
         CASE WHEN r.interpretation THEN 'PROVIDED' WHEN NOT r.interpretation THEN 'NOT_PROVIDED' ELSE NULL END, \
         NULL, r.outcome = 'ADJOURNED', NULL, r.outcome, r.defendant_present, r.ill_treatment_alleged, \
         NULL, r.notes, {reason}"
    )
}

const CONTENT: &str = "courtroom_access, access_note, public_access, press_access, present, \
     counsel_access, interpretation, duration_minutes, adjourned, adjournment_reason, outcome, \
     defendant_present, ill_treatment_alleged, notable_events, notes, amendment_reason";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.create_table(observations_table()).await?;
        manager.create_table(revisions_table()).await?;
        let db = manager.get_connection();
        let legacy = format!("'{LEGACY_REASON}'");
        db.execute_unprepared(&format!(
            "INSERT INTO {OBSERVATIONS_NEXT} (id, hearing_id, observer_id, country, submitted_at, amended_at, {CONTENT}) \
             SELECT r.id, r.hearing_id, r.observer_id, r.country, r.submitted_at, r.amended_at, {} \
             FROM observations r",
            folded(&format!(
                "CASE WHEN r.amended_at IS NULL THEN NULL ELSE {legacy} END"
            )),
        ))
        .await?;
        db.execute_unprepared(&format!(
            "INSERT INTO {REVISIONS_NEXT} (observation_id, revision, submitted_at, amended_at, {CONTENT}) \
             SELECT r.observation_id, r.revision, r.submitted_at, r.amended_at, {} \
             FROM observation_revisions r",
            folded(&format!(
                "CASE WHEN r.revision = 1 THEN NULL ELSE {legacy} END"
            )),
        ))
        .await?;
        for table in ["observation_revisions", "observations"] {
            manager
                .drop_table(Table::drop().table(Alias::new(table)).take())
                .await?;
        }
        for (from, to) in [
            (OBSERVATIONS_NEXT, "observations"),
            (REVISIONS_NEXT, "observation_revisions"),
        ] {
            manager
                .rename_table(
                    Table::rename()
                        .table(Alias::new(from), Alias::new(to))
                        .take(),
                )
                .await?;
        }
        if manager.get_database_backend() == sea_orm::DatabaseBackend::Postgres {
            for (table, from, to) in [
                (
                    "observations",
                    "observations_next_pkey",
                    "observations_pkey",
                ),
                (
                    "observation_revisions",
                    "observation_revisions_next_pkey",
                    "observation_revisions_pkey",
                ),
            ] {
                db.execute_unprepared(&format!(
                    "ALTER TABLE {table} RENAME CONSTRAINT {from} TO {to}"
                ))
                .await?;
            }
        }
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
        // Forward only: the enums say more than the booleans they replaced.
        Err(DbErr::Migration(
            "m20261207_000018_structured_observations cannot be reverted".into(),
        ))
    }
}
