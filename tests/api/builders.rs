//! The builders of the integration tests, each in one line: users and
//! missions (`app.admin("CA")`, `app.user(role, country)`), cases and their
//! consent and shares, hearings and claims, attack reports, statements.
//! Every test file builds its world from here, so one shape of input stands
//! for each area and a change of schema is mended in one place. Builders go
//! through the API as a signed-in actor, never underneath it.
use chrono::Duration;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::helpers::{Actor, PASSWORD, Resp, TestApp, str_of};

// ---------------------------------------------------------------------------
// Users and missions.

impl TestApp {
    /// The mission of `country` (created by the operator on first use).
    pub async fn mission(&self, country: &str) -> String {
        if let Some(id) = self.0.missions.lock().await.get(country) {
            return id.clone();
        }
        let op = self.operator().await;
        let r = op
            .q(
                "mutation($i: CreateMissionInput!) { createMission(input: $i) { id } }",
                json!({ "i": { "country": country, "hostCountry": "PH", "city": "Manila",
                               "name": format!("Embassy of {country}"), "timezone": "Asia/Manila" } }),
            )
            .await;
        let id = r.data()["createMission"]["id"]
            .as_str()
            .expect("id")
            .to_owned();
        self.0
            .missions
            .lock()
            .await
            .insert(country.to_owned(), id.clone());
        id
    }

    /// An ADMIN of `country`, bootstrapped by the operator. Right after
    /// signing in, the admin sets up the country's identity key, so that
    /// coordinators and admins made afterwards hold it from creation.
    pub async fn admin(&self, country: &str) -> Actor {
        if let Some((id, email, token, refresh)) = self.0.admins.lock().await.get(country) {
            return Actor {
                app: self.clone(),
                id: id.clone(),
                email: email.clone(),
                token: token.clone(),
                refresh: refresh.clone(),
            };
        }
        let mission = self.mission(country).await;
        let op = self.operator().await;
        let email = format!("admin.{}@test.example", country.to_lowercase());
        op.create_user(&email, "ADMIN", Some(&mission), None)
            .await
            .data();
        let admin = self.login(&email, PASSWORD).await;
        let key = admin
            .q(
                "mutation { setUpIdentityKey(input: { acknowledgeLossRisk: true }) { recoveryKey } }",
                json!({}),
            )
            .await;
        let recovery = str_of(
            &key.data()["setUpIdentityKey"]["recoveryKey"],
            "recoveryKey",
        );
        self.0
            .recovery_keys
            .lock()
            .await
            .insert(country.to_owned(), recovery);
        self.0.admins.lock().await.insert(
            country.to_owned(),
            (
                admin.id.clone(),
                admin.email.clone(),
                admin.token.clone(),
                admin.refresh.clone(),
            ),
        );
        admin
    }

    /// The recovery key of `country`'s identity key (its admin made it).
    pub async fn recovery_key(&self, country: &str) -> String {
        self.admin(country).await;
        self.0.recovery_keys.lock().await[country].clone()
    }

    /// A user of `role` in `country`'s mission, created by that country's admin.
    pub async fn user(&self, role: &str, country: &str) -> Actor {
        let admin = self.admin(country).await;
        self.user_made_by(&admin, role, country).await
    }

    /// A user of `role` in `country`'s mission, created by `admin`.
    pub async fn user_made_by(&self, admin: &Actor, role: &str, country: &str) -> Actor {
        let mission = self.mission(country).await;
        let email = format!(
            "{}.{}.{}@test.example",
            role.to_lowercase(),
            country.to_lowercase(),
            uuid::Uuid::new_v4().simple()
        );
        admin
            .create_user(&email, role, Some(&mission), None)
            .await
            .data();
        self.login(&email, PASSWORD).await
    }

    pub async fn diplomat(&self, country: &str) -> Actor {
        self.user("DIPLOMAT", country).await
    }

    /// A LIAISON of a fresh organization (created by the operator).
    pub async fn liaison(&self) -> Actor {
        let org = self.organization().await;
        self.liaison_of(&org).await
    }

    /// A fresh organization (created by the operator); its global id.
    pub async fn organization(&self) -> String {
        let op = self.operator().await;
        let org = op
            .q(
                "mutation($i: CreateOrganizationInput!) { createOrganization(input: $i) { id } }",
                json!({ "i": { "name": format!("Org {}", uuid::Uuid::new_v4().simple()), "hostCountry": "PH" } }),
            )
            .await;
        org.data()["createOrganization"]["id"]
            .as_str()
            .expect("id")
            .to_owned()
    }

