//! The floor under `dangan index`: the bare pipeline the performance issue measures
//! against — inflate `word/document.xml`, take its `w:t` text with quick-xml, cut it with
//! jieba's search mode, and index the words in one tantivy field. No titles, years,
//! normalisation, exact-match field, stored text or sync state.
//!
//! ```sh
//! cargo run --release --example bench_bare -- CORPUS_DIR [INDEX_DIR] [--exact]
//! ```
//!
//! `--exact` adds dangan's positional bigram field (over the same text), to show what the
//! exact substring match costs on its own; `--stride2` instead adds the grams of a cheaper
//! scheme one might try — non-overlapping pairs, one positional token per two units — to
//! measure its indexing cost before anyone builds its query side. Prints the median of
//! three builds.

use std::io::BufReader;
use std::path::{Path, PathBuf};
use std::time::Instant;

use rayon::prelude::*;
use tantivy::schema::{IndexRecordOption, Schema, TextFieldIndexing, TextOptions};
use tantivy::tokenizer::{Token, TokenStream, Tokenizer};
use tantivy::{Index, TantivyDocument};

use dangan::text::tokenizers::{BIGRAM, BigramTokenizer};

fn main() -> anyhow::Result<()> {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let exact = args.iter().any(|a| a == "--exact");
    let stride2 = args.iter().any(|a| a == "--stride2");
    args.retain(|a| a != "--exact" && a != "--stride2");
    let corpus = PathBuf::from(
        args.first()
            .ok_or_else(|| anyhow::anyhow!("usage: bench_bare CORPUS [INDEX] [--exact]"))?,
    );
    let index_dir = PathBuf::from(args.get(1).map_or("/tmp/dangan-bare-index", String::as_str));
    let files: Vec<PathBuf> = walkdir::WalkDir::new(&corpus)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "docx"))
        .map(|e| e.into_path())
        .collect();
    let threads = rayon::current_num_threads().clamp(1, 8);
    let mut times = Vec::new();
    for _ in 0..3 {
        let _ = std::fs::remove_dir_all(&index_dir);
        std::fs::create_dir_all(&index_dir)?;
        let start = Instant::now();
        build(&files, &index_dir, threads, exact, stride2)?;
        times.push(start.elapsed().as_secs_f64());
    }
    times.sort_by(f64::total_cmp);
    let median = times[1];
    println!(
        "bare pipeline{}: {} documents in {:.2} s median of 3 ({:.0} docs/s, {} threads)",
        if exact {
            " + exact bigram field"
        } else if stride2 {
            " + non-overlapping pair field"
        } else {
            ""
        },
        files.len(),
        median,
        files.len() as f64 / median,
        threads
    );
    Ok(())
}

fn build(files: &[PathBuf], dir: &Path, threads: usize, exact: bool, stride2: bool) -> anyhow::Result<()> {
    let mut schema = Schema::builder();
    let indexing = |tokenizer: &str, record| {
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(tokenizer)
                .set_index_option(record),
        )
    };
    let body = schema.add_text_field("body", indexing("jieba", IndexRecordOption::WithFreqs));
    let bigram = schema.add_text_field(
        "bigram",
        indexing(BIGRAM, IndexRecordOption::WithFreqsAndPositions),
    );
    let index = Index::create_in_dir(dir, schema.build())?;
    index.tokenizers().register("jieba", JiebaTokenizer);
    if stride2 {
        index.tokenizers().register(BIGRAM, Stride2Tokenizer);
    } else {
        index.tokenizers().register(BIGRAM, BigramTokenizer);
    }
    let writer = index.writer_with_num_threads(threads, 256 << 20)?;
    files.par_iter().for_each(|path| {
        let Ok(text) = document_text(path) else { return };
        let mut doc = TantivyDocument::default();
        if exact || stride2 {
            doc.add_text(bigram, &text);
        }
        doc.add_text(body, text);
        let _ = writer.add_document(doc);
    });
    let mut writer = writer;
    writer.commit()?;
    writer.wait_merging_threads()?;
    Ok(())
}

/// The text of every `w:t` of `word/document.xml`, paragraphs on lines of their own.
fn document_text(path: &Path) -> anyhow::Result<String> {
    let bytes = std::fs::read(path)?;
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes))?;
    let member = zip.by_name("word/document.xml")?;
    let mut reader = quick_xml::Reader::from_reader(BufReader::with_capacity(64 * 1024, member));
    let mut buf = Vec::new();
    let mut text = String::new();
    let mut in_text = false;
    loop {
        match reader.read_event_into(&mut buf)? {
            quick_xml::events::Event::Start(e) => in_text = e.local_name().as_ref() == "t",
            quick_xml::events::Event::End(e) => {
                in_text = false;
                if e.local_name().as_ref() == "p" {
                    text.push('\n');
                }
            }
            quick_xml::events::Event::Text(t) if in_text => text.push_str(&t.xml10_content()),
            quick_xml::events::Event::Eof => return Ok(text),
            _ => {}
        }
        buf.clear();
    }
}

/// jieba's search-mode words, as the bare pipeline would index them.
#[derive(Clone)]
struct JiebaTokenizer;

struct JiebaStream {
    tokens: std::vec::IntoIter<Token>,
    token: Token,
}

static JIEBA: std::sync::LazyLock<jieba_rs::Jieba> = std::sync::LazyLock::new(jieba_rs::Jieba::new);

impl Tokenizer for JiebaTokenizer {
    type TokenStream<'a> = JiebaStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> JiebaStream {
        let tokens: Vec<Token> = JIEBA
            .cut_for_search(text, false)
            .into_iter()
            .enumerate()
            .map(|(position, t)| Token {
                offset_from: t.byte_start,
                offset_to: t.byte_end,
                position,
                text: t.word.to_string(),
                position_length: 1,
            })
            .collect();
        JiebaStream {
            tokens: tokens.into_iter(),
            token: Token::default(),
        }
    }
}

impl TokenStream for JiebaStream {
    fn advance(&mut self) -> bool {
        match self.tokens.next() {
            Some(t) => {
                self.token = t;
                true
            }
            None => false,
        }
    }

    fn token(&self) -> &Token {
        &self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.token
    }
}

/// Pairs of units at even places only: `民族团结` → `民族`, `团结`.
#[derive(Clone)]
struct Stride2Tokenizer;

struct Stride2Stream<'a> {
    text: &'a str,
    units: dangan::text::Units<'a>,
    token: Token,
}

impl Tokenizer for Stride2Tokenizer {
    type TokenStream<'a> = Stride2Stream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Stride2Stream<'a> {
        Stride2Stream {
            text,
            units: dangan::text::units(text),
            token: Token::default(),
        }
    }
}

impl TokenStream for Stride2Stream<'_> {
    fn advance(&mut self) -> bool {
        let Some(first) = self.units.next() else {
            return false;
        };
        let second = self.units.next();
        dangan::text::tokenizers::set_pair(&mut self.token, self.text, first, second);
        self.token.position = self.token.position.wrapping_add(1);
        true
    }

    fn token(&self) -> &Token {
        &self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.token
    }
}
