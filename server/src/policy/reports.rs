//! Who sees which attack report (docs/RULES.md rules 3 and 5).
//!
//! - The submitting organization's liaisons see its reports (their own
//!   organization's only) and every response on them.
//! - Each recipient country's mission users (diplomats, coordinators,
//!   admins) see the reports sent to their country. A diplomat who submits
//!   on behalf of a source makes their own country a recipient.
//! - A case linked to a report shows only to viewers who see that case (the
//!   case policy decides); an earlier report named as prior shows only to
//!   viewers who see it.
//! - The operator, and everyone else, see none: `NOT_FOUND`, no list entry,
//!   no count.
//!
//! Who may read a report is fixed when it is submitted (its organization and
//! recipients do not change), so the report access index (`report_access`)
//! is written in the same transaction as the report, and every scope here
//! reads it by the viewer's reader key, in submission order. The list, find
//! and lock are the `Reports` area (`policy::area`).
use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sea_query::Query;
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, JoinType, QueryFilter, QueryOrder,
    QuerySelect, RelationTrait, Select,
};
use uuid::Uuid;

pub use super::Seen;
use super::area::{self, Area, Order};
use super::counts;
use super::paging::Total;
use super::{Checked, key, nothing};
use crate::auth::Viewer;
use crate::domain::report::{AttackType, ResponseState};
use crate::domain::{CountryCode, Role};
use crate::error::{AppError, AppResult};
use crate::msg;
use crate::store::{
    attack_report, attack_report_perpetrator, attack_report_prior, attack_report_response,
    attack_report_type, case, report_access,
};

/// How a viewer stands to a report they see.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sight {
    /// Their country is a recipient: it has a response to triage.
    Recipient(CountryCode),
    /// Their organization submitted it.
    Submitter,
}

/// A seen report.
pub type SeenReport = Seen<attack_report::Model, Sight>;

/// Whose rows of the report access index a viewer reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reader {
    Country(CountryCode),
    Organization(Uuid),
}

impl Reader {
    /// The index key: a country code (two letters) or an organization's id
    /// (36 characters), so the two can never collide.
    pub fn key(self) -> String {
        match self {
            Reader::Country(c) => c.as_str().to_owned(),
            Reader::Organization(id) => id.to_string(),
        }
    }

    fn sight(self) -> Sight {
        match self {
            Reader::Country(c) => Sight::Recipient(c),
            Reader::Organization(_) => Sight::Submitter,
        }
    }
}

/// The reader key of a viewer, if they may see reports at all.
pub fn reader(viewer: &Viewer) -> Option<Reader> {
    match (viewer.role, viewer.country, viewer.organization_id) {
        (Role::Diplomat | Role::Coordinator | Role::Admin, Some(c), _) => Some(Reader::Country(c)),
        (Role::Liaison, _, Some(org)) => Some(Reader::Organization(org)),
        _ => None,
    }
}

/// Every report the viewer may see: the reports joined to the viewer's rows
/// of the access index (so a page in submission order is one index range,
/// and a count touches only those rows).
pub fn visible(viewer: &Viewer) -> Select<attack_report::Entity> {
    let joined = attack_report::Entity::find().join(
        JoinType::InnerJoin,
        report_access::Relation::Report.def().rev(),
    );
    match reader(viewer) {
        Some(r) => joined.filter(report_access::Column::Reader.eq(r.key())),
        None => joined.filter(nothing()),
    }
}

/// How the reports the viewer sees are counted: the index's count row for
/// the viewer's reader key, riding on the page's statement.
pub fn count_visible(viewer: &Viewer) -> Total {
    match reader(viewer) {
        Some(r) => Total::Riding(counts::row(counts::Index::Reports, &r.key())),
        None => Total::Counted(0),
    }
}

/// Loads a query on `visible(viewer)`, each row with the viewer's sight.
pub async fn load(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    query: Select<attack_report::Entity>,
) -> AppResult<Vec<SeenReport>> {
    let Some(r) = reader(viewer) else {
        return Ok(Vec::new());
    };
    Ok(query
        .all(db)
        .await?
        .into_iter()
        .map(|m| Seen::at(m, r.sight()))
        .collect())
}

/// One report by id, or `NOT_FOUND` exactly as if it did not exist.
pub async fn find(db: &impl ConnectionTrait, viewer: &Viewer, id: Uuid) -> AppResult<SeenReport> {
    area::find::<Reports>(db, viewer, id).await
}

