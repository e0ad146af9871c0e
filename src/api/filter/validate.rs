//! Validation against the catalogue. (Skeleton: the filter work fills this in.)
use super::Filter;
use crate::api::fields::Catalog;

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{message}")]
pub struct ValidationError {
    /// The field concerned, when there is one.
    pub field: Option<String>,
    pub message: String,
}

impl Filter {
    pub fn validate(&self, _cat: &Catalog) -> Result<(), ValidationError> {
        unimplemented!()
    }
}
