//! Dispatch: global options, built-in commands, the default `create`, help and version.

use std::ffi::{OsStr, OsString};

use argh::FlagInfoKind;
use serde_json::json;

use crate::commands::{Builtin, BUILTINS};
use crate::help;
use crate::plugins::{self, Plugin};
use crate::{Context, Failure, Kind, Log};

/// Words that are neither commands nor plugins.
const RESERVED: &[&str] = &["help", "version"];

const VERSION: &str = env!("CARGO_PKG_VERSION");

/// The TLS and crypto stack, for `--version`.
const TLS_BACKEND: &str = "rustls 0.23, ring crypto provider";

/// `guestissuer help help`.
const HELP_HELP: &str = "Usage: guestissuer help [<command> [<subcommand>]]

Show guestissuer's help, or a command's: 'guestissuer help guests create' is
'guestissuer guests create --help'. For an external command, its own --help.
";

/// Runs one command line (without the program name) and returns the exit code: 0 ok, 1 the
/// operation failed, 2 usage or input error. Errors are written to `ctx.err` as one line.
pub fn run(args: &[String], ctx: &mut Context) -> u8 {
    run_os(args.iter().map(OsString::from).collect(), ctx)
}

/// [`run`] for a command line as the OS gives it: an external command receives its arguments
/// byte for byte; for the built-ins, a file path may be any bytes, and any other argument that
/// is not UTF-8 is an input error that names it.
pub fn run_os(args: Vec<OsString>, ctx: &mut Context) -> u8 {
    // An external command gets its arguments untouched, so it is looked for before anything
    // else; built-in names never cost a PATH look-up.
    let first = args
        .iter()
        .position(|a| !matches!(a.to_str(), Some("-v" | "--verbose" | "--json")));
    if let Some(index) = first {
        let name = args[index].to_string_lossy();
        if !name.starts_with('-') && Builtin::find(&name).is_none() && !RESERVED.contains(&&*name) {
            let dirs = plugins::path_dirs(ctx.var_os("PATH").as_deref());
            if let Some(plugin) = plugins::find(&dirs, &name) {
                return run_plugin(ctx, &plugin, &args[..index], &args[index + 1..]);
            }
        }
    }
    let args = match texts(&args) {
        Ok((texts, raw)) => {
            ctx.raw_args = raw;
            texts
        }
        Err(failure) => return finish(ctx, Err(failure)),
    };
    let (args, verbose, json) = split_globals(&args);
    ctx.json = ctx.json || json;
    let done = ctx.var("DEBUG").and_then(|debug| {
        ctx.log = Log::new(verbose, debug.as_deref());
        // Every command's output is flushed and checked here: a full disk is an error, not a
        // lost token (a closed pipe stays quiet).
        dispatch(&args, ctx).and_then(|()| Ok(ctx.out.flush()?))
    });
    finish(ctx, done)
}

/// The exit code of a finished command line, its failure reported.
fn finish(ctx: &mut Context, done: Result<(), Failure>) -> u8 {
    match done {
        Ok(()) => 0,
        Err(failure) if failure.kind == Kind::BrokenPipe => 0,
        Err(failure) if matches!(failure.kind, Kind::Exited(_)) => failure.exit_code(),
        Err(failure) => {
            report(ctx, &failure);
            failure.exit_code()
        }
    }
}

/// Options whose value is a file path, which may be any bytes.
const PATH_OPTIONS: &[&str] = &[
    "--batch",
    "--secret-file",
    "--token-file",
    "--ca-file",
    "--client-secret-file",
    "--save",
];

/// What stands for raw path `i` when it is not UTF-8.
const RAW_MARK: &str = "\u{2}path:";

/// The index of the raw argument a placeholder stands for.
pub fn raw_index(arg: &str) -> Option<usize> {
    arg.strip_prefix(RAW_MARK)?.parse().ok()
}

