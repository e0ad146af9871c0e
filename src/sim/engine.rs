//! The query engine: one task over one link profile, as the live endpoint answers it
//! (reference §12.4–12.5, DESIGN.md §6).
//!
//! - `validate_request`: raw task JSON → [`Query`] or an [`EngineError`];
//! - `target`, `scope`: what the request is about (status type, target, the three switches);
//! - `rank`: `rank_scale` in output, filters and sorting;
//! - `group`: one row per referring page, then `mode` / `custom_mode`;
//! - `sort`: sort keys and their order; `packed`: the same keys as integers, for speed;
//! - `pipeline`: all of the above into an ordered result;
//! - `page`: `offset` / `search_after_token` / `limit` and the next token;
//! - `index`: per-profile columns (page ids, host ids, string ranks) that make queries fast;
//! - `cache`: ordered results of recent requests, so token walks sort once.
//!
//! Decisions where the API is silent (beyond DESIGN.md §6): `null` sorts last in both
//! directions; strings sort by bytes; a page's representative is its highest-rank link and
//! `links_count` counts its links that passed scope and filters; `group_count` counts pages;
//! `null` is one group value of its own; `mode` echoes as sent (default `as_is`) even when
//! `custom_mode` overrides it; an empty `filters` array means no filter; unknown keys whose
//! value is `null` are ignored like any other `null`.

mod cache;
mod group;
mod index;
mod page;
mod pipeline;
mod query;
mod rank;
mod scope;
mod sort;
mod target;
mod validate_request;

use std::sync::Arc;

use serde_json::Value;

pub use cache::Profile;
pub use query::{DEFAULT_LIMIT, Query};
pub use target::Target;
pub use validate_request::KNOWN_FIELDS;

use cache::OrderedCache;
use index::IndexCache;
use pipeline::Ordered;
use sort::SortSpec;

use crate::api::request::LiveRequest;
use crate::api::response::{Backlink, TaskResult};

/// Why a task was refused; becomes the task's `status_code` and `status_message`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EngineError {
    /// 40501: a parameter is missing, of the wrong type or out of range.
    #[error("Invalid Field: '{0}'.")]
    InvalidField(String),
    /// 40506: keys the endpoint does not know (listed for logs; the message does not name them).
    #[error("Unknown Fields in POST Data.")]
    UnknownFields(Vec<String>),
    /// 40503: the task is not a JSON object.
    #[error("POST Data Is Invalid.")]
    InvalidTask,
}

impl EngineError {
    /// The API status code.
    pub fn code(&self) -> i64 {
        match self {
            EngineError::InvalidField(_) => 40501,
            EngineError::UnknownFields(_) => 40506,
            EngineError::InvalidTask => 40503,
        }
    }

    /// The field named by a 40501.
    pub fn field(&self) -> Option<&str> {
        match self {
            EngineError::InvalidField(f) => Some(f),
            _ => None,
        }
    }
}

/// Answers tasks, remembering the ordered results of the last few requests.
#[derive(Debug)]
pub struct Engine {
    cache: OrderedCache,
    indexes: IndexCache,
}

impl Default for Engine {
    /// Room for the slices of a partitioned export walked side by side (each slice is a query
    /// of its own); an entry is one index per row.
    fn default() -> Self {
        Self::new(64)
    }
}

impl Engine {
    /// An engine caching up to `cache_entries` ordered results (0 disables that cache; the
    /// per-profile indexes are always kept, for up to 16 live profiles).
    pub fn new(cache_entries: usize) -> Self {
        Self {
            cache: OrderedCache::new(cache_entries),
            indexes: IndexCache::new(16),
        }
    }

    /// Answers a validated query over `profile`.
    pub fn run(&self, profile: &Profile, q: &Query) -> TaskResult {
        let spec = SortSpec::new(&q.effective_order(), q.rank_scale);
        let ordered = self.cache.get_or_compute(profile, &q.params_hash(), || {
            let index = self.indexes.get(profile);
            Ordered::compute(profile, q, &spec, Some(&index))
        });
        answer(profile, &ordered, q, &spec)
    }

    /// Validates a raw task and answers it.
    pub fn run_json(&self, profile: &Profile, task: &Value) -> Result<TaskResult, EngineError> {
        Ok(self.run(profile, &Query::parse(task)?))
    }
}

/// Validates and answers one raw task, without a cache.
pub fn run(profile: &[Backlink], task: &Value) -> Result<TaskResult, EngineError> {
    Ok(run_query(profile, &Query::parse(task)?))
}

/// Answers a typed request, without a cache (as the real API would validate it).
pub fn run_request(profile: &[Backlink], req: &LiveRequest) -> Result<TaskResult, EngineError> {
    let task = serde_json::to_value(req).map_err(|_| EngineError::InvalidTask)?;
    run(profile, &task)
}

/// Answers a validated query, without a cache.
pub fn run_query(profile: &[Backlink], q: &Query) -> TaskResult {
    let spec = SortSpec::new(&q.effective_order(), q.rank_scale);
    let ordered = Ordered::compute(profile, q, &spec, None);
    answer(profile, &ordered, q, &spec)
}

fn answer(profile: &[Backlink], ordered: &Ordered, q: &Query, spec: &SortSpec) -> TaskResult {
    let page = page::cut(profile, ordered, q, spec);
    TaskResult {
        target: Some(q.target_raw.clone()),
        mode: Some(q.mode().as_str().to_owned()),
        custom_mode: q.custom_mode.clone(),
        total_count: Some(ordered.total() as i64),
        items_count: Some(page.items.len() as i64),
        items: Some(page.items),
        search_after_token: Some(page.token.mint()),
    }
}

/// Shares a generated profile between requests.
pub fn profile(items: Vec<Backlink>) -> Profile {
    Arc::from(items)
}

#[cfg(test)]
mod tests;
