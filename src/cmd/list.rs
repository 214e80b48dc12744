//! `dangan list`: every indexed document by report year.

use std::io::Write;
use std::path::Path;

use crate::cli::ListArgs;
use crate::cmd::Outcome;
use crate::config;
use crate::index::open_index;
use crate::index::search::Searcher;
use crate::output::{self, ListRow};

pub fn run(args: &ListArgs, index_flag: Option<&Path>, out: &mut impl Write) -> anyhow::Result<Outcome> {
    let years = config::year_range(&args.years)?;
    let dir = config::require_index_dir(index_flag)?;
    let (index, fields) = open_index(&dir, false)?;
    let listed = Searcher::new(&index, fields, &dir)?.list(years)?;
    if args.json {
        for doc in &listed {
            output::write_json_line(
                out,
                &ListRow {
                    path: &doc.path,
                    title: &doc.title,
                    year: doc.year,
                },
            )?;
        }
    } else {
        output::write_list_human(out, &listed)?;
    }
    out.flush()?;
    Ok(Outcome::Success)
}
