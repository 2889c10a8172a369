//! Fields that one request may ask for once, aliases included: `login` or
//! `refreshToken` (a password hash each), `Statement.diff` (CPU work) and
//! `Statement.exportMarkdown` (an audited export of the whole text). Their
//! cost is not a row, so the complexity count cannot bound them; one per
//! request does, before any work.
//!
//! `fresh` puts a new `Used` into every request (over HTTP, and every
//! operation over the WebSocket), from the schema's one extension (`admission.rs`). A subscription's events all share
//! their operation's data, so an object resolved for a live event carries a
//! `Used` of its own (`Statement::live`): one per event.
use std::sync::atomic::{AtomicBool, Ordering};

use async_graphql::{Context, Request};

use crate::error::AppError;
use crate::i18n::Msg;
use crate::msg;

/// What a request may do once.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scarce {
    /// `login`, `refreshToken` or `changePassword` (a password hash each).
    Credential,
    /// `Statement.diff`.
    Diff,
    /// `Statement.exportMarkdown`.
    Export,
}

impl Scarce {
    /// What a second one answers: `BAD_USER_INPUT` naming the field (not
    /// `RATE_LIMITED`: the same request sent again would be refused again,
    /// so there is nothing to wait for).
    fn refusal(self) -> Msg {
        match self {
            Scarce::Credential => msg!("input-once-credential"),
            Scarce::Diff => msg!("input-once-diff"),
            Scarce::Export => msg!("input-once-export"),
        }
    }
}

/// Which scarce fields a request (or a live event) has used.
#[derive(Default)]
pub struct Used {
    credential: AtomicBool,
    diff: AtomicBool,
    export: AtomicBool,
}

impl Used {
    /// Takes the one `what`, or refuses (`BAD_USER_INPUT`, field `field`).
    pub fn claim(&self, what: Scarce, field: &str) -> Result<(), AppError> {
        let flag = match what {
            Scarce::Credential => &self.credential,
            Scarce::Diff => &self.diff,
            Scarce::Export => &self.export,
        };
        if flag.swap(true, Ordering::SeqCst) {
            return Err(AppError::bad_input(field, what.refusal()));
        }
        Ok(())
    }
}

/// Takes the request's one `what`, or refuses before any work.
pub fn claim(ctx: &Context<'_>, what: Scarce, field: &str) -> Result<(), AppError> {
    let Some(used) = ctx.data_opt::<Used>() else {
        // Fails closed if the schema was built without the extension.
        return Err(AppError::internal("once::fresh was not applied"));
    };
    used.claim(what, field)
}

/// `request` with a fresh `Used`: nothing scarce used yet.
pub fn fresh(request: Request) -> Request {
    request.data(Used::default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_scarce_field_once() {
        let used = Used::default();
        assert!(used.claim(Scarce::Diff, "diff").is_ok());
        assert!(used.claim(Scarce::Export, "exportMarkdown").is_ok());
        assert!(used.claim(Scarce::Credential, "login").is_ok());
        let again = used.claim(Scarce::Diff, "diff").expect_err("second");
        assert_eq!(again.code(), "BAD_USER_INPUT");
        assert!(again.to_string().contains("only one diff"), "{again}");
        assert!(used.claim(Scarce::Credential, "refreshToken").is_err());
    }
}
