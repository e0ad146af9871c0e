//! Settings and credentials: the environment first, then `config.toml` in the config dir.
//!
//! ```toml
//! api_url = "https://sandbox.dataforseo.com"   # optional
//!
//! [auth]
//! login = "me@example.com"
//! password = "…"
//! ```
//!
//! Nothing here prints: problems come back as [`ConfigError`] or [`ConfigWarning`] values, and
//! no message ever quotes a password.

use std::path::{Path, PathBuf};

use directories::ProjectDirs;
use serde::Deserialize;
use thiserror::Error;
use toml::{Spanned, Value};

pub use crate::api::client::Credentials;
use crate::prefs::{self, SettingProblem, Settings};

pub const ENV_LOGIN: &str = "DATAFORSEO_LOGIN";
pub const ENV_PASSWORD: &str = "DATAFORSEO_PASSWORD";
/// Overrides the file's `api_url`.
pub const ENV_API_URL: &str = "DATAFORSEO_API_URL";
pub const FILE_NAME: &str = "config.toml";

/// Where the credentials came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CredentialSource {
    Env,
    File,
}

/// Where a value in effect came from (`backlinks config` says it beside the value).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// A command-line flag, by name.
    Flag(&'static str),
    /// An environment variable, by name.
    Env(&'static str),
    /// `config.toml`.
    File,
    /// A file the app wrote in the data dir, by name (`columns.toml`).
    DataDir(&'static str),
    /// Nothing set it: the built-in default.
    Default,
}

impl std::fmt::Display for Origin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Origin::Flag(name) => write!(f, "flag {name}"),
            Origin::Env(name) => write!(f, "environment {name}"),
            Origin::File => f.write_str("config file"),
            Origin::DataDir(name) => write!(f, "data dir {name}"),
            Origin::Default => f.write_str("default"),
        }
    }
}

impl CredentialSource {
    /// The same, as an [`Origin`].
    pub fn origin(self) -> Origin {
        match self {
            CredentialSource::Env => Origin::Env("DATAFORSEO_LOGIN/DATAFORSEO_PASSWORD"),
            CredentialSource::File => Origin::File,
        }
    }
}

/// The outcome of [`load`].
#[derive(Debug, Clone, Default)]
pub struct Loaded {
    pub credentials: Option<Credentials>,
    pub credentials_source: Option<CredentialSource>,
    /// From `DATAFORSEO_API_URL`, else the file's `api_url`.
    pub api_url: Option<String>,
    /// Which of the two `api_url` came from.
    pub api_url_origin: Option<Origin>,
    /// Things the user should hear about; the caller decides where to show them.
    pub warnings: Vec<ConfigWarning>,
    /// The file that was read, if one was.
    pub path: Option<PathBuf>,
    /// The rest of the file, for sections other modules own (key bindings…). `[auth]` is
    /// removed so the password does not travel further than it must.
    pub table: toml::Table,
    /// Page size, columns, theme, cache lifetime, budget (`prefs`).
    pub settings: Settings,
    /// Settings that were ignored, with file, line and key; the app starts without them.
    pub problems: Vec<SettingProblem>,
}

/// Not fatal, but worth telling the user.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ConfigWarning {
    #[error(
        "{path} holds a password and other users can read it (mode {mode:03o}); run: chmod 600 {path}"
    )]
    ReadableByOthers { path: PathBuf, mode: u32 },
    #[error("{set} is set but {missing} is not, so neither is used")]
    PartialEnv {
        set: &'static str,
        missing: &'static str,
    },
}

/// A config file that cannot be used. Positions are 1-based.
#[derive(Debug, Error)]
pub enum ConfigError {
    #[error("cannot read {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    /// Not TOML.
    #[error("{path}:{line}:{column}: {message}")]
    Toml {
        path: PathBuf,
        line: usize,
        column: usize,
        message: String,
    },
    /// TOML, but a key has the wrong shape.
    #[error("{path}:{line}:{column}: `{key}` {message}")]
    Invalid {
        path: PathBuf,
        key: String,
        line: usize,
        column: usize,
        message: String,
    },
}

