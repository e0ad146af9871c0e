//! The wire protocol of `POST /v3/backlinks/backlinks/live`: nothing about screens.

pub mod client;
pub mod error;
pub mod fields;
pub mod filter;
pub mod request;
pub mod response;
pub mod target;
pub mod time;
pub mod user_data;

pub use error::ApiError;
pub use fields::{Catalog, FieldRef, FieldSpec, FilterType};
pub use filter::{Condition, Filter, Group, Logic, Op, Value};
pub use request::{CustomMode, LiveRequest, Mode, OrderBy, RankScale, SortDir, StatusType};
pub use response::{Backlink, Envelope, Row, Task, TaskResult};
