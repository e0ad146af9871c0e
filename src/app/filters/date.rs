//! A calendar date in UTC, enough for "first seen in the last N days". The runtime reads the
//! clock and sends the date in a `Msg`; everything here is arithmetic.

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

    /// Days since 1970-01-01 to a date (H. Hinnant's `civil_from_days`).
    fn from_days(days: i64) -> Date {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        Date { year, month, day }
    }

    /// The date as days since 1970-01-01 (`days_from_civil`).
    fn to_days(self) -> i64 {
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = y.div_euclid(400);
        let yoe = y.rem_euclid(400);
        let m = i64::from(self.month);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
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
