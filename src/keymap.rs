//! Key bindings: (pane, key) → `Action`. Defaults from `assets/keymap.toml`, overridable per
//! pane in `config.toml` under `[keys.<pane>]`. The help overlay is generated from this table.

use std::collections::BTreeMap;
use std::fmt;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use thiserror::Error;

use crate::action::Action;

/// Where a binding applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Pane {
    Global,
    Query,
    Results,
    /// The detail panel; keys it does not bind fall through to the table's.
    Detail,
    /// The search bar (a text field: only non-character keys are looked up).
    Search,
    /// The filter builder's tree.
    Builder,
    /// The one-line filter bar.
    FilterBar,
    /// The column chooser.
    Columns,
    /// The query history list (a text field: only non-character keys are looked up).
    History,
    /// The saved views list.
    Views,
    /// The statistics view.
    Stats,
    /// The budget question.
    Budget,
    /// The copy menu.
    Copy,
    /// The help.
    Help,
    /// The save dialog (a text field: only non-character keys are looked up).
    Save,
    /// A running "save the whole result".
    Export,
    /// The filter builder's field and operator pickers, its value box and its presets menu
    /// (the field picker and the value box are text fields: only non-character keys are
    /// looked up there).
    Picker,
    /// The name of a view being saved (a text field: only non-character keys are looked up).
    ViewName,
}

impl Pane {
    pub const ALL: &'static [Pane] = &[
        Pane::Global,
        Pane::Query,
        Pane::Results,
        Pane::Detail,
        Pane::Search,
        Pane::Builder,
        Pane::FilterBar,
        Pane::Columns,
        Pane::History,
        Pane::Views,
        Pane::Stats,
        Pane::Budget,
        Pane::Copy,
        Pane::Help,
        Pane::Save,
        Pane::Export,
        Pane::Picker,
        Pane::ViewName,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Pane::Global => "global",
            Pane::Query => "query",
            Pane::Results => "results",
            Pane::Detail => "detail",
            Pane::Search => "search",
            Pane::Builder => "builder",
            Pane::FilterBar => "filter_bar",
            Pane::Columns => "columns",
            Pane::History => "history",
            Pane::Views => "views",
            Pane::Stats => "stats",
            Pane::Budget => "budget",
            Pane::Copy => "copy",
            Pane::Help => "help",
            Pane::Save => "save",
            Pane::Export => "export",
            Pane::Picker => "picker",
            Pane::ViewName => "view_name",
        }
    }

    fn parse(s: &str) -> Option<Pane> {
        Pane::ALL.iter().copied().find(|p| p.name() == s)
    }
}

