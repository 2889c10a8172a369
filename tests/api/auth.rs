//! Login, refresh rotation and reuse detection, logout, JWT refusals,
//! lockout, deactivation.
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde_json::json;

use crate::helpers::*;
use crate::on_both_backends;

const ME: &str = "{ me { user { id email displayName role } mission { id country } country organization { id } } }";
const REFRESH: &str = "mutation($t: String!) { refreshToken(refreshToken: $t) { accessToken refreshToken expiresAt } }";

fn claims(sub: &str, sid: &str, iss: &str, aud: &str, exp_offset: i64) -> serde_json::Value {
    let now = chrono::Utc::now().timestamp();
    json!({ "sub": sub, "sid": sid, "iss": iss, "aud": aud, "iat": now, "exp": now + exp_offset })
}

/// The (sub, sid) claims of a real token, to forge variants of it.
fn real_claims(token: &str) -> (String, String) {
    let payload = token.split('.').nth(1).expect("payload");
    let v: serde_json::Value =
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).expect("b64")).expect("json");
    (
        v["sub"].as_str().expect("sub").into(),
        v["sid"].as_str().expect("sid").into(),
    )
}

fn sign(alg: Algorithm, secret: &str, claims: &serde_json::Value) -> String {
    jsonwebtoken::encode(
        &Header::new(alg),
        claims,
        &EncodingKey::from_secret(secret.as_bytes()),
    )
    .expect("sign")
}

