//! Walking roots: which files are documents to read, and why every other office file is
//! passed over.
//!
//! Candidates are what [`crate::filetype::is_document_path`] names — OOXML, Word 97-2003
//! and Kingsoft `.doc`/`.wps`, OpenDocument text, `.ofd`, `.txt` and `.zip` bundles, in any
//! case. Word/WPS lock and temp files, other office formats, unreadable entries, symbolic
//! links (unless followed) and link loops come back as skips with a reason; the index
//! directory is never entered. Paths stay `Path`s throughout, so names that are not UTF-8 survive.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use walkdir::WalkDir;

use crate::filetype::{is_document_path, is_lock_file, is_ooxml_path, unsupported_format};
use crate::skip::SkipReason;

/// A file to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    /// The file's path: the root as given, joined with the path below it (the root itself
    /// when the root is a file).
    pub path: PathBuf,
    /// The root the walk found it under.
    pub root: PathBuf,
    /// Size in bytes when the walk saw it.
    pub size: u64,
    /// Modification time when the walk saw it; `None` where the platform gives none.
    pub mtime: Option<SystemTime>,
}

/// What the walk found at one path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Found {
    /// A file to read.
    Candidate(Candidate),
    /// A file or folder passed over: a lock file, a format not read yet, a symbolic link
    /// not followed or looping, an entry that could not be read.
    Skipped {
        /// Where it is (the root, when the walk could not say).
        path: PathBuf,
        /// Why it was passed over.
        reason: SkipReason,
    },
}

/// How to walk.
#[derive(Debug, Clone, Default)]
pub struct CrawlOptions {
    /// Follow symbolic links (loops are detected and skipped).
    pub follow_links: bool,
    /// Directories never entered (the index directory), as absolute paths.
    pub exclude: Vec<PathBuf>,
}

/// An absolute form of `path` for output and comparison: canonical when it exists.
pub fn absolute(path: &Path) -> PathBuf {
    std::fs::canonicalize(path)
        .or_else(|_| std::path::absolute(path))
        .unwrap_or_else(|_| path.to_path_buf())
}

fn is_hidden(name: &OsStr) -> bool {
    name.to_string_lossy().starts_with('.')
}

/// Walks every root in order and hands each finding to `found`.
///
/// A root that is a file is a candidate whatever its extension (the readers sniff its
/// content); inside directories only the names [`crate::filetype::is_document_path`] accepts.
pub fn crawl(roots: &[PathBuf], options: &CrawlOptions, mut found: impl FnMut(Found)) {
    for root in roots {
        crawl_root(root, options, &mut found);
    }
}

fn crawl_root(root: &Path, options: &CrawlOptions, found: &mut impl FnMut(Found)) {
    let walk = WalkDir::new(root)
        .follow_links(options.follow_links)
        .follow_root_links(true);
    let is_root = |entry: &walkdir::DirEntry| entry.depth() == 0;
    let iter = walk.into_iter().filter_entry(|entry| {
        if is_root(entry) {
            return true;
        }
        let is_dir = entry.file_type().is_dir();
        // Hidden folders (.git, .Trash) and the index itself are never entered.
        !(is_dir && (is_hidden(entry.file_name()) || options.exclude.iter().any(|x| x == entry.path())))
    });
    for entry in iter {
        let entry = match entry {
            Ok(entry) => entry,
            Err(err) => {
                let path = err
                    .path()
                    .map(Path::to_path_buf)
                    .unwrap_or_else(|| root.to_path_buf());
                let reason = match err.loop_ancestor() {
                    Some(ancestor) => {
                        SkipReason::Unreadable(format!("symbolic link loop back to {}", ancestor.display()))
                    }
                    None => SkipReason::Unreadable(io_message(&err)),
                };
                found(Found::Skipped { path, reason });
                continue;
            }
        };
        let path = entry.path();
        let file_type = entry.file_type();
        if file_type.is_dir() {
            continue;
        }
        if file_type.is_symlink() {
            // Only reached when links are not followed.
            if let Ok(meta) = std::fs::metadata(path)
                && (meta.is_dir() || is_ooxml_path(path))
            {
                let reason = SkipReason::Unsupported("symbolic link not followed (use --follow)".into());
                found(Found::Skipped {
                    path: path.to_path_buf(),
                    reason,
                });
            }
            continue;
        }
        let name = entry.file_name();
        if is_lock_file(name) {
            if is_ooxml_path(path)
                || unsupported_format(path).is_some()
                || name.to_string_lossy().to_ascii_lowercase().ends_with(".tmp")
            {
                found(Found::Skipped {
                    path: path.to_path_buf(),
                    reason: SkipReason::LockFile,
                });
            }
            continue;
        }
        if !is_root(&entry) && is_hidden(name) {
            continue;
        }
        if is_root(&entry) || is_document_path(path) {
            match entry.metadata() {
                Ok(meta) => found(Found::Candidate(Candidate {
                    path: path.to_path_buf(),
                    root: root.to_path_buf(),
                    size: meta.len(),
                    mtime: meta.modified().ok(),
                })),
                Err(err) => found(Found::Skipped {
                    path: path.to_path_buf(),
                    reason: SkipReason::Unreadable(io_message(&err)),
                }),
            }
        } else if let Some(what) = unsupported_format(path) {
            let reason = SkipReason::Unsupported(format!("{what} (not read yet)"));
            found(Found::Skipped {
                path: path.to_path_buf(),
                reason,
            });
        }
    }
}

fn io_message(err: &walkdir::Error) -> String {
    err.io_error()
        .map(|e| e.to_string())
        .unwrap_or_else(|| err.to_string())
}
