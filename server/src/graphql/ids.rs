//! Global ids: `base64url("Kind:uuid")`. Opaque to clients; carry nothing the
//! viewer does not already know.
use async_graphql::ID;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use uuid::Uuid;

use crate::error::{AppError, AppResult};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    User,
    Mission,
    Organization,
    Coalition,
    Case,
    Hearing,
    RosterClaim,
    Observation,
    AttackReport,
    Statement,
}

impl Kind {
    fn as_str(self) -> &'static str {
        match self {
            Kind::User => "User",
            Kind::Mission => "Mission",
            Kind::Organization => "Organization",
            Kind::Coalition => "Coalition",
            Kind::Case => "Case",
            Kind::Hearing => "Hearing",
            Kind::RosterClaim => "RosterClaim",
            Kind::Observation => "Observation",
            Kind::AttackReport => "AttackReport",
            Kind::Statement => "Statement",
        }
    }

    const ALL: [Kind; 10] = [
        Kind::AttackReport,
        Kind::Statement,
        Kind::Hearing,
        Kind::RosterClaim,
        Kind::Observation,
        Kind::User,
        Kind::Mission,
        Kind::Organization,
        Kind::Coalition,
        Kind::Case,
    ];
}

pub fn encode(kind: Kind, id: Uuid) -> ID {
    ID(URL_SAFE_NO_PAD.encode(format!("{}:{id}", kind.as_str())))
}

/// Any well-formed global id.
pub fn decode_any(id: &ID) -> Option<(Kind, Uuid)> {
    let raw = URL_SAFE_NO_PAD.decode(id.as_str()).ok()?;
    let text = String::from_utf8(raw).ok()?;
    let (kind, uuid) = text.split_once(':')?;
    let kind = Kind::ALL.into_iter().find(|k| k.as_str() == kind)?;
    Some((kind, Uuid::parse_str(uuid).ok()?))
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
            format!("is not a {} id", kind.as_str().to_lowercase()),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn round_trips_and_refuses_other_kinds() {
        let u = Uuid::now_v7();
        let id = encode(Kind::Mission, u);
        assert_eq!(decode(Kind::Mission, &id).ok(), Some(u));
        assert!(decode(Kind::User, &id).is_err());
        assert!(decode(Kind::User, &ID("garbage!".into())).is_err());
    }
}
