//! The weekly coverage digest's rules, free of I/O: which day a coordinator
//! chose (or off), and whether their digest is due now — on that weekday, from
//! 07:00 in their mission's zone, once per local date. The zone database
//! decides the weekday and the hour, so a digest is not sent on a Sunday
//! evening in Manila because it is already Monday in UTC, nor twice across a
//! change of daylight saving time.
use chrono::{DateTime, Datelike, NaiveDate, Timelike, Utc, Weekday};
use chrono_tz::Tz;

/// The hour (local) from which a digest of the day goes out.
pub const SEND_FROM_HOUR: u32 = 7;
/// How far ahead a digest looks: the hearings of the next two weeks.
pub const HORIZON_DAYS: i64 = 14;
/// Hearings a digest lists one by one; beyond, it gives the count and a link.
pub const MAX_LISTED: usize = 30;

/// A coordinator's choice: a weekday, or no digest.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DigestDay {
    On(Weekday),
    Off,
}

impl DigestDay {
    /// What a coordinator who never chose gets: Monday, when the week's
    /// planning is done.
    pub const DEFAULT: DigestDay = DigestDay::On(Weekday::Mon);

    pub fn as_str(self) -> &'static str {
        match self {
            DigestDay::On(Weekday::Mon) => "MONDAY",
            DigestDay::On(Weekday::Tue) => "TUESDAY",
            DigestDay::On(Weekday::Wed) => "WEDNESDAY",
            DigestDay::On(Weekday::Thu) => "THURSDAY",
            DigestDay::On(Weekday::Fri) => "FRIDAY",
            DigestDay::On(Weekday::Sat) => "SATURDAY",
            DigestDay::On(Weekday::Sun) => "SUNDAY",
            DigestDay::Off => "OFF",
        }
    }

    /// The stored value; anything else reads as the default (the database
    /// allows only these).
    pub fn from_stored(s: &str) -> DigestDay {
        Self::ALL
            .into_iter()
            .find(|d| d.as_str() == s)
            .unwrap_or(Self::DEFAULT)
    }

    /// Every value, Monday first.
    pub const ALL: [DigestDay; 8] = [
        DigestDay::On(Weekday::Mon),
        DigestDay::On(Weekday::Tue),
        DigestDay::On(Weekday::Wed),
        DigestDay::On(Weekday::Thu),
        DigestDay::On(Weekday::Fri),
        DigestDay::On(Weekday::Sat),
        DigestDay::On(Weekday::Sun),
        DigestDay::Off,
    ];
}

/// The local date whose digest is due at `now` for a coordinator in `zone`
/// who chose `day` and was last sent one for `last` (a local date); `None`
/// when nothing is due.
pub fn due(
    now: DateTime<Utc>,
    zone: Tz,
    day: DigestDay,
    last: Option<NaiveDate>,
) -> Option<NaiveDate> {
    let DigestDay::On(weekday) = day else {
        return None;
    };
    let local = now.with_timezone(&zone);
    let today = local.date_naive();
    let already = last.is_some_and(|l| l >= today);
    (local.weekday() == weekday && local.hour() >= SEND_FROM_HOUR && !already).then_some(today)
}

