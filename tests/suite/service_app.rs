//! The Service App token lifecycle end to end: `service-app token --save`, `show`, a command
//! using the credentials file whose access token expired (refreshed first), a failed refresh
//! that leaves the file as it was, and several processes sharing one file while the server
//! rotates refresh tokens. The server is a small fake Webex with state, on 127.0.0.1.

use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};

use guestissuer_fixtures::RecordedResponse;
use insta::assert_snapshot;

use crate::helpers::*;
use crate::server::{Received, Server, TempDir};

const INTEGRATION: &str =
    "ZmFrZS1pbnRlZ3JhdGlvbi10b2tlbi0wMDA0_PF84_00000000-aaaa-bbbb-cccc-000000000001";
const APP: &str = "Y2lzY29zcGFyazovL3VzL0FQUExJQ0FUSU9OL2Zha2Utc2VydmljZS1hcHAtMDAwMQ";
const CLIENT_ID: &str = "Cfake00000000000000000000000000000000000000000000000000000000000001";
const CLIENT_SECRET: &str = "fakeservicesecret000000000000000000000000000000000000000000000001";
const ORG: &str = ISSUER;
/// 14 days and a second: the first access token has expired.
const LATER: u64 = NOW + 1_209_600;

/// What the fake Webex knows: the one refresh token that works (each refresh rotates it and
/// invalidates the old one), every access token issued, and what it was asked.
#[derive(Default)]
struct Webex {
    refresh: Option<String>,
    access: Vec<String>,
    issued: u32,
    refreshes: u32,
    refuse_refresh: bool,
}

impl Webex {
    fn issue(&mut self) -> RecordedResponse {
        self.issued += 1;
        let (access, refresh) = (
            format!("fake-service-app-access-{}", self.issued),
            format!("fake-service-app-refresh-{}", self.issued),
        );
        self.access.push(access.clone());
        self.refresh = Some(refresh.clone());
        json(
            200,
            serde_json::json!({
                "access_token": access, "expires_in": 1_209_599,
                "refresh_token": refresh, "refresh_token_expires_in": 7_775_999,
                "token_type": "Bearer",
            }),
        )
    }

    fn answer(&mut self, r: &Received) -> RecordedResponse {
        let line = r.head.lines().next().unwrap_or_default().to_string();
        let bearer = r
            .head
            .lines()
            .find_map(|l| l.strip_prefix("authorization: Bearer "))
            .map(str::to_string);
        if line.starts_with(&format!("POST /v1/applications/{APP}/token ")) {
            let body: serde_json::Value = serde_json::from_str(&r.body).unwrap();
            let expected = serde_json::json!({"clientId": CLIENT_ID, "clientSecret": CLIENT_SECRET, "targetOrgId": ORG});
            if bearer.as_deref() != Some(INTEGRATION) || body != expected {
                return json(401, serde_json::json!({"message": "unauthorized"}));
            }
            return self.issue();
        }
        if line.starts_with("POST /v1/access_token ") {
            self.refreshes += 1;
            let form: Vec<(String, String)> = form_urlencoded::parse(r.body.as_bytes())
                .into_owned()
                .collect();
            let get = |k: &str| form.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
            let valid = get("grant_type").as_deref() == Some("refresh_token")
                && get("client_id").as_deref() == Some(CLIENT_ID)
                && get("client_secret").as_deref() == Some(CLIENT_SECRET)
                && get("refresh_token") == self.refresh;
            if !valid || self.refuse_refresh {
                return json(
                    400,
                    serde_json::json!({"error": "invalid_grant", "error_description": "The refresh token provided is expired, revoked, malformed, or invalid.", "trackingId": "ROUTER_FAKE-REFRESH"}),
                );
            }
            return self.issue();
        }
        if line.starts_with("GET /v1/guests/count ") {
            return match bearer {
                Some(token) if self.access.contains(&token) => RecordedResponse {
                    status: 200,
                    headers: Default::default(),
                    body: None,
                    body_text: Some("42".into()),
                },
                _ => json(401, serde_json::json!({"message": "expired token"})),
            };
        }
        json(404, serde_json::json!({"message": "not found"}))
    }
}

fn json(status: u16, body: serde_json::Value) -> RecordedResponse {
    RecordedResponse {
        status,
        headers: [("content-type".to_string(), "application/json".into())]
            .into_iter()
            .collect(),
        body: Some(body),
        body_text: None,
    }
}

fn fake_webex() -> (Server, Arc<Mutex<Webex>>) {
    let state = Arc::new(Mutex::new(Webex::default()));
    let shared = state.clone();
    let server = Server::handle(move |r| shared.lock().unwrap().answer(r));
    (server, state)
}

