//! Versions: drafts of one document — near-identical texts, whatever their names say.
//!
//! At index time each document gets a MinHash signature of its 5-character shingles
//! ([`signature`], one-permutation hashing: one hash per shingle, 64 bins, 16 bits kept
//! of each bin's minimum), its unit ([`unit_of`]) and its document number. Once a run has
//! committed, [`compute`] groups the whole index in memory — signatures bucketed by bands
//! of 4 bins (locality-sensitive hashing: no pass over all pairs), each candidate pair
//! estimated by the share of equal bins and, near the threshold, counted exactly from the
//! two stored texts — and [`refresh`] leaves the groups beside the index for searches to
//! load ([`load`]). A pair is a version only when its similarity is at
//! least [`THRESHOLD`] and nothing says they are two documents: another report year,
//! another unit, another document number. Groups are made greedily, most similar pairs
//! first, and a pair whose groups disagree on year, unit or number does not join them, so
//! a chain of drafts is one group but a chain of templates cannot reach across units.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

use serde::{Deserialize, Serialize};

/// Bins of a signature.
pub const BINS: usize = 64;
/// Characters of a shingle.
pub const SHINGLE: usize = 5;
/// The share of equal bins (the estimated Jaccard similarity of the two texts' shingles)
/// from which two texts are versions of one document.
pub const THRESHOLD: f64 = 0.85;
/// Texts with fewer shingles have no signature: too short to tell a draft from a form.
const MIN_SHINGLES: usize = 64;
/// Bands of [`ROWS`] bins: two texts are compared when one band is the same in both (at a
/// similarity of 0.85, 16 bands of 4 share one 99.99% of the time; at 0.5, 64%: the
/// estimate then sets most such pairs aside at once).
const BANDS: usize = 16;
const ROWS: usize = BINS / BANDS;
/// Bins packed into one u64 of the index column, below a 16-bit slot number.
const PER_VALUE: usize = 3;
/// Members of one band bucket compared with each other at most (a bucket this full is a
/// boilerplate form, not drafts).
const BUCKET_CAP: usize = 256;

/// A document's MinHash signature: per bin, the low 16 bits of the least hash of the
/// shingles that fall in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signature(pub [u16; BINS]);

/// The signature of a normalised text, its white space left out; `None` for a text of
/// fewer than 64 shingles.
pub fn signature(normalized: &str) -> Option<Signature> {
    fingerprint(normalized).1
}

/// The copy key ([`super::fold::copy_key`]) and the signature of a normalised text, in
/// one pass over it: the signature's shingles are of the characters the copy key hashes
/// (white space and list numbering left out).
pub fn fingerprint(normalized: &str) -> (Option<u64>, Option<Signature>) {
    let mut signer = Signer::default();
    let copy_key = super::fold::copy_key_with(normalized, |c| signer.push(c));
    (copy_key, signer.finish())
}

/// A signature in the making: shingles in, the least hash of each bin kept.
struct Signer {
    shingler: Shingler,
    mins: [u64; BINS],
    shingles: usize,
}

impl Default for Signer {
    fn default() -> Self {
        Signer {
            shingler: Shingler::default(),
            mins: [u64::MAX; BINS],
            shingles: 0,
        }
    }
}

impl Signer {
    fn push(&mut self, c: char) {
        let Some(h) = self.shingler.push(c) else {
            return;
        };
        self.shingles += 1;
        let bin = (h >> (64 - BINS.trailing_zeros())) as usize;
        let value = h & (u64::MAX >> BINS.trailing_zeros());
        if value < self.mins[bin] {
            self.mins[bin] = value;
        }
    }

    fn finish(self) -> Option<Signature> {
        if self.shingles < MIN_SHINGLES {
            return None;
        }
        // An empty bin borrows the next filled bin's minimum, moved by how far it looked
        // (densification), so that two texts agree on it as often as on a filled one.
        let mut out = [0u16; BINS];
        for (bin, slot) in out.iter_mut().enumerate() {
            let (distance, min) = (0..BINS)
                .map(|d| (d, self.mins[(bin + d) % BINS]))
                .find(|&(_, m)| m != u64::MAX)
                .unwrap_or((0, 0));
            *slot = (mix(min ^ (distance as u64).wrapping_mul(0x9e37_79b9)) & 0xffff) as u16;
        }
        Some(Signature(out))
    }
}

/// The hash of each 5-character shingle of the characters pushed: a rolling polynomial
/// (two multiplications a character), mixed.
#[derive(Default)]
struct Shingler {
    window: [u64; SHINGLE],
    seen: usize,
    rolling: u64,
}

