//! `index`: keeping the index in step with the folders (new, changed, moved, removed and
//! skipped files, and what `status` then reports), rebuilds, the writer lock, killed and
//! interrupted runs, and `--profile`.

mod common;

use std::path::Path;

use common::{Docx, build_index, dangan, fixtures, json_lines, json_rows, p, search_json};
use serde_json::Value;

// ---------------------------------------------------------------------------------------
// A single run: documents replaced by path, refusals, and the profile.

#[test]
fn index_profile_says_where_the_time_went() {
    let idx = tempfile::tempdir().expect("tempdir");
    let archive = fixtures().join("archive/2022");
    let out = dangan(&[
        "index",
        "--profile",
        "--memory",
        "64",
        "--index",
        idx.path().to_str().unwrap_or_default(),
        archive.to_str().unwrap_or_default(),
    ]);
    assert_eq!(out.status.code(), Some(0));
    let stderr = String::from_utf8_lossy(&out.stderr);
    for stage in [
        "walk the folders",
        "extract",
        "title and report year",
        "normalise",
        "commits",
        "process CPU",
    ] {
        assert!(stderr.contains(stage), "{stage} missing from {stderr}");
    }
    let too_small = dangan(&[
        "index",
        "--memory",
        "1",
        "--index",
        idx.path().to_str().unwrap_or_default(),
        "x",
    ]);
    assert_eq!(
        too_small.status.code(),
        Some(2),
        "a writer budget below 32 MiB is refused"
    );
}

#[test]
fn reindexing_replaces_documents_by_path() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let root = tmp.path().join("docs");
    Docx::new(&p("第一版内容")).write_to(&root.join("a.docx"));
    let idx = build_index(&[&root]);
    Docx::new(&p("第二版内容")).write_to(&root.join("a.docx"));
    let out = dangan(&[
        "index",
        "--index",
        idx.path().to_str().unwrap_or_default(),
        root.to_str().unwrap_or_default(),
    ]);
    assert_eq!(out.status.code(), Some(0));
    let (_, rows) = search_json(idx.path(), &["内容"]);
    assert_eq!(rows.len(), 1, "no duplicates");
    assert!(rows[0]["snippet"].as_str().is_some_and(|s| s.contains("第二版")));
    let (code, _) = search_json(idx.path(), &["第一版"]);
    assert_eq!(code, Some(1));
}

#[test]
fn a_second_writer_and_a_foreign_index_are_refused_clearly() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let root = tmp.path().join("docs");
    Docx::new(&p("内容")).write_to(&root.join("a.docx"));
    let idx = build_index(&[&root]);
    {
        let (index, fields) = dangan::index::open_index(idx.path(), false).expect("open");
        let _writer =
            dangan::index::writer::Writer::new(&index, fields, idx.path(), 1, 20_000_000).expect("lock");
        let out = dangan(&[
            "index",
            "--index",
            idx.path().to_str().unwrap_or_default(),
            root.to_str().unwrap_or_default(),
        ]);
        assert_eq!(out.status.code(), Some(2));
        assert!(String::from_utf8_lossy(&out.stderr).contains("another `dangan index`"));
    }
    std::fs::write(idx.path().join("dangan-format.json"), "{\"format\": 99}").expect("write");
    let out = dangan(&[
        "search",
        "--index",
        idx.path().to_str().unwrap_or_default(),
        "内容",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("another dangan version"));
}

// ---------------------------------------------------------------------------------------
// Keeping the index in step with the folders.

/// Runs `dangan index` on `roots` into `idx`; returns its summary line.
fn reindex(idx: &Path, extra: &[&str], roots: &[&Path]) -> String {
    let mut args = vec!["index", "--index", idx.to_str().unwrap_or_default()];
    args.extend_from_slice(extra);
    args.extend(roots.iter().map(|r| r.to_str().unwrap_or_default()));
    let out = dangan(&args);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    stderr
        .lines()
        .find(|l| l.contains("documents found"))
        .unwrap_or_default()
        .to_string()
}

fn paths_in(idx: &Path) -> Vec<String> {
    let mut paths: Vec<String> = json_lines(&dangan(&[
        "list",
        "--index",
        idx.to_str().unwrap_or_default(),
        "--json",
    ]))
    .iter()
    .filter_map(|r| Some(format!("{} {}", r["path"].as_str()?, r["year"])))
    .collect();
    paths.sort();
    paths
}

