//! The demo world: built once, on an empty development database, so that
//! `cargo run` shows a working platform. Every account shares one password.
use sea_orm::{EntityTrait, PaginatorTrait};
use uuid::Uuid;

use crate::auth::Viewer;
use crate::domain::{CountryCode, Role};
use crate::error::AppResult;
use crate::service::directory::{self as directory, NewMission, NewUser};
use crate::state::AppState;
use crate::store::user;

/// The password of every demo account. Development only: production never
/// builds the demo world.
pub const DEMO_PASSWORD: &str = "accord-demo-password";

pub const HOST_COUNTRY: &str = "PH";

/// (country, mission name) of each demo mission, all in Manila.
const MISSIONS: [(&str, &str); 6] = [
    ("CA", "Embassy of Canada in Manila"),
    ("NL", "Embassy of the Kingdom of the Netherlands in Manila"),
    ("DE", "Embassy of the Federal Republic of Germany in Manila"),
    ("SE", "Embassy of Sweden in Manila"),
    ("CH", "Embassy of Switzerland in Manila"),
    ("EU", "Delegation of the European Union to the Philippines"),
];

/// A demo login: email, role, and country (None for liaison and operator).
pub struct DemoAccount {
    pub email: &'static str,
    pub display_name: &'static str,
    pub role: Role,
    pub country: Option<&'static str>,
}

pub const ACCOUNTS: [DemoAccount; 13] = [
    DemoAccount {
        email: "operator@accord.example",
        display_name: "Platform Operator",
        role: Role::Operator,
        country: None,
    },
    DemoAccount {
        email: "ca-admin@accord.example",
        display_name: "Claire Admin (CA)",
        role: Role::Admin,
        country: Some("CA"),
    },
    DemoAccount {
        email: "ca-coordinator@accord.example",
        display_name: "Colin Coordinator (CA)",
        role: Role::Coordinator,
        country: Some("CA"),
    },
    DemoAccount {
        email: "ca-diplomat@accord.example",
        display_name: "Dana Diplomat (CA)",
        role: Role::Diplomat,
        country: Some("CA"),
    },
    DemoAccount {
        email: "nl-admin@accord.example",
        display_name: "Noor Admin (NL)",
        role: Role::Admin,
        country: Some("NL"),
    },
    DemoAccount {
        email: "nl-coordinator@accord.example",
        display_name: "Niels Coordinator (NL)",
        role: Role::Coordinator,
        country: Some("NL"),
    },
    DemoAccount {
        email: "nl-diplomat@accord.example",
        display_name: "Nina Diplomat (NL)",
        role: Role::Diplomat,
        country: Some("NL"),
    },
    DemoAccount {
        email: "de-diplomat@accord.example",
        display_name: "Dieter Diplomat (DE)",
        role: Role::Diplomat,
        country: Some("DE"),
    },
    DemoAccount {
        email: "se-diplomat@accord.example",
        display_name: "Sara Diplomat (SE)",
        role: Role::Diplomat,
        country: Some("SE"),
    },
    DemoAccount {
        email: "ch-diplomat@accord.example",
        display_name: "Chiara Diplomat (CH)",
        role: Role::Diplomat,
        country: Some("CH"),
    },
    DemoAccount {
        email: "eu-diplomat@accord.example",
        display_name: "Elena Diplomat (EU)",
        role: Role::Diplomat,
        country: Some("EU"),
    },
    DemoAccount {
        email: "liaison@accord.example",
        display_name: "Lani Liaison",
        role: Role::Liaison,
        country: None,
    },
    DemoAccount {
        email: "liaison2@accord.example",
        display_name: "Ramon Liaison",
        role: Role::Liaison,
        country: None,
    },
];

/// The organization of each demo liaison.
fn organization_of(email: &str) -> &'static str {
    match email {
        "liaison2@accord.example" => "Visayas Land Rights Watch",
        _ => "Manila Defenders Network",
    }
}

fn acting(user_id: Uuid, role: Role, country: Option<CountryCode>) -> Viewer {
    Viewer {
        user_id,
        session_id: Uuid::nil(),
        role,
        country,
        mission_id: None,
        organization_id: None,
        unlock: None,
        reading: Default::default(),
    }
}

