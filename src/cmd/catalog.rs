//! `dangan catalog`: the archive catalogue of the documents the filters and query take.

use std::collections::HashSet;
use std::io::Write;
use std::path::Path;

use crate::catalog::{self, Entry, Format};
use crate::cli::CatalogArgs;
use crate::cmd::Outcome;
use crate::config;
use crate::index::search::{Listed, SearchOptions, Searcher};
use crate::query;

/// Writes the catalogue to `args.output` (XLSX or CSV, atomically) or prints it to `out`;
/// [`Outcome::Partial`] when no document is taken (the file is written all the same).
pub fn run(args: &CatalogArgs, index_flag: Option<&Path>, out: &mut impl Write) -> anyhow::Result<Outcome> {
    // A bad output path is refused before any work.
    let format = args.output.as_deref().map(catalog::check_output).transpose()?;
    let filter = config::filter(&args.filters)?;
    let query = match args.query.join(" ").trim() {
        "" => None,
        text => Some(query::parse(text)?),
    };
    let dir = config::require_index_dir(index_flag)?;
    let searcher = Searcher::open(&dir)?;
    let mut listed = searcher.list(&filter)?;
    if let Some(query) = &query {
        let options = SearchOptions {
            limit: 0,
            filter: filter.clone(),
            ..SearchOptions::default()
        };
        let matching: HashSet<u64> = searcher.search(query, &options)?.iter().map(|h| h.id).collect();
        listed.retain(|doc| matching.contains(&doc.id));
    }
    let count = listed.len();
    let groups = catalog::arrange(listed.into_iter().map(entry).collect());
    match (&args.output, format) {
        (Some(path), Some(Format::Xlsx)) => catalog::write_xlsx(path, &groups)?,
        (Some(path), Some(Format::Csv)) => catalog::write_csv(path, &groups)?,
        _ => {
            catalog::write_table(out, &groups)?;
            out.flush()?;
        }
    }
    if let Some(path) = &args.output {
        let years = groups.len();
        let noun = |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
        eprintln!(
            "dangan: wrote {}: {} in {}",
            path.display(),
            noun(count, "document", "documents"),
            noun(years, "group", "groups")
        );
    }
    Ok(if count == 0 {
        Outcome::Partial
    } else {
        Outcome::Success
    })
}

/// A catalogue row of a listed document: its facts, and its path as `list` shows it.
fn entry(doc: Listed) -> Entry {
    let remark = doc.shown_path();
    let official = doc.official;
    Entry {
        year: doc.year,
        doc_number: official.doc_number,
        issuer: official.issuer,
        title: doc.title,
        date: official.date,
        pages: official.pages,
        secrecy: official.secrecy,
        remark,
    }
}
