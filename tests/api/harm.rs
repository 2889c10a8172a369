//! Do no harm (docs/RULES.md rules 2, 6, 8; SECURITY.md "derived state after a
//! change of consent or visibility"): when a partner country loses sight of a
//! case's hearings — consent to trial observation or to sharing withdrawn,
//! share removed or lowered, country removed from a coalition — it loses
//! everything that followed from them, at once: the hearing (query, list,
//! count, `node`), its roster place (the waitlist moves up), `myRoster`, its
//! calendar entries, its live stream, and every email, including ones queued
//! before the change. Nothing is deleted: the owner country sees the
//! suspended claim and why; when sight returns, the diplomat may claim again.
use accord_server::jobs as worker;
use accord_server::mail::transport::Mailer;
use accord_server::store::outbox;
use chrono::Duration;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};

use crate::helpers::*;
use crate::live::Ws;
use crate::on_both_backends;
use crate::smtp::SmtpServer;

const SCHEDULE: &str = "mutation($c: ID!, $i: ScheduleHearingInput!) { scheduleHearing(caseId: $c, input: $i) { id startsAt } }";
const HEARING: &str = "query($id: ID!) { hearing(id: $id) { id confirmedCount coverage
    claims { status position country suspendedReason user { id } } } }";
const NODE: &str = "query($id: ID!) { node(id: $id) { id } }";
const HEARINGS: &str = "{ hearings(first: 50) { totalCount edges { node { id } } } }";
const MY_ROSTER: &str = "{ myRoster { status position hearing { id } } }";
const CLAIM: &str = "mutation($h: ID!) { claimRosterSlot(hearingId: $h) { id status position } }";
const CONSENT: &str = "mutation($c: ID!, $s: Boolean!, $t: Boolean!) { recordConsent(caseId: $c,
    input: { shareWithPartners: $s, trialObservation: $t, publicAdvocacy: false, givenBy: DEFENDER }) { id } }";

/// How the partner (NL) loses sight of the hearing.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Loss {
    TrialConsentWithdrawn,
    ShareConsentWithdrawn,
    Unshared,
    LoweredToSummary,
    LeftTheCoalition,
}

impl Loss {
    fn reason(self) -> &'static str {
        match self {
            Loss::TrialConsentWithdrawn | Loss::ShareConsentWithdrawn => "CONSENT_WITHDRAWN",
            _ => "VISIBILITY_LOST",
        }
    }
}

/// A CA case shared with NL (directly, or through a coalition when the loss
/// is leaving it), one hearing with one place: NL's diplomat holds it, a CA
/// diplomat waits behind. Mail goes to a real SMTP server.
struct Stage {
    app: TestApp,
    smtp: SmtpServer,
    mailer: Mailer,
    coord: Actor,
    ca_admin: Actor,
    case_id: String,
    coalition: Option<String>,
    hearing: String,
    nl: Actor,
    ca: Actor,
}

