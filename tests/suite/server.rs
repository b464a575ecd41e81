//! A real HTTPS server on 127.0.0.1 for the end-to-end tests: a certificate made at start by
//! rcgen (a test CA and a leaf for 127.0.0.1), TLS by tokio-rustls (ring), and HTTP/1.1 written by
//! hand so that the tests control every byte, misbehaviours included (stalls, truncated or huge
//! bodies). It records each request exactly as it arrived on the wire.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use guestissuer_fixtures::RecordedResponse;
use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio_rustls::TlsAcceptor;

/// What the server does with the next request.
#[derive(Clone)]
pub enum Reply {
    /// Answer with a recorded response.
    Send(RecordedResponse),
    /// Read the request and never answer.
    Stall,
    /// Answer 200 with a 2 MiB body.
    Huge,
    /// Promise 1000 bytes of body, send 10, and close.
    Truncate,
}

/// One received request: the request head as sent, and the body.
#[derive(Clone, Debug)]
pub struct Received {
    pub head: String,
    pub body: String,
}

pub struct Server {
    pub port: u16,
    pub ca_file: PathBuf,
    received: Arc<Mutex<Vec<Received>>>,
    _dir: TempDir,
}

impl Server {
    /// Serves the fixture's responses, in order.
    pub fn fixture(name: &str) -> Server {
        let fixture = crate::helpers::fixture(name);
        Server::start(
            fixture
                .exchanges
                .into_iter()
                .map(|e| Reply::Send(e.response))
                .collect(),
        )
    }

    /// Starts the server in its own thread; it answers `replies` in order, one per request, over
    /// HTTP/1.1 written by hand.
    pub fn start(replies: Vec<Reply>) -> Server {
        serve(b"http/1.1", replies, |mut tls, log, replies| async move {
            while let Some(received) = read_request(&mut tls).await {
                log.lock().unwrap().push(received);
                let next = replies.lock().unwrap().next();
                let Some(reply) = next else { return };
                if !answer(&mut tls, reply).await {
                    return;
                }
            }
        })
    }

    /// Answers every request with what `handler` makes of it: a server with state of its own (one
    /// that rotates tokens), over HTTP/1.1 written by hand.
    pub fn handle<F>(handler: F) -> Server
    where
        F: Fn(&Received) -> RecordedResponse + Send + Sync + 'static,
    {
        let handler = Arc::new(handler);
        serve(b"http/1.1", Vec::<()>::new(), move |mut tls, log, _| {
            let handler = handler.clone();
            async move {
                while let Some(received) = read_request(&mut tls).await {
                    let response = handler(&received);
                    log.lock().unwrap().push(received);
                    if !answer(&mut tls, Reply::Send(response)).await {
                        return;
                    }
                }
            }
        })
    }

    /// Serves the fixture's responses over HTTP/2 (hyper's server): TLS offers only `h2` by ALPN.
    pub fn fixture_h2(name: &str) -> Server {
        let fixture = crate::helpers::fixture(name);
        let replies: Vec<RecordedResponse> =
            fixture.exchanges.into_iter().map(|e| e.response).collect();
        serve(b"h2", replies, |tls, log, replies| async move {
            let service = hyper::service::service_fn(
                move |request: hyper::Request<hyper::body::Incoming>| {
                    let (log, replies) = (log.clone(), replies.clone());
                    async move {
                        use http_body_util::BodyExt;
                        let (parts, body) = request.into_parts();
                        let body = body
                            .collect()
                            .await
                            .map(|b| b.to_bytes())
                            .unwrap_or_default();
                        let mut head = format!(
                            "{} {} {:?}\r\n",
                            parts.method,
                            parts.uri.path(),
                            parts.version
                        );
                        for (name, value) in &parts.headers {
                            head.push_str(&format!(
                                "{name}: {}\r\n",
                                value.to_str().unwrap_or("?")
                            ));
                        }
                        log.lock().unwrap().push(Received {
                            head,
                            body: String::from_utf8_lossy(&body).into_owned(),
                        });
                        let reply = replies.lock().unwrap().next().expect("a recorded response");
                        let mut response = hyper::Response::builder().status(reply.status);
                        for (name, value) in reply.header_pairs() {
                            if !name.eq_ignore_ascii_case("content-length") {
                                response = response.header(name, value);
                            }
                        }
                        let body =
                            http_body_util::Full::new(bytes::Bytes::from(reply.body_bytes()));
                        Ok::<_, std::convert::Infallible>(response.body(body).unwrap())
                    }
                },
            );
            let io = hyper_util::rt::TokioIo::new(tls);
            let _ = hyper::server::conn::http2::Builder::new(hyper_util::rt::TokioExecutor::new())
                .serve_connection(io, service)
                .await;
        })
    }

