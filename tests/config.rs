//! Loading credentials and settings: environment over file, errors with positions, warnings
//! as values, and a password that never shows.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use backlinks::config::{
    self, ConfigError, ConfigWarning, CredentialSource, Credentials, FileRule, Loaded,
};

const SECRET: &str = "Sup3r-Secret-Pw";

fn env(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
    let map: HashMap<String, String> = pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    move |name| map.get(name).cloned()
}

fn no_env() -> impl Fn(&str) -> Option<String> {
    env(&[])
}

/// Writes `text` as a config file with private permissions; returns the dir guard and path.
fn file(text: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("config.toml");
    std::fs::write(&path, text).unwrap();
    set_mode(&path, 0o600);
    (dir, path)
}

#[cfg(unix)]
fn set_mode(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt as _;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

#[cfg(not(unix))]
fn set_mode(_: &Path, _: u32) {}

fn full_file() -> String {
    format!(
        "api_url = \"https://sandbox.dataforseo.com\"\n\n[auth]\nlogin = \"file@example.com\"\n\
         password = \"{SECRET}\"\n\n[keys]\nquit = \"q\"\n"
    )
}

fn assert_hidden(loaded: &Loaded) {
    let text = format!("{loaded:?}");
    assert!(!text.contains(SECRET), "{text}");
}

#[test]
fn file_gives_credentials_api_url_and_other_sections() {
    let (_dir, path) = file(&full_file());
    let loaded = config::load(Some(&path), &no_env()).unwrap();

    assert_eq!(
        loaded.credentials,
        Some(Credentials::new("file@example.com", SECRET))
    );
    assert_eq!(loaded.credentials_source, Some(CredentialSource::File));
    assert_eq!(
        loaded.api_url.as_deref(),
        Some("https://sandbox.dataforseo.com")
    );
    assert_eq!(loaded.path.as_deref(), Some(path.as_path()));
    assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
    assert_eq!(loaded.table["keys"]["quit"].as_str(), Some("q"));
    assert!(
        !loaded.table.contains_key("auth"),
        "the password stays here"
    );
    assert_hidden(&loaded);
}

#[test]
fn environment_wins_over_the_file() {
    let (_dir, path) = file(&full_file());
    let vars = env(&[
        ("DATAFORSEO_LOGIN", "env@example.com"),
        ("DATAFORSEO_PASSWORD", "env-pw"),
        ("DATAFORSEO_API_URL", "http://127.0.0.1:9999"),
    ]);
    let loaded = config::load(Some(&path), &vars).unwrap();

    assert_eq!(
        loaded.credentials,
        Some(Credentials::new("env@example.com", "env-pw"))
    );
    assert_eq!(loaded.credentials_source, Some(CredentialSource::Env));
    assert_eq!(loaded.api_url.as_deref(), Some("http://127.0.0.1:9999"));
}

#[test]
fn half_an_environment_warns_and_falls_back_to_the_file() {
    let (_dir, path) = file(&full_file());
    let vars = env(&[
        ("DATAFORSEO_LOGIN", "env@example.com"),
        ("DATAFORSEO_PASSWORD", ""),
    ]);
    let loaded = config::load(Some(&path), &vars).unwrap();

    assert_eq!(loaded.credentials_source, Some(CredentialSource::File));
    assert_eq!(
        loaded.warnings,
        vec![ConfigWarning::PartialEnv {
            set: "DATAFORSEO_LOGIN",
            missing: "DATAFORSEO_PASSWORD"
        }]
    );
}

#[test]
fn no_file_and_no_environment_means_no_credentials() {
    let dir = tempfile::tempdir().unwrap();
    let absent = dir.path().join("config.toml");
    let loaded = config::load_file(Some(&absent), FileRule::IfPresent, &no_env()).unwrap();

    assert_eq!(loaded.credentials, None);
    assert_eq!(loaded.path, None);
    assert!(loaded.warnings.is_empty());
}

#[test]
fn a_named_file_that_is_missing_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let absent = dir.path().join("nope.toml");
    let err = config::load(Some(&absent), &no_env()).unwrap_err();

    assert!(
        matches!(&err, ConfigError::Read { path, .. } if *path == absent),
        "{err:?}"
    );
    assert!(err.to_string().contains("nope.toml"), "{err}");
}

