//! `create --batch`: CSV in, JSON lines out, each token byte-identical to `create`'s.

use std::io::Read;
use std::process::{Command, Stdio};

use insta::assert_snapshot;

use crate::helpers::*;
use crate::server::TempDir;

const EXP: &str = "1795842200";

fn batch(csv: &[u8], extra: &[&str]) -> Output {
    let dir = TempDir::new();
    let path = dir.0.join("guests.csv");
    std::fs::write(&path, csv).unwrap();
    let mut args = vec![
        "create",
        "--batch",
        path.to_str().unwrap(),
        "-i",
        ISSUER,
        "-s",
        SECRET,
        "--expires-at",
        EXP,
    ];
    args.extend_from_slice(extra);
    let out = run(&args);
    Output {
        stderr: out.stderr.replace(path.to_str().unwrap(), "guests.csv"),
        ..out
    }
}

#[test]
fn every_row_gets_the_token_create_gives() {
    let csv = "user_id,user_name\n123,Stève\n\"4,5\",\"Doe, John \"\"JD\"\"\"\n6,\"two\nlines\"\nü-7,中文 🎉\n";
    let out = batch(csv.as_bytes(), &[]);
    assert_eq!(out.code, 0, "{}", out.transcript());
    assert_snapshot!(out.transcript());
    let rows = [
        ("123", "Stève"),
        ("4,5", "Doe, John \"JD\""),
        ("6", "two\nlines"),
        ("ü-7", "中文 🎉"),
    ];
    let lines: Vec<serde_json::Value> = out
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), rows.len());
    for ((sub, name), line) in rows.iter().zip(&lines) {
        let single = run(&[
            "create",
            sub,
            name,
            "-i",
            ISSUER,
            "-s",
            SECRET,
            "--expires-at",
            EXP,
        ])
        .stdout;
        assert_eq!(
            (line["sub"].as_str(), line["name"].as_str()),
            (Some(*sub), Some(*name))
        );
        assert_eq!(line["exp"], 1_795_842_200u64);
        assert_eq!(format!("{}\n", line["token"].as_str().unwrap()), single);
    }
}

#[test]
fn a_byte_order_mark_before_the_header_is_ignored() {
    let out = batch(b"\xef\xbb\xbfuser_id,user_name\n1,Ann\n", &[]);
    assert_eq!(out.code, 0);
    assert_eq!(out.stdout.lines().count(), 1);
    assert!(out.stdout.starts_with("{\"sub\":\"1\",\"name\":\"Ann\""));
    assert_eq!(
        out.stderr,
        "issued 1 guest token, valid 1h30m, until 2026-11-28T05:03:20Z\n"
    );
}

#[test]
fn stdin_and_no_header() {
    let out = run_stdin(
        &[
            "create",
            "--batch",
            "-",
            "-i",
            ISSUER,
            "-s",
            SECRET,
            "--expires-at",
            EXP,
        ],
        "1,Ann\r\n2,Bob\r\n",
    );
    assert_eq!(out.code, 0);
    assert_eq!(out.stdout.lines().count(), 2);
    assert!(out
        .stdout
        .starts_with("{\"sub\":\"1\",\"name\":\"Ann\",\"exp\":1795842200,\"token\":\"eyJ"));
}

#[test]
fn bad_rows_stop_the_run_with_the_line_number() {
    let cases: &[(&str, &[u8])] = &[
        ("missing_column", b"1,Ann\n2\n3,Cy\n"),
        ("extra_column", b"1,Ann\n2,Bob,Jr\n"),
        ("empty_id", b"1,Ann\n\"\",Bob\n"),
        ("empty_name", b"1,Ann\n2,  \n"),
        ("invalid_utf8", b"1,Ann\n2,B\xffb\n"),
        ("bad_row_after_multiline_name", b"1,\"A\nnn\"\n2\n"),
    ];
    for (name, csv) in cases {
        let out = batch(csv, &[]);
        assert_eq!(out.code, 2, "{name}");
        // The rows before the bad one are out, whole; nothing of the bad one.
        assert!(out
            .stdout
            .lines()
            .all(|l| serde_json::from_str::<serde_json::Value>(l).is_ok()));
        assert_eq!(out.stderr.lines().count(), 1);
        assert_snapshot!(format!("batch_stop_{name}"), out.transcript());
    }
}

#[test]
fn skip_invalid_reports_each_bad_row_and_goes_on() {
    let out = batch(
        b"user_id,user_name\n1,Ann\n2\n\"\",x\n4,B\xffb\n5,Eve\n",
        &["--skip-invalid"],
    );
    assert_eq!(out.code, 0);
    assert_eq!(out.stdout.lines().count(), 2);
    assert_snapshot!(out.transcript());
}

#[test]
fn batch_usage_errors() {
    let cases: &[(&str, &[&str])] = &[
        (
            "missing_file",
            &[
                "create",
                "--batch",
                "/nonexistent/guests.csv",
                "-i",
                ISSUER,
                "-s",
                SECRET,
            ],
        ),
        (
            "with_user",
            &[
                "create", "1", "x", "--batch", "-", "-i", ISSUER, "-s", SECRET,
            ],
        ),
        (
            "skip_without_batch",
            &[
                "create",
                "1",
                "x",
                "--skip-invalid",
                "-i",
                ISSUER,
                "-s",
                SECRET,
            ],
        ),
        ("missing_secret", &["create", "--batch", "-", "-i", ISSUER]),
    ];
    for (name, args) in cases {
        assert_failure!(format!("batch_usage_{name}"), run(args), 2);
    }
}

#[test]
fn a_closed_stdout_ends_a_batch_quietly() {
    let dir = TempDir::new();
    let path = dir.0.join("many.csv");
    let rows: String = (0..200_000).map(|i| format!("{i},Guest {i}\n")).collect();
    std::fs::write(&path, rows).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_guestissuer"))
        .args([
            "create",
            "--batch",
            path.to_str().unwrap(),
            "-i",
            ISSUER,
            "-s",
            SECRET,
        ])
        .env_clear()
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = [0u8; 10];
    child
        .stdout
        .as_mut()
        .unwrap()
        .read_exact(&mut first)
        .unwrap();
    drop(child.stdout.take()); // like `| head -c 10`
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    assert_eq!(child.wait().unwrap().code(), Some(0), "{stderr}");
    assert_eq!(&first, b"{\"sub\":\"0\"");
    assert!(
        !stderr.contains("error") && !stderr.contains("panicked"),
        "{stderr}"
    );
}

#[test]
fn json_is_accepted_and_changes_only_the_errors() {
    let plain = batch(b"1,Ann\n2,Bob\n", &[]);
    let json = batch(b"1,Ann\n2,Bob\n", &["--json"]);
    assert_eq!(plain.transcript(), json.transcript());
    let bad = batch(b"1,Ann\n2\n", &["--json"]);
    assert_eq!(bad.code, 2);
    let error: serde_json::Value = serde_json::from_str(&bad.stderr).unwrap();
    assert_eq!(
        error["error"]["message"],
        "guests.csv line 2: expected 2 columns (user_id,user_name), found 1 (use --skip-invalid to go on past bad rows)"
    );
}
