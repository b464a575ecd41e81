//! Every level's help reads as one tool: within 80 columns, with examples and exit codes, no
//! template residue; `-h`, `--help` and `help …` agree; errors are the tool's one line.

use crate::helpers::*;

/// Every command and subcommand, as typed.
fn command_paths() -> Vec<Vec<&'static str>> {
    let mut paths = Vec::new();
    for builtin in guestissuer::BUILTINS {
        paths.push(vec![builtin.name]);
        for sub in builtin.info().commands {
            paths.push(vec![builtin.name, sub.name]);
        }
    }
    paths
}

#[test]
fn every_help_fits_80_columns_with_examples_and_exit_codes() {
    let top = run(&["--help"]);
    assert_eq!(top.code, 0);
    let mut helps = vec![("guestissuer".to_string(), top.stdout)];
    for path in command_paths() {
        let mut args = path.clone();
        args.push("--help");
        let out = run(&args);
        assert_eq!((out.code, out.stderr.as_str()), (0, ""), "{path:?}");
        helps.push((path.join(" "), out.stdout));
    }
    assert!(helps.len() > 15, "{}", helps.len());
    for (name, text) in &helps {
        for line in text.lines() {
            assert!(line.chars().count() <= 80, "{name}: {line:?}");
        }
        assert!(
            text.contains("Examples:\n  guestissuer "),
            "{name} has no examples"
        );
        assert!(text.contains("Exit codes:"), "{name} has no exit codes");
        for residue in [
            "{{",
            "}}",
            "Error codes",
            "{command_name}",
            "display usage information",
        ] {
            assert!(!text.contains(residue), "{name} shows {residue:?}");
        }
    }
}

#[test]
fn every_level_answers_h_help_and_help_word() {
    for path in command_paths() {
        let long = run(&[path.as_slice(), &["--help"]].concat()).stdout;
        let short = run(&[path.as_slice(), &["-h"]].concat());
        assert_eq!((short.code, &short.stdout), (0, &long), "{path:?} -h");
        let word = run(&[&["help"], path.as_slice()].concat());
        assert_eq!((word.code, &word.stdout), (0, &long), "help {path:?}");
    }
    let help_help = run(&["help", "help"]);
    assert_eq!(help_help.code, 0);
    assert!(help_help.stdout.starts_with("Usage: guestissuer help"));
}

#[test]
fn argument_errors_read_as_the_tool() {
    let cases: &[(&str, &[&str])] = &[
        ("guests_alone", &["guests"]),
        ("guests_typo", &["guests", "craete"]),
        ("option_typo", &["create", "1", "x", "--secrt-file", "f"]),
        ("missing_positional", &["login"]),
        ("missing_options", &["service-app", "token", "app"]),
        ("missing_value", &["create", "1", "x", "-i"]),
        ("bad_value", &["completions", "tcsh"]),
        ("extra_word", &["login", "a", "b"]),
    ];
    for (name, args) in cases {
        assert_failure!(format!("argh_error_{name}"), run(args), 2);
    }
    // A secret or a token in the wrong form or place is never echoed whole (the helpers check
    // that no output holds the test secret).
    let token = run(&["create", "1", "x", "-i", ISSUER, "-s", SECRET]).stdout;
    let short_s = format!("-s{SECRET}");
    let equals_s = format!("-s={SECRET}");
    let typo = format!("--secrett={SECRET}");
    let cases: &[(&str, &[&str])] = &[
        ("short_option_glued", &["create", "1", "x", &short_s]),
        ("long_option_typo", &["create", "1", "x", &typo]),
        ("stray_token", &["verify", token.trim(), token.trim()]),
        (
            "stray_secret",
            &["create", "1", "x", SECRET, "-i", ISSUER, "-s", SECRET],
        ),
    ];
    for (name, args) in cases {
        let out = run(args);
        assert!(!out.stderr.contains(token.trim()), "{name}: {}", out.stderr);
        assert!(
            !out.stderr.contains(&SECRET[..13]),
            "{name}: {}",
            out.stderr
        );
        assert_failure!(format!("argh_error_{name}"), out, 2);
    }
    // `-s=SECRET` is the short option with its value.
    let equals = run(&["create", "1", "x", "-i", ISSUER, &equals_s]);
    assert_eq!(equals.stdout, token);
}

#[test]
fn argument_errors_without_values() {
    let cases: &[(&str, &[&str])] = &[(
        "help_after_options_is_help",
        &["create", "--help", "-d", "5"],
    )];
    for (name, args) in cases {
        let out = run(args);
        assert_eq!((out.code, out.stderr.as_str()), (0, ""), "{name}");
        assert!(
            out.stdout.starts_with("Usage: guestissuer create"),
            "{name}"
        );
    }
}

#[test]
fn options_take_their_value_with_an_equals_sign() {
    let spaced = run(&[
        "create",
        "1",
        "x",
        "--issuer",
        ISSUER,
        "-s",
        SECRET,
        "--expires-at",
        "1800000000",
    ]);
    let equals = run(&[
        "create",
        "1",
        "x",
        &format!("--issuer={ISSUER}"),
        &format!("--secret={SECRET}"),
        "--expires-at=1800000000",
    ]);
    assert_eq!(spaced.code, 0, "{}", spaced.transcript());
    assert_eq!(spaced.transcript(), equals.transcript());
    // After --, nothing is an option: `--issuer=x` is a user id.
    let literal = run(&[
        "create",
        "-i",
        ISSUER,
        "-s",
        SECRET,
        "--",
        "--issuer=x",
        "Ann",
    ]);
    assert_eq!(literal.code, 0, "{}", literal.transcript());
    assert!(literal.stderr.contains("(user id \"--issuer=x\")"));
    let timeout = run(&["login", "x.y.z", "--timeout=100000"]);
    assert_failure!("timeout_equals_too_long", timeout, 2);
}

#[test]
fn version_short_and_long() {
    let short = run(&["-V"]);
    assert_eq!(
        short.stdout,
        format!("guestissuer {}\n", env!("CARGO_PKG_VERSION"))
    );
    let long = run(&["--version"]).stdout;
    assert!(long.starts_with(&format!("guestissuer {} (", env!("CARGO_PKG_VERSION"))));
    // The target triple it was built for: this machine's architecture, then the vendor.
    assert!(
        long.contains(&format!("{}-", std::env::consts::ARCH)),
        "{long}"
    );
    assert!(
        long.contains("TLS rustls 0.23, ring crypto provider)"),
        "{long}"
    );
}
