//! Who may see the archive: nobody but this machine by default; with a password file,
//! whoever logs in once per browser.
//!
//! The password file is read once at start; only the SHA-256 of its first line is kept, and
//! a login compares hashes in constant time. A successful login sets a cookie holding a
//! random session key made at start (so restarting the server logs everyone out).

use std::path::Path;

use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

/// The cookie a logged-in browser sends.
pub const COOKIE: &str = "dangan_session";

/// The password and the session key of a server that asks for one.
#[derive(Clone)]
pub struct Login {
    password_hash: [u8; 32],
    session: String,
}

impl std::fmt::Debug for Login {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Login { .. }")
    }
}

/// Why a password file cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum PasswordError {
    /// The password file could not be read.
    #[error("cannot read the password file {path}: {source}")]
    Unreadable {
        /// The password file.
        path: std::path::PathBuf,
        /// Why it could not be read.
        source: std::io::Error,
    },
    /// The password file's first line is empty.
    #[error("the password file {0} is empty: its first line is the password")]
    Empty(std::path::PathBuf),
    /// The operating system gave no random bytes for the session key.
    #[error("cannot make a session key: {0}")]
    Random(String),
}

impl Login {
    /// Reads the password from the first line of `path` (its line ending ignored).
    pub fn from_file(path: &Path) -> Result<Login, PasswordError> {
        let bytes = std::fs::read(path).map_err(|source| PasswordError::Unreadable {
            path: path.to_path_buf(),
            source,
        })?;
        let line = bytes.split(|&b| b == b'\n').next().unwrap_or_default();
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if line.is_empty() {
            return Err(PasswordError::Empty(path.to_path_buf()));
        }
        Login::new(line)
    }

    /// A login for `password`.
    pub fn new(password: &[u8]) -> Result<Login, PasswordError> {
        let mut key = [0u8; 32];
        getrandom::fill(&mut key).map_err(|e| PasswordError::Random(e.to_string()))?;
        Ok(Login {
            password_hash: Sha256::digest(password).into(),
            session: key.iter().map(|b| format!("{b:02x}")).collect(),
        })
    }

    /// Whether `password` is the password (constant time in its content).
    pub fn password_matches(&self, password: &str) -> bool {
        let hash: [u8; 32] = Sha256::digest(password.as_bytes()).into();
        hash.ct_eq(&self.password_hash).into()
    }

    /// The cookie value a logged-in browser holds.
    pub fn session(&self) -> &str {
        &self.session
    }

    /// Whether a request's `Cookie` header holds the session (constant time).
    pub fn admits(&self, cookie_header: Option<&str>) -> bool {
        let Some(header) = cookie_header else {
            return false;
        };
        header
            .split(';')
            .filter_map(|pair| pair.trim().split_once('='))
            .filter(|(name, _)| *name == COOKIE)
            .any(|(_, value)| value.as_bytes().ct_eq(self.session.as_bytes()).into())
    }

    /// The `Set-Cookie` value after a login.
    pub fn set_cookie(&self) -> String {
        format!("{COOKIE}={}; Path=/; HttpOnly; SameSite=Strict", self.session)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn password_file_first_line_and_cookie() {
        let dir = tempfile::tempdir().expect("tempdir");
        let file = dir.path().join("pw");
        std::fs::write(&file, "档案室2023\r\nsecond line\n").expect("write");
        let login = Login::from_file(&file).expect("login");
        assert!(login.password_matches("档案室2023"));
        assert!(!login.password_matches("档案室2023\r"));
        assert!(!login.password_matches(""));
        let cookie = format!("a=b; {COOKIE}={}", login.session());
        assert!(login.admits(Some(&cookie)));
        assert!(!login.admits(Some(&format!("{COOKIE}=00"))));
        assert!(!login.admits(None));
        std::fs::write(&file, "\n").expect("write");
        assert!(matches!(Login::from_file(&file), Err(PasswordError::Empty(_))));
        assert!(Login::from_file(&dir.path().join("none")).is_err());
    }
}
