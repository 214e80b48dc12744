//! DOCX extraction: one package built here per rule (parts, text boxes, fields, revisions,
//! numbering, metadata, caps), then `dangan extract` over `fixtures/` (titles, years, exit
//! codes, broken and encrypted files) and the shared third-party DOCX corpus.

mod common;

use std::collections::HashMap;
use std::path::Path;

use common::{Docx, by_file_name, coverage_against, dangan, extract_corpus, fixtures, json_lines, p};
use serde_json::Value;

// ---------------------------------------------------------------------------------------
// Extraction rules, one package each.

#[test]
fn text_box_in_alternate_content_is_read_once() {
    let body = format!(
        r#"<w:p><w:r><w:t>锚定段落</w:t></w:r><w:r><mc:AlternateContent>
        <mc:Choice Requires="wps"><w:drawing><wps:txbx><w:txbxContent>{}</w:txbxContent></wps:txbx></w:drawing></mc:Choice>
        <mc:Fallback><w:pict><v:shape><v:textbox><w:txbxContent>{}</w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback>
        </mc:AlternateContent></w:r></w:p>"#,
        p("文本框里的话"),
        p("文本框里的话")
    );
    let doc = Docx::new(&body).extract().expect("read");
    let text = doc.text();
    assert_eq!(text.matches("文本框里的话").count(), 1, "{text}");
    assert!(text.contains("锚定段落"));
    assert_eq!(doc.counts.textboxes, "文本框里的话".chars().count());
}

#[test]
fn vml_text_box_without_alternate_content_is_read() {
    let body = format!(
        r#"<w:p><w:r><w:pict><v:shape><v:textbox><w:txbxContent>{}</w:txbxContent></v:textbox></v:shape></w:pict></w:r></w:p>"#,
        p("旧式文本框")
    );
    assert!(Docx::new(&body).text().contains("旧式文本框"));
}

#[test]
fn insertions_kept_deletions_dropped() {
    let body = r#"<w:p><w:r><w:t>保留</w:t></w:r><w:ins w:id="1"><w:r><w:t>插入的</w:t></w:r></w:ins><w:del w:id="2"><w:r><w:delText>删除的</w:delText></w:r></w:del><w:moveFrom w:id="3"><w:r><w:t>移走的</w:t></w:r></w:moveFrom><w:moveTo w:id="4"><w:r><w:t>移来的</w:t></w:r></w:moveTo></w:p>"#;
    let text = Docx::new(body).text();
    assert_eq!(text, "保留插入的移来的");
}

#[test]
fn field_results_kept_and_codes_dropped() {
    let body = r#"<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> TOC \o "1-3" \h </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>目录结果</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>
    <w:p><w:fldSimple w:instr=" PAGE "><w:r><w:t>7</w:t></w:r></w:fldSimple></w:p>
    <w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText>PAGEREF _Toc123 \h</w:instrText></w:r><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText>inner</w:instrText></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>3</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>"#;
    let text = Docx::new(body).text();
    assert_eq!(text, "目录结果\n7\n3");
    assert!(!text.contains("TOC") && !text.contains("PAGEREF") && !text.contains("inner"));
}

#[test]
fn content_controls_smart_tags_and_hyperlinks_are_text() {
    let body = r#"<w:sdt><w:sdtPr><w:alias w:val="别名"/><w:placeholder><w:docPart w:val="x"/></w:placeholder></w:sdtPr><w:sdtContent><w:p><w:r><w:t>控件内容</w:t></w:r></w:p></w:sdtContent></w:sdt>
    <w:p><w:smartTag w:element="place"><w:r><w:t>青山镇</w:t></w:r></w:smartTag><w:hyperlink r:id="rId9"><w:r><w:t>链接文字</w:t></w:r></w:hyperlink><w:customXml w:element="x"><w:r><w:t>自定义</w:t></w:r></w:customXml></w:p>"#;
    assert_eq!(Docx::new(body).text(), "控件内容\n青山镇链接文字自定义");
}

