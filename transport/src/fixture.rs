//! Recorded HTTP exchanges (the files in the repository's `fixtures/`), and a [`Transport`] that
//! replays them in memory, for tests that must not touch the network.
//!
//! A fixture file is one JSON object: `description`, `source` (where the exchange came from),
//! `endpoint` and `input` (which call to make, for protocol tests), and `exchanges`, the requests
//! expected in order, each with the response to give.

use std::collections::VecDeque;
use std::time::Duration;

use http::{Request, Response};
use serde::Deserialize;
use serde_json::{Map, Value};

use crate::{Error, Transport};

/// One fixture file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fixture {
    /// What the scenario shows.
    pub description: String,
    /// Where the exchange came from: captured, or modelled on Webex's documentation.
    pub source: String,
    /// The call to make: `jwt/login`, `people/me`, ….
    pub endpoint: String,
    /// The call's inputs (tokens, ids), by name.
    #[serde(default)]
    pub input: Map<String, Value>,
    /// The exchanges, in order.
    pub exchanges: Vec<Exchange>,
}

impl Fixture {
    /// Parses a fixture file's text.
    pub fn from_json(text: &str) -> Result<Fixture, String> {
        serde_json::from_str(text).map_err(|e| e.to_string())
    }

    /// A string input, or an empty string.
    pub fn input(&self, name: &str) -> &str {
        self.input
            .get(name)
            .and_then(Value::as_str)
            .unwrap_or_default()
    }
}

/// One recorded request and its response.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Exchange {
    /// What the client must send.
    pub request: RecordedRequest,
    /// What the server answers.
    pub response: RecordedResponse,
}

/// The request side of an exchange: what is checked.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecordedRequest {
    /// `GET`, `POST`, ….
    pub method: String,
    /// Path and query, e.g. `/v1/jwt/login`.
    pub path: String,
    /// The JSON body, when the request has one.
    #[serde(default)]
    pub body: Option<Value>,
}

/// The response side of an exchange.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecordedResponse {
    /// The HTTP status.
    pub status: u16,
    /// Response headers, in order.
    #[serde(default)]
    pub headers: Map<String, Value>,
    /// A JSON body, sent compact.
    #[serde(default)]
    pub body: Option<Value>,
    /// A raw text body (HTML, plain text), instead of `body`.
    #[serde(default, rename = "bodyText")]
    pub body_text: Option<String>,
}

impl RecordedResponse {
    /// The body bytes as sent on the wire.
    pub fn body_bytes(&self) -> Vec<u8> {
        match (&self.body, &self.body_text) {
            (Some(json), _) => serde_json::to_vec(json).expect("JSON serializes"),
            (None, Some(text)) => text.as_bytes().to_vec(),
            (None, None) => Vec::new(),
        }
    }

    /// Header pairs, values as text.
    pub fn header_pairs(&self) -> Vec<(String, String)> {
        let text = |v: &Value| v.as_str().map_or_else(|| v.to_string(), str::to_string);
        self.headers
            .iter()
            .map(|(k, v)| (k.clone(), text(v)))
            .collect()
    }

    /// As an [`http::Response`].
    pub fn to_response(&self) -> Response<Vec<u8>> {
        let mut builder = Response::builder().status(self.status);
        for (name, value) in self.header_pairs() {
            builder = builder.header(name, value);
        }
        builder
            .body(self.body_bytes())
            .expect("fixture headers are valid")
    }
}

/// Replays a fixture's exchanges in order, checking each request's method, path and JSON body,
/// and recording what was sent and every wait (which takes no time).
#[derive(Debug)]
pub struct FixtureTransport {
    queue: VecDeque<Exchange>,
    /// Every request sent, in order.
    pub sent: Vec<Request<Vec<u8>>>,
    /// Every wait asked for, in order.
    pub waits: Vec<Duration>,
    now: u64,
}

impl FixtureTransport {
    /// A transport answering with `fixture`'s exchanges, at the fixed time `now` (Unix seconds).
    pub fn new(fixture: &Fixture, now: u64) -> Self {
        FixtureTransport {
            queue: fixture.exchanges.iter().cloned().collect(),
            sent: Vec::new(),
            waits: Vec::new(),
            now,
        }
    }

    /// How many recorded exchanges were not used.
    pub fn unused(&self) -> usize {
        self.queue.len()
    }
}

impl Transport for FixtureTransport {
    fn send(
        &mut self,
        request: Request<Vec<u8>>,
        _timeout: Duration,
    ) -> Result<Response<Vec<u8>>, Error> {
        let path = request
            .uri()
            .path_and_query()
            .map_or("", |p| p.as_str())
            .to_string();
        let method = request.method().to_string();
        let body = request.body().clone();
        self.sent.push(request);
        let Some(next) = self.queue.pop_front() else {
            return Err(Error::Fixture {
                reason: format!("unexpected {method} {path}: no exchange left"),
            });
        };
        if next.request.method != method || next.request.path != path {
            return Err(Error::Fixture {
                reason: format!(
                    "expected {} {}, got {method} {path}",
                    next.request.method, next.request.path
                ),
            });
        }
        if let Some(expected) = &next.request.body {
            let got: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
            if &got != expected {
                return Err(Error::Fixture {
                    reason: format!("body {got} differs from {expected}"),
                });
            }
        }
        Ok(next.response.to_response())
    }

    fn wait(&mut self, duration: Duration) {
        self.waits.push(duration);
    }

    fn now(&self) -> u64 {
        self.now
    }
}
