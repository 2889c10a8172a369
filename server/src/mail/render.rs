//! The words of each email, from a `Notice` and its hearing row only: court,
//! city, local time in the court's zone, and a link. The case is never loaded
//! here (docs/RULES.md rule 8), so no pseudonym, reference, summary, region or
//! name can reach a message.
use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::Notice;
use crate::domain::ids::{self, Kind};
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

/// A subject and a plain-text body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rendered {
    pub subject: String,
    pub body: String,
}

/// `2026-12-01 09:30 (Asia/Manila)`; UTC when the stored zone is unknown.
pub fn local_time(at: DateTime<Utc>, timezone: &str) -> String {
    match timezone.parse::<chrono_tz::Tz>() {
        Ok(tz) => format!(
            "{} ({})",
            at.with_timezone(&tz).format("%Y-%m-%d %H:%M"),
            tz.name()
        ),
        Err(_) => format!("{} (UTC)", at.format("%Y-%m-%d %H:%M")),
    }
}

/// Renders a notice about an attack report: that something needs attention
/// and a link, nothing else — no report text, place, date or victim detail,
/// and not even the host country (docs/RULES.md rule 8).
pub fn render_report(notice: &Notice, report_id: Uuid, public_url: &str) -> Rendered {
    let link = page_link(public_url, "reports", Kind::AttackReport, report_id);
    let (subject, opening) = match notice {
        Notice::ReportUnacknowledged { .. } => (
            "Accord: an attack report is still waiting for your country".to_owned(),
            "An attack report sent to your country has not been acknowledged yet. Please sign in and triage it.".to_owned(),
        ),
        // Not even which country: who a report went to is who follows the
        // defender, and the mailbox may be read by others.
        Notice::ReportResponded { .. } => (
            "Accord: a country responded to your report".to_owned(),
            "A country updated its response to an attack report your organization submitted. Please sign in to read it.".to_owned(),
        ),
        _ => (
            "Accord: a new attack report needs attention".to_owned(),
            "An attack report was sent to your country. Please sign in and triage it.".to_owned(),
        ),
    };
    link_only(subject, &opening, &link, "report details")
}

/// Renders a notice about a reveal request: that one awaits or was
/// answered, and where to sign in — never the case, the country or the
/// motivation (docs/RULES.md rule 8).
pub fn render_reveal(notice: &Notice, public_url: &str) -> Rendered {
    let link = format!("{}/identity", public_url.trim_end_matches('/'));
    let (subject, opening) = match notice {
        Notice::RevealDecided { .. } => (
            "Accord: your identity request was answered".to_owned(),
            "The country that owns a case answered your country's request to see a defender's identity. Please sign in to read the decision.".to_owned(),
        ),
        _ => (
            "Accord: a partner asks to see an identity".to_owned(),
            "A partner country asks to see the identity of a defender in one of your country's cases. A custodian of your country's key decides; please sign in.".to_owned(),
        ),
    };
    link_only(subject, &opening, &link, "case details")
}

/// A message that says only what is asked and where to sign in.
fn link_only(subject: String, opening: &str, link: &str, withheld: &str) -> Rendered {
    let body = format!(
        "Hello,\n\n{opening}\n\n\
         Details (sign in): {link}\n\n\
         This message deliberately carries no {withheld}.\n\
         -- Accord\n"
    );
    Rendered { subject, body }
}

/// Renders a notice about a statement: what is asked and a link — not the
/// title or the text, which may name a defender (docs/RULES.md rule 8).
pub fn render_statement(notice: &Notice, statement_id: Uuid, public_url: &str) -> Rendered {
    let link = page_link(public_url, "statements", Kind::Statement, statement_id);
    let (subject, opening) = match notice {
        Notice::StatementApprovalStale { version, .. } => (
            "Accord: a statement you approved has changed".to_owned(),
            format!("A joint statement your country approved now has a new version ({version}); your approval no longer counts until you approve the new text."),
        ),
        Notice::StatementDeadline { deadline, .. } => (
            "Accord: a statement's sign-on deadline is near".to_owned(),
            format!("Your country has not yet answered the current text of a joint statement. The sign-on deadline is {} UTC.", deadline.format("%Y-%m-%d %H:%M")),
        ),
        Notice::StatementFinalized { .. } => (
            "Accord: a joint statement was finalized".to_owned(),
            "A joint statement your country took part in was finalized; sign in to see the final text and its signatories.".to_owned(),
        ),
        _ => (
            "Accord: your country is invited to sign a joint statement".to_owned(),
            "Your country was invited to review and sign on to a joint statement or démarche.".to_owned(),
        ),
    };
    link_only(subject, &opening, &link, "statement text")
}

