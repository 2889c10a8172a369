//! Email: reminders 48 h and 2 h before a hearing, promotion and demotion,
//! reschedule/postpone/cancel notices — delivered over a real SMTP socket
//! (`smtp.rs`), retried while the SMTP server is down, sent exactly once, and
//! never carrying anything from the case (docs/RULES.md rule 8).
use std::collections::{BTreeMap, HashSet};
use std::time::Duration as StdDuration;

use accord_server::jobs::{self as worker, MAX_BACKOFF_SECS};
use accord_server::mail::transport::Mailer;
use accord_server::store::outbox;
use chrono::{DateTime, Duration, NaiveDateTime, Utc};
use sea_orm::{EntityTrait, QueryOrder};
use serde_json::{Value, json};

use crate::helpers::*;
use crate::on_both_backends;
use crate::smtp::{Received, SmtpServer};

const COURT: &str = "Regional Trial Court Branch 7";
const CITY: &str = "Davao City";
const ZONE: &str = "Asia/Manila";
const LEGAL_NAME: &str = "Maria Clara Dimaculangan";
const SUMMARY: &str = "Community leader facing charges after protest";
const REGION: &str = "Mindanao";

const REMINDER_48: &str = "Accord: trial observation reminder (48 h)";
const REMINDER_2: &str = "Accord: trial observation reminder (2 h)";
const PROMOTED: &str = "Accord: you are confirmed on a trial roster";
const DEMOTED: &str = "Accord: moved to the waitlist";
const RESCHEDULED: &str = "Accord: hearing rescheduled";
const POSTPONED: &str = "Accord: hearing postponed";
const CANCELLED: &str = "Accord: hearing cancelled";

/// A case owned by CA with consent to trial observation, shared with NL at
/// DETAIL, a coordinator who schedules its hearings, and an SMTP server.
struct World {
    app: TestApp,
    smtp: SmtpServer,
    mailer: Mailer,
    coord: Actor,
    case_id: String,
    /// Everything from the case that must never reach an email.
    secrets: Vec<String>,
}

struct Hearing {
    id: String,
    starts_at: DateTime<Utc>,
    /// The court's local start as the renderer writes it, to the line's end.
    local: String,
}

impl World {
    /// A world whose rounds are run by the test (`round()`), sending to a
    /// fresh SMTP server; the app's own worker idles (see `test_config`).
    async fn new(app: TestApp) -> World {
        let smtp = SmtpServer::start().await;
        let mut config = (*app.state().config).clone();
        config.smtp_url = Some(smtp.url().into());
        let mailer = Mailer::from_config(&config).expect("SMTP mailer");
        Self::with(app, smtp, mailer).await
    }

    async fn with(app: TestApp, smtp: SmtpServer, mailer: Mailer) -> World {
        let coord = app.user("COORDINATOR", "CA").await;
        let pseudonym = format!(
            "Kalinaw {}",
            &uuid::Uuid::new_v4().simple().to_string()[..8]
        );
        let case = coord
            .q(
                "mutation($i: CreateCaseInput!) { createCase(input: $i) { id reference pseudonym region summary } }",
                json!({ "i": { "pseudonym": pseudonym, "hostCountry": "PH", "region": REGION,
                    "categories": ["LAND_RIGHTS"], "riskLevel": "HIGH", "status": "AT_RISK", "summary": SUMMARY,
                    "identity": { "legalName": LEGAL_NAME, "contact": "+63 900 111 2222",
                                  "location": "Barangay Talomo", "notes": "prefers Signal" } } }),
            )
            .await;
        let case = case.data()["createCase"].clone();
        let case_id = case["id"].as_str().expect("id").to_owned();
        coord
            .q(
                "mutation($id: ID!) { recordConsent(caseId: $id, input: { shareWithPartners: true, trialObservation: true, publicAdvocacy: false, givenBy: DEFENDER }) { id } }",
                json!({ "id": case_id }),
            )
            .await
            .data();
        coord
            .q(
                "mutation($id: ID!) { shareCase(caseId: $id, input: { country: \"NL\", level: DETAIL }) { id } }",
                json!({ "id": case_id }),
            )
            .await
            .data();
        let secrets = [
            pseudonym.as_str(),
            case["reference"].as_str().expect("reference"),
            SUMMARY,
            REGION,
            LEGAL_NAME,
            "Dimaculangan",
            "+63 900 111 2222",
            "Barangay Talomo",
            "prefers Signal",
            "Test User",
        ]
        .map(str::to_owned)
        .to_vec();
        World {
            app,
            smtp,
            mailer,
            coord,
            case_id,
            secrets,
        }
    }

