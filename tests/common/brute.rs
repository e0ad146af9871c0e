//! A deliberately naive reference of the simulator's query semantics: clone everything, filter
//! with the shared evaluator, group with maps, sort with one comparator. Tests compare the
//! server's pages with its output.

use std::cmp::Ordering;
use std::collections::HashMap;

use backlinks::api::fields::FieldRef;
use backlinks::api::filter::{CompiledFilter, Filter};
use backlinks::api::response::Backlink;
use backlinks::sim::dataset::Target;
use serde_json::Value;

fn opt_bool(task: &Value, key: &str, default: bool) -> bool {
    task.get(key).and_then(Value::as_bool).unwrap_or(default)
}

fn scale(item: &mut Backlink) {
    for r in [
        &mut item.rank,
        &mut item.page_from_rank,
        &mut item.domain_from_rank,
    ] {
        *r = r.map(|v| (v as f64 / 10.0).round() as i64);
    }
}

/// Target rules are the dataset's (`Target::matches`, `Target::is_internal`): the engine must
/// apply them to exactly these links.
fn in_scope(task: &Value, b: &Backlink) -> bool {
    let target = Target::parse(task["target"].as_str().expect("target"));
    let status = task
        .get("backlinks_status_type")
        .and_then(Value::as_str)
        .unwrap_or("live");
    let lost = b.is_lost == Some(true);
    let status_ok = match status {
        "live" => !lost,
        "lost" => lost,
        _ => true,
    };
    let internal = b
        .domain_from
        .as_deref()
        .is_some_and(|d| target.is_internal(d));
    status_ok
        && target.matches(b, opt_bool(task, "include_subdomains", true))
        && !(opt_bool(task, "exclude_internal_backlinks", true) && internal)
        && (opt_bool(task, "include_indirect_links", true) || b.is_indirect_link != Some(true))
}

fn cmp_field(a: FieldRef<'_>, b: FieldRef<'_>, desc: bool) -> Ordering {
    let o = match (a, b) {
        (FieldRef::Null, FieldRef::Null) => return Ordering::Equal,
        (FieldRef::Null, _) => return Ordering::Greater,
        (_, FieldRef::Null) => return Ordering::Less,
        (FieldRef::Int(x), FieldRef::Int(y)) => x.cmp(&y),
        (FieldRef::Bool(x), FieldRef::Bool(y)) => x.cmp(&y),
        (FieldRef::Str(x), FieldRef::Str(y)) => x.cmp(y),
        other => panic!("cannot sort {other:?}"),
    };
    if desc { o.reverse() } else { o }
}

/// The sort rules in force, `url_from asc` last.
pub fn rules(task: &Value) -> Vec<(String, bool)> {
    let mut rules: Vec<(String, bool)> = match task.get("order_by").and_then(Value::as_array) {
        Some(r) if !r.is_empty() => r
            .iter()
            .map(|s| {
                let (f, d) = s.as_str().unwrap().split_once(',').unwrap();
                (f.to_owned(), d == "desc")
            })
            .collect(),
        _ => vec![("rank".into(), true), ("last_seen".into(), true)],
    };
    rules.push(("url_from".into(), false));
    rules
}

/// Compares two returned items under `rules`.
pub fn compare(rules: &[(String, bool)], a: &Backlink, b: &Backlink) -> Ordering {
    rules
        .iter()
        .map(|(f, desc)| cmp_field(a.field(f), b.field(f), *desc))
        .find(|o| o.is_ne())
        .unwrap_or(Ordering::Equal)
}

fn group_field(task: &Value) -> Option<(String, usize)> {
    if let Some(c) = task.get("custom_mode").filter(|c| !c.is_null()) {
        return Some((
            c["field"].as_str().unwrap().to_owned(),
            c["value"].as_u64().unwrap() as usize,
        ));
    }
    match task.get("mode").and_then(Value::as_str).unwrap_or("as_is") {
        "one_per_domain" => Some(("domain_from".into(), 1)),
        "one_per_anchor" => Some(("anchor".into(), 1)),
        _ => None,
    }
}

fn group_key(b: &Backlink, field: &str) -> String {
    format!("{:?}", b.field(field))
}

/// Every row the task can return, in order, exactly as the API should show them.
pub fn expected(profile: &[Backlink], task: &Value) -> Vec<Backlink> {
    let hundred = task.get("rank_scale").and_then(Value::as_str) == Some("one_hundred");
    let filter = task
        .get("filters")
        .filter(|f| !f.is_null())
        .map(|f| CompiledFilter::new(&Filter::from_wire(f).unwrap()).unwrap());
    let passing: Vec<&Backlink> = profile
        .iter()
        .filter(|b| in_scope(task, b))
        .filter(|b| {
            let mut shown = (*b).clone();
            if hundred {
                scale(&mut shown);
            }
            filter.as_ref().is_none_or(|f| f.matches(&shown))
        })
        .collect();

    // One row per page: highest rank, then latest last_seen, then first stored.
    let mut pages: Vec<(Backlink, i64)> = Vec::new();
    let mut slot: HashMap<Option<String>, usize> = HashMap::new();
    for b in passing {
        if let Some(&i) = slot.get(&b.url_from) {
            let (best, n) = &mut pages[i];
            *n += 1;
            if (b.rank, b.last_seen.as_deref()) > (best.rank, best.last_seen.as_deref()) {
                *best = b.clone();
            }
        } else {
            slot.insert(b.url_from.clone(), pages.len());
            pages.push((b.clone(), 1));
        }
    }
    let grouping = group_field(task);
    let mut sizes: HashMap<String, i64> = HashMap::new();
    if let Some((f, _)) = &grouping {
        for (b, _) in &pages {
            *sizes.entry(group_key(b, f)).or_default() += 1;
        }
    }
    let mut rows: Vec<Backlink> = pages
        .into_iter()
        .map(|(mut b, n)| {
            b.links_count = Some(n);
            b.group_count = Some(
                grouping
                    .as_ref()
                    .map_or(0, |(f, _)| sizes[&group_key(&b, f)]),
            );
            if hundred {
                scale(&mut b);
            }
            b
        })
        .collect();
    let rules = rules(task);
    rows.sort_by(|a, b| compare(&rules, a, b));
    if let Some((f, cap)) = grouping {
        let mut taken: HashMap<String, usize> = HashMap::new();
        rows.retain(|b| {
            let n = taken.entry(group_key(b, &f)).or_default();
            *n += 1;
            *n <= cap
        });
    }
    rows
}

/// `expected` as JSON values, for comparing with the wire.
pub fn expected_json(profile: &[Backlink], task: &Value) -> Vec<Value> {
    expected(profile, task)
        .iter()
        .map(|b| serde_json::to_value(b).unwrap())
        .collect()
}
