//! `guestissuer service-app token|refresh|show`: a Service App's own access token, got, saved,
//! refreshed and shown without a browser.

use argh::{ArgsInfo, FromArgs};
use guestissuer_core::service_app::{Credentials, ServiceApp, ServiceAppToken, TokenAnswer};
use guestissuer_core::time::{human_duration, rfc3339};
use guestissuer_core::ClientSecret;
use serde_json::{json, Value};

use super::Command;
use crate::credentials::{self, Lock};
use crate::input::{self, non_empty, read_file, MAX_SMALL_INPUT};
use crate::net::{Net, NetArgs};
use crate::{Context, Failure};

#[derive(FromArgs, ArgsInfo)]
/// A Service App's own access token, without a browser: get it with an integration's token and
/// save it with what a refresh needs (token), refresh it (refresh), or see when it expires (show).
/// guests and add-to-space take the saved credentials file as --token-file and refresh it
/// themselves when the access token expires within five minutes.
#[argh(
    example = "guestissuer service-app token Y2lzY29...APP --client-id C1f2... --client-secret-file ./client.secret --org-id Y2lzY29...ORG --token-file ./integration.token --save ./service-app.json",
    example = "guestissuer service-app refresh ./service-app.json",
    example = "guestissuer service-app show ./service-app.json",
    example = "guestissuer guests count --token-file ./service-app.json",
    note = "The credentials file is JSON with mode 0600, replaced atomically, and locked (./service-app.json.lock) while it is refreshed; a file others can read or write is refused.",
    error_code(1, "Webex refused (an expired or revoked refresh token needs 'service-app token' again), or the network failed"),
    error_code(2, "usage or input error")
)]
pub struct ServiceAppCommand {
    #[argh(subcommand)]
    action: Action,
}

#[derive(FromArgs, ArgsInfo)]
#[argh(subcommand)]
enum Action {
    Token(GetToken),
    Refresh(Refresh),
    Show(Show),
}

#[derive(FromArgs, ArgsInfo)]
/// Get a Service App's access and refresh tokens (POST {api}/applications/{id}/token), authorised
/// by an integration's (or another Service App's) token with the spark:applications_token scope.
/// stdout: the access token; --json: Webex's answer with the absolute expiries.
#[argh(
    subcommand,
    name = "token",
    error_code(1, "Webex refused, or the network failed (the message says which)"),
    error_code(2, "usage or input error"),
    example = "guestissuer service-app token Y2lzY29...APP --client-id C1f2... --client-secret-file ./client.secret --org-id Y2lzY29...ORG --token-file ./integration.token --save ./service-app.json",
    note = "The client id and secret are the Service App's (developer portal, My Apps); the org id is the org whose Full Admin authorised it in Control Hub. The client secret comes from --client-secret, --client-secret-file or $WEBEX_CLIENT_SECRET; the integration's token from --token (- reads stdin), --token-file or $WEBEX_TOKEN.",
    note = "Network options: --api-url, --ca-file, --timeout (see 'guestissuer login --help'). Global options: --json, -v/--verbose."
)]
struct GetToken {
    /// the Service App's application id
    #[argh(positional)]
    application_id: String,
    /// the Service App's client id
    #[argh(option, arg_name = "id")]
    client_id: String,
    /// the Service App's client secret (default: $WEBEX_CLIENT_SECRET); prefer the file
    #[argh(option, arg_name = "secret")]
    client_secret: Option<String>,
    /// read the client secret from this file
    #[argh(option, arg_name = "path")]
    client_secret_file: Option<String>,
    /// the org that authorised the Service App
    #[argh(option, arg_name = "org_id")]
    org_id: String,
    /// an integration's token with spark:applications_token, or - for stdin (default: $WEBEX_TOKEN)
    #[argh(option)]
    token: Option<String>,
    /// read the integration's token from this file
    #[argh(option, arg_name = "path")]
    token_file: Option<String>,
    /// save the credentials file here (mode 0600, replaced atomically)
    #[argh(option, arg_name = "path")]
    save: Option<String>,
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
/// Refresh the access token of a credentials file now (POST {api}/access_token), keeping the
/// refresh token Webex returns (a new one or the same), and update the file. stdout: the new
/// access token.
#[argh(
    subcommand,
    name = "refresh",
    error_code(1, "Webex refused, or the network failed (the message says which)"),
    error_code(2, "usage or input error"),
    example = "guestissuer service-app refresh ./service-app.json",
    note = "A failed refresh leaves the file as it was. Network options: --ca-file, --timeout (the API is the file's). Global options: --json, -v/--verbose."
)]
struct Refresh {
    /// the credentials file saved by 'service-app token --save'
    #[argh(positional)]
    credentials_file: String,
    /// extra trusted root certificates, PEM (default: $SSL_CERT_FILE)
    #[argh(option, arg_name = "pem")]
    ca_file: Option<String>,
    /// overall timeout in seconds, retries included (default 30)
    #[argh(option, arg_name = "seconds")]
    timeout: Option<String>,
}

