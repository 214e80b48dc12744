//! A query wrapper for excluded terms (`-term`).
//!
//! tantivy 0.27 builds an exclusion by asking the excluded scorer, document by document,
//! whether it holds each candidate (`seek_danger`), also when that scorer already stands
//! past the candidate — at its end, say, when a phrase's words occur in a segment but never
//! together. A phrase scorer asserts that it is never asked to go back (a debug assertion:
//! debug builds panic, release builds answer from an exhausted scorer). The wrapper answers
//! such questions itself: a scorer standing at `doc` holds nothing before it.

use tantivy::query::{EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::{DocId, DocSet, Score, SeekDangerResult, SegmentReader};

/// `inner`, whose scorers are never asked to seek backwards.
#[derive(Debug)]
pub struct NoBackwardSeek(pub Box<dyn Query>);

impl Clone for NoBackwardSeek {
    fn clone(&self) -> Self {
        NoBackwardSeek(self.0.box_clone())
    }
}

impl Query for NoBackwardSeek {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(GuardWeight(self.0.weight(enable_scoring)?)))
    }
}

struct GuardWeight(Box<dyn Weight>);

impl Weight for GuardWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        Ok(Box::new(GuardScorer {
            inner: self.0.scorer(reader, boost)?,
            settled: true,
        }))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        self.0.explain(reader, doc)
    }
}

struct GuardScorer {
    inner: Box<dyn Scorer>,
    /// Whether `inner.doc()` is meaningful: not after a `seek_danger` that missed.
    settled: bool,
}

impl DocSet for GuardScorer {
    fn advance(&mut self) -> DocId {
        self.settled = true;
        self.inner.advance()
    }

    fn seek(&mut self, target: DocId) -> DocId {
        self.settled = true;
        let doc = self.inner.doc();
        if doc >= target {
            doc
        } else {
            self.inner.seek(target)
        }
    }

    fn seek_danger(&mut self, target: DocId) -> SeekDangerResult {
        if self.settled {
            let doc = self.inner.doc();
            if doc == target {
                return SeekDangerResult::Found;
            }
            if doc > target {
                return SeekDangerResult::SeekLowerBound(doc);
            }
        }
        let result = self.inner.seek_danger(target);
        self.settled = result == SeekDangerResult::Found;
        result
    }

    fn doc(&self) -> DocId {
        self.inner.doc()
    }

    fn size_hint(&self) -> u32 {
        self.inner.size_hint()
    }
}

impl Scorer for GuardScorer {
    fn score(&mut self) -> Score {
        self.inner.score()
    }
}

#[cfg(test)]
mod tests {
    use crate::index::search::{SearchOptions, Searcher};

    #[test]
    fn excluding_a_phrase_whose_words_occur_apart() {
        // 河长 and 长制 occur, 河长制 does not: the phrase scorer is exhausted from the start.
        let (dir, index, fields) = crate::index::writer::test_index(&[
            ("/档案/a.docx", "乡村振兴，河长巡河，长制度", None),
            ("/档案/b.docx", "乡村振兴与河长制", None),
        ]);
        let searcher = Searcher::new(&index, fields, dir.path()).expect("searcher");
        for limit in [0, 1] {
            let options = SearchOptions {
                limit,
                ..SearchOptions::default()
            };
            let query = crate::query::parse("乡村振兴 -河长制").expect("query");
            let hits = searcher.search(&query, &options).expect("search");
            let paths: Vec<&str> = hits.iter().map(|h| h.path.as_str()).collect();
            assert_eq!(paths, ["/档案/a.docx"]);
        }
    }
}