/// Runs the binary at Unix time `now` with the server's URL and CA in the environment.
fn run_at(server: &Server, now: u64, args: &[&str]) -> Output {
    let out = Command::new(env!("CARGO_BIN_EXE_guestissuer"))
        .args(args)
        .env_clear()
        .env("GUESTISSUER_NOW", now.to_string())
        .env("WEBEX_API_URL", server.url())
        .env("SSL_CERT_FILE", &server.ca_file)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let out = Output {
        code: out.status.code().unwrap(),
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
    };
    for secret in [CLIENT_SECRET, INTEGRATION, "fake-service-app-refresh-"] {
        assert!(
            !out.stderr.contains(secret),
            "a secret on stderr: {}",
            out.stderr
        );
    }
    out
}

/// `service-app token … --save <dir>/service-app.json` at NOW.
fn saved_credentials(server: &Server, dir: &TempDir) -> (std::path::PathBuf, Output) {
    let secret_file = dir.0.join("client.secret");
    std::fs::write(&secret_file, format!("{CLIENT_SECRET}\n")).unwrap();
    let path = dir.0.join("service-app.json");
    let out = run_at(
        server,
        NOW,
        &[
            "service-app",
            "token",
            APP,
            "--client-id",
            CLIENT_ID,
            "--client-secret-file",
            secret_file.to_str().unwrap(),
            "--org-id",
            ORG,
            "--token",
            INTEGRATION,
            "--save",
            path.to_str().unwrap(),
        ],
    );
    (path, out)
}

fn requests(server: &Server) -> Vec<String> {
    server
        .received()
        .iter()
        .map(|r| r.head.lines().next().unwrap().to_string())
        .collect()
}

#[test]
fn token_save_show_then_use_with_an_expired_access_token() {
    let (server, webex) = fake_webex();
    let dir = TempDir::new();
    let (path, out) = saved_credentials(&server, &dir);
    assert_eq!(out.code, 0, "{}", out.transcript());
    assert_eq!(out.stdout, "fake-service-app-access-1\n");
    let file = path.display().to_string();
    insta::with_settings!({ filters => vec![(file.as_str(), "[file]")] }, {
        assert_snapshot!("token_saved", out.transcript());
    });
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let saved: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert_eq!(saved["accessToken"], "fake-service-app-access-1");
    assert_eq!(saved["refreshToken"], "fake-service-app-refresh-1");
    assert_eq!(saved["accessTokenExpiresAt"], NOW + 1_209_599);
    assert_eq!(saved["api"], server.url());

    // show: offline, never a secret.
    let show = run_at(&server, NOW + 3600, &["service-app", "show", &file]);
    assert_eq!(show.code, 0, "{}", show.transcript());
    for secret in [
        CLIENT_SECRET,
        "fake-service-app-access-1",
        "fake-service-app-refresh-1",
    ] {
        assert!(!show.stdout.contains(secret));
    }
    let port = server.port.to_string();
    insta::with_settings!({ filters => vec![(port.as_str(), "[port]")] }, {
        assert_snapshot!("show", show.transcript());
        let json = run_at(&server, LATER, &["service-app", "show", &file, "--json"]);
        assert_snapshot!("show_json_later", json.transcript());
    });
    assert_eq!(requests(&server).len(), 1, "show is offline");

    // Two weeks later: the access token has expired, so guests count refreshes first.
    let count = run_at(&server, LATER, &["guests", "count", "--token-file", &file]);
    assert_eq!(
        (count.code, count.stdout.as_str()),
        (0, "42\n"),
        "{}",
        count.transcript()
    );
    assert_eq!(
        requests(&server),
        [
            format!("POST /v1/applications/{APP}/token HTTP/1.1"),
            "POST /v1/access_token HTTP/1.1".to_string(),
            "GET /v1/guests/count HTTP/1.1".to_string(),
        ]
    );
    assert!(server.received()[2]
        .head
        .contains("authorization: Bearer fake-service-app-access-2\r\n"));
    let saved: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert_eq!(saved["refreshToken"], "fake-service-app-refresh-2");
    assert_eq!(saved["accessTokenExpiresAt"], LATER + 1_209_599);
    assert_eq!(webex.lock().unwrap().refreshes, 1);

    // Still fresh a minute later: no refresh. And with no --api-url nor WEBEX_API_URL, the
    // command goes to the API the credentials file names, where its token belongs.
    let again = Command::new(env!("CARGO_BIN_EXE_guestissuer"))
        .args(["guests", "count", "--token-file", &file])
        .env_clear()
        .env("GUESTISSUER_NOW", (LATER + 60).to_string())
        .env("SSL_CERT_FILE", &server.ca_file)
        .output()
        .unwrap();
    assert_eq!(
        (
            again.status.code(),
            String::from_utf8_lossy(&again.stdout).as_ref()
        ),
        (Some(0), "42\n"),
        "{}",
        String::from_utf8_lossy(&again.stderr)
    );
    assert_eq!(webex.lock().unwrap().refreshes, 1);
    assert_eq!(requests(&server).len(), 4);
}

