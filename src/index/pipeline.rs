//! The index pipeline: bring an index in step with its roots.
//!
//! [`sync_roots`] walks the roots on a thread of its own and sorts what it finds against the
//! sync state as it comes; new and changed files are read, a chunk at a time, analysed and
//! written on a rayon pool feeding one `IndexWriter`. Unchanged files (same size and
//! modification time) are not opened; a file whose time changed but whose bytes did not is
//! not read again; documents whose files are gone from a crawled root are dropped. Work is
//! committed in batches, and the sync state written after a commit as often as that costs
//! at most a tenth of the run (see `commit`), so a cancel (which commits and stops) loses
//! nothing and a killed process at most the work since the state was last written, which
//! its next run redoes.
//!
//! Front ends plug in a [`Progress`] to hear what happens as it happens (the CLI draws a bar
//! and names skipped files; a server may count) and a cancel flag; everything else comes
//! back in the [`SyncReport`].

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use rayon::prelude::*;

use super::schema::{IndexError, clear_index, open_index};
use super::sync::{self, FileState, RootState, SyncState};
use super::writer::{IndexedDocument, Writer};
use crate::crawl::{self, Candidate, CrawlOptions, Found, absolute};
use crate::extract::{self, Document, Item, Limits};
use crate::filetype::is_bundle_path;
use crate::skip::SkipReason;
use crate::year::YearRange;

/// Most documents read between two looks at the clock and the cancel flag.
const CHUNK: usize = 256;
/// Commit after [`SyncOptions::batch`] documents or this many seconds, whichever comes first.
const COMMIT_SECONDS: f64 = 15.0;
/// Files up to this size are read into memory once, for the hash and the extraction.
const READ_WHOLE: u64 = 32 * 1024 * 1024;
/// Text above which a document is indexed by one thread at a time.
const HUGE_TEXT: usize = 4 * 1024 * 1024;
static HUGE: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// What to bring into the index, and how.
#[derive(Debug, Clone)]
pub struct SyncOptions {
    /// Folders (or single files) to crawl; they must exist. Made absolute before use.
    pub roots: Vec<PathBuf>,
    /// Start from an empty index (also the way past an index of another dangan version).
    pub rebuild: bool,
    /// Follow symbolic links while walking.
    pub follow_links: bool,
    /// Commit after this many documents (and at least every 15 s).
    pub batch: usize,
    /// Memory for the index writer's buffers, in bytes, shared by its threads.
    pub writer_memory: usize,
    /// The caps every file is read under.
    pub limits: Limits,
}

impl SyncOptions {
    /// The defaults of `dangan index` for these roots.
    pub fn new(roots: Vec<PathBuf>) -> Self {
        SyncOptions {
            roots,
            rebuild: false,
            follow_links: false,
            batch: 4000,
            writer_memory: 256 * 1024 * 1024,
            limits: Limits::default(),
        }
    }
}

/// What a front end hears while [`sync_roots`] runs. Every method has an empty default, so
/// an implementation names only what it shows. Called from the pool's threads.
pub trait Progress: Sync {
    /// The walk has found `files` new or changed files to read so far (called again, with
    /// a larger number, as it finds more: the walk and the reading overlap).
    fn reading(&self, files: u64) {
        let _ = files;
    }
    /// One more of those files is done (read, or skipped).
    fn advanced(&self) {}
    /// A document could not be read this run (`passed_over` false), or the walk passed a
    /// file over (a lock file, a format not read, a link; `passed_over` true).
    fn skipped(&self, path: &Path, reason: &SkipReason, passed_over: bool) {
        let _ = (path, reason, passed_over);
    }
    /// A file skipped by an earlier run and unchanged since: not retried.
    fn still_skipped(&self, path: &Path, reason: &str) {
        let _ = (path, reason);
    }
    /// A batch is committed: searches now see it.
    fn committed(&self) {}
}

/// A [`Progress`] that shows nothing.
pub struct Quiet;

impl Progress for Quiet {}

/// Files that were not read, counted by reason (the key of [`SkipReason::kind`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tally {
    /// Documents that could not be read.
    pub skipped: BTreeMap<&'static str, usize>,
    /// Files the walk passed over (lock files, formats not read yet, links).
    pub passed_over: BTreeMap<&'static str, usize>,
}

impl Tally {
    /// Counts one file by its reason.
    pub fn count(&mut self, reason: &SkipReason, passed_over: bool) {
        self.count_kind(reason.kind(), passed_over);
    }

