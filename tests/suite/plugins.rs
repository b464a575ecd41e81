//! External commands (`guestissuer-<name>` on PATH), help listing, unknown commands, and a closed
//! stdout. Plugins are shell scripts written into temporary directories put on PATH.

use std::io::Read;
use std::process::{Command, Stdio};

use insta::assert_snapshot;

use crate::helpers::*;
use crate::server::TempDir;

fn plugin(dir: &TempDir, name: &str, script: &str) {
    let path = dir.0.join(format!("guestissuer-{name}"));
    std::fs::write(&path, format!("#!/bin/sh\n{script}\n")).unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
}

fn path_with(dir: &TempDir) -> String {
    format!("{}:/usr/bin:/bin", dir.0.display())
}

#[test]
fn a_plugin_gets_its_arguments_streams_and_exit_code() {
    let dir = TempDir::new();
    plugin(
        &dir,
        "hello",
        r#"echo "args: $*"
echo "bin: $(basename "$GUESTISSUER_BIN") json=${GUESTISSUER_JSON:-} verbose=${GUESTISSUER_VERBOSE:-}"
read line; echo "stdin: $line"
echo "to stderr" >&2
exit 7"#,
    );
    let out = Run {
        args: vec!["--json", "hello", "a", "b c", "--json", "-v"],
        env: vec![("PATH", path_with(&dir))],
        stdin: Some("input line\n".into()),
    }
    .output();
    assert_eq!(out.code, 7);
    assert_snapshot!(out.transcript());
}

#[test]
fn a_plugin_can_call_back_into_guestissuer() {
    let dir = TempDir::new();
    plugin(
        &dir,
        "mint",
        r#"exec "$GUESTISSUER_BIN" create "$1" "$2" -i issuer -s c2VjcmV0 --expires-at 1795840000"#,
    );
    let out = run_env(&["mint", "7", "Ann"], &[("PATH", &path_with(&dir))]);
    let direct = run(&[
        "create",
        "7",
        "Ann",
        "-i",
        "issuer",
        "-s",
        "c2VjcmV0",
        "--expires-at",
        "1795840000",
    ]);
    assert_eq!(out.code, 0, "{}", out.transcript());
    assert_eq!(out.transcript(), direct.transcript());
}

#[test]
fn a_plugin_killed_by_a_signal_gives_128_plus_the_signal() {
    let dir = TempDir::new();
    plugin(&dir, "die", "kill -TERM $$");
    assert_eq!(
        run_env(&["die"], &[("PATH", &path_with(&dir))]).code,
        128 + 15
    );
}

#[test]
fn help_lists_plugins_and_built_ins_win() {
    let dir = TempDir::new();
    plugin(&dir, "hello", "echo hello");
    plugin(&dir, "create", "echo 'the plugin ran'");
    let path = path_with(&dir);
    let help = run_env(&["--help"], &[("PATH", &path)]);
    assert_snapshot!(help
        .transcript()
        .replace(&dir.0.display().to_string(), "[plugins]"));
    let builtin = run_env(
        &["create", "1", "x", "-i", "i", "-s", "c2VjcmV0"],
        &[("PATH", &path)],
    );
    assert_eq!(builtin.code, 0);
    assert!(!builtin.stdout.contains("the plugin ran"));
}

#[test]
fn unknown_commands() {
    for (name, args) in [
        ("typo", vec!["cretae"]),
        ("typo_with_args", vec!["logn", "eyJ.x.y"]),
        ("lone_word", vec!["frobnicate"]),
        ("help_for_unknown", vec!["help", "frobnicate"]),
    ] {
        assert_failure!(format!("unknown_{name}"), run(&args), 2);
    }
}

#[test]
fn a_closed_stdout_ends_quietly() {
    for args in [
        vec!["create", "123", "Stève", "-i", ISSUER, "-s", SECRET],
        vec!["--help"],
        vec!["create", "--help"],
    ] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_guestissuer"))
            .args(&args)
            .env_clear()
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // Close the reading end before the program writes: its write meets a broken pipe.
        drop(child.stdout.take());
        let mut stderr = String::new();
        child
            .stderr
            .take()
            .unwrap()
            .read_to_string(&mut stderr)
            .unwrap();
        let status = child.wait().unwrap();
        assert_eq!(status.code(), Some(0), "{args:?}: {stderr}");
        assert!(
            !stderr.contains("panicked") && !stderr.contains("error"),
            "{args:?}: {stderr}"
        );
    }
}

/// Runs the binary with arguments that may not be UTF-8.
fn run_bytes(args: &[&[u8]], env: &[(&str, &str)]) -> (i32, Vec<u8>, String) {
    use std::os::unix::ffi::OsStrExt;
    let mut command = Command::new(env!("CARGO_BIN_EXE_guestissuer"));
    command
        .args(args.iter().map(|a| std::ffi::OsStr::from_bytes(a)))
        .env_clear()
        .env("GUESTISSUER_NOW", NOW.to_string())
        .stdin(Stdio::null());
    for (k, v) in env {
        command.env(k, v);
    }
    let out = command.output().unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    (out.status.code().unwrap(), out.stdout, stderr)
}