impl Stage {
    async fn new(app: TestApp, through_coalition: bool) -> Stage {
        let smtp = SmtpServer::start().await;
        let mut config = (*app.state().config).clone();
        config.smtp_url = Some(smtp.url().into());
        let mailer = Mailer::from_config(&config).expect("SMTP mailer");
        let ca_admin = app.admin("CA").await;
        let coord = app.user("COORDINATOR", "CA").await;
        let case = coord
            .q(
                "mutation { createCase(input: { pseudonym: \"Defender H\", hostCountry: \"PH\",
                    categories: [LAWYER], riskLevel: HIGH, status: ON_TRIAL }) { id } }",
                json!({}),
            )
            .await;
        let case_id = case.data()["createCase"]["id"]
            .as_str()
            .expect("id")
            .to_owned();
        coord
            .q(CONSENT, json!({ "c": case_id, "s": true, "t": true }))
            .await
            .data();
        app.mission("NL").await;
        let coalition = if through_coalition {
            let c = ca_admin
                .q(
                    "mutation { createCoalition(input: { name: \"HRD group\", hostCountry: \"PH\", members: [\"NL\", \"SE\"] }) { id } }",
                    json!({}),
                )
                .await;
            let id = c.data()["createCoalition"]["id"]
                .as_str()
                .expect("id")
                .to_owned();
            coord
                .q(
                    "mutation($c: ID!, $k: ID!) { shareCase(caseId: $c, input: { coalitionId: $k, level: DETAIL }) { id } }",
                    json!({ "c": case_id, "k": id }),
                )
                .await
                .data();
            Some(id)
        } else {
            coord
                .q(
                    "mutation($c: ID!) { shareCase(caseId: $c, input: { country: \"NL\", level: DETAIL }) { id } }",
                    json!({ "c": case_id }),
                )
                .await
                .data();
            None
        };
        let start = app.state().clock.now() + Duration::days(5);
        let local = start
            .with_timezone(&chrono_tz::Asia::Manila)
            .format("%Y-%m-%dT%H:00:00")
            .to_string();
        let h = coord
            .q(
                SCHEDULE,
                json!({ "c": case_id, "i": { "court": "RTC Branch 9", "city": "Iloilo City",
                    "localStart": local, "timezone": "Asia/Manila", "durationMinutes": 120, "observersNeeded": 1 } }),
            )
            .await;
        let hearing = h.data()["scheduleHearing"]["id"]
            .as_str()
            .expect("id")
            .to_owned();
        let nl = app.diplomat("NL").await;
        let ca = app.diplomat("CA").await;
        assert_eq!(claim(&nl, &hearing).await["status"], "CONFIRMED");
        assert_eq!(claim(&ca, &hearing).await["status"], "WAITLISTED");
        Stage {
            app,
            smtp,
            mailer,
            coord,
            ca_admin,
            case_id,
            coalition,
            hearing,
            nl,
            ca,
        }
    }

    async fn lose(&self, how: Loss) {
        let c = &self.case_id;
        let r = match how {
            Loss::TrialConsentWithdrawn => {
                self.coord.q(CONSENT, json!({ "c": c, "s": true, "t": false })).await
            }
            Loss::ShareConsentWithdrawn => {
                self.coord.q(CONSENT, json!({ "c": c, "s": false, "t": true })).await
            }
            Loss::Unshared => {
                self.coord
                    .q(
                        "mutation($c: ID!) { unshareCase(caseId: $c, input: { country: \"NL\" }) { id } }",
                        json!({ "c": c }),
                    )
                    .await
            }
            Loss::LoweredToSummary => {
                self.coord
                    .q(
                        "mutation($c: ID!) { shareCase(caseId: $c, input: { country: \"NL\", level: SUMMARY }) { id } }",
                        json!({ "c": c }),
                    )
                    .await
            }
            Loss::LeftTheCoalition => {
                self.ca_admin
                    .q(
                        "mutation($k: ID!) { removeCoalitionMember(coalitionId: $k, country: \"NL\") { id } }",
                        json!({ "k": self.coalition.as_deref().expect("a coalition") }),
                    )
                    .await
            }
        };
        r.data();
    }

    async fn regain(&self, how: Loss) {
        let c = &self.case_id;
        let r = match how {
            Loss::TrialConsentWithdrawn | Loss::ShareConsentWithdrawn => {
                self.coord.q(CONSENT, json!({ "c": c, "s": true, "t": true })).await
            }
            Loss::Unshared | Loss::LoweredToSummary => {
                self.coord
                    .q(
                        "mutation($c: ID!) { shareCase(caseId: $c, input: { country: \"NL\", level: DETAIL }) { id } }",
                        json!({ "c": c }),
                    )
                    .await
            }
            Loss::LeftTheCoalition => {
                self.ca_admin
                    .q(
                        "mutation($k: ID!) { addCoalitionMember(coalitionId: $k, country: \"NL\") { id } }",
                        json!({ "k": self.coalition.as_deref().expect("a coalition") }),
                    )
                    .await
            }
        };
        r.data();
    }

    async fn round(&self) -> usize {
        worker::run_once(self.app.state(), &self.mailer)
            .await
            .expect("a round runs")
    }

    /// The outbox rows addressed to `who`.
    async fn outbox_of(&self, who: &Actor) -> Vec<outbox::Model> {
        let id = user_uuid(&who.id);
        outbox::Entity::find()
            .filter(outbox::Column::RecipientUserId.eq(id))
            .all(self.app.db())
            .await
            .expect("outbox rows")
    }

    async fn calendar_of(&self, who: &Actor) -> String {
        let r = who
            .q("mutation { issueCalendarFeed { url } }", json!({}))
            .await;
        let url = r.data()["issueCalendarFeed"]["url"]
            .as_str()
            .expect("url")
            .to_owned();
        let path = url
            .split_once("/calendar/")
            .map(|(_, p)| format!("/calendar/{p}"))
            .expect("path");
        let res = self
            .app
            .http()
            .get(self.app.url(&path))
            .send()
            .await
            .expect("sent");
        assert_eq!(res.status().as_u16(), 200);
        res.text().await.expect("body")
    }
}

