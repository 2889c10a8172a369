//! Single sign-on with a mission's OpenID Connect provider: its admin
//! registers the ministry's issuer (discovery fetched and checked then), its
//! people sign in there with the authorization code flow (PKCE, `state` and
//! `nonce` kept server-side, single use, ten minutes) and are matched to an
//! existing account of THAT mission by the claim the admin chose. Nothing is
//! created from the provider's say-so: no account, no role.
//!
//! The one HTTP client that talks to a provider (`Fetcher`) follows no
//! redirect (a 3xx is an error), has short timeouts and a size cap, and
//! reaches only the configured issuer's origin: a discovery document that
//! points its keys or token endpoint elsewhere is refused before anything is
//! sent there.
//!
//! A session opened here carries no member key: it cannot open sealed
//! identities (there is no password to unwrap the key with).
use std::time::Duration as StdDuration;

use chrono::{Duration, Utc};
use openidconnect::core::{
    CoreAuthenticationFlow, CoreClient, CoreJwsSigningAlgorithm, CoreProviderMetadata,
};
use openidconnect::url::{Origin, Url};
use openidconnect::{
    AuthorizationCode, ClientId, ClientSecret, CsrfToken, DiscoveryError, HttpRequest,
    HttpResponse, IssuerUrl, Nonce, PkceCodeChallenge, PkceCodeVerifier, RedirectUrl, Scope,
    TokenResponse,
};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    TransactionTrait,
};
use subtle::ConstantTimeEq;
use uuid::Uuid;

use crate::audit::{self, Action, Actor, Event, ObjectType};
use crate::auth::Viewer;
use crate::auth::token::{hash_refresh_token, new_refresh_token};
use crate::config::Config;
use crate::domain::{CountryCode, MatchClaim, Role, SignInMethod};
use crate::error::{AppError, AppResult};
use crate::msg;
use crate::service::auth::{WebSession, open_web_session};
use crate::state::AppState;
use crate::store::{mission, single_sign_on, sso_flow, sso_subject, user};

/// How long a sign-in may take at the provider.
pub const FLOW_MINUTES: i64 = 10;
/// The largest answer a provider may send (discovery, keys, tokens).
pub const MAX_RESPONSE_BYTES: usize = 256 * 1024;
const TIMEOUT: StdDuration = StdDuration::from_secs(5);
const CONNECT_TIMEOUT: StdDuration = StdDuration::from_secs(3);

/// Why talking to a provider failed (never with a token in it).
#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    #[error("the provider pointed to another origin than its issuer's")]
    OtherOrigin,
    #[error("the provider answered with a redirect")]
    Redirect,
    #[error("the provider's answer is too large")]
    TooLarge,
    #[error("the provider cannot be reached: {0}")]
    Transport(String),
}

/// The only client that talks to a provider: one origin, no redirects,
/// short timeouts, a size cap.
#[derive(Clone)]
pub struct Fetcher {
    client: reqwest::Client,
    origin: Origin,
}

impl Fetcher {
    pub fn for_issuer(issuer: &Url) -> AppResult<Fetcher> {
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(TIMEOUT)
            .connect_timeout(CONNECT_TIMEOUT)
            .build()
            .map_err(AppError::internal)?;
        Ok(Fetcher {
            client,
            origin: issuer.origin(),
        })
    }

    /// Whether `url` is on the issuer's origin.
    pub fn reaches(&self, url: &Url) -> bool {
        url.origin() == self.origin
    }

    /// As the `openidconnect` client wants it: a closure whose futures own
    /// what they use.
    pub fn client(
        &self,
    ) -> impl Fn(
        HttpRequest,
    ) -> futures::future::BoxFuture<'static, Result<HttpResponse, FetchError>>
    + use<> {
        let fetcher = self.clone();
        move |request| {
            let fetcher = fetcher.clone();
            Box::pin(async move { fetcher.call(request).await })
        }
    }

