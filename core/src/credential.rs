//! Credentials as types: each one a newtype whose `Debug` prints `Name([redacted])`, with no
//! `Display`, reached only through one explicitly named accessor, [`GuestToken::secret`] and its
//! twins. Redaction is then a property of the type, not of every place that prints one.

use serde::{Deserialize, Serialize};

macro_rules! credential_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        ///
        /// `Debug` is redacted, there is no `Display`, and the value is reached only through
        #[doc = concat!("[`", stringify!($name), "::secret`].")]
        #[derive(Clone, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            /// Wraps a credential value. Surrounding whitespace (a pasted newline) is dropped.
            pub fn new(value: impl Into<String>) -> Self {
                let value = value.into();
                match value.trim() {
                    trimmed if trimmed.len() == value.len() => $name(value),
                    trimmed => $name(trimmed.to_string()),
                }
            }

            /// The credential itself. Named so that every use of the raw value is easy to find.
            pub fn secret(&self) -> &str {
                &self.0
            }

            /// A form safe for logs: at most its first 12 characters (a third of a short one)
            /// and an ellipsis, never the whole value.
            pub fn shortened(&self) -> String {
                shorten(&self.0)
            }
        }

        impl std::fmt::Debug for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(concat!(stringify!($name), "([redacted])"))
            }
        }
    };
}

credential_type!(
    /// A signed guest token (a compact HS256 JWT), as `create` prints and `/jwt/login` takes.
    GuestToken
);
credential_type!(
    /// A Webex access token: a user's, a bot's, a guest's or a Service App's, sent as
    /// `Authorization: Bearer`.
    AccessToken
);
credential_type!(
    /// An OAuth refresh token, exchanged at `/access_token` for a new access token.
    RefreshToken
);
credential_type!(
    /// An OAuth client secret (of a Service App or an integration).
    ClientSecret
);

/// A value shortened for logs: at most its first 12 characters (a third of a short one) and an
/// ellipsis, never the whole value.
///
/// ```
/// assert_eq!(guestissuer_core::credential::shorten("abcdef"), "ab…");
/// assert_eq!(guestissuer_core::credential::shorten("a"), "…");
/// ```
pub fn shorten(value: &str) -> String {
    let keep = (value.chars().count() / 3).min(12);
    let head: String = value.chars().take(keep).collect();
    format!("{head}…")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_is_redacted_and_the_value_reached_by_name() {
        let token = AccessToken::new(" abc.def.ghi\n");
        assert_eq!(format!("{token:?}"), "AccessToken([redacted])");
        assert_eq!(format!("{token:#?}"), "AccessToken([redacted])");
        assert_eq!(token.secret(), "abc.def.ghi");
        assert_eq!(token.shortened(), "abc…");
        assert_eq!(
            format!("{:?}", ClientSecret::new("s3cr3t")),
            "ClientSecret([redacted])"
        );
    }

    #[test]
    fn serde_is_the_bare_string() {
        let token: RefreshToken = serde_json::from_str("\"r-1\"").unwrap();
        assert_eq!(token.secret(), "r-1");
        assert_eq!(serde_json::to_string(&token).unwrap(), "\"r-1\"");
    }

    #[test]
    fn shortened_never_holds_the_whole_value() {
        assert_eq!(
            shorten("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIi"),
            "eyJhbGciOiJI…"
        );
        assert_eq!(shorten("abcdef"), "ab…");
        assert_eq!(shorten("a"), "…");
    }
}
