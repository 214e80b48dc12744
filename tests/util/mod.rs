//! Test helpers: a DOCX fixture builder for exotic cases no producer makes on demand,
//! temp trees, and a runner for the real binary.

#![allow(dead_code)]

use std::io::{Cursor, Write};
use std::path::{Path, PathBuf};
use std::process::Output;

use zip::write::SimpleFileOptions;

pub const W_NS: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
pub const R_NS: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
pub const REL_BASE: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
pub const PKG_REL_NS: &str = "http://schemas.openxmlformats.org/package/2006/relationships";

/// Builds a DOCX package part by part. `Docx::new(body)` gives a minimal valid
/// document whose `w:body` holds `body`; other parts are added with their relationship.
pub struct Docx {
    parts: Vec<(String, Vec<u8>)>,
    main: String,
    main_rels: Vec<(String, String, String)>,
    package_rels: Vec<(String, String, String)>,
    rel_base: String,
    w_ns: String,
}

impl Docx {
    /// A document whose body is `body` (WordprocessingML, `w:` prefix).
    pub fn new(body: &str) -> Self {
        let mut docx = Docx {
            parts: Vec::new(),
            main: "word/document.xml".into(),
            main_rels: Vec::new(),
            package_rels: Vec::new(),
            rel_base: REL_BASE.into(),
            w_ns: W_NS.into(),
        };
        docx.set_body(body);
        docx
    }

    /// Strict OOXML: the ISO namespaces for elements and relationship types.
    pub fn strict(mut self) -> Self {
        self.w_ns = "http://purl.oclc.org/ooxml/wordprocessingml/main".into();
        self.rel_base = "http://purl.oclc.org/ooxml/officeDocument/relationships".into();
        let body = self.body_of_main();
        self.set_body(&body);
        self
    }

    /// Moves the main part to another name (found only through `_rels/.rels`).
    pub fn main_part_at(mut self, name: &str) -> Self {
        let body = self.body_of_main();
        self.parts.retain(|(n, _)| n != &self.main);
        self.main = name.into();
        self.set_body(&body);
        self
    }

    fn body_of_main(&self) -> String {
        let xml = self
            .parts
            .iter()
            .find(|(n, _)| n == &self.main)
            .map(|(_, d)| String::from_utf8_lossy(d).into_owned())
            .unwrap_or_default();
        let start = xml.find("<w:body>").map_or(0, |i| i + "<w:body>".len());
        let end = xml.rfind("</w:body>").unwrap_or(xml.len());
        xml[start..end].to_string()
    }

