//! PDF: the text layer of each page, read by `pdf_oxide` in a worker process.
//!
//! A PDF parser can overflow its stack on deeply nested objects (an abort no
//! `catch_unwind` sees), loop, or allocate without end. So [`extract_pdf`] runs the parse in
//! a child process — dangan itself, started as `dangan __pdf-worker` ([`worker_main`]) —
//! which caps its own address space and is killed after [`TIME_CAP`]; a crash, a kill or a
//! timeout is a skip reason, and the run goes on.
//!
//! In the child: an encrypted file is opened with the empty user password
//! or named encrypted; each page's text is taken line by line and the lines of a paragraph
//! joined ([`join_lines`]: no space between Chinese characters, a hyphenated Latin word
//! rejoined); a file whose pages have no text at all is "no text layer" (scanned), never an
//! empty document.

use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use super::{Document, Paragraph, SkipReason};

/// Time a PDF may take to read.
pub const TIME_CAP: Duration = Duration::from_secs(10);
/// Address space the worker may map (its own code and stacks included).
pub const MEMORY_CAP: u64 = 1 << 30;

/// The worker's answer.
#[derive(Debug, Serialize, Deserialize)]
enum Answer {
    /// The text of each page.
    Pages(Vec<String>),
    /// No page has text: scanned (pages counted).
    Scanned(usize),
    /// Encrypted with a password.
    Encrypted,
    /// Damaged: what the parser said.
    Damaged(String),
}

/// Reads a PDF's text in a worker process (see the module docs).
pub fn extract_pdf(bytes: &[u8]) -> Result<Document, SkipReason> {
    let exe = worker_exe().map_err(|e| SkipReason::Internal(format!("no PDF worker: {e}")))?;
    let mut child = Command::new(exe)
        .arg(WORKER_ARG)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| SkipReason::Internal(format!("cannot start the PDF worker: {e}")))?;
    let mut stdin = child.stdin.take();
    let input = bytes.to_vec();
    let writer = std::thread::spawn(move || {
        if let Some(stdin) = stdin.as_mut() {
            let _ = stdin.write_all(&input);
        }
    });
    let mut stdout = child.stdout.take();
    let reader = std::thread::spawn(move || {
        let mut out = Vec::new();
        if let Some(stdout) = stdout.as_mut() {
            let _ = stdout.read_to_end(&mut out);
        }
        out
    });
    let started = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break Some(status),
            Ok(None) if started.elapsed() > TIME_CAP => {
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(2)),
            Err(_) => break None,
        }
    };
    let _ = writer.join();
    let out = reader.join().unwrap_or_default();
    let Some(status) = status else {
        return Err(SkipReason::TooLarge(format!(
            "a PDF that takes over {} s to read",
            TIME_CAP.as_secs()
        )));
    };
    if !status.success() {
        return Err(SkipReason::DamagedPdf(
            "the PDF parser gave up (crashed or ran out of memory)".into(),
        ));
    }
    match serde_json::from_slice::<Answer>(&out) {
        Ok(Answer::Pages(pages)) => Ok(document_of(&pages)),
        Ok(Answer::Scanned(pages)) => Err(SkipReason::Scanned(pages)),
        Ok(Answer::Encrypted) => Err(SkipReason::Encrypted),
        Ok(Answer::Damaged(why)) => Err(SkipReason::DamagedPdf(why)),
        Err(e) => Err(SkipReason::Internal(format!("the PDF worker's answer: {e}"))),
    }
}

/// The argument that makes dangan a PDF worker.
pub const WORKER_ARG: &str = "__pdf-worker";

/// The program to run as the worker: `DANGAN_PDF_WORKER` if set (a library user's own
/// dangan binary), else this program itself.
fn worker_exe() -> std::io::Result<PathBuf> {
    match std::env::var_os("DANGAN_PDF_WORKER") {
        Some(path) => Ok(PathBuf::from(path)),
        None => std::env::current_exe(),
    }
}

