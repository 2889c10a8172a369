//! What the sealed-identity tests share: countries whose key a test set up
//! itself (so it holds the recovery key), members created by that
//! country's admin, reading an identity as one of four outcomes, and the
//! audit trail counted by action.
//!
//! Admins here are made by the operator directly (not `app.admin`), so a
//! test decides for itself which countries have a key.
use accord_server::store::country_key_wrap;
use sea_orm::{ConnectionTrait, EntityTrait};
use serde_json::{Value, json};

use crate::builders::row_uuid;
use crate::helpers::{Actor, PASSWORD, Resp, TestApp, str_of};

pub const SET_UP: &str = "mutation($i: SetUpIdentityKeyInput!) { setUpIdentityKey(input: $i) {
    recoveryKey status { country ready claimable custodian unlocked pendingReseal } } }";
pub const KEY_STATUS: &str = "{ identityKey { country ready claimable createdAt custodian unlocked
    pendingReseal custodians { id displayName } } }";
pub const GRANT: &str =
    "mutation($u: ID!) { grantIdentityAccess(userId: $u) { custodian custodians { id } } }";
pub const REVOKE: &str =
    "mutation($u: ID!) { revokeIdentityAccess(userId: $u) { custodian custodians { id } } }";
pub const ROTATE: &str = "mutation { rotateIdentityKey(acknowledgeLossRisk: true) { recoveryKey status { pendingReseal ready } } }";
pub const RECOVER: &str =
    "mutation($k: String!) { recoverIdentityKey(recoveryKey: $k) { custodian unlocked } }";
pub const REQUEST: &str = "mutation($c: ID!, $m: String!) { requestIdentityReveal(caseId: $c, motivation: $m) {
    id side ownerCountry requestingCountry motivation state createdAt decidedAt decisionMotivation expiresAt revokedAt } }";
pub const DECIDE: &str = "mutation($id: ID!, $i: DecideIdentityRevealInput!) { decideIdentityReveal(id: $id, input: $i) {
    id state decisionMotivation expiresAt } }";
pub const REVOKE_REVEAL: &str = "mutation($id: ID!, $m: String!) { revokeIdentityReveal(id: $id, motivation: $m) { id state revokedAt decisionMotivation } }";
pub const REVEAL_NODE: &str = "query($id: ID!) { node(id: $id) { ... on IdentityReveal { id state side decisionMotivation expiresAt } } }";

/// An ADMIN of `country`, created by the operator, signed in (no key made).
pub async fn plain_admin(app: &TestApp, country: &str) -> Actor {
    let mission = app.mission(country).await;
    let op = app.operator().await;
    let email = format!(
        "keyadmin.{}.{}@test.example",
        country.to_lowercase(),
        uuid::Uuid::new_v4().simple()
    );
    op.create_user(&email, "ADMIN", Some(&mission), None)
        .await
        .data();
    app.login(&email, PASSWORD).await
}

/// A country with a key its admin set up; the recovery key kept.
pub struct Keyed {
    pub admin: Actor,
    pub recovery: String,
}

/// Sets up `country`'s key with a fresh admin.
pub async fn keyed(app: &TestApp, country: &str) -> Keyed {
    let admin = plain_admin(app, country).await;
    let r = admin
        .q(SET_UP, json!({ "i": { "acknowledgeLossRisk": true } }))
        .await;
    let recovery = str_of(&r.data()["setUpIdentityKey"]["recoveryKey"], "recoveryKey");
    Keyed { admin, recovery }
}

/// Sets up the admin's country key unless it has one: `Some(recovery key)`
/// when this call made it, `None` on CONFLICT (already there).
pub async fn ensure_key(admin: &Actor) -> Option<String> {
    let r = admin
        .q(SET_UP, json!({ "i": { "acknowledgeLossRisk": true } }))
        .await;
    if r.body
        .get("errors")
        .is_some_and(|e| e.as_array().is_some_and(|a| !a.is_empty()))
    {
        r.assert_code("CONFLICT");
        return None;
    }
    Some(str_of(
        &r.data()["setUpIdentityKey"]["recoveryKey"],
        "recoveryKey",
    ))
}

/// A member of `role` created by `admin` of `country`, signed in.
pub async fn member(app: &TestApp, admin: &Actor, role: &str, country: &str) -> Actor {
    app.user_made_by(admin, role, country).await
}

