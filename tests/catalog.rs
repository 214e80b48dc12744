//! `dangan catalog` through the binary on the bundled archive: the workbook read back with
//! calamine (one sheet per year, 件号 from 1, 日期 as YYYYMMDD), the CSV read back as Excel
//! would (BOM, UTF-8), the filters and query choosing rows, and the refusals.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use calamine::{Data, Reader, Xlsx, open_workbook};
use common::{dangan, json_lines};
use serde_json::Value;

const HEADER: [&str; 8] = ["件号", "文号", "责任者", "题名", "日期", "页数", "密级", "备注"];

fn archive_index() -> tempfile::TempDir {
    common::build_index(&[&common::fixtures().join("archive")])
}

fn cell(data: &Data) -> String {
    match data {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Float(f) => format!("{f}"),
        Data::Int(i) => i.to_string(),
        other => other.to_string(),
    }
}

/// `list --json` rows grouped as the catalogue groups them: by report year's sheet name.
fn listed_by_sheet(idx: &Path, extra: &[&str]) -> BTreeMap<String, Vec<Value>> {
    let mut args = vec!["list", "--index", idx.to_str().unwrap_or_default(), "--json"];
    args.extend(extra);
    let mut groups: BTreeMap<String, Vec<Value>> = BTreeMap::new();
    for row in json_lines(&dangan(&args)) {
        let name = row["year"]
            .as_i64()
            .map_or("无年度".to_string(), |y| y.to_string());
        groups.entry(name).or_default().push(row);
    }
    groups
}

