//! Command-line arguments as clap derive types; nothing here acts on them.

use std::ffi::OsString;
use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

use crate::meta::DocDate;

/// dangan (档案): make a folder tree of Chinese office documents searchable.
#[derive(Debug, Parser)]
#[command(name = "dangan", version, about, long_about = None)]
pub struct Cli {
    /// Index directory [default: $DANGAN_INDEX, else the data dir, e.g. ~/.local/share/dangan].
    #[arg(long, global = true, value_name = "IDX")]
    pub index: Option<PathBuf>,

    /// The subcommand to run.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands; each variant's doc comment is its `--help` text.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Crawl folders, read every document and add it to the index.
    ///
    /// Re-running replaces each document by its path. Lock files and formats not read
    /// yet are passed over and counted; documents that cannot be read are skipped with a
    /// one-line reason.
    ///
    /// Examples:
    ///   dangan index ~/档案
    ///   dangan index --index /data/idx 近三年创建工作资料/ 2020年以前/
    #[command(verbatim_doc_comment)]
    Index(IndexArgs),

    /// Search the index. Terms are ANDed; `OR` joins alternatives; `-term` excludes;
    /// "…" is an exact phrase; title:term matches titles only.
    ///
    /// Chinese terms match as substrings (族团 finds 民族团结); Latin letters and digits
    /// as whole words, in any case and width (ＧＤＰ finds GDP).
    ///
    /// Examples:
    ///   dangan search 民族团结 宣传月
    ///   dangan search 乡村振兴 OR 河长制 --year 2022
    ///   dangan search 安全生产 -疫情
    ///   dangan search '"工作 总结"' title:2023
    #[command(verbatim_doc_comment)]
    Search(SearchArgs),

    /// Every indexed document, newest report year first, grouped by year; documents
    /// without a year last.
    ///
    /// Examples:
    ///   dangan list --year 2022
    ///   dangan list --from 2021 --to 2023 --json
    #[command(verbatim_doc_comment)]
    List(ListArgs),

    /// How many indexed documents each report year has.
    Years(YearsArgs),

    /// Write the archive catalogue (归档文件目录, after DA/T 22-2015): one row per document
    /// — 件号, 文号, 责任者, 题名, 日期, 页数, 密级, 备注 — grouped by report year.
    ///
    /// `-o FILE.xlsx` writes a workbook with one sheet per year, set up to print on A4
    /// landscape; `-o FILE.csv` writes UTF-8 with a BOM (Excel opens it in Chinese), with a
    /// 年度 column; without -o the table goes to the terminal. The filters and an optional
    /// query choose the documents.
    ///
    /// Examples:
    ///   dangan catalog --from 2021 --to 2023 -o 目录.xlsx
    ///   dangan catalog --kind 通知 --issuer 人民政府 -o 通知目录.csv
    ///   dangan catalog 创建 --year 2023
    #[command(verbatim_doc_comment)]
    Catalog(CatalogArgs),

    /// Reports that recur year after year — one unit's titles the same but for their years
    /// (青山镇2021年河长制工作总结, 青山镇2023年河长制工作总结) — with the years present and the
    /// years missing between the first and the last.
    ///
    /// Examples:
    ///   dangan series
    ///   dangan series --json
    #[command(verbatim_doc_comment)]
    Series(SeriesArgs),

    /// Where the index is, what it holds, when each folder was last synced, and the files
    /// that could not be read, with their reasons.
    Status(StatusArgs),

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

    /// Serve the index as a Chinese web page and a JSON API, read-only.
    ///
    /// Listens on 127.0.0.1:8940 (this computer only) unless --listen says otherwise; an
    /// address other computers can reach needs --password-file (users log in once) or an
    /// explicit --no-password. Searches see `dangan index` commits within a second.
    ///
    /// Examples:
    ///   dangan serve                       # then open http://127.0.0.1:8940/
    ///   dangan serve --listen 0.0.0.0:8940 --password-file /etc/dangan-password
    ///   dangan serve --watch               # index changes as they happen
    #[command(verbatim_doc_comment)]
    Serve(ServeArgs),

