//! Every page of the web client, as each person who uses it: it answers,
//! it is small (its HTML and the stylesheet together under 50 KB), axe-core
//! finds no WCAG 2.2 AA violation, and at 320 CSS pixels wide (a small
//! phone) nothing makes the page scroll sideways.
use serde_json::json;

use crate::browser::Browser;
use crate::browser::page_cookie;
use crate::builders::{consent, created, manila_in, open_case, revise, schedule, share, submitted};
use crate::helpers::*;

/// The whole budget of one page: its HTML and the one stylesheet.
const PAGE_BUDGET: usize = 50 * 1024;

/// Every page of the web client as each person who uses it: the people
/// (each with a session) and the pages they open, in a world where each page
/// has something to show.
pub async fn everyone(app: &TestApp) -> Vec<(Actor, Vec<String>)> {
    // Both countries' admins set their identity keys up as they are made
    // (`app.admin`): the coordinators made after them hold them.
    let admin = app.admin("CA").await;
    app.admin("NL").await;
    let coordinator = app.user("COORDINATOR", "CA").await;
    let diplomat = app.diplomat("CA").await;
    let partner = app.user("COORDINATOR", "NL").await;
    let liaison = app.liaison().await;

    let case = open_case(&coordinator, "Defender P", "Page Person").await;
    let case_id = str_of(&case["id"], "case id");
    consent(&coordinator, &case_id, true).await.data();
    share(&coordinator, &case_id, "NL", "DETAIL").await.data();
    // A reveal request waits for the owner's decision on the case page.
    partner
        .q(
            "mutation($c: ID!, $m: String!) { requestIdentityReveal(caseId: $c, motivation: $m) { id } }",
            json!({ "c": case_id, "m": "For the appeal" }),
        )
        .await
        .data();
    let hearing = schedule(&coordinator, &case_id, &manila_in(5), "Asia/Manila", 2).await;
    let hearing_id = str_of(&hearing.data()["scheduleHearing"]["id"], "hearing id");
    crate::builders::claim(&diplomat, &hearing_id).await.data();
    let statement = created(&coordinator, &["NL"], json!({})).await;
    revise(
        &coordinator,
        &statement,
        1,
        "The undersigned missions.\nA second text.\n",
    )
    .await
    .data();
    let report = submitted(&liaison, &["CA", "NL"], json!({})).await;
    // A single sign-on registered for CA (written underneath: registering
    // through the API fetches a provider's discovery document), so that its
    // admin page and its start page have something to show.
    let now = chrono::Utc::now();
    sea_orm::ActiveModelTrait::insert(
        accord_server::store::single_sign_on::ActiveModel {
            mission_id: sea_orm::ActiveValue::Set(crate::builders::row_uuid(
                &app.mission("CA").await,
            )),
            public_id: sea_orm::ActiveValue::Set("every-page-start".into()),
            issuer: sea_orm::ActiveValue::Set("https://ministry.example".into()),
            client_id: sea_orm::ActiveValue::Set("accord".into()),
            client_secret_sealed: sea_orm::ActiveValue::Set("never-opened-here".into()),
            match_claim: sea_orm::ActiveValue::Set("EMAIL".into()),
            sso_only: sea_orm::ActiveValue::Set(false),
            created_at: sea_orm::ActiveValue::Set(now),
            updated_at: sea_orm::ActiveValue::Set(now),
        },
        app.db(),
    )
    .await
    .expect("single sign-on row");
    // The liaison has begun adding an authenticator app: their two-step
    // page shows the QR code and the secret.
    liaison
        .q("mutation { beginTotpEnrolment { secret } }", json!({}))
        .await
        .data();
    // The pages an emailed link opens (reset, new address), and forgot password.
    let (reset, email_change) = crate::recovery::links_for_pages(app, &coordinator).await;

    vec![
        (
            coordinator.clone(),
            vec![
                "/".to_owned(),
                "/cases".into(),
                "/cases/new".into(),
                format!("/cases/{case_id}"),
                format!("/cases/{case_id}/hearings/new"),
                "/hearings".into(),
                format!("/hearings/{hearing_id}"),
                format!("/hearings/{hearing_id}/edit"),
                "/coverage".into(),
                "/statements".into(),
                "/statements/new".into(),
                format!("/statements/{statement}"),
                format!("/statements/{statement}/diff?from=1&to=2"),
                "/reports".into(),
                format!("/reports/{report}"),
                "/account".into(),
                "/account/two-step".into(),
                "/account/security-keys/new".into(),
                "/identity".into(),
                format!("/cases/{case_id}?identity=show"),
            ],
        ),
        (
            diplomat.clone(),
            vec![
                "/".to_owned(),
                "/roster".into(),
                "/hearings".into(),
                format!("/hearings/{hearing_id}"),
                "/cases".into(),
                format!("/cases/{case_id}"),
                "/statements".into(),
                "/reports".into(),
                "/identity".into(),
                format!("/cases/{case_id}?identity=show"),
            ],
        ),
        (
            partner.clone(),
            vec![
                format!("/cases/{case_id}"),
                "/identity".into(),
                format!("/statements/{statement}"),
                format!("/reports/{report}"),
            ],
        ),
        (
            liaison.clone(),
            vec![
                "/".to_owned(),
                "/reports/new".into(),
                "/reports".into(),
                format!("/reports/{report}"),
                "/account".into(),
                "/account/two-step".into(),
            ],
        ),
        (
            admin.clone(),
            vec![
                "/".to_owned(),
                "/admin/users".into(),
                "/admin/coalitions".into(),
                "/admin/audit".into(),
                "/admin/sso".into(),
                "/sign-in/sso/every-page-start".into(),
                "/identity".into(),
                "/sign-in/forgot".into(),
                format!("/reset/{reset}"),
                format!("/account/email/{email_change}"),
            ],
        ),
    ]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_page_is_small_accessible_and_fits_a_phone() {
    let Some(app) = TestApp::spawn(Backend::Sqlite).await else {
        return;
    };
    let everyone = everyone(&app).await;
    let stylesheet = app
        .http()
        .get(app.url("/static/accord.css"))
        .send()
        .await
        .expect("stylesheet")
        .text()
        .await
        .expect("css");
    let Some(audit) = Browser::start_for_audit(&app).await else {
        return;
    };
    let Some(phone) = Browser::start_narrow(&app).await else {
        return;
    };
    let mut problems = Vec::new();
    for (actor, paths) in &everyone {
        let cookie = page_cookie(&app, &actor.email).await;
        audit.open("/sign-in").await;
        audit.sign_in_as(actor).await;
        phone.open("/sign-in").await;
        phone.sign_in_as(actor).await;
        for path in paths {
            let res = app
                .http()
                .get(app.url(path))
                .header("cookie", &cookie)
                .send()
                .await
                .expect("page");
            let status = res.status().as_u16();
            let body = res.text().await.expect("body");
            if status != 200 {
                problems.push(format!("{} {path}: HTTP {status}", actor.email));
                continue;
            }
            let size = body.len() + stylesheet.len();
            if size > PAGE_BUDGET {
                problems.push(format!("{path}: {size} bytes with the stylesheet"));
            }
            audit.open(path).await;
            let violations = audit.accessibility_violations().await;
            if !violations.is_empty() {
                problems.push(format!("{path}: axe: {violations:?}"));
            }
            phone.open(path).await;
            let overflow = phone.overflow_px().await;
            if overflow > 0 {
                problems.push(format!("{path}: {overflow} px wider than a 320 px screen"));
                phone
                    .screenshot(&format!("overflow{}", path.replace('/', "_")))
                    .await;
            }
        }
        audit.open("/account").await;
        audit.press("Sign out").await;
        phone.open("/account").await;
        phone.press("Sign out").await;
    }
    audit.close().await;
    phone.close().await;
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
