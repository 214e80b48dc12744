//! Text analysis shared by indexing and queries: normalisation (NFKC, lower case) and the
//! *units* that exact matching is built on.
//!
//! After normalisation, text is a sequence of units: a run of white space, a run of letters
//! (Latin, Greek, Cyrillic …), a run of digits, or any other single character (a Chinese
//! character, a punctuation mark, an emoji). Letters and digits written together are two
//! units (`app8060` is `app` and `8060`, `5g` is `5` and `g`); punctuation stays a unit of
//! its own, so `2.5` is `2` `.` `5`. A query term matches a document exactly when its units
//! occur consecutively among the document's units; that is substring matching for Chinese
//! and whole-word matching for words and numbers (`20万元` is not in `120万元`, nor `2.5` in
//! `12.5` or `2.55`).

pub mod segment;
pub mod tokenizers;

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::canonical_combining_class;

/// Characters matched one by one (never as part of a word): CJK ideographs, kana, Hangul,
/// bopomofo and CJK symbols such as `〇`.
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x2E80..=0x2FDF      // radicals
        | 0x3000..=0x303F    // CJK symbols and punctuation (〇 〔 〕 …)
        | 0x3040..=0x31FF    // kana, bopomofo, Hangul compatibility jamo, kanbun
        | 0x3400..=0x4DBF    // extension A
        | 0x4E00..=0x9FFF    // unified ideographs
        | 0xA960..=0xA97F    // Hangul jamo extended-A
        | 0xAC00..=0xD7FF    // Hangul syllables and jamo extended-B
        | 0xF900..=0xFAFF    // compatibility ideographs
        | 0x1100..=0x11FF    // Hangul jamo
        | 0x20000..=0x3FFFF) // extensions B–H
}

/// Which run of word characters a character belongs to: a run of letters and a run of
/// digits are separate words even when written together.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WordClass {
    /// Alphabetic: Latin, Greek, Cyrillic, accented … letters (and letter numbers such as
    /// Gothic ones, which read as letters).
    Letter,
    /// Numeric but not alphabetic: `0`–`9` and the digits of other scripts (`٣`).
    Digit,
}

/// The word class of `c`; `None` for white space, punctuation, symbols and CJK characters
/// (which are matched one by one).
pub fn word_class(c: char) -> Option<WordClass> {
    if c.is_ascii() {
        return if c.is_ascii_alphabetic() {
            Some(WordClass::Letter)
        } else if c.is_ascii_digit() {
            Some(WordClass::Digit)
        } else {
            None
        };
    }
    if is_cjk(c) {
        None
    } else if c.is_alphabetic() {
        Some(WordClass::Letter)
    } else if c.is_numeric() {
        Some(WordClass::Digit)
    } else {
        None
    }
}

/// Letters and digits that form whole words (anything alphanumeric but CJK).
pub fn is_word_char(c: char) -> bool {
    word_class(c).is_some()
}

/// Whether `c` needs no normalisation: lower-case ASCII, or an ideograph or Hangul syllable
/// (NFKC-stable, caseless).
fn is_stable(c: char) -> bool {
    (c.is_ascii() && !c.is_ascii_uppercase())
        || matches!(c as u32, 0x4E00..=0x9FFF | 0x3400..=0x4DBF | 0xAC00..=0xD7A3)
}

/// NFKC and lower case, cluster by cluster (a character and the combining marks after it),
/// calling `emit(original_start, normalised_start)` at the start of each cluster so that
/// callers can map normalised offsets back to the original text.
fn normalize_into(text: &str, out: &mut String, mut emit: impl FnMut(usize, usize)) {
    out.reserve(text.len());
    let mut chars = text.char_indices().peekable();
    let mut cluster = String::new();
    while let Some((start, c)) = chars.next() {
        emit(start, out.len());
        let next_is_mark = chars.peek().is_some_and(|&(_, n)| is_mark(n));
        if !next_is_mark {
            if is_stable(c) {
                out.push(c);
                continue;
            }
            if c.is_ascii() {
                out.push(c.to_ascii_lowercase());
                continue;
            }
            // A lone character (full-width punctuation, mostly): its form, remembered.
            SINGLE.with(|memo| {
                let mut memo = memo.borrow_mut();
                let form = memo
                    .entry(c)
                    .or_insert_with(|| normalize_cluster(&c.to_string()).into());
                out.push_str(form);
            });
            continue;
        }
        cluster.clear();
        cluster.push(c);
        while let Some(&(_, n)) = chars.peek() {
            if n.is_ascii() || canonical_combining_class(n) == 0 {
                break;
            }
            cluster.push(n);
            chars.next();
        }
        out.push_str(&normalize_cluster(&cluster));
    }
}

