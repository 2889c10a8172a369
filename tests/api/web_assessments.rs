//! The fairness assessment in real headless Chromium, JavaScript off: an
//! admin appoints an assessor on the users page; the assessor writes the
//! first version from the case page (a refused form kept, then saved,
//! citing the trial's observation); a partner that sees the case finds no
//! assessment until the owner's coordinator shares it; the text for
//! publication waits for consent to public advocacy.
use chrono::Duration;

use crate::assessments::{claimed_hearing, observe};
use crate::browser::Browser;
use crate::builders::observed_case;
use crate::on_both_backends;

async fn sign_out(browser: &Browser) {
    browser.open("/").await;
    browser.press("Sign out").await;
    assert!(browser.path().await.starts_with("/sign-in"));
}

on_both_backends! {
    async fn an_assessor_writes_and_the_owner_shares_the_assessment(app: TestApp) {
        // CA users in this order: the admin, the coordinator, the diplomat
        // who becomes the assessor (the users page lists them so).
        let (coord, case) = observed_case(&app).await;
        let assessor = app.diplomat("CA").await;
        let admin = app.admin("CA").await;
        let nl = app.diplomat("NL").await;
        let h = claimed_hearing(&coord, &case, &nl).await;
        app.advance_clock(Duration::days(3));
        observe(&nl, &h).await;
        let Some(browser) = Browser::start(&app).await else { return };

        browser.open("/admin/users").await;
        browser.sign_in_as(&admin).await;
        browser.button("Appoint as assessor Test User", 2).await;
        let users = browser.text().await;
        assert!(users.contains("The user is now an assessor"), "{users}");
        assert!(users.contains("fairness assessor"), "{users}");
        sign_out(&browser).await;

        // The assessor: from the case page to the form.
        browser.sign_in_as(&assessor).await;
        browser.open(&format!("/cases/{case}")).await;
        browser.click_link("Write the fairness assessment of the trial").await;
        assert!(browser.heading().await.starts_with("Fairness assessment of the trial"));
        let form = browser.text().await;
        assert!(form.contains("No assessment has been written yet."), "{form}");
        // Each grade is offered with what it means.
        assert!(form.contains("A: No violations of international fair-trial standards, or only minimal ones."), "{form}");
        assert!(form.contains("F: Gross violations"), "{form}");
        browser.fill("reasoning", "Counsel was kept out of the courtroom.").await;
        browser.press("Save as version 1").await;
        let refused = browser.text().await;
        assert!(refused.contains("Please correct 1 problem"), "{refused}");
        assert!(refused.contains("choose a grade"), "{refused}");
        assert_eq!(browser.value("reasoning").await, "Counsel was kept out of the courtroom.", "the text is kept");
        browser.tick("grade-D", true).await;
        browser.tick("standard-ICCPR_ART_14", true).await;
        browser.tick("obs-1", true).await;
        browser.press("Save as version 1").await;
        let saved = browser.text().await;
        assert!(saved.contains("The new version of the assessment was saved."), "{saved}");
        assert!(saved.contains("Grade D (version 1)"), "{saved}");
        assert!(saved.contains("ICCPR, article 14 (fair trial)"), "{saved}");
        assert!(saved.contains("Observations drawn on\n1"), "{saved}");
        assert!(saved.contains("Save as version 2"), "{saved}");
        sign_out(&browser).await;

        // NL sees the case, not the assessment.
        browser.sign_in_as(&nl).await;
        browser.open(&format!("/cases/{case}")).await;
        assert!(!browser.text().await.contains("Fairness assessment"));
        browser.open(&format!("/cases/{case}/assessment")).await;
        let hidden = browser.text().await;
        assert!(hidden.contains("This does not exist, or it is not shared with you"), "{hidden}");
        assert!(!hidden.contains("Counsel was kept"), "{hidden}");
        sign_out(&browser).await;

        // The coordinator shares it with NL; the publication text waits for consent.
        browser.sign_in_as(&coord).await;
        browser.open(&format!("/cases/{case}")).await;
        browser.click_link("Fairness assessment of the trial (version 1)").await;
        browser.fill("country", "NL").await;
        browser.press("Share the assessment").await;
        let shared = browser.text().await;
        assert!(shared.contains("The assessment is shared with that country"), "{shared}");
        assert!(shared.contains("Netherlands (NL)"), "{shared}");
        assert!(!shared.contains("Save as version"), "only assessors write: {shared}");
        browser.click_link("Text for publication").await;
        let waiting = browser.text().await;
        assert!(waiting.contains("Consent required") && waiting.contains("not consented to public advocacy"), "{waiting}");
        sign_out(&browser).await;

        browser.sign_in_as(&nl).await;
        browser.open(&format!("/cases/{case}/assessment")).await;
        let partner = browser.text().await;
        assert!(partner.contains("Grade D (version 1)"), "{partner}");
        assert!(partner.contains("Shared with your country by the case's owner country."), "{partner}");
        assert!(!partner.contains("Shared with\n") && !partner.contains("Share the assessment"), "{partner}");
        assert!(!partner.contains("Text for publication"), "{partner}");
        browser.close().await;
    }
}
