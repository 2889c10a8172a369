//! Attack-report email, delivered over a real SMTP socket (`smtp.rs`): a new
//! report tells the recipient countries' coordinators, each triage step tells
//! the submitting organization, an unacknowledged report reminds a country
//! once, and none of it carries anything from the report (docs/RULES.md rule 8).
//! Retention erases descriptions nobody acted on; descriptions are sealed at
//! rest and follow key rotation.
use accord_server::jobs::{self as worker, MAX_BACKOFF_SECS};
use accord_server::mail::transport::Mailer;
use accord_server::store::{attack_report, outbox};
use chrono::Duration;
use sea_orm::{ConnectionTrait, DbBackend, EntityTrait};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::builders::{
    acknowledge, close, deactivate, link, open_case, read_report, recipients, row_uuid, submit,
    users,
};
use crate::helpers::*;
use crate::on_both_backends;
use crate::smtp::{Received, SmtpServer};

const RECEIVED: &str = "Accord: a new attack report needs attention";
const UNACKNOWLEDGED: &str = "Accord: an attack report is still waiting for your country";
const RESPONDED: &str = "Accord: a country responded to your report";

/// Distinctive words that appear only in what a submitter or a country typed.
const DESCRIPTION_MARKER: &str = "Zanzibarmarker";
const VICTIM_MARKER: &str = "Ofeliamarker";
const REGION: &str = "Quillonmarker District";
const NOTE_MARKER: &str = "Tamarindnotemarker";
const DESCRIPTION: &str = "Zanzibarmarker: armed men raided the home of Ofeliamarker Santos, \
    a fisherfolk organiser; her nephew was beaten and the family's phones were seized.";
const INCIDENT_DATE: &str = "2026-10-14";
const INCIDENT_TIME: &str = "06:55";

/// A report whose every typed field carries a marker.
struct Marked {
    id: String,
    uuid: Uuid,
    /// What no email may carry, in any case.
    secrets: Vec<String>,
}

impl Marked {
    async fn submit(by: &Actor, recipients: &[&str]) -> Marked {
        let r = submit(
            by,
            recipients,
            json!({
                "hostCountry": "PH",
                "region": REGION,
                "incidentDate": INCIDENT_DATE,
                "incidentTime": INCIDENT_TIME,
                "timezone": "Asia/Manila",
                "attackTypes": ["PHYSICAL_ATTACK", "RAID"],
                "perpetratorTypes": ["NON_STATE_ARMED"],
                "description": DESCRIPTION,
            }),
        )
        .await;
        let report = r.data()["submitAttackReport"].clone();
        assert_eq!(report["description"], DESCRIPTION);
        let id = str_of(&report["id"], "id");
        let mut secrets: Vec<String> = [
            DESCRIPTION,
            DESCRIPTION_MARKER,
            VICTIM_MARKER,
            "Santos",
            "fisherfolk",
            "organiser",
            "nephew",
            "beaten",
            "phones",
            "seized",
            REGION,
            "Quillonmarker",
            INCIDENT_DATE,
            "2026-10-13",
            "14 Oct",
            "Oct 14",
            INCIDENT_TIME,
            "22:55",
            "Asia/Manila",
            "Manila",
            "Philippines",
            "physical",
            "raid",
            "non_state",
            "armed",
        ]
        .map(str::to_owned)
        .to_vec();
        secrets.push(str_of(&report["reference"], "reference"));
        if let Some(org) = report["organization"]["name"].as_str() {
            secrets.push(org.to_owned());
        }
        Marked {
            uuid: row_uuid(&id),
            id,
            secrets,
        }
    }
}

/// The app with an SMTP server the test's worker rounds send to.
struct Mail {
    app: TestApp,
    smtp: SmtpServer,
    mailer: Mailer,
}

impl Mail {
    async fn new(app: &TestApp) -> Mail {
        let smtp = SmtpServer::start().await;
        let mut config = (*app.state().config).clone();
        config.smtp_url = Some(smtp.url().into());
        let mailer = Mailer::from_config(&config).expect("SMTP mailer");
        Mail {
            app: app.clone(),
            smtp,
            mailer,
        }
    }

    /// One worker round, as each replica runs it; messages sent.
    async fn round(&self) -> usize {
        worker::run_once(self.app.state(), &self.mailer)
            .await
            .expect("a round runs")
    }

    fn subjects_to(&self, who: &Actor) -> Vec<String> {
        self.smtp
            .messages_to(&who.email)
            .iter()
            .map(Received::subject)
            .collect()
    }

