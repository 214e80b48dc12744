//! Zip-safety caps: how much a package may inflate to, member by member and in all, how
//! many members it may list, and how far a member may expand past its compressed size.
//!
//! Sizes declared in a zip are never trusted: every member is read through
//! [`CappedReader`], which counts what actually comes out of the inflater.

use std::cell::Cell;
use std::io::{self, Read};
use std::rc::Rc;

const MIB: u64 = 1024 * 1024;

/// The caps applied to one package.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Most bytes one member may inflate to.
    pub member_bytes: u64,
    /// Most bytes all members read from one package may inflate to together.
    pub document_bytes: u64,
    /// Most members the zip directory may list.
    pub members: u64,
    /// Most a member may expand relative to its compressed size, once it is past
    /// [`Limits::ratio_grace_bytes`].
    pub ratio: u64,
    /// Inflated bytes below which the ratio is not checked (tiny, very regular XML
    /// parts compress far better than real content).
    pub ratio_grace_bytes: u64,
    /// Most bytes of text kept from one document (UTF-8).
    pub text_bytes: usize,
    /// Most bytes of an XML part between two markup characters: the XML parser holds a
    /// whole text node in memory, so this bounds its memory whatever the part's size.
    pub text_node_bytes: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            member_bytes: 128 * MIB,
            document_bytes: 256 * MIB,
            members: 10_000,
            ratio: 250,
            ratio_grace_bytes: 4 * MIB,
            text_bytes: 16 * 1024 * 1024,
            text_node_bytes: 8 * MIB,
        }
    }
}

/// Which cap a read ran into.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CapHit {
    /// One member inflated past [`Limits::member_bytes`].
    Member {
        /// The cap, in bytes.
        limit: u64,
    },
    /// The members read from one package inflated past [`Limits::document_bytes`]
    /// together.
    Document {
        /// The cap, in bytes.
        limit: u64,
    },
    /// A member, past [`Limits::ratio_grace_bytes`], inflated to more than
    /// [`Limits::ratio`] times its compressed size.
    Ratio {
        /// The most inflated bytes allowed per compressed byte.
        limit: u64,
        /// The member's compressed size in bytes, as the zip declares it.
        compressed: u64,
    },
    /// An XML member ran more than [`Limits::text_node_bytes`] without a `<` or `>`.
    TextNode {
        /// The cap, in bytes.
        limit: u64,
    },
}

impl std::fmt::Display for CapHit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CapHit::Member { limit } => write!(f, "a member inflates past {} MiB", limit / MIB),
            CapHit::Document { limit } => {
                write!(f, "the package inflates past {} MiB in all", limit / MIB)
            }
            CapHit::TextNode { limit } => {
                write!(f, "an XML text node runs past {} MiB", limit / MIB)
            }
            CapHit::Ratio { limit, compressed } => write!(
                f,
                "a member expands more than {limit}:1 from {compressed} compressed bytes (zip bomb?)"
            ),
        }
    }
}

/// Running total of inflated bytes for one package, shared by its member readers.
#[derive(Debug, Default, Clone)]
pub struct Budget {
    used: Rc<Cell<u64>>,
    hit: Rc<Cell<Option<CapHit>>>,
}

impl Budget {
    /// The cap that stopped a read, if one did.
    pub fn hit(&self) -> Option<CapHit> {
        self.hit.get()
    }
}

/// A reader over one inflating zip member that stops at the caps.
pub struct CappedReader<R> {
    inner: R,
    read: u64,
    compressed: u64,
    limits: Limits,
    budget: Budget,
    /// Bytes since the last `<` or `>`, when the member is XML.
    since_markup: Option<u64>,
}

impl<R: Read> CappedReader<R> {
    /// Caps `inner`, the inflating reader of a member whose compressed size is `compressed`
    /// bytes, charging what it yields to `budget` (shared by the package's members).
    pub fn new(inner: R, compressed: u64, limits: Limits, budget: Budget) -> Self {
        CappedReader {
            inner,
            read: 0,
            compressed,
            limits,
            budget,
            since_markup: None,
        }
    }

    /// Also caps the bytes between markup characters (for XML members).
    pub fn xml(mut self) -> Self {
        self.since_markup = Some(0);
        self
    }

