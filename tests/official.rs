//! The official-document facts (date, number, issuer, kind) as a user meets them: what
//! `extract` reads, what `list` and `search` show, and the filters and query fields over
//! them, on red-head documents made with the test DOCX builder.

mod common;

use std::path::Path;

use common::{Docx, dangan, json_lines, p};
use serde_json::Value;

/// The documents of a small archive: (file name, body lines, expected facts as
/// `date, doc_number, issuer, kind`).
type Expected = (&'static str, &'static [&'static str], [Option<&'static str>; 4]);

const DOCS: &[Expected] = &[
    (
        "关于开展安全检查的通知.docx",
        &[
            "青山镇人民政府文件",
            "青政发〔2023〕12号",
            "关于开展安全检查的通知",
            "各村（社区）、镇直各单位：",
            "根据县安委会要求，自2023年3月1日起开展检查。青山镇全体干部参加。",
            "附件：1.检查表",
            "青山镇人民政府",
            "2023年4月6日",
            "（联系人：张三，电话：0851-1234567）",
            "附件1",
            "检查表",
            "检查项目\t2022年1月1日",
            "抄送：县安委会办公室",
            "青山镇党政办公室 2023年4月7日印发",
        ],
        [
            Some("2023-04-06"),
            Some("青政发〔2023〕12号"),
            Some("青山镇人民政府"),
            Some("通知"),
        ],
    ),
    (
        "关于表彰先进的决定.docx",
        &[
            "中共青山镇委员会文件",
            "青山镇人民政府文件",
            "青委发[2022]5号",
            "关于表彰先进集体和先进个人的决定",
            "青山镇各村党支部：一年来成绩显著。",
            "中共青山镇委员会",
            "青山镇人民政府",
            "二〇二二年五月十八日",
        ],
        [
            Some("2022-05-18"),
            Some("青委发〔2022〕5号"),
            Some("中共青山镇委员会、青山镇人民政府"),
            Some("决定"),
        ],
    ),
    (
        "商请协助的函.docx",
        &[
            "青山镇人民政府办公室",
            "青政办函（2022）8号",
            "关于商请协助开展林地调查的函",
            "县林业局：青山镇拟开展林地调查，请予协助。",
            "青山镇人民政府办公室",
            "2022年8月3日",
        ],
        [
            Some("2022-08-03"),
            Some("青政办函〔2022〕8号"),
            Some("青山镇人民政府办公室"),
            Some("函"),
        ],
    ),
    (
        "青山村上半年工作总结.docx",
        &[
            "青山村2023年上半年工作总结",
            "上半年，青山村完成各项任务。",
            "青山村村民委员会",
            "2023年6月",
        ],
        [Some("2023-06"), None, Some("青山村村民委员会"), Some("总结")],
    ),
    (
        "在安全生产会议上的讲话.docx",
        &[
            "在全镇安全生产工作会议上的讲话",
            "（2021年6月10日）",
            "镇长  王五",
            "同志们：青山镇安全形势总体平稳。",
        ],
        [Some("2021-06-10"), None, None, Some("讲话")],
    ),
    (
        "河道保洁情况.docx",
        &[
            "青山镇河道保洁情况",
            "根据《关于加强河道管理的通知》（青政发〔2022〕3号）要求，青山镇于2022年7月1日开展保洁。",
            "特此说明。",
        ],
        [None, None, None, None],
    ),
];

fn archive(root: &Path) {
    for (name, lines, _) in DOCS {
        let body: String = lines
            .iter()
            .map(|line| match line.split_once('\t') {
                // A line with a tab is a table row of two cells.
                Some((a, b)) => format!(
                    "<w:tbl><w:tr><w:tc>{}</w:tc><w:tc>{}</w:tc></w:tr></w:tbl>",
                    p(a),
                    p(b)
                ),
                None => p(line),
            })
            .collect();
        Docx::new(&body).write_to(&root.join(name));
    }
}

fn facts(row: &Value) -> [Option<String>; 4] {
    ["date", "doc_number", "issuer", "kind"].map(|key| row[key].as_str().map(str::to_string))
}

