use std::io::{Read, Write};

use crate::net::{connect_hyper, Connect};
use crate::Log;

/// Everything a command may touch: its streams, environment, clock and output options.
///
/// Commands never reach for the process's own stdout, environment or clock, so a test can run any
/// of them with in-memory streams, a fixed environment and a fixed `now`.
pub struct Context<'a> {
    /// Data: the token, the JSON document. Nothing else.
    pub out: &'a mut dyn Write,
    /// The one human line, errors and debug lines.
    pub err: &'a mut dyn Write,
    /// Where `-` reads a token from.
    pub stdin: &'a mut dyn Read,
    env: &'a dyn Fn(&str) -> Option<String>,
    /// The current time, Unix seconds.
    pub now: u64,
    /// `--json`: one JSON document on stdout, JSON errors on stderr.
    pub json: bool,
    /// Debug logging filter (`-v`, `DEBUG`).
    pub log: Log,
    /// Opens the transport, when a command needs the network (tests replace it).
    pub connect: Box<Connect>,
    /// This program's path for external commands (`GUESTISSUER_BIN`); `None`: the running
    /// executable, looked up only when an external command runs.
    pub bin: Option<std::path::PathBuf>,
}

impl<'a> Context<'a> {
    /// A context over the given streams, environment lookup and time.
    pub fn new(
        out: &'a mut dyn Write,
        err: &'a mut dyn Write,
        stdin: &'a mut dyn Read,
        env: &'a dyn Fn(&str) -> Option<String>,
        now: u64,
    ) -> Self {
        Context {
            out,
            err,
            stdin,
            env,
            now,
            json: false,
            log: Log::default(),
            connect: Box::new(connect_hyper),
            bin: None,
        }
    }

    /// An environment variable; empty counts as unset, as in the original tool.
    pub fn var(&self, name: &str) -> Option<String> {
        (self.env)(name).filter(|v| !v.is_empty())
    }

    /// Writes one debug line for namespace `ns` (e.g. `guest:create`) when it is enabled.
    /// Callers shorten tokens and never pass secrets.
    pub fn debug(&mut self, ns: &str, message: impl FnOnce() -> String) {
        if self.log.enabled(ns) {
            let _ = writeln!(self.err, "  {ns} {}", message());
        }
    }
}
