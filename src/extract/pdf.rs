//! PDF: the text layer of each page, read by `pdf_oxide` in a worker process.
//!
//! A PDF parser can overflow its stack on deeply nested objects (an abort no
//! `catch_unwind` sees), loop, or allocate without end. So [`extract_pdf`] runs the parse in
//! a child process — dangan itself, started as `dangan __pdf-worker` ([`worker_main`]) —
//! which caps its own address space and is killed after [`TIME_CAP`]; a crash, a kill or a
//! timeout is a skip reason, and the run goes on.
//!
//! In the child: an encrypted file is opened with the empty user password
//! or named encrypted; each page's lines are taken with where they sit, and the document
//! info ([`text_string`], [`pdf_date`]); a file whose pages have no text at all is "no text
//! layer" (scanned), never an empty document. In the parent, [`places`] sets running
//! headers and footers apart (kept once) and [`paragraphs_of`] joins the lines of a
//! paragraph (no space between Chinese characters, a hyphenated Latin word rejoined), over
//! page breaks too.

use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use super::{Document, Meta, Paragraph, SkipReason};

/// Time a PDF may take to read.
pub const TIME_CAP: Duration = Duration::from_secs(10);
/// Address space the worker may map beyond the PDF's own bytes (its code and stack
/// included): every file of the peer corpus reads in 150 MiB, a decompression bomb stops
/// here.
pub const MEMORY_CAP: u64 = 160 << 20;

/// The worker's answer.
#[derive(Debug, Serialize, Deserialize)]
enum Answer {
    /// The lines of each page, the values filled into its form fields, and the document
    /// info (under the [`Meta`] keys).
    Text {
        pages: Vec<Vec<Line>>,
        #[serde(default)]
        fields: Vec<String>,
        meta: Vec<(String, String)>,
    },
    /// No page has text: scanned (pages counted).
    Scanned(usize),
    /// Encrypted with a password.
    Encrypted,
    /// Damaged: what the parser said.
    Damaged(String),
}

/// Reads a PDF's text in a worker process (see the module docs).
pub fn extract_pdf(bytes: &[u8]) -> Result<Document, SkipReason> {
    let exe = worker_exe().map_err(|e| SkipReason::Internal(format!("no PDF worker: {e}")))?;
    let mut child = Command::new(exe)
        .arg(WORKER_ARG)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| SkipReason::Internal(format!("cannot start the PDF worker: {e}")))?;
    let mut stdin = child.stdin.take();
    let input = bytes.to_vec();
    let writer = std::thread::spawn(move || {
        if let Some(stdin) = stdin.as_mut() {
            let _ = stdin.write_all(&input);
        }
    });
    let mut stdout = child.stdout.take();
    let reader = std::thread::spawn(move || {
        let mut out = Vec::new();
        if let Some(stdout) = stdout.as_mut() {
            let _ = stdout.read_to_end(&mut out);
        }
        out
    });
    let started = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break Some(status),
            Ok(None) if started.elapsed() > TIME_CAP => {
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(2)),
            Err(_) => break None,
        }
    };
    let _ = writer.join();
    let out = reader.join().unwrap_or_default();
    let Some(status) = status else {
        return Err(SkipReason::TooLarge(format!(
            "a PDF that takes over {} s to read",
            TIME_CAP.as_secs()
        )));
    };
    if !status.success() {
        return Err(SkipReason::DamagedPdf(
            "the PDF parser gave up (crashed or ran out of memory)".into(),
        ));
    }
    match serde_json::from_slice::<Answer>(&out) {
        Ok(answer) => answer.into_document(),
        Err(e) => Err(SkipReason::Internal(format!("the PDF worker's answer: {e}"))),
    }
}

/// Reads a PDF in this process, without the worker's protection: for benchmarks and for
/// PDFs known to be sound.
pub fn extract_pdf_in_process(bytes: Vec<u8>) -> Result<Document, SkipReason> {
    read_pdf(bytes).into_document()
}

impl Answer {
    fn into_document(self) -> Result<Document, SkipReason> {
        match self {
            Answer::Text { pages, fields, meta } => {
                Ok(document_of(&pages, &fields, meta.into_iter().collect()))
            }
            Answer::Scanned(pages) => Err(SkipReason::Scanned(pages)),
            Answer::Encrypted => Err(SkipReason::Encrypted),
            Answer::Damaged(why) => Err(SkipReason::DamagedPdf(why)),
        }
    }
}

