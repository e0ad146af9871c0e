//! The three steps of writing one condition: field (type-ahead over the catalogue), operator
//! (only those valid for the field's type), value (checked as it is typed).

use tui_input::{Input, InputRequest};

use crate::api::fields::{Catalog, FieldSpec, FilterType};
use crate::api::filter::{Condition, Op, Value, ops_for, parse_value};

use super::tree::Path;

/// Where the condition being written goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A new condition next to this node (see `Draft::insert`).
    Add(Path),
    /// Replaces the condition at this path.
    Replace(Path),
}

/// Step 1: the field, with type-ahead.
#[derive(Debug, Clone)]
pub struct FieldPicker {
    pub input: Input,
    /// Index into `matches()`.
    pub cursor: usize,
    pub target: Target,
    /// The condition being edited, to start the next steps from its operator and value.
    pub old: Option<Condition>,
}

/// The filterable fields whose name contains `typed` (case-insensitive), names that start with
/// it first, each group in catalogue order.
pub fn matching_fields(typed: &str) -> Vec<&'static FieldSpec> {
    let t = typed.trim().to_ascii_lowercase();
    let all = Catalog::get()
        .filterable()
        .filter(|f| f.filter_type.is_some());
    let (mut prefix, mut inside): (Vec<_>, Vec<_>) = all
        .filter(|f| f.name.contains(&t))
        .partition(|f| f.name.starts_with(&t) || last_part(&f.name).starts_with(&t));
    prefix.append(&mut inside);
    prefix
}

/// `page_from_keywords_count_top_3` of `ranked_keywords_info.page_from_keywords_count_top_3`.
fn last_part(name: &str) -> &str {
    name.rsplit('.').next().unwrap_or(name)
}

impl FieldPicker {
    pub fn new(target: Target, old: Option<Condition>) -> FieldPicker {
        let mut p = FieldPicker {
            input: Input::default(),
            cursor: 0,
            target,
            old,
        };
        if let Some(c) = &p.old {
            p.cursor = p
                .matches()
                .iter()
                .position(|f| f.name == c.field)
                .unwrap_or(0);
        }
        p
    }

    pub fn matches(&self) -> Vec<&'static FieldSpec> {
        matching_fields(self.input.value())
    }

    /// The field under the cursor.
    pub fn current(&self) -> Option<&'static FieldSpec> {
        self.matches().get(self.cursor).copied()
    }

    /// Edits the typed text; the cursor goes back to the best match.
    pub fn edit(&mut self, req: InputRequest) {
        if self.input.handle(req).is_some_and(|c| c.value) {
            self.cursor = 0;
        }
    }

    pub fn move_by(&mut self, delta: isize) {
        let n = self.matches().len();
        if n > 0 {
            self.cursor = self.cursor.saturating_add_signed(delta).min(n - 1);
        }
    }

    /// Tab: completes the typed text to the field under the cursor.
    pub fn complete(&mut self) {
        if let Some(f) = self.current() {
            self.input = Input::new(f.name.clone());
            self.cursor = 0;
        }
    }
}

/// Step 2: the operator.
#[derive(Debug, Clone)]
pub struct OpPicker {
    pub field: &'static FieldSpec,
    pub ft: FilterType,
    pub cursor: usize,
    pub target: Target,
    pub old: Option<Condition>,
}

impl OpPicker {
    pub fn new(
        field: &'static FieldSpec,
        ft: FilterType,
        target: Target,
        old: Option<Condition>,
    ) -> OpPicker {
        let cursor = old
            .as_ref()
            .filter(|c| c.field == field.name)
            .and_then(|c| ops_for(ft).iter().position(|o| *o == c.op))
            .unwrap_or(0);
        OpPicker {
            field,
            ft,
            cursor,
            target,
            old,
        }
    }

    pub fn ops(&self) -> &'static [Op] {
        ops_for(self.ft)
    }

    pub fn current(&self) -> Op {
        self.ops()[self.cursor.min(self.ops().len() - 1)]
    }

    pub fn move_by(&mut self, delta: isize) {
        let n = self.ops().len();
        self.cursor = self.cursor.saturating_add_signed(delta).min(n - 1);
    }
}