    pub async fn call(&self, request: HttpRequest) -> Result<HttpResponse, FetchError> {
        let url = Url::parse(&request.uri().to_string())
            .map_err(|e| FetchError::Transport(e.to_string()))?;
        if !self.reaches(&url) {
            return Err(FetchError::OtherOrigin);
        }
        let (parts, body) = request.into_parts();
        let mut response = self
            .client
            .request(parts.method, url)
            .headers(parts.headers)
            .body(body)
            .send()
            .await
            .map_err(|e| FetchError::Transport(e.without_url().to_string()))?;
        if response.status().is_redirection() {
            return Err(FetchError::Redirect);
        }
        if response
            .content_length()
            .is_some_and(|n| n > MAX_RESPONSE_BYTES as u64)
        {
            return Err(FetchError::TooLarge);
        }
        let mut body = Vec::new();
        while let Some(chunk) = response
            .chunk()
            .await
            .map_err(|e| FetchError::Transport(e.without_url().to_string()))?
        {
            if body.len() + chunk.len() > MAX_RESPONSE_BYTES {
                return Err(FetchError::TooLarge);
            }
            body.extend_from_slice(&chunk);
        }
        let mut built = openidconnect::http::Response::builder().status(response.status());
        if let Some(headers) = built.headers_mut() {
            *headers = response.headers().clone();
        }
        built
            .body(body)
            .map_err(|e| FetchError::Transport(e.to_string()))
    }
}

/// Whether an issuer URL may be registered: https, or plain http to a
/// loopback host in development only (a test provider on this machine).
pub fn issuer_allowed(config: &Config, issuer: &Url) -> bool {
    let clean = issuer.username().is_empty()
        && issuer.password().is_none()
        && issuer.query().is_none()
        && issuer.fragment().is_none()
        && issuer.host_str().is_some();
    clean
        && match issuer.scheme() {
            "https" => true,
            "http" => config.allows_plain_http_issuer(issuer.host_str().unwrap_or_default()),
            _ => false,
        }
}

/// Why a discovery failed, as the admin is told (field `issuer`).
fn discovery_refusal(err: &DiscoveryError<FetchError>) -> AppError {
    let reason = match err {
        DiscoveryError::Validation(_) => msg!("sso-issuer-mismatch"),
        DiscoveryError::Request(FetchError::OtherOrigin | FetchError::Redirect) => {
            msg!("sso-issuer-leaves-origin")
        }
        _ => msg!("sso-issuer-unreachable"),
    };
    AppError::bad_input("issuer", reason)
}

/// Fetches and checks the provider's discovery document and keys.
async fn discover(fetcher: &Fetcher, issuer: &str) -> Result<CoreProviderMetadata, AppError> {
    let issuer_url = IssuerUrl::new(issuer.to_owned())
        .map_err(|_| AppError::bad_input("issuer", msg!("sso-issuer-not-allowed")))?;
    let http = fetcher.client();
    let metadata = CoreProviderMetadata::discover_async(issuer_url, &http)
        .await
        .map_err(|e| {
            tracing::info!(error = %e, "single sign-on discovery refused");
            discovery_refusal(&e)
        })?;
    let token_ok = metadata
        .token_endpoint()
        .is_some_and(|t| fetcher.reaches(t.url()));
    if !token_ok || !fetcher.reaches(metadata.jwks_uri().url()) {
        return Err(AppError::bad_input(
            "issuer",
            msg!("sso-issuer-leaves-origin"),
        ));
    }
    Ok(metadata)
}

/// What the admin registers.
pub struct Registration {
    pub issuer: String,
    pub client_id: String,
    /// Required the first time; `None` later keeps the one stored.
    pub client_secret: Option<String>,
    pub match_claim: MatchClaim,
    pub sso_only: bool,
}

/// The mission the viewer administers, or FORBIDDEN.
fn admin_mission(viewer: &Viewer) -> AppResult<Uuid> {
    match (viewer.role, viewer.mission_id) {
        (Role::Admin, Some(mission)) => Ok(mission),
        _ => Err(AppError::Forbidden),
    }
}

fn secret_context(mission_id: Uuid) -> String {
    format!("sso-client-secret:{mission_id}")
}

fn flow_context(flow_id: Uuid) -> String {
    format!("sso-pkce:{flow_id}")
}

async fn mission_country(
    db: &impl ConnectionTrait,
    mission_id: Uuid,
) -> AppResult<Option<CountryCode>> {
    Ok(mission::Entity::find_by_id(mission_id)
        .one(db)
        .await?
        .map(|m| CountryCode::from_stored(&m.country)))
}

/// The registration of `mission_id`, for its admin only.
pub async fn registration(
    state: &AppState,
    viewer: &Viewer,
    mission_id: Uuid,
) -> AppResult<Option<single_sign_on::Model>> {
    if admin_mission(viewer)? != mission_id {
        return Err(AppError::Forbidden);
    }
    Ok(single_sign_on::Entity::find_by_id(mission_id)
        .one(&state.db)
        .await?)
}

