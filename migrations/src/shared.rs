//! Helpers every migration uses. They only build statements: changing one
//! must not change the SQL of an applied migration (compare `pg_dump -s`).
use sea_orm_migration::prelude::*;

/// A named foreign key; `on_delete: None` keeps the database default (NO ACTION).
pub fn fk(
    name: &str,
    from: (impl IntoIden, impl IntoIden),
    to: (impl IntoIden, impl IntoIden),
    on_delete: Option<ForeignKeyAction>,
) -> ForeignKeyCreateStatement {
    let mut key = ForeignKey::create()
        .name(name)
        .from(from.0, from.1)
        .to(to.0, to.1)
        .take();
    if let Some(action) = on_delete {
        key.on_delete(action);
    }
    key
}

/// Adds one column to `table` (a migration's `up`).
pub async fn add_column(
    manager: &SchemaManager<'_>,
    table: impl IntoIden,
    mut column: ColumnDef,
) -> Result<(), DbErr> {
    manager
        .alter_table(Table::alter().table(table).add_column(&mut column).take())
        .await
}

/// Drops one column of `table` (the `down` of `add_column`).
pub async fn drop_column(
    manager: &SchemaManager<'_>,
    table: impl IntoIden,
    column: impl IntoIden,
) -> Result<(), DbErr> {
    manager
        .alter_table(Table::alter().table(table).drop_column(column).take())
        .await
}

/// A CHECK that a text column is not empty or only white space.
pub fn non_blank(column: &str) -> Expr {
    Expr::cust(format!("length(trim({column})) > 0"))
}

/// Replaces `table` by `next` (already created): copies `columns`, drops the
/// old table, renames the new one and gives PostgreSQL's implicit
/// constraints their usual names back.
pub async fn swap(
    manager: &SchemaManager<'_>,
    table: &str,
    next: &str,
    columns: &str,
    implicit: &[(&str, &str)],
) -> Result<(), DbErr> {
    let db = manager.get_connection();
    db.execute_unprepared(&format!(
        "INSERT INTO {next} ({columns}) SELECT {columns} FROM {table}"
    ))
    .await?;
    manager
        .drop_table(Table::drop().table(Alias::new(table)).take())
        .await?;
    manager
        .rename_table(
            Table::rename()
                .table(Alias::new(next), Alias::new(table))
                .take(),
        )
        .await?;
    if manager.get_database_backend() == sea_orm::DatabaseBackend::Postgres {
        for (from, to) in implicit {
            db.execute_unprepared(&format!(
                "ALTER TABLE {table} RENAME CONSTRAINT {from} TO {to}"
            ))
            .await?;
        }
    }
    Ok(())
}

pub fn index(name: &str, table: &str, cols: &[&str], unique: bool) -> IndexCreateStatement {
    let mut i = Index::create().name(name).table(Alias::new(table)).take();
    for c in cols {
        i.col(Alias::new(*c));
    }
    if unique {
        i.unique();
    }
    i
}
