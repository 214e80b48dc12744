//! Zip bundles (`.zip`): folders passed around as one file. Every document inside is read
//! as if it were on disk, under a path that continues the bundle's own
//! (`…/2023材料.zip/各村/总结.docx`); a zip inside the bundle is opened too, one level deep.
//!
//! Entry names written without the UTF-8 flag by Chinese Windows tools are GBK; the names
//! that are not valid UTF-8 are decoded in the legacy encoding chardetng finds for all of
//! them together (Shift-JIS or Big5 when clearly so, else GBK). Members are inflated
//! through the same caps as a DOCX's parts, one at a time, and read from memory.

use std::io::{Read, Seek};
use std::path::{Path, PathBuf};

use encoding_rs::Encoding;

use super::limits::{Budget, CappedReader, Limits};
use super::package::{io_error, member_error, zip_entry_count, zip_open_error};
use super::{Item, SkipReason};
use crate::filetype::{is_bundle_path, is_document_path, is_lock_file, unsupported_format};

/// Most bytes inflated from one bundle, all members together.
pub const BUNDLE_BYTES: u64 = 2 * 1024 * 1024 * 1024;

/// Reads every document in the bundle at `path`, handing each to `each`. A bundle that
/// cannot be opened is one [`Item::Document`] with the reason.
pub fn read_bundle(path: &Path, limits: &Limits, each: &mut dyn FnMut(Item)) {
    let bundle_limits = Limits {
        document_bytes: BUNDLE_BYTES,
        ..*limits
    };
    let caught = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| match std::fs::File::open(path) {
        Ok(file) => read_zip_or_say_why(file, path, 0, limits, &bundle_limits, &Budget::default(), each),
        Err(e) => each(Item::Document {
            path: path.to_path_buf(),
            size: 0,
            result: Err(SkipReason::Unreadable(e.to_string())),
        }),
    }));
    if let Err(payload) = caught {
        each(Item::Document {
            path: path.to_path_buf(),
            size: 0,
            result: Err(SkipReason::Internal(super::panic_message(payload.as_ref()))),
        });
    }
}

/// [`read_zip`], ending in one item for the zip itself when it cannot be read (its
/// reason) or holds no documents (passed over).
fn read_zip_or_say_why<R: Read + Seek>(
    reader: R,
    path: &Path,
    depth: u8,
    limits: &Limits,
    bundle_limits: &Limits,
    budget: &Budget,
    each: &mut dyn FnMut(Item),
) {
    let mut found = 0usize;
    let mut count = |item: Item| {
        found += 1;
        each(item)
    };
    let result = read_zip(reader, path, depth, limits, bundle_limits, budget, &mut count);
    match result {
        Err(reason) => each(Item::Document {
            path: path.to_path_buf(),
            size: 0,
            result: Err(reason),
        }),
        Ok(()) if found == 0 => each(Item::PassedOver {
            path: path.to_path_buf(),
            reason: SkipReason::Unsupported("zip bundle with no documents inside".into()),
        }),
        Ok(()) => {}
    }
}

