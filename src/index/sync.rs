//! What the index knows of the files behind it, so a re-run costs only what changed.
//!
//! `dangan-sync.json` in the index directory keeps, per file, its size, modification time,
//! content hash, root, and the skip reason if it could not be read; per root, when it was
//! last synced. It is rewritten atomically after a commit (not after every one once it is
//! big: see the pipeline), so it never claims more than the index holds: after a crash the
//! next run reads again what was committed since, and each document replaces itself.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use serde::{Deserialize, Serialize};

/// The state file's name inside the index directory.
pub const STATE_FILE: &str = "dangan-sync.json";

/// One file the last runs saw.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileState {
    /// Size in bytes when it was last read.
    pub size: u64,
    /// Modification time in nanoseconds since the Unix epoch (0 when unknown).
    pub mtime_ns: u64,
    /// The [`ContentHash`] of the file's bytes.
    pub hash: u64,
    /// The root it was found under.
    pub root: String,
    /// Why it is not in the index, when it is not.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub skipped: Option<String>,
    /// For a zip bundle: the keys of the documents inside it that are in the index.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub members: Vec<String>,
    /// For a zip bundle: the documents inside it that could not be read (key, reason).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub member_skips: Vec<(String, String)>,
}

/// One crawled root.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RootState {
    /// When its last complete sync finished (seconds since the Unix epoch).
    pub last_sync: u64,
}

/// Everything the state file holds.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SyncState {
    /// By [`key_of`] the root's absolute path.
    #[serde(default)]
    pub roots: BTreeMap<String, RootState>,
    /// By [`key_of`] the file's path.
    #[serde(default)]
    pub files: BTreeMap<String, FileState>,
}

/// Where an indexed document's bytes are: its own file, or a member of a zip bundle.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// A file on disk.
    File(PathBuf),
    /// A document inside the bundle at `bundle`, under the path `member` the index gave it.
    Member {
        /// The bundle's path on disk.
        bundle: PathBuf,
        /// The bundle's path followed by the member's name inside it.
        member: PathBuf,
    },
}

impl SyncState {
    /// Where the indexed document with this id ([`document_id`]) came from.
    /// A scan of the state: meant for opening one document, not for every hit.
    pub fn source_of(&self, id: u64) -> Option<Source> {
        let id_of = |key: &str| document_id(&key_bytes(key));
        for (key, file) in &self.files {
            if file.skipped.is_some() {
                continue;
            }
            if !crate::filetype::is_bundle_path(Path::new(key)) {
                if id_of(key) == id {
                    return Some(Source::File(path_of_key(key)));
                }
            } else if let Some(member) = file.members.iter().find(|m| id_of(m) == id) {
                return Some(Source::Member {
                    bundle: path_of_key(key),
                    member: path_of_key(member),
                });
            }
        }
        None
    }

    /// Reads the state of the index at `dir`; none yet (or unreadable) is an empty state,
    /// which at worst makes the next run re-read files it could have skipped.
    pub fn load(dir: &Path) -> SyncState {
        std::fs::read(dir.join(STATE_FILE))
            .ok()
            .and_then(|bytes| serde_json::from_slice(&bytes).ok())
            .unwrap_or_default()
    }

    /// Writes the state atomically (a temporary file renamed over the old one).
    pub fn save(&self, dir: &Path) -> std::io::Result<()> {
        use std::io::Write;
        let tmp = dir.join(format!("{STATE_FILE}.tmp"));
        // Written as it is serialised: the file is ~200 bytes a document, not held twice.
        let mut out = std::io::BufWriter::new(std::fs::File::create(&tmp)?);
        serde_json::to_writer(&mut out, self).map_err(std::io::Error::other)?;
        out.flush()?;
        drop(out);
        std::fs::rename(&tmp, dir.join(STATE_FILE))
    }

    /// Keys of the files under `root` (component-wise), as the last runs saw them.
    pub fn keys_under<'a>(&'a self, root: &'a Path) -> impl Iterator<Item = &'a String> + 'a {
        self.files
            .keys()
            .filter(move |key| path_of_key(key).starts_with(root))
    }
}

/// A lossless text key for a path: the path itself when it is UTF-8, else its bytes in hex
/// behind a NUL (which no path contains).
pub fn key_of(path: &Path) -> String {
    match path.to_str() {
        Some(s) => s.to_string(),
        None => {
            let bytes = path.as_os_str().as_encoded_bytes();
            let mut key = String::from("\0");
            for b in bytes {
                key.push_str(&format!("{b:02x}"));
            }
            key
        }
    }
}

/// The bytes of the path a key stands for (the index's path key).
pub fn key_bytes(key: &str) -> Vec<u8> {
    match key.strip_prefix('\0') {
        None => key.as_bytes().to_vec(),
        Some(hex) => (0..hex.len() / 2)
            .filter_map(|i| u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).ok())
            .collect(),
    }
}

/// The path a key stands for (lossy only where the platform cannot hold the bytes).
pub fn path_of_key(key: &str) -> PathBuf {
    match key.strip_prefix('\0') {
        None => PathBuf::from(key),
        Some(_) => {
            let bytes = key_bytes(key);
            #[cfg(unix)]
            {
                use std::os::unix::ffi::OsStrExt;
                PathBuf::from(std::ffi::OsStr::from_bytes(&bytes))
            }
            #[cfg(not(unix))]
            {
                PathBuf::from(String::from_utf8_lossy(&bytes).into_owned())
            }
        }
    }
}

/// Nanoseconds since the Unix epoch (0 for times before it or unknown).
pub fn mtime_ns(mtime: Option<SystemTime>) -> u64 {
    mtime
        .and_then(|t| t.duration_since(SystemTime::UNIX_EPOCH).ok())
        .map_or(0, |d| u64::try_from(d.as_nanos()).unwrap_or(u64::MAX))
}

