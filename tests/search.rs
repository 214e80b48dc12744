//! Search: the matching rule against an independent oracle, the contract's examples and
//! query operators, malformed queries, ranking, snippets, sorting by year and JSON output.

mod common;

use std::path::Path;

use common::{
    Dice, Docx, assert_highlighted, build_index, dangan, fixtures, json_lines, oracle_contains, p,
    search_all, search_json,
};
use serde_json::Value;

#[test]
fn every_substring_query_finds_exactly_the_documents_that_contain_it() {
    let archive = fixtures().join("archive");
    let idx = build_index(&[&archive]);
    let docs: Vec<(String, String)> = json_lines(&dangan(&[
        "extract",
        "--json",
        archive.to_str().unwrap_or_default(),
    ]))
    .into_iter()
    .filter(|r| r["skipped"].is_null())
    .map(|r| {
        let path = r["path"].as_str().unwrap_or_default().to_string();
        (
            path,
            format!(
                "{}\u{1}{}",
                r["title"].as_str().unwrap_or_default(),
                r["text"].as_str().unwrap_or_default()
            ),
        )
    })
    .collect();
    assert_eq!(docs.len(), 36);

    let (index, fields) = dangan::index::open_index(idx.path(), false).expect("open");
    let searcher = dangan::index::search::Searcher::new(&index, fields, idx.path()).expect("searcher");
    let all = dangan::index::search::SearchOptions::default();
    let mut dice = Dice(7);
    let mut checked = 0;
    let mut via_binary = 0;
    let mut with_hits = 0;
    while checked < 600 {
        let (_, text) = &docs[dice.below(docs.len())];
        let chars: Vec<char> = text.chars().collect();
        let len = 1 + checked % 8;
        if chars.len() < len {
            continue;
        }
        let start = dice.below(chars.len() - len);
        let sub: String = chars[start..start + len].iter().collect();
        if sub.contains(['"', '\u{1}']) || sub.trim().is_empty() || sub.trim() != sub {
            continue;
        }
        // White space or a leading `-` make a phrase; others are plain terms.
        let query = if sub.contains(char::is_whitespace)
            || sub.starts_with('-')
            || sub == "OR"
            || sub.starts_with("title:")
        {
            format!("\"{sub}\"")
        } else {
            sub.clone()
        };
        let want: std::collections::BTreeSet<&str> = docs
            .iter()
            .filter(|(_, t)| oracle_contains(t, &sub))
            .map(|(p, _)| p.as_str())
            .collect();
        // Cuts through a Latin word or number find nothing: whole words only.
        with_hits += usize::from(!want.is_empty());
        let parsed = dangan::query::parse(&query).unwrap_or_else(|e| panic!("{query}: {e}"));
        let hits = searcher.search(&parsed, &all).expect("search");
        let got: std::collections::BTreeSet<&str> = hits.iter().map(|h| h.path.as_str()).collect();
        assert_eq!(got, want, "query {query:?}");
        // A limited search that checks cheap candidates finds the same best hits.
        for limited in best_few(&searcher, &parsed, &hits, 5, &query) {
            assert!(
                limited.iter().all(|h| want.contains(h.path.as_str())),
                "{query:?}"
            );
        }
        if checked % 40 == 0 {
            let (code, rows) = search_json(idx.path(), &[&query]);
            assert_eq!(code, Some(if want.is_empty() { 1 } else { 0 }), "{query}");
            let got: std::collections::BTreeSet<&str> =
                rows.iter().filter_map(|r| r["path"].as_str()).collect();
            assert_eq!(got, want, "binary, query {query:?}");
            via_binary += 1;
        }
        checked += 1;
    }
    assert!(via_binary >= 10);
    assert!(with_hits > 500, "only {with_hits} of the queries had hits");

    // Two terms: the documents that contain both.
    for _ in 0..100 {
        let pick = |dice: &mut Dice| {
            let (_, text) = &docs[dice.below(docs.len())];
            let chars: Vec<char> = text
                .chars()
                .filter(|c| !c.is_whitespace() && !matches!(c, '"' | '-' | '\u{1}'))
                .collect();
            let len = 1 + dice.below(4);
            let start = dice.below(chars.len() - len);
            chars[start..start + len].iter().collect::<String>()
        };
        let (a, b) = (pick(&mut dice), pick(&mut dice));
        if a == "OR" || b == "OR" || a.starts_with("title:") || b.starts_with("title:") {
            continue;
        }
        let want: std::collections::BTreeSet<&str> = docs
            .iter()
            .filter(|(_, t)| oracle_contains(t, &a) && oracle_contains(t, &b))
            .map(|(p, _)| p.as_str())
            .collect();
        let parsed = dangan::query::parse(&format!("{a} {b}")).expect("parse");
        let hits = searcher.search(&parsed, &all).expect("search");
        let got: std::collections::BTreeSet<&str> = hits.iter().map(|h| h.path.as_str()).collect();
        assert_eq!(got, want, "query {a} {b}");
        best_few(&searcher, &parsed, &hits, 3, &format!("{a} {b}"));
    }
}

