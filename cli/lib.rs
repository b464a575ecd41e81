//! The `guestissuer` command line, as a library so that tests can run every command in-process
//! with a fixed clock and in-memory streams.
//!
//! Each built-in command is a self-contained unit in `commands/` implementing [`Command`]; the
//! registry in `commands/mod.rs` lists them. [`run`] dispatches one command line.

#![forbid(unsafe_code)]

mod app;
mod batch;
mod commands;
pub mod completions;
mod context;
mod credentials;
mod failure;
mod help;
mod input;
mod log;
pub mod manpage;
mod net;
mod plugins;
pub mod rows;
#[cfg(test)]
mod testing;

pub use app::{run, run_os};
pub use commands::{Builtin, Command, BUILTINS};
pub use context::Context;
pub use failure::{Failure, Kind};
pub use log::{glob, Log};
