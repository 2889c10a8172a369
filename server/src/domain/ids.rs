//! Ids of rows that readers see (inside every global id).
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