/// Whether a coordinator last sent the digest of local date `last` could be
/// due at `now` in *any* zone: a cheap skip before zones are looked up. A
/// local date is within a day of the UTC date (zones span UTC−12 to UTC+14),
/// and the next digest comes seven local days after the last, so a `last`
/// from the last five UTC days rules it out wherever the coordinator is.
pub fn may_be_due(now: DateTime<Utc>, last: Option<NaiveDate>) -> bool {
    let latest_local_today = now.date_naive() + chrono::Days::new(1);
    last.is_none_or(|l| l + chrono::Days::new(7) <= latest_local_today)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, h, min, 0)
            .single()
            .expect("valid")
    }

    #[test]
    fn due_on_the_chosen_local_weekday_from_seven_once() {
        let manila: Tz = "Asia/Manila".parse().expect("zone");
        let monday = DigestDay::On(Weekday::Mon);
        // Sunday 2027-01-03 23:00 UTC is Monday 07:00 in Manila (UTC+8).
        assert_eq!(
            due(at(2027, 1, 3, 23, 0), manila, monday, None),
            NaiveDate::from_ymd_opt(2027, 1, 4)
        );
        // Monday 06:59 in Manila: not yet.
        assert_eq!(due(at(2027, 1, 3, 22, 59), manila, monday, None), None);
        // Monday 2027-01-04 20:00 UTC is Tuesday 04:00 in Manila: not Monday any more.
        assert_eq!(due(at(2027, 1, 4, 20, 0), manila, monday, None), None);
        // Sent today already: not again.
        let today = NaiveDate::from_ymd_opt(2027, 1, 4);
        assert_eq!(due(at(2027, 1, 4, 3, 0), manila, monday, today), None);
        // Last week's does not stop this week's.
        let last_week = NaiveDate::from_ymd_opt(2026, 12, 28);
        assert_eq!(due(at(2027, 1, 4, 3, 0), manila, monday, last_week), today);
        assert_eq!(
            due(at(2027, 1, 4, 3, 0), manila, DigestDay::Off, None),
            None
        );
    }

    /// The cheap skip never hides a digest that `due` would send, in the
    /// zones furthest ahead of and behind UTC, at every hour of a fortnight.
    #[test]
    fn the_cheap_skip_never_hides_a_due_digest() {
        let zones: [Tz; 4] = [
            "Pacific/Kiritimati".parse().expect("zone"),
            "Asia/Manila".parse().expect("zone"),
            "Etc/GMT+12".parse().expect("zone"),
            "America/Los_Angeles".parse().expect("zone"),
        ];
        for zone in zones {
            for weekday in [Weekday::Mon, Weekday::Tue, Weekday::Sun] {
                let day = DigestDay::On(weekday);
                let mut last = None;
                let mut sent = 0;
                for hour in 0..(24 * 21) {
                    let now = at(2026, 12, 1, 0, 0) + chrono::Duration::hours(hour);
                    let due_now = due(now, zone, day, last);
                    if due_now.is_some() {
                        assert!(may_be_due(now, last), "{zone} {weekday} {now}: skipped");
                        sent += 1;
                        last = due_now;
                    }
                }
                // Three weeks of UTC hours hold three or four such local days.
                assert!(
                    (3..=4).contains(&sent),
                    "{zone} {weekday}: {sent} in three weeks"
                );
            }
        }
        // And it does skip: a digest of yesterday rules out today.
        let yesterday = NaiveDate::from_ymd_opt(2026, 12, 6);
        assert!(!may_be_due(at(2026, 12, 7, 12, 0), yesterday));
    }

    #[test]
    fn the_local_hour_follows_daylight_saving_time() {
        let paris: Tz = "Europe/Paris".parse().expect("zone");
        let sunday = DigestDay::On(Weekday::Sun);
        // Sunday 2027-03-28: clocks go from 02:00 to 03:00 (UTC+1 → UTC+2).
        // 05:00 UTC is 07:00 local after the change, 06:00 before it.
        assert!(due(at(2027, 3, 28, 5, 0), paris, sunday, None).is_some());
        assert!(due(at(2027, 3, 28, 4, 59), paris, sunday, None).is_none());
        // A week earlier (UTC+1), 05:00 UTC is only 06:00 local.
        assert!(due(at(2027, 3, 21, 5, 0), paris, sunday, None).is_none());
        assert!(due(at(2027, 3, 21, 6, 0), paris, sunday, None).is_some());
    }

    #[test]
    fn every_day_round_trips_and_unknown_reads_as_monday() {
        for d in DigestDay::ALL {
            assert_eq!(DigestDay::from_stored(d.as_str()), d);
        }
        assert_eq!(DigestDay::from_stored("someday"), DigestDay::DEFAULT);
    }
}