    /// A LIAISON of organization `org_id`.
    pub async fn liaison_of(&self, org_id: &str) -> Actor {
        let op = self.operator().await;
        let email = format!("liaison.{}@test.example", uuid::Uuid::new_v4().simple());
        op.create_user(&email, "LIAISON", None, Some(org_id))
            .await
            .data();
        self.login(&email, PASSWORD).await
    }
}

impl Actor {
    pub async fn create_user(
        &self,
        email: &str,
        role: &str,
        mission_id: Option<&str>,
        organization_id: Option<&str>,
    ) -> Resp {
        self.q(
            "mutation($i: CreateUserInput!) { createUser(input: $i) { id email role active } }",
            json!({ "i": { "email": email, "displayName": "Test User", "password": PASSWORD,
                           "role": role, "missionId": mission_id, "organizationId": organization_id } }),
        )
        .await
    }
}

/// `deactivateUser(who)` by `by`, failing the test on an error.
pub async fn deactivate(by: &Actor, who: &Actor) {
    by.q(
        "mutation($u: ID!) { deactivateUser(userId: $u) { id } }",
        json!({ "u": who.id }),
    )
    .await
    .data();
}

/// The database uuid behind a global id (`base64url("Kind:uuid")`), of any kind.
pub fn row_uuid(global: &str) -> Uuid {
    use base64::Engine;
    let raw = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(global)
        .expect("a global id");
    let text = String::from_utf8(raw).expect("UTF-8 global id");
    let (_, id) = text.split_once(':').expect("Kind:uuid");
    id.parse().expect("a uuid")
}

/// The users' database ids, sorted (to compare with the outbox's recipients).
pub fn users(actors: &[&Actor]) -> Vec<Uuid> {
    let mut ids: Vec<Uuid> = actors.iter().map(|a| row_uuid(&a.id)).collect();
    ids.sort();
    ids
}

/// Every outbox row of `kind`, oldest first.
pub async fn outbox_of(app: &TestApp, kind: &str) -> Vec<accord_server::store::outbox::Model> {
    use accord_server::store::outbox;
    use sea_orm::{EntityTrait, QueryOrder};
    outbox::Entity::find()
        .order_by_asc(outbox::Column::CreatedAt)
        .order_by_asc(outbox::Column::Id)
        .all(app.db())
        .await
        .expect("outbox rows")
        .into_iter()
        .filter(|r| r.kind == kind)
        .collect()
}

/// The recipients of outbox rows, sorted.
pub fn recipients(rows: &[accord_server::store::outbox::Model]) -> Vec<Uuid> {
    let mut ids: Vec<Uuid> = rows.iter().map(|r| r.recipient_user_id).collect();
    ids.sort();
    ids
}

// ---------------------------------------------------------------------------
// Cases.

/// Every field of a case, nested ones included.
pub const CASE_FIELDS: &str = "id reference pseudonym hostCountry region categories riskLevel status summary ownerCountry visibility
    identity { legalName contact location notes } consent { shareWithPartners trialObservation publicAdvocacy givenBy recordedAt }
    shares { country level coalition { id } }";

pub async fn open_case(by: &Actor, pseudonym: &str, legal_name: &str) -> Value {
    let r = by
        .q(
            &format!("mutation($i: CreateCaseInput!) {{ createCase(input: $i) {{ {CASE_FIELDS} }} }}"),
            json!({ "i": { "pseudonym": pseudonym, "hostCountry": "PH", "region": "Mindanao",
                "categories": ["LAND_RIGHTS", "INDIGENOUS"], "riskLevel": "HIGH", "status": "AT_RISK",
                "summary": "Community leader facing charges after protest",
                "identity": { "legalName": legal_name, "contact": "+63 900 000 0000", "location": "Barangay 12", "notes": "prefers Signal" } } }),
        )
        .await;
    r.data()["createCase"].clone()
}

pub async fn consent(by: &Actor, case_id: &str, share: bool) -> Resp {
    by.q(
        "mutation($id: ID!, $s: Boolean!) { recordConsent(caseId: $id, input: { shareWithPartners: $s, trialObservation: true, publicAdvocacy: false, givenBy: DEFENDER }) { consent { shareWithPartners givenBy } } }",
        json!({ "id": case_id, "s": share }),
    )
    .await
}

