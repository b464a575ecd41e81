//! The inputs several commands share, each read and checked in one place: tokens (argument, `-`
//! for stdin, file, environment), the issuer id and secret, the expiry, non-empty words. Every
//! read from outside has a limit, named in its error.

use std::io::Read;

use guestissuer_core::time::{expiry as checked_expiry, rfc3339};
use guestissuer_core::{AccessToken, IssuerSecret, MAX_EXP};

use crate::credentials::{self, TokenFile};
use crate::net::Net;
use crate::{Context, Failure};

/// The most read for one small input (a token, a secret, from stdin or a file): 64 KiB, far
/// above any real token or secret.
pub const MAX_SMALL_INPUT: u64 = 64 << 10;

/// What a lone `-` argument is handed to argh as, so that it is not taken for an option.
pub const STDIN_ARG: &str = "\u{1}-";

/// The original tool's default lifetime: 90 minutes.
pub const DEFAULT_DELAY: u64 = 90 * 60;

/// Whether an argument means "read stdin".
pub fn is_stdin(arg: &str) -> bool {
    arg == "-" || arg == STDIN_ARG
}

/// Reads all of `reader` as UTF-8 text, refusing more than `limit` bytes; `what` names the input
/// in errors ("the token on stdin", "the secret file ./x").
pub fn read_limited(reader: &mut dyn Read, limit: u64, what: &str) -> Result<String, Failure> {
    let mut bytes = Vec::new();
    reader
        .take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| Failure::usage(format!("cannot read {what}: {}", io_reason(&e))))?;
    if bytes.len() as u64 > limit {
        return Err(Failure::usage(format!(
            "{what} is larger than {}: refused",
            size(limit)
        )));
    }
    String::from_utf8(bytes).map_err(|_| Failure::usage(format!("{what} is not valid UTF-8")))
}

/// Reads the file at `path` as UTF-8 text, refusing more than `limit` bytes; `what` names it
/// ("the secret file").
pub fn read_file(path: &std::path::Path, limit: u64, what: &str) -> Result<String, Failure> {
    let shown = path.display();
    let mut file = std::fs::File::open(path)
        .map_err(|e| Failure::usage(format!("cannot read {what} {shown}: {}", io_reason(&e))))?;
    read_limited(&mut file, limit, &format!("{what} {shown}"))
}

/// A size for messages: `64 KiB`, `1 MiB`.
pub fn size(bytes: u64) -> String {
    match bytes {
        b if b >= 1 << 20 && b % (1 << 20) == 0 => format!("{} MiB", b >> 20),
        b if b >= 1 << 10 && b % (1 << 10) == 0 => format!("{} KiB", b >> 10),
        b => format!("{b} bytes"),
    }
}

/// A token argument: `-` reads it from stdin. Trimmed; empty is an input error.
pub fn token(ctx: &mut Context, arg: &str, what: &str) -> Result<String, Failure> {
    let from_stdin = is_stdin(arg);
    let text = if from_stdin {
        read_limited(
            &mut *ctx.stdin,
            MAX_SMALL_INPUT,
            &format!("the {what} on stdin"),
        )?
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

/// Where a secret came from, named in every error about it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SecretSource {
    /// `-s`
    Flag,
    /// `--secret-file`
    File,
    /// The `SECRET` environment variable.
    Env,
}

impl SecretSource {
    /// How the user gave it: `-s`, `--secret-file` or `SECRET`.
    pub fn origin(self) -> &'static str {
        match self {
            SecretSource::Flag => "-s",
            SecretSource::File => "--secret-file",
            SecretSource::Env => "SECRET",
        }
    }
}

