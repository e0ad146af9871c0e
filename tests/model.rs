//! The wire model against real data from the API's documentation.

use backlinks::api::{Backlink, Envelope};
use serde_json::Value;

const FIXTURE: &str = include_str!("fixtures/backlinks_live_example_response.json");

#[test]
fn fixture_items_round_trip_field_by_field() {
    let env: Envelope = serde_json::from_str(FIXTURE).unwrap();
    let result = env.first_result().expect("one result");
    let items = result.items.as_ref().expect("items");
    assert_eq!(items.len(), 5);
    assert_eq!(result.total_count, Some(42_671_699));

    let raw: Value = serde_json::from_str(FIXTURE).unwrap();
    let raw_items = raw["tasks"][0]["result"][0]["items"].as_array().unwrap();
    for (item, raw_item) in items.iter().zip(raw_items) {
        let again = serde_json::to_value(item).unwrap();
        let (a, b) = (again.as_object().unwrap(), raw_item.as_object().unwrap());
        assert_eq!(a.len(), b.len(), "same number of fields");
        for (key, want) in b {
            assert_eq!(a.get(key), Some(want), "field {key}");
        }
    }
}

#[test]
fn envelope_round_trips_too() {
    let env: Envelope = serde_json::from_str(FIXTURE).unwrap();
    let raw: Value = serde_json::from_str(FIXTURE).unwrap();
    assert_eq!(serde_json::to_value(&env).unwrap(), raw);
}

#[test]
fn unknown_fields_and_nulls_everywhere_are_tolerated() {
    let body = r#"{"version":null,"status_code":20000,"brand_new_field":{"x":1},
        "tasks":[{"id":null,"status_code":20000,"result":[{"items":[
            {"rank":null,"anchor":null,"ranked_keywords_info":null,"future":[1,2]},
            {}
        ],"total_count":null}]}]}"#;
    let env: Envelope = serde_json::from_str(body).unwrap();
    let items = env.first_result().unwrap().items.as_ref().unwrap();
    assert_eq!(items.len(), 2);
    assert_eq!(items[0], Backlink::default());
}

#[test]
fn integer_cost_and_missing_result_decode() {
    let body = r#"{"status_code":20000,"cost":0,"tasks":[{"status_code":40501,
        "status_message":"Invalid Field: 'limit'.","cost":0,"result":null}]}"#;
    let env: Envelope = serde_json::from_str(body).unwrap();
    assert_eq!(env.cost, Some(0.0));
    assert!(env.first_result().is_none());
}
