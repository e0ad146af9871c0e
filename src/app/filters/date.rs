//! A calendar date in UTC, enough for "first seen in the last N days". The runtime reads the
//! clock and hands it over with `App::set_clock`; everything here is arithmetic.

use std::fmt;

/// A day of the proleptic Gregorian calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: i32,
    pub month: u8,
    pub day: u8,
}

const SECS_PER_DAY: i64 = 86_400;

impl Date {
    /// The UTC date of a Unix timestamp (seconds).
    pub fn from_unix_secs(secs: i64) -> Date {
        Date::from_days(secs.div_euclid(SECS_PER_DAY))
    }

    /// Days since 1970-01-01 to a date.
    fn from_days(days: i64) -> Date {
        let (year, month, day) = crate::civil::civil_from_days(days);
        Date {
            year: year as i32,
            month: month as u8,
            day: day as u8,
        }
    }

    /// The date as days since 1970-01-01.
    fn to_days(self) -> i64 {
        crate::civil::days_from_civil(
            i64::from(self.year),
            i64::from(self.month),
            i64::from(self.day),
        )
    }

    /// The date `n` days earlier.
    #[must_use]
    pub fn minus_days(self, n: u32) -> Date {
        Date::from_days(self.to_days() - i64::from(n))
    }
}

/// `YYYY-MM-DD`, the bare-date form filters accept for time fields.
impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unix_time_becomes_the_utc_date() {
        assert_eq!(Date::from_unix_secs(0).to_string(), "1970-01-01");
        // 2024-02-29 23:59:59 UTC
        assert_eq!(
            Date::from_unix_secs(1_709_251_199).to_string(),
            "2024-02-29"
        );
        assert_eq!(
            Date::from_unix_secs(1_709_251_200).to_string(),
            "2024-03-01"
        );
        assert_eq!(Date::from_unix_secs(-1).to_string(), "1969-12-31");
    }

    #[test]
    fn counting_back_crosses_months_years_and_leap_days() {
        let d = Date {
            year: 2024,
            month: 3,
            day: 1,
        };
        assert_eq!(d.minus_days(1).to_string(), "2024-02-29");
        assert_eq!(d.minus_days(30).to_string(), "2024-01-31");
        assert_eq!(d.minus_days(90).to_string(), "2023-12-02");
        assert_eq!(d.minus_days(365).to_string(), "2023-03-02");
        assert_eq!(d.minus_days(0), d);
    }
}
