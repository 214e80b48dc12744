//! Official-document facts (公文要素, after GB/T 9704-2012), read from a document's title and
//! lines: the date (成文日期), the document number (发文字号), the issuing office (发文机关), the
//! kind (文种) and the secrecy mark (密级). Pure functions over the body's lines, table-tested.
//!
//! The page of an official document has fixed places, and only those places are read: the
//! red head above the title (secrecy and urgency marks, the issuing office's `…文件` line,
//! the number line), the signature and date that close the main text (before any
//! attachment), a speech's date under its title, and the printing line at the very end.
//! A date or number in a sentence of the body is never the document's own.

pub use crate::date::DocDate;
use crate::year::{DateLine, ReportYear, YearInputs, YearRange, date_line, report_year, speech_date_line};

/// The kinds a title may end in: the 15 statutory kinds of the 党政机关公文处理工作条例,
/// then the everyday kinds of office archives. A longer name is tried before a shorter one
/// it ends in (`会议纪要` is a 纪要 by its own suffix, `复函` a 函).
pub const KINDS: &[&str] = &[
    "决议", "决定", "命令", "公报", "公告", "通告", "意见", "通知", "通报", "报告", "请示", "批复", "议案",
    "函", "纪要", "总结", "计划", "规划", "方案", "要点", "讲话", "汇报", "制度", "办法", "规定", "细则",
    "简报", "台账",
];

/// A kind a filter names, checked against [`KINDS`]: the one-line message the CLI and the
/// web page give for anything else lists them.
pub fn parse_kind(text: &str) -> Result<String, String> {
    let kind = text.trim();
    if KINDS.contains(&kind) {
        Ok(kind.to_string())
    } else {
        Err(format!("`{kind}` is not a kind: one of {}", KINDS.join(" ")))
    }
}

/// Parenthesised remarks a title may end in that say nothing of its kind: `（试行）`,
/// `（征求意见稿）`, `（2023年）`, `(草案)`.
fn strip_trailing_remarks(title: &str) -> &str {
    let mut rest = title.trim_end();
    loop {
        let trimmed = rest.trim_end_matches(|c: char| c.is_whitespace() || "。.，,；;：:".contains(c));
        let Some(close) = trimmed
            .chars()
            .next_back()
            .filter(|c| matches!(c, '）' | ')' | '】' | ']'))
        else {
            return trimmed;
        };
        let open = match close {
            '）' | ')' => ['（', '('],
            _ => ['【', '['],
        };
        let body = &trimmed[..trimmed.len() - close.len_utf8()];
        match body.rfind(open) {
            Some(at) if at > 0 => rest = &body[..at],
            _ => return trimmed,
        }
    }
}

/// The kind (文种) a title names by its ending, one of [`KINDS`]: `2023年青山镇工作总结` →
/// 总结, `自查报告` → 报告, `关于印发…实施方案的通知` → 通知 (the outer document). `None` when
/// the title ends in no kind.
pub fn kind_of(title: &str) -> Option<&'static str> {
    let title = strip_trailing_remarks(title);
    KINDS
        .iter()
        .copied()
        .filter(|kind| title.ends_with(kind))
        .max_by_key(|kind| kind.len())
}

/// The document number (发文字号) a red-head number line holds, normalised to
/// `机关代字〔年份〕序号号`: `青政发[2023]12号`, `青政函（2023）8号`, `青党办发〔2023〕3号
/// 签发人：张三` → `青党办发〔2023〕3号`. The line must be the number (and an optional
/// 签发人 part) and nothing else, so a number cited in a sentence
/// (`根据《…》（青政发〔2022〕3号）`) is never taken for the document's own.
pub fn doc_number_line(line: &str) -> Option<String> {
    let mut line = line.trim();
    if let Some(at) = line.find("签发人") {
        line = line[..at].trim_end();
    }
    // White space dropped, full-width digits as ASCII (`〔２０２３〕`).
    let line: String = line
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '０'..='９' => char::from(b'0' + (c as u32 - '０' as u32) as u8),
            c => c,
        })
        .collect();
    let number = line.strip_suffix('号')?;
    let open = number.find(['〔', '［', '[', '（', '(', '【', '﹝', '〖'])?;
    let (agency, rest) = number.split_at(open);
    let rest = &rest[rest.chars().next()?.len_utf8()..];
    let close = rest.find(['〕', '］', ']', '）', ')', '】', '﹞', '〗'])?;
    let (year, serial) = rest.split_at(close);
    let serial = &serial[serial.chars().next()?.len_utf8()..];
    let agency_ok = (2..=16).contains(&agency.chars().count())
        && agency
            .chars()
            .all(|c| is_ideograph(c) || c.is_ascii_alphanumeric())
        && agency.chars().any(is_ideograph)
        && !["关于", "根据", "按照", "依据", "依照", "转发", "印发"]
            .iter()
            .any(|w| agency.starts_with(w));
    let year_ok = year.len() == 4
        && (year.starts_with("19") || year.starts_with("20"))
        && year.bytes().all(|b| b.is_ascii_digit());
    // The serial as written: GB/T 9704 wants neither `第` nor leading zeros, but a
    // document that has them is filed by what it says.
    let digits = serial.strip_prefix('第').unwrap_or(serial);
    let serial_ok = (1..=5).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit());
    (agency_ok && year_ok && serial_ok).then(|| format!("{agency}〔{year}〕{serial}号"))
}

/// What an official document says about itself; every field `None` where the document
/// does not say it. Serialised as the contract's metadata keys (`date`, `doc_number`,
/// `issuer`, `kind`, always present), plus `secrecy` and `pages` when known.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Official {
    /// 成文日期: the closing date, else a speech's date, else the printing line's date.
    pub date: Option<DocDate>,
    /// 发文字号, normalised to `机关代字〔年份〕序号号`.
    pub doc_number: Option<String>,
    /// 发文机关: the red head's office(s), else the signature's, joint ones joined by `、`.
    pub issuer: Option<String>,
    /// 文种, one of [`KINDS`], from the title.
    pub kind: Option<String>,
    /// 密级 as marked in the red head: `绝密`, `机密` or `秘密`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secrecy: Option<String>,
    /// Pages, when the file's properties say (`docProps/app.xml`, the summary information).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pages: Option<u32>,
}

