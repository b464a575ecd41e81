//! A command's failure and its exit code. Every error of the libraries becomes a [`Failure`]
//! here, in one place: which kind of error is a usage error (exit 2) and which a failed operation
//! (exit 1) is decided by the `From` impls below and nowhere else.

use std::fmt;
use std::io;

use guestissuer_core::Error as Core;
use guestissuer_transport::{Error as Transport, ProxyProblem};

/// What kind of failure, which decides the exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// The operation was attempted and failed (bad signature, Webex refused): exit 1.
    Failed,
    /// The command line or an input was wrong; nothing was attempted: exit 2.
    Usage,
    /// stdout was closed by its reader: leave quietly with exit 0.
    BrokenPipe,
    /// An external command exited with this code, and has said what it had to say.
    Exited(u8),
}

/// A command's failure: one line for the user, plus what Webex said, when it said anything.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// Exit code class.
    pub kind: Kind,
    /// One line: what is wrong and, where useful, how to fix it. Never holds a secret.
    pub message: String,
    /// The HTTP status of a Webex answer, if there was one.
    pub status: Option<u16>,
    /// Webex's trackingId, if there was one.
    pub tracking_id: Option<String>,
    /// What the token holds (`{"header", "payload"}`), when a check of it failed: shown in the
    /// `--json` error object, never on stdout.
    pub token: Option<Box<serde_json::Value>>,
}

impl Failure {
    /// A usage or input error (exit 2).
    pub fn usage(message: impl Into<String>) -> Self {
        Failure {
            kind: Kind::Usage,
            message: message.into(),
            status: None,
            tracking_id: None,
            token: None,
        }
    }

    /// An operation failure (exit 1).
    pub fn failed(message: impl Into<String>) -> Self {
        Failure {
            kind: Kind::Failed,
            message: message.into(),
            status: None,
            tracking_id: None,
            token: None,
        }
    }

    /// An external command's exit code, passed back as it is, with nothing more to report.
    pub fn plugin_exit(code: u8) -> Self {
        Failure {
            kind: Kind::Exited(code),
            message: String::new(),
            status: None,
            tracking_id: None,
            token: None,
        }
    }

    /// The process exit code for this failure.
    pub fn exit_code(&self) -> u8 {
        match self.kind {
            Kind::Failed => 1,
            Kind::Usage => 2,
            Kind::BrokenPipe => 0,
            Kind::Exited(code) => code,
        }
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// Core errors: what the user typed or pasted is a usage error; a check that ran and failed, or
/// an answer from Webex, is a failed operation.
impl From<Core> for Failure {
    fn from(e: Core) -> Self {
        let failure = match &e {
            Core::SecretEmpty
            | Core::SecretNotBase64(_)
            | Core::TokenParts { .. }
            | Core::TokenPartNotBase64 { .. }
            | Core::TokenPartNotJson { .. }
            | Core::ExpiryTooLate
            | Core::InvalidApiUrl { .. }
            | Core::InsecureApiUrl { .. }
            | Core::InvalidToken => Failure::usage(e.to_string()),
            _ => Failure::failed(e.to_string()),
        };
        match &e {
            Core::Api(api) => Failure {
                status: Some(api.status),
                tracking_id: api.tracking_id.clone(),
                ..failure
            },
            _ => failure,
        }
    }
}

/// Transport errors: a bad URL, CA file or proxy setting is a usage error (the user must fix
/// the command line or the environment); everything that happened on the way is exit 1.
impl From<Transport> for Failure {
    fn from(e: Transport) -> Self {
        match e {
            Transport::Core(core) => Failure::from(core),
            Transport::CaFile { .. }
            | Transport::Insecure { .. }
            | Transport::Proxy(ProxyProblem::InvalidUrl { .. }) => Failure::usage(e.to_string()),
            other => Failure::failed(other.to_string()),
        }
    }
}

/// Writing to stdout or stderr failed: a closed pipe is quiet, anything else is a failure.
impl From<io::Error> for Failure {
    fn from(e: io::Error) -> Self {
        if e.kind() == io::ErrorKind::BrokenPipe {
            Failure {
                kind: Kind::BrokenPipe,
                ..Failure::failed("broken pipe")
            }
        } else {
            Failure::failed(format!(
                "cannot write output: {}",
                crate::input::io_reason(&e)
            ))
        }
    }
}