/// The argument that makes dangan a PDF worker.
pub const WORKER_ARG: &str = "__pdf-worker";

/// The program to run as the worker: `DANGAN_PDF_WORKER` if set (a library user's own
/// dangan binary), else this program itself.
fn worker_exe() -> std::io::Result<PathBuf> {
    match std::env::var_os("DANGAN_PDF_WORKER") {
        Some(path) => Ok(PathBuf::from(path)),
        None => std::env::current_exe(),
    }
}

/// `dangan __pdf-worker`: reads a PDF on stdin, answers on stdout. Caps its own address
/// space at the PDF's size and [`MEMORY_CAP`] once it has read it.
pub fn worker_main() -> std::process::ExitCode {
    let mut bytes = Vec::new();
    if std::io::stdin().read_to_end(&mut bytes).is_err() {
        return std::process::ExitCode::from(2);
    }
    let cap = MEMORY_CAP + bytes.capacity() as u64;
    let _ = rlimit::setrlimit(rlimit::Resource::AS, cap, cap);
    let answer = std::panic::catch_unwind(|| read_pdf(bytes))
        .unwrap_or_else(|_| Answer::Damaged("the PDF parser panicked".into()));
    match serde_json::to_writer(std::io::stdout().lock(), &answer) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(_) => std::process::ExitCode::from(2),
    }
}

/// The text layer of a PDF, in this process.
fn read_pdf(bytes: Vec<u8>) -> Answer {
    let doc = match pdf_oxide::PdfDocument::from_bytes(bytes) {
        Ok(doc) => doc,
        Err(e) => return Answer::Damaged(one_line(&e.to_string())),
    };
    if doc.is_encrypted() && !matches!(doc.authenticate(b""), Ok(true)) {
        return Answer::Encrypted;
    }
    let count = match doc.page_count() {
        Ok(n) => n,
        Err(e) => return Answer::Damaged(one_line(&e.to_string())),
    };
    let mut pages = Vec::with_capacity(count);
    let mut failed = None;
    for page in 0..count {
        let lines = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| doc.extract_text_lines(page)));
        match lines {
            Ok(Ok(lines)) => {
                let lines: Vec<Line> = lines
                    .iter()
                    .map(|l| Line {
                        text: words_joined(l.words.iter().map(|w| w.text.as_str())),
                        left: l.bbox.x,
                        right: l.bbox.x + l.bbox.width,
                        top: l.bbox.y + l.bbox.height,
                        height: l.bbox.height,
                        bold: !l.words.is_empty() && l.words.iter().all(|w| w.is_bold),
                    })
                    .filter(|l| !l.text.trim().is_empty())
                    .collect();
                pages.push(lines);
            }
            Ok(Err(e)) => {
                failed.get_or_insert_with(|| one_line(&e.to_string()));
                pages.push(Vec::new());
            }
            Err(_) => pages.push(Vec::new()),
        }
    }
    let fields =
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| field_values(&doc))).unwrap_or_default();
    if pages.iter().all(Vec::is_empty) && fields.is_empty() {
        return match failed {
            Some(why) if count > 0 => Answer::Damaged(why),
            // Encrypted, opened, and still nothing: the key was wrong, not a scan.
            _ if doc.is_encrypted() => Answer::Encrypted,
            _ => Answer::Scanned(count),
        };
    }
    let meta =
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| info_of(&doc, count))).unwrap_or_default();
    Answer::Text { pages, fields, meta }
}

/// What is filled into the form's fields (text, a choice), as a reader sees it on the page:
/// a filled-in 申报表 holds its answers there, not in the page's text.
fn field_values(doc: &pdf_oxide::PdfDocument) -> Vec<String> {
    use pdf_oxide::extractors::forms::{FieldType, FieldValue, FormExtractor};
    let Ok(fields) = FormExtractor::extract_fields(doc) else {
        return Vec::new();
    };
    let mut values = Vec::new();
    for field in fields {
        if !matches!(field.field_type, FieldType::Text | FieldType::Choice) {
            continue;
        }
        let value = match field.value {
            FieldValue::Text(text) | FieldValue::Name(text) => text,
            FieldValue::Array(items) => items.join(" "),
            FieldValue::Boolean(_) | FieldValue::None => continue,
        };
        let value = value.trim();
        if !value.is_empty() {
            values.push(value.to_string());
        }
    }
    values
}

