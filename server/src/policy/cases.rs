//! Who sees which case, at which level (docs/RULES.md "Visibility", rules 1, 5, 6).
//!
//! - The owner country's mission users (diplomats, coordinators, admins) see
//!   it all: `OWNER`.
//! - Another country sees it only while the defender's consent to share
//!   holds, through shares to that country or to a coalition it belongs to
//!   *now*; the highest such level applies.
//! - Liaisons and the operator see no case. Anyone else: it does not exist.
//!
//! The rule itself is computed per change into the access index
//! (`policy::access`); here it is read back by the viewer's country, so
//! lists, counts, filters and single reads all start from the same scope and
//! cost what the viewer sees, not what the database holds. The filter and search rule
//! (a field the viewer cannot read never drives a filter) lives here too.
//! The list, find and lock are the `Cases` area (`policy::area`).
use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, Func, LikeExpr, Query};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, JoinType, QueryFilter, QueryOrder,
    QuerySelect, RelationTrait, Select,
};
use uuid::Uuid;

pub use super::Seen;
use super::area::{self, Area, Order};
use super::paging::{Loaded, Total};
use super::{Checked, counts, key, nothing};
use crate::auth::Viewer;
use crate::domain::case::{CaseCategory, CaseStatus, RiskLevel, Visibility};
use crate::domain::{CountryCode, Role};
use crate::error::{AppError, AppResult};
use crate::msg;
use crate::store::{case, case_access, case_category, case_share};

/// The country whose view applies, if the viewer may see cases at all.
pub(super) fn reader_country(viewer: &Viewer) -> Option<CountryCode> {
    match viewer.role {
        Role::Diplomat | Role::Coordinator | Role::Admin => viewer.country,
        Role::Liaison | Role::Operator => None,
    }
}

/// The stored levels at or above `min`, highest first.
fn levels_from(min: Visibility) -> Vec<&'static str> {
    Visibility::ALL
        .iter()
        .rev()
        .filter(|v| **v >= min)
        .map(|v| v.as_str())
        .collect()
}

/// The order of case pages: the access index's own column, so that a page
/// is one range of the index `(country, case_id)` whatever the table's size
/// (ordering by `cases.id` let PostgreSQL walk the cases table instead).
pub const PAGE_ORDER: case_access::Column = case_access::Column::CaseId;

/// Every case the viewer may see, at any level: the cases joined to the
/// viewer's country's rows of the access index, so a page in id order is one
/// index range and a count touches only those rows.
pub fn visible(viewer: &Viewer) -> Select<case::Entity> {
    // The same shape for everyone, so filters on the joined level apply.
    let joined =
        case::Entity::find().join(JoinType::InnerJoin, case_access::Relation::Case.def().rev());
    match reader_country(viewer) {
        Some(country) => joined.filter(case_access::Column::Country.eq(country.as_str())),
        None => joined.filter(nothing()),
    }
}

/// Loads a query on `visible(viewer)` with the viewer's level on each row,
/// in one statement, and the page's riding count with them when given.
pub async fn load_counted(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    query: Select<case::Entity>,
    total: Option<&Expr>,
) -> AppResult<Loaded<Seen<case::Model>>> {
    if reader_country(viewer).is_none() {
        return Ok(Vec::new().into());
    }
    // Read by position: the page's rows by name cost more than the rest of
    // its request.
    area::load_by_position(
        db,
        query,
        case_access::Column::Level,
        Visibility::from_stored,
        total,
    )
    .await
}

/// Loads a query on `visible(viewer)` with the viewer's level on each row,
/// in one statement.
pub async fn load(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    query: Select<case::Entity>,
) -> AppResult<Vec<Seen<case::Model>>> {
    Ok(load_counted(db, viewer, query, None).await?.rows)
}

/// `country`'s level on each of `cases`, from the access index, in one query.
pub(super) async fn country_levels(
    db: &impl ConnectionTrait,
    country: CountryCode,
    cases: &[case::Model],
) -> AppResult<HashMap<Uuid, Visibility>> {
    if cases.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(case_access::Entity::find()
        .filter(case_access::Column::Country.eq(country.as_str()))
        .filter(case_access::Column::CaseId.is_in(cases.iter().map(|c| c.id)))
        .all(db)
        .await?
        .into_iter()
        .filter_map(|a| Some((a.case_id, Visibility::from_stored(&a.level)?)))
        .collect())
}

/// The viewer's level on each of `cases` (all taken from `visible`), in one query.
pub async fn levels(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    cases: Vec<case::Model>,
) -> AppResult<Vec<Seen<case::Model>>> {
    let Some(country) = reader_country(viewer) else {
        return Ok(Vec::new());
    };
    let by_id = country_levels(db, country, &cases).await?;
    Ok(cases
        .into_iter()
        .filter_map(|c| by_id.get(&c.id).copied().map(|level| Seen::at(c, level)))
        .collect())
}

