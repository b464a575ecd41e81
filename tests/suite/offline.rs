//! `create` and `verify --jwt`: no network, fixed clock (`NOW`), fixed fake secrets.

use insta::assert_snapshot;

use crate::helpers::*;

const EXP: &str = "1795842200"; // NOW + 1h30m

fn create(name: &str) -> String {
    run(&[
        "create",
        "123",
        name,
        "-i",
        ISSUER,
        "-s",
        SECRET,
        "--expires-at",
        EXP,
    ])
    .stdout
}

#[test]
fn create_prints_the_token_alone_and_one_human_line() {
    let out = run(&[
        "create",
        "123",
        "Stève",
        "-i",
        ISSUER,
        "-s",
        SECRET,
        "--expires-at",
        EXP,
    ]);
    assert_snapshot!(out.transcript());
    assert_eq!(out.stdout.lines().count(), 1);
}

#[test]
fn create_is_the_default_command() {
    let explicit = run(&["create", "123", "Stève", "-i", ISSUER, "-s", SECRET]);
    let default = run(&["123", "Stève", "-i", ISSUER, "-s", SECRET]);
    let options_first = run(&["-i", ISSUER, "-s", SECRET, "123", "Stève"]);
    assert_eq!(explicit.code, 0);
    assert_eq!(explicit.transcript(), default.transcript());
    assert_eq!(explicit.transcript(), options_first.transcript());
    // Default lifetime: 90 minutes from NOW.
    assert_snapshot!(default.transcript());
}

#[test]
fn create_reads_issuer_secret_and_delay_from_the_environment() {
    let out = run_env(
        &["create", "john.doe", "John Doe"],
        &[("ISSUER", ISSUER), ("SECRET", SECRET), ("EXPIRES", "3600")],
    );
    assert_snapshot!(out.transcript());
    // Flags win over the environment.
    let flags = run_env(
        &[
            "create", "john.doe", "John Doe", "-i", ISSUER, "-s", SECRET, "-d", "3600",
        ],
        &[
            ("ISSUER", "other"),
            ("SECRET", "b3RoZXI="),
            ("EXPIRES", "60"),
        ],
    );
    assert_eq!(out.stdout, flags.stdout);
}