/// The document info dictionary's Title, Author, Subject, Keywords, Creator, Producer and
/// dates, XMP's title, creator and dates where the info has none, and the page count.
fn info_of(doc: &pdf_oxide::PdfDocument, pages: usize) -> Vec<(String, String)> {
    use pdf_oxide::object::Object;
    let mut meta = vec![("pages".to_string(), pages.to_string())];
    let info = doc
        .trailer()
        .as_dict()
        .and_then(|trailer| trailer.get("Info"))
        .and_then(|info| doc.resolve_object(info).ok());
    if let Some(dict) = info.as_ref().and_then(Object::as_dict) {
        for (pdf_key, key) in INFO_KEYS {
            let Some(value) = dict.get(*pdf_key).and_then(|v| doc.resolve_object(v).ok()) else {
                continue;
            };
            let Some(bytes) = value.as_string() else {
                continue;
            };
            let mut text = one_line(&text_string(bytes));
            if matches!(*key, "created" | "modified") {
                match pdf_date(&text) {
                    Some(date) => text = date,
                    None => continue,
                }
            }
            if !text.is_empty() {
                meta.push((key.to_string(), text));
            }
        }
    }
    if let Ok(Some(xmp)) = pdf_oxide::extractors::xmp::XmpExtractor::extract(doc) {
        let mut add = |key: &str, value: Option<String>| {
            let value = value.map(|v| one_line(&v)).filter(|v| !v.is_empty());
            if let Some(value) = value
                && !meta.iter().any(|(k, _)| k == key)
            {
                meta.push((key.to_string(), value));
            }
        };
        add("title", xmp.dc_title);
        add(
            "creator",
            (!xmp.dc_creator.is_empty()).then(|| xmp.dc_creator.join("; ")),
        );
        add("created", xmp.xmp_create_date);
        add("modified", xmp.xmp_modify_date);
        add("application", xmp.xmp_creator_tool);
        add("producer", xmp.pdf_producer);
    }
    meta
}

/// The info dictionary's keys and the [`Meta`] keys they become.
const INFO_KEYS: &[(&str, &str)] = &[
    ("Title", "title"),
    ("Author", "creator"),
    ("Subject", "subject"),
    ("Keywords", "keywords"),
    ("Creator", "application"),
    ("Producer", "producer"),
    ("CreationDate", "created"),
    ("ModDate", "modified"),
];

/// A PDF text string: UTF-16BE or UTF-8 after their byte-order marks, else UTF-8 when it
/// is (some producers write it bare), else GBK when it decodes cleanly (Chinese producers
/// that ignore the standard), else PDFDocEncoding (Latin-1 for the letters that matter).
pub fn text_string(bytes: &[u8]) -> String {
    if let Some(rest) = bytes.strip_prefix(&[0xfe, 0xff]) {
        let units = rest.chunks_exact(2).map(|c| u16::from_be_bytes([c[0], c[1]]));
        return char::decode_utf16(units)
            .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
            .collect::<String>()
            .trim_end_matches('\0')
            .to_string();
    }
    if let Some(rest) = bytes.strip_prefix(&[0xef, 0xbb, 0xbf]) {
        return String::from_utf8_lossy(rest).into_owned();
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return text.to_string();
    }
    let (text, _, bad) = encoding_rs::GBK.decode(bytes);
    if !bad {
        return text.into_owned();
    }
    bytes.iter().map(|&b| char::from(b)).collect()
}

/// A PDF date (`D:20230405093000+08'00'`) as ISO 8601 (`2023-04-05T09:30:00`), as far as
/// it goes (`D:2023` is `2023`); `None` when it is not a date. An ISO date (as XMP writes
/// it) passes as it is.
pub fn pdf_date(text: &str) -> Option<String> {
    let t = text.trim();
    let digits: String = t
        .strip_prefix("D:")
        .unwrap_or(t)
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    if digits.len() < 4 {
        return None;
    }
    if digits.len() == 4 && t.len() > 4 && t.as_bytes().get(4) == Some(&b'-') {
        return Some(t.to_string());
    }
    let year: u32 = digits[..4].parse().ok()?;
    if !(1000..=9999).contains(&year) {
        return None;
    }
    let mut out = digits[..4].to_string();
    for (i, sep) in [(4, '-'), (6, '-'), (8, 'T'), (10, ':'), (12, ':')] {
        match digits.get(i..i + 2) {
            Some(part) => {
                out.push(sep);
                out.push_str(part);
            }
            None => break,
        }
    }
    Some(out)
}

