//! `backlinks config`: where every file lives and which exist; every value in effect (where
//! requests go, credentials as "set", page size, columns, theme, cache, budget, the CSV
//! formula guard) with where it came from; and what is wrong in the config. The values come
//! from the functions the commands themselves use ([`route`], [`super::prefs`]), so what
//! this says is what they do.

use std::io::{self, Write};
use std::path::Path;

use crate::cli::{Cli, ConfigArgs};
use crate::config::{self, Loaded, Origin};
use crate::keymap::{Keymap, Pane};
use crate::prefs::paths::Paths;
use crate::views;

use super::CommandError;
use super::backend::{Route, route};

fn state(path: &Path) -> &'static str {
    if path.exists() {
        "exists"
    } else {
        "not there yet"
    }
}

fn line(out: &mut impl Write, what: &str, path: Option<&Path>, note: &str) -> io::Result<()> {
    match path {
        Some(p) => writeln!(out, "{what:<12} {}  ({}{note})", p.display(), state(p)),
        None => writeln!(out, "{what:<12} (no home directory on this system)"),
    }
}

/// Every binding as the TOML that would set it, with what it does.
fn print_keys(out: &mut impl Write, km: &Keymap) -> io::Result<()> {
    for pane in Pane::ALL {
        writeln!(out, "[keys.{}]", pane.name())?;
        for (action, keys) in km.bindings(*pane) {
            let name = action.name();
            for key in keys {
                let line = format!("{:?} = \"{name}\"", key.to_string());
                writeln!(out, "{line:<36} # {}", action.describe())?;
            }
        }
        writeln!(out)?;
    }
    Ok(())
}

/// `value  (origin)`.
fn from(value: impl std::fmt::Display, origin: Origin) -> String {
    format!("{value}  ({origin})")
}

/// Every value in effect, as (name, value with its origin), for the command line `cli`
/// with `loaded` config, `paths` and the environment variables `is_set`.
pub fn in_effect(
    cli: &Cli,
    loaded: &Loaded,
    paths: &Paths,
    is_set: &dyn Fn(&str) -> bool,
) -> Vec<(&'static str, String)> {
    let s = &loaded.settings;
    let file_or_default = |set: bool| if set { Origin::File } else { Origin::Default };
    let route = route(&cli.source, loaded);
    let credentials = match loaded.credentials_source {
        Some(c) => from("set", c.origin()),
        None => "none".to_owned(),
    };
    let (page_size, page_size_origin) = super::prefs::page_size(cli, loaded);
    let columns = match super::prefs::columns(paths, loaded) {
        (Some(fields), origin) => from(fields.join(", "), origin),
        (None, origin) => from("the built-in set", origin),
    };
    let mut theme = from(
        if s.theme == crate::prefs::ThemeName::Light {
            "light"
        } else {
            "dark"
        },
        file_or_default(
            loaded.table.contains_key("theme") && !loaded.problems.iter().any(|p| p.key == "theme"),
        ),
    );
    if is_set("NO_COLOR") {
        theme.push_str(", without colours  (environment NO_COLOR)");
    }
    let ttl = s.cache_ttl.unwrap_or(crate::store::cache::DEFAULT_TTL);
    let cache = if cli.source.no_cache {
        from("off", Origin::Flag("--no-cache"))
    } else if ttl.is_zero() {
        from("off (cache_ttl = 0)", Origin::File)
    } else {
        let place = if matches!(route, Route::Demo { .. }) {
            "in memory (the demo's pages are free)"
        } else {
            "in the data dir"
        };
        from(
            format!("{place}, pages fresh for {} s", ttl.as_secs()),
            file_or_default(s.cache_ttl.is_some()),
        )
    };
    let budget = match super::prefs::budget(cli, loaded) {
        (Some(b), origin) => from(format!("${b:.2}"), origin),
        (None, origin) => from("none", origin),
    };
    let guard = from(
        if s.csv_formula_guard == Some(false) {
            "off"
        } else {
            "on"
        },
        file_or_default(s.csv_formula_guard.is_some()),
    );
    vec![
        ("requests to", route.describe()),
        ("credentials", credentials),
        ("page_size", from(page_size, page_size_origin)),
        ("columns", columns),
        ("theme", theme),
        ("cache", cache),
        ("budget", budget),
        ("csv guard", guard),
    ]
}

pub fn run(cli: &Cli, args: &ConfigArgs) -> Result<(), CommandError> {
    let paths = Paths::from_platform(cli.config.as_deref());
    let loaded = config::load(cli.config.as_deref(), &|k| std::env::var(k).ok())?;
    // A closed pipe (`| head`) ends the output quietly: see `super::stdout`.
    let mut out = super::stdout();
    let out = &mut out;
    if args.keys {
        let km = Keymap::from_config(&loaded.table);
        print_keys(out, &km)?;
        return Ok(out.flush()?);
    }
    let named = if cli.config.is_some() {
        ", flag --config"
    } else {
        ""
    };
    line(out, "config file", paths.config_file.as_deref(), named)?;
    line(out, "data dir", paths.data_dir.as_deref(), "")?;
    line(out, "history", paths.history().as_deref(), "")?;
    let views_note = paths
        .views_dir()
        .map(|d| views::list(&d).0.len())
        .filter(|n| *n > 0)
        .map_or_else(String::new, |n| {
            format!(", {n} view{}", if n == 1 { "" } else { "s" })
        });
    line(out, "views", paths.views_dir().as_deref(), &views_note)?;
    line(out, "columns", paths.columns().as_deref(), "")?;
    line(out, "cache", paths.cache().as_deref(), "")?;
    line(out, "log", paths.log().as_deref(), "")?;
    writeln!(out)?;
    for (what, value) in in_effect(cli, &loaded, &paths, &|k| std::env::var_os(k).is_some()) {
        writeln!(out, "{what:<12} {value}")?;
    }
    let mut problems: Vec<String> = loaded.problems.iter().map(ToString::to_string).collect();
    problems.extend(loaded.warnings.iter().map(ToString::to_string));
    if !problems.is_empty() {
        writeln!(out)?;
        writeln!(out, "problems (the app starts without these settings):")?;
        for p in problems {
            writeln!(out, "  {p}")?;
        }
    }
    Ok(out.flush()?)
}