/// Whether `c` combines with the character before it (canonical combining class not 0).
/// Chinese characters and full-width forms never do; only others are looked up.
pub fn is_mark(c: char) -> bool {
    !c.is_ascii()
        && !matches!(c as u32, 0x3400..=0x9FFF | 0xFF00..=0xFFEF)
        && canonical_combining_class(c) != 0
}

thread_local! {
    /// The normalised form of each lone non-trivial character met so far on this thread.
    static SINGLE: std::cell::RefCell<std::collections::HashMap<char, Box<str>>> = Default::default();
}

/// NFKC, then lower case, of one grapheme cluster (a character and its marks).
fn normalize_cluster(cluster: &str) -> String {
    let mut out = String::with_capacity(cluster.len());
    for n in cluster.nfkc() {
        if n.is_ascii() {
            out.push(n.to_ascii_lowercase());
        } else {
            out.extend(n.to_lowercase());
        }
    }
    out
}

/// The normalised form of `text` that indexing and queries compare: NFKC, then lower case.
/// Full-width forms become ASCII (`ＧＤＰ２０` → `gdp20`).
pub fn normalize(text: &str) -> String {
    let mut out = String::new();
    normalize_into(text, &mut out, |_, _| {});
    out
}

/// [`normalize`], plus a map from normalised byte offsets back to the original text:
/// sorted `(normalised_start, original_start)` pairs, one per cluster.
pub fn normalize_with_map(text: &str) -> (String, Vec<(usize, usize)>) {
    let mut out = String::new();
    let mut map = Vec::with_capacity(text.len() / 2);
    normalize_into(text, &mut out, |orig, norm| map.push((norm, orig)));
    (out, map)
}

/// The original byte offset of normalised offset `norm` (the start of its cluster).
pub fn original_offset(map: &[(usize, usize)], norm: usize) -> usize {
    match map.binary_search_by_key(&norm, |&(n, _)| n) {
        Ok(i) => map[i].1,
        Err(0) => 0,
        Err(i) => map[i - 1].1,
    }
}

/// What a unit is made of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnitKind {
    /// A run of white space (any amount compares equal).
    Space,
    /// A run of letters or a run of digits (`app`, `8060`): a word, matched whole.
    Word,
    /// One other character.
    Char,
}

/// One unit of normalised text, by byte range.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Unit {
    /// Byte offset of its first character in the normalised text.
    pub start: usize,
    /// Byte offset just past its last character (exclusive).
    pub end: usize,
    /// What it is made of.
    pub kind: UnitKind,
}

impl Unit {
    /// The unit's text as compared: white space compares as one space.
    pub fn text<'a>(&self, normalized: &'a str) -> &'a str {
        match self.kind {
            UnitKind::Space => " ",
            _ => &normalized[self.start..self.end],
        }
    }
}

/// Whether a unit of the normalised `text` starts at byte `at` (a character boundary):
/// unless the characters either side are both white space or both of one word class, a
/// run that [`units`] would have kept together.
pub fn unit_starts_at(text: &str, at: usize) -> bool {
    let (Some(before), Some(here)) = (text[..at].chars().next_back(), text[at..].chars().next()) else {
        return true;
    };
    if before.is_whitespace() {
        return !here.is_whitespace();
    }
    match word_class(before) {
        Some(class) => word_class(here) != Some(class),
        None => true,
    }
}

/// The units of normalised text, in order.
pub fn units(normalized: &str) -> Units<'_> {
    Units {
        text: normalized,
        pos: 0,
    }
}

/// Iterator over [`Unit`]s.
#[derive(Debug, Clone)]
pub struct Units<'a> {
    text: &'a str,
    pos: usize,
}

impl Iterator for Units<'_> {
    type Item = Unit;

    fn next(&mut self) -> Option<Unit> {
        let rest = &self.text[self.pos..];
        let start = self.pos;
        let &lead = rest.as_bytes().first()?;
        // The common cases first: a character of U+4000..U+9FFF (Chinese; never white
        // space or a word character) and ASCII punctuation are units of their own.
        if (0xE4..=0xE9).contains(&lead) || lead.is_ascii_punctuation() {
            let len = if lead < 0x80 { 1 } else { 3 };
            self.pos += len;
            return Some(Unit {
                start,
                end: start + len,
                kind: UnitKind::Char,
            });
        }
        let first = rest.chars().next()?;
        let (kind, len) = if first.is_whitespace() {
            let len = rest.find(|c: char| !c.is_whitespace()).unwrap_or(rest.len());
            (UnitKind::Space, len)
        } else if let Some(class) = word_class(first) {
            let len = rest
                .find(|c: char| word_class(c) != Some(class))
                .unwrap_or(rest.len());
            (UnitKind::Word, len)
        } else {
            (UnitKind::Char, first.len_utf8())
        };
        self.pos += len;
        Some(Unit {
            start,
            end: start + len,
            kind,
        })
    }
}