#[derive(FromArgs, ArgsInfo)]
/// Show what a credentials file holds and when each token expires, offline; never the secrets.
#[argh(
    subcommand,
    name = "show",
    error_code(2, "the file is missing, malformed, or readable by others"),
    example = "guestissuer service-app show ./service-app.json --json"
)]
struct Show {
    /// the credentials file
    #[argh(positional)]
    credentials_file: String,
}

impl Command for ServiceAppCommand {
    const NAME: &'static str = "service-app";
    const SUMMARY: &'static str = "get, save, refresh and show a Service App's own token";

    fn run(self, ctx: &mut Context) -> Result<(), Failure> {
        match self.action {
            Action::Token(c) => c.run(ctx),
            Action::Refresh(c) => c.run(ctx),
            Action::Show(c) => c.run(ctx),
        }
    }
}

impl GetToken {
    fn run(self, ctx: &mut Context) -> Result<(), Failure> {
        let application_id = non_empty(&self.application_id, "application id", "<application_id>")?;
        let client_id = non_empty(&self.client_id, "client id", "--client-id")?;
        let org_id = non_empty(&self.org_id, "org id", "--org-id")?;
        let client_secret = client_secret(
            ctx,
            self.client_secret.as_deref(),
            self.client_secret_file.as_deref(),
        )?;
        let mut net = Net::new(ctx, NetArgs::new(self.api_url, self.ca_file, self.timeout))?;
        let token = input::webex_token(
            ctx,
            &mut net,
            self.token.as_deref(),
            self.token_file.as_deref(),
        )?;
        ctx.debug("guest:service-app", || {
            format!(
                "getting the token of application {application_id} with token {}",
                token.shortened()
            )
        });
        let exchange = ServiceAppToken {
            token: &token,
            application_id: application_id.trim(),
            client_id: client_id.trim(),
            client_secret: &client_secret,
            target_org_id: org_id.trim(),
        };
        let answer = net.run(ctx, &exchange)?;
        let now = ctx.now();
        let app = ServiceApp {
            application_id: exchange.application_id,
            client_id: exchange.client_id,
            client_secret: &client_secret,
            org_id: exchange.target_org_id,
            api: net.api(),
        };
        let credentials = Credentials::new(app, &answer, now)?;
        let saved = match &self.save {
            Some(path) => {
                let path = ctx.path(path);
                let _lock = Lock::take(&path)?;
                credentials::save(&path, &credentials)?;
                format!("; saved to {}", path.display())
            }
            None => String::new(),
        };
        print(ctx, &answer, &credentials)?;
        writeln!(ctx.err, "{}{saved}", validity(&credentials, now))?;
        Ok(())
    }
}

impl Refresh {
    fn run(self, ctx: &mut Context) -> Result<(), Failure> {
        let path = ctx.path(&self.credentials_file);
        let path = path.as_path();
        let current = credentials::load(path)?;
        let mut net = Net::new(
            ctx,
            NetArgs {
                api_url: Some(current.api.clone()),
                ca_file: self.ca_file,
                timeout: self.timeout,
            },
        )?;
        let before = current.refresh_token.secret().to_string();
        let (fresh, _) = credentials::fresh_access_token(ctx, &mut net, path, current, true)?;
        if ctx.json {
            let doc = json!({
                "accessTokenExpiresAt": rfc3339(fresh.access_token_expires_at),
                "refreshTokenExpiresAt": rfc3339(fresh.refresh_token_expires_at),
                "refreshTokenRotated": fresh.refresh_token.secret() != before,
                "accessToken": fresh.access_token.secret(),
            });
            ctx.data(format_args!("{doc:#}"))?;
        } else {
            ctx.data(fresh.access_token.secret())?;
        }
        let rotated = if fresh.refresh_token.secret() != before {
            "a new refresh token"
        } else {
            "the same refresh token"
        };
        writeln!(
            ctx.err,
            "refreshed, with {rotated}: {}; saved to {}",
            validity(&fresh, ctx.now()),
            path.display()
        )?;
        Ok(())
    }
}