pub async fn share(by: &Actor, case_id: &str, country: &str, level: &str) -> Resp {
    by.q(
        "mutation($id: ID!, $c: String!, $l: ShareLevel!) { shareCase(caseId: $id, input: { country: $c, level: $l }) { id } }",
        json!({ "id": case_id, "c": country, "l": level }),
    )
    .await
}

/// `case(id)` with every field.
pub async fn read_case(by: &Actor, case_id: &str) -> Resp {
    by.q(
        &format!("query($id: ID!) {{ case(id: $id) {{ {CASE_FIELDS} }} }}"),
        json!({ "id": case_id }),
    )
    .await
}

// ---------------------------------------------------------------------------
// Hearings and the roster.

/// Every field of a hearing, its claims included.
pub const HEARING_FIELDS: &str =
    "id court city startsAt timezone localStart utcOffset durationMinutes status observersNeeded
    confirmedCount coverage claimDeadline claims { status position country user { email } }";

/// A CA case with consent to share and observe, shared with NL at DETAIL
/// and DE at SUMMARY. Returns (coordinator, case id).
pub async fn observed_case(app: &TestApp) -> (Actor, String) {
    let coord = app.user("COORDINATOR", "CA").await;
    let case = open_case(&coord, "Defender T", "Trial Person").await;
    let id = case["id"].as_str().expect("id").to_owned();
    consent(&coord, &id, true).await.data();
    share(&coord, &id, "NL", "DETAIL").await.data();
    share(&coord, &id, "DE", "SUMMARY").await.data();
    (coord, id)
}

/// `scheduleHearing` at `local` in `tz` with `needed` places.
pub async fn schedule(by: &Actor, case_id: &str, local: &str, tz: &str, needed: i32) -> Resp {
    by.q(
        &format!("mutation($c: ID!, $i: ScheduleHearingInput!) {{ scheduleHearing(caseId: $c, input: $i) {{ {HEARING_FIELDS} }} }}"),
        json!({ "c": case_id, "i": { "court": "Regional Trial Court Branch 12", "city": "Davao", "localStart": local,
                "timezone": tz, "durationMinutes": 120, "observersNeeded": needed } }),
    )
    .await
}

/// A local start `days` from now in Asia/Manila.
pub fn manila_in(days: i64) -> String {
    let t = chrono::Utc::now() + Duration::days(days);
    let tz: chrono_tz::Tz = "Asia/Manila".parse().expect("tz");
    t.with_timezone(&tz).format("%Y-%m-%dT10:00:00").to_string()
}

/// `claimRosterSlot` by `by`.
pub async fn claim(by: &Actor, hearing: &str) -> Resp {
    by.q(
        "mutation($h: ID!) { claimRosterSlot(hearingId: $h) { id status position country } }",
        json!({ "h": hearing }),
    )
    .await
}

/// `claimRosterSlot` by `by`; the claim (failing the test on an error).
pub async fn claimed(by: &Actor, hearing: &str) -> Value {
    claim(by, hearing).await.data()["claimRosterSlot"].clone()
}

/// A CA case with consent to sharing and trial observation, shared with NL
/// at DETAIL, and a hearing with `needed` places. Returns (coordinator, case, hearing).
pub async fn hearing_world(app: &TestApp, needed: i32) -> (Actor, String, String) {
    let coord = app.user("COORDINATOR", "CA").await;
    let case = coord
        .q(
            "mutation($i: CreateCaseInput!) { createCase(input: $i) { id } }",
            json!({ "i": { "pseudonym": "Defender L", "hostCountry": "PH", "region": "Mindanao",
                "categories": ["LAND_RIGHTS"], "riskLevel": "HIGH", "status": "AT_RISK",
                "summary": "Community leader facing charges",
                "identity": { "legalName": "Live Test Name", "contact": "-", "location": "-", "notes": "-" } } }),
        )
        .await;
    let case = case.data()["createCase"]["id"]
        .as_str()
        .expect("case id")
        .to_owned();
    consent(&coord, &case, true).await.data();
    coord
        .q(
            "mutation($id: ID!) { shareCase(caseId: $id, input: { country: \"NL\", level: DETAIL }) { id } }",
            json!({ "id": case }),
        )
        .await
        .data();
    let hearing = coord
        .q(
            "mutation($c: ID!, $n: Int!) { scheduleHearing(caseId: $c, input: { court: \"Regional Trial Court\",
                city: \"Davao\", localStart: \"2027-03-01T09:30:00\", timezone: \"Asia/Manila\",
                durationMinutes: 120, observersNeeded: $n }) { id } }",
            json!({ "c": case, "n": needed }),
        )
        .await;
    let hearing = hearing.data()["scheduleHearing"]["id"]
        .as_str()
        .expect("hearing id")
        .to_owned();
    (coord, case, hearing)
}