/// Whether every account in the database is a demo account (an empty
/// database counts): the rule `accord demo --reset` asks before it erases
/// anything. A database where anyone else has an account holds someone's
/// real work.
pub async fn holds_only_demo_accounts(db: &sea_orm::DatabaseConnection) -> AppResult<bool> {
    use sea_orm::{ColumnTrait, QueryFilter};
    let others = user::Entity::find()
        .filter(user::Column::Email.is_not_in(ACCOUNTS.iter().map(|a| a.email)))
        .count(db)
        .await?;
    Ok(others == 0)
}

/// Builds the demo world if the database has no users yet.
pub async fn build_if_empty(state: &AppState) -> AppResult<()> {
    if user::Entity::find().count(&state.db).await? > 0 {
        return Ok(());
    }
    let operator_account = &ACCOUNTS[0];
    directory::bootstrap_operator(
        state,
        operator_account.email,
        DEMO_PASSWORD,
        operator_account.display_name,
    )
    .await?;
    let operator = user::Entity::find()
        .one(&state.db)
        .await?
        .ok_or_else(|| crate::error::AppError::internal("demo world incomplete"))?;
    let operator = acting(operator.id, Role::Operator, None);

    let mut mission_ids = Vec::new();
    for (country, name) in MISSIONS {
        let m = directory::create_mission(
            state,
            &operator,
            NewMission {
                country: country.into(),
                host_country: HOST_COUNTRY.into(),
                city: "Manila".into(),
                name: name.into(),
                timezone: "Asia/Manila".into(),
            },
        )
        .await?;
        mission_ids.push((country, m.id));
    }
    let mut orgs = Vec::new();
    for name in ["Manila Defenders Network", "Visayas Land Rights Watch"] {
        let org = directory::create_organization(state, &operator, name, HOST_COUNTRY).await?;
        orgs.push((name, org.id));
    }
    let org_id = |email: &str| {
        orgs.iter()
            .find(|(name, _)| *name == organization_of(email))
            .map(|(_, id)| *id)
    };
    let mut liaisons: Vec<(&str, Viewer)> = Vec::new();

    let mut nl_admin = None;
    let mut people: Vec<(&str, Viewer)> = Vec::new();
    for account in ACCOUNTS.iter().skip(1) {
        let mission_id = account
            .country
            .and_then(|c| mission_ids.iter().find(|(m, _)| *m == c).map(|(_, id)| *id));
        let created = directory::create_user(
            state,
            &operator_for(&operator, account),
            NewUser {
                email: account.email.into(),
                display_name: account.display_name.into(),
                password: DEMO_PASSWORD.into(),
                role: account.role,
                mission_id,
                organization_id: if account.role == Role::Liaison {
                    org_id(account.email)
                } else {
                    None
                },
            },
        )
        .await?;
        if account.role == Role::Liaison {
            liaisons.push((
                account.email,
                Viewer {
                    organization_id: org_id(account.email),
                    ..acting(created.id, Role::Liaison, None)
                },
            ));
        }
        if let Some(c) = account.country {
            people.push((
                account.email,
                Viewer {
                    mission_id,
                    ..acting(created.id, account.role, Some(CountryCode::from_stored(c)))
                },
            ));
        }
        if account.email == "nl-admin@accord.example" {
            nl_admin = Some(acting(
                created.id,
                Role::Admin,
                Some(CountryCode::from_stored("NL")),
            ));
        }
    }
    // Each country's identity key, held by its admins and coordinators.
    let mut recovery_keys = Vec::new();
    for (country, _) in MISSIONS {
        let holders: Vec<Uuid> = people
            .iter()
            .filter(|(_, v)| {
                v.country.map(|c| c.as_str() == country) == Some(true)
                    && matches!(v.role, Role::Admin | Role::Coordinator)
            })
            .map(|(_, v)| v.user_id)
            .collect();
        if !holders.is_empty() {
            let code = crate::service::identity::internal_set_up_for_demo(
                state,
                CountryCode::from_stored(country),
                &holders,
            )
            .await?;
            recovery_keys.push((country, code));
        }
    }
    let mut coalition_id = None;
    if let Some(nl_admin) = nl_admin {
        let created = directory::create_coalition(
            state,
            &nl_admin,
            "Like-minded HRD group — Manila",
            HOST_COUNTRY,
            &["CA", "NL", "DE", "SE", "EU"].map(String::from),
        )
        .await?;
        coalition_id = Some(created.id);
    }
    let person = |email: &str| {
        people
            .iter()
            .find(|(e, _)| *e == email)
            .map(|(_, v)| v.clone())
    };
    if let (Some(ca), Some(nl), Some(coalition)) = (
        person("ca-coordinator@accord.example"),
        person("nl-coordinator@accord.example"),
        coalition_id,
    ) {
        let (a, b) = demo_cases(state, &ca, &nl, coalition).await?;
        demo_hearings(state, &ca, &nl, &person, a, b).await?;
        if let ([(_, first), (_, second)], Some(de)) =
            (liaisons.as_slice(), person("de-diplomat@accord.example"))
        {
            demo_reports(state, [first, second], [&ca, &nl, &de], a).await?;
        }
        if let (Some(de), Some(se)) = (
            person("de-diplomat@accord.example"),
            person("se-diplomat@accord.example"),
        ) {
            demo_statement(state, &nl, [&ca, &de, &se], a).await?;
        }
    }
    print_accounts(state);
    println!("  identity recovery keys (demo only; a real country's admin is shown theirs once):");
    for (country, code) in &recovery_keys {
        println!("  {country}  {}", code.as_str());
    }
    println!();
    Ok(())
}

