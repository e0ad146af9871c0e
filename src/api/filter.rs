//! The filter language: one AST for the API's JSON form and our text syntax.
//!
//! - `wire`: API JSON ⇄ AST (reference §4.1);
//! - `text`: text syntax ⇄ AST (DESIGN.md §1), errors with positions;
//! - `validate`: checks against the field catalogue (types, operators, limits);
//! - `eval`: evaluation against one item (DESIGN.md §6), shared by the simulator and offline sets.

use std::fmt;

mod eval;
mod pattern;
mod text;
mod time;
mod validate;
mod wire;

pub use eval::CompiledFilter;
pub use text::ParseError;
pub use validate::{MAX_REGEX_LEN, ValidationError, ops_for, parse_value};
pub use wire::WireError;

/// A filter expression: a condition or a group of expressions joined by one logic word.
#[derive(Debug, Clone, PartialEq)]
pub enum Filter {
    Cond(Condition),
    Group(Group),
}

/// `field op value`.
#[derive(Debug, Clone, PartialEq)]
pub struct Condition {
    /// Catalogue name; dotted for `ranked_keywords_info.*`.
    pub field: String,
    pub op: Op,
    pub value: Value,
}

/// Expressions joined by one logic word. The AST never mixes `and` and `or` at one level.
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    pub logic: Logic,
    pub items: Vec<Filter>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Logic {
    And,
    Or,
}

/// A literal in a condition.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    /// For `in` / `not_in`.
    List(Vec<Value>),
}

/// Every operator of reference §4.2 plus `has`/`has_not` for arrays (DESIGN.md §6.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Op {
    Lt,
    Le,
    Gt,
    Ge,
    Eq,
    Ne,
    In,
    NotIn,
    Like,
    NotLike,
    Ilike,
    NotIlike,
    Regex,
    NotRegex,
    Match,
    NotMatch,
    Has,
    HasNot,
}

impl Op {
    pub const ALL: &'static [Op] = &[
        Op::Eq,
        Op::Ne,
        Op::Lt,
        Op::Le,
        Op::Gt,
        Op::Ge,
        Op::In,
        Op::NotIn,
        Op::Like,
        Op::NotLike,
        Op::Ilike,
        Op::NotIlike,
        Op::Regex,
        Op::NotRegex,
        Op::Match,
        Op::NotMatch,
        Op::Has,
        Op::HasNot,
    ];

    /// The operator as the API and the text syntax write it.
    pub fn as_str(self) -> &'static str {
        match self {
            Op::Lt => "<",
            Op::Le => "<=",
            Op::Gt => ">",
            Op::Ge => ">=",
            Op::Eq => "=",
            Op::Ne => "<>",
            Op::In => "in",
            Op::NotIn => "not_in",
            Op::Like => "like",
            Op::NotLike => "not_like",
            Op::Ilike => "ilike",
            Op::NotIlike => "not_ilike",
            Op::Regex => "regex",
            Op::NotRegex => "not_regex",
            Op::Match => "match",
            Op::NotMatch => "not_match",
            Op::Has => "has",
            Op::HasNot => "has_not",
        }
    }

    pub fn parse(s: &str) -> Option<Op> {
        Op::ALL.iter().copied().find(|o| o.as_str() == s)
    }

    /// The operator with the opposite meaning, if it has one (`=` ⇄ `<>`, `like` ⇄ `not_like`…).
    pub fn negated(self) -> Option<Op> {
        Some(match self {
            Op::Eq => Op::Ne,
            Op::Ne => Op::Eq,
            Op::In => Op::NotIn,
            Op::NotIn => Op::In,
            Op::Like => Op::NotLike,
            Op::NotLike => Op::Like,
            Op::Ilike => Op::NotIlike,
            Op::NotIlike => Op::Ilike,
            Op::Regex => Op::NotRegex,
            Op::NotRegex => Op::Regex,
            Op::Match => Op::NotMatch,
            Op::NotMatch => Op::Match,
            Op::Has => Op::HasNot,
            Op::HasNot => Op::Has,
            Op::Lt | Op::Le | Op::Gt | Op::Ge => return None,
        })
    }

    /// True for the negated forms (`<>`, `not_*`, `has_not`): null satisfies these.
    pub fn is_negative(self) -> bool {
        matches!(
            self,
            Op::Ne
                | Op::NotIn
                | Op::NotLike
                | Op::NotIlike
                | Op::NotRegex
                | Op::NotMatch
                | Op::HasNot
        )
    }
}

