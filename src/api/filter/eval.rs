//! Evaluation against one item. (Skeleton: the filter work fills this in.)
use super::{Filter, ValidationError};
use crate::api::response::Backlink;

/// A filter with its patterns compiled once, ready to test many items.
#[derive(Debug)]
pub struct CompiledFilter {}

impl CompiledFilter {
    pub fn new(_f: &Filter) -> Result<CompiledFilter, ValidationError> {
        unimplemented!()
    }
    pub fn matches(&self, _item: &Backlink) -> bool {
        unimplemented!()
    }
}
