//! Copies: files whose text is the same are one document. The index keeps a key of each
//! document's normalised text ([`copy_key`]); search and list show one member of each
//! group, the head ([`head`]), with the others' paths as its copies.

use sha2::{Digest, Sha256};

use crate::meta::DocDate;

/// The copy key of a document's normalised text: its lines (paragraphs and table cells)
/// with white space and list numbering (`1.`, `（一）`, `一、`, bullets) left out, taken as a
/// set, so the same text saved by another producer is the same — a `.doc` that moves a
/// text box elsewhere, an ODT that drops the numbers of a list. `None` for a text of white
/// space only (a scanned file is not a copy of every other scanned file).
pub fn copy_key(normalized: &str) -> Option<u64> {
    copy_key_with(normalized, |_| {})
}

/// [`copy_key`], handing each character it hashes (white space and list numbering left
/// out) to `each` on the way: one pass over the text serves the copy key and whatever else
/// reads its characters ([`super::versions::fingerprint`]).
pub fn copy_key_with(normalized: &str, mut each: impl FnMut(char)) -> Option<u64> {
    // One stable 64-bit hash per line (FNV-1a over its characters but white space), no
    // copy of the text: this runs on every document indexed.
    let mut lines: Vec<u64> = Vec::new();
    // One character at a time the split is fast (memchr); a set of two is not.
    for line in normalized.split('\n').flat_map(|l| l.split('\t')) {
        let line = without_list_marker(line.trim_start());
        let mut hash = FNV_OFFSET;
        let mut any = false;
        for c in line.chars() {
            if c.is_whitespace() {
                continue;
            }
            any = true;
            hash = (hash ^ u64::from(c)).wrapping_mul(FNV_PRIME);
            each(c);
        }
        if any {
            lines.push(hash);
        }
    }
    if lines.is_empty() {
        return None;
    }
    lines.sort_unstable();
    let mut hasher = Sha256::new();
    for line in &lines {
        hasher.update(line.to_le_bytes());
    }
    let digest = hasher.finalize();
    let mut first = [0u8; 8];
    first.copy_from_slice(&digest[..8]);
    Some(u64::from_le_bytes(first))
}

/// A stable 64-bit hash of a string (FNV-1a), the same in every run and build.
pub fn text_hash(text: &str) -> u64 {
    text.bytes()
        .fold(FNV_OFFSET, |h, b| (h ^ u64::from(b)).wrapping_mul(FNV_PRIME))
}

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

/// A line without its list number or bullet: `1.`, `(2)`, `（三）`, `一、`, `•` (text already
/// normalised, so full-width forms are ASCII). `3.2亿元` keeps its number.
fn without_list_marker(line: &str) -> &str {
    if let Some(rest) = line.strip_prefix(['•', '●', '■', '◆', '▪', '·', '-', '*']) {
        return rest;
    }
    let open = line.strip_prefix(['(', '（']);
    let body = open.unwrap_or(line);
    let numeral = |c: char| c.is_ascii_digit() || "一二三四五六七八九十".contains(c);
    let digits = body.chars().take_while(|&c| numeral(c)).count();
    if digits == 0 || digits > 3 {
        return line;
    }
    let after: &str = &body[body.char_indices().nth(digits).map_or(body.len(), |(i, _)| i)..];
    let closers: &[char] = if open.is_some() {
        &[')', '）']
    } else {
        &['.', '、', ')', '）']
    };
    match after.strip_prefix(closers) {
        Some(rest) if !rest.starts_with(|c: char| c.is_ascii_digit()) => rest,
        _ => line,
    }
}

/// What the head rule looks at in a member of a group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    /// The file's path.
    pub path: String,
    /// The title as indexed.
    pub title: String,
    /// The document's date, if any.
    pub date: Option<DocDate>,
    /// The file's modification time, seconds since the epoch (0 when unknown).
    pub mtime: i64,
}

/// Marks of a final text in a file name or title.
const FINAL_MARKS: [&str; 2] = ["定稿", "终稿"];