/// A 64-bit content hash, stable across builds and platforms, fed in pieces: eight
/// bytes per multiply (byte-wise FNV-1a cost a tenth of a full index build).
#[derive(Debug, Clone)]
pub struct ContentHash {
    state: u64,
    pending: [u8; 8],
    pending_len: usize,
    total: u64,
}

impl Default for ContentHash {
    fn default() -> Self {
        ContentHash {
            state: 0xcbf2_9ce4_8422_2325,
            pending: [0; 8],
            pending_len: 0,
            total: 0,
        }
    }
}

impl ContentHash {
    fn mix(&mut self, word: u64) {
        self.state = (self.state ^ word).wrapping_mul(0x9e37_79b9_7f4a_7c15);
        self.state ^= self.state >> 29;
    }

    /// Feeds the next `bytes`; how the input is split into calls does not change the hash.
    pub fn update(&mut self, mut bytes: &[u8]) {
        self.total += bytes.len() as u64;
        if self.pending_len > 0 {
            let take = (8 - self.pending_len).min(bytes.len());
            self.pending[self.pending_len..self.pending_len + take].copy_from_slice(&bytes[..take]);
            self.pending_len += take;
            bytes = &bytes[take..];
            if self.pending_len < 8 {
                return;
            }
            self.mix(u64::from_le_bytes(self.pending));
            self.pending_len = 0;
        }
        let mut words = bytes.chunks_exact(8);
        for word in &mut words {
            let mut w = [0u8; 8];
            w.copy_from_slice(word);
            self.mix(u64::from_le_bytes(w));
        }
        let rest = words.remainder();
        self.pending[..rest.len()].copy_from_slice(rest);
        self.pending_len = rest.len();
    }

    /// The hash of everything fed (its length included).
    pub fn finish(mut self) -> u64 {
        let mut last = [0u8; 8];
        last[..self.pending_len].copy_from_slice(&self.pending[..self.pending_len]);
        self.mix(u64::from_le_bytes(last));
        self.mix(self.total);
        // MurmurHash3's finaliser, so every input bit reaches every output bit.
        let mut h = self.state;
        h ^= h >> 33;
        h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
        h ^= h >> 33;
        h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
        h ^ (h >> 33)
    }
}

/// A document's id: a 64-bit hash of its path key, so it stays the same while the path
/// does (re-indexing a changed file keeps it). Shown as 16 hex digits.
pub fn document_id(path_key: &[u8]) -> u64 {
    bytes_hash(path_key)
}

/// The [`ContentHash`] of bytes in memory.
pub fn bytes_hash(bytes: &[u8]) -> u64 {
    let mut hash = ContentHash::default();
    hash.update(bytes);
    hash.finish()
}

/// The [`ContentHash`] of a file's bytes.
pub fn file_hash(path: &Path) -> std::io::Result<u64> {
    let mut file = std::fs::File::open(path)?;
    let mut hash = ContentHash::default();
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            return Ok(hash.finish());
        }
        hash.update(&buf[..n]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_hash_is_the_same_whatever_the_pieces() {
        let data: Vec<u8> = (0..1000u32).map(|i| (i * 7 % 251) as u8).collect();
        let whole = bytes_hash(&data);
        for cut in [0, 1, 7, 8, 9, 500, 999, 1000] {
            let mut h = ContentHash::default();
            h.update(&data[..cut]);
            h.update(&data[cut..]);
            assert_eq!(h.finish(), whole, "cut at {cut}");
        }
        assert_ne!(bytes_hash(b"abc"), bytes_hash(b"abd"));
        assert_ne!(bytes_hash(b""), bytes_hash(b"\0"), "the length counts");
    }

    #[test]
    fn keys_round_trip_any_path() {
        let plain = Path::new("/档案/2023/总结.docx");
        assert_eq!(key_of(plain), "/档案/2023/总结.docx");
        assert_eq!(path_of_key(&key_of(plain)), plain);
        #[cfg(unix)]
        {
            use std::os::unix::ffi::OsStrExt;
            let gbk = Path::new(std::ffi::OsStr::from_bytes(b"/a/\xb1\xa8\xb8\xe6.docx"));
            let key = key_of(gbk);
            assert!(key.starts_with('\0'));
            assert_eq!(path_of_key(&key), gbk);
            assert_eq!(key_bytes(&key), b"/a/\xb1\xa8\xb8\xe6.docx");
        }
    }

    #[test]
    fn state_saves_and_loads() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut state = SyncState::default();
        state.files.insert(
            "/r/a.docx".into(),
            FileState {
                size: 1,
                mtime_ns: 2,
                hash: 3,
                root: "/r".into(),
                skipped: Some("empty file".into()),
                members: Vec::new(),
                member_skips: Vec::new(),
            },
        );
        state.files.insert(
            "/r/b.zip".into(),
            FileState {
                size: 1,
                mtime_ns: 2,
                hash: 3,
                root: "/r".into(),
                skipped: None,
                members: vec!["/r/b.zip/x.docx".into()],
                member_skips: vec![("/r/b.zip/y.pdf".into(), "damaged PDF: no xref".into())],
            },
        );
        state.roots.insert("/r".into(), RootState { last_sync: 5 });
        state.save(dir.path()).expect("save");
        assert_eq!(SyncState::load(dir.path()), state);
        assert_eq!(state.keys_under(Path::new("/r")).count(), 2);
        assert_eq!(
            state.keys_under(Path::new("/r2")).count(),
            0,
            "component-wise prefix"
        );
    }
}
