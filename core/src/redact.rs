//! What may be shown of values that can hold secrets: URLs with userinfo, and answer bodies kept
//! for diagnosis. Every error and debug line that shows a URL goes through [`url`].

use std::borrow::Cow;

use serde_json::Value;

/// The most of an answer body kept for diagnosis in an error: 4 KiB.
pub const MAX_DIAGNOSTIC_BODY: usize = 4 << 10;

/// JSON keys whose values are credentials, redacted in bodies kept for diagnosis.
const CREDENTIAL_KEYS: &[&str] = &[
    "token",
    "accessToken",
    "access_token",
    "refreshToken",
    "refresh_token",
    "clientSecret",
    "client_secret",
    "id_token",
];

/// `url` without its userinfo (`user:password@`), which becomes `[redacted]@`. Works on any text,
/// valid URL or not (a proxy URL with a space in it is still scrubbed), with or without a scheme.
///
/// ```
/// use guestissuer_core::redact::url;
/// assert_eq!(url("http://alice:hunter2@bad host:3128"), "http://[redacted]@bad host:3128");
/// assert_eq!(url("alice:pw@proxy:3128/x@y"), "[redacted]@proxy:3128/x@y");
/// assert_eq!(url("https://webexapis.com/v1"), "https://webexapis.com/v1");
/// ```
pub fn url(url: &str) -> Cow<'_, str> {
    let start = url.find("://").map_or(0, |i| i + 3);
    let rest = &url[start..];
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    match rest[..authority_end].rfind('@') {
        Some(at) => Cow::Owned(format!("{}[redacted]{}", &url[..start], &rest[at..])),
        None => Cow::Borrowed(url),
    }
}

/// An answer body as kept for diagnosis: at most [`MAX_DIAGNOSTIC_BODY`] bytes of text, and for
/// JSON the values of credential keys (`token`, `access_token`, `refresh_token`, …) replaced by
/// `"[redacted]"`, so that an error about an odd answer never carries the token it held.
pub fn body(bytes: &[u8]) -> String {
    if let Ok(mut value) = serde_json::from_slice::<Value>(bytes) {
        json(&mut value);
        let text = value.to_string();
        return cap(&text).to_string();
    }
    let text = String::from_utf8_lossy(&bytes[..bytes.len().min(MAX_DIAGNOSTIC_BODY)]);
    cap(&text).to_string()
}

/// Replaces, anywhere in `value`, the values of credential keys (`token`, `accessToken`,
/// `access_token`, `refresh_token`, `client_secret`, …) by `"[redacted]"`.
pub fn json(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for (key, value) in map.iter_mut() {
                if CREDENTIAL_KEYS.contains(&key.as_str()) {
                    *value = Value::String("[redacted]".into());
                } else {
                    json(value);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(json),
        _ => {}
    }
}

/// At most [`MAX_DIAGNOSTIC_BODY`] bytes, cut at a character boundary.
fn cap(text: &str) -> &str {
    if text.len() <= MAX_DIAGNOSTIC_BODY {
        return text;
    }
    let mut end = MAX_DIAGNOSTIC_BODY;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// The first 120 characters of a diagnostic body, whitespace collapsed, for one-line messages.
pub fn excerpt(body: &str) -> String {
    let words: Vec<&str> = body.split_whitespace().collect();
    let joined = words.join(" ");
    match joined.char_indices().nth(120) {
        Some((i, _)) => format!("{}…", &joined[..i]),
        None => joined,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn userinfo_is_scrubbed_from_any_url() {
        let cases = [
            ("http://u:p@proxy:3128", "http://[redacted]@proxy:3128"),
            ("http://u@proxy", "http://[redacted]@proxy"),
            ("u:p@proxy:3128", "[redacted]@proxy:3128"),
            ("https://a:b@c@host/x", "https://[redacted]@host/x"),
            ("https://host/path@x?q=@", "https://host/path@x?q=@"),
            ("::garbage", "::garbage"),
            ("", ""),
        ];
        for (input, shown) in cases {
            assert_eq!(url(input), shown, "{input}");
        }
    }

    #[test]
    fn bodies_lose_credentials_and_are_capped() {
        let json = br#"{"token":"secret-1","nested":[{"refresh_token":"r"}],"message":"m"}"#;
        assert_eq!(
            body(json),
            r#"{"token":"[redacted]","nested":[{"refresh_token":"[redacted]"}],"message":"m"}"#
        );
        let long = "é".repeat(5000);
        let kept = body(long.as_bytes());
        assert!(kept.len() <= MAX_DIAGNOSTIC_BODY && kept.chars().all(|c| c == 'é'));
        assert_eq!(excerpt("  a \n b  "), "a b");
    }
}
