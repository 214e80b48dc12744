//! The stored fields of a hit, read from the doc store's bytes as they are.
//!
//! tantivy's own deserialisation copies every stored string and checks it is UTF-8: for
//! the whole text of each hit, when a snippet needs a line or two of it. That check was a
//! third of a 5,000-hit search. Here the fields are sliced out of the decompressed block
//! and only what is shown gets checked ([`crate::snippet::snippet_of_bytes`]). The layout
//! is tantivy's document serialisation (tantivy is pinned to a minor version); anything
//! unexpected falls back to tantivy's deserialiser, and a test compares the two.

use tantivy::schema::{Field, Value};
use tantivy::store::StoreReader;
use tantivy::{DocAddress, TantivyDocument};

use super::schema::Fields;

/// Decompressed blocks each segment's reader keeps: none. A block holds one or two
/// documents (4 KB blocks, see `schema`), so a cache seldom hits, while keeping blocks
/// cost every read a lock shared by the fetching threads and left freed blocks scattered
/// through the heap: without it, `search -n 0` of 99,442 hits went from 1.02 to 0.85 s
/// (tantivy's own searcher keeps 100).
const CACHED_BLOCKS: usize = 0;

/// The fields a hit or a listing shows, as stored bytes.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct StoredDoc<'a> {
    /// The document's id (from the `id` column, not the stored bytes).
    pub id: u64,
    pub path: &'a [u8],
    pub root: &'a [u8],
    pub title: &'a [u8],
    pub text: &'a [u8],
    pub year: Option<i64>,
    /// The official-document facts as JSON ([`crate::meta::Official`]).
    pub official: &'a [u8],
}

/// Type codes of tantivy's value serialisation (`schema::document::type_codes`).
const TEXT_CODE: u8 = 0;
const U64_CODE: u8 = 1;
const I64_CODE: u8 = 2;

/// tantivy's variable-length integer: 7 bits a byte, the last byte's high bit set.
fn vint(bytes: &mut &[u8]) -> Option<u64> {
    let mut value = 0u64;
    for shift in (0..64).step_by(7) {
        let (&b, rest) = bytes.split_first()?;
        *bytes = rest;
        value |= u64::from(b & 0x7F) << shift;
        if b & 0x80 != 0 {
            return Some(value);
        }
    }
    None
}

fn take<'a>(bytes: &mut &'a [u8], n: usize) -> Option<&'a [u8]> {
    if bytes.len() < n {
        return None;
    }
    let (head, rest) = bytes.split_at(n);
    *bytes = rest;
    Some(head)
}

/// The fields of one serialised document; `None` when it holds anything this reader does
/// not expect.
pub fn parse<'a>(mut bytes: &'a [u8], fields: &Fields) -> Option<StoredDoc<'a>> {
    let b = &mut bytes;
    let count = vint(b)?;
    let mut doc = StoredDoc::default();
    for _ in 0..count {
        let field = Field::from_field_id(u32::from_le_bytes(take(b, 4)?.try_into().ok()?));
        let code = *take(b, 1)?.first()?;
        match code {
            TEXT_CODE => {
                let len = usize::try_from(vint(b)?).ok()?;
                let value = take(b, len)?;
                if field == fields.path {
                    doc.path = value;
                } else if field == fields.root {
                    doc.root = value;
                } else if field == fields.title {
                    doc.title = value;
                } else if field == fields.text {
                    doc.text = value;
                } else if field == fields.official {
                    doc.official = value;
                }
            }
            U64_CODE | I64_CODE => {
                let value = i64::from_le_bytes(take(b, 8)?.try_into().ok()?);
                if field == fields.year && code == I64_CODE {
                    doc.year = Some(value);
                }
            }
            _ => return None,
        }
    }
    b.is_empty().then_some(doc)
}

/// The doc store of every segment of a searcher.
pub struct Store {
    searcher: tantivy::Searcher,
    readers: Vec<StoreReader>,
    /// Each segment's `id` column.
    ids: Vec<tantivy::columnar::Column<u64>>,
    fields: Fields,
}

