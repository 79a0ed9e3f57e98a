//! Environment: malformed values, values at the OS limit, and key names with path separators,
//! NUL or unicode. They go through `EnvSource::with_lookup`, since the OS refuses some of them;
//! invalid UTF-8, which a `String` lookup cannot carry, and the real limit go through the real
//! environment of a child process. Each gives a clear error or the exact value, never a panic,
//! and no error quotes the secret.

use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;
use std::sync::{Arc, Mutex};

use harmony_config::{Config, ConfigError, ConfigManager, ConfigSource, EnvSource, env_var_name};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::common::children::{child_command, runtime};
use crate::report::{Case, Outcome, Tally};

pub(crate) const MALFORMED: Case = Case::new("env: malformed values", malformed);
pub(crate) const OS_LIMIT: Case = Case::new("env: values at the OS limit (128 KiB)", os_limit);
pub(crate) const KEY_NAMES: Case =
    Case::new("env: keys with path separators, NUL, unicode", key_names);
pub(crate) const ROLE: &str = "env";

/// In every malformed value; no error may quote it.
const SECRET: &str = "s3cr3t-env-value";
/// Linux's `MAX_ARG_STRLEN`: the longest `NAME=value` string, with its NUL, that `execve`
/// takes (32 pages of 4 KiB).
const MAX_ARG_STRLEN: usize = 128 * 1024;

/// A config with a secret, read from `HARMONY_CONFIG_reliability_Login`.
#[derive(Config, Serialize, Deserialize, schemars::JsonSchema, Debug, PartialEq)]
#[config(key = "reliability.Login")]
struct Login {
    user: String,
    #[config(secret)]
    password: String,
    port: u16,
}

fn var() -> String {
    env_var_name(Login::KEY)
}

/// In a child: reads [`Login`] from the real environment, and prints `ok JSON` or `err MESSAGE`.
pub(crate) fn child(_: &Path, _: usize) {
    let manager = ConfigManager::new(vec![Arc::new(EnvSource)]);
    match runtime().block_on(manager.get::<Login>()) {
        Ok(login) => println!("ok {}", serde_json::to_string(&login).unwrap()),
        Err(e) => println!("err {e}"),
    }
}

/// Reads [`Login`] through a lookup that holds `text` in its variable, catching any panic.
fn read_injected(text: &str) -> Result<Result<Login, ConfigError>, String> {
    let (var, text) = (var(), text.to_owned());
    let manager = ConfigManager::new(vec![Arc::new(EnvSource::with_lookup(move |name| {
        (name == var).then(|| text.clone())
    }))]);
    catch_unwind(AssertUnwindSafe(|| {
        runtime().block_on(manager.get::<Login>())
    }))
    .map_err(|panic| {
        panic
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()))
            .unwrap_or_default()
    })
}

/// Reads [`Login`] in a child whose real environment holds `value`; the child's line, or why
/// the OS refused to start it.
fn read_in_child(value: &[u8]) -> std::io::Result<String> {
    let out = child_command(&[], &[ROLE], Path::new(""), 0, 0)
        .env(var(), OsStr::from_bytes(value))
        .output()?;
    Ok(format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout).trim_end(),
        String::from_utf8_lossy(&out.stderr).trim_end()
    ))
}

/// The kind of error a malformed value must give.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Expect {
    /// Not JSON: names the variable and the position.
    Parse,
    /// JSON, but not an object: names the key and the source.
    NotAnObject,
    /// An object that does not fit `Login`: names the key, the source and the field.
    Invalid,
    /// Not UTF-8: names the variable.
    NotUnicode,
    /// Nested deeper than the depth limit: names the variable and the position.
    TooDeep,
}

fn kind(error: &ConfigError) -> Option<Expect> {
    match error {
        ConfigError::Parse { .. } => Some(Expect::Parse),
        ConfigError::NotAnObject { .. } => Some(Expect::NotAnObject),
        ConfigError::Invalid { .. } => Some(Expect::Invalid),
        ConfigError::EnvNotUnicode { .. } => Some(Expect::NotUnicode),
        ConfigError::TooDeep { .. } => Some(Expect::TooDeep),
        _ => None,
    }
}

