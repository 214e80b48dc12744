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
mod sniff;
pub mod text;

use std::collections::BTreeMap;
use std::fmt;
use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use serde::Serialize;

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
    pub body: usize,
    pub tables: usize,
    pub textboxes: usize,
    pub headers: usize,
    pub footers: usize,
    pub footnotes: usize,
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
    pub parts: Parts,
    pub counts: PartCounts,
    /// Top-level body paragraphs in order, for the title rules.
    pub paragraphs: Vec<Paragraph>,
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

/// Why a file was not read. Each variant is one line a user can act on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SkipReason {
    /// Zero bytes.
    Empty,
    /// Not a zip archive at all; the string says what it looks like instead.
    NotZip(String),
    /// A zip archive that is cut short or whose directory is damaged.
    Truncated(String),
    /// OOXML encryption: a compound file holding an `EncryptedPackage` stream.
    Encrypted,
    /// A Word binary document older than Word 97 (Word 6.0/95, Word 2.0); says which.
    OldWord(String),
    /// A `.doc`/`.wps` name on something that is not a Word binary document.
    NotWord(String),
    /// A Word binary document whose structures are damaged; says which.
    Damaged(String),
    /// Some other compound (OLE) file.
    OtherCompound,
    /// A zip without a main document part.
    NoMainPart(String),
    /// XML that does not parse: the part and the byte position.
    MalformedXml {
        part: String,
        position: u64,
        message: String,
    },
    /// A safety cap was hit; the string says which.
    TooLarge(String),
    /// A member could not be inflated (bad CRC, unsupported compression …).
    CorruptMember { part: String, message: String },
    /// The file could not be opened or read.
    Unreadable(String),
    /// A format dangan does not read yet.
    Unsupported(String),
    /// A Word or WPS lock/temp file (`~$x.docx`, `.~x.docx`, `~x.tmp`).
    LockFile,
    /// A reader bug: a panic inside extraction, caught so the run goes on.
    Internal(String),
}

impl SkipReason {
    /// A short stable key for counting reasons in summaries.
    pub fn kind(&self) -> &'static str {
        match self {
            SkipReason::Empty => "empty file",
            SkipReason::NotZip(_) => "not a zip archive",
            SkipReason::Truncated(_) => "truncated or damaged zip",
            SkipReason::Encrypted => "encrypted",
            SkipReason::OldWord(_) => "Word 6.0/95 or older",
            SkipReason::NotWord(_) => "not a Word document",
            SkipReason::Damaged(_) => "damaged Word document",
            SkipReason::OtherCompound => "OLE compound file, not a Word document",
            SkipReason::NoMainPart(_) => "no main document part",
            SkipReason::MalformedXml { .. } => "malformed XML",
            SkipReason::TooLarge(_) => "over a size cap",
            SkipReason::CorruptMember { .. } => "corrupt zip member",
            SkipReason::Unreadable(_) => "unreadable",
            SkipReason::Unsupported(_) => "unsupported format",
            SkipReason::LockFile => "lock or temp file",
            SkipReason::Internal(_) => "internal error",
        }
    }
}

impl fmt::Display for SkipReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SkipReason::Empty => write!(f, "empty file (0 bytes)"),
            SkipReason::NotZip(what) => write!(f, "not a zip archive ({what})"),
            SkipReason::Truncated(why) => write!(f, "truncated or damaged zip archive: {why}"),
            SkipReason::Encrypted => {
                write!(
                    f,
                    "encrypted (password-protected document): cannot be read without the password"
                )
            }
            SkipReason::OldWord(which) => write!(
                f,
                "{which} document: the binary layout before Word 97 is not read (save it again as .docx)"
            ),
            SkipReason::NotWord(what) => write!(f, "not a Word binary document ({what})"),
            SkipReason::Damaged(why) => write!(f, "damaged Word binary document: {why}"),
            SkipReason::OtherCompound => {
                write!(f, "OLE compound file that is not a Word document")
            }
            SkipReason::NoMainPart(why) => write!(f, "no main document part: {why}"),
            SkipReason::MalformedXml {
                part,
                position,
                message,
            } => {
                write!(f, "malformed XML in {part} at byte {position}: {message}")
            }
            SkipReason::TooLarge(why) => write!(f, "over a size cap: {why}"),
            SkipReason::CorruptMember { part, message } => {
                write!(f, "corrupt zip member {part}: {message}")
            }
            SkipReason::Unreadable(why) => write!(f, "unreadable: {why}"),
            SkipReason::Unsupported(what) => write!(f, "unsupported format: {what}"),
            SkipReason::LockFile => write!(f, "Word/WPS lock or temp file"),
            SkipReason::Internal(why) => {
                write!(f, "internal error while reading (please report): {why}")
            }
        }
    }
}

/// The outcome of reading one file.
#[derive(Debug)]
pub struct Extracted {
    pub path: PathBuf,
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

/// File extensions dangan reads as OOXML word-processing packages (lower case).
pub const OOXML_EXTENSIONS: &[&str] = &["docx", "docm", "dotx", "dotm"];

/// Whether `path` is a plain text file (`.txt`, any case).
pub fn is_text_path(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("txt"))
}

/// Whether `path` is OpenDocument text (`.odt`, `.ott`, any case).
pub fn is_odt_path(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("odt") || e.eq_ignore_ascii_case("ott"))
}

/// Whether `path` is an OFD e-document (`.ofd`, any case).
pub fn is_ofd_path(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("ofd"))
}

/// File extensions of Word 97-2003 binary documents and Kingsoft WPS files in the same
/// layout (lower case).
pub const BINARY_WORD_EXTENSIONS: &[&str] = &["doc", "dot", "wps", "wpt"];

/// Whether `path` has one of the [`BINARY_WORD_EXTENSIONS`], in any case.
pub fn is_binary_word_path(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| BINARY_WORD_EXTENSIONS.iter().any(|x| e.eq_ignore_ascii_case(x)))
}

/// Whether dangan reads files like `path` (OOXML, Word binary, OpenDocument, OFD, plain
/// text, zip bundles of these).
pub fn is_document_path(path: &Path) -> bool {
    bundle::is_bundle_path(path)
        || is_ooxml_path(path)
        || is_binary_word_path(path)
        || is_odt_path(path)
        || is_ofd_path(path)
        || is_text_path(path)
}

/// The format name the index records for `path`: its extension in lower case.
pub fn format_of(path: &Path) -> String {
    path.extension()
        .map_or_else(|| "docx".to_string(), |e| e.to_string_lossy().to_lowercase())
}

/// Whether `path` has one of the [`OOXML_EXTENSIONS`], in any case.
pub fn is_ooxml_path(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| OOXML_EXTENSIONS.iter().any(|x| e.eq_ignore_ascii_case(x)))
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
        path: PathBuf,
        /// Bytes of the file, or of the member inflated.
        size: u64,
        result: Result<Document, SkipReason>,
    },
    /// A member of a bundle that is not a document dangan reads (lock files, other
    /// office formats), or a bundle holding no documents at all.
    PassedOver { path: PathBuf, reason: SkipReason },
}

/// Reads `path` — one document, or every document inside a zip bundle — handing each to
/// `each` in order. Never panics.
pub fn extract_items(path: &Path, limits: &Limits, each: &mut dyn FnMut(Item)) {
    if bundle::is_bundle_path(path) {
        bundle::read_bundle(path, limits, each);
    } else {
        each(Item::Document {
            path: path.to_path_buf(),
            size: std::fs::metadata(path).map_or(0, |m| m.len()),
            result: extract_file(path, limits),
        });
    }
}
