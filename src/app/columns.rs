//! The columns of the results table: what each shows and how wide it wants to be. The table
//! shows `App::columns` (chosen with `c`, remembered in the data dir); `COLUMNS` is the default
//! set, and any catalogue field can be a column (`column_for`).

use std::borrow::Cow;

use crate::api::fields::{Catalog, FieldRef, ValueType, column_field};
use crate::api::response::Backlink;

/// One column of the results table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column {
    /// Catalogue field behind the column (sorting and quick filters use it); `None` for the
    /// status marker.
    pub field: Option<&'static str>,
    pub title: &'static str,
    /// Cells wanted; flexible columns share what is left.
    pub width: u16,
    pub flexible: bool,
    pub numeric: bool,
}

const fn col(field: &'static str, title: &'static str, width: u16, numeric: bool) -> Column {
    Column {
        field: Some(field),
        title,
        width,
        flexible: false,
        numeric,
    }
}

const fn flex(field: &'static str, title: &'static str, width: u16) -> Column {
    Column {
        field: Some(field),
        title,
        width,
        flexible: true,
        numeric: false,
    }
}

/// The default columns, in order.
pub const COLUMNS: &[Column] = &[
    Column {
        field: None,
        title: "",
        width: 3,
        flexible: false,
        numeric: false,
    },
    col("rank", "rank", 5, true),
    col("domain_from", "domain_from", 24, false),
    flex("url_from", "url_from", 34),
    flex("anchor", "anchor", 24),
    col("dofollow", "dofollow", 8, false),
    col("item_type", "item_type", 9, false),
    col("domain_from_rank", "dom.rank", 8, true),
    col("page_from_rank", "page.rank", 9, true),
    col("backlink_spam_score", "spam", 4, true),
    col("first_seen", "first_seen", 10, false),
    col("last_seen", "last_seen", 10, false),
];

/// `backlinks diff`'s `change` column: a marker ([`CHANGE_MARKERS`]) and the word, narrow
/// enough to leave `url_from` room at 80 columns.
pub const CHANGE: Column = col("change", "change", 8, false);

/// The `change` column's markers, with the value each stands for and what it means: the
/// table draws them and the help explains them from here.
pub const CHANGE_MARKERS: [(char, &str, &str); 3] = [
    ('+', "new", "new: in NEW only"),
    ('-', "lost", "lost: in OLD only (the row is OLD's)"),
    ('~', "changed", "changed: in both, see changed_fields"),
];

/// Puts [`CHANGE`] first (the explorer over a diff).
pub fn change_first(columns: &mut Vec<Column>) {
    columns.retain(|c| c.field != Some("change"));
    columns.insert(0, CHANGE);
}

/// The default visible columns, as an owned set (the start of `App::columns`).
pub fn default_columns() -> Vec<Column> {
    COLUMNS.to_vec()
}

/// Fields that can be shown as a column, in catalogue order: every top-level item key and the
/// dotted `ranked_keywords_info.*` counts.
pub fn choosable_fields() -> impl Iterator<Item = &'static str> {
    Catalog::get()
        .all()
        .iter()
        .filter(|f| f.is_top_level() || f.name.starts_with("ranked_keywords_info."))
        .filter(|f| !f.local) // a diff's `change` is put first by the diff itself
        .map(|f| f.name.as_str())
}

/// The column showing `field`: the default's look for the default fields, else one derived
/// from the field's type. `None` for a name the catalogue does not know.
pub fn column_for(field: &str) -> Option<Column> {
    if field == "change" {
        return Some(CHANGE);
    }
    if let Some(c) = COLUMNS.iter().find(|c| c.field == Some(field)) {
        return Some(*c);
    }
    let name = column_field(field)?;
    let spec = Catalog::get().find(name)?;
    let title = short_title(name);
    let title_w = title.chars().count() as u16;
    let (width, flexible, numeric) = match spec.value_type {
        ValueType::Integer | ValueType::Float => (title_w.max(6), false, true),
        ValueType::Boolean => (title_w.max(5), false, false),
        ValueType::Datetime => (title_w.max(10), false, false),
        ValueType::String if is_short_text(name) => (title_w.max(10), false, false),
        ValueType::String | ValueType::Array | ValueType::Object => (title_w.max(20), true, false),
    };
    Some(Column {
        field: Some(name),
        title,
        width,
        flexible,
        numeric,
    })
}

