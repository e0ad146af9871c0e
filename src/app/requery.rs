//! A changed filter, sort or status: a new query on the server (sorting and filtering are free
//! there), unless every row of the query is already loaded and the change can be computed from
//! them — then it happens locally, with no request (DESIGN.md §4).

use crate::api::fields::Catalog;
use crate::api::filter::Filter;
use crate::api::request::{LiveRequest, MAX_FILTER_CONDITIONS, MAX_ORDER_BY, OrderBy, StatusType};
use crate::order::Ties;

use super::App;
use super::msg::Cmd;
use super::sort::check_sort_key;

/// What to change in the running query; `None` leaves that part as it is.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Change {
    /// The new filter (`Some(None)` removes it).
    pub filter: Option<Option<Filter>>,
    pub order_by: Option<Vec<OrderBy>>,
    pub status: Option<StatusType>,
}

impl Change {
    fn apply_to(&self, r: &mut LiveRequest) {
        if let Some(f) = &self.filter {
            r.filters.clone_from(f);
        }
        if let Some(o) = &self.order_by {
            r.order_by = (!o.is_empty()).then(|| o.clone());
        }
        if let Some(s) = self.status {
            r.backlinks_status_type = (s != StatusType::Live).then_some(s);
        }
    }
}

/// `current` and `add` joined by `and`, refused when that passes the API's condition limit.
pub(crate) fn and_condition(current: Option<Filter>, add: Filter) -> Result<Filter, String> {
    let filter = match current {
        Some(f) => f.and(add),
        None => add,
    };
    if filter.condition_count() > MAX_FILTER_CONDITIONS {
        return Err(format!(
            "the filter would have more than {MAX_FILTER_CONDITIONS} conditions: the API allows at \
             most {MAX_FILTER_CONDITIONS}"
        ));
    }
    Ok(filter)
}

/// The last guard before a request leaves: a filter the API would refuse, or more sort keys
/// than it takes, is never sent (every editor checks earlier; this catches any path).
fn check_shape(r: &LiveRequest) -> Result<(), String> {
    if let Some(f) = &r.filters {
        f.validate(Catalog::get()).map_err(|e| e.message)?;
    }
    let keys = r.order_by.as_deref().unwrap_or_default();
    if keys.len() > MAX_ORDER_BY {
        return Err(format!("the API sorts by at most {MAX_ORDER_BY} keys"));
    }
    keys.iter().try_for_each(|k| check_sort_key(&k.field))
}

/// "filtered", "sorted" or both, for the status bar.
fn what_changed(old: &LiveRequest, new: &LiveRequest) -> &'static str {
    match (old.filters != new.filters, old.order_by != new.order_by) {
        (true, true) => "filtered and sorted",
        (true, false) => "filtered",
        _ => "sorted",
    }
}

impl App {
    /// Records the change in the query pane and runs it: locally when possible, else as a new
    /// query generation.
    pub(crate) fn apply_change(&mut self, change: &Change) -> Vec<Cmd> {
        if let Some(f) = &change.filter {
            self.query.filter.clone_from(f);
        }
        if let Some(o) = &change.order_by {
            self.query.order_by.clone_from(o);
        }
        if let Some(s) = change.status {
            self.query.status = s;
        }
        let running = self.results.query.clone();
        let Ok(mut request) = running
            .clone()
            .map_or_else(|| self.query.build_request(), Ok)
        else {
            self.status.note =
                Some("kept in the query: type a target and press Enter to run it".into());
            return Vec::new();
        };
        change.apply_to(&mut request);
        if let Err(e) = check_shape(&request) {
            self.status.warning = Some(format!("not sent: {e}"));
            return Vec::new();
        }
        if running.as_ref() == Some(&request) {
            self.status.note = Some("nothing changed".into());
            return Vec::new();
        }
        if let Some(old) = &running {
            let next = self.generation.next();
            // A file's rows keep their order on ties; a query's break them as the server does.
            let ties = if self.is_file() {
                Ties::Kept
            } else {
                Ties::Server
            };
            if let Some(n) = self.results.serve_locally(next, &request, ties) {
                self.generation = next;
                self.status.error = None;
                self.status.note = Some(format!(
                    "{} locally: {} of the loaded rows, no request",
                    what_changed(old, &request),
                    crate::text::group(n as u64)
                ));
                return Vec::new();
            }
        }
        if let Some(field) = local_field(&request) {
            self.status.warning = Some(format!(
                "not sent: {field} is not an API field, only a diff's rows have it"
            ));
            return Vec::new();
        }
        self.start(request)
    }
}

/// A field of the request's filter or sort that only local rows have (a diff's `change`).
fn local_field(r: &LiveRequest) -> Option<String> {
    let cat = Catalog::get();
    let sorted = r.order_by.iter().flatten().map(|o| o.field.as_str());
    sorted
        .into_iter()
        .find(|f| cat.find(f).is_some_and(|s| s.local))
        .or_else(|| r.filters.as_ref().and_then(Filter::local_field))
        .map(str::to_owned)
}
