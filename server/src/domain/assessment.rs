//! Fairness assessments (TrialWatch's model): an expert's graded judgement
//! of a whole trial against international fair-trial standards, kept apart
//! from the monitors' observations it draws on, and versioned.
use std::collections::BTreeSet;

use uuid::Uuid;

use crate::domain::input::InputError;
use crate::msg;

stored_enum!(
    /// The grade of a trial's fairness, A (best) to F (worst), as TrialWatch
    /// grades trials. `definition` is the meaning each grade carries.
    FairnessGrade { A = "A", B = "B", C = "C", D = "D", F = "F" }
);

impl FairnessGrade {
    /// What the grade means, in plain words (shown beside it everywhere and
    /// published with it).
    pub fn definition(self) -> &'static str {
        match self {
            FairnessGrade::A => {
                "No violations of international fair-trial standards, or only minimal ones."
            }
            FairnessGrade::B => {
                "Violations of international fair-trial standards that did not affect the outcome and did not cause significant harm."
            }
            FairnessGrade::C => {
                "Violations of international fair-trial standards that may have affected the outcome or caused significant harm."
            }
            FairnessGrade::D => {
                "Violations of international fair-trial standards that affected the outcome or caused significant harm."
            }
            FairnessGrade::F => {
                "Gross violations of international fair-trial standards that affected the outcome or caused significant harm."
            }
        }
    }
}

stored_enum!(
    /// The international standards an assessment applies.
    FairnessStandard {
        IccprArt14 = "ICCPR_ART_14",
        IccprArt9 = "ICCPR_ART_9",
        IccprArt7 = "ICCPR_ART_7",
        IccprArt19 = "ICCPR_ART_19",
        UdhrArt10 = "UDHR_ART_10",
        UdhrArt11 = "UDHR_ART_11",
        AchprArt7 = "ACHPR_ART_7",
        AchrArt8 = "ACHR_ART_8",
        EchrArt6 = "ECHR_ART_6",
        ArabCharterArt13 = "ARAB_CHARTER_ART_13",
        UnBasicPrinciplesLawyers = "UN_BASIC_PRINCIPLES_LAWYERS",
        UnBasicPrinciplesJudiciary = "UN_BASIC_PRINCIPLES_JUDICIARY",
        UnGuidelinesProsecutors = "UN_GUIDELINES_PROSECUTORS",
        ConventionAgainstTorture = "CAT",
        Other = "OTHER",
    }
);

impl FairnessStandard {
    /// Its name as published.
    pub fn title(self) -> &'static str {
        match self {
            FairnessStandard::IccprArt14 => "ICCPR, article 14 (fair trial)",
            FairnessStandard::IccprArt9 => "ICCPR, article 9 (liberty and security)",
            FairnessStandard::IccprArt7 => "ICCPR, article 7 (torture and ill-treatment)",
            FairnessStandard::IccprArt19 => "ICCPR, article 19 (freedom of expression)",
            FairnessStandard::UdhrArt10 => "UDHR, article 10 (fair and public hearing)",
            FairnessStandard::UdhrArt11 => "UDHR, article 11 (presumption of innocence)",
            FairnessStandard::AchprArt7 => "African Charter, article 7 (fair trial)",
            FairnessStandard::AchrArt8 => "American Convention, article 8 (fair trial)",
            FairnessStandard::EchrArt6 => "European Convention, article 6 (fair trial)",
            FairnessStandard::ArabCharterArt13 => "Arab Charter, article 13 (fair trial)",
            FairnessStandard::UnBasicPrinciplesLawyers => {
                "UN Basic Principles on the Role of Lawyers"
            }
            FairnessStandard::UnBasicPrinciplesJudiciary => {
                "UN Basic Principles on the Independence of the Judiciary"
            }
            FairnessStandard::UnGuidelinesProsecutors => "UN Guidelines on the Role of Prosecutors",
            FairnessStandard::ConventionAgainstTorture => "Convention against Torture",
            FairnessStandard::Other => "Other standards (named in the reasoning)",
        }
    }
}

/// Versions an assessment may have (the migration holds the same cap).
pub const MAX_VERSIONS: i32 = 50;
/// The longest reasoning.
pub const MAX_REASONING: usize = 20_000;
/// Observations one version may cite.
pub const MAX_CITED: usize = 50;

/// The standards as stored: at least one, each once, in a fixed order.
pub fn encode_standards(field: &str, standards: &[FairnessStandard]) -> Result<String, InputError> {
    let set: BTreeSet<FairnessStandard> = standards.iter().copied().collect();
    if set.is_empty() {
        return Err(InputError::new(
            field,
            msg!("input-name-at-least-one-standard"),
        ));
    }
    Ok(set
        .into_iter()
        .map(FairnessStandard::as_str)
        .collect::<Vec<_>>()
        .join(","))
}

/// The standards of a stored version (unknown names skipped).
pub fn decode_standards(stored: &str) -> Vec<FairnessStandard> {
    stored
        .split(',')
        .filter_map(FairnessStandard::from_stored)
        .collect()
}

