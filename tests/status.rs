//! `dangan status`: what the index holds, counted one way everywhere.

mod common;

use common::*;

/// A bundle's members are documents and the bundle itself is not: the total, the formats
/// and the roots all count the sample archive's 36 documents (regression: `documents 26
/// (… zip 1)` above a root of `25 documents`).
#[test]
fn status_counts_documents_one_way() {
    let archive = fixtures().join("archive");
    let idx = build_index(&[&archive]);
    let idx_arg = idx.path().to_str().unwrap_or_default();

    let out = dangan(&["status", "--index", idx_arg, "--json"]);
    assert_eq!(out.status.code(), Some(0));
    let rows = json_lines(&out);
    let status = &rows[0];
    let documents = status["documents"].as_u64().unwrap_or(0);
    assert_eq!(documents, 36, "{status}");
    let formats = status["formats"].as_object().cloned().unwrap_or_default();
    assert!(
        !formats.contains_key("zip"),
        "a bundle is not a document: {status}"
    );
    let by_format: u64 = formats.values().filter_map(|n| n.as_u64()).sum();
    assert_eq!(by_format, documents, "{status}");
    let roots = status["roots"].as_array().cloned().unwrap_or_default();
    assert_eq!(roots.len(), 1);
    assert_eq!(roots[0]["documents"].as_u64(), Some(documents), "{status}");
    assert!(roots[0]["last_sync"].is_string());

    // `list` and `years` agree.
    let listed = json_lines(&dangan(&["list", "--index", idx_arg, "--json"]));
    assert_eq!(listed.len() as u64, documents);
    let years = json_lines(&dangan(&["years", "--index", idx_arg, "--json"]));
    let by_year: u64 = years.iter().filter_map(|y| y["count"].as_u64()).sum();
    assert_eq!(by_year, documents);

    // And the human output says the same numbers.
    let out = dangan(&["status", "--index", idx_arg]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("documents  36 ("), "{text}");
    assert!(text.contains("  36 documents, last synced "), "{text}");
    assert!(!text.contains("zip"), "{text}");
    assert!(text.contains("skipped    none"), "{text}");
}
