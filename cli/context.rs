use std::ffi::{OsStr, OsString};
use std::io::{Read, Write};
use std::path::PathBuf;

use guestissuer_transport::Clock;

use crate::net::{connect_hyper, Connect};
use crate::Log;

/// Everything a command may touch: its streams, environment, clock and output options.
///
/// Commands never reach for the process's own stdout, environment or clock, so a test can run any
/// of them with in-memory streams, a fixed environment and a virtual clock.
pub struct Context<'a> {
    /// Data: the token, the JSON document. Nothing else.
    pub out: &'a mut dyn Write,
    /// The one human line, errors and debug lines.
    pub err: &'a mut dyn Write,
    /// Where `-` reads a token from.
    pub stdin: &'a mut dyn Read,
    env: &'a dyn Fn(&str) -> Option<OsString>,
    /// The process's one clock: wall time for expiries, monotonic time and waits for the
    /// network's time budget.
    pub clock: &'a mut dyn Clock,
    /// `--json`: one JSON document on stdout, JSON errors on stderr.
    pub json: bool,
    /// Debug logging filter (`-v`, `DEBUG`).
    pub log: Log,
    /// Opens the transport, when a command needs the network (tests replace it).
    pub connect: Box<Connect>,
    /// Why the clock the process was given cannot be trusted (an invalid `GUESTISSUER_NOW`): the
    /// commands that read the time fail with it; help and version do not.
    pub clock_problem: Option<String>,
    /// The file paths of the command line that are not UTF-8, which reach the commands as
    /// placeholders (see [`Context::path`]).
    pub raw_args: Vec<OsString>,
    /// This program's path for external commands (`GUESTISSUER_BIN`); `None`: the running
    /// executable, looked up only when an external command runs.
    pub bin: Option<std::path::PathBuf>,
}

impl<'a> Context<'a> {
    /// A context over the given streams, environment lookup and clock.
    pub fn new(
        out: &'a mut dyn Write,
        err: &'a mut dyn Write,
        stdin: &'a mut dyn Read,
        env: &'a dyn Fn(&str) -> Option<OsString>,
        clock: &'a mut dyn Clock,
    ) -> Self {
        Context {
            out,
            err,
            stdin,
            env,
            clock,
            json: false,
            log: Log::default(),
            connect: Box::new(connect_hyper),
            raw_args: Vec::new(),
            clock_problem: None,
            bin: None,
        }
    }

    /// The current time in Unix seconds, rounded as the original tool's
    /// `Math.round(Date.now() / 1000)`.
    pub fn now(&self) -> u64 {
        self.clock.unix_seconds()
    }

    /// Writes the command's data (a token, a JSON document) and a newline to stdout, and flushes
    /// it: a write that fails (a full disk) fails the command before its human line is written,
    /// so nothing claims success for data that was lost. Every command writes its data here.
    pub fn data(&mut self, data: impl std::fmt::Display) -> Result<(), crate::Failure> {
        writeln!(self.out, "{data}")?;
        Ok(self.out.flush()?)
    }

    /// An environment variable; empty counts as unset, as in the original tool. A value that is
    /// not UTF-8 is an input error that names the variable (never its value, which may be a
    /// secret).
    pub fn var(&self, name: &str) -> Result<Option<String>, crate::Failure> {
        match self.var_os(name) {
            None => Ok(None),
            Some(value) => value.into_string().map(Some).map_err(|_| {
                crate::Failure::usage(format!(
                    "{name} is not valid UTF-8: set it to UTF-8 text, or unset it"
                ))
            }),
        }
    }

    /// An environment variable as the OS has it (for paths); empty counts as unset.
    pub fn var_os(&self, name: &str) -> Option<OsString> {
        (self.env)(name).filter(|v| !v.is_empty())
    }

    /// The file path an argument names. A path that is not UTF-8 reaches the commands as a
    /// placeholder (argh takes text only); this gives the path back, byte for byte.
    pub fn path(&self, arg: &str) -> PathBuf {
        match crate::app::raw_index(arg).and_then(|i| self.raw_args.get(i)) {
            Some(raw) => PathBuf::from(raw),
            None => PathBuf::from(OsStr::new(arg)),
        }
    }

    /// Writes one debug line for namespace `ns` (e.g. `guest:create`) when it is enabled.
    /// Callers shorten tokens and never pass secrets.
    pub fn debug(&mut self, ns: &str, message: impl FnOnce() -> String) {
        if self.log.enabled(ns) {
            let _ = writeln!(self.err, "  {ns} {}", one_line(&message()));
        }
    }
}

/// `text` with its control characters escaped (`\n`, `\r`, `\t`, `\u{1b}`): a message holds
/// what the user or a token typed (an unknown command, a path, a header's `alg`), and must stay
/// one line on stderr, where it also must not drive the terminal.
pub(crate) fn one_line(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains(char::is_control) {
        return text.into();
    }
    let mut line = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if c.is_control() {
            line.extend(c.escape_default());
        } else {
            line.push(c);
        }
    }
    line.into()
}
