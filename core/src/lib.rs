//! The sans-IO core of guestissuer.
//!
//! This crate does no I/O: it opens no sockets, reads no files or environment variables and never
//! looks at the clock. Time comes in as a `now` argument (Unix seconds) and configuration as plain
//! values, so any program can drive it with its own HTTP client, on a real or a virtual clock.
//!
//! It provides:
//! - [`IssuerSecret`], the Guest Issuer secret (base64 text decoded to the HMAC key);
//! - [`Signer`], which signs [`GuestClaims`] into compact HS256 guest tokens byte-identical to the
//!   original Node.js `guestissuer`/`sparkguest` CLI;
//! - [`decode`] for any compact JWT and [`Verifier`] for HS256 signatures and expiry;
//! - [`webex`], the Webex REST API endpoints as request builders and response parsers;
//! - [`service_app`], a Service App's own token: get, refresh, and the credentials file as a value;
//! - [`retry`], retry decisions (429 `Retry-After`, 5xx backoff) as pure functions;
//! - [`credential`], the credential types (guest and access tokens, refresh tokens, client
//!   secrets): redacted `Debug`, no `Display`, one named accessor;
//! - [`redact`], what may be shown of a URL or an answer body;
//! - [`time`], Unix time formatting for human messages and the one checked expiry computation.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod credential;
mod error;
pub mod redact;
pub mod retry;
mod secret;
pub mod service_app;
pub mod time;
mod token;
pub mod webex;

pub use credential::{AccessToken, ClientSecret, GuestToken, RefreshToken};
pub use error::{AnswerProblem, Error, SecretProblem, UrlProblem};
pub use secret::IssuerSecret;
pub use token::{decode, DecodedToken, GuestClaims, Signer, Verifier, MAX_EXP};
