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
