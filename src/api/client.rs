//! `HttpClient`: sends one live task, maps every outcome to [`ApiError`], retries what can be
//! retried, keeps the account's rate limits and meters the cost.
//!
//! - `classify`: status codes and bodies → result or typed error (pure);
//! - `retry`: backoff and the 40202 wait (pure);
//! - `limiter`: in-flight cap and rolling-minute window, shared by all clones;
//! - `cost`: the session's spend as reported by the API;
//! - `credentials`: login/password that never print;
//! - `endpoint`: base URL → request URL, refusing userinfo.

mod classify;
mod cost;
mod credentials;
mod endpoint;
mod limiter;
mod retry;

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use reqwest::Url;
use reqwest::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, HeaderMap, HeaderValue};
use tokio::time::Instant;

pub use cost::{CostMeter, CostSnapshot};
pub use credentials::Credentials;
pub use retry::RetryNotice;

use crate::api::{ApiError, LiveRequest, TaskResult};
use classify::{Success, body_start, classify, sanitize};
use endpoint::endpoint_for;
use limiter::Limiter;

/// The real API.
pub const DEFAULT_BASE_URL: &str = "https://api.dataforseo.com";
/// Appended to the base URL.
pub const LIVE_PATH: &str = "/v3/backlinks/backlinks/live";
/// The account endpoint (appendix-user-data.md), under the same base URL.
pub const USER_DATA_PATH: &str = "/v3/appendix/user_data";
/// Sent with every request.
pub const USER_AGENT: &str = concat!("backlinks/", env!("CARGO_PKG_VERSION"));
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
pub const DEFAULT_REQUEST_TIMEOUT: Duration = Duration::from_mins(1);
/// Tries in total, the first one included.
pub const DEFAULT_MAX_TRIES: u32 = 4;
pub const DEFAULT_BACKOFF_BASE: Duration = Duration::from_millis(500);
/// The account's limits (reference §1).
pub const MAX_IN_FLIGHT: usize = 30;
pub const MAX_PER_MINUTE: usize = 2000;

/// Everything the client needs. `Debug` shows the login but never the password.
#[derive(Debug, Clone)]
pub struct ClientConfig {
    /// Scheme, host and optional path prefix; trailing slashes are ignored.
    pub base_url: String,
    pub credentials: Credentials,
    pub connect_timeout: Duration,
    /// Whole exchange, body included.
    pub request_timeout: Duration,
    /// Tries in total for retryable errors (0 is taken as 1).
    pub max_tries: u32,
    /// First backoff step; it doubles per try, with jitter.
    pub backoff_base: Duration,
    /// Wait after a 40202; `None` = until the next wall-clock minute window.
    pub rate_limit_wait: Option<Duration>,
    pub max_in_flight: usize,
    /// Requests per rolling minute.
    pub max_per_minute: usize,
}

impl ClientConfig {
    /// `base_url` and `credentials` with every other setting at its default.
    pub fn new(base_url: impl Into<String>, credentials: Credentials) -> Self {
        Self {
            base_url: base_url.into(),
            credentials,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            request_timeout: DEFAULT_REQUEST_TIMEOUT,
            max_tries: DEFAULT_MAX_TRIES,
            backoff_base: DEFAULT_BACKOFF_BASE,
            rate_limit_wait: None,
            max_in_flight: MAX_IN_FLIGHT,
            max_per_minute: MAX_PER_MINUTE,
        }
    }
}

/// A successful live call.
#[derive(Debug, Clone, PartialEq)]
pub struct LiveResponse {
    /// The task's first (only) result.
    pub result: TaskResult,
    /// The envelope's `cost` in USD, as the API reported it (0 if absent).
    pub cost: f64,
    /// From the call to the answer, retries and waits included.
    pub elapsed: Duration,
    /// How many HTTP requests it took (1 = no retry).
    pub tries: u32,
    pub task_id: Option<String>,
    /// The response body as it came: the row store reads the items from it
    /// (`RowStore::push_page`), unknown fields and all.
    pub body: Arc<[u8]>,
}

/// The API client. Cheap to clone; clones share the connection pool, limits and cost meter.
#[derive(Clone)]
pub struct HttpClient {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    base_url: String,
    endpoint: Url,
    authorization: HeaderValue,
    config: ClientConfig,
    limiter: Limiter,
    costs: Arc<CostMeter>,
}

