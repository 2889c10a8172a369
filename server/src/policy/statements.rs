//! Who sees which statement, and who may act on it (docs/RULES.md rules 4 and 6).
//!
//! - The lead country and the invited countries (co-penholders included) see
//!   a statement: their mission users (diplomats, coordinators, admins).
//!   Everyone else — liaisons, the operator, other countries, a country
//!   removed from the invitation — gets `NOT_FOUND`, no list entry, no count.
//! - A linked case shows through a statement only as the viewer's own case
//!   visibility allows (the case policy decides).
//! - The lead's coordinators create, invite and finalize; co-penholders'
//!   coordinators revise too; each participating country's diplomats and
//!   coordinators sign (approve, decline, withdraw) for their country.
//!
//! The participant rows are the access index: primary key
//! `(country, statement_id)`, so a country's list is one index range and a
//! count touches only its rows. The list, find and lock are the
//! `Statements` area (`policy::area`).
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, JoinType, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, RelationTrait, Select,
};
use uuid::Uuid;

pub use super::Seen;
use super::area::{self, Area, Order};
use super::counts;
use super::paging::Total;
use super::{Checked, key, nothing};
use crate::auth::Viewer;
use crate::domain::statement::{ParticipantRole, StatementKind, StatementStatus};
use crate::domain::{CountryCode, Role};
use crate::error::{AppError, AppResult};
use crate::store::{case, statement, statement_case, statement_participant, statement_version};

/// A statement and the viewer's country's part in it.
pub type SeenStatement = Seen<statement::Model, ParticipantRole>;

/// The country whose view applies, if the viewer may see statements at all.
pub fn reader_country(viewer: &Viewer) -> Option<CountryCode> {
    match viewer.role {
        Role::Diplomat | Role::Coordinator | Role::Admin => viewer.country,
        Role::Liaison | Role::Operator => None,
    }
}

/// Every statement the viewer's country takes part in.
pub fn visible(viewer: &Viewer) -> Select<statement::Entity> {
    let joined = statement::Entity::find().join(
        JoinType::InnerJoin,
        statement_participant::Relation::Statement.def().rev(),
    );
    match reader_country(viewer) {
        Some(c) => joined.filter(statement_participant::Column::Country.eq(c.as_str())),
        None => joined.filter(nothing()),
    }
}

/// How the statements the viewer sees are counted: on the participant rows
/// alone.
pub fn count_visible(viewer: &Viewer) -> Total {
    match reader_country(viewer) {
        Some(c) => Total::Riding(counts::rows_of(
            statement_participant::Entity::find()
                .filter(statement_participant::Column::Country.eq(c.as_str())),
        )),
        None => Total::Counted(0),
    }
}

/// Loads a query on `visible(viewer)`, each row with the viewer's role.
pub async fn load(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    query: Select<statement::Entity>,
) -> AppResult<Vec<SeenStatement>> {
    if reader_country(viewer).is_none() {
        return Ok(Vec::new());
    }
    let rows = query
        .select_also(statement_participant::Entity)
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(s, p)| {
            let role = ParticipantRole::from_stored(&p?.role)?;
            Some(Seen::at(s, role))
        })
        .collect())
}

/// One statement by id, or `NOT_FOUND` exactly as if it did not exist.
pub async fn find(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    id: Uuid,
) -> AppResult<SeenStatement> {
    area::find::<Statements>(db, viewer, id).await
}

/// For a write: the statement as the viewer sees it under its row lock
/// (`area::lock`).
pub async fn lock(
    txn: &impl ConnectionTrait,
    viewer: &Viewer,
    id: Uuid,
) -> AppResult<SeenStatement> {
    area::lock::<Statements>(txn, viewer, id).await
}

/// The statements area: the participant rows by country, counted on them
/// alone when unfiltered, in id order.
pub struct Statements;

impl Area for Statements {
    type Entity = statement::Entity;
    type Level = ParticipantRole;
    type Filter = StatementFilter;
    type OrderColumn = statement_participant::Column;