/// The arguments as text: a path that is not UTF-8 (the value of a path option, or the
/// credentials file of `service-app refresh|show`) becomes a placeholder for its raw bytes, kept
/// in the second vector; anything else that is not UTF-8 is refused, naming the argument.
fn texts(args: &[OsString]) -> Result<(Vec<String>, Vec<OsString>), Failure> {
    let mut out: Vec<String> = Vec::with_capacity(args.len());
    let mut raw: Vec<OsString> = Vec::new();
    for (i, arg) in args.iter().enumerate() {
        if let Some(text) = arg.to_str() {
            out.push(text.to_string());
            continue;
        }
        let after_path_option = out
            .last()
            .is_some_and(|p| PATH_OPTIONS.contains(&p.as_str()));
        let credentials_file = {
            let words: Vec<&str> = out
                .iter()
                .map(String::as_str)
                .filter(|w| !w.starts_with('-'))
                .collect();
            matches!(words.as_slice(), ["service-app", "refresh" | "show"])
        };
        if after_path_option || credentials_file {
            out.push(format!("{RAW_MARK}{}", raw.len()));
            raw.push(arg.clone());
            continue;
        }
        if let Some((name, value)) = split_raw_option(arg) {
            if PATH_OPTIONS.contains(&name.as_str()) {
                out.push(name);
                out.push(format!("{RAW_MARK}{}", raw.len()));
                raw.push(value);
                continue;
            }
        }
        return Err(Failure::usage(format!(
            "argument {} ({:?}) is not valid UTF-8; only file paths may be",
            i + 1,
            arg.to_string_lossy()
        )));
    }
    Ok((out, raw))
}

/// `--name=value` with a value that is not UTF-8: the name, and the value's bytes.
#[cfg(unix)]
fn split_raw_option(arg: &OsStr) -> Option<(String, OsString)> {
    use std::os::unix::ffi::{OsStrExt, OsStringExt};
    let bytes = arg.as_bytes();
    let eq = bytes.iter().position(|b| *b == b'=')?;
    let name = std::str::from_utf8(&bytes[..eq]).ok()?.to_string();
    Some((name, OsString::from_vec(bytes[eq + 1..].to_vec())))
}

#[cfg(not(unix))]
fn split_raw_option(_arg: &OsStr) -> Option<(String, OsString)> {
    None
}

fn dispatch(args: &[&str], ctx: &mut Context) -> Result<(), Failure> {
    let Some(&first) = args.first() else {
        ctx.out.write_all(help(ctx).as_bytes())?;
        return Ok(());
    };
    match first {
        "-h" | "--help" | "help" => match args.get(1) {
            Some(&"help") if args.len() == 2 => Ok(ctx.out.write_all(HELP_HELP.as_bytes())?),
            Some(option) if option.starts_with('-') => {
                Ok(ctx.out.write_all(help(ctx).as_bytes())?)
            }
            // `help guests create`: the help of `guests create`.
            Some(name) => match Builtin::find(name) {
                Some(b) => {
                    let mut rest: Vec<&str> = args[2..].to_vec();
                    rest.push("--help");
                    b.run(&rest, ctx)
                }
                None => {
                    let dirs = plugins::path_dirs(ctx.var_os("PATH").as_deref());
                    match plugins::find(&dirs, name) {
                        // An external command's help is its own `--help`.
                        Some(plugin) => match run_plugin(ctx, &plugin, &[], &["--help".into()]) {
                            0 => Ok(()),
                            code => Err(Failure::plugin_exit(code)),
                        },
                        None => Err(unknown(ctx, name)),
                    }
                }
            },
            None => Ok(ctx.out.write_all(help(ctx).as_bytes())?),
        },
        "-V" | "--version" | "version" if ctx.json => ctx.data(json!({
            "version": VERSION,
            "commit": option_env!("GUESTISSUER_COMMIT"),
            "target": env!("GUESTISSUER_TARGET"),
            "tls": TLS_BACKEND,
        })),
        "-V" => ctx.data(format_args!("guestissuer {VERSION}")),
        "--version" | "version" => {
            let commit = option_env!("GUESTISSUER_COMMIT")
                .map_or(String::new(), |c| format!("commit {c}, "));
            ctx.data(format_args!(
                "guestissuer {VERSION} ({commit}{}, TLS {TLS_BACKEND})",
                env!("GUESTISSUER_TARGET")
            ))
        }
        "completions" | "manpage" => Builtin::find(first)
            .expect("registered")
            .run(&args[1..], ctx),
        _ if ctx.clock_problem.is_some() && !args.iter().any(|a| matches!(*a, "-h" | "--help")) => {
            Err(Failure::usage(
                ctx.clock_problem.clone().unwrap_or_default(),
            ))
        }
        "verify" => verify_or_whoami(&args[1..], ctx),
        name => match Builtin::find(name) {
            Some(b) => b.run(&args[1..], ctx),
            // Options first (`guestissuer -i X 123 Name`), or a user id and a name: the default
            // `create`. A lone word, or a near-miss of a command name in any letter case, is an
            // unknown command; a token where the name goes is a command word gone wrong.
            None if name.starts_with('-')
                || (suggestion(name).is_none() && positionals(args) >= 2) =>
            {
                refuse_token_as_name(args)?;
                create().run(args, ctx)
            }
            None => Err(unknown(ctx, name)),
        },
    }
}