    /// Every outbox row of `kind`, oldest first.
    async fn outbox(&self, kind: &str) -> Vec<outbox::Model> {
        crate::builders::outbox_of(&self.app, kind).await
    }

    /// Rule 8 for every message so far: a link to one of `reports` and
    /// nothing from any of them, nor any of `more`.
    #[track_caller]
    fn assert_all_discreet(&self, reports: &[&Marked], more: &[&str]) {
        let got = self.smtp.messages();
        assert!(!got.is_empty(), "no message to check");
        for m in &got {
            assert_discreet(&self.app, m, reports, more);
        }
    }
}

/// One message: single recipient, a link to exactly one of `reports`, and no
/// secret of any of them (nor of `more`) in the subject, the body or the raw
/// message; no country named in a sentence.
#[track_caller]
fn assert_discreet(app: &TestApp, m: &Received, reports: &[&Marked], more: &[&str]) {
    assert_eq!(m.recipients.len(), 1, "one recipient per message");
    let subject = m.subject();
    let body = m.body();
    let public = app
        .state()
        .config
        .public_url
        .trim_end_matches('/')
        .to_owned();
    let linked: Vec<&&Marked> = reports
        .iter()
        .filter(|r| body.contains(&format!("{public}/reports/{}", r.id)))
        .collect();
    assert_eq!(linked.len(), 1, "no link to the report in:\n{body}");
    // The link carries the API's global id (the web page's address), and
    // the id appears nowhere else in the message.
    assert_eq!(body.matches(&linked[0].id).count(), 1, "{body}");
    let words = format!("{subject}\n{body}").to_lowercase();
    let raw = m.data.to_lowercase();
    let secrets = reports
        .iter()
        .flat_map(|r| r.secrets.iter().map(String::as_str))
        .chain(more.iter().copied());
    for secret in secrets {
        let secret = secret.to_lowercase();
        assert!(
            !words.contains(&secret),
            "an email carries {secret:?}:\n{subject}\n{body}"
        );
        // Timestamps may happen to match the Date header; markers may not.
        if secret.contains("marker") || secret.len() > 20 {
            assert!(!raw.contains(&secret), "the raw message carries {secret:?}");
        }
    }
    let country = regex::Regex::new(r"\b(PH|NL|CA|DE)\b").expect("regex");
    for text in [&subject, &body] {
        assert!(
            !country.is_match(text),
            "an email names a country in:\n{text}"
        );
        for name in ["Netherlands", "Canada", "Germany", "Dutch", "Canadian"] {
            assert!(!text.contains(name), "an email names {name}:\n{text}");
        }
    }
}

/// The report a queued notice is about.
fn about(row: &outbox::Model) -> Uuid {
    let payload: Value = serde_json::from_str(&row.payload).expect("JSON payload");
    str_of(&payload["report_id"], "report_id")
        .parse()
        .expect("a uuid")
}

fn note(step: u32) -> String {
    format!("{NOTE_MARKER} {step}: raised with the provincial police in Dumaguete")
}

/// Every file of the SQLite database, after a checkpoint: none may hold `needle`.
async fn assert_sqlite_files_lack(app: &TestApp, needle: &str) {
    if app.db().get_database_backend() != DbBackend::Sqlite {
        return;
    }
    app.db()
        .execute_unprepared("PRAGMA wal_checkpoint(TRUNCATE)")
        .await
        .expect("checkpoint");
    let mut files = 0;
    for entry in std::fs::read_dir(app.data_dir()).expect("data dir") {
        let path = entry.expect("entry").path();
        let bytes = std::fs::read(&path).expect("read a database file");
        files += 1;
        assert!(
            !bytes
                .windows(needle.len())
                .any(|w| w.eq_ignore_ascii_case(needle.as_bytes())),
            "{needle:?} in clear in {}",
            path.display()
        );
    }
    assert!(files > 0, "no database file found");
}

/// The stored (sealed) description of every report: never the text in clear.
async fn assert_sealed_at_rest(app: &TestApp) -> Vec<attack_report::Model> {
    let rows = attack_report::Entity::find()
        .all(app.db())
        .await
        .expect("reports");
    for r in &rows {
        if let Some(sealed) = &r.description_sealed {
            assert!(sealed.starts_with("v1:"), "{sealed}");
            let lower = sealed.to_lowercase();
            for marker in [DESCRIPTION_MARKER, VICTIM_MARKER, "fisherfolk"] {
                assert!(
                    !lower.contains(&marker.to_lowercase()),
                    "description in clear: {sealed}"
                );
            }
        }
    }
    rows
}

