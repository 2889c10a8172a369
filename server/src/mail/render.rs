//! The words of each email, from a `Notice` and its hearing row only: court,
//! city, local time in the court's zone, and a link. The case is never loaded
//! here (docs/RULES.md rule 8), so no pseudonym, reference, summary, region or
//! name can reach a message.
//!
//! Every line comes from the `mail-…` messages (`locales/<lang>/mail.ftl`),
//! in the recipient's language (`Reading::mail_lang`: their choice, else
//! English — never the sender's); times are the court's local time with its
//! zone, the reader's own beside it when their clock differs.
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use uuid::Uuid;

use super::Notice;
use crate::auth::Reading;
use crate::domain::ids::{self, Kind};
use crate::i18n::{Args, Lang};
use crate::store::hearing;

/// The web page of one object, addressed by the id the API uses, so a link
/// opens the page the notice is about (after sign-in if need be).
pub fn page_link(public_url: &str, section: &str, kind: Kind, id: Uuid) -> String {
    format!(
        "{}/{section}/{}",
        public_url.trim_end_matches('/'),
        ids::encode(kind, id)
    )
}

/// A subject and a plain-text body, in `lang` (the `Content-Language` the
/// message is sent with).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rendered {
    pub subject: String,
    pub body: String,
    pub lang: Lang,
}

/// A stored zone name; UTC when it no longer parses.
pub fn zone_of(timezone: &str) -> Tz {
    timezone.parse::<Tz>().unwrap_or(chrono_tz::UTC)
}

/// The lines of a body, blank lines between paragraphs, one ending newline.
fn body(paragraphs: &[Vec<String>]) -> String {
    let mut out = paragraphs
        .iter()
        .map(|lines| lines.join("\n"))
        .collect::<Vec<_>>()
        .join("\n\n");
    out.push('\n');
    out
}

/// A message that says only what is asked and where to sign in; `withheld`
/// is the closing sentence's id (what the message deliberately leaves out).
fn link_only(
    lang: Lang,
    subject: String,
    opening: String,
    link: &str,
    withheld: String,
) -> Rendered {
    Rendered {
        subject,
        body: body(&[
            vec![lang.text("mail-greeting")],
            vec![opening],
            vec![lang.text1("mail-details-link", "link", link)],
            vec![withheld, lang.text("mail-sign-off")],
        ]),
        lang,
    }
}

/// Renders a notice about an attack report: that something needs attention
/// and a link, nothing else — no report text, place, date or victim detail,
/// and not even the host country (docs/RULES.md rule 8).
pub fn render_report(
    notice: &Notice,
    report_id: Uuid,
    reading: Reading,
    public_url: &str,
) -> Rendered {
    let lang = reading.mail_lang();
    let link = page_link(public_url, "reports", Kind::AttackReport, report_id);
    let (subject, opening) = match notice {
        Notice::ReportUnacknowledged { .. } => (
            lang.text("mail-report-unacknowledged.subject"),
            lang.text("mail-report-unacknowledged.opening"),
        ),
        // Not even which country: who a report went to is who follows the
        // defender, and the mailbox may be read by others.
        Notice::ReportResponded { .. } => (
            lang.text("mail-report-responded.subject"),
            lang.text("mail-report-responded.opening"),
        ),
        _ => (
            lang.text("mail-report-received.subject"),
            lang.text("mail-report-received.opening"),
        ),
    };
    link_only(
        lang,
        subject,
        opening,
        &link,
        lang.text("mail-withheld-report"),
    )
}

/// Renders a notice about a reveal request: that one awaits or was
/// answered, and where to sign in — never the case, the country or the
/// motivation (docs/RULES.md rule 8).
pub fn render_reveal(notice: &Notice, reading: Reading, public_url: &str) -> Rendered {
    let lang = reading.mail_lang();
    let link = format!("{}/identity", public_url.trim_end_matches('/'));
    let (subject, opening) = match notice {
        Notice::RevealDecided { .. } => (
            lang.text("mail-reveal-decided.subject"),
            lang.text("mail-reveal-decided.opening"),
        ),
        _ => (
            lang.text("mail-reveal-requested.subject"),
            lang.text("mail-reveal-requested.opening"),
        ),
    };
    link_only(
        lang,
        subject,
        opening,
        &link,
        lang.text("mail-withheld-case"),
    )
}

