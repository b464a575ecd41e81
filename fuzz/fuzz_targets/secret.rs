//! `IssuerSecret::from_base64` on arbitrary text, against a reference decoder written out here,
//! and: an error's message and `Debug` are fixed texts with numbers, so they never quote the input
//! (checked directly too, when it is longer than 3 characters), and are one line.

#![no_main]

use guestissuer_core::IssuerSecret;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let result = IssuerSecret::from_base64(&text);
    let expected = reference(&text);
    match (&result, &expected) {
        (Ok(secret), Some(bytes)) => {
            assert_eq!(secret.expose_bytes(), &bytes[..], "{text:?}");
            assert_eq!(format!("{secret:?}"), "IssuerSecret([redacted])");
        }
        (Err(_), None) => {}
        _ => panic!(
            "{text:?}: from_base64 gave {:?}, the reference {expected:?}",
            result.as_ref().map(|s| s.expose_bytes())
        ),
    }
    if let Err(e) = &result {
        // Message and Debug are fixed texts with numbers: nothing of the input but positions
        // and lengths can be in them.
        let (message, debug) = (shape(&e.to_string()), shape(&format!("{e:?}")));
        assert!(MESSAGES.iter().any(|t| shape(t) == message), "{message:?}");
        assert!(DEBUGS.iter().any(|t| shape(t) == debug), "{debug:?}");
        // And so the input is never in them, unless it is a piece of those fixed texts
        // (found: "acter at", in "invalid character at position 6").
        let (message, debug) = (e.to_string(), format!("{e:?}"));
        for input in [&*text, text.trim()] {
            if input.chars().count() > 3 && (message.contains(input) || debug.contains(input)) {
                let piece = shape(input);
                assert!(
                    MESSAGES
                        .iter()
                        .chain(DEBUGS)
                        .any(|t| shape(t).contains(&piece)),
                    "{message:?} / {debug:?} quotes {input:?}"
                );
            }
        }
    }
});

/// Base64 as the secret is documented: surrounding whitespace ignored; the standard (`+/`) or the
/// URL-safe (`-_`) alphabet, not both; `=` padding optional, and never more than the length calls
/// for (`+/=`, one of two, is accepted, as the base64 crate's `Indifferent` mode does); leftover
/// bits of the last character ignored (as Node does); at least one byte.
fn reference(text: &str) -> Option<Vec<u8>> {
    let text = text.trim();
    let body = text.trim_end_matches('=');
    let pad = text.len() - body.len();
    if body.contains(['-', '_']) && body.contains(['+', '/']) {
        return None;
    }
    let (mut bits, mut count, mut out) = (0u32, 0u32, Vec::new());
    for c in body.chars() {
        let value = match c {
            'A'..='Z' => c as u32 - 'A' as u32,
            'a'..='z' => c as u32 - 'a' as u32 + 26,
            '0'..='9' => c as u32 - '0' as u32 + 52,
            '+' | '-' => 62,
            '/' | '_' => 63,
            _ => return None,
        };
        bits = (bits << 6) | value;
        count += 6;
        if count >= 8 {
            count -= 8;
            out.push((bits >> count) as u8);
            bits &= (1 << count) - 1;
        }
    }
    let n = body.len();
    if n % 4 == 1 || (pad != 0 && (n % 4 == 0 || pad > 4 - n % 4)) || out.is_empty() {
        return None;
    }
    Some(out)
}

/// Every message a secret error has (compared by [`shape`]: any number where `N` is).
const MESSAGES: &[&str] = &[
    "the issuer secret is empty",
    "the issuer secret is not valid base64: invalid character at position N",
    "the issuer secret is not valid base64: misplaced padding '=' at position N",
    "the issuer secret is not valid base64: N characters cannot be base64 (one too many or missing)",
    "the issuer secret is not valid base64: invalid last character at position N",
    "the issuer secret is not valid base64: wrong padding at the end",
    "the issuer secret is not valid base64: it mixes the standard (+/) and URL-safe (-_) alphabets",
];

/// Every `Debug` of a secret error (compared by [`shape`]).
const DEBUGS: &[&str] = &[
    "SecretEmpty",
    "SecretNotBase64(InvalidCharacter { position: N })",
    "SecretNotBase64(MisplacedPadding { position: N })",
    "SecretNotBase64(InvalidLength { length: N })",
    "SecretNotBase64(InvalidLastCharacter { position: N })",
    "SecretNotBase64(WrongPadding)",
    "SecretNotBase64(MixedAlphabets)",
];

/// `text` with each run of ASCII digits written `N`.
fn shape(text: &str) -> String {
    let (mut out, mut in_number) = (String::with_capacity(text.len()), false);
    for c in text.chars() {
        if !c.is_ascii_digit() {
            out.push(c);
        } else if !in_number {
            out.push('N');
        }
        in_number = c.is_ascii_digit();
    }
    out
}
