//! Zip bundles: the documents inside a `.zip` read one by one (GBK names, nesting, caps,
//! damage), indexed and synced as a whole, and named like Python's zipfile names them.

mod common;

use std::collections::HashMap;
use std::path::Path;

use common::{build_index, dangan, extract_corpus, fixtures, json_lines};
use serde_json::Value;

#[test]
fn zip_bundles_are_read_document_by_document_with_gbk_names() {
    let bundle = fixtures().join("archive/2021/2021年各村上报材料.zip");
    let out = dangan(&["extract", "--json", "-v", bundle.to_str().unwrap_or_default()]);
    assert_eq!(out.status.code(), Some(0));
    let rows = json_lines(&out);
    let paths: Vec<&str> = rows.iter().filter_map(|r| r["path"].as_str()).collect();
    let inside = |rel: &str| format!("{}/{rel}", bundle.display());
    assert_eq!(
        paths,
        [
            inside("东山村/东山村2021年人居环境整治情况报告.docx"),
            inside("西岭村/西岭村产业发展情况汇报.doc"),
            inside("说明.xlsx"),
        ],
        "entry names written in GBK without the UTF-8 flag are decoded"
    );
    assert_eq!(rows[0]["title"], "东山村2021年农村人居环境整治情况报告");
    assert_eq!(rows[1]["year"], 2021);
    assert!(rows[2]["skipped"].as_str().is_some_and(|r| r.contains("Excel")));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("2 read, 0 skipped; 1 passed over"), "{stderr}");

    // Nesting, caps and damage, built here.
    let docx = std::fs::read(fixtures().join("archive/2021/河长制工作情况报告.docx")).expect("fixture");
    let bomb = std::fs::read(fixtures().join("broken/zip炸弹.docx")).expect("fixture");
    let deeper = common::zip_of(&[("最里面.docx", &docx)]);
    let inner = common::zip_of(&[("内层/报告.docx", &docx), ("更深.zip", &deeper)]);
    let outer = common::zip_of(&[
        ("外层/报告.docx", &docx),
        ("子包.zip", &inner),
        ("炸弹.docx", &bomb),
        ("../../逃逸.docx", &docx),
    ]);
    let dir = tempfile::tempdir().expect("tempdir");
    let put = |name: &str, bytes: &[u8]| std::fs::write(dir.path().join(name), bytes).expect("write");
    put("材料.zip", &outer);
    put("截断.zip", &outer[..outer.len() / 2]);
    put("照片.zip", &common::zip_of(&[("照片.jpg", b"jpg")]));
    let out = dangan(&["extract", "--json", "-v", dir.path().to_str().unwrap_or_default()]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "the bomb and the truncated bundle are skipped"
    );
    let rows = json_lines(&out);
    let by_path: HashMap<String, &Value> = rows
        .iter()
        .map(|r| {
            let path = Path::new(r["path"].as_str().unwrap_or_default());
            let rel = path.strip_prefix(dir.path()).unwrap_or(path);
            (rel.to_string_lossy().into_owned(), r)
        })
        .collect();
    let title = |rel: &str| {
        by_path
            .get(rel)
            .map(|r| r["title"].clone())
            .unwrap_or(Value::Null)
    };
    assert_eq!(title("材料.zip/外层/报告.docx"), "青山镇2021年河长制工作情况报告");
    assert_eq!(
        title("材料.zip/子包.zip/内层/报告.docx"),
        "青山镇2021年河长制工作情况报告"
    );
    assert_eq!(
        title("材料.zip/逃逸.docx"),
        "青山镇2021年河长制工作情况报告",
        "no way out of the bundle"
    );
    let reason = |rel: &str| {
        by_path
            .get(rel)
            .and_then(|r| r["skipped"].as_str())
            .unwrap_or_default()
            .to_string()
    };
    assert!(
        reason("材料.zip/子包.zip/更深.zip").contains("one level"),
        "{by_path:?}"
    );
    assert!(reason("材料.zip/炸弹.docx").contains("over a size cap"));
    assert!(reason("截断.zip").contains("zip"), "{}", reason("截断.zip"));
    assert!(reason("照片.zip").contains("no documents"));
}

