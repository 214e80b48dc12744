//! The archive catalogue (归档文件目录, after DA/T 22-2015): documents arranged into
//! report-year groups and sorted as the contract says, written as an XLSX workbook (a sheet
//! per year, ready to print), a CSV file (UTF-8 with a BOM, for Excel) or a terminal table.
//! Pure: the caller turns indexed documents into [`Entry`] rows.

use std::cmp::{Ordering, Reverse};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use rust_xlsxwriter as xlsx;

use crate::meta::DocDate;
use crate::output::display_width;

/// The columns, in order (DA/T 22-2015 归档文件目录).
const HEADERS: [&str; 8] = ["件号", "文号", "责任者", "题名", "日期", "页数", "密级", "备注"];

/// The name of the group of documents without a report year, last in every catalogue.
const NO_YEAR: &str = "无年度";

/// The sheet name of an empty catalogue's workbook (its only sheet, the header alone).
const EMPTY_SHEET: &str = "目录";

/// The CSV's first column, the group a row belongs to.
const YEAR_HEADER: &str = "年度";

/// One document's row in the catalogue.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Entry {
    /// The report year: which group the row goes in (`None`: the `无年度` group).
    pub year: Option<i32>,
    /// 文号: the document number (发文字号), such as `青政发〔2023〕12号`.
    pub doc_number: Option<String>,
    /// 责任者: the issuing office (发文机关).
    pub issuer: Option<String>,
    /// 题名: the title.
    pub title: String,
    /// 日期: the document date (成文日期), as precise as known.
    pub date: Option<DocDate>,
    /// 页数: the page count, when the file says.
    pub pages: Option<u32>,
    /// 密级: the secrecy mark, when marked.
    pub secrecy: Option<String>,
    /// 备注: the remark, written as given (the path as `list` shows it).
    pub remark: String,
}

/// The rows of one report year, sorted; 件号 counts from 1 in each group.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Group {
    /// The report year; `None` for the documents without one.
    pub year: Option<i32>,
    /// The rows, in catalogue order.
    pub entries: Vec<Entry>,
}

impl Group {
    /// The group's name, as a sheet name and the CSV's 年度 column: `2023`, or `无年度`.
    pub fn name(&self) -> String {
        self.year.map_or_else(|| NO_YEAR.to_string(), |y| y.to_string())
    }
}

/// A catalogue file's format, told by its extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// An Excel workbook (`.xlsx`): a sheet per year.
    Xlsx,
    /// Comma-separated values (`.csv`): one table with a 年度 column.
    Csv,
}

/// Why a catalogue cannot be written; each message is one line naming the path.
#[derive(Debug, thiserror::Error)]
pub enum CatalogError {
    /// The file name ends in neither `.xlsx` nor `.csv`.
    #[error("{}: unknown catalogue format: name the file .xlsx or .csv", .0.display())]
    UnknownFormat(PathBuf),
    /// The folder the file would go in does not exist (or is not a folder).
    #[error("{}: no such folder", .0.display())]
    NoFolder(PathBuf),
    /// Writing or renaming the file failed.
    #[error("{}: {reason}", path.display())]
    Io {
        /// The catalogue file.
        path: PathBuf,
        /// What the operating system said (in the message, not a separate cause, so that
        /// `{:#}` prints it once).
        reason: io::Error,
    },
    /// The workbook could not be assembled (a limit of the XLSX format was passed).
    #[error("{}: {reason}", path.display())]
    Xlsx {
        /// The catalogue file.
        path: PathBuf,
        /// What the XLSX writer said.
        reason: xlsx::XlsxError,
    },
}

/// The format a catalogue path asks for, by its extension (`.xlsx`, `.csv`, any case).
pub fn format_of(path: &Path) -> Result<Format, CatalogError> {
    let ext = path.extension().map(|e| e.to_string_lossy().to_ascii_lowercase());
    match ext.as_deref() {
        Some("xlsx") => Ok(Format::Xlsx),
        Some("csv") => Ok(Format::Csv),
        _ => Err(CatalogError::UnknownFormat(path.to_path_buf())),
    }
}