impl Shingler {
    fn push(&mut self, c: char) -> Option<u64> {
        const BASE: u64 = 0x100_0000_01b3;
        // BASE to the power of SHINGLE: what the character leaving the window weighs.
        const OUT: u64 = BASE
            .wrapping_mul(BASE)
            .wrapping_mul(BASE)
            .wrapping_mul(BASE)
            .wrapping_mul(BASE);
        let slot = self.seen % SHINGLE;
        let c = u64::from(c);
        self.rolling = self
            .rolling
            .wrapping_mul(BASE)
            .wrapping_add(c)
            .wrapping_sub(self.window[slot].wrapping_mul(OUT));
        self.window[slot] = c;
        self.seen += 1;
        (self.seen >= SHINGLE).then(|| {
            let h = (self.rolling ^ (self.rolling >> 31)).wrapping_mul(0x9e37_79b9_7f4a_7c15);
            h ^ (h >> 29)
        })
    }
}

/// The shingle hashes of a normalised text, as [`fingerprint`] takes them.
fn shingle_hashes(normalized: &str) -> Vec<u64> {
    let mut shingler = Shingler::default();
    let mut out = Vec::new();
    super::fold::copy_key_with(normalized, |c| out.extend(shingler.push(c)));
    out
}

/// The Jaccard similarity of two normalised texts' shingle sets, counted exactly.
pub fn jaccard(a: &str, b: &str) -> f64 {
    let a: std::collections::HashSet<u64> = shingle_hashes(a).into_iter().collect();
    let b: std::collections::HashSet<u64> = shingle_hashes(b).into_iter().collect();
    let union = a.union(&b).count();
    if union == 0 {
        return 0.0;
    }
    a.intersection(&b).count() as f64 / union as f64
}