on_both_backends! {
    async fn login_me_refresh_logout(app: TestApp) {
        let admin = app.admin("CA").await;
        let me = admin.q(ME, json!({})).await;
        let me = &me.data()["me"];
        assert_eq!(me["user"]["email"], "admin.ca@test.example");
        assert_eq!(me["user"]["role"], "ADMIN");
        assert_eq!(me["country"], "CA");
        assert_eq!(me["mission"]["country"], "CA");
        assert!(me["organization"].is_null());

        // Refresh rotates: a new pair, and the new access token works.
        let r = app.anon(REFRESH, json!({ "t": admin.refresh })).await;
        let fresh = &r.data()["refreshToken"];
        let new_access = fresh["accessToken"].as_str().expect("access").to_owned();
        let new_refresh = fresh["refreshToken"].as_str().expect("refresh").to_owned();
        assert_ne!(new_refresh, admin.refresh);
        assert_eq!(app.gql(Some(&new_access), ME, json!({})).await.data()["me"]["user"]["email"], "admin.ca@test.example");

        // Logout ends the session: both tokens stop working at once.
        let out = app.gql(Some(&new_access), "mutation { logout }", json!({})).await;
        assert_eq!(out.data()["logout"], true);
        let after = app.gql(Some(&new_access), ME, json!({})).await;
        after.assert_code("UNAUTHENTICATED");
        assert_eq!(after.status, 401);
        app.anon(REFRESH, json!({ "t": new_refresh })).await.assert_code("UNAUTHENTICATED");
    }

    async fn refresh_token_reuse_revokes_the_family(app: TestApp) {
        let user = app.diplomat("NL").await;
        let first = app.anon(REFRESH, json!({ "t": user.refresh })).await;
        let second_refresh = first.data()["refreshToken"]["refreshToken"].as_str().expect("r").to_owned();
        let second_access = first.data()["refreshToken"]["accessToken"].as_str().expect("a").to_owned();

        // The original token is presented again: someone else has a copy.
        app.anon(REFRESH, json!({ "t": user.refresh })).await.assert_code("UNAUTHENTICATED");
        // The whole family is gone: the rotated refresh token and every access token.
        app.anon(REFRESH, json!({ "t": second_refresh })).await.assert_code("UNAUTHENTICATED");
        app.gql(Some(&second_access), ME, json!({})).await.assert_code("UNAUTHENTICATED");
        user.q(ME, json!({})).await.assert_code("UNAUTHENTICATED");

        // Other sessions of the same user are untouched; a new login works.
        let again = app.login(&user.email, PASSWORD).await;
        again.q(ME, json!({})).await.data();
        app.anon(REFRESH, json!({ "t": "not-a-token" })).await.assert_code("UNAUTHENTICATED");
    }

    async fn forged_and_malformed_tokens_are_refused(app: TestApp) {
        let user = app.diplomat("CA").await;
        let (sub, sid) = real_claims(&user.token);
        let good = claims(&sub, &sid, "accord", "accord-api", 600);
        // Sanity: a token we sign with the server's key and claims works, so the
        // refusals below are about the one thing each changes.
        let control = sign(Algorithm::HS256, TEST_JWT_SECRET, &good);
        app.gql(Some(&control), ME, json!({})).await.data();

        let header_none = URL_SAFE_NO_PAD.encode(br#"{"alg":"none","typ":"JWT"}"#);
        let body = URL_SAFE_NO_PAD.encode(serde_json::to_vec(&good).expect("json"));
        let forged = [
            ("another key", sign(Algorithm::HS256, "some-other-key-that-is-long-enough-000", &good)),
            ("alg none", format!("{header_none}.{body}.")),
            ("HS384 with the right key", sign(Algorithm::HS384, TEST_JWT_SECRET, &good)),
            ("HS512 with the right key", sign(Algorithm::HS512, TEST_JWT_SECRET, &good)),
            ("wrong audience", sign(Algorithm::HS256, TEST_JWT_SECRET, &claims(&sub, &sid, "accord", "other-api", 600))),
            ("wrong issuer", sign(Algorithm::HS256, TEST_JWT_SECRET, &claims(&sub, &sid, "evil", "accord-api", 600))),
            ("expired", sign(Algorithm::HS256, TEST_JWT_SECRET, &claims(&sub, &sid, "accord", "accord-api", -120))),
            ("unknown session", sign(Algorithm::HS256, TEST_JWT_SECRET, &claims(&sub, &uuid::Uuid::new_v4().to_string(), "accord", "accord-api", 600))),
            ("tampered payload", {
                let mut parts: Vec<String> = user.token.split('.').map(String::from).collect();
                parts[1] = URL_SAFE_NO_PAD.encode(serde_json::to_vec(&claims(&sub, &sid, "accord", "accord-api", 99999)).expect("json"));
                parts.join(".")
            }),
            ("garbage", "garbage".to_owned()),
        ];
        for (what, token) in forged {
            let r = app.gql(Some(&token), ME, json!({})).await;
            assert_eq!(r.code(), "UNAUTHENTICATED", "{what}: {}", r.body);
            assert_eq!(r.status, 401, "{what}");
        }
        // A malformed header is refused too, not treated as anonymous.
        let r = app
            .http()
            .post(app.url("/graphql"))
            .header("Authorization", format!("Token {}", user.token))
            .json(&json!({ "query": ME }))
            .send()
            .await
            .expect("sent");
        assert_eq!(r.status().as_u16(), 401);
        // And no token at all is UNAUTHENTICATED for anything but login.
        app.anon(ME, json!({})).await.assert_code("UNAUTHENTICATED");
    }

    async fn repeated_failures_lock_the_email_alike_for_unknown_accounts(app: TestApp) {
        let user = app.diplomat("DE").await;
        let wrong = app.login_raw(&user.email, "not the right password").await;
        let unknown = app.login_raw("nobody@test.example", "not the right password").await;
        wrong.assert_code("UNAUTHENTICATED");
        unknown.assert_code("UNAUTHENTICATED");
        assert_eq!(wrong.body, unknown.body, "unknown email and wrong password must look the same");

        for _ in 0..4 {
            app.login_raw(&user.email, "still wrong password").await.assert_code("UNAUTHENTICATED");
            app.login_raw("nobody@test.example", "still wrong password").await.assert_code("UNAUTHENTICATED");
        }
        // Five failures: locked, even with the right password, and the same for
        // an email that has no account.
        let locked = app.login_raw(&user.email, PASSWORD).await;
        locked.assert_code("RATE_LIMITED");
        let locked_unknown = app.login_raw("nobody@test.example", PASSWORD).await;
        locked_unknown.assert_code("RATE_LIMITED");
        assert_eq!(locked.message(), locked_unknown.message());
        assert!(locked.body["errors"][0]["extensions"]["retryAfterSeconds"].as_i64().unwrap_or(0) > 0);
        // Another account is not affected; the existing session still works.
        app.diplomat("DE").await.q(ME, json!({})).await.data();
        user.q(ME, json!({})).await.data();
    }

    async fn deactivated_users_lose_access_at_once(app: TestApp) {
        let admin = app.admin("SE").await;
        let user = app.diplomat("SE").await;
        let deactivate = "mutation($id: ID!) { deactivateUser(userId: $id) { id active } }";
        let r = admin.q(deactivate, json!({ "id": user.id })).await;
        assert_eq!(r.data()["deactivateUser"]["active"], false);

        user.q(ME, json!({})).await.assert_code("UNAUTHENTICATED");
        app.anon(REFRESH, json!({ "t": user.refresh })).await.assert_code("UNAUTHENTICATED");
        let refused = app.login_raw(&user.email, PASSWORD).await;
        let wrong = app.login_raw("nobody-else@test.example", PASSWORD).await;
        assert_eq!(refused.body, wrong.body, "a deactivated account looks like a wrong login");

        let r = admin.q("mutation($id: ID!) { reactivateUser(userId: $id) { active } }", json!({ "id": user.id })).await;
        assert_eq!(r.data()["reactivateUser"]["active"], true);
        app.login(&user.email, PASSWORD).await.q(ME, json!({})).await.data();

        // Another country's admin cannot touch this user: it is not in their directory.
        let other = app.admin("NL").await;
        other.q(deactivate, json!({ "id": user.id })).await.assert_code("NOT_FOUND");
        // Nor can a diplomat of the same country, nor anyone deactivate themselves.
        app.diplomat("SE").await.q(deactivate, json!({ "id": user.id })).await.assert_code("FORBIDDEN");
        admin.q(deactivate, json!({ "id": admin.id })).await.assert_code("BAD_USER_INPUT");
    }
}