impl Store {
    pub fn open(searcher: &tantivy::Searcher, fields: Fields) -> tantivy::Result<Self> {
        let readers = searcher
            .segment_readers()
            .iter()
            .map(|segment| segment.get_store_reader(CACHED_BLOCKS))
            .collect::<Result<_, _>>()?;
        let ids = searcher
            .segment_readers()
            .iter()
            .map(|segment| segment.fast_fields().u64("id"))
            .collect::<Result<_, _>>()?;
        Ok(Store {
            searcher: searcher.clone(),
            readers,
            ids,
            fields,
        })
    }

    /// Whether this is the store of `searcher`'s segments.
    pub fn serves(&self, searcher: &tantivy::Searcher) -> bool {
        self.searcher.generation().generation_id() == searcher.generation().generation_id()
    }

    /// Calls `f` with the stored fields of the document at `address`.
    pub fn with_doc<T>(&self, address: DocAddress, f: impl FnOnce(StoredDoc<'_>) -> T) -> tantivy::Result<T> {
        let reader = self.readers.get(address.segment_ord as usize).ok_or_else(|| {
            tantivy::TantivyError::InvalidArgument(format!("no segment {}", address.segment_ord))
        })?;
        let id = self
            .ids
            .get(address.segment_ord as usize)
            .and_then(|column| column.first(address.doc_id))
            .unwrap_or(0);
        let bytes = reader.get_document_bytes(address.doc_id)?;
        if let Some(doc) = parse(bytes.as_slice(), &self.fields) {
            return Ok(f(StoredDoc { id, ..doc }));
        }
        let doc: TantivyDocument = self.searcher.doc(address)?;
        let text = |field: Field| doc.get_first(field).and_then(|v| v.as_str()).unwrap_or_default();
        let f_ = &self.fields;
        Ok(f(StoredDoc {
            id,
            path: text(f_.path).as_bytes(),
            root: text(f_.root).as_bytes(),
            title: text(f_.title).as_bytes(),
            text: text(f_.text).as_bytes(),
            year: doc.get_first(f_.year).and_then(|v| v.as_i64()),
            official: text(f_.official).as_bytes(),
        }))
    }
}

/// Stored bytes as text (replacement characters where they are not UTF-8).
pub fn lossy(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_bytes_read_as_tantivy_reads_them() {
        let text = "第一行😀\n民族团结进步 GDP 增长\u{301}。".repeat(300);
        let (_dir, index, fields) = crate::index::writer::test_index(&[
            ("/档案/0/2023年工作总结.docx", &text, Some(2023)),
            ("/档案/1/报告.docx", &text, None),
        ]);
        let reader = index.reader().expect("reader");
        let searcher = reader.searcher();
        let store = Store::open(&searcher, fields).expect("store");
        let mut seen = 0;
        for (ord, segment) in searcher.segment_readers().iter().enumerate() {
            for doc_id in segment.doc_ids_alive() {
                let address = DocAddress::new(ord as u32, doc_id);
                let bytes = store.readers[ord].get_document_bytes(doc_id).expect("bytes");
                let parsed = parse(bytes.as_slice(), &fields).expect("layout as expected");
                let doc: TantivyDocument = searcher.doc(address).expect("doc");
                let text_of = |f: Field| doc.get_first(f).and_then(|v| v.as_str()).unwrap_or_default();
                assert_eq!(parsed.path, text_of(fields.path).as_bytes());
                assert_eq!(parsed.root, text_of(fields.root).as_bytes());
                assert_eq!(parsed.title, text_of(fields.title).as_bytes());
                assert_eq!(parsed.text, text_of(fields.text).as_bytes());
                assert_eq!(parsed.official, text_of(fields.official).as_bytes());
                assert_eq!(parsed.year, doc.get_first(fields.year).and_then(|v| v.as_i64()));
                seen += 1;
            }
        }
        assert_eq!(seen, 2);
        assert_eq!(parse(&[0x85, 0, 0, 0, 0, 9], &fields), None, "unknown type code");
        assert_eq!(parse(&[0x81, 0, 0, 0, 0, 0, 0x90], &fields), None, "truncated");
    }
}