impl Official {
    /// The facts on one line for people, those the document has, in the catalogue's order:
    /// `青政发〔2023〕12号 · 青山镇人民政府 · 2023-04-06 · 通知`; empty when it has none.
    pub fn summary(&self) -> String {
        let date = self.date.map(|d| d.to_string());
        [
            self.doc_number.as_deref(),
            self.issuer.as_deref(),
            date.as_deref(),
            self.kind.as_deref(),
        ]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" · ")
    }
}

/// A document number as the index keeps it for `no:` queries: brackets of every kind as
/// 〔〕 and no white space, so `[2023]`, `（2023）` and `〔2023〕` are one.
pub fn number_key(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '[' | '［' | '(' | '（' | '【' | '﹝' | '〖' => '〔',
            ']' | '］' | ')' | '）' | '】' | '﹞' | '〗' => '〕',
            c => c,
        })
        .collect()
}

/// What dangan derives from a document besides its text: the title, the report year and
/// the official-document facts, all from one reading of its lines.
#[derive(Debug, Clone)]
pub struct Described {
    /// The title the title rules chose.
    pub title: String,
    /// The report year and the rule that found it.
    pub year: Option<ReportYear>,
    /// Date, number, issuer, kind, secrecy and pages.
    pub official: Official,
}

/// The title, report year and official-document facts of an extracted document at `path`.
pub fn describe(doc: &crate::extract::Document, path: &std::path::Path, range: YearRange) -> Described {
    let file_name = path.file_name().map(|n| n.to_string_lossy()).unwrap_or_default();
    let stem = path.file_stem().map(|n| n.to_string_lossy()).unwrap_or_default();
    let title = crate::year::title(&doc.paragraphs, doc.meta.get("title").map(String::as_str), &stem);
    // The closing date may sit in a table (a signature block) or a text box: look at the
    // lines and cells of the whole body, not only its top-level paragraphs.
    let lines = body_lines(&doc.parts.body);
    let mut official = official_with_header(&lines, &body_lines(&doc.parts.headers), &title, range);
    let inputs = YearInputs {
        title: &title,
        file_name: &file_name,
        date: official.date,
        created: doc.meta.get("created").map(String::as_str),
    };
    let year = report_year(inputs, range);
    official.pages = doc
        .meta
        .get("pages")
        .and_then(|p| p.trim().parse::<u32>().ok())
        .filter(|&p| p > 0);
    Described {
        title,
        year,
        official,
    }
}

/// The body's lines: paragraphs and table cells, trimmed, empty ones dropped.
///
/// A date in a row of a data table (`4  镇直单位  10  张丽  2023年12月31日`: a deadline, a
/// day worked) is left out: it is never the document's date. A row is data when a cell
/// holds a number, or text that is neither an office, a name, a label (`填报单位：…`) nor a
/// date; a signature block set in a table (`青山镇人民政府 | 2023年4月6日`) is not.
pub fn body_lines(body: &str) -> Vec<&str> {
    let any_year = YearRange { min: 1000, max: 9999 };
    let mut lines = Vec::new();
    for row in body.split('\n') {
        if !row.contains('\t') {
            let line = row.trim();
            if !line.is_empty() {
                lines.push(line);
            }
            continue;
        }
        let cells: Vec<&str> = row.split('\t').map(str::trim).filter(|c| !c.is_empty()).collect();
        if cells.len() < 2 {
            lines.extend(cells);
            continue;
        }
        let is_date = |cell: &str| cell.len() <= 120 && date_line(cell, any_year).is_some();
        // Cheap tests first: a document can be a table of thousands of cells.
        let is_data = |cell: &str| {
            if cell.contains(['：', ':'])
                || cell.starts_with("（盖章")
                || cell.starts_with("(盖章")
                || cell == "印发"
            {
                return false;
            }
            if cell.bytes().all(|b| b.is_ascii_digit() || b == b'.' || b == b'%') {
                return true;
            }
            let count = cell.chars().count();
            let name = (2..=3).contains(&count)
                && cell.chars().all(is_ideograph)
                && !["时间", "日期", "时限", "期限", "日"]
                    .iter()
                    .any(|w| cell.ends_with(w));
            !(name || (count <= 40 && office_line(cell).is_some()) || is_date(cell))
        };
        if cells.iter().any(|c| is_data(c)) {
            lines.extend(cells.into_iter().filter(|c| !is_date(c)));
        } else {
            lines.extend(cells);
        }
    }
    lines
}

/// Reads the official-document facts from a document's body lines ([`body_lines`]) and
/// its title (chosen by the title rules).
pub fn official(lines: &[&str], title: &str, range: YearRange) -> Official {
    official_with_header(lines, &[], title, range)
}

/// [`official`], with the page header's lines: a red head set there names the issuer when
/// the body has none.
fn official_with_header(lines: &[&str], header: &[&str], title: &str, range: YearRange) -> Official {
    let head = red_head(lines);
    let closing = closing_date(lines, title, range);
    let offices = if head.is_red_head {
        head.offices.clone()
    } else if let Some(offices) = red_head_in_header(header) {
        vec![offices]
    } else {
        closing
            .as_ref()
            .and_then(|(at, line)| signature_above(lines, *at, line))
            .unwrap_or_default()
    };
    let kind = kind_of(title);
    Official {
        date: closing
            .map(|(_, line)| line.date)
            .or_else(|| speech_date(lines, range))
            .or_else(|| printing_date(lines, range))
            .or_else(|| {
                (kind == Some("讲话"))
                    .then(|| plain_speech_date(lines, range))
                    .flatten()
            }),
        // A 纪要 may put its number under its title: a number line alone among the opening
        // lines is the document's own.
        doc_number: head.doc_number.or_else(|| {
            (1..lines.len().min(HEAD_NUMBER_LINES))
                .filter(|&i| kind_of(lines[i - 1]).is_some())
                .find_map(|i| doc_number_line(lines[i]))
        }),
        issuer: (!offices.is_empty()).then(|| offices.join("、")),
        kind: kind.map(str::to_string),
        secrecy: head.secrecy.map(str::to_string),
        pages: None,
    }
}

/// The document's date by the contract: the closing date line, else a speech's date under
/// its title, else the printing line's date.
pub fn document_date(lines: &[&str], range: YearRange) -> Option<DocDate> {
    official(lines, "", range).date
}

/// A Chinese character (not punctuation), `〇` included.
fn is_ideograph(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x3FFFF) || c == '〇'
}

