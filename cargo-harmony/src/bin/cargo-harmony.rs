//! `cargo harmony`: cargo runs this binary as `cargo-harmony harmony <args>`.

fn main() -> std::process::ExitCode {
    cargo_harmony::run(std::env::args_os())
}
