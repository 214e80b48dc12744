//! Word 97-2003 binary documents (`.doc`, `.dot`) and Kingsoft WPS files written in the
//! same layout (`.wps`, `.wpt`), read natively from the OLE compound file.
//!
//! The `WordDocument` stream starts with the FIB, which says how long each story is
//! (main text, footnotes, headers, comments, endnotes, text boxes …) and where the
//! table stream (`0Table`/`1Table`) keeps the piece table. The piece table maps character
//! positions (CPs) to byte offsets (FCs) of 8-bit ("compressed", Windows-1252) or UTF-16
//! text. Character properties (CHPX pages) mark deleted revisions and bold; paragraph
//! properties (PAPX pages) mark table cells, row ends, centring and outline levels; the
//! style sheet names the styles. Fields are `0x13 code 0x14 result 0x15`: the result is
//! kept, the code dropped. Every offset read from the file is bounds-checked: a damaged
//! file gives a skip reason or less text, never a panic.
//!
//! Word 6.0/95 files (FIB version below 97) are a skip reason of their own, as are
//! encrypted and obfuscated ones.

use std::collections::HashSet;
use std::io::{Read, Seek};

use cfb::CompoundFile;

use super::numbering::{self, Counters, Level, Numbering};
use super::ole_props::{self, u16_at, u32_at};
use super::{Document, Limits, Paragraph, PartCounts, SkipReason};

/// Reads an OLE compound file: a Word binary document, or the reason it is not one.
pub fn extract_compound<R: Read + Seek>(reader: &mut R, limits: &Limits) -> Result<Document, SkipReason> {
    let err = match CompoundFile::open(&mut *reader) {
        Ok(cf) => return read_compound(cf, limits),
        Err(err) => err,
    };
    if let Some(padded) = padded_copy(reader, limits)
        && let Ok(cf) = CompoundFile::open(std::io::Cursor::new(padded))
    {
        return read_compound(cf, limits);
    }
    Err(super::sniff::unreadable_compound(reader, &err.to_string()))
}

/// Some writers end the file before the last sector its FAT covers (the `cfb` crate
/// refuses such files; Word and LibreOffice read them): the file's bytes padded with
/// zeros to the FAT's extent, when that is a modest size.
fn padded_copy<R: Read + Seek>(reader: &mut R, limits: &Limits) -> Option<Vec<u8>> {
    reader.seek(std::io::SeekFrom::Start(0)).ok()?;
    let mut bytes = Vec::new();
    reader.take(limits.member_bytes).read_to_end(&mut bytes).ok()?;
    let sector = 1usize << u16_at(&bytes, 30)?.min(16);
    let fat_sectors = u32_at(&bytes, 44)? as usize;
    let wanted = fat_sectors
        .checked_mul(sector / 4)?
        .checked_add(1)?
        .checked_mul(sector)?;
    if wanted <= bytes.len() || wanted > bytes.len().saturating_mul(4).max(1 << 20) {
        return None;
    }
    bytes.resize(wanted, 0);
    Some(bytes)
}

fn read_compound<F: Read + Seek>(mut cf: CompoundFile<F>, limits: &Limits) -> Result<Document, SkipReason> {
    if cf.is_stream("/EncryptedPackage") {
        return Err(SkipReason::Encrypted);
    }
    if !cf.is_stream("/WordDocument") {
        return Err(super::sniff::not_word(&|name| cf.is_stream(format!("/{name}"))));
    }
    let word = read_stream(&mut cf, "/WordDocument", limits)?;
    let fib = Fib::parse(&word)?;
    let table_name = if fib.flags & 0x0200 != 0 {
        "/1Table"
    } else {
        "/0Table"
    };
    if !cf.is_stream(table_name) {
        return Err(SkipReason::Damaged(format!(
            "the FIB names a table stream ({}) the file does not have",
            &table_name[1..]
        )));
    }
    let table = read_stream(&mut cf, table_name, limits)?;
    let mut doc = read_text(&fib, &word, &table, limits)?;
    if cf.is_stream("/\u{5}SummaryInformation")
        && let Ok(bytes) = read_stream(&mut cf, "/\u{5}SummaryInformation", limits)
    {
        doc.meta = ole_props::summary_information(&bytes);
    }
    if cf.is_stream("/WpsCustomData") {
        doc.meta
            .entry("application".into())
            .or_insert_with(|| "Kingsoft WPS".into());
    }
    Ok(doc)
}

fn read_stream<R: Read + Seek>(
    cf: &mut CompoundFile<R>,
    name: &str,
    limits: &Limits,
) -> Result<Vec<u8>, SkipReason> {
    let damaged =
        |e: std::io::Error| SkipReason::Damaged(format!("cannot read the {} stream: {e}", &name[1..]));
    let len = cf.entry(name).map_err(damaged)?.len();
    if len > limits.member_bytes {
        return Err(SkipReason::TooLarge(format!(
            "the {} stream is over {} MiB",
            &name[1..],
            limits.member_bytes >> 20
        )));
    }
    let stream = cf.open_stream(name).map_err(damaged)?;
    let mut bytes = Vec::with_capacity(len as usize);
    stream
        .take(limits.member_bytes)
        .read_to_end(&mut bytes)
        .map_err(damaged)?;
    Ok(bytes)
}

/// The story lengths, in characters, in the order the stories follow each other.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Story {
    Main,
    Footnotes,
    Headers,
    Macros,
    Comments,
    Endnotes,
    TextBoxes,
    HeaderTextBoxes,
}

