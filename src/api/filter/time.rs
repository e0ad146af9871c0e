//! `time` values: `YYYY-MM-DD HH:MM:SS +00:00` as the API writes them, or a bare date
//! `YYYY-MM-DD` meaning midnight UTC (DESIGN.md §6.9).
use std::cmp::Ordering;

/// Why `s` is not a time value we accept, if it is not.
pub(super) fn check_time(s: &str) -> Result<(), String> {
    let shape =
        || format!("expected a date \"YYYY-MM-DD\" or \"YYYY-MM-DD HH:MM:SS +00:00\", got {s:?}");
    let b = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| -> Option<u32> {
        let part = b.get(r)?;
        part.iter()
            .all(u8::is_ascii_digit)
            .then(|| part.iter().fold(0, |n, d| n * 10 + u32::from(d - b'0')))
    };
    let sep = |i: usize, c: u8| b.get(i) == Some(&c);
    if !(b.len() == 10 || b.len() == 26) || !sep(4, b'-') || !sep(7, b'-') {
        return Err(shape());
    }
    let (Some(year), Some(month), Some(day)) = (digits(0..4), digits(5..7), digits(8..10)) else {
        return Err(shape());
    };
    if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
        return Err(format!("{:?} is not a calendar date", &s[..10]));
    }
    if b.len() == 10 {
        return Ok(());
    }
    if !sep(10, b' ') || !sep(13, b':') || !sep(16, b':') || !sep(19, b' ') {
        return Err(shape());
    }
    let (Some(h), Some(m), Some(sec)) = (digits(11..13), digits(14..16), digits(17..19)) else {
        return Err(shape());
    };
    if h > 23 || m > 59 || sec > 59 {
        return Err(format!("{:?} is not a time of day", &s[11..19]));
    }
    let zone = &s[20..];
    if zone != "+00:00" {
        return Err(format!(
            "time zone must be +00:00 (the API works in UTC), got {zone:?}"
        ));
    }
    Ok(())
}

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        2 if year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400)) => {
            29
        }
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
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
