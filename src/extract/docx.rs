//! OOXML word-processing packages (`.docx .docm .dotx .dotm`, Transitional and Strict):
//! every piece of text a reader sees, streamed member by member with quick-xml events.
//!
//! The main part is found through `_rels/.rels`; headers, footers, footnotes, endnotes,
//! styles and `altChunk` parts through the main part's relationships. Elements are matched
//! by local name only, so Strict namespaces and odd prefixes (`ns0:`) read the same.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::io::{BufRead, BufReader, Cursor, Read, Seek, SeekFrom};

use quick_xml::XmlVersion;
use quick_xml::events::{BytesStart, Event};

use super::limits::{Budget, CappedReader, Limits};
use super::numbering::{Counters, Numbering};
use super::{Document, Meta, Paragraph, PartCounts, SkipReason};

/// Extracts a DOCX-family package from any seekable reader.
pub fn extract_docx<R: Read + Seek>(reader: R, limits: &Limits) -> Result<Document, SkipReason> {
    extract_package(reader, limits, 0)
}

/// Deeper element nesting than real documents ever use is an attack on the parser.
const MAX_XML_DEPTH: usize = 512;

/// How deep `altChunk` parts holding whole packages may nest.
const MAX_CHUNK_DEPTH: u8 = 1;

fn extract_package<R: Read + Seek>(reader: R, limits: &Limits, depth: u8) -> Result<Document, SkipReason> {
    let mut pkg = Package::open(reader, limits)?;

    let package_rels = pkg.relationships("")?;
    let main = package_rels
        .iter()
        .find(|r| r.kind == "officeDocument" && !r.external)
        .map(|r| r.target.clone())
        .or_else(|| {
            pkg.find("word/document.xml")
                .then(|| "word/document.xml".to_string())
        })
        .ok_or_else(|| {
            SkipReason::NoMainPart(if pkg.find("_rels/.rels") {
                "_rels/.rels names no officeDocument part".to_string()
            } else {
                "no _rels/.rels and no word/document.xml".to_string()
            })
        })?;
    if !pkg.find(&main) {
        return Err(SkipReason::NoMainPart(format!("{main} is not in the package")));
    }

    let main_rels = pkg.relationships(&main)?;
    // Styles and list definitions only shape the text: a broken one costs its effect,
    // not the document (a size cap still stops everything).
    let styles = pkg.parse_formatting(&main_rels, "styles", Styles::default())?;
    let numbering = pkg.parse_formatting(&main_rels, "numbering", Numbering::default())?;

    // altChunk parts are read before the main part, which holds the zip while it streams.
    let mut chunks = HashMap::new();
    for rel in main_rels.iter().filter(|r| r.kind == "aFChunk" && !r.external) {
        if let Some(text) = pkg.alt_chunk_text(&rel.target, depth)? {
            chunks.insert(rel.id.clone(), text);
        }
    }

    let shared = Shared {
        styles: &styles,
        numbering: &numbering,
        chunks: &chunks,
        limits,
    };
    let mut doc = Document::default();
    let body = pkg.parse(&main, Story::new(StoryKind::Body, &shared))?.finish();
    doc.parts.body = body.out;
    doc.counts = body.counts;
    doc.paragraphs = body.paragraphs;

    let mut seen_parts = HashSet::new();
    for kind in [
        StoryKind::Header,
        StoryKind::Footer,
        StoryKind::Footnotes,
        StoryKind::Endnotes,
    ] {
        let mut seen_text: HashSet<String> = HashSet::new();
        for rel in main_rels
            .iter()
            .filter(|r| r.kind == kind.rel_type() && !r.external)
        {
            if !seen_parts.insert(rel.target.clone()) || !pkg.find(&rel.target) {
                continue;
            }
            let story = pkg.parse(&rel.target, Story::new(kind, &shared))?.finish();
            let text = story.out.trim_end_matches('\n');
            if text.trim().is_empty() || !seen_text.insert(text.to_string()) {
                continue;
            }
            let chars = story.counts.body
                + story.counts.headers
                + story.counts.footers
                + story.counts.footnotes
                + story.counts.endnotes;
            let (part, count) = doc.part_mut(kind);
            if !part.is_empty() {
                part.push('\n');
            }
            part.push_str(text);
            part.push('\n');
            *count += chars;
        }
    }

    doc.meta = pkg.metadata(&package_rels)?;
    Ok(doc)
}

