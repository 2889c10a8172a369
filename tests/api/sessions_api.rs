//! A person's sessions through the API: each sign-in's device, time and
//! method, only their own, and "end this session" that takes effect at once
//! for tokens and pages alike.
use serde_json::json;

use crate::browser::no_redirects;
use crate::helpers::*;
use crate::on_both_backends;
use crate::preferences::choose_language;

const SESSIONS: &str = "{ me { sessions { id current kind method device openedAt expiresAt } } }";
const END: &str = "mutation($id: ID!) { endSession(id: $id) }";

/// Signs in on the pages as Firefox on Windows; the cookie's `name=value`.
async fn firefox_cookie(app: &TestApp, email: &str) -> String {
    let res = no_redirects()
        .post(app.url("/sign-in"))
        .header("sec-fetch-site", "same-origin")
        .header(
            "user-agent",
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0",
        )
        .form(&[("email", email), ("password", PASSWORD), ("next", "/")])
        .send()
        .await
        .expect("sign-in answered");
    assert_eq!(res.status().as_u16(), 303, "signed in");
    res.headers()["set-cookie"]
        .to_str()
        .expect("ascii")
        .split(';')
        .next()
        .expect("pair")
        .to_owned()
}

async fn account_status(app: &TestApp, cookie: &str) -> u16 {
    no_redirects()
        .get(app.url("/account"))
        .header("cookie", cookie)
        .send()
        .await
        .expect("page")
        .status()
        .as_u16()
}

on_both_backends! {
    async fn a_person_sees_their_sessions_and_ends_one(app: TestApp) {
        let first = app.diplomat("CA").await;
        let second = app.login(&first.email, PASSWORD).await;
        let cookie = firefox_cookie(&app, &first.email).await;

        let listed = first.q(SESSIONS, json!({})).await;
        let sessions = listed.data()["me"]["sessions"].as_array().expect("list").clone();
        assert_eq!(sessions.len(), 3, "{sessions:?}");
        // Newest first: the web sign-in, then the two API logins.
        assert_eq!(sessions[0]["kind"], "WEB");
        assert_eq!(sessions[0]["device"], "Web: Firefox on Windows");
        assert_eq!(sessions[1]["device"], "API token");
        for s in &sessions {
            assert_eq!(s["method"], "PASSWORD");
            assert!(s["openedAt"].as_str().expect("time") < s["expiresAt"].as_str().expect("time"));
        }
        let current: Vec<_> = sessions.iter().filter(|s| s["current"] == true).collect();
        assert_eq!(current.len(), 1, "exactly the session asking is current");
        assert_eq!(current[0]["kind"], "API");
        // The other API login sees the same three, itself current.
        let theirs = second.q(SESSIONS, json!({})).await;
        let current_there: Vec<_> = theirs.data()["me"]["sessions"].as_array().expect("list").iter()
            .filter(|s| s["current"] == true).map(|s| s["id"].clone()).collect();
        assert_eq!(current_there.len(), 1);
        assert_ne!(current_there[0], current[0]["id"]);

        // Someone else sees only their own, and cannot end ours.
        let other = app.diplomat("CA").await;
        let theirs = other.q(SESSIONS, json!({})).await;
        assert_eq!(theirs.data()["me"]["sessions"].as_array().expect("list").len(), 1);
        other.q(END, json!({ "id": sessions[0]["id"] })).await.assert_code("NOT_FOUND");
        other.q(END, json!({ "id": "not-an-id" })).await.assert_code("NOT_FOUND");
        assert_eq!(account_status(&app, &cookie).await, 200, "the page session is untouched");

        // Ending the web session: the page is signed out at once.
        assert_eq!(first.q(END, json!({ "id": sessions[0]["id"] })).await.data()["endSession"], true);
        assert_eq!(account_status(&app, &cookie).await, 303, "an ended session's cookie is refused");
        // Ending the other API session: its token stops working.
        first.q(END, json!({ "id": current_there[0] })).await.data();
        second.q(SESSIONS, json!({})).await.assert_code("UNAUTHENTICATED");
        // An ended session cannot be ended twice.
        first.q(END, json!({ "id": current_there[0] })).await.assert_code("NOT_FOUND");
        assert_eq!(first.q(SESSIONS, json!({})).await.data()["me"]["sessions"].as_array().expect("list").len(), 1);
        assert_eq!(app.count_rows("audit_events WHERE action = 'LOGGED_OUT'").await, 2);

        // The device is said in the person's language.
        let _web = firefox_cookie(&app, &first.email).await;
        choose_language(&first, "fr", None).await;
        let french = first.q(SESSIONS, json!({})).await;
        assert_eq!(french.data()["me"]["sessions"][0]["device"], "Web : Firefox sous Windows");
        // Ending one's own current session signs this client out.
        let mine = french.data()["me"]["sessions"].as_array().expect("list").iter()
            .find(|s| s["current"] == true).expect("current")["id"].clone();
        first.q(END, json!({ "id": mine })).await.data();
        first.q(SESSIONS, json!({})).await.assert_code("UNAUTHENTICATED");
    }
}
