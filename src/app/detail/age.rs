//! Dates of an item, absolute and relative ("2 years ago"). The current time is handed to the
//! app by the runtime (`App::now`), never read from the clock here, so tests pin it.

use crate::civil::{civil_from_days, days_from_civil};

/// Seconds since 1970-01-01 00:00:00 UTC.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct UnixTime(pub i64);

const DAY: i64 = 86_400;

impl UnixTime {
    /// Parses the API's `YYYY-MM-DD HH:MM:SS +00:00` (or a bare `YYYY-MM-DD`, or a `+HH:MM`
    /// offset other than zero). `None` for anything else.
    pub fn parse(s: &str) -> Option<UnixTime> {
        let b = s.as_bytes();
        let num = |r: std::ops::Range<usize>| -> Option<i64> {
            let part = b.get(r)?;
            part.iter()
                .all(u8::is_ascii_digit)
                .then(|| part.iter().fold(0, |n, d| n * 10 + i64::from(d - b'0')))
        };
        if b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') {
            return None;
        }
        let (year, month, day) = (num(0..4)?, num(5..7)?, num(8..10)?);
        if !(1..=12).contains(&month) || !(1..=31).contains(&day) {
            return None;
        }
        let mut secs = days_from_civil(year, month, day) * DAY;
        if b.len() == 10 {
            return Some(UnixTime(secs));
        }
        if b.len() < 19 || b.get(13) != Some(&b':') || b.get(16) != Some(&b':') {
            return None;
        }
        secs += num(11..13)? * 3600 + num(14..16)? * 60 + num(17..19)?;
        if b.len() >= 26 {
            let sign = match b.get(20) {
                Some(b'+') => 1,
                Some(b'-') => -1,
                _ => return None,
            };
            secs -= sign * (num(21..23)? * 3600 + num(24..26)? * 60);
        }
        Some(UnixTime(secs))
    }

    /// The calendar date, `YYYY-MM-DD` (UTC).
    pub fn date(self) -> String {
        let (y, m, d) = civil_from_days(self.0.div_euclid(DAY));
        format!("{y:04}-{m:02}-{d:02}")
    }
}

/// How long before `now` the moment `then` was, in words: "today", "yesterday", "5 days ago",
/// "3 months ago", "2 years ago"; "in 4 days" for the future.
pub fn relative(then: UnixTime, now: UnixTime) -> String {
    let days = now.0.div_euclid(DAY) - then.0.div_euclid(DAY);
    let (n, future) = (days.unsigned_abs(), days < 0);
    let amount = match n {
        0 => return "today".to_owned(),
        1 if future => return "tomorrow".to_owned(),
        1 => return "yesterday".to_owned(),
        2..=44 => plural(n, "day"),
        45..=364 => plural((n + 15) / 30, "month"),
        _ => plural(n * 100 / 36_525, "year"),
    };
    if future {
        format!("in {amount}")
    } else {
        format!("{amount} ago")
    }
}

fn plural(n: u64, unit: &str) -> String {
    if n == 1 {
        format!("1 {unit}")
    } else {
        format!("{n} {unit}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_times_parse_to_unix_seconds() {
        assert_eq!(
            UnixTime::parse("1970-01-01 00:00:00 +00:00"),
            Some(UnixTime(0))
        );
        assert_eq!(
            UnixTime::parse("2019-01-21 18:17:01 +00:00"),
            Some(UnixTime(1_548_094_621))
        );
        assert_eq!(UnixTime::parse("2024-02-29"), Some(UnixTime(1_709_164_800)));
        assert_eq!(
            UnixTime::parse("2019-01-21 20:17:01 +02:00"),
            UnixTime::parse("2019-01-21 18:17:01 +00:00")
        );
        for bad in [
            "",
            "yesterday",
            "2019-13-01",
            "2019-01-21 18:17",
            "20190121",
        ] {
            assert_eq!(UnixTime::parse(bad), None, "{bad}");
        }
        assert_eq!(UnixTime(1_548_094_621).date(), "2019-01-21");
    }

    #[test]
    fn relative_ages_read_naturally() {
        let now = UnixTime::parse("2023-06-01 12:00:00 +00:00").unwrap();
        let at = |s| relative(UnixTime::parse(s).unwrap(), now);
        assert_eq!(at("2023-06-01 00:00:01 +00:00"), "today");
        assert_eq!(at("2023-05-31 23:59:59 +00:00"), "yesterday");
        assert_eq!(at("2023-05-20"), "12 days ago");
        assert_eq!(at("2023-04-11 16:16:52 +00:00"), "2 months ago");
        assert_eq!(at("2022-06-15"), "12 months ago");
        assert_eq!(at("2022-05-01"), "1 year ago");
        assert_eq!(at("2019-01-21 18:17:01 +00:00"), "4 years ago");
        assert_eq!(at("2023-06-05"), "in 4 days");
        assert_eq!(at("2023-06-02"), "tomorrow");
    }
}