#[test]
fn special_characters_tabs_and_breaks() {
    let body = r#"<w:p><w:pPr><w:tabs><w:tab w:val="left" w:pos="720"/></w:tabs></w:pPr><w:r><w:t>甲</w:t><w:tab/><w:t>乙</w:t><w:br/><w:t>丙</w:t><w:cr/><w:t>丁</w:t><w:noBreakHyphen/><w:t>戊</w:t><w:softHyphen/><w:t>己</w:t><w:sym w:font="Symbol" w:char="F061"/><w:sym w:font="Wingdings" w:char="2605"/></w:r></w:p>"#;
    assert_eq!(Docx::new(body).text(), "甲\t乙\n丙\n丁-戊己α★");
}

#[test]
fn tables_nested_tables_cells_and_rows() {
    let inner = format!(
        "<w:tbl><w:tr><w:tc>{}</w:tc><w:tc>{}</w:tc></w:tr></w:tbl>",
        p("内1"),
        p("内2")
    );
    let body = format!(
        "<w:tbl><w:tblPr><w:tblW w:w=\"0\"/></w:tblPr><w:tblGrid><w:gridCol w:w=\"1\"/></w:tblGrid><w:tr><w:trPr/><w:tc><w:tcPr/>{}</w:tc><w:tc>{}</w:tc></w:tr><w:tr><w:tc>{}{}</w:tc><w:tc>{}</w:tc></w:tr></w:tbl>{}",
        p("项目"),
        p("数量"),
        p("外层"),
        inner,
        p("20万元"),
        p("表后段落")
    );
    let doc = Docx::new(&body).extract().expect("read");
    assert_eq!(doc.text(), "项目\t数量\n外层\n内1\t内2\t20万元\n表后段落");
    assert_eq!(doc.counts.tables, "项目数量外层内1内220万元".chars().count());
    assert_eq!(doc.counts.body, "表后段落".chars().count());
}

#[test]
fn headers_footers_and_notes_come_through_relationships() {
    let mut docx = Docx::new(&format!(
        "{}<w:p><w:r><w:t>正文</w:t></w:r><w:r><w:footnoteReference w:id=\"1\"/></w:r></w:p>",
        p("标题")
    ));
    let header = docx.w_part("hdr", &p("页眉文字"));
    let footer = docx.w_part("ftr", &p("页脚文字"));
    let notes = docx.w_part(
        "footnotes",
        &format!(
            "<w:footnote w:type=\"separator\" w:id=\"-1\"><w:p><w:r><w:separator/><w:t>分隔</w:t></w:r></w:p></w:footnote><w:footnote w:id=\"1\">{}</w:footnote>",
            p("脚注文字")
        ),
    );
    let endnotes = docx.w_part(
        "endnotes",
        &format!("<w:endnote w:id=\"1\">{}</w:endnote>", p("尾注文字")),
    );
    let comments = docx.w_part(
        "comments",
        &format!("<w:comment w:id=\"0\">{}</w:comment>", p("批注不算")),
    );
    docx = docx
        .related("header", "rId1", "word/header1.xml", &header)
        .related("header", "rId2", "word/header2.xml", &header)
        .related("footer", "rId3", "word/footer1.xml", &footer)
        .related("footnotes", "rId4", "word/footnotes.xml", &notes)
        .related("endnotes", "rId5", "word/endnotes.xml", &endnotes)
        .related("comments", "rId6", "word/comments.xml", &comments);
    let doc = docx.extract().expect("read");
    let text = doc.text();
    assert_eq!(
        text.matches("页眉文字").count(),
        1,
        "identical headers once: {text}"
    );
    for want in ["页脚文字", "脚注文字", "尾注文字"] {
        assert!(text.contains(want), "{want} missing from {text}");
    }
    assert!(!text.contains("分隔") && !text.contains("批注不算"), "{text}");
    assert_eq!(
        (
            doc.counts.headers,
            doc.counts.footers,
            doc.counts.footnotes,
            doc.counts.endnotes
        ),
        (4, 4, 4, 4)
    );
}

#[test]
fn strict_ooxml_and_a_main_part_found_only_through_rels() {
    let docx = Docx::new(&p("严格模式正文"))
        .strict()
        .main_part_at("content/main.xml");
    assert_eq!(docx.text(), "严格模式正文");
}