/// Checks an output path before any work is done: its format (see [`format_of`]) and that
/// the folder it goes in exists (a bare file name goes in the current folder).
pub fn check_output(path: &Path) -> Result<Format, CatalogError> {
    let format = format_of(path)?;
    if !folder_of(path).is_dir() {
        return Err(CatalogError::NoFolder(path.to_path_buf()));
    }
    Ok(format)
}

/// The folder a file goes in: its parent, or the current folder for a bare name.
fn folder_of(path: &Path) -> &Path {
    match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    }
}

/// Arranges rows into the catalogue: a group per report year, the newest first, then the
/// `无年度` group. Within a group: by the 日期 column's value (`20231200` before
/// `20231201`), undated rows last; then by the document number's serial as a number
/// (`〔2023〕9号` before `〔2023〕12号`), rows without a number after; then by title.
pub fn arrange(mut entries: Vec<Entry>) -> Vec<Group> {
    entries.sort_by(|a, b| {
        (a.year.is_none(), Reverse(a.year))
            .cmp(&(b.year.is_none(), Reverse(b.year)))
            .then_with(|| row_order(a, b))
    });
    let mut groups: Vec<Group> = Vec::new();
    for entry in entries {
        match groups.last_mut() {
            Some(group) if group.year == entry.year => group.entries.push(entry),
            _ => groups.push(Group {
                year: entry.year,
                entries: vec![entry],
            }),
        }
    }
    groups
}

/// The order of rows within a year: by the 日期 column's value (a month-only `20231200`
/// before the days of that month, a year-only `20230000` before its months), undated rows
/// last; then by the document number's serial as a number (`〔2023〕9号` before `〔2023〕12号`),
/// rows without one after; then by title. The number as written and the remark break the
/// remaining ties, so the order never depends on the order the rows came in.
fn row_order(a: &Entry, b: &Entry) -> Ordering {
    // (year, month or 0, day or 0) orders exactly as the `YYYYMMDD` strings do.
    let date = |e: &Entry| e.date.map(|d| (d.year, d.month.unwrap_or(0), d.day.unwrap_or(0)));
    let serial = |e: &Entry| e.doc_number.as_deref().and_then(serial_of);
    (date(a).is_none(), date(a))
        .cmp(&(date(b).is_none(), date(b)))
        .then_with(|| (serial(a).is_none(), serial(a)).cmp(&(serial(b).is_none(), serial(b))))
        .then_with(|| a.title.cmp(&b.title))
        .then_with(|| a.doc_number.cmp(&b.doc_number))
        .then_with(|| a.remark.cmp(&b.remark))
}

/// The serial (序号) of a document number: the last run of digits after the year bracket
/// (`青政发〔2023〕12号` → 12), full-width digits included; `None` when there is none.
fn serial_of(number: &str) -> Option<u64> {
    let tail = number.rsplit_once('〕').map_or(number, |(_, tail)| tail);
    let mut last = None;
    let mut run: Option<u64> = None;
    for c in tail.chars() {
        let digit = match c {
            '0'..='9' => Some(c as u32 - '0' as u32),
            '０'..='９' => Some(c as u32 - '０' as u32),
            _ => None,
        };
        match digit {
            Some(d) => {
                run = Some(run.unwrap_or(0).saturating_mul(10).saturating_add(u64::from(d)));
            }
            None => {
                if run.is_some() {
                    last = run.take();
                }
            }
        }
    }
    run.or(last)
}

/// A row's cells as text, in column order; a missing value is an empty string.
fn text_cells(number: usize, entry: &Entry) -> [String; 8] {
    let text = |value: &Option<String>| value.clone().unwrap_or_default();
    [
        number.to_string(),
        text(&entry.doc_number),
        text(&entry.issuer),
        entry.title.clone(),
        entry.date.map(DocDate::catalog_form).unwrap_or_default(),
        entry.pages.map(|p| p.to_string()).unwrap_or_default(),
        text(&entry.secrecy),
        entry.remark.clone(),
    ]
}

