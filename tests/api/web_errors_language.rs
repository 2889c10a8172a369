//! Refusals in the reader's language: a page refused (a hearing that does
//! not exist, a form with a mistake) reads in French when the browser asks
//! for French, while the API keeps its English message and its code.
use serde_json::json;

use crate::browser::{no_redirects, page_cookie};
use crate::helpers::*;
use crate::in_language::visible_text;
use crate::on_both_backends;

on_both_backends! {
    async fn a_refused_page_reads_in_the_browsers_language(app: TestApp) {
        let diplomat = app.diplomat("CA").await;
        let cookie = page_cookie(&app, &diplomat.email).await;
        let missing = format!("/hearings/{}", uuid::Uuid::now_v7());
        let get = |lang: &'static str| {
            let cookie = cookie.clone();
            let url = app.url(&missing);
            async move {
                let res = no_redirects()
                    .get(url)
                    .header("cookie", cookie)
                    .header("accept-language", lang)
                    .send()
                    .await
                    .expect("page answered");
                let status = res.status().as_u16();
                let html = res.text().await.expect("text");
                // The code is a machine value (`<code>`), not text to translate.
                assert!(html.contains("<code>NOT_FOUND</code>"), "{html}");
                (status, visible_text(&html))
            }
        };
        let (status, french) = get("fr").await;
        assert_eq!(status, 404);
        assert!(french.contains("Introuvable"), "{french}");
        assert!(
            french.contains("Cet élément n'existe pas, ou n'est pas (ou plus) partagé avec vous."),
            "{french}"
        );
        assert!(french.contains("Retour à la page d'accueil"), "{french}");
        assert!(french.contains("Code :"), "{french}");
        let (status, english) = get("en").await;
        assert_eq!(status, 404);
        assert!(
            english.contains("This does not exist, or it is not shared with you (any more)."),
            "{english}"
        );
        let (_, spanish) = get("es").await;
        assert!(spanish.contains("No encontrado"), "{spanish}");
        // In the pseudo-language, nothing English is left on the refusal.
        let (_, pseudo) = get("en-XA").await;
        let left = accord_server::i18n::untranslated_words(&pseudo, &[&diplomat.email]);
        assert!(left.is_empty(), "English left on the refusal: {left:?}");
    }

    async fn a_forms_mistake_reads_in_french_and_the_api_stays_english(app: TestApp) {
        let diplomat = app.diplomat("CA").await;
        let cookie = page_cookie(&app, &diplomat.email).await;
        let res = no_redirects()
            .post(app.url("/account/password"))
            .header("cookie", &cookie)
            .header("sec-fetch-site", "same-origin")
            .header("accept-language", "fr-FR,fr;q=0.9")
            .form(&[
                ("currentPassword", "not the current one at all"),
                ("newPassword", "a brand new passphrase"),
            ])
            .send()
            .await
            .expect("answered");
        assert_eq!(res.status().as_u16(), 400);
        let page = visible_text(&res.text().await.expect("text"));
        assert!(page.contains("n'est pas votre mot de passe actuel"), "{page}");
        assert!(!page.contains("is not your current password"), "{page}");

        // The API: the same refusal, in English, with its code and field.
        let r = diplomat
            .q(
                "mutation($c: String!, $n: String!) { changePassword(currentPassword: $c, newPassword: $n) }",
                json!({ "c": "not the current one at all", "n": "a brand new passphrase" }),
            )
            .await;
        r.assert_code("BAD_USER_INPUT");
        assert_eq!(r.message(), "currentPassword: is not your current password");
        assert_eq!(r.field(), "currentPassword");
    }

    async fn a_cross_site_refusal_reads_in_french(app: TestApp) {
        let diplomat = app.diplomat("CA").await;
        let cookie = page_cookie(&app, &diplomat.email).await;
        let res = no_redirects()
            .post(app.url("/account/password"))
            .header("cookie", &cookie)
            .header("sec-fetch-site", "cross-site")
            .header("accept-language", "fr")
            .form(&[("currentPassword", "x"), ("newPassword", "y")])
            .send()
            .await
            .expect("answered");
        assert_eq!(res.status().as_u16(), 403);
        let page = visible_text(&res.text().await.expect("text"));
        assert!(page.contains("Refusé : cette demande venait d'un autre site"), "{page}");
        assert!(page.contains("Ouvrir Accord"), "{page}");
    }
}
