//! A query wrapper for excluded terms (`-term`).
//!
//! tantivy 0.27 builds an exclusion by asking the excluded scorer, document by document,
//! whether it holds each candidate (`seek_danger`), also when that scorer already stands
//! past the candidate — at its end, say, when a phrase's words occur in a segment but never
//! together. A phrase scorer asserts that it is never asked to go back (a debug assertion:
//! debug builds panic, release builds answer from an exhausted scorer). The wrapper answers
//! such questions itself: a scorer standing at `doc` holds nothing before it, and one that
//! missed a `seek_danger` holds nothing before the lower bound it gave (a phrase's words
//! may have jumped ahead to where they next occur together).

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
            bound: 0,
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
    /// After a `seek_danger` that missed: the lower bound it gave. `inner` may stand on it
    /// (an intersection that jumped to its next document) and holds nothing before it.
    bound: DocId,
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
        } else if target < self.bound {
            return SeekDangerResult::SeekLowerBound(self.bound);
        }
        let result = self.inner.seek_danger(target);
        match result {
            SeekDangerResult::Found => self.settled = true,
            SeekDangerResult::SeekLowerBound(bound) => {
                self.settled = false;
                self.bound = bound;
            }
        }
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

    #[test]
    fn excluding_a_phrase_whose_words_first_meet_far_ahead() {
        // Reports with the phrase, with its words apart, and without them: asked about
        // one report, the phrase's words may jump to the next where both occur, and the
        // reports between are then asked about behind where they stand.
        let texts: Vec<(String, String)> = (0..30)
            .map(|i| {
                let text = match i % 7 {
                    0 => "整治河长制工作",
                    3 => "河长巡河，长制度",
                    5 => "整治河长巡河，长制度",
                    _ => "整治工作",
                };
                (format!("/档案/{i:02}.docx"), text.to_string())
            })
            .collect();
        let docs: Vec<(&str, &str, Option<i32>)> = texts
            .iter()
            .map(|(p, t)| (p.as_str(), t.as_str(), None))
            .collect();
        let (dir, index, fields) = crate::index::writer::test_index(&docs);
        let searcher = Searcher::new(&index, fields, dir.path()).expect("searcher");
        let query = crate::query::parse("整治 -河长制").expect("query");
        for limit in [0, 1, 5] {
            let options = SearchOptions {
                limit,
                check_candidates: Some(false),
                filter: crate::index::search::Filter {
                    all_copies: true,
                    ..Default::default()
                },
                ..SearchOptions::default()
            };
            let hits = searcher.search(&query, &options).expect("search");
            assert_eq!(hits.len(), if limit == 0 { 21 } else { limit });
        }
    }
}