    fn now(&self) -> DateTime<Utc> {
        self.app.state().clock.now()
    }

    /// Moves the server's clock so that it reads `at` (give or take the
    /// milliseconds the test takes).
    fn advance_to(&self, at: DateTime<Utc>) {
        let by = at - self.now();
        assert!(by > Duration::zero(), "the clock only moves forward");
        self.app.advance_clock(by);
    }

    /// A hearing about `hours` ahead (on a whole minute of the court's time).
    async fn hearing(&self, hours: i64, observers: i32) -> Hearing {
        let local = local_naive(self.now() + Duration::hours(hours));
        let r = self
            .coord
            .q(
                "mutation($c: ID!, $i: ScheduleHearingInput!) { scheduleHearing(caseId: $c, input: $i) { id startsAt } }",
                json!({ "c": self.case_id, "i": { "court": COURT, "city": CITY,
                    "localStart": local.format("%Y-%m-%dT%H:%M:%S").to_string(), "timezone": ZONE,
                    "durationMinutes": 120, "observersNeeded": observers } }),
            )
            .await;
        hearing_of(&r.data()["scheduleHearing"])
    }

    async fn update(&self, h: &Hearing, input: Value) -> Value {
        let r = self
            .coord
            .q(
                "mutation($h: ID!, $i: UpdateHearingInput!) { updateHearing(id: $h, input: $i) { id startsAt status } }",
                json!({ "h": h.id, "i": input }),
            )
            .await;
        r.data()["updateHearing"].clone()
    }

    /// Moves the hearing `by` later (in the court's local time).
    async fn reschedule(&self, h: &Hearing, by: Duration) -> Hearing {
        let local = local_naive(h.starts_at + by);
        let updated = self
            .update(
                h,
                json!({ "localStart": local.format("%Y-%m-%dT%H:%M:%S").to_string() }),
            )
            .await;
        hearing_of(&updated)
    }

    /// A hearing for one observer, 120 h ahead: a CA diplomat confirmed on
    /// it, then a diplomat of `second_country` waitlisted.
    async fn confirmed_and_waiting(&self, second_country: &str) -> (Hearing, Actor, Actor) {
        let h = self.hearing(120, 1).await;
        let first = self.app.diplomat("CA").await;
        let second = self.app.diplomat(second_country).await;
        assert_eq!(claim(&first, &h).await, "CONFIRMED");
        assert_eq!(claim(&second, &h).await, "WAITLISTED");
        (h, first, second)
    }

    /// One worker round, as each replica runs it.
    async fn round(&self) -> usize {
        worker::run_once(self.app.state(), &self.mailer)
            .await
            .expect("a round runs")
    }

    /// Three diplomats (CA, NL, NL) claiming `h` in turn, each answered as
    /// `expected`.
    async fn claimants(&self, h: &Hearing, expected: [&str; 3]) -> [Actor; 3] {
        let actors = [
            self.app.diplomat("CA").await,
            self.app.diplomat("NL").await,
            self.app.diplomat("NL").await,
        ];
        for (who, status) in actors.iter().zip(expected) {
            assert_eq!(claim(who, h).await, status);
        }
        actors
    }

