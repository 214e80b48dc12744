//! `dangan list`: every indexed document by report year, or those the filters take.

use std::io::Write;
use std::path::Path;

use crate::cli::ListArgs;
use crate::cmd::Outcome;
use crate::config;
use crate::index::search::Searcher;
use crate::output::{self, ListRow};

/// Prints every indexed document of the asked report years to `out`, newest year first;
/// [`Outcome::Success`] even when there are none.
pub fn run(args: &ListArgs, index_flag: Option<&Path>, out: &mut impl Write) -> anyhow::Result<Outcome> {
    let filter = config::filter(&args.filters)?;
    let dir = config::require_index_dir(index_flag)?;
    let listed = Searcher::open(&dir)?.list(&filter)?;
    let shown: Vec<String> = listed.iter().map(|doc| doc.shown_path()).collect();
    let rows: Vec<ListRow<'_>> = listed
        .iter()
        .zip(&shown)
        .map(|(doc, shown_path)| ListRow {
            path: &doc.path,
            title: &doc.title,
            year: doc.year,
            official: &doc.official,
            copies: &doc.copies,
            versions: &doc.versions,
            shown_path,
            root: &doc.root,
        })
        .collect();
    if args.json {
        for row in &rows {
            output::write_json_line(out, row)?;
        }
    } else {
        output::write_list_human(out, &rows)?;
    }
    out.flush()?;
    Ok(Outcome::Success)
}