/// Users below admin rank are created by their country's admin; the operator
/// may only create admins and liaisons, so the demo acts as a country admin
/// for the rest.
fn operator_for(operator: &Viewer, account: &DemoAccount) -> Viewer {
    match (account.role, account.country) {
        (Role::Admin | Role::Liaison, _) | (_, None) => operator.clone(),
        (_, Some(country)) => acting(
            operator.user_id,
            Role::Admin,
            Some(CountryCode::from_stored(country)),
        ),
    }
}

/// Cases shared in several ways, so that each demo account sees the rules:
/// A reaches the coalition at DETAIL (CH, outside it, sees nothing); B is
/// NL's, at SUMMARY for DE and DETAIL for CH; C has no consent to share yet.
async fn demo_cases(
    state: &AppState,
    ca: &Viewer,
    nl: &Viewer,
    coalition: Uuid,
) -> AppResult<(Uuid, Uuid)> {
    use crate::domain::case::{CaseCategory as C, CaseStatus, ConsentGiver, RiskLevel, ShareLevel};
    use crate::service::cases::{self, Consent, Identity, NewCase, ShareTarget};
    let new = |pseudonym: &str,
               region: &str,
               categories: Vec<C>,
               risk,
               status,
               summary: &str,
               name: &str| NewCase {
        pseudonym: pseudonym.into(),
        host_country: HOST_COUNTRY.into(),
        region: Some(region.into()),
        categories,
        risk_level: risk,
        status,
        summary: Some(summary.into()),
        identity: Some(Identity {
            legal_name: Some(name.into()),
            contact: Some("via the case officer only".into()),
            location: Some("withheld".into()),
            notes: Some("fictional demo record".into()),
        }),
    };
    let consent = |share, trial, public| Consent {
        share_with_partners: share,
        trial_observation: trial,
        public_advocacy: public,
        given_by: ConsentGiver::Defender,
    };
    let a = cases::create_case(
        state,
        ca,
        new(
            "Defender A",
            "Mindanao",
            vec![C::LandRights, C::Indigenous],
            RiskLevel::High,
            CaseStatus::OnTrial,
            "Indigenous land defender charged after a community protest; trial ongoing.",
            "Demo Person Alpha",
        ),
    )
    .await?;
    cases::record_consent(state, ca, a.model().id, consent(true, true, false)).await?;
    cases::share_case(
        state,
        ca,
        a.model().id,
        ShareTarget::Coalition(coalition),
        ShareLevel::Detail,
    )
    .await?;

    let b = cases::create_case(
        state,
        nl,
        new(
            "Defender B",
            "Metro Manila",
            vec![C::Journalist],
            RiskLevel::Critical,
            CaseStatus::Detained,
            "Journalist detained after reporting on a land dispute.",
            "Demo Person Bravo",
        ),
    )
    .await?;
    cases::record_consent(state, nl, b.model().id, consent(true, true, false)).await?;
    cases::share_case(
        state,
        nl,
        b.model().id,
        ShareTarget::Country("DE".into()),
        ShareLevel::Summary,
    )
    .await?;
    cases::share_case(
        state,
        nl,
        b.model().id,
        ShareTarget::Country("CH".into()),
        ShareLevel::Detail,
    )
    .await?;

    cases::create_case(
        state,
        ca,
        new(
            "Defender C",
            "Negros",
            vec![C::WomanHrd, C::TradeUnionist],
            RiskLevel::Medium,
            CaseStatus::AtRisk,
            "Union organiser receiving threats; consent to share not yet recorded.",
            "Demo Person Charlie",
        ),
    )
    .await?;
    Ok((a.model().id, b.model().id))
}