    /// Write every indexed document once — copies and drafts not folded — with every
    /// field `list --json` shows, its id, root, format, size and whole text: NDJSON, one
    /// object per line, for scripts and for loading into another search engine.
    ///
    /// --es-bulk NAME writes Elasticsearch/OpenSearch `_bulk` form instead: an
    /// `{"index":{"_index":NAME,"_id":ID}}` line before each document.
    ///
    /// Examples:
    ///   dangan export --ndjson > archive.ndjson
    ///   dangan export --es-bulk dangan | curl -H 'Content-Type: application/x-ndjson' \
    ///       --data-binary @- http://localhost:9200/_bulk
    #[command(verbatim_doc_comment)]
    Export(ExportArgs),
}

/// `dangan export`: the form of the dump.
#[derive(Debug, clap::Args)]
pub struct ExportArgs {
    /// NDJSON, one document per line (the default; the flag says it in scripts).
    #[arg(long, conflicts_with = "es_bulk")]
    pub ndjson: bool,

    /// Elasticsearch/OpenSearch `_bulk` form into the index NAME: an action line before
    /// each document, `_id` the document's id.
    #[arg(long, value_name = "NAME")]
    pub es_bulk: Option<String>,
}

/// `dangan serve`: where to listen, who may log in, and whether to keep the index in step.
#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// Address and port to listen on.
    #[arg(long, value_name = "ADDR:PORT", default_value = "127.0.0.1:8940")]
    pub listen: std::net::SocketAddr,

    /// A file whose first line is the password users log in with.
    #[arg(long, value_name = "FILE", conflicts_with = "no_password")]
    pub password_file: Option<PathBuf>,

    /// Serve without a password on an address other computers can reach.
    #[arg(long)]
    pub no_password: bool,

    /// Keep the index's folders in step while serving: changes are indexed as they
    /// happen (and every --poll seconds, for network drives that send no events).
    #[arg(long)]
    pub watch: bool,

    /// With --watch: sync the folders at least this often, in seconds.
    #[arg(long, value_name = "SECONDS", default_value_t = 60, requires = "watch", value_parser = clap::value_parser!(u64).range(1..=86400))]
    pub poll: u64,
}

/// `dangan extract`: the files to read and how to print what they hold.
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

/// `dangan index`: the roots to crawl and how to write the index (raw values;
/// [`crate::index::pipeline::SyncOptions`] is what the pipeline takes).
#[derive(Debug, clap::Args)]
pub struct IndexArgs {
    /// Start from an empty index (also the way past an index of another dangan version).
    #[arg(long)]
    pub rebuild: bool,

    /// Follow symbolic links when walking folders.
    #[arg(short = 'L', long)]
    pub follow: bool,

    /// Also name each file the walk passes over (lock files, formats not read yet).
    #[arg(short, long)]
    pub verbose: bool,

    /// Commit after every N documents read (also every 15 s): what an interrupted run
    /// keeps.
    #[arg(long, value_name = "N", default_value_t = 4000, value_parser = clap::value_parser!(u64).range(1..))]
    pub batch: u64,

    /// Memory for the index writer's buffers, in MiB, shared by its threads (the larger,
    /// the fewer segments; peak memory is about this plus 100 MiB).
    #[arg(long, value_name = "MIB", default_value_t = 256, value_parser = clap::value_parser!(u64).range(32..=4096))]
    pub memory: u64,

    /// Print where the time went: each stage's CPU time summed over threads, and the
    /// wall time of the walk, the commits and the final merges.
    #[arg(long)]
    pub profile: bool,

    /// Folders (or files) to index.
    #[arg(required = true, value_name = "DIR")]
    pub roots: Vec<PathBuf>,
}

/// How search orders its hits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SortOrder {
    /// Most relevant first.
    Relevance,
    /// Newest report year first (none last), then most relevant.
    Year,
}

/// A range of report years, as `--year` or `--from`/`--to` give it.
#[derive(Debug, Clone, Copy, Default, clap::Args)]
pub struct YearArgs {
    /// Only documents of this report year.
    #[arg(long, value_name = "Y", conflicts_with_all = ["from", "to"])]
    pub year: Option<i32>,

