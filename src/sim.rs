//! The embedded API simulator: the server side of the same protocol, for the demo and tests.
//!
//! - `dataset`: deterministic link profiles for any target;
//! - `engine`: the query pipeline over a profile;
//! - `token`: `search_after_token` mint/verify;
//! - `server`: HTTP, auth, rate limit, fault injection.

pub mod dataset;
pub mod engine;
pub mod server;
pub mod token;