/// splitmix64's finaliser: every input bit moves every output bit.
fn mix(mut x: u64) -> u64 {
    x ^= x >> 30;
    x = x.wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x ^= x >> 27;
    x = x.wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

impl Signature {
    /// The estimated Jaccard similarity of the two texts' shingle sets: the share of bins
    /// that agree.
    pub fn similarity(&self, other: &Signature) -> f64 {
        let equal = self.0.iter().zip(&other.0).filter(|(a, b)| a == b).count();
        equal as f64 / BINS as f64
    }

    /// The values the index column keeps: three bins per value, its slot number above
    /// them, so the order the column returns them in does not matter.
    pub fn packed(&self) -> Vec<u64> {
        self.0
            .chunks(PER_VALUE)
            .enumerate()
            .map(|(slot, bins)| {
                let mut value = (slot as u64) << 48;
                for (i, &b) in bins.iter().enumerate() {
                    value |= u64::from(b) << (16 * i);
                }
                value
            })
            .collect()
    }

    /// The signature [`Signature::packed`] made; `None` when values are missing.
    pub fn unpack(values: impl Iterator<Item = u64>) -> Option<Signature> {
        let mut out = [0u16; BINS];
        let mut filled = 0usize;
        for value in values {
            let slot = (value >> 48) as usize;
            for i in 0..PER_VALUE {
                if let Some(bin) = out.get_mut(slot * PER_VALUE + i) {
                    *bin = (value >> (16 * i)) as u16;
                    filled += 1;
                }
            }
        }
        (filled == BINS).then_some(Signature(out))
    }

    /// The key of band `band` (`0..BANDS`): its bins hashed.
    fn band(&self, band: usize) -> u64 {
        let mut h = band as u64;
        for &b in &self.0[band * ROWS..(band + 1) * ROWS] {
            h = mix(h ^ u64::from(b));
        }
        h
    }
}

/// The unit a document is of: the one its title begins with (`东山村2023年…`,
/// `县教育局关于…`), else its issuer, else the one its file name (without extension) begins
/// with, else the village, community or town its text names most (marked
/// as only mentioned: `~东山村`); white space left out. Two texts of different units are never
/// versions, however alike (a template filled in by two villages).
pub fn unit_of(title: &str, issuer: Option<&str>, file_name: &str, text: &str) -> Option<String> {
    title_unit(title)
        .or_else(|| {
            issuer
                .map(|i| i.chars().filter(|c| !c.is_whitespace()).collect::<String>())
                .filter(|i| !i.is_empty())
        })
        .or_else(|| title_unit(file_name))
        .or_else(|| body_unit(text).map(|unit| format!("{MENTIONED}{unit}")))
}

/// Marks a unit only mentioned in the text: it tells two such texts apart, but says
/// nothing against a unit a title, issuer or file name gives (a first draft without its
/// signature names a village its final, signed by the town, names too).
const MENTIONED: char = '~';

/// The village or community a text names most, else the town (`青山镇`): a template
/// filled in by two villages names each its own, if only once. Names are the two
/// characters before `村`, `社区` or `镇`, unless they make a common word (`农村`, `本村`,
/// `深入村组`, `各乡镇`) or the suffix begins one (`村民`, `村级`, `镇域`). `None` when two
/// names are named equally often: then the text names no one unit.
fn body_unit(text: &str) -> Option<String> {
    let chars: Vec<char> = text.chars().collect();
    let han = |c: char| ('\u{4e00}'..='\u{9fff}').contains(&c);
    // Characters before the suffix that make a common word, not a name.
    const NOT_NAMES: &str = "农乡本我该全各每驻政然困范点邻村城集下家一个两此其入到在对向助帮";
    // Characters after it that make the suffix the start of a word.
    const NOT_AFTER: &str = "民组委级干集庄容务里内两规道口部貌落域上";
    let mut villages: BTreeMap<String, usize> = BTreeMap::new();
    let mut towns: BTreeMap<String, usize> = BTreeMap::new();
    for i in 2..chars.len() {
        let (suffix_len, level) = match chars[i] {
            '村' => (1, &mut villages),
            '镇' => (1, &mut towns),
            '区' if chars[i - 1] == '社' && i >= 3 => (2, &mut villages),
            _ => continue,
        };
        let start = i + 1 - suffix_len;
        let name = &chars[start - 2..start];
        let after = chars.get(i + 1).copied().unwrap_or(' ');
        if !name.iter().all(|&c| han(c)) || NOT_NAMES.contains(name[1]) || NOT_AFTER.contains(after) {
            continue;
        }
        let name: String = chars[start - 2..=i].iter().collect();
        *level.entry(name).or_default() += 1;
    }
    let most = |names: BTreeMap<String, usize>| {
        let top = names.values().copied().max()?;
        let mut at_top = names.into_iter().filter(|&(_, n)| n == top);
        let (name, _) = at_top.next()?;
        at_top.next().is_none().then_some(name)
    };
    if villages.is_empty() {
        most(towns)
    } else {
        most(villages)
    }
}

/// Characters a unit's name ends with.
const UNIT_ENDS: &[char] = &[
    '村', '镇', '乡', '县', '区', '市', '省', '局', '委', '办', '所', '站', '队', '校', '院', '会', '社',
    '厂', '司', '道', '组', '部', '处', '科', '室', '馆', '心',
];

/// The unit a title (or a file name) begins with: the longest start, before its first
/// year or `关于` (else within its first 12 characters), that ends like a unit's name and
/// names a place (`东山村`, `青山镇人民政府`, `前进村党支部`, `县教育局`; not `安全生产工作会`).
fn title_unit(title: &str) -> Option<String> {
    let chars: Vec<char> = title.chars().filter(|c| !c.is_whitespace()).collect();
    let numeral = |c: char| c.is_ascii_digit() || "〇○零一二三四五六七八九".contains(c);
    let is_year_at = |i: usize| {
        let run: String = chars[i..].iter().copied().take_while(|&c| numeral(c)).collect();
        run.chars().count() == 4
            && (i == 0 || !numeral(chars[i - 1]))
            && ["19", "20", "一九", "二〇", "二零", "二○"]
                .iter()
                .any(|p| run.starts_with(p))
    };
    let about = |i: usize| chars[i] == '关' && chars.get(i + 1) == Some(&'于');
    let cut = (0..chars.len())
        .find(|&i| is_year_at(i) || about(i))
        .unwrap_or(chars.len().min(12));
    let trim: &[char] = &['《', '“', '"', '—', '-', '_', '·', '、', '：', ':', '（', '('];
    let region: Vec<char> = chars[..cut]
        .iter()
        .collect::<String>()
        .trim_matches(trim)
        .chars()
        .collect();
    (2..=region.len()).rev().find_map(|n| {
        let start: String = region[..n].iter().collect();
        let ends_like_unit = crate::meta::is_office_name(&start) || start.ends_with(UNIT_ENDS);
        let names_a_place = start.contains(PLACES);
        (ends_like_unit && names_a_place && crate::meta::kind_of(&start).is_none()).then_some(start)
    })
}

/// Characters of a place's name: a unit named by them is a place's office.
const PLACES: &[char] = &['村', '镇', '乡', '县', '区', '市', '省', '街', '州', '盟', '旗'];

/// Whether two units may be one: either unknown, or one's name holds the other's once
/// the words for its kind of office are left out ([`crate::meta::unit_core`]: `东山村`, `东山村委会`,
/// `东山村村民委员会` and `中共东山村支部委员会` are one unit, `西山村` another).
pub fn same_unit(a: Option<&str>, b: Option<&str>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) if a.starts_with(MENTIONED) != b.starts_with(MENTIONED) => true,
        (Some(a), Some(b)) => {
            let (a, b) = (a.trim_start_matches(MENTIONED), b.trim_start_matches(MENTIONED));
            let (a, b) = (crate::meta::unit_core(a), crate::meta::unit_core(b));
            a.contains(&b) || b.contains(&a)
        }
        _ => true,
    }
}

