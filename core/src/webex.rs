//! The Webex REST API as values: each endpoint builds an [`http::Request`] from typed inputs and
//! parses an [`http::Response`] into a typed result. No I/O happens here; carry the messages with
//! any HTTP client.
//!
//! ```
//! use guestissuer_core::webex::{ApiBase, Exchange, JwtLogin};
//! use guestissuer_core::GuestToken;
//!
//! // A hand-written transport: here it answers every request itself.
//! fn send(request: http::Request<Vec<u8>>) -> http::Response<Vec<u8>> {
//!     assert_eq!(request.uri(), "https://webexapis.com/v1/jwt/login");
//!     assert_eq!(request.headers()["authorization"], "Bearer guest.token.here");
//!     http::Response::builder()
//!         .status(200)
//!         .body(br#"{"token":"access-token","expiresIn":21599}"#.to_vec())
//!         .unwrap()
//! }
//!
//! let api = ApiBase::parse("https://webexapis.com/v1").unwrap();
//! let guest_token = GuestToken::new("guest.token.here");
//! let login = JwtLogin { guest_token: &guest_token };
//! let answer = login.parse(send(login.request(&api).unwrap())).unwrap();
//! assert_eq!(answer.token.secret(), "access-token");
//! assert_eq!(answer.expires_in, 21599);
//! ```

use std::fmt;

use http::header::{HeaderValue, ACCEPT, AUTHORIZATION, CONTENT_LENGTH, CONTENT_TYPE, USER_AGENT};
use http::{Method, Request, Response, StatusCode, Uri};
use serde_json::{Map, Value};

use crate::{redact, AccessToken, AnswerProblem, Error, GuestToken, UrlProblem};

/// Webex's public API base URL, the default.
pub const DEFAULT_API: &str = "https://webexapis.com/v1";

/// The `User-Agent` every request carries.
pub const USER_AGENT_VALUE: &str = concat!("guestissuer/", env!("CARGO_PKG_VERSION"));

/// A validated API base URL: `https://…`, or `http://…` for loopback hosts only (127.0.0.0/8,
/// `::1`, `localhost`), since the requests carry credentials.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiBase {
    base: String,
}

impl ApiBase {
    /// Checks and normalizes `url` (a trailing `/` is dropped). Errors:
    /// [`Error::InvalidApiUrl`] and [`Error::InsecureApiUrl`].
    pub fn parse(url: &str) -> Result<Self, Error> {
        let url = url.trim().trim_end_matches('/');
        let invalid = |problem| Error::InvalidApiUrl {
            url: redact::url(url).into_owned(),
            problem,
        };
        let uri: Uri = url.parse().map_err(|_| invalid(UrlProblem::NotAUrl))?;
        let host = uri
            .host()
            .ok_or_else(|| invalid(UrlProblem::NoHost))?
            .to_string();
        match uri.scheme_str() {
            Some("https") => {}
            Some("http") if is_loopback(&host) => {}
            Some("http") => return Err(Error::InsecureApiUrl { host }),
            _ => return Err(invalid(UrlProblem::NotHttps)),
        }
        if uri.query().is_some() {
            return Err(invalid(UrlProblem::HasQuery));
        }
        if uri.authority().is_some_and(|a| a.as_str().contains('@')) {
            return Err(invalid(UrlProblem::HasUserinfo));
        }
        Ok(ApiBase {
            base: url.to_string(),
        })
    }

    /// The URL of `path` (which starts with `/`) under this base.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// The base URL as given, without a trailing `/`.
    pub fn as_str(&self) -> &str {
        &self.base
    }
}

impl Default for ApiBase {
    fn default() -> Self {
        ApiBase::parse(DEFAULT_API).expect("the default API URL is valid")
    }
}

