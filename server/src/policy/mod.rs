//! What a viewer may see and do: the one place. Every read starts from a scope
//! returned here (so lists, counts and `node(id:)` agree), and every write asks
//! here first. Later areas (cases, hearings, reports, statements) add their
//! modules beside `directory`.
use sea_orm::Condition;
use sea_orm::sea_query::{Expr, ExprTrait};

pub mod audit;
pub mod cases;
pub mod directory;
pub mod hearings;

/// A condition that matches nothing, for scopes that must be empty.
fn nothing() -> Condition {
    Condition::all().add(Expr::val(1).eq(0))
}
