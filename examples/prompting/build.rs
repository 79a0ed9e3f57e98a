//! Generates `config`, this crate's typed accessors, into `OUT_DIR`.

fn main() -> Result<(), harmony_build::Error> {
    harmony_build::generate()
}
