//! What a viewer may see and do: the one place. Every read starts from a scope
//! returned here (so lists, counts and `node(id:)` agree), and every write asks
//! here first. Later areas (cases, hearings, reports, statements) add their
//! modules beside `directory`.
pub mod audit;
pub mod cases;
pub mod directory;
pub mod hearings;
