//! `dangan series`: reports that recur year after year, with the years they miss.

use std::io::Write;
use std::path::Path;

use crate::cli::SeriesArgs;
use crate::cmd::Outcome;
use crate::config;
use crate::index::search::{Filter, Searcher};
use crate::output;
use crate::series;

/// Prints every series of the index to `out` ([`series::find`] over the listed documents,
/// copies folded); [`Outcome::Partial`] when there is none.
pub fn run(args: &SeriesArgs, index_flag: Option<&Path>, out: &mut impl Write) -> anyhow::Result<Outcome> {
    let dir = config::require_index_dir(index_flag)?;
    let found = series::of_listed(Searcher::open(&dir)?.list(&Filter::default())?);
    for s in &found {
        if args.json {
            output::write_json_line(out, s)?;
        } else {
            write_human(out, s)?;
        }
    }
    out.flush()?;
    Ok(if found.is_empty() {
        Outcome::Partial
    } else {
        Outcome::Success
    })
}

/// A series for people: its name and counts, then a row of its years with the gaps marked.
fn write_human(out: &mut impl Write, s: &series::Series) -> std::io::Result<()> {
    let missing = if s.missing.is_empty() {
        "none missing".to_string()
    } else {
        let years: Vec<String> = s.missing.iter().map(i32::to_string).collect();
        format!("missing {}", years.join(", "))
    };
    writeln!(out, "{}  ({} documents, {missing})", s.name, s.documents.len())?;
    let (Some(first), Some(last)) = (s.years.first(), s.years.last()) else {
        return Ok(());
    };
    let row: Vec<String> = (*first..=*last)
        .map(|y| {
            if s.years.contains(&y) {
                format!("{y} ■")
            } else {
                format!("{y} □")
            }
        })
        .collect();
    writeln!(out, "  {}", row.join("  "))
}
