//! The field catalogue: one list of item fields, read by the filter validator, the sort picker,
//! the table and the CSV writer. Loaded from `assets/fields.json` (embedded at build time).

use std::sync::OnceLock;

use serde::Deserialize;

use super::response::Backlink;

/// How a field is filtered (the API's available-filters vocabulary).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
pub enum FilterType {
    #[serde(rename = "str")]
    Str,
    #[serde(rename = "num")]
    Num,
    #[serde(rename = "bool")]
    Bool,
    #[serde(rename = "time")]
    Time,
    #[serde(rename = "array.str")]
    ArrayStr,
}

impl FilterType {
    /// The word shown beside a field in pickers.
    pub fn label(self) -> &'static str {
        match self {
            Self::Str => "text",
            Self::Num => "number",
            Self::Bool => "true/false",
            Self::Time => "date",
            Self::ArrayStr => "list",
        }
    }
}

/// JSON shape of a field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ValueType {
    String,
    Integer,
    Float,
    Boolean,
    Array,
    Object,
    Datetime,
}

/// One entry of the catalogue.
#[expect(
    clippy::struct_excessive_bools,
    reason = "mirrors the flags of fields.json"
)]
#[derive(Debug, Clone, Deserialize)]
pub struct FieldSpec {
    pub name: String,
    #[serde(rename = "type")]
    pub value_type: ValueType,
    pub filterable: bool,
    pub sortable: bool,
    pub custom_mode_groupable: bool,
    #[serde(default)]
    pub filter_type: Option<FilterType>,
    #[serde(default)]
    pub null_in_docs: bool,
    #[serde(default)]
    pub parent: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
    /// Not an API field: one this app writes itself (`backlinks diff`'s `change` and
    /// `changed_fields`). Local filters, sorts and columns take it; requests never do, and
    /// a CSV file has its column only when written by the diff.
    #[serde(default)]
    pub local: bool,
}

impl FieldSpec {
    /// A top-level item key (not a dotted sub-path or an array element).
    pub fn is_top_level(&self) -> bool {
        self.parent.is_none()
    }
}

/// A borrowed view of one field's value in an item.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum FieldRef<'a> {
    Null,
    Bool(bool),
    Int(i64),
    Str(&'a str),
    Strs(&'a [String]),
    /// Objects and arrays of objects: shown and exported, not compared.
    Nested,
}

impl<'a> From<Option<&'a String>> for FieldRef<'a> {
    fn from(v: Option<&'a String>) -> Self {
        v.map_or(FieldRef::Null, |s| FieldRef::Str(s))
    }
}
impl From<Option<i64>> for FieldRef<'_> {
    fn from(v: Option<i64>) -> Self {
        v.map_or(FieldRef::Null, FieldRef::Int)
    }
}
impl From<Option<bool>> for FieldRef<'_> {
    fn from(v: Option<bool>) -> Self {
        v.map_or(FieldRef::Null, FieldRef::Bool)
    }
}
impl<'a> From<Option<&'a Vec<String>>> for FieldRef<'a> {
    fn from(v: Option<&'a Vec<String>>) -> Self {
        v.map_or(FieldRef::Null, |s| FieldRef::Strs(s))
    }
}

