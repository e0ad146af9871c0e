//! Text syntax ⇄ AST. (Skeleton: the filter work fills this in.)
use super::Filter;

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{message} at column {column}")]
pub struct ParseError {
    /// 1-based column (in characters) where the problem is.
    pub column: usize,
    pub message: String,
}

impl Filter {
    pub fn parse(_s: &str) -> Result<Filter, ParseError> {
        unimplemented!()
    }
}

impl std::fmt::Display for Filter {
    fn fmt(&self, _f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        unimplemented!()
    }
}
