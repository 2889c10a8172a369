//! Every email in its recipient's language (issue 26): each of the 18 notice
//! kinds, delivered over a real SMTP socket (`smtp.rs`) to people who chose
//! English, French or Spanish through the API, reads in their language, says
//! its language in `Content-Language`, carries no invisible mark and nothing
//! of the case, and gives a hearing's start in the court's zone — across a
//! daylight-saving change — with the reader's own clock beside it when it
//! differs.
use std::collections::{BTreeMap, BTreeSet};

use accord_server::jobs as worker;
use accord_server::mail::Notice;
use accord_server::mail::transport::Mailer;
use accord_server::store::outbox;
use chrono::{DateTime, Datelike, Duration, Timelike, Utc};
use sea_orm::{EntityTrait, QueryOrder};
use serde_json::{Value, json};

use crate::builders::{acknowledge, approve, created, finalize, revise, row_uuid, submit};
use crate::handover::{offered, step};
use crate::helpers::*;
use crate::on_both_backends_with;
use crate::smtp::{Received, SmtpServer};

const COURT: &str = "Regional Trial Court Branch 7";
const CITY: &str = "Davao City";
const LEGAL_NAME: &str = "Maria Clara Dimaculangan";
const SUMMARY: &str = "Community leader facing charges after protest";
const REGION: &str = "Mindanao";
const MOTIVE: &str = "Motive marker QX7 for the appeal";
const DECISION: &str = "Decision marker VT4";
const TITLE: &str = "Quetzalmarker appeal";
const BODY: &str = "Vexillamarker: the undersigned missions are concerned.\n";
const REVISED: &str = "Obsidianmarker: the undersigned missions are gravely concerned.\n";
const DESCRIPTION: &str = "Zanzibarmarker: two men photographed the house of Ofeliamarker.";

/// Where a reader's clock is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Clock {
    Manila,
    Paris,
}

/// The hearings whose start the emails give.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Court {
    /// Europe/Paris, Friday 26 March 2027 09:30: before the change to
    /// summer time (Sunday 28 March), UTC+1.
    ParisBefore,
    /// Europe/Paris, Friday 2 April 2027 09:30: after it, UTC+2.
    ParisAfter,
    /// Asia/Manila (no summer time), Friday 26 March 2027 09:30.
    ManilaBefore,
    /// Asia/Manila, Friday 2 April 2027 09:30.
    ManilaAfter,
    /// Soon, for the digest: its start is not in the digest.
    Soon,
}

/// The start as the email gives it to a reader on `clock`: the court's
/// local time and zone, and the reader's own when it differs.
fn expected_start(lang: &str, court: Court, clock: Clock) -> Option<&'static str> {
    use Clock::*;
    use Court::*;
    Some(match (lang, court, clock) {
        ("en", ParisBefore, Manila) => {
            "Friday 26 March 2027, 9:30 AM (Europe/Paris) · 4:30 PM your time (Asia/Manila)"
        }
        ("fr", ParisBefore, Manila) => {
            "vendredi 26 mars 2027, 09:30 (Europe/Paris) · 16:30 chez vous (Asia/Manila)"
        }
        ("es", ParisBefore, Manila) => {
            "viernes, 26 de marzo de 2027, 09:30 (Europe/Paris) · 16:30 en su hora (Asia/Manila)"
        }
        ("en", ParisBefore, Paris) => "Friday 26 March 2027, 9:30 AM (Europe/Paris)\n",
        ("fr", ParisBefore, Paris) => "vendredi 26 mars 2027, 09:30 (Europe/Paris)\n",
        ("es", ParisBefore, Paris) => "viernes, 26 de marzo de 2027, 09:30 (Europe/Paris)\n",
        ("en", ParisAfter, Manila) => {
            "Friday 2 April 2027, 9:30 AM (Europe/Paris) · 3:30 PM your time (Asia/Manila)"
        }
        ("fr", ParisAfter, Manila) => {
            "vendredi 2 avril 2027, 09:30 (Europe/Paris) · 15:30 chez vous (Asia/Manila)"
        }
        ("es", ParisAfter, Manila) => {
            "viernes, 2 de abril de 2027, 09:30 (Europe/Paris) · 15:30 en su hora (Asia/Manila)"
        }
        ("en", ManilaBefore, Paris) => {
            "Friday 26 March 2027, 9:30 AM (Asia/Manila) · 2:30 AM your time (Europe/Paris)"
        }
        ("fr", ManilaBefore, Paris) => {
            "vendredi 26 mars 2027, 09:30 (Asia/Manila) · 02:30 chez vous (Europe/Paris)"
        }
        ("es", ManilaBefore, Paris) => {
            "viernes, 26 de marzo de 2027, 09:30 (Asia/Manila) · 02:30 en su hora (Europe/Paris)"
        }
        ("en", ManilaAfter, Paris) => {
            "Friday 2 April 2027, 9:30 AM (Asia/Manila) · 3:30 AM your time (Europe/Paris)"
        }
        ("fr", ManilaAfter, Paris) => {
            "vendredi 2 avril 2027, 09:30 (Asia/Manila) · 03:30 chez vous (Europe/Paris)"
        }
        ("es", ManilaAfter, Paris) => {
            "viernes, 2 de abril de 2027, 09:30 (Asia/Manila) · 03:30 en su hora (Europe/Paris)"
        }
        _ => return None,
    })
}