const STORIES: [Story; 8] = [
    Story::Main,
    Story::Footnotes,
    Story::Headers,
    Story::Macros,
    Story::Comments,
    Story::Endnotes,
    Story::TextBoxes,
    Story::HeaderTextBoxes,
];

/// The parts of the File Information Block dangan uses.
#[derive(Debug)]
struct Fib {
    flags: u16,
    ccp: [u32; 8],
    fc_lcb: Vec<(u32, u32)>,
}

const FC_STSHF: usize = 1;
const FC_PLCF_HDD: usize = 11;
const FC_PLCF_BTE_CHPX: usize = 12;
const FC_PLCF_BTE_PAPX: usize = 13;
const FC_CLX: usize = 33;
const FC_PLF_LST: usize = 73;
const FC_PLF_LFO: usize = 74;

impl Fib {
    fn parse(word: &[u8]) -> Result<Fib, SkipReason> {
        let short = || SkipReason::Damaged("the WordDocument stream is too short for its FIB".into());
        let ident = u16_at(word, 0).ok_or_else(short)?;
        let nfib = u16_at(word, 2).ok_or_else(short)?;
        let flags = u16_at(word, 0x0A).ok_or_else(short)?;
        // Word 6.0 wrote nFib 101, Word 95 104; their FIB has another layout.
        if (0x65..=0x69).contains(&nfib) || ident == 0xA5DC {
            return Err(SkipReason::OldWord("Word 6.0/95".into()));
        }
        if ident != 0xA5EC {
            return Err(SkipReason::Damaged(format!(
                "the WordDocument stream does not start with a Word FIB (0x{ident:04X})"
            )));
        }
        if flags & 0x0100 != 0 || flags & 0x8000 != 0 {
            return Err(SkipReason::Encrypted);
        }
        let csw = u16_at(word, 32).ok_or_else(short)? as usize;
        let lw = 34 + csw * 2;
        let cslw = u16_at(word, lw).ok_or_else(short)? as usize;
        let mut ccp = [0u32; 8];
        for (i, c) in ccp.iter_mut().enumerate() {
            // ccpText is the fourth long of FibRgLw97; the other story lengths follow it.
            *c = if 3 + i < cslw {
                u32_at(word, lw + 2 + (3 + i) * 4).ok_or_else(short)?
            } else {
                0
            };
        }
        let fc = lw + 2 + cslw * 4;
        let pairs = u16_at(word, fc).ok_or_else(short)? as usize;
        let fc_lcb = (0..pairs)
            .map_while(|i| Some((u32_at(word, fc + 2 + i * 8)?, u32_at(word, fc + 6 + i * 8)?)))
            .collect();
        Ok(Fib { flags, ccp, fc_lcb })
    }

    /// The bytes `(fc, lcb)` pair `index` points at in the table stream (empty when
    /// absent or out of bounds).
    fn slice<'t>(&self, table: &'t [u8], index: usize) -> &'t [u8] {
        let Some(&(fc, lcb)) = self.fc_lcb.get(index) else {
            return &[];
        };
        let (fc, lcb) = (fc as usize, lcb as usize);
        table.get(fc..fc.saturating_add(lcb)).unwrap_or(&[])
    }
}

impl Fib {
    /// The table stream from where pair `index` points to its end: the list levels
    /// follow PlfLst and the LFO data follows PlfLfo outside their stated lengths.
    fn tail<'t>(&self, table: &'t [u8], index: usize) -> &'t [u8] {
        match self.fc_lcb.get(index) {
            Some(&(fc, lcb)) if lcb > 0 => table.get(fc as usize..).unwrap_or(&[]),
            _ => &[],
        }
    }
}

/// A run of text from the piece table: CPs `cp..cp_end` are stored from byte `fc` on.
#[derive(Debug, Clone, Copy)]
struct Piece {
    cp: u32,
    cp_end: u32,
    fc: u32,
    compressed: bool,
}

fn piece_table(clx: &[u8]) -> Result<Vec<Piece>, SkipReason> {
    let damaged = |why: &str| SkipReason::Damaged(format!("the piece table is {why}"));
    let mut at = 0usize;
    // Prc entries (property modifiers of pieces) come first; the Pcdt follows them.
    let plc = loop {
        match clx.get(at) {
            Some(1) => {
                let cb = u16_at(clx, at + 1).ok_or_else(|| damaged("cut short"))? as usize;
                at += 3 + cb;
            }
            Some(2) => {
                let lcb = u32_at(clx, at + 1).ok_or_else(|| damaged("cut short"))? as usize;
                break clx
                    .get(at + 5..at + 5 + lcb)
                    .ok_or_else(|| damaged("cut short"))?;
            }
            None => return Err(damaged("missing")),
            Some(_) => return Err(damaged("not in the expected form")),
        }
    };
    if plc.len() < 4 {
        return Err(damaged("empty"));
    }
    let n = (plc.len() - 4) / 12;
    let mut pieces = Vec::with_capacity(n);
    for i in 0..n {
        let (Some(cp), Some(cp_end), Some(raw)) = (
            u32_at(plc, i * 4),
            u32_at(plc, (i + 1) * 4),
            u32_at(plc, (n + 1) * 4 + i * 8 + 2),
        ) else {
            break;
        };
        if cp_end <= cp {
            continue;
        }
        let compressed = raw & 0x4000_0000 != 0;
        let fc = raw & 0x3FFF_FFFF;
        pieces.push(Piece {
            cp,
            cp_end,
            fc: if compressed { fc / 2 } else { fc },
            compressed,
        });
    }
    pieces.sort_by_key(|p| p.cp);
    Ok(pieces)
}

