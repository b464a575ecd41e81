//! Protocol tests, driven by `fixtures/*.json` (a new fixture file is a new test): each fixture's
//! call runs through core and `transport::execute` over the in-memory fixture transport. The
//! snapshot holds every request built, every wait, and the parsed result or error.

use std::fmt::Write;
use std::time::Duration;

use guestissuer_core::webex::{ApiBase, Exchange, JwtLogin, PeopleMe};
use guestissuer_transport::execute;
use guestissuer_transport::fixture::{Fixture, FixtureTransport};
use http::Request;

use crate::helpers::NOW;

fn run<E: Exchange>(fixture: &Fixture, exchange: &E, show: impl Fn(E::Output) -> String) -> String {
    let api = ApiBase::parse("https://webexapis.com/v1").unwrap();
    let mut transport = FixtureTransport::new(fixture, NOW);
    let result = execute(
        &mut transport,
        &api,
        exchange,
        Duration::from_secs(30),
        &mut |_| {},
    );
    let mut text = String::new();
    for (i, request) in transport.sent.iter().enumerate() {
        writeln!(
            text,
            "request {}: {}",
            i + 1,
            describe(request, fixture.input("token"))
        )
        .unwrap();
    }
    writeln!(text, "waits: {:?}", transport.waits).unwrap();
    writeln!(text, "unused exchanges: {}", transport.unused()).unwrap();
    match result {
        Ok(output) => writeln!(text, "result:\n{}", show(output)).unwrap(),
        Err(error) => {
            writeln!(text, "error: {error}\n{error:#?}").unwrap();
            writeln!(text, "webex status: {:?}", error.webex_status()).unwrap();
        }
    }
    text
}

/// The request line, headers in order, and body; the bearer token is checked to be exactly the
/// input token, then shown as a placeholder so no token lands in a snapshot.
fn describe(request: &Request<Vec<u8>>, token: &str) -> String {
    let mut text = format!("{} {}\n", request.method(), request.uri());
    for (name, value) in request.headers() {
        let value = value.to_str().unwrap();
        let shown = if name == "authorization" {
            assert_eq!(
                value,
                format!("Bearer {token}"),
                "the bearer token is the input, exactly"
            );
            assert!(request.headers()[name].is_sensitive());
            "Bearer [token]"
        } else {
            value
        };
        writeln!(text, "  {name}: {shown}").unwrap();
    }
    write!(
        text,
        "  body: {:?}",
        String::from_utf8_lossy(request.body())
    )
    .unwrap();
    text
}

#[test]
fn fixtures() {
    insta::glob!("../../fixtures", "*.json", |path| {
        let fixture = Fixture::from_json(&std::fs::read_to_string(path).unwrap()).unwrap();
        let token = fixture.input("token");
        let text = match fixture.endpoint.as_str() {
            "jwt/login" => run(&fixture, &JwtLogin { guest_token: token }, |a| {
                assert!(
                    !format!("{a:?}").contains(&a.token),
                    "Debug redacts the token"
                );
                format!(
                    "token is the recorded one: {}\nexpires_in: {}",
                    a.token == recorded_token(&fixture),
                    a.expires_in
                )
            }),
            "people/me" => run(
                &fixture,
                &PeopleMe {
                    access_token: token,
                },
                |p| {
                    format!(
                        "id: {}\ndisplay_name: {:?}\ntype: {:?}\nraw: {:#}",
                        p.id,
                        p.display_name,
                        p.person_type,
                        serde_json::Value::Object(p.raw)
                    )
                },
            ),
            other => panic!("fixture {path:?}: unknown endpoint {other}"),
        };
        insta::assert_snapshot!(text);
    });
}

/// The access token of the last recorded response.
fn recorded_token(fixture: &Fixture) -> String {
    let body = fixture
        .exchanges
        .last()
        .and_then(|e| e.response.body.clone())
        .unwrap_or_default();
    body["token"].as_str().unwrap_or_default().to_string()
}

#[test]
fn a_request_to_a_plain_http_remote_host_is_refused_before_building() {
    assert_eq!(
        ApiBase::parse("http://webexapis.com/v1").unwrap_err().to_string(),
        "refusing http:// for webexapis.com: tokens are credentials; use https:// (http:// is allowed for loopback hosts only)"
    );
    for ok in [
        "http://127.0.0.1:8080/v1",
        "http://localhost/v1",
        "http://[::1]:9/v1",
        "https://webexapis.com/v1/",
    ] {
        ApiBase::parse(ok).unwrap();
    }
}