/// Runs an external command with the caller's streams; global options typed before its name
/// reach it as `GUESTISSUER_JSON=1` and `GUESTISSUER_VERBOSE=1`.
fn run_plugin(ctx: &mut Context, plugin: &Plugin, globals: &[OsString], args: &[OsString]) -> u8 {
    let bin = ctx
        .bin
        .clone()
        .or_else(|| std::env::current_exe().ok())
        .unwrap_or_else(|| "guestissuer".into());
    let mut env = vec![("GUESTISSUER_BIN", bin.into_os_string())];
    if globals.iter().any(|g| g == "--json") {
        env.push(("GUESTISSUER_JSON", "1".into()));
    }
    if globals.iter().any(|g| g == "-v" || g == "--verbose") {
        env.push(("GUESTISSUER_VERBOSE", "1".into()));
    }
    let _ = ctx.out.flush();
    let _ = ctx.err.flush();
    match plugins::run(plugin, args, &env) {
        Ok(code) => code,
        Err(failure) => {
            report(ctx, &failure);
            failure.exit_code()
        }
    }
}

/// `verify`, or with `--access` (the original tool's spelling) `whoami`: the options of one
/// given to the other are refused with what to do instead.
fn verify_or_whoami(args: &[&str], ctx: &mut Context) -> Result<(), Failure> {
    let options = || args.iter().take_while(|a| **a != "--");
    let has = |names: &[&str]| options().any(|a| names.contains(a));
    if !has(&["--access"]) {
        if has(&["--api-url", "--ca-file", "--timeout"]) {
            return Err(Failure::usage(
                "--api-url, --ca-file and --timeout go with --access ('guestissuer whoami'); verify is offline",
            ));
        }
        return Builtin::find("verify")
            .expect("verify is registered")
            .run(args, ctx);
    }
    if has(&["--jwt"]) {
        return Err(Failure::usage("use either --jwt or --access, not both"));
    }
    if has(&["-s", "--secret", "--secret-file"]) {
        return Err(Failure::usage(
            "a Guest Issuer secret cannot verify an access token: drop -s/--secret-file, or use --jwt",
        ));
    }
    let mut dropped = false;
    let rest: Vec<&str> = args
        .iter()
        .copied()
        .filter(|a| dropped || *a != "--access" || std::mem::replace(&mut dropped, true))
        .collect();
    whoami().run(&rest, ctx)
}

fn create() -> &'static Builtin {
    Builtin::find("create").expect("create is registered")
}

fn whoami() -> &'static Builtin {
    Builtin::find("whoami").expect("whoami is registered")
}

/// An unknown command: a built-in it looks like, else an external command it looks like, else
/// a `guestissuer-<name>` on PATH that cannot be run, else nothing.
fn unknown(ctx: &Context, name: &str) -> Failure {
    let create_hint =
        format!("(to create a token for user id '{name}', write 'guestissuer create {name} ...')");
    if let Some(s) = suggestion(name) {
        return Failure::usage(format!(
            "unknown command '{name}'; did you mean '{s}'? {create_hint}"
        ));
    }
    let dirs = plugins::path_dirs(ctx.var_os("PATH").as_deref());
    if let Some(path) = plugins::not_executable(&dirs, name) {
        return Failure::usage(format!(
            "unknown command '{name}': {} is not executable; run 'chmod +x {}'",
            path.display(),
            path.display()
        ));
    }
    let external = plugins::list(&dirs);
    if let Some(s) = help::closest(name, external.iter().map(|p| p.name.as_str())) {
        return Failure::usage(format!(
            "unknown command '{name}'; did you mean '{s}' ({})? {create_hint}",
            external
                .iter()
                .find(|p| p.name == s)
                .map_or(String::new(), |p| p.path.display().to_string())
        ));
    }
    Failure::usage(format!(
        "unknown command '{name}': no built-in and no {}{name} on PATH; see 'guestissuer --help'",
        plugins::PREFIX
    ))
}

