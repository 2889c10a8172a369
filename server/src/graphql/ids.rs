//! Global ids: `base64url("Kind:uuid")`. Opaque to clients; carry nothing the
//! viewer does not already know.
use async_graphql::ID;
use uuid::Uuid;

use crate::error::{AppError, AppResult};
use crate::msg;

pub use crate::domain::ids::Kind;

pub fn encode(kind: Kind, id: Uuid) -> ID {
    ID(crate::domain::ids::encode(kind, id))
}

/// Any well-formed global id, in its one canonical spelling.
pub fn decode_any(id: &ID) -> Option<(Kind, Uuid)> {
    crate::domain::ids::decode_any(id.as_str())
}

/// An id of the expected kind; anything else is `NOT_FOUND`, like a missing object.
pub fn decode(kind: Kind, id: &ID) -> AppResult<Uuid> {
    match decode_any(id) {
        Some((k, uuid)) if k == kind => Ok(uuid),
        _ => Err(AppError::NotFound),
    }
}

/// An id given as a reference in an input: malformed is the caller's mistake.
pub fn decode_input(kind: Kind, field: &str, id: &ID) -> AppResult<Uuid> {
    match decode_any(id) {
        Some((k, uuid)) if k == kind => Ok(uuid),
        _ => Err(AppError::bad_input(
            field,
            msg!("input-not-an-id", kind = kind.as_str()),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;

    #[test]
    fn every_kind_round_trips() {
        for kind in Kind::ALL {
            let u = Uuid::now_v7();
            assert_eq!(decode(kind, &encode(kind, u)).ok(), Some(u), "{kind:?}");
        }
        // A kind missing from ALL would not decode: keep the two in step.
        let u = Uuid::now_v7();
        assert_eq!(decode(Kind::Case, &encode(Kind::Case, u)).ok(), Some(u));
    }

    #[test]
    fn only_the_canonical_spelling_is_an_id() {
        let u = Uuid::now_v7();
        let spelled = |s: String| ID(URL_SAFE_NO_PAD.encode(format!("Case:{s}")));
        assert_eq!(decode(Kind::Case, &spelled(u.to_string())).ok(), Some(u));
        for other in [
            u.to_string().to_uppercase(),
            format!("{{{u}}}"),
            format!("urn:uuid:{u}"),
            u.simple().to_string(),
        ] {
            assert!(
                decode(Kind::Case, &spelled(other.clone())).is_err(),
                "{other}"
            );
        }
        // Padding is not part of the spelling either.
        let padded = ID(format!("{}=", encode(Kind::Case, u).as_str()));
        assert!(decode(Kind::Case, &padded).is_err());
    }

    #[test]
    fn input_errors_read_as_english() {
        let err =
            decode_input(Kind::AttackReport, "reportId", &ID("x".into())).expect_err("refused");
        assert_eq!(err.to_string(), "reportId: is not an attack report id");
    }

    #[test]
    fn round_trips_and_refuses_other_kinds() {
        let u = Uuid::now_v7();
        let id = encode(Kind::Mission, u);
        assert_eq!(decode(Kind::Mission, &id).ok(), Some(u));
        assert!(decode(Kind::User, &id).is_err());
        assert!(decode(Kind::User, &ID("garbage!".into())).is_err());
    }
}
