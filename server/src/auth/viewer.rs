use uuid::Uuid;

use crate::crypto::sealed::UnlockSecret;
use crate::domain::{CountryCode, Role};

/// The authenticated user behind a request, as loaded from the database on
/// every request (so deactivation and logout take effect at once).
#[derive(Clone, Debug)]
pub struct Viewer {
    pub user_id: Uuid,
    pub session_id: Uuid,
    pub role: Role,
    /// The country of the user's mission; `None` for liaisons and the operator.
    pub country: Option<CountryCode>,
    pub mission_id: Option<Uuid>,
    pub organization_id: Option<Uuid>,
    /// The secret only the client holds (in its token, or derived from its
    /// cookie) that opens the member key its session keeps: `None` for a
    /// session that cannot open identities.
    pub unlock: Option<UnlockSecret>,
}
