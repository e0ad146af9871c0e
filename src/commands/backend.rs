//! Where requests go, decided once for the explorer and `export` alike (DESIGN.md §1):
//! `--api-url` / `DATAFORSEO_API_URL` / config `api_url`; else credentials → the real API; else
//! (or `--demo`) the embedded simulator. Requests go through the page cache unless
//! `--no-cache` or config `cache_ttl = "0"`; `cache_ttl` sets how long its pages stay fresh.

use std::sync::Arc;
use std::time::Duration;

use crate::api::client::{ClientConfig, Credentials, HttpClient};
use crate::cli::Cli;
use crate::config::Loaded;
use crate::fetch::Source;
use crate::sim::server::{self, RunningServer, ServerConfig};
use crate::store::cache::{self, CacheMode, Cached, PageCache};

use super::CommandError;

/// The real API.
pub const DEFAULT_API_URL: &str = "https://api.dataforseo.com";

/// The page source every command fetches through.
pub type CachedClient = Cached<HttpClient>;

/// Where requests go.
pub struct Backend {
    pub base_url: String,
    pub credentials: Credentials,
    pub source: Source,
    /// The embedded simulator, kept alive as long as the backend.
    pub server: Option<RunningServer>,
    /// How long a cached page stays fresh (config `cache_ttl`); zero: no page cache.
    pub cache_ttl: Duration,
}

impl Backend {
    /// Decides from flags, environment and config. Starts the simulator when needed.
    pub async fn choose(cli: &Cli, loaded: &Loaded) -> Result<Backend, CommandError> {
        let demo_credentials = || {
            let d = ServerConfig::default();
            Credentials::new(d.login, d.password)
        };
        let cache_ttl = loaded.settings.cache_ttl.unwrap_or(cache::DEFAULT_TTL);
        if !cli.source.demo {
            let api_url = cli
                .source
                .api_url
                .clone()
                .or_else(|| loaded.api_url.clone());
            match (api_url, &loaded.credentials) {
                // Any server speaking the API; without credentials, a serve-demo's defaults.
                (Some(url), creds) => {
                    return Ok(Backend {
                        source: Source::Api {
                            base_url: url.clone(),
                        },
                        base_url: url,
                        credentials: creds.clone().unwrap_or_else(demo_credentials),
                        server: None,
                        cache_ttl,
                    });
                }
                (None, Some(creds)) => {
                    return Ok(Backend {
                        base_url: DEFAULT_API_URL.into(),
                        credentials: creds.clone(),
                        source: Source::Api {
                            base_url: DEFAULT_API_URL.into(),
                        },
                        server: None,
                        cache_ttl,
                    });
                }
                (None, None) => {}
            }
        }
        let running = server::spawn(ServerConfig::default()).await?;
        Ok(Backend {
            base_url: running.url(),
            credentials: demo_credentials(),
            source: Source::Demo,
            server: Some(running),
            cache_ttl,
        })
    }

    /// The HTTP client for this backend.
    pub fn client(&self) -> Result<HttpClient, CommandError> {
        Ok(HttpClient::new(ClientConfig::new(
            self.base_url.clone(),
            self.credentials.clone(),
        ))?)
    }

    /// The client behind the page cache, as `--no-cache` / `--refresh` say. The demo's
    /// cache lives in memory (its pages are free and its port changes every run); a real
    /// API's in the data folder. A cache that cannot be opened is reported in the second
    /// value and the source runs without one; so is a damaged one moved aside and rebuilt.
    pub fn source(&self, cli: &Cli) -> Result<(CachedClient, Option<String>), CommandError> {
        let client = self.client()?;
        let base = client.base_url().to_owned();
        if cli.source.no_cache || self.cache_ttl.is_zero() {
            return Ok((Cached::uncached(client, base), None));
        }
        let opened = if self.source == Source::Demo {
            PageCache::in_memory(self.cache_ttl)
        } else {
            PageCache::open_default(self.cache_ttl)
        };
        let mode = if cli.source.refresh {
            CacheMode::Refresh
        } else {
            CacheMode::Use
        };
        Ok(match opened {
            Ok(c) => {
                let notice = c.notice();
                (Cached::new(client, Arc::new(c), base, mode), notice)
            }
            Err(e) => (
                Cached::uncached(client, base),
                Some(format!("{e} (going on without the page cache)")),
            ),
        })
    }
}
