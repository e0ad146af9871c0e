//! A validated request with every default filled in: what the pipeline runs on.

use serde_json::{Value, json};

use super::target::Target;
use crate::api::filter::{CompiledFilter, Filter};
use crate::api::request::{CustomMode, Mode, OrderBy, RankScale, StatusType};
use crate::sim::token::{Token, params_hash};

/// Default page size (reference §2).
pub const DEFAULT_LIMIT: u32 = 100;

/// One task, validated. Built by `validate_request`.
#[derive(Debug)]
pub struct Query {
    /// `target` exactly as sent (echoed in the result).
    pub target_raw: String,
    pub target: Target,
    /// `mode` as sent, if it was.
    pub mode_sent: Option<Mode>,
    pub custom_mode: Option<CustomMode>,
    pub filter: Option<Filter>,
    /// Compiled once per request; `None` without filters.
    pub compiled: Option<CompiledFilter>,
    /// The user's rules (empty = default order).
    pub order_by: Vec<OrderBy>,
    pub offset: u32,
    pub token: Option<Token>,
    pub limit: u32,
    pub status: StatusType,
    pub include_subdomains: bool,
    pub include_indirect_links: bool,
    pub exclude_internal_backlinks: bool,
    pub rank_scale: RankScale,
    pub tag: Option<String>,
}

impl Query {
    /// The grouping in force; ignored when `custom_mode` is set.
    pub fn mode(&self) -> Mode {
        self.mode_sent.unwrap_or_default()
    }

    /// The sort rules actually applied: the user's (or the default `rank desc, last_seen desc`),
    /// then `url_from asc` so that the order is total and pages never overlap (DESIGN.md §6.12).
    pub fn effective_order(&self) -> Vec<OrderBy> {
        crate::order::effective_order(&self.order_by)
    }

    /// Everything that shapes the ordered result, with defaults filled in: two requests that
    /// differ only in paging (`offset`, `limit`, token) or `tag` have equal parameters.
    pub fn canonical_params(&self) -> Value {
        let order: Vec<String> = self
            .effective_order()
            .iter()
            .map(ToString::to_string)
            .collect();
        json!({
            "target": self.target_raw,
            "mode": self.mode().as_str(),
            "custom_mode": self.custom_mode.as_ref().map(|c| json!({"field": c.field, "value": c.value})),
            "filters": self.filter.as_ref().map(Filter::to_wire),
            "order_by": order,
            "backlinks_status_type": self.status.as_str(),
            "include_subdomains": self.include_subdomains,
            "include_indirect_links": self.include_indirect_links,
            "exclude_internal_backlinks": self.exclude_internal_backlinks,
            "rank_scale": self.rank_scale.as_str(),
        })
    }

    /// [`params_hash`] of [`Query::canonical_params`]: the key of the result cache and the
    /// fingerprint inside tokens.
    pub fn params_hash(&self) -> String {
        params_hash(&self.canonical_params())
    }
}
