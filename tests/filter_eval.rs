//! Evaluating filters against items (DESIGN.md §6): every operator on every field type,
//! nulls, arrays, nested fields, dates.

use backlinks::api::filter::CompiledFilter;
use backlinks::api::{Backlink, Envelope, Filter, Op};
use serde_json::json;

fn item(v: serde_json::Value) -> Backlink {
    serde_json::from_value(v).expect("item json")
}

fn compiled(s: &str) -> CompiledFilter {
    let f = Filter::parse(s).unwrap_or_else(|e| panic!("{s:?}: {e}"));
    CompiledFilter::new(&f).unwrap_or_else(|e| panic!("{s:?}: {e}"))
}

/// Asserts each filter's verdict on `it`.
fn expect(it: &Backlink, cases: &[(&str, bool)]) {
    for (s, want) in cases {
        assert_eq!(compiled(s).matches(it), *want, "{s}");
    }
}

#[test]
fn numbers_compare_numerically_across_int_float_and_numeric_strings() {
    let it = item(json!({"rank": 50}));
    expect(
        &it,
        &[
            ("rank > 49", true),
            ("rank > 50", false),
            ("rank >= 50", true),
            ("rank < 50", false),
            ("rank <= 50", true),
            ("rank = 50", true),
            ("rank = 50.0", true),
            ("rank > 49.5", true),
            ("rank < 50.5", true),
            ("rank <> 50", false),
            ("rank <> 51", true),
            ("rank > \"49\"", true),
            ("rank = \"50\"", true),
            ("rank = \"50.0\"", true),
            ("rank in [1, 50]", true),
            ("rank in [1, \"50\"]", true),
            ("rank in [1, 2]", false),
            ("rank not_in [50]", false),
            ("rank not_in [49, 51]", true),
        ],
    );
}

#[test]
fn strings_like_ilike_regex_match_and_equality() {
    let it = item(json!({"anchor": "Best SEO tools", "alt": "ÜBER Straße"}));
    expect(
        &it,
        &[
            ("anchor = \"Best SEO tools\"", true),
            ("anchor = \"best seo tools\"", false),
            ("anchor <> \"best seo tools\"", true),
            ("anchor in [\"x\", \"Best SEO tools\"]", true),
            ("anchor not_in [\"x\"]", true),
            ("anchor like \"%SEO%\"", true),
            ("anchor like \"%seo%\"", false),
            ("anchor like \"SEO\"", false),
            ("anchor like \"_est%\"", true),
            ("anchor like \"Best SEO tool_\"", true),
            ("anchor not_like \"%seo%\"", true),
            ("anchor ilike \"%seo%\"", true),
            ("anchor ilike \"best seo tools\"", true),
            ("anchor not_ilike \"%SEO%\"", false),
            ("alt ilike \"über%\"", true),
            ("alt ilike \"%STRASSE\"", false),
            ("anchor regex \"SEO\"", true),
            ("anchor regex \"seo\"", false),
            ("anchor regex \"(?i)seo\"", true),
            ("anchor regex \"^SEO\"", false),
            ("anchor not_regex \"^Best\"", false),
            ("anchor match \"seo\"", true),
            ("anchor match \"SEO Tools\"", true),
            ("anchor match \"tools seo\"", false),
            ("anchor match \"se\"", false),
            ("anchor not_match \"seo\"", false),
            ("alt match \"über\"", true),
        ],
    );
}

#[test]
fn booleans() {
    let it = item(json!({"dofollow": true, "is_broken": false}));
    expect(
        &it,
        &[
            ("dofollow = true", true),
            ("dofollow = false", false),
            ("dofollow <> false", true),
            ("is_broken = false", true),
            ("is_broken <> false", false),
        ],
    );
}

