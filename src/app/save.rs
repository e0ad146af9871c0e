//! The save dialog (`ctrl+s`): a file name (pre-filled `<target>-<YYYYMMDD-HHMMSS>.csv`, the
//! format follows the extension), what to save (the loaded rows, or the whole result), a
//! question before overwriting, and a price before fetching the rest (saying how far past the
//! session budget it would go, from the budget check every spend goes through; a price above
//! the account's balance is said and refused). Writing is a `Cmd`.

use std::path::PathBuf;

use crossterm::event::KeyEvent;
use jiff::Timestamp;
use tui_input::Input;

use crate::api::response::Row;
use crate::api::time;
use crate::fetch::Cursor;
use crate::fetch::export::ExportJob;
use crate::fetch::export::estimate::Estimate;
use crate::fetch::export::partition::{self, Choice, Shape};
use crate::store::{Format, SetMeta};

use super::budget::{Limit, Overrun};
use super::msg::{Cmd, DisavowRequest, PathKind, SaveRequest, Saved};
use super::results::Rows;
use crate::disavow;

use super::stack::{Layer, LayerKind};
use super::{App, text_request};
use crate::action::Action;
use crate::fetch::ExportRequest;
use crate::fetch::Source;
use crate::keymap::{Key, Pane};

/// What to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SaveScope {
    /// The rows loaded so far.
    Loaded,
    /// Only the rows marked in the table (Space / V).
    Marked,
    /// Every row of the result: the missing ones are fetched (and paid for) first.
    Whole,
}

/// Where the dialog stands.
#[derive(Debug, Clone, PartialEq)]
pub enum SaveStage {
    /// Editing the name and choosing the scope.
    Editing,
    /// Waiting to hear whether the file exists.
    Checking,
    /// The file exists: overwrite it?
    ConfirmOverwrite,
    /// Fetching the rest costs this much (and would take the session this far past its
    /// budget): go ahead?
    ConfirmPrice(Estimate, Option<Overrun>),
    /// The file is being written.
    Writing,
}

/// The dialog's state.
#[derive(Debug, Clone)]
pub struct SaveDialog {
    pub path: Input,
    pub scope: SaveScope,
    /// The scopes on offer (the whole result only while rows are missing).
    pub choices: Vec<SaveScope>,
    pub stage: SaveStage,
    /// Why the last attempt did not work.
    pub error: Option<String>,
}

impl SaveDialog {
    /// The format the name asks for.
    pub fn format(&self) -> Option<Format> {
        Format::from_path(&PathBuf::from(self.path.value().trim()))
    }

    /// A name ending in `.txt` asks for a Google disavow file of the rows' domains.
    pub fn is_disavow(&self) -> bool {
        let name = self.path.value().trim();
        name.len() > 4 && name[name.len() - 4..].eq_ignore_ascii_case(".txt")
    }
}

/// `forbes.com-20240501-093000.csv`; a page target keeps only file-name-safe characters.
pub fn default_name(target: &str, now: Timestamp) -> String {
    let bare = target
        .trim_start_matches("https://")
        .trim_start_matches("http://");
    let mut safe: String = bare
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect();
    safe = safe.trim_matches(|c| c == '_' || c == '.').to_owned();
    if safe.is_empty() {
        safe = "backlinks".into();
    }
    format!("{safe}-{}.csv", time::file_stamp(now))
}

impl App {
    /// `ctrl+s`: opens the dialog (when there is something to save).
    pub(super) fn open_save_dialog(&mut self) {
        if self.results.rows.is_empty() {
            self.status.error = Some("nothing to save yet: run a query first".into());
            return;
        }
        let target = self
            .results
            .query
            .as_ref()
            .map_or("backlinks", |q| q.target.as_str());
        let name = default_name(target, self.clock());
        let mut choices = vec![SaveScope::Loaded];
        if self.marks.count() > 0 {
            choices.push(SaveScope::Marked);
        }
        if self.rows_missing() > 0 && !matches!(self.status.source, Source::File { .. }) {
            choices.push(SaveScope::Whole);
        }
        // With marks, saving them is the likely wish; the whole set is one Tab away.
        let scope = if self.marks.count() > 0 {
            SaveScope::Marked
        } else {
            SaveScope::Loaded
        };
        self.layers.open(Layer::Save(SaveDialog {
            path: Input::new(name),
            scope,
            choices,
            stage: SaveStage::Editing,
            error: None,
        }));
    }

    /// Rows of the result not loaded yet.
    fn rows_missing(&self) -> u64 {
        let r = &self.results;
        if r.tail.at_end() {
            return 0;
        }
        r.total.unwrap_or(0).saturating_sub(r.rows.len() as u64)
    }

