//! Hand-overs of roster claims: a diplomat offers their claim to a named
//! colleague or openly; on acceptance the claim moves to the taker with its
//! place. One open offer per claim (a partial unique index), and the
//! states' invariants are CHECKs, so no writer can leave an offer half
//! decided. A released claim leaves its offers' history (`claim_id` NULL).
use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261125_000002_auth::Users;
use crate::shared::fk;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Hearings {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum RosterClaims {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum ClaimOffers {
    Table,
    Id,
    HearingId,
    ClaimId,
    OfferedBy,
    /// The offerer's country when offering (the claim's country).
    OfferedByCountry,
    /// NULL: an open offer, to anyone eligible.
    OfferedTo,
    State,
    CreatedAt,
    ExpiresAt,
    DecidedAt,
    TakenBy,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ClaimOffers::Table)
                    .col(pk_uuid(ClaimOffers::Id))
                    .col(uuid(ClaimOffers::HearingId))
                    .col(uuid_null(ClaimOffers::ClaimId))
                    .col(uuid(ClaimOffers::OfferedBy))
                    .col(string_len(ClaimOffers::OfferedByCountry, 2))
                    .col(uuid_null(ClaimOffers::OfferedTo))
                    .col(string_len(ClaimOffers::State, 16))
                    .col(timestamp_with_time_zone(ClaimOffers::CreatedAt))
                    .col(timestamp_with_time_zone(ClaimOffers::ExpiresAt))
                    .col(timestamp_with_time_zone_null(ClaimOffers::DecidedAt))
                    .col(uuid_null(ClaimOffers::TakenBy))
                    .foreign_key(&mut fk(
                        "fk_claim_offers_hearing",
                        (ClaimOffers::Table, ClaimOffers::HearingId),
                        (Hearings::Table, Hearings::Id),
                        Some(ForeignKeyAction::Cascade),
                    ))
                    .foreign_key(&mut fk(
                        "fk_claim_offers_claim",
                        (ClaimOffers::Table, ClaimOffers::ClaimId),
                        (RosterClaims::Table, RosterClaims::Id),
                        Some(ForeignKeyAction::SetNull),
                    ))
                    .foreign_key(&mut fk(
                        "fk_claim_offers_offered_by",
                        (ClaimOffers::Table, ClaimOffers::OfferedBy),
                        (Users::Table, Users::Id),
                        Some(ForeignKeyAction::Cascade),
                    ))
                    .foreign_key(&mut fk(
                        "fk_claim_offers_offered_to",
                        (ClaimOffers::Table, ClaimOffers::OfferedTo),
                        (Users::Table, Users::Id),
                        Some(ForeignKeyAction::Cascade),
                    ))
                    .foreign_key(&mut fk(
                        "fk_claim_offers_taken_by",
                        (ClaimOffers::Table, ClaimOffers::TakenBy),
                        (Users::Table, Users::Id),
                        Some(ForeignKeyAction::Cascade),
                    ))
                    .check(Expr::cust(
                        "state IN ('OPEN', 'ACCEPTED', 'DECLINED', 'WITHDRAWN', 'EXPIRED', 'CANCELLED')",
                    ))
                    // Open exactly while undecided, and an open offer has its claim.
                    .check(Expr::cust(
                        "(state = 'OPEN' AND decided_at IS NULL AND claim_id IS NOT NULL) \
                         OR (state <> 'OPEN' AND decided_at IS NOT NULL)",
                    ))
                    // A taker exactly when accepted, never the offerer.
                    .check(Expr::cust(
                        "(state = 'ACCEPTED' AND taken_by IS NOT NULL AND taken_by <> offered_by) \
                         OR (state <> 'ACCEPTED' AND taken_by IS NULL)",
                    ))
                    .check(Expr::cust(
                        "offered_to IS NULL OR offered_to <> offered_by",
                    ))
                    // Only a named colleague declines.
                    .check(Expr::cust("state <> 'DECLINED' OR offered_to IS NOT NULL"))
                    .take(),
            )
            .await?;
        let db = manager.get_connection();
        db.execute_unprepared(
            "CREATE UNIQUE INDEX ux_claim_offers_one_open ON claim_offers (claim_id) \
             WHERE state = 'OPEN'",
        )
        .await?;
        for (name, cols) in [
            ("ix_claim_offers_hearing", "hearing_id, state"),
            ("ix_claim_offers_offered_to", "offered_to, state"),
            ("ix_claim_offers_offered_by", "offered_by, state"),
        ] {
            db.execute_unprepared(&format!("CREATE INDEX {name} ON claim_offers ({cols})"))
                .await?;
        }
        Ok(())
    }
}
