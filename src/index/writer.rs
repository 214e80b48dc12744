//! Writing documents into the index: one `IndexWriter`, documents replaced by their path.
//! Batching, deletions of vanished files and resumable runs come with incremental sync.

use std::path::{Path, PathBuf};
use std::time::SystemTime;

use tantivy::schema::Term;
use tantivy::{Index, IndexWriter, TantivyDocument, TantivyError};

use super::schema::{Fields, IndexError};
use crate::text::normalize;
use crate::year::ReportYear;

/// What the index keeps of one document.
#[derive(Debug, Clone)]
pub struct IndexedDocument<'a> {
    /// The file's path, or a bundle member's (the bundle's path followed by the member's
    /// name); its bytes are the key the document is replaced by.
    pub path: &'a Path,
    /// The crawled root it was found under.
    pub root: &'a Path,
    /// The title, as the title rules chose it.
    pub title: &'a str,
    /// Everything a reader sees ([`crate::extract::Document::text`]).
    pub text: &'a str,
    /// The report year, if one was found.
    pub year: Option<ReportYear>,
    /// Bytes of the file, or of the member inflated.
    pub size: u64,
    /// The file's modification time (a bundle member's is its bundle's); `None` when
    /// unknown, stored as 0.
    pub mtime: Option<SystemTime>,
    /// The file's extension in lower case ([`crate::filetype::format_of`]).
    pub format: &'a str,
    /// What the document says about itself: date, number, issuer, kind.
    pub official: &'a crate::meta::Official,
}

/// Where an [`Writer::upsert`] spent its time.
#[derive(Debug, Clone, Copy, Default)]
pub struct UpsertTimes {
    /// Normalising the title and text and building the document.
    pub analyse: std::time::Duration,
    /// Handing it to the indexing threads (waits when they are behind).
    pub hand_off: std::time::Duration,
}

const PID_FILE: &str = "dangan-writer.pid";

/// Segments of this many documents or more are not merged again.
const MERGE_BELOW: usize = 6000;

/// Who holds the writer lock, from the note the holder leaves beside the index.
fn holder(dir: &Path) -> String {
    std::fs::read_to_string(dir.join(PID_FILE))
        .ok()
        .and_then(|s| s.lines().next().map(|pid| format!("process {}", pid.trim())))
        .unwrap_or_else(|| "another process".to_string())
}

/// The one writer of an index.
pub struct Writer {
    inner: Option<IndexWriter>,
    fields: Fields,
    dir: PathBuf,
    /// The index held no document when the writer opened (or all were deleted since): an
    /// upsert then only adds. A delete by path waits in tantivy's queue until every
    /// segment has looked it up; a fresh build queued one per document for nothing (a
    /// 20,000-report build: peak RSS 238 -> 220 MB, as fast). Callers upsert a path at
    /// most once a run.
    empty: bool,
}

/// The lossless key of a path.
pub fn path_key(path: &Path) -> &[u8] {
    path.as_os_str().as_encoded_bytes()
}

