//! What a trial monitor records of one hearing, structured on the OSCE/ODIHR
//! trial-monitoring manual and TrialWatch's fact sheet: facts only (no
//! assessment: the fairness grade is written apart, by someone else), the
//! people present in categories and never by name, enums rather than prose
//! wherever a report needs to count.
use crate::domain::hearing::Outcome;
use crate::domain::input::{InputError, long_text};
use crate::msg;

stored_enum!(
    /// Whether the observer got into the courtroom.
    CourtroomAccess { Granted = "GRANTED", GrantedAfterDelay = "GRANTED_AFTER_DELAY", Denied = "DENIED" }
);
stored_enum!(
    /// How open the hearing was to the public, or to the press.
    HearingAccess { Open = "OPEN", Restricted = "RESTRICTED", Closed = "CLOSED", NotObserved = "NOT_OBSERVED" }
);
stored_enum!(
    /// Whether the defendant could consult their counsel.
    CounselAccess { Unrestricted = "UNRESTRICTED", Restricted = "RESTRICTED", Denied = "DENIED", NotObserved = "NOT_OBSERVED" }
);
stored_enum!(
    /// Interpretation for a defendant who needs it.
    Interpretation { Provided = "PROVIDED", Inadequate = "INADEQUATE", NotProvided = "NOT_PROVIDED", NotNeeded = "NOT_NEEDED" }
);
stored_enum!(
    /// Who was in the courtroom, by category: never names (a name could
    /// expose a relative or a witness).
    Present {
        Family = "FAMILY",
        Public = "PUBLIC",
        Press = "PRESS",
        OtherDiplomats = "OTHER_DIPLOMATS",
        UnOrInternational = "UN_OR_INTERNATIONAL",
        NgoObservers = "NGO_OBSERVERS",
        SecurityForces = "SECURITY_FORCES",
        GovernmentOfficials = "GOVERNMENT_OFFICIALS",
        Victims = "VICTIMS",
    }
);

/// The stored set of `Present` categories is a bit mask (bit i for
/// `Present::ALL[i]`); the database bounds it below `1 << PRESENT_BITS`
/// (migration m20261207_000018 holds the same number).
pub const PRESENT_BITS: u32 = 9;
const _: () = assert!(Present::ALL.len() == PRESENT_BITS as usize);

/// The categories as their stored mask (each counted once).
pub fn present_mask(present: &[Present]) -> i32 {
    present.iter().fold(0, |mask, p| {
        let bit = Present::ALL.iter().position(|q| q == p).unwrap_or(0);
        mask | (1 << bit)
    })
}

/// The categories a stored mask holds, in `Present::ALL`'s order; `None`
/// for a mask with bits no category has.
pub fn present_of(mask: i32) -> Option<Vec<Present>> {
    if !(0..(1 << PRESENT_BITS)).contains(&mask) {
        return None;
    }
    Some(
        Present::ALL
            .iter()
            .enumerate()
            .filter(|(i, _)| mask & (1 << i) != 0)
            .map(|(_, p)| *p)
            .collect(),
    )
}

pub const MAX_ACCESS_NOTE: usize = 500;
pub const MAX_ADJOURNMENT_REASON: usize = 500;
pub const MAX_NOTABLE_EVENTS: usize = 4000;
pub const MAX_NOTES: usize = 4000;
pub const MAX_AMENDMENT_REASON: usize = 1000;
/// A hearing day, at most.
pub const MAX_DURATION_MINUTES: i32 = 24 * 60;

/// One content of an observation: the first submission, or an amendment's
/// full corrected content.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Content {
    pub courtroom_access: CourtroomAccess,
    /// How access went (e.g. "after a 40-minute wait at the gate").
    pub access_note: Option<String>,
    pub public_access: HearingAccess,
    pub press_access: HearingAccess,
    pub present: Vec<Present>,
    pub counsel_access: CounselAccess,
    /// Null: not recorded.
    pub interpretation: Option<Interpretation>,
    pub duration_minutes: Option<i32>,
    pub adjourned: bool,
    pub adjournment_reason: Option<String>,
    pub outcome: Outcome,
    pub defendant_present: Option<bool>,
    pub ill_treatment_alleged: Option<bool>,
    pub notable_events: Option<String>,
    pub notes: Option<String>,
}

impl Content {
    /// Whether the observer was in the courtroom at all.
    pub fn attended(&self) -> bool {
        self.courtroom_access != CourtroomAccess::Denied
    }
}

/// Optional prose: blank is absent, else bounded.
fn optional(field: &str, raw: Option<String>, max: usize) -> Result<Option<String>, InputError> {
    match raw {
        Some(t) if !t.trim().is_empty() => long_text(field, &t, max).map(Some),
        _ => Ok(None),
    }
}

