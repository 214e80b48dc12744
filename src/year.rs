//! The contract's title and report-year rules, as pure functions over extracted text.
//!
//! Title: a paragraph styled or hand-formatted as a title among the opening ones (red-head
//! lines skipped, captions never, nothing after the body has begun), else a meaningful
//! `dc:title`, else a short first paragraph, else the file name.
//! Report year: in the title, else in the file name, else the closing date line or a
//! speech's date line under its title, else core.xml `created`, else none. File times are
//! never used.

use serde::Serialize;

use crate::date::DocDate;
use crate::extract::Paragraph;

/// Where a report year came from, as `extract --json` names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum YearSource {
    /// A year in the title ([`year_in_title`]).
    Title,
    /// A year in the file name ([`year_in_file_name`]).
    Filename,
    /// The year of the document's date ([`YearInputs::date`]): the closing date line, else
    /// a speech's date line under its title, else the printing line.
    Signature,
    /// The year of the `created` property ([`created_year`]).
    Created,
}

impl YearSource {
    /// The lower-case name `extract --json` and the index use (`title`, `filename`,
    /// `signature`, `created`).
    pub fn as_str(self) -> &'static str {
        match self {
            YearSource::Title => "title",
            YearSource::Filename => "filename",
            YearSource::Signature => "signature",
            YearSource::Created => "created",
        }
    }
}

/// A report year and the rule that found it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReportYear {
    /// The year, within the [`YearRange`] the rules were given.
    pub year: i32,
    /// The rule that found it.
    pub source: YearSource,
}

/// The earliest and latest years accepted (the latest is next year, so a plan written in
/// December for the coming year counts).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct YearRange {
    /// The earliest year accepted, inclusive.
    pub min: i32,
    /// The latest year accepted, inclusive.
    pub max: i32,
}

impl YearRange {
    /// 1900 to next year by the system clock.
    pub fn current() -> Self {
        YearRange {
            min: 1900,
            max: crate::date::current_year() + 1,
        }
    }

    fn contains(self, year: i32) -> bool {
        (self.min..=self.max).contains(&year)
    }
}

/// The inputs of the report-year rules.
#[derive(Debug, Clone, Copy)]
pub struct YearInputs<'a> {
    /// The title the title rules chose.
    pub title: &'a str,
    /// The file name, extension included (`2023年工作总结.docx`).
    pub file_name: &'a str,
    /// The document's date by the contract's date rules (the closing date line, else a
    /// speech's date under its title, else the printing line's date).
    pub date: Option<DocDate>,
    /// core.xml `dcterms:created` (`2023-12-05T08:00:00Z`).
    pub created: Option<&'a str>,
}

/// The report year by the contract's precedence.
pub fn report_year(inputs: YearInputs<'_>, range: YearRange) -> Option<ReportYear> {
    let found = |year: Option<i32>, source| year.map(|year| ReportYear { year, source });
    found(year_in_title(inputs.title, range), YearSource::Title)
        .or_else(|| found(year_in_file_name(inputs.file_name, range), YearSource::Filename))
        .or_else(|| {
            let year = inputs.date.map(|d| d.year).filter(|&y| range.contains(y));
            found(year, YearSource::Signature)
        })
        .or_else(|| found(created_year(inputs.created, range), YearSource::Created))
}

const CN_DIGITS: [char; 10] = ['〇', '一', '二', '三', '四', '五', '六', '七', '八', '九'];

/// A digit's value, for Arabic (half- and full-width) digits.
fn arabic_digit(c: char) -> Option<u32> {
    match c {
        '0'..='9' => Some(c as u32 - '0' as u32),
        '０'..='９' => Some(c as u32 - '０' as u32),
        _ => None,
    }
}

/// A digit's value in a Chinese-numeral year (`〇`, `零`, `O` and `o` are zero).
fn chinese_digit(c: char) -> Option<u32> {
    match c {
        '零' | 'O' | 'o' | 'Ｏ' | '○' | '0' | '０' => Some(0),
        _ => CN_DIGITS.iter().position(|&d| d == c).map(|p| p as u32),
    }
}

/// Characters after a number that make it a quantity, not a year.
const UNITS: &[char] = &[
    '亩', '元', '万', '亿', '千', '百', '个', '人', '户', '米', '名', '件', '次', '项', '吨', '台', '份',
    '%', '％', '多', '余', '平', '公', '株', '头', '只', '套', '辆', '座', '条', '家', '所', '间', '张',
    '本', '册', '页', '字', '天', '斤', '克', '升', '度', '号', 'm', 'k',
];

/// A year candidate in a run of text: its value and where it ends (char index).
#[derive(Debug, Clone, Copy)]
struct Candidate {
    year: i32,
    end: usize,
    followed_by_nian: bool,
}

/// `.5万元` after a number: it was a decimal quantity, not a year (`2023.12` stays a date).
fn is_decimal_quantity(after: &[char]) -> bool {
    let [sep, rest @ ..] = after else { return false };
    if !matches!(sep, '.' | '．') {
        return false;
    }
    let digits = rest.iter().take_while(|c| arabic_digit(**c).is_some()).count();
    digits > 0 && rest.get(digits).is_some_and(|c| UNITS.contains(c))
}

/// Every four-digit year-looking run in `chars`, Arabic or Chinese numerals.
fn candidates(chars: &[char], range: YearRange) -> Vec<Candidate> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let arabic = arabic_digit(chars[i]).is_some();
        let chinese = !arabic && chinese_digit(chars[i]).is_some();
        if !arabic && !chinese {
            i += 1;
            continue;
        }
        let digit = |c: char| {
            if arabic { arabic_digit(c) } else { chinese_digit(c) }
        };
        let start = i;
        let mut value: u32 = 0;
        while i < chars.len() {
            let Some(d) = digit(chars[i]) else { break };
            value = value.saturating_mul(10).saturating_add(d);
            i += 1;
        }
        let len = i - start;
        let next = chars.get(i).copied();
        let prev = start.checked_sub(1).map(|p| chars[p]);
        let followed_by_nian = next == Some('年');
        let year = value as i32;
        let ok = len == 4
            && range.contains(year)
            // `GB2023`, `第2023号`: a code or an ordinal.
            && !prev.is_some_and(|c| c.is_ascii_alphabetic() || c == '第')
            // Chinese numerals are years only as `二〇二三年`.
            && (arabic || followed_by_nian)
            && !next.is_some_and(|c| UNITS.contains(&c))
            && !is_decimal_quantity(&chars[i..]);
        if ok {
            out.push(Candidate {
                year,
                end: i,
                followed_by_nian,
            });
        }
    }
    out
}

/// The year a text names: the first candidate, or the end of a range that starts there
/// (`2022—2023年度`, `2022-2023学年`, `2022至2023年`).
fn first_year(text: &str, range: YearRange) -> Option<i32> {
    let chars: Vec<char> = text.chars().collect();
    let found = candidates(&chars, range);
    let first = found.first()?;
    if let Some(second) = found.get(1) {
        let between: String = chars[first.end..second.end - 4].iter().collect();
        let between = between.trim();
        let is_range = matches!(
            between.trim_start_matches('年'),
            "-" | "—" | "–" | "－" | "~" | "～" | "至" | "到" | "－－" | "——" | "/"
        );
        if is_range && second.year >= first.year {
            return Some(second.year);
        }
    }
    Some(first.year)
}

