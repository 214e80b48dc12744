//! The crawler, through the binary: which files under a root are read, which are passed over
//! and why, non-UTF-8 names, symbolic links and link loops.

mod common;

use common::{Docx, by_file_name, dangan, json_lines, p};
use serde_json::Value;

#[test]
fn crawler_picks_ooxml_extensions_and_explains_the_rest() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let root = tmp.path();
    let doc = Docx::new(&p("正文内容"));
    doc.write_to(&root.join("a/报告.DOCX"));
    doc.write_to(&root.join("a/模板.dotx"));
    doc.write_to(&root.join("a/宏.docm"));
    doc.write_to(&root.join("a/宏模板.dotm"));
    doc.write_to(&root.join("文件夹.docx/里面.docx"));
    doc.write_to(&root.join(".hidden/隐藏.docx"));
    doc.write_to(&root.join("idx/索引里的.docx"));
    std::fs::write(root.join("a/~$报告.docx"), b"lock").expect("write");
    std::fs::write(root.join("a/.~报告.docx"), b"lock").expect("write");
    std::fs::write(root.join("a/~WRL0001.tmp"), b"tmp").expect("write");
    std::fs::write(root.join("a/旧.doc"), b"x").expect("write");
    std::fs::write(root.join("a/扫描件.pdf"), b"%PDF").expect("write");
    std::fs::write(root.join("a/照片.jpg"), b"jpg").expect("write");
    std::fs::write(root.join("a/笔记.TXT"), "纯文本笔记".as_bytes()).expect("write");

    let idx = root.join("idx");
    let out = dangan(&[
        "extract",
        "--json",
        "--index",
        idx.to_str().unwrap_or_default(),
        root.to_str().unwrap_or_default(),
    ]);
    let rows = json_lines(&out);
    let rows = by_file_name(&rows);
    assert_eq!(rows["笔记.TXT"]["text"], "纯文本笔记");
    for read in ["报告.DOCX", "模板.dotx", "宏.docm", "宏模板.dotm", "里面.docx"] {
        assert_eq!(
            rows.get(read).map(|r| &r["skipped"]),
            Some(&Value::Null),
            "{read}"
        );
    }
    for lock in ["~$报告.docx", ".~报告.docx", "~WRL0001.tmp"] {
        assert!(
            rows[lock]["skipped"].as_str().is_some_and(|r| r.contains("lock")),
            "{lock}"
        );
    }
    assert!(
        rows["扫描件.pdf"]["skipped"]
            .as_str()
            .is_some_and(|r| r.starts_with("damaged PDF")),
        "a .pdf is a candidate, judged by its content: {}",
        rows["扫描件.pdf"]
    );
    assert_eq!(
        rows["旧.doc"]["skipped"], "not a Word binary document (looks like plain text)",
        "a .doc is a candidate, judged by its content"
    );
    for absent in ["照片.jpg", "隐藏.docx", "索引里的.docx", "文件夹.docx"] {
        assert!(!rows.contains_key(absent), "{absent} should not be listed");
    }
}

#[cfg(unix)]
#[test]
fn crawler_keeps_non_utf8_names_and_survives_link_loops() {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;

    let tmp = tempfile::tempdir().expect("tempdir");
    let root = tmp.path();
    // GBK bytes for 报告, as a Windows zip or old Samba share leaves them.
    let name = OsStr::from_bytes(b"\xb1\xa8\xb8\xe6.docx");
    Docx::new(&p("非UTF8文件名")).write_to(&root.join(name));
    std::fs::create_dir(root.join("sub")).expect("mkdir");
    std::os::unix::fs::symlink(root, root.join("sub/loop")).expect("symlink");
    Docx::new(&p("链接目标")).write_to(&root.join("target.docx"));
    std::os::unix::fs::symlink(root.join("target.docx"), root.join("sub/link.docx")).expect("symlink");

    let out = dangan(&["extract", "--json", root.to_str().unwrap_or_default()]);
    let rows = json_lines(&out);
    assert!(
        rows.iter().any(|r| r["text"] == "非UTF8文件名"),
        "non-UTF-8 name read"
    );
    let link = rows
        .iter()
        .find(|r| r["path"].as_str().is_some_and(|p| p.ends_with("sub/link.docx")));
    assert!(link.is_some_and(|r| r["skipped"].as_str().is_some_and(|s| s.contains("--follow"))));

    let followed = dangan(&["extract", "--json", "--follow", root.to_str().unwrap_or_default()]);
    assert!(
        followed.status.code().is_some_and(|c| c <= 1),
        "no crash on a loop"
    );
    let rows = json_lines(&followed);
    assert!(
        rows.iter()
            .any(|r| r["skipped"].as_str().is_some_and(|s| s.contains("loop"))),
        "loop reported"
    );
    assert!(rows.iter().any(
        |r| r["path"].as_str().is_some_and(|p| p.ends_with("sub/link.docx")) && r["text"] == "链接目标"
    ));
}