/// Two time zones; one roster full with a waitlist, one hearing uncovered.
async fn demo_hearings(
    state: &AppState,
    ca: &Viewer,
    nl: &Viewer,
    person: &impl Fn(&str) -> Option<Viewer>,
    case_a: Uuid,
    case_b: Uuid,
) -> AppResult<()> {
    use crate::service::hearings::{self, NewHearing};
    let local = |days: i64, tz: &str, time: &str| -> String {
        let tz: chrono_tz::Tz = tz.parse().unwrap_or(chrono_tz::UTC);
        let day = (state.clock.now() + chrono::Duration::days(days)).with_timezone(&tz);
        format!("{}T{time}", day.format("%Y-%m-%d"))
    };
    let full = hearings::schedule(
        state,
        ca,
        case_a,
        NewHearing {
            court: "Regional Trial Court, Branch 12".into(),
            city: "Davao City".into(),
            local_start: local(5, "Asia/Manila", "09:30:00"),
            timezone: "Asia/Manila".into(),
            utc_offset: None,
            duration_minutes: 180,
            observers_needed: 2,
            claim_deadline: None,
        },
    )
    .await?;
    for email in [
        "ca-diplomat@accord.example",
        "nl-diplomat@accord.example",
        "se-diplomat@accord.example",
        "eu-diplomat@accord.example",
    ] {
        if let Some(v) = person(email) {
            crate::service::roster::claim(state, &v, full.model().id).await?;
        }
    }
    hearings::schedule(
        state,
        nl,
        case_b,
        NewHearing {
            court: "UN Human Rights Committee, Palais Wilson".into(),
            city: "Geneva".into(),
            local_start: local(12, "Europe/Zurich", "10:00:00"),
            timezone: "Europe/Zurich".into(),
            utc_offset: None,
            duration_minutes: 120,
            observers_needed: 1,
            claim_deadline: None,
        },
    )
    .await?;
    Ok(())
}

/// Reports in every state from two organizations: a threat NL linked to
/// case A, a later attack naming it as a prior threat (still unread), one
/// DE closed without action, one NL escalated.
async fn demo_reports(
    state: &AppState,
    [manila, visayas]: [&Viewer; 2],
    [ca, nl, de]: [&Viewer; 3],
    case_a: Uuid,
) -> AppResult<()> {
    use crate::domain::report::{AttackType as A, CloseOutcome, PerpetratorType as P, Triage};
    use crate::service::reports::{self, NewReport};
    let day = |ago: i64| {
        (state.clock.now() - chrono::Duration::days(ago))
            .with_timezone(&chrono_tz::Asia::Manila)
            .format("%Y-%m-%d")
            .to_string()
    };
    let new = |ago: i64,
               time: Option<&str>,
               region: &str,
               attack: Vec<A>,
               by: Vec<P>,
               text: &str,
               to: &[&str],
               priors: Vec<Uuid>| NewReport {
        host_country: HOST_COUNTRY.into(),
        region: Some(region.into()),
        incident_date: day(ago),
        incident_time: time.map(Into::into),
        timezone: Some("Asia/Manila".into()),
        attack_types: attack,
        perpetrator_types: by,
        description: text.into(),
        recipient_countries: to.iter().map(|c| (*c).to_owned()).collect(),
        victim_consent: true,
        submission_key: None,
        prior_report_ids: priors,
    };
    let threat = reports::submit(
        state,
        manila,
        new(
            30,
            Some("20:15"),
            "Davao del Sur",
            vec![A::Threat, A::Surveillance],
            vec![P::Unknown],
            "Demo text: Defender A received a threatening message and noticed a car parked outside the office for three nights.",
            &["CA", "NL"],
            Vec::new(),
        ),
    )
    .await?;
    let threat_id = threat.model().id;
    reports::triage(
        state,
        nl,
        threat_id,
        Triage::Acknowledge,
        Some("Received; checking with the case owner.".into()),
        None,
    )
    .await?;
    reports::triage(state, nl, threat_id, Triage::Link, None, Some(case_a)).await?;
    reports::triage(state, ca, threat_id, Triage::Acknowledge, None, None).await?;
    reports::submit(
        state,
        manila,
        new(
            2,
            Some("07:40"),
            "Davao del Sur",
            vec![A::PhysicalAttack],
            vec![P::NonStateArmed],
            "Demo text: two armed men attacked Defender A on the way to the community meeting; minor injuries.",
            &["CA", "NL", "SE"],
            vec![threat_id],
        ),
    )
    .await?;
    let harassment = reports::submit(
        state,
        visayas,
        new(
            12,
            None,
            "Negros Oriental",
            vec![A::JudicialHarassment],
            vec![P::State, P::Corporation],
            "Demo text: a land-rights organiser was charged with trespass on the land the community claims.",
            &["DE"],
            Vec::new(),
        ),
    )
    .await?;
    let id = harassment.model().id;
    reports::triage(state, de, id, Triage::Acknowledge, None, None).await?;
    reports::triage(
        state,
        de,
        id,
        Triage::Close(CloseOutcome::NoAction),
        Some("Outside our current priorities; shared with the EU Delegation's focal point.".into()),
        None,
    )
    .await?;
    let smear = reports::submit(
        state,
        visayas,
        new(
            5,
            None,
            "Negros Oriental",
            vec![A::SmearCampaign, A::DigitalAttack],
            vec![P::State],
            "Demo text: posters and social-media posts label the organisation's staff as insurgents.",
            &["NL", "EU"],
            Vec::new(),
        ),
    )
    .await?;
    let id = smear.model().id;
    reports::triage(state, nl, id, Triage::Acknowledge, None, None).await?;
    reports::triage(
        state,
        nl,
        id,
        Triage::Close(CloseOutcome::Escalated),
        Some("Raised with the Department of Foreign Affairs.".into()),
        None,
    )
    .await?;
    Ok(())
}

