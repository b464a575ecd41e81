use std::fmt;

/// Every error the core can report.
///
/// Messages never contain a secret or a whole token; they name the failing input and, where one
/// exists, the likely fix.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    /// The issuer secret was empty (or only whitespace, or decoded to no bytes).
    ///
    /// Likely cause: an unset shell variable expanded to nothing.
    SecretEmpty,
    /// The issuer secret is not base64. `reason` says where, without quoting the secret.
    ///
    /// Likely cause: the issuer *id* was passed where the secret belongs, or the secret was cut
    /// when copied from the developer portal.
    SecretNotBase64 {
        /// What is wrong, e.g. "invalid character at position 7".
        reason: String,
    },
    /// A compact JWT must have exactly three dot-separated parts.
    TokenParts {
        /// How many parts the input had.
        found: usize,
    },
    /// Part `part` (1 header, 2 payload, 3 signature) is not base64url.
    TokenPartNotBase64 {
        /// 1-based index of the part.
        part: u8,
    },
    /// Part `part` (1 header or 2 payload) decoded, but is not a JSON object.
    TokenPartNotJson {
        /// 1-based index of the part.
        part: u8,
    },
    /// Only HS256 tokens can be verified with an issuer secret; `alg` is what the header says
    /// (`none` and every other algorithm are refused).
    AlgorithmNotHs256 {
        /// The header's `alg`, or `(missing)`.
        alg: String,
    },
    /// The HMAC-SHA256 signature does not match: the token was not signed with this secret, or
    /// it was altered.
    SignatureInvalid,
    /// The signature is valid but the token has no numeric `exp` claim.
    ExpiryMissing,
    /// The signature is valid but the token expired at `exp` (Unix seconds), at or before `now`.
    Expired {
        /// The token's `exp` claim.
        exp: u64,
        /// The `now` the check was made at.
        now: u64,
    },
    /// The API base URL is not usable.
    InvalidApiUrl {
        /// The URL as given.
        url: String,
        /// What is wrong with it.
        reason: String,
    },
    /// `http://` was given for a host that is not loopback: a guest token is a credential and
    /// must not cross a network in clear text.
    InsecureApiUrl {
        /// The host.
        host: String,
    },
    /// A token holds characters that cannot go into an HTTP header (it was mangled when pasted).
    InvalidToken,
    /// Webex answered with a non-2xx status.
    Api(Box<crate::webex::ApiError>),
    /// Webex answered 2xx, but not with what the endpoint documents (a proxy's page, a changed API).
    UnexpectedAnswer {
        /// The HTTP status.
        status: u16,
        /// What was missing or wrong.
        reason: String,
        /// The start of the body.
        excerpt: String,
    },
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::SecretEmpty => f.write_str("the issuer secret is empty"),
            Error::SecretNotBase64 { reason } => {
                write!(f, "the issuer secret is not valid base64: {reason}")
            }
            Error::TokenParts { found } => write!(
                f,
                "not a JWT: expected 3 dot-separated parts, found {found}"
            ),
            Error::TokenPartNotBase64 { part } => {
                write!(
                    f,
                    "not a JWT: part {part} ({}) is not base64url",
                    part_name(*part)
                )
            }
            Error::TokenPartNotJson { part } => write!(
                f,
                "not a JWT: part {part} ({}) is not a JSON object",
                part_name(*part)
            ),
            Error::AlgorithmNotHs256 { alg } => write!(
                f,
                "the token is signed with {alg}, not HS256: an issuer secret cannot verify it"
            ),
            Error::SignatureInvalid => f.write_str(
                "invalid signature: the token was not signed with this secret, or was altered",
            ),
            Error::ExpiryMissing => f.write_str("the token has no numeric exp claim"),
            Error::Expired { exp, now } => write!(
                f,
                "the token expired at {} ({} ago)",
                crate::time::rfc3339(*exp),
                crate::time::human_duration(now.saturating_sub(*exp))
            ),
            Error::InvalidApiUrl { url, reason } => {
                write!(f, "invalid API URL {url:?}: {reason}")
            }
            Error::InsecureApiUrl { host } => write!(
                f,
                "refusing http:// for {host}: tokens are credentials; use https:// (http:// is allowed for loopback hosts only)"
            ),
            Error::InvalidToken => f.write_str(
                "the token contains characters that cannot be sent in an HTTP header; paste it again",
            ),
            Error::Api(e) => e.fmt(f),
            Error::UnexpectedAnswer { status, reason, excerpt } => {
                write!(f, "unexpected answer from Webex ({status}): {reason}")?;
                if !excerpt.is_empty() {
                    write!(f, " (body: {excerpt:?})")?;
                }
                Ok(())
            }
        }
    }
}

fn part_name(part: u8) -> &'static str {
    match part {
        1 => "header",
        2 => "payload",
        _ => "signature",
    }
}

impl std::error::Error for Error {}