fn name_of(row: &Value) -> String {
    let path = row["path"].as_str().unwrap_or_default();
    Path::new(path)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn expected(name: &str) -> [Option<String>; 4] {
    let (_, _, want) = DOCS
        .iter()
        .find(|(n, _, _)| *n == name)
        .unwrap_or_else(|| panic!("no document {name}"));
    want.map(|v| v.map(str::to_string))
}

/// Names of the documents `list --json ARGS` gives, sorted.
fn listed(idx: &Path, args: &[&str]) -> Vec<String> {
    let mut all = vec!["list", "--index", idx.to_str().unwrap_or_default(), "--json"];
    all.extend(args);
    let out = dangan(&all);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut names: Vec<String> = json_lines(&out).iter().map(name_of).collect();
    names.sort();
    names
}

/// Names of the documents `search --json -n 0 ARGS` finds, sorted, with the exit code.
fn searched(idx: &Path, args: &[&str]) -> (Option<i32>, Vec<String>) {
    let out = common::search_all(idx, args);
    let mut names: Vec<String> = json_lines(&out).iter().map(name_of).collect();
    names.sort();
    (out.status.code(), names)
}

fn sorted(names: &[&str]) -> Vec<String> {
    let mut v: Vec<String> = names.iter().map(|n| n.to_string()).collect();
    v.sort();
    v
}

#[test]
fn extract_list_and_search_show_the_same_facts() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let root = tmp.path().join("档案");
    archive(&root);
    let out = dangan(&["extract", "--json", root.to_str().unwrap_or_default()]);
    let rows = json_lines(&out);
    assert_eq!(rows.len(), DOCS.len());
    for row in &rows {
        assert_eq!(facts(row), expected(&name_of(row)), "extract {}", name_of(row));
    }
    let idx = common::build_index(&[&root]);
    let list = json_lines(&dangan(&[
        "list",
        "--index",
        idx.path().to_str().unwrap_or_default(),
        "--json",
    ]));
    assert_eq!(list.len(), DOCS.len());
    for row in &list {
        assert_eq!(facts(row), expected(&name_of(row)), "list {}", name_of(row));
    }
    let (code, hits) = common::search_json(idx.path(), &["青山"]);
    assert_eq!(code, Some(0));
    assert_eq!(hits.len(), DOCS.len());
    for row in &hits {
        assert_eq!(facts(row), expected(&name_of(row)), "search {}", name_of(row));
    }

    // The human forms show them too.
    let human = dangan(&[
        "extract",
        "--no-text",
        root.join("商请协助的函.docx").to_str().unwrap_or_default(),
    ]);
    let human = String::from_utf8_lossy(&human.stdout);
    for line in [
        "date:   2022-08-03",
        "number: 青政办函〔2022〕8号",
        "issuer: 青山镇人民政府办公室",
        "kind:   函",
    ] {
        assert!(human.contains(line), "{line} in {human}");
    }
    let human = dangan(&["list", "--index", idx.path().to_str().unwrap_or_default()]);
    let human = String::from_utf8_lossy(&human.stdout);
    assert!(
        human.contains("青政发〔2023〕12号 · 青山镇人民政府 · 2023-04-06 · 通知"),
        "{human}"
    );
}

#[test]
fn filters_and_query_fields_take_exactly_the_documents_that_match() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let root = tmp.path().join("档案");
    archive(&root);
    let idx = common::build_index(&[&root]);
    let idx = idx.path();
    let notice = "关于开展安全检查的通知.docx";
    let decision = "关于表彰先进的决定.docx";
    let letter = "商请协助的函.docx";
    let summary = "青山村上半年工作总结.docx";
    let speech = "在安全生产会议上的讲话.docx";

    // Kind: exactly, repeatable as either.
    assert_eq!(listed(idx, &["--kind", "通知"]), sorted(&[notice]));
    assert_eq!(
        listed(idx, &["--kind", "通知", "--kind", "函"]),
        sorted(&[notice, letter])
    );
    assert_eq!(listed(idx, &["--kind", "报告"]), Vec::<String>::new());
    // Issuer: any part of it, joint issuers included.
    assert_eq!(
        listed(idx, &["--issuer", "人民政府"]),
        sorted(&[notice, decision, letter])
    );
    assert_eq!(listed(idx, &["--issuer", "村民委员会"]), sorted(&[summary]));
    assert_eq!(
        listed(idx, &["--issuer", "中共青山镇委员会"]),
        sorted(&[decision])
    );
    // Dates: by day, month or year; a month-only date matches when the months overlap.
    assert_eq!(listed(idx, &["--date-from", "2023"]), sorted(&[notice, summary]));
    assert_eq!(
        listed(idx, &["--date-from", "2023-06-15", "--date-to", "2023-06-20"]),
        sorted(&[summary])
    );
    assert_eq!(
        listed(idx, &["--date-to", "2022-05"]),
        sorted(&[decision, speech])
    );
    assert_eq!(
        listed(idx, &["--date-from", "2022-05-19", "--date-to", "2022-08-02"]),
        Vec::<String>::new()
    );
    assert_eq!(
        listed(idx, &["--date-from", "2022-08-03", "--date-to", "2022-08-03"]),
        sorted(&[letter])
    );
    // Filters combine with each other and with the report year.
    assert_eq!(
        listed(
            idx,
            &[
                "--issuer",
                "人民政府",
                "--date-from",
                "2022",
                "--date-to",
                "2022",
                "--kind",
                "函"
            ]
        ),
        sorted(&[letter])
    );
    assert_eq!(
        listed(idx, &["--kind", "通知", "--year", "2022"]),
        Vec::<String>::new()
    );

    // Search takes the same filters.
    assert_eq!(
        searched(idx, &["--kind", "决定", "青山"]),
        (Some(0), sorted(&[decision]))
    );
    assert_eq!(searched(idx, &["--kind", "决定", "林地"]), (Some(1), Vec::new()));

    // Query fields: the number whatever brackets are typed, the issuer, the kind.
    for typed in [
        "no:[2023]12号",
        "no:（2023）12号",
        "no:〔2023〕12号",
        "no:青政发〔2023〕12号",
    ] {
        assert_eq!(searched(idx, &[typed]), (Some(0), sorted(&[notice])), "{typed}");
    }
    assert_eq!(searched(idx, &["no:(2022)8号"]), (Some(0), sorted(&[letter])));
    assert_eq!(searched(idx, &["no:青政"]), (Some(0), sorted(&[notice, letter])));
    assert_eq!(
        searched(idx, &["no:2022"]),
        (Some(0), sorted(&[decision, letter]))
    );
    // A number cited in the body is not the document's own.
    assert_eq!(searched(idx, &["no:〔2022〕3号"]), (Some(1), Vec::new()));
    assert_eq!(searched(idx, &["no:12"]), (Some(0), sorted(&[notice])));
    assert_eq!(
        searched(idx, &["no:1"]),
        (Some(1), Vec::new()),
        "numbers match whole"
    );
    assert_eq!(
        searched(idx, &["issuer:村民委员会"]),
        (Some(0), sorted(&[summary]))
    );
    assert_eq!(searched(idx, &["kind:讲话"]), (Some(0), sorted(&[speech])));
    assert_eq!(
        searched(idx, &["kind:讲"]),
        (Some(2), Vec::new()),
        "kind: is exact, and a kind not in the list is refused"
    );
    assert_eq!(
        searched(idx, &["青山", "-kind:通知", "issuer:人民政府"]),
        (Some(0), sorted(&[decision, letter]))
    );
    assert_eq!(
        searched(idx, &["kind:通知", "OR", "kind:函"]),
        (Some(0), sorted(&[notice, letter]))
    );
}

