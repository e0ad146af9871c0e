//! Tokens of the text syntax, produced on demand so errors surface in reading order.
use super::ParseError;
use crate::api::filter::Value;

#[derive(Debug, Clone, PartialEq)]
pub(super) enum Tok {
    /// Identifier with dots: a field name, a word operator, `and`/`or`, `true`/`false`.
    Word,
    Str(String),
    Num(Value),
    /// A run of `< > = ! ~`: a symbolic operator, known or not.
    Sym,
    LParen,
    RParen,
    LBracket,
    RBracket,
    Comma,
    Eof,
}

#[derive(Debug, Clone)]
pub(super) struct Token {
    pub tok: Tok,
    /// 1-based column (characters) of the first character.
    pub col: usize,
    /// The source text, for messages ("after 'rank >'").
    pub text: String,
}

pub(super) struct Lexer {
    chars: Vec<char>,
    pos: usize,
}

fn fail<T>(col: usize, message: impl Into<String>) -> Result<T, ParseError> {
    Err(ParseError {
        column: col,
        message: message.into(),
    })
}

fn is_word_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '.'
}

impl Lexer {
    pub fn new(s: &str) -> Lexer {
        Lexer {
            chars: s.chars().collect(),
            pos: 0,
        }
    }

    fn peek_char(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn text(&self, start: usize) -> String {
        self.chars[start..self.pos].iter().collect()
    }

    pub fn next_token(&mut self) -> Result<Token, ParseError> {
        while self.peek_char().is_some_and(char::is_whitespace) {
            self.pos += 1;
        }
        let start = self.pos;
        let col = start + 1;
        let Some(c) = self.peek_char() else {
            return Ok(Token {
                tok: Tok::Eof,
                col,
                text: String::new(),
            });
        };
        let single = match c {
            '(' => Some(Tok::LParen),
            ')' => Some(Tok::RParen),
            '[' => Some(Tok::LBracket),
            ']' => Some(Tok::RBracket),
            ',' => Some(Tok::Comma),
            _ => None,
        };
        let tok = if let Some(t) = single {
            self.pos += 1;
            t
        } else if c == '"' {
            Tok::Str(self.string()?)
        } else if c.is_ascii_digit() || c == '-' {
            Tok::Num(self.number()?)
        } else if c.is_ascii_alphabetic() || c == '_' {
            self.word()?;
            Tok::Word
        } else if "<>=!~".contains(c) {
            while self.peek_char().is_some_and(|c| "<>=!~".contains(c)) {
                self.pos += 1;
            }
            Tok::Sym
        } else {
            return fail(col, format!("unexpected character '{c}'"));
        };
        Ok(Token {
            tok,
            col,
            text: self.text(start),
        })
    }

    fn word(&mut self) -> Result<(), ParseError> {
        let start = self.pos;
        while self.peek_char().is_some_and(is_word_char) {
            self.pos += 1;
        }
        let w = self.text(start);
        if w.ends_with('.') || w.contains("..") {
            return fail(
                start + 1,
                format!("invalid field name '{w}': dots must separate names"),
            );
        }
        Ok(())
    }

    /// `-?digits(.digits)?([eE][+-]?digits)?`; integers that overflow `i64` become floats.
    fn number(&mut self) -> Result<Value, ParseError> {
        let start = self.pos;
        if self.peek_char() == Some('-') {
            self.pos += 1;
        }
        self.digits("'-'")?;
        let mut is_float = false;
        if self.peek_char() == Some('.') {
            is_float = true;
            self.pos += 1;
            self.digits("'.'")?;
        }
        if matches!(self.peek_char(), Some('e' | 'E')) {
            is_float = true;
            self.pos += 1;
            if matches!(self.peek_char(), Some('+' | '-')) {
                self.pos += 1;
            }
            self.digits("the exponent")?;
        }
        if let Some(c) = self.peek_char().filter(|&c| is_word_char(c)) {
            return fail(
                self.pos + 1,
                format!(
                    "unexpected '{c}' in number '{}'; text values go in double quotes",
                    self.text(start)
                ),
            );
        }
        let text = self.text(start);
        if !is_float && let Ok(i) = text.parse::<i64>() {
            return Ok(Value::Int(i));
        }
        match text.parse::<f64>() {
            Ok(f) if f.is_finite() => Ok(Value::Float(f)),
            _ => fail(start + 1, format!("number '{text}' is out of range")),
        }
    }

    fn digits(&mut self, after: &str) -> Result<(), ParseError> {
        if !self.peek_char().is_some_and(|c| c.is_ascii_digit()) {
            return fail(self.pos + 1, format!("expected a digit after {after}"));
        }
        while self.peek_char().is_some_and(|c| c.is_ascii_digit()) {
            self.pos += 1;
        }
        Ok(())
    }

    /// A double-quoted string. Escapes: `\"` `\\` `\n` `\t` `\r` `\u{XXXX}` (1–6 hex digits).
    fn string(&mut self) -> Result<String, ParseError> {
        let open = self.pos + 1;
        self.pos += 1;
        let mut out = String::new();
        loop {
            let Some(c) = self.peek_char() else {
                return fail(open, "unclosed string: expected a closing '\"'");
            };
            self.pos += 1;
            match c {
                '"' => return Ok(out),
                '\\' => out.push(self.escape()?),
                c => out.push(c),
            }
        }
    }

    fn escape(&mut self) -> Result<char, ParseError> {
        let col = self.pos; // the backslash, 1-based
        let Some(c) = self.peek_char() else {
            return fail(col, "unclosed string: expected a closing '\"'");
        };
        self.pos += 1;
        Ok(match c {
            '"' => '"',
            '\\' => '\\',
            'n' => '\n',
            't' => '\t',
            'r' => '\r',
            'u' => return self.unicode_escape(col),
            other => {
                return fail(
                    col,
                    format!(
                        "unknown escape '\\{other}' in string; use \\\" \\\\ \\n \\t \\r or \\u{{…}}"
                    ),
                );
            }
        })
    }

    fn unicode_escape(&mut self, col: usize) -> Result<char, ParseError> {
        let bad = || {
            fail(
                col,
                "bad unicode escape: expected \\u{…} with 1 to 6 hex digits",
            )
        };
        if self.peek_char() != Some('{') {
            return bad();
        }
        self.pos += 1;
        let start = self.pos;
        while self.peek_char().is_some_and(|c| c.is_ascii_hexdigit()) {
            self.pos += 1;
        }
        let hex = self.text(start);
        if self.peek_char() != Some('}') || hex.is_empty() || hex.len() > 6 {
            return bad();
        }
        self.pos += 1;
        match u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32) {
            Some(c) => Ok(c),
            None => fail(col, format!("\\u{{{hex}}} is not a unicode character")),
        }
    }
}