    /// `n` rounds while SMTP is down, each once every message is due again.
    async fn failing_rounds(&self, n: usize) {
        for _ in 0..n {
            self.advance_to(self.now() + Duration::seconds(MAX_BACKOFF_SECS));
            assert_eq!(self.round().await, 0, "nothing can be sent");
        }
    }

    /// What arrived, each message checked for discretion.
    fn inbox(&self) -> Vec<Received> {
        let got = self.smtp.messages();
        for m in &got {
            self.assert_discreet(m);
        }
        got
    }

    /// Subjects received by `who`, in order.
    fn subjects_to(&self, who: &Actor) -> Vec<String> {
        self.inbox();
        self.smtp
            .messages_to(&who.email)
            .iter()
            .map(Received::subject)
            .collect()
    }

    /// Rule 8: court, city, time and link — nothing from the case.
    #[track_caller]
    fn assert_discreet(&self, m: &Received) {
        assert_eq!(m.recipients.len(), 1, "one recipient per message");
        assert_eq!(m.mail_from, "no-reply@accord.invalid");
        let text = format!("{}\n{}\n{}", m.data, m.subject(), m.body()).to_lowercase();
        for secret in &self.secrets {
            assert!(
                !text.contains(&secret.to_lowercase()),
                "an email carries {secret:?}:\n{}",
                m.data
            );
        }
        let body = m.body();
        assert!(body.contains(COURT), "no court in:\n{body}");
        assert!(body.contains(CITY), "no city in:\n{body}");
        assert!(body.contains("(Asia/Manila)"), "no local time in:\n{body}");
        assert!(
            body.contains("http://127.0.0.1:8080/hearings/"),
            "no link in:\n{body}"
        );
    }

    /// Every outbox row, oldest first.
    async fn outbox(&self) -> Vec<outbox::Model> {
        outbox::Entity::find()
            .order_by_asc(outbox::Column::CreatedAt)
            .all(self.app.db())
            .await
            .expect("outbox rows")
    }
}

fn local_naive(at: DateTime<Utc>) -> NaiveDateTime {
    let tz: chrono_tz::Tz = ZONE.parse().expect("zone");
    let local = at.with_timezone(&tz).naive_local();
    local
        .date()
        .and_hms_opt(
            chrono::Timelike::hour(&local),
            chrono::Timelike::minute(&local),
            0,
        )
        .expect("a whole minute")
}

fn hearing_of(v: &Value) -> Hearing {
    let starts: DateTime<Utc> = v["startsAt"]
        .as_str()
        .expect("startsAt")
        .parse()
        .expect("an RFC 3339 instant");
    Hearing {
        id: v["id"].as_str().expect("id").to_owned(),
        starts_at: starts,
        // Readers' clocks are their mission's, the court's: no second time.
        local: format!(
            "{}\n",
            accord_server::i18n::Lang::SOURCE.datetime_in(starts, ZONE.parse().expect("zone"))
        ),
    }
}

async fn claim(who: &Actor, h: &Hearing) -> String {
    let r = who
        .q(
            "mutation($h: ID!) { claimRosterSlot(hearingId: $h) { id status position } }",
            json!({ "h": h.id }),
        )
        .await;
    r.data()["claimRosterSlot"]["status"]
        .as_str()
        .expect("status")
        .to_owned()
}

async fn release(who: &Actor, h: &Hearing) {
    who.q(
        "mutation($h: ID!) { releaseRosterSlot(hearingId: $h) { id } }",
        json!({ "h": h.id }),
    )
    .await
    .data();
}