#[test]
fn alt_chunks_with_html_and_plain_text() {
    let body = format!(
        "{}<w:altChunk r:id=\"rIdH\"/><w:altChunk r:id=\"rIdT\"/>{}",
        p("前"),
        p("后")
    );
    let html = "<html><head><title>不要</title><style>p{}</style></head><body><p>网页&amp;段落</p><table><tr><td>格1</td><td>格2</td></tr></table></body></html>";
    let docx = Docx::new(&body)
        .related("aFChunk", "rIdH", "word/chunk1.htm", html)
        .related("aFChunk", "rIdT", "word/chunk2.txt", "纯文本块");
    assert_eq!(docx.text(), "前\n网页&段落\n格1\t格2\n纯文本块\n后");
}

#[test]
fn auto_numbered_headings_show_their_numbers() {
    let numbering = r#"<w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/><w:suff w:val="nothing"/></w:lvl><w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/><w:suff w:val="nothing"/></w:lvl></w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>"#;
    let item = |lvl: u8, text: &str| {
        format!(
            "<w:p><w:pPr><w:numPr><w:ilvl w:val=\"{lvl}\"/><w:numId w:val=\"1\"/></w:numPr></w:pPr><w:r><w:t>{text}</w:t></w:r></w:p>"
        )
    };
    let body = [
        item(0, "总体要求"),
        item(1, "指导思想"),
        item(1, "工作目标"),
        item(0, "重点任务"),
        item(1, "产业"),
    ]
    .concat();
    let mut docx = Docx::new(&body);
    let part = docx.w_part("numbering", numbering);
    docx = docx.related("numbering", "rIdN", "word/numbering.xml", &part);
    assert_eq!(
        docx.text(),
        "一、总体要求\n（一）指导思想\n（二）工作目标\n二、重点任务\n（一）产业"
    );
}

#[test]
fn picture_and_table_alt_text_is_searchable_once() {
    let body = r#"<w:p><w:r><w:drawing><wp:inline><wp:docPr id="1" name="图片 1" descr="会议现场照片"/><a:graphic xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><a:graphicData><pic:pic xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:nvPicPr><pic:cNvPr id="0" name="x" descr="会议现场照片"/></pic:nvPicPr></pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>"#;
    let text = Docx::new(body).text();
    assert_eq!(text.matches("会议现场照片").count(), 1, "{text}");
}

#[test]
fn metadata_from_core_and_app_properties() {
    let docx = Docx::new(&p("正文。")).properties(
        "<dc:title>核心标题</dc:title><dc:creator>张三</dc:creator><cp:lastModifiedBy>李四</cp:lastModifiedBy><dcterms:created xsi:type=\"dcterms:W3CDTF\">2022-05-06T07:08:09Z</dcterms:created><dcterms:modified>2022-06-01T00:00:00Z</dcterms:modified>",
        "<Application>WPS Office_11.1.0.11664_F1E327BC-269C-435d-A152-05C5408002CA</Application><AppVersion>11.1</AppVersion><HeadingPairs><vt:vector xmlns:vt=\"x\"><vt:lpstr>标题</vt:lpstr></vt:vector></HeadingPairs>",
    );
    let doc = docx.extract().expect("read");
    let get = |k: &str| doc.meta.get(k).map(String::as_str);
    assert_eq!(get("title"), Some("核心标题"));
    assert_eq!(get("creator"), Some("张三"));
    assert_eq!(get("last_modified_by"), Some("李四"));
    assert_eq!(get("created"), Some("2022-05-06T07:08:09Z"));
    assert_eq!(get("modified"), Some("2022-06-01T00:00:00Z"));
    assert!(get("application").is_some_and(|a| a.starts_with("WPS Office")));
    assert_eq!(get("heading_pairs"), None);
}

