//! The filter builder's state and what its keys do. The tree keys come from the keymap (pane
//! `builder`), the keys of the pickers, the value box and the presets menu too (pane
//! `picker`); in the field picker and the value box typed characters are text.

use std::collections::BTreeSet;

use crossterm::event::KeyEvent;
use tui_input::InputRequest;

use crate::action::Action;
use crate::api::fields::{Catalog, FilterType};
use crate::api::filter::{Filter, Logic};
use crate::api::request::{MAX_FILTER_CONDITIONS, StatusType};
use crate::app::text_request;
use crate::keymap::Key;
use jiff::civil::Date;

use super::picker::{FieldPicker, OpPicker, Target, ValueEditor};
use super::presets::{Effect, Preset, mentions};
use super::tree::{Draft, Path, TreeRow};

/// What the builder is doing.
#[derive(Debug, Clone)]
pub enum Stage {
    /// Moving through the tree.
    Tree,
    Field(FieldPicker),
    Op(OpPicker),
    Value(ValueEditor),
    Presets {
        cursor: usize,
    },
}

/// The builder: a draft expression and the step being taken on it.
#[derive(Debug, Clone)]
pub struct Builder {
    pub draft: Draft,
    /// Index into `rows()`.
    pub selected: usize,
    /// Nodes marked for grouping.
    pub marked: BTreeSet<Path>,
    pub stage: Stage,
    /// A status the "lost links" preset asks for, set on apply.
    pub status: Option<StatusType>,
    /// Why the last key did nothing, or a word of advice; cleared by the next key.
    pub message: Option<String>,
}

/// The refusal for a 9th condition, naming the API's limit.
pub fn limit_message() -> String {
    format!(
        "{MAX_FILTER_CONDITIONS}/{MAX_FILTER_CONDITIONS} conditions: the API allows at most \
         {MAX_FILTER_CONDITIONS} filter conditions"
    )
}

impl Builder {
    pub fn new(filter: Option<&Filter>) -> Builder {
        Builder {
            draft: Draft::from_filter(filter),
            selected: 0,
            marked: BTreeSet::new(),
            stage: Stage::Tree,
            status: None,
            message: None,
        }
    }

    pub fn is_tree(&self) -> bool {
        matches!(self.stage, Stage::Tree)
    }

    /// Whether typed characters are text in this step (the field picker and the value box).
    pub fn takes_text(&self) -> bool {
        matches!(self.stage, Stage::Field(_) | Stage::Value(_))
    }

    pub fn rows(&self) -> Vec<TreeRow> {
        self.draft.rows()
    }

    /// The path of the selected line (the root when the selection is out of range).
    pub fn selected_path(&self) -> Path {
        self.rows()
            .into_iter()
            .nth(self.selected)
            .map(|r| r.path)
            .unwrap_or_default()
    }

    fn select(&mut self, path: &[usize]) {
        self.selected = self.rows().iter().position(|r| r.path == path).unwrap_or(0);
    }

    pub fn open_presets(&mut self) {
        self.stage = Stage::Presets { cursor: 0 };
    }

    /// The draft as it would be sent, or why it cannot be.
    pub fn checked(&self) -> Result<Option<Filter>, String> {
        let f = self.draft.to_filter();
        if let Some(f) = &f {
            f.validate(Catalog::get()).map_err(|e| e.message)?;
        }
        Ok(f)
    }

    /// A bound action, in the tree.
    pub fn act(&mut self, action: Action, today: Option<Date>) {
        if let Err(e) = self.try_act(action, today) {
            self.message = Some(e);
        }
    }

