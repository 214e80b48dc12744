//! Official-document facts (公文要素, after GB/T 9704-2012), read from a document's title and
//! lines: so far the kind (文种) and the document-number line (发文字号). Pure functions,
//! table-tested; the date and issuer rules of the contract join them here (issue #14), and
//! the caller that picks the red-head lines.

use std::fmt;

/// A document's date (成文日期) as precise as it is written: a day, a month or a year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DocDate {
    /// The year.
    pub year: i32,
    /// The month (1–12), when written.
    pub month: Option<u8>,
    /// The day (valid for its month), when written; only with a month.
    pub day: Option<u8>,
}

impl DocDate {
    /// A date from a year, month and day as written, keeping only what is valid: a day past
    /// its month's end (`2月30日`) is dropped, and a month past 12 drops month and day.
    pub fn new(year: i32, month: Option<u32>, day: Option<u32>) -> Self {
        let month = month.filter(|m| (1..=12).contains(m));
        let day = match (month, day) {
            (Some(m), Some(d)) if d >= 1 && d <= days_in_month(year, m) => Some(d as u8),
            _ => None,
        };
        DocDate {
            year,
            month: month.map(|m| m as u8),
            day,
        }
    }

    /// The first and last day the date may mean, as `YYYYMMDD` numbers: `2023-06` is
    /// 20230601..=20230630, `2023` is 20230101..=20231231. Date filters compare these.
    pub fn span(self) -> (i64, i64) {
        let y = i64::from(self.year) * 10_000;
        match (self.month, self.day) {
            (Some(m), Some(d)) => {
                let v = y + i64::from(m) * 100 + i64::from(d);
                (v, v)
            }
            (Some(m), None) => {
                let last = days_in_month(self.year, u32::from(m));
                (
                    y + i64::from(m) * 100 + 1,
                    y + i64::from(m) * 100 + i64::from(last),
                )
            }
            _ => (y + 101, y + 1231),
        }
    }

    /// The catalogue's form (DA/T 22-2015): `20231205`, `20231200` for a month, `20230000`
    /// for a year.
    pub fn catalog_form(self) -> String {
        format!(
            "{:04}{:02}{:02}",
            self.year,
            self.month.unwrap_or(0),
            self.day.unwrap_or(0)
        )
    }

    /// Parses the ISO form [`fmt::Display`] writes (`2023-12-05`, `2023-12`, `2023`) and
    /// nothing else.
    pub fn parse_iso(s: &str) -> Option<Self> {
        let mut parts = s.trim().split('-');
        fn number(p: &str, lengths: std::ops::RangeInclusive<usize>) -> Option<u32> {
            (lengths.contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit()))
                .then(|| p.parse().ok())
                .flatten()
        }
        let year = number(parts.next()?, 4..=4)? as i32;
        let month = match parts.next() {
            Some(p) => Some(number(p, 1..=2)?),
            None => None,
        };
        let day = match parts.next() {
            Some(p) => Some(number(p, 1..=2)?),
            None => None,
        };
        if parts.next().is_some() {
            return None;
        }
        let date = DocDate::new(year, month, day);
        // Only a valid date: `2023-02-30` and `2023-13` are refused, not shortened.
        (date.month.map(u32::from) == month && date.day.map(u32::from) == day).then_some(date)
    }
}

impl fmt::Display for DocDate {
    /// `2023-12-05`, `2023-12` or `2023`, as the JSON's `date` key.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}", self.year)?;
        if let Some(m) = self.month {
            write!(f, "-{m:02}")?;
        }
        if let Some(d) = self.day {
            write!(f, "-{d:02}")?;
        }
        Ok(())
    }
}

/// Days in a month of the proleptic Gregorian calendar.
pub fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        _ => 31,
    }
}

/// The kinds a title may end in: the 15 statutory kinds of the 党政机关公文处理工作条例,
/// then the everyday kinds of office archives. A longer name is tried before a shorter one
/// it ends in (`会议纪要` is a 纪要 by its own suffix, `复函` a 函).
pub const KINDS: &[&str] = &[
    "决议", "决定", "命令", "公报", "公告", "通告", "意见", "通知", "通报", "报告", "请示", "批复", "议案",
    "函", "纪要", "总结", "计划", "规划", "方案", "要点", "讲话", "汇报", "制度", "办法", "规定", "细则",
    "简报", "台账",
];

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
    let line: String = line.chars().filter(|c| !c.is_whitespace()).collect();
    let number = line.strip_suffix('号')?;
    let open = number.find(['〔', '［', '[', '（', '(', '【', '﹝'])?;
    let (agency, rest) = number.split_at(open);
    let rest = &rest[rest.chars().next()?.len_utf8()..];
    let close = rest.find(['〕', '］', ']', '）', ')', '】', '﹞'])?;
    let (year, serial) = rest.split_at(close);
    let serial = &serial[serial.chars().next()?.len_utf8()..];
    let agency_ok = (2..=16).contains(&agency.chars().count())
        && agency
            .chars()
            .all(|c| crate::text::is_cjk(c) || c.is_ascii_alphabetic())
        && agency.chars().any(crate::text::is_cjk);
    let year_ok = year.len() == 4
        && (year.starts_with("19") || year.starts_with("20"))
        && year.bytes().all(|b| b.is_ascii_digit());
    let serial_ok = (1..=5).contains(&serial.len()) && serial.bytes().all(|b| b.is_ascii_digit());
    (agency_ok && year_ok && serial_ok)
        .then(|| format!("{agency}〔{year}〕{}号", serial.trim_start_matches('0').max("0")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_keep_what_is_valid() {
        let d = |y, m, d| DocDate::new(y, m, d);
        assert_eq!(d(2023, Some(2), Some(30)).to_string(), "2023-02");
        assert_eq!(d(2024, Some(2), Some(29)).to_string(), "2024-02-29");
        assert_eq!(d(2023, Some(2), Some(29)).to_string(), "2023-02");
        assert_eq!(d(2023, Some(13), Some(5)).to_string(), "2023");
        assert_eq!(d(2023, Some(12), Some(5)).catalog_form(), "20231205");
        assert_eq!(d(2023, Some(12), None).catalog_form(), "20231200");
        assert_eq!(d(2023, None, None).catalog_form(), "20230000");
        assert_eq!(d(2023, Some(6), None).span(), (20230601, 20230630));
        assert_eq!(d(2023, None, None).span(), (20230101, 20231231));
        assert_eq!(DocDate::parse_iso("2023-06-30"), Some(d(2023, Some(6), Some(30))));
        assert_eq!(DocDate::parse_iso("2023-6"), Some(d(2023, Some(6), None)));
        assert_eq!(DocDate::parse_iso("2023"), Some(d(2023, None, None)));
        assert_eq!(DocDate::parse_iso("2023-02-30"), None);
        assert_eq!(DocDate::parse_iso("2023-13"), None);
        assert_eq!(DocDate::parse_iso("23-01"), None);
        assert_eq!(DocDate::parse_iso("2023-01-01-01"), None);
    }

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
            ("  青政发 〔2023〕 012号  ", Some("青政发〔2023〕12号")),
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
}
