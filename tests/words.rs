//! Integration tests: Latin letters and digits match as whole words, a run of letters and a
//! run of digits written together being two words, and numbers match whole — through the
//! real binary, over DOCX files built here.

mod common;

use std::collections::BTreeSet;
use std::path::Path;

use common::{Docx, assert_highlighted, dangan, json_lines, p, search_all};

/// The documents of the archive: file name (Chinese, so titles hold no letters or digits)
/// and paragraphs.
const DOCS: &[(&str, &[&str])] = &[
    ("注册.docx", &["全县注册APP8060余人。"]),
    ("基站.docx", &["新建5G基站三座。"]),
    ("接头.docx", &["每村配备5 个 G型接头。"]),
    ("拨款.docx", &["拨付资金120万元。"]),
    ("补助.docx", &["补助２０万元。"]),
    ("增长甲.docx", &["增长2.5个百分点。"]),
    ("增长乙.docx", &["增长12.5个百分点。"]),
    ("增长丙.docx", &["增长2.55个百分点。"]),
    ("经济.docx", &["GDP20亿元。"]),
];

/// Builds the archive, indexes it with the binary and returns the index directory (and
/// the temp dir holding it all).
fn indexed_archive() -> (tempfile::TempDir, std::path::PathBuf) {
    let tmp = tempfile::tempdir().expect("tempdir");
    let root = tmp.path().join("archive");
    for (name, paragraphs) in DOCS {
        let body: String = paragraphs.iter().map(|t| p(t)).collect();
        Docx::new(&body).write_to(&root.join(name));
    }
    let idx = tmp.path().join("index");
    let out = dangan(&[
        "index",
        "--index",
        idx.to_str().unwrap_or_default(),
        root.to_str().unwrap_or_default(),
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "index failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    (tmp, idx)
}

/// The file names `dangan search --json -n 0 QUERY` finds, and its exit status.
fn found(idx: &Path, query: &str) -> (Option<i32>, BTreeSet<String>) {
    let out = search_all(idx, &[query]);
    let names = json_lines(&out)
        .iter()
        .filter_map(|row| {
            Path::new(row["path"].as_str()?)
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
        })
        .collect();
    (out.status.code(), names)
}

#[test]
fn letters_and_digits_written_together_are_two_words() {
    let (_tmp, idx) = indexed_archive();
    // (query, the documents it finds)
    let cases: &[(&str, &[&str])] = &[
        ("APP", &["注册.docx"]),
        ("app", &["注册.docx"]),
        ("ＡＰＰ", &["注册.docx"]),
        ("8060", &["注册.docx"]),
        ("APP8060", &["注册.docx"]),
        ("APP8060余人", &["注册.docx"]),
        ("AP", &[]),
        ("806", &[]),
        // `5G` is the phrase `5` `G`: the two written together, nowhere else.
        ("5G", &["基站.docx"]),
        ("5g基站", &["基站.docx"]),
        ("G", &["基站.docx", "接头.docx"]),
        ("5", &["基站.docx", "接头.docx", "增长甲.docx", "增长乙.docx"]),
        ("\"5 个 G\"", &["接头.docx"]),
        ("GDP", &["经济.docx"]),
        ("GDP20", &["经济.docx"]),
        ("20", &["经济.docx", "补助.docx"]),
        ("20亿元", &["经济.docx"]),
    ];
    for &(query, want) in cases {
        let (code, got) = found(&idx, query);
        let want: BTreeSet<String> = want.iter().map(|s| s.to_string()).collect();
        assert_eq!(got, want, "query {query}");
        assert_eq!(code, Some(if want.is_empty() { 1 } else { 0 }), "query {query}");
    }
}

#[test]
fn numbers_match_whole_decimals_included() {
    let (_tmp, idx) = indexed_archive();
    let cases: &[(&str, &[&str])] = &[
        ("20万元", &["补助.docx"]),
        ("２０万元", &["补助.docx"]),
        ("120万元", &["拨款.docx"]),
        ("万元", &["拨款.docx", "补助.docx"]),
        ("2.5", &["增长甲.docx"]),
        ("12.5", &["增长乙.docx"]),
        ("2.55", &["增长丙.docx"]),
        ("2.5个百分点", &["增长甲.docx"]),
    ];
    for &(query, want) in cases {
        let (code, got) = found(&idx, query);
        let want: BTreeSet<String> = want.iter().map(|s| s.to_string()).collect();
        assert_eq!(got, want, "query {query}");
        assert_eq!(code, Some(0), "query {query}");
    }
}

#[test]
fn the_snippet_marks_the_word_inside_letters_and_digits() {
    let (_tmp, idx) = indexed_archive();
    for (query, marked) in [("APP", "APP"), ("8060", "8060"), ("5G", "5G")] {
        assert_highlighted(&idx, query, marked);
    }
}
