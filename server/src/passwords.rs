//! Password hashes: argon2id at OWASP's server parameters, and never more of them at once than
//! the machine has cores. Each hash holds 19 MiB for its run; unbounded, 64 sign-ins at once
//! with made-up names drove the server to 8 GB that the allocator did not give back.

use std::sync::Arc;
use std::time::Duration;

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use hmac::{Hmac, Mac};
use sha2::Sha256;
use tokio::sync::Semaphore;

use crate::{Error, Result};

/// OWASP's password storage guidance for argon2id: m = 19 MiB, t = 2, p = 1 (measured here:
/// about 25 ms a hash on one core of the CI machine).
const M_COST_KIB: u32 = 19 * 1024;
const T_COST: u32 = 2;
const P_COST: u32 = 1;

fn argon2() -> Argon2<'static> {
    let params = Params::new(M_COST_KIB, T_COST, P_COST, None).expect("valid argon2 parameters");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Hashes outside any request (demo data, the first admin): no queue.
pub fn hash_now(password: &str) -> Result<String> {
    let salt = SaltString::generate(&mut OsRng);
    argon2()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| Error::Internal(anyhow::anyhow!("hashing failed: {e}")))
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
    wait: Duration,
    /// Verified against when a user name is unknown, so timing does not reveal accounts.
    dummy: String,
    key: Vec<u8>,
}

impl Passwords {
    pub fn new(concurrency: usize, wait: Duration, key: Vec<u8>) -> Result<Arc<Passwords>> {
        Ok(Arc::new(Passwords {
            permits: Semaphore::new(concurrency.max(1)),
            wait,
            dummy: hash_now("not a password")?,
            key,
        }))
    }

    /// Runs one hash on a blocking thread once a permit is free; a request that waits longer
    /// than the queue allows gets 503 with Retry-After instead of piling up.
    async fn run<T: Send + 'static>(&self, work: impl FnOnce() -> T + Send + 'static) -> Result<T> {
        let _permit = tokio::time::timeout(self.wait, self.permits.acquire())
            .await
            .map_err(|_| Error::Busy(2))?
            .map_err(|e| Error::Internal(anyhow::anyhow!(e)))?;
        tokio::task::spawn_blocking(work)
            .await
            .map_err(|e| Error::Internal(anyhow::anyhow!(e)))
    }

    pub async fn hash(&self, password: String) -> Result<String> {
        self.run(move || hash_now(&password)).await?
    }

    /// Checks a password against a stored hash, or against the throwaway hash when there is
    /// no account (`None`), which then never verifies.
    pub async fn verify(&self, password: String, stored: Option<String>) -> Result<Verified> {
        let known = stored.is_some();
        let hash = stored.unwrap_or_else(|| self.dummy.clone());
        self.run(move || -> Result<Verified> {
            let parsed = PasswordHash::new(&hash)
                .map_err(|e| Error::Internal(anyhow::anyhow!("bad stored hash: {e}")))?;
            let ok = argon2()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
                && known;
            Ok(Verified {
                ok,
                rehash: ok && !is_current(&parsed),
            })
        })
        .await?
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
