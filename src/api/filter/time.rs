//! `time` values: `YYYY-MM-DD HH:MM:SS +00:00` as the API writes them, or a bare date
//! `YYYY-MM-DD` meaning midnight UTC (DESIGN.md §6.9).
use std::cmp::Ordering;

use crate::api::time::{Invalid, parse};

/// Why `s` is not a time value we accept, if it is not: [`crate::api::time::parse`] must read
/// it, and its zone must be `+00:00`.
pub(super) fn check_time(s: &str) -> Result<(), String> {
    let zone = s.get(20..).unwrap_or("+00:00");
    match parse(s) {
        Err(Invalid::Shape) => Err(format!(
            "expected a date \"YYYY-MM-DD\" or \"YYYY-MM-DD HH:MM:SS +00:00\", got {s:?}"
        )),
        Err(Invalid::Date) => Err(format!("{:?} is not a calendar date", &s[..10])),
        Err(Invalid::TimeOfDay) => Err(format!("{:?} is not a time of day", &s[11..19])),
        Ok(_) if zone == "+00:00" => Ok(()),
        Ok(_) | Err(Invalid::Offset) => Err(format!(
            "time zone must be +00:00 (the API works in UTC), got {zone:?}"
        )),
    }
}

/// Chronological order of two time values without allocating: dates first, then the time of
/// day, a bare date counting as `00:00:00`. Offsets are ignored because every value is UTC.
/// Strings of another shape still get a consistent (textual) order.
pub(super) fn cmp_time(a: &str, b: &str) -> Ordering {
    fn date(s: &str) -> &str {
        s.get(..10).unwrap_or(s)
    }
    fn clock(s: &str) -> &str {
        if s.len() == 10 {
            "00:00:00"
        } else {
            s.get(11..19).unwrap_or("")
        }
    }
    date(a).cmp(date(b)).then_with(|| clock(a).cmp(clock(b)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_both_shapes_and_real_dates_only() {
        assert!(check_time("2024-02-29").is_ok());
        assert!(check_time("2019-11-15 12:57:46 +00:00").is_ok());
        assert!(
            check_time("2023-02-29")
                .unwrap_err()
                .contains("not a calendar date")
        );
        assert!(check_time("2024-04-31").is_err());
        assert!(check_time("2024-13-01").is_err());
        assert!(
            check_time("2024-01-01 24:00:00 +00:00")
                .unwrap_err()
                .contains("time of day")
        );
        assert!(
            check_time("2024-01-01 10:00:00 +02:00")
                .unwrap_err()
                .contains("+00:00")
        );
        assert!(check_time("2024-1-01").is_err());
        assert!(check_time("yesterday").is_err());
        assert!(check_time("2024-01-01T00:00:00Z").is_err());
    }

    #[test]
    fn bare_date_is_midnight() {
        assert_eq!(
            cmp_time("2024-01-01", "2024-01-01 00:00:00 +00:00"),
            Ordering::Equal
        );
        assert_eq!(
            cmp_time("2024-01-01", "2024-01-01 00:00:01 +00:00"),
            Ordering::Less
        );
        assert_eq!(
            cmp_time("2024-01-02", "2024-01-01 23:59:59 +00:00"),
            Ordering::Greater
        );
    }
}
