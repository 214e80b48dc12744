//! OFD (GB/T 33190), China's fixed-layout e-document: a zip of XML. `OFD.xml` names each
//! document's root (`Document.xml`) and its `DocInfo` (title, author, dates); the document
//! lists its pages in order; each page's `Content.xml` holds text objects whose `TextCode`s
//! are the text. Objects on one baseline join into a line. Same zip caps as DOCX.

use std::io::{Read, Seek};

use quick_xml::events::Event;

use super::limits::Limits;
use super::package::Package;
use super::xml::{XmlHandler, attr, text_of};
use super::{Document, Paragraph, SkipReason};

/// `OFD.xml`: document roots and the DocInfo leaves.
#[derive(Default)]
struct OfdRoot {
    roots: Vec<String>,
    meta: Vec<(String, String)>,
    current: Option<(String, String)>,
    in_info: bool,
}

impl XmlHandler for OfdRoot {
    fn event(&mut self, event: Event<'_>) -> Result<(), SkipReason> {
        match &event {
            Event::Start(e) => match e.local_name().as_ref() {
                "DocInfo" => self.in_info = true,
                "DocRoot" => self.current = Some(("root".into(), String::new())),
                name if self.in_info => {
                    let key = match name {
                        "Title" => "title",
                        "Author" => "creator",
                        "CreationDate" => "created",
                        "ModDate" => "modified",
                        "Creator" => "application",
                        "Subject" => "subject",
                        "DocID" => "doc_id",
                        _ => "",
                    };
                    if !key.is_empty() {
                        self.current = Some((key.into(), String::new()));
                    }
                }
                _ => {}
            },
            Event::End(e) => {
                if e.local_name().as_ref() == "DocInfo" {
                    self.in_info = false;
                }
                if let Some((key, value)) = self.current.take() {
                    let value = value.trim().to_string();
                    if key == "root" {
                        self.roots.push(value);
                    } else if !value.is_empty() {
                        self.meta.push((key, value));
                    }
                }
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

/// `Document.xml`: the pages' content parts in order, and the template pages by ID.
#[derive(Default)]
struct OfdDocument {
    pages: Vec<String>,
    templates: std::collections::HashMap<String, String>,
}

impl XmlHandler for OfdDocument {
    fn event(&mut self, event: Event<'_>) -> Result<(), SkipReason> {
        if let Event::Start(e) = &event
            && let Some(loc) = attr(e, "BaseLoc")
        {
            match e.local_name().as_ref() {
                "Page" => self.pages.push(loc),
                "TemplatePage" => {
                    self.templates.insert(attr(e, "ID").unwrap_or_default(), loc);
                }
                _ => {}
            }
        }
        Ok(())
    }
}

/// A page's `Content.xml`: the text of its text objects, a line per baseline.
struct OfdPage<'a> {
    out: &'a mut String,
    /// Template pages this page is printed on (their text is read once per document).
    templates: Vec<String>,
    lines: &'a mut Vec<String>,
    line: String,
    in_code: bool,
    last_y: Option<(f64, f64)>,
    object_y: Option<(f64, f64)>,
    text_cap: usize,
}

impl OfdPage<'_> {
    fn end_line(&mut self) {
        if !self.line.trim().is_empty() {
            self.out.push_str(&self.line);
            self.out.push('\n');
            self.lines.push(self.line.trim().to_string());
        }
        self.line.clear();
    }
}

impl XmlHandler for OfdPage<'_> {
    fn event(&mut self, event: Event<'_>) -> Result<(), SkipReason> {
        match &event {
            Event::Start(e) => match e.local_name().as_ref() {
                "TextObject" => {
                    // Boundary = "x y width height": a new baseline starts a new line.
                    self.object_y = attr(e, "Boundary").and_then(|b| {
                        let v: Vec<f64> = b.split_whitespace().filter_map(|n| n.parse().ok()).collect();
                        Some((*v.get(1)?, *v.get(3)?))
                    });
                    let same_line = match (self.last_y, self.object_y) {
                        (Some((y0, h0)), Some((y, h))) => (y - y0).abs() < 0.5 * h.max(h0).max(0.1),
                        _ => false,
                    };
                    if !same_line {
                        self.end_line();
                    }
                    if self.object_y.is_some() {
                        self.last_y = self.object_y;
                    }
                }
                "TextCode" => self.in_code = true,
                "Template" => self.templates.extend(attr(e, "TemplateID")),
                _ => {}
            },
            Event::End(e) if e.local_name().as_ref() == "TextCode" => {
                self.in_code = false;
            }
            _ if self.in_code => {
                if let Some(text) = text_of(&event) {
                    if self.out.len() + self.line.len() + text.len() > self.text_cap {
                        return Err(SkipReason::TooLarge(format!(
                            "more than {} MiB of text",
                            self.text_cap >> 20
                        )));
                    }
                    self.line.push_str(&text);
                }
            }
            _ => {}
        }
        Ok(())
    }
}

/// Resolves an OFD location against the folder of the part that names it (`/` = root).
fn resolve(base_dir: &str, loc: &str) -> String {
    let loc = loc.trim();
    let joined = if let Some(absolute) = loc.strip_prefix('/') {
        absolute.to_string()
    } else if base_dir.is_empty() {
        loc.to_string()
    } else {
        format!("{base_dir}/{loc}")
    };
    let mut parts: Vec<&str> = Vec::new();
    for part in joined.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    parts.join("/")
}

fn dir_of(part: &str) -> &str {
    part.rsplit_once('/').map_or("", |(dir, _)| dir)
}

/// Reads one page (or template page) into `out`; returns the templates it names.
fn read_page<R: Read + Seek>(
    pkg: &mut Package<R>,
    part: &str,
    out: &mut String,
    lines: &mut Vec<String>,
    limits: &Limits,
) -> Result<Vec<String>, SkipReason> {
    let handler = OfdPage {
        out,
        templates: Vec::new(),
        lines,
        line: String::new(),
        in_code: false,
        last_y: None,
        object_y: None,
        text_cap: limits.text_bytes,
    };
    let mut handler = pkg.parse(part, handler)?;
    handler.end_line();
    Ok(std::mem::take(&mut handler.templates))
}

/// Extracts an OFD package: every page of every document, in order.
pub fn extract_ofd<R: Read + Seek>(reader: R, limits: &Limits) -> Result<Document, SkipReason> {
    let mut pkg = Package::open(reader, limits)?;
    if !pkg.find("OFD.xml") {
        return Err(SkipReason::NoMainPart("no OFD.xml in the package".into()));
    }
    let root = pkg.parse("OFD.xml", OfdRoot::default())?;
    if root.roots.is_empty() {
        return Err(SkipReason::NoMainPart("OFD.xml names no DocRoot".into()));
    }
    let mut doc = Document::default();
    let mut lines = Vec::new();
    for doc_root in &root.roots {
        let doc_part = resolve("", doc_root);
        if !pkg.find(&doc_part) {
            return Err(SkipReason::NoMainPart(format!(
                "{doc_part} is not in the package"
            )));
        }
        let document = pkg.parse(&doc_part, OfdDocument::default())?;
        let mut templates_read = std::collections::HashSet::new();
        for page in &document.pages {
            let part = resolve(dir_of(&doc_part), page);
            if !pkg.find(&part) {
                continue;
            }
            let mut templates = read_page(&mut pkg, &part, &mut doc.parts.body, &mut lines, limits)?;
            // The template a page is printed on (a form's fixed labels), once per document.
            templates.retain(|id| templates_read.insert(id.clone()));
            for id in templates {
                let Some(loc) = document.templates.get(&id) else {
                    continue;
                };
                let part = resolve(dir_of(&doc_part), loc);
                if pkg.find(&part) {
                    read_page(&mut pkg, &part, &mut doc.parts.body, &mut lines, limits)?;
                }
            }
        }
    }
    doc.counts.body = doc.parts.body.chars().filter(|c| *c != '\n').count();
    doc.paragraphs = lines
        .into_iter()
        .take(40)
        .map(|text| Paragraph {
            text,
            ..Paragraph::default()
        })
        .collect();
    doc.meta = root.meta.into_iter().collect();
    Ok(doc)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locations_resolve_like_the_standard_says() {
        assert_eq!(resolve("", "Doc_0/Document.xml"), "Doc_0/Document.xml");
        assert_eq!(resolve("", "/Doc_0/Document.xml"), "Doc_0/Document.xml");
        assert_eq!(
            resolve("Doc_0", "Pages/Page_0/Content.xml"),
            "Doc_0/Pages/Page_0/Content.xml"
        );
        assert_eq!(
            resolve("Doc_0", "/Doc_0/Pages/Page_1/Content.xml"),
            "Doc_0/Pages/Page_1/Content.xml"
        );
        assert_eq!(resolve("Doc_0/Sub", "../Pages/P.xml"), "Doc_0/Pages/P.xml");
    }
}
