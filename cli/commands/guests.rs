//! `guestissuer guests create|count`: Webex Service App guest management, the successor of Guest
//! Issuer applications.

use argh::{ArgsInfo, FromArgs};
use guestissuer_core::time::{expiry, human_duration, rfc3339};
use guestissuer_core::webex::{GuestsCount, GuestsCreate};
use serde_json::{json, Value};

use super::Command;
use crate::input::{self, non_empty};
use crate::net::{Net, NetArgs};
use crate::{Context, Failure};

#[derive(FromArgs, ArgsInfo)]
/// Manage Service App guests (Webex's successor to Guest Issuer applications): create a guest and
/// get its access token, or count the guests. Authorised by a Service App access token.
#[argh(
    example = "guestissuer guests create kiosk-7 \"Kiosk 7\" --token-file ./service-app.token",
    example = "WEBEX_TOKEN=... guestissuer guests count",
    note = "The Service App token comes from --token (- reads stdin), --token-file or $WEBEX_TOKEN. Scopes: guests create needs guest-issuer:write, guests count guest-issuer:read.",
    note = "Network options: --api-url, --ca-file, --timeout (see 'guestissuer login --help'). Global options: --json, -v/--verbose.",
    error_code(1, "Webex refused, or the network failed (the message says which)"),
    error_code(2, "usage or input error")
)]
pub struct Guests {
    #[argh(subcommand)]
    action: Action,
}

#[derive(FromArgs, ArgsInfo)]
#[argh(subcommand)]
enum Action {
    Create(CreateGuest),
    Count(CountGuests),
}

#[derive(FromArgs, ArgsInfo)]
/// Create a Service App guest, or get a new token for an existing one (POST {api}/guests/token,
/// scope guest-issuer:write). The same subject is the same guest, with a new token; a new display
/// name renames the guest. stdout: the guest's access token; --json: everything Webex said.
#[argh(
    subcommand,
    name = "create",
    example = "guestissuer guests create kiosk-7 \"Kiosk 7\" --token-file ./service-app.json",
    example = "WEBEX_TOKEN=... guestissuer guests create kiosk-7 \"Kiosk 7\" --json",
    error_code(1, "Webex refused, or the network failed (the message says which)"),
    error_code(2, "usage or input error")
)]
struct CreateGuest {
    /// the guest's subject, unique within the Service App: the same subject is the same guest
    #[argh(positional)]
    subject: String,
    /// the guest's display name (a new one renames an existing guest)
    #[argh(positional)]
    display_name: String,
    /// the Service App access token, or - to read it from stdin (default: $WEBEX_TOKEN)
    #[argh(option)]
    token: Option<String>,
    /// read the Service App token from this file
    #[argh(option, arg_name = "path")]
    token_file: Option<String>,
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

#[derive(FromArgs, ArgsInfo)]
/// Count the Service App's guests (GET {api}/guests/count, scope guest-issuer:read). stdout: the
/// number.
#[argh(
    subcommand,
    name = "count",
    example = "guestissuer guests count --token-file ./service-app.json",
    error_code(1, "Webex refused, or the network failed (the message says which)"),
    error_code(2, "usage or input error")
)]
struct CountGuests {
    /// the Service App access token, or - to read it from stdin (default: $WEBEX_TOKEN)
    #[argh(option)]
    token: Option<String>,
    /// read the Service App token from this file
    #[argh(option, arg_name = "path")]
    token_file: Option<String>,
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

impl Command for Guests {
    const NAME: &'static str = "guests";
    const SUMMARY: &'static str = "Service App guests: create one and get its token, or count them";

    fn run(self, ctx: &mut Context) -> Result<(), Failure> {
        match self.action {
            Action::Create(c) => c.run(ctx),
            Action::Count(c) => c.run(ctx),
        }
    }
}

impl CreateGuest {
    fn run(self, ctx: &mut Context) -> Result<(), Failure> {
        non_empty(&self.subject, "subject", "<subject>")?;
        non_empty(&self.display_name, "display name", "<display_name>")?;
        let mut net = Net::new(ctx, NetArgs::new(self.api_url, self.ca_file, self.timeout))?;
        let token = input::webex_token(
            ctx,
            &mut net,
            self.token.as_deref(),
            self.token_file.as_deref(),
        )?;
        ctx.debug("guest:guests", || {
            format!(
                "creating guest {:?} with Service App token {}",
                self.subject,
                token.shortened()
            )
        });
        let exchange = GuestsCreate {
            token: &token,
            subject: &self.subject,
            display_name: &self.display_name,
        };
        let guest = net.run(ctx, &exchange)?;
        if ctx.json {
            let mut doc = guest.raw.clone();
            doc.insert("accessToken".into(), guest.access_token.secret().into());
            ctx.data(format_args!("{:#}", Value::Object(doc)))?;
        } else {
            ctx.data(guest.access_token.secret())?;
        }
        let id = guest
            .raw
            .get("id")
            .and_then(Value::as_str)
            .unwrap_or("(no id)");
        let validity = match guest.expires_in {
            Some(s) => format!(
                ", token valid {} until {}",
                human_duration(s),
                rfc3339(expiry(ctx.now(), s)?)
            ),
            None => String::new(),
        };
        writeln!(
            ctx.err,
            "guest {:?} ({:?}), person id {id}{validity}",
            self.display_name, self.subject
        )?;
        Ok(())
    }
}

impl CountGuests {
    fn run(self, ctx: &mut Context) -> Result<(), Failure> {
        let mut net = Net::new(ctx, NetArgs::new(self.api_url, self.ca_file, self.timeout))?;
        let token = input::webex_token(
            ctx,
            &mut net,
            self.token.as_deref(),
            self.token_file.as_deref(),
        )?;
        let count = net.run(ctx, &GuestsCount { token: &token })?;
        if ctx.json {
            ctx.data(json!({ "count": count }))?;
        } else {
            ctx.data(count)?;
        }
        writeln!(ctx.err, "{count} guests")?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::{fixture, run};

    #[test]
    fn create_sends_subject_and_display_name() {
        let f = fixture("guests-create-200.json");
        let r = run(
            &["guests", "create", "kiosk-7", "Kiosk 7"],
            &[("WEBEX_TOKEN", f.call.token())],
            "",
            Some("guests-create-200.json"),
        );
        assert_eq!(r.code, 0, "{}", r.err);
        let body: serde_json::Value = serde_json::from_slice(r.sent[0].body()).unwrap();
        assert_eq!(
            body,
            serde_json::json!({"subject": "kiosk-7", "displayName": "Kiosk 7"})
        );
        assert_eq!(r.sent[0].headers()["content-type"], "application/json");
        let answer = f.exchanges[0].response.body.as_ref().unwrap();
        assert_eq!(
            r.out,
            format!("{}\n", answer["accessToken"].as_str().unwrap())
        );
    }

    #[test]
    fn count_reads_a_bare_number() {
        let r = run(
            &["guests", "count", "--token", "t"],
            &[],
            "",
            Some("guests-count-200-text.json"),
        );
        assert_eq!((r.code, r.out.as_str()), (0, "42\n"));
    }
}
