//! The cryptography of sealed identity, free of I/O: who holds which key is
//! the service's business (`service::identity`), how a key seals is this.
//!
//! - **Country keys** are HPKE key pairs (RFC 9180: DHKEM(X25519,
//!   HKDF-SHA256), HKDF-SHA256, ChaCha20-Poly1305, base mode). Anyone may
//!   seal to the public half; a field sealed with [`seal_to`] is bound to its
//!   context (case, field, key id), so it cannot be moved to another case,
//!   field or key.
//! - **Member keys** are HPKE key pairs too: a country's private key is
//!   wrapped to each member's public key, and each member's private key is
//!   wrapped ([`seal_symmetric`]) under a key derived from their password
//!   (Argon2id, parameters stored beside it: [`KdfParams`]).
//! - A **recovery key** ([`RecoveryKey`]) is 256 random bits shown once; it
//!   wraps a country's private key as a member's password does.
//! - An **unlock secret** ([`UnlockSecret`]) is 256 bits only the client
//!   holds (in its access and refresh tokens, or derived from its cookie);
//!   a session keeps the member's private key sealed under it, so the
//!   database alone never opens it.
use argon2::{Algorithm, Argon2, Params, Version};
use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use chacha20poly1305::aead::{Aead, AeadCore, KeyInit, OsRng, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use hkdf::Hkdf;
use hpke::{Deserializable, Kem as _, OpModeR, OpModeS, Serializable};
use rand::RngCore;
use rand_core_hpke::TryRngCore;
use sha2::Sha256;
use zeroize::Zeroizing;

type Kem = hpke::kem::X25519HkdfSha256;
type Kdf = hpke::kdf::HkdfSha256;
type HpkeAead = hpke::aead::ChaCha20Poly1305;

/// Length of an X25519 encapsulated key in a sealed value.
const ENCAPPED_LEN: usize = 32;
const SEALED_TO_KEY: &str = "h1:";
const SEALED_SYMMETRIC: &str = "s1:";

/// Why a sealed value did not open. Deliberately coarse: a caller learns
/// neither which byte was wrong nor whether the key or the context was.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SealError {
    #[error("not a sealed value of a known format")]
    Malformed,
    #[error("the value does not open with this key in this context")]
    Failed,
}

/// The private half of an HPKE key pair. Wiped from memory when dropped;
/// never printed.
pub struct SecretKey(<Kem as hpke::Kem>::PrivateKey);

/// The public half: anyone may seal to it.
#[derive(Clone, PartialEq, Eq)]
pub struct PublicKey(<Kem as hpke::Kem>::PublicKey);

impl std::fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretKey(…)")
    }
}

impl std::fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "PublicKey({})", self.to_base64())
    }
}

/// A fresh key pair from the operating system's randomness.
pub fn generate_key_pair() -> (SecretKey, PublicKey) {
    let (secret, public) = Kem::gen_keypair(&mut rand_core_hpke::OsRng.unwrap_err());
    (SecretKey(secret), PublicKey(public))
}

impl SecretKey {
    /// The raw 32 bytes, for wrapping under another key. Wiped on drop.
    pub fn to_bytes(&self) -> Zeroizing<Vec<u8>> {
        Zeroizing::new(self.0.to_bytes().to_vec())
    }

    pub fn from_bytes(bytes: &[u8]) -> Result<Self, SealError> {
        <Kem as hpke::Kem>::PrivateKey::from_bytes(bytes)
            .map(SecretKey)
            .map_err(|_| SealError::Malformed)
    }

    /// The public key that belongs to this private key.
    pub fn public_key(&self) -> PublicKey {
        PublicKey(<Kem as hpke::Kem>::sk_to_pk(&self.0))
    }
}

impl PublicKey {
    pub fn to_base64(&self) -> String {
        STANDARD.encode(self.0.to_bytes())
    }

    pub fn from_base64(text: &str) -> Result<Self, SealError> {
        let bytes = STANDARD.decode(text).map_err(|_| SealError::Malformed)?;
        <Kem as hpke::Kem>::PublicKey::from_bytes(&bytes)
            .map(PublicKey)
            .map_err(|_| SealError::Malformed)
    }
}

/// Seals `plaintext` to `public`, bound to `context` (the HPKE `info`):
/// `h1:` and base64 of the encapsulated key and the ciphertext.
pub fn seal_to(public: &PublicKey, context: &str, plaintext: &[u8]) -> Result<String, SealError> {
    let (encapped, ciphertext) = hpke::single_shot_seal::<HpkeAead, Kdf, Kem, _>(
        &OpModeS::Base,
        &public.0,
        context.as_bytes(),
        plaintext,
        b"",
        &mut rand_core_hpke::OsRng.unwrap_err(),
    )
    .map_err(|_| SealError::Failed)?;
    let mut blob = encapped.to_bytes().to_vec();
    blob.extend_from_slice(&ciphertext);
    Ok(format!("{SEALED_TO_KEY}{}", STANDARD.encode(blob)))
}

