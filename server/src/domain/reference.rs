//! Generated references people read, say on the phone and type back in.
//! They are random, never counted: a sequential number would tell a country
//! how many cases (or reports) other countries hold and when they opened
//! them (SECURITY.md, "generated values").
use rand::Rng;

/// Digits and capitals without the ones read or typed the wrong way round:
/// no 0/O, 1/I/L, nor U (read as V).
pub const ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTVWXYZ";

/// `len` characters drawn uniformly from [`ALPHABET`].
pub fn random_code(rng: &mut impl Rng, len: usize) -> String {
    (0..len)
        .map(|_| char::from(ALPHABET[rng.gen_range(0..ALPHABET.len())]))
        .collect()
}

/// A new case reference: host country, year, two groups of four random
/// characters (`PH-2026-K7QM-4TXR`): 30⁸ ≈ 6.6 × 10¹¹ values, so a
/// collision (retried by the caller) is rare and guessing one is hopeless.
pub fn new_case_reference(rng: &mut impl Rng, host: &str, year: i32) -> String {
    format!(
        "{host}-{year}-{}-{}",
        random_code(rng, 4),
        random_code(rng, 4)
    )
}

/// A new attack-report reference (`AR-PH-2026-7KQ3XM`).
pub fn new_report_reference(rng: &mut impl Rng, host: &str, year: i32) -> String {
    format!("AR-{host}-{year}-{}", random_code(rng, 6))
}

/// A reference as typed: surrounding space dropped, lower case raised.
/// Old sequential references (`PH-2026-0007`) normalise the same way, so
/// they keep working.
pub fn normalize(typed: &str) -> String {
    typed.trim().to_uppercase()
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand::rngs::StdRng;
    use std::collections::HashSet;

    #[test]
    fn case_references_have_the_documented_shape() {
        let mut rng = StdRng::seed_from_u64(7);
        let r = new_case_reference(&mut rng, "PH", 2026);
        assert_eq!(r.len(), "PH-2026-XXXX-XXXX".len(), "{r}");
        assert!(r.starts_with("PH-2026-"), "{r}");
        let code: String = r["PH-2026-".len()..].replace('-', "");
        assert!(code.bytes().all(|b| ALPHABET.contains(&b)), "{r}");
        assert_eq!(normalize(&format!("  {}\n", r.to_lowercase())), r);
    }

    #[test]
    fn references_are_not_counted() {
        // Consecutive references share nothing but their prefix: no order,
        // no step, no repeats over many draws.
        let mut rng = StdRng::seed_from_u64(11);
        let refs: Vec<String> = (0..10_000)
            .map(|_| new_case_reference(&mut rng, "PH", 2026))
            .collect();
        assert_eq!(refs.iter().collect::<HashSet<_>>().len(), refs.len());
        let ascending = refs.windows(2).filter(|w| w[0] < w[1]).count();
        assert!((4_000..6_000).contains(&ascending), "{ascending}");
    }

    #[test]
    fn the_alphabet_has_no_look_alikes() {
        for c in b"01OILU" {
            assert!(!ALPHABET.contains(c), "{}", char::from(*c));
        }
        assert_eq!(ALPHABET.len(), 30);
    }
}
