//! The tantivy tokenizers, over text already [normalised](super::normalize):
//!
//! - [`BigramTokenizer`]: every pair of neighbouring units, white space included, at the
//!   first unit's position, so a query of k units is a phrase of its k−1 pairs — exact; the
//!   last unit pairs with [`END`], so every character starts some pair and a one-character
//!   query is the pairs that start with it;
//! - [`WordTokenizer`]: jieba's search-mode words for Chinese runs and every run of
//!   letters and every run of digits whole (`app8060` gives `app` and `8060`), for BM25
//!   ranking — and for exact one-word queries (`gdp`, `2023`), since its letter and digit
//!   tokens are exactly the text's word units.
//!
//! Offsets are byte offsets into the text given, whatever its script.

use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

use super::segment::{ChineseSegmenter, Segmenter};
use super::{Unit, UnitKind, Units, is_cjk, units};

/// The [`BigramTokenizer`]'s name, as registered in the index.
pub const BIGRAM: &str = "dangan_bigram";
/// The [`WordTokenizer`]'s name, as registered in the index.
pub const WORD: &str = "dangan_word";

/// What the last unit of a text is paired with (a control character XML text never holds).
pub const END: &str = "\u{3}";

fn set_token(token: &mut Token, text: &str, start: usize, end: usize) {
    token.text.clear();
    token.text.push_str(&text[start..end]);
    token.offset_from = start;
    token.offset_to = end;
}

/// One token per pair of neighbouring units, at the position of the first.
#[derive(Clone, Default)]
pub struct BigramTokenizer;

/// The tokens of one text from [`BigramTokenizer`]: positions 0, 1, 2 … one per unit.
pub struct BigramStream<'a> {
    text: &'a str,
    units: Units<'a>,
    previous: Option<Unit>,
    position: usize,
    token: Token,
}

impl Tokenizer for BigramTokenizer {
    type TokenStream<'a> = BigramStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> BigramStream<'a> {
        let mut units = units(text);
        let previous = units.next();
        BigramStream {
            text,
            units,
            previous,
            position: 0,
            token: Token::default(),
        }
    }
}

impl TokenStream for BigramStream<'_> {
    fn advance(&mut self) -> bool {
        let Some(first) = self.previous else { return false };
        let second = self.units.next();
        set_pair(&mut self.token, self.text, first, second);
        self.token.position = self.position;
        self.position += 1;
        self.previous = second;
        true
    }

    fn token(&self) -> &Token {
        &self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.token
    }
}

/// Makes `token` the pair of `first` and `second` (the [`END`] marker when there is none),
/// spanning both.
pub fn set_pair(token: &mut Token, text: &str, first: Unit, second: Option<Unit>) {
    token.text.clear();
    token.text.push_str(first.text(text));
    token.text.push_str(second.map_or(END, |s| s.text(text)));
    token.offset_from = first.start;
    token.offset_to = second.map_or(first.end, |s| s.end);
}

/// The bigram terms of a normalised query term, in order (empty for one unit; the pair
/// with [`END`] is not part of a query).
pub fn bigrams(normalized: &str) -> Vec<String> {
    let mut tokenizer = BigramTokenizer;
    let mut stream = tokenizer.token_stream(normalized);
    let mut out = Vec::new();
    while stream.advance() {
        out.push(stream.token().text.clone());
    }
    out.pop();
    out
}

/// jieba words for Chinese runs, whole words for Latin letters and digits.
#[derive(Clone, Default)]
pub struct WordTokenizer;

/// The tokens of one text from [`WordTokenizer`], one position each (the word fields keep
/// no positions).
pub struct WordStream<'a> {
    text: &'a str,
    spans: std::vec::IntoIter<(usize, usize)>,
    token: Token,
}

impl Tokenizer for WordTokenizer {
    type TokenStream<'a> = WordStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> WordStream<'a> {
        WordStream {
            text,
            spans: word_spans(text).into_iter(),
            token: Token::default(),
        }
    }
}

