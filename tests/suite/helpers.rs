//! Running the binary with a clean environment, a fixed clock and fixed secrets.

use std::io::Write;
use std::process::{Command, Stdio};

/// The fake credentials and the clock every run sees (NOW, via GUESTISSUER_NOW), shared with the
/// CLI's own tests.
pub use guestissuer_fixtures::{load as fixture, ISSUER, NOW, SECRET, SECRET_DECODED};

/// Asserts a failed run as the tool's contract says (exit `code`, nothing on stdout, one line on
/// stderr) and snapshots it as `name`. A macro, so that the snapshot belongs to the calling module.
macro_rules! assert_failure {
    ($name:expr, $out:expr, $code:expr) => {{
        let (name, out) = ($name, &$out);
        assert_eq!(out.code, $code, "{name}: {}", out.transcript());
        assert!(
            out.stdout.is_empty(),
            "{name}: stdout must be empty on error"
        );
        assert_eq!(
            out.stderr.lines().count(),
            1,
            "{name}: one line on stderr:\n{}",
            out.stderr
        );
        insta::assert_snapshot!(name, out.transcript());
    }};
}
pub(crate) use assert_failure;

/// One run of the binary.
pub struct Run<'a> {
    pub args: Vec<&'a str>,
    pub env: Vec<(&'a str, String)>,
    pub stdin: Option<String>,
}

pub fn run(args: &[&str]) -> Output {
    Run {
        args: args.to_vec(),
        env: vec![],
        stdin: None,
    }
    .output()
}

pub fn run_env(args: &[&str], env: &[(&str, &str)]) -> Output {
    let env = env.iter().map(|(k, v)| (*k, v.to_string())).collect();
    Run {
        args: args.to_vec(),
        env,
        stdin: None,
    }
    .output()
}

pub fn run_stdin(args: &[&str], stdin: &str) -> Output {
    Run {
        args: args.to_vec(),
        env: vec![],
        stdin: Some(stdin.into()),
    }
    .output()
}

pub struct Output {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Output {
    /// The whole observable result, as one snapshot text.
    pub fn transcript(&self) -> String {
        format!(
            "exit: {}\n--- stdout\n{}--- stderr\n{}",
            self.code, self.stdout, self.stderr
        )
    }
}

impl Run<'_> {
    pub fn output(self) -> Output {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_guestissuer"));
        cmd.args(&self.args)
            .env_clear()
            .env("GUESTISSUER_NOW", NOW.to_string())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        for (k, v) in &self.env {
            cmd.env(k, v);
        }
        let mut child = cmd.spawn().expect("spawn guestissuer");
        let mut stdin = child.stdin.take().unwrap();
        if let Some(text) = &self.stdin {
            // A command may refuse its input before reading all of it: that is its right.
            match stdin.write_all(text.as_bytes()) {
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
                other => other.unwrap(),
            }
        }
        drop(stdin);
        let out = child.wait_with_output().unwrap();
        let output = Output {
            code: out.status.code().expect("exited, not killed"),
            stdout: String::from_utf8(out.stdout).unwrap(),
            stderr: String::from_utf8(out.stderr).unwrap(),
        };
        assert_no_secret(&output);
        output
    }
}

/// No run may print the issuer secret, in its base64 text or as its decoded bytes.
fn assert_no_secret(out: &Output) {
    for leak in [SECRET, SECRET_DECODED] {
        assert!(
            !out.stdout.contains(leak) && !out.stderr.contains(leak),
            "secret leaked:\n{}",
            out.transcript()
        );
    }
}
