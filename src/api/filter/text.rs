//! Text syntax ⇄ AST (DESIGN.md §1).
//!
//! ```text
//! expr      := and_expr ( "or" and_expr )*        -- `and` binds tighter than `or`
//! and_expr  := primary ( "and" primary )*
//! primary   := "(" expr ")" | field op value
//! field     := identifier with dots, e.g. ranked_keywords_info.page_from_keywords_count_top_3
//! op        := = <> != < <= > >= in not_in like not_like ilike not_ilike regex not_regex
//!              match not_match has has_not          (`!=` is read as `<>`)
//! value     := string | number | true | false | "[" value ( "," value )* "]"
//! string    := "…" with escapes \" \\ \n \t \r \u{XXXX}
//! number    := -?digits(.digits)?(e[+-]?digits)?   -- with '.' or 'e' it is a float
//! ```
//! Words (`and`, `or`, operators, `true`, `false`) are case-insensitive. An input whose first
//! non-blank character is `[` is the API's JSON form instead. Printing (`Display`) writes the
//! canonical form: lowercase words, minimal parentheses, strings always quoted.

mod lex;
mod print;

use lex::{Lexer, Tok, Token};

use super::{Condition, Filter, Logic, Op, Value, join_operands};
use crate::api::fields::{Catalog, FilterType};

/// Why a text filter could not be read, and where.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{message} at column {column}")]
pub struct ParseError {
    /// 1-based column (in characters) where the problem is.
    pub column: usize,
    pub message: String,
}

/// Parentheses nested deeper than this are refused (the API allows 8 conditions anyway).
const MAX_DEPTH: usize = 64;

const OPS_HINT: &str = "= <> != < <= > >= in not_in like not_like ilike not_ilike regex \
                        not_regex match not_match has has_not";

impl Filter {
    /// Reads the text syntax, or the API's JSON form when the input starts with `[`.
    pub fn parse(s: &str) -> Result<Filter, ParseError> {
        if s.trim_start().starts_with('[') {
            return parse_json(s);
        }
        let mut p = Parser::new(s);
        let first = p.peek()?;
        if first.tok == Tok::Eof {
            return fail_at(
                &first,
                "empty expression: expected a condition like rank > 80",
            );
        }
        let f = p.expr(0)?;
        let t = p.next()?;
        match t.tok {
            Tok::Eof => Ok(f),
            Tok::RParen => fail_at(&t, "unexpected ')' without a matching '('"),
            _ => fail_at(&t, format!("expected 'and' or 'or', found '{}'", t.text)),
        }
    }
}

/// Reads one literal in the text syntax (`"seo"`, `80`, `true`, `["US", "GB"]`), nothing else.
pub(super) fn parse_literal(s: &str) -> Result<Value, ParseError> {
    let mut p = Parser::new(s);
    let v = p.value("the value", "")?;
    let t = p.next()?;
    if t.tok == Tok::Eof {
        Ok(v)
    } else {
        fail_at(&t, format!("unexpected '{}' after the value", t.text))
    }
}

fn parse_json(s: &str) -> Result<Filter, ParseError> {
    let json: serde_json::Value = serde_json::from_str(s).map_err(|e| ParseError {
        column: json_error_column(s, e.line(), e.column()),
        message: format!("invalid JSON filter: {e}"),
    })?;
    Filter::from_wire(&json).map_err(|e| ParseError {
        column: 1,
        message: e.0,
    })
}

/// `serde_json` reports a 1-based line and a byte column within it; we report characters from
/// the start of the whole input.
fn json_error_column(s: &str, line: usize, col: usize) -> usize {
    let mut before = 0;
    for (i, l) in s.split('\n').enumerate() {
        if i + 1 == line {
            let chars = l.char_indices().filter(|(b, _)| *b < col).count();
            return (before + chars).max(1);
        }
        before += l.chars().count() + 1;
    }
    1
}

struct Parser {
    lex: Lexer,
    peeked: Option<Token>,
    /// The input ends in white space: a missing value then goes right at the end.
    trailing_space: bool,
}

impl Parser {
    fn new(s: &str) -> Parser {
        Parser {
            trailing_space: s.ends_with(char::is_whitespace),
            lex: Lexer::new(s),
            peeked: None,
        }
    }

    fn next(&mut self) -> Result<Token, ParseError> {
        match self.peeked.take() {
            Some(t) => Ok(t),
            None => self.lex.next_token(),
        }
    }

    fn peek(&mut self) -> Result<Token, ParseError> {
        let t = self.next()?;
        self.peeked = Some(t.clone());
        Ok(t)
    }

    fn expr(&mut self, depth: usize) -> Result<Filter, ParseError> {
        let first = self.primary(depth, None)?;
        let mut rest = Vec::new();
        loop {
            let t = self.peek()?;
            let Some(logic) = logic_word(&t) else {
                break;
            };
            self.next()?;
            rest.push((logic, self.primary(depth, Some(&t.text))?));
        }
        Ok(join_operands(first, rest))
    }

