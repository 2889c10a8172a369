//! Each person picks the language and time zone they read Accord in: through
//! the API, audited, refused clearly when wrong, and followed by their pages
//! whatever their browser asks (the browser's language only when they chose
//! none).
use sea_orm::ConnectionTrait;
use serde_json::json;

use crate::browser::page_cookie;
use crate::helpers::*;
use crate::in_language::page_in;
use crate::on_both_backends;

pub const SET: &str = "mutation($i: PreferencesInput!) { updatePreferences(input: $i) { preferences { language timezone readingTimezone } } }";
const ME: &str = "{ me { preferences { language timezone readingTimezone } } }";

/// Sets `actor`'s language (and zone, when given) through the API.
pub async fn choose_language(actor: &Actor, language: &str, timezone: Option<&str>) {
    let mut input = json!({ "language": language });
    if let Some(zone) = timezone {
        input["timezone"] = json!(zone);
    }
    actor.q(SET, json!({ "i": input })).await.data();
}

on_both_backends! {
    async fn a_person_chooses_their_language_and_zone(app: TestApp) {
        let diplomat = app.diplomat("CA").await;
        let langs = diplomat.q("{ languages { tag name } }", json!({})).await;
        let tags: Vec<&str> = langs.data()["languages"].as_array().expect("list").iter()
            .map(|l| l["tag"].as_str().expect("tag")).collect();
        assert_eq!(tags, ["en", "es", "fr"]);
        assert!(langs.data()["languages"].as_array().expect("list").iter().any(|l| l["name"] == "Français"));

        // Nothing chosen: the mission's zone, no language.
        let me = diplomat.q(ME, json!({})).await;
        assert_eq!(me.data()["me"]["preferences"], json!({ "language": null, "timezone": null, "readingTimezone": "Asia/Manila" }));

        let set = diplomat.q(SET, json!({ "i": { "language": "fr", "timezone": "Europe/Paris" } })).await;
        assert_eq!(set.data()["updatePreferences"]["preferences"], json!({ "language": "fr", "timezone": "Europe/Paris", "readingTimezone": "Europe/Paris" }));
        // A field left out stays; null goes back to the default.
        let keep = diplomat.q(SET, json!({ "i": { "timezone": null } })).await;
        assert_eq!(keep.data()["updatePreferences"]["preferences"], json!({ "language": "fr", "timezone": null, "readingTimezone": "Asia/Manila" }));
        assert_eq!(diplomat.q(ME, json!({})).await.data()["me"]["preferences"]["language"], "fr");
        assert_eq!(app.count_rows("audit_events WHERE action = 'PREFERENCES_SET'").await, 2);

        // Refusals: clear, on the right field, nothing half-written.
        for (input, field) in [
            (json!({ "language": "de", "timezone": "Europe/Berlin" }), "language"),
            (json!({ "language": "en-XA" }), "language"),
            (json!({ "language": "" }), "language"),
            (json!({ "language": "es", "timezone": "Mars/Olympus" }), "timezone"),
        ] {
            let refused = diplomat.q(SET, json!({ "i": input })).await;
            refused.assert_code("BAD_USER_INPUT");
            assert_eq!(refused.field(), field, "{input}");
        }
        assert_eq!(diplomat.q(ME, json!({})).await.data()["me"]["preferences"]["language"], "fr");
        assert_eq!(app.count_rows("audit_events WHERE action = 'PREFERENCES_SET'").await, 2);
        // The database holds the shape too.
        let forced = app.db().execute_unprepared("UPDATE users SET language = '' WHERE email LIKE 'diplomat%'").await;
        assert!(forced.is_err(), "an empty language is refused by the database");
    }

    async fn pages_follow_the_persons_choice_then_the_browser(app: TestApp) {
        let diplomat = app.diplomat("CA").await;
        let cookie = page_cookie(&app, &diplomat.email).await;
        // No choice: the browser's language, English when it asks for none we have.
        let spanish = page_in(&app, &cookie, "/", "es-MX,es;q=0.9").await;
        assert!(spanish.contains("<html lang=\"es\" dir=\"ltr\">"), "{spanish}");
        assert!(spanish.contains("Mis turnos"));
        let german = page_in(&app, &cookie, "/", "de-DE").await;
        assert!(german.contains("<html lang=\"en\""));
        assert!(german.contains("My roster"));
        // Chosen: French, whatever the browser asks.
        choose_language(&diplomat, "fr", None).await;
        let french = page_in(&app, &cookie, "/", "es").await;
        assert!(french.contains("<html lang=\"fr\""), "{french}");
        assert!(french.contains("Mes listes"));
        assert!(french.contains("Se déconnecter"));
        // The sign-in page has no person yet: the browser's language.
        let sign_in = crate::browser::no_redirects()
            .get(app.url("/sign-in"))
            .header("accept-language", "es")
            .send().await.expect("page").text().await.expect("text");
        assert!(sign_in.contains("<html lang=\"es\""), "{sign_in}");
    }
}

on_both_backends! {
    async fn the_account_forms_refuse_what_is_not_offered(app: TestApp) {
        let coordinator = app.user("COORDINATOR", "CA").await;
        let cookie = page_cookie(&app, &coordinator.email).await;
        let post = |path: &'static str, form: Vec<(&'static str, &'static str)>| {
            let cookie = cookie.clone();
            let url = app.url(path);
            async move {
                let res = crate::browser::no_redirects()
                    .post(url)
                    .header("cookie", cookie)
                    .header("sec-fetch-site", "same-origin")
                    .header("accept-language", "fr")
                    .form(&form)
                    .send().await.expect("answered");
                (res.status().as_u16(), crate::in_language::visible_text(&res.text().await.expect("text")))
            }
        };
        let (status, page) = post("/account/preferences", vec![("language", "de"), ("timezone", "Mars/Olympus")]).await;
        assert_eq!(status, 400);
        assert!(page.contains("Choisissez l'une des langues de la liste"), "{page}");
        assert!(page.contains("Choisissez un fuseau horaire dans la liste"), "{page}");
        let (status, page) = post("/account/digest", vec![("day", "SOMEDAY")]).await;
        assert_eq!(status, 400);
        assert!(page.contains("choisissez un jour de la semaine"), "{page}");
        // Nothing was written.
        assert_eq!(app.count_rows("audit_events WHERE action = 'PREFERENCES_SET'").await, 0);
        assert_eq!(app.count_rows("digest_settings").await, 0);
        let me = coordinator.q(ME, json!({})).await;
        assert_eq!(me.data()["me"]["preferences"]["language"], serde_json::Value::Null);
    }
}
