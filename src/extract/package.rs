//! A zip package (OOXML, ODF, OFD) read under the caps: members by part name,
//! relationships, metadata parts, and XML parts parsed through an [`XmlHandler`].

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Seek, SeekFrom};

use quick_xml::events::Event;

use super::limits::{Budget, CappedReader, Limits};
use super::xml::{Properties, XmlHandler, attr};
use super::{Meta, SkipReason};

/// Deeper element nesting than real documents ever use is an attack on the parser.
const MAX_XML_DEPTH: usize = 512;

/// An opened zip package; every read counts against one shared budget.
pub(super) struct Package<R> {
    archive: zip::ZipArchive<R>,
    /// Normalised part name (lower case, no leading `/`, `/` separators) → member index.
    names: HashMap<String, usize>,
    limits: Limits,
    budget: Budget,
}

fn normalise_part_name(name: &str) -> String {
    name.trim_start_matches(['/', '\\'])
        .replace('\\', "/")
        .to_lowercase()
}

impl<R: Read + Seek> Package<R> {
    /// Opens a zip package under the caps: the member count is checked from the end
    /// record before the directory is loaded, and again after.
    pub(super) fn open(mut reader: R, limits: &Limits) -> Result<Self, SkipReason> {
        let too_many = |count: u64| {
            SkipReason::TooLarge(format!("the zip lists {count} members (cap {})", limits.members))
        };
        if let Some(count) = zip_entry_count(&mut reader)
            && count > limits.members
        {
            return Err(too_many(count));
        }
        let archive = zip::ZipArchive::new(reader).map_err(zip_open_error)?;
        let pkg = Package::new(archive, *limits);
        if pkg.names.len() as u64 > limits.members {
            return Err(too_many(pkg.names.len() as u64));
        }
        Ok(pkg)
    }

    fn new(archive: zip::ZipArchive<R>, limits: Limits) -> Self {
        let names = archive
            .file_names_raw()
            .enumerate()
            .map(|(i, raw)| (normalise_part_name(&String::from_utf8_lossy(raw)), i))
            .collect();
        Package {
            archive,
            names,
            limits,
            budget: Budget::default(),
        }
    }

    /// A formatting part (styles, numbering) by relationship type; missing or malformed
    /// gives the default, a size cap is still an error.
    pub(super) fn parse_formatting<H: XmlHandler + Default>(
        &mut self,
        rels: &[Relationship],
        kind: &str,
        empty: H,
    ) -> Result<H, SkipReason> {
        let Some(rel) = rels
            .iter()
            .find(|r| r.kind == kind && !r.external && self.find(&r.target))
        else {
            return Ok(empty);
        };
        let target = rel.target.clone();
        match self.parse(&target, empty) {
            Ok(handler) => Ok(handler),
            Err(cap @ SkipReason::TooLarge(_)) => Err(cap),
            Err(_) => Ok(H::default()),
        }
    }

    /// The caps this package is read under.
    pub(super) fn limits(&self) -> &Limits {
        &self.limits
    }

    /// Whether the package holds `part`.
    pub(super) fn find(&self, part: &str) -> bool {
        self.names.contains_key(&normalise_part_name(part))
    }

    /// Parses one part through `handler`, mapping every failure to a skip reason.
    ///
    /// A part that inflates to at most [`SLICE_PARSE_BYTES`] is parsed from memory (quick-xml
    /// borrows from a slice, about twice as fast); a larger one is streamed, so memory
    /// stays bounded whatever a package claims or holds.
    pub(super) fn parse<H: XmlHandler>(&mut self, part: &str, handler: H) -> Result<H, SkipReason> {
        let Some(&index) = self.names.get(&normalise_part_name(part)) else {
            return Err(SkipReason::NoMainPart(format!("{part} is not in the package")));
        };
        let budget = self.budget.clone();
        let mut handler = handler;
        let data = {
            let member = self.archive.by_index(index).map_err(|e| member_error(part, e))?;
            let compressed = member.compressed_size();
            if member.size() <= SLICE_PARSE_BYTES {
                let capped = CappedReader::new(member, compressed, self.limits, budget.clone()).xml();
                let mut data =
                    Vec::with_capacity(compressed.saturating_mul(8).min(SLICE_PARSE_BYTES) as usize);
                capped
                    .take(SLICE_PARSE_BYTES + 1)
                    .read_to_end(&mut data)
                    .map_err(|e| io_error(&budget, part, e))?;
                Some(data).filter(|d| d.len() as u64 <= SLICE_PARSE_BYTES)
            } else {
                None
            }
        };
        let mut depth = 0usize;
        if let Some(data) = data {
            let mut reader = xml_reader(&data[..]);
            loop {
                let event = reader
                    .read_event()
                    .map_err(|e| xml_error(&budget, part, &reader, e))?;
                if feed(&mut handler, event, &mut depth, part)? {
                    return Ok(handler);
                }
            }
        }
        // Too large for memory (or the declared size lied): stream. The budget keeps counting.
        let member = self.archive.by_index(index).map_err(|e| member_error(part, e))?;
        let compressed = member.compressed_size();
        let capped = CappedReader::new(member, compressed, self.limits, budget.clone()).xml();
        let mut reader = xml_reader(BufReader::with_capacity(64 * 1024, capped));
        let mut buf = Vec::with_capacity(4096);
        loop {
            buf.clear();
            let event = reader
                .read_event_into(&mut buf)
                .map_err(|e| xml_error(&budget, part, &reader, e))?;
            if feed(&mut handler, event, &mut depth, part)? {
                break;
            }
        }
        // Drain what the parser did not need, so the member's CRC is checked.
        let mut rest = reader.into_inner();
        std::io::copy(&mut rest, &mut std::io::sink()).map_err(|e| io_error(&budget, part, e))?;
        Ok(handler)
    }
}

