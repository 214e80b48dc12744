//! Snippets: the sentence (or about 80 characters) around the passage of a document's
//! text where most of the query's terms meet, with every matched term's place marked —
//! not the title again, which is shown above the snippet.
//!
//! Matching follows the index's rule ([`crate::text::units`]), on normalised text mapped
//! back to the original, so highlights land on character boundaries of the text as stored
//! whatever its script: emoji, full-width forms and combining marks included.

use crate::text::{Unit, normalize_with_map, original_offset, unit_starts_at, units};

/// About how many characters a snippet shows.
pub const SNIPPET_CHARS: usize = 80;

/// At most how many characters a snippet shows before its first match (back to the start
/// of the sentence).
const LEAD_IN_CHARS: usize = SNIPPET_CHARS / 3;

/// A piece of text with byte ranges to highlight.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snippet {
    /// The passage on one line (each run of white space shown as one space), with `…`
    /// where the document's text goes on before or after it.
    pub text: String,
    /// Sorted, non-overlapping byte ranges of `text`.
    pub highlights: Vec<(usize, usize)>,
}

/// Where the normalised `terms` occur in `original`: sorted byte ranges of `original`,
/// each with the index of its term.
pub fn find_terms(original: &str, terms: &[String]) -> Vec<(usize, usize, usize)> {
    find_split(original, &split_terms(terms))
}

/// A query term split into units once, for every line and window it is looked for in.
struct SplitTerm {
    term: String,
    units: Vec<Unit>,
    /// Whether it is all CJK ideographs (see [`find_ideographs`]).
    ideographs: bool,
    /// Finds the whole term in text as it stands.
    finder: memchr::memmem::Finder<'static>,
}

impl SplitTerm {
    /// The text of its first unit: where a match may start, found at memchr speed.
    fn first(&self) -> Option<&str> {
        self.units.first().map(|u| u.text(&self.term))
    }
}

fn split_terms(terms: &[String]) -> Vec<SplitTerm> {
    terms
        .iter()
        .map(|term| SplitTerm {
            term: term.clone(),
            units: units(term).collect(),
            ideographs: !term.is_empty() && term.chars().all(is_ideograph),
            finder: memchr::memmem::Finder::new(term.as_bytes()).into_owned(),
        })
        .collect()
}

/// A query's normalised terms made ready for snippets once, for every hit of a search:
/// split into units, with finders for each term and its first character.
pub struct Needles {
    split: Vec<SplitTerm>,
    quick: QuickCheck,
    /// Each term's id: equal terms share one.
    ids: Vec<usize>,
    /// How many distinct terms there are.
    distinct: usize,
}

impl Needles {
    /// Ready `terms` (normalised) for snippets.
    pub fn new(terms: &[String]) -> Self {
        let ids: Vec<usize> = (0..terms.len())
            .map(|i| terms.iter().position(|t| *t == terms[i]).unwrap_or(i))
            .collect();
        Needles {
            split: split_terms(terms),
            quick: QuickCheck::new(terms),
            distinct: (0..terms.len()).filter(|&i| ids[i] == i).count(),
            ids,
        }
    }
}

/// CJK unified ideographs (extension A, the main block, extensions B–H).
fn is_ideograph(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0x20000..=0x3FFFF)
}

/// [`find_terms`] of terms already split.
fn find_split(original: &str, terms: &[SplitTerm]) -> Vec<Found> {
    find_in_bytes(original.as_bytes(), terms, false).unwrap_or_else(|| find_normalised(original, terms))
}

/// [`find_split`] of stored bytes, when it can be told without normalising them (see
/// [`find_ideographs`]): bytes that need normalising are left to the caller, who checks
/// they are UTF-8 first. `no_forms`: the whole text is known to hold no ideograph forms.
fn find_in_bytes(original: &[u8], terms: &[SplitTerm], no_forms: bool) -> Option<Vec<Found>> {
    (terms.iter().all(|t| t.ideographs) && (no_forms || !may_hold_ideograph_forms(original)))
        .then(|| find_ideographs(original, terms))
}

