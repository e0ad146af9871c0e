//! What the detail panel says about one item: every field, grouped, as tagged text. The words
//! are decided here (pure, sanitised); `layout` wraps them to a width, and the ui only maps
//! tags to styles. The app uses the same layout to know how far the panel can scroll.

use std::borrow::Cow;

use jiff::Timestamp;

use crate::api::response::Backlink;
use crate::text::sanitize;
use crate::text::wrap::{wrap_hard, wrap_tagged};

use super::values::{
    alarm, context, date, flag, hop, list, null, num, num_unit, spam, status, text, url,
};

/// How a piece of text is meant to look; the ui picks the style.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Tag {
    Heading,
    Label,
    Plain,
    /// A null value ("—").
    Null,
    /// `true` (✓).
    Yes,
    /// `false` (✗).
    No,
    Url,
    Good,
    Warn,
    Bad,
    /// Secondary text: relative dates, units, arrows.
    Dim,
    /// The anchor inside its context paragraph.
    Anchor,
}

/// One logical line of the document, before wrapping.
#[derive(Debug, Clone, PartialEq)]
pub enum DocLine {
    Heading(&'static str),
    /// A labelled value; the value wraps under itself, beside the label column.
    Field {
        label: Cow<'static, str>,
        value: Vec<(String, Tag)>,
    },
    /// A paragraph over the whole width (the link's context).
    Paragraph(Vec<(String, Tag)>),
    /// A line of code (raw JSON): wraps under its own indentation.
    Code {
        indent: usize,
        text: String,
        tag: Tag,
    },
    Blank,
}

/// A laid-out line: pieces of text with their tags.
pub type TaggedLine = Vec<(String, Tag)>;

/// Widest label; labels are the API's field names, so they can be looked up and filtered on.
const LABEL_WIDTH: usize = 26;

fn field(label: impl Into<Cow<'static, str>>, value: Vec<(String, Tag)>) -> DocLine {
    DocLine::Field {
        label: label.into(),
        value,
    }
}

/// Every field of `item`, grouped. `now` adds relative dates.
pub fn document(item: &Backlink, now: Option<Timestamp>) -> Vec<DocLine> {
    let mut d = diff_section(item);
    d.extend(link_section(item));
    d.extend(context_section(item));
    d.extend(source_section(item));
    d.extend(target_section(item));
    d.extend(indirect_section(item));
    d.extend(later_sections(item, now));
    d.extend(other_section(item));
    d
}

/// Fields the API sent that this version does not know, as compact JSON.
fn other_section(item: &Backlink) -> Vec<DocLine> {
    let Some(extra) = item.extra.as_deref() else {
        return Vec::new();
    };
    let mut d = vec![DocLine::Blank, DocLine::Heading("Other fields")];
    for (name, value) in extra {
        let label = sanitize(name).into_owned();
        let text = sanitize(&value.to_string()).into_owned();
        d.push(field(label, vec![(text, Tag::Plain)]));
    }
    d
}

/// A row `backlinks diff` wrote: what changed, first.
fn diff_section(item: &Backlink) -> Vec<DocLine> {
    if item.change.is_none() {
        return Vec::new();
    }
    vec![
        DocLine::Heading("Diff"),
        field("change", text(item.change.as_ref())),
        field("changed_fields", list(item.changed_fields.as_ref())),
        DocLine::Blank,
    ]
}

fn link_section(item: &Backlink) -> Vec<DocLine> {
    vec![
        DocLine::Heading("Link"),
        field("type", text(item.kind.as_ref())),
        field("item_type", text(item.item_type.as_ref())),
        field("dofollow", flag(item.dofollow)),
        field("attributes", list(item.attributes.as_ref())),
        field("original", flag(item.original)),
        field("is_new", flag(item.is_new)),
        field("is_lost", alarm(item.is_lost)),
        field("links_count", num(item.links_count)),
        field("group_count", num(item.group_count)),
        field("semantic_location", text(item.semantic_location.as_ref())),
        DocLine::Blank,
    ]
}

fn context_section(item: &Backlink) -> Vec<DocLine> {
    vec![
        DocLine::Heading("Context"),
        DocLine::Paragraph(context(item)),
        field("anchor", text(item.anchor.as_ref())),
        field("alt", text(item.alt.as_ref())),
        field("image_url", url(item.image_url.as_ref())),
        DocLine::Blank,
    ]
}

fn source_section(item: &Backlink) -> Vec<DocLine> {
    vec![
        DocLine::Heading("Source page"),
        field("url_from", url(item.url_from.as_ref())),
        field("url_from_https", flag(item.url_from_https)),
        field("domain_from", text(item.domain_from.as_ref())),
        field("page_from_title", text(item.page_from_title.as_ref())),
        field("page_from_language", text(item.page_from_language.as_ref())),
        field("page_from_encoding", text(item.page_from_encoding.as_ref())),
        field("page_from_status_code", status(item.page_from_status_code)),
        field("page_from_size", num_unit(item.page_from_size, "bytes")),
        field(
            "page_from_internal_links",
            num(item.page_from_internal_links),
        ),
        field(
            "page_from_external_links",
            num(item.page_from_external_links),
        ),
        field(
            "domain_from_platform_type",
            list(item.domain_from_platform_type.as_ref()),
        ),
        field("domain_from_ip", text(item.domain_from_ip.as_ref())),
        field("domain_from_is_ip", flag(item.domain_from_is_ip)),
        field(
            "domain_from_country",
            text(item.domain_from_country.as_ref()),
        ),
        field("tld_from", text(item.tld_from.as_ref())),
        field("page_from_rank", num(item.page_from_rank)),
        field("domain_from_rank", num(item.domain_from_rank)),
        DocLine::Blank,
    ]
}

fn target_section(item: &Backlink) -> Vec<DocLine> {
    vec![
        DocLine::Heading("Target"),
        field("url_to", url(item.url_to.as_ref())),
        field("url_to_https", flag(item.url_to_https)),
        field("domain_to", text(item.domain_to.as_ref())),
        field("url_to_status_code", status(item.url_to_status_code)),
        field("url_to_spam_score", spam(item.url_to_spam_score)),
        field(
            "url_to_redirect_target",
            url(item.url_to_redirect_target.as_ref()),
        ),
        field("is_broken", alarm(item.is_broken)),
        DocLine::Blank,
    ]
}

fn indirect_section(item: &Backlink) -> Vec<DocLine> {
    let mut d = vec![
        DocLine::Heading("Indirect path"),
        field("is_indirect_link", flag(item.is_indirect_link)),
    ];
    match item.indirect_link_path.as_deref() {
        Some([]) => d.push(field(
            "indirect_link_path",
            vec![("(empty)".into(), Tag::Dim)],
        )),
        Some(hops) => {
            for (i, h) in hops.iter().enumerate() {
                let label = if i == 0 { "indirect_link_path" } else { "" };
                d.push(field(label, hop(h)));
            }
        }
        None => d.push(field("indirect_link_path", null())),
    }
    d.push(DocLine::Blank);
    d
}

fn later_sections(item: &Backlink, now: Option<Timestamp>) -> Vec<DocLine> {
    let kw = item.ranked_keywords_info.as_ref();
    vec![
        DocLine::Heading("Keywords (ranked_keywords_info)"),
        field(
            "top 3",
            num(kw.and_then(|k| k.page_from_keywords_count_top_3)),
        ),
        field(
            "top 10",
            num(kw.and_then(|k| k.page_from_keywords_count_top_10)),
        ),
        field(
            "top 100",
            num(kw.and_then(|k| k.page_from_keywords_count_top_100)),
        ),
        DocLine::Blank,
        DocLine::Heading("Dates"),
        field("first_seen", date(item.first_seen.as_ref(), now)),
        field("prev_seen", date(item.prev_seen.as_ref(), now)),
        field("last_seen", date(item.last_seen.as_ref(), now)),
        DocLine::Blank,
        DocLine::Heading("Scores"),
        field("rank", num_unit(item.rank, "/ 1000")),
        field("backlink_spam_score", spam(item.backlink_spam_score)),
    ]
}

/// The item as the API sent it: pretty JSON, one line per element, sanitised (JSON escapes
/// C0 controls but not C1 or bidi characters).
pub fn raw_json(item: &Backlink) -> Vec<DocLine> {
    let json = serde_json::to_string_pretty(item)
        .unwrap_or_else(|e| format!("item cannot be shown as JSON: {e}"));
    json.lines()
        .map(|l| DocLine::Code {
            indent: l.len() - l.trim_start().len(),
            text: sanitize(l.trim_start()).into_owned(),
            tag: json_tag(l),
        })
        .collect()
}

fn json_tag(line: &str) -> Tag {
    if line.trim_end().ends_with("null,") || line.trim_end().ends_with("null") {
        Tag::Null
    } else {
        Tag::Plain
    }
}

/// Wraps the document to `width` cells: labels in a column, values wrapping beside them.
pub fn layout(doc: &[DocLine], width: usize) -> Vec<TaggedLine> {
    let width = width.max(8);
    let label_w = LABEL_WIDTH.min(width * 2 / 5);
    let mut out = Vec::new();
    for line in doc {
        match line {
            DocLine::Heading(h) => out.push(vec![((*h).to_owned(), Tag::Heading)]),
            DocLine::Blank => out.push(Vec::new()),
            DocLine::Paragraph(pieces) => {
                let segs: Vec<(&str, Tag)> = pieces.iter().map(|(s, t)| (s.as_str(), *t)).collect();
                out.extend(wrap_tagged(&segs, width));
            }
            DocLine::Code { indent, text, tag } => {
                let indent = (*indent).min(width / 2);
                for piece in wrap_hard(text, width - indent) {
                    out.push(vec![
                        (" ".repeat(indent), Tag::Plain),
                        (piece.to_owned(), *tag),
                    ]);
                }
            }
            DocLine::Field { label, value } => {
                let segs: Vec<(&str, Tag)> = value.iter().map(|(s, t)| (s.as_str(), *t)).collect();
                let label = crate::text::truncate(label, label_w.saturating_sub(1));
                for (i, mut piece) in wrap_tagged(&segs, width - label_w).into_iter().enumerate() {
                    let head = if i == 0 {
                        format!("{label:<label_w$}")
                    } else {
                        " ".repeat(label_w)
                    };
                    piece.insert(0, (head, Tag::Label));
                    out.push(piece);
                }
            }
        }
    }
    out
}
