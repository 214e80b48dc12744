//! Query AST + filters → tantivy query → hits with snippets.
//!
//! Each term must match exactly (its units consecutive in the body or title: a unit term
//! or a phrase of bigrams), a filter that adds nothing to the score; the score adds BM25
//! of the term's first bigram (a cheap stand-in for how often it occurs, left out when that
//! bigram is an indexed word), BM25 of its jieba words, and a constant that puts title
//! matches above body matches.
//!
//! A limited search whose phrases are common takes the best candidates (for a common
//! phrase, the documents its words score) and checks only those against the phrases'
//! positions; hits are fetched on all cores when many, and printed ones turned into text
//! where they are fetched.

use std::ops::Bound;

use tantivy::collector::{DocSetCollector, TopDocs};
use tantivy::query::{
    AllQuery, BooleanQuery, ConstScoreQuery, Occur, PhraseQuery, Query, RangeQuery, TermQuery, TermSetQuery,
};
use tantivy::schema::{Field, IndexRecordOption, Value};
use tantivy::{DocAddress, Index, IndexReader, Term};

use super::guard::NoBackwardSeek;
use super::schema::{Fields, IndexError};
use super::stored::{Store, lossy};
use super::versions::VersionMap;
use crate::meta::{DocDate, Official};
use crate::query::{self, Scope};
use crate::snippet::{Needles, Snippet, snippet_of_bytes};
use crate::text::{UnitKind, normalize, units};

/// How a query's terms are matched: exactly and scored, as scored candidates for an
/// exact check, or exactly and unscored (that check).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Match {
    Exact,
    Candidates,
    Only,
}

/// Rounds of candidates (each four times the last) checked against the phrases before
/// the exact query is asked instead.
const CHECK_ROUNDS: usize = 3;

/// Hits above which documents are fetched and their snippets made on all cores.
const PARALLEL_FETCH: usize = 8;
/// Hits [`Searcher::search_each`] reads at a time.
pub const STREAM_CHUNK: usize = 4096;

/// A search's hits ranked, with what reading them needs.
struct Ranked {
    top: Vec<(f32, DocAddress)>,
    /// The query's positive terms, normalised and made ready for the snippets.
    needles: Needles,
    /// Whether copies and versions fold into one hit.
    fold: bool,
    versions: std::sync::Arc<VersionMap>,
    /// What a group's head must match (see [`Searcher::rank`]).
    matches: Option<Box<dyn tantivy::query::Weight>>,
}

/// Hits turned into bytes together, by one thread into one buffer.
const RENDERED_RUN: usize = 64;

/// What reading a run of ranked hits needs ([`Searcher::reading`]).
struct Reading<'a> {
    searcher: &'a Searcher,
    tantivy: &'a tantivy::Searcher,
    ranked: &'a Ranked,
    store: std::sync::Arc<Store>,
    /// The copy key of each hit of the run, when copies fold.
    keys: Vec<Option<u64>>,
}

impl Reading<'_> {
    /// The `i`th hit of the run, `found`: its group's head with its title, snippet and
    /// facts, its copies and versions.
    fn hit(&self, i: usize, (score, found): (f32, DocAddress)) -> Result<Hit, IndexError> {
        let Ranked {
            needles,
            fold,
            versions,
            matches,
            ..
        } = self.ranked;
        let group = if *fold {
            let key = self.keys.get(i).copied().flatten();
            self.searcher.fold_group(
                self.tantivy,
                &self.store,
                versions,
                (found, key),
                matches.as_deref(),
            )?
        } else {
            Group::alone(found)
        };
        self.store
            .with_doc(group.head, |doc| {
                let title = lossy(doc.title);
                // The title is shown above the snippet: the snippet leaves its lines out.
                let snippet = snippet_of_bytes(doc.text, &title, needles);
                Hit {
                    id: doc.id,
                    path: lossy(doc.path),
                    title,
                    year: doc.year.map(|y| y as i32),
                    score,
                    snippet,
                    official: official_of(doc.official),
                    copies: group.copies,
                    versions: group.versions,
                }
            })
            .map_err(|source| self.searcher.error(source))
    }
}

/// A title match outranks any body score.
const TITLE_BOOST: f32 = 1000.0;

/// Which documents a search or a listing takes: the contract's filters, all of which must
/// hold.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    /// Report years, inclusive.
    pub years: Option<(i32, i32)>,
    /// Documents whose date (a day, a month or a year) overlaps the period from the first
    /// date's first day to the second's last; either end may be open.
    pub dates: (Option<DocDate>, Option<DocDate>),
    /// Kinds (文种), any of them; empty for every kind.
    pub kinds: Vec<String>,
    /// Part of the issuing office's name.
    pub issuer: Option<String>,
    /// Every file as a hit of its own, copies included (by default copies fold into one
    /// hit, see [`super::fold`]).
    pub all_copies: bool,
}

impl Filter {
    /// The filter without its report years (what a page's per-year counts are taken under).
    fn without_years(&self) -> Filter {
        Filter {
            years: None,
            ..self.clone()
        }
    }
}

/// What to search for besides the query.
#[derive(Debug, Clone, Default)]
pub struct SearchOptions {
    /// Most hits to return; 0 for all.
    pub limit: usize,
    /// Hits to skip before the first returned (a page further on).
    pub offset: usize,
    /// Which documents to take.
    pub filter: Filter,
    /// Newest report year first (ties by relevance) instead of most relevant first.
    pub by_year: bool,
    /// Whether a limited search takes cheap candidates and checks each (see
    /// [`Searcher::search`]); `None` decides by how common the query's phrases are.
    pub check_candidates: Option<bool>,
}

/// One document of a listing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listed {
    /// The document's id ([`super::sync::document_id`]).
    pub id: u64,
    /// The file's absolute path (a bundle member's continues the bundle's: `…/x.zip/a.docx`).
    pub path: String,
    /// The crawled root it was found under.
    pub root: String,
    /// The title as indexed.
    pub title: String,
    /// The report year, if any.
    pub year: Option<i32>,
    /// Date, number, issuer, kind, secrecy and pages.
    pub official: Official,
    /// The other files with the same text, folded into this one (none with `all_copies`).
    pub copies: Vec<String>,
    /// The other drafts of the same document and their copies, folded into this one
    /// (none with `all_copies`).
    pub versions: Vec<String>,
}

impl Listed {
    /// The path as people read it: relative to its root, or whole when it is the root
    /// itself or lies elsewhere.
    pub fn shown_path(&self) -> String {
        std::path::Path::new(&self.path)
            .strip_prefix(&self.root)
            .ok()
            .map(|p| p.to_string_lossy().into_owned())
            .filter(|p| !p.is_empty())
            .unwrap_or_else(|| self.path.clone())
    }
}

/// One page of a search ([`Searcher::search_page`]).
#[derive(Debug, Clone)]
pub struct SearchPage {
    /// Documents that match, within the year filter.
    pub total: usize,
    /// The page's hits.
    pub hits: Vec<Hit>,
    /// Matching documents per report year, ignoring the year filter; newest first, no
    /// year (`None`) last.
    pub years: Vec<(Option<i32>, u64)>,
}

/// A whole indexed document ([`Searcher::document`]).
#[derive(Debug, Clone)]
pub struct StoredDocument {
    /// The document's id ([`super::sync::document_id`]).
    pub id: u64,
    /// The file's absolute path (a bundle member's continues the bundle's: `…/x.zip/a.docx`).
    pub path: String,
    /// The crawled root it was found under.
    pub root: String,
    /// The title as indexed.
    pub title: String,
    /// The report year, if any.
    pub year: Option<i32>,
    /// Where the report year came from (`title`, `filename`, `signature`, `created`).
    pub year_source: Option<String>,
    /// The format (file extension, lower case).
    pub format: String,
    /// The file's size in bytes (a bundle member's own size).
    pub size: u64,
    /// Everything `extract` shows as text.
    pub text: String,
    /// Date, number, issuer, kind, secrecy and pages.
    pub official: Official,
    /// The other files with the same text.
    pub copies: Vec<String>,
    /// The other drafts of the same document and their copies.
    pub versions: Vec<String>,
}

