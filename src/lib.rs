//! dangan (档案): makes a folder tree of Chinese office documents searchable.
//!
//! The pipeline runs one way: [`crawl`] walks roots into candidates, [`extract`] reads
//! each into a [`extract::Document`] (text by part, paragraphs, metadata) or a
//! [`extract::SkipReason`], [`year`] derives the title and report year, and [`output`]
//! prints rows. [`run`] dispatches a parsed command line to its [`cmd`] module.

#![warn(missing_docs)]

pub mod catalog;
pub mod cli;
pub mod cmd;
pub mod config;
pub mod crawl;
pub mod date;
pub mod extract;
pub mod filetype;
pub mod index;
pub mod meta;
pub mod output;
pub mod query;
pub mod series;
pub mod serve;
pub mod skip;
pub mod snippet;
pub mod text;
pub mod year;

use std::io::Write;

pub use cmd::Outcome;

/// Runs one parsed command line, writing results to `out`.
pub fn run(cli: &cli::Cli, out: &mut impl Write) -> anyhow::Result<Outcome> {
    match &cli.command {
        cli::Command::Extract(args) => cmd::extract::run(args, cli.index.as_deref(), out),
        cli::Command::Index(args) => cmd::index::run(args, cli.index.as_deref()),
        cli::Command::Search(args) => cmd::search::run(args, cli.index.as_deref(), out),
        cli::Command::List(args) => cmd::list::run(args, cli.index.as_deref(), out),
        cli::Command::Years(args) => cmd::years::run(args, cli.index.as_deref(), out),
        cli::Command::Catalog(args) => cmd::catalog::run(args, cli.index.as_deref(), out),
        cli::Command::Series(args) => cmd::series::run(args, cli.index.as_deref(), out),
        cli::Command::Status(args) => cmd::status::run(args, cli.index.as_deref(), out),
        cli::Command::Serve(args) => cmd::serve::run(args, cli.index.as_deref()),
        cli::Command::Export(args) => cmd::export::run(args, cli.index.as_deref(), out),
    }
}
