//! Raw task JSON → [`Query`], or the API's error for the first bad field (reference §12.4).
//!
//! Explicit `null` is the same as an absent key, for known and unknown keys alike (the official
//! Python client sends `null` for everything it does not set). Checks run in the order of
//! [`KNOWN_FIELDS`], so one bad request always names the same field.

use serde_json::{Map, Value};

use super::EngineError;
use super::query::{DEFAULT_LIMIT, Query};
use super::target::Target;
use crate::api::fields::Catalog;
use crate::api::filter::{CompiledFilter, Filter};
use crate::api::request::{
    CUSTOM_MODE_FIELDS, CustomMode, MAX_FILTER_CONDITIONS, MAX_LIMIT, MAX_OFFSET, MAX_ORDER_BY,
    MAX_TAG_LEN, OrderBy,
};
use crate::sim::token::Token;

/// Every key a task may hold.
pub const KNOWN_FIELDS: &[&str] = &[
    "target",
    "mode",
    "custom_mode",
    "filters",
    "order_by",
    "offset",
    "search_after_token",
    "limit",
    "backlinks_status_type",
    "include_subdomains",
    "include_indirect_links",
    "exclude_internal_backlinks",
    "rank_scale",
    "tag",
];

/// Largest `custom_mode.value`.
const MAX_CUSTOM_VALUE: u64 = crate::api::request::MAX_CUSTOM_MODE_VALUE as u64;

fn invalid(field: &str) -> EngineError {
    EngineError::InvalidField(field.to_owned())
}

/// The value of `key`, `None` when absent or `null`.
fn get<'a>(obj: &'a Map<String, Value>, key: &str) -> Option<&'a Value> {
    obj.get(key).filter(|v| !v.is_null())
}

fn string<'a>(obj: &'a Map<String, Value>, key: &str) -> Result<Option<&'a str>, EngineError> {
    get(obj, key)
        .map(|v| v.as_str().ok_or_else(|| invalid(key)))
        .transpose()
}

fn boolean(obj: &Map<String, Value>, key: &str, default: bool) -> Result<bool, EngineError> {
    get(obj, key).map_or(Ok(default), |v| v.as_bool().ok_or_else(|| invalid(key)))
}

fn integer(obj: &Map<String, Value>, key: &str) -> Result<Option<u64>, EngineError> {
    get(obj, key)
        .map(|v| v.as_u64().ok_or_else(|| invalid(key)))
        .transpose()
}

fn word<T: std::str::FromStr>(
    obj: &Map<String, Value>,
    key: &str,
) -> Result<Option<T>, EngineError> {
    string(obj, key)?
        .map(|s| s.parse().map_err(|_| invalid(key)))
        .transpose()
}

