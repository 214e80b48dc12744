//! Reading documents: what a reader of a file sees, as text split by part, plus its
//! metadata — or the one-line reason it could not be read.
//!
//! [`extract_file`] sniffs the file's first bytes (never trusting the extension alone),
//! dispatches to the format reader and turns every failure, including a panic in a
//! dependency, into a [`SkipReason`]. A bad file is never an error of the run.

pub mod bundle;
pub mod doc;
pub mod docx;
pub mod limits;
mod numbering;
pub mod odt;
pub mod ofd;
mod ole_props;
mod package;
pub mod pdf;
mod sniff;
pub mod text;
mod xml;

use std::collections::BTreeMap;
use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use serde::Serialize;

pub use crate::filetype::{
    BINARY_WORD_EXTENSIONS, OOXML_EXTENSIONS, format_of, is_binary_word_path, is_document_path, is_odt_path,
    is_ofd_path, is_ooxml_path, is_pdf_path, is_text_path,
};
pub use crate::skip::SkipReason;

pub use limits::Limits;

/// The parts of a document a reader sees, each as plain text.
///
/// `body` is the main story in reading order: paragraphs, with tables and text boxes
/// inline where they are anchored. The other parts follow it in [`Document::text`].
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Parts {
    /// The main story in reading order (tables and text boxes included inline).
    pub body: String,
    /// Header text, each distinct header once.
    pub headers: String,
    /// Footer text, each distinct footer once.
    pub footers: String,
    /// Footnote text.
    pub footnotes: String,
    /// Endnote text.
    pub endnotes: String,
}

/// Characters per part, as the contract's `parts` object shows them.
///
/// Counts are of the characters that came from the document's runs (the separators
/// dangan inserts between paragraphs and cells are not counted). A character inside a
/// text box counts as `textboxes`; else inside a table as `tables`; else as `body`.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct PartCounts {
    /// Characters of the main story outside tables and text boxes.
    pub body: usize,
    /// Characters in the main story's table cells (outside text boxes).
    pub tables: usize,
    /// Characters in the main story's text boxes.
    pub textboxes: usize,
    /// Characters of [`Parts::headers`].
    pub headers: usize,
    /// Characters of [`Parts::footers`].
    pub footers: usize,
    /// Characters of [`Parts::footnotes`].
    pub footnotes: usize,
    /// Characters of [`Parts::endnotes`].
    pub endnotes: usize,
}

/// One top-level paragraph of the body, with what title detection needs to know.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Paragraph {
    /// The paragraph's text (no trailing newline).
    pub text: String,
    /// The style's display name resolved through `word/styles.xml` (or the id if the
    /// style is not defined there).
    pub style: Option<String>,
    /// Outline level from the paragraph or its style (0 = level 1 heading).
    pub outline_level: Option<u8>,
    /// Centred (`w:jc` center), directly or through its style.
    pub centered: bool,
    /// Every run with text is bold (directly, through the run or paragraph style).
    pub bold: bool,
}

/// Metadata from `docProps/core.xml` and `docProps/app.xml`, keyed in snake case
/// (`title`, `creator`, `created`, `modified`, `last_modified_by`, `application`, …).
pub type Meta = BTreeMap<String, String>;

/// One file's extracted text and metadata.
#[derive(Debug, Default, Clone)]
pub struct Document {
    /// The text a reader sees, part by part.
    pub parts: Parts,
    /// Characters per part, tables and text boxes counted apart from the body.
    pub counts: PartCounts,
    /// Top-level body paragraphs in order, for the title rules.
    pub paragraphs: Vec<Paragraph>,
    /// The file's own properties under the [`Meta`] keys (from `docProps` for OOXML,
    /// `meta.xml` for OpenDocument, the summary information stream for Word binary, the
    /// `DocInfo` for OFD); empty when it has none.
    pub meta: Meta,
}

impl Document {
    /// Everything a reader sees, one part after another: body, headers, footers,
    /// footnotes, endnotes, separated by blank lines.
    pub fn text(&self) -> String {
        let p = &self.parts;
        let mut out = String::with_capacity(
            p.body.len() + p.headers.len() + p.footers.len() + p.footnotes.len() + p.endnotes.len() + 8,
        );
        for part in [&p.body, &p.headers, &p.footers, &p.footnotes, &p.endnotes] {
            let part = part.trim_end_matches('\n');
            if part.is_empty() {
                continue;
            }
            if !out.is_empty() {
                out.push_str("\n\n");
            }
            out.push_str(part);
        }
        out
    }
}

/// The outcome of reading one file.
#[derive(Debug)]
pub struct Extracted {
    /// The file read.
    pub path: PathBuf,
    /// Its document, or why it could not be read.
    pub result: Result<Document, SkipReason>,
}