/// The default command signs a token for any user id and name, so `guestissuer decode "$T"`
/// would sign one for user `decode` named after a token: a user name that is a compact JWT is
/// refused. (`create` spelled out still takes any name.)
fn refuse_token_as_name(args: &[&str]) -> Result<(), Failure> {
    let words = positional_words(args);
    if let [first, name, ..] = words.as_slice() {
        if guestissuer_core::decode(name).is_ok() {
            return Err(Failure::usage(format!(
                "unknown command '{first}' followed by a token: to decode it, 'guestissuer verify TOKEN'; to really name a guest after it, 'guestissuer create {first} TOKEN'"
            )));
        }
    }
    Ok(())
}

/// The built-in closest to `name` when it looks like a typo of one, in any letter case.
fn suggestion(name: &str) -> Option<&'static str> {
    help::closest(name, BUILTINS.iter().map(|b| b.name))
}

/// How many positional arguments `create` would see.
fn positionals(args: &[&str]) -> usize {
    positional_words(args).len()
}

/// The positional arguments `create` would see: words that are neither options nor their
/// values. Which options take a value is read from `create`'s own arguments.
fn positional_words<'a>(args: &[&'a str]) -> Vec<&'a str> {
    let info = create().info();
    let takes_value = |arg: &str| {
        info.flags.iter().any(|flag| {
            matches!(flag.kind, FlagInfoKind::Option { .. })
                && (flag.long == arg || flag.short.is_some_and(|c| arg == format!("-{c}")))
        })
    };
    let mut words = Vec::new();
    let mut skip = false;
    for arg in args {
        if std::mem::take(&mut skip) {
            continue;
        }
        if takes_value(arg) {
            skip = true;
        } else if !arg.starts_with('-') || *arg == "-" {
            words.push(*arg);
        }
    }
    words
}

/// Takes `--json`, `-v` and `--verbose` out of the arguments before a `--`.
fn split_globals(args: &[String]) -> (Vec<&str>, bool, bool) {
    let (mut verbose, mut json, mut rest, mut literal) = (false, false, Vec::new(), false);
    for arg in args {
        match arg.as_str() {
            "--" if !literal => {
                literal = true;
                rest.push("--");
            }
            "-v" | "--verbose" if !literal => verbose = true,
            "--json" if !literal => json = true,
            other => rest.push(other),
        }
    }
    (rest, verbose, json)
}

fn report(ctx: &mut Context, failure: &Failure) {
    let line = if ctx.json {
        let mut error = json!({
            "message": failure.message,
            "status": failure.status,
            "trackingId": failure.tracking_id,
        });
        if let Some(token) = &failure.token {
            error["token"] = (**token).clone();
        }
        json!({ "error": error }).to_string()
    } else {
        format!("error: {}", crate::context::one_line(&failure.message))
    };
    let _ = writeln!(ctx.err, "{line}");
}

