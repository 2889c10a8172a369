//! Sealed identity through the real GraphQL endpoint: setting up a
//! country key, custodians (grant, revoke, deactivate, password change),
//! session unlock, rotation, recovery, migration from the server's key
//! ring, and reveals (request, approve, deny, expire, revoke, unshare),
//! each audited.
use accord_server::store::case;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ConnectionTrait, EntityTrait};
use serde_json::{Value, json};

use crate::builders::*;
use crate::helpers::*;
use crate::identity_kit::*;
use crate::on_both_backends;

const REFRESH: &str =
    "mutation($r: String!) { refreshToken(refreshToken: $r) { accessToken refreshToken } }";
const CHANGE: &str =
    "mutation($c: String!, $n: String!) { changePassword(currentPassword: $c, newPassword: $n) }";

on_both_backends! {
    async fn setting_up_a_key_is_acknowledged_by_an_admin_and_once(app: TestApp) {
        let admin = plain_admin(&app, "FR").await;
        let coord = member(&app, &admin, "COORDINATOR", "FR").await;
        // Before a key: identity fields cannot be written, reads say why.
        let status = key_status(&admin).await;
        assert_eq!(status["ready"], false);
        assert_eq!(status["custodian"], false);
        let r = coord.q("mutation($i: CreateCaseInput!) { createCase(input: $i) { id } }",
            json!({ "i": { "pseudonym": "P", "hostCountry": "PH", "categories": ["OTHER"], "riskLevel": "LOW",
                "status": "AT_RISK", "identity": { "legalName": "Nobody Yet" } } })).await;
        r.assert_code("IDENTITY_LOCKED");
        assert_eq!(r.body["errors"][0]["extensions"]["reason"], "NO_COUNTRY_KEY");
        assert!(!r.body.to_string().contains("Nobody Yet"), "the error echoes no identity: {}", r.body);
        let bare = case_without(&coord, "Defender Bare").await;
        assert_eq!(read(&admin, &bare).await, locked("NO_COUNTRY_KEY"));

        // Without the acknowledgement: refused, nothing made.
        let r = admin.q(SET_UP, json!({ "i": { "acknowledgeLossRisk": false } })).await;
        assert_field(&r, "BAD_USER_INPUT", "acknowledgeLossRisk");
        assert!(r.message().contains("lost"), "the loss is said plainly: {}", r.message());
        assert_eq!(app.count_rows("country_keys").await, 0);
        assert_eq!(app.count_rows("country_key_wraps").await, 0);
        // Not an admin: refused.
        coord.q(SET_UP, json!({ "i": { "acknowledgeLossRisk": true } })).await.assert_code("FORBIDDEN");
        app.diplomat_free(&admin, "FR").await.q(SET_UP, json!({ "i": { "acknowledgeLossRisk": true } })).await.assert_code("FORBIDDEN");
        app.operator().await.q(SET_UP, json!({ "i": { "acknowledgeLossRisk": true } })).await.assert_code("FORBIDDEN");
        assert_eq!(app.count_rows("country_keys").await, 0);

        let r = admin.q(SET_UP, json!({ "i": { "acknowledgeLossRisk": true } })).await;
        let made = &r.data()["setUpIdentityKey"];
        let recovery = str_of(&made["recoveryKey"], "recoveryKey");
        let groups: Vec<&str> = recovery.split('-').collect();
        assert_eq!(groups.len(), 13, "{recovery}");
        assert!(groups.iter().all(|g| g.len() == 4 && g.chars().all(|c| c.is_ascii_alphanumeric())), "{recovery}");
        assert_eq!(made["status"]["ready"], true);
        assert_eq!(made["status"]["custodian"], true);
        assert_eq!(made["status"]["unlocked"], true);
        assert_eq!(made["status"]["country"], "FR");
        assert_eq!(audit_count(&app, "IDENTITY_KEY_CREATED").await, 1);
        // Twice: a conflict, and the recovery key is never shown again.
        let again = admin.q(SET_UP, json!({ "i": { "acknowledgeLossRisk": true } })).await;
        again.assert_code("CONFLICT");
        assert!(!again.body.to_string().contains(&recovery));
        assert!(!key_status(&admin).await.to_string().contains(&recovery));
        assert_eq!(app.count_rows("country_keys").await, 1);
        // The tolerant helper says so too.
        assert_eq!(ensure_key(&admin).await, None);

        // A case without identity, made before the key, opens (empty) now.
        assert_eq!(read(&admin, &bare).await, Read::Name(None));
        // The coordinator made before the key holds none until granted.
        assert_eq!(read(&coord, &bare).await, locked("NOT_A_CUSTODIAN"));
        admin.q(GRANT, json!({ "u": coord.id })).await.data();
        let id = case_with(&coord, "Fleur Unique Name").await;
        assert_eq!(read(&coord, &id).await, name("Fleur Unique Name"));
        assert_eq!(read(&admin, &id).await, name("Fleur Unique Name"));
    }

    async fn custodians_grant_revoke_deactivate_and_the_last_keeps_it(app: TestApp) {
        let ca = keyed(&app, "CA").await;
        let admin = &ca.admin;
        // An admin with the key, unlocked, creating a coordinator: they hold it at once.
        let coord = member(&app, admin, "COORDINATOR", "CA").await;
        let dip = member(&app, admin, "DIPLOMAT", "CA").await;
        let id = case_with(&coord, "Amara Custodian Test").await;
        assert_eq!(read(&coord, &id).await, name("Amara Custodian Test"));
        assert_eq!(read(admin, &id).await, name("Amara Custodian Test"));
        assert_eq!(read(&dip, &id).await, locked("NOT_A_CUSTODIAN"));
        let custodians = |s: &Value| -> Vec<String> {
            let mut v: Vec<String> = s["custodians"].as_array().expect("custodians").iter()
                .map(|c| str_of(&c["id"], "id")).collect();
            v.sort();
            v
        };
        let mut both = vec![admin.id.clone(), coord.id.clone()];
        both.sort();
        assert_eq!(custodians(&key_status(admin).await), both);
        // Only an admin grants; a coordinator holding the key may not.
        coord.q(GRANT, json!({ "u": dip.id })).await.assert_code("FORBIDDEN");
        // Another country's admin does not see the user at all.
        let nl = keyed(&app, "NL").await;
        nl.admin.q(GRANT, json!({ "u": dip.id })).await.assert_code("NOT_FOUND");

        // Granted: the diplomat's session already carries their own key, so
        // the new copy opens at once, without signing in again.
        let reads = audit_count(&app, "IDENTITY_READ").await;
        // The coordinator's copy at creation was a grant too.
        assert_eq!(audit_count(&app, "IDENTITY_ACCESS_GRANTED").await, 1);
        admin.q(GRANT, json!({ "u": dip.id })).await.data();
        assert_eq!(audit_count(&app, "IDENTITY_ACCESS_GRANTED").await, 2);
        assert_eq!(read(&dip, &id).await, name("Amara Custodian Test"));
        assert_eq!(audit_count(&app, "IDENTITY_READ").await, reads + 1, "every read audited");
        assert_eq!(key_status(&dip).await["custodian"], true);
        // Revoked: refused at once.
        admin.q(REVOKE, json!({ "u": dip.id })).await.data();
        assert_eq!(read(&dip, &id).await, locked("NOT_A_CUSTODIAN"));
        assert_eq!(wraps_of(&app, &dip).await, 0);
        assert_eq!(audit_count(&app, "IDENTITY_ACCESS_REVOKED").await, 1);
        let r = admin.q(REVOKE, json!({ "u": dip.id })).await;
        assert_field(&r, "BAD_USER_INPUT", "userId");

        // Deactivation deletes the copies; reactivation does not bring them back.
        assert_eq!(wraps_of(&app, &coord).await, 1);
        deactivate(admin, &coord).await;
        assert_eq!(wraps_of(&app, &coord).await, 0);
        admin.q("mutation($u: ID!) { reactivateUser(userId: $u) { id active } }", json!({ "u": coord.id })).await.data();
        let coord = app.login(&coord.email, PASSWORD).await;
        assert_eq!(read(&coord, &id).await, locked("NOT_A_CUSTODIAN"));
        admin.q(GRANT, json!({ "u": coord.id })).await.data();
        assert_eq!(read(&coord, &id).await, name("Amara Custodian Test"));

        // The last custodian keeps the key.
        admin.q(REVOKE, json!({ "u": coord.id })).await.data();
        let last = admin.q(REVOKE, json!({ "u": admin.id })).await;
        last.assert_code("CONFLICT");
        assert_eq!(read(admin, &id).await, name("Amara Custodian Test"));
        assert_eq!(read(&coord, &id).await, locked("NOT_A_CUSTODIAN"));
    }

    async fn a_refresh_without_the_client_secret_gives_a_locked_session(app: TestApp) {
        let ca = keyed(&app, "CA").await;
        let coord = member(&app, &ca.admin, "COORDINATOR", "CA").await;
        let id = case_with(&coord, "Refresh Person Name").await;
        assert!(coord.refresh.contains('.'), "an API session's refresh token carries the secret");
        let (bare, _) = coord.refresh.split_once('.').expect("suffix");

        // Without the suffix: the new session answers SESSION_LOCKED.
        let r = app.anon(REFRESH, json!({ "r": bare })).await;
        let t = &r.data()["refreshToken"];
        let locked_actor = Actor { token: str_of(&t["accessToken"], "token"), refresh: str_of(&t["refreshToken"], "refresh"), ..coord.clone() };
        assert_eq!(read(&locked_actor, &id).await, locked("SESSION_LOCKED"));
        let s = key_status(&locked_actor).await;
        assert_eq!(s["custodian"], true);
        assert_eq!(s["unlocked"], false);
        // Nor does its next refresh unlock it again.
        let r = app.anon(REFRESH, json!({ "r": locked_actor.refresh })).await;
        let t = &r.data()["refreshToken"];
        let still = Actor { token: str_of(&t["accessToken"], "token"), ..coord.clone() };
        assert_eq!(read(&still, &id).await, locked("SESSION_LOCKED"));
        // A locked session cannot set up, grant or decide either.
        let locked_admin = {
            let admin = app.login(&ca.admin.email, PASSWORD).await;
            let (bare, _) = admin.refresh.split_once('.').expect("suffix");
            let r = app.anon(REFRESH, json!({ "r": bare })).await;
            Actor { token: str_of(&r.data()["refreshToken"]["accessToken"], "token"), ..admin }
        };
        let dip = member(&app, &ca.admin, "DIPLOMAT", "CA").await;
        let r = locked_admin.q(GRANT, json!({ "u": dip.id })).await;
        r.assert_code("IDENTITY_LOCKED");
        assert_eq!(r.body["errors"][0]["extensions"]["reason"], "SESSION_LOCKED");

        // With the suffix: the session stays unlocked, refresh after refresh.
        let other = app.login(&coord.email, PASSWORD).await;
        let r = app.anon(REFRESH, json!({ "r": other.refresh })).await;
        let t = &r.data()["refreshToken"];
        let refreshed = Actor { token: str_of(&t["accessToken"], "token"), refresh: str_of(&t["refreshToken"], "refresh"), ..coord.clone() };
        assert_eq!(read(&refreshed, &id).await, name("Refresh Person Name"));
        let r = app.anon(REFRESH, json!({ "r": refreshed.refresh })).await;
        let again = Actor { token: str_of(&r.data()["refreshToken"]["accessToken"], "token"), ..coord.clone() };
        assert_eq!(read(&again, &id).await, name("Refresh Person Name"));
        // A made-up secret does not open it.
        let third = app.login(&coord.email, PASSWORD).await;
        let (bare, _) = third.refresh.split_once('.').expect("suffix");
        let forged = format!("{bare}.{}", "A".repeat(43));
        let r = app.anon(REFRESH, json!({ "r": forged })).await;
        if !failed(&r) {
            let f = Actor { token: str_of(&r.data()["refreshToken"]["accessToken"], "token"), ..coord.clone() };
            assert_eq!(read(&f, &id).await, locked("SESSION_LOCKED"));
        }
    }

    async fn a_password_change_keeps_identities_open(app: TestApp) {
        let ca = keyed(&app, "CA").await;
        let coord = member(&app, &ca.admin, "COORDINATOR", "CA").await;
        let id = case_with(&coord, "Password Person Name").await;
        let new = "a brand new long passphrase";
        assert_eq!(coord.q(CHANGE, json!({ "c": PASSWORD, "n": new })).await.data()["changePassword"], true);
        // The session that changed it still reads.
        assert_eq!(read(&coord, &id).await, name("Password Person Name"));
        // A new sign-in with the new password reads; the old one fails.
        let fresh = app.login(&coord.email, new).await;
        assert_eq!(read(&fresh, &id).await, name("Password Person Name"));
        assert!(failed(&app.login_raw(&coord.email, PASSWORD).await));
        // The member key did not change: the copy of the country key still opens.
        assert_eq!(wraps_of(&app, &coord).await, 1);
        // And again, back: still open.
        fresh.q(CHANGE, json!({ "c": new, "n": "yet another long passphrase" })).await.data();
        let third = app.login(&coord.email, "yet another long passphrase").await;
        assert_eq!(read(&third, &id).await, name("Password Person Name"));
    }

    async fn rotation_moves_every_identity_and_retires_the_old_recovery_key(app: TestApp) {
        let ca = keyed(&app, "CA").await;
        let admin = &ca.admin;
        let coord = member(&app, admin, "COORDINATOR", "CA").await;
        let dip = member(&app, admin, "DIPLOMAT", "CA").await;
        admin.q(GRANT, json!({ "u": dip.id })).await.data();
        let a = case_with(&coord, "Rotation Person One").await;
        let b = case_with(&coord, "Rotation Person Two").await;
        let bare = case_without(&coord, "Defender Bare").await;
        // Only an admin holding the key rotates, and only acknowledged.
        coord.q(ROTATE, json!({})).await.assert_code("FORBIDDEN");
        let r = admin.q("mutation { rotateIdentityKey(acknowledgeLossRisk: false) { recoveryKey } }", json!({})).await;
        assert_field(&r, "BAD_USER_INPUT", "acknowledgeLossRisk");

        let r = admin.q(ROTATE, json!({})).await;
        let rotated = &r.data()["rotateIdentityKey"];
        let fresh_recovery = str_of(&rotated["recoveryKey"], "recoveryKey");
        assert_ne!(fresh_recovery, ca.recovery);
        assert_eq!(rotated["status"]["pendingReseal"], 0);
        assert_eq!(audit_count(&app, "IDENTITY_KEY_ROTATED").await, 1);
        assert_eq!(audit_count(&app, "IDENTITY_KEY_DESTROYED").await, 1, "the old key is gone once empty");
        assert!(audit_count(&app, "IDENTITIES_RESEALED").await >= 1);
        assert_eq!(app.count_rows("country_keys").await, 1);
        assert_eq!(key_status(admin).await["pendingReseal"], 0);
        // Every custodian still reads, in the sessions they had.
        for who in [admin, &coord, &dip] {
            assert_eq!(read(who, &a).await, name("Rotation Person One"));
            assert_eq!(read(who, &b).await, name("Rotation Person Two"));
            assert_eq!(read(who, &bare).await, Read::Name(None));
        }
        // New cases seal to the new key.
        let c = case_with(&coord, "Rotation Person Three").await;
        assert_eq!(read(&dip, &c).await, name("Rotation Person Three"));

        // A fresh admin without a copy: the old recovery key opens nothing.
        let fresh = plain_admin(&app, "CA").await;
        assert_eq!(read(&fresh, &a).await, locked("NOT_A_CUSTODIAN"));
        assert_field(&fresh.q(RECOVER, json!({ "k": ca.recovery })).await, "BAD_USER_INPUT", "recoveryKey");
        assert_eq!(read(&fresh, &a).await, locked("NOT_A_CUSTODIAN"));
        let r = fresh.q(RECOVER, json!({ "k": fresh_recovery.to_lowercase().replace('-', " ") })).await;
        assert_eq!(r.data()["recoverIdentityKey"]["custodian"], true);
        assert_eq!(read(&fresh, &a).await, name("Rotation Person One"));
        assert_eq!(read(&fresh, &c).await, name("Rotation Person Three"));
        assert_eq!(audit_count(&app, "IDENTITY_KEY_RECOVERED").await, 1);
        // Rotating twice more keeps everything open.
        fresh.q(ROTATE, json!({})).await.data();
        admin.q(ROTATE, json!({})).await.data();
        assert_eq!(audit_count(&app, "IDENTITY_KEY_DESTROYED").await, 3);
        for who in [admin, &coord, &dip, &fresh] {
            assert_eq!(read(who, &b).await, name("Rotation Person Two"));
        }
    }

    async fn recovery_by_a_fresh_admin_and_wrong_keys_refused(app: TestApp) {
        let ca = keyed(&app, "CA").await;
        let coord = member(&app, &ca.admin, "COORDINATOR", "CA").await;
        let id = case_with(&coord, "Recovery Person Name").await;
        let fresh = plain_admin(&app, "CA").await;
        assert_eq!(read(&fresh, &id).await, locked("NOT_A_CUSTODIAN"));
        for wrong in ["", "not a key", "AAAA-AAAA-AAAA-AAAA-AAAA-AAAA-AAAA-AAAA-AAAA-AAAA-AAAA-AAAA-AAAA"] {
            let r = fresh.q(RECOVER, json!({ "k": wrong })).await;
            assert_field(&r, "BAD_USER_INPUT", "recoveryKey");
        }
        // Another country's recovery key does not open this one.
        let nl = keyed(&app, "NL").await;
        assert_field(&fresh.q(RECOVER, json!({ "k": nl.recovery })).await, "BAD_USER_INPUT", "recoveryKey");
        // Not an admin: refused even with the right key.
        coord.q(RECOVER, json!({ "k": ca.recovery })).await.assert_code("FORBIDDEN");
        assert_eq!(audit_count(&app, "IDENTITY_KEY_RECOVERED").await, 0);
        fresh.q(RECOVER, json!({ "k": ca.recovery })).await.data();
        assert_eq!(read(&fresh, &id).await, name("Recovery Person Name"));
        assert_eq!(audit_count(&app, "IDENTITY_KEY_RECOVERED").await, 1);
    }

    async fn the_key_ring_migration_seals_to_each_country_and_leaves_claim_codes(app: TestApp) {
        // CA has a key; DE has none. Both have identities sealed the old way.
        let ca = keyed(&app, "CA").await;
        let ca_coord = member(&app, &ca.admin, "COORDINATOR", "CA").await;
        let de_admin = plain_admin(&app, "DE").await;
        let de_coord = member(&app, &de_admin, "COORDINATOR", "DE").await;
        let ca_case = case_without(&ca_coord, "Defender Ring CA").await;
        let de_case = case_without(&de_coord, "Defender Ring DE").await;
        let de_case2 = case_without(&de_coord, "Defender Ring DE 2").await;
        ring_seal(&app, &ca_case, "Ring Sealed Canadian").await;
        ring_seal(&app, &de_case, "Ring Sealed German").await;
        ring_seal(&app, &de_case2, "Ring Sealed Second").await;
        assert_eq!(accord_server::service::identity::internal_ring_sealed_remaining(app.state()).await.expect("count"), 3);
        // Until migrated, they still open (through the ring) for the owner.
        assert_eq!(read(&ca.admin, &ca_case).await, name("Ring Sealed Canadian"));

        let report = accord_server::service::identity::internal_seal_ring_identities(app.state()).await.expect("migrate");
        let ca_part = report.iter().find(|m| m.country.as_str() == "CA").expect("CA migrated");
        assert_eq!(ca_part.cases, 1);
        assert!(ca_part.claim_code.is_none());
        let de_part = report.iter().find(|m| m.country.as_str() == "DE").expect("DE migrated");
        assert_eq!(de_part.cases, 2);
        let claim = de_part.claim_code.as_ref().expect("a claim code for DE").to_string();
        assert_eq!(accord_server::service::identity::internal_ring_sealed_remaining(app.state()).await.expect("count"), 0);
        assert_eq!(ring_sealed_rows(&app).await, 0, "no sealed field left without a country key");
        // Running it again moves nothing.
        assert!(accord_server::service::identity::internal_seal_ring_identities(app.state()).await.expect("again").is_empty());
        assert!(audit_details(&app, "IDENTITIES_RESEALED").await.iter().any(|d| d.as_deref().is_some_and(|d| d.contains("from=key-ring"))));
        // The server's key ring opens none of them any more.
        for model in case::Entity::find().all(app.db()).await.expect("cases") {
            for (field, v) in [("legal_name", &model.legal_name_sealed), ("contact", &model.contact_sealed), ("location", &model.location_sealed), ("notes", &model.notes_sealed)] {
                if let Some(v) = v {
                    assert!(app.state().keys_identity.open(&format!("accord:case:{}:{field}", model.id), v).is_err());
                }
            }
        }

        // CA: its custodians read, as before.
        assert_eq!(read(&ca.admin, &ca_case).await, name("Ring Sealed Canadian"));
        assert_eq!(read(&ca_coord, &ca_case).await, name("Ring Sealed Canadian"));
        // DE: claimable; nobody reads until the first admin claims it.
        let s = key_status(&de_admin).await;
        assert_eq!(s["claimable"], true);
        assert_eq!(s["ready"], false);
        assert!(matches!(read(&de_admin, &de_case).await, Read::Locked(_)));
        assert!(matches!(read(&de_coord, &de_case).await, Read::Locked(_)));
        de_coord.q(SET_UP, json!({ "i": { "acknowledgeLossRisk": true, "claimCode": claim } })).await.assert_code("FORBIDDEN");
        assert_field(&de_admin.q(SET_UP, json!({ "i": { "acknowledgeLossRisk": true } })).await, "BAD_USER_INPUT", "claimCode");
        assert_field(&de_admin.q(SET_UP, json!({ "i": { "acknowledgeLossRisk": true, "claimCode": ca.recovery } })).await, "BAD_USER_INPUT", "claimCode");
        assert_field(&de_admin.q(SET_UP, json!({ "i": { "acknowledgeLossRisk": true, "claimCode": "nonsense" } })).await, "BAD_USER_INPUT", "claimCode");
        // A claim code where there is nothing to claim.
        assert_field(&plain_admin(&app, "SE").await.q(SET_UP, json!({ "i": { "acknowledgeLossRisk": true, "claimCode": claim } })).await, "BAD_USER_INPUT", "claimCode");
        let r = de_admin.q(SET_UP, json!({ "i": { "acknowledgeLossRisk": true, "claimCode": claim } })).await;
        let made = &r.data()["setUpIdentityKey"];
        assert_eq!(made["status"]["ready"], true);
        assert_eq!(made["status"]["claimable"], false);
        assert_eq!(key_status(&de_admin).await["pendingReseal"], 0);
        assert_eq!(read(&de_admin, &de_case).await, name("Ring Sealed German"));
        assert_eq!(read(&de_admin, &de_case2).await, name("Ring Sealed Second"));
        // The claim code is spent: the migration key is gone.
        assert_eq!(audit_count(&app, "IDENTITY_KEY_DESTROYED").await, 1);
        let again = de_admin.q(SET_UP, json!({ "i": { "acknowledgeLossRisk": true, "claimCode": claim } })).await;
        again.assert_code("CONFLICT");
        // The new key is DE's own: its recovery key recovers it.
        let recovery = str_of(&made["recoveryKey"], "recoveryKey");
        let second = plain_admin(&app, "DE").await;
        second.q(RECOVER, json!({ "k": claim })).await.assert_code("BAD_USER_INPUT");
        second.q(RECOVER, json!({ "k": recovery })).await.data();
        assert_eq!(read(&second, &de_case).await, name("Ring Sealed German"));
        assert_eq!(ring_sealed_rows(&app).await, 0);
    }

    async fn reveals_are_requested_decided_expire_and_stop_at_once(app: TestApp) {
        let ca = keyed(&app, "CA").await;
        let nl = keyed(&app, "NL").await;
        let owner = member(&app, &ca.admin, "COORDINATOR", "CA").await;
        let ca_dip = member(&app, &ca.admin, "DIPLOMAT", "CA").await;
        let nl_coord = member(&app, &nl.admin, "COORDINATOR", "NL").await;
        let nl_dip = member(&app, &nl.admin, "DIPLOMAT", "NL").await;
        let de_admin = plain_admin(&app, "DE").await;
        let de_dip = member(&app, &de_admin, "DIPLOMAT", "DE").await;
        let se_admin = plain_admin(&app, "SE").await;
        let se_dip = member(&app, &se_admin, "DIPLOMAT", "SE").await;
        let ch_admin = plain_admin(&app, "CH").await;
        let ch_dip = member(&app, &ch_admin, "DIPLOMAT", "CH").await;

        let id = case_with(&owner, "Revealed Person Name").await;
        let empty = case_without(&owner, "Defender Empty").await;
        for c in [&id, &empty] {
            consent(&owner, c, true).await.data();
            share(&owner, c, "NL", "DETAIL").await.data();
            share(&owner, c, "DE", "SUMMARY").await.data();
            share(&owner, c, "SE", "DETAIL").await.data();
        }
        // Before any reveal: partners read null, never an error that tells.
        assert_eq!(read(&nl_coord, &id).await, Read::Null);
        assert_eq!(read(&nl_coord, &empty).await, Read::Null);
        let why = json!({ "c": id, "m": "We are asked to attend the hearing in person" });
        // Who may not ask.
        de_dip.q(REQUEST, why.clone()).await.assert_code("NOT_FOUND");
        ch_dip.q(REQUEST, why.clone()).await.assert_code("NOT_FOUND");
        assert_field(&owner.q(REQUEST, why.clone()).await, "BAD_USER_INPUT", "caseId");
        let r = se_dip.q(REQUEST, why.clone()).await;
        r.assert_code("IDENTITY_LOCKED");
        assert_eq!(r.body["errors"][0]["extensions"]["reason"], "NO_COUNTRY_KEY");
        assert_field(&nl_dip.q(REQUEST, json!({ "c": id, "m": "   " })).await, "BAD_USER_INPUT", "motivation");
        assert_eq!(audit_count(&app, "IDENTITY_REVEAL_REQUESTED").await, 0);

        // Asked: pending; a second open request is a conflict.
        let r = nl_dip.q(REQUEST, why.clone()).await;
        let asked = r.data()["requestIdentityReveal"].clone();
        assert_eq!(asked["state"], "PENDING");
        assert_eq!(asked["side"], "REQUESTER");
        assert_eq!(asked["requestingCountry"], "NL");
        let rid = str_of(&asked["id"], "reveal id");
        nl_coord.q(REQUEST, why.clone()).await.assert_code("CONFLICT");
        assert_eq!(audit_count(&app, "IDENTITY_REVEAL_REQUESTED").await, 1);
        // A case with no identity recorded: asked the same way, the same answer.
        let r = nl_dip.q(REQUEST, json!({ "c": empty, "m": "We are asked to attend the hearing in person" })).await;
        let asked_empty = r.data()["requestIdentityReveal"].clone();
        assert_eq!(shape(&asked), shape(&asked_empty), "asking never tells whether an identity was recorded");
        let rid_empty = str_of(&asked_empty["id"], "reveal id");
        // The owner sees both, from its side; a third country sees neither.
        let seen = ca.admin.q(REVEAL_NODE, json!({ "id": rid })).await;
        assert_eq!(seen.data()["node"]["side"], "OWNER");
        de_dip.q(REVEAL_NODE, json!({ "id": rid })).await.assert_code("NOT_FOUND");
        let inbox = ca.admin.q("{ identityReveals(states: [PENDING]) { id } }", json!({})).await;
        assert_eq!(inbox.data()["identityReveals"].as_array().expect("list").len(), 2);
        // Pending is not approved.
        assert_eq!(read(&nl_coord, &id).await, Read::Null);

        // Who may not decide: the requester, a locked or non-custodian owner member.
        let approve = |expires: String| json!({ "approve": true, "motivation": "Approved for the hearing", "expiresAt": expires });
        nl.admin.q(DECIDE, json!({ "id": rid, "i": approve(in_secs(&app, 86_400)) })).await.assert_code("FORBIDDEN");
        let r = ca_dip.q(DECIDE, json!({ "id": rid, "i": approve(in_secs(&app, 86_400)) })).await;
        r.assert_code("IDENTITY_LOCKED");
        assert_field(&ca.admin.q(DECIDE, json!({ "id": rid, "i": { "approve": true, "motivation": "ok" } })).await, "BAD_USER_INPUT", "expiresAt");
        assert_field(&ca.admin.q(DECIDE, json!({ "id": rid, "i": approve(in_secs(&app, 91 * 86_400)) })).await, "BAD_USER_INPUT", "expiresAt");
        assert_field(&ca.admin.q(DECIDE, json!({ "id": rid, "i": approve(in_secs(&app, -10)) })).await, "BAD_USER_INPUT", "expiresAt");

        // Approved: the partner's custodians read; its other members do not.
        let r = owner.q(DECIDE, json!({ "id": rid, "i": approve(in_secs(&app, 86_400)) })).await;
        assert_eq!(r.data()["decideIdentityReveal"]["state"], "APPROVED");
        assert_eq!(audit_count(&app, "IDENTITY_REVEAL_APPROVED").await, 1);
        owner.q(DECIDE, json!({ "id": rid, "i": approve(in_secs(&app, 86_400)) })).await.assert_code("CONFLICT");
        assert_eq!(read(&nl_coord, &id).await, name("Revealed Person Name"));
        assert_eq!(read(&nl.admin, &id).await, name("Revealed Person Name"));
        assert_eq!(read(&nl_dip, &id).await, locked("NOT_A_CUSTODIAN"));
        let rid_uuid = row_uuid(&rid);
        let through: Vec<_> = audit_details(&app, "IDENTITY_READ").await.into_iter()
            .filter(|d| d.as_deref() == Some(format!("reveal={rid_uuid}").as_str())).collect();
        assert_eq!(through.len(), 2, "each read through the reveal audited with it");
        // Only to NL: another DETAIL partner without a reveal reads null.
        assert_eq!(read(&se_dip, &id).await, Read::Null);
        // The empty one, approved, opens to nothing: still no tell.
        ca.admin.q(DECIDE, json!({ "id": rid_empty, "i": approve(in_secs(&app, 86_400)) })).await.data();
        assert_eq!(read(&nl_coord, &empty).await, Read::Name(None));

        // Revoked: stops at once; only a running approval can be revoked.
        nl_dip.q(REVOKE_REVEAL, json!({ "id": rid, "m": "not ours" })).await.assert_code("FORBIDDEN");
        let r = ca.admin.q(REVOKE_REVEAL, json!({ "id": rid, "m": "Hearing postponed" })).await;
        assert_eq!(r.data()["revokeIdentityReveal"]["state"], "REVOKED");
        assert_eq!(read(&nl_coord, &id).await, Read::Null);
        assert_eq!(read(&nl.admin, &id).await, Read::Null);
        ca.admin.q(REVOKE_REVEAL, json!({ "id": rid, "m": "again" })).await.assert_code("CONFLICT");
        assert_eq!(audit_count(&app, "IDENTITY_REVEAL_REVOKED").await, 1);
        let seen = nl_coord.q(REVEAL_NODE, json!({ "id": rid })).await;
        assert!(seen.data()["node"]["decisionMotivation"].as_str().expect("motivation").contains("Hearing postponed"));

        // Denied, with a motivation both sides read; the partner reads null.
        let r = nl_coord.q(REQUEST, why.clone()).await;
        let rid2 = str_of(&r.data()["requestIdentityReveal"]["id"], "id");
        let r = ca.admin.q(DECIDE, json!({ "id": rid2, "i": { "approve": false, "motivation": "Too risky right now" } })).await;
        assert_eq!(r.data()["decideIdentityReveal"]["state"], "DENIED");
        for who in [&ca.admin, &nl_dip] {
            let seen = who.q(REVEAL_NODE, json!({ "id": rid2 })).await;
            assert_eq!(seen.data()["node"]["decisionMotivation"], "Too risky right now");
            assert_eq!(seen.data()["node"]["state"], "DENIED");
        }
        assert_eq!(read(&nl_coord, &id).await, Read::Null);
        assert_eq!(audit_count(&app, "IDENTITY_REVEAL_DENIED").await, 1);
        ca.admin.q(REVOKE_REVEAL, json!({ "id": rid2, "m": "x" })).await.assert_code("CONFLICT");

        // Expired: approved briefly, the clock moves past it.
        let r = nl_coord.q(REQUEST, why.clone()).await;
        let rid3 = str_of(&r.data()["requestIdentityReveal"]["id"], "id");
        ca.admin.q(DECIDE, json!({ "id": rid3, "i": approve(in_secs(&app, 60)) })).await.data();
        assert_eq!(read(&nl_coord, &id).await, name("Revealed Person Name"));
        app.advance_clock(chrono::Duration::seconds(61));
        assert_eq!(read(&nl_coord, &id).await, Read::Null);
        let seen = nl_coord.q(REVEAL_NODE, json!({ "id": rid3 })).await;
        assert_eq!(seen.data()["node"]["state"], "EXPIRED");
        let seen = ca.admin.q(REVEAL_NODE, json!({ "id": rid3 })).await;
        assert_eq!(seen.data()["node"]["state"], "EXPIRED");
        ca.admin.q(REVOKE_REVEAL, json!({ "id": rid3, "m": "x" })).await.assert_code("CONFLICT");
        // The jobs wipe its sealed copy.
        accord_server::service::reveals::internal_wipe_expired(app.state()).await.expect("wipe");
        assert_eq!(read(&nl_coord, &id).await, Read::Null);

        // The requesting country's admin may give a running approval up.
        let r = nl_coord.q(REQUEST, why.clone()).await;
        let rid4 = str_of(&r.data()["requestIdentityReveal"]["id"], "id");
        ca.admin.q(DECIDE, json!({ "id": rid4, "i": approve(in_secs(&app, 86_400)) })).await.data();
        assert_eq!(read(&nl_coord, &id).await, name("Revealed Person Name"));
        nl_coord.q(REVOKE_REVEAL, json!({ "id": rid4, "m": "done" })).await.assert_code("FORBIDDEN");
        nl.admin.q(REVOKE_REVEAL, json!({ "id": rid4, "m": "No longer needed" })).await.data();
        assert_eq!(read(&nl_coord, &id).await, Read::Null);

        // Unshared: the partner loses the case and the reveal with it.
        let r = nl_coord.q(REQUEST, why.clone()).await;
        let rid5 = str_of(&r.data()["requestIdentityReveal"]["id"], "id");
        ca.admin.q(DECIDE, json!({ "id": rid5, "i": approve(in_secs(&app, 86_400)) })).await.data();
        assert_eq!(read(&nl_coord, &id).await, name("Revealed Person Name"));
        owner.q("mutation($id: ID!, $c: String!) { unshareCase(caseId: $id, input: { country: $c }) { id } }",
            json!({ "id": id, "c": "NL" })).await.data();
        assert_eq!(read(&nl_coord, &id).await, Read::NotFound);
        nl_coord.q(REVEAL_NODE, json!({ "id": rid5 })).await.assert_code("NOT_FOUND");
        nl_coord.q(REQUEST, why.clone()).await.assert_code("NOT_FOUND");
        // Sight lost ended the approval for good: sharing again does not
        // bring it back (the partner asks anew).
        share(&owner, &id, "NL", "DETAIL").await.data();
        assert_eq!(read(&nl_coord, &id).await, Read::Null);
        let r = ca.admin.q(REVEAL_NODE, json!({ "id": rid5 })).await;
        assert!(r.body.to_string().contains("REVOKED"), "{}", r.body);
        // The owner sees every reveal of the case.
        let r = ca.admin.q("query($id: ID!) { case(id: $id) { identityReveals { id state } } }", json!({ "id": id })).await;
        assert_eq!(r.data()["case"]["identityReveals"].as_array().expect("list").len(), 5);
        // Every step is in the audit trail.
        assert_eq!(audit_count(&app, "IDENTITY_REVEAL_REQUESTED").await, 6);
        assert_eq!(audit_count(&app, "IDENTITY_REVEAL_APPROVED").await, 5);
        assert_eq!(audit_count(&app, "IDENTITY_REVEAL_DENIED").await, 1);
        assert_eq!(audit_count(&app, "IDENTITY_REVEAL_REVOKED").await, 3);
    }
}

