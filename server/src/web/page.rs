//! Rendering a page: the navigation every page carries, the answer's
//! headers, and the forms' errors beside their fields.
use askama::Template;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};

use crate::auth::Viewer;
use crate::domain::Role;
use crate::error::AppError;
use crate::i18n::{Lang, t};

/// One link of the main navigation.
pub struct NavLink {
    pub href: &'static str,
    pub label: String,
    /// One line on the home page saying what is there.
    pub about: String,
    pub current: bool,
}

/// Who is signed in, as the header shows it.
pub struct Me {
    pub name: String,
    /// "Diplomat, CA mission" or "Liaison".
    pub place: String,
}

/// What the layout needs: the signed-in person (none on the sign-in page),
/// their links, a one-line confirmation of the last change, and the
/// language the page is in (templates call `nav.lang.text` with an id).
pub struct Nav {
    pub me: Option<Me>,
    pub links: Vec<NavLink>,
    pub flash: Option<String>,
    pub lang: Lang,
}

impl Default for Nav {
    /// No one signed in, in the request's language.
    fn default() -> Nav {
        Nav {
            me: None,
            links: Vec::new(),
            flash: None,
            lang: crate::i18n::current(),
        }
    }
}

impl Nav {
    /// The navigation of a signed-in viewer, `current` marking the section.
    pub fn of(viewer: &Viewer, name: &str, current: &str) -> Nav {
        let links = links_for(viewer.role)
            .iter()
            .map(|&(href, label, about)| NavLink {
                href,
                label: t(label),
                about: t(about),
                current: href == current,
            })
            .collect();
        Nav {
            me: Some(Me {
                name: name.to_owned(),
                place: place_of(viewer),
            }),
            links,
            flash: None,
            lang: crate::i18n::current(),
        }
    }

    pub fn with_flash(mut self, flash: Option<String>) -> Nav {
        self.flash = flash;
        self
    }
}

/// The message id of a role's name.
pub fn role_label(role: Role) -> &'static str {
    match role {
        Role::Diplomat => "role-diplomat",
        Role::Coordinator => "role-coordinator",
        Role::Liaison => "role-liaison",
        Role::Admin => "role-admin",
        Role::Operator => "role-operator",
    }
}

/// "Coordinator, CA mission".
pub fn place_of(viewer: &Viewer) -> String {
    let role = t(role_label(viewer.role));
    match viewer.country {
        Some(country) => crate::i18n::current().text2(
            "nav-place-in-mission",
            "role",
            role,
            "country",
            country.as_str(),
        ),
        None => role,
    }
}

/// A section: its address and its label's message id (`.about`: the
/// home page's line).
type Link = (&'static str, &'static str, &'static str);

const ROSTER: Link = ("/roster", "nav-roster", "nav-roster.about");
const HEARINGS: Link = ("/hearings", "nav-hearings", "nav-hearings.about");
const CASES: Link = ("/cases", "nav-cases", "nav-cases.about");
const COVERAGE: Link = ("/coverage", "nav-coverage", "nav-coverage.about");
const STATEMENTS: Link = ("/statements", "nav-statements", "nav-statements.about");
const REPORTS: Link = ("/reports", "nav-reports", "nav-reports.about");
const NEW_REPORT: Link = ("/reports/new", "nav-new-report", "nav-new-report.about");
const MY_REPORTS: Link = ("/reports", "nav-my-reports", "nav-my-reports.about");
const USERS: Link = ("/admin/users", "nav-users", "nav-users.about");
const COALITIONS: Link = (
    "/admin/coalitions",
    "nav-coalitions",
    "nav-coalitions.about",
);
const AUDIT: Link = ("/admin/audit", "nav-audit", "nav-audit.about");
const IDENTITY: Link = ("/identity", "nav-identity", "nav-identity.about");
const ACCOUNT: Link = ("/account", "nav-account", "nav-account.about");

fn links_for(role: Role) -> &'static [Link] {
    match role {
        Role::Diplomat => &[
            ROSTER, HEARINGS, CASES, STATEMENTS, REPORTS, IDENTITY, ACCOUNT,
        ],
        Role::Coordinator => &[
            CASES, HEARINGS, COVERAGE, STATEMENTS, REPORTS, ROSTER, IDENTITY, ACCOUNT,
        ],
        Role::Liaison => &[NEW_REPORT, MY_REPORTS, ACCOUNT],
        Role::Admin => &[USERS, COALITIONS, AUDIT, CASES, IDENTITY, ACCOUNT],
        // The audit log is the missions' (the API refuses it to the operator).
        Role::Operator => &[ACCOUNT],
    }
}

