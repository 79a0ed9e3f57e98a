//! The questions themselves, with inquire: one widget per [`Kind`], nested structs under a
//! heading. Everything here blocks its thread; `super` runs it on `spawn_blocking`.

use inquire::validator::Validation;
use inquire::{Confirm, InquireError, Password, PasswordDisplayMode, Select, Text};
use serde_json::Value;

use super::answer::{display, fits, hint, parse};
use crate::schema::{Field, Kind};

const NONE_CHOICE: &str = "(none)";

/// Asks for `field` and everything below it, offering `current` (or the schema's default).
///
/// Returns `None` when the field is left out, so serde's default applies. Keys of `current`
/// that the schema does not list are kept: another branch of the code may still use them.
pub(crate) fn ask(
    field: &Field,
    label: &str,
    current: Option<&Value>,
) -> Result<Option<Value>, InquireError> {
    // A stored value that no longer fits is not offered: Enter would only repeat the problem.
    let current = current
        .filter(|c| fits(&field.kind, c))
        .or(field.default.as_ref());
    match &field.kind {
        Kind::Object(fields) => ask_object(field, fields, label, current),
        Kind::Choice(choices) => ask_choice(field, choices, label, current),
        Kind::Bool if !field.nullable => {
            let mut confirm = Confirm::new(label);
            confirm = match current.and_then(Value::as_bool) {
                Some(current) => confirm.with_default(current),
                None => confirm.with_placeholder("y/n"),
            };
            let help = help(field, None);
            if let Some(help) = &help {
                confirm = confirm.with_help_message(help);
            }
            confirm.prompt().map(|b| Some(Value::Bool(b)))
        }
        kind => ask_text(field, kind, label, current),
    }
}

fn ask_object(
    field: &Field,
    fields: &[Field],
    label: &str,
    current: Option<&Value>,
) -> Result<Option<Value>, InquireError> {
    if !label.is_empty() {
        if field.nullable || field.omittable {
            let present = current.is_some_and(|c| !c.is_null());
            let question = format!("Set {label}?");
            let mut confirm = Confirm::new(&question).with_default(present);
            if let Some(help) = &field.help {
                confirm = confirm.with_help_message(help);
            }
            if !confirm.prompt()? {
                return Ok(leave_empty(field));
            }
        }
        match &field.help {
            Some(help) => eprintln!("{label}: {help}"),
            None => eprintln!("{label}:"),
        }
    }
    let mut object = match current {
        Some(Value::Object(map)) => map.clone(),
        _ => serde_json::Map::new(),
    };
    for sub in fields {
        let sub_label = if label.is_empty() {
            sub.name.clone()
        } else {
            format!("{label}.{}", sub.name)
        };
        match ask(sub, &sub_label, object.get(&sub.name))? {
            Some(value) => object.insert(sub.name.clone(), value),
            None => object.remove(&sub.name),
        };
    }
    Ok(Some(Value::Object(object)))
}

fn ask_choice(
    field: &Field,
    choices: &[String],
    label: &str,
    current: Option<&Value>,
) -> Result<Option<Value>, InquireError> {
    let mut options: Vec<&str> = choices.iter().map(String::as_str).collect();
    if field.nullable || field.omittable {
        options.push(NONE_CHOICE);
    }
    let start = current
        .and_then(Value::as_str)
        .and_then(|c| options.iter().position(|o| *o == c))
        .unwrap_or(0);
    let mut select = Select::new(label, options).with_starting_cursor(start);
    if let Some(help) = &field.help {
        select = select.with_help_message(help);
    }
    Ok(match select.prompt()? {
        NONE_CHOICE => leave_empty(field),
        choice => Some(Value::String(choice.to_owned())),
    })
}

/// Typed input: text, numbers, lists, maps and JSON, masked when secret.
fn ask_text(
    field: &Field,
    kind: &Kind,
    label: &str,
    current: Option<&Value>,
) -> Result<Option<Value>, InquireError> {
    let can_be_empty =
        field.nullable || field.omittable || matches!(kind, Kind::List(_) | Kind::Map(_));
    // A masked answer cannot be prefilled, so an empty one keeps the current secret.
    let keeps_current = field.secret && current.is_some();
    let validator = {
        let kind = kind.clone();
        let empty_ok = can_be_empty || keeps_current;
        move |text: &str| {
            Ok(if text.trim().is_empty() && !empty_ok {
                Validation::Invalid("a value is required".into())
            } else if text.trim().is_empty() {
                Validation::Valid
            } else {
                match parse(&kind, text) {
                    Ok(_) => Validation::Valid,
                    Err(message) => Validation::Invalid(message.into()),
                }
            })
        }
    };
    let note = if keeps_current {
        Some("leave empty to keep the current value")
    } else if field.nullable {
        Some("leave empty for none")
    } else if field.omittable {
        Some("leave empty for the default")
    } else {
        None
    };
    let help = help(field, note);
    let text = if field.secret {
        let mut password = Password::new(label)
            .without_confirmation()
            .with_display_mode(PasswordDisplayMode::Masked)
            .with_validator(validator);
        if let Some(help) = &help {
            password = password.with_help_message(help);
        }
        password.prompt()?
    } else {
        let shown = current.filter(|c| !c.is_null()).map(display);
        let mut text = Text::new(label).with_validator(validator);
        if let Some(shown) = &shown {
            text = text.with_default(shown);
        }
        if let Some(help) = &help {
            text = text.with_help_message(help);
        }
        text.prompt()?
    };
    if !text.trim().is_empty() {
        return parse(kind, &text)
            .map(Some)
            .map_err(|message| InquireError::Custom(message.into()));
    }
    Ok(match (keeps_current, current) {
        (true, Some(current)) => Some(current.clone()),
        _ if field.nullable || field.omittable => leave_empty(field),
        _ => parse(kind, "").ok(),
    })
}

/// A field answered with nothing: `null` for an `Option`, else left out for serde's default.
fn leave_empty(field: &Field) -> Option<Value> {
    field.nullable.then_some(Value::Null)
}

/// The doc comment, how to type the value, and what an empty answer does, on one line.
fn help(field: &Field, note: Option<&str>) -> Option<String> {
    let parts: Vec<String> = [
        field.help.clone(),
        hint(&field.kind),
        note.map(str::to_owned),
    ]
    .into_iter()
    .flatten()
    .collect();
    (!parts.is_empty()).then(|| parts.join(" · "))
}