    fn count_kind(&mut self, kind: &'static str, passed_over: bool) {
        let counts = if passed_over {
            &mut self.passed_over
        } else {
            &mut self.skipped
        };
        *counts.entry(kind).or_default() += 1;
    }

    /// How many documents could not be read.
    pub fn skipped_total(&self) -> usize {
        self.skipped.values().sum()
    }

    /// How many files the walk passed over.
    pub fn passed_over_total(&self) -> usize {
        self.passed_over.values().sum()
    }
}

/// Where one run's time went: CPU time summed over the threads that ran a stage, wall time
/// for the walk, the commits and the final merges.
#[derive(Debug, Clone, Default)]
pub struct Timings {
    /// Wall time of the walk, on its own thread while the files it found are read.
    pub walk: Duration,
    /// Thread time reading the files and hashing their bytes (a file up to 32 MiB is read
    /// whole here, for the extraction too).
    pub hash: Duration,
    /// Thread time extracting documents from files (not from zip bundles: their reading is
    /// counted nowhere).
    pub extract: Duration,
    /// Thread time finding titles and report years and joining each document's text.
    pub year: Duration,
    /// Thread time normalising titles and text and building tantivy documents
    /// ([`super::writer::UpsertTimes::analyse`]); tokenising happens in tantivy's threads.
    pub analyse: Duration,
    /// Thread time waiting to hand documents to tantivy's indexing threads.
    pub hand_off: Duration,
    /// Wall time of the commits, each with the sync state saved after it.
    pub commits: Duration,
    /// Wall time waiting for the final merges (none when the run was cancelled).
    pub merges: Duration,
    /// Wall time grouping the versions of the whole index ([`super::versions::refresh`]).
    pub versions: Duration,
    /// The whole run, wall clock.
    pub total: Duration,
}

/// What one [`sync_roots`] run did. Documents are counted as the index holds them: a zip
/// bundle counts as the documents inside it.
#[derive(Debug, Clone, Default)]
pub struct SyncReport {
    /// The index directory.
    pub index: PathBuf,
    /// Documents found under the roots (read or not).
    pub found: usize,
    /// Documents indexed for the first time.
    pub new: usize,
    /// Documents re-indexed because their file changed.
    pub changed: usize,
    /// Documents left as they were.
    pub unchanged: usize,
    /// Documents taken out because their file is gone or can no longer be read.
    pub removed: usize,
    /// Files not read, by reason; the ones skipped before and unchanged since count as
    /// `unchanged since skipped`.
    pub tally: Tally,
    /// Each document that could not be read this run, with its reason.
    pub skipped: Vec<(PathBuf, SkipReason)>,
    /// Stopped by the cancel flag: what was read is committed, the rest left.
    pub cancelled: bool,
    /// Files not reached because of the cancel.
    pub left: usize,
    /// Where the time went.
    pub timings: Timings,
}

/// What happened to one file this run.
enum Change {
    /// Read and written to the index: a file, or the documents of a bundle (how many,
    /// and what inside it could not be read or was passed over).
    Indexed(FileState, usize, Vec<Item>),
    /// Its time changed, its bytes did not: only the state is updated.
    Touched(FileState),
    /// Could not be read.
    Skipped(FileState, SkipReason),
    /// Not reached before the cancel.
    NotReached,
}

/// Stage times gathered from the pool's threads, in nanoseconds.
#[derive(Default)]
struct Clock {
    hash: AtomicU64,
    extract: AtomicU64,
    year: AtomicU64,
    analyse: AtomicU64,
    hand_off: AtomicU64,
}

impl Clock {
    fn add(counter: &AtomicU64, time: Duration) {
        counter.fetch_add(time.as_nanos() as u64, Ordering::Relaxed);
    }
}

