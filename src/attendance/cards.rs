//! Optional sign-in cards: random codes the kiosk issues, checked when typed, stored only as
//! HMAC-SHA256 with a per-kiosk key.
//!
//! A code is 10 Crockford base-32 characters (50 random bits) and one check character from
//! the same 32-symbol alphabet (Luhn mod 32), so a scanner only ever sends digits and letters
//! and a single mistyped character or a swap of two neighbours is caught. Codes are never
//! derived from a person, never stored or logged in clear; the card says nothing about the
//! center or recovery (42 CFR § 2.18).

use std::fs;
use std::path::{Path, PathBuf};

use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::words::{phrase, Phrase};

/// Crockford's base-32 alphabet: no I, L, O or U, so nothing reads as another symbol.
pub const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
/// Random characters in a code (5 bits each: 50 bits).
pub const RANDOM_CHARS: usize = 10;
/// The key file's name, beside the database.
pub use crate::store::data_dir::CARD_KEY_FILE as KEY_FILE;

fn value(c: u8) -> Option<u32> {
    ALPHABET.iter().position(|a| *a == c).map(|p| p as u32)
}

/// Luhn mod 32 over the code's values: the character that makes the sum check.
fn check_char(values: &[u32]) -> u8 {
    let n = 32;
    let mut sum = 0;
    let mut factor = 2;
    for v in values.iter().rev() {
        let addend = factor * v;
        sum += addend / n + addend % n;
        factor = if factor == 2 { 1 } else { 2 };
    }
    let check = (n - sum % n) % n;
    ALPHABET[check as usize]
}

/// A new random card code (11 characters, no separators).
pub fn generate() -> Result<String, String> {
    let mut bytes = [0u8; 8];
    getrandom::getrandom(&mut bytes).map_err(|e| format!("no randomness available: {e}"))?;
    let mut bits = u64::from_le_bytes(bytes);
    let mut values = Vec::with_capacity(RANDOM_CHARS);
    for _ in 0..RANDOM_CHARS {
        values.push((bits & 31) as u32);
        bits >>= 5;
    }
    let mut code: String = values
        .iter()
        .map(|v| ALPHABET[*v as usize] as char)
        .collect();
    code.push(check_char(&values) as char);
    Ok(code)
}

/// The code printed for reading and typing: "7K3M-Q9TX-2HV".
pub fn grouped(code: &str) -> String {
    let chars: Vec<char> = code.chars().collect();
    chars
        .chunks(4)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join("-")
}

/// Why a typed or scanned code is not a card code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CodeError {
    Length(usize),
    Symbol(char),
    /// Well-formed but the check character does not match: a typo.
    Mistyped,
}

impl CodeError {
    /// What the person who typed or scanned it reads, in the language on screen.
    pub fn phrase(&self) -> Phrase {
        match self {
            CodeError::Length(n) => phrase(
                "a card code has 11 letters and digits; this has {}. Please check it and try again",
                &[n],
            ),
            CodeError::Symbol(c) => phrase("\"{}\" is not on a card; please check the code", &[c]),
            CodeError::Mistyped => phrase(
                "that code does not check out: one character is probably mistyped",
                &[],
            ),
        }
    }
}

impl std::fmt::Display for CodeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.phrase().fmt(f)
    }
}

/// Reads a code as typed or scanned: case and dashes or spaces do not matter, O reads as 0
/// and I or L as 1 (Crockford's rule). Returns the canonical code.
pub fn normalize(input: &str) -> Result<String, CodeError> {
    let mut code = String::new();
    for c in input.chars() {
        let c = match c.to_ascii_uppercase() {
            '-' | ' ' => continue,
            'O' => '0',
            'I' | 'L' => '1',
            c => c,
        };
        if !c.is_ascii() || value(c as u8).is_none() {
            return Err(CodeError::Symbol(c));
        }
        code.push(c);
    }
    if code.len() != RANDOM_CHARS + 1 {
        return Err(CodeError::Length(code.len()));
    }
    let values: Vec<u32> = code.bytes().take(RANDOM_CHARS).filter_map(value).collect();
    if code.as_bytes()[RANDOM_CHARS] != check_char(&values) {
        return Err(CodeError::Mistyped);
    }
    Ok(code)
}

