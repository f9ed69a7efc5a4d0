//! Password hashes: argon2id at OWASP's server parameters, never more of them at once than
//! the machine has cores, each in a 19 MiB work area made once and reused. Unbounded, 64
//! sign-ins at once with made-up names drove the server to 9 GB; queued but allocating per
//! hash, glibc still kept ~400 MiB of freed work areas in its per-thread arenas.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{Output, PasswordHash, SaltString};
use argon2::{Algorithm, Argon2, Block, Params, Version};
use hmac::{Hmac, Mac};
use sha2::Sha256;
use tokio::sync::Semaphore;

use crate::{Error, Result};

/// OWASP's password storage guidance for argon2id: m = 19 MiB, t = 2, p = 1 (about 20 ms a
/// hash on one core of the CI machine).
const M_COST_KIB: u32 = 19 * 1024;
const T_COST: u32 = 2;
const P_COST: u32 = 1;
const OUTPUT_LEN: usize = 32;

fn params() -> Params {
    Params::new(M_COST_KIB, T_COST, P_COST, Some(OUTPUT_LEN)).expect("valid argon2 parameters")
}

fn failed(e: impl std::fmt::Display) -> Error {
    Error::Internal(anyhow::anyhow!("password hash: {e}"))
}

/// A work area for one hash at today's parameters.
fn work_area() -> Vec<Block> {
    vec![Block::default(); params().block_count()]
}

/// Hashes with today's parameters into a PHC string, in the given work area.
fn hash_in(password: &[u8], area: &mut [Block]) -> Result<String> {
    let salt = SaltString::generate(&mut OsRng);
    let mut salt_bytes = [0u8; 64];
    let salt_bytes = salt.decode_b64(&mut salt_bytes).map_err(failed)?;
    let argon2 = Argon2::new(Algorithm::Argon2id, Version::V0x13, params());
    let output = Output::init_with(OUTPUT_LEN, |out| {
        argon2
            .hash_password_into_with_memory(password, salt_bytes, out, &mut *area)
            .map_err(|_| argon2::password_hash::Error::Crypto)
    })
    .map_err(failed)?;
    let phc = PasswordHash {
        algorithm: Algorithm::Argon2id.ident(),
        version: Some(Version::V0x13.into()),
        params: (&params()).try_into().map_err(failed)?,
        salt: Some(salt.as_salt()),
        hash: Some(output),
    };
    Ok(phc.to_string())
}

/// Checks a password against a stored PHC string, in the given work area when its parameters
/// fit (an older hash with a larger memory cost gets its own).
fn verify_in(password: &[u8], stored: &str, area: &mut [Block]) -> Result<(bool, bool)> {
    let parsed = PasswordHash::new(stored).map_err(failed)?;
    let algorithm = Algorithm::try_from(parsed.algorithm).map_err(failed)?;
    let version = parsed
        .version
        .map(Version::try_from)
        .transpose()
        .map_err(failed)?
        .unwrap_or_default();
    let params = Params::try_from(&parsed).map_err(failed)?;
    let (Some(salt), Some(expected)) = (parsed.salt, parsed.hash) else {
        return Err(failed("no salt or hash"));
    };
    let mut salt_bytes = [0u8; 64];
    let salt_bytes = salt.decode_b64(&mut salt_bytes).map_err(failed)?;
    let mut own;
    let area: &mut [Block] = if params.block_count() <= area.len() {
        &mut area[..params.block_count()]
    } else {
        own = vec![Block::default(); params.block_count()];
        &mut own
    };
    let mut out = vec![0u8; expected.len()];
    Argon2::new(algorithm, version, params)
        .hash_password_into_with_memory(password, salt_bytes, &mut out, area)
        .map_err(failed)?;
    // Output compares in constant time.
    let ok = Output::new(&out).map_err(failed)? == expected;
    Ok((ok, is_current(&parsed)))
}

/// Hashes outside any request (demo data, the first admin): no queue.
pub fn hash_now(password: &str) -> Result<String> {
    hash_in(password.as_bytes(), &mut work_area())
}

/// What a sign-in's check found.
pub struct Verified {
    pub ok: bool,
    /// The stored hash was made with other parameters: store a new one now that the password
    /// is known.
    pub rehash: bool,
}

/// The hashing queue every request goes through, and the key for hashing what must not be
/// kept in clear (user names that match no account: often a password typed in the wrong box).
pub struct Passwords {
    permits: Semaphore,
    /// One work area per permit, made at start and handed from hash to hash.
    areas: Mutex<Vec<Vec<Block>>>,
    wait: Duration,
    /// Verified against when a user name is unknown, so timing does not reveal accounts.
    dummy: String,
    key: Vec<u8>,
}

