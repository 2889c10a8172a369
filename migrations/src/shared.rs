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

/// A CHECK that a text column is not empty or only white space.
pub fn non_blank(column: &str) -> Expr {
    Expr::cust(format!("length(trim({column})) > 0"))
}