/// `dangan __pdf-worker`: reads a PDF on stdin, answers on stdout. Caps its own address
/// space first.
pub fn worker_main() -> std::process::ExitCode {
    let _ = rlimit::setrlimit(rlimit::Resource::AS, MEMORY_CAP, MEMORY_CAP);
    let mut bytes = Vec::new();
    if std::io::stdin().read_to_end(&mut bytes).is_err() {
        return std::process::ExitCode::from(2);
    }
    let answer = std::panic::catch_unwind(|| read_pdf(bytes))
        .unwrap_or_else(|_| Answer::Damaged("the PDF parser panicked".into()));
    match serde_json::to_writer(std::io::stdout().lock(), &answer) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(_) => std::process::ExitCode::from(2),
    }
}

/// The text layer of a PDF, in this process.
fn read_pdf(bytes: Vec<u8>) -> Answer {
    let doc = match pdf_oxide::PdfDocument::from_bytes(bytes) {
        Ok(doc) => doc,
        Err(e) => return Answer::Damaged(one_line(&e.to_string())),
    };
    if doc.is_encrypted() && !matches!(doc.authenticate(b""), Ok(true)) {
        return Answer::Encrypted;
    }
    let count = match doc.page_count() {
        Ok(n) => n,
        Err(e) => return Answer::Damaged(one_line(&e.to_string())),
    };
    let mut pages = Vec::with_capacity(count);
    let mut failed = None;
    for page in 0..count {
        let lines = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| doc.extract_text_lines(page)));
        match lines {
            Ok(Ok(lines)) => {
                let lines: Vec<Line> = lines
                    .iter()
                    .map(|l| Line {
                        text: words_joined(l.words.iter().map(|w| w.text.as_str())),
                        left: l.bbox.x,
                        right: l.bbox.x + l.bbox.width,
                        top: l.bbox.y + l.bbox.height,
                        height: l.bbox.height,
                    })
                    .collect();
                pages.push(join_lines(&lines));
            }
            Ok(Err(e)) => {
                failed.get_or_insert_with(|| one_line(&e.to_string()));
                pages.push(String::new());
            }
            Err(_) => pages.push(String::new()),
        }
    }
    if pages.iter().all(|p| p.trim().is_empty()) {
        return match failed {
            Some(why) if count > 0 => Answer::Damaged(why),
            // Encrypted, opened, and still nothing: the key was wrong, not a scan.
            _ if doc.is_encrypted() => Answer::Encrypted,
            _ => Answer::Scanned(count),
        };
    }
    Answer::Pages(pages)
}

fn one_line(message: &str) -> String {
    message.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A line of a page as laid out: its text and where it sits (PDF units, y upwards).
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    /// The line's text.
    pub text: String,
    /// Its left end.
    pub left: f32,
    /// Its right end.
    pub right: f32,
    /// Its top.
    pub top: f32,
    /// Its height.
    pub height: f32,
}

/// The lines of a page, those of one paragraph joined: a line that runs to the right
/// margin continues on the next when that one starts at the left margin, in the same type
/// size, without a gap wider than a line — with nothing between two Chinese characters, a Latin word's
/// line-end hyphen dropped, else one space. Titles, headings, signatures and dates (lines
/// that stop short of the margin, or are centred or indented) stand alone; a paragraph's
/// indented first line begins a paragraph. Lines side by side (a table's cells) are one
/// line, a space apart.
pub fn join_lines(lines: &[Line]) -> String {
    let mut out = String::new();
    let Some(right_margin) = lines.iter().map(|l| l.right).reduce(f32::max) else {
        return out;
    };
    let left_margin = lines.iter().map(|l| l.left).reduce(f32::min).unwrap_or(0.0);
    for (i, line) in lines.iter().enumerate() {
        let text = line.text.trim();
        if text.is_empty() {
            continue;
        }
        out.push_str(text);
        let Some(next) = lines.get(i + 1) else {
            out.push('\n');
            break;
        };
        let em = char_width(line).max(1.0);
        let height = line.height.max(next.height).max(1.0);
        // Cells of one table row, side by side.
        if (line.top - next.top).abs() < 0.3 * height {
            out.push(' ');
            continue;
        }
        let full = line.right >= right_margin - 2.0 * em;
        let next_flush = next.left <= left_margin + 0.5 * em;
        let close = line.top - next.top < 2.2 * height;
        // A title in large type does not run on into the body below it.
        let same_type = (line.height - next.height).abs() <= 0.2 * height;
        if full && next_flush && close && same_type {
            let last = text.chars().next_back().unwrap_or(' ');
            let first = next.text.trim().chars().next().unwrap_or(' ');
            if last == '-' && first.is_ascii_lowercase() {
                out.pop();
            } else if !(crate::text::is_cjk(last) || crate::text::is_cjk(first) || is_cjk_punct(last)) {
                out.push(' ');
            }
        } else {
            out.push('\n');
        }
    }
    out
}

