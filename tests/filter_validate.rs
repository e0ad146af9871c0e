//! Filters checked against the field catalogue (reference §4.2, DESIGN.md §6).

use backlinks::api::fields::FilterType;
use backlinks::api::filter::{ops_for, parse_value};
use backlinks::api::{Catalog, Filter, Op, Value};

fn check(s: &str) -> Result<(), backlinks::api::filter::ValidationError> {
    Filter::parse(s)
        .unwrap_or_else(|e| panic!("{s:?} should parse: {e}"))
        .validate(Catalog::get())
}

fn refused(s: &str) -> (Option<String>, String) {
    let e = check(s).expect_err(&format!("{s:?} should be refused"));
    (e.field, e.message)
}

#[test]
fn design_examples_are_valid() {
    for s in [
        r#"dofollow = true and rank >= 100 and (anchor ilike "%seo%" or text_pre match "seo")"#,
        r#"dofollow = true and (anchor like "%seo%" or rank > 80)"#,
        r#"domain_from_country in ["US", "GB"] and first_seen > "2024-01-01 00:00:00 +00:00""#,
        r#"first_seen >= "2024-01-01" and last_seen < "2024-02-29""#,
        r#"attributes has "nofollow" or domain_from_platform_type ilike "%cms%""#,
        "ranked_keywords_info.page_from_keywords_count_top_10 > 5",
        r#"rank > "80" and rank in [1, 2.5, "3"]"#,
        r#"is_indirect_link = false and page_from_title regex "^(?i)best\\s+seo""#,
        r#"anchor match "link building" and url_to_spam_score <= 30.5"#,
    ] {
        check(s).unwrap_or_else(|e| panic!("{s:?}: {e}"));
    }
}

#[test]
fn like_on_a_number_names_the_allowed_operators() {
    let (field, msg) = refused("rank like 5");
    assert_eq!(field.as_deref(), Some("rank"));
    assert_eq!(
        msg,
        "operator 'like' is not allowed on 'rank' (number); use one of = <> < <= > >= in not_in"
    );
    let (_, msg) = refused("dofollow > true");
    assert!(msg.contains("use one of = <>"), "{msg}");
    let (_, msg) = refused("first_seen like \"2024%\"");
    assert!(msg.contains("(date)"), "{msg}");
    let (_, msg) = refused("anchor has \"x\"");
    assert!(
        msg.starts_with("operator 'has' is not allowed on 'anchor' (text)"),
        "{msg}"
    );
    let (_, msg) = refused("attributes > \"a\"");
    assert!(msg.contains("(list)"), "{msg}");
}

#[test]
fn unknown_and_unfilterable_fields() {
    assert_eq!(
        refused("rnk > 5"),
        (
            Some("rnk".into()),
            "unknown field 'rnk' — did you mean 'rank'?".into()
        )
    );
    assert_eq!(
        refused("page_from_keywords_count_top_3 > 5").1,
        "unknown field 'page_from_keywords_count_top_3' — did you mean \
         'ranked_keywords_info.page_from_keywords_count_top_3'?"
    );
    assert_eq!(refused("zzzzzz = 1").1, "unknown field 'zzzzzz'");
    assert_eq!(
        refused("type = \"backlink\"").1,
        "field 'type' cannot be used in filters"
    );
    assert_eq!(
        refused("ranked_keywords_info = 1").1,
        "field 'ranked_keywords_info' cannot be used in filters"
    );
}

#[test]
fn values_must_fit_the_field_type() {
    let cases = [
        ("rank > \"abc\"", "rank: expected a number, got \"abc\""),
        ("rank > true", "rank: expected a number, got true"),
        ("rank = \"inf\"", "rank: expected a number"),
        (
            "dofollow = \"true\"",
            "dofollow: expected true or false, got \"true\"",
        ),
        ("dofollow = 1", "dofollow: expected true or false, got 1"),
        (
            "anchor = 5",
            "anchor: expected text in double quotes, got 5",
        ),
        (
            "attributes has 5",
            "attributes: expected text in double quotes",
        ),
        (
            "first_seen > 2024",
            "first_seen: expected a date in double quotes",
        ),
        (
            "first_seen > \"2024-1-1\"",
            "expected a date \"YYYY-MM-DD\" or",
        ),
        (
            "first_seen > \"2023-02-29\"",
            "first_seen: \"2023-02-29\" is not a calendar date",
        ),
        (
            "first_seen > \"2024-01-01 12:60:00 +00:00\"",
            "\"12:60:00\" is not a time of day",
        ),
        (
            "first_seen > \"2024-01-01 12:00:00 +01:00\"",
            "time zone must be +00:00",
        ),
    ];
    for (s, want) in cases {
        let (field, msg) = refused(s);
        assert!(field.is_some(), "{s}");
        assert!(msg.contains(want), "{s}: got {msg:?}, want {want:?}");
    }
}