fn read_zip<R: Read + Seek>(
    mut reader: R,
    base: &Path,
    depth: u8,
    limits: &Limits,
    bundle_limits: &Limits,
    budget: &Budget,
    each: &mut dyn FnMut(Item),
) -> Result<(), SkipReason> {
    let too_many =
        |count: u64| SkipReason::TooLarge(format!("the zip lists {count} members (cap {})", limits.members));
    if let Some(count) = zip_entry_count(&mut reader)
        && count > limits.members
    {
        return Err(too_many(count));
    }
    let mut zip = zip::ZipArchive::new(reader).map_err(|e| match e {
        zip::result::ZipError::InvalidArchive(_) | zip::result::ZipError::Io(_) => zip_open_error(e),
        other => SkipReason::NotZip(other.to_string()),
    })?;
    if zip.len() as u64 > limits.members {
        return Err(too_many(zip.len() as u64));
    }
    let raw_names: Vec<Vec<u8>> = zip.file_names_raw().map(<[u8]>::to_vec).collect();
    let encoding = names_encoding(&raw_names);
    for (index, raw) in raw_names.iter().enumerate() {
        let name = decode_name(raw, encoding);
        if name.ends_with('/') || name.ends_with('\\') {
            continue;
        }
        let path = member_path(base, &name);
        let Some(file_name) = path.file_name() else {
            continue;
        };
        let nested = is_bundle_path(&path);
        if is_lock_file(file_name) {
            if is_document_path(&path) {
                each(Item::PassedOver {
                    path,
                    reason: SkipReason::LockFile,
                });
            }
            continue;
        }
        if !is_document_path(&path) {
            if let Some(what) = unsupported_format(&path) {
                let reason = SkipReason::Unsupported(format!("{what} (not read yet)"));
                each(Item::PassedOver { path, reason });
            }
            continue;
        }
        if nested && depth >= 1 {
            let reason =
                SkipReason::Unsupported("zip inside a zip inside a bundle (one level is opened)".into());
            each(Item::PassedOver { path, reason });
            continue;
        }
        let bytes = match read_member(&mut zip, index, &name, limits, bundle_limits, budget) {
            Ok(bytes) => bytes,
            Err(reason @ SkipReason::TooLarge(_)) if budget.hit().is_some() => {
                // The bundle as a whole is over its cap: stop here, keep what was read.
                each(Item::Document {
                    path,
                    size: 0,
                    result: Err(reason),
                });
                return Ok(());
            }
            Err(reason) => {
                each(Item::Document {
                    path,
                    size: 0,
                    result: Err(reason),
                });
                continue;
            }
        };
        if nested {
            let cursor = std::io::Cursor::new(bytes);
            read_zip_or_say_why(cursor, &path, depth + 1, limits, bundle_limits, budget, each);
        } else {
            let size = bytes.len() as u64;
            let result = super::extract_reader_caught(std::io::Cursor::new(bytes), &path, limits);
            each(Item::Document { path, size, result });
        }
    }
    Ok(())
}

/// The bytes of the document at `member` (a path [`read_bundle`] gave: the bundle's path
/// continued by the entry's name, one nested zip deep at most), inflated through the same
/// caps; `None` when the bundle holds no such document.
pub fn member_bytes(bundle: &Path, member: &Path, limits: &Limits) -> Result<Option<Vec<u8>>, SkipReason> {
    let file = std::fs::File::open(bundle).map_err(|e| SkipReason::Unreadable(e.to_string()))?;
    let bundle_limits = Limits {
        document_bytes: BUNDLE_BYTES,
        ..*limits
    };
    member_in_zip(
        file,
        bundle,
        member,
        0,
        limits,
        &bundle_limits,
        &Budget::default(),
    )
}

fn member_in_zip<R: Read + Seek>(
    reader: R,
    base: &Path,
    member: &Path,
    depth: u8,
    limits: &Limits,
    bundle_limits: &Limits,
    budget: &Budget,
) -> Result<Option<Vec<u8>>, SkipReason> {
    let mut zip = zip::ZipArchive::new(reader).map_err(zip_open_error)?;
    if zip.len() as u64 > limits.members {
        return Err(SkipReason::TooLarge(format!(
            "the zip lists {} members (cap {})",
            zip.len(),
            limits.members
        )));
    }
    let raw_names: Vec<Vec<u8>> = zip.file_names_raw().map(<[u8]>::to_vec).collect();
    let encoding = names_encoding(&raw_names);
    for (index, raw) in raw_names.iter().enumerate() {
        let name = decode_name(raw, encoding);
        let path = member_path(base, &name);
        if path == member {
            return read_member(&mut zip, index, &name, limits, bundle_limits, budget).map(Some);
        }
        if depth == 0 && is_bundle_path(&path) && member.starts_with(&path) {
            let bytes = read_member(&mut zip, index, &name, limits, bundle_limits, budget)?;
            let cursor = std::io::Cursor::new(bytes);
            return member_in_zip(cursor, &path, member, 1, limits, bundle_limits, budget);
        }
    }
    Ok(None)
}

