//! Text people read, in their language. Every sentence of a page, an email
//! or a refusal shown to a person is a Project Fluent message, compiled in
//! from `server/locales/<language>/*.ftl`: one folder per language, found
//! at build time, so adding a language is adding a folder and nothing else.
//! English (`en`) is the source every other language must match (a test
//! holds each folder to the same message ids and variables).
//!
//! Bundles never wrap variables in Unicode isolation marks: plain-text
//! emails must not carry invisible characters, and pages mark direction on
//! `<html dir>` instead.
//!
//! Besides the folders there is a pseudo-language, `en-XA`: English with
//! every letter accented and about 40 % longer (Fluent's own pseudo
//! transform). A page or an email read in it shows at a glance any text that
//! bypassed the bundles (it stays plain ASCII) and any layout that cannot
//! take longer words. It is never offered in a language menu.
//!
//! A page's language lives in a task-local for the request (`scope`,
//! `current`), set from the person's choice or the browser's
//! `Accept-Language`; an email's is always its recipient's, passed
//! explicitly.
use std::borrow::Cow;
use std::cell::Cell;
use std::sync::LazyLock;

use chrono::{DateTime, Datelike, NaiveDate, Timelike, Utc};
use chrono_tz::Tz;
use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use include_dir::{Dir, include_dir};
use unic_langid::LanguageIdentifier;

#[cfg(test)]
mod tests;

/// Every language folder, compiled in.
static LOCALES: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/locales");

/// The source language: the default, and what every folder must match.
const SOURCE: &str = "en";
/// The pseudo-language's tag (the BCP 47 private-use region for
/// pseudo-locales).
pub const PSEUDO: &str = "en-XA";

struct Language {
    tag: String,
    name: String,
    rtl: bool,
    pseudo: bool,
    bundle: FluentBundle<FluentResource>,
}

struct Library {
    languages: Vec<Language>,
}

static LIBRARY: LazyLock<Library> = LazyLock::new(Library::load);

/// The `.ftl` sources of one language folder, by file name.
fn sources_of(tag: &str) -> Vec<(&'static str, &'static str)> {
    let Some(dir) = LOCALES.get_dir(tag) else {
        return Vec::new();
    };
    let mut files: Vec<(&'static str, &'static str)> = dir
        .files()
        .filter(|f| f.path().extension().is_some_and(|e| e == "ftl"))
        .filter_map(|f| {
            let name = f.path().file_name()?.to_str()?;
            Some((name, f.contents_utf8()?))
        })
        .collect();
    files.sort_unstable();
    files
}

/// The language folders' names, the source first.
pub fn folder_tags() -> Vec<&'static str> {
    let mut tags: Vec<&'static str> = LOCALES
        .dirs()
        .filter_map(|d| d.path().file_name()?.to_str())
        .collect();
    tags.sort_unstable_by_key(|t| (*t != SOURCE, *t));
    tags
}

/// Pseudo-localisation: accented, elongated (about 40 % longer).
fn pseudo(text: &str) -> Cow<'_, str> {
    fluent_pseudo::transform(text, false, true)
}

impl Language {
    fn load(tag: &str, pseudo_of: Option<&str>) -> Language {
        let folder = pseudo_of.unwrap_or(tag);
        let id: LanguageIdentifier = tag.parse().unwrap_or_default();
        // The pseudo-language takes its plural rules from its source.
        let mut locales = vec![id];
        locales.extend(pseudo_of.and_then(|source| source.parse().ok()));
        let mut bundle = FluentBundle::new_concurrent(locales);
        bundle.set_use_isolating(false);
        if pseudo_of.is_some() {
            bundle.set_transform(Some(pseudo));
        }
        for (file, source) in sources_of(folder) {
            match FluentResource::try_new(source.to_owned()) {
                Ok(resource) => {
                    if let Err(errors) = bundle.add_resource(resource) {
                        tracing::error!(language = folder, file, ?errors, "duplicate messages");
                    }
                }
                Err((resource, errors)) => {
                    tracing::error!(language = folder, file, ?errors, "unparsable messages");
                    let _ = bundle.add_resource(resource);
                }
            }
        }
        let mut language = Language {
            tag: tag.to_owned(),
            name: String::new(),
            rtl: false,
            pseudo: pseudo_of.is_some(),
            bundle,
        };
        language.name = language.format("language-name", None);
        language.rtl = pseudo_of.is_none() && language.format("language-direction", None) == "rtl";
        language
    }

