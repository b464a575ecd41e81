//! Protocol tests, driven by `fixtures/*.json` (a new fixture file is a new test): each fixture's
//! call runs through core and a transport `Session` over the in-memory fixture transport, on a
//! virtual clock. The snapshot holds every request built, every wait and the virtual time spent,
//! and the parsed result or error.

use std::fmt::Write;
use std::time::Duration;

use guestissuer_core::service_app::{RefreshAccessToken, ServiceAppToken, TokenAnswer};
use guestissuer_core::webex::{
    AddMembership, ApiBase, GuestsCount, GuestsCreate, JwtLogin, PeopleMe,
};
use guestissuer_fixtures::{Call, Fixture, FixtureTransport, VirtualClock, NOW};
use guestissuer_transport::flows::{self, Member};
use guestissuer_transport::{Clock, Error, Session};
use http::Request;

/// What one fixture's call produced: the requests, the clock, and the result shown as text.
fn run(fixture: &Fixture) -> String {
    let api = ApiBase::parse("https://webexapis.com/v1").unwrap();
    let mut transport = FixtureTransport::new(fixture);
    let mut clock = VirtualClock::at(NOW);
    let mut session = Session::new(&mut transport, &mut clock, &api, Duration::from_secs(30));
    let result: Result<String, Error> = match &fixture.call {
        Call::JwtLogin { token } => session.execute(&JwtLogin { guest_token: token }).map(|a| {
            assert!(!format!("{a:?}").contains(a.token.secret()));
            format!(
                "token is the recorded one: {}\nexpires_in: {}\nraw: {:?}",
                a.token.secret() == fixture.last_answer()["token"],
                a.expires_in,
                a.raw
            )
        }),
        Call::PeopleMe { token } => session
            .execute(&PeopleMe {
                access_token: token,
            })
            .map(|p| {
                format!(
                    "id: {}\ndisplay_name: {:?}\ntype: {:?}\nraw: {:#}",
                    p.id,
                    p.display_name,
                    p.person_type,
                    serde_json::Value::Object(p.raw)
                )
            }),
        Call::GuestsToken {
            token,
            subject,
            display_name,
        } => session
            .execute(&GuestsCreate {
                token,
                subject,
                display_name,
            })
            .map(|g| {
                assert!(!format!("{g:?}").contains(g.access_token.secret()));
                format!(
                    "access token is the recorded one: {}\nexpires_in: {:?}\nraw: {:?}",
                    g.access_token.secret() == fixture.last_answer()["accessToken"],
                    g.expires_in,
                    g.raw
                )
            }),
        Call::GuestsCount { token } => session
            .execute(&GuestsCount { token })
            .map(|n| format!("count: {n}")),
        Call::Memberships {
            token,
            room_id,
            person_id,
            is_moderator,
        } => session
            .execute(&AddMembership {
                token,
                room_id,
                person_id,
                is_moderator: *is_moderator,
            })
            .map(|m| format!("id: {}\nraw: {:#}", m.id, serde_json::Value::Object(m.raw))),
        Call::ServiceAppToken {
            token,
            application_id,
            client_id,
            client_secret,
            target_org_id,
        } => session
            .execute(&ServiceAppToken {
                token,
                application_id,
                client_id,
                client_secret,
                target_org_id,
            })
            .map(|a| show_token_answer(&a, fixture)),
        Call::RefreshAccessToken {
            client_id,
            client_secret,
            refresh_token,
        } => session
            .execute(&RefreshAccessToken {
                client_id,
                client_secret,
                refresh_token,
            })
            .map(|a| {
                format!(
                    "{}
refresh token rotated: {}",
                    show_token_answer(&a, fixture),
                    a.refresh_token.secret() != refresh_token.secret()
                )
            }),
        // The same library function the CLI calls: the flow is not re-implemented here.
        Call::AddToSpaceGuest {
            token,
            guest_token,
            room_id,
        } => flows::add_to_space(
            &mut session,
            token,
            room_id,
            Member::Guest(guest_token),
            false,
        )
        .map(|added| {
            format!(
                "person: {:?}\nid: {}",
                added.person.map(|p| p.id),
                added.membership.id
            )
        }),
    };
    drop(session);
    let mut text = String::new();
    for (i, request) in transport.sent.iter().enumerate() {
        writeln!(
            text,
            "request {}: {}",
            i + 1,
            describe(request, &fixture.call)
        )
        .unwrap();
    }
    writeln!(text, "waits: {:?}", clock.waits).unwrap();
    writeln!(text, "virtual time spent: {:?}", clock.monotonic()).unwrap();
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

/// A token answer, its credentials checked against the recording and never shown.
fn show_token_answer(a: &TokenAnswer, fixture: &Fixture) -> String {
    let debug = format!("{a:?}");
    assert!(!debug.contains(a.access_token.secret()) && !debug.contains(a.refresh_token.secret()));
    let recorded = fixture.last_answer();
    format!(
        "access token is the recorded one: {}
expires_in: {}
refresh token is the recorded one: {}
refresh_token_expires_in: {}
raw: {:?}",
        a.access_token.secret() == recorded["access_token"],
        a.expires_in,
        a.refresh_token.secret() == recorded["refresh_token"],
        a.refresh_token_expires_in,
        a.raw
    )
}

/// The request line, headers in order, and body; the bearer token is checked to be exactly one
/// of the call's tokens, and every credential of the call is shown as its placeholder, so that
/// none lands in a snapshot.
fn describe(request: &Request<Vec<u8>>, call: &Call) -> String {
    let mut text = format!("{} {}\n", request.method(), request.uri());
    for (name, value) in request.headers() {
        let value = value.to_str().unwrap();
        let shown = if name == "authorization" {
            assert!(value.is_empty() || request.headers()[name].is_sensitive());
            call.tokens()
                .into_iter()
                .find(|(token, _)| value == format!("Bearer {token}"))
                .map(|(_, label)| format!("Bearer {label}"))
                .expect("the bearer token is one of the call's tokens")
        } else {
            value.to_string()
        };
        writeln!(text, "  {name}: {shown}").unwrap();
    }
    let mut body = String::from_utf8_lossy(request.body()).into_owned();
    for (secret, label) in call.tokens() {
        let encoded: String = form_urlencoded::byte_serialize(secret.as_bytes()).collect();
        body = body.replace(secret, label).replace(&encoded, label);
    }
    write!(text, "  body: {body:?}").unwrap();
    text
}

#[test]
fn fixtures() {
    insta::glob!("../../fixtures", "*.json", |path| {
        let fixture = Fixture::from_json(&std::fs::read_to_string(path).unwrap()).unwrap();
        insta::assert_snapshot!(run(&fixture));
    });
}

#[test]
fn a_fixture_with_a_misspelled_input_fails_loudly() {
    let text = r#"{"description": "d", "source": "s", "endpoint": "guests/token",
        "input": {"token": "t", "subject": "s", "displayname": "typo"}, "exchanges": []}"#;
    let err = Fixture::from_json(text).unwrap_err().to_string();
    assert!(err.contains("unknown field `displayname`"), "{err}");
    let missing = r#"{"description": "d", "source": "s", "endpoint": "people/me",
        "input": {}, "exchanges": []}"#;
    let err = Fixture::from_json(missing).unwrap_err().to_string();
    assert!(err.contains("missing field `token`"), "{err}");
}

#[test]
fn a_request_to_a_plain_http_remote_host_is_refused_before_building() {
    assert_eq!(
        ApiBase::parse("http://webexapis.com/v1").unwrap_err().to_string(),
        "refusing http:// for webexapis.com: tokens are credentials; use https:// (http:// is allowed for loopback hosts only)"
    );
    let with_password = ApiBase::parse("https://alice:hunter2@webexapis.com/v1").unwrap_err();
    assert_eq!(
        with_password.to_string(),
        "invalid API URL \"https://[redacted]@webexapis.com/v1\": a base URL takes no user name or password"
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