/// One search result.
#[derive(Debug, Clone)]
pub struct Hit {
    /// The document's id ([`super::sync::document_id`]).
    pub id: u64,
    /// The file's absolute path (a bundle member's continues the bundle's: `…/x.zip/a.docx`).
    pub path: String,
    /// The title as indexed.
    pub title: String,
    /// The report year, if any.
    pub year: Option<i32>,
    /// Relevance, higher first: each term matched in the title adds 1000, so title hits
    /// lead; the rest is BM25 of the terms' words in the text (see the module docs).
    pub score: f32,
    /// The passage of the text where most terms meet, with the terms' places marked.
    pub snippet: Snippet,
    /// Date, number, issuer, kind, secrecy and pages.
    pub official: Official,
    /// The other files with the same text, folded into this hit (none with `all_copies`).
    pub copies: Vec<String>,
    /// The other drafts of the same document and their copies, folded into this hit
    /// (none with `all_copies`).
    pub versions: Vec<String>,
}

/// A document shown for its group: the head, and the other members' paths.
struct Group {
    head: DocAddress,
    /// Files with the head's text.
    copies: Vec<String>,
    /// The other drafts and their copies.
    versions: Vec<String>,
}

impl Group {
    fn alone(head: DocAddress) -> Group {
        Group {
            head,
            copies: Vec::new(),
            versions: Vec::new(),
        }
    }
}

/// The official facts stored with a document (none when they cannot be read).
fn official_of(json: &[u8]) -> Official {
    serde_json::from_slice(json).unwrap_or_default()
}

/// A reader over an index, reusable for many queries.
pub struct Searcher {
    reader: IndexReader,
    fields: Fields,
    dir: std::path::PathBuf,
    /// The doc store of the latest searcher, kept so that each search does not open one.
    store: std::sync::Mutex<Option<std::sync::Arc<Store>>>,
    /// Matching documents per report year of recent queries, for the index generation they
    /// were counted on (see [`Searcher::search_page`]).
    counts: std::sync::Mutex<CountCache>,
    /// The version groups of the latest index generation seen, with its id.
    versions: std::sync::Mutex<Option<(u64, std::sync::Arc<VersionMap>)>>,
}

/// Year counts of recent queries, all of one index generation.
#[derive(Default)]
struct CountCache {
    generation: u64,
    by_query: std::collections::HashMap<String, YearCounts>,
}

/// Matching documents per report year (`None`: no year).
type YearCounts = std::collections::BTreeMap<Option<i32>, u64>;

/// Queries whose counts are kept; past this the cache starts afresh.
const COUNTED_QUERIES: usize = 1024;

impl Searcher {
    /// Opens the index at `dir` for searching (an index that does not exist or was written
    /// by another dangan version is an error that says what to run).
    pub fn open(dir: &std::path::Path) -> Result<Self, IndexError> {
        let (index, fields) = super::open_index(dir, false)?;
        Searcher::new(&index, fields, dir)
    }

    /// A searcher over an index already opened with [`super::open_index`].
    pub fn new(index: &Index, fields: Fields, dir: &std::path::Path) -> Result<Self, IndexError> {
        // Segments are searched on all cores (a fresh build has about ten of them); without
        // a thread pool the search simply stays on this thread.
        let mut index = index.clone();
        if std::thread::available_parallelism().map_or(1, |n| n.get()) > 1 {
            let _ = index.set_default_multithread_executor();
        }
        // Reloads by itself within a second of a commit (tantivy watches meta.json), so a
        // long-running server sees what `dangan index` adds.
        let reader = index
            .reader_builder()
            .reload_policy(tantivy::ReloadPolicy::OnCommitWithDelay)
            .try_into()
            .map_err(|source| IndexError::Tantivy {
                path: dir.to_path_buf(),
                source,
            })?;
        Ok(Searcher {
            reader,
            fields,
            dir: dir.to_path_buf(),
            store: std::sync::Mutex::new(None),
            counts: std::sync::Mutex::new(CountCache::default()),
            versions: std::sync::Mutex::new(None),
        })
    }

    /// The doc store of `searcher`, opened once per generation of the index.
    fn store(&self, searcher: &tantivy::Searcher) -> Result<std::sync::Arc<Store>, IndexError> {
        let mut cached = self.store.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(store) = cached.as_ref().filter(|s| s.serves(searcher)) {
            return Ok(store.clone());
        }
        let store = std::sync::Arc::new(Store::open(searcher, self.fields).map_err(|e| self.error(e))?);
        *cached = Some(store.clone());
        Ok(store)
    }

    /// The version groups of `searcher`'s generation: the ones `dangan index` saved for
    /// it, else grouped anew (a run was cancelled or killed before saving them), once per
    /// generation.
    fn versions(&self, searcher: &tantivy::Searcher) -> Result<std::sync::Arc<VersionMap>, IndexError> {
        let generation = searcher.generation().generation_id();
        let mut cached = self.versions.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((g, map)) = cached.as_ref()
            && *g == generation
        {
            return Ok(map.clone());
        }
        let map = match super::versions::load(&self.dir, searcher) {
            Some(map) => map,
            None => super::versions::compute(searcher).map_err(|e| self.error(e))?,
        };
        let map = std::sync::Arc::new(map);
        *cached = Some((generation, map.clone()));
        Ok(map)
    }

    fn error(&self, source: tantivy::TantivyError) -> IndexError {
        IndexError::Tantivy {
            path: self.dir.clone(),
            source,
        }
    }