impl Show {
    fn run(self, ctx: &mut Context) -> Result<(), Failure> {
        let path = ctx.path(&self.credentials_file);
        let c = credentials::load(&path)?;
        let now = ctx.now();
        if ctx.json {
            let doc = json!({
                "applicationId": c.application_id,
                "clientId": c.client_id,
                "orgId": c.org_id,
                "api": c.api,
                "accessTokenExpiresAt": rfc3339(c.access_token_expires_at),
                "accessTokenExpired": c.access_token_expires_at <= now,
                "refreshTokenExpiresAt": rfc3339(c.refresh_token_expires_at),
                "refreshTokenExpired": c.refresh_token_expires_at <= now,
            });
            return ctx.data(format_args!("{doc:#}"));
        }
        let text = format!(
            "application id  {}\nclient id       {}\norg id          {}\napi             {}\naccess token    {}\nrefresh token   {}",
            c.application_id,
            c.client_id,
            c.org_id,
            c.api,
            when(c.access_token_expires_at, now),
            when(c.refresh_token_expires_at, now),
        );
        ctx.data(text)
    }
}

/// The client secret from `--client-secret`, `--client-secret-file` or `WEBEX_CLIENT_SECRET`.
fn client_secret(
    ctx: &Context,
    flag: Option<&str>,
    file: Option<&str>,
) -> Result<ClientSecret, Failure> {
    let secret = match (flag, file) {
        (Some(_), Some(_)) => {
            return Err(Failure::usage(
                "use either --client-secret or --client-secret-file, not both",
            ))
        }
        (Some(text), None) => text.to_string(),
        (None, Some(path)) => read_file(&ctx.path(path), MAX_SMALL_INPUT, "the client secret file")?,
        (None, None) => ctx.var("WEBEX_CLIENT_SECRET")?.ok_or_else(|| {
            Failure::usage("missing client secret: pass --client-secret-file, --client-secret or set WEBEX_CLIENT_SECRET")
        })?,
    };
    let secret = ClientSecret::new(secret);
    if secret.secret().is_empty() {
        return Err(Failure::usage("the client secret is empty"));
    }
    Ok(secret)
}

/// stdout: the access token, or with `--json` Webex's answer (credentials put back where Webex
/// had them) and the absolute expiries.
fn print(ctx: &mut Context, answer: &TokenAnswer, c: &Credentials) -> Result<(), Failure> {
    if !ctx.json {
        return ctx.data(answer.access_token.secret());
    }
    let mut doc = answer.raw.clone();
    doc.insert("access_token".into(), answer.access_token.secret().into());
    doc.insert("refresh_token".into(), answer.refresh_token.secret().into());
    doc.insert(
        "accessTokenExpiresAt".into(),
        rfc3339(c.access_token_expires_at).into(),
    );
    doc.insert(
        "refreshTokenExpiresAt".into(),
        rfc3339(c.refresh_token_expires_at).into(),
    );
    ctx.data(format_args!("{:#}", Value::Object(doc)))
}

/// `access token valid 13d23h until …; refresh token valid 89d23h until …`
fn validity(c: &Credentials, now: u64) -> String {
    format!(
        "access token valid {} until {}; refresh token valid {} until {}",
        human_duration(c.access_token_expires_at.saturating_sub(now)),
        rfc3339(c.access_token_expires_at),
        human_duration(c.refresh_token_expires_at.saturating_sub(now)),
        rfc3339(c.refresh_token_expires_at)
    )
}

/// `expires at … (in 13d23h)` or `expired at … (2d ago)`.
fn when(at: u64, now: u64) -> String {
    if at > now {
        format!(
            "expires at {} (in {})",
            rfc3339(at),
            human_duration(at - now)
        )
    } else {
        format!(
            "expired at {} ({} ago)",
            rfc3339(at),
            human_duration(now - at)
        )
    }
}
