//! What the commands print: serde row types for NDJSON and human writers, all over
//! `impl Write` so tests can read them back.

use std::io::{self, Write};

use serde::Serialize;

use crate::extract::{Meta, PartCounts};
use crate::meta::Official;

/// One `extract --json` line, as the contract names its keys.
#[derive(Debug, Serialize)]
pub struct ExtractRow<'a> {
    /// The file's absolute path, lossy where it is not UTF-8 (a bundle member's continues
    /// the bundle's: `…/x.zip/a.docx`).
    pub path: String,
    /// The title the title rules chose; the file stem when the file was skipped.
    pub title: &'a str,
    /// The report year; `None` when no rule found one or the file was skipped.
    pub year: Option<i32>,
    /// Which rule found the year ([`crate::year::YearSource::as_str`]); `None` exactly
    /// when `year` is.
    pub year_source: Option<&'static str>,
    /// Date, document number, issuer and kind (the contract's metadata keys).
    #[serde(flatten)]
    pub official: &'a Official,
    /// Everything a reader sees ([`crate::extract::Document::text`]); empty when skipped.
    pub text: &'a str,
    /// Characters per part; all zero when skipped.
    pub parts: PartCounts,
    /// The file's properties; empty when skipped.
    pub meta: &'a Meta,
    /// Why the file was not read (the [`SkipReason`](crate::skip::SkipReason) line);
    /// `None` when it was.
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
    let none = || "none".to_string();
    let o = row.official;
    writeln!(out, "date:   {}", o.date.map_or_else(none, |d| d.to_string()))?;
    writeln!(out, "number: {}", o.doc_number.clone().unwrap_or_else(none))?;
    writeln!(out, "issuer: {}", o.issuer.clone().unwrap_or_else(none))?;
    writeln!(out, "kind:   {}", o.kind.clone().unwrap_or_else(none))?;
    if let Some(secrecy) = &o.secrecy {
        writeln!(out, "secrecy: {secrecy}")?;
    }
    if let Some(pages) = o.pages {
        writeln!(out, "pages:  {pages}")?;
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

/// One `search --json` line.
#[derive(Debug, Serialize)]
pub struct SearchRow<'a> {
    /// The document's absolute path (a bundle member's continues the bundle's).
    pub path: &'a str,
    /// The title as indexed.
    pub title: &'a str,
    /// The report year; `None` when the document has none.
    pub year: Option<i32>,
    /// Relevance, higher first ([`crate::index::search::Hit::score`]).
    pub score: f32,
    /// Date, document number, issuer and kind.
    #[serde(flatten)]
    pub official: &'a Official,
    /// The other files with the same text, folded into this hit.
    pub copies: &'a [String],
    /// The other drafts of the same document and their copies, folded into this hit.
    pub versions: &'a [String],
    /// The passage where most terms meet, on one line, `…` where it is cut (no markup:
    /// highlights are not part of the JSON).
    pub snippet: &'a str,
}

const PATH_COLOR: &str = "\x1b[35m";
const TITLE_COLOR: &str = "\x1b[1m";
const MATCH_COLOR: &str = "\x1b[1;31m";
const RESET: &str = "\x1b[0m";

/// A hit for people: the path, then year and title, then the snippet with its matches
/// highlighted (in colour, or not at all when colour is off), then a blank line.
pub fn write_hit_human<W: Write>(
    out: &mut W,
    row: &SearchRow<'_>,
    highlights: &[(usize, usize)],
    color: bool,
) -> io::Result<()> {
    let paint = |code: &'static str| if color { code } else { "" };
    writeln!(out, "{}{}{}", paint(PATH_COLOR), row.path, paint(RESET))?;
    let year = row.year.map_or_else(|| "----".to_string(), |y| y.to_string());
    let facts = row.official.summary();
    let facts = if facts.is_empty() {
        facts
    } else {
        format!("  ({facts})")
    };
    writeln!(
        out,
        "  {year}  {}{}{}{facts}",
        paint(TITLE_COLOR),
        row.title,
        paint(RESET)
    )?;
    let mut line = String::with_capacity(row.snippet.len() + 16);
    let mut at = 0;
    for &(start, end) in highlights {
        line.push_str(&row.snippet[at..start]);
        line.push_str(paint(MATCH_COLOR));
        line.push_str(&row.snippet[start..end]);
        line.push_str(paint(RESET));
        at = end;
    }
    line.push_str(&row.snippet[at..]);
    writeln!(out, "  {line}")?;
    for copy in row.copies {
        writeln!(out, "  {}= {copy}{}", paint(PATH_COLOR), paint(RESET))?;
    }
    for version in row.versions {
        writeln!(out, "  {}~ {version}{}", paint(PATH_COLOR), paint(RESET))?;
    }
    writeln!(out)
}

/// One `list --json` line.
#[derive(Debug, Serialize)]
pub struct ListRow<'a> {
    /// The document's absolute path (a bundle member's continues the bundle's).
    pub path: &'a str,
    /// The title as indexed.
    pub title: &'a str,
    /// The report year; `None` when the document has none.
    pub year: Option<i32>,
    /// Date, document number, issuer and kind.
    #[serde(flatten)]
    pub official: &'a Official,
    /// The other files with the same text, folded into this one.
    pub copies: &'a [String],
    /// The other drafts of the same document and their copies, folded into this one.
    pub versions: &'a [String],
    /// The path as people read it: relative to its root (not in the JSON).
    #[serde(skip)]
    pub shown_path: &'a str,
    /// The root it was found under, for showing its copies' paths alike (not in the JSON).
    #[serde(skip)]
    pub root: &'a str,
}

