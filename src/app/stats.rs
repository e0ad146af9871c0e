//! The statistics view (`t`): charts over the loaded rows — follow, types, domains, anchors,
//! domain rank, new links per month, countries, TLDs, languages, platforms. Rows are counted
//! as pages arrive, only the new ones each time; the charts are made from the counts while the
//! view is open. Enter on a bar adds its condition to the query's filter and runs it.

pub mod agg;
pub mod charts;

use crate::keymap::{Key, Pane};

use self::agg::Aggregate;
use self::charts::{ChartData, ChartKind, bar_filter, chart};
use super::App;
use super::msg::Cmd;
use super::overlay::Overlay;
use super::requery::{Change, and_condition};
use super::stack::Layer;
use crate::action::Action;
use crate::fetch::Generation;

/// Rows counted per message: an opened million-row file is counted while the keys go on.
pub const STEP: usize = 50_000;

/// The counts behind the view, kept in step with the loaded rows.
#[derive(Debug, Clone, Default)]
pub struct StatsState {
    agg: Aggregate,
    /// The rows counted: of this generation, the first `seen`.
    generation: Generation,
    seen: usize,
    /// One chart per `ChartKind::ALL`, recomputed when rows were added.
    pub charts: Vec<ChartData>,
}

impl StatsState {
    /// Rows counted so far.
    pub fn rows(&self) -> u64 {
        self.agg.rows
    }

    /// Rows of this generation not counted yet.
    pub fn behind(&self, generation: Generation, rows: usize) -> usize {
        if generation == self.generation {
            rows.saturating_sub(self.seen)
        } else {
            rows
        }
    }

    /// Distinct referring domains among the counted rows.
    pub fn domains(&self) -> usize {
        self.agg.domains.distinct()
    }

    /// Dofollow links among the counted rows.
    pub fn dofollow(&self) -> u64 {
        self.agg.dofollow
    }

    /// New links per month from the first month to the last, empty months as 0, and the
    /// first and last month (`YYYY-MM`).
    pub fn month_series(&self) -> (Vec<u64>, Option<(String, String)>) {
        let months = &self.agg.months;
        let (Some((&first, _)), Some((&last, _))) =
            (months.first_key_value(), months.last_key_value())
        else {
            return (Vec::new(), None);
        };
        let series = (first..=last)
            .map(|m| months.get(&m).copied().unwrap_or(0))
            .collect();
        (
            series,
            Some((agg::month_label(first), agg::month_label(last))),
        )
    }
}

/// Which chart and bar are selected.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StatsView {
    pub chart: usize,
    pub bar: usize,
}

impl StatsView {
    pub fn kind(self) -> ChartKind {
        ChartKind::ALL[self.chart % ChartKind::ALL.len()]
    }
}

impl App {
    /// `t`: opens the view (counting what is loaded) or closes it.
    pub(super) fn toggle_stats(&mut self) {
        if matches!(self.layers.window(), Some(Overlay::Stats(_))) {
            self.close_window();
            return;
        }
        if self.results.query.is_none() {
            self.status.note = Some("run a query first: the statistics count its rows".into());
            return;
        }
        self.layers
            .open(Layer::Window(Overlay::Stats(StatsView::default())));
        self.stats_catch_up();
    }

    /// Whether rows are left to count (see [`App::wants_work`]).
    pub fn stats_pending(&self) -> bool {
        let counting = !self.is_file() || matches!(self.layers.window(), Some(Overlay::Stats(_)));
        counting
            && self
                .stats
                .behind(self.results.generation, self.results.rows.len())
                > 0
    }

