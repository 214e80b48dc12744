//! Civil (calendar) dates from Unix time, in UTC: one home for the arithmetic that the
//! readers (document property times), the year rules (this year) and the front ends
//! (when a root was last synced) share, and [`DocDate`], a document's date as precise as it
//! is written.

use std::fmt;
use std::time::{SystemTime, UNIX_EPOCH};

/// The UTC calendar date `(year, month, day)` of a Unix time (Howard Hinnant's algorithm).
pub fn civil_date(unix_secs: u64) -> (i32, u32, u32) {
    let days = (unix_secs / 86_400) as i64 + 719_468;
    let era = days.div_euclid(146_097);
    let doe = days.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    ((yoe + era * 400 + i64::from(month <= 2)) as i32, month, day)
}

/// Seconds since the Unix epoch now (0 if the clock is before it).
pub fn now_secs() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// The current year, UTC.
pub fn current_year() -> i32 {
    civil_date(now_secs()).0
}

/// A Unix time as `2023-12-05T08:00:00Z` (ISO 8601, UTC).
pub fn iso_utc(secs: u64) -> String {
    let (y, m, d) = civil_date(secs);
    let t = secs % 86_400;
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        t / 3600,
        t / 60 % 60,
        t % 60
    )
}

/// A Unix time as people read it: `2023-12-05 08:00:00 UTC`.
pub fn utc_label(secs: u64) -> String {
    iso_utc(secs).replace('T', " ").replace('Z', " UTC")
}

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

/// A date filter's value as the CLI and the web page take it (`2023`, `2023-06`,
/// `2023-06-30`), or the one-line message both give for anything else.
pub fn parse_filter_date(text: &str) -> Result<DocDate, String> {
    DocDate::parse_iso(text)
        .ok_or_else(|| format!("`{text}` is not a date: write 2023, 2023-06 or 2023-06-30"))
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

impl serde::Serialize for DocDate {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for DocDate {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        DocDate::parse_iso(&text).ok_or_else(|| serde::de::Error::custom(format!("not a date: {text}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_dates() {
        assert_eq!(civil_date(0), (1970, 1, 1));
        assert_eq!(civil_date(1_709_164_800), (2024, 2, 29));
        assert_eq!(civil_date(1_798_675_200), (2026, 12, 31));
    }

    #[test]
    fn iso_times() {
        assert_eq!(iso_utc(0), "1970-01-01T00:00:00Z");
        assert_eq!(utc_label(0), "1970-01-01 00:00:00 UTC");
        assert_eq!(iso_utc(1_701_734_400 + 8 * 3600 + 61), "2023-12-05T08:01:01Z");
    }

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
}
