//! The `guestissuer` binary: gathers the process's arguments, streams, environment and clock into a
//! [`Context`] and hands them to [`guestissuer::run`]. Nothing else happens here, so every
//! behaviour can be exercised in-process by the tests.

use std::io::{self, Write};
use std::process::ExitCode;
use std::time::{SystemTime, UNIX_EPOCH};

use guestissuer::Context;

fn main() -> ExitCode {
    let args: Vec<String> = match std::env::args_os()
        .skip(1)
        .map(|a| a.into_string())
        .collect()
    {
        Ok(args) => args,
        Err(_) => {
            eprintln!("error: an argument is not valid UTF-8");
            return ExitCode::from(2);
        }
    };
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    // Line-buffered: the human line is one write, not one per formatted piece.
    let stderr = io::stderr();
    let mut err = io::LineWriter::new(stderr.lock());
    let stdin = io::stdin();
    let mut input = stdin.lock();
    let env = |name: &str| std::env::var(name).ok();
    let mut ctx = Context::new(&mut out, &mut err, &mut input, &env, now());
    let code = guestissuer::run(&args, &mut ctx);
    // A closed stdout (`| head`) is the reader's choice, not an error: leave quietly.
    match out.flush() {
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        _ => ExitCode::from(code),
    }
}

/// Unix seconds, rounded like the original tool's `Math.round(Date.now()/1000)`. The
/// `GUESTISSUER_NOW` variable (Unix seconds) replaces the clock, for reproducible output.
fn now() -> u64 {
    if let Some(fixed) = std::env::var("GUESTISSUER_NOW")
        .ok()
        .and_then(|v| v.trim().parse().ok())
    {
        return fixed;
    }
    let since = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default();
    (since.as_millis() as u64 + 500) / 1000
}
