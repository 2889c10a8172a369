//! Attack-report vocabulary and rules: the taxonomy (kept close to the
//! HURIDOCS Events Standard Formats so reports can be exported), the triage
//! state machine of each recipient country's response, when an incident
//! happened, and what a "coarse region" may not be.
use chrono::{DateTime, Duration, NaiveDate, NaiveTime, Utc};
use chrono_tz::Tz;

use crate::domain::input::InputError;
use crate::msg;

stored_enum!(
    /// What was done to the defender (HURIDOCS "Act" types, grouped).
    AttackType {
        Killing = "KILLING",
        PhysicalAttack = "PHYSICAL_ATTACK",
        Threat = "THREAT",
        JudicialHarassment = "JUDICIAL_HARASSMENT",
        ArbitraryDetention = "ARBITRARY_DETENTION",
        EnforcedDisappearance = "ENFORCED_DISAPPEARANCE",
        Surveillance = "SURVEILLANCE",
        SmearCampaign = "SMEAR_CAMPAIGN",
        Raid = "RAID",
        TravelBan = "TRAVEL_BAN",
        DigitalAttack = "DIGITAL_ATTACK",
        SexualViolence = "SEXUAL_VIOLENCE",
        Other = "OTHER",
    }
);

stored_enum!(
    /// Who is believed to be behind it (HURIDOCS "Perpetrator" types, grouped).
    PerpetratorType {
        State = "STATE",
        NonStateArmed = "NON_STATE_ARMED",
        Corporation = "CORPORATION",
        PrivateSecurity = "PRIVATE_SECURITY",
        OrganizedCrime = "ORGANIZED_CRIME",
        PrivateIndividual = "PRIVATE_INDIVIDUAL",
        Unknown = "UNKNOWN",
        Other = "OTHER",
    }
);

stored_enum!(
    /// Where one recipient country's triage stands.
    ResponseState {
        Received = "RECEIVED",
        Acknowledged = "ACKNOWLEDGED",
        Linked = "LINKED",
        NoAction = "NO_ACTION",
        Escalated = "ESCALATED",
    }
);

stored_enum!(
    /// How a country closes its response without a case link.
    CloseOutcome { NoAction = "NO_ACTION", Escalated = "ESCALATED" }
);

/// A triage step a country takes on its own response.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Triage {
    Acknowledge,
    Link,
    Close(CloseOutcome),
}

impl Triage {
    pub fn name(self) -> &'static str {
        match self {
            Triage::Acknowledge => "acknowledge",
            Triage::Link => "link",
            Triage::Close(_) => "close",
        }
    }
}

/// The state machine: RECEIVED → ACKNOWLEDGED → LINKED | NO_ACTION |
/// ESCALATED. The three outcomes are final. Anything else is refused with a
/// message that names both states (they are the viewer's own country's).
pub fn transition(from: ResponseState, step: Triage) -> Result<ResponseState, InputError> {
    use ResponseState::*;
    match (from, step) {
        (Received, Triage::Acknowledge) => Ok(Acknowledged),
        (Acknowledged, Triage::Link) => Ok(Linked),
        (Acknowledged, Triage::Close(CloseOutcome::NoAction)) => Ok(NoAction),
        (Acknowledged, Triage::Close(CloseOutcome::Escalated)) => Ok(Escalated),
        (from, step) => Err(InputError::new(
            "id",
            msg!(
                "input-report-transition",
                step = step.name(),
                state = from.as_str(),
            ),
        )),
    }
}

impl ResponseState {
    /// Closed: no further step.
    pub fn is_final(self) -> bool {
        matches!(
            self,
            ResponseState::Linked | ResponseState::NoAction | ResponseState::Escalated
        )
    }
}

/// When the incident happened, as the submitter gave it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Incident {
    pub date: NaiveDate,
    /// `HH:MM` local time and the instant it means in `timezone`.
    pub time: Option<(String, DateTime<Utc>)>,
    pub timezone: Option<Tz>,
}

