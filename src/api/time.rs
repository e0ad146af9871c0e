//! The API's datetime text, `YYYY-MM-DD HH:MM:SS +00:00` (always UTC), or a bare `YYYY-MM-DD`
//! meaning midnight UTC (DESIGN.md §6.9): the one reader and writer of it, for filter values,
//! item dates, `fetched_at`, the simulator's dates and our file stamps. The calendar is jiff's;
//! UTC needs no time-zone database.

use std::time::SystemTime;

use jiff::Timestamp;
use jiff::civil::{Date, Time};
use jiff::fmt::strtime;
use jiff::fmt::temporal::DateTimePrinter;
use jiff::tz::Offset;

/// What is wrong with a text that is not an API time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Invalid {
    /// Neither `YYYY-MM-DD` nor `YYYY-MM-DD HH:MM:SS ±HH:MM`.
    Shape,
    /// The shape of a date, but no such day (`2023-02-29`, month 13).
    Date,
    /// The shape of a time, but no such time of day (`24:00:00`, `12:00:60`).
    TimeOfDay,
    /// After the time, something other than a `±HH:MM` offset.
    Offset,
}

/// The instant of `YYYY-MM-DD HH:MM:SS ±HH:MM` (the API always writes `+00:00`) or of a bare
/// `YYYY-MM-DD` (midnight UTC). Digits must fill their places; the date and time must exist.
pub fn parse(s: &str) -> Result<Timestamp, Invalid> {
    let b = s.as_bytes();
    if !(b.len() == 10 || b.len() == 26) || !shaped(&b[..10], b"0000-00-00") {
        return Err(Invalid::Shape);
    }
    let date = Date::strptime("%Y-%m-%d", &s[..10]).map_err(|_| Invalid::Date)?;
    if b.len() == 10 {
        return Offset::UTC
            .to_timestamp(date.to_datetime(Time::midnight()))
            .map_err(|_| Invalid::Date);
    }
    if !shaped(&b[10..20], b" 00:00:00 ") {
        return Err(Invalid::Shape);
    }
    // jiff reads a leap second `60` as `59`; the API never writes one, so it is no time of day.
    let clock = &s[11..19];
    let time = Time::strptime("%H:%M:%S", clock)
        .ok()
        .filter(|t| t.strftime("%H:%M:%S").to_string() == clock)
        .ok_or(Invalid::TimeOfDay)?;
    let offset = strtime::parse("%:z", &s[20..])
        .ok()
        .and_then(|tm| tm.offset())
        .ok_or(Invalid::Offset)?;
    offset
        .to_timestamp(date.to_datetime(time))
        .map_err(|_| Invalid::Date)
}

/// Whether `part` has a digit wherever `shape` has a `0`, and `shape`'s other bytes elsewhere.
fn shaped(part: &[u8], shape: &[u8]) -> bool {
    part.len() == shape.len()
        && part.iter().zip(shape).all(|(c, want)| match want {
            b'0' => c.is_ascii_digit(),
            _ => c == want,
        })
}

/// `2024-05-01 09:30:00 +00:00`: `t` in UTC, to the second. Sorts in time order as text (the
/// simulator's engine relies on it); it runs for every generated row.
pub fn format(t: Timestamp) -> String {
    const PRINTER: DateTimePrinter = DateTimePrinter::new().separator(b' ').precision(Some(0));
    let mut s = String::with_capacity(26);
    // Writing to a `String` cannot fail.
    let _ = PRINTER.print_datetime(&Offset::UTC.to_datetime(t), &mut s);
    s.push_str(" +00:00");
    s
}

/// The calendar day of `t` in UTC.
pub fn utc_date(t: Timestamp) -> Date {
    Offset::UTC.to_datetime(t).date()
}

/// `20240501-093000`: `t` in UTC, for file names.
pub fn file_stamp(t: Timestamp) -> String {
    t.strftime("%Y%m%d-%H%M%S").to_string()
}

