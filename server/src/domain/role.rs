use std::fmt;
use std::str::FromStr;

stored_enum!(
    /// What a user may do; see README.md "Roles".
    Role {
        Diplomat = "DIPLOMAT",
        Coordinator = "COORDINATOR",
        Liaison = "LIAISON",
        Admin = "ADMIN",
        Operator = "OPERATOR",
    }
);

/// Where a user belongs, which follows from their role.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Affiliation {
    Mission,
    Organization,
    Platform,
}

impl Role {
    /// Diplomats, coordinators and admins sit in a mission; liaisons in an
    /// organization; the operator in neither.
    pub fn affiliation(self) -> Affiliation {
        match self {
            Role::Diplomat | Role::Coordinator | Role::Admin => Affiliation::Mission,
            Role::Liaison => Affiliation::Organization,
            Role::Operator => Affiliation::Platform,
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Role {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, ()> {
        Role::from_stored(s).ok_or(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_through_text() {
        for &role in Role::ALL {
            assert_eq!(role.as_str().parse::<Role>(), Ok(role));
        }
        assert!("admin".parse::<Role>().is_err());
    }
}
