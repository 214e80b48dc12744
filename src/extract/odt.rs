//! OpenDocument text (`.odt`, `.ott`): `content.xml` (paragraphs, headings, lists, tables,
//! frames and text boxes, foot- and endnotes), headers and footers from `styles.xml`, and
//! `meta.xml` for title, author and dates. Same zip caps as DOCX; tracked deletions and
//! annotations (comments) are left out.

use std::collections::HashMap;
use std::io::{Read, Seek};

use quick_xml::events::{BytesStart, Event};

use super::limits::Limits;
use super::package::Package;
use super::xml::{Properties, XmlHandler, attr, collapse_space, snake_case, text_of};
use super::{Document, Paragraph, SkipReason};

/// A paragraph style as title detection needs it.
#[derive(Debug, Default, Clone)]
struct Style {
    display: String,
    parent: Option<String>,
    centered: Option<bool>,
    bold: Option<bool>,
}

#[derive(Debug, Default)]
struct Styles {
    by_name: HashMap<String, Style>,
}

impl Styles {
    fn inherited<T>(&self, name: &str, pick: impl Fn(&Style) -> Option<T>) -> Option<T> {
        super::inherited(&self.by_name, name, |s| s.parent.as_deref(), pick)
    }

    /// The display name of the style or of the first ancestor that names a title or heading.
    fn title_name(&self, name: &str) -> String {
        let heading = |s: &Style| {
            let d = s.display.to_lowercase();
            (d == "title" || d == "heading 1" || d.starts_with("标题")).then(|| s.display.clone())
        };
        self.inherited(name, heading)
            .or_else(|| self.by_name.get(name).map(|s| s.display.clone()))
            .unwrap_or_else(|| name.replace("_20_", " "))
    }
}

/// Where text goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Part {
    Body,
    Header,
    Footer,
    Footnote,
    Endnote,
}

#[derive(Debug)]
struct Block {
    text: String,
    after: String,
    info: Paragraph,
    paragraph: bool,
}

/// Streams one ODF XML part (content.xml, or styles.xml for headers and footers).
struct OdtHandler<'a> {
    styles: &'a mut Styles,
    current_style: Option<(String, Style)>,
    /// Only read text inside these (office:text in content.xml; headers/footers in styles.xml).
    reading: usize,
    read_roots: &'static [&'static str],
    skip: usize,
    part_stack: Vec<Part>,
    blocks: Vec<Block>,
    /// The blocks a note interrupted, restored when it ends.
    outer_blocks: Vec<Vec<Block>>,
    table_depth: usize,
    box_depth: usize,
    out: HashMap<&'static str, String>,
    counts: super::PartCounts,
    paragraphs: Vec<Paragraph>,
    text_cap: usize,
    bytes: usize,
}

