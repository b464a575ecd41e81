//! The network commands end to end: the real binary against the loopback HTTPS server of
//! `server.rs`, serving the recorded fixtures. Nothing leaves 127.0.0.1.

use insta::assert_snapshot;

use crate::helpers::*;
use crate::server::{Proxy, Reply, Server};

/// The guest token the fixtures expect (made by `create` with the test secret, exp = NOW + 1h30m).
const GUEST_TOKEN: &str = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjMiLCJuYW1lIjoiU3TDqHZlIiwiaXNzIjoiWTJselkyOXpjR0Z5YXpvdkwzVnpMMDlTUjBGT1NWcEJWRWxQVGk5bVlXdGxMVzl5Wnkwd01EQXgiLCJleHAiOjE3OTU4NDIyMDB9.BEYHp593FnkbPHte-EXvZHiC9HEJAkvLuG8d7Yt54h8";

fn access_token() -> &'static str {
    include_str!("../data/access-token.jwt").trim()
}

/// The run's transcript and requests, after checking that every request carries exactly `token`
/// as its bearer token; tokens are shown as placeholders.
fn transcript(out: &Output, server: &Server, token: &str) -> String {
    for (i, r) in server.received().iter().enumerate() {
        let auth = format!("authorization: Bearer {token}\r\n");
        assert!(
            r.head.contains(&auth),
            "request {i} lacks the exact bearer token:\n{}",
            r.head
        );
    }
    server.transcript(
        out,
        &[
            (token, "[token]"),
            (access_token(), "[access token from the fixture]"),
        ],
    )
}

fn login(server: &Server, extra: &[&str]) -> Output {
    let url = server.url();
    let ca = server.ca_file.to_str().unwrap().to_string();
    let mut args = vec!["login", GUEST_TOKEN, "--api-url", &url, "--ca-file", &ca];
    args.extend_from_slice(extra);
    run(&args)
}

#[test]
fn login_prints_the_access_token() {
    let server = Server::fixture("jwt-login-200.json");
    let out = login(&server, &[]);
    assert_eq!(out.stdout.trim(), access_token());
    assert_snapshot!(transcript(&out, &server, GUEST_TOKEN));
}

#[test]
fn http2_is_negotiated_by_alpn() {
    let server = Server::fixture_h2("jwt-login-200.json");
    let out = login(&server, &[]);
    assert_eq!(out.code, 0, "{}", out.transcript());
    assert_eq!(out.stdout.trim(), access_token());
    let received = server.received();
    assert_eq!(received.len(), 1);
    assert!(
        received[0]
            .head
            .starts_with("POST /v1/jwt/login HTTP/2.0\r\n"),
        "{}",
        received[0].head
    );
    assert!(received[0]
        .head
        .contains(&format!("authorization: Bearer {GUEST_TOKEN}\r\n")));
}

#[test]
fn login_reads_the_guest_token_from_stdin_and_the_environment() {
    let server = Server::fixture("jwt-login-200.json");
    let out = Run {
        args: vec!["login", "-"],
        env: vec![
            ("WEBEX_API_URL", server.url()),
            ("SSL_CERT_FILE", server.ca_file.display().to_string()),
        ],
        stdin: Some(format!("{GUEST_TOKEN}\n")),
    }
    .output();
    assert_eq!(out.code, 0, "{}", out.transcript());
    assert_eq!(out.stdout.trim(), access_token());
}

#[test]
fn login_json_prints_the_whole_answer() {
    let server = Server::fixture("jwt-login-200.json");
    let out = login(&server, &["--json"]);
    let doc: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(doc["token"], access_token());
    assert_eq!(doc["expiresIn"], 21599);
}

