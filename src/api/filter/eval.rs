//! Evaluation against one item (DESIGN.md §6), shared by the simulator and offline sets.
//!
//! Each condition is compiled once: its field resolved to a catalogue name, numeric strings
//! turned into numbers, dates kept for chronological comparison, patterns and regexes built.
//! A negated operator is compiled as its positive form plus a flag, so `not_X` is exactly the
//! negation of `X` — on nulls too: null never satisfies a positive operator, so it always
//! satisfies a negated one.
use std::cmp::Ordering;

use regex::Regex;

use super::pattern::{LikePattern, WordPattern};
use super::time::cmp_time;
use super::validate::{compile_regex, numeric_str};
use super::{Condition, Filter, Logic, Op, ValidationError, Value};
use crate::api::fields::{Catalog, FieldRef, FilterType};
use crate::api::response::Backlink;

/// A filter with its patterns compiled once, ready to test many items.
#[derive(Debug, Clone)]
pub struct CompiledFilter {
    root: Node,
}

#[derive(Debug, Clone)]
enum Node {
    Check(Check),
    All(Vec<Node>),
    Any(Vec<Node>),
}

#[derive(Debug, Clone)]
struct Check {
    /// The catalogue's own copy of the name, looked up once.
    field: &'static str,
    test: Test,
    /// The operator was the negated form of `test`.
    negate: bool,
}

/// The positive form of an operator with its compiled value.
#[derive(Debug, Clone)]
enum Test {
    Eq(Lit),
    In(Vec<Lit>),
    Cmp(Op, Lit),
    /// `like` and `ilike`: the pattern knows whether it ignores case.
    Like(LikePattern),
    Regex(Regex),
    Match(WordPattern),
}

/// A comparable literal.
#[derive(Debug, Clone)]
enum Lit {
    Int(i64),
    Float(f64),
    Bool(bool),
    Str(Box<str>),
    /// A value for a `time` field: compared chronologically.
    Time(Box<str>),
}

fn fail<T>(c: &Condition, message: impl Into<String>) -> Result<T, ValidationError> {
    Err(ValidationError {
        field: Some(c.field.clone()),
        message: message.into(),
    })
}

impl CompiledFilter {
    /// Compiles a filter. Checks what evaluation needs (known fields, lists for `in`, patterns
    /// that compile); full checking is [`Filter::validate`].
    pub fn new(f: &Filter) -> Result<CompiledFilter, ValidationError> {
        Ok(CompiledFilter {
            root: compile(f, Catalog::get())?,
        })
    }

    /// Whether the item passes the filter.
    pub fn matches(&self, item: &Backlink) -> bool {
        self.root.eval(item)
    }

    /// For a filter of one condition, its field (the catalogue's name): a store that holds
    /// the field in a column tests values with [`CompiledFilter::passes_value`] instead of
    /// building items.
    pub fn single_field(&self) -> Option<&'static str> {
        match &self.root {
            Node::Check(c) => Some(c.field),
            Node::All(_) | Node::Any(_) => None,
        }
    }

    /// For a filter of one condition: whether an item whose field holds `v` passes (exactly
    /// as [`CompiledFilter::matches`] would). `None` for a filter of several conditions.
    pub fn passes_value(&self, v: FieldRef<'_>) -> Option<bool> {
        match &self.root {
            Node::Check(c) => Some(c.eval_value(v)),
            Node::All(_) | Node::Any(_) => None,
        }
    }
}

fn compile(f: &Filter, cat: &'static Catalog) -> Result<Node, ValidationError> {
    match f {
        Filter::Cond(c) => compile_check(c, cat).map(Node::Check),
        Filter::Group(g) => {
            let items = g
                .items
                .iter()
                .map(|i| compile(i, cat))
                .collect::<Result<_, _>>()?;
            Ok(match g.logic {
                Logic::And => Node::All(items),
                Logic::Or => Node::Any(items),
            })
        }
    }
}