#[test]
fn toml_syntax_error_names_file_line_and_column() {
    let (_dir, path) = file("api_url = \"x\"\n[auth]\nlogin = = \"me\"\n");
    let err = config::load(Some(&path), &no_env()).unwrap_err();

    let ConfigError::Toml { line, column, .. } = &err else {
        panic!("{err:?}")
    };
    assert_eq!((*line, *column), (3, 9));
    assert!(
        err.to_string()
            .starts_with(&format!("{}:3:9: ", path.display())),
        "{err}"
    );
}

#[test]
fn syntax_error_on_the_password_line_does_not_quote_it() {
    let (_dir, path) = file(&format!("[auth]\nlogin = \"me\"\npassword = \"{SECRET}\n"));
    let err = config::load(Some(&path), &no_env()).unwrap_err();

    assert!(matches!(err, ConfigError::Toml { line: 3, .. }), "{err:?}");
    assert!(!err.to_string().contains(SECRET), "{err}");
    assert!(!format!("{err:?}").contains(SECRET), "{err:?}");
}

#[test]
fn wrongly_typed_key_is_named_with_its_position_but_not_its_value() {
    let (_dir, path) = file("[auth]\nlogin = \"me\"\npassword = 98765432\n");
    let err = config::load(Some(&path), &no_env()).unwrap_err();

    let ConfigError::Invalid { key, line, .. } = &err else {
        panic!("{err:?}")
    };
    assert_eq!((key.as_str(), *line), ("auth.password", 3));
    assert!(!err.to_string().contains("98765432"), "{err}");
}

#[test]
fn shapes_of_auth_that_cannot_work_are_errors() {
    for (text, want_key) in [
        ("auth = \"me:pw\"\n", "auth"),
        ("[auth]\npassword = \"pw\"\n", "auth.login"),
        ("[auth]\nlogin = \"me\"\n", "auth.password"),
        ("[auth]\nlogin = \"\"\npassword = \"pw\"\n", "auth.login"),
        ("api_url = 3\n", "api_url"),
    ] {
        let (_dir, path) = file(text);
        let err = config::load(Some(&path), &no_env()).unwrap_err();
        assert!(
            matches!(&err, ConfigError::Invalid { key, .. } if key == want_key),
            "{text:?}: {err:?}"
        );
    }
}

#[cfg(unix)]
#[test]
fn password_file_readable_by_others_gives_a_warning() {
    let (_dir, path) = file(&full_file());
    set_mode(&path, 0o644);
    let loaded = config::load(Some(&path), &no_env()).unwrap();

    assert_eq!(
        loaded.warnings,
        vec![ConfigWarning::ReadableByOthers {
            path: path.clone(),
            mode: 0o644
        }]
    );
    let text = loaded.warnings[0].to_string();
    assert!(text.contains("chmod 600") && text.contains("644"), "{text}");
    assert!(!text.contains(SECRET));
}

#[cfg(unix)]
#[test]
fn no_permission_warning_for_private_files_or_files_without_a_password() {
    let (_dir, path) = file(&full_file());
    assert!(
        config::load(Some(&path), &no_env())
            .unwrap()
            .warnings
            .is_empty()
    );

    let (_dir2, public) = file("api_url = \"http://127.0.0.1:1\"\n");
    set_mode(&public, 0o644);
    assert!(
        config::load(Some(&public), &no_env())
            .unwrap()
            .warnings
            .is_empty()
    );
}