/// Brings the index at `dir` in step with `options.roots` (see the module docs), calling
/// `progress` as it goes and stopping cleanly, after a commit, once `cancel` is set.
///
/// Bad files never fail the run: each is a reason in the report. Errors are only what
/// makes the index unusable: a missing root, an index of another version, another writer
/// holding the lock, a sync state that cannot be saved.
pub fn sync_roots(
    dir: &Path,
    options: &SyncOptions,
    progress: &dyn Progress,
    cancel: &AtomicBool,
) -> Result<SyncReport, IndexError> {
    let started = Instant::now();
    let mut roots = Vec::new();
    for root in &options.roots {
        if !root.exists() {
            return Err(IndexError::NoSuchRoot(root.clone()));
        }
        roots.push(absolute(root));
    }
    if options.rebuild {
        clear_index(dir)?;
    }
    let (index, fields) = open_index(dir, true)?;
    let threads = rayon::current_num_threads().clamp(1, 8);
    let mut writer = Writer::new(&index, fields, dir, threads, options.writer_memory)?;
    let mut state = SyncState::load(dir);
    if options.rebuild {
        writer.delete_all()?;
        state = SyncState::default();
    }
    let mut report = SyncReport {
        index: absolute(dir),
        ..SyncReport::default()
    };

    // The walk runs on its own thread and hands what it finds over as it goes; files are
    // sorted against what the index knows and read a chunk at a time, so the files still
    // to read are never all in memory at once.
    let crawl_options = CrawlOptions {
        follow_links: options.follow_links,
        exclude: vec![absolute(dir)],
    };
    let (found_tx, found_rx) = std::sync::mpsc::sync_channel::<Found>(4 * CHUNK);
    let mut seen: HashSet<String> = HashSet::new();
    let clock = Clock::default();
    let range = YearRange::current();
    let mut since_commit = 0usize;
    let mut last_commit = Instant::now();
    let mut pending: Vec<(String, FileState)> = Vec::new();
    let mut saves = Saves::default();
    let batch = options.batch.max(1);
    let mut to_read = 0u64;
    let walk = std::thread::scope(|scope| -> Result<Duration, IndexError> {
        let (walk_roots, walk_options) = (&roots, &crawl_options);
        let walker = scope.spawn(move || {
            let started = Instant::now();
            crawl::crawl(walk_roots, walk_options, |item| {
                // Fails only once this side has returned on an error: the walk then ends
                // unheard, and the scope can join it.
                let _ = found_tx.send(item);
            });
            started.elapsed()
        });
        // Owned here, so that an early return drops it and the walker cannot block.
        let mut found = found_rx.into_iter();
        let mut work: Vec<(Candidate, bool)> = Vec::with_capacity(CHUNK);
        let mut walked = false;
        while !walked {
            // The next files to read, the unchanged ones counted on the way.
            work.clear();
            while work.len() < CHUNK.min(batch) {
                let Some(item) = found.next() else {
                    walked = true;
                    break;
                };
                match item {
                    Found::Candidate(c) => {
                        let key = sync::key_of(&c.path);
                        // Overlapping roots find a file twice: it is read once.
                        if seen.contains(&key) {
                            continue;
                        }
                        report.found += 1;
                        match state.files.get(&key) {
                            Some(f) if f.size == c.size && f.mtime_ns == sync::mtime_ns(c.mtime) => {
                                if let Some(reason) = &f.skipped {
                                    report.tally.count_kind("unchanged since skipped", false);
                                    progress.still_skipped(&c.path, reason);
                                } else {
                                    // A bundle counts as the documents it holds.
                                    report.unchanged += f.members.len().max(1);
                                    report.found += f.members.len().saturating_sub(1);
                                }
                            }
                            known => work.push((c, known.is_some())),
                        }
                        seen.insert(key);
                    }
                    Found::Skipped { path, reason } => {
                        report.tally.count(&reason, true);
                        progress.skipped(&path, &reason, true);
                    }
                }
            }
            if work.is_empty() {
                continue;
            }
            to_read += work.len() as u64;
            progress.reading(to_read);
            if cancel.load(Ordering::SeqCst) {
                report.left += work.len();
                continue;
            }
            let changes: Vec<(&Candidate, bool, Change)> = work
                .par_iter()
                .map(|(candidate, was_known)| {
                    let change = if cancel.load(Ordering::SeqCst) {
                        Change::NotReached
                    } else {
                        let known = state.files.get(&sync::key_of(&candidate.path));
                        sync_one(&writer, candidate, known, &options.limits, range, &clock)
                    };
                    progress.advanced();
                    (candidate, *was_known, change)
                })
                .collect();
            for (candidate, was_known, change) in changes {
                let key = sync::key_of(&candidate.path);
                match change {
                    Change::Indexed(mut file, documents, items) => {
                        *(if was_known {
                            &mut report.changed
                        } else {
                            &mut report.new
                        }) += documents;
                        report.found += documents.saturating_sub(1);
                        since_commit += documents.max(1);
                        for item in items {
                            match item {
                                Item::Document {
                                    path,
                                    result: Err(reason),
                                    ..
                                } => {
                                    file.member_skips.push((sync::key_of(&path), reason.to_string()));
                                    note_skipped(&mut report, progress, path, reason);
                                }
                                Item::PassedOver { path, reason } => {
                                    report.tally.count(&reason, true);
                                    progress.skipped(&path, &reason, true);
                                }
                                Item::Document { .. } => {}
                            }
                        }
                        pending.push((key, file));
                    }
                    Change::Touched(file) => {
                        report.unchanged += file.members.len().max(1);
                        report.found += file.members.len().saturating_sub(1);
                        pending.push((key, file));
                    }
                    Change::Skipped(file, reason) => {
                        if let Some(old) = state.files.get(&key).filter(|f| f.skipped.is_none()) {
                            // It was indexed before and cannot be read now: drop the stale copy.
                            forget(&writer, &key, old);
                        }
                        note_skipped(&mut report, progress, candidate.path.clone(), reason);
                        pending.push((key, file));
                    }
                    Change::NotReached => report.left += 1,
                }
            }
            let due = since_commit >= batch || last_commit.elapsed().as_secs_f64() >= COMMIT_SECONDS;
            if due || cancel.load(Ordering::SeqCst) {
                let t = Instant::now();
                commit(&mut writer, &mut state, &mut pending, dir, &mut saves, false)?;
                report.timings.commits += t.elapsed();
                progress.committed();
                since_commit = 0;
                last_commit = Instant::now();
            }
        }
        Ok(walker.join().unwrap_or_default())
    })?;
    report.timings.walk = walk;

    // Files gone from the crawled roots.
    let gone: Vec<String> = roots
        .iter()
        .flat_map(|root| {
            state
                .keys_under(root)
                .filter(|k| !seen.contains(*k))
                .cloned()
                .collect::<Vec<_>>()
        })
        .collect();
    drop(seen);
    for key in &gone {
        if let Some(file) = state.files.remove(key)
            && file.skipped.is_none()
        {
            report.removed += forget(&writer, key, &file);
        }
    }

    report.cancelled = cancel.load(Ordering::SeqCst);
    if !report.cancelled {
        let now = crate::date::now_secs();
        for root in &roots {
            state
                .roots
                .insert(sync::key_of(root), RootState { last_sync: now });
        }
    }
    let t = Instant::now();
    commit(&mut writer, &mut state, &mut pending, dir, &mut saves, true)?;
    report.timings.commits += t.elapsed();
    progress.committed();
    let t = Instant::now();
    if !report.cancelled {
        writer.finish()?;
    }
    report.timings.merges = t.elapsed();
    // Versions are grouped over the whole index as committed; a run killed before this
    // leaves groups of an older generation, which searches do not trust (they group anew).
    let t = Instant::now();
    super::versions::refresh(&index, dir).map_err(|source| IndexError::Tantivy {
        path: dir.to_path_buf(),
        source,
    })?;
    report.timings.versions = t.elapsed();
    let nanos = |a: &AtomicU64| Duration::from_nanos(a.load(Ordering::Relaxed));
    report.timings.hash = nanos(&clock.hash);
    report.timings.extract = nanos(&clock.extract);
    report.timings.year = nanos(&clock.year);
    report.timings.analyse = nanos(&clock.analyse);
    report.timings.hand_off = nanos(&clock.hand_off);
    report.timings.total = started.elapsed();
    Ok(report)
}

