//! `guestissuer completions` and `guestissuer manpage`: the scripts are syntax-checked by their
//! own shells and then run in them, completing words as a user would press TAB; the man page is
//! rendered by groff and man. bash is always there; a test needing zsh, fish, groff or man that
//! is not installed passes after saying on stderr what it skipped and why (`apt-get install zsh
//! fish groff-base man-db` runs them all).

use std::path::Path;
use std::process::Command;

use insta::assert_snapshot;

use crate::helpers::*;
use crate::server::TempDir;

/// The script for `shell`, written into `dir`.
fn script(dir: &TempDir, shell: &str) -> String {
    let out = run(&["completions", shell]);
    assert_eq!((out.code, out.stderr.as_str()), (0, ""), "{shell}");
    let path = dir.0.join(format!("guestissuer.{shell}"));
    std::fs::write(&path, &out.stdout).unwrap();
    path.display().to_string()
}

/// Whether `program` can be run; if not, says so, since the test that asked is skipped.
fn installed(program: &str, test: &str) -> bool {
    let found = Command::new(program).arg("--version").output().is_ok();
    if !found {
        eprintln!("{test}: skipped, {program} is not installed (apt-get install {program})");
    }
    found
}

/// A directory with an external command `guestissuer-hello`, and one shadowed by a built-in.
fn plugins() -> TempDir {
    let dir = TempDir::new();
    for name in ["guestissuer-hello", "guestissuer-create"] {
        let path = dir.0.join(name);
        std::fs::write(&path, "#!/bin/sh\n").unwrap();
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    // Not executable: not a command.
    std::fs::write(dir.0.join("guestissuer-notes"), "").unwrap();
    dir
}

fn path_with(dir: &Path) -> String {
    format!("{}:/usr/local/bin:/usr/bin:/bin", dir.display())
}

fn lines(output: std::process::Output) -> Vec<String> {
    assert!(
        output.status.success() && output.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect()
}

#[test]
fn completion_scripts_pass_their_shells_syntax_check() {
    let dir = TempDir::new();
    for shell in ["bash", "zsh", "fish"] {
        if !installed(shell, "syntax check") {
            continue;
        }
        let path = script(&dir, shell);
        let check = Command::new(shell).arg("-n").arg(&path).output().unwrap();
        assert!(
            check.status.success() && check.stderr.is_empty(),
            "{shell} -n: {}",
            String::from_utf8_lossy(&check.stderr)
        );
    }
}

#[test]
fn an_unknown_shell_is_a_usage_error() {
    let out = run(&["completions", "tcsh"]);
    assert_eq!(out.code, 2);
    assert_eq!(out.stdout, "");
    assert!(
        out.stderr.contains("expected bash, zsh or fish"),
        "{}",
        out.stderr
    );
}

/// Completes the last of `words` (the command line up to the cursor, split into words) in a
/// real bash, as its completion system would: COMP_WORDS, COMP_CWORD, then the function.
fn bash_complete(script: &str, path: &str, words: &[&str]) -> Vec<String> {
    let driver = r#"source "$0"
COMP_WORDS=("$@")
COMP_CWORD=$(($# - 1))
COMPREPLY=()
_guestissuer
printf '%s\n' "${COMPREPLY[@]}""#;
    let output = Command::new("bash")
        .arg("--norc")
        .arg("-c")
        .arg(driver)
        .arg(script)
        .args(words)
        .env_clear()
        .env("PATH", path)
        .output()
        .unwrap();
    lines(output)
        .into_iter()
        .filter(|l| !l.is_empty())
        .collect()
}

#[test]
fn bash_completes_commands_subcommands_flags_and_plugins() {
    let dir = TempDir::new();
    let script = script(&dir, "bash");
    let plugins = plugins();
    let path = path_with(&plugins.0);
    let complete = |words: &[&str]| bash_complete(&script, &path, words);

    assert_eq!(complete(&["guestissuer", "gu"]), ["guests"]);
    assert_eq!(
        complete(&["guestissuer", "guests", ""]),
        ["count", "create"]
    );
    assert_eq!(complete(&["guestissuer", "login", "--ti"]), ["--timeout"]);
    // The plugin, found on PATH now; `help` is a built-in word.
    assert_eq!(complete(&["guestissuer", "he"]), ["help", "hello"]);
    // guestissuer-create is shadowed by the built-in: offered once.
    assert_eq!(complete(&["guestissuer", "cr"]), ["create"]);
    assert_eq!(
        complete(&["guestissuer", ""]),
        [
            "add-to-space",
            "completions",
            "create",
            "guests",
            "help",
            "login",
            "manpage",
            "quick",
            "service-app",
            "verify",
            "version",
            "whoami",
            "hello"
        ]
    );
    // Subcommands' own flags, short ones too; global options everywhere.
    assert_eq!(
        complete(&["guestissuer", "guests", "create", "--to"]),
        ["--token", "--token-file"]
    );
    assert_eq!(
        complete(&["guestissuer", "create", "-"]),
        [
            "--help",
            "--issuer",
            "-i",
            "--secret",
            "-s",
            "--secret-file",
            "--delay",
            "-d",
            "--expires-at",
            "--batch",
            "--skip-invalid",
            "--json",
            "--verbose",
            "-v"
        ]
    );
    assert_eq!(
        complete(&["guestissuer", "--json", "-v", "verify", "--de"]),
        ["--decode-only"]
    );
    // The default command: `guestissuer 123 Ann` is create, with create's options.
    assert_eq!(
        complete(&["guestissuer", "123", "Ann", "--sec"]),
        ["--secret", "--secret-file"]
    );
    assert_eq!(
        complete(&["guestissuer", "-i", "X", "--exp"]),
        ["--expires-at"]
    );
    assert_eq!(complete(&["guestissuer", "help", "gu"]), ["guests"]);
    assert_eq!(complete(&["guestissuer", "completions", "--h"]), ["--help"]);
    // An option's value, and an external command's arguments: nothing here, so bash falls back
    // to file names (complete -o default).
    assert!(complete(&["guestissuer", "create", "--secret-file", ""]).is_empty());
    assert!(complete(&["guestissuer", "hello", "--"]).is_empty());
}

#[test]
fn bash_completes_a_plugin_installed_after_the_script_was_loaded() {
    let dir = TempDir::new();
    let script = script(&dir, "bash");
    let later = TempDir::new();
    let path = path_with(&later.0);
    assert!(bash_complete(&script, &path, &["guestissuer", "wor"]).is_empty());
    let plugin = later.0.join("guestissuer-world");
    std::fs::write(&plugin, "#!/bin/sh\n").unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&plugin, std::fs::Permissions::from_mode(0o755)).unwrap();
    assert_eq!(
        bash_complete(&script, &path, &["guestissuer", "wor"]),
        ["world"]
    );
}

#[test]
fn zsh_completes_commands_subcommands_flags_and_plugins() {
    if !installed("zsh", "zsh completion") {
        return;
    }
    let dir = TempDir::new();
    let script = script(&dir, "zsh");
    let plugins = plugins();
    // Outside an interactive completion, _describe and _files are stood in for: they print the
    // candidates matching the word being completed ($PREFIX), as the real ones would offer.
    let driver = r#"compdef() { : }
_describe() { local -a names; names=( "${(@P)${@[-1]}}" ); names=( "${(@)names%%:*}" ); print -rl -- ${(M)names:#${PREFIX}*} }
_files() { print -r -- '<files>' }
source "$1"
shift
words=( "$@" )
CURRENT=$#words
PREFIX=${words[CURRENT]}
_guestissuer"#;
    let complete = |words: &[&str]| {
        let output = Command::new("zsh")
            .arg("-f")
            .arg("-c")
            .arg(driver)
            .arg("zsh")
            .arg(&script)
            .args(words)
            .env_clear()
            .env("PATH", path_with(&plugins.0))
            .output()
            .unwrap();
        lines(output)
    };
    assert_eq!(complete(&["guestissuer", "gu"]), ["guests"]);
    assert_eq!(
        complete(&["guestissuer", "guests", ""]),
        ["count", "create"]
    );
    assert_eq!(complete(&["guestissuer", "login", "--ti"]), ["--timeout"]);
    assert_eq!(complete(&["guestissuer", "he"]), ["help", "hello"]);
    assert_eq!(complete(&["guestissuer", "cr"]), ["create"]);
    assert_eq!(
        complete(&["guestissuer", "guests", "create", "--to"]),
        ["--token", "--token-file"]
    );
    assert_eq!(complete(&["guestissuer", "123", "Ann", "-d"]), ["-d"]);
    assert_eq!(complete(&["guestissuer", "create", "-d", ""]), ["<files>"]);
    assert_eq!(complete(&["guestissuer", "hello", ""]), ["<files>"]);
}

#[test]
fn fish_completes_commands_subcommands_flags_and_plugins() {
    if !installed("fish", "fish completion") {
        return;
    }
    let dir = TempDir::new();
    let script = script(&dir, "fish");
    let plugins = plugins();
    // An empty working directory, so that file names are none.
    let cwd = TempDir::new();
    let complete = |line: &str| {
        let output = Command::new("fish")
            .arg("--no-config")
            .arg("-c")
            .arg("source $argv[1]; complete -C$argv[2]")
            .arg(&script)
            .arg(line)
            .current_dir(&cwd.0)
            .env_clear()
            .env("PATH", path_with(&plugins.0))
            .env("HOME", &cwd.0)
            .output()
            .unwrap();
        // `complete -C` prints "word<TAB>description".
        lines(output)
            .into_iter()
            .map(|l| l.split('\t').next().unwrap_or("").to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(complete("guestissuer gu"), ["guests"]);
    assert_eq!(complete("guestissuer guests "), ["count", "create"]);
    assert_eq!(complete("guestissuer login --ti"), ["--timeout"]);
    assert_eq!(complete("guestissuer he"), ["hello", "help"]);
    assert_eq!(complete("guestissuer cr"), ["create"]);
    assert_eq!(
        complete("guestissuer guests create --to"),
        ["--token", "--token-file"]
    );
    assert_eq!(
        complete("guestissuer 123 Ann --sec"),
        ["--secret", "--secret-file"]
    );
}

fn manpage() -> String {
    let out = run(&["manpage"]);
    assert_eq!((out.code, out.stderr.as_str()), (0, ""));
    out.stdout
}

#[test]
fn manpage_sections() {
    let page = manpage();
    let headers: Vec<&str> = page
        .lines()
        .filter(|l| l.starts_with(".TH") || l.starts_with(".SH") || l.starts_with(".SS"))
        .collect();
    assert_snapshot!(headers.join("\n"));
}

/// One source of truth: every option of every command, as its `--help` lists it, is in the page.
#[test]
fn manpage_documents_every_option_help_shows() {
    let page = manpage();
    for command in [
        "create",
        "login",
        "quick",
        "verify",
        "add-to-space",
        "completions",
    ] {
        let help = run(&[command, "--help"]).stdout;
        let options = help.split("Options:").nth(1).unwrap_or("");
        for word in options.split_whitespace().filter(|w| w.starts_with("--")) {
            let long = word.trim_end_matches(',');
            let roff = long.replace('-', "\\-");
            assert!(page.contains(&roff), "{command} {long} is not in the page");
        }
    }
    for text in [
        "ISSUER",
        "WEBEX_TOKEN",
        "GUESTISSUER_NOW",
        "NO_PROXY",
        ".SH EXIT STATUS",
    ] {
        assert!(page.contains(text), "{text}");
    }
}

#[test]
fn manpage_renders_without_warnings() {
    let dir = TempDir::new();
    let path = dir.0.join("guestissuer.1");
    std::fs::write(&path, manpage()).unwrap();
    if installed("groff", "groff rendering") {
        let out = Command::new("groff")
            .args(["-man", "-Tutf8", "-ww"])
            .arg(&path)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success() && stderr.is_empty(), "groff: {stderr}");
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.contains("guestissuer guests create"), "{text}");
    }
    if installed("man", "man -l rendering") {
        let out = Command::new("man")
            .arg("--warnings")
            .arg("-l")
            .arg(&path)
            .env("MANPAGER", "cat")
            .env("MANWIDTH", "80")
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success() && stderr.is_empty(), "man: {stderr}");
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.contains("EXIT STATUS"), "{text}");
    }
}
