//! One call: auth → limits → payment fault → latency → body → failure fault → engine →
//! envelope → malformed fault.

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::State as Extract;
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use jiff::Timestamp;
use serde_json::Value;
// Tokio's clock, like the latency's sleep: the reported times and the rate-limit window follow
// a paused test clock. The dates in the envelope stay on the wall clock.
use tokio::time::Instant;

use super::State;
use super::envelope::{self, Outcome};
use super::faults::{Failure, Faults, Malformed, Rng, jittered, mangle};
use crate::api::response::Envelope;
use crate::sim::engine::Query;

const UNAUTHORISED: &str =
    "You are not authorized to access this resource, please check your login and password.";

/// `POST /v3/backlinks/backlinks/live` (any other method is not found).
pub async fn live(
    Extract(st): Extract<Arc<State>>,
    method: Method,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let started = Instant::now();
    let now = Timestamp::now();
    if method != Method::POST {
        return not_found().await;
    }
    if st.cfg.fail_gateway {
        // The proxy answers before the API sees the call: no auth, no envelope.
        return (
            StatusCode::BAD_GATEWAY,
            [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
            mangle("", Malformed::Html),
        )
            .into_response();
    }
    let call = st.calls.fetch_add(1, Ordering::Relaxed);
    let mut rng = Rng::for_call(st.cfg.seed, call);
    let faults = Faults::roll(&mut rng, st.cfg.fail_rate, st.cfg.malformed_rate);
    let latency = jittered(&mut rng, st.cfg.latency_ms);

    if !authorised(&headers, &st.cfg.login, &st.cfg.password) {
        let env = envelope::request_error(now, 40100, UNAUTHORISED, started.elapsed());
        return json(StatusCode::UNAUTHORIZED, &env);
    }
    let Some(_slot) = st.limiter.try_acquire(Instant::now()) else {
        let msg = "The rate-limit per minute has been exceeded.";
        return json(
            StatusCode::OK,
            &envelope::request_error(now, 40202, msg, started.elapsed()),
        );
    };
    if st.cfg.fail_payment {
        let env = envelope::request_error(now, 40200, "Payment Required.", started.elapsed());
        return json(StatusCode::PAYMENT_REQUIRED, &env);
    }
    if !latency.is_zero() {
        tokio::time::sleep(latency).await;
    }

    let (status, env) = answer(&st, &body, faults.failure, now, started, &mut rng).await;
    // The account pays for the answer, or the API refuses it as the real one does when the
    // balance is too low: 402 + 40200, nothing charged, the balance never below zero.
    if let Some(cost) = env.cost
        && !charge(&st, cost)
    {
        let env = envelope::request_error(now, 40200, "Payment Required.", started.elapsed());
        return json(StatusCode::PAYMENT_REQUIRED, &env);
    }
    let text = serde_json::to_string(&env).unwrap_or_default();
    match faults.malformed {
        None => json_text(status, text),
        Some(Malformed::Truncated) => {
            json_text(StatusCode::OK, mangle(&text, Malformed::Truncated))
        }
        Some(Malformed::Html) => (
            StatusCode::OK,
            [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
            mangle(&text, Malformed::Html),
        )
            .into_response(),
    }
}

/// Takes `cost` USD from the account when what is left covers it (concurrent calls
/// included); false, and nothing taken, when it does not.
fn charge(st: &State, cost: f64) -> bool {
    let cost = (cost.max(0.0) * 1e6).round() as u64;
    let balance = (st.cfg.balance.max(0.0) * 1e6).round() as u64;
    st.spent_micros
        .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |spent| {
            spent.checked_add(cost).filter(|after| *after <= balance)
        })
        .is_ok()
}

/// `GET /v3/appendix/user_data`: free; the demo balance less what the requests cost.
pub async fn user_data(
    Extract(st): Extract<Arc<State>>,
    method: Method,
    headers: HeaderMap,
) -> Response {
    let started = Instant::now();
    let now = Timestamp::now();
    if method != Method::GET {
        return not_found().await;
    }
    if !authorised(&headers, &st.cfg.login, &st.cfg.password) {
        let env = envelope::request_error(now, 40100, UNAUTHORISED, started.elapsed());
        return json(StatusCode::UNAUTHORIZED, &env);
    }
    let spent = st.spent_micros.load(Ordering::Relaxed) as f64 / 1e6;
    let money = serde_json::json!({
        "total": st.cfg.balance,
        "balance": ((st.cfg.balance - spent) * 1e6).round() / 1e6,
        "limits": {"day": {"total": 0}, "minute": {"total": 0}},
        "statistics": {"day": {"total": spent, "backlinks": spent}, "minute": {"total": 0}},
    });
    let body = serde_json::json!({
        "version": envelope::version(now),
        "status_code": 20000,
        "status_message": "Ok.",
        "time": envelope::secs(started.elapsed()),
        "cost": 0,
        "tasks_count": 1,
        "tasks_error": 0,
        "tasks": [{
            "id": "demo-user-data",
            "status_code": 20000,
            "status_message": "Ok.",
            "time": envelope::secs(started.elapsed()),
            "cost": 0,
            "result_count": 1,
            "path": ["v3", "appendix", "user_data"],
            "data": {"api": "appendix", "function": "user_data"},
            "result": [{
                "login": st.cfg.login,
                "timezone": "UTC",
                "rates": {"limits": {"minute": {"total": 2000}}, "statistics": {}},
                "money": money,
                "price": {"backlinks": {"backlinks": {"live": {"cost": st.cfg.price_base}}}},
                "backlinks_subscription_expiry_date": null,
                "llm_mentions_subscription_expiry_date": null,
            }],
        }],
    });
    json_text(StatusCode::OK, body.to_string())
}

/// Any other path: HTTP 404 + 40400.
pub async fn not_found() -> Response {
    let now = Timestamp::now();
    let env = envelope::request_error(now, 40400, "Not Found.", Duration::ZERO);
    json(StatusCode::NOT_FOUND, &env)
}

async fn answer(
    st: &State,
    body: &[u8],
    failure: Option<Failure>,
    now: Timestamp,
    started: Instant,
    rng: &mut Rng,
) -> (StatusCode, Envelope) {
    let task = match single_task(body) {
        Ok(task) => task,
        Err((code, msg)) => {
            return (
                StatusCode::OK,
                envelope::request_error(now, code, msg, started.elapsed()),
            );
        }
    };
    if failure == Some(Failure::Internal) {
        let f = Failure::Internal;
        let env = envelope::request_error(now, f.code(), f.message(), started.elapsed());
        return (StatusCode::INTERNAL_SERVER_ERROR, env);
    }
    let id = envelope::task_id(now, rng);
    let data = envelope::echo(&task);
    let task_started = Instant::now();
    let outcome = match failure {
        Some(f) => Outcome::Failed {
            code: f.code(),
            message: f.message().to_owned(),
        },
        None => run_task(st, &task).await,
    };
    let task = envelope::task(id, data, outcome, task_started.elapsed());
    (
        StatusCode::OK,
        envelope::wrap(now, vec![task], started.elapsed()),
    )
}

/// The body must be a JSON array holding exactly one object (DESIGN.md §6.1).
fn single_task(body: &[u8]) -> Result<Value, (i64, &'static str)> {
    const EMPTY: (i64, &str) = (40502, "POST Data Is Empty.");
    const INVALID: (i64, &str) = (40503, "POST Data Is Invalid.");
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(EMPTY);
    }
    let value: Value = serde_json::from_slice(body).map_err(|_| INVALID)?;
    let Value::Array(mut tasks) = value else {
        return Err(INVALID);
    };
    if !tasks.iter().all(Value::is_object) {
        return Err(INVALID);
    }
    match tasks.len() {
        0 => Err(EMPTY),
        1 => Ok(tasks.swap_remove(0)),
        _ => Err((40000, "You can set only one task at a time.")),
    }
}

