//! Crawl dates without the wall clock: "today" is the fixed [`ANCHOR`], so the same seed gives
//! the same dates tomorrow and on every machine. Timestamps are seconds since 1970-01-01 UTC;
//! the calendar and the API's date text are [`crate::api::time`]'s (jiff's).

use jiff::Timestamp;

use crate::api::time;

/// The dataset's "today": 2026-11-01 00:00:00 UTC. Every date is before it.
pub const ANCHOR: i64 = 1_793_491_200;
/// The earliest `first_seen`: 2019-01-01 00:00:00 UTC.
pub const START: i64 = 1_546_300_800;
pub const DAY: i64 = 86_400;

/// The instant of a timestamp (all of the dataset's are far inside jiff's range).
fn instant(ts: i64) -> Timestamp {
    Timestamp::from_second(ts).unwrap_or(Timestamp::UNIX_EPOCH)
}

/// The API's date format: `YYYY-MM-DD HH:MM:SS +00:00`. Strings in this format sort in time
/// order, which the engine relies on.
pub fn format(ts: i64) -> String {
    time::format(instant(ts))
}

/// Year and month of a timestamp, for dated URL paths (`/2024/05/…`).
pub fn year_month(ts: i64) -> (i64, i64) {
    let date = time::utc_date(instant(ts));
    (i64::from(date.year()), i64::from(date.month()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_like_the_api() {
        assert_eq!(format(0), "1970-01-01 00:00:00 +00:00");
        assert_eq!(format(ANCHOR), "2026-11-01 00:00:00 +00:00");
        assert_eq!(format(START), "2019-01-01 00:00:00 +00:00");
        let leap_day = time::parse("2024-02-29").unwrap().as_second();
        assert_eq!(
            format(leap_day + 13 * 3600 + 5 * 60 + 9),
            "2024-02-29 13:05:09 +00:00"
        );
        assert_eq!(format(ANCHOR - 1), "2026-10-31 23:59:59 +00:00");
    }

    #[test]
    fn anchors_are_the_days_they_name() {
        assert_eq!(time::parse("2026-11-01").unwrap().as_second(), ANCHOR);
        assert_eq!(time::parse("2019-01-01").unwrap().as_second(), START);
        assert_eq!(year_month(ANCHOR), (2026, 11));
        assert_eq!(year_month(ANCHOR - 1), (2026, 10));
        assert_eq!(year_month(START), (2019, 1));
    }
}
