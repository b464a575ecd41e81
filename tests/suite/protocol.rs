//! Protocol tests, driven by `fixtures/*.json` (a new fixture file is a new test): each fixture's
//! call runs through core and `transport::execute` over the in-memory fixture transport. The
//! snapshot holds every request built, every wait, and the parsed result or error.

use std::fmt::Write;
use std::time::Duration;

use guestissuer_core::webex::{
    AddMembership, ApiBase, Exchange, GuestsCount, GuestsCreate, JwtLogin, PeopleMe,
};
use guestissuer_transport::execute;
use guestissuer_transport::fixture::{Fixture, FixtureTransport};
use http::Request;

use crate::helpers::NOW;

fn run<E: Exchange>(fixture: &Fixture, exchange: &E, show: impl Fn(E::Output) -> String) -> String {
    let api = ApiBase::parse("https://webexapis.com/v1").unwrap();
    let mut transport = FixtureTransport::new(fixture, NOW);
    let timeout = Duration::from_secs(30);
    let result = execute(&mut transport, &api, exchange, timeout, &mut |_| {});
    report(fixture, &transport, result.map(show))
}

/// The two-step `add-to-space --guest`: people/me with the guest's token, then memberships.
fn run_guest_membership(fixture: &Fixture) -> String {
    let api = ApiBase::parse("https://webexapis.com/v1").unwrap();
    let mut transport = FixtureTransport::new(fixture, NOW);
    let timeout = Duration::from_secs(30);
    let me = PeopleMe {
        access_token: fixture.input("guestToken"),
    };
    let result = execute(&mut transport, &api, &me, timeout, &mut |_| {}).and_then(|person| {
        let add = AddMembership {
            token: fixture.input("token"),
            room_id: fixture.input("roomId"),
            person_id: &person.id,
            is_moderator: false,
        };
        execute(&mut transport, &api, &add, timeout, &mut |_| {})
    });
    report(fixture, &transport, result.map(|m| format!("id: {}", m.id)))
}

fn report(
    fixture: &Fixture,
    transport: &FixtureTransport,
    result: Result<String, guestissuer_transport::Error>,
) -> String {
    let mut text = String::new();
    for (i, request) in transport.sent.iter().enumerate() {
        writeln!(text, "request {}: {}", i + 1, describe(request, fixture)).unwrap();
    }
    writeln!(text, "waits: {:?}", transport.waits).unwrap();
    writeln!(text, "unused exchanges: {}", transport.unused()).unwrap();
    match result {
        Ok(output) => writeln!(text, "result:\n{output}").unwrap(),
        Err(error) => {
            writeln!(text, "error: {error}\n{error:#?}").unwrap();
            writeln!(text, "webex status: {:?}", error.webex_status()).unwrap();
        }
    }
    text
}

/// The request line, headers in order, and body; the bearer token is checked to be exactly one
/// of the input tokens, then shown as a placeholder so no token lands in a snapshot.
fn describe(request: &Request<Vec<u8>>, fixture: &Fixture) -> String {
    let mut text = format!("{} {}\n", request.method(), request.uri());
    for (name, value) in request.headers() {
        let value = value.to_str().unwrap();
        let shown = if name == "authorization" {
            assert!(request.headers()[name].is_sensitive());
            if value == format!("Bearer {}", fixture.input("token")) {
                "Bearer [token]"
            } else if value == format!("Bearer {}", fixture.input("guestToken")) {
                "Bearer [guest token]"
            } else {
                panic!("the bearer token is not an input token")
            }
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
            "guests/token" => {
                let create = GuestsCreate {
                    token,
                    subject: fixture.input("subject"),
                    display_name: fixture.input("displayName"),
                };
                run(&fixture, &create, |g| {
                    assert!(
                        !format!("{g:?}").contains(&g.access_token),
                        "Debug redacts the token"
                    );
                    let keys: Vec<&String> = g.raw.keys().collect();
                    format!(
                        "access token: {} chars\nexpires_in: {:?}\nraw keys: {keys:?}",
                        g.access_token.len(),
                        g.expires_in
                    )
                })
            }
            "guests/count" => run(&fixture, &GuestsCount { token }, |n| format!("count: {n}")),
            "memberships" => {
                let add = AddMembership {
                    token,
                    room_id: fixture.input("roomId"),
                    person_id: fixture.input("personId"),
                    is_moderator: fixture
                        .input
                        .get("isModerator")
                        .and_then(|v| v.as_bool())
                        .unwrap_or(false),
                };
                run(&fixture, &add, |m| {
                    format!("id: {}\nraw: {:#}", m.id, serde_json::Value::Object(m.raw))
                })
            }
            "add-to-space/guest" => run_guest_membership(&fixture),
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
