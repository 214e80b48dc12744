//! `dangan index`: crawl, read, analyse and write every document into the index.

use std::path::{Path, PathBuf};
use std::time::Instant;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::prelude::*;

use crate::cli::IndexArgs;
use crate::cmd::{Outcome, Tally};
use crate::config;
use crate::crawl::{self, Candidate, CrawlOptions, Found};
use crate::extract::{self, Limits, SkipReason};
use crate::index::open_index;
use crate::index::writer::{IndexedDocument, Writer};
use crate::year::{self, YearRange};

/// The writer's memory budget, shared by its threads.
const WRITER_MEMORY: usize = 256 * 1024 * 1024;

pub fn run(args: &IndexArgs, index_flag: Option<&Path>) -> anyhow::Result<Outcome> {
    let started = Instant::now();
    let dir = config::require_index_dir(index_flag)?;
    let mut roots = Vec::new();
    for root in &args.roots {
        anyhow::ensure!(root.exists(), "{}: no such file or folder", root.display());
        roots.push(config::absolute(root));
    }
    let (index, fields) = open_index(&dir, true)?;
    let threads = rayon::current_num_threads().clamp(1, 8);
    let mut writer = Writer::new(&index, fields, &dir, threads, WRITER_MEMORY)?;

    let options = CrawlOptions {
        follow_links: args.follow,
        exclude: vec![config::absolute(&dir)],
    };
    let mut candidates: Vec<Candidate> = Vec::new();
    let mut tally = Tally::default();
    crawl::crawl(&roots, &options, |found| match found {
        Found::Candidate(c) => candidates.push(c),
        Found::Skipped { path, reason } => tally.note(&path, &reason, true, args.verbose),
    });

    let progress = progress_bar(candidates.len() as u64);
    let limits = Limits::default();
    let range = YearRange::current();
    let outcomes: Vec<(PathBuf, Result<(), SkipReason>)> = candidates
        .par_iter()
        .map(|candidate| {
            let result = index_one(&writer, candidate, &limits, range);
            progress.inc(1);
            (candidate.path.clone(), result)
        })
        .collect();
    progress.finish_and_clear();

    let mut indexed = 0;
    for (path, result) in &outcomes {
        match result {
            Ok(()) => indexed += 1,
            Err(reason) => tally.note(path, reason, false, args.verbose),
        }
    }
    writer.commit()?;
    eprintln!(
        "dangan: {} documents found, {indexed} indexed{} in {:.1} s → {}",
        candidates.len(),
        tally.summary(args.verbose),
        started.elapsed().as_secs_f64(),
        dir.display()
    );
    Ok(Outcome::Success)
}

/// Reads one candidate and hands it to the writer; a bad file is a skip reason.
fn index_one(
    writer: &Writer,
    candidate: &Candidate,
    limits: &Limits,
    range: YearRange,
) -> Result<(), SkipReason> {
    let doc = extract::extract_file(&candidate.path, limits)?;
    let (title, year) = year::title_and_year(&doc, &candidate.path, range);
    let text = doc.text();
    let indexed = IndexedDocument {
        path: &candidate.path,
        root: &candidate.root,
        title: &title,
        text: &text,
        year,
        size: candidate.size,
        mtime: candidate.mtime,
        format: "docx",
    };
    writer
        .upsert(&indexed)
        .map_err(|e| SkipReason::Internal(e.to_string()))
}

/// A bar on stderr when it is a terminal; hidden otherwise.
fn progress_bar(len: u64) -> ProgressBar {
    use std::io::IsTerminal;
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(len), ProgressDrawTarget::stderr());
    if let Ok(style) = ProgressStyle::with_template("{bar:40} {pos}/{len} documents  {elapsed}") {
        bar.set_style(style);
    }
    bar
}