/// Whether `host` is a loopback host: `localhost`, 127.0.0.0/8 or `::1` (bracketed or not).
pub fn is_loopback(host: &str) -> bool {
    let host = host.trim_start_matches('[').trim_end_matches(']');
    host.eq_ignore_ascii_case("localhost")
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// One Webex API exchange: a request to build and the answer to parse.
///
/// Drivers call [`Exchange::request`], carry the request, and hand the response to
/// [`Exchange::parse`]; nothing endpoint-specific lives in a driver.
pub trait Exchange {
    /// What a successful answer parses into.
    type Output;
    /// Builds the request against `api`.
    fn request(&self, api: &ApiBase) -> Result<Request<Vec<u8>>, Error>;
    /// Parses the answer: a 2xx into [`Exchange::Output`], anything else into [`Error::Api`].
    fn parse(&self, response: Response<Vec<u8>>) -> Result<Self::Output, Error>;
}

/// `POST {api}/jwt/login`: exchanges a guest token for a Webex access token.
#[derive(Debug, Clone, Copy)]
pub struct JwtLogin<'a> {
    /// The signed guest token, sent as `Authorization: Bearer`.
    pub guest_token: &'a GuestToken,
}

/// The answer of `/jwt/login`.
#[derive(Debug, Clone)]
pub struct LoginAnswer {
    /// The access token (a JWT), valid for `expires_in` seconds.
    pub token: AccessToken,
    /// Lifetime in seconds, about 6 hours.
    pub expires_in: u64,
    /// The whole JSON answer, keys in Webex's order, credential values replaced by
    /// `"[redacted]"` (they are in the typed fields).
    pub raw: Map<String, Value>,
}

impl Exchange for JwtLogin<'_> {
    type Output = LoginAnswer;

    fn request(&self, api: &ApiBase) -> Result<Request<Vec<u8>>, Error> {
        let builder = builder(Method::POST, api, "/jwt/login", self.guest_token.secret())?;
        finish(builder.header(CONTENT_LENGTH, "0"), Vec::new())
    }

    fn parse(&self, response: Response<Vec<u8>>) -> Result<LoginAnswer, Error> {
        let mut answer = Answer::of(response)?;
        let token = answer.take_credential("token")?;
        let expires_in = answer.u64("expiresIn")?;
        Ok(LoginAnswer {
            token: AccessToken::new(token),
            expires_in,
            raw: answer.raw,
        })
    }
}

/// `GET {api}/people/me`: who is behind an access token.
#[derive(Debug, Clone, Copy)]
pub struct PeopleMe<'a> {
    /// The access token, sent as `Authorization: Bearer`.
    pub access_token: &'a AccessToken,
}

/// A Webex person: the typed fields guestissuer uses, and everything Webex said in `raw`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    /// The person id.
    pub id: String,
    /// The display name, if any.
    pub display_name: Option<String>,
    /// `person`, `bot` or `appuser` (guests).
    pub person_type: Option<String>,
    /// The whole JSON answer, keys in Webex's order (emails, orgId, created, …).
    pub raw: Map<String, Value>,
}

impl Exchange for PeopleMe<'_> {
    type Output = Person;

    fn request(&self, api: &ApiBase) -> Result<Request<Vec<u8>>, Error> {
        finish(
            builder(Method::GET, api, "/people/me", self.access_token.secret())?,
            Vec::new(),
        )
    }

    fn parse(&self, response: Response<Vec<u8>>) -> Result<Person, Error> {
        let answer = Answer::of(response)?;
        let id = answer.string("id")?;
        let text = |k: &str| {
            answer
                .raw
                .get(k)
                .and_then(Value::as_str)
                .map(str::to_string)
        };
        Ok(Person {
            id,
            display_name: text("displayName"),
            person_type: text("type"),
            raw: answer.raw,
        })
    }
}

