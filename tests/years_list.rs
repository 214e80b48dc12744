//! `years` and `list`: counts per year, gaps, listing order and year filters, all agreeing
//! with what `extract` reports.

mod common;

use std::collections::HashMap;

use common::{Docx, build_index, dangan, fixtures, json_lines, oracle_contains, p, search_json};
use serde_json::Value;

#[test]
fn list_years_and_year_filters_agree_with_extract() {
    let archive = fixtures().join("archive");
    let idx = build_index(&[&archive]);
    let index = idx.path().to_str().unwrap_or_default();
    let rows = json_lines(&dangan(&[
        "extract",
        "--json",
        archive.to_str().unwrap_or_default(),
    ]));
    let rows: Vec<&Value> = rows.iter().filter(|r| r["skipped"].is_null()).collect();
    let extracted: HashMap<String, Option<i64>> = rows
        .iter()
        .map(|r| {
            (
                r["path"].as_str().unwrap_or_default().to_string(),
                r["year"].as_i64(),
            )
        })
        .collect();
    let text_of: HashMap<&str, String> = rows
        .iter()
        .map(|r| {
            let doc = format!(
                "{}\u{1}{}",
                r["title"].as_str().unwrap_or_default(),
                r["text"].as_str().unwrap_or_default()
            );
            (r["path"].as_str().unwrap_or_default(), doc)
        })
        .collect();

    let listed = json_lines(&dangan(&["list", "--index", index, "--json"]));
    assert_eq!(listed.len(), extracted.len());
    for row in &listed {
        let path = row["path"].as_str().unwrap_or_default();
        assert_eq!(row["year"].as_i64(), extracted[path], "{path}");
    }
    // Newest first, no year last, by title inside a year.
    let keys: Vec<(i64, String)> = listed
        .iter()
        .map(|r| {
            (
                -r["year"].as_i64().unwrap_or(-1),
                r["title"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    let mut sorted = keys.clone();
    sorted.sort_by(|a, b| (a.0 == 1).cmp(&(b.0 == 1)).then(a.cmp(b)));
    assert_eq!(keys, sorted);
    assert!(listed.last().is_some_and(|r| r["year"].is_null()));

    let years = json_lines(&dangan(&["years", "--index", index, "--json"]));
    let mut want: std::collections::BTreeMap<Option<i64>, u64> = std::collections::BTreeMap::new();
    for year in extracted.values() {
        *want.entry(*year).or_default() += 1;
    }
    let got: std::collections::BTreeMap<Option<i64>, u64> = years
        .iter()
        .map(|r| (r["year"].as_i64(), r["count"].as_u64().unwrap_or(0)))
        .collect();
    assert_eq!(got, want);
    assert_eq!(got.get(&None), Some(&1), "the document with no year anywhere");

    for year in [2021, 2022, 2023] {
        let y = year.to_string();
        let list = json_lines(&dangan(&["list", "--index", index, "--json", "--year", &y]));
        assert_eq!(list.len() as u64, want[&Some(year)], "{year}");
        assert!(list.iter().all(|r| r["year"].as_i64() == Some(year)));
        // Search with the same filter finds exactly the documents of the year with the term.
        let (_, hits) = search_json(idx.path(), &["镇", "--year", &y]);
        let mut got: Vec<&str> = hits.iter().filter_map(|r| r["path"].as_str()).collect();
        let mut want_hits: Vec<&str> = list
            .iter()
            .filter_map(|r| r["path"].as_str())
            .filter(|p| text_of.get(p).is_some_and(|t| oracle_contains(t, "镇")))
            .collect();
        got.sort_unstable();
        want_hits.sort_unstable();
        assert_eq!(got, want_hits, "{year}");
        assert!(!got.is_empty());
    }
    let range = json_lines(&dangan(&[
        "list", "--index", index, "--json", "--from", "2022", "--to", "2023",
    ]));
    assert_eq!(range.len() as u64, want[&Some(2022)] + want[&Some(2023)]);

    let human = String::from_utf8_lossy(&dangan(&["list", "--index", index]).stdout).into_owned();
    assert!(
        human.contains("2023 (") && human.contains("no year (1 document)"),
        "{human}"
    );
    assert!(
        human.contains("2021/村规民约修订说明.docx"),
        "paths relative to the root: {human}"
    );
    let table = String::from_utf8_lossy(&dangan(&["years", "--index", index]).stdout).into_owned();
    assert!(
        table.lines().any(|l| l.starts_with("none") && l.contains('1')),
        "{table}"
    );
}

#[test]
fn a_year_gap_shows_in_the_years_table() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let root = tmp.path().join("docs");
    Docx::new(&p("2019年工作总结")).write_to(&root.join("a.docx"));
    Docx::new(&p("2022年工作总结")).write_to(&root.join("b.docx"));
    let idx = build_index(&[&root]);
    let table = String::from_utf8_lossy(
        &dangan(&["years", "--index", idx.path().to_str().unwrap_or_default()]).stdout,
    )
    .into_owned();
    let rows: Vec<&str> = table
        .lines()
        .skip(1)
        .map(|l| l.split_whitespace().next().unwrap_or_default())
        .collect();
    assert_eq!(rows, ["2022", "2021", "2020", "2019"], "{table}");
}
