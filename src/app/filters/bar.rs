//! The filter bar: one line where the expression is typed in the text syntax, checked on every
//! keystroke, with the problem's column so the screen can point at it.

use tui_input::{Input, InputRequest};

use crate::api::fields::Catalog;
use crate::api::filter::Filter;

/// Why the typed expression cannot be applied, and where (1-based column, in characters).
#[derive(Debug, Clone, PartialEq)]
pub struct BarError {
    pub column: usize,
    pub message: String,
}

/// The bar's state.
#[derive(Debug, Clone)]
pub struct FilterBar {
    pub input: Input,
    /// The expression read from the input (`None` = no filter), or what is wrong with it.
    pub parsed: Result<Option<Filter>, BarError>,
}

impl FilterBar {
    /// A bar holding `f` in the text syntax.
    pub fn new(f: Option<&Filter>) -> FilterBar {
        let mut bar = FilterBar {
            input: Input::new(f.map(ToString::to_string).unwrap_or_default()),
            parsed: Ok(None),
        };
        bar.check();
        bar
    }

    pub fn edit(&mut self, req: InputRequest) {
        if self.input.handle(req).is_some_and(|c| c.value) {
            self.check();
        }
    }

    pub fn paste(&mut self, text: &str) {
        for c in text.chars() {
            // Newlines from a multi-line paste become spaces; other controls are dropped.
            let c = if c == '\n' || c == '\t' { ' ' } else { c };
            if !c.is_control() {
                self.edit(InputRequest::InsertChar(c));
            }
        }
    }

    /// Re-reads the input: parse, then validate against the catalogue.
    pub fn check(&mut self) {
        self.parsed = read(self.input.value());
    }
}

/// The expression of `text` (empty = no filter), or the problem with its column.
pub fn read(text: &str) -> Result<Option<Filter>, BarError> {
    if text.trim().is_empty() {
        return Ok(None);
    }
    let f = Filter::parse(text).map_err(|e| BarError {
        column: e.column,
        message: e.message,
    })?;
    f.validate(Catalog::get()).map_err(|e| BarError {
        column: e
            .field
            .as_deref()
            .and_then(|name| field_column(text, name))
            .unwrap_or(1),
        message: e.message,
    })?;
    Ok(Some(f))
}

/// Column (1-based, in characters) of the first place `name` is written as a whole word.
fn field_column(text: &str, name: &str) -> Option<usize> {
    let word = |c: char| c.is_alphanumeric() || c == '_' || c == '.';
    let mut from = 0;
    while let Some(i) = text[from..].find(name) {
        let start = from + i;
        let end = start + name.len();
        let before_ok = !text[..start].chars().next_back().is_some_and(word);
        let after_ok = !text[end..].chars().next().is_some_and(word);
        if before_ok && after_ok {
            return Some(text[..start].chars().count() + 1);
        }
        from = end;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validation_errors_point_at_the_field() {
        let e = read("rank > 5 and dofollow = 3").unwrap_err();
        assert_eq!(e.column, 14);
        assert!(e.message.contains("true or false"), "{}", e.message);
        let e = read("rank > 5 and rankk = 3").unwrap_err();
        assert_eq!(e.column, 14, "{e:?}");
        assert!(read("  ").unwrap().is_none());
    }
}
