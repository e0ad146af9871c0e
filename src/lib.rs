//! `backlinks`: a terminal explorer for the `DataForSEO` Backlinks API.
//!
//! # The layers
//!
//! Dependencies point down. Only `main.rs`, this file, [`runtime`], [`commands`] and [`ui`]
//! import [`app`]; nothing below the app does.
//!
//! | layer | modules | does I/O |
//! |---|---|---|
//! | entry | `main.rs`, [`cli`], [`commands`] (explore, open, export, diff, disavow, balance, config, serve-demo) | yes |
//! | the loop | [`runtime`] (input and worker events in, `App::update`, commands out, draw), [`terminal`] | yes |
//! | drawing | [`ui`]: `render(&App, &mut Frame)`, the panes, then the layers bottom to top | no |
//! | state | [`app`]: the pure state machine, `App::update(Msg) -> Vec<Cmd>` | no |
//! | keys | [`action`] (every `Action`, described once), [`keymap`] ((pane, key) → action, `[keys.<pane>]` overrides), [`layout`] | no |
//! | fetching | [`fetch`]: `Generation`, `FetchRequest`/`FetchEvent`, `Page`, `Cursor`, `Source`; [`fetch::worker`] (page requests and saves off the loop, one event channel); [`fetch::export`] (every row of a query into a file; past 20,000 rows cut into slices fetched side by side, [`fetch::export::partition`]) | yes |
//! | rows | [`rows`]: the row store (compact columns, rows read back from the file by position), its indexers and queries | reads |
//! | diff | [`diff`]: two saved sets reduced to hashes and places ([`diff::side`]), paired by sorting ([`diff::matching`]), the differing rows read back and tagged `change`/`changed_fields` | reads |
//! | storage | [`store`] (saved sets in every format, atomic writes, the SQLite page cache), [`persist`] (history, views, columns in the data dir), [`history`], [`views`], [`prefs`], [`config`], [`logging`] | yes |
//! | protocol | [`api`]: request/response model, field catalogue, the filter language (AST, wire, text, checks, local evaluation), dates ([`api::time`]), the HTTP client | client only |
//! | simulator | [`sim`]: dataset → engine → tokens → HTTP server; uses `api` types and the same filter evaluator | server only |
//! | text | [`text`]: sanitising untrusted strings, width-aware cells; [`order`], [`clipboard`] | no |
//!
//! # The loop
//!
//! ```text
//! crossterm events ─► runtime ─Msg─► App::update ─Vec<Cmd>─► runtime ─► fetch::worker (tokio tasks)
//!                        ▲                                                   │
//!                        └──────────── Msg (from fetch::Event) ◄─────────────┘
//! ```
//! `App` is owned by the runtime task alone; `update` never awaits and never reads the clock
//! (the runtime sets it with `App::set_clock`). Every query has a `Generation`: a new one
//! supersedes the worker's older requests, and `update` drops answers of older generations.
//!
//! # Where each behaviour lives
//!
//! - Who gets a key or the mouse: [`app::stack`] (the layers over the table, top one first),
//!   then `App::on_key` routes to the layer's handler or to the focused pane.
//! - The layers: search bar `app/search_keys.rs`; filter builder and bar [`app::filters`];
//!   windows (columns, history, views, statistics) [`app::overlay`]; copy menu [`app::copy`];
//!   help [`app::help`]; save dialog [`app::save`]; budget question [`app::budget`]; a running
//!   whole-result save [`app::export`].
//! - The panes: query pane [`app::query`]; table, paging and local sort/filter
//!   [`app::results`], [`app::sort`], [`app::requery`]; detail panel [`app::detail`]; marks
//!   [`app::marks`]; status bar [`app::status`], the account balance in it [`app::balance`];
//!   an opened file [`app::file`].
//! - Hints and help read the keymap, so rebinding shows everywhere; `backlinks config --keys`
//!   prints every pane's bindings.

pub mod action;
pub mod api;
pub mod app;
pub mod cli;
pub mod clipboard;
pub mod commands;
pub mod config;
pub mod diff;
pub mod disavow;
pub mod fetch;
pub mod history;
pub mod keymap;
pub mod layout;
pub mod logging;
pub mod order;
pub mod persist;
pub mod prefs;
pub mod rows;
pub mod runtime;
pub mod sim;
pub mod store;
pub mod terminal;
pub mod text;
pub mod ui;
pub mod views;
