//! The index's fields and [`open_index`], the one place the tokenizers are registered, so
//! writer and reader analyse text alike. A format file beside tantivy's own says which
//! dangan layout the index has, so a future change can ask for a rebuild instead of
//! misreading.

use std::path::{Path, PathBuf};

use tantivy::schema::{
    BytesOptions, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions,
};
use tantivy::{Index, TantivyError};

use crate::text::tokenizers::{BIGRAM, BigramTokenizer, WORD, WordTokenizer};

/// The layout version this build writes and reads.
pub const FORMAT_VERSION: u32 = 8;
const FORMAT_FILE: &str = "dangan-format.json";

/// Bytes of stored documents compressed together (tantivy's default is 16 KB). A hit reads
/// its document by decompressing the whole block it sits in, and a report's stored fields
/// are ~6 KB: at 4 KB a block holds one report (a few short notices), so listing 100,000
/// hits decompresses a third of the bytes. `search -n 0` of 99,442 hits at 100,000
/// documents: 2.3 s -> 1.6 s; the index grows 6% (624 -> 662 MB). Set when an index is
/// created: older indexes keep their 16 KB blocks and read as before.
const STORE_BLOCK: usize = 4096;

/// Errors opening or using an index; each names the index directory.
#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    /// No index in the directory (opening without `create`).
    #[error("no index at {0}: run `dangan index DIR` first")]
    Missing(PathBuf),
    /// The index was written by another dangan version, or with another schema.
    #[error(
        "the index at {path} was written by another dangan version (format {found}, this one reads {FORMAT_VERSION}): run `dangan index --rebuild DIR...`"
    )]
    Incompatible {
        /// The index directory.
        path: PathBuf,
        /// The format it has: its version number, `none`, or `with another schema`.
        found: String,
    },
    /// Another process holds the index's writer lock.
    #[error(
        "the index at {path} is being written by another `dangan index` ({holder}): wait for it to finish"
    )]
    Locked {
        /// The index directory.
        path: PathBuf,
        /// Who holds it (`process 1234`, from the note the writer leaves), else
        /// `another process`.
        holder: String,
    },
    /// A root to index does not exist.
    #[error("{0}: no such file or folder")]
    NoSuchRoot(PathBuf),
    /// `--rebuild` asked to empty a directory that holds other files than an index's.
    #[error("{0} holds files that are not a dangan index: refusing to rebuild there")]
    NotAnIndex(PathBuf),
    /// tantivy failed to open, write or read the index.
    #[error("cannot use the index at {path}: {source}")]
    Tantivy {
        /// The index directory.
        path: PathBuf,
        /// tantivy's error.
        source: TantivyError,
    },
    /// A file of the index directory could not be read or written.
    #[error("cannot use the index at {path}: {source}")]
    Io {
        /// The index directory.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
}

