//! The `dangan` binary: parse arguments, run, map the outcome to exit 0/1/2.

use std::io::{BufWriter, ErrorKind};
use std::process::ExitCode;

use clap::Parser;
use dangan::{Outcome, cli::Cli};

fn main() -> ExitCode {
    bound_the_heap();
    if std::env::args_os()
        .nth(1)
        .is_some_and(|a| a == dangan::extract::pdf::WORKER_ARG)
    {
        return dangan::extract::pdf::worker_main();
    }
    let cli = Cli::parse_from(dangan::cli::reorder_query_args(std::env::args_os().collect()));
    let stdout = std::io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    match dangan::run(&cli, &mut out) {
        Ok(Outcome::Success) => ExitCode::SUCCESS,
        Ok(Outcome::Partial) => ExitCode::from(1),
        Ok(Outcome::Failed) => ExitCode::from(2),
        Ok(Outcome::Interrupted) => ExitCode::from(130),
        Err(err) if is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("dangan: {err:#}");
            ExitCode::from(2)
        }
    }
}

/// `dangan … | head` closes the pipe early: that is not an error.
/// glibc's malloc raises its mmap threshold each time a large block is freed (up to 32 MiB);
/// past that, tantivy's segment buffers, merges and the stored blocks of a long search are
/// carved from the heap's arenas, which fragment and are seldom given back: `index` of
/// 100,000 documents grew from 180 MB to 430 MB RssAnon while the heap in use stayed under
/// 170 MB (heaptrack). A fixed threshold keeps blocks of 1 MiB and more in mappings of
/// their own, returned when freed (430 MB → 300 MB, `docs/scale.md`).
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn bound_the_heap() {
    // SAFETY: mallopt only changes malloc's tuning; it is called first, before any thread.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 1 << 20);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn bound_the_heap() {}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain()
        .filter_map(|e| e.downcast_ref::<std::io::Error>())
        .any(|e| e.kind() == ErrorKind::BrokenPipe)
}