impl TokenStream for WordStream<'_> {
    fn advance(&mut self) -> bool {
        let Some((start, end)) = self.spans.next() else {
            return false;
        };
        set_token(&mut self.token, self.text, start, end);
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

/// Byte ranges of the ranking words of normalised text: jieba's search-mode words made of
/// Chinese characters, and the whole Latin/digit words of the rest.
///
/// jieba runs once over the whole text (once per clause cost twice as much); what it
/// gives for anything but Chinese (punctuation, Latin runs, its compound parts) is
/// replaced by the word units of that stretch, so Latin words stay whole words.
pub fn word_spans(text: &str) -> Vec<(usize, usize)> {
    let mut spans = Vec::with_capacity(text.len() / 4);
    let mut other: Option<(usize, usize)> = None;
    let flush = |other: &mut Option<(usize, usize)>, spans: &mut Vec<(usize, usize)>| {
        if let Some((start, end)) = other.take() {
            let stretch = &text[start..end];
            for unit in units(stretch).filter(|u| u.kind == UnitKind::Word) {
                spans.push((start + unit.start, start + unit.end));
            }
        }
    };
    ChineseSegmenter.segment(text, &mut |start, end| {
        if is_chinese_word(&text[start..end]) {
            flush(&mut other, &mut spans);
            spans.push((start, end));
        } else {
            other = Some(other.map_or((start, end), |(s, e)| (s.min(start), e.max(end))));
        }
    });
    flush(&mut other, &mut spans);
    spans
}

/// A word of Chinese (or other CJK) characters, not punctuation such as `。`.
fn is_chinese_word(word: &str) -> bool {
    // Nearly every word is of U+4000..U+9FFF, three bytes each with lead byte E4..E9
    // (less the hexagram symbols U+4DC0..U+4DFF, E4 B7 xx).
    let bytes = word.as_bytes();
    if !bytes.is_empty()
        && bytes.len().is_multiple_of(3)
        && bytes
            .chunks_exact(3)
            .all(|c| (0xE5..=0xE9).contains(&c[0]) || (c[0] == 0xE4 && c[1] != 0xB7))
    {
        return true;
    }
    word.chars()
        .all(|c| is_cjk(c) && !matches!(c as u32, 0x3000..=0x303F))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn collect<T: Tokenizer>(mut tokenizer: T, text: &str) -> Vec<(String, usize, usize, usize)> {
        let mut stream = tokenizer.token_stream(text);
        let mut out = Vec::new();
        while stream.advance() {
            let t = stream.token();
            out.push((t.text.clone(), t.position, t.offset_from, t.offset_to));
        }
        out
    }

    #[test]
    fn word_tokens_hold_every_latin_and_digit_word_whole() {
        // One-word queries are exact matches in the word field: every word unit must be a
        // word token, with its byte range, whatever jieba makes of its neighbours.
        for raw in [
            "😀民 5g",
            "café中文naïve 3.6.3 ＧＤＰ增长x86_64",
            "卡拉OK和B超、T恤 abc123中 αβγ ok",
            "第3季度5g网络wes-5.4.5。",
            "APP8060余人，GDP20亿元，ＧＤＰ２０万元",
            "Москва2024年 αβγ2 naïve3 x86_64架构 m²",
            "\u{663}\u{664}abc第\u{663}章 1,200万元 12.55%",
        ] {
            let text = crate::text::normalize(raw);
            let want: Vec<(usize, usize)> = crate::text::units(&text)
                .filter(|u| u.kind == UnitKind::Word)
                .map(|u| (u.start, u.end))
                .collect();
            let got: Vec<(usize, usize)> = word_spans(&text)
                .into_iter()
                .filter(|&(s, e)| text[s..e].chars().all(crate::text::is_word_char))
                .collect();
            assert_eq!(got, want, "{text}");
        }
        let got = collect(WordTokenizer, "😀民 5g");
        let tail: Vec<(&str, usize, usize)> = got[got.len() - 2..]
            .iter()
            .map(|t| (t.0.as_str(), t.2, t.3))
            .collect();
        assert_eq!(tail, [("5", 8, 9), ("g", 9, 10)]);
    }

    #[test]
    fn bigrams_overlap_at_consecutive_positions() {
        let got = collect(BigramTokenizer, "民族团结 5g");
        let texts: Vec<(&str, usize)> = got.iter().map(|t| (t.0.as_str(), t.1)).collect();
        assert_eq!(
            texts,
            [
                ("民族", 0),
                ("族团", 1),
                ("团结", 2),
                ("结 ", 3),
                (" 5", 4),
                ("5g", 5),
                ("g\u{3}", 6)
            ]
        );
        assert_eq!((got[5].2, got[5].3), (13, 15), "byte offsets of 5g");
        assert_eq!((got[1].2, got[1].3), (3, 9), "byte offsets of 族团");
        let tabbed = collect(BigramTokenizer, "结\t\n5g");
        assert_eq!(
            (tabbed[0].0.as_str(), tabbed[0].3),
            ("结 ", 5),
            "white space compares as one space"
        );
        assert_eq!(bigrams("民族团"), ["民族", "族团"]);
        assert!(bigrams("民").is_empty());
        // Letters and digits written together: a pair of two units, kept together.
        assert_eq!(bigrams("5g"), ["5g"]);
        assert_eq!(bigrams("app8060余"), ["app8060", "8060余"]);
        assert!(bigrams("app").is_empty());
    }

    #[test]
    fn words_are_jieba_for_chinese_and_whole_for_latin() {
        let text = crate::text::normalize("民族团结进步。5G网络 3.6.3 café WES-5.4.5 第3季度 APP8060余人");
        let words: Vec<&str> = word_spans(&text).iter().map(|&(s, e)| &text[s..e]).collect();
        assert!(words.contains(&"民族") && words.contains(&"团结"), "{words:?}");
        assert!(words.contains(&"5") && words.contains(&"g"), "{words:?}");
        assert!(!words.contains(&"5g") && words.contains(&"网络"), "{words:?}");
        assert!(words.contains(&"app") && words.contains(&"8060"), "{words:?}");
        assert!(!words.iter().any(|w| w.contains("app8")), "{words:?}");
        assert_eq!(words.iter().filter(|w| **w == "3").count(), 3, "{words:?}");
        assert!(words.contains(&"café") && words.contains(&"wes"), "{words:?}");
        assert!(words.contains(&"季度") && !words.contains(&"。"), "{words:?}");
        assert!(
            !words.iter().any(|w| w.contains('-') || w.contains('.')),
            "{words:?}"
        );
    }
}