    pub fn url(&self) -> String {
        format!("https://127.0.0.1:{}/v1", self.port)
    }

    pub fn received(&self) -> Vec<Received> {
        self.received.lock().unwrap().clone()
    }

    /// The run's transcript, then every request as received. Each `(token, label)` must not be
    /// on stderr whole, and is shown as its label, so that no token sits in a snapshot; the
    /// port, which varies, is shown as `[port]`.
    pub fn transcript(&self, out: &crate::helpers::Output, tokens: &[(&str, &str)]) -> String {
        let mut text = out.transcript();
        for (i, r) in self.received().iter().enumerate() {
            let head = r.head.replace("\r\n", "\n");
            text.push_str(&format!("--- request {}\n{head}{}\n", i + 1, r.body));
        }
        for (token, label) in tokens {
            assert!(
                !out.stderr.contains(token),
                "a whole token on stderr:\n{}",
                out.stderr
            );
            text = text.replace(token, label);
        }
        text.replace(&self.port.to_string(), "[port]")
    }
}

type Log = Arc<Mutex<Vec<Received>>>;
type Queue<R> = Arc<Mutex<std::vec::IntoIter<R>>>;

/// Listens on 127.0.0.1 with TLS offering `alpn`, in a thread of its own, and hands each TLS
/// connection to `connection` with the request log and the queue of replies.
fn serve<R, F, Fut>(alpn: &[u8], replies: Vec<R>, connection: F) -> Server
where
    R: Send + 'static,
    F: Fn(tokio_rustls::server::TlsStream<tokio::net::TcpStream>, Log, Queue<R>) -> Fut
        + Clone
        + Send
        + 'static,
    Fut: std::future::Future<Output = ()> + Send + 'static,
{
    let dir = TempDir::new();
    let (acceptor, ca_pem) = tls_with_alpn(vec![alpn.to_vec()]);
    let ca_file = dir.0.join("test-ca.pem");
    std::fs::write(&ca_file, ca_pem).unwrap();
    let received: Log = Arc::new(Mutex::new(Vec::new()));
    let replies: Queue<R> = Arc::new(Mutex::new(replies.into_iter()));
    let log = received.clone();
    let port = listen(move |tcp| {
        let (acceptor, log, replies) = (acceptor.clone(), log.clone(), replies.clone());
        let connection = connection.clone();
        async move {
            if let Ok(tls) = acceptor.accept(tcp).await {
                connection(tls, log, replies).await;
            }
        }
    });
    Server {
        port,
        ca_file,
        received,
        _dir: dir,
    }
}

/// Listens on 127.0.0.1 (an ephemeral port, returned) in a thread of its own with a
/// current-thread runtime, and runs `on_connection` as a task for each TCP connection.
fn listen<F, Fut>(on_connection: F) -> u16
where
    F: Fn(tokio::net::TcpStream) -> Fut + Send + 'static,
    Fut: std::future::Future<Output = ()> + Send + 'static,
{
    let std_listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    std_listener.set_nonblocking(true).unwrap();
    let port = std_listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async move {
            let listener = TcpListener::from_std(std_listener).unwrap();
            while let Ok((tcp, _)) = listener.accept().await {
                tokio::spawn(on_connection(tcp));
            }
        });
    });
    port
}

/// A test CA and a leaf certificate for 127.0.0.1, localhost and webex.test (the name the proxy
/// test asks its loopback proxy for) signed by it.
fn tls_with_alpn(alpn: Vec<Vec<u8>>) -> (TlsAcceptor, String) {
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca_params
        .distinguished_name
        .push(DnType::CommonName, "guestissuer test CA");
    let ca_key = KeyPair::generate().unwrap();
    let ca_cert = ca_params.self_signed(&ca_key).unwrap();
    let issuer = Issuer::new(ca_params, ca_key);
    let leaf_params = CertificateParams::new(vec![
        "127.0.0.1".to_string(),
        "localhost".to_string(),
        "webex.test".to_string(),
    ])
    .unwrap();
    let leaf_key = KeyPair::generate().unwrap();
    let leaf = leaf_params.signed_by(&leaf_key, &issuer).unwrap();
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(leaf_key.serialize_der()));
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(vec![CertificateDer::from(leaf.der().to_vec())], key)
        .unwrap();
    config.alpn_protocols = alpn;
    (TlsAcceptor::from(Arc::new(config)), ca_cert.pem())
}

