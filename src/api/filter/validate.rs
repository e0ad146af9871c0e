//! Validation against the catalogue (reference §4.2, DESIGN.md §6.3–6.4), and the helpers the
//! filter builder uses to offer operators and read what a user types in a value box.
use super::text::parse_literal;
use super::time::check_time;
use super::{Condition, Filter, Op, Value};
use crate::api::fields::{Catalog, FilterType};
use crate::api::request::MAX_FILTER_CONDITIONS;

/// Why a filter would be refused, naming the field when one is concerned.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{message}")]
pub struct ValidationError {
    /// The field concerned, when there is one.
    pub field: Option<String>,
    pub message: String,
}

impl ValidationError {
    fn new(field: Option<&str>, message: impl Into<String>) -> ValidationError {
        ValidationError {
            field: field.map(str::to_owned),
            message: message.into(),
        }
    }
}

/// Longest regex pattern the API takes (reference §4.3).
pub const MAX_REGEX_LEN: usize = 1000;

/// The operators allowed on a field type, in the order a picker should offer them.
pub fn ops_for(ft: FilterType) -> &'static [Op] {
    use Op::{Eq, Ge, Gt, Has, HasNot, Ilike, In, Le, Like, Lt, Match, Ne, NotIlike, NotIn};
    use Op::{NotLike, NotMatch, NotRegex, Regex};
    match ft {
        FilterType::Num => &[Eq, Ne, Lt, Le, Gt, Ge, In, NotIn],
        FilterType::Str => &[
            Eq, Ne, In, NotIn, Like, NotLike, Ilike, NotIlike, Regex, NotRegex, Match, NotMatch,
        ],
        FilterType::Bool => &[Eq, Ne],
        FilterType::Time => &[Eq, Ne, Lt, Le, Gt, Ge],
        FilterType::ArrayStr => &[
            Has, HasNot, Eq, Ne, In, NotIn, Like, NotLike, Ilike, NotIlike, Regex, NotRegex, Match,
            NotMatch,
        ],
    }
}

impl Filter {
    /// Checks fields, operators, values and the API's limits. The first problem found wins.
    pub fn validate(&self, cat: &Catalog) -> Result<(), ValidationError> {
        let n = self.condition_count();
        if n > MAX_FILTER_CONDITIONS {
            return Err(ValidationError::new(
                None,
                format!(
                    "the filter has {n} conditions; the API allows at most \
                     {MAX_FILTER_CONDITIONS}"
                ),
            ));
        }
        walk(self, cat)
    }
}

fn walk(f: &Filter, cat: &Catalog) -> Result<(), ValidationError> {
    match f {
        Filter::Cond(c) => check_condition(c, cat),
        Filter::Group(g) if g.items.is_empty() => Err(ValidationError::new(
            None,
            "empty group: a group needs at least one condition",
        )),
        Filter::Group(g) => g.items.iter().try_for_each(|item| walk(item, cat)),
    }
}

fn check_condition(c: &Condition, cat: &Catalog) -> Result<(), ValidationError> {
    let field = c.field.as_str();
    let Some(spec) = cat.find(field) else {
        let message = match suggest(field, cat) {
            Some(s) => format!("unknown field '{field}' — did you mean '{s}'?"),
            None => format!("unknown field '{field}'"),
        };
        return Err(ValidationError::new(Some(field), message));
    };
    let Some(ft) = spec.filter_type.filter(|_| spec.filterable) else {
        return Err(ValidationError::new(
            Some(field),
            format!("field '{field}' cannot be used in filters"),
        ));
    };
    let allowed = ops_for(ft);
    if !allowed.contains(&c.op) {
        let words: Vec<&str> = allowed.iter().map(|o| o.as_str()).collect();
        return Err(ValidationError::new(
            Some(field),
            format!(
                "operator '{}' is not allowed on '{field}' ({}); use one of {}",
                c.op,
                ft.label(),
                words.join(" ")
            ),
        ));
    }
    check_value(ft, c.op, &c.value)
        .map_err(|reason| ValidationError::new(Some(field), format!("{field}: {reason}")))
}

/// The closest filterable name: one the input is the last part of
/// (`page_from_keywords_count_top_3`), else one within a small edit distance.
fn suggest(name: &str, cat: &Catalog) -> Option<String> {
    let dotted = format!(".{name}");
    if let Some(f) = cat.filterable().find(|f| f.name.ends_with(&dotted)) {
        return Some(f.name.clone());
    }
    let limit = (name.chars().count() / 3).max(2);
    cat.filterable()
        .map(|f| (edit_distance(name, &f.name), &f.name))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, n)| n.clone())
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diag = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let sub = diag + usize::from(ca != *cb);
            diag = row[j + 1];
            row[j + 1] = sub.min(row[j] + 1).min(diag + 1);
        }
    }
    row[b.len()]
}