/// The best `limit` hits of `query` searched with that limit, with and without checking
/// cheap candidates, after asserting that they score as the best of `all` its hits.
fn best_few(
    searcher: &dangan::index::search::Searcher,
    query: &dangan::query::Query,
    all: &[dangan::index::search::Hit],
    limit: usize,
    label: &str,
) -> Vec<Vec<dangan::index::search::Hit>> {
    let mut best: Vec<f32> = all.iter().map(|h| h.score).collect();
    best.sort_by(|a, b| b.total_cmp(a));
    best.truncate(limit);
    [false, true]
        .into_iter()
        .map(|check| {
            let top = dangan::index::search::SearchOptions {
                limit,
                check_candidates: Some(check),
                ..dangan::index::search::SearchOptions::default()
            };
            let limited = searcher.search(query, &top).expect("search");
            let scores: Vec<f32> = limited.iter().map(|h| h.score).collect();
            assert_eq!(scores, best, "query {label:?}, check {check}");
            limited
        })
        .collect()
}

#[test]
fn contract_examples_and_query_operators() {
    let archive = fixtures().join("archive");
    let idx = build_index(&[&archive]);
    let names = |rows: &[Value]| -> Vec<String> {
        let mut v: Vec<String> = rows
            .iter()
            .filter_map(|r| {
                Path::new(r["path"].as_str()?)
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
            })
            .collect();
        v.sort();
        v
    };
    let (code, rows) = search_json(idx.path(), &["族团"]);
    assert_eq!(code, Some(0));
    assert_eq!(rows.len(), 4, "{:?}", names(&rows));
    let (_, rows) = search_json(idx.path(), &["ＧＤＰ"]);
    assert_eq!(names(&rows), ["在全镇经济工作会议上的讲话.docx"]);
    let (_, rows) = search_json(idx.path(), &["２０万元"]);
    assert_eq!(names(&rows), ["2022年度安全生产自查报告.docx"]);
    let (_, rows) = search_json(idx.path(), &["〔2023〕12号"]);
    assert_eq!(
        names(&rows),
        [
            "关于加强农村自建房安全管理的通知.docx",
            "关于印发青山镇防汛应急预案的通知.docx"
        ]
    );
    let (_, rows) = search_json(idx.path(), &["5g网络"]);
    assert_eq!(
        names(&rows),
        ["2023年青山镇工作总结.docx", "5G网络建设推进情况报告.docx"]
    );
    let (code, rows) = search_json(idx.path(), &["DP"]);
    assert_eq!(
        (code, rows.len()),
        (Some(1), 0),
        "Latin letters match whole words only"
    );
    let (_, rows) = search_json(idx.path(), &["河长制", "OR", "乡村振兴"]);
    assert_eq!(
        names(&rows),
        [
            "2023年青山镇工作总结.docx",
            "乡村振兴示范村建设实施方案.docx",
            "河长制工作情况报告.docx"
        ]
    );
    // This failed now and then with exit 101: tantivy's exclusion asked a phrase scorer
    // that had found nothing in a segment to seek back (a debug assertion; which segment
    // holds what varies from build to build). `index::guard` answers for it; stderr is
    // printed should anything like it come back.
    let out = search_all(idx.path(), &["乡村振兴", "-河长制"]);
    let rows = json_lines(&out);
    assert_eq!(
        names(&rows),
        ["乡村振兴示范村建设实施方案.docx"],
        "exit {:?}, stderr {}, rows {rows:#?}, all with 乡村振兴: {:#?}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr),
        search_json(idx.path(), &["乡村振兴"])
    );
    let (_, rows) = search_json(idx.path(), &["title:防汛"]);
    assert_eq!(
        names(&rows),
        ["关于印发青山镇防汛应急预案的通知.docx", "防汛工作情况报告.docx"]
    );
    let (_, with_space) = search_json(idx.path(), &["\"青山镇人民政府 2023年\""]);
    assert_eq!(
        names(&with_space),
        [
            "2022年上报-脱贫攻坚巩固.docx",
            "5G网络建设推进情况报告.docx",
            "关于加强农村自建房安全管理的通知.docx"
        ],
        "the line break is white space"
    );
    let (code, _) = search_json(idx.path(), &["青山镇人民政府2023年"]);
    assert_eq!(
        code,
        Some(1),
        "without the phrase's white space it is another term"
    );
    let (_, phrase) = search_json(idx.path(), &["\"青山镇党政办公室 2023年12月印\""]);
    assert_eq!(
        names(&phrase),
        ["2023年青山镇工作总结.docx"],
        "footer text, phrase with its space"
    );
    let (_, rows) = search_json(idx.path(), &["民族团结", "--year", "2022"]);
    assert_eq!(names(&rows), ["民族团结进步宣传月活动总结.docx"]);
    let (_, rows) = search_json(idx.path(), &["民族团结", "--from", "2022", "--to", "2023"]);
    assert_eq!(rows.len(), 3);
    for row in &rows {
        let keys: Vec<&str> = row
            .as_object()
            .map(|o| o.keys().map(String::as_str).collect())
            .unwrap_or_default();
        for key in ["path", "title", "year", "score", "snippet"] {
            assert!(keys.contains(&key), "{key} missing in {row}");
        }
        assert!(row["score"].as_f64().is_some_and(|s| s > 0.0));
    }
}

