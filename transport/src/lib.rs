//! Carries `guestissuer-core`'s HTTP messages.
//!
//! [`Transport`] is the one small trait: send one request, get one response; any
//! `FnMut(Request) -> Result<Response, Error>` closure is one. [`HyperTransport`] implements it over
//! hyper 1 + hyper-util + hyper-rustls (rustls with the `ring` provider, built-in web PKI roots plus
//! extra PEM roots, HTTP/1.1 and HTTP/2 by ALPN, proxies through CONNECT). A [`Session`] runs
//! [`Exchange`]s over a transport on one [`Clock`], carrying out core's retry decisions within one
//! overall time budget; [`flows`] chains exchanges into the multi-step operations.
//!
//! Time comes only from the [`Clock`] a session is given: nothing here reads the system clock, so
//! a test drives everything on a virtual clock that never sleeps.
//!
//! The tokio runtime and the TLS configuration are created only when a [`HyperTransport`] is, so a
//! program that never talks to the network never pays for them.
//!
//! ```no_run
//! use std::time::Duration;
//! use guestissuer_core::webex::{ApiBase, JwtLogin};
//! use guestissuer_core::GuestToken;
//! use guestissuer_transport::{HyperTransport, Session, SystemClock, TransportConfig};
//!
//! let mut transport = HyperTransport::new(&TransportConfig::default())?;
//! let mut clock = SystemClock::new();
//! let api = ApiBase::default();
//! let mut session = Session::new(&mut transport, &mut clock, &api, Duration::from_secs(30))
//!     .with_events(|event| eprintln!("{event:?}")); // events hold no token
//! let guest_token = GuestToken::new("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.e30.sig");
//! let answer = session.execute(&JwtLogin { guest_token: &guest_token })?;
//! println!("{}", answer.token.secret());
//! # Ok::<(), guestissuer_transport::Error>(())
//! ```
//!
//! A closure is a transport, so a test (or a program with its own HTTP client) needs no type:
//!
//! ```
//! use std::time::Duration;
//! use guestissuer_core::webex::{ApiBase, GuestsCount};
//! use guestissuer_core::AccessToken;
//! use guestissuer_transport::{Session, SystemClock};
//!
//! let mut transport = |request: http::Request<Vec<u8>>| {
//!     assert_eq!(request.uri(), "https://webexapis.com/v1/guests/count");
//!     Ok(http::Response::builder().status(200).body(b"42".to_vec()).unwrap())
//! };
//! let (mut clock, api) = (SystemClock::new(), ApiBase::default());
//! let token = AccessToken::new("service-app-token");
//! let mut session = Session::new(&mut transport, &mut clock, &api, Duration::from_secs(5));
//! assert_eq!(session.execute(&GuestsCount { token: &token })?, 42);
//! # Ok::<(), guestissuer_transport::Error>(())
//! ```

#![forbid(unsafe_code)]
#![warn(missing_docs)]

use std::time::Duration;

use guestissuer_core::retry::{self, Decision};
use guestissuer_core::webex::{ApiBase, Exchange};
use http::{Method, Request, Response, StatusCode};

mod clock;
mod error;
pub mod flows;
mod hyper_transport;

pub use clock::{Clock, SystemClock};
pub use error::{CaFileProblem, ConnectProblem, Error, HttpProblem, ProxyProblem, TlsProblem};
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
}

/// A closure is a transport. It is not given the timeout: a [`Session`] still checks its budget
/// before every attempt and every wait.
impl<F> Transport for F
where
    F: FnMut(Request<Vec<u8>>) -> Result<Response<Vec<u8>>, Error>,
{
    fn send(
        &mut self,
        request: Request<Vec<u8>>,
        _timeout: Duration,
    ) -> Result<Response<Vec<u8>>, Error> {
        self(request)
    }
}

/// What a [`Session`] reports while it works, for debug logging. Holds no token, and its URL has
/// no userinfo.
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
        url: &'a str,
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
        url: &'a str,
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

/// Runs exchanges against one API over one transport, on one clock, within one time budget: the
/// overall timeout counts from [`Session::new`] and covers every exchange, attempt and wait.
pub struct Session<'a> {
    transport: &'a mut dyn Transport,
    clock: &'a mut dyn Clock,
    api: &'a ApiBase,
    timeout: Duration,
    deadline: Duration,
    on_event: Box<dyn FnMut(&Event) + 'a>,
}

impl<'a> Session<'a> {
    /// A session whose budget, `timeout`, starts now on `clock`.
    pub fn new(
        transport: &'a mut dyn Transport,
        clock: &'a mut dyn Clock,
        api: &'a ApiBase,
        timeout: Duration,
    ) -> Self {
        let deadline = clock.monotonic().saturating_add(timeout);
        Session {
            transport,
            clock,
            api,
            timeout,
            deadline,
            on_event: Box::new(|_| {}),
        }
    }

