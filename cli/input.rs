//! Reading the inputs that may be secret: tokens from stdin, secrets from files or the environment.

use std::io::Read;

use guestissuer_core::IssuerSecret;

use crate::{Context, Failure};

/// Most that is read from stdin for one token: far above any real token.
const MAX_STDIN: u64 = 1 << 20;

/// What a lone `-` argument is handed to argh as, so that it is not taken for an option.
pub const STDIN_ARG: &str = "\u{1}-";

/// A token argument: `-` reads it from stdin. Trimmed; empty is an input error.
pub fn token(ctx: &mut Context, arg: &str, what: &str) -> Result<String, Failure> {
    let from_stdin = arg == "-" || arg == STDIN_ARG;
    let text = if from_stdin {
        let mut text = String::new();
        ctx.stdin
            .take(MAX_STDIN)
            .read_to_string(&mut text)
            .map_err(|e| Failure::usage(format!("cannot read the {what} from stdin: {e}")))?;
        text
    } else {
        arg.to_string()
    };
    let text = text.trim();
    if text.is_empty() {
        let whence = if from_stdin {
            "stdin was empty"
        } else {
            "the argument is empty"
        };
        return Err(Failure::usage(format!("no {what}: {whence}")));
    }
    Ok(text.to_string())
}

/// Where a secret came from, which decides how it may be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SecretSource {
    /// `-s`
    Flag,
    /// `--secret-file`
    File,
    /// The `SECRET` environment variable.
    Env,
}

/// The issuer secret from `-s`, `--secret-file` or `SECRET`, decoded. `Ok(None)` when none is given.
pub fn secret(
    ctx: &mut Context,
    flag: Option<&str>,
    file: Option<&str>,
) -> Result<Option<(IssuerSecret, SecretSource)>, Failure> {
    let (text, source) = match (flag, file) {
        (Some(_), Some(_)) => {
            return Err(Failure::usage("use either -s or --secret-file, not both"));
        }
        (Some(text), None) => (text.to_string(), SecretSource::Flag),
        (None, Some(path)) => {
            let text = std::fs::read_to_string(path).map_err(|e| {
                Failure::usage(format!(
                    "cannot read the secret file {path}: {}",
                    io_reason(&e)
                ))
            })?;
            (text, SecretSource::File)
        }
        (None, None) => match ctx.var("SECRET") {
            Some(text) => (text, SecretSource::Env),
            None => return Ok(None),
        },
    };
    let origin = match source {
        SecretSource::Flag => "-s",
        SecretSource::File => "--secret-file",
        SecretSource::Env => "SECRET",
    };
    ctx.debug("guest:secret", || {
        format!("reading the issuer secret from {origin}")
    });
    let secret = IssuerSecret::from_base64(&text).map_err(|e| {
        Failure::usage(format!(
            "{e} (from {origin}); use the Guest Issuer secret exactly as shown by Webex"
        ))
    })?;
    Ok(Some((secret, source)))
}

/// An I/O error's reason without Rust's "(os error N)" suffix.
pub fn io_reason(e: &std::io::Error) -> String {
    let text = e.to_string();
    match text.find(" (os error") {
        Some(i) => text[..i].to_string(),
        None => text,
    }
}

/// A Webex access token for an API call: `--token` (`-` reads stdin), `--token-file`, or
/// `WEBEX_TOKEN`; trimmed, never empty.
pub fn webex_token(
    ctx: &mut Context,
    flag: Option<&str>,
    file: Option<&str>,
) -> Result<String, Failure> {
    match (flag, file) {
        (Some(_), Some(_)) => Err(Failure::usage(
            "use either --token or --token-file, not both",
        )),
        (Some(arg), None) => token(ctx, arg, "token"),
        (None, Some(path)) => {
            let text = std::fs::read_to_string(path).map_err(|e| {
                Failure::usage(format!(
                    "cannot read the token file {path}: {}",
                    io_reason(&e)
                ))
            })?;
            let text = text.trim();
            if text.is_empty() {
                return Err(Failure::usage(format!("the token file {path} is empty")));
            }
            Ok(text.to_string())
        }
        (None, None) => ctx
            .var("WEBEX_TOKEN")
            .map(|t| t.trim().to_string())
            .ok_or_else(|| {
                Failure::usage("missing Webex token: pass --token, --token-file or set WEBEX_TOKEN")
            }),
    }
}
