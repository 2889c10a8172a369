//! Ids of rows that readers see, and the global ids (`base64url("Kind:uuid")`)
//! that carry them in the API, in page addresses and in email links: opaque
//! to clients, carrying nothing the viewer does not already know.
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use uuid::{NoContext, Timestamp, Uuid};

/// A UUIDv7 whose 74 bits after the millisecond timestamp are all random.
/// Rows still sort by creation time (pages ordered by id stay in creation
/// order), but `Uuid::now_v7` would spend those bits on a per-process
/// counter, so two ids made in the same millisecond would tell how many
/// other rows, of any kind and any country, were made between them
/// (docs/RULES.md rule 9). Within one millisecond the order is random.
pub fn new_id() -> Uuid {
    Uuid::new_v7(Timestamp::now(NoContext))
}

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
    /// A sign-in (the account page ends one by this id).
    Session,
    /// A request to reveal a defender's identity to a partner country.
    IdentityReveal,
    /// An offer of a roster claim (a hand-over).
    ClaimOffer,
    /// A person's security key (removed by this id).
    SecurityKey,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
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
            Kind::Session => "Session",
            Kind::IdentityReveal => "IdentityReveal",
            Kind::ClaimOffer => "ClaimOffer",
            Kind::SecurityKey => "SecurityKey",
        }
    }

    /// "a case", "an attack report": for messages people read.
    pub fn with_article(self) -> &'static str {
        match self {
            Kind::User => "a user",
            Kind::Mission => "a mission",
            Kind::Organization => "an organization",
            Kind::Coalition => "a coalition",
            Kind::Case => "a case",
            Kind::Hearing => "a hearing",
            Kind::RosterClaim => "a roster claim",
            Kind::Observation => "an observation",
            Kind::AttackReport => "an attack report",
            Kind::Statement => "a statement",
            Kind::Session => "a session",
            Kind::IdentityReveal => "a reveal request",
            Kind::ClaimOffer => "an offer of a roster place",
            Kind::SecurityKey => "a security key",
        }
    }

    pub const ALL: [Kind; 14] = [
        Kind::Session,
        Kind::IdentityReveal,
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
        Kind::ClaimOffer,
        Kind::SecurityKey,
    ];
}

/// The global id of a row: what the API, the web pages and email links use.
pub fn encode(kind: Kind, id: Uuid) -> String {
    URL_SAFE_NO_PAD.encode(format!("{}:{id}", kind.as_str()))
}

/// The row id of `id` when it is a global id of `kind`.
pub fn decode(kind: Kind, id: &str) -> Option<Uuid> {
    decode_any(id).and_then(|(k, uuid)| (k == kind).then_some(uuid))
}

/// Any well-formed global id, in its one canonical spelling: exactly what
/// `encode` gives. `Uuid::parse_str` also takes upper case, braces and
/// `urn:uuid:`; accepting those would give one object many ids (caches,
/// logs and comparisons on the client side would disagree).
pub fn decode_any(id: &str) -> Option<(Kind, Uuid)> {
    let raw = URL_SAFE_NO_PAD.decode(id).ok()?;
    let text = String::from_utf8(raw).ok()?;
    let (kind, spelled) = text.split_once(':')?;
    let kind = Kind::ALL.into_iter().find(|k| k.as_str() == kind)?;
    let uuid = Uuid::try_parse(spelled).ok()?;
    let mut canonical = Uuid::encode_buffer();
    (uuid.hyphenated().encode_lower(&mut canonical) == spelled).then_some((kind, uuid))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_made_together_share_only_their_timestamp() {
        let make = new_id;
        let ids: Vec<u128> = (0..256).map(|_| make().as_u128()).collect();
        // Where `now_v7` keeps its counter: the 12 bits after the version,
        // then the 30 after the variant.
        let counter = |x: u128| (((x >> 64) & 0xFFF) << 30) | ((x >> 32) & 0x3FFF_FFFF);
        let timestamp = |x: u128| x >> 80;
        let counted = ids
            .windows(2)
            .filter(|w| timestamp(w[0]) == timestamp(w[1]))
            .filter(|w| counter(w[1]).wrapping_sub(counter(w[0])) == 1)
            .count();
        assert_eq!(counted, 0, "consecutive ids count");
        assert!(
            ids.iter()
                .all(|i| Uuid::from_u128(*i).get_version_num() == 7)
        );
    }
}
