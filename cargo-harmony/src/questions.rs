//! The questions for one key at the terminal, for `set` without a value and for `prompt`:
//! the runtime's [`Form`], read off the key's schema, and the check its answers must pass,
//! the one `set --json` applies. An answer is stored only when `set --json` would store it.

use harmony_codegen::generate::GeneratedConfig;
use harmony_config::ConfigError;
use harmony_config::prompt::{Form, Problem};
use serde_json::Value;

use crate::validation::Validator;

/// The questions for one key, and the check its answers must pass.
pub(crate) struct Questions {
    form: Form,
    validator: Validator,
}

impl Questions {
    /// Reads the questions off `config`'s schema; the error says why the schema is unusable.
    pub(crate) fn new(config: &GeneratedConfig) -> Result<Self, String> {
        Ok(Self {
            validator: Validator::new(&config.key, &config.schema)?,
            form: Form::new(&config.key, &config.schema, &[]),
        })
    }

    /// Asks every field, offering `current`, then whatever the answers still lack.
    pub(crate) async fn ask_all(&self, current: Option<&Value>) -> Result<Value, ConfigError> {
        let answers = self.form.ask_all(current).await?;
        self.repair(answers).await
    }

    /// Asks only for what `value` lacks, keeping the rest.
    pub(crate) async fn repair(&self, value: Value) -> Result<Value, ConfigError> {
        self.form.repair(value, |v| self.validator.problem(v)).await
    }

    /// The first thing the schema finds wrong with `value`.
    pub(crate) fn problem(&self, value: &Value) -> Option<Problem> {
        self.validator.problem(value)
    }

    /// The check the answers pass.
    pub(crate) fn validator(&self) -> &Validator {
        &self.validator
    }
}