#[test]
fn a_failed_refresh_leaves_the_file_as_it_was() {
    let (server, webex) = fake_webex();
    let dir = TempDir::new();
    let (path, _) = saved_credentials(&server, &dir);
    let before = std::fs::read(&path).unwrap();
    webex.lock().unwrap().refuse_refresh = true;
    let file = path.display().to_string();
    for (name, args) in [
        ("refresh", vec!["service-app", "refresh", file.as_str()]),
        (
            "guests_count",
            vec!["guests", "count", "--token-file", file.as_str()],
        ),
    ] {
        let out = run_at(&server, LATER, &args);
        insta::with_settings!({ filters => vec![(file.as_str(), "[file]")] }, {
            assert_failure!(format!("refresh_refused_{name}"), out, 1);
        });
        assert_eq!(std::fs::read(&path).unwrap(), before, "{name}");
    }
    // A refresh that fails on the way (here, TLS: no CA file for the test server): the same.
    let out = Command::new(env!("CARGO_BIN_EXE_guestissuer"))
        .args(["service-app", "refresh", &file, "--timeout", "2"])
        .env_clear()
        .env("GUESTISSUER_NOW", LATER.to_string())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(std::fs::read(&path).unwrap(), before);
}

#[test]
fn a_credentials_file_others_can_read_is_refused() {
    let (server, _) = fake_webex();
    let dir = TempDir::new();
    let (path, _) = saved_credentials(&server, &dir);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        let file = path.display().to_string();
        for (name, args) in [
            ("show", vec!["service-app", "show", file.as_str()]),
            (
                "guests_count",
                vec!["guests", "count", "--token-file", file.as_str()],
            ),
        ] {
            insta::with_settings!({ filters => vec![(file.as_str(), "[file]")] }, {
                assert_failure!(format!("mode_too_open_{name}"), run_at(&server, NOW, &args), 2);
            });
        }
    }
}

#[test]
fn processes_sharing_a_file_never_lose_the_pair() {
    let (server, webex) = fake_webex();
    let dir = TempDir::new();
    let (path, _) = saved_credentials(&server, &dir);
    let file = path.display().to_string();
    // Four processes at once, all finding the access token expired: one refreshes under the
    // lock, the others wait, read the file again and use the new token. Without the lock, the
    // second refresh would present a refresh token the server has already rotated away.
    let children: Vec<_> = (0..4)
        .map(|_| {
            Command::new(env!("CARGO_BIN_EXE_guestissuer"))
                .args(["guests", "count", "--token-file", &file])
                .env_clear()
                .env("GUESTISSUER_NOW", LATER.to_string())
                .env("WEBEX_API_URL", server.url())
                .env("SSL_CERT_FILE", &server.ca_file)
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for child in children {
        let out = child.wait_with_output().unwrap();
        assert_eq!(
            (
                out.status.code(),
                String::from_utf8_lossy(&out.stdout).as_ref()
            ),
            (Some(0), "42\n"),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    assert_eq!(webex.lock().unwrap().refreshes, 1);
    let counts: Vec<_> = server
        .received()
        .into_iter()
        .filter(|r| r.head.starts_with("GET /v1/guests/count"))
        .collect();
    assert_eq!(counts.len(), 4);
    assert!(counts.iter().all(|r| r
        .head
        .contains("authorization: Bearer fake-service-app-access-2\r\n")));
    let saved: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert_eq!(saved["refreshToken"], "fake-service-app-refresh-2");
}

#[test]
fn token_json_is_webexs_answer_with_absolute_expiries() {
    let (server, _) = fake_webex();
    let out = run_at(
        &server,
        NOW,
        &[
            "service-app",
            "token",
            APP,
            "--client-id",
            CLIENT_ID,
            "--client-secret",
            CLIENT_SECRET,
            "--org-id",
            ORG,
            "--token",
            INTEGRATION,
            "--json",
        ],
    );
    assert_eq!(out.code, 0, "{}", out.transcript());
    let doc: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(
        doc,
        serde_json::json!({
            "access_token": "fake-service-app-access-1", "expires_in": 1_209_599,
            "refresh_token": "fake-service-app-refresh-1", "refresh_token_expires_in": 7_775_999,
            "token_type": "Bearer",
            "accessTokenExpiresAt": "2026-12-12T03:33:19Z",
            "refreshTokenExpiresAt": "2027-02-26T03:33:19Z",
        })
    );
    // Webex's order, the expiries after it.
    let keys: Vec<&str> = doc
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(keys[0], "access_token");
    assert_eq!(keys[5..], ["accessTokenExpiresAt", "refreshTokenExpiresAt"]);
}
