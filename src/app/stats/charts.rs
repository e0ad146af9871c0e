//! The charts of the statistics view, computed from an [`Aggregate`], and the filter each bar
//! stands for.

use crate::api::filter::{Condition, Filter, Op, Value};

use super::agg::{Aggregate, Counter, RANK_BUCKETS, RANK_STEP, month_label};

/// Bars of a top-N chart.
pub const TOP: usize = 10;
/// Months shown in the new-links chart (the latest ones).
pub const MONTHS: usize = 24;

/// One chart of the view.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChartKind {
    Follow,
    ItemTypes,
    Domains,
    Anchors,
    DomainRank,
    Months,
    Countries,
    Tlds,
    Languages,
    Platforms,
}

impl ChartKind {
    /// The charts, in tab order.
    pub const ALL: &'static [ChartKind] = &[
        ChartKind::Follow,
        ChartKind::ItemTypes,
        ChartKind::Domains,
        ChartKind::Anchors,
        ChartKind::DomainRank,
        ChartKind::Months,
        ChartKind::Countries,
        ChartKind::Tlds,
        ChartKind::Languages,
        ChartKind::Platforms,
    ];

    /// The tab label.
    pub fn label(self) -> &'static str {
        match self {
            ChartKind::Follow => "follow",
            ChartKind::ItemTypes => "types",
            ChartKind::Domains => "domains",
            ChartKind::Anchors => "anchors",
            ChartKind::DomainRank => "domain rank",
            ChartKind::Months => "new by month",
            ChartKind::Countries => "countries",
            ChartKind::Tlds => "TLDs",
            ChartKind::Languages => "languages",
            ChartKind::Platforms => "platforms",
        }
    }

    /// The chart's title.
    pub fn title(self) -> &'static str {
        match self {
            ChartKind::Follow => "dofollow vs nofollow",
            ChartKind::ItemTypes => "link types (item_type)",
            ChartKind::Domains => "top 10 referring domains (domain_from)",
            ChartKind::Anchors => "top 10 anchors",
            ChartKind::DomainRank => "domain_from_rank histogram",
            ChartKind::Months => "new links per month (first_seen)",
            ChartKind::Countries => "countries (domain_from_country)",
            ChartKind::Tlds => "top-level domains (tld_from)",
            ChartKind::Languages => "page languages (page_from_language)",
            ChartKind::Platforms => "platform types (domain_from_platform_type)",
        }
    }

    /// Bars run across (labels on the left) rather than up.
    pub fn horizontal(self) -> bool {
        !matches!(self, ChartKind::DomainRank | ChartKind::Months)
    }
}

/// What a bar counts, from which its filter is made.
#[derive(Debug, Clone, PartialEq)]
pub enum BarKey {
    Bool(bool),
    Text(String),
    /// `domain_from_rank` from `lo` (inclusive) to `hi` (exclusive; `None`: no upper end).
    Rank {
        lo: i64,
        hi: Option<i64>,
    },
    Month(u32),
}

/// One bar.
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    pub label: String,
    pub value: u64,
    pub key: BarKey,
}

/// One chart's bars, and the rows it could not place.
#[derive(Debug, Clone, PartialEq)]
pub struct ChartData {
    pub kind: ChartKind,
    pub bars: Vec<Bar>,
    /// Rows without a value for the field.
    pub missing: u64,
    /// Distinct values (for top-N charts: how many were left out).
    pub distinct: usize,
}

fn top(kind: ChartKind, c: &Counter, n: usize) -> ChartData {
    ChartData {
        kind,
        bars: c
            .top(n)
            .into_iter()
            .map(|(v, count)| Bar {
                label: if v.is_empty() {
                    "(empty)".into()
                } else {
                    v.clone()
                },
                value: count,
                key: BarKey::Text(v),
            })
            .collect(),
        missing: c.none,
        distinct: c.distinct(),
    }
}

