//! Acceptance for sealed identity: a full database dump plus the server's
//! whole configuration and environment, attacked with the project's own
//! code and no member password, opens no identity; the country's recovery
//! key opens them all.
use std::collections::BTreeSet;

use accord_server::crypto::sealed::{self, KdfParams, RecoveryKey, SecretKey, UnlockSecret};
use accord_server::store::{case, country_key_wrap, identity_reveal, member_key, session};
use base64::Engine;
use sea_orm::{ConnectionTrait, DbBackend, EntityTrait};
use secrecy::ExposeSecret;
use serde_json::{Value, json};
use sha2::Digest;

use crate::builders::*;
use crate::helpers::*;
use crate::identity_kit::*;
use crate::on_both_backends;

const NAMES: [&str; 3] = [
    "Zainab Dumpcheck Alpha",
    "Oluwaseun Dumpcheck Beta",
    "Ignacio Dumpcheck Gamma",
];
const CHANGE: &str =
    "mutation($c: String!, $n: String!) { changePassword(currentPassword: $c, newPassword: $n) }";

on_both_backends! {
    async fn a_dump_with_the_whole_configuration_opens_no_identity_and_the_recovery_key_opens_all(app: TestApp) {
        // A world: CA's key, custodians on API and web sessions, a reveal to NL.
        let ca = keyed(&app, "CA").await;
        let nl = keyed(&app, "NL").await;
        let coord = member(&app, &ca.admin, "COORDINATOR", "CA").await;
        let dip = member(&app, &ca.admin, "DIPLOMAT", "CA").await;
        ca.admin.q(GRANT, json!({ "u": dip.id })).await.data();
        let nl_coord = member(&app, &nl.admin, "COORDINATOR", "NL").await;
        let mut cases = Vec::new();
        for n in NAMES {
            cases.push(case_with(&coord, n).await);
        }
        consent(&coord, &cases[0], true).await.data();
        share(&coord, &cases[0], "NL", "DETAIL").await.data();
        let r = nl_coord.q(REQUEST, json!({ "c": cases[0], "m": "for the hearing" })).await;
        let rid = str_of(&r.data()["requestIdentityReveal"]["id"], "id");
        ca.admin.q(DECIDE, json!({ "id": rid, "i": { "approve": true, "motivation": "yes", "expiresAt": in_secs(&app, 86_400) } })).await.data();
        assert_eq!(read(&nl_coord, &cases[0]).await, name(NAMES[0]));
        // Members' passwords are theirs alone (the test configuration's
        // bootstrap password is every test user's first password).
        let mut own = Vec::new();
        for (i, who) in [&ca.admin, &coord, &dip, &nl.admin, &nl_coord].into_iter().enumerate() {
            let p = format!("member {i} own passphrase {}", uuid::Uuid::new_v4().simple());
            who.q(CHANGE, json!({ "c": PASSWORD, "n": p })).await.data();
            own.push((who.email.clone(), p));
        }
        // Signed in again, API and web, so sessions hold unlock blobs.
        let again = app.login(&coord.email, &own[1].1).await;
        assert_eq!(read(&again, &cases[1]).await, name(NAMES[1]));
        let web = crate::browser::page_cookie_with(&app, &dip.email, &own[2].1).await;
        assert!(!web.is_empty());
        let web_sessions = session::Entity::find().all(app.db()).await.expect("sessions")
            .into_iter().filter(|s| s.unlock_sealed.is_some() && s.web_token_hash.is_some()).count();
        assert!(web_sessions >= 1, "a web session with an unlock blob");
        // Expire nothing; read through everything once (logs and audit fill up).
        for c in &cases {
            assert!(matches!(read(&ca.admin, c).await, Read::Name(Some(_))));
        }

        // The dump.
        let dump = full_dump(&app).await;
        let dump_text = dump.iter().map(|(t, r)| format!("{t} {r}")).collect::<Vec<_>>().join("\n");
        for n in NAMES {
            assert!(!dump_text.contains(n), "{n} in clear in the dump");
            assert!(!dump_text.contains(&n.to_lowercase()), "{n} in clear in the dump");
        }
        assert!(!dump_text.contains(&ca.recovery.replace('-', "")) && !dump_text.contains(&ca.recovery), "the recovery key is not stored");
        if app.db().get_database_backend() == DbBackend::Sqlite {
            app.db().execute_unprepared("PRAGMA wal_checkpoint(TRUNCATE)").await.expect("checkpoint");
            for entry in std::fs::read_dir(app.data_dir()).expect("dir") {
                let bytes = std::fs::read(entry.expect("entry").path()).expect("read");
                for n in NAMES {
                    assert!(!bytes.windows(n.len()).any(|w| w == n.as_bytes()), "{n} in clear in the SQLite files");
                }
            }
        }

        // Everything the server holds: its configuration and environment.
        let config = &app.state().config;
        let mut config_strings: Vec<String> = vec![
            config.jwt_secret().to_owned(),
            config.database_url.clone(),
            accord_server::crypto::DEVELOPMENT_KEY.to_owned(),
        ];
        if let Some(k) = &config.identity_keys { config_strings.push(k.expose_secret().to_owned()); }
        if let Some(p) = &config.bootstrap_admin_password { config_strings.push(p.expose_secret().to_owned()); }
        config_strings.push(format!("{config:?}"));
        config_strings.extend(std::env::vars().map(|(_, v)| v));
        let ring_spec = config.identity_keys.as_ref().map(|s| s.expose_secret().to_owned())
            .unwrap_or_else(|| accord_server::crypto::DEVELOPMENT_KEY.to_owned());

        // Every 32-byte key one can derive from that and from the dump.
        let mut keys: BTreeSet<[u8; 32]> = BTreeSet::new();
        let add = |bytes: &[u8], keys: &mut BTreeSet<[u8; 32]>| {
            if let Ok(k) = <[u8; 32]>::try_from(bytes) { keys.insert(k); }
            keys.insert(sha2::Sha256::digest(bytes).into());
        };
        let mut ring_keys = 0;
        for entry in ring_spec.split(',') {
            if let Some((_, b64)) = entry.split_once(':')
                && let Ok(k) = base64::engine::general_purpose::STANDARD.decode(b64.trim())
            {
                add(&k, &mut keys);
                ring_keys += 1;
            }
        }
        assert!(ring_keys >= 1, "the key ring's keys are among the candidates");
        let mut strings: BTreeSet<String> = config_strings.iter().cloned().collect();
        // The tables that hold key material or anything a client secret
        // could be derived from (the rest is case data and the audit chain).
        const KEYISH: [&str; 6] = ["sessions", "refresh_tokens", "member_keys", "country_keys", "country_key_wraps", "users"];
        for (_, row) in dump.iter().filter(|(t, _)| KEYISH.contains(&t.as_str())) { collect_strings(row, &mut strings); }
        for s in &strings {
            add(s.as_bytes(), &mut keys);
            keys.insert(*UnlockSecret::from_cookie(s).key());
            if let Ok(b) = hex::decode(s) { add(&b, &mut keys); }
            for engine in [&base64::engine::general_purpose::STANDARD, &base64::engine::general_purpose::URL_SAFE_NO_PAD] {
                if let Ok(b) = engine.decode(s) { add(&b, &mut keys); }
            }
        }
        assert!(keys.len() > 20, "candidate keys: {}", keys.len());
        let secrets: Vec<SecretKey> = keys.iter().filter_map(|k| SecretKey::from_bytes(k).ok()).collect();

        // 1. The key ring on every sealed column, with every case's context.
        let ring = &app.state().keys_identity;
        let all_cases = case::Entity::find().all(app.db()).await.expect("cases");
        let reveals = identity_reveal::Entity::find().all(app.db()).await.expect("reveals");
        let mut sealed_values: Vec<String> = Vec::new();
        for c in &all_cases {
            sealed_values.extend([&c.legal_name_sealed, &c.contact_sealed, &c.location_sealed, &c.notes_sealed].into_iter().flatten().cloned());
        }
        for r in &reveals {
            sealed_values.extend([&r.legal_name_sealed, &r.contact_sealed, &r.location_sealed, &r.notes_sealed].into_iter().flatten().cloned());
        }
        assert!(sealed_values.len() >= 12 + 4, "cases and the reveal hold sealed fields: {}", sealed_values.len());
        for c in &all_cases {
            for field in ["legal_name", "contact", "location", "notes"] {
                for v in &sealed_values {
                    assert!(ring.open(&format!("accord:case:{}:{field}", c.id), v).is_err(), "the key ring opened an identity");
                }
            }
        }
        // 2. Every sealed field with every key as a country key, in its context.
        for c in &all_cases {
            let Some(key_id) = c.identity_key_id else { continue };
            for (field, v) in [("legal_name", &c.legal_name_sealed), ("contact", &c.contact_sealed)] {
                let Some(v) = v else { continue };
                let ctx = accord_server::service::identity::case_context(c.id, field, key_id);
                for s in &secrets { assert!(sealed::open_text(s, &ctx, v).is_err(), "a derived key opened a case field"); }
            }
        }
        for r in &reveals {
            let (Some(key_id), Some(v)) = (r.key_id, &r.legal_name_sealed) else { continue };
            let ctx = accord_server::service::identity::reveal_context(r.id, r.case_id, "legal_name", key_id);
            for s in &secrets { assert!(sealed::open_text(s, &ctx, v).is_err(), "a derived key opened a reveal"); }
        }
        // 3. Every country key wrap with every key (symmetric and as a member key).
        let wraps = country_key_wrap::Entity::find().all(app.db()).await.expect("wraps");
        assert!(wraps.iter().any(|w| w.holder == "RECOVERY"));
        for w in &wraps {
            let ctx = match w.user_id {
                Some(u) => format!("accord country key v1|key:{}|user:{u}", w.key_id),
                None => format!("accord country key v1|key:{}|{}", w.key_id, w.holder),
            };
            for k in &keys { assert!(sealed::unwrap_secret(k, &ctx, &w.wrapped).is_err(), "a derived key opened a {} wrap", w.holder); }
            for s in &secrets { assert!(sealed::unwrap_secret_with(s, &ctx, &w.wrapped).is_err(), "a derived key opened a {} wrap", w.holder); }
        }
        // 4. Member keys with every key, and with every string of the
        //    configuration, environment and users table as a password.
        let members = member_key::Entity::find().all(app.db()).await.expect("member keys");
        let users_strings: Vec<String> = dump.iter().filter(|(t, _)| t == "users").flat_map(|(_, r)| {
            let mut s = BTreeSet::new(); collect_strings(r, &mut s); s.into_iter().collect::<Vec<_>>()
        }).collect();
        let mut passwords: Vec<String> = config_strings.clone();
        passwords.extend(users_strings.into_iter().filter(|s| s.len() < 200));
        passwords.push(String::new());
        for m in &members {
            let ctx = format!("accord member key v1|user:{}", m.user_id);
            for k in &keys { assert!(sealed::unwrap_secret(k, &ctx, &m.private_wrapped).is_err(), "a derived key opened a member key"); }
            let params = KdfParams::parse(&m.kdf).expect("kdf params");
            for p in &passwords {
                let Ok(kek) = params.derive(p) else { continue };
                assert!(sealed::unwrap_secret(&kek, &ctx, &m.private_wrapped).is_err(), "a configured string opened a member key");
            }
        }
        // 5. Session unlock blobs with everything derivable (web_token_hash included).
        let sessions = session::Entity::find().all(app.db()).await.expect("sessions");
        let mut blobs = 0;
        for s in &sessions {
            let Some(blob) = &s.unlock_sealed else { continue };
            blobs += 1;
            let ctx = format!("accord session unlock v1|session:{}", s.id);
            let mut mine = keys.clone();
            if let Some(h) = &s.web_token_hash { mine.insert(*UnlockSecret::from_cookie(h).key()); }
            for k in &mine { assert!(sealed::unwrap_secret(k, &ctx, blob).is_err(), "a derived key opened a session"); }
        }
        assert!(blobs >= 3, "sessions with unlock blobs: {blobs}");

        // Controls: the contexts above are the right ones, since what only
        // a client or a member holds does open them.
        let session_ctx = |s: &session::Model| format!("accord session unlock v1|session:{}", s.id);
        let cookie = web.split_once('=').expect("name=value").1;
        let from_cookie = UnlockSecret::from_cookie(cookie);
        assert!(sessions.iter().any(|s| s.unlock_sealed.as_ref().is_some_and(|b| sealed::unwrap_secret(from_cookie.key(), &session_ctx(s), b).is_ok())),
            "the web cookie opens its session's blob");
        let api_secret = UnlockSecret::parse(again.refresh.split_once('.').expect("suffix").1).expect("unlock secret");
        assert!(sessions.iter().any(|s| s.unlock_sealed.as_ref().is_some_and(|b| sealed::unwrap_secret(api_secret.key(), &session_ctx(s), b).is_ok())),
            "the refresh token's suffix opens its session's blob");
        let coord_uuid = row_uuid(&coord.id);
        let coord_key = members.iter().find(|m| m.user_id == coord_uuid).expect("coordinator's key");
        let kek = KdfParams::parse(&coord_key.kdf).expect("kdf").derive(&own[1].1).expect("derive");
        let coord_secret = sealed::unwrap_secret(&kek, &format!("accord member key v1|user:{coord_uuid}"), &coord_key.private_wrapped)
            .expect("the member's own password opens their key");
        let coord_wrap = wraps.iter().find(|w| w.user_id == Some(coord_uuid)).expect("coordinator's copy");
        sealed::unwrap_secret_with(&coord_secret, &format!("accord country key v1|key:{}|user:{coord_uuid}", coord_wrap.key_id), &coord_wrap.wrapped)
            .expect("the member key opens their copy of the country key");

        // With the recovery key, offline: every identity of CA opens.
        let recovery = RecoveryKey::parse(&ca.recovery).expect("recovery key");
        let rec = wraps.iter().filter(|w| w.holder == "RECOVERY").find_map(|w| {
            sealed::unwrap_secret(&recovery.wrapping_key(), &format!("accord country key v1|key:{}|RECOVERY", w.key_id), &w.wrapped)
                .ok().map(|s| (w.key_id, s))
        });
        let (key_id, country_secret) = rec.expect("the recovery key opens CA's key");
        let mut opened = BTreeSet::new();
        for c in all_cases.iter().filter(|c| c.identity_key_id == Some(key_id)) {
            let v = c.legal_name_sealed.as_ref().expect("sealed name");
            let ctx = accord_server::service::identity::case_context(c.id, "legal_name", key_id);
            opened.insert(sealed::open_text(&country_secret, &ctx, v).expect("opens"));
        }
        assert_eq!(opened, NAMES.iter().map(|n| n.to_string()).collect::<BTreeSet<_>>());
        // And through the API: a new admin recovers and reads them all.
        let fresh = plain_admin(&app, "CA").await;
        for c in &cases { assert_eq!(read(&fresh, c).await, locked("NOT_A_CUSTODIAN")); }
        fresh.q(RECOVER, json!({ "k": ca.recovery })).await.data();
        for (c, n) in cases.iter().zip(NAMES) { assert_eq!(read(&fresh, c).await, name(n)); }
    }

    async fn no_identity_in_clear_in_emails_audit_or_errors(app: TestApp) {
        let ca = keyed(&app, "CA").await;
        let coord = member(&app, &ca.admin, "COORDINATOR", "CA").await;
        let nl = keyed(&app, "NL").await;
        let nl_coord = member(&app, &nl.admin, "COORDINATOR", "NL").await;
        let id = case_with(&coord, NAMES[0]).await;
        consent(&coord, &id, true).await.data();
        share(&coord, &id, "NL", "DETAIL").await.data();
        let r = nl_coord.q(REQUEST, json!({ "c": id, "m": "for the hearing" })).await;
        let rid = str_of(&r.data()["requestIdentityReveal"]["id"], "id");
        ca.admin.q(DECIDE, json!({ "id": rid, "i": { "approve": true, "motivation": "yes", "expiresAt": in_secs(&app, 86_400) } })).await.data();
        assert_eq!(read(&nl_coord, &id).await, name(NAMES[0]));
        // Errors that refuse an identity never carry it.
        let dip = member(&app, &ca.admin, "DIPLOMAT", "CA").await;
        let r = dip.q("query($id: ID!) { case(id: $id) { identity { legalName contact location notes } } }", json!({ "id": id })).await;
        r.assert_code("IDENTITY_LOCKED");
        assert!(!r.body.to_string().contains("Dumpcheck") && !r.body.to_string().contains("Barangay 7"), "{}", r.body);
        // Email rows, audit details and every reveal column hold no identity.
        let dump = full_dump(&app).await;
        for (table, row) in &dump {
            let text = row.to_string();
            assert!(!text.contains("Dumpcheck"), "identity in clear in {table}: {text}");
            assert!(!text.contains("contact of Zainab"), "identity in clear in {table}: {text}");
        }
        assert!(dump.iter().any(|(t, _)| t == "identity_reveals"));
        assert!(dump.iter().any(|(t, _)| t == "country_key_wraps"));
    }
}

