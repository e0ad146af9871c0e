use serde_json::json;

use super::*;

fn keep(text: &str) -> String {
    text.to_owned()
}

fn run(status: u16, body: &serde_json::Value) -> Classified {
    classify(status, body.to_string().as_bytes(), &keep)
}

fn task_error(code: i64, message: &str) -> serde_json::Value {
    json!({"status_code": 20000, "status_message": "Ok.", "cost": 0, "tasks_count": 1,
        "tasks_error": 1, "tasks": [{"id": "t-1", "status_code": code,
        "status_message": message, "cost": 0, "result_count": 0, "result": null}]})
}

fn request_error(code: i64, message: &str) -> serde_json::Value {
    json!({"status_code": code, "status_message": message, "cost": 0, "tasks_count": 0,
        "tasks_error": 0, "tasks": []})
}

#[test]
fn success_takes_the_first_result_and_the_task_id() {
    let body = json!({"status_code": 20000, "cost": 0.02015, "tasks": [{"id": "t-1",
        "status_code": 20000, "result": [{"target": "forbes.com", "total_count": 7}]}]});
    let c = run(200, &body);
    assert_eq!(c.cost, Some(0.02015));
    let ok = c.outcome.unwrap();
    assert_eq!(ok.task_id.as_deref(), Some("t-1"));
    assert_eq!(ok.result.total_count, Some(7));
}

type IsClass = fn(&ApiError) -> bool;

#[test]
fn every_code_of_the_table_has_its_class() {
    let cases: &[(i64, IsClass)] = &[
        (40100, |e| matches!(e, ApiError::Auth { .. })),
        (40200, |e| matches!(e, ApiError::Payment { .. })),
        (40201, |e| matches!(e, ApiError::Payment { .. })),
        (40203, |e| matches!(e, ApiError::Payment { .. })),
        (40204, |e| matches!(e, ApiError::Payment { .. })),
        (40202, |e| matches!(e, ApiError::RateLimited { .. })),
        (40501, |e| matches!(e, ApiError::InvalidField { .. })),
        (40506, |e| matches!(e, ApiError::InvalidField { .. })),
        (40103, |e| matches!(e, ApiError::Server { .. })),
        (50000, |e| matches!(e, ApiError::Server { .. })),
        (50001, |e| matches!(e, ApiError::Server { .. })),
        (50301, |e| matches!(e, ApiError::Server { .. })),
        (50303, |e| matches!(e, ApiError::Server { .. })),
        (50401, |e| matches!(e, ApiError::Server { .. })),
        (40000, |e| matches!(e, ApiError::Other { .. })),
        (50304, |e| matches!(e, ApiError::Other { .. })),
    ];
    for &(code, is_class) in cases {
        for body in [task_error(code, "m"), request_error(code, "m")] {
            let e = run(200, &body).outcome.unwrap_err();
            assert!(is_class(&e), "{code}: {e:?}");
            assert_eq!(e.code(), Some(code));
        }
    }
}

#[test]
fn retryable_exactly_as_reference_section_10() {
    for code in [40202, 40103, 50000, 50001, 50301, 50303, 50401] {
        assert!(error_for_code(code, String::new()).is_retryable(), "{code}");
    }
    for code in [
        40000, 40100, 40200, 40201, 40203, 40204, 40400, 40501, 40506, 50100,
    ] {
        assert!(
            !error_for_code(code, String::new()).is_retryable(),
            "{code}"
        );
    }
}

#[test]
fn invalid_field_names_the_field() {
    let e = run(200, &task_error(40501, "Invalid Field: 'limit'."))
        .outcome
        .unwrap_err();
    let ApiError::InvalidField { field, message, .. } = &e else {
        panic!("{e:?}")
    };
    assert_eq!(field, "limit");
    assert_eq!(message, "Invalid Field: 'limit'.");
    assert_eq!(
        e.to_string(),
        "invalid field 'limit' (40501): Invalid Field: 'limit'."
    );
}

#[test]
fn unknown_fields_without_a_name_still_read_well() {
    let e = run(200, &task_error(40506, "Unknown Fields in POST Data."))
        .outcome
        .unwrap_err();
    assert!(matches!(&e, ApiError::InvalidField { field, .. } if field.is_empty()));
    assert_eq!(
        e.to_string(),
        "invalid request (40506): Unknown Fields in POST Data."
    );
}