/// A hash of the numbers a title holds, Chinese numerals as digits and a draft's
/// `第3稿` left out (`2023年第一季度` → `2023,1`); `None` without any. Two reports of one
/// unit and year whose titles number them apart (the first quarter's and the second's)
/// are two documents however alike.
pub fn title_numbers(title: &str) -> Option<u64> {
    let digit = |c: char| match c {
        '0'..='9' => Some(c),
        '０'..='９' => char::from_digit(c as u32 - '０' as u32, 10),
        '〇' | '○' | '零' => Some('0'),
        '一' => Some('1'),
        '二' | '两' => Some('2'),
        '三' => Some('3'),
        '四' => Some('4'),
        '五' => Some('5'),
        '六' => Some('6'),
        '七' => Some('7'),
        '八' => Some('8'),
        '九' => Some('9'),
        '十' => Some('十'),
        _ => None,
    };
    let chars: Vec<char> = title.chars().collect();
    let mut runs: Vec<String> = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if digit(chars[i]).is_none() {
            i += 1;
            continue;
        }
        let start = i;
        let mut run = String::new();
        while let Some(d) = chars.get(i).and_then(|&c| digit(c)) {
            run.push(d);
            i += 1;
        }
        let draft = chars.get(i) == Some(&'稿') && start > 0 && chars[start - 1] == '第';
        if !draft {
            runs.push(run);
        }
    }
    (!runs.is_empty()).then(|| super::fold::text_hash(&runs.join(",")))
}

/// What grouping needs of one text (copies share it: their text is the same).
#[derive(Debug, Clone)]
pub struct Candidate {
    /// The copy key ([`super::fold::copy_key`]) of the text.
    pub copy_key: u64,
    /// The text's signature.
    pub signature: Signature,
    /// The report year.
    pub year: Option<i32>,
    /// The unit ([`unit_of`]).
    pub unit: Option<String>,
    /// A hash of the document number, if it has one.
    pub number: Option<u64>,
    /// The numbers of its title ([`title_numbers`]).
    pub numbered: Option<u64>,
}

/// What a group holds so far: the years, units and numbers of its members.
#[derive(Debug, Clone, Default)]
struct Traits {
    years: Vec<i32>,
    units: Vec<String>,
    numbers: Vec<u64>,
    numbered: Vec<u64>,
}

impl Traits {
    fn of(c: &Candidate) -> Traits {
        Traits {
            years: c.year.into_iter().collect(),
            units: c.unit.iter().cloned().collect(),
            numbers: c.number.into_iter().collect(),
            numbered: c.numbered.into_iter().collect(),
        }
    }

    /// Whether two groups may be one document: one report year, one unit, one number,
    /// one numbering in the title.
    fn agree(&self, other: &Traits) -> bool {
        fn all<T: PartialEq>(a: &[T], b: &[T]) -> bool {
            a.iter().all(|x| b.iter().all(|y| x == y))
        }
        all(&self.years, &other.years)
            && all(&self.numbers, &other.numbers)
            && all(&self.numbered, &other.numbered)
            && self
                .units
                .iter()
                .all(|x| other.units.iter().all(|y| same_unit(Some(x), Some(y))))
    }

    fn absorb(&mut self, other: Traits) {
        fn union<T: PartialEq>(into: &mut Vec<T>, from: Vec<T>) {
            for x in from {
                if !into.contains(&x) {
                    into.push(x);
                }
            }
        }
        union(&mut self.years, other.years);
        union(&mut self.units, other.units);
        union(&mut self.numbers, other.numbers);
        union(&mut self.numbered, other.numbered);
    }
}

/// Estimates from which a pair's texts are compared exactly (a signature's estimate is
/// within ±0.045 of the truth two times in three at 0.85: 0.70 is more than three such
/// steps below), and from which the estimate is trusted.
const EXACT_FROM: f64 = 0.70;
const TRUSTED_FROM: f64 = 0.95;

