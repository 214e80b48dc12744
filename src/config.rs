//! Resolved settings: raw arguments turned into what the commands use.

use std::path::{Path, PathBuf};

/// Where the index lives: `--index`, else `$DANGAN_INDEX`, else `<data dir>/dangan`.
pub fn index_dir(flag: Option<&Path>) -> Option<PathBuf> {
    if let Some(dir) = flag {
        return Some(dir.to_path_buf());
    }
    if let Some(dir) = std::env::var_os("DANGAN_INDEX").filter(|v| !v.is_empty()) {
        return Some(PathBuf::from(dir));
    }
    data_dir().map(|d| d.join("dangan"))
}

/// [`index_dir`], or an error saying how to name one.
pub fn require_index_dir(flag: Option<&Path>) -> anyhow::Result<PathBuf> {
    index_dir(flag).ok_or_else(|| {
        anyhow::anyhow!("cannot tell where the index is: pass --index DIR or set DANGAN_INDEX")
    })
}

/// The platform's per-user data directory.
fn data_dir() -> Option<PathBuf> {
    let env = |name: &str| {
        std::env::var_os(name)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    };
    if cfg!(windows) {
        env("LOCALAPPDATA").or_else(|| env("APPDATA"))
    } else if cfg!(target_os = "macos") {
        env("HOME").map(|h| h.join("Library/Application Support"))
    } else {
        env("XDG_DATA_HOME").or_else(|| env("HOME").map(|h| h.join(".local/share")))
    }
}

/// The inclusive range of report years `--year` or `--from`/`--to` ask for, if any.
pub fn year_range(args: &crate::cli::YearArgs) -> anyhow::Result<Option<(i32, i32)>> {
    let range = match (args.year, args.from, args.to) {
        (Some(y), _, _) => Some((y, y)),
        (None, None, None) => None,
        (None, from, to) => Some((from.unwrap_or(i32::MIN), to.unwrap_or(i32::MAX))),
    };
    if let Some((from, to)) = range {
        anyhow::ensure!(from <= to, "--from {from} is after --to {to}");
    }
    Ok(range)
}

/// The filters `list`, `search` and `catalog` were given; a date range that ends before it
/// begins is an error.
pub fn filter(args: &crate::cli::FilterArgs) -> anyhow::Result<crate::index::search::Filter> {
    if let (Some(from), Some(to)) = (args.date_from, args.date_to) {
        anyhow::ensure!(
            from.span().0 <= to.span().1,
            "--date-from {from} is after --date-to {to}"
        );
    }
    Ok(crate::index::search::Filter {
        years: year_range(&args.years)?,
        dates: (args.date_from, args.date_to),
        kinds: args
            .kind
            .iter()
            .map(|k| k.trim().to_string())
            .filter(|k| !k.is_empty())
            .collect(),
        issuer: args.issuer.clone().filter(|i| !i.trim().is_empty()),
        all_copies: args.all_copies,
    })
}

pub use crate::crawl::absolute;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flag_wins() {
        assert_eq!(
            index_dir(Some(Path::new("/x/idx"))),
            Some(PathBuf::from("/x/idx"))
        );
    }
}