fn compile_check(c: &Condition, cat: &'static Catalog) -> Result<Check, ValidationError> {
    let Some(spec) = cat.find(&c.field) else {
        return fail(c, format!("unknown field '{}'", c.field));
    };
    let Some(ft) = spec.filter_type else {
        return fail(c, format!("field '{}' cannot be used in filters", c.field));
    };
    let negate = c.op.is_negative();
    let op = match c.op.negated() {
        Some(positive) if negate => positive,
        _ => c.op,
    };
    let scalar = |v: &Value| -> Result<Lit, ValidationError> {
        match v {
            Value::List(_) if matches!(op, Op::In) => fail(c, "lists cannot be nested"),
            Value::List(_) => fail(c, format!("'{}' takes one value, not a list", c.op)),
            v => Ok(lit(ft, v)),
        }
    };
    let text_value = || -> Result<&str, ValidationError> {
        match &c.value {
            Value::Str(s) => Ok(s),
            _ => fail(c, format!("'{}' needs text in double quotes", c.op)),
        }
    };
    let test = match op {
        Op::Eq | Op::Has => Test::Eq(scalar(&c.value)?),
        Op::In => match &c.value {
            Value::List(items) => Test::In(items.iter().map(scalar).collect::<Result<_, _>>()?),
            _ => return fail(c, format!("'{}' needs a list of values", c.op)),
        },
        Op::Lt | Op::Le | Op::Gt | Op::Ge => Test::Cmp(op, scalar(&c.value)?),
        Op::Like => Test::Like(LikePattern::new(text_value()?)),
        Op::Ilike => Test::Like(LikePattern::new_ignore_case(text_value()?)),
        Op::Regex => Test::Regex(compile_regex(text_value()?).or_else(|m| fail(c, m))?),
        Op::Match => Test::Match(WordPattern::new(text_value()?)),
        // Every negated operator was turned into its positive form above.
        Op::Ne
        | Op::NotIn
        | Op::NotLike
        | Op::NotIlike
        | Op::NotRegex
        | Op::NotMatch
        | Op::HasNot => return fail(c, format!("operator '{}' has no positive form", c.op)),
    };
    Ok(Check {
        field: spec.name.as_str(),
        test,
        negate,
    })
}

fn lit(ft: FilterType, v: &Value) -> Lit {
    match v {
        Value::Int(i) => Lit::Int(*i),
        Value::Float(x) => Lit::Float(*x),
        Value::Bool(b) => Lit::Bool(*b),
        Value::Str(s) => match ft {
            FilterType::Num => match numeric_str(s) {
                Some(Value::Int(i)) => Lit::Int(i),
                Some(Value::Float(x)) => Lit::Float(x),
                _ => Lit::Str(s.as_str().into()),
            },
            FilterType::Time => Lit::Time(s.as_str().into()),
            _ => Lit::Str(s.as_str().into()),
        },
        // Refused by the callers before we get here; a list never equals a scalar.
        Value::List(_) => Lit::Str("".into()),
    }
}

impl Node {
    fn eval(&self, item: &Backlink) -> bool {
        match self {
            Node::Check(c) => c.eval(item),
            Node::All(items) => items.iter().all(|n| n.eval(item)),
            Node::Any(items) => items.iter().any(|n| n.eval(item)),
        }
    }
}

impl Check {
    fn eval(&self, item: &Backlink) -> bool {
        self.eval_value(item.field(self.field))
    }

    fn eval_value(&self, v: FieldRef<'_>) -> bool {
        match v {
            FieldRef::Null | FieldRef::Nested => self.negate,
            // An array passes a positive test when any element does; an empty one never.
            FieldRef::Strs(xs) => {
                xs.iter().any(|x| self.test.passes(FieldRef::Str(x))) != self.negate
            }
            v => self.test.passes(v) != self.negate,
        }
    }
}

impl Test {
    /// The positive test on one non-null scalar.
    fn passes(&self, v: FieldRef<'_>) -> bool {
        match self {
            Test::Eq(l) => compare(v, l) == Some(Ordering::Equal),
            Test::In(ls) => ls.iter().any(|l| compare(v, l) == Some(Ordering::Equal)),
            Test::Cmp(op, l) => compare(v, l).is_some_and(|o| match op {
                Op::Lt => o.is_lt(),
                Op::Le => o.is_le(),
                Op::Gt => o.is_gt(),
                _ => o.is_ge(),
            }),
            Test::Like(p) => as_str(v).is_some_and(|s| p.matches(s)),
            Test::Regex(r) => as_str(v).is_some_and(|s| r.is_match(s)),
            Test::Match(w) => as_str(v).is_some_and(|s| w.matches(s)),
        }
    }
}

fn as_str(v: FieldRef<'_>) -> Option<&str> {
    match v {
        FieldRef::Str(s) => Some(s),
        _ => None,
    }
}

/// Order of an item value against a literal; `None` when they are of different kinds.
fn compare(v: FieldRef<'_>, l: &Lit) -> Option<Ordering> {
    match (v, l) {
        (FieldRef::Int(a), Lit::Int(b)) => Some(a.cmp(b)),
        (FieldRef::Int(a), Lit::Float(b)) => (a as f64).partial_cmp(b),
        (FieldRef::Bool(a), Lit::Bool(b)) => Some(a.cmp(b)),
        (FieldRef::Str(a), Lit::Str(b)) => Some(a.cmp(b)),
        (FieldRef::Str(a), Lit::Time(b)) => Some(cmp_time(a, b)),
        _ => None,
    }
}