/// A year in a title: Arabic or Chinese numerals, ranges counting as their last year.
///
/// ```
/// use dangan::year::{YearRange, year_in_title};
/// let range = YearRange { min: 1900, max: 2027 };
/// assert_eq!(year_in_title("二〇二三年青山镇工作总结", range), Some(2023));
/// assert_eq!(year_in_title("2022—2023年度自查报告", range), Some(2023));
/// assert_eq!(year_in_title("新建2050亩高标准农田", range), None);
/// ```
pub fn year_in_title(title: &str, range: YearRange) -> Option<i32> {
    first_year(title, range)
}

/// A year in a file name (extension dropped), with any separators around it.
pub fn year_in_file_name(file_name: &str, range: YearRange) -> Option<i32> {
    let stem = match file_name.rsplit_once('.') {
        Some((stem, ext))
            if !ext.is_empty() && ext.len() <= 5 && ext.chars().all(|c| c.is_ascii_alphanumeric()) =>
        {
            stem
        }
        _ => file_name,
    };
    first_year(stem, range)
}

/// The year of a speech's date line: a date wrapped whole in brackets, full- or
/// half-width (`（二〇一九年十一月十六日）`, `(2019年11月16日)`), possibly with where the
/// speech was given after it (`（2019年11月16日，在全县经济工作会议上）`).
///
/// ```
/// use dangan::year::{YearRange, speech_date_line_year};
/// let range = YearRange { min: 1900, max: 2027 };
/// assert_eq!(speech_date_line_year("（二〇一九年十一月十六日）", range), Some(2019));
/// assert_eq!(speech_date_line_year("(2019年11月16日，在全县经济工作会议上)", range), Some(2019));
/// assert_eq!(speech_date_line_year("2019年11月16日", range), None);
/// ```
pub fn speech_date_line_year(line: &str, range: YearRange) -> Option<i32> {
    speech_date_line(line, range).map(|d| d.year)
}

/// The date of a speech's date line ([`speech_date_line_year`] says which), as precise as
/// written.
pub fn speech_date_line(line: &str, range: YearRange) -> Option<DocDate> {
    let compact: String = line.chars().filter(|c| !c.is_whitespace()).collect();
    let inner = compact
        .strip_prefix(['（', '('])
        .and_then(|s| s.strip_suffix(['）', ')']))?;
    if inner.contains(['（', '(', '）', ')']) || inner.chars().count() > 60 {
        return None;
    }
    let whole_date = |text: &str| date_line(text, range).filter(|d| !d.printed);
    if let Some(line) = whole_date(inner) {
        return Some(line.date);
    }
    // A date, then where: `2019年11月16日，在…会议上`, `2019年11月16日在…`.
    let month = inner.find('月')?;
    let day_end = inner[month..]
        .find(['日', '号'])
        .map(|at| month + at + '日'.len_utf8())?;
    let (date, place) = inner.split_at(day_end);
    let place_ok = place
        .strip_prefix(['，', ',', '、', '；', ';'])
        .unwrap_or(place)
        .starts_with(['在', '于']);
    if place_ok {
        whole_date(date).map(|d| d.date)
    } else {
        None
    }
}

/// A paragraph's text without a speech's date line at its end, and that date line: the
/// date under a title set in the same paragraph (after a line break) or right after it
/// (`在全县经济工作会议上的讲话（2019年11月16日）`). A line that is only the date line
/// gives an empty text.
fn split_speech_date(text: &str) -> (&str, Option<&str>) {
    let t = text.trim();
    // Titles are short; a long paragraph is not looked into.
    if t.len() > 4 * 3 * TITLE_MAX_CHARS || !t.ends_with(['）', ')']) {
        return (t, None);
    }
    let Some(open) = t.rfind(['（', '(']) else {
        return (t, None);
    };
    let (before, date) = t.split_at(open);
    let before = before.trim_end();
    let Some(when) = speech_date_line(date, YearRange { min: 1000, max: 9999 }) else {
        return (t, None);
    };
    // `…台账（2022年7月）` names its period: a month after a title that is not a speech
    // is part of the title.
    let speech = ["讲话", "致辞", "发言", "讲稿"]
        .iter()
        .any(|k| before.ends_with(k));
    if is_sentence(before)
        || before.chars().count() > 2 * TITLE_MAX_CHARS
        || (!before.is_empty() && when.day.is_none() && !speech)
    {
        return (t, None);
    }
    (before, Some(date))
}

/// A line that is a date, as [`date_line`] reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateLine {
    /// The date, as precise as written (an impossible day dropped).
    pub date: DocDate,
    /// What stands before the date on the line, white space removed (a signature
    /// `青山镇人民政府`, a label `日期：`), empty when the line is only the date.
    pub before: String,
    /// The line is a printing line (`…2023年12月5日印发`), the colophon of an official
    /// document, not its signature date.
    pub printed: bool,
}

/// The year of a line that is a date: `2023年12月5日`, `二〇二三年十二月五日`, `2023年12月`,
/// `2023.12.05`, `2023-12-5`, `2023/12/5`, possibly after a short signature on the same line,
/// wrapped in brackets, or followed by `印发`/`发布` (the colophon of an official document).
pub fn date_line_year(line: &str, range: YearRange) -> Option<i32> {
    date_line(line, range).map(|d| d.date.year)
}

/// A line that is a date ([`date_line_year`] says which), read whole: the date as precise
/// as written, what stands before it, and whether it is a printing line.
///
/// ```
/// use dangan::year::{YearRange, date_line};
/// let range = YearRange { min: 1900, max: 2027 };
/// let line = date_line("青山镇人民政府 二〇二三年十二月五日", range).unwrap();
/// assert_eq!(line.date.to_string(), "2023-12-05");
/// assert_eq!(line.before, "青山镇人民政府");
/// assert_eq!(date_line("2023年2月30日", range).unwrap().date.to_string(), "2023-02");
/// assert!(date_line("党政办公室 2023年12月6日印发", range).unwrap().printed);
/// ```
pub fn date_line(line: &str, range: YearRange) -> Option<DateLine> {
    let compact: String = line.chars().filter(|c| !c.is_whitespace()).collect();
    // A weekday or a seal note after the date: `2023年9月1日星期五`, `…日（印章）`.
    let compact = strip_date_remarks(&compact);
    let compact = compact.trim_matches(|c| matches!(c, '（' | '）' | '(' | ')'));
    let (compact, printed) = match compact
        .strip_suffix("印发")
        .or_else(|| compact.strip_suffix("印"))
    {
        Some(rest) => (rest, true),
        None => (compact.strip_suffix("发布").unwrap_or(compact), false),
    };
    if compact.chars().count() > 40 {
        return None;
    }
    let chars: Vec<char> = compact.chars().collect();
    let found = candidates(&chars, range);
    let last = found.last()?;
    let rest: String = chars[last.end..].iter().collect();
    let before: String = chars[..last.end - 4].iter().collect();
    let dated = |month: u32, day: Option<u32>| {
        Some(DateLine {
            date: DocDate::new(last.year, Some(month), day),
            before: before.clone(),
            printed,
        })
    };
    if last.followed_by_nian {
        // After `年`: a month and `月`, then a day and `日`/`号`, and nothing else.
        let (month, day) =
            rest[rest.char_indices().nth(1).map_or(rest.len(), |(i, _)| i)..].split_once('月')?;
        let month = small_number(month).filter(|m| (1..=12).contains(m))?;
        if day.is_empty() {
            return dated(month, None);
        }
        let day = day
            .strip_suffix('日')
            .or_else(|| day.strip_suffix('号'))
            .and_then(small_number)
            .filter(|d| (1..=31).contains(d))?;
        return dated(month, Some(day));
    }
    // `2023.12.05`, `2023-12-5`, `2023/12/5`, `2023.12`: the date must end the line, and
    // not continue a longer number (`0851-2023-12` is a telephone number).
    let head = &chars[..last.end - 4];
    if let [.., d, sep] = head
        && arabic_digit(*d).is_some()
        && matches!(sep, '.' | '-' | '/' | '．' | '－')
    {
        return None;
    }
    let mut parts = rest.split(['.', '-', '/', '．', '－']);
    let (Some(""), Some(month)) = (parts.next(), parts.next()) else {
        return None;
    };
    let day = parts.next();
    let month = small_number(month).filter(|m| (1..=12).contains(m))?;
    let day = match day {
        Some(d) => Some(small_number(d).filter(|d| (1..=31).contains(d))?),
        None => None,
    };
    if parts.next().is_some() || found.len() != 1 {
        return None;
    }
    dated(month, day)
}

