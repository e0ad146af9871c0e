//! Response bodies shaped like the real API's (reference §3, §12.7–12.9).

use std::time::Duration;

use jiff::Timestamp;
use serde_json::{Map, Value};

use super::faults::Rng;
use crate::api::response::{Envelope, Task, TaskResult};

/// `tasks[].path` of this endpoint.
pub const PATH: [&str; 4] = ["v3", "backlinks", "backlinks", "live"];
/// Second group of task ids: the account number seen in the examples.
const ACCOUNT: &str = "1535";
/// Third group of task ids: the function code of backlinks/backlinks/live in the examples.
const FUNCTION: &str = "0269";

/// `0.1.YYYYMMDD`.
pub fn version(now: Timestamp) -> String {
    now.strftime("0.1.%Y%m%d").to_string()
}

/// `MMDDhhmm-1535-0269-0000-<12 hex>`.
pub fn task_id(now: Timestamp, rng: &mut Rng) -> String {
    format!(
        "{}-{ACCOUNT}-{FUNCTION}-0000-{:012x}",
        now.strftime("%m%d%H%M"),
        rng.next_u64() & 0xffff_ffff_ffff
    )
}

/// `"0.0113 sec."`.
pub fn secs(d: Duration) -> String {
    format!("{:.4} sec.", d.as_secs_f64())
}

/// Price of a successful task, rounded to 1e-8 so sums print cleanly.
pub fn cost(base: f64, per_item: f64, items: usize) -> f64 {
    round_cost(base + per_item * items as f64)
}

fn round_cost(c: f64) -> f64 {
    (c * 1e8).round() / 1e8
}

/// `data`: `api` and `function`, then the task's fields as sent (explicit nulls left out).
/// `mode` is always echoed (`as_is` when not sent), so every response has the documented
/// example's shape (issue #3 asks for the same keys at every level).
pub fn echo(task: &Value) -> Value {
    let mut data = Map::new();
    data.insert("api".into(), "backlinks".into());
    data.insert("function".into(), "backlinks".into());
    if let Some(obj) = task.as_object() {
        for (k, v) in obj.iter().filter(|(_, v)| !v.is_null()) {
            data.insert(k.clone(), v.clone());
        }
    }
    data.entry("mode").or_insert_with(|| "as_is".into());
    Value::Object(data)
}

/// What one task produced.
#[derive(Debug)]
pub enum Outcome {
    Ok { result: TaskResult, cost: f64 },
    Failed { code: i64, message: String },
}

/// One task object.
pub fn task(id: String, data: Value, outcome: Outcome, elapsed: Duration) -> Task {
    let path = Some(PATH.iter().map(|s| (*s).to_owned()).collect());
    match outcome {
        Outcome::Ok { result, cost } => Task {
            id: Some(id),
            status_code: Some(20000),
            status_message: Some("Ok.".into()),
            time: Some(secs(elapsed)),
            cost: Some(cost),
            result_count: Some(1),
            path,
            data: Some(data),
            result: Some(vec![result]),
        },
        Outcome::Failed { code, message } => Task {
            id: Some(id),
            status_code: Some(code),
            status_message: Some(message),
            time: Some(secs(elapsed)),
            cost: Some(0.0),
            result_count: Some(0),
            path,
            data: Some(data),
            result: None,
        },
    }
}

/// The envelope around answered tasks: the request itself went fine.
pub fn wrap(now: Timestamp, tasks: Vec<Task>, elapsed: Duration) -> Envelope {
    let failed = tasks
        .iter()
        .filter(|t| t.status_code != Some(20000))
        .count();
    let cost = round_cost(tasks.iter().filter_map(|t| t.cost).sum());
    Envelope {
        version: Some(version(now)),
        status_code: Some(20000),
        status_message: Some("Ok.".into()),
        time: Some(secs(elapsed)),
        cost: Some(cost),
        tasks_count: Some(tasks.len() as i64),
        tasks_error: Some(failed as i64),
        tasks: Some(tasks),
    }
}

/// A request-level failure: no tasks were run.
pub fn request_error(now: Timestamp, code: i64, message: &str, elapsed: Duration) -> Envelope {
    Envelope {
        version: Some(version(now)),
        status_code: Some(code),
        status_message: Some(message.to_owned()),
        time: Some(secs(elapsed)),
        cost: Some(0.0),
        tasks_count: Some(0),
        tasks_error: Some(0),
        tasks: Some(Vec::new()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn calendar_conversion() {
        let at = |secs| Timestamp::from_second(secs).unwrap();
        assert_eq!(version(at(0)), "0.1.19700101");
        // 2024-02-29 13:45:00 UTC
        assert_eq!(version(at(1_709_214_300)), "0.1.20240229");
        assert_eq!(version(at(1_735_689_599)), "0.1.20241231");
    }

    #[test]
    fn ids_and_times_have_the_api_shape() {
        let t = Timestamp::from_second(1_682_865_300).unwrap(); // 2023-04-30 14:35
        let id = task_id(t, &mut Rng::for_call(1, 1));
        let re = regex::Regex::new(r"^04301435-1535-0269-0000-[0-9a-f]{12}$").unwrap();
        assert!(re.is_match(&id), "{id}");
        assert_eq!(secs(Duration::from_millis(2121)), "2.1210 sec.");
    }

    #[test]
    fn cost_matches_the_documented_example() {
        assert!((cost(0.02, 0.00003, 5) - 0.02015).abs() < f64::EPSILON);
        assert_eq!(cost(0.02, 0.00003, 5).to_string(), "0.02015");
    }

    #[test]
    fn echo_keeps_fields_as_sent_without_nulls() {
        let data = echo(&json!({"target":"x.com","limit":5,"tag":null}));
        assert_eq!(
            data,
            json!({"api":"backlinks","function":"backlinks","target":"x.com","limit":5,
                   "mode":"as_is"})
        );
        let data = echo(&json!({"target":"x.com","mode":"one_per_domain"}));
        assert_eq!(data["mode"], "one_per_domain");
    }

    #[test]
    fn envelope_counts_failed_tasks_and_sums_cost() {
        let now = Timestamp::UNIX_EPOCH;
        let ok = task(
            "a".into(),
            json!({}),
            Outcome::Ok {
                result: TaskResult::default(),
                cost: 0.02015,
            },
            Duration::ZERO,
        );
        let bad = task(
            "b".into(),
            json!({}),
            Outcome::Failed {
                code: 40501,
                message: "Invalid Field: 'limit'.".into(),
            },
            Duration::ZERO,
        );
        let env = wrap(now, vec![ok, bad], Duration::ZERO);
        assert_eq!(
            (env.tasks_count, env.tasks_error, env.cost),
            (Some(2), Some(1), Some(0.02015))
        );
        let t = &env.tasks.as_ref().unwrap()[1];
        assert_eq!(
            (t.result_count, t.cost, t.result.is_none()),
            (Some(0), Some(0.0), true)
        );
    }
}
