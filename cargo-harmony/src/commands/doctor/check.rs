//! One finding of `doctor`: what was checked, how it went, and how to fix it.

use serde_json::{Map, Value};

use crate::error::Error;
use crate::output::{Message, Output};

/// How a check went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Status {
    Ok,
    /// Worth a look, but nothing is broken: exit code 0.
    Warn,
    /// Something is broken or unsafe: exit code 1.
    Problem,
}

impl Status {
    fn as_str(self) -> &'static str {
        match self {
            Self::Ok => "ok",
            Self::Warn => "warn",
            Self::Problem => "problem",
        }
    }
}

/// One finding.
pub(super) struct Check {
    /// A stable name for tools: `database`, `database-integrity`, `env-var`, ...
    name: &'static str,
    pub(super) status: Status,
    message: String,
    fix: Option<String>,
    /// Fields for `--message-format json`: `path`, `key`, `source`, `field`, ...
    details: Map<String, Value>,
}

impl Check {
    pub(super) fn new(name: &'static str, status: Status, message: impl Into<String>) -> Self {
        Self {
            name,
            status,
            message: message.into(),
            fix: None,
            details: Map::new(),
        }
    }

    pub(super) fn fix(mut self, fix: impl Into<String>) -> Self {
        self.fix = Some(fix.into());
        self
    }

    pub(super) fn detail(mut self, name: &str, value: impl Into<Value>) -> Self {
        self.details.insert(name.to_owned(), value.into());
        self
    }

    pub(super) fn print(&self, out: &Output) -> Result<(), Error> {
        let human = match &self.fix {
            Some(fix) => format!(
                "{:<8} {}\n{:<8}   fix: {fix}",
                self.status.as_str(),
                self.message,
                ""
            ),
            None => format!("{:<8} {}", self.status.as_str(), self.message),
        };
        let message = Message::Check {
            check: self.name.to_owned(),
            status: self.status.as_str().to_owned(),
            message: self.message.clone(),
            fix: self.fix.clone(),
            details: self.details.clone(),
        };
        out.emit(&message, &human)
    }
}

pub(super) fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
