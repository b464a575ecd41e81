//! What the network commands share: their options, the transport set-up, and the session every
//! exchange of one command runs in. Nothing here runs for offline commands.

use std::path::PathBuf;
use std::time::Duration;

use guestissuer_core::redact;
use guestissuer_core::webex::{ApiBase, Exchange, DEFAULT_API};
use guestissuer_transport::{Error, Event, Session, Transport, TransportConfig};

use crate::{Context, Failure};

/// The default overall timeout of a network command.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// The longest `--timeout`: one day.
pub const MAX_TIMEOUT: Duration = Duration::from_secs(86_400);

/// Opens a transport for a configuration: the hyper transport in production, a fixture
/// transport in tests.
pub type Connect = dyn FnMut(&TransportConfig) -> Result<Box<dyn Transport>, Error>;

/// The production [`Connect`]: TLS and the runtime are set up here, and only here.
pub fn connect_hyper(config: &TransportConfig) -> Result<Box<dyn Transport>, Error> {
    Ok(Box::new(guestissuer_transport::HyperTransport::new(
        config,
    )?))
}

/// The network options as typed: every network command declares the three fields
/// `--api-url`, `--ca-file` and `--timeout` itself (argh cannot flatten) and hands them over here.
pub struct NetArgs {
    /// `--api-url`
    pub api_url: Option<String>,
    /// `--ca-file`
    pub ca_file: Option<String>,
    /// `--timeout`
    pub timeout: Option<String>,
}

impl NetArgs {
    /// The three options, in the order `--api-url`, `--ca-file`, `--timeout`.
    pub fn new(api_url: Option<String>, ca_file: Option<String>, timeout: Option<String>) -> Self {
        NetArgs {
            api_url,
            ca_file,
            timeout,
        }
    }
}

/// A validated network set-up: where, how long, over what.
pub struct Net {
    api: ApiBase,
    /// Whether `--api-url` or `WEBEX_API_URL` named the API (else it is the default).
    api_given: bool,
    timeout: Duration,
    config: TransportConfig,
    /// Where the CA file came from (`--ca-file` or `SSL_CERT_FILE`), named in its errors.
    ca_origin: &'static str,
    transport: Option<Box<dyn Transport>>,
}

impl Net {
    /// Validates the options (exit 2 on a bad URL or timeout) and reads the environment:
    /// `WEBEX_API_URL`, `SSL_CERT_FILE`, the proxy variables.
    pub fn new(ctx: &Context, args: NetArgs) -> Result<Net, Failure> {
        let url = match args.api_url {
            Some(url) => Some(url),
            None => ctx.var("WEBEX_API_URL")?,
        };
        let api_given = url.is_some();
        let api = ApiBase::parse(url.as_deref().unwrap_or(DEFAULT_API))
            .map_err(|e| Failure::usage(format!("{e} (--api-url or WEBEX_API_URL)")))?;
        let timeout = match args.timeout {
            None => DEFAULT_TIMEOUT,
            Some(text) => text
                .trim()
                .parse::<f64>()
                .ok()
                .filter(|s| s.is_finite() && *s > 0.0 && *s <= MAX_TIMEOUT.as_secs_f64())
                .map(Duration::from_secs_f64)
                .ok_or_else(|| {
                    Failure::usage(format!(
                        "--timeout {text:?}: expected a number of seconds above 0, at most {}",
                        MAX_TIMEOUT.as_secs()
                    ))
                })?,
        };
        let (ca_files, ca_origin) = match (&args.ca_file, ctx.var_os("SSL_CERT_FILE")) {
            (Some(path), _) => (vec![ctx.path(path)], "--ca-file"),
            (None, Some(path)) => (vec![PathBuf::from(path)], "SSL_CERT_FILE"),
            (None, None) => (Vec::new(), ""),
        };
        let first = |a: &str, b: &str| -> Result<Option<String>, Failure> {
            Ok(match ctx.var(a)? {
                Some(v) => Some(v),
                None => ctx.var(b)?,
            })
        };
        let config = TransportConfig {
            ca_files,
            connect_timeout: Some(timeout.min(Duration::from_secs(10))),
            https_proxy: first("HTTPS_PROXY", "https_proxy")?,
            all_proxy: first("ALL_PROXY", "all_proxy")?,
            no_proxy: first("NO_PROXY", "no_proxy")?,
        };
        Ok(Net {
            api,
            api_given,
            timeout,
            config,
            ca_origin,
            transport: None,
        })
    }

