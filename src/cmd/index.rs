//! `dangan index`: bring the index in step with the folders.
//!
//! The walk stays on one thread; new and changed files are read, analysed and written on
//! a rayon pool feeding one `IndexWriter`. Unchanged files (same size and modification
//! time) are not opened; a file whose time changed but whose bytes did not is not read
//! again; documents whose files are gone from a crawled root are dropped. Work is
//! committed in batches, with the sync state saved after each commit, so Ctrl-C (which
//! commits and stops) or a killed process loses at most the batch in progress.

use std::collections::HashSet;
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Instant, SystemTime};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::prelude::*;

use crate::cli::IndexArgs;
use crate::cmd::{Outcome, Tally};
use crate::config;
use crate::crawl::{self, Candidate, CrawlOptions, Found};
use crate::extract::{self, Document, Item, Limits, SkipReason};
use crate::index::sync::{self, FileState, RootState, SyncState};
use crate::index::writer::{IndexedDocument, Writer};
use crate::index::{clear_index, open_index};
use crate::year::{self, YearRange};

/// Most documents read between two looks at the clock and the Ctrl-C flag.
const CHUNK: usize = 256;
/// Commit after `--batch` documents or this many seconds, whichever comes first.
const COMMIT_SECONDS: f64 = 15.0;

/// Set by Ctrl-C: finish the documents in hand, commit, stop.
static INTERRUPTED: AtomicBool = AtomicBool::new(false);

/// What happened to one file this run.
enum Change {
    /// Read and written to the index: a file, or the documents of a bundle (how many,
    /// and what inside it could not be read or was passed over).
    Indexed(FileState, usize, Vec<Item>),
    /// Its time changed, its bytes did not: only the state is updated.
    Touched(FileState),
    /// Could not be read.
    Skipped(FileState, SkipReason),
    /// Not reached before Ctrl-C.
    NotReached,
}

#[derive(Default)]
struct Counts {
    new: usize,
    changed: usize,
    unchanged: usize,
    removed: usize,
}