/// A few words on what an operator does, for the picker.
pub fn op_help(op: Op) -> &'static str {
    match op {
        Op::Eq => "equals",
        Op::Ne => "differs from (null counts as different)",
        Op::Lt => "less than",
        Op::Le => "at most",
        Op::Gt => "greater than",
        Op::Ge => "at least",
        Op::In => "one of a list",
        Op::NotIn => "none of a list",
        Op::Like => "pattern, case-sensitive: % any text, _ one character",
        Op::NotLike => "does not match the pattern",
        Op::Ilike => "pattern ignoring case: % any text, _ one character",
        Op::NotIlike => "does not match the pattern (ignoring case)",
        Op::Regex => "regular expression, anywhere in the text",
        Op::NotRegex => "does not match the regular expression",
        Op::Match => "contains the whole word (ignoring case)",
        Op::NotMatch => "does not contain the word",
        Op::Has => "the list contains the value",
        Op::HasNot => "the list does not contain the value",
    }
}

/// Step 3: the value, checked on every keystroke.
#[derive(Debug, Clone)]
pub struct ValueEditor {
    pub field: &'static FieldSpec,
    pub ft: FilterType,
    pub op: Op,
    pub input: Input,
    /// The value read from the input, or why it cannot be used.
    pub parsed: Result<Value, String>,
    pub target: Target,
    pub old: Option<Condition>,
    /// The text was filled in for the user (a preset's default): the first key typed replaces
    /// it instead of appending.
    pub fresh: bool,
}

impl ValueEditor {
    pub fn new(
        field: &'static FieldSpec,
        ft: FilterType,
        op: Op,
        target: Target,
        old: Option<Condition>,
    ) -> ValueEditor {
        let kept = old
            .as_ref()
            .filter(|c| c.field == field.name && is_list(c.op) == is_list(op))
            .map(|c| editable_text(&c.value));
        // A true/false field starts at `true`, filled in for the user: typing replaces it.
        let fresh = kept.is_none() && ft == FilterType::Bool;
        let text = kept.unwrap_or_else(|| if fresh { "true".into() } else { String::new() });
        let mut v = ValueEditor {
            field,
            ft,
            op,
            input: Input::new(text),
            parsed: Err(String::new()),
            target,
            old,
            fresh,
        };
        v.check();
        v
    }

    /// Re-reads the input.
    pub fn check(&mut self) {
        let text = self.input.value();
        self.parsed = if text.trim().is_empty() {
            Err(format!("type a value: {}", self.hint()))
        } else {
            parse_value(self.ft, self.op, text)
        };
    }

    pub fn edit(&mut self, req: InputRequest) {
        if self.fresh && matches!(req, InputRequest::InsertChar(_)) {
            self.input = Input::default();
        }
        self.fresh = false;
        if self.input.handle(req).is_some_and(|c| c.value) {
            self.check();
        }
    }

    /// Space on a true/false field flips the value.
    pub fn toggle_bool(&mut self) -> bool {
        if self.ft != FilterType::Bool {
            return false;
        }
        let now = matches!(self.parsed, Ok(Value::Bool(true)));
        self.input = Input::new((!now).to_string());
        self.fresh = false;
        self.check();
        true
    }

