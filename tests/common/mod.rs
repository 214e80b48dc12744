//! Test helpers shared by the integration test files: a DOCX fixture builder for exotic
//! cases no producer makes on demand, temp trees, a runner for the real binary, an index
//! builder and searcher, the matching-rule oracle, shared-corpus comparisons, test dice and
//! a damaged-`.doc` builder.

#![allow(dead_code)]

use std::collections::HashMap;
use std::io::{Cursor, Write};
use std::path::{Path, PathBuf};
use std::process::Output;

use serde_json::Value;
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
/// `dangan status --json` of the index at `idx`.
pub fn status_json(idx: &Path) -> serde_json::Value {
    let out = dangan(&["status", "--index", idx.to_str().unwrap_or_default(), "--json"]);
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("status JSON: {e}"))
}

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

// ---------------------------------------------------------------------------------------
// Reading rows of `extract --json`.

/// The rows of `extract --json` by file name (the last path component).
pub fn by_file_name(rows: &[Value]) -> HashMap<String, &Value> {
    rows.iter()
        .map(|r| {
            let path = r["path"].as_str().unwrap_or_default();
            let name = Path::new(path)
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            (name, r)
        })
        .collect()
}

/// Copies `files` (paths relative to `src`) into `<temp>/档案`, setting their modification
/// times a minute apart in the order given (a clone's are whatever checkout gave them).
pub fn copy_tree(src: &Path, files: &[&str]) -> (tempfile::TempDir, std::path::PathBuf) {
    let tmp = tempfile::tempdir().expect("tempdir");
    let root = tmp.path().join("档案");
    let base = std::time::SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_700_000_000);
    for (i, rel) in files.iter().enumerate() {
        let to = root.join(rel);
        std::fs::create_dir_all(to.parent().expect("parent")).expect("mkdir");
        std::fs::copy(src.join(rel), &to).expect("copy");
        set_mtime(&to, base + std::time::Duration::from_secs(60 * i as u64));
    }
    (tmp, root)
}

/// Sets a file's modification time.
pub fn set_mtime(path: &Path, when: std::time::SystemTime) {
    std::fs::File::options()
        .write(true)
        .open(path)
        .and_then(|f| f.set_modified(when))
        .expect("set mtime");
}

/// `path` relative to `root` (whole when it is elsewhere).
pub fn rel(root: &Path, path: &str) -> String {
    Path::new(path)
        .strip_prefix(root)
        .map(|p| p.to_string_lossy().into_owned())
        .unwrap_or_else(|_| path.to_string())
}

/// The rows a command prints as JSON lines; it must exit 0 or 1 (nothing found).
pub fn json_rows(args: &[&str]) -> Vec<serde_json::Value> {
    let out = dangan(args);
    assert!(
        out.status.code().is_some_and(|c| c < 2),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    json_lines(&out)
}

/// `dangan catalog --index IDX -o 目录.csv` (must succeed): the CSV's text.
pub fn catalog_csv(idx: &str) -> String {
    let out = tempfile::tempdir().expect("tempdir");
    let csv = out.path().join("目录.csv");
    let done = dangan(&["catalog", "--index", idx, "-o", csv.to_str().unwrap_or_default()]);
    assert_eq!(
        done.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&done.stderr)
    );
    std::fs::read_to_string(&csv).expect("csv")
}

/// The paths of a row's list under `key` (`copies`, `versions`), relative to `root`.
pub fn paths_in(root: &Path, row: &serde_json::Value, key: &str) -> Vec<String> {
    row[key]
        .as_array()
        .unwrap_or_else(|| panic!("{key} is a list: {row}"))
        .iter()
        .map(|c| rel(root, c.as_str().unwrap_or_default()))
        .collect()
}

/// The files of `fixtures/versions` (made by `fixtures/src/make_versions.py`), sorted.
pub const VERSIONS: [&str; 11] = [
    "上报材料/东山村2023年人居环境整治工作总结.doc",
    "人居环境/东山村2022年人居环境整治工作总结.docx",
    "人居环境/东山村2023年人居环境整治工作总结（修改稿）.docx",
    "人居环境/东山村2023年人居环境整治工作总结（初稿）.docx",
    "人居环境/东山村2023年人居环境整治工作总结（定稿）.docx",
    "各村上报/南山村2023年人居环境整治工作总结.docx",
    "各村上报/西山村2023年人居环境整治工作总结.docx",
    "安全生产/安全生产工作情况报告(2).docx",
    "安全生产/安全生产工作情况报告.docx",
    "防汛/防汛工作方案（初稿）.docx",
    "防汛/防汛工作方案（定稿）.docx",
];