/// The version groups among `candidates` (one per text: copies already one): each a
/// sorted list of copy keys, two or more; groups sorted. A pair whose estimate is near
/// the threshold is decided by `exact`, the two texts' Jaccard similarity counted exactly
/// (`None` when a text cannot be read: the estimate decides).
pub fn group(candidates: &[Candidate], exact: &mut dyn FnMut(usize, usize) -> Option<f64>) -> Vec<Vec<u64>> {
    // Candidate pairs: texts that share a band, one band at a time, its keys sorted (16
    // bytes a text, where a table of all bands' buckets held ~70 bytes a text per band).
    // A pair is judged where it is met, and kept only when its estimate is close enough
    // to matter: the texts of an archive share bands by the million, few are versions.
    let mut judged: HashSet<(usize, usize)> = HashSet::new();
    // Most similar first, then by key: the same index gives the same groups.
    let mut edges: Vec<(f64, u64, u64, usize, usize)> = Vec::new();
    let mut keys: Vec<(u64, usize)> = Vec::with_capacity(candidates.len());
    for band in 0..BANDS {
        keys.clear();
        keys.extend(
            candidates
                .iter()
                .enumerate()
                .map(|(i, c)| (c.signature.band(band), i)),
        );
        keys.sort_unstable();
        for run in keys.chunk_by(|x, y| x.0 == y.0).filter(|run| run.len() > 1) {
            let members = &run[..run.len().min(BUCKET_CAP)];
            for (n, &(_, a)) in members.iter().enumerate() {
                for &(_, b) in &members[n + 1..] {
                    let (ca, cb) = (&candidates[a], &candidates[b]);
                    let mut s = ca.signature.similarity(&cb.signature);
                    if s < EXACT_FROM || !Traits::of(ca).agree(&Traits::of(cb)) || !judged.insert((a, b)) {
                        continue;
                    }
                    if s < TRUSTED_FROM {
                        s = exact(a, b).unwrap_or(s);
                    }
                    if s >= THRESHOLD {
                        let (ka, kb) = (ca.copy_key, cb.copy_key);
                        // A run is sorted by text: a < b.
                        edges.push((s, ka.min(kb), ka.max(kb), a, b));
                    }
                }
            }
        }
    }
    edges.sort_by(|x, y| y.0.total_cmp(&x.0).then(x.1.cmp(&y.1)).then(x.2.cmp(&y.2)));
    let mut parent: Vec<usize> = (0..candidates.len()).collect();
    let mut traits: HashMap<usize, Traits> = HashMap::new();
    fn root(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    for (_, _, _, a, b) in edges {
        let (ra, rb) = (root(&mut parent, a), root(&mut parent, b));
        if ra == rb {
            continue;
        }
        let ta = traits.remove(&ra).unwrap_or_else(|| Traits::of(&candidates[ra]));
        let tb = traits.remove(&rb).unwrap_or_else(|| Traits::of(&candidates[rb]));
        if ta.agree(&tb) {
            let (keep, gone) = (ra.min(rb), ra.max(rb));
            parent[gone] = keep;
            let mut merged = ta;
            merged.absorb(tb);
            traits.insert(keep, merged);
        } else {
            traits.insert(ra, ta);
            traits.insert(rb, tb);
        }
    }
    let mut groups: BTreeMap<usize, Vec<u64>> = BTreeMap::new();
    for (i, c) in candidates.iter().enumerate() {
        let r = root(&mut parent, i);
        groups.entry(r).or_default().push(c.copy_key);
    }
    let mut out: Vec<Vec<u64>> = groups
        .into_values()
        .filter(|g| g.len() > 1)
        .map(|mut g| {
            g.sort_unstable();
            g.dedup();
            g
        })
        .filter(|g| g.len() > 1)
        .collect();
    out.sort();
    out
}

/// The version groups of an index, by copy key, and which texts have copies.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VersionMap {
    /// A grouped copy key → its group's key (the group's least copy key).
    to_group: HashMap<u64, u64>,
    /// A group's key → its copy keys, sorted.
    members: HashMap<u64, Vec<u64>>,
    /// The copy keys two or more documents have; `None`: not known (maps made from groups
    /// alone), every text may have copies.
    copied: Option<HashSet<u64>>,
}

impl VersionMap {
    /// The map of these groups.
    pub fn new(groups: Vec<Vec<u64>>) -> VersionMap {
        let mut map = VersionMap::default();
        for g in groups {
            let Some(&key) = g.first() else { continue };
            for &k in &g {
                map.to_group.insert(k, key);
            }
            map.members.insert(key, g);
        }
        map
    }

    /// What a document with this copy key folds by: its version group's key, else the
    /// copy key itself.
    pub fn fold_key(&self, copy_key: u64) -> u64 {
        self.to_group.get(&copy_key).copied().unwrap_or(copy_key)
    }

    /// The copy keys folded under `fold_key` (just itself when it is no version group's).
    pub fn copy_keys(&self, fold_key: u64) -> Vec<u64> {
        self.members
            .get(&fold_key)
            .cloned()
            .unwrap_or_else(|| vec![fold_key])
    }

    /// Whether no two texts are versions of each other.
    pub fn is_empty(&self) -> bool {
        self.members.is_empty()
    }

    /// The map, knowing which copy keys two or more documents share.
    pub fn with_copied(mut self, copied: impl IntoIterator<Item = u64>) -> VersionMap {
        self.copied = Some(copied.into_iter().collect());
        self
    }

    /// Whether the document with this copy key is surely alone: no copy, no version.
    pub fn is_alone(&self, copy_key: u64) -> bool {
        self.copied
            .as_ref()
            .is_some_and(|copied| !copied.contains(&copy_key))
            && !self.to_group.contains_key(&copy_key)
    }
}

/// The file the groups are kept in, beside the index.
pub const FILE: &str = "dangan-versions.json";

/// The groups as saved, with the index generation they were computed on: the segments and
/// their deletions.
#[derive(Debug, Serialize, Deserialize)]
struct Saved {
    segments: Vec<(String, Option<u64>)>,
    groups: Vec<Vec<u64>>,
    /// The copy keys of texts two or more documents have (absent from files of older
    /// versions: those are grouped anew).
    #[serde(default)]
    copied: Option<Vec<u64>>,
}