/// A fresh index takes documents without looking for older ones to replace: a file that
/// overlapping roots find twice must still be read, and kept, once; and a re-run on the
/// index built that way replaces, as any re-run does.
#[test]
fn overlapping_roots_keep_each_document_once_in_a_fresh_and_a_rebuilt_index() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let root = tmp.path().join("docs");
    let inner = root.join("2023");
    Docx::new(&p("外层的2022年报告")).write_to(&root.join("outer.docx"));
    Docx::new(&p("内层的2023年报告")).write_to(&inner.join("inner.docx"));
    let idx = tmp.path().join("idx");
    let line = reindex(&idx, &[], &[&root, &inner]);
    assert!(line.contains("2 documents found"), "{line}");
    assert_eq!(every_file(&idx).len(), 2, "{:?}", every_file(&idx));
    let line = reindex(&idx, &["--rebuild"], &[&inner, &root]);
    assert!(line.contains("2 documents found"), "{line}");
    assert_eq!(every_file(&idx).len(), 2, "{:?}", every_file(&idx));

    Docx::new(&p("内层的第二版")).write_to(&inner.join("inner.docx"));
    reindex(&idx, &[], &[&root, &inner]);
    assert_eq!(every_file(&idx).len(), 2, "{:?}", every_file(&idx));
    let (_, rows) = search_json(&idx, &["内层"]);
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert!(rows[0]["snippet"].as_str().is_some_and(|s| s.contains("第二版")));
}

/// Every document's path, copies included.
fn every_file(idx: &Path) -> Vec<String> {
    let idx = idx.to_str().unwrap_or_default();
    json_rows(&["list", "--index", idx, "--all-copies", "--json"])
        .iter()
        .filter_map(|r| Some(r["path"].as_str()?.to_string()))
        .collect()
}

#[test]
fn reruns_read_only_what_changed_and_drop_what_is_gone() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    Docx::new(&p("甲乙丙的2021年报告")).write_to(&a.join("one.docx"));
    Docx::new(&p("丁戊己的2022年报告")).write_to(&a.join("two.docx"));
    Docx::new(&p("庚辛的2023年报告")).write_to(&b.join("three.docx"));
    let idx = tmp.path().join("idx");
    assert!(reindex(&idx, &[], &[&a, &b]).contains("3 new, 0 changed), 0 unchanged, 0 removed"));
    assert!(reindex(&idx, &[], &[&a, &b]).contains("0 new, 0 changed), 3 unchanged, 0 removed"));

    // Same bytes, new time: not read again.
    let one = a.join("one.docx");
    let bytes = std::fs::read(&one).expect("read");
    std::thread::sleep(std::time::Duration::from_millis(20));
    std::fs::write(&one, &bytes).expect("touch");
    assert!(reindex(&idx, &[], &[&a]).contains("0 new, 0 changed), 2 unchanged"));

    // Changed content, a move, and a file gone from another root that is not crawled.
    Docx::new(&p("甲乙丙的第二版")).write_to(&one);
    std::fs::rename(a.join("two.docx"), a.join("moved.docx")).expect("move");
    std::fs::remove_file(b.join("three.docx")).expect("remove");
    let line = reindex(&idx, &[], &[&a]);
    assert!(
        line.contains("1 new, 1 changed), 0 unchanged, 1 removed"),
        "{line}"
    );
    let (_, rows) = search_json(&idx, &["第二版"]);
    assert_eq!(rows.len(), 1);
    let (_, rows) = search_json(&idx, &["丁戊己"]);
    assert!(
        rows.len() == 1
            && rows[0]["path"]
                .as_str()
                .is_some_and(|p| p.ends_with("moved.docx"))
    );
    let (_, rows) = search_json(&idx, &["庚辛"]);
    assert_eq!(rows.len(), 1, "root b was not crawled: its document stays");
    assert!(reindex(&idx, &[], &[&b]).contains("0 removed") || paths_in(&idx).len() == 2);
    let (code, _) = search_json(&idx, &["庚辛"]);
    assert_eq!(code, Some(1), "crawling b drops its vanished file");
}