/// Hands one event to `handler`, enforcing the nesting cap; `true` at the end of the part.
fn feed<H: XmlHandler>(
    handler: &mut H,
    event: Event<'_>,
    depth: &mut usize,
    part: &str,
) -> Result<bool, SkipReason> {
    match event {
        Event::Eof => return Ok(true),
        Event::Start(_) => {
            *depth += 1;
            if *depth > MAX_XML_DEPTH {
                return Err(SkipReason::TooLarge(format!(
                    "XML nested deeper than {MAX_XML_DEPTH} levels ({part})"
                )));
            }
        }
        Event::End(_) => *depth = depth.saturating_sub(1),
        _ => {}
    }
    handler.event(event)?;
    Ok(false)
}

/// Parts up to this size are parsed from memory.
const SLICE_PARSE_BYTES: u64 = 16 * 1024 * 1024;

fn xml_reader<B: BufRead>(source: B) -> quick_xml::Reader<B> {
    let mut reader = quick_xml::Reader::from_reader(source);
    let config = reader.config_mut();
    config.expand_empty_elements = true;
    config.trim_text(false);
    reader
}

fn xml_error<B: BufRead>(
    budget: &Budget,
    part: &str,
    reader: &quick_xml::Reader<B>,
    err: quick_xml::Error,
) -> SkipReason {
    match err {
        quick_xml::Error::Io(io) => io_error(budget, part, std::io::Error::new(io.kind(), io.to_string())),
        other => SkipReason::MalformedXml {
            part: part.to_string(),
            position: reader.error_position(),
            message: other.to_string(),
        },
    }
}

/// A read error inside a part: a cap hit (the budget says which), else a damaged member.
pub(super) fn io_error(budget: &Budget, part: &str, err: std::io::Error) -> SkipReason {
    match budget.hit() {
        Some(hit) => SkipReason::TooLarge(format!("{hit} ({part})")),
        None => SkipReason::CorruptMember {
            part: part.to_string(),
            message: err.to_string(),
        },
    }
}

impl<R: Read + Seek> Package<R> {
    /// Reads a whole part of at most [`SLICE_PARSE_BYTES`] into memory, through the caps.
    pub(super) fn read_bytes(&mut self, part: &str) -> Result<Vec<u8>, SkipReason> {
        let Some(&index) = self.names.get(&normalise_part_name(part)) else {
            return Ok(Vec::new());
        };
        let budget = self.budget.clone();
        let member = self.archive.by_index(index).map_err(|e| member_error(part, e))?;
        let compressed = member.compressed_size();
        let capped = CappedReader::new(member, compressed, self.limits, budget.clone());
        let mut out = Vec::new();
        capped
            .take(SLICE_PARSE_BYTES + 1)
            .read_to_end(&mut out)
            .map_err(|e| io_error(&budget, part, e))?;
        if out.len() as u64 > SLICE_PARSE_BYTES {
            return Err(SkipReason::TooLarge(format!(
                "{part} inflates past {} MiB",
                SLICE_PARSE_BYTES >> 20
            )));
        }
        Ok(out)
    }

    /// The relationships of `part` (`""` for the package), with targets resolved to part
    /// names. A missing `.rels` part is no relationships.
    pub(super) fn relationships(&mut self, part: &str) -> Result<Vec<Relationship>, SkipReason> {
        let rels_part = rels_part_name(part);
        if !self.find(&rels_part) {
            return Ok(Vec::new());
        }
        let mut rels = self.parse(&rels_part, Relationships::default())?.rels;
        for rel in &mut rels {
            if !rel.external {
                rel.target = resolve_target(part, &rel.target);
            }
        }
        Ok(rels)
    }

