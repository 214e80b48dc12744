//! `dangan export`: every indexed document once — drafts not folded — with every key of
//! `list --json`, and its text, one valid JSON object per line; `--es-bulk` puts an
//! Elasticsearch action line before each.

mod common;

use std::collections::BTreeSet;

use common::{dangan, json_lines, rel};
use serde_json::Value;

#[test]
fn export_round_trips_every_document_once() {
    let (_tmp, root) = common::copy_tree(&common::fixtures().join("versions"), &common::VERSIONS);
    let idx = common::build_index(&[&root]);
    let idx = idx.path().to_str().unwrap_or_default();

    let out = dangan(&["export", "--index", idx, "--ndjson"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let exported = json_lines(&out);
    let paths: Vec<String> = exported
        .iter()
        .map(|d| rel(&root, d["path"].as_str().unwrap_or_default()))
        .collect();
    let unique: BTreeSet<&String> = paths.iter().collect();
    assert_eq!(unique.len(), paths.len(), "each document once: {paths:?}");
    let files: BTreeSet<String> = common::VERSIONS.iter().map(|f| f.to_string()).collect();
    assert_eq!(paths.iter().cloned().collect::<BTreeSet<_>>(), files);

    // Every key `list --json` has, with the same values for the document listed.
    let listed = json_lines(&dangan(&["list", "--index", idx, "--json"]));
    for row in &listed {
        let path = row["path"].as_str().unwrap_or_default();
        let doc = exported
            .iter()
            .find(|d| d["path"] == path)
            .unwrap_or_else(|| panic!("{path} not exported"));
        let Value::Object(keys) = row else { panic!("{row}") };
        for (key, value) in keys {
            assert_eq!(&doc[key], value, "{key} of {path}");
        }
        assert!(doc["text"].as_str().is_some_and(|t| !t.is_empty()), "{doc}");
        assert_eq!(doc["id"].as_str().map(str::len), Some(16), "{doc}");
    }
    // A draft folded away in `list` has its own line, naming the final among its versions.
    let draft = exported
        .iter()
        .find(|d| {
            d["path"]
                .as_str()
                .unwrap_or_default()
                .ends_with("人居环境整治工作总结（初稿）.docx")
        })
        .expect("the 初稿");
    assert!(
        draft["versions"].as_array().is_some_and(|v| v
            .iter()
            .any(|p| p.as_str().unwrap_or_default().ends_with("（定稿）.docx"))),
        "{draft}"
    );
    assert!(draft["text"].as_str().unwrap_or_default().contains("美丽庭院"));

    // _bulk form: an action line, then the document, for each.
    let out = dangan(&["export", "--index", idx, "--es-bulk", "archive"]);
    let lines = json_lines(&out);
    assert_eq!(lines.len(), 2 * exported.len());
    for pair in lines.chunks(2) {
        assert_eq!(pair[0]["index"]["_index"], "archive");
        assert_eq!(pair[0]["index"]["_id"], pair[1]["id"]);
    }
}