/// A field's error, as the page shows it beside the field and in the
/// summary at the top (linked to the field).
pub struct FieldError {
    /// The input's `id` and `name`.
    pub field: String,
    /// The label people read.
    pub label: String,
    pub message: String,
}

/// What was wrong with a submitted form.
#[derive(Default)]
pub struct FormErrors(Vec<FieldError>);

impl FormErrors {
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn all(&self) -> &[FieldError] {
        &self.0
    }

    /// The summary's heading: "Please correct 2 problems".
    pub fn heading(&self) -> String {
        crate::i18n::current().text1("form-errors-heading", "count", self.0.len())
    }

    /// The message for `field`, if it was at fault.
    pub fn of(&self, field: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|e| e.field == field)
            .map(|e| e.message.as_str())
    }

    pub fn add(&mut self, field: &str, label: &str, message: impl Into<String>) {
        self.0.push(FieldError {
            field: field.to_owned(),
            label: label.to_owned(),
            message: message.into(),
        });
    }

    /// The form's error from a refused change: a field's mistake beside that
    /// field (labelled from `labels`, the form's field → label pairs), any
    /// other refusal at the top of the form (under `fallback`). A mistake in
    /// one item of a list (`invitedCountries[2]`) belongs to the list's
    /// field: a form has one field for the whole list. The labels are
    /// message ids, said in the request's language (an id with no message
    /// reads as itself, so an English label still shows).
    pub fn from_error(err: &AppError, labels: &[(&str, &str)], fallback: &str) -> FormErrors {
        let mut errors = FormErrors::default();
        if let AppError::BadUserInput(input) = err {
            let name = list_field(&input.field);
            let (field, label) = labels
                .iter()
                .find(|(known, _)| *known == name)
                .map_or((fallback, t("errors-this-form")), |&(field, label)| {
                    (field, label_text(label))
                });
            errors.add(field, &label, input.reason.text());
        } else {
            errors.add(
                fallback,
                &t("errors-this-form"),
                super::error::sentence(err),
            );
        }
        errors
    }
}

/// A form label given as a message id (`cases-field-title`), in the
/// request's language. A label that is no id (English text with spaces or
/// capitals, from a caller not yet converted) is shown as it is.
fn label_text(label: &str) -> String {
    let is_id = !label.is_empty()
        && label
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '.');
    if is_id { t(label) } else { label.to_owned() }
}

/// A page's HTML answer. Nothing a page shows may be kept by the browser
/// or a proxy (`no-store`): a shared desk computer must not give a
/// defender's case back from its cache.
pub fn html(status: StatusCode, template: &impl Template) -> Response {
    match template.render() {
        Ok(body) => (
            status,
            [
                (
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("text/html; charset=utf-8"),
                ),
                (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
            ],
            body,
        )
            .into_response(),
        Err(err) => super::error::WebError(AppError::internal(err)).into_response(),
    }
}

/// A page answered 200.
pub fn ok(template: &impl Template) -> Response {
    html(StatusCode::OK, template)
}

/// After a change: back to a page by GET (POST, then redirect: a reload
/// repeats nothing), saying what was done with `?done=<what>`.
pub fn done(to: &str, what: &str) -> Response {
    let separator = if to.contains('?') { '&' } else { '?' };
    Redirect::to(&format!("{to}{separator}done={what}")).into_response()
}

/// The confirmations `?done=` may name, each with its message id. Only
/// these fixed sentences are shown, so an address can never put text of its
/// own on a page. Each area lists its own (`DONE` in its file).
const DONE: &[&[(&str, &str)]] = &[
    super::account::DONE,
    super::roster::DONE,
    super::hearings::DONE,
    super::cases::DONE,
    super::statements::DONE,
    super::reports::DONE,
    super::admin::DONE,
    super::identity::DONE,
    super::assessments::DONE,
    super::handover::DONE,
];

/// The one-line confirmation of the change just made (`?done=`), if any.
pub struct Flash(pub Option<String>);

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for Flash {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        _state: &S,
    ) -> Result<Self, Self::Rejection> {
        let what = parts
            .uri
            .query()
            .unwrap_or("")
            .split('&')
            .find_map(|pair| pair.strip_prefix("done="));
        Ok(Flash(what.and_then(|what| {
            DONE.iter()
                .flat_map(|table| table.iter())
                .find(|(code, _)| *code == what)
                .map(|(_, message)| crate::i18n::t(message))
        })))
    }
}