async fn claim(who: &Actor, hearing: &str) -> Value {
    who.q(CLAIM, json!({ "h": hearing })).await.data()["claimRosterSlot"].clone()
}

/// The uuid inside a global id (`base64url("Kind:uuid")`).
fn user_uuid(global: &str) -> uuid::Uuid {
    use base64::Engine;
    let raw = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(global)
        .expect("base64 id");
    let text = String::from_utf8(raw).expect("utf8 id");
    text.split_once(':')
        .and_then(|(_, u)| u.parse().ok())
        .expect("kind:uuid")
}

/// The hearing's uuid as it appears in a calendar UID.
fn uid_of(hearing: &str) -> String {
    format!("{}@accord", user_uuid(hearing))
}

async fn audit_count(app: &TestApp, action: &str) -> i64 {
    use sea_orm::ConnectionTrait;
    let db = app.db();
    let row = db
        .query_one_raw(sea_orm::Statement::from_sql_and_values(
            db.get_database_backend(),
            match db.get_database_backend() {
                sea_orm::DbBackend::Postgres => {
                    "SELECT COUNT(*) AS n FROM audit_events WHERE action = $1"
                }
                _ => "SELECT COUNT(*) AS n FROM audit_events WHERE action = ?",
            },
            [action.into()],
        ))
        .await
        .expect("count")
        .expect("row");
    row.try_get::<i64>("", "n").expect("n")
}