fn strip_date_remarks(line: &str) -> &str {
    let mut line = line;
    for remark in ["（印章）", "（盖章）", "(盖章)", "(印章)", "（章）"] {
        line = line.strip_suffix(remark).unwrap_or(line);
    }
    for prefix in ["星期", "礼拜", "周"] {
        if let Some(at) = line.rfind(prefix) {
            let day = &line[at + prefix.len()..];
            if matches!(day, "一" | "二" | "三" | "四" | "五" | "六" | "日" | "天") {
                line = &line[..at];
            }
        }
    }
    line
}

/// `12`, `１２`, `十二`, `二十五`, `三十一`, `〇五` → the number.
fn small_number(s: &str) -> Option<u32> {
    if s.is_empty() || s.chars().count() > 3 {
        return None;
    }
    if s.chars().all(|c| arabic_digit(c).is_some()) {
        return s.chars().try_fold(0, |acc, c| Some(acc * 10 + arabic_digit(c)?));
    }
    let chars: Vec<char> = s.chars().collect();
    match chars.as_slice() {
        ['十'] => Some(10),
        ['十', u] => Some(10 + chinese_digit(*u)?),
        [t, '十'] => Some(10 * chinese_digit(*t)?),
        [t, '十', u] => Some(10 * chinese_digit(*t)? + chinese_digit(*u)?),
        [u] => chinese_digit(*u),
        [t, u] => Some(10 * chinese_digit(*t)? + chinese_digit(*u)?),
        _ => None,
    }
}

/// The year of core.xml `created`, if it is a plausible year.
pub fn created_year(created: Option<&str>, range: YearRange) -> Option<i32> {
    let year: i32 = created?.trim().get(..4)?.parse().ok()?;
    range.contains(year).then_some(year)
}

// ---------------------------------------------------------------------------------------
// Titles.

/// A line without its white space, when it has at most `max` other characters.
fn compact(text: &str, max: usize) -> Option<String> {
    let t: String = text
        .chars()
        .filter(|c| !c.is_whitespace())
        .take(max + 1)
        .collect();
    (t.chars().count() <= max).then_some(t)
}

/// Red-head lines of an official document, and other lines that are never the title.
/// Only the first few characters are copied: paragraphs can be pages long.
fn is_red_head_or_noise(text: &str) -> bool {
    let head: String = text.chars().filter(|c| !c.is_whitespace()).take(31).collect();
    if head.is_empty() {
        return true;
    }
    // The whole line, when it is short.
    if head.chars().count() <= 30 && (head.ends_with("文件") || is_document_number(&head)) {
        return true;
    }
    const MARKERS: &[&str] = &[
        "签发人",
        "密级",
        "特急",
        "加急",
        "平急",
        "机密",
        "秘密",
        "绝密",
        "★",
        "编号：",
    ];
    if MARKERS.iter().any(|m| head.starts_with(m)) {
        return true;
    }
    // `附件`, `附件1`, `附件2：` heading an attachment (white space is neither letter nor
    // digit, so the text after `件` can be read as it is).
    if head.starts_with("附件")
        && let Some(at) = text.find('件')
        && text[at + '件'.len_utf8()..]
            .chars()
            .all(|c| !c.is_alphabetic() || c.is_ascii_digit())
    {
        return true;
    }
    // Rules and decorations: a line of dashes, stars or underscores.
    text.chars().all(|c| !c.is_alphanumeric())
}

/// A line that is a date, never a title: the date alone or after a short signature; a
/// title that ends in its period (`…台账（2023年1月）`) is not one.
fn is_date_line(text: &str) -> bool {
    date_line(text, YearRange { min: 1000, max: 9999 })
        .is_some_and(|d| d.before.chars().count() <= 12 && !d.before.contains(['（', '(']))
}

/// `X政发〔2023〕12号`, `[2023]12号`, `（2023）12号`.
fn is_document_number(t: &str) -> bool {
    // `云政发〔2023〕135号  签发人：杨秀英`: the number with its signer on one line.
    let t = t.find("签发人").map_or(t, |at| t[..at].trim_end());
    let chars: Vec<char> = t.chars().collect();
    if !t.ends_with('号') || chars.len() > 30 {
        return false;
    }
    chars.windows(6).any(|w| {
        matches!(w[0], '〔' | '[' | '［' | '（' | '(' | '【')
            && w[1..5].iter().all(|&c| arabic_digit(c).is_some())
            && matches!(w[5], '〕' | ']' | '］' | '）' | ')' | '】')
    })
}

/// Sentence-ending punctuation: a line ending so is text, not a title.
fn is_sentence(text: &str) -> bool {
    let t = text.trim();
    t.contains('。') || t.ends_with(['！', '？', '；', '：', '!', '?', ';', ':', '，', ','])
}

fn is_title_style(p: &Paragraph) -> bool {
    if p.outline_level == Some(0) {
        return true;
    }
    let Some(style) = &p.style else { return false };
    let name: String = style
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_lowercase();
    matches!(
        name.as_str(),
        "title" | "heading1" | "标题" | "标题1" | "1" | "主标题" | "文档标题"
    )
}

const TITLE_MAX_CHARS: usize = 60;

/// `（2023年12月5日）`-style lines wrapped whole in brackets.
fn is_bracketed(text: &str) -> bool {
    let t = text.trim();
    (t.starts_with('（') && t.ends_with('）')) || (t.starts_with('(') && t.ends_with(')'))
}