fn one_line(message: &str) -> String {
    message.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A line of a page as laid out: its text and where it sits (PDF units, y upwards).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Line {
    /// The line's text.
    pub text: String,
    /// Its left end.
    pub left: f32,
    /// Its right end.
    pub right: f32,
    /// Its top.
    pub top: f32,
    /// Its height.
    pub height: f32,
    /// Every word of it is set in a bold face.
    #[serde(default)]
    pub bold: bool,
}

/// A paragraph as [`paragraphs_of`] joins it from a page's lines.
#[derive(Debug, Clone, PartialEq)]
pub struct Block {
    /// Its text, lines joined.
    pub text: String,
    /// Its first line is centred between the page's margins.
    pub centered: bool,
    /// Its first line is bold.
    pub bold: bool,
    /// The height of its first line.
    pub height: f32,
    /// Its first line starts at the page's left margin.
    pub starts_flush: bool,
    /// Its last line runs to the page's right margin (it may go on over the page).
    pub ends_full: bool,
    /// The height of its last line.
    pub last_height: f32,
}

impl Block {
    /// Whether `next`, the first paragraph of the next page, goes on with this one.
    fn runs_on_into(&self, next: &Block) -> bool {
        let height = self.last_height.max(next.height).max(1.0);
        self.ends_full && next.starts_flush && (self.last_height - next.height).abs() <= 0.2 * height
    }

    /// This paragraph with `next` run on after it.
    fn run_on(&mut self, next: Block) {
        self.append(glue(&self.text, &next.text), &next.text);
        self.ends_full = next.ends_full;
        self.last_height = next.last_height;
    }

    /// `text` added after this paragraph's, joined by `glue`.
    fn append(&mut self, glue: Glue, text: &str) {
        match glue {
            Glue::Hyphen => {
                self.text.pop();
            }
            Glue::Space => self.text.push(' '),
            Glue::Nothing => {}
        }
        self.text.push_str(text);
    }
}

/// What joins a line to the next line of its paragraph.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Glue {
    /// Chinese on either side: nothing.
    Nothing,
    /// Two Latin words: a space.
    Space,
    /// A Latin word broken at the line end: drop the hyphen.
    Hyphen,
}

/// How the text `before` (a line) joins the text `after` (the next line).
fn glue(before: &str, after: &str) -> Glue {
    let last = before.trim_end().chars().next_back().unwrap_or(' ');
    let first = after.trim_start().chars().next().unwrap_or(' ');
    if last == '-' && first.is_ascii_lowercase() {
        Glue::Hyphen
    } else if crate::text::is_cjk(last) || crate::text::is_cjk(first) || is_cjk_punct(last) {
        Glue::Nothing
    } else {
        Glue::Space
    }
}

/// Where a page's text begins and ends, left and right.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Margins {
    /// The left end of the leftmost line.
    pub left: f32,
    /// The right end of the rightmost line.
    pub right: f32,
}

impl Margins {
    /// The margins of these lines; `None` when there are none. The right margin is where
    /// most long lines end (the median right end of the lines longer than three fifths of
    /// the widest), so that a few lines running past it (digits set wider than the
    /// characters a line was broken for) do not make every other line look short.
    pub fn of(lines: &[Line]) -> Option<Margins> {
        let left = lines.iter().map(|l| l.left).reduce(f32::min)?;
        let widest = lines.iter().map(|l| l.right).reduce(f32::max)?;
        let long = left + 0.6 * (widest - left);
        let mut rights: Vec<f32> = lines.iter().map(|l| l.right).filter(|&r| r >= long).collect();
        let mid = rights.len() / 2;
        // Empty only when a box is malformed (NaN, or right of its own right end).
        let right = if rights.is_empty() {
            widest
        } else {
            *rights.select_nth_unstable_by(mid, f32::total_cmp).1
        };
        Some(Margins { left, right })
    }

