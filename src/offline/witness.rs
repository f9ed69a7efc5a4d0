//! A witness kept outside the store: a cookie saying how much this phone holds unsent, and
//! which store it was counted in. WeChat clears a page's storage when its user signs out of
//! WeChat, a cache cleaner does the same, and a page-only store is gone at every reload. A
//! store that has lost its mark while the cookie still counts unsent work means that work is
//! gone, and the liaison is told what to enter again instead of finding out from the team.

use std::cell::RefCell;

use wasm_bindgen::JsValue;

use super::{new_id, store, Unsent};

const COOKIE: &str = "xuncha_unsent";
/// The store's own mark, made the first time the store is opened.
const MARK: &str = "store_mark";

thread_local! {
    static MARK_ID: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// What the last page counted as unsent in a store that is not this one any more.
pub async fn check() -> Option<Unsent> {
    let before = cookie().as_deref().and_then(parse);
    let mark = match store::get::<String>(store::META, MARK).await {
        Ok(Some(mark)) => mark,
        _ => {
            let mark = new_id();
            let _ = store::put(store::META, MARK, &mark).await;
            mark
        }
    };
    MARK_ID.with(|m| *m.borrow_mut() = Some(mark.clone()));
    before
        .filter(|(counted_in, _)| *counted_in != mark)
        .map(|(_, unsent)| unsent)
}

/// Records what is unsent now (nothing before [`check`] has read the last count). A store
/// that lost its mark while this page had it open was cleared under the page: what the last
/// count held is returned, and the store is marked afresh.
pub async fn record(unsent: Unsent) -> Option<Unsent> {
    let mark = MARK_ID.with(|m| m.borrow().clone())?;
    let lost = match store::get::<String>(store::META, MARK).await {
        Ok(Some(now)) if now == mark => None,
        Ok(now) => {
            let lost = cookie()
                .as_deref()
                .and_then(parse)
                .filter(|(counted_in, _)| *counted_in == mark)
                .map(|(_, unsent)| unsent);
            // Another tab may have marked the cleared store already.
            let fresh = match now {
                Some(now) => now,
                None => {
                    let fresh = new_id();
                    let _ = store::put(store::META, MARK, &fresh).await;
                    fresh
                }
            };
            MARK_ID.with(|m| *m.borrow_mut() = Some(fresh));
            lost
        }
        // Unreadable: the count is not worth keeping either.
        Err(_) => return None,
    };
    let mark = MARK_ID.with(|m| m.borrow().clone())?;
    if let Some(document) = web_sys::window().and_then(|w| w.document()) {
        let value = format!(
            "{COOKIE}={}; path=/; max-age=31536000; samesite=strict",
            format_value(&mark, unsent)
        );
        let _ = js_sys::Reflect::set(&document, &"cookie".into(), &JsValue::from_str(&value));
    }
    lost
}

fn cookie() -> Option<String> {
    let document = web_sys::window()?.document()?;
    let all = js_sys::Reflect::get(&document, &"cookie".into())
        .ok()?
        .as_string()?;
    all.split(';')
        .find_map(|c| c.trim().strip_prefix(COOKIE)?.strip_prefix('='))
        .map(str::to_string)
}

fn format_value(mark: &str, u: Unsent) -> String {
    format!(
        "{mark}.{}.{}.{}.{}.{}.{}.{}.{}",
        u.answers, u.files, u.steps, u.talks, u.stationing, u.findings, u.petitions, u.new_tasks
    )
}

/// The cookie's value: the store's mark and the three counts.
fn parse(value: &str) -> Option<(String, Unsent)> {
    let mut parts = value.split('.');
    let mark = parts.next().filter(|m| !m.is_empty())?.to_string();
    let mut count = || parts.next()?.parse::<usize>().ok();
    let unsent = Unsent {
        answers: count()?,
        files: count()?,
        steps: count()?,
        // Absent in a cookie written before talks were kept on the device.
        talks: count().unwrap_or(0),
        stationing: count().unwrap_or(0),
        findings: count().unwrap_or(0),
        petitions: count().unwrap_or(0),
        new_tasks: count().unwrap_or(0),
    };
    Some((mark, unsent))
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::*;

    #[wasm_bindgen_test]
    fn the_count_reads_back_and_a_damaged_cookie_counts_nothing() {
        let u = Unsent {
            answers: 3,
            files: 1,
            steps: 2,
            talks: 1,
            stationing: 2,
            findings: 4,
            petitions: 1,
            new_tasks: 2,
        };
        let v = format_value("ab-12", u);
        assert_eq!(parse(&v), Some(("ab-12".to_string(), u)));
        assert_eq!(parse(""), None);
        assert_eq!(parse("ab-12.3.x.2"), None);
        assert_eq!(parse(".3.1.2"), None);
        assert_eq!(parse("ab-12.3.1"), None);
        assert_eq!(
            parse("ab-12.3.1.2").map(|(_, u)| u.talks),
            Some(0),
            "an older cookie"
        );
    }
}