/// Suffixes an office's name ends in: governments, Party bodies and their offices, bureaus,
/// villages and committees, schools and companies.
const OFFICE_SUFFIXES: &[&str] = &[
    "委员会",
    "人民政府",
    "政府",
    "办公室",
    "办事处",
    "党委",
    "党组",
    "党工委",
    "工委",
    "管委会",
    "支部",
    "总支",
    "委",
    "办",
    "局",
    "厅",
    "部",
    "处",
    "科",
    "院",
    "所",
    "中心",
    "站",
    "队",
    "组",
    "会",
    "社",
    "公司",
    "集团",
    "学校",
    "中学",
    "小学",
    "幼儿园",
    "医院",
    "卫生院",
    "银行",
    "村",
    "社区",
    "街道",
    "镇",
    "乡",
    "县",
    "市",
    "省",
    "区",
    "馆",
    "室",
    "团",
    "厂",
    "场",
    "协会",
    "联合会",
];

/// A unit's name without the words for its kind of office: `东山村村民委员会` and
/// `东山村委会` are `东山村`, `中共青山镇委员会` and `青山镇人民政府` are `青山镇`.
pub fn unit_core(unit: &str) -> String {
    const ENDS: [(&str, &str); 14] = [
        ("村民委员会", "村"),
        ("村委会", "村"),
        ("居民委员会", ""),
        ("居委会", ""),
        ("委员会", ""),
        ("人民政府", ""),
        ("政府", ""),
        ("党委", ""),
        ("党总支", ""),
        ("党支部", ""),
        ("总支", ""),
        ("支部", ""),
        ("办事处", ""),
        ("两委", ""),
    ];
    let mut core = unit.strip_prefix("中共").unwrap_or(unit).to_string();
    while let Some((end, with)) = ENDS
        .iter()
        .find(|(end, _)| core.ends_with(end) && core.len() > end.len())
    {
        core.truncate(core.len() - end.len());
        if !core.ends_with(with) {
            core.push_str(with);
        }
    }
    core
}

/// Whether `name` (no white space) reads as an office: Chinese characters only (brackets
/// and `·` allowed), 3 to 30 of them, ending in an office suffix, and not a title or a
/// phrase (`关于…`, `…的…`).
pub fn is_office_name(name: &str) -> bool {
    let count = name.chars().count();
    (3..=30).contains(&count)
        && name.chars().all(|c| is_ideograph(c) || "（）()·".contains(c))
        && !name.starts_with("关于")
        && !name.contains('的')
        && kind_of(name).is_none()
        && OFFICE_SUFFIXES.iter().any(|s| name.ends_with(s))
}

/// The offices a line names, in order: one office, or several set apart by white space
/// (`中共青山镇委员会    青山镇人民政府`); `None` when anything on the line is not an office.
fn office_line(line: &str) -> Option<Vec<String>> {
    let pieces: Vec<&str> = line.split_whitespace().collect();
    let letter_spaced = pieces.iter().all(|p| p.chars().count() == 1);
    if pieces.len() > 1 && !letter_spaced && pieces.iter().all(|p| is_office_name(p)) {
        return Some(pieces.iter().map(|p| p.to_string()).collect());
    }
    let compact: String = pieces.concat();
    is_office_name(&compact).then(|| vec![compact])
}

/// The secrecy level a red-head mark names (`秘密★1年`, `机密`, `密级：绝密`).
fn secrecy_mark(compact: &str) -> Option<&'static str> {
    let mark = compact
        .strip_prefix("密级：")
        .or_else(|| compact.strip_prefix("密级:"))
        .unwrap_or(compact);
    ["绝密", "机密", "秘密"].into_iter().find(|level| {
        mark.strip_prefix(level).is_some_and(|rest| {
            rest.is_empty() || rest.starts_with(['★', '☆', '*', '＊']) || rest.chars().count() <= 8
        })
    })
}

/// Urgency marks of the red head (`特急`, `加急`, `平急`).
fn is_urgency_mark(compact: &str) -> bool {
    matches!(compact, "特急" | "加急" | "平急" | "特提" | "急件")
        || compact.strip_prefix("紧急程度").is_some()
}

/// A rule line: dashes, stars, underscores and nothing that is a letter or digit.
fn is_rule(compact: &str) -> bool {
    !compact.is_empty() && compact.chars().all(|c| !c.is_alphanumeric())
}

/// What the red head of an official document holds.
#[derive(Debug, Default)]
struct RedHead {
    offices: Vec<String>,
    is_red_head: bool,
    doc_number: Option<String>,
    secrecy: Option<&'static str>,
}

/// How many opening lines the red head is looked for in.
const HEAD_LINES: usize = 12;

/// How many opening lines a number line under a title (a 纪要's) is looked for in.
const HEAD_NUMBER_LINES: usize = 6;

/// Distribution marks above a red head: `内部资料 注意保存`, `内部明电`, `公开方式：…`.
fn is_distribution_mark(compact: &str) -> bool {
    compact.starts_with("内部") || compact.contains("注意保存") || compact.starts_with("公开方式")
}

/// Reads the red head from the opening lines: copy number, secrecy and urgency marks, the
/// issuing office(s) with or without `文件`, the number line with its 签发人, rules. It is a
/// red head when the offices are followed by `文件`, a number line or a rule.
fn red_head(lines: &[&str]) -> RedHead {
    let mut head = RedHead::default();
    let (mut wenjian, mut ruled) = (false, false);
    for line in lines.iter().take(HEAD_LINES) {
        let compact: String = line.chars().filter(|c| !c.is_whitespace()).collect();
        // The copy number (份号): six digits or so.
        if (4..=8).contains(&compact.len()) && compact.bytes().all(|b| b.is_ascii_digit()) {
            continue;
        }
        if let Some(level) = secrecy_mark(&compact) {
            head.secrecy = Some(level);
            continue;
        }
        if is_urgency_mark(&compact) || is_distribution_mark(&compact) {
            continue;
        }
        if is_rule(&compact) {
            ruled |= !head.offices.is_empty();
            continue;
        }
        if compact.starts_with("签发人") {
            continue;
        }
        if head.doc_number.is_none()
            && let Some(number) = doc_number_line(line)
        {
            head.doc_number = Some(number);
            continue;
        }
        if compact == "文件" {
            wenjian = true;
            continue;
        }
        if head.doc_number.is_none() {
            let (name, with_wenjian) = without_wenjian(line);
            if let Some(offices) = office_line(name) {
                wenjian |= with_wenjian;
                head.offices.extend(offices);
                continue;
            }
        }
        break;
    }
    head.offices.dedup();
    head.is_red_head = !head.offices.is_empty() && (wenjian || ruled || head.doc_number.is_some());
    head
}

