use harmony_config::Config;
use serde::{Deserialize, Serialize};

#[derive(Config, Serialize, Deserialize, schemars::JsonSchema, Clone)]
#[serde(try_from = "String", into = "String")]
struct Token {
    value: String,
}

impl TryFrom<String> for Token {
    type Error = std::convert::Infallible;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Ok(Self { value })
    }
}

impl From<Token> for String {
    fn from(token: Token) -> Self {
        token.value
    }
}

fn main() {}
