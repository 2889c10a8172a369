use uuid::Uuid;

use crate::crypto::sealed::UnlockSecret;
use chrono_tz::Tz;

use crate::domain::{CountryCode, Role};
use crate::i18n::Lang;

/// The authenticated user behind a request, as loaded from the database on
/// every request (so deactivation and logout take effect at once).
#[derive(Clone, Debug)]
pub struct Viewer {
    pub user_id: Uuid,
    pub session_id: Uuid,
    pub role: Role,
    /// The country of the user's mission; `None` for liaisons and the operator.
    pub country: Option<CountryCode>,
    pub mission_id: Option<Uuid>,
    pub organization_id: Option<Uuid>,
    /// The secret only the client holds (in its token, or derived from its
    /// cookie) that opens the member key its session keeps: `None` for a
    /// session that cannot open identities.
    pub unlock: Option<UnlockSecret>,
    /// How this person reads: their language and clock.
    pub reading: Reading,
}

/// How a person reads what Accord writes them: the language they chose
/// (`None`: their browser's on a page, English in an email) and their own
/// zone (their choice, else their mission's; `None` for a liaison or the
/// operator who chose none), shown beside a court's time when it differs.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Reading {
    pub lang: Option<Lang>,
    pub zone: Option<Tz>,
}

impl Reading {
    /// From the stored choices: an unknown tag or zone (a language folder
    /// removed since) reads as no choice.
    pub fn from_stored(
        language: Option<&str>,
        own_zone: Option<&str>,
        mission_zone: Option<&str>,
    ) -> Reading {
        Reading {
            lang: language.and_then(Lang::parse),
            zone: own_zone.or(mission_zone).and_then(|z| z.parse::<Tz>().ok()),
        }
    }

    /// The language of an email: the recipient's choice, else English.
    pub fn mail_lang(self) -> Lang {
        self.lang.unwrap_or_default()
    }
}
