//! One `run` per subcommand.

pub mod catalog;
pub mod export;
pub mod extract;
pub mod index;
pub mod list;
pub mod search;
pub mod series;
pub mod serve;
pub mod status;
pub mod years;

/// How a command ended, for the exit status (grep's convention).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Exit 0: everything asked for was done / found.
    Success,
    /// Exit 1: finished, but something was skipped or nothing was found.
    Partial,
    /// Exit 2: an error the user must fix (already reported on stderr).
    Failed,
    /// Exit 130: stopped by Ctrl-C after saving what was done.
    Interrupted,
}

use std::collections::BTreeMap;
use std::path::Path;

use crate::index::pipeline::Tally;
use crate::skip::SkipReason;

/// Says on stderr why a file was not read: always for a document, for a file the walk
/// passed over only when `verbose`.
pub fn say_skipped(path: &Path, reason: &SkipReason, passed_over: bool, verbose: bool) {
    if !passed_over {
        eprintln!("dangan: skipped {}: {reason}", path.display());
    } else if verbose {
        eprintln!("dangan: passed over {}: {reason}", path.display());
    }
}

/// `, 2 skipped (1 encrypted, 1 empty file); 3 passed over (…)`.
pub fn skip_summary(tally: &Tally, verbose: bool) -> String {
    let mut out = format!(", {} skipped{}", tally.skipped_total(), by_reason(&tally.skipped));
    let passed = tally.passed_over_total();
    if passed > 0 {
        out.push_str(&format!(
            "; {passed} passed over{}",
            by_reason(&tally.passed_over)
        ));
        if !verbose {
            out.push_str(" (--verbose lists them)");
        }
    }
    out
}

/// ` (2 encrypted, 1 empty file)`, or nothing.
fn by_reason(counts: &BTreeMap<&'static str, usize>) -> String {
    if counts.is_empty() {
        return String::new();
    }
    let reasons: Vec<String> = counts.iter().map(|(kind, n)| format!("{n} {kind}")).collect();
    format!(" ({})", reasons.join(", "))
}
