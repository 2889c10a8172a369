use std::fmt;

use crate::domain::input::InputError;
use crate::msg;

/// A sending state, host country or the EU: an ISO 3166-1 alpha-2 code or `EU`.
/// Holding one proves the code was checked.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CountryCode([u8; 2]);

impl CountryCode {
    /// Accepts exactly two letters that name an ISO 3166-1 country or the EU
    /// (case-insensitive, surrounding white space ignored).
    pub fn parse(field: &str, raw: &str) -> Result<Self, InputError> {
        let code = raw.trim().to_ascii_uppercase();
        let known = code == "EU" || isocountry::CountryCode::for_alpha2(&code).is_ok();
        match code.as_bytes() {
            [a, b] if known => Ok(Self([*a, *b])),
            _ => Err(InputError::new(field, msg!("input-must-be-an-iso-3166"))),
        }
    }

    pub fn as_str(&self) -> &str {
        // Both bytes are ASCII letters: checked in `parse`.
        std::str::from_utf8(&self.0).unwrap_or("??")
    }

    /// English short name of the country.
    pub fn name(&self) -> &'static str {
        if &self.0 == b"EU" {
            return "European Union";
        }
        isocountry::CountryCode::for_alpha2(self.as_str())
            .map(|c| c.name())
            .unwrap_or("Unknown")
    }

    /// For codes read back from the database, where a foreign key already
    /// guarantees validity.
    pub fn from_stored(raw: &str) -> Self {
        Self::parse("country", raw).unwrap_or(Self(*b"ZZ"))
    }
}

impl fmt::Display for CountryCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_iso_codes_and_eu() {
        assert_eq!(
            CountryCode::parse("c", "ca").map(|c| c.to_string()),
            Ok("CA".into())
        );
        assert_eq!(
            CountryCode::parse("c", " NL ").map(|c| c.to_string()),
            Ok("NL".into())
        );
        assert_eq!(
            CountryCode::parse("c", "EU").map(|c| c.name()),
            Ok("European Union")
        );
    }

    #[test]
    fn refuses_unknown_or_malformed_codes() {
        for bad in ["", "C", "CAN", "XX", "Q1", "ÉU", "ZZ"] {
            assert!(CountryCode::parse("country", bad).is_err(), "{bad}");
        }
    }
}