/// One member's bytes, inflated through the caps: a document's own size is capped like a
/// DOCX part, and all members of the bundle share its budget.
fn read_member<R: Read + Seek>(
    zip: &mut zip::ZipArchive<R>,
    index: usize,
    name: &str,
    limits: &Limits,
    bundle_limits: &Limits,
    budget: &Budget,
) -> Result<Vec<u8>, SkipReason> {
    let member = zip.by_index(index).map_err(|e| member_error(name, e))?;
    if member.size() > limits.member_bytes {
        return Err(SkipReason::TooLarge(format!(
            "{name} declares {} MiB (cap {} MiB)",
            member.size() >> 20,
            limits.member_bytes >> 20
        )));
    }
    let compressed = member.compressed_size();
    let member_limits = Limits {
        document_bytes: bundle_limits.document_bytes,
        ..*limits
    };
    let mut out = Vec::with_capacity(member.size().min(limits.member_bytes) as usize);
    CappedReader::new(member, compressed, member_limits, budget.clone())
        .read_to_end(&mut out)
        .map_err(|e| io_error(budget, name, e))?;
    Ok(out)
}

/// The legacy encoding of the entry names that are not UTF-8, judged on all of them at
/// once: short names alone say little.
fn names_encoding(raw_names: &[Vec<u8>]) -> &'static Encoding {
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    let mut any = false;
    for raw in raw_names.iter().filter(|r| std::str::from_utf8(r).is_err()) {
        detector.feed(raw, false);
        detector.feed(b" ", false);
        any = true;
    }
    if !any {
        return encoding_rs::GBK;
    }
    detector.feed(b"", true);
    let guess = detector.guess(None, chardetng::Utf8Detection::Deny);
    if guess == encoding_rs::SHIFT_JIS || guess == encoding_rs::BIG5 {
        guess
    } else {
        encoding_rs::GBK
    }
}

/// An entry name as text: UTF-8 when it is (the UTF-8 flag, or plain ASCII), else the
/// bundle's legacy encoding.
fn decode_name(raw: &[u8], encoding: &'static Encoding) -> String {
    match std::str::from_utf8(raw) {
        Ok(name) => name.to_string(),
        Err(_) => encoding.decode_without_bom_handling(raw).0.into_owned(),
    }
}

/// The bundle's path continued by the member's name; `\`, `.`, `..` and empty
/// components are dropped, so a member never names a place outside its bundle.
fn member_path(base: &Path, name: &str) -> PathBuf {
    let mut path = base.to_path_buf();
    for part in name.split(['/', '\\']) {
        if !part.is_empty() && part != "." && part != ".." {
            path.push(part);
        }
    }
    path
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_decode_as_utf8_else_the_bundles_legacy_encoding() {
        let gbk = |s: &str| encoding_rs::GBK.encode(s).0.into_owned();
        let names = vec![
            gbk("2023年工作总结.docx"),
            gbk("各村材料/情况报告.doc"),
            b"readme.txt".to_vec(),
        ];
        let encoding = names_encoding(&names);
        assert_eq!(encoding, encoding_rs::GBK);
        assert_eq!(decode_name(&names[1], encoding), "各村材料/情况报告.doc");
        assert_eq!(decode_name("总结.docx".as_bytes(), encoding), "总结.docx");
        let sjis = encoding_rs::SHIFT_JIS
            .encode("こんにちは世界の報告書.txt")
            .0
            .into_owned();
        assert_eq!(names_encoding(&[sjis]), encoding_rs::SHIFT_JIS);
    }

    #[test]
    fn member_paths_stay_inside_the_bundle() {
        let base = Path::new("/档案/材料.zip");
        assert_eq!(
            member_path(base, "各村/总结.docx"),
            Path::new("/档案/材料.zip/各村/总结.docx")
        );
        assert_eq!(
            member_path(base, "../../etc/x.docx"),
            Path::new("/档案/材料.zip/etc/x.docx")
        );
        assert_eq!(
            member_path(base, "\\a\\.\\b.doc"),
            Path::new("/档案/材料.zip/a/b.doc")
        );
    }
}