on_both_backends! {
    async fn reminders_go_out_48_and_2_hours_before_exactly_once(app: TestApp) {
        let w = World::new(app).await;
        let h = w.hearing(72, 3).await;
        let early = w.app.diplomat("CA").await;
        assert_eq!(claim(&early, &h).await, "CONFIRMED");
        assert_eq!(w.round().await, 0, "nothing is due three days ahead");

        w.advance_to(h.starts_at - Duration::hours(47));
        assert_eq!(w.round().await, 1);
        for _ in 0..3 {
            assert_eq!(w.round().await, 0, "a reminder is sent once");
        }
        assert_eq!(w.subjects_to(&early), [REMINDER_48]);
        let body = w.inbox()[0].body();
        assert!(body.contains(&format!("Start: {}", h.local)), "{body}");

        // Confirmed inside the last 2 h: only the 2 h reminder.
        w.advance_to(h.starts_at - Duration::minutes(90));
        let late = w.app.diplomat("NL").await;
        assert_eq!(claim(&late, &h).await, "CONFIRMED");
        assert_eq!(w.round().await, 2);
        for _ in 0..3 {
            assert_eq!(w.round().await, 0);
        }
        w.advance_to(h.starts_at + Duration::minutes(5));
        assert_eq!(w.round().await, 0, "nothing after the start");

        assert_eq!(w.subjects_to(&early), [REMINDER_48, REMINDER_2]);
        assert_eq!(w.subjects_to(&late), [REMINDER_2]);
        assert_eq!(w.inbox().len(), 3);
        let rows = w.outbox().await;
        assert_eq!(rows.len(), 3);
        assert!(rows.iter().all(|r| r.status == "SENT" && r.sent_at.is_some() && r.locked_until.is_none()));
    }

    async fn promotion_and_demotion_are_told_to_the_observer_concerned(app: TestApp) {
        let w = World::new(app).await;
        let (h, first, second) = w.confirmed_and_waiting("NL").await;
        let third = w.app.user("COORDINATOR", "NL").await;
        assert_eq!(w.round().await, 0, "claiming sends nothing");

        release(&first, &h).await;
        assert_eq!(w.round().await, 1);
        assert_eq!(w.subjects_to(&second), [PROMOTED]);
        let body = w.inbox()[0].body();
        assert!(body.contains(&format!("Start: {}", h.local)), "{body}");

        assert_eq!(claim(&third, &h).await, "WAITLISTED");
        w.update(&h, json!({ "observersNeeded": 2 })).await;
        assert_eq!(w.round().await, 1);
        w.update(&h, json!({ "observersNeeded": 1 })).await;
        assert_eq!(w.round().await, 1);
        assert_eq!(w.round().await, 0);

        assert!(w.subjects_to(&first).is_empty(), "the one who released hears nothing");
        assert_eq!(w.subjects_to(&second), [PROMOTED]);
        assert_eq!(w.subjects_to(&third), [PROMOTED, DEMOTED]);

        // Promoted and demoted again before a round: only the demotion,
        // which is the truth, goes out; the promotion is kept as superseded.
        w.update(&h, json!({ "observersNeeded": 2 })).await;
        w.update(&h, json!({ "observersNeeded": 1 })).await;
        assert_eq!(w.round().await, 1);
        assert_eq!(w.subjects_to(&third), [PROMOTED, DEMOTED, DEMOTED]);
        let rows = w.outbox().await;
        let dropped: Vec<_> = rows.iter().filter(|r| r.status == "DROPPED").collect();
        assert_eq!(dropped.len(), 1, "{rows:?}");
        assert_eq!(
            (dropped[0].kind.as_str(), dropped[0].drop_reason.as_deref()),
            ("PROMOTED", Some("SUPERSEDED"))
        );
    }

    async fn reschedule_postpone_and_cancel_reach_confirmed_observers(app: TestApp) {
        let w = World::new(app).await;
        let h = w.hearing(72, 2).await;
        let a = w.app.diplomat("CA").await;
        let b = w.app.diplomat("NL").await;
        assert_eq!(claim(&a, &h).await, "CONFIRMED");
        assert_eq!(claim(&b, &h).await, "CONFIRMED");
        w.advance_to(h.starts_at - Duration::hours(47));
        assert_eq!(w.round().await, 2);

        // A day later: told once each, and the new start gets reminders of its own.
        let moved = w.reschedule(&h, Duration::hours(24)).await;
        assert_eq!(moved.starts_at, h.starts_at + Duration::hours(24));
        assert_eq!(w.round().await, 2);
        assert_eq!(w.round().await, 0, "the new start is 71 h away");
        for who in [&a, &b] {
            assert_eq!(w.subjects_to(who), [REMINDER_48, RESCHEDULED]);
        }
        let told = w.inbox().into_iter().find(|m| m.subject() == RESCHEDULED).expect("rescheduled");
        assert!(told.body().contains(&format!("Start: {}", moved.local)), "{}", told.body());
        w.advance_to(moved.starts_at - Duration::hours(47));
        assert_eq!(w.round().await, 2);

        w.update(&moved, json!({ "status": "CANCELLED" })).await;
        assert_eq!(w.round().await, 2);
        w.advance_to(moved.starts_at - Duration::minutes(90));
        assert_eq!(w.round().await, 0, "no reminder for a cancelled hearing");
        for who in [&a, &b] {
            assert_eq!(w.subjects_to(who), [REMINDER_48, RESCHEDULED, REMINDER_48, CANCELLED]);
        }

        let later = w.hearing(24 * 10, 1).await;
        let c = w.app.diplomat("CA").await;
        assert_eq!(claim(&c, &later).await, "CONFIRMED");
        w.update(&later, json!({ "status": "POSTPONED" })).await;
        assert_eq!(w.round().await, 1);
        assert_eq!(w.subjects_to(&c), [POSTPONED]);
    }

    async fn with_smtp_down_messages_wait_and_then_arrive_exactly_once(app: TestApp) {
        let w = World::new(app).await;
        let h = w.hearing(72, 1).await;
        let first = w.app.diplomat("CA").await;
        let second = w.app.diplomat("NL").await;
        let third = w.app.diplomat("NL").await;
        assert_eq!(claim(&first, &h).await, "CONFIRMED");
        assert_eq!(claim(&second, &h).await, "WAITLISTED");
        assert_eq!(claim(&third, &h).await, "WAITLISTED");

        w.smtp.stop().await;
        release(&first, &h).await;
        let moved = w.reschedule(&h, Duration::hours(-24)).await;
        w.advance_to(moved.starts_at - Duration::hours(47));
        assert_eq!(w.round().await, 0, "nothing can be sent");
        let queued = w.outbox().await;
        assert!(queued.len() >= 3, "promotion, reschedule and reminder queued: {queued:?}");
        assert!(queued.iter().all(|r| r.status == "PENDING" && r.attempts == 1 && r.locked_until.is_none()));
        assert_eq!(w.round().await, 0);
        assert!(w.outbox().await.iter().all(|r| r.attempts == 1), "not retried before the backoff");
        for attempt in 2..=4 {
            w.advance_to(w.now() + Duration::seconds(MAX_BACKOFF_SECS));
            assert_eq!(w.round().await, 0);
            assert!(w.outbox().await.iter().all(|r| r.status == "PENDING" && r.attempts == attempt));
        }
        assert!(w.smtp.messages().is_empty());

        w.smtp.restart().await;
        w.advance_to(w.now() + Duration::seconds(MAX_BACKOFF_SECS + 1));
        // Two replicas at once: each message is sent by one of them.
        let (a, b) = tokio::join!(w.round(), w.round());
        assert_eq!(a + b, queued.len(), "every queued message is sent, by one replica");
        assert_eq!(w.round().await, 0);

        let rows = w.outbox().await;
        assert_eq!(rows.len(), queued.len());
        assert!(rows.iter().all(|r| r.status == "SENT" && r.sent_at.is_some() && r.locked_until.is_none()));
        let got = w.inbox();
        assert_eq!(got.len(), rows.len(), "exactly one message per outbox row");
        let distinct: HashSet<(String, String)> =
            got.iter().map(|m| (m.recipients[0].to_lowercase(), m.subject())).collect();
        assert_eq!(distinct.len(), got.len(), "a message arrived twice: {distinct:?}");
        let mut ids: Vec<String> = got.iter().map(|m| m.header("Message-ID").expect("Message-ID")).collect();
        ids.sort();
        let mut expected: Vec<String> = rows.iter().map(|r| format!("<{}@accord.invalid>", r.id)).collect();
        expected.sort();
        assert_eq!(ids, expected, "one message per outbox row, named by it");
        assert_eq!(w.subjects_to(&second).iter().filter(|s| *s == PROMOTED).count(), 1);
        assert_eq!(w.subjects_to(&second).iter().filter(|s| *s == REMINDER_48).count(), 1);
        assert_eq!(w.subjects_to(&second).iter().filter(|s| *s == RESCHEDULED).count(), 1);
        assert!(w.subjects_to(&first).is_empty());
    }

    async fn after_an_smtp_outage_the_last_message_is_the_truth(app: TestApp) {
        let w = World::new(app).await;
        let h = w.hearing(96, 2).await;
        let [first, second, third] = w.claimants(&h, ["CONFIRMED", "CONFIRMED", "WAITLISTED"]).await;

        // During the outage each message backs off on its own timer: the
        // earlier a message was queued, the more attempts it has failed and
        // the later it is due again.
        w.smtp.stop().await;
        release(&first, &h).await; // third promoted
        w.failing_rounds(4).await;
        w.update(&h, json!({ "observersNeeded": 1 })).await; // third demoted
        w.failing_rounds(2).await;
        // Promotion: 7 failed attempts by now (64 s to wait), demotion: 3 (4 s).
        let moved = w.reschedule(&h, Duration::hours(2)).await;
        w.failing_rounds(1).await;
        let moved = w.reschedule(&moved, Duration::hours(3)).await;
        let queued = w.outbox().await;
        assert_eq!(
            queued.iter().map(|r| r.kind.as_str()).collect::<Vec<_>>(),
            ["PROMOTED", "DEMOTED", "RESCHEDULED", "RESCHEDULED", "RESCHEDULED", "RESCHEDULED"],
            "{queued:?}"
        );
        assert!(w.smtp.messages().is_empty());

        // Recovery: rounds as the worker runs them, two seconds apart. The
        // newest messages are due first (the last reschedule at once, the
        // demotion within seconds); the promotion, queued first, is due only
        // a minute later, after the demotion was sent: it must not follow it.
        w.smtp.restart().await;
        let mut sent = 0;
        for _ in 0..100 {
            sent += w.round().await;
            if w.outbox().await.iter().all(|r| r.status != "PENDING") {
                break;
            }
            w.advance_to(w.now() + Duration::seconds(2));
        }
        assert_eq!(sent, 3, "the demotion, and the last reschedule to second and third");

        // Per recipient and hearing, the last message is what the API says.
        let roster = |who: &Actor| {
            let who = who.clone();
            async move { who.q("{ myRoster { status position hearing { id startsAt } } }", json!({})).await.data()["myRoster"].clone() }
        };
        let mine = roster(&third).await;
        assert_eq!(mine[0]["status"], "WAITLISTED", "{mine}");
        assert_eq!(mine[0]["hearing"]["startsAt"].as_str().and_then(|s| s.parse::<DateTime<Utc>>().ok()), Some(moved.starts_at));
        assert_eq!(roster(&second).await[0]["status"], "CONFIRMED");
        let mut told = w.subjects_to(&third);
        told.sort();
        assert_eq!(told, [RESCHEDULED, DEMOTED], "never the promotion (sorted: \"hearing…\" < \"moved…\")");
        assert_eq!(w.subjects_to(&second), [RESCHEDULED]);
        for who in [&second, &third] {
            let got = w.smtp.messages_to(&who.email);
            let start = format!("Start: {}", moved.local);
            assert!(got.iter().all(|m| m.body().contains(&start)), "an earlier start time arrived: {got:?}");
        }

        // Nothing is lost from the record: the superseded messages are kept,
        // and what was sent keeps the Message-ID of its outbox row.
        let rows = w.outbox().await;
        let settled: Vec<(&str, &str, Option<&str>)> = rows
            .iter()
            .map(|r| (r.kind.as_str(), r.status.as_str(), r.drop_reason.as_deref()))
            .collect();
        assert_eq!(
            settled,
            [
                ("PROMOTED", "DROPPED", Some("SUPERSEDED")),
                ("DEMOTED", "SENT", None),
                ("RESCHEDULED", "DROPPED", Some("SUPERSEDED")),
                ("RESCHEDULED", "DROPPED", Some("SUPERSEDED")),
                ("RESCHEDULED", "SENT", None),
                ("RESCHEDULED", "SENT", None),
            ]
        );
        let mut sent_ids: Vec<String> = rows.iter().filter(|r| r.status == "SENT").map(|r| format!("<{}@accord.invalid>", r.id)).collect();
        let mut arrived: Vec<String> = w.inbox().iter().map(|m| m.header("Message-ID").expect("Message-ID")).collect();
        sent_ids.sort();
        arrived.sort();
        assert_eq!(arrived, sent_ids);
    }

    async fn a_notice_that_stopped_being_true_is_not_sent(app: TestApp) {
        let w = World::new(app).await;
        let h = w.hearing(96, 1).await;
        let [first, second, third] = w.claimants(&h, ["CONFIRMED", "WAITLISTED", "WAITLISTED"]).await;
        w.smtp.stop().await;
        release(&first, &h).await; // second promoted
        w.reschedule(&h, Duration::hours(1)).await; // to second and third
        assert_eq!(w.round().await, 0);
        // Both leave the roster before the messages could go: the promotion
        // and the reschedule are no longer true for them.
        release(&second, &h).await; // third promoted
        release(&third, &h).await;
        w.smtp.restart().await;
        w.advance_to(w.now() + Duration::seconds(MAX_BACKOFF_SECS + 1));
        assert_eq!(w.round().await, 0, "nothing true is left to tell");
        let rows = w.outbox().await;
        assert!(!rows.is_empty());
        for r in &rows {
            assert_eq!((r.status.as_str(), r.drop_reason.as_deref()), ("DROPPED", Some("OVERTAKEN")), "{r:?}");
        }
        assert!(w.smtp.messages().is_empty());
    }

    async fn a_deactivated_recipient_gets_nothing(app: TestApp) {
        let w = World::new(app).await;
        let (h, first, second) = w.confirmed_and_waiting("CA").await;
        w.app.admin("CA").await
            .q("mutation($u: ID!) { deactivateUser(userId: $u) { id } }", json!({ "u": second.id }))
            .await
            .data();
        release(&first, &h).await;
        assert_eq!(w.round().await, 0);
        assert!(w.smtp.messages().is_empty());
        let rows = w.outbox().await;
        assert_eq!(rows.len(), 1);
        assert_eq!(
            (rows[0].kind.as_str(), rows[0].status.as_str(), rows[0].drop_reason.as_deref()),
            ("PROMOTED", "DROPPED", Some("RECIPIENT_INACTIVE"))
        );
        assert!(rows[0].sent_at.is_none());
    }

    async fn a_sender_held_up_past_its_lease_does_not_send(app: TestApp) {
        // Sender A takes the promotion, then is held up (the database
        // stalling under it) past its lease; sender B, a replica's round,
        // takes it and sends it. A must find its lease gone before it hands
        // the message to the SMTP server, or the observer gets it twice.
        let w = World::new(app).await;
        let (h, first, second) = w.confirmed_and_waiting("NL").await;
        release(&first, &h).await;
        let id = w.outbox().await[0].id;
        let db = w.app.db();
        let lease = worker::outbox::lease;
        let held = worker::outbox::still_held;

        let a = lease(db, id, w.now()).await.expect("lease").expect("A takes it");
        assert_eq!(lease(db, id, w.now()).await.expect("lease"), None, "one sender at a time");
        assert_eq!(w.round().await, 0, "a round leaves a leased message alone");
        assert!(held(db, id, a, w.now()).await.expect("fence"), "A's lease holds within its minute");

        // A is held up; its lease (renewed just now) runs out.
        w.advance_to(w.now() + worker::outbox::LEASE + Duration::seconds(1));
        let b = lease(db, id, w.now()).await.expect("lease").expect("B takes it once A's ran out");
        assert!(!held(db, id, a, w.now()).await.expect("fence"), "A's lease is gone");
        assert!(held(db, id, b, w.now()).await.expect("fence"), "B's holds");
        assert!(w.smtp.messages().is_empty());

        // B is held up in turn; a round takes it and sends it, once.
        w.advance_to(w.now() + worker::outbox::LEASE + Duration::seconds(1));
        assert_eq!(w.round().await, 1);
        assert_eq!(w.subjects_to(&second), [PROMOTED]);
        for (who, token) in [("A", a), ("B", b)] {
            assert!(!held(db, id, token, w.now()).await.expect("fence"), "{who} may not send a sent message");
        }
        let row = &w.outbox().await[0];
        assert_eq!((row.status.as_str(), row.lease_token, row.locked_until), ("SENT", None, None));
        assert_eq!(w.round().await, 0);
        assert_eq!(w.subjects_to(&second), [PROMOTED], "sent once");
    }
}

