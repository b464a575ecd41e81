//! `guestissuer verify [--jwt] <token|->`: decode any JWT, optionally check an HS256 signature.

use argh::FromArgs;
use guestissuer_core::time::{human_duration, rfc3339};
use guestissuer_core::webex::PeopleMe;
use guestissuer_core::{decode, DecodedToken, Error, Verifier};
use serde_json::{json, Value};

use super::Command;
use crate::input::{self, SecretSource};
use crate::log::shorten;
use crate::net::{with_net_options, Net};
use crate::{Context, Failure};

with_net_options! {
    #[derive(FromArgs, argh::ArgsInfo)]
    /// Reveal what is inside a token: decode any JWT (guest token or Webex access token) into its
    /// header and payload, check a guest token's HS256 signature with the issuer secret.
    #[argh(
        example = "guestissuer verify eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOi...",
        example = "guestissuer create 123 \"John Doe\" | guestissuer verify -",
        example = "guestissuer verify --jwt \"$T\" --secret-file ./issuer.secret",
        example = "guestissuer verify --access \"$ACCESS\"",
        note = "stdout: the pretty JSON {{\"header\": ..., \"payload\": ...}}; stderr: when the token expires (exp in seconds, or a Webex access token's expiry_time in milliseconds).",
        note = "With -s or --secret-file the signature and expiry are checked, and an invalid or expired token exits 1. SECRET counts too, but only for HS256 tokens, so RS256 access tokens still decode when it is exported.",
        note = "--access asks Webex (GET {{api}}/people/me) and prints the person as pretty JSON; it takes the network options --api-url, --ca-file and --timeout (see 'guestissuer login --help').",
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
        /// ask Webex who is behind an access token (GET /people/me)
        #[argh(switch)]
        access: bool,
        /// the Guest Issuer secret, base64, to check an HS256 signature (default: $SECRET)
        #[argh(option, short = 's')]
        secret: Option<String>,
        /// read the secret from this file instead (trimmed)
        #[argh(option, arg_name = "path")]
        secret_file: Option<String>,
    }
}

impl Command for Verify {
    const NAME: &'static str = "verify";
    const SUMMARY: &'static str =
        "decode a JWT and check its signature, or ask Webex who is behind an access token";

    fn run(self, ctx: &mut Context) -> Result<(), Failure> {
        if self.jwt && self.access {
            return Err(Failure::usage("use either --jwt or --access, not both"));
        }
        if self.access {
            return self.access(ctx);
        }
        if self.api_url.is_some() || self.ca_file.is_some() || self.timeout.is_some() {
            return Err(Failure::usage(
                "--api-url, --ca-file and --timeout go with --access",
            ));
        }
        let token = input::token(ctx, &self.token, "token")?;
        let secret = input::secret(ctx, self.secret.as_deref(), self.secret_file.as_deref())?;
        let decoded = decode(&token).map_err(|e| Failure::usage(e.to_string()))?;
        ctx.debug("guest:verify", || {
            format!("decoded {} with alg {:?}", shorten(&token), decoded.alg())
        });
        // SECRET from the environment applies to HS256 tokens only; a flag always applies.
        let check = match secret {
            Some((_, SecretSource::Env)) if decoded.alg() != Some("HS256") => None,
            other => other.map(|(s, _)| s),
        };
        let verified = match check {
            Some(secret) => {
                Verifier::new(&secret)
                    .verify(&token, ctx.now)
                    .map_err(|e| match e {
                        Error::AlgorithmNotHs256 { .. }
                        | Error::SignatureInvalid
                        | Error::ExpiryMissing
                        | Error::Expired { .. } => Failure::failed(e.to_string()),
                        other => Failure::usage(other.to_string()),
                    })?;
                true
            }
            None => false,
        };
        print(ctx, &decoded, verified)
    }
}

impl Verify {
    /// `--access`: ask Webex who is behind the access token.
    fn access(self, ctx: &mut Context) -> Result<(), Failure> {
        if self.secret.is_some() || self.secret_file.is_some() {
            return Err(Failure::usage(
                "a Guest Issuer secret cannot verify an access token: drop -s/--secret-file, or use --jwt",
            ));
        }
        let args = self.net_args();
        let mut net = Net::new(ctx, args)?;
        let token = input::token(ctx, &self.token, "access token")?;
        ctx.debug("guest:verify", || {
            format!("asking Webex about access token {}", shorten(&token))
        });
        let person = net.run(
            ctx,
            &PeopleMe {
                access_token: &token,
            },
        )?;
        writeln!(ctx.out, "{:#}", Value::Object(person.raw))?;
        let expiry = match decode(&token).ok().and_then(|d| d.expires_at()) {
            Some(exp) if exp > ctx.now => format!(
                "; the token expires at {} (in {})",
                rfc3339(exp),
                human_duration(exp - ctx.now)
            ),
            _ => String::new(),
        };
        writeln!(
            ctx.err,
            "{} ({}), person id {}{expiry}",
            person
                .display_name
                .as_deref()
                .unwrap_or("(no display name)"),
            person.person_type.as_deref().unwrap_or("unknown type"),
            person.id
        )?;
        Ok(())
    }
}

fn print(ctx: &mut Context, decoded: &DecodedToken, verified: bool) -> Result<(), Failure> {
    let exp = decoded.expires_at();
    if ctx.json {
        let doc = json!({
            "header": decoded.header,
            "payload": decoded.payload,
            "expiresAt": exp.map(rfc3339),
            "expired": exp.map(|exp| exp <= ctx.now),
            "signature": if verified { "valid" } else { "not checked" },
        });
        writeln!(ctx.out, "{doc:#}")?;
    } else {
        let doc = json!({ "header": decoded.header, "payload": decoded.payload });
        writeln!(ctx.out, "{doc:#}")?;
    }
    let expiry = match exp {
        Some(exp) if exp > ctx.now => {
            format!(
                "expires at {} (in {})",
                rfc3339(exp),
                human_duration(exp - ctx.now)
            )
        }
        Some(exp) => format!(
            "expired at {} ({} ago)",
            rfc3339(exp),
            human_duration(ctx.now - exp)
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

    #[test]
    fn access_asks_people_me() {
        let token = include_str!("../../tests/data/access-token.jwt").trim();
        let r = run(
            &["verify", "--access", token],
            &[],
            "",
            Some("people-me-200-guest.json"),
        );
        assert_eq!(r.code, 0, "{}", r.err);
        assert_eq!(r.sent.len(), 1);
        assert_eq!(r.sent[0].uri(), "https://webexapis.com/v1/people/me");
        assert!(r.err.starts_with(
            "Stève (appuser), person id Y2lzY29zcGFyazovL3VzL1BFT1BMRS9mYWtlLWd1ZXN0LTAwMDE"
        ));
    }
}
