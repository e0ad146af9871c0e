//! `backlinks`: a terminal explorer for the `DataForSEO` Backlinks API.
//!
//! Module map (dependencies point down the list):
//! - [`api`]: the wire protocol — request/response model, field catalogue, filter language,
//!   HTTP client and its errors. Nothing about screens.
//! - [`store`]: saved sets (CSV/TSV/JSON/JSONL, atomic writes, readers) and the page cache.
//! - [`export`]: fetching every row of a query into a file (engine, estimate, manifest).

pub mod api;
pub mod app;
pub mod cli;
pub mod commands;
pub mod config;
pub mod export;
pub mod keymap;
pub mod layout;
pub mod runtime;
pub mod sim;
pub mod store;
pub mod terminal;
pub mod text;
pub mod ui;
pub mod worker;
