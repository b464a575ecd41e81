//! Dispatch: global options, built-in commands, the default `create`, help and version.

use serde_json::json;

use crate::commands::{Builtin, BUILTINS};
use crate::{Context, Failure, Kind, Log};

const VERSION: &str = env!("CARGO_PKG_VERSION");

/// Runs one command line (without the program name) and returns the exit code: 0 ok, 1 the
/// operation failed, 2 usage or input error. Errors are written to `ctx.err` as one line.
pub fn run(args: &[String], ctx: &mut Context) -> u8 {
    let (args, verbose, json) = split_globals(args);
    ctx.json = ctx.json || json;
    ctx.log = Log::new(verbose, ctx.var("DEBUG").as_deref());
    match dispatch(&args, ctx) {
        Ok(()) => 0,
        Err(failure) if failure.kind == Kind::BrokenPipe => 0,
        Err(failure) => {
            report(ctx, &failure);
            failure.exit_code()
        }
    }
}

fn dispatch(args: &[&str], ctx: &mut Context) -> Result<(), Failure> {
    let Some(&first) = args.first() else {
        ctx.out.write_all(help().as_bytes())?;
        return Ok(());
    };
    match first {
        "-h" | "--help" | "help" => match args.get(1) {
            Some(name) => match Builtin::find(name) {
                Some(b) => b.run(&["--help"], ctx),
                None => Err(unknown(name)),
            },
            None => Ok(ctx.out.write_all(help().as_bytes())?),
        },
        "-V" | "--version" | "version" => Ok(writeln!(ctx.out, "guestissuer {VERSION}")?),
        name => match Builtin::find(name) {
            Some(b) => b.run(&args[1..], ctx),
            // Options first (`guestissuer -i X 123 Name`) or a user id: the default `create`.
            None if name.starts_with('-') || suggestion(name).is_none() => create().run(args, ctx),
            None => Err(unknown(name)),
        },
    }
}

fn create() -> &'static Builtin {
    Builtin::find("create").expect("create is registered")
}

fn unknown(name: &str) -> Failure {
    match suggestion(name) {
        Some(s) => Failure::usage(format!(
            "unknown command '{name}'; did you mean '{s}'? (to create a token for user id '{name}', write 'guestissuer create {name} ...')"
        )),
        None => Failure::usage(format!("unknown command '{name}'; see 'guestissuer --help'")),
    }
}

/// The built-in closest to `name` when it looks like a typo of one (edit distance at most 2,
/// and less than half the name).
fn suggestion(name: &str) -> Option<&'static str> {
    BUILTINS
        .iter()
        .map(|b| (distance(name, b.name), b.name))
        .filter(|(d, n)| *d <= 2 && *d * 2 < n.len().max(name.len()))
        .min()
        .map(|(_, n)| n)
}

/// Levenshtein distance over characters.
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != *cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
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
        json!({ "error": {
            "message": failure.message,
            "status": failure.status,
            "trackingId": failure.tracking_id,
        }})
        .to_string()
    } else {
        format!("error: {}", failure.message)
    };
    let _ = writeln!(ctx.err, "{line}");
}

fn help() -> String {
    let mut text = format!(
        "guestissuer {VERSION}: create, verify and use Webex guest tokens\n\n\
         Usage: guestissuer [create] <user_id> <user_name> [-i ISSUER] [-s SECRET | --secret-file PATH] [-d SECONDS | --expires-at UNIX]\n\
         \x20      guestissuer <command> [<args>]\n\nCommands:\n"
    );
    for b in BUILTINS {
        text.push_str(&format!("  {:<10} {}\n", b.name, b.summary));
    }
    text.push_str(
        "\nGlobal options:\n\
         \x20 --json        one JSON document on stdout; errors as JSON on stderr\n\
         \x20 -v, --verbose debug lines on stderr (also DEBUG=guest* or DEBUG=guest:create)\n\
         \x20 -h, --help    this help; 'guestissuer help <command>' for a command's\n\
         \x20 -V, --version print the version\n\n\
         Examples:\n\
         \x20 guestissuer create 123456789 \"John Doe\" -i \"issuer_id\" -s \"issuer_secret\"\n\
         \x20 T=$(ISSUER=issuer_id SECRET=issuer_secret guestissuer 123 \"Stève\" -d 3600)\n\
         \x20 guestissuer verify \"$T\"\n\n\
         Exit codes: 0 ok, 1 the operation failed, 2 usage or input error.\n",
    );
    text
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