    fn format(&self, id: &str, args: Option<&FluentArgs<'_>>) -> String {
        let (message, attribute) = match id.split_once('.') {
            Some((message, attribute)) => (message, Some(attribute)),
            None => (id, None),
        };
        let pattern = self
            .bundle
            .get_message(message)
            .and_then(|m| match attribute {
                Some(a) => m.get_attribute(a).map(|a| a.value()),
                None => m.value(),
            });
        let Some(pattern) = pattern else {
            tracing::error!(language = %self.tag, id, "missing message");
            return id.to_owned();
        };
        let mut errors = Vec::new();
        let text = self.bundle.format_pattern(pattern, args, &mut errors);
        if !errors.is_empty() {
            tracing::error!(language = %self.tag, id, ?errors, "message failed to format");
        }
        text.into_owned()
    }
}

impl Library {
    fn load() -> Library {
        let mut languages: Vec<Language> = folder_tags()
            .into_iter()
            .map(|tag| Language::load(tag, None))
            .collect();
        languages.push(Language::load(PSEUDO, Some(SOURCE)));
        Library { languages }
    }
}

/// A language Accord has messages in (a folder of `locales/`, or the
/// pseudo-language). Only these can be held, so a stored or requested tag is
/// checked once, where it enters.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Lang(u8);

impl Default for Lang {
    fn default() -> Lang {
        Lang::SOURCE
    }
}

impl std::fmt::Display for Lang {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.tag())
    }
}

impl Lang {
    /// English, the source language and the default.
    pub const SOURCE: Lang = Lang(0);

    fn language(self) -> &'static Language {
        let languages = &LIBRARY.languages;
        languages.get(usize::from(self.0)).unwrap_or(&languages[0])
    }

    /// The language of a BCP 47 tag Accord has (`fr`, `es`, `en-XA`), in any
    /// letter case.
    pub fn parse(tag: &str) -> Option<Lang> {
        LIBRARY
            .languages
            .iter()
            .position(|l| l.tag.eq_ignore_ascii_case(tag.trim()))
            .and_then(|i| u8::try_from(i).ok())
            .map(Lang)
    }

    /// The pseudo-language (tests and translators' previews).
    pub fn pseudo() -> Lang {
        Lang::parse(PSEUDO).unwrap_or_default()
    }

    /// The languages people can choose, the source first (the
    /// pseudo-language is not among them).
    pub fn choosable() -> impl Iterator<Item = Lang> {
        LIBRARY
            .languages
            .iter()
            .enumerate()
            .filter(|(_, l)| !l.pseudo)
            .filter_map(|(i, _)| u8::try_from(i).ok().map(Lang))
    }

    /// Every language with messages, the pseudo-language last.
    pub fn all() -> impl Iterator<Item = Lang> {
        (0..LIBRARY.languages.len()).filter_map(|i| u8::try_from(i).ok().map(Lang))
    }

    /// The best language for a browser's `Accept-Language`, English when
    /// none matches. The pseudo-language is chosen only when asked by name.
    pub fn negotiate(accept_language: &str) -> Lang {
        let requested = fluent_langneg::parse_accepted_languages(accept_language);
        if requested
            .first()
            .is_some_and(|r| r.to_string().eq_ignore_ascii_case(PSEUDO))
        {
            return Lang::pseudo();
        }
        let tags: Vec<String> = Lang::choosable().map(|l| l.tag().to_owned()).collect();
        let available = fluent_langneg::convert_vec_str_to_langids_lossy(&tags);
        let chosen = fluent_langneg::negotiate_languages(
            &requested,
            &available,
            None,
            fluent_langneg::NegotiationStrategy::Lookup,
        );
        chosen
            .first()
            .and_then(|id| Lang::parse(&id.to_string()))
            .unwrap_or_default()
    }

    /// The tag (`fr`), as stored and as `<html lang>` says it.
    pub fn tag(self) -> &'static str {
        &self.language().tag
    }

    /// The language's own name for itself ("Français").
    pub fn name(self) -> &'static str {
        &self.language().name
    }

    /// `ltr` or `rtl`, for `<html dir>`.
    pub fn dir(self) -> &'static str {
        if self.language().rtl { "rtl" } else { "ltr" }
    }

    pub fn is_pseudo(self) -> bool {
        self.language().pseudo
    }

    /// The message `id` (or `id.attribute`) with no variables.
    pub fn text(self, id: &str) -> String {
        self.language().format(id, None)
    }

    /// The message `id` with its variables.
    pub fn text_with(self, id: &str, args: &Args) -> String {
        self.language().format(id, Some(&args.0))
    }

    /// The message `id` with one variable (templates call this).
    pub fn text1(self, id: &str, name: &str, value: impl IntoArg) -> String {
        self.text_with(id, &Args::new().set(name, value))
    }

    /// The message `id` with two variables.
    pub fn text2(
        self,
        id: &str,
        name1: &str,
        value1: impl IntoArg,
        name2: &str,
        value2: impl IntoArg,
    ) -> String {
        self.text_with(id, &Args::new().set(name1, value1).set(name2, value2))
    }

    /// The message `id` with three variables.
    #[allow(clippy::too_many_arguments)]
    pub fn text3(
        self,
        id: &str,
        name1: &str,
        value1: impl IntoArg,
        name2: &str,
        value2: impl IntoArg,
        name3: &str,
        value3: impl IntoArg,
    ) -> String {
        self.text_with(
            id,
            &Args::new()
                .set(name1, value1)
                .set(name2, value2)
                .set(name3, value3),
        )
    }
}