/// Whether a `dc:title` is a producer's placeholder rather than a real title: a
/// producer's default, or a file name (`报告.docx`, a path), which a PDF printer writes.
pub fn is_placeholder_title(title: &str) -> bool {
    let t = title.trim();
    let lower = t.to_lowercase();
    const FILE_ENDINGS: &[&str] = &[
        ".doc", ".docx", ".wps", ".pdf", ".txt", ".xls", ".xlsx", ".et", ".ppt", ".pptx", ".dps", ".odt",
        ".ofd", ".rtf",
    ];
    t.is_empty()
        || FILE_ENDINGS.iter().any(|ending| lower.ends_with(ending))
        || t.contains('\\')
        || t.starts_with('/')
        || lower.starts_with("microsoft word - ")
        || lower.starts_with("untitled")
        || lower.starts_with("document")
        || lower == "title"
        || t.starts_with("无标题")
        || t.starts_with("未命名")
        || t.starts_with("新建 Microsoft Word")
        || t.starts_with("新建Microsoft Word")
        || t == "标题"
        || t == "PowerPoint 演示文稿"
        || (t.starts_with("文档") && t["文档".len()..].chars().all(|c| c.is_ascii_digit()))
        || (lower.starts_with("doc") && lower[3..].chars().all(|c| c.is_ascii_digit()))
}

/// How many leading non-empty paragraphs may hold the title.
const TITLE_SEARCH_PARAGRAPHS: usize = 8;

/// Words a Chinese document title ends with: the kind of document.
const DOCUMENT_KINDS: &[&str] = &[
    "总结",
    "报告",
    "方案",
    "通知",
    "讲话",
    "意见",
    "办法",
    "规定",
    "计划",
    "要点",
    "决定",
    "请示",
    "函",
    "纪要",
    "制度",
    "细则",
    "预案",
    "规划",
    "汇报",
    "发言",
    "材料",
    "说明",
    "简报",
    "通报",
    "公告",
    "批复",
    "通告",
    "决议",
    "条例",
    "守则",
    "章程",
    "提纲",
    "清单",
    "台账",
    "名单",
    "汇编",
    "情况",
    "建议",
    "倡议书",
    "承诺书",
];

/// `一、`, `（一）`, `1.`, `1、`, `第一章`, `第二部分`: a numbered heading inside the text.
fn is_numbered_heading(text: &str) -> bool {
    let t = text.trim_start();
    let mut chars = t.chars();
    let Some(first) = chars.next() else { return false };
    let numeral = |c: char| "一二三四五六七八九十".contains(c) || arabic_digit(c).is_some();
    if first == '（' || first == '(' {
        return chars.next().is_some_and(numeral);
    }
    if first == '第' {
        let rest: String = chars.take(6).collect();
        return rest.chars().next().is_some_and(numeral) && rest.contains(['章', '节', '部', '条', '篇']);
    }
    if numeral(first) {
        let after: String = t.chars().skip_while(|&c| numeral(c)).take(1).collect();
        return matches!(after.as_str(), "、" | "." | "．" | "，");
    }
    false
}

/// A table or figure caption, never a title however it is formatted: `表3  安全生产工作情况
/// 统计表`, `图1 …`, `附表2：…`, `续表`, `表3-1`, `表一 …`, `Table 2 …`, `Figure 1 …`.
fn is_caption(text: &str) -> bool {
    let t = text.trim_start();
    let numeral = |c: char| "一二三四五六七八九十".contains(c);
    let separator = |c: char| c.is_whitespace() || matches!(c, '：' | ':' | '、' | '.' | '．');
    // `附表`, `附图` and `续表` are captions with or without a number.
    if let Some(rest) = ["附表", "附图", "续表"].iter().find_map(|p| t.strip_prefix(p)) {
        return rest
            .chars()
            .next()
            .is_none_or(|c| separator(c) || numeral(c) || arabic_digit(c).is_some());
    }
    let rest = if let Some(rest) = t.strip_prefix(['表', '图']) {
        rest
    } else if let Some(rest) = ["table", "figure", "fig."].iter().find_map(|p| {
        t.get(..p.len())
            .filter(|head| head.eq_ignore_ascii_case(p))
            .map(|_| &t[p.len()..])
    }) {
        rest
    } else {
        return false;
    };
    let rest = rest.trim_start();
    // `表3 …`, `表3-1`, `图2.1`: a number, whatever follows it.
    if rest.chars().next().is_some_and(|c| arabic_digit(c).is_some()) {
        return true;
    }
    // `表一 …`: a Chinese numeral only before a separator (`图一览` is no caption).
    let numerals = rest.chars().take_while(|&c| numeral(c)).count();
    numerals > 0 && rest.chars().nth(numerals).is_none_or(separator)
}

/// Whether the body has begun at a paragraph (`text`, followed by `next`): nothing from
/// there on is the title. The body begins with body text ([`is_body_text`]), or with an
/// addressee (`各村（社区）：`) or a salutation (`同志们：`) that body text follows — a
/// label in a form (`人员信息：` above `姓名：张三`) does not begin it.
fn begins_body(text: &str, next: Option<&str>) -> bool {
    let t = text.trim();
    if t.ends_with(['：', ':']) && !t.contains('。') {
        return next.is_some_and(is_body_text);
    }
    is_body_text(t)
}

/// Text that is never in a title: a sentence (`。`, or ending with `！？；，`, or an English
/// sentence's `.`), a paragraph longer than any title, or a caption (a table or figure
/// stands in the body).
fn is_body_text(text: &str) -> bool {
    let t = text.trim();
    t.contains('。')
        || t.ends_with(['！', '？', '；', '，', '!', '?', ';', ','])
        || (t.ends_with('.') && t.contains(' '))
        || t.chars().take(2 * TITLE_MAX_CHARS + 1).count() > 2 * TITLE_MAX_CHARS
        || is_caption(t)
}

/// Whether `text`, a paragraph's text without a speech's date line, can be the title by
/// rule 1: styled or formatted as a title, and not a numbered heading, a caption or a date.
fn is_title_candidate(p: &Paragraph, text: &str) -> bool {
    let len = text.chars().count();
    let styled = is_title_style(p) && len <= 2 * TITLE_MAX_CHARS;
    let formatted =
        (p.bold || p.centered) && len <= TITLE_MAX_CHARS && !is_sentence(text) && !is_bracketed(text);
    len > 0 && (styled || formatted) && !is_numbered_heading(text) && !is_caption(text) && !is_date_line(text)
}