/// Every field of a dangan index.
#[derive(Debug, Clone, Copy)]
pub struct Fields {
    /// The file's path as bytes (lossless, the key a document is replaced by).
    pub path_key: Field,
    /// The document's id ([`super::sync::document_id`] of its path key): how the web
    /// page and API address it.
    pub id: Field,
    /// The path for display (lossy where the name is not UTF-8).
    pub path: Field,
    /// The crawled root the document was found under (for shorter display).
    pub root: Field,
    /// The title the title rules chose, stored for display (not searched: see
    /// `title_bigram` and `title_word`).
    pub title: Field,
    /// Everything `extract` shows as text, stored for snippets.
    pub text: Field,
    /// The normalised title as overlapping pairs of units, with positions: exact matching
    /// of `title:` terms and title matches.
    pub title_bigram: Field,
    /// The normalised title as jieba search-mode words and whole Latin/digit words, with
    /// frequencies but no positions: exact one-word matches in the title.
    pub title_word: Field,
    /// The normalised text as overlapping pairs of units, with positions: exact substring
    /// and phrase matching, and a cheap BM25 stand-in for a term's frequency.
    pub body_bigram: Field,
    /// The normalised text as jieba search-mode words and whole Latin/digit words, with
    /// frequencies but no positions: BM25 ranking and exact one-word matches.
    pub body_word: Field,
    /// The report year (indexed, stored, fast); absent when the document has none.
    pub year: Field,
    /// Which rule found the year ([`crate::year::YearSource::as_str`]); absent with it.
    pub year_source: Field,
    /// Bytes of the file, or of a bundle member inflated (stored, fast).
    pub size: Field,
    /// The file's modification time in seconds since the Unix epoch (a bundle member has
    /// its bundle's); 0 when unknown.
    pub mtime: Field,
    /// The format: the path's extension in lower case ([`crate::filetype::format_of`]),
    /// untokenised.
    pub format: Field,
    /// The official-document facts ([`crate::meta::Official`]) as JSON, stored for display.
    pub official: Field,
    /// The first day the document's date may mean, as `YYYYMMDD` (indexed, fast); absent
    /// when it has no date.
    pub date_lo: Field,
    /// The last day the document's date may mean, as `YYYYMMDD` (indexed, fast).
    pub date_hi: Field,
    /// The document number's [`crate::meta::number_key`], normalised, as pairs of units
    /// with positions: `no:` matches any part of it.
    pub number_bigram: Field,
    /// The same as whole words: one-word `no:` terms.
    pub number_word: Field,
    /// The issuing office(s), normalised, as pairs of units with positions: `issuer:` and
    /// `--issuer` match any part of it.
    pub issuer_bigram: Field,
    /// The same as whole words.
    pub issuer_word: Field,
    /// The kind (文种), untokenised: `kind:` and `--kind` match it exactly.
    pub kind: Field,
    /// The key of the normalised text ([`super::fold::copy_key`]; indexed, fast): copies
    /// share it. Absent for a text of white space only.
    pub copy_key: Field,
    /// The text's MinHash signature ([`super::versions::Signature::packed`]; fast, several
    /// values): drafts of one document have near-equal ones. Absent for a short text.
    pub minhash: Field,
    /// The unit the document is of ([`super::versions::unit_of`]; fast).
    pub unit: Field,
    /// A hash of the document number's key (fast); absent without a number.
    pub number_hash: Field,
    /// A hash of the numbers in the title ([`super::versions::title_numbers`]; fast).
    pub title_numbers: Field,
}

fn analysed(tokenizer: &str, record: IndexRecordOption) -> TextOptions {
    TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(tokenizer)
            .set_index_option(record),
    )
}

/// The schema and its fields.
pub fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let bigram = || analysed(BIGRAM, IndexRecordOption::WithFreqsAndPositions);
    let word = || analysed(WORD, IndexRecordOption::WithFreqs);
    let fields = Fields {
        path_key: b.add_bytes_field("path_key", BytesOptions::default().set_indexed()),
        id: b.add_u64_field("id", INDEXED | tantivy::schema::FAST),
        path: b.add_text_field("path", STORED),
        root: b.add_text_field("root", STORED),
        title: b.add_text_field("title", STORED),
        text: b.add_text_field("text", STORED),
        title_bigram: b.add_text_field("title_bigram", bigram()),
        title_word: b.add_text_field("title_word", word()),
        body_bigram: b.add_text_field("body_bigram", bigram()),
        body_word: b.add_text_field("body_word", word()),
        year: b.add_i64_field("year", INDEXED | STORED | tantivy::schema::FAST),
        year_source: b.add_text_field("year_source", STORED),
        size: b.add_u64_field("size", STORED | tantivy::schema::FAST),
        mtime: b.add_i64_field("mtime", STORED | tantivy::schema::FAST),
        format: b.add_text_field("format", STRING | STORED),
        official: b.add_text_field("official", STORED),
        date_lo: b.add_i64_field("date_lo", INDEXED | tantivy::schema::FAST),
        date_hi: b.add_i64_field("date_hi", INDEXED | tantivy::schema::FAST),
        number_bigram: b.add_text_field("number_bigram", bigram()),
        number_word: b.add_text_field("number_word", word()),
        issuer_bigram: b.add_text_field("issuer_bigram", bigram()),
        issuer_word: b.add_text_field("issuer_word", word()),
        kind: b.add_text_field("kind", STRING),
        copy_key: b.add_u64_field("copy_key", INDEXED | tantivy::schema::FAST),
        minhash: b.add_u64_field("minhash", tantivy::schema::FAST),
        unit: b.add_text_field("unit", TextOptions::default().set_fast("raw")),
        number_hash: b.add_u64_field("number_hash", tantivy::schema::FAST),
        title_numbers: b.add_u64_field("title_numbers", tantivy::schema::FAST),
    };
    (b.build(), fields)
}

