//! `backlinks config`: where every file lives, which exist, and what is wrong in the config.

use std::io::{self, Write};
use std::path::Path;

use crate::cli::{Cli, ConfigArgs};
use crate::config::{self, CredentialSource};
use crate::keymap::{Keymap, Pane};
use crate::prefs::paths::Paths;
use crate::views;

use super::CommandError;

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
    line(out, "config file", paths.config_file.as_deref(), "")?;
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
    writeln!(
        out,
        "credentials  {}",
        match loaded.credentials_source {
            Some(CredentialSource::Env) => "from the environment",
            Some(CredentialSource::File) => "from the config file",
            None => "none (the explorer runs the built-in demo)",
        }
    )?;
    let s = &loaded.settings;
    let or_default = |v: Option<String>, d: &str| v.unwrap_or_else(|| format!("{d} (default)"));
    writeln!(
        out,
        "page_size    {}",
        or_default(s.page_size.map(|n| n.to_string()), "1000")
    )?;
    writeln!(
        out,
        "columns      {}",
        or_default(s.columns.as_ref().map(|c| c.join(", ")), "built-in set")
    )?;
    writeln!(
        out,
        "theme        {}",
        if s.theme == crate::prefs::ThemeName::Light {
            "light"
        } else {
            "dark"
        }
    )?;
    writeln!(
        out,
        "cache_ttl    {}",
        or_default(s.cache_ttl.map(|d| format!("{} s", d.as_secs())), "24h")
    )?;
    writeln!(
        out,
        "budget       {}",
        or_default(s.budget.map(|b| format!("${b:.2}")), "none")
    )?;
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
