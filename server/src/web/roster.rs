//! *My roster*: the viewer's own places on trial rosters (as the API's
//! `myRoster`), each with a Release button, and the private calendar feed
//! of their confirmed hearings (issue, replace, revoke: the API's
//! `issueCalendarFeed` / `revokeCalendarFeed`). A new feed address is a
//! secret shown once, on the answer to the POST that made it — never put
//! in a redirect's URL, where history and logs would keep it.
use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::{get, post};

use super::Web;
use super::error::WebError;
use super::hearings::{When, href, place_of, when};
use super::page::{Flash, Nav, done, ok};
use super::session::SignedIn;
use crate::i18n::{current, t};
use crate::policy::offers as offer_policy;
use crate::service::{auth, calendar, handover, roster};

/// Confirmations of this area's changes.
pub const DONE: &[(&str, &str)] = &[
    ("feed-revoked", "roster-done-feed-revoked"),
    ("feed-none", "roster-done-feed-none"),
];

/// This area's routes.
pub fn routes() -> Router<Web> {
    Router::new()
        .route("/roster", get(my_roster))
        .route("/roster/feed", post(issue_feed))
        .route("/roster/feed/revoke", post(revoke_feed))
}

/// One of the viewer's claims.
struct RosterRow {
    /// The hearing's global id (the offer form's).
    id: String,
    href: String,
    court: String,
    city: String,
    when: When,
    place: String,
}

#[derive(Template)]
#[template(path = "roster.html")]
struct RosterPage {
    nav: Nav,
    rows: Vec<RosterRow>,
    own_zone: String,
    has_feed: bool,
    /// Colleagues a place may be offered to: (global id, name).
    colleagues: Vec<(String, String)>,
    /// Open offers the viewer made or was named in, then open ones to take.
    offers: Vec<OfferRow>,
}

/// An open offer of a roster place, as *My roster* lists it.
struct OfferRow {
    id: String,
    href: String,
    court: String,
    when: When,
    /// "You offered it to …", "Offered to you", "Open to anyone".
    about: String,
    mine: bool,
    to_me: bool,
}

/// `GET /roster`.
pub async fn my_roster(
    State(web): State<Web>,
    SignedIn(viewer): SignedIn,
    Flash(flash): Flash,
) -> Result<Response, WebError> {
    let state = &web.state;
    // Name, own zone and feed in one statement (the API has no feed field:
    // a page must cost no more statements than its query).
    let me = calendar::page_viewer(state, &viewer).await?;
    let own = me.timezone;
    let rows = roster::my_roster(state, &viewer)
        .await?
        .into_iter()
        .map(|(view, h)| {
            let m = h.model();
            RosterRow {
                id: crate::domain::ids::encode(crate::domain::ids::Kind::Hearing, m.id),
                href: href(m.id),
                court: m.court.clone(),
                city: m.city.clone(),
                when: when(m.starts_at, &m.timezone, own),
                place: place_of(&view),
            }
        })
        .collect();
    let colleagues: Vec<(String, String)> = handover::colleagues(state, &viewer)
        .await?
        .into_iter()
        .map(|u| {
            (
                crate::domain::ids::encode(crate::domain::ids::Kind::User, u.id),
                u.display_name,
            )
        })
        .collect();
    let name_of = |id: Option<uuid::Uuid>| {
        let gid = crate::domain::ids::encode(crate::domain::ids::Kind::User, id?);
        colleagues
            .iter()
            .find(|(g, _)| *g == gid)
            .map(|(_, n)| n.clone())
    };
    let mut offered = offer_policy::mine(&state.db, &viewer).await?;
    offered.extend(offer_policy::open_to_take(&state.db, &viewer).await?);
    let offers = offered
        .into_iter()
        .map(|(o, h)| {
            let (m, o) = (h.model(), o.model());
            let mine = o.offered_by == viewer.user_id;
            let to_me = o.offered_to == Some(viewer.user_id);
            let about = match (mine, to_me, o.offered_to) {
                (true, _, None) => t("roster-offered-to-anyone"),
                (true, _, to) => match name_of(to) {
                    Some(name) => current().text1("roster-offered-to", "name", name),
                    None => t("roster-offered-to-colleague"),
                },
                (_, true, _) => t("roster-offered-to-you"),
                _ => t("roster-open-to-anyone"),
            };
            OfferRow {
                id: crate::domain::ids::encode(crate::domain::ids::Kind::ClaimOffer, o.id),
                href: href(m.id),
                court: m.court.clone(),
                when: when(m.starts_at, &m.timezone, own),
                about,
                mine,
                to_me,
            }
        })
        .collect();
    Ok(ok(&RosterPage {
        nav: Nav::of(&viewer, &me.display_name, "/roster").with_flash(flash),
        rows,
        own_zone: own.name().to_owned(),
        has_feed: me.has_feed,
        colleagues,
        offers,
    }))
}

#[derive(Template)]
#[template(path = "roster_feed.html")]
struct FeedPage {
    nav: Nav,
    url: String,
}

/// `POST /roster/feed`: a new feed address (any earlier one stops working),
/// shown on this answer only.
pub async fn issue_feed(
    State(web): State<Web>,
    SignedIn(viewer): SignedIn,
) -> Result<Response, WebError> {
    let state = &web.state;
    let url = calendar::issue(state, &viewer).await?;
    let me = auth::current_user(state, &viewer).await?;
    Ok(ok(&FeedPage {
        nav: Nav::of(&viewer, &me.display_name, "/roster"),
        url,
    }))
}

/// `POST /roster/feed/revoke`.
pub async fn revoke_feed(
    State(web): State<Web>,
    SignedIn(viewer): SignedIn,
) -> Result<Response, WebError> {
    if calendar::revoke(&web.state, &viewer).await? {
        Ok(done("/roster", "feed-revoked"))
    } else {
        Ok(done("/roster", "feed-none"))
    }
}
