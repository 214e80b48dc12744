//! Versions: the drafts of one report (初稿, 修改稿, 定稿, and a `.doc` copy of the 修改稿 sent
//! up) are one hit, one listed document, one catalogue row and one count, headed by the
//! 定稿, the others in `versions`; two unmarked drafts are headed by the newer date. The
//! traps stay apart: another village's fill-in of the same template (90% alike), the same
//! village's report of the year before, and a 初稿/定稿 pair whose texts differ.
//! `fixtures/versions` is made by `fixtures/src/make_versions.py`.

mod common;

use std::path::{Path, PathBuf};

use common::{dangan, json_rows, paths_in, rel};
use serde_json::Value;

const SUMMARY_2023: &str = "人居环境/东山村2023年人居环境整治工作总结（定稿）.docx";
const DRAFT: &str = "人居环境/东山村2023年人居环境整治工作总结（初稿）.docx";
const REVISED: &str = "人居环境/东山村2023年人居环境整治工作总结（修改稿）.docx";
const SENT_UP: &str = "上报材料/东山村2023年人居环境整治工作总结.doc";

/// `fixtures/versions` in a temp folder, modification times in file order.
fn versions_tree() -> (tempfile::TempDir, PathBuf) {
    common::copy_tree(&common::fixtures().join("versions"), &common::VERSIONS)
}

fn shown(root: &Path, rows: &[Value]) -> Vec<String> {
    let mut out: Vec<String> = rows
        .iter()
        .map(|r| rel(root, r["path"].as_str().unwrap_or_default()))
        .collect();
    out.sort();
    out
}

#[test]
fn drafts_are_one_document_headed_by_the_final() {
    let (_tmp, root) = versions_tree();
    let idx = common::build_index(&[&root]);
    let idx = idx.path().to_str().unwrap_or_default();

    // A phrase every draft has: one hit, the 定稿, the rest its versions.
    let hits = json_rows(&["search", "--index", idx, "--json", "美丽庭院"]);
    let summaries: Vec<&Value> = hits
        .iter()
        .filter(|h| h["title"].as_str().unwrap_or_default().starts_with("东山村2023"))
        .collect();
    assert_eq!(summaries.len(), 1, "{hits:?}");
    assert_eq!(
        rel(&root, summaries[0]["path"].as_str().unwrap_or_default()),
        SUMMARY_2023
    );
    assert_eq!(
        paths_in(&root, summaries[0], "versions"),
        [SENT_UP, REVISED, DRAFT]
    );
    assert_eq!(paths_in(&root, summaries[0], "copies"), Vec::<String>::new());
    // The template's other villages and the year before are documents of their own.
    assert_eq!(
        shown(&root, &hits),
        [
            "人居环境/东山村2022年人居环境整治工作总结.docx",
            SUMMARY_2023,
            "各村上报/南山村2023年人居环境整治工作总结.docx",
            "各村上报/西山村2023年人居环境整治工作总结.docx",
        ]
    );

    // A sentence only the first draft has: that draft, the final among its versions.
    let hits = json_rows(&["search", "--index", idx, "--json", "清理生活垃圾86吨"]);
    let mine: Vec<String> = shown(&root, &hits)
        .into_iter()
        .filter(|p| p.contains("东山村2023"))
        .collect();
    assert_eq!(mine, [DRAFT], "{hits:?}");
    let draft = hits
        .iter()
        .find(|h| h["path"].as_str().unwrap_or_default().ends_with("（初稿）.docx"))
        .expect("the draft");
    assert!(paths_in(&root, draft, "versions").contains(&SUMMARY_2023.to_string()));

    // The .doc sent up is the 修改稿's copy: searched by the 修改稿's own words, the hit is
    // the newer of the two, the other its copy.
    let listed = json_rows(&["list", "--index", idx, "--json"]);
    assert_eq!(
        shown(&root, &listed),
        [
            "人居环境/东山村2022年人居环境整治工作总结.docx",
            SUMMARY_2023,
            "各村上报/南山村2023年人居环境整治工作总结.docx",
            "各村上报/西山村2023年人居环境整治工作总结.docx",
            "安全生产/安全生产工作情况报告(2).docx",
            "防汛/防汛工作方案（初稿）.docx",
            "防汛/防汛工作方案（定稿）.docx",
        ],
        "unmarked drafts headed by the newer date; a 初稿 unlike its 定稿 stays apart"
    );
    let safety = listed
        .iter()
        .find(|r| r["path"].as_str().unwrap_or_default().contains("安全生产"))
        .expect("safety report");
    assert_eq!(
        paths_in(&root, safety, "versions"),
        ["安全生产/安全生产工作情况报告.docx"]
    );
    let human = String::from_utf8_lossy(&dangan(&["list", "--index", idx]).stdout).into_owned();
    assert!(human.contains(&format!("    ~ {DRAFT}")), "{human}");

    let years = json_rows(&["years", "--index", idx, "--json"]);
    assert!(
        years.iter().any(|y| y["year"] == 2023 && y["count"] == 6),
        "{years:?}"
    );

    // Every file, when asked.
    assert_eq!(
        json_rows(&["list", "--index", idx, "--json", "--all-copies"]).len(),
        11
    );

    // The catalogue lists the document once.
    let text = common::catalog_csv(idx);
    let rows = text
        .lines()
        .filter(|l| l.contains("东山村2023年人居环境整治工作总结"));
    assert_eq!(rows.count(), 1, "{text}");
}

