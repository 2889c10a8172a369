//! What the statement page's forms pin, checked in headless Chromium
//! (JavaScript off) on both backends: a "Finalize version N" button freezes
//! version N or nothing, even when the text was revised after the page was
//! shown.
use serde_json::json;

use crate::browser::Browser;
use crate::builders::{approve, created, revise};
use crate::helpers::TestApp;
use crate::on_both_backends;

on_both_backends! {
    async fn finalizing_a_version_revised_since_freezes_nothing(app: TestApp) {
        let lead = app.user("COORDINATOR", "CA").await;
        let nl = app.user("COORDINATOR", "NL").await;
        let id = created(&lead, &["NL"], json!({})).await;
        let Some(browser) = Browser::start(&app).await else { return };
        browser.open(&format!("/statements/{id}")).await;
        browser.sign_in_as(&lead).await;
        assert!(browser.text().await.contains("Version 1, the current text"));

        // Revised and approved by everyone while the lead's page shows version 1.
        revise(&lead, &id, 1, "A second text, approved by all.").await.data();
        approve(&lead, &id, 2).await.data();
        approve(&nl, &id, 2).await.data();
        let state = "query($id: ID!) { statement(id: $id) { status finalVersion { number } signatories } }";
        browser.press("Finalize version 1").await;
        let text = browser.text().await;
        assert!(
            text.contains("That is not the current version any more; the current version is 2. Nothing was changed."),
            "{text}"
        );
        let now = lead.q(state, json!({ "id": id })).await;
        assert_eq!(now.data()["statement"]["status"], "CIRCULATING", "nothing was frozen");
        assert!(now.data()["statement"]["finalVersion"].is_null());
        // The API pins the same way (decided under the statement's lock).
        let stale = lead
            .q("mutation($id: ID!) { finalizeStatement(id: $id, version: 1) { status } }", json!({ "id": id }))
            .await;
        stale.assert_code("CONFLICT");
        assert!(stale.message().contains("the current version is 2"), "{}", stale.body);
        assert_eq!(lead.q(state, json!({ "id": id })).await.data()["statement"]["status"], "CIRCULATING");

        // The page now names version 2, and finalizing it works.
        assert!(text.contains("Version 2, the current text"), "{text}");
        browser.press("Finalize version 2").await;
        assert!(browser.text().await.contains("The statement is final."));
        let now = lead.q(state, json!({ "id": id })).await;
        assert_eq!(now.data()["statement"]["status"], "FINAL");
        assert_eq!(now.data()["statement"]["finalVersion"]["number"], 2);
        assert_eq!(now.data()["statement"]["signatories"], json!(["CA", "NL"]));
        browser.close().await;
    }
}
