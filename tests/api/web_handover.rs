//! Hand-overs on *My roster* in real headless Chromium, JavaScript off: a
//! diplomat offers their place to a named colleague, withdraws, offers it
//! openly; a colleague takes it (the page accessible with the offer on
//! it), and the place is theirs, confirmed, where it stood.
use serde_json::json;

use crate::browser::Browser;
use crate::builders::{claimed, hearing_world};
use crate::helpers::TestApp;
use crate::on_both_backends;

/// Mar 1 2027, 09:30 in Manila: `hearing_world`'s hearing.
const STARTS: &str = "Monday 1 March 2027, 9:30 AM (Asia/Manila)";

on_both_backends! {
    async fn a_place_offered_withdrawn_then_taken_on_my_roster(app: TestApp) {
        let (_coord, _case, hearing) = hearing_world(&app, 1).await;
        let nl_admin = app.admin("NL").await;
        let giver = app.user_made_by(&nl_admin, "DIPLOMAT", "NL").await;
        let colleague = app.user_made_by(&nl_admin, "DIPLOMAT", "NL").await;
        claimed(&giver, &hearing).await;
        let Some(browser) = Browser::start(&app).await else { return };

        browser.open("/roster").await;
        browser.sign_in_as(&giver).await;
        assert!(browser.text().await.contains("No open offers."));
        if let Some(audit) = Browser::start_for_audit(&app).await {
            audit.open("/roster").await;
            audit.sign_in_as(&giver).await;
            audit.assert_accessible("my roster with the offer form").await;
            audit.close().await;
        }
        browser.choose("to-1", &colleague.id).await;
        browser.press(&format!("Offer my place at Regional Trial Court on {STARTS}")).await;
        assert_eq!(browser.path().await, "/roster?done=offer-made");
        let page = browser.text().await;
        assert!(page.contains("You offered it to Test User"), "{page}");
        // One open offer per place: a second is refused, nothing changes.
        browser.press(&format!("Offer my place at Regional Trial Court on {STARTS}")).await;
        assert!(browser.text().await.contains("already on offer"), "{}", browser.text().await);
        browser.open("/roster").await;
        browser.press("Withdraw my offer at Regional Trial Court").await;
        assert_eq!(browser.path().await, "/roster?done=offer-withdrawn");
        assert!(browser.text().await.contains("No open offers."));
        browser.choose("to-1", "").await;
        browser.press(&format!("Offer my place at Regional Trial Court on {STARTS}")).await;
        assert!(browser.text().await.contains("You offered it to anyone who may claim"));

        browser.open("/").await;
        browser.press("Sign out").await;
        browser.sign_in_as(&colleague).await;
        browser.open("/roster").await;
        let page = browser.text().await;
        assert!(page.contains("Open to anyone who may claim"), "{page}");
        if let Some(audit) = Browser::start_for_audit(&app).await {
            audit.open("/roster").await;
            audit.sign_in_as(&colleague).await;
            audit.assert_accessible("my roster with an offer to take").await;
            audit.close().await;
        }
        browser.press("Accept the place at Regional Trial Court").await;
        assert_eq!(browser.path().await, "/roster?done=offer-accepted");
        let page = browser.text().await;
        assert!(page.contains("You took over the place") && page.contains("Confirmed"), "{page}");
        assert!(page.contains("No open offers."), "{page}");
        let mine = |who: &crate::helpers::Actor| {
            let who = who.clone();
            async move { who.q("{ myRoster { status } }", json!({})).await.data()["myRoster"].clone() }
        };
        assert_eq!(mine(&colleague).await, json!([{ "status": "CONFIRMED" }]));
        assert_eq!(mine(&giver).await, json!([]));
        browser.close().await;
    }
}