/// What every email in the language says, and words only English has.
fn phrases(lang: &str) -> (&'static str, &'static str, &'static [&'static str]) {
    match lang {
        // Greeting, the closing sentence's start, words that are not English.
        "fr" => (
            "Bonjour,\n",
            "Ce message ne contient délibérément",
            &[
                "votre", "vous", "une", "un", "des", "audience", "pays", "la", "le", "sur", "de",
            ],
        ),
        "es" => (
            "Buenos días:\n",
            "Este mensaje no contiene deliberadamente",
            &[
                "su",
                "una",
                "un",
                "del",
                "audiencia",
                "país",
                "de",
                "la",
                "el",
                "se",
            ],
        ),
        _ => (
            "Hello,\n",
            "This message deliberately carries no",
            &["your", "you", "the", "a", "hearing", "country"],
        ),
    }
}

/// Words of English sentences that French and Spanish emails never carry.
const ENGLISH: &[&str] = &[
    "the",
    "your",
    "you",
    "hearing",
    "report",
    "statement",
    "sign",
    "observers",
    "roster",
    "waitlist",
    "Hello",
    "Details",
    "deliberately",
];

/// The words of `text` (letters only), data and links removed.
fn words(text: &str) -> BTreeSet<String> {
    let mut scrubbed = text.to_owned();
    for data in [COURT, CITY, "Europe/Paris", "Asia/Manila"] {
        scrubbed = scrubbed.replace(data, " ");
    }
    scrubbed
        .split_whitespace()
        .filter(|t| !t.contains("://"))
        .flat_map(|t| t.split(|c: char| !c.is_alphabetic()))
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect()
}

/// A header as read: RFC 2047 encoded words (`=?utf-8?b?…?=`) decoded, the
/// space between two of them dropped.
fn decoded(raw: &str) -> String {
    use base64::Engine;
    let mut out = String::new();
    let mut last_encoded = false;
    for (i, token) in raw.split(' ').enumerate() {
        let inner = token
            .strip_prefix("=?")
            .and_then(|t| t.strip_suffix("?="))
            .and_then(|t| {
                let mut parts = t.splitn(3, '?');
                let (_charset, encoding, text) = (parts.next()?, parts.next()?, parts.next()?);
                match encoding.to_ascii_lowercase().as_str() {
                    "b" => base64::engine::general_purpose::STANDARD
                        .decode(text)
                        .ok()
                        .and_then(|b| String::from_utf8(b).ok()),
                    _ => None,
                }
            });
        if i > 0 && !(last_encoded && inner.is_some()) {
            out.push(' ');
        }
        last_encoded = inner.is_some();
        out.push_str(inner.as_deref().unwrap_or(token));
    }
    out
}

struct Reader {
    actor: Actor,
    clock: Clock,
}

struct World {
    app: TestApp,
    smtp: SmtpServer,
    mailer: Mailer,
    lang: &'static str,
    readers: Vec<Reader>,
    /// Everything typed about the case, the report, the statement or the
    /// reveal: no email may carry any of it.
    secrets: Vec<String>,
    hearings: BTreeMap<uuid::Uuid, Court>,
}