/// [`find_split`] of terms made of ideographs only, in a text without characters that
/// normalise into ideographs: normalisation leaves an ideograph as it is and makes one
/// from nothing else, and each is a unit of its own, so the terms' matches are their
/// occurrences in the text as it stands — found without normalising it. A match ends
/// after any combining marks on its last character, as its cluster does.
///
/// The text need not be checked to be UTF-8 first: a term's bytes begin with a lead
/// byte, so they are found only where its characters stand.
fn find_ideographs(original: &[u8], terms: &[SplitTerm]) -> Vec<Found> {
    let mut found = Vec::new();
    for (index, term) in terms.iter().enumerate() {
        let Some(step) = term.term.chars().next().map(char::len_utf8) else {
            continue;
        };
        let mut from = 0;
        while let Some(found_at) = original.get(from..).and_then(|rest| term.finder.find(rest)) {
            // Occurrences may overlap (`哈哈` in `哈哈哈`): look again one character on.
            let at = from + found_at;
            from = at + step;
            let mut end = at + term.term.len();
            while let Some((c, len)) = char_at(original, end)
                && crate::text::is_mark(c)
            {
                end += len;
            }
            found.push((at, end, index));
        }
    }
    found.sort_unstable();
    found
}

/// [`find_split`] on the normalised text, mapped back to the original.
fn find_normalised(original: &str, terms: &[SplitTerm]) -> Vec<Found> {
    let mut found = Vec::new();
    let (norm, map) = normalize_with_map(original);
    let end_of = |norm_end: usize| match map.binary_search_by_key(&norm_end, |&(n, _)| n) {
        Ok(i) => map[i].1,
        Err(i) => map.get(i).map_or(original.len(), |&(_, o)| o),
    };
    for (index, term) in terms.iter().enumerate() {
        let Some(first) = term.first() else { continue };
        let step = first.chars().next().map_or(1, char::len_utf8);
        let mut from = 0;
        while let Some(found_at) = norm.get(from..).and_then(|rest| rest.find(first)) {
            // Occurrences may overlap (`aa` in `aaa`): look again one character on.
            let at = from + found_at;
            from = at + step;
            // A match starts where a unit does, and its units follow one another.
            if !unit_starts_at(&norm, at) {
                continue;
            }
            let rest = &norm[at..];
            let mut have = units(rest);
            let mut end = at;
            let whole = term.units.iter().all(|w| {
                have.next().is_some_and(|h| {
                    end = at + h.end;
                    h.text(rest) == w.text(&term.term)
                })
            });
            if whole {
                found.push((original_offset(&map, at), end_of(end), index));
            }
        }
    }
    found.sort_unstable();
    found
}

/// The snippet of `original` for the normalised `terms`: the passage where most of the
/// terms meet ([`best_passage`]), with every term highlighted inside it, or the beginning
/// of the text when no term occurs. Lines that repeat the `title` (shown above the
/// snippet) are left out, unless the text has no match elsewhere.
pub fn snippet(original: &str, title: &str, terms: &[String]) -> Snippet {
    snippet_of_bytes(original.as_bytes(), title, &Needles::new(terms))
}

/// At most how many characters a passage spans, from its first match's start to its last
/// match's end: what is left of a snippet after the lead-in before the first match.
pub const PASSAGE_CHARS: usize = SNIPPET_CHARS - LEAD_IN_CHARS;

/// A match of a term: byte range in the text and the term's index (equal terms share one).
type Found = (usize, usize, usize);

/// The passage of a text where most distinct terms meet: the run of matches spanning at
/// most [`PASSAGE_CHARS`] characters that holds the most distinct terms, the earliest of
/// equals. `found` is sorted by start; the result is the passage's byte range and its
/// number of distinct terms.
pub fn best_passage(text: &[u8], found: &[(usize, usize, usize)]) -> Option<(usize, usize, usize)> {
    let chars = |from: usize, to: usize| text[from..to].iter().filter(|&&b| b & 0xC0 != 0x80).count();
    let mut best: Option<(usize, usize, usize)> = None;
    let mut seen: Vec<usize> = Vec::new();
    for (i, &(start, first_end, term)) in found.iter().enumerate() {
        seen.clear();
        seen.push(term);
        let mut end = first_end;
        for &(s, e, t) in &found[i + 1..] {
            // A character is at most four bytes: further on, no match fits.
            if s - start > PASSAGE_CHARS * 4 {
                break;
            }
            if e <= end || chars(start, e) <= PASSAGE_CHARS {
                end = end.max(e);
                if !seen.contains(&t) {
                    seen.push(t);
                }
            }
        }
        if best.is_none_or(|(_, _, n)| seen.len() > n) {
            best = Some((start, end, seen.len()));
        }
    }
    best
}

/// Lines that repeat the title: among the opening lines, a line that is the title or a
/// part of it (a title set on two lines); anywhere, a line that is the whole title (a
/// running header).
struct TitleLines {
    compact: String,
    /// Non-empty lines seen so far.
    seen: usize,
}

/// How many opening non-empty lines may hold the title (red-head lines come first).
const TITLE_LINES: usize = 12;

