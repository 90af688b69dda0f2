//! Connection credentials at rest: AES-256-GCM with a random 96-bit nonce per write and the
//! connection id as associated data (a ciphertext copied onto another connection does not
//! decrypt). The key comes from `VELOCITY_SECRET_KEY` (base64 of 32 bytes) or from a key file
//! (`VELOCITY_KEY_FILE`, default `target/velocity/secret.key`) created with a random key on
//! first start and readable by its owner only. Losing the key loses the stored credentials.

use aes_gcm::aead::{Aead, KeyInit, OsRng, Payload};
use aes_gcm::{AeadCore, Aes256Gcm, Nonce};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// Marks the stored format, so a later key rotation can tell versions apart.
const VERSION: &[u8] = b"v1";
const NONCE_LEN: usize = 12;
pub const DEFAULT_KEY_FILE: &str = "target/velocity/secret.key";

#[derive(Debug, Clone, thiserror::Error)]
pub enum CipherError {
    #[error("VELOCITY_SECRET_KEY must be 32 bytes in base64 (e.g. `openssl rand -base64 32`)")]
    BadEnvKey,
    #[error("the key file {0} must hold 32 bytes in base64")]
    BadKeyFile(String),
    #[error("cannot read or create the key file {path}: {reason}")]
    KeyFile { path: String, reason: String },
    #[error("stored credentials cannot be decrypted: the secret key is not the one they were written with, or they were altered")]
    Decrypt,
}

pub struct Cipher(Aes256Gcm);

impl Cipher {
    pub fn new(key: &[u8; 32]) -> Self {
        Cipher(Aes256Gcm::new(key.into()))
    }

    pub fn encrypt(&self, aad: &[u8], plain: &[u8]) -> Vec<u8> {
        let nonce = Aes256Gcm::generate_nonce(&mut OsRng);
        // Encryption only fails for inputs of gigabytes; credentials are a few hundred bytes.
        let sealed = self
            .0
            .encrypt(&nonce, Payload { msg: plain, aad })
            .unwrap_or_default();
        [VERSION, nonce.as_slice(), &sealed].concat()
    }

    pub fn decrypt(&self, aad: &[u8], stored: &[u8]) -> Result<Vec<u8>, CipherError> {
        let rest = stored.strip_prefix(VERSION).ok_or(CipherError::Decrypt)?;
        if rest.len() < NONCE_LEN {
            return Err(CipherError::Decrypt);
        }
        let (nonce, sealed) = rest.split_at(NONCE_LEN);
        self.0
            .decrypt(Nonce::from_slice(nonce), Payload { msg: sealed, aad })
            .map_err(|_| CipherError::Decrypt)
    }
}

/// The process's cipher, loaded once (start-up calls this first so a bad key stops it early).
pub fn global() -> Result<&'static Cipher, CipherError> {
    static CIPHER: OnceLock<Result<Cipher, CipherError>> = OnceLock::new();
    CIPHER
        .get_or_init(|| load_key().map(|k| Cipher::new(&k)))
        .as_ref()
        .map_err(Clone::clone)
}

fn decode(raw: &str) -> Option<[u8; 32]> {
    STANDARD.decode(raw.trim()).ok()?.try_into().ok()
}

fn load_key() -> Result<[u8; 32], CipherError> {
    if let Ok(raw) = std::env::var("VELOCITY_SECRET_KEY") {
        return decode(&raw).ok_or(CipherError::BadEnvKey);
    }
    let path = std::env::var_os("VELOCITY_KEY_FILE")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(DEFAULT_KEY_FILE));
    key_file(&path)
}

/// Reads the key file, or creates it with a random key (never overwriting one that appeared
/// meanwhile: two processes starting together end up with the same key).
pub fn key_file(path: &Path) -> Result<[u8; 32], CipherError> {
    let io = |e: std::io::Error| CipherError::KeyFile {
        path: path.display().to_string(),
        reason: e.to_string(),
    };
    if !path.exists() {
        use std::io::Write;
        use std::os::unix::fs::OpenOptionsExt;
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(io)?;
        }
        let key = Aes256Gcm::generate_key(&mut OsRng);
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(path)
        {
            Ok(mut f) => f.write_all(STANDARD.encode(key).as_bytes()).map_err(io)?,
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
            Err(e) => return Err(io(e)),
        }
    }
    let raw = std::fs::read_to_string(path).map_err(io)?;
    decode(&raw).ok_or_else(|| CipherError::BadKeyFile(path.display().to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_refuses_other_ids_keys_and_tampering() {
        let c = Cipher::new(&[7; 32]);
        let sealed = c.encrypt(b"conn-1", b"{\"token\":\"s3cret\"}");
        assert!(!sealed.windows(6).any(|w| w == b"s3cret"));
        assert_eq!(
            c.decrypt(b"conn-1", &sealed).expect("decrypts"),
            b"{\"token\":\"s3cret\"}"
        );
        assert!(c.decrypt(b"conn-2", &sealed).is_err());
        assert!(Cipher::new(&[8; 32]).decrypt(b"conn-1", &sealed).is_err());
        let mut bent = sealed.clone();
        *bent.last_mut().expect("bytes") ^= 1;
        assert!(c.decrypt(b"conn-1", &bent).is_err());
        assert_ne!(
            c.encrypt(b"conn-1", b"x"),
            c.encrypt(b"conn-1", b"x"),
            "fresh nonce each time"
        );
    }

    #[test]
    fn key_file_is_created_once_private_and_reused() {
        use std::os::unix::fs::PermissionsExt;
        let dir = std::env::temp_dir().join(format!("velocity-key-{}", uuid::Uuid::new_v4()));
        let path = dir.join("nested/secret.key");
        let first = key_file(&path).expect("created");
        assert_eq!(key_file(&path).expect("read"), first);
        assert_eq!(
            std::fs::metadata(&path)
                .expect("exists")
                .permissions()
                .mode()
                & 0o777,
            0o600
        );
        std::fs::write(&path, "short").expect("overwrite");
        assert!(matches!(key_file(&path), Err(CipherError::BadKeyFile(_))));
        let _ = std::fs::remove_dir_all(dir);
    }
}
