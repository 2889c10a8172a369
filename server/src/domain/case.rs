//! Case vocabulary and the visibility order.

stored_enum!(CaseCategory {
    WomanHrd = "WOMAN_HRD",
    Environmental = "ENVIRONMENTAL",
    LandRights = "LAND_RIGHTS",
    Indigenous = "INDIGENOUS",
    Lgbti = "LGBTI",
    Journalist = "JOURNALIST",
    Lawyer = "LAWYER",
    TradeUnionist = "TRADE_UNIONIST",
    Student = "STUDENT",
    Other = "OTHER",
});

stored_enum!(RiskLevel { Low = "LOW", Medium = "MEDIUM", High = "HIGH", Critical = "CRITICAL" });

stored_enum!(CaseStatus {
    AtRisk = "AT_RISK",
    Detained = "DETAINED",
    OnTrial = "ON_TRIAL",
    Released = "RELEASED",
    Relocated = "RELOCATED",
    Closed = "CLOSED",
});

stored_enum!(
    /// How much a share reveals. Ordered: DETAIL > SUMMARY.
    ShareLevel { Summary = "SUMMARY", Detail = "DETAIL" }
);

stored_enum!(ConsentGiver { Defender = "DEFENDER", Family = "FAMILY", Representative = "REPRESENTATIVE" });

stored_enum!(
    /// What a viewer sees of a case, as the access indexes store it.
    /// Ordered: OWNER > DETAIL > SUMMARY.
    Visibility { Summary = "SUMMARY", Detail = "DETAIL", Owner = "OWNER" }
);

impl From<ShareLevel> for Visibility {
    fn from(l: ShareLevel) -> Self {
        match l {
            ShareLevel::Summary => Visibility::Summary,
            ShareLevel::Detail => Visibility::Detail,
        }
    }
}

/// The sequential reference cases had before references became random
/// (`domain::reference`). Old cases keep theirs; only the benchmark's bulk
/// seeding still makes them (it needs a million without collisions).
pub fn format_reference(host: &str, year: i32, number: i32) -> String {
    format!("{host}-{year}-{number:04}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_are_ordered_and_round_trip() {
        assert!(Visibility::Owner > Visibility::Detail && Visibility::Detail > Visibility::Summary);
        assert!(ShareLevel::Detail > ShareLevel::Summary);
        for c in CaseCategory::ALL {
            assert_eq!(CaseCategory::from_stored(c.as_str()), Some(*c));
        }
        assert_eq!(format_reference("PH", 2026, 7), "PH-2026-0007");
    }
}
