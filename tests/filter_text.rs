//! The text syntax of filters (DESIGN.md §1) ⇄ AST, and its error positions.

use backlinks::api::{Condition, Filter, Logic, Op, Value};
use serde_json::json;

fn parse(s: &str) -> Filter {
    Filter::parse(s).unwrap_or_else(|e| panic!("{s:?} should parse: {e}"))
}

/// Parses, prints, and checks the printed form is canonical (prints the same after reparsing).
fn canon(s: &str) -> String {
    let printed = parse(s).to_string();
    assert_eq!(
        parse(&printed).to_string(),
        printed,
        "canonical form is stable"
    );
    printed
}

fn err(s: &str) -> String {
    Filter::parse(s)
        .expect_err(&format!("{s:?} should fail"))
        .to_string()
}

#[test]
fn design_examples_print_back_identically() {
    for s in [
        r#"dofollow = true and rank >= 100 and (anchor ilike "%seo%" or text_pre match "seo")"#,
        r#"domain_from_country in ["US", "GB"] and first_seen > "2024-01-01 00:00:00 +00:00""#,
    ] {
        assert_eq!(canon(s), s);
    }
}

#[test]
fn text_and_wire_forms_read_to_the_same_tree() {
    let text = parse(
        r#"first_seen > "2017-10-23 11:31:45 +00:00" and (anchor like "%seo%" or text_pre like "%seo%")"#,
    );
    let wire = json!([
        ["first_seen", ">", "2017-10-23 11:31:45 +00:00"],
        "and",
        [
            ["anchor", "like", "%seo%"],
            "or",
            ["text_pre", "like", "%seo%"]
        ]
    ]);
    assert_eq!(text, Filter::from_wire(&wire).unwrap());
    assert_eq!(
        parse(&wire.to_string()),
        text,
        "JSON accepted as the whole input"
    );
}

#[test]
fn and_binds_tighter_than_or() {
    let f = parse("rank > 1 or rank > 2 and rank > 3");
    let Filter::Group(g) = &f else { panic!() };
    assert_eq!(g.logic, Logic::Or);
    assert_eq!(g.items.len(), 2);
    assert_eq!(
        f.to_string(),
        "rank > 1 or rank > 2 and rank > 3",
        "no brackets needed"
    );
    assert_eq!(
        canon("(rank > 1 or rank > 2) and rank > 3"),
        "(rank > 1 or rank > 2) and rank > 3"
    );
    assert_eq!(
        canon("rank > 1 or (rank > 2 and rank > 3)"),
        "rank > 1 or rank > 2 and rank > 3"
    );
    assert_eq!(canon("((rank > 1))"), "rank > 1");
    assert_eq!(
        canon("rank > 1 and (rank > 2 and rank > 3)"),
        "rank > 1 and rank > 2 and rank > 3"
    );
}