/// One case by id, or `NOT_FOUND` exactly as if it did not exist.
pub async fn find(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    id: Uuid,
) -> AppResult<Seen<case::Model>> {
    area::find::<Cases>(db, viewer, id).await
}

/// One case by its reference, as `find`.
pub async fn find_by_reference(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    reference: &str,
) -> AppResult<Seen<case::Model>> {
    let query = visible(viewer)
        .filter(case::Column::Reference.eq(crate::domain::reference::normalize(reference)));
    load(db, viewer, query)
        .await?
        .pop()
        .ok_or(AppError::NotFound)
}

/// For a write: the case as the viewer sees it under its row lock
/// (`area::lock`), so a concurrent consent withdrawal or unshare cannot
/// slip between the check and the write.
pub async fn lock(
    txn: &impl ConnectionTrait,
    viewer: &Viewer,
    id: Uuid,
) -> AppResult<Seen<case::Model>> {
    area::lock::<Cases>(txn, viewer, id).await
}

/// The cases area: the access index by country, counted by its count row
/// when unfiltered and on the index rows when narrowed by summary fields,
/// paged in the index's own order.
pub struct Cases;

impl Area for Cases {
    type Entity = case::Entity;
    type Level = Visibility;
    type Filter = CaseFilter;
    type OrderColumn = case_access::Column;

    const ID: case::Column = case::Column::Id;
    const ORDER: Order<case_access::Column> = Order::Id(PAGE_ORDER);

    fn visible(viewer: &Viewer) -> Select<case::Entity> {
        visible(viewer)
    }

    fn filter(_viewer: &Viewer, f: CaseFilter) -> AppResult<Condition> {
        filter(f)
    }

    fn count(viewer: &Viewer, f: &CaseFilter) -> Total {
        count(viewer, f)
    }

    async fn load(
        db: &impl ConnectionTrait,
        viewer: &Viewer,
        query: Select<case::Entity>,
    ) -> AppResult<Vec<Seen<case::Model>>> {
        load(db, viewer, query).await
    }

    async fn load_page(
        db: &impl ConnectionTrait,
        viewer: &Viewer,
        query: Select<case::Entity>,
        total: Option<&Expr>,
    ) -> AppResult<Loaded<Seen<case::Model>>> {
        load_counted(db, viewer, query, total).await
    }
}

impl Seen<case::Model> {
    /// The key under which this case's categories load.
    pub fn key(&self) -> Checked<key::Case> {
        Checked::new(self.model.id)
    }
}

/// The key under which this case's shares load: the owner country only.
pub fn sharing_key(case: &Seen<case::Model>) -> Option<Checked<key::Sharing>> {
    may_read_sharing(case).then(|| Checked::new(case.model.id))
}

/// Categories of cases the viewer sees.
pub async fn categories_of(
    db: &impl ConnectionTrait,
    keys: &[Checked<key::Case>],
) -> AppResult<Vec<case_category::Model>> {
    Ok(case_category::Entity::find()
        .filter(case_category::Column::CaseId.is_in(keys.iter().map(Checked::uuid)))
        .all(db)
        .await?)
}

/// Shares of cases the viewer's country owns.
pub async fn shares_of(
    db: &impl ConnectionTrait,
    keys: &[Checked<key::Sharing>],
) -> AppResult<Vec<case_share::Model>> {
    // Read by position (`store::positional`), as the page they belong to.
    let query = case_share::Entity::find()
        .filter(case_share::Column::CaseId.is_in(keys.iter().map(Checked::uuid)))
        .order_by_asc(case_share::Column::CreatedAt)
        .order_by_asc(case_share::Column::Id);
    Ok(crate::store::positional::all(db, query).await?)
}

/// Changing a case or anything under it (fields, consent, shares,
/// hearings): the owner country's coordinators and admins.
pub fn may_edit_at(viewer: &Viewer, level: Visibility) -> AppResult<()> {
    match (level, viewer.role) {
        (Visibility::Owner, Role::Coordinator | Role::Admin) => Ok(()),
        _ => Err(AppError::Forbidden),
    }
}

pub fn may_edit(viewer: &Viewer, case: &Seen<case::Model>) -> AppResult<()> {
    may_edit_at(viewer, case.level)
}

/// Opening a case: coordinators and admins, for their own country.
pub fn owner_for_new_case(viewer: &Viewer) -> AppResult<(CountryCode, Uuid)> {
    match (viewer.role, viewer.country, viewer.mission_id) {
        (Role::Coordinator | Role::Admin, Some(c), Some(m)) => Ok((c, m)),
        _ => Err(AppError::Forbidden),
    }
}

/// Identity (name, contact, exact location, notes): the owner country only.
pub fn may_read_identity(case: &Seen<case::Model>) -> bool {
    case.level == Visibility::Owner
}

/// Consent and the list of shares: the owner country only.
pub fn may_read_sharing(case: &Seen<case::Model>) -> bool {
    case.level == Visibility::Owner
}