/// Titles for fields whose names would waste a column's width.
fn short_title(name: &'static str) -> &'static str {
    match name {
        "ranked_keywords_info.page_from_keywords_count_top_3" => "kw.top3",
        "ranked_keywords_info.page_from_keywords_count_top_10" => "kw.top10",
        "ranked_keywords_info.page_from_keywords_count_top_100" => "kw.top100",
        "ranked_keywords_info" => "keywords",
        "page_from_external_links" => "ext.links",
        "page_from_internal_links" => "int.links",
        "domain_from_platform_type" => "platform",
        "domain_from_country" => "country",
        "page_from_language" => "lang",
        "page_from_encoding" => "encoding",
        "page_from_status_code" => "page.status",
        "url_to_status_code" => "to.status",
        "url_to_spam_score" => "to.spam",
        _ => name,
    }
}

/// String fields whose values are short codes (country, language, type…), not free text.
fn is_short_text(name: &str) -> bool {
    matches!(
        name,
        "type"
            | "tld_from"
            | "domain_from_ip"
            | "domain_from_country"
            | "page_from_encoding"
            | "page_from_language"
            | "item_type"
            | "semantic_location"
    )
}

/// The marker column's letters, in the order they are drawn, with the field each stands for
/// and what it means: the table draws them and the help and README explain them from here.
pub const MARKERS: [(char, &str, &str); 4] = [
    ('N', "is_new", "new: found at the last crawl"),
    ('L', "is_lost", "lost: the link or its page is gone"),
    ('B', "is_broken", "broken: the target answers 4xx/5xx"),
    ('I', "is_indirect_link", "indirect: via redirect/canonical"),
];

/// Glyphs before the letters, for rows the user marked.
pub const MARK_GLYPHS: [(char, &str); 2] = [
    ('●', "a marked row (copy, save)"),
    ('○', "inside the range being marked"),
];

/// Status markers of a row: `N`ew, `L`ost, `B`roken, `I`ndirect ([`MARKERS`]). Read from the
/// fields directly: searching reads every loaded row's cells.
pub fn markers(item: &Backlink) -> String {
    let mut s = String::new();
    for (flag, letter) in [
        (item.is_new, 'N'),
        (item.is_lost, 'L'),
        (item.is_broken, 'B'),
        (item.is_indirect_link, 'I'),
    ] {
        if flag == Some(true) {
            s.push(letter);
        }
    }
    s
}

fn opt_num(v: Option<i64>) -> Cow<'static, str> {
    v.map_or(Cow::Borrowed("—"), |n| Cow::Owned(n.to_string()))
}

fn opt_str(v: Option<&String>) -> Cow<'_, str> {
    v.map_or(Cow::Borrowed("—"), |s| Cow::Borrowed(s.as_str()))
}

fn date(v: Option<&String>) -> Cow<'_, str> {
    v.map_or(Cow::Borrowed("—"), |s| {
        Cow::Borrowed(s.get(..10).unwrap_or(s))
    })
}

/// The raw (not yet sanitised) text of a cell.
pub fn cell_text<'a>(column: &Column, item: &'a Backlink) -> Cow<'a, str> {
    let Some(field) = column.field else {
        return Cow::Owned(markers(item));
    };
    match field {
        "rank" => opt_num(item.rank),
        "domain_from" => opt_str(item.domain_from.as_ref()),
        "url_from" => opt_str(item.url_from.as_ref()),
        "anchor" => match (&item.anchor, &item.alt) {
            (Some(a), _) if !a.is_empty() => Cow::Borrowed(a.as_str()),
            (_, Some(alt)) => Cow::Owned(format!("[img] {alt}")),
            (Some(a), None) => Cow::Borrowed(a.as_str()),
            (None, None) => Cow::Borrowed("—"),
        },
        "dofollow" => Cow::Borrowed(match item.dofollow {
            Some(true) => "✓",
            Some(false) => "✗",
            None => "—",
        }),
        "item_type" => opt_str(item.item_type.as_ref()),
        "domain_from_rank" => opt_num(item.domain_from_rank),
        "page_from_rank" => opt_num(item.page_from_rank),
        "backlink_spam_score" => opt_num(item.backlink_spam_score),
        "first_seen" => date(item.first_seen.as_ref()),
        "last_seen" => date(item.last_seen.as_ref()),
        "change" => change_text(item.change.as_deref()),
        other => generic(other, item),
    }
}