    /// Only documents of this report year or later.
    #[arg(long, value_name = "Y")]
    pub from: Option<i32>,

    /// Only documents of this report year or earlier.
    #[arg(long, value_name = "Y")]
    pub to: Option<i32>,
}

/// The contract's filters: report years, document date, kind and issuing office.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct FilterArgs {
    /// The report years (all when none is given).
    #[command(flatten)]
    pub years: YearArgs,

    /// Only documents dated in or after this period: 2023, 2023-06 or 2023-06-30 (a
    /// document dated only by month or year matches when its period overlaps).
    #[arg(long, value_name = "D", value_parser = crate::date::parse_filter_date)]
    pub date_from: Option<DocDate>,

    /// Only documents dated in or before this period: 2023, 2023-06 or 2023-06-30.
    #[arg(long, value_name = "D", value_parser = crate::date::parse_filter_date)]
    pub date_to: Option<DocDate>,

    /// Only documents of this kind (通知, 报告, 总结 …); repeat for either of several.
    #[arg(long, value_name = "KIND", value_parser = crate::meta::parse_kind)]
    pub kind: Vec<String>,

    /// Only documents whose issuing office contains this text (县人民政府).
    #[arg(long, value_name = "TEXT")]
    pub issuer: Option<String>,

    /// Every file on its own, copies included (by default files with the same text are
    /// one document, the others listed as its copies).
    #[arg(long)]
    pub all_copies: bool,
}

/// `dangan list`: which documents to list, and how.
#[derive(Debug, clap::Args)]
pub struct ListArgs {
    /// Which documents to list (all when no filter is given).
    #[command(flatten)]
    pub filters: FilterArgs,

    /// Print NDJSON: one object per document.
    #[arg(long)]
    pub json: bool,
}

/// `dangan catalog`: which documents, and where the catalogue goes.
#[derive(Debug, clap::Args)]
pub struct CatalogArgs {
    /// Which documents to take (all when no filter is given).
    #[command(flatten)]
    pub filters: FilterArgs,

    /// Write to FILE: `.xlsx` (one sheet per year) or `.csv` (UTF-8 with BOM); its folder
    /// must exist. Without it the table is printed.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Only documents that match this query (the `search` syntax).
    #[arg(value_name = "QUERY", allow_hyphen_values = true)]
    pub query: Vec<String>,
}

/// `dangan series`: text or NDJSON.
#[derive(Debug, clap::Args)]
pub struct SeriesArgs {
    /// Print NDJSON: one object per series.
    #[arg(long)]
    pub json: bool,
}

/// `dangan status`: text or JSON.
#[derive(Debug, clap::Args)]
pub struct StatusArgs {
    /// Print one JSON object.
    #[arg(long)]
    pub json: bool,
}

/// `dangan years`: text or NDJSON.
#[derive(Debug, clap::Args)]
pub struct YearsArgs {
    /// Print NDJSON: one object per year.
    #[arg(long)]
    pub json: bool,
}

/// When to colour output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// On a terminal, unless NO_COLOR is set.
    Auto,
    /// Even when output is piped or NO_COLOR is set.
    Always,
    /// Plain text.
    Never,
}

/// `dangan search`: the query words, the year filter, and how many hits to print, in
/// which order and form.
#[derive(Debug, clap::Args)]
pub struct SearchArgs {
    /// Only hits that pass these filters.
    #[command(flatten)]
    pub filters: FilterArgs,

    /// Show at most N hits (0: all).
    #[arg(short = 'n', long = "max-count", value_name = "N", default_value_t = 20)]
    pub limit: usize,

    /// Print NDJSON: one object per hit.
    #[arg(long)]
    pub json: bool,

    /// Order hits by relevance, or by report year (newest first, then relevance).
    #[arg(long, value_enum, value_name = "ORDER", default_value_t = SortOrder::Relevance)]
    pub sort: SortOrder,

    /// When to colour the output.
    #[arg(long, value_enum, value_name = "WHEN", default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,

    /// The query (several arguments are joined with spaces; options may come anywhere).
    #[arg(required = true, value_name = "QUERY", allow_hyphen_values = true)]
    pub query: Vec<String>,
}