fn generation_of(searcher: &tantivy::Searcher) -> Vec<(String, Option<u64>)> {
    searcher
        .generation()
        .segments()
        .iter()
        .map(|(id, deletes)| (id.uuid_string(), *deletes))
        .collect()
}

/// Bytes of normalised text [`compute`] keeps for exact comparisons.
const TEXT_CACHE: usize = 64 << 20;

/// The version groups of the index `searcher` sees, read from its columns.
pub fn compute(searcher: &tantivy::Searcher) -> tantivy::Result<VersionMap> {
    let mut by_key: BTreeMap<u64, Candidate> = BTreeMap::new();
    let (mut seen, mut copied): (HashSet<u64>, HashSet<u64>) = Default::default();
    let mut addresses: HashMap<u64, tantivy::DocAddress> = HashMap::new();
    for (segment_ord, segment) in searcher.segment_readers().iter().enumerate() {
        let fast = segment.fast_fields();
        let copy_keys = fast.u64("copy_key")?;
        let signatures = fast.u64("minhash")?;
        let years = fast.i64("year")?;
        let numbers = fast.u64("number_hash")?;
        let numbered = fast.u64("title_numbers")?;
        // The units by ordinal, read once per segment: few units, many documents.
        let units = fast.str("unit")?;
        let mut names: Vec<String> = Vec::new();
        if let Some(column) = &units {
            let mut terms = column.dictionary().stream()?;
            while terms.advance() {
                names.push(String::from_utf8_lossy(terms.key()).into_owned());
            }
        }
        for doc in segment.doc_ids_alive() {
            let Some(copy_key) = copy_keys.first(doc) else {
                continue;
            };
            // Texts too short for a signature have copies all the same.
            if !seen.insert(copy_key) {
                copied.insert(copy_key);
                continue;
            }
            let Some(signature) = Signature::unpack(signatures.values_for_doc(doc)) else {
                continue;
            };
            let unit = units
                .as_ref()
                .and_then(|column| column.term_ords(doc).next())
                .and_then(|ord| names.get(ord as usize).cloned());
            by_key.insert(
                copy_key,
                Candidate {
                    copy_key,
                    signature,
                    year: years.first(doc).map(|y| y as i32),
                    unit,
                    number: numbers.first(doc),
                    numbered: numbered.first(doc),
                },
            );
            addresses.insert(copy_key, tantivy::DocAddress::new(segment_ord as u32, doc));
        }
    }
    let candidates: Vec<Candidate> = by_key.into_values().collect();
    // Texts read for exact comparisons, normalised, kept while they fit in TEXT_CACHE bytes
    // (the pairs come sorted, so a text is mostly wanted again soon or never).
    let text_field = searcher.schema().get_field("text")?;
    let mut texts: HashMap<usize, Option<std::rc::Rc<str>>> = HashMap::new();
    let mut cached = 0usize;
    let mut text_of = |i: usize| -> Option<std::rc::Rc<str>> {
        if let Some(text) = texts.get(&i) {
            return text.clone();
        }
        let read = || -> Option<std::rc::Rc<str>> {
            let address = addresses.get(&candidates[i].copy_key)?;
            let doc: tantivy::TantivyDocument = searcher.doc(*address).ok()?;
            use tantivy::schema::Value;
            Some(crate::text::normalize(doc.get_first(text_field)?.as_str()?).into())
        };
        let text = read();
        cached += text.as_ref().map_or(0, |t| t.len());
        if cached > TEXT_CACHE {
            texts.clear();
            cached = 0;
        }
        texts.insert(i, text.clone());
        text
    };
    let mut exact = |a: usize, b: usize| Some(jaccard(&text_of(a)?, &text_of(b)?));
    Ok(VersionMap::new(group(&candidates, &mut exact)).with_copied(copied))
}

/// The saved groups, when they were computed on the generation `searcher` sees.
pub fn load(dir: &Path, searcher: &tantivy::Searcher) -> Option<VersionMap> {
    let bytes = std::fs::read(dir.join(FILE)).ok()?;
    let saved: Saved = serde_json::from_slice(&bytes).ok()?;
    let copied = saved.copied?;
    (saved.segments == generation_of(searcher)).then(|| VersionMap::new(saved.groups).with_copied(copied))
}

