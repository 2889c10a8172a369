//! Abuse limits before GraphQL runs: request rates per client address and
//! per user (`RATE_LIMITED`, with `retryAfterSeconds` and `Retry-After`), and
//! the places to execute (`ACCORD_MAX_EXECUTING_REQUESTS`), which a request
//! takes only once its small body has been read. Invariant: a refused request
//! costs no GraphQL execution; a waiting one holds no place.
use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::{Arc, Weak};
use std::time::Duration;

use axum::extract::State;
use axum::http::{HeaderValue, Request, StatusCode, header};
use axum::response::Response;
use governor::clock::Clock;
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use serde_json::json;

use super::refusal::{error_response, refusal};
use crate::error::AppError;
use crate::metrics::{Counted, Live};
use crate::msg;

/// Request rates, in this process only (each replica limits on its own).
/// Keyed by user id and by client address; a quota holds a minute's
/// allowance, which may be spent at once and refills evenly.
pub(super) struct RateLimits {
    per_user: DefaultKeyedRateLimiter<uuid::Uuid>,
    per_address: DefaultKeyedRateLimiter<IpAddr>,
}

/// How often keys whose allowance is full again are forgotten, so that the
/// limiters' memory follows the clients of the last minute or so.
const RATE_STATE_SWEEP: Duration = Duration::from_secs(60);

impl RateLimits {
    pub(super) fn new(per_user_per_minute: u32, per_address_per_minute: u32) -> Self {
        let quota = |n: u32| Quota::per_minute(NonZeroU32::new(n).unwrap_or(NonZeroU32::MIN));
        Self {
            per_user: RateLimiter::keyed(quota(per_user_per_minute)),
            per_address: RateLimiter::keyed(quota(per_address_per_minute)),
        }
    }

    /// Forgets idle keys every `RATE_STATE_SWEEP`, until the router is dropped.
    pub(super) fn sweep_periodically(this: Weak<Self>) {
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(RATE_STATE_SWEEP);
            tick.tick().await;
            loop {
                tick.tick().await;
                let Some(limits) = this.upgrade() else { return };
                limits.per_user.retain_recent();
                limits.per_user.shrink_to_fit();
                limits.per_address.retain_recent();
                limits.per_address.shrink_to_fit();
            }
        });
    }

    /// Counts one request from `addr`; the refusal when over the rate.
    pub(super) fn refuse_address(&self, addr: IpAddr) -> Option<Response> {
        let key = address_key(addr);
        let not_until = self.per_address.check_key(&key).err()?;
        let wait = not_until.wait_time_from(self.per_address.clock().now());
        Some(rate_limited("too many requests from this address", wait))
    }

    /// Counts one request by `user`; the refusal when over the rate.
    pub(super) fn refuse_user(&self, user: uuid::Uuid) -> Option<Response> {
        let not_until = self.per_user.check_key(&user).err()?;
        let wait = not_until.wait_time_from(self.per_user.clock().now());
        Some(rate_limited("too many requests from this user", wait))
    }
}

/// The key of a client address: an IPv4 address (also when mapped into
/// IPv6), or an IPv6 address's /64 prefix (one host typically holds a whole
/// /64, so counting single IPv6 addresses would be no limit at all).
fn address_key(addr: IpAddr) -> IpAddr {
    match addr.to_canonical() {
        IpAddr::V6(v6) => {
            let bits = u128::from(v6) & !((1u128 << 64) - 1);
            IpAddr::V6(std::net::Ipv6Addr::from(bits))
        }
        v4 => v4,
    }
}

/// 429 `RATE_LIMITED`, with `retryAfterSeconds` and `Retry-After` (whole
/// seconds, at least 1).
fn rate_limited(message: &str, wait: Duration) -> Response {
    let secs = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
    let secs = secs.max(1);
    let mut response = refusal(
        StatusCode::TOO_MANY_REQUESTS,
        &format!("{message}; try again in {secs} s"),
        json!({ "code": "RATE_LIMITED", "retryAfterSeconds": secs }),
    );
    response
        .headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from(secs));
    response
}

