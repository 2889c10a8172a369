//! How a person proved who they are when a session was opened: shown in
//! their sessions list ("Chrome on Windows, password and authenticator
//! code") so a sign-in they did not make stands out.

stored_enum!(
    /// The proof a session was opened with; stored in `sessions.method`
    /// (the database checks the set).
    SignInMethod {
        Password = "PASSWORD",
        PasswordTotp = "PASSWORD_TOTP",
        PasswordRecoveryCode = "PASSWORD_RECOVERY_CODE",
        PasswordSecurityKey = "PASSWORD_SECURITY_KEY",
        SingleSignOn = "SSO",
    }
);

stored_enum!(
    /// What ties a person signed in at their mission's provider to their
    /// Accord account: `Email`, the provider's `email` claim with
    /// `email_verified = true` equal to the account's email; `Subject`, the
    /// provider's `sub` equal to the one the mission's admin recorded for
    /// the account. Stored in `single_sign_on.match_claim`.
    MatchClaim {
        Email = "EMAIL",
        Subject = "SUBJECT",
    }
);

impl SignInMethod {
    /// Whether this proof is more than a password alone (a second factor,
    /// or the ministry's own identity provider, which owns its factors).
    pub fn is_strong(self) -> bool {
        !matches!(self, SignInMethod::Password)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_method_round_trips_through_its_stored_name() {
        for m in SignInMethod::ALL {
            assert_eq!(SignInMethod::from_stored(m.as_str()), Some(*m));
        }
        assert!(!SignInMethod::Password.is_strong());
        assert!(SignInMethod::PasswordTotp.is_strong());
    }
}
