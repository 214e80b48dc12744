//! What an index holds and how it came to be: its size, documents by format, each root
//! with its last complete sync, and the files the last runs could not read.
//!
//! Documents are counted as the index holds them: a zip bundle is not a document, each
//! document inside it is (counted by its own format, under the bundle's root), so the
//! formats add up to the document total.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Serialize;

use super::schema::IndexError;
use super::search::Searcher;
use super::sync::{self, SyncState};
use crate::crawl::absolute;
use crate::filetype::format_of;

/// The state of one index (`dangan status --json` prints it as one object).
#[derive(Debug, Clone, Serialize)]
pub struct Status {
    /// The index directory, absolute.
    pub index: String,
    /// Bytes of the files in the index directory.
    pub size_bytes: u64,
    /// Documents the index holds.
    pub documents: u64,
    /// Documents by format (file extension, lower case; `none` for none).
    pub formats: BTreeMap<String, usize>,
    /// Each crawled root, in path order.
    pub roots: Vec<RootStatus>,
    /// Files the last runs could not read, in path order.
    pub skipped: Vec<SkippedFile>,
    /// Of those, PDFs with no text layer: scanned pages that need OCR.
    pub scanned: usize,
}

/// One crawled root.
#[derive(Debug, Clone, Serialize)]
pub struct RootStatus {
    /// The root's absolute path (lossy where it is not UTF-8).
    pub path: String,
    /// When its last complete sync finished (`2023-12-05 08:00:00 UTC`); none while no
    /// run over it has finished.
    pub last_sync: Option<String>,
    /// When, in seconds since the Unix epoch (0: never).
    #[serde(skip)]
    pub last_sync_secs: u64,
    /// Documents the index holds from under it.
    pub documents: usize,
}

/// A file that could not be read, and why.
#[derive(Debug, Clone, Serialize)]
pub struct SkippedFile {
    /// The file's absolute path (lossy where it is not UTF-8); a zip bundle's own path
    /// when the bundle could not be opened.
    pub path: String,
    /// The [`SkipReason`](crate::skip::SkipReason) line recorded when it was skipped.
    pub reason: String,
}

/// How the reason of a scanned PDF begins ([`crate::skip::SkipReason::Scanned`]).
const SCANNED_PREFIX: &str = "no text layer";

/// The status of the index at `dir`.
pub fn status(dir: &Path) -> Result<Status, IndexError> {
    let documents = Searcher::open(dir)?.num_docs();
    let state = SyncState::load(dir);
    let size_bytes = std::fs::read_dir(dir)
        .map_err(|source| IndexError::Io {
            path: dir.to_path_buf(),
            source,
        })?
        .filter_map(|e| e.ok()?.metadata().ok())
        .filter(|m| m.is_file())
        .map(|m| m.len())
        .sum();

    let mut formats = BTreeMap::new();
    let mut per_root: BTreeMap<&str, usize> = BTreeMap::new();
    let mut skipped = Vec::new();
    for (key, file) in &state.files {
        let path = sync::path_of_key(key);
        if let Some(reason) = &file.skipped {
            skipped.push(SkippedFile {
                path: path.to_string_lossy().into_owned(),
                reason: reason.clone(),
            });
            continue;
        }
        // A bundle is the documents inside it (none when it holds none).
        let is_bundle = crate::filetype::is_bundle_path(&path);
        let members: Vec<std::path::PathBuf> = if is_bundle {
            file.members.iter().map(|m| sync::path_of_key(m)).collect()
        } else {
            vec![path]
        };
        for member in &members {
            let format = if member.extension().is_some() {
                format_of(member)
            } else {
                "none".to_string()
            };
            *formats.entry(format).or_default() += 1;
        }
        *per_root.entry(file.root.as_str()).or_default() += members.len();
        for (member, reason) in &file.member_skips {
            skipped.push(SkippedFile {
                path: sync::path_of_key(member).to_string_lossy().into_owned(),
                reason: reason.clone(),
            });
        }
    }
    let roots = state
        .roots
        .iter()
        .map(|(key, root)| RootStatus {
            path: sync::path_of_key(key).to_string_lossy().into_owned(),
            last_sync: (root.last_sync > 0).then(|| crate::date::utc_label(root.last_sync)),
            last_sync_secs: root.last_sync,
            documents: per_root.get(key.as_str()).copied().unwrap_or(0),
        })
        .collect();
    let scanned = skipped
        .iter()
        .filter(|s| s.reason.starts_with(SCANNED_PREFIX))
        .count();
    Ok(Status {
        index: absolute(dir).to_string_lossy().into_owned(),
        scanned,
        size_bytes,
        documents,
        formats,
        roots,
        skipped,
    })
}
