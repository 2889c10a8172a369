//! What a viewer may see and do: the one place. Every read starts from a scope
//! returned here (so lists, counts and `node(id:)` agree), and every write asks
//! here first, inside its own transaction. Later areas (reports, statements)
//! have their modules beside `cases` and `hearings` (`reports`).
//!
//! Two types carry the policy's answer out of this module, and only this
//! module can build them: `Seen<T>` (a row and the level it is seen at) and
//! `Checked<K>` (an id the viewer was allowed to reach, the only key the
//! per-request loaders accept).
//!
//! `policy/cases.rs` owns the filter and search rule (a field the viewer cannot
//! read never drives a filter); `policy/hearings.rs` makes hearings visible to
//! the owner country and where the case is seen at `DETAIL` while consent to
//! trial observation stands, and decides which claims lost sight. Writes ask
//! the policy, lock the row, and ask again inside the same transaction
//! (`policy::*::lock`): an id the viewer cannot see stops before any lock, so
//! it costs and answers exactly like a missing one.
//!
//! `policy/access.rs` computes the visibility rule once per change into two
//! index tables — `case_access (country, case, level, hearings)` and
//! `hearing_access (country, start, hearing, level)` — rewritten in the
//! transaction of every change that moves visibility (a case created, consent,
//! a share, a coalition's members, a hearing scheduled or moved). Every scope
//! joins them by the viewer's country, so a page is one index range in the
//! connection's order, its level comes with the row, and an unfiltered count is
//! one row of `access_counts` (`policy/counts.rs`, adjusted by one upsert in
//! the transaction of every index change, in key order so that writers never
//! deadlock on them): a request costs what the viewer sees, not what the
//! database holds. The leak oracles check after every round that the maintained
//! index equals the rule recomputed from scratch.
//!
//! `policy/reports.rs` makes attack reports visible to the submitting
//! organization and the recipient countries through a third index,
//! `report_access (reader, submitted_at, report)`, written with the report
//! since who may read a report never changes. `policy/statements.rs` makes a
//! statement visible to the countries with a row in `statement_participants`,
//! which doubles as its access index, and decides who may lead, revise and
//! sign. `policy/gate.rs` is a test that fails the build on any direct read of
//! guarded rows outside `policy/` and `store/`.
//!
//! Each visible area (cases, hearings, reports, statements) has one shape,
//! `area::Area`: scope, filter, count, load, lock and order, declared once
//! per area; `find`, `lock` and lists are generic over it.
use std::fmt;
use std::hash::{Hash, Hasher};
use std::marker::PhantomData;

use sea_orm::Condition;
use sea_orm::sea_query::{Expr, ExprTrait};
use uuid::Uuid;

use crate::domain::case::Visibility;

pub use area::{Area, Order, SeenIn};
pub use paging::{Position, Positioned};

pub mod access;
pub mod area;
pub mod assessments;
pub mod audit;
pub mod cases;
pub mod counts;
pub mod directory;
#[cfg(test)]
mod gate;
pub mod hearings;
pub mod offers;
pub mod paging;
pub mod reports;
pub mod reveals;
pub mod statements;

/// A condition that matches nothing, for scopes that must be empty.
fn nothing() -> Condition {
    Condition::all().add(Expr::val(1).eq(0))
}

/// A row together with the level at which the viewer sees it. Its fields
/// are private to the policy, so holding one proves the policy was asked,
/// and nothing outside can swap the row for another.
/// `L` is how the viewer stands to the row: a case level for cases and
/// hearings, a `reports::Sight` for attack reports.
#[derive(Clone, Debug)]
pub struct Seen<T, L = Visibility> {
    model: T,
    level: L,
}

impl<T, L: Copy> Seen<T, L> {
    fn at(model: T, level: L) -> Self {
        Seen { model, level }
    }

    pub fn model(&self) -> &T {
        &self.model
    }

    pub fn level(&self) -> L {
        self.level
    }

    pub fn into_model(self) -> T {
        self.model
    }
}

/// What a `Checked` id was checked for.
pub mod key {
    /// A case the viewer sees (any level): its categories may load.
    pub enum Case {}
    /// A case the viewer's country owns: its shares may load.
    pub enum Sharing {}
    /// A hearing the viewer sees: its roster and observations may load.
    pub enum Hearing {}
    /// An observation of a hearing the viewer sees: its history may load.
    pub enum Observation {}
    /// A user the viewer may know as an observer.
    pub enum Observer {}
    /// An attack report the viewer sees: its types, responses, earlier
    /// reports and linked cases may load (each through its own scope).
    pub enum Report {}
    /// A statement the viewer's country takes part in: its versions,
    /// participants and linked cases may load.
    pub enum Statement {}
}

/// An id the policy let this viewer reach, for the purpose `K`. The per-request
/// loaders key by these, so nothing can load by a bare id.
pub struct Checked<K> {
    id: Uuid,
    _for: PhantomData<fn() -> K>,
}

impl<K> Checked<K> {
    fn new(id: Uuid) -> Self {
        Checked {
            id,
            _for: PhantomData,
        }
    }

    pub fn uuid(&self) -> Uuid {
        self.id
    }
}

impl<K> Clone for Checked<K> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<K> Copy for Checked<K> {}
impl<K> PartialEq for Checked<K> {
    fn eq(&self, other: &Self) -> bool {
        self.id == other.id
    }
}
impl<K> Eq for Checked<K> {}
impl<K> Hash for Checked<K> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.id.hash(state)
    }
}
impl<K> fmt::Debug for Checked<K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Checked({})", self.id)
    }
}