impl World {
    async fn round(&self) -> usize {
        worker::run_once(self.app.state(), &self.mailer)
            .await
            .expect("a round runs")
    }

    /// Rounds until nothing more is sent.
    async fn settle(&self) -> usize {
        let mut sent = 0;
        for _ in 0..10 {
            let n = self.round().await;
            sent += n;
            if n == 0 {
                break;
            }
        }
        sent
    }

    /// `who` chooses the scenario's language (and a zone) through the API.
    async fn reads(&mut self, who: Actor, clock: Option<Clock>) -> Actor {
        let zone = match clock {
            Some(Clock::Manila) => Some("Asia/Manila"),
            Some(Clock::Paris) => Some("Europe/Paris"),
            None => None,
        };
        crate::preferences::choose_language(&who, self.lang, zone).await;
        self.readers.push(Reader {
            actor: who.clone(),
            // Without a choice: the mission's (Asia/Manila).
            clock: clock.unwrap_or(Clock::Manila),
        });
        who
    }

    async fn schedule(
        &mut self,
        coord: &Actor,
        case: &str,
        local: &str,
        tz: &str,
        needed: i32,
        court: Court,
    ) -> String {
        let r = coord
            .q(
                "mutation($c: ID!, $i: ScheduleHearingInput!) { scheduleHearing(caseId: $c, input: $i) { id } }",
                json!({ "c": case, "i": { "court": COURT, "city": CITY, "localStart": local,
                    "timezone": tz, "durationMinutes": 120, "observersNeeded": needed } }),
            )
            .await;
        let id = str_of(&r.data()["scheduleHearing"]["id"], "hearing");
        self.hearings.insert(row_uuid(&id), court);
        id
    }
}

async fn claim(who: &Actor, h: &str) -> String {
    let r = who
        .q(
            "mutation($h: ID!) { claimRosterSlot(hearingId: $h) { status } }",
            json!({ "h": h }),
        )
        .await;
    str_of(&r.data()["claimRosterSlot"]["status"], "status")
}

async fn update(coord: &Actor, h: &str, input: Value) {
    coord
        .q(
            "mutation($h: ID!, $i: UpdateHearingInput!) { updateHearing(id: $h, input: $i) { id } }",
            json!({ "h": h, "i": input }),
        )
        .await
        .data();
}

/// The mission's weekday as the API spells it, from 07:00 Manila time.
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