/// Fields beyond the summary (pseudonym, region, summary, owner, dates).
pub fn may_read_detail(case: &Seen<case::Model>) -> bool {
    case.level >= Visibility::Detail
}

/// What a viewer may narrow the case list by.
#[derive(Default, PartialEq)]
pub struct CaseFilter {
    pub host_country: Option<CountryCode>,
    pub status: Option<CaseStatus>,
    pub risk_level: Option<RiskLevel>,
    pub category: Option<CaseCategory>,
    pub updated_since: Option<DateTime<Utc>>,
    pub search: Option<String>,
}

impl CaseFilter {
    /// Narrowed only by fields the index rows carry (host country, status,
    /// risk level): counted on the index alone.
    fn on_index_alone(&self) -> bool {
        self.category.is_none() && self.updated_since.is_none() && self.search.is_none()
    }
}

/// The filter's summary fields, as a condition on the index rows.
fn summary(f: &CaseFilter) -> Condition {
    let mut cond = Condition::all();
    if let Some(h) = f.host_country {
        cond = cond.add(case_access::Column::HostCountry.eq(h.as_str()));
    }
    if let Some(s) = f.status {
        cond = cond.add(case_access::Column::Status.eq(s.as_str()));
    }
    if let Some(r) = f.risk_level {
        cond = cond.add(case_access::Column::RiskLevel.eq(r.as_str()));
    }
    cond
}

/// The viewer's index rows narrowed by `f`, when the index rows answer it
/// alone (only summary fields in it): exactly the rows of `visible(viewer)`
/// narrowed by `filter(f)`, since every index row has its case (foreign
/// key). `None` when the cases themselves must be counted, or when the
/// viewer sees no case.
pub fn index_rows(viewer: &Viewer, f: &CaseFilter) -> Option<Select<case_access::Entity>> {
    let country = reader_country(viewer)?;
    f.on_index_alone().then(|| {
        case_access::Entity::find()
            .filter(case_access::Column::Country.eq(country.as_str()))
            .filter(summary(f))
    })
}

/// How the cases the viewer sees narrowed by `f` are counted: by the index
/// alone when it can (the count row when unfiltered, else the viewer's
/// index rows, one range of `(country, status, case_id)` when narrowed by
/// status), riding on the page's statement; else the cases themselves.
fn count(viewer: &Viewer, f: &CaseFilter) -> Total {
    let Some(country) = reader_country(viewer) else {
        return Total::Counted(0);
    };
    if *f == CaseFilter::default() {
        return Total::Riding(counts::row(counts::Index::Cases, country.as_str()));
    }
    match index_rows(viewer, f) {
        Some(rows) => Total::Riding(counts::rows_of(rows)),
        None => Total::OfScope,
    }
}

/// The longest search text.
pub const MAX_SEARCH: usize = 100;

fn contains(col: case::Column, needle: &str) -> Condition {
    let escaped = needle
        .to_lowercase()
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    Condition::all().add(
        Expr::expr(Func::lower(Expr::col(col)))
            .like(LikeExpr::new(format!("%{escaped}%")).escape('\\')),
    )
}

/// The filter as a condition on the viewer's scope (`visible`). A field the viewer cannot
/// read never drives it: the summary fields (host country, status, risk,
/// categories, reference) filter everywhere; the update time and the DETAIL
/// texts (pseudonym, region, summary) only on cases seen at DETAIL or above.
pub fn filter(f: CaseFilter) -> AppResult<Condition> {
    let mut cond = Condition::all();
    // The summary fields on the index row (equal to the case's by their
    // foreign key): a page narrowed by status is one index range.
    cond = cond.add(summary(&f));
    if let Some(c) = f.category {
        cond = cond.add(
            case::Column::Id.in_subquery(
                Query::select()
                    .column(case_category::Column::CaseId)
                    .from(case_category::Entity)
                    .and_where(case_category::Column::Category.eq(c.as_str()))
                    .to_owned(),
            ),
        );
    }
    // Within `visible`, the viewer's level is the joined access row's.
    let detail =
        || Condition::all().add(case_access::Column::Level.is_in(levels_from(Visibility::Detail)));
    if let Some(since) = f.updated_since {
        cond = cond.add(detail()).add(case::Column::UpdatedAt.gte(since));
    }
    if let Some(search) = f.search {
        let needle = search.trim();
        if needle.chars().count() > MAX_SEARCH {
            return Err(AppError::bad_input(
                "filter.search",
                msg!("input-too-long", max = MAX_SEARCH),
            ));
        }
        if !needle.is_empty() {
            cond = cond.add(
                Condition::any()
                    .add(contains(case::Column::Reference, needle))
                    .add(
                        Condition::all().add(detail()).add(
                            Condition::any()
                                .add(contains(case::Column::Pseudonym, needle))
                                .add(contains(case::Column::Region, needle))
                                .add(contains(case::Column::Summary, needle)),
                        ),
                    ),
            );
        }
    }
    Ok(cond)
}
