//! `ApiError`: every way a call can fail, and whether trying again makes sense (reference §10).

use std::time::Duration;

use thiserror::Error;

#[derive(Debug, Clone, Error, PartialEq)]
pub enum ApiError {
    /// 40100 / HTTP 401.
    #[error("not authorised ({code}): {message} — check DATAFORSEO_LOGIN / DATAFORSEO_PASSWORD")]
    Auth { code: i64, message: String },
    /// 40200 / HTTP 402, 40203 cost limit, 40204 no subscription, 40201 blocked.
    #[error("payment or account problem ({code}): {message}")]
    Payment { code: i64, message: String },
    /// 40202.
    #[error("rate limit ({code}): {message}")]
    RateLimited { code: i64, message: String },
    /// 40501 `Invalid Field: '<name>'.` (and 40506 unknown fields). `field` is the name the
    /// API quoted, empty when it named none.
    #[error("{}", invalid_field_text(*code, field, message))]
    InvalidField {
        code: i64,
        field: String,
        message: String,
    },
    /// 50000, 50001, 50301, 50303, 50401, 40103, HTTP 5xx.
    #[error("server error ({code}): {message}")]
    Server { code: i64, message: String },
    /// Any other status code the API sends.
    #[error("API error ({code}): {message}")]
    Other { code: i64, message: String },
    /// The body was not the JSON we expect.
    #[error("could not read the response: {reason}; body starts with: {body_start}")]
    Decode { reason: String, body_start: String },
    /// Connection refused, DNS, TLS…
    #[error("network error: {0}")]
    Transport(String),
    /// No answer within the request timeout.
    #[error("no answer within {0:?}")]
    Timeout(Duration),
    /// Nothing was sent: the client could not be built (bad API URL, TLS setup) or the request
    /// could not be encoded.
    #[error("client setup: {0}")]
    Config(String),
}

fn invalid_field_text(code: i64, field: &str, message: &str) -> String {
    if field.is_empty() {
        format!("invalid request ({code}): {message}")
    } else {
        format!("invalid field '{field}' ({code}): {message}")
    }
}

impl ApiError {
    /// The API's status code, when there is one.
    pub fn code(&self) -> Option<i64> {
        match self {
            ApiError::Auth { code, .. }
            | ApiError::Payment { code, .. }
            | ApiError::RateLimited { code, .. }
            | ApiError::InvalidField { code, .. }
            | ApiError::Server { code, .. }
            | ApiError::Other { code, .. } => Some(*code),
            ApiError::Decode { .. }
            | ApiError::Transport(_)
            | ApiError::Timeout(_)
            | ApiError::Config(_) => None,
        }
    }

    /// A few words for a status line ("can't reach the API", "the API answered 502"); the
    /// whole text (`Display`) is for the log and the place that has room for it.
    pub fn summary(&self) -> String {
        match self {
            ApiError::Transport(_) => "can't reach the API".to_owned(),
            ApiError::Timeout(d) => format!("no answer from the API within {} s", d.as_secs()),
            ApiError::Decode { .. } => "the API's answer could not be read".to_owned(),
            ApiError::Auth { .. } => "not authorised: check the login and password".to_owned(),
            ApiError::Payment { code, .. } => format!("payment or account problem ({code})"),
            ApiError::RateLimited { code, .. } => format!("rate limited by the API ({code})"),
            // A field the API refused: the whole text is short and says which.
            ApiError::InvalidField { .. } => self.to_string(),
            ApiError::Server { code, .. } | ApiError::Other { code, .. } => {
                format!("the API answered {code}")
            }
            ApiError::Config(_) => "the client could not be set up".to_owned(),
        }
    }

    /// Whether sending the same request again can succeed.
    pub fn is_retryable(&self) -> bool {
        match self {
            ApiError::RateLimited { .. }
            | ApiError::Server { .. }
            | ApiError::Transport(_)
            | ApiError::Timeout(_)
            | ApiError::Decode { .. } => true,
            ApiError::Auth { .. }
            | ApiError::Payment { .. }
            | ApiError::InvalidField { .. }
            | ApiError::Other { .. }
            | ApiError::Config(_) => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summaries_are_short_and_name_the_status() {
        let dead = ApiError::Transport(
            "sending to http://127.0.0.1:9/v3/backlinks/backlinks/live: error sending request: \
             client error (Connect): tcp connect error: Connection refused (os error 111)"
                .into(),
        );
        assert_eq!(dead.summary(), "can't reach the API");
        let gateway = ApiError::Server {
            code: 502,
            message: "HTTP 502 Bad Gateway".into(),
        };
        assert_eq!(gateway.summary(), "the API answered 502");
        for e in [dead, gateway, ApiError::Timeout(Duration::from_mins(1))] {
            assert!(e.summary().chars().count() <= 40, "{}", e.summary());
        }
    }
}
