//! Signing, decoding and verifying guest tokens, with the floor beside them: a bare `ring`
//! HMAC-SHA256 over the same signing input. `cargo bench -p guestissuer-core`.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use guestissuer_core::{decode, GuestClaims, IssuerSecret, Signer, Verifier};
use ring::hmac;

const SECRET: &str = "c2VjcmV0LWtleS1mb3ItZXhhbXBsZXMtMzItYnl0ZXMhIQ==";
const ISSUER: &str = "Y2lzY29zcGFyazovL3VzL09SR0FOSVpBVElPTi9mYWtlLW9yZy0wMDAx";

fn claims() -> GuestClaims<'static> {
    GuestClaims {
        sub: "user-123456",
        name: "Guest Number 123456",
        iss: ISSUER,
        exp: 1_795_842_200,
    }
}

fn sign(c: &mut Criterion) {
    let secret = IssuerSecret::from_base64(SECRET).unwrap();
    let signer = Signer::new(&secret);
    let token = signer.sign(&claims());
    let signing_input = token[..token.rfind('.').unwrap()].to_string();
    let key = hmac::Key::new(hmac::HMAC_SHA256, secret.expose_bytes());

    let mut group = c.benchmark_group("sign");
    group.bench_function("floor: bare ring HMAC-SHA256 of the signing input", |b| {
        b.iter(|| hmac::sign(&key, black_box(signing_input.as_bytes())))
    });
    let (mut scratch, mut out) = (Vec::with_capacity(256), String::with_capacity(512));
    group.bench_function("Signer::sign_into (reused buffers)", |b| {
        b.iter(|| {
            out.clear();
            signer.sign_into(black_box(&claims()), &mut scratch, &mut out);
        })
    });
    group.bench_function("Signer::sign (allocating)", |b| {
        b.iter(|| signer.sign(black_box(&claims())))
    });
    group.bench_function("Signer::new + sign (one-shot create)", |b| {
        b.iter(|| Signer::new(black_box(&secret)).sign(&claims()))
    });
    group.finish();

    let verifier = Verifier::new(&secret);
    c.bench_function("decode", |b| b.iter(|| decode(black_box(&token)).unwrap()));
    c.bench_function("verify", |b| {
        b.iter(|| verifier.verify(black_box(&token), 1_795_836_800).unwrap())
    });
}

criterion_group!(benches, sign);
criterion_main!(benches);