#[test]
fn malformed_xml_names_the_part_and_position() {
    let mut docx = Docx::new(&p("x"));
    docx.put(
        "word/document.xml",
        b"<w:document xmlns:w=\"x\"><w:body><w:p></w:body></w:document>".to_vec(),
    );
    match docx.extract() {
        Err(dangan::extract::SkipReason::MalformedXml { part, position, .. }) => {
            assert_eq!(part, "word/document.xml");
            assert!(position > 0);
        }
        other => panic!("expected malformed XML, got {other:?}"),
    }
}

#[test]
fn deep_nesting_and_huge_member_counts_are_capped() {
    let deep = "<w:sdt><w:sdtContent>".repeat(600) + &p("深") + &"</w:sdtContent></w:sdt>".repeat(600);
    assert!(matches!(
        Docx::new(&deep).extract(),
        Err(dangan::extract::SkipReason::TooLarge(_))
    ));

    let mut many = Docx::new(&p("多"));
    for i in 0..10_001 {
        many.put(&format!("media/{i}.bin"), Vec::new());
    }
    match many.extract() {
        Err(dangan::extract::SkipReason::TooLarge(why)) => assert!(why.contains("members"), "{why}"),
        other => panic!("expected the member cap, got {other:?}"),
    }
}

#[test]
fn markup_bomb_stops_at_the_member_cap() {
    // Millions of empty paragraphs: small compressed, large inflated, no long text node.
    let body = "<w:p/>".repeat(3_000_000);
    let limits = dangan::extract::Limits {
        member_bytes: 4 << 20,
        ..Default::default()
    };
    match Docx::new(&body).extract_with(&limits) {
        Err(dangan::extract::SkipReason::TooLarge(why)) => assert!(why.contains("4 MiB"), "{why}"),
        other => panic!("expected the member cap, got {:?}", other.map(|d| d.text().len())),
    }
}

// ---------------------------------------------------------------------------------------
// The binary over fixtures/.

