//! Extraction throughput on one core, in MB/s of `document.xml` (inflated).
//!
//! ```sh
//! cargo run --release --example bench_extract                 # a large synthetic report
//! cargo run --release --example bench_extract -- DIR_OR_FILE  # your own documents
//! ```
//!
//! For scale it also times the two floors under extraction: inflating `document.xml`
//! alone, and inflating plus tokenising it with quick-xml. Each figure is the median of
//! several rounds.

use std::io::{Cursor, Read, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use dangan::crawl::{self, CrawlOptions, Found};
use dangan::extract::{self, Limits};

const ROUNDS: usize = 7;

fn main() -> anyhow::Result<()> {
    let args: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    let _synthetic; // keeps the temp dir alive
    let files = if args.is_empty() {
        let (dir, path) = synthetic_report()?;
        _synthetic = dir;
        vec![path]
    } else {
        let mut files = Vec::new();
        crawl::crawl(&args, &CrawlOptions::default(), |found| {
            if let Found::Candidate(c) = found {
                files.push(c.path);
            }
        });
        files
    };
    let xml_bytes: u64 = files.iter().map(|f| document_xml_size(f)).sum();
    let mb = xml_bytes as f64 / 1e6;
    println!("{} files, {:.1} MB of document.xml", files.len(), mb);

    let limits = Limits::default();
    let skipped = files
        .iter()
        .filter(|f| extract::extract_file(f, &limits).is_err())
        .count();
    if skipped > 0 {
        println!("{skipped} files skipped (their time still counts)");
    }
    let extract = median_secs(|| {
        for f in &files {
            let _ = std::hint::black_box(extract::extract_file(f, &limits));
        }
    });
    let inflate = median_secs(|| {
        for f in &files {
            let _ = std::hint::black_box(inflate_only(f));
        }
    });
    let tokenise = median_secs(|| {
        for f in &files {
            let _ = std::hint::black_box(inflate_and_tokenise(f));
        }
    });
    println!("inflate only:          {:7.1} MB/s", mb / inflate);
    println!("inflate + quick-xml:   {:7.1} MB/s", mb / tokenise);
    println!(
        "dangan extract:        {:7.1} MB/s  ({:.1}% of the quick-xml floor)",
        mb / extract,
        100.0 * tokenise / extract
    );
    Ok(())
}

fn median_secs(mut run: impl FnMut()) -> f64 {
    let mut times: Vec<f64> = (0..ROUNDS)
        .map(|_| {
            let start = Instant::now();
            run();
            start.elapsed().as_secs_f64()
        })
        .collect();
    times.sort_by(f64::total_cmp);
    times[ROUNDS / 2]
}

fn document_xml_size(path: &Path) -> u64 {
    let Ok(file) = std::fs::File::open(path) else {
        return 0;
    };
    let Ok(mut zip) = zip::ZipArchive::new(file) else {
        return 0;
    };
    zip.by_name("word/document.xml").map(|m| m.size()).unwrap_or(0)
}

fn inflate_only(path: &Path) -> std::io::Result<u64> {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path)?)?;
    let mut member = zip.by_name("word/document.xml")?;
    std::io::copy(&mut member, &mut std::io::sink())
}

fn inflate_and_tokenise(path: &Path) -> anyhow::Result<usize> {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path)?)?;
    let member = zip.by_name("word/document.xml")?;
    let mut reader = quick_xml::Reader::from_reader(std::io::BufReader::with_capacity(64 * 1024, member));
    reader.config_mut().expand_empty_elements = true;
    let mut buf = Vec::new();
    let mut events = 0;
    loop {
        match reader.read_event_into(&mut buf)? {
            quick_xml::events::Event::Eof => return Ok(events),
            _ => events += 1,
        }
        buf.clear();
    }
}

/// A report of about 10 MB of `document.xml`: the body of a fixture repeated.
fn synthetic_report() -> anyhow::Result<(tempfile::TempDir, PathBuf)> {
    let source =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/archive/2023/2023年青山镇工作总结.docx");
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&source)?)?;
    let mut xml = String::new();
    zip.by_name("word/document.xml")?.read_to_string(&mut xml)?;
    let start = xml.find("<w:body>").map(|i| i + "<w:body>".len()).unwrap_or(0);
    let end = xml
        .rfind("<w:sectPr")
        .or_else(|| xml.rfind("</w:body>"))
        .unwrap_or(xml.len());
    let body = &xml[start..end];
    let copies = (10_000_000 / body.len().max(1)).max(1);
    let big = format!("{}{}{}", &xml[..start], body.repeat(copies), &xml[end..]);

    let dir = tempfile::tempdir()?;
    let path = dir.path().join("synthetic.docx");
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for i in 0..zip.len() {
        let mut member = zip.by_index(i)?;
        let name = member.name()?.to_string();
        let mut data = Vec::new();
        member.read_to_end(&mut data)?;
        out.start_file(&name, options)?;
        if name == "word/document.xml" {
            out.write_all(big.as_bytes())?;
        } else {
            out.write_all(&data)?;
        }
    }
    std::fs::write(&path, out.finish()?.into_inner())?;
    Ok((dir, path))
}