#[test]
fn versions_follow_files_edited_removed_and_added() {
    let (_tmp, root) = versions_tree();
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
    let summary = || {
        let listed = json_rows(&["list", "--index", idx_arg, "--json"]);
        listed
            .into_iter()
            .find(|r| r["title"].as_str().unwrap_or_default().starts_with("东山村2023"))
            .expect("the 2023 summary")
    };

    // The 定稿 removed: the 修改稿 (newest date, then newest file) heads the rest, the .doc
    // sent up its copy.
    std::fs::remove_file(root.join(SUMMARY_2023)).expect("rm");
    let said = index();
    assert!(
        said.contains("0 indexed (0 new, 0 changed), 10 unchanged, 1 removed"),
        "{said}"
    );
    let head = summary();
    let head_path = rel(&root, head["path"].as_str().unwrap_or_default());
    assert!([REVISED, SENT_UP].contains(&head_path.as_str()), "{head}");
    assert_eq!(paths_in(&root, &head, "versions"), [DRAFT]);
    assert_eq!(paths_in(&root, &head, "copies").len(), 1);

    // The first draft rewritten into something else: it leaves the group, alone read again.
    common::Docx::new(
        &(common::p("东山村2023年人居环境整治工作总结（初稿）")
            + &common::p("提纲：一、成效；二、问题；三、打算。")),
    )
    .write_to(&root.join(DRAFT));
    let said = index();
    assert!(
        said.contains("1 indexed (0 new, 1 changed), 9 unchanged"),
        "{said}"
    );
    assert_eq!(paths_in(&root, &summary(), "versions"), Vec::<String>::new());

    // The 定稿 back, under another name: it heads the group again.
    let back = root.join("定稿/东山村2023年人居环境整治工作总结（定稿）.docx");
    std::fs::create_dir_all(back.parent().expect("parent")).expect("mkdir");
    std::fs::copy(common::fixtures().join("versions").join(SUMMARY_2023), &back).expect("copy");
    let said = index();
    assert!(said.contains("1 indexed (1 new, 0 changed)"), "{said}");
    let head = summary();
    assert_eq!(
        rel(&root, head["path"].as_str().unwrap_or_default()),
        "定稿/东山村2023年人居环境整治工作总结（定稿）.docx"
    );
    assert_eq!(paths_in(&root, &head, "versions"), [SENT_UP, REVISED]);
}