impl<'a> OdtHandler<'a> {
    fn new(styles: &'a mut Styles, read_roots: &'static [&'static str], text_cap: usize) -> Self {
        OdtHandler {
            styles,
            current_style: None,
            reading: 0,
            read_roots,
            skip: 0,
            part_stack: vec![Part::Body],
            blocks: Vec::new(),
            outer_blocks: Vec::new(),
            table_depth: 0,
            box_depth: 0,
            out: HashMap::new(),
            counts: super::PartCounts::default(),
            paragraphs: Vec::new(),
            text_cap,
            bytes: 0,
        }
    }

    fn part(&self) -> Part {
        self.part_stack.last().copied().unwrap_or(Part::Body)
    }

    fn sink(&mut self) -> &mut String {
        let key = match self.part() {
            Part::Body => "body",
            Part::Header => "headers",
            Part::Footer => "footers",
            Part::Footnote => "footnotes",
            Part::Endnote => "endnotes",
        };
        match self.blocks.last_mut() {
            Some(b) if b.paragraph => &mut b.after,
            Some(b) => &mut b.text,
            None => self.out.entry(key).or_default(),
        }
    }

    fn push_text(&mut self, text: &str) -> Result<(), SkipReason> {
        if text.is_empty() {
            return Ok(());
        }
        self.bytes += text.len();
        if self.bytes > self.text_cap {
            return Err(SkipReason::TooLarge(format!(
                "more than {} MiB of text",
                self.text_cap >> 20
            )));
        }
        let n = text.chars().count();
        let part = self.part();
        let c = &mut self.counts;
        *match part {
            Part::Body if self.box_depth > 0 => &mut c.textboxes,
            Part::Body if self.table_depth > 0 => &mut c.tables,
            Part::Body => &mut c.body,
            Part::Header => &mut c.headers,
            Part::Footer => &mut c.footers,
            Part::Footnote => &mut c.footnotes,
            Part::Endnote => &mut c.endnotes,
        } += n;
        match self.blocks.last_mut() {
            Some(b) => b.text.push_str(text),
            None => self.sink().push_str(text),
        }
        Ok(())
    }

    fn open_block(&mut self, e: Option<&BytesStart<'_>>) {
        let mut info = Paragraph::default();
        if let Some(e) = e {
            if let Some(style) = attr(e, "style-name") {
                info.style = Some(self.styles.title_name(&style));
                info.centered = self.styles.inherited(&style, |s| s.centered).unwrap_or(false);
                info.bold = self.styles.inherited(&style, |s| s.bold).unwrap_or(false);
            }
            if e.local_name().as_ref() == "h" {
                info.outline_level = attr(e, "outline-level")
                    .and_then(|l| l.parse::<u8>().ok())
                    .map(|l| l.saturating_sub(1));
            }
        }
        self.blocks.push(Block {
            text: String::new(),
            after: String::new(),
            info,
            paragraph: e.is_some(),
        });
    }

    fn close_block(&mut self, suffix: &str) {
        let Some(block) = self.blocks.pop() else { return };
        let top_level = self.blocks.is_empty()
            && self.part() == Part::Body
            && self.table_depth == 0
            && self.box_depth == 0;
        let sink = self.sink();
        if block.paragraph {
            sink.push_str(&block.text);
            sink.push('\n');
            sink.push_str(&block.after);
            if top_level {
                let mut info = block.info;
                info.text = block.text;
                self.paragraphs.push(info);
            }
        } else {
            sink.push_str(block.text.trim_end_matches(['\n', '\t']));
            sink.push_str(suffix);
        }
    }

    fn style_property(&mut self, e: &BytesStart<'_>) {
        let Some((_, style)) = self.current_style.as_mut() else {
            return;
        };
        if let Some(align) = attr(e, "text-align") {
            style.centered = Some(align == "center");
        }
        if let Some(weight) = attr(e, "font-weight") {
            style.bold = Some(weight == "bold" || weight.parse::<u32>().is_ok_and(|w| w >= 600));
        }
    }
}

impl XmlHandler for OdtHandler<'_> {
    fn event(&mut self, event: Event<'_>) -> Result<(), SkipReason> {
        match &event {
            Event::Start(e) => {
                if self.skip > 0 {
                    self.skip += 1;
                    return Ok(());
                }
                let local = e.local_name();
                let local = local.as_ref();
                match local {
                    "style" => {
                        let name = attr(e, "name").unwrap_or_default();
                        let display = attr(e, "display-name").unwrap_or_else(|| name.replace("_20_", " "));
                        let parent = attr(e, "parent-style-name");
                        self.current_style = Some((
                            name,
                            Style {
                                display,
                                parent,
                                ..Style::default()
                            },
                        ));
                    }
                    "paragraph-properties" | "text-properties" => self.style_property(e),
                    _ if self.read_roots.contains(&local) => {
                        self.reading += 1;
                        self.part_stack.push(match local {
                            "header" | "header-left" | "header-first" => Part::Header,
                            "footer" | "footer-left" | "footer-first" => Part::Footer,
                            _ => Part::Body,
                        });
                    }
                    _ if self.reading == 0 => {}
                    "p" | "h" => self.open_block(Some(e)),
                    "s" => {
                        let n = attr(e, "c")
                            .and_then(|c| c.parse::<usize>().ok())
                            .unwrap_or(1)
                            .min(1000);
                        self.push_text(&" ".repeat(n))?;
                    }
                    "tab" => self.push_text("\t")?,
                    "line-break" => self.push_text("\n")?,
                    "table" => {
                        self.table_depth += 1;
                        self.open_block(None);
                    }
                    "table-row" | "table-cell" => self.open_block(None),
                    "text-box" => {
                        self.box_depth += 1;
                        self.open_block(None);
                    }
                    "note" => {
                        let endnote = attr(e, "note-class").as_deref() == Some("endnote");
                        self.part_stack
                            .push(if endnote { Part::Endnote } else { Part::Footnote });
                        // Notes go to their own part, not inside the paragraph that cites them.
                        let outer = std::mem::take(&mut self.blocks);
                        self.outer_blocks.push(outer);
                    }
                    // Not text a reader of the page sees: note marks, deleted changes, comments,
                    // declarations, a frame's SVG title and description.
                    "note-citation" | "tracked-changes" | "annotation" | "sequence-decls"
                    | "variable-decls" | "user-field-decls" | "forms" | "table-columns" => self.skip = 1,
                    "title" | "desc" if e.name().as_ref().starts_with("svg:") => self.skip = 1,
                    _ => {}
                }
            }
            Event::End(e) => {
                if self.skip > 0 {
                    self.skip -= 1;
                    return Ok(());
                }
                let local = e.local_name();
                let local = local.as_ref();
                match local {
                    "style" => {
                        if let Some((name, style)) = self.current_style.take() {
                            self.styles.by_name.insert(name, style);
                        }
                    }
                    _ if self.read_roots.contains(&local) => {
                        self.reading = self.reading.saturating_sub(1);
                        self.part_stack.pop();
                    }
                    _ if self.reading == 0 => {}
                    "p" | "h" => self.close_block(""),
                    "table-cell" => self.close_block("\t"),
                    "table-row" => {
                        if let Some(b) = self.blocks.last_mut() {
                            let trimmed = b.text.trim_end_matches('\t').len();
                            b.text.truncate(trimmed);
                        }
                        self.close_block("\n");
                    }
                    "table" => {
                        self.close_block("\n");
                        self.table_depth = self.table_depth.saturating_sub(1);
                    }
                    "text-box" => {
                        self.close_block("\n");
                        self.box_depth = self.box_depth.saturating_sub(1);
                    }
                    "note" => {
                        // Anything the note left open is closed into the note's part.
                        while !self.blocks.is_empty() {
                            self.close_block("");
                        }
                        self.part_stack.pop();
                        self.blocks = self.outer_blocks.pop().unwrap_or_default();
                    }
                    _ => {}
                }
            }
            _ if self.reading > 0 && self.skip == 0 && self.blocks.last().is_some_and(|b| b.paragraph) => {
                if let Some(text) = text_of(&event) {
                    // ODF collapses white space in text; `text:s` carries the extra spaces.
                    let collapsed = collapse_space(&text);
                    self.push_text(&collapsed)?;
                }
            }
            _ => {}
        }
        Ok(())
    }
}