    /// Has `on_event` see every answer, failure and retry (for debug logging).
    pub fn with_events(mut self, on_event: impl FnMut(&Event) + 'a) -> Self {
        self.on_event = Box::new(on_event);
        self
    }

    /// The clock, for what a flow computes from the time (an expiry after an answer).
    pub fn clock(&self) -> &dyn Clock {
        &*self.clock
    }

    /// Builds the request, sends it, retries as [`retry::decide`] says (at most 3 attempts, never
    /// past the budget), and parses the final answer.
    pub fn execute<E: Exchange>(&mut self, exchange: &E) -> Result<E::Output, Error> {
        let mut attempt = 1;
        loop {
            let request = exchange.request(self.api)?;
            let method = request.method().clone();
            let url = guestissuer_core::redact::url(&request.uri().to_string()).into_owned();
            let remaining = self.remaining();
            if remaining.is_zero() {
                return Err(Error::Timeout {
                    after: self.timeout,
                });
            }
            let started = self.clock.monotonic();
            let result = self.transport.send(request, remaining);
            let elapsed = self.clock.monotonic().saturating_sub(started);
            let response = match result {
                Ok(response) => response,
                Err(error) => {
                    let error = match error {
                        Error::Timeout { .. } => Error::Timeout {
                            after: self.timeout,
                        },
                        other => other,
                    };
                    (self.on_event)(&Event::Failed {
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
            (self.on_event)(&Event::Answered {
                attempt,
                method: &method,
                url: &url,
                status,
                elapsed,
                tracking_id,
            });
            let now = self.clock.unix_seconds();
            match retry::decide(attempt, status, response.headers(), now, self.remaining()) {
                Decision::Done => return Ok(exchange.parse(response)?),
                Decision::RetryAfter(wait) => {
                    attempt += 1;
                    (self.on_event)(&Event::Retrying {
                        next_attempt: attempt,
                        wait,
                        status,
                    });
                    self.clock.wait(wait);
                }
            }
        }
    }

    fn remaining(&self) -> Duration {
        self.deadline.saturating_sub(self.clock.monotonic())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A clock that stands still unless waited on, and a transport that advances it.
    #[derive(Default)]
    struct Manual {
        now: Duration,
        waits: Vec<Duration>,
    }

    impl Clock for Manual {
        fn wall(&self) -> Duration {
            Duration::from_secs(1_800_000_000) + self.now
        }
        fn monotonic(&self) -> Duration {
            self.now
        }
        fn wait(&mut self, duration: Duration) {
            self.waits.push(duration);
            self.now += duration;
        }
    }

    fn answer(status: u16, retry_after: &str) -> Response<Vec<u8>> {
        Response::builder()
            .status(status)
            .header("retry-after", retry_after)
            .body(b"7".to_vec())
            .unwrap()
    }

    #[test]
    fn the_budget_covers_every_attempt_and_wait() {
        let token = guestissuer_core::AccessToken::new("t");
        let count = guestissuer_core::webex::GuestsCount { token: &token };
        let api = ApiBase::default();
        let mut answers = vec![answer(429, "20"), answer(429, "20")].into_iter();
        let mut transport = |_: Request<Vec<u8>>| Ok(answers.next().unwrap());
        let mut clock = Manual::default();
        let mut events = Vec::new();
        let mut session = Session::new(&mut transport, &mut clock, &api, Duration::from_secs(30))
            .with_events(|e| events.push(format!("{e:?}")));
        let err = session.execute(&count).unwrap_err();
        drop(session);
        assert_eq!(err.webex_status(), Some((429, None)));
        // 20 s waited once; a second 20 s wait would end past the 30 s budget.
        assert_eq!(clock.waits, [Duration::from_secs(20)]);
        assert_eq!(events.len(), 3, "{events:?}");
    }

    #[test]
    fn an_exhausted_budget_sends_nothing_more() {
        let token = guestissuer_core::AccessToken::new("t");
        let count = guestissuer_core::webex::GuestsCount { token: &token };
        let api = ApiBase::default();
        let mut sent = 0;
        let mut transport = |_: Request<Vec<u8>>| {
            sent += 1;
            Ok(answer(200, "0"))
        };
        let mut clock = Manual::default();
        let mut session = Session::new(&mut transport, &mut clock, &api, Duration::from_secs(1));
        assert_eq!(session.execute(&count).unwrap(), 7);
        session.clock.wait(Duration::from_secs(1));
        assert_eq!(
            session.execute(&count).unwrap_err(),
            Error::Timeout {
                after: Duration::from_secs(1)
            }
        );
        drop(session);
        assert_eq!(sent, 1);
    }
}
