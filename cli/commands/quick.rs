//! `guestissuer quick <user_id> <user_name>`: sign a short-lived guest token and log in at once.

use argh::{ArgsInfo, FromArgs};
use guestissuer_core::time::expiry;
use guestissuer_core::webex::JwtLogin;
use guestissuer_core::{GuestClaims, GuestToken, Signer};

use super::{login, Command};
use crate::input::{issuer, non_empty, secret};
use crate::net::{Net, NetArgs};
use crate::{Context, Failure};

/// Lifetime of the guest token `quick` signs: it is used at once and never shown.
const QUICK_DELAY: u64 = 60;

#[derive(FromArgs, ArgsInfo)]
/// Get a Webex access token for a guest in one step: sign a 60-second guest token (never printed,
/// never stored) and exchange it at once (POST {api}/jwt/login). The access token alone goes to
/// stdout.
#[argh(
    example = "guestissuer quick 123456789 \"John Doe\" -i Y2lzY29...ZDY -s AMx/FPI...zD6o=",
    example = "ACCESS=$(ISSUER=Y2lzY29...ZDY SECRET=AMx/FPI...zD6o= guestissuer quick 123 \"Stève\")",
    note = "Issuer and secret as for create: -i or $ISSUER; -s, --secret-file or $SECRET.",
    note = "Network options: --api-url (default $WEBEX_API_URL, else https://webexapis.com/v1; http:// only for loopback hosts), --ca-file PEM (default $SSL_CERT_FILE) added to the built-in roots, --timeout for the whole command including retries. HTTPS_PROXY, ALL_PROXY and NO_PROXY are honoured.",
    note = "Global options: --json (one JSON document on stdout, JSON errors on stderr), -v/--verbose (debug lines on stderr; also DEBUG=guest*).",
    error_code(1, "Webex refused, or the network failed (the message says which)"),
    error_code(2, "usage or input error")
)]
pub struct Quick {
    /// the guest's user id, unique within the issuer
    #[argh(positional)]
    user_id: String,
    /// the guest's display name
    #[argh(positional)]
    user_name: String,
    /// the Guest Issuer application id (default: $ISSUER)
    #[argh(option, short = 'i')]
    issuer: Option<String>,
    /// the Guest Issuer secret, base64 (default: $SECRET)
    #[argh(option, short = 's')]
    secret: Option<String>,
    /// read the secret from this file instead (trimmed), or - for stdin
    #[argh(option, arg_name = "path")]
    secret_file: Option<String>,
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

impl Command for Quick {
    const NAME: &'static str = "quick";
    const SUMMARY: &'static str = "sign a 60-second guest token and log in with it at once";

    fn run(self, ctx: &mut Context) -> Result<(), Failure> {
        non_empty(&self.user_id, "user id", "<user_id>")?;
        non_empty(&self.user_name, "user name", "<user_name>")?;
        let issuer = issuer(ctx, self.issuer.as_deref())?;
        let secret = secret(ctx, self.secret.as_deref(), self.secret_file.as_deref())?;
        let mut net = Net::new(ctx, NetArgs::new(self.api_url, self.ca_file, self.timeout))?;
        let claims = GuestClaims {
            sub: &self.user_id,
            name: &self.user_name,
            iss: &issuer,
            exp: expiry(ctx.now(), QUICK_DELAY)?,
        };
        let guest_token = GuestToken::new(Signer::new(&secret).sign(&claims));
        ctx.debug("guest:quick", || {
            format!(
                "signed a {QUICK_DELAY}-second guest token for sub {:?}",
                self.user_id
            )
        });
        let answer = net.run(
            ctx,
            &JwtLogin {
                guest_token: &guest_token,
            },
        )?;
        login::print(ctx, &answer)
    }
}

#[cfg(test)]
mod tests {
    use guestissuer_core::{GuestClaims, IssuerSecret, Signer};

    use crate::testing::{run, ISSUER, NOW, SECRET};

    #[test]
    fn sends_a_60_second_guest_token_and_prints_only_the_access_token() {
        let r = run(
            &["quick", "123", "Stève", "-i", ISSUER, "-s", SECRET],
            &[],
            "",
            Some("jwt-login-200.json"),
        );
        assert_eq!(r.code, 0, "{}", r.err);
        let secret = IssuerSecret::from_base64(SECRET).unwrap();
        let guest = Signer::new(&secret).sign(&GuestClaims {
            sub: "123",
            name: "Stève",
            iss: ISSUER,
            exp: NOW + 60,
        });
        assert_eq!(
            r.sent[0].headers()["authorization"],
            format!("Bearer {guest}").as_str()
        );
        assert!(!r.out.contains(&guest) && !r.err.contains(&guest));
        assert_eq!(r.out.lines().count(), 1);
    }
}
