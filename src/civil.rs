//! Calendar arithmetic in the proleptic Gregorian calendar, UTC (H. Hinnant's algorithms):
//! the one place that turns days since 1970-01-01 into dates and back, for the simulator's
//! dates, the envelope's ids, relative ages in the detail panel, date presets and file stamps.

/// Days since 1970-01-01 of a date (`month` 1–12, `day` 1–31).
pub const fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date (year, month 1–12, day 1–31) of a day count since 1970-01-01.
pub const fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + if month <= 2 { 1 } else { 0 };
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_days() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
        assert_eq!(civil_from_days(-1), (1969, 12, 31));
        assert_eq!(civil_from_days(19_782), (2024, 2, 29));
    }

    #[test]
    fn round_trips_every_day_from_1900_to_2100() {
        let (first, last) = (days_from_civil(1900, 1, 1), days_from_civil(2100, 12, 31));
        let mut expected = (1900, 1, 1);
        for d in first..=last {
            let date = civil_from_days(d);
            assert_eq!(date, expected, "day {d}");
            assert_eq!(days_from_civil(date.0, date.1, date.2), d);
            expected = civil_from_days(d + 1);
        }
    }
}
