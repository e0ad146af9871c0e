//! Small readers for setting values, and where a problem sits in the file.

use std::path::Path;
use std::time::Duration;

use toml::de::{DeInteger, DeValue};

use super::SettingProblem;
use crate::config::line_col;

/// The file being read, to turn byte offsets into line and column.
pub(super) struct Spot<'a> {
    pub path: &'a Path,
    pub text: &'a str,
}

impl Spot<'_> {
    pub fn problem(&self, key: &str, at: usize, message: String) -> SettingProblem {
        let (line, column) = line_col(self.text, at);
        SettingProblem {
            path: self.path.to_owned(),
            line,
            column,
            key: key.to_owned(),
            message,
        }
    }
}

/// A TOML integer as `i64` (any radix, `_` separators), if it fits.
pub(super) fn integer(i: &DeInteger<'_>) -> Option<i64> {
    let digits: String = i.as_str().chars().filter(|c| *c != '_').collect();
    let (negative, digits) = match digits.strip_prefix('-') {
        Some(rest) => (true, rest.to_owned()),
        None => (false, digits.trim_start_matches('+').to_owned()),
    };
    let digits = match i.radix() {
        16 | 8 | 2 => digits.get(2..)?.to_owned(),
        _ => digits,
    };
    let n = i64::from_str_radix(&digits, i.radix()).ok()?;
    Some(if negative { -n } else { n })
}

/// An integer or a float as `f64`.
pub(super) fn number(v: &DeValue<'_>) -> Option<f64> {
    match v {
        DeValue::Integer(i) => integer(i).map(|n| n as f64),
        DeValue::Float(f) => f.as_str().replace('_', "").parse().ok(),
        _ => None,
    }
}

/// `"90s"`, `"30m"`, `"24h"`, `"7d"`, or `"0"` (off).
pub(super) fn parse_duration(s: &str) -> Result<Duration, String> {
    let s = s.trim();
    if s == "0" {
        return Ok(Duration::ZERO);
    }
    let bad = || format!("must be a number with s, m, h or d (\"24h\", \"7d\"), not \"{s}\"");
    let split = s.find(|c: char| !c.is_ascii_digit()).ok_or_else(bad)?;
    let (n, unit) = s.split_at(split);
    let n: u64 = n.parse().map_err(|_| bad())?;
    let secs = match unit.trim() {
        "s" => 1,
        "m" => 60,
        "h" => 3600,
        "d" => 86_400,
        _ => return Err(bad()),
    };
    n.checked_mul(secs).map(Duration::from_secs).ok_or_else(bad)
}

/// The known name nearest to `name` (at most two edits away), for "did you mean".
pub(super) fn closest<'k>(name: &str, known: &[&'k str]) -> Option<&'k str> {
    known
        .iter()
        .map(|k| (edits(name, k), *k))
        .filter(|(d, _)| *d <= 2)
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k)
}

/// Levenshtein distance over characters.
fn edits(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut row = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            row.push((prev[j] + cost).min(prev[j + 1] + 1).min(row[j] + 1));
        }
        prev = row;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(parse_duration("0"), Ok(Duration::ZERO));
        assert_eq!(parse_duration("90s"), Ok(Duration::from_secs(90)));
        assert_eq!(parse_duration("24h"), Ok(Duration::from_hours(24)));
        assert_eq!(parse_duration("7d"), Ok(Duration::from_hours(168)));
        assert!(parse_duration("7 weeks").is_err());
        assert!(parse_duration("h").is_err());
        assert!(parse_duration("").is_err());
    }

    #[test]
    fn suggestions() {
        assert_eq!(closest("budjet", &["budget", "theme"]), Some("budget"));
        assert_eq!(closest("colour", &["columns", "theme"]), None);
        assert_eq!(closest("page-size", &["page_size"]), Some("page_size"));
    }
}