/// A request builder with the headers every call carries. The bearer token is marked sensitive
/// (HTTP/2 never indexes it).
fn builder(
    method: Method,
    api: &ApiBase,
    path: &str,
    bearer: &str,
) -> Result<http::request::Builder, Error> {
    let mut auth =
        HeaderValue::from_str(&format!("Bearer {bearer}")).map_err(|_| Error::InvalidToken)?;
    auth.set_sensitive(true);
    Ok(Request::builder()
        .method(method)
        .uri(api.url(path))
        .header(ACCEPT, "application/json")
        .header(USER_AGENT, USER_AGENT_VALUE)
        .header(AUTHORIZATION, auth))
}

/// A JSON request body, with its content type.
fn json_body(builder: http::request::Builder, body: &Value) -> Result<Request<Vec<u8>>, Error> {
    let bytes = serde_json::to_vec(body).expect("a JSON value serializes");
    let builder = builder
        .header(CONTENT_TYPE, "application/json")
        .header(CONTENT_LENGTH, bytes.len());
    finish(builder, bytes)
}

/// Finishes a request started by [`builder`]. The bearer token was checked there and the URL is a
/// validated base plus a constant path, so a header value is all that can still be refused.
fn finish(builder: http::request::Builder, body: Vec<u8>) -> Result<Request<Vec<u8>>, Error> {
    builder.body(body).map_err(|_| Error::InvalidToken)
}

/// A 2xx answer's JSON object, parsed at the edge: a missing or mistyped field fails here, with
/// the real status and the (redacted) body kept for diagnosis.
struct Answer {
    status: u16,
    body: Vec<u8>,
    raw: Map<String, Value>,
}

impl Answer {
    /// The JSON object of a 2xx answer, or the error a non-2xx answer means.
    fn of(response: Response<Vec<u8>>) -> Result<Answer, Error> {
        let status = response.status().as_u16();
        if !response.status().is_success() {
            return Err(Error::Api(Box::new(ApiError::from_response(&response))));
        }
        let body = response.into_body();
        match serde_json::from_slice(&body) {
            Ok(Value::Object(raw)) => Ok(Answer { status, body, raw }),
            _ => Err(Error::UnexpectedAnswer {
                status,
                problem: AnswerProblem::NotJsonObject,
                body: redact::body(&body),
            }),
        }
    }

    fn missing(&self, name: &'static str) -> Error {
        Error::UnexpectedAnswer {
            status: self.status,
            problem: AnswerProblem::MissingField(name),
            body: redact::body(&self.body),
        }
    }

    /// A required, non-empty string field.
    fn string(&self, name: &'static str) -> Result<String, Error> {
        match self.raw.get(name).and_then(Value::as_str) {
            Some(text) if !text.is_empty() => Ok(text.to_string()),
            _ => Err(self.missing(name)),
        }
    }

    /// A required whole-number field.
    fn u64(&self, name: &'static str) -> Result<u64, Error> {
        self.raw
            .get(name)
            .and_then(Value::as_u64)
            .ok_or_else(|| self.missing(name))
    }

    /// A required credential field: its value, replaced in `raw` by `"[redacted]"` (the key keeps
    /// its place, so `--json` can put the value back where Webex had it).
    fn take_credential(&mut self, name: &'static str) -> Result<String, Error> {
        let value = self.string(name)?;
        self.raw.insert(name.into(), Value::String(REDACTED.into()));
        Ok(value)
    }
}

/// What stands in an answer's `raw` map where a credential was.
pub const REDACTED: &str = "[redacted]";

/// A Webex error answer: any non-2xx response.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ApiError {
    /// The HTTP status.
    pub status: u16,
    /// The body's `message` (Webex's shape) or `error_description`/`error` (OAuth's), if any.
    pub message: Option<String>,
    /// The body's `errors[].description`, when they add to `message`.
    pub details: Vec<String>,
    /// Webex's `trackingId` (body, else the `trackingid` header): Webex support asks for it.
    pub tracking_id: Option<String>,
    /// The body as received, capped and with credentials redacted ([`redact::body`]), for
    /// diagnosis; the message shows an excerpt of it when the body is not Webex JSON.
    pub body: String,
    /// `Retry-After` as sent, for a 429 or 503: shown in the message, since when it is still the
    /// answer after the retries the wait was longer than the time left.
    pub retry_after: Option<String>,
    /// What this status most likely means for this endpoint, when the endpoint knows.
    pub hint: Option<String>,
}