impl TitleLines {
    fn new(title: &str) -> Self {
        TitleLines {
            compact: title.chars().filter(|c| !c.is_whitespace()).collect(),
            seen: 0,
        }
    }

    /// Counts `line`, the next line of the text, which cannot match (so is no title line).
    fn pass(&mut self, line: &[u8]) {
        if self.seen <= TITLE_LINES && !trim_bytes(line).is_empty() {
            self.seen += 1;
        }
    }

    /// Whether `line`, the next line of the text, repeats the title (a line that is not
    /// UTF-8 does not).
    fn is_title(&mut self, line: &[u8]) -> bool {
        let line = trim_bytes(line);
        if line.is_empty() {
            return false;
        }
        self.seen += 1;
        if self.compact.is_empty() || line.len() > 2 * self.compact.len() + 16 {
            return false;
        }
        let Ok(line) = std::str::from_utf8(line) else {
            return false;
        };
        let compact: String = line.chars().filter(|c| !c.is_whitespace()).collect();
        compact == self.compact || (self.seen <= TITLE_LINES && self.compact.contains(&compact))
    }
}

/// [`snippet`] of stored text not yet checked to be UTF-8 (checking a whole page of
/// Chinese costs more than the snippet). Only as much text is checked and normalised as it
/// takes: line by line, lines that cannot match unread, until a passage holds every term
/// (a phrase across lines falls back to the whole text), then the snippet itself. Bytes
/// that are not UTF-8 (a damaged index) read as replacement characters.
pub fn snippet_of_bytes(original: &[u8], title: &str, needles: &Needles) -> Snippet {
    let Needles {
        split,
        quick,
        ids,
        distinct,
    } = needles;
    let (ids, distinct) = (ids.as_slice(), *distinct);
    let mut title_lines = TitleLines::new(title);
    let mut title_ranges: Vec<(usize, usize)> = Vec::new();
    let mut found: Vec<Found> = Vec::new();
    // The best passage so far (start, distinct terms): a passage reaches at most this many
    // bytes either side of a match.
    let mut best: Option<(usize, usize)> = None;
    let reach = PASSAGE_CHARS * 4;
    let mut ideograph_forms: Option<bool> = None;
    let mut offset = 0;
    for line in original.split_inclusive(|&b| b == b'\n') {
        // Once a passage holds every term, only passages starting before it can beat it.
        if best.is_some_and(|(start, n)| n == distinct && offset > start + reach) {
            break;
        }
        let range = (offset, offset + line.len());
        offset += line.len();
        // Only lines that may match are read: most of a long text is not even checked
        // to be UTF-8. Once the whole text is known to hold no ideograph forms, no line
        // is scanned for them.
        let no_forms = ideograph_forms == Some(false);
        if !quick.may_match(line, no_forms) {
            title_lines.pass(line);
            continue;
        }
        if title_lines.is_title(line) {
            title_ranges.push(range);
            continue;
        }
        // A line whose neighbourhood cannot hold more terms than the best passage, which
        // starts before any passage reaching the line, is not read: a term that occurs all
        // through a long text. Characters that normalise into ideographs make first
        // characters no bound.
        if let Some((start, n)) = best
            && range.0 > start + reach
            && !*ideograph_forms.get_or_insert_with(|| may_hold_ideograph_forms(original))
        {
            let near = &original[range.0 - reach..(range.1 + reach).min(original.len())];
            if quick.terms_near(near, ids) <= n {
                continue;
            }
        }
        // Lines of a Chinese term are searched as stored, others checked and normalised.
        let in_line = match find_in_bytes(line, split, no_forms) {
            Some(in_line) => in_line,
            None => match std::str::from_utf8(line) {
                Ok(text) => find_normalised(text, split),
                Err(_) => break,
            },
        };
        let before = found.len();
        found.extend(
            in_line
                .into_iter()
                .map(|(s, e, t)| (range.0 + s, range.0 + e, ids[t])),
        );
        if found.len() > before {
            // Only passages within reach of this line's matches changed.
            let from = found.partition_point(|&(s, _, _)| s + reach < range.0);
            if let Some((start, _, n)) = best_passage(original, &found[from..])
                && best.is_none_or(|(best_start, best_n)| n > best_n || (n == best_n && start < best_start))
            {
                best = Some((start, n));
            }
        }
    }
    if let Some((start, end, _)) = best_passage(original, &found) {
        // Room for the window either side (a character is at most four bytes): before the
        // passage, its lead-in and the character before that (a word is not cut in two).
        let from = floor_boundary(original, start.saturating_sub((LEAD_IN_CHARS + 1) * 4));
        let to = floor_boundary(original, (end + SNIPPET_CHARS * 4).min(original.len()));
        if let Ok(stretch) = std::str::from_utf8(&original[from..to]) {
            let around = Some((start - from, end - from));
            return window(stretch, around, from > 0, to < original.len(), split);
        }
    }
    // No line outside the title holds a match (a phrase across lines, a title-only hit),
    // or the text is damaged.
    let original = String::from_utf8_lossy(original);
    let around = passage_in(&original, &title_ranges, split, ids);
    window(&original, around, false, false, split)
}

