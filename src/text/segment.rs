//! Chinese word segmentation behind a one-method trait, with jieba's dictionary loaded once
//! per process and shared by every tokenizer and thread.

use std::sync::LazyLock;

use jieba_rs::Jieba;

/// Splits a run of Chinese text into words.
pub trait Segmenter: Send + Sync {
    /// Calls `word(start, end)` with byte ranges of `text`, in order; search mode may give
    /// overlapping words (`中华人民共和国` → `中华`, `华人`, `人民`, `共和`, `共和国`, …).
    fn segment(&self, text: &str, word: &mut dyn FnMut(usize, usize));
}

/// jieba in search mode, without HMM (new-word guessing costs time and the exact field
/// already finds what a dictionary misses).
pub struct ChineseSegmenter;

static JIEBA: LazyLock<Jieba> = LazyLock::new(Jieba::new);

impl Segmenter for ChineseSegmenter {
    fn segment(&self, text: &str, word: &mut dyn FnMut(usize, usize)) {
        for token in JIEBA.cut_for_search(text, false) {
            word(token.byte_start, token.byte_end);
        }
    }
}

/// Loads the dictionary now (it otherwise loads on first use).
pub fn preload() {
    LazyLock::force(&JIEBA);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_mode_gives_words_with_byte_ranges() {
        let text = "民族团结进步";
        let mut words = Vec::new();
        ChineseSegmenter.segment(text, &mut |s, e| words.push(&text[s..e]));
        assert!(words.contains(&"民族"), "{words:?}");
        assert!(words.contains(&"团结"), "{words:?}");
    }
}