// ---------------------------------------------------------------------------------------
// Index and search through the binary, and the contract's matching rule.

/// Indexes `roots` into a fresh index directory; returns it.
pub fn build_index(roots: &[&Path]) -> tempfile::TempDir {
    let idx = tempfile::tempdir().expect("tempdir");
    let mut args = vec!["index", "--index", idx.path().to_str().unwrap_or_default()];
    args.extend(roots.iter().map(|r| r.to_str().unwrap_or_default()));
    let out = dangan(&args);
    assert_eq!(
        out.status.code(),
        Some(0),
        "index failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    idx
}

/// `dangan search --json -n 0 QUERY…`: its exit code and decoded rows.
pub fn search_json(idx: &Path, query: &[&str]) -> (Option<i32>, Vec<Value>) {
    let out = search_all(idx, query);
    (out.status.code(), json_lines(&out))
}

/// Asserts that `dangan search --color always QUERY` finds something and shows `marked`
/// highlighted (bold red) in its output.
pub fn assert_highlighted(idx: &Path, query: &str, marked: &str) {
    let out = dangan(&[
        "search",
        "--index",
        idx.to_str().unwrap_or_default(),
        "--color",
        "always",
        query,
    ]);
    assert_eq!(out.status.code(), Some(0), "{query}");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains(&format!("\x1b[1;31m{marked}\x1b[0m")),
        "{query}: {stdout}"
    );
}

/// `dangan search --json -n 0 QUERY…` as it ran.
pub fn search_all(idx: &Path, query: &[&str]) -> std::process::Output {
    let mut args = vec![
        "search",
        "--index",
        idx.to_str().unwrap_or_default(),
        "--json",
        "-n",
        "0",
    ];
    args.extend_from_slice(query);
    dangan(&args)
}

/// Title and text, each searched on its own (the title is searched as well as the text,
/// not as its first line).
pub fn oracle_contains(doc: &str, term: &str) -> bool {
    doc.split('\u{1}').any(|part| oracle_contains_in(part, term))
}

/// An independent statement of the contract's matching rule: the term occurs in the
/// NFKC-normalised, lower-cased text; where it begins or ends with a Latin letter or
/// digit, the text has no letter or digit right outside it; white space runs compare equal.
pub fn oracle_contains_in(text: &str, term: &str) -> bool {
    use unicode_normalization::UnicodeNormalization;
    let fold = |s: &str| -> String {
        let s: String = s.nfkc().collect::<String>().to_lowercase();
        let mut out = String::new();
        for c in s.chars() {
            if c.is_whitespace() {
                if !out.ends_with(' ') {
                    out.push(' ');
                }
            } else {
                out.push(c);
            }
        }
        out
    };
    // A letter run and a digit run are words of their own: a match may not cut one.
    let class = |c: char| {
        if (c as u32) >= 0x2E80 {
            0
        } else if c.is_alphabetic() {
            1
        } else if c.is_numeric() {
            2
        } else {
            0
        }
    };
    let (hay, needle) = (fold(text), fold(term));
    hay.match_indices(&needle).any(|(at, m)| {
        let before = hay[..at].chars().next_back();
        let after = hay[at + m.len()..].chars().next();
        let first = needle.chars().next().map_or(0, class);
        let last = needle.chars().next_back().map_or(0, class);
        let cut_before = first != 0 && before.map(class) == Some(first);
        let cut_after = last != 0 && after.map(class) == Some(last);
        !cut_before && !cut_after
    })
}

// ---------------------------------------------------------------------------------------
// The shared third-party corpus.

