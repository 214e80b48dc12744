//! `dangan series`: one unit's yearly report found across years, its missing years exact,
//! copies counted once, other units and other reports kept apart.

mod common;

use common::{Docx, dangan, json_lines, p};

fn report(title: &str, signed: &str, date: &str) -> Docx {
    Docx::new(&(p(title) + &p("一年来，各项工作稳步推进。") + &p(signed) + &p(date)))
}

#[test]
fn a_yearly_report_with_its_missing_years() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let root = tmp.path().join("档案");
    let docs = [
        (
            "2019/河长制总结.docx",
            "青山镇2019年河长制工作总结",
            "青山镇人民政府",
            "2019年12月20日",
        ),
        (
            "2021/河长制总结.docx",
            "青山镇2021年河长制工作总结",
            "青山镇人民政府",
            "2021年12月20日",
        ),
        (
            "2023/河长制总结.docx",
            "青山镇二〇二三年河长制工作总结",
            "青山镇人民政府",
            "2023年12月20日",
        ),
        // Another village's report of the same kind: not the same series.
        (
            "2021/东山村河长制总结.docx",
            "东山村2021年河长制工作总结",
            "东山村村民委员会",
            "2021年12月1日",
        ),
        // Titles that name no unit: the issuer tells them apart.
        (
            "2021/工作总结.docx",
            "2021年工作总结",
            "青山镇人民政府",
            "2021年12月28日",
        ),
        (
            "2022/工作总结.docx",
            "2022年工作总结",
            "青山镇人民政府",
            "2022年12月28日",
        ),
        (
            "2022/东山村工作总结.docx",
            "2022年工作总结",
            "东山村村民委员会",
            "2022年12月28日",
        ),
    ];
    for (path, title, signed, date) in docs {
        report(title, signed, date).write_to(&root.join(path));
    }
    // A copy of the 2021 report in a backup folder counts once.
    std::fs::create_dir_all(root.join("备份")).expect("mkdir");
    std::fs::copy(
        root.join("2021/河长制总结.docx"),
        root.join("备份/河长制总结 - 副本.docx"),
    )
    .expect("copy");
    let idx = common::build_index(&[&root]);
    let idx = idx.path().to_str().unwrap_or_default();

    let out = dangan(&["series", "--index", idx, "--json"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let series = json_lines(&out);
    let names: Vec<&str> = series
        .iter()
        .map(|s| s["name"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(
        names,
        ["青山镇人民政府 · 工作总结", "青山镇河长制工作总结"],
        "{series:?}"
    );
    let river = &series[1];
    assert_eq!(river["years"], serde_json::json!([2019, 2021, 2023]));
    assert_eq!(river["missing"], serde_json::json!([2020, 2022]));
    let docs = river["documents"].as_array().expect("documents");
    assert_eq!(docs.len(), 3, "the copy is folded: {docs:?}");
    assert!(
        docs.iter()
            .all(|d| d["path"].as_str().is_some_and(|p| p.starts_with('/')))
    );
    assert_eq!(series[0]["missing"], serde_json::json!([]));

    let human = String::from_utf8_lossy(&dangan(&["series", "--index", idx]).stdout).into_owned();
    assert!(
        human.contains("青山镇河长制工作总结  (3 documents, missing 2020, 2022)"),
        "{human}"
    );
    assert!(
        human.contains("2019 ■  2020 □  2021 ■  2022 □  2023 ■"),
        "{human}"
    );
}

#[test]
fn no_series_is_exit_one() {
    let idx = common::build_index(&[&common::fixtures().join("archive")]);
    let out = dangan(&["series", "--index", idx.path().to_str().unwrap_or_default()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
}