/// Whether a missing file is an error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileRule {
    /// The user named it: it must be there.
    MustExist,
    /// The default location: absent means "no file".
    IfPresent,
}

/// Loads settings from `explicit_path` (must exist) or the default `config.toml` (may be
/// absent), with the environment read through `env` so tests can inject it.
pub fn load(
    explicit_path: Option<&Path>,
    env: &impl Fn(&str) -> Option<String>,
) -> Result<Loaded, ConfigError> {
    match explicit_path {
        Some(path) => load_file(Some(path), FileRule::MustExist, env),
        None => load_file(config_file().as_deref(), FileRule::IfPresent, env),
    }
}

/// [`load`] with the file and its rule spelled out.
pub fn load_file(
    path: Option<&Path>,
    rule: FileRule,
    env: &impl Fn(&str) -> Option<String>,
) -> Result<Loaded, ConfigError> {
    let mut loaded = Loaded::default();
    let mut file_credentials = None;
    if let Some(path) = path
        && let Some(text) = read(path, rule)?
    {
        let file = parse(path, &text)?;
        (loaded.settings, loaded.problems) = prefs::parse(path, &text);
        if file.credentials.is_some() {
            loaded.warnings.extend(permission_warning(path));
        }
        file_credentials = file.credentials;
        loaded.api_url_origin = file.api_url.as_ref().map(|_| Origin::File);
        loaded.api_url = file.api_url;
        loaded.table = file.rest;
        loaded.path = Some(path.to_owned());
    }
    let set = |name: &str| env(name).filter(|v| !v.is_empty());
    match (set(ENV_LOGIN), set(ENV_PASSWORD)) {
        (Some(login), Some(password)) => {
            loaded.credentials = Some(Credentials::new(login, password));
            loaded.credentials_source = Some(CredentialSource::Env);
        }
        (login, password) => {
            if login.is_some() || password.is_some() {
                let (set, missing) = if login.is_some() {
                    (ENV_LOGIN, ENV_PASSWORD)
                } else {
                    (ENV_PASSWORD, ENV_LOGIN)
                };
                loaded
                    .warnings
                    .push(ConfigWarning::PartialEnv { set, missing });
            }
            loaded.credentials_source = file_credentials.as_ref().map(|_| CredentialSource::File);
            loaded.credentials = file_credentials;
        }
    }
    if let Some(url) = set(ENV_API_URL) {
        loaded.api_url = Some(url);
        loaded.api_url_origin = Some(Origin::Env(ENV_API_URL));
    }
    Ok(loaded)
}

fn project_dirs() -> Option<ProjectDirs> {
    ProjectDirs::from("", "", "backlinks")
}

/// Where `config.toml` lives (e.g. `~/.config/backlinks` on Linux).
pub fn config_dir() -> Option<PathBuf> {
    project_dirs().map(|d| d.config_dir().to_owned())
}

/// The default config file.
pub fn config_file() -> Option<PathBuf> {
    config_dir().map(|d| d.join(FILE_NAME))
}

/// Where logs, saved sets and the page cache live (e.g. `~/.local/share/backlinks`).
pub fn data_dir() -> Option<PathBuf> {
    project_dirs().map(|d| d.data_dir().to_owned())
}

