//! A deterministic corpus of Chinese township reports for benchmarks.
//!
//! ```sh
//! cargo run --release --example gen_corpus -- --docs 20000 --out /tmp/dangan-corpus [--seed 1]
//! ```
//!
//! Each document is a DOCX of 1–20 KB of text (most of them short, as real archives are):
//! a title with a township, a year and a report kind, numbered sections of sentences built
//! from the vocabulary of government reports, sometimes a table, and a closing signature
//! and date line. Files go to `OUT/<year>/<township>/`. The same seed gives the same files.
//! `OUT/corpus.json` records the document count and the total bytes of text.

use std::io::Write;
use std::path::PathBuf;

use zip::write::SimpleFileOptions;

struct Dice(u64);

impl Dice {
    fn next(&mut self) -> u64 {
        // SplitMix64.
        self.0 = self.0.wrapping_add(0x9E3779B97F4A7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58476D1CE4E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D049BB133111EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const TOWNS: &[&str] = &[
    "青山镇",
    "白云乡",
    "柳溪镇",
    "石门镇",
    "桃源乡",
    "龙泉镇",
    "金沙镇",
    "红岩乡",
    "清水镇",
    "松林乡",
    "黄坪镇",
    "长岭镇",
    "新华乡",
    "东风镇",
    "永安镇",
    "太平乡",
    "双河镇",
    "马鞍山镇",
    "梅子坪乡",
    "高桥镇",
];
const KINDS: &[&str] = &[
    "工作总结",
    "情况报告",
    "自查报告",
    "实施方案",
    "工作要点",
    "调研报告",
    "述职报告",
    "工作计划",
];
const TOPICS: &[&str] = &[
    "民族团结进步创建",
    "安全生产",
    "河长制",
    "乡村振兴",
    "防汛抗旱",
    "森林防火",
    "脱贫攻坚成果巩固",
    "人居环境整治",
    "基层党建",
    "招商引资",
    "民生保障",
    "疫情防控",
    "耕地保护",
    "信访维稳",
    "教育发展",
    "医疗卫生",
    "数字乡村建设",
    "村级财务管理",
    "产业发展",
    "生态环境保护",
    "交通运输",
    "文化旅游",
    "就业创业",
    "社会救助",
    "网格化管理",
];
const SUBJECTS: &[&str] = &[
    "我镇",
    "镇党委、政府",
    "各村（社区）",
    "镇属各单位",
    "全镇上下",
    "各级干部",
    "驻村工作队",
    "镇纪委",
    "村两委",
    "有关部门",
    "相关企业",
    "广大群众",
    "党员干部",
    "网格员",
];
const ADVERBS: &[&str] = &[
    "认真", "扎实", "切实", "积极", "全面", "深入", "持续", "稳步", "大力", "统筹", "精准", "有序",
];
const VERBS: &[&str] = &[
    "推进", "落实", "开展", "加强", "完善", "部署", "组织", "督促", "排查", "整治", "宣传", "培训", "实施",
    "优化", "保障", "巩固", "提升", "规范",
];
const OBJECTS: &[&str] = &[
    "工作责任制",
    "隐患排查治理",
    "宣传教育活动",
    "基础设施建设",
    "产业结构调整",
    "矛盾纠纷化解",
    "项目建设",
    "资金使用管理",
    "应急预案演练",
    "农村人居环境",
    "特色产业发展",
    "公共服务体系",
    "干部作风建设",
    "防灾减灾能力",
    "群众满意度",
    "联防联控机制",
    "长效管护机制",
    "考核评价体系",
    "示范点建设",
    "数据统计工作",
];
const RESULTS: &[&str] = &[
    "取得了明显成效",
    "群众满意度不断提升",
    "各项工作有序推进",
    "形成了良好氛围",
    "为全年工作奠定了坚实基础",
    "得到了上级部门的肯定",
    "有效防范了各类风险",
    "推动了经济社会高质量发展",
    "确保了目标任务按期完成",
];
const UNITS: &[&str] = &[
    "万元", "亩", "户", "人次", "场", "处", "个", "公里", "份", "吨", "名", "次",
];
const NUMERALS: &[&str] = &["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"];
const MONTHS: &[&str] = &[
    "一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二",
];

fn sentence(dice: &mut Dice, topic: &str) -> String {
    match dice.below(5) {
        0 => format!(
            "{}{}{}{}，{}。",
            dice.pick(SUBJECTS),
            dice.pick(ADVERBS),
            dice.pick(VERBS),
            topic,
            dice.pick(RESULTS)
        ),
        1 => format!(
            "全年共{}{}{}{}，{}。",
            dice.pick(VERBS),
            dice.pick(OBJECTS),
            1 + dice.below(5000),
            dice.pick(UNITS),
            dice.pick(RESULTS)
        ),
        2 => format!(
            "{}围绕{}，{}{}{}，投入资金{}.{}万元。",
            dice.pick(SUBJECTS),
            topic,
            dice.pick(ADVERBS),
            dice.pick(VERBS),
            dice.pick(OBJECTS),
            1 + dice.below(900),
            dice.below(10)
        ),
        3 => format!(
            "一是{}{}；二是{}{}；三是{}{}。",
            dice.pick(VERBS),
            dice.pick(OBJECTS),
            dice.pick(VERBS),
            dice.pick(OBJECTS),
            dice.pick(VERBS),
            dice.pick(OBJECTS)
        ),
        _ => format!(
            "截至{}月底，{}完成率达到{}.{}%，同比增长{}.{}%。",
            1 + dice.below(12),
            dice.pick(OBJECTS),
            60 + dice.below(40),
            dice.below(10),
            dice.below(20),
            dice.below(10)
        ),
    }
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

fn paragraph(text: &str, centered: bool, bold: bool) -> String {
    let ppr = if centered {
        "<w:pPr><w:jc w:val=\"center\"/></w:pPr>"
    } else {
        ""
    };
    let rpr = if bold { "<w:rPr><w:b/></w:rPr>" } else { "" };
    format!(
        "<w:p>{ppr}<w:r>{rpr}<w:t xml:space=\"preserve\">{}</w:t></w:r></w:p>",
        xml_escape(text)
    )
}

/// One document: its relative path, document.xml body and the number of text bytes.
fn document(dice: &mut Dice, n: usize) -> (PathBuf, String, usize, i32) {
    let year = 2015 + dice.below(10) as i32;
    let town = dice.pick(TOWNS);
    let topic = dice.pick(TOPICS);
    let kind = dice.pick(KINDS);
    let title = format!("{town}{year}年{topic}{kind}");
    // Mostly short documents, a few long ones: 1–20 KB of text.
    let target = 1000 + (dice.below(1000) * dice.below(1000) * 19_000) / 1_000_000;
    let mut body = paragraph(&title, true, true);
    let mut text_bytes = title.len();
    let mut section = 0;
    while text_bytes < target {
        if dice.below(4) == 0 || section == 0 {
            let heading = format!(
                "{}、{}{}",
                NUMERALS[section % 10],
                dice.pick(VERBS),
                dice.pick(OBJECTS)
            );
            text_bytes += heading.len();
            body.push_str(&paragraph(&heading, false, true));
            section += 1;
        }
        let sentences = 1 + dice.below(4);
        let text: String = (0..sentences).map(|_| sentence(dice, topic)).collect();
        text_bytes += text.len();
        body.push_str(&paragraph(&text, false, false));
        if dice.below(15) == 0 {
            let mut table = String::from("<w:tbl>");
            for row in 0..3 {
                table.push_str("<w:tr>");
                for col in 0..3 {
                    let cell = if row == 0 {
                        ["项目", "数量", "备注"][col].to_string()
                    } else {
                        format!("{}", dice.below(10_000))
                    };
                    text_bytes += cell.len();
                    table.push_str(&format!("<w:tc>{}</w:tc>", paragraph(&cell, false, false)));
                }
                table.push_str("</w:tr>");
            }
            table.push_str("</w:tbl>");
            body.push_str(&table);
        }
    }
    let date = format!(
        "二〇{}年{}月{}日",
        chinese_year_tail(year),
        dice.pick(MONTHS),
        1 + dice.below(28)
    );
    for line in [format!("{town}人民政府"), date] {
        text_bytes += line.len();
        body.push_str(&paragraph(&line, false, false));
    }
    let path = PathBuf::from(year.to_string())
        .join(town)
        .join(format!("{n:05}-{topic}{kind}.docx"));
    (path, body, text_bytes, year)
}

fn chinese_year_tail(year: i32) -> String {
    const DIGITS: [char; 10] = ['〇', '一', '二', '三', '四', '五', '六', '七', '八', '九'];
    format!("{year:02}")[2..]
        .chars()
        .filter_map(|d| d.to_digit(10))
        .map(|d| DIGITS[d as usize])
        .collect()
}

fn write_docx(path: &std::path::Path, body: &str, year: i32) -> std::io::Result<()> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    let parts = [
        ("[Content_Types].xml", r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#.to_string()),
        ("_rels/.rels", r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/></Relationships>"#.to_string()),
        ("word/document.xml", format!(r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{body}</w:body></w:document>"#)),
        ("docProps/core.xml", format!(r#"<?xml version="1.0" encoding="UTF-8"?><cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/"><dc:creator>党政办</dc:creator><dcterms:created>{year}-12-01T09:00:00Z</dcterms:created></cp:coreProperties>"#)),
    ];
    for (name, data) in parts {
        zip.start_file(name, options)?;
        zip.write_all(data.as_bytes())?;
    }
    let bytes = zip.finish()?.into_inner();
    std::fs::write(path, bytes)
}

fn main() -> anyhow::Result<()> {
    let mut docs = 20_000usize;
    let mut out = PathBuf::from("dangan-corpus");
    let mut seed = 1u64;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || args.next().ok_or_else(|| anyhow::anyhow!("{arg} needs a value"));
        match arg.as_str() {
            "--docs" => docs = value()?.parse()?,
            "--out" => out = PathBuf::from(value()?),
            "--seed" => seed = value()?.parse()?,
            other => {
                anyhow::bail!("unknown argument {other}; usage: gen_corpus --docs N --out DIR [--seed S]")
            }
        }
    }
    let mut dice = Dice(seed);
    let mut text_bytes = 0usize;
    for n in 0..docs {
        let (rel, body, bytes, year) = document(&mut dice, n);
        let path = out.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        write_docx(&path, &body, year)?;
        text_bytes += bytes;
    }
    std::fs::write(
        out.join("corpus.json"),
        format!("{{\"docs\": {docs}, \"text_bytes\": {text_bytes}, \"seed\": {seed}}}\n"),
    )?;
    println!(
        "{docs} documents, {:.1} MB of text, in {}",
        text_bytes as f64 / 1e6,
        out.display()
    );
    Ok(())
}