on_both_backends! {
    async fn a_new_report_tells_the_recipient_coordinators_only(app: TestApp) {
        let m = Mail::new(&app).await;
        let nl1 = app.user("COORDINATOR", "NL").await;
        let nl2 = app.user("COORDINATOR", "NL").await;
        let nl_gone = app.user("COORDINATOR", "NL").await;
        deactivate(&app.admin("NL").await, &nl_gone).await;
        let nl_diplomat = app.diplomat("NL").await;
        let nl_admin = app.admin("NL").await;
        let ca = app.user("COORDINATOR", "CA").await;
        let ca_diplomat = app.diplomat("CA").await;
        let de = app.user("COORDINATOR", "DE").await;
        let liaison = app.liaison().await;

        let report = Marked::submit(&liaison, &["NL", "CA"]).await;
        // Queued with the report, one per active coordinator of each recipient.
        let queued = m.outbox("REPORT_RECEIVED").await;
        assert_eq!(recipients(&queued), users(&[&nl1, &nl2, &ca]));
        assert!(queued.iter().all(|r| about(r) == report.uuid && r.status == "PENDING"));
        for r in &queued {
            assert!(!r.payload.contains(DESCRIPTION_MARKER) && !r.payload.contains("Quillon"), "{}", r.payload);
        }

        assert_eq!(m.round().await, 3);
        for _ in 0..3 {
            assert_eq!(m.round().await, 0, "each notice is sent once");
        }
        for who in [&nl1, &nl2, &ca] {
            assert_eq!(m.subjects_to(who), [RECEIVED], "{}", who.email);
        }
        for who in [&nl_gone, &nl_diplomat, &nl_admin, &ca_diplomat, &de, &liaison] {
            assert!(m.subjects_to(who).is_empty(), "{} was told", who.email);
        }
        assert_eq!(m.smtp.messages().len(), 3);
        m.assert_all_discreet(&[&report], &[]);
        let body = m.smtp.messages_to(&nl1.email)[0].body();
        assert!(
            body.contains(&format!("http://127.0.0.1:8080/reports/{}", report.id)),
            "{body}"
        );
        assert!(m.outbox("REPORT_RECEIVED").await.iter().all(|r| r.status == "SENT" && r.sent_at.is_some()));

        // A coordinator who submits is not told of their own report; their
        // colleagues (their country receives it too) and the recipients are.
        let own = Marked::submit(&nl1, &["CA"]).await;
        assert_eq!(m.round().await, 2);
        assert_eq!(m.round().await, 0);
        assert_eq!(m.subjects_to(&nl1), [RECEIVED]);
        assert_eq!(m.subjects_to(&nl2), [RECEIVED, RECEIVED]);
        assert_eq!(m.subjects_to(&ca), [RECEIVED, RECEIVED]);
        assert!(m.subjects_to(&nl_diplomat).is_empty() && m.subjects_to(&ca_diplomat).is_empty());
        let queued = m.outbox("REPORT_RECEIVED").await;
        assert_eq!(
            recipients(&queued.into_iter().filter(|r| about(r) == own.uuid).collect::<Vec<_>>()),
            users(&[&nl2, &ca])
        );
        m.assert_all_discreet(&[&report, &own], &[]);
    }

    async fn each_triage_step_tells_the_submitting_organization_only(app: TestApp) {
        let m = Mail::new(&app).await;
        let org = app.organization().await;
        let l1 = app.liaison_of(&org).await;
        let l2 = app.liaison_of(&org).await;
        let l_gone = app.liaison_of(&org).await;
        deactivate(&app.operator().await, &l_gone).await;
        let stranger = app.liaison().await;
        let nl = app.user("COORDINATOR", "NL").await;
        let ca = app.diplomat("CA").await;
        let report = Marked::submit(&l1, &["NL", "CA"]).await;
        assert_eq!(m.round().await, 1, "NL's coordinator is told; CA has none");
        let case = open_case(&nl, "Defender Kestrelmarker", "Legal Kestrelmarker").await;
        let case_id = str_of(&case["id"], "id");

        acknowledge(&nl, &report.id, Some(&note(1))).await.data();
        assert_eq!(m.round().await, 2, "both active liaisons");
        link(&nl, &report.id, &case_id).await.data();
        assert_eq!(m.round().await, 2);
        acknowledge(&ca, &report.id, Some(&note(3))).await.data();
        assert_eq!(m.round().await, 2);
        close(&ca, &report.id, "NO_ACTION", Some(&note(4))).await.data();
        assert_eq!(m.round().await, 2);
        for _ in 0..3 {
            assert_eq!(m.round().await, 0);
        }

        for who in [&l1, &l2] {
            assert_eq!(m.subjects_to(who), [RESPONDED; 4], "{}", who.email);
        }
        assert!(m.subjects_to(&l_gone).is_empty(), "a deactivated liaison is not told");
        assert!(m.subjects_to(&stranger).is_empty());
        assert_eq!(m.subjects_to(&nl), [RECEIVED], "countries are not told of their own steps");
        assert!(m.subjects_to(&ca).is_empty());
        let rows = m.outbox("REPORT_RESPONDED").await;
        assert_eq!(rows.len(), 8);
        assert!(rows.iter().all(|r| r.status == "SENT" && about(r) == report.uuid));
        assert!(rows.iter().all(|r| !r.payload.contains(NOTE_MARKER)), "the outbox holds no note");

        // The notes are there for the organization to read, in the app only.
        let seen = read_report(&l1, &report.id).await;
        let responses = seen.data()["attackReport"]["responses"].clone();
        assert_eq!(responses[0]["note"], note(4));
        assert_eq!(responses[1]["note"], note(1));
        m.assert_all_discreet(
            &[&report],
            &[NOTE_MARKER, "Dumaguete", "police", "Kestrelmarker", "Mindanao", "Community leader",
              "prefers Signal", "linked", "no_action", "no action", "escalated", "acknowledged"],
        );
    }

    async fn an_unacknowledged_report_reminds_its_country_once(app: TestApp) {
        let m = Mail::new(&app).await;
        let nl1 = app.user("COORDINATOR", "NL").await;
        let nl2 = app.user("COORDINATOR", "NL").await;
        let nl_diplomat = app.diplomat("NL").await;
        let ca = app.user("COORDINATOR", "CA").await;
        let liaison = app.liaison().await;
        let hours = app.state().config.report_renotify_hours;
        assert_eq!(hours, 72);

        // A goes to NL and CA; CA acknowledges it. B goes to NL only.
        let a = Marked::submit(&liaison, &["NL", "CA"]).await;
        let b = Marked::submit(&liaison, &["NL"]).await;
        assert_eq!(m.round().await, 5);
        acknowledge(&ca, &a.id, None).await.data();
        assert_eq!(m.round().await, 1, "the organization hears of CA's step");

        app.advance_clock(Duration::hours(hours - 1));
        for _ in 0..3 {
            assert_eq!(m.round().await, 0, "not before {hours} h");
        }
        assert!(m.outbox("REPORT_UNACKNOWLEDGED").await.is_empty());

        // Past the threshold, with the SMTP server down: both reminders are
        // queued for each NL coordinator but cannot be sent yet.
        m.smtp.stop().await;
        app.advance_clock(Duration::hours(2));
        assert_eq!(m.round().await, 0);
        let queued = m.outbox("REPORT_UNACKNOWLEDGED").await;
        assert_eq!(queued.len(), 4, "{queued:?}");
        for report in [&a, &b] {
            let rows: Vec<outbox::Model> = queued.iter().filter(|r| about(r) == report.uuid).cloned().collect();
            assert_eq!(recipients(&rows), users(&[&nl1, &nl2]), "one per NL coordinator");
        }
        assert!(queued.iter().all(|r| r.status == "PENDING" && r.attempts == 1));

        // NL acknowledges B before the worker gets through: B's reminder is
        // overtaken and dropped; A's still goes out.
        acknowledge(&nl2, &b.id, None).await.data();
        m.smtp.restart().await;
        app.advance_clock(Duration::seconds(MAX_BACKOFF_SECS + 1));
        assert_eq!(m.round().await, 3, "A's two reminders and the organization's notice");
        for _ in 0..3 {
            assert_eq!(m.round().await, 0);
        }
        app.advance_clock(Duration::hours(hours * 3));
        for _ in 0..3 {
            assert_eq!(m.round().await, 0, "a country is reminded once");
        }

        let rows = m.outbox("REPORT_UNACKNOWLEDGED").await;
        assert_eq!(rows.len(), 4, "no further reminder was queued: {rows:?}");
        for r in &rows {
            let expected = if about(r) == a.uuid {
                ("SENT", None)
            } else {
                ("DROPPED", Some("OVERTAKEN"))
            };
            assert_eq!((r.status.as_str(), r.drop_reason.as_deref()), expected, "{r:?}");
        }
        for who in [&nl1, &nl2] {
            assert_eq!(m.subjects_to(who), [RECEIVED, RECEIVED, UNACKNOWLEDGED], "{}", who.email);
            let reminder = m.smtp.messages_to(&who.email).pop().expect("reminder");
            assert!(reminder.body().contains(&format!("/reports/{}", a.id)), "{}", reminder.body());
        }
        assert_eq!(m.subjects_to(&ca), [RECEIVED], "CA acknowledged: no reminder");
        assert!(m.subjects_to(&nl_diplomat).is_empty());
        assert_eq!(m.subjects_to(&liaison), [RESPONDED, RESPONDED]);
        m.assert_all_discreet(&[&a, &b], &[]);
    }

    async fn retention_erases_descriptions_nobody_acted_on(app: TestApp) {
        let m = Mail::new(&app).await;
        let nl = app.user("COORDINATOR", "NL").await;
        let ca = app.user("COORDINATOR", "CA").await;
        let liaison = app.liaison().await;
        let days = app.state().config.report_retention_days;
        assert_eq!(days, 180);

        // Everyone closes `dropped` as NO_ACTION (CA ten days after NL);
        // `escalated` has one ESCALATED response; `open` is still RECEIVED at CA.
        let dropped = Marked::submit(&liaison, &["NL", "CA"]).await;
        let escalated = Marked::submit(&liaison, &["NL", "CA"]).await;
        let open = Marked::submit(&liaison, &["NL", "CA"]).await;
        for r in [&dropped, &escalated, &open] {
            acknowledge(&nl, &r.id, None).await.data();
            close(&nl, &r.id, "NO_ACTION", None).await.data();
        }
        acknowledge(&ca, &escalated.id, None).await.data();
        close(&ca, &escalated.id, "ESCALATED", None).await.data();
        assert_eq!(m.round().await, 6 + 8, "receipts and responses");
        app.advance_clock(Duration::days(10));
        acknowledge(&ca, &dropped.id, None).await.data();
        close(&ca, &dropped.id, "NO_ACTION", Some(&note(1))).await.data();
        m.round().await;

        let erased = "attack_reports WHERE description_sealed IS NULL OR description_erased_at IS NOT NULL";
        let audited = "audit_events WHERE action = 'ATTACK_REPORT_DESCRIPTION_ERASED'";
        // The period runs from the last close: 185 days after NL closed, 175 after CA.
        app.advance_clock(Duration::days(days - 5));
        for _ in 0..2 {
            m.round().await;
        }
        assert_eq!(app.count_rows(erased).await, 0, "nothing erased before the period");
        assert_eq!(app.count_rows(audited).await, 0);
        assert_eq!(read_report(&nl, &dropped.id).await.data()["attackReport"]["description"], DESCRIPTION);
        assert_sealed_at_rest(&app).await;
        assert_sqlite_files_lack(&app, DESCRIPTION_MARKER).await;

        app.advance_clock(Duration::days(6));
        m.round().await;
        m.round().await;
        assert_eq!(app.count_rows(erased).await, 1);
        assert_eq!(app.count_rows(audited).await, 1);
        assert_eq!(
            app.count_rows(&format!("{audited} AND object_id = '{}'", dropped.uuid)).await,
            1
        );

        // Through the API: the text is gone, the statistics stay, for everyone.
        for who in [&nl, &ca, &liaison] {
            let r = read_report(who, &dropped.id).await;
            let report = &r.data()["attackReport"];
            assert!(report["description"].is_null(), "{report}");
            assert!(report["descriptionErasedAt"].is_string(), "{report}");
            assert_eq!(report["attackTypes"], json!(["PHYSICAL_ATTACK", "RAID"]));
            assert_eq!(report["perpetratorTypes"], json!(["NON_STATE_ARMED"]));
            assert_eq!(report["incidentDate"], INCIDENT_DATE);
            assert_eq!(report["hostCountry"], "PH");
            assert_eq!(report["region"], REGION);
            assert_eq!(report["recipientCountries"], json!(["CA", "NL"]));
            let states: Vec<&str> = report["responses"].as_array().expect("responses")
                .iter().map(|r| r["state"].as_str().expect("state")).collect();
            assert_eq!(states, ["NO_ACTION", "NO_ACTION"]);
            assert_eq!(report["responses"][0]["note"], note(1));
        }
        for (kept, why) in [(&escalated, "an ESCALATED response"), (&open, "a RECEIVED response")] {
            let r = read_report(&nl, &kept.id).await;
            let report = &r.data()["attackReport"];
            assert_eq!(report["description"], DESCRIPTION, "a report with {why} is kept");
            assert!(report["descriptionErasedAt"].is_null());
        }
        let filter = json!({ "attackType": "RAID", "hostCountry": "PH" });
        let r = nl.q("query($f: AttackReportFilter) { attackReports(filter: $f) { totalCount } }", json!({ "f": filter })).await;
        assert_eq!(r.data()["attackReports"]["totalCount"], 3, "erased reports still count");

        // Underneath: the sealed column is empty for the erased one, ciphertext for the rest.
        let rows = assert_sealed_at_rest(&app).await;
        for r in &rows {
            let gone = r.id == dropped.uuid;
            assert_eq!(r.description_sealed.is_none(), gone, "{}", r.id);
            assert_eq!(r.description_erased_at.is_some(), gone, "{}", r.id);
        }
        // Later rounds erase nothing more and audit nothing twice.
        app.advance_clock(Duration::days(days));
        m.round().await;
        assert_eq!(app.count_rows(erased).await, 1);
        assert_eq!(app.count_rows(audited).await, 1);
        assert_sqlite_files_lack(&app, DESCRIPTION_MARKER).await;
        assert_sqlite_files_lack(&app, VICTIM_MARKER).await;
    }
}

