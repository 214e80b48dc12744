//! One `run` per subcommand.

pub mod extract;
pub mod index;
pub mod list;
pub mod search;
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

use crate::extract::SkipReason;

/// Files that were not read, counted by reason: documents that could not be read
/// (`skipped`), and files the walk passed over (lock files, formats not read yet, links).
#[derive(Debug, Default)]
pub struct Tally {
    pub skipped: BTreeMap<&'static str, usize>,
    pub passed_over: BTreeMap<&'static str, usize>,
}

impl Tally {
    /// Counts `reason`, and says it on stderr for a document, or for a passed-over file
    /// when `verbose`.
    pub fn note(&mut self, path: &std::path::Path, reason: &SkipReason, walked_past: bool, verbose: bool) {
        let counts = if walked_past {
            &mut self.passed_over
        } else {
            &mut self.skipped
        };
        *counts.entry(reason.kind()).or_default() += 1;
        if !walked_past {
            eprintln!("dangan: skipped {}: {reason}", path.display());
        } else if verbose {
            eprintln!("dangan: passed over {}: {reason}", path.display());
        }
    }

    pub fn skipped_total(&self) -> usize {
        self.skipped.values().sum()
    }

    /// `, 2 skipped (1 encrypted, 1 empty file); 3 passed over (…)`.
    pub fn summary(&self, verbose: bool) -> String {
        let mut out = format!(", {} skipped{}", self.skipped_total(), by_reason(&self.skipped));
        let passed: usize = self.passed_over.values().sum();
        if passed > 0 {
            out.push_str(&format!("; {passed} passed over{}", by_reason(&self.passed_over)));
            if !verbose {
                out.push_str(" (--verbose lists them)");
            }
        }
        out
    }
}

/// ` (2 encrypted, 1 empty file)`, or nothing.
fn by_reason(counts: &BTreeMap<&'static str, usize>) -> String {
    if counts.is_empty() {
        return String::new();
    }
    let reasons: Vec<String> = counts.iter().map(|(kind, n)| format!("{n} {kind}")).collect();
    format!(" ({})", reasons.join(", "))
}
