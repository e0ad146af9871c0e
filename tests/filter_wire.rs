//! The API's JSON form of filters (reference §4.1) ⇄ AST.

use backlinks::api::{Condition, Filter, Group, Logic, Op, Value};
use serde_json::{Value as Json, json};

fn cond(field: &str, op: Op, value: Value) -> Filter {
    Filter::Cond(Condition {
        field: field.into(),
        op,
        value,
    })
}

fn group(logic: Logic, items: Vec<Filter>) -> Filter {
    Filter::Group(Group { logic, items })
}

fn read(v: &Json) -> Filter {
    Filter::from_wire(v).unwrap_or_else(|e| panic!("{v} should read: {e}"))
}

fn wire_err(v: &Json) -> String {
    Filter::from_wire(v).expect_err("should be refused").0
}

#[test]
fn reference_example_bare_condition() {
    let f = read(&json!(["rank", ">", "80"]));
    assert_eq!(
        f,
        cond("rank", Op::Gt, Value::Str("80".into())),
        "numeric string kept"
    );
    assert_eq!(f.to_wire(), json!(["rank", ">", "80"]));
}

#[test]
fn reference_example_flat_list() {
    let w = json!([
        ["page_from_rank", ">", "55"],
        "and",
        ["dofollow", "=", true]
    ]);
    let f = read(&w);
    assert_eq!(
        f,
        group(
            Logic::And,
            vec![
                cond("page_from_rank", Op::Gt, Value::Str("55".into())),
                cond("dofollow", Op::Eq, Value::Bool(true)),
            ]
        )
    );
    assert_eq!(f.to_wire(), w);
}

#[test]
fn reference_example_nested_groups() {
    let w = json!([
        ["first_seen", ">", "2017-10-23 11:31:45 +00:00"],
        "and",
        [
            ["anchor", "like", "%seo%"],
            "or",
            ["text_pre", "like", "%seo%"]
        ]
    ]);
    let f = read(&w);
    assert_eq!(
        f,
        group(
            Logic::And,
            vec![
                cond(
                    "first_seen",
                    Op::Gt,
                    Value::Str("2017-10-23 11:31:45 +00:00".into())
                ),
                group(
                    Logic::Or,
                    vec![
                        cond("anchor", Op::Like, Value::Str("%seo%".into())),
                        cond("text_pre", Op::Like, Value::Str("%seo%".into())),
                    ]
                ),
            ]
        )
    );
    assert_eq!(f.to_wire(), w);
}

#[test]
fn and_binds_tighter_than_or_and_output_brackets_instead_of_mixing() {
    let (a, b, c) = (
        json!(["rank", ">", 1]),
        json!(["rank", ">", 2]),
        json!(["rank", ">", 3]),
    );
    let or_first = read(&json!([a, "or", b, "and", c]));
    let Filter::Group(top) = &or_first else {
        panic!("group expected")
    };
    assert_eq!(top.logic, Logic::Or);
    assert!(matches!(&top.items[1], Filter::Group(inner) if inner.logic == Logic::And));
    assert_eq!(or_first.to_wire(), json!([a, "or", [b, "and", c]]));

    let and_first = read(&json!([a, "and", b, "or", c]));
    assert_eq!(and_first.to_wire(), json!([[a, "and", b], "or", c]));
}

#[test]
fn numbers_keep_their_kind() {
    let f = read(&json!(["rank", "in", [10, 2.5, "80"]]));
    assert_eq!(
        f,
        cond(
            "rank",
            Op::In,
            Value::List(vec![
                Value::Int(10),
                Value::Float(2.5),
                Value::Str("80".into())
            ])
        )
    );
    let out = serde_json::to_string(&f).unwrap();
    assert_eq!(out, r#"["rank","in",[10,2.5,"80"]]"#);
    assert_eq!(
        cond("rank", Op::Gt, Value::Float(80.0))
            .to_wire()
            .to_string(),
        r#"["rank",">",80.0]"#,
        "a float stays a float"
    );
}

#[test]
fn one_item_groups_and_same_logic_nesting_are_normalised() {
    let c = json!(["rank", ">", 1]);
    assert_eq!(read(&json!([c])), read(&c));
    assert_eq!(read(&json!([[[c]]])).to_wire(), c);
    let d = json!(["dofollow", "=", true]);
    let e = json!(["anchor", "like", "%a%"]);
    assert_eq!(
        read(&json!([[c, "and", d], "and", e])).to_wire(),
        json!([c, "and", d, "and", e])
    );
}

#[test]
fn serde_goes_through_the_wire_form() {
    let f: Filter = serde_json::from_str(r#"[["rank",">",5],"or",["anchor","=","x"]]"#).unwrap();
    assert_eq!(f.condition_count(), 2);
    let err = serde_json::from_str::<Filter>(r#"["rank",">"]"#).unwrap_err();
    assert!(err.to_string().contains("3 elements"), "{err}");
}

#[test]
fn malformed_shapes_are_named() {
    let cases: &[(Json, &str)] = &[
        (
            json!(["rank", ">"]),
            "condition must have 3 elements: field, operator, value",
        ),
        (json!(["rank", ">", 1, 2]), "condition must have 3 elements"),
        (
            json!([["rank", ">", 1], "xor", ["rank", "<", 9]]),
            "unknown logic word 'xor'",
        ),
        (
            json!([["rank", ">", 1], "AND", ["rank", "<", 9]]),
            "unknown logic word 'AND'",
        ),
        (
            json!([["rank", ">", 1], ["rank", "<", 9]]),
            "expected \"and\" or \"or\"",
        ),
        (json!([["rank", ">", 1], "and"]), "group ends with \"and\""),
        (
            json!([["rank", ">", 1], "and", "or", "and", ["a", "=", 1]]),
            "two logic words",
        ),
        (json!(["rank", "~", 1]), "unknown operator '~'"),
        (json!(["rank", ">", null]), "got null"),
        (json!(["rank", ">", {"a": 1}]), "got an object"),
        (json!(["rank", "in", [[1]]]), "lists cannot be nested"),
        (json!([]), "empty filter array"),
        (json!({"rank": 1}), "must be an array"),
        (json!([1, "and", 2]), "must start with a field name"),
        (json!([5, ">", 1]), "must start with a field name"),
        (json!(["rank", 5, 1]), "operator of 'rank' must be a string"),
    ];
    for (w, want) in cases {
        let msg = wire_err(w);
        assert!(msg.contains(want), "{w}: got {msg:?}, want {want:?}");
    }
}

#[test]
fn hostile_nesting_is_refused_not_overflowed() {
    let mut w = json!(["rank", ">", 1]);
    for _ in 0..200 {
        w = json!([w]);
    }
    assert!(wire_err(&w).contains("nested deeper"));
}
