//! What the network commands share: their options, the transport set-up, and turning transport
//! errors into one-line failures. Nothing here runs for offline commands.

use std::path::PathBuf;
use std::time::Duration;

use guestissuer_core::webex::{ApiBase, Exchange, DEFAULT_API};
use guestissuer_transport::{execute, Error, Event, Transport, TransportConfig};

use crate::{Context, Failure};

/// The default overall timeout of a network command.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// Opens a transport for a configuration: the hyper transport in production, a fixture
/// transport in tests.
pub type Connect = dyn FnMut(&TransportConfig) -> Result<Box<dyn Transport>, Error>;

/// The production [`Connect`]: TLS and the runtime are set up here, and only here.
pub fn connect_hyper(config: &TransportConfig) -> Result<Box<dyn Transport>, Error> {
    Ok(Box::new(guestissuer_transport::HyperTransport::new(
        config,
    )?))
}

/// Declares an argh arguments struct with the network options (`--api-url`, `--ca-file`,
/// `--timeout`) appended to its fields, and `net_args()` to hand them to [`Net::new`]. argh has
/// no flattening, so this is how every network command gets the same options.
macro_rules! with_net_options {
    ($(#[$attr:meta])* $vis:vis struct $name:ident { $($fields:tt)* }) => {
        $(#[$attr])*
        $vis struct $name {
            $($fields)*
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

        impl $name {
            fn net_args(&self) -> $crate::net::NetArgs<'_> {
                $crate::net::NetArgs {
                    api_url: self.api_url.as_deref(),
                    ca_file: self.ca_file.as_deref(),
                    timeout: self.timeout.as_deref(),
                }
            }
        }
    };
}
pub(crate) use with_net_options;

/// The network options as typed (`--api-url`, `--ca-file`, `--timeout`).
pub struct NetArgs<'a> {
    /// `--api-url`
    pub api_url: Option<&'a str>,
    /// `--ca-file`
    pub ca_file: Option<&'a str>,
    /// `--timeout`
    pub timeout: Option<&'a str>,
}

/// A validated network set-up: where, how long, over what.
pub struct Net {
    api: ApiBase,
    timeout: Duration,
    config: TransportConfig,
    transport: Option<Box<dyn Transport>>,
}

impl Net {
    /// Validates the options (exit 2 on a bad URL or timeout) and reads the environment:
    /// `WEBEX_API_URL`, `SSL_CERT_FILE`, the proxy variables.
    pub fn new(ctx: &Context, args: NetArgs) -> Result<Net, Failure> {
        let url = args
            .api_url
            .map(str::to_string)
            .or_else(|| ctx.var("WEBEX_API_URL"));
        let api = ApiBase::parse(url.as_deref().unwrap_or(DEFAULT_API))
            .map_err(|e| Failure::usage(format!("{e} (--api-url or WEBEX_API_URL)")))?;
        let timeout = match args.timeout {
            None => DEFAULT_TIMEOUT,
            Some(text) => text
                .trim()
                .parse::<f64>()
                .ok()
                .filter(|s| s.is_finite() && *s > 0.0 && *s <= 86_400.0)
                .map(Duration::from_secs_f64)
                .ok_or_else(|| {
                    Failure::usage(format!(
                        "--timeout {text:?}: expected a number of seconds above 0"
                    ))
                })?,
        };
        let ca_files = args
            .ca_file
            .map(str::to_string)
            .or_else(|| ctx.var("SSL_CERT_FILE"))
            .map(PathBuf::from)
            .into_iter()
            .collect();
        let first = |a: &str, b: &str| ctx.var(a).or_else(|| ctx.var(b));
        let config = TransportConfig {
            ca_files,
            connect_timeout: Some(timeout.min(Duration::from_secs(10))),
            https_proxy: first("HTTPS_PROXY", "https_proxy"),
            all_proxy: first("ALL_PROXY", "all_proxy"),
            no_proxy: first("NO_PROXY", "no_proxy"),
        };
        Ok(Net {
            api,
            timeout,
            config,
            transport: None,
        })
    }

    /// Runs one exchange, logging each step under `guest:http`.
    pub fn run<E: Exchange>(
        &mut self,
        ctx: &mut Context,
        exchange: &E,
    ) -> Result<E::Output, Failure> {
        if self.transport.is_none() {
            ctx.debug("guest:http", || {
                let proxy = self
                    .config
                    .https_proxy
                    .as_ref()
                    .or(self.config.all_proxy.as_ref());
                format!(
                    "connecting to {} (timeout {} s{}{})",
                    self.api.as_str(),
                    self.timeout.as_secs_f64(),
                    if self.config.ca_files.is_empty() {
                        ""
                    } else {
                        ", extra CA file"
                    },
                    if proxy.is_some() { ", via proxy" } else { "" }
                )
            });
            self.transport = Some((ctx.connect)(&self.config).map_err(failure)?);
        }
        let transport = self.transport.as_mut().expect("set above").as_mut();
        let log = ctx.log.clone();
        let err = &mut *ctx.err;
        let result = execute(transport, &self.api, exchange, self.timeout, &mut |event| {
            if log.enabled("guest:http") {
                let _ = writeln!(err, "  guest:http {}", describe(event));
            }
        });
        result.map_err(failure)
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

/// A transport error as a one-line failure: exit 2 for what the user must fix in the command
/// line, exit 1 for everything that happened on the way.
pub fn failure(error: Error) -> Failure {
    use guestissuer_core::Error as Core;
    let mut failure = match &error {
        Error::Core(
            Core::InvalidApiUrl { .. } | Core::InsecureApiUrl { .. } | Core::InvalidToken,
        )
        | Error::CaFile { .. }
        | Error::Insecure { .. } => Failure::usage(error.to_string()),
        _ => Failure::failed(error.to_string()),
    };
    if let Some((status, tracking_id)) = error.webex_status() {
        failure.status = Some(status);
        failure.tracking_id = tracking_id.map(str::to_string);
    }
    failure
}