async fn read_request<S: AsyncReadExt + Unpin>(stream: &mut S) -> Option<Received> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8(buf[..head_end].to_vec()).unwrap();
    let length: usize = head
        .lines()
        .find_map(|l| {
            l.to_ascii_lowercase()
                .strip_prefix("content-length:")
                .map(|v| v.trim().parse().unwrap())
        })
        .unwrap_or(0);
    while buf.len() < head_end + length {
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    let body = String::from_utf8(buf[head_end..head_end + length].to_vec()).unwrap();
    Some(Received { head, body })
}

/// Writes the reply; false when the connection is done.
async fn answer<S: AsyncWriteExt + Unpin>(stream: &mut S, reply: Reply) -> bool {
    match reply {
        Reply::Send(response) => {
            let body = response.body_bytes();
            let mut head = format!(
                "HTTP/1.1 {} {}\r\n",
                response.status,
                reason(response.status)
            );
            for (name, value) in response.header_pairs() {
                if !name.eq_ignore_ascii_case("content-length") {
                    head.push_str(&format!("{name}: {value}\r\n"));
                }
            }
            head.push_str(&format!("content-length: {}\r\n\r\n", body.len()));
            let ok = stream.write_all(head.as_bytes()).await.is_ok()
                && stream.write_all(&body).await.is_ok();
            ok && stream.flush().await.is_ok()
        }
        Reply::Stall => {
            tokio::time::sleep(Duration::from_secs(60)).await;
            false
        }
        Reply::Huge => {
            let size = 2 << 20;
            let head = format!("HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {size}\r\n\r\n");
            let _ = stream.write_all(head.as_bytes()).await;
            let block = vec![b' '; 64 << 10];
            for _ in 0..(size / block.len()) {
                if stream.write_all(&block).await.is_err() {
                    break;
                }
            }
            false
        }
        Reply::Truncate => {
            let head = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n{\"token\":";
            let _ = stream.write_all(head.as_bytes()).await;
            let _ = stream.flush().await;
            let _ = stream.shutdown().await;
            false
        }
    }
}

fn reason(status: u16) -> &'static str {
    http::StatusCode::from_u16(status)
        .ok()
        .and_then(|s| s.canonical_reason())
        .unwrap_or("")
}

/// A temporary directory removed on drop.
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new() -> TempDir {
        use std::sync::atomic::{AtomicU32, Ordering};
        static NEXT: AtomicU32 = AtomicU32::new(0);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!("guestissuer-test-{}-{n}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A CONNECT proxy on 127.0.0.1 that tunnels every destination to `target` (a loopback port),
/// so a test can use a non-loopback name (webex.test) without anything leaving loopback. It
/// records each CONNECT request head.
pub struct Proxy {
    pub port: u16,
    connects: Arc<Mutex<Vec<String>>>,
}

impl Proxy {
    pub fn start(target: u16) -> Proxy {
        let connects = Arc::new(Mutex::new(Vec::new()));
        let log = connects.clone();
        let port = listen(move |mut client| {
            let log = log.clone();
            async move {
                let Some(request) = read_request(&mut client).await else {
                    return;
                };
                log.lock().unwrap().push(request.head);
                let Ok(mut upstream) = tokio::net::TcpStream::connect(("127.0.0.1", target)).await
                else {
                    return;
                };
                if client
                    .write_all(b"HTTP/1.1 200 Connection Established\r\n\r\n")
                    .await
                    .is_err()
                {
                    return;
                }
                let _ = tokio::io::copy_bidirectional(&mut client, &mut upstream).await;
            }
        });
        Proxy { port, connects }
    }

    /// A proxy that refuses every tunnel with `407 Proxy Authentication Required`.
    pub fn refusing() -> Proxy {
        let connects = Arc::new(Mutex::new(Vec::new()));
        let log = connects.clone();
        let port = listen(move |mut client| {
            let log = log.clone();
            async move {
                if let Some(request) = read_request(&mut client).await {
                    log.lock().unwrap().push(request.head);
                    let _ = client
                        .write_all(b"HTTP/1.1 407 Proxy Authentication Required\r\ncontent-length: 0\r\n\r\n")
                        .await;
                }
            }
        });
        Proxy { port, connects }
    }

    pub fn connects(&self) -> Vec<String> {
        self.connects.lock().unwrap().clone()
    }
}
