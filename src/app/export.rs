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

/// Whether a whole-result save runs on or was told to stop.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ExportRun {
    /// Fetching until the result (or a limit) is reached.
    #[default]
    Running,
    /// Esc was pressed: waiting for the pages in flight.
    Stopping,
    /// q or Ctrl-C was pressed: stopping, then quitting once the partial file is in place.
    StoppingThenQuit,
}

/// A running whole-result save.
#[derive(Debug, Clone, PartialEq)]
pub struct ExportState {
    pub path: PathBuf,
    pub progress: Progress,
    pub run: ExportRun,
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
            run: ExportRun::Running,
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
        match (action, e.run) {
            (Some(Action::Quit), ExportRun::StoppingThenQuit) => self.act(Action::Quit),
            (Some(Action::Quit), ExportRun::Stopping) => {
                e.run = ExportRun::StoppingThenQuit;
                Vec::new()
            }
            (Some(Action::Quit), ExportRun::Running) => {
                e.run = ExportRun::StoppingThenQuit;
                vec![Cmd::CancelExport]
            }
            (Some(Action::Cancel), ExportRun::Running) => {
                e.run = ExportRun::Stopping;
                vec![Cmd::CancelExport]
            }
            _ => Vec::new(),
        }
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
                    Some(Layer::Export(e)) if e.run == ExportRun::StoppingThenQuit
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
