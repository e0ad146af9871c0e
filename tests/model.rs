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
    assert_eq!(items[1], Backlink::default());
    // The nulls are empty slots; the field this version does not know is kept as it came.
    let extra = items[0].extra.as_deref().unwrap();
    assert_eq!(extra.get("future"), Some(&serde_json::json!([1, 2])));
    assert_eq!(
        Backlink {
            extra: None,
            ..items[0].clone()
        },
        Backlink::default()
    );
}

#[test]
fn fields_added_to_the_api_later_are_written_back_after_the_known_ones() {
    let line = r#"{"rank":12,"url_from":"https://a.example/","new_score":7.5,"new_tags":["x"]}"#;
    let item: Backlink = serde_json::from_str(line).unwrap();
    assert_eq!(item.rank, Some(12));
    let back = serde_json::to_value(&item).unwrap();
    assert_eq!(back["new_score"], serde_json::json!(7.5));
    assert_eq!(back["new_tags"], serde_json::json!(["x"]));
    assert_eq!(back["url_from"], serde_json::json!("https://a.example/"));
    // A known field of the wrong type is still refused, with serde's reason.
    let err = serde_json::from_str::<Backlink>(r#"{"rank":"high"}"#).unwrap_err();
    assert!(err.to_string().contains("invalid type"), "{err}");
    let err = serde_json::from_str::<Backlink>("[1,2]").unwrap_err();
    assert!(err.to_string().contains("a backlink item"), "{err}");
}

#[test]
fn integer_cost_and_missing_result_decode() {
    let body = r#"{"status_code":20000,"cost":0,"tasks":[{"status_code":40501,
        "status_message":"Invalid Field: 'limit'.","cost":0,"result":null}]}"#;
    let env: Envelope = serde_json::from_str(body).unwrap();
    assert_eq!(env.cost, Some(0.0));
    assert!(env.first_result().is_none());
}
