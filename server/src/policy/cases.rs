//! Who sees which case, at which level (DESIGN.md "Visibility", rules 1, 5, 6).
//!
//! - The owner country's mission users (diplomats, coordinators, admins) see
//!   it all: `OWNER`.
//! - Another country sees it only while the defender's consent to share
//!   holds, through shares to that country or to a coalition it belongs to
//!   *now*; the highest such level applies.
//! - Liaisons and the operator see no case. Anyone else: it does not exist.
//!
//! Everything is expressed as SQL conditions, so lists, counts, filters and
//! single reads all start from the same scope.
use std::collections::HashMap;

use sea_orm::sea_query::{Query, SelectStatement};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, Select};
use uuid::Uuid;

use crate::auth::Viewer;
use crate::domain::case::{ShareLevel, Visibility};
use crate::domain::{CountryCode, Role};
use crate::error::{AppError, AppResult};
use crate::policy::directory::memberships_of;
use crate::policy::nothing;
use crate::store::{case, case_share};

/// A model together with the level at which the viewer sees it. Only this
/// module builds one, so holding it proves the policy was asked.
// `#[non_exhaustive]` would only seal it against other crates; the private
// field seals it against other modules of this one.
#[allow(clippy::manual_non_exhaustive)]
#[derive(Clone, Debug)]
pub struct Seen<T> {
    pub model: T,
    pub level: Visibility,
    /// Keeps the struct from being built outside this module.
    _sealed: (),
}

impl<T> Seen<T> {
    /// For sibling policy modules: an object seen at the level of its case.
    pub(super) fn at(model: T, level: Visibility) -> Self {
        Seen {
            model,
            level,
            _sealed: (),
        }
    }

    /// The same viewer's view of the object after the viewer changed it.
    pub fn with_model(self, model: T) -> Self {
        Seen { model, ..self }
    }
}

/// The country whose view applies, if the viewer may see cases at all.
fn reader_country(viewer: &Viewer) -> Option<CountryCode> {
    match viewer.role {
        Role::Diplomat | Role::Coordinator | Role::Admin => viewer.country,
        Role::Liaison | Role::Operator => None,
    }
}

/// Shares that reach `country`: to it directly, or to a coalition it is a
/// member of now.
fn reaches(country: CountryCode) -> Condition {
    Condition::any()
        .add(case_share::Column::Country.eq(country.as_str()))
        .add(case_share::Column::CoalitionId.in_subquery(memberships_of(country)))
}

/// Ids of cases shared with `country` at `min` or above.
fn shared_with(country: CountryCode, min: ShareLevel) -> SelectStatement {
    let mut q = Query::select();
    q.column(case_share::Column::CaseId)
        .from(case_share::Entity)
        .cond_where(reaches(country));
    if min == ShareLevel::Detail {
        q.and_where(case_share::Column::Level.eq(ShareLevel::Detail.as_str()));
    }
    q.to_owned()
}

/// Cases the viewer sees at `min` or above.
pub fn at_least(viewer: &Viewer, min: Visibility) -> Condition {
    let Some(country) = reader_country(viewer) else {
        return nothing();
    };
    let owner = case::Column::OwnerCountry.eq(country.as_str());
    let share_level = match min {
        Visibility::Owner => return Condition::all().add(owner),
        Visibility::Detail => ShareLevel::Detail,
        Visibility::Summary => ShareLevel::Summary,
    };
    Condition::any().add(owner).add(
        Condition::all()
            .add(case::Column::ConsentShare.eq(true))
            .add(case::Column::Id.in_subquery(shared_with(country, share_level))),
    )
}

/// Every case the viewer may see, at any level.
pub fn visible(viewer: &Viewer) -> Select<case::Entity> {
    case::Entity::find().filter(at_least(viewer, Visibility::Summary))
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
    let shared_ids: Vec<Uuid> = cases
        .iter()
        .filter(|c| c.owner_country != country.as_str() && c.consent_share)
        .map(|c| c.id)
        .collect();
    let mut best: HashMap<Uuid, ShareLevel> = HashMap::new();
    if !shared_ids.is_empty() {
        let shares = case_share::Entity::find()
            .filter(case_share::Column::CaseId.is_in(shared_ids))
            .filter(reaches(country))
            .all(db)
            .await?;
        for s in shares {
            if let Some(level) = ShareLevel::from_stored(&s.level) {
                let entry = best.entry(s.case_id).or_insert(level);
                *entry = (*entry).max(level);
            }
        }
    }
    Ok(cases
        .into_iter()
        .filter_map(|c| {
            let level = if c.owner_country == country.as_str() {
                Some(Visibility::Owner)
            } else if c.consent_share {
                best.get(&c.id).map(|l| Visibility::from(*l))
            } else {
                None
            };
            level.map(|level| Seen {
                model: c,
                level,
                _sealed: (),
            })
        })
        .collect())
}

/// One case by id, or `NOT_FOUND` exactly as if it did not exist.
pub async fn find(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    id: Uuid,
) -> AppResult<Seen<case::Model>> {
    let found = visible(viewer)
        .filter(case::Column::Id.eq(id))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    levels(db, viewer, vec![found])
        .await?
        .pop()
        .ok_or(AppError::NotFound)
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
