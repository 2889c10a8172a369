//! Directory operations and who may perform them; input validation with
//! nothing written on refusal; pagination.
use serde_json::json;

use crate::helpers::*;
use crate::on_both_backends;

const CREATE_MISSION: &str = "mutation($i: CreateMissionInput!) { createMission(input: $i) { id country hostCountry city name timezone } }";
const CREATE_COALITION: &str = "mutation($i: CreateCoalitionInput!) { createCoalition(input: $i) { id name convener members } }";
const MISSION_USERS: &str = "query($id: ID!) { node(id: $id) { ... on Mission { name users { totalCount edges { node { email } } } } } }";

fn mission_input(country: &str, name: &str, tz: &str) -> serde_json::Value {
    json!({ "i": { "country": country, "hostCountry": "PH", "city": "Manila", "name": name, "timezone": tz } })
}

on_both_backends! {
    async fn admins_act_only_within_their_country(app: TestApp) {
        let ca = app.admin("CA").await;
        let nl_mission = app.mission("NL").await;
        let ca_mission = app.mission("CA").await;

        ca.create_user("x@test.example", "DIPLOMAT", Some(&nl_mission), None).await.assert_code("FORBIDDEN");
        ca.q(CREATE_MISSION, mission_input("NL", "Consulate", "Asia/Manila")).await.assert_code("FORBIDDEN");
        let own = ca.q(CREATE_MISSION, mission_input("CA", "Consulate of Canada in Cebu", "Asia/Manila")).await;
        assert_eq!(own.data()["createMission"]["country"], "CA");
        let r = ca.create_user("coord.ca@test.example", "COORDINATOR", Some(&ca_mission), None).await;
        assert_eq!(r.data()["createUser"]["role"], "COORDINATOR");
        // Nobody creates operators through the API.
        ca.create_user("op2@test.example", "OPERATOR", None, None).await.assert_code("FORBIDDEN");

        // Users are visible within their country only.
        let users = ca.q(MISSION_USERS, json!({ "id": ca_mission })).await;
        let emails: Vec<_> = users.data()["node"]["users"]["edges"].as_array().expect("edges")
            .iter().map(|e| e["node"]["email"].as_str().unwrap_or("").to_owned()).collect();
        assert!(emails.contains(&"coord.ca@test.example".to_owned()), "{emails:?}");
        let nl = app.diplomat("NL").await;
        let seen_by_nl = nl.q(MISSION_USERS, json!({ "id": ca_mission })).await;
        assert_eq!(seen_by_nl.data()["node"]["users"]["totalCount"], 0);
        assert_eq!(seen_by_nl.data()["node"]["users"]["edges"], json!([]));
        // The user node itself is NOT_FOUND across countries.
        let coord_id = r.data()["createUser"]["id"].as_str().expect("id").to_owned();
        nl.q("query($id: ID!) { node(id: $id) { id } }", json!({ "id": coord_id })).await.assert_code("NOT_FOUND");
    }

    async fn diplomats_and_liaisons_manage_nothing(app: TestApp) {
        let dip = app.diplomat("CA").await;
        let ca_mission = app.mission("CA").await;
        dip.create_user("y@test.example", "DIPLOMAT", Some(&ca_mission), None).await.assert_code("FORBIDDEN");
        dip.q(CREATE_MISSION, mission_input("CA", "Another", "Asia/Manila")).await.assert_code("FORBIDDEN");
        dip.q(CREATE_COALITION, json!({ "i": { "name": "G", "hostCountry": "PH", "members": ["NL"] } })).await.assert_code("FORBIDDEN");
        dip.q("mutation { createOrganization(input: { name: \"O\", hostCountry: \"PH\" }) { id } }", json!({})).await.assert_code("FORBIDDEN");

        let liaison = app.liaison().await;
        // A liaison sees no missions and so no mission's users.
        liaison.q("{ missions { totalCount } }", json!({})).await.assert_code("FORBIDDEN");
        liaison.q(MISSION_USERS, json!({ "id": ca_mission })).await.assert_code("NOT_FOUND");
        liaison.q("{ coalitions { totalCount } }", json!({})).await;
        let orgs = liaison.q("{ organizations { totalCount } coalitions { totalCount } }", json!({})).await;
        assert_eq!(orgs.data()["organizations"]["totalCount"], 1, "only their own organization");
        assert_eq!(orgs.data()["coalitions"]["totalCount"], 0);
        let me = liaison.q("{ me { user { role } mission { id } country organization { id name } } }", json!({})).await;
        assert_eq!(me.data()["me"]["user"]["role"], "LIAISON");
        assert!(me.data()["me"]["country"].is_null());
        assert!(me.data()["me"]["mission"].is_null());
        assert!(me.data()["me"]["organization"]["id"].is_string());
        liaison.create_user("z@test.example", "LIAISON", None, None).await.assert_code("FORBIDDEN");
    }

    async fn operator_bootstraps_a_country(app: TestApp) {
        let op = app.operator().await;
        let r = op.q(CREATE_MISSION, mission_input("EU", "Delegation of the EU", "Europe/Brussels")).await;
        let m = &r.data()["createMission"];
        assert_eq!(m["country"], "EU");
        assert_eq!(m["timezone"], "Europe/Brussels");
        let mission_id = m["id"].as_str().expect("id").to_owned();
        op.create_user("first.admin@test.example", "ADMIN", Some(&mission_id), None).await.data();
        // The operator may not create diplomats (that is the country admin's job).
        op.create_user("dip@test.example", "DIPLOMAT", Some(&mission_id), None).await.assert_code("FORBIDDEN");
        let admin = app.login("first.admin@test.example", PASSWORD).await;
        let me = admin.q("{ me { user { role } country mission { id } } }", json!({})).await;
        assert_eq!(me.data()["me"]["country"], "EU");
        assert_eq!(me.data()["me"]["mission"]["id"], mission_id.as_str());
        admin.create_user("eu.dip@test.example", "DIPLOMAT", Some(&mission_id), None).await.data();
        let me = op.q("{ me { user { role } country mission { id } } }", json!({})).await;
        assert_eq!(me.data()["me"]["user"]["role"], "OPERATOR");
        assert!(me.data()["me"]["country"].is_null());
        let countries = op.q("{ countries { code name } }", json!({})).await;
        assert!(countries.data()["countries"].as_array().expect("list").iter().any(|c| c["code"] == "EU" && c["name"] == "European Union"));
    }

    // Issue 21 (docs/RULES.md rule 10): a coalition's members are capped on
    // write, at creation and after additions, so `members` stays a short list.
    async fn a_coalition_holds_at_most_sixty_members_besides_its_convener(app: TestApp) {
        let nl = app.admin("NL").await;
        let codes: Vec<String> = isocountry::CountryCode::iter_alpha2()
            .map(|c| c.alpha2().to_owned())
            .filter(|c| c != "NL")
            .take(61)
            .collect();
        let r = nl.q(CREATE_COALITION, json!({ "i": { "name": "Wide", "hostCountry": "PH", "members": &codes[..60] } })).await;
        let c = &r.data()["createCoalition"];
        assert_eq!(c["members"].as_array().expect("members").len(), 61);
        let add = "mutation($id: ID!, $c: String!) { addCoalitionMember(coalitionId: $id, country: $c) { members } }";
        let refused = nl.q(add, json!({ "id": c["id"], "c": codes[60] })).await;
        refused.assert_code("CONFLICT");
        assert!(refused.message().contains("at most 60 members"), "{}", refused.body);
        let read = nl.q("{ coalitions { edges { node { members } } } }", json!({})).await;
        assert_eq!(read.data()["coalitions"]["edges"][0]["node"]["members"].as_array().expect("members").len(), 61);
        // Room again after a removal.
        let remove = "mutation($id: ID!, $c: String!) { removeCoalitionMember(coalitionId: $id, country: $c) { members } }";
        nl.q(remove, json!({ "id": c["id"], "c": codes[0] })).await.data();
        nl.q(add, json!({ "id": c["id"], "c": codes[60] })).await.data();
    }

    async fn coalition_membership_is_read_at_each_request(app: TestApp) {
        let nl = app.admin("NL").await;
        let r = nl.q(CREATE_COALITION, json!({ "i": { "name": "Like-minded group", "hostCountry": "PH", "members": ["ca", "SE"] } })).await;
        let c = &r.data()["createCoalition"];
        assert_eq!(c["convener"], "NL");
        assert_eq!(c["members"], json!(["CA", "NL", "SE"]));
        let id = c["id"].as_str().expect("id").to_owned();

        let ca_dip = app.diplomat("CA").await;
        let count = "{ coalitions { totalCount edges { node { name } } } }";
        assert_eq!(ca_dip.q(count, json!({})).await.data()["coalitions"]["totalCount"], 1);
        // Only the convener's admins manage members.
        let ca_admin = app.admin("CA").await;
        let add = "mutation($id: ID!, $c: String!) { addCoalitionMember(coalitionId: $id, country: $c) { members } }";
        let remove = "mutation($id: ID!, $c: String!) { removeCoalitionMember(coalitionId: $id, country: $c) { members } }";
        ca_admin.q(add, json!({ "id": id, "c": "DE" })).await.assert_code("FORBIDDEN");
        // A non-member's admin cannot see it at all.
        app.admin("CH").await.q(add, json!({ "id": id, "c": "CH" })).await.assert_code("NOT_FOUND");

        let added = nl.q(add, json!({ "id": id, "c": "DE" })).await;
        assert_eq!(added.data()["addCoalitionMember"]["members"], json!(["CA", "DE", "NL", "SE"]));
        nl.q(add, json!({ "id": id, "c": "DE" })).await.assert_code("CONFLICT");
        nl.q(add, json!({ "id": id, "c": "XX" })).await.assert_code("BAD_USER_INPUT");
        nl.q(remove, json!({ "id": id, "c": "NL" })).await.assert_code("BAD_USER_INPUT");
        nl.q(remove, json!({ "id": id, "c": "FR" })).await.assert_code("BAD_USER_INPUT");

        let removed = nl.q(remove, json!({ "id": id, "c": "CA" })).await;
        assert_eq!(removed.data()["removeCoalitionMember"]["members"], json!(["DE", "NL", "SE"]));
        // The very next request of a CA user no longer sees it.
        assert_eq!(ca_dip.q(count, json!({})).await.data()["coalitions"]["totalCount"], 0);
        ca_dip.q("query($id: ID!) { node(id: $id) { id } }", json!({ "id": id })).await.assert_code("NOT_FOUND");
        nl.q(CREATE_COALITION, json!({ "i": { "name": "Like-minded group", "hostCountry": "PH", "members": [] } }))
            .await.assert_code("BAD_USER_INPUT");
    }

    async fn bad_inputs_are_refused_by_field_and_nothing_is_written(app: TestApp) {
        let op = app.operator().await;
        let mission = app.mission("CA").await;
        let admin = app.admin("CA").await;
        let before = (app.count_rows("missions").await, app.count_rows("users").await,
                      app.count_rows("audit_events").await, app.count_rows("coalitions").await);
        let long = "x".repeat(201);
        let cases = [
            (mission_input("XX", "Embassy", "Asia/Manila"), "country"),
            (mission_input("CAN", "Embassy", "Asia/Manila"), "country"),
            (json!({ "i": { "country": "CA", "hostCountry": "Q1", "city": "Manila", "name": "E", "timezone": "Asia/Manila" } }), "hostCountry"),
            (mission_input("CA", "Embassy", "Mars/Olympus"), "timezone"),
            (mission_input("CA", "   ", "Asia/Manila"), "name"),
            (mission_input("CA", &long, "Asia/Manila"), "name"),
            (json!({ "i": { "country": "CA", "hostCountry": "PH", "city": "", "name": "E", "timezone": "Asia/Manila" } }), "city"),
            (mission_input("CA", "Embassy of CA", "Asia/Manila"), "name"),
        ];
        for (input, field) in cases {
            let r = op.q(CREATE_MISSION, input.clone()).await;
            assert_eq!(r.code(), "BAD_USER_INPUT", "{input}: {}", r.body);
            assert_eq!(r.field(), field, "{input}");
            assert!(r.message().starts_with(field), "message names the field: {}", r.message());
        }
        let user_cases = [
            ("not-an-email", "DIPLOMAT", "email"),
            (&*format!("{}@test.example", "a".repeat(250)), "DIPLOMAT", "email"),
            ("admin.ca@test.example", "DIPLOMAT", "email"),
            ("ADMIN.CA@test.example", "DIPLOMAT", "email"),
        ];
        for (email, role, field) in user_cases {
            let r = admin.create_user(email, role, Some(&mission), None).await;
            assert_eq!(r.code(), "BAD_USER_INPUT", "{email}: {}", r.body);
            assert_eq!(r.field(), field);
        }
        let short_pw = admin.q("mutation($i: CreateUserInput!) { createUser(input: $i) { id } }",
            json!({ "i": { "email": "p@test.example", "displayName": "P", "password": "short", "role": "DIPLOMAT", "missionId": mission } })).await;
        assert_eq!(short_pw.field(), "password");
        let no_name = admin.q("mutation($i: CreateUserInput!) { createUser(input: $i) { id } }",
            json!({ "i": { "email": "n@test.example", "displayName": " ", "password": PASSWORD, "role": "DIPLOMAT", "missionId": mission } })).await;
        assert_eq!(no_name.field(), "displayName");
        let bad_role = admin.q("mutation($i: CreateUserInput!) { createUser(input: $i) { id } }",
            json!({ "i": { "email": "r@test.example", "displayName": "R", "password": PASSWORD, "role": "KING", "missionId": mission } })).await;
        bad_role.assert_code("BAD_USER_INPUT");
        let no_mission = admin.create_user("m@test.example", "DIPLOMAT", None, None).await;
        assert_eq!(no_mission.field(), "missionId");
        let bad_id = admin.create_user("m@test.example", "DIPLOMAT", Some("bm90LWFuLWlk"), None).await;
        assert_eq!(bad_id.field(), "missionId");
        let coalition = admin.q(CREATE_COALITION, json!({ "i": { "name": "G", "hostCountry": "PH", "members": ["NL", "ZZ"] } })).await;
        assert_eq!(coalition.field(), "members");
        let org = op.q("mutation { createOrganization(input: { name: \"\", hostCountry: \"PH\" }) { id } }", json!({})).await;
        assert_eq!(org.field(), "name");

        let after = (app.count_rows("missions").await, app.count_rows("users").await,
                     app.count_rows("audit_events").await, app.count_rows("coalitions").await);
        assert_eq!(before, after, "a refused input writes nothing, not even an audit event");
    }

    async fn missions_page_with_cursors_and_totals(app: TestApp) {
        for c in ["CA", "NL", "DE", "SE", "CH"] {
            app.mission(c).await;
        }
        let dip = app.diplomat("CA").await;
        let page = "query($after: String) { missions(first: 2, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { country } } } }";
        let mut seen = Vec::new();
        let mut after = serde_json::Value::Null;
        loop {
            let r = dip.q(page, json!({ "after": after })).await;
            let m = &r.data()["missions"];
            assert_eq!(m["totalCount"], 5);
            seen.extend(m["edges"].as_array().expect("edges").iter().map(|e| e["node"]["country"].as_str().unwrap_or("").to_owned()));
            if m["pageInfo"]["hasNextPage"] != true {
                break;
            }
            after = m["pageInfo"]["endCursor"].clone();
        }
        assert_eq!(seen, ["CA", "NL", "DE", "SE", "CH"], "creation order, no repeats, none skipped");
        let filtered = dip.q("{ missions(country: \"nl\") { totalCount } }", json!({})).await;
        assert_eq!(filtered.data()["missions"]["totalCount"], 1);
        dip.q("{ missions(first: 101) { totalCount } }", json!({})).await.assert_code("BAD_USER_INPUT");
        dip.q("{ missions(first: -1) { totalCount } }", json!({})).await.assert_code("BAD_USER_INPUT");
        dip.q("{ missions(after: \"bogus\") { totalCount } }", json!({})).await.assert_code("BAD_USER_INPUT");
    }
}

on_both_backends! {
    async fn racing_creations_of_one_name_get_the_documented_error(app: TestApp) {
        // One insert guarded by the unique key, not check-then-insert: every
        // loser of the race gets what a later request would, BAD_USER_INPUT on
        // `name`, never a bare CONFLICT.
        let op = app.operator().await;
        let attempts = (0..12).map(|_| {
            op.q(
                "mutation($i: CreateMissionInput!) { createMission(input: $i) { id } }",
                json!({ "i": { "country": "FI", "hostCountry": "PH", "city": "Manila",
                               "name": "Embassy of Finland", "timezone": "Asia/Manila" } }),
            )
        });
        let answers = futures::future::join_all(attempts).await;
        let won = answers.iter().filter(|a| a.body["errors"].is_null()).count();
        assert_eq!(won, 1);
        for lost in answers.iter().filter(|a| !a.body["errors"].is_null()) {
            assert_eq!(lost.code(), "BAD_USER_INPUT", "{}", lost.body);
            assert_eq!(lost.field(), "name");
        }
    }
}
