use std::error::Error as StdError;
use std::future::Future;
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use guestissuer_core::webex::is_loopback;
use http::{Request, Response, Uri};
use http_body_util::{BodyExt, Full, Limited};
use hyper_rustls::HttpsConnector;
use hyper_util::client::legacy::connect::dns::{GaiAddrs, GaiResolver, Name};
use hyper_util::client::legacy::connect::proxy::Tunnel;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::legacy::Client;
use hyper_util::client::proxy::matcher::Matcher;
use hyper_util::rt::{TokioExecutor, TokioIo};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::CertificateDer;
use tokio::net::TcpStream;
use tower_service::Service;

use crate::error::{CaFileProblem, ConnectProblem, HttpProblem, ProxyProblem, TlsProblem};
use crate::{Error, Transport, MAX_BODY};

/// The largest CA file read: 4 MiB, ten times a full system bundle.
pub const MAX_CA_FILE: u64 = 4 << 20;

type BoxError = Box<dyn StdError + Send + Sync>;

/// How to reach Webex. Everything comes in as values: the caller reads the environment.
/// `Debug` hides the proxy URLs, which may carry credentials.
#[derive(Default, Clone)]
pub struct TransportConfig {
    /// Extra trusted root certificates, PEM files (`--ca-file`, `SSL_CERT_FILE`), added to the
    /// built-in web PKI roots.
    pub ca_files: Vec<PathBuf>,
    /// Give up connecting after this long (default 10 s).
    pub connect_timeout: Option<Duration>,
    /// `HTTPS_PROXY`/`https_proxy`.
    pub https_proxy: Option<String>,
    /// `ALL_PROXY`/`all_proxy`.
    pub all_proxy: Option<String>,
    /// `NO_PROXY`/`no_proxy`.
    pub no_proxy: Option<String>,
}

impl std::fmt::Debug for TransportConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let set = |v: &Option<String>| v.as_ref().map(|_| "[set]");
        f.debug_struct("TransportConfig")
            .field("ca_files", &self.ca_files)
            .field("connect_timeout", &self.connect_timeout)
            .field("https_proxy", &set(&self.https_proxy))
            .field("all_proxy", &set(&self.all_proxy))
            .field("no_proxy", &self.no_proxy)
            .finish()
    }
}

/// The production transport: hyper's legacy client over rustls (`ring` provider) on a
/// current-thread tokio runtime owned by this value.
pub struct HyperTransport {
    runtime: tokio::runtime::Runtime,
    client: Client<HttpsConnector<Connector>, Full<Bytes>>,
}

impl std::fmt::Debug for HyperTransport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("HyperTransport")
    }
}

impl HyperTransport {
    /// Builds the runtime, the TLS configuration and the client. Errors: an unreadable or empty
    /// CA file ([`Error::CaFile`]), a malformed proxy URL ([`Error::Proxy`]).
    pub fn new(config: &TransportConfig) -> Result<Self, Error> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_io()
            .enable_time()
            .build()
            .map_err(|_| Error::Http(HttpProblem::Runtime))?;

        let mut roots = rustls::RootCertStore {
            roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
        };
        for path in &config.ca_files {
            for cert in ca_certificates(path)? {
                roots.add(cert).map_err(|_| Error::CaFile {
                    path: path.display().to_string(),
                    problem: CaFileProblem::BadCertificate,
                })?;
            }
        }
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let tls = rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|e| Error::Tls {
                host: String::new(),
                problem: TlsProblem::Other(e),
            })?
            .with_root_certificates(roots)
            .with_no_client_auth();

        let mut http = HttpConnector::new_with_resolver(Resolver(GaiResolver::new()));
        http.enforce_http(false);
        http.set_connect_timeout(Some(
            config.connect_timeout.unwrap_or(Duration::from_secs(10)),
        ));
        http.set_nodelay(true);
        let proxy = proxy_matcher(config)?;
        let connector = Connector {
            http,
            proxy: proxy.map(Arc::new),
        };
        let https = hyper_rustls::HttpsConnectorBuilder::new()
            .with_tls_config(tls)
            .https_or_http()
            .enable_http1()
            .enable_http2()
            .wrap_connector(connector);
        let client = Client::builder(TokioExecutor::new()).build(https);
        Ok(HyperTransport { runtime, client })
    }
}