/// For a write: the report as the viewer sees it under its row lock
/// (`area::lock`).
pub async fn lock(txn: &impl ConnectionTrait, viewer: &Viewer, id: Uuid) -> AppResult<SeenReport> {
    area::lock::<Reports>(txn, viewer, id).await
}

/// The reports area: the report access index by reader, counted by its
/// count row when unfiltered, newest submission first.
pub struct Reports;

impl Area for Reports {
    type Entity = attack_report::Entity;
    type Level = Sight;
    type Filter = ReportFilter;
    type OrderColumn = report_access::Column;

    const ID: attack_report::Column = attack_report::Column::Id;
    const ORDER: Order<report_access::Column> = Order::NewestFirst(
        report_access::Column::SubmittedAt,
        report_access::Column::ReportId,
    );

    fn visible(viewer: &Viewer) -> Select<attack_report::Entity> {
        visible(viewer)
    }

    fn filter(viewer: &Viewer, f: ReportFilter) -> AppResult<Condition> {
        filter(viewer, f)
    }

    fn count(viewer: &Viewer, f: &ReportFilter) -> Total {
        super::area::when_unfiltered(f, || count_visible(viewer))
    }

    async fn load(
        db: &impl ConnectionTrait,
        viewer: &Viewer,
        query: Select<attack_report::Entity>,
    ) -> AppResult<Vec<SeenReport>> {
        load(db, viewer, query).await
    }
}

/// The viewer's own earlier submission under `key`, if they can still see it.
pub async fn find_submission(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    key: &str,
) -> AppResult<Option<SeenReport>> {
    let query = visible(viewer)
        .filter(attack_report::Column::SubmittedBy.eq(viewer.user_id))
        .filter(attack_report::Column::SubmissionKey.eq(key));
    Ok(load(db, viewer, query).await?.pop())
}

/// Of `ids`, the reports the viewer sees (for naming earlier reports).
pub async fn visible_among(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    ids: &[Uuid],
) -> AppResult<Vec<SeenReport>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    load(
        db,
        viewer,
        visible(viewer).filter(attack_report::Column::Id.is_in(ids.iter().copied())),
    )
    .await
}

impl SeenReport {
    /// The key under which this report's parts load.
    pub fn key(&self) -> Checked<key::Report> {
        Checked::new(self.model.id)
    }
}

/// Submitting: a liaison for their organization, or a diplomat or
/// coordinator on behalf of a source (their country then receives it too).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Submitter {
    Organization(Uuid),
    Mission(CountryCode),
}

pub fn submitter(viewer: &Viewer) -> AppResult<Submitter> {
    match (viewer.role, viewer.organization_id, viewer.country) {
        (Role::Liaison, Some(org), _) => Ok(Submitter::Organization(org)),
        (Role::Diplomat | Role::Coordinator, _, Some(c)) => Ok(Submitter::Mission(c)),
        _ => Err(AppError::Forbidden),
    }
}

/// Triage: a recipient country's diplomats and coordinators, on their own
/// country's response. Returns that country.
pub fn may_triage(viewer: &Viewer, report: &SeenReport) -> AppResult<CountryCode> {
    match (report.level, viewer.role) {
        (Sight::Recipient(c), Role::Diplomat | Role::Coordinator) => Ok(c),
        _ => Err(AppError::Forbidden),
    }
}