/// Writes the catalogue as an XLSX workbook, atomically (see [`write_csv`]): a sheet per
/// group named by [`Group::name`], the header row bold and frozen, columns wide enough for
/// Chinese text (题名 and 备注 capped and wrapped), printed on A4 landscape one page wide with
/// the header on every page. 件号 and 页数 are numbers, 日期 text (`20230000` stays as it is).
/// No groups: one sheet `目录` with the header alone.
pub fn write_xlsx(path: &Path, groups: &[Group]) -> Result<(), CatalogError> {
    let bytes = workbook_bytes(groups).map_err(|reason| CatalogError::Xlsx {
        path: path.to_path_buf(),
        reason,
    })?;
    write_atomically(path, &bytes).map_err(|reason| CatalogError::Io {
        path: path.to_path_buf(),
        reason,
    })
}

/// Which columns are centred (件号, 日期, 页数, 密级); the others are wrapped text.
const CENTRED: [bool; 8] = [true, false, false, false, true, true, true, false];

/// The widest a column grows, in Excel's character units (a CJK character counts 2), before
/// its text wraps: 题名 and 备注 long, the others short enough to leave them room.
const MAX_WIDTH: [usize; 8] = [8, 24, 24, 50, 10, 8, 8, 36];

/// The workbook's bytes.
fn workbook_bytes(groups: &[Group]) -> Result<Vec<u8>, xlsx::XlsxError> {
    let cell = xlsx::Format::new()
        .set_border(xlsx::FormatBorder::Thin)
        .set_align(xlsx::FormatAlign::VerticalCenter);
    let header = cell.clone().set_bold().set_align(xlsx::FormatAlign::Center);
    let centred = cell.clone().set_align(xlsx::FormatAlign::Center);
    let wrapped = cell.set_text_wrap();
    let formats: [&xlsx::Format; 8] = CENTRED.map(|c| if c { &centred } else { &wrapped });

    let mut workbook = xlsx::Workbook::new();
    let empty = [Group::default()];
    let sheets = if groups.is_empty() { &empty[..] } else { groups };
    for group in sheets {
        let sheet = workbook.add_worksheet();
        let name = if groups.is_empty() {
            EMPTY_SHEET.to_string()
        } else {
            group.name()
        };
        sheet.set_name(name)?;
        let mut widths = HEADERS.map(display_width);
        for (col, title) in (0..).zip(HEADERS) {
            sheet.write_string_with_format(0, col, title, &header)?;
        }
        for (index, entry) in group.entries.iter().enumerate() {
            let row = xlsx::RowNum::try_from(index + 1).unwrap_or(xlsx::RowNum::MAX);
            let texts = text_cells(index + 1, entry);
            for (col, text) in texts.iter().enumerate() {
                widths[col] = widths[col].max(display_width(text));
            }
            for (col, text) in (0..).zip(&texts) {
                let format = formats[usize::from(col)];
                let number = match col {
                    0 => Some(index as f64 + 1.0),
                    5 => entry.pages.map(f64::from),
                    _ => None,
                };
                if let Some(number) = number {
                    sheet.write_number_with_format(row, col, number, format)?;
                } else if text.is_empty() {
                    sheet.write_blank(row, col, format)?;
                } else {
                    sheet.write_string_with_format(row, col, excel_text(text), format)?;
                }
            }
        }
        for (col, (width, max)) in (0..).zip(widths.iter().zip(MAX_WIDTH)) {
            // Two units of padding; a header never narrower than its own name.
            let width = (width + 2)
                .min(max)
                .max(display_width(HEADERS[usize::from(col)]) + 2);
            sheet.set_column_width(col, width as f64)?;
        }
        sheet.set_freeze_panes(1, 0)?;
        sheet.set_repeat_rows(0, 0)?;
        sheet
            .set_paper_size(9) // A4
            .set_landscape()
            .set_print_fit_to_pages(1, 0)
            .set_print_center_horizontally(true)
            .set_header("&C归档文件目录 &A")
            .set_footer("&C第 &P 页 共 &N 页");
    }
    workbook.save_to_buffer()
}

/// A cell's text within Excel's limit of 32,767 UTF-16 units (cut at a character).
fn excel_text(text: &str) -> &str {
    const MAX: usize = 32_767;
    let mut units = 0;
    for (at, c) in text.char_indices() {
        units += c.len_utf16();
        if units > MAX {
            return &text[..at];
        }
    }
    text
}