fn read(path: &Path, rule: FileRule) -> Result<Option<String>, ConfigError> {
    match std::fs::read_to_string(path) {
        Ok(text) => Ok(Some(text)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && rule == FileRule::IfPresent => {
            Ok(None)
        }
        Err(source) => Err(ConfigError::Read {
            path: path.to_owned(),
            source,
        }),
    }
}

struct FileSettings {
    credentials: Option<Credentials>,
    api_url: Option<String>,
    rest: toml::Table,
}

/// Our keys with their positions. `Value` accepts anything, so shape errors are ours to word
/// (serde's would quote the offending value, which may be the password).
#[derive(Deserialize)]
struct RawFile {
    api_url: Option<Spanned<Value>>,
    auth: Option<Spanned<Value>>,
}

#[derive(Deserialize)]
struct RawAuthFile {
    auth: RawAuth,
}

#[derive(Deserialize)]
struct RawAuth {
    login: Option<Spanned<Value>>,
    password: Option<Spanned<Value>>,
}

fn parse(path: &Path, text: &str) -> Result<FileSettings, ConfigError> {
    let syntax = |e: &toml::de::Error| {
        let (line, column) = line_col(text, e.span().map_or(0, |s| s.start));
        ConfigError::Toml {
            path: path.to_owned(),
            line,
            column,
            message: e.message().trim().to_owned(),
        }
    };
    let mut rest: toml::Table = toml::from_str(text).map_err(|e| syntax(&e))?;
    rest.remove("auth");
    let raw: RawFile = toml::from_str(text).map_err(|e| syntax(&e))?;
    let invalid = |key: &str, at: usize, message: &str| {
        let (line, column) = line_col(text, at);
        ConfigError::Invalid {
            path: path.to_owned(),
            key: key.to_owned(),
            line,
            column,
            message: message.to_owned(),
        }
    };
    let string = |key: &str, v: Spanned<Value>| match v.get_ref() {
        Value::String(s) if !s.is_empty() => Ok(s.clone()),
        Value::String(_) => Err(invalid(key, v.span().start, "must not be empty")),
        _ => Err(invalid(key, v.span().start, "must be a string in quotes")),
    };
    let api_url = raw.api_url.map(|v| string("api_url", v)).transpose()?;
    let credentials = match raw.auth {
        None => None,
        Some(auth) if !auth.get_ref().is_table() => {
            return Err(invalid(
                "auth",
                auth.span().start,
                "must be a section: [auth] with login and password",
            ));
        }
        Some(auth) => {
            let at = auth.span().start;
            let fields = toml::from_str::<RawAuthFile>(text)
                .map_err(|e| syntax(&e))?
                .auth;
            match (fields.login, fields.password) {
                (Some(login), Some(password)) => Some(Credentials::new(
                    string("auth.login", login)?,
                    string("auth.password", password)?,
                )),
                (None, None) => None,
                (None, Some(_)) => return Err(invalid("auth.login", at, "is missing")),
                (Some(_), None) => return Err(invalid("auth.password", at, "is missing")),
            }
        }
    };
    Ok(FileSettings {
        credentials,
        api_url,
        rest,
    })
}

/// 1-based line and column (in characters) of byte `offset`.
pub(crate) fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let mut at = offset.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    let before = &text[..at];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

#[cfg(unix)]
fn permission_warning(path: &Path) -> Option<ConfigWarning> {
    use std::os::unix::fs::PermissionsExt as _;
    let mode = std::fs::metadata(path).ok()?.permissions().mode() & 0o777;
    (mode & 0o044 != 0).then(|| ConfigWarning::ReadableByOthers {
        path: path.to_owned(),
        mode,
    })
}

#[cfg(not(unix))]
fn permission_warning(_path: &Path) -> Option<ConfigWarning> {
    None
}

#[cfg(test)]
mod tests {
    use super::line_col;

    #[test]
    fn line_col_counts_characters_from_one() {
        let text = "a = 1\nbé = \"x\"\n";
        assert_eq!(line_col(text, 0), (1, 1));
        assert_eq!(line_col(text, 6), (2, 1));
        // Byte 9 is after "bé" (é is two bytes): column 3 in characters.
        assert_eq!(line_col(text, 9), (2, 3));
        // Inside the é: rounded down to its start.
        assert_eq!(line_col(text, 8), (2, 2));
        assert_eq!(line_col(text, 999), (3, 1));
    }
}