impl fmt::Display for Op {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Filter {
    /// Number of leaf conditions at any depth (the API allows 8).
    /// The first field it names that is not an API field ([`crate::api::fields::FieldSpec::local`]):
    /// such a filter runs on local rows only, never in a request.
    pub fn local_field(&self) -> Option<&str> {
        match self {
            Filter::Cond(c) => crate::api::fields::Catalog::get()
                .find(&c.field)
                .is_some_and(|f| f.local)
                .then_some(c.field.as_str()),
            Filter::Group(g) => g.items.iter().find_map(Filter::local_field),
        }
    }

    pub fn condition_count(&self) -> usize {
        match self {
            Filter::Cond(_) => 1,
            Filter::Group(g) => g.items.iter().map(Filter::condition_count).sum(),
        }
    }

    /// `self and other`, flattening into an existing `and` group (used by quick filters and
    /// presets, which add conditions and never replace the user's).
    #[must_use]
    pub fn and(self, other: Filter) -> Filter {
        match self {
            Filter::Group(mut g) if g.logic == Logic::And => {
                match other {
                    Filter::Group(o) if o.logic == Logic::And => g.items.extend(o.items),
                    o => g.items.push(o),
                }
                Filter::Group(g)
            }
            s => Filter::Group(Group {
                logic: Logic::And,
                items: vec![s, other],
            }),
        }
    }
}

impl Filter {
    /// The canonical shape of this expression: a group of one item becomes that item, and a group
    /// nested in a group of the same logic is merged into it (`a and (b and c)` = `a and b and c`).
    /// Both parsers return this shape and both printers write it, so round trips are stable.
    #[must_use]
    pub fn normalized(&self) -> Filter {
        match self {
            Filter::Cond(c) => Filter::Cond(c.clone()),
            Filter::Group(g) => {
                let mut items = Vec::with_capacity(g.items.len());
                for item in &g.items {
                    match item.normalized() {
                        Filter::Group(inner) if inner.logic == g.logic => items.extend(inner.items),
                        other => items.push(other),
                    }
                }
                if items.len() == 1 {
                    items.remove(0)
                } else {
                    Filter::Group(Group {
                        logic: g.logic,
                        items,
                    })
                }
            }
        }
    }
}

impl Logic {
    /// The word as the API and the text syntax write it.
    pub fn as_str(self) -> &'static str {
        match self {
            Logic::And => "and",
            Logic::Or => "or",
        }
    }
}

/// Builds `first l1 o1 l2 o2 …` where `and` binds tighter than `or` (DESIGN.md §6.2), as a
/// normalised tree that never mixes the two words at one level. Shared by both parsers.
fn join_operands(first: Filter, rest: Vec<(Logic, Filter)>) -> Filter {
    let mut or_terms: Vec<Filter> = Vec::new();
    let mut run = vec![first];
    let close = |run: Vec<Filter>| -> Filter {
        Filter::Group(Group {
            logic: Logic::And,
            items: run,
        })
    };
    for (logic, operand) in rest {
        match logic {
            Logic::And => run.push(operand),
            Logic::Or => or_terms.push(close(std::mem::replace(&mut run, vec![operand]))),
        }
    }
    or_terms.push(close(run));
    Filter::Group(Group {
        logic: Logic::Or,
        items: or_terms,
    })
    .normalized()
}