/// Runs `extract --json` over a shared-corpus folder (None where this checkout has no
/// `../shared`): the canonical folder and its rows, after checking that nothing crashed and
/// no file ended in an internal error.
pub fn extract_corpus(sub: &str) -> Option<(std::path::PathBuf, Vec<Value>)> {
    let corpus = shared_corpus(sub)?.canonicalize().expect("corpus path");
    let out = dangan(&["extract", "--json", corpus.to_str().unwrap_or_default()]);
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "crashed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let rows = json_lines(&out);
    for row in &rows {
        let skipped = row["skipped"].as_str().unwrap_or_default();
        assert!(!skipped.contains("internal error"), "{}: {skipped}", row["path"]);
    }
    Some((corpus, rows))
}

/// Compares each extracted row under `corpus` with `refs/<relative path>.txt`, another tool's
/// text passed through `clean`: how many files had letters to compare, and those below 98%
/// of the reference's letters (title included on our side), as printable lines.
pub fn coverage_against(
    corpus: &Path,
    rows: &[Value],
    refs: &Path,
    clean: fn(&str) -> String,
) -> (usize, Vec<String>) {
    let mut files = 0;
    let mut below = Vec::new();
    for row in rows {
        let path = Path::new(row["path"].as_str().unwrap_or_default());
        let Ok(rel) = path.strip_prefix(corpus) else {
            continue;
        };
        let Ok(reference) = std::fs::read_to_string(refs.join(format!("{}.txt", rel.display()))) else {
            continue;
        };
        let ours = format!(
            "{}\n{}",
            row["text"].as_str().unwrap_or_default(),
            row["title"].as_str().unwrap_or_default()
        );
        let (coverage, letters) = letter_coverage(&clean(&reference), &ours);
        if letters == 0 {
            continue;
        }
        files += 1;
        if coverage < 0.98 {
            let skipped = row["skipped"].as_str().unwrap_or_default();
            below.push(format!(
                "{coverage:.3} {} ({letters} letters) {skipped}",
                rel.display()
            ));
        }
    }
    below.sort();
    (files, below)
}

/// The share of `reference`'s letters and ideographs (as a multiset) found in `ours`.
pub fn letter_coverage(reference: &str, ours: &str) -> (f64, usize) {
    let mut want: HashMap<char, usize> = HashMap::new();
    for c in reference.chars().filter(|c| c.is_alphabetic()) {
        *want.entry(c).or_default() += 1;
    }
    let mut have: HashMap<char, usize> = HashMap::new();
    for c in ours.chars().filter(|c| c.is_alphabetic()) {
        *have.entry(c).or_default() += 1;
    }
    let total: usize = want.values().sum();
    let found: usize = want
        .iter()
        .map(|(c, n)| (*n).min(have.get(c).copied().unwrap_or(0)))
        .sum();
    (
        if total == 0 {
            1.0
        } else {
            found as f64 / total as f64
        },
        total,
    )
}

// ---------------------------------------------------------------------------------------
// Dice and damaged files.

/// A small deterministic generator (no crate needed for a test's dice).
pub struct Dice(pub u64);

impl Dice {
    pub fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// A compound file's `WordDocument` and table streams, changed by `patch` and written back
/// into a copy of the bytes (an in-memory fixture builder for damaged `.doc` files).
pub fn patched_doc(bytes: &[u8], patch: impl FnOnce(&mut Vec<u8>, &mut Vec<u8>)) -> Vec<u8> {
    use std::io::{Read, Write};
    let mut cf = cfb::CompoundFile::open(std::io::Cursor::new(bytes.to_vec())).expect("compound file");
    let read = |cf: &mut cfb::CompoundFile<_>, name: &str| {
        let mut out = Vec::new();
        cf.open_stream(name)
            .expect("stream")
            .read_to_end(&mut out)
            .expect("read");
        out
    };
    let mut word = read(&mut cf, "/WordDocument");
    let table_name = if word[0x0B] & 0x02 != 0 {
        "/1Table"
    } else {
        "/0Table"
    };
    let mut table = read(&mut cf, table_name);
    patch(&mut word, &mut table);
    for (name, data) in [("/WordDocument", &word), (table_name, &table)] {
        let mut stream = cf.create_stream(name).expect("rewrite stream");
        stream.write_all(data).expect("write");
    }
    cf.flush().expect("flush");
    cf.into_inner().into_inner()
}