#[test]
fn the_workbook_has_a_sheet_per_year_numbered_from_one() {
    let idx = archive_index();
    let out_dir = tempfile::tempdir().expect("tempdir");
    let path = out_dir.path().join("归档文件目录.xlsx");
    let run = dangan(&[
        "catalog",
        "--index",
        idx.path().to_str().unwrap_or_default(),
        "-o",
        path.to_str().unwrap_or_default(),
    ]);
    assert_eq!(
        run.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert!(String::from_utf8_lossy(&run.stderr).contains("36 documents"));

    let listed = listed_by_sheet(idx.path(), &[]);
    let mut book: Xlsx<_> = open_workbook(&path).expect("open the workbook");
    let names = book.sheet_names();
    assert_eq!(
        names,
        ["2023", "2022", "2021", "2020", "无年度"],
        "newest first, 无年度 last"
    );
    for name in &names {
        let rows: Vec<Vec<String>> = book
            .worksheet_range(name)
            .expect("sheet")
            .rows()
            .map(|r| r.iter().map(cell).collect())
            .collect();
        assert_eq!(rows[0], HEADER, "{name}");
        let body = &rows[1..];
        assert_eq!(body.len(), listed[name].len(), "one row per document of {name}");
        for (i, row) in body.iter().enumerate() {
            assert_eq!(row[0], (i + 1).to_string(), "件号 from 1 in {name}");
            let date = &row[4];
            assert!(
                date.is_empty() || (date.len() == 8 && date.bytes().all(|b| b.is_ascii_digit())),
                "日期 {date:?}"
            );
        }
        // Sorted by date, undated last.
        let dates: Vec<&String> = body.iter().map(|r| &r[4]).collect();
        let dated: Vec<&&String> = dates.iter().take_while(|d| !d.is_empty()).collect();
        assert!(dated.windows(2).all(|w| w[0] <= w[1]), "{name}: {dates:?}");
        assert!(
            dates[dated.len()..].iter().all(|d| d.is_empty()),
            "{name}: {dates:?}"
        );
        // Each row is a listed document: title, number, issuer and date as list says.
        for row in body {
            let doc = listed[name]
                .iter()
                .find(|d| d["title"] == row[3].as_str() && row[7].ends_with(&*name_of(d)))
                .unwrap_or_else(|| panic!("{name}: no listed document for {row:?}"));
            let date = doc["date"].as_str().map(|d| {
                let parts: Vec<&str> = d.split('-').collect();
                format!(
                    "{}{:0>2}{:0>2}",
                    parts[0],
                    parts.get(1).unwrap_or(&"0"),
                    parts.get(2).unwrap_or(&"0")
                )
            });
            assert_eq!(row[4], date.unwrap_or_default(), "{row:?}");
            assert_eq!(row[1], doc["doc_number"].as_str().unwrap_or_default());
            assert_eq!(row[2], doc["issuer"].as_str().unwrap_or_default());
        }
    }
    // The notice with a number and a red head, in full.
    let rows = book.worksheet_range("2023").expect("2023");
    let notice = rows
        .rows()
        .find(|r| cell(&r[1]) == "青政发〔2023〕12号")
        .expect("the numbered notice");
    let notice: Vec<String> = notice.iter().map(cell).collect();
    assert_eq!(
        notice[1..],
        [
            "青政发〔2023〕12号",
            "青山镇人民政府",
            "关于加强农村自建房安全管理的通知",
            "20230406",
            notice[5].as_str(),
            "",
            "2023/关于加强农村自建房安全管理的通知.docx"
        ]
    );
}

fn name_of(row: &Value) -> String {
    Path::new(row["path"].as_str().unwrap_or_default())
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

#[test]
fn the_csv_opens_in_excel_in_chinese_and_filters_choose_its_rows() {
    let idx = archive_index();
    let out_dir = tempfile::tempdir().expect("tempdir");
    let path = out_dir.path().join("通知目录.csv");
    let idx_arg = idx.path().to_str().unwrap_or_default();
    let run = dangan(&[
        "catalog",
        "--index",
        idx_arg,
        "--kind",
        "通知",
        "-o",
        path.to_str().unwrap_or_default(),
    ]);
    assert_eq!(
        run.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let bytes = std::fs::read(&path).expect("csv");
    assert!(
        bytes.starts_with(&[0xEF, 0xBB, 0xBF]),
        "a BOM, so Excel reads UTF-8"
    );
    let text = std::str::from_utf8(&bytes[3..]).expect("UTF-8");
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .expect("header")
        .iter()
        .map(str::to_string)
        .collect();
    assert_eq!(header[0], "年度");
    assert_eq!(header[1..], HEADER);
    let rows: Vec<Vec<String>> = reader
        .records()
        .map(|r| r.expect("row").iter().map(str::to_string).collect())
        .collect();
    let notices = listed_by_sheet(idx.path(), &["--kind", "通知"]);
    assert_eq!(rows.len(), notices.values().map(Vec::len).sum::<usize>());
    assert!(rows.iter().all(|r| r[4].ends_with("通知")), "{rows:?}");
    // Years newest first, 件号 restarting at 1 in each.
    let years: Vec<&str> = rows.iter().map(|r| r[0].as_str()).collect();
    let mut sorted = years.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(years, sorted);
    for (i, row) in rows.iter().enumerate() {
        let first_of_year = i == 0 || rows[i - 1][0] != row[0];
        if first_of_year {
            assert_eq!(row[1], "1");
        } else {
            assert_eq!(
                row[1].parse::<usize>().ok(),
                rows[i - 1][1].parse::<usize>().ok().map(|n| n + 1)
            );
        }
    }

    // A query narrows it further; the file is replaced whole.
    let run = dangan(&[
        "catalog",
        "--index",
        idx_arg,
        "-o",
        path.to_str().unwrap_or_default(),
        "no:青政发",
        "--kind",
        "通知",
    ]);
    assert_eq!(
        run.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let text = std::fs::read_to_string(&path).expect("csv");
    let rows: Vec<&str> = text.lines().skip(1).collect();
    assert!(
        !rows.is_empty() && rows.iter().all(|r| r.contains("青政发〔")),
        "{text}"
    );
    let leftovers: Vec<_> = std::fs::read_dir(out_dir.path())
        .expect("dir")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n != "通知目录.csv")
        .collect();
    assert!(leftovers.is_empty(), "no temp file left: {leftovers:?}");

    // Without -o the table is printed; nothing matching is exit 1.
    let table = dangan(&["catalog", "--index", idx_arg, "--year", "2020"]);
    let table_text = String::from_utf8_lossy(&table.stdout);
    assert_eq!(table.status.code(), Some(0));
    assert!(
        table_text.contains("件号") && table_text.contains("青山镇2020年耕地保护工作总结"),
        "{table_text}"
    );
    let none = dangan(&["catalog", "--index", idx_arg, "--kind", "议案"]);
    assert_eq!(none.status.code(), Some(1));
}

#[test]
fn a_missing_folder_or_an_unknown_format_is_refused_before_any_work() {
    let idx = archive_index();
    let idx_arg = idx.path().to_str().unwrap_or_default();
    let tmp = tempfile::tempdir().expect("tempdir");
    let missing = tmp.path().join("没有的文件夹").join("目录.xlsx");
    for (target, says) in [
        (missing.to_str().unwrap_or_default().to_string(), "no such folder"),
        (
            tmp.path().join("目录.pdf").to_string_lossy().into_owned(),
            ".xlsx or .csv",
        ),
    ] {
        let out = dangan(&["catalog", "--index", idx_arg, "-o", &target]);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{target}: {err}");
        assert!(err.contains(says) && err.lines().count() == 1, "{target}: {err}");
    }
    assert!(!missing.parent().is_some_and(Path::exists));
    assert_eq!(std::fs::read_dir(tmp.path()).map(|d| d.count()).unwrap_or(0), 0);
}