/// The document's title by the contract's rules.
///
/// Rule 1 looks at the opening paragraphs after the red head, up to where the body begins
/// (a sentence, a long paragraph, a caption, or an addressee with the body after it): a
/// bold line deep in the text is a heading, not the title, and a caption is never one. A
/// speech's date line under the title is never part of it.
pub fn title(paragraphs: &[Paragraph], core_title: Option<&str>, file_stem: &str) -> String {
    let leading: Vec<&Paragraph> = paragraphs
        .iter()
        .filter(|p| !p.text.trim().is_empty())
        .take(TITLE_SEARCH_PARAGRAPHS + 4)
        .collect();
    // The red head of an official document runs to its document number.
    let number_at = leading
        .iter()
        .take(6)
        .rposition(|p| compact(&p.text, 30).is_some_and(|t| is_document_number(&t)));
    // A joint red head may set its number in a table: its `文件` line ends it too.
    let wenjian_at = leading
        .iter()
        .take(6)
        .rposition(|p| compact(&p.text, 30).is_some_and(|t| t.ends_with("文件")));
    let body_start = number_at.max(wenjian_at).map_or(0, |i| i + 1);
    let ends_as_title = |t: &str| DOCUMENT_KINDS.iter().any(|k| t.trim_end().ends_with(k));
    // Above the number only a title (a 纪要 puts its number under it), never the offices.
    let above_number = leading[..number_at.unwrap_or(0)]
        .iter()
        .filter(|p| ends_as_title(&p.text));
    let opening: Vec<(&Paragraph, &str)> = above_number
        .chain(&leading[body_start..])
        .filter(|p| !is_red_head_or_noise(&p.text))
        .take(TITLE_SEARCH_PARAGRAPHS)
        .map(|&p| (p, split_speech_date(&p.text).0))
        .collect();
    for (i, &(p, first)) in opening.iter().enumerate() {
        if !is_title_candidate(p, first) {
            if begins_body(first, opening.get(i + 1).map(|&(_, next)| next)) {
                break;
            }
            continue;
        }
        // A long title set on two lines: join when only the second ends like a title.
        if let Some(&(_, next)) = opening
            .get(i + 1)
            .filter(|&&(n, text)| is_title_candidate(n, text) && n.centered == p.centered)
        {
            let joined = format!("{first}{next}");
            if !ends_as_title(first)
                && ends_as_title(&joined)
                && joined.chars().count() <= 2 * TITLE_MAX_CHARS
            {
                return clean_title(&joined);
            }
        }
        return clean_title(first);
    }
    if let Some(t) = core_title.filter(|t| !is_placeholder_title(t)) {
        return clean_title(t);
    }
    // The first paragraph after the red head (an office's name above the number line is
    // not the title).
    if let Some(first) = leading[..number_at.unwrap_or(0)]
        .iter()
        .filter(|p| ends_as_title(&p.text))
        .chain(&leading[body_start..])
        .map(|p| p.text.trim())
        .find(|t| !t.is_empty() && !is_red_head_or_noise(t))
        .map(|t| split_speech_date(t).0)
        && !first.is_empty()
        && first.chars().count() <= 40
        && !is_sentence(first)
        && !is_numbered_heading(first)
        && !is_caption(first)
        && !is_date_line(first)
    {
        return clean_title(first);
    }
    file_stem.to_string()
}

fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x3FFFF)
        || matches!(c, '\u{3000}'..='\u{303F}' | '\u{FF00}'..='\u{FFEF}')
}

