//! `guests create|count` and `add-to-space` end to end against the loopback HTTPS server.

use insta::assert_snapshot;

use guestissuer_fixtures::Call;

use crate::helpers::*;
use crate::server::Server;

/// The bearer token a fixture's call sends first.
fn fixture_token(name: &str) -> String {
    fixture(name).call.token().to_string()
}

fn net_args(server: &Server) -> Vec<String> {
    vec![
        "--api-url".into(),
        server.url(),
        "--ca-file".into(),
        server.ca_file.display().to_string(),
    ]
}

fn run_with(server: &Server, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut all: Vec<String> = args.iter().map(|a| a.to_string()).collect();
    all.extend(net_args(server));
    let all: Vec<&str> = all.iter().map(String::as_str).collect();
    run_env(&all, env)
}

#[test]
fn guests_create_prints_the_guest_access_token() {
    let token = fixture_token("guests-create-200.json");
    for (name, args) in [
        ("plain", vec!["guests", "create", "kiosk-7", "Kiosk 7"]),
        (
            "json",
            vec!["guests", "create", "kiosk-7", "Kiosk 7", "--json"],
        ),
    ] {
        let server = Server::fixture("guests-create-200.json");
        let out = run_with(&server, &args, &[("WEBEX_TOKEN", &token)]);
        assert_eq!(out.code, 0, "{}", out.transcript());
        let guest_token =
            "ZmFrZS1ndWVzdC1hY2Nlc3MtdG9rZW4tMDAwMw_PF84_00000000-aaaa-bbbb-cccc-000000000001";
        if name == "plain" {
            assert_eq!(out.stdout, format!("{guest_token}\n"));
        }
        assert_snapshot!(
            format!("guests_create_{name}"),
            server.transcript(
                &out,
                &[
                    (&token, "[service app token]"),
                    (guest_token, "[guest token]")
                ]
            )
        );
    }
}

#[test]
fn guests_errors_and_retries() {
    let token = fixture_token("guests-create-200.json");
    for fixture in ["guests-create-403.json", "guests-create-429-then-200.json"] {
        let server = Server::fixture(fixture);
        let out = run_with(
            &server,
            &["guests", "create", "kiosk-7", "Kiosk 7", "--token", &token],
            &[],
        );
        let name = format!("guests_{}", fixture.trim_end_matches(".json"));
        assert_snapshot!(name, server.transcript(&out, &[(&token, "[service app token]"), ("ZmFrZS1ndWVzdC1hY2Nlc3MtdG9rZW4tMDAwMw_PF84_00000000-aaaa-bbbb-cccc-000000000001", "[guest token]")]));
    }
}

#[test]
fn guests_count_text_and_json_answers() {
    let token = fixture_token("guests-count-200-text.json");
    let dir = crate::server::TempDir::new();
    let token_file = dir.0.join("sa.token");
    std::fs::write(&token_file, format!("{token}\n")).unwrap();
    for fixture in [
        "guests-count-200-text.json",
        "guests-count-200-json.json",
        "guests-count-403.json",
    ] {
        let server = Server::fixture(fixture);
        let out = run_with(
            &server,
            &[
                "guests",
                "count",
                "--token-file",
                token_file.to_str().unwrap(),
            ],
            &[],
        );
        let name = format!("guests_{}", fixture.trim_end_matches(".json"));
        assert_snapshot!(
            name,
            server.transcript(&out, &[(&token, "[service app token]")])
        );
    }
}

#[test]
fn add_to_space_with_a_guest_token_looks_the_person_up_first() {
    let fixture = "add-to-space-guest-200.json";
    let Call::AddToSpaceGuest {
        token,
        guest_token,
        room_id: room,
    } = crate::helpers::fixture(fixture).call
    else {
        panic!("an add-to-space/guest fixture")
    };
    let (member, guest) = (token.secret().to_string(), guest_token.secret().to_string());
    let server = Server::fixture(fixture);
    let net = net_args(&server);
    let mut args = vec![
        "add-to-space",
        room.as_str(),
        "--guest",
        "-",
        "--token",
        member.as_str(),
    ];
    args.extend(net.iter().map(String::as_str));
    let out = Run {
        args,
        env: vec![],
        stdin: Some(format!("{guest}\n")),
    }
    .output();
    assert_eq!(out.code, 0, "{}", out.transcript());
    let received = server.received();
    assert_eq!(received.len(), 2);
    assert!(received[0]
        .head
        .starts_with("GET /v1/people/me HTTP/1.1\r\n"));
    assert!(received[0]
        .head
        .contains(&format!("authorization: Bearer {guest}\r\n")));
    assert!(received[1]
        .head
        .starts_with("POST /v1/memberships HTTP/1.1\r\n"));
    assert!(received[1]
        .head
        .contains(&format!("authorization: Bearer {member}\r\n")));
    let body: serde_json::Value = serde_json::from_str(&received[1].body).unwrap();
    assert_eq!(
        body,
        serde_json::json!({"roomId": room, "personId": "Y2lzY29zcGFyazovL3VzL1BFT1BMRS9mYWtlLWd1ZXN0LTAwMDE", "isModerator": false})
    );
    assert_snapshot!(server.transcript(
        &out,
        &[(&member, "[member token]"), (&guest, "[guest token]")]
    ));
}

#[test]
fn add_to_space_by_person_id_and_its_errors() {
    let fixture = "memberships-200.json";
    let Call::Memberships {
        token,
        room_id: room,
        person_id: person,
        ..
    } = crate::helpers::fixture(fixture).call
    else {
        panic!("a memberships fixture")
    };
    let member = token.secret().to_string();
    for fixture in [
        "memberships-200.json",
        "memberships-404-room.json",
        "memberships-409-member.json",
        "memberships-429-then-200.json",
    ] {
        let server = Server::fixture(fixture);
        let out = run_with(
            &server,
            &["add-to-space", &room, "--person-id", &person],
            &[("WEBEX_TOKEN", &member)],
        );
        let name = format!("add_to_space_{}", fixture.trim_end_matches(".json"));
        assert_snapshot!(
            name,
            server.transcript(&out, &[(&member, "[member token]")])
        );
    }
}

#[test]
fn guests_and_add_to_space_usage_errors() {
    let cases: &[(&str, &[&str])] = &[
        ("guests_no_action", &["guests"]),
        (
            "guests_create_no_token",
            &["guests", "create", "kiosk-7", "Kiosk 7"],
        ),
        (
            "guests_create_empty_subject",
            &["guests", "create", " ", "Kiosk 7", "--token", "t"],
        ),
        (
            "guests_create_token_and_file",
            &[
                "guests",
                "create",
                "k",
                "K",
                "--token",
                "t",
                "--token-file",
                "f",
            ],
        ),
        (
            "guests_count_missing_token_file",
            &["guests", "count", "--token-file", "/nonexistent/sa.token"],
        ),
        ("add_nobody", &["add-to-space", "room", "--token", "t"]),
        (
            "add_both",
            &[
                "add-to-space",
                "room",
                "--person-id",
                "p",
                "--guest",
                "g",
                "--token",
                "t",
            ],
        ),
        (
            "add_two_stdin",
            &["add-to-space", "room", "--guest", "-", "--token", "-"],
        ),
        (
            "add_no_token",
            &["add-to-space", "room", "--person-id", "p"],
        ),
    ];
    for (name, args) in cases {
        assert_failure!(format!("usage_{name}"), run(args), 2);
    }
}
