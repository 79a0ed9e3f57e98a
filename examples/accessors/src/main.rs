//! Typed accessors generated from the config structs of this crate.
//!
//! ```text
//! cargo run -p example-accessors                      # lists every key, with its variable
//! HARMONY_CONFIG_example_accessors_Server='{"host":"db","port":5432,"password":"pw"}' \
//!     cargo run -p example-accessors -- show          # resolves the server config
//! ```

use std::error::Error;
use std::io::Write;
use std::process::ExitCode;

mod net;

harmony_config::include_generated!();

#[tokio::main]
async fn main() -> ExitCode {
    let show = std::env::args().nth(1).as_deref() == Some("show");
    exit_code(if show {
        show_server().await
    } else {
        list_keys()
    })
}

/// Every key of this binary, from the generated registry.
fn list_keys() -> Result<(), Box<dyn Error>> {
    let mut out = std::io::stdout();
    for info in config::ALL {
        writeln!(
            out,
            "{}\t{}\t{}\t{}:{}",
            info.key, info.type_path, info.env_var, info.file, info.line
        )?;
    }
    Ok(())
}

async fn show_server() -> Result<(), Box<dyn Error>> {
    let server = config::example_accessors_server().await?;
    writeln!(
        std::io::stdout(),
        "server {}:{} (password: {} characters)",
        server.host,
        server.port,
        server.password.expose().len()
    )?;
    Ok(())
}

/// How the run ended: a reader that closed stdout (`| head`) ends it quietly, as `cat` does; a
/// write that failed (a full disk) is exit code 2; anything else is a config error.
fn exit_code(result: Result<(), Box<dyn Error>>) -> ExitCode {
    let Err(error) = result else {
        return ExitCode::SUCCESS;
    };
    match error.downcast_ref::<std::io::Error>() {
        Some(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::from(141),
        Some(e) => {
            let _ = writeln!(std::io::stderr(), "error: could not write the output: {e}");
            ExitCode::from(2)
        }
        None => {
            let _ = writeln!(std::io::stderr(), "error: {error}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::config;

    #[test]
    fn the_registry_describes_each_key() {
        let [info] = config::ALL else {
            panic!("one key expected: {:?}", config::ALL)
        };
        assert_eq!(info.key, "example.accessors.Server");
        assert_eq!(info.type_path, "crate::net::Server");
        assert_eq!(info.env_var, "HARMONY_CONFIG_example_accessors_Server");
        assert_eq!(info.secret_fields, ["password"]);
        assert_eq!((info.file, info.line), ("src/net.rs", 11));
        assert!(
            info.docs
                .starts_with("The database server.\n\nEvery instance"),
            "{:?}",
            info.docs
        );

        let schema: serde_json::Value = serde_json::from_str(info.schema).unwrap();
        assert_eq!(schema["title"], "The database server.");
        assert_eq!(schema["required"], serde_json::json!(["host", "password"]));
        assert_eq!(schema["properties"]["password"]["writeOnly"], true);
        let order: Vec<&String> = schema["properties"].as_object().unwrap().keys().collect();
        assert_eq!(
            order,
            ["host", "port", "password", "tls"],
            "declaration order"
        );
    }
}