    /// The API base URL the commands' exchanges go to.
    pub fn api(&self) -> &ApiBase {
        &self.api
    }

    /// Sends the command's exchanges to `api` (a credentials file's: its token belongs there)
    /// unless `--api-url` or `WEBEX_API_URL` named one.
    pub fn default_api(&mut self, api: ApiBase) {
        if !self.api_given {
            self.api = api;
        }
    }

    /// Runs one exchange in its own session.
    pub fn run<E: Exchange>(
        &mut self,
        ctx: &mut Context,
        exchange: &E,
    ) -> Result<E::Output, Failure> {
        self.session(ctx, |session| session.execute(exchange))
    }

    /// Runs `work` in one session: one time budget (`--timeout`) for all its exchanges, on the
    /// context's clock, each step logged under `guest:http`.
    pub fn session<T>(
        &mut self,
        ctx: &mut Context,
        work: impl FnOnce(&mut Session) -> Result<T, Error>,
    ) -> Result<T, Failure> {
        let api = self.api.clone();
        self.session_at(ctx, &api, work)
    }

    /// [`Net::session`] against another API base URL (a credentials file's) over the same
    /// transport.
    pub fn session_at<T>(
        &mut self,
        ctx: &mut Context,
        api: &ApiBase,
        work: impl FnOnce(&mut Session) -> Result<T, Error>,
    ) -> Result<T, Failure> {
        if self.transport.is_none() {
            ctx.debug("guest:http", || {
                let proxy = self
                    .config
                    .https_proxy
                    .as_ref()
                    .or(self.config.all_proxy.as_ref());
                format!(
                    "connecting to {} (timeout {} s{}{})",
                    api.as_str(),
                    self.timeout.as_secs_f64(),
                    if self.config.ca_files.is_empty() {
                        ""
                    } else {
                        ", extra CA file"
                    },
                    match proxy {
                        Some(url) => format!(", via proxy {}", redact::url(url)),
                        None => String::new(),
                    }
                )
            });
            let origin = self.ca_origin;
            let transport = (ctx.connect)(&self.config).map_err(|e| {
                let ca_file = matches!(e, Error::CaFile { .. });
                let mut failure = Failure::from(e);
                if ca_file {
                    failure.message = format!("{} (from {origin})", failure.message);
                }
                failure
            })?;
            self.transport = Some(transport);
        }
        let transport = self.transport.as_mut().expect("set above").as_mut();
        let log = ctx.log.clone();
        let err = &mut *ctx.err;
        let mut session =
            Session::new(transport, &mut *ctx.clock, api, self.timeout).with_events(|event| {
                if log.enabled("guest:http") {
                    let _ = writeln!(err, "  guest:http {}", describe(event));
                }
            });
        Ok(work(&mut session)?)
    }
}

/// One debug line for an event; no token can be in it (events hold none).
fn describe(event: &Event) -> String {
    match event {
        Event::Answered {
            attempt,
            method,
            url,
            status,
            elapsed,
            tracking_id,
        } => format!(
            "{method} {url} -> {} in {} ms (attempt {attempt}{})",
            status.as_u16(),
            elapsed.as_millis(),
            tracking_id.map_or(String::new(), |t| format!(", trackingId {t}"))
        ),
        Event::Failed {
            attempt,
            method,
            url,
            error,
            elapsed,
        } => {
            format!(
                "{method} {url} failed after {} ms (attempt {attempt}): {error}",
                elapsed.as_millis()
            )
        }
        Event::Retrying {
            next_attempt,
            wait,
            status,
        } => format!(
            "{} -> waiting {} ms before attempt {next_attempt}",
            status.as_u16(),
            wait.as_millis()
        ),
        _ => format!("{event:?}"),
    }
}