#[test]
fn quick_signs_a_60_second_token_and_logs_in() {
    let server = Server::fixture("jwt-login-200.json");
    let (url, ca) = (server.url(), server.ca_file.display().to_string());
    let out = run(&[
        "quick",
        "123",
        "Stève",
        "-i",
        ISSUER,
        "-s",
        SECRET,
        "--api-url",
        &url,
        "--ca-file",
        &ca,
    ]);
    // The guest token on the wire is exactly what `create` signs for NOW + 60 s.
    let expected = run(&[
        "create", "123", "Stève", "-i", ISSUER, "-s", SECRET, "-d", "60",
    ])
    .stdout;
    assert!(!out.stdout.contains(expected.trim()) && !out.stderr.contains(expected.trim()));
    assert_eq!(out.stdout.trim(), access_token());
    assert_snapshot!(transcript(&out, &server, expected.trim()));
}

#[test]
fn verify_access_asks_webex_who_it_is() {
    let server = Server::fixture("people-me-200-guest.json");
    let (url, ca) = (server.url(), server.ca_file.display().to_string());
    let out = run(&[
        "verify",
        "--access",
        access_token(),
        "--api-url",
        &url,
        "--ca-file",
        &ca,
    ]);
    assert_snapshot!(transcript(&out, &server, access_token()));
}

#[test]
fn webex_errors_exit_1_with_status_message_and_tracking_id() {
    for (fixture, args) in [
        ("jwt-login-401-webex-error.json", vec![]),
        ("jwt-login-401-webex-error.json", vec!["--json"]),
        ("jwt-login-401-html.json", vec![]),
        ("jwt-login-200-not-json.json", vec![]),
    ] {
        let server = Server::fixture(fixture);
        let out = login(&server, &args);
        assert_eq!(out.code, 1);
        assert!(out.stdout.is_empty());
        assert_eq!(out.stderr.lines().count(), 1);
        let name = format!(
            "login_{}{}",
            fixture.trim_end_matches(".json"),
            if args.is_empty() { "" } else { "_json" }
        );
        assert_snapshot!(name, transcript(&out, &server, GUEST_TOKEN));
    }
}

#[test]
fn verify_access_with_a_revoked_token() {
    let server = Server::fixture("people-me-401.json");
    let (url, ca) = (server.url(), server.ca_file.display().to_string());
    let out = run(&[
        "verify",
        "--access",
        access_token(),
        "--api-url",
        &url,
        "--ca-file",
        &ca,
    ]);
    assert_eq!(out.code, 1);
    assert_snapshot!(transcript(&out, &server, access_token()));
}

#[test]
fn retries_after_429_and_503() {
    for fixture in [
        "jwt-login-429-then-200.json",
        "jwt-login-503-then-200.json",
        "jwt-login-503-exhausted.json",
    ] {
        let server = Server::fixture(fixture);
        let out = login(&server, &["-v"]);
        let name = format!("login_{}", fixture.trim_end_matches(".json"));
        // Debug lines carry durations: keep their shape, not their values.
        insta::with_settings!({ filters => vec![(r"(in|after) \d+ ms", "$1 [t] ms")] }, {
            assert_snapshot!(name, transcript(&out, &server, GUEST_TOKEN));
        });
    }
}

#[test]
fn servers_that_misbehave() {
    for (name, reply, extra) in [
        (
            "a_stalled_server_times_out",
            Reply::Stall,
            &["--timeout", "0.5"][..],
        ),
        ("an_oversized_body_is_refused", Reply::Huge, &[]),
        ("a_connection_closed_mid_response", Reply::Truncate, &[]),
    ] {
        let server = Server::start(vec![reply]);
        assert_failure!(name, login(&server, extra), 1);
    }
}

#[test]
fn an_untrusted_certificate() {
    let server = Server::fixture("jwt-login-200.json");
    let url = server.url();
    let out = run(&["login", GUEST_TOKEN, "--api-url", &url]);
    assert!(
        server.received().is_empty(),
        "no request may be sent over an untrusted connection"
    );
    let port = server.port.to_string();
    insta::with_settings!({ filters => vec![(port.as_str(), "[port]")] }, {
        assert_failure!("an_untrusted_certificate", out, 1);
    });
}