/// The certificates of one PEM file, read up to [`MAX_CA_FILE`].
fn ca_certificates(path: &Path) -> Result<Vec<CertificateDer<'static>>, Error> {
    let error = |problem| Error::CaFile {
        path: path.display().to_string(),
        problem,
    };
    let file = std::fs::File::open(path).map_err(|e| error(CaFileProblem::Unreadable(e.kind())))?;
    let mut pem = Vec::new();
    file.take(MAX_CA_FILE + 1)
        .read_to_end(&mut pem)
        .map_err(|e| error(CaFileProblem::Unreadable(e.kind())))?;
    if pem.len() as u64 > MAX_CA_FILE {
        return Err(error(CaFileProblem::TooLarge));
    }
    let certs: Vec<CertificateDer> = CertificateDer::pem_slice_iter(&pem)
        .collect::<Result<_, _>>()
        .map_err(|_| error(CaFileProblem::NotPem))?;
    if certs.is_empty() {
        return Err(error(CaFileProblem::NoCertificate));
    }
    Ok(certs)
}

/// The proxy matcher for the configured proxies, each checked to be a URL first (hyper-util's
/// matcher ignores what it cannot parse, which would silently send traffic direct).
fn proxy_matcher(config: &TransportConfig) -> Result<Option<Matcher>, Error> {
    if config.https_proxy.is_none() && config.all_proxy.is_none() {
        return Ok(None);
    }
    for url in [&config.https_proxy, &config.all_proxy]
        .into_iter()
        .flatten()
    {
        let with_scheme = if url.contains("://") {
            url.clone()
        } else {
            format!("http://{url}")
        };
        let valid = with_scheme
            .parse::<Uri>()
            .is_ok_and(|uri| uri.host().is_some_and(|h| !h.is_empty()));
        if !valid {
            return Err(Error::Proxy(ProxyProblem::InvalidUrl {
                url: guestissuer_core::redact::url(url).into_owned(),
            }));
        }
    }
    let mut builder = Matcher::builder();
    if let Some(url) = &config.https_proxy {
        builder = builder.https(url.clone());
    }
    if let Some(url) = &config.all_proxy {
        builder = builder.all(url.clone());
    }
    if let Some(no) = &config.no_proxy {
        builder = builder.no(no.clone());
    }
    Ok(Some(builder.build()))
}

impl Transport for HyperTransport {
    fn send(
        &mut self,
        request: Request<Vec<u8>>,
        timeout: Duration,
    ) -> Result<Response<Vec<u8>>, Error> {
        let host = request.uri().host().unwrap_or_default().to_string();
        let port = request
            .uri()
            .port_u16()
            .unwrap_or(match request.uri().scheme_str() {
                Some("http") => 80,
                _ => 443,
            });
        if request.uri().scheme_str() != Some("https") && !is_loopback(&host) {
            return Err(Error::Insecure { host });
        }
        let request = request.map(|body| Full::new(Bytes::from(body)));
        let client = &self.client;
        let exchange = async {
            let response = client
                .request(request)
                .await
                .map_err(|e| classify(&e, &host, port))?;
            let (parts, body) = response.into_parts();
            let body = Limited::new(body, MAX_BODY).collect().await.map_err(|e| {
                if e.is::<http_body_util::LengthLimitError>() {
                    Error::TooLarge
                } else {
                    classify(e.as_ref(), &host, port)
                }
            })?;
            Ok(Response::from_parts(parts, body.to_bytes().to_vec()))
        };
        self.runtime.block_on(async {
            tokio::time::timeout(timeout, exchange)
                .await
                .unwrap_or(Err(Error::Timeout { after: timeout }))
        })
    }
}

