//! `search_after_token`: an opaque cursor for deep paging (reference §7, DESIGN.md §6.6).
//!
//! A token is standard base64 of a small JSON object holding
//! - `params`: a hash of the request parameters that shape the ordered result (everything but
//!   `offset`, `limit`, `search_after_token` and `tag`), so a token is refused when used with a
//!   different query;
//! - `after`: the sort values of the last row already returned (the resume key);
//! - `pos`: how many rows were returned before it (a fast path for resuming).
//!
//! Tokens are not signed: the simulator only has to notice mistakes, not forgery.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Format version written into every token; anything else is refused.
const VERSION: u32 = 1;

/// The decoded content of a `search_after_token`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Token {
    /// Format version.
    pub v: u32,
    /// Hash of the request parameters, see [`params_hash`].
    pub params: String,
    /// Sort values of the last returned row; empty when no row was returned yet.
    pub after: Vec<Value>,
    /// Rows of the ordered result already returned.
    pub pos: u64,
}

/// Why a token string was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TokenError {
    #[error("the token is not base64")]
    NotBase64,
    #[error("the token does not hold a cursor: {0}")]
    NotACursor(String),
    #[error("the token has format version {0}, expected {VERSION}")]
    Version(u32),
}

impl Token {
    /// A token for resuming after `after`, `pos` rows into the result of `params`.
    pub fn new(params: impl Into<String>, after: Vec<Value>, pos: u64) -> Self {
        Self {
            v: VERSION,
            params: params.into(),
            after,
            pos,
        }
    }

    /// The opaque string sent to the client.
    pub fn mint(&self) -> String {
        // Serialising a struct of strings, numbers and JSON values cannot fail.
        let json = serde_json::to_vec(self).unwrap_or_default();
        STANDARD.encode(json)
    }

    /// Reads a token back; refuses anything this module did not mint.
    pub fn decode(s: &str) -> Result<Token, TokenError> {
        let bytes = STANDARD
            .decode(s.trim())
            .map_err(|_| TokenError::NotBase64)?;
        let token: Token =
            serde_json::from_slice(&bytes).map_err(|e| TokenError::NotACursor(e.to_string()))?;
        if token.v != VERSION {
            return Err(TokenError::Version(token.v));
        }
        Ok(token)
    }
}

/// A stable hash (FNV-1a, 64 bit, hex) of a canonical parameter object. Stable across runs and
/// machines, so a token survives a restart of `serve-demo` with the same dataset.
pub fn params_hash(canonical: &Value) -> String {
    // `serde_json::Map` keeps keys sorted (no `preserve_order`), so equal objects print equally.
    let h = crate::sim::dataset::rng::fnv1a64(canonical.to_string().as_bytes());
    format!("{h:016x}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_minted_token_decodes_to_itself() {
        let t = Token::new("abc", vec![json!(862), json!("2023-04-11"), json!(null)], 5);
        let s = t.mint();
        assert!(s.starts_with("ey"), "base64 of a JSON object: {s}");
        assert_eq!(Token::decode(&s).unwrap(), t);
    }

    #[test]
    fn garbage_is_refused() {
        assert_eq!(Token::decode("%%%"), Err(TokenError::NotBase64));
        let not_json = STANDARD.encode("hello");
        assert!(matches!(
            Token::decode(&not_json),
            Err(TokenError::NotACursor(_))
        ));
        let wrong_version = STANDARD.encode(r#"{"v":9,"params":"x","after":[],"pos":0}"#);
        assert_eq!(Token::decode(&wrong_version), Err(TokenError::Version(9)));
    }

    #[test]
    fn params_hash_depends_on_content_not_key_order() {
        let a: Value = serde_json::from_str(r#"{"a":1,"b":[1,2]}"#).unwrap();
        let b: Value = serde_json::from_str(r#"{"b":[1,2],"a":1}"#).unwrap();
        let c: Value = serde_json::from_str(r#"{"b":[2,1],"a":1}"#).unwrap();
        assert_eq!(params_hash(&a), params_hash(&b));
        assert_ne!(params_hash(&a), params_hash(&c));
        assert_eq!(params_hash(&a).len(), 16);
    }
}
