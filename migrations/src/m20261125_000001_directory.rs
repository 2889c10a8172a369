//! Countries, missions, organizations and coalitions.
use sea_orm_migration::{prelude::*, schema::*};

use crate::shared::{fk, non_blank};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
pub enum Countries {
    Table,
    Code,
    Name,
}

#[derive(DeriveIden)]
pub enum Missions {
    Table,
    Id,
    Country,
    HostCountry,
    City,
    Name,
    Timezone,
    CreatedAt,
}

#[derive(DeriveIden)]
pub enum Organizations {
    Table,
    Id,
    Name,
    HostCountry,
    CreatedAt,
}

#[derive(DeriveIden)]
pub enum Coalitions {
    Table,
    Id,
    Name,
    HostCountry,
    ConvenerCountry,
    CreatedAt,
}

#[derive(DeriveIden)]
pub enum CoalitionMembers {
    Table,
    CoalitionId,
    Country,
    AddedAt,
}

/// Code → name rows for every ISO 3166-1 alpha-2 country plus the EU, so that
/// every country column can be a foreign key.
fn country_rows() -> Vec<(String, String)> {
    let mut rows: Vec<(String, String)> = isocountry::CountryCode::iter()
        .map(|c| (c.alpha2().to_owned(), c.name().to_owned()))
        .collect();
    rows.push(("EU".to_owned(), "European Union".to_owned()));
    rows.sort();
    rows.dedup_by(|a, b| a.0 == b.0);
    rows
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Countries::Table)
                    .col(string_len(Countries::Code, 2).primary_key())
                    .col(string_len(Countries::Name, 100))
                    .check(Expr::cust("length(code) = 2"))
                    .take(),
            )
            .await?;
        let mut insert = Query::insert()
            .into_table(Countries::Table)
            .columns([Countries::Code, Countries::Name])
            .take();
        for (code, name) in country_rows() {
            insert.values_panic([code.into(), name.into()]);
        }
        manager.exec_stmt(insert).await?;

        manager
            .create_table(
                Table::create()
                    .table(Missions::Table)
                    .col(pk_uuid(Missions::Id))
                    .col(string_len(Missions::Country, 2))
                    .col(string_len(Missions::HostCountry, 2))
                    .col(string_len(Missions::City, 100))
                    .col(string_len(Missions::Name, 200))
                    .col(string_len(Missions::Timezone, 64))
                    .col(timestamp_with_time_zone(Missions::CreatedAt))
                    .foreign_key(&mut fk(
                        "fk_missions_country",
                        (Missions::Table, Missions::Country),
                        (Countries::Table, Countries::Code),
                        Some(ForeignKeyAction::Restrict),
                    ))
                    .foreign_key(&mut fk(
                        "fk_missions_host_country",
                        (Missions::Table, Missions::HostCountry),
                        (Countries::Table, Countries::Code),
                        Some(ForeignKeyAction::Restrict),
                    ))
                    .check(non_blank("name"))
                    .check(non_blank("city"))
                    .check(non_blank("timezone"))
                    .take(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_missions_country_name")
                    .table(Missions::Table)
                    .col(Missions::Country)
                    .col(Missions::Name)
                    .unique()
                    .take(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Organizations::Table)
                    .col(pk_uuid(Organizations::Id))
                    .col(string_len(Organizations::Name, 200))
                    .col(string_len(Organizations::HostCountry, 2))
                    .col(timestamp_with_time_zone(Organizations::CreatedAt))
                    .foreign_key(&mut fk(
                        "fk_organizations_host_country",
                        (Organizations::Table, Organizations::HostCountry),
                        (Countries::Table, Countries::Code),
                        Some(ForeignKeyAction::Restrict),
                    ))
                    .check(non_blank("name"))
                    .take(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_organizations_host_name")
                    .table(Organizations::Table)
                    .col(Organizations::HostCountry)
                    .col(Organizations::Name)
                    .unique()
                    .take(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Coalitions::Table)
                    .col(pk_uuid(Coalitions::Id))
                    .col(string_len(Coalitions::Name, 200))
                    .col(string_len(Coalitions::HostCountry, 2))
                    .col(string_len(Coalitions::ConvenerCountry, 2))
                    .col(timestamp_with_time_zone(Coalitions::CreatedAt))
                    .foreign_key(&mut fk(
                        "fk_coalitions_host_country",
                        (Coalitions::Table, Coalitions::HostCountry),
                        (Countries::Table, Countries::Code),
                        Some(ForeignKeyAction::Restrict),
                    ))
                    .foreign_key(&mut fk(
                        "fk_coalitions_convener",
                        (Coalitions::Table, Coalitions::ConvenerCountry),
                        (Countries::Table, Countries::Code),
                        Some(ForeignKeyAction::Restrict),
                    ))
                    .check(non_blank("name"))
                    .take(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_coalitions_convener_name")
                    .table(Coalitions::Table)
                    .col(Coalitions::ConvenerCountry)
                    .col(Coalitions::Name)
                    .unique()
                    .take(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(CoalitionMembers::Table)
                    .col(uuid(CoalitionMembers::CoalitionId))
                    .col(string_len(CoalitionMembers::Country, 2))
                    .col(timestamp_with_time_zone(CoalitionMembers::AddedAt))
                    .primary_key(
                        Index::create()
                            .col(CoalitionMembers::CoalitionId)
                            .col(CoalitionMembers::Country),
                    )
                    .foreign_key(&mut fk(
                        "fk_coalition_members_coalition",
                        (CoalitionMembers::Table, CoalitionMembers::CoalitionId),
                        (Coalitions::Table, Coalitions::Id),
                        Some(ForeignKeyAction::Restrict),
                    ))
                    .foreign_key(&mut fk(
                        "fk_coalition_members_country",
                        (CoalitionMembers::Table, CoalitionMembers::Country),
                        (Countries::Table, Countries::Code),
                        Some(ForeignKeyAction::Restrict),
                    ))
                    .take(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_coalition_members_country")
                    .table(CoalitionMembers::Table)
                    .col(CoalitionMembers::Country)
                    .take(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(CoalitionMembers::Table).take())
            .await?;
        manager
            .drop_table(Table::drop().table(Coalitions::Table).take())
            .await?;
        manager
            .drop_table(Table::drop().table(Organizations::Table).take())
            .await?;
        manager
            .drop_table(Table::drop().table(Missions::Table).take())
            .await?;
        manager
            .drop_table(Table::drop().table(Countries::Table).take())
            .await
    }
}
