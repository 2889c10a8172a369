//! Hearings in the court's local time, and the roster rules.
use chrono::{DateTime, FixedOffset, LocalResult, NaiveDateTime, Offset, TimeZone, Utc};
use chrono_tz::Tz;

use crate::domain::input::InputError;
use crate::i18n::Msg;
use crate::msg;

stored_enum!(HearingStatus { Scheduled = "SCHEDULED", Postponed = "POSTPONED", Held = "HELD", Cancelled = "CANCELLED" });
stored_enum!(ClaimStatus { Confirmed = "CONFIRMED", Waitlisted = "WAITLISTED", Suspended = "SUSPENDED" });
stored_enum!(
    /// Why a claim stopped holding a place: its country lost sight of the hearing.
    SuspendReason { ConsentWithdrawn = "CONSENT_WITHDRAWN", VisibilityLost = "VISIBILITY_LOST" }
);
stored_enum!(Coverage { Uncovered = "UNCOVERED", Partial = "PARTIAL", Covered = "COVERED" });
stored_enum!(Outcome {
    AccessDenied = "ACCESS_DENIED",
    Adjourned = "ADJOURNED",
    Heard = "HEARD",
    Verdict = "VERDICT",
    Postponed = "POSTPONED",
    Other = "OTHER",
});

/// Reads `+02:00`, `-05:30` or `Z`.
pub fn parse_offset(field: &str, raw: &str) -> Result<FixedOffset, InputError> {
    let bad = || InputError::new(field, msg!("input-must-be-a-utc-offset"));
    let raw = raw.trim();
    if raw == "Z" {
        return FixedOffset::east_opt(0).ok_or_else(bad);
    }
    let (sign, rest) = match raw.as_bytes().first() {
        Some(b'+') => (1, &raw[1..]),
        Some(b'-') => (-1, &raw[1..]),
        _ => return Err(bad()),
    };
    let (h, m) = rest.split_once(':').ok_or_else(bad)?;
    let (h, m): (i32, i32) = (h.parse().map_err(|_| bad())?, m.parse().map_err(|_| bad())?);
    if h > 14 || m > 59 || h < 0 || m < 0 {
        return Err(bad());
    }
    FixedOffset::east_opt(sign * (h * 3600 + m * 60)).ok_or_else(bad)
}

fn format_offset(o: FixedOffset) -> String {
    let secs = o.local_minus_utc();
    let sign = if secs < 0 { '-' } else { '+' };
    let secs = secs.abs();
    format!("{sign}{:02}:{:02}", secs / 3600, (secs % 3600) / 60)
}

/// The instant a court's local time means in `tz`. A time skipped by a DST
/// change is refused; a time that occurs twice needs `utc_offset` to pick one.
pub fn resolve_local_start(
    local: &str,
    tz: Tz,
    utc_offset: Option<&str>,
) -> Result<DateTime<Utc>, InputError> {
    let naive = NaiveDateTime::parse_from_str(local.trim(), "%Y-%m-%dT%H:%M:%S")
        .or_else(|_| NaiveDateTime::parse_from_str(local.trim(), "%Y-%m-%dT%H:%M"))
        .map_err(|_| InputError::new("localStart", msg!("input-must-be-a-local-date")))?;
    let wanted = utc_offset
        .map(|o| parse_offset("utcOffset", o))
        .transpose()?;
    let candidates: Vec<DateTime<Tz>> = match tz.from_local_datetime(&naive) {
        LocalResult::None => {
            return Err(InputError::new(
                "localStart",
                msg!("input-local-time-skipped", zone = tz.name()),
            ));
        }
        LocalResult::Single(t) => vec![t],
        LocalResult::Ambiguous(a, b) => vec![a, b],
    };
    match (wanted, candidates.as_slice()) {
        (None, [only]) => Ok(only.with_timezone(&Utc)),
        (None, [a, b]) => Err(InputError::new(
            "utcOffset",
            msg!(
                "input-local-time-twice",
                zone = tz.name(),
                first = format_offset(a.offset().fix()),
                second = format_offset(b.offset().fix()),
            ),
        )),
        (Some(o), all) => all
            .iter()
            .find(|t| t.offset().fix() == o)
            .map(|t| t.with_timezone(&Utc))
            .ok_or_else(|| {
                InputError::new(
                    "utcOffset",
                    msg!("input-offset-not-in-force", zone = tz.name()),
                )
            }),
        _ => Err(InputError::new(
            "localStart",
            msg!("input-cannot-be-resolved"),
        )),
    }
}

/// The local wall-clock time of an instant, as the API shows it.
pub fn local_start(starts_at: DateTime<Utc>, tz: Tz) -> String {
    starts_at
        .with_timezone(&tz)
        .format("%Y-%m-%dT%H:%M:%S")
        .to_string()
}

/// How well a hearing is covered by confirmed observers.
pub fn coverage(confirmed: usize, needed: usize) -> Coverage {
    match (confirmed, needed) {
        (_, 0) => Coverage::Covered,
        (0, _) => Coverage::Uncovered,
        (c, n) if c < n => Coverage::Partial,
        _ => Coverage::Covered,
    }
}