    /// A key while the dialog is open, from the save pane of the keymap (then the global
    /// keys). The name is a text field: typed characters edit it. In a question, confirm
    /// answers yes and any other key no.
    pub(super) fn on_save_key(&mut self, ev: &KeyEvent, key: Key) -> Vec<Cmd> {
        let editing_text = key.is_text()
            && matches!(
                self.layers.save().map(|d| &d.stage),
                Some(SaveStage::Editing)
            );
        let action = if editing_text {
            None
        } else {
            self.keymap.lookup(Pane::Save, key)
        };
        let Some(d) = self.layers.save_mut() else {
            return Vec::new();
        };
        match (&d.stage, action) {
            (_, Some(Action::Quit)) if !key.is_text() => self.act(Action::Quit),
            (SaveStage::Writing | SaveStage::Checking, _) => Vec::new(),
            (SaveStage::ConfirmOverwrite, Some(Action::Confirm)) => self.proceed(),
            // More than the balance: not sent, whatever the answer; the reason stays.
            (SaveStage::ConfirmPrice(_, Some(over)), _) if over.of == Limit::Balance => {
                d.error = Some(format!(
                    "not saving the whole result: {}",
                    over.describe_for("this save")
                ));
                d.stage = SaveStage::Editing;
                Vec::new()
            }
            (SaveStage::ConfirmPrice(..), Some(Action::Confirm)) => self.start_export(),
            (SaveStage::ConfirmOverwrite | SaveStage::ConfirmPrice(..), _) => {
                d.stage = SaveStage::Editing;
                Vec::new()
            }
            (SaveStage::Editing, Some(Action::Cancel)) => {
                self.layers.close(LayerKind::Save);
                Vec::new()
            }
            (SaveStage::Editing, Some(Action::Confirm)) => self.check_path(),
            (SaveStage::Editing, Some(Action::NextChoice)) => {
                let i = d.choices.iter().position(|s| *s == d.scope).unwrap_or(0);
                d.scope = d.choices[(i + 1) % d.choices.len()];
                Vec::new()
            }
            (SaveStage::Editing, _) => {
                if let Some(req) = text_request(ev) {
                    d.path.handle(req);
                    d.error = None;
                }
                Vec::new()
            }
        }
    }

    /// Enter on the name: check it, then ask what is there.
    fn check_path(&mut self) -> Vec<Cmd> {
        let Some(d) = self.layers.save_mut() else {
            return Vec::new();
        };
        let name = d.path.value().trim();
        if name.is_empty() {
            d.error = Some("type a file name".into());
            return Vec::new();
        }
        if d.format().is_none() && !d.is_disavow() {
            d.error =
                Some("end the name in .csv, .tsv, .json or .jsonl (.txt: a disavow file)".into());
            return Vec::new();
        }
        if d.is_disavow() && d.scope == SaveScope::Whole {
            d.error = Some(
                "a disavow file takes the loaded or marked rows: save the whole result as a \
                 set first, then run `backlinks disavow SET`"
                    .into(),
            );
            return Vec::new();
        }
        d.stage = SaveStage::Checking;
        vec![Cmd::ProbePath(PathBuf::from(name))]
    }

    /// What is at the path: a folder is refused, a file needs a yes.
    pub(super) fn on_path_probed(&mut self, path: &std::path::Path, kind: PathKind) -> Vec<Cmd> {
        let Some(d) = self.layers.save_mut() else {
            return Vec::new();
        };
        if d.stage != SaveStage::Checking || std::path::Path::new(d.path.value().trim()) != path {
            return Vec::new(); // an answer about a name no longer asked for
        }
        match kind {
            PathKind::Folder => {
                d.stage = SaveStage::Editing;
                d.error = Some(format!("{} is a folder", path.display()));
                Vec::new()
            }
            PathKind::File => {
                d.stage = SaveStage::ConfirmOverwrite;
                Vec::new()
            }
            PathKind::Missing => self.proceed(),
        }
    }

    /// Writes the loaded rows, or prices the rest of the result.
    fn proceed(&mut self) -> Vec<Cmd> {
        let missing = self.rows_missing();
        let r = &self.results;
        // The price of the rest as the export engine will fetch it (slices included).
        // Why the rest will come page by page rather than in slices, when it will.
        let mut page_by_page = None;
        let estimate = match (&r.query, r.total) {
            (Some(q), Some(total)) => {
                let mut shape = Shape::new(total, total, r.rows.len() as u64, r.page_size);
                shape.by_offset = matches!(r.next_cursor(), Some(Cursor::Offset(_)));
                let choice = partition::choose(q, &shape);
                let estimate = Estimate::of_choice(&choice, &shape);
                if let Choice::Sequential(why) = choice {
                    page_by_page = Some(why);
                }
                estimate
            }
            _ => Estimate::new(missing, r.page_size, 0),
        };
        let overrun = self.overrun(estimate.price);
        let Some(d) = self.layers.save_mut() else {
            return Vec::new();
        };
        if d.is_disavow() {
            return self.write_disavow();
        }
        let (Some(format), path) = (d.format(), PathBuf::from(d.path.value().trim())) else {
            return Vec::new();
        };
        if d.scope == SaveScope::Whole && missing > 0 {
            d.stage = SaveStage::ConfirmPrice(estimate, overrun);
            if page_by_page.is_some() {
                self.status.warning = page_by_page;
            }
            return Vec::new();
        }
        d.stage = SaveStage::Writing;
        let marked_only = d.scope == SaveScope::Marked;
        let rows: Rows = if marked_only {
            self.marked_rows().into()
        } else {
            self.results.rows.clone()
        };
        let r = &self.results;
        let meta = SetMeta {
            query: r.query.clone(),
            fetched_at: Some(time::format(self.clock())),
            total_count: r.total,
            cost: 0.0,
            partial: marked_only
                || (r.total.is_some_and(|t| (r.rows.len() as u64) < t) && !r.tail.at_end()),
        };
        vec![Cmd::Save(Box::new(SaveRequest {
            path,
            format,
            meta,
            rows,
        }))]
    }

