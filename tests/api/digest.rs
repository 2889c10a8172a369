//! The weekly coverage digest over a real SMTP server: each coordinator on
//! the weekday they chose (from 07:00 in their mission's zone), once a week,
//! listing the upcoming hearings *they* see that lack observers — counts and
//! links only, no court, city, case or defender (docs/RULES.md rule 8) —
//! re-checked at send time like every notice.
use accord_server::jobs as worker;
use accord_server::mail::transport::Mailer;
use chrono::{Datelike, Duration, Timelike};
use serde_json::json;

use crate::builders::*;
use crate::helpers::*;
use crate::on_both_backends_with;
use crate::smtp::SmtpServer;

const SET: &str =
    "mutation($d: CoverageDigestDay!) { setCoverageDigest(day: $d) { coverageDigest } }";
const ME: &str = "{ me { coverageDigest } }";

/// The mission's local weekday at the app's clock, as the API spells it,
/// after moving the clock to 07:00 local or later.
fn today_from_seven(app: &TestApp) -> &'static str {
    let manila: chrono_tz::Tz = "Asia/Manila".parse().expect("zone");
    let local = app.state().clock.now().with_timezone(&manila);
    if local.hour() < 7 {
        app.advance_clock(Duration::hours(i64::from(7 - local.hour())));
    }
    let local = app.state().clock.now().with_timezone(&manila);
    [
        "MONDAY",
        "TUESDAY",
        "WEDNESDAY",
        "THURSDAY",
        "FRIDAY",
        "SATURDAY",
        "SUNDAY",
    ][local.weekday().num_days_from_monday() as usize]
}