fn register_tokenizers(index: &Index) {
    let tokenizers = index.tokenizers();
    tokenizers.register(BIGRAM, BigramTokenizer);
    tokenizers.register(WORD, WordTokenizer);
}

/// Opens the index at `dir`; with `create`, makes it (and the directory) when absent.
pub fn open_index(dir: &Path, create: bool) -> Result<(Index, Fields), IndexError> {
    let tantivy_err = |source| IndexError::Tantivy {
        path: dir.to_path_buf(),
        source,
    };
    let io_err = |source| IndexError::Io {
        path: dir.to_path_buf(),
        source,
    };
    let (schema, fields) = schema();
    let has_index = dir.join("meta.json").is_file();
    let index = if has_index {
        check_format(dir)?;
        let index = Index::open_in_dir(dir).map_err(tantivy_err)?;
        if index.schema() != schema {
            return Err(IndexError::Incompatible {
                path: dir.to_path_buf(),
                found: "with another schema".into(),
            });
        }
        index
    } else if create {
        // The format file first: a process killed between the two leaves a directory that
        // is simply created again, never an index without its format.
        std::fs::create_dir_all(dir).map_err(io_err)?;
        let format = format!("{{\"format\": {FORMAT_VERSION}}}\n");
        std::fs::write(dir.join(FORMAT_FILE), format).map_err(io_err)?;
        let settings = tantivy::IndexSettings {
            docstore_blocksize: STORE_BLOCK,
            ..tantivy::IndexSettings::default()
        };
        Index::builder()
            .schema(schema)
            .settings(settings)
            .create_in_dir(dir)
            .map_err(tantivy_err)?
    } else {
        return Err(IndexError::Missing(dir.to_path_buf()));
    };
    register_tokenizers(&index);
    Ok((index, fields))
}

/// Whether a directory entry is one of the files an index consists of.
fn is_index_file(name: &str) -> bool {
    const SUFFIXES: &[&str] = &[
        ".idx",
        ".pos",
        ".term",
        ".store",
        ".fast",
        ".fieldnorm",
        ".del",
        ".lock",
    ];
    name == "meta.json"
        || name == ".managed.json"
        || name.starts_with("dangan-")
        || name.starts_with(".tantivy")
        || SUFFIXES.iter().any(|s| name.ends_with(s))
}

/// Empties the index at `dir` so it can be built from scratch, whatever version wrote it;
/// refuses when the directory holds anything else.
pub fn clear_index(dir: &Path) -> Result<(), IndexError> {
    let io_err = |source| IndexError::Io {
        path: dir.to_path_buf(),
        source,
    };
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Ok(());
    };
    let entries: Vec<_> = entries.collect::<Result<_, _>>().map_err(io_err)?;
    let names: Vec<String> = entries
        .iter()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    if names.iter().any(|n| !is_index_file(n)) {
        return Err(IndexError::NotAnIndex(dir.to_path_buf()));
    }
    // meta.json first: interrupted here, what is left is no index, never a broken one.
    let meta = dir.join("meta.json");
    if meta.exists() {
        std::fs::remove_file(&meta).map_err(io_err)?;
    }
    for entry in entries.iter().filter(|e| e.path() != meta) {
        std::fs::remove_file(entry.path()).map_err(io_err)?;
    }
    Ok(())
}

fn check_format(dir: &Path) -> Result<(), IndexError> {
    let found = std::fs::read_to_string(dir.join(FORMAT_FILE))
        .ok()
        .and_then(|s| serde_json::from_str::<serde_json::Value>(&s).ok())
        .and_then(|v| v.get("format").and_then(|f| f.as_u64()));
    match found {
        Some(v) if v == u64::from(FORMAT_VERSION) => Ok(()),
        Some(v) => Err(IndexError::Incompatible {
            path: dir.to_path_buf(),
            found: v.to_string(),
        }),
        None => Err(IndexError::Incompatible {
            path: dir.to_path_buf(),
            found: "none".into(),
        }),
    }
}