on_both_backends! {
    async fn reveal_inputs_out_of_range_and_the_per_case_cap_are_refused(app: TestApp) {
        let ca = keyed(&app, "CA").await;
        let nl = keyed(&app, "NL").await;
        let owner = member(&app, &ca.admin, "COORDINATOR", "CA").await;
        let nl_coord = member(&app, &nl.admin, "COORDINATOR", "NL").await;
        let id = case_with(&owner, "Bounded Person").await;
        consent(&owner, &id, true).await.data();
        share(&owner, &id, "NL", "DETAIL").await.data();
        let why = json!({ "c": id, "m": "We are asked to attend the hearing in person" });
        let rid = str_of(&nl_coord.q(REQUEST, why.clone()).await.data()["requestIdentityReveal"]["id"], "id");

        let decide = |i: Value| json!({ "id": rid, "i": i });
        let days = |d: i64| json!({ "approve": true, "motivation": "For the hearing", "validForDays": d });
        for d in [0, -1, 91, 365] {
            assert_field(&ca.admin.q(DECIDE, decide(days(d))).await, "BAD_USER_INPUT", "validForDays");
        }
        let both = json!({ "approve": true, "motivation": "For the hearing",
            "validForDays": 3, "expiresAt": in_secs(&app, 86_400) });
        assert_field(&ca.admin.q(DECIDE, decide(both)).await, "BAD_USER_INPUT", "expiresAt");
        // Nothing was decided by the refusals: 90 days is the edge, and taken.
        assert_eq!(audit_count(&app, "IDENTITY_REVEAL_APPROVED").await, 0);
        let r = ca.admin.q(DECIDE, decide(days(90))).await;
        assert_eq!(r.data()["decideIdentityReveal"]["state"], "APPROVED");

        // The list's page size is 1 to 100.
        for first in [0, -5, 101] {
            let r = ca.admin.q("query($f: Int!) { identityReveals(first: $f) { id } }", json!({ "f": first })).await;
            assert_field(&r, "BAD_USER_INPUT", "first");
        }
        let r = ca.admin.q("{ identityReveals(first: 100) { id } }", json!({})).await;
        assert_eq!(r.data()["identityReveals"].as_array().expect("list").len(), 1);

        // A case holds at most 200 requests, ever: the 200th is taken, the
        // 201st refused (decided ones count; the cap bounds the case's list).
        let (case_uuid, asker) = {
            let row = accord_server::store::identity_reveal::Entity::find().one(app.db()).await
                .expect("query").expect("the first request");
            (row.case_id, row.requested_by)
        };
        let revoke = json!({ "id": rid, "m": "The hearing is over" });
        ca.admin.q(REVOKE_REVEAL, revoke).await.data();
        let now = chrono::Utc::now();
        for _ in 0..198 {
            let row = accord_server::store::identity_reveal::Model {
                id: uuid::Uuid::new_v4(), case_id: case_uuid, owner_country: "CA".into(),
                requesting_country: "NL".into(), requested_by: asker, motivation: "Earlier".into(),
                state: "DENIED".into(), created_at: now, decided_by: None, decided_at: Some(now),
                decision_motivation: None, expires_at: None, revoked_by: None, revoked_at: None,
                key_id: None, legal_name_sealed: None, contact_sealed: None, location_sealed: None,
                notes_sealed: None,
            };
            accord_server::store::identity_reveal::insert(app.db(), row).await.expect("insert");
        }
        let r = nl_coord.q(REQUEST, why.clone()).await;
        let last = str_of(&r.data()["requestIdentityReveal"]["id"], "the 200th");
        let deny = json!({ "id": last, "i": { "approve": false, "motivation": "Not now" } });
        ca.admin.q(DECIDE, deny).await.data();
        let r = nl_coord.q(REQUEST, why).await;
        r.assert_code("CONFLICT");
        assert!(!r.message().contains("Bounded"), "the refusal names nothing: {}", r.message());
        assert_eq!(audit_count(&app, "IDENTITY_REVEAL_REQUESTED").await, 2);
    }
}

