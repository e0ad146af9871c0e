//! How each kind of value reads in the detail panel: nulls as "—", booleans as ✓/✗, status
//! codes and spam scores coloured by meaning, dates with their age, the anchor in its context.

use std::borrow::Cow;

use jiff::Timestamp;

use crate::api::response::{Backlink, IndirectHop};
use crate::api::time;
use crate::text::sanitize;

use super::age::relative;
use super::doc::Tag;

/// A value: pieces of text with their tags.
pub(super) type Value = Vec<(String, Tag)>;

pub(super) fn text(s: Option<&String>) -> Value {
    match s {
        Some(s) => vec![(sanitize(s).into_owned(), Tag::Plain)],
        None => null(),
    }
}

pub(super) fn url(s: Option<&String>) -> Value {
    match s {
        Some(s) => vec![(sanitize(s).into_owned(), Tag::Url)],
        None => null(),
    }
}

pub(super) fn null() -> Value {
    vec![("—".to_owned(), Tag::Null)]
}

pub(super) fn flag(b: Option<bool>) -> Value {
    match b {
        Some(true) => vec![("✓".to_owned(), Tag::Yes)],
        Some(false) => vec![("✗".to_owned(), Tag::No)],
        None => null(),
    }
}

/// A flag where `true` is bad news (broken, lost).
pub(super) fn alarm(b: Option<bool>) -> Value {
    match b {
        Some(true) => vec![("✓".to_owned(), Tag::Bad)],
        other => flag(other),
    }
}

pub(super) fn num(n: Option<i64>) -> Value {
    n.map_or_else(null, |n| vec![(thousands(n), Tag::Plain)])
}

pub(super) fn num_unit(n: Option<i64>, unit: &str) -> Value {
    n.map_or_else(null, |n| {
        vec![(thousands(n), Tag::Plain), (format!(" {unit}"), Tag::Dim)]
    })
}

pub(super) fn status(code: Option<i64>) -> Value {
    code.map_or_else(null, |c| vec![(c.to_string(), status_tag(c))])
}

pub(super) fn status_tag(code: i64) -> Tag {
    match code {
        200..=299 => Tag::Good,
        300..=399 => Tag::Warn,
        _ => Tag::Bad,
    }
}

/// Spam scores run 0–100; from 30 up they deserve a second look.
pub(super) fn spam(n: Option<i64>) -> Value {
    n.map_or_else(null, |n| {
        let tag = match n {
            ..30 => Tag::Plain,
            30..60 => Tag::Warn,
            _ => Tag::Bad,
        };
        vec![(n.to_string(), tag), (" / 100".to_owned(), Tag::Dim)]
    })
}

pub(super) fn list(v: Option<&Vec<String>>) -> Value {
    match v {
        Some(v) if v.is_empty() => vec![("(none)".to_owned(), Tag::Dim)],
        Some(v) => {
            let joined: Vec<Cow<'_, str>> = v.iter().map(|s| sanitize(s)).collect();
            vec![(joined.join(", "), Tag::Plain)]
        }
        None => null(),
    }
}

pub(super) fn date(s: Option<&String>, now: Option<Timestamp>) -> Value {
    let Some(s) = s else { return null() };
    let mut v = vec![(sanitize(s).into_owned(), Tag::Plain)];
    if let (Ok(then), Some(now)) = (time::parse(s), now) {
        v.push((format!(" · {}", relative(then, now)), Tag::Dim));
    }
    v
}

/// 21655 → "21,655".
pub(super) fn thousands(n: i64) -> String {
    let sign = if n < 0 { "-" } else { "" };
    format!("{sign}{}", crate::text::group(n.unsigned_abs()))
}

/// The anchor in its surrounding text; an image link shows its alt text in the anchor's place.
pub(super) fn context(item: &Backlink) -> Value {
    let anchor = match (&item.anchor, &item.alt) {
        (Some(a), _) if !a.trim().is_empty() => Some(sanitize(a).into_owned()),
        (_, Some(alt)) if !alt.trim().is_empty() => Some(format!("[img: {}]", sanitize(alt))),
        _ => None,
    };
    let pre = item.text_pre.as_deref().map(sanitize);
    let post = item.text_post.as_deref().map(sanitize);
    if anchor.is_none() && pre.is_none() && post.is_none() {
        return vec![("no context text".to_owned(), Tag::Null)];
    }
    let mut v = Vec::new();
    if let Some(pre) = pre {
        v.push((format!("{pre} "), Tag::Plain));
    }
    v.push((
        anchor.unwrap_or_else(|| "(no anchor)".to_owned()),
        Tag::Anchor,
    ));
    if let Some(post) = post {
        // The API trims both sides; punctuation right after the anchor needs no space.
        let glue = if post.starts_with([',', '.', ';', ':', '!', '?', ')', '’', '\'']) {
            ""
        } else {
            " "
        };
        v.push((format!("{glue}{post}"), Tag::Plain));
    }
    v
}

pub(super) fn hop(h: &IndirectHop) -> Value {
    let kind = h.kind.as_deref().map_or(Cow::Borrowed("?"), sanitize);
    let mut v = vec![(format!("{kind} "), Tag::Plain)];
    v.extend(status(h.status_code));
    v.push((" ".to_owned(), Tag::Plain));
    v.extend(url(h.url.as_ref()));
    v.push((" →".to_owned(), Tag::Dim));
    v
}