/// The earliest incident a report may describe: older dates are typing
/// mistakes (`0001-01-01`, `0202-11-20`), not history.
pub const EARLIEST_INCIDENT: NaiveDate = match NaiveDate::from_ymd_opt(1900, 1, 1) {
    Some(d) => d,
    None => panic!("1900-01-01 is a date"),
};

/// How far ahead of UTC a local calendar can be (Kiribati, UTC+14).
const LATEST_ZONE_AHEAD: i64 = 14;

/// Reads `incidentDate` ("2026-11-20"), optional `incidentTime` ("21:40",
/// needs `timezone`, read as a wall-clock time there: a time the clocks skip
/// is refused, one that occurs twice takes its first occurrence) and refuses
/// an incident in the future.
pub fn incident(
    date: &str,
    time: Option<&str>,
    timezone: Option<Tz>,
    now: DateTime<Utc>,
) -> Result<Incident, InputError> {
    let date = NaiveDate::parse_from_str(date.trim(), "%Y-%m-%d")
        .map_err(|_| InputError::new("incidentDate", msg!("input-must-be-a-date-such")))?;
    if date < EARLIEST_INCIDENT {
        return Err(InputError::new(
            "incidentDate",
            msg!("input-not-before", date = EARLIEST_INCIDENT.to_string()),
        ));
    }
    let today_somewhere = (now + Duration::hours(LATEST_ZONE_AHEAD)).date_naive();
    let local_today = timezone.map(|tz| now.with_timezone(&tz).date_naive());
    if date > local_today.unwrap_or(today_somewhere) {
        return Err(InputError::new(
            "incidentDate",
            msg!("input-not-in-the-future"),
        ));
    }
    let time = match time.map(str::trim).filter(|t| !t.is_empty()) {
        None => None,
        Some(raw) => {
            let tz = timezone.ok_or_else(|| {
                InputError::new("timezone", msg!("input-is-required-with-incidenttime-the"))
            })?;
            let t = NaiveTime::parse_from_str(raw, "%H:%M")
                .map_err(|_| InputError::new("incidentTime", msg!("input-must-be-a-time-such")))?;
            let local = date.and_time(t);
            let at = match local.and_local_timezone(tz) {
                chrono::LocalResult::Single(at) => at,
                chrono::LocalResult::Ambiguous(first, _) => first,
                chrono::LocalResult::None => {
                    return Err(InputError::new(
                        "incidentTime",
                        msg!("input-time-skipped-on-date", zone = tz.name()),
                    ));
                }
            }
            .with_timezone(&Utc);
            if at > now + Duration::minutes(5) {
                return Err(InputError::new(
                    "incidentTime",
                    msg!("input-not-in-the-future"),
                ));
            }
            Some((t.format("%H:%M").to_string(), at))
        }
    };
    Ok(Incident {
        date,
        time,
        timezone,
    })
}

