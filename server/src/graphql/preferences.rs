//! How a person reads Accord: the language of their pages and emails and
//! their own time zone.
use async_graphql::{
    Context, InputObject, MaybeUndefined, Object, Result, ResultExt, SimpleObject,
};

use crate::domain::parse_timezone;
use crate::error::AppError;
use crate::graphql::context::ContextExt;
use crate::graphql::objects::Viewer;
use crate::i18n::Lang;
use crate::service::account::{self as service, Choice};
use crate::store::user;

/// A language Accord's pages and emails are written in.
#[derive(SimpleObject)]
pub struct Language {
    /// BCP 47 tag (`fr`), what `updatePreferences` takes.
    pub tag: String,
    /// The language's name for itself ("Français").
    pub name: String,
}

/// A person's reading choices, and what they come to.
#[derive(SimpleObject)]
pub struct Preferences {
    /// The chosen language's tag; null: the browser's on pages, English in
    /// email.
    pub language: Option<String>,
    /// The chosen IANA zone; null: the mission's.
    pub timezone: Option<String>,
    /// The zone times are shown in beside a court's: the chosen one, else
    /// the mission's; null when neither is known.
    pub reading_timezone: Option<String>,
}

impl Preferences {
    /// From the user's row and the viewer's resolved reading.
    pub fn of(user: &user::Model, reading_zone: Option<chrono_tz::Tz>) -> Preferences {
        Preferences {
            language: user.language.clone(),
            timezone: user.timezone.clone(),
            reading_timezone: reading_zone.map(|z| z.name().to_owned()),
        }
    }
}

/// A change of reading choices: a field left out stays as it is, `null`
/// goes back to the default.
#[derive(InputObject)]
pub struct PreferencesInput {
    /// A tag from `languages`.
    pub language: MaybeUndefined<String>,
    /// An IANA zone name such as `Europe/Paris`.
    pub timezone: MaybeUndefined<String>,
}

#[derive(Default)]
pub struct PreferencesQuery;

#[Object]
impl PreferencesQuery {
    /// The languages a person can choose.
    async fn languages(&self) -> Vec<Language> {
        Lang::choosable()
            .map(|l| Language {
                tag: l.tag().to_owned(),
                name: l.name().to_owned(),
            })
            .collect()
    }
}

#[derive(Default)]
pub struct PreferencesMutation;

#[Object]
impl PreferencesMutation {
    /// Sets the viewer's language and time zone. An unknown language or zone
    /// is `BAD_USER_INPUT` (field `language` or `timezone`).
    async fn update_preferences(
        &self,
        ctx: &Context<'_>,
        input: PreferencesInput,
    ) -> Result<Viewer> {
        let (state, viewer) = ctx.parts().extend()?;
        let language = match input.language {
            MaybeUndefined::Undefined => Choice::Keep,
            MaybeUndefined::Null => Choice::Clear,
            MaybeUndefined::Value(raw) => Choice::Set(service::parse_language(&raw).extend()?),
        };
        let timezone = match input.timezone {
            MaybeUndefined::Undefined => Choice::Keep,
            MaybeUndefined::Null => Choice::Clear,
            MaybeUndefined::Value(raw) => Choice::Set(
                parse_timezone("timezone", &raw)
                    .map_err(AppError::BadUserInput)
                    .extend()?,
            ),
        };
        let user = service::set_preferences(state, viewer, language, timezone)
            .await
            .extend()?;
        // The answer reads as the viewer now is.
        let mut who = viewer.clone();
        who.reading = crate::auth::Reading::from_stored(
            user.language.as_deref(),
            user.timezone.as_deref(),
            None,
        );
        if user.timezone.is_none() {
            who.reading.zone = crate::service::auth::viewer_for(state, &user)
                .await
                .extend()?
                .reading
                .zone;
        }
        Ok(Viewer { user, who })
    }
}
