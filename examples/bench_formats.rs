//! Extraction throughput per format on one core, in MB/s of extracted text (UTF-8), so
//! that formats with different overheads per character compare fairly.
//!
//! ```sh
//! bench/formats.sh [DOCS]                                   # generated reports as .docx and .doc
//! cargo run --release --example bench_formats -- DIR...     # your own documents
//! ```
//!
//! Every file found under the folders is read once to size its text, then each format's
//! files are extracted `ROUNDS` times; the median round is reported, with each format's
//! speed relative to DOCX.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Instant;

use dangan::crawl::{self, CrawlOptions, Found};
use dangan::extract::{self, Limits};

const ROUNDS: usize = 5;

fn main() -> anyhow::Result<()> {
    let args: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    anyhow::ensure!(!args.is_empty(), "usage: bench_formats DIR...");
    let mut by_format: BTreeMap<String, Vec<PathBuf>> = BTreeMap::new();
    crawl::crawl(&args, &CrawlOptions::default(), |found| {
        if let Found::Candidate(c) = found {
            by_format
                .entry(extract::format_of(&c.path))
                .or_default()
                .push(c.path);
        }
    });
    let limits = Limits::default();
    let mut rates = BTreeMap::new();
    println!("format   files  text MB   MB/s of text (median of {ROUNDS})");
    for (format, files) in &by_format {
        let text_bytes: usize = files
            .iter()
            .filter_map(|f| extract::extract_file(f, &limits).ok())
            .map(|d| d.text().len())
            .sum();
        let mut times: Vec<f64> = (0..ROUNDS)
            .map(|_| {
                let start = Instant::now();
                for f in files {
                    let _ = std::hint::black_box(extract::extract_file(f, &limits));
                }
                start.elapsed().as_secs_f64()
            })
            .collect();
        times.sort_by(f64::total_cmp);
        let mb = text_bytes as f64 / 1e6;
        let rate = mb / times[ROUNDS / 2];
        rates.insert(format.clone(), rate);
        println!("{format:<8} {:>5} {mb:>8.2}   {rate:8.1}", files.len());
    }
    if let Some(docx) = rates.get("docx").copied() {
        for (format, rate) in &rates {
            if format != "docx" {
                println!("{format} / docx: {:.2}x", rate / docx);
            }
        }
    }
    Ok(())
}
