//! Crawl dates without the wall clock: "today" is the fixed [`ANCHOR`], so the same seed gives
//! the same dates tomorrow and on every machine. Timestamps are seconds since 1970-01-01 UTC.

/// The dataset's "today": 2026-11-01 00:00:00 UTC. Every date is before it.
pub const ANCHOR: i64 = days_from_civil(2026, 11, 1) * DAY;
/// The earliest `first_seen`: 2019-01-01 00:00:00 UTC.
pub const START: i64 = days_from_civil(2019, 1, 1) * DAY;
pub const DAY: i64 = 86_400;

use crate::civil::civil_from_days;
pub use crate::civil::days_from_civil;

/// The API's date format: `YYYY-MM-DD HH:MM:SS +00:00`. Strings in this format sort in time
/// order, which the engine relies on. Written digit by digit: it runs for every page.
pub fn format(ts: i64) -> String {
    let (year, month, day) = civil_from_days(ts.div_euclid(DAY));
    let secs = ts.rem_euclid(DAY) as u32;
    // Two ASCII digits of 0..=99 (callers pass values in range; `% 100` keeps it so).
    let two = |v: u32| {
        let v = (v % 100) as u8;
        [b'0' + v / 10, b'0' + v % 10]
    };
    let year = year.clamp(0, 9_999) as u32;
    let (y_hi, y_lo) = (two(year / 100), two(year));
    let (mo, d) = (two(month as u32), two(day as u32));
    let (h, mi, s) = (two(secs / 3600), two(secs / 60 % 60), two(secs % 60));
    let bytes = [
        y_hi[0], y_hi[1], y_lo[0], y_lo[1], b'-', mo[0], mo[1], b'-', d[0], d[1], b' ', h[0], h[1],
        b':', mi[0], mi[1], b':', s[0], s[1], b' ', b'+', b'0', b'0', b':', b'0', b'0',
    ];
    // Always ASCII, so the check cannot fail.
    std::str::from_utf8(&bytes)
        .map(str::to_owned)
        .unwrap_or_default()
}

/// Year and month of a timestamp, for dated URL paths (`/2024/05/…`).
pub fn year_month(ts: i64) -> (i64, i64) {
    let (year, month, _) = civil_from_days(ts.div_euclid(DAY));
    (year, month)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_like_the_api() {
        assert_eq!(format(0), "1970-01-01 00:00:00 +00:00");
        assert_eq!(format(ANCHOR), "2026-11-01 00:00:00 +00:00");
        assert_eq!(format(START), "2019-01-01 00:00:00 +00:00");
        assert_eq!(
            format(days_from_civil(2024, 2, 29) * DAY + 13 * 3600 + 5 * 60 + 9),
            "2024-02-29 13:05:09 +00:00"
        );
        assert_eq!(format(ANCHOR - 1), "2026-10-31 23:59:59 +00:00");
    }

    #[test]
    fn civil_round_trips_every_day_of_the_range() {
        let mut day = START / DAY;
        while day <= ANCHOR / DAY {
            let (y, m, d) = civil_from_days(day);
            assert_eq!(days_from_civil(y, m, d), day);
            day += 1;
        }
        assert_eq!(year_month(ANCHOR), (2026, 11));
    }
}