impl ApiError {
    /// Reads status, message, details and trackingId from any response.
    pub fn from_response(response: &Response<Vec<u8>>) -> Self {
        let header = |name: &str| {
            response
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
        };
        let json: Option<Map<String, Value>> = serde_json::from_slice(response.body()).ok();
        let text = |key: &str| {
            json.as_ref()
                .and_then(|b| b.get(key))
                .and_then(Value::as_str)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
        };
        // Webex's shape has `message`; OAuth's (the token endpoints) `error` and
        // `error_description`.
        let oauth = match (text("error"), text("error_description")) {
            (Some(error), Some(description)) => Some(format!("{error}: {description}")),
            (error, description) => description.or(error),
        };
        let message = text("message").or(oauth);
        let details: Vec<String> = json
            .as_ref()
            .and_then(|b| b.get("errors"))
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|e| e.get("description").and_then(Value::as_str))
            .filter(|d| Some(*d) != message.as_deref())
            .map(str::to_string)
            .collect();
        ApiError {
            status: response.status().as_u16(),
            message,
            details,
            tracking_id: text("trackingId").or_else(|| header("trackingid")),
            body: redact::body(response.body()),
            retry_after: header("retry-after"),
            hint: None,
        }
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let status = StatusCode::from_u16(self.status).ok();
        let reason = status.and_then(|s| s.canonical_reason()).unwrap_or("");
        write!(f, "Webex answered {} {reason}", self.status)?;
        if let Some(message) = &self.message {
            write!(f, ": {}", message.trim_end_matches('.'))?;
        }
        for detail in &self.details {
            write!(f, "; {}", detail.trim_end_matches('.'))?;
        }
        if self.message.is_none() && self.details.is_empty() {
            match redact::excerpt(&self.body) {
                excerpt if excerpt.is_empty() => f.write_str(" (empty body)")?,
                excerpt => write!(f, " (body: {excerpt:?})")?,
            }
        }
        if let Some(hint) = &self.hint {
            write!(f, "; likely cause: {hint}")?;
        }
        if let Some(wait) = &self.retry_after {
            write!(f, " (Retry-After: {wait})")?;
        }
        if let Some(id) = &self.tracking_id {
            write!(f, " (trackingId {id})")?;
        }
        Ok(())
    }
}

impl std::error::Error for ApiError {}

/// Adds `hint` to a Webex error answer with status `status`.
fn with_hint<T>(result: Result<T, Error>, status: u16, hint: &str) -> Result<T, Error> {
    result.map_err(|e| match e {
        Error::Api(mut api) if api.status == status => {
            api.hint = Some(hint.to_string());
            Error::Api(api)
        }
        other => other,
    })
}

/// `POST {api}/guests/token`: creates (or finds) a Service App guest and returns an access token
/// for it. Needs a Service App token with the `guest-issuer:write` scope.
#[derive(Debug, Clone, Copy)]
pub struct GuestsCreate<'a> {
    /// The Service App access token.
    pub token: &'a AccessToken,
    /// The guest's subject: the same subject is the same guest.
    pub subject: &'a str,
    /// The guest's display name; a new one renames the guest.
    pub display_name: &'a str,
}

/// A Service App guest and its access token.
#[derive(Debug, Clone)]
pub struct Guest {
    /// The guest's access token.
    pub access_token: AccessToken,
    /// Its lifetime in seconds.
    pub expires_in: Option<u64>,
    /// The whole JSON answer (id, subject, displayName, email, …), keys in Webex's order,
    /// `accessToken` replaced by `"[redacted]"`.
    pub raw: Map<String, Value>,
}