/// Opens what [`seal_to`] sealed to this key's public half, in the same context.
pub fn open_with(
    secret: &SecretKey,
    context: &str,
    sealed: &str,
) -> Result<Zeroizing<Vec<u8>>, SealError> {
    let blob = sealed
        .strip_prefix(SEALED_TO_KEY)
        .and_then(|b64| STANDARD.decode(b64).ok())
        .filter(|blob| blob.len() > ENCAPPED_LEN)
        .ok_or(SealError::Malformed)?;
    let (encapped, ciphertext) = blob.split_at(ENCAPPED_LEN);
    let encapped =
        <Kem as hpke::Kem>::EncappedKey::from_bytes(encapped).map_err(|_| SealError::Malformed)?;
    hpke::single_shot_open::<HpkeAead, Kdf, Kem>(
        &OpModeR::Base,
        &secret.0,
        &encapped,
        context.as_bytes(),
        ciphertext,
        b"",
    )
    .map(Zeroizing::new)
    .map_err(|_| SealError::Failed)
}

/// Opens a sealed text field (a defender's name, say).
pub fn open_text(secret: &SecretKey, context: &str, sealed: &str) -> Result<String, SealError> {
    let bytes = open_with(secret, context, sealed)?;
    String::from_utf8(bytes.to_vec()).map_err(|_| SealError::Malformed)
}

/// Seals under a 32-byte symmetric key (XChaCha20-Poly1305), bound to
/// `context` as associated data: `s1:` and base64 of nonce and ciphertext.
/// A failure is an error, never an empty wrap that would lose the secret.
pub fn seal_symmetric(
    key: &[u8; 32],
    context: &str,
    plaintext: &[u8],
) -> Result<String, SealError> {
    let cipher = XChaCha20Poly1305::new(key.into());
    let nonce = XChaCha20Poly1305::generate_nonce(&mut OsRng);
    let ciphertext = cipher
        .encrypt(
            &nonce,
            Payload {
                msg: plaintext,
                aad: context.as_bytes(),
            },
        )
        .map_err(|_| SealError::Failed)?;
    let mut blob = nonce.to_vec();
    blob.extend_from_slice(&ciphertext);
    Ok(format!("{SEALED_SYMMETRIC}{}", STANDARD.encode(blob)))
}

/// Opens what [`seal_symmetric`] sealed under the same key and context.
pub fn open_symmetric(
    key: &[u8; 32],
    context: &str,
    sealed: &str,
) -> Result<Zeroizing<Vec<u8>>, SealError> {
    let blob = sealed
        .strip_prefix(SEALED_SYMMETRIC)
        .and_then(|b64| STANDARD.decode(b64).ok())
        .filter(|blob| blob.len() > 24)
        .ok_or(SealError::Malformed)?;
    let (nonce, ciphertext) = blob.split_at(24);
    let nonce: [u8; 24] = nonce.try_into().map_err(|_| SealError::Malformed)?;
    XChaCha20Poly1305::new(key.into())
        .decrypt(
            &XNonce::from(nonce),
            Payload {
                msg: ciphertext,
                aad: context.as_bytes(),
            },
        )
        .map(Zeroizing::new)
        .map_err(|_| SealError::Failed)
}

/// Wraps a private key under a symmetric key.
pub fn wrap_secret(key: &[u8; 32], context: &str, secret: &SecretKey) -> Result<String, SealError> {
    seal_symmetric(key, context, &secret.to_bytes())
}

/// Unwraps what [`wrap_secret`] wrapped.
pub fn unwrap_secret(key: &[u8; 32], context: &str, sealed: &str) -> Result<SecretKey, SealError> {
    SecretKey::from_bytes(&open_symmetric(key, context, sealed)?)
}

/// Wraps a private key to a public key (a country key to a member).
pub fn wrap_secret_to(
    public: &PublicKey,
    context: &str,
    secret: &SecretKey,
) -> Result<String, SealError> {
    seal_to(public, context, &secret.to_bytes())
}

/// Unwraps what [`wrap_secret_to`] wrapped.
pub fn unwrap_secret_with(
    holder: &SecretKey,
    context: &str,
    sealed: &str,
) -> Result<SecretKey, SealError> {
    SecretKey::from_bytes(&open_with(holder, context, sealed)?)
}