    /// The margins most pages have (the median of each side): a short last page's lines
    /// measured against them, not against its own longest line.
    fn usual(pages: &[Vec<Line>]) -> Option<Margins> {
        let mut all: Vec<Margins> = pages.iter().filter_map(|p| Margins::of(p)).collect();
        let mid = all.len().checked_sub(1)? / 2;
        all.sort_by(|a, b| a.left.total_cmp(&b.left));
        let left = all[mid].left;
        all.sort_by(|a, b| a.right.total_cmp(&b.right));
        Some(Margins {
            left,
            right: all[all.len() / 2].right,
        })
    }
}

/// The paragraphs of a page: a line that runs to the right margin continues on the next
/// when that one starts at the left margin, in the same type size, without a gap wider
/// than a line — with nothing between two Chinese characters, a Latin word's line-end
/// hyphen dropped, else one space. Titles, headings, signatures and dates (lines that stop
/// short of the margin, or are centred or indented) stand alone; a paragraph's indented
/// first line begins a paragraph. Lines side by side (a table's cells) are one line, a
/// space apart.
pub fn paragraphs_of(lines: &[Line], usual: Option<Margins>) -> Vec<Block> {
    let mut blocks: Vec<Block> = Vec::new();
    let Some(page) = Margins::of(lines) else {
        return blocks;
    };
    let usual = usual.unwrap_or(page);
    let left_margin = page.left.min(usual.left);
    let right_margin = page.right.max(usual.right);
    // How the line before goes on into this one (side by side, or wrapped), if it does.
    let mut open: Option<Glue> = None;
    for (i, line) in lines.iter().enumerate() {
        let text = line.text.trim();
        if text.is_empty() {
            continue;
        }
        let em = char_width(line).max(1.0);
        let full = line.right >= right_margin - 2.0 * em;
        match (open, blocks.last_mut()) {
            (Some(glue), Some(block)) => {
                block.append(glue, text);
                block.ends_full = full;
                block.last_height = line.height;
            }
            _ => {
                let indent_left = line.left - left_margin;
                let indent_right = right_margin - line.right;
                blocks.push(Block {
                    text: text.to_string(),
                    centered: indent_left > 2.0 * em && (indent_left - indent_right).abs() <= 2.0 * em,
                    bold: line.bold,
                    height: line.height,
                    starts_flush: indent_left <= 0.5 * em,
                    ends_full: full,
                    last_height: line.height,
                });
            }
        }
        open = None;
        let Some(next) = lines.get(i + 1) else {
            break;
        };
        let height = line.height.max(next.height).max(1.0);
        // Cells of one table row, side by side.
        if (line.top - next.top).abs() < 0.3 * height {
            open = Some(Glue::Space);
            continue;
        }
        let next_flush = next.left <= left_margin + 0.5 * em;
        let close = line.top - next.top < 2.2 * height;
        // A title in large type does not run on into the body below it.
        let same_type = (line.height - next.height).abs() <= 0.2 * height;
        if full && next_flush && close && same_type {
            open = Some(glue(text, &next.text));
        }
    }
    blocks
}

/// A line's words joined as a reader reads them: a space between two Latin words, none
/// where either side is Chinese (`青山镇` `2022` `年` is `青山镇2022年`); typeset ligatures
/// (`ﬁ`, `ﬂ` …) spelt out as their letters.
pub fn words_joined<'a>(words: impl Iterator<Item = &'a str>) -> String {
    let mut out = String::new();
    for word in words.map(str::trim).filter(|w| !w.is_empty()) {
        let last = out.chars().next_back();
        let first = word.chars().next().unwrap_or(' ');
        if let Some(last) = last
            && !(crate::text::is_cjk(last)
                || crate::text::is_cjk(first)
                || is_cjk_punct(last)
                || is_cjk_punct(first))
        {
            out.push(' ');
        }
        for c in word.chars() {
            match c {
                '\u{fb00}' => out.push_str("ff"),
                '\u{fb01}' => out.push_str("fi"),
                '\u{fb02}' => out.push_str("fl"),
                '\u{fb03}' => out.push_str("ffi"),
                '\u{fb04}' => out.push_str("ffl"),
                '\u{fb05}' | '\u{fb06}' => out.push_str("st"),
                c => out.push(c),
            }
        }
    }
    out
}

