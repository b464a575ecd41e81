//! A Service App's own access token: getting it (`POST /applications/{id}/token`), refreshing it
//! (`POST /access_token`), and the credentials file that keeps what a refresh needs, as values.
//!
//! Deciding when to refresh, and what the file holds after a refresh, are pure functions of the
//! time passed in: [`Credentials::needs_refresh`] and [`Credentials::refreshed`].

use http::header::{HeaderValue, ACCEPT, AUTHORIZATION, CONTENT_LENGTH, CONTENT_TYPE, USER_AGENT};
use http::{Method, Request, Response};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::time::expiry;
use crate::webex::{ApiBase, ApiError, Exchange, USER_AGENT_VALUE};
use crate::{redact, AccessToken, AnswerProblem, ClientSecret, Error, RefreshToken};

/// `POST {api}/applications/{application_id}/token`: a Service App's access and refresh tokens,
/// authorised by the token of an integration (or another Service App) with the
/// `spark:applications_token` scope, for the org whose Full Admin authorised the Service App.
#[derive(Debug, Clone, Copy)]
pub struct ServiceAppToken<'a> {
    /// The integration's token, sent as `Authorization: Bearer`.
    pub token: &'a AccessToken,
    /// The Service App's application id.
    pub application_id: &'a str,
    /// The Service App's client id.
    pub client_id: &'a str,
    /// The Service App's client secret.
    pub client_secret: &'a ClientSecret,
    /// The org that authorised the Service App.
    pub target_org_id: &'a str,
}

/// `POST {api}/access_token` with `grant_type=refresh_token`: a new access token (and maybe a new
/// refresh token) for a refresh token. Form-encoded; no `Authorization` header.
#[derive(Debug, Clone, Copy)]
pub struct RefreshAccessToken<'a> {
    /// The Service App's client id.
    pub client_id: &'a str,
    /// The Service App's client secret.
    pub client_secret: &'a ClientSecret,
    /// The refresh token.
    pub refresh_token: &'a RefreshToken,
}

/// The answer of both endpoints.
#[derive(Debug, Clone)]
pub struct TokenAnswer {
    /// The access token.
    pub access_token: AccessToken,
    /// Its lifetime in seconds (about 14 days).
    pub expires_in: u64,
    /// The refresh token: a new one, or the same one again.
    pub refresh_token: RefreshToken,
    /// Its lifetime in seconds (about 90 days).
    pub refresh_token_expires_in: u64,
    /// The whole JSON answer, keys in Webex's order, credential values replaced by
    /// `"[redacted]"`.
    pub raw: Map<String, Value>,
}

impl Exchange for ServiceAppToken<'_> {
    type Output = TokenAnswer;

    fn request(&self, api: &ApiBase) -> Result<Request<Vec<u8>>, Error> {
        let body = serde_json::json!({
            "clientId": self.client_id,
            "clientSecret": self.client_secret.secret(),
            "targetOrgId": self.target_org_id,
        });
        let body = serde_json::to_vec(&body).expect("a JSON value serializes");
        let path = format!("/applications/{}/token", path_segment(self.application_id));
        let mut auth = HeaderValue::from_str(&format!("Bearer {}", self.token.secret()))
            .map_err(|_| Error::InvalidToken)?;
        auth.set_sensitive(true);
        request(api, &path, "application/json", body, Some(auth))
    }

    fn parse(&self, response: Response<Vec<u8>>) -> Result<TokenAnswer, Error> {
        let hint = match response.status().as_u16() {
            401 => Some("the token is expired, or is not an integration's token with the spark:applications_token scope"),
            403 => Some("the token's user is not allowed to get this Service App's token (is the Service App authorised in Control Hub for this org?)"),
            404 => Some("no such application id, or the Service App is not authorised for this org"),
            _ => None,
        };
        token_answer(response, hint)
    }
}

impl Exchange for RefreshAccessToken<'_> {
    type Output = TokenAnswer;

    fn request(&self, api: &ApiBase) -> Result<Request<Vec<u8>>, Error> {
        let body = form_urlencoded::Serializer::new(String::new())
            .append_pair("grant_type", "refresh_token")
            .append_pair("client_id", self.client_id)
            .append_pair("client_secret", self.client_secret.secret())
            .append_pair("refresh_token", self.refresh_token.secret())
            .finish();
        request(
            api,
            "/access_token",
            "application/x-www-form-urlencoded",
            body.into_bytes(),
            None,
        )
    }

    fn parse(&self, response: Response<Vec<u8>>) -> Result<TokenAnswer, Error> {
        let hint = match response.status().as_u16() {
            400 | 401 => Some("the refresh token expired or was revoked, or the client id or secret is wrong: get a new pair with 'guestissuer service-app token'"),
            _ => None,
        };
        token_answer(response, hint)
    }
}

/// One path segment, percent-encoded (an application id is base64 text, which may hold `/`).
fn path_segment(text: &str) -> String {
    form_urlencoded::byte_serialize(text.as_bytes())
        .collect::<String>()
        .replace('+', "%20")
}

