//! The status bar's state: where the data comes from, what it cost, the last problem, and how
//! long each message has been up.
//!
//! Notes, warnings and errors are messages: each expires after a while ([`NOTE_LIFETIME`],
//! [`ERROR_LIFETIME`]), `Esc` dismisses them, and the next key clears a note or a warning.
//! Their age is measured on the app's clock ([`StatusState::settle`], called by `update` after
//! every message, ticks included), so expiry is a pure state update that tests drive by setting
//! the clock. A failed page is not a message: the status bar reads it from the table's tail
//! (`Tail::Failed`), so it stays, with the retry key, until it is retried or a new query
//! replaces it — it is still true until then, and the user has something to do about it.

use std::time::Duration;

use jiff::{SignedDuration, Timestamp};

use crate::api::client::RetryNotice;
use crate::fetch::Source;

/// How long a note ("copied url_from", "sorted locally") or a warning stays up.
pub const NOTE_LIFETIME: Duration = Duration::from_secs(6);
/// How long an error that is not a failed page ("could not open the browser …") stays up.
pub const ERROR_LIFETIME: Duration = Duration::from_secs(15);

/// Costs and timings of this session.
#[derive(Debug, Clone)]
pub struct StatusState {
    pub source: Source,
    /// USD spent this session.
    pub session_cost: f64,
    pub requests: u64,
    pub last_cost: Option<f64>,
    pub last_elapsed: Option<Duration>,
    /// The last page came from the local cache.
    pub last_cached: bool,
    /// The last error, until it expires, `Esc` dismisses it, or the next page or query.
    pub error: Option<String>,
    /// A short note ("sorted locally", "copied"), cleared by the next key or when it expires.
    pub note: Option<String>,
    /// Spinner frame while a request is in flight.
    pub spinner: usize,
    /// Why the last key did nothing ("the API sorts by at most 3 keys"), cleared by the next
    /// key or when it expires.
    pub warning: Option<String>,
    /// The page in flight failed and is being tried again.
    pub retrying: Option<Retrying>,
    /// When each message now up was first seen.
    stamps: Stamps,
}

/// An automatic retry of the page in flight, as the status bar and the table's loading line
/// say it.
#[derive(Debug, Clone, PartialEq)]
pub struct Retrying {
    /// A few words on why ("can't reach the API").
    pub summary: String,
    /// The try about to be made (2 = the first retry) and tries in total.
    pub attempt: u32,
    pub of: u32,
    /// When it is sent, on the app's clock.
    pub at: Timestamp,
}

impl Retrying {
    pub fn new(notice: &RetryNotice, now: Timestamp) -> Retrying {
        let wait = SignedDuration::try_from(notice.wait).unwrap_or(SignedDuration::MAX);
        Retrying {
            summary: notice.error.summary(),
            attempt: notice.next_try,
            of: notice.max_tries,
            at: now.checked_add(wait).unwrap_or(Timestamp::MAX),
        }
    }

    /// Whole seconds until the retry, rounded up ("retrying in 2 s"); 0 once it is due.
    pub fn seconds_left(&self, now: Timestamp) -> u64 {
        let left = self.at.duration_since(now);
        if left.is_negative() {
            return 0;
        }
        let ms = left.as_millis().max(0) as u64;
        ms.div_ceil(1000)
    }

    /// `retry 2/4 in 2 s`: the same, for a narrow status bar.
    pub fn short_countdown(&self, now: Timestamp) -> String {
        format!(
            "retry {}/{} in {} s",
            self.attempt,
            self.of,
            self.seconds_left(now)
        )
    }

    /// `retrying in 2 s, attempt 2 of 4`.
    pub fn countdown(&self, now: Timestamp) -> String {
        format!(
            "retrying in {} s, attempt {} of {}",
            self.seconds_left(now),
            self.attempt,
            self.of
        )
    }
}

/// A message's text as last seen and the time it appeared.
type Stamp = Option<(String, Timestamp)>;

