//! The argument splitter and dispatcher, `guestissuer::run`, in-process: in-memory streams, a
//! virtual clock, an environment holding only a fake `ISSUER` and `SECRET` (no `PATH`, so no
//! external command can be found), and a `connect` that always fails, so nothing reaches a
//! network.
//!
//! Input: the arguments separated by NUL bytes (lossy UTF-8), optionally followed by a 0xFF byte
//! and the bytes of stdin. Checks: no panic; exit code 0, 1 or 2; on 1 or 2, nothing on stdout
//! and exactly one line on stderr besides `-v` debug lines (a batch may have written the rows
//! before the bad one and reported skipped rows: both by design); the secret, in base64 or
//! decoded, never on stdout or stderr; no process is ever started.

#![no_main]

use guestissuer::Context;
use guestissuer_fixtures::{VirtualClock, ISSUER, NOW, SECRET, SECRET_DECODED};
use guestissuer_transport::Error;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (args, stdin) = match data.iter().position(|&b| b == 0xff) {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (data, &[][..]),
    };
    let args: Vec<String> = if args.is_empty() {
        Vec::new()
    } else {
        String::from_utf8_lossy(args)
            .split('\0')
            .map(str::to_string)
            .collect()
    };
    if args.iter().any(|a| unsafe_path(a)) {
        return;
    }

    let env = |name: &str| match name {
        "ISSUER" => Some(std::ffi::OsString::from(ISSUER)),
        "SECRET" => Some(std::ffi::OsString::from(SECRET)),
        _ => None,
    };
    let (mut out, mut err, mut input) = (Vec::new(), Vec::new(), stdin);
    let mut clock = VirtualClock::at(NOW);
    let code = {
        let mut ctx = Context::new(&mut out, &mut err, &mut input, &env, &mut clock);
        ctx.connect = Box::new(|_| {
            Err(Error::Refused {
                host: "fuzz.invalid:443".into(),
            })
        });
        guestissuer::run(&args, &mut ctx)
    };
    assert_eq!(children(), 0, "a process was started for {args:?}");

    let out = String::from_utf8(out).expect("stdout is UTF-8");
    let err = String::from_utf8(err).expect("stderr is UTF-8");
    let transcript =
        || format!("{args:?} stdin {stdin:?}\nexit {code}\n--- stdout\n{out}--- stderr\n{err}");
    assert!(code <= 2, "{}", transcript());

    if code != 0 {
        let batch = args.iter().any(|a| a == "--batch");
        if batch {
            // The rows before the bad one are out, whole.
            assert!(
                out.lines()
                    .all(|l| serde_json::from_str::<serde_json::Map<_, _>>(l).is_ok()),
                "{}",
                transcript()
            );
        } else {
            assert!(out.is_empty(), "stdout on error: {}", transcript());
        }
        let lines: Vec<&str> = err
            .lines()
            .filter(|l| !l.starts_with("  guest:"))
            .filter(|l| !(batch && l.ends_with("; skipped")))
            .collect();
        assert_eq!(lines.len(), 1, "one line on stderr: {}", transcript());
        assert!(
            err.ends_with(&format!("{}\n", lines[0]))
                && (lines[0].starts_with("error: ") || lines[0].starts_with("{\"error\":")),
            "the error is the last line: {}",
            transcript()
        );
    }

    let stdin_text = String::from_utf8_lossy(stdin);
    let given =
        |needle: &str| stdin_text.contains(needle) || args.iter().any(|a| a.contains(needle));
    for needle in [SECRET, SECRET_DECODED] {
        if !given(needle) {
            assert!(
                !out.contains(needle) && !err.contains(needle),
                "the secret is shown: {}",
                transcript()
            );
        }
    }
});

/// Paths the fuzzer must not hand the CLI: anything but a small regular file (a device, a FIFO,
/// `/proc`) could block or never end, which would be the fuzzer's doing, not a finding.
fn unsafe_path(arg: &str) -> bool {
    let Ok(meta) = std::fs::metadata(arg) else {
        return false;
    };
    let special = std::fs::canonicalize(arg).map_or(true, |p| {
        ["/proc", "/sys", "/dev", "/run"]
            .iter()
            .any(|d| p.starts_with(d))
    });
    special || !meta.is_file() || meta.len() > 1 << 20
}

/// The peak memory of this process's reaped children: 0 as long as none was ever started.
fn children() -> libc::c_long {
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: `usage` is a valid, writable rusage.
    assert_eq!(
        unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage) },
        0
    );
    usage.ru_maxrss
}