/// Cited observations as stored.
pub fn encode_cited(ids: &[Uuid]) -> String {
    ids.iter()
        .map(Uuid::to_string)
        .collect::<Vec<_>>()
        .join(",")
}

/// The cited observations of a stored version.
pub fn decode_cited(stored: &str) -> Vec<Uuid> {
    stored
        .split(',')
        .filter_map(|s| Uuid::parse_str(s).ok())
        .collect()
}

/// Distinct cited ids, at most `MAX_CITED`.
pub fn distinct_cited(field: &str, ids: &[Uuid]) -> Result<Vec<Uuid>, InputError> {
    let mut out: Vec<Uuid> = Vec::with_capacity(ids.len());
    for id in ids {
        if !out.contains(id) {
            out.push(*id);
        }
    }
    if out.len() > MAX_CITED {
        return Err(InputError::new(
            field,
            msg!("input-cite-at-most", max = MAX_CITED),
        ));
    }
    Ok(out)
}

/// Why a save cannot become the next version.
#[derive(Debug, PartialEq, Eq)]
pub enum NextRefusal {
    /// The save was based on another version than the current one.
    Stale { current: i32 },
    /// The assessment holds `MAX_VERSIONS` already.
    Full,
}

/// The number of the version a save makes: 1 for the first (based on none),
/// then the one after `current`, which the save must name as its base.
pub fn next_version(current: Option<i32>, base: Option<i32>) -> Result<i32, NextRefusal> {
    match (current, base) {
        (None, None | Some(0)) => Ok(1),
        (None, Some(_)) => Err(NextRefusal::Stale { current: 0 }),
        (Some(c), Some(b)) if b == c => {
            if c >= MAX_VERSIONS {
                Err(NextRefusal::Full)
            } else {
                Ok(c + 1)
            }
        }
        (Some(c), _) => Err(NextRefusal::Stale { current: c }),
    }
}

/// `text` with every case-insensitive occurrence of `name` replaced by
/// `instead` (the pseudonym kept out of a published text).
pub fn without_name(text: &str, name: &str, instead: &str) -> String {
    let name = name.trim();
    if name.is_empty() {
        return text.to_owned();
    }
    let lower_text = text.to_lowercase();
    let lower_name = name.to_lowercase();
    // Lower-casing can change byte lengths; only replace when it does not.
    if lower_text.len() != text.len() || lower_name.len() != name.len() {
        return text.replace(name, instead);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = 0;
    while let Some(at) = lower_text[rest..].find(&lower_name) {
        out.push_str(&text[rest..rest + at]);
        out.push_str(instead);
        rest += at + lower_name.len();
    }
    out.push_str(&text[rest..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_grade_has_a_definition_and_a_stored_name() {
        for g in FairnessGrade::ALL {
            assert_eq!(FairnessGrade::from_stored(g.as_str()), Some(*g));
            assert!(g.definition().ends_with('.'));
        }
    }

    #[test]
    fn standards_are_a_set_of_at_least_one() {
        use FairnessStandard::*;
        let s = encode_standards("s", &[EchrArt6, IccprArt14, EchrArt6]).expect("ok");
        assert_eq!(s, "ICCPR_ART_14,ECHR_ART_6");
        assert_eq!(decode_standards(&s), vec![IccprArt14, EchrArt6]);
        assert_eq!(encode_standards("s", &[]).expect_err("empty").field, "s");
    }

    #[test]
    fn versions_follow_the_current_one_up_to_the_cap() {
        assert_eq!(next_version(None, None), Ok(1));
        assert_eq!(next_version(None, Some(0)), Ok(1));
        assert_eq!(
            next_version(None, Some(3)),
            Err(NextRefusal::Stale { current: 0 })
        );
        assert_eq!(
            next_version(Some(1), None),
            Err(NextRefusal::Stale { current: 1 })
        );
        assert_eq!(
            next_version(Some(2), Some(1)),
            Err(NextRefusal::Stale { current: 2 })
        );
        assert_eq!(next_version(Some(2), Some(2)), Ok(3));
        assert_eq!(
            next_version(Some(MAX_VERSIONS), Some(MAX_VERSIONS)),
            Err(NextRefusal::Full)
        );
    }

    #[test]
    fn citations_are_distinct_and_capped() {
        let a = Uuid::from_u128(1);
        let b = Uuid::from_u128(2);
        assert_eq!(distinct_cited("o", &[a, b, a]).expect("ok"), vec![a, b]);
        let many: Vec<Uuid> = (0..=MAX_CITED as u128).map(Uuid::from_u128).collect();
        assert!(distinct_cited("o", &many).is_err());
        assert_eq!(decode_cited(&encode_cited(&[a, b])), vec![a, b]);
        assert_eq!(decode_cited(""), Vec::<Uuid>::new());
    }

    #[test]
    fn the_pseudonym_is_kept_out_of_a_published_text() {
        assert_eq!(
            without_name(
                "Defender A was held; DEFENDER a appealed.",
                "Defender A",
                "the defendant"
            ),
            "the defendant was held; the defendant appealed."
        );
        assert_eq!(without_name("text", " ", "x"), "text");
    }
}
