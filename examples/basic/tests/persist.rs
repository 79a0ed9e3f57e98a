//! The README's first command: the example stores a value in the default database, and a
//! second run reads it back. Each run is a fresh process with its own data directory.

use std::path::Path;
use std::process::Command;

fn run(data_home: &Path, extra_env: &[(&str, &str)]) -> (bool, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_example-basic"))
        .env_clear()
        .env("HOME", data_home)
        .env("XDG_DATA_HOME", data_home.join("share"))
        .envs(extra_env.iter().copied())
        .current_dir(data_home)
        .output()
        .expect("run the example");
    let text = String::from_utf8_lossy(&output.stdout).into_owned()
        + &String::from_utf8_lossy(&output.stderr);
    (output.status.success(), text)
}

#[test]
fn stores_in_the_default_database_then_reads_back() {
    let home = tempfile::tempdir().unwrap();
    let db = home.path().join("share/harmony/config/config.db");

    let (ok, first) = run(home.path(), &[]);
    assert!(ok, "{first}");
    assert!(
        first.contains(&format!(
            "Stored `example.basic.Greeting` in {}",
            db.display()
        )),
        "{first}"
    );
    assert!(db.exists());

    let (ok, second) = run(home.path(), &[]);
    assert!(ok, "{second}");
    assert!(
        second.contains("Read back `example.basic.Greeting`: hello, world!"),
        "{second}"
    );

    let (ok, from_env) = run(
        home.path(),
        &[("HARMONY_CONFIG_example_basic_Greeting", r#"{"name":"env"}"#)],
    );
    assert!(ok, "{from_env}");
    assert!(from_env.contains("hello, env!"), "{from_env}");

    std::fs::remove_dir_all(home.path().join("share")).unwrap();
    let (ok, after_delete) = run(home.path(), &[]);
    assert!(ok, "{after_delete}");
    assert!(
        after_delete.contains("Stored"),
        "after the data directory is deleted, it starts afresh: {after_delete}"
    );
}

#[test]
fn harmony_db_overrides_the_path_and_bad_json_is_an_error() {
    let home = tempfile::tempdir().unwrap();
    let custom = home.path().join("custom/my.db");
    let custom_text = custom.display().to_string();

    let (ok, first) = run(home.path(), &[("HARMONY_DB", &custom_text)]);
    assert!(
        ok && first.contains(&format!("in {custom_text}")),
        "{first}"
    );
    assert!(!home.path().join("share").exists());

    let (ok, bad) = run(
        home.path(),
        &[("HARMONY_CONFIG_example_basic_Greeting", "{\"name\":")],
    );
    assert!(!ok);
    assert!(
        bad.contains("error: HARMONY_CONFIG_example_basic_Greeting does not hold valid JSON"),
        "{bad}"
    );
}

#[test]
fn dotenv_lines_count_and_real_variables_win() {
    let home = tempfile::tempdir().unwrap();
    std::fs::write(
        home.path().join(".env"),
        "OTHER_TOOL=1\nHARMONY_CONFIG_example_basic_Greeting='{\"name\":\"dotenv\"}'\n",
    )
    .unwrap();

    let (ok, from_dotenv) = run(home.path(), &[]);
    assert!(
        ok && from_dotenv.contains("hello, dotenv!"),
        "{from_dotenv}"
    );

    let (ok, from_env) = run(
        home.path(),
        &[("HARMONY_CONFIG_example_basic_Greeting", r#"{"name":"env"}"#)],
    );
    assert!(ok && from_env.contains("hello, env!"), "{from_env}");
}

#[test]
fn a_value_from_the_environment_is_read_without_opening_the_database() {
    let home = tempfile::tempdir().unwrap();
    let db = home.path().join("damaged.db");
    let garbage = b"not a database at all, but long enough to look like one".repeat(100);
    std::fs::write(&db, &garbage).unwrap();
    let db = db.display().to_string();

    let (ok, output) = run(
        home.path(),
        &[
            ("HARMONY_DB", db.as_str()),
            ("HARMONY_CONFIG_example_basic_Greeting", r#"{"name":"env"}"#),
        ],
    );
    assert!(ok, "{output}");
    assert!(output.contains("hello, env!"), "{output}");

    // Without the variable, the damaged database is reported, and left as it was.
    let (ok, output) = run(home.path(), &[("HARMONY_DB", db.as_str())]);
    assert!(!ok, "{output}");
    assert!(output.contains("not a SQLite database"), "{output}");
    assert_eq!(std::fs::read(&db).unwrap(), garbage);
}

/// A reader that closed stdout ends the example quietly, as `cat` ends; a full disk is an
/// error with exit code 2. Neither panics.
#[test]
fn a_closed_pipe_ends_quietly_and_a_full_disk_is_an_error() {
    let home = tempfile::tempdir().unwrap();
    let example = || {
        let mut command = Command::new(env!("CARGO_BIN_EXE_example-basic"));
        command
            .env_clear()
            .env(
                "HARMONY_CONFIG_example_basic_Greeting",
                r#"{"name":"pipe"}"#,
            )
            .current_dir(home.path());
        command
    };
    let (reader, writer) = std::io::pipe().expect("a pipe");
    drop(reader);
    let closed = example().stdout(writer).output().expect("run the example");
    assert_eq!(closed.status.code(), Some(141));
    assert_eq!(String::from_utf8_lossy(&closed.stderr), "");

    let full = std::fs::File::create("/dev/full").expect("/dev/full");
    let output = example()
        .stdout(std::process::Stdio::from(full))
        .output()
        .expect("run the example");
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.starts_with("error: could not write the output: No space left on device"),
        "{stderr}"
    );
}

#[test]
fn a_log_filter_that_does_not_parse_is_reported_and_an_empty_one_is_unset() {
    let home = tempfile::tempdir().unwrap();
    for name in ["HARMONY_LOG", "RUST_LOG"] {
        let (ok, out) = run(home.path(), &[(name, "harmony_config=loudest")]);
        assert!(
            ok && out.contains(&format!("warning: {name}: "))
                && out.contains("logging warnings only"),
            "{out}"
        );
    }
    let (ok, out) = run(home.path(), &[("HARMONY_LOG", ""), ("RUST_LOG", "debug")]);
    assert!(ok && out.contains("DEBUG"), "{out}");
}
