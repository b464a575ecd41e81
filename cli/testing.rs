//! In-process runs of the CLI for the commands' own tests: fixed clock, in-memory streams, a
//! given environment, and the fixture transport in place of the network.

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use guestissuer_transport::fixture::{Fixture, FixtureTransport};
use guestissuer_transport::{Error, Transport};
use http::{Request, Response};

use crate::Context;

/// The fixed clock of every in-process run (2026-11-28T03:33:20Z).
pub const NOW: u64 = 1_795_836_800;
/// A fake issuer secret.
pub const SECRET: &str = "ZmFrZS1ndWVzdC1pc3N1ZXItc2VjcmV0LWZvci10ZXN0cw==";
/// A fake issuer id.
pub const ISSUER: &str = "Y2lzY29zcGFyazovL3VzL09SR0FOSVpBVElPTi9mYWtlLW9yZy0wMDAx";

/// What one in-process run produced.
pub struct TestRun {
    pub code: u8,
    pub out: String,
    pub err: String,
    /// The requests sent, when a fixture was given.
    pub sent: Vec<Request<Vec<u8>>>,
    /// The waits the retry driver asked for.
    pub waits: Vec<Duration>,
}

struct Shared(Rc<RefCell<FixtureTransport>>);

impl Transport for Shared {
    fn send(
        &mut self,
        request: Request<Vec<u8>>,
        timeout: Duration,
    ) -> Result<Response<Vec<u8>>, Error> {
        self.0.borrow_mut().send(request, timeout)
    }
    fn wait(&mut self, duration: Duration) {
        self.0.borrow_mut().wait(duration)
    }
    fn now(&self) -> u64 {
        self.0.borrow().now()
    }
}

/// Loads `fixtures/<name>`.
pub fn fixture(name: &str) -> Fixture {
    let path = format!("{}/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    Fixture::from_json(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// Runs `args` with `env` (nothing else is set), `stdin`, and `fixture`'s exchanges as the
/// network (a run without a fixture fails if it tries the network).
pub fn run(
    args: &[&str],
    env: &[(&str, &str)],
    stdin: &str,
    fixture_name: Option<&str>,
) -> TestRun {
    let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
    let env: Vec<(String, String)> = env
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let lookup = move |name: &str| env.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone());
    let transport =
        fixture_name.map(|f| Rc::new(RefCell::new(FixtureTransport::new(&fixture(f), NOW))));
    let (mut out, mut err, mut input) = (Vec::new(), Vec::new(), stdin.as_bytes());
    let code = {
        let mut ctx = Context::new(&mut out, &mut err, &mut input, &lookup, NOW);
        let shared = transport.clone();
        ctx.connect = Box::new(move |_| match &shared {
            Some(t) => Ok(Box::new(Shared(t.clone()))),
            None => Err(Error::Fixture {
                reason: "this test has no network".into(),
            }),
        });
        crate::run(&args, &mut ctx)
    };
    let (sent, waits) = match transport {
        Some(t) => {
            let mut t = t.borrow_mut();
            (std::mem::take(&mut t.sent), std::mem::take(&mut t.waits))
        }
        None => (Vec::new(), Vec::new()),
    };
    TestRun {
        code,
        out: String::from_utf8(out).unwrap(),
        err: String::from_utf8(err).unwrap(),
        sent,
        waits,
    }
}