#[test]
fn extract_json_over_the_sample_archive() {
    let archive = fixtures().join("archive");
    let out = dangan(&["extract", "--json", archive.to_str().expect("utf-8 path")]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "every document read; the lock file and a spreadsheet in the bundle are passed over"
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("36 read, 0 skipped; 2 passed over"), "{stderr}");
    let rows = json_lines(&out);
    let rows = by_file_name(&rows);
    let expect: &[(&str, &str, Option<i64>, Option<&str>)] = &[
        (
            "2021年青山镇民族团结进步创建工作总结.docx",
            "2021年青山镇民族团结进步创建工作总结",
            Some(2021),
            Some("title"),
        ),
        (
            "关于开展安全生产大检查的通知.docx",
            "关于开展安全生产大检查的通知",
            Some(2021),
            Some("signature"),
        ),
        (
            "河长制工作情况报告.docx",
            "青山镇2021年河长制工作情况报告",
            Some(2021),
            Some("title"),
        ),
        (
            "青山镇2020年耕地保护工作总结.doc",
            "青山镇2020年耕地保护工作总结",
            Some(2020),
            Some("title"),
        ),
        (
            "旧档案目录.doc",
            "青山镇2020年档案目录",
            Some(2020),
            Some("title"),
        ),
        (
            "乡村振兴示范村建设实施方案.docx",
            "青山镇乡村振兴示范村建设实施方案",
            Some(2021),
            Some("signature"),
        ),
        (
            "2022年度安全生产自查报告.docx",
            "青山镇2022年度安全生产自查报告",
            Some(2022),
            Some("title"),
        ),
        (
            "在全镇经济工作会议上的讲话.docx",
            "在全镇经济工作会议上的讲话",
            Some(2022),
            Some("signature"),
        ),
        (
            "民族团结进步宣传月活动总结.docx",
            "青山镇民族团结进步宣传月活动总结",
            Some(2022),
            Some("signature"),
        ),
        (
            "(2篇)2022开展河湖清四乱专项行动自查报告.docx",
            "开展河湖“清四乱”专项行动自查报告",
            Some(2022),
            Some("filename"),
        ),
        (
            "防汛工作情况报告.docx",
            "青山镇2022年防汛工作情况报告",
            Some(2022),
            Some("title"),
        ),
        (
            "2023年青山镇工作总结.docx",
            "青山镇2023年工作总结",
            Some(2023),
            Some("title"),
        ),
        (
            "关于印发青山镇防汛应急预案的通知.docx",
            "关于印发青山镇防汛应急预案的通知",
            Some(2023),
            Some("signature"),
        ),
        (
            "5G网络建设推进情况报告.docx",
            "青山镇5G网络建设推进情况报告",
            Some(2023),
            Some("signature"),
        ),
        (
            "2022—2023年度民族团结进步示范单位创建自查报告.docx",
            "青山镇2022—2023年度民族团结进步示范单位创建自查报告",
            Some(2023),
            Some("title"),
        ),
        (
            "村级财务管理实施方案.docx",
            "青山镇村级财务规范化管理实施方案",
            Some(2023),
            Some("signature"),
        ),
    ];
    for (file, title, year, source) in expect {
        let row = rows.get(*file).unwrap_or_else(|| panic!("{file} not extracted"));
        assert_eq!(row["skipped"], Value::Null, "{file}");
        assert_eq!(row["title"], *title, "{file}");
        assert_eq!(row["year"].as_i64(), *year, "{file}");
        assert_eq!(row["year_source"].as_str(), *source, "{file}");
        assert!(Path::new(row["path"].as_str().unwrap_or_default()).is_absolute());
    }
    let lock = rows.get("~$23年青山镇工作总结.docx").expect("lock file reported");
    assert!(
        lock["skipped"].as_str().is_some_and(|r| r.contains("lock")),
        "{lock}"
    );

    // Every part a reader sees, from every producer.
    let summary = &rows["2023年青山镇工作总结.docx"];
    let text = summary["text"].as_str().unwrap_or_default();
    for want in [
        "全年完成固定资产投资3.2亿元",
        "数据来源：县统计局快报数",
        "青山镇党政办公室 2023年12月印",
        "人均可支配收入（元）\t15620\t16890",
        "1.建成乡村振兴示范村3个",
    ] {
        assert!(text.contains(want), "{want:?} missing from {text}");
    }
    assert_eq!(
        text.matches("全年完成固定资产投资3.2亿元").count(),
        1,
        "text box once"
    );
    let parts = &summary["parts"];
    for part in ["body", "tables", "textboxes", "headers", "footers", "footnotes"] {
        assert!(
            parts[part].as_u64().is_some_and(|n| n > 0),
            "{part} empty: {parts}"
        );
    }
    let redhead = rows["关于开展安全生产大检查的通知.docx"]["text"]
        .as_str()
        .unwrap_or_default();
    assert!(redhead.contains("青政发〔2021〕15号"));
    let footnote = rows["河长制工作情况报告.docx"]["text"]
        .as_str()
        .unwrap_or_default();
    assert!(
        footnote.contains("村级河长名单见附表"),
        "pandoc footnote: {footnote}"
    );
    assert_eq!(
        rows["2021年青山镇民族团结进步创建工作总结.docx"]["meta"]["creator"],
        "青山镇党政办"
    );
}