/// The whole route, for one way of losing sight.
async fn losing_sight(app: TestApp, how: Loss) {
    let s = Stage::new(app, how == Loss::LeftTheCoalition).await;
    let h = s.hearing.clone();

    // Before: NL sees the hearing everywhere and holds the place.
    assert_eq!(
        s.nl.q(HEARINGS, json!({})).await.data()["hearings"]["totalCount"],
        1
    );
    assert!(s.calendar_of(&s.nl).await.contains(&uid_of(&h)));
    let mut ws = Ws::connect(&s.app, &s.nl).await;
    ws.subscribe("nl", &h).await;
    assert_eq!(ws.next_hearing("nl").await["confirmedCount"], 1);

    // A notice queued before the change, to be sent after it: the hearing
    // moves an hour (a RESCHEDULED to both claimants).
    let later = s.app.state().clock.now() + Duration::days(5) + Duration::hours(1);
    let local = later
        .with_timezone(&chrono_tz::Asia::Manila)
        .format("%Y-%m-%dT%H:00:00")
        .to_string();
    s.coord
        .q(
            "mutation($h: ID!, $l: String!) { updateHearing(id: $h, input: { localStart: $l }) { id } }",
            json!({ "h": h, "l": local }),
        )
        .await
        .data();
    assert_eq!(
        s.outbox_of(&s.nl).await.len(),
        1,
        "queued before the change"
    );
    // NL still saw it then, so its stream carried the move.
    assert_eq!(ws.next_hearing("nl").await["confirmedCount"], 1);

    s.lose(how).await;
    // The live stream ends at once, with NOT_FOUND and no data.
    assert_eq!(ws.ending("nl").await, ["NOT_FOUND"]);

    // NL: the hearing does not exist for it, in any shape.
    s.nl.q(HEARING, json!({ "id": h }))
        .await
        .assert_code("NOT_FOUND");
    s.nl.q(NODE, json!({ "id": h }))
        .await
        .assert_code("NOT_FOUND");
    let list = s.nl.q(HEARINGS, json!({})).await;
    assert_eq!(list.data()["hearings"]["totalCount"], 0);
    assert_eq!(list.data()["hearings"]["edges"], json!([]));
    assert_eq!(
        s.nl.q(MY_ROSTER, json!({})).await.data()["myRoster"],
        json!([])
    );
    assert!(
        !s.calendar_of(&s.nl).await.contains(&uid_of(&h)),
        "calendar entry gone"
    );
    // Nor can it claim or release.
    s.nl.q(CLAIM, json!({ "h": h }))
        .await
        .assert_code("NOT_FOUND");
    let other_nl = s.app.diplomat("NL").await;
    other_nl
        .q(CLAIM, json!({ "h": h }))
        .await
        .assert_code("NOT_FOUND");

    // Withdrawn consent to trial observation closes the roster for everyone,
    // the owner country included: its waitlisted diplomat is suspended too.
    let closes_roster = how == Loss::TrialConsentWithdrawn;

    // The owner: NL's claim is kept, suspended with its reason; the
    // waitlisted CA diplomat moved up into the place (or, when the roster
    // closed, is suspended as well).
    let owner_view = s.coord.q(HEARING, json!({ "id": h })).await;
    let hearing = &owner_view.data()["hearing"];
    let claims = hearing["claims"].as_array().expect("claims");
    assert_eq!(claims.len(), 2, "{claims:?}");
    let nl_claim = claims
        .iter()
        .find(|c| c["country"] == "NL")
        .expect("NL's claim");
    let ca_claim = claims
        .iter()
        .find(|c| c["country"] == "CA")
        .expect("CA's claim");
    assert_eq!(nl_claim["status"], "SUSPENDED");
    assert_eq!(nl_claim["suspendedReason"], how.reason());
    assert_eq!(nl_claim["position"], Value::Null);
    assert_eq!(nl_claim["user"]["id"], s.nl.id.as_str());
    if closes_roster {
        assert_eq!(hearing["confirmedCount"], 0);
        assert_eq!(hearing["coverage"], "UNCOVERED");
        assert_eq!(ca_claim["status"], "SUSPENDED");
        assert_eq!(ca_claim["suspendedReason"], "CONSENT_WITHDRAWN");
        assert_eq!(
            s.ca.q(MY_ROSTER, json!({})).await.data()["myRoster"],
            json!([])
        );
        s.ca.q(CLAIM, json!({ "h": h }))
            .await
            .assert_code("CONSENT_REQUIRED");
        assert_eq!(audit_count(&s.app, "ROSTER_CLAIM_SUSPENDED").await, 2);
    } else {
        assert_eq!(hearing["confirmedCount"], 1);
        assert_eq!(hearing["coverage"], "COVERED");
        assert_eq!(claims[0]["country"], "CA");
        assert_eq!(ca_claim["status"], "CONFIRMED");
        assert_eq!(
            s.ca.q(MY_ROSTER, json!({})).await.data()["myRoster"][0]["status"],
            "CONFIRMED"
        );
        assert_eq!(audit_count(&s.app, "ROSTER_CLAIM_SUSPENDED").await, 1);
    }

    // Email: the round sends the CA diplomat the reschedule and the
    // promotion (nothing when the roster closed: the reschedule is no
    // longer theirs to hear); NL gets nothing, not even the notice queued
    // before.
    let to_ca = if closes_roster { 0 } else { 2 };
    assert_eq!(s.round().await, to_ca);
    assert!(s.smtp.messages_to(&s.nl.email).is_empty());
    assert_eq!(s.smtp.messages_to(&s.ca.email).len(), to_ca);
    let nl_rows = s.outbox_of(&s.nl).await;
    assert_eq!(nl_rows.len(), 1, "no new notice queued for NL");
    assert_eq!(nl_rows[0].status, "DROPPED");
    assert_eq!(nl_rows[0].drop_reason.as_deref(), Some("NOT_VISIBLE"));
    assert!(nl_rows[0].sent_at.is_none());

    // Reminders: 48 h before, only the confirmed CA diplomat is reminded
    // (nobody when the roster closed).
    s.app.advance_clock(Duration::days(4));
    s.round().await;
    assert!(s.smtp.messages_to(&s.nl.email).is_empty());
    let to_ca = if closes_roster { 0 } else { 3 };
    assert_eq!(s.smtp.messages_to(&s.ca.email).len(), to_ca);

    // Sight returns: the hearing is back, NL's old claim is not (it is
    // shown only to the owner), and NL may claim again, behind CA.
    s.regain(how).await;
    assert_eq!(
        s.nl.q(HEARINGS, json!({})).await.data()["hearings"]["totalCount"],
        1
    );
    let nl_view = s.nl.q(HEARING, json!({ "id": h })).await;
    let nl_claims = nl_view.data()["hearing"]["claims"]
        .as_array()
        .expect("claims")
        .clone();
    assert_eq!(
        s.nl.q(MY_ROSTER, json!({})).await.data()["myRoster"],
        json!([])
    );
    if closes_roster {
        // Both claims were suspended: the roster shows NL nothing, and
        // claims are taken again in the order they come.
        assert_eq!(nl_claims, Vec::<Value>::new());
        let again = claim(&s.nl, &h).await;
        assert_eq!(again["status"], "CONFIRMED");
        let ca_again = claim(&s.ca, &h).await;
        assert_eq!(ca_again["status"], "WAITLISTED");
        assert_eq!(ca_again["position"], 1);
    } else {
        assert_eq!(nl_claims.len(), 1, "{nl_claims:?}");
        assert_eq!(nl_claims[0]["country"], "CA");
        assert_eq!(nl_claims[0]["user"], Value::Null);
        let again = claim(&s.nl, &h).await;
        assert_eq!(again["status"], "WAITLISTED");
        assert_eq!(again["position"], 1);
    }
    let owner_view = s.coord.q(HEARING, json!({ "id": h })).await;
    let statuses: Vec<&str> = owner_view.data()["hearing"]["claims"]
        .as_array()
        .expect("claims")
        .iter()
        .map(|c| c["status"].as_str().expect("status"))
        .collect();
    assert_eq!(statuses, ["CONFIRMED", "WAITLISTED"]);
    // The access and calendar indexes followed every change (the reschedule too).
    assert_access_index_holds(&s.app, "after losing and regaining sight").await;
}