#[test]
fn create_reads_the_secret_from_a_file() {
    let dir = std::env::temp_dir().join(format!("guestissuer-secret-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("issuer.secret");
    std::fs::write(&path, format!("  {SECRET}\n")).unwrap();
    let out = run(&[
        "create",
        "123",
        "Stève",
        "-i",
        ISSUER,
        "--secret-file",
        path.to_str().unwrap(),
        "--expires-at",
        EXP,
    ]);
    assert_eq!(out.code, 0, "{}", out.transcript());
    assert_eq!(out.stdout, create("Stève"));
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn create_json() {
    let out = run(&[
        "create",
        "123",
        "Stève",
        "-i",
        ISSUER,
        "-s",
        SECRET,
        "--expires-at",
        EXP,
        "--json",
    ]);
    assert_snapshot!(out.transcript());
    let doc: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(
        format!("{}\n", doc["token"].as_str().unwrap()),
        create("Stève")
    );
}

#[test]
fn create_unicode_and_control_characters() {
    let out = run(&[
        "create",
        "ünï",
        "中文 🎉 \"q\" back\\slash\ttab",
        "-i",
        ISSUER,
        "-s",
        SECRET,
        "-d",
        "60",
    ]);
    assert_snapshot!(out.transcript());
}

#[test]
fn create_bad_inputs() {
    let secret_file_missing = "/nonexistent/guestissuer/issuer.secret";
    type Case<'a> = (&'a str, &'a [&'a str], &'a [(&'a str, &'a str)]);
    let cases: &[Case] = &[
        (
            "missing_issuer",
            &["create", "123", "Stève", "-s", SECRET],
            &[],
        ),
        (
            "empty_issuer_env",
            &["create", "123", "Stève", "-s", SECRET],
            &[("ISSUER", "")],
        ),
        (
            "missing_secret",
            &["create", "123", "Stève", "-i", ISSUER],
            &[],
        ),
        (
            "empty_secret",
            &["create", "123", "Stève", "-i", ISSUER, "-s", "  "],
            &[],
        ),
        (
            "invalid_secret",
            &[
                "create",
                "123",
                "Stève",
                "-i",
                ISSUER,
                "-s",
                "not a secret!",
            ],
            &[],
        ),
        (
            "invalid_secret_env",
            &["create", "123", "Stève", "-i", ISSUER],
            &[("SECRET", "abc!")],
        ),
        (
            "secret_and_secret_file",
            &[
                "create",
                "1",
                "x",
                "-i",
                ISSUER,
                "-s",
                SECRET,
                "--secret-file",
                "f",
            ],
            &[],
        ),
        (
            "secret_file_missing",
            &[
                "create",
                "1",
                "x",
                "-i",
                ISSUER,
                "--secret-file",
                secret_file_missing,
            ],
            &[],
        ),
        (
            "empty_user_id",
            &["create", "", "Stève", "-i", ISSUER, "-s", SECRET],
            &[],
        ),
        (
            "empty_user_name",
            &["create", "123", " ", "-i", ISSUER, "-s", SECRET],
            &[],
        ),
        ("no_user", &["create", "-i", ISSUER, "-s", SECRET], &[]),
        (
            "no_user_name",
            &["create", "123", "-i", ISSUER, "-s", SECRET],
            &[],
        ),
        (
            "unquoted_name",
            &["create", "123", "John", "Doe", "-i", ISSUER, "-s", SECRET],
            &[],
        ),
        (
            "delay_not_a_number",
            &["create", "1", "x", "-i", ISSUER, "-s", SECRET, "-d", "90m"],
            &[],
        ),
        (
            "delay_zero",
            &["create", "1", "x", "-i", ISSUER, "-s", SECRET, "-d", "0"],
            &[],
        ),
        (
            "delay_negative",
            &["create", "1", "x", "-i", ISSUER, "-s", SECRET, "-d", "-5"],
            &[],
        ),
        (
            "delay_overflow",
            &[
                "create",
                "1",
                "x",
                "-i",
                ISSUER,
                "-s",
                SECRET,
                "-d",
                "18446744073709551616",
            ],
            &[],
        ),
        (
            "delay_past_year_9999",
            &[
                "create",
                "1",
                "x",
                "-i",
                ISSUER,
                "-s",
                SECRET,
                "-d",
                "999999999999",
            ],
            &[],
        ),
        (
            "expires_env_invalid",
            &["create", "1", "x", "-i", ISSUER, "-s", SECRET],
            &[("EXPIRES", "soon")],
        ),
        (
            "expires_at_past",
            &[
                "create",
                "1",
                "x",
                "-i",
                ISSUER,
                "-s",
                SECRET,
                "--expires-at",
                "1600000000",
            ],
            &[],
        ),
        (
            "expires_at_now",
            &[
                "create",
                "1",
                "x",
                "-i",
                ISSUER,
                "-s",
                SECRET,
                "--expires-at",
                "1795836800",
            ],
            &[],
        ),
        (
            "expires_at_not_a_number",
            &[
                "create",
                "1",
                "x",
                "-i",
                ISSUER,
                "-s",
                SECRET,
                "--expires-at",
                "tomorrow",
            ],
            &[],
        ),
        (
            "delay_and_expires_at",
            &[
                "create",
                "1",
                "x",
                "-i",
                ISSUER,
                "-s",
                SECRET,
                "-d",
                "60",
                "--expires-at",
                EXP,
            ],
            &[],
        ),
        (
            "missing_option_value",
            &["create", "1", "x", "-s", SECRET, "-i"],
            &[],
        ),
        (
            "unknown_option",
            &[
                "create",
                "1",
                "x",
                "-i",
                ISSUER,
                "-s",
                SECRET,
                "--issuer-id",
                "x",
            ],
            &[],
        ),
        ("unknown_command_typo", &["cretae", "123", "Stève"], &[]),
        (
            "json_error",
            &["create", "123", "Stève", "-s", SECRET, "--json"],
            &[],
        ),
    ];
    for (name, args, env) in cases {
        assert_failure!(format!("create_error_{name}"), run_env(args, env), 2);
    }
}

#[test]
fn help_and_version() {
    assert_snapshot!("help", run(&["--help"]).transcript());
    assert_eq!(run(&["help"]).transcript(), run(&["--help"]).transcript());
    assert_eq!(run(&[]).transcript(), run(&["--help"]).transcript());
    assert_snapshot!("help_create", run(&["create", "--help"]).transcript());
    assert_snapshot!("help_verify", run(&["help", "verify"]).transcript());
    for command in ["login", "quick", "guests", "add-to-space"] {
        assert_snapshot!(
            format!("help_{command}"),
            run(&[command, "--help"]).transcript()
        );
    }
    assert_snapshot!(
        "help_guests_create",
        run(&["guests", "create", "--help"]).transcript()
    );
    let version = run(&["-V"]);
    assert_eq!(
        version.stdout,
        format!("guestissuer {}\n", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn verify_decodes_a_guest_token() {
    let token = create("Stève");
    let out = run(&["verify", token.trim()]);
    assert_snapshot!(out.transcript());
    assert_eq!(
        run(&["verify", "--jwt", token.trim()]).transcript(),
        out.transcript()
    );
    assert_eq!(
        run_stdin(&["verify", "-"], &token).transcript(),
        out.transcript()
    );
}

#[test]
fn verify_checks_the_signature() {
    let token = create("Stève");
    let ok = run(&["verify", token.trim(), "-s", SECRET]);
    assert_snapshot!(ok.transcript());
    let env = run_env(&["verify", token.trim()], &[("SECRET", SECRET)]);
    assert_eq!(env.transcript(), ok.transcript());

    let wrong = run(&["verify", token.trim(), "-s", "b3RoZXItc2VjcmV0"]);
    assert_snapshot!(wrong.transcript());

    let mut tampered = token.trim().to_string();
    tampered.replace_range(40..41, if &tampered[40..41] == "A" { "B" } else { "A" });
    let out = run(&["verify", &tampered, "-s", SECRET]);
    assert_eq!(out.code, 1, "{}", out.transcript());
}

#[test]
fn verify_expired_tokens() {
    let token = create("Stève");
    let later = (NOW + 5400 + 180).to_string();
    let decoded = run_env(&["verify", token.trim()], &[("GUESTISSUER_NOW", &later)]);
    assert_snapshot!("verify_expired_decode_only", decoded.transcript());
    let checked = run_env(
        &["verify", token.trim(), "-s", SECRET],
        &[("GUESTISSUER_NOW", &later)],
    );
    assert_snapshot!("verify_expired_with_secret", checked.transcript());
}

/// A compact JWT with `header` and `payload` (JSON) and the signature bytes `signature`.
fn jwt(header: &str, payload: &str, signature: &[u8]) -> String {
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use base64::Engine;
    format!(
        "{}.{}.{}",
        URL_SAFE_NO_PAD.encode(header),
        URL_SAFE_NO_PAD.encode(payload),
        URL_SAFE_NO_PAD.encode(signature)
    )
}

#[test]
fn the_token_never_decides_whether_it_is_checked() {
    let access = include_str!("../data/access-token.jwt").trim().to_string();
    let payload = r#"{"sub":"admin","name":"x","iss":"i","exp":4000000000}"#;
    let forged = [
        ("webex_rs256", access.clone()),
        ("alg_none", jwt(r#"{"alg":"none"}"#, payload, b"")),
        ("alg_hs512", jwt(r#"{"alg":"HS512"}"#, payload, &[7; 64])),
        ("alg_rs256", jwt(r#"{"alg":"RS256"}"#, payload, &[7; 256])),
        ("forged_hs256", jwt(r#"{"alg":"HS256"}"#, payload, &[7; 32])),
    ];
    for (name, token) in &forged {
        // A secret from the environment checks every token, whatever its header says...
        let env = run_env(&["verify", token], &[("SECRET", SECRET)]);
        assert_failure!(format!("verify_secret_env_{name}"), env, 1);
        // ...as does one from a flag...
        let flag = run(&["verify", token, "-s", SECRET]);
        assert_eq!((flag.code, flag.stdout.as_str()), (1, ""), "{name}");
        // ...and --decode-only decodes without checking, SECRET or not.
        let decoded = run_env(&["verify", "--decode-only", token], &[("SECRET", SECRET)]);
        assert_eq!(decoded.code, 0, "{name}: {}", decoded.transcript());
        assert_eq!(decoded.transcript(), run(&["verify", token]).transcript());
    }
    assert_snapshot!(run(&["verify", &access]).transcript());
}

#[test]
fn a_failed_check_shows_the_token_in_the_json_error_only() {
    let token = jwt(
        r#"{"alg":"HS256","typ":"JWT"}"#,
        r#"{"sub":"1","exp":4000000000}"#,
        &[7; 32],
    );
    let out = run(&["verify", &token, "-s", SECRET, "--json"]);
    assert_eq!((out.code, out.stdout.as_str()), (1, ""));
    let error: serde_json::Value = serde_json::from_str(&out.stderr).unwrap();
    assert_eq!(
        error,
        serde_json::json!({ "error": {
            "message": "invalid signature: the token was not signed with this secret, or was altered (secret from -s)",
            "status": null,
            "trackingId": null,
            "token": {
                "header": {"alg": "HS256", "typ": "JWT"},
                "payload": {"sub": "1", "exp": 4000000000u64},
            },
        }})
    );
}

#[test]
fn checks_follow_the_rfcs() {
    let key = ring::hmac::Key::new(ring::hmac::HMAC_SHA256, SECRET_DECODED.as_bytes());
    let signed = |header: &str, payload: &str| {
        let unsigned = jwt(header, payload, b"");
        let input = unsigned.trim_end_matches('.');
        let tag = ring::hmac::sign(&key, input.as_bytes());
        jwt(header, payload, tag.as_ref())
    };
    let hs256 = r#"{"alg":"HS256","typ":"JWT"}"#;
    let cases = [
        (
            "nbf_future",
            signed(
                hs256,
                &format!(r#"{{"exp":4000000000,"nbf":{}}}"#, NOW + 120),
            ),
            &[][..],
            1,
        ),
        (
            "crit",
            signed(
                r#"{"alg":"HS256","crit":["b64"],"b64":false}"#,
                r#"{"exp":4000000000}"#,
            ),
            &[],
            1,
        ),
        (
            "exp_string",
            signed(hs256, r#"{"exp":"4000000000"}"#),
            &[],
            1,
        ),
        ("exp_past_9999", signed(hs256, r#"{"exp":1e20}"#), &[], 1),
        (
            "expired_by_a_minute",
            signed(hs256, &format!(r#"{{"exp":{}}}"#, NOW - 60)),
            &[],
            1,
        ),
        (
            "leeway_not_a_number",
            signed(hs256, r#"{"exp":4000000000}"#),
            &["--leeway", "soon"],
            2,
        ),
    ];
    for (name, token, extra, code) in cases {
        let mut args = vec!["verify", token.as_str(), "-s", SECRET];
        args.extend_from_slice(extra);
        assert_failure!(format!("verify_check_{name}"), run(&args), code);
    }
    // A fractional or exponent exp is a number like any other; the leeway forgives skew.
    for exp in ["4000000000.0", "4e9"] {
        let token = signed(hs256, &format!(r#"{{"exp":{exp}}}"#));
        assert_eq!(run(&["verify", &token, "-s", SECRET]).code, 0, "{exp}");
    }
    let skewed = signed(
        hs256,
        &format!(r#"{{"exp":{},"nbf":{}}}"#, NOW - 60, NOW + 60),
    );
    let out = run(&["verify", &skewed, "-s", SECRET, "--leeway", "90"]);
    assert_eq!(out.code, 0, "{}", out.transcript());
}

#[test]
fn verify_json() {
    let token = create("Stève");
    assert_snapshot!(run(&["verify", token.trim(), "-s", SECRET, "--json"]).transcript());
}

#[test]
fn verify_bad_inputs() {
    let cases: &[(&str, &[&str], &str)] = &[
        ("not_three_parts", &["verify", "abc.def"], ""),
        (
            "bad_base64",
            &["verify", "eyJhbGciOiJIUzI1NiJ9.e$$.c2ln"],
            "",
        ),
        ("non_json_header", &["verify", "bm90IGpzb24.e30.c2ln"], ""),
        ("non_json_payload", &["verify", "e30.bm90IGpzb24.c2ln"], ""),
        ("empty_stdin", &["verify", "-"], "\n"),
        (
            "jwt_and_access",
            &["verify", "--jwt", "--access", "a.b.c"],
            "",
        ),
        ("no_token", &["verify"], ""),
        ("bad_secret", &["verify", "e30.e30.c2ln", "-s", "%%%"], ""),
        ("json_error", &["verify", "abc", "--json"], ""),
    ];
    for (name, args, stdin) in cases {
        assert_failure!(format!("verify_error_{name}"), run_stdin(args, stdin), 2);
    }
}

#[test]
fn none_algorithm_never_verifies() {
    // {"alg":"none","typ":"JWT"} . {"sub":"admin","exp":9999999999} . (empty)
    let token = "eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.eyJzdWIiOiJhZG1pbiIsImV4cCI6OTk5OTk5OTk5OX0.";
    let out = run(&["verify", token, "-s", SECRET]);
    assert_eq!(out.code, 1);
    assert_snapshot!(out.transcript());
}
