//! The `guestissuer` binary: gathers the process's arguments, streams, environment and its one
//! clock into a [`Context`] and hands them to [`guestissuer::run`]. Nothing else happens here, so
//! every behaviour can be exercised in-process by the tests.

use std::io::{self, Write};
use std::process::ExitCode;

use guestissuer::Context;
use guestissuer_transport::SystemClock;

fn main() -> ExitCode {
    // Not text yet: an external command gets its arguments byte for byte, and a file path may
    // be any bytes.
    let args: Vec<std::ffi::OsString> = std::env::args_os().skip(1).collect();
    // A bad GUESTISSUER_NOW fails the commands that read the time, not --help or --version.
    let (mut clock, clock_problem) = match clock() {
        Ok(clock) => (clock, None),
        Err(message) => (SystemClock::new(), Some(message)),
    };
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    // Line-buffered: the human line is one write, not one per formatted piece.
    let stderr = io::stderr();
    let mut err = io::LineWriter::new(stderr.lock());
    let stdin = io::stdin();
    let mut input = stdin.lock();
    let env = |name: &str| std::env::var_os(name);
    let mut ctx = Context::new(&mut out, &mut err, &mut input, &env, &mut clock);
    ctx.clock_problem = clock_problem;
    let code = guestissuer::run_os(args, &mut ctx);
    // A closed stdout (`| head`) is the reader's choice, not an error: leave quietly.
    match out.flush() {
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        _ => ExitCode::from(code),
    }
}

/// The process's one clock. `GUESTISSUER_NOW` (Unix seconds) fixes its wall time, for
/// reproducible tokens in demos, documentation and other programs' test suites; timeouts and
/// retry waits still run on real time.
fn clock() -> Result<SystemClock, String> {
    match std::env::var("GUESTISSUER_NOW") {
        Err(std::env::VarError::NotPresent) => Ok(SystemClock::new()),
        Ok(text) if text.is_empty() => Ok(SystemClock::new()),
        Ok(text) => text
            .trim()
            .parse::<u64>()
            .ok()
            .filter(|now| *now <= guestissuer_core::MAX_EXP)
            .map(SystemClock::with_wall_fixed_at)
            .ok_or_else(|| {
                format!(
                    "GUESTISSUER_NOW {text:?}: expected Unix seconds up to {} (year 9999); unset it to use the system clock",
                    guestissuer_core::MAX_EXP
                )
            }),
        Err(std::env::VarError::NotUnicode(_)) => Err(
            "GUESTISSUER_NOW is not valid UTF-8: expected Unix seconds; unset it to use the system clock"
                .into(),
        ),
    }
}