#[test]
fn bundles_are_indexed_and_synced_as_a_whole() {
    let docx = |name: &str| std::fs::read(fixtures().join(name)).expect("fixture");
    let river = docx("archive/2021/河长制工作情况报告.docx");
    let flood = docx("archive/2022/防汛工作情况报告.docx");
    let fire = docx("archive/2023/森林防火隐患排查通知.docx");
    let root = tempfile::tempdir().expect("tempdir");
    let bundle = root.path().join("上报.zip");
    std::fs::write(
        &bundle,
        common::zip_of(&[("河长制.docx", &river), ("防汛.docx", &flood)]),
    )
    .expect("write");
    let idx = build_index(&[root.path()]);
    let idx_arg = idx.path().to_str().unwrap_or_default();
    let root_arg = root.path().to_str().unwrap_or_default();
    let hits = |query: &str| -> Vec<String> {
        json_lines(&dangan(&["search", "--index", idx_arg, "--json", query]))
            .iter()
            .filter_map(|r| r["path"].as_str().map(str::to_string))
            .collect()
    };
    assert_eq!(hits("河长制"), [format!("{}/河长制.docx", bundle.display())]);
    assert_eq!(hits("防汛").len(), 1);

    // The bundle changes: one document goes, another comes.
    std::fs::write(
        &bundle,
        common::zip_of(&[("河长制.docx", &river), ("防火.docx", &fire)]),
    )
    .expect("write");
    let out = dangan(&["index", "--index", idx_arg, root_arg]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("2 documents found: 2 indexed (0 new, 2 changed)"),
        "{stderr}"
    );
    assert!(
        hits("防汛").is_empty(),
        "a document taken out of the bundle leaves the index"
    );
    assert_eq!(hits("森林防火").len(), 1);
    let out = dangan(&["index", "--index", idx_arg, root_arg]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("2 unchanged"));

    // The bundle goes: so do its documents.
    std::fs::remove_file(&bundle).expect("remove");
    let out = dangan(&["index", "--index", idx_arg, root_arg]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("2 removed"));
    assert!(hits("河长制").is_empty());
}

#[test]
fn peer_zip_bundles_name_their_members_like_python_zipfile() {
    let Some((corpus, rows)) = extract_corpus("peer-other/zip") else {
        return;
    };
    let Some(refs) = common::shared_corpus("peer-other-ref") else {
        return;
    };
    let mut bundles = 0;
    for entry in walkdir::WalkDir::new(&corpus).into_iter().filter_map(Result::ok) {
        let bundle = entry.path();
        if bundle.extension().is_none_or(|e| e != "zip") {
            continue;
        }
        let rel = bundle
            .strip_prefix(&corpus)
            .expect("inside")
            .to_string_lossy()
            .into_owned();
        // The reference lists each bundle once, decoded in the encoding its names use.
        let listing = ["python-zipfile-gbk", "python-zipfile-cp932"]
            .iter()
            .find_map(|tool| std::fs::read_to_string(refs.join(tool).join(format!("zip/{rel}.txt"))).ok())
            .expect("a reference listing");
        let mut want: Vec<String> = listing
            .lines()
            .skip(1)
            .filter_map(|line| {
                // `name  2023-10-05 14:42:38  size`: the name is what precedes the date.
                let cut = line.char_indices().rev().nth(32)?.0;
                let name = line[..cut].trim_end();
                let document = dangan::extract::is_document_path(Path::new(name));
                (document && !name.ends_with('/')).then(|| name.to_string())
            })
            .collect();
        let mut got: Vec<String> = rows
            .iter()
            .filter_map(|r| r["path"].as_str())
            .filter_map(|p| Path::new(p).strip_prefix(bundle).ok())
            .map(|p| p.to_string_lossy().into_owned())
            .collect();
        want.sort();
        got.sort();
        assert_eq!(got, want, "{rel}");
        bundles += 1;
    }
    assert_eq!(bundles, 5);
}
