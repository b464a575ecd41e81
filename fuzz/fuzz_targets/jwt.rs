//! `decode` and `Verifier::verify` on arbitrary text at an arbitrary `now`, and sign → verify →
//! decode round trips of arbitrary claims.
//!
//! Input: `text`, optionally followed by a NUL byte and up to 8 bytes of `now` (little endian;
//! without a NUL, `now` is the tests' fixed clock). The same text, split at its first two line
//! breaks, is `sub`, `name` and `iss` for the round trip, with `exp = now % (MAX_EXP + 1)`.

#![no_main]

use guestissuer_core::{decode, Error, GuestClaims, IssuerSecret, Signer, Verifier, MAX_EXP};
use guestissuer_fixtures::{NOW, SECRET};
use libfuzzer_sys::fuzz_target;
use ring::hmac;
use serde_json::Value;

/// Another key: nothing signed with `SECRET` may verify with it.
const OTHER: &str = "b3RoZXI=";

fuzz_target!(|data: &[u8]| {
    let (text, now) = split(data);
    let text = String::from_utf8_lossy(text);
    let secret = IssuerSecret::from_base64(SECRET).unwrap();
    let other = Verifier::new(&IssuerSecret::from_base64(OTHER).unwrap());
    decode_and_verify(&text, now, &secret, &other);
    round_trip(&text, now, &secret, &other);
});

fn split(data: &[u8]) -> (&[u8], u64) {
    match data.iter().rposition(|&b| b == 0) {
        Some(i) => {
            let tail = &data[i + 1..];
            let mut bytes = [0u8; 8];
            let n = tail.len().min(8);
            bytes[..n].copy_from_slice(&tail[..n]);
            (&data[..i], u64::from_le_bytes(bytes))
        }
        None => (data, NOW),
    }
}

fn is_decode_error(e: &Error) -> bool {
    matches!(
        e,
        Error::TokenParts { .. }
            | Error::TokenPartNotBase64 { .. }
            | Error::TokenPartNotJson { .. }
    )
}

/// Every error is one line: the CLI prints it as its one line on stderr.
fn one_line(e: &Error) {
    let message = e.to_string();
    assert!(
        !message.contains(['\n', '\r']),
        "an error message spans lines: {message:?}"
    );
}

fn decode_and_verify(text: &str, now: u64, secret: &IssuerSecret, other: &Verifier) {
    let decoded = decode(text);
    match &decoded {
        Ok(d) => {
            assert_eq!(text.trim().split('.').count(), 3);
            assert_eq!(decode(text.trim()).as_ref(), Ok(d));
            let _ = d.expiry();
            let _ = d.expires_at();
        }
        Err(e) => {
            assert!(is_decode_error(e), "decode gave {e:?}");
            one_line(e);
        }
    }
    let verified = Verifier::new(secret).verify(text, now);
    match (&decoded, &verified) {
        (Err(d), Err(v)) => assert_eq!(d, v, "verify reports the decode error"),
        (Err(d), Ok(_)) => panic!("verify accepted what decode refused ({d:?})"),
        (Ok(_), Err(v)) => {
            assert!(!is_decode_error(v), "verify failed to decode: {v:?}");
            one_line(v);
            match v {
                Error::Expired { exp, now: at } => assert!(*at == now && now >= *exp),
                Error::NotYetValid { nbf, now: at } => assert!(*at == now && now < *nbf),
                _ => {}
            }
        }
        (Ok(d), Ok(v)) => {
            assert_eq!(d, v);
            assert_eq!(v.alg(), Some("HS256"));
            assert!(!v.header.contains_key("crit"));
            // The signature, checked independently of the verifier.
            let token = text.trim();
            let input = &token[..token.rfind('.').unwrap()];
            let key = hmac::Key::new(hmac::HMAC_SHA256, secret.expose_bytes());
            assert_eq!(
                hmac::sign(&key, input.as_bytes()).as_ref(),
                &v.signature[..]
            );
            assert!(v.payload.get("exp").is_some_and(Value::is_number));
            let exp = v.expiry().unwrap().unwrap();
            assert!(now < exp, "verified at {now}, expired at {exp}");
            if let Some(nbf) = v.payload.get("nbf") {
                assert!(now as f64 >= nbf.as_f64().unwrap().ceil());
            }
            assert_eq!(other.verify(text, now), Err(Error::SignatureInvalid));
        }
    }
}

fn round_trip(text: &str, now: u64, secret: &IssuerSecret, other: &Verifier) {
    let mut parts = text.splitn(3, '\n');
    let claims = GuestClaims {
        sub: parts.next().unwrap_or(""),
        name: parts.next().unwrap_or(""),
        iss: parts.next().unwrap_or(""),
        exp: now % (MAX_EXP + 1),
    };
    let signer = Signer::new(secret);
    let token = signer.sign(&claims);
    let (mut scratch, mut appended) = (Vec::new(), String::from("x"));
    signer.sign_into(&claims, &mut scratch, &mut appended);
    assert_eq!(appended[1..], token, "sign_into and sign agree");
    assert_eq!(
        scratch,
        serde_json::to_vec(&claims).unwrap(),
        "the payload is serde_json's"
    );

    let decoded = decode(&token).expect("a signed token decodes");
    assert_eq!(
        Value::Object(decoded.header.clone()),
        serde_json::json!({"alg": "HS256", "typ": "JWT"})
    );
    let keys: Vec<&str> = decoded.payload.keys().map(String::as_str).collect();
    assert_eq!(keys, ["sub", "name", "iss", "exp"]);
    assert_eq!(decoded.payload["sub"], claims.sub);
    assert_eq!(decoded.payload["name"], claims.name);
    assert_eq!(decoded.payload["iss"], claims.iss);
    assert_eq!(decoded.payload["exp"].as_u64(), Some(claims.exp));
    assert_eq!(decoded.expires_at(), Some(claims.exp));

    let verifier = Verifier::new(secret);
    if claims.exp > 0 {
        assert_eq!(
            verifier.verify(&token, claims.exp - 1).as_ref(),
            Ok(&decoded)
        );
        assert_eq!(
            verifier.verify(&token, now % claims.exp).as_ref(),
            Ok(&decoded)
        );
    }
    assert_eq!(
        verifier.verify(&token, claims.exp),
        Err(Error::Expired {
            exp: claims.exp,
            now: claims.exp
        })
    );
    assert_eq!(other.verify(&token, 0), Err(Error::SignatureInvalid));
}
