//! Types the fidelity suite's configs use from another crate of the workspace, as a shared
//! `types` crate holds them: re-exported from a private module, one under a new name.

mod limits;

pub use limits::{Level, Limits as Bounds};
