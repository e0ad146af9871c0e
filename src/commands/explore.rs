//! `backlinks [TARGET]`: the interactive explorer.

use futures::StreamExt;
use tokio::sync::mpsc;

use crate::api::client::{ClientConfig, Credentials, HttpClient};
use crate::app::App;
use crate::app::query::QueryState;
use crate::app::status::Source;
use crate::cli::Cli;
use crate::config::{self, Loaded};
use crate::keymap::Keymap;
use crate::sim::server::{self, RunningServer, ServerConfig};
use crate::ui::theme::Theme;
use crate::worker::Worker;
use crate::{runtime, terminal};

use super::CommandError;

/// The real API.
pub const DEFAULT_API_URL: &str = "https://api.dataforseo.com";

/// Where requests go, decided from flags, environment and config (DESIGN.md §1).
struct Backend {
    base_url: String,
    credentials: Credentials,
    source: Source,
    /// The embedded simulator, kept alive for the session.
    _server: Option<RunningServer>,
}

async fn choose_backend(cli: &Cli, loaded: &Loaded) -> Result<Backend, CommandError> {
    let demo_credentials = || {
        let d = ServerConfig::default();
        Credentials::new(d.login, d.password)
    };
    if !cli.demo {
        let api_url = cli.api_url.clone().or_else(|| loaded.api_url.clone());
        match (api_url, &loaded.credentials) {
            // Any server speaking the API; without credentials, a serve-demo's defaults.
            (Some(url), creds) => {
                return Ok(Backend {
                    source: Source::Api {
                        base_url: url.clone(),
                    },
                    base_url: url,
                    credentials: creds.clone().unwrap_or_else(demo_credentials),
                    _server: None,
                });
            }
            (None, Some(creds)) => {
                return Ok(Backend {
                    base_url: DEFAULT_API_URL.into(),
                    credentials: creds.clone(),
                    source: Source::Api {
                        base_url: DEFAULT_API_URL.into(),
                    },
                    _server: None,
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
        _server: Some(running),
    })
}

/// Key bindings with the config's `[keys.<pane>]` overrides; problems become messages.
fn keymap(loaded: &Loaded) -> (Keymap, Vec<String>) {
    let mut km = Keymap::defaults();
    let mut problems = Vec::new();
    if let Some(keys) = loaded.table.get("keys") {
        match keys.clone().try_into() {
            Ok(table) => {
                if let Err(errors) = km.apply(&table) {
                    problems.extend(errors.iter().map(|e| format!("config: {e}")));
                }
            }
            Err(e) => problems.push(format!("config: [keys] {e}")),
        }
    }
    (km, problems)
}

pub fn run(cli: &Cli) -> Result<(), CommandError> {
    let loaded = config::load(cli.config.as_deref(), &|k| std::env::var(k).ok())?;
    let (keymap, mut problems) = keymap(&loaded);
    problems.extend(loaded.warnings.iter().map(ToString::to_string));
    let rt = tokio::runtime::Runtime::new()?;
    rt.block_on(async {
        let backend = choose_backend(cli, &loaded).await?;
        let client = HttpClient::new(ClientConfig::new(
            backend.base_url.clone(),
            backend.credentials.clone(),
        ))?;
        let (events_tx, events_rx) = mpsc::unbounded_channel();
        let worker = Worker::spawn(client, events_tx);

        let mut app = App::new(backend.source.clone(), keymap);
        app.theme = Theme::from_env();
        app.status.error = (!problems.is_empty()).then(|| problems.join("; "));
        let target = cli.target.as_deref().unwrap_or("");
        app.query = QueryState::from_request(&cli.query.to_request(target));
        let initial = if cli.target.is_some() {
            app.run_query()
        } else {
            Vec::new()
        };

        let mut term = terminal::init()?;
        let input = crossterm::event::EventStream::new().boxed();
        let result = runtime::run(
            &mut term,
            &mut app,
            input,
            &worker,
            events_rx,
            initial,
            |_| {},
        )
        .await;
        terminal::restore();
        result?;
        if app.status.requests > 0 {
            println!(
                "session: {} request{}, ${:.4}",
                app.status.requests,
                if app.status.requests == 1 { "" } else { "s" },
                app.status.session_cost
            );
        }
        Ok(())
    })
}