impl HttpClient {
    pub fn new(config: ClientConfig) -> Result<Self, ApiError> {
        let (base_url, endpoint) = endpoint_for(&config.base_url, &config.credentials)?;
        let mut headers = HeaderMap::new();
        headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        headers.insert(ACCEPT, HeaderValue::from_static("application/json"));
        let http = reqwest::Client::builder()
            .user_agent(USER_AGENT)
            .default_headers(headers)
            .connect_timeout(config.connect_timeout)
            .timeout(config.request_timeout)
            .build()
            .map_err(|e| ApiError::Config(format!("cannot set up HTTP: {}", chain(&e))))?;
        let mut authorization = HeaderValue::from_str(&config.credentials.basic_header())
            .map_err(|_| ApiError::Config("the login cannot be sent in an HTTP header".into()))?;
        // Keeps it out of reqwest's and hyper's own debug output.
        authorization.set_sensitive(true);
        Ok(Self {
            inner: Arc::new(Inner {
                http,
                base_url,
                endpoint,
                authorization,
                limiter: Limiter::new(config.max_in_flight, config.max_per_minute),
                config,
                costs: Arc::new(CostMeter::new()),
            }),
        })
    }

    /// Sends `req` as the only task, retrying retryable failures up to `max_tries` in total.
    pub async fn live(&self, req: &LiveRequest) -> Result<LiveResponse, ApiError> {
        self.live_observed(req, &|_: &RetryNotice| {}).await
    }

    /// [`live`](Self::live), telling `on_retry` about each retry before waiting for it, so
    /// a screen can say "retrying in 2 s, attempt 2 of 4" while it happens.
    pub async fn live_observed(
        &self,
        req: &LiveRequest,
        on_retry: &(dyn Fn(&RetryNotice) + Send + Sync),
    ) -> Result<LiveResponse, ApiError> {
        let body = serde_json::to_vec(std::slice::from_ref(req))
            .map_err(|e| ApiError::Config(format!("cannot encode the request: {e}")))?;
        let config = &self.inner.config;
        let started = Instant::now();
        let mut tries = 0;
        loop {
            tries += 1;
            let error = match self.try_once(&body).await {
                Ok((ok, cost, bytes)) => {
                    return Ok(LiveResponse {
                        result: ok.result,
                        cost,
                        elapsed: started.elapsed(),
                        tries,
                        task_id: ok.task_id,
                        body: bytes,
                    });
                }
                Err(error) => error,
            };
            if !error.is_retryable() || tries >= config.max_tries.max(1) {
                tracing::warn!(tries, %error, "live request failed");
                return Err(error);
            }
            let wait = retry::wait_before(
                &error,
                tries + 1,
                config.backoff_base,
                config.rate_limit_wait,
            );
            if matches!(error, ApiError::RateLimited { .. }) {
                self.inner.limiter.pause_until(Instant::now() + wait);
            }
            tracing::info!(tries, ?wait, %error, "retrying live request");
            on_retry(&RetryNotice {
                next_try: tries + 1,
                max_tries: config.max_tries.max(1),
                wait,
                error,
            });
            tokio::time::sleep(wait).await;
        }
    }

    /// The account's balance, deposits and spending (free; one try, under the limiter).
    pub async fn user_data(&self) -> Result<crate::api::user_data::UserData, ApiError> {
        let inner = &*self.inner;
        let mut url = inner.endpoint.clone();
        let prefix = url.path().strip_suffix(LIVE_PATH).unwrap_or("").to_owned();
        url.set_path(&format!("{prefix}{USER_DATA_PATH}"));
        let (status, bytes) = self.exchange(inner.http.get(url)).await?;
        // The envelope's codes (40100, 40200, 50000…) mean what they mean for every endpoint.
        self.classify(status, &bytes).outcome?;
        crate::api::user_data::UserData::from_body(&bytes).map_err(|e| ApiError::Decode {
            reason: e.to_string(),
            body_start: inner.config.credentials.redact(&body_start(&bytes)),
        })
    }

    /// The session's spend; clone the `Arc` to keep watching it.
    pub fn costs(&self) -> &Arc<CostMeter> {
        &self.inner.costs
    }

