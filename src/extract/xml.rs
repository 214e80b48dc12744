//! Small quick-xml helpers every XML-based reader shares: the event handler trait,
//! attributes and text by local name, and leaf properties (core.xml, app.xml, ODF meta.xml).

use std::borrow::Cow;

use quick_xml::XmlVersion;
use quick_xml::events::{BytesStart, Event};

use super::SkipReason;

/// Takes the events of one XML part, in order.
pub(super) trait XmlHandler {
    /// One event; an error ends the part (and the document) with that reason.
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
pub(super) fn on_off(e: &BytesStart<'_>) -> bool {
    !matches!(attr(e, "val").as_deref(), Some("0" | "false" | "off" | "none"))
}

/// The text an event carries (text, CDATA, a character or predefined entity reference).
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
    pub(super) fn ooxml() -> Self {
        Properties::new(2, |name| Some(snake_case(name)))
    }
}

impl XmlHandler for Properties {
    fn event(&mut self, event: Event<'_>) -> Result<(), SkipReason> {
        match &event {
            Event::Start(e) => {
                self.depth += 1;
                // ODF's statistics are attributes: the page count is kept.
                if self.depth == self.leaf_depth
                    && e.local_name().as_ref() == "document-statistic"
                    && let Some(pages) = attr(e, "page-count")
                {
                    self.values.push(("pages".into(), pages));
                }
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

/// `dc:lastModifiedBy`-style names as keys: `LastModifiedBy` → `last_modified_by`.
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