#[test]
fn malformed_queries_exit_2_and_point_at_the_problem() {
    let idx = build_index(&[&fixtures().join("archive/2021")]);
    for (query, says) in [
        ("\"工作 总结", "never closed"),
        ("总结 OR", "after it"),
        ("title:", "`title:`"),
        ("-", "`-`"),
    ] {
        let out = dangan(&[
            "search",
            "--index",
            idx.path().to_str().unwrap_or_default(),
            query,
        ]);
        assert_eq!(out.status.code(), Some(2), "{query}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains("column") && stderr.contains(says),
            "{query}: {stderr}"
        );
    }
    let missing = dangan(&["search", "--index", "/no/such/index", "总结"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("dangan index"));
}

#[test]
fn title_matches_rank_first_then_frequent_before_once() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let root = tmp.path().join("docs");
    Docx::new(&[p("一份普通的报告"), p("正文只提到一次河长制。")].concat()).write_to(&root.join("once.docx"));
    Docx::new(
        &[
            p("另一份报告"),
            p(&"河长制工作扎实推进，河长制巡河常态化，河长制考核严格。".repeat(3)),
        ]
        .concat(),
    )
    .write_to(&root.join("often.docx"));
    Docx::new(&[p("河长制工作情况"), p("正文没有再提。")].concat()).write_to(&root.join("title.docx"));
    let idx = build_index(&[&root]);
    let (_, rows) = search_json(idx.path(), &["河长制"]);
    let order: Vec<&str> = rows
        .iter()
        .filter_map(|r| r["path"].as_str()?.rsplit('/').next())
        .collect();
    assert_eq!(order, ["title.docx", "often.docx", "once.docx"]);
}

#[test]
fn snippets_highlight_the_right_place_in_any_script() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let root = tmp.path().join("docs");
    Docx::new(
        &[
            p("表情报告"),
            p("庆祝😀活动圆满成功，ＧＤＰ增长７％。cafe\u{301}咖啡馆开业。"),
        ]
        .concat(),
    )
    .write_to(&root.join("a.docx"));
    let idx = build_index(&[&root]);
    for (query, marked) in [
        ("gdp", "ＧＤＰ"),
        ("活动", "活动"),
        ("café", "cafe\u{301}"),
        ("7%", "７％"),
    ] {
        assert_highlighted(idx.path(), query, marked);
        let plain = dangan(&[
            "search",
            "--index",
            idx.path().to_str().unwrap_or_default(),
            "--color",
            "never",
            query,
        ]);
        assert!(!String::from_utf8_lossy(&plain.stdout).contains('\x1b'));
        let (_, rows) = search_json(idx.path(), &[query]);
        assert!(
            rows[0]["snippet"]
                .as_str()
                .is_some_and(|s| s.contains(marked) && !s.contains('\x1b'))
        );
    }
}

#[test]
fn search_can_sort_by_year() {
    let archive = fixtures().join("archive");
    let idx = build_index(&[&archive]);
    let (_, rows) = search_json(idx.path(), &["民族团结", "--sort", "year"]);
    let years: Vec<i64> = rows.iter().filter_map(|r| r["year"].as_i64()).collect();
    assert!(years.len() >= 4);
    assert!(years.windows(2).all(|w| w[0] >= w[1]), "{years:?}");
    let limited = json_lines(&dangan(&[
        "search",
        "--index",
        idx.path().to_str().unwrap_or_default(),
        "--json",
        "-n",
        "1",
        "--sort",
        "year",
        "民族团结",
    ]));
    assert_eq!(limited.len(), 1);
    assert_eq!(limited[0]["year"].as_i64(), years.first().copied());
}