/// `meta.xml` keys: named as core.xml's where they mean the same.
fn meta_key(name: &str) -> Option<String> {
    Some(match name {
        "creation-date" => "created".to_string(),
        "date" => "modified".to_string(),
        "generator" => "application".to_string(),
        "initial-creator" => "initial_creator".to_string(),
        "document-statistic" | "user-defined" => return None,
        other => snake_case(other).replace('-', "_"),
    })
}

/// Extracts an OpenDocument text package.
pub fn extract_odt<R: Read + Seek>(reader: R, limits: &Limits) -> Result<Document, SkipReason> {
    let mut pkg = Package::open(reader, limits)?;
    // ODF encryption: the manifest lists how each encrypted part was encrypted.
    if pkg.find("META-INF/manifest.xml") {
        let manifest = pkg.read_bytes("META-INF/manifest.xml")?;
        if manifest.windows(15).any(|w| w == b"encryption-data") {
            return Err(SkipReason::Encrypted);
        }
    }
    if !pkg.find("content.xml") {
        return Err(SkipReason::NoMainPart(
            "no content.xml in the OpenDocument package".into(),
        ));
    }
    let mut styles = Styles::default();
    let mut doc = Document::default();
    if pkg.find("styles.xml") {
        // Common styles and the master pages' headers and footers.
        const ROOTS: &[&str] = &[
            "header",
            "footer",
            "header-left",
            "footer-left",
            "header-first",
            "footer-first",
        ];
        if let Ok(handler) = pkg.parse(
            "styles.xml",
            OdtHandler::new(&mut styles, ROOTS, limits.text_bytes),
        ) {
            let mut handler = handler;
            for key in ["headers", "footers"] {
                let text = handler.out.remove(key).unwrap_or_default();
                let mut seen = std::collections::HashSet::new();
                let lines: Vec<&str> = text
                    .lines()
                    .filter(|l| !l.trim().is_empty() && seen.insert(*l))
                    .collect();
                let joined = if lines.is_empty() {
                    String::new()
                } else {
                    lines.join("\n") + "\n"
                };
                if key == "headers" {
                    doc.parts.headers = joined;
                } else {
                    doc.parts.footers = joined;
                }
            }
            doc.counts.headers = doc.parts.headers.chars().filter(|c| *c != '\n').count();
            doc.counts.footers = doc.parts.footers.chars().filter(|c| *c != '\n').count();
        }
    }
    let mut handler = pkg.parse(
        "content.xml",
        OdtHandler::new(&mut styles, &["text"], limits.text_bytes),
    )?;
    doc.parts.body = handler.out.remove("body").unwrap_or_default();
    doc.parts.footnotes = handler.out.remove("footnotes").unwrap_or_default();
    doc.parts.endnotes = handler.out.remove("endnotes").unwrap_or_default();
    let (headers, footers) = (doc.counts.headers, doc.counts.footers);
    doc.counts = handler.counts;
    doc.counts.headers = headers;
    doc.counts.footers = footers;
    doc.paragraphs = std::mem::take(&mut handler.paragraphs);
    if pkg.find("meta.xml")
        && let Ok(meta) = pkg.parse("meta.xml", Properties::new(3, meta_key))
    {
        for (key, value) in meta.values {
            doc.meta.entry(key).or_insert(value);
        }
    }
    Ok(doc)
}
