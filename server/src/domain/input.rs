use std::fmt;

use chrono_tz::Tz;

use crate::i18n::Msg;
use crate::msg;

/// A field that failed validation. Messages name the field and the rule, never
/// echo the value back.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[error("{field}: {reason}")]
pub struct InputError {
    pub field: String,
    /// Said in English by the API (`Display`), in the reader's language on a
    /// page (`reason.text()`).
    pub reason: Msg,
}

impl InputError {
    pub fn new(field: &str, reason: Msg) -> Self {
        Self {
            field: field.to_owned(),
            reason,
        }
    }
}

/// Invisible characters and the ones that reorder what follows them: a
/// right-to-left override (U+202E) makes `gnp.exe` read `exe.png`, a
/// zero-width space (U+200B) makes two texts that look identical differ.
/// Neither belongs in a report or a case a reader must trust. The joiners
/// (U+200C, U+200D) and the direction marks (U+200E, U+200F, U+061C) stay:
/// Persian, Indic scripts and mixed right-to-left text need them, and they
/// reorder nothing.
fn is_spoofing(c: char) -> bool {
    matches!(c,
        '\u{200B}'                    // zero width space
        | '\u{202A}'..='\u{202E}'     // embeddings and overrides
        | '\u{2060}'..='\u{2064}'     // word joiner, invisible operators
        | '\u{2066}'..='\u{2069}'     // isolates
        | '\u{FEFF}'                  // zero width no-break space
        | '\u{180E}'                  // Mongolian vowel separator
        | '\u{FFF9}'..='\u{FFFB}'     // interlinear annotations
    )
}

/// The characters no text field accepts, beyond the length rules.
fn check_characters(field: &str, value: &str, keep: &[char]) -> Result<(), InputError> {
    if value.chars().any(|c| c.is_control() && !keep.contains(&c)) {
        return Err(InputError::new(
            field,
            msg!("input-must-not-contain-control-characters"),
        ));
    }
    if value.chars().any(is_spoofing) {
        return Err(InputError::new(
            field,
            msg!("input-must-not-contain-invisible-or"),
        ));
    }
    Ok(())
}

/// Trims `raw` and checks it is non-empty and at most `max_chars` characters,
/// with no control, invisible or direction-overriding characters.
pub fn bounded_text(field: &str, raw: &str, max_chars: usize) -> Result<String, InputError> {
    let value = raw.trim();
    if value.is_empty() {
        return Err(InputError::new(field, msg!("input-must-not-be-empty")));
    }
    if value.chars().count() > max_chars {
        return Err(InputError::new(
            field,
            msg!("input-too-long", max = max_chars),
        ));
    }
    check_characters(field, value, &[])?;
    Ok(value.to_owned())
}

/// Like `bounded_text`, for prose: line breaks and tabs are kept.
pub fn long_text(field: &str, raw: &str, max_chars: usize) -> Result<String, InputError> {
    let value = raw.trim();
    if value.is_empty() {
        return Err(InputError::new(field, msg!("input-must-not-be-empty")));
    }
    if value.chars().count() > max_chars {
        return Err(InputError::new(
            field,
            msg!("input-too-long", max = max_chars),
        ));
    }
    check_characters(field, value, &['\n', '\r', '\t'])?;
    Ok(value.to_owned())
}

/// An IANA time zone name such as `Asia/Manila`.
pub fn parse_timezone(field: &str, raw: &str) -> Result<Tz, InputError> {
    raw.trim()
        .parse::<Tz>()
        .map_err(|_| InputError::new(field, msg!("input-must-be-an-iana-time")))
}

/// A login email, normalised to lower case so that uniqueness is case-blind.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Email(String);

impl Email {
    pub const MAX_CHARS: usize = 254;