impl Query {
    /// Validates one task object. The search token's parameter check happens here too.
    pub fn parse(task: &Value) -> Result<Query, EngineError> {
        let obj = task.as_object().ok_or(EngineError::InvalidTask)?;
        let unknown: Vec<String> = obj
            .iter()
            .filter(|(k, v)| !v.is_null() && !KNOWN_FIELDS.contains(&k.as_str()))
            .map(|(k, _)| k.clone())
            .collect();
        if !unknown.is_empty() {
            return Err(EngineError::UnknownFields(unknown));
        }

        let target_raw = string(obj, "target")?.ok_or_else(|| invalid("target"))?;
        let target = Target::parse(target_raw).ok_or_else(|| invalid("target"))?;
        let mode_sent = word(obj, "mode")?;
        let custom_mode = get(obj, "custom_mode").map(custom_mode).transpose()?;
        let (filter, compiled) = match get(obj, "filters") {
            Some(v) => filters(v)?,
            None => (None, None),
        };
        let order_by = get(obj, "order_by").map(order_by).transpose()?;
        let offset = integer(obj, "offset")?.unwrap_or(0);
        if offset > u64::from(MAX_OFFSET) {
            return Err(invalid("offset"));
        }
        let token = string(obj, "search_after_token")?
            .map(|s| Token::decode(s).map_err(|_| invalid("search_after_token")))
            .transpose()?;
        let limit = integer(obj, "limit")?.unwrap_or(u64::from(DEFAULT_LIMIT));
        if !(1..=u64::from(MAX_LIMIT)).contains(&limit) {
            return Err(invalid("limit"));
        }
        let status = word(obj, "backlinks_status_type")?.unwrap_or_default();
        let include_subdomains = boolean(obj, "include_subdomains", true)?;
        let include_indirect_links = boolean(obj, "include_indirect_links", true)?;
        let exclude_internal_backlinks = boolean(obj, "exclude_internal_backlinks", true)?;
        let rank_scale = word(obj, "rank_scale")?.unwrap_or_default();
        let tag = string(obj, "tag")?;
        if tag.is_some_and(|t| t.chars().count() > MAX_TAG_LEN) {
            return Err(invalid("tag"));
        }

        let query = Query {
            target_raw: target_raw.to_owned(),
            target,
            mode_sent,
            custom_mode,
            filter,
            compiled,
            order_by: order_by.unwrap_or_default(),
            offset: offset as u32,
            token,
            limit: limit as u32,
            status,
            include_subdomains,
            include_indirect_links,
            exclude_internal_backlinks,
            rank_scale,
            tag: tag.map(str::to_owned),
        };
        if let Some(token) = &query.token {
            // A token resumes a walk; an offset on top of it is ambiguous (DESIGN.md §6.6).
            if query.offset != 0 {
                return Err(invalid("offset"));
            }
            if token.params != query.params_hash() {
                return Err(invalid("search_after_token"));
            }
        }
        Ok(query)
    }
}

fn custom_mode(v: &Value) -> Result<CustomMode, EngineError> {
    let obj = v.as_object().ok_or_else(|| invalid("custom_mode"))?;
    if obj
        .iter()
        .any(|(k, v)| !v.is_null() && k != "field" && k != "value")
    {
        return Err(invalid("custom_mode"));
    }
    let field = string(obj, "field")
        .ok()
        .flatten()
        .filter(|f| CUSTOM_MODE_FIELDS.contains(f))
        .ok_or_else(|| invalid("custom_mode.field"))?;
    let value = integer(obj, "value")
        .ok()
        .flatten()
        .filter(|n| (1..=MAX_CUSTOM_VALUE).contains(n))
        .ok_or_else(|| invalid("custom_mode.value"))?;
    Ok(CustomMode {
        field: field.to_owned(),
        value: value as u32,
    })
}

/// An empty array means "no filter"; anything else must parse, validate against the catalogue,
/// stay within 8 conditions and compile.
fn filters(v: &Value) -> Result<(Option<Filter>, Option<CompiledFilter>), EngineError> {
    if v.as_array().is_some_and(Vec::is_empty) {
        return Ok((None, None));
    }
    let filter = Filter::from_wire(v).map_err(|_| invalid("filters"))?;
    if filter.condition_count() > MAX_FILTER_CONDITIONS {
        return Err(invalid("filters"));
    }
    filter
        .validate(Catalog::get())
        .map_err(|_| invalid("filters"))?;
    // `change`, `changed_fields`: this app's own fields, not the API's.
    if filter.local_field().is_some() {
        return Err(invalid("filters"));
    }
    let compiled = CompiledFilter::new(&filter).map_err(|_| invalid("filters"))?;
    Ok((Some(filter), Some(compiled)))
}

/// At most three `"field,asc|desc"` rules on sortable catalogue fields.
fn order_by(v: &Value) -> Result<Vec<OrderBy>, EngineError> {
    let rules = v.as_array().ok_or_else(|| invalid("order_by"))?;
    if rules.len() > MAX_ORDER_BY {
        return Err(invalid("order_by"));
    }
    let catalog = Catalog::get();
    rules
        .iter()
        .map(|r| {
            let rule: OrderBy = r
                .as_str()
                .and_then(|s| s.parse().ok())
                .ok_or_else(|| invalid("order_by"))?;
            match catalog.find(&rule.field) {
                Some(spec) if spec.sortable && !spec.local => Ok(rule),
                _ => Err(invalid("order_by")),
            }
        })
        .collect()
}