/// Trims a title and drops white space used for spacing between Chinese characters
/// (`工 作 总 结` → `工作总结`); other runs of white space become one space.
pub fn clean_title(text: &str) -> String {
    let chars: Vec<char> = text.trim().chars().collect();
    // The length of the run of non-space characters ending before `end` / starting at `start`.
    let run_before = |end: usize| {
        chars[..end]
            .iter()
            .rev()
            .take_while(|c| !c.is_whitespace())
            .count()
    };
    let run_after = |start: usize| chars[start..].iter().take_while(|c| !c.is_whitespace()).count();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_whitespace() {
            let start = i;
            while i < chars.len() && chars[i].is_whitespace() {
                i += 1;
            }
            let before = chars[start - 1];
            let after = chars.get(i).copied();
            let chinese = is_cjk(before) || after.is_some_and(is_cjk);
            // Letter-spaced Chinese (`工 作 总 结`) closes up; a gap between words
            // (`中共青山镇委员会 青山镇人民政府关于…`, `凝心聚力 真抓实干`) stays one space.
            let letter_spaced = run_before(start) == 1 || run_after(i) == 1;
            if !chinese || !letter_spaced {
                out.push(' ');
            }
            continue;
        }
        out.push(chars[i]);
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const RANGE: YearRange = YearRange { min: 1900, max: 2027 };

    #[test]
    fn producers_placeholders_and_file_names_are_not_titles() {
        for t in [
            "Microsoft Word - 草稿.doc",
            "2023年工作总结.docx",
            "C:\\Users\\a\\报告",
            "/home/a/报告",
            "文档1",
            "Untitled",
        ] {
            assert!(is_placeholder_title(t), "{t}");
        }
        for t in ["青山镇2023年工作总结", "关于上/下半年工作的通知"] {
            assert!(!is_placeholder_title(t), "{t}");
        }
    }

    #[test]
    fn years_in_titles() {
        let cases: &[(&str, Option<i32>)] = &[
            ("2023年XX镇工作总结", Some(2023)),
            ("关于2022年度安全生产工作的自查报告", Some(2022)),
            ("二〇二三年民族团结进步创建工作总结", Some(2023)),
            ("二零二一年乡村振兴实施方案", Some(2021)),
            ("二O二二年工作要点", Some(2022)),
            ("二0二二年工作要点", Some(2022)),
            ("二○一九年度述职报告", Some(2019)),
            ("2022—2023年度考核情况报告", Some(2023)),
            ("2022-2023学年工作总结", Some(2023)),
            ("2022年—2023年度民族团结示范创建自查报告", Some(2023)),
            ("2021至2025年乡村振兴规划", Some(2025)),
            ("2019~2020年度先进集体推荐材料", Some(2020)),
            ("2023/2024学年第一学期教学计划", Some(2024)),
            ("2023年工作总结及2024年工作计划", Some(2023)),
            ("XX镇2023年上半年工作总结", Some(2023)),
            ("关于印发《青山镇2023年防汛应急预案》的通知", Some(2023)),
            ("新建2050亩高标准农田的情况报告", None),
            ("发放补贴1800元的情况说明", None),
            ("投入资金2023.5万元的项目报告", None),
            ("共有2100户群众受益", None),
            ("第2023号提案答复", None),
            ("GB2023标准宣贯", None),
            ("XX镇工作总结", None),
            ("2030年远景规划", None),
            ("1899年档案", None),
            ("2023工作总结", Some(2023)),
            ("关于印发〔2023〕12号文件的通知", Some(2023)),
            ("编号20231205的情况说明", None),
            ("２０２１年工作总结", Some(2021)),
            ("十四五时期发展规划", None),
            ("一二三四五", None),
        ];
        for (title, want) in cases {
            assert_eq!(year_in_title(title, RANGE), *want, "{title}");
        }
    }

    #[test]
    fn years_in_file_names() {
        let cases: &[(&str, Option<i32>)] = &[
            ("(2篇)2023开展民族团结进步宣传月活动总结.docx", Some(2023)),
            ("2023_工作总结.docx", Some(2023)),
            ("工作总结_2023.docx", Some(2023)),
            ("工作总结（2022）.docx", Some(2022)),
            ("工作总结(2022).docx", Some(2022)),
            ("【2021】情况报告.docx", Some(2021)),
            ("2021.12 情况报告.docx", Some(2021)),
            ("2021-12-05会议纪要.docx", Some(2021)),
            ("report-2020.docx", Some(2020)),
            ("2020年度述职报告(1).docx", Some(2020)),
            ("二〇二二年工作要点.docx", Some(2022)),
            ("2022-2023学年总结.docx", Some(2023)),
            ("20231205.docx", None),
            ("20231205_工作简报.docx", None),
            ("工作总结.docx", None),
            ("新建 Microsoft Word 文档.docx", None),
            ("2050亩规划.docx", None),
            ("工作总结 2019.DOCX", Some(2019)),
            ("2023", Some(2023)),
        ];
        for (name, want) in cases {
            assert_eq!(year_in_file_name(name, RANGE), *want, "{name}");
        }
    }

    #[test]
    fn closing_date_lines() {
        let cases: &[(&str, Option<i32>)] = &[
            ("2023年12月5日", Some(2023)),
            ("二〇二三年十二月五日", Some(2023)),
            ("二〇二一年一月二十日", Some(2021)),
            ("二零二二年三月三十一日", Some(2022)),
            ("二O二O年六月十日", Some(2020)),
            ("  2022年 3月 15日  ", Some(2022)),
            ("（2022年3月15日）", Some(2022)),
            ("XX镇人民政府 2020年6月30日", Some(2020)),
            ("2023年12月", Some(2023)),
            ("二〇二三年十二月", Some(2023)),
            ("2023年12月5号", Some(2023)),
            ("2023.12.05", Some(2023)),
            ("2023-12-5", Some(2023)),
            ("2023/12/5", Some(2023)),
            ("2023.12", Some(2023)),
            ("青山镇党政办公室 2023年12月5日印发", Some(2023)),
            ("2022年6月30日（印章）", Some(2022)),
            ("2023年9月1日星期五", Some(2023)),
            ("日期：2023年9月1日", Some(2023)),
            ("2019年以来，我镇始终坚持", None),
            ("2023年12月5日，我镇召开专题会议。", None),
            ("2023年13月5日", None),
            ("2023年12月32日", None),
            ("电话：0851-2023-12", None),
            ("2023年", None),
            ("附件：1.统计表", None),
            ("青山镇人民政府", None),
        ];
        for (line, want) in cases {
            assert_eq!(date_line_year(line, RANGE), *want, "{line}");
        }
    }

    #[test]
    fn precedence_title_file_signature_created() {
        let inputs = YearInputs {
            title: "2023年工作总结",
            file_name: "2022年总结.docx",
            date: Some(DocDate::new(2021, Some(1), Some(2))),
            created: Some("2020-01-01T00:00:00Z"),
        };
        let got = |i: YearInputs<'_>| report_year(i, RANGE).map(|r| (r.year, r.source));
        assert_eq!(got(inputs), Some((2023, YearSource::Title)));
        let inputs = YearInputs {
            title: "工作总结",
            ..inputs
        };
        assert_eq!(got(inputs), Some((2022, YearSource::Filename)));
        let inputs = YearInputs {
            file_name: "总结.docx",
            ..inputs
        };
        assert_eq!(got(inputs), Some((2021, YearSource::Signature)));
        let inputs = YearInputs { date: None, ..inputs };
        assert_eq!(got(inputs), Some((2020, YearSource::Created)));
        let inputs = YearInputs {
            created: Some("1601-01-01T00:00:00Z"),
            ..inputs
        };
        assert_eq!(got(inputs), None, "an impossible created date is no year");
        let inputs = YearInputs {
            created: None,
            ..inputs
        };
        assert_eq!(got(inputs), None);
    }

    fn para(text: &str) -> Paragraph {
        Paragraph {
            text: text.to_string(),
            ..Paragraph::default()
        }
    }

    fn centred(text: &str) -> Paragraph {
        Paragraph {
            centered: true,
            ..para(text)
        }
    }

    #[test]
    fn titles() {
        let styled = |name: &str, text: &str| Paragraph {
            style: Some(name.into()),
            ..para(text)
        };
        let cases: Vec<(Vec<Paragraph>, Option<&str>, &str)> = vec![
            (
                vec![
                    centred("XX县人民政府文件"),
                    centred("X政发〔2023〕12号"),
                    centred("关于开展安全生产大检查的通知"),
                    para("各乡镇人民政府："),
                ],
                None,
                "关于开展安全生产大检查的通知",
            ),
            (
                vec![
                    centred("中共青山镇委员会"),
                    centred("青发〔2022〕3号"),
                    centred("关于表彰先进集体的决定"),
                ],
                None,
                "关于表彰先进集体的决定",
            ),
            (
                vec![
                    centred("关于开展2023年安全生产"),
                    centred("大检查工作的通知"),
                    para("各村："),
                ],
                None,
                "关于开展2023年安全生产大检查工作的通知",
            ),
            (
                vec![centred("青山镇2023年工作总结"), centred("青山镇人民政府")],
                None,
                "青山镇2023年工作总结",
            ),
            (vec![para("前言"), styled("标题 1", "正式标题")], None, "正式标题"),
            (
                vec![styled("Title", "英文样式名的标题"), para("正文。")],
                None,
                "英文样式名的标题",
            ),
            (vec![styled("heading 1", "一级标题")], None, "一级标题"),
            (
                vec![Paragraph {
                    outline_level: Some(0),
                    ..para("大纲级别标题")
                }],
                None,
                "大纲级别标题",
            ),
            (
                vec![para("密级：内部"), centred("★启用前"), centred("真正的标题")],
                None,
                "真正的标题",
            ),
            (vec![para("附件1"), centred("附件里的标题")], None, "附件里的标题"),
            (
                vec![
                    Paragraph {
                        bold: true,
                        ..para("一、基本情况")
                    },
                    para("正文。"),
                ],
                Some("核心标题"),
                "核心标题",
            ),
            (
                vec![centred("（2023年12月5日）"), para("正文。")],
                Some("核心标题"),
                "核心标题",
            ),
            (vec![centred("2023年12月5日"), para("正文。")], None, "文件名"),
            (
                vec![para("这是一段正文。没有标题。")],
                Some("核心标题"),
                "核心标题",
            ),
            (
                vec![para("这是一段正文。")],
                Some("Microsoft Word - 草稿.doc"),
                "文件名",
            ),
            (vec![para("这是一段正文。")], Some("文档1"), "文件名"),
            (vec![para("这是一段正文。")], Some("Document"), "文件名"),
            (vec![para("这是一段正文。")], Some("  "), "文件名"),
            (vec![para("工作总结"), para("正文。")], None, "工作总结"),
            (
                vec![
                    Paragraph {
                        bold: true,
                        ..para("各位领导：")
                    },
                    para("正文。"),
                ],
                None,
                "文件名",
            ),
            (vec![], None, "文件名"),
            (vec![centred(" 工 作 总 结 ")], None, "工作总结"),
            (vec![para("一、需求分析"), para("正文。")], None, "文件名"),
        ];
        for (paras, core, want) in cases {
            assert_eq!(title(&paras, core, "文件名"), want, "{paras:?}");
        }
    }

    fn bold(text: &str) -> Paragraph {
        Paragraph {
            bold: true,
            ..para(text)
        }
    }

    fn bold_centred(text: &str) -> Paragraph {
        Paragraph {
            bold: true,
            ..centred(text)
        }
    }

    /// Captions, paragraphs after the body has begun and speech date lines are never the
    /// title; the document properties' title comes before a first short paragraph.
    #[test]
    fn titles_never_captions_body_lines_or_speech_dates() {
        let styled = |name: &str, text: &str| Paragraph {
            style: Some(name.into()),
            ..para(text)
        };
        let body = "今年以来，我镇坚持以习近平新时代中国特色社会主义思想为指导，扎实推进各项工作。";
        let cases: Vec<(&str, Vec<Paragraph>, Option<&str>, &str)> = vec![
            (
                "a report whose first bold line is a table caption",
                vec![
                    bold_centred("表1  2023年安全生产工作情况统计表"),
                    para("单位：起"),
                    para(body),
                ],
                Some("青山镇2023年安全生产工作总结"),
                "青山镇2023年安全生产工作总结",
            ),
            (
                "a caption first, no properties: the file name, not the caption",
                vec![bold_centred("表3  安全生产工作情况统计表"), para(body)],
                None,
                "文件名",
            ),
            (
                "a caption after the title",
                vec![
                    centred("青山镇2023年安全生产工作总结"),
                    para(body),
                    bold_centred("表3  安全生产工作情况统计表"),
                ],
                None,
                "青山镇2023年安全生产工作总结",
            ),
            (
                "a figure caption",
                vec![centred("图1 青山镇区位示意图"), para(body)],
                Some("青山镇国土空间规划说明"),
                "青山镇国土空间规划说明",
            ),
            (
                "an attached table's caption, styled as a title",
                vec![styled("标题 1", "附表2：2022年度考核登记表"), para(body)],
                Some("2022年度考核工作方案"),
                "2022年度考核工作方案",
            ),
            (
                "a continued table and a Chinese-numbered caption",
                vec![bold("续表"), bold("表一 各村人口统计"), para(body)],
                None,
                "文件名",
            ),
            (
                "an English caption",
                vec![centred("Table 2 Village population"), para(body)],
                Some("人口统计报告"),
                "人口统计报告",
            ),
            (
                "a placeholder title does not rescue a caption",
                vec![bold("表1 统计表"), para(body)],
                Some("Microsoft Word - 统计表.doc"),
                "文件名",
            ),
            (
                "words that begin like a caption are titles",
                vec![centred("表彰大会议程"), para(body)],
                None,
                "表彰大会议程",
            ),
            (
                "图书馆 is not 图",
                vec![centred("图书馆2023年工作总结"), para(body)],
                None,
                "图书馆2023年工作总结",
            ),
            (
                "an unformatted notice: the centred signature is not the title",
                vec![
                    para("青山镇人民政府文件"),
                    para("青政发〔2023〕12号"),
                    para("关于开展安全生产大检查的通知"),
                    para("各村（社区）："),
                    para(body),
                    centred("青山镇人民政府"),
                    centred("2023年12月5日"),
                ],
                None,
                "关于开展安全生产大检查的通知",
            ),
            (
                "the addressee begins the body: a bold line after it is no title",
                vec![
                    para("各村（社区）："),
                    para("现将有关事项通知如下。"),
                    bold_centred("联系人及电话"),
                ],
                Some("关于做好防汛工作的通知"),
                "关于做好防汛工作的通知",
            ),
            (
                "a label in a form is no addressee: the body has not begun",
                vec![
                    para("人员信息："),
                    para("姓名：张三"),
                    para("部门："),
                    bold("青山镇干部履职情况登记表"),
                    para(body),
                ],
                None,
                "青山镇干部履职情况登记表",
            ),
            (
                "two addressee lines, then the body",
                vec![
                    para("各乡镇人民政府："),
                    para("县直各单位："),
                    para(body),
                    bold_centred("青山县人民政府办公室"),
                ],
                None,
                "文件名",
            ),
            (
                "a work summary without a title line: properties before a bold line deep in the text",
                vec![
                    para(body),
                    para("一是强化组织领导。二是压实工作责任。"),
                    centred("青山镇人民政府"),
                    para("2023年12月5日"),
                ],
                Some("青山镇2023年工作总结"),
                "青山镇2023年工作总结",
            ),
            (
                "the only short line is deep in the body",
                vec![para(body), para("二是压实工作责任。"), bold("工作成效")],
                None,
                "文件名",
            ),
            (
                "a long paragraph without punctuation begins the body",
                vec![para(&"全面推进乡村振兴".repeat(16)), bold("青山镇人民政府")],
                Some("乡村振兴工作汇报"),
                "乡村振兴工作汇报",
            ),
            (
                "properties come before a short first paragraph",
                vec![para("工作总结"), para(body)],
                Some("青山镇2023年河长制工作总结"),
                "青山镇2023年河长制工作总结",
            ),
            (
                "a speech: title, date line, speaker",
                vec![
                    centred("在全县经济工作会议上的讲话"),
                    centred("（2019年11月16日）"),
                    centred("县委书记  张三"),
                    para("同志们："),
                    para(body),
                ],
                None,
                "在全县经济工作会议上的讲话",
            ),
            (
                "a speech title on two styled lines and a styled date line",
                vec![
                    styled("标题", "张三同志在全县经济工作"),
                    styled("标题", "会议上的讲话"),
                    styled("标题", "（二〇一九年十一月十六日）"),
                ],
                None,
                "张三同志在全县经济工作会议上的讲话",
            ),
            (
                "the date line after a line break in the title paragraph",
                vec![
                    centred("在全县经济工作会议上的讲话\n（2019年11月16日）"),
                    para(body),
                ],
                None,
                "在全县经济工作会议上的讲话",
            ),
            (
                "the date right after the title, half-width brackets",
                vec![
                    bold_centred("在全县经济工作会议上的讲话(2019年11月16日)"),
                    para(body),
                ],
                None,
                "在全县经济工作会议上的讲话",
            ),
            (
                "a date line with a place is no title",
                vec![para("（2019年11月16日，在全县经济工作会议上）"), para("同志们：")],
                None,
                "文件名",
            ),
            (
                "a speech date line before the properties' title",
                vec![centred("（2019年11月16日）"), para("同志们："), para(body)],
                Some("在全县经济工作会议上的讲话"),
                "在全县经济工作会议上的讲话",
            ),
            (
                "a bracketed note under the title is not joined to it",
                vec![
                    centred("青山镇村级财务管理办法"),
                    centred("（征求意见稿）"),
                    para(body),
                ],
                None,
                "青山镇村级财务管理办法",
            ),
        ];
        for (what, paras, core, want) in cases {
            assert_eq!(title(&paras, core, "文件名"), want, "{what}");
        }
    }

    #[test]
    fn captions() {
        for t in [
            "表3  安全生产工作情况统计表",
            "表3安全生产工作情况统计表",
            "表 3 统计",
            "表3-1 分项统计",
            "图1 区位图",
            "图2.1",
            "附表2：考核登记表",
            "附表",
            "附图1",
            "续表",
            "续表3",
            "表一 各村人口",
            "表二：",
            "Table 1 Population",
            "FIGURE 2",
            "Fig. 3 map",
        ] {
            assert!(is_caption(t), "{t}");
        }
        for t in [
            "表彰大会议程",
            "图书馆工作总结",
            "表决办法",
            "附表说明",
            "图一览",
            "关于表3的说明",
            "Tablet 采购",
        ] {
            assert!(!is_caption(t), "{t}");
        }
    }

    #[test]
    fn speech_date_lines() {
        let cases: &[(&str, Option<i32>)] = &[
            ("（2019年11月16日）", Some(2019)),
            ("(2019年11月16日)", Some(2019)),
            ("（二〇一九年十一月十六日）", Some(2019)),
            ("（ 2019 年 11 月 16 日 ）", Some(2019)),
            ("（2019年11月）", Some(2019)),
            ("（2019年11月16日，在全县经济工作会议上）", Some(2019)),
            ("（2019年11月16日在全县经济工作会议上）", Some(2019)),
            ("(二〇一九年十一月十六日,在全县经济工作会议上)", Some(2019)),
            ("（在全县经济工作会议上 2019年11月16日）", Some(2019)),
            ("2019年11月16日", None),
            ("（征求意见稿）", None),
            ("（2019年修订）", None),
            ("（2019年11月16日，会议通过。）", None),
            ("（2019年11月16日）（2020年1月1日）", None),
        ];
        for (line, want) in cases {
            assert_eq!(speech_date_line_year(line, RANGE), *want, "{line}");
        }
    }

    #[test]
    fn title_letter_spacing_is_dropped_and_word_gaps_kept() {
        assert_eq!(clean_title(" 工 作 总 结 "), "工作总结");
        assert_eq!(clean_title("述 职  报 告"), "述职报告");
        assert_eq!(clean_title("2023年 GDP 报告"), "2023年 GDP 报告");
        assert_eq!(
            clean_title("中共青山镇委员会  青山镇人民政府关于表彰的决定"),
            "中共青山镇委员会 青山镇人民政府关于表彰的决定"
        );
        assert_eq!(clean_title("凝心聚力　真抓实干"), "凝心聚力 真抓实干");
        assert_eq!(clean_title("Annual  report"), "Annual report");
    }

    /// Real-looking titles, file names and closing lines written after the rules, as a
    /// measure rather than a tuning set (58 cases; two needed a fix: a weekday or a seal
    /// note after the date).
    #[test]
    fn realistic_titles_file_names_and_dates() {
        let cases: &[(char, &str, Option<i32>)] = &[
            ('T', "XX县2023年度党风廉政建设责任制落实情况的报告", Some(2023)),
            ('T', "关于2022年度全县脱贫攻坚成效考核自评报告", Some(2022)),
            ('T', "2021年上半年工作总结和下半年工作计划", Some(2021)),
            (
                'T',
                "XX镇关于2020年度落实意识形态工作责任制情况的报告",
                Some(2020),
            ),
            ('T', "二〇二二年度领导班子述职述廉报告", Some(2022)),
            ('T', "XX乡2019年乡村振兴战略实施情况汇报", Some(2019)),
            ('T', "XX街道办事处2023年第一季度工作总结", Some(2023)),
            ('T', "XX村“两委”换届选举工作实施方案（2021年）", Some(2021)),
            ('T', "关于做好2024年元旦春节期间安全生产工作的通知", Some(2024)),
            (
                'T',
                "XX县人民政府关于印发《XX县“十四五”农业农村现代化规划（2021—2025年）》的通知",
                Some(2025),
            ),
            ('T', "2023年度民主生活会个人对照检查材料", Some(2023)),
            ('T', "2022年度个人述职报告", Some(2022)),
            ('T', "关于开展第32个全国税收宣传月活动的通知", None),
            ('T', "XX县第十八届人民代表大会第三次会议决议", None),
            ('T', "XX镇2021-2023年创建全国文明城市工作总结", Some(2023)),
            ('T', "XX中学2022-2023学年度第二学期工作总结", Some(2023)),
            ('T', "关于XX同志2023年度考核情况的说明", Some(2023)),
            ('T', "XX镇人民政府关于表彰2021年度先进单位的决定", Some(2021)),
            ('T', "XX县农业农村局2022年工作总结及2023年工作打算", Some(2022)),
            ('T', "XX镇防汛抗旱应急预案（2023年修订）", Some(2023)),
            ('T', "关于报送2020年统计数据的函", Some(2020)),
            ('T', "XX乡卫生院2019年度院务公开工作总结", Some(2019)),
            ('T', "XX县2021年国民经济和社会发展统计公报", Some(2021)),
            ('T', "关于调整XX镇安全生产委员会成员的通知", None),
            ('T', "XX镇村级财务管理办法（试行）", None),
            ('T', "XX镇2023年“我为群众办实事”实践活动工作台账", Some(2023)),
            ('T', "2020年XX镇人居环境整治工作总结", Some(2020)),
            ('T', "XX县2022年1-6月经济运行情况分析", Some(2022)),
            ('T', "在2023年全县经济工作会议上的讲话", Some(2023)),
            ('T', "XX同志在XX镇2022年度总结表彰大会上的讲话", Some(2022)),
            ('F', "XX镇2023年工作总结(定稿).docx", Some(2023)),
            ('F', "2022年度述职报告-张三.docx", Some(2022)),
            ('F', "附件2：2021年度考核登记表.docx", Some(2021)),
            ('F', "XX镇工作总结（2020年）.docx", Some(2020)),
            ('F', "【2019】XX村扶贫手册.docx", Some(2019)),
            ('F', "工作简报第12期.docx", None),
            ('F', "XX县政府办[2022]15号.docx", Some(2022)),
            ('F', "2023.03.15 会议纪要.docx", Some(2023)),
            ('F', "20230315会议纪要.docx", None),
            ('F', "新建文档 (2).docx", None),
            ('F', "2021年12月工作月报.docx", Some(2021)),
            ('F', "关于XX的报告（终稿）v2.docx", None),
            ('F', "2020-2021年度总结.docx", Some(2021)),
            ('F', "二〇二一年工作要点.docx", Some(2021)),
            ('F', "XX镇二0二二年度工作总结.docx", Some(2022)),
            ('D', "二〇二三年十二月二十五日", Some(2023)),
            ('D', "2023年12月25日", Some(2023)),
            ('D', "XX镇人民政府", None),
            ('D', "2021年11月", Some(2021)),
            ('D', "二〇一九年七月", Some(2019)),
            ('D', "（此件公开发布）", None),
            ('D', "2022年6月30日（印章）", Some(2022)),
            ('D', "XX县人民政府办公室        2022年8月1日", Some(2022)),
            ('D', "XX镇党委  XX镇人民政府  2020年5月8日", Some(2020)),
            ('D', "日期：2023年9月1日", Some(2023)),
            ('D', "2023年9月1日星期五", Some(2023)),
            ('D', "二O二一年三月十二日", Some(2021)),
            ('D', "2024年1月3日", Some(2024)),
        ];
        for &(kind, text, want) in cases {
            let got = match kind {
                'T' => year_in_title(text, RANGE),
                'F' => year_in_file_name(text, RANGE),
                _ => date_line_year(text, RANGE),
            };
            assert_eq!(got, want, "{kind} {text}");
        }
    }

    #[test]
    fn numbered_headings() {
        for t in [
            "一、基本情况",
            "（一）组织领导",
            "(二)宣传",
            "1.建成示范村",
            "2、加强",
            "第一章 总则",
            "第二部分",
        ] {
            assert!(is_numbered_heading(t), "{t}");
        }
        for t in ["一把手工程", "2023年工作总结", "关于开展工作的通知"] {
            assert!(!is_numbered_heading(t), "{t}");
        }
    }
}