/// Renders `notice` about `hearing` (which must be the notice's hearing).
pub fn render(notice: &Notice, hearing: &hearing::Model, public_url: &str) -> Rendered {
    let link = page_link(public_url, "hearings", Kind::Hearing, hearing.id);
    let when = |at: DateTime<Utc>| local_time(at, &hearing.timezone);
    let (subject, opening, starts) = match notice {
        Notice::Reminder {
            hours_before,
            starts_at,
            ..
        } => (
            format!("Accord: trial observation reminder ({hours_before} h)"),
            "You are confirmed to observe this hearing, which starts soon.".to_owned(),
            when(*starts_at),
        ),
        Notice::Promoted { .. } => (
            "Accord: you are confirmed on a trial roster".to_owned(),
            "A place became free: you moved from the waitlist to a confirmed place on the roster for this hearing.".to_owned(),
            when(hearing.starts_at),
        ),
        Notice::Demoted { .. } => (
            "Accord: moved to the waitlist".to_owned(),
            "Fewer observers are needed for this hearing: your confirmed place went back to the waitlist. You will be told if a place frees up.".to_owned(),
            when(hearing.starts_at),
        ),
        Notice::Rescheduled { starts_at, .. } => (
            "Accord: hearing rescheduled".to_owned(),
            "A hearing you are on the roster for has a new start time.".to_owned(),
            when(*starts_at),
        ),
        Notice::Postponed { .. } => (
            "Accord: hearing postponed".to_owned(),
            "A hearing you are on the roster for has been postponed; no new date is set yet.".to_owned(),
            format!("{} (postponed)", when(hearing.starts_at)),
        ),
        Notice::Cancelled { .. } => (
            "Accord: hearing cancelled".to_owned(),
            "A hearing you are on the roster for has been cancelled; your place on its roster is void.".to_owned(),
            format!("{} (cancelled)", when(hearing.starts_at)),
        ),
        Notice::ClaimOffered { .. } => (
            "Accord: a colleague offers you their roster place".to_owned(),
            "A colleague offers you their place on the trial roster for this hearing. Sign in to accept or decline it before the claim deadline.".to_owned(),
            when(hearing.starts_at),
        ),
        Notice::ClaimOfferDecided { state, taker, .. } => {
            let (subject, opening) = offer_decided(state, *taker);
            (subject.to_owned(), opening.to_owned(), when(hearing.starts_at))
        }
        Notice::ReportReceived { report_id }
        | Notice::ReportUnacknowledged { report_id }
        | Notice::ReportResponded { report_id, .. } => {
            return render_report(notice, *report_id, public_url);
        }
        Notice::StatementInvited { statement_id }
        | Notice::StatementApprovalStale { statement_id, .. }
        | Notice::StatementDeadline { statement_id, .. }
        | Notice::StatementFinalized { statement_id } => {
            return render_statement(notice, *statement_id, public_url);
        }
        Notice::RevealRequested { .. } | Notice::RevealDecided { .. } => {
            return render_reveal(notice, public_url);
        }
        // Not about one hearing: what it lists is found at send time.
        Notice::CoverageDigest { .. } => return render_digest(&[], 0, public_url),
    };
    let body = format!(
        "Hello,\n\n{opening}\n\n\
         Court: {court}\n\
         City:  {city}\n\
         Start: {starts}\n\n\
         Details (sign in): {link}\n\n\
         This message deliberately carries no case details.\n\
         -- Accord\n",
        court = one_line(&hearing.court),
        city = one_line(&hearing.city),
    );
    Rendered { subject, body }
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
pub fn render_digest(lines: &[DigestLine], total: usize, public_url: &str) -> Rendered {
    let base = public_url.trim_end_matches('/');
    let days = crate::domain::digest::HORIZON_DAYS;
    let overview = format!("{base}/coverage?days={days}");
    if total == 0 {
        return Rendered {
            subject: "Accord: every upcoming hearing you see has its observers".to_owned(),
            body: format!(
                "Hello,\n\nIn the next {days} days, no hearing you can see lacks observers.\n\n\
                 Coverage overview (sign in): {overview}\n\n\
                 This message deliberately carries no case details.\n\
                 -- Accord\n"
            ),
        };
    }
    let open: u64 = lines
        .iter()
        .map(|l| l.needed.saturating_sub(l.confirmed))
        .sum();
    let none = lines.iter().filter(|l| l.confirmed == 0).count();
    let (hearings, lack) = if total == 1 {
        ("hearing", "lacks")
    } else {
        ("hearings", "lack")
    };
    let mut body = format!(
        "Hello,\n\nIn the next {days} days, {total} {hearings} you can see {lack} observers. \
         Among those listed below: open observer places, {open}; hearings with no observer yet, {none}.\n\n"
    );
    for l in lines {
        body.push_str(&format!(
            "- {} of {} observers confirmed: {}\n",
            l.confirmed,
            l.needed,
            page_link(public_url, "hearings", Kind::Hearing, l.hearing_id)
        ));
    }
    if total > lines.len() {
        body.push_str(&format!("- and {} more\n", total - lines.len()));
    }
    body.push_str(&format!(
        "\nCoverage overview (sign in): {overview}\n\n\
         This message deliberately carries no case details.\n\
         -- Accord\n"
    ));
    Rendered {
        subject: format!("Accord: {total} upcoming {hearings} {lack} observers"),
        body,
    }
}

/// The subject and opening of a decided offer, by its state and whether the
/// recipient took the place.
fn offer_decided(state: &str, taker: bool) -> (&'static str, &'static str) {
    match (state, taker) {
        ("ACCEPTED", true) => (
            "Accord: you took over a roster place",
            "You accepted a hand-over: the roster place for this hearing is now yours, where it stood on the roster.",
        ),
        ("ACCEPTED", false) => (
            "Accord: your roster place was taken over",
            "A colleague accepted your offer: your place on the roster for this hearing is now theirs, and you no longer hold it.",
        ),
        ("DECLINED", _) => (
            "Accord: your roster place offer was declined",
            "The colleague you offered your roster place to declined it; you still hold the place.",
        ),
        ("EXPIRED", _) => (
            "Accord: your roster place offer expired",
            "Nobody took your roster place before the claim deadline; you still hold it.",
        ),
        _ => (
            "Accord: your roster place offer was cancelled",
            "Your offer of a roster place for this hearing was cancelled: the place can no longer be handed over as offered.",
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

    #[test]
    fn local_time_is_in_the_court_zone() {
        let h = hearing();
        assert_eq!(
            local_time(h.starts_at, &h.timezone),
            "2026-12-01 09:30 (Asia/Manila)"
        );
        assert_eq!(
            local_time(h.starts_at, "Nowhere/Else"),
            "2026-12-01 01:30 (UTC)"
        );
    }

    #[test]
    fn a_reminder_names_court_city_time_and_link() {
        let h = hearing();
        let r = render(
            &Notice::Reminder {
                hearing_id: h.id,
                claim_id: Uuid::nil(),
                hours_before: 48,
                starts_at: h.starts_at,
            },
            &h,
            "https://accord.example/",
        );
        assert_eq!(r.subject, "Accord: trial observation reminder (48 h)");
        assert!(r.body.contains("Court: Regional Trial Court Branch 7\n"));
        assert!(r.body.contains("Davao City"));
        assert!(r.body.contains("2026-12-01 09:30 (Asia/Manila)"));
        assert!(r.body.contains(&page_link(
            "https://accord.example",
            "hearings",
            Kind::Hearing,
            Uuid::nil()
        )));
    }

    #[test]
    fn every_kind_has_its_subject() {
        let h = hearing();
        let id = h.id;
        let subjects: Vec<String> = [
            Notice::Promoted {
                hearing_id: id,
                claim_id: id,
            },
            Notice::Demoted {
                hearing_id: id,
                claim_id: id,
            },
            Notice::Rescheduled {
                hearing_id: id,
                starts_at: h.starts_at,
            },
            Notice::Postponed {
                hearing_id: id,
                at: h.starts_at,
            },
            Notice::Cancelled { hearing_id: id },
        ]
        .iter()
        .map(|n| render(n, &h, "http://x").subject)
        .collect();
        assert_eq!(
            subjects,
            [
                "Accord: you are confirmed on a trial roster",
                "Accord: moved to the waitlist",
                "Accord: hearing rescheduled",
                "Accord: hearing postponed",
                "Accord: hearing cancelled",
            ]
        );
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
            let r = render_report(&n, id, "https://accord.example");
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
        let r = render_digest(&[line(1, 0), line(2, 1)], 5, "https://accord.example/");
        assert_eq!(r.subject, "Accord: 5 upcoming hearings lack observers");
        assert!(
            r.body
                .contains("open observer places, 3; hearings with no observer yet, 1."),
            "{}",
            r.body
        );
        assert!(
            r.body
                .contains("- 0 of 2 observers confirmed: https://accord.example/hearings/")
        );
        assert!(r.body.contains("- and 3 more\n"));
        assert!(r.body.contains("https://accord.example/coverage?days=14"));
        let one = render_digest(&[line(1, 1)], 1, "https://accord.example");
        assert_eq!(one.subject, "Accord: 1 upcoming hearing lacks observers");
        assert!(!one.body.contains("more"));
        let none = render_digest(&[], 0, "https://accord.example");
        assert!(none.subject.contains("has its observers") && !none.body.contains("/hearings/"));
    }
}
