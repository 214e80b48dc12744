//! The search and filter parameters of the web page and the API, parsed from the query
//! string with the CLI's rules and messages: a bad value is a 400 with one line, never a
//! guess.

use crate::index::search::{Filter, SearchOptions};
use crate::meta::DocDate;
use crate::query::{self, Query};

/// Longest query accepted, in characters.
pub const MAX_QUERY_CHARS: usize = 1000;
/// Most hits one request may ask for; larger `n` is clamped.
pub const MAX_N: usize = 1000;
/// Hits per page when `n` is not given.
pub const DEFAULT_N: usize = 20;

/// One request's parameters, as typed (kept to fill the form again).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Params {
    /// The query text (`q`), trimmed.
    pub q: String,
    /// `year`, or `from`/`to`.
    pub years: Option<(i32, i32)>,
    /// The raw year fields, for the form.
    pub year: String,
    /// The raw `from` field, trimmed (empty when not given).
    pub from: String,
    /// The raw `to` field, trimmed (empty when not given).
    pub to: String,
    /// The raw `date_from` field, trimmed.
    pub date_from: String,
    /// The raw `date_to` field, trimmed.
    pub date_to: String,
    /// Document dates, parsed from `date_from`/`date_to`.
    pub dates: (Option<DocDate>, Option<DocDate>),
    /// `kind`, repeatable: any of these kinds.
    pub kinds: Vec<String>,
    /// `issuer`: part of the issuing office's name.
    pub issuer: String,
    /// Newest report year first (`sort=year`).
    pub by_year: bool,
    /// Hits per page.
    pub n: usize,
    /// Hits skipped before the page.
    pub offset: usize,
}

impl Params {
    /// Parses the `key=value` pairs of a query string (already percent-decoded). Unknown
    /// keys are ignored, as browsers and scripts add their own.
    pub fn parse(pairs: &[(String, String)]) -> Result<Params, String> {
        let mut p = Params {
            n: DEFAULT_N,
            ..Params::default()
        };
        for (key, value) in pairs {
            let value = value.trim();
            match key.as_str() {
                "q" => {
                    if value.chars().count() > MAX_QUERY_CHARS {
                        return Err(format!("query too long: at most {MAX_QUERY_CHARS} characters"));
                    }
                    p.q = value.to_string();
                }
                "year" => p.year = value.to_string(),
                "from" => p.from = value.to_string(),
                "to" => p.to = value.to_string(),
                "sort" => {
                    p.by_year = match value {
                        "" | "relevance" => false,
                        "year" => true,
                        other => return Err(format!("sort must be relevance or year, not {other:?}")),
                    }
                }
                "n" if !value.is_empty() => {
                    let n: i64 = value
                        .parse()
                        .map_err(|_| format!("n must be a whole number from 1 to {MAX_N}, not {value:?}"))?;
                    if n < 1 {
                        return Err(format!("n must be a whole number from 1 to {MAX_N}, not {n}"));
                    }
                    p.n = usize::try_from(n).unwrap_or(MAX_N).min(MAX_N);
                }
                "offset" if !value.is_empty() => {
                    p.offset = value
                        .parse()
                        .map_err(|_| format!("offset must be a whole number from 0, not {value:?}"))?;
                }
                "date_from" => p.date_from = value.to_string(),
                "date_to" => p.date_to = value.to_string(),
                "kind" if !value.is_empty() => {
                    let kind =
                        crate::meta::parse_kind(value).map_err(|message| format!("kind: {message}"))?;
                    if !p.kinds.contains(&kind) {
                        p.kinds.push(kind);
                    }
                }
                "issuer" => p.issuer = value.to_string(),
                _ => {}
            }
        }
        p.years = year_range(&p.year, &p.from, &p.to)?;
        let date = |name: &str, value: &str| -> Result<Option<DocDate>, String> {
            if value.is_empty() {
                return Ok(None);
            }
            crate::date::parse_filter_date(value)
                .map(Some)
                .map_err(|message| format!("{name}: {message}"))
        };
        p.dates = (date("date_from", &p.date_from)?, date("date_to", &p.date_to)?);
        if let (Some(from), Some(to)) = p.dates
            && from.span().0 > to.span().1
        {
            return Err(format!("date_from {from} is after date_to {to}"));
        }
        Ok(p)
    }

    /// The parsed query; an empty one is `None`.
    pub fn query(&self) -> Result<Option<Query>, String> {
        if self.q.is_empty() {
            return Ok(None);
        }
        query::parse(&self.q).map(Some).map_err(|e| e.to_string())
    }

    /// The filters these parameters ask for.
    pub fn filter(&self) -> Filter {
        Filter {
            years: self.years,
            dates: self.dates,
            kinds: self.kinds.clone(),
            issuer: Some(self.issuer.clone()).filter(|i| !i.is_empty()),
            all_copies: false,
        }
    }

    /// The search options these parameters ask for.
    pub fn search_options(&self) -> SearchOptions {
        SearchOptions {
            limit: self.n,
            offset: self.offset,
            filter: self.filter(),
            by_year: self.by_year,
            check_candidates: None,
        }
    }