/// The issuer secret from `-s`, `--secret-file` or `SECRET`, decoded. `Ok(None)` when none is given.
pub fn optional_secret(
    ctx: &mut Context,
    flag: Option<&str>,
    file: Option<&str>,
) -> Result<Option<(IssuerSecret, SecretSource)>, Failure> {
    let (text, source) = match (flag, file) {
        (Some(_), Some(_)) => {
            return Err(Failure::usage("use either -s or --secret-file, not both"));
        }
        (Some(text), None) => (text.to_string(), SecretSource::Flag),
        (None, Some(path)) if is_stdin(path) => (
            read_limited(&mut *ctx.stdin, MAX_SMALL_INPUT, "the secret on stdin")?,
            SecretSource::File,
        ),
        (None, Some(path)) => (
            read_file(&ctx.path(path), MAX_SMALL_INPUT, "the secret file")?,
            SecretSource::File,
        ),
        (None, None) => match ctx.var("SECRET")? {
            Some(text) => (text, SecretSource::Env),
            None => return Ok(None),
        },
    };
    let origin = source.origin();
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

/// `-s`, `--secret-file`, else `SECRET`; required.
pub fn secret(
    ctx: &mut Context,
    flag: Option<&str>,
    file: Option<&str>,
) -> Result<IssuerSecret, Failure> {
    match optional_secret(ctx, flag, file)? {
        Some((secret, _)) => Ok(secret),
        None => Err(Failure::usage(
            "missing Guest Issuer secret: pass -s, --secret-file or set SECRET",
        )),
    }
}

/// `-i`, else `ISSUER`; trimmed, never empty.
pub fn issuer(ctx: &Context, flag: Option<&str>) -> Result<String, Failure> {
    let issuer = match flag {
        Some(flag) => Some(flag.to_string()),
        None => ctx.var("ISSUER")?,
    };
    match issuer {
        None => Err(Failure::usage(
            "missing Guest Issuer id: pass -i or set ISSUER",
        )),
        Some(i) if i.trim().is_empty() => Err(Failure::usage(
            "the Guest Issuer id is empty: pass -i or set ISSUER",
        )),
        Some(i) => Ok(i.trim().to_string()),
    }
}

/// `value`, checked not to be blank: `what` is the argument's name in the error, e.g.
/// `user id` with the hint `<user_id>`.
pub fn non_empty<'v>(value: &'v str, what: &str, arg: &str) -> Result<&'v str, Failure> {
    if value.trim().is_empty() {
        return Err(Failure::usage(format!(
            "the {what} is empty: pass a non-empty {arg}"
        )));
    }
    Ok(value)
}

/// The `exp` claim from `-d`, `--expires-at`, `EXPIRES`, or the 90-minute default.
pub fn expiry(ctx: &Context, delay: Option<&str>, at: Option<&str>) -> Result<u64, Failure> {
    let now = ctx.now();
    let too_far = || {
        Failure::usage(format!(
            "the expiry would be after {}: choose a shorter lifetime",
            rfc3339(MAX_EXP)
        ))
    };
    let from_delay = |text: &str, origin: &str| -> Result<u64, Failure> {
        let delay = positive(text).ok_or_else(|| {
            let digits = !text.trim().is_empty() && text.trim().bytes().all(|b| b.is_ascii_digit());
            if digits && text.trim().trim_start_matches('0').len() > 19 {
                too_far()
            } else {
                Failure::usage(format!(
                    "{origin} {text:?}: expected a positive whole number of seconds"
                ))
            }
        })?;
        checked_expiry(now, delay).map_err(|_| too_far())
    };
    match (delay, at) {
        (Some(_), Some(_)) => Err(Failure::usage("use either -d or --expires-at, not both")),
        (Some(d), None) => from_delay(d, "-d"),
        (None, Some(at)) => {
            let exp = positive(at).ok_or_else(|| {
                Failure::usage(format!(
                    "--expires-at {at:?}: expected a Unix time in seconds"
                ))
            })?;
            if exp <= now {
                return Err(Failure::usage(format!(
                    "--expires-at {exp} is not in the future ({}); pass a later time or use -d",
                    rfc3339(exp)
                )));
            }
            if exp > MAX_EXP {
                return Err(too_far());
            }
            Ok(exp)
        }
        (None, None) => match ctx.var("EXPIRES")? {
            Some(d) => from_delay(&d, "EXPIRES"),
            None => checked_expiry(now, DEFAULT_DELAY).map_err(|_| too_far()),
        },
    }
}

/// A positive whole number, or `None` (also for overflow: no lifetime needs 20 digits).
fn positive(text: &str) -> Option<u64> {
    text.trim().parse::<u64>().ok().filter(|n| *n > 0)
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
/// `WEBEX_TOKEN`; trimmed, never empty. A token file may be a Service App credentials file: its
/// access token is refreshed first (over `net`) when it expires within five minutes.
pub fn webex_token(
    ctx: &mut Context,
    net: &mut Net,
    flag: Option<&str>,
    file: Option<&str>,
) -> Result<AccessToken, Failure> {
    match (flag, file) {
        (Some(_), Some(_)) => Err(Failure::usage(
            "use either --token or --token-file, not both",
        )),
        (Some(arg), None) => Ok(AccessToken::new(token(ctx, arg, "token")?)),
        (None, Some(path)) => {
            let path = ctx.path(path);
            match credentials::read_token_file(&path)? {
                TokenFile::Token(token) => Ok(token),
                TokenFile::Credentials(c) => {
                    let (fresh, _) = credentials::fresh_access_token(ctx, net, &path, *c, false)?;
                    if let Ok(api) = guestissuer_core::webex::ApiBase::parse(&fresh.api) {
                        net.default_api(api);
                    }
                    Ok(fresh.access_token)
                }
            }
        }
        (None, None) => ctx
            .var("WEBEX_TOKEN")?
            .map(AccessToken::new)
            .ok_or_else(|| {
                Failure::usage("missing Webex token: pass --token, --token-file or set WEBEX_TOKEN")
            }),
    }
}