/// Turns hyper's error chain into one of our errors, by the types in the chain (never by their
/// text).
fn classify(error: &(dyn StdError + 'static), host: &str, port: u16) -> Error {
    let host_port = || format!("{host}:{port}");
    let mut next: Option<&(dyn StdError + 'static)> = Some(error);
    let mut problem = HttpProblem::Other;
    while let Some(e) = next {
        if let Some(tls) = e.downcast_ref::<rustls::Error>() {
            return tls_error(tls, host);
        }
        if let Some(proxy) = e.downcast_ref::<ProxyFailure>() {
            return Error::Proxy(proxy.problem.clone());
        }
        if e.is::<ResolveFailure>() {
            return Error::Connect {
                host: host_port(),
                problem: ConnectProblem::Dns,
            };
        }
        if let Some(io) = e.downcast_ref::<io::Error>() {
            match io.kind() {
                io::ErrorKind::ConnectionRefused => return Error::Refused { host: host_port() },
                io::ErrorKind::UnexpectedEof | io::ErrorKind::ConnectionReset => {
                    return Error::Closed {
                        host: host.to_string(),
                    }
                }
                io::ErrorKind::TimedOut => {
                    return Error::Connect {
                        host: host_port(),
                        problem: ConnectProblem::TimedOut,
                    }
                }
                _ => {}
            }
            // A custom io::Error's source() skips the error it wraps: step into it instead.
            if let Some(inner) = io.get_ref() {
                next = Some(inner);
                continue;
            }
            if io.raw_os_error().is_some() {
                return Error::Connect {
                    host: host_port(),
                    problem: ConnectProblem::Io(io.kind()),
                };
            }
        }
        if let Some(h) = e.downcast_ref::<hyper::Error>() {
            if h.is_incomplete_message() {
                return Error::Closed {
                    host: host.to_string(),
                };
            }
            if h.is_parse() {
                problem = HttpProblem::Protocol;
            } else if h.is_canceled() {
                problem = HttpProblem::Canceled;
            }
        }
        next = e.source();
    }
    Error::Http(problem)
}

fn tls_error(e: &rustls::Error, host: &str) -> Error {
    use rustls::CertificateError as C;
    let problem = match e {
        rustls::Error::InvalidCertificate(C::UnknownIssuer | C::BadSignature) => {
            return Error::UntrustedCertificate {
                host: host.to_string(),
            }
        }
        rustls::Error::InvalidCertificate(
            C::NotValidForName | C::NotValidForNameContext { .. },
        ) => TlsProblem::WrongName,
        rustls::Error::InvalidCertificate(C::Expired | C::ExpiredContext { .. }) => {
            TlsProblem::Expired
        }
        other => TlsProblem::Other(other.clone()),
    };
    Error::Tls {
        host: host.to_string(),
        problem,
    }
}

/// hyper-util's resolver, with its failures marked as ours so that [`classify`] recognises a
/// name that does not resolve by type.
#[derive(Clone)]
struct Resolver(GaiResolver);

/// A name that did not resolve.
#[derive(Debug)]
struct ResolveFailure(io::Error);

impl std::fmt::Display for ResolveFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "the host name does not resolve: {}", self.0)
    }
}

impl StdError for ResolveFailure {}

impl Service<Name> for Resolver {
    type Response = GaiAddrs;
    type Error = ResolveFailure;
    type Future = Pin<Box<dyn Future<Output = Result<GaiAddrs, ResolveFailure>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), ResolveFailure>> {
        self.0.poll_ready(cx).map_err(ResolveFailure)
    }

    fn call(&mut self, name: Name) -> Self::Future {
        let resolving = self.0.call(name);
        Box::pin(async move { resolving.await.map_err(ResolveFailure) })
    }
}

/// TCP, or a CONNECT tunnel through the proxy the matcher picks; loopback is never proxied.
#[derive(Clone)]
struct Connector {
    http: HttpConnector<Resolver>,
    proxy: Option<Arc<Matcher>>,
}

impl Service<Uri> for Connector {
    type Response = TokioIo<TcpStream>;
    type Error = BoxError;
    type Future = Pin<Box<dyn Future<Output = Result<Self::Response, BoxError>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), BoxError>> {
        self.http.poll_ready(cx).map_err(Into::into)
    }

    fn call(&mut self, dst: Uri) -> Self::Future {
        let intercept = self
            .proxy
            .as_ref()
            .filter(|_| !dst.host().is_some_and(is_loopback))
            .and_then(|m| m.intercept(&dst));
        match intercept {
            Some(proxy) => {
                let name = proxy.uri().authority().map_or(String::new(), |a| {
                    a.host().to_string() + &a.port_u16().map_or(String::new(), |p| format!(":{p}"))
                });
                let mut tunnel = Tunnel::new(proxy.uri().clone(), self.http.clone());
                if let Some(auth) = proxy.basic_auth() {
                    tunnel = tunnel.with_auth(auth.clone());
                }
                Box::pin(async move {
                    tunnel.call(dst).await.map_err(|e| {
                        // The tunnel's own error type is private: what matters is whether the
                        // proxy was reached at all.
                        let mut source: Option<&(dyn StdError + 'static)> = Some(&e);
                        let mut unreachable = false;
                        while let Some(s) = source {
                            unreachable |= s.is::<ResolveFailure>()
                                || s.downcast_ref::<io::Error>().is_some_and(|io| {
                                    io.kind() == io::ErrorKind::ConnectionRefused
                                });
                            source = s.source();
                        }
                        let problem = if unreachable {
                            ProxyProblem::Unreachable { proxy: name }
                        } else {
                            ProxyProblem::TunnelRefused { proxy: name }
                        };
                        Box::new(ProxyFailure { problem }) as BoxError
                    })
                })
            }
            None => {
                let mut http = self.http.clone();
                Box::pin(async move { http.call(dst).await.map_err(Into::into) })
            }
        }
    }
}