// ---------------------------------------------------------------------------
// Attack reports.

/// Every field of an attack report, nested ones included.
pub const REPORT_FIELDS: &str =
    "id reference hostCountry region incidentDate incidentTime timezone incidentAt
    attackTypes perpetratorTypes description descriptionErasedAt submittedAt
    organization { id name } recipientCountries
    responses { country state note updatedAt } myResponse { country state }
    cases { id } priorReports { id }";

/// A valid submission to `recipients`; `extra` overrides or adds fields.
pub fn report_input(recipients: &[&str], extra: Value) -> Value {
    let mut input = json!({
        "hostCountry": "PH",
        "region": "Negros Oriental",
        "incidentDate": "2026-11-20",
        "incidentTime": "21:40",
        "timezone": "Asia/Manila",
        "attackTypes": ["THREAT", "SURVEILLANCE"],
        "perpetratorTypes": ["STATE"],
        "description": "Two men on a motorbike photographed the defender's house and shouted a threat.",
        "recipientCountries": recipients,
        "victimConsent": true,
    });
    if let (Some(base), Some(more)) = (input.as_object_mut(), extra.as_object()) {
        for (k, v) in more {
            base.insert(k.clone(), v.clone());
        }
    }
    input
}

/// `submitAttackReport` with `report_input(recipients, extra)`.
pub async fn submit(by: &Actor, recipients: &[&str], extra: Value) -> Resp {
    by.q(
        &format!(
            "mutation($i: SubmitAttackReportInput!) {{ submitAttackReport(input: $i) {{ {REPORT_FIELDS} }} }}"
        ),
        json!({ "i": report_input(recipients, extra) }),
    )
    .await
}

/// Submits and returns the report's id.
pub async fn submitted(by: &Actor, recipients: &[&str], extra: Value) -> String {
    str_of(
        &submit(by, recipients, extra).await.data()["submitAttackReport"]["id"],
        "id",
    )
}

/// `attackReport(id)` with every field.
pub async fn read_report(by: &Actor, id: &str) -> Resp {
    by.q(
        &format!("query($id: ID!) {{ attackReport(id: $id) {{ {REPORT_FIELDS} }} }}"),
        json!({ "id": id }),
    )
    .await
}

pub async fn acknowledge(by: &Actor, id: &str, note: Option<&str>) -> Resp {
    by.q(
        "mutation($id: ID!, $n: String) { acknowledgeAttackReport(id: $id, note: $n) { id myResponse { state note } } }",
        json!({ "id": id, "n": note }),
    )
    .await
}

pub async fn link(by: &Actor, id: &str, case_id: &str) -> Resp {
    by.q(
        "mutation($id: ID!, $c: ID!) { linkAttackReport(id: $id, caseId: $c) { id myResponse { state } cases { id } } }",
        json!({ "id": id, "c": case_id }),
    )
    .await
}

pub async fn close(by: &Actor, id: &str, outcome: &str, note: Option<&str>) -> Resp {
    by.q(
        "mutation($id: ID!, $o: ReportOutcome!, $n: String) { closeAttackReport(id: $id, outcome: $o, note: $n) { id myResponse { state note } } }",
        json!({ "id": id, "o": outcome, "n": note }),
    )
    .await
}

/// The ids of `attackReports(filter)` as `by` sees them, and the total.
pub async fn list_reports(by: &Actor, filter: Value) -> (Vec<String>, u64) {
    let r = by
        .q(
            "query($f: AttackReportFilter) { attackReports(filter: $f, first: 100) { totalCount edges { node { id } } } }",
            json!({ "f": filter }),
        )
        .await;
    let page = &r.data()["attackReports"];
    let ids = page["edges"]
        .as_array()
        .expect("edges")
        .iter()
        .map(|e| str_of(&e["node"]["id"], "id"))
        .collect();
    (ids, page["totalCount"].as_u64().expect("total"))
}