/// A key with its modifiers, normalised so that `G` and `shift+g` are the same key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Key {
    code: KeyCodeOrd,
    ctrl: bool,
    alt: bool,
    shift: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum KeyCodeOrd {
    Char(char),
    Named(&'static str),
    F(u8),
}

const NAMED: &[(&str, KeyCode)] = &[
    ("enter", KeyCode::Enter),
    ("esc", KeyCode::Esc),
    ("tab", KeyCode::Tab),
    ("backtab", KeyCode::BackTab),
    ("backspace", KeyCode::Backspace),
    ("delete", KeyCode::Delete),
    ("up", KeyCode::Up),
    ("down", KeyCode::Down),
    ("left", KeyCode::Left),
    ("right", KeyCode::Right),
    ("home", KeyCode::Home),
    ("end", KeyCode::End),
    ("pageup", KeyCode::PageUp),
    ("pagedown", KeyCode::PageDown),
];

impl Key {
    /// The key of a terminal event, if it is one we can bind.
    pub fn from_event(ev: &KeyEvent) -> Option<Key> {
        let m = ev.modifiers;
        let code = match ev.code {
            KeyCode::Char(' ') => KeyCodeOrd::Named("space"),
            KeyCode::Char(c) => KeyCodeOrd::Char(c),
            KeyCode::F(n) => KeyCodeOrd::F(n),
            other => KeyCodeOrd::Named(NAMED.iter().find(|(_, k)| *k == other)?.0),
        };
        // Shift is part of the character already ("G", "?"); BackTab carries it too.
        let shift = m.contains(KeyModifiers::SHIFT)
            && !matches!(code, KeyCodeOrd::Char(_) | KeyCodeOrd::Named("backtab"));
        Some(Key {
            code,
            ctrl: m.contains(KeyModifiers::CONTROL),
            alt: m.contains(KeyModifiers::ALT),
            shift,
        })
    }

    /// Parses `ctrl+c`, `G`, `pagedown`, `shift+up`, `f1`.
    pub fn parse(spec: &str) -> Result<Key, String> {
        let mut key = Key {
            code: KeyCodeOrd::Named(""),
            ctrl: false,
            alt: false,
            shift: false,
        };
        let mut rest = spec;
        loop {
            let lower = rest.to_ascii_lowercase();
            if let Some(r) = lower.strip_prefix("ctrl+").filter(|r| !r.is_empty()) {
                key.ctrl = true;
                rest = &rest[rest.len() - r.len()..];
            } else if let Some(r) = lower.strip_prefix("alt+").filter(|r| !r.is_empty()) {
                key.alt = true;
                rest = &rest[rest.len() - r.len()..];
            } else if let Some(r) = lower.strip_prefix("shift+").filter(|r| !r.is_empty()) {
                key.shift = true;
                rest = &rest[rest.len() - r.len()..];
            } else {
                break;
            }
        }
        let mut chars = rest.chars();
        key.code = if let (Some(c), None) = (chars.next(), chars.next()) {
            if key.shift && c.is_ascii_alphabetic() {
                key.shift = false;
                KeyCodeOrd::Char(c.to_ascii_uppercase())
            } else if key.ctrl {
                KeyCodeOrd::Char(c.to_ascii_lowercase())
            } else {
                KeyCodeOrd::Char(c)
            }
        } else {
            let lower = rest.to_ascii_lowercase();
            if lower == "space" {
                KeyCodeOrd::Named("space")
            } else if let Some(n) = lower.strip_prefix('f').and_then(|n| n.parse().ok()) {
                KeyCodeOrd::F(n)
            } else {
                let name = NAMED
                    .iter()
                    .find(|(n, _)| *n == lower)
                    .ok_or_else(|| format!("unknown key '{spec}'"))?
                    .0;
                KeyCodeOrd::Named(name)
            }
        };
        Ok(key)
    }

    /// The digit of a plain digit key (`1`), for picking a numbered line.
    pub fn digit(self) -> Option<u8> {
        match self.code {
            KeyCodeOrd::Char(c) if !self.ctrl && !self.alt => c.to_digit(10).map(|d| d as u8),
            _ => None,
        }
    }

    /// A plain printable character (no ctrl/alt): typed text inside a text field.
    pub fn is_text(self) -> bool {
        matches!(self.code, KeyCodeOrd::Char(_) | KeyCodeOrd::Named("space"))
            && !self.ctrl
            && !self.alt
    }
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.ctrl {
            f.write_str("ctrl+")?;
        }
        if self.alt {
            f.write_str("alt+")?;
        }
        if self.shift {
            f.write_str("shift+")?;
        }
        match self.code {
            KeyCodeOrd::Char(c) => write!(f, "{c}"),
            KeyCodeOrd::Named(n) => f.write_str(n),
            KeyCodeOrd::F(n) => write!(f, "f{n}"),
        }
    }
}

/// A problem in a key table (default or from config.toml).
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("[keys.{pane}] \"{key}\": {reason}")]
pub struct KeymapError {
    pub pane: String,
    pub key: String,
    pub reason: String,
}

/// The binding table.
#[derive(Debug, Clone)]
pub struct Keymap {
    map: BTreeMap<(Pane, Key), Action>,
}

const DEFAULTS: &str = include_str!("../assets/keymap.toml");

type Table = BTreeMap<String, BTreeMap<String, String>>;

