//! `dangan index`: flags → [`SyncOptions`], a progress bar and Ctrl-C → the pipeline,
//! its [`SyncReport`] → the summary line.

use std::io::IsTerminal;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::cli::IndexArgs;
use crate::cmd::{Outcome, say_skipped, skip_summary};
use crate::config;
use crate::index::pipeline::{self, Progress, SyncOptions, SyncReport};
use crate::skip::SkipReason;

/// Set by Ctrl-C: finish the documents in hand, commit, stop.
static INTERRUPTED: AtomicBool = AtomicBool::new(false);

/// The terminal's view of a run: a bar on stderr (only on a terminal) and a line per
/// skipped file.
struct Terminal {
    bar: ProgressBar,
    verbose: bool,
}

impl Progress for Terminal {
    fn reading(&self, files: u64) {
        self.bar.set_length(files);
    }
    fn advanced(&self) {
        self.bar.inc(1);
    }
    fn skipped(&self, path: &Path, reason: &SkipReason, passed_over: bool) {
        self.bar
            .suspend(|| say_skipped(path, reason, passed_over, self.verbose));
    }
    fn still_skipped(&self, path: &Path, reason: &str) {
        if self.verbose {
            self.bar
                .suspend(|| eprintln!("dangan: skipped {}: {reason} (unchanged)", path.display()));
        }
    }
}

/// Brings the index in step with `args.roots`, with a progress bar and skip lines on
/// stderr and the summary there; [`Outcome::Interrupted`] when Ctrl-C stopped it (what was
/// read is committed). Skipped documents do not change the outcome.
pub fn run(args: &IndexArgs, index_flag: Option<&Path>) -> anyhow::Result<Outcome> {
    let dir = config::require_index_dir(index_flag)?;
    let options = SyncOptions {
        rebuild: args.rebuild,
        follow_links: args.follow,
        batch: usize::try_from(args.batch).unwrap_or(usize::MAX),
        writer_memory: usize::try_from(args.memory).unwrap_or(256) * 1024 * 1024,
        ..SyncOptions::new(args.roots.clone())
    };
    let _ = ctrlc::set_handler(|| INTERRUPTED.store(true, Ordering::SeqCst));
    let terminal = Terminal {
        bar: progress_bar(),
        verbose: args.verbose,
    };
    let report = pipeline::sync_roots(&dir, &options, &terminal, &INTERRUPTED);
    terminal.bar.finish_and_clear();
    let report = report?;

    eprintln!(
        "dangan: {} documents found: {} indexed ({} new, {} changed), {} unchanged, {} removed{} in {:.1} s → {}",
        report.found,
        report.new + report.changed,
        report.new,
        report.changed,
        report.unchanged,
        report.removed,
        skip_summary(&report.tally, args.verbose),
        report.timings.total.as_secs_f64(),
        dir.display()
    );
    if args.profile {
        print_profile(&report);
    }
    if report.cancelled {
        eprintln!(
            "dangan: interrupted: what was read is committed; {} documents are left for the next run",
            report.left
        );
        return Ok(Outcome::Interrupted);
    }
    Ok(Outcome::Success)
}

/// `--profile`: where the time went.
fn print_profile(report: &SyncReport) {
    let t = &report.timings;
    let ours = (t.hash + t.extract + t.year + t.analyse).as_secs_f64();
    eprintln!("dangan: profile (thread seconds are summed over the threads that ran the stage)");
    for (label, time, kind) in [
        ("walk the folders         ", t.walk, "wall"),
        ("hash the files           ", t.hash, "threads"),
        ("extract (unzip, XML …)   ", t.extract, "threads"),
        ("title and report year    ", t.year, "threads"),
        ("normalise, build document", t.analyse, "threads"),
        (
            "wait for the indexer     ",
            t.hand_off,
            "threads (tantivy's threads tokenise and write postings)",
        ),
        ("commits                  ", t.commits, "wall"),
        ("final merges             ", t.merges, "wall"),
        ("grouping versions        ", t.versions, "wall"),
    ] {
        eprintln!("  {label} {:7.2} s {kind}", time.as_secs_f64());
    }
    let wall = t.total.as_secs_f64();
    match process_cpu_seconds() {
        Some(cpu) => eprintln!(
            "  process CPU {cpu:.2} s over {wall:.2} s wall; tokenising, postings, segments ≈ {:.2} s of it",
            (cpu - ours).max(0.0)
        ),
        None => eprintln!("  {wall:.2} s wall"),
    }
}

/// User + system CPU time of this process, from `/proc/self/stat` (Linux).
fn process_cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name (which may hold spaces) start at ") ".
    let rest = &stat[stat.rfind(')')? + 2..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks: f64 = fields.get(11)?.parse::<f64>().ok()? + fields.get(12)?.parse::<f64>().ok()?;
    // The kernel reports these in USER_HZ, 100 on every Linux platform Rust targets.
    Some(ticks / 100.0)
}

/// A bar on stderr when it is a terminal; hidden otherwise.
fn progress_bar() -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
    if let Ok(style) = ProgressStyle::with_template("{bar:40} {pos}/{len} documents  {elapsed}") {
        bar.set_style(style);
    }
    bar
}