/// Another 32-byte key, and the development key the test server starts with.
const NEW_KEY: &str = "k2:AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE=";

/// `accord rotate-keys` re-seals report descriptions with the new key; the
/// server keeps reading them.
async fn rotation(backend: Backend) {
    use accord_server::crypto::{DEVELOPMENT_KEY, KeyRing};
    // The server holds both keys and seals with the old one, as a deployment
    // does between adding a key and running the rotation.
    let Some(app) = TestApp::spawn_with(backend, |c| {
        c.identity_keys = Some(format!("{DEVELOPMENT_KEY},{NEW_KEY}").into());
    })
    .await
    else {
        return;
    };
    let nl = app.user("COORDINATOR", "NL").await;
    let liaison = app.liaison().await;
    let first = Marked::submit(&liaison, &["NL"]).await;
    let second = Marked::submit(&liaison, &["NL"]).await;
    let old_id = DEVELOPMENT_KEY.split(':').next().expect("id");
    for r in assert_sealed_at_rest(&app).await {
        let sealed = r.description_sealed.expect("sealed");
        assert!(sealed.starts_with(&format!("v1:{old_id}:")), "{sealed}");
    }

    let mut config = test_config("unused".into());
    config.identity_keys = Some(format!("{NEW_KEY},{DEVELOPMENT_KEY}").into());
    let rotated = accord_server::state::AppState::new(app.db().clone(), config).expect("state");
    let n = accord_server::service::cases::rotate_identity_keys(&rotated)
        .await
        .expect("rotate");
    assert_eq!(n, 2, "both descriptions re-sealed");
    assert_eq!(
        accord_server::service::cases::rotate_identity_keys(&rotated)
            .await
            .expect("rotate"),
        0,
        "nothing left on the old key"
    );

    let only_old = KeyRing::parse(DEVELOPMENT_KEY).expect("old ring");
    let only_new = KeyRing::parse(NEW_KEY).expect("new ring");
    for r in assert_sealed_at_rest(&app).await {
        let sealed = r.description_sealed.expect("sealed");
        assert!(sealed.starts_with("v1:k2:"), "{sealed}");
        let context = format!("accord:report:{}:description", r.id);
        assert_eq!(
            only_new.open(&context, &sealed).expect("opens"),
            DESCRIPTION
        );
        assert!(
            only_old.open(&context, &sealed).is_err(),
            "really moved off the old key"
        );
    }
    for (who, report) in [(&nl, &first), (&liaison, &second)] {
        let r = read_report(who, &report.id).await;
        assert_eq!(
            r.data()["attackReport"]["description"],
            DESCRIPTION,
            "still readable after rotation"
        );
    }
    assert_eq!(
        app.count_rows("audit_events WHERE action = 'IDENTITY_KEYS_ROTATED'")
            .await,
        2
    );
    assert_sqlite_files_lack(&app, DESCRIPTION_MARKER).await;
}

mod rotating_keys_reseals_report_descriptions {
    use super::*;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sqlite() {
        rotation(Backend::Sqlite).await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn postgres() {
        rotation(Backend::Postgres).await;
    }
}