#[test]
fn bad_filters_are_refused_with_one_line() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let root = tmp.path().join("档案");
    archive(&root);
    let idx = common::build_index(&[&root]);
    let idx = idx.path().to_str().unwrap_or_default();
    for (args, says) in [
        (vec!["list", "--date-from", "2023-13"], "not a date"),
        (vec!["list", "--date-to", "June"], "not a date"),
        (
            vec!["list", "--date-from", "2023-07", "--date-to", "2023-06"],
            "is after",
        ),
        (vec!["search", "--date-from", "2023-02-30", "青山"], "not a date"),
        (vec!["search", "no:"], "`no:` needs a term"),
        (vec!["list", "--kind", "其他"], "is not a kind: one of 决议"),
        (vec!["search", "kind:其他"], "is not a kind: one of 决议"),
    ] {
        let mut all = args.clone();
        all.extend(["--index", idx]);
        let out = dangan(&all);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains(says), "{args:?}: {err}");
    }
}

/// Every document of the bundled archive against `fixtures/official.tsv`, the facts a
/// careful clerk files (title, report year, date, number, issuer, kind), as `extract`
/// and then `list` read them.
#[test]
fn the_bundled_archive_matches_its_truth_table() {
    let truth_file = common::fixtures().join("official.tsv");
    let truth = std::fs::read_to_string(&truth_file).expect("official.tsv");
    let mut lines = truth.lines();
    let header: Vec<&str> = lines.next().expect("header").split('\t').collect();
    let rows: Vec<std::collections::HashMap<&str, &str>> = lines
        .filter(|l| !l.trim().is_empty())
        .map(|l| header.iter().copied().zip(l.split('\t')).collect())
        .collect();
    assert!(rows.len() >= 30, "{} rows", rows.len());
    let archive = common::fixtures().join("archive");
    let relative = |row: &Value| -> String {
        let path = row["path"].as_str().unwrap_or_default();
        Path::new(path)
            .strip_prefix(&archive)
            .map(|p| p.to_string_lossy().into_owned())
            .unwrap_or_default()
    };
    let value = |row: &Value, key: &str| match &row[key] {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    let check = |what: &str, got: &[Value]| {
        let got: std::collections::HashMap<String, &Value> = got.iter().map(|r| (relative(r), r)).collect();
        let mut wrong = Vec::new();
        for want in &rows {
            let path = want["path"];
            let Some(row) = got.get(path) else {
                wrong.push(format!("{path}: not in {what}"));
                continue;
            };
            for key in ["title", "year", "date", "doc_number", "issuer", "kind"] {
                if value(row, key) != want[key] {
                    wrong.push(format!(
                        "{path}: {key} {:?}, truth {:?}",
                        value(row, key),
                        want[key]
                    ));
                }
            }
        }
        assert!(wrong.is_empty(), "{what}:\n{}", wrong.join("\n"));
    };
    let extracted = json_lines(&dangan(&[
        "extract",
        "--json",
        archive.to_str().unwrap_or_default(),
    ]));
    check("extract", &extracted);
    let idx = common::build_index(&[&archive]);
    let listed = json_lines(&dangan(&[
        "list",
        "--index",
        idx.path().to_str().unwrap_or_default(),
        "--json",
    ]));
    check("list", &listed);
}
