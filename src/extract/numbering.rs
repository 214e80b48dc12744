//! List numbering from `word/numbering.xml`: the `一、` `（一）` `1.` a reader sees before
//! an auto-numbered paragraph, rendered from each level's format and text pattern.

use std::collections::HashMap;

use quick_xml::events::Event;

use super::SkipReason;
use super::xml::{XmlHandler, attr};

/// One level of a list definition.
#[derive(Debug, Clone, Default)]
pub(super) struct Level {
    pub(super) start: u32,
    /// The OOXML `w:numFmt` name (`decimal`, `chineseCounting`, `bullet` …).
    pub(super) format: String,
    /// The level text with `%1`…`%9` standing for the levels' counters.
    pub(super) pattern: String,
    /// `nothing` when no space follows the label.
    pub(super) suffix: Option<String>,
    pub(super) legal: bool,
}

#[derive(Debug, Clone, Default)]
struct Instance {
    abstract_id: String,
    starts: HashMap<u8, u32>,
}

/// The list definitions of a package.
#[derive(Debug, Default)]
pub(super) struct Numbering {
    abstracts: HashMap<String, Vec<Level>>,
    instances: HashMap<String, Instance>,
    // Parser state.
    current_abstract: Option<(String, Vec<Level>)>,
    current_level: Option<(u8, Level)>,
    current_num: Option<(String, Instance)>,
    override_level: Option<u8>,
}

impl XmlHandler for Numbering {
    fn event(&mut self, event: Event<'_>) -> Result<(), SkipReason> {
        match event {
            Event::Start(e) => {
                let val = || attr(&e, "val");
                match e.local_name().as_ref() {
                    "abstractNum" => {
                        let id = attr(&e, "abstractNumId").unwrap_or_default();
                        self.current_abstract = Some((id, Vec::new()));
                    }
                    "lvl" => {
                        let ilvl = attr(&e, "ilvl").and_then(|v| v.parse().ok()).unwrap_or(0);
                        self.current_level = Some((
                            ilvl,
                            Level {
                                start: 1,
                                ..Level::default()
                            },
                        ));
                    }
                    "num" => {
                        let id = attr(&e, "numId").unwrap_or_default();
                        self.current_num = Some((id, Instance::default()));
                    }
                    "abstractNumId" => {
                        if let Some((_, num)) = self.current_num.as_mut() {
                            num.abstract_id = val().unwrap_or_default();
                        }
                    }
                    "lvlOverride" => {
                        self.override_level = attr(&e, "ilvl").and_then(|v| v.parse().ok());
                    }
                    "startOverride" => {
                        if let (Some((_, num)), Some(level)) =
                            (self.current_num.as_mut(), self.override_level)
                            && let Some(start) = val().and_then(|v| v.parse().ok())
                        {
                            num.starts.insert(level, start);
                        }
                    }
                    local => {
                        if let Some((_, level)) = self.current_level.as_mut() {
                            match local {
                                "start" => level.start = val().and_then(|v| v.parse().ok()).unwrap_or(1),
                                "numFmt" => level.format = val().unwrap_or_default(),
                                "lvlText" => level.pattern = val().unwrap_or_default(),
                                "suff" => level.suffix = val(),
                                "isLgl" => level.legal = true,
                                _ => {}
                            }
                        }
                    }
                }
            }
            Event::End(e) => match e.local_name().as_ref() {
                "lvl" => {
                    if let (Some((ilvl, level)), Some((_, levels))) =
                        (self.current_level.take(), self.current_abstract.as_mut())
                    {
                        let ilvl = usize::from(ilvl.min(8));
                        if levels.len() <= ilvl {
                            levels.resize(ilvl + 1, Level::default());
                        }
                        levels[ilvl] = level;
                    }
                }
                "abstractNum" => {
                    if let Some((id, levels)) = self.current_abstract.take() {
                        self.abstracts.insert(id, levels);
                    }
                }
                "num" => {
                    if let Some((id, num)) = self.current_num.take() {
                        self.instances.insert(id, num);
                    }
                }
                _ => {}
            },
            _ => {}
        }
        Ok(())
    }
}

/// Running counters of one story, keyed by list.
#[derive(Debug, Default)]
pub(super) struct Counters {
    lists: HashMap<String, [Option<u32>; 9]>,
}