#[test]
fn credentials_print_login_and_stars_only() {
    let c = Credentials::new("me@example.com", SECRET);
    for text in [format!("{c:?}"), format!("{c:#?}"), c.to_string()] {
        assert!(
            text.contains("me@example.com") && text.contains("***"),
            "{text}"
        );
        assert!(!text.contains(SECRET), "{text}");
    }
}

#[test]
fn data_and_config_dirs_are_named_after_the_app() {
    if let Some(dir) = config::data_dir() {
        assert!(
            dir.to_string_lossy().contains("backlinks"),
            "{}",
            dir.display()
        );
    }
    if let Some(file) = config::config_file() {
        assert!(file.ends_with("config.toml"));
        assert!(file.to_string_lossy().contains("backlinks"));
    }
}

/// Every way the backend can be chosen: what `backlinks config` reports (`route`) is where
/// the commands send requests (`Backend::choose`), and it names where the choice came from.
#[tokio::test]
async fn config_reports_the_backend_the_commands_choose() {
    use backlinks::cli::Cli;
    use backlinks::commands::backend::{Backend, DEFAULT_API_URL, Route, route};
    use backlinks::config::Origin;
    use backlinks::fetch::Source;
    use clap::Parser as _;
    type Case<'a> = (&'a [&'a str], &'a Path, &'a [(&'a str, &'a str)], Route);

    let (_d, with_url) = file("api_url = \"http://127.0.0.1:9\"\n");
    let (_e, with_auth) = file(&full_file().replace("api_url = ", "# api_url = "));
    let (_f, empty) = file("");
    let url_from = |origin| Route::Url {
        url: "http://127.0.0.1:9".into(),
        origin,
        credentials: None,
    };
    let env_url = [("DATAFORSEO_API_URL", "http://127.0.0.1:9")];
    let env_auth = [("DATAFORSEO_LOGIN", "me"), ("DATAFORSEO_PASSWORD", SECRET)];
    let cases: Vec<Case<'_>> = vec![
        // The reported bug: api_url and no credentials goes to the URL, not the demo.
        (&[], &with_url, &[], url_from(Origin::File)),
        (
            &[],
            &empty,
            &env_url,
            url_from(Origin::Env("DATAFORSEO_API_URL")),
        ),
        (
            &["--api-url", "http://127.0.0.1:9"],
            &empty,
            &[],
            url_from(Origin::Flag("--api-url")),
        ),
        (
            &[],
            &with_auth,
            &[],
            Route::RealApi {
                credentials: CredentialSource::File,
            },
        ),
        (
            &[],
            &empty,
            &env_auth,
            Route::RealApi {
                credentials: CredentialSource::Env,
            },
        ),
        (
            &["--demo"],
            &with_url,
            &env_auth,
            Route::Demo { asked: true },
        ),
        (&[], &empty, &[], Route::Demo { asked: false }),
    ];
    for (args, path, vars, expected) in cases {
        let mut argv = vec!["backlinks"];
        argv.extend_from_slice(args);
        let mut cli = Cli::parse_from(argv);
        // What clap's `env` attribute does for DATAFORSEO_API_URL when the process has it.
        if cli.source.api_url.is_none()
            && let Some((_, v)) = vars.iter().find(|(k, _)| *k == "DATAFORSEO_API_URL")
        {
            cli.source.api_url = Some((*v).to_owned());
        }
        let loaded = config::load_file(Some(path), FileRule::MustExist, &env(vars)).unwrap();
        let reported = route(&cli.source, &loaded);
        assert_eq!(reported, expected, "{args:?} {vars:?}");
        let chosen = Backend::choose(&cli, &loaded).await.unwrap();
        let sent_to = match &reported {
            Route::Url { url, .. } => Source::Api {
                base_url: url.clone(),
            },
            Route::RealApi { .. } => Source::Api {
                base_url: DEFAULT_API_URL.into(),
            },
            Route::Demo { .. } => Source::Demo,
        };
        assert_eq!(chosen.source, sent_to, "{args:?} {vars:?}");
        assert!(!reported.describe().contains(SECRET));
    }
}