/// A circulating démarche led by NL about case A: CA approved version 1,
/// which went stale when NL revised; SE approved version 2; DE declined.
async fn demo_statement(
    state: &AppState,
    nl: &Viewer,
    [ca, de, se]: [&Viewer; 3],
    case_a: Uuid,
) -> AppResult<()> {
    use crate::domain::statement::StatementKind;
    use crate::service::statements::{self, Answer, NewStatement};
    let draft = "Demo text. The undersigned missions of the like-minded group express their concern at the continued judicial harassment of a human rights defender in Davao del Sur.\n\nWe call on the authorities to guarantee a fair and public trial, and to ensure the defender's safety.\n";
    let revised = "Demo text. The undersigned missions of the like-minded group express their serious concern at the continued judicial harassment of a human rights defender in Davao del Sur.\n\nWe call on the authorities to guarantee a fair and public trial, to allow trial observation, and to ensure the defender's safety.\n";
    let created = statements::create(
        state,
        nl,
        NewStatement {
            title: "Joint démarche: fair trial for Defender A".into(),
            kind: StatementKind::Demarche,
            host_country: HOST_COUNTRY.into(),
            body: draft.into(),
            case_ids: vec![case_a],
            invited_countries: ["CA", "DE", "SE", "EU"].map(String::from).to_vec(),
            deadline: Some(state.clock.now() + chrono::Duration::days(7)),
        },
    )
    .await?;
    let id = created.model().id;
    statements::answer(state, ca, id, Answer::Approve(1)).await?;
    statements::answer(
        state,
        de,
        id,
        Answer::Decline(Some("Capital has not cleared the text in time.".into())),
    )
    .await?;
    statements::revise(state, nl, id, 1, revised.into()).await?;
    statements::answer(state, se, id, Answer::Approve(2)).await?;
    Ok(())
}

fn print_accounts(state: &AppState) {
    println!();
    println!(
        "Accord demo world created (development mode). Sign in on the web at {}/sign-in (or with `login` at {}/graphql):",
        state.config.public_url.trim_end_matches('/'),
        state.config.public_url.trim_end_matches('/')
    );
    for a in &ACCOUNTS {
        println!(
            "  {:<32} {:<12} {}",
            a.email,
            a.role.as_str(),
            a.country.unwrap_or("-")
        );
    }
    println!("  password for every demo account: {DEMO_PASSWORD}");
    println!();
}
