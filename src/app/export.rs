//! The progress of a "save the whole result": rows, rate, ETA and cost so far, and Esc to stop
//! (the file keeps what was fetched and says it is partial).

use std::path::PathBuf;

use crate::fetch::export::{ExportJob, Progress};
use crate::keymap::{Key, Pane};
use crate::text::group;

use super::App;
use super::msg::Cmd;
use super::stack::{Layer, LayerKind};
use crate::action::Action;
use crate::fetch::ExportEvent;

/// A running whole-result save.
#[derive(Debug, Clone, PartialEq)]
pub struct ExportState {
    pub path: PathBuf,
    pub progress: Progress,
    /// Esc was pressed: waiting for the pages in flight.
    pub cancelling: bool,
    /// q or Ctrl-C was pressed: quit once the partial file is in place.
    pub quit_when_done: bool,
}

impl ExportState {
    pub fn new(path: PathBuf, job: &ExportJob) -> ExportState {
        ExportState {
            path,
            progress: Progress {
                rows: job.start_row,
                target_rows: job.target_rows,
                ..Progress::default()
            },
            cancelling: false,
            quit_when_done: false,
        }
    }

    /// Share of the rows in the file, 0–1.
    pub fn ratio(&self) -> f64 {
        self.progress.fraction()
    }
}

impl App {
    /// A key while an export runs, from the export pane of the keymap (then the global
    /// keys): cancel stops it; quit stops it and quits once the file holds what was fetched
    /// (paid for), and quit again leaves at once. Everything else waits.
    pub(super) fn on_export_key(&mut self, key: Key) -> Vec<Cmd> {
        let action = self.keymap.lookup(Pane::Export, key);
        let Some(e) = self.layers.export_mut() else {
            return Vec::new();
        };
        let quit = action == Some(Action::Quit);
        if quit && e.quit_when_done {
            return self.act(Action::Quit);
        }
        if quit {
            e.quit_when_done = true;
        }
        if (quit || action == Some(Action::Cancel)) && !e.cancelling {
            e.cancelling = true;
            return vec![Cmd::CancelExport];
        }
        Vec::new()
    }

    pub(super) fn on_export(&mut self, ev: ExportEvent) -> Vec<Cmd> {
        match ev {
            ExportEvent::Progress(p) => {
                if let Some(e) = self.layers.export_mut() {
                    e.progress = p;
                }
            }
            ExportEvent::Finished(result) => {
                let quit = matches!(
                    self.layers.close(LayerKind::Export),
                    Some(Layer::Export(e)) if e.quit_when_done
                );
                match result {
                    Ok(m) => {
                        self.status.session_cost += m.cost;
                        self.status.requests += m.requests;
                        let how = match &m.stopped_by {
                            None => String::new(),
                            Some(why) => format!(" — partial ({why})"),
                        };
                        self.status.note = Some(format!(
                            "saved {} rows to {} (${:.4}){how}",
                            group(m.rows),
                            m.output,
                            m.cost
                        ));
                    }
                    Err(reason) if quit => {
                        self.status.error = Some(format!(
                            "{reason} — not quitting, so this stays on screen (q quits)"
                        ));
                        return Vec::new();
                    }
                    Err(reason) => self.status.error = Some(reason),
                }
                if quit {
                    return self.act(Action::Quit);
                }
            }
        }
        Vec::new()
    }
}