/// One `export` line: the keys of a `list --json` line (copies and versions not folded
/// away: each document has its own line, naming the others), then the document's id, root,
/// report year's source, format, size and text.
#[derive(Debug, Serialize)]
pub struct ExportRow<'a> {
    /// What `list --json` shows of it.
    #[serde(flatten)]
    pub listed: ListRow<'a>,
    /// The document's id as the web page's `/doc/ID` writes it (16 hex digits).
    pub id: String,
    /// The folder it was indexed under.
    pub root: &'a str,
    /// Where the report year came from.
    pub year_source: Option<&'a str>,
    /// The format (file extension, lower case).
    pub format: &'a str,
    /// The file's size in bytes.
    pub size: u64,
    /// Everything a reader sees, as `extract` shows it.
    pub text: &'a str,
}

impl<'a> From<&'a crate::index::search::StoredDocument> for ExportRow<'a> {
    fn from(doc: &'a crate::index::search::StoredDocument) -> Self {
        ExportRow {
            listed: ListRow {
                path: &doc.path,
                title: &doc.title,
                year: doc.year,
                official: &doc.official,
                copies: &doc.copies,
                versions: &doc.versions,
                shown_path: &doc.path,
                root: &doc.root,
            },
            id: crate::serve::format_id(doc.id),
            root: &doc.root,
            year_source: doc.year_source.as_deref(),
            format: &doc.format,
            size: doc.size,
            text: &doc.text,
        }
    }
}

/// One `years --json` line.
#[derive(Debug, Serialize)]
pub struct YearRow {
    /// The report year; `None` (JSON `null`) for the documents without one.
    pub year: Option<i32>,
    /// How many indexed documents have it.
    pub count: u64,
}

/// Terminal columns a string takes: East Asian wide characters take two.
pub fn display_width(s: &str) -> usize {
    s.chars()
        .map(|c| {
            if crate::text::is_cjk(c)
                || matches!(c as u32, 0xFF00..=0xFF60 | 0xFFE0..=0xFFE6 | 0x1F300..=0x1FAFF)
            {
                2
            } else {
                1
            }
        })
        .sum()
}

/// `list` for people: a heading per year with its count, then a line per document with
/// its title and its path (relative to its root when that is shorter).
pub fn write_list_human<W: Write>(out: &mut W, docs: &[ListRow<'_>]) -> io::Result<()> {
    let mut start = 0;
    while start < docs.len() {
        let year = docs[start].year;
        let end = start + docs[start..].iter().take_while(|d| d.year == year).count();
        let group = &docs[start..end];
        let heading = year.map_or_else(|| "no year".to_string(), |y| y.to_string());
        let noun = if group.len() == 1 { "document" } else { "documents" };
        writeln!(out, "{heading} ({} {noun})", group.len())?;
        let width = group
            .iter()
            .map(|d| display_width(d.title))
            .max()
            .unwrap_or(0)
            .min(48);
        for doc in group {
            let pad = width.saturating_sub(display_width(doc.title));
            writeln!(out, "  {}{}  {}", doc.title, " ".repeat(pad), doc.shown_path)?;
            let facts = doc.official.summary();
            if !facts.is_empty() {
                writeln!(out, "    {facts}")?;
            }
            let marked = doc.copies.iter().map(|p| ('=', p));
            for (mark, path) in marked.chain(doc.versions.iter().map(|p| ('~', p))) {
                let shown = std::path::Path::new(path)
                    .strip_prefix(doc.root)
                    .map_or_else(|_| path.clone(), |p| p.to_string_lossy().into_owned());
                writeln!(out, "    {mark} {shown}")?;
            }
        }
        start = end;
    }
    Ok(())
}

/// `years` for people: a row per year from the newest to the oldest, the years between
/// with no documents included so gaps stand out, a bar per year, and the no-year count.
pub fn write_years_human<W: Write>(out: &mut W, counts: &[(Option<i32>, u64)]) -> io::Result<()> {
    const BAR: usize = 40;
    let most = counts.iter().map(|&(_, n)| n).max().unwrap_or(0).max(1);
    let bar = |n: u64| "█".repeat(((n as usize * BAR).div_ceil(most as usize)).min(BAR));
    let known: std::collections::BTreeMap<i32, u64> =
        counts.iter().filter_map(|&(y, n)| Some((y?, n))).collect();
    writeln!(out, "year  documents")?;
    if let (Some(&first), Some(&last)) = (known.keys().next(), known.keys().next_back()) {
        for year in (first..=last).rev() {
            let n = known.get(&year).copied().unwrap_or(0);
            writeln!(out, "{year}  {n:>9}  {}", bar(n))?;
        }
    }
    if let Some(&(_, n)) = counts.iter().find(|(y, _)| y.is_none()) {
        writeln!(out, "none  {n:>9}  {}", bar(n))?;
    }
    Ok(())
}
