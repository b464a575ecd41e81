//! End-to-end tests: the real `guestissuer` binary, run as a user would run it, with every output
//! stream and the exit status snapshotted. One test binary, so the workspace links it once.

mod batch;
mod completions;
mod guests;
mod hardening;
mod help;
mod helpers;
mod network;
mod offline;
mod plugins;
mod protocol;
mod server;
mod service_app;