    fn try_act(&mut self, action: Action, today: Option<Date>) -> Result<(), String> {
        let path = self.selected_path();
        let n = self.rows().len();
        match action {
            Action::SelectNext => self.selected = (self.selected + 1).min(n - 1),
            Action::SelectPrev => self.selected = self.selected.saturating_sub(1),
            Action::First => self.selected = 0,
            Action::Last => self.selected = n - 1,
            Action::BuilderAdd => {
                if self.draft.condition_count() >= MAX_FILTER_CONDITIONS {
                    return Err(limit_message());
                }
                self.stage = Stage::Field(FieldPicker::new(Target::Add(path), None));
            }
            Action::BuilderEdit => match self.draft.get(&path) {
                Some(Filter::Cond(c)) => {
                    let old = Some(c.clone());
                    self.stage = Stage::Field(FieldPicker::new(Target::Replace(path), old));
                }
                _ => return Err("Enter edits a condition; o switches a group's and / or".into()),
            },
            Action::BuilderDelete => {
                let next = self.draft.remove(&path);
                self.marked.clear();
                self.select(&next);
            }
            Action::BuilderMoveUp | Action::BuilderMoveDown => {
                let up = action == Action::BuilderMoveUp;
                let moved = self
                    .draft
                    .move_by(&path, up)
                    .ok_or_else(|| format!("already {} in its group", edge(up)))?;
                self.marked.clear();
                self.select(&moved);
            }
            Action::BuilderMark => {
                if path.is_empty() {
                    return Err("mark conditions or groups, not the top line".into());
                }
                if !self.marked.remove(&path) {
                    self.marked.insert(path);
                }
            }
            Action::BuilderWrap => {
                let paths: Vec<Path> = if self.marked.is_empty() {
                    vec![path]
                } else {
                    self.marked.iter().cloned().collect()
                };
                let g = self.draft.wrap(&paths)?;
                self.marked.clear();
                self.select(&g);
            }
            Action::BuilderUnwrap => {
                let first = self.draft.unwrap(&path)?;
                self.marked.clear();
                self.select(&first);
            }
            Action::BuilderToggleLogic => {
                // On a condition: the group it is in (the word shown before it).
                let group = if self.draft.group(&path).is_some() {
                    path
                } else {
                    path[..path.len().saturating_sub(1)].to_vec()
                };
                let logic = self.draft.toggle_logic(&group)?;
                self.select(&group);
                if logic == Logic::Or && group.is_empty() {
                    self.message = Some("top level is now: any of these".into());
                }
            }
            Action::FilterPresets => self.open_presets(),
            _ => {}
        }
        let _ = today;
        Ok(())
    }

    /// A key inside a picker, the value box or the presets menu, with its action in the
    /// `picker` pane of the keymap (falling back to the global pane). Returns whether it was
    /// used.
    pub fn stage_key(
        &mut self,
        ev: &KeyEvent,
        key: Key,
        action: Option<Action>,
        today: Option<Date>,
    ) -> bool {
        // Typed characters are text in the field picker and the value box, not commands.
        let command = if key.is_text() && self.takes_text() {
            None
        } else {
            action
        };
        self.stage = match std::mem::replace(&mut self.stage, Stage::Tree) {
            Stage::Tree => return false,
            Stage::Field(p) => self.field_key(p, ev, command),
            Stage::Op(p) => op_key(p, command),
            Stage::Value(v) => self.value_key(v, ev, action, command),
            Stage::Presets { cursor } => self.presets_key(cursor, key, command, today),
        };
        true
    }

    fn field_key(&mut self, mut p: FieldPicker, ev: &KeyEvent, action: Option<Action>) -> Stage {
        match action {
            Some(Action::Cancel) => return Stage::Tree,
            Some(Action::Confirm) => {
                if let Some(f) = p.current() {
                    let ft = f.filter_type.unwrap_or(FilterType::Str);
                    return Stage::Op(OpPicker::new(f, ft, p.target, p.old));
                }
                self.message = Some(format!("no filterable field matches '{}'", p.input.value()));
            }
            Some(Action::Complete) => p.complete(),
            Some(Action::PageUp) => p.move_by(-10),
            Some(Action::PageDown) => p.move_by(10),
            Some(Action::SelectPrev) => p.move_by(-1),
            Some(Action::SelectNext) => p.move_by(1),
            _ => {
                if let Some(req) = text_request(ev) {
                    p.edit(req);
                }
            }
        }
        Stage::Field(p)
    }

    /// A key in the value box: `action` is the key's binding, `command` the same unless the
    /// key is typed text. A key bound to `toggle_value` flips a true/false value (and is
    /// typed on any other field).
    fn value_key(
        &mut self,
        mut v: ValueEditor,
        ev: &KeyEvent,
        action: Option<Action>,
        command: Option<Action>,
    ) -> Stage {
        if action == Some(Action::ToggleValue) && v.toggle_bool() {
            return Stage::Value(v);
        }
        match command {
            Some(Action::Cancel) => {
                let mut back = OpPicker::new(v.field, v.ft, v.target, v.old);
                back.cursor = back.ops().iter().position(|o| *o == v.op).unwrap_or(0);
                Stage::Op(back)
            }
            Some(Action::Confirm) => self.commit(v),
            Some(Action::Complete) if v.complete() => Stage::Value(v),
            _ => {
                if let Some(req) = text_request(ev) {
                    v.edit(req);
                }
                Stage::Value(v)
            }
        }
    }