    /// Counts the rows loaded since the last call (all of them after a new query), while
    /// they are fresh in memory: a page costs well under a millisecond, and opening the view
    /// never has to catch up on a million cold rows. The charts are redrawn from the counts
    /// only while the view is open. An opened file is counted when the view opens instead: its
    /// rows come all at once, and counting them would slow the reading it shares the CPU with.
    /// At most [`STEP`] rows are counted per call; the runtime calls again (`Msg::Work`)
    /// while rows are left, so the keys never wait for a million rows.
    pub(super) fn stats_catch_up(&mut self) {
        if self.is_file() && !matches!(self.layers.window(), Some(Overlay::Stats(_))) {
            return;
        }
        let rows = &self.results.rows;
        let s = &mut self.stats;
        let fresh = s.generation != self.results.generation || rows.len() < s.seen;
        if fresh {
            s.agg = Aggregate::default();
            s.generation = self.results.generation;
            s.seen = 0;
            s.charts.clear();
        }
        // A step at a time (the rest with the next messages, `Msg::Work`), each row read
        // back only for the fields counted.
        let to = (s.seen + STEP).min(rows.len());
        let grew = s.seen < to;
        rows.chunks_of(
            s.seen,
            to,
            &|f| Aggregate::FIELDS.contains(&f),
            |_, chunk| {
                s.agg.add_all(chunk);
            },
        );
        s.seen = to;
        let Some(Overlay::Stats(view)) = self.layers.window_mut() else {
            s.charts.clear(); // stale once more rows come; made again on opening
            return;
        };
        if grew || s.charts.is_empty() {
            s.charts = ChartKind::ALL.iter().map(|k| chart(&s.agg, *k)).collect();
        }
        let bars = s.charts.get(view.chart).map_or(0, |c| c.bars.len());
        view.bar = view.bar.min(bars.saturating_sub(1));
    }

    pub(super) fn stats_key(&mut self, key: Key) -> Vec<Cmd> {
        let Some(Overlay::Stats(view)) = self.layers.window_mut() else {
            return Vec::new();
        };
        let n = ChartKind::ALL.len();
        let bars = self
            .stats
            .charts
            .get(view.chart)
            .map_or(0, |c| c.bars.len());
        match self.keymap.lookup(Pane::Stats, key) {
            Some(Action::ChartNext) => {
                *view = StatsView {
                    chart: (view.chart + 1) % n,
                    bar: 0,
                }
            }
            Some(Action::ChartPrev) => {
                *view = StatsView {
                    chart: (view.chart + n - 1) % n,
                    bar: 0,
                };
            }
            Some(Action::SelectNext) => view.bar = (view.bar + 1).min(bars.saturating_sub(1)),
            Some(Action::SelectPrev) => view.bar = view.bar.saturating_sub(1),
            Some(Action::First) => view.bar = 0,
            Some(Action::Last) => view.bar = bars.saturating_sub(1),
            Some(Action::FilterByBar) => return self.filter_by_bar(),
            Some(Action::OpenStats | Action::Cancel) => self.close_window(),
            Some(Action::Quit) => return self.act(Action::Quit),
            _ => {}
        }
        Vec::new()
    }

    /// The selected bar's condition, `and`-ed to the running query's filter, as a new query.
    fn filter_by_bar(&mut self) -> Vec<Cmd> {
        let Some(Overlay::Stats(view)) = self.layers.window().cloned() else {
            return Vec::new();
        };
        let Some(bar) = self
            .stats
            .charts
            .get(view.chart)
            .and_then(|c| c.bars.get(view.bar))
        else {
            return Vec::new();
        };
        let Some(condition) = bar_filter(view.kind(), &bar.key) else {
            self.status.note = Some("this bar cannot be a filter".into());
            return Vec::new();
        };
        let Some(request) = &self.results.query else {
            return Vec::new();
        };
        let filter = match and_condition(request.filters.clone(), condition) {
            Ok(f) => f,
            Err(why) => {
                self.status.note = Some(why);
                return Vec::new();
            }
        };
        // The values come from the API: sanitised like every cell.
        self.status.note = Some(crate::text::cell(&format!("filter: {filter}"), 200));
        if let Some(Overlay::Stats(v)) = self.layers.window_mut() {
            v.bar = 0;
        }
        // Like any filter change: a new query on the server, or computed locally when every
        // row is loaded.
        self.apply_change(&Change {
            filter: Some(Some(filter)),
            ..Change::default()
        })
    }
}
