//! `dangan status`: where the index is, what it holds, when each root was synced, and
//! which files the last runs could not read.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

use serde::Serialize;

use crate::cli::StatusArgs;
use crate::cmd::Outcome;
use crate::config;
use crate::index::open_index;
use crate::index::search::Searcher;
use crate::index::sync::{self, SyncState};

#[derive(Debug, Serialize)]
struct Status {
    index: String,
    size_bytes: u64,
    documents: u64,
    formats: BTreeMap<String, usize>,
    roots: Vec<RootRow>,
    skipped: Vec<SkippedRow>,
}

#[derive(Debug, Serialize)]
struct RootRow {
    path: String,
    last_sync: Option<String>,
    documents: usize,
}

#[derive(Debug, Serialize)]
struct SkippedRow {
    path: String,
    reason: String,
}

pub fn run(args: &StatusArgs, index_flag: Option<&Path>, out: &mut impl Write) -> anyhow::Result<Outcome> {
    let dir = config::require_index_dir(index_flag)?;
    let (index, fields) = open_index(&dir, false)?;
    let documents = Searcher::new(&index, fields, &dir)?.num_docs();
    let state = SyncState::load(&dir);
    let size_bytes = std::fs::read_dir(&dir)?
        .filter_map(|e| e.ok()?.metadata().ok())
        .filter(|m| m.is_file())
        .map(|m| m.len())
        .sum();

    let mut formats = BTreeMap::new();
    let mut per_root: BTreeMap<&str, usize> = BTreeMap::new();
    let mut skipped = Vec::new();
    for (key, file) in &state.files {
        let path = sync::path_of_key(key);
        match &file.skipped {
            None => {
                let ext = path
                    .extension()
                    .map_or_else(|| "none".into(), |e| e.to_string_lossy().to_lowercase());
                *formats.entry(ext).or_default() += 1;
                *per_root.entry(file.root.as_str()).or_default() += 1;
            }
            Some(reason) => skipped.push(SkippedRow {
                path: path.to_string_lossy().into_owned(),
                reason: reason.clone(),
            }),
        }
    }
    let roots = state
        .roots
        .iter()
        .map(|(key, root)| RootRow {
            path: sync::path_of_key(key).to_string_lossy().into_owned(),
            last_sync: (root.last_sync > 0).then(|| utc(root.last_sync)),
            documents: per_root.get(key.as_str()).copied().unwrap_or(0),
        })
        .collect();
    let status = Status {
        index: config::absolute(&dir).to_string_lossy().into_owned(),
        size_bytes,
        documents,
        formats,
        roots,
        skipped,
    };
    if args.json {
        crate::output::write_json_line(out, &status)?;
    } else {
        write_human(out, &status)?;
    }
    out.flush()?;
    Ok(Outcome::Success)
}

fn utc(secs: u64) -> String {
    let (y, m, d) = crate::year::civil_date(secs);
    let t = secs % 86_400;
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02}:{:02} UTC",
        t / 3600,
        t / 60 % 60,
        t % 60
    )
}

fn write_human(out: &mut impl Write, s: &Status) -> std::io::Result<()> {
    writeln!(
        out,
        "index      {} ({:.1} MB)",
        s.index,
        s.size_bytes as f64 / 1e6
    )?;
    let formats: Vec<String> = s.formats.iter().map(|(f, n)| format!("{f} {n}")).collect();
    writeln!(out, "documents  {} ({})", s.documents, formats.join(", "))?;
    for (i, root) in s.roots.iter().enumerate() {
        let label = if i == 0 { "roots" } else { "" };
        let synced = root.last_sync.as_deref().unwrap_or("never finished");
        writeln!(
            out,
            "{label:<10} {}  {} documents, last synced {synced}",
            root.path, root.documents
        )?;
    }
    if s.skipped.is_empty() {
        writeln!(out, "skipped    none")?;
    } else {
        let noun = if s.skipped.len() == 1 { "file" } else { "files" };
        writeln!(out, "skipped    {} {noun} could not be read:", s.skipped.len())?;
        for row in &s.skipped {
            writeln!(out, "  {}: {}", row.path, row.reason)?;
        }
    }
    Ok(())
}
