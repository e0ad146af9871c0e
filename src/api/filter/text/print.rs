//! The canonical text form: lowercase words, minimal parentheses, strings always quoted.
use std::fmt::{self, Display, Formatter, Write};

use crate::api::filter::{Filter, Logic, Value};

impl Display for Filter {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        write_expr(f, &self.normalized(), None)
    }
}

/// A literal as the text syntax writes it (`"seo"`, `80`, `0.5`, `true`, `["US", "GB"]`).
impl Display for Value {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            Value::Bool(b) => write!(f, "{b}"),
            Value::Int(i) => write!(f, "{i}"),
            // Debug always writes a '.' or an exponent (`80.0`, `1e-7`), so the number reads back
            // as a float, and it is the shortest form that reads back to the same bits.
            Value::Float(x) => write!(f, "{x:?}"),
            Value::Str(s) => write_quoted(f, s),
            Value::List(items) => {
                f.write_char('[')?;
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{item}")?;
                }
                f.write_char(']')
            }
        }
    }
}

/// Expects a normalised tree: same-logic groups are never nested in one another.
fn write_expr(f: &mut Formatter<'_>, e: &Filter, parent: Option<Logic>) -> fmt::Result {
    match e {
        Filter::Cond(c) => write!(f, "{} {} {}", c.field, c.op, c.value),
        Filter::Group(g) => {
            // `and` binds tighter, so only an `or` group inside an `and` needs brackets.
            let bracket = parent == Some(Logic::And) && g.logic == Logic::Or || g.items.is_empty();
            if bracket {
                f.write_char('(')?;
            }
            for (i, item) in g.items.iter().enumerate() {
                if i > 0 {
                    write!(f, " {} ", g.logic.as_str())?;
                }
                write_expr(f, item, Some(g.logic))?;
            }
            if bracket {
                f.write_char(')')?;
            }
            Ok(())
        }
    }
}

fn write_quoted(f: &mut Formatter<'_>, s: &str) -> fmt::Result {
    f.write_char('"')?;
    for c in s.chars() {
        match c {
            '"' => f.write_str("\\\"")?,
            '\\' => f.write_str("\\\\")?,
            '\n' => f.write_str("\\n")?,
            '\t' => f.write_str("\\t")?,
            '\r' => f.write_str("\\r")?,
            // Other control characters would be invisible or break a terminal line.
            c if c.is_control() => write!(f, "\\u{{{:x}}}", c as u32)?,
            c => f.write_char(c)?,
        }
    }
    f.write_char('"')
}
