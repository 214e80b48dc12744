//! `serve --watch`: keep the index's roots in step while the server runs.
//!
//! A background thread hears file-system events under the roots (inotify and its kin, via
//! the `notify` crate), waits until they have been quiet for a moment (a copy of a whole
//! folder is one sync, not hundreds), and runs the index pipeline. Network drives often
//! send no events, so the roots are also synced every poll interval whatever was heard;
//! an unchanged sync costs a walk and no reading. Another `dangan index` holding the
//! writer lock is waited out, never fought.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::{RecvTimeoutError, channel};
use std::time::{Duration, Instant};

use notify::{RecursiveMode, Watcher};

use crate::index::IndexError;
use crate::index::pipeline::{self, Quiet, SyncOptions};

/// How long events must be quiet before a sync starts.
const QUIET: Duration = Duration::from_millis(1500);
/// The longest a stream of events may put a sync off.
const MOST_WAIT: Duration = Duration::from_secs(10);

/// What the watcher tells the pages.
#[derive(Debug, Default)]
pub struct WatchState {
    /// When the last sync finished (seconds since the Unix epoch; 0: none yet).
    pub last_sync: AtomicU64,
    /// Documents the last sync indexed, changed or removed.
    pub last_changes: AtomicU64,
    /// Set to stop the watcher (and any sync in progress, after its next commit).
    pub stop: AtomicBool,
}

/// Starts the watcher thread for the index at `dir` over `roots`.
pub fn spawn(
    dir: PathBuf,
    roots: Vec<PathBuf>,
    poll: Duration,
    state: Arc<WatchState>,
) -> std::thread::JoinHandle<()> {
    std::thread::Builder::new()
        .name("dangan-watch".into())
        .spawn(move || watch(&dir, &roots, poll, &state))
        .unwrap_or_else(|e| {
            eprintln!("dangan: --watch: cannot start the watcher thread: {e}");
            std::thread::spawn(|| {})
        })
}

fn watch(dir: &Path, roots: &[PathBuf], poll: Duration, state: &WatchState) {
    let (tx, rx) = channel();
    let index_dir = crate::crawl::absolute(dir);
    let mut watcher = match notify::recommended_watcher(tx) {
        Ok(watcher) => Some(watcher),
        Err(e) => {
            eprintln!(
                "dangan: --watch: no file-system events here ({e}); polling every {} s",
                poll.as_secs()
            );
            None
        }
    };
    for root in roots {
        if let Some(w) = watcher.as_mut()
            && let Err(e) = w.watch(root, RecursiveMode::Recursive)
        {
            eprintln!(
                "dangan: --watch: no events from {} ({e}); polling it every {} s",
                root.display(),
                poll.as_secs()
            );
        }
    }
    // First bring the index in step with what changed while nobody watched.
    sync(dir, roots, state);
    let mut next_poll = Instant::now() + poll;
    let mut pending_since: Option<Instant> = None;
    let mut last_event = Instant::now();
    while !state.stop.load(Ordering::SeqCst) {
        let now = Instant::now();
        let mut wait = next_poll.saturating_duration_since(now);
        if let Some(since) = pending_since {
            let due = (last_event + QUIET).min(since + MOST_WAIT);
            wait = wait.min(due.saturating_duration_since(now));
        }
        // Wake at least twice a second to notice a stop.
        match rx.recv_timeout(wait.min(Duration::from_millis(500))) {
            Ok(Ok(event)) => {
                // The index's own files change with every commit: not a reason to sync.
                if event.paths.iter().any(|p| !p.starts_with(&index_dir)) {
                    pending_since.get_or_insert_with(Instant::now);
                    last_event = Instant::now();
                }
            }
            Ok(Err(_)) => {
                // An overflowed queue or a dropped watch: sync to be sure.
                pending_since.get_or_insert_with(Instant::now);
            }
            Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => {
                // No events any more: polling alone.
                std::thread::sleep(wait.min(Duration::from_millis(500)));
            }
        }
        let now = Instant::now();
        let events_due =
            pending_since.is_some_and(|since| now >= last_event + QUIET || now >= since + MOST_WAIT);
        if events_due || now >= next_poll {
            sync(dir, roots, state);
            pending_since = None;
            next_poll = Instant::now() + poll;
        }
    }
}

/// One sync of the roots; a locked index is left for the next turn.
fn sync(dir: &Path, roots: &[PathBuf], state: &WatchState) {
    let options = SyncOptions::new(roots.to_vec());
    match pipeline::sync_roots(dir, &options, &Quiet, &state.stop) {
        Ok(report) => {
            let changes = report.new + report.changed + report.removed;
            if changes > 0 {
                eprintln!(
                    "dangan: --watch: {} new, {} changed, {} removed, {} skipped",
                    report.new,
                    report.changed,
                    report.removed,
                    report.skipped.len()
                );
            }
            state.last_changes.store(changes as u64, Ordering::Relaxed);
            state.last_sync.store(crate::date::now_secs(), Ordering::Relaxed);
        }
        Err(IndexError::Locked { .. }) => {
            // Another `dangan index` is at work; its commits reach the page anyway.
        }
        Err(e) => eprintln!("dangan: --watch: {e}"),
    }
}