/// The best passage of a whole text, outside the `title_ranges` when there is one there.
fn passage_in(
    text: &str,
    title_ranges: &[(usize, usize)],
    terms: &[SplitTerm],
    ids: &[usize],
) -> Option<(usize, usize)> {
    let in_title = |at: usize| title_ranges.iter().any(|&(s, e)| (s..e).contains(&at));
    let (title, body): (Vec<Found>, Vec<Found>) = find_split(text, terms)
        .into_iter()
        .map(|(s, e, t)| (s, e, ids[t]))
        .partition(|&(s, _, _)| in_title(s));
    best_passage(text.as_bytes(), &body)
        .or_else(|| best_passage(text.as_bytes(), &title))
        .map(|(s, e, _)| (s, e))
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

    /// Whether the UTF-8 `line` may hold a match; `no_forms`: its text is known to hold
    /// no character that normalises into an ideograph.
    fn may_match(&self, line: &[u8], no_forms: bool) -> bool {
        let Some(firsts) = &self.firsts else { return true };
        firsts.iter().any(|f| f.find(line).is_some()) || (!no_forms && may_hold_ideograph_forms(line))
    }

    /// At most how many distinct terms (`ids`: equal terms share one) occur in `bytes`, a
    /// stretch of a text that [`may_hold_ideograph_forms`] says holds no ideograph forms;
    /// `usize::MAX` when some term begins otherwise than with an ideograph.
    fn terms_near(&self, bytes: &[u8], ids: &[usize]) -> usize {
        let Some(firsts) = &self.firsts else {
            return usize::MAX;
        };
        let mut present: Vec<usize> = firsts
            .iter()
            .zip(ids)
            .filter(|(f, _)| f.find(bytes).is_some())
            .map(|(_, &id)| id)
            .collect();
        present.sort_unstable();
        present.dedup();
        present.len()
    }
}

/// Whether UTF-8 `bytes` may hold a character whose NFKC form holds a CJK unified
/// ideograph: radicals (U+2E80–U+2FDF), Hangzhou numerals (U+3038–U+303A), kanbun
/// (U+3190–U+319F), enclosed and squared ideographs (U+3200–U+33FF, U+1F200–U+1F2FF),
/// compatibility ideographs (U+F900–U+FAFF, U+2F800–U+2FA1F). Told from the encoded bytes
/// without decoding them: the ranges' lead and second bytes (and the third where the
/// second covers common punctuation), a superset of the exact ranges.
fn may_hold_ideograph_forms(bytes: &[u8]) -> bool {
    // Their lead bytes are never continuation bytes, so each place memchr finds one is a
    // character's start; in Chinese text it stops only at punctuation (、。，：).
    let at = |i: usize| bytes.get(i).copied().unwrap_or(0);
    let three_bytes = memchr::memchr3_iter(0xE2, 0xE3, 0xEF, bytes).any(|i| {
        let (second, third) = (at(i + 1), at(i + 2));
        match bytes[i] {
            // U+2E80..U+2FFF
            0xE2 => matches!(second, 0xBA..=0xBF),
            // U+3038..U+303A, U+3190..U+319F, U+3200..U+33FF
            0xE3 => matches!(
                (second, third),
                (0x80, 0xB8..=0xBA) | (0x86, 0x90..=0x9F) | (0x88..=0x8F, _)
            ),
            // U+F900..U+FAFF
            _ => matches!(second, 0xA4..=0xAB),
        }
    });
    // U+1F200..U+1F2FF, U+2F800..U+2FA1F
    three_bytes
        || memchr::memchr_iter(0xF0, bytes)
            .any(|i| matches!((at(i + 1), at(i + 2)), (0x9F, 0x88..=0x8B) | (0xAF, 0xA0..=0xA8)))
}

/// `line` without the white space it begins and ends with, decoded only at its ends;
/// bytes that are not UTF-8 are not white space.
fn trim_bytes(line: &[u8]) -> &[u8] {
    let mut from = 0;
    while let Some((c, len)) = char_at(line, from)
        && c.is_whitespace()
    {
        from += len;
    }
    let mut to = line.len();
    while to > from
        && let Some((c, len)) = char_before(line, to)
        && c.is_whitespace()
    {
        to -= len;
    }
    &line[from..to]
}

