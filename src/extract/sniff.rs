//! What a file really is, from its first bytes: a zip package to read, or a skip reason
//! that names what it is instead (empty, encrypted, legacy Word, PDF, plain text …).

use std::io::{Read, Seek, SeekFrom};
use std::path::Path;

use super::SkipReason;

/// A file the readers can open.
pub(crate) enum Kind {
    Zip,
    /// An OLE compound file (Word binary document, encrypted OOXML, …).
    Compound,
    /// A PDF (`%PDF` within its first kilobyte, as readers accept it).
    Pdf,
}

const CFB_MAGIC: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

pub(crate) fn sniff<R: Read + Seek>(file: &mut R, path: &Path) -> Result<Kind, SkipReason> {
    let mut head = [0u8; 512];
    let n = read_up_to(file, &mut head).map_err(|e| SkipReason::Unreadable(e.to_string()))?;
    file.seek(SeekFrom::Start(0))
        .map_err(|e| SkipReason::Unreadable(e.to_string()))?;
    let head = &head[..n];
    if head.is_empty() {
        return Err(SkipReason::Empty);
    }
    if head.starts_with(b"PK\x03\x04") || head.starts_with(b"PK\x05\x06") || head.starts_with(b"PK\x07\x08") {
        return Ok(Kind::Zip);
    }
    if head.starts_with(&CFB_MAGIC) {
        return Ok(Kind::Compound);
    }
    if super::is_pdf_path(path) && memchr::memmem::find(head, b"%PDF").is_some() {
        return Ok(Kind::Pdf);
    }
    // Word for Windows 1.x/2.0 wrote its own layout, before compound files.
    if head.starts_with(&[0xDB, 0xA5]) || head.starts_with(&[0x9B, 0xA5]) {
        return Err(SkipReason::OldWord("Word for Windows 1.x/2.0".into()));
    }
    let what = describe(head).to_string();
    if super::is_pdf_path(path) {
        return Err(SkipReason::DamagedPdf(format!("not a PDF ({what})")));
    }
    if super::is_binary_word_path(path) {
        Err(SkipReason::NotWord(what))
    } else {
        Err(SkipReason::NotZip(what))
    }
}

fn read_up_to<R: Read>(file: &mut R, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match file.read(&mut buf[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(filled)
}

/// The reason for a compound file whose directory the `cfb` crate refuses (some
/// producers write directories it finds invalid): the directory entry names are looked
/// for in the raw bytes instead, as UTF-16 in any case, the way the format compares them.
pub(crate) fn unreadable_compound<R: Read + Seek>(reader: &mut R, error: &str) -> SkipReason {
    if has_utf16_name(reader, "EncryptedPackage") {
        SkipReason::Encrypted
    } else if has_utf16_name(reader, "WordDocument") {
        SkipReason::Damaged(format!("the compound file's directory cannot be read ({error})"))
    } else {
        // Other names are too short to look for in raw bytes (a style called "Table
        // Contents" would pass for a Works stream).
        SkipReason::Damaged(format!("the compound file cannot be read ({error})"))
    }
}

/// The reason for a compound file without a `WordDocument` stream.
pub(crate) fn not_word(has: &dyn Fn(&str) -> bool) -> SkipReason {
    if has("MN0") || has("CONTENTS") {
        // Microsoft Works word processor files share the .wps extension with Kingsoft WPS.
        SkipReason::Unsupported("Microsoft Works word processor document".into())
    } else {
        SkipReason::OtherCompound
    }
}

/// Whether `name` occurs in the data as UTF-16LE, ASCII letters in any case.
fn has_utf16_name<R: Read + Seek>(file: &mut R, name: &str) -> bool {
    if file.seek(SeekFrom::Start(0)).is_err() {
        return false;
    }
    let needle: Vec<u8> = name.bytes().flat_map(|b| [b.to_ascii_lowercase(), 0]).collect();
    let mut window = Vec::with_capacity(64 * 1024 + needle.len());
    let mut chunk = vec![0u8; 64 * 1024];
    loop {
        let n = match file.read(&mut chunk) {
            Ok(0) | Err(_) => return false,
            Ok(n) => n,
        };
        window.extend(chunk[..n].iter().map(u8::to_ascii_lowercase));
        if window.windows(needle.len()).any(|w| w == needle.as_slice()) {
            return true;
        }
        let keep = window.len().saturating_sub(needle.len());
        window.drain(..keep);
    }
}

/// A few words on what a non-zip file looks like, for the skip reason.
fn describe(head: &[u8]) -> &'static str {
    let trimmed = trim_bom_and_space(head);
    if trimmed.starts_with(b"%PDF") {
        "a PDF file"
    } else if trimmed.starts_with(b"{\\rtf") {
        "an RTF file"
    } else if starts_with_ignore_case(trimmed, b"<html")
        || starts_with_ignore_case(trimmed, b"<!doctype html")
    {
        "an HTML file"
    } else if starts_with_ignore_case(trimmed, b"mime-version") {
        "a MIME HTML (.mht) file"
    } else if trimmed.starts_with(b"<?xml") {
        "an XML file"
    } else if head.starts_with(b"\xFFWPC") {
        "a WordPerfect document"
    } else if head.starts_with(&[0x1F, 0x8B]) {
        "a gzip file"
    } else if head.starts_with(b"Rar!") {
        "a RAR archive"
    } else if head.starts_with(b"7z\xBC\xAF") {
        "a 7-Zip archive"
    } else if looks_like_text(head) {
        "looks like plain text"
    } else {
        "unknown binary data"
    }
}

fn trim_bom_and_space(head: &[u8]) -> &[u8] {
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let start = head
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(head.len());
    &head[start..]
}

fn starts_with_ignore_case(hay: &[u8], prefix: &[u8]) -> bool {
    hay.len() >= prefix.len() && hay[..prefix.len()].eq_ignore_ascii_case(prefix)
}

fn looks_like_text(head: &[u8]) -> bool {
    if head.starts_with(b"\xFF\xFE") || head.starts_with(b"\xFE\xFF") {
        return true;
    }
    // Control bytes other than white space are rare in text, in any 8-bit encoding.
    let controls = head
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x0C))
        .count();
    controls * 50 <= head.len()
}
