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
//! - [`retry`], retry decisions (429 `Retry-After`, 5xx backoff) as pure functions;
//! - [`time`], Unix time formatting used for human messages.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod error;
pub mod retry;
mod secret;
pub mod time;
mod token;
pub mod webex;

pub use error::Error;
pub use secret::IssuerSecret;
pub use token::{decode, DecodedToken, GuestClaims, Signer, Verifier, MAX_EXP};