fn note_skipped(report: &mut SyncReport, progress: &dyn Progress, path: PathBuf, reason: SkipReason) {
    report.tally.count(&reason, false);
    progress.skipped(&path, &reason, false);
    report.skipped.push((path, reason));
}

/// Takes a file's documents out of the index (a bundle's are its members); how many.
fn forget(writer: &Writer, key: &str, file: &FileState) -> usize {
    writer.delete(&sync::key_bytes(key));
    for member in &file.members {
        writer.delete(&sync::key_bytes(member));
    }
    file.members.len().max(1)
}

/// When the sync state was last written, and how long that took.
#[derive(Default)]
struct Saves {
    last: Option<Instant>,
    took: Duration,
}

/// Commits the writer, then records what the commit made durable: in memory always, on
/// disk after the `last` commit and whenever the time since the state was last written is
/// ten times what writing it took. A small state is written after every commit; the state
/// of 100,000 files (20 MB, ~0.2 s) a few times a run, not 25, and at a million files the
/// rewrites do not grow with the square of the archive. A killed run's next run reads
/// again the files committed since the last write: each replaces itself, none is doubled.
fn commit(
    writer: &mut Writer,
    state: &mut SyncState,
    pending: &mut Vec<(String, FileState)>,
    dir: &Path,
    saves: &mut Saves,
    last: bool,
) -> Result<(), IndexError> {
    writer.commit()?;
    state.files.extend(pending.drain(..));
    if last || saves.last.is_none_or(|at| at.elapsed() >= saves.took * 10) {
        let started = Instant::now();
        state.save(dir).map_err(|source| IndexError::Io {
            path: dir.to_path_buf(),
            source,
        })?;
        *saves = Saves {
            last: Some(Instant::now()),
            took: started.elapsed(),
        };
    }
    Ok(())
}