/// The width of one character of a line, on average.
fn char_width(line: &Line) -> f32 {
    let n = line.text.chars().filter(|c| !c.is_whitespace()).count().max(1);
    (line.right - line.left) / n as f32
}

fn is_cjk_punct(c: char) -> bool {
    ('\u{3000}'..='\u{303f}').contains(&c) || ('\u{ff00}'..='\u{ffef}').contains(&c)
}

/// Where a line of a page belongs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// The page's own text.
    Body,
    /// A running header: the same line at the top of most pages.
    Header,
    /// A running footer or page number: the same line at the foot of most pages.
    Footer,
}

/// Rows at the top and at the foot of a page looked at for running headers and footers.
const EDGE_ROWS: usize = 2;

/// Each line of each page placed in the body, a running header or a running footer. A
/// line is running when a line of the same text (digits aside: page numbers count up) sits
/// at the same height among the top or the bottom two rows of at least half of the
/// pages with text, and of two pages at least.
pub fn places(pages: &[Vec<Line>]) -> Vec<Vec<Place>> {
    let edges: Vec<Vec<Option<(Place, String)>>> = pages.iter().map(|lines| edge_keys(lines)).collect();
    let mut seen: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for page in &edges {
        let mut keys: Vec<&str> = page.iter().flatten().map(|(_, key)| key.as_str()).collect();
        keys.sort_unstable();
        keys.dedup();
        for key in keys {
            *seen.entry(key).or_default() += 1;
        }
    }
    let with_text = pages.iter().filter(|p| !p.is_empty()).count();
    let needed = with_text.div_ceil(2).max(2);
    edges
        .iter()
        .map(|page| {
            page.iter()
                .map(|edge| match edge {
                    Some((place, key)) if seen.get(key.as_str()).is_some_and(|&n| n >= needed) => *place,
                    _ => Place::Body,
                })
                .collect()
        })
        .collect()
}

/// For each line of a page in its top or bottom rows, where it would run and its key:
/// the text with digits and white space dropped, and its height on the page.
fn edge_keys(lines: &[Line]) -> Vec<Option<(Place, String)>> {
    // Rows: the distinct heights lines sit at, top first.
    let mut rows: Vec<f32> = Vec::new();
    let mut tops: Vec<f32> = lines.iter().map(|l| l.top).collect();
    tops.sort_by(|a, b| b.total_cmp(a));
    for top in tops {
        if rows.last().is_none_or(|&row| row - top > 2.0) {
            rows.push(top);
        }
    }
    let row_of = |top: f32| rows.iter().position(|&row| row - top <= 2.0).unwrap_or(0);
    lines
        .iter()
        .map(|line| {
            let row = row_of(line.top);
            let place = if row < EDGE_ROWS {
                Place::Header
            } else if row + EDGE_ROWS >= rows.len() {
                Place::Footer
            } else {
                return None;
            };
            let text: String = line
                .text
                .chars()
                .filter(|c| !c.is_whitespace())
                .map(|c| if c.is_ascii_digit() { '#' } else { c })
                .collect();
            Some((place, format!("{}@{}", text, (line.top / 4.0).round())))
        })
        .collect()
}

