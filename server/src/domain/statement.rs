//! Joint statements and démarches: kinds, the life of a statement, who holds
//! the pen, signatures pinned to a version, and the content hash.
use sha2::{Digest, Sha256};

use crate::domain::input::InputError;
use crate::i18n::Msg;
use crate::msg;

stored_enum!(
    /// What the text is for. Public kinds need consent to public advocacy of
    /// every linked case (docs/RULES.md rule 6).
    StatementKind {
        Demarche = "DEMARCHE",
        PublicStatement = "PUBLIC_STATEMENT",
        PressRelease = "PRESS_RELEASE",
        Letter = "LETTER",
    }
);

impl StatementKind {
    pub fn is_public(self) -> bool {
        matches!(
            self,
            StatementKind::PublicStatement | StatementKind::PressRelease
        )
    }
}

stored_enum!(
    /// DRAFT (no one invited yet) → CIRCULATING → FINAL → DELIVERED.
    StatementStatus {
        Draft = "DRAFT",
        Circulating = "CIRCULATING",
        Final = "FINAL",
        Delivered = "DELIVERED",
    }
);

impl StatementStatus {
    /// Whether the text and the invitations may still change.
    pub fn is_open(self) -> bool {
        matches!(self, StatementStatus::Draft | StatementStatus::Circulating)
    }
}

stored_enum!(
    /// A country's part: the lead drafts and finalizes; co-penholders may
    /// revise; the invited sign on or decline.
    ParticipantRole { Lead = "LEAD", CoPenholder = "CO_PENHOLDER", Invited = "INVITED" }
);

impl ParticipantRole {
    pub fn may_revise(self) -> bool {
        matches!(self, ParticipantRole::Lead | ParticipantRole::CoPenholder)
    }
}

stored_enum!(
    /// A country's answer. APPROVED and STALE carry the version approved.
    SignatureStatus { Pending = "PENDING", Approved = "APPROVED", Stale = "STALE", Declined = "DECLINED" }
);

stored_enum!(
    /// How a final text reached its audience.
    DeliveryChannel {
        Meeting = "MEETING",
        NoteVerbale = "NOTE_VERBALE",
        Letter = "LETTER",
        Publication = "PUBLICATION",
        PressConference = "PRESS_CONFERENCE",
        Other = "OTHER",
    }
);

/// SHA-256 of the text, hex: what an approval is an approval of.
pub fn content_hash(body: &str) -> String {
    hex::encode(Sha256::digest(body.as_bytes()))
}

/// A country's signature after a new version: an approval of an older text
/// goes STALE (keeping the version it approved); the rest stand.
pub fn after_revision(status: SignatureStatus) -> SignatureStatus {
    match status {
        SignatureStatus::Approved => SignatureStatus::Stale,
        other => other,
    }
}

/// Versions one statement may hold (version 1 included). A revision beyond
/// it is refused: together with `MAX_BODY` characters a version it bounds
/// what `versions { body }` can answer, and the query cost counts it.
pub const MAX_VERSIONS: i32 = 100;

/// The number of the version after `current`, unless the statement is full.
pub fn next_version(current: i32) -> Result<i32, Msg> {
    if current >= MAX_VERSIONS {
        return Err(msg!("conflict-statement-versions-full", max = MAX_VERSIONS));
    }
    Ok(current + 1)
}

/// Where a statement's sign-on deadline stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Deadline<T> {
    /// The statement has none: it is finalized once every country answered.
    None,
    /// Still ahead, at this instant.
    Ahead(T),
    Passed,
}

/// One participant's answer, as finalization weighs it.
pub struct Answer<'a> {
    pub country: &'a str,
    pub status: SignatureStatus,
    pub version: Option<i32>,
}