    /// Number of documents in the index.
    pub fn num_docs(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    /// Runs `query`, best hits first: `options.limit` of them (all for 0) after the first
    /// `options.offset`.
    pub fn search(&self, query: &query::Query, options: &SearchOptions) -> Result<Vec<Hit>, IndexError> {
        self.search_in(&self.reader.searcher(), query, options)
    }

    /// [`Searcher::search`] for printing: each hit is turned into bytes by `render` on the
    /// threads that read it, and `write` gets those bytes in rank order as soon as their
    /// chunk of [`STREAM_CHUNK`] is read, instead of all the hits at the end: what `search
    /// -n 0` prints from, so the first of 90,000 hits shows at once, memory holds one
    /// chunk, and the printing thread only writes. Returns how many hits were written;
    /// stops at the first error `render` or `write` returns (a closed pipe), and returns it.
    pub fn search_each<E: From<IndexError> + Send>(
        &self,
        query: &query::Query,
        options: &SearchOptions,
        render: impl Fn(&Hit, &mut Vec<u8>) -> Result<(), E> + Sync,
        write: impl FnMut(&[u8]) -> Result<(), E>,
    ) -> Result<usize, E> {
        self.search_in_chunks(query, options, STREAM_CHUNK, render, write)
    }

    fn search_in_chunks<E: From<IndexError> + Send>(
        &self,
        query: &query::Query,
        options: &SearchOptions,
        chunk: usize,
        render: impl Fn(&Hit, &mut Vec<u8>) -> Result<(), E> + Sync,
        mut write: impl FnMut(&[u8]) -> Result<(), E>,
    ) -> Result<usize, E> {
        let searcher = self.reader.searcher();
        let ranked = self.rank(&searcher, query, options)?;
        let chunks = ranked.top.chunks(chunk.max(1));
        let mut count = 0;
        let mut write_all = |(runs, hits): (Vec<Vec<u8>>, usize)| -> Result<(), E> {
            for run in runs {
                write(&run)?;
            }
            count += hits;
            Ok(())
        };
        let read = |top| {
            self.fetch_rendered(&searcher, &ranked, top, &render)
                .map(|runs| (runs, top.len()))
        };
        if chunks.len() < 2 {
            // A page of hits: no reader thread.
            for top in chunks {
                write_all(read(top)?)?;
            }
        } else {
            // The next chunk is read while this one is written out (to a pipe, which may
            // be slow to take it). An error `write` returns drops the receiver, which
            // stops the reading.
            std::thread::scope(|scope| -> Result<(), E> {
                let (send, receive) = std::sync::mpsc::sync_channel(1);
                let read = &read;
                scope.spawn(move || {
                    for top in chunks {
                        let fetched = read(top);
                        let failed = fetched.is_err();
                        if send.send(fetched).is_err() || failed {
                            break;
                        }
                    }
                });
                for fetched in receive {
                    write_all(fetched?)?;
                }
                Ok(())
            })?;
        }
        Ok(count)
    }

    /// [`Searcher::search`] on one generation of the index.
    fn search_in(
        &self,
        searcher: &tantivy::Searcher,
        query: &query::Query,
        options: &SearchOptions,
    ) -> Result<Vec<Hit>, IndexError> {
        let ranked = self.rank(searcher, query, options)?;
        self.fetch(searcher, &ranked, &ranked.top)
    }

    /// The hits of `query`, ranked, not yet read: a page's (after its offset), or all.
    fn rank(
        &self,
        searcher: &tantivy::Searcher,
        query: &query::Query,
        options: &SearchOptions,
    ) -> Result<Ranked, IndexError> {
        let error = |source| self.error(source);
        let offset = options.offset;
        // The page's hits are the best `offset + limit`, less the first `offset`.
        let options = &SearchOptions {
            limit: match options.limit {
                0 => 0,
                n => n.saturating_add(offset),
            },
            offset: 0,
            ..options.clone()
        };
        let tantivy_query = self.build(searcher, query, options, Match::Exact);
        let all = (searcher.num_docs() as usize).max(1);
        let limit = if options.limit == 0 || options.by_year {
            all
        } else {
            options.limit
        };
        let check = limit != all
            && options
                .check_candidates
                .unwrap_or_else(|| self.phrases_are_common(searcher, query));
        let fold = !options.filter.all_copies;
        let versions = if fold {
            self.versions(searcher)?
        } else {
            std::sync::Arc::default()
        };
        // Folding copies and versions leaves fewer hits than were fetched: fetch more until
        // the page is full or every match is in.
        let mut want = limit;
        let mut top = loop {
            let found = if !check || want >= all {
                searcher
                    .search(&tantivy_query, &TopDocs::with_limit(want).order_by_score())
                    .map_err(error)?
            } else {
                let options = SearchOptions {
                    limit: want,
                    ..options.clone()
                };
                self.top_verified(searcher, query, &options)?
            };
            if !fold {
                break found;
            }
            let exhausted = found.len() < want || want >= all;
            let folded = self.first_of_each_group(searcher, &versions, found)?;
            if exhausted || folded.len() >= limit {
                break folded;
            }
            want = want.saturating_mul(4).min(all);
        };
        if options.by_year {
            let years = self.years_of(searcher, top.iter().map(|&(_, a)| a))?;
            let mut keyed: Vec<_> = top.into_iter().zip(years).collect();
            // Newest first, documents without a year last, then by relevance.
            keyed.sort_by(|((sa, _), ya), ((sb, _), yb)| yb.cmp(ya).then(sb.total_cmp(sa)));
            top = keyed.into_iter().map(|(hit, _)| hit).collect();
            if options.limit != 0 {
                top.truncate(options.limit);
            }
        }
        top.drain(..offset.min(top.len()));
        let terms: Vec<String> = query.positive_terms().map(|t| normalize(&t.text)).collect();
        let needles = Needles::new(&terms);
        // A group of drafts shows the head of those that match: a phrase only a draft has
        // shows that draft, with the final among its versions.
        let matches = if fold && !versions.is_empty() {
            let query = self.build(searcher, query, options, Match::Only);
            let scoring = tantivy::query::EnableScoring::disabled_from_searcher(searcher);
            Some(query.weight(scoring).map_err(error)?)
        } else {
            None
        };
        Ok(Ranked {
            top,
            needles,
            fold,
            versions,
            matches,
        })
    }

    /// The hits `top` (a run of `ranked.top`) shows, in its order: each group's head with
    /// its title, snippet and facts, its copies and versions; on all cores when there are
    /// many.
    fn fetch(
        &self,
        searcher: &tantivy::Searcher,
        ranked: &Ranked,
        top: &[(f32, DocAddress)],
    ) -> Result<Vec<Hit>, IndexError> {
        let reading = self.reading(searcher, ranked, top)?;
        let hit = |(i, &found): (usize, &(f32, DocAddress))| reading.hit(i, found);
        if top.len() > PARALLEL_FETCH {
            use rayon::prelude::*;
            top.par_iter().enumerate().map(hit).collect()
        } else {
            top.iter().enumerate().map(hit).collect()
        }
    }

    /// The hits `top` shows, each turned into bytes by `render` where it was read, in
    /// runs of [`RENDERED_RUN`] hits (one buffer a run, in rank order).
    fn fetch_rendered<E: From<IndexError> + Send>(
        &self,
        searcher: &tantivy::Searcher,
        ranked: &Ranked,
        top: &[(f32, DocAddress)],
        render: &(impl Fn(&Hit, &mut Vec<u8>) -> Result<(), E> + Sync),
    ) -> Result<Vec<Vec<u8>>, E> {
        let reading = self.reading(searcher, ranked, top)?;
        let run = |(n, run): (usize, &[(f32, DocAddress)])| -> Result<Vec<u8>, E> {
            let mut bytes = Vec::new();
            for (j, &found) in run.iter().enumerate() {
                render(&reading.hit(n * RENDERED_RUN + j, found)?, &mut bytes)?;
            }
            Ok(bytes)
        };
        if top.len() > PARALLEL_FETCH {
            use rayon::prelude::*;
            top.par_chunks(RENDERED_RUN).enumerate().map(run).collect()
        } else {
            top.chunks(RENDERED_RUN).enumerate().map(run).collect()
        }
    }

    /// What reading the hits `top` needs: the doc store, and the copy keys of all, read
    /// once (not once per hit).
    fn reading<'a>(
        &'a self,
        searcher: &'a tantivy::Searcher,
        ranked: &'a Ranked,
        top: &[(f32, DocAddress)],
    ) -> Result<Reading<'a>, IndexError> {
        let keys = if ranked.fold {
            self.copy_keys(searcher, top.iter().map(|&(_, a)| a))?
        } else {
            Vec::new()
        };
        Ok(Reading {
            searcher: self,
            tantivy: searcher,
            ranked,
            store: self.store(searcher)?,
            keys,
        })
    }

    /// One page of a search, as the web page shows it: the hits of [`Searcher::search`],
    /// how many documents match in all (within the year filter), and how many match in
    /// each report year ignoring the year filter (`None`: no year), newest first.
    pub fn search_page(
        &self,
        query: &query::Query,
        options: &SearchOptions,
    ) -> Result<SearchPage, IndexError> {
        // Hits and counts from one generation, even when a commit lands in between.
        let searcher = self.reader.searcher();
        let hits = self.search_in(&searcher, query, options)?;
        // Counting every match (phrase positions included) costs more than the page's hits:
        // the counts of recent queries are kept until the index changes, as a search
        // engine's request cache keeps aggregations (the next page, the same query from
        // another user).
        let generation = searcher.generation().generation_id();
        let filter = options.filter.without_years();
        let key = format!("{query:?} {filter:?}");
        let cached = {
            let mut cache = self.counts.lock().unwrap_or_else(|e| e.into_inner());
            if cache.generation != generation {
                *cache = CountCache {
                    generation,
                    ..CountCache::default()
                };
            }
            cache.by_query.get(&key).cloned()
        };
        let counts = match cached {
            Some(counts) => counts,
            None => {
                let counts = self.count_by_year(&searcher, query, &filter)?;
                let mut cache = self.counts.lock().unwrap_or_else(|e| e.into_inner());
                if cache.generation == generation {
                    if cache.by_query.len() >= COUNTED_QUERIES {
                        cache.by_query.clear();
                    }
                    cache.by_query.insert(key, counts.clone());
                }
                counts
            }
        };
        let total = counts
            .iter()
            .filter(|(year, _)| match (options.filter.years, year) {
                (None, _) => true,
                (Some((from, to)), Some(y)) => (from..=to).contains(y),
                (Some(_), None) => false,
            })
            .map(|(_, n)| *n as usize)
            .sum();
        Ok(SearchPage {
            total,
            hits,
            years: counts.into_iter().rev().collect(),
        })
    }

    /// How many documents match `query` in each report year (no year filter).
    fn count_by_year(
        &self,
        searcher: &tantivy::Searcher,
        query: &query::Query,
        filter: &Filter,
    ) -> Result<YearCounts, IndexError> {
        let error = |source| self.error(source);
        let unfiltered = SearchOptions {
            filter: filter.clone(),
            ..SearchOptions::default()
        };
        let matching = searcher
            .search(
                &self.build(searcher, query, &unfiltered, Match::Only),
                &DocSetCollector,
            )
            .map_err(error)?;
        let columns = searcher
            .segment_readers()
            .iter()
            .map(|segment| segment.fast_fields().i64("year"))
            .collect::<Result<Vec<_>, _>>()
            .map_err(error)?;
        let versions = self.versions(searcher)?;
        let keys = self.fold_keys(searcher, &versions, matching.iter().copied())?;
        let mut counts = YearCounts::new();
        // A group of copies and versions counts once in each year its files have.
        let mut seen = std::collections::HashSet::new();
        for (address, key) in matching.iter().zip(keys) {
            let year = columns
                .get(address.segment_ord as usize)
                .and_then(|c| c.first(address.doc_id))
                .map(|y| y as i32);
            if let Some(key) = key.filter(|_| !filter.all_copies)
                && !seen.insert((year, key))
            {
                continue;
            }
            *counts.entry(year).or_default() += 1;
        }
        Ok(counts)
    }

    /// The document with this id ([`super::sync::document_id`]), whole.
    pub fn document(&self, id: u64) -> Result<Option<StoredDocument>, IndexError> {
        let error = |source| self.error(source);
        let searcher = self.reader.searcher();
        let term = Term::from_field_u64(self.fields.id, id);
        let found = searcher
            .search(
                &TermQuery::new(term, IndexRecordOption::Basic),
                &TopDocs::with_limit(1).order_by_score(),
            )
            .map_err(error)?;
        let Some(&(_, address)) = found.first() else {
            return Ok(None);
        };
        let doc: tantivy::TantivyDocument = searcher.doc(address).map_err(error)?;
        let versions = self.versions(&searcher)?;
        let members = self.group_members(&searcher, &versions, address)?;
        let group = if members.len() > 1 {
            let store = self.store(&searcher)?;
            self.group_of(&searcher, &store, &members, &members, Some(address))?
        } else {
            Group::alone(address)
        };
        Ok(Some(self.stored_document(&doc, id, group.copies, group.versions)))
    }

    /// A stored document's fields.
    fn stored_document(
        &self,
        doc: &tantivy::TantivyDocument,
        id: u64,
        copies: Vec<String>,
        versions: Vec<String>,
    ) -> StoredDocument {
        let f = &self.fields;
        let text = |field: Field| {
            doc.get_first(field)
                .and_then(|v| v.as_str())
                .unwrap_or_default()
                .to_string()
        };
        StoredDocument {
            id,
            path: text(f.path),
            root: text(f.root),
            title: text(f.title),
            year: doc.get_first(f.year).and_then(|v| v.as_i64()).map(|y| y as i32),
            year_source: Some(text(f.year_source)).filter(|s| !s.is_empty()),
            format: text(f.format),
            size: doc.get_first(f.size).and_then(|v| v.as_u64()).unwrap_or(0),
            text: text(f.text),
            official: official_of(text(f.official).as_bytes()),
            copies,
            versions,
        }
    }

    /// Every indexed document once, copies and versions not folded, in index order, each
    /// with the paths of its copies and of its versions (and their copies), handed to `each`
    /// one at a time: only the paths of grouped documents are held, never the texts.
    pub fn export<E: From<IndexError>>(
        &self,
        mut each: impl FnMut(StoredDocument) -> Result<(), E>,
    ) -> Result<(), E> {
        let error = |source| self.error(source);
        let searcher = self.reader.searcher();
        let mut addresses = Vec::new();
        for (ord, segment) in searcher.segment_readers().iter().enumerate() {
            addresses.extend(
                segment
                    .doc_ids_alive()
                    .map(|doc| DocAddress::new(ord as u32, doc)),
            );
        }
        let versions = self.versions(&searcher)?;
        let copy_keys = self.copy_keys(&searcher, addresses.iter().copied())?;
        let mut groups: std::collections::HashMap<u64, Vec<usize>> = std::collections::HashMap::new();
        for (i, key) in copy_keys.iter().enumerate() {
            if let Some(key) = key {
                groups.entry(versions.fold_key(*key)).or_default().push(i);
            }
        }
        let store = self.store(&searcher)?;
        let mut paths: std::collections::HashMap<usize, String> = std::collections::HashMap::new();
        for &i in groups.values().filter(|members| members.len() > 1).flatten() {
            let path = store
                .with_doc(addresses[i], |doc| lossy(doc.path))
                .map_err(error)?;
            paths.insert(i, path);
        }
        let ids = searcher
            .segment_readers()
            .iter()
            .map(|segment| segment.fast_fields().u64("id"))
            .collect::<Result<Vec<_>, _>>()
            .map_err(error)?;
        for (i, &address) in addresses.iter().enumerate() {
            let (mut copies, mut others) = (Vec::new(), Vec::new());
            if let Some(key) = copy_keys[i]
                && let Some(members) = groups.get(&versions.fold_key(key))
            {
                for &j in members.iter().filter(|&&j| j != i) {
                    let path = paths.get(&j).cloned().unwrap_or_default();
                    if copy_keys[j] == Some(key) {
                        copies.push(path);
                    } else {
                        others.push(path);
                    }
                }
            }
            copies.sort();
            others.sort();
            let doc: tantivy::TantivyDocument = searcher.doc(address).map_err(error)?;
            let id = ids
                .get(address.segment_ord as usize)
                .and_then(|c| c.first(address.doc_id))
                .unwrap_or(0);
            each(self.stored_document(&doc, id, copies, others))?;
        }
        Ok(())
    }

    /// Whether some term is a phrase whose every bigram is in many documents: then
    /// checking the phrase's positions in all of them costs more than checking a few
    /// candidates (see [`Searcher::top_verified`]).
    fn phrases_are_common(&self, searcher: &tantivy::Searcher, query: &query::Query) -> bool {
        query
            .positive_terms()
            .any(|term| self.bigrams_in_a_tenth(searcher, term, 2000))
    }

    /// Whether the candidates of `term` ([`Searcher::top_verified`]) are the documents
    /// its words or title score rather than those holding all its bigrams: when it is
    /// searched anywhere and each of its bigrams is in over a tenth of the documents.
    fn words_pick_candidates(&self, searcher: &tantivy::Searcher, term: &query::Term) -> bool {
        term.scope == Scope::Anywhere && self.bigrams_in_a_tenth(searcher, term, 0)
    }

    /// Whether `term` is a phrase each of whose bigrams is in over a tenth of the
    /// documents, and in over `at_least`.
    fn bigrams_in_a_tenth(&self, searcher: &tantivy::Searcher, term: &query::Term, at_least: u64) -> bool {
        let many = (searcher.num_docs() / 10).max(at_least);
        let pairs = crate::text::tokenizers::bigrams(&normalize(&term.text));
        pairs.len() >= 2
            && pairs.iter().all(|pair| {
                let term = Term::from_field_text(self.fields.body_bigram, pair);
                searcher.doc_freq(&term).unwrap_or(0) > many
            })
    }

    /// The best `options.limit` hits, found cheaply: candidates — the documents holding
    /// every bigram of each term, or for a term whose bigrams are all common, the
    /// documents its words or title score — scored as the exact query scores them (its
    /// exact match adds nothing to a score), are taken best first and each is checked
    /// against the exact query; more are taken if too few pass, for a few rounds.
    /// Positions are read for a few dozen documents instead of every document that holds
    /// the terms' characters, and no intersection of dense bigram lists is walked.
    fn top_verified(
        &self,
        searcher: &tantivy::Searcher,
        query: &query::Query,
        options: &SearchOptions,
    ) -> Result<Vec<(f32, DocAddress)>, IndexError> {
        let error = |source| self.error(source);
        let candidates_query = self.build(searcher, query, options, Match::Candidates);
        let weight = self
            .build(searcher, query, options, Match::Only)
            .weight(tantivy::query::EnableScoring::disabled_from_searcher(searcher))
            .map_err(error)?;
        // Whether some term's candidates are the documents its words score, which may
        // leave out a match that none of them scores.
        let loose = query
            .positive_terms()
            .any(|term| self.words_pick_candidates(searcher, term));
        let mut want = options.limit * 2 + 8;
        let mut rounds = 0;
        loop {
            let candidates = searcher
                .search(&candidates_query, &TopDocs::with_limit(want).order_by_score())
                .map_err(error)?;
            let mut by_segment: std::collections::BTreeMap<u32, Vec<u32>> = Default::default();
            for (_, address) in &candidates {
                by_segment
                    .entry(address.segment_ord)
                    .or_default()
                    .push(address.doc_id);
            }
            let mut exact_docs = std::collections::HashSet::new();
            for (segment, mut docs) in by_segment {
                docs.sort_unstable();
                let reader = searcher.segment_reader(segment);
                let mut scorer = weight.scorer(reader, 1.0).map_err(error)?;
                for doc in docs {
                    let at = if scorer.doc() < doc {
                        scorer.seek(doc)
                    } else {
                        scorer.doc()
                    };
                    if at == doc {
                        exact_docs.insert(DocAddress::new(segment, doc));
                    }
                }
            }
            let exhausted = candidates.len() < want;
            let hits: Vec<(f32, DocAddress)> = candidates
                .into_iter()
                .filter(|(_, address)| exact_docs.contains(address))
                .take(options.limit)
                .collect();
            if hits.len() == options.limit || (exhausted && !loose) {
                return Ok(hits);
            }
            rounds += 1;
            if exhausted || rounds == CHECK_ROUNDS {
                // Every document a word of the terms scores was a candidate (a match none
                // of them scores has a score of 0 and ranks after them all), or the
                // phrases are rare among their candidates: the exact query finds them.
                let exact = self.build(searcher, query, options, Match::Exact);
                return searcher
                    .search(&exact, &TopDocs::with_limit(options.limit).order_by_score())
                    .map_err(error);
            }
            want = want.saturating_mul(4);
        }
    }

    fn build(
        &self,
        searcher: &tantivy::Searcher,
        query: &query::Query,
        options: &SearchOptions,
        matching: Match,
    ) -> Box<dyn Query> {
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for clause in &query.clauses {
            if clause.negated {
                for term in &clause.any_of {
                    let excluded = NoBackwardSeek(self.exact_anywhere(searcher, term));
                    clauses.push((Occur::MustNot, Box::new(excluded)));
                }
                continue;
            }
            let alternatives: Vec<(Occur, Box<dyn Query>)> = clause
                .any_of
                .iter()
                .map(|t| {
                    let query = match matching {
                        Match::Only => self.exact_anywhere(searcher, t),
                        _ => self.scored(searcher, t, matching),
                    };
                    (Occur::Should, query)
                })
                .collect();
            clauses.push((Occur::Must, Box::new(BooleanQuery::new(alternatives))));
        }
        if !clauses.iter().any(|(occur, _)| *occur == Occur::Must) {
            clauses.push((Occur::Must, Box::new(AllQuery)));
        }
        for filter in self.filters(searcher, &options.filter) {
            clauses.push((Occur::Must, filter));
        }
        Box::new(BooleanQuery::new(clauses))
    }

    /// One unscored query per filter that is set, each read from an index (not a
    /// post-filter).
    fn filters(&self, searcher: &tantivy::Searcher, filter: &Filter) -> Vec<Box<dyn Query>> {
        let f = &self.fields;
        let mut out: Vec<Box<dyn Query>> = Vec::new();
        let range = |field: Field, lo: Option<i64>, hi: Option<i64>| -> Box<dyn Query> {
            let bound = |v: Option<i64>| {
                v.map_or(Bound::Unbounded, |v| {
                    Bound::Included(Term::from_field_i64(field, v))
                })
            };
            Box::new(ConstScoreQuery::new(
                Box::new(RangeQuery::new(bound(lo), bound(hi))),
                0.0,
            ))
        };
        if let Some((from, to)) = filter.years {
            out.push(range(f.year, Some(i64::from(from)), Some(i64::from(to))));
        }
        // Overlap: the document's first day is not after the period's last, and its last
        // day is not before the period's first.
        let (from, to) = filter.dates;
        if let Some(to) = to {
            out.push(range(f.date_lo, None, Some(to.span().1)));
        }
        if let Some(from) = from {
            out.push(range(f.date_hi, Some(from.span().0), None));
        }
        if !filter.kinds.is_empty() {
            let any: Vec<(Occur, Box<dyn Query>)> = filter
                .kinds
                .iter()
                .map(|k| (Occur::Should, self.kind_is(k.trim())))
                .collect();
            out.push(Box::new(ConstScoreQuery::new(
                Box::new(BooleanQuery::new(any)),
                0.0,
            )));
        }
        if let Some(issuer) = filter.issuer.as_deref().filter(|i| !i.trim().is_empty()) {
            let issuer = normalize(issuer.trim());
            let query = exact(searcher, &issuer, f.issuer_word, f.issuer_bigram);
            out.push(Box::new(ConstScoreQuery::new(query, 0.0)));
        }
        out
    }

    /// Documents of exactly this kind.
    fn kind_is(&self, kind: &str) -> Box<dyn Query> {
        let term = Term::from_field_text(self.fields.kind, kind);
        Box::new(TermQuery::new(term, IndexRecordOption::Basic))
    }

    /// The copy key of each address (`None`: the document has none, it is its own group).
    fn copy_keys(
        &self,
        searcher: &tantivy::Searcher,
        addresses: impl Iterator<Item = DocAddress>,
    ) -> Result<Vec<Option<u64>>, IndexError> {
        let error = |source| self.error(source);
        let columns = searcher
            .segment_readers()
            .iter()
            .map(|segment| segment.fast_fields().u64("copy_key"))
            .collect::<Result<Vec<_>, _>>()
            .map_err(error)?;
        Ok(addresses
            .map(|a| {
                columns
                    .get(a.segment_ord as usize)
                    .and_then(|c| c.first(a.doc_id))
            })
            .collect())
    }

    /// The fold key of each address: its version group's, else its copy key (`None`: the
    /// document has no text, it is alone).
    fn fold_keys(
        &self,
        searcher: &tantivy::Searcher,
        versions: &VersionMap,
        addresses: impl Iterator<Item = DocAddress>,
    ) -> Result<Vec<Option<u64>>, IndexError> {
        Ok(self
            .copy_keys(searcher, addresses)?
            .into_iter()
            .map(|key| key.map(|k| versions.fold_key(k)))
            .collect())
    }

    /// The ranked hits with only the first (best-ranked) of each group of copies and
    /// versions.
    fn first_of_each_group(
        &self,
        searcher: &tantivy::Searcher,
        versions: &VersionMap,
        ranked: Vec<(f32, DocAddress)>,
    ) -> Result<Vec<(f32, DocAddress)>, IndexError> {
        let keys = self.fold_keys(searcher, versions, ranked.iter().map(|&(_, a)| a))?;
        let mut seen = std::collections::HashSet::new();
        Ok(ranked
            .into_iter()
            .zip(keys)
            .filter(|(_, key)| key.is_none_or(|k| seen.insert(k)))
            .map(|(hit, _)| hit)
            .collect())
    }

    /// Every document of the group `address` belongs to (its copies and versions, itself
    /// included), in index order.
    fn group_members(
        &self,
        searcher: &tantivy::Searcher,
        versions: &VersionMap,
        address: DocAddress,
    ) -> Result<Vec<DocAddress>, IndexError> {
        let key = self
            .copy_keys(searcher, std::iter::once(address))?
            .first()
            .copied()
            .flatten();
        self.members_of(searcher, versions, address, key)
    }

    /// [`Searcher::group_members`] of the document at `address`, whose copy key is `key`.
    fn members_of(
        &self,
        searcher: &tantivy::Searcher,
        versions: &VersionMap,
        address: DocAddress,
        key: Option<u64>,
    ) -> Result<Vec<DocAddress>, IndexError> {
        // Most documents are alone: a text no other document has, of no version group.
        let Some(key) = key.filter(|&k| !versions.is_alone(k)) else {
            return Ok(vec![address]);
        };
        let terms: Vec<Term> = versions
            .copy_keys(versions.fold_key(key))
            .into_iter()
            .map(|k| Term::from_field_u64(self.fields.copy_key, k))
            .collect();
        let mut members: Vec<DocAddress> = searcher
            .search(&TermSetQuery::new(terms), &DocSetCollector)
            .map_err(|e| self.error(e))?
            .into_iter()
            .collect();
        members.sort();
        if members.is_empty() {
            members.push(address);
        }
        Ok(members)
    }

    /// The group `address` belongs to, shown by its head among the members `matches`
    /// admits (all of them without it, or when it admits none).
    fn fold_group(
        &self,
        searcher: &tantivy::Searcher,
        store: &Store,
        versions: &VersionMap,
        (address, key): (DocAddress, Option<u64>),
        matches: Option<&dyn tantivy::query::Weight>,
    ) -> Result<Group, IndexError> {
        let members = self.members_of(searcher, versions, address, key)?;
        if members.len() < 2 {
            return Ok(Group::alone(address));
        }
        let eligible = match matches {
            Some(weight) => self.matching(searcher, weight, &members)?,
            None => Vec::new(),
        };
        let eligible = if eligible.is_empty() { &members } else { &eligible };
        self.group_of(searcher, store, &members, eligible, None)
    }

    /// Which of `addresses` (sorted) `weight` matches.
    fn matching(
        &self,
        searcher: &tantivy::Searcher,
        weight: &dyn tantivy::query::Weight,
        addresses: &[DocAddress],
    ) -> Result<Vec<DocAddress>, IndexError> {
        let mut out = Vec::new();
        let mut segment_scorer: Option<(u32, Box<dyn tantivy::query::Scorer>)> = None;
        for &address in addresses {
            if segment_scorer
                .as_ref()
                .is_none_or(|(s, _)| *s != address.segment_ord)
            {
                let reader = searcher.segment_reader(address.segment_ord);
                let scorer = weight.scorer(reader, 1.0).map_err(|e| self.error(e))?;
                segment_scorer = Some((address.segment_ord, scorer));
            }
            let Some((_, scorer)) = segment_scorer.as_mut() else {
                continue;
            };
            let at = if scorer.doc() < address.doc_id {
                scorer.seek(address.doc_id)
            } else {
                scorer.doc()
            };
            if at == address.doc_id {
                out.push(address);
            }
        }
        Ok(out)
    }

    /// A group seen from one member: the head ([`super::fold::head`]) chosen among
    /// `eligible`, or `subject` when given; the other members' paths as copies (the same
    /// text as the one seen from) or versions, each sorted.
    fn group_of(
        &self,
        searcher: &tantivy::Searcher,
        store: &Store,
        members: &[DocAddress],
        eligible: &[DocAddress],
        subject: Option<DocAddress>,
    ) -> Result<Group, IndexError> {
        let infos = self.members(searcher, store, members)?;
        let keys = self.copy_keys(searcher, members.iter().copied())?;
        let seen_from = match subject.and_then(|s| members.iter().position(|&m| m == s)) {
            Some(i) => i,
            None => {
                let candidates: Vec<usize> = (0..members.len())
                    .filter(|&i| eligible.contains(&members[i]))
                    .collect();
                let picked: Vec<super::fold::Member> = candidates.iter().map(|&i| infos[i].clone()).collect();
                super::fold::head(&picked)
                    .and_then(|h| candidates.get(h).copied())
                    .unwrap_or(0)
            }
        };
        let mut group = Group::alone(members[seen_from]);
        for (i, info) in infos.into_iter().enumerate() {
            if i == seen_from {
                continue;
            }
            if keys[i].is_some() && keys[i] == keys[seen_from] {
                group.copies.push(info.path);
            } else {
                group.versions.push(info.path);
            }
        }
        group.copies.sort();
        group.versions.sort();
        Ok(group)
    }

    /// What the head rule needs of each address.
    fn members(
        &self,
        searcher: &tantivy::Searcher,
        store: &Store,
        addresses: &[DocAddress],
    ) -> Result<Vec<super::fold::Member>, IndexError> {
        let error = |source| self.error(source);
        let mtimes = searcher
            .segment_readers()
            .iter()
            .map(|segment| segment.fast_fields().i64("mtime"))
            .collect::<Result<Vec<_>, _>>()
            .map_err(error)?;
        addresses
            .iter()
            .map(|&a| {
                let mtime = mtimes
                    .get(a.segment_ord as usize)
                    .and_then(|c| c.first(a.doc_id))
                    .unwrap_or(0);
                store
                    .with_doc(a, |doc| super::fold::Member {
                        path: lossy(doc.path),
                        title: lossy(doc.title),
                        date: official_of(doc.official).date,
                        mtime,
                    })
                    .map_err(error)
            })
            .collect()
    }

    /// The report years of `addresses`, from the year column.
    fn years_of(
        &self,
        searcher: &tantivy::Searcher,
        addresses: impl Iterator<Item = DocAddress>,
    ) -> Result<Vec<Option<i32>>, IndexError> {
        let error = |source| self.error(source);
        let mut columns = Vec::new();
        for segment in searcher.segment_readers() {
            columns.push(segment.fast_fields().i64("year").map_err(error)?);
        }
        Ok(addresses
            .map(|a| columns[a.segment_ord as usize].first(a.doc_id).map(|y| y as i32))
            .collect())
    }

    /// Every document (of `years`, when given): newest report year first, documents
    /// without a year last; by title inside a year.
    pub fn list(&self, filter: &Filter) -> Result<Vec<Listed>, IndexError> {
        let error = |source| self.error(source);
        let searcher = self.reader.searcher();
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, Box::new(AllQuery))];
        clauses.extend(
            self.filters(&searcher, filter)
                .into_iter()
                .map(|q| (Occur::Must, q)),
        );
        let query = BooleanQuery::new(clauses);
        let mut addresses: Vec<DocAddress> = searcher
            .search(&query, &DocSetCollector)
            .map_err(error)?
            .into_iter()
            .collect();
        addresses.sort();
        let store = self.store(&searcher)?;
        // Copies and versions (among the documents taken) fold into their head.
        let mut groups: Vec<Vec<DocAddress>> = Vec::new();
        if filter.all_copies {
            groups.extend(addresses.iter().map(|&a| vec![a]));
        } else {
            let versions = self.versions(&searcher)?;
            let keys = self.fold_keys(&searcher, &versions, addresses.iter().copied())?;
            let mut by_key: std::collections::HashMap<u64, usize> = std::collections::HashMap::new();
            for (&address, key) in addresses.iter().zip(keys) {
                match key {
                    Some(key) => match by_key.get(&key) {
                        Some(&g) => groups[g].push(address),
                        None => {
                            by_key.insert(key, groups.len());
                            groups.push(vec![address]);
                        }
                    },
                    None => groups.push(vec![address]),
                }
            }
        }
        let mut listed = Vec::with_capacity(groups.len());
        for members in groups {
            let group = if members.len() > 1 {
                self.group_of(&searcher, &store, &members, &members, None)?
            } else {
                Group::alone(members[0])
            };
            let entry = store
                .with_doc(group.head, |doc| Listed {
                    id: doc.id,
                    path: lossy(doc.path),
                    root: lossy(doc.root),
                    title: lossy(doc.title),
                    year: doc.year.map(|y| y as i32),
                    official: official_of(doc.official),
                    copies: group.copies,
                    versions: group.versions,
                })
                .map_err(error)?;
            listed.push(entry);
        }
        listed.sort_by(|a, b| {
            b.year
                .cmp(&a.year)
                .then_with(|| a.title.cmp(&b.title))
                .then_with(|| a.path.cmp(&b.path))
        });
        Ok(listed)
    }

    /// How many documents each report year has (`None`: no year), newest first.
    pub fn year_counts(&self) -> Result<Vec<(Option<i32>, u64)>, IndexError> {
        let error = |source| self.error(source);
        let searcher = self.reader.searcher();
        let mut counts: std::collections::BTreeMap<Option<i32>, u64> = std::collections::BTreeMap::new();
        // Copies and versions count once per year, as `list` shows them.
        let versions = self.versions(&searcher)?;
        let mut seen = std::collections::HashSet::new();
        for segment in searcher.segment_readers() {
            let column = segment.fast_fields().i64("year").map_err(error)?;
            let keys = segment.fast_fields().u64("copy_key").map_err(error)?;
            for doc in segment.doc_ids_alive() {
                let year = column.first(doc).map(|y| y as i32);
                if let Some(key) = keys.first(doc).map(|k| versions.fold_key(k))
                    && !seen.insert((year, key))
                {
                    continue;
                }
                *counts.entry(year).or_default() += 1;
            }
        }
        Ok(counts.into_iter().rev().collect())
    }

    /// A term's exact match in one scope, unscored beyond BM25 of the match itself.
    fn exact_anywhere(&self, searcher: &tantivy::Searcher, term: &query::Term) -> Box<dyn Query> {
        let f = &self.fields;
        match term.scope {
            Scope::DocNumber => {
                let norm = normalize(&crate::meta::number_key(&term.text));
                return exact(searcher, &norm, f.number_word, f.number_bigram);
            }
            Scope::Issuer => return exact(searcher, &normalize(&term.text), f.issuer_word, f.issuer_bigram),
            Scope::Kind => return self.kind_is(term.text.trim()),
            Scope::Title | Scope::Anywhere => {}
        }
        let norm = normalize(&term.text);
        let title = exact(searcher, &norm, self.fields.title_word, self.fields.title_bigram);
        match term.scope {
            Scope::Title | Scope::DocNumber | Scope::Issuer | Scope::Kind => title,
            Scope::Anywhere => {
                let body = exact(searcher, &norm, self.fields.body_word, self.fields.body_bigram);
                Box::new(BooleanQuery::new(vec![
                    (Occur::Should, body),
                    (Occur::Should, title),
                ]))
            }
        }
    }

    /// Documents holding every bigram of a term (every document that matches it exactly,
    /// and a few more): no positions read. Terms of one or two units are exact already.
    fn present_anywhere(&self, searcher: &tantivy::Searcher, term: &query::Term) -> Box<dyn Query> {
        let norm = normalize(&term.text);
        let pairs = crate::text::tokenizers::bigrams(&norm);
        if pairs.len() < 2 || term.scope.is_metadata() {
            return self.exact_anywhere(searcher, term);
        }
        let present = |field: Field| -> Box<dyn Query> {
            let mut seen = std::collections::HashSet::new();
            let all: Vec<(Occur, Box<dyn Query>)> = pairs
                .iter()
                .filter(|pair| seen.insert(pair.as_str()))
                .map(|pair| {
                    let term = Term::from_field_text(field, pair);
                    (
                        Occur::Must,
                        Box::new(TermQuery::new(term, IndexRecordOption::Basic)) as Box<dyn Query>,
                    )
                })
                .collect();
            Box::new(BooleanQuery::new(all))
        };
        match term.scope {
            Scope::Title | Scope::DocNumber | Scope::Issuer | Scope::Kind => {
                present(self.fields.title_bigram)
            }
            Scope::Anywhere => Box::new(BooleanQuery::new(vec![
                (Occur::Should, present(self.fields.body_bigram)),
                (Occur::Should, present(self.fields.title_bigram)),
            ])),
        }
    }

    /// A positive term: required exact match, plus title boost and jieba-word BM25.
    fn scored(&self, searcher: &tantivy::Searcher, term: &query::Term, matching: Match) -> Box<dyn Query> {
        // A metadata field decides, and every document it admits ranks alike.
        if term.scope.is_metadata() {
            return Box::new(ConstScoreQuery::new(self.exact_anywhere(searcher, term), 1.0));
        }
        let norm = normalize(&term.text);
        let title_exact = exact(searcher, &norm, self.fields.title_word, self.fields.title_bigram);
        let mut parts: Vec<(Occur, Box<dyn Query>)> = vec![(
            Occur::Should,
            Box::new(ConstScoreQuery::new(title_exact, TITLE_BOOST)),
        )];
        // The exact match decides, unscored: counting a phrase's occurrences in every
        // matching document cost more than the rest of the search. A candidate needs only
        // the phrase's bigrams; and a common phrase's candidates are simply the documents
        // its words score, best first, since every match they miss scores 0.
        let decides = match matching {
            Match::Candidates if self.words_pick_candidates(searcher, term) => None,
            Match::Candidates => Some(self.present_anywhere(searcher, term)),
            Match::Exact | Match::Only => Some(self.exact_anywhere(searcher, term)),
        };
        if let Some(decides) = decides {
            parts.push((Occur::Must, Box::new(ConstScoreQuery::new(decides, 0.0))));
        }
        if term.scope == Scope::Anywhere {
            let words: Vec<Term> = ranking_words(&norm)
                .into_iter()
                .map(|word| Term::from_field_text(self.fields.body_word, word))
                .collect();
            // How often the term occurs, cheaply: the BM25 of its first two units — unless
            // those two are an indexed word already, whose BM25 says as much.
            if let Some(first) = crate::text::tokenizers::bigrams(&norm).into_iter().next() {
                let as_word = Term::from_field_text(self.fields.body_word, &first);
                if !(words.contains(&as_word) && searcher.doc_freq(&as_word).unwrap_or(0) > 0) {
                    let proxy = Term::from_field_text(self.fields.body_bigram, &first);
                    parts.push((
                        Occur::Should,
                        Box::new(TermQuery::new(proxy, IndexRecordOption::WithFreqs)),
                    ));
                }
            }
            for word in words {
                parts.push((
                    Occur::Should,
                    Box::new(TermQuery::new(word, IndexRecordOption::WithFreqs)),
                ));
            }
        }
        Box::new(BooleanQuery::new(parts))
    }
}

