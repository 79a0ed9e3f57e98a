//! The token cache: one file per server, mode 0600 in a 0700 directory, holding the OpenBao
//! token and its expiry only. Other processes reuse it until it expires.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};
use url::Url;

use crate::fs::{self, Holds, Use};
use crate::{ConfigError, Secret, blocking};

/// How the cache names its folder and file when they cannot be trusted, and the way out.
const FOLDER: Use<'static> = Use {
    what: "the OpenBao token cache's folder",
    elsewhere: ELSEWHERE,
};
const FILE: Use<'static> = Use {
    what: "the OpenBao token cache",
    elsewhere: ELSEWHERE,
};
/// No setting of ours moves the default cache: `XDG_DATA_HOME` does, on Linux. A login then
/// fills the new one.
const ELSEWHERE: &str = "set XDG_DATA_HOME to a folder of your own, which moves the token cache (and the default database) to $XDG_DATA_HOME/harmony on Linux; then run `cargo harmony login` again";

/// Fails when the cache file at `path`, or its folder, could be read or replaced by another
/// user: the same check for reading and for writing.
pub(crate) fn ensure_private(path: &Path) -> Result<(), ConfigError> {
    let dir = path.parent().unwrap_or(Path::new("."));
    fs::ensure_safe(dir, Holds::Folder, FOLDER)?;
    fs::ensure_safe(path, Holds::Credentials, FILE)
}

/// A token, as cached and as held in memory.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct CachedToken {
    /// The server the token belongs to.
    pub(crate) server: String,
    /// The token itself.
    pub(crate) token: Secret<String>,
    /// Seconds since the Unix epoch after which the token is no longer valid; `None` for a
    /// token that never expires.
    pub(crate) expires_at: Option<u64>,
    /// The token's lifetime when it was issued or last renewed, in seconds.
    pub(crate) ttl: u64,
    /// Whether the server lets the token be renewed.
    pub(crate) renewable: bool,
}

/// Tokens are not used in their last seconds, so a request never starts with a token that
/// expires before the server sees it.
const EXPIRY_MARGIN: Duration = Duration::from_secs(10);

impl CachedToken {
    /// A token issued now for `ttl` seconds (0: it never expires).
    pub(crate) fn issued(server: &Url, token: String, ttl: u64, renewable: bool) -> Self {
        Self {
            server: server.as_str().to_owned(),
            token: Secret::new(token),
            expires_at: (ttl > 0).then(|| now_secs().saturating_add(ttl)),
            ttl,
            renewable,
        }
    }

    /// Whether the token may still be used.
    pub(crate) fn is_fresh(&self) -> bool {
        self.expires_at
            .is_none_or(|at| now_secs().saturating_add(EXPIRY_MARGIN.as_secs()) < at)
    }

    /// Whether the token should be renewed: renewable, and less than half its lifetime left.
    pub(crate) fn wants_renewal(&self) -> bool {
        self.renewable
            && self
                .expires_at
                .is_some_and(|at| at.saturating_sub(now_secs()) < self.ttl / 2)
    }
}

pub(super) fn now_secs() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// The cache file of one server.
#[derive(Clone, Debug)]
pub(crate) struct TokenCache {
    path: PathBuf,
}

impl TokenCache {
    /// The file for `server` in `dir`: `token-{scheme}-{host}-{port}.json`.
    pub(crate) fn new(dir: &Path, server: &Url) -> Self {
        let name: String = format!(
            "token-{}-{}-{}",
            server.scheme(),
            server.host_str().unwrap_or("none"),
            server.port_or_known_default().unwrap_or(0)
        )
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
        Self {
            path: dir.join(format!("{name}.json")),
        }
    }

    /// The cache file.
    pub(crate) fn path(&self) -> &Path {
        &self.path
    }

    /// The cached token for `server`, when the file holds a fresh one. A missing, unreadable
    /// or garbled file is no token: login then runs again and rewrites it.
    pub(crate) async fn load(&self, server: &Url) -> Option<CachedToken> {
        let path = self.path.clone();
        let text = blocking(move || {
            let text =
                std::fs::read_to_string(&path).map_err(|e| ConfigError::io("read", &path, e))?;
            Ok(match ensure_private(&path) {
                Ok(()) => Some(text),
                Err(problem) => {
                    tracing::warn!("{problem}; the cached login is not used");
                    None
                }
            })
        })
        .await
        .ok()??;
        let Ok(cached) = serde_json::from_str::<CachedToken>(&text) else {
            tracing::debug!(path = %self.path.display(), "ignoring a garbled token cache");
            return None;
        };
        (cached.server == server.as_str() && cached.is_fresh()).then_some(cached)
    }

    /// Writes `token` atomically: a new 0600 file in the 0700 directory, renamed over the old.
    ///
    /// # Errors
    ///
    /// When the folder is one [`TokenCache::load`] would not trust, so that a login never
    /// reports a cache that later processes ignore; or when the file cannot be written.
    pub(crate) async fn store(&self, token: &CachedToken) -> Result<(), ConfigError> {
        let path = self.path.clone();
        let text = serde_json::to_string(token).map_err(|e| ConfigError::Serialize {
            key: "the OpenBao token cache".to_owned(),
            message: e.to_string(),
        })?;
        blocking(move || {
            let dir = path.parent().unwrap_or(Path::new("."));
            fs::create_private_dir(dir, FOLDER)?;
            // tempfile creates its files with mode 0600.
            let mut file = tempfile::NamedTempFile::new_in(dir)
                .map_err(|e| ConfigError::io("create a file in", dir, e))?;
            file.write_all(text.as_bytes())
                .and_then(|()| file.as_file().sync_all())
                .map_err(|e| ConfigError::io("write", file.path().to_owned(), e))?;
            file.persist(&path)
                .map_err(|e| ConfigError::io("replace", &path, e.error))?;
            ensure_private(&path)
        })
        .await
    }

    /// Removes the cache file; a missing file is fine.
    pub(crate) async fn remove(&self) {
        let path = self.path.clone();
        let removed = blocking(move || match std::fs::remove_file(&path) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                Err(ConfigError::io("remove", path, e))
            }
            _ => Ok(()),
        })
        .await;
        if let Err(error) = removed {
            tracing::warn!("could not drop the rejected OpenBao token: {error}");
        }
    }
}

#[cfg(all(test, unix))]
mod tests {
    use std::os::unix::fs::PermissionsExt;

    use super::*;

    fn set_mode(path: &Path, mode: u32) {
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).expect("chmod");
    }

    #[tokio::test]
    async fn a_cache_others_can_read_or_write_into_is_not_used() {
        let temp = tempfile::tempdir().unwrap();
        let dir = temp.path().join("openbao");
        let server = Url::parse("http://127.0.0.1:8200").unwrap();
        let cache = TokenCache::new(&dir, &server);
        let token = CachedToken::issued(&server, "s.private".to_owned(), 3600, true);
        cache.store(&token).await.unwrap();
        assert!(
            cache.load(&server).await.is_some(),
            "a private cache is used"
        );

        set_mode(cache.path(), 0o644);
        assert!(
            cache.load(&server).await.is_none(),
            "a readable file is not"
        );
        set_mode(cache.path(), 0o600);
        set_mode(&dir, 0o777);
        assert!(
            cache.load(&server).await.is_none(),
            "nor a file in a shared folder"
        );
        set_mode(&dir, 0o700);
        assert!(cache.load(&server).await.is_some());
    }
}