/// A red-head line without its `文件` (`青山镇人民政府文件`, `青山镇人民政府  文 件`), and
/// whether it had one.
fn without_wenjian(line: &str) -> (&str, bool) {
    let line = line.trim();
    let stripped = line
        .strip_suffix('件')
        .map(str::trim_end)
        .and_then(|l| l.strip_suffix('文'))
        .map(str::trim_end);
    match stripped {
        Some(name) => (name, true),
        None => (line, false),
    }
}

/// The issuing office(s) of a red head set in the page header (`…文件` there): used when
/// the body has no red head of its own.
pub fn red_head_in_header(header_lines: &[&str]) -> Option<String> {
    header_lines.iter().take(4).find_map(|line| {
        let (name, wenjian) = without_wenjian(line);
        let offices = office_line(name).filter(|_| wenjian)?;
        Some(offices.join("、"))
    })
}

/// How many lines before the end of the main text (or before an attachment) the closing
/// date is looked for in.
const CLOSING_LINES: usize = 15;

/// `附件`, `附件1`, `附件2：`, `附件一` on a line of its own: an attachment begins (or the
/// attachment list does, before the signature).
fn is_attachment_heading(compact: &str) -> bool {
    compact.strip_prefix("附件").is_some_and(|rest| {
        let rest = rest.trim_end_matches(['：', ':']);
        rest.chars().count() <= 3
            && rest
                .chars()
                .all(|c| c.is_ascii_digit() || "一二三四五六七八九十".contains(c))
    })
}

/// What may stand before the closing date on its line: nothing, the signature (offices, or
/// a person's name of two to four characters), or a date label.
fn is_signature_prefix(before: &str) -> bool {
    if before.is_empty() {
        return true;
    }
    let label = before.trim_end_matches(['：', ':']);
    if label != before {
        return matches!(
            label,
            "日期" | "成文日期" | "落款日期" | "报告日期" | "发文日期" | "签发日期" | "填报日期"
        );
    }
    let count = before.chars().count();
    is_office_name(before)
        || ((2..=4).contains(&count) && before.chars().all(is_ideograph))
            && !before.ends_with(['于', '至', '到', '在', '自', '从', '止', '前', '后'])
}

/// The closing date line: its index among `lines` and what it says. Looked for among the
/// last lines before each attachment heading in turn (a whole attached document may follow
/// the signature), then before the end; printing lines do not count.
fn closing_date(lines: &[&str], title: &str, range: YearRange) -> Option<(usize, DateLine)> {
    let compact = |l: &str| -> String { l.chars().filter(|c| !c.is_whitespace()).collect() };
    let forwarded = forwarded_titles(title);
    let mut cuts: Vec<usize> = lines
        .iter()
        .enumerate()
        .skip(3)
        .filter(|&(i, l)| {
            // An attachment heading; the title of a forwarded document; a second red head.
            // Cheap tests first: this looks at every line of every document.
            (l.len() <= 24 && l.starts_with("附件") && is_attachment_heading(&compact(l)))
                || (!forwarded.is_empty() && forwarded.contains(&compact(l)))
                || (i >= 5
                    && l.len() <= 150
                    && matches!(without_wenjian(l), (name, true) if office_line(name).is_some()))
        })
        .map(|(i, _)| i)
        .collect();
    cuts.push(lines.len());
    for cut in cuts {
        let found = (cut.saturating_sub(CLOSING_LINES)..cut).rev().find_map(|i| {
            date_line(lines[i], range)
                .filter(|d| !d.printed && !printed_below(lines, i) && is_signature_prefix(&d.before))
                .map(|d| (i, d))
        });
        if found.is_some() {
            return found;
        }
    }
    None
}

/// The title a 转发/印发 notice carries along (`关于转发《X关于Y的通知》的通知`), as a line of
/// the forwarded document would show it: whole, and from its `关于` on (white space
/// removed). Empty for any other title.
fn forwarded_titles(title: &str) -> Vec<String> {
    let Some(open) = title.find("转发《") else {
        return Vec::new();
    };
    let inner = &title[open + "转发《".len()..];
    let Some(close) = inner.rfind('》') else {
        return Vec::new();
    };
    let inner: String = inner[..close].chars().filter(|c| !c.is_whitespace()).collect();
    let mut out = vec![inner.clone()];
    if let Some(at) = inner.find("关于").filter(|&at| at > 0) {
        out.push(inner[at..].to_string());
    }
    out
}

/// The office(s) that sign above (or before, on the same line) the closing date at `at`.
fn signature_above(lines: &[&str], at: usize, date: &DateLine) -> Option<Vec<String>> {
    if !date.before.is_empty() {
        let before: Vec<&str> = lines[at]
            .split_whitespace()
            .take_while(|p| is_office_name(p))
            .collect();
        return match before.as_slice() {
            [] => office_line(&date.before),
            found => Some(found.iter().map(|p| p.to_string()).collect()),
        };
    }
    let mut offices = Vec::new();
    for line in lines[..at].iter().rev().take(4) {
        let compact: String = line.chars().filter(|c| !c.is_whitespace()).collect();
        if matches!(compact.as_str(), "（盖章）" | "(盖章)" | "（印章）" | "（章）") {
            continue;
        }
        match office_line(line) {
            Some(found) => offices.splice(0..0, found),
            None => break,
        };
    }
    (!offices.is_empty()).then_some(offices)
}

/// How many opening lines a speech's date line is looked for in.
const OPENING_LINES: usize = 10;

/// A speech's date under its title (`（2019年11月16日）`), among the opening lines.
fn speech_date(lines: &[&str], range: YearRange) -> Option<DocDate> {
    lines.iter().take(OPENING_LINES).find_map(|l| {
        let l = l.trim();
        // The date line itself, or a title that ends with it.
        let open = l.rfind(['（', '('])?;
        let before = l[..open].trim_end();
        let title_like = before.chars().count() <= 60 && !before.contains(['。', '，', '；', ',', ';']);
        let date = title_like
            .then(|| speech_date_line(&l[open..], range))
            .flatten()?;
        // `…台账（2023年1月）` names the period it covers: only a speech's title carries its
        // date so, or a day says it is one.
        let speech = ["讲话", "致辞", "发言", "讲稿"]
            .iter()
            .any(|k| before.ends_with(k));
        (before.is_empty() || date.day.is_some() || speech).then_some(date)
    })
}