/// The start URL the admin hands out.
pub fn sign_in_url(config: &Config, row: &single_sign_on::Model) -> String {
    format!(
        "{}/sign-in/sso/{}",
        config.public_url.trim_end_matches('/'),
        row.public_id
    )
}

/// The redirect URI every provider is registered with.
pub fn redirect_uri(config: &Config) -> String {
    format!(
        "{}/sign-in/sso/callback",
        config.public_url.trim_end_matches('/')
    )
}

/// Registers (or changes) the viewer's mission's provider, after fetching
/// and checking its discovery document. Refusals: FORBIDDEN for anyone but
/// the mission's admin; BAD_USER_INPUT for an issuer that is not allowed,
/// does not answer, names another issuer or points elsewhere, a blank or
/// too long client id, a missing or too long secret.
pub async fn configure(
    state: &AppState,
    viewer: &Viewer,
    input: Registration,
) -> AppResult<single_sign_on::Model> {
    let mission_id = admin_mission(viewer)?;
    let issuer = input.issuer.trim().to_owned();
    if issuer.is_empty() || issuer.len() > 512 {
        return Err(AppError::bad_input(
            "issuer",
            msg!("sso-issuer-not-allowed"),
        ));
    }
    let issuer_url = Url::parse(&issuer)
        .ok()
        .filter(|u| issuer_allowed(&state.config, u))
        .ok_or_else(|| AppError::bad_input("issuer", msg!("sso-issuer-not-allowed")))?;
    let client_id = input.client_id.trim().to_owned();
    if client_id.is_empty() {
        return Err(AppError::bad_input(
            "clientId",
            msg!("input-must-not-be-empty"),
        ));
    }
    if client_id.len() > 255 {
        return Err(AppError::bad_input(
            "clientId",
            msg!("input-too-long", max = 255),
        ));
    }
    if let Some(secret) = &input.client_secret
        && (secret.is_empty() || secret.len() > 1024)
    {
        return Err(AppError::bad_input(
            "clientSecret",
            msg!("input-too-long", max = 1024),
        ));
    }
    let existing = single_sign_on::Entity::find_by_id(mission_id)
        .one(&state.db)
        .await?;
    let sealed = match (&input.client_secret, &existing) {
        (Some(secret), _) => state
            .keys_identity
            .seal(&secret_context(mission_id), secret)?,
        (None, Some(row)) => row.client_secret_sealed.clone(),
        (None, None) => {
            return Err(AppError::bad_input(
                "clientSecret",
                msg!("input-must-not-be-empty"),
            ));
        }
    };
    let fetcher = Fetcher::for_issuer(&issuer_url)?;
    discover(&fetcher, &issuer).await?;

    let now = Utc::now();
    let txn = state.db.begin().await?;
    let row = match existing {
        Some(row) => {
            let mut active: single_sign_on::ActiveModel = row.into();
            active.issuer = Set(issuer.clone());
            active.client_id = Set(client_id);
            active.client_secret_sealed = Set(sealed);
            active.match_claim = Set(input.match_claim.as_str().to_owned());
            active.sso_only = Set(input.sso_only);
            active.updated_at = Set(now);
            active.update(&txn).await?
        }
        None => {
            let (public_id, _) = new_refresh_token();
            single_sign_on::ActiveModel {
                mission_id: Set(mission_id),
                public_id: Set(public_id),
                issuer: Set(issuer.clone()),
                client_id: Set(client_id),
                client_secret_sealed: Set(sealed),
                match_claim: Set(input.match_claim.as_str().to_owned()),
                sso_only: Set(input.sso_only),
                created_at: Set(now),
                updated_at: Set(now),
            }
            .insert(&txn)
            .await?
        }
    };
    let country = mission_country(&txn, mission_id).await?;
    audit::append(
        &txn,
        Event::new(viewer, Action::SsoConfigured, ObjectType::Mission)
            .object(mission_id, country)
            .detail(format!(
                "issuer={issuer} match={} ssoOnly={}",
                input.match_claim.as_str(),
                input.sso_only
            )),
    )
    .await?;
    txn.commit().await?;
    Ok(row)
}

