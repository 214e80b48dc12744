//! The tantivy index: schema and opening ([`schema`]), writing ([`writer`]) and
//! searching ([`search`]). Only this module sees tantivy types.

pub mod schema;
pub mod search;
pub mod sync;
pub mod writer;

pub use schema::{Fields, IndexError, clear_index, open_index};
