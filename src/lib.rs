//! `backlinks`: a terminal explorer for the `DataForSEO` Backlinks API.
//!
//! Module map (the loop: terminal events and worker events become `Msg`s, the pure
//! `App::update` turns them into `Cmd`s, the runtime carries those out and draws):
//! - [`cli`], [`commands`]: command line and the commands behind `main` (explore, export, open, serve-demo).
//! - [`config`], [`logging`]: credentials and settings from env / `config.toml`; the log file.
//! - [`prefs`]: settings beyond credentials (page size, columns, theme, cache TTL, budget) and
//!   where every file lives; [`history`], [`views`]: the query history and saved views in the
//!   data dir; [`persist`]: carrying out the app's writes there.
//! - [`runtime`], [`terminal`]: the event loop (generic over backend and input) and terminal
//!   setup/restore. [`worker`]: page requests off the loop, generations, cancellation.
//! - [`app`]: the pure state machine — query pane, results and paging, status.
//! - [`keymap`]: (pane, key) → action; [`layout`]: where panes go; [`ui`]: drawing.
//! - [`text`]: sanitising untrusted strings, width-aware truncation.
//! - [`api`]: the wire protocol — request/response model, field catalogue, filter language,
//!   date text (`time`, with jiff), HTTP client and its errors. Nothing about screens.
//! - [`store`]: saved sets (CSV/TSV/JSON/JSONL, atomic writes, readers) and the page cache.
//! - [`export`]: fetching every row of a query into a file (engine, estimate, manifest).
//! - [`sim`]: the embedded API simulator (dataset, engine, tokens, HTTP server); uses `api`
//!   types and the same filter evaluator, never the other way round.

pub mod action;
pub mod api;
pub mod app;
pub mod cli;
pub mod clipboard;
pub mod commands;
pub mod config;
pub mod fetch;
pub mod history;
pub mod keymap;
pub mod layout;
pub mod logging;
pub mod order;
pub mod persist;
pub mod prefs;
pub mod runtime;
pub mod sim;
pub mod store;
pub mod terminal;
pub mod text;
pub mod ui;
pub mod views;