impl Writer {
    /// Takes the index's writer lock; another writer makes this fail with
    /// [`IndexError::Locked`].
    pub fn new(
        index: &Index,
        fields: Fields,
        dir: &Path,
        threads: usize,
        memory_bytes: usize,
    ) -> Result<Self, IndexError> {
        let inner = index
            .writer_with_num_threads(threads, memory_bytes)
            .map_err(|e| match e {
                TantivyError::LockFailure(..) => IndexError::Locked {
                    path: dir.to_path_buf(),
                    holder: holder(dir),
                },
                source => IndexError::Tantivy {
                    path: dir.to_path_buf(),
                    source,
                },
            })?;
        // Merges stay small: four segments at a time, and only segments of fewer than
        // MERGE_BELOW documents, so a merge reads ~8,000 documents' segments (each commit
        // leaves a segment a thread, ~2,000 documents) however large the archive. A merge
        // reads its segments through the page cache, and unbounded merges (16 at a time
        // of any size) made a 100,000-document build peak at 419-480 MB RSS; bounded:
        // 314 MB and 14 segments: in-process p50 3.5 ms against 4.4, but a search process
        // opens each segment (p50 15 ms against 10; the server opens them once).
        let mut policy = tantivy::indexer::LogMergePolicy::default();
        policy.set_min_num_segments(4);
        policy.set_max_docs_before_merge(MERGE_BELOW);
        inner.set_merge_policy(Box::new(policy));
        let empty = index
            .searchable_segment_metas()
            .map_err(|source| IndexError::Tantivy {
                path: dir.to_path_buf(),
                source,
            })?
            .iter()
            .all(|segment| segment.num_docs() == 0);
        // Name ourselves for a second writer's message; the lock, not this note, keeps it out.
        let _ = std::fs::write(dir.join(PID_FILE), format!("{}\n", std::process::id()));
        Ok(Writer {
            inner: Some(inner),
            fields,
            dir: dir.to_path_buf(),
            empty,
        })
    }

    /// Adds `doc`, replacing any document with the same path (none can be there when the
    /// index was empty as the writer opened: a path upserted twice by one writer is then
    /// kept twice). Safe to call from many threads at once. Says how long the analysis
    /// took and how long handing the document to tantivy's indexing threads waited.
    pub fn upsert(&self, doc: &IndexedDocument<'_>) -> Result<UpsertTimes, IndexError> {
        let started = std::time::Instant::now();
        let f = &self.fields;
        let key = path_key(doc.path);
        let mut tantivy_doc = TantivyDocument::default();
        tantivy_doc.add_bytes(f.path_key, key);
        tantivy_doc.add_u64(f.id, super::sync::document_id(key));
        tantivy_doc.add_text(f.path, doc.path.to_string_lossy());
        tantivy_doc.add_text(f.root, doc.root.to_string_lossy());
        tantivy_doc.add_text(f.title, doc.title);
        tantivy_doc.add_text(f.text, doc.text);
        let title = normalize(doc.title);
        let text = normalize(doc.text);
        for field in [f.title_bigram, f.title_word] {
            tantivy_doc.add_text(field, &title);
        }
        for field in [f.body_bigram, f.body_word] {
            tantivy_doc.add_text(field, &text);
        }
        let (copy_key, signature) = super::versions::fingerprint(&text);
        if let Some(key) = copy_key {
            tantivy_doc.add_u64(f.copy_key, key);
            for value in signature.iter().flat_map(|s| s.packed()) {
                tantivy_doc.add_u64(f.minhash, value);
            }
        }
        if let Some(year) = doc.year {
            tantivy_doc.add_i64(f.year, i64::from(year.year));
            tantivy_doc.add_text(f.year_source, year.source.as_str());
        }
        tantivy_doc.add_u64(f.size, doc.size);
        let mtime = doc
            .mtime
            .and_then(|t| t.duration_since(SystemTime::UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_secs() as i64);
        tantivy_doc.add_i64(f.mtime, mtime);
        tantivy_doc.add_text(f.format, doc.format);
        let official = doc.official;
        if let Ok(json) = serde_json::to_string(official) {
            tantivy_doc.add_text(f.official, json);
        }
        if let Some(date) = official.date {
            let (lo, hi) = date.span();
            tantivy_doc.add_i64(f.date_lo, lo);
            tantivy_doc.add_i64(f.date_hi, hi);
        }
        if let Some(numbers) = super::versions::title_numbers(doc.title) {
            tantivy_doc.add_u64(f.title_numbers, numbers);
        }
        let file_name = doc
            .path
            .file_stem()
            .map(|s| s.to_string_lossy())
            .unwrap_or_default();
        if let Some(unit) =
            super::versions::unit_of(doc.title, official.issuer.as_deref(), &file_name, doc.text)
        {
            tantivy_doc.add_text(f.unit, unit);
        }
        if let Some(number) = &official.doc_number {
            let key = normalize(&crate::meta::number_key(number));
            tantivy_doc.add_u64(f.number_hash, super::fold::text_hash(&key));
            tantivy_doc.add_text(f.number_bigram, &key);
            tantivy_doc.add_text(f.number_word, &key);
        }
        if let Some(issuer) = &official.issuer {
            let issuer = normalize(issuer);
            tantivy_doc.add_text(f.issuer_bigram, &issuer);
            tantivy_doc.add_text(f.issuer_word, &issuer);
        }
        if let Some(kind) = &official.kind {
            tantivy_doc.add_text(f.kind, kind);
        }
        let analysed = std::time::Instant::now();
        if !self.empty {
            self.writer().delete_term(Term::from_field_bytes(f.path_key, key));
        }
        self.writer()
            .add_document(tantivy_doc)
            .map_err(|source| self.error(source))?;
        Ok(UpsertTimes {
            analyse: analysed - started,
            hand_off: analysed.elapsed(),
        })
    }

    /// Removes the document whose path has this key.
    pub fn delete(&self, path_key: &[u8]) {
        self.writer()
            .delete_term(Term::from_field_bytes(self.fields.path_key, path_key));
    }

    /// Removes every document (for `--rebuild`).
    pub fn delete_all(&mut self) -> Result<(), IndexError> {
        self.writer_mut()
            .delete_all_documents()
            .map_err(|source| IndexError::Tantivy {
                path: self.dir.clone(),
                source,
            })?;
        self.empty = true;
        Ok(())
    }

    /// Makes everything added so far durable and visible to searches.
    pub fn commit(&mut self) -> Result<(), IndexError> {
        self.writer_mut().commit().map_err(|source| IndexError::Tantivy {
            path: self.dir.clone(),
            source,
        })?;
        Ok(())
    }

    /// Lets the merges the commits started finish, so the run leaves no half-written
    /// segment files behind and searches see few segments.
    pub fn finish(mut self) -> Result<(), IndexError> {
        let Some(inner) = self.inner.take() else {
            return Ok(());
        };
        inner.wait_merging_threads().map_err(|source| self.error(source))
    }

    fn writer_mut(&mut self) -> &mut IndexWriter {
        self.inner.as_mut().expect("the writer is present until finish")
    }

    fn writer(&self) -> &IndexWriter {
        // Only `finish` takes the writer, and it consumes `self`.
        self.inner.as_ref().expect("the writer is present until finish")
    }

    fn error(&self, source: TantivyError) -> IndexError {
        IndexError::Tantivy {
            path: self.dir.clone(),
            source,
        }
    }
}

impl Drop for Writer {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(self.dir.join(PID_FILE));
    }
}

