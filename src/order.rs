//! How the API orders rows, shared by the simulator (which answers queries) and the explorer
//! (which re-sorts a complete result locally), so both give the same order by construction.
//!
//! Decisions (reference §5, DESIGN.md §6.12): `null` sorts last in both directions; strings
//! compare by bytes (case-sensitive); `false < true`; dates compare as text, which is
//! chronological for the API's fixed `YYYY-MM-DD HH:MM:SS +00:00` format; the user's rules (or
//! the default `rank desc, last_seen desc`) end in `url_from asc`, so the order is total.

pub mod packed;

use std::cmp::Ordering;

use crate::api::fields::FieldRef;
use crate::api::request::{OrderBy, SortDir};

/// The rules actually applied: the user's (or the default `rank desc, last_seen desc`), then
/// `url_from asc`.
pub fn effective_order(order_by: &[OrderBy]) -> Vec<OrderBy> {
    let mut rules = if order_by.is_empty() {
        vec![
            OrderBy::new("rank", SortDir::Desc),
            OrderBy::new("last_seen", SortDir::Desc),
        ]
    } else {
        order_by.to_vec()
    };
    rules.push(OrderBy::new("url_from", SortDir::Asc));
    rules
}

/// How rows equal on every rule the user gave are ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ties {
    /// By `url_from`, as the server orders them: a query's loaded rows sorted locally come
    /// out as the server would send them.
    Server,
    /// As they were before the sort (a file's own order), as a spreadsheet's sort keeps them.
    Kept,
}

/// The rules applied for `ties`: [`effective_order`], without its closing `url_from` rule
/// when ties keep their order.
pub fn effective_order_for(order_by: &[OrderBy], ties: Ties) -> Vec<OrderBy> {
    let mut rules = effective_order(order_by);
    if ties == Ties::Kept {
        rules.pop();
    }
    rules
}

/// One sort value of a row (or of a decoded token).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortVal<'a> {
    Null,
    Bool(bool),
    Int(i64),
    Str(&'a str),
}

impl<'a> SortVal<'a> {
    /// A field's value as a sort value; lists and nested objects count as `null`.
    pub fn of_field(f: FieldRef<'a>) -> SortVal<'a> {
        match f {
            FieldRef::Bool(b) => SortVal::Bool(b),
            FieldRef::Int(i) => SortVal::Int(i),
            FieldRef::Str(s) => SortVal::Str(s),
            FieldRef::Null | FieldRef::Strs(_) | FieldRef::Nested => SortVal::Null,
        }
    }

    fn kind(self) -> u8 {
        match self {
            SortVal::Bool(_) => 0,
            SortVal::Int(_) => 1,
            SortVal::Str(_) => 2,
            SortVal::Null => 3,
        }
    }

    /// Ascending order of two values of one field.
    fn cmp_asc(self, other: Self) -> Ordering {
        match (self, other) {
            (SortVal::Bool(a), SortVal::Bool(b)) => a.cmp(&b),
            (SortVal::Int(a), SortVal::Int(b)) => a.cmp(&b),
            (SortVal::Str(a), SortVal::Str(b)) => a.as_bytes().cmp(b.as_bytes()),
            (a, b) => a.kind().cmp(&b.kind()),
        }
    }
}

/// Compares two rows' values rule by rule (nulls last in both directions); the shorter
/// slice's missing values do not count.
pub fn compare_values(a: &[SortVal<'_>], b: &[SortVal<'_>], dirs: &[SortDir]) -> Ordering {
    for ((x, y), dir) in a.iter().zip(b).zip(dirs) {
        let o = match (x, y) {
            (SortVal::Null, SortVal::Null) => Ordering::Equal,
            (SortVal::Null, _) => Ordering::Greater,
            (_, SortVal::Null) => Ordering::Less,
            _ if *dir == SortDir::Desc => y.cmp_asc(*x),
            _ => x.cmp_asc(*y),
        };
        if o != Ordering::Equal {
            return o;
        }
    }
    Ordering::Equal
}