/// Brings one new or changed file into the index.
fn sync_one(
    writer: &Writer,
    candidate: &Candidate,
    known: Option<&FileState>,
    limits: &Limits,
    range: YearRange,
    clock: &Clock,
) -> Change {
    let mut file = FileState {
        size: candidate.size,
        mtime_ns: sync::mtime_ns(candidate.mtime),
        hash: 0,
        root: sync::key_of(&candidate.root),
        skipped: None,
        members: Vec::new(),
        member_skips: Vec::new(),
    };
    // A file of modest size is read once: hashed, then extracted from memory.
    let bundle = is_bundle_path(&candidate.path);
    let mut bytes = None;
    let started = Instant::now();
    let hashed = if !bundle && candidate.size <= READ_WHOLE {
        std::fs::read(&candidate.path).map(|b| sync::bytes_hash(bytes.insert(b)))
    } else {
        sync::file_hash(&candidate.path)
    };
    Clock::add(&clock.hash, started.elapsed());
    match hashed {
        Ok(hash) => file.hash = hash,
        Err(e) => {
            let reason = SkipReason::Unreadable(e.to_string());
            file.skipped = Some(reason.to_string());
            return Change::Skipped(file, reason);
        }
    }
    if let Some(known) = known
        && known.hash == file.hash
        && known.size == file.size
        && known.skipped.is_none()
    {
        file.members = known.members.clone();
        file.member_skips = known.member_skips.clone();
        return Change::Touched(file);
    }
    if !bundle {
        let started = Instant::now();
        let read = match bytes {
            Some(bytes) => extract::extract_bytes(&candidate.path, bytes, limits),
            None => extract::extract_file(&candidate.path, limits),
        };
        Clock::add(&clock.extract, started.elapsed());
        return match index_one(
            writer,
            &candidate.path,
            candidate,
            candidate.size,
            read,
            range,
            clock,
        ) {
            Ok(()) => Change::Indexed(file, 1, Vec::new()),
            Err(reason) => {
                file.skipped = Some(reason.to_string());
                Change::Skipped(file, reason)
            }
        };
    }
    // A bundle: its old documents go, the ones it holds now come in.
    if let Some(known) = known {
        forget(writer, &sync::key_of(&candidate.path), known);
    }
    let mut not_read = Vec::new();
    let mut bundle_error = None;
    extract::extract_items(&candidate.path, limits, &mut |item| match item {
        Item::Document {
            path,
            result: Err(reason),
            ..
        } if path == candidate.path => bundle_error = Some(reason),
        Item::Document { path, size, result } => {
            match index_one(writer, &path, candidate, size, result, range, clock) {
                Ok(()) => file.members.push(sync::key_of(&path)),
                Err(reason) => not_read.push(Item::Document {
                    path,
                    size,
                    result: Err(reason),
                }),
            }
        }
        passed => not_read.push(passed),
    });
    if let Some(reason) = bundle_error {
        file.skipped = Some(reason.to_string());
        file.members.clear();
        return Change::Skipped(file, reason);
    }
    let documents = file.members.len();
    Change::Indexed(file, documents, not_read)
}

