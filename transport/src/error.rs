use std::fmt;
use std::io;
use std::time::Duration;

/// Everything that can go wrong carrying a request. Messages are one line and never hold a token
/// or a URL's userinfo. Each variant's doc names the likely cause; `PartialEq`, so that tests
/// compare errors exactly.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Error {
    /// Webex answered, and the answer is an error (or the request could not be built).
    /// Transparent: its message and source are the core error's.
    Core(guestissuer_core::Error),
    /// Nothing listens at the host's port, or a firewall refused.
    Refused {
        /// `host:port`.
        host: String,
    },
    /// Another connection failure.
    Connect {
        /// `host:port`.
        host: String,
        /// What happened.
        problem: ConnectProblem,
    },
    /// The server's certificate does not chain to a trusted root: pass its CA with `--ca-file`.
    UntrustedCertificate {
        /// The host.
        host: String,
    },
    /// Another TLS failure.
    Tls {
        /// The host.
        host: String,
        /// What went wrong.
        problem: TlsProblem,
    },
    /// The overall timeout passed.
    Timeout {
        /// The timeout.
        after: Duration,
    },
    /// The response body is larger than [`crate::MAX_BODY`].
    TooLarge,
    /// The server closed the connection before the response was complete.
    Closed {
        /// The host.
        host: String,
    },
    /// The proxy could not be used.
    Proxy(ProxyProblem),
    /// A CA file (`--ca-file`, `SSL_CERT_FILE`) could not be used.
    CaFile {
        /// The file.
        path: String,
        /// What is wrong with it.
        problem: CaFileProblem,
    },
    /// An `http://` URL to a host that is not loopback: refused before connecting.
    Insecure {
        /// The host.
        host: String,
    },
    /// Any other HTTP-level failure.
    Http(HttpProblem),
}

/// Why a connection could not be made (other than a refusal).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ConnectProblem {
    /// The host name does not resolve: a typo, or no DNS (an offline machine, a proxy needed).
    Dns,
    /// The connect timeout passed: a firewall dropping packets, or the host is down.
    TimedOut,
    /// Another socket error (network unreachable, …).
    Io(io::ErrorKind),
}

/// A TLS failure other than an untrusted certificate.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum TlsProblem {
    /// The certificate is for another name: the URL names the wrong host, or something sits in
    /// between.
    WrongName,
    /// The certificate has expired (or the machine's clock is wrong).
    Expired,
    /// What rustls said.
    Other(rustls::Error),
}

/// Why a proxy could not be used.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ProxyProblem {
    /// `HTTPS_PROXY`/`ALL_PROXY` is not a URL. A usage error: fix the variable.
    InvalidUrl {
        /// The URL, its userinfo scrubbed.
        url: String,
    },
    /// Nothing answers at the proxy's address.
    Unreachable {
        /// The proxy's `host[:port]`.
        proxy: String,
    },
    /// The proxy answered but did not open the tunnel (it refused the destination, asked for
    /// credentials, or broke the exchange).
    TunnelRefused {
        /// The proxy's `host[:port]`.
        proxy: String,
    },
}

/// Why a CA file could not be used.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum CaFileProblem {
    /// It could not be read (missing, a directory, no permission).
    Unreadable(io::ErrorKind),
    /// It is larger than [`crate::hyper_transport::MAX_CA_FILE`].
    TooLarge,
    /// It is not PEM.
    NotPem,
    /// It holds no PEM certificate.
    NoCertificate,
    /// A certificate in it is malformed.
    BadCertificate,
}

/// Any other HTTP-level failure, as hyper classifies it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum HttpProblem {
    /// The tokio runtime could not start.
    Runtime,
    /// The server's answer is not valid HTTP.
    Protocol,
    /// The request was canceled (the connection went away while it waited).
    Canceled,
    /// None of the above.
    Other,
}