// ---------------------------------------------------------------------------
// Statements.

/// Every field of a statement, nested ones included.
pub const STATEMENT_FIELDS: &str = "id title kind hostCountry status leadCountry myRole deadline
    currentVersion { number body contentHash author { id country } createdAt }
    versions { number contentHash createdAt }
    participants { country role signature { status version reason } }
    signatories cases { id }";

/// `createStatement` by `by`, inviting `invited`; `extra` overrides fields.
pub async fn create_statement(by: &Actor, invited: &[&str], extra: Value) -> Resp {
    let mut input = json!({
        "title": "Joint démarche on the detention of a land defender",
        "kind": "DEMARCHE",
        "hostCountry": "PH",
        "body": "The undersigned missions express concern.\nWe urge a fair trial.\n",
        "invitedCountries": invited,
    });
    if let (Some(base), Some(more)) = (input.as_object_mut(), extra.as_object()) {
        for (k, v) in more {
            base.insert(k.clone(), v.clone());
        }
    }
    by.q(
        &format!(
            "mutation($i: CreateStatementInput!) {{ createStatement(input: $i) {{ {STATEMENT_FIELDS} }} }}"
        ),
        json!({ "i": input }),
    )
    .await
}

/// Creates one and returns its id.
pub async fn created(by: &Actor, invited: &[&str], extra: Value) -> String {
    str_of(
        &create_statement(by, invited, extra).await.data()["createStatement"]["id"],
        "id",
    )
}

pub async fn read_statement(by: &Actor, id: &str) -> Resp {
    by.q(
        &format!("query($id: ID!) {{ statement(id: $id) {{ {STATEMENT_FIELDS} }} }}"),
        json!({ "id": id }),
    )
    .await
}

pub async fn revise(by: &Actor, id: &str, base: i64, body: &str) -> Resp {
    by.q(
        "mutation($id: ID!, $b: Int!, $t: String!) { reviseStatement(id: $id, baseVersion: $b, body: $t) { id currentVersion { number } } }",
        json!({ "id": id, "b": base, "t": body }),
    )
    .await
}

pub async fn approve(by: &Actor, id: &str, version: i64) -> Resp {
    by.q(
        "mutation($id: ID!, $v: Int!) { approveStatement(id: $id, version: $v) { id } }",
        json!({ "id": id, "v": version }),
    )
    .await
}

pub async fn decline(by: &Actor, id: &str, reason: &str) -> Resp {
    by.q(
        "mutation($id: ID!, $r: String) { declineStatement(id: $id, reason: $r) { id } }",
        json!({ "id": id, "r": reason }),
    )
    .await
}

pub async fn withdraw(by: &Actor, id: &str) -> Resp {
    by.q(
        "mutation($id: ID!) { withdrawApproval(id: $id) { id } }",
        json!({ "id": id }),
    )
    .await
}

pub async fn invite(by: &Actor, id: &str, countries: &[&str], role: Option<&str>) -> Resp {
    by.q(
        "mutation($id: ID!, $c: [String!]!, $r: ParticipantRole) { inviteToStatement(id: $id, countries: $c, role: $r) { id } }",
        json!({ "id": id, "c": countries, "r": role }),
    )
    .await
}

pub async fn uninvite(by: &Actor, id: &str, countries: &[&str]) -> Resp {
    by.q(
        "mutation($id: ID!, $c: [String!]!) { uninviteFromStatement(id: $id, countries: $c) { id } }",
        json!({ "id": id, "c": countries }),
    )
    .await
}

pub async fn finalize(by: &Actor, id: &str) -> Resp {
    by.q(
        "mutation($id: ID!) { finalizeStatement(id: $id) { id status signatories finalVersion { number } } }",
        json!({ "id": id }),
    )
    .await
}

/// The signature of `country` as `(status, version)`.
pub fn signature_of(statement: &Value, country: &str) -> (String, Option<i64>) {
    let p = statement["participants"]
        .as_array()
        .expect("participants")
        .iter()
        .find(|p| p["country"] == country)
        .unwrap_or_else(|| panic!("{country} is not a participant: {statement}"));
    (
        p["signature"]["status"].as_str().unwrap_or("").to_owned(),
        p["signature"]["version"].as_i64(),
    )
}
