//! Properties of the filter language over generated expressions and items: both printed forms
//! read back to the same tree, and a negated operator is exactly the negation of its positive.

use backlinks::api::filter::CompiledFilter;
use backlinks::api::{Backlink, Catalog, Condition, Filter, Group, Logic, Op, Value};
use proptest::prelude::*;
use proptest::sample::select;

fn field_name() -> impl Strategy<Value = String> {
    let catalogue: Vec<String> = Catalog::get()
        .filterable()
        .map(|f| f.name.clone())
        .collect();
    prop_oneof![
        select(catalogue),
        "[a-z_][a-z0-9_]{0,6}(\\.[a-z_][a-z0-9_]{0,6}){0,2}"
            .prop_filter("not a logic word", |s| s != "and" && s != "or"),
    ]
}

fn scalar(float: BoxedStrategy<f64>) -> BoxedStrategy<Value> {
    prop_oneof![
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::Int),
        float.prop_map(Value::Float),
        // Arbitrary unicode, quotes, backslashes and control characters included.
        any::<String>().prop_map(Value::Str),
        "[\"\\\\a-z %_\\n\\t\u{e9}\u{1F600}]{0,8}".prop_map(Value::Str),
    ]
    .boxed()
}

fn value(float: BoxedStrategy<f64>) -> impl Strategy<Value = Value> {
    let one = scalar(float);
    prop_oneof![
        3 => one.clone(),
        1 => prop::collection::vec(one, 0..4).prop_map(Value::List),
    ]
}

fn any_finite() -> BoxedStrategy<f64> {
    any::<f64>()
        .prop_filter("finite", |x| x.is_finite())
        .boxed()
}