    pub fn parse(field: &str, raw: &str) -> Result<Self, InputError> {
        let value = raw.trim().to_lowercase();
        if value.is_empty() {
            return Err(InputError::new(field, msg!("input-must-not-be-empty")));
        }
        if value.chars().count() > Self::MAX_CHARS {
            return Err(InputError::new(
                field,
                msg!("input-too-long", max = Self::MAX_CHARS),
            ));
        }
        let well_formed = match value.split_once('@') {
            Some((local, domain)) => {
                !local.is_empty()
                    && domain.contains('.')
                    && !domain.starts_with('.')
                    && !domain.ends_with('.')
                    && !domain.contains('@')
                    && !value.chars().any(|c| c.is_whitespace() || c.is_control())
            }
            None => false,
        };
        if !well_formed {
            return Err(InputError::new(
                field,
                msg!("input-must-be-an-email-address"),
            ));
        }
        Ok(Self(value))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A new password that meets the length policy (long passphrases welcome,
/// bounded so that hashing cannot be abused).
pub struct Password(String);

impl Password {
    pub const MIN_CHARS: usize = 12;
    pub const MAX_CHARS: usize = 256;

    pub fn parse(field: &str, raw: &str) -> Result<Self, InputError> {
        let n = raw.chars().count();
        if n < Self::MIN_CHARS {
            return Err(InputError::new(
                field,
                msg!("input-too-short", min = Self::MIN_CHARS),
            ));
        }
        if n > Self::MAX_CHARS {
            return Err(InputError::new(
                field,
                msg!("input-too-long", max = Self::MAX_CHARS),
            ));
        }
        Ok(Self(raw.to_owned()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spoofing_characters_are_refused_and_script_joiners_kept() {
        for bad in ["gnp\u{202E}exe", "a\u{200B}b", "x\u{2066}y", "\u{FEFF}z"] {
            assert!(bounded_text("f", bad, 50).is_err(), "{bad:?}");
            assert!(long_text("f", bad, 50).is_err(), "{bad:?}");
        }
        // Persian uses the zero-width non-joiner; mixed text uses direction marks.
        for good in [
            "\u{0645}\u{06CC}\u{200C}\u{062E}\u{0648}\u{0627}\u{0647}\u{0645}",
            "abc\u{200F} 12",
        ] {
            assert!(bounded_text("f", good, 50).is_ok(), "{good:?}");
        }
        assert_eq!(
            long_text("f", "line\nnext\u{202E}", 50).map_err(|e| e.field),
            Err("f".to_owned())
        );
    }

    #[test]
    fn text_is_trimmed_and_bounded() {
        assert_eq!(bounded_text("name", "  Ottawa ", 10), Ok("Ottawa".into()));
        assert!(bounded_text("name", "   ", 10).is_err());
        assert!(bounded_text("name", "abcdefghijk", 10).is_err());
        assert!(bounded_text("name", "a\u{0}b", 10).is_err());
        let err = bounded_text("city", "", 10).expect_err("refused");
        assert_eq!(err.field, "city");
        assert_eq!(long_text("d", " a\nb ", 10), Ok("a\nb".into()));
        assert!(long_text("d", "a\u{7}b", 10).is_err());
    }

    #[test]
    fn emails_are_normalised_and_checked() {
        assert_eq!(
            Email::parse("email", " Ana@Example.ORG ").map(|e| e.to_string()),
            Ok("ana@example.org".into())
        );
        for bad in [
            "",
            "ana",
            "ana@",
            "@example.org",
            "ana@example",
            "a b@example.org",
            "a@b@c.org",
        ] {
            assert!(Email::parse("email", bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn timezones_are_iana_names() {
        assert!(parse_timezone("timezone", "Asia/Manila").is_ok());
        assert!(parse_timezone("timezone", "Mars/Olympus").is_err());
        assert!(parse_timezone("timezone", "").is_err());
    }

    #[test]
    fn password_length_policy() {
        assert!(Password::parse("password", "short").is_err());
        assert!(Password::parse("password", &"x".repeat(257)).is_err());
        assert!(Password::parse("password", "correct horse battery").is_ok());
    }
}
