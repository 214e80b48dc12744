//! Civil (calendar) dates from Unix time, in UTC: one home for the arithmetic that the
//! readers (document property times), the year rules (this year) and the front ends
//! (when a root was last synced) share.

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
}