/// A reading of the system clock as a timestamp (the epoch if it is out of jiff's range).
pub fn from_system(t: SystemTime) -> Timestamp {
    Timestamp::try_from(t).unwrap_or(Timestamp::UNIX_EPOCH)
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::ToSpan;

    fn at(secs: i64) -> Timestamp {
        Timestamp::from_second(secs).unwrap()
    }

    #[test]
    fn api_times_parse_to_instants() {
        assert_eq!(parse("1970-01-01 00:00:00 +00:00"), Ok(at(0)));
        assert_eq!(parse("2019-01-21 18:17:01 +00:00"), Ok(at(1_548_094_621)));
        assert_eq!(parse("2024-02-29"), Ok(at(1_709_164_800)));
        assert_eq!(
            parse("2019-01-21 20:17:01 +02:00"),
            parse("2019-01-21 18:17:01 +00:00")
        );
        assert_eq!(parse("2019-01-21 16:17:01 -02:00"), Ok(at(1_548_094_621)));
    }

    #[test]
    fn says_what_is_wrong() {
        use Invalid::*;
        for (s, why) in [
            ("", Shape),
            ("yesterday", Shape),
            ("20190121", Shape),
            ("2024-1-01", Shape),
            ("2019-01-21 18:17", Shape),
            ("2019-01-21 18:17:01", Shape),
            ("2024-01-01T00:00:00Z", Shape),
            ("2024-01-01T00:00:00 +00:00", Shape),
            ("2019-13-01", Date),
            ("2023-02-29", Date),
            ("2024-04-31", Date),
            ("2024-00-10", Date),
            ("2024-01-01 24:00:00 +00:00", TimeOfDay),
            ("2024-01-01 12:60:00 +00:00", TimeOfDay),
            ("2024-01-01 12:00:60 +00:00", TimeOfDay),
            ("2024-01-01 12:00:00 +00h00", Offset),
            ("2024-01-01 12:00:00 UTC+00", Offset),
        ] {
            assert_eq!(parse(s), Err(why), "{s}");
        }
    }

    #[test]
    fn formats_like_the_api() {
        assert_eq!(format(at(0)), "1970-01-01 00:00:00 +00:00");
        // 2024-02-29 12:34:56 UTC, a leap day.
        assert_eq!(format(at(1_709_210_096)), "2024-02-29 12:34:56 +00:00");
        assert_eq!(format(at(4_102_444_799)), "2099-12-31 23:59:59 +00:00");
        assert_eq!(format(at(-1)), "1969-12-31 23:59:59 +00:00");
        // Fractions of a second are dropped, not rounded.
        let late = at(1_709_210_096) + 999.milliseconds();
        assert_eq!(format(late), "2024-02-29 12:34:56 +00:00");
        assert_eq!(file_stamp(late), "20240229-123456");
    }

    #[test]
    fn dates_are_utc_days() {
        assert_eq!(utc_date(at(0)).to_string(), "1970-01-01");
        // 2024-02-29 23:59:59 UTC, then a second later.
        assert_eq!(utc_date(at(1_709_251_199)).to_string(), "2024-02-29");
        assert_eq!(utc_date(at(1_709_251_200)).to_string(), "2024-03-01");
        assert_eq!(utc_date(at(-1)).to_string(), "1969-12-31");
        let epoch = SystemTime::UNIX_EPOCH;
        assert_eq!(from_system(epoch), Timestamp::UNIX_EPOCH);
    }

    #[test]
    fn round_trips_every_day_from_1900_to_2100() {
        let (first, last) = (parse("1900-01-01").unwrap(), parse("2100-12-31").unwrap());
        let (mut day, mut n) = (first, 0);
        while day <= last {
            let text = format(day);
            assert_eq!(parse(&text), Ok(day), "{text}");
            assert_eq!(parse(&text[..10]), Ok(day), "{text}");
            let noon = day + 12.hours() + 34.minutes() + 56.seconds();
            assert_eq!(parse(&format(noon)), Ok(noon));
            let next = day + 24.hours();
            assert!(format(next) > text, "{text} sorts before the next day");
            assert_eq!(utc_date(next), utc_date(day).tomorrow().unwrap());
            (day, n) = (next, n + 1);
        }
        // 201 years, 49 of them leap years.
        assert_eq!(n, 201 * 365 + 49);
    }
}
