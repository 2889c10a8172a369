//! Hand-overs on *My roster*: offer a place (to a colleague of one's own
//! country, or openly), withdraw an offer, accept or decline one named to
//! the viewer, take an open one. As the API's `offerRosterClaim`,
//! `acceptClaimOffer`, `declineClaimOffer`, `withdrawClaimOffer`: forms
//! POST, then 303 back to the roster with a confirmation.
use axum::Router;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::post;
use serde::Deserialize;
use uuid::Uuid;

use super::Web;
use super::error::WebError;
use super::page::done;
use super::session::SignedIn;
use crate::domain::ids::{self, Kind};
use crate::error::AppError;
use crate::service::handover as service;

/// Confirmations of this area's changes.
pub const DONE: &[(&str, &str)] = &[
    ("offer-made", "roster-done-offer-made"),
    ("offer-accepted", "roster-done-offer-accepted"),
    ("offer-declined", "roster-done-offer-declined"),
    ("offer-withdrawn", "roster-done-offer-withdrawn"),
];

/// This area's routes.
pub fn routes() -> Router<Web> {
    Router::new()
        .route("/roster/offers", post(offer))
        .route("/roster/offers/{id}/{step}", post(step))
}

fn decode(kind: Kind, raw: &str) -> Result<Uuid, WebError> {
    ids::decode(kind, raw.trim()).ok_or_else(|| AppError::NotFound.into())
}

#[derive(Deserialize)]
pub struct OfferForm {
    hearing: String,
    /// A colleague's id; empty: open to anyone who may claim.
    #[serde(default)]
    to: String,
}

/// `POST /roster/offers`.
pub async fn offer(
    State(web): State<Web>,
    SignedIn(viewer): SignedIn,
    axum::Form(form): axum::Form<OfferForm>,
) -> Result<Response, WebError> {
    let hearing = decode(Kind::Hearing, &form.hearing)?;
    let to = match form.to.trim() {
        "" => None,
        id => Some(decode(Kind::User, id)?),
    };
    service::offer(&web.state, &viewer, hearing, to).await?;
    Ok(done("/roster", "offer-made"))
}

/// `POST /roster/offers/{id}/{accept|decline|withdraw}`.
pub async fn step(
    State(web): State<Web>,
    SignedIn(viewer): SignedIn,
    Path((raw, step)): Path<(String, String)>,
) -> Result<Response, WebError> {
    let id = decode(Kind::ClaimOffer, &raw)?;
    let state = &web.state;
    let what = match step.as_str() {
        "accept" => service::accept(state, &viewer, id)
            .await
            .map(|_| "offer-accepted"),
        "decline" => service::decline(state, &viewer, id)
            .await
            .map(|_| "offer-declined"),
        "withdraw" => service::withdraw(state, &viewer, id)
            .await
            .map(|_| "offer-withdrawn"),
        _ => Err(AppError::NotFound),
    }?;
    Ok(done("/roster", what))
}
