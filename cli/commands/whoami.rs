//! `guestissuer whoami <access_token|->`: ask Webex who is behind an access token. Also reached as
//! `verify --access`, the original tool's spelling.

use argh::{ArgsInfo, FromArgs};
use guestissuer_core::decode;
use guestissuer_core::time::{human_duration, rfc3339};
use guestissuer_core::webex::PeopleMe;
use guestissuer_core::AccessToken;
use serde_json::Value;

use super::Command;
use crate::net::{Net, NetArgs};
use crate::{input, Context, Failure};

#[derive(FromArgs, ArgsInfo)]
/// Ask Webex who is behind an access token (GET {api}/people/me): a guest's, a user's, a bot's or
/// a Service App's. stdout: the person as pretty JSON; stderr: who it is and when the token
/// expires.
#[argh(
    example = "guestissuer whoami \"$ACCESS\"",
    example = "guestissuer quick 123 \"John Doe\" | guestissuer whoami -",
    example = "guestissuer verify --access \"$ACCESS\"   (the original tool's spelling)",
    note = "Network options: --api-url (default $WEBEX_API_URL, else https://webexapis.com/v1; http:// only for loopback hosts), --ca-file PEM (default $SSL_CERT_FILE) added to the built-in roots, --timeout for the whole command including retries. HTTPS_PROXY, ALL_PROXY and NO_PROXY are honoured.",
    note = "Global options: --json (one JSON document on stdout, JSON errors on stderr), -v/--verbose (debug lines on stderr; also DEBUG=guest*).",
    error_code(
        1,
        "Webex refused (an expired or revoked token), or the network failed"
    ),
    error_code(2, "usage or input error")
)]
pub struct Whoami {
    /// the access token, or - to read it from stdin
    #[argh(positional)]
    access_token: String,
    /// the Webex API base URL (default: $WEBEX_API_URL, else https://webexapis.com/v1)
    #[argh(option, arg_name = "url")]
    api_url: Option<String>,
    /// extra trusted root certificates, PEM (default: $SSL_CERT_FILE)
    #[argh(option, arg_name = "pem")]
    ca_file: Option<String>,
    /// overall timeout in seconds, retries included (default 30)
    #[argh(option, arg_name = "seconds")]
    timeout: Option<String>,
}

impl Command for Whoami {
    const NAME: &'static str = "whoami";
    const SUMMARY: &'static str = "ask Webex who is behind an access token";

    fn run(self, ctx: &mut Context) -> Result<(), Failure> {
        let mut net = Net::new(ctx, NetArgs::new(self.api_url, self.ca_file, self.timeout))?;
        let token = AccessToken::new(input::token(ctx, &self.access_token, "access token")?);
        ctx.debug("guest:whoami", || {
            format!("asking Webex about access token {}", token.shortened())
        });
        let person = net.run(
            ctx,
            &PeopleMe {
                access_token: &token,
            },
        )?;
        ctx.data(format_args!("{:#}", Value::Object(person.raw)))?;
        let now = ctx.now();
        let expiry = match decode(token.secret()).ok().and_then(|d| d.expires_at()) {
            Some(exp) if exp > now => format!(
                "; the token expires at {} (in {})",
                rfc3339(exp),
                human_duration(exp - now)
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

#[cfg(test)]
mod tests {
    use crate::testing::run;

    #[test]
    fn asks_people_me_also_as_verify_access() {
        let token = include_str!("../../tests/data/access-token.jwt").trim();
        for args in [
            vec!["whoami", token],
            vec!["verify", "--access", token],
            vec!["verify", token, "--access"],
        ] {
            let r = run(&args, &[], "", Some("people-me-200-guest.json"));
            assert_eq!(r.code, 0, "{}", r.err);
            assert_eq!(r.sent.len(), 1);
            assert_eq!(r.sent[0].uri(), "https://webexapis.com/v1/people/me");
            assert!(r.err.starts_with(
                "Stève (appuser), person id Y2lzY29zcGFyazovL3VzL1BFT1BMRS9mYWtlLWd1ZXN0LTAwMDE"
            ));
        }
    }
}
