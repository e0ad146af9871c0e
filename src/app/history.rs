//! The query history in the app: each query is recorded when it is left (a new query, or
//! quitting) with the rows it loaded and what it cost; `ctrl+r` lists the history with
//! type-ahead, and Enter sends the chosen query again, exactly as it was sent.

use crossterm::event::KeyEvent;
use tui_input::Input;

use crate::history::{HistoryEntry, MAX_ENTRIES};
use crate::keymap::{Key, Pane};

use super::msg::Cmd;

use super::overlay::Overlay;
use super::stack::Layer;
use super::{App, Focus, text_request};
use crate::action::Action;
use crate::persist::Persist;

/// The history known to the app: loaded at start, grown by this session.
#[derive(Debug, Clone, Default)]
pub struct HistoryState {
    /// Oldest first, at most `MAX_ENTRIES`.
    pub entries: Vec<HistoryEntry>,
    /// The session's spend when the running query started.
    cost_at_start: f64,
    /// Unix seconds when the running query started (0: the app was not told the time).
    started: u64,
}

/// The `ctrl+r` list.
#[derive(Debug, Clone, Default)]
pub struct HistoryList {
    /// Type-ahead: every word must appear in the target or the settings.
    pub input: Input,
    /// Index into `matches`.
    pub selected: usize,
}

impl HistoryList {
    /// Indices of the entries that match the typed words, newest first.
    pub fn matches(&self, entries: &[HistoryEntry]) -> Vec<usize> {
        let words: Vec<String> = self
            .input
            .value()
            .split_whitespace()
            .map(str::to_lowercase)
            .collect();
        (0..entries.len())
            .rev()
            .filter(|&i| {
                if words.is_empty() {
                    return true;
                }
                let e = &entries[i];
                let hay = format!("{} {}", e.request.target, e.summary()).to_lowercase();
                words.iter().all(|w| hay.contains(w.as_str()))
            })
            .collect()
    }
}

impl App {
    /// Records the running query (if any) as it is left; returns the write for the runtime.
    /// Called by `start` and on quit.
    pub(super) fn record_history(&mut self) -> Vec<Cmd> {
        let spent = self.status.session_cost - self.history.cost_at_start;
        self.history.cost_at_start = self.status.session_cost;
        let started = self.history.started;
        self.history.started = self
            .now
            .map_or(0, |t| u64::try_from(t.as_second()).unwrap_or(0));
        let Some(mut request) = self.results.query.clone().filter(|_| !self.is_file()) else {
            return Vec::new(); // nothing ran, or rows of a file: not a query to run again
        };
        request.limit = Some(self.results.page_size);
        let entry = HistoryEntry {
            time: started,
            request,
            rows: self.results.rows.len() as u64,
            total: self.results.total,
            // Rounded to a millionth of a dollar: sums of float costs leave noise behind.
            cost: (spent.max(0.0) * 1e6).round() / 1e6,
        };
        let entries = &mut self.history.entries;
        entries.push(entry.clone());
        if entries.len() > MAX_ENTRIES {
            entries.drain(..entries.len() - MAX_ENTRIES);
        }
        match self.paths.history() {
            Some(path) => vec![Cmd::Persist(Box::new(Persist::History { path, entry }))],
            None => Vec::new(),
        }
    }

    /// Opens the list, newest first.
    pub(super) fn open_history(&mut self) {
        if self.history.entries.is_empty() {
            self.status.note = Some("no queries in the history yet".into());
            return;
        }
        self.layers
            .open(Layer::Window(Overlay::History(HistoryList::default())));
    }

    /// Keys while the list is open: typing narrows it, the `history` pane's keys act.
    pub(super) fn history_key(&mut self, ev: &KeyEvent, key: Key) -> Vec<Cmd> {
        let Some(Overlay::History(list)) = self.layers.window_mut() else {
            return Vec::new();
        };
        if let Some(req) = text_request(ev) {
            if list.input.handle(req).is_some_and(|c| c.value) {
                list.selected = 0;
            }
            return Vec::new();
        }
        let n = list.matches(&self.history.entries).len();
        match self.keymap.lookup(Pane::History, key) {
            Some(Action::SelectNext | Action::OpenHistory) => {
                list.selected = (list.selected + 1).min(n.saturating_sub(1));
            }
            Some(Action::SelectPrev) => list.selected = list.selected.saturating_sub(1),
            Some(Action::PageDown) => list.selected = (list.selected + 10).min(n.saturating_sub(1)),
            Some(Action::PageUp) => list.selected = list.selected.saturating_sub(10),
            Some(Action::RerunEntry) => {
                let matches = list.matches(&self.history.entries);
                if let Some(&i) = matches.get(list.selected) {
                    let entry = self.history.entries[i].clone();
                    self.close_window();
                    return self.rerun(&entry);
                }
            }
            Some(Action::Cancel) => self.close_window(),
            Some(Action::Quit) => return self.act(Action::Quit),
            _ => {}
        }
        Vec::new()
    }

    /// Sends `entry`'s query again: the same request, page size and all, for its target.
    pub fn rerun(&mut self, entry: &HistoryEntry) -> Vec<Cmd> {
        let (request, page_size) = entry.request_and_page_size();
        self.query.load_request(&request);
        self.query.page_size = page_size;
        self.query.remember(&request.target);
        self.focus = Focus::Results;
        self.start(request)
    }
}