/// Writes the catalogue as CSV: UTF-8 with a BOM (so that Excel opens it as Chinese), CRLF
/// line ends, RFC 4180 quoting; a 年度 column (`2023`, `无年度`) before the catalogue's eight,
/// one header row. Atomic: the file is written beside the target under a temporary name and
/// renamed over it, so a failed write leaves an earlier file as it was and no temporary file.
pub fn write_csv(path: &Path, groups: &[Group]) -> Result<(), CatalogError> {
    let io_error = |reason| CatalogError::Io {
        path: path.to_path_buf(),
        reason,
    };
    let bytes = csv_bytes(groups).map_err(io_error)?;
    write_atomically(path, &bytes).map_err(io_error)
}

/// The CSV file's bytes.
fn csv_bytes(groups: &[Group]) -> io::Result<Vec<u8>> {
    let mut bytes = "\u{FEFF}".as_bytes().to_vec();
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(&mut bytes);
    let mut header = vec![YEAR_HEADER];
    header.extend(HEADERS);
    writer.write_record(header)?;
    for group in groups {
        let name = group.name();
        for (index, entry) in group.entries.iter().enumerate() {
            let cells: Vec<String> = text_cells(index + 1, entry).into_iter().map(defused).collect();
            writer.write_record(std::iter::once(name.as_str()).chain(cells.iter().map(String::as_str)))?;
        }
    }
    writer.flush()?;
    drop(writer);
    Ok(bytes)
}

/// A CSV cell Excel will not run as a formula: text from a document that starts like one
/// (`=`, `+`, `-`, `@`, a tab or a carriage return) gets a leading `'`, as OWASP advises;
/// the XLSX needs none, its cells being typed as text.
fn defused(cell: String) -> String {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}")
    } else {
        cell
    }
}