fn request(
    api: &ApiBase,
    path: &str,
    content_type: &'static str,
    body: Vec<u8>,
    auth: Option<HeaderValue>,
) -> Result<Request<Vec<u8>>, Error> {
    let mut builder = Request::builder()
        .method(Method::POST)
        .uri(api.url(path))
        .header(ACCEPT, "application/json")
        .header(USER_AGENT, USER_AGENT_VALUE);
    if let Some(auth) = auth {
        builder = builder.header(AUTHORIZATION, auth);
    }
    builder
        .header(CONTENT_TYPE, content_type)
        .header(CONTENT_LENGTH, body.len())
        .body(body)
        .map_err(|_| Error::InvalidToken)
}

fn token_answer(response: Response<Vec<u8>>, hint: Option<&str>) -> Result<TokenAnswer, Error> {
    let status = response.status().as_u16();
    if !response.status().is_success() {
        let mut error = ApiError::from_response(&response);
        error.hint = hint.map(str::to_string);
        return Err(Error::Api(Box::new(error)));
    }
    let body = response.into_body();
    let unexpected = |problem| Error::UnexpectedAnswer {
        status,
        problem,
        body: redact::body(&body),
    };
    let Ok(Value::Object(mut raw)) = serde_json::from_slice::<Value>(&body) else {
        return Err(unexpected(AnswerProblem::NotJsonObject));
    };
    let mut take = |name: &'static str| match raw.get(name).and_then(Value::as_str) {
        Some(value) if !value.is_empty() => {
            let value = value.to_string();
            raw.insert(name.into(), Value::String(crate::webex::REDACTED.into()));
            Ok(value)
        }
        _ => Err(unexpected(AnswerProblem::MissingField(name))),
    };
    let access_token = AccessToken::new(take("access_token")?);
    let refresh_token = RefreshToken::new(take("refresh_token")?);
    let seconds = |name: &'static str| {
        raw.get(name)
            .and_then(Value::as_u64)
            .ok_or_else(|| unexpected(AnswerProblem::MissingField(name)))
    };
    Ok(TokenAnswer {
        access_token,
        expires_in: seconds("expires_in")?,
        refresh_token,
        refresh_token_expires_in: seconds("refresh_token_expires_in")?,
        raw,
    })
}

/// What marks a JSON document as a credentials file.
pub const CREDENTIALS_KIND: &str = "guestissuer-service-app-credentials";

/// Refresh an access token that expires within this many seconds: 5 minutes.
pub const REFRESH_MARGIN: u64 = 300;

/// A credentials file: everything a refresh needs, and the current pair with their absolute
/// expiries (Unix seconds). Parsed strictly: a missing or misspelled field fails, loudly.
/// `Debug` shows no secret (the credentials are credential types).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Credentials {
    /// Always [`CREDENTIALS_KIND`]: how a credentials file is told from a plain token file.
    pub kind: String,
    /// The format's version, 1.
    pub version: u32,
    /// The Service App's application id.
    pub application_id: String,
    /// The Service App's client id.
    pub client_id: String,
    /// The Service App's client secret.
    pub client_secret: ClientSecret,
    /// The org that authorised the Service App.
    pub org_id: String,
    /// The API base URL the tokens belong to.
    pub api: String,
    /// The access token.
    pub access_token: AccessToken,
    /// When it expires.
    pub access_token_expires_at: u64,
    /// The refresh token.
    pub refresh_token: RefreshToken,
    /// When it expires.
    pub refresh_token_expires_at: u64,
}

/// Who a Service App is: what a credentials file holds besides the tokens.
#[derive(Debug, Clone, Copy)]
pub struct ServiceApp<'a> {
    /// The application id.
    pub application_id: &'a str,
    /// The client id.
    pub client_id: &'a str,
    /// The client secret.
    pub client_secret: &'a ClientSecret,
    /// The org that authorised it.
    pub org_id: &'a str,
    /// The API base URL.
    pub api: &'a ApiBase,
}

impl Credentials {
    /// The credentials of `app` after `answer` arrived at `now` (Unix seconds).
    pub fn new(app: ServiceApp, answer: &TokenAnswer, now: u64) -> Result<Self, Error> {
        Ok(Credentials {
            kind: CREDENTIALS_KIND.into(),
            version: 1,
            application_id: app.application_id.into(),
            client_id: app.client_id.into(),
            client_secret: app.client_secret.clone(),
            org_id: app.org_id.into(),
            api: app.api.as_str().into(),
            access_token: answer.access_token.clone(),
            access_token_expires_at: expiry(now, answer.expires_in)?,
            refresh_token: answer.refresh_token.clone(),
            refresh_token_expires_at: expiry(now, answer.refresh_token_expires_in)?,
        })
    }

    /// Parses a credentials file's text. `Ok(None)` when the text is not a credentials file at
    /// all (a plain token); an error when it is one, but malformed.
    pub fn parse(text: &str) -> Result<Option<Self>, serde_json::Error> {
        use serde::de::Error as _;
        let text = text.trim_start();
        if !text.starts_with('{') {
            return Ok(None);
        }
        let credentials: Credentials = serde_json::from_str(text)?;
        if credentials.kind != CREDENTIALS_KIND {
            return Err(serde_json::Error::custom(format!(
                "kind is {:?}, not {CREDENTIALS_KIND:?}",
                credentials.kind
            )));
        }
        if credentials.version != 1 {
            return Err(serde_json::Error::custom(format!(
                "version {} is not one this guestissuer reads (1)",
                credentials.version
            )));
        }
        Ok(Some(credentials))
    }