    fn set_body(&mut self, body: &str) {
        let xml = format!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="{}" xmlns:r="{R_NS}" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" xmlns:v="urn:schemas-microsoft-com:vml" xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" xmlns:m="http://schemas.openxmlformats.org/officeDocument/2006/math"><w:body>{body}</w:body></w:document>"#,
            self.w_ns
        );
        let main = self.main.clone();
        self.put(&main, xml.into_bytes());
    }

    /// Adds or replaces a part with raw bytes.
    pub fn put(&mut self, name: &str, data: Vec<u8>) {
        self.parts.retain(|(n, _)| n != name);
        self.parts.push((name.to_string(), data));
    }

    /// Adds a part related to the main part by relationship type `kind` (the last URI
    /// segment: `header`, `footnotes` …) with id `id`.
    pub fn related(mut self, kind: &str, id: &str, name: &str, data: &str) -> Self {
        let target = name
            .strip_prefix("word/")
            .map_or(format!("/{name}"), str::to_string);
        self.main_rels.push((id.into(), kind.into(), target));
        self.put(name, data.as_bytes().to_vec());
        self
    }

    /// A part in the `w:` namespace: `<w:{root}>{inner}</w:{root}>`.
    pub fn w_part(&self, root: &str, inner: &str) -> String {
        format!(
            r#"<?xml version="1.0" encoding="UTF-8"?><w:{root} xmlns:w="{}" xmlns:r="{R_NS}">{inner}</w:{root}>"#,
            self.w_ns
        )
    }

    /// core.xml and app.xml.
    pub fn properties(mut self, core: &str, app: &str) -> Self {
        self.package_rels.push((
            "rIdCore".into(),
            "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties".into(),
            "docProps/core.xml".into(),
        ));
        self.package_rels.push((
            "rIdApp".into(),
            format!("{}/extended-properties", self.rel_base),
            "docProps/app.xml".into(),
        ));
        self.put(
            "docProps/core.xml",
            format!(r#"<?xml version="1.0"?><cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">{core}</cp:coreProperties>"#).into_bytes(),
        );
        self.put(
            "docProps/app.xml",
            format!(r#"<?xml version="1.0"?><Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">{app}</Properties>"#).into_bytes(),
        );
        self
    }

    /// The package as zip bytes.
    pub fn bytes(&self) -> Vec<u8> {
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let options = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        let rel_xml = |rels: &[(String, String, String)]| {
            let mut xml =
                format!(r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PKG_REL_NS}">"#);
            for (id, kind, target) in rels {
                let kind = if kind.starts_with("http") {
                    kind.clone()
                } else {
                    format!("{}/{kind}", self.rel_base)
                };
                xml.push_str(&format!(
                    r#"<Relationship Id="{id}" Type="{kind}" Target="{target}"/>"#
                ));
            }
            xml.push_str("</Relationships>");
            xml
        };
        let mut package_rels = vec![(
            "rIdMain".to_string(),
            "officeDocument".to_string(),
            self.main.clone(),
        )];
        package_rels.extend(self.package_rels.iter().cloned());
        let main_dir = self.main.rsplit_once('/').map_or("", |(d, _)| d);
        let main_file = self.main.rsplit_once('/').map_or(self.main.as_str(), |(_, f)| f);
        let main_rels_name = if main_dir.is_empty() {
            format!("_rels/{main_file}.rels")
        } else {
            format!("{main_dir}/_rels/{main_file}.rels")
        };
        let mut files: Vec<(String, Vec<u8>)> = vec![
            (
                "[Content_Types].xml".into(),
                br#"<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/></Types>"#.to_vec(),
            ),
            ("_rels/.rels".into(), rel_xml(&package_rels).into_bytes()),
            (main_rels_name, rel_xml(&self.main_rels).into_bytes()),
        ];
        files.extend(self.parts.iter().cloned());
        for (name, data) in files {
            zip.start_file(name, options).expect("zip entry");
            zip.write_all(&data).expect("zip write");
        }
        zip.finish().expect("zip finish").into_inner()
    }

    /// Writes the package to `path`.
    pub fn write_to(&self, path: &Path) {
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("mkdir");
        }
        std::fs::write(path, self.bytes()).expect("write docx");
    }

    /// Extracts the package in-process.
    pub fn extract(&self) -> Result<dangan::extract::Document, dangan::extract::SkipReason> {
        self.extract_with(&dangan::extract::Limits::default())
    }

    /// Extracts the package in-process with other caps.
    pub fn extract_with(
        &self,
        limits: &dangan::extract::Limits,
    ) -> Result<dangan::extract::Document, dangan::extract::SkipReason> {
        dangan::extract::docx::extract_docx(Cursor::new(self.bytes()), limits)
    }

    /// The extracted text, panicking with the skip reason if it was skipped.
    pub fn text(&self) -> String {
        match self.extract() {
            Ok(doc) => doc.text(),
            Err(reason) => panic!("fixture skipped: {reason}"),
        }
    }
}

/// A paragraph with one run of text.
pub fn p(text: &str) -> String {
    format!("<w:p><w:r><w:t xml:space=\"preserve\">{text}</w:t></w:r></w:p>")
}

/// The repository's fixtures folder.
pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

/// Runs the dangan binary with `args` and no index of the user's.
pub fn dangan(args: &[&str]) -> Output {
    dangan_in(args, None)
}

pub fn dangan_in(args: &[&str], dir: Option<&Path>) -> Output {
    let mut cmd = assert_cmd::Command::cargo_bin("dangan").expect("binary");
    if let Some(dir) = dir {
        cmd.current_dir(dir);
    }
    cmd.env(
        "DANGAN_INDEX",
        std::env::temp_dir().join("dangan-test-index-unused"),
    );
    cmd.env_remove("NO_COLOR");
    cmd.args(args).output().expect("run dangan")
}

/// Decodes NDJSON output into values.
pub fn json_lines(out: &Output) -> Vec<serde_json::Value> {
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("bad JSON line {l:?}: {e}")))
        .collect()
}

/// The shared corpus, if this checkout has it. Without it the test is skipped, unless
/// `DANGAN_REQUIRE_SHARED` is set (as `.ci/run` does), when its absence is a failure.
pub fn shared_corpus(sub: &str) -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/corpus")
        .join(sub);
    if dir.is_dir() {
        return Some(dir);
    }
    if std::env::var_os("DANGAN_REQUIRE_SHARED").is_some() {
        panic!("{} is missing and DANGAN_REQUIRE_SHARED is set", dir.display());
    }
    eprintln!(
        "skipped: {} not found (tests over the shared corpus need ../shared)",
        dir.display()
    );
    None
}

/// A zip of `(name, bytes)` members, deflated, names in UTF-8 (a bundle for tests).
pub fn zip_of(members: &[(&str, &[u8])]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in members {
        zip.start_file(*name, options).expect("zip member");
        zip.write_all(bytes).expect("zip write");
    }
    zip.finish().expect("zip finish").into_inner()
}