    /// The query string that asks for the same with some keys replaced (for links: a
    /// year's filter, the next page). Values are percent-encoded.
    pub fn link(&self, changes: &[(&str, String)]) -> String {
        let mut pairs: Vec<(&str, String)> = vec![
            ("q", self.q.clone()),
            ("year", self.year.clone()),
            ("from", self.from.clone()),
            ("to", self.to.clone()),
            ("date_from", self.date_from.clone()),
            ("date_to", self.date_to.clone()),
            ("issuer", self.issuer.clone()),
            (
                "sort",
                if self.by_year {
                    "year".into()
                } else {
                    String::new()
                },
            ),
            (
                "n",
                if self.n == DEFAULT_N {
                    String::new()
                } else {
                    self.n.to_string()
                },
            ),
        ];
        pairs.extend(self.kinds.iter().map(|k| ("kind", k.clone())));
        for (key, value) in changes {
            match pairs.iter_mut().find(|(k, _)| k == key) {
                Some(pair) => pair.1 = value.clone(),
                None => pairs.push((key, value.clone())),
            }
        }
        let encoded: Vec<String> = pairs
            .into_iter()
            .filter(|(_, v)| !v.is_empty())
            .map(|(k, v)| format!("{k}={}", encode(&v)))
            .collect();
        format!("?{}", encoded.join("&"))
    }
}

/// Percent-encodes a query-string value.
pub fn encode(value: &str) -> String {
    // RFC 3986's unreserved marks stay as they are: `date_from=2022-12` reads as typed.
    const VALUE: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'.')
        .remove(b'_')
        .remove(b'~');
    percent_encoding::utf8_percent_encode(value, VALUE).to_string()
}

/// `year`, or `from`/`to`, as an inclusive range; the CLI's messages.
fn year_range(year: &str, from: &str, to: &str) -> Result<Option<(i32, i32)>, String> {
    let number = |name: &str, value: &str| -> Result<Option<i32>, String> {
        if value.is_empty() {
            return Ok(None);
        }
        value
            .parse::<i32>()
            .map(Some)
            .map_err(|_| format!("{name} must be a year such as 2023, not {value:?}"))
    };
    if let Some(y) = number("year", year)? {
        return Ok(Some((y, y)));
    }
    let (from, to) = (number("from", from)?, number("to", to)?);
    if from.is_none() && to.is_none() {
        return Ok(None);
    }
    let range = (from.unwrap_or(i32::MIN), to.unwrap_or(i32::MAX));
    if range.0 > range.1 {
        return Err(format!("from {} is after to {}", range.0, range.1));
    }
    Ok(Some(range))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(query: &str) -> Result<Params, String> {
        let pairs: Vec<(String, String)> = query
            .split('&')
            .filter(|s| !s.is_empty())
            .map(|kv| {
                let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
                (k.to_string(), v.to_string())
            })
            .collect();
        Params::parse(&pairs)
    }

    #[test]
    fn parameters_and_their_errors() {
        let p = parse("q=民族团结&year=2022&n=5&offset=10&sort=year").expect("parses");
        assert_eq!(
            (p.q.as_str(), p.years, p.n, p.offset, p.by_year),
            ("民族团结", Some((2022, 2022)), 5, 10, true)
        );
        assert_eq!(parse("from=2021").expect("from").years, Some((2021, i32::MAX)));
        assert_eq!(parse("n=5000").expect("clamped").n, MAX_N);
        assert_eq!(parse("").expect("defaults").n, DEFAULT_N);
        for bad in [
            "n=-1",
            "n=0",
            "n=x",
            "year=二〇二三",
            "from=2023&to=2021",
            "offset=-3",
            "sort=size",
            "date_from=2023-13",
            "date_to=June",
            "date_from=2023-07&date_to=2023-06",
        ] {
            assert!(parse(bad).is_err(), "{bad}");
        }
        let p = parse("kind=通知&kind=决定&kind=通知&issuer=人民政府&date_from=2023-06&date_to=2023")
            .expect("filters");
        let filter = p.filter();
        assert_eq!(filter.kinds, ["通知", "决定"]);
        assert_eq!(filter.issuer.as_deref(), Some("人民政府"));
        assert_eq!(filter.dates.0.map(|d| d.to_string()).as_deref(), Some("2023-06"));
        assert!(
            p.link(&[]).contains("kind=%E9%80%9A%E7%9F%A5&kind="),
            "{}",
            p.link(&[])
        );
        let long = format!("q={}", "字".repeat(MAX_QUERY_CHARS + 1));
        assert!(parse(&long).is_err());
        assert!(parse("q=\"unclosed").expect("params").query().is_err());
        assert_eq!(parse("q=").expect("params").query(), Ok(None));
    }

    #[test]
    fn links_keep_the_search_and_change_one_thing() {
        let p = parse("q=河长制 总结&year=2021").expect("parses");
        assert_eq!(
            p.link(&[("year", "2022".into())]),
            "?q=%E6%B2%B3%E9%95%BF%E5%88%B6%20%E6%80%BB%E7%BB%93&year=2022"
        );
        assert_eq!(
            p.link(&[("year", String::new()), ("offset", "20".into())]),
            "?q=%E6%B2%B3%E9%95%BF%E5%88%B6%20%E6%80%BB%E7%BB%93&offset=20"
        );
    }
}
