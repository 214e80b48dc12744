//! Snippets: the sentence (or about 80 characters) around the best match in a document's
//! text, with every matched term's place marked.
//!
//! Matching follows the index's rule ([`crate::text::units`]), on normalised text mapped
//! back to the original, so highlights land on character boundaries of the text as stored
//! whatever its script: emoji, full-width forms and combining marks included.

use crate::text::{Unit, normalize_with_map, original_offset, units};

/// About how many characters a snippet shows.
pub const SNIPPET_CHARS: usize = 80;

/// A piece of text with byte ranges to highlight.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snippet {
    pub text: String,
    /// Sorted, non-overlapping byte ranges of `text`.
    pub highlights: Vec<(usize, usize)>,
}

/// Where the normalised `terms` occur in `original`: sorted byte ranges of `original`,
/// each with the index of its term.
pub fn find_terms(original: &str, terms: &[String]) -> Vec<(usize, usize, usize)> {
    let (norm, map) = normalize_with_map(original);
    let have: Vec<Unit> = units(&norm).collect();
    let end_of = |norm_end: usize| match map.binary_search_by_key(&norm_end, |&(n, _)| n) {
        Ok(i) => map[i].1,
        Err(i) => map.get(i).map_or(original.len(), |&(_, o)| o),
    };
    let mut found = Vec::new();
    for (index, term) in terms.iter().enumerate() {
        let wanted: Vec<Unit> = units(term).collect();
        if wanted.is_empty() || wanted.len() > have.len() {
            continue;
        }
        for start in 0..=have.len() - wanted.len() {
            let window = &have[start..start + wanted.len()];
            if window
                .iter()
                .zip(&wanted)
                .all(|(h, w)| h.text(&norm) == w.text(term))
            {
                let (s, e) = (window[0].start, window[wanted.len() - 1].end);
                found.push((original_offset(&map, s), end_of(e), index));
            }
        }
    }
    found.sort_unstable();
    found
}

/// The snippet of `original` for the normalised `terms`: the sentence around the first
/// match, with every term highlighted inside it, or the beginning of the text when no
/// term occurs.
pub fn snippet(original: &str, terms: &[String]) -> Snippet {
    snippet_of_bytes(original.as_bytes(), terms)
}

/// [`snippet`] of stored text not yet checked to be UTF-8 (checking a whole page of
/// Chinese costs more than the snippet). Only as much text is checked and normalised as it
/// takes: line by line up to the first line with a match (a phrase across lines falls back
/// to the whole text), then the snippet itself. Bytes that are not UTF-8 (a damaged
/// index) read as replacement characters.
pub fn snippet_of_bytes(original: &[u8], terms: &[String]) -> Snippet {
    let mut offset = 0;
    let quick = QuickCheck::new(terms);
    for line in original.split_inclusive(|&b| b == b'\n') {
        let Ok(line) = std::str::from_utf8(line) else {
            break;
        };
        if !quick.may_match(line) {
            offset += line.len();
            continue;
        }
        if let Some(&(start, end, _)) = find_terms(line, terms).first() {
            let (start, end) = (offset + start, offset + end);
            // Room for the window either side: a character is at most four bytes.
            let from = floor_boundary(original, start.saturating_sub(SNIPPET_CHARS * 4));
            let to = floor_boundary(original, (end + SNIPPET_CHARS * 4).min(original.len()));
            let Ok(stretch) = std::str::from_utf8(&original[from..to]) else {
                break;
            };
            let around = Some((start - from, end - from));
            return window(stretch, around, from > 0, to < original.len(), terms);
        }
        offset += line.len();
    }
    // No line holds a match (a phrase across lines, a title-only hit), or the text is
    // damaged.
    let original = String::from_utf8_lossy(original);
    let first = find_terms(&original, terms).first().map(|&(s, e, _)| (s, e));
    window(&original, first, false, false, terms)
}

/// Lines that cannot hold any of the terms, told without normalising them: when every
/// term begins with a Chinese character, a line holds a match only if it has that
/// character as it is, or a character that normalises into one (`⼀` → `一`, `㈠` →
/// `(一)`, compatibility ideographs …).
struct QuickCheck {
    /// The terms' first characters; `None` when some term begins otherwise.
    firsts: Option<Vec<memchr::memmem::Finder<'static>>>,
}

impl QuickCheck {
    fn new(terms: &[String]) -> Self {
        let firsts = terms
            .iter()
            .map(|t| {
                let first = t
                    .chars()
                    .next()
                    .filter(|&c| matches!(c as u32, 0x4E00..=0x9FFF))?;
                let mut buf = [0u8; 4];
                Some(memchr::memmem::Finder::new(first.encode_utf8(&mut buf).as_bytes()).into_owned())
            })
            .collect();
        QuickCheck { firsts }
    }