/// Bodies announced at no more than this (every GraphQL request we expect)
/// are read before a request waits to execute; larger ones stream as they
/// come, inside the body limit.
const BODY_READ_BEFORE_WAITING: u64 = 16 * 1024;

/// The body, when small and of announced length, read now: a client that
/// sends it slowly waits without holding a place to execute, and one whose
/// body ends early (it went away) is refused before it ever took one.
async fn with_a_body_of_its_own(
    request: Request<axum::body::Body>,
) -> Result<Request<axum::body::Body>, Response> {
    use axum::body::HttpBody;
    let (parts, body) = request.into_parts();
    let body = match body.size_hint().exact() {
        Some(len) if len <= BODY_READ_BEFORE_WAITING => {
            let read = axum::body::to_bytes(body, BODY_READ_BEFORE_WAITING as usize)
                .await
                .map_err(|_| {
                    error_response(
                        StatusCode::BAD_REQUEST,
                        &AppError::bad_input("body", msg!("input-the-request-body-ended-before")),
                    )
                })?;
            axum::body::Body::from(read)
        }
        _ => body,
    };
    Ok(Request::from_parts(parts, body))
}

/// At most `ACCORD_MAX_EXECUTING_REQUESTS` GraphQL requests run at once;
/// the others wait here, before their execution is built (a request's
/// execution state is tens of kilobytes). A small body is read first, so a
/// slow sender never holds a place. A waiting request has been read, and
/// costs about 22 KiB: how many may be read at all is bounded before hyper
/// reads them (`ACCORD_MAX_OPEN_REQUESTS`, `http/listener.rs`). The request timeout
/// runs while they wait.
pub(super) async fn one_of_the_executing(
    State(executing): State<Executing>,
    request: Request<axum::body::Body>,
    next: axum::middleware::Next,
) -> Response {
    let request = match with_a_body_of_its_own(request).await {
        Ok(request) => request,
        Err(refused) => return refused,
    };
    let waiting = Counted::new(&executing.metrics, Live::Waiting);
    let place = executing.places.acquire().await;
    drop(waiting);
    match place {
        Ok(_permit) => {
            let _executing = Counted::new(&executing.metrics, Live::Executing);
            next.run(request).await
        }
        Err(_) => error_response(
            StatusCode::SERVICE_UNAVAILABLE,
            &AppError::internal("the request limiter was closed"),
        ),
    }
}

/// The places to execute GraphQL requests, and the gauges that show them.
#[derive(Clone)]
pub(super) struct Executing {
    pub(super) places: Arc<tokio::sync::Semaphore>,
    pub(super) metrics: Arc<crate::metrics::Metrics>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ipv6_addresses_are_counted_per_64() {
        let a: IpAddr = "2001:db8:1:2:aaaa::1".parse().expect("ip");
        let b: IpAddr = "2001:db8:1:2:bbbb::2".parse().expect("ip");
        let c: IpAddr = "2001:db8:1:3::1".parse().expect("ip");
        assert_eq!(address_key(a), address_key(b));
        assert_ne!(address_key(a), address_key(c));
        let mapped: IpAddr = "::ffff:192.0.2.7".parse().expect("ip");
        assert_eq!(
            address_key(mapped),
            "192.0.2.7".parse::<IpAddr>().expect("ip")
        );
    }

    #[test]
    fn retry_after_is_whole_seconds_and_at_least_one() {
        for (wait, secs) in [
            (0, "1"),
            (1, "1"),
            (1_000, "1"),
            (1_001, "2"),
            (12_000, "12"),
        ] {
            let r = rate_limited("too many", Duration::from_millis(wait));
            assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
            assert_eq!(r.headers()[header::RETRY_AFTER], secs, "{wait} ms");
        }
    }
}
