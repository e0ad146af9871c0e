//! The columns of the results table: what each shows and how wide it wants to be.

use std::borrow::Cow;

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

/// Status markers of a row: `N`ew, `L`ost, `B`roken, `I`ndirect.
pub fn markers(item: &Backlink) -> String {
    let mut s = String::new();
    if item.is_new == Some(true) {
        s.push('N');
    }
    if item.is_lost == Some(true) {
        s.push('L');
    }
    if item.is_broken == Some(true) {
        s.push('B');
    }
    if item.is_indirect_link == Some(true) {
        s.push('I');
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
        _ => Cow::Borrowed(""),
    }
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
    fn markers_and_dates() {
        let item = Backlink {
            is_new: Some(true),
            is_indirect_link: Some(true),
            first_seen: Some("2019-01-21 18:17:01 +00:00".into()),
            ..Backlink::default()
        };
        assert_eq!(markers(&item), "NI");
        let first = COLUMNS
            .iter()
            .find(|c| c.field == Some("first_seen"))
            .unwrap();
        assert_eq!(cell_text(first, &item), "2019-01-21");
    }
}
