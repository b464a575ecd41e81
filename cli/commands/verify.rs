//! `guestissuer verify [--jwt] <token|->`: decode any JWT, optionally check an HS256 signature.

use argh::{ArgsInfo, FromArgs};
use guestissuer_core::time::{human_duration, rfc3339};
use guestissuer_core::{decode, DecodedToken, Verifier};
use serde_json::json;

use super::Command;
use crate::input::{self, SecretSource};
use crate::{Context, Failure};

#[derive(FromArgs, ArgsInfo)]
/// Reveal what is inside a token: decode any JWT (guest token or Webex access token) into its
/// header and payload; with an issuer secret, check a guest token's HS256 signature and its
/// times.
#[argh(
    example = "guestissuer verify eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOi...",
    example = "guestissuer create 123 \"John Doe\" | guestissuer verify - --secret-file ./issuer.secret",
    example = "SECRET=... guestissuer verify --decode-only \"$ACCESS\"",
    note = "stdout: the pretty JSON {{\"header\": ..., \"payload\": ...}}; stderr: when the token expires (exp in seconds, or a Webex access token's expiry_time in milliseconds).",
    note = "A secret from any source (-s, --secret-file, or SECRET in the environment) means the token is checked: HS256 only, no crit header, a valid signature, exp in the future, nbf (if any) in the past, within --leeway. The token's own header never decides whether it is checked. --decode-only decodes without checking, even with SECRET set.",
    note = "verify --access TOKEN is the original tool's spelling of 'guestissuer whoami TOKEN', and works as an alias of it.",
    note = "Global options: --json (one JSON document on stdout, JSON errors on stderr; a failed check's error object holds the decoded token), -v/--verbose (debug lines on stderr; also DEBUG=guest*).",
    error_code(
        1,
        "the check failed: not HS256, invalid signature, expired, not yet valid"
    ),
    error_code(2, "usage or input error (not a JWT, bad secret)")
)]
pub struct Verify {
    /// the token, or - to read it from stdin
    #[argh(positional)]
    token: String,
    /// decode the token as a JWT locally (the default; the original tool's spelling)
    #[argh(switch)]
    #[allow(dead_code)]
    // accepted so that the original tool's command lines work; nothing to do
    jwt: bool,
    /// the Guest Issuer secret, base64, to check an HS256 signature (default: $SECRET)
    #[argh(option, short = 's')]
    secret: Option<String>,
    /// read the secret from this file instead (trimmed), or - for stdin
    #[argh(option, arg_name = "path")]
    secret_file: Option<String>,
    /// decode only: never check the signature, even with SECRET set
    #[argh(switch)]
    decode_only: bool,
    /// accept exp and nbf this many seconds off, for clock skew (default 0)
    #[argh(option, arg_name = "seconds")]
    leeway: Option<String>,
}

/// The largest `--leeway`: one day; more is not skew.
const MAX_LEEWAY: u64 = 86_400;

impl Command for Verify {
    const NAME: &'static str = "verify";
    const SUMMARY: &'static str = "decode a JWT and check a guest token's signature (offline)";

