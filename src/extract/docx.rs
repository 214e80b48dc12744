//! OOXML word-processing packages (`.docx .docm .dotx .dotm`, Transitional and Strict):
//! every piece of text a reader sees, streamed member by member with quick-xml events.
//!
//! The main part is found through `_rels/.rels`; headers, footers, footnotes, endnotes,
//! styles and `altChunk` parts through the main part's relationships. Elements are matched
//! by local name only, so Strict namespaces and odd prefixes (`ns0:`) read the same.

use std::collections::{HashMap, HashSet};
use std::io::{Cursor, Read, Seek};

use quick_xml::events::{BytesStart, Event};

use super::limits::Limits;
use super::numbering::{Counters, Numbering};
use super::package::Package;
use super::xml::{XmlHandler, attr, collapse_space, on_off, text_of};
use super::{Document, Paragraph, PartCounts, SkipReason};

/// Extracts a DOCX-family package from any seekable reader.
pub fn extract_docx<R: Read + Seek>(reader: R, limits: &Limits) -> Result<Document, SkipReason> {
    extract_package(reader, limits, 0)
}

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
        if let Some(text) = alt_chunk_text(&mut pkg, &rel.target, depth)? {
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

/// The text of an `altChunk` part: HTML, plain text, or a nested package.
fn alt_chunk_text<R: Read + Seek>(
    pkg: &mut Package<R>,
    part: &str,
    depth: u8,
) -> Result<Option<String>, SkipReason> {
    if !pkg.find(part) {
        return Ok(None);
    }
    let bytes = pkg.read_bytes(part)?;
    let lower = part.to_lowercase();
    if bytes.starts_with(b"PK\x03\x04") {
        if depth >= MAX_CHUNK_DEPTH {
            return Ok(None);
        }
        // A nested package shares nothing with ours but the caps.
        return Ok(extract_package(Cursor::new(bytes), pkg.limits(), depth + 1)
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