impl Error {
    /// The HTTP status and Webex trackingId, when Webex answered.
    pub fn webex_status(&self) -> Option<(u16, Option<&str>)> {
        match self {
            Error::Core(guestissuer_core::Error::Api(e)) => {
                Some((e.status, e.tracking_id.as_deref()))
            }
            _ => None,
        }
    }
}

impl From<guestissuer_core::Error> for Error {
    fn from(e: guestissuer_core::Error) -> Self {
        Error::Core(e)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Core(e) => e.fmt(f),
            Error::Refused { host } => write!(f, "cannot connect to {host}: connection refused"),
            Error::Connect { host, problem } => write!(f, "cannot connect to {host}: {problem}"),
            Error::UntrustedCertificate { host } => {
                write!(
                    f,
                    "TLS: certificate not trusted for {host} (use --ca-file?)"
                )
            }
            Error::Tls { host, problem } => write!(f, "TLS with {host} failed: {problem}"),
            Error::Timeout { after } => write!(f, "timed out after {} s", after.as_secs_f64()),
            Error::TooLarge => write!(
                f,
                "response larger than {} MiB: refused",
                crate::MAX_BODY >> 20
            ),
            Error::Closed { host } => {
                write!(
                    f,
                    "{host} closed the connection before the response was complete"
                )
            }
            Error::Proxy(problem) => problem.fmt(f),
            Error::CaFile { path, problem } => write!(f, "cannot use CA file {path}: {problem}"),
            Error::Insecure { host } => write!(
                f,
                "refusing http:// for {host}: use https:// (http:// is for loopback hosts only)"
            ),
            Error::Http(problem) => write!(f, "HTTP: {problem}"),
        }
    }
}

impl fmt::Display for ConnectProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConnectProblem::Dns => f.write_str("the host name does not resolve"),
            ConnectProblem::TimedOut => f.write_str("connect timed out"),
            ConnectProblem::Io(kind) => kind.fmt(f),
        }
    }
}

impl fmt::Display for TlsProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TlsProblem::WrongName => f.write_str("the certificate is for another name"),
            TlsProblem::Expired => f.write_str("the certificate has expired"),
            TlsProblem::Other(e) => e.fmt(f),
        }
    }
}

impl fmt::Display for ProxyProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ProxyProblem::InvalidUrl { url } => write!(
                f,
                "invalid proxy URL {url:?} (HTTPS_PROXY or ALL_PROXY): expected http://host:port"
            ),
            ProxyProblem::Unreachable { proxy } => {
                write!(f, "cannot connect to the proxy {proxy}")
            }
            ProxyProblem::TunnelRefused { proxy } => write!(
                f,
                "the proxy {proxy} refused to open a tunnel (check its credentials and rules, or NO_PROXY)"
            ),
        }
    }
}

impl fmt::Display for CaFileProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CaFileProblem::Unreadable(kind) => f.write_str(io_kind_text(*kind)),
            CaFileProblem::TooLarge => write!(
                f,
                "larger than {} MiB; is it a CA bundle?",
                crate::hyper_transport::MAX_CA_FILE >> 20
            ),
            CaFileProblem::NotPem => f.write_str("not PEM"),
            CaFileProblem::NoCertificate => f.write_str("no PEM certificate in it"),
            CaFileProblem::BadCertificate => f.write_str("a certificate in it is malformed"),
        }
    }
}

/// The OS's usual words for the errors a file read meets.
fn io_kind_text(kind: io::ErrorKind) -> &'static str {
    match kind {
        io::ErrorKind::NotFound => "No such file or directory",
        io::ErrorKind::PermissionDenied => "Permission denied",
        _ => "cannot be read",
    }
}

impl fmt::Display for HttpProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            HttpProblem::Runtime => "cannot start the I/O runtime",
            HttpProblem::Protocol => "the answer is not valid HTTP",
            HttpProblem::Canceled => "the request was canceled",
            HttpProblem::Other => "the exchange failed",
        })
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Core(e) => e.source(),
            Error::Tls {
                problem: TlsProblem::Other(e),
                ..
            } => Some(e),
            _ => None,
        }
    }
}