/// Every notice kind, to readers of `lang`, each message checked.
async fn every_notice_in(app: TestApp, lang: &'static str) {
    let smtp = SmtpServer::start().await;
    let mut config = (*app.state().config).clone();
    config.smtp_url = Some(smtp.url().into());
    let mailer = Mailer::from_config(&config).expect("SMTP mailer");
    let mut w = World {
        app: app.clone(),
        smtp,
        mailer,
        lang,
        readers: Vec::new(),
        secrets: Vec::new(),
        hearings: BTreeMap::new(),
    };
    let today = today_from_seven(&app);

    // Everyone who may be told anything reads `lang`.
    let ca_admin = w.reads(app.admin("CA").await, None).await;
    let nl_admin = w.reads(app.admin("NL").await, None).await;
    let coord = w.reads(app.user("COORDINATOR", "CA").await, None).await;
    let ca_dip = w.reads(app.diplomat("CA").await, Some(Clock::Manila)).await;
    let nl1 = w.reads(app.diplomat("NL").await, Some(Clock::Manila)).await;
    let nl2 = w.reads(app.diplomat("NL").await, Some(Clock::Manila)).await;
    let nl_coord = w
        .reads(app.user("COORDINATOR", "NL").await, Some(Clock::Paris))
        .await;
    let liaison = w.reads(app.liaison().await, None).await;
    let set_digest =
        "mutation($d: CoverageDigestDay!) { setCoverageDigest(day: $d) { coverageDigest } }";
    coord.q(set_digest, json!({ "d": today })).await.data();
    nl_coord.q(set_digest, json!({ "d": "OFF" })).await.data();

    // The case, with everything a defender's case says.
    let pseudonym = format!(
        "Kalinaw {}",
        &uuid::Uuid::new_v4().simple().to_string()[..8]
    );
    let case = coord
        .q(
            "mutation($i: CreateCaseInput!) { createCase(input: $i) { id reference } }",
            json!({ "i": { "pseudonym": pseudonym, "hostCountry": "PH", "region": REGION,
                "categories": ["LAND_RIGHTS"], "riskLevel": "HIGH", "status": "AT_RISK", "summary": SUMMARY,
                "identity": { "legalName": LEGAL_NAME, "contact": "+63 900 111 2222",
                              "location": "Barangay Talomo", "notes": "prefers Signal" } } }),
        )
        .await;
    let case = case.data()["createCase"].clone();
    let case_id = str_of(&case["id"], "case");
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
    w.secrets = [
        pseudonym.as_str(),
        str_of(&case["reference"], "reference").as_str(),
        SUMMARY,
        REGION,
        LEGAL_NAME,
        "Dimaculangan",
        "+63 900 111 2222",
        "Barangay Talomo",
        "prefers Signal",
        "Test User",
        MOTIVE,
        "QX7",
        DECISION,
        "VT4",
        TITLE,
        "Quetzalmarker",
        BODY,
        "Vexillamarker",
        REVISED,
        "Obsidianmarker",
        "undersigned",
        DESCRIPTION,
        "Zanzibarmarker",
        "Ofeliamarker",
        "photographed",
    ]
    .map(str::to_owned)
    .to_vec();

    // The digest: one hearing soon lacks its observers.
    let soon = (app.state().clock.now() + Duration::days(3))
        .with_timezone(&chrono_tz::Asia::Manila)
        .format("%Y-%m-%dT10:00:00")
        .to_string();
    w.schedule(&coord, &case_id, &soon, "Asia/Manila", 2, Court::Soon)
        .await;
    accord_server::service::digest::internal_queue_due(app.state(), app.state().clock.now())
        .await
        .expect("queue");
    w.settle().await;

    // Hearings on both sides of the change to summer time (28 March 2027).
    let p1 = w
        .schedule(
            &coord,
            &case_id,
            "2027-03-26T09:30:00",
            "Europe/Paris",
            1,
            Court::ParisBefore,
        )
        .await;
    let p2 = w
        .schedule(
            &coord,
            &case_id,
            "2027-04-01T09:30:00",
            "Europe/Paris",
            2,
            Court::ParisAfter,
        )
        .await;
    let m1 = w
        .schedule(
            &coord,
            &case_id,
            "2027-03-26T09:30:00",
            "Asia/Manila",
            1,
            Court::ManilaBefore,
        )
        .await;
    let m2 = w
        .schedule(
            &coord,
            &case_id,
            "2027-04-02T09:30:00",
            "Asia/Manila",
            1,
            Court::ManilaAfter,
        )
        .await;

    // Promoted (to Manila clocks), promoted and demoted (to a Paris clock).
    assert_eq!(claim(&ca_dip, &p1).await, "CONFIRMED");
    assert_eq!(claim(&nl1, &p1).await, "WAITLISTED");
    ca_dip
        .q(
            "mutation($h: ID!) { releaseRosterSlot(hearingId: $h) { id } }",
            json!({ "h": p1 }),
        )
        .await
        .data();
    w.settle().await;
    assert_eq!(claim(&nl_coord, &p1).await, "WAITLISTED");
    update(&coord, &p1, json!({ "observersNeeded": 2 })).await;
    w.settle().await;
    update(&coord, &p1, json!({ "observersNeeded": 1 })).await;
    w.settle().await;

    // Rescheduled into summer time.
    assert_eq!(claim(&ca_dip, &p2).await, "CONFIRMED");
    assert_eq!(claim(&nl2, &p2).await, "CONFIRMED");
    update(&coord, &p2, json!({ "localStart": "2027-04-02T09:30:00" })).await;
    w.settle().await;

    // Postponed and cancelled, in Manila, to a reader in Paris.
    assert_eq!(claim(&nl_coord, &m1).await, "CONFIRMED");
    update(&coord, &m1, json!({ "status": "POSTPONED" })).await;
    assert_eq!(claim(&nl_coord, &m2).await, "CONFIRMED");
    update(&coord, &m2, json!({ "status": "CANCELLED" })).await;
    w.settle().await;

    // A roster place handed over: offered, then accepted (told to both).
    let offer = offered(&nl1, &p1, Some(&nl2.id)).await;
    w.settle().await;
    step(&nl2, "accept", &offer).await.data();
    w.settle().await;

    // An attack report: received by CA and NL, answered by NL (told to the
    // liaison); CA's reminder comes once the clock moves on.
    let report = submit(
        &liaison,
        &["CA", "NL"],
        json!({ "description": DESCRIPTION }),
    )
    .await;
    let report = str_of(&report.data()["submitAttackReport"]["id"], "report");
    w.settle().await;
    acknowledge(&nl_coord, &report, None).await.data();
    w.settle().await;

    // A reveal: asked by NL, decided by CA.
    let r = nl1
        .q(
            "mutation($c: ID!, $m: String!) { requestIdentityReveal(caseId: $c, motivation: $m) { id } }",
            json!({ "c": case_id, "m": MOTIVE }),
        )
        .await;
    let reveal = str_of(&r.data()["requestIdentityReveal"]["id"], "reveal");
    w.settle().await;
    coord
        .q(
            "mutation($id: ID!, $i: DecideIdentityRevealInput!) { decideIdentityReveal(id: $id, input: $i) { state } }",
            json!({ "id": reveal, "i": { "approve": true, "motivation": DECISION, "validForDays": 7 } }),
        )
        .await
        .data();
    w.settle().await;

    // A statement: invited, stale, its deadline near, finalized.
    let deadline = app.state().clock.now() + Duration::hours(72);
    let statement = created(
        &coord,
        &["NL"],
        json!({ "title": TITLE, "body": BODY, "deadline": deadline.to_rfc3339() }),
    )
    .await;
    w.settle().await;
    approve(&nl1, &statement, 1).await.data();
    revise(&coord, &statement, 1, REVISED).await.data();
    w.settle().await;
    app.advance_clock(Duration::hours(49));
    w.settle().await;
    approve(&nl1, &statement, 2).await.data();
    approve(&ca_dip, &statement, 2).await.data();
    finalize(&coord, &statement).await.data();
    w.settle().await;

    // The reminders: 48 h before the hearing moved into summer time (and the
    // report CA never acknowledged).
    let p2_start: DateTime<Utc> = "2027-04-02T07:30:00Z".parse().expect("instant");
    let by = p2_start - Duration::hours(47) - app.state().clock.now();
    app.advance_clock(by);
    w.settle().await;

    // A person's own account: a forgotten password (the link, then "your
    // password was changed"), and an email change (confirmed from the new
    // address, asked and done told to the old one).
    let reset = "mutation($e: String!) { requestPasswordReset(email: $e) }";
    app.anon(reset, json!({ "e": nl_admin.email })).await.data();
    w.settle().await;
    let token = crate::recovery::token_in(&w.smtp.messages_to(&nl_admin.email), "/reset/");
    app.anon(
        crate::recovery::RESET,
        json!({ "t": token, "p": "a brand new long password" }),
    )
    .await
    .data();
    let new_address = format!("moved.{}", ca_admin.email);
    ca_admin
        .q(
            crate::recovery::CHANGE,
            json!({ "e": new_address, "p": crate::helpers::PASSWORD }),
        )
        .await
        .data();
    w.readers.push(Reader {
        actor: Actor {
            email: new_address.clone(),
            ..ca_admin.clone()
        },
        clock: Clock::Manila,
    });
    w.settle().await;
    let token = crate::recovery::token_in(&w.smtp.messages_to(&new_address), "/account/email/");
    app.anon(crate::recovery::CONFIRM, json!({ "t": token }))
        .await
        .data();
    w.settle().await;

    // Two-step sign-in turned off: the person is told.
    let begun = ca_dip.q(crate::second_factor::BEGIN, json!({})).await;
    let secret = crate::helpers::str_of(&begun.data()["beginTotpEnrolment"]["secret"], "secret");
    let code = crate::second_factor::code_now(&app, &secret);
    ca_dip
        .q(crate::second_factor::CONFIRM, json!({ "code": code }))
        .await
        .data();
    ca_dip
        .q(
            crate::second_factor::REMOVE,
            json!({ "p": crate::helpers::PASSWORD }),
        )
        .await
        .data();
    w.settle().await;

    check(&w, lang).await;
    calendar_feed(&app, &ca_dip, lang).await;
    let _ = (&ca_admin, &nl_admin);
}