#[test]
fn http_status_with_api_body_uses_the_api_code() {
    let e = run(401, &request_error(40100, "You are not authorized."))
        .outcome
        .unwrap_err();
    assert_eq!(
        e,
        ApiError::Auth {
            code: 40100,
            message: "You are not authorized.".into()
        }
    );
}

#[test]
fn http_status_without_api_body_uses_the_http_code() {
    let html = b"<html><head><title>404 Not Found</title></head><body>nginx</body></html>";
    let e = classify(404, html, &keep).outcome.unwrap_err();
    assert_eq!(e.code(), Some(404));
    assert!(matches!(e, ApiError::Other { .. }));
    assert!(e.to_string().contains("HTTP 404 Not Found"), "{e}");
    assert!(e.to_string().contains("API URL"), "{e}");

    let e = classify(502, b"Bad gateway", &keep).outcome.unwrap_err();
    assert!(matches!(e, ApiError::Server { code: 502, .. }), "{e:?}");
    assert!(e.is_retryable());
    let e = classify(402, b"", &keep).outcome.unwrap_err();
    assert!(matches!(e, ApiError::Payment { code: 402, .. }), "{e:?}");
}

#[test]
fn ok_envelope_under_an_error_status_is_still_an_error() {
    let body = json!({"status_code": 20000, "tasks": [{"status_code": 20000, "result": [{}]}]});
    let e = run(503, &body).outcome.unwrap_err();
    assert!(matches!(e, ApiError::Server { code: 503, .. }), "{e:?}");
}

#[test]
fn failed_task_still_reports_its_cost() {
    let c = run(200, &task_error(40501, "Invalid Field: 'x'."));
    assert_eq!(c.cost, Some(0.0));
    assert!(c.outcome.is_err());
}

#[test]
fn unreadable_bodies_are_decode_errors_quoting_a_clean_start() {
    let mut body = b"<html>\x1b[31m\n\t".to_vec();
    body.extend(std::iter::repeat_n(b'x', 300));
    let e = classify(200, &body, &keep).outcome.unwrap_err();
    let ApiError::Decode { body_start, reason } = &e else {
        panic!("{e:?}")
    };
    assert!(reason.contains("line 1 column 1"), "{reason}");
    assert!(body_start.starts_with("<html>[31m  xxx"), "{body_start}");
    assert!(body_start.chars().all(|c| !c.is_control()));
    assert_eq!(
        body_start.len(),
        BODY_START_BYTES - 1,
        "only the ESC is dropped"
    );
}

#[test]
fn body_start_never_splits_a_character() {
    // 301 bytes; byte 200 falls between the two bytes of an é.
    let body = format!("a{}", "é".repeat(150));
    assert_eq!(body_start(body.as_bytes()), format!("a{}", "é".repeat(99)));
    // Bytes that are invalid in themselves still show as replacement characters.
    assert_eq!(body_start(b"a\xffb"), "a\u{fffd}b");
}

#[test]
fn structurally_odd_envelopes_are_decode_errors() {
    for (body, want) in [
        (json!({"tasks": []}), "no status_code"),
        (json!({"status_code": 20000, "tasks": []}), "no task"),
        (
            json!({"status_code": 20000, "tasks": [{"status_code": 20000}]}),
            "no result",
        ),
        (
            json!({"status_code": 20000, "tasks": [{"result": [{}]}]}),
            "task has no status_code",
        ),
    ] {
        let e = run(200, &body).outcome.unwrap_err();
        assert!(
            matches!(&e, ApiError::Decode { reason, .. } if reason.contains(want)),
            "{body}: {e:?}"
        );
    }
}

#[test]
fn messages_are_scrubbed_and_bounded() {
    let secret = |t: &str| t.replace("hunter2", "***");
    let long = format!("bad\u{1b}[2J password hunter2 {}", "y".repeat(900));
    let c = classify(
        200,
        request_error(40100, &long).to_string().as_bytes(),
        &secret,
    );
    let e = c.outcome.unwrap_err();
    let text = e.to_string();
    assert!(
        !text.contains("hunter2") && !text.contains('\u{1b}'),
        "{text}"
    );
    assert!(text.chars().count() < 600, "{}", text.len());
}
