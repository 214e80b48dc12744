//! What kind of file a path names, by its extension: the formats dangan reads, the office
//! formats it passes over (and what to call them), and Word/WPS lock files. The walk and
//! the readers ask the same questions here.

use std::ffi::OsStr;
use std::path::Path;

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

/// Whether `path` is a PDF (`.pdf`, any case).
pub fn is_pdf_path(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("pdf"))
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
    is_bundle_path(path)
        || is_ooxml_path(path)
        || is_binary_word_path(path)
        || is_odt_path(path)
        || is_ofd_path(path)
        || is_pdf_path(path)
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

/// Whether `path` is a zip bundle (`.zip`, any case).
pub fn is_bundle_path(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("zip"))
}

/// Office formats dangan does not read yet, with what to call them.
const UNSUPPORTED: &[(&str, &str)] = &[
    ("rtf", "RTF"),
    ("fodt", "flat OpenDocument .fodt"),
    ("xls", "Excel 97-2003 .xls"),
    ("xlsx", "Excel .xlsx"),
    ("xlsm", "Excel .xlsm"),
    ("et", "WPS spreadsheet .et"),
    ("ods", "OpenDocument spreadsheet .ods"),
    ("ppt", "PowerPoint 97-2003 .ppt"),
    ("pptx", "PowerPoint .pptx"),
    ("dps", "WPS presentation .dps"),
    ("odp", "OpenDocument presentation .odp"),
    ("zip", "zip bundle"),
    ("rar", "RAR bundle"),
    ("7z", "7-Zip bundle"),
    ("ceb", "CEB e-document"),
    ("caj", "CAJ e-document"),
    ("hwp", "Hangul .hwp"),
    ("pages", "Apple Pages"),
    ("wpd", "WordPerfect"),
    ("htm", "HTML"),
    ("html", "HTML"),
    ("mht", "MIME HTML .mht"),
    ("mhtml", "MIME HTML .mhtml"),
];

/// What an office file with this extension is, if dangan does not read it yet.
pub fn unsupported_format(path: &Path) -> Option<&'static str> {
    let ext = path.extension()?.to_str()?;
    UNSUPPORTED
        .iter()
        .find(|(e, _)| ext.eq_ignore_ascii_case(e))
        .map(|(_, what)| *what)
}

/// Word (`~$x.docx`, `~WRL0001.tmp`) and WPS/LibreOffice (`.~x.docx`, `.~lock.x#`) lock
/// and temp files.
pub fn is_lock_file(name: &OsStr) -> bool {
    let name = name.to_string_lossy();
    name.starts_with("~$")
        || name.starts_with(".~")
        || (name.starts_with('~') && name.to_ascii_lowercase().ends_with(".tmp"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lock_and_temp_files() {
        for name in [
            "~$工作总结.docx",
            ".~工作总结.docx",
            "~WRL0001.tmp",
            ".~lock.报告.docx#",
        ] {
            assert!(is_lock_file(OsStr::new(name)), "{name}");
        }
        for name in ["工作总结.docx", "report~1.docx", "a.tmp"] {
            assert!(!is_lock_file(OsStr::new(name)), "{name}");
        }
    }

    #[test]
    fn unsupported_formats_by_extension_any_case() {
        assert_eq!(unsupported_format(Path::new("a.RTF")), Some("RTF"));
        assert_eq!(unsupported_format(Path::new("a.xls")), Some("Excel 97-2003 .xls"));
        for read in [
            "a.docx", "a.DOC", "a.wps", "a.dot", "a.odt", "a.ofd", "a.txt", "a.PDF",
        ] {
            assert_eq!(unsupported_format(Path::new(read)), None, "{read}");
            assert!(is_document_path(Path::new(read)), "{read}");
        }
        assert_eq!(unsupported_format(Path::new("a.jpg")), None);
    }
}