/// Follows a style's inheritance (`w:basedOn`, `style:parent-style-name`) from `start`
/// until `pick` gives a value; at most 16 steps, since real files contain loops.
pub(crate) fn inherited<'a, S: 'a, T>(
    styles: &'a std::collections::HashMap<String, S>,
    start: &str,
    parent: impl Fn(&'a S) -> Option<&'a str>,
    pick: impl Fn(&S) -> Option<T>,
) -> Option<T> {
    let mut name = start;
    for _ in 0..16 {
        let style = styles.get(name)?;
        if let Some(value) = pick(style) {
            return Some(value);
        }
        name = parent(style)?;
    }
    None
}

/// Reads one file, never panicking: every failure is a [`SkipReason`].
pub fn extract_file(path: &Path, limits: &Limits) -> Result<Document, SkipReason> {
    std::panic::catch_unwind(|| extract_file_inner(path, limits))
        .unwrap_or_else(|payload| Err(SkipReason::Internal(panic_message(payload.as_ref()))))
}

fn extract_file_inner(path: &Path, limits: &Limits) -> Result<Document, SkipReason> {
    let file = std::fs::File::open(path).map_err(|e| SkipReason::Unreadable(e.to_string()))?;
    extract_reader(file, path, limits)
}

/// Reads one document from `reader`; `name` (its path, real or inside a bundle) says
/// what it claims to be.
fn extract_reader<R: Read + Seek>(
    mut reader: R,
    name: &Path,
    limits: &Limits,
) -> Result<Document, SkipReason> {
    let unreadable = |e: std::io::Error| SkipReason::Unreadable(e.to_string());
    if is_text_path(name) {
        let len = reader.seek(SeekFrom::End(0)).map_err(unreadable)?;
        reader.seek(SeekFrom::Start(0)).map_err(unreadable)?;
        return if len == 0 {
            Err(SkipReason::Empty)
        } else {
            text::extract_text(reader, limits)
        };
    }
    // The content decides the reader: a `.doc` that is really OOXML is read as such, as
    // Word itself does, and a `.docx` that is really a binary document likewise.
    match sniff::sniff(&mut reader, name)? {
        sniff::Kind::Zip if is_odt_path(name) => odt::extract_odt(reader, limits),
        sniff::Kind::Zip if is_ofd_path(name) => ofd::extract_ofd(reader, limits),
        sniff::Kind::Zip => docx::extract_docx(reader, limits),
        sniff::Kind::Compound => doc::extract_compound(&mut std::io::BufReader::new(reader), limits),
        sniff::Kind::Pdf => {
            let cap = limits.document_bytes;
            let mut bytes = Vec::new();
            reader.take(cap + 1).read_to_end(&mut bytes).map_err(unreadable)?;
            if bytes.len() as u64 > cap {
                return Err(SkipReason::TooLarge(format!("a PDF over {} MiB", cap >> 20)));
            }
            pdf::extract_pdf(&bytes)
        }
    }
}

/// Reads one document whose bytes are already in memory (`path` says what it claims to
/// be). Never panics.
pub fn extract_bytes(path: &Path, bytes: Vec<u8>, limits: &Limits) -> Result<Document, SkipReason> {
    extract_reader_caught(std::io::Cursor::new(bytes), path, limits)
}

/// [`extract_reader`], with a panic turned into [`SkipReason::Internal`].
fn extract_reader_caught<R: Read + Seek>(
    reader: R,
    name: &Path,
    limits: &Limits,
) -> Result<Document, SkipReason> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        extract_reader(reader, name, limits)
    }))
    .unwrap_or_else(|payload| Err(SkipReason::Internal(panic_message(payload.as_ref()))))
}

fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "panic".to_string())
}

/// What one file yields.
#[derive(Debug)]
pub enum Item {
    /// A document, read or not: the file itself, or a document inside a zip bundle, whose
    /// path is the bundle's path followed by the member's (`…/材料.zip/2023/总结.docx`).
    Document {
        /// The file's path as given, or the bundle's path followed by the member's name.
        path: PathBuf,
        /// Bytes of the file, or of the member inflated (0 when it could not be read).
        size: u64,
        /// The document, or why it could not be read.
        result: Result<Document, SkipReason>,
    },
    /// A member of a bundle that is not a document dangan reads (lock files, other
    /// office formats), or a bundle holding no documents at all.
    PassedOver {
        /// The member's path (continuing the bundle's), or the bundle's own.
        path: PathBuf,
        /// Why it was passed over.
        reason: SkipReason,
    },
}

/// Reads `path` — one document, or every document inside a zip bundle — handing each to
/// `each` in order. Never panics.
pub fn extract_items(path: &Path, limits: &Limits, each: &mut dyn FnMut(Item)) {
    if crate::filetype::is_bundle_path(path) {
        bundle::read_bundle(path, limits, each);
    } else {
        each(Item::Document {
            path: path.to_path_buf(),
            size: std::fs::metadata(path).map_or(0, |m| m.len()),
            result: extract_file(path, limits),
        });
    }
}
