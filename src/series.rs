//! Yearly series: one unit's report that recurs year after year (`青山镇2021年河长制工作总结`,
//! `青山镇2023年河长制工作总结`), the years it has and the years missing between its first
//! and its last — the gap an inspection asks about.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

/// A title without its years, dates and ordinals, white space and emptied brackets:
/// `青山镇2021年河长制工作总结` and `青山镇二〇二三年度河长制工作总结` are both
/// `青山镇河长制工作总结`; `第3期`, `12月`, `2022—2023年度` go too.
pub fn series_key(title: &str) -> String {
    let chars: Vec<char> = title.chars().filter(|c| !c.is_whitespace()).collect();
    let numeral = |c: char| {
        c.is_ascii_digit() || ('０'..='９').contains(&c) || "〇○零一二三四五六七八九十百两".contains(c)
    };
    const UNITS: [&str; 10] = ["年度", "季度", "年", "月", "日", "号", "期", "次", "批", "届"];
    let mut out: Vec<char> = Vec::with_capacity(chars.len());
    let mut i = 0;
    while i < chars.len() {
        if numeral(chars[i]) {
            let start = i;
            while i < chars.len() && numeral(chars[i]) {
                i += 1;
            }
            let run: String = chars[start..i].iter().collect();
            let rest: String = chars[i..].iter().take(2).collect();
            let unit = UNITS.iter().find(|u| rest.starts_with(*u));
            let four_digit_year = run.len() == 4 && (run.starts_with("19") || run.starts_with("20"));
            if let Some(unit) = unit {
                i += unit.chars().count();
                // `第3期`: the 第 goes with its number.
                if out.last() == Some(&'第') {
                    out.pop();
                }
                continue;
            }
            if four_digit_year {
                // `2022—2023年度`: the range mark goes with the first year.
                if chars.get(i).is_some_and(|c| "—-–－~～至到".contains(*c))
                    && chars.get(i + 1).is_some_and(|c| numeral(*c))
                {
                    i += 1;
                }
                continue;
            }
            out.extend(&chars[start..i]);
            continue;
        }
        out.push(chars[i]);
        i += 1;
    }
    // What joined the removed parts: range marks, emptied brackets, separators at the ends.
    let mut text: String = out.into_iter().collect();
    for empty in ["（）", "()", "【】", "[]", "〔〕"] {
        text = text.replace(empty, "");
    }
    let joiners: &[char] = &['—', '-', '–', '－', '~', '～', '至', '、', '_', '.', '·'];
    let mut text = text.trim_matches(joiners).to_string();
    for joiner in joiners {
        let doubled: String = [*joiner, *joiner].iter().collect();
        while text.contains(&doubled) {
            text = text.replace(&doubled, &joiner.to_string());
        }
    }
    text.trim_start_matches(joiners).to_string()
}

/// A document as series see it.
#[derive(Debug, Clone)]
pub struct Member {
    /// The document's id (for links on the web page).
    pub id: u64,
    /// The file's path.
    pub path: String,
    /// The title.
    pub title: String,
    /// The report year; documents without one are in no series.
    pub year: Option<i32>,
    /// The issuing office, the unit when the title names none.
    pub issuer: Option<String>,
}

/// One series, as `dangan series --json` prints it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Series {
    /// The title without its years (with the issuer before it when the title names no unit).
    pub name: String,
    /// The report years it has, ascending.
    pub years: Vec<i32>,
    /// The years between its first and last that it lacks, ascending.
    pub missing: Vec<i32>,
    /// Its documents, by year then path.
    pub documents: Vec<SeriesDocument>,
}

/// A document of a series.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SeriesDocument {
    /// The document's id (not in the JSON: the web page links with it).
    #[serde(skip)]
    pub id: u64,
    /// The file's path.
    pub path: String,
    /// Its report year.
    pub year: i32,
}

/// Whether a series key begins with a unit's name (`青山镇…`, `东山村…`, `县教育局…`): then
/// the title names its unit.
fn names_a_unit(key: &str) -> bool {
    let prefix: String = key
        .split("关于")
        .next()
        .unwrap_or_default()
        .chars()
        .take(20)
        .collect();
    (2..=prefix.chars().count()).any(|n| {
        let head: String = prefix.chars().take(n).collect();
        crate::meta::is_office_name(&head) || head.ends_with(['镇', '乡', '村', '县', '区', '市', '局'])
    })
}

