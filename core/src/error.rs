use std::fmt;

/// Every error the core can report.
///
/// Messages never contain a secret or a whole token; they name the failing input and, where one
/// exists, the likely fix. Each variant's doc names its likely cause. `PartialEq`, so that tests
/// compare errors exactly.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    /// The issuer secret was empty (or only whitespace, or decoded to no bytes).
    ///
    /// Likely cause: an unset shell variable expanded to nothing.
    SecretEmpty,
    /// The issuer secret is not base64; the problem says where, without quoting the secret.
    ///
    /// Likely cause: the issuer *id* was passed where the secret belongs, or the secret was cut
    /// when copied from the developer portal.
    SecretNotBase64(SecretProblem),
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
    /// The signature is valid but the token has no `exp` claim.
    ExpiryMissing,
    /// An expiry that cannot be represented: past [`crate::MAX_EXP`] (9999-12-31T23:59:59Z).
    ///
    /// Likely cause: a lifetime typed in milliseconds, or an extra digit.
    ExpiryTooLate,
    /// A NumericDate claim (`exp`, `nbf`, `expiry_time`) is not a number.
    ClaimNotNumeric {
        /// The claim.
        claim: &'static str,
        /// What it is instead: `a string`, `a boolean`, `null`, `an array`, `an object`.
        found: &'static str,
    },
    /// A NumericDate claim is before 1970 or after [`crate::MAX_EXP`] (9999-12-31T23:59:59Z).
    ClaimOutOfRange {
        /// The claim.
        claim: &'static str,
    },
    /// The header's `crit` names extensions that must be understood, and guestissuer understands
    /// none (RFC 7515 §4.1.11), or `crit` is malformed.
    CriticalHeader {
        /// The names listed, comma-separated, or `(malformed)`.
        names: String,
    },
    /// The signature is valid but the token is not valid before `nbf` (Unix seconds), later
    /// than `now` plus the leeway.
    NotYetValid {
        /// The token's `nbf` claim.
        nbf: u64,
        /// The `now` the check was made at.
        now: u64,
    },
    /// The signature is valid but the token expired at `exp` (Unix seconds), at or before `now`
    /// less the leeway.
    Expired {
        /// The token's `exp` claim.
        exp: u64,
        /// The `now` the check was made at.
        now: u64,
    },
    /// The API base URL is not usable.
    InvalidApiUrl {
        /// The URL as given, its userinfo scrubbed ([`crate::redact::url`]).
        url: String,
        /// What is wrong with it.
        problem: UrlProblem,
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
        /// The HTTP status, as received.
        status: u16,
        /// What was missing or wrong.
        problem: AnswerProblem,
        /// The body, capped and with credentials redacted ([`crate::redact::body`]).
        body: String,
    },
}

/// Why an issuer secret is not base64. Positions are 1-based; nothing quotes the secret.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum SecretProblem {
    /// A character outside the base64 alphabets.
    InvalidCharacter {
        /// Where, 1-based.
        position: usize,
    },
    /// A `=` before the end.
    MisplacedPadding {
        /// Where, 1-based.
        position: usize,
    },
    /// A length no base64 text has (one character too many, or missing).
    InvalidLength {
        /// The length, in characters.
        length: usize,
    },
    /// The last character encodes bits that cannot be there.
    InvalidLastCharacter {
        /// Where, 1-based.
        position: usize,
    },
    /// The `=` padding at the end is wrong.
    WrongPadding,
    /// The standard (`+/`) and URL-safe (`-_`) alphabets are mixed.
    MixedAlphabets,
}

/// Why an API base URL is not usable.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum UrlProblem {
    /// It does not parse as a URL.
    NotAUrl,
    /// It has no host.
    NoHost,
    /// Its scheme is neither `https` nor (for loopback) `http`.
    NotHttps,
    /// A base URL takes no query.
    HasQuery,
    /// A base URL takes no user name or password (Webex does not use them, and they would be
    /// sent to whoever the URL names).
    HasUserinfo,
}

