//! The outbox's lease gets a token. Just before it hands a message to the
//! SMTP server, a sender checks that the lease is still the one it took: a
//! sender held up past its lease (the database restarting under it, a stall)
//! must not send a message another replica has taken and sent since.
use sea_orm_migration::{prelude::*, schema::*};

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
        manager
            .alter_table(
                Table::alter()
                    .table(Outbox::Table)
                    .add_column(uuid_null(Outbox::LeaseToken))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Outbox::Table)
                    .drop_column(Outbox::LeaseToken)
                    .to_owned(),
            )
            .await
    }
}
