//! What each source of a chain holds for one key: [`crate::ConfigManager::provenance`].

use serde_json::Value;

use crate::ConfigError;

/// What every source of a chain holds for one key, in chain order.
#[derive(Debug)]
#[non_exhaustive]
pub struct Provenance {
    /// The config key.
    pub key: String,
    /// One entry per source, in the order a `get` asks them.
    pub sources: Vec<Held>,
}

/// What one source holds for a key.
#[derive(Debug)]
#[non_exhaustive]
pub struct Held {
    /// The source's name, e.g. `env` or `sqlite (/home/me/.local/share/harmony/config/config.db)`.
    pub source: String,
    /// Whether the source persists values: `set` may write to it.
    pub persists: bool,
    /// What it holds.
    pub holds: Holds,
}

/// What a source holds for a key.
#[derive(Debug)]
#[non_exhaustive]
pub enum Holds {
    /// A value. The first source with one answers a `get`.
    Value(Value),
    /// Nothing for this key.
    Nothing,
    /// A team store that cannot answer now: down, sealed, denied, or not logged in. A `get`
    /// passes over it to the next source.
    Unavailable(ConfigError),
    /// An error that stops a `get` here, e.g. malformed JSON in a variable or a damaged database.
    Error(ConfigError),
}

impl Provenance {
    /// The index of the source a `get` reads: the first that holds a value or fails.
    #[must_use]
    pub fn winner(&self) -> Option<usize> {
        self.sources
            .iter()
            .position(|held| matches!(held.holds, Holds::Value(_) | Holds::Error(_)))
    }

    /// The value a `get` reads and the name of its source.
    ///
    /// # Errors
    ///
    /// The error of the source that stops the walk, or [`ConfigError::NotFound`], as a `get`
    /// would return them.
    /// A team store that could not answer is named with the reason.
    pub fn into_value(self) -> Result<(String, Value), ConfigError> {
        let mut tried = Vec::with_capacity(self.sources.len());
        for held in self.sources {
            match held.holds {
                Holds::Value(value) => return Ok((held.source, value)),
                Holds::Error(error) => return Err(error),
                Holds::Nothing => tried.push(held.source),
                Holds::Unavailable(error) => {
                    tried.push(format!("{} (not used: {error})", held.source));
                }
            }
        }
        Err(ConfigError::not_found(&self.key, tried.into_iter()))
    }
}