/// Removes the viewer's mission's provider (its sign-ins under way end
/// with it). Returns whether there was one.
pub async fn remove(state: &AppState, viewer: &Viewer) -> AppResult<bool> {
    let mission_id = admin_mission(viewer)?;
    let txn = state.db.begin().await?;
    let removed = single_sign_on::Entity::delete_by_id(mission_id)
        .exec(&txn)
        .await?
        .rows_affected
        > 0;
    if removed {
        sso_flow::Entity::delete_many()
            .filter(sso_flow::Column::MissionId.eq(mission_id))
            .exec(&txn)
            .await?;
        let country = mission_country(&txn, mission_id).await?;
        audit::append(
            &txn,
            Event::new(viewer, Action::SsoRemoved, ObjectType::Mission).object(mission_id, country),
        )
        .await?;
    }
    txn.commit().await?;
    Ok(removed)
}

/// Records (or with `None` clears) the subject a person of the admin's
/// mission is known by at the provider. NOT_FOUND for anyone outside it;
/// a subject another person of the mission has is BAD_USER_INPUT.
pub async fn set_subject(
    state: &AppState,
    viewer: &Viewer,
    user_id: Uuid,
    subject: Option<String>,
) -> AppResult<()> {
    let mission_id = admin_mission(viewer)?;
    let person = user::Entity::find_by_id(user_id)
        .one(&state.db)
        .await?
        .filter(|u| u.mission_id == Some(mission_id))
        .ok_or(AppError::NotFound)?;
    let subject = subject.map(|s| s.trim().to_owned());
    if let Some(s) = &subject {
        if s.is_empty() {
            return Err(AppError::bad_input(
                "subject",
                msg!("input-must-not-be-empty"),
            ));
        }
        if s.len() > 255 {
            return Err(AppError::bad_input(
                "subject",
                msg!("input-too-long", max = 255),
            ));
        }
    }
    let txn = state.db.begin().await?;
    sso_subject::Entity::delete_by_id(person.id)
        .exec(&txn)
        .await?;
    if let Some(s) = &subject {
        sso_subject::ActiveModel {
            user_id: Set(person.id),
            mission_id: Set(mission_id),
            subject: Set(s.clone()),
            created_at: Set(Utc::now()),
        }
        .insert(&txn)
        .await
        .map_err(|e| {
            AppError::unique_or(
                e,
                AppError::bad_input("subject", msg!("input-is-already-in-use")),
            )
        })?;
    }
    let country = mission_country(&txn, mission_id).await?;
    audit::append(
        &txn,
        Event::new(viewer, Action::SsoSubjectSet, ObjectType::User).object(person.id, country),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Whether password sign-in is refused for people of `mission_id`.
pub async fn sso_only(db: &impl ConnectionTrait, mission_id: Option<Uuid>) -> AppResult<bool> {
    let Some(mission_id) = mission_id else {
        return Ok(false);
    };
    Ok(single_sign_on::Entity::find_by_id(mission_id)
        .one(db)
        .await?
        .is_some_and(|r| r.sso_only))
}

/// A sign-in started: where to send the browser, and the secret its flow
/// cookie keeps (the callback must come back to this browser).
pub struct Started {
    pub authorize_url: String,
    pub browser_secret: String,
}

fn client_for(
    state: &AppState,
    row: &single_sign_on::Model,
    metadata: CoreProviderMetadata,
) -> AppResult<
    CoreClient<
        openidconnect::EndpointSet,
        openidconnect::EndpointNotSet,
        openidconnect::EndpointNotSet,
        openidconnect::EndpointNotSet,
        openidconnect::EndpointMaybeSet,
        openidconnect::EndpointMaybeSet,
    >,
> {
    let secret = state
        .keys_identity
        .open(&secret_context(row.mission_id), &row.client_secret_sealed)?;
    let redirect = RedirectUrl::new(redirect_uri(&state.config)).map_err(AppError::internal)?;
    Ok(CoreClient::from_provider_metadata(
        metadata,
        ClientId::new(row.client_id.clone()),
        Some(ClientSecret::new(secret)),
    )
    .set_redirect_uri(redirect))
}

/// The registration whose start URL holds `public_id` (a link anyone may
/// hold: it names no mission to the page that shows it).
async fn by_start_link(
    db: &impl ConnectionTrait,
    public_id: &str,
) -> AppResult<Option<single_sign_on::Model>> {
    Ok(single_sign_on::Entity::find()
        .filter(single_sign_on::Column::PublicId.eq(public_id))
        .one(db)
        .await?)
}

/// Whether `public_id` is some mission's start link (the start page shows
/// its button, else the plain refusal).
pub async fn start_link_exists(state: &AppState, public_id: &str) -> AppResult<bool> {
    Ok(by_start_link(&state.db, public_id).await?.is_some())
}

/// Starts a sign-in at the provider of the mission whose start URL holds
/// `public_id`. NOT_FOUND for an unknown id; a provider that cannot be
/// reached is refused as a failed sign-in.
pub async fn start(state: &AppState, public_id: &str) -> Result<Started, Failure> {
    let row = by_start_link(&state.db, public_id)
        .await
        .map_err(Failure::Outage)?
        .ok_or(Failure::UnknownStart)?;
    let issuer = Url::parse(&row.issuer).map_err(|_| Failure::Provider)?;
    let fetcher = Fetcher::for_issuer(&issuer).map_err(Failure::Outage)?;
    let metadata = discover(&fetcher, &row.issuer)
        .await
        .map_err(|_| Failure::Provider)?;
    let client = client_for(state, &row, metadata).map_err(Failure::Outage)?;
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let (url, csrf, nonce) = client
        .authorize_url(
            CoreAuthenticationFlow::AuthorizationCode,
            CsrfToken::new_random,
            Nonce::new_random,
        )
        .add_scope(Scope::new("email".to_owned()))
        .set_pkce_challenge(challenge)
        .url();
    let (browser_secret, browser_hash) = new_refresh_token();
    let now = state.clock.now();
    let id = crate::domain::ids::new_id();
    let sealed = state
        .keys_identity
        .seal(&flow_context(id), verifier.secret())
        .map_err(Failure::Outage)?;
    sso_flow::ActiveModel {
        id: Set(id),
        mission_id: Set(row.mission_id),
        state_hash: Set(hash_refresh_token(csrf.secret())),
        browser_hash: Set(browser_hash),
        nonce: Set(nonce.secret().clone()),
        pkce_verifier_sealed: Set(sealed),
        created_at: Set(now),
        expires_at: Set(now + Duration::minutes(FLOW_MINUTES)),
        used_at: Set(None),
    }
    .insert(&state.db)
    .await
    .map_err(|e| Failure::Outage(e.into()))?;
    // Flows nobody finished are not kept past their hour.
    let _ = sso_flow::Entity::delete_many()
        .filter(sso_flow::Column::ExpiresAt.lt(now - Duration::hours(1)))
        .exec(&state.db)
        .await;
    Ok(Started {
        authorize_url: url.to_string(),
        browser_secret,
    })
}

/// Why a single sign-on was refused: the audit's detail (a kind, never a
/// token). The person is told only that it failed.
#[derive(Debug)]
pub enum Failure {
    UnknownStart,
    UnknownState,
    Replayed,
    Expired,
    OtherBrowser,
    ProviderSaidNo,
    Provider,
    Exchange,
    NoIdToken,
    IdToken(&'static str),
    NoAccount,
    Outage(AppError),
}

impl Failure {
    pub fn kind(&self) -> &'static str {
        match self {
            Failure::UnknownStart => "UNKNOWN_START",
            Failure::UnknownState => "UNKNOWN_STATE",
            Failure::Replayed => "REPLAYED_STATE",
            Failure::Expired => "EXPIRED_STATE",
            Failure::OtherBrowser => "OTHER_BROWSER",
            Failure::ProviderSaidNo => "PROVIDER_ERROR",
            Failure::Provider => "PROVIDER_UNREACHABLE",
            Failure::Exchange => "CODE_EXCHANGE_FAILED",
            Failure::NoIdToken => "NO_ID_TOKEN",
            Failure::IdToken(kind) => kind,
            Failure::NoAccount => "NO_MATCHING_ACCOUNT",
            Failure::Outage(_) => "INTERNAL",
        }
    }
}

/// What the provider sent back to the callback.
pub struct Callback<'a> {
    pub state: Option<&'a str>,
    pub code: Option<&'a str>,
    pub error: Option<&'a str>,
    /// The flow cookie's secret, if the browser sent one.
    pub browser_secret: Option<&'a str>,
    pub browser: &'a str,
}

/// Finishes a sign-in: takes the flow (once), exchanges the code, checks the
/// ID token and opens a web session for the one active account of the
/// flow's mission that the chosen claim names. Every refusal is audited
/// (`SSO_SIGN_IN_FAILED`, detail = its kind).
pub async fn finish(state: &AppState, callback: Callback<'_>) -> Result<WebSession, Failure> {
    let mut mission_id = None;
    let result = finish_inner(state, &callback, &mut mission_id).await;
    if let Err(failure) = &result {
        tracing::info!(reason = failure.kind(), "single sign-on refused");
        let country = match mission_id {
            Some(m) => mission_country(&state.db, m).await.ok().flatten(),
            None => None,
        };
        let mut event = Event::new(Actor::SYSTEM, Action::SsoSignInFailed, ObjectType::Mission)
            .detail(failure.kind());
        if let Some(m) = mission_id {
            event = event.object(m, country);
        }
        if let Err(err) = audit::append(&state.db, event).await {
            return Err(Failure::Outage(err));
        }
    }
    result
}

async fn finish_inner(
    state: &AppState,
    callback: &Callback<'_>,
    mission_out: &mut Option<Uuid>,
) -> Result<WebSession, Failure> {
    let outage = |e: sea_orm::DbErr| Failure::Outage(e.into());
    let presented = callback
        .state
        .filter(|s| !s.is_empty() && s.len() <= 512)
        .ok_or(Failure::UnknownState)?;
    let flow = sso_flow::Entity::find()
        .filter(sso_flow::Column::StateHash.eq(hash_refresh_token(presented)))
        .one(&state.db)
        .await
        .map_err(outage)?
        .ok_or(Failure::UnknownState)?;
    *mission_out = Some(flow.mission_id);
    let now = state.clock.now();
    // Single use: the first callback takes it, whatever happens next.
    let taken = sso_flow::Entity::update_many()
        .col_expr(sso_flow::Column::UsedAt, Expr::value(now))
        .filter(sso_flow::Column::Id.eq(flow.id))
        .filter(sso_flow::Column::UsedAt.is_null())
        .exec(&state.db)
        .await
        .map_err(outage)?
        .rows_affected;
    if taken != 1 {
        return Err(Failure::Replayed);
    }
    if flow.expires_at <= now {
        return Err(Failure::Expired);
    }
    let same_browser = callback.browser_secret.is_some_and(|secret| {
        hash_refresh_token(secret)
            .as_bytes()
            .ct_eq(flow.browser_hash.as_bytes())
            .into()
    });
    if !same_browser {
        return Err(Failure::OtherBrowser);
    }
    if callback.error.is_some() {
        return Err(Failure::ProviderSaidNo);
    }
    let code = callback
        .code
        .filter(|c| !c.is_empty() && c.len() <= 2048)
        .ok_or(Failure::ProviderSaidNo)?;
    let row = single_sign_on::Entity::find_by_id(flow.mission_id)
        .one(&state.db)
        .await
        .map_err(outage)?
        .ok_or(Failure::UnknownState)?;
    let issuer = Url::parse(&row.issuer).map_err(|_| Failure::Provider)?;
    let fetcher = Fetcher::for_issuer(&issuer).map_err(Failure::Outage)?;
    let metadata = discover(&fetcher, &row.issuer)
        .await
        .map_err(|_| Failure::Provider)?;
    let client = client_for(state, &row, metadata).map_err(Failure::Outage)?;
    let verifier = state
        .keys_identity
        .open(&flow_context(flow.id), &flow.pkce_verifier_sealed)
        .map_err(Failure::Outage)?;
    let http = fetcher.client();
    let tokens = client
        .exchange_code(AuthorizationCode::new(code.to_owned()))
        .map_err(|_| Failure::Provider)?
        .set_pkce_verifier(PkceCodeVerifier::new(verifier))
        .request_async(&http)
        .await
        .map_err(|e| {
            tracing::info!(error = %e, "single sign-on code exchange failed");
            Failure::Exchange
        })?;
    let id_token = tokens.id_token().ok_or(Failure::NoIdToken)?;
    let verifier = client.id_token_verifier().set_allowed_algs([
        CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha256,
        CoreJwsSigningAlgorithm::RsaSsaPssSha256,
        CoreJwsSigningAlgorithm::EcdsaP256Sha256,
        CoreJwsSigningAlgorithm::EdDsa,
    ]);
    let claims = id_token
        .claims(&verifier, &Nonce::new(flow.nonce.clone()))
        .map_err(|e| {
            use openidconnect::ClaimsVerificationError as C;
            Failure::IdToken(match e {
                C::Expired(_) => "ID_TOKEN_EXPIRED",
                C::InvalidAudience(_) => "ID_TOKEN_WRONG_AUDIENCE",
                C::InvalidIssuer(_) => "ID_TOKEN_WRONG_ISSUER",
                C::InvalidNonce(_) => "ID_TOKEN_WRONG_NONCE",
                C::SignatureVerification(_) => "ID_TOKEN_BAD_SIGNATURE",
                _ => "ID_TOKEN_INVALID",
            })
        })?;
    let match_claim = MatchClaim::from_stored(&row.match_claim).ok_or(Failure::NoAccount)?;
    let person = match match_claim {
        MatchClaim::Email => {
            let verified = claims.email_verified() == Some(true);
            let email = claims
                .email()
                .filter(|_| verified)
                .map(|e| e.as_str().trim().to_lowercase())
                .ok_or(Failure::NoAccount)?;
            user::Entity::find()
                .filter(user::Column::Email.eq(email))
                .filter(user::Column::MissionId.eq(flow.mission_id))
                .filter(user::Column::Active.eq(true))
                .one(&state.db)
                .await
                .map_err(outage)?
        }
        MatchClaim::Subject => {
            let subject = claims.subject().as_str();
            let found = sso_subject::Entity::find()
                .filter(sso_subject::Column::MissionId.eq(flow.mission_id))
                .filter(sso_subject::Column::Subject.eq(subject))
                .one(&state.db)
                .await
                .map_err(outage)?;
            match found {
                Some(s) => user::Entity::find_by_id(s.user_id)
                    .filter(user::Column::MissionId.eq(flow.mission_id))
                    .filter(user::Column::Active.eq(true))
                    .one(&state.db)
                    .await
                    .map_err(outage)?,
                None => None,
            }
        }
    };
    let person = person.ok_or(Failure::NoAccount)?;
    let opened = async {
        let txn = state.db.begin().await?;
        let session = open_web_session(
            state,
            &txn,
            &person,
            callback.browser,
            SignInMethod::SingleSignOn,
            None,
        )
        .await?;
        let country = mission_country(&txn, flow.mission_id).await?;
        audit::append(
            &txn,
            Event::new(
                Actor {
                    user_id: Some(person.id),
                    country,
                },
                Action::SsoSignInSucceeded,
                ObjectType::User,
            )
            .object(person.id, country),
        )
        .await?;
        txn.commit().await?;
        AppResult::Ok(session)
    }
    .await;
    opened.map_err(Failure::Outage)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Mode;

    fn allowed(mode: Mode, issuer: &str) -> bool {
        let config = Config {
            mode,
            ..Config::default()
        };
        Url::parse(issuer).is_ok_and(|u| issuer_allowed(&config, &u))
    }

    #[test]
    fn plain_http_issuers_only_on_this_machine_in_development() {
        for ok in [
            "https://login.ministry.example",
            "https://login.ministry.example/realms/mfa",
            "http://127.0.0.1:4444",
            "http://localhost:4444",
            "http://[::1]:4444",
        ] {
            assert!(allowed(Mode::Development, ok), "{ok}");
        }
        for refused in [
            "http://login.ministry.example",
            "http://10.0.0.1",
            "ftp://127.0.0.1",
            "https://user:pw@login.ministry.example",
            "https://login.ministry.example/?tenant=1",
            "https://login.ministry.example/#x",
        ] {
            assert!(!allowed(Mode::Development, refused), "{refused}");
        }
        assert!(allowed(Mode::Production, "https://login.ministry.example"));
        for refused in ["http://127.0.0.1:4444", "http://localhost:4444"] {
            assert!(!allowed(Mode::Production, refused), "{refused}");
        }
    }

    #[test]
    fn failure_kinds_name_no_secret() {
        assert_eq!(Failure::Replayed.kind(), "REPLAYED_STATE");
        assert_eq!(
            Failure::IdToken("ID_TOKEN_WRONG_AUDIENCE").kind(),
            "ID_TOKEN_WRONG_AUDIENCE"
        );
        assert_eq!(Failure::NoAccount.kind(), "NO_MATCHING_ACCOUNT");
    }
}
