//! How a person proved who they are when a session was opened: shown in
//! their sessions list ("Chrome on Windows, password and authenticator
//! code") so a sign-in they did not make stands out.

use crate::domain::Role;

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

impl SignInMethod {
    /// Whether this proof is more than a password alone (a second factor,
    /// or the ministry's own identity provider, which owns its factors).
    pub fn is_strong(self) -> bool {
        !matches!(self, SignInMethod::Password)
    }
}

/// What a person whose password was right must still do before a session
/// opens.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SecondStep {
    /// Nothing: the password alone opens the session.
    None,
    /// Prove a second factor they have (a code, a recovery code, a key).
    Prove,
    /// A rule requires a second factor they do not have yet: enrol one, and
    /// the enrolment's confirmation signs them in.
    Enrol,
}

/// Whether a rule requires `role` to sign in with more than a password: their
/// mission's (`mission_requires`, every role of the mission) or the
/// platform's for staff (`platform_requires`: admins and operators).
pub fn second_factor_required(role: Role, mission_requires: bool, platform_requires: bool) -> bool {
    mission_requires || (platform_requires && matches!(role, Role::Admin | Role::Operator))
}

/// The second step a password sign-in needs: whoever has a factor uses it
/// (whatever the rules say); whoever must have one and has none enrols.
/// A sign-in that is strong on its own (single sign-on: the ministry's
/// provider owns its factors) meets the requirement without this step; see
/// `meets_requirement`.
pub fn second_factor_needed(
    role: Role,
    mission_requires: bool,
    platform_requires: bool,
    enrolled: bool,
) -> SecondStep {
    if enrolled {
        SecondStep::Prove
    } else if second_factor_required(role, mission_requires, platform_requires) {
        SecondStep::Enrol
    } else {
        SecondStep::None
    }
}

/// Whether a session opened with `method` meets a second-factor requirement.
pub fn meets_requirement(method: SignInMethod) -> bool {
    method.is_strong()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_platform_rule_binds_staff_and_the_mission_rule_everyone() {
        use SecondStep::*;
        // Nothing required, nothing enrolled: the password alone.
        for role in Role::ALL {
            assert_eq!(second_factor_needed(*role, false, false, false), None);
            // Enrolled: always used, whatever the rules.
            assert_eq!(second_factor_needed(*role, false, false, true), Prove);
            assert_eq!(second_factor_needed(*role, true, true, true), Prove);
            // The mission's rule binds every role of the mission.
            assert_eq!(second_factor_needed(*role, true, false, false), Enrol);
        }
        // The platform's rule: admins and operators only.
        assert_eq!(second_factor_needed(Role::Admin, false, true, false), Enrol);
        assert_eq!(
            second_factor_needed(Role::Operator, false, true, false),
            Enrol
        );
        for role in [Role::Diplomat, Role::Coordinator, Role::Liaison] {
            assert_eq!(second_factor_needed(role, false, true, false), None);
            assert!(!second_factor_required(role, false, true));
        }
        // Single sign-on and every second factor meet a requirement; a password alone does not.
        assert!(meets_requirement(SignInMethod::SingleSignOn));
        assert!(meets_requirement(SignInMethod::PasswordTotp));
        assert!(meets_requirement(SignInMethod::PasswordRecoveryCode));
        assert!(!meets_requirement(SignInMethod::Password));
    }

    #[test]
    fn every_method_round_trips_through_its_stored_name() {
        for m in SignInMethod::ALL {
            assert_eq!(SignInMethod::from_stored(m.as_str()), Some(*m));
        }
        assert!(!SignInMethod::Password.is_strong());
        assert!(SignInMethod::PasswordTotp.is_strong());
    }
}