/// Windows-1252 for bytes 0x80–0x9F of compressed pieces; the others are Latin-1.
const CP1252_HIGH: [u16; 32] = [
    0x20AC, 0x81, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152,
    0x8D, 0x017D, 0x8F, 0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161,
    0x203A, 0x0153, 0x9D, 0x017E, 0x0178,
];

/// Property runs over FC ranges, from the CHPX or PAPX pages (sorted, as Word writes them).
#[derive(Debug)]
struct Runs<T> {
    starts: Vec<u32>,
    ends: Vec<u32>,
    props: Vec<T>,
}

impl<T: Default + Clone> Runs<T> {
    fn find(&self, fc: u32, hint: &mut usize) -> T {
        if let (Some(&s), Some(&e)) = (self.starts.get(*hint), self.ends.get(*hint))
            && s <= fc
            && fc < e
        {
            return self.props[*hint].clone();
        }
        let i = self.starts.partition_point(|&s| s <= fc);
        if i > 0 && fc < self.ends[i - 1] {
            *hint = i - 1;
            return self.props[i - 1].clone();
        }
        T::default()
    }
}

/// Reads the formatted-disk-page runs a bin table (`PlcBteChpx`/`PlcBtePapx`) points at.
fn fkp_runs<T>(plc: &[u8], word: &[u8], paragraph: bool, parse: impl Fn(&[u8]) -> T) -> Runs<T> {
    let mut runs = Runs {
        starts: Vec::new(),
        ends: Vec::new(),
        props: Vec::new(),
    };
    let n = plc.len().saturating_sub(4) / 8;
    let mut seen = HashSet::new();
    for i in 0..n {
        let Some(pn) = u32_at(plc, (n + 1) * 4 + i * 4).map(|p| (p & 0x003F_FFFF) as usize) else {
            break;
        };
        if !seen.insert(pn) {
            continue;
        }
        let Some(page) = word.get(pn * 512..pn * 512 + 512) else {
            continue;
        };
        let crun = page[511] as usize;
        for r in 0..crun {
            let (Some(start), Some(end)) = (u32_at(page, r * 4), u32_at(page, r * 4 + 4)) else {
                break;
            };
            let props = if paragraph {
                let Some(&b) = page.get(4 * (crun + 1) + r * 13) else {
                    break;
                };
                let at = b as usize * 2;
                match page.get(at) {
                    Some(0) => {
                        let cb = page.get(at + 1).copied().unwrap_or(0) as usize;
                        page.get(at + 2..at + 2 + 2 * cb)
                    }
                    Some(&cb) => page.get(at + 1..at + 2 * cb as usize),
                    None => None,
                }
            } else {
                let Some(&b) = page.get(4 * (crun + 1) + r) else {
                    break;
                };
                let at = b as usize * 2;
                if at == 0 {
                    Some(&[][..])
                } else {
                    page.get(at)
                        .and_then(|&cb| page.get(at + 1..at + 1 + cb as usize))
                }
            };
            if start < end {
                runs.starts.push(start);
                runs.ends.push(end);
                runs.props.push(parse(props.unwrap_or(&[])));
            }
        }
    }
    // Pages normally come in order; sort in case a file lists them otherwise.
    if runs.starts.windows(2).any(|w| w[0] > w[1]) {
        let mut order: Vec<usize> = (0..runs.starts.len()).collect();
        order.sort_by_key(|&i| runs.starts[i]);
        runs.starts = order.iter().map(|&i| runs.starts[i]).collect();
        runs.ends = order.iter().map(|&i| runs.ends[i]).collect();
        let mut props: Vec<Option<T>> = runs.props.into_iter().map(Some).collect();
        runs.props = order.iter().filter_map(|&i| props[i].take()).collect();
    }
    runs
}

/// The sprms (property modifiers) of a grpprl: `(opcode, operand)`.
fn sprms(grpprl: &[u8]) -> impl Iterator<Item = (u16, &[u8])> {
    let mut at = 0usize;
    std::iter::from_fn(move || {
        let op = u16_at(grpprl, at)?;
        let rest = grpprl.get(at + 2..)?;
        let len = match op >> 13 {
            0 | 1 => 1,
            2 | 4 | 5 => 2,
            3 => 4,
            7 => 3,
            _ => match op {
                // sprmTDefTable and sprmPChgTabs have their own length forms.
                0xD608 => 2 + (u16_at(rest, 0)? as usize).saturating_sub(1),
                0xC615 if rest.first() == Some(&255) => return None,
                _ => 1 + *rest.first()? as usize,
            },
        };
        let operand = rest.get(..len)?;
        at += 2 + len;
        Some((op, operand))
    })
}

/// Character properties dangan needs.
#[derive(Debug, Default, Clone, Copy)]
struct Chp {
    deleted: bool,
    bold: Option<bool>,
}