pub fn run(args: &IndexArgs, index_flag: Option<&Path>) -> anyhow::Result<Outcome> {
    let started = Instant::now();
    let dir = config::require_index_dir(index_flag)?;
    let mut roots = Vec::new();
    for root in &args.roots {
        anyhow::ensure!(root.exists(), "{}: no such file or folder", root.display());
        roots.push(config::absolute(root));
    }
    if args.rebuild {
        clear_index(&dir)?;
    }
    let (index, fields) = open_index(&dir, true)?;
    let threads = rayon::current_num_threads().clamp(1, 8);
    let memory = usize::try_from(args.memory).unwrap_or(256) * 1024 * 1024;
    let mut writer = Writer::new(&index, fields, &dir, threads, memory)?;
    let profile = Profile::default();
    let mut state = SyncState::load(&dir);
    if args.rebuild {
        writer.delete_all()?;
        state = SyncState::default();
    }
    let _ = ctrlc::set_handler(|| INTERRUPTED.store(true, Ordering::SeqCst));

    // Walk, and sort what was found against what the index knows.
    let options = CrawlOptions {
        follow_links: args.follow,
        exclude: vec![config::absolute(&dir)],
    };
    let mut tally = Tally::default();
    let mut counts = Counts::default();
    let mut found = 0usize;
    let mut seen: HashSet<String> = HashSet::new();
    let mut work: Vec<(Candidate, Option<FileState>)> = Vec::new();
    let walk_started = Instant::now();
    crawl::crawl(&roots, &options, |item| match item {
        Found::Candidate(c) => {
            found += 1;
            let key = sync::key_of(&c.path);
            let known = state.files.get(&key).cloned();
            seen.insert(key);
            match known {
                Some(f) if f.size == c.size && f.mtime_ns == sync::mtime_ns(c.mtime) => {
                    if let Some(reason) = &f.skipped {
                        // Skipped before and unchanged since: not retried.
                        *tally.skipped.entry("unchanged since skipped").or_default() += 1;
                        if args.verbose {
                            eprintln!("dangan: skipped {}: {reason} (unchanged)", c.path.display());
                        }
                    } else {
                        // A bundle counts as the documents it holds.
                        counts.unchanged += f.members.len().max(1);
                        found += f.members.len().saturating_sub(1);
                    }
                }
                known => work.push((c, known)),
            }
        }
        Found::Skipped { path, reason } => tally.note(&path, &reason, true, args.verbose),
    });

    let walk = walk_started.elapsed();

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
    for key in &gone {
        if let Some(file) = state.files.remove(key)
            && file.skipped.is_none()
        {
            counts.removed += forget(&writer, key, &file);
        }
    }

    let progress = progress_bar(work.len() as u64);
    let limits = Limits::default();
    let range = YearRange::current();
    let mut since_commit = 0usize;
    let mut last_commit = Instant::now();
    let mut pending: Vec<(String, FileState)> = Vec::new();
    let mut processed = 0usize;
    let batch = usize::try_from(args.batch).unwrap_or(usize::MAX);
    for chunk in work.chunks(CHUNK.min(batch)) {
        let changes: Vec<(&Candidate, bool, Change)> = chunk
            .par_iter()
            .map(|(candidate, known)| {
                let change = if INTERRUPTED.load(Ordering::SeqCst) {
                    Change::NotReached
                } else {
                    sync_one(&writer, candidate, known.as_ref(), &limits, range, &profile)
                };
                progress.inc(1);
                (candidate, known.is_some(), change)
            })
            .collect();
        for (candidate, was_known, change) in changes {
            let key = sync::key_of(&candidate.path);
            match change {
                Change::Indexed(file, documents, items) => {
                    *(if was_known {
                        &mut counts.changed
                    } else {
                        &mut counts.new
                    }) += documents;
                    found += documents.saturating_sub(1);
                    since_commit += documents.max(1);
                    for item in items {
                        match item {
                            Item::Document {
                                path,
                                result: Err(reason),
                                ..
                            } => tally.note(&path, &reason, false, args.verbose),
                            Item::PassedOver { path, reason } => {
                                tally.note(&path, &reason, true, args.verbose)
                            }
                            Item::Document { .. } => {}
                        }
                    }
                    pending.push((key, file));
                }
                Change::Touched(file) => {
                    counts.unchanged += file.members.len().max(1);
                    found += file.members.len().saturating_sub(1);
                    pending.push((key, file));
                }
                Change::Skipped(file, reason) => {
                    if let Some(old) = state.files.get(&key).filter(|f| f.skipped.is_none()) {
                        // It was indexed before and cannot be read now: drop the stale copy.
                        forget(&writer, &key, old);
                    }
                    tally.note(&candidate.path, &reason, false, args.verbose);
                    pending.push((key, file));
                }
                Change::NotReached => continue,
            }
            processed += 1;
        }
        let due = since_commit >= batch || last_commit.elapsed().as_secs_f64() >= COMMIT_SECONDS;
        if due || INTERRUPTED.load(Ordering::SeqCst) {
            let t = Instant::now();
            commit(&mut writer, &mut state, &mut pending, &dir)?;
            profile.commits.fetch_add(nanos(t), Ordering::Relaxed);
            since_commit = 0;
            last_commit = Instant::now();
        }
        if INTERRUPTED.load(Ordering::SeqCst) {
            break;
        }
    }
    progress.finish_and_clear();
    let interrupted = INTERRUPTED.load(Ordering::SeqCst);
    if !interrupted {
        let now = SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        for root in &roots {
            state
                .roots
                .insert(sync::key_of(root), RootState { last_sync: now });
        }
    }
    let t = Instant::now();
    commit(&mut writer, &mut state, &mut pending, &dir)?;
    profile.commits.fetch_add(nanos(t), Ordering::Relaxed);
    let t = Instant::now();
    if !interrupted {
        writer.finish()?;
    }
    profile.merges.fetch_add(nanos(t), Ordering::Relaxed);

    let skipped = tally.summary(args.verbose);
    eprintln!(
        "dangan: {found} documents found: {} indexed ({} new, {} changed), {} unchanged, {} removed{skipped} in {:.1} s → {}",
        counts.new + counts.changed,
        counts.new,
        counts.changed,
        counts.unchanged,
        counts.removed,
        started.elapsed().as_secs_f64(),
        dir.display()
    );
    if args.profile {
        profile.report(walk, started.elapsed());
    }
    if interrupted {
        let left = work.len() - processed;
        eprintln!(
            "dangan: interrupted: what was read is committed; {left} documents are left for the next run"
        );
        return Ok(Outcome::Interrupted);
    }
    Ok(Outcome::Success)
}

/// Takes a file's documents out of the index (a bundle's are its members); how many.
fn forget(writer: &Writer, key: &str, file: &FileState) -> usize {
    writer.delete(&sync::key_bytes(key));
    for member in &file.members {
        writer.delete(&sync::key_bytes(member));
    }
    file.members.len().max(1)
}

/// Commits the writer, then records what the commit made durable.
fn commit(
    writer: &mut Writer,
    state: &mut SyncState,
    pending: &mut Vec<(String, FileState)>,
    dir: &Path,
) -> anyhow::Result<()> {
    writer.commit()?;
    state.files.extend(pending.drain(..));
    state
        .save(dir)
        .map_err(|e| anyhow::anyhow!("cannot save the sync state in {}: {e}", dir.display()))?;
    Ok(())
}

