//! Bad inputs that once lost data, read without bound or leaked a password: each is refused with
//! one line on stderr and a documented exit code, or handled with flat memory.

use std::process::{Command, Stdio};

use insta::assert_snapshot;

use crate::helpers::*;
use crate::server::Server;

/// Runs the binary with stdout on `/dev/full`, where every write fails with ENOSPC.
fn run_to_full_disk(args: &[&str]) -> Output {
    let out = Command::new(env!("CARGO_BIN_EXE_guestissuer"))
        .args(args)
        .env_clear()
        .env("GUESTISSUER_NOW", NOW.to_string())
        .stdin(Stdio::null())
        .stdout(std::fs::File::create("/dev/full").unwrap())
        .stderr(Stdio::piped())
        .output()
        .unwrap();
    Output {
        code: out.status.code().unwrap(),
        stdout: String::new(),
        stderr: String::from_utf8(out.stderr).unwrap(),
    }
}

#[test]
fn a_full_disk_is_an_error_not_a_lost_token() {
    let token = run(&["create", "1", "x", "-i", ISSUER, "-s", SECRET]).stdout;
    let server = Server::fixture("jwt-login-200.json");
    let (url, ca) = (server.url(), server.ca_file.display().to_string());
    let cases: [(&str, Vec<&str>); 4] = [
        (
            "create",
            vec!["create", "1", "x", "-i", ISSUER, "-s", SECRET],
        ),
        (
            "create_json",
            vec!["create", "1", "x", "-i", ISSUER, "-s", SECRET, "--json"],
        ),
        ("verify", vec!["verify", token.trim()]),
        (
            "login",
            vec!["login", token.trim(), "--api-url", &url, "--ca-file", &ca],
        ),
    ];
    for (name, args) in cases {
        assert_failure!(format!("full_disk_{name}"), run_to_full_disk(&args), 1);
    }
}

fn batch_stdin(csv: &str, extra: &[&str]) -> Output {
    let mut args = vec!["create", "--batch", "-", "-i", ISSUER, "-s", SECRET];
    args.extend_from_slice(extra);
    run_stdin(&args, csv)
}

#[test]
fn an_unterminated_quote_stops_the_batch_even_when_skipping() {
    for (name, extra) in [("stop", &[][..]), ("skip_invalid", &["--skip-invalid"][..])] {
        let out = batch_stdin("0,ok\n1,\"abc\n2,b\n", extra);
        assert_eq!(out.code, 2, "{name}");
        // The row before it is out, whole; nothing after the open quote is.
        assert_eq!(out.stdout.lines().count(), 1, "{name}");
        assert!(out.stdout.starts_with("{\"sub\":\"0\""));
        assert_snapshot!(format!("batch_unterminated_quote_{name}"), out.stderr);
    }
}

#[test]
fn text_after_a_closing_quote_is_a_bad_row() {
    assert_failure!("batch_text_after_quote", batch_stdin("1,\"ab\"c\n", &[]), 2);
    let skipped = batch_stdin("1,\"ab\"c\n2,ok\n", &["--skip-invalid"]);
    assert_eq!((skipped.code, skipped.stdout.lines().count()), (0, 1));
    assert_snapshot!("batch_text_after_quote_skipped", skipped.stderr);
}

#[test]
fn a_huge_field_is_a_bad_row_in_flat_memory() {
    // 8 MiB in one field: refused as soon as the row passes 64 KiB; the next row is signed.
    let csv = format!("1,{}\n2,ok\n", "x".repeat(8 << 20));
    let stopped = batch_stdin(&csv, &[]);
    assert_failure!("batch_huge_field", stopped, 2);
    let skipped = batch_stdin(&csv, &["--skip-invalid"]);
    assert_eq!((skipped.code, skipped.stdout.lines().count()), (0, 1));
    assert!(skipped.stdout.starts_with("{\"sub\":\"2\""));
}

#[test]
fn an_endless_input_is_refused_at_the_row_limit() {
    // /dev/zero is one endless row: the batch stops at once instead of reading forever.
    let out = run(&["create", "--batch", "/dev/zero", "-i", ISSUER, "-s", SECRET]);
    assert_failure!("batch_dev_zero", out, 2);
}