fn parse_chpx(grpprl: &[u8]) -> Chp {
    let mut chp = Chp::default();
    for (op, operand) in sprms(grpprl) {
        let v = operand.first().copied().unwrap_or(0);
        match op {
            0x0800 => chp.deleted = v == 1 || v == 0x81,
            0x0835 => {
                chp.bold = match v {
                    0 => Some(false),
                    1 | 0x81 => Some(true),
                    _ => None,
                }
            }
            _ => {}
        }
    }
    chp
}

/// Paragraph properties dangan needs.
#[derive(Debug, Default, Clone, Copy)]
struct Pap {
    istd: u16,
    in_table: bool,
    /// The paragraph is a table row's end mark.
    row_end: bool,
    /// The paragraph mark ends a cell of a nested table.
    inner_cell: bool,
    centered: Option<bool>,
    outline: Option<u8>,
    /// The list (1-based index into the LFO table) and level of an auto-numbered paragraph.
    ilfo: Option<u16>,
    ilvl: Option<u8>,
}

fn parse_papx(data: &[u8]) -> Pap {
    let mut pap = Pap {
        istd: u16_at(data, 0).unwrap_or(0),
        ..Pap::default()
    };
    apply_pap_sprms(&mut pap, data.get(2..).unwrap_or(&[]));
    pap
}

fn apply_pap_sprms(pap: &mut Pap, grpprl: &[u8]) {
    for (op, operand) in sprms(grpprl) {
        let v = operand.first().copied().unwrap_or(0);
        match op {
            0x2416 => pap.in_table = v != 0,
            0x6649 => pap.in_table = u32_at(operand, 0).unwrap_or(0) > 0,
            0x2417 | 0x244C => pap.row_end = v != 0,
            0x244B => pap.inner_cell = v != 0,
            0x2403 | 0x2461 => pap.centered = Some(v == 1),
            0x2640 => pap.outline = (v < 9).then_some(v),
            0x460B => pap.ilfo = u16_at(operand, 0),
            0x260A => pap.ilvl = Some(v.min(8)),
            _ => {}
        }
    }
}

/// One style of the style sheet.
#[derive(Debug, Default, Clone)]
struct Style {
    name: String,
    base: Option<usize>,
    centered: Option<bool>,
    outline: Option<u8>,
    bold: Option<bool>,
    ilfo: Option<u16>,
    ilvl: Option<u8>,
}

/// The style sheet (STSH): names, bases, and the paragraph/character properties title
/// detection uses.
fn style_sheet(stsh: &[u8]) -> Vec<Option<Style>> {
    let Some(cb_stshi) = u16_at(stsh, 0).map(usize::from) else {
        return Vec::new();
    };
    let (Some(cstd), Some(cb_base)) = (u16_at(stsh, 2), u16_at(stsh, 4)) else {
        return Vec::new();
    };
    let cb_base = cb_base as usize;
    let mut styles = Vec::with_capacity(cstd as usize);
    let mut at = 2 + cb_stshi;
    for _ in 0..cstd {
        let Some(cb) = u16_at(stsh, at).map(usize::from) else {
            break;
        };
        let std = stsh.get(at + 2..at + 2 + cb).unwrap_or(&[]);
        at += 2 + cb;
        styles.push(if std.is_empty() {
            None
        } else {
            parse_std(std, cb_base)
        });
    }
    styles
}

fn parse_std(std: &[u8], cb_base: usize) -> Option<Style> {
    let sti = u16_at(std, 0)? & 0x0FFF;
    let kind_base = u16_at(std, 2)?;
    let (stk, base) = (kind_base & 0x000F, kind_base >> 4);
    let cch = u16_at(std, cb_base)? as usize;
    let name_bytes = std.get(cb_base + 2..cb_base + 2 + cch * 2)?;
    let units = name_bytes
        .chunks_exact(2)
        .map(|c| u16::from_le_bytes([c[0], c[1]]));
    let name: String = char::decode_utf16(units).map_while(Result::ok).collect();
    let name = match sti {
        1..=9 => format!("heading {sti}"),
        62 => "Title".to_string(),
        _ => name,
    };
    let mut style = Style {
        name,
        base: (base != 0x0FFF).then_some(base as usize),
        ..Style::default()
    };
    // The UPXs follow the name (and its terminating zero), each padded to an even length.
    let mut at = cb_base + 2 + cch * 2 + 2;
    let upx = |at: &mut usize| -> Option<&[u8]> {
        *at += *at % 2;
        let cb = u16_at(std, *at)? as usize;
        let data = std.get(*at + 2..*at + 2 + cb)?;
        *at += 2 + cb;
        Some(data)
    };
    if stk == 1 {
        let papx = upx(&mut at)?;
        let mut pap = Pap::default();
        apply_pap_sprms(&mut pap, papx.get(2..).unwrap_or(&[]));
        style.centered = pap.centered;
        style.outline = pap.outline;
        style.ilfo = pap.ilfo;
        style.ilvl = pap.ilvl;
        if let Some(chpx) = upx(&mut at) {
            style.bold = parse_chpx(chpx).bold;
        }
    }
    Some(style)
}

fn style_prop<T>(styles: &[Option<Style>], istd: u16, pick: impl Fn(&Style) -> Option<T>) -> Option<T> {
    let mut i = istd as usize;
    for _ in 0..16 {
        let style = styles.get(i)?.as_ref()?;
        if let Some(v) = pick(style) {
            return Some(v);
        }
        i = style.base?;
    }
    None
}