/// Any tree, including one-item groups and same-logic nesting; compare with `normalized()`.
fn expr(float: BoxedStrategy<f64>) -> impl Strategy<Value = Filter> {
    let leaf = (field_name(), select(Op::ALL), value(float))
        .prop_map(|(field, op, value)| Filter::Cond(Condition { field, op, value }));
    leaf.prop_recursive(4, 16, 4, |inner| {
        (
            prop_oneof![Just(Logic::And), Just(Logic::Or)],
            prop::collection::vec(inner, 1..4),
        )
            .prop_map(|(logic, items)| Filter::Group(Group { logic, items }))
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn text_round_trips(f in expr(any_finite())) {
        let text = f.to_string();
        let back = Filter::parse(&text)
            .map_err(|e| TestCaseError::fail(format!("{text:?}: {e}")))?;
        prop_assert_eq!(&back, &f.normalized(), "{}", text);
        prop_assert_eq!(back.to_string(), text);
    }

    #[test]
    fn wire_round_trips(f in expr(any_finite())) {
        let wire = f.to_wire();
        let back = Filter::from_wire(&wire)
            .map_err(|e| TestCaseError::fail(format!("{wire}: {e}")))?;
        prop_assert_eq!(&back, &f.normalized());
        prop_assert_eq!(back.to_wire(), wire);
    }

    /// Through JSON text too. Floats are kept to short decimals here: serde_json's default
    /// float reader is not exact to the last bit for long ones (that is its `float_roundtrip`
    /// feature, which the crate does not enable).
    #[test]
    fn json_text_round_trips(f in expr((-4_000_000i64..4_000_000).prop_map(|n| n as f64 / 8.0).boxed())) {
        let json = serde_json::to_string(&f).unwrap();
        let back: Filter = serde_json::from_str(&json).unwrap();
        prop_assert_eq!(&back, &f.normalized());
        // And the JSON text is accepted as a whole text-syntax input.
        prop_assert_eq!(Filter::parse(&json).unwrap(), back);
    }

    #[test]
    fn text_and_wire_agree(f in expr(any_finite())) {
        let from_text = Filter::parse(&f.to_string()).unwrap();
        let from_wire = Filter::from_wire(&f.to_wire()).unwrap();
        prop_assert_eq!(from_text, from_wire);
    }
}

/// An item with one non-null field of each kind, values from small alphabets so that
/// generated literals often hit.
fn item() -> impl Strategy<Value = Backlink> {
    (
        -3i64..30,
        "[abAB _%]{0,6}",
        any::<bool>(),
        (2023u32..2025, 1u32..13, 1u32..29, 0u32..24),
        prop::collection::vec("[ab%]{0,2}", 0..3),
        0i64..5,
    )
        .prop_map(
            |(rank, anchor, dofollow, (y, mo, d, h), attributes, top3)| {
                let mut b = Backlink {
                    rank: Some(rank),
                    anchor: Some(anchor),
                    dofollow: Some(dofollow),
                    first_seen: Some(format!("{y}-{mo:02}-{d:02} {h:02}:00:00 +00:00")),
                    attributes: Some(attributes),
                    ..Backlink::default()
                };
                b.ranked_keywords_info = serde_json::from_value(serde_json::json!({
                    "page_from_keywords_count_top_3": top3
                }))
                .unwrap();
                b
            },
        )
}

/// A condition with a positive operator that has a negation, typed to its field.
fn positive_condition() -> impl Strategy<Value = Condition> {
    let num = prop_oneof![
        (-3i64..30).prop_map(Value::Int),
        (-3i64..30).prop_map(|n| Value::Float(n as f64 / 2.0)),
        (-3i64..30).prop_map(|n| Value::Str(n.to_string())),
    ];
    let text = "[abAB _%]{0,4}".prop_map(Value::Str);
    let date = (2023u32..2025, 1u32..13, 1u32..29)
        .prop_map(|(y, m, d)| Value::Str(format!("{y}-{m:02}-{d:02}")));
    let list = |s: BoxedStrategy<Value>| prop::collection::vec(s, 1..4).prop_map(Value::List);
    let rk3 = "ranked_keywords_info.page_from_keywords_count_top_3";
    prop_oneof![
        cond("rank", Op::Eq, num.clone().boxed()),
        cond("rank", Op::In, list(num.clone().boxed()).boxed()),
        cond(rk3, Op::Eq, num.clone().boxed()),
        cond(rk3, Op::In, list(num.boxed()).boxed()),
        cond(
            "dofollow",
            Op::Eq,
            any::<bool>().prop_map(Value::Bool).boxed()
        ),
        cond("first_seen", Op::Eq, date.boxed()),
        select(vec![Op::Eq, Op::Like, Op::Ilike, Op::Match]).prop_flat_map(move |op| cond(
            "anchor",
            op,
            text.clone().boxed()
        )),
        cond(
            "anchor",
            Op::In,
            list("[abAB _%]{0,4}".prop_map(Value::Str).boxed()).boxed()
        ),
        "[ab]{1,2}\\$?".prop_flat_map(|re| cond("anchor", Op::Regex, Just(Value::Str(re)).boxed())),
        select(vec![
            Op::Has,
            Op::Eq,
            Op::Like,
            Op::Ilike,
            Op::Regex,
            Op::Match
        ])
        .prop_flat_map(|op| cond(
            "attributes",
            op,
            "[ab%]{1,2}".prop_map(Value::Str).boxed()
        )),
        cond(
            "attributes",
            Op::In,
            list("[ab%]{0,2}".prop_map(Value::Str).boxed()).boxed()
        ),
    ]
}

fn cond(field: &'static str, op: Op, v: BoxedStrategy<Value>) -> BoxedStrategy<Condition> {
    v.prop_map(move |value| Condition {
        field: field.into(),
        op,
        value,
    })
    .boxed()
}

fn eval(c: &Condition, it: &Backlink) -> bool {
    CompiledFilter::new(&Filter::Cond(c.clone()))
        .unwrap()
        .matches(it)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2048))]

    #[test]
    fn negated_operator_is_the_negation(c in positive_condition(), it in item()) {
        let neg = Condition { op: c.op.negated().unwrap(), ..c.clone() };
        prop_assert_eq!(eval(&neg, &it), !eval(&c, &it), "{} / {}", Filter::Cond(c.clone()), Filter::Cond(neg.clone()));
    }

    #[test]
    fn null_fails_positive_and_passes_negated(c in positive_condition()) {
        let empty = Backlink::default();
        let neg = Condition { op: c.op.negated().unwrap(), ..c.clone() };
        prop_assert!(!eval(&c, &empty));
        prop_assert!(eval(&neg, &empty));
    }

    /// `like` agrees with the regex it stands for: `%` = `.*`, `_` = `.`, whole value.
    #[test]
    fn like_agrees_with_its_regex(pattern in "[ab%_\u{e9}]{0,6}", text in "[ab\u{e9}]{0,8}") {
        let mut re = String::from("(?s)^");
        for ch in pattern.chars() {
            match ch {
                '%' => re.push_str(".*"),
                '_' => re.push('.'),
                c => re.push_str(&regex::escape(&c.to_string())),
            }
        }
        re.push('$');
        let want = regex::Regex::new(&re).unwrap().is_match(&text);
        let c = Condition { field: "anchor".into(), op: Op::Like, value: Value::Str(pattern.clone()) };
        let it = Backlink { anchor: Some(text.clone()), ..Backlink::default() };
        prop_assert_eq!(eval(&c, &it), want, "{:?} like {:?}", text, pattern);
    }

    /// `ilike` is `like` on the lowercase of both sides, in and outside ASCII.
    #[test]
    fn ilike_is_like_on_lowercase(pattern in "[aAbB%_\u{e9}\u{c9}]{0,6}", text in "[aAbB\u{e9}\u{c9}]{0,8}") {
        let cond = |op, p: String| Condition { field: "anchor".into(), op, value: Value::Str(p) };
        let it = Backlink { anchor: Some(text.clone()), ..Backlink::default() };
        let lowered = Backlink { anchor: Some(text.to_lowercase()), ..Backlink::default() };
        prop_assert_eq!(
            eval(&cond(Op::Ilike, pattern.clone()), &it),
            eval(&cond(Op::Like, pattern.to_lowercase()), &lowered),
            "{:?} ilike {:?}", text, pattern
        );
    }

    /// `match` agrees with the plain reading of its rule: lowercase words, consecutive.
    #[test]
    fn match_agrees_with_naive_words(
        query in "[aAbB \\-_\u{e9}\u{c9}]{0,5}",
        text in "[aAbB \\-_\u{e9}\u{c9}]{0,12}",
    ) {
        let split = |s: &str| -> Vec<String> {
            s.split(|c: char| !c.is_alphanumeric())
                .filter(|w| !w.is_empty())
                .map(str::to_lowercase)
                .collect()
        };
        let (q, t) = (split(&query), split(&text));
        let want = !q.is_empty() && t.windows(q.len()).any(|w| w == q.as_slice());
        let c = Condition { field: "anchor".into(), op: Op::Match, value: Value::Str(query.clone()) };
        let it = Backlink { anchor: Some(text.clone()), ..Backlink::default() };
        prop_assert_eq!(eval(&c, &it), want, "{:?} match {:?}", text, query);
    }

    /// On arrays `has` is `=`, and `in [x]` is `= x`, on any item.
    #[test]
    fn array_aliases_agree(x in "[ab%]{1,2}", it in item()) {
        let c = |op, value| Condition { field: "attributes".into(), op, value };
        let eq = eval(&c(Op::Eq, Value::Str(x.clone())), &it);
        prop_assert_eq!(eval(&c(Op::Has, Value::Str(x.clone())), &it), eq);
        prop_assert_eq!(eval(&c(Op::In, Value::List(vec![Value::Str(x)])), &it), eq);
    }
}
