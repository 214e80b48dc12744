//! PDF extraction throughput on one core, in MB/s of extracted text (UTF-8): in this
//! process (the parser and dangan's line joining), and through the worker process that
//! `index` uses (process start, the caps, the answer passed back) when `DANGAN_PDF_WORKER`
//! names a dangan binary.
//!
//! ```sh
//! cargo build --release
//! DANGAN_PDF_WORKER=target/release/dangan cargo run --release --example bench_pdf -- DIR...
//! ```
//!
//! Each round reads every PDF found once; the median of `ROUNDS` rounds is reported.

use std::path::PathBuf;
use std::time::Instant;

use dangan::crawl::{self, CrawlOptions, Found};
use dangan::extract::pdf;

const ROUNDS: usize = 5;

fn main() -> anyhow::Result<()> {
    let args: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    anyhow::ensure!(!args.is_empty(), "usage: bench_pdf DIR...");
    let mut files: Vec<(PathBuf, Vec<u8>)> = Vec::new();
    crawl::crawl(&args, &CrawlOptions::default(), |found| {
        if let Found::Candidate(c) = found
            && dangan::extract::format_of(&c.path) == "pdf"
            && let Ok(bytes) = std::fs::read(&c.path)
        {
            files.push((c.path, bytes));
        }
    });
    anyhow::ensure!(!files.is_empty(), "no PDF under {args:?}");
    let text_bytes: usize = files
        .iter()
        .filter_map(|(_, bytes)| pdf::extract_pdf_in_process(bytes.clone()).ok())
        .map(|d| d.text().len())
        .sum();
    let mb = text_bytes as f64 / 1e6;
    let pdf_mb = files.iter().map(|(_, b)| b.len()).sum::<usize>() as f64 / 1e6;
    println!(
        "{} PDFs, {pdf_mb:.1} MB of PDF, {mb:.2} MB of text; MB/s of text, median of {ROUNDS}",
        files.len()
    );
    let in_process = median_secs(|| {
        for (_, bytes) in &files {
            let _ = std::hint::black_box(pdf::extract_pdf_in_process(bytes.clone()));
        }
    });
    println!("in process   {:8.2}", mb / in_process);
    if std::env::var_os("DANGAN_PDF_WORKER").is_some() {
        let worker = median_secs(|| {
            for (_, bytes) in &files {
                let _ = std::hint::black_box(pdf::extract_pdf(bytes));
            }
        });
        println!("worker       {:8.2}", mb / worker);
    } else {
        println!("worker       (set DANGAN_PDF_WORKER to a dangan binary to measure)");
    }
    Ok(())
}

/// The median time of `ROUNDS` runs of `round`, in seconds.
fn median_secs(mut round: impl FnMut()) -> f64 {
    let mut times: Vec<f64> = (0..ROUNDS)
        .map(|_| {
            let start = Instant::now();
            round();
            start.elapsed().as_secs_f64()
        })
        .collect();
    times.sort_by(f64::total_cmp);
    times[ROUNDS / 2]
}
