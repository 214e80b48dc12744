//! Robustness: damaged inputs of every shape (mangled XML, zips, `.doc` streams and bundles)
//! end in a document or a reason, never a panic.

mod common;

use common::{Dice, Docx, fixtures, patched_doc};

#[test]
fn mangled_xml_and_mangled_zips_never_panic() {
    let source = fixtures().join("archive/2023/2023年青山镇工作总结.docx");
    let bytes = std::fs::read(&source).expect("fixture");
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes.clone())).expect("zip");
    let mut xml = Vec::new();
    std::io::Read::read_to_end(&mut zip.by_name("word/document.xml").expect("part"), &mut xml).expect("read");
    let limits = dangan::extract::Limits::default();
    let mut dice = Dice(2024);
    for round in 0..400 {
        // Damage the XML (cut, splice markup, drop a range) and repackage it properly …
        let mut bad = xml.clone();
        match round % 3 {
            0 => bad.truncate(dice.below(bad.len())),
            1 => {
                let at = dice.below(bad.len());
                let junk: &[u8] = [
                    b"<".as_slice(),
                    b"</w:p>",
                    b"<w:tbl>",
                    b"&#xD800;",
                    b"\xFF\xFE",
                    b"<![CDATA[",
                ][dice.below(6)];
                bad.splice(at..at, junk.iter().copied());
            }
            _ => {
                let from = dice.below(bad.len());
                let to = (from + dice.below(200)).min(bad.len());
                bad.drain(from..to);
            }
        }
        let mut docx = Docx::new("");
        docx.put("word/document.xml", bad);
        let _ = dangan::extract::docx::extract_docx(std::io::Cursor::new(docx.bytes()), &limits);

        // … and damage the zip bytes themselves.
        let mut raw = bytes.clone();
        for _ in 0..1 + dice.below(8) {
            let at = dice.below(raw.len());
            raw[at] = dice.next() as u8;
        }
        if round % 5 == 0 {
            raw.truncate(dice.below(raw.len()));
        }
        let _ = dangan::extract::docx::extract_docx(std::io::Cursor::new(raw), &limits);
    }
}

#[test]
fn mangled_doc_streams_never_panic() {
    let bytes =
        std::fs::read(fixtures().join("archive/2020/青山镇2020年耕地保护工作总结.doc")).expect("fixture");
    let limits = dangan::extract::Limits::default();
    let mut dice = Dice(1997);
    let rounds: usize = std::env::var("DANGAN_FUZZ_ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(300);
    for round in 0..rounds {
        let bad = patched_doc(&bytes, |word, table| {
            for _ in 0..1 + dice.below(16) {
                let stream = if dice.below(2) == 0 {
                    &mut *word
                } else {
                    &mut *table
                };
                let at = dice.below(stream.len());
                stream[at] = dice.next() as u8;
            }
            if round % 7 == 0 {
                let cut = dice.below(table.len());
                table.truncate(cut);
            }
        });
        let mut reader = std::io::Cursor::new(bad.clone());
        let _ = dangan::extract::doc::extract_compound(&mut reader, &limits);
        // And the compound file's own bytes.
        let mut raw = bytes.clone();
        for _ in 0..1 + dice.below(8) {
            let at = dice.below(raw.len());
            raw[at] = dice.next() as u8;
        }
        let _ = dangan::extract::doc::extract_compound(&mut std::io::Cursor::new(raw), &limits);
    }
}

#[test]
fn mangled_bundles_never_panic() {
    let bytes = std::fs::read(fixtures().join("archive/2021/2021年各村上报材料.zip")).expect("fixture");
    let limits = dangan::extract::Limits::default();
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("损坏的包.zip");
    let mut dice = Dice(2021);
    let rounds: usize = std::env::var("DANGAN_FUZZ_ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(200);
    for round in 0..rounds {
        let mut raw = bytes.clone();
        for _ in 0..1 + dice.below(8) {
            let at = dice.below(raw.len());
            raw[at] = dice.next() as u8;
        }
        if round % 5 == 0 {
            raw.truncate(dice.below(raw.len()));
        }
        std::fs::write(&path, &raw).expect("write");
        let mut items = 0;
        dangan::extract::extract_items(&path, &limits, &mut |item| {
            items += 1;
            if let dangan::extract::Item::Document {
                result: Err(reason), ..
            } = item
            {
                assert!(!reason.to_string().contains("internal error"), "{reason}");
            }
        });
        assert!(
            items >= 1,
            "a bundle always yields something: a document or its reason"
        );
    }
}