/// Renders a notice about the reader's own sign-in (a recovery code used,
/// the authenticator app turned off): what happened, when, and a link to
/// their account — nothing secret.
pub fn render_security(notice: &Notice, reading: Reading, public_url: &str) -> Rendered {
    let lang = reading.mail_lang();
    let link = format!("{}/account", public_url.trim_end_matches('/'));
    let (subject, opening, at) = match notice {
        Notice::SecurityChanged { change, at } if change == "TOTP_REMOVED" => (
            lang.text("mail-totp-removed.subject"),
            lang.text("mail-totp-removed.opening"),
            *at,
        ),
        Notice::SecurityChanged { at, .. } => (
            lang.text("mail-recovery-code-used.subject"),
            lang.text("mail-recovery-code-used.opening"),
            *at,
        ),
        _ => (
            lang.text("mail-recovery-code-used.subject"),
            lang.text("mail-recovery-code-used.opening"),
            DateTime::<Utc>::MIN_UTC,
        ),
    };
    Rendered {
        subject,
        body: body(&[
            vec![lang.text("mail-greeting")],
            vec![
                opening,
                lang.text1("mail-security-when", "when", reader_time(lang, at, reading)),
            ],
            vec![lang.text("mail-security-not-you")],
            vec![lang.text1("mail-details-link", "link", &link)],
            vec![
                lang.text("mail-withheld-account"),
                lang.text("mail-sign-off"),
            ],
        ]),
        lang,
    }
}

/// A moment on the reader's own clock with its zone, and in UTC beside it
/// (a deadline has no court: the reader's clock is the one that counts).
pub fn reader_time(lang: Lang, at: DateTime<Utc>, reading: Reading) -> String {
    let utc = lang.datetime_in(at, chrono_tz::UTC);
    match reading.zone.filter(|z| *z != chrono_tz::UTC) {
        Some(zone) => lang.text2(
            "mail-time-and-utc",
            "local",
            lang.datetime_in(at, zone),
            "utc",
            utc,
        ),
        None => utc,
    }
}

/// Renders a notice about a statement: what is asked and a link — not the
/// title or the text, which may name a defender (docs/RULES.md rule 8).
pub fn render_statement(
    notice: &Notice,
    statement_id: Uuid,
    reading: Reading,
    public_url: &str,
) -> Rendered {
    let lang = reading.mail_lang();
    let link = page_link(public_url, "statements", Kind::Statement, statement_id);
    let (subject, opening) = match notice {
        Notice::StatementApprovalStale { version, .. } => (
            lang.text("mail-statement-stale.subject"),
            lang.text1("mail-statement-stale.opening", "version", *version),
        ),
        Notice::StatementDeadline { deadline, .. } => (
            lang.text("mail-statement-deadline.subject"),
            lang.text1(
                "mail-statement-deadline.opening",
                "deadline",
                reader_time(lang, *deadline, reading),
            ),
        ),
        Notice::StatementFinalized { .. } => (
            lang.text("mail-statement-finalized.subject"),
            lang.text("mail-statement-finalized.opening"),
        ),
        _ => (
            lang.text("mail-statement-invited.subject"),
            lang.text("mail-statement-invited.opening"),
        ),
    };
    link_only(
        lang,
        subject,
        opening,
        &link,
        lang.text("mail-withheld-statement"),
    )
}