/// Whether `text` looks like map coordinates (`14.5995, 120.9842`, degrees
/// and minutes, a plus code or a geo URI): a region must stay coarse.
pub fn looks_like_coordinates(text: &str) -> bool {
    let lower = text.to_lowercase();
    if lower.contains("geo:") || lower.contains('°') || lower.contains("maps.") {
        return true;
    }
    // Two decimal numbers with at least three decimals each: lat/long.
    let decimals = lower
        .split(|c: char| !(c.is_ascii_digit() || c == '.' || c == '-'))
        .filter(|tok| {
            tok.split_once('.')
                .is_some_and(|(int, frac)| !int.is_empty() && frac.len() >= 3)
        })
        .count();
    if decimals >= 2 {
        return true;
    }
    // Open Location Codes ("7Q63GRC7+5V").
    lower.split_whitespace().any(|w| {
        w.split_once('+').is_some_and(|(a, b)| {
            a.len() >= 4
                && a.chars().all(|c| c.is_ascii_alphanumeric())
                && b.len() >= 2
                && b.chars().all(|c| c.is_ascii_alphanumeric())
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-11-25T12:00:00Z")
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or_default()
    }

    fn zone(name: &str) -> Option<Tz> {
        name.parse().ok()
    }

    #[test]
    fn triage_follows_the_state_machine() {
        use ResponseState::*;
        assert_eq!(transition(Received, Triage::Acknowledge), Ok(Acknowledged));
        assert_eq!(transition(Acknowledged, Triage::Link), Ok(Linked));
        assert_eq!(
            transition(Acknowledged, Triage::Close(CloseOutcome::NoAction)),
            Ok(NoAction)
        );
        assert_eq!(
            transition(Acknowledged, Triage::Close(CloseOutcome::Escalated)),
            Ok(Escalated)
        );
        let err = transition(Received, Triage::Link).expect_err("skips acknowledge");
        assert!(
            err.reason.english().contains("acknowledge it first"),
            "{}",
            err.reason
        );
        for done in [Linked, NoAction, Escalated] {
            assert!(done.is_final());
            for step in [
                Triage::Acknowledge,
                Triage::Link,
                Triage::Close(CloseOutcome::NoAction),
            ] {
                assert!(transition(done, step).is_err(), "{done:?} {step:?}");
            }
        }
        assert!(transition(Acknowledged, Triage::Acknowledge).is_err());
    }

    #[test]
    fn incident_times_are_read_in_their_zone() {
        let i = incident("2026-11-20", Some("21:40"), zone("Asia/Manila"), now()).expect("ok");
        let (hhmm, at) = i.time.expect("time");
        assert_eq!(hhmm, "21:40");
        assert_eq!(at.to_rfc3339(), "2026-11-20T13:40:00+00:00");
        // A date alone needs no zone.
        assert!(incident("2026-11-20", None, None, now()).is_ok());
    }

    #[test]
    fn bad_incident_inputs_are_refused_naming_the_field() {
        let field = |r: Result<Incident, InputError>| r.expect_err("refused").field;
        assert_eq!(
            field(incident("2026-11-20", Some("21:40"), None, now())),
            "timezone"
        );
        assert_eq!(
            field(incident("20/11/2026", None, None, now())),
            "incidentDate"
        );
        assert_eq!(
            field(incident("2026-11-20", Some("9pm"), zone("UTC"), now())),
            "incidentTime"
        );
        // Spring-forward gap in Berlin.
        let gap =
            incident("2026-03-29", Some("02:30"), zone("Europe/Berlin"), now()).expect_err("gap");
        assert_eq!(gap.field, "incidentTime");
        assert!(
            gap.reason.english().contains("does not exist"),
            "{}",
            gap.reason
        );
        assert_eq!(
            field(incident("2026-12-24", None, None, now())),
            "incidentDate"
        );
        for typo in ["0001-01-01", "0202-11-20", "1899-12-31"] {
            assert_eq!(field(incident(typo, None, None, now())), "incidentDate");
        }
        assert!(incident("1900-01-01", None, None, now()).is_ok());
        assert_eq!(
            field(incident("2026-11-25", Some("23:00"), zone("UTC"), now())),
            "incidentTime"
        );
    }

    #[test]
    fn regions_must_not_be_coordinates() {
        for bad in [
            "14.5995, 120.9842",
            "14.5995 N 120.9842 E",
            "14°35'N 120°58'E",
            "geo:14.5995,120.9842",
            "near 7Q63GRC7+5V",
            "https://maps.example.org/?q=x",
        ] {
            assert!(looks_like_coordinates(bad), "{bad}");
        }
        for ok in [
            "Negros Oriental",
            "Northern Mindanao, rural area",
            "District 5",
            "Region IV-A",
        ] {
            assert!(!looks_like_coordinates(ok), "{ok}");
        }
    }

    #[test]
    fn vocabularies_round_trip() {
        for t in AttackType::ALL {
            assert_eq!(AttackType::from_stored(t.as_str()), Some(*t));
        }
        for p in PerpetratorType::ALL {
            assert_eq!(PerpetratorType::from_stored(p.as_str()), Some(*p));
        }
        assert_eq!(AttackType::ALL.len(), 13);
    }
}