    fn may_match(&self, line: &str) -> bool {
        let Some(firsts) = &self.firsts else { return true };
        firsts.iter().any(|f| f.find(line.as_bytes()).is_some()) || line.chars().any(may_become_ideograph)
    }
}

/// Characters whose NFKC form holds a CJK unified ideograph: radicals, Hangzhou numerals,
/// kanbun, enclosed and squared ideographs, compatibility ideographs.
fn may_become_ideograph(c: char) -> bool {
    matches!(c as u32,
        0x2E80..=0x2FDF
        | 0x3038..=0x303A
        | 0x3190..=0x319F
        | 0x3200..=0x33FF
        | 0xF900..=0xFAFF
        | 0x1F200..=0x1F2FF
        | 0x2F800..=0x2FA1F)
}

/// The first character boundary at or before `at` (UTF-8 continuation bytes are
/// 0b10xxxxxx).
fn floor_boundary(text: &[u8], mut at: usize) -> usize {
    while at > 0 && at < text.len() && text[at] & 0xC0 == 0x80 {
        at -= 1;
    }
    at
}

/// The snippet of `original` around its first match (`first_match`, byte range), which
/// the caller found; `more_before`/`more_after` say whether the text goes on beyond
/// `original` (it may be a stretch of a longer text).
fn window(
    original: &str,
    first_match: Option<(usize, usize)>,
    more_before: bool,
    more_after: bool,
    terms: &[String],
) -> Snippet {
    // Only the characters around the match are looked at, never the whole text.
    let char_before = |byte: usize| original[..byte].chars().next_back();
    let char_at = |byte: usize| original[byte..].chars().next();
    let word_at = |byte: usize| char_at(byte).is_some_and(crate::text::is_word_char);
    let word_before = |byte: usize| char_before(byte).is_some_and(crate::text::is_word_char);
    let (from_b, to_b) = match first_match {
        None => (0, nth_char_byte(original, 0, SNIPPET_CHARS)),
        Some((start, end)) => {
            // Back to the start of the sentence, but not too far.
            let mut from = start;
            for (taken, (b, c)) in original[..start].char_indices().rev().enumerate() {
                if taken == SNIPPET_CHARS / 3 || matches!(c, '。' | '！' | '？' | '；' | '\n' | '!' | '?')
                {
                    break;
                }
                from = b;
            }
            // Never cut a Latin word or number in two.
            while from > 0 && from < start && word_at(from) && word_before(from) {
                from += char_at(from).map_or(1, char::len_utf8);
            }
            let mut to = nth_char_byte(original, from, SNIPPET_CHARS).max(end);
            while to < original.len() && to > 0 && word_at(to) && word_before(to) {
                to += char_at(to).map_or(1, char::len_utf8);
            }
            (from, to)
        }
    };
    let window = &original[from_b..to_b];
    let prefix = if from_b > 0 || more_before { "…" } else { "" };
    let suffix = if to_b < original.len() || more_after {
        "…"
    } else {
        ""
    };
    // White space runs (line breaks, cell tabs) show as one space.
    let window = window.trim();
    let mut body = String::with_capacity(window.len());
    let mut at = Vec::with_capacity(window.len() + 1);
    for (offset, c) in window.char_indices() {
        at.resize(offset + 1, body.len());
        if !c.is_whitespace() {
            body.push(c);
        } else if !body.ends_with(' ') {
            body.push(' ');
        }
    }
    at.resize(window.len() + 1, body.len());
    let text = format!("{prefix}{body}{suffix}");
    let mut highlights: Vec<(usize, usize)> = Vec::new();
    for (start, end, _) in find_terms(window, terms) {
        let range = (at[start] + prefix.len(), at[end] + prefix.len());
        match highlights.last_mut() {
            Some(last) if range.0 <= last.1 => last.1 = last.1.max(range.1),
            _ => highlights.push(range),
        }
    }
    Snippet { text, highlights }
}