/// The list tables (PlfLst: definitions and their levels; PlfLfo: the instances
/// paragraphs refer to, with restarts) as the DOCX reader's [`Numbering`].
fn list_tables(plf_lst: &[u8], plf_lfo: &[u8]) -> Numbering {
    let mut lists = Numbering::default();
    let count = u16_at(plf_lst, 0).unwrap_or(0) as usize;
    let mut at = 2 + count * 28;
    'lists: for i in 0..count {
        let lstf = 2 + i * 28;
        let (Some(lsid), Some(&flags)) = (u32_at(plf_lst, lstf), plf_lst.get(lstf + 26)) else {
            break;
        };
        let mut levels = Vec::new();
        for _ in 0..if flags & 1 != 0 { 1 } else { 9 } {
            let Some((level, len)) = parse_lvl(plf_lst.get(at..).unwrap_or(&[])) else {
                break 'lists;
            };
            at += len;
            levels.push(level);
        }
        lists.define(lsid.to_string(), levels);
    }
    let count = (u32_at(plf_lfo, 0).unwrap_or(0) as usize).min(plf_lfo.len() / 16);
    let mut data = 4 + count * 16;
    for i in 0..count {
        let lfo = 4 + i * 16;
        let (Some(lsid), Some(&overrides)) = (u32_at(plf_lfo, lfo), plf_lfo.get(lfo + 12)) else {
            break;
        };
        let mut starts = std::collections::HashMap::new();
        // LFOData: a CP, then one LFOLVL per overridden level (with a LVL if it reformats).
        data += 4;
        for _ in 0..overrides {
            let (Some(start), Some(flags)) = (u32_at(plf_lfo, data), u32_at(plf_lfo, data + 4)) else {
                break;
            };
            data += 8;
            if flags & 0x10 != 0 {
                starts.insert((flags & 0x0F) as u8, start);
            }
            if flags & 0x20 != 0 {
                data += parse_lvl(plf_lfo.get(data..).unwrap_or(&[])).map_or(0, |(_, len)| len);
            }
        }
        lists.instance((i + 1).to_string(), lsid.to_string(), starts);
    }
    lists
}

/// One list level (LVL): its LVLF, the property lists, and the number text, in which
/// characters 0–8 stand for the levels' counters. Returns the level and its length.
fn parse_lvl(b: &[u8]) -> Option<(Level, usize)> {
    let start = u32_at(b, 0)?;
    let (nfc, flags, follow) = (*b.get(4)?, *b.get(5)?, *b.get(15)?);
    let (cb_chpx, cb_papx) = (*b.get(24)? as usize, *b.get(25)? as usize);
    let xst = 28 + cb_papx + cb_chpx;
    let cch = u16_at(b, xst)? as usize;
    let units = b.get(xst + 2..xst + 2 + cch * 2)?;
    let mut pattern = String::new();
    for unit in units.chunks_exact(2).map(|c| u16::from_le_bytes([c[0], c[1]])) {
        if unit < 9 {
            pattern.push('%');
            pattern.push(char::from(b'1' + unit as u8));
        } else {
            pattern.push(char::from_u32(unit as u32).unwrap_or(char::REPLACEMENT_CHARACTER));
        }
    }
    let level = Level {
        start,
        format: numbering::nfc_format(nfc).to_string(),
        pattern,
        suffix: (follow == 2).then(|| "nothing".to_string()),
        legal: flags & 0x04 != 0,
    };
    Some((level, xst + 2 + cch * 2))
}

/// Everything needed to turn CPs into text.
struct Text<'a> {
    word: &'a [u8],
    pieces: Vec<Piece>,
    chpx: Runs<Chp>,
    papx: Runs<Pap>,
    styles: Vec<Option<Style>>,
    numbering: Numbering,
    text_cap: usize,
}

/// What a story is written into, and how.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sink {
    Body,
    TextBoxes,
    Other,
}

/// A field being read: its code until the separator, then its result.
#[derive(Default)]
struct Field {
    in_result: bool,
    code: String,
}

/// The text an `EQ` field shows when it has no result: its arguments without the
/// switches (`EQ \o\ac(○,1)` is an enclosed ①-style character; `\o\ad(\s\up 10(reading),base)`
/// is a ruby). Word draws these from the code itself.
fn eq_text(code: &str) -> String {
    let mut out = String::new();
    let mut chars = code.trim_start().chars().skip(2).peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.peek().copied() {
                Some('*') => {
                    chars.next();
                    while chars.next_if(|c| c.is_whitespace()).is_some() {}
                    if chars.next_if_eq(&'"').is_some() {
                        while chars.next().is_some_and(|c| c != '"') {}
                    } else {
                        while chars
                            .next_if(|c| !c.is_whitespace() && *c != '\\' && *c != '(')
                            .is_some()
                        {}
                    }
                }
                Some(c) if c.is_ascii_alphabetic() => {
                    while chars.next_if(char::is_ascii_alphabetic).is_some() {}
                    while chars.next_if(|c| *c == ' ').is_some() {}
                    while chars.next_if(|c| c.is_ascii_digit() || *c == '-').is_some() {}
                }
                Some(c) => {
                    chars.next();
                    out.push(c);
                }
                None => {}
            },
            '(' | ')' | ',' | ';' => {}
            c if c.is_whitespace() => {}
            c => out.push(c),
        }
    }
    out
}

