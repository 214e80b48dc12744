//! Command-line arguments as clap derive types; nothing here acts on them.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

/// dangan (档案): make a folder tree of Chinese office documents searchable.
#[derive(Debug, Parser)]
#[command(name = "dangan", version, about, long_about = None)]
pub struct Cli {
    /// Index directory [default: $DANGAN_INDEX, else the data dir, e.g. ~/.local/share/dangan].
    #[arg(long, global = true, value_name = "IDX")]
    pub index: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Show what dangan reads from each file, without indexing it.
    ///
    /// Prints the title, report year and where it came from, metadata, characters per
    /// part and the text — or why the file was skipped. Folders are walked like `index`
    /// walks them.
    ///
    /// Examples:
    ///   dangan extract 2023年工作总结.docx
    ///   dangan extract --json 档案/2022/ | jq .title
    #[command(verbatim_doc_comment)]
    Extract(ExtractArgs),
}

#[derive(Debug, clap::Args)]
pub struct ExtractArgs {
    /// Print NDJSON: one object per file.
    #[arg(long)]
    pub json: bool,

    /// Follow symbolic links when walking folders.
    #[arg(short = 'L', long)]
    pub follow: bool,

    /// Also name each file the walk passes over (lock files, formats not read yet).
    #[arg(short, long)]
    pub verbose: bool,

    /// Human output: print only the header of each file, not its text.
    #[arg(long, conflicts_with = "json")]
    pub no_text: bool,

    /// Files or folders to read.
    #[arg(required = true, value_name = "FILE")]
    pub paths: Vec<PathBuf>,
}
