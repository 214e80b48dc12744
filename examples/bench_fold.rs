//! What folding adds to indexing, per document, on one core: the copy key, the MinHash
//! signature and the unit of each document's text, beside normalising it (which indexing
//! does anyway), and grouping the whole set's signatures into versions.
//!
//! ```sh
//! cargo run --release --example bench_fold -- DIR [MAX_FILES]
//! ```
//!
//! Each figure is the median of five rounds, in milliseconds for all documents.

use std::path::PathBuf;
use std::time::Instant;

use dangan::crawl::{self, CrawlOptions, Found};
use dangan::extract::{self, Limits};
use dangan::index::{fold, versions};

const ROUNDS: usize = 5;

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(dir) = args.first() else {
        anyhow::bail!("usage: bench_fold DIR [MAX_FILES]");
    };
    let max: usize = args.get(1).and_then(|n| n.parse().ok()).unwrap_or(usize::MAX);
    let mut files: Vec<PathBuf> = Vec::new();
    crawl::crawl(&[PathBuf::from(dir)], &CrawlOptions::default(), |found| {
        if let Found::Candidate(c) = found {
            files.push(c.path);
        }
    });
    files.truncate(max);
    let limits = Limits::default();
    let texts: Vec<(String, String)> = files
        .iter()
        .filter_map(|f| extract::extract_file(f, &limits).ok())
        .map(|doc| {
            let title = doc.paragraphs.first().map(|p| p.text.clone()).unwrap_or_default();
            (title, doc.text())
        })
        .collect();
    let mb = texts.iter().map(|(_, t)| t.len()).sum::<usize>() as f64 / 1e6;
    println!("{} documents, {mb:.1} MB of text", texts.len());
    let normalized: Vec<String> = texts.iter().map(|(_, t)| dangan::text::normalize(t)).collect();

    let normalize = median_ms(|| {
        for (_, t) in &texts {
            std::hint::black_box(dangan::text::normalize(t));
        }
    });
    let copy = median_ms(|| {
        for t in &normalized {
            std::hint::black_box(fold::copy_key(t));
        }
    });
    let signature = median_ms(|| {
        for t in &normalized {
            std::hint::black_box(versions::fingerprint(t));
        }
    });
    let unit = median_ms(|| {
        for (title, text) in &texts {
            std::hint::black_box(versions::unit_of(title, None, "", text));
        }
    });
    let body_unit = median_ms(|| {
        for (_, text) in &texts {
            std::hint::black_box(versions::unit_of("", None, "", text));
        }
    });
    let numbers = median_ms(|| {
        for (title, _) in &texts {
            std::hint::black_box(versions::title_numbers(title));
        }
    });
    let candidates: Vec<versions::Candidate> = normalized
        .iter()
        .enumerate()
        .filter_map(|(i, t)| {
            Some(versions::Candidate {
                copy_key: fold::copy_key(t)?.wrapping_add(i as u64),
                signature: versions::signature(t)?,
                year: None,
                unit: None,
                number: None,
                numbered: None,
            })
        })
        .collect();
    let group = median_ms(|| {
        std::hint::black_box(versions::group(&candidates, &mut |_, _| None));
    });
    println!("normalise      {normalize:8.1} ms");
    println!("copy key       {copy:8.1} ms");
    println!("copy key and signature, one pass {signature:8.1} ms");
    println!("unit           {unit:8.1} ms");
    println!("unit, body's   {body_unit:8.1} ms (no title, issuer or file name)");
    println!("title numbers  {numbers:8.1} ms");
    println!("group {} signatures {group:8.1} ms", candidates.len());
    Ok(())
}

fn median_ms(mut f: impl FnMut()) -> f64 {
    let mut times: Vec<f64> = (0..ROUNDS)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed().as_secs_f64() * 1e3
        })
        .collect();
    times.sort_by(f64::total_cmp);
    times[ROUNDS / 2]
}