#[test]
fn words_are_case_insensitive_and_printed_lowercase() {
    assert_eq!(
        canon(r#"Dofollow = TRUE AND anchor NOT_LIKE "x" Or rank IN [1]"#),
        r#"Dofollow = true and anchor not_like "x" or rank in [1]"#
    );
    assert_eq!(canon("rank != 5"), "rank <> 5", "!= is an alias of <>");
}

#[test]
fn every_operator_reads_and_prints() {
    for op in Op::ALL {
        let s = format!("anchor {op} \"x\"");
        let f = parse(&s);
        assert!(matches!(&f, Filter::Cond(Condition { op: o, .. }) if o == op));
        assert_eq!(f.to_string(), s);
    }
}

#[test]
fn values_of_every_kind() {
    let value = |s: &str| match parse(&format!("f = {s}")) {
        Filter::Cond(c) => c.value,
        Filter::Group(_) => panic!(),
    };
    assert_eq!(value("80"), Value::Int(80));
    assert_eq!(value("-3"), Value::Int(-3));
    assert_eq!(value("2.5"), Value::Float(2.5));
    assert_eq!(value("-0.5e3"), Value::Float(-500.0));
    assert_eq!(value("1E2"), Value::Float(100.0));
    assert_eq!(
        value("99999999999999999999"),
        Value::Float(1e20),
        "too big for i64"
    );
    assert_eq!(value("false"), Value::Bool(false));
    assert_eq!(
        value(r#""80""#),
        Value::Str("80".into()),
        "quoted stays text"
    );
    assert_eq!(
        value(r#""a\"b\\c\nd\te\u{e9}\u{1F600}""#),
        Value::Str("a\"b\\c\nd\teé😀".into())
    );
    assert_eq!(value("[]"), Value::List(vec![]));
    assert_eq!(
        value(r#"[1, "a", true, 0.5]"#),
        Value::List(vec![
            Value::Int(1),
            Value::Str("a".into()),
            Value::Bool(true),
            Value::Float(0.5)
        ])
    );
    assert_eq!(
        parse("ranked_keywords_info.page_from_keywords_count_top_3 >= 2").to_string(),
        "ranked_keywords_info.page_from_keywords_count_top_3 >= 2"
    );
}

#[test]
fn printing_escapes_what_needs_it_and_floats_stay_floats() {
    let f = Filter::Cond(Condition {
        field: "anchor".into(),
        op: Op::Eq,
        value: Value::Str("say \"hi\"\\\n\t\u{7}é".into()),
    });
    assert_eq!(f.to_string(), r#"anchor = "say \"hi\"\\\n\t\u{7}é""#);
    assert_eq!(parse(&f.to_string()), f);
    let g = Filter::Cond(Condition {
        field: "rank".into(),
        op: Op::Gt,
        value: Value::Float(80.0),
    });
    assert_eq!(g.to_string(), "rank > 80.0");
    assert_eq!(parse("rank > 80.0"), g);
}

#[test]
fn missing_value_points_past_the_end() {
    assert_eq!(err("rank >"), "expected a value after 'rank >' at column 8");
    assert_eq!(
        err("rank > "),
        "expected a value after 'rank >' at column 8"
    );
    let e = Filter::parse("rank >").unwrap_err();
    assert_eq!(
        (e.column, e.message.as_str()),
        (8, "expected a value after 'rank >'")
    );
    assert_eq!(
        err("dofollow = true and rank >= )"),
        "expected a value after 'rank >=' at column 29"
    );
}

#[test]
fn errors_name_the_position_and_what_was_expected() {
    let cases = [
        (
            "",
            "empty expression: expected a condition like rank > 80 at column 1",
        ),
        (
            "   ",
            "empty expression: expected a condition like rank > 80 at column 4",
        ),
        ("rank", "expected an operator after 'rank' at column 5"),
        (
            "rank ~ 5",
            "unknown operator '~' after 'rank'; expected one of",
        ),
        ("rank == 5", "unknown operator '==' after 'rank'"),
        (
            "anchor not like \"x\"",
            "unknown operator 'not like': did you mean 'not_like'? at column 8",
        ),
        (
            "anchor contains \"x\"",
            "unknown operator 'contains' after 'anchor'",
        ),
        (
            "(rank > 5",
            "unclosed parenthesis opened at column 1: expected ')' at column 10",
        ),
        (
            "rank > 5)",
            "unexpected ')' without a matching '(' at column 9",
        ),
        (
            "anchor = \"seo",
            "unclosed string: expected a closing '\"' at column 10",
        ),
        (
            "x in [\"a\", \"b\"",
            "unclosed list opened at column 6: expected ',' or ']' at column 15",
        ),
        (
            "x in [\"a\" \"b\"]",
            "expected ',' or ']' in the list, found '\"b\"' at column 11",
        ),
        ("x in [[1]]", "lists cannot be nested at column 7"),
        (
            "rank > 5 dofollow = true",
            "expected 'and' or 'or', found 'dofollow' at column 10",
        ),
        (
            "rank > 5 and",
            "expected a condition or '(' after 'and' at column 13",
        ),
        (
            "rank > 5 and or x = 1",
            "expected a condition or '(' after 'and', found 'or' at column 14",
        ),
        (
            "(rank > 5 x",
            "expected 'and', 'or' or ')', found 'x' at column 11",
        ),
        (
            "dofollow = yes",
            "expected true or false after 'dofollow =', got 'yes' at column 12",
        ),
        (
            "rank > high",
            "expected a number after 'rank >', got 'high' at column 8",
        ),
        (
            "country = US",
            "expected a value after 'country =' (put text in double quotes: \"US\") at column 11",
        ),
        ("anchor = \"a\\qb\"", "unknown escape '\\q' in string"),
        (
            "anchor = \"\\u{110000}\"",
            "is not a unicode character at column 11",
        ),
        (
            "rank > 12abc",
            "unexpected 'a' in number '12'; text values go in double quotes at column 10",
        ),
        ("rank > -", "expected a digit after '-' at column 9"),
        ("rank > 1.", "expected a digit after '.' at column 10"),
        ("rank > 1e999", "number '1e999' is out of range at column 8"),
        ("rank.. > 1", "invalid field name 'rank..'"),
        ("rank > 5 @", "unexpected character '@' at column 10"),
        (
            "[\"rank\", \">\"]",
            "condition must have 3 elements: field, operator, value (got 2) at column 1",
        ),
        ("[\"rank\", \">\" 5]", "invalid JSON filter"),
    ];
    for (input, want) in cases {
        let got = err(input);
        assert!(got.contains(want), "{input:?}: got {got:?}, want {want:?}");
    }
}

#[test]
fn json_syntax_errors_report_the_json_column() {
    let e = Filter::parse(r#"["rank", ">" 5]"#).unwrap_err();
    assert_eq!(e.column, 14);
    let e = Filter::parse("[\"é\", \">\",\n 5 x]").unwrap_err();
    assert_eq!(e.column, 15, "characters counted across lines");
}

#[test]
fn columns_count_characters_not_bytes() {
    let e = Filter::parse("anchor = \"é\" and ü").unwrap_err();
    assert_eq!(e.column, 18);
}
