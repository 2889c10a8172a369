//! Joint statements and démarches: kinds, the life of a statement, who holds
//! the pen, signatures pinned to a version, and the content hash.
use sha2::{Digest, Sha256};

use crate::domain::input::InputError;

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

/// Whether a statement may be finalized now: before the deadline every
/// participant must have answered the current text (approved it or
/// declined); once the deadline has passed the lead finalizes with whoever
/// approved. At least one country must sign.
pub fn may_finalize(
    signatures: &[(SignatureStatus, Option<i32>)],
    current: i32,
    deadline_passed: bool,
) -> Result<(), InputError> {
    let approved = signatures
        .iter()
        .filter(|(s, v)| *s == SignatureStatus::Approved && *v == Some(current))
        .count();
    if approved == 0 {
        return Err(InputError::new(
            "id",
            "no country has approved the current version",
        ));
    }
    let unanswered = signatures
        .iter()
        .filter(|(s, v)| {
            !(*s == SignatureStatus::Declined
                || (*s == SignatureStatus::Approved && *v == Some(current)))
        })
        .count();
    if unanswered > 0 && !deadline_passed {
        return Err(InputError::new(
            "id",
            format!(
                "{unanswered} participating countries have not answered the current version; finalize after the deadline or when all have answered"
            ),
        ));
    }
    Ok(())
}

/// A line diff between two texts, unified format, for reviewers.
pub fn line_diff(old: &str, new: &str, old_label: &str, new_label: &str) -> String {
    similar::TextDiff::from_lines(old, new)
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

    #[test]
    fn finalizing_needs_answers_before_the_deadline() {
        let all = [(Approved, Some(2)), (Declined, None)];
        assert!(may_finalize(&all, 2, false).is_ok());
        let waiting = [(Approved, Some(2)), (Pending, None), (Stale, Some(1))];
        assert!(may_finalize(&waiting, 2, false).is_err());
        assert!(may_finalize(&waiting, 2, true).is_ok());
        let nobody = [(Stale, Some(1)), (Declined, None)];
        assert!(may_finalize(&nobody, 2, true).is_err());
    }

    #[test]
    fn diffs_show_changed_lines() {
        let d = line_diff("a\nb\nc\n", "a\nB\nc\n", "v1", "v2");
        assert!(d.contains("-b\n") && d.contains("+B\n"), "{d}");
        assert!(d.starts_with("--- v1\n+++ v2\n"), "{d}");
    }
}
