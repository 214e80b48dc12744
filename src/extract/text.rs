//! Plain text files (`.txt`), in whatever encoding Chinese offices saved them: UTF-8 with
//! or without a BOM, UTF-16 (by BOM, or by the pattern of zero bytes when there is none),
//! else the legacy encoding chardetng guesses (GBK/GB18030, Big5, …).

use std::io::Read;

use super::limits::Limits;
use super::{Document, Paragraph, SkipReason};

/// Reads and decodes a text file; its lines are the paragraphs the title rules look at.
pub fn extract_text<R: Read>(file: R, limits: &Limits) -> Result<Document, SkipReason> {
    let cap = limits.text_bytes as u64 * 2;
    let mut bytes = Vec::new();
    file.take(cap + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| SkipReason::Unreadable(e.to_string()))?;
    if bytes.len() as u64 > cap {
        return Err(SkipReason::TooLarge(format!(
            "a text file over {} MiB",
            cap >> 20
        )));
    }
    let (text, encoding) = decode(&bytes);
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let paragraphs = text
        .lines()
        .take(40)
        .map(|line| Paragraph {
            text: line.trim().to_string(),
            ..Paragraph::default()
        })
        .collect();
    let mut doc = Document {
        paragraphs,
        meta: [("encoding".to_string(), encoding.to_string())]
            .into_iter()
            .collect(),
        ..Document::default()
    };
    doc.counts.body = text.chars().filter(|c| *c != '\n').count();
    doc.parts.body = text;
    Ok(doc)
}

/// The text of `bytes` and the name of the encoding it was read as.
pub fn decode(bytes: &[u8]) -> (String, &'static str) {
    if let Some((encoding, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, _) = encoding.decode_without_bom_handling(&bytes[bom..]);
        return (text.into_owned(), encoding.name());
    }
    // Zero bytes are valid UTF-8, so look for UTF-16's pattern of them first.
    if let Some(encoding) = utf16_without_bom(bytes) {
        let (text, _) = encoding.decode_without_bom_handling(bytes);
        return (text.into_owned(), encoding.name());
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return (text.to_string(), "UTF-8");
    }
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(bytes, true);
    let encoding = detector.guess(None, chardetng::Utf8Detection::Allow);
    let (text, _) = encoding.decode_without_bom_handling(bytes);
    (text.into_owned(), encoding.name())
}

/// UTF-16 without a BOM shows as zero bytes at every other position in ASCII-heavy text.
fn utf16_without_bom(bytes: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    if bytes.len() < 8 || !bytes.len().is_multiple_of(2) {
        return None;
    }
    let pairs = bytes.len() / 2;
    let even_zero = bytes.iter().step_by(2).filter(|&&b| b == 0).count();
    let odd_zero = bytes.iter().skip(1).step_by(2).filter(|&&b| b == 0).count();
    if even_zero * 3 > pairs && odd_zero * 20 < pairs {
        Some(encoding_rs::UTF_16BE)
    } else if odd_zero * 3 > pairs && even_zero * 20 < pairs {
        Some(encoding_rs::UTF_16LE)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_what_chinese_offices_save() {
        let text = "青山镇2023年工作总结\n全镇完成地区生产总值12.6亿元。";
        let (gbk, _, _) = encoding_rs::GBK.encode(text);
        let (big5, _, _) = encoding_rs::BIG5.encode("青山鎮工作總結，全鎮完成地區生產總值。");
        let utf16le: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain(text.encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        let utf16be_ascii: Vec<u8> = "Report 2023, plain ASCII\n"
            .encode_utf16()
            .flat_map(u16::to_be_bytes)
            .collect();
        let bom_utf8 = [b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat();
        assert_eq!(decode(text.as_bytes()), (text.to_string(), "UTF-8"));
        assert_eq!(decode(&bom_utf8).0, text);
        assert_eq!(decode(&utf16le), (text.to_string(), "UTF-16LE"));
        assert_eq!(decode(&utf16be_ascii).0, "Report 2023, plain ASCII\n");
        let (got, encoding) = decode(&gbk);
        assert_eq!(got, text, "{encoding}");
        let (got, encoding) = decode(&big5);
        assert_eq!(
            (got.as_str(), encoding),
            ("青山鎮工作總結，全鎮完成地區生產總值。", "Big5")
        );
    }
}