/// Derives a 32-byte key from high-entropy input (a recovery key, a cookie).
fn expand(input: &[u8], purpose: &str) -> Zeroizing<[u8; 32]> {
    let mut out = Zeroizing::new([0u8; 32]);
    // 32 bytes is far below HKDF-SHA256's limit: expansion cannot fail.
    let _ = Hkdf::<Sha256>::new(None, input).expand(purpose.as_bytes(), &mut out[..]);
    out
}

/// Argon2id parameters and salt, stored beside what they protect so that
/// a later change of the configured cost still opens older wraps.
/// Written `argon2id$v=19$m=<KiB>,t=<passes>,p=1$<salt base64>`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KdfParams {
    pub memory_kib: u32,
    pub iterations: u32,
    salt: [u8; 16],
}

impl KdfParams {
    /// Fresh random salt at the given cost.
    pub fn new(memory_kib: u32, iterations: u32) -> Self {
        let mut salt = [0u8; 16];
        OsRng.fill_bytes(&mut salt);
        Self {
            memory_kib,
            iterations,
            salt,
        }
    }

    pub fn encode(&self) -> String {
        format!(
            "argon2id$v=19$m={},t={},p=1${}",
            self.memory_kib,
            self.iterations,
            STANDARD.encode(self.salt)
        )
    }

    pub fn parse(text: &str) -> Result<Self, SealError> {
        let rest = text
            .strip_prefix("argon2id$v=19$m=")
            .ok_or(SealError::Malformed)?;
        let (memory, rest) = rest.split_once(",t=").ok_or(SealError::Malformed)?;
        let (iterations, rest) = rest.split_once(",p=1$").ok_or(SealError::Malformed)?;
        let salt: [u8; 16] = STANDARD
            .decode(rest)
            .ok()
            .and_then(|s| s.try_into().ok())
            .ok_or(SealError::Malformed)?;
        Ok(Self {
            memory_kib: memory.parse().map_err(|_| SealError::Malformed)?,
            iterations: iterations.parse().map_err(|_| SealError::Malformed)?,
            salt,
        })
    }

    /// The key a password derives under these parameters. Blocking and
    /// memory-hard by design: run it on the password pool.
    pub fn derive(&self, password: &str) -> Result<Zeroizing<[u8; 32]>, SealError> {
        let params = Params::new(self.memory_kib, self.iterations, 1, Some(32))
            .map_err(|_| SealError::Malformed)?;
        let mut out = Zeroizing::new([0u8; 32]);
        Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
            .hash_password_into(password.as_bytes(), &self.salt, &mut out[..])
            .map_err(|_| SealError::Failed)?;
        Ok(out)
    }
}

/// A country's recovery key: 256 random bits, shown once as 13 groups of
/// four base32 letters and digits, then never again by the server.
pub struct RecoveryKey(Zeroizing<[u8; 32]>);

impl RecoveryKey {
    pub fn generate() -> Self {
        let mut bytes = Zeroizing::new([0u8; 32]);
        OsRng.fill_bytes(&mut bytes[..]);
        Self(bytes)
    }

    /// `XXXX-XXXX-…`: what the admin writes down or prints.
    pub fn display(&self) -> Zeroizing<String> {
        let text = Zeroizing::new(data_encoding::BASE32_NOPAD.encode(&self.0[..]));
        let groups: Vec<&str> = text
            .as_bytes()
            .chunks(4)
            .filter_map(|c| std::str::from_utf8(c).ok())
            .collect();
        Zeroizing::new(groups.join("-"))
    }

    /// Reads a recovery key as written down: case, spaces and dashes do not matter.
    pub fn parse(text: &str) -> Result<Self, SealError> {
        let cleaned: Zeroizing<String> = Zeroizing::new(
            text.chars()
                .filter(|c| c.is_ascii_alphanumeric())
                .map(|c| c.to_ascii_uppercase())
                .collect(),
        );
        let bytes = Zeroizing::new(
            data_encoding::BASE32_NOPAD
                .decode(cleaned.as_bytes())
                .map_err(|_| SealError::Malformed)?,
        );
        let key: [u8; 32] = bytes
            .as_slice()
            .try_into()
            .map_err(|_| SealError::Malformed)?;
        Ok(Self(Zeroizing::new(key)))
    }

    /// The symmetric key that wraps the country key under this recovery key.
    pub fn wrapping_key(&self) -> Zeroizing<[u8; 32]> {
        expand(&self.0[..], "accord recovery key v1")
    }
}

/// The secret only a client holds, under which its session keeps the
/// member's private key. Never stored, never logged.
#[derive(Clone)]
pub struct UnlockSecret(Zeroizing<[u8; 32]>);

