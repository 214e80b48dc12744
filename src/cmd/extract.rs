//! `dangan extract`: what dangan reads from each file, without indexing it.

use std::io::Write;

use crate::cli::ExtractArgs;
use crate::cmd::{Outcome, say_skipped, skip_summary};
use crate::config;
use crate::crawl::{self, CrawlOptions, Found};
use crate::extract::{self, Document, Item, Limits, Meta, PartCounts, SkipReason};
use crate::index::pipeline::Tally;
use crate::output::{self, ExtractRow};
use crate::year::YearRange;

/// Prints to `out` what dangan reads from each of `args.paths` (folders walked as `index`
/// walks them, the index directory left out), and on stderr why files were skipped.
/// [`Outcome::Failed`] when a path does not exist (the others are still read),
/// [`Outcome::Partial`] when a document could not be read.
pub fn run(
    args: &ExtractArgs,
    index: Option<&std::path::Path>,
    out: &mut impl Write,
) -> anyhow::Result<Outcome> {
    let mut missing = false;
    let mut roots = Vec::new();
    for path in &args.paths {
        if std::fs::symlink_metadata(path).is_err() {
            eprintln!("dangan: {}: no such file or folder", path.display());
            missing = true;
        } else {
            roots.push(config::absolute(path));
        }
    }
    let options = CrawlOptions {
        follow_links: args.follow,
        exclude: config::index_dir(index)
            .map(|d| config::absolute(&d))
            .into_iter()
            .collect(),
    };
    let limits = Limits::default();
    let range = YearRange::current();
    let empty_meta = Meta::new();
    let no_facts = crate::meta::Official::default();
    // Only documents that could not be read make the exit status 1.
    let mut tally = Tally::default();
    let mut read = 0usize;
    let mut io_result = Ok(());

    let mut handle = |path: std::path::PathBuf, result: Result<Document, SkipReason>, walked_past: bool| {
        if io_result.is_err() {
            return;
        }
        let display = path.to_string_lossy().into_owned();
        let written = match &result {
            Ok(doc) => {
                read += 1;
                let described = crate::meta::describe(doc, &path, range);
                let text = doc.text();
                let row = ExtractRow {
                    path: display,
                    title: &described.title,
                    year: described.year.map(|y| y.year),
                    year_source: described.year.map(|y| y.source.as_str()),
                    official: &described.official,
                    text: &text,
                    parts: doc.counts,
                    meta: &doc.meta,
                    skipped: None,
                };
                emit(out, &row, args)
            }
            Err(reason) => {
                tally.count(reason, walked_past);
                say_skipped(&path, reason, walked_past, args.verbose);
                let stem = path
                    .file_stem()
                    .map(|s| s.to_string_lossy().into_owned())
                    .unwrap_or_default();
                let row = ExtractRow {
                    path: display,
                    title: &stem,
                    year: None,
                    year_source: None,
                    official: &no_facts,
                    text: "",
                    parts: PartCounts::default(),
                    meta: &empty_meta,
                    skipped: Some(reason.to_string()),
                };
                if args.json { emit(out, &row, args) } else { Ok(()) }
            }
        };
        io_result = written;
    };

    crawl::crawl(&roots, &options, |found| match found {
        // A zip bundle yields each document inside it.
        Found::Candidate(c) => extract::extract_items(&c.path, &limits, &mut |item| match item {
            Item::Document { path, result, .. } => handle(path, result, false),
            Item::PassedOver { path, reason } => handle(path, Err(reason), true),
        }),
        Found::Skipped { path, reason } => handle(path, Err(reason), true),
    });
    io_result?;
    out.flush()?;

    let skipped_total = tally.skipped_total();
    let passed_total = tally.passed_over_total();
    if read + skipped_total + passed_total > 1 {
        eprintln!("dangan: {read} read{}", skip_summary(&tally, args.verbose));
    }
    Ok(if missing {
        Outcome::Failed
    } else if skipped_total > 0 {
        Outcome::Partial
    } else {
        Outcome::Success
    })
}

fn emit(out: &mut impl Write, row: &ExtractRow<'_>, args: &ExtractArgs) -> std::io::Result<()> {
    if args.json {
        output::write_json_line(out, row)
    } else {
        output::write_extract_human(out, row, !args.no_text)
    }
}
