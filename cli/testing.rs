//! In-process runs of the CLI for the commands' own tests: a virtual clock, in-memory streams, a
//! given environment, and a fixture's recorded exchanges in place of the network.

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use guestissuer_fixtures::{FixtureTransport, VirtualClock};
use http::Request;

use crate::Context;

pub use guestissuer_fixtures::{load as fixture, ISSUER, NOW, SECRET, SECRET_DECODED};

/// What one in-process run produced.
pub struct TestRun {
    pub code: u8,
    pub out: String,
    pub err: String,
    /// The requests sent, when a fixture was given.
    pub sent: Vec<Request<Vec<u8>>>,
    /// The waits the session asked the clock for.
    pub waits: Vec<Duration>,
}

/// Runs `args` with `env` (nothing else is set), `stdin`, and `fixture`'s exchanges as the
/// network, on a virtual clock at [`NOW`]. A run without a fixture that tries the network fails
/// the test.
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
    let lookup = move |name: &str| {
        env.iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| std::ffi::OsString::from(v))
    };
    let transport = fixture_name.map(|f| Rc::new(RefCell::new(FixtureTransport::new(&fixture(f)))));
    let (mut out, mut err, mut input) = (Vec::new(), Vec::new(), stdin.as_bytes());
    let mut clock = VirtualClock::at(NOW);
    let code = {
        let mut ctx = Context::new(&mut out, &mut err, &mut input, &lookup, &mut clock);
        let shared = transport.clone();
        ctx.connect = Box::new(move |_| {
            let fixture = shared.clone().expect("this test has no network");
            // A closure is a transport.
            Ok(Box::new(move |request| {
                Ok(fixture.borrow_mut().answer(request))
            }))
        });
        crate::run(&args, &mut ctx)
    };
    let sent = transport
        .map(|t| std::mem::take(&mut t.borrow_mut().sent))
        .unwrap_or_default();
    TestRun {
        code,
        out: String::from_utf8(out).unwrap(),
        err: String::from_utf8(err).unwrap(),
        sent,
        waits: clock.waits,
    }
}
