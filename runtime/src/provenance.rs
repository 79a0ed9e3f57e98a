//! What each source of a chain holds for one key: [`crate::ConfigManager::provenance`].

use std::time::SystemTime;

use serde_json::Value;

use crate::ConfigError;
use crate::source::passed_over;

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
    /// When the value it holds was written, when the source keeps that time. It is read only
    /// when another source holds a different value, to find [`Provenance::unpushed`].
    pub updated: Option<SystemTime>,
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

    /// The warnings a `get` logs on its way to the value: one for each team store it passes
    /// over because it cannot answer now.
    #[must_use]
    pub fn warnings(&self) -> Vec<String> {
        let end = self.winner().unwrap_or(self.sources.len());
        self.sources[..end]
            .iter()
            .filter_map(|held| match &held.holds {
                Holds::Unavailable(error) => Some(passed_over(error, &self.key)),
                _ => None,
            })
            .collect()
    }

    /// A store behind the one a `get` reads that holds a different value, written later: a
    /// value stored there while the team store refused it, and not pushed yet. The `get`
    /// reads the older one. Returns the later store, and the one that wins over it.
    #[must_use]
    pub fn unpushed(&self) -> Option<(&Held, &Held)> {
        let winner = &self.sources[self.winner()?];
        let (Holds::Value(team), Some(written)) = (&winner.holds, winner.updated) else {
            return None;
        };
        if !winner.persists {
            return None;
        }
        // A store wins, so what follows it is a store too: the environment comes first.
        self.sources
            .iter()
            .skip_while(|h| !std::ptr::eq(*h, winner))
            .skip(1)
            .find(|held| {
                matches!(&held.holds, Holds::Value(local) if local != team)
                    && held.updated.is_some_and(|at| at > written)
            })
            .map(|local| (local, winner))
    }

    /// The warning for [`Provenance::unpushed`], naming both stores and the fix.
    #[must_use]
    pub fn unpushed_warning(&self) -> Option<String> {
        let (local, team) = self.unpushed()?;
        let key = &self.key;
        Some(format!(
            "`{key}` in {} is newer than in {}, which a `get` reads: it was stored there while {} could not take it, and is not pushed yet; run `cargo harmony push {key}`",
            local.source, team.source, team.source
        ))
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