/// A CONNECT tunnel failure, with the proxy's host (never its credentials).
#[derive(Debug)]
struct ProxyFailure {
    problem: ProxyProblem,
}

impl std::fmt::Display for ProxyFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.problem.fmt(f)
    }
}

impl StdError for ProxyFailure {}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(https: Option<&str>, all: Option<&str>, no: Option<&str>) -> TransportConfig {
        TransportConfig {
            https_proxy: https.map(str::to_string),
            all_proxy: all.map(str::to_string),
            no_proxy: no.map(str::to_string),
            ..TransportConfig::default()
        }
    }

    fn proxy_for(config: &TransportConfig, url: &str) -> Option<String> {
        let matcher = proxy_matcher(config).unwrap()?;
        matcher
            .intercept(&url.parse().unwrap())
            .map(|i| i.uri().to_string())
    }

    #[test]
    fn proxies_follow_https_all_and_no_proxy() {
        let c = config(
            Some("http://proxy.corp:3128"),
            None,
            Some("internal.corp, .example.org"),
        );
        assert_eq!(
            proxy_for(&c, "https://webexapis.com/v1").as_deref(),
            Some("http://proxy.corp:3128/")
        );
        assert_eq!(proxy_for(&c, "https://internal.corp/v1"), None);
        assert_eq!(proxy_for(&c, "https://api.example.org/v1"), None);
        let all = config(None, Some("http://all.corp:8080"), None);
        assert_eq!(
            proxy_for(&all, "https://webexapis.com/v1").as_deref(),
            Some("http://all.corp:8080/")
        );
        assert!(proxy_matcher(&config(None, None, Some("x")))
            .unwrap()
            .is_none());
    }

    #[test]
    fn a_malformed_proxy_url_is_refused() {
        let err = proxy_matcher(&config(Some("http://alice:hunter2@bad host:1"), None, None))
            .unwrap_err();
        assert_eq!(
            err,
            Error::Proxy(ProxyProblem::InvalidUrl {
                url: "http://[redacted]@bad host:1".into()
            })
        );
        assert!(!err.to_string().contains("hunter2"));
        for garbage in ["::garbage", "http://"] {
            assert!(proxy_matcher(&config(Some(garbage), None, None)).is_err());
        }
    }

    #[test]
    fn plain_http_to_a_remote_host_is_refused_before_connecting() {
        let mut transport = HyperTransport::new(&TransportConfig::default()).unwrap();
        let request = Request::get("http://webexapis.com/v1/people/me")
            .body(Vec::new())
            .unwrap();
        let err = transport.send(request, Duration::from_secs(5)).unwrap_err();
        assert_eq!(
            err,
            Error::Insecure {
                host: "webexapis.com".into()
            }
        );
    }

    #[test]
    fn an_empty_or_missing_ca_file_is_refused() {
        let config = |path: &str| TransportConfig {
            ca_files: vec![path.into()],
            ..TransportConfig::default()
        };
        let err = HyperTransport::new(&config("/dev/null")).unwrap_err();
        assert_eq!(
            err,
            Error::CaFile {
                path: "/dev/null".into(),
                problem: CaFileProblem::NoCertificate
            }
        );
        let err = HyperTransport::new(&config("/nonexistent/ca.pem")).unwrap_err();
        assert_eq!(
            err.to_string(),
            "cannot use CA file /nonexistent/ca.pem: No such file or directory"
        );
        let err = HyperTransport::new(&config("/dev/zero")).unwrap_err();
        assert_eq!(
            err,
            Error::CaFile {
                path: "/dev/zero".into(),
                problem: CaFileProblem::TooLarge
            }
        );
    }

    #[test]
    fn debug_hides_proxy_credentials() {
        let c = config(Some("http://user:pa55@proxy.corp:3128"), None, None);
        assert!(!format!("{c:?}").contains("pa55"));
    }
}