    /// The base URL without trailing slashes.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// The full URL requests go to.
    pub fn endpoint(&self) -> &str {
        self.inner.endpoint.as_str()
    }

    pub fn config(&self) -> &ClientConfig {
        &self.inner.config
    }

    /// One HTTP exchange under the limiter; records any reported cost.
    async fn try_once(&self, body: &[u8]) -> Result<(Success, f64, Arc<[u8]>), ApiError> {
        let inner = &*self.inner;
        let sent = Instant::now();
        let request = inner.http.post(inner.endpoint.clone()).body(body.to_vec());
        let (status, bytes) = self.exchange(request).await?;
        let classified = self.classify(status, &bytes);
        if let Some(cost) = classified.cost {
            inner.costs.record(cost);
        }
        tracing::debug!(
            status,
            bytes = bytes.len(),
            elapsed = ?sent.elapsed(),
            cost = classified.cost,
            ok = classified.outcome.is_ok(),
            "live exchange"
        );
        let cost = classified.cost.unwrap_or(0.0);
        classified
            .outcome
            .map(|ok| (ok, cost, Arc::from(&bytes[..])))
    }

    /// Sends `request` with the credentials, under the limiter: HTTP status and body.
    async fn exchange(
        &self,
        request: reqwest::RequestBuilder,
    ) -> Result<(u16, impl std::ops::Deref<Target = [u8]>), ApiError> {
        let inner = &*self.inner;
        let _permit = inner.limiter.acquire().await;
        let response = request
            .header(AUTHORIZATION, inner.authorization.clone())
            .send()
            .await
            .map_err(|e| self.transport_error(e))?;
        let status = response.status().as_u16();
        let bytes = response
            .bytes()
            .await
            .map_err(|e| self.transport_error(e))?;
        Ok((status, bytes))
    }

    /// [`classify`] with the credentials redacted from any text passed on.
    fn classify(&self, status: u16, body: &[u8]) -> classify::Classified {
        let credentials = &self.inner.config.credentials;
        classify(status, body, &|text: &str| credentials.redact(text))
    }

    fn transport_error(&self, e: reqwest::Error) -> ApiError {
        let config = &self.inner.config;
        if e.is_timeout() {
            return ApiError::Timeout(if e.is_connect() {
                config.connect_timeout
            } else {
                config.request_timeout
            });
        }
        let what = if e.is_body() || e.is_decode() {
            "reading the answer from"
        } else {
            "sending to"
        };
        // The endpoint never holds userinfo (checked in `new`); redact anyway, in case a
        // library echoes a header.
        let text = format!(
            "{what} {}: {}",
            self.inner.endpoint,
            chain(&e.without_url())
        );
        ApiError::Transport(config.credentials.redact(&sanitize(&text)))
    }
}

impl fmt::Debug for HttpClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpClient")
            .field("endpoint", &self.inner.endpoint.as_str())
            .field("config", &self.inner.config)
            .field("costs", &self.inner.costs.snapshot())
            .finish_non_exhaustive()
    }
}

/// An error and its causes on one line, repeated messages once.
fn chain(e: &dyn std::error::Error) -> String {
    let mut parts: Vec<String> = vec![e.to_string()];
    let mut source = e.source();
    while let Some(cause) = source {
        let text = cause.to_string();
        if parts.last() != Some(&text) {
            parts.push(text);
        }
        source = cause.source();
    }
    parts.join(": ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn creds() -> Credentials {
        Credentials::new("login", "s3cret-pw")
    }

    #[test]
    fn debug_of_config_and_client_hides_the_password() {
        let config = ClientConfig::new(DEFAULT_BASE_URL, creds());
        let client = HttpClient::new(config.clone()).unwrap();
        for text in [
            format!("{config:?}"),
            format!("{client:?}"),
            format!("{client:#?}"),
        ] {
            assert!(!text.contains("s3cret-pw"), "{text}");
            assert!(text.contains("login"), "{text}");
        }
    }

    #[test]
    fn user_agent_names_the_crate_and_version() {
        assert_eq!(
            USER_AGENT,
            format!("backlinks/{}", env!("CARGO_PKG_VERSION"))
        );
    }
}
