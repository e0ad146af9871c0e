//! `backlinks balance`: the account's money left, what was ever deposited, and today's spend
//! against the daily limit when one is set. The endpoint is free. Without credentials it asks
//! the built-in demo, whose balance starts at a fixed amount.

use std::io::Write;

use crate::api::user_data::UserData;
use crate::cli::Cli;
use crate::config;
use crate::fetch::Source;

use super::CommandError;
use super::backend::Backend;

pub fn run(cli: &Cli) -> Result<(), CommandError> {
    let loaded = config::load(cli.config.as_deref(), &|k| std::env::var(k).ok())?;
    let rt = tokio::runtime::Runtime::new()?;
    let (data, demo) = rt.block_on(async {
        let backend = Backend::choose(cli, &loaded).await?;
        let client = backend.client()?;
        let data = client.user_data().await?;
        Ok::<_, CommandError>((data, backend.source == Source::Demo))
    })?;
    let mut out = super::stdout();
    for line in describe(&data, demo) {
        writeln!(out, "{line}")?;
    }
    Ok(())
}

/// The lines `balance` prints.
pub fn describe(data: &UserData, demo: bool) -> Vec<String> {
    let usd = |v: Option<f64>| v.map_or_else(|| "unknown".to_owned(), |v| format!("${v:.2}"));
    let mut lines = vec![
        format!(
            "balance    {}{}",
            usd(data.balance()),
            if demo {
                "  (the built-in demo account)"
            } else {
                ""
            }
        ),
        format!("deposited  {}", usd(data.deposited())),
    ];
    let today = match (data.spent_today(), data.daily_limit()) {
        (spent, Some(limit)) => format!(
            "today      {} spent of the {} daily limit",
            usd(spent),
            usd(Some(limit))
        ),
        (spent, None) => format!("today      {} spent (no daily limit)", usd(spent)),
    };
    lines.push(today);
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_line_says_what_the_account_holds() {
        let body = br#"{"tasks":[{"result":[{"money":{"total":100,"balance":48.214,
            "limits":{"day":{"total":10}},"statistics":{"day":{"total":1.79}}}}]}]}"#;
        let lines = describe(&UserData::from_body(body).unwrap(), false);
        assert_eq!(
            lines,
            [
                "balance    $48.21",
                "deposited  $100.00",
                "today      $1.79 spent of the $10.00 daily limit"
            ]
        );
    }

    #[test]
    fn unknown_values_are_said_to_be_unknown() {
        let lines = describe(&UserData::default(), true);
        assert_eq!(lines[0], "balance    unknown  (the built-in demo account)");
        assert_eq!(lines[2], "today      unknown spent (no daily limit)");
    }
}
