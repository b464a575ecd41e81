//! `guestissuer login <guest_token|->`: exchange a guest token for a Webex access token.

use argh::{ArgsInfo, FromArgs};
use guestissuer_core::time::{expiry, human_duration, rfc3339};
use guestissuer_core::webex::{JwtLogin, LoginAnswer};
use guestissuer_core::GuestToken;
use serde_json::Value;

use super::Command;
use crate::net::{Net, NetArgs};
use crate::{input, Context, Failure};

#[derive(FromArgs, ArgsInfo)]
/// Exchange a guest token for a Webex access token (POST {api}/jwt/login). The access token alone
/// goes to stdout; stderr says how long it is valid (about 6 hours).
#[argh(
    example = "guestissuer login eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOi...",
    example = "guestissuer create 123 \"John Doe\" | guestissuer login -",
    example = "ACCESS=$(guestissuer login \"$GUEST_TOKEN\" --timeout 10)",
    note = "Network options: --api-url (default $WEBEX_API_URL, else https://webexapis.com/v1; http:// only for loopback hosts), --ca-file PEM (default $SSL_CERT_FILE) added to the built-in roots, --timeout for the whole command including retries. HTTPS_PROXY, ALL_PROXY and NO_PROXY are honoured.",
    note = "Global options: --json (one JSON document on stdout, JSON errors on stderr), -v/--verbose (debug lines on stderr; also DEBUG=guest*).",
    error_code(1, "Webex refused, or the network failed (the message says which)"),
    error_code(2, "usage or input error")
)]
pub struct Login {
    /// the guest token, or - to read it from stdin
    #[argh(positional)]
    guest_token: String,
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

impl Command for Login {
    const NAME: &'static str = "login";
    const SUMMARY: &'static str = "exchange a guest token for a Webex access token";

    fn run(self, ctx: &mut Context) -> Result<(), Failure> {
        let mut net = Net::new(ctx, NetArgs::new(self.api_url, self.ca_file, self.timeout))?;
        let guest_token = GuestToken::new(input::token(ctx, &self.guest_token, "guest token")?);
        ctx.debug("guest:login", || {
            format!("logging in with guest token {}", guest_token.shortened())
        });
        let answer = net.run(
            ctx,
            &JwtLogin {
                guest_token: &guest_token,
            },
        )?;
        print(ctx, &answer)
    }
}

/// stdout: the access token (or the whole answer with `--json`); stderr: its validity.
pub fn print(ctx: &mut Context, answer: &LoginAnswer) -> Result<(), Failure> {
    ctx.debug("guest:login", || {
        format!("got access token {}", answer.token.shortened())
    });
    if ctx.json {
        let mut doc = answer.raw.clone();
        doc.insert("token".into(), answer.token.secret().into());
        ctx.data(format_args!("{:#}", Value::Object(doc)))?;
    } else {
        ctx.data(answer.token.secret())?;
    }
    let until = expiry(ctx.now(), answer.expires_in)?;
    writeln!(
        ctx.err,
        "access token valid {} (expiresIn {} s), until {}",
        human_duration(answer.expires_in),
        answer.expires_in,
        rfc3339(until)
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use crate::testing::{fixture, run};

    #[test]
    fn prints_the_access_token_and_its_validity() {
        let f = fixture("jwt-login-200.json");
        let token = f.call.token();
        let r = run(&["login", token], &[], "", Some("jwt-login-200.json"));
        let access = f.exchanges[0].response.body.as_ref().unwrap()["token"]
            .as_str()
            .unwrap();
        assert_eq!((r.code, r.out), (0, format!("{access}\n")));
        assert_eq!(
            r.err,
            "access token valid 5h59m (expiresIn 21599 s), until 2026-11-28T09:33:19Z\n"
        );
        let sent = &r.sent[0];
        assert_eq!(
            (sent.method().as_str(), sent.uri().to_string().as_str()),
            ("POST", "https://webexapis.com/v1/jwt/login")
        );
        assert_eq!(
            sent.headers()["authorization"],
            format!("Bearer {token}").as_str()
        );
        assert!(sent.body().is_empty());
    }

    #[test]
    fn waits_as_webex_asks_then_succeeds() {
        let token = fixture("jwt-login-429-then-200.json")
            .call
            .token()
            .to_string();
        let r = run(
            &["login", &token],
            &[],
            "",
            Some("jwt-login-429-then-200.json"),
        );
        assert_eq!(r.code, 0);
        assert_eq!(r.sent.len(), 2);
        assert_eq!(r.waits, [Duration::from_secs(1)]);
    }

    #[test]
    fn webex_errors_carry_status_and_tracking_id_in_json() {
        let token = fixture("jwt-login-401-webex-error.json")
            .call
            .token()
            .to_string();
        let r = run(
            &["login", &token, "--json"],
            &[],
            "",
            Some("jwt-login-401-webex-error.json"),
        );
        assert_eq!((r.code, r.out.as_str()), (1, ""));
        let doc: serde_json::Value = serde_json::from_str(&r.err).unwrap();
        assert_eq!(doc["error"]["status"], 401);
        assert_eq!(
            doc["error"]["trackingId"],
            "ROUTER_6747F1A0-2222-4A2B-9C3D-000000000002"
        );
    }
}