#[test]
fn a_plugin_receives_its_arguments_byte_for_byte() {
    let dir = TempDir::new();
    // od prints each byte the plugin got, so the test sees them exactly.
    plugin(&dir, "hello", r#"printf '%s' "$1" | od -An -tx1"#);
    let (code, stdout, stderr) = run_bytes(&[b"hello", b"\xe8\xff"], &[("PATH", &path_with(&dir))]);
    assert_eq!((code, stderr.as_str()), (0, ""));
    assert_eq!(String::from_utf8(stdout).unwrap().trim(), "e8 ff");
}

#[test]
fn file_paths_may_be_any_bytes_other_arguments_not() {
    let dir = TempDir::new();
    use std::os::unix::ffi::OsStrExt;
    let name: &[u8] = b"issuer-\xe8.secret";
    let path = dir.0.join(std::ffi::OsStr::from_bytes(name));
    std::fs::write(&path, SECRET).unwrap();
    let path_bytes = path.as_os_str().as_bytes().to_vec();
    let spaced = run_bytes(
        &[
            b"create",
            b"1",
            b"x",
            b"-i",
            ISSUER.as_bytes(),
            b"--secret-file",
            &path_bytes,
        ],
        &[],
    );
    let mut equals = b"--secret-file=".to_vec();
    equals.extend_from_slice(&path_bytes);
    let joined = run_bytes(
        &[b"create", b"1", b"x", b"-i", ISSUER.as_bytes(), &equals],
        &[],
    );
    assert_eq!(spaced.0, 0, "{}", spaced.2);
    assert_eq!(spaced, joined);
    let expected = run(&["create", "1", "x", "-i", ISSUER, "-s", SECRET]);
    assert_eq!(String::from_utf8(spaced.1).unwrap(), expected.stdout);
    // A user name is text: the error names the argument.
    let (code, stdout, stderr) = run_bytes(&[b"create", b"1", b"x\xe8", b"-i", b"i"], &[]);
    assert_eq!((code, stdout.len()), (2, 0));
    assert_eq!(
        stderr,
        "error: argument 3 (\"x\u{fffd}\") is not valid UTF-8; only file paths may be\n"
    );
}

#[test]
fn messages_about_the_environment_name_it() {
    let dir = TempDir::new();
    let noexec = dir.0.join("guestissuer-noexec");
    std::fs::write(&noexec, "#!/bin/sh\n").unwrap();
    let out = run_env(&["noexec"], &[("PATH", &path_with(&dir))]);
    let dir_shown = dir.0.display().to_string();
    insta::with_settings!({ filters => vec![(dir_shown.as_str(), "[dir]")] }, {
        assert_failure!("plugin_not_executable", out, 2);
    });
    plugin(&dir, "hello", "true");
    let out = run_env(&["helo"], &[("PATH", &path_with(&dir))]);
    insta::with_settings!({ filters => vec![(dir_shown.as_str(), "[dir]")] }, {
        assert_failure!("plugin_near_miss", out, 2);
    });
    let (code, _, stderr) = {
        use std::os::unix::ffi::OsStrExt;
        let out = Command::new(env!("CARGO_BIN_EXE_guestissuer"))
            .args(["create", "1", "x", "-s", SECRET])
            .env_clear()
            .env("ISSUER", std::ffi::OsStr::from_bytes(b"issuer-\xe8"))
            .output()
            .unwrap();
        (
            out.status.code().unwrap(),
            out.stdout,
            String::from_utf8(out.stderr).unwrap(),
        )
    };
    assert_eq!(
        (code, stderr.as_str()),
        (
            2,
            "error: ISSUER is not valid UTF-8: set it to UTF-8 text, or unset it\n"
        )
    );
}

#[test]
fn the_secret_can_come_from_stdin_once() {
    let expected = run(&["create", "1", "x", "-i", ISSUER, "-s", SECRET]).stdout;
    let piped = run_stdin(
        &["create", "1", "x", "-i", ISSUER, "--secret-file", "-"],
        &format!("{SECRET}\n"),
    );
    assert_eq!((piped.code, piped.stdout), (0, expected.clone()));
    let token = expected.trim();
    let checked = run_stdin(&["verify", token, "--secret-file", "-"], SECRET);
    assert_eq!(checked.code, 0, "{}", checked.transcript());
    assert!(checked.stderr.starts_with("signature valid"));
    assert_failure!(
        "secret_and_token_on_stdin",
        run_stdin(&["verify", "-", "--secret-file", "-"], token),
        2
    );
    assert_failure!(
        "secret_and_batch_on_stdin",
        run_stdin(
            &["create", "--batch", "-", "-i", ISSUER, "--secret-file", "-"],
            "1,x\n"
        ),
        2
    );
}