#[test]
fn a_closed_port() {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let url = format!("https://127.0.0.1:{port}/v1");
    let out = run(&["login", GUEST_TOKEN, "--api-url", &url]);
    let port = port.to_string();
    insta::with_settings!({ filters => vec![(port.as_str(), "[port]")] }, {
        assert_failure!("a_closed_port", out, 1);
    });
}

#[test]
fn https_proxy_is_used_through_connect() {
    let server = Server::fixture("jwt-login-200.json");
    let proxy = Proxy::start(server.port);
    let out = Run {
        args: vec![
            "login",
            GUEST_TOKEN,
            "--api-url",
            "https://webex.test/v1",
            "--ca-file",
            server.ca_file.to_str().unwrap(),
        ],
        env: vec![("HTTPS_PROXY", format!("http://127.0.0.1:{}", proxy.port))],
        stdin: None,
    }
    .output();
    assert_eq!(out.stdout.trim(), access_token(), "{}", out.transcript());
    assert_eq!(
        proxy.connects(),
        vec!["CONNECT webex.test:443 HTTP/1.1\r\nHost: webex.test:443\r\n\r\n".to_string()]
    );
    let received = server.received();
    assert!(
        received[0].head.contains("host: webex.test\r\n"),
        "{}",
        received[0].head
    );

    // NO_PROXY is the matcher's business, tested in the transport crate without a DNS query:
    // a direct attempt at webex.test here would ask the machine's resolver.
}

#[test]
fn proxy_and_ca_problems_say_what_to_fix() {
    let proxy = Proxy::refusing();
    let refused = run_env(
        &["login", GUEST_TOKEN, "--api-url", "https://webex.test/v1"],
        &[("HTTPS_PROXY", &format!("http://127.0.0.1:{}", proxy.port))],
    );
    assert_eq!(proxy.connects().len(), 1);
    let port = proxy.port.to_string();
    insta::with_settings!({ filters => vec![(port.as_str(), "[port]")] }, {
        assert_failure!("proxy_refuses_the_tunnel", refused, 1);
    });
    let garbage = run_env(&["login", GUEST_TOKEN], &[("HTTPS_PROXY", "::garbage")]);
    assert_failure!("proxy_url_garbage", garbage, 2);
    let nope = run_env(&["login", GUEST_TOKEN], &[("SSL_CERT_FILE", "/nope")]);
    assert_failure!("ssl_cert_file_missing", nope, 2);
}

#[test]
fn network_usage_errors_exit_2() {
    let cases: &[(&str, &[&str])] = &[
        (
            "plain_http_remote",
            &["login", GUEST_TOKEN, "--api-url", "http://webexapis.com/v1"],
        ),
        (
            "bad_url",
            &["login", GUEST_TOKEN, "--api-url", "webexapis com"],
        ),
        (
            "ftp_url",
            &["login", GUEST_TOKEN, "--api-url", "ftp://webexapis.com/v1"],
        ),
        ("timeout_zero", &["login", GUEST_TOKEN, "--timeout", "0"]),
        ("timeout_text", &["login", GUEST_TOKEN, "--timeout", "soon"]),
        (
            "ca_file_missing",
            &["login", GUEST_TOKEN, "--ca-file", "/nonexistent/ca.pem"],
        ),
        (
            "ca_file_not_pem",
            &["login", GUEST_TOKEN, "--ca-file", "/dev/null"],
        ),
        ("empty_token", &["login", ""]),
        ("token_with_newline_inside", &["login", "abc\ndef"]),
        (
            "access_with_secret",
            &["verify", "--access", "a.b.c", "-s", SECRET],
        ),
        (
            "net_option_without_access",
            &["verify", "a.b.c", "--timeout", "3"],
        ),
        (
            "quick_missing_secret",
            &["quick", "123", "Stève", "-i", ISSUER],
        ),
    ];
    for (name, args) in cases {
        assert_failure!(format!("net_usage_{name}"), run(args), 2);
    }
}
