//! API JSON ⇄ AST (reference §4.1).
//!
//! Reading accepts every shape the API documents: a bare condition `["rank",">",80]`, a flat
//! list `[c1,"and",c2,"or",c3]` (where `and` binds tighter than `or`, DESIGN.md §6.2) and nested
//! groups. Writing never mixes `and` and `or` at one level: it brackets instead, so the API's
//! undocumented precedence never matters for what we send.
use serde_json::Value as Json;

use super::{Condition, Filter, Logic, Op, Value, join_operands};

/// A JSON value that is not a filter expression; the message says what is wrong.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{0}")]
pub struct WireError(pub String);

fn err(msg: impl Into<String>) -> WireError {
    WireError(msg.into())
}

impl Filter {
    /// Reads the API's JSON form. Numeric strings such as `"80"` stay strings here; validation
    /// and evaluation accept them for numeric fields.
    pub fn from_wire(v: &Json) -> Result<Filter, WireError> {
        read_expr(v, 0)
    }

    /// Writes the API's JSON form of the normalised expression.
    pub fn to_wire(&self) -> Json {
        write_expr(&self.normalized())
    }
}

/// Nesting deeper than this is refused rather than risking the stack on hostile input; eight
/// conditions need at most eight levels.
const MAX_DEPTH: usize = 64;

fn read_expr(v: &Json, depth: usize) -> Result<Filter, WireError> {
    if depth > MAX_DEPTH {
        return Err(err(format!("filter nested deeper than {MAX_DEPTH} levels")));
    }
    let Json::Array(items) = v else {
        return Err(err(format!(
            "a filter must be an array: a condition [field, operator, value] or a group of \
             them, got {}",
            kind(v)
        )));
    };
    match items.first() {
        None => Err(err("empty filter array: expected a condition or a group")),
        Some(Json::String(_)) => read_condition(items).map(Filter::Cond),
        Some(Json::Array(_)) => read_group(items, depth),
        Some(other) => Err(err(format!(
            "a filter array must start with a field name (a condition) or an array (a group), \
             got {}",
            kind(other)
        ))),
    }
}

fn read_condition(items: &[Json]) -> Result<Condition, WireError> {
    let [field, op, value] = items else {
        return Err(err(format!(
            "condition must have 3 elements: field, operator, value (got {})",
            items.len()
        )));
    };
    let Json::String(field) = field else {
        return Err(err("condition field must be a string"));
    };
    let Json::String(op_word) = op else {
        return Err(err(format!(
            "operator of '{field}' must be a string, got {}",
            kind(op)
        )));
    };
    let op = Op::parse(op_word).ok_or_else(|| {
        err(format!(
            "unknown operator '{op_word}' in condition on '{field}'"
        ))
    })?;
    let value = match value {
        Json::Array(list) => Value::List(
            list.iter()
                .map(|v| read_scalar(v, field))
                .collect::<Result<_, _>>()?,
        ),
        v => read_scalar(v, field)?,
    };
    Ok(Condition {
        field: field.clone(),
        op,
        value,
    })
}

fn read_scalar(v: &Json, field: &str) -> Result<Value, WireError> {
    match v {
        Json::Bool(b) => Ok(Value::Bool(*b)),
        Json::String(s) => Ok(Value::Str(s.clone())),
        Json::Number(n) => match (n.as_i64(), n.as_f64()) {
            (Some(i), _) => Ok(Value::Int(i)),
            (None, Some(f)) => Ok(Value::Float(f)),
            (None, None) => Err(err(format!("number {n} for '{field}' is out of range"))),
        },
        Json::Array(_) => Err(err(format!(
            "value of '{field}' is a list inside a list; lists cannot be nested"
        ))),
        Json::Null | Json::Object(_) => Err(err(format!(
            "value of '{field}' must be a string, number, boolean or list, got {}",
            kind(v)
        ))),
    }
}

fn read_group(items: &[Json], depth: usize) -> Result<Filter, WireError> {
    let first = read_operand(&items[0], depth)?;
    let mut rest = Vec::with_capacity(items.len() / 2);
    for pair in items[1..].chunks(2) {
        let logic = match &pair[0] {
            Json::String(w) if w == "and" => Logic::And,
            Json::String(w) if w == "or" => Logic::Or,
            Json::String(w) => {
                return Err(err(format!(
                    "unknown logic word '{w}': expected \"and\" or \"or\""
                )));
            }
            other => {
                return Err(err(format!(
                    "expected \"and\" or \"or\" between operands, got {}",
                    kind(other)
                )));
            }
        };
        let Some(operand) = pair.get(1) else {
            return Err(err(format!(
                "group ends with \"{}\": expected a condition or group after it",
                logic.as_str()
            )));
        };
        rest.push((logic, read_operand(operand, depth)?));
    }
    Ok(join_operands(first, rest))
}

fn read_operand(v: &Json, depth: usize) -> Result<Filter, WireError> {
    match v {
        Json::Array(_) => read_expr(v, depth + 1),
        Json::String(w) if w == "and" || w == "or" => Err(err(format!(
            "\"{w}\" where a condition or group was expected (two logic words in a row?)"
        ))),
        other => Err(err(format!(
            "expected a condition or group (an array) in a group, got {}",
            kind(other)
        ))),
    }
}

fn kind(v: &Json) -> &'static str {
    match v {
        Json::Null => "null",
        Json::Bool(_) => "a boolean",
        Json::Number(_) => "a number",
        Json::String(_) => "a string",
        Json::Array(_) => "an array",
        Json::Object(_) => "an object",
    }
}

fn write_expr(f: &Filter) -> Json {
    match f {
        Filter::Cond(c) => Json::Array(vec![
            Json::String(c.field.clone()),
            Json::String(c.op.as_str().to_owned()),
            write_value(&c.value),
        ]),
        Filter::Group(g) => {
            let mut out = Vec::with_capacity(g.items.len() * 2);
            for (i, item) in g.items.iter().enumerate() {
                if i > 0 {
                    out.push(Json::String(g.logic.as_str().to_owned()));
                }
                out.push(write_expr(item));
            }
            Json::Array(out)
        }
    }
}

fn write_value(v: &Value) -> Json {
    match v {
        Value::Bool(b) => Json::Bool(*b),
        Value::Int(i) => Json::from(*i),
        // Non-finite floats have no JSON form; serde_json writes them as null, which the API
        // would refuse. Validation rejects them before a request is built.
        Value::Float(f) => Json::from(*f),
        Value::Str(s) => Json::String(s.clone()),
        Value::List(items) => Json::Array(items.iter().map(write_value).collect()),
    }
}

impl serde::Serialize for Filter {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.to_wire().serialize(s)
    }
}

impl<'de> serde::Deserialize<'de> for Filter {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = Json::deserialize(d)?;
        Filter::from_wire(&v).map_err(serde::de::Error::custom)
    }
}
