//! Discovery: from a crate's targets, through its module tree, to its config items.
//!
//! This is step 3 of the data flow, before any model is built:
//!
//! 1. [`targets`] reads `Cargo.toml` and lists the lib, bins and examples, the way cargo
//!    infers them, without calling cargo.
//! 2. [`module_tree`] walks one target's modules the way rustc resolves them: `mod x;` to
//!    `x.rs` or `x/mod.rs`, the directory rules for non-mod.rs files, `#[path]`, and inline
//!    modules. Only files containing [`MARKER`] are parsed with syn; the others are read by a
//!    text scan that finds their `mod` items while skipping comments and literals.
//! 3. [`ModuleTree::config_items`] lists every `#[derive(.., Config)]` type with its module
//!    path, location, cfgs and the [`Visibility`] of the type and of each module on its path; [`ModuleTree::parsed`] parses any other file on demand.
//!
//! Nothing here panics or stops at the first problem: each one becomes a [`Diagnostic`] at
//! `file:line:col`, and the walk goes on.
//!
//! ```no_run
//! use std::path::Path;
//! use harmony_codegen::scan;
//!
//! # fn main() -> Result<(), scan::ScanError> {
//! for target in scan::targets(Path::new("."), false)? {
//!     let tree = scan::module_tree(&target.root);
//!     for problem in tree.diagnostics() {
//!         eprintln!("{problem}");
//!     }
//!     for item in tree.config_items() {
//!         println!("{}: {}::{}", target.crate_name, item.module_path.join("::"), item.name);
//!     }
//! }
//! # Ok(())
//! # }
//! ```
//!
//! Not evaluated: `cfg`s (they are recorded, not decided, so every `mod` is followed),
//! `cfg_attr(.., path = ..)` (reported), and `mod` items produced by macros.

mod attrs;
mod decls;
mod diagnostic;
mod items;
mod lexer;
mod resolve;
mod targets;
mod text;
mod tree;
mod vis;

pub use attrs::{ModAttrs, PathAttr};
pub use decls::{FileDecls, ModDecl};
pub use diagnostic::{Diagnostic, DiagnosticKind};
pub use items::{ConfigItem, ConfigItemRef};
pub use targets::{ScanError, Target, TargetKind, targets};
pub use text::TextError;
pub use tree::{Location, MARKER, ModuleFile, ModuleTree, ScanOptions, module_tree};
pub use vis::Visibility;
