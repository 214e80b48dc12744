//! `dangan status`: the library's [`Status`] of the index, as text or one JSON object.

use std::io::Write;
use std::path::Path;

use crate::cli::StatusArgs;
use crate::cmd::Outcome;
use crate::config;
use crate::index::status::{self, Status};

/// Prints the index's [`Status`] to `out`, as aligned text or one JSON object.
pub fn run(args: &StatusArgs, index_flag: Option<&Path>, out: &mut impl Write) -> anyhow::Result<Outcome> {
    let dir = config::require_index_dir(index_flag)?;
    let status = status::status(&dir)?;
    if args.json {
        crate::output::write_json_line(out, &status)?;
    } else {
        write_human(out, &status)?;
    }
    out.flush()?;
    Ok(Outcome::Success)
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
    if s.scanned > 0 {
        let noun = if s.scanned == 1 { "PDF" } else { "PDFs" };
        writeln!(
            out,
            "scanned    {} {noun} with no text layer (need OCR)",
            s.scanned
        )?;
    }
    Ok(())
}