impl Backlink {
    /// The value of a field by its catalogue name (dotted for `ranked_keywords_info.*`).
    /// Unknown names give `Null`.
    pub fn field(&self, name: &str) -> FieldRef<'_> {
        let kw = self.ranked_keywords_info.as_ref();
        match name {
            "type" => self.kind.as_ref().into(),
            "domain_from" => self.domain_from.as_ref().into(),
            "url_from" => self.url_from.as_ref().into(),
            "url_from_https" => self.url_from_https.into(),
            "domain_to" => self.domain_to.as_ref().into(),
            "url_to" => self.url_to.as_ref().into(),
            "url_to_https" => self.url_to_https.into(),
            "tld_from" => self.tld_from.as_ref().into(),
            "is_new" => self.is_new.into(),
            "is_lost" => self.is_lost.into(),
            "backlink_spam_score" => self.backlink_spam_score.into(),
            "rank" => self.rank.into(),
            "page_from_rank" => self.page_from_rank.into(),
            "domain_from_rank" => self.domain_from_rank.into(),
            "domain_from_platform_type" => self.domain_from_platform_type.as_ref().into(),
            "domain_from_is_ip" => self.domain_from_is_ip.into(),
            "domain_from_ip" => self.domain_from_ip.as_ref().into(),
            "domain_from_country" => self.domain_from_country.as_ref().into(),
            "page_from_external_links" => self.page_from_external_links.into(),
            "page_from_internal_links" => self.page_from_internal_links.into(),
            "page_from_size" => self.page_from_size.into(),
            "page_from_encoding" => self.page_from_encoding.as_ref().into(),
            "page_from_language" => self.page_from_language.as_ref().into(),
            "page_from_title" => self.page_from_title.as_ref().into(),
            "page_from_status_code" => self.page_from_status_code.into(),
            "first_seen" => self.first_seen.as_ref().into(),
            "prev_seen" => self.prev_seen.as_ref().into(),
            "last_seen" => self.last_seen.as_ref().into(),
            "item_type" => self.item_type.as_ref().into(),
            "attributes" => self.attributes.as_ref().into(),
            "dofollow" => self.dofollow.into(),
            "original" => self.original.into(),
            "alt" => self.alt.as_ref().into(),
            "image_url" => self.image_url.as_ref().into(),
            "anchor" => self.anchor.as_ref().into(),
            "text_pre" => self.text_pre.as_ref().into(),
            "text_post" => self.text_post.as_ref().into(),
            "semantic_location" => self.semantic_location.as_ref().into(),
            "links_count" => self.links_count.into(),
            "group_count" => self.group_count.into(),
            "is_broken" => self.is_broken.into(),
            "url_to_status_code" => self.url_to_status_code.into(),
            "url_to_spam_score" => self.url_to_spam_score.into(),
            "url_to_redirect_target" => self.url_to_redirect_target.as_ref().into(),
            "is_indirect_link" => self.is_indirect_link.into(),
            "change" => self.change.as_ref().into(),
            "changed_fields" => self.changed_fields.as_ref().into(),
            "ranked_keywords_info.page_from_keywords_count_top_3" => {
                kw.and_then(|k| k.page_from_keywords_count_top_3).into()
            }
            "ranked_keywords_info.page_from_keywords_count_top_10" => {
                kw.and_then(|k| k.page_from_keywords_count_top_10).into()
            }
            "ranked_keywords_info.page_from_keywords_count_top_100" => {
                kw.and_then(|k| k.page_from_keywords_count_top_100).into()
            }
            "ranked_keywords_info" if kw.is_some() => FieldRef::Nested,
            "indirect_link_path" if self.indirect_link_path.is_some() => FieldRef::Nested,
            _ => FieldRef::Null,
        }
    }
}

/// The values a text field is known to take (reference §"item fields" and the field notes):
/// the filter builder offers them. Empty for a free-text field. `semantic_location` lists the
/// HTML5 elements the API names; it may send others, so these are offered, not enforced.
pub fn known_values(field: &str) -> &'static [&'static str] {
    match field {
        "item_type" => &[
            "anchor",
            "image",
            "meta",
            "canonical",
            "alternate",
            "redirect",
            "link",
        ],
        "semantic_location" => &[
            "article", "section", "main", "aside", "footer", "header", "nav", "summary",
        ],
        "domain_from_platform_type" => &[
            "cms",
            "blogs",
            "ecommerce",
            "message-boards",
            "wikis",
            "news",
            "organization",
            "unknown",
        ],
        "attributes" => &["nofollow", "ugc", "sponsored", "noopener", "noreferrer"],
        _ => &[],
    }
}

/// The whole catalogue, in the API's field order.
#[derive(Debug)]
pub struct Catalog {
    fields: Vec<FieldSpec>,
}