/// The character that starts at byte `at` of `bytes`, and its length, if one does.
fn char_at(bytes: &[u8], at: usize) -> Option<(char, usize)> {
    let len = match *bytes.get(at)? {
        0x00..=0x7F => 1,
        0xC0..=0xDF => 2,
        0xE0..=0xEF => 3,
        0xF0..=0xF7 => 4,
        _ => return None,
    };
    let c = std::str::from_utf8(bytes.get(at..at + len)?)
        .ok()?
        .chars()
        .next()?;
    Some((c, len))
}

/// The character that ends at byte `at` of `bytes`, and its length, if one does.
fn char_before(bytes: &[u8], at: usize) -> Option<(char, usize)> {
    let mut start = at.checked_sub(1)?;
    while start > 0 && at - start < 4 && bytes[start] & 0xC0 == 0x80 {
        start -= 1;
    }
    char_at(bytes, start).filter(|&(_, len)| start + len == at)
}

/// The first character boundary at or before `at` (UTF-8 continuation bytes are
/// 0b10xxxxxx).
fn floor_boundary(text: &[u8], mut at: usize) -> usize {
    while at > 0 && at < text.len() && text[at] & 0xC0 == 0x80 {
        at -= 1;
    }
    at
}

/// The snippet of `original` around a passage (`passage`, byte range from its first
/// match's start to its last match's end), which the caller chose; `more_before`/
/// `more_after` say whether the text goes on beyond `original` (it may be a stretch of a
/// longer text).
fn window(
    original: &str,
    passage: Option<(usize, usize)>,
    more_before: bool,
    more_after: bool,
    terms: &[SplitTerm],
) -> Snippet {
    // Only the characters around the match are looked at, never the whole text.
    let bytes = original.as_bytes();
    let word_at = |byte: usize| char_at(bytes, byte).is_some_and(|(c, _)| crate::text::is_word_char(c));
    let word_before =
        |byte: usize| char_before(bytes, byte).is_some_and(|(c, _)| crate::text::is_word_char(c));
    let (from_b, to_b) = match passage {
        None => (0, nth_char_byte(original, 0, SNIPPET_CHARS)),
        Some((start, end)) => {
            // Back to the start of the sentence, but not too far.
            let mut from = start;
            for (taken, (b, c)) in original[..start].char_indices().rev().enumerate() {
                if taken == LEAD_IN_CHARS || matches!(c, '。' | '！' | '？' | '；' | '\n' | '!' | '?') {
                    break;
                }
                from = b;
            }
            // Never cut a Latin word or number in two.
            while from > 0 && from < start && word_at(from) && word_before(from) {
                from += char_at(bytes, from).map_or(1, |(_, len)| len);
            }
            let mut to = nth_char_byte(original, from, SNIPPET_CHARS).max(end);
            while to < original.len() && to > 0 && word_at(to) && word_before(to) {
                to += char_at(bytes, to).map_or(1, |(_, len)| len);
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
    let found = find_split(window, terms);
    // Where each match's start and end land in the text shown.
    let mut marks: Vec<usize> = found.iter().flat_map(|&(s, e, _)| [s, e]).collect();
    marks.sort_unstable();
    marks.dedup();
    let mut shown_at: Vec<(usize, usize)> = Vec::with_capacity(marks.len());
    let mut pending = marks.into_iter().peekable();
    let mut text = String::with_capacity(prefix.len() + window.len() + suffix.len());
    text.push_str(prefix);
    for (offset, c) in window.char_indices() {
        while let Some(mark) = pending.next_if(|&mark| mark <= offset) {
            shown_at.push((mark, text.len()));
        }
        if !c.is_whitespace() {
            text.push(c);
        } else if !text.ends_with(' ') {
            text.push(' ');
        }
    }
    shown_at.extend(pending.map(|mark| (mark, text.len())));
    text.push_str(suffix);
    let shown = |mark: usize| {
        shown_at
            .binary_search_by_key(&mark, |&(m, _)| m)
            .map_or(0, |i| shown_at[i].1)
    };
    let mut highlights: Vec<(usize, usize)> = Vec::new();
    for (start, end, _) in found {
        let range = (shown(start), shown(end));
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
        let got = snippet_of_bytes(&bytes, "", &Needles::new(&terms));
        assert!(marked(&got).contains("[团结]"), "{got:?}");
        assert_eq!(
            snippet_of_bytes("民族团结".as_bytes(), "", &Needles::new(&terms)),
            snippet("民族团结", "", &terms)
        );
        let broken_match = [&b"\xFF"[..], "团结".as_bytes()].concat();
        assert!(
            marked(&snippet_of_bytes(&broken_match, "", &Needles::new(&terms))).contains("\u{FFFD}[团结]")
        );
    }

    #[test]
    fn a_hit_holding_one_of_two_terms_shows_what_that_term_alone_shows() {
        let one = vec![normalize("河长制")];
        let either = vec![normalize("河长制"), normalize("安全生产")];
        let mut text = String::from("青山镇工作总结\n");
        for i in 0..200 {
            text.push_str(&format!("第{i}项，推进河长制工作，落实巡河责任。\n"));
        }
        assert_eq!(snippet(&text, "", &either), snippet(&text, "", &one));
        // The other term further on is still found and joins the passage it is in.
        text.push_str("河长制与安全生产同部署。\n");
        assert!(
            marked(&snippet(&text, "", &either)).contains("[河长制]与[安全生产]"),
            "{:?}",
            snippet(&text, "", &either)
        );
    }

    /// Characters whose NFKC form holds a CJK unified ideograph.
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

    #[test]
    fn every_character_that_normalises_into_an_ideograph_is_seen_in_the_bytes() {
        use unicode_normalization::UnicodeNormalization;
        for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
            let becomes = !is_ideograph(c) && c.to_string().nfkc().any(is_ideograph);
            if becomes {
                assert!(may_become_ideograph(c), "U+{:04X}", c as u32);
            }
            // Found whatever comes before it: Chinese, ASCII, other scripts.
            let text = format!("中a文é{c}");
            assert_eq!(
                may_hold_ideograph_forms(text.as_bytes()),
                may_hold_ideograph_forms(c.to_string().as_bytes()),
                "U+{:04X}",
                c as u32
            );
            if may_become_ideograph(c) {
                assert!(may_hold_ideograph_forms(text.as_bytes()), "U+{:04X}", c as u32);
            }
        }
        assert!(!may_hold_ideograph_forms(
            "民族团结，进步。（一）ＧＤＰ 2023年😀".as_bytes()
        ));
    }

    #[test]
    fn ideograph_terms_are_found_as_normalising_finds_them() {
        let texts = [
            "民族团结进步，民族团结。（一）团结团结团",
            "团结\u{301}进步 团\u{301}结 e\u{301}团结",
            "哈哈哈哈 ＡＢＣ团结ｄｅｆ 𠀀𠀀𠀀",
            "",
        ];
        for text in texts {
            for term in ["团结", "哈哈", "结团", "团", "𠀀𠀀", "进步"] {
                let terms = [term.to_string()];
                let split = split_terms(&terms);
                assert!(split[0].ideographs);
                assert_eq!(
                    find_ideographs(text.as_bytes(), &split),
                    find_normalised(text, &split),
                    "{term:?} in {text:?}"
                );
            }
        }
        // A form that normalises into an ideograph takes the normalising way.
        assert_eq!(find_terms("⼀二", &[normalize("一二")]), vec![(0, 6, 0)]);
    }

    #[test]
    fn lines_are_trimmed_from_their_bytes_as_str_trim_trims_them() {
        let lines: [&[u8]; 11] = [
            b"",
            b" \t\r\n",
            "\u{3000}\u{3000}\n".as_bytes(),
            "\u{a0}\u{2028}\x0b".as_bytes(),
            b"a",
            "\u{3000}中\u{3000} \n".as_bytes(),
            " 。\n".as_bytes(),
            "　　关于开展工作的通知　\r\n".as_bytes(),
            "é\u{301} ".as_bytes(),
            b"  \xFF",
            b"\xE3\x80",
        ];
        for line in lines {
            match std::str::from_utf8(line) {
                Ok(text) => assert_eq!(trim_bytes(line), text.trim().as_bytes(), "{text:?}"),
                // Bytes that are not UTF-8 stay.
                Err(_) => assert!(trim_bytes(line).ends_with(b"\xFF") || trim_bytes(line) == b"\xE3\x80"),
            }
        }
    }

    #[test]
    fn terms_are_found_where_the_units_of_the_whole_text_have_them() {
        let texts = [
            "app8060余人，APP 8060, gdp20万元，120万元 20万元",
            "2.5 12.5 2.55 3.6.3版 x86_64 WES-5.4.5",
            "aaa a a\t a  a\n\na",
            "café au lait, naïve2 αβγ2 москва2024",
            "民族团结进步 族团 民族 团结团结",
            "〔2023〕12号 第3号 3号3",
        ];
        let terms = [
            "20万元",
            "app",
            "8060",
            "gdp",
            "2.5",
            "5",
            "3",
            "a",
            "a a",
            "aa",
            "au",
            "naïve",
            "2",
            "族团",
            "团结",
            "12号",
            "〔2023〕",
            "5.4",
        ];
        for text in texts {
            let norm = normalize(text);
            for term in terms {
                let want = crate::text::find_units(&norm, &normalize(term));
                let got: Vec<(usize, usize)> = find_terms(&norm, &[normalize(term)])
                    .into_iter()
                    .map(|(s, e, _)| (s, e))
                    .collect();
                assert_eq!(got, want, "{term:?} in {text:?}");
            }
        }
    }

    #[test]
    fn lines_are_skipped_unread_only_when_they_cannot_match() {
        let terms = vec![normalize("一二"), normalize("团结")];
        // A Kangxi radical normalises into the ideograph the term begins with.
        let text = "无关的一行\n⼀二三\n";
        assert!(marked(&snippet(text, "", &terms)).ends_with("[⼀二]三"), "{text}");
        let text = "无关的一行\n民族团结\n";
        assert!(
            marked(&snippet(text, "", &terms)).ends_with("民族[团结]"),
            "{text}"
        );
        // Far past the opening lines too.
        let far = format!("{}⼀二三\n", "无关的一行\n".repeat(40));
        assert!(marked(&snippet(&far, "", &terms)).ends_with("[⼀二]三"));
        let far = format!("{}民族团结\n", "无关的一行\n".repeat(40));
        assert!(marked(&snippet(&far, "", &terms)).ends_with("民族[团结]"));
        // A term that begins otherwise reads every line.
        let terms = vec![normalize("gdp")];
        assert!(marked(&snippet("前文\nＧＤＰ增长", "", &terms)).contains("[ＧＤＰ]"));
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
        marked(&snippet(text, "", &terms))
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
        let ids = [0, 1];
        let split = split_terms(&terms);
        // Lead-ins of four-byte characters, through a Latin word, to a sentence's start,
        // and a Latin word just before the lead-in's reach.
        let lead_ins = [
            format!("{}民族团结{}", "😀".repeat(100), "后".repeat(300)),
            format!("{}民族团结宣传月", "x".repeat(300)),
            format!("{}。{}民族团结", "前".repeat(300), "中".repeat(20)),
            format!("{}ab{}民族团结", "前".repeat(300), "中".repeat(LEAD_IN_CHARS - 1)),
            format!("{}ab{}民族团结", "前".repeat(300), "中".repeat(LEAD_IN_CHARS)),
        ];
        let texts = [long.as_str(), "民族\n团结", "😀😀民族😀", "没有"];
        for text in texts.into_iter().chain(lead_ins.iter().map(String::as_str)) {
            let passage = passage_in(text, &[], &split, &ids);
            let whole_text = marked(&window(text, passage, false, false, &split));
            assert_eq!(marked(&snippet(text, "", &terms)), whole_text, "{text}");
        }
    }

    /// The passage where most terms meet, not the title shown above the snippet.
    #[test]
    fn passages_where_most_terms_meet_and_not_the_title() {
        let title = "关于开展民族团结进步宣传月活动的通知";
        let filler = "各村要高度重视，认真组织实施。".repeat(8);
        let cases: Vec<(&str, &str, String, &[&str], &str)> = vec![
            (
                "the title line is left out",
                title,
                format!(
                    "{title}\n各村（社区）：\n为深入开展民族团结进步创建，现将宣传月有关事项通知如下。\n"
                ),
                &["民族团结", "宣传月"],
                "…为深入开展[民族团结]进步创建，现将[宣传月]有关事项通知如下。",
            ),
            (
                "the title after the red head, set on two lines",
                "关于开展2023年民族团结进步宣传月活动的通知",
                format!(
                    "青山镇人民政府文件\n青政发〔2023〕12号\n关于开展2023年民族团结\n进步宣传月活动的通知\n{filler}\n宣传月期间，各村开展宣讲。"
                ),
                &["民族团结", "宣传月"],
                "…[宣传月]期间，各村开展宣讲。",
            ),
            (
                "more distinct terms beat an earlier match",
                "工作总结",
                format!("民族团结是各族人民的生命线。\n{filler}\n今年开展民族团结进步宣传月活动。"),
                &["民族团结", "宣传月"],
                "…今年开展[民族团结]进步[宣传月]活动。",
            ),
            (
                "a term all through a long text, both terms only at its end",
                "工作总结",
                format!(
                    "{}今年开展民族团结进步宣传月活动。",
                    "我镇深入开展民族团结进步创建，各族群众交往交流交融。\n".repeat(300)
                ),
                &["民族团结", "宣传月"],
                "…我镇深入开展[民族团结]进步创建，各族群众交往交流交融。 今年开展[民族团结]进步[宣传月]活动。",
            ),
            (
                "lines not read near the best passage still count",
                "工作总结",
                format!(
                    "开展民族团结活动。\n{filler}\n民族团结\n宣传月\n{}",
                    "民族团结。\n".repeat(30)
                ),
                &["民族团结", "宣传月"],
                "…[民族团结] [宣传月] [民族团结]。 [民族团结]。 [民族团结]。 [民族团结]。 [民族团结]。 [民族团结]。 [民族团结]。 [民族团结]。 [民族团结]。 [民族团结]。 [民族团结]。 [民族团结]。…",
            ),
            (
                "equal passages: the earliest",
                "工作总结",
                format!("一是开展民族团结宣传月。\n{filler}\n二是开展民族团结宣传月。"),
                &["民族团结", "宣传月"],
                "一是开展[民族团结宣传月]。 各村要高度重视，认真组织实施。各村要高度重视，认真组织实施。各村要高度重视，认真组织实施。各村要高度重视，认真组织实施。各村要高度重视…",
            ),
            (
                "terms too far apart in one line are two passages",
                "工作总结",
                format!("民族团结{filler}宣传月{filler}"),
                &["民族团结", "宣传月"],
                "[民族团结]各村要高度重视，认真组织实施。各村要高度重视，认真组织实施。各村要高度重视，认真组织实施。各村要高度重视，认真组织实施。各村要高度重视，认真组织实施。各…",
            ),
            (
                "a running header that repeats the title is left out",
                "民族团结宣传月工作总结",
                format!(
                    "民族团结宣传月工作总结\n宣传月期间，各村开展宣讲。\n{filler}\n\n民族团结宣传月工作总结"
                ),
                &["民族团结", "宣传月"],
                "…[宣传月]期间，各村开展宣讲。 各村要高度重视，认真组织实施。各村要高度重视，认真组织实施。各村要高度重视，认真组织实施。各村要高度重视，认真组织实施。各村要高度重…",
            ),
            (
                "the title when the text has no other match",
                "民族团结宣传月工作总结",
                "民族团结宣传月工作总结\n各村开展宣讲。".to_string(),
                &["民族团结", "宣传月"],
                "[民族团结宣传月]工作总结 各村开展宣讲。",
            ),
            (
                "a title that is no line of the text takes nothing out",
                "2023年总结",
                "民族团结宣传月\n正文。".to_string(),
                &["民族团结", "宣传月"],
                "[民族团结宣传月] 正文。",
            ),
        ];
        for (what, title, text, terms, want) in cases {
            let terms: Vec<String> = terms.iter().map(|t| normalize(t)).collect();
            assert_eq!(marked(&snippet(&text, title, &terms)), want, "{what}");
        }
    }

    #[test]
    fn best_passages() {
        // (start, end, term) matches, sorted: the passage's byte range and term count.
        let text = "甲".repeat(200);
        let at = |c: usize| c * 3;
        let cases: &[(&[Found], Option<Found>)] = &[
            (&[], None),
            (&[(at(0), at(2), 0)], Some((at(0), at(2), 1))),
            (
                &[(at(0), at(2), 0), (at(100), at(102), 0), (at(101), at(103), 1)],
                Some((at(100), at(103), 2)),
            ),
            (
                &[
                    (at(0), at(2), 0),
                    (at(10), at(12), 1),
                    (at(100), at(102), 0),
                    (at(101), at(103), 1),
                ],
                Some((at(0), at(12), 2)),
            ),
            (
                &[(at(0), at(2), 0), (at(0), at(2), 0), (at(5), at(6), 0)],
                Some((at(0), at(6), 1)),
            ),
            (
                &[
                    (at(0), at(2), 0),
                    (at(3), at(4), 0),
                    (at(6), at(8), 1),
                    (at(9), at(10), 0),
                ],
                Some((at(0), at(10), 2)),
            ),
            (
                &[(at(0), at(2), 0), (at(PASSAGE_CHARS), at(PASSAGE_CHARS + 1), 1)],
                Some((at(0), at(2), 1)),
            ),
            (
                &[(at(0), at(2), 0), (at(PASSAGE_CHARS - 1), at(PASSAGE_CHARS), 1)],
                Some((at(0), at(PASSAGE_CHARS), 2)),
            ),
        ];
        for (found, want) in cases {
            assert_eq!(best_passage(text.as_bytes(), found), *want, "{found:?}");
        }
    }

    #[test]
    fn no_match_gives_the_beginning() {
        assert_eq!(snip("开头的话。", &["不存在"]), "开头的话。");
    }
}
