//! `IssuerSecret::from_base64` on arbitrary text, against a reference decoder written out here,
//! and: an error never quotes the input (when it is longer than 3 characters) and is one line.

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
        let (message, debug) = (e.to_string(), format!("{e:?}"));
        assert!(!message.contains(['\n', '\r']), "{message:?}");
        for input in [&*text, text.trim()] {
            if input.chars().count() > 3 {
                assert!(!message.contains(input), "{message:?} quotes {input:?}");
                assert!(!debug.contains(input), "{debug:?} quotes {input:?}");
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