    fn check(&self) -> Option<CapHit> {
        let l = &self.limits;
        if self.read > l.member_bytes {
            return Some(CapHit::Member {
                limit: l.member_bytes,
            });
        }
        if self.budget.used.get() > l.document_bytes {
            return Some(CapHit::Document {
                limit: l.document_bytes,
            });
        }
        if self.read > l.ratio_grace_bytes && self.read / self.compressed.max(1) > l.ratio {
            return Some(CapHit::Ratio {
                limit: l.ratio,
                compressed: self.compressed,
            });
        }
        None
    }
}

impl<R: Read> Read for CappedReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read += n as u64;
        if let Some(since) = self.since_markup.as_mut() {
            let cap = self.limits.text_node_bytes;
            let chunk = &buf[..n];
            let mut longest = 0u64;
            let mut run_start = 0usize;
            let mut run_carry = *since;
            for pos in memchr::memchr2_iter(b'<', b'>', chunk) {
                longest = longest.max(run_carry + (pos - run_start) as u64);
                run_start = pos + 1;
                run_carry = 0;
            }
            let tail = run_carry + (n - run_start) as u64;
            *since = tail;
            longest = longest.max(tail);
            if longest > cap {
                self.budget.hit.set(Some(CapHit::TextNode { limit: cap }));
                return Err(io::Error::other("size cap reached"));
            }
        }
        self.budget.used.set(self.budget.used.get() + n as u64);
        if let Some(hit) = self.check() {
            self.budget.hit.set(Some(hit));
            return Err(io::Error::other("size cap reached"));
        }
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn small() -> Limits {
        Limits {
            member_bytes: 100,
            document_bytes: 150,
            members: 10,
            ratio: 10,
            ratio_grace_bytes: 20,
            text_bytes: 1000,
            text_node_bytes: 30,
        }
    }

    fn drain(r: &mut impl Read) -> io::Result<u64> {
        io::copy(r, &mut io::sink())
    }

    #[test]
    fn member_cap_stops_reading() {
        let budget = Budget::default();
        let data = [b'a'; 200];
        let mut r = CappedReader::new(&data[..], 100, small(), budget.clone());
        assert!(drain(&mut r).is_err());
        assert_eq!(budget.hit(), Some(CapHit::Member { limit: 100 }));
    }

    #[test]
    fn document_cap_counts_all_members() {
        let budget = Budget::default();
        let data = [b'a'; 90];
        let mut first = CappedReader::new(&data[..], 90, small(), budget.clone());
        assert!(drain(&mut first).is_ok());
        let mut second = CappedReader::new(&data[..], 90, small(), budget.clone());
        assert!(drain(&mut second).is_err());
        assert_eq!(budget.hit(), Some(CapHit::Document { limit: 150 }));
    }

    #[test]
    fn ratio_cap_catches_bombs_past_the_grace() {
        let budget = Budget::default();
        let data = [b'a'; 50];
        let mut r = CappedReader::new(&data[..], 2, small(), budget.clone());
        assert!(drain(&mut r).is_err());
        assert_eq!(
            budget.hit(),
            Some(CapHit::Ratio {
                limit: 10,
                compressed: 2
            })
        );
    }

    #[test]
    fn long_text_nodes_stop_xml_reads() {
        let budget = Budget::default();
        let data = [b"<a>".as_slice(), &[b'x'; 40], b"</a>"].concat();
        let mut r = CappedReader::new(&data[..], 1000, small(), budget.clone()).xml();
        assert!(drain(&mut r).is_err());
        assert_eq!(budget.hit(), Some(CapHit::TextNode { limit: 30 }));
        let data = [b"<a>".as_slice(), &[b'x'; 20], b"</a><b>", &[b'y'; 20], b"</b>"].concat();
        let mut r = CappedReader::new(&data[..], 1000, small(), Budget::default()).xml();
        assert!(drain(&mut r).is_ok());
    }

    #[test]
    fn small_regular_members_pass() {
        let budget = Budget::default();
        let data = [b'a'; 20];
        let mut r = CappedReader::new(&data[..], 1, small(), budget.clone());
        assert_eq!(drain(&mut r).ok(), Some(20));
        assert_eq!(budget.hit(), None);
    }
}
