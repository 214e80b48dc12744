//! The tantivy index: schema and opening ([`schema`]), writing ([`writer`]) and
//! searching ([`search`], stored fields read by `stored`). Only this module sees tantivy
//! types.

pub mod fold;
mod guard;
pub mod pipeline;
pub mod schema;
pub mod search;
pub mod status;
mod stored;
pub mod sync;
pub mod versions;
pub mod writer;

pub use schema::{Fields, IndexError, clear_index, open_index};
