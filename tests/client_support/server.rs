//! A scripted HTTP/1.1 server on 127.0.0.1:0 for the client tests: raw TCP, so it can also
//! misbehave (stall, cut a body short, send HTML). Every request is recorded.

#![allow(dead_code, reason = "each test binary uses a different part")]

use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use backlinks::api::client::{ClientConfig, Credentials};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

pub const FIXTURE: &str = include_str!("../fixtures/backlinks_live_example_response.json");
pub const LOGIN: &str = "test-login@example.com";
pub const PASSWORD: &str = "pa55-w0rd-NEVER-SHOWN";

/// A client config for `server` with test-sized waits.
pub fn config(server: &TestServer) -> ClientConfig {
    ClientConfig {
        connect_timeout: Duration::from_secs(2),
        request_timeout: Duration::from_secs(5),
        backoff_base: Duration::from_millis(2),
        rate_limit_wait: Some(Duration::from_millis(5)),
        ..ClientConfig::new(server.url(), Credentials::new(LOGIN, PASSWORD))
    }
}

/// One canned answer.
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    pub content_type: &'static str,
    pub body: Vec<u8>,
    /// Stall this long before answering.
    pub delay: Duration,
    /// Announce this `Content-Length` instead of the real one (to cut a body short).
    pub declared_len: Option<usize>,
}

impl Reply {
    pub fn raw(status: u16, content_type: &'static str, body: impl Into<Vec<u8>>) -> Self {
        Self {
            status,
            content_type,
            body: body.into(),
            delay: Duration::ZERO,
            declared_len: None,
        }
    }

    pub fn json(status: u16, value: &Value) -> Self {
        Self::raw(status, "application/json", value.to_string())
    }

    /// The documented example response.
    pub fn fixture() -> Self {
        Self::raw(200, "application/json", FIXTURE)
    }

    /// HTTP 200, envelope Ok, the task failed (reference §3.5).
    pub fn task_error(code: i64, message: &str) -> Self {
        Self::json(
            200,
            &json!({"version": "0.1.20260327", "status_code": 20000, "status_message": "Ok.",
                "time": "0.0113 sec.", "cost": 0, "tasks_count": 1, "tasks_error": 1,
                "tasks": [{"id": "03282355-1544-0139-0000-3284f105e8e9", "status_code": code,
                    "status_message": message, "time": "0 sec.", "cost": 0, "result_count": 0,
                    "path": ["v3", "backlinks", "backlinks", "live"], "data": {},
                    "result": null}]}),
        )
    }

    /// A request-level failure, no task.
    pub fn request_error(http: u16, code: i64, message: &str) -> Self {
        Self::json(
            http,
            &json!({"version": "0.1.20260327", "status_code": code, "status_message": message,
                "time": "0 sec.", "cost": 0, "tasks_count": 0, "tasks_error": 0, "tasks": []}),
        )
    }

    pub fn delayed(mut self, delay: Duration) -> Self {
        self.delay = delay;
        self
    }

    pub fn declaring(mut self, len: usize) -> Self {
        self.declared_len = Some(len);
        self
    }
}

/// What the server was sent.
#[derive(Debug, Clone)]
pub struct Received {
    pub method: String,
    pub path: String,
    /// Names lower-cased.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Received {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).expect("request body is JSON")
    }
}

#[derive(Default)]
struct Shared {
    received: Mutex<Vec<Received>>,
    hits: AtomicUsize,
    in_flight: AtomicUsize,
    peak: AtomicUsize,
}

pub struct TestServer {
    pub addr: SocketAddr,
    shared: Arc<Shared>,
}

impl TestServer {
    /// Answers the n-th request with `script[n]`; the last reply repeats.
    pub async fn start(script: Vec<Reply>) -> Self {
        assert!(!script.is_empty());
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let shared = Arc::new(Shared::default());
        let script = Arc::new(script);
        let state = shared.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(serve(stream, state.clone(), script.clone()));
            }
        });
        Self { addr, shared }
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn received(&self) -> Vec<Received> {
        self.shared.received.lock().unwrap().clone()
    }

    pub fn hits(&self) -> usize {
        self.shared.hits.load(Ordering::SeqCst)
    }

    /// Most requests being handled at the same moment.
    pub fn peak_in_flight(&self) -> usize {
        self.shared.peak.load(Ordering::SeqCst)
    }
}

/// One request per connection (`Connection: close`), which keeps the parser trivial.
async fn serve(mut stream: TcpStream, shared: Arc<Shared>, script: Arc<Vec<Reply>>) {
    let Some(request) = read_request(&mut stream).await else {
        return;
    };
    let n = shared.hits.fetch_add(1, Ordering::SeqCst);
    shared.received.lock().unwrap().push(request);
    let now = shared.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
    shared.peak.fetch_max(now, Ordering::SeqCst);
    let reply = &script[n.min(script.len() - 1)];
    tokio::time::sleep(reply.delay).await;
    let head = format!(
        "HTTP/1.1 {} X\r\ncontent-type: {}\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
        reply.status,
        reply.content_type,
        reply.declared_len.unwrap_or(reply.body.len()),
    );
    shared.in_flight.fetch_sub(1, Ordering::SeqCst);
    // The client may have hung up already (timeouts): ignore write errors.
    let _ = stream.write_all(head.as_bytes()).await;
    let _ = stream.write_all(&reply.body).await;
    let _ = stream.shutdown().await;
}

async fn read_request(stream: &mut TcpStream) -> Option<Received> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 8192];
    let head_end = loop {
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i;
        }
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8(buf[..head_end].to_vec()).ok()?;
    let mut lines = head.split("\r\n");
    let mut start = lines.next()?.split(' ');
    let (method, path) = (start.next()?.to_owned(), start.next()?.to_owned());
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    let len: usize = headers
        .iter()
        .find(|(n, _)| n == "content-length")
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    let mut body = buf[head_end + 4..].to_vec();
    while body.len() < len {
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        body.extend_from_slice(&chunk[..n]);
    }
    Some(Received {
        method,
        path,
        headers,
        body,
    })
}