    fn run(self, ctx: &mut Context) -> Result<(), Failure> {
        if self.decode_only && (self.secret.is_some() || self.secret_file.is_some()) {
            return Err(Failure::usage(
                "use either --decode-only or -s/--secret-file, not both",
            ));
        }
        if self.decode_only && self.leeway.is_some() {
            return Err(Failure::usage(
                "--leeway goes with a check: drop --decode-only, or drop --leeway",
            ));
        }
        let leeway = match &self.leeway {
            None => 0,
            Some(text) => text
                .trim()
                .parse::<u64>()
                .ok()
                .filter(|s| *s <= MAX_LEEWAY)
                .ok_or_else(|| {
                    Failure::usage(format!(
                        "--leeway {text:?}: expected a whole number of seconds from 0 to {MAX_LEEWAY}"
                    ))
                })?,
        };
        if input::is_stdin(&self.token) && self.secret_file.as_deref().is_some_and(input::is_stdin)
        {
            return Err(Failure::usage(
                "only one of the token and --secret-file can read stdin: give one of them as an argument or a file",
            ));
        }
        let token = input::token(ctx, &self.token, "token")?;
        let secret = match self.decode_only {
            true => None,
            false => {
                input::optional_secret(ctx, self.secret.as_deref(), self.secret_file.as_deref())?
            }
        };
        let decoded = decode(&token)?;
        ctx.debug("guest:verify", || {
            format!(
                "decoded {} with alg {}",
                guestissuer_core::credential::shorten(&token),
                decoded.alg().unwrap_or("(none)")
            )
        });
        let verified = secret.is_some();
        if let Some((secret, source)) = secret {
            ctx.debug("guest:verify", || {
                format!(
                    "checking with the secret from {} (leeway {leeway} s)",
                    source.origin()
                )
            });
            let checked = Verifier::new(&secret)
                .with_leeway(leeway)
                .verify(&token, ctx.now());
            if let Err(e) = checked {
                return Err(check_failed(ctx, &e, source, &decoded));
            }
        }
        print(ctx, &decoded, verified)
    }
}

/// A failed check: says where the secret came from (and, for SECRET, how to decode without
/// checking), and keeps what the token holds for `--json` and the debug lines.
fn check_failed(
    ctx: &mut Context,
    error: &guestissuer_core::Error,
    source: SecretSource,
    decoded: &DecodedToken,
) -> Failure {
    let holds = json!({ "header": decoded.header, "payload": decoded.payload });
    ctx.debug("guest:verify", || format!("the token holds {holds}"));
    let hint = match source {
        SecretSource::Env => "; to decode without checking, add --decode-only or unset SECRET",
        _ => "",
    };
    let mut failure = Failure::from(error.clone());
    failure.message = format!(
        "{} (secret from {}){hint}",
        failure.message,
        source.origin()
    );
    failure.token = Some(Box::new(holds));
    failure
}

fn print(ctx: &mut Context, decoded: &DecodedToken, verified: bool) -> Result<(), Failure> {
    let exp = decoded.expiry();
    let now = ctx.now();
    if ctx.json {
        let doc = json!({
            "header": decoded.header,
            "payload": decoded.payload,
            "expiresAt": exp.as_ref().ok().copied().flatten().map(rfc3339),
            "expired": exp.as_ref().ok().copied().flatten().map(|exp| exp <= now),
            "signature": if verified { "valid" } else { "not checked" },
        });
        ctx.data(format_args!("{doc:#}"))?;
    } else {
        let doc = json!({ "header": decoded.header, "payload": decoded.payload });
        ctx.data(format_args!("{doc:#}"))?;
    }
    let expiry = match exp {
        Err(e) => e.to_string(),
        Ok(Some(exp)) if exp > now => {
            format!(
                "expires at {} (in {})",
                rfc3339(exp),
                human_duration(exp - now)
            )
        }
        Ok(Some(exp)) => format!(
            "expired at {} ({} ago)",
            rfc3339(exp),
            human_duration(now - exp)
        ),
        Ok(None) => "no expiry: the payload has neither exp nor expiry_time".to_string(),
    };
    let signature = if verified { "signature valid; " } else { "" };
    writeln!(ctx.err, "{signature}{expiry}")?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::testing::{run, ISSUER, SECRET};

    #[test]
    fn checks_a_token_made_by_create() {
        let token = run(
            &["create", "1", "x", "-i", ISSUER, "-s", SECRET, "-d", "60"],
            &[],
            "",
            None,
        )
        .out;
        let r = run(&["verify", "-", "-s", SECRET], &[], &token, None);
        assert_eq!(r.code, 0);
        assert_eq!(
            r.err,
            "signature valid; expires at 2026-11-28T03:34:20Z (in 1m)\n"
        );
        let wrong = run(&["verify", token.trim(), "-s", "b3RoZXI="], &[], "", None);
        assert_eq!((wrong.code, wrong.out.as_str()), (1, ""));
    }
}