impl Exchange for GuestsCreate<'_> {
    type Output = Guest;

    fn request(&self, api: &ApiBase) -> Result<Request<Vec<u8>>, Error> {
        let body = serde_json::json!({ "subject": self.subject, "displayName": self.display_name });
        json_body(
            builder(Method::POST, api, "/guests/token", self.token.secret())?,
            &body,
        )
    }

    fn parse(&self, response: Response<Vec<u8>>) -> Result<Guest, Error> {
        let mut answer = with_hint(
            Answer::of(response),
            403,
            "the token lacks the guest-issuer:write scope, or the Service App is not authorised in Control Hub",
        )?;
        let access_token = AccessToken::new(answer.take_credential("accessToken")?);
        let expires_in = answer.raw.get("expiresIn").and_then(Value::as_u64);
        Ok(Guest {
            access_token,
            expires_in,
            raw: answer.raw,
        })
    }
}

/// `GET {api}/guests/count`: how many guests the Service App has. Needs `guest-issuer:read`.
#[derive(Debug, Clone, Copy)]
pub struct GuestsCount<'a> {
    /// The Service App access token.
    pub token: &'a AccessToken,
}

impl Exchange for GuestsCount<'_> {
    type Output = u64;

    fn request(&self, api: &ApiBase) -> Result<Request<Vec<u8>>, Error> {
        finish(
            builder(Method::GET, api, "/guests/count", self.token.secret())?,
            Vec::new(),
        )
    }

    /// Webex documents a `text/plain` number; a JSON `{"count": n}` is accepted too.
    fn parse(&self, response: Response<Vec<u8>>) -> Result<u64, Error> {
        let status = response.status();
        if !status.is_success() {
            let error = Error::Api(Box::new(ApiError::from_response(&response)));
            return with_hint(Err(error), 403, "the token lacks the guest-issuer:read scope, or the Service App is not authorised in Control Hub");
        }
        let text = String::from_utf8_lossy(response.body());
        if let Ok(n) = text.trim().parse::<u64>() {
            return Ok(n);
        }
        let count = serde_json::from_str::<Value>(&text)
            .ok()
            .and_then(|v| v.get("count").and_then(Value::as_u64));
        count.ok_or_else(|| Error::UnexpectedAnswer {
            status: status.as_u16(),
            problem: AnswerProblem::NotACount,
            body: redact::body(response.body()),
        })
    }
}

/// `POST {api}/memberships`: adds a person to a space, authorised by a member of the space.
#[derive(Debug, Clone, Copy)]
pub struct AddMembership<'a> {
    /// An access token of a member of the space.
    pub token: &'a AccessToken,
    /// The space (room) id.
    pub room_id: &'a str,
    /// The person to add.
    pub person_id: &'a str,
    /// Make them a moderator.
    pub is_moderator: bool,
}

/// A membership Webex created.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Membership {
    /// The membership id.
    pub id: String,
    /// The whole JSON answer, keys in Webex's order.
    pub raw: Map<String, Value>,
}

impl Exchange for AddMembership<'_> {
    type Output = Membership;

    fn request(&self, api: &ApiBase) -> Result<Request<Vec<u8>>, Error> {
        let body = serde_json::json!({
            "roomId": self.room_id,
            "personId": self.person_id,
            "isModerator": self.is_moderator,
        });
        json_body(
            builder(Method::POST, api, "/memberships", self.token.secret())?,
            &body,
        )
    }

    fn parse(&self, response: Response<Vec<u8>>) -> Result<Membership, Error> {
        let result = with_hint(
            Answer::of(response),
            404,
            "the room or the person was not found (or the token's user cannot see the room)",
        );
        let result = with_hint(result, 409, "the person is already a member of this space");
        let answer = with_hint(result, 403, "the token's user may not add people to this space (a moderated space needs a moderator)")?;
        Ok(Membership {
            id: answer.string("id")?,
            raw: answer.raw,
        })
    }
}