#[test]
fn times_compare_chronologically_and_a_bare_date_is_midnight() {
    let it = item(json!({
        "first_seen": "2024-01-01 00:00:00 +00:00",
        "last_seen": "2024-03-05 10:00:00 +00:00"
    }));
    expect(
        &it,
        &[
            ("first_seen = \"2024-01-01\"", true),
            ("first_seen <> \"2024-01-01\"", false),
            ("first_seen > \"2023-12-31\"", true),
            ("first_seen >= \"2024-01-01\"", true),
            ("first_seen > \"2024-01-01\"", false),
            ("first_seen < \"2024-01-01 00:00:01 +00:00\"", true),
            ("last_seen >= \"2024-03-05\"", true),
            ("last_seen <= \"2024-03-05\"", false),
            ("last_seen < \"2024-03-06\"", true),
            ("last_seen > \"2024-03-05 09:59:59 +00:00\"", true),
            ("last_seen = \"2024-03-05 10:00:00 +00:00\"", true),
            ("last_seen > \"2023-12-31 23:59:59 +00:00\"", true),
        ],
    );
}

#[test]
fn arrays_contain_and_string_operators_match_any_element() {
    let it = item(json!({"attributes": ["nofollow", "sponsored"]}));
    expect(
        &it,
        &[
            ("attributes = \"nofollow\"", true),
            ("attributes has \"nofollow\"", true),
            ("attributes = \"ugc\"", false),
            ("attributes <> \"nofollow\"", false),
            ("attributes has_not \"nofollow\"", false),
            ("attributes has_not \"ugc\"", true),
            ("attributes in [\"ugc\", \"sponsored\"]", true),
            ("attributes in [\"ugc\"]", false),
            ("attributes not_in [\"ugc\"]", true),
            ("attributes not_in [\"ugc\", \"sponsored\"]", false),
            ("attributes like \"spon%\"", true),
            ("attributes not_like \"spon%\"", false),
            ("attributes ilike \"NOFOLLOW\"", true),
            ("attributes regex \"^ugc$\"", false),
            ("attributes not_regex \"^ugc$\"", true),
            ("attributes match \"sponsored\"", true),
        ],
    );
    let platform = item(json!({"domain_from_platform_type": ["cms", "blogs"]}));
    expect(
        &platform,
        &[
            ("domain_from_platform_type has \"blogs\"", true),
            ("domain_from_platform_type = \"cms\"", true),
        ],
    );
}

#[test]
fn an_empty_array_is_like_no_element_matching() {
    let it = item(json!({"attributes": []}));
    for op in [Op::Eq, Op::Has, Op::Like, Op::Ilike, Op::Regex, Op::Match] {
        let s = format!("attributes {op} \"x\"");
        assert!(!compiled(&s).matches(&it), "{s}");
        let neg = format!("attributes {} \"x\"", op.negated().unwrap());
        assert!(compiled(&neg).matches(&it), "{neg}");
    }
    assert!(!compiled("attributes in [\"x\"]").matches(&it));
    assert!(compiled("attributes not_in [\"x\"]").matches(&it));
}

#[test]
fn null_fails_every_positive_operator_and_passes_every_negated_one() {
    let empty = item(json!({}));
    let cases: &[(&str, &[Op], &str)] = &[
        (
            "rank",
            &[Op::Eq, Op::Ne, Op::Lt, Op::Le, Op::Gt, Op::Ge],
            "5",
        ),
        ("rank", &[Op::In, Op::NotIn], "[5]"),
        (
            "anchor",
            &[
                Op::Eq,
                Op::Ne,
                Op::Like,
                Op::NotLike,
                Op::Ilike,
                Op::NotIlike,
            ],
            "\"x\"",
        ),
        (
            "anchor",
            &[Op::Regex, Op::NotRegex, Op::Match, Op::NotMatch],
            "\"x\"",
        ),
        ("anchor", &[Op::In, Op::NotIn], "[\"x\"]"),
        ("dofollow", &[Op::Eq, Op::Ne], "true"),
        (
            "first_seen",
            &[Op::Eq, Op::Ne, Op::Lt, Op::Gt],
            "\"2024-01-01\"",
        ),
        (
            "attributes",
            &[Op::Has, Op::HasNot, Op::Eq, Op::Ne],
            "\"x\"",
        ),
    ];
    for (field, ops, value) in cases {
        for op in *ops {
            let s = format!("{field} {op} {value}");
            assert_eq!(
                compiled(&s).matches(&empty),
                op.is_negative(),
                "{s} on null"
            );
        }
    }
}