/// Where the units of `needle` occur consecutively among the units of `haystack` (both
/// normalised): the byte ranges in `haystack`. This is the matching rule the index
/// implements, used here for snippets.
pub fn find_units(haystack: &str, needle: &str) -> Vec<(usize, usize)> {
    let wanted: Vec<Unit> = units(needle).collect();
    let Some(first) = wanted.first() else {
        return Vec::new();
    };
    let first_text = first.text(needle);
    let mut found = Vec::new();
    let have: Vec<Unit> = units(haystack).collect();
    'outer: for (i, unit) in have.iter().enumerate() {
        if unit.text(haystack) != first_text || i + wanted.len() > have.len() {
            continue;
        }
        for (w, h) in wanted.iter().zip(&have[i..]).skip(1) {
            if w.text(needle) != h.text(haystack) {
                continue 'outer;
            }
        }
        found.push((unit.start, have[i + wanted.len() - 1].end));
    }
    found
}

#[cfg(test)]
mod tests {
    /// The unit rule without the fast paths.
    fn slow_kind(c: char) -> UnitKind {
        if c.is_whitespace() {
            UnitKind::Space
        } else if is_word_char(c) {
            UnitKind::Word
        } else {
            UnitKind::Char
        }
    }

    #[test]
    fn fast_paths_classify_like_the_rule() {
        let samples = (0u32..0x80)
            .chain(0x3000..0x3010)
            .chain((0x4000..0xA000).step_by(7))
            .chain(0x4DB0..0x4E10)
            .filter_map(char::from_u32);
        for c in samples {
            let text = format!("{c}");
            let got: Vec<Unit> = units(&text).collect();
            assert_eq!(got.len(), 1, "{c:?}");
            assert_eq!(got[0].kind, slow_kind(c), "{c:?} U+{:04X}", c as u32);
            assert_eq!(got[0].end, text.len(), "{c:?}");
        }
    }

    use super::*;

    #[test]
    fn normalisation_folds_width_and_case() {
        let cases = [
            ("ＧＤＰ", "gdp"),
            ("２０万元", "20万元"),
            ("GDP增长", "gdp增长"),
            ("〔２０２３〕１２号", "〔2023〕12号"),
            ("e\u{301}té", "été"),
            ("①", "1"),
            ("Ⅳ级", "iv级"),
            ("民族团结", "民族团结"),
            ("😀表情", "😀表情"),
        ];
        for (input, want) in cases {
            assert_eq!(normalize(input), want, "{input}");
        }
    }

    #[test]
    fn map_points_back_to_the_original() {
        let text = "Ａ😀e\u{301}民";
        let (norm, map) = normalize_with_map(text);
        assert_eq!(norm, "a😀é民");
        let min = norm.find('民').expect("民");
        assert_eq!(&text[original_offset(&map, min)..], "民");
        let e = norm.find('é').expect("é");
        assert_eq!(&text[original_offset(&map, e)..], "e\u{301}民");
    }

    #[test]
    fn units_split_words_chars_and_space() {
        let text = normalize("5G网络 覆盖3.6.3版\t\n〔2023〕");
        let got: Vec<(&str, UnitKind)> = units(&text).map(|u| (u.text(&text), u.kind)).collect();
        use UnitKind::*;
        assert_eq!(
            got,
            vec![
                ("5", Word),
                ("g", Word),
                ("网", Char),
                ("络", Char),
                (" ", Space),
                ("覆", Char),
                ("盖", Char),
                ("3", Word),
                (".", Char),
                ("6", Word),
                (".", Char),
                ("3", Word),
                ("版", Char),
                (" ", Space),
                ("〔", Char),
                ("2023", Word),
                ("〕", Char),
            ]
        );
    }