#[test]
fn skipped_files_are_retried_only_when_they_change() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let root = tmp.path().join("docs");
    std::fs::create_dir_all(&root).expect("mkdir");
    std::fs::write(root.join("bad.docx"), b"not a zip").expect("write");
    let idx = tmp.path().join("idx");
    assert!(reindex(&idx, &[], &[&root]).contains("1 skipped (1 not a zip archive)"));
    let again = reindex(&idx, &[], &[&root]);
    assert!(again.contains("unchanged since skipped"), "{again}");
    let status = json_lines(&dangan(&[
        "status",
        "--index",
        idx.to_str().unwrap_or_default(),
        "--json",
    ]));
    assert!(
        status[0]["skipped"][0]["reason"]
            .as_str()
            .is_some_and(|r| r.contains("not a zip")),
        "{status:?}"
    );
    Docx::new(&p("修好了")).write_to(&root.join("bad.docx"));
    assert!(reindex(&idx, &[], &[&root]).contains("0 new, 1 changed)"));
    let status = json_lines(&dangan(&[
        "status",
        "--index",
        idx.to_str().unwrap_or_default(),
        "--json",
    ]));
    let s = &status[0];
    assert_eq!(
        (s["documents"].as_u64(), s["formats"]["docx"].as_u64()),
        (Some(1), Some(1))
    );
    assert_eq!(s["skipped"].as_array().map(Vec::len), Some(0));
    assert!(
        s["roots"][0]["last_sync"]
            .as_str()
            .is_some_and(|t| t.ends_with("UTC"))
    );
}

