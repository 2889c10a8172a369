//! The bundles are complete and the formats read right.
use std::collections::{BTreeMap, BTreeSet};

use chrono::TimeZone;
use fluent_syntax::ast;

use super::*;

/// Messages whose translations pick among the variables the code offers
/// (a 12- or a 24-hour clock) rather than use them all: `Lang::time`.
const CHOOSES_AMONG_VARIABLES: &[(&str, &[&str])] =
    &[("time-of-day", &["hour24", "hour12", "minute", "half"])];

type Shape = BTreeMap<String, BTreeSet<String>>;

fn variables_of_pattern(pattern: &ast::Pattern<&str>, out: &mut BTreeSet<String>) {
    for element in &pattern.elements {
        if let ast::PatternElement::Placeable { expression } = element {
            variables_of_expression(expression, out);
        }
    }
}

fn variables_of_expression(expression: &ast::Expression<&str>, out: &mut BTreeSet<String>) {
    match expression {
        ast::Expression::Select { selector, variants } => {
            variables_of_inline(selector, out);
            for variant in variants {
                variables_of_pattern(&variant.value, out);
            }
        }
        ast::Expression::Inline(inline) => variables_of_inline(inline, out),
    }
}

fn variables_of_inline(inline: &ast::InlineExpression<&str>, out: &mut BTreeSet<String>) {
    match inline {
        ast::InlineExpression::VariableReference { id } => {
            out.insert(id.name.to_owned());
        }
        ast::InlineExpression::FunctionReference { arguments, .. }
        | ast::InlineExpression::TermReference {
            arguments: Some(arguments),
            ..
        } => {
            for arg in &arguments.positional {
                variables_of_inline(arg, out);
            }
            for arg in &arguments.named {
                variables_of_inline(&arg.value, out);
            }
        }
        ast::InlineExpression::Placeable { expression } => variables_of_expression(expression, out),
        _ => {}
    }
}

/// Every message (and `message.attribute`) of a folder with its variables.
fn shape_of(tag: &str) -> Shape {
    let mut shape = Shape::new();
    for (file, source) in sources_of(tag) {
        let resource = match fluent_syntax::parser::parse(source) {
            Ok(resource) => resource,
            Err((_, errors)) => panic!("{tag}/{file} does not parse: {errors:?}"),
        };
        for entry in resource.body {
            if let ast::Entry::Message(message) = entry {
                let mut vars = BTreeSet::new();
                if let Some(value) = &message.value {
                    variables_of_pattern(value, &mut vars);
                }
                let id = message.id.name.to_owned();
                for attribute in &message.attributes {
                    let mut attr_vars = BTreeSet::new();
                    variables_of_pattern(&attribute.value, &mut attr_vars);
                    let key = format!("{id}.{}", attribute.id.name);
                    assert!(
                        shape.insert(key.clone(), attr_vars).is_none(),
                        "{tag}: {key} twice"
                    );
                }
                assert!(
                    shape.insert(id.clone(), vars).is_none(),
                    "{tag}: {id} twice ({file})"
                );
            }
        }
    }
    shape
}

#[test]
fn there_are_english_french_and_spanish_and_english_comes_first() {
    let tags = folder_tags();
    assert_eq!(tags.first(), Some(&"en"));
    for tag in ["en", "fr", "es"] {
        assert!(tags.contains(&tag), "{tag} missing from {tags:?}");
        assert!(Lang::parse(tag).is_some());
    }
    assert_eq!(Lang::parse("FR").map(Lang::tag), Some("fr"));
    assert_eq!(Lang::parse("de"), None);
    assert!(!Lang::choosable().any(Lang::is_pseudo));
    assert!(Lang::pseudo().is_pseudo());
    assert_eq!(Lang::parse("fr").map(Lang::name), Some("Français"));
}

#[test]
fn every_message_is_in_every_language_with_the_same_variables() {
    let source = shape_of(SOURCE);
    assert!(source.len() > 5, "the English bundle is nearly empty");
    for tag in folder_tags().into_iter().filter(|t| *t != SOURCE) {
        let shape = shape_of(tag);
        let missing: Vec<&String> = source
            .keys()
            .filter(|id| !shape.contains_key(*id))
            .collect();
        let extra: Vec<&String> = shape
            .keys()
            .filter(|id| !source.contains_key(*id))
            .collect();
        assert!(missing.is_empty(), "{tag} lacks {missing:?}");
        assert!(
            extra.is_empty(),
            "{tag} has messages English lacks: {extra:?}"
        );
        for (id, vars) in &source {
            let theirs = &shape[id];
            if let Some((_, offered)) = CHOOSES_AMONG_VARIABLES.iter().find(|(c, _)| c == id) {
                for var in theirs.iter().chain(vars) {
                    assert!(
                        offered.contains(&var.as_str()),
                        "{tag}: {id} uses ${var}, not offered"
                    );
                }
            } else {
                assert_eq!(theirs, vars, "{tag}: {id} has other variables than English");
            }
        }
    }
}