/// The series among `members` (copies already folded): documents whose titles are the same
/// without years, dates and ordinals, of one unit, in at least two report years. Sorted by
/// name.
pub fn find(members: &[Member]) -> Vec<Series> {
    let mut groups: BTreeMap<String, Vec<&Member>> = BTreeMap::new();
    for m in members.iter().filter(|m| m.year.is_some()) {
        let key = series_key(&m.title);
        if key.chars().count() < 2 {
            continue;
        }
        // A series is one unit's: without a unit in the title or an issuer, none is known.
        // An issuer signs as `东山村委会` one year and `东山村村民委员会` the next.
        let unit = match (&m.issuer, names_a_unit(&key)) {
            (_, true) => key,
            (Some(issuer), false) => format!("{} · {key}", crate::meta::unit_core(issuer)),
            (None, false) => continue,
        };
        groups.entry(unit).or_default().push(m);
    }
    let mut found: Vec<Series> = groups
        .into_values()
        .filter_map(|docs| {
            // Named as its latest report names its unit.
            let latest = docs
                .iter()
                .max_by(|a, b| a.year.cmp(&b.year).then(b.path.cmp(&a.path)))?;
            let key = series_key(&latest.title);
            let name = match (&latest.issuer, names_a_unit(&key)) {
                (Some(issuer), false) => format!("{issuer} · {key}"),
                _ => key,
            };
            let years: BTreeSet<i32> = docs.iter().filter_map(|d| d.year).collect();
            if years.len() < 2 {
                return None;
            }
            let (first, last) = (*years.first()?, *years.last()?);
            let missing = (first..=last).filter(|y| !years.contains(y)).collect();
            let mut documents: Vec<SeriesDocument> = docs
                .iter()
                .filter_map(|d| {
                    Some(SeriesDocument {
                        id: d.id,
                        path: d.path.clone(),
                        year: d.year?,
                    })
                })
                .collect();
            documents.sort_by(|a, b| a.year.cmp(&b.year).then_with(|| a.path.cmp(&b.path)));
            Some(Series {
                name,
                years: years.into_iter().collect(),
                missing,
                documents,
            })
        })
        .collect();
    found.sort_by(|a, b| a.name.cmp(&b.name));
    found
}

/// The series among listed documents ([`crate::index::search::Searcher::list`], copies
/// folded).
pub fn of_listed(listed: Vec<crate::index::search::Listed>) -> Vec<Series> {
    let members: Vec<Member> = listed
        .into_iter()
        .map(|doc| Member {
            id: doc.id,
            path: doc.path,
            title: doc.title,
            year: doc.year,
            issuer: doc.official.issuer,
        })
        .collect();
    find(&members)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_without_years_dates_and_ordinals() {
        for (title, want) in [
            ("青山镇2021年河长制工作总结", "青山镇河长制工作总结"),
            ("青山镇二〇二三年度河长制工作总结", "青山镇河长制工作总结"),
            (
                "青山镇2022—2023年度民族团结创建自查报告",
                "青山镇民族团结创建自查报告",
            ),
            ("农村饮水安全工作简报（第3期）", "农村饮水安全工作简报"),
            ("2023年第3次党政联席会议纪要", "党政联席会议纪要"),
            ("青山镇“十四五”发展规划", "青山镇“十四五”发展规划"),
            ("2023工作总结", "工作总结"),
            ("关于12月份安全检查的通知", "关于份安全检查的通知"),
            ("5G网络建设推进情况报告", "5G网络建设推进情况报告"),
        ] {
            assert_eq!(series_key(title), want, "{title}");
        }
    }

    fn member(path: &str, title: &str, year: i32, issuer: Option<&str>) -> Member {
        Member {
            id: 0,
            path: path.into(),
            title: title.into(),
            year: Some(year),
            issuer: issuer.map(str::to_string),
        }
    }

    #[test]
    fn series_with_their_missing_years() {
        let members = [
            member("/a/2019.docx", "青山镇2019年河长制工作总结", 2019, None),
            member("/a/2021.docx", "青山镇2021年河长制工作总结", 2021, None),
            member("/a/2023.docx", "青山镇二〇二三年河长制工作总结", 2023, None),
            member("/a/d.docx", "东山村2021年河长制工作总结", 2021, None),
            member("/a/x.docx", "2021年工作总结", 2021, Some("青山镇人民政府")),
            member("/a/y.docx", "2022年工作总结", 2022, Some("青山镇人民政府")),
            member("/a/z.docx", "2022年工作总结", 2022, Some("东山村村民委员会")),
            member("/a/z2.docx", "2023年工作总结", 2023, Some("西山村村民委员会")),
            // One village signing short one year, in full the next.
            member("/a/w1.docx", "2022年河道保洁工作总结", 2022, Some("西山村委会")),
            member(
                "/a/w2.docx",
                "2023年河道保洁工作总结",
                2023,
                Some("西山村村民委员会"),
            ),
            // No unit in the title and no issuer: whose reports these are is unknown.
            member("/a/p1.docx", "2020年个人述职报告", 2020, None),
            member("/a/p2.docx", "2021年个人述职报告", 2021, None),
        ];
        let found = find(&members);
        let names: Vec<&str> = found.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "西山村村民委员会 · 河道保洁工作总结",
                "青山镇人民政府 · 工作总结",
                "青山镇河长制工作总结"
            ]
        );
        let river = &found[2];
        assert_eq!(river.years, [2019, 2021, 2023]);
        assert_eq!(river.missing, [2020, 2022]);
        assert_eq!(river.documents.len(), 3);
        assert_eq!(found[1].missing, Vec::<i32>::new());
        assert_eq!(found[0].years, [2022, 2023]);
    }
}