/// Text of one story under construction: fields, cells and paragraphs resolved.
#[derive(Default)]
struct StoryText {
    out: String,
    line: String,
    line_chars: usize,
    line_bold: bool,
    line_has_text: bool,
    /// The open fields, innermost last.
    fields: Vec<Field>,
    /// How many of them are still in their code (text there is not shown).
    open_codes: usize,
    pending_surrogate: Option<u16>,
    previous_mark: u16,
    counters: Counters,
    paragraphs: Vec<Paragraph>,
    counts: PartCounts,
    bytes: usize,
}

impl Text<'_> {
    /// Calls `f` with each UTF-16 unit of CPs `from..to` and the FC it is stored at.
    fn for_each_unit(&self, from: u32, to: u32, mut f: impl FnMut(u16, u32) -> bool) {
        let first = self.pieces.partition_point(|p| p.cp_end <= from);
        for piece in &self.pieces[first..] {
            if piece.cp >= to {
                break;
            }
            let start = from.max(piece.cp);
            let end = to.min(piece.cp_end);
            let width = if piece.compressed { 1 } else { 2 };
            let fc0 = piece.fc as usize + (start - piece.cp) as usize * width;
            let count = (end - start) as usize;
            let Some(bytes) = self
                .word
                .get(fc0..fc0.saturating_add(count * width).min(self.word.len()))
            else {
                return;
            };
            if piece.compressed {
                for (i, &b) in bytes.iter().enumerate() {
                    let unit = if (0x80..0xA0).contains(&b) {
                        CP1252_HIGH[(b - 0x80) as usize]
                    } else {
                        b as u16
                    };
                    if !f(unit, (fc0 + i) as u32) {
                        return;
                    }
                }
            } else {
                for (i, pair) in bytes.chunks_exact(2).enumerate() {
                    if !f(u16::from_le_bytes([pair[0], pair[1]]), (fc0 + i * 2) as u32) {
                        return;
                    }
                }
            }
        }
    }

    /// The text of CPs `from..to` as one story.
    fn story(&self, from: u32, to: u32, sink: Sink) -> StoryText {
        let mut story = StoryText::default();
        let (mut chp_hint, mut pap_hint) = (0usize, 0usize);
        self.for_each_unit(from, to, |unit, fc| {
            let chp = self.chpx.find(fc, &mut chp_hint);
            if chp.deleted {
                return true;
            }
            match unit {
                0x13 => {
                    story.fields.push(Field::default());
                    story.open_codes += 1;
                }
                0x14 => {
                    if let Some(top) = story.fields.last_mut()
                        && !top.in_result
                    {
                        top.in_result = true;
                        story.open_codes -= 1;
                    }
                }
                0x15 => {
                    let Some(field) = story.fields.pop() else {
                        return story.bytes < self.text_cap;
                    };
                    if !field.in_result {
                        story.open_codes -= 1;
                    }
                    if !field.in_result
                        && story.open_codes == 0
                        && field
                            .code
                            .trim_start()
                            .get(..3)
                            .is_some_and(|k| k.eq_ignore_ascii_case("eq "))
                    {
                        for c in eq_text(&field.code).chars() {
                            story.push(c, chp);
                        }
                    }
                }
                _ if story.open_codes > 0 => {
                    if let Some(field) = story.fields.last_mut()
                        && !field.in_result
                        && field.code.len() < 4096
                    {
                        field
                            .code
                            .push(char::from_u32(unit as u32).unwrap_or(char::REPLACEMENT_CHARACTER));
                    }
                }
                0x0D | 0x07 => {
                    let pap = self.papx.find(fc, &mut pap_hint);
                    self.end_paragraph(&mut story, unit, pap, sink);
                }
                0x09 => story.push('\t', chp),
                0x0B | 0x0C | 0x0E => story.push('\n', chp),
                0x1E => story.push('-', chp),
                0x00..=0x1F => {}
                _ => story.push_unit(unit, chp),
            }
            story.bytes < self.text_cap
        });
        if !story.line.is_empty() {
            self.end_paragraph(&mut story, 0x0D, Pap::default(), sink);
        }
        story
    }

    fn end_paragraph(&self, story: &mut StoryText, mark: u16, pap: Pap, sink: Sink) {
        let mut line = std::mem::take(&mut story.line);
        let ilfo = pap
            .ilfo
            .or_else(|| style_prop(&self.styles, pap.istd, |s| s.ilfo));
        if let Some(ilfo) = ilfo.filter(|&i| i != 0 && i < 0xF800) {
            let ilvl = pap
                .ilvl
                .or_else(|| style_prop(&self.styles, pap.istd, |s| s.ilvl))
                .unwrap_or(0);
            if let Some(label) = self
                .numbering
                .next_label(&mut story.counters, &ilfo.to_string(), ilvl)
            {
                line.insert_str(0, &label);
            }
        }
        let chars = std::mem::take(&mut story.line_chars);
        let bold = std::mem::take(&mut story.line_bold) && std::mem::take(&mut story.line_has_text);
        story.line_has_text = false;
        // Without paragraph properties, a cell mark right after another one ends the row.
        let row_end =
            pap.row_end || (mark == 0x07 && story.previous_mark == 0x07 && self.papx.starts.is_empty());
        let cell_end = (mark == 0x07 || pap.inner_cell) && !row_end;
        let in_table = pap.in_table || mark == 0x07;
        story.previous_mark = if row_end { 0 } else { mark };
        if in_table {
            story.counts.tables += chars;
        } else {
            match sink {
                Sink::TextBoxes => story.counts.textboxes += chars,
                _ => story.counts.body += chars,
            }
        }
        story.bytes += line.len() + 1;
        if row_end {
            story.out.push_str(&line);
            while story.out.ends_with('\t') {
                story.out.pop();
            }
            story.out.push('\n');
            return;
        }
        story.out.push_str(&line);
        story.out.push(if cell_end { '\t' } else { '\n' });
        if sink == Sink::Body && !in_table {
            let style = style_prop(&self.styles, pap.istd, |s| Some(s.name.clone()));
            story.paragraphs.push(Paragraph {
                text: line,
                style,
                outline_level: pap
                    .outline
                    .or_else(|| style_prop(&self.styles, pap.istd, |s| s.outline)),
                centered: pap
                    .centered
                    .or_else(|| style_prop(&self.styles, pap.istd, |s| s.centered))
                    .unwrap_or(false),
                bold,
            });
        }
    }
}

