//! Copies: the same report saved three times — the producer's DOCX, LibreOffice's `.doc`
//! and ODT of it, in the folders copies turn up in — is one hit, one listed document, one
//! catalogue row and one count, with the other paths as its copies; `--all-copies` shows
//! every file; the grouping follows files added, edited and removed.

mod common;

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use common::{dangan, json_rows, rel, set_mtime};
use serde_json::Value;

/// `fixtures/copies` in a temp folder: the ODT backup is the newest.
fn copies_tree() -> (tempfile::TempDir, PathBuf) {
    common::copy_tree(
        &common::fixtures().join("copies"),
        &[
            "定稿/河长制工作情况报告.docx",
            "上报材料/河长制工作情况报告.doc",
            "U盘备份/河长制工作情况报告 - 副本.odt",
            "上报材料/防汛工作情况报告.docx",
        ],
    )
}

fn copies_of(root: &Path, row: &Value) -> Vec<String> {
    common::paths_in(root, row, "copies")
}

#[test]
fn the_same_text_in_three_formats_is_one_document() {
    let (_tmp, root) = copies_tree();
    let idx = common::build_index(&[&root]);
    let idx = idx.path().to_str().unwrap_or_default();

    let hits = json_rows(&["search", "--index", idx, "--json", "河长"]);
    assert_eq!(hits.len(), 1, "{hits:?}");
    assert_eq!(
        rel(&root, hits[0]["path"].as_str().unwrap_or_default()),
        "U盘备份/河长制工作情况报告 - 副本.odt",
        "the newest is the head"
    );
    assert_eq!(
        copies_of(&root, &hits[0]),
        ["上报材料/河长制工作情况报告.doc", "定稿/河长制工作情况报告.docx"]
    );
    assert_eq!(hits[0]["year"], 2021);

    let listed = json_rows(&["list", "--index", idx, "--json"]);
    assert_eq!(listed.len(), 2);
    let flood = listed
        .iter()
        .find(|r| r["title"].as_str().unwrap_or_default().contains("防汛"))
        .expect("flood report");
    assert_eq!(copies_of(&root, flood), Vec::<String>::new());
    let human = String::from_utf8_lossy(&dangan(&["list", "--index", idx]).stdout).into_owned();
    assert!(human.contains("    = 定稿/河长制工作情况报告.docx"), "{human}");

    let years = json_rows(&["years", "--index", idx, "--json"]);
    assert!(
        years.iter().any(|y| y["year"] == 2021 && y["count"] == 1),
        "{years:?}"
    );

    // Every file, when asked.
    assert_eq!(
        json_rows(&["search", "--index", idx, "--json", "--all-copies", "河长"]).len(),
        3
    );
    assert_eq!(
        json_rows(&["list", "--index", idx, "--json", "--all-copies"]).len(),
        4
    );

    // The catalogue lists copies once.
    let text = common::catalog_csv(idx);
    assert_eq!(text.lines().count(), 3, "header and two rows: {text}");
}

#[test]
fn a_final_in_the_file_name_heads_its_copies() {
    let (_tmp, root) = copies_tree();
    // The oldest copy, named as the final one.
    std::fs::rename(
        root.join("定稿/河长制工作情况报告.docx"),
        root.join("定稿/河长制工作情况报告（定稿）.docx"),
    )
    .expect("rename");
    let idx = common::build_index(&[&root]);
    let hits = json_rows(&[
        "search",
        "--index",
        idx.path().to_str().unwrap_or_default(),
        "--json",
        "河长",
    ]);
    assert_eq!(hits.len(), 1);
    assert_eq!(
        rel(&root, hits[0]["path"].as_str().unwrap_or_default()),
        "定稿/河长制工作情况报告（定稿）.docx"
    );
}

#[test]
fn grouping_follows_files_added_edited_and_removed() {
    let (_tmp, root) = copies_tree();
    std::fs::remove_file(root.join("U盘备份/河长制工作情况报告 - 副本.odt")).expect("rm");
    std::fs::remove_file(root.join("上报材料/河长制工作情况报告.doc")).expect("rm");
    let idx = common::build_index(&[&root]);
    let idx_arg = idx.path().to_str().unwrap_or_default();
    let index = || {
        let out = dangan(&["index", "--index", idx_arg, root.to_str().unwrap_or_default()]);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stderr).into_owned()
    };
    let search = || json_rows(&["search", "--index", idx_arg, "--json", "河长"]);
    assert_eq!(copies_of(&root, &search()[0]), Vec::<String>::new());

    // A copy added: only it is read, and it joins the group.
    let copy = root.join("备份/河长制工作情况报告(1).docx");
    std::fs::create_dir_all(copy.parent().expect("parent")).expect("mkdir");
    std::fs::copy(root.join("定稿/河长制工作情况报告.docx"), &copy).expect("copy");
    set_mtime(&copy, SystemTime::UNIX_EPOCH + Duration::from_secs(1_600_000_000));
    let said = index();
    assert!(
        said.contains("1 indexed (1 new, 0 changed), 2 unchanged"),
        "{said}"
    );
    let hits = search();
    assert_eq!(hits.len(), 1);
    assert_eq!(
        rel(&root, hits[0]["path"].as_str().unwrap_or_default()),
        "定稿/河长制工作情况报告.docx"
    );
    assert_eq!(copies_of(&root, &hits[0]), ["备份/河长制工作情况报告(1).docx"]);

    // The copy edited: its own document again.
    let edited = common::Docx::new(
        &(common::p("青山镇河长制工作情况报告（修改）") + &common::p("河长制工作有了新的进展。")),
    );
    edited.write_to(&copy);
    index();
    let hits = search();
    assert_eq!(hits.len(), 2, "{hits:?}");
    assert!(hits.iter().all(|h| copies_of(&root, h).is_empty()));

    // Copied back, then the head removed: the copy stands alone, found as before.
    std::fs::copy(root.join("定稿/河长制工作情况报告.docx"), &copy).expect("copy");
    index();
    assert_eq!(search().len(), 1);
    std::fs::remove_file(root.join("定稿/河长制工作情况报告.docx")).expect("rm");
    index();
    let hits = search();
    assert_eq!(hits.len(), 1);
    assert_eq!(
        rel(&root, hits[0]["path"].as_str().unwrap_or_default()),
        "备份/河长制工作情况报告(1).docx"
    );
    assert_eq!(copies_of(&root, &hits[0]), Vec::<String>::new());
}
