//! The `\x05SummaryInformation` property set of an OLE compound file (title, author,
//! dates of a `.doc`), in the same snake-case keys as DOCX's `core.xml`.
//!
//! Layout ([MS-OLEPS]): a header naming one or more sections by offset; a section is a
//! size, a count, and `(property id, offset)` pairs pointing at typed values. Only the
//! first section is read; every offset is bounds-checked.

use encoding_rs::Encoding;

use super::Meta;

const VT_I2: u32 = 0x02;
const VT_LPSTR: u32 = 0x1E;
const VT_LPWSTR: u32 = 0x1F;
const VT_FILETIME: u32 = 0x40;
const VT_I4: u32 = 3;

/// Property id → key, for the summary properties a reader would look for.
fn key_of(id: u32) -> Option<&'static str> {
    Some(match id {
        2 => "title",
        3 => "subject",
        4 => "creator",
        5 => "keywords",
        6 => "description",
        8 => "last_modified_by",
        12 => "created",
        13 => "modified",
        14 => "pages",
        18 => "application",
        _ => return None,
    })
}

/// Reads the summary properties from the stream's bytes; anything malformed is left out.
pub(super) fn summary_information(bytes: &[u8]) -> Meta {
    let mut meta = Meta::new();
    let Some(section) = u32_at(bytes, 44).map(|o| o as usize) else {
        return meta;
    };
    let Some(section_bytes) = bytes.get(section..) else {
        return meta;
    };
    let count = u32_at(section_bytes, 4).unwrap_or(0).min(1024) as usize;
    let entry = |i: usize| {
        Some((
            u32_at(section_bytes, 8 + i * 8)?,
            u32_at(section_bytes, 12 + i * 8)?,
        ))
    };
    let entries: Vec<(u32, usize)> = (0..count)
        .map_while(entry)
        .map(|(id, off)| (id, off as usize))
        .collect();
    let codepage = entries
        .iter()
        .find(|(id, _)| *id == 1)
        .and_then(|&(_, off)| {
            (u32_at(section_bytes, off)? == VT_I2).then(|| u16_at(section_bytes, off + 4))?
        })
        .unwrap_or(1252);
    let encoding = encoding_of_codepage(codepage);
    for (id, off) in entries {
        let Some(key) = key_of(id) else {
            continue;
        };
        let Some(value) = value_at(section_bytes, off, encoding) else {
            continue;
        };
        let value = value
            .trim_matches(|c: char| c == '\0' || c.is_whitespace())
            .to_string();
        if !value.is_empty() {
            meta.insert(key.to_string(), value);
        }
    }
    meta
}

fn value_at(bytes: &[u8], off: usize, encoding: &'static Encoding) -> Option<String> {
    let kind = u32_at(bytes, off)?;
    let data = bytes.get(off + 4..)?;
    match kind {
        VT_LPSTR => {
            let len = u32_at(data, 0)? as usize;
            let raw = data.get(4..4 + len.min(data.len().saturating_sub(4)))?;
            let raw = raw.split(|b| *b == 0).next().unwrap_or(raw);
            if encoding == encoding_rs::UTF_16LE {
                // Code page 1200 stores LPSTR values as UTF-16 after all.
                let raw = data.get(4..4 + len.min(data.len().saturating_sub(4)))?;
                return Some(utf16(raw));
            }
            Some(encoding.decode_without_bom_handling(raw).0.into_owned())
        }
        VT_LPWSTR => {
            let chars = u32_at(data, 0)? as usize;
            let raw = data.get(4..4 + (chars * 2).min(data.len().saturating_sub(4)))?;
            Some(utf16(raw))
        }
        // A count (the page count, PIDSI_PAGECOUNT); zero or less says nothing.
        VT_I4 => {
            let n = u32_at(data, 0)? as i32;
            (n > 0).then(|| n.to_string())
        }
        VT_FILETIME => {
            let low = u32_at(data, 0)? as u64;
            let high = u32_at(data, 4)? as u64;
            filetime_iso((high << 32) | low)
        }
        _ => None,
    }
}

fn utf16(raw: &[u8]) -> String {
    let units = raw.chunks_exact(2).map(|c| u16::from_le_bytes([c[0], c[1]]));
    let text: String = char::decode_utf16(units)
        .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
        .collect();
    text.split('\0').next().unwrap_or_default().to_string()
}