/// `+new`, `-lost`, `~changed`; another value as it is.
fn change_text(change: Option<&str>) -> Cow<'_, str> {
    match change {
        None => Cow::Borrowed("—"),
        Some(c) => match CHANGE_MARKERS.iter().find(|(_, v, _)| *v == c) {
            Some((glyph, value, _)) => Cow::Owned(format!("{glyph}{value}")),
            None => Cow::Borrowed(c),
        },
    }
}

/// Any catalogue field: scalars as text, lists joined, nested objects as compact JSON.
fn generic<'a>(field: &str, item: &'a Backlink) -> Cow<'a, str> {
    match item.field(field) {
        FieldRef::Null => Cow::Borrowed("—"),
        FieldRef::Bool(true) => Cow::Borrowed("✓"),
        FieldRef::Bool(false) => Cow::Borrowed("✗"),
        FieldRef::Int(n) => Cow::Owned(n.to_string()),
        FieldRef::Str(s) if is_datetime(field) => Cow::Borrowed(s.get(..10).unwrap_or(s)),
        FieldRef::Str(s) => Cow::Borrowed(s),
        FieldRef::Strs(list) => Cow::Owned(list.join(", ")),
        FieldRef::Nested => {
            let json = match field {
                "ranked_keywords_info" => serde_json::to_string(&item.ranked_keywords_info),
                "indirect_link_path" => serde_json::to_string(&item.indirect_link_path),
                _ => Ok(String::new()),
            };
            Cow::Owned(json.unwrap_or_default())
        }
    }
}

fn is_datetime(field: &str) -> bool {
    Catalog::get()
        .find(field)
        .is_some_and(|f| f.value_type == ValueType::Datetime)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anchor_falls_back_to_the_image_alt() {
        let anchor = COLUMNS.iter().find(|c| c.field == Some("anchor")).unwrap();
        let mut item = Backlink {
            alt: Some("Forbes".into()),
            ..Backlink::default()
        };
        assert_eq!(cell_text(anchor, &item), "[img] Forbes");
        item.anchor = Some("read more".into());
        assert_eq!(cell_text(anchor, &item), "read more");
        assert_eq!(cell_text(anchor, &Backlink::default()), "—");
    }

    #[test]
    fn every_choosable_field_is_a_column_and_renders() {
        let item: Backlink = serde_json::from_str(
            r#"{"domain_from_platform_type":["cms","blogs"],"prev_seen":"2024-03-01 10:00:00 +00:00",
               "ranked_keywords_info":{"page_from_keywords_count_top_3":4},
               "indirect_link_path":[{"type":"redirect","status_code":301,"url":"https://a.b/"}],
               "page_from_size":1234,"original":false}"#,
        )
        .unwrap();
        for field in choosable_fields() {
            let c = column_for(field).unwrap_or_else(|| panic!("{field} has a column"));
            assert!(c.width >= 4, "{field}");
            let _ = cell_text(&c, &item);
        }
        let text = |f: &str| cell_text(&column_for(f).unwrap(), &item).into_owned();
        assert_eq!(text("domain_from_platform_type"), "cms, blogs");
        assert_eq!(text("prev_seen"), "2024-03-01");
        assert_eq!(text("page_from_size"), "1234");
        assert_eq!(text("original"), "✗");
        assert_eq!(
            text("ranked_keywords_info.page_from_keywords_count_top_3"),
            "4"
        );
        assert!(text("indirect_link_path").contains("\"redirect\""));
        assert_eq!(text("alt"), "—");
        assert!(column_for("indirect_link_path[].url").is_none());
        assert!(column_for("nope").is_none());
    }

    #[test]
    fn markers_and_dates() {
        let item = Backlink {
            is_new: Some(true),
            is_indirect_link: Some(true),
            first_seen: Some("2019-01-21 18:17:01 +00:00".into()),
            ..Backlink::default()
        };
        assert_eq!(markers(&item), "NI");
        // The legend's letters are the ones drawn, each for its field.
        for (letter, field, _) in MARKERS {
            let mut json = serde_json::Map::new();
            json.insert(field.to_owned(), serde_json::Value::Bool(true));
            let one: Backlink = serde_json::from_value(json.into()).unwrap();
            assert_eq!(markers(&one), letter.to_string(), "{field}");
        }
        let first = COLUMNS
            .iter()
            .find(|c| c.field == Some("first_seen"))
            .unwrap();
        assert_eq!(cell_text(first, &item), "2019-01-21");
    }
}