/// Renders `notice` about `hearing` (which must be the notice's hearing) for
/// a reader: in their language, the start in the court's zone first and on
/// their own clock beside it when it differs.
pub fn render(
    notice: &Notice,
    hearing: &hearing::Model,
    reading: Reading,
    public_url: &str,
) -> Rendered {
    let lang = reading.mail_lang();
    let link = page_link(public_url, "hearings", Kind::Hearing, hearing.id);
    let court_zone = zone_of(&hearing.timezone);
    let when = |at: DateTime<Utc>| lang.when(at, court_zone, reading.zone).to_string();
    let start = |at: DateTime<Utc>| lang.text1("mail-start", "start", when(at));
    let (subject, opening, start) = match notice {
        Notice::Reminder {
            hours_before,
            starts_at,
            ..
        } => (
            lang.text1("mail-reminder.subject", "hours", *hours_before),
            lang.text("mail-reminder.opening"),
            start(*starts_at),
        ),
        Notice::Promoted { .. } => (
            lang.text("mail-promoted.subject"),
            lang.text("mail-promoted.opening"),
            start(hearing.starts_at),
        ),
        Notice::Demoted { .. } => (
            lang.text("mail-demoted.subject"),
            lang.text("mail-demoted.opening"),
            start(hearing.starts_at),
        ),
        Notice::Rescheduled { starts_at, .. } => (
            lang.text("mail-rescheduled.subject"),
            lang.text("mail-rescheduled.opening"),
            start(*starts_at),
        ),
        Notice::Postponed { .. } => (
            lang.text("mail-postponed.subject"),
            lang.text("mail-postponed.opening"),
            lang.text1("mail-start-postponed", "start", when(hearing.starts_at)),
        ),
        Notice::Cancelled { .. } => (
            lang.text("mail-cancelled.subject"),
            lang.text("mail-cancelled.opening"),
            lang.text1("mail-start-cancelled", "start", when(hearing.starts_at)),
        ),
        Notice::ClaimOffered { .. } => (
            lang.text("mail-offered.subject"),
            lang.text("mail-offered.opening"),
            start(hearing.starts_at),
        ),
        Notice::ClaimOfferDecided { state, taker, .. } => {
            let (subject, opening) = offer_decided(lang, state, *taker);
            (subject, opening, start(hearing.starts_at))
        }
        Notice::ReportReceived { report_id }
        | Notice::ReportUnacknowledged { report_id }
        | Notice::ReportResponded { report_id, .. } => {
            return render_report(notice, *report_id, reading, public_url);
        }
        Notice::StatementInvited { statement_id }
        | Notice::StatementApprovalStale { statement_id, .. }
        | Notice::StatementDeadline { statement_id, .. }
        | Notice::StatementFinalized { statement_id } => {
            return render_statement(notice, *statement_id, reading, public_url);
        }
        Notice::RevealRequested { .. } | Notice::RevealDecided { .. } => {
            return render_reveal(notice, reading, public_url);
        }
        // Not about one hearing: what it lists is found at send time.
        Notice::CoverageDigest { .. } => return render_digest(&[], 0, reading, public_url),
        Notice::SecurityChanged { .. } => return render_security(notice, reading, public_url),
        // About the reader's account: the worker renders these with their
        // link or masked address (`service::recovery`); a sample here.
        Notice::PasswordResetLink { .. }
        | Notice::PasswordChanged { .. }
        | Notice::EmailChangeConfirm { .. }
        | Notice::EmailChangeRequested { .. }
        | Notice::EmailChanged { .. } => {
            let link = format!("{}/account", public_url.trim_end_matches('/'));
            return render_account(notice, false, &link, "n…@example.org", reading);
        }
    };
    Rendered {
        subject,
        body: body(&[
            vec![lang.text("mail-greeting")],
            vec![opening],
            vec![
                lang.text1("mail-court", "court", one_line(&hearing.court)),
                lang.text1("mail-city", "city", one_line(&hearing.city)),
                start,
            ],
            vec![lang.text1("mail-details-link", "link", &link)],
            vec![lang.text("mail-withheld-case"), lang.text("mail-sign-off")],
        ]),
        lang,
    }
}

