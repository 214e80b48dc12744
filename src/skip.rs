//! Why a file was not read: one line a user can act on, and a short key to count by.

use std::fmt;

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
        /// The part's name inside the package (`word/document.xml`).
        part: String,
        /// Byte offset in the inflated part where the parser gave up.
        position: u64,
        /// The parser's message.
        message: String,
    },
    /// A safety cap was hit; the string says which.
    TooLarge(String),
    /// A member could not be inflated (bad CRC, unsupported compression …).
    CorruptMember {
        /// The member's name inside the zip.
        part: String,
        /// What went wrong.
        message: String,
    },
    /// The file could not be opened or read.
    Unreadable(String),
    /// A format dangan does not read yet.
    Unsupported(String),
    /// A Word or WPS lock/temp file (`~$x.docx`, `.~x.docx`, `~x.tmp`).
    LockFile,
    /// A reader bug: a panic inside extraction, caught so the run goes on.
    Internal(String),
    /// A PDF whose pages have no text layer (scanned): the number of pages.
    Scanned(usize),
    /// A PDF its parser cannot read; says why.
    DamagedPdf(String),
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
            SkipReason::Scanned(_) => "no text layer (scanned)",
            SkipReason::DamagedPdf(_) => "damaged PDF",
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
            SkipReason::Scanned(pages) => {
                let noun = if *pages == 1 { "page" } else { "pages" };
                write!(f, "no text layer: scanned pages, {pages} {noun} (needs OCR)")
            }
            SkipReason::DamagedPdf(why) => write!(f, "damaged PDF: {why}"),
        }
    }
}
