//! sea-orm entities, the viewer-less reads (`internal_*`) and the only row
//! writes. Only `store/`, `policy/` and `service/` build queries from them;
//! GraphQL objects wrap what the policy hands out, never an entity. Every
//! insert, update and delete of a guarded table (`policy::gate`) is a named
//! function here: a use case decides, then calls one.
use sea_orm::{
    ActiveModelBehavior, ActiveModelTrait, ActiveValue, ConnectionTrait, DbErr, EntityTrait,
    IntoActiveModel, Iterable, ModelTrait, PrimaryKeyTrait, QuerySelect,
};
use uuid::Uuid;

/// Inserts a whole row (every column given) and returns it as written.
async fn insert_row<M, A>(db: &impl ConnectionTrait, row: M) -> Result<M, DbErr>
where
    M: ModelTrait + IntoActiveModel<A>,
    A: ActiveModelTrait<Entity = M::Entity> + ActiveModelBehavior + Send,
    <M::Entity as EntityTrait>::Model: IntoActiveModel<A> + Into<M>,
{
    Ok(row.into_active_model().insert(db).await?.into())
}

/// Writes the columns in which `after` differs from `before` (the row as
/// read under the caller's lock) and returns the row as written.
async fn update_row<M, A>(db: &impl ConnectionTrait, before: &M, after: M) -> Result<M, DbErr>
where
    M: ModelTrait + IntoActiveModel<A>,
    A: ActiveModelTrait<Entity = M::Entity> + ActiveModelBehavior + Send,
    <M::Entity as EntityTrait>::Model: IntoActiveModel<A> + Into<M>,
{
    let mut row = after.into_active_model();
    for column in <M::Entity as EntityTrait>::Column::iter() {
        if matches!(row.get(column), ActiveValue::Unchanged(v) if v != before.get(column)) {
            row.reset(column);
        }
    }
    Ok(row.update(db).await?.into())
}

/// The content columns `observations` and `observation_revisions` share,
/// read and written as the domain's `Content` (one mapping for both).
macro_rules! observation_content {
    ($model:ty) => {
        impl $model {
            /// The stored content; `None` if a column holds a value no
            /// variant has (the database's CHECKs forbid it).
            pub fn content(&self) -> Option<crate::domain::observation::Content> {
                use crate::domain::hearing::Outcome;
                use crate::domain::observation::*;
                let interpretation = match &self.interpretation {
                    Some(i) => Some(Interpretation::from_stored(i)?),
                    None => None,
                };
                Some(Content {
                    courtroom_access: CourtroomAccess::from_stored(&self.courtroom_access)?,
                    access_note: self.access_note.clone(),
                    public_access: HearingAccess::from_stored(&self.public_access)?,
                    press_access: HearingAccess::from_stored(&self.press_access)?,
                    present: present_of(self.present)?,
                    counsel_access: CounselAccess::from_stored(&self.counsel_access)?,
                    interpretation,
                    duration_minutes: self.duration_minutes,
                    adjourned: self.adjourned,
                    adjournment_reason: self.adjournment_reason.clone(),
                    outcome: Outcome::from_stored(&self.outcome)?,
                    defendant_present: self.defendant_present,
                    ill_treatment_alleged: self.ill_treatment_alleged,
                    notable_events: self.notable_events.clone(),
                    notes: self.notes.clone(),
                })
            }

            /// Writes `c` into the content columns.
            pub fn set_content(&mut self, c: &crate::domain::observation::Content) {
                self.courtroom_access = c.courtroom_access.as_str().to_owned();
                self.access_note = c.access_note.clone();
                self.public_access = c.public_access.as_str().to_owned();
                self.press_access = c.press_access.as_str().to_owned();
                self.present = crate::domain::observation::present_mask(&c.present);
                self.counsel_access = c.counsel_access.as_str().to_owned();
                self.interpretation = c.interpretation.map(|i| i.as_str().to_owned());
                self.duration_minutes = c.duration_minutes;
                self.adjourned = c.adjourned;
                self.adjournment_reason = c.adjournment_reason.clone();
                self.outcome = c.outcome.as_str().to_owned();
                self.defendant_present = c.defendant_present;
                self.ill_treatment_alleged = c.ill_treatment_alleged;
                self.notable_events = c.notable_events.clone();
                self.notes = c.notes.clone();
            }
        }
    };
}
pub(crate) use observation_content;

pub mod access_count;
pub mod access_index_state;
pub mod assessor;
pub mod attack_report;
pub mod attack_report_perpetrator;
pub mod attack_report_prior;
pub mod attack_report_response;
pub mod attack_report_type;
pub mod audit_event;
pub mod audit_head;
pub mod calendar_token;
pub mod case;
pub mod case_access;
pub mod case_category;
pub mod case_share;
pub mod claim_offer;
pub mod coalition;
pub mod coalition_member;
pub mod country_key;
pub mod country_key_wrap;
pub mod digest_setting;
pub mod email_change;
pub mod fairness_assessment;
pub mod fairness_assessment_share;
pub mod fairness_assessment_version;
pub mod hearing;
pub mod hearing_access;
pub mod identity_reveal;
pub mod login_throttle;
pub mod member_key;
pub mod mission;
pub mod observation;
pub mod observation_revision;
pub mod organization;
pub mod outbox;
pub mod password_reset;
pub mod password_reset_request;
pub mod positional;
pub mod recovery_code;
pub mod refresh_token;
pub mod report_access;
pub mod roster_claim;
pub mod security_key;
pub mod security_key_ceremony;
pub mod session;
pub mod sign_in_challenge;
pub mod single_sign_on;
pub mod sso_flow;
pub mod sso_subject;
pub mod statement;
pub mod statement_case;
pub mod statement_participant;
pub mod statement_version;
pub mod user;
pub mod user_totp;

/// Locks one row of `E` by id for the rest of the transaction (`SELECT …
/// FOR UPDATE`; SQLite serialises writes anyway). No visibility is decided
/// here: the policy's `area::lock` asks before and after, in the same transaction.
pub async fn internal_lock<E>(db: &impl ConnectionTrait, id: Uuid) -> Result<(), DbErr>
where
    E: EntityTrait,
    <E::PrimaryKey as PrimaryKeyTrait>::ValueType: From<Uuid>,
{
    E::find_by_id(id).lock_exclusive().one(db).await?;
    Ok(())
}