/// A message's variables.
#[derive(Default)]
pub struct Args(FluentArgs<'static>);

impl Args {
    pub fn new() -> Args {
        Args::default()
    }

    /// Sets `$name`: numbers as numbers (so plural selectors work), text as
    /// text.
    pub fn set(mut self, name: &str, value: impl IntoArg) -> Args {
        self.0.set(name.to_owned(), value.into_arg());
        self
    }
}

/// What a message variable can be made of.
pub trait IntoArg {
    fn into_arg(self) -> FluentValue<'static>;
}

macro_rules! number_arg {
    ($($t:ty),*) => {$(
        impl IntoArg for $t {
            fn into_arg(self) -> FluentValue<'static> {
                FluentValue::from(self)
            }
        }
        impl IntoArg for &$t {
            fn into_arg(self) -> FluentValue<'static> {
                FluentValue::from(*self)
            }
        }
    )*};
}
number_arg!(i16, i32, i64, u8, u16, u32, u64, usize, f64);

impl IntoArg for String {
    fn into_arg(self) -> FluentValue<'static> {
        FluentValue::from(self)
    }
}

impl IntoArg for &String {
    fn into_arg(self) -> FluentValue<'static> {
        FluentValue::from(self.clone())
    }
}

/// Askama passes a template's `String` fields by double reference.
impl IntoArg for &&String {
    fn into_arg(self) -> FluentValue<'static> {
        FluentValue::from((*self).clone())
    }
}

impl IntoArg for &str {
    fn into_arg(self) -> FluentValue<'static> {
        FluentValue::from(self.to_owned())
    }
}

impl IntoArg for &&str {
    fn into_arg(self) -> FluentValue<'static> {
        FluentValue::from((*self).to_owned())
    }
}

tokio::task_local! {
    static CURRENT: Cell<Lang>;
}

/// Runs `future` with `lang` as the current language (a page request).
pub async fn scope<F: std::future::Future>(lang: Lang, future: F) -> F::Output {
    CURRENT.scope(Cell::new(lang), future).await
}

/// The current request's language; English outside a request.
pub fn current() -> Lang {
    CURRENT.try_with(Cell::get).unwrap_or_default()
}

/// Changes the current request's language (once the signed-in person's own
/// choice is known). Outside a request it does nothing.
pub fn set_current(lang: Lang) {
    let _ = CURRENT.try_with(|c| c.set(lang));
}

/// The message `id` in the current language.
pub fn t(id: &str) -> String {
    current().text(id)
}