/// `raw` as it may be recorded: texts trimmed and bounded (blank ones
/// dropped), the categories deduplicated in order, and the facts
/// consistent — an observer refused entry reports the outcome
/// `ACCESS_DENIED` and nothing they could only have seen inside.
pub fn check(raw: Content) -> Result<Content, InputError> {
    let denied = raw.courtroom_access == CourtroomAccess::Denied;
    if denied != (raw.outcome == Outcome::AccessDenied) {
        return Err(InputError::new(
            "outcome",
            msg!("input-must-be-access-denied-exactly"),
        ));
    }
    if denied && !raw.present.is_empty() {
        return Err(InputError::new(
            "present",
            msg!("input-must-be-empty-when-courtroom"),
        ));
    }
    if let Some(d) = raw.duration_minutes
        && !(0..=MAX_DURATION_MINUTES).contains(&d)
    {
        return Err(InputError::new(
            "durationMinutes",
            msg!("input-between", min = 0, max = MAX_DURATION_MINUTES),
        ));
    }
    let adjournment_reason = optional(
        "adjournmentReason",
        raw.adjournment_reason,
        MAX_ADJOURNMENT_REASON,
    )?;
    if adjournment_reason.is_some() && !raw.adjourned {
        return Err(InputError::new(
            "adjournmentReason",
            msg!("input-only-for-an-adjourned-hearing"),
        ));
    }
    let mut present = Vec::new();
    for p in Present::ALL {
        if raw.present.contains(p) {
            present.push(*p);
        }
    }
    Ok(Content {
        access_note: optional("accessNote", raw.access_note, MAX_ACCESS_NOTE)?,
        notable_events: optional("notableEvents", raw.notable_events, MAX_NOTABLE_EVENTS)?,
        notes: optional("notes", raw.notes, MAX_NOTES)?,
        adjournment_reason,
        present,
        ..raw
    })
}

/// Why an amendment corrects the observation: required, bounded.
pub fn check_reason(raw: &str) -> Result<String, InputError> {
    long_text("reason", raw, MAX_AMENDMENT_REASON)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attended() -> Content {
        Content {
            courtroom_access: CourtroomAccess::GrantedAfterDelay,
            access_note: Some("  after a search  ".into()),
            public_access: HearingAccess::Restricted,
            press_access: HearingAccess::Closed,
            present: vec![Present::Press, Present::Family, Present::Press],
            counsel_access: CounselAccess::Restricted,
            interpretation: None,
            duration_minutes: Some(90),
            adjourned: true,
            adjournment_reason: Some("prosecution witness absent".into()),
            outcome: Outcome::Adjourned,
            defendant_present: Some(true),
            ill_treatment_alleged: None,
            notable_events: Some("   ".into()),
            notes: None,
        }
    }

    #[test]
    fn a_checked_content_is_trimmed_and_its_categories_a_set() {
        let c = check(attended()).expect("valid");
        assert_eq!(c.access_note.as_deref(), Some("after a search"));
        assert_eq!(c.present, vec![Present::Family, Present::Press]);
        assert_eq!(c.notable_events, None, "blank is absent");
        assert!(c.attended());
        let mask = present_mask(&c.present);
        assert_eq!(mask, 0b101);
        assert_eq!(present_of(mask), Some(c.present));
        assert_eq!(present_of(1 << PRESENT_BITS), None);
        assert_eq!(present_of(-1), None);
        let all = present_mask(Present::ALL);
        assert_eq!(all, (1 << PRESENT_BITS) - 1);
    }

    #[test]
    fn inconsistent_or_oversized_facts_are_refused_beside_their_field() {
        let field = |c: Content| check(c).expect_err("refused").field;
        let denied = Content {
            courtroom_access: CourtroomAccess::Denied,
            present: vec![],
            ..attended()
        };
        assert_eq!(field(denied.clone()), "outcome");
        let denied = Content {
            outcome: Outcome::AccessDenied,
            ..denied
        };
        assert!(check(denied.clone()).is_ok());
        assert_eq!(
            field(Content {
                present: vec![Present::Public],
                ..denied
            }),
            "present"
        );
        assert_eq!(
            field(Content {
                outcome: Outcome::AccessDenied,
                ..attended()
            }),
            "outcome"
        );
        assert_eq!(
            field(Content {
                duration_minutes: Some(MAX_DURATION_MINUTES + 1),
                ..attended()
            }),
            "durationMinutes"
        );
        assert_eq!(
            field(Content {
                adjourned: false,
                ..attended()
            }),
            "adjournmentReason"
        );
        assert_eq!(
            field(Content {
                access_note: Some("x".repeat(MAX_ACCESS_NOTE + 1)),
                ..attended()
            }),
            "accessNote"
        );
        assert_eq!(
            field(Content {
                notes: Some("x".repeat(MAX_NOTES + 1)),
                ..attended()
            }),
            "notes"
        );
        assert!(check_reason("  ").is_err());
        assert!(check_reason(&"x".repeat(MAX_AMENDMENT_REASON + 1)).is_err());
        assert_eq!(
            check_reason(" typo in duration ").as_deref(),
            Ok("typo in duration")
        );
    }
}
