//! `dangan search`: parse the query, search the index, print hits.

use std::io::{IsTerminal, Write};
use std::path::Path;

use crate::cli::{ColorChoice, SearchArgs, SortOrder};
use crate::cmd::Outcome;
use crate::config;
use crate::index::search::{Hit, SearchOptions, Searcher};
use crate::output::{self, SearchRow};
use crate::query;

/// Prints the query's hits to `out`, best first (or by year); [`Outcome::Partial`] when
/// there are none. A query that does not parse is an error.
pub fn run(args: &SearchArgs, index_flag: Option<&Path>, out: &mut impl Write) -> anyhow::Result<Outcome> {
    let dir = config::require_index_dir(index_flag)?;
    let text = args.query.join(" ");
    let query = query::parse(&text)?;
    let filter = config::filter(&args.filters)?;
    let searcher = Searcher::open(&dir)?;
    let color = match args.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    };
    let options = SearchOptions {
        by_year: args.sort == SortOrder::Year,
        limit: args.limit,
        offset: 0,
        filter,
        check_candidates: None,
    };
    // Hits are printed as they are read, a chunk at a time: `-n 0` on a common term starts
    // at once and does not hold 90,000 hits. They are turned into text where they are read.
    let render = |hit: &Hit, bytes: &mut Vec<u8>| -> anyhow::Result<()> {
        let row = SearchRow {
            path: &hit.path,
            title: &hit.title,
            year: hit.year,
            score: hit.score,
            official: &hit.official,
            copies: &hit.copies,
            versions: &hit.versions,
            snippet: &hit.snippet.text,
        };
        if args.json {
            output::write_json_line(bytes, &row)?;
        } else {
            output::write_hit_human(bytes, &row, &hit.snippet.highlights, color)?;
        }
        Ok(())
    };
    let printed = searcher.search_each(&query, &options, render, |bytes| -> anyhow::Result<()> {
        out.write_all(bytes)?;
        Ok(())
    })?;
    out.flush()?;
    Ok(if printed == 0 {
        Outcome::Partial
    } else {
        Outcome::Success
    })
}