/// The message `id` with variables, in the current language.
pub fn t_with(id: &str, args: &Args) -> String {
    current().text_with(id, args)
}

/// A moment as a person reads it: in the court's (or event's) own zone,
/// and beside it in the reader's zone when their clock shows another time.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct When {
    /// RFC 3339, for `<time datetime>`.
    pub iso: String,
    /// "Monday 1 March 2027, 9:30 AM (Asia/Manila)".
    pub local: String,
    /// "8:30 AM your time (Asia/Bangkok)", when the reader's clock differs.
    pub yours: Option<String>,
}

impl std::fmt::Display for When {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.yours {
            Some(yours) => write!(f, "{} · {}", self.local, yours),
            None => f.write_str(&self.local),
        }
    }
}

impl Lang {
    /// A calendar date: "Monday 1 March 2027" (day and month names in this
    /// language, in its order).
    pub fn date(self, date: NaiveDate) -> String {
        let weekday = self.text1("weekday-name", "day", date.weekday().number_from_monday());
        let month = self.text1("month-name", "month", date.month());
        self.text_with(
            "date-long",
            &Args::new()
                .set("weekday", weekday)
                .set("day", date.day())
                .set("month", month)
                .set("year", date.year()),
        )
    }

    /// A clock time, 12- or 24-hour as the language reads it.
    pub fn time(self, hour: u32, minute: u32) -> String {
        let hour12 = match hour % 12 {
            0 => 12,
            h => h,
        };
        self.text_with(
            "time-of-day",
            &Args::new()
                .set("hour24", format!("{hour:02}"))
                .set("hour12", hour12.to_string())
                .set("minute", format!("{minute:02}"))
                .set("half", if hour < 12 { "am" } else { "pm" }),
        )
    }

    /// `at` on the clock of `zone`, with the date and the zone's name.
    pub fn datetime_in(self, at: DateTime<Utc>, zone: Tz) -> String {
        let local = at.with_timezone(&zone);
        self.text_with(
            "datetime-in-zone",
            &Args::new()
                .set("date", self.date(local.date_naive()))
                .set("time", self.time(local.hour(), local.minute()))
                .set("zone", zone.name()),
        )
    }

    /// `at` in the court's (or event's) zone first, and in the reader's
    /// zone beside it when their clock shows another time then.
    pub fn when(self, at: DateTime<Utc>, zone: Tz, reader: Option<Tz>) -> When {
        let local = at.with_timezone(&zone);
        let yours = reader
            .map(|r| at.with_timezone(&r))
            .filter(|r| r.naive_local() != local.naive_local())
            .map(|r| {
                let time = self.time(r.hour(), r.minute());
                let date =
                    (r.date_naive() != local.date_naive()).then(|| self.date(r.date_naive()));
                self.text_with(
                    "datetime-yours",
                    &Args::new()
                        .set("time", time)
                        .set("date", date.unwrap_or_default())
                        .set(
                            "sameday",
                            if r.date_naive() == local.date_naive() {
                                "yes"
                            } else {
                                "no"
                            },
                        )
                        .set("zone", r.timezone().name()),
                )
            });
        When {
            iso: at.to_rfc3339(),
            local: self.datetime_in(at, zone),
            yours,
        }
    }
}

/// A sentence to be said later in the reader's language: a message id and
/// its variables. A refusal made deep in the rules carries one, so the API
/// can say it in English and a page in its reader's language, from the same
/// message. Build one with `msg!`.
#[derive(Clone, Debug, PartialEq)]
pub struct Msg {
    id: &'static str,
    args: Vec<(&'static str, MsgArg)>,
}

/// A variable of a `Msg`.
#[derive(Clone, Debug, PartialEq)]
pub enum MsgArg {
    Text(String),
    Number(i64),
}

impl From<String> for MsgArg {
    fn from(value: String) -> MsgArg {
        MsgArg::Text(value)
    }
}

impl From<&String> for MsgArg {
    fn from(value: &String) -> MsgArg {
        MsgArg::Text(value.clone())
    }
}

impl From<&str> for MsgArg {
    fn from(value: &str) -> MsgArg {
        MsgArg::Text(value.to_owned())
    }
}

macro_rules! number_msg_arg {
    ($($t:ty),*) => {$(
        impl From<$t> for MsgArg {
            fn from(value: $t) -> MsgArg {
                MsgArg::Number(i64::try_from(value).unwrap_or(i64::MAX))
            }
        }
    )*};
}
number_msg_arg!(i16, i32, i64, u8, u16, u32, u64, usize);

impl Msg {
    pub const fn new(id: &'static str) -> Msg {
        Msg {
            id,
            args: Vec::new(),
        }
    }