/// The worker `App::run` starts delivers on its own, rides out an SMTP
/// outage, and sends each message once.
async fn background_worker(backend: Backend) {
    let smtp = SmtpServer::start().await;
    let url = smtp.url();
    let Some(app) = TestApp::spawn_with(backend, |c| {
        c.smtp_url = Some(url.into());
        c.outbox_poll_ms = 50;
    })
    .await
    else {
        return;
    };
    let mailer = Mailer::from_config(&app.state().config).expect("mailer");
    let w = World::with(app, smtp, mailer).await;
    let (h, first, second) = w.confirmed_and_waiting("NL").await;
    release(&first, &h).await;
    let got = w.smtp.wait_for(1, StdDuration::from_secs(20)).await;
    assert_eq!(
        got.len(),
        1,
        "the promotion arrives without anyone running a round"
    );
    assert_eq!(w.subjects_to(&second), [PROMOTED]);

    w.smtp.stop().await;
    w.update(&h, json!({ "status": "CANCELLED" })).await;
    let deadline = tokio::time::Instant::now() + StdDuration::from_secs(20);
    loop {
        let rows = w.outbox().await;
        if rows
            .iter()
            .any(|r| r.status == "PENDING" && r.attempts >= 1)
        {
            break;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "no failed attempt: {rows:?}"
        );
        tokio::time::sleep(StdDuration::from_millis(50)).await;
    }
    w.smtp.restart().await;
    w.advance_to(w.now() + Duration::seconds(MAX_BACKOFF_SECS + 1));
    let got = w.smtp.wait_for(2, StdDuration::from_secs(20)).await;
    assert_eq!(got.len(), 2);
    tokio::time::sleep(StdDuration::from_millis(300)).await;
    assert_eq!(w.subjects_to(&second), [PROMOTED, CANCELLED]);
    let by_status: BTreeMap<String, usize> =
        w.outbox()
            .await
            .into_iter()
            .fold(BTreeMap::new(), |mut m, r| {
                *m.entry(r.status).or_default() += 1;
                m
            });
    assert_eq!(by_status, BTreeMap::from([("SENT".to_owned(), 2)]));
}

mod the_background_worker_delivers_and_retries {
    use super::*;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sqlite() {
        background_worker(Backend::Sqlite).await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn postgres() {
        background_worker(Backend::Postgres).await;
    }
}