/// Hands one document read from `path` (a file, or a document inside a bundle) to the
/// writer; a bad document is a skip reason.
fn index_one(
    writer: &Writer,
    path: &Path,
    candidate: &Candidate,
    size: u64,
    read: Result<Document, SkipReason>,
    range: YearRange,
    clock: &Clock,
) -> Result<(), SkipReason> {
    let doc = read?;
    let started = Instant::now();
    let described = crate::meta::describe(&doc, path, range);
    let text = doc.text();
    Clock::add(&clock.year, started.elapsed());
    // One huge document at a time: its copies in flight do not multiply by the threads.
    let _one_huge = (text.len() > HUGE_TEXT).then(|| HUGE.lock().unwrap_or_else(|e| e.into_inner()));
    let indexed = IndexedDocument {
        path,
        root: &candidate.root,
        title: &described.title,
        text: &text,
        year: described.year,
        size,
        mtime: candidate.mtime,
        format: &extract::format_of(path),
        official: &described.official,
    };
    let times = writer
        .upsert(&indexed)
        .map_err(|e| SkipReason::Internal(e.to_string()))?;
    Clock::add(&clock.analyse, times.analyse);
    Clock::add(&clock.hand_off, times.hand_off);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::search::{SearchOptions, Searcher};

    /// Counts what the pipeline says, as a front end would.
    #[derive(Default)]
    struct Heard {
        reading: AtomicU64,
        advanced: AtomicU64,
        skipped: AtomicU64,
        committed: AtomicU64,
    }

    impl Progress for Heard {
        fn reading(&self, files: u64) {
            self.reading.store(files, Ordering::Relaxed);
        }
        fn advanced(&self) {
            self.advanced.fetch_add(1, Ordering::Relaxed);
        }
        fn skipped(&self, _: &Path, _: &SkipReason, _: bool) {
            self.skipped.fetch_add(1, Ordering::Relaxed);
        }
        fn committed(&self) {
            self.committed.fetch_add(1, Ordering::Relaxed);
        }
    }

    fn write(dir: &Path, name: &str, text: &str) {
        std::fs::write(dir.join(name), text.as_bytes()).expect("write fixture");
    }

    #[test]
    fn syncs_searches_and_resyncs_without_the_cli() {
        let root = tempfile::tempdir().expect("tempdir");
        let idx = tempfile::tempdir().expect("tempdir");
        write(
            root.path(),
            "2021年河长制工作总结.txt",
            "青山镇2021年河长制工作总结\n全面落实河长制。",
        );
        write(
            root.path(),
            "2022年人居环境整治情况.txt",
            "人居环境整治情况\n开展村庄清洁行动。",
        );
        write(root.path(), "空.txt", "");
        let options = SyncOptions::new(vec![root.path().to_path_buf()]);
        let heard = Heard::default();
        let report = sync_roots(idx.path(), &options, &heard, &AtomicBool::new(false)).expect("sync");
        assert_eq!((report.found, report.new, report.unchanged), (3, 2, 0));
        assert_eq!(report.skipped.len(), 1);
        assert_eq!(report.tally.skipped.get("empty file"), Some(&1));
        assert_eq!(heard.reading.load(Ordering::Relaxed), 3);
        assert_eq!(heard.advanced.load(Ordering::Relaxed), 3);
        assert_eq!(heard.skipped.load(Ordering::Relaxed), 1);
        assert!(heard.committed.load(Ordering::Relaxed) >= 1);
        assert!(!report.cancelled);

        let searcher = Searcher::open(idx.path()).expect("open");
        let query = crate::query::parse("河长").expect("query");
        let hits = searcher
            .search(&query, &SearchOptions::default())
            .expect("search");
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].year, Some(2021));

        std::fs::remove_file(root.path().join("2022年人居环境整治情况.txt")).expect("remove");
        let again = sync_roots(idx.path(), &options, &Quiet, &AtomicBool::new(false)).expect("resync");
        assert_eq!((again.new, again.changed, again.removed), (0, 0, 1));
        assert_eq!(again.unchanged, 1);
        assert_eq!(again.tally.skipped.get("unchanged since skipped"), Some(&1));
    }

    #[test]
    fn a_cancelled_run_reads_nothing_and_leaves_the_rest() {
        let root = tempfile::tempdir().expect("tempdir");
        let idx = tempfile::tempdir().expect("tempdir");
        write(root.path(), "a.txt", "通知");
        let options = SyncOptions::new(vec![root.path().to_path_buf()]);
        let report = sync_roots(idx.path(), &options, &Quiet, &AtomicBool::new(true)).expect("sync");
        assert!(report.cancelled);
        assert_eq!((report.new, report.left), (0, 1));
        // The next run finishes the rest.
        let report = sync_roots(idx.path(), &options, &Quiet, &AtomicBool::new(false)).expect("sync");
        assert_eq!(report.new, 1);
    }

    #[test]
    fn a_missing_root_is_an_error() {
        let idx = tempfile::tempdir().expect("tempdir");
        let options = SyncOptions::new(vec![idx.path().join("没有")]);
        let err =
            sync_roots(idx.path(), &options, &Quiet, &AtomicBool::new(false)).expect_err("missing root");
        assert!(matches!(err, IndexError::NoSuchRoot(_)), "{err}");
    }
}
