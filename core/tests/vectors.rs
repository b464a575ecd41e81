//! Known-answer vectors produced by the original tool (`sparkguest@0.4.0` from npm); see
//! `data/README.md`. Every token must come out byte-identical.

use guestissuer_core::{GuestClaims, IssuerSecret, Signer, Verifier};
use serde::Deserialize;

#[derive(Deserialize)]
struct File {
    vectors: Vec<Vector>,
}

#[derive(Deserialize)]
struct Vector {
    comment: String,
    sub: String,
    name: String,
    iss: String,
    secret: String,
    exp: u64,
    token: String,
}

fn vectors() -> Vec<Vector> {
    let text = include_str!("data/sparkguest-vectors.json");
    serde_json::from_str::<File>(text).unwrap().vectors
}

#[test]
fn signer_matches_the_original_tool_byte_for_byte() {
    let vectors = vectors();
    assert!(vectors.len() >= 40);
    for v in &vectors {
        let secret = IssuerSecret::from_base64(&v.secret).unwrap();
        let claims = GuestClaims {
            sub: &v.sub,
            name: &v.name,
            iss: &v.iss,
            exp: v.exp,
        };
        assert_eq!(
            Signer::new(&secret).sign(&claims),
            v.token,
            "{} / {:?}",
            v.comment,
            v.name
        );
    }
}

#[test]
fn verifier_accepts_every_vector_before_expiry_only() {
    for v in vectors() {
        let verifier = Verifier::new(&IssuerSecret::from_base64(&v.secret).unwrap());
        let decoded = verifier.verify(&v.token, v.exp - 1).unwrap();
        assert_eq!(decoded.payload["name"], v.name.as_str());
        assert!(verifier.verify(&v.token, v.exp).is_err());
    }
}

#[test]
fn vectors_cover_the_hard_cases() {
    let vectors = vectors();
    let has = |f: &dyn Fn(&Vector) -> bool| vectors.iter().any(f);
    assert!(has(&|v| v.name.contains('é')));
    assert!(has(&|v| v.name.contains('中')));
    assert!(has(&|v| v.name.contains('🎉')));
    assert!(has(&|v| v.name.contains('"') && v.secret.len() > 40));
    assert!(has(&|v| v.name.contains('\\')));
    assert!(has(
        &|v| v.name.contains('\u{1}') && v.name.contains('\u{7f}')
    ));
    assert!(has(&|v| v.name.chars().count() > 300));
    assert!(has(&|v| v.secret.contains(['-', '_'])));
    assert!(has(&|v| !v.secret.ends_with('=') && v.secret.len() % 4 != 0));
}