impl TestApp {
    /// A diplomat of `country` made by `admin` (not through `app.admin`).
    async fn diplomat_free(&self, admin: &Actor, country: &str) -> Actor {
        member(self, admin, "DIPLOMAT", country).await
    }
}

/// A response's keys and value kinds, ids and times aside.
fn shape(v: &Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.iter()
                .map(|(k, v)| {
                    let v = match k.as_str() {
                        "id" | "createdAt" => Value::String("…".into()),
                        _ => shape(v),
                    };
                    (k.clone(), v)
                })
                .collect(),
        ),
        other => other.clone(),
    }
}

/// Writes an identity sealed the old way (the server's key ring, no
/// country key) into a case, underneath the API.
async fn ring_seal(app: &TestApp, case_id: &str, legal_name: &str) {
    let id = row_uuid(case_id);
    let ring = &app.state().keys_identity;
    let model = case::Entity::find_by_id(id)
        .one(app.db())
        .await
        .expect("case")
        .expect("row");
    let seal = |field: &str, v: &str| {
        ring.seal(&format!("accord:case:{id}:{field}"), v)
            .expect("ring seals")
    };
    let mut am: case::ActiveModel = model.into();
    am.legal_name_sealed = Set(Some(seal("legal_name", legal_name)));
    am.contact_sealed = Set(Some(seal("contact", "+49 000 000")));
    am.location_sealed = Set(Some(seal("location", "Somewhere Ring")));
    am.notes_sealed = Set(None);
    am.identity_key_id = Set(None);
    am.update(app.db()).await.expect("ring-sealed");
}

/// Cases with a sealed field and no country key.
async fn ring_sealed_rows(app: &TestApp) -> i64 {
    let row = app
        .db()
        .query_one_raw(sea_orm::Statement::from_string(
            app.db().get_database_backend(),
            "SELECT COUNT(*) AS n FROM cases WHERE identity_key_id IS NULL AND (legal_name_sealed IS NOT NULL
             OR contact_sealed IS NOT NULL OR location_sealed IS NOT NULL OR notes_sealed IS NOT NULL)"
                .to_owned(),
        ))
        .await
        .expect("count")
        .expect("row");
    row.try_get::<i64>("", "n").expect("n")
}