/// Computes the groups of the index as committed and saves them beside it (written whole
/// to a temporary file, then renamed: a reader sees the old groups or the new).
pub fn refresh(index: &tantivy::Index, dir: &Path) -> tantivy::Result<()> {
    let reader = index
        .reader_builder()
        .reload_policy(tantivy::ReloadPolicy::Manual)
        .try_into()?;
    let searcher: tantivy::Searcher = reader.searcher();
    if load(dir, &searcher).is_some() {
        return Ok(());
    }
    let map = compute(&searcher)?;
    let mut groups: Vec<Vec<u64>> = map.members.into_values().collect();
    groups.sort();
    let mut copied: Vec<u64> = map.copied.unwrap_or_default().into_iter().collect();
    copied.sort_unstable();
    let saved = Saved {
        segments: generation_of(&searcher),
        groups,
        copied: Some(copied),
    };
    let json = serde_json::to_vec(&saved).map_err(|e| tantivy::TantivyError::InternalError(e.to_string()))?;
    let tmp = dir.join(format!("{FILE}.tmp"));
    std::fs::write(&tmp, json)?;
    std::fs::rename(&tmp, dir.join(FILE))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A report of `n` sentences, the `i`-th saying something of its own.
    fn report(unit: &str, n: usize, changed: &[usize]) -> String {
        (0..n)
            .map(|i| {
                let edit = if changed.contains(&i) {
                    format!("并于{}日前整改到位", i * 37 + 11)
                } else {
                    String::new()
                };
                format!(
                    "{unit}第{i}项工作按照县委部署扎实推进{edit}，完成任务{}件。\n",
                    i * 7 + 3
                )
            })
            .collect()
    }

    fn jaccard(a: &str, b: &str) -> f64 {
        let set = |t: &str| {
            let chars: Vec<char> = t.chars().filter(|c| !c.is_whitespace()).collect();
            chars
                .windows(SHINGLE)
                .map(|w| w.iter().collect::<String>())
                .collect::<std::collections::HashSet<_>>()
        };
        let (a, b) = (set(a), set(b));
        a.intersection(&b).count() as f64 / a.union(&b).count() as f64
    }

    #[test]
    fn signatures_estimate_the_shingle_jaccard_and_survive_the_column() {
        let a = report("青山镇", 60, &[]);
        for changed in [vec![3], vec![1, 9, 20, 33], (0..20).collect::<Vec<_>>()] {
            let b = report("青山镇", 60, &changed);
            let (sa, sb) = (signature(&a).expect("long"), signature(&b).expect("long"));
            let (estimate, truth) = (sa.similarity(&sb), jaccard(&a, &b));
            assert!((estimate - truth).abs() < 0.12, "{estimate} vs {truth}");
        }
        let s = signature(&a).expect("long");
        assert_eq!(s.similarity(&s), 1.0);
        let mut packed = s.packed();
        packed.reverse();
        assert_eq!(Signature::unpack(packed.into_iter()), Some(s.clone()));
        assert_eq!(Signature::unpack(std::iter::empty()), None);
        assert_eq!(signature("太短的文本"), None);
        let spaced: String = a.chars().flat_map(|c| [c, ' ']).collect();
        assert_eq!(signature(&spaced), Some(s), "white space aside");
    }

    #[test]
    fn units_come_from_the_title_else_the_issuer() {
        let unit = |t: &str, i: Option<&str>| unit_of(t, i, "", "");
        for (title, issuer, want) in [
            ("东山村2023年人居环境整治工作总结", None, "东山村"),
            ("青山镇东山村二〇二三年工作总结", None, "青山镇东山村"),
            ("县教育局关于开展安全检查的通知", None, "县教育局"),
            ("东山村人居环境整治工作总结", None, "东山村"),
            (
                "2023年安全生产工作总结",
                Some("西山村村民委员会"),
                "西山村村民委员会",
            ),
        ] {
            assert_eq!(unit(title, issuer).as_deref(), Some(want), "{title}");
        }
        assert_eq!(unit("关于开展安全检查的通知", None), None);
        assert_eq!(unit("2023年工作总结", None), None);
        let body = "今年以来，东山村在青山镇党委领导下，推进农村人居环境整治。东山村清理垃圾，\
                    本村群众积极参与，东山村面貌一新。青山镇验收合格。";
        assert_eq!(
            unit_of("2023年工作总结", None, "", body).as_deref(),
            Some("~东山村")
        );
        assert_eq!(
            unit_of("2023年收益分配方案", None, "李家坪村2023年收益分配方案", body).as_deref(),
            Some("李家坪村"),
            "the file name before the body"
        );
        assert_eq!(
            unit("前进村党支部书记2023年抓基层党建工作述职报告", None).as_deref(),
            Some("前进村党支部")
        );
        assert_eq!(unit("安全生产工作会议纪要", None), None);
        assert_eq!(
            unit_of("2023年工作总结", None, "", "本村前进村召开会议").as_deref(),
            Some("~前进村")
        );
        assert!(
            same_unit(Some("~东山村"), Some("青山镇人民政府")),
            "a mention says nothing against a signature"
        );
        assert!(!same_unit(Some("~东山村"), Some("~西山村")));
        let town = "青山镇全镇、青山镇各村、青山镇农村、本村";
        assert_eq!(
            unit_of("2023年工作总结", None, "", town).as_deref(),
            Some("~青山镇")
        );
        assert_eq!(
            unit_of("2023年工作总结", None, "", "农村农村农村本村本村本村"),
            None
        );
        assert_eq!(
            unit_of("2023年工作总结", None, "", "深入村组，帮助村民，东山村民"),
            None
        );
        assert_eq!(
            unit_of("2023年工作总结", None, "", "东山村、西山村"),
            None,
            "a tie names no one"
        );
        assert!(same_unit(Some("东山村"), Some("东山村村民委员会")));
        assert!(!same_unit(Some("东山村"), Some("西山村")));
        assert!(same_unit(None, Some("西山村")));
        assert!(same_unit(Some("东山村委会"), Some("中共东山村支部委员会")));
        assert!(!same_unit(Some("东山村委会"), Some("西山村村民委员会")));
        let core = crate::meta::unit_core;
        assert_eq!(core("东山村村民委员会"), "东山村");
        assert_eq!(core("东山村委会"), "东山村");
        assert_eq!(core("中共青山镇委员会"), "青山镇");
        assert_eq!(core("青山镇人民政府"), "青山镇");
        assert_eq!(core("县教育局"), "县教育局");
    }

    fn candidate(key: u64, text: &str, year: Option<i32>, unit: Option<&str>) -> Candidate {
        Candidate {
            copy_key: key,
            signature: signature(text).expect("long"),
            year,
            unit: unit.map(String::from),
            number: None,
            numbered: None,
        }
    }

    fn group_by_estimate(candidates: &[Candidate]) -> Vec<Vec<u64>> {
        group(candidates, &mut |_, _| None)
    }

    #[test]
    fn drafts_group_but_other_units_years_and_numbers_do_not() {
        let draft = report("青山镇", 60, &[2]);
        let revised = report("青山镇", 60, &[2, 40]);
        let last = report("青山镇", 60, &[2, 40, 51]);
        let other = report("东山村", 60, &[]);
        let groups = group_by_estimate(&[
            candidate(5, &draft, Some(2023), Some("青山镇")),
            candidate(3, &revised, Some(2023), None),
            candidate(9, &last, Some(2023), Some("青山镇")),
            candidate(1, &other, Some(2023), Some("东山村")),
        ]);
        assert_eq!(groups, vec![vec![3, 5, 9]]);
        // The same text of another unit, another year or another number is another document.
        let twin = |key, year, unit: &str| candidate(key, &draft, year, Some(unit));
        assert!(
            group_by_estimate(&[twin(1, Some(2023), "东山村"), twin(2, Some(2023), "西山村")]).is_empty()
        );
        assert!(
            group_by_estimate(&[twin(1, Some(2022), "东山村"), twin(2, Some(2023), "东山村")]).is_empty()
        );
        let mut a = twin(1, Some(2023), "东山村");
        let mut b = twin(2, Some(2023), "东山村");
        a.number = Some(1);
        b.number = Some(2);
        assert!(group_by_estimate(&[a.clone(), b]).is_empty());
        // A unit-less middle text cannot chain two units together.
        let groups = group_by_estimate(&[
            twin(1, Some(2023), "东山村"),
            candidate(2, &draft, Some(2023), None),
            twin(3, Some(2023), "西山村"),
        ]);
        assert_eq!(groups.len(), 1);
        assert_eq!(groups[0].len(), 2);
        let map = VersionMap::new(vec![vec![3, 5, 9]]);
        assert_eq!(map.fold_key(9), 3);
        assert_eq!(map.fold_key(4), 4);
        assert_eq!(map.copy_keys(3), vec![3, 5, 9]);
        assert_eq!(map.copy_keys(4), vec![4]);
    }

    #[test]
    fn titles_numbered_apart_are_two_documents() {
        assert_eq!(
            title_numbers("2023年第一季度工作报告"),
            title_numbers("二〇二三年第1季度工作报告")
        );
        assert_ne!(
            title_numbers("2023年第一季度工作报告"),
            title_numbers("2023年第二季度工作报告")
        );
        assert_eq!(
            title_numbers("2023年工作总结（第3稿）"),
            title_numbers("2023年工作总结")
        );
        assert_eq!(title_numbers("工作总结"), None);
        let text = report("青山镇", 60, &[]);
        let mut q1 = candidate(1, &text, Some(2023), Some("青山镇"));
        let mut q2 = candidate(2, &text, Some(2023), Some("青山镇"));
        q1.numbered = title_numbers("2023年第一季度工作报告");
        q2.numbered = title_numbers("2023年第二季度工作报告");
        assert!(group_by_estimate(&[q1.clone(), q2]).is_empty());
        // The exact count decides near the threshold.
        let changed: Vec<usize> = (0..60).step_by(2).collect();
        let mut other = candidate(3, &report("青山镇", 60, &changed), Some(2023), None);
        other.numbered = q1.numbered;
        let estimate = q1.signature.similarity(&other.signature);
        assert!(estimate > EXACT_FROM && estimate < TRUSTED_FROM, "{estimate}");
        assert_eq!(
            group(&[q1.clone(), other.clone()], &mut |_, _| Some(0.99)),
            vec![vec![1, 3]]
        );
        assert!(group(&[q1, other], &mut |_, _| Some(0.5)).is_empty());
    }
}
