//! Titles, speech dates and snippets as a user sees them: `extract --json` and
//! `search --json` over documents built in the test.

mod common;

use std::path::Path;

use common::{Docx, dangan, json_lines, p};
use serde_json::Value;

/// A centred paragraph, as titles and speech date lines are set.
fn centred(text: &str) -> String {
    format!(
        "<w:p><w:pPr><w:jc w:val=\"center\"/></w:pPr><w:r><w:t xml:space=\"preserve\">{text}</w:t></w:r></w:p>"
    )
}

/// A bold, centred paragraph, as captions often are.
fn bold_centred(text: &str) -> String {
    format!(
        "<w:p><w:pPr><w:jc w:val=\"center\"/></w:pPr><w:r><w:rPr><w:b/></w:rPr><w:t xml:space=\"preserve\">{text}</w:t></w:r></w:p>"
    )
}

/// `extract --json` of one file, decoded.
fn extract(path: &Path) -> Value {
    let out = dangan(&["extract", "--json", path.to_str().unwrap_or_default()]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut rows = json_lines(&out);
    assert_eq!(rows.len(), 1, "one object per file");
    rows.remove(0)
}

#[test]
fn a_speech_date_under_the_title_gives_the_year_and_stays_out_of_the_title() {
    let dir = tempfile::tempdir().expect("tempdir");
    // Long enough that the date line is far from the end, where closing dates are read.
    let body: String = (1..=25)
        .map(|i| p(&format!("第{i}段，全县经济运行总体平稳，发展质量稳步提升。")))
        .collect();
    for (name, date_line) in [
        ("讲话.docx", "（二〇一九年十一月十六日）"),
        ("讲话半角.docx", "(2019年11月16日)"),
        ("讲话地点.docx", "（2019年11月16日，在全县经济工作会议上）"),
    ] {
        let path = dir.path().join(name);
        Docx::new(&format!(
            "{}{}{}{}{body}",
            centred("在全县经济工作会议上的讲话"),
            centred(date_line),
            centred("县委书记  张三"),
            p("同志们："),
        ))
        .write_to(&path);
        let row = extract(&path);
        assert_eq!(row["title"], "在全县经济工作会议上的讲话", "{name}");
        assert_eq!(row["year"], 2019, "{name}");
        assert_eq!(row["year_source"], "signature", "{name}");
    }
}

#[test]
fn a_speech_date_set_in_the_title_paragraph_is_not_part_of_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("讲话.docx");
    let title = "<w:p><w:pPr><w:jc w:val=\"center\"/></w:pPr><w:r><w:t>在全县经济工作会议上的讲话</w:t><w:br/><w:t>（2018年1月5日）</w:t></w:r></w:p>";
    Docx::new(&format!("{title}{}", p("同志们：今天的会议很重要。"))).write_to(&path);
    let row = extract(&path);
    assert_eq!(row["title"], "在全县经济工作会议上的讲话");
    assert_eq!(row["year"], 2018);
}

#[test]
fn a_table_caption_is_never_the_title() {
    let dir = tempfile::tempdir().expect("tempdir");
    let table = "<w:tbl><w:tr><w:tc><w:p><w:r><w:t>村名</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>事故起数</w:t></w:r></w:p></w:tc></w:tr></w:tbl>";
    // The first bold line is a caption: the document properties' title wins.
    let with_core = dir.path().join("统计.docx");
    Docx::new(&format!(
        "{}{table}{}",
        bold_centred("表3  安全生产工作情况统计表"),
        p("今年以来，全镇未发生较大以上安全生产事故。"),
    ))
    .properties("<dc:title>青山镇2023年安全生产工作总结</dc:title>", "")
    .write_to(&with_core);
    let row = extract(&with_core);
    assert_eq!(row["title"], "青山镇2023年安全生产工作总结");
    assert_eq!(row["year"], 2023);
    assert_eq!(row["year_source"], "title");
    // Without properties: the file name, not the caption.
    let bare = dir.path().join("安全生产统计.docx");
    Docx::new(&format!("{}{table}", bold_centred("表3  安全生产工作情况统计表"))).write_to(&bare);
    assert_eq!(extract(&bare)["title"], "安全生产统计");
    // A caption after the title leaves the title alone.
    let after = dir.path().join("总结.docx");
    Docx::new(&format!(
        "{}{}{}{table}",
        centred("青山镇2022年安全生产工作总结"),
        p("今年以来，全镇未发生较大以上安全生产事故。"),
        bold_centred("表3  安全生产工作情况统计表"),
    ))
    .write_to(&after);
    assert_eq!(extract(&after)["title"], "青山镇2022年安全生产工作总结");
}

#[test]
fn a_centred_line_after_the_body_has_begun_is_not_the_title() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("通知.docx");
    // Typed without styles or formatting, except the signature: the title is the first
    // short line, not the centred signature after the addressee and the body.
    Docx::new(&format!(
        "{}{}{}{}{}{}{}",
        p("青山镇人民政府文件"),
        p("青政发〔2023〕12号"),
        p("关于开展安全生产大检查的通知"),
        p("各村（社区）："),
        p("为切实做好安全生产工作，经研究，决定开展安全生产大检查。"),
        centred("青山镇人民政府"),
        centred("2023年12月5日"),
    ))
    .write_to(&path);
    let row = extract(&path);
    assert_eq!(row["title"], "关于开展安全生产大检查的通知");
    assert_eq!(row["year"], 2023);
}

#[test]
fn the_snippet_shows_the_body_where_the_terms_meet_not_the_title() {
    let root = tempfile::tempdir().expect("tempdir");
    let idx = tempfile::tempdir().expect("tempdir");
    let title = "关于开展民族团结进步宣传月活动的通知";
    let filler: String = (0..6)
        .map(|_| p("各村要高度重视，认真组织实施，确保各项工作落到实处。"))
        .collect();
    Docx::new(&format!(
        "{}{}{}{filler}{}{}",
        centred(title),
        p("各村（社区）："),
        p("民族团结是各族人民的生命线。"),
        p("今年九月开展民族团结进步宣传月活动，各村要组织宣讲。"),
        p("此通知。"),
    ))
    .write_to(&root.path().join("通知.docx"));
    let idx_arg = idx.path().to_str().unwrap_or_default();
    let out = dangan(&[
        "index",
        "--index",
        idx_arg,
        root.path().to_str().unwrap_or_default(),
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = dangan(&["search", "--index", idx_arg, "--json", "民族团结", "宣传月"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let hits = json_lines(&out);
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0]["title"], title);
    let snippet = hits[0]["snippet"].as_str().unwrap_or_default();
    let bare = snippet.trim_start_matches('…');
    assert_ne!(bare, title);
    assert!(!bare.starts_with(title), "{snippet}");
    assert!(
        snippet.contains("开展民族团结进步宣传月活动，各村要组织宣讲"),
        "the passage with both terms, not the earlier one with one: {snippet}"
    );
    // A term only the title holds: then the title line is the snippet.
    let out = dangan(&["search", "--index", idx_arg, "--json", "关于开展"]);
    let hits = json_lines(&out);
    assert_eq!(hits.len(), 1);
    let snippet = hits[0]["snippet"].as_str().unwrap_or_default();
    assert!(snippet.starts_with(title), "{snippet}");
}