/// The feed of `who` (confirmed on the hearing moved into summer time):
/// its words in their language, its times still machine times.
async fn calendar_feed(app: &TestApp, who: &Actor, lang: &str) {
    let url = who
        .q("mutation { issueCalendarFeed { url } }", json!({}))
        .await
        .data()["issueCalendarFeed"]["url"]
        .as_str()
        .expect("url")
        .to_owned();
    let path = url
        .split_once("/calendar/")
        .map(|(_, p)| format!("/calendar/{p}"))
        .expect("path");
    let ics = app
        .http()
        .get(app.url(&path))
        .send()
        .await
        .expect("sent")
        .text()
        .await
        .expect("body")
        .replace("\r\n ", "");
    let (summary, description) = match lang {
        "fr" => (
            "SUMMARY:Observation de procès — ",
            "Heure locale du tribunal : vendredi 2 avril 2027",
        ),
        "es" => (
            "SUMMARY:Observación de juicio — ",
            "Hora local del tribunal: viernes\\, 2 de abril de 2027",
        ),
        _ => (
            "SUMMARY:Trial observation — ",
            "Local time at the court: Friday 2 April 2027",
        ),
    };
    assert!(ics.contains(&format!("{summary}{COURT}")), "{ics}");
    assert!(ics.contains(description), "{ics}");
    assert!(ics.contains("DTSTART:20270402T073000Z"), "{ics}");
    for mark in ['\u{2068}', '\u{2069}', '\u{200E}', '\u{200F}'] {
        assert!(!ics.contains(mark), "an invisible mark in {ics}");
    }
}

