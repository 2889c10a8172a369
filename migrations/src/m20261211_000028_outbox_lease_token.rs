//! The outbox's lease gets a token. Just before it hands a message to the
//! SMTP server, a sender checks that the lease is still the one it took: a
//! sender held up past its lease (the database restarting under it, a stall)
//! must not send a message another replica has taken and sent since.
use sea_orm_migration::{prelude::*, schema::*};

use crate::shared::{add_column, drop_column};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Outbox {
    Table,
    /// Written with each lease; NULL when no sender holds the message.
    LeaseToken,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        add_column(manager, Outbox::Table, uuid_null(Outbox::LeaseToken)).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_column(manager, Outbox::Table, Outbox::LeaseToken).await
    }
}
