//! The `dangan` binary: parse arguments, run, map the outcome to exit 0/1/2.

use std::io::{BufWriter, ErrorKind};
use std::process::ExitCode;

use clap::Parser;
use dangan::{Outcome, cli::Cli};

fn main() -> ExitCode {
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
fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain()
        .filter_map(|e| e.downcast_ref::<std::io::Error>())
        .any(|e| e.kind() == ErrorKind::BrokenPipe)
}