    /// The values this field is known to take, when the operator compares with a value
    /// (not a pattern or a regex): what Tab completes to and the box lists.
    pub fn known(&self) -> &'static [&'static str] {
        let plain = matches!(
            self.op,
            Op::Eq | Op::Ne | Op::In | Op::NotIn | Op::Has | Op::HasNot
        );
        if plain && matches!(self.ft, FilterType::Str | FilterType::ArrayStr) {
            crate::api::fields::known_values(&self.field.name)
        } else {
            &[]
        }
    }

    /// The value being typed: the whole box, or the last item of a comma-separated list.
    pub fn current_word(&self) -> &str {
        let text = self.input.value();
        let start = if is_list(self.op) {
            text.rfind(',').map_or(0, |i| i + 1)
        } else {
            0
        };
        text[start..].trim()
    }

    /// Tab: the typed word becomes the first known value it starts (or else contains); on a
    /// known value already, the next one, so Tab pressed again walks through them all. Within
    /// a list only the last item changes. False when the field has no known values.
    pub fn complete(&mut self) -> bool {
        let known = self.known();
        if known.is_empty() {
            return false;
        }
        let word = self.current_word().to_ascii_lowercase();
        let pick = if let Some(i) = known.iter().position(|k| *k == word) {
            known[(i + 1) % known.len()]
        } else if let Some(k) = known.iter().find(|k| k.starts_with(&word)) {
            k
        } else if let Some(k) = known.iter().find(|k| k.contains(&word)) {
            k
        } else {
            return true;
        };
        let text = self.input.value();
        let head = match text.rfind(',') {
            Some(i) if is_list(self.op) => format!("{}, ", text[..i].trim_end()),
            _ => String::new(),
        };
        self.input = Input::new(format!("{head}{pick}"));
        self.fresh = false;
        self.check();
        true
    }

    /// The condition, when the value is good.
    pub fn condition(&self) -> Option<Condition> {
        self.parsed.as_ref().ok().map(|v| Condition {
            field: self.field.name.clone(),
            op: self.op,
            value: v.clone(),
        })
    }

    /// What the box expects, in a few words.
    pub fn hint(&self) -> &'static str {
        match (self.ft, self.op) {
            (_, Op::In | Op::NotIn) if !self.known().is_empty() => {
                "several of the values below, separated by commas (tab completes the last)"
            }
            (_, Op::In | Op::NotIn) => "several values separated by commas: US, GB",
            (_, Op::Like | Op::NotLike | Op::Ilike | Op::NotIlike) => {
                "% matches any text, _ one character: %news%"
            }
            (_, Op::Regex | Op::NotRegex) => "a regular expression: ^https://",
            (_, Op::Match | Op::NotMatch) => "a word: news",
            (FilterType::Num, _) => "a number: 500",
            (FilterType::Bool, _) => "true or false (space switches)",
            (FilterType::Time, _) => "a date YYYY-MM-DD or YYYY-MM-DD HH:MM:SS +00:00",
            (FilterType::Str | FilterType::ArrayStr, _) if !self.known().is_empty() => {
                "one of the values below (tab completes and steps through them)"
            }
            (FilterType::Str | FilterType::ArrayStr, _) => "text, as it appears",
        }
    }

    /// A warning for a value that is valid but probably not what was meant.
    pub fn advice(&self) -> Option<&'static str> {
        let pattern = matches!(self.op, Op::Like | Op::NotLike | Op::Ilike | Op::NotIlike);
        let v = self.input.value();
        (pattern && self.parsed.is_ok() && !v.contains(['%', '_']))
            .then_some("no % or _: this matches the whole text exactly; %word% finds it anywhere")
    }
}

fn is_list(op: Op) -> bool {
    matches!(op, Op::In | Op::NotIn)
}

/// A value as the user would type it back into the box (`parse_value` reads it the same).
pub fn editable_text(v: &Value) -> String {
    match v {
        Value::Str(s) if s.starts_with('"') || s.trim() != s => v.to_string(),
        Value::Str(s) => s.clone(),
        Value::List(items) => {
            let plain = items.iter().all(|i| match i {
                Value::Str(s) => !s.contains([',', '"']) && s.trim() == s && !s.is_empty(),
                _ => true,
            });
            if plain {
                items
                    .iter()
                    .map(editable_text)
                    .collect::<Vec<_>>()
                    .join(", ")
            } else {
                v.to_string()
            }
        }
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_ahead_puts_prefix_matches_first() {
        let names: Vec<&str> = matching_fields("rank")
            .iter()
            .map(|f| f.name.as_str())
            .collect();
        assert_eq!(names[0], "rank");
        assert!(names.contains(&"domain_from_rank"));
        let top3: Vec<&str> = matching_fields("page_from_keywords_count_top_3")
            .iter()
            .map(|f| f.name.as_str())
            .collect();
        assert_eq!(
            top3,
            ["ranked_keywords_info.page_from_keywords_count_top_3"]
        );
        assert!(matching_fields("zzz").is_empty());
    }

    #[test]
    fn values_read_back_from_their_editable_text() {
        for (ft, op, v) in [
            (FilterType::Str, Op::Eq, Value::Str("a, b".into())),
            (FilterType::Str, Op::Eq, Value::Str(" padded".into())),
            (FilterType::Str, Op::Eq, Value::Str("\"quoted\"".into())),
            (
                FilterType::Str,
                Op::In,
                Value::List(vec![Value::Str("US".into()), Value::Str("GB".into())]),
            ),
            (
                FilterType::Str,
                Op::In,
                Value::List(vec![Value::Str("a,b".into()), Value::Str("c".into())]),
            ),
            (FilterType::Num, Op::Ge, Value::Int(500)),
            (FilterType::Bool, Op::Eq, Value::Bool(false)),
        ] {
            let text = editable_text(&v);
            assert_eq!(parse_value(ft, op, &text).unwrap(), v, "{text}");
        }
    }
}