/// A [`Login`] as JSON, with `password` inserted as it is.
fn fits(password: &str) -> String {
    format!(r#"{{"user": "u", "password": "{password}", "port": 1}}"#)
}

/// The malformed values, and the error each must give.
fn malformed_inputs() -> Vec<(&'static str, String, Expect)> {
    let nested = |depth: usize| format!("{}\"{SECRET}\"{}", "[".repeat(depth), "]".repeat(depth));
    vec![
        (
            "cut short",
            format!(r#"{{"user": "u", "password": "{SECRET}"#),
            Expect::Parse,
        ),
        ("not JSON", format!("password={SECRET}"), Expect::Parse),
        (
            "single quotes",
            format!("{{'user': 'u', 'password': '{SECRET}'}}"),
            Expect::Parse,
        ),
        (
            "trailing text",
            format!("{} {SECRET}", fits(SECRET)),
            Expect::Parse,
        ),
        (
            "raw control character",
            fits(&format!("{SECRET}\u{1}")),
            Expect::Parse,
        ),
        (
            "NUL in the value",
            fits(&format!("{SECRET}\0")),
            Expect::Parse,
        ),
        (
            "lone surrogate escape",
            fits(&format!(r"\ud800{SECRET}")),
            Expect::Parse,
        ),
        (
            "byte-order mark",
            format!("\u{feff}{}", fits(SECRET)),
            Expect::Parse,
        ),
        ("empty", String::new(), Expect::Parse),
        ("whitespace only", " \n\t ".to_owned(), Expect::Parse),
        (
            "number out of f64 range",
            r#"{"port": 1e400}"#.to_owned(),
            Expect::Parse,
        ),
        (
            "arrays nested 100 000 deep",
            nested(100_000),
            Expect::TooDeep,
        ),
        (
            "objects nested 100 000 deep",
            r#"{"a": "#.repeat(100_000),
            Expect::TooDeep,
        ),
        ("a string", format!("\"{SECRET}\""), Expect::NotAnObject),
        ("an array", format!("[\"{SECRET}\"]"), Expect::NotAnObject),
        ("a number", "4711".to_owned(), Expect::NotAnObject),
        ("null", "null".to_owned(), Expect::NotAnObject),
        ("a boolean", "true".to_owned(), Expect::NotAnObject),
        (
            "secret nested 90 deep",
            format!(r#"{{"user": "u", "password": {}, "port": 1}}"#, nested(90)),
            Expect::Invalid,
        ),
        (
            "secret nested 120 deep, past the depth limit",
            format!(r#"{{"user": "u", "password": {}, "port": 1}}"#, nested(120)),
            Expect::TooDeep,
        ),
        (
            "the secret where a number belongs",
            format!(r#"{{"user": "u", "password": "p", "port": "{SECRET}"}}"#),
            Expect::Invalid,
        ),
        (
            "port out of range",
            r#"{"user": "u", "password": "p", "port": 70000}"#.to_owned(),
            Expect::Invalid,
        ),
        (
            "missing field",
            format!(r#"{{"user": "u", "password": "{SECRET}"}}"#),
            Expect::Invalid,
        ),
    ]
}

fn malformed() -> Outcome {
    let inputs = malformed_inputs();
    let mut tally = Tally::new("values");
    for (what, text, expect) in &inputs {
        tally.tried(1);
        match read_injected(text) {
            Err(panic) => tally.error(format!("{what}: panicked: {panic}")),
            Ok(Ok(_)) => tally.error(format!("{what}: accepted")),
            Ok(Err(error)) => {
                check_error(&mut tally, what, &error.to_string(), kind(&error), *expect);
            }
        }
    }
    // Invalid UTF-8 cannot pass through a `String` lookup, but the real environment holds it.
    tally.tried(1);
    let mut bytes = fits(SECRET).into_bytes();
    bytes.insert(20, 0xff);
    match read_in_child(&bytes) {
        Ok(line) => match line.strip_prefix("err ") {
            Some(message) => {
                let found = message
                    .contains("not valid UTF-8")
                    .then_some(Expect::NotUnicode);
                check_error(
                    &mut tally,
                    "invalid UTF-8 (real environment)",
                    message,
                    found,
                    Expect::NotUnicode,
                );
            }
            None => tally.error(format!("invalid UTF-8: {line}")),
        },
        Err(e) => tally.error(format!("invalid UTF-8: the child did not start: {e}")),
    }
    Outcome::Ran(tally)
}

/// A clear error: the kind expected, naming the variable or the key, without the secret.
fn check_error(
    tally: &mut Tally,
    what: &str,
    message: &str,
    found: Option<Expect>,
    expect: Expect,
) {
    tally.check(found == Some(expect), || {
        format!("{what}: expected a {expect:?} error, got: {message}")
    });
    tally.check(
        message.contains(&var()) || message.contains(Login::KEY),
        || format!("{what}: names neither the variable nor the key: {message}"),
    );
    tally.check(!message.contains(SECRET), || {
        format!("{what}: quotes the secret: {message}")
    });
}

/// A [`Login`] whose JSON text is exactly `len` bytes long, its password made of `unit`s.
fn login_of_len(len: usize, unit: &str) -> (Login, String) {
    let mut login = Login {
        user: "u".to_owned(),
        password: String::new(),
        port: 1,
    };
    let base = serde_json::to_string(&login).unwrap().len();
    login.password = unit.repeat((len - base) / unit.len());
    login
        .password
        .push_str(&"x".repeat(len - base - login.password.len()));
    let text = serde_json::to_string(&login).unwrap();
    assert_eq!(text.len(), len);
    (login, text)
}

fn os_limit() -> Outcome {
    // The longest value the OS passes: `NAME=value` and its NUL fill MAX_ARG_STRLEN.
    let max = MAX_ARG_STRLEN - var().len() - 2;
    let mut tally = Tally::new("values");
    let injected = [
        ("ASCII, at the limit", login_of_len(max, "a")),
        ("two-byte UTF-8, at the limit", login_of_len(max, "é")),
        ("four-byte UTF-8, at the limit", login_of_len(max, "🦀")),
        ("1 MiB, beyond the OS limit", login_of_len(1024 * 1024, "b")),
    ];
    for (what, (login, text)) in &injected {
        tally.tried(1);
        match read_injected(text) {
            Ok(Ok(read)) if read == *login => {}
            Ok(Ok(_)) => tally.lost(format!("{what}: read a different value")),
            Ok(Err(e)) => tally.error(format!("{what}: {e}")),
            Err(panic) => tally.error(format!("{what}: panicked: {panic}")),
        }
    }
    // And the real environment, at the limit and one byte beyond it.
    tally.tried(1);
    let (login, text) = login_of_len(max, "r");
    match read_in_child(text.as_bytes()) {
        Ok(line) if line == format!("ok {text}") => {}
        Ok(line) if line.starts_with("ok ") => {
            tally.lost("real environment, at the limit: read a different value");
        }
        Ok(line) => tally.error(format!("real environment, at the limit: {line}")),
        Err(e) => tally.error(format!(
            "real environment, at the limit: the OS refused it: {e}"
        )),
    }
    drop(login);
    let (_, beyond) = login_of_len(max + 1, "r");
    match read_in_child(beyond.as_bytes()) {
        Err(e) if e.raw_os_error() == Some(7) => {
            tally.note(format!(
                "{max} bytes pass through the real environment; one more is refused by the OS ({e})"
            ));
        }
        other => tally.note(format!(
            "this OS takes longer strings than Linux's 128 KiB MAX_ARG_STRLEN: {other:?}"
        )),
    }
    Outcome::Ran(tally)
}

/// A config under a key that `#[derive(Config)]` would refuse.
macro_rules! raw_key {
    ($name:ident, $key:expr) => {
        #[derive(Serialize, Deserialize, schemars::JsonSchema)]
        struct $name {
            k: String,
        }
        impl Config for $name {
            const KEY: &'static str = $key;
        }
    };
}
raw_key!(Slash, "team/app");
raw_key!(Backslash, "team\\app");
raw_key!(Escape, "../../etc/passwd");
raw_key!(Nul, "app\0name");
raw_key!(Cyrillic, "ключ");

/// The manager's answer for `T`: it must be `InvalidKey`, naming the key.
fn manager_refuses<T: Config>(tally: &mut Tally) {
    let manager = ConfigManager::new(vec![Arc::new(EnvSource::with_lookup(|_| {
        Some(r#"{"k": "v"}"#.to_owned())
    }))]);
    let result = catch_unwind(AssertUnwindSafe(|| runtime().block_on(manager.get::<T>())));
    let key = T::KEY;
    tally.tried(1);
    match result {
        Ok(Err(error @ ConfigError::InvalidKey { .. })) => {
            let message = error.to_string();
            tally.check(message.contains(&format!("{key:?}")), || {
                format!("{key:?}: the error does not name the key: {message}")
            });
        }
        Ok(Err(error)) => tally.error(format!("{key:?}: {error}")),
        Ok(Ok(_)) => tally.error(format!("{key:?}: the manager read a key it must refuse")),
        Err(_) => tally.error(format!("{key:?}: panicked")),
    }
}

fn key_names() -> Outcome {
    let keys = [
        "team/app",
        "team\\app",
        "../../etc/passwd",
        "app\0name",
        "app=name",
        "app\nname",
        "ключ",
        "キー.設定",
        "crab🦀",
        "",
        "a.b-c_d",
    ];
    let mut tally = Tally::new("keys");
    for key in keys {
        // The source asks for one variable, whose name the OS accepts, and reads its value.
        tally.tried(1);
        let asked = Arc::new(Mutex::new(Vec::new()));
        let value = json!({ "key": key });
        let source = {
            let (asked, var, text) = (asked.clone(), env_var_name(key), value.to_string());
            EnvSource::with_lookup(move |name| {
                asked.lock().unwrap().push(name.to_owned());
                (name == var).then(|| text.clone())
            })
        };
        match catch_unwind(AssertUnwindSafe(|| runtime().block_on(source.get(key)))) {
            Ok(Ok(Some(read))) if read == value => {}
            Ok(Ok(other)) => tally.lost(format!("{key:?}: read {other:?}")),
            Ok(Err(e)) => tally.error(format!("{key:?}: {e}")),
            Err(_) => tally.error(format!("{key:?}: panicked")),
        }
        let asked = asked.lock().unwrap();
        let portable = |name: &String| {
            !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
        };
        tally.check(asked.len() == 1 && asked.iter().all(portable), || {
            format!("{key:?}: asked for {asked:?}")
        });
        // The real environment: no panic, whatever the key. (A `./.env` with a bad
        // `HARMONY_CONFIG_*` line is the one error it may give.)
        let real: Result<Result<Option<Value>, ConfigError>, _> =
            catch_unwind(|| runtime().block_on(EnvSource.get(key)));
        tally.check(
            matches!(real, Ok(Ok(_) | Err(ConfigError::DotEnv { .. }))),
            || format!("{key:?}: the real environment gave {real:?}"),
        );
    }
    // The manager refuses keys that the derive refuses, with an error naming the key.
    manager_refuses::<Slash>(&mut tally);
    manager_refuses::<Backslash>(&mut tally);
    manager_refuses::<Escape>(&mut tally);
    manager_refuses::<Nul>(&mut tally);
    manager_refuses::<Cyrillic>(&mut tally);
    Outcome::Ran(tally)
}