/// The catalogue's name for `field` when it can be a table column (a top-level field, or one
/// of `ranked_keywords_info`): what views, prefs and the remembered columns accept.
pub fn column_field(field: &str) -> Option<&'static str> {
    let spec = Catalog::get().find(field)?;
    // A diff's `change` is no column to remember: only a diff's rows have it.
    (!spec.local && (spec.is_top_level() || spec.name.starts_with("ranked_keywords_info.")))
        .then_some(spec.name.as_str())
}

const FIELDS_JSON: &str = include_str!("../../assets/fields.json");

impl Catalog {
    /// The embedded catalogue, parsed once.
    pub fn get() -> &'static Catalog {
        static CATALOG: OnceLock<Catalog> = OnceLock::new();
        CATALOG.get_or_init(|| {
            let fields: Vec<FieldSpec> =
                serde_json::from_str(FIELDS_JSON).expect("assets/fields.json is valid");
            Catalog { fields }
        })
    }

    pub fn all(&self) -> &[FieldSpec] {
        &self.fields
    }

    pub fn find(&self, name: &str) -> Option<&FieldSpec> {
        self.fields.iter().find(|f| f.name == name)
    }

    pub fn filterable(&self) -> impl Iterator<Item = &FieldSpec> {
        self.fields.iter().filter(|f| f.filterable)
    }

    pub fn sortable(&self) -> impl Iterator<Item = &FieldSpec> {
        self.fields.iter().filter(|f| f.sortable)
    }

    pub fn groupable(&self) -> impl Iterator<Item = &FieldSpec> {
        self.fields.iter().filter(|f| f.custom_mode_groupable)
    }

    /// Top-level API item keys in order: the columns of a CSV file.
    pub fn top_level(&self) -> impl Iterator<Item = &FieldSpec> {
        self.fields.iter().filter(|f| f.is_top_level() && !f.local)
    }

    /// The fields this app adds itself ([`FieldSpec::local`]), in order.
    pub fn local(&self) -> impl Iterator<Item = &FieldSpec> {
        self.fields.iter().filter(|f| f.local)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::request::CUSTOM_MODE_FIELDS;

    #[test]
    fn catalogue_matches_the_item_model() {
        let cat = Catalog::get();
        let item: Backlink = serde_json::from_str("{}").unwrap();
        let json = serde_json::to_value(&item).unwrap();
        let keys: Vec<&str> = json
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        let top: Vec<&str> = cat.top_level().map(|f| f.name.as_str()).collect();
        let mut a = keys.clone();
        let mut b = top.clone();
        a.sort_unstable();
        b.sort_unstable();
        assert_eq!(a, b, "every item key is in the catalogue and back");
    }

    #[test]
    fn every_filterable_field_has_an_accessor() {
        let full: Backlink = serde_json::from_str(
            &std::fs::read_to_string("tests/fixtures/backlinks_live_example_response.json")
                .unwrap(),
        )
        .map(|e: super::super::response::Envelope| {
            e.first_result().unwrap().items.as_ref().unwrap()[0].clone()
        })
        .unwrap();
        for f in Catalog::get().filterable() {
            assert!(f.filter_type.is_some(), "{} has a filter type", f.name);
            // The fixture's first item has every scalar field but these set.
            let allowed_null = [
                "attributes",
                "anchor",
                "text_pre",
                "text_post",
                "semantic_location",
            ];
            // `change`, `changed_fields`: only a diff's rows have them.
            if !f.local && !allowed_null.contains(&f.name.as_str()) {
                assert_ne!(
                    full.field(&f.name),
                    FieldRef::Null,
                    "{} is reachable",
                    f.name
                );
            }
        }
    }

    #[test]
    fn groupable_fields_are_the_documented_nine() {
        let g: Vec<&str> = Catalog::get()
            .groupable()
            .map(|f| f.name.as_str())
            .collect();
        let mut a = g.clone();
        let mut b = CUSTOM_MODE_FIELDS.to_vec();
        a.sort_unstable();
        b.sort_unstable();
        assert_eq!(a, b);
    }
}
