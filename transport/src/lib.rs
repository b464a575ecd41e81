//! Carries `guestissuer-core`'s HTTP messages.
//!
//! [`Transport`] is the one small trait: send one request, get one response. [`HyperTransport`]
//! implements it over hyper 1 + hyper-util + hyper-rustls (rustls with the `ring` provider, built-in
//! web PKI roots plus extra PEM roots, HTTP/1.1 and HTTP/2 by ALPN, proxies through CONNECT);
//! [`fixture::FixtureTransport`] replays recorded exchanges in memory, for tests. [`execute`] runs
//! one [`Exchange`] over any transport and carries out core's retry decisions within an overall
//! timeout.
//!
//! The tokio runtime and the TLS configuration are created only when a [`HyperTransport`] is, so a
//! program that never talks to the network never pays for them.
//!
//! ```no_run
//! use std::time::Duration;
//! use guestissuer_core::webex::{ApiBase, JwtLogin};
//! use guestissuer_transport::{execute, HyperTransport, TransportConfig};
//!
//! let mut transport = HyperTransport::new(&TransportConfig::default())?;
//! let login = JwtLogin { guest_token: "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.e30.sig" };
//! let answer = execute(&mut transport, &ApiBase::default(), &login, Duration::from_secs(30), &mut |event| {
//!     eprintln!("{event:?}"); // events never hold a token
//! })?;
//! println!("{}", answer.token);
//! # Ok::<(), guestissuer_transport::Error>(())
//! ```

#![forbid(unsafe_code)]
#![warn(missing_docs)]

use std::fmt;
use std::time::{Duration, Instant};

use guestissuer_core::retry::{self, Decision};
use guestissuer_core::webex::{ApiBase, Exchange};
use http::{Method, Request, Response, StatusCode, Uri};

pub mod fixture;
mod hyper_transport;

pub use hyper_transport::{HyperTransport, TransportConfig};

/// The largest response body accepted: 1 MiB. Larger bodies are refused while they stream in.
pub const MAX_BODY: usize = 1 << 20;

/// Sends one request and returns one response, its body read whole (up to [`MAX_BODY`]).
pub trait Transport {
    /// Sends `request`, giving up after `timeout`.
    fn send(
        &mut self,
        request: Request<Vec<u8>>,
        timeout: Duration,
    ) -> Result<Response<Vec<u8>>, Error>;

    /// Waits `duration` before a retry. A test transport only records it.
    fn wait(&mut self, duration: Duration);

    /// The current time in Unix seconds, for `Retry-After` dates.
    fn now(&self) -> u64;
}

/// What [`execute`] reports while it works, for debug logging. Holds no token.
#[derive(Debug)]
#[non_exhaustive]
pub enum Event<'a> {
    /// An answer arrived.
    Answered {
        /// 1-based attempt number.
        attempt: u32,
        /// The request method.
        method: &'a Method,
        /// The request URL.
        url: &'a Uri,
        /// The answer's status.
        status: StatusCode,
        /// How long the exchange took.
        elapsed: Duration,
        /// Webex's `trackingid` response header, if any.
        tracking_id: Option<&'a str>,
    },
    /// The exchange failed below HTTP.
    Failed {
        /// 1-based attempt number.
        attempt: u32,
        /// The request method.
        method: &'a Method,
        /// The request URL.
        url: &'a Uri,
        /// What happened.
        error: &'a Error,
        /// How long it took.
        elapsed: Duration,
    },
    /// The request will be sent again after `wait`.
    Retrying {
        /// The attempt that will follow.
        next_attempt: u32,
        /// How long to wait first.
        wait: Duration,
        /// The status that caused the retry.
        status: StatusCode,
    },
}