impl StoryText {
    fn push(&mut self, c: char, chp: Chp) {
        if self.pending_surrogate.take().is_some() {
            self.line.push(char::REPLACEMENT_CHARACTER);
        }
        self.line.push(c);
        self.note(c, chp);
    }

    fn push_unit(&mut self, unit: u16, chp: Chp) {
        let c = match (self.pending_surrogate.take(), unit) {
            (None, 0xD800..=0xDBFF) => {
                self.pending_surrogate = Some(unit);
                return;
            }
            (Some(high), 0xDC00..=0xDFFF) => char::decode_utf16([high, unit]).next().and_then(Result::ok),
            (Some(_), _) => {
                self.line.push(char::REPLACEMENT_CHARACTER);
                char::from_u32(unit as u32)
            }
            (None, _) => char::from_u32(unit as u32),
        };
        let c = c.unwrap_or(char::REPLACEMENT_CHARACTER);
        self.line.push(c);
        self.note(c, chp);
    }

    fn note(&mut self, c: char, chp: Chp) {
        if c.is_whitespace() {
            return;
        }
        self.line_chars += 1;
        let bold = chp.bold.unwrap_or(false);
        self.line_bold = if self.line_has_text {
            self.line_bold && bold
        } else {
            bold
        };
        self.line_has_text = true;
    }
}

/// Adds a header or footer story to its part unless it is empty or already there.
fn add_distinct(part: &StoryText, seen: &mut HashSet<String>, out: &mut String, count: &mut usize) {
    let body = part.out.trim_end_matches('\n');
    if !body.trim().is_empty() && seen.insert(body.to_string()) {
        out.push_str(body);
        out.push('\n');
        *count += part.counts.body + part.counts.tables;
    }
}