    /// The chosen rows' domains into a disavow file; an existing file is added to (the
    /// question before said so), never cut.
    fn write_disavow(&mut self) -> Vec<Cmd> {
        let today = time::utc_date(self.clock()).to_string();
        let Some(d) = self.layers.save_mut() else {
            return Vec::new();
        };
        let merge = d.stage == SaveStage::ConfirmOverwrite;
        let marked_only = d.scope == SaveScope::Marked;
        let path = PathBuf::from(d.path.value().trim());
        d.stage = SaveStage::Writing;
        let by = disavow::By::Domain;
        let entry = |r: Row| disavow::Entry::from_row(&r, by).and_then(Result::ok);
        // The loaded rows are read a chunk at a time (a store's rows are never all decoded).
        let (n_rows, entries): (usize, Vec<disavow::Entry>) = if marked_only {
            let rows = self.marked_rows();
            (rows.len(), rows.into_iter().filter_map(entry).collect())
        } else {
            let rows = &self.results.rows;
            (rows.len(), rows.iter().filter_map(entry).collect())
        };
        let query = self.results.query.as_ref();
        let origin = disavow::Origin {
            targets: query.map(|q| q.target.clone()).into_iter().collect(),
            filter: query
                .and_then(|q| q.filters.as_ref())
                .map(ToString::to_string),
            selection: Some(format!(
                "{} {} rows",
                crate::text::group(n_rows as u64),
                if marked_only { "marked" } else { "loaded" }
            )),
            date: today,
            by,
        };
        vec![Cmd::Disavow(Box::new(DisavowRequest {
            path,
            entries,
            origin,
            merge,
        }))]
    }

    /// A disavow file was written (or not).
    pub(super) fn on_disavowed(&mut self, result: Result<String, String>) {
        match result {
            Ok(note) => {
                self.layers.close(LayerKind::Save);
                self.status.note = Some(note);
            }
            Err(reason) => {
                if let Some(d) = self.layers.save_mut() {
                    d.stage = SaveStage::Editing;
                    d.error = Some(reason);
                } else {
                    self.status.error = Some(reason);
                }
            }
        }
    }

    /// The price was accepted: hand the rest to the runtime.
    fn start_export(&mut self) -> Vec<Cmd> {
        let Some(Layer::Save(d)) = self.layers.close(LayerKind::Save) else {
            return Vec::new();
        };
        let r = &self.results;
        let (Some(format), Some(query), Some(cursor), Some(total)) =
            (d.format(), r.query.clone(), r.next_cursor(), r.total)
        else {
            self.status.error = Some("nothing left to fetch".into());
            return Vec::new();
        };
        let path = PathBuf::from(d.path.value().trim());
        let job = ExportJob {
            query,
            page_size: r.page_size,
            start_row: r.rows.len() as u64,
            cursor,
            target_rows: total,
        };
        self.layers
            .open(Layer::Export(super::export::ExportState::new(
                path.clone(),
                &job,
            )));
        vec![Cmd::Export(Box::new(ExportRequest {
            path,
            format,
            fetched_at: time::format(self.clock()),
            rows: r.rows.to_vec(),
            job,
        }))]
    }

    /// A save finished.
    pub(super) fn on_saved(&mut self, result: Result<Saved, String>) {
        match result {
            Ok(saved) => {
                self.layers.close(LayerKind::Save);
                self.status.note = Some(format!(
                    "saved {} rows to {}",
                    crate::text::group(saved.rows),
                    saved.path.display()
                ));
            }
            Err(reason) => {
                if let Some(d) = self.layers.save_mut() {
                    d.stage = SaveStage::Editing;
                    d.error = Some(reason);
                } else {
                    self.status.error = Some(reason);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_names_are_safe() {
        let s = Timestamp::from_second(1_709_210_096).unwrap();
        assert_eq!(
            default_name("forbes.com", s),
            "forbes.com-20240229-123456.csv"
        );
        assert_eq!(
            default_name("https://www.example.com/a b/c?d=1", s),
            "www.example.com_a_b_c_d_1-20240229-123456.csv"
        );
        assert_eq!(default_name("///", s), "backlinks-20240229-123456.csv");
    }
}