#[test]
fn every_bad_input_has_its_own_reason_and_the_rest_still_reads() {
    let broken = fixtures().join("broken");
    let good = fixtures().join("archive/2023/2023年青山镇工作总结.docx");
    let out = dangan(&[
        "extract",
        "--json",
        broken.to_str().unwrap_or_default(),
        good.to_str().unwrap_or_default(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    let rows = json_lines(&out);
    let rows = by_file_name(&rows);
    let expect = [
        ("空文件.docx", "empty file"),
        (
            "改了扩展名的文本.docx",
            "not a zip archive (looks like plain text)",
        ),
        ("加密文件.docx", "encrypted"),
        ("损坏的正文XML.docx", "malformed XML in word/document.xml at byte"),
        ("截断的文件.docx", "truncated or damaged zip"),
        ("没有正文部分.docx", "no main document part"),
        ("zip炸弹.docx", "over a size cap"),
    ];
    let mut reasons = Vec::new();
    for (file, want) in expect {
        let reason = rows[file]["skipped"].as_str().unwrap_or_default().to_string();
        assert!(reason.contains(want), "{file}: {reason:?} lacks {want:?}");
        assert!(!reason.contains('\n'), "one line: {reason:?}");
        reasons.push(reason);
    }
    assert_eq!(rows["2023年青山镇工作总结.docx"]["skipped"], Value::Null);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("1 read, 7 skipped"), "{stderr}");
}

#[test]
fn exit_codes_follow_grep() {
    let good = fixtures().join("archive/2023/2023年青山镇工作总结.docx");
    let good = good.to_str().unwrap_or_default();
    assert_eq!(dangan(&["extract", good]).status.code(), Some(0));
    let empty = fixtures().join("broken/空文件.docx");
    assert_eq!(
        dangan(&["extract", good, empty.to_str().unwrap_or_default()])
            .status
            .code(),
        Some(1)
    );
    let missing = dangan(&["extract", good, "/no/such/file.docx"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("/no/such/file.docx"));
    assert!(!missing.stdout.is_empty(), "the readable file is still shown");
}

#[test]
fn human_output_shows_title_year_parts_and_text() {
    let good = fixtures().join("archive/2021/河长制工作情况报告.docx");
    let out = dangan(&["extract", good.to_str().unwrap_or_default()]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("title:  青山镇2021年河长制工作情况报告"),
        "{stdout}"
    );
    assert!(stdout.contains("year:   2021 (from title)"), "{stdout}");
    assert!(stdout.contains("常态化巡河"), "{stdout}");
}

// ---------------------------------------------------------------------------------------
// The shared third-party corpus.

/// Pandoc writes math as TeX; its control words and environment names are pandoc's
/// markup, not the document's letters.
fn strip_tex(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\' && chars.peek().is_some_and(|n| n.is_ascii_alphabetic()) {
            let mut word = String::new();
            while let Some(&n) = chars.peek().filter(|n| n.is_ascii_alphabetic()) {
                word.push(n);
                chars.next();
            }
            if (word == "begin" || word == "end") && chars.peek() == Some(&'{') {
                for n in chars.by_ref() {
                    if n == '}' {
                        break;
                    }
                }
            }
            continue;
        }
        out.push(c);
    }
    out
}

#[test]
fn peer_docx_corpus_reads_everything_pandoc_reads() {
    let Some((corpus, rows)) = extract_corpus("peer-docx") else {
        return;
    };
    let Some(refs) = common::shared_corpus("peer-docx-ref/pandoc-3.9") else {
        return;
    };
    let by_rel: HashMap<String, &Value> = rows
        .iter()
        .filter_map(|r| {
            let path = Path::new(r["path"].as_str()?);
            Some((path.strip_prefix(&corpus).ok()?.to_string_lossy().into_owned(), r))
        })
        .collect();

    let manifest = std::fs::read_to_string(corpus.join("MANIFEST.tsv")).expect("manifest");
    let mut documents = 0;
    for line in manifest.lines().skip(1) {
        let cols: Vec<&str> = line.split('\t').collect();
        let (file, notes) = (cols[0], cols.get(5).copied().unwrap_or_default());
        if file.contains("/expected/") {
            continue;
        }
        documents += 1;
        let row = by_rel
            .get(file)
            .unwrap_or_else(|| panic!("{file}: no output row"));
        let skipped = row["skipped"].as_str();
        assert!(
            !skipped.is_some_and(|s| s.contains("internal error")),
            "{file}: {skipped:?}"
        );
        if notes.starts_with("encrypted") {
            assert!(
                skipped.is_some_and(|s| s.starts_with("encrypted")),
                "{file} should be skipped as encrypted: {skipped:?}"
            );
        }
    }
    assert!(documents >= 390, "manifest lists {documents} documents");

    let (files, below) = coverage_against(&corpus, &rows, &refs, strip_tex);
    eprintln!(
        "peer-docx: {files} files pandoc read; {} below 98% of its letters:",
        below.len()
    );
    for b in &below {
        eprintln!("  {b}");
    }
    assert!(files > 300, "only {files} reference files compared");
    let share = 1.0 - below.len() as f64 / files as f64;
    assert!(
        share >= 0.97,
        "only {:.1}% of files at 98% coverage",
        share * 100.0
    );
}