    pub(super) fn metadata(&mut self, package_rels: &[Relationship]) -> Result<Meta, SkipReason> {
        let mut meta = Meta::new();
        for (kind, fallback) in [
            ("core-properties", "docProps/core.xml"),
            ("extended-properties", "docProps/app.xml"),
        ] {
            let part = package_rels
                .iter()
                .find(|r| r.kind == kind && !r.external && self.find(&r.target))
                .map(|r| r.target.clone())
                .unwrap_or_else(|| fallback.to_string());
            if !self.find(&part) {
                continue;
            }
            // Bad properties never cost the document its text.
            if let Ok(props) = self.parse(&part, Properties::ooxml()) {
                for (key, value) in props.values {
                    meta.entry(key).or_insert(value);
                }
            }
        }
        Ok(meta)
    }
}

/// `word/document.xml` → `word/_rels/document.xml.rels`; `""` → `_rels/.rels`.
fn rels_part_name(part: &str) -> String {
    match part.rsplit_once('/') {
        Some((dir, name)) => format!("{dir}/_rels/{name}.rels"),
        None => format!("_rels/{part}.rels"),
    }
}

/// Resolves a relationship target against the folder of its source part.
fn resolve_target(source: &str, target: &str) -> String {
    let target = percent_decode(target.split('#').next().unwrap_or(target));
    let target = target.replace('\\', "/");
    let mut segments: Vec<&str> = Vec::new();
    if !target.starts_with('/')
        && let Some((dir, _)) = source.rsplit_once('/')
    {
        segments.extend(dir.split('/').filter(|s| !s.is_empty()));
    }
    for segment in target.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                segments.pop();
            }
            s => segments.push(s),
        }
    }
    segments.join("/")
}

fn percent_decode(s: &str) -> String {
    if !s.contains('%') {
        return s.to_string();
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok();
            if let Some(v) = hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A zip that does not open: cut short, or its directory damaged.
pub(super) fn zip_open_error(err: zip::result::ZipError) -> SkipReason {
    SkipReason::Truncated(err.to_string())
}

/// A member that cannot be read: encrypted, or damaged.
pub(super) fn member_error(part: &str, err: zip::result::ZipError) -> SkipReason {
    match err {
        zip::result::ZipError::UnsupportedArchive(msg) if msg.contains("assword") => SkipReason::Encrypted,
        other => SkipReason::CorruptMember {
            part: part.to_string(),
            message: other.to_string(),
        },
    }
}

/// The member count the end-of-central-directory record declares, read before the zip
/// crate loads the whole directory (so a directory of millions of entries costs nothing).
pub(super) fn zip_entry_count<R: Read + Seek>(reader: &mut R) -> Option<u64> {
    let len = reader.seek(SeekFrom::End(0)).ok()?;
    let tail_len = len.min(66 * 1024);
    reader.seek(SeekFrom::Start(len - tail_len)).ok()?;
    let mut tail = vec![0u8; tail_len as usize];
    reader.read_exact(&mut tail).ok()?;
    reader.seek(SeekFrom::Start(0)).ok()?;
    let eocd = tail.windows(4).rposition(|w| w == b"PK\x05\x06")?;
    let record = tail.get(eocd..eocd + 22)?;
    let count = u16::from_le_bytes([record[10], record[11]]);
    if count != 0xFFFF {
        return Some(u64::from(count));
    }
    // Zip64: the locator sits just before the EOCD and points at the zip64 record.
    let locator = tail.get(eocd.checked_sub(20)?..eocd)?;
    if &locator[..4] != b"PK\x06\x07" {
        return None;
    }
    let offset = u64::from_le_bytes(locator[8..16].try_into().ok()?);
    reader.seek(SeekFrom::Start(offset)).ok()?;
    let mut record = [0u8; 56];
    reader.read_exact(&mut record).ok()?;
    reader.seek(SeekFrom::Start(0)).ok()?;
    if &record[..4] != b"PK\x06\x06" {
        return None;
    }
    Some(u64::from_le_bytes(record[32..40].try_into().ok()?))
}

/// One relationship of a part.
#[derive(Debug, Clone)]
pub(super) struct Relationship {
    pub(super) id: String,
    /// The last segment of the relationship type URI (`officeDocument`, `header` …), so
    /// Transitional and Strict types compare equal.
    pub(super) kind: String,
    pub(super) target: String,
    pub(super) external: bool,
}

#[derive(Default)]
struct Relationships {
    rels: Vec<Relationship>,
}

impl XmlHandler for Relationships {
    fn event(&mut self, event: Event<'_>) -> Result<(), SkipReason> {
        if let Event::Start(e) = event
            && e.local_name().as_ref() == "Relationship"
        {
            let kind = attr(&e, "Type").unwrap_or_default();
            self.rels.push(Relationship {
                id: attr(&e, "Id").unwrap_or_default(),
                kind: kind.rsplit('/').next().unwrap_or_default().to_string(),
                target: attr(&e, "Target").unwrap_or_default(),
                external: attr(&e, "TargetMode").is_some_and(|m| m.eq_ignore_ascii_case("External")),
            });
        }
        Ok(())
    }
}