/// A document of these pages: the body page after page and then the form fields' values,
/// running headers and footers once each, the first paragraphs for the title rules (a line
/// in type a quarter larger than the body's counts as bold), and the document info.
fn document_of(pages: &[Vec<Line>], fields: &[String], meta: Meta) -> Document {
    let places = places(pages);
    let mut body = String::new();
    let mut headers: Vec<&str> = Vec::new();
    let mut footers: Vec<&str> = Vec::new();
    let body_height = median_height(pages);
    let mut blocks: Vec<Block> = Vec::new();
    let mut own_pages = Vec::with_capacity(pages.len());
    for (lines, places) in pages.iter().zip(&places) {
        let mut own = Vec::with_capacity(lines.len());
        for (line, place) in lines.iter().zip(places) {
            let running = match place {
                Place::Body => {
                    own.push(line.clone());
                    continue;
                }
                Place::Header => &mut headers,
                Place::Footer => &mut footers,
            };
            let text = line.text.trim();
            if !running.iter().any(|t| same_but_digits(t, text)) {
                running.push(text);
            }
        }
        own_pages.push(own);
    }
    let usual = Margins::usual(&own_pages);
    for own in &own_pages {
        let mut page_blocks = paragraphs_of(own, usual).into_iter();
        // A paragraph that runs over the page goes on with the next page's first.
        if let Some(first) = page_blocks.next() {
            match blocks.last_mut() {
                Some(last) if last.runs_on_into(&first) => last.run_on(first),
                _ => blocks.push(first),
            }
        }
        blocks.extend(page_blocks);
    }
    for block in &blocks {
        body.push_str(&block.text);
        body.push('\n');
    }
    for value in fields {
        body.push_str(value);
        body.push('\n');
    }
    let paragraphs = blocks
        .into_iter()
        .take(40)
        .map(|block| Paragraph {
            bold: block.bold || block.height >= 1.25 * body_height,
            centered: block.centered,
            text: block.text,
            ..Paragraph::default()
        })
        .collect();
    let mut doc = Document {
        paragraphs,
        meta,
        ..Document::default()
    };
    let joined = |lines: &[&str]| lines.iter().map(|l| format!("{l}\n")).collect::<String>();
    doc.parts.headers = joined(&headers);
    doc.parts.footers = joined(&footers);
    doc.counts.body = body.chars().filter(|c| *c != '\n').count();
    doc.counts.headers = headers.iter().map(|t| t.chars().count()).sum();
    doc.counts.footers = footers.iter().map(|t| t.chars().count()).sum();
    doc.parts.body = body;
    doc
}

/// Two running lines that differ only in their digits (`— 1 —`, `— 2 —`).
fn same_but_digits(a: &str, b: &str) -> bool {
    let strip = |s: &str| {
        s.chars()
            .filter(|c| !c.is_ascii_digit() && !c.is_whitespace())
            .collect::<String>()
    };
    strip(a) == strip(b)
}

