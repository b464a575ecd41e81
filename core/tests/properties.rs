//! Property tests (proptest) of the signer, the decoder and the verifier, over arbitrary Unicode
//! claims, keys and expiries. A modest number of cases keeps them within CI's time; the fuzz
//! targets in `fuzz/` run the same properties for as long as one wants.

use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig};
use base64::engine::DecodePaddingMode;
use base64::{alphabet, Engine};
use guestissuer_core::{decode, Error, GuestClaims, IssuerSecret, Signer, Verifier, MAX_EXP};
use proptest::prelude::*;
use serde_json::{Map, Value};

/// Base64url as a token part is decoded: padding optional (the oracle for one-byte changes).
const B64URL: GeneralPurpose = GeneralPurpose::new(
    &alphabet::URL_SAFE,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 256,
        ..ProptestConfig::default()
    }
}

/// Any Unicode text, control characters, quotes and backslashes included.
fn text() -> impl Strategy<Value = String> {
    prop::collection::vec(any::<char>(), 0..24).prop_map(String::from_iter)
}

/// A key of 1 to 80 bytes, as the base64 text a user gives.
fn key() -> impl Strategy<Value = (Vec<u8>, IssuerSecret)> {
    prop::collection::vec(any::<u8>(), 1..80).prop_map(|bytes| {
        let text = base64::engine::general_purpose::STANDARD.encode(&bytes);
        let secret = IssuerSecret::from_base64(&text).unwrap();
        assert_eq!(secret.expose_bytes(), bytes);
        (bytes, secret)
    })
}

fn payload_of(sub: &str, name: &str, iss: &str, exp: u64) -> Map<String, Value> {
    let Value::Object(map) = serde_json::json!({"sub": sub, "name": name, "iss": iss, "exp": exp})
    else {
        unreachable!()
    };
    map
}

/// What `verify` must say about `token` changed in one byte: the decode error of the changed
/// part, the header's other algorithm, or an invalid signature. Written from the token format
/// (three parts, base64url, JSON objects; `alg` before the signature), not from the verifier.
fn expected_after_change(token: &str) -> Error {
    let token = token.trim();
    let parts: Vec<&str> = token.split('.').collect();
    if parts.len() != 3 {
        return Error::TokenParts { found: parts.len() };
    }
    let mut header = Map::new();
    for part in 1..=3u8 {
        let Ok(bytes) = B64URL.decode(parts[usize::from(part) - 1]) else {
            return Error::TokenPartNotBase64 { part };
        };
        if part < 3 {
            match serde_json::from_slice(&bytes) {
                Ok(Value::Object(map)) if part == 1 => header = map,
                Ok(Value::Object(_)) => {}
                _ => return Error::TokenPartNotJson { part },
            }
        }
    }
    match header.get("alg").and_then(Value::as_str) {
        Some("HS256") => Error::SignatureInvalid,
        other => Error::AlgorithmNotHs256 {
            alg: other.unwrap_or("(missing)").into(),
        },
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn sign_then_decode_returns_the_claims(
        sub in text(), name in text(), iss in text(), exp in 0..=MAX_EXP, (_, secret) in key()
    ) {
        let claims = GuestClaims { sub: &sub, name: &name, iss: &iss, exp };
        let token = Signer::new(&secret).sign(&claims);
        let decoded = decode(&token).unwrap();
        // The same claims, in the original tool's order, and nothing else.
        prop_assert_eq!(
            serde_json::to_string(&decoded.payload).unwrap(),
            serde_json::to_string(&payload_of(&sub, &name, &iss, exp)).unwrap()
        );
        prop_assert_eq!(decoded.alg(), Some("HS256"));
        prop_assert_eq!(decoded.expires_at(), Some(exp));
    }

    #[test]
    fn a_token_verifies_with_its_key_and_no_other(
        sub in text(), name in text(), iss in text(), exp in 1..=MAX_EXP,
        now_fraction in 0.0..1.0f64, (bytes, secret) in key(), (other_bytes, other) in key()
    ) {
        prop_assume!(bytes != other_bytes);
        let now = ((exp as f64 * now_fraction) as u64).min(exp - 1);
        let token = Signer::new(&secret).sign(&GuestClaims { sub: &sub, name: &name, iss: &iss, exp });
        let verified = Verifier::new(&secret).verify(&token, now).unwrap();
        prop_assert_eq!(verified.payload, payload_of(&sub, &name, &iss, exp));
        prop_assert_eq!(Verifier::new(&other).verify(&token, now), Err(Error::SignatureInvalid));
        // Expired at exp, whatever the key says.
        prop_assert_eq!(
            Verifier::new(&secret).verify(&token, exp),
            Err(Error::Expired { exp, now: exp })
        );
    }

    /// Any one byte of a token replaced by another ASCII character: never verifies, and the
    /// error is exactly the one the changed part calls for.
    #[test]
    fn a_token_changed_in_one_byte_never_verifies(
        sub in text(), name in text(), exp in 1..=MAX_EXP, (_, secret) in key(),
        at in any::<prop::sample::Index>(), byte in 0u8..0x80
    ) {
        let token = Signer::new(&secret).sign(&GuestClaims { sub: &sub, name: &name, iss: "issuer", exp });
        let mut changed = token.clone().into_bytes();
        let i = at.index(changed.len());
        prop_assume!(changed[i] != byte);
        changed[i] = byte;
        let changed = String::from_utf8(changed).unwrap();
        let err = Verifier::new(&secret).verify(&changed, 0).unwrap_err();
        let expected = expected_after_change(&changed);
        prop_assert_eq!(&err, &expected, "byte {} of {} set to {:?}", i, token, byte as char);
        // Where the change is determines the kind of error.
        let part = 1 + token[..i].matches('.').count() as u8;
        let kind_ok = match &err {
            Error::TokenParts { found } => (byte == b'.' && *found == 4) || (token.as_bytes()[i] == b'.' && *found == 2),
            Error::TokenPartNotBase64 { part: p } | Error::TokenPartNotJson { part: p } => *p == part,
            Error::AlgorithmNotHs256 { .. } => part == 1,
            Error::SignatureInvalid => byte != b'.',
            _ => false,
        };
        prop_assert!(kind_ok, "{:?} for a change in part {}", err, part);
        // A character outside base64url (and `=`), inside the part, is exactly "not base64".
        let interior = i > 0 && i + 1 < token.len();
        if token.as_bytes()[i] != b'.' && byte != b'.' && byte != b'=' && interior
            && !byte.is_ascii_alphanumeric() && byte != b'-' && byte != b'_'
        {
            prop_assert_eq!(err, Error::TokenPartNotBase64 { part });
        }
    }

    #[test]
    fn decode_never_panics(text in any::<String>()) {
        check_decode(&text)?;
    }

    #[test]
    fn decode_never_panics_on_token_shaped_text(
        text in "(eyJ|[A-Za-z0-9_=+/ -]){0,12}(\\.[A-Za-z0-9_=-]{0,16}){0,4}\\s?"
    ) {
        check_decode(&text)?;
    }
}

/// `decode` fails only with a decode error, and accepts only three parts.
fn check_decode(text: &str) -> Result<(), TestCaseError> {
    match decode(text) {
        Ok(_) => prop_assert_eq!(text.trim().split('.').count(), 3),
        Err(e) => prop_assert!(
            matches!(
                e,
                Error::TokenParts { .. }
                    | Error::TokenPartNotBase64 { .. }
                    | Error::TokenPartNotJson { .. }
            ),
            "{:?}",
            e
        ),
    }
    Ok(())
}
