use std::error::Error as StdError;
use std::future::Future;
use std::io;
use std::path::PathBuf;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use bytes::Bytes;
use guestissuer_core::webex::is_loopback;
use http::{Request, Response, Uri};
use http_body_util::{BodyExt, Full, Limited};
use hyper_rustls::HttpsConnector;
use hyper_util::client::legacy::connect::proxy::Tunnel;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::legacy::Client;
use hyper_util::client::proxy::matcher::Matcher;
use hyper_util::rt::{TokioExecutor, TokioIo};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::CertificateDer;
use tokio::net::TcpStream;
use tower_service::Service;

use crate::{Error, Transport, MAX_BODY};

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
            .map_err(|e| Error::Http {
                reason: format!("cannot start the I/O runtime: {e}"),
            })?;

        let mut roots = rustls::RootCertStore {
            roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
        };
        for path in &config.ca_files {
            let ca_error = |reason: String| Error::CaFile {
                path: path.display().to_string(),
                reason,
            };
            let certs: Vec<CertificateDer> = CertificateDer::pem_file_iter(path)
                .map_err(|e| ca_error(pem_reason(e)))?
                .collect::<Result<_, _>>()
                .map_err(|e| ca_error(pem_reason(e)))?;
            if certs.is_empty() {
                return Err(ca_error("no PEM certificate in it".into()));
            }
            for cert in certs {
                roots
                    .add(cert)
                    .map_err(|e| ca_error(format!("bad certificate: {e}")))?;
            }
        }
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let tls = rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|e| Error::Http {
                reason: format!("TLS set-up: {e}"),
            })?
            .with_root_certificates(roots)
            .with_no_client_auth();

        let mut http = HttpConnector::new();
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

fn pem_reason(e: rustls::pki_types::pem::Error) -> String {
    match e {
        rustls::pki_types::pem::Error::Io(e) => {
            let text = e.to_string();
            text.split(" (os error").next().unwrap_or(&text).to_string()
        }
        other => format!("not PEM: {other}"),
    }
}

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
        if with_scheme.parse::<Uri>().is_err() {
            return Err(Error::Proxy {
                reason: format!("invalid proxy URL {url:?}"),
            });
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

    fn wait(&mut self, duration: Duration) {
        std::thread::sleep(duration);
    }

    fn now(&self) -> u64 {
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs())
    }
}

/// Turns hyper's error chain into one of our one-line errors.
fn classify(error: &(dyn StdError + 'static), host: &str, port: u16) -> Error {
    let mut reasons = Vec::new();
    let mut next: Option<&(dyn StdError + 'static)> = Some(error);
    while let Some(e) = next {
        if let Some(tls) = e.downcast_ref::<rustls::Error>() {
            return tls_error(tls, host);
        }
        if let Some(io) = e.downcast_ref::<io::Error>() {
            match io.kind() {
                io::ErrorKind::ConnectionRefused => {
                    return Error::Refused {
                        host: format!("{host}:{port}"),
                    }
                }
                io::ErrorKind::UnexpectedEof | io::ErrorKind::ConnectionReset => {
                    return Error::Closed {
                        host: host.to_string(),
                    }
                }
                io::ErrorKind::TimedOut => {
                    return Error::Connect {
                        host: format!("{host}:{port}"),
                        reason: "connect timed out".into(),
                    }
                }
                _ => {}
            }
            // A custom io::Error's source() skips the error it wraps: step into it instead.
            if let Some(inner) = io.get_ref() {
                next = Some(inner);
                continue;
            }
        }
        if let Some(h) = e.downcast_ref::<hyper::Error>() {
            if h.is_incomplete_message() {
                return Error::Closed {
                    host: host.to_string(),
                };
            }
        }
        if let Some(proxy) = e.downcast_ref::<ProxyFailure>() {
            return Error::Proxy {
                reason: proxy.to_string(),
            };
        }
        let text = e.to_string();
        if text.contains("dns error") {
            return Error::Connect {
                host: format!("{host}:{port}"),
                reason: "the host name does not resolve".into(),
            };
        }
        if !reasons.contains(&text) {
            reasons.push(text);
        }
        next = e.source();
    }
    Error::Http {
        reason: reasons.join(": "),
    }
}

fn tls_error(e: &rustls::Error, host: &str) -> Error {
    use rustls::CertificateError as C;
    match e {
        rustls::Error::InvalidCertificate(C::UnknownIssuer | C::BadSignature) => {
            Error::UntrustedCertificate {
                host: host.to_string(),
            }
        }
        rustls::Error::InvalidCertificate(
            C::NotValidForName | C::NotValidForNameContext { .. },
        ) => Error::Tls {
            host: host.to_string(),
            reason: "the certificate is for another name".into(),
        },
        rustls::Error::InvalidCertificate(C::Expired | C::ExpiredContext { .. }) => Error::Tls {
            host: host.to_string(),
            reason: "the certificate has expired".into(),
        },
        other => Error::Tls {
            host: host.to_string(),
            reason: other.to_string(),
        },
    }
}

/// TCP, or a CONNECT tunnel through the proxy the matcher picks; loopback is never proxied.
#[derive(Clone)]
struct Connector {
    http: HttpConnector,
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
                        let mut reason = e.to_string();
                        let mut source = StdError::source(&e);
                        while let Some(s) = source {
                            reason.push_str(&format!(": {s}"));
                            source = s.source();
                        }
                        Box::new(ProxyFailure {
                            proxy: name,
                            reason,
                        }) as BoxError
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
    proxy: String,
    reason: String,
}

impl std::fmt::Display for ProxyFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "via {}: {}", self.proxy, self.reason)
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
        let err = proxy_matcher(&config(Some("http://bad host:1"), None, None)).unwrap_err();
        assert_eq!(
            err,
            Error::Proxy {
                reason: "invalid proxy URL \"http://bad host:1\"".into()
            }
        );
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
                reason: "no PEM certificate in it".into()
            }
        );
        let err = HyperTransport::new(&config("/nonexistent/ca.pem")).unwrap_err();
        assert_eq!(
            err,
            Error::CaFile {
                path: "/nonexistent/ca.pem".into(),
                reason: "No such file or directory".into()
            }
        );
    }

    #[test]
    fn debug_hides_proxy_credentials() {
        let c = config(Some("http://user:pa55@proxy.corp:3128"), None, None);
        assert!(!format!("{c:?}").contains("pa55"));
    }
}