/// Every message id the code and the templates name exists in English (and
/// so, by the test above, in every language).
#[test]
fn every_id_the_code_names_exists() {
    let source = shape_of(SOURCE);
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut named = BTreeSet::new();
    let calls = regex_lite_ids();
    for dir in ["src", "templates"] {
        walk(&root.join(dir), &mut |path, text| {
            if path.components().any(|c| c.as_os_str() == "i18n") {
                return;
            }
            for id in calls(text) {
                named.insert((id, path.display().to_string()));
            }
        });
    }
    assert!(!named.is_empty());
    let unknown: Vec<String> = named
        .iter()
        .filter(|(id, _)| !source.contains_key(id))
        .map(|(id, path)| format!("{id} ({path})"))
        .collect();
    assert!(
        unknown.is_empty(),
        "ids with no English message: {unknown:#?}"
    );
}

fn walk(dir: &std::path::Path, visit: &mut dyn FnMut(&std::path::Path, &str)) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            walk(&path, visit);
        } else if let Ok(text) = std::fs::read_to_string(&path) {
            visit(&path, &text);
        }
    }
}

/// The ids passed as the first argument of the translating calls
/// (`text("…"`, `text1("…"`, `t("…"`, `t_with("…"` …) and of `msg!("…")`.
fn regex_lite_ids() -> impl Fn(&str) -> Vec<String> {
    const CALLS: &[&str] = &[
        ".text(\"",
        ".text1(\"",
        ".text2(\"",
        ".text3(\"",
        ".text_with(\"",
        " t(\"",
        "(t(\"",
        "t_with(\"",
        "msg!(\"",
        "i18n::t(\"",
    ];
    |text: &str| {
        let mut ids = Vec::new();
        for call in CALLS {
            let mut rest = text;
            while let Some(at) = rest.find(call) {
                rest = &rest[at + call.len()..];
                let id: String = rest
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '.')
                    .collect();
                if rest[id.len()..].starts_with('"') && !id.is_empty() {
                    ids.push(id);
                }
            }
        }
        ids
    }
}

#[test]
fn no_invisible_marks_around_variables() {
    for lang in Lang::all() {
        let text = lang.text1("month-name", "month", 3);
        assert!(!text.contains(['\u{2068}', '\u{2069}']), "{lang}: {text:?}");
        let when = lang.datetime_in(
            Utc.with_ymd_and_hms(2027, 3, 1, 1, 30, 0)
                .single()
                .expect("instant"),
            chrono_tz::Asia::Manila,
        );
        assert!(
            !when
                .chars()
                .any(|c| matches!(c, '\u{200E}' | '\u{200F}' | '\u{2066}'..='\u{2069}')),
            "{lang}: {when:?}"
        );
    }
}

#[test]
fn dates_and_times_read_as_each_language_expects() {
    let at = Utc
        .with_ymd_and_hms(2027, 3, 1, 1, 30, 0)
        .single()
        .expect("instant");
    let manila = chrono_tz::Asia::Manila;
    let en = Lang::SOURCE;
    let fr = Lang::parse("fr").expect("fr");
    let es = Lang::parse("es").expect("es");
    assert_eq!(
        en.datetime_in(at, manila),
        "Monday 1 March 2027, 9:30 AM (Asia/Manila)"
    );
    assert_eq!(
        fr.datetime_in(at, manila),
        "lundi 1er mars 2027, 09:30 (Asia/Manila)"
    );
    assert_eq!(
        es.datetime_in(at, manila),
        "lunes, 1 de marzo de 2027, 09:30 (Asia/Manila)"
    );
    let evening = Utc
        .with_ymd_and_hms(2027, 3, 1, 13, 5, 0)
        .single()
        .expect("instant");
    assert!(en.datetime_in(evening, manila).contains("9:05 PM"));
    assert!(fr.datetime_in(evening, manila).contains("21:05"));
    assert!(
        en.datetime_in(
            Utc.with_ymd_and_hms(2027, 3, 1, 4, 0, 0)
                .single()
                .expect("noon"),
            manila
        )
        .contains("12:00 PM")
    );
    assert!(
        en.datetime_in(
            Utc.with_ymd_and_hms(2027, 2, 28, 16, 0, 0)
                .single()
                .expect("midnight"),
            manila
        )
        .contains("12:00 AM")
    );
}