impl Numbering {
    /// Adds a list definition read from elsewhere (a binary document's list table).
    pub(super) fn define(&mut self, abstract_id: String, levels: Vec<Level>) {
        self.abstracts.insert(abstract_id, levels);
    }

    /// Adds a list instance of definition `abstract_id`, restarting the levels in `starts`.
    pub(super) fn instance(&mut self, num_id: String, abstract_id: String, starts: HashMap<u8, u32>) {
        self.instances.insert(num_id, Instance { abstract_id, starts });
    }

    /// The label of the next paragraph of list `num_id` at level `ilvl`, advancing the
    /// counters; `None` for bullets, unnumbered levels and unknown lists.
    pub(super) fn next_label(&self, counters: &mut Counters, num_id: &str, ilvl: u8) -> Option<String> {
        let num = self.instances.get(num_id)?;
        let levels = self.abstracts.get(&num.abstract_id)?;
        let ilvl = usize::from(ilvl.min(8));
        // Lists restarted by an override count on their own; others share their definition.
        let key = if num.starts.is_empty() {
            format!("a{}", num.abstract_id)
        } else {
            format!("n{num_id}")
        };
        let state = counters.lists.entry(key).or_insert([None; 9]);
        let start_of = |l: usize| {
            num.starts
                .get(&(l as u8))
                .copied()
                .or_else(|| levels.get(l).map(|lv| lv.start))
                .unwrap_or(1)
        };
        state[ilvl] = Some(state[ilvl].map_or(start_of(ilvl), |n| n + 1));
        for deeper in state.iter_mut().skip(ilvl + 1) {
            *deeper = None;
        }
        let level = levels.get(ilvl)?;
        if level.format == "bullet" || level.format == "none" || level.pattern.is_empty() {
            return None;
        }
        let mut label = String::new();
        let mut chars = level.pattern.chars().peekable();
        while let Some(c) = chars.next() {
            let digit = chars.peek().and_then(|d| d.to_digit(10));
            if c == '%' && digit.is_some_and(|d| (1..=9).contains(&d)) {
                chars.next();
                let l = digit.map_or(0, |d| d as usize - 1);
                let value = state[l].unwrap_or_else(|| start_of(l));
                let format = match levels.get(l) {
                    Some(_) if level.legal => "decimal",
                    Some(lv) => lv.format.as_str(),
                    None => "decimal",
                };
                label.push_str(&format_number(value, format));
            } else {
                label.push(c);
            }
        }
        match level.suffix.as_deref() {
            Some("nothing") => {}
            _ => label.push(' '),
        }
        Some(label)
    }
}

/// The OOXML name of a binary number format code (MS-DOC `nfc`, the `MSONFC` values).
pub(super) fn nfc_format(nfc: u8) -> &'static str {
    match nfc {
        1 => "upperRoman",
        2 => "lowerRoman",
        3 => "upperLetter",
        4 => "lowerLetter",
        10 => "ideographDigital",
        11 => "japaneseCounting",
        14 | 19 => "decimalFullWidth",
        17 => "japaneseDigitalTenThousand",
        18 => "decimalEnclosedCircle",
        22 => "decimalZero",
        23 => "bullet",
        26 => "decimalEnclosedFullstop",
        27 => "decimalEnclosedParen",
        28 => "decimalEnclosedCircleChinese",
        30 => "ideographTraditional",
        31 => "ideographZodiac",
        33 | 35 => "taiwaneseCounting",
        36 => "taiwaneseDigital",
        37 => "chineseCounting",
        38 => "chineseLegalSimplified",
        39 => "chineseCountingThousand",
        255 => "none",
        _ => "decimal",
    }
}

const CN: [char; 10] = ['〇', '一', '二', '三', '四', '五', '六', '七', '八', '九'];