/// Runs `exchange` against `api` over `transport`: builds the request, sends it, retries as
/// [`retry::decide`] says (at most 3 attempts, never past `timeout` overall), and parses the
/// final answer.
pub fn execute<E: Exchange>(
    transport: &mut dyn Transport,
    api: &ApiBase,
    exchange: &E,
    timeout: Duration,
    on_event: &mut dyn FnMut(&Event),
) -> Result<E::Output, Error> {
    let mut spent = Duration::ZERO;
    let mut attempt = 1;
    loop {
        let request = exchange.request(api)?;
        let (method, url) = (request.method().clone(), request.uri().clone());
        let remaining = timeout.saturating_sub(spent);
        let started = Instant::now();
        let result = transport.send(request, remaining);
        let elapsed = started.elapsed();
        spent += elapsed;
        let response = match result {
            Ok(response) => response,
            Err(error) => {
                let error = match error {
                    Error::Timeout { .. } => Error::Timeout { after: timeout },
                    other => other,
                };
                on_event(&Event::Failed {
                    attempt,
                    method: &method,
                    url: &url,
                    error: &error,
                    elapsed,
                });
                return Err(error);
            }
        };
        let status = response.status();
        let tracking_id = response
            .headers()
            .get("trackingid")
            .and_then(|v| v.to_str().ok());
        on_event(&Event::Answered {
            attempt,
            method: &method,
            url: &url,
            status,
            elapsed,
            tracking_id,
        });
        let remaining = timeout.saturating_sub(spent);
        match retry::decide(
            attempt,
            status,
            response.headers(),
            transport.now(),
            remaining,
        ) {
            Decision::Done => return Ok(exchange.parse(response)?),
            Decision::RetryAfter(wait) => {
                attempt += 1;
                on_event(&Event::Retrying {
                    next_attempt: attempt,
                    wait,
                    status,
                });
                transport.wait(wait);
                spent += wait;
            }
        }
    }
}

/// Everything that can go wrong carrying a request. Messages are one line and never hold a token.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    /// Webex answered, and the answer is an error (or the request could not be built).
    Core(guestissuer_core::Error),
    /// Nothing listens at the host's port, or a firewall refused.
    Refused {
        /// `host:port`.
        host: String,
    },
    /// Another connection failure: the name does not resolve, the network is unreachable, the
    /// connect timeout passed.
    Connect {
        /// `host:port`.
        host: String,
        /// What happened.
        reason: String,
    },
    /// The server's certificate does not chain to a trusted root: pass its CA with `--ca-file`.
    UntrustedCertificate {
        /// The host.
        host: String,
    },
    /// Another TLS failure (certificate for another name, expired, handshake refused).
    Tls {
        /// The host.
        host: String,
        /// What rustls said.
        reason: String,
    },
    /// The overall timeout passed.
    Timeout {
        /// The timeout.
        after: Duration,
    },
    /// The response body is larger than [`MAX_BODY`].
    TooLarge,
    /// The server closed the connection before the response was complete.
    Closed {
        /// The host.
        host: String,
    },
    /// The proxy refused or failed the CONNECT tunnel.
    Proxy {
        /// What happened.
        reason: String,
    },
    /// A `--ca-file` could not be used.
    CaFile {
        /// The file.
        path: String,
        /// What is wrong with it.
        reason: String,
    },
    /// An `http://` URL to a host that is not loopback: refused before connecting.
    Insecure {
        /// The host.
        host: String,
    },
    /// Any other HTTP-level failure.
    Http {
        /// What happened.
        reason: String,
    },
    /// A fixture transport got a request it did not expect (tests only).
    Fixture {
        /// What differed.
        reason: String,
    },
}

impl Error {
    /// The HTTP status and Webex trackingId, when Webex answered.
    pub fn webex_status(&self) -> Option<(u16, Option<&str>)> {
        match self {
            Error::Core(guestissuer_core::Error::Api(e)) => {
                Some((e.status, e.tracking_id.as_deref()))
            }
            _ => None,
        }
    }
}

impl From<guestissuer_core::Error> for Error {
    fn from(e: guestissuer_core::Error) -> Self {
        Error::Core(e)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Core(e) => e.fmt(f),
            Error::Refused { host } => write!(f, "cannot connect to {host}: connection refused"),
            Error::Connect { host, reason } => write!(f, "cannot connect to {host}: {reason}"),
            Error::UntrustedCertificate { host } => {
                write!(
                    f,
                    "TLS: certificate not trusted for {host} (use --ca-file?)"
                )
            }
            Error::Tls { host, reason } => write!(f, "TLS with {host} failed: {reason}"),
            Error::Timeout { after } => write!(f, "timed out after {} s", after.as_secs_f64()),
            Error::TooLarge => f.write_str("response larger than 1 MiB: refused"),
            Error::Closed { host } => {
                write!(
                    f,
                    "{host} closed the connection before the response was complete"
                )
            }
            Error::Proxy { reason } => write!(f, "proxy: {reason}"),
            Error::CaFile { path, reason } => write!(f, "cannot use CA file {path}: {reason}"),
            Error::Insecure { host } => write!(
                f,
                "refusing http:// for {host}: use https:// (http:// is for loopback hosts only)"
            ),
            Error::Http { reason } => write!(f, "HTTP: {reason}"),
            Error::Fixture { reason } => write!(f, "fixture: {reason}"),
        }
    }
}

impl std::error::Error for Error {}