#[test]
fn the_readers_clock_is_beside_the_courts_only_when_it_differs() {
    let at = Utc
        .with_ymd_and_hms(2027, 3, 1, 1, 30, 0)
        .single()
        .expect("instant");
    let fr = Lang::parse("fr").expect("fr");
    let same = fr.when(
        at,
        chrono_tz::Asia::Manila,
        Some(chrono_tz::Asia::Singapore),
    );
    assert_eq!(same.yours, None, "Singapore keeps Manila's clock");
    let paris = fr.when(at, chrono_tz::Asia::Manila, Some(chrono_tz::Europe::Paris));
    assert_eq!(
        paris.yours.as_deref(),
        Some("02:30 chez vous (Europe/Paris)")
    );
    let york = fr.when(
        at,
        chrono_tz::Asia::Manila,
        Some(chrono_tz::America::New_York),
    );
    assert_eq!(
        york.yours.as_deref(),
        Some("dimanche 28 février 2027, 20:30 chez vous (America/New_York)")
    );
    let bangkok = Lang::SOURCE.when(at, chrono_tz::Asia::Manila, Some(chrono_tz::Asia::Bangkok));
    assert_eq!(
        bangkok.yours.as_deref(),
        Some("8:30 AM your time (Asia/Bangkok)")
    );
    assert_eq!(bangkok.iso, "2027-03-01T01:30:00+00:00");
}

#[test]
fn the_court_clock_follows_daylight_saving() {
    let paris = chrono_tz::Europe::Paris;
    let fr = Lang::parse("fr").expect("fr");
    // 09:30 in Paris is 08:30 UTC in winter and 07:30 UTC in summer.
    let winter = Utc
        .with_ymd_and_hms(2027, 3, 26, 8, 30, 0)
        .single()
        .expect("winter");
    let summer = Utc
        .with_ymd_and_hms(2027, 3, 29, 7, 30, 0)
        .single()
        .expect("summer");
    assert_eq!(
        fr.datetime_in(winter, paris),
        "vendredi 26 mars 2027, 09:30 (Europe/Paris)"
    );
    assert_eq!(
        fr.datetime_in(summer, paris),
        "lundi 29 mars 2027, 09:30 (Europe/Paris)"
    );
}

#[test]
fn browsers_get_their_language_or_english() {
    assert_eq!(Lang::negotiate("fr-CA,fr;q=0.9,en;q=0.5").tag(), "fr");
    assert_eq!(Lang::negotiate("es-419, en").tag(), "es");
    assert_eq!(Lang::negotiate("de-DE, es;q=0.8").tag(), "es");
    assert_eq!(Lang::negotiate("de-DE").tag(), "en");
    assert_eq!(Lang::negotiate("").tag(), "en");
    assert_eq!(Lang::negotiate("en-XA").tag(), "en-XA");
    assert_eq!(Lang::negotiate("fr, en-XA").tag(), "fr");
}

#[test]
fn the_pseudo_language_accents_and_lengthens_but_keeps_variables() {
    let p = Lang::pseudo();
    let month = p.text1("month-name", "month", 3);
    assert_ne!(month, "March");
    assert!(
        month.chars().count() as f64 >= "March".len() as f64 * 1.2,
        "{month}"
    );
    let when = p.datetime_in(
        Utc.with_ymd_and_hms(2027, 3, 1, 1, 30, 0)
            .single()
            .expect("instant"),
        chrono_tz::Asia::Manila,
    );
    assert!(when.contains("Asia/Manila"), "zone names are data: {when}");
    assert_eq!(p.dir(), "ltr");
}

#[tokio::test]
async fn the_current_language_is_the_requests() {
    assert_eq!(current(), Lang::SOURCE);
    let fr = Lang::parse("fr").expect("fr");
    let seen = scope(Lang::SOURCE, async move {
        set_current(fr);
        current()
    })
    .await;
    assert_eq!(seen, fr);
    assert_eq!(current(), Lang::SOURCE);
}

#[test]
fn untranslated_words_are_the_plain_ascii_ones() {
    let p = Lang::pseudo();
    let sentence = p.text("layout-sign-out");
    assert_eq!(
        untranslated_words(&sentence, &[]),
        Vec::<String>::new(),
        "{sentence}"
    );
    assert_eq!(
        untranslated_words("Ŝīğñ out · Asia/Manila · FORBIDDEN · Davao", &["Davao"]),
        vec!["out".to_owned()]
    );
    // An id's hex letters are data; a word beside a number is not.
    assert_eq!(
        untranslated_words("01936dab-7c1e-7bbb-a1f0-3c2d1e0f9abc · 3 days", &[]),
        vec!["days".to_owned()]
    );
}