/// Longest Chinese word the query side looks for.
const MAX_WORD_CHARS: usize = 8;

/// The words of a normalised query term that may stand in the word field: Latin and
/// digit words as they are, and every run of 2 to 8 Chinese characters (a lone character
/// when that is all there is). Words jieba never produced are simply absent from the
/// index, so this finds what jieba's search mode would, without loading its dictionary.
fn ranking_words(norm: &str) -> Vec<&str> {
    fn flush<'a>(norm: &'a str, run: &mut Vec<(usize, usize)>, words: &mut Vec<&'a str>) {
        let min = if run.len() == 1 { 1 } else { 2 };
        for i in 0..run.len() {
            for len in min..=MAX_WORD_CHARS.min(run.len() - i) {
                words.push(&norm[run[i].0..run[i + len - 1].1]);
            }
        }
        run.clear();
    }
    let mut words = Vec::new();
    let mut run: Vec<(usize, usize)> = Vec::new();
    for unit in units(norm) {
        match unit.kind {
            UnitKind::Char if norm[unit.start..unit.end].chars().all(crate::text::is_cjk) => {
                run.push((unit.start, unit.end));
            }
            kind => {
                flush(norm, &mut run, &mut words);
                if kind == UnitKind::Word {
                    words.push(&norm[unit.start..unit.end]);
                }
            }
        }
    }
    flush(norm, &mut run, &mut words);
    words
}

