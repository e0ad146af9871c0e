//! Where requests go, decided once for the explorer and `export` alike (DESIGN.md §1):
//! `--api-url` / `DATAFORSEO_API_URL` / config `api_url`; else credentials → the real API; else
//! (or `--demo`) the embedded simulator. Requests go through the page cache unless
//! `--no-cache` or config `cache_ttl = "0"`; `cache_ttl` sets how long its pages stay fresh.

use std::sync::Arc;
use std::time::Duration;

use crate::api::client::{ClientConfig, Credentials, HttpClient};
use crate::cli::{Cli, SourceArgs};
use crate::config::{CredentialSource, Loaded, Origin};
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

/// Where requests go, and why. Decided from the flags and the loaded config alone, by
/// [`route`]: [`Backend::choose`] follows it and `backlinks config` prints it, so the two
/// cannot disagree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    /// Any server speaking the API, at the `api_url` given by `origin`. Without credentials
    /// the simulator's demo login is sent (what a `serve-demo` accepts).
    Url {
        url: String,
        origin: Origin,
        credentials: Option<CredentialSource>,
    },
    /// The real API: credentials are set and no `api_url`.
    RealApi { credentials: CredentialSource },
    /// The embedded simulator: `--demo` (`asked`), or neither credentials nor `api_url`.
    Demo { asked: bool },
}

/// The one decision of where requests go (DESIGN.md §1): `--demo`; else `--api-url` /
/// `DATAFORSEO_API_URL` / config `api_url`; else credentials → the real API; else the demo.
pub fn route(source: &SourceArgs, loaded: &Loaded) -> Route {
    if source.demo {
        return Route::Demo { asked: true };
    }
    let credentials = loaded.credentials_source;
    // clap fills `--api-url` from DATAFORSEO_API_URL too: the same value is the variable's.
    let from_flag = source.api_url.clone().map(|url| {
        let origin = match loaded.api_url_origin {
            Some(env @ Origin::Env(_)) if loaded.api_url.as_ref() == Some(&url) => env,
            _ => Origin::Flag("--api-url"),
        };
        (url, origin)
    });
    let from_config = || {
        let url = loaded.api_url.clone()?;
        Some((url, loaded.api_url_origin.unwrap_or(Origin::File)))
    };
    match (from_flag.or_else(from_config), credentials) {
        (Some((url, origin)), credentials) => Route::Url {
            url,
            origin,
            credentials,
        },
        (None, Some(credentials)) => Route::RealApi { credentials },
        (None, None) => Route::Demo { asked: false },
    }
}

impl Route {
    /// What `backlinks config` says: where requests go, and where that came from.
    pub fn describe(&self) -> String {
        match self {
            Route::Url {
                url,
                origin,
                credentials,
            } => {
                let login = if credentials.is_none() {
                    "; no credentials, so the demo login is sent"
                } else {
                    ""
                };
                format!("{url}  (api_url: {origin}{login})")
            }
            Route::RealApi { credentials } => format!(
                "{DEFAULT_API_URL}  (default with credentials, from the {})",
                credentials.origin()
            ),
            Route::Demo { asked: true } => "the built-in demo simulator  (flag --demo)".to_owned(),
            Route::Demo { asked: false } => {
                "the built-in demo simulator  (default: no credentials, no api_url)".to_owned()
            }
        }
    }
}

impl Backend {
    /// Goes where [`route`] says. Starts the simulator when needed.
    pub async fn choose(cli: &Cli, loaded: &Loaded) -> Result<Backend, CommandError> {
        let demo_credentials = || {
            let d = ServerConfig::default();
            Credentials::new(d.login, d.password)
        };
        let cache_ttl = loaded.settings.cache_ttl.unwrap_or(cache::DEFAULT_TTL);
        let api = |url: String, credentials: Credentials| Backend {
            source: Source::Api {
                base_url: url.clone(),
            },
            base_url: url,
            credentials,
            server: None,
            cache_ttl,
        };
        match (route(&cli.source, loaded), &loaded.credentials) {
            (Route::Url { url, .. }, creds) => {
                Ok(api(url, creds.clone().unwrap_or_else(demo_credentials)))
            }
            (Route::RealApi { .. }, Some(creds)) => Ok(api(DEFAULT_API_URL.into(), creds.clone())),
            (Route::RealApi { .. } | Route::Demo { .. }, _) => {
                let running = server::spawn(ServerConfig::default()).await?;
                Ok(Backend {
                    base_url: running.url(),
                    credentials: demo_credentials(),
                    source: Source::Demo,
                    server: Some(running),
                    cache_ttl,
                })
            }
        }
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