impl Document {
    fn part_mut(&mut self, kind: StoryKind) -> (&mut String, &mut usize) {
        match kind {
            StoryKind::Body => (&mut self.parts.body, &mut self.counts.body),
            StoryKind::Header => (&mut self.parts.headers, &mut self.counts.headers),
            StoryKind::Footer => (&mut self.parts.footers, &mut self.counts.footers),
            StoryKind::Footnotes => (&mut self.parts.footnotes, &mut self.counts.footnotes),
            StoryKind::Endnotes => (&mut self.parts.endnotes, &mut self.counts.endnotes),
        }
    }
}

// ---------------------------------------------------------------------------------------
// The package: zip members by part name, read through the caps.

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
    fn parse_formatting<H: XmlHandler + Default>(
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
    fn relationships(&mut self, part: &str) -> Result<Vec<Relationship>, SkipReason> {
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

    fn metadata(&mut self, package_rels: &[Relationship]) -> Result<Meta, SkipReason> {
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

    /// The text of an `altChunk` part: HTML, plain text, or a nested package.
    fn alt_chunk_text(&mut self, part: &str, depth: u8) -> Result<Option<String>, SkipReason> {
        if !self.find(part) {
            return Ok(None);
        }
        let bytes = self.read_bytes(part)?;
        let lower = part.to_lowercase();
        if bytes.starts_with(b"PK\x03\x04") {
            if depth >= MAX_CHUNK_DEPTH {
                return Ok(None);
            }
            // A nested package shares nothing with ours but the caps.
            return Ok(extract_package(Cursor::new(bytes), &self.limits, depth + 1)
                .ok()
                .map(|d| d.text()));
        }
        let text = decode_text_bytes(&bytes);
        let is_html = lower.ends_with(".htm")
            || lower.ends_with(".html")
            || lower.ends_with(".xhtml")
            || text.trim_start().starts_with('<');
        if is_html {
            Ok(Some(html_to_text(&text)))
        } else if lower.ends_with(".txt") || lower.ends_with(".text") || !lower.contains('.') {
            Ok(Some(text))
        } else {
            // RTF, MHT and other chunk formats are not read yet.
            Ok(None)
        }
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

pub(super) fn zip_open_error(err: zip::result::ZipError) -> SkipReason {
    SkipReason::Truncated(err.to_string())
}

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

// ---------------------------------------------------------------------------------------
// Small XML helpers.

pub(super) trait XmlHandler {
    fn event(&mut self, event: Event<'_>) -> Result<(), SkipReason>;
}

/// An attribute's value by local name (`w:val` and `val` alike).
pub(super) fn attr(e: &BytesStart<'_>, local: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == local)
        .map(|a| {
            a.normalized_value(XmlVersion::Implicit1_0)
                .map(|v| v.into_owned())
                .unwrap_or_else(|_| a.value.clone().into_owned())
        })
}

/// An OOXML on/off value: absent `val`, `1`, `true`, `on` are on.
fn on_off(e: &BytesStart<'_>) -> bool {
    !matches!(attr(e, "val").as_deref(), Some("0" | "false" | "off" | "none"))
}

pub(super) fn text_of<'a>(event: &'a Event<'_>) -> Option<Cow<'a, str>> {
    match event {
        Event::Text(t) => Some(t.xml10_content()),
        Event::CData(t) => Some(t.xml10_content()),
        Event::GeneralRef(r) => {
            if let Ok(Some(c)) = r.resolve_char_ref() {
                return Some(Cow::Owned(c.to_string()));
            }
            quick_xml::escape::resolve_predefined_entity(&r.xml10_content()).map(Cow::Borrowed)
        }
        _ => None,
    }
}

// ---------------------------------------------------------------------------------------
// Relationships and properties.

#[derive(Debug, Clone)]
struct Relationship {
    id: String,
    /// The last segment of the relationship type URI (`officeDocument`, `header` …), so
    /// Transitional and Strict types compare equal.
    kind: String,
    target: String,
    external: bool,
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

/// Leaf properties at one depth of a metadata part (core.xml and app.xml: under the root;
/// ODF meta.xml: under `office:meta`), keyed by `key` (None: not kept).
pub(super) struct Properties {
    leaf_depth: usize,
    key: fn(&str) -> Option<String>,
    depth: usize,
    current: Option<(String, String)>,
    pub(super) values: Vec<(String, String)>,
}

impl Properties {
    pub(super) fn new(leaf_depth: usize, key: fn(&str) -> Option<String>) -> Self {
        Properties {
            leaf_depth,
            key,
            depth: 0,
            current: None,
            values: Vec::new(),
        }
    }

    /// core.xml and app.xml: the root's leaves in snake case.
    fn ooxml() -> Self {
        Properties::new(2, |name| Some(snake_case(name)))
    }
}

impl XmlHandler for Properties {
    fn event(&mut self, event: Event<'_>) -> Result<(), SkipReason> {
        match &event {
            Event::Start(e) => {
                self.depth += 1;
                self.current = if self.depth == self.leaf_depth {
                    (self.key)(e.local_name().as_ref()).map(|key| (key, String::new()))
                } else {
                    // Not a leaf (HeadingPairs, TitlesOfParts …): not a property we keep.
                    None
                };
            }
            Event::End(_) => {
                if self.depth == self.leaf_depth
                    && let Some((key, value)) = self.current.take()
                {
                    let value = value.trim().to_string();
                    if !value.is_empty() {
                        self.values.push((key, value));
                    }
                }
                self.depth = self.depth.saturating_sub(1);
            }
            _ => {
                if let (Some((_, value)), Some(text)) = (self.current.as_mut(), text_of(&event)) {
                    value.push_str(&text);
                }
            }
        }
        Ok(())
    }
}

pub(super) fn snake_case(name: &str) -> String {
    let mut out = String::with_capacity(name.len() + 4);
    let chars: Vec<char> = name.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        if c.is_ascii_uppercase() {
            let prev_lower = i > 0 && chars[i - 1].is_ascii_lowercase();
            let next_lower = chars.get(i + 1).is_some_and(|n| n.is_ascii_lowercase());
            let prev_upper = i > 0 && chars[i - 1].is_ascii_uppercase();
            if i > 0 && (prev_lower || (prev_upper && next_lower)) {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

// ---------------------------------------------------------------------------------------
// Styles: what title detection needs from word/styles.xml.

#[derive(Debug, Default, Clone)]
struct Style {
    name: Option<String>,
    based_on: Option<String>,
    centered: Option<bool>,
    bold: Option<bool>,
    outline_level: Option<u8>,
    num_id: Option<String>,
    ilvl: Option<u8>,
}

#[derive(Debug, Default)]
struct Styles {
    by_id: HashMap<String, Style>,
    current: Option<(String, Style)>,
    in_ppr: bool,
    in_rpr: bool,
}

impl Styles {
    /// Follows `basedOn` until `pick` gives a value (at most 16 steps: cycles exist).
    fn inherited<T>(&self, id: &str, pick: impl Fn(&Style) -> Option<T>) -> Option<T> {
        super::inherited(&self.by_id, id, |s| s.based_on.as_deref(), pick)
    }

    fn name(&self, id: &str) -> String {
        self.by_id
            .get(id)
            .and_then(|s| s.name.clone())
            .unwrap_or_else(|| id.to_string())
    }
}

impl XmlHandler for Styles {
    fn event(&mut self, event: Event<'_>) -> Result<(), SkipReason> {
        match event {
            Event::Start(e) => match e.local_name().as_ref() {
                "style" => {
                    let id = attr(&e, "styleId").unwrap_or_default();
                    self.current = Some((id, Style::default()));
                }
                "pPr" => self.in_ppr = true,
                "rPr" => self.in_rpr = true,
                local => {
                    let Some((_, style)) = self.current.as_mut() else {
                        return Ok(());
                    };
                    match local {
                        "name" => style.name = attr(&e, "val"),
                        "basedOn" => style.based_on = attr(&e, "val"),
                        "jc" if self.in_ppr => {
                            style.centered = Some(attr(&e, "val").as_deref() == Some("center"))
                        }
                        "outlineLvl" if self.in_ppr => {
                            style.outline_level = attr(&e, "val").and_then(|v| v.parse().ok())
                        }
                        "b" if self.in_rpr => style.bold = Some(on_off(&e)),
                        "numId" if self.in_ppr => style.num_id = attr(&e, "val"),
                        "ilvl" if self.in_ppr => style.ilvl = attr(&e, "val").and_then(|v| v.parse().ok()),
                        _ => {}
                    }
                }
            },
            Event::End(e) => match e.local_name().as_ref() {
                "style" => {
                    if let Some((id, style)) = self.current.take() {
                        self.by_id.insert(id, style);
                    }
                }
                "pPr" => self.in_ppr = false,
                "rPr" => self.in_rpr = false,
                _ => {}
            },
            _ => {}
        }
        Ok(())
    }
}

// ---------------------------------------------------------------------------------------
// Stories: the body, a header, a footer, the footnotes or the endnotes.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum StoryKind {
    Body,
    Header,
    Footer,
    Footnotes,
    Endnotes,
}

impl StoryKind {
    fn rel_type(self) -> &'static str {
        match self {
            StoryKind::Body => "officeDocument",
            StoryKind::Header => "header",
            StoryKind::Footer => "footer",
            StoryKind::Footnotes => "footnotes",
            StoryKind::Endnotes => "endnotes",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FrameKind {
    Root,
    Paragraph,
    Table,
    Row,
    Cell,
    TextBox,
}

/// An open container whose text is being collected.
#[derive(Debug)]
struct Frame {
    kind: FrameKind,
    text: String,
    /// Block content anchored inside a paragraph (a text box), emitted after it.
    after: String,
    info: Paragraph,
    has_text: bool,
    /// Alternative texts already emitted here (a picture names them twice).
    alt_texts: Vec<String>,
    style_id: Option<String>,
    num_id: Option<String>,
    ilvl: Option<u8>,
}

impl Frame {
    fn new(kind: FrameKind) -> Self {
        Frame {
            kind,
            text: String::new(),
            after: String::new(),
            info: Paragraph::default(),
            has_text: false,
            alt_texts: Vec::new(),
            style_id: None,
            num_id: None,
            ilvl: None,
        }
    }
}

/// Field state: `false` while in the field code, `true` once in its result.
type FieldStack = Vec<bool>;

/// What every story of a package reads from.
struct Shared<'a> {
    styles: &'a Styles,
    numbering: &'a Numbering,
    chunks: &'a HashMap<String, String>,
    limits: &'a Limits,
}

struct Story<'a> {
    kind: StoryKind,
    styles: &'a Styles,
    numbering: &'a Numbering,
    counters: Counters,
    chunks: &'a HashMap<String, String>,
    limits: &'a Limits,
    frames: Vec<Frame>,
    /// Depth inside a subtree whose text is not read (deletions, field codes, property
    /// blocks, the other branches of `mc:AlternateContent` …).
    skip: usize,
    in_t: bool,
    in_ppr: bool,
    in_rpr: bool,
    run_bold: Option<bool>,
    run_style_bold: Option<bool>,
    fields: FieldStack,
    /// Per open `mc:AlternateContent`: whether a branch was taken already.
    alternates: Vec<bool>,
    table_depth: usize,
    textbox_depth: usize,
    bytes: usize,
    counts: PartCounts,
    paragraphs: Vec<Paragraph>,
    out: String,
}

impl<'a> Story<'a> {
    fn new(kind: StoryKind, shared: &Shared<'a>) -> Self {
        Story {
            kind,
            styles: shared.styles,
            numbering: shared.numbering,
            counters: Counters::default(),
            chunks: shared.chunks,
            limits: shared.limits,
            frames: vec![Frame::new(FrameKind::Root)],
            skip: 0,
            in_t: false,
            in_ppr: false,
            in_rpr: false,
            run_bold: None,
            run_style_bold: None,
            fields: Vec::new(),
            alternates: Vec::new(),
            table_depth: 0,
            textbox_depth: 0,
            bytes: 0,
            counts: PartCounts::default(),
            paragraphs: Vec::new(),
            out: String::new(),
        }
    }

    fn top(&mut self) -> &mut Frame {
        // The root frame is never popped, so the stack is never empty.
        let last = self.frames.len() - 1;
        &mut self.frames[last]
    }

    fn in_field_code(&self) -> bool {
        self.fields.iter().any(|in_result| !in_result)
    }

    /// Appends run text to the innermost container, counting it to its part.
    fn push_text(&mut self, text: &str) -> Result<(), SkipReason> {
        if text.is_empty() || self.in_field_code() {
            return Ok(());
        }
        self.count(text)?;
        let bold = self.run_bold.or(self.run_style_bold);
        let top = self.top();
        top.text.push_str(text);
        if top.kind == FrameKind::Paragraph && !text.trim().is_empty() {
            let effective = bold.unwrap_or(top.info.bold);
            top.info.bold = if top.has_text {
                top.info.bold && effective
            } else {
                effective
            };
            top.has_text = true;
        }
        Ok(())
    }

    /// The list number of an auto-numbered paragraph, once its properties are known.
    fn push_list_label(&mut self) -> Result<(), SkipReason> {
        let Some(frame) = self.frames.last().filter(|f| f.kind == FrameKind::Paragraph) else {
            return Ok(());
        };
        let style = frame.style_id.as_deref();
        let from_style =
            |pick: fn(&Style) -> Option<String>| style.and_then(|id| self.styles.inherited(id, pick));
        let Some(num_id) = frame.num_id.clone().or_else(|| from_style(|s| s.num_id.clone())) else {
            return Ok(());
        };
        let ilvl = frame
            .ilvl
            .or_else(|| style.and_then(|id| self.styles.inherited(id, |s| s.ilvl)))
            .unwrap_or(0);
        if let Some(label) = self.numbering.next_label(&mut self.counters, &num_id, ilvl) {
            // Counted as text, but left out of the paragraph's bold/centred test.
            self.count(&label)?;
            self.top().text.push_str(&label);
        }
        Ok(())
    }

    /// Counts text to its part and enforces the text cap.
    fn count(&mut self, text: &str) -> Result<(), SkipReason> {
        self.bytes += text.len();
        if self.bytes > self.limits.text_bytes {
            return Err(SkipReason::TooLarge(format!(
                "more than {} MiB of text",
                self.limits.text_bytes / (1024 * 1024)
            )));
        }
        let chars = text.chars().count();
        let counter = match self.kind {
            StoryKind::Body if self.textbox_depth > 0 => &mut self.counts.textboxes,
            StoryKind::Body if self.table_depth > 0 => &mut self.counts.tables,
            StoryKind::Body => &mut self.counts.body,
            StoryKind::Header => &mut self.counts.headers,
            StoryKind::Footer => &mut self.counts.footers,
            StoryKind::Footnotes => &mut self.counts.footnotes,
            StoryKind::Endnotes => &mut self.counts.endnotes,
        };
        *counter += chars;
        Ok(())
    }

    /// Alternative text of a picture or table: a line of its own after the paragraph
    /// (or inside the table) it belongs to, each distinct text once.
    fn push_alt_text(&mut self, text: &str) -> Result<(), SkipReason> {
        let text = text.trim();
        if text.is_empty() || self.in_field_code() {
            return Ok(());
        }
        let top = self.top();
        if top.alt_texts.iter().any(|t| t == text) {
            return Ok(());
        }
        top.alt_texts.push(text.to_string());
        self.count(text)?;
        let line = format!("{text}\n");
        self.push_block(&line);
        Ok(())
    }

    /// Hands a closed container's content to its parent: block content anchored in a
    /// paragraph goes after that paragraph's line.
    fn push_block(&mut self, content: &str) {
        self.block_sink().push_str(content);
    }

    fn open(&mut self, e: &BytesStart<'_>) -> Result<(), SkipReason> {
        let local = e.local_name();
        let local = local.as_ref();
        if self.in_ppr {
            self.paragraph_property(local, e);
            if !matches!(local, "pPr") {
                self.skip_unless_leaf(local);
            }
            return Ok(());
        }
        if self.in_rpr {
            match local {
                "b" => self.run_bold = Some(on_off(e)),
                // The formatting before a tracked change, and nested properties.
                "rPrChange" => self.skip = 1,
                "rStyle" => {
                    self.run_style_bold = attr(e, "val").and_then(|id| self.styles.inherited(&id, |s| s.bold))
                }
                _ => {}
            }
            return Ok(());
        }
        match local {
            "t" => self.in_t = true,
            "p" => {
                self.frames.push(Frame::new(FrameKind::Paragraph));
            }
            "pPr" => self.in_ppr = true,
            "r" => {
                self.run_bold = None;
                self.run_style_bold = None;
            }
            "rPr" => self.in_rpr = true,
            "tbl" => {
                self.table_depth += 1;
                self.frames.push(Frame::new(FrameKind::Table));
            }
            "tr" => self.frames.push(Frame::new(FrameKind::Row)),
            "tc" => self.frames.push(Frame::new(FrameKind::Cell)),
            "txbxContent" => {
                self.textbox_depth += 1;
                self.frames.push(Frame::new(FrameKind::TextBox));
            }
            "tab" | "ptab" => self.push_text("\t")?,
            "br" | "cr" => self.push_text("\n")?,
            "noBreakHyphen" => self.push_text("-")?,
            "sym" => {
                if let Some(c) = attr(e, "char").and_then(|hex| sym_char(&hex, attr(e, "font").as_deref())) {
                    self.push_text(c.encode_utf8(&mut [0u8; 4]))?;
                }
            }
            "fldChar" => match attr(e, "fldCharType").as_deref() {
                Some("begin") => self.fields.push(false),
                Some("separate") => {
                    if let Some(last) = self.fields.last_mut() {
                        *last = true;
                    }
                }
                Some("end") => {
                    self.fields.pop();
                }
                _ => {}
            },
            "AlternateContent" => self.alternates.push(false),
            "docPr" | "cNvPr" | "tblCaption" | "tblDescription" => {
                let key = if local.starts_with("tbl") { "val" } else { "descr" };
                if let Some(text) = attr(e, key) {
                    self.push_alt_text(&text)?;
                }
            }
            "Choice" | "Fallback" => match self.alternates.last_mut() {
                Some(taken) if *taken => self.skip = 1,
                Some(taken) => *taken = true,
                None => {}
            },
            "altChunk" => {
                if let Some(text) = attr(e, "id").and_then(|id| self.chunks.get(&id)) {
                    let text = text.trim_end_matches('\n').to_string();
                    self.push_text(&text)?;
                    self.push_block("\n");
                }
            }
            "footnote" | "endnote" => {
                if matches!(
                    attr(e, "type").as_deref(),
                    Some("separator" | "continuationSeparator" | "continuationNotice")
                ) {
                    self.skip = 1;
                }
            }
            // Text a reader does not see, or not as text: deletions, field codes,
            // properties, placeholders.
            "del" | "moveFrom" | "delText" | "instrText" | "delInstrText" | "sdtPr" | "sdtEndPr"
            | "tblGrid" | "trPr" | "tcPr" | "sectPr" | "fldData" | "rt" => self.skip = 1,
            _ => {}
        }
        Ok(())
    }

    /// Inside `w:pPr`, only a few leaves matter; nested blocks (`w:rPr`, `w:tabs`) are
    /// skipped whole so their `w:tab` stops are not read as tabs.
    fn skip_unless_leaf(&mut self, local: &str) {
        if matches!(local, "rPr" | "tabs" | "pPrChange" | "pBdr" | "framePr") {
            self.skip = 1;
        }
    }

    fn paragraph_property(&mut self, local: &str, e: &BytesStart<'_>) {
        let Some(frame) = self.frames.last_mut().filter(|f| f.kind == FrameKind::Paragraph) else {
            return;
        };
        match local {
            "pStyle" => {
                if let Some(id) = attr(e, "val") {
                    let styles = self.styles;
                    frame.info.centered |= styles.inherited(&id, |s| s.centered).unwrap_or(false);
                    frame.info.bold = styles.inherited(&id, |s| s.bold).unwrap_or(false);
                    if frame.info.outline_level.is_none() {
                        frame.info.outline_level = styles.inherited(&id, |s| s.outline_level);
                    }
                    frame.info.style = Some(styles.name(&id));
                    frame.style_id = Some(id);
                }
            }
            "numId" => frame.num_id = attr(e, "val"),
            "ilvl" => frame.ilvl = attr(e, "val").and_then(|v| v.parse().ok()),
            "jc" => frame.info.centered = attr(e, "val").as_deref() == Some("center"),
            "outlineLvl" => frame.info.outline_level = attr(e, "val").and_then(|v| v.parse().ok()),
            _ => {}
        }
    }

    fn close(&mut self, local: &str) -> Result<(), SkipReason> {
        match local {
            "t" => self.in_t = false,
            "pPr" => {
                self.in_ppr = false;
                self.push_list_label()?;
            }
            "rPr" => self.in_rpr = false,
            "p" => self.close_frame(FrameKind::Paragraph),
            "tbl" => {
                self.close_frame(FrameKind::Table);
                self.table_depth = self.table_depth.saturating_sub(1);
            }
            "tr" => self.close_frame(FrameKind::Row),
            "tc" => self.close_frame(FrameKind::Cell),
            "txbxContent" => {
                self.close_frame(FrameKind::TextBox);
                self.textbox_depth = self.textbox_depth.saturating_sub(1);
            }
            "AlternateContent" => {
                self.alternates.pop();
            }
            _ => {}
        }
        Ok(())
    }

    /// Closes the innermost frame of `kind` (and, for broken nesting, anything above it).
    fn close_frame(&mut self, kind: FrameKind) {
        if !self.frames.iter().skip(1).any(|f| f.kind == kind) {
            return;
        }
        while let Some(frame) = self.frames.pop() {
            let done = frame.kind == kind;
            if frame.kind == FrameKind::Root {
                self.frames.push(frame);
                return;
            }
            let top_level = self.frames.len() == 1 && self.kind == StoryKind::Body;
            let sink = self.block_sink();
            match frame.kind {
                FrameKind::Paragraph => {
                    sink.push_str(&frame.text);
                    sink.push('\n');
                    sink.push_str(&frame.after);
                    if top_level {
                        let mut info = frame.info;
                        info.bold &= frame.has_text;
                        info.text = frame.text;
                        self.paragraphs.push(info);
                    }
                }
                FrameKind::Cell => {
                    sink.push_str(frame.text.trim_end_matches('\n'));
                    sink.push('\t');
                }
                FrameKind::Row => {
                    sink.push_str(frame.text.trim_end_matches('\t'));
                    sink.push('\n');
                }
                FrameKind::Table | FrameKind::TextBox | FrameKind::Root => sink.push_str(&frame.text),
            }
            if done {
                return;
            }
        }
    }

    /// Where a closed container's content goes: after the line of an enclosing
    /// paragraph (a text box anchored in it), else into the enclosing container.
    fn block_sink(&mut self) -> &mut String {
        let top = self.top();
        if top.kind == FrameKind::Paragraph {
            &mut top.after
        } else {
            &mut top.text
        }
    }
}

impl XmlHandler for Story<'_> {
    fn event(&mut self, event: Event<'_>) -> Result<(), SkipReason> {
        match &event {
            Event::Start(e) => {
                if self.skip > 0 {
                    self.skip += 1;
                    return Ok(());
                }
                self.open(e)?;
            }
            Event::End(e) => {
                if self.skip > 0 {
                    self.skip -= 1;
                    return Ok(());
                }
                self.close(e.local_name().as_ref())?;
            }
            _ if self.in_t && self.skip == 0 => {
                if let Some(text) = text_of(&event) {
                    self.push_text(&text)?;
                }
            }
            _ => {}
        }
        Ok(())
    }
}

impl Story<'_> {
    /// Closes whatever a truncated part left open and takes the story's text.
    fn finish(mut self) -> Self {
        while let Some(kind) = self
            .frames
            .last()
            .map(|f| f.kind)
            .filter(|&k| k != FrameKind::Root)
        {
            self.close_frame(kind);
        }
        self.out = std::mem::take(&mut self.frames[0].text);
        self
    }
}

/// `w:sym`: the character, with Symbol-font codes (F0xx) mapped to Unicode.
fn sym_char(hex: &str, font: Option<&str>) -> Option<char> {
    let code = u32::from_str_radix(hex.trim(), 16).ok()?;
    let code = if (0xF000..=0xF0FF).contains(&code) {
        code - 0xF000
    } else {
        code
    };
    if font.is_some_and(|f| f.eq_ignore_ascii_case("Symbol"))
        && let Some(c) = symbol_font_char(code)
    {
        return Some(c);
    }
    char::from_u32(code).filter(|c| !c.is_control())
}

/// The Symbol font's Greek letters and common signs, by their Symbol code.
fn symbol_font_char(code: u32) -> Option<char> {
    const UPPER: &str = "ΑΒΧΔΕΦΓΗΙϑΚΛΜΝΟΠΘΡΣΤΥςΩΞΨΖ";
    const LOWER: &str = "αβχδεφγηιϕκλμνοπθρστυϖωξψζ";
    match code {
        0x41..=0x5A => UPPER.chars().nth((code - 0x41) as usize),
        0x61..=0x7A => LOWER.chars().nth((code - 0x61) as usize),
        0xB7 => Some('•'),
        0xB4 => Some('×'),
        0xB8 => Some('÷'),
        0xB1 => Some('±'),
        0xA3 => Some('≤'),
        0xB3 => Some('≥'),
        0xB9 => Some('≠'),
        0xAE => Some('→'),
        0xAC => Some('←'),
        0xD6 => Some('√'),
        0xA5 => Some('∞'),
        0xB0 => Some('°'),
        0xD8 => Some('¬'),
        _ => None,
    }
}

// ---------------------------------------------------------------------------------------
// altChunk helpers.

/// Bytes of a text or HTML chunk as a string: UTF-16 by BOM, else UTF-8 (lossy).
fn decode_text_bytes(bytes: &[u8]) -> String {
    let utf16 = |rest: &[u8], unit: fn([u8; 2]) -> u16| {
        let units: Vec<u16> = rest.chunks_exact(2).map(|c| unit([c[0], c[1]])).collect();
        String::from_utf16_lossy(&units)
    };
    if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        return utf16(rest, u16::from_le_bytes);
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        return utf16(rest, u16::from_be_bytes);
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    String::from_utf8_lossy(bytes).into_owned()
}

/// Visible text of an HTML fragment: tags dropped, blocks on their own lines, table cells
/// tab-separated, script and style content dropped, entities decoded.
pub(crate) fn html_to_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len() / 2);
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        out.push_str(&decode_entities(&collapse_space(&rest[..lt])));
        rest = &rest[lt..];
        if rest.starts_with("<!--") {
            rest = rest.find("-->").map_or("", |end| &rest[end + 3..]);
            continue;
        }
        let Some(gt) = rest.find('>') else {
            rest = "";
            break;
        };
        let tag = &rest[1..gt];
        rest = &rest[gt + 1..];
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        let closing = tag.starts_with('/');
        if !closing && (name == "script" || name == "style" || name == "head" || name == "title") {
            let end = format!("</{name}");
            rest = find_ignore_ascii_case(rest, &end)
                .and_then(|i| rest[i..].find('>').map(|j| i + j + 1))
                .map_or("", |i| &rest[i..]);
            continue;
        }
        match name.as_str() {
            "br" | "p" | "div" | "tr" | "li" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "table" | "ul"
            | "ol" | "blockquote" | "pre"
                if !out.ends_with('\n') && !out.is_empty() =>
            {
                out.push('\n');
            }
            "td" | "th" if closing => out.push('\t'),
            _ => {}
        }
    }
    out.push_str(&decode_entities(&collapse_space(rest)));
    let lines: Vec<&str> = out
        .lines()
        .map(|l| l.trim_matches([' ', '\t']))
        .filter(|l| !l.is_empty())
        .collect();
    let mut text = lines.join("\n");
    text.push('\n');
    text
}

fn find_ignore_ascii_case(hay: &str, needle: &str) -> Option<usize> {
    let hay_b = hay.as_bytes();
    let needle = needle.as_bytes();
    (0..hay_b.len().saturating_sub(needle.len() - 1))
        .find(|&i| hay_b[i..i + needle.len()].eq_ignore_ascii_case(needle))
}

/// Runs of white space as one space (HTML and ODF text rules).
pub(super) fn collapse_space(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut last_space = false;
    for c in s.chars() {
        if c.is_ascii_whitespace() {
            if !last_space {
                out.push(' ');
            }
            last_space = true;
        } else {
            out.push(c);
            last_space = false;
        }
    }
    out
}

fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let end = rest.find(';').filter(|&i| i <= 10);
        let decoded = end.and_then(|i| {
            let name = &rest[1..i];
            let c = match name {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "nbsp" => Some('\u{a0}'),
                _ => name
                    .strip_prefix("#x")
                    .or_else(|| name.strip_prefix("#X"))
                    .and_then(|h| u32::from_str_radix(h, 16).ok())
                    .or_else(|| name.strip_prefix('#').and_then(|d| d.parse().ok()))
                    .and_then(char::from_u32),
            };
            c.map(|c| (c, i))
        });
        match decoded {
            Some((c, i)) => {
                out.push(c);
                rest = &rest[i + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}