#[test]
fn nested_ranked_keywords_fields() {
    let with = item(json!({"ranked_keywords_info": {
        "page_from_keywords_count_top_3": 2,
        "page_from_keywords_count_top_10": 7,
        "page_from_keywords_count_top_100": null
    }}));
    let without = item(json!({}));
    let p = "ranked_keywords_info.page_from_keywords_count_top_";
    for (s, on_with, on_without) in [
        (format!("{p}3 >= 2"), true, false),
        (format!("{p}10 > 7"), false, false),
        (format!("{p}10 <> 7"), false, true),
        (format!("{p}100 > 0"), false, false),
        (format!("{p}100 not_in [1]"), true, true),
    ] {
        let c = compiled(&s);
        assert_eq!(c.matches(&with), on_with, "{s}");
        assert_eq!(c.matches(&without), on_without, "{s} without the object");
    }
}

#[test]
fn groups_combine_with_and_binding_tighter() {
    let it = item(json!({"rank": 10, "dofollow": false, "anchor": "seo"}));
    expect(
        &it,
        &[
            ("rank > 5 and dofollow = true", false),
            ("rank > 5 or dofollow = true", true),
            ("dofollow = true and rank > 50 or anchor = \"seo\"", true),
            ("dofollow = true and (rank > 50 or anchor = \"seo\")", false),
            ("anchor = \"seo\" or rank > 50 and dofollow = true", true),
            ("(anchor = \"seo\" or rank > 50) and dofollow = true", false),
        ],
    );
}

#[test]
fn design_example_over_the_documented_response() {
    let env: Envelope = serde_json::from_str(include_str!(
        "fixtures/backlinks_live_example_response.json"
    ))
    .unwrap();
    let items = env.first_result().unwrap().items.as_ref().unwrap();
    let f = compiled(
        r#"dofollow = true and rank >= 700 and (anchor ilike "%forbes%" or domain_from_platform_type has "cms")"#,
    );
    let hand = |b: &Backlink| {
        b.dofollow == Some(true)
            && b.rank.is_some_and(|r| r >= 700)
            && (b
                .anchor
                .as_deref()
                .is_some_and(|a| a.to_lowercase().contains("forbes"))
                || b.domain_from_platform_type
                    .as_ref()
                    .is_some_and(|p| p.iter().any(|x| x == "cms")))
    };
    let got: Vec<bool> = items.iter().map(|b| f.matches(b)).collect();
    let want: Vec<bool> = items.iter().map(hand).collect();
    assert_eq!(got, want);
    assert_eq!(
        got,
        [false, true, true, false, false],
        "the fixture's known answer"
    );
}

#[test]
fn compiling_refuses_what_evaluation_cannot_use() {
    let err = |s: &str| {
        CompiledFilter::new(&Filter::parse(s).unwrap())
            .expect_err(s)
            .message
    };
    assert_eq!(err("nope = 1"), "unknown field 'nope'");
    assert_eq!(err("rank in 5"), "'in' needs a list of values");
    assert_eq!(err("rank = [1]"), "'=' takes one value, not a list");
    assert!(err("anchor regex \"(\"").contains("invalid regex"));
    assert_eq!(err("anchor like 5"), "'like' needs text in double quotes");
}

#[test]
fn a_compiled_filter_can_be_shared_across_threads() {
    fn shareable<T: Send + Sync + Clone>(_: &T) {}
    let f = compiled(r#"anchor regex "seo" and anchor match "tools""#);
    shareable(&f);
    let it = item(json!({"anchor": "seo tools"}));
    let copy = f.clone();
    assert!(
        std::thread::spawn(move || copy.matches(&it))
            .join()
            .unwrap()
    );
}