#[test]
fn rebuild_starts_over_even_from_another_version() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let root = tmp.path().join("docs");
    Docx::new(&p("重建测试")).write_to(&root.join("a.docx"));
    let idx = tmp.path().join("idx");
    reindex(&idx, &[], &[&root]);
    std::fs::write(idx.join("dangan-format.json"), "{\"format\": 99}").expect("write");
    let out = dangan(&[
        "index",
        "--index",
        idx.to_str().unwrap_or_default(),
        root.to_str().unwrap_or_default(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--rebuild"));
    assert!(reindex(&idx, &["--rebuild"], &[&root]).contains("(1 new"));
    let (code, _) = search_json(&idx, &["重建"]);
    assert_eq!(code, Some(0));
    // A folder that is not an index is never emptied.
    let foreign = tmp.path().join("mine");
    std::fs::create_dir_all(&foreign).expect("mkdir");
    std::fs::write(foreign.join("notes.txt"), "keep me").expect("write");
    let out = dangan(&[
        "index",
        "--rebuild",
        "--index",
        foreign.to_str().unwrap_or_default(),
        root.to_str().unwrap_or_default(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(foreign.join("notes.txt").exists());
}

#[test]
fn a_second_writer_exits_at_once_naming_the_first_and_readers_keep_working() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let root = tmp.path().join("docs");
    Docx::new(&p("并发测试")).write_to(&root.join("a.docx"));
    let idx = tmp.path().join("idx");
    reindex(&idx, &[], &[&root]);
    let (index, fields) = dangan::index::open_index(&idx, false).expect("open");
    let _writer = dangan::index::writer::Writer::new(&index, fields, &idx, 1, 20_000_000).expect("lock");
    let started = std::time::Instant::now();
    let out = dangan(&[
        "index",
        "--index",
        idx.to_str().unwrap_or_default(),
        root.to_str().unwrap_or_default(),
    ]);
    assert!(
        started.elapsed() < std::time::Duration::from_secs(1),
        "took {:?}",
        started.elapsed()
    );
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&format!("process {}", std::process::id())),
        "{stderr}"
    );
    let (code, _) = search_json(&idx, &["并发"]);
    assert_eq!(code, Some(0), "search works while a writer holds the lock");
    assert_eq!(
        dangan(&["years", "--index", idx.to_str().unwrap_or_default()])
            .status
            .code(),
        Some(0)
    );
}

/// A folder of `n` small reports of three years.
fn many_reports(root: &Path, n: usize) {
    for i in 0..n {
        let year = 2021 + i % 3;
        let body = [
            p(&format!("第{i}号{year}年工作报告")),
            p(&format!(
                "编号{i}的正文，内容各不相同：{}。",
                "甲乙丙丁".repeat(1 + i % 7)
            )),
        ]
        .concat();
        Docx::new(&body).write_to(&root.join(format!("{}/{i:04}.docx", year)));
    }
}

#[cfg(unix)]
#[test]
fn killed_or_interrupted_runs_keep_what_was_committed_and_resume_to_a_clean_build() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let root = tmp.path().join("docs");
    many_reports(&root, 1500);
    let clean = tmp.path().join("clean");
    reindex(&clean, &[], &[&root]);
    let want = paths_in(&clean);
    assert_eq!(want.len(), 1500);
    let (_, want_hits) = search_json(&clean, &["甲乙丙丁甲乙丙丁甲乙"]);

    let bin = assert_cmd::cargo::cargo_bin("dangan");
    for (round, (signal, delay_ms)) in [
        ("KILL", 40),
        ("KILL", 150),
        ("KILL", 400),
        ("INT", 150),
        ("INT", 400),
    ]
    .into_iter()
    .enumerate()
    {
        let idx = tmp.path().join(format!("idx{round}"));
        let child = std::process::Command::new(&bin)
            .args(["index", "--batch", "100", "--index"])
            .arg(&idx)
            .arg(&root)
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("spawn");
        std::thread::sleep(std::time::Duration::from_millis(delay_ms));
        let _ = std::process::Command::new("kill")
            .args([format!("-{signal}"), child.id().to_string()])
            .status();
        let out = child.wait_with_output().expect("wait");
        if signal == "INT" && out.status.code().is_some() {
            let code = out.status.code();
            assert!(
                matches!(code, Some(130) | Some(0)),
                "Ctrl-C exits cleanly: {code:?}"
            );
            if code == Some(130) {
                let stderr = String::from_utf8_lossy(&out.stderr);
                assert!(stderr.contains("left for the next run"), "{stderr}");
            }
        }
        // Whatever was committed opens and answers.
        if idx.join("meta.json").exists() {
            let listed = dangan(&["list", "--index", idx.to_str().unwrap_or_default(), "--json"]);
            assert_eq!(
                listed.status.code(),
                Some(0),
                "round {round}: {}",
                String::from_utf8_lossy(&listed.stderr)
            );
        }
        let resumed = reindex(&idx, &[], &[&root]);
        assert!(resumed.contains("1500 documents found"), "{resumed}");
        assert_eq!(
            paths_in(&idx),
            want,
            "round {round} ({signal} after {delay_ms} ms)"
        );
        let (_, hits) = search_json(&idx, &["甲乙丙丁甲乙丙丁甲乙"]);
        let paths = |rows: &[Value]| {
            let mut v: Vec<String> = rows
                .iter()
                .filter_map(|r| r["path"].as_str().map(str::to_string))
                .collect();
            v.sort();
            v
        };
        assert_eq!(paths(&hits), paths(&want_hits), "round {round}");
        assert!(reindex(&idx, &[], &[&root]).contains("0 new, 0 changed), 1500 unchanged"));
    }
}

#[test]
fn of_two_concurrent_runs_exactly_one_proceeds() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let root = tmp.path().join("docs");
    many_reports(&root, 600);
    let idx = tmp.path().join("idx");
    let bin = assert_cmd::cargo::cargo_bin("dangan");
    let spawn = || {
        let started = std::time::Instant::now();
        let child = std::process::Command::new(&bin)
            .args(["index", "--index"])
            .arg(&idx)
            .arg(&root)
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("spawn");
        (started, child)
    };
    let (first_started, first) = spawn();
    std::thread::sleep(std::time::Duration::from_millis(30));
    let (second_started, second) = spawn();
    let second = second.wait_with_output().expect("wait");
    let second_took = second_started.elapsed();
    let first = first.wait_with_output().expect("wait");
    let _ = first_started;
    let mut codes = [first.status.code(), second.status.code()];
    codes.sort();
    assert_eq!(
        codes,
        [Some(0), Some(2)],
        "{}",
        String::from_utf8_lossy(&second.stderr)
    );
    if second.status.code() == Some(2) {
        assert!(
            second_took < std::time::Duration::from_secs(1),
            "took {second_took:?}"
        );
        assert!(String::from_utf8_lossy(&second.stderr).contains("process "));
    }
}