/// The member that stands for its group: one whose file name or title says 定稿/终稿, else
/// the newest document date, else the newest modification time, then the shortest path
/// (the copy least buried in backups), then the first by path, so the choice never depends
/// on the order the members come in. `None` for no members.
pub fn head(members: &[Member]) -> Option<usize> {
    let says_final = |m: &Member| {
        let name = std::path::Path::new(&m.path)
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        FINAL_MARKS
            .iter()
            .any(|mark| name.contains(mark) || m.title.contains(mark))
    };
    (0..members.len()).max_by(|&a, &b| {
        let (ma, mb) = (&members[a], &members[b]);
        says_final(ma)
            .cmp(&says_final(mb))
            .then(ma.date.map(DocDate::span).cmp(&mb.date.map(DocDate::span)))
            .then(ma.mtime.cmp(&mb.mtime))
            .then(mb.path.chars().count().cmp(&ma.path.chars().count()))
            .then(mb.path.cmp(&ma.path))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn member(path: &str, title: &str, date: Option<(i32, u32, u32)>, mtime: i64) -> Member {
        Member {
            path: path.into(),
            title: title.into(),
            date: date.map(|(y, m, d)| DocDate::new(y, Some(m), Some(d))),
            mtime,
        }
    }

    #[test]
    fn copy_keys_ignore_white_space_numbering_and_order_only() {
        assert_eq!(copy_key("民族 团结\n进步"), copy_key("民族 团结\n\n 进步 "));
        assert_eq!(
            copy_key("一、概况\n1.修路\n(2)建桥"),
            copy_key("概况\n修路\n建桥")
        );
        assert_eq!(copy_key("正文\n文本框里的话"), copy_key("文本框里的话\n正文"));
        assert_ne!(copy_key("民族团结进步"), copy_key("民族团结进步。"));
        assert_ne!(
            copy_key("投资3.2亿元"),
            copy_key("投资2亿元"),
            "a decimal is no list number"
        );
        assert_ne!(copy_key("2023年总结"), copy_key("总结"));
        assert_eq!(copy_key(" \n\t"), None);
        assert_eq!(copy_key(""), None);
        assert_eq!(without_list_marker("（三）加强领导"), "加强领导");
        assert_eq!(without_list_marker("12.工作"), "工作");
        assert_eq!(without_list_marker("3.2亿元"), "3.2亿元");
        assert_eq!(without_list_marker("2023年"), "2023年");
        assert_eq!(without_list_marker("一、"), "");
    }

    #[test]
    fn the_head_is_the_final_then_the_newest_then_the_shortest_path() {
        let members = [
            member("/a/备份/总结.docx", "总结", None, 300),
            member("/a/总结（定稿）.docx", "总结", None, 100),
            member("/a/总结.docx", "总结", None, 200),
        ];
        assert_eq!(head(&members), Some(1), "定稿 in the name");
        let members = [
            member("/a/总结.docx", "总结", Some((2023, 1, 5)), 100),
            member("/a/总结2.docx", "总结", Some((2023, 2, 1)), 50),
        ];
        assert_eq!(head(&members), Some(1), "newest date");
        let members = [
            member("/a/备份/总结.docx", "总结", None, 100),
            member("/a/总结 - 副本.docx", "总结", None, 200),
        ];
        assert_eq!(head(&members), Some(1), "newest modification time");
        let members = [
            member("/a/备份/旧/总结.docx", "总结", None, 100),
            member("/a/总结.docx", "总结", None, 100),
        ];
        assert_eq!(head(&members), Some(1), "shortest path");
        let mut reversed = members.clone();
        reversed.reverse();
        assert_eq!(head(&reversed), Some(0), "whatever the order");
        assert_eq!(head(&[]), None);
        let titled = [
            member("/a/1.docx", "总结（终稿）", None, 1),
            member("/a/2.docx", "总结", None, 9),
        ];
        assert_eq!(head(&titled), Some(0), "终稿 in the title");
    }
}