/// The bigram terms, in any segment, whose first unit is the character `first`.
fn bigrams_starting_with(searcher: &tantivy::Searcher, field: Field, first: &str) -> Vec<Term> {
    let prefix = first.as_bytes();
    let mut upper = prefix.to_vec();
    if let Some(last) = upper.last_mut() {
        *last = last.saturating_add(1);
    }
    let mut keys: std::collections::BTreeSet<Vec<u8>> = std::collections::BTreeSet::new();
    for segment in searcher.segment_readers() {
        let Ok(inverted) = segment.inverted_index(field) else {
            continue;
        };
        let Ok(mut stream) = inverted.terms().range().ge(prefix).lt(&upper).into_stream() else {
            continue;
        };
        while stream.advance() {
            keys.insert(stream.key().to_vec());
        }
    }
    keys.into_iter()
        .filter_map(|key| String::from_utf8(key).ok())
        .map(|text| Term::from_field_text(field, &text))
        .collect()
}

/// The exact-match query of a normalised term in one pair of fields. A Latin/digit word
/// is a term of the word field, which holds every such word of the text whole. A single
/// other character is every bigram that starts with it (the text's last unit has a bigram
/// with the end marker): exact, since a bigram's first unit is then that very character.
/// Longer terms are phrases of consecutive bigrams.
fn exact(searcher: &tantivy::Searcher, norm: &str, word_field: Field, bigram_field: Field) -> Box<dyn Query> {
    let all: Vec<_> = units(norm).collect();
    if let [only] = all.as_slice() {
        match only.kind {
            UnitKind::Word => {
                let term = Term::from_field_text(word_field, only.text(norm));
                return Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs));
            }
            UnitKind::Char => {
                return Box::new(TermSetQuery::new(bigrams_starting_with(
                    searcher,
                    bigram_field,
                    only.text(norm),
                )));
            }
            UnitKind::Space => {}
        }
    }
    // Bigrams at offsets 0, 2, 4 … and the last one cover every unit at its place: as
    // exact as all of them, with about half the positions to read.
    let all_pairs = crate::text::tokenizers::bigrams(norm);
    let last = all_pairs.len().saturating_sub(1);
    let pairs: Vec<(usize, Term)> = all_pairs
        .into_iter()
        .enumerate()
        .filter(|&(i, _)| i % 2 == 0 || i == last)
        .map(|(i, b)| (i, Term::from_field_text(bigram_field, &b)))
        .collect();
    match pairs.len() {
        0 => Box::new(BooleanQuery::new(Vec::new())),
        1 => {
            let (_, term) = pairs.into_iter().next().expect("one pair");
            Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs))
        }
        _ => Box::new(PhraseQuery::new_with_offset(pairs)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A searcher over an index of documents given as (path, text), with no years.
    fn searcher_of(docs: &[(String, String)]) -> (tempfile::TempDir, Searcher) {
        let refs: Vec<(&str, &str, Option<i32>)> =
            docs.iter().map(|(p, t)| (p.as_str(), t.as_str(), None)).collect();
        let (dir, index, fields) = super::super::writer::test_index(&refs);
        let searcher = Searcher::new(&index, fields, dir.path()).expect("searcher");
        (dir, searcher)
    }

    #[test]
    fn hits_streamed_in_chunks_are_the_hits_gathered_whole() {
        let docs: Vec<(String, String)> = (0..12)
            .map(|i| {
                // Copies of one text (i % 5 == 0), the rest each its own; the term more often
                // in some than in others, so the ranking is not index order.
                let text = if i % 5 == 0 {
                    "河长制工作总结。河长制巡河。".to_string()
                } else {
                    format!(
                        "第{i}号报告：{}其他内容{i}。",
                        "河长制落实情况，".repeat(i % 4 + 1)
                    )
                };
                (format!("/档案/{i:02}.docx"), text)
            })
            .collect();
        let (_dir, searcher) = searcher_of(&docs);
        let query = query::parse("河长制").expect("query");
        let options = SearchOptions::default();
        let whole = searcher.search(&query, &options).expect("search");
        let shown = |hits: &[Hit]| -> Vec<(String, f32, Vec<String>, String)> {
            hits.iter()
                .map(|h| (h.path.clone(), h.score, h.copies.clone(), h.snippet.text.clone()))
                .collect()
        };
        // The three copies fold into one hit: ten in all.
        assert_eq!(whole.len(), 10, "{:?}", shown(&whole));
        // Streamed, each hit rendered as the path, score, copies and snippet on a line.
        let render = |hit: &Hit, bytes: &mut Vec<u8>| -> Result<(), IndexError> {
            bytes.extend(format!("{:?}\n", shown(std::slice::from_ref(hit))).into_bytes());
            Ok(())
        };
        let expected: String = whole
            .iter()
            .map(|hit| format!("{:?}\n", shown(std::slice::from_ref(hit))))
            .collect();
        for chunk in [1, 3, 64] {
            let mut streamed = Vec::new();
            let count = searcher
                .search_in_chunks(
                    &query,
                    &options,
                    chunk,
                    render,
                    |bytes| -> Result<(), IndexError> {
                        streamed.extend_from_slice(bytes);
                        Ok(())
                    },
                )
                .expect("stream");
            assert_eq!(count, whole.len());
            assert_eq!(String::from_utf8_lossy(&streamed), expected, "chunks of {chunk}");
        }
        // A reader that stops (a closed pipe) stops the search, with its error.
        let mut taken = 0;
        let render = |_: &Hit, bytes: &mut Vec<u8>| -> anyhow::Result<()> {
            bytes.push(b'.');
            Ok(())
        };
        let stopped = searcher.search_in_chunks(&query, &options, 1, render, |_| {
            taken += 1;
            if taken == 2 {
                Err(anyhow::anyhow!("pipe closed"))
            } else {
                Ok(())
            }
        });
        assert_eq!(stopped.map_err(|e| e.to_string()), Err("pipe closed".to_string()));
        assert_eq!(taken, 2);
        // So does a hit that cannot be rendered.
        let mut written = 0;
        let failing = |hit: &Hit, _: &mut Vec<u8>| -> anyhow::Result<()> {
            anyhow::ensure!(hit.copies.is_empty(), "cannot render {}", hit.path);
            Ok(())
        };
        let stopped = searcher.search_in_chunks(&query, &options, 1, failing, |_| {
            written += 1;
            Ok(())
        });
        assert!(stopped.is_err());
        assert!(written < whole.len(), "{written}");
    }

    #[test]
    fn candidates_scored_by_words_rank_as_every_match_does() {
        // `资金投入` and `投入资金` share their bigrams' characters, and each bigram of
        // both is in most documents, so a limited search checks candidates that its words
        // pick (not those holding all its bigrams). `投入了资金` holds the words, not the
        // phrase; one title holds the phrase; only two documents hold `资金投入了`, whose
        // bigrams are all common too (the candidates run out before the page is full).
        let docs: Vec<(String, String)> = (0..30)
            .map(|i| {
                let text = match i % 3 {
                    0 => format!("第{i}号。{}年底完成。", "投入资金".repeat(i % 5 + 1)),
                    1 => format!("第{i}号。资金投入{}。投入了资金。", "到位".repeat(i % 4)),
                    _ => format!("第{i}号。投入资金，资金投入。"),
                };
                let text = if i < 2 {
                    format!("{text}资金投入了。")
                } else {
                    text
                };
                let title = if i == 7 { "投入资金情况" } else { "报告" };
                (format!("/档案/{i:02}/{title}.docx"), text)
            })
            .collect();
        let (_dir, searcher) = searcher_of(&docs);
        let tantivy_searcher = searcher.reader.searcher();
        for (text, limit) in [
            ("投入资金", 3),
            ("投入资金", 25),
            ("资金投入", 4),
            ("资金投入了", 5),
        ] {
            let query = query::parse(text).expect("query");
            let term = query.positive_terms().next().expect("a term");
            assert!(searcher.words_pick_candidates(&tantivy_searcher, term), "{text}");
            let hits = |check| {
                let options = SearchOptions {
                    limit,
                    check_candidates: Some(check),
                    ..SearchOptions::default()
                };
                let found = searcher.search(&query, &options).expect("search");
                found
                    .iter()
                    .map(|h| (h.path.clone(), h.score))
                    .collect::<Vec<_>>()
            };
            let exact = hits(false);
            assert_eq!(hits(true), exact, "{text}, {limit} hits");
            if text == "资金投入了" {
                assert_eq!(exact.len(), 2, "{exact:?}");
            }
        }
    }

    #[test]
    fn ranking_words_cover_what_jieba_would_find() {
        let words = ranking_words("民族团结");
        for w in ["民族", "团结", "民族团结", "族团"] {
            assert!(words.contains(&w), "{w} in {words:?}");
        }
        assert!(
            !words.contains(&"民"),
            "lone characters only for one-character terms"
        );
        assert_eq!(ranking_words("族"), ["族"]);
        assert_eq!(ranking_words("5g网络"), ["5", "g", "网络"]);
        assert_eq!(ranking_words("app8060余人"), ["app", "8060", "余人"]);
    }
}