    /// Sets `$name`.
    pub fn with(mut self, name: &'static str, value: impl Into<MsgArg>) -> Msg {
        self.args.push((name, value.into()));
        self
    }

    pub fn id(&self) -> &'static str {
        self.id
    }

    /// The sentence in `lang`.
    pub fn in_lang(&self, lang: Lang) -> String {
        if self.args.is_empty() {
            return lang.text(self.id);
        }
        let args = self
            .args
            .iter()
            .fold(Args::new(), |args, (name, value)| match value {
                MsgArg::Text(text) => args.set(name, text.as_str()),
                MsgArg::Number(n) => args.set(name, *n),
            });
        lang.text_with(self.id, &args)
    }

    /// The sentence in the current request's language.
    pub fn text(&self) -> String {
        self.in_lang(current())
    }

    /// The sentence in English (the API's messages, logs).
    pub fn english(&self) -> String {
        self.in_lang(Lang::SOURCE)
    }
}

/// In English: what the API and the logs say.
impl std::fmt::Display for Msg {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.english())
    }
}

/// A `Msg`: `msg!("input-too-long")` or
/// `msg!("input-too-long", max = 200, field = "title")`.
#[macro_export]
macro_rules! msg {
    ($id:literal) => {
        $crate::i18n::Msg::new($id)
    };
    ($id:literal, $($name:ident = $value:expr),+ $(,)?) => {
        $crate::i18n::Msg::new($id)$(.with(stringify!($name), $value))+
    };
}

/// The words of `text` that the pseudo-language would have accented: runs
/// of three or more plain ASCII letters, other than `allowed` (data the text
/// quotes, the brand, zone names, codes). On a page or an email read in
/// `en-XA`, each is English that bypassed the bundles.
pub fn untranslated_words(text: &str, allowed: &[&str]) -> Vec<String> {
    const ALWAYS: &[&str] = &["Accord", "UTC", "https", "http"];
    let (phrases, single): (Vec<&str>, Vec<&str>) = allowed
        .iter()
        .chain(ALWAYS)
        .copied()
        .filter(|a| !a.is_empty())
        .partition(|a| a.chars().any(|c| !c.is_alphabetic()));
    let single: std::collections::HashSet<&str> = single.into_iter().collect();
    let mut scrubbed = text.to_owned();
    for phrase in phrases {
        scrubbed = scrubbed.replace(phrase, " ");
    }
    let mut words = Vec::new();
    for token in scrubbed
        .split(|c: char| !(c.is_alphanumeric() || matches!(c, '/' | '_' | '-' | '.' | ':' | '@')))
    {
        // Zone names (`Asia/Manila`), addresses and paths are data.
        if token.contains('/') || token.contains('@') {
            continue;
        }
        // Ids and hashes (`01936dab-…`) are data, whatever letters they hold.
        if token.chars().any(|c| c.is_ascii_digit())
            && token
                .chars()
                .all(|c| c.is_ascii_hexdigit() || matches!(c, '-' | '_' | '.' | ':'))
        {
            continue;
        }
        // A word with one accented letter is the pseudo-language's (it
        // leaves vowels plain and doubles them).
        for word in token.split(|c: char| !c.is_alphabetic()) {
            let plain = word.len() >= 3 && word.chars().all(|c| c.is_ascii_alphabetic());
            // Codes the API names (`FORBIDDEN`, `NL`) are not sentences.
            let code = word.chars().all(|c| c.is_ascii_uppercase());
            if plain && !code && !single.contains(word) {
                words.push(word.to_owned());
            }
        }
    }
    words.sort_unstable();
    words.dedup();
    words
}
