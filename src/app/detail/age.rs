//! Dates of an item, absolute and relative ("2 years ago"). The current time is handed to the
//! app by the runtime (`App::now`), never read from the clock here, so tests pin it.

use jiff::Timestamp;

use crate::api::time::utc_date;

/// How long before `now` the moment `then` was, in words: "today", "yesterday", "5 days ago",
/// "3 months ago", "2 years ago"; "in 4 days" for the future.
/// Days count between calendar days (UTC), not 24-hour periods.
pub fn relative(then: Timestamp, now: Timestamp) -> String {
    let days = (utc_date(now) - utc_date(then)).get_days();
    let (n, future) = (u64::from(days.unsigned_abs()), days < 0);
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
    use crate::api::time::parse;

    #[test]
    fn relative_ages_read_naturally() {
        let now = parse("2023-06-01 12:00:00 +00:00").unwrap();
        let at = |s| relative(parse(s).unwrap(), now);
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