/// Every message: to one of the readers, in `lang`, discreet, no invisible
/// marks, the start right; and every kind arrived.
async fn check(w: &World, lang: &str) {
    let rows: BTreeMap<String, outbox::Model> = outbox::Entity::find()
        .order_by_asc(outbox::Column::CreatedAt)
        .all(w.app.db())
        .await
        .expect("outbox")
        .into_iter()
        .map(|r| (format!("<{}@accord.invalid>", r.id), r))
        .collect();
    let got: Vec<Received> = w.smtp.messages();
    let (greeting, withheld, native) = phrases(lang);
    let mut kinds = BTreeSet::new();
    let mut starts_checked = 0;
    let mut digest_lists = false;
    for m in &got {
        let row = rows
            .get(&m.header("Message-ID").expect("Message-ID"))
            .expect("the message's outbox row");
        let kind = row.kind.as_str();
        let reader = w
            .readers
            .iter()
            .find(|r| {
                m.recipients
                    .iter()
                    .any(|to| to.eq_ignore_ascii_case(&r.actor.email))
            })
            .unwrap_or_else(|| {
                panic!(
                    "{kind} to someone who chose no language: {:?}",
                    m.recipients
                )
            });
        let subject = decoded(&m.subject());
        let body = m.body();
        let text = format!("{subject}\n{body}");
        let context = format!("{lang} {kind}:\n{subject}\n{body}");

        assert_eq!(
            m.header("Content-Language").as_deref(),
            Some(lang),
            "{context}"
        );
        for mark in ['\u{2068}', '\u{2069}', '\u{200E}', '\u{200F}'] {
            assert!(
                !text.contains(mark),
                "an invisible mark {mark:?} in {context}"
            );
            assert!(
                !m.data.contains(mark),
                "an invisible mark {mark:?} in the raw {context}"
            );
        }
        // In the reader's language.
        assert!(body.starts_with(greeting), "{context}");
        assert!(body.contains(withheld), "{context}");
        assert!(body.trim_end().ends_with("-- Accord"), "{context}");
        let subject_words = words(&subject);
        let body_words = words(&body);
        assert!(
            native.iter().any(|n| body_words.contains(*n)),
            "no word of {lang} in {context}"
        );
        // French puts a space before the colon.
        let brand = if lang == "fr" {
            "Accord : "
        } else {
            "Accord: "
        };
        assert!(subject.starts_with(brand), "{context}");
        if lang != "en" {
            for english in ENGLISH {
                assert!(
                    !subject_words.contains(*english) && !body_words.contains(*english),
                    "English {english:?} in {context}"
                );
            }
            assert!(
                native.iter().any(|n| subject_words.contains(*n))
                    || subject_words.iter().any(|w| !w.is_ascii()),
                "the subject is not in {lang}: {context}"
            );
        }
        // Nothing of the case, the report, the statement or the reveal.
        let lower = format!("{text}\n{}", m.data).to_lowercase();
        for secret in &w.secrets {
            assert!(
                !lower.contains(&secret.to_lowercase()),
                "{secret:?} in {context}"
            );
        }
        // The hearing's start, in the court's zone and beside it the reader's.
        let payload: Value = serde_json::from_str(&row.payload).expect("payload");
        if let Some(h) = payload["hearing_id"].as_str() {
            let h: uuid::Uuid = h.parse().expect("uuid");
            let court = w
                .hearings
                .get(&h)
                .copied()
                .expect("a hearing of the scenario");
            let expected = expected_start(lang, court, reader.clock)
                .unwrap_or_else(|| panic!("no expectation for {court:?} on {:?}", reader.clock));
            assert!(
                body.contains(expected),
                "expected {expected:?} in {context}"
            );
            if reader.clock == Clock::Paris && court == Court::ParisBefore {
                for yours in ["your time", "chez vous", "en su hora"] {
                    assert!(!body.contains(yours), "the same clock twice in {context}");
                }
            }
            assert!(body.contains(COURT) && body.contains(CITY), "{context}");
            starts_checked += 1;
        }
        match kind {
            "COVERAGE_DIGEST" => {
                let one = match lang {
                    "fr" => "Accord : 1 audience à venir manque d'observation",
                    "es" => "Accord: 1 próxima audiencia carece de observación",
                    _ => "Accord: 1 upcoming hearing lacks observers",
                };
                let covered = match lang {
                    "fr" => {
                        "Accord : toutes les audiences à venir que vous voyez ont leurs observateurs et observatrices"
                    }
                    "es" => {
                        "Accord: todas las próximas audiencias que ve tienen su observación cubierta"
                    }
                    _ => "Accord: every upcoming hearing you see has its observers",
                };
                assert!(subject == one || subject == covered, "{context}");
                digest_lists |= subject == one;
                assert!(!body.contains(COURT), "{context}");
            }
            "STATEMENT_DEADLINE" => {
                // On the reader's clock, and in UTC.
                let zone = match reader.clock {
                    Clock::Manila => "(Asia/Manila)",
                    Clock::Paris => "(Europe/Paris)",
                };
                assert!(body.contains(zone) && body.contains("(UTC)."), "{context}");
            }
            "REMINDER" => assert!(subject.contains("(48 h)"), "{context}"),
            _ => {}
        }
        kinds.insert(kind.to_owned());
    }
    let all: BTreeSet<String> = Notice::KINDS.iter().map(|k| (*k).to_owned()).collect();
    assert_eq!(
        kinds, all,
        "every kind of notice reached a reader of {lang}"
    );
    assert!(starts_checked >= 8, "{starts_checked}");
    assert!(
        digest_lists,
        "a digest listed the hearing that lacks observers"
    );
    let sent = rows.values().filter(|r| r.status == "SENT").count();
    assert_eq!(sent, got.len(), "one message per sent row");
}

on_both_backends_with! {
    async fn every_notice_in_english(app: TestApp) with |c: &mut accord_server::config::Config| c.coverage_digest = true; {
        every_notice_in(app, "en").await;
    }
    async fn every_notice_in_french(app: TestApp) with |c: &mut accord_server::config::Config| c.coverage_digest = true; {
        every_notice_in(app, "fr").await;
    }
    async fn every_notice_in_spanish(app: TestApp) with |c: &mut accord_server::config::Config| c.coverage_digest = true; {
        every_notice_in(app, "es").await;
    }
}