#[test]
fn reads_from_outside_have_limits() {
    let token = run(&["create", "1", "x", "-i", ISSUER, "-s", SECRET]).stdout;
    // A token followed by 1 MiB of blanks and then junk.
    let padded = format!("{}{}junk", token.trim(), " ".repeat(1 << 20));
    assert_failure!(
        "limit_verify_stdin",
        run_stdin(&["verify", "-"], &padded),
        2
    );
    for (name, args) in [
        (
            "create_secret_file",
            vec![
                "create",
                "1",
                "x",
                "-i",
                ISSUER,
                "--secret-file",
                "/dev/zero",
            ],
        ),
        (
            "verify_secret_file",
            vec!["verify", token.trim(), "--secret-file", "/dev/zero"],
        ),
        (
            "guests_token_file",
            vec!["guests", "count", "--token-file", "/dev/zero"],
        ),
        (
            "ca_file",
            vec!["login", token.trim(), "--ca-file", "/dev/zero"],
        ),
    ] {
        assert_failure!(format!("limit_{name}"), run(&args), 2);
    }
}

#[test]
fn a_token_where_a_name_goes_is_not_signed() {
    let token = run(&["create", "1", "x", "-i", ISSUER, "-s", SECRET]).stdout;
    let env = [("ISSUER", ISSUER), ("SECRET", SECRET)];
    for (name, args) in [
        ("decode_token", vec!["decode", token.trim()]),
        ("uppercase_command", vec!["VERIFY", token.trim()]),
        ("capitalised_command", vec!["Create", "1", "x"]),
    ] {
        assert_failure!(format!("default_command_{name}"), run_env(&args, &env), 2);
    }
    // The original's default command still works, and `create` spelled out takes any name.
    assert_eq!(run_env(&["123", "John"], &env).code, 0);
    assert_eq!(run_env(&["create", "decode", token.trim()], &env).code, 0);
}

#[test]
fn many_stars_in_debug_cost_nothing() {
    let stars = format!("{}x", "*".repeat(100_000));
    let out = run_env(
        &["create", "1", "x", "-i", ISSUER, "-s", SECRET],
        &[("DEBUG", &stars)],
    );
    assert_eq!(out.code, 0);
    assert_eq!(out.stderr.lines().count(), 1, "{}", out.stderr);
}

#[test]
fn the_fixed_clock_is_checked() {
    for (name, now) in [
        ("overflow", "18446744073709551615"),
        ("past_9999", "253402300800"),
        ("not_a_number", "yesterday"),
    ] {
        let out = Command::new(env!("CARGO_BIN_EXE_guestissuer"))
            .args(["quick", "1", "x", "-i", ISSUER, "-s", SECRET])
            .env_clear()
            .env("GUESTISSUER_NOW", now)
            .output()
            .unwrap();
        let out = Output {
            code: out.status.code().unwrap(),
            stdout: String::from_utf8(out.stdout).unwrap(),
            stderr: String::from_utf8(out.stderr).unwrap(),
        };
        assert_failure!(format!("guestissuer_now_{name}"), out, 2);
    }
    // The last second that can be represented: a 90-minute token would end after year 9999.
    let out = Command::new(env!("CARGO_BIN_EXE_guestissuer"))
        .args(["create", "1", "x", "-i", ISSUER, "-s", SECRET])
        .env_clear()
        .env("GUESTISSUER_NOW", "253402300799")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8(out.stderr).unwrap(),
        "error: the expiry would be after 9999-12-31T23:59:59Z: choose a shorter lifetime\n"
    );
}

#[test]
fn passwords_in_urls_never_show() {
    let token = run(&["create", "1", "x", "-i", ISSUER, "-s", SECRET]).stdout;
    let cases = [
        (
            "proxy_with_a_space",
            vec![("HTTPS_PROXY", "http://alice:hunter2@bad host:3128")],
            vec!["login", token.trim()],
        ),
        (
            "api_url_with_password",
            vec![],
            vec![
                "login",
                token.trim(),
                "--api-url",
                "https://alice:hunter2@webexapis.com/v1",
            ],
        ),
        (
            "api_url_with_password_json",
            vec![],
            vec![
                "login",
                token.trim(),
                "--json",
                "--api-url",
                "https://alice:hunter2@webex apis.com/v1",
            ],
        ),
    ];
    for (name, env, args) in cases {
        let out = run_env(&args, &env);
        assert!(!out.stderr.contains("hunter2"), "{name}: {}", out.stderr);
        assert_failure!(format!("url_password_{name}"), out, 2);
    }
    // A working proxy with credentials: the debug line names it without them.
    let out = run_env(
        &["-v", "login", token.trim(), "--timeout", "2"],
        &[("HTTPS_PROXY", "http://alice:hunter2@127.0.0.1:9")],
    );
    assert!(!out.stderr.contains("hunter2"), "{}", out.stderr);
    assert!(
        out.stderr
            .contains("via proxy http://[redacted]@127.0.0.1:9"),
        "{}",
        out.stderr
    );
}
