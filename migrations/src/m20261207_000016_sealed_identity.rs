//! Sealed identity: a defender's identity sealed to the owner country's key,
//! which only its members open (issue 24; docs/SECURITY.md, "Sealed identity").
//!
//! - `member_keys`: each user's HPKE key pair, the private half wrapped by a
//!   key derived from their password (Argon2id, parameters beside it).
//! - `country_keys`: each country's HPKE key pairs. At most one per country
//!   is not `RETIRED` (partial unique index): the `ACTIVE` one, or an
//!   `UNCLAIMED` one the key-ring migration made for a country that had no
//!   key yet. Old keys stay `RETIRED` until nothing is sealed under them.
//! - `country_key_wraps`: a country's private key wrapped to a member
//!   (`MEMBER`), under its recovery key (`RECOVERY`) or under a one-time
//!   claim code (`CLAIM`). Deleting the key deletes its wraps.
//! - `cases.identity_key_id`: the key the four identity fields are sealed
//!   to (`NULL`: sealed under the server's key ring, from before).
//! - `sessions.unlock_sealed`: the member's private key sealed under a
//!   secret only the client holds.
//! - `identity_reveals`: a partner country's request to see an identity,
//!   the owner's decision, and the identity re-sealed to the requester's key
//!   until it expires or is revoked. One open request per case and country.
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
enum Cases {
    Table,
    Id,
    IdentityKeyId,
}

#[derive(DeriveIden)]
enum Sessions {
    Table,
    UnlockSealed,
}