/// The commands that take a query as their last words.
const QUERY_COMMANDS: [&str; 2] = ["search", "catalog"];

/// A query command's options, as clap knows them: those that take a value and the flags,
/// each by every name (`-n`, `--max-count`).
fn query_command_options(name: &str) -> (Vec<String>, Vec<String>) {
    use clap::CommandFactory;
    let mut values = Vec::new();
    let mut flags = vec!["-h".to_string(), "--help".to_string()];
    let command = Cli::command();
    let Some(search) = command.find_subcommand(name) else {
        return (values, flags);
    };
    for arg in search.get_arguments().chain(command.get_arguments()) {
        if arg.is_positional() {
            continue;
        }
        let names: Vec<String> = arg
            .get_short_and_visible_aliases()
            .unwrap_or_default()
            .into_iter()
            .map(|c| format!("-{c}"))
            .chain(
                arg.get_long_and_visible_aliases()
                    .unwrap_or_default()
                    .into_iter()
                    .map(|l| format!("--{l}")),
            )
            .collect();
        if arg.get_action().takes_values() {
            values.extend(names)
        } else {
            flags.extend(names)
        }
    }
    (values, flags)
}

/// Lets `search` and `catalog` take their options anywhere and `-term` exclusions as
/// query words: `dangan search 安全生产 -疫情 -n 5` becomes
/// `dangan search -n 5 -- 安全生产 -疫情`. Other command lines are returned unchanged.
pub fn reorder_query_args(args: Vec<OsString>) -> Vec<OsString> {
    let mut i = 1;
    while i < args.len() {
        let arg = args[i].to_string_lossy();
        if arg == "--index" {
            i += 2;
        } else if arg.starts_with('-') {
            i += 1;
        } else {
            break;
        }
    }
    let Some(command) = args
        .get(i)
        .and_then(|a| QUERY_COMMANDS.iter().find(|c| a.as_os_str() == **c))
    else {
        return args;
    };
    let (value_options, flags) = query_command_options(command);
    let (head, rest) = args.split_at(i + 1);
    let mut options = Vec::new();
    let mut words = Vec::new();
    let mut j = 0;
    while j < rest.len() {
        let arg = rest[j].to_string_lossy();
        let is_value_option = value_options.iter().any(|o| o == arg.as_ref());
        let is_joined = value_options.iter().any(|o| arg.starts_with(&format!("{o}=")))
            || (arg.starts_with("-n") && arg[2..].parse::<usize>().is_ok());
        if arg == "--" {
            words.extend_from_slice(&rest[j + 1..]);
            break;
        } else if is_value_option {
            options.extend(rest[j..(j + 2).min(rest.len())].iter().cloned());
            j += 2;
            continue;
        } else if is_joined || flags.iter().any(|f| f == arg.as_ref()) {
            options.push(rest[j].clone());
        } else {
            words.push(rest[j].clone());
        }
        j += 1;
    }
    let mut out = head.to_vec();
    out.extend(options);
    if !words.is_empty() {
        out.push("--".into());
        out.extend(words);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reorder(line: &str) -> String {
        let args = line.split(' ').map(OsString::from).collect();
        let out: Vec<String> = reorder_query_args(args)
            .iter()
            .map(|a| a.to_string_lossy().into_owned())
            .collect();
        out.join(" ")
    }

    #[test]
    fn search_options_anywhere_and_exclusions_as_words() {
        let cases = [
            (
                "dangan search 安全生产 -疫情 -n 5",
                "dangan search -n 5 -- 安全生产 -疫情",
            ),
            (
                "dangan search -疫情 安全 --json",
                "dangan search --json -- -疫情 安全",
            ),
            (
                "dangan --index x search 甲 --year=2022 -n3",
                "dangan --index x search --year=2022 -n3 -- 甲",
            ),
            ("dangan search 甲 -- -n", "dangan search -- 甲 -n"),
            ("dangan search --json", "dangan search --json"),
            ("dangan extract -n 甲", "dangan extract -n 甲"),
        ];
        for (input, want) in cases {
            assert_eq!(reorder(input), want, "{input}");
        }
    }
}
