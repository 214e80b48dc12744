//! One `run` per subcommand.

pub mod extract;

/// How a command ended, for the exit status (grep's convention).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Exit 0: everything asked for was done / found.
    Success,
    /// Exit 1: finished, but something was skipped or nothing was found.
    Partial,
    /// Exit 2: an error the user must fix (already reported on stderr).
    Failed,
}