/// What a viewer may narrow the report list by. Every field is one the
/// viewer reads on each report they see.
#[derive(Default, PartialEq)]
pub struct ReportFilter {
    /// A recipient country's viewer: the state of their own country's
    /// response. The submitting organization: any response in that state.
    pub state: Option<ResponseState>,
    pub attack_type: Option<AttackType>,
    pub host_country: Option<CountryCode>,
    /// Incident date, inclusive.
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

/// The filter as a condition on `visible(viewer)`.
pub fn filter(viewer: &Viewer, f: ReportFilter) -> AppResult<Condition> {
    let mut cond = Condition::all();
    if let (Some(from), Some(to)) = (f.from, f.to)
        && to < from
    {
        return Err(AppError::bad_input(
            "filter.to",
            msg!("input-must-not-be-before-from"),
        ));
    }
    if let Some(state) = f.state {
        let mut responses = Query::select()
            .column(attack_report_response::Column::ReportId)
            .from(attack_report_response::Entity)
            .and_where(attack_report_response::Column::State.eq(state.as_str()))
            .to_owned();
        if let Some(Reader::Country(c)) = reader(viewer) {
            responses.and_where(attack_report_response::Column::Country.eq(c.as_str()));
        }
        cond = cond.add(attack_report::Column::Id.in_subquery(responses));
    }
    if let Some(t) = f.attack_type {
        cond = cond.add(
            attack_report::Column::Id.in_subquery(
                Query::select()
                    .column(attack_report_type::Column::ReportId)
                    .from(attack_report_type::Entity)
                    .and_where(attack_report_type::Column::AttackType.eq(t.as_str()))
                    .to_owned(),
            ),
        );
    }
    if let Some(h) = f.host_country {
        cond = cond.add(attack_report::Column::HostCountry.eq(h.as_str()));
    }
    if let Some(from) = f.from {
        cond = cond.add(attack_report::Column::IncidentDate.gte(from));
    }
    if let Some(to) = f.to {
        cond = cond.add(attack_report::Column::IncidentDate.lte(to));
    }
    Ok(cond)
}

/// Attack types of reports the viewer sees.
pub async fn types_of(
    db: &impl ConnectionTrait,
    keys: &[Checked<key::Report>],
) -> AppResult<Vec<attack_report_type::Model>> {
    Ok(attack_report_type::Entity::find()
        .filter(attack_report_type::Column::ReportId.is_in(keys.iter().map(Checked::uuid)))
        .all(db)
        .await?)
}

/// Perpetrator types of reports the viewer sees.
pub async fn perpetrators_of(
    db: &impl ConnectionTrait,
    keys: &[Checked<key::Report>],
) -> AppResult<Vec<attack_report_perpetrator::Model>> {
    Ok(attack_report_perpetrator::Entity::find()
        .filter(attack_report_perpetrator::Column::ReportId.is_in(keys.iter().map(Checked::uuid)))
        .all(db)
        .await?)
}

/// Every recipient country's response on reports the viewer sees, by
/// country. Rule 5: the submitting organization reads them all.
pub async fn responses_of(
    db: &impl ConnectionTrait,
    keys: &[Checked<key::Report>],
) -> AppResult<Vec<attack_report_response::Model>> {
    Ok(attack_report_response::Entity::find()
        .filter(attack_report_response::Column::ReportId.is_in(keys.iter().map(Checked::uuid)))
        .order_by_asc(attack_report_response::Column::Country)
        .all(db)
        .await?)
}

/// The earlier reports each of `keys` names, as far as the viewer sees
/// them, oldest first.
pub async fn priors_of(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    keys: &[Checked<key::Report>],
) -> AppResult<Vec<(Uuid, SeenReport)>> {
    if keys.is_empty() {
        return Ok(Vec::new());
    }
    let links = attack_report_prior::Entity::find()
        .filter(attack_report_prior::Column::ReportId.is_in(keys.iter().map(Checked::uuid)))
        .all(db)
        .await?;
    let ids: Vec<Uuid> = links.iter().map(|l| l.prior_id).collect();
    let seen: HashMap<Uuid, SeenReport> = visible_among(db, viewer, &ids)
        .await?
        .into_iter()
        .map(|s| (s.model.id, s))
        .collect();
    let mut out: Vec<(Uuid, SeenReport)> = links
        .into_iter()
        .filter_map(|l| Some((l.report_id, seen.get(&l.prior_id)?.clone())))
        .collect();
    out.sort_by_key(|(_, s)| (s.model.submitted_at, s.model.id));
    Ok(out)
}

/// The cases each of `keys` is linked to (by any recipient country), as far
/// as the viewer sees those cases (rule 3: the case policy decides).
pub async fn linked_cases_of(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    keys: &[Checked<key::Report>],
) -> AppResult<Vec<(Uuid, Seen<case::Model>)>> {
    if keys.is_empty() {
        return Ok(Vec::new());
    }
    let links: Vec<(Uuid, Uuid)> = attack_report_response::Entity::find()
        .select_only()
        .column(attack_report_response::Column::ReportId)
        .column(attack_report_response::Column::CaseId)
        .filter(attack_report_response::Column::ReportId.is_in(keys.iter().map(Checked::uuid)))
        .filter(attack_report_response::Column::CaseId.is_not_null())
        .into_tuple::<(Uuid, Uuid)>()
        .all(db)
        .await?;
    if links.is_empty() {
        return Ok(Vec::new());
    }
    let query = super::cases::visible(viewer)
        .filter(case::Column::Id.is_in(links.iter().map(|(_, c)| *c)))
        .order_by_asc(case::Column::Id);
    let cases: HashMap<Uuid, Seen<case::Model>> = super::cases::load(db, viewer, query)
        .await?
        .into_iter()
        .map(|c| (c.model().id, c))
        .collect();
    let mut out: Vec<(Uuid, Seen<case::Model>)> = Vec::new();
    for (report, case_id) in links {
        if let Some(c) = cases.get(&case_id)
            && !out
                .iter()
                .any(|(r, s)| *r == report && s.model().id == case_id)
        {
            out.push((report, c.clone()));
        }
    }
    out.sort_by_key(|(_, c)| c.model().id);
    Ok(out)
}

/// The reports linked to each of `cases` (cases the viewer sees) that the
/// viewer also sees, in incident order: the sequence of threats.
pub async fn linked_to_cases(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    cases: &[Checked<key::Case>],
) -> AppResult<Vec<(Uuid, SeenReport)>> {
    if cases.is_empty() || reader(viewer).is_none() {
        return Ok(Vec::new());
    }
    let links: Vec<(Uuid, Uuid)> = attack_report_response::Entity::find()
        .select_only()
        .column(attack_report_response::Column::CaseId)
        .column(attack_report_response::Column::ReportId)
        .filter(attack_report_response::Column::CaseId.is_in(cases.iter().map(Checked::uuid)))
        .into_tuple::<(Uuid, Uuid)>()
        .all(db)
        .await?;
    let ids: Vec<Uuid> = links.iter().map(|(_, r)| *r).collect();
    let seen: HashMap<Uuid, SeenReport> = visible_among(db, viewer, &ids)
        .await?
        .into_iter()
        .map(|s| (s.model.id, s))
        .collect();
    let mut out: Vec<(Uuid, SeenReport)> = Vec::new();
    for (case_id, report) in links {
        if let Some(s) = seen.get(&report)
            && !out
                .iter()
                .any(|(c, r)| *c == case_id && r.model.id == report)
        {
            out.push((case_id, s.clone()));
        }
    }
    out.sort_by_key(|(_, r)| incident_order(&r.model));
    Ok(out)
}

/// Reports in the order their incidents happened.
pub fn incident_order(
    r: &attack_report::Model,
) -> (NaiveDate, Option<DateTime<Utc>>, DateTime<Utc>, Uuid) {
    (r.incident_date, r.incident_at, r.submitted_at, r.id)
}

/// Writes a new report's rows of the index, and their counts, in the
/// transaction that stores the report (who may read a report never changes).
pub async fn index_new(
    txn: &impl ConnectionTrait,
    report: &attack_report::Model,
    recipients: &[CountryCode],
) -> AppResult<()> {
    let rows = access_rows(report, recipients);
    let mut deltas = super::counts::Deltas::new();
    for r in &rows {
        if let sea_orm::ActiveValue::Set(reader) = &r.reader {
            *deltas.entry(reader.clone()).or_default() += 1;
        }
    }
    report_access::Entity::insert_many(rows)
        .exec_without_returning(txn)
        .await?;
    super::counts::adjust(txn, super::counts::Index::Reports, &deltas).await
}

/// The rows the index must hold for a report: its organization (if an
/// organization submitted it) and each recipient country.
fn access_rows(
    report: &attack_report::Model,
    recipients: &[CountryCode],
) -> Vec<report_access::ActiveModel> {
    use sea_orm::ActiveValue::Set;
    let mut readers: Vec<Reader> = recipients.iter().map(|c| Reader::Country(*c)).collect();
    if let Some(org) = report.organization_id {
        readers.push(Reader::Organization(org));
    }
    readers
        .into_iter()
        .map(|r| report_access::ActiveModel {
            reader: Set(r.key()),
            report_id: Set(report.id),
            submitted_at: Set(report.submitted_at),
        })
        .collect()
}

/// Where the report access index differs from the rule applied to the
/// stored reports and their responses: one line per report (empty when
/// they agree). For tests and `accord rebuild-access --check`.
pub async fn internal_drift(db: &impl ConnectionTrait) -> AppResult<Vec<String>> {
    use std::collections::BTreeSet;
    let mut want: HashMap<Uuid, BTreeSet<(String, i64)>> = HashMap::new();
    let reports: Vec<(Uuid, Option<Uuid>, DateTime<Utc>)> = attack_report::Entity::find()
        .select_only()
        .column(attack_report::Column::Id)
        .column(attack_report::Column::OrganizationId)
        .column(attack_report::Column::SubmittedAt)
        .into_tuple()
        .all(db)
        .await?;
    let mut submitted = HashMap::new();
    for (id, org, at) in reports {
        let entry = want.entry(id).or_default();
        if let Some(org) = org {
            entry.insert((Reader::Organization(org).key(), at.timestamp_micros()));
        }
        submitted.insert(id, at);
    }
    let recipients: Vec<(Uuid, String)> = attack_report_response::Entity::find()
        .select_only()
        .column(attack_report_response::Column::ReportId)
        .column(attack_report_response::Column::Country)
        .into_tuple()
        .all(db)
        .await?;
    for (id, country) in recipients {
        let at = submitted.get(&id).map_or(0, DateTime::timestamp_micros);
        want.entry(id).or_default().insert((country, at));
    }
    let mut have: HashMap<Uuid, BTreeSet<(String, i64)>> = HashMap::new();
    for a in report_access::Entity::find().all(db).await? {
        have.entry(a.report_id)
            .or_default()
            .insert((a.reader, a.submitted_at.timestamp_micros()));
    }
    let mut drift = Vec::new();
    for (id, rows) in &want {
        let got = have.remove(id).unwrap_or_default();
        if &got != rows {
            drift.push(format!("report {id}: index {got:?}, rule {rows:?}"));
        }
    }
    for (id, got) in have {
        drift.push(format!("report {id}: index {got:?} for no report"));
    }
    Ok(drift)
}

/// Rewrites the whole report access index from the reports and their
/// responses (`accord rebuild-access`), in one transaction. Returns the rows.
pub async fn internal_rebuild_all(db: &sea_orm::DatabaseConnection) -> AppResult<u64> {
    use sea_orm::sea_query::{Expr, ExprTrait};
    use sea_orm::{ActiveValue::Set, TransactionTrait};
    let txn = db.begin().await?;
    report_access::Entity::delete_many().exec(&txn).await?;
    let recipients = Query::select()
        .column((
            attack_report_response::Entity,
            attack_report_response::Column::Country,
        ))
        .column((
            attack_report_response::Entity,
            attack_report_response::Column::ReportId,
        ))
        .column((attack_report::Entity, attack_report::Column::SubmittedAt))
        .from(attack_report_response::Entity)
        .inner_join(
            attack_report::Entity,
            Expr::col((attack_report::Entity, attack_report::Column::Id)).equals((
                attack_report_response::Entity,
                attack_report_response::Column::ReportId,
            )),
        )
        .to_owned();
    let insert = Query::insert()
        .into_table(report_access::Entity)
        .columns([
            report_access::Column::Reader,
            report_access::Column::ReportId,
            report_access::Column::SubmittedAt,
        ])
        .select_from(recipients)
        .map_err(AppError::internal)?
        .to_owned();
    let mut rows = txn.execute(&insert).await?.rows_affected();
    let submitted: Vec<(Uuid, Uuid, DateTime<Utc>)> = attack_report::Entity::find()
        .select_only()
        .column(attack_report::Column::Id)
        .column(attack_report::Column::OrganizationId)
        .column(attack_report::Column::SubmittedAt)
        .filter(attack_report::Column::OrganizationId.is_not_null())
        .into_tuple()
        .all(&txn)
        .await?;
    for chunk in submitted.chunks(2000) {
        report_access::Entity::insert_many(chunk.iter().map(|(id, org, at)| {
            report_access::ActiveModel {
                reader: Set(Reader::Organization(*org).key()),
                report_id: Set(*id),
                submitted_at: Set(*at),
            }
        }))
        .exec_without_returning(&txn)
        .await?;
        rows += chunk.len() as u64;
    }
    super::counts::internal_recount(&txn, super::counts::Index::Reports).await?;
    txn.commit().await?;
    Ok(rows)
}
