//! Random secrets (session ids, API tokens, generated passwords) and their stored form.
//!
//! Session ids and API tokens are 256 random bits, so a plain SHA-256 is enough to store them:
//! nobody can guess or brute-force the pre-image, and a fast hash lets every request be checked
//! without argon2's deliberate ~50 ms (which only helps against guessing low-entropy passwords).

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use rand::RngCore;
use sha2::{Digest, Sha256};

/// Prefix of API tokens, so a leaked one is recognisable (secret scanners, logs).
pub const TOKEN_PREFIX: &str = "vlc_";

pub fn random_secret() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

pub fn new_token() -> String {
    format!("{TOKEN_PREFIX}{}", random_secret())
}

/// A password to print once (for `velocity admin create` without stdin).
pub fn generated_password() -> String {
    random_secret()[..20].to_owned()
}

pub fn hash(secret: &str) -> Vec<u8> {
    Sha256::digest(secret.as_bytes()).to_vec()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_differ_and_hash_stably() {
        let (a, b) = (new_token(), new_token());
        assert_ne!(a, b);
        assert!(a.starts_with(TOKEN_PREFIX) && a.len() > 40);
        assert_eq!(hash(&a), hash(&a));
        assert_ne!(hash(&a), hash(&b));
        assert_eq!(generated_password().len(), 20);
    }
}