    #[test]
    fn letters_and_digits_written_together_are_two_units() {
        // The units of each text after normalisation, `|` between them.
        let cases = [
            ("APP8060余人", "app|8060|余|人"),
            ("GDP20", "gdp|20"),
            ("ＧＤＰ２０万元", "gdp|20|万|元"),
            ("5G", "5|g"),
            ("5 个 G", "5| |个| |g"),
            ("120万元", "120|万|元"),
            // Punctuation inside a number is a unit of its own; the digit runs stay whole.
            ("2.5", "2|.|5"),
            ("12.55", "12|.|55"),
            ("3.6.3版", "3|.|6|.|3|版"),
            ("1,200万元", "1|,|200|万|元"),
            ("x86_64", "x|86|_|64"),
            ("WES-5.4.5", "wes|-|5|.|4|.|5"),
            ("A1B2", "a|1|b|2"),
            // Letters of any script, accented or not, are letters.
            ("café au lait", "café| |au| |lait"),
            ("nai\u{308}ve2", "naïve|2"),
            ("αβγ2", "αβγ|2"),
            ("Москва2024", "москва|2024"),
            // Digits of any script are digits.
            ("\u{663}\u{664}abc", "\u{663}\u{664}|abc"),
            ("第\u{663}章", "第|\u{663}|章"),
            // Compatibility forms become the letters and digits they stand for.
            ("①②号", "12|号"),
            ("m²", "m|2"),
            ("Ⅳ级", "iv|级"),
            ("〔2023〕12号", "〔|2023|〕|12|号"),
            ("a \t\n b", "a| |b"),
        ];
        for (raw, want) in cases {
            let text = normalize(raw);
            let got: Vec<&str> = units(&text).map(|u| u.text(&text)).collect();
            assert_eq!(got.join("|"), want, "{raw:?}");
        }
    }

    #[test]
    fn word_classes() {
        use WordClass::*;
        let cases = [
            ('a', Some(Letter)),
            ('Z', Some(Letter)),
            ('é', Some(Letter)),
            ('ß', Some(Letter)),
            ('λ', Some(Letter)),
            ('ж', Some(Letter)),
            ('0', Some(Digit)),
            ('9', Some(Digit)),
            ('\u{663}', Some(Digit)),
            ('\u{967}', Some(Digit)),
            ('_', None),
            ('.', None),
            (' ', None),
            ('民', None),
            ('〇', None),
            ('😀', None),
        ];
        for (c, want) in cases {
            assert_eq!(word_class(c), want, "{c:?}");
            assert_eq!(is_word_char(c), want.is_some(), "{c:?}");
        }
    }

    #[test]
    fn finding_units_is_substring_for_chinese_and_whole_word_for_latin() {
        let text = normalize("中国农业发展银行 GDP增长 120万元");
        assert_eq!(find_units(&text, "农业").len(), 1);
        assert_eq!(find_units(&text, "gdp").len(), 1);
        assert!(find_units(&text, "dp").is_empty());
        assert!(find_units(&text, "20万元").is_empty());
        assert_eq!(find_units(&text, "万元").len(), 1);
        assert_eq!(find_units(&text, "银行 gdp").len(), 1);
    }

    #[test]
    fn words_and_numbers_match_whole_even_when_written_together() {
        // (text, term, found)
        let cases = [
            ("APP8060余人", "APP", true),
            ("APP8060余人", "8060", true),
            ("APP8060余人", "APP8060", true),
            ("APP8060余人", "app8060余人", true),
            ("APP8060余人", "AP", false),
            ("APP8060余人", "806", false),
            ("APP8060余人", "060", false),
            ("5G基站", "5G", true),
            ("5G基站", "G", true),
            ("5G基站", "5", true),
            ("5G基站", "5G基", true),
            ("5 个 G", "5G", false),
            ("15G基站", "5G", false),
            ("5GB", "5G", false),
            ("GDP20", "GDP", true),
            ("GDP20", "20", true),
            ("GDP20", "GDP2", false),
            ("120万元", "20万元", false),
            ("20万元", "20万元", true),
            ("２０万元", "20万元", true),
            ("12.5", "2.5", false),
            ("2.55", "2.5", false),
            ("2.5亿", "2.5", true),
            ("x86_64", "x86", true),
            ("x86_64", "86", true),
            ("x86_64", "x8", false),
            ("naïve2", "naïve", true),
            ("Москва2024", "москва", true),
        ];
        for (text, term, found) in cases {
            let (text_n, term_n) = (normalize(text), normalize(term));
            assert_eq!(
                !find_units(&text_n, &term_n).is_empty(),
                found,
                "{term} in {text}"
            );
        }
    }
}