    const ID: statement::Column = statement::Column::Id;
    const ORDER: Order<statement_participant::Column> =
        Order::Id(statement_participant::Column::StatementId);

    fn visible(viewer: &Viewer) -> Select<statement::Entity> {
        visible(viewer)
    }

    fn filter(_viewer: &Viewer, f: StatementFilter) -> AppResult<Condition> {
        Ok(filter(f))
    }

    fn count(viewer: &Viewer, f: &StatementFilter) -> Total {
        super::area::when_unfiltered(f, || count_visible(viewer))
    }

    async fn load(
        db: &impl ConnectionTrait,
        viewer: &Viewer,
        query: Select<statement::Entity>,
    ) -> AppResult<Vec<SeenStatement>> {
        load(db, viewer, query).await
    }
}

impl SeenStatement {
    /// The key under which this statement's parts load.
    pub fn key(&self) -> Checked<key::Statement> {
        Checked::new(self.model.id)
    }

    pub fn status(&self) -> AppResult<StatementStatus> {
        StatementStatus::from_stored(&self.model.status)
            .ok_or_else(|| AppError::internal("unknown stored statement status"))
    }

    pub fn kind(&self) -> AppResult<StatementKind> {
        StatementKind::from_stored(&self.model.kind)
            .ok_or_else(|| AppError::internal("unknown stored statement kind"))
    }
}

/// Opening a statement: a coordinator, for their country (which leads it).
pub fn lead_for_new(viewer: &Viewer) -> AppResult<CountryCode> {
    match (viewer.role, viewer.country) {
        (Role::Coordinator, Some(c)) => Ok(c),
        _ => Err(AppError::Forbidden),
    }
}

/// Inviting, finalizing, delivering: the lead country's coordinators.
pub fn may_lead(viewer: &Viewer, s: &SeenStatement) -> AppResult<()> {
    match (s.level, viewer.role) {
        (ParticipantRole::Lead, Role::Coordinator) => Ok(()),
        _ => Err(AppError::Forbidden),
    }
}

/// Revising: the coordinators of the lead and of co-penholders.
pub fn may_revise(viewer: &Viewer, s: &SeenStatement) -> AppResult<()> {
    match (s.level.may_revise(), viewer.role) {
        (true, Role::Coordinator) => Ok(()),
        _ => Err(AppError::Forbidden),
    }
}

/// Signing for a country: its diplomats and coordinators. Returns the country.
pub fn may_sign(viewer: &Viewer, _s: &SeenStatement) -> AppResult<CountryCode> {
    match (viewer.role, reader_country(viewer)) {
        (Role::Diplomat | Role::Coordinator, Some(c)) => Ok(c),
        _ => Err(AppError::Forbidden),
    }
}

/// What a viewer may narrow the list by.
#[derive(Default, PartialEq)]
pub struct StatementFilter {
    pub status: Option<StatementStatus>,
    pub kind: Option<StatementKind>,
    pub host_country: Option<CountryCode>,
}

pub fn filter(f: StatementFilter) -> Condition {
    let mut cond = Condition::all();
    if let Some(s) = f.status {
        cond = cond.add(statement::Column::Status.eq(s.as_str()));
    }
    if let Some(k) = f.kind {
        cond = cond.add(statement::Column::Kind.eq(k.as_str()));
    }
    if let Some(h) = f.host_country {
        cond = cond.add(statement::Column::HostCountry.eq(h.as_str()));
    }
    cond
}

/// Every version (newest last) of statements the viewer sees.
pub async fn versions_of(
    db: &impl ConnectionTrait,
    keys: &[Checked<key::Statement>],
) -> AppResult<Vec<statement_version::Model>> {
    Ok(statement_version::Entity::find()
        .filter(statement_version::Column::StatementId.is_in(keys.iter().map(Checked::uuid)))
        .order_by_asc(statement_version::Column::StatementId)
        .order_by_asc(statement_version::Column::Number)
        .all(db)
        .await?)
}