/// A case with every identity field, by `by`; its global id.
pub async fn case_with(by: &Actor, legal_name: &str) -> String {
    let r = by
        .q(
            "mutation($i: CreateCaseInput!) { createCase(input: $i) { id } }",
            json!({ "i": { "pseudonym": format!("Defender {}", &legal_name[..3]), "hostCountry": "PH",
                "categories": ["LAND_RIGHTS"], "riskLevel": "HIGH", "status": "AT_RISK",
                "identity": { "legalName": legal_name, "contact": format!("contact of {legal_name}"),
                              "location": "Barangay 7", "notes": "meets on Tuesdays" } } }),
        )
        .await;
    str_of(&r.data()["createCase"]["id"], "case id")
}

/// A case with no identity recorded; its global id.
pub async fn case_without(by: &Actor, pseudonym: &str) -> String {
    let r = by
        .q(
            "mutation($i: CreateCaseInput!) { createCase(input: $i) { id } }",
            json!({ "i": { "pseudonym": pseudonym, "hostCountry": "PH",
                "categories": ["LAND_RIGHTS"], "riskLevel": "HIGH", "status": "AT_RISK" } }),
        )
        .await;
    str_of(&r.data()["createCase"]["id"], "case id")
}

/// How a read of `case(id) { identity }` came out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Read {
    /// The identity, by its legal name (`None` when none was recorded).
    Name(Option<String>),
    /// `identity: null` (a partner without a running reveal).
    Null,
    /// `IDENTITY_LOCKED` with this reason.
    Locked(String),
    /// The case is out of sight.
    NotFound,
}

pub async fn read(by: &Actor, case_id: &str) -> Read {
    let r = by
        .q(
            "query($id: ID!) { case(id: $id) { id identity { legalName contact location notes } } }",
            json!({ "id": case_id }),
        )
        .await;
    read_of(&r)
}

pub fn read_of(r: &Resp) -> Read {
    if let Some(err) = r.body["errors"].as_array().and_then(|a| a.first()) {
        let code = err["extensions"]["code"].as_str().unwrap_or_default();
        return match code {
            "NOT_FOUND" => Read::NotFound,
            "IDENTITY_LOCKED" => Read::Locked(
                err["extensions"]["reason"]
                    .as_str()
                    .unwrap_or_else(|| panic!("IDENTITY_LOCKED without a reason: {}", r.body))
                    .to_owned(),
            ),
            other => panic!("unexpected error {other}: {}", r.body),
        };
    }
    let identity = &r.data()["case"]["identity"];
    if identity.is_null() {
        Read::Null
    } else {
        Read::Name(identity["legalName"].as_str().map(str::to_owned))
    }
}

pub fn name(n: &str) -> Read {
    Read::Name(Some(n.to_owned()))
}

pub fn locked(reason: &str) -> Read {
    Read::Locked(reason.to_owned())
}

/// `identityKey` as `by` sees it.
pub async fn key_status(by: &Actor) -> Value {
    by.q(KEY_STATUS, json!({})).await.data()["identityKey"].clone()
}

/// Audit events of `action`, their details in order.
pub async fn audit_details(app: &TestApp, action: &str) -> Vec<Option<String>> {
    let rows = app
        .db()
        .query_all_raw(sea_orm::Statement::from_string(
            app.db().get_database_backend(),
            format!("SELECT detail FROM audit_events WHERE action = '{action}' ORDER BY seq"),
        ))
        .await
        .expect("audit rows");
    rows.iter()
        .map(|r| r.try_get::<Option<String>>("", "detail").expect("detail"))
        .collect()
}

pub async fn audit_count(app: &TestApp, action: &str) -> usize {
    audit_details(app, action).await.len()
}

/// The country-key copies a user holds.
pub async fn wraps_of(app: &TestApp, user: &Actor) -> usize {
    let id = row_uuid(&user.id);
    country_key_wrap::Entity::find()
        .all(app.db())
        .await
        .expect("wraps")
        .iter()
        .filter(|w| w.user_id == Some(id))
        .count()
}

/// Answers an error with `code` and `field`.
#[track_caller]
pub fn assert_field(r: &Resp, code: &str, field: &str) {
    r.assert_code(code);
    assert_eq!(r.field(), field, "{}", r.body);
}

/// Whether a response carries errors.
pub fn failed(r: &Resp) -> bool {
    r.body
        .get("errors")
        .is_some_and(|e| e.as_array().is_some_and(|a| !a.is_empty()))
}

/// An RFC 3339 instant `secs` from the server's now.
pub fn in_secs(app: &TestApp, secs: i64) -> String {
    (app.state().clock.now() + chrono::Duration::seconds(secs)).to_rfc3339()
}
