//! The response side of the wire protocol: envelope, task, result and the backlink item.
//!
//! Every field is optional: the API's own spec marks all of them nullable. `None` is written
//! back as an explicit `null`, like the API does, so a decoded item re-encodes to the same JSON.
//! Unknown fields are ignored rather than fatal, so a new API field never breaks the app.

use serde::{Deserialize, Serialize};

use super::request::CustomMode;

mod decode;

/// Top level of every response (reference §3.1).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Envelope {
    pub version: Option<String>,
    pub status_code: Option<i64>,
    pub status_message: Option<String>,
    pub time: Option<String>,
    pub cost: Option<f64>,
    pub tasks_count: Option<i64>,
    pub tasks_error: Option<i64>,
    pub tasks: Option<Vec<Task>>,
}

/// One task of the envelope (reference §3.2).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Task {
    pub id: Option<String>,
    pub status_code: Option<i64>,
    pub status_message: Option<String>,
    pub time: Option<String>,
    pub cost: Option<f64>,
    pub result_count: Option<i64>,
    pub path: Option<Vec<String>>,
    /// Echo of the request as sent, plus `api` and `function`.
    pub data: Option<serde_json::Value>,
    pub result: Option<Vec<TaskResult>>,
}

/// `tasks[].result[]` (reference §3.3).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct TaskResult {
    pub target: Option<String>,
    pub mode: Option<String>,
    pub custom_mode: Option<CustomMode>,
    pub total_count: Option<i64>,
    pub items_count: Option<i64>,
    pub items: Option<Vec<Backlink>>,
    pub search_after_token: Option<String>,
}

/// `ranked_keywords_info` of an item.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct RankedKeywordsInfo {
    pub page_from_keywords_count_top_3: Option<i64>,
    pub page_from_keywords_count_top_10: Option<i64>,
    pub page_from_keywords_count_top_100: Option<i64>,
}

/// One hop of `indirect_link_path`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct IndirectHop {
    #[serde(rename = "type")]
    pub kind: Option<String>,
    pub status_code: Option<i64>,
    pub url: Option<String>,
}

/// One backlink (`result[].items[]`, reference §8), fields in the API's order. Read by hand
/// (`decode.rs`) so that fields this version does not know are kept in `extra`.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Backlink {
    #[serde(rename = "type")]
    pub kind: Option<String>,
    pub domain_from: Option<String>,
    pub url_from: Option<String>,
    pub url_from_https: Option<bool>,
    pub domain_to: Option<String>,
    pub url_to: Option<String>,
    pub url_to_https: Option<bool>,
    pub tld_from: Option<String>,
    pub is_new: Option<bool>,
    pub is_lost: Option<bool>,
    pub backlink_spam_score: Option<i64>,
    pub rank: Option<i64>,
    pub page_from_rank: Option<i64>,
    pub domain_from_rank: Option<i64>,
    pub domain_from_platform_type: Option<Vec<String>>,
    pub domain_from_is_ip: Option<bool>,
    pub domain_from_ip: Option<String>,
    pub domain_from_country: Option<String>,
    pub page_from_external_links: Option<i64>,
    pub page_from_internal_links: Option<i64>,
    pub page_from_size: Option<i64>,
    pub page_from_encoding: Option<String>,
    pub page_from_language: Option<String>,
    pub page_from_title: Option<String>,
    pub page_from_status_code: Option<i64>,
    pub first_seen: Option<String>,
    pub prev_seen: Option<String>,
    pub last_seen: Option<String>,
    pub item_type: Option<String>,
    pub attributes: Option<Vec<String>>,
    pub dofollow: Option<bool>,
    pub original: Option<bool>,
    pub alt: Option<String>,
    pub image_url: Option<String>,
    pub anchor: Option<String>,
    pub text_pre: Option<String>,
    pub text_post: Option<String>,
    pub semantic_location: Option<String>,
    pub links_count: Option<i64>,
    pub group_count: Option<i64>,
    pub is_broken: Option<bool>,
    pub url_to_status_code: Option<i64>,
    pub url_to_spam_score: Option<i64>,
    pub url_to_redirect_target: Option<String>,
    pub ranked_keywords_info: Option<RankedKeywordsInfo>,
    pub is_indirect_link: Option<bool>,
    pub indirect_link_path: Option<Vec<IndirectHop>>,
    /// Not from the API: `new`, `lost` or `changed` on a row `backlinks diff` wrote.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub change: Option<String>,
    /// Not from the API: on a row `backlinks diff` wrote, the compared fields that differ.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub changed_fields: Option<Vec<String>>,
    /// Fields the API sent that this version does not know, as they came (written back after
    /// the known ones).
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    pub extra: Option<Box<Extra>>,
}

/// Unknown fields of an item, by name.
pub type Extra = serde_json::Map<String, serde_json::Value>;

/// A row as the explorer holds it: shared, so a local sort, a save or the unfiltered base of
/// a local filter hands out pointers instead of copying a row's two dozen strings.
pub type Row = std::sync::Arc<Backlink>;

impl Envelope {
    /// The first task's first result, where the items live on success.
    pub fn first_result(&self) -> Option<&TaskResult> {
        self.tasks.as_ref()?.first()?.result.as_ref()?.first()
    }
}