/// The chart `kind` of `agg`.
pub fn chart(agg: &Aggregate, kind: ChartKind) -> ChartData {
    match kind {
        ChartKind::Follow => ChartData {
            kind,
            bars: vec![
                Bar {
                    label: "dofollow".into(),
                    value: agg.dofollow,
                    key: BarKey::Bool(true),
                },
                Bar {
                    label: "nofollow".into(),
                    value: agg.nofollow,
                    key: BarKey::Bool(false),
                },
            ],
            missing: agg.rows - agg.dofollow - agg.nofollow,
            distinct: 2,
        },
        ChartKind::ItemTypes => top(kind, &agg.item_types, TOP),
        ChartKind::Domains => top(kind, &agg.domains, TOP),
        ChartKind::Anchors => top(kind, &agg.anchors, TOP),
        ChartKind::Countries => top(kind, &agg.countries, TOP),
        ChartKind::Tlds => top(kind, &agg.tlds, TOP),
        ChartKind::Languages => top(kind, &agg.languages, TOP),
        ChartKind::Platforms => top(kind, &agg.platforms, TOP),
        ChartKind::DomainRank => ChartData {
            kind,
            bars: (0..RANK_BUCKETS)
                .map(|b| {
                    let lo = b as i64 * RANK_STEP;
                    let last = b + 1 == RANK_BUCKETS;
                    Bar {
                        label: if last {
                            format!("{lo}+")
                        } else {
                            lo.to_string()
                        },
                        value: agg.rank_buckets[b],
                        key: BarKey::Rank {
                            lo,
                            hi: (!last).then_some(lo + RANK_STEP),
                        },
                    }
                })
                .collect(),
            missing: agg.rank_none,
            distinct: RANK_BUCKETS,
        },
        ChartKind::Months => {
            let dated: u64 = agg.months.values().sum();
            let skip = agg.months.len().saturating_sub(MONTHS);
            ChartData {
                kind,
                bars: agg
                    .months
                    .iter()
                    .skip(skip)
                    .map(|(m, n)| Bar {
                        label: month_label(*m),
                        value: *n,
                        key: BarKey::Month(*m),
                    })
                    .collect(),
                missing: agg.rows - dated,
                distinct: agg.months.len(),
            }
        }
    }
}

fn cond(field: &str, op: Op, value: Value) -> Filter {
    Filter::Cond(Condition {
        field: field.to_owned(),
        op,
        value,
    })
}

/// `YYYY-MM-01 00:00:00 +00:00` of a month key.
fn month_start(key: u32) -> String {
    format!("{}-01 00:00:00 +00:00", month_label(key))
}

/// The filter that keeps the rows of a bar.
pub fn bar_filter(kind: ChartKind, key: &BarKey) -> Option<Filter> {
    let text = |field: &str, s: &str| cond(field, Op::Eq, Value::Str(s.to_owned()));
    Some(match (kind, key) {
        (ChartKind::Follow, BarKey::Bool(b)) => cond("dofollow", Op::Eq, Value::Bool(*b)),
        (ChartKind::ItemTypes, BarKey::Text(s)) => text("item_type", s),
        (ChartKind::Domains, BarKey::Text(s)) => text("domain_from", s),
        (ChartKind::Anchors, BarKey::Text(s)) => text("anchor", s),
        (ChartKind::Countries, BarKey::Text(s)) => text("domain_from_country", s),
        (ChartKind::Tlds, BarKey::Text(s)) => text("tld_from", s),
        (ChartKind::Languages, BarKey::Text(s)) => text("page_from_language", s),
        (ChartKind::Platforms, BarKey::Text(s)) => {
            cond("domain_from_platform_type", Op::Has, Value::Str(s.clone()))
        }
        (ChartKind::DomainRank, BarKey::Rank { lo, hi }) => {
            let low = cond("domain_from_rank", Op::Ge, Value::Int(*lo));
            match hi {
                Some(hi) => low.and(cond("domain_from_rank", Op::Lt, Value::Int(*hi))),
                None => low,
            }
        }
        (ChartKind::Months, BarKey::Month(m)) => cond(
            "first_seen",
            Op::Ge,
            Value::Str(month_start(*m)),
        )
        .and(cond("first_seen", Op::Lt, Value::Str(month_start(m + 1)))),
        _ => return None,
    })
}
