//! sea-orm entities. Only `store/`, `policy/` and `service/` build queries from
//! them; GraphQL objects wrap what the policy hands out, never an entity.
pub mod audit_event;
pub mod audit_head;
pub mod calendar_token;
pub mod case;
pub mod case_access;
pub mod case_category;
pub mod case_reference_counter;
pub mod case_share;
pub mod coalition;
pub mod coalition_member;
pub mod hearing;
pub mod hearing_access;
pub mod login_throttle;
pub mod mission;
pub mod observation;
pub mod organization;
pub mod outbox;
pub mod refresh_token;
pub mod roster_claim;
pub mod session;
pub mod user;
