//! One module per command, each parsing nothing and printing through [`crate::output`]: the
//! arguments come from [`crate::cli`], the rules from the runtime and codegen.

pub(crate) mod doctor;
pub(crate) mod explain;
pub(crate) mod get;
pub(crate) mod init;
pub(crate) mod list;
pub(crate) mod login;
pub(crate) mod openbao_setup;
pub(crate) mod prompt;
pub(crate) mod push;
pub(crate) mod schema;
pub(crate) mod set;
pub(crate) mod sync;
pub(crate) mod unset;