/// The byte offset `n` characters after byte `from` (the end of the text if fewer).
fn nth_char_byte(text: &str, from: usize, n: usize) -> usize {
    text[from..]
        .char_indices()
        .nth(n)
        .map_or(text.len(), |(b, _)| from + b)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::normalize;

    #[test]
    fn stored_bytes_that_are_not_utf8_read_with_replacement_characters() {
        let terms = vec![normalize("团结")];
        let mut bytes = "第一行\n".as_bytes().to_vec();
        bytes.extend_from_slice(b"\xFF\xFE\n");
        bytes.extend_from_slice("民族团结进步\n".as_bytes());
        let got = snippet_of_bytes(&bytes, &terms);
        assert!(marked(&got).contains("[团结]"), "{got:?}");
        assert_eq!(
            snippet_of_bytes("民族团结".as_bytes(), &terms),
            snippet("民族团结", &terms)
        );
        let broken_match = [&b"\xFF"[..], "团结".as_bytes()].concat();
        assert!(marked(&snippet_of_bytes(&broken_match, &terms)).contains("\u{FFFD}[团结]"));
    }

    #[test]
    fn lines_are_skipped_unread_only_when_they_cannot_match() {
        let terms = vec![normalize("一二"), normalize("团结")];
        // A Kangxi radical normalises into the ideograph the term begins with.
        let text = "无关的一行\n⼀二三\n";
        assert!(marked(&snippet(text, &terms)).ends_with("[⼀二]三"), "{text}");
        let text = "无关的一行\n民族团结\n";
        assert!(marked(&snippet(text, &terms)).ends_with("民族[团结]"), "{text}");
        // A term that begins otherwise reads every line.
        let terms = vec![normalize("gdp")];
        assert!(marked(&snippet("前文\nＧＤＰ增长", &terms)).contains("[ＧＤＰ]"));
    }

    fn marked(s: &Snippet) -> String {
        let mut out = String::new();
        let mut at = 0;
        for &(a, b) in &s.highlights {
            out.push_str(&s.text[at..a]);
            out.push('[');
            out.push_str(&s.text[a..b]);
            out.push(']');
            at = b;
        }
        out.push_str(&s.text[at..]);
        out
    }

    fn snip(text: &str, terms: &[&str]) -> String {
        let terms: Vec<String> = terms.iter().map(|t| normalize(t)).collect();
        marked(&snippet(text, &terms))
    }

    #[test]
    fn highlights_every_term_in_the_sentence() {
        let text = "第一句话。今年开展民族团结进步宣传月活动，民族团结深入人心。第三句话。";
        assert_eq!(
            snip(text, &["民族团结", "宣传月"]),
            "…今年开展[民族团结]进步[宣传月]活动，[民族团结]深入人心。第三句话。"
        );
    }

    #[test]
    fn emoji_full_width_and_combining_marks_keep_boundaries() {
        assert_eq!(snip("庆祝😀活动ＧＤＰ增长", &["gdp"]), "庆祝😀活动[ＧＤＰ]增长");
        assert_eq!(snip("😀😀民族😀", &["民族"]), "😀😀[民族]😀");
        assert_eq!(snip("cafe\u{301} 咖啡", &["café"]), "[cafe\u{301}] 咖啡");
        assert_eq!(snip("ｅ\u{301} x", &["é"]), "[ｅ\u{301}] x");
    }

    #[test]
    fn latin_words_are_whole() {
        assert_eq!(snip("GDP和DP", &["dp"]), "GDP和[DP]");
    }

    #[test]
    fn letters_and_digits_written_together_are_two_words() {
        // (text, terms, marked snippet)
        let cases: [(&str, &[&str], &str); 8] = [
            ("共有APP8060余人", &["app"], "共有[APP]8060余人"),
            ("共有APP8060余人", &["8060"], "共有APP[8060]余人"),
            ("共有APP8060余人", &["APP8060"], "共有[APP8060]余人"),
            ("共有ＡＰＰ８０６０余人", &["8060"], "共有ＡＰＰ[８０６０]余人"),
            ("5 个 G，建成5G基站", &["5G"], "5 个 G，建成[5G]基站"),
            ("5 个 G，建成5G基站", &["g"], "5 个 [G]，建成5[G]基站"),
            ("120万元和20万元", &["20万元"], "120万元和[20万元]"),
            ("12.5、2.55和2.5", &["2.5"], "12.5、2.55和[2.5]"),
        ];
        for (text, terms, want) in cases {
            assert_eq!(snip(text, terms), want, "{terms:?} in {text}");
        }
    }

    #[test]
    fn long_text_is_cut_around_the_match() {
        let text = format!("{}关键词{}", "前".repeat(200), "后".repeat(200));
        let got = snip(&text, &["关键词"]);
        assert!(got.starts_with('…') && got.ends_with('…'), "{got}");
        assert!(got.contains("[关键词]"));
        assert!(got.chars().count() <= SNIPPET_CHARS + 4, "{got}");
    }

    #[test]
    fn a_stretch_around_the_match_gives_the_same_snippet_as_the_whole_text() {
        let long = format!(
            "{}\n开头。今年开展民族团结进步宣传月活动。{}",
            "前言".repeat(300),
            "后".repeat(300)
        );
        let terms: Vec<String> = ["民族团结", "宣传月"].iter().map(|t| normalize(t)).collect();
        for text in [long.as_str(), "民族\n团结", "😀😀民族😀", "没有"] {
            let first = find_terms(text, &terms).first().map(|&(s, e, _)| (s, e));
            let whole_text = marked(&window(text, first, false, false, &terms));
            assert_eq!(marked(&snippet(text, &terms)), whole_text, "{text}");
        }
    }

    #[test]
    fn no_match_gives_the_beginning() {
        assert_eq!(snip("开头的话。", &["不存在"]), "开头的话。");
    }
}
