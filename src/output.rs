//! What the commands print: serde row types for NDJSON and human writers, all over
//! `impl Write` so tests can read them back.

use std::io::{self, Write};

use serde::Serialize;

use crate::extract::{Meta, PartCounts};

/// One `extract --json` line, as the contract names its keys.
#[derive(Debug, Serialize)]
pub struct ExtractRow<'a> {
    pub path: String,
    pub title: &'a str,
    pub year: Option<i32>,
    pub year_source: Option<&'static str>,
    pub text: &'a str,
    pub parts: PartCounts,
    pub meta: &'a Meta,
    pub skipped: Option<String>,
}

/// Writes one value as a line of JSON.
pub fn write_json_line<W: Write, T: Serialize>(out: &mut W, value: &T) -> io::Result<()> {
    serde_json::to_writer(&mut *out, value)?;
    out.write_all(b"\n")
}

/// The human dump of one extracted file.
pub fn write_extract_human<W: Write>(out: &mut W, row: &ExtractRow<'_>, with_text: bool) -> io::Result<()> {
    writeln!(out, "== {}", row.path)?;
    if let Some(reason) = &row.skipped {
        writeln!(out, "skipped: {reason}")?;
        return writeln!(out);
    }
    writeln!(out, "title:  {}", row.title)?;
    match (row.year, row.year_source) {
        (Some(year), Some(source)) => writeln!(out, "year:   {year} (from {source})")?,
        _ => writeln!(out, "year:   none")?,
    }
    let p = &row.parts;
    writeln!(
        out,
        "parts:  body {}, tables {}, text boxes {}, headers {}, footers {}, footnotes {}, endnotes {}",
        p.body, p.tables, p.textboxes, p.headers, p.footers, p.footnotes, p.endnotes
    )?;
    for (key, value) in row.meta {
        writeln!(out, "meta:   {key}: {value}")?;
    }
    if with_text {
        writeln!(out, "--")?;
        writeln!(out, "{}", row.text.trim_end())?;
    }
    writeln!(out)
}