/// An index of `docs` in a temporary folder, for unit tests: each document is
/// `(path, text, report year)` under the root `/档案`, titled by its file stem; a commit after
/// each makes it a segment of its own.
#[cfg(test)]
pub(crate) fn test_index(docs: &[(&str, &str, Option<i32>)]) -> (tempfile::TempDir, Index, Fields) {
    let dir = tempfile::tempdir().expect("temp dir");
    let (index, fields) = super::open_index(dir.path(), true).expect("index");
    let mut writer = Writer::new(&index, fields, dir.path(), 1, 32 << 20).expect("writer");
    for &(path, text, year) in docs {
        let path = Path::new(path);
        let title = path.file_stem().map(|s| s.to_string_lossy()).unwrap_or_default();
        writer
            .upsert(&IndexedDocument {
                path,
                root: Path::new("/档案"),
                title: &title,
                text,
                year: year.map(|year| ReportYear {
                    year,
                    source: crate::year::YearSource::Title,
                }),
                size: text.len() as u64,
                mtime: Some(SystemTime::UNIX_EPOCH),
                format: "docx",
                official: &crate::meta::Official::default(),
            })
            .expect("upsert");
        writer.commit().expect("commit");
    }
    writer.finish().expect("finish");
    (dir, index, fields)
}