    /// A key in the presets menu; a digit takes that line at once.
    fn presets_key(
        &mut self,
        cursor: usize,
        key: Key,
        action: Option<Action>,
        today: Option<Date>,
    ) -> Stage {
        let last = Preset::ALL.len() - 1;
        let pick = match (key.digit().filter(|d| *d > 0), action) {
            (Some(d), _) => Some(usize::from(d - 1)),
            (None, Some(Action::Cancel)) => return Stage::Tree,
            (None, Some(Action::Confirm)) => Some(cursor.min(last)),
            (None, Some(Action::SelectPrev)) => {
                return Stage::Presets {
                    cursor: cursor.saturating_sub(1),
                };
            }
            (None, Some(Action::SelectNext)) => {
                return Stage::Presets {
                    cursor: (cursor + 1).min(last),
                };
            }
            _ => None,
        };
        match pick.and_then(|i| Preset::ALL.get(i)) {
            Some(p) => self.preset(*p, today),
            None => Stage::Presets {
                cursor: cursor.min(last),
            },
        }
    }

    /// Enter in the value box: the condition goes into the tree, if its value is good.
    fn commit(&mut self, v: ValueEditor) -> Stage {
        let Some(cond) = v.condition() else {
            let reason = v.parsed.as_ref().err().cloned().unwrap_or_default();
            self.message = Some(format!("not added: {reason}"));
            return Stage::Value(v);
        };
        let path = match &v.target {
            Target::Add(at) => {
                if self.draft.condition_count() >= MAX_FILTER_CONDITIONS {
                    self.message = Some(limit_message());
                    return Stage::Tree;
                }
                self.draft.insert(at, Filter::Cond(cond))
            }
            Target::Replace(p) => {
                self.draft.replace(p, Filter::Cond(cond));
                p.clone()
            }
        };
        self.marked.clear();
        self.select(&path);
        Stage::Tree
    }

    /// A preset was chosen: it adds to the draft (never replaces).
    fn preset(&mut self, preset: Preset, today: Option<Date>) -> Stage {
        let effect = match preset.effect(today) {
            Ok(e) => e,
            Err(e) => {
                self.message = Some(e);
                return Stage::Tree;
            }
        };
        match effect {
            Effect::Status(s) => {
                self.status = Some(s);
                self.message = Some(format!("status becomes {s} when you apply"));
                Stage::Tree
            }
            Effect::Add { cond, ask } => {
                if self.draft.condition_count() >= MAX_FILTER_CONDITIONS {
                    self.message = Some(limit_message());
                    return Stage::Tree;
                }
                if self
                    .draft
                    .to_filter()
                    .is_some_and(|f| mentions(&f, &cond.field))
                {
                    self.message = Some(format!(
                        "added beside your other condition on {} (both must hold)",
                        cond.field
                    ));
                }
                let path = self.draft.and(Filter::Cond(cond.clone()));
                self.marked.clear();
                self.select(&path);
                let spec = Catalog::get().find(&cond.field);
                match (ask, spec.and_then(|s| s.filter_type.map(|t| (s, t)))) {
                    (true, Some((spec, ft))) => {
                        let op = cond.op;
                        let mut v =
                            ValueEditor::new(spec, ft, op, Target::Replace(path), Some(cond));
                        v.fresh = true;
                        Stage::Value(v)
                    }
                    _ => Stage::Tree,
                }
            }
        }
    }

    /// Pasted text goes into the open text box, if any.
    pub fn paste(&mut self, text: &str) {
        let chars = text.chars().filter(|c| !c.is_control());
        match &mut self.stage {
            Stage::Field(p) => chars.for_each(|c| p.edit(InputRequest::InsertChar(c))),
            Stage::Value(v) => chars.for_each(|c| v.edit(InputRequest::InsertChar(c))),
            _ => {}
        }
    }
}

/// A key in the operator picker.
fn op_key(mut p: OpPicker, action: Option<Action>) -> Stage {
    match action {
        Some(Action::Cancel) => {
            let mut back = FieldPicker::new(p.target, p.old);
            back.cursor = back
                .matches()
                .iter()
                .position(|f| f.name == p.field.name)
                .unwrap_or(0);
            Stage::Field(back)
        }
        Some(Action::Confirm) => {
            let op = p.current();
            Stage::Value(ValueEditor::new(p.field, p.ft, op, p.target, p.old))
        }
        Some(Action::SelectPrev) => {
            p.move_by(-1);
            Stage::Op(p)
        }
        Some(Action::SelectNext) => {
            p.move_by(1);
            Stage::Op(p)
        }
        _ => Stage::Op(p),
    }
}

fn edge(up: bool) -> &'static str {
    if up { "first" } else { "last" }
}
