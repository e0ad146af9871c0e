//! Filtering and sorting rows already loaded. Allowed only when the result is the same as the
//! server's: every row of a query is loaded, the new query differs only in filter and sort,
//! the new filter keeps every condition of the loaded one (it can only narrow), and no grouping
//! is on (in a grouped mode the filter and the sort choose each group's representative).

use crate::api::filter::{CompiledFilter, Filter, Logic};
use crate::api::request::{LiveRequest, Mode, RankScale};
use crate::api::response::Row;
use crate::app::sort::sorted_with;
use crate::fetch::Generation;
use crate::order::Ties;
use crate::rows::query::QueryError;

use super::{ResultsState, Rows, Tail, stored};

/// A complete result that local changes are computed from.
#[derive(Debug, Clone)]
pub struct LocalBase {
    pub request: LiveRequest,
    /// Every row of `request`, in its order.
    pub rows: Rows,
}

impl ResultsState {
    /// Every row of the query is loaded (and nothing is pending).
    pub fn is_complete(&self) -> bool {
        self.query.is_some()
            && self.total == Some(self.rows.len() as u64)
            && !matches!(self.tail, Tail::Loading(_) | Tail::Failed(_))
    }

    /// Shows `request` computed from loaded rows, if that gives exactly what the server would
    /// (rows equal on every sort rule ordered by `ties`). Returns the number of rows.
    pub fn serve_locally(
        &mut self,
        generation: Generation,
        request: &LiveRequest,
        ties: Ties,
    ) -> Option<usize> {
        let base_request = match &self.local_base {
            Some(b) => &b.request,
            None if self.is_complete() => self.query.as_ref()?,
            None => return None,
        };
        if !can_serve(base_request, request) {
            return None;
        }
        let compiled = match &request.filters {
            Some(f) => Some(CompiledFilter::new(f).ok()?),
            None => None,
        };
        if self.local_base.is_none() {
            self.local_base = Some(LocalBase {
                request: self.query.clone()?,
                rows: std::mem::take(&mut self.rows),
            });
        }
        let base = self.local_base.take()?;
        // The base rows are already in the base query's order (the server's, or the file's).
        let order_by =
            (request.order_by != base.request.order_by).then_some(request.order_by.as_deref());
        let rows = if let Some(store) = base.rows.whole_store() {
            let found = {
                let store = store
                    .read()
                    .unwrap_or_else(std::sync::PoisonError::into_inner);
                let order_by = order_by.map(Option::unwrap_or_default);
                stored::filter_sort(&store, request.filters.as_ref(), order_by, ties)
            };
            match found {
                Ok(ids) => base.rows.with_order(ids),
                Err(QueryError::Rows(e)) => {
                    self.rows.keep_error(e);
                    None
                }
                Err(QueryError::Invalid(_)) => None,
            }
        } else {
            let kept: Vec<Row> = base
                .rows
                .iter()
                .filter(|r| compiled.as_ref().is_none_or(|c| c.matches(r)))
                .collect();
            Some(match order_by {
                None => kept.into(),
                Some(o) => sorted_with(&kept, o.unwrap_or_default(), ties)
                    .into_iter()
                    .cloned()
                    .collect(),
            })
        };
        let Some(rows) = rows else {
            self.local_base = Some(base);
            return None;
        };
        let n = rows.len();
        self.reset(generation, request.clone(), self.page_size);
        self.rows = rows;
        self.total = Some(n as u64);
        self.tail = Tail::End;
        self.local_base = Some(base);
        Some(n)
    }
}

/// Whether `new` can be computed from every row of `base`.
pub fn can_serve(base: &LiveRequest, new: &LiveRequest) -> bool {
    let strip = |r: &LiveRequest| LiveRequest {
        filters: None,
        order_by: None,
        offset: None,
        limit: None,
        search_after_token: None,
        ..r.clone()
    };
    let ungrouped = new.mode.unwrap_or_default() == Mode::AsIs && new.custom_mode.is_none();
    // Filter values on rank fields are in the requested scale; loaded rows are too, but keep
    // it simple: local filtering only on the default scale.
    let default_scale = new.rank_scale.unwrap_or_default() == RankScale::OneThousand;
    ungrouped
        && default_scale
        && strip(base) == strip(new)
        && narrows(base.filters.as_ref(), new.filters.as_ref())
}

/// Whether every row satisfying `new` satisfies `old`: here, when `new` keeps every condition
/// of `old` at its top `and` level (what presets, quick filters and added conditions do).
pub fn narrows(old: Option<&Filter>, new: Option<&Filter>) -> bool {
    let Some(old) = old else { return true };
    let Some(new) = new else { return false };
    let new = conjuncts(new);
    conjuncts(old).iter().all(|c| new.contains(c))
}

fn conjuncts(f: &Filter) -> Vec<Filter> {
    match f.normalized() {
        Filter::Group(g) if g.logic == Logic::And => g.items,
        other => vec![other],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(s: &str) -> Filter {
        Filter::parse(s).unwrap()
    }

    #[test]
    fn only_narrower_filters_can_be_served() {
        assert!(narrows(None, Some(&f("rank > 1"))));
        assert!(narrows(None, None));
        assert!(narrows(
            Some(&f("rank > 1")),
            Some(&f("dofollow = true and rank > 1"))
        ));
        assert!(!narrows(Some(&f("rank > 1")), None));
        assert!(!narrows(Some(&f("rank > 1")), Some(&f("rank > 0"))));
        assert!(!narrows(
            Some(&f("rank > 1 and dofollow = true")),
            Some(&f("rank > 1 or dofollow = true"))
        ));
    }

    #[test]
    fn grouped_modes_and_other_parameters_go_to_the_server() {
        let base = LiveRequest::new("x.com");
        let mut new = base.clone();
        new.order_by = Some(vec!["rank,asc".parse().unwrap()]);
        assert!(can_serve(&base, &new));
        new.mode = Some(Mode::OnePerDomain);
        assert!(!can_serve(&base, &new));
        let mut other = base.clone();
        other.include_subdomains = Some(false);
        assert!(!can_serve(&base, &other));
    }
}