/// Given versions, `(statement, number)`, of statements the viewer sees, in
/// one query: a field that needs one version does not load them all.
pub async fn versions_numbered(
    db: &impl ConnectionTrait,
    wanted: &[(Checked<key::Statement>, i32)],
) -> AppResult<Vec<statement_version::Model>> {
    use sea_orm::sea_query::{Expr, ExprTrait};
    if wanted.is_empty() {
        return Ok(Vec::new());
    }
    Ok(statement_version::Entity::find()
        .filter(
            Expr::tuple([
                Expr::col(statement_version::Column::StatementId),
                Expr::col(statement_version::Column::Number),
            ])
            .in_tuples(wanted.iter().map(|(k, n)| (k.uuid(), *n))),
        )
        .all(db)
        .await?)
}

/// One version of a statement the viewer sees.
pub async fn version(
    db: &impl ConnectionTrait,
    s: &SeenStatement,
    number: i32,
) -> AppResult<Option<statement_version::Model>> {
    Ok(statement_version::Entity::find_by_id((s.model.id, number))
        .one(db)
        .await?)
}

/// Participants (lead first, then by country) of statements the viewer sees.
pub async fn participants_of(
    db: &impl ConnectionTrait,
    keys: &[Checked<key::Statement>],
) -> AppResult<Vec<statement_participant::Model>> {
    let mut rows = statement_participant::Entity::find()
        .filter(statement_participant::Column::StatementId.is_in(keys.iter().map(Checked::uuid)))
        .all(db)
        .await?;
    rows.sort_by(|a, b| (a.role != "LEAD", &a.country).cmp(&(b.role != "LEAD", &b.country)));
    Ok(rows)
}

/// The cases linked to statements, as far as the viewer sees those cases.
pub async fn linked_cases_of(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    keys: &[Checked<key::Statement>],
) -> AppResult<Vec<(Uuid, Seen<case::Model>)>> {
    if keys.is_empty() {
        return Ok(Vec::new());
    }
    let links = statement_case::Entity::find()
        .filter(statement_case::Column::StatementId.is_in(keys.iter().map(Checked::uuid)))
        .all(db)
        .await?;
    if links.is_empty() {
        return Ok(Vec::new());
    }
    let query = super::cases::visible(viewer)
        .filter(case::Column::Id.is_in(links.iter().map(|l| l.case_id)))
        .order_by_asc(case::Column::Id);
    let seen = super::cases::load(db, viewer, query).await?;
    let mut out: Vec<(Uuid, Seen<case::Model>)> = links
        .iter()
        .filter_map(|l| {
            seen.iter()
                .find(|c| c.model().id == l.case_id)
                .map(|c| (l.statement_id, c.clone()))
        })
        .collect();
    out.sort_by_key(|(_, c)| c.model().id);
    Ok(out)
}

/// At finalization of a public kind: whether a linked case lacks the
/// defender's consent to public advocacy. Every linked case counts, seen by
/// the lead or not (no viewer: the rule, not a read for someone).
pub async fn internal_lacks_public_consent(
    db: &impl ConnectionTrait,
    statement_id: Uuid,
) -> AppResult<bool> {
    let ids: Vec<Uuid> = statement_case::Entity::find()
        .filter(statement_case::Column::StatementId.eq(statement_id))
        .all(db)
        .await?
        .into_iter()
        .map(|l| l.case_id)
        .collect();
    if ids.is_empty() {
        return Ok(false);
    }
    let without = case::Entity::find()
        .filter(case::Column::Id.is_in(ids))
        .filter(case::Column::ConsentPublic.eq(false))
        .count(db)
        .await?;
    Ok(without > 0)
}

/// Every participant row of one statement (for a write already checked).
pub async fn internal_participants(
    db: &impl ConnectionTrait,
    statement_id: Uuid,
) -> AppResult<Vec<statement_participant::Model>> {
    Ok(statement_participant::Entity::find()
        .filter(statement_participant::Column::StatementId.eq(statement_id))
        .all(db)
        .await?)
}