/// Every row of every table, as JSON (table name, row).
pub async fn full_dump(app: &TestApp) -> Vec<(String, Value)> {
    let db = app.db();
    let backend = db.get_database_backend();
    let tables: Vec<String> = match backend {
        DbBackend::Sqlite => db
            .query_all_raw(sea_orm::Statement::from_string(backend, "SELECT name FROM sqlite_master WHERE type = 'table'".to_owned()))
            .await
            .expect("tables")
            .iter()
            .map(|r| r.try_get::<String>("", "name").expect("name"))
            .collect(),
        _ => db
            .query_all_raw(sea_orm::Statement::from_string(backend,
                "SELECT table_name::text AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'".to_owned()))
            .await
            .expect("tables")
            .iter()
            .map(|r| r.try_get::<String>("", "name").expect("name"))
            .collect(),
    };
    assert!(tables.iter().any(|t| t == "cases"), "{tables:?}");
    let mut out = Vec::new();
    for t in tables {
        let sql = match backend {
            DbBackend::Sqlite => {
                let cols: Vec<String> = db
                    .query_all_raw(sea_orm::Statement::from_string(
                        backend,
                        format!("SELECT name FROM pragma_table_info('{t}')"),
                    ))
                    .await
                    .expect("columns")
                    .iter()
                    .map(|r| r.try_get::<String>("", "name").expect("column"))
                    .collect();
                if cols.is_empty() {
                    continue;
                }
                let pairs: Vec<String> = cols
                    .iter()
                    .map(|c| format!("'{c}', CASE WHEN typeof(\"{c}\") = 'blob' THEN hex(\"{c}\") ELSE \"{c}\" END"))
                    .collect();
                format!("SELECT json_object({}) AS j FROM \"{t}\"", pairs.join(", "))
            }
            _ => format!("SELECT row_to_json(x)::text AS j FROM \"{t}\" x"),
        };
        let rows = db
            .query_all_raw(sea_orm::Statement::from_string(backend, sql))
            .await
            .unwrap_or_else(|e| panic!("dump {t}: {e}"));
        for r in rows {
            let j: String = r.try_get("", "j").expect("row json");
            out.push((t.clone(), serde_json::from_str(&j).expect("json row")));
        }
    }
    out
}

fn collect_strings(v: &Value, out: &mut BTreeSet<String>) {
    match v {
        Value::String(s) => {
            out.insert(s.clone());
        }
        Value::Array(a) => a.iter().for_each(|x| collect_strings(x, out)),
        Value::Object(m) => m.values().for_each(|x| collect_strings(x, out)),
        _ => {}
    }
}
