//! `dangan export`: every indexed document once, with all its fields and text, as NDJSON
//! (or Elasticsearch `_bulk` lines), streamed one document at a time.

use std::io::Write;
use std::path::Path;

use crate::cli::ExportArgs;
use crate::cmd::Outcome;
use crate::config;
use crate::index::search::Searcher;
use crate::output::{self, ExportRow};

/// Writes every indexed document to `out`, in index order.
pub fn run(args: &ExportArgs, index_flag: Option<&Path>, out: &mut impl Write) -> anyhow::Result<Outcome> {
    let dir = config::require_index_dir(index_flag)?;
    let searcher = Searcher::open(&dir)?;
    searcher.export(|doc| -> anyhow::Result<()> {
        if let Some(name) = &args.es_bulk {
            let action =
                serde_json::json!({ "index": { "_index": name, "_id": crate::serve::format_id(doc.id) } });
            output::write_json_line(out, &action)?;
        }
        output::write_json_line(out, &ExportRow::from(&doc))?;
        Ok(())
    })?;
    out.flush()?;
    Ok(Outcome::Success)
}
