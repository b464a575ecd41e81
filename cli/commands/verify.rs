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
/// header and payload, check a guest token's HS256 signature with the issuer secret.
#[argh(
    example = "guestissuer verify eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOi...",
    example = "guestissuer create 123 \"John Doe\" | guestissuer verify -",
    example = "guestissuer verify --jwt \"$T\" --secret-file ./issuer.secret",
    note = "stdout: the pretty JSON {{\"header\": ..., \"payload\": ...}}; stderr: when the token expires (exp in seconds, or a Webex access token's expiry_time in milliseconds).",
    note = "With -s or --secret-file the signature and expiry are checked, and an invalid or expired token exits 1. SECRET counts too, but only for HS256 tokens, so RS256 access tokens still decode when it is exported.",
    note = "verify --access TOKEN is the original tool's spelling of 'guestissuer whoami TOKEN', and works as an alias of it.",
    note = "Global options: --json (one JSON document on stdout, JSON errors on stderr), -v/--verbose (debug lines on stderr; also DEBUG=guest*).",
    error_code(
        1,
        "invalid signature, expired token, or not an HS256 token when a secret is given"
    ),
    error_code(2, "usage or input error (not a JWT, bad secret)")
)]
pub struct Verify {
    /// the token, or - to read it from stdin
    #[argh(positional)]
    token: String,
    /// decode the token as a JWT locally (the default)
    #[argh(switch)]
    jwt: bool,
    /// the Guest Issuer secret, base64, to check an HS256 signature (default: $SECRET)
    #[argh(option, short = 's')]
    secret: Option<String>,
    /// read the secret from this file instead (trimmed)
    #[argh(option, arg_name = "path")]
    secret_file: Option<String>,
}

impl Command for Verify {
    const NAME: &'static str = "verify";
    const SUMMARY: &'static str = "decode a JWT and check a guest token's signature (offline)";

    fn run(self, ctx: &mut Context) -> Result<(), Failure> {
        let _ = self.jwt; // the default, accepted as the original tool's spelling
        let token = input::token(ctx, &self.token, "token")?;
        let secret =
            input::optional_secret(ctx, self.secret.as_deref(), self.secret_file.as_deref())?;
        let decoded = decode(&token)?;
        ctx.debug("guest:verify", || {
            format!(
                "decoded {} with alg {}",
                guestissuer_core::credential::shorten(&token),
                decoded.alg().unwrap_or("(none)")
            )
        });
        // SECRET from the environment applies to HS256 tokens only; a flag always applies.
        let check = match secret {
            Some((_, SecretSource::Env)) if decoded.alg() != Some("HS256") => None,
            other => other.map(|(s, _)| s),
        };
        let verified = match check {
            Some(secret) => {
                Verifier::new(&secret).verify(&token, ctx.now())?;
                true
            }
            None => false,
        };
        print(ctx, &decoded, verified)
    }
}

fn print(ctx: &mut Context, decoded: &DecodedToken, verified: bool) -> Result<(), Failure> {
    let exp = decoded.expires_at();
    let now = ctx.now();
    if ctx.json {
        let doc = json!({
            "header": decoded.header,
            "payload": decoded.payload,
            "expiresAt": exp.map(rfc3339),
            "expired": exp.map(|exp| exp <= now),
            "signature": if verified { "valid" } else { "not checked" },
        });
        writeln!(ctx.out, "{doc:#}")?;
    } else {
        let doc = json!({ "header": decoded.header, "payload": decoded.payload });
        writeln!(ctx.out, "{doc:#}")?;
    }
    let expiry = match exp {
        Some(exp) if exp > now => {
            format!(
                "expires at {} (in {})",
                rfc3339(exp),
                human_duration(exp - now)
            )
        }
        Some(exp) => format!(
            "expired at {} ({} ago)",
            rfc3339(exp),
            human_duration(now - exp)
        ),
        None => "no expiry: the payload has neither exp nor expiry_time".to_string(),
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