#[test]
fn lists_only_with_in_and_not_in() {
    assert_eq!(
        refused("rank in 5").1,
        "rank: 'in' needs a list of values, e.g. [10, 20]"
    );
    assert_eq!(
        refused("domain_from_country not_in \"US\"").1,
        "domain_from_country: 'not_in' needs a list of values, e.g. [\"US\", \"GB\"]"
    );
    assert_eq!(
        refused("rank = [1, 2]").1,
        "rank: '=' takes one value, not a list (use 'in' to match any of several values)"
    );
    assert_eq!(
        refused("rank in []").1,
        "rank: 'in' needs at least one value"
    );
    assert_eq!(
        refused("rank in [1, \"x\"]").1,
        "rank: expected a number, got \"x\""
    );
}

#[test]
fn regexes_must_compile_and_stay_under_the_limit() {
    let (field, msg) = refused("anchor regex \"(seo\"");
    assert_eq!(field.as_deref(), Some("anchor"));
    assert!(msg.starts_with("anchor: invalid regex: "), "{msg}");
    assert!(!msg.contains('\n'), "one line: {msg}");
    let long = format!("anchor not_regex \"{}\"", "a".repeat(1001));
    assert_eq!(
        refused(&long).1,
        "anchor: regex is 1001 characters long; the API allows at most 1000"
    );
    check(&format!("anchor regex \"{}\"", "a".repeat(1000))).unwrap();
}

#[test]
fn match_needs_a_word() {
    assert_eq!(
        refused("anchor match \" - \"").1,
        "anchor: 'match' needs at least one word"
    );
}

#[test]
fn at_most_eight_conditions_in_total() {
    let eight = ["rank > 1"; 8].join(" and ");
    check(&eight).unwrap();
    let nine = format!("({eight}) or rank < 0");
    assert_eq!(
        refused(&nine),
        (
            None,
            "the filter has 9 conditions; the API allows at most 8".into()
        )
    );
}

#[test]
fn empty_groups_are_refused() {
    let f = Filter::Group(backlinks::api::Group {
        logic: backlinks::api::Logic::And,
        items: vec![],
    });
    assert!(
        f.validate(Catalog::get())
            .unwrap_err()
            .message
            .contains("empty group")
    );
}

#[test]
fn operators_by_type_follow_the_reference() {
    let words = |ft| {
        ops_for(ft)
            .iter()
            .map(|o| o.as_str())
            .collect::<Vec<_>>()
            .join(" ")
    };
    assert_eq!(words(FilterType::Num), "= <> < <= > >= in not_in");
    assert_eq!(
        words(FilterType::Str),
        "= <> in not_in like not_like ilike not_ilike regex not_regex match not_match"
    );
    assert_eq!(words(FilterType::Bool), "= <>");
    assert_eq!(words(FilterType::Time), "= <> < <= > >=");
    assert_eq!(
        words(FilterType::ArrayStr),
        "has has_not = <> in not_in like not_like ilike not_ilike regex not_regex match not_match"
    );
}

#[test]
fn value_box_input_becomes_a_checked_value() {
    use FilterType::{ArrayStr, Bool, Num, Str, Time};
    let ok =
        |ft, op, text: &str| parse_value(ft, op, text).unwrap_or_else(|e| panic!("{text:?}: {e}"));
    let s = |x: &str| Value::Str(x.into());
    assert_eq!(ok(Num, Op::Gt, " 80 "), Value::Int(80));
    assert_eq!(ok(Num, Op::Gt, "0.5"), Value::Float(0.5));
    assert_eq!(ok(Bool, Op::Eq, "TRUE"), Value::Bool(true));
    assert_eq!(ok(Time, Op::Ge, "2024-01-01"), s("2024-01-01"));
    assert_eq!(ok(Str, Op::Like, "%seo tools%"), s("%seo tools%"));
    assert_eq!(
        ok(Str, Op::Eq, r#""say \"hi\"""#),
        s("say \"hi\""),
        "quoted is read as syntax"
    );
    assert_eq!(ok(ArrayStr, Op::Has, "nofollow"), s("nofollow"));
    assert_eq!(
        ok(Str, Op::In, "US, GB,"),
        Value::List(vec![s("US"), s("GB")])
    );
    assert_eq!(
        ok(Str, Op::NotIn, r#"["US", "G,B"]"#),
        Value::List(vec![s("US"), s("G,B")])
    );
    assert_eq!(
        ok(Num, Op::In, "1, 2.5"),
        Value::List(vec![Value::Int(1), Value::Float(2.5)])
    );

    let bad = |ft, op, text: &str| parse_value(ft, op, text).expect_err(text);
    assert_eq!(
        bad(Num, Op::Gt, "eighty"),
        "expected a number, got \"eighty\""
    );
    assert_eq!(bad(Num, Op::Gt, "NaN"), "expected a number, got \"NaN\"");
    assert_eq!(
        bad(Bool, Op::Eq, "maybe"),
        "expected true or false, got \"maybe\""
    );
    assert!(bad(Time, Op::Lt, "2024-02-30").contains("not a calendar date"));
    assert!(bad(Str, Op::Regex, "(").starts_with("invalid regex"));
    assert_eq!(bad(Str, Op::In, " , "), "'in' needs at least one value");
    assert_eq!(bad(Num, Op::In, "1, x"), "expected a number, got \"x\"");
    assert!(bad(Str, Op::In, r#"["US""#).contains("unclosed list"));
}