/// The height of the lines most of the text is set in.
fn median_height(pages: &[Vec<Line>]) -> f32 {
    let mut heights: Vec<f32> = pages.iter().flatten().map(|l| l.height).collect();
    if heights.is_empty() {
        return f32::MAX;
    }
    let mid = heights.len() / 2;
    let (_, median, _) = heights.select_nth_unstable_by(mid, f32::total_cmp);
    *median
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(text: &str, left: f32, right: f32, top: f32) -> Line {
        Line {
            text: text.into(),
            left,
            right,
            top,
            height: 12.0,
            bold: false,
        }
    }

    #[test]
    fn words_join_without_spaces_around_chinese() {
        let joined = words_joined(
            [
                "青山镇",
                "2022",
                "年",
                "防汛",
                "PDF",
                "report",
                "（一）",
                "\u{fb01}rst",
            ]
            .into_iter(),
        );
        assert_eq!(joined, "青山镇2022年防汛PDF report（一）first");
    }

    #[test]
    fn lines_of_a_paragraph_join_without_breaking_words() {
        let lines = [
            Line {
                height: 22.0,
                ..line(
                    "青山镇2022年防汛工作情况报告，标题很长几乎占满一行",
                    80.0,
                    515.0,
                    720.0,
                )
            },
            line(
                "今年汛期，我镇共经历强降雨过程7次，最大日降雨量",
                72.0,
                520.0,
                680.0,
            ),
            line("186毫米。全镇未发生人员伤亡。", 72.0, 300.0, 665.0),
            line("一、主要做法", 72.0, 150.0, 650.0),
            line("The inter-", 72.0, 519.0, 635.0),
            line("national report was well", 72.0, 522.0, 620.0),
            line("received.", 72.0, 140.0, 605.0),
            line("项目", 72.0, 100.0, 590.0),
            line("数量", 200.0, 230.0, 590.0),
        ];
        let joined: String = paragraphs_of(&lines, None)
            .iter()
            .map(|block| format!("{}\n", block.text))
            .collect();
        assert_eq!(
            joined,
            "青山镇2022年防汛工作情况报告，标题很长几乎占满一行\n今年汛期，我镇共经历强降雨过程7次，最大日降雨量186毫米。全镇未发生人员伤亡。\n一、主要做法\nThe international report was well received.\n项目 数量\n"
        );
    }

    /// A page of a report: a running header, two body lines, a page number.
    fn page(n: usize, first: &str) -> Vec<Line> {
        let second = ["甲", "乙", "丙"][n % 3];
        vec![
            line("青山镇人民政府办公室", 72.0, 200.0, 800.0),
            line(first, 72.0, 520.0, 700.0),
            line(&format!("第二行正文{second}。"), 72.0, 200.0, 685.0),
            line(&format!("— {n} —"), 280.0, 310.0, 40.0),
        ]
    }

    #[test]
    fn running_headers_and_page_numbers_are_kept_once() {
        let pages = vec![
            page(1, "青山镇2022年防汛工作情况报告"),
            page(2, "第二页的正文"),
            page(3, "第三页的正文"),
        ];
        let places = places(&pages);
        assert_eq!(
            places[1],
            [Place::Header, Place::Body, Place::Body, Place::Footer]
        );
        let doc = document_of(&pages, &[], Meta::new());
        assert_eq!(doc.parts.headers, "青山镇人民政府办公室\n");
        assert_eq!(doc.parts.footers, "— 1 —\n");
        assert!(!doc.parts.body.contains("办公室"), "{}", doc.parts.body);
        assert_eq!(
            doc.paragraphs[0].text,
            "青山镇2022年防汛工作情况报告第二行正文乙。"
        );
    }

    #[test]
    fn a_single_page_keeps_its_edges_in_the_body() {
        let pages = vec![page(1, "正文")];
        let doc = document_of(&pages, &[], Meta::new());
        assert!(doc.parts.headers.is_empty());
        assert!(
            doc.parts.body.starts_with("青山镇人民政府办公室\n"),
            "{}",
            doc.parts.body
        );
    }

    #[test]
    fn a_title_in_large_centred_type_is_marked_for_the_title_rules() {
        let title = Line {
            height: 22.0,
            ..line("关于做好防汛工作的通知", 200.0, 395.0, 760.0)
        };
        let pages = vec![vec![
            title,
            line("各村（社区）：", 72.0, 180.0, 700.0),
            line(
                "今年汛期来得早，降雨多，各单位要高度重视，切实做好防汛各项准备工作，确保",
                72.0,
                520.0,
                685.0,
            ),
            line("安全度汛。", 72.0, 150.0, 670.0),
        ]];
        let doc = document_of(&pages, &[], Meta::new());
        assert!(doc.paragraphs[0].centered && doc.paragraphs[0].bold);
        assert!(!doc.paragraphs[1].centered && !doc.paragraphs[1].bold);
        assert!(doc.parts.body.contains("确保安全度汛"));
    }

    #[test]
    fn text_strings_decode_as_producers_write_them() {
        assert_eq!(text_string(b"\xfe\xff\x97\x52\x5c\x71"), "青山");
        assert_eq!(text_string("青山".as_bytes()), "青山");
        assert_eq!(text_string(b"\xc7\xe0\xc9\xbd"), "青山");
        assert_eq!(text_string(b"Caf\xe9"), "Café");
    }

    #[test]
    fn pdf_dates_become_iso_dates() {
        assert_eq!(
            pdf_date("D:20230405093000+08'00'").as_deref(),
            Some("2023-04-05T09:30:00")
        );
        assert_eq!(pdf_date("D:2023").as_deref(), Some("2023"));
        assert_eq!(
            pdf_date("2023-04-05T09:30:00+08:00").as_deref(),
            Some("2023-04-05T09:30:00+08:00")
        );
        assert_eq!(pdf_date("D:xyz"), None);
    }

    #[test]
    fn a_paragraph_running_over_the_page_is_joined() {
        let pages = vec![
            vec![
                line("正文第一页的最后一行，写到了右边距，乡村", 72.0, 520.0, 700.0),
                line("中间一行也写满了右边距的内容，一直写到头", 72.0, 521.0, 685.0),
            ],
            vec![
                line("振兴工作取得明显成效。", 72.0, 200.0, 800.0),
                line("新的一段。", 96.0, 160.0, 785.0),
            ],
        ];
        let doc = document_of(&pages, &[], Meta::new());
        assert!(doc.parts.body.contains("乡村中间一行"), "{}", doc.parts.body);
        assert!(doc.parts.body.contains("写到头振兴工作"), "{}", doc.parts.body);
        assert!(
            doc.parts.body.ends_with("成效。\n新的一段。\n"),
            "{}",
            doc.parts.body
        );
    }
}
