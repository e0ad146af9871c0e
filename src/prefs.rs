//! Settings beyond credentials, read from `config.toml`: page size, default columns, theme,
//! page-cache lifetime, session budget, the CSV formula guard, and a check of the `[keys.<pane>]` overrides.
//!
//! A bad setting never stops the app: each one becomes a [`SettingProblem`] naming the file,
//! line, column and key, and that setting keeps its default. (Unreadable TOML and a broken
//! `[auth]` are still fatal in `config.rs`: guessing at credentials would be worse.)

mod files;
pub mod paths;
mod value;

use std::path::{Path, PathBuf};
use std::time::Duration;

use thiserror::Error;
use toml::de::{DeTable, DeValue};

use crate::api::fields::column_field;
use crate::api::request::MAX_LIMIT;
use crate::keymap::{Key, Pane};

pub use self::files::write_atomic;
use self::value::{Spot, closest, parse_duration};

/// The keys `config.toml` knows at the top level.
pub const KNOWN_KEYS: &[&str] = &[
    "api_url",
    "auth",
    "keys",
    "page_size",
    "columns",
    "theme",
    "cache_ttl",
    "budget",
    "csv_formula_guard",
];

/// Colours for a dark or a light terminal background.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ThemeName {
    #[default]
    Dark,
    Light,
}

/// The settings of `config.toml` other than credentials and key bindings. `None` means "not
/// set": the built-in default applies.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Settings {
    /// Rows per request (1–1000).
    pub page_size: Option<u32>,
    /// Default table columns, in order (catalogue names).
    pub columns: Option<Vec<&'static str>>,
    pub theme: ThemeName,
    /// How long a cached page stays fresh; zero turns the cache off.
    pub cache_ttl: Option<Duration>,
    /// USD the explorer may spend in one session before it asks.
    pub budget: Option<f64>,
    /// `false`: CSV/TSV text is written as it came, formula-like or not (for scripts).
    pub csv_formula_guard: Option<bool>,
}

/// One setting that was ignored, and why. Positions are 1-based.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{}:{line}:{column}: `{key}` {message}", path.display())]
pub struct SettingProblem {
    pub path: PathBuf,
    pub line: usize,
    pub column: usize,
    pub key: String,
    pub message: String,
}

/// Reads the settings of a config file's text. Syntax errors are `config.rs`'s to report;
/// here they only mean "no settings".
pub fn parse(path: &Path, text: &str) -> (Settings, Vec<SettingProblem>) {
    let mut settings = Settings::default();
    let mut problems = Vec::new();
    let Ok(doc) = DeTable::parse(text) else {
        return (settings, problems);
    };
    let spot = Spot { path, text };
    for (key, value) in doc.get_ref() {
        let name = key.get_ref().as_ref();
        let at = value.span().start;
        let mut bad = |message: String| problems.push(spot.problem(name, at, message));
        match name {
            "api_url" | "auth" => {} // config.rs reads these
            "keys" => problems.extend(check_keys(&spot, value.get_ref(), at)),
            "page_size" => match value.get_ref() {
                DeValue::Integer(i) => match value::integer(i) {
                    Some(n) if (1..=i64::from(MAX_LIMIT)).contains(&n) => {
                        settings.page_size = Some(n as u32);
                    }
                    _ => bad(format!("must be a whole number from 1 to {MAX_LIMIT}")),
                },
                _ => bad(format!("must be a whole number from 1 to {MAX_LIMIT}")),
            },
            "columns" => settings.columns = check_columns(&spot, value, &mut problems),
            "theme" => match value.get_ref().as_str() {
                Some("dark") => settings.theme = ThemeName::Dark,
                Some("light") => settings.theme = ThemeName::Light,
                _ => bad("must be \"dark\" or \"light\"".into()),
            },
            "cache_ttl" => match value.get_ref().as_str().map(parse_duration) {
                Some(Ok(d)) => settings.cache_ttl = Some(d),
                Some(Err(e)) => bad(e),
                None => bad("must be a duration in quotes: \"30m\", \"24h\", \"7d\", \"0\"".into()),
            },
            "budget" => match value::number(value.get_ref()) {
                Some(usd) if usd > 0.0 && usd.is_finite() => settings.budget = Some(usd),
                _ => bad("must be an amount in USD above 0, e.g. 1.50".into()),
            },
            "csv_formula_guard" => match value.get_ref() {
                DeValue::Boolean(on) => settings.csv_formula_guard = Some(*on),
                _ => bad("must be true or false".into()),
            },
            other => {
                let hint = closest(other, KNOWN_KEYS)
                    .map_or_else(String::new, |k| format!(" (did you mean `{k}`?)"));
                let at = key.span().start;
                problems.push(spot.problem(
                    other,
                    at,
                    format!("is not a setting{hint}; known: {}", KNOWN_KEYS.join(", ")),
                ));
            }
        }
    }
    problems.sort_by_key(|p| (p.line, p.column));
    (settings, problems)
}

fn check_columns(
    spot: &Spot<'_>,
    value: &toml::Spanned<DeValue<'_>>,
    problems: &mut Vec<SettingProblem>,
) -> Option<Vec<&'static str>> {
    let Some(list) = value.get_ref().as_array() else {
        problems.push(spot.problem(
            "columns",
            value.span().start,
            "must be a list of field names, e.g. [\"rank\", \"domain_from\"]".into(),
        ));
        return None;
    };
    let mut fields = Vec::new();
    for item in list {
        let at = item.span().start;
        match item.get_ref().as_str() {
            Some(name) => match column_field(name) {
                Some(field) if !fields.contains(&field) => fields.push(field),
                Some(_) => {
                    problems.push(spot.problem("columns", at, format!("lists `{name}` twice")));
                }
                None => problems.push(spot.problem(
                    "columns",
                    at,
                    format!("has `{name}`, which is not a field (see the column chooser, c)"),
                )),
            },
            None => {
                problems.push(spot.problem(
                    "columns",
                    at,
                    "must hold field names in quotes".into(),
                ));
            }
        }
    }
    (!fields.is_empty()).then_some(fields)
}

/// Checks `[keys.<pane>]` against the panes, key names and actions the keymap knows.
fn check_keys(spot: &Spot<'_>, value: &DeValue<'_>, at: usize) -> Vec<SettingProblem> {
    let mut problems = Vec::new();
    let panes: Vec<&str> = Pane::ALL.iter().map(|p| p.name()).collect();
    let Some(table) = value.as_table() else {
        problems.push(spot.problem("keys", at, "must be a section: [keys.results] …".into()));
        return problems;
    };
    for (pane, bindings) in table {
        let pane_name = pane.get_ref().as_ref();
        let key = format!("keys.{pane_name}");
        if !panes.contains(&pane_name) {
            let message = format!("is not a pane; panes: {}", panes.join(", "));
            problems.push(spot.problem(&key, pane.span().start, message));
            continue;
        }
        let Some(bindings) = bindings.get_ref().as_table() else {
            problems.push(spot.problem(&key, bindings.span().start, "must be a section".into()));
            continue;
        };
        for (spec, action) in bindings {
            let spec_name = spec.get_ref().as_ref();
            let full = format!("{key}.\"{spec_name}\"");
            if let Err(e) = Key::parse(spec_name) {
                problems.push(spot.problem(&full, spec.span().start, e));
                continue;
            }
            let known = action
                .get_ref()
                .as_str()
                .is_some_and(|a| crate::action::Action::parse(a).is_some());
            if !known {
                let message = "is not an action (`backlinks config --keys` lists them)".into();
                problems.push(spot.problem(&full, action.span().start, message));
            }
        }
    }
    problems
}
