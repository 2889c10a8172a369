//! Reading pages in a language: the page as a browser asking for `lang`
//! (`Accept-Language`) gets it, and the check that a page in the
//! pseudo-language (`en-XA`) has no English left that bypassed the bundles.
use crate::browser::no_redirects;
use crate::helpers::TestApp;

/// The HTML of `path` for the session `cookie`, asking for `lang`.
pub async fn page_in(app: &TestApp, cookie: &str, path: &str, lang: &str) -> String {
    let res = no_redirects()
        .get(app.url(path))
        .header("cookie", cookie)
        .header("accept-language", lang)
        .send()
        .await
        .expect("page answered");
    assert!(
        res.status().is_success(),
        "{path} answered {}",
        res.status()
    );
    res.text().await.expect("page text")
}

/// What a person reads on a page: the text between tags, and the
/// attributes read aloud or shown (`aria-label`, `title`, `placeholder`,
/// `alt`, a button's `value`), entities decoded.
pub fn visible_text(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    // Nothing a browser shows lives in <style> or <script>.
    while let Some(open) = rest.find('<') {
        out.push_str(&rest[..open]);
        out.push(' ');
        let tag_end = rest[open..].find('>').map_or(rest.len(), |e| open + e + 1);
        let tag = &rest[open..tag_end];
        for attr in ["aria-label=\"", "title=\"", "placeholder=\"", "alt=\""] {
            if let Some(at) = tag.find(attr) {
                let value = &tag[at + attr.len()..];
                out.push_str(value.split('"').next().unwrap_or(""));
                out.push(' ');
            }
        }
        rest = &rest[tag_end..];
        // `<code>` holds machine values (an audit detail, an API code).
        for skip in ["<style", "<script", "<code"] {
            if tag.starts_with(skip) {
                let close = format!("</{}", &skip[1..]);
                rest = rest.find(&close).map_or("", |c| &rest[c..]);
            }
        }
    }
    out.push_str(rest);
    out.replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&nbsp;", " ")
}

/// Asserts that `path`, read in the pseudo-language, shows no English
/// words other than `data` (what the test itself typed: names, courts …).
pub async fn assert_no_english_left(app: &TestApp, cookie: &str, path: &str, data: &[&str]) {
    let html = page_in(app, cookie, path, "en-XA").await;
    assert!(
        html.contains("lang=\"en-XA\""),
        "{path} is not in the pseudo-language"
    );
    let left = accord_server::i18n::untranslated_words(&visible_text(&html), data);
    assert!(
        left.is_empty(),
        "{path} has English that bypassed the bundles: {left:?}"
    );
}