/// The only form of a card code that is ever stored.
pub fn tag(key: &[u8; 32], code: &str) -> [u8; 32] {
    let mut mac =
        <Hmac<Sha256> as Mac>::new_from_slice(key).expect("HMAC takes a key of any length");
    mac.update(code.as_bytes());
    mac.finalize().into_bytes().into()
}

/// Where the kiosk's card key lives: beside the database.
pub fn key_path(db: &Path) -> PathBuf {
    crate::store::DataDir::of(db).card_key()
}

/// Reads the kiosk's card key, creating it (32 random bytes, mode 0600) on first start.
/// Rotating it (deleting the file) restarts every card's streak: see the README.
pub fn load_or_create_key(path: &Path) -> Result<[u8; 32], String> {
    match fs::read(path) {
        Ok(bytes) => bytes.try_into().map_err(|b: Vec<u8>| {
            format!(
                "{}: the card key must be 32 bytes, found {}; move the file away to make a new one (card streaks restart)",
                path.display(),
                b.len()
            )
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let mut key = [0u8; 32];
            getrandom::getrandom(&mut key).map_err(|e| format!("no randomness available: {e}"))?;
            // Whole or not at all: a power cut while writing must not leave a short key that
            // every later start refuses.
            match crate::sync::files::create_durably(path, &key, 0o600) {
                Ok(()) => Ok(key),
                // Another process made it first: use that one.
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => load_or_create_key(path),
                Err(e) => Err(format!("{}: cannot create the card key: {e}", path.display())),
            }
        }
        Err(e) => Err(format!("{}: cannot read the card key: {e}", path.display())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_codes_check_out_and_differ() {
        let a = generate().unwrap();
        let b = generate().unwrap();
        assert_eq!(a.len(), 11);
        assert_ne!(a, b);
        assert_eq!(normalize(&a).unwrap(), a);
        assert!(a.bytes().all(|c| ALPHABET.contains(&c)), "{a}");
    }

    #[test]
    fn typed_codes_forgive_case_dashes_and_look_alikes() {
        let code = generate().unwrap();
        let typed = grouped(&code).to_lowercase();
        assert_eq!(normalize(&typed).unwrap(), code);
        let with_o = code.replace('0', "O");
        assert_eq!(normalize(&with_o).unwrap(), code);
    }

    #[test]
    fn every_single_substitution_and_neighbour_swap_is_caught() {
        for _ in 0..40 {
            one_code_catches_every_single_error(&generate().unwrap());
        }
    }

    fn one_code_catches_every_single_error(code: &str) {
        let bytes = code.as_bytes();
        for i in 0..bytes.len() {
            for &c in ALPHABET {
                if c == bytes[i] {
                    continue;
                }
                let mut wrong = bytes.to_vec();
                wrong[i] = c;
                let wrong = String::from_utf8(wrong).unwrap();
                assert_eq!(normalize(&wrong), Err(CodeError::Mistyped), "{wrong}");
            }
        }
        for i in 0..bytes.len() - 1 {
            if bytes[i] == bytes[i + 1] {
                continue;
            }
            let mut swapped = bytes.to_vec();
            swapped.swap(i, i + 1);
            let swapped = String::from_utf8(swapped).unwrap();
            // Luhn mod N misses exactly one neighbour swap: "0" with "Z" (values 0 and N−1),
            // as decimal Luhn misses 09 ↔ 90.
            let (a, b) = (value(bytes[i]).unwrap(), value(bytes[i + 1]).unwrap());
            if a.min(b) != 0 || a.max(b) != 31 {
                assert!(normalize(&swapped).is_err(), "{code} → {swapped}");
            }
        }
    }

    #[test]
    fn wrong_length_and_foreign_symbols_say_so() {
        assert_eq!(normalize("ABC"), Err(CodeError::Length(3)));
        assert_eq!(normalize("ABCDEFGHJKU"), Err(CodeError::Symbol('U')));
    }

    #[test]
    fn tag_depends_on_key_and_code_and_is_not_the_code() {
        let code = generate().unwrap();
        let t1 = tag(&[1; 32], &code);
        assert_ne!(t1, tag(&[2; 32], &code));
        assert_eq!(t1, tag(&[1; 32], &code));
        assert!(!t1.windows(code.len()).any(|w| w == code.as_bytes()));
    }

    #[test]
    fn key_is_created_once_with_mode_0600() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(KEY_FILE);
        let a = load_or_create_key(&path).unwrap();
        let b = load_or_create_key(&path).unwrap();
        assert_eq!(a, b);
        let mode = fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }
}
