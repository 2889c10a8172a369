//! Reveal notices over a real SMTP server: a request tells the owner
//! country's custodians (and nobody else), a decision tells the member who
//! asked; each message is a link to the identity page and nothing more — no
//! case, country, motivation or name (docs/RULES.md rule 8). A request
//! decided before the worker's round is not sent to custodians any more.
use accord_server::jobs as worker;
use accord_server::mail::transport::Mailer;
use serde_json::json;

use crate::builders::{consent, open_case, recipients, share, users};
use crate::helpers::*;
use crate::on_both_backends;
use crate::smtp::SmtpServer;

const REQUEST: &str =
    "mutation($c: ID!, $m: String!) { requestIdentityReveal(caseId: $c, motivation: $m) { id } }";
const DECIDE: &str = "mutation($id: ID!, $i: DecideIdentityRevealInput!) { decideIdentityReveal(id: $id, input: $i) { state } }";
const MOTIVE: &str = "Motive marker QX7 for the appeal";
const NAME: &str = "Revealmail Secretname";

on_both_backends! {
    async fn reveal_notices_go_to_custodians_and_the_asker_and_say_nothing(app: TestApp) {
        let smtp = SmtpServer::start().await;
        let mut config = (*app.state().config).clone();
        config.smtp_url = Some(smtp.url().into());
        let mailer = Mailer::from_config(&config).expect("SMTP mailer");
        let round = || async { worker::run_once(app.state(), &mailer).await.expect("a round runs") };

        let ca_admin = app.admin("CA").await;
        let ca_coord = app.user("COORDINATOR", "CA").await;
        let ca_diplomat = app.diplomat("CA").await;
        let nl_admin = app.admin("NL").await;
        let nl_diplomat = app.diplomat("NL").await;
        let case = open_case(&ca_coord, "Defender Mail", NAME).await;
        let id = str_of(&case["id"], "id");
        consent(&ca_coord, &id, true).await.data();
        share(&ca_coord, &id, "NL", "DETAIL").await.data();
        round().await;
        let before = smtp.messages().len();

        let r = nl_diplomat.q(REQUEST, json!({ "c": id, "m": MOTIVE })).await;
        let rid = str_of(&r.data()["requestIdentityReveal"]["id"], "id");
        let queued = crate::builders::outbox_of(&app, "REVEAL_REQUESTED").await;
        assert_eq!(recipients(&queued), users(&[&ca_admin, &ca_coord]), "the owner's custodians, nobody else");
        assert_eq!(round().await, 2);
        assert_eq!(round().await, 0, "each notice is sent once");
        for who in [&ca_diplomat, &nl_admin, &nl_diplomat] {
            assert!(smtp.messages_to(&who.email).is_empty(), "{} was told", who.email);
        }

        ca_coord
            .q(DECIDE, json!({ "id": rid, "i": { "approve": true, "motivation": "For the appeal", "validForDays": 7 } }))
            .await
            .data();
        assert_eq!(recipients(&crate::builders::outbox_of(&app, "REVEAL_DECIDED").await), users(&[&nl_diplomat]));
        assert_eq!(round().await, 1);
        assert_eq!(smtp.messages_to(&nl_diplomat.email).len(), 1);

        // A request decided before the round: its custodians are spared.
        let other = open_case(&ca_coord, "Defender Mail Two", NAME).await;
        let other_id = str_of(&other["id"], "id");
        consent(&ca_coord, &other_id, true).await.data();
        share(&ca_coord, &other_id, "NL", "DETAIL").await.data();
        let r = nl_admin.q(REQUEST, json!({ "c": other_id, "m": MOTIVE })).await;
        let rid2 = str_of(&r.data()["requestIdentityReveal"]["id"], "id");
        ca_admin
            .q(DECIDE, json!({ "id": rid2, "i": { "approve": false, "motivation": "Not now" } }))
            .await
            .data();
        assert_eq!(round().await, 1, "only the answer to the asker");
        let spared = crate::builders::outbox_of(&app, "REVEAL_REQUESTED").await;
        assert_eq!(spared.iter().filter(|r| r.status == "DROPPED").count(), 2, "{spared:?}");

        // Rule 8: a link to the identity page, nothing of the case.
        let public = app.state().config.public_url.trim_end_matches('/').to_owned();
        let sent = smtp.messages();
        assert_eq!(sent.len() - before, 4);
        for m in &sent[before..] {
            let text = format!("{}\n{}\n{}", m.subject(), m.body(), m.data);
            assert!(m.body().contains(&format!("{public}/identity")), "{}", m.body());
            for secret in [NAME, "Secretname", "Defender Mail", MOTIVE, "QX7", "For the appeal", "Not now", &id, &other_id, &rid, &rid2] {
                assert!(!text.contains(secret), "an email carries {secret:?}:\n{text}");
            }
            for country in [" NL", " CA", "Netherlands", "Canada"] {
                assert!(!m.body().contains(country), "an email names a country:\n{}", m.body());
            }
        }
    }
}