/// Whether a statement may be finalized now: before the deadline every
/// participant must have answered the current text (approved it or
/// declined); once the deadline has passed the lead finalizes with whoever
/// approved. At least one country must sign. An early refusal names the
/// countries that have not answered (codes every participant already sees).
pub fn may_finalize<T: std::fmt::Display>(
    answers: &[Answer<'_>],
    current: i32,
    deadline: Deadline<T>,
) -> Result<(), InputError> {
    let approved =
        |a: &Answer<'_>| a.status == SignatureStatus::Approved && a.version == Some(current);
    if !answers.iter().any(approved) {
        return Err(InputError::new(
            "id",
            msg!("input-no-country-has-approved-the"),
        ));
    }
    let mut waiting: Vec<&str> = answers
        .iter()
        .filter(|a| !(a.status == SignatureStatus::Declined || approved(a)))
        .map(|a| a.country)
        .collect();
    waiting.sort_unstable();
    let (when, deadline) = match deadline {
        _ if waiting.is_empty() => return Ok(()),
        Deadline::Passed => return Ok(()),
        Deadline::Ahead(at) => ("ahead", at.to_string()),
        Deadline::None => ("none", String::new()),
    };
    Err(InputError::new(
        "id",
        msg!(
            "input-not-all-answered",
            count = waiting.len(),
            countries = waiting.join(", "),
            when = when,
            deadline = deadline,
        ),
    ))
}

/// A line diff between two texts, unified format, for reviewers. The line
/// matching gives up at `deadline`: whatever it has not matched by then
/// shows as removed and added in blocks — still a correct diff (applying it
/// to `old` gives `new`), only coarser. Everything after the search is
/// linear in the texts' size.
pub fn line_diff(
    old: &str,
    new: &str,
    old_label: &str,
    new_label: &str,
    deadline: std::time::Instant,
) -> String {
    similar::TextDiff::configure()
        .algorithm(similar::Algorithm::Myers)
        .deadline(deadline)
        .diff_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header(old_label, new_label)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use SignatureStatus::*;

    #[test]
    fn hashes_and_kinds() {
        assert_eq!(
            content_hash("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert!(StatementKind::PressRelease.is_public());
        assert!(!StatementKind::Demarche.is_public());
        assert!(StatementStatus::Circulating.is_open());
        assert!(!StatementStatus::Final.is_open());
    }

    #[test]
    fn a_new_version_makes_approvals_stale_only() {
        assert_eq!(after_revision(Approved), Stale);
        for s in [Pending, Stale, Declined] {
            assert_eq!(after_revision(s), s);
        }
    }

    fn answers<'a>(list: &[(&'a str, SignatureStatus, Option<i32>)]) -> Vec<Answer<'a>> {
        list.iter()
            .map(|&(country, status, version)| Answer {
                country,
                status,
                version,
            })
            .collect()
    }

    #[test]
    fn finalizing_needs_answers_before_the_deadline() {
        let ahead = Deadline::Ahead("2026-12-05 12:00:00 UTC");
        let all = answers(&[("CA", Approved, Some(2)), ("DE", Declined, None)]);
        assert!(may_finalize(&all, 2, ahead).is_ok());
        assert!(may_finalize(&all, 2, Deadline::<&str>::None).is_ok());
        let waiting = answers(&[
            ("CA", Approved, Some(2)),
            ("EU", Pending, None),
            ("DE", Stale, Some(1)),
        ]);
        let early = may_finalize(&waiting, 2, ahead).expect_err("early");
        assert_eq!(
            early.reason.english(),
            "2 participating countries have not answered the current version: DE, EU; finalize when all have answered or after the deadline (2026-12-05 12:00:00 UTC)"
        );
        let one = answers(&[("CA", Approved, Some(2)), ("EU", Pending, None)]);
        let never = may_finalize(&one, 2, Deadline::<&str>::None).expect_err("no deadline");
        assert_eq!(
            never.reason.english(),
            "1 participating country has not answered the current version: EU; finalize when all have answered (the statement has no deadline)"
        );
        assert!(may_finalize(&waiting, 2, Deadline::<&str>::Passed).is_ok());
        let nobody = answers(&[("CA", Stale, Some(1)), ("DE", Declined, None)]);
        assert!(may_finalize(&nobody, 2, Deadline::<&str>::Passed).is_err());
    }

    #[test]
    fn versions_stop_at_the_cap() {
        assert_eq!(next_version(1), Ok(2));
        assert_eq!(next_version(MAX_VERSIONS - 1), Ok(MAX_VERSIONS));
        assert!(next_version(MAX_VERSIONS).is_err());
    }

    fn later() -> std::time::Instant {
        std::time::Instant::now() + std::time::Duration::from_secs(60)
    }

    #[test]
    fn diffs_show_changed_lines() {
        let d = line_diff("a\nb\nc\n", "a\nB\nc\n", "v1", "v2", later());
        assert!(d.contains("-b\n") && d.contains("+B\n"), "{d}");
        assert!(d.starts_with("--- v1\n+++ v2\n"), "{d}");
    }

    /// Applies a unified diff's hunks (as `line_diff` writes them) to `old`.
    fn apply(old: &str, diff: &str) -> String {
        let old: Vec<&str> = old.split_inclusive('\n').collect();
        let mut out = String::new();
        let mut at = 0;
        for line in diff.split_inclusive('\n').skip(2) {
            if let Some(hunk) = line.strip_prefix("@@ -") {
                let start: usize = hunk
                    .split([',', ' '])
                    .next()
                    .and_then(|n| n.parse().ok())
                    .expect("hunk start");
                let start = start.saturating_sub(1).max(at);
                out.extend(old[at..start].iter().copied());
                at = start;
            } else if let Some(kept) = line.strip_prefix(' ') {
                out.push_str(kept);
                at += 1;
            } else if line.starts_with('-') {
                at += 1;
            } else if let Some(added) = line.strip_prefix('+') {
                out.push_str(added);
            }
        }
        out.extend(old[at..].iter().copied());
        out
    }

    #[test]
    fn past_the_deadline_a_diff_is_coarser_but_still_correct() {
        let old: String = (0..2000).map(|i| format!("{}\n", i % 7)).collect();
        let new: String = (0..2000).map(|i| format!("{}\n", i % 5)).collect();
        let fine = line_diff(&old, &new, "v1", "v2", later());
        let coarse = line_diff(&old, &new, "v1", "v2", std::time::Instant::now());
        assert_eq!(apply(&old, &fine), new);
        assert_eq!(apply(&old, &coarse), new);
        assert!(
            coarse.len() >= fine.len(),
            "the coarse diff matches fewer lines"
        );
        assert_ne!(coarse, fine);
    }
}