/// A line's words joined as a reader reads them: a space between two Latin words, none
/// where either side is Chinese (`青山镇` `2022` `年` is `青山镇2022年`).
pub fn words_joined<'a>(words: impl Iterator<Item = &'a str>) -> String {
    let mut out = String::new();
    for word in words.map(str::trim).filter(|w| !w.is_empty()) {
        let last = out.chars().next_back();
        let first = word.chars().next().unwrap_or(' ');
        if let Some(last) = last
            && !(crate::text::is_cjk(last)
                || crate::text::is_cjk(first)
                || is_cjk_punct(last)
                || is_cjk_punct(first))
        {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// The width of one character of a line, on average.
fn char_width(line: &Line) -> f32 {
    let n = line.text.chars().filter(|c| !c.is_whitespace()).count().max(1);
    (line.right - line.left) / n as f32
}

fn is_cjk_punct(c: char) -> bool {
    ('\u{3000}'..='\u{303f}').contains(&c) || ('\u{ff00}'..='\u{ffef}').contains(&c)
}

/// A document of these pages' text.
fn document_of(pages: &[String]) -> Document {
    let text = pages.join("\n");
    let paragraphs = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .take(40)
        .map(|line| Paragraph {
            text: line.trim().to_string(),
            ..Paragraph::default()
        })
        .collect();
    let mut doc = Document {
        paragraphs,
        ..Document::default()
    };
    doc.counts.body = text.chars().filter(|c| *c != '\n').count();
    doc.parts.body = text;
    doc
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(text: &str, left: f32, right: f32, top: f32) -> Line {
        Line {
            text: text.into(),
            left,
            right,
            top,
            height: 12.0,
        }
    }

    #[test]
    fn words_join_without_spaces_around_chinese() {
        let joined = words_joined(["青山镇", "2022", "年", "防汛", "PDF", "report", "（一）"].into_iter());
        assert_eq!(joined, "青山镇2022年防汛PDF report（一）");
    }

    #[test]
    fn lines_of_a_paragraph_join_without_breaking_words() {
        let lines = [
            Line {
                height: 22.0,
                ..line(
                    "青山镇2022年防汛工作情况报告，标题很长几乎占满一行",
                    80.0,
                    515.0,
                    720.0,
                )
            },
            line(
                "今年汛期，我镇共经历强降雨过程7次，最大日降雨量",
                72.0,
                520.0,
                680.0,
            ),
            line("186毫米。全镇未发生人员伤亡。", 72.0, 300.0, 665.0),
            line("一、主要做法", 72.0, 150.0, 650.0),
            line("The inter-", 72.0, 519.0, 635.0),
            line("national report was well", 72.0, 522.0, 620.0),
            line("received.", 72.0, 140.0, 605.0),
            line("项目", 72.0, 100.0, 590.0),
            line("数量", 200.0, 230.0, 590.0),
        ];
        let joined = join_lines(&lines);
        assert_eq!(
            joined,
            "青山镇2022年防汛工作情况报告，标题很长几乎占满一行\n今年汛期，我镇共经历强降雨过程7次，最大日降雨量186毫米。全镇未发生人员伤亡。\n一、主要做法\nThe international report was well received.\n项目 数量\n"
        );
    }
}