/// A counter value in one of Word's number formats.
pub(super) fn format_number(n: u32, format: &str) -> String {
    match format {
        "decimalZero" if n < 10 => format!("0{n}"),
        "upperRoman" => roman(n).to_uppercase(),
        "lowerRoman" => roman(n),
        "upperLetter" => letters(n).to_uppercase(),
        "lowerLetter" => letters(n),
        "chineseCounting"
        | "chineseCountingThousand"
        | "japaneseCounting"
        | "taiwaneseCounting"
        | "koreanCounting" => chinese_counting(n),
        "ideographDigital" | "taiwaneseDigital" | "japaneseDigitalTenThousand" => n
            .to_string()
            .chars()
            .filter_map(|d| d.to_digit(10))
            .map(|d| CN[d as usize])
            .collect(),
        "chineseLegalSimplified" => legal_simplified(n),
        "ideographTraditional" => cycle(n, "甲乙丙丁戊己庚辛壬癸"),
        "ideographZodiac" => cycle(n, "子丑寅卯辰巳午未申酉戌亥"),
        "decimalEnclosedCircle" | "decimalEnclosedCircleChinese" if (1..=20).contains(&n) => {
            char::from_u32(0x2460 + n - 1)
                .map(String::from)
                .unwrap_or_default()
        }
        "decimalEnclosedParen" if (1..=20).contains(&n) => char::from_u32(0x2474 + n - 1)
            .map(String::from)
            .unwrap_or_default(),
        "decimalEnclosedFullstop" if (1..=20).contains(&n) => char::from_u32(0x2488 + n - 1)
            .map(String::from)
            .unwrap_or_default(),
        "decimalFullWidth" | "decimalFullWidth2" => n
            .to_string()
            .chars()
            .filter_map(|d| char::from_u32(d as u32 - '0' as u32 + '０' as u32))
            .collect(),
        _ => n.to_string(),
    }
}

fn roman(mut n: u32) -> String {
    const TABLE: [(u32, &str); 13] = [
        (1000, "m"),
        (900, "cm"),
        (500, "d"),
        (400, "cd"),
        (100, "c"),
        (90, "xc"),
        (50, "l"),
        (40, "xl"),
        (10, "x"),
        (9, "ix"),
        (5, "v"),
        (4, "iv"),
        (1, "i"),
    ];
    let mut out = String::new();
    for (value, digits) in TABLE {
        while n >= value {
            out.push_str(digits);
            n -= value;
        }
    }
    out
}

/// a..z, then aa..zz, as Word counts letters.
fn letters(n: u32) -> String {
    if n == 0 {
        return String::new();
    }
    let letter = char::from(b'a' + ((n - 1) % 26) as u8);
    std::iter::repeat_n(letter, ((n - 1) / 26 + 1) as usize).collect()
}

fn cycle(n: u32, symbols: &str) -> String {
    let symbols: Vec<char> = symbols.chars().collect();
    let i = (n.max(1) - 1) as usize % symbols.len();
    symbols[i].to_string()
}

/// 1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 105 → 一百零五.
fn chinese_counting(n: u32) -> String {
    if n == 0 {
        return "〇".to_string();
    }
    if n >= 10_000 {
        return n.to_string();
    }
    let digits = [n / 1000, n / 100 % 10, n / 10 % 10, n % 10];
    let units = ["千", "百", "十", ""];
    let mut out = String::new();
    let mut pending_zero = false;
    for (i, &d) in digits.iter().enumerate() {
        if d == 0 {
            pending_zero = !out.is_empty();
            continue;
        }
        if pending_zero {
            out.push('零');
            pending_zero = false;
        }
        if !(d == 1 && i == 2 && out.is_empty()) {
            out.push(CN[d as usize]);
        }
        out.push_str(units[i]);
    }
    out
}

fn legal_simplified(n: u32) -> String {
    chinese_counting(n)
        .chars()
        .map(|c| match c {
            '一' => '壹',
            '二' => '贰',
            '三' => '叁',
            '四' => '肆',
            '五' => '伍',
            '六' => '陆',
            '七' => '柒',
            '八' => '捌',
            '九' => '玖',
            '十' => '拾',
            '百' => '佰',
            '千' => '仟',
            other => other,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn number_formats() {
        let cases = [
            (1, "chineseCounting", "一"),
            (10, "chineseCounting", "十"),
            (12, "chineseCounting", "十二"),
            (20, "chineseCounting", "二十"),
            (105, "chineseCounting", "一百零五"),
            (3, "chineseLegalSimplified", "叁"),
            (2, "ideographTraditional", "乙"),
            (4, "upperRoman", "IV"),
            (9, "lowerRoman", "ix"),
            (28, "lowerLetter", "bb"),
            (3, "decimalEnclosedCircle", "③"),
            (7, "decimalZero", "07"),
            (12, "decimalFullWidth", "１２"),
            (5, "decimal", "5"),
        ];
        for (n, format, want) in cases {
            assert_eq!(format_number(n, format), want, "{n} {format}");
        }
    }
}