/// A speech's date written without brackets on a line of its own under the title
/// (`2021年6月10日`), among the first lines: only for a document whose title is a speech.
fn plain_speech_date(lines: &[&str], range: YearRange) -> Option<DocDate> {
    lines.iter().take(4).find_map(|l| {
        date_line(l, range)
            .filter(|d| d.before.is_empty() && !d.printed)
            .map(|d| d.date)
    })
}

/// Whether the line after `at` is a lone `印发`: a printing line set in a table, its date
/// and `印发` in cells of their own.
fn printed_below(lines: &[&str], at: usize) -> bool {
    lines
        .get(at + 1)
        .is_some_and(|next| matches!(next.trim(), "印发" | "印"))
}

/// How many closing lines the printing line is looked for in.
const PRINTING_LINES: usize = 8;

/// The printing line's date (`青山镇党政办公室 2023年12月6日印发`), among the last lines.
fn printing_date(lines: &[&str], range: YearRange) -> Option<DocDate> {
    let start = lines.len().saturating_sub(PRINTING_LINES);
    (start..lines.len()).rev().find_map(|i| {
        date_line(lines[i], range)
            .filter(|d| d.printed || printed_below(lines, i))
            .map(|d| d.date)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_from_title_endings() {
        for (title, want) in [
            ("2023年青山镇工作总结", Some("总结")),
            ("2022年度安全生产自查报告", Some("报告")),
            ("河长制工作情况报告", Some("报告")),
            ("2022年述职报告", Some("报告")),
            ("乡村振兴示范村建设实施方案", Some("方案")),
            ("关于印发青山镇防汛应急预案的通知", Some("通知")),
            ("关于印发《村级财务管理实施方案》的通知", Some("通知")),
            ("关于开展安全生产大检查的通知", Some("通知")),
            ("关于表彰先进集体和先进个人的决定", Some("决定")),
            ("在全镇经济工作会议上的讲话", Some("讲话")),
            ("村级集体经济发展情况汇报", Some("汇报")),
            ("青山镇党委会议纪要", Some("纪要")),
            ("关于同意设立青山村卫生室的批复", Some("批复")),
            ("关于申请修缮村道的请示", Some("请示")),
            ("关于商请协助开展调查的函", Some("函")),
            ("关于支持工作的复函", Some("函")),
            ("关于加快推进数字乡村建设的实施意见", Some("意见")),
            ("关于三起安全事故的通报", Some("通报")),
            ("青山镇人民政府关于禁止野外用火的通告", Some("通告")),
            ("2024年工作要点", Some("要点")),
            ("青山镇“十四五”发展规划", Some("规划")),
            ("2023年度培训计划", Some("计划")),
            ("村级财务管理办法（试行）", Some("办法")),
            ("村务公开实施细则(征求意见稿)", Some("细则")),
            ("值班值守制度【修订】", Some("制度")),
            ("农村饮水安全工作简报（第3期）", Some("简报")),
            ("信访问题台账", Some("台账")),
            ("关于村规民约修订的说明", None),
            ("青山镇防汛应急预案", None),
            ("档案室工作笔记", None),
            ("", None),
            ("（草案）", None),
        ] {
            assert_eq!(kind_of(title), want, "{title}");
        }
    }

    #[test]
    fn document_number_lines() {
        for (line, want) in [
            ("青政发〔2023〕12号", Some("青政发〔2023〕12号")),
            ("青政发[2023]12号", Some("青政发〔2023〕12号")),
            ("青党办发［2023］3号", Some("青党办发〔2023〕3号")),
            ("青政函（2023）8号", Some("青政函〔2023〕8号")),
            ("青政函(2023)8号", Some("青政函〔2023〕8号")),
            ("  青政发 〔2023〕 12 号  ", Some("青政发〔2023〕12号")),
            ("青政发〔2023〕012号", Some("青政发〔2023〕012号")),
            ("青政发〔2023〕第12号", Some("青政发〔2023〕第12号")),
            ("青政发〔２０２３〕１２号", Some("青政发〔2023〕12号")),
            ("青政发﹝2023﹞12号", Some("青政发〔2023〕12号")),
            ("国办发明电〔2023〕1号", Some("国办发明电〔2023〕1号")),
            ("青政发〔2023〕第号", None),
            ("青政发（2023）12号文件", None),
            ("关于青政发〔2023〕12号", None),
            (
                "青政发〔2023〕12号        签发人：张三",
                Some("青政发〔2023〕12号"),
            ),
            ("青山镇人民政府文件", None),
            ("根据《关于加强管理的通知》（青政发〔2022〕3号）", None),
            ("按照青政发〔2022〕3号文件要求", None),
            ("〔2023〕12号", None),
            ("青政发〔23〕12号", None),
            ("青政发〔2023〕号", None),
            ("青政发〔2023〕12", None),
            ("第12号", None),
        ] {
            assert_eq!(doc_number_line(line).as_deref(), want, "{line}");
        }
    }

    const RANGE: YearRange = YearRange { min: 1900, max: 2027 };

    /// Reads a document given as lines joined by `|` (and `\t` for table cells).
    fn read(doc: &str, title: &str) -> Official {
        let body = doc.replace('|', "\n");
        official(&body_lines(&body), title, RANGE)
    }

    #[test]
    fn dates_of_documents() {
        let cases: &[(&str, Option<&str>)] = &[
            ("工作总结|正文。|青山镇人民政府|2023年4月6日", Some("2023-04-06")),
            (
                "工作总结|正文。|青山镇人民政府|二〇二三年十二月五日",
                Some("2023-12-05"),
            ),
            ("工作总结|正文。|二零二三年十二月五日", Some("2023-12-05")),
            ("工作总结|正文。|二〇二三年十二月", Some("2023-12")),
            ("工作总结|正文。|2023年11月", Some("2023-11")),
            ("工作总结|正文。|2023年2月30日", Some("2023-02")),
            ("工作总结|正文。|2024年2月29日", Some("2024-02-29")),
            ("工作总结|正文。|2023年2月29日", Some("2023-02")),
            ("工作总结|正文。|2023年4月31日", Some("2023-04")),
            ("工作总结|正文。|2023年13月5日", None),
            ("工作总结|正文。|2023.12.05", Some("2023-12-05")),
            ("工作总结|正文。|2023-12-5", Some("2023-12-05")),
            ("工作总结|正文。|2023/12/5", Some("2023-12-05")),
            ("工作总结|正文。|2023年12月5号", Some("2023-12-05")),
            ("工作总结|正文。|２０２３年１２月５日", Some("2023-12-05")),
            ("工作总结|正文。|2023年9月1日星期五", Some("2023-09-01")),
            (
                "工作总结|正文。|青山镇人民政府|2022年6月30日（印章）",
                Some("2022-06-30"),
            ),
            ("工作总结|正文。|青山镇人民政府 2020年6月30日", Some("2020-06-30")),
            ("工作总结|正文。|日期：2021年3月2日", Some("2021-03-02")),
            (
                "通知|正文。|主题词：套红\t抄送份数：6|发文单位：开发部\t发文日期：2013-5-30",
                Some("2013-05-30"),
            ),
            ("工作总结|正文。|王五|2021年3月2日", Some("2021-03-02")),
            ("工作总结|正文。|王五 2021年3月2日", Some("2021-03-02")),
            // A note, a contact line or an attachment list after the date.
            (
                "通知|正文。|青山镇人民政府|2023年4月6日|（联系人：张三，电话：0851-1234567）",
                Some("2023-04-06"),
            ),
            (
                "通知|正文。|青山镇人民政府|2023年4月6日|（此件公开发布）",
                Some("2023-04-06"),
            ),
            (
                "通知|正文。|附件：1.名单|2.统计表|青山镇人民政府|2023年4月6日",
                Some("2023-04-06"),
            ),
            (
                "通知|正文。|附件：|1.名单|2.统计表|青山镇人民政府|2023年4月6日",
                Some("2023-04-06"),
            ),
            // A whole attached document after the signature, with its own date.
            (
                "通知|正文。|青山镇人民政府|2023年4月6日|附件1|名单|张三\t李四|2022年1月1日",
                Some("2023-04-06"),
            ),
            (
                "通知|正文。|青山镇人民政府|2023年4月6日|附件|实施方案|一、目标|正文。|二、措施|正文。|2023年1月5日",
                Some("2023-04-06"),
            ),
            // The printing line is the colophon: the signature date comes first.
            (
                "通知|正文。|青山镇人民政府|2023年4月6日|抄送：县政府办|青山镇党政办公室 2023年4月7日印发",
                Some("2023-04-06"),
            ),
            (
                "纪要|时间：2023年5月6日上午|正文。|青山镇党政办公室 2023年5月8日印发",
                Some("2023-05-08"),
            ),
            (
                "纪要|正文。|青山镇党政办公室|2023年5月8日印发",
                Some("2023-05-08"),
            ),
            ("纪要|正文。|2023年5月8日印", Some("2023-05-08")),
            (
                "纪要|正文。|青山镇党政办公室\t2023年5月8日\t印发",
                Some("2023-05-08"),
            ),
            (
                "纪要|正文。|青山镇人民政府|2023年5月6日|青山镇党政办公室\t2023年5月8日\t印发",
                Some("2023-05-06"),
            ),
            // A speech's date under its title.
            (
                "在全镇经济工作会议上的讲话|（2019年11月16日）|同志们：|正文。",
                Some("2019-11-16"),
            ),
            (
                "在全镇经济工作会议上的讲话|(二〇一九年十一月十六日)|正文。",
                Some("2019-11-16"),
            ),
            (
                "在全镇经济工作会议上的讲话（2019年11月16日）|正文。",
                Some("2019-11-16"),
            ),
            (
                "讲话|（2019年11月16日，在全县经济工作会议上）|正文。",
                Some("2019-11-16"),
            ),
            ("讲话|（2019年11月）|正文。", Some("2019-11")),
            ("整治台账（2021年1月）|序号\t村|1\t东山村", None),
            // A signature date wins over a speech's.
            (
                "讲话|（2019年11月16日）|正文。|2019年11月20日",
                Some("2019-11-20"),
            ),
            // Dates in passing never count.
            ("通知|本办法自2023年3月1日起施行。", None),
            ("通知|正文。|2023年12月5日，我镇召开专题会议。", None),
            ("通知|正文。|截至2023年11月30日", None),
            ("通知|正文。|时间：2023年5月6日", None),
            ("通知|2019年以来，我镇始终坚持。", None),
            ("通知|正文。|电话：0851-2023-12", None),
            ("通知|会议于2023年5月6日召开（2023年5月6日）。", None),
            ("通知|正文（2023年5月6日）。", None),
            ("", None),
            // A signature block in a table.
            ("总结|正文。|青山镇人民政府\t2023年4月6日", Some("2023-04-06")),
            // A date in a data table is a deadline, not the document's date.
            (
                "台账|序号\t村\t整改时限|1\t河西社区\t2023年9月16日|2\t镇直单位\t2023年12月31日",
                None,
            ),
            ("台账|完成时间\t2023年12月31日", None),
            (
                "台账|1\t河西社区\t2023年9月16日|填表人：张三\t填报日期：2023年5月5日",
                Some("2023-05-05"),
            ),
            ("总结|正文。|张丽\t2023年4月6日", Some("2023-04-06")),
            ("总结|正文。|\t青山镇人民政府|\t2023年4月6日", Some("2023-04-06")),
        ];
        for (doc, want) in cases {
            let body = doc.replace('|', "\n");
            let got = official(&body_lines(&body), "", RANGE)
                .date
                .map(|d| d.to_string());
            assert_eq!(got.as_deref(), *want, "{doc}");
        }
    }

    #[test]
    fn issuers_numbers_and_secrecy_of_documents() {
        type Case = (&'static str, Option<&'static str>, Option<&'static str>);
        let cases: &[Case] = &[
            // Red heads.
            (
                "青山镇人民政府文件|青政发〔2023〕12号|关于开展安全检查的通知|正文。|青山镇人民政府|2023年4月6日",
                Some("青山镇人民政府"),
                Some("青政发〔2023〕12号"),
            ),
            (
                "青山镇人民政府文件|青政发[2023]12号|────────|关于开展安全检查的通知|正文。",
                Some("青山镇人民政府"),
                Some("青政发〔2023〕12号"),
            ),
            (
                "青 山 镇 人 民 政 府 文 件|青政发〔2023〕12号|通知|正文。",
                Some("青山镇人民政府"),
                Some("青政发〔2023〕12号"),
            ),
            (
                "中共青山镇委员会文件|青山镇人民政府文件|青委发〔2022〕5号|决定|正文。",
                Some("中共青山镇委员会、青山镇人民政府"),
                Some("青委发〔2022〕5号"),
            ),
            (
                "中共青山镇委员会\t文件|青山镇人民政府\t|青委发〔2022〕5号|决定|正文。",
                Some("中共青山镇委员会、青山镇人民政府"),
                Some("青委发〔2022〕5号"),
            ),
            (
                "中共青山镇委员会|青山镇人民政府|文件|青委发〔2022〕5号|决定|正文。",
                Some("中共青山镇委员会、青山镇人民政府"),
                Some("青委发〔2022〕5号"),
            ),
            (
                "中共青山镇委员会  青山镇人民政府文件|青委发〔2022〕5号|决定|正文。",
                Some("中共青山镇委员会、青山镇人民政府"),
                Some("青委发〔2022〕5号"),
            ),
            (
                "青山镇人民政府办公室|青政办函（2022）8号|关于商请协助的函|县林业局：|正文。|青山镇人民政府办公室|2022年8月3日",
                Some("青山镇人民政府办公室"),
                Some("青政办函〔2022〕8号"),
            ),
            (
                "青山镇人民政府文件|青政〔2021〕7号            签发人：李四|关于修缮村道的请示|县交通局：|正文。",
                Some("青山镇人民政府"),
                Some("青政〔2021〕7号"),
            ),
            (
                "青山镇人民政府文件|青政〔2021〕7号\t签发人：李四|请示|正文。",
                Some("青山镇人民政府"),
                Some("青政〔2021〕7号"),
            ),
            (
                "000123|秘密★1年|特急|青山镇人民政府文件|青政发〔2023〕3号|通知|正文。",
                Some("青山镇人民政府"),
                Some("青政发〔2023〕3号"),
            ),
            (
                "县人民政府办公室文件|县政办发〔2020〕101号|通知|正文。",
                Some("县人民政府办公室"),
                Some("县政办发〔2020〕101号"),
            ),
            (
                "青山镇人民政府|──────|关于某事的报告|正文。",
                Some("青山镇人民政府"),
                None,
            ),
            // The red head wins over the signature.
            (
                "青山镇人民政府文件|青政发〔2023〕12号|通知|正文。|青山镇党政办公室|2023年4月6日",
                Some("青山镇人民政府"),
                Some("青政发〔2023〕12号"),
            ),
            // A number line near the top without a red head.
            (
                "青政办〔2023〕5号|关于印发方案的通知|正文。",
                None,
                Some("青政办〔2023〕5号"),
            ),
            // Signatures.
            (
                "工作总结|正文。|青山村村民委员会|2022年12月28日",
                Some("青山村村民委员会"),
                None,
            ),
            (
                "工作总结|正文。|青山镇人民政府|（盖章）|2022年12月28日",
                Some("青山镇人民政府"),
                None,
            ),
            (
                "工作总结|正文。|青山镇人民政府 2020年6月30日",
                Some("青山镇人民政府"),
                None,
            ),
            (
                "决定|正文。|中共青山镇委员会|青山镇人民政府|二〇二二年五月十八日",
                Some("中共青山镇委员会、青山镇人民政府"),
                None,
            ),
            (
                "决定|正文。|中共青山镇委员会      青山镇人民政府|二〇二二年五月十八日",
                Some("中共青山镇委员会、青山镇人民政府"),
                None,
            ),
            (
                "决定|正文。|中共青山镇委员会    青山镇人民政府    2022年5月18日",
                Some("中共青山镇委员会、青山镇人民政府"),
                None,
            ),
            (
                "报告|正文。|青山镇安全生产委员会办公室|2023年1月9日",
                Some("青山镇安全生产委员会办公室"),
                None,
            ),
            ("报告|正文。|青山镇党委|2023年1月9日", Some("青山镇党委"), None),
            (
                "报告|正文。|青山镇第一中学|2023年1月9日",
                Some("青山镇第一中学"),
                None,
            ),
            (
                "总结|正文。|青山镇人民政府\t2023年4月6日",
                Some("青山镇人民政府"),
                None,
            ),
            // Not an issuer: a person, a sentence, the printing office, a title.
            ("述职报告|正文。|王五|2021年3月2日", None, None),
            ("报告|正文。|特此报告。|2021年3月2日", None, None),
            ("纪要|正文。|青山镇党政办公室 2023年5月8日印发", None, None),
            ("纪要|正文。|青山镇党政办公室\t2023年5月8日\t印发", None, None),
            (
                "青山镇人民政府  文 件|青政发〔2023〕12号|通知|正文。",
                Some("青山镇人民政府"),
                Some("青政发〔2023〕12号"),
            ),
            ("报告|正文。|关于开展检查的通知|2021年3月2日", None, None),
            ("报告|正文。|青山镇人民政府", None, None),
            ("青山镇人民政府|关于某事的报告|正文。", None, None),
            ("青山镇2023年工作总结|正文。", None, None),
            // A number cited in the body is not the document's.
            (
                "通知|根据《关于加强管理的通知》（青政发〔2022〕3号）要求，|正文。",
                None,
                None,
            ),
            ("通知|正文。|青政发〔2022〕3号", None, None),
            // A 纪要's number under its title; distribution marks above a red head.
            (
                "石门镇专题会议纪要|云府纪(2023)11号|正文。",
                None,
                Some("云府纪〔2023〕11号"),
            ),
            (
                "内部资料 注意保存|平急|云溪县人民政府文件|云政复(2022)15号|─────|批复|正文。",
                Some("云溪县人民政府"),
                Some("云政复〔2022〕15号"),
            ),
        ];
        for (doc, issuer, number) in cases {
            let got = read(doc, "");
            assert_eq!(got.issuer.as_deref(), *issuer, "issuer of {doc}");
            assert_eq!(got.doc_number.as_deref(), *number, "number of {doc}");
        }
    }

    #[test]
    fn secrecy_marks() {
        for (doc, want) in [
            ("秘密★1年|青山镇人民政府文件|青政发〔2023〕3号|通知", Some("秘密")),
            ("机密★长期|青山镇人民政府文件|通知", Some("机密")),
            ("密级：绝密|通知", Some("绝密")),
            ("青山镇人民政府文件|通知|正文涉及秘密事项。", None),
            ("通知|正文。", None),
        ] {
            assert_eq!(read(doc, "").secrecy.as_deref(), want, "{doc}");
        }
    }

    #[test]
    fn a_forwarding_notice_is_dated_by_its_own_signature() {
        let doc = "云溪县农业农村局文件|云农发〔2022〕9号|关于转发《贵州省人民政府办公厅关于做好示范村创建工作的通知》的通知|各乡镇：|现将文件转发给你们，请认真贯彻落实。|云溪县农业农村局|2022年7月1日|贵州省人民政府办公厅关于做好示范村创建工作的通知|各市、自治州人民政府：|正文。|正文。|贵州省人民政府办公厅|2022年6月17日|抄送：县政府办|云溪县农业农村局办公室 2022年7月3日印发";
        let title = "关于转发《贵州省人民政府办公厅关于做好示范村创建工作的通知》的通知";
        let got = read(doc, title);
        assert_eq!(got.date.map(|d| d.to_string()).as_deref(), Some("2022-07-01"));
        assert_eq!(got.issuer.as_deref(), Some("云溪县农业农村局"));
        // The forwarded document set with its own red head.
        let doc = "云溪县农业农村局文件|云农发〔2022〕9号|转发通知|各乡镇：|请贯彻落实。|云溪县农业农村局|2022年7月1日|贵州省人民政府办公厅文件|黔府办发〔2022〕5号|通知|正文。|贵州省人民政府办公厅|2022年6月17日";
        assert_eq!(
            read(doc, "转发通知").date.map(|d| d.to_string()).as_deref(),
            Some("2022-07-01")
        );
        assert!(forwarded_titles("关于印发方案的通知").is_empty());
        assert_eq!(
            forwarded_titles("关于转发《县政府关于防汛的通知》的通知"),
            ["县政府关于防汛的通知", "关于防汛的通知"]
        );
    }

    #[test]
    fn speech_dates_without_brackets_only_for_speeches() {
        let doc = "在全镇安全生产工作会议上的讲话|2021年6月10日|同志们：|正文。|".to_string()
            + &"正文。|".repeat(20);
        let date = |title: &str| read(&doc, title).date.map(|d| d.to_string());
        assert_eq!(
            date("在全镇安全生产工作会议上的讲话").as_deref(),
            Some("2021-06-10")
        );
        assert_eq!(date("安全生产工作情况"), None);
    }

    #[test]
    fn red_heads_set_in_the_page_header() {
        assert_eq!(
            red_head_in_header(&["青山镇人民政府文件"]).as_deref(),
            Some("青山镇人民政府")
        );
        assert_eq!(
            red_head_in_header(&["中共青山镇委员会  青山镇人民政府  文件"]).as_deref(),
            Some("中共青山镇委员会、青山镇人民政府")
        );
        assert_eq!(red_head_in_header(&["青山镇人民政府"]), None, "a running header");
        assert_eq!(red_head_in_header(&["第 1 页"]), None);
    }

    #[test]
    fn kind_comes_from_the_title() {
        let got = read(
            "青山镇人民政府文件|青政发〔2023〕12号|关于印发方案的通知|正文。",
            "关于印发方案的通知",
        );
        assert_eq!(got.kind.as_deref(), Some("通知"));
        assert_eq!(read("正文。", "档案室工作笔记").kind, None);
    }

    #[test]
    fn number_keys_alike_whatever_the_brackets() {
        for typed in [
            "[2023]12号",
            "［2023］12号",
            "(2023)12号",
            "（2023）12号",
            "〔2023〕 12号",
        ] {
            assert_eq!(number_key(typed), "〔2023〕12号", "{typed}");
        }
    }

    #[test]
    fn closing_line_found_before_attachments_and_colophons() {
        let paras = [
            "正文。",
            "XX镇人民政府",
            "二〇二二年十二月五日",
            "附件：1.统计表",
            "2.名单",
            "",
            "抄送：县政府办",
        ];
        let year = |paras: &[&str]| document_date(paras, RANGE).map(|d| d.year);
        assert_eq!(year(&paras), Some(2022));
        let long_tail: Vec<String> = (0..20).map(|i| format!("第{i}项")).collect();
        let mut paras: Vec<&str> = vec!["2021年1月1日"];
        paras.extend(long_tail.iter().map(String::as_str));
        assert_eq!(year(&paras), None, "too far from the end");
    }

    #[test]
    fn a_speech_date_under_the_title_gives_the_report_year() {
        let mut lines: Vec<&str> = vec![
            "在全县经济工作会议上的讲话",
            "（二〇一九年十一月十六日，在全县经济工作会议上）",
            "同志们：",
        ];
        let long_body = ["今年以来，全县经济运行总体平稳。"; 30];
        lines.extend(long_body);
        lines.push("谢谢大家！");
        let inputs = YearInputs {
            title: "在全县经济工作会议上的讲话",
            file_name: "讲话.docx",
            date: document_date(&lines, RANGE),
            created: Some("2021-01-01T00:00:00Z"),
        };
        let got = report_year(inputs, RANGE).map(|r| (r.year, r.source));
        assert_eq!(got, Some((2019, crate::year::YearSource::Signature)));
        // A closing date line comes first, as for the document's date.
        let mut closed = lines.clone();
        closed.push("2018年11月18日");
        let inputs = YearInputs {
            date: document_date(&closed, RANGE),
            ..inputs
        };
        let got = report_year(inputs, RANGE).map(|r| r.year);
        assert_eq!(got, Some(2018));
        let inline = ["在全县经济工作会议上的讲话（2018年1月5日）", "同志们："];
        let inputs = YearInputs {
            date: document_date(&inline, RANGE),
            ..inputs
        };
        assert_eq!(report_year(inputs, RANGE).map(|r| r.year), Some(2018));
        // A bracketed date in passing deep in the body is no speech date.
        let mut deep: Vec<&str> = vec!["同志们："; 12];
        deep.push("（2017年3月1日）");
        deep.extend(long_body);
        let inputs = YearInputs {
            date: document_date(&deep, RANGE),
            ..inputs
        };
        assert_eq!(report_year(inputs, RANGE).map(|r| r.year), Some(2021));
    }
}
