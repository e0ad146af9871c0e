//! The simulator's HTTP face: `POST /v3/backlinks/backlinks/live` on loopback, with Basic auth,
//! the account's rate limits and fault injection (reference §12, DESIGN.md §6).
//!
//! - `handler`: one call from headers and body to response;
//! - `envelope`: response bodies in the API's shape; `ratelimit`: calls per minute / in flight;
//! - `faults`: latency, random failures, malformed bodies; `profiles`: generated link profiles.
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! use backlinks::sim::server::{ServerConfig, spawn};
//! let server = spawn(ServerConfig::default()).await?;
//! println!("POST {}/v3/backlinks/backlinks/live as demo:demo", server.url());
//! server.shutdown().await
//! # }
//! ```

mod envelope;
mod faults;
mod handler;
mod profiles;
mod ratelimit;

use std::future::Future;
use std::io;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::sync::atomic::AtomicU64;

use axum::Router;
use axum::routing::any;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

pub use envelope::PATH;
pub use profiles::ProfileSource;

use crate::sim::dataset::DatasetConfig;
use crate::sim::engine::Engine;

/// The endpoint's path.
pub const LIVE_PATH: &str = "/v3/backlinks/backlinks/live";
/// The account endpoint: balance and spending.
pub const USER_DATA_PATH: &str = "/v3/appendix/user_data";
/// What the demo account holds before its first request, USD.
pub const DEMO_BALANCE: f64 = 50.0;

/// How the simulator behaves.
#[derive(Debug, Clone, PartialEq)]
pub struct ServerConfig {
    /// Where to listen; port 0 picks a free one.
    pub addr: SocketAddr,
    pub login: String,
    pub password: String,
    pub dataset: DatasetConfig,
    /// Added to every authorised call, ±20 % deterministic jitter.
    pub latency_ms: u64,
    /// Probability that a call fails with 50000 (HTTP 500), 50401 or 40103.
    pub fail_rate: f64,
    /// Every call answers HTTP 402 + 40200.
    pub fail_payment: bool,
    /// Every call answers HTTP 502 with an HTML page, as a proxy in front of a dead API does.
    pub fail_gateway: bool,
    /// Probability that a body is cut short or replaced by an HTML page.
    pub malformed_rate: f64,
    /// Seed of the fault PRNG (the dataset has its own in `dataset`).
    pub seed: u64,
    /// USD per successful call.
    pub price_base: f64,
    /// USD per returned item.
    pub price_per_item: f64,
    /// Accepted calls per rolling minute (API: 2000).
    pub rate_limit_per_minute: usize,
    /// Calls served at once (API: 30).
    pub max_in_flight: usize,
    /// What the account holds before its first request, USD (`serve-demo --balance`).
    pub balance: f64,
}

impl Default for ServerConfig {
    fn default() -> Self {
        Self {
            addr: SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
            login: "demo".into(),
            password: "demo".into(),
            dataset: DatasetConfig::default(),
            latency_ms: 0,
            fail_rate: 0.0,
            fail_payment: false,
            fail_gateway: false,
            malformed_rate: 0.0,
            seed: 1,
            price_base: 0.02,
            price_per_item: 0.000_03,
            rate_limit_per_minute: 2000,
            max_in_flight: 30,
            balance: DEMO_BALANCE,
        }
    }
}

/// Shared by all calls.
#[derive(Debug)]
struct State {
    cfg: ServerConfig,
    calls: AtomicU64,
    /// What the simulated requests have cost, in millionths of a USD (the demo balance goes
    /// down by it).
    spent_micros: AtomicU64,
    limiter: ratelimit::RateLimiter,
    profiles: profiles::Profiles,
    engine: Arc<Engine>,
}

/// The service: the live endpoint; every other path answers 404 / 40400.
pub fn router(cfg: ServerConfig) -> Router {
    let source = ProfileSource::dataset(cfg.dataset.clone());
    router_with_source(cfg, source)
}

/// [`router`] with profiles from `source` (tests serve hand-built items this way).
pub fn router_with_source(cfg: ServerConfig, source: ProfileSource) -> Router {
    routes(state(cfg, source))
}

fn state(cfg: ServerConfig, source: ProfileSource) -> Arc<State> {
    Arc::new(State {
        calls: AtomicU64::new(0),
        spent_micros: AtomicU64::new(0),
        limiter: ratelimit::RateLimiter::new(cfg.rate_limit_per_minute, cfg.max_in_flight),
        profiles: profiles::Profiles::new(source),
        engine: Arc::new(Engine::default()),
        cfg,
    })
}

fn routes(state: Arc<State>) -> Router {
    Router::new()
        .route(LIVE_PATH, any(handler::live))
        .route(USER_DATA_PATH, any(handler::user_data))
        .fallback(handler::not_found)
        .with_state(state)
}

/// A server running on a background task. Dropping it stops the server.
#[derive(Debug)]
pub struct RunningServer {
    addr: SocketAddr,
    state: Arc<State>,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<io::Result<()>>>,
}

impl RunningServer {
    /// The address actually bound.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Calls to the live endpoint so far, answered or refused (the account endpoint is not
    /// counted): tests check that a refused spend sent nothing.
    pub fn live_calls(&self) -> u64 {
        self.state.calls.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Base URL, e.g. `http://127.0.0.1:41234` (the client appends the endpoint path).
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Full URL of the live endpoint.
    pub fn endpoint(&self) -> String {
        format!("{}{LIVE_PATH}", self.url())
    }

    /// Stops accepting calls, lets running ones finish, and waits for the server to end.
    pub async fn shutdown(mut self) -> io::Result<()> {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(()); // the server may already be gone; nothing to do then
        }
        match self.task.take() {
            Some(task) => task.await.map_err(io::Error::other)?,
            None => Ok(()),
        }
    }
}

impl Drop for RunningServer {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(()); // see `shutdown`
        }
    }
}

/// Binds `cfg.addr` and serves on a background task of the current runtime.
pub async fn spawn(cfg: ServerConfig) -> Result<RunningServer, io::Error> {
    let source = ProfileSource::dataset(cfg.dataset.clone());
    spawn_with_source(cfg, source).await
}

/// [`spawn`] with profiles from `source`.
pub async fn spawn_with_source(
    cfg: ServerConfig,
    source: ProfileSource,
) -> Result<RunningServer, io::Error> {
    let listener = TcpListener::bind(cfg.addr).await?;
    let addr = listener.local_addr()?;
    let (stop, stopped) = oneshot::channel::<()>();
    let state = state(cfg, source);
    let app = routes(state.clone());
    let task = tokio::spawn(async move {
        axum::serve(listener, app)
            .with_graceful_shutdown(async {
                let _ = stopped.await; // a dropped sender also means stop
            })
            .await
    });
    Ok(RunningServer {
        addr,
        state,
        stop: Some(stop),
        task: Some(task),
    })
}

/// Binds `cfg.addr` and serves until `shutdown` completes (for `backlinks serve-demo`).
pub async fn serve_until(
    cfg: ServerConfig,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> io::Result<()> {
    let listener = TcpListener::bind(cfg.addr).await?;
    tracing::info!(addr = %listener.local_addr()?, "simulator listening");
    axum::serve(listener, router(cfg))
        .with_graceful_shutdown(shutdown)
        .await
}