impl Passwords {
    pub fn new(concurrency: usize, wait: Duration, key: Vec<u8>) -> Result<Arc<Passwords>> {
        let concurrency = concurrency.max(1);
        Ok(Arc::new(Passwords {
            permits: Semaphore::new(concurrency),
            areas: Mutex::new((0..concurrency).map(|_| work_area()).collect()),
            wait,
            dummy: hash_now("not a password")?,
            key,
        }))
    }

    /// Runs one hash on a blocking thread once a permit (and with it a work area) is free; a
    /// request that waits longer than the queue allows gets 503 with Retry-After instead of
    /// piling up.
    async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce(&mut Vec<Block>) -> T + Send + 'static,
    ) -> Result<T> {
        let _permit = tokio::time::timeout(self.wait, self.permits.acquire())
            .await
            .map_err(|_| Error::Busy(2))?
            .map_err(|e| Error::Internal(anyhow::anyhow!(e)))?;
        let mut area = self
            .areas
            .lock()
            .ok()
            .and_then(|mut a| a.pop())
            .unwrap_or_else(work_area);
        let (result, area) = tokio::task::spawn_blocking(move || {
            let result = work(&mut area);
            (result, area)
        })
        .await
        .map_err(|e| Error::Internal(anyhow::anyhow!(e)))?;
        if let Ok(mut areas) = self.areas.lock() {
            areas.push(area);
        }
        Ok(result)
    }

    pub async fn hash(&self, password: String) -> Result<String> {
        self.run(move |area| hash_in(password.as_bytes(), area))
            .await?
    }

    /// Checks a password against a stored hash, or against the throwaway hash when there is
    /// no account (`None`), which then never verifies.
    pub async fn verify(&self, password: String, stored: Option<String>) -> Result<Verified> {
        let known = stored.is_some();
        let hash = stored.unwrap_or_else(|| self.dummy.clone());
        let (ok, current) = self
            .run(move |area| verify_in(password.as_bytes(), &hash, area))
            .await??;
        let ok = ok && known;
        Ok(Verified {
            ok,
            rehash: ok && !current,
        })
    }

    /// A keyed hash (HMAC-SHA-256, hex) of a text that may be a secret typed in the wrong field:
    /// the same text always gives the same value, so it can still be counted and searched for.
    pub fn keyed(&self, text: &str) -> String {
        let mut mac =
            <Hmac<Sha256> as Mac>::new_from_slice(&self.key).expect("HMAC takes any key length");
        mac.update(text.as_bytes());
        hex::encode(mac.finalize().into_bytes())
    }
}

/// Whether a stored hash has today's algorithm and parameters.
fn is_current(hash: &PasswordHash<'_>) -> bool {
    let Ok(params) = Params::try_from(hash) else {
        return false;
    };
    hash.algorithm == Algorithm::Argon2id.ident()
        && hash.version == Some(Version::V0x13.into())
        && params.m_cost() == M_COST_KIB
        && params.t_cost() == T_COST
        && params.p_cost() == P_COST
}

#[cfg(test)]
mod tests {
    use super::*;
    use argon2::password_hash::PasswordHasher;

    #[test]
    fn current_and_old_hashes_are_told_apart() {
        let new = hash_now("Xuncha@2026").unwrap();
        assert!(is_current(&PasswordHash::new(&new).unwrap()));
        let salt = SaltString::generate(&mut OsRng);
        let old = Argon2::new(
            Algorithm::Argon2id,
            Version::V0x13,
            Params::new(4096, 3, 1, None).unwrap(),
        )
        .hash_password(b"Xuncha@2026", &salt)
        .unwrap()
        .to_string();
        assert!(!is_current(&PasswordHash::new(&old).unwrap()));
    }

    #[tokio::test]
    async fn a_full_queue_answers_busy() {
        let p = Passwords::new(1, Duration::from_millis(1), b"k".to_vec()).unwrap();
        let _held = p.permits.acquire().await.unwrap();
        assert!(matches!(p.hash("x".into()).await, Err(Error::Busy(_))));
    }

    #[tokio::test]
    async fn old_hashes_verify_and_ask_for_a_rehash() {
        let p = Passwords::new(2, Duration::from_secs(5), b"k".to_vec()).unwrap();
        let salt = SaltString::generate(&mut OsRng);
        let old = Argon2::new(
            Algorithm::Argon2i,
            Version::V0x13,
            Params::new(4096, 3, 1, None).unwrap(),
        )
        .hash_password(b"secret-pass", &salt)
        .unwrap()
        .to_string();
        let v = p.verify("secret-pass".into(), Some(old)).await.unwrap();
        assert!(v.ok && v.rehash);
        let v = p.verify("secret-pass".into(), None).await.unwrap();
        assert!(!v.ok);
        assert_eq!(p.keyed("abc"), p.keyed("abc"));
        assert_ne!(p.keyed("abc"), p.keyed("abd"));
    }
}