impl Keymap {
    /// The built-in bindings.
    pub fn defaults() -> Keymap {
        let table: Table = toml::from_str(DEFAULTS).expect("assets/keymap.toml is valid TOML");
        let mut km = Keymap {
            map: BTreeMap::new(),
        };
        km.apply(&table)
            .expect("assets/keymap.toml binds valid keys");
        km
    }

    /// The defaults with the `[keys.<pane>]` overrides of a config file. Bad entries are
    /// skipped here; `prefs` reports each one with its line.
    pub fn from_config(config: &toml::Table) -> Keymap {
        let mut km = Keymap::defaults();
        // Only the entries that are strings, so one wrong value does not drop its whole pane.
        let table: Table = config
            .get("keys")
            .and_then(toml::Value::as_table)
            .into_iter()
            .flatten()
            .filter_map(|(pane, bindings)| {
                let strings = bindings
                    .as_table()?
                    .iter()
                    .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_owned())))
                    .collect();
                Some((pane.clone(), strings))
            })
            .collect();
        let _ = km.apply(&table);
        km
    }

    /// Applies overrides (`[keys.<pane>]` tables of config.toml). Every problem is reported;
    /// good entries still apply.
    pub fn apply(&mut self, table: &Table) -> Result<(), Vec<KeymapError>> {
        let mut errors = Vec::new();
        for (pane_name, bindings) in table {
            let Some(pane) = Pane::parse(pane_name) else {
                errors.push(KeymapError {
                    pane: pane_name.clone(),
                    key: String::new(),
                    reason: format!(
                        "unknown pane ({})",
                        Pane::ALL
                            .iter()
                            .map(|p| p.name())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                });
                continue;
            };
            for (spec, action_name) in bindings {
                let err = |reason: String| KeymapError {
                    pane: pane_name.clone(),
                    key: spec.clone(),
                    reason,
                };
                let key = match Key::parse(spec) {
                    Ok(k) => k,
                    Err(e) => {
                        errors.push(err(e));
                        continue;
                    }
                };
                let Some(action) = Action::parse(action_name) else {
                    errors.push(err(format!("unknown action '{action_name}'")));
                    continue;
                };
                self.map.insert((pane, key), action);
            }
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }

    /// The action of `key` in `pane`, falling back to the global bindings.
    pub fn lookup(&self, pane: Pane, key: Key) -> Option<Action> {
        self.map
            .get(&(pane, key))
            .or_else(|| self.map.get(&(Pane::Global, key)))
            .copied()
    }

    /// The action of `key` in `pane` itself, without the global fallback.
    pub fn lookup_exact(&self, pane: Pane, key: Key) -> Option<Action> {
        self.map.get(&(pane, key)).copied()
    }

    /// The key a hint shows for `action`: the first of its keys (in `bindings` order) in the
    /// first of `panes` that binds it. Reads the map directly; hints ask on every frame.
    pub fn first_key(&self, panes: &[Pane], action: Action) -> Option<Key> {
        self.first_key_where(panes, action, |_| true)
    }

    /// Like [`Keymap::first_key`], leaving out plain characters: the key a hint shows while
    /// a text field takes what is typed.
    pub fn first_command_key(&self, panes: &[Pane], action: Action) -> Option<Key> {
        self.first_key_where(panes, action, |k| !k.is_text())
    }

    fn first_key_where(
        &self,
        panes: &[Pane],
        action: Action,
        keep: impl Fn(&Key) -> bool,
    ) -> Option<Key> {
        panes.iter().find_map(|pane| {
            self.map
                .iter()
                .filter(|((p, key), a)| p == pane && **a == action && keep(key))
                .map(|((_, key), _)| *key)
                .min_by_key(|k| (k.ctrl || k.alt, k.to_string().len()))
        })
    }

    /// Bindings of one pane, keys grouped by action, for the help overlay.
    pub fn bindings(&self, pane: Pane) -> Vec<(Action, Vec<Key>)> {
        let mut out: Vec<(Action, Vec<Key>)> = Vec::new();
        for ((p, key), action) in &self.map {
            if *p != pane {
                continue;
            }
            match out.iter_mut().find(|(a, _)| a == action) {
                Some((_, keys)) => keys.push(*key),
                None => out.push((*action, vec![*key])),
            }
        }
        out.sort_by_key(|(a, _)| *a);
        for (_, keys) in &mut out {
            keys.sort_by_key(|k| (k.ctrl || k.alt, k.to_string().len()));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hint_key_is_the_first_key_the_help_lists() {
        let km = Keymap::defaults();
        for &pane in Pane::ALL {
            for (action, keys) in km.bindings(pane) {
                assert_eq!(km.first_key(&[pane], action), keys.first().copied());
            }
            let global = km.bindings(Pane::Global);
            for (action, keys) in &global {
                let own = km.bindings(pane).into_iter().find(|(a, _)| a == action);
                let want = own.map_or(keys.first().copied(), |(_, k)| k.first().copied());
                assert_eq!(km.first_key(&[pane, Pane::Global], *action), want);
            }
        }
    }

    fn ev(code: KeyCode, m: KeyModifiers) -> Key {
        Key::from_event(&KeyEvent::new(code, m)).unwrap()
    }

    #[test]
    fn events_and_specs_meet() {
        assert_eq!(
            ev(KeyCode::Char('G'), KeyModifiers::SHIFT),
            Key::parse("G").unwrap()
        );
        assert_eq!(
            ev(KeyCode::Char('G'), KeyModifiers::SHIFT),
            Key::parse("shift+g").unwrap()
        );
        assert_eq!(
            ev(KeyCode::Char('c'), KeyModifiers::CONTROL),
            Key::parse("ctrl+c").unwrap()
        );
        assert_eq!(
            ev(KeyCode::BackTab, KeyModifiers::SHIFT),
            Key::parse("backtab").unwrap()
        );
        assert_eq!(
            ev(KeyCode::PageDown, KeyModifiers::NONE),
            Key::parse("PageDown").unwrap()
        );
        assert_eq!(
            ev(KeyCode::Char(' '), KeyModifiers::NONE),
            Key::parse("space").unwrap()
        );
        assert_eq!(
            ev(KeyCode::F(1), KeyModifiers::NONE),
            Key::parse("f1").unwrap()
        );
        assert!(Key::parse("hyper+x").is_err());
    }

    #[test]
    fn defaults_bind_the_documented_keys() {
        let km = Keymap::defaults();
        let k = |s| Key::parse(s).unwrap();
        assert_eq!(km.lookup(Pane::Results, k("j")), Some(Action::SelectNext));
        assert_eq!(km.lookup(Pane::Results, k("G")), Some(Action::Last));
        assert_eq!(
            km.lookup(Pane::Results, k("q")),
            Some(Action::Quit),
            "global fallback"
        );
        assert_eq!(km.lookup(Pane::Query, k("enter")), Some(Action::RunQuery));
        assert_eq!(km.lookup(Pane::Query, k("j")), None);
    }

    #[test]
    fn overrides_apply_and_errors_name_the_key() {
        let mut km = Keymap::defaults();
        let table: Table = toml::from_str(
            "[results]\n\"ctrl+d\" = \"page_down\"\n\"x\" = \"explode\"\n[nowhere]\n\"a\" = \"quit\"",
        )
        .unwrap();
        let errs = km.apply(&table).unwrap_err();
        assert_eq!(errs.len(), 2);
        assert!(
            errs.iter()
                .any(|e| e.to_string().contains("unknown action 'explode'"))
        );
        assert!(errs.iter().any(|e| e.to_string().contains("unknown pane")));
        assert_eq!(
            km.lookup(Pane::Results, Key::parse("ctrl+d").unwrap()),
            Some(Action::PageDown)
        );
    }

    #[test]
    fn bindings_group_keys_by_action() {
        let km = Keymap::defaults();
        let b = km.bindings(Pane::Results);
        let (_, keys) = b.iter().find(|(a, _)| *a == Action::SelectNext).unwrap();
        let names: Vec<String> = keys.iter().map(ToString::to_string).collect();
        assert!(names.contains(&"j".to_owned()) && names.contains(&"down".to_owned()));
    }
}