on_both_backends_with! {
    async fn each_coordinator_gets_their_own_weekly_digest_with_links_only(app: TestApp) with |c: &mut accord_server::config::Config| c.coverage_digest = true; {
        let smtp = SmtpServer::start().await;
        let mut config = (*app.state().config).clone();
        config.smtp_url = Some(smtp.url().into());
        let mailer = Mailer::from_config(&config).expect("SMTP mailer");
        let round = || async { worker::run_once(app.state(), &mailer).await.expect("a round runs") };
        let today = today_from_seven(&app);

        let (ca_coord, case) = observed_case(&app).await;
        let nl_coord = app.user("COORDINATOR", "NL").await;
        let de_coord = app.user("COORDINATOR", "DE").await;
        let se_coord = app.user("COORDINATOR", "SE").await;
        let ca_off = app.user("COORDINATOR", "CA").await;
        let ca_dip = app.diplomat("CA").await;
        let public = app.state().config.public_url.trim_end_matches('/').to_owned();

        // The setting: coordinators only; Monday until chosen.
        assert_eq!(ca_coord.q(ME, json!({})).await.data()["me"]["coverageDigest"], "MONDAY");
        assert_eq!(ca_dip.q(ME, json!({})).await.data()["me"]["coverageDigest"], serde_json::Value::Null);
        ca_dip.q(SET, json!({ "d": today })).await.assert_code("FORBIDDEN");
        let r = ca_coord.q(SET, json!({ "d": "SOMEDAY" })).await;
        assert!(r.body["errors"][0]["message"].as_str().is_some_and(|m| m.contains("SOMEDAY")), "{}", r.body);
        assert_eq!(ca_coord.q(ME, json!({})).await.data()["me"]["coverageDigest"], "MONDAY", "nothing changed");
        for who in [&ca_coord, &nl_coord, &de_coord, &se_coord] {
            let r = who.q(SET, json!({ "d": today })).await;
            assert_eq!(r.data()["setCoverageDigest"]["coverageDigest"], today);
        }
        ca_off.q(SET, json!({ "d": "OFF" })).await.data();
        assert_eq!(ca_off.q(ME, json!({})).await.data()["me"]["coverageDigest"], "OFF");

        // Three hearings: one lacks both observers, one is covered, one is
        // beyond the digest's two weeks. A second case is shared with SE only.
        let short = schedule(&ca_coord, &case, &manila_in(3), "Asia/Manila", 2).await;
        let short = str_of(&short.data()["scheduleHearing"]["id"], "hearing");
        let covered = schedule(&ca_coord, &case, &manila_in(4), "Asia/Manila", 1).await;
        let covered = str_of(&covered.data()["scheduleHearing"]["id"], "hearing");
        claim(&ca_dip, &covered).await.data();
        let far = schedule(&ca_coord, &case, &manila_in(20), "Asia/Manila", 1).await;
        let far = str_of(&far.data()["scheduleHearing"]["id"], "hearing");
        let other = open_case(&ca_coord, "Defender Digest Other", "Other Person").await;
        let other = str_of(&other["id"], "case");
        consent(&ca_coord, &other, true).await.data();
        share(&ca_coord, &other, "SE", "DETAIL").await.data();
        let se_only = schedule(&ca_coord, &other, &manila_in(5), "Asia/Manila", 1).await;
        let se_only = str_of(&se_only.data()["scheduleHearing"]["id"], "hearing");

        // Queued now, then SE loses sight before the worker sends: its digest
        // lists what SE sees at send time (nothing).
        let now = app.state().clock.now();
        let queued = accord_server::service::digest::internal_queue_due(app.state(), now).await.expect("queue");
        assert_eq!(queued, 4, "CA, NL, DE, SE — not the one who turned it off, not a diplomat");
        let unshare = "mutation($id: ID!) { unshareCase(caseId: $id, input: { country: \"SE\" }) { id } }";
        ca_coord.q(unshare, json!({ "id": other })).await.data();
        round().await;
        assert_eq!(round().await, 0, "one digest a week");
        assert_eq!(accord_server::service::digest::internal_queue_due(app.state(), app.state().clock.now()).await.expect("queue"), 0);

        let link = |h: &str| format!("{public}/hearings/{h}");
        let ca = smtp.messages_to(&ca_coord.email);
        let ca = ca.iter().find(|m| m.subject().contains("observers")).expect("CA's digest");
        assert!(ca.subject().contains("2 upcoming hearings lack observers"), "{}", ca.subject());
        assert!(ca.body().contains(&format!("0 of 2 observers confirmed: {}", link(&short))), "{}", ca.body());
        assert!(ca.body().contains(&link(&se_only)), "the owner sees its other case's hearing");
        assert!(!ca.body().contains(&link(&covered)) && !ca.body().contains(&link(&far)), "{}", ca.body());
        assert!(ca.body().contains(&format!("{public}/coverage?days=14")));
        let nl = smtp.messages_to(&nl_coord.email);
        assert_eq!(nl.len(), 1);
        assert!(nl[0].subject().contains("1 upcoming hearing lacks observers"), "{}", nl[0].subject());
        assert!(nl[0].body().contains(&link(&short)) && !nl[0].body().contains(&link(&se_only)), "{}", nl[0].body());
        // DE sees the case at SUMMARY (no hearings); SE lost sight: nothing listed.
        for who in [&de_coord, &se_coord] {
            let got = smtp.messages_to(&who.email);
            assert_eq!(got.len(), 1, "{}", who.email);
            assert!(got[0].subject().contains("has its observers"), "{}", got[0].subject());
            assert!(!got[0].body().contains("/hearings/"), "{}", got[0].body());
        }
        assert!(smtp.messages_to(&ca_off.email).is_empty(), "switched off");
        assert!(smtp.messages_to(&ca_dip.email).iter().all(|m| !m.subject().contains("observers")), "not a coordinator's");
        for m in smtp.messages() {
            for secret in ["Defender T", "Trial Person", "Defender Digest Other", "Other Person", "Regional Trial Court", "Davao", &case, &other] {
                assert!(!m.data.contains(secret), "a digest carries {secret:?}:\n{}", m.data);
            }
        }

        // A week later, again — and a coordinator who switched off since
        // queueing is not sent one.
        app.advance_clock(Duration::days(7));
        let queued = accord_server::service::digest::internal_queue_due(app.state(), app.state().clock.now()).await.expect("queue");
        assert_eq!(queued, 4);
        nl_coord.q(SET, json!({ "d": "OFF" })).await.data();
        round().await;
        assert_eq!(smtp.messages_to(&ca_coord.email).iter().filter(|m| m.subject().contains("observers")).count(), 2);
        assert_eq!(smtp.messages_to(&nl_coord.email).len(), 1, "switched off before the send");
        let set = app.count_rows("audit_events WHERE action = 'COVERAGE_DIGEST_SET'").await;
        assert_eq!(set, 6, "every choice audited");
    }
}
