//! One HTTP exchange's status and body → the task result or a typed `ApiError` (reference §10).
//!
//! Pure: no I/O, so every row of the status table is unit-tested without a server.

use crate::api::{ApiError, Envelope, TaskResult};

/// The API's "Ok." at request and task level.
pub const OK: i64 = 20_000;
/// How much of an unreadable body an error quotes.
pub const BODY_START_BYTES: usize = 200;
/// Longest server message we pass on.
const MAX_MESSAGE_CHARS: usize = 500;

/// What one response amounts to.
#[derive(Debug)]
pub struct Classified {
    /// The envelope's `cost` when the body was an envelope that reported one (failed tasks too).
    pub cost: Option<f64>,
    pub outcome: Result<Success, ApiError>,
}

/// A task that came back with status 20000 and a result.
#[derive(Debug)]
pub struct Success {
    pub result: TaskResult,
    pub task_id: Option<String>,
}

/// Classifies a response. `redact` scrubs anything secret out of text we pass on.
pub fn classify(http_status: u16, body: &[u8], redact: &impl Fn(&str) -> String) -> Classified {
    let clean = |text: &str| redact(&truncate_chars(&sanitize(text), MAX_MESSAGE_CHARS));
    let http_ok = (200..300).contains(&http_status);
    let envelope = match serde_json::from_slice::<Envelope>(body) {
        Ok(envelope) => envelope,
        Err(e) if http_ok => {
            return Classified {
                cost: None,
                outcome: Err(ApiError::Decode {
                    reason: e.to_string(),
                    body_start: redact(&body_start(body)),
                }),
            };
        }
        Err(_) => {
            let error = error_for_http(http_status, &clean(&http_detail(body)));
            return Classified {
                cost: None,
                outcome: Err(error),
            };
        }
    };
    let cost = envelope.cost;
    let outcome = outcome_of(envelope, http_status, body, &clean, redact);
    Classified { cost, outcome }
}

fn outcome_of(
    envelope: Envelope,
    http_status: u16,
    body: &[u8],
    clean: &impl Fn(&str) -> String,
    redact: &impl Fn(&str) -> String,
) -> Result<Success, ApiError> {
    let decode = |reason: &str| ApiError::Decode {
        reason: reason.to_owned(),
        body_start: redact(&body_start(body)),
    };
    let message = |m: Option<&String>| clean(m.map_or("(no message)", String::as_str));
    // Request level first: a request-level failure usually comes with no task at all.
    if let Some(code) = envelope.status_code.filter(|&c| c != OK) {
        return Err(error_for_code(
            code,
            message(envelope.status_message.as_ref()),
        ));
    }
    let task = envelope.tasks.and_then(|tasks| tasks.into_iter().next());
    if let Some(task) = &task
        && let Some(code) = task.status_code.filter(|&c| c != OK)
    {
        return Err(error_for_code(code, message(task.status_message.as_ref())));
    }
    if !(200..300).contains(&http_status) {
        return Err(error_for_http(http_status, &clean(&http_detail(body))));
    }
    if envelope.status_code.is_none() {
        return Err(decode("the response has no status_code"));
    }
    let task = task.ok_or_else(|| decode("the response has no task"))?;
    if task.status_code.is_none() {
        return Err(decode("the task has no status_code"));
    }
    let result = task
        .result
        .and_then(|r| r.into_iter().next())
        .ok_or_else(|| decode("the task succeeded but has no result"))?;
    Ok(Success {
        result,
        task_id: task.id,
    })
}

/// The typed error for an API status code (the table of reference §10).
pub fn error_for_code(code: i64, message: String) -> ApiError {
    match code {
        40100 => ApiError::Auth { code, message },
        40200 | 40201 | 40203 | 40204 => ApiError::Payment { code, message },
        40202 => ApiError::RateLimited { code, message },
        40501 | 40506 => ApiError::InvalidField {
            code,
            field: quoted_name(&message).unwrap_or_default().to_owned(),
            message,
        },
        40103 | 50000 | 50001 | 50301 | 50303 | 50401 => ApiError::Server { code, message },
        _ => ApiError::Other { code, message },
    }
}

/// The typed error for an HTTP status whose body carried no API code; `code` is then the
/// three-digit HTTP status.
pub fn error_for_http(status: u16, detail: &str) -> ApiError {
    let code = i64::from(status);
    let reason = reqwest::StatusCode::from_u16(status)
        .ok()
        .and_then(|s| s.canonical_reason())
        .unwrap_or("");
    let mut message = format!("HTTP {status} {reason}").trim_end().to_owned();
    if status == 404 {
        message.push_str(" (is the API URL right?)");
    }
    // An HTML page's title often just repeats the status line.
    if !detail.is_empty() && !message.contains(detail) {
        message = format!("{message}: {detail}");
    }
    match status {
        401 => ApiError::Auth { code, message },
        402 => ApiError::Payment { code, message },
        429 => ApiError::RateLimited { code, message },
        500..=599 => ApiError::Server { code, message },
        _ => ApiError::Other { code, message },
    }
}

/// The first `'quoted'` word of a message: `Invalid Field: 'limit'.` → `limit`.
fn quoted_name(message: &str) -> Option<&str> {
    let start = message.find('\'')? + 1;
    let len = message[start..].find('\'')?;
    Some(&message[start..start + len]).filter(|name| !name.is_empty())
}

/// Something short to show for a non-JSON error body: an HTML page's `<title>`, or its start.
fn http_detail(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let lower = text.to_ascii_lowercase();
    if let Some(open) = lower.find("<title>")
        && let Some(len) = lower[open + 7..].find("</title>")
    {
        return text[open + 7..open + 7 + len].trim().to_owned();
    }
    body_start(body)
}

/// The first [`BODY_START_BYTES`] bytes as text: cut on a character boundary, no control
/// characters (line breaks and tabs become spaces).
pub fn body_start(body: &[u8]) -> String {
    let cut = &body[..body.len().min(BODY_START_BYTES)];
    let mut text = String::with_capacity(cut.len());
    let mut chunks = cut.utf8_chunks().peekable();
    while let Some(chunk) = chunks.next() {
        text.push_str(chunk.valid());
        // A character split by the cut itself is dropped, not shown as garbage.
        let split_by_cut = chunks.peek().is_none() && cut.len() < body.len();
        if !chunk.invalid().is_empty() && !split_by_cut {
            text.push(char::REPLACEMENT_CHARACTER);
        }
    }
    sanitize(&text)
}

/// Removes control characters (ESC included); whitespace controls become one space.
pub fn sanitize(text: &str) -> String {
    text.chars()
        .filter_map(|c| match c {
            '\n' | '\r' | '\t' => Some(' '),
            c if c.is_control() => None,
            c => Some(c),
        })
        .collect()
}

fn truncate_chars(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_owned(),
    }
}

#[cfg(test)]
#[path = "classify_tests.rs"]
mod tests;