/// A FILETIME (100 ns ticks since 1601) as `2023-12-05T08:00:00Z`; none before 1970.
fn filetime_iso(ticks: u64) -> Option<String> {
    const UNIX_EPOCH_SECS: u64 = 11_644_473_600;
    let secs = (ticks / 10_000_000).checked_sub(UNIX_EPOCH_SECS)?;
    if secs == 0 {
        return None;
    }
    Some(crate::date::iso_utc(secs))
}

/// The encoding of a Windows code page number, for 8-bit strings in binary documents.
pub(super) fn encoding_of_codepage(codepage: u16) -> &'static Encoding {
    use encoding_rs::*;
    match codepage {
        936 | 20936 => GBK,
        54936 => GB18030,
        950 => BIG5,
        932 => SHIFT_JIS,
        949 => EUC_KR,
        874 => WINDOWS_874,
        1200 => UTF_16LE,
        1201 => UTF_16BE,
        65001 => UTF_8,
        1250 => WINDOWS_1250,
        1251 => WINDOWS_1251,
        1253 => WINDOWS_1253,
        1254 => WINDOWS_1254,
        1255 => WINDOWS_1255,
        1256 => WINDOWS_1256,
        1257 => WINDOWS_1257,
        1258 => WINDOWS_1258,
        866 => IBM866,
        20866 => KOI8_R,
        10000 => MACINTOSH,
        _ => WINDOWS_1252,
    }
}

pub(super) fn u16_at(bytes: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(
        bytes.get(at..at.checked_add(2)?)?.try_into().ok()?,
    ))
}

pub(super) fn u32_at(bytes: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(
        bytes.get(at..at.checked_add(4)?)?.try_into().ok()?,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A one-section property set holding `props` (id, type, payload).
    fn property_set(props: &[(u32, u32, Vec<u8>)]) -> Vec<u8> {
        let mut out = vec![0xFE, 0xFF, 0, 0, 0, 0, 0, 0];
        out.extend([0u8; 16]);
        out.extend(1u32.to_le_bytes());
        out.extend([0u8; 16]);
        out.extend(48u32.to_le_bytes());
        let header = 8 + props.len() * 8;
        let mut values = Vec::new();
        let mut table = Vec::new();
        for (id, kind, payload) in props {
            table.extend(id.to_le_bytes());
            table.extend(((header + values.len()) as u32).to_le_bytes());
            values.extend(kind.to_le_bytes());
            values.extend(payload);
            while values.len() % 4 != 0 {
                values.push(0);
            }
        }
        out.extend(((header + values.len()) as u32).to_le_bytes());
        out.extend((props.len() as u32).to_le_bytes());
        out.extend(table);
        out.extend(values);
        out
    }

    fn lpstr(bytes: &[u8]) -> Vec<u8> {
        let mut v = ((bytes.len() + 1) as u32).to_le_bytes().to_vec();
        v.extend(bytes);
        v.push(0);
        v
    }

    #[test]
    fn reads_gbk_title_author_and_dates() {
        let (title, _, _) = GBK.encode("2023年工作总结");
        let ticks: u64 = (1_701_763_200 + 11_644_473_600) * 10_000_000;
        let set = property_set(&[
            (1, VT_I2, 936u32.to_le_bytes().to_vec()),
            (2, VT_LPSTR, lpstr(&title)),
            (4, VT_LPSTR, lpstr(b"Wang")),
            (12, VT_FILETIME, ticks.to_le_bytes().to_vec()),
            (99, VT_LPSTR, lpstr(b"ignored")),
        ]);
        let meta = summary_information(&set);
        assert_eq!(meta.get("title").map(String::as_str), Some("2023年工作总结"));
        assert_eq!(meta.get("creator").map(String::as_str), Some("Wang"));
        assert_eq!(
            meta.get("created").map(String::as_str),
            Some("2023-12-05T08:00:00Z")
        );
        assert_eq!(meta.len(), 3);
    }

    #[test]
    fn malformed_sets_give_what_they_can_and_never_panic() {
        let set = property_set(&[
            (2, VT_LPSTR, lpstr(b"Title")),
            (4, VT_LPSTR, vec![0xFF, 0xFF, 0xFF, 0x7F]),
        ]);
        assert_eq!(
            summary_information(&set).get("title").map(String::as_str),
            Some("Title")
        );
        for cut in 0..set.len() {
            let _ = summary_information(&set[..cut]);
        }
        assert!(summary_information(&[]).is_empty());
    }

    use encoding_rs::GBK;
}
