//! The explorer's "save the whole result", run by the worker: the loaded rows first, then the
//! rest fetched through the same source (and page cache) as the table, with progress sent
//! back as [`Event::Export`] on the worker's channel.

use tokio::sync::mpsc;

use crate::fetch::worker::PageSource;
use crate::fetch::{Cursor, Event, ExportEvent, ExportRequest};
use crate::store::SetWriter;

use super::finish::{ExportInfo, finish};
use super::partition::{self, Shape};
use super::{Cancel, Progress};

/// Runs one export; always ends with `ExportEvent::Finished`.
pub async fn run<S: PageSource>(
    source: S,
    req: ExportRequest,
    cancel: Cancel,
    reply: mpsc::UnboundedSender<Event>,
) {
    let send = |ev: ExportEvent| {
        // The app is gone: nobody to tell.
        let _ = reply.send(Event::Export(ev));
    };
    let started = std::time::SystemTime::now();
    let ExportRequest {
        path,
        format,
        fetched_at,
        rows,
        job,
    } = req;
    let (query, head) = (job.query.clone(), fetched_at);
    let created = tokio::task::spawn_blocking(move || {
        let mut w = SetWriter::create(&path, format, Some(&query), Some(&head))?;
        w.write_all(&rows)?;
        Ok::<_, crate::store::StoreError>((w, path, rows))
    })
    .await;
    let (writer, path, head_rows) = match created {
        Ok(Ok(w)) => w,
        Ok(Err(e)) => return send(ExportEvent::Finished(Err(e.to_string()))),
        Err(e) => return send(ExportEvent::Finished(Err(e.to_string()))),
    };
    let mut shape = Shape::new(
        job.target_rows,
        job.target_rows,
        job.start_row,
        job.page_size,
    );
    shape.by_offset = matches!(job.cursor, Cursor::Offset(_));
    let choice = partition::choose(&job.query, &shape);
    let outcome = super::run_with(
        &source,
        &job,
        &choice,
        &head_rows,
        writer,
        &cancel,
        None,
        |p| {
            send(ExportEvent::Progress(*p));
        },
    )
    .await;
    let info_query = job.query.clone();
    let result = tokio::task::spawn_blocking(move || {
        let info = ExportInfo {
            output: &path,
            format,
            query: Some(&info_query),
            started_at: started,
            before: Progress::default(),
            manifest: Some(super::manifest::path_for(&path)),
        };
        finish(outcome, &info)
            .map(Box::new)
            .map_err(|e| e.to_string())
    })
    .await
    .unwrap_or_else(|e| Err(e.to_string()));
    send(ExportEvent::Finished(result));
}
