//! The endpoint URL from the configured base URL.

use reqwest::Url;

use super::classify::sanitize;
use super::{Credentials, LIVE_PATH};
use crate::api::ApiError;

/// Normalised base URL and the endpoint under it. Userinfo is refused: credentials travel in
/// the `Authorization` header only, so a URL can be logged and shown as it is.
pub fn endpoint_for(base_url: &str, credentials: &Credentials) -> Result<(String, Url), ApiError> {
    let base = base_url.trim().trim_end_matches('/');
    let shown = || credentials.redact(&sanitize(base));
    let mut url = Url::parse(base)
        .map_err(|e| ApiError::Config(format!("invalid API URL '{}': {e}", shown())))?;
    if !url.username().is_empty() || url.password().is_some() {
        return Err(ApiError::Config(
            "the API URL must not hold a login or password; set DATAFORSEO_LOGIN and \
             DATAFORSEO_PASSWORD instead"
                .into(),
        ));
    }
    if !matches!(url.scheme(), "http" | "https") || url.cannot_be_a_base() {
        return Err(ApiError::Config(format!(
            "invalid API URL '{}': expected http:// or https://",
            shown()
        )));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(ApiError::Config(format!(
            "invalid API URL '{}': no query or fragment allowed",
            shown()
        )));
    }
    let path = format!("{}{LIVE_PATH}", url.path().trim_end_matches('/'));
    url.set_path(&path);
    Ok((base.to_owned(), url))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn creds() -> Credentials {
        Credentials::new("login", "s3cret-pw")
    }

    #[test]
    fn endpoint_handles_slashes_and_prefixes() {
        for (base, want) in [
            (
                "https://api.dataforseo.com",
                "https://api.dataforseo.com/v3/backlinks/backlinks/live",
            ),
            (
                "https://api.dataforseo.com///",
                "https://api.dataforseo.com/v3/backlinks/backlinks/live",
            ),
            (
                " http://127.0.0.1:8080/proxy/ ",
                "http://127.0.0.1:8080/proxy/v3/backlinks/backlinks/live",
            ),
        ] {
            let (_, url) = endpoint_for(base, &creds()).unwrap();
            assert_eq!(url.as_str(), want);
        }
        let (base, _) = endpoint_for("https://sandbox.dataforseo.com/", &creds()).unwrap();
        assert_eq!(base, "https://sandbox.dataforseo.com");
    }

    #[test]
    fn bad_base_urls_are_refused_without_echoing_secrets() {
        for bad in [
            "https://login:s3cret-pw@api.dataforseo.com",
            "https://login@api.dataforseo.com",
            "ftp://api.dataforseo.com",
            "api.dataforseo.com",
            "https://api.dataforseo.com/?x=1",
            "mailto:s3cret-pw",
        ] {
            let e = endpoint_for(bad, &creds()).unwrap_err();
            assert!(matches!(e, ApiError::Config(_)), "{bad}: {e:?}");
            assert!(!e.to_string().contains("s3cret-pw"), "{e}");
            assert!(!e.is_retryable());
        }
    }
}