/// Brings one new or changed file into the index.
fn sync_one(
    writer: &Writer,
    candidate: &Candidate,
    known: Option<&FileState>,
    limits: &Limits,
    range: YearRange,
    profile: &Profile,
) -> Change {
    let mut file = FileState {
        size: candidate.size,
        mtime_ns: sync::mtime_ns(candidate.mtime),
        hash: 0,
        root: sync::key_of(&candidate.root),
        skipped: None,
        members: Vec::new(),
    };
    // A file of modest size is read once: hashed, then extracted from memory.
    let bundle = extract::bundle::is_bundle_path(&candidate.path);
    let mut bytes = None;
    let started = Instant::now();
    let hashed = if !bundle && candidate.size <= READ_WHOLE {
        std::fs::read(&candidate.path).map(|b| sync::bytes_hash(bytes.insert(b)))
    } else {
        sync::file_hash(&candidate.path)
    };
    profile.hash.fetch_add(nanos(started), Ordering::Relaxed);
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
        return Change::Touched(file);
    }
    if !bundle {
        let started = Instant::now();
        let read = match bytes {
            Some(bytes) => extract::extract_bytes(&candidate.path, bytes, limits),
            None => extract::extract_file(&candidate.path, limits),
        };
        profile.extract.fetch_add(nanos(started), Ordering::Relaxed);
        return match index_one(
            writer,
            &candidate.path,
            candidate,
            candidate.size,
            read,
            range,
            profile,
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
            match index_one(writer, &path, candidate, size, result, range, profile) {
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
    profile: &Profile,
) -> Result<(), SkipReason> {
    let doc = read?;
    let started = Instant::now();
    let (title, year) = year::title_and_year(&doc, path, range);
    let text = doc.text();
    profile.year.fetch_add(nanos(started), Ordering::Relaxed);
    // One huge document at a time: its copies in flight do not multiply by the threads.
    let _one_huge = (text.len() > HUGE_TEXT).then(|| HUGE.lock().unwrap_or_else(|e| e.into_inner()));
    let indexed = IndexedDocument {
        path,
        root: &candidate.root,
        title: &title,
        text: &text,
        year,
        size,
        mtime: candidate.mtime,
        format: &extract::format_of(path),
    };
    let times = writer
        .upsert(&indexed)
        .map_err(|e| SkipReason::Internal(e.to_string()))?;
    profile
        .analyse
        .fetch_add(times.analyse.as_nanos() as u64, Ordering::Relaxed);
    profile
        .hand_off
        .fetch_add(times.hand_off.as_nanos() as u64, Ordering::Relaxed);
    Ok(())
}

/// Files up to this size are read into memory once, for the hash and the extraction.
const READ_WHOLE: u64 = 32 * 1024 * 1024;

/// Text above which a document is indexed by one thread at a time.
const HUGE_TEXT: usize = 4 * 1024 * 1024;
static HUGE: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn nanos(since: Instant) -> u64 {
    since.elapsed().as_nanos() as u64
}

/// Time per stage for `--profile`: CPU time summed over the threads that ran the stage,
/// and wall time for the commits and the final merges.
#[derive(Default)]
struct Profile {
    hash: AtomicU64,
    extract: AtomicU64,
    year: AtomicU64,
    analyse: AtomicU64,
    hand_off: AtomicU64,
    commits: AtomicU64,
    merges: AtomicU64,
}

impl Profile {
    fn report(&self, walk: std::time::Duration, wall: std::time::Duration) {
        let secs = |a: &AtomicU64| a.load(Ordering::Relaxed) as f64 / 1e9;
        let ours = secs(&self.hash) + secs(&self.extract) + secs(&self.year) + secs(&self.analyse);
        eprintln!("dangan: profile (thread seconds are summed over the threads that ran the stage)");
        eprintln!("  walk the folders          {:7.2} s wall", walk.as_secs_f64());
        eprintln!("  hash the files            {:7.2} s threads", secs(&self.hash));
        eprintln!(
            "  extract (unzip, XML …)    {:7.2} s threads",
            secs(&self.extract)
        );
        eprintln!("  title and report year     {:7.2} s threads", secs(&self.year));
        eprintln!(
            "  normalise, build document {:7.2} s threads",
            secs(&self.analyse)
        );
        eprintln!(
            "  wait for the indexer      {:7.2} s threads (tantivy's threads tokenise and write postings)",
            secs(&self.hand_off)
        );
        eprintln!("  commits                   {:7.2} s wall", secs(&self.commits));
        eprintln!("  final merges              {:7.2} s wall", secs(&self.merges));
        match process_cpu_seconds() {
            Some(cpu) => eprintln!(
                "  process CPU {cpu:.2} s over {:.2} s wall; tokenising, postings, segments ≈ {:.2} s of it",
                wall.as_secs_f64(),
                (cpu - ours).max(0.0)
            ),
            None => eprintln!("  {:.2} s wall", wall.as_secs_f64()),
        }
    }
}

/// User + system CPU time of this process, from `/proc/self/stat` (Linux).
fn process_cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name (which may hold spaces) start at ") ".
    let rest = &stat[stat.rfind(')')? + 2..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks: f64 = fields.get(11)?.parse::<f64>().ok()? + fields.get(12)?.parse::<f64>().ok()?;
    // The kernel reports these in USER_HZ, 100 on every Linux platform Rust targets.
    Some(ticks / 100.0)
}

/// A bar on stderr when it is a terminal; hidden otherwise.
fn progress_bar(len: u64) -> ProgressBar {
    use std::io::IsTerminal;
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(len), ProgressDrawTarget::stderr());
    if let Ok(style) = ProgressStyle::with_template("{bar:40} {pos}/{len} documents  {elapsed}") {
        bar.set_style(style);
    }
    bar
}