/// The form field an API input path names: `invitedCountries[2]` (one item
/// of a list) is the list's field `invitedCountries`; other names are kept.
pub fn list_field(path: &str) -> &str {
    match path.split_once('[') {
        Some((list, _)) if path.ends_with(']') => list,
        _ => path,
    }
}

/// One option of a select, checkbox group or radio group, as the templates
/// render it.
pub struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

/// The options of a closed set (`ALL` of a stored enum), labelled for
/// people (`label` gives each one's message id), `current` selected.
pub fn choices<T: Copy>(
    all: &[T],
    value: fn(T) -> &'static str,
    label: fn(T) -> &'static str,
    current: &str,
) -> Vec<Choice> {
    all.iter()
        .map(|&item| Choice {
            value: value(item).to_owned(),
            label: crate::i18n::t(label(item)),
            selected: value(item) == current,
        })
        .collect()
}

/// The IANA zones a court or an incident can be in (the canonical
/// "Region/City" names, without the legacy aliases) and UTC, sorted: every
/// form offers them to choose from, nobody types a zone's name.
pub fn zone_names() -> &'static [&'static str] {
    static ZONES: std::sync::LazyLock<Vec<&'static str>> = std::sync::LazyLock::new(|| {
        const REGIONS: &[&str] = &[
            "Africa/",
            "America/",
            "Antarctica/",
            "Asia/",
            "Atlantic/",
            "Australia/",
            "Europe/",
            "Indian/",
            "Pacific/",
        ];
        let mut zones: Vec<&'static str> = chrono_tz::TZ_VARIANTS
            .iter()
            .map(|tz| tz.name())
            .filter(|name| REGIONS.iter().any(|r| name.starts_with(r)))
            .collect();
        zones.push("UTC");
        zones.sort_unstable();
        zones
    });
    &ZONES
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::msg;

    const LABELS: &[(&str, &str)] = &[
        ("title", "Title"),
        ("invitedCountries", "Countries invited to sign"),
    ];

    #[test]
    fn a_list_items_mistake_is_shown_beside_the_list() {
        let err = AppError::bad_input("invitedCountries[2]", msg!("input-is-not-a-country-on"));
        let errors = FormErrors::from_error(&err, LABELS, "title");
        assert_eq!(errors.len(), 1);
        assert_eq!(
            errors.of("invitedCountries"),
            Some("is not a country on Accord")
        );
        assert_eq!(errors.all()[0].label, "Countries invited to sign");
        assert_eq!(errors.of("title"), None);
    }

    #[test]
    fn a_plain_fields_mistake_stays_on_its_field() {
        let err = AppError::bad_input("title", msg!("input-must-not-be-empty"));
        let errors = FormErrors::from_error(&err, LABELS, "invitedCountries");
        assert_eq!(errors.of("title"), Some("must not be empty"));
        assert_eq!(errors.all()[0].label, "Title");
    }

    #[test]
    fn an_unknown_field_and_other_refusals_go_to_the_fallback() {
        let err = AppError::bad_input("caseIds[0]", msg!("input-is-not-shared-with-you"));
        let errors = FormErrors::from_error(&err, LABELS, "title");
        assert_eq!(errors.of("title"), Some("is not shared with you"));
        assert_eq!(errors.all()[0].label, "This form");
        let errors = FormErrors::from_error(&AppError::NotFound, LABELS, "title");
        assert_eq!(errors.len(), 1);
        assert!(errors.of("title").is_some());
    }

    #[test]
    fn list_field_strips_only_a_trailing_index() {
        assert_eq!(list_field("invitedCountries[2]"), "invitedCountries");
        assert_eq!(list_field("caseIds[10]"), "caseIds");
        assert_eq!(list_field("body"), "body");
        assert_eq!(list_field("odd[name"), "odd[name");
    }
}