/// What a 2xx answer lacked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum AnswerProblem {
    /// The body is not a JSON object.
    NotJsonObject,
    /// A field the endpoint documents is missing, or of the wrong type.
    MissingField(&'static str),
    /// Neither a number nor a JSON object with `count`.
    NotACount,
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::SecretEmpty => f.write_str("the issuer secret is empty"),
            Error::SecretNotBase64(problem) => {
                write!(f, "the issuer secret is not valid base64: {problem}")
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
            // `alg` and the `crit` names come from the token: escaped, so that a line break or
            // a terminal control sequence in them stays text.
            Error::AlgorithmNotHs256 { alg } => write!(
                f,
                "the token is signed with {}, not HS256: an issuer secret cannot verify it",
                alg.escape_debug()
            ),
            Error::SignatureInvalid => f.write_str(
                "invalid signature: the token was not signed with this secret, or was altered",
            ),
            Error::ExpiryMissing => f.write_str("the token has no exp claim"),
            Error::ExpiryTooLate => write!(
                f,
                "the expiry would be after {}",
                crate::time::rfc3339(crate::MAX_EXP)
            ),
            Error::ClaimNotNumeric { claim, found } => write!(
                f,
                "the token's {claim} is {found}, not a number (a NumericDate)"
            ),
            Error::ClaimOutOfRange { claim } => write!(
                f,
                "the token's {claim} is outside the representable range (1970 to {})",
                crate::time::rfc3339(crate::MAX_EXP)
            ),
            Error::CriticalHeader { names } => write!(
                f,
                "the token's header marks {} as critical (crit), which guestissuer does not understand",
                names.escape_debug()
            ),
            Error::NotYetValid { nbf, now } => write!(
                f,
                "the token is not valid before {} (nbf; in {})",
                crate::time::rfc3339(*nbf),
                crate::time::human_duration(nbf.saturating_sub(*now))
            ),
            Error::Expired { exp, now } => write!(
                f,
                "the token expired at {} ({} ago)",
                crate::time::rfc3339(*exp),
                crate::time::human_duration(now.saturating_sub(*exp))
            ),
            Error::InvalidApiUrl { url, problem } => {
                write!(f, "invalid API URL {url:?}: {problem}")
            }
            Error::InsecureApiUrl { host } => write!(
                f,
                "refusing http:// for {host}: tokens are credentials; use https:// (http:// is allowed for loopback hosts only)"
            ),
            Error::InvalidToken => f.write_str(
                "the token contains characters that cannot be sent in an HTTP header; paste it again",
            ),
            Error::Api(e) => e.fmt(f),
            Error::UnexpectedAnswer {
                status,
                problem,
                body,
            } => {
                write!(f, "unexpected answer from Webex ({status}): {problem}")?;
                // A body is shown when it is not what a JSON field was missing from: the page a
                // proxy or captive portal put in Webex's place.
                if !matches!(problem, AnswerProblem::MissingField(_)) {
                    write!(f, " (body: {:?})", crate::redact::excerpt(body))?;
                }
                Ok(())
            }
        }
    }
}

impl fmt::Display for SecretProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SecretProblem::InvalidCharacter { position } => {
                write!(f, "invalid character at position {position}")
            }
            SecretProblem::MisplacedPadding { position } => {
                write!(f, "misplaced padding '=' at position {position}")
            }
            SecretProblem::InvalidLength { length } => write!(
                f,
                "{length} characters cannot be base64 (one too many or missing)"
            ),
            SecretProblem::InvalidLastCharacter { position } => {
                write!(f, "invalid last character at position {position}")
            }
            SecretProblem::WrongPadding => f.write_str("wrong padding at the end"),
            SecretProblem::MixedAlphabets => {
                f.write_str("it mixes the standard (+/) and URL-safe (-_) alphabets")
            }
        }
    }
}

impl fmt::Display for UrlProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            UrlProblem::NotAUrl => "not a URL",
            UrlProblem::NoHost => "no host",
            UrlProblem::NotHttps => "the scheme must be https",
            UrlProblem::HasQuery => "a base URL takes no query",
            UrlProblem::HasUserinfo => "a base URL takes no user name or password",
        })
    }
}

impl fmt::Display for AnswerProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AnswerProblem::NotJsonObject => f.write_str("not a JSON object"),
            AnswerProblem::MissingField(name) => write!(f, "no {name} in the JSON"),
            AnswerProblem::NotACount => {
                f.write_str("neither a number nor a JSON object with count")
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

impl std::error::Error for Error {
    /// [`Error::Api`] is transparent: its message is the [`crate::webex::ApiError`]'s, and so is
    /// its source. No other variant wraps an error.
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Api(e) => std::error::Error::source(e.as_ref()),
            _ => None,
        }
    }
}
