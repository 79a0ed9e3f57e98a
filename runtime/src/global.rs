//! The process-wide manager behind `harmony_config::get` and `harmony_config::set`.

use tokio::sync::OnceCell;

use crate::{Access, Config, ConfigError, ConfigManager};

static MANAGER: OnceCell<ConfigManager> = OnceCell::const_new();

/// Installs `manager` as the process-wide manager used by [`get`] and [`set`].
///
/// # Errors
///
/// [`ConfigError::AlreadyInitialized`] when a manager is already in place, including the
/// default chain built by an earlier [`get`] or [`set`].
pub fn init(manager: ConfigManager) -> Result<(), ConfigError> {
    MANAGER
        .set(manager)
        .map_err(|_| ConfigError::AlreadyInitialized)
}

/// Resolves `T` through the process-wide manager; see [`ConfigManager::get`].
///
/// Without [`init`], the default chain ([`default_manager`]) is built on first use: the
/// environment, then OpenBao when `OPENBAO_URL` is set, then the default SQLite database.
///
/// # Errors
///
/// As [`ConfigManager::get`], or when the default chain cannot be built.
pub async fn get<T: Config>() -> Result<T, ConfigError> {
    manager().await?.get().await
}

/// Resolves `T` through the process-wide manager, asking at the terminal when no source
/// holds a valid value; see [`ConfigManager::get_or_prompt`].
///
/// # Errors
///
/// As [`ConfigManager::get_or_prompt`], or when the default chain cannot be built.
pub async fn get_or_prompt<T: Config>() -> Result<T, ConfigError> {
    manager().await?.get_or_prompt().await
}

/// [`get_or_prompt`] with the questions taken from `schema`; generated `_or_prompt` accessors
/// call it. See [`ConfigManager::get_or_prompt_with_schema`].
///
/// # Errors
///
/// As [`ConfigManager::get_or_prompt_with_schema`], or when the default chain cannot be built.
pub async fn get_or_prompt_with_schema<T: Config>(schema: &str) -> Result<T, ConfigError> {
    manager().await?.get_or_prompt_with_schema(schema).await
}

/// Stores `value` through the process-wide manager; see [`ConfigManager::set`].
///
/// # Errors
///
/// As [`ConfigManager::set`], or when the default chain cannot be built.
pub async fn set<T: Config>(value: &T) -> Result<(), ConfigError> {
    manager().await?.set(value).await
}

/// The chain used without [`init`]: [`ConfigManager::from_env`] with [`Access::ReadWrite`].
///
/// # Errors
///
/// As [`ConfigManager::from_env`].
pub async fn default_manager() -> Result<ConfigManager, ConfigError> {
    ConfigManager::from_env(Access::ReadWrite)
}

async fn manager() -> Result<&'static ConfigManager, ConfigError> {
    MANAGER.get_or_try_init(default_manager).await
}