/// Whether two hearings' time spans overlap (half-open intervals).
pub fn overlaps(
    a_start: DateTime<Utc>,
    a_minutes: i32,
    b_start: DateTime<Utc>,
    b_minutes: i32,
) -> bool {
    let a_end = a_start + chrono::Duration::minutes(a_minutes.into());
    let b_end = b_start + chrono::Duration::minutes(b_minutes.into());
    a_start < b_end && b_start < a_end
}

/// Observations one hearing may hold: one per observer, and observers are
/// confirmed claims, of which a hearing has at most 50 at a time (the most
/// `observersNeeded` may ask for). A release after the start can promote a
/// new observer, so the bound is enforced on write rather than assumed; it
/// is what `Hearing.observations` costs in a query (SECURITY.md, "query cost").
pub const MAX_OBSERVATIONS: usize = 50;

/// Claims one diplomat may hold at once on hearings still open (scheduled
/// or postponed): their duty roster (`myRoster`) is a list, and a list is
/// capped on write (docs/RULES.md rule 10). Far more than a mission covers.
pub const MAX_OPEN_CLAIMS: usize = 100;

/// Amendments one observation may have: its history holds at most this many
/// earlier contents (the database holds the cap too).
pub const MAX_AMENDMENTS: i32 = 20;

/// The revision number the observation's current content takes when its
/// observer amends it, after `amendments` earlier ones; refused once it was
/// amended `MAX_AMENDMENTS` times.
pub fn next_revision(amendments: i32) -> Result<i32, Msg> {
    if amendments >= MAX_AMENDMENTS {
        return Err(msg!(
            "conflict-observation-amended-max",
            max = MAX_AMENDMENTS
        ));
    }
    Ok(amendments + 1)
}

/// Whether a hearing holding `on_hearing` observations takes a new
/// observer's first one (its observers' amendments are always taken).
pub fn may_add_observation(on_hearing: u64) -> Result<(), Msg> {
    if on_hearing >= MAX_OBSERVATIONS as u64 {
        return Err(msg!(
            "conflict-hearing-observations-max",
            max = MAX_OBSERVATIONS
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_observation_per_observer_amended_up_to_the_cap() {
        assert_eq!(next_revision(0), Ok(1));
        assert_eq!(next_revision(MAX_AMENDMENTS - 1), Ok(MAX_AMENDMENTS));
        assert!(next_revision(MAX_AMENDMENTS).is_err());
        // A full hearing still takes amendments from its observers (they
        // never ask `may_add_observation`), but no new observer's first.
        let full = MAX_OBSERVATIONS as u64;
        assert!(may_add_observation(0).is_ok());
        assert!(may_add_observation(full - 1).is_ok());
        assert!(may_add_observation(full).is_err());
    }

    fn berlin() -> Tz {
        "Europe/Berlin".parse().expect("zone")
    }

    #[test]
    fn ordinary_times_resolve() {
        let t = resolve_local_start(
            "2026-12-01T09:30:00",
            "Asia/Manila".parse().expect("tz"),
            None,
        )
        .expect("ok");
        assert_eq!(t.to_rfc3339(), "2026-12-01T01:30:00+00:00");
        assert_eq!(
            local_start(t, "Asia/Manila".parse().expect("tz")),
            "2026-12-01T09:30:00"
        );
    }

    #[test]
    fn a_time_in_the_spring_gap_is_refused() {
        let err = resolve_local_start("2026-03-29T02:30:00", berlin(), None).expect_err("gap");
        assert_eq!(err.field, "localStart");
        assert!(
            err.reason.english().contains("does not exist"),
            "{}",
            err.reason
        );
    }

    #[test]
    fn a_time_in_the_autumn_overlap_needs_an_offset() {
        let err =
            resolve_local_start("2026-10-25T02:30:00", berlin(), None).expect_err("ambiguous");
        assert_eq!(err.field, "utcOffset");
        assert!(
            err.reason.english().contains("+02:00") && err.reason.english().contains("+01:00"),
            "{}",
            err.reason
        );
        let summer =
            resolve_local_start("2026-10-25T02:30:00", berlin(), Some("+02:00")).expect("first");
        let winter =
            resolve_local_start("2026-10-25T02:30:00", berlin(), Some("+01:00")).expect("second");
        assert_eq!((winter - summer).num_minutes(), 60);
        assert!(resolve_local_start("2026-10-25T02:30:00", berlin(), Some("+05:00")).is_err());
    }

    #[test]
    fn malformed_inputs_are_refused() {
        assert!(resolve_local_start("2026-12-01 09:30", berlin(), None).is_err());
        assert!(resolve_local_start("2026-12-01T09:30:00+01:00", berlin(), None).is_err());
        assert!(parse_offset("utcOffset", "0200").is_err());
        assert!(parse_offset("utcOffset", "+15:00").is_err());
    }

    #[test]
    fn coverage_and_overlap_rules() {
        assert_eq!(coverage(0, 3), Coverage::Uncovered);
        assert_eq!(coverage(2, 3), Coverage::Partial);
        assert_eq!(coverage(3, 3), Coverage::Covered);
        assert_eq!(coverage(0, 0), Coverage::Covered);
        let t = Utc::now();
        assert!(overlaps(t, 60, t + chrono::Duration::minutes(30), 60));
        assert!(!overlaps(t, 60, t + chrono::Duration::minutes(60), 60));
    }
}