#[derive(Debug, Clone, Default)]
struct Stamps {
    note: Stamp,
    warning: Stamp,
    error: Stamp,
}

impl StatusState {
    pub fn new(source: Source) -> Self {
        Self {
            source,
            session_cost: 0.0,
            requests: 0,
            last_cost: None,
            last_elapsed: None,
            last_cached: false,
            error: None,
            note: None,
            spinner: 0,
            warning: None,
            retrying: None,
            stamps: Stamps::default(),
        }
    }

    /// Accounts for one answered request.
    pub fn record(&mut self, cost: f64, elapsed: Duration, cached: bool) {
        self.session_cost += cost;
        self.requests += u64::from(!cached);
        self.last_cost = Some(cost);
        self.last_elapsed = Some(elapsed);
        self.last_cached = cached;
    }

    pub fn is_demo(&self) -> bool {
        self.source == Source::Demo
    }

    /// Notes the time `now` beside each message that is new since the last call, then
    /// clears the messages older than their lifetime. `update` calls it after every message.
    pub fn settle(&mut self, now: Timestamp) {
        let slots = [
            (&mut self.note, &mut self.stamps.note, NOTE_LIFETIME),
            (&mut self.warning, &mut self.stamps.warning, NOTE_LIFETIME),
            (&mut self.error, &mut self.stamps.error, ERROR_LIFETIME),
        ];
        for (text, stamp, lifetime) in slots {
            match (&*text, &*stamp) {
                (None, _) => *stamp = None,
                (Some(t), Some((seen, _))) if t == seen => {}
                (Some(t), _) => *stamp = Some((t.clone(), now)),
            }
            let expired = stamp.as_ref().is_some_and(|(_, since)| {
                now.duration_since(*since) >= SignedDuration::try_from(lifetime).unwrap_or_default()
            });
            if expired {
                *text = None;
                *stamp = None;
            }
        }
    }

    /// `Esc` with nothing else to do: the messages go.
    pub fn dismiss(&mut self) -> bool {
        let any = self.note.is_some() || self.warning.is_some() || self.error.is_some();
        self.note = None;
        self.warning = None;
        self.error = None;
        any
    }

    /// A message is up and will expire: the runtime keeps the clock ticking for it.
    pub fn has_messages(&self) -> bool {
        self.note.is_some() || self.warning.is_some() || self.error.is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(secs: i64) -> Timestamp {
        Timestamp::from_second(1_800_000_000 + secs).unwrap()
    }

    #[test]
    fn messages_expire_on_the_apps_clock_each_after_its_lifetime() {
        let mut s = StatusState::new(Source::Demo);
        s.note = Some("copied url_from".into());
        s.error = Some("could not open the browser (xdg-open: not found)".into());
        s.settle(at(0));
        s.settle(at(5));
        assert!(s.note.is_some(), "a note lasts {NOTE_LIFETIME:?}");
        s.settle(at(6));
        assert!(s.note.is_none());
        assert!(s.error.is_some(), "an error lasts longer");
        // A new error restarts the count.
        s.error = Some("copy failed".into());
        s.settle(at(14));
        s.settle(at(28));
        assert!(s.error.is_some());
        s.settle(at(29));
        assert!(s.error.is_none());
    }

    #[test]
    fn a_retry_counts_down_in_whole_seconds() {
        let notice = RetryNotice {
            next_try: 2,
            max_tries: 4,
            wait: Duration::from_millis(1_500),
            error: crate::api::ApiError::Transport("refused".into()),
        };
        let r = Retrying::new(&notice, at(0));
        assert_eq!(r.countdown(at(0)), "retrying in 2 s, attempt 2 of 4");
        assert_eq!(r.short_countdown(at(0)), "retry 2/4 in 2 s");
        assert_eq!(r.seconds_left(at(1)), 1);
        assert_eq!(r.seconds_left(at(3)), 0);
        assert_eq!(r.summary, "can't reach the API");
    }
}
