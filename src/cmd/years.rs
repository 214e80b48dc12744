//! `dangan years`: how many documents each report year has.

use std::io::Write;
use std::path::Path;

use crate::cli::YearsArgs;
use crate::cmd::Outcome;
use crate::config;
use crate::index::search::Searcher;
use crate::output::{self, YearRow};

/// Prints how many documents each report year has to `out`, newest first, documents
/// without a year last.
pub fn run(args: &YearsArgs, index_flag: Option<&Path>, out: &mut impl Write) -> anyhow::Result<Outcome> {
    let dir = config::require_index_dir(index_flag)?;
    let counts = Searcher::open(&dir)?.year_counts()?;
    if args.json {
        for &(year, count) in &counts {
            output::write_json_line(out, &YearRow { year, count })?;
        }
    } else {
        output::write_years_human(out, &counts)?;
    }
    out.flush()?;
    Ok(Outcome::Success)
}