/// Renders a notice about the reader's own account. `link` is the reset
/// or confirmation link (the only secret an email holds; the others carry
/// none), `masked` the new address of an email change with most of it
/// hidden (the old mailbox may be read by whoever asked the change), and
/// `forced` says a reset link was sent because an admin voided the password.
pub fn render_account(
    notice: &Notice,
    forced: bool,
    link: &str,
    masked: &str,
    reading: Reading,
) -> Rendered {
    let lang = reading.mail_lang();
    let not_you = lang.text("mail-account-not-you");
    let (subject, paragraphs) = match notice {
        Notice::PasswordResetLink { .. } => {
            let opening = if forced {
                lang.text("mail-reset-link.forced")
            } else {
                lang.text("mail-reset-link.opening")
            };
            let mut closing = Vec::new();
            if !forced {
                closing.push(lang.text("mail-reset-link.ignore"));
            }
            closing.push(lang.text("mail-sign-off"));
            (
                lang.text("mail-reset-link.subject"),
                vec![
                    vec![opening],
                    vec![lang.text1("mail-reset-link-line", "link", link)],
                    closing,
                ],
            )
        }
        Notice::PasswordChanged { .. } => (
            lang.text("mail-password-changed.subject"),
            vec![
                vec![lang.text("mail-password-changed.opening")],
                vec![not_you, lang.text("mail-sign-off")],
            ],
        ),
        Notice::EmailChangeConfirm { .. } => (
            lang.text("mail-email-confirm.subject"),
            vec![
                vec![lang.text("mail-email-confirm.opening")],
                vec![lang.text1("mail-email-confirm-line", "link", link)],
                vec![
                    lang.text("mail-email-confirm.ignore"),
                    lang.text("mail-sign-off"),
                ],
            ],
        ),
        Notice::EmailChangeRequested { .. } => (
            lang.text("mail-email-change-requested.subject"),
            vec![
                vec![lang.text1("mail-email-change-requested.opening", "address", masked)],
                vec![not_you, lang.text("mail-sign-off")],
            ],
        ),
        _ => (
            lang.text("mail-email-changed.subject"),
            vec![
                vec![lang.text1("mail-email-changed.opening", "address", masked)],
                vec![not_you, lang.text("mail-sign-off")],
            ],
        ),
    };
    let mut all = vec![vec![lang.text("mail-greeting")]];
    all.extend(paragraphs);
    // The closing paragraph ends with the sign-off: the withheld sentence
    // goes just before it.
    if let Some(last) = all.last_mut() {
        let at = last.len().saturating_sub(1);
        last.insert(at, lang.text("mail-withheld-account"));
    }
    Rendered {
        subject,
        body: body(&all),
        lang,
    }
}

/// One hearing of a coverage digest: how many observers it has and needs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DigestLine {
    pub hearing_id: Uuid,
    pub confirmed: u64,
    pub needed: u64,
}

/// Renders a coordinator's coverage digest: counts and links only — no
/// court, city, case or defender (docs/RULES.md rule 8). `lines` are the
/// first hearings (soonest first) of `total` that lack observers.
pub fn render_digest(
    lines: &[DigestLine],
    total: usize,
    reading: Reading,
    public_url: &str,
) -> Rendered {
    let lang = reading.mail_lang();
    let base = public_url.trim_end_matches('/');
    let days = crate::domain::digest::HORIZON_DAYS;
    let overview = format!("{base}/coverage?days={days}");
    let closing = vec![lang.text("mail-withheld-case"), lang.text("mail-sign-off")];
    let overview = vec![lang.text1("mail-digest-overview", "link", overview)];
    if total == 0 {
        return Rendered {
            subject: lang.text("mail-digest-covered.subject"),
            body: body(&[
                vec![lang.text("mail-greeting")],
                vec![lang.text1("mail-digest-covered.opening", "days", days)],
                overview,
                closing,
            ]),
            lang,
        };
    }
    let open: u64 = lines
        .iter()
        .map(|l| l.needed.saturating_sub(l.confirmed))
        .sum();
    let none = lines.iter().filter(|l| l.confirmed == 0).count();
    let mut listed: Vec<String> = lines
        .iter()
        .map(|l| {
            lang.text3(
                "mail-digest-line",
                "confirmed",
                l.confirmed,
                "needed",
                l.needed,
                "link",
                page_link(public_url, "hearings", Kind::Hearing, l.hearing_id),
            )
        })
        .collect();
    if total > lines.len() {
        listed.push(lang.text1("mail-digest-more", "count", total - lines.len()));
    }
    let opening = lang.text_with(
        "mail-digest-opening",
        &Args::new()
            .set("days", days)
            .set("total", total)
            .set("open", open)
            .set("none", none),
    );
    Rendered {
        subject: lang.text1("mail-digest-subject", "total", total),
        body: body(&[
            vec![lang.text("mail-greeting")],
            vec![opening],
            listed,
            overview,
            closing,
        ]),
        lang,
    }
}