/// Writes `bytes` to `path` through a temporary file in the same folder renamed over it.
/// The temporary file is removed whatever fails (tempfile deletes it when dropped).
fn write_atomically(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut builder = tempfile::Builder::new();
    builder.prefix(".dangan-catalog-").suffix(".tmp");
    #[cfg(unix)]
    {
        // Permissions as a plainly created file has (0666 less the umask), not tempfile's
        // private 0600: a catalogue is made to be shared.
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    let mut file = builder.tempfile_in(folder_of(path))?;
    file.write_all(bytes)?;
    file.as_file().sync_all()?;
    file.persist(path).map_err(|err| err.error)?;
    Ok(())
}

/// The widest a column of the terminal table is padded to; longer cells push the rest of
/// their line right rather than being cut.
const TABLE_MAX_WIDTH: usize = 48;

/// Writes the catalogue as a terminal table: per group a heading line (`2023（12件）`), the
/// column names and a line per row, columns aligned (CJK characters count two columns),
/// 件号 and 页数 right-aligned. Control characters (line breaks in a title) show as spaces.
/// No groups: the column names alone.
pub fn write_table(out: &mut impl Write, groups: &[Group]) -> io::Result<()> {
    let rows: Vec<Vec<[String; 8]>> = groups
        .iter()
        .map(|group| {
            group
                .entries
                .iter()
                .enumerate()
                .map(|(index, entry)| text_cells(index + 1, entry).map(|c| one_line(&c)))
                .collect()
        })
        .collect();
    let mut widths = HEADERS.map(display_width);
    for cells in rows.iter().flatten() {
        for (width, cell) in widths.iter_mut().zip(cells) {
            *width = (*width).max(display_width(cell).min(TABLE_MAX_WIDTH));
        }
    }
    if groups.is_empty() {
        return table_line(out, &HEADERS, &widths);
    }
    for (n, (group, cells)) in groups.iter().zip(&rows).enumerate() {
        if n > 0 {
            writeln!(out)?;
        }
        writeln!(out, "{}（{}件）", group.name(), group.entries.len())?;
        table_line(out, &HEADERS, &widths)?;
        for row in cells {
            table_line(out, row, &widths)?;
        }
    }
    Ok(())
}

/// One line of the terminal table, indented two columns, no trailing spaces.
fn table_line(out: &mut impl Write, cells: &[impl AsRef<str>; 8], widths: &[usize; 8]) -> io::Result<()> {
    const RIGHT: [bool; 8] = [true, false, false, false, false, true, false, false];
    let mut line = String::from("  ");
    for (col, cell) in cells.iter().enumerate() {
        let cell = cell.as_ref();
        if col > 0 {
            line.push_str("  ");
        }
        let pad = " ".repeat(widths[col].saturating_sub(display_width(cell)));
        if RIGHT[col] {
            line.push_str(&pad);
            line.push_str(cell);
        } else {
            line.push_str(cell);
            line.push_str(&pad);
        }
    }
    writeln!(out, "{}", line.trim_end())
}

/// A cell's text on one terminal line: control characters (line breaks, tabs, escapes)
/// become spaces, so document text can neither break the layout nor drive the terminal.
fn one_line(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::{Data, Reader, Xlsx, open_workbook};

    /// A row: report year, document number, title, date (year, month, day).
    fn entry(year: Option<i32>, number: Option<&str>, title: &str, date: Option<(i32, u32, u32)>) -> Entry {
        Entry {
            year,
            doc_number: number.map(str::to_string),
            issuer: Some("青山镇人民政府".to_string()),
            title: title.to_string(),
            date: date.map(|(y, m, d)| DocDate::new(y, (m > 0).then_some(m), (d > 0).then_some(d))),
            pages: None,
            secrecy: None,
            remark: format!("{title}.docx"),
        }
    }

    /// Rows out of order over two years and none: each rule of the sort has a case.
    fn sample() -> Vec<Entry> {
        vec![
            entry(Some(2022), None, "二〇二二年工作总结", Some((2022, 12, 30))),
            entry(None, None, "无日期无年度", None),
            entry(Some(2023), None, "未注日期", None),
            entry(
                Some(2023),
                Some("青政发〔2023〕12号"),
                "十二号文",
                Some((2023, 12, 1)),
            ),
            entry(
                Some(2023),
                Some("青政发〔2023〕9号"),
                "九号文",
                Some((2023, 12, 1)),
            ),
            entry(Some(2023), None, "无文号", Some((2023, 12, 1))),
            entry(Some(2023), None, "十二月", Some((2023, 12, 0))),
            entry(Some(2023), None, "全年", Some((2023, 0, 0))),
            entry(Some(2023), None, "十二月五日", Some((2023, 12, 5))),
            entry(None, None, "有日期无年度", Some((2021, 3, 0))),
        ]
    }

    fn titles(group: &Group) -> Vec<&str> {
        group.entries.iter().map(|e| e.title.as_str()).collect()
    }

    #[test]
    fn groups_newest_year_first_and_no_year_last() {
        let groups = arrange(sample());
        let names: Vec<String> = groups.iter().map(Group::name).collect();
        assert_eq!(names, ["2023", "2022", "无年度"]);
        assert_eq!(
            titles(&groups[0]),
            [
                "全年",
                "十二月",
                "九号文",
                "十二号文",
                "无文号",
                "十二月五日",
                "未注日期"
            ]
        );
        assert_eq!(titles(&groups[2]), ["有日期无年度", "无日期无年度"]);
        assert!(arrange(Vec::new()).is_empty());
    }

    #[test]
    fn order_ignores_input_order() {
        let mut reversed = sample();
        reversed.reverse();
        assert_eq!(arrange(reversed), arrange(sample()));
    }

    #[test]
    fn same_date_and_serial_sorts_by_title() {
        let groups = arrange(vec![
            entry(Some(2023), Some("青政办发〔2023〕3号"), "二", Some((2023, 5, 1))),
            entry(Some(2023), Some("青政发〔2023〕3号"), "一", Some((2023, 5, 1))),
        ]);
        // Titles compare as strings (by code point: 一 U+4E00 before 二 U+4E8C).
        assert_eq!(titles(&groups[0]), ["一", "二"]);
    }

    #[test]
    fn serials_of_document_numbers() {
        for (number, want) in [
            ("青政发〔2023〕12号", Some(12)),
            ("青政发〔2023〕9号", Some(9)),
            ("青政发〔2023〕009号", Some(9)),
            ("青政发〔2023〕号", None),
            ("青党办发〔2023〕３号", Some(3)),
            ("青政函2023-8号", Some(8)),
            ("第12号", Some(12)),
            ("无号", None),
            ("青政发〔2023〕99999999999999999999999号", Some(u64::MAX)),
        ] {
            assert_eq!(serial_of(number), want, "{number}");
        }
    }

    #[test]
    fn group_names() {
        let group = |year| Group {
            year,
            entries: Vec::new(),
        };
        assert_eq!(group(Some(2023)).name(), "2023");
        assert_eq!(group(None).name(), "无年度");
    }

    fn sheet(path: &Path, name: &str) -> Vec<Vec<Data>> {
        let mut book: Xlsx<_> = open_workbook(path).expect("open the workbook");
        let range = book.worksheet_range(name).expect("read the sheet");
        range.rows().map(<[Data]>::to_vec).collect()
    }

    fn header_row() -> Vec<Data> {
        HEADERS.iter().map(|h| Data::String(h.to_string())).collect()
    }

    fn text(s: &str) -> Data {
        Data::String(s.to_string())
    }

    #[test]
    fn xlsx_has_a_sheet_per_year_with_numbers_and_date_text() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("目录.xlsx");
        let mut entries = sample();
        entries[3].pages = Some(7);
        entries[3].secrecy = Some("秘密".to_string());
        entries[4].title = "控制\u{1b}字符\t与\n换行 & <标签>".to_string();
        write_xlsx(&path, &arrange(entries)).expect("write");

        let book: Xlsx<_> = open_workbook(&path).expect("open the workbook");
        assert_eq!(book.sheet_names(), ["2023", "2022", "无年度"]);

        let rows = sheet(&path, "2023");
        assert_eq!(rows[0], header_row());
        assert_eq!(rows.len(), 8);
        let column = |col: usize| rows[1..].iter().map(|r| r[col].clone()).collect::<Vec<_>>();
        assert_eq!(
            column(0),
            (1..=7).map(|n| Data::Float(f64::from(n))).collect::<Vec<_>>()
        );
        assert_eq!(
            column(4),
            [
                "20230000", "20231200", "20231201", "20231201", "20231201", "20231205"
            ]
            .map(text)
            .into_iter()
            .chain([Data::Empty])
            .collect::<Vec<_>>()
        );
        assert_eq!(
            rows[4],
            [
                Data::Float(4.0),
                text("青政发〔2023〕12号"),
                text("青山镇人民政府"),
                text("十二号文"),
                text("20231201"),
                Data::Float(7.0),
                text("秘密"),
                text("十二号文.docx"),
            ]
        );
        assert_eq!(rows[5][1], Data::Empty, "no number: an empty cell");
        assert_eq!(
            rows[3][3],
            text("控制\u{1b}字符\t与\n换行 & <标签>"),
            "kept as written"
        );

        let rows = sheet(&path, "无年度");
        assert_eq!(rows[0], header_row());
        assert_eq!(rows[1][0], Data::Float(1.0), "件号 counts from 1 in every sheet");
        assert_eq!(rows[1][3], text("有日期无年度"));
        assert_eq!(rows[1][4], text("20210300"));
        assert_eq!(rows[2][4], Data::Empty);
    }

    /// A part of the XLSX package, as text.
    fn part(path: &Path, name: &str) -> String {
        let file = std::fs::File::open(path).expect("open");
        let mut zip = zip::ZipArchive::new(file).expect("zip");
        let mut text = String::new();
        io::Read::read_to_string(&mut zip.by_name(name).expect("part"), &mut text).expect("read");
        text
    }

    #[test]
    fn xlsx_prints_a4_landscape_one_page_wide_with_the_header_on_every_page() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("c.xlsx");
        let mut entries = sample();
        entries[3].title = "关于".repeat(60);
        write_xlsx(&path, &arrange(entries)).expect("write");
        let xml = part(&path, "xl/worksheets/sheet1.xml");
        for want in [
            r#"paperSize="9""#,
            r#"orientation="landscape""#,
            r#"fitToHeight="0""#,
            r#"<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>"#,
            r#"<col min="4" max="4" width="50.7109375" customWidth="1"/>"#,
        ] {
            assert!(xml.contains(want), "sheet1.xml lacks {want}: {xml}");
        }
        let workbook = part(&path, "xl/workbook.xml");
        assert!(workbook.contains("'2023'!$1:$1"), "{workbook}");
        assert!(part(&path, "xl/styles.xml").contains("<b/>"), "a bold format");
    }

    #[test]
    fn empty_catalogue_is_a_header_alone() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("empty.xlsx");
        write_xlsx(&path, &[]).expect("write");
        let book: Xlsx<_> = open_workbook(&path).expect("open the workbook");
        assert_eq!(book.sheet_names(), ["目录"]);
        assert_eq!(sheet(&path, "目录"), [header_row()]);

        let path = dir.path().join("empty.csv");
        write_csv(&path, &[]).expect("write");
        let bytes = std::fs::read(&path).expect("read");
        assert_eq!(
            bytes,
            "\u{FEFF}年度,件号,文号,责任者,题名,日期,页数,密级,备注\r\n".as_bytes()
        );

        let mut out = Vec::new();
        write_table(&mut out, &[]).expect("table");
        assert_eq!(
            String::from_utf8(out).expect("utf-8"),
            "  件号  文号  责任者  题名  日期  页数  密级  备注\n"
        );
    }

    #[test]
    fn csv_cells_never_run_as_formulas() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("目录.csv");
        let mut entries = sample();
        for entry in &mut entries {
            entry.title = "=HYPERLINK(\"http://x\",\"点击\")".to_string();
        }
        write_csv(&path, &arrange(entries)).expect("write");
        let text = std::fs::read_to_string(&path).expect("read");
        assert!(text.contains("\"'=HYPERLINK("), "{text}");
        assert!(!text.contains(",=HYPERLINK"), "{text}");
        assert_eq!(defused("青政发".into()), "青政发");
        assert_eq!(defused("@SUM(A1)".into()), "'@SUM(A1)");
    }

    #[test]
    fn csv_is_excel_utf8_and_parses_back() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("目录.CSV");
        let mut entries = sample();
        entries[3].title = "关于\"河长制\"工作，\n第二行, with comma".to_string();
        entries[3].pages = Some(3);
        write_csv(&path, &arrange(entries)).expect("write");
        let bytes = std::fs::read(&path).expect("read");
        assert!(bytes.starts_with(&[0xEF, 0xBB, 0xBF]), "BOM");
        let text = std::str::from_utf8(&bytes[3..]).expect("utf-8");
        assert!(text.starts_with("年度,件号,文号,责任者,题名,日期,页数,密级,备注\r\n"));
        assert_eq!(
            text.matches('\n').count(),
            text.matches("\r\n").count() + 1,
            "CRLF, one LF in a title"
        );
        assert!(
            text.contains("\"关于\"\"河长制\"\"工作，\n第二行, with comma\""),
            "RFC 4180 quoting"
        );

        let rows: Vec<Vec<String>> = csv::Reader::from_reader(text.as_bytes())
            .records()
            .map(|r| r.expect("record").iter().map(str::to_string).collect())
            .collect();
        assert_eq!(rows.len(), 10);
        let column = |col: usize| rows.iter().map(|r| r[col].as_str()).collect::<Vec<_>>();
        assert_eq!(
            column(0),
            [
                "2023",
                "2023",
                "2023",
                "2023",
                "2023",
                "2023",
                "2023",
                "2022",
                "无年度",
                "无年度"
            ]
        );
        assert_eq!(column(1), ["1", "2", "3", "4", "5", "6", "7", "1", "1", "2"]);
        assert_eq!(
            rows[3],
            [
                "2023",
                "4",
                "青政发〔2023〕12号",
                "青山镇人民政府",
                "关于\"河长制\"工作，\n第二行, with comma",
                "20231201",
                "3",
                "",
                "十二号文.docx",
            ]
        );
        assert_eq!(column(5)[..3], ["20230000", "20231200", "20231201"]);
        assert_eq!(column(5)[6], "");
    }

    fn names_in(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .expect("read_dir")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn writes_replace_atomically_and_leave_no_temporary_file() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("c.csv");
        std::fs::write(&path, "old").expect("seed");
        write_csv(&path, &arrange(sample())).expect("write");
        assert!(
            std::fs::read(&path)
                .expect("read")
                .starts_with(&[0xEF, 0xBB, 0xBF])
        );
        assert_eq!(names_in(dir.path()), ["c.csv"]);

        // A workbook that cannot be assembled (two sheets named 2023) leaves the old file.
        let xlsx_path = dir.path().join("c.xlsx");
        std::fs::write(&xlsx_path, "old").expect("seed");
        let twice = [arrange(sample()).remove(0), arrange(sample()).remove(0)];
        let err = write_xlsx(&xlsx_path, &twice).expect_err("duplicate sheet names");
        assert!(
            err.to_string().starts_with(&xlsx_path.display().to_string()),
            "{err}"
        );
        assert_eq!(std::fs::read(&xlsx_path).expect("read"), b"old");

        // A rename that fails (the target is a folder) removes the temporary file.
        let blocked = dir.path().join("blocked.xlsx");
        std::fs::create_dir(&blocked).expect("mkdir");
        std::fs::write(blocked.join("inside"), "kept").expect("seed");
        let err = write_xlsx(&blocked, &arrange(sample())).expect_err("a folder is in the way");
        assert!(matches!(err, CatalogError::Io { .. }), "{err:?}");
        assert!(!err.to_string().contains('\n'), "one line: {err}");
        assert_eq!(names_in(dir.path()), ["blocked.xlsx", "c.csv", "c.xlsx"]);
        assert_eq!(std::fs::read(blocked.join("inside")).expect("read"), b"kept");
    }

    #[test]
    fn check_output_wants_a_known_format_in_an_existing_folder() {
        let dir = tempfile::tempdir().expect("tempdir");
        assert_eq!(check_output(&dir.path().join("a.xlsx")).ok(), Some(Format::Xlsx));
        assert_eq!(check_output(&dir.path().join("a.XLSX")).ok(), Some(Format::Xlsx));
        assert_eq!(check_output(&dir.path().join("a.Csv")).ok(), Some(Format::Csv));
        assert_eq!(
            check_output(Path::new("a.csv")).ok(),
            Some(Format::Csv),
            "the current folder"
        );

        let missing = dir.path().join("no/such/a.xlsx");
        let err = check_output(&missing).expect_err("missing folder");
        assert!(matches!(err, CatalogError::NoFolder(_)));
        assert_eq!(err.to_string(), format!("{}: no such folder", missing.display()));

        let file = dir.path().join("file");
        std::fs::write(&file, "").expect("seed");
        let err = check_output(&file.join("a.csv")).expect_err("a file is not a folder");
        assert!(matches!(err, CatalogError::NoFolder(_)));

        for name in ["a.txt", "a.xls", "a", ".xlsx", "a.xlsx.bak"] {
            let err = check_output(&dir.path().join(name)).expect_err(name);
            assert!(matches!(err, CatalogError::UnknownFormat(_)), "{name}");
            assert!(err.to_string().contains(name), "{err}");
        }
        let err = format_of(Path::new("目录.docx")).expect_err("docx");
        assert_eq!(
            err.to_string(),
            "目录.docx: unknown catalogue format: name the file .xlsx or .csv"
        );
    }

    #[test]
    fn table_aligns_chinese_text() {
        let mut entries = vec![
            entry(
                Some(2023),
                Some("青政发〔2023〕12号"),
                "关于开展安全生产大检查的通知",
                Some((2023, 6, 1)),
            ),
            entry(Some(2023), None, "Plan\nB", None),
            entry(None, None, "说明", None),
        ];
        entries[0].pages = Some(12);
        let mut out = Vec::new();
        write_table(&mut out, &arrange(entries)).expect("table");
        let text = String::from_utf8(out).expect("utf-8");
        let want = [
            "2023（2件）",
            "  件号  文号                责任者          题名                          日期      页数  密级  备注",
            "     1  青政发〔2023〕12号  青山镇人民政府  关于开展安全生产大检查的通知  20230601    12        关于开展安全生产大检查的通知.docx",
            "     2                      青山镇人民政府  Plan B                                              Plan B.docx",
            "",
            "无年度（1件）",
            "  件号  文号                责任者          题名                          日期      页数  密级  备注",
            "     1                      青山镇人民政府  说明                                                说明.docx",
        ];
        assert_eq!(text.lines().collect::<Vec<_>>(), want, "{text}");
    }
}
