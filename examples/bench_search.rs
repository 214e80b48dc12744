//! Search latency on an index: in-process (open once, many queries) and as whole
//! `dangan search` processes (start, open, query, print), for a fixed set of 1–3 term
//! queries with the default 20 hits and their snippets.
//!
//! ```sh
//! cargo run --release --example bench_search -- --index /tmp/dangan-bench/index
//! ```
//! Whole-process runs use `target/release/dangan` (build it first) unless `--dangan PATH`.
//! `BENCH_PER_QUERY=1` adds each query's median (with 20 hits and with 1), `BENCH_ONLY=QUERY`
//! loops one query for a profiler, `BENCH_CHECK=always|never` forces how phrases are
//! checked (see `SearchOptions::check_candidates`).

use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::Instant;

use dangan::index::open_index;
use dangan::index::search::{SearchOptions, Searcher};

const QUERIES: &[&str] = &[
    "河长制",
    "安全生产",
    "民族团结 宣传月",
    "族团",
    "乡村振兴 OR 河长制",
    "安全生产 -疫情",
    "隐患排查治理",
    "投入资金",
    "2019",
    "完成率",
    "\"工作责任制\"",
    "title:工作总结",
    "青山镇 防汛",
    "长效管护机制 示范点",
    "人居环境 整治 成效",
    "同比增长 5.5%",
    "基层党建 述职报告",
    "数字乡村建设 2023",
    "群众满意度",
    "联防联控",
];

fn percentile(sorted: &[f64], p: f64) -> f64 {
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

fn report(label: &str, mut times: Vec<f64>) {
    times.sort_by(f64::total_cmp);
    println!(
        "{label:<24} median {:8.3} ms   p95 {:8.3} ms   ({} runs)",
        percentile(&times, 0.5) * 1e3,
        percentile(&times, 0.95) * 1e3,
        times.len()
    );
}

fn main() -> anyhow::Result<()> {
    let mut index = PathBuf::from("/tmp/dangan-bench/index");
    let mut dangan = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/release/dangan");
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || args.next().ok_or_else(|| anyhow::anyhow!("{arg} needs a value"));
        match arg.as_str() {
            "--index" => index = PathBuf::from(value()?),
            "--dangan" => dangan = PathBuf::from(value()?),
            other => anyhow::bail!("unknown argument {other}"),
        }
    }

    // What a `dangan search` process pays before its query: opening the index and a reader
    // (jieba is never loaded on the query side).
    let mut opening = Vec::new();
    for _ in 0..20 {
        let start = Instant::now();
        let (idx, fields) = open_index(&index, false)?;
        std::hint::black_box(Searcher::new(&idx, fields, &index)?);
        opening.push(start.elapsed().as_secs_f64());
    }
    let (idx, fields) = open_index(&index, false)?;
    let searcher = Searcher::new(&idx, fields, &index)?;
    println!("{} documents in {}", searcher.num_docs(), index.display());
    // BENCH_CHECK=always|never: every search checks its best candidates against the
    // phrases' positions, or reads every match's positions (default: dangan decides).
    let check_candidates = match std::env::var("BENCH_CHECK").as_deref() {
        Ok("always") => Some(true),
        Ok("never") => Some(false),
        _ => None,
    };
    let options = SearchOptions {
        limit: 20,
        check_candidates,
        ..SearchOptions::default()
    };
    let parsed: Vec<_> = QUERIES
        .iter()
        .map(|q| dangan::query::parse(q))
        .collect::<Result<_, _>>()?;
    // BENCH_ONLY=QUERY: that query in a loop, for a profiler, and nothing else.
    if let Ok(only) = std::env::var("BENCH_ONLY") {
        let query = dangan::query::parse(&only)?;
        let mut times = Vec::new();
        for _ in 0..2000 {
            let start = Instant::now();
            std::hint::black_box(searcher.search(&query, &options)?);
            times.push(start.elapsed().as_secs_f64());
        }
        report(&format!("{only:?}"), times);
        return Ok(());
    }
    let mut in_process = Vec::new();
    for _ in 0..20 {
        for query in &parsed {
            let start = Instant::now();
            std::hint::black_box(searcher.search(query, &options)?);
            in_process.push(start.elapsed().as_secs_f64());
        }
    }
    report("open index + reader", opening);
    report("in-process, -n 20", in_process.clone());
    if std::env::var_os("BENCH_PER_QUERY").is_some() {
        // Beside each query's median, its median with one hit: the ranking alone, nearly
        // (the difference is reading and snippeting the other 19).
        let one = SearchOptions {
            limit: 1,
            check_candidates,
            ..SearchOptions::default()
        };
        println!("  {:<28} {:>11} {:>11}", "query", "-n 20", "-n 1");
        for (i, (q, query)) in QUERIES.iter().zip(&parsed).enumerate() {
            let mut times: Vec<f64> = in_process
                .iter()
                .skip(i)
                .step_by(QUERIES.len())
                .copied()
                .collect();
            times.sort_by(f64::total_cmp);
            let mut ranked = Vec::new();
            for _ in 0..20 {
                let start = Instant::now();
                std::hint::black_box(searcher.search(query, &one)?);
                ranked.push(start.elapsed().as_secs_f64());
            }
            ranked.sort_by(f64::total_cmp);
            println!(
                "  {:<28} {:8.3} ms {:8.3} ms",
                q,
                percentile(&times, 0.5) * 1e3,
                percentile(&ranked, 0.5) * 1e3
            );
        }
    }

    // Every hit, with its snippet: the first four queries, and a pair of common terms
    // (about 5,000 of the 20,000 generated reports).
    let all = SearchOptions::default();
    for text in QUERIES[..4].iter().chain(["工作总结 OR 情况报告"].iter()) {
        let query = dangan::query::parse(text)?;
        let mut times = Vec::new();
        let mut count = 0;
        for _ in 0..5 {
            let start = Instant::now();
            count = searcher.search(&query, &all)?.len();
            times.push(start.elapsed().as_secs_f64());
        }
        report(&format!("  -n 0 {text:?}, {count} hits"), times);
    }

    let mut whole = Vec::new();
    for _ in 0..5 {
        for query in QUERIES {
            let start = Instant::now();
            let status = Command::new(&dangan)
                .args(["search", "--index"])
                .arg(&index)
                .args(["--json", query])
                .stdout(Stdio::null())
                .status()?;
            whole.push(start.elapsed().as_secs_f64());
            anyhow::ensure!(status.code().is_some_and(|c| c <= 1), "{query}: {status}");
        }
    }
    report("whole process", whole);

    // A term in nine documents of ten, every hit printed as JSON lines by a whole process.
    let mut all_hits = Vec::new();
    let mut lines = 0;
    for _ in 0..3 {
        let start = Instant::now();
        let output = Command::new(&dangan)
            .args(["search", "--index"])
            .arg(&index)
            .args(["-n", "0", "--json", "投入资金"])
            .stderr(Stdio::null())
            .output()?;
        all_hits.push(start.elapsed().as_secs_f64());
        anyhow::ensure!(output.status.success(), "-n 0 投入资金: {}", output.status);
        lines = output.stdout.iter().filter(|&&b| b == b'\n').count();
    }
    report(
        &format!("whole process -n 0 --json 投入资金, {lines} hits"),
        all_hits,
    );
    Ok(())
}