/// The subject and opening of a decided offer, by its state and whether the
/// recipient took the place.
fn offer_decided(lang: Lang, state: &str, taker: bool) -> (String, String) {
    match (state, taker) {
        ("ACCEPTED", true) => (
            lang.text("mail-offer-taken.subject"),
            lang.text("mail-offer-taken.opening"),
        ),
        ("ACCEPTED", false) => (
            lang.text("mail-offer-given.subject"),
            lang.text("mail-offer-given.opening"),
        ),
        ("DECLINED", _) => (
            lang.text("mail-offer-declined.subject"),
            lang.text("mail-offer-declined.opening"),
        ),
        ("EXPIRED", _) => (
            lang.text("mail-offer-expired.subject"),
            lang.text("mail-offer-expired.opening"),
        ),
        _ => (
            lang.text("mail-offer-cancelled.subject"),
            lang.text("mail-offer-cancelled.opening"),
        ),
    }
}

/// Court and city are typed by people: keep them to one line.
fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    const URL: &str = "https://accord.example/";

    fn hearing() -> hearing::Model {
        let at = Utc
            .with_ymd_and_hms(2026, 12, 1, 1, 30, 0)
            .single()
            .expect("instant");
        hearing::Model {
            id: Uuid::nil(),
            case_id: Uuid::nil(),
            court: "Regional Trial Court\nBranch 7".into(),
            city: "Davao City".into(),
            starts_at: at,
            timezone: "Asia/Manila".into(),
            duration_minutes: 120,
            status: "SCHEDULED".into(),
            observers_needed: 2,
            claim_deadline: None,
            created_by: Uuid::nil(),
            created_at: at,
            updated_at: at,
        }
    }

    fn reading(tag: &str, zone: Option<&str>) -> Reading {
        Reading {
            lang: Lang::parse(tag),
            zone: zone.map(zone_of),
        }
    }

    fn english() -> Reading {
        reading("en", Some("Asia/Manila"))
    }

    /// One notice of every kind (and every state of the kinds that have
    /// states), about the test hearing.
    fn every_notice() -> Vec<Notice> {
        let h = hearing();
        let id = h.id;
        let at = h.starts_at;
        let mut all = crate::mail::one_of_each_kind(id, at);
        // A decided offer reads differently in each state: all of them.
        all.retain(|n| !matches!(n, Notice::ClaimOfferDecided { .. }));
        for (state, taker) in [
            ("ACCEPTED", true),
            ("ACCEPTED", false),
            ("DECLINED", false),
            ("EXPIRED", false),
            ("CANCELLED", false),
        ] {
            all.push(Notice::ClaimOfferDecided {
                hearing_id: id,
                offer_id: id,
                state: state.into(),
                taker,
            });
        }
        // A security notice tells one of two changes: both.
        all.push(Notice::SecurityChanged {
            change: "TOTP_REMOVED".into(),
            at,
        });
        let kinds: std::collections::BTreeSet<&str> = all.iter().map(Notice::kind).collect();
        assert_eq!(kinds.len(), Notice::KINDS.len(), "every kind is rendered");
        all
    }

    /// What a notice of any kind reads as, with a digest that lists.
    fn any(notice: &Notice, reading: Reading) -> Rendered {
        match notice {
            Notice::CoverageDigest { .. } => render_digest(
                &[
                    DigestLine {
                        hearing_id: Uuid::from_u128(1),
                        confirmed: 0,
                        needed: 2,
                    },
                    DigestLine {
                        hearing_id: Uuid::from_u128(2),
                        confirmed: 1,
                        needed: 2,
                    },
                ],
                5,
                reading,
                URL,
            ),
            _ => render(notice, &hearing(), reading, URL),
        }
    }

    #[test]
    fn the_start_is_the_courts_time_and_the_readers_beside_it() {
        let h = hearing();
        let reminder = Notice::Reminder {
            hearing_id: h.id,
            claim_id: Uuid::nil(),
            hours_before: 48,
            starts_at: h.starts_at,
        };
        let r = render(&reminder, &h, english(), URL);
        assert_eq!(r.subject, "Accord: trial observation reminder (48 h)");
        assert_eq!(r.lang, Lang::SOURCE);
        assert!(r.body.contains("Court: Regional Trial Court Branch 7\n"));
        assert!(r.body.contains("City:  Davao City\n"));
        assert!(
            r.body
                .contains("Start: Tuesday 1 December 2026, 9:30 AM (Asia/Manila)\n"),
            "{}",
            r.body
        );
        assert!(
            r.body
                .contains(&page_link(URL, "hearings", Kind::Hearing, Uuid::nil()))
        );
        // A reader in Paris: the court's time first, theirs beside it.
        let paris = render(&reminder, &h, reading("fr", Some("Europe/Paris")), URL);
        assert_eq!(paris.lang.tag(), "fr");
        assert!(
            paris.body.contains(
                "mardi 1er décembre 2026, 09:30 (Asia/Manila) · 02:30 chez vous (Europe/Paris)"
            ),
            "{}",
            paris.body
        );
        // No choice: English, whatever the sender reads.
        let none = render(&reminder, &h, Reading::default(), URL);
        assert_eq!(none.lang, Lang::SOURCE);
        assert!(none.body.contains("(Asia/Manila)"));
        // A stored zone that no longer parses reads as UTC.
        let lost = hearing::Model {
            timezone: "Nowhere/Else".into(),
            ..h
        };
        let r = render(&reminder, &lost, Reading::default(), URL);
        assert!(
            r.body.contains("Tuesday 1 December 2026, 1:30 AM (UTC)"),
            "{}",
            r.body
        );
    }

    #[test]
    fn every_kind_has_its_subject() {
        let subjects: Vec<String> = every_notice()
            .iter()
            .map(|n| any(n, english()).subject)
            .collect();
        assert_eq!(
            subjects,
            [
                "Accord: trial observation reminder (48 h)",
                "Accord: you are confirmed on a trial roster",
                "Accord: moved to the waitlist",
                "Accord: hearing rescheduled",
                "Accord: hearing postponed",
                "Accord: hearing cancelled",
                "Accord: a new attack report needs attention",
                "Accord: an attack report is still waiting for your country",
                "Accord: a country responded to your report",
                "Accord: your country is invited to sign a joint statement",
                "Accord: a statement you approved has changed",
                "Accord: a statement's sign-on deadline is near",
                "Accord: a joint statement was finalized",
                "Accord: a partner asks to see an identity",
                "Accord: your identity request was answered",
                "Accord: 5 upcoming hearings lack observers",
                "Accord: a colleague offers you their roster place",
                "Accord: a recovery code was used to sign in to your account",
                "Accord: set a new password",
                "Accord: your password was changed",
                "Accord: confirm your new email address",
                "Accord: a change of your email address was asked for",
                "Accord: your email address was changed",
                "Accord: you took over a roster place",
                "Accord: your roster place was taken over",
                "Accord: your roster place offer was declined",
                "Accord: your roster place offer expired",
                "Accord: your roster place offer was cancelled",
                "Accord: two-step sign-in was turned off on your account",
            ]
        );
    }

    #[test]
    fn every_kind_reads_in_the_readers_language_without_invisible_marks() {
        for tag in ["en", "fr", "es"] {
            for n in every_notice() {
                let r = any(&n, reading(tag, Some("Europe/Paris")));
                assert_eq!(r.lang.tag(), tag);
                let text = format!("{}\n{}", r.subject, r.body);
                assert!(
                    !text.contains(['\u{2068}', '\u{2069}', '\u{200E}', '\u{200F}']),
                    "{tag} {}: invisible marks in {text:?}",
                    n.kind()
                );
                assert!(r.subject.starts_with("Accord"), "{}", r.subject);
                assert!(r.body.ends_with("-- Accord\n"), "{}", r.body);
                assert!(
                    !text.contains("mail-"),
                    "a missing message in {tag}: {text}"
                );
                if tag != "en" {
                    let english = any(&n, english());
                    assert_ne!(r.subject, english.subject, "{tag} {}", n.kind());
                }
            }
        }
    }

    #[test]
    fn no_english_bypasses_the_bundles() {
        let data = [
            "Regional Trial Court Branch 7",
            "Davao City",
            "https://accord.example/coverage?days=14",
        ];
        for n in every_notice() {
            let pseudo = any(
                &n,
                Reading {
                    lang: Some(Lang::pseudo()),
                    zone: Some(zone_of("Europe/Paris")),
                },
            );
            let text = format!("{}\n{}", pseudo.subject, pseudo.body);
            let left = crate::i18n::untranslated_words(&text, &data);
            assert!(
                left.is_empty(),
                "{}: English left {left:?} in:\n{text}",
                n.kind()
            );
            let english = any(&n, english());
            let english = format!("{}\n{}", english.subject, english.body);
            assert!(
                text.chars().count() > english.chars().count(),
                "{}: the pseudo text is no longer than English",
                n.kind()
            );
        }
    }

    #[test]
    fn the_deadline_is_on_the_readers_clock_and_in_utc() {
        let at = Utc
            .with_ymd_and_hms(2027, 3, 1, 9, 30, 0)
            .single()
            .expect("instant");
        let n = Notice::StatementDeadline {
            statement_id: Uuid::nil(),
            deadline: at,
        };
        let r = render_statement(&n, Uuid::nil(), reading("en", Some("Asia/Manila")), URL);
        assert!(
            r.body.contains("The sign-on deadline is Monday 1 March 2027, 5:30 PM (Asia/Manila); Monday 1 March 2027, 9:30 AM (UTC)."),
            "{}",
            r.body
        );
        let r = render_statement(&n, Uuid::nil(), Reading::default(), URL);
        assert!(
            r.body
                .contains("deadline is Monday 1 March 2027, 9:30 AM (UTC)."),
            "{}",
            r.body
        );
        let r = render_statement(&n, Uuid::nil(), reading("es", Some("Europe/Madrid")), URL);
        assert!(r.body.contains("es el lunes, 1 de marzo de 2027, 10:30 (Europe/Madrid); lunes, 1 de marzo de 2027, 09:30 (UTC)."), "{}", r.body);
    }

    #[test]
    fn report_notices_carry_a_link_and_nothing_else() {
        let id = Uuid::now_v7();
        for n in [
            Notice::ReportReceived { report_id: id },
            Notice::ReportUnacknowledged { report_id: id },
            Notice::ReportResponded {
                report_id: id,
                country: "NL".into(),
            },
        ] {
            let r = render_report(&n, id, english(), "https://accord.example");
            assert!(r.body.contains(&page_link(
                "https://accord.example",
                "reports",
                Kind::AttackReport,
                id
            )));
            assert!(r.subject.starts_with("Accord: "));
            assert!(
                !r.body.contains("NL") && !r.subject.contains("NL"),
                "the responding country is not named: {}",
                r.body
            );
        }
    }

    #[test]
    fn a_digest_counts_links_and_says_how_many_more() {
        let line = |n: u128, confirmed| DigestLine {
            hearing_id: Uuid::from_u128(n),
            confirmed,
            needed: 2,
        };
        let r = render_digest(&[line(1, 0), line(2, 1)], 5, english(), URL);
        assert_eq!(r.subject, "Accord: 5 upcoming hearings lack observers");
        assert!(
            r.body.contains("In the next 14 days, 5 hearings you can see lack observers. Among those listed below: open observer places, 3; hearings with no observer yet, 1."),
            "{}",
            r.body
        );
        assert!(
            r.body
                .contains("- 0 of 2 observers confirmed: https://accord.example/hearings/")
        );
        assert!(r.body.contains("- and 3 more\n"));
        assert!(r.body.contains("https://accord.example/coverage?days=14"));
        let one = render_digest(&[line(1, 1)], 1, english(), "https://accord.example");
        assert_eq!(one.subject, "Accord: 1 upcoming hearing lacks observers");
        assert!(
            one.body.contains("1 hearing you can see lacks observers."),
            "{}",
            one.body
        );
        assert!(!one.body.contains("more"));
        let none = render_digest(&[], 0, english(), "https://accord.example");
        assert!(none.subject.contains("has its observers") && !none.body.contains("/hearings/"));
        // Plurals by the language's own rules.
        let fr = |total| render_digest(&[line(1, 1)], total, reading("fr", None), URL).subject;
        assert_eq!(fr(1), "Accord : 1 audience à venir manque d'observation");
        assert_eq!(fr(2), "Accord : 2 audiences à venir manquent d'observation");
        let es = |total| render_digest(&[line(1, 1)], total, reading("es", None), URL).subject;
        assert_eq!(es(1), "Accord: 1 próxima audiencia carece de observación");
        assert_eq!(
            es(3),
            "Accord: 3 próximas audiencias carecen de observación"
        );
    }
}