fn read_text(fib: &Fib, word: &[u8], table: &[u8], limits: &Limits) -> Result<Document, SkipReason> {
    let pieces = piece_table(fib.slice(table, FC_CLX))?;
    let text = Text {
        word,
        pieces,
        chpx: fkp_runs(fib.slice(table, FC_PLCF_BTE_CHPX), word, false, parse_chpx),
        papx: fkp_runs(fib.slice(table, FC_PLCF_BTE_PAPX), word, true, parse_papx),
        styles: style_sheet(fib.slice(table, FC_STSHF)),
        numbering: list_tables(fib.tail(table, FC_PLF_LST), fib.tail(table, FC_PLF_LFO)),
        text_cap: limits.text_bytes,
    };
    let mut doc = Document::default();
    let mut cp = 0u32;
    let mut headers_seen = HashSet::new();
    let mut footers_seen = HashSet::new();
    let mut bytes = 0usize;
    for (story, &len) in STORIES.iter().zip(&fib.ccp) {
        let (from, to) = (cp, cp.saturating_add(len));
        cp = to;
        if len == 0 {
            continue;
        }
        let counted = |doc: &mut Document, part: &StoryText| {
            let c = &mut doc.counts;
            c.body += part.counts.body;
            c.tables += part.counts.tables;
            c.textboxes += part.counts.textboxes;
        };
        match story {
            Story::Main => {
                let part = text.story(from, to, Sink::Body);
                counted(&mut doc, &part);
                doc.paragraphs = part.paragraphs;
                doc.parts.body = part.out;
            }
            Story::TextBoxes => {
                let part = text.story(from, to, Sink::TextBoxes);
                counted(&mut doc, &part);
                doc.parts.body.push_str(&part.out);
            }
            Story::Footnotes | Story::Endnotes => {
                let part = text.story(from, to, Sink::Other);
                let all = part.counts.body + part.counts.tables;
                if *story == Story::Footnotes {
                    doc.counts.footnotes += all;
                    doc.parts.footnotes = part.out;
                } else {
                    doc.counts.endnotes += all;
                    doc.parts.endnotes = part.out;
                }
            }
            Story::Headers => {
                // PlcfHdd: the first six stories are note separators, then six per
                // section: even/odd header, even/odd footer, first-page header/footer.
                let plc = fib.slice(table, FC_PLCF_HDD);
                let n = (plc.len() / 4).saturating_sub(1);
                let bounds: Vec<u32> = (0..=n).filter_map(|i| u32_at(plc, i * 4)).collect();
                for (i, w) in bounds.windows(2).enumerate().skip(6) {
                    let (a, b) = (from.saturating_add(w[0]), from.saturating_add(w[1]).min(to));
                    if a >= b {
                        continue;
                    }
                    let part = text.story(a, b, Sink::Other);
                    if matches!((i - 6) % 6, 2 | 3 | 5) {
                        add_distinct(
                            &part,
                            &mut footers_seen,
                            &mut doc.parts.footers,
                            &mut doc.counts.footers,
                        );
                    } else {
                        add_distinct(
                            &part,
                            &mut headers_seen,
                            &mut doc.parts.headers,
                            &mut doc.counts.headers,
                        );
                    }
                }
            }
            Story::HeaderTextBoxes => {
                let part = text.story(from, to, Sink::Other);
                add_distinct(
                    &part,
                    &mut headers_seen,
                    &mut doc.parts.headers,
                    &mut doc.counts.headers,
                );
            }
            Story::Macros | Story::Comments => {}
        }
        bytes = doc.parts.body.len() + doc.parts.headers.len() + doc.parts.footers.len();
        if bytes >= limits.text_bytes {
            break;
        }
    }
    if bytes >= limits.text_bytes {
        return Err(SkipReason::TooLarge(format!(
            "over {} MiB of text",
            limits.text_bytes / (1024 * 1024)
        )));
    }
    Ok(doc)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn eq_fields_show_their_arguments() {
        assert_eq!(eq_text(" EQ \\o\\ac(○,1)"), "○1");
        assert_eq!(
            eq_text(r#"EQ \* jc2 \* "Font:MS Mincho" \* hps11 \o\ad(\s\up 10(とうきょう),東京)"#),
            "とうきょう東京"
        );
        assert_eq!(eq_text("eq \\f(1,2)"), "12");
        assert_eq!(eq_text("EQ \\"), "");
    }

    #[test]
    fn sprm_lengths_follow_the_spra_bits() {
        // bold on (1-byte operand), sprmPItap (4 bytes), a variable-length sprm, sprmPJc.
        let grpprl = [
            0x35, 0x08, 1, 0x49, 0x66, 1, 0, 0, 0, 0x15, 0xC6, 2, 9, 9, 0x61, 0x24, 1,
        ];
        let ops: Vec<u16> = sprms(&grpprl).map(|(op, _)| op).collect();
        assert_eq!(ops, [0x0835, 0x6649, 0xC615, 0x2461]);
        let pap = parse_papx(&[[0u8, 0].as_slice(), &grpprl].concat());
        assert!(pap.in_table);
        assert_eq!(pap.centered, Some(true));
        assert!(parse_chpx(&grpprl).bold.unwrap_or(false));
        // A cut-off operand ends the list instead of reading past it.
        assert_eq!(sprms(&grpprl[..7]).count(), 1);
    }

    #[test]
    fn piece_tables_map_compressed_and_unicode_text() {
        let mut clx = vec![1u8, 2, 0, 0xAA, 0xBB, 2];
        let mut plc = Vec::new();
        for cp in [0u32, 3, 5] {
            plc.extend(cp.to_le_bytes());
        }
        for (fc, compressed) in [(100u32, true), (400u32, false)] {
            plc.extend([0u8, 0]);
            let raw = if compressed { (fc * 2) | 0x4000_0000 } else { fc };
            plc.extend(raw.to_le_bytes());
            plc.extend([0u8, 0]);
        }
        clx.extend((plc.len() as u32).to_le_bytes());
        clx.extend(plc);
        let pieces = piece_table(&clx).expect("valid piece table");
        assert_eq!(pieces.len(), 2);
        let mut word = vec![0u8; 512];
        word[100..103].copy_from_slice(b"a\x93b");
        word[400..404].copy_from_slice(&[0x2D, 0x4E, 0x87, 0x65]);
        let text = Text {
            word: &word,
            pieces,
            chpx: fkp_runs(&[], &word, false, parse_chpx),
            papx: fkp_runs(&[], &word, true, parse_papx),
            styles: Vec::new(),
            numbering: Numbering::default(),
            text_cap: 1 << 20,
        };
        let story = text.story(0, 5, Sink::Body);
        assert_eq!(story.out, "a\u{201C}b中文\n");
        // Damaged tables are reasons, not panics.
        assert!(piece_table(&[2, 0xFF, 0xFF, 0, 0]).is_err());
        assert!(piece_table(&[7]).is_err());
        assert!(piece_table(&[]).is_err());
    }

    #[test]
    fn fields_keep_results_and_drop_codes_even_nested() {
        let units: Vec<u16> = "a\u{13} IF \u{13}PAGE\u{14}1\u{15} \u{14}结果\u{15}b\u{13}TOC\u{15}c\r"
            .encode_utf16()
            .collect();
        let mut word = vec![0u8; 512];
        for (i, u) in units.iter().enumerate() {
            word[i * 2..i * 2 + 2].copy_from_slice(&u.to_le_bytes());
        }
        let text = Text {
            word: &word,
            pieces: vec![Piece {
                cp: 0,
                cp_end: units.len() as u32,
                fc: 0,
                compressed: false,
            }],
            chpx: fkp_runs(&[], &word, false, parse_chpx),
            papx: fkp_runs(&[], &word, true, parse_papx),
            styles: Vec::new(),
            numbering: Numbering::default(),
            text_cap: 1 << 20,
        };
        let story = text.story(0, units.len() as u32, Sink::Body);
        assert_eq!(story.out, "a结果bc\n");
        assert_eq!(story.paragraphs.len(), 1);
        assert_eq!(story.counts.body, 5);
    }
}