#[derive(DeriveIden)]
enum MemberKeys {
    Table,
    UserId,
    PublicKey,
    PrivateWrapped,
    Kdf,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum CountryKeys {
    Table,
    Id,
    Country,
    PublicKey,
    State,
    CreatedBy,
    CreatedAt,
    RetiredAt,
}

#[derive(DeriveIden)]
enum CountryKeyWraps {
    Table,
    Id,
    KeyId,
    Holder,
    UserId,
    Wrapped,
    GrantedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum IdentityReveals {
    Table,
    Id,
    CaseId,
    OwnerCountry,
    RequestingCountry,
    RequestedBy,
    Motivation,
    State,
    CreatedAt,
    DecidedBy,
    DecidedAt,
    DecisionMotivation,
    ExpiresAt,
    RevokedBy,
    RevokedAt,
    KeyId,
    LegalNameSealed,
    ContactSealed,
    LocationSealed,
    NotesSealed,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        manager
            .create_table(
                Table::create()
                    .table(MemberKeys::Table)
                    .col(uuid(MemberKeys::UserId).primary_key())
                    .col(string_len(MemberKeys::PublicKey, 64))
                    .col(text(MemberKeys::PrivateWrapped))
                    .col(string_len(MemberKeys::Kdf, 120))
                    .col(timestamp_with_time_zone(MemberKeys::CreatedAt))
                    .col(timestamp_with_time_zone(MemberKeys::UpdatedAt))
                    .foreign_key(&mut fk(
                        "fk_member_keys_user",
                        (MemberKeys::Table, MemberKeys::UserId),
                        (Users::Table, Users::Id),
                        Some(ForeignKeyAction::Cascade),
                    ))
                    .take(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(CountryKeys::Table)
                    .col(uuid(CountryKeys::Id).primary_key())
                    .col(string_len(CountryKeys::Country, 2))
                    .col(string_len(CountryKeys::PublicKey, 64))
                    .col(string_len(CountryKeys::State, 9).check(
                        Expr::col(CountryKeys::State).is_in(["ACTIVE", "UNCLAIMED", "RETIRED"]),
                    ))
                    .col(uuid_null(CountryKeys::CreatedBy))
                    .col(timestamp_with_time_zone(CountryKeys::CreatedAt))
                    .col(timestamp_with_time_zone_null(CountryKeys::RetiredAt))
                    .check(Expr::cust("(state = 'RETIRED') = (retired_at IS NOT NULL)"))
                    .foreign_key(&mut fk(
                        "fk_country_keys_created_by",
                        (CountryKeys::Table, CountryKeys::CreatedBy),
                        (Users::Table, Users::Id),
                        Some(ForeignKeyAction::SetNull),
                    ))
                    .take(),
            )
            .await?;
        // One key seals a country's new identities: the partial index holds
        // it against two admins setting up at once.
        db.execute_unprepared(
            "CREATE UNIQUE INDEX ux_country_keys_current ON country_keys (country) WHERE state <> 'RETIRED'",
        )
        .await?;
        manager
            .create_table(
                Table::create()
                    .table(CountryKeyWraps::Table)
                    .col(uuid(CountryKeyWraps::Id).primary_key())
                    .col(uuid(CountryKeyWraps::KeyId))
                    .col(string_len(CountryKeyWraps::Holder, 8).check(
                        Expr::col(CountryKeyWraps::Holder).is_in(["MEMBER", "RECOVERY", "CLAIM"]),
                    ))
                    .col(uuid_null(CountryKeyWraps::UserId))
                    .col(text(CountryKeyWraps::Wrapped))
                    .col(uuid_null(CountryKeyWraps::GrantedBy))
                    .col(timestamp_with_time_zone(CountryKeyWraps::CreatedAt))
                    .check(Expr::cust("(holder = 'MEMBER') = (user_id IS NOT NULL)"))
                    .foreign_key(&mut fk(
                        "fk_country_key_wraps_key",
                        (CountryKeyWraps::Table, CountryKeyWraps::KeyId),
                        (CountryKeys::Table, CountryKeys::Id),
                        Some(ForeignKeyAction::Cascade),
                    ))
                    .foreign_key(&mut fk(
                        "fk_country_key_wraps_user",
                        (CountryKeyWraps::Table, CountryKeyWraps::UserId),
                        (Users::Table, Users::Id),
                        Some(ForeignKeyAction::Cascade),
                    ))
                    .foreign_key(&mut fk(
                        "fk_country_key_wraps_granted_by",
                        (CountryKeyWraps::Table, CountryKeyWraps::GrantedBy),
                        (Users::Table, Users::Id),
                        Some(ForeignKeyAction::SetNull),
                    ))
                    .take(),
            )
            .await?;
        manager
            .create_index(index(
                "ux_country_key_wraps_member",
                "country_key_wraps",
                &["key_id", "user_id"],
                true,
            ))
            .await?;
        manager
            .create_index(index(
                "ix_country_key_wraps_user",
                "country_key_wraps",
                &["user_id"],
                false,
            ))
            .await?;
        // One recovery wrap and one claim wrap per key at most.
        db.execute_unprepared(
            "CREATE UNIQUE INDEX ux_country_key_wraps_keyholder ON country_key_wraps (key_id, holder) WHERE holder <> 'MEMBER'",
        )
        .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Cases::Table)
                    .add_column(uuid_null(Cases::IdentityKeyId))
                    .take(),
            )
            .await?;
        manager
            .create_index(index(
                "ix_cases_identity_key",
                "cases",
                &["identity_key_id"],
                false,
            ))
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Sessions::Table)
                    .add_column(text_null(Sessions::UnlockSealed))
                    .take(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(IdentityReveals::Table)
                    .col(uuid(IdentityReveals::Id).primary_key())
                    .col(uuid(IdentityReveals::CaseId))
                    .col(string_len(IdentityReveals::OwnerCountry, 2))
                    .col(string_len(IdentityReveals::RequestingCountry, 2))
                    .col(uuid(IdentityReveals::RequestedBy))
                    .col(string_len(IdentityReveals::Motivation, 2000))
                    .col(
                        string_len(IdentityReveals::State, 8).check(
                            Expr::col(IdentityReveals::State)
                                .is_in(["PENDING", "APPROVED", "DENIED", "REVOKED"]),
                        ),
                    )
                    .col(timestamp_with_time_zone(IdentityReveals::CreatedAt))
                    .col(uuid_null(IdentityReveals::DecidedBy))
                    .col(timestamp_with_time_zone_null(IdentityReveals::DecidedAt))
                    .col(string_len_null(IdentityReveals::DecisionMotivation, 2000))
                    .col(timestamp_with_time_zone_null(IdentityReveals::ExpiresAt))
                    .col(uuid_null(IdentityReveals::RevokedBy))
                    .col(timestamp_with_time_zone_null(IdentityReveals::RevokedAt))
                    .col(uuid_null(IdentityReveals::KeyId))
                    .col(text_null(IdentityReveals::LegalNameSealed))
                    .col(text_null(IdentityReveals::ContactSealed))
                    .col(text_null(IdentityReveals::LocationSealed))
                    .col(text_null(IdentityReveals::NotesSealed))
                    .check(non_blank("motivation"))
                    .check(Expr::cust("owner_country <> requesting_country"))
                    .check(Expr::cust(
                        "(state = 'PENDING') = (decided_at IS NULL) AND (state <> 'APPROVED' OR expires_at IS NOT NULL)",
                    ))
                    // Sealed copies exist only while approved.
                    .check(Expr::cust(
                        "state = 'APPROVED' OR (key_id IS NULL AND legal_name_sealed IS NULL AND contact_sealed IS NULL AND location_sealed IS NULL AND notes_sealed IS NULL)",
                    ))
                    .foreign_key(&mut fk(
                        "fk_identity_reveals_case",
                        (IdentityReveals::Table, IdentityReveals::CaseId),
                        (Cases::Table, Cases::Id),
                        Some(ForeignKeyAction::Cascade),
                    ))
                    .foreign_key(&mut fk(
                        "fk_identity_reveals_requested_by",
                        (IdentityReveals::Table, IdentityReveals::RequestedBy),
                        (Users::Table, Users::Id),
                        None,
                    ))
                    .foreign_key(&mut fk(
                        "fk_identity_reveals_key",
                        (IdentityReveals::Table, IdentityReveals::KeyId),
                        (CountryKeys::Table, CountryKeys::Id),
                        None,
                    ))
                    .take(),
            )
            .await?;
        manager
            .create_index(index(
                "ix_identity_reveals_case",
                "identity_reveals",
                &["case_id", "created_at"],
                false,
            ))
            .await?;
        manager
            .create_index(index(
                "ix_identity_reveals_requester",
                "identity_reveals",
                &["requesting_country", "state"],
                false,
            ))
            .await?;
        manager
            .create_index(index(
                "ix_identity_reveals_owner",
                "identity_reveals",
                &["owner_country", "state"],
                false,
            ))
            .await?;
        db.execute_unprepared(
            "CREATE UNIQUE INDEX ux_identity_reveals_open ON identity_reveals (case_id, requesting_country) WHERE state = 'PENDING'",
        )
        .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(IdentityReveals::Table).take())
            .await?;
        manager
            .drop_index(
                Index::drop()
                    .name("ix_cases_identity_key")
                    .table(Cases::Table)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Cases::Table)
                    .drop_column(Cases::IdentityKeyId)
                    .take(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Sessions::Table)
                    .drop_column(Sessions::UnlockSealed)
                    .take(),
            )
            .await?;
        for table in [
            CountryKeyWraps::Table.into_iden(),
            CountryKeys::Table.into_iden(),
            MemberKeys::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).take())
                .await?;
        }
        Ok(())
    }
}