on_both_backends! {
    async fn withdrawing_consent_to_trial_observation_takes_the_roster_away(app: TestApp) {
        losing_sight(app, Loss::TrialConsentWithdrawn).await;
    }

    async fn withdrawing_consent_to_share_takes_the_roster_away(app: TestApp) {
        losing_sight(app, Loss::ShareConsentWithdrawn).await;
    }

    async fn unsharing_takes_the_roster_away(app: TestApp) {
        losing_sight(app, Loss::Unshared).await;
    }

    async fn lowering_a_share_to_summary_takes_the_roster_away(app: TestApp) {
        losing_sight(app, Loss::LoweredToSummary).await;
    }

    async fn leaving_the_coalition_takes_the_roster_away(app: TestApp) {
        losing_sight(app, Loss::LeftTheCoalition).await;
    }

    async fn the_owner_country_keeps_its_hearings_but_no_place_without_consent(app: TestApp) {
        let s = Stage::new(app, false).await;
        s.lose(Loss::ShareConsentWithdrawn).await;
        // Without consent to share, the owner's own claim holds.
        let view = s.ca.q(HEARING, json!({ "id": s.hearing })).await;
        assert_eq!(view.data()["hearing"]["confirmedCount"], 1);
        assert_eq!(s.ca.q(MY_ROSTER, json!({})).await.data()["myRoster"][0]["status"], "CONFIRMED");
        let ca2 = s.app.diplomat("CA").await;
        assert_eq!(claim(&ca2, &s.hearing).await["status"], "WAITLISTED");
        // Without consent to trial observation, the roster closes for the
        // owner country too: CA still reads the hearing, holds no place and
        // may not claim.
        s.lose(Loss::TrialConsentWithdrawn).await;
        let view = s.ca.q(HEARING, json!({ "id": s.hearing })).await;
        assert_eq!(view.data()["hearing"]["confirmedCount"], 0);
        assert_eq!(s.ca.q(MY_ROSTER, json!({})).await.data()["myRoster"], json!([]));
        s.app.diplomat("CA").await.q(CLAIM, json!({ "h": s.hearing })).await.assert_code("CONSENT_REQUIRED");
        // NL's suspension was audited once (not again by the second
        // withdrawal), then each of CA's two claims once.
        assert_eq!(audit_count(&s.app, "ROSTER_CLAIM_SUSPENDED").await, 3);
    }

    async fn claims_racing_a_consent_withdrawal_never_keep_a_place(app: TestApp) {
        let s = Stage::new(app, false).await;
        // Raise the places so that racing claims would be confirmed.
        s.coord
            .q("mutation($h: ID!) { updateHearing(id: $h, input: { observersNeeded: 50 }) { id } }",
               json!({ "h": s.hearing }))
            .await
            .data();
        let mut diplomats = Vec::new();
        for _ in 0..20 {
            diplomats.push(s.app.diplomat("NL").await);
        }
        let hearing = s.hearing.clone();
        let claims = diplomats.iter().map(|d| {
            let h = hearing.clone();
            async move { d.q(CLAIM, json!({ "h": h })).await }
        });
        let withdraw = async {
            tokio::time::sleep(std::time::Duration::from_millis(5)).await;
            s.lose(Loss::TrialConsentWithdrawn).await;
        };
        let (answers, ()) = tokio::join!(futures::future::join_all(claims), withdraw);
        let mut succeeded = 0;
        for a in &answers {
            if a.body["errors"].is_null() {
                succeeded += 1;
            } else {
                assert_eq!(a.code(), "NOT_FOUND", "{}", a.body);
            }
        }
        // Whatever the interleaving: every NL claim (the first one and each
        // racing claim that got in) is suspended, none holds a place — nor
        // does CA's (the roster closed for the owner country too).
        let view = s.coord.q(HEARING, json!({ "id": s.hearing })).await;
        let claims = view.data()["hearing"]["claims"].as_array().expect("claims").clone();
        let nl: Vec<&Value> = claims.iter().filter(|c| c["country"] == "NL").collect();
        assert_eq!(nl.len(), 1 + succeeded, "{claims:?}");
        assert!(claims.iter().all(|c| c["status"] == "SUSPENDED"), "{claims:?}");
        assert_eq!(view.data()["hearing"]["confirmedCount"], 0, "no claim holds a place");
    }
}