async fn run_task(st: &State, task: &Value) -> Outcome {
    let q = match Query::parse(task) {
        Ok(q) => q,
        Err(e) => {
            return Outcome::Failed {
                code: e.code(),
                message: e.to_string(),
            };
        }
    };
    let internal = || Outcome::Failed {
        code: 50000,
        message: "Internal Error.".into(),
    };
    let profile = match st.profiles.get(&q.target_raw).await {
        Ok(p) => p,
        Err(e) => {
            tracing::error!(error = %e, "simulator profile");
            return internal();
        }
    };
    let engine = Arc::clone(&st.engine);
    // Sorting tens of thousands of rows is CPU work: keep it off the async workers.
    match tokio::task::spawn_blocking(move || engine.run(&profile, &q)).await {
        Ok(result) => {
            let items = result.items.as_ref().map_or(0, Vec::len);
            Outcome::Ok {
                result,
                cost: envelope::cost(st.cfg.price_base, st.cfg.price_per_item, items),
            }
        }
        Err(e) => {
            tracing::error!(error = %e, "simulator engine");
            internal()
        }
    }
}

/// `Authorization: Basic base64(login:password)` with the configured pair.
fn authorised(headers: &HeaderMap, login: &str, password: &str) -> bool {
    let Some(encoded) = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Basic "))
    else {
        return false;
    };
    let Ok(decoded) = STANDARD.decode(encoded.trim()) else {
        return false;
    };
    std::str::from_utf8(&decoded)
        .ok()
        .and_then(|s| s.split_once(':'))
        .is_some_and(|(l, p)| l == login && p == password)
}

fn json(status: StatusCode, env: &Envelope) -> Response {
    json_text(status, serde_json::to_string(env).unwrap_or_default())
}

fn json_text(status: StatusCode, text: String) -> Response {
    (status, [(header::CONTENT_TYPE, "application/json")], text).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn body_shapes() {
        assert_eq!(single_task(b"").unwrap_err().0, 40502);
        assert_eq!(single_task(b"  \n").unwrap_err().0, 40502);
        assert_eq!(single_task(b"[]").unwrap_err().0, 40502);
        assert_eq!(single_task(b"{\"target\":\"x.com\"}").unwrap_err().0, 40503);
        assert_eq!(single_task(b"[1]").unwrap_err().0, 40503);
        assert_eq!(single_task(b"[{\"target\":").unwrap_err().0, 40503);
        assert_eq!(single_task(b"[{},{}]").unwrap_err().0, 40000);
        assert!(single_task(b"[{\"target\":\"x.com\"}]").is_ok());
    }

    #[test]
    fn basic_auth() {
        let mut h = HeaderMap::new();
        assert!(!authorised(&h, "demo", "demo"));
        h.insert(header::AUTHORIZATION, "Basic ZGVtbzpkZW1v".parse().unwrap());
        assert!(authorised(&h, "demo", "demo"));
        assert!(!authorised(&h, "demo", "other"));
        h.insert(
            header::AUTHORIZATION,
            "Bearer ZGVtbzpkZW1v".parse().unwrap(),
        );
        assert!(!authorised(&h, "demo", "demo"));
    }
}