impl std::fmt::Debug for UnlockSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("UnlockSecret(…)")
    }
}

impl UnlockSecret {
    pub fn generate() -> Self {
        let mut bytes = Zeroizing::new([0u8; 32]);
        OsRng.fill_bytes(&mut bytes[..]);
        Self(bytes)
    }

    /// A web session's secret, derived from its cookie (whose SHA-256 alone
    /// the database keeps): a different function, so the stored hash is no
    /// help in computing it.
    pub fn from_cookie(cookie: &str) -> Self {
        Self(expand(cookie.as_bytes(), "accord web session unlock v1"))
    }

    pub fn encode(&self) -> String {
        URL_SAFE_NO_PAD.encode(&self.0[..])
    }

    pub fn parse(text: &str) -> Option<Self> {
        let bytes = Zeroizing::new(URL_SAFE_NO_PAD.decode(text).ok()?);
        let key: [u8; 32] = bytes.as_slice().try_into().ok()?;
        Some(Self(Zeroizing::new(key)))
    }

    pub fn key(&self) -> &[u8; 32] {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sealed_to_a_key_opens_only_with_it_in_the_same_context() {
        let (secret, public) = generate_key_pair();
        let sealed = seal_to(&public, "case:1:legal_name:k1", b"Maria Santos").expect("seal");
        assert!(sealed.starts_with("h1:") && !sealed.contains("Maria"));
        assert_eq!(
            open_text(&secret, "case:1:legal_name:k1", &sealed).expect("open"),
            "Maria Santos"
        );
        assert_eq!(
            open_text(&secret, "case:2:legal_name:k1", &sealed),
            Err(SealError::Failed)
        );
        let (other, _) = generate_key_pair();
        assert_eq!(
            open_text(&other, "case:1:legal_name:k1", &sealed),
            Err(SealError::Failed)
        );
        assert_eq!(
            open_text(&secret, "c", "v1:k:AAAA"),
            Err(SealError::Malformed)
        );
        assert_eq!(
            secret.public_key(),
            public,
            "the public key follows from the private one"
        );
        let round = PublicKey::from_base64(&public.to_base64()).expect("public key");
        assert_eq!(round, public);
    }

    #[test]
    fn wraps_nest_password_to_member_to_country() {
        let (country, country_public) = generate_key_pair();
        let (member, member_public) = generate_key_pair();
        let params = KdfParams::new(64, 1);
        let parsed = KdfParams::parse(&params.encode()).expect("params");
        assert_eq!(parsed, params);
        let kek = params.derive("correct horse").expect("derive");
        let member_wrap = wrap_secret(&kek, "member:u1", &member).expect("wrap");
        let country_wrap = wrap_secret_to(&member_public, "country:k1:u1", &country).expect("wrap");

        let kek_again = parsed.derive("correct horse").expect("derive");
        let member_back = unwrap_secret(&kek_again, "member:u1", &member_wrap).expect("member");
        let country_back =
            unwrap_secret_with(&member_back, "country:k1:u1", &country_wrap).expect("country");
        assert_eq!(country_back.public_key(), country_public);

        let wrong = params.derive("wrong horse").expect("derive");
        assert!(unwrap_secret(&wrong, "member:u1", &member_wrap).is_err());
        assert!(unwrap_secret_with(&member_back, "country:k1:u2", &country_wrap).is_err());
    }

    #[test]
    fn recovery_keys_survive_being_written_down() {
        let key = RecoveryKey::generate();
        let shown = key.display();
        assert_eq!(shown.split('-').count(), 13, "{}", shown.as_str());
        let typed = shown.to_lowercase().replace('-', " ");
        let back = RecoveryKey::parse(&typed).expect("parse");
        assert_eq!(*back.wrapping_key(), *key.wrapping_key());
        assert!(RecoveryKey::parse("ABCD-EFGH").is_err());
        assert!(RecoveryKey::parse("").is_err());
    }

    #[test]
    fn unlock_secrets_round_trip_and_cookies_derive_apart_from_their_hash() {
        let s = UnlockSecret::generate();
        let back = UnlockSecret::parse(&s.encode()).expect("parse");
        assert_eq!(back.key(), s.key());
        assert!(UnlockSecret::parse("short").is_none());
        let a = UnlockSecret::from_cookie("cookie-a");
        assert_eq!(a.key(), UnlockSecret::from_cookie("cookie-a").key());
        assert_ne!(a.key(), UnlockSecret::from_cookie("cookie-b").key());
        assert!(!format!("{a:?}").contains(&a.encode()));
    }
}