/// Whether `v` suits operator `op` on a field of type `ft`; the reason when it does not.
pub(super) fn check_value(ft: FilterType, op: Op, v: &Value) -> Result<(), String> {
    let wants_list = matches!(op, Op::In | Op::NotIn);
    match v {
        Value::List(items) if wants_list => {
            if items.is_empty() {
                return Err(format!("'{op}' needs at least one value"));
            }
            items.iter().try_for_each(|item| check_scalar(ft, op, item))
        }
        Value::List(_) => Err(format!(
            "'{op}' takes one value, not a list (use 'in' to match any of several values)"
        )),
        _ if wants_list => Err(format!(
            "'{op}' needs a list of values, e.g. {}",
            if ft == FilterType::Num {
                "[10, 20]"
            } else {
                "[\"US\", \"GB\"]"
            }
        )),
        _ => check_scalar(ft, op, v),
    }
}

fn check_scalar(ft: FilterType, op: Op, v: &Value) -> Result<(), String> {
    match (ft, v) {
        (_, Value::List(_)) => Err("lists cannot be nested".to_owned()),
        (FilterType::Num, Value::Int(_)) | (FilterType::Bool, Value::Bool(_)) => Ok(()),
        (FilterType::Num, Value::Float(x)) if x.is_finite() => Ok(()),
        (FilterType::Num, Value::Str(s)) if numeric_str(s).is_some() => Ok(()),
        (FilterType::Num, _) => Err(format!("expected a number, got {v}")),
        (FilterType::Bool, _) => Err(format!("expected true or false, got {v}")),
        (FilterType::Time, Value::Str(s)) => check_time(s),
        (FilterType::Time, _) => Err(format!(
            "expected a date in double quotes, e.g. \"2024-01-31\", got {v}"
        )),
        (FilterType::Str | FilterType::ArrayStr, Value::Str(s)) => check_pattern(op, s),
        (FilterType::Str | FilterType::ArrayStr, _) => {
            Err(format!("expected text in double quotes, got {v}"))
        }
    }
}

/// A numeric string (`"80"`, `"0.5"`) as the number it spells; the API's own examples send them.
pub(super) fn numeric_str(s: &str) -> Option<Value> {
    if let Ok(i) = s.parse::<i64>() {
        return Some(Value::Int(i));
    }
    // Only plain decimal spellings: Rust would also read "inf" and "NaN".
    let plain = s
        .bytes()
        .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'-' | b'+' | b'e' | b'E'));
    s.parse::<f64>()
        .ok()
        .filter(|x| plain && x.is_finite())
        .map(Value::Float)
}

fn check_pattern(op: Op, s: &str) -> Result<(), String> {
    match op {
        Op::Regex | Op::NotRegex => compile_regex(s).map(drop),
        Op::Match | Op::NotMatch if !s.chars().any(char::is_alphanumeric) => {
            Err(format!("'{op}' needs at least one word"))
        }
        _ => Ok(()),
    }
}

/// Compiles a regex value, with the API's length limit and a one-line reason on failure.
pub(super) fn compile_regex(s: &str) -> Result<regex::Regex, String> {
    let len = s.chars().count();
    if len > MAX_REGEX_LEN {
        return Err(format!(
            "regex is {len} characters long; the API allows at most {MAX_REGEX_LEN}"
        ));
    }
    regex::Regex::new(s).map_err(|e| {
        let text = e.to_string();
        // Syntax errors span several lines (pattern, caret, reason); keep the reason.
        let reason = text
            .lines()
            .find_map(|l| l.strip_prefix("error: "))
            .unwrap_or(&text)
            .to_owned();
        format!("invalid regex: {reason}")
    })
}

/// Reads what a user typed in the builder's value box for `op` on a field of type `ft`, and
/// checks it. Unquoted input: `80`, `true`, `2024-01-01`, plain text for strings (kept as
/// typed). A value in double quotes is read as in the text syntax (escapes and all). For
/// `in`/`not_in`: a comma-separated list (`US, GB`) or a bracketed one (`["US", "GB"]`).
pub fn parse_value(ft: FilterType, op: Op, text: &str) -> Result<Value, String> {
    let v = if matches!(op, Op::In | Op::NotIn) {
        let t = text.trim();
        if t.starts_with('[') {
            parse_literal(t).map_err(|e| e.to_string())?
        } else {
            Value::List(
                t.split(',')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(|s| parse_scalar(ft, s))
                    .collect::<Result<_, _>>()?,
            )
        }
    } else {
        parse_scalar(ft, text)?
    };
    check_value(ft, op, &v)?;
    Ok(v)
}

fn parse_scalar(ft: FilterType, text: &str) -> Result<Value, String> {
    let t = text.trim();
    if t.starts_with('"')
        && let Ok(v @ Value::Str(_)) = parse_literal(t)
    {
        return Ok(v);
    }
    match ft {
        FilterType::Num => numeric_str(t).ok_or_else(|| format!("expected a number, got {t:?}")),
        FilterType::Bool => match t.to_ascii_lowercase().as_str() {
            "true" | "yes" => Ok(Value::Bool(true)),
            "false" | "no" => Ok(Value::Bool(false)),
            _ => Err(format!("expected true or false, got {t:?}")),
        },
        FilterType::Time => Ok(Value::Str(t.to_owned())),
        FilterType::Str | FilterType::ArrayStr => Ok(Value::Str(text.to_owned())),
    }
}