    /// The file's text: pretty JSON and a newline.
    pub fn to_json(&self) -> String {
        let mut text = serde_json::to_string_pretty(self).expect("credentials serialize");
        text.push('\n');
        text
    }

    /// Whether the access token is expired, or expires within [`REFRESH_MARGIN`], at `now`.
    pub fn needs_refresh(&self, now: u64) -> bool {
        now.saturating_add(REFRESH_MARGIN) >= self.access_token_expires_at
    }

    /// The refresh exchange for these credentials.
    pub fn refresh(&self) -> RefreshAccessToken<'_> {
        RefreshAccessToken {
            client_id: &self.client_id,
            client_secret: &self.client_secret,
            refresh_token: &self.refresh_token,
        }
    }

    /// The credentials after a refresh `answer` arrived at `now`: the new access token, and the
    /// refresh token the answer carries (a new one, or the same one again).
    pub fn refreshed(&self, answer: &TokenAnswer, now: u64) -> Result<Self, Error> {
        Ok(Credentials {
            access_token: answer.access_token.clone(),
            access_token_expires_at: expiry(now, answer.expires_in)?,
            refresh_token: answer.refresh_token.clone(),
            refresh_token_expires_at: expiry(now, answer.refresh_token_expires_in)?,
            ..self.clone()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(access: &str, refresh: &str) -> TokenAnswer {
        TokenAnswer {
            access_token: AccessToken::new(access),
            expires_in: 1_209_599,
            refresh_token: RefreshToken::new(refresh),
            refresh_token_expires_in: 7_775_999,
            raw: Map::new(),
        }
    }

    fn credentials() -> Credentials {
        let secret = ClientSecret::new("client-secret");
        let api = ApiBase::default();
        let app = ServiceApp {
            application_id: "app",
            client_id: "client",
            client_secret: &secret,
            org_id: "org",
            api: &api,
        };
        Credentials::new(app, &answer("a1", "r1"), 1_000).unwrap()
    }

    #[test]
    fn refresh_within_five_minutes_of_expiry() {
        let c = credentials();
        assert_eq!(c.access_token_expires_at, 1_210_599);
        assert!(!c.needs_refresh(1_210_599 - 301));
        assert!(c.needs_refresh(1_210_599 - 300));
        assert!(c.needs_refresh(2_000_000));
    }

    #[test]
    fn a_refresh_keeps_the_app_and_takes_the_new_pair() {
        let c = credentials();
        let rotated = c.refreshed(&answer("a2", "r2"), 5_000).unwrap();
        assert_eq!(rotated.access_token.secret(), "a2");
        assert_eq!(rotated.refresh_token.secret(), "r2");
        assert_eq!(rotated.refresh_token_expires_at, 5_000 + 7_775_999);
        assert_eq!(rotated.client_id, "client");
        let same = c.refreshed(&answer("a3", "r1"), 5_000).unwrap();
        assert_eq!(same.refresh_token.secret(), "r1");
    }

    #[test]
    fn the_file_roundtrips_and_is_told_from_a_token() {
        let c = credentials();
        let text = c.to_json();
        let back = Credentials::parse(&text).unwrap().unwrap();
        assert_eq!(back.to_json(), text);
        assert!(Credentials::parse("  eyJhbGciOi.x.y\n").unwrap().is_none());
        let typo = text.replace("refreshTokenExpiresAt", "refreshTokenExpiresOn");
        assert!(Credentials::parse(&typo).is_err());
        let future = text.replace("\"version\": 1", "\"version\": 2");
        assert_eq!(
            Credentials::parse(&future).unwrap_err().to_string(),
            "version 2 is not one this guestissuer reads (1)"
        );
        let other = text.replace(CREDENTIALS_KIND, "something-else");
        assert!(Credentials::parse(&other).is_err());
        let debug = format!("{c:?}");
        assert!(
            !debug.contains("client-secret") && !debug.contains("a1"),
            "{debug}"
        );
    }

    #[test]
    fn the_refresh_body_is_form_encoded() {
        let secret = ClientSecret::new("s&=+ é");
        let refresh = RefreshToken::new("r/1");
        let exchange = RefreshAccessToken {
            client_id: "C1",
            client_secret: &secret,
            refresh_token: &refresh,
        };
        let request = exchange.request(&ApiBase::default()).unwrap();
        assert_eq!(request.uri(), "https://webexapis.com/v1/access_token");
        assert_eq!(
            request.headers()["content-type"],
            "application/x-www-form-urlencoded"
        );
        assert!(request.headers().get("authorization").is_none());
        assert_eq!(
            String::from_utf8(request.into_body()).unwrap(),
            "grant_type=refresh_token&client_id=C1&client_secret=s%26%3D%2B+%C3%A9&refresh_token=r%2F1"
        );
    }
}