    fn primary(&mut self, depth: usize, after: Option<&str>) -> Result<Filter, ParseError> {
        let t = self.next()?;
        let what = match after {
            Some(w) => format!("expected a condition or '(' after '{w}'"),
            None => "expected a condition or '('".to_owned(),
        };
        match t.tok {
            Tok::LParen => {
                if depth >= MAX_DEPTH {
                    return fail_at(&t, "too many nested parentheses");
                }
                let inner = self.expr(depth + 1)?;
                let close = self.next()?;
                match close.tok {
                    Tok::RParen => Ok(inner),
                    Tok::Eof => fail_at(
                        &close,
                        format!(
                            "unclosed parenthesis opened at column {}: expected ')'",
                            t.col
                        ),
                    ),
                    _ => fail_at(
                        &close,
                        format!("expected 'and', 'or' or ')', found '{}'", close.text),
                    ),
                }
            }
            Tok::Word if logic_word(&t).is_some() => {
                fail_at(&t, format!("{what}, found '{}'", t.text))
            }
            Tok::Word => self.condition(t.text).map(Filter::Cond),
            Tok::Eof => fail_at(&t, what),
            _ => fail_at(&t, format!("{what}, found '{}'", t.text)),
        }
    }

    fn condition(&mut self, field: String) -> Result<Condition, ParseError> {
        let t = self.next()?;
        let op = match t.tok {
            Tok::Sym if t.text == "!=" => Some(Op::Ne),
            Tok::Sym => Op::parse(&t.text),
            Tok::Word => Op::parse(&t.text.to_ascii_lowercase()),
            Tok::Eof => {
                return fail_at(&t, format!("expected an operator after '{field}'"));
            }
            _ => {
                return fail_at(
                    &t,
                    format!("expected an operator after '{field}', found '{}'", t.text),
                );
            }
        };
        let Some(op) = op else {
            return self.unknown_op(&field, &t);
        };
        let value = self.value(&format!("'{field} {}'", t.text), &field)?;
        Ok(Condition { field, op, value })
    }

    fn unknown_op<T>(&mut self, field: &str, t: &Token) -> Result<T, ParseError> {
        // `not like` for `not_like` is the likeliest slip; name the right spelling.
        if t.text.eq_ignore_ascii_case("not") {
            let next = self.peek()?;
            let joined = format!("not_{}", next.text.to_ascii_lowercase());
            if next.tok == Tok::Word && Op::parse(&joined).is_some() {
                return fail_at(
                    t,
                    format!(
                        "unknown operator 'not {}': did you mean '{joined}'?",
                        next.text
                    ),
                );
            }
        }
        fail_at(
            t,
            format!(
                "unknown operator '{}' after '{field}'; expected one of {OPS_HINT}",
                t.text
            ),
        )
    }

    /// A value; `after` names what came before it for the message ("'rank >'").
    fn value(&mut self, after: &str, field: &str) -> Result<Value, ParseError> {
        let mut t = self.next()?;
        if t.tok == Tok::Eof && !self.trailing_space {
            // Point where the value would be typed: after the space that follows the operator.
            t.col += 1;
        }
        match t.tok {
            Tok::LBracket => self.list(&t, field),
            _ => Self::scalar(t, after, field),
        }
    }

    /// One value. A bare word is refused with what the field takes: `true`/`false` for a
    /// true/false field and a number for a numeric one (quotes would be wrong advice there),
    /// text in double quotes otherwise.
    fn scalar(t: Token, after: &str, field: &str) -> Result<Value, ParseError> {
        match t.tok {
            Tok::Str(s) => Ok(Value::Str(s)),
            Tok::Num(v) => Ok(v),
            Tok::Word if t.text.eq_ignore_ascii_case("true") => Ok(Value::Bool(true)),
            Tok::Word if t.text.eq_ignore_ascii_case("false") => Ok(Value::Bool(false)),
            Tok::Word => {
                let takes = Catalog::get().find(field).and_then(|f| f.filter_type);
                let message = match takes {
                    Some(FilterType::Bool) => {
                        format!("expected true or false after {after}, got '{}'", t.text)
                    }
                    Some(FilterType::Num) => {
                        format!("expected a number after {after}, got '{}'", t.text)
                    }
                    _ => format!(
                        "expected a value after {after} (put text in double quotes: \"{}\")",
                        t.text
                    ),
                };
                fail_at(&t, message)
            }
            Tok::LBracket => fail_at(&t, "lists cannot be nested"),
            _ => fail_at(&t, format!("expected a value after {after}")),
        }
    }

    fn list(&mut self, open: &Token, field: &str) -> Result<Value, ParseError> {
        let mut items = Vec::new();
        let first = self.peek()?;
        if first.tok == Tok::RBracket {
            self.next()?;
            return Ok(Value::List(items));
        }
        loop {
            let t = self.next()?;
            if t.tok == Tok::Eof {
                return fail_at(
                    &t,
                    format!(
                        "unclosed list opened at column {}: expected a value or ']'",
                        open.col
                    ),
                );
            }
            items.push(Self::scalar(t, "'[' or ','", field)?);
            let sep = self.next()?;
            match sep.tok {
                Tok::Comma => {}
                Tok::RBracket => return Ok(Value::List(items)),
                Tok::Eof => {
                    return fail_at(
                        &sep,
                        format!(
                            "unclosed list opened at column {}: expected ',' or ']'",
                            open.col
                        ),
                    );
                }
                _ => {
                    return fail_at(
                        &sep,
                        format!("expected ',' or ']' in the list, found '{}'", sep.text),
                    );
                }
            }
        }
    }
}

fn fail_at<T>(t: &Token, message: impl Into<String>) -> Result<T, ParseError> {
    Err(ParseError {
        column: t.col,
        message: message.into(),
    })
}

fn logic_word(t: &Token) -> Option<Logic> {
    if t.tok != Tok::Word {
        return None;
    }
    if t.text.eq_ignore_ascii_case("and") {
        Some(Logic::And)
    } else if t.text.eq_ignore_ascii_case("or") {
        Some(Logic::Or)
    } else {
        None
    }
}
