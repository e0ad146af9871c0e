//! UTC timestamps from a `SystemTime` the runtime hands over (the app never reads the clock).
//! UTC because a local time zone needs a database this crate does not carry; the file names
//! and `fetched_at` say so with `+00:00` / a `Z`-free UTC convention.

use std::time::{SystemTime, UNIX_EPOCH};

/// A UTC calendar time, to the second.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Stamp {
    pub year: i64,
    pub month: u32,
    pub day: u32,
    pub hour: u32,
    pub minute: u32,
    pub second: u32,
}

impl Stamp {
    /// `t` in UTC; times before 1970 are taken as 1970-01-01.
    pub fn from_system(t: SystemTime) -> Stamp {
        let secs = t.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
        Stamp::from_unix(secs)
    }

    pub fn from_unix(secs: u64) -> Stamp {
        let days = (secs / 86_400) as i64;
        let rem = (secs % 86_400) as u32;
        let (year, month, day) = crate::civil::civil_from_days(days);
        let (month, day) = (month as u32, day as u32);
        Stamp {
            year,
            month,
            day,
            hour: rem / 3600,
            minute: rem / 60 % 60,
            second: rem % 60,
        }
    }

    /// `20240501-093000`, for file names.
    pub fn file_part(&self) -> String {
        format!(
            "{:04}{:02}{:02}-{:02}{:02}{:02}",
            self.year, self.month, self.day, self.hour, self.minute, self.second
        )
    }

    /// `2024-05-01 09:30:00 +00:00`, the API's own date format.
    pub fn api(&self) -> String {
        format!(
            "{:04}-{:02}-{:02} {:02}:{:02}:{:02} +00:00",
            self.year, self.month, self.day, self.hour, self.minute, self.second
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_instants() {
        assert_eq!(Stamp::from_unix(0).api(), "1970-01-01 00:00:00 +00:00");
        // 2024-02-29 12:34:56 UTC, a leap day.
        let s = Stamp::from_unix(1_709_210_096);
        assert_eq!(s.api(), "2024-02-29 12:34:56 +00:00");
        assert_eq!(s.file_part(), "20240229-123456");
        assert_eq!(
            Stamp::from_unix(4_102_444_799).api(),
            "2099-12-31 23:59:59 +00:00"
        );
    }
}