fn help(ctx: &Context) -> String {
    let plugins = plugins::list(&plugins::path_dirs(ctx.var_os("PATH").as_deref()));
    let width = BUILTINS
        .iter()
        .map(|b| b.name.len())
        .chain(plugins.iter().map(|p| p.name.len()))
        .max()
        .unwrap_or(0);
    let mut text = format!(
        "guestissuer {VERSION}: create, verify and use Webex guest tokens\n\n\
         Usage: guestissuer [create] <user_id> <user_name> [-i ISSUER]\n\
         \x20                  [-s SECRET | --secret-file PATH]\n\
         \x20                  [-d SECONDS | --expires-at UNIX]\n\
         \x20      guestissuer <command> [<args>]\n\nCommands:\n"
    );
    for b in BUILTINS {
        text.push_str(&format!("  {:<width$}  {}\n", b.name, b.summary));
    }
    if !plugins.is_empty() {
        text.push_str("\nExternal commands (guestissuer-<name> on PATH):\n");
        for p in plugins {
            let shadowed =
                if Builtin::find(&p.name).is_some() || RESERVED.contains(&p.name.as_str()) {
                    " (shadowed by the built-in)"
                } else {
                    ""
                };
            text.push_str(&format!(
                "  {:<width$}  {}{shadowed}\n",
                p.name,
                p.path.display()
            ));
        }
    }
    text.push_str(
        "\nGlobal options:\n\
         \x20 --json         one JSON document on stdout; errors as JSON on stderr\n\
         \x20 -v, --verbose  debug lines on stderr (also DEBUG=guest* or DEBUG=guest:create)\n\
         \x20 -h, --help     this help; 'guestissuer help <command>' for a command's help\n\
         \x20 -V, --version  the version (--version adds the commit, target and TLS stack)\n\n\
         Examples:\n\
         \x20 guestissuer create 123456789 \"John Doe\" -i issuer_id -s c2VjcmV0LWtleQ==\n\
         \x20 T=$(ISSUER=issuer_id SECRET=c2VjcmV0LWtleQ== guestissuer 123 Ann)\n\
         \x20 guestissuer verify \"$T\"\n\n\
         Exit codes: 0 ok, 1 the operation failed, 2 usage or input error.\n",
    );
    help::tidy(&text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions_only_for_likely_typos() {
        assert_eq!(suggestion("cretae"), Some("create"));
        assert_eq!(suggestion("verfiy"), Some("verify"));
        assert_eq!(suggestion("creat"), Some("create"));
        assert_eq!(suggestion("123"), None);
        assert_eq!(suggestion("john"), None);
        assert_eq!(suggestion("c"), None);
        assert_eq!(suggestion("VERIFY"), Some("verify"));
        assert_eq!(suggestion("Creat"), Some("create"));
    }

    #[test]
    fn positional_words() {
        assert_eq!(positionals(&["123", "Stève", "-i", "x", "-s", "y"]), 2);
        assert_eq!(positionals(&["-i", "x", "123"]), 1);
        assert_eq!(positionals(&["frobnicate"]), 1);
    }

    /// Found by `fuzz/` (target `args`): an unknown command holding a line break made a
    /// two-line error. What the user or a token typed is escaped in errors and debug lines.
    #[test]
    fn errors_and_debug_lines_stay_one_line() {
        use crate::testing::{run, ISSUER, SECRET};
        let r = run(&["login\u{5}bc\ndef"], &[], "", None);
        assert_eq!((r.code, r.out.as_str()), (2, ""));
        assert_eq!(
            r.err,
            "error: unknown command 'login\\u{5}bc\\ndef': no built-in and no guestissuer-login\\u{5}bc\\ndef on PATH; see 'guestissuer --help'\n"
        );
        let env = [("ISSUER", ISSUER), ("SECRET", SECRET)];
        let r = run(&["-v", "create", "--batch", "a\nb.csv"], &env, "", None);
        assert_eq!(r.code, 2);
        let lines: Vec<&str> = r.err.lines().collect();
        assert!(lines.len() >= 2, "{}", r.err);
        assert!(lines[..lines.len() - 1]
            .iter()
            .all(|l| l.starts_with("  guest:")));
        assert!(lines[lines.len() - 1].starts_with("error: cannot read the batch file a\\nb.csv"));
        // A token's `alg` is the token's text.
        let header = "eyJhbGciOiJhXG5iIn0"; // {"alg":"a\nb"}
        let r = run(
            &["verify", &format!("{header}.e30.c2ln"), "-s", "c2VjcmV0"],
            &[],
            "",
            None,
        );
        assert_eq!((r.code, r.out.as_str()), (1, ""));
        assert_eq!(r.err.lines().count(), 1, "{}", r.err);
        assert!(
            r.err
                .starts_with("error: the token is signed with a\\nb, not HS256"),
            "{}",
            r.err
        );
    }

    #[test]
    fn globals_stop_at_double_dash() {
        let args: Vec<String> = ["-v", "create", "--json", "--", "--json"]
            .map(String::from)
            .into();
        assert_eq!(
            split_globals(&args),
            (vec!["create", "--", "--json"], true, true)
        );
    }
}

#[cfg(test)]
mod leak_tests {
    use crate::testing::{fixture, run, ISSUER, SECRET, SECRET_DECODED};

    /// Every command, with every debug line on: neither the secret (base64 or decoded) nor any
    /// whole token may reach stderr.
    #[test]
    fn full_debug_logging_never_shows_a_secret_or_a_whole_token() {
        let guest = fixture("jwt-login-200.json").call.tokens()[0].0.to_string();
        let access = include_str!("../tests/data/access-token.jwt")
            .trim()
            .to_string();
        let env = [("DEBUG", "guest*"), ("ISSUER", ISSUER), ("SECRET", SECRET)];
        let runs = [
            run(&["-v", "create", "123", "Stève"], &env, "", None),
            run(
                &["-v", "create", "123", "Stève", "-s", SECRET, "--json"],
                &env,
                "",
                None,
            ),
            run(&["-v", "verify", &guest, "-s", SECRET], &env, "", None),
            run(&["-v", "verify", &guest, "-s", "b3RoZXI="], &env, "", None),
            run(
                &["-v", "login", &guest],
                &env,
                "",
                Some("jwt-login-200.json"),
            ),
            run(
                &["-v", "login", &guest],
                &env,
                "",
                Some("jwt-login-429-then-200.json"),
            ),
            run(
                &["-v", "login", &guest],
                &env,
                "",
                Some("jwt-login-401-webex-error.json"),
            ),
            run(
                &["-v", "quick", "123", "Stève"],
                &env,
                "",
                Some("jwt-login-200.json"),
            ),
            run(
                &["-v", "verify", "--access", &access],
                &env,
                "",
                Some("people-me-200-guest.json"),
            ),
            run(
                &["-v", "create", "123", "Stève", "-s", "not base64!"],
                &env,
                "",
                None,
            ),
        ];
        // The Service App commands: the integration's token, the client secret, both access
        // tokens and both refresh tokens of the fixtures must stay off stderr.
        let token_fixture = fixture("service-app-token-200.json");
        let refresh_fixture = fixture("access-token-200-rotating.json");
        let mut needles: Vec<String> = [&token_fixture, &refresh_fixture]
            .iter()
            .flat_map(|f| f.call.tokens().into_iter().map(|(t, _)| t.to_string()))
            .collect();
        for f in [&token_fixture, &refresh_fixture] {
            for key in ["access_token", "refresh_token"] {
                needles.push(f.last_answer()[key].as_str().unwrap().to_string());
            }
        }
        let dir = std::env::temp_dir().join(format!("guestissuer-leak-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("service-app.json");
        let credentials = format!(
            r#"{{"kind": "guestissuer-service-app-credentials", "version": 1, "applicationId": "app",
            "clientId": "Cfake00000000000000000000000000000000000000000000000000000000000001",
            "clientSecret": "fakeservicesecret000000000000000000000000000000000000000000000001",
            "orgId": "org", "api": "https://webexapis.com/v1", "accessToken": "old-access-token-0000",
            "accessTokenExpiresAt": 1, "refreshToken": "{}", "refreshTokenExpiresAt": 4000000000}}"#,
            refresh_fixture.call.token()
        );
        std::fs::write(&file, credentials).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600)).unwrap();
        }
        let app_env = [
            ("DEBUG", "guest*"),
            (
                "WEBEX_CLIENT_SECRET",
                "fakeservicesecret000000000000000000000000000000000000000000000001",
            ),
            ("WEBEX_TOKEN", token_fixture.call.token()),
        ];
        let app_args = [
            "-v",
            "service-app",
            "token",
            "Y2lzY29zcGFyazovL3VzL0FQUExJQ0FUSU9OL2Zha2Utc2VydmljZS1hcHAtMDAwMQ",
            "--client-id",
            "Cfake00000000000000000000000000000000000000000000000000000000000001",
            "--org-id",
            ISSUER,
        ];
        let file_arg = file.to_str().unwrap();
        let app_runs = [
            run(&app_args, &app_env, "", Some("service-app-token-200.json")),
            run(
                &["-v", "service-app", "refresh", file_arg],
                &app_env,
                "",
                Some("access-token-200-rotating.json"),
            ),
            run(&["-v", "service-app", "show", file_arg], &app_env, "", None),
        ];
        std::fs::remove_dir_all(&dir).unwrap();
        for r in &app_runs {
            assert_eq!(r.code, 0, "{}", r.err);
            assert!(r.err.contains("  guest:"), "debug lines are on:\n{}", r.err);
            for needle in &needles {
                assert!(
                    !r.err.contains(needle.as_str()),
                    "stderr shows {needle:.12}…:\n{}",
                    r.err
                );
            }
        }
        let decoded = SECRET_DECODED;
        for r in &runs {
            assert!(r.err.contains("  guest:"), "debug lines are on:\n{}", r.err);
            for needle in [SECRET, decoded, guest.as_str(), access.as_str()] {
                assert!(
                    !r.err.contains(needle),
                    "stderr shows {needle:.12}…:\n{}",
                    r.err
                );
            }
            if !r.out.is_empty() && !r.out.starts_with('{') {
                assert!(
                    !r.err.contains(r.out.trim()),
                    "the token printed on stdout is on stderr too"
                );
            }
        }
    }
}
