//! `create --batch`: a guest token for every row of a CSV stream, as JSON lines, at the speed of
//! the HMAC. Rows are read, signed and written one at a time with reused buffers, so memory stays
//! flat whatever the input size.

use std::io::{BufReader, BufWriter, Read, Write};

use guestissuer_core::time::{human_duration, rfc3339};
use guestissuer_core::{GuestClaims, Signer};

use crate::rows::{ReadError, Row, Rows};
use crate::Failure;

/// Builds output lines `{"sub":…,"name":…,"exp":…,"token":"…"}` from the payload JSON the
/// signer just wrote, `{"sub":…,"name":…,"iss":…,"exp":…}`: `sub` and `name` are already escaped
/// there, so they are copied rather than serialized again, and the token (base64url) needs no
/// escaping. This halves the per-row JSON work.
struct LineMaker {
    /// Length of `,"iss":<iss>,"exp":<exp>}`, the payload's tail.
    payload_tail: usize,
    /// `,"exp":<exp>,"token":"`.
    middle: Vec<u8>,
}

impl LineMaker {
    fn new(iss: &str, exp: u64) -> Self {
        let iss_json = serde_json::to_string(iss).expect("a str serializes");
        let payload_tail = format!(",\"iss\":{iss_json},\"exp\":{exp}}}").len();
        LineMaker {
            payload_tail,
            middle: format!(",\"exp\":{exp},\"token\":\"").into_bytes(),
        }
    }

    /// Appends the line for the payload JSON `payload` and `token` to `line`.
    fn push(&self, payload: &[u8], token: &str, line: &mut Vec<u8>) {
        line.extend_from_slice(&payload[..payload.len() - self.payload_tail]);
        line.extend_from_slice(&self.middle);
        line.extend_from_slice(token.as_bytes());
        line.extend_from_slice(b"\"}\n");
    }
}

/// Why a row was refused.
fn check<'a>(record: &Row<'a>) -> Result<(&'a str, &'a str), String> {
    if let Some(problem) = record.problem {
        return Err(problem.to_string());
    }
    if record.len() < 2 {
        return Err(format!(
            "expected 2 columns (user_id,user_name), found {}",
            record.len()
        ));
    }
    if record.len() > 2 {
        return Err(format!(
            "expected 2 columns (user_id,user_name), found {}; quote a name that holds a comma",
            record.len()
        ));
    }
    let text = |i: usize, what: &str| {
        std::str::from_utf8(record.field(i)).map_err(|_| format!("the {what} is not valid UTF-8"))
    };
    let (sub, name) = (text(0, "user id")?, text(1, "user name")?);
    if sub.trim().is_empty() {
        return Err("the user id is empty".into());
    }
    if name.trim().is_empty() {
        return Err("the user name is empty".into());
    }
    Ok((sub, name))
}

/// What a batch signs with.
pub struct Batch<'a> {
    /// Prepared once for the whole run.
    pub signer: &'a Signer,
    /// The issuer id.
    pub iss: &'a str,
    /// The expiry of every token.
    pub exp: u64,
    /// Report bad rows and go on.
    pub skip_invalid: bool,
    /// The current time, for the summary line.
    pub now: u64,
}

/// Signs every row of `input` (named `source` in messages), writing JSON lines to `out` and the
/// summary or skipped rows to `err`.
pub fn run(
    batch: &Batch,
    input: &mut dyn Read,
    source: &str,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<(), Failure> {
    let Batch {
        signer,
        iss,
        exp,
        skip_invalid,
        now,
    } = *batch;
    let mut rows = Rows::new(BufReader::with_capacity(1 << 16, input));
    let (mut scratch, mut token, mut line) = (Vec::new(), String::new(), Vec::new());
    let (mut issued, mut skipped) = (0u64, 0u64);
    let mut first = true;
    let maker = LineMaker::new(iss, exp);
    let mut out = BufWriter::with_capacity(1 << 16, out);
    loop {
        let record = match rows.next_row() {
            Ok(Some(record)) => record,
            Ok(None) => break,
            Err(e) => {
                out.flush()?;
                // Like a bad row's: `guests.csv line 7: …`.
                return Err(Failure::usage(match e {
                    ReadError::UnterminatedQuote { .. } => format!(
                        "{source} {e} (the rest of the input would be one field, so --skip-invalid does not go on)"
                    ),
                    ReadError::Io(_) => format!("{source}: {e}"),
                }));
            }
        };
        let line_no = record.line;
        if std::mem::take(&mut first)
            && record.problem.is_none()
            && record.len() == 2
            && record.field(0) == b"user_id"
            && record.field(1) == b"user_name"
        {
            continue;
        }
        let (sub, name) = match check(&record) {
            Ok(row) => row,
            Err(reason) if skip_invalid => {
                skipped += 1;
                writeln!(err, "{source} line {line_no}: {reason}; skipped")?;
                continue;
            }
            Err(reason) => {
                out.flush()?;
                return Err(Failure::usage(format!(
                    "{source} line {line_no}: {reason} (use --skip-invalid to go on past bad rows)"
                )));
            }
        };
        token.clear();
        signer.sign_into(
            &GuestClaims {
                sub,
                name,
                iss,
                exp,
            },
            &mut scratch,
            &mut token,
        );
        line.clear();
        maker.push(&scratch, &token, &mut line);
        out.write_all(&line)?;
        issued += 1;
    }
    out.flush()?;
    drop(out);
    let skipped = if skipped > 0 {
        format!(
            ", skipped {skipped} invalid row{}",
            if skipped == 1 { "" } else { "s" }
        )
    } else {
        String::new()
    };
    writeln!(
        err,
        "issued {issued} guest {}{skipped}, valid {}, until {}",
        if issued == 1 { "token" } else { "tokens" },
        human_duration(exp.saturating_sub(now)),
        rfc3339(exp)
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use guestissuer_core::{GuestClaims, IssuerSecret, Signer};
    use serde::Serialize;

    use super::LineMaker;

    #[derive(Serialize)]
    struct Line<'a> {
        sub: &'a str,
        name: &'a str,
        exp: u64,
        token: &'a str,
    }

    #[test]
    fn lines_equal_what_serde_json_writes() {
        let signer = Signer::new(&IssuerSecret::from_base64("c2VjcmV0").unwrap());
        let names = [
            "Ann",
            "ends with \\",
            "q\"uote",
            "中文 🎉",
            "tab\tnl\n\u{1}\u{7f}",
            "\",\"iss\":\"x",
        ];
        for iss in ["iss", "we\"ird\\iss", ""] {
            for exp in [1, 1_795_840_000, crate::input::DEFAULT_DELAY] {
                let maker = LineMaker::new(iss, exp);
                for name in names {
                    let (mut scratch, mut token, mut line) =
                        (Vec::new(), String::new(), Vec::new());
                    signer.sign_into(
                        &GuestClaims {
                            sub: name,
                            name,
                            iss,
                            exp,
                        },
                        &mut scratch,
                        &mut token,
                    );
                    maker.push(&scratch, &token, &mut line);
                    let mut expected = serde_json::to_vec(&Line {
                        sub: name,
                        name,
                        exp,
                        token: &token,
                    })
                    .unwrap();
                    expected.push(b'\n');
                    assert_eq!(
                        String::from_utf8(line).unwrap(),
                        String::from_utf8(expected).unwrap()
                    );
                }
            }
        }
    }
}

/// `create --batch` gives every row exactly the token `Signer::sign` gives its claims, for
/// arbitrary ids and names written as CSV in any of the ways RFC 4180 allows.
#[cfg(test)]
mod properties {
    use guestissuer_core::{GuestClaims, IssuerSecret, Signer, MAX_EXP};
    use proptest::prelude::*;

    use crate::testing::{run, ISSUER, NOW, SECRET};

    /// Any Unicode text that is not blank (a blank id or name is refused, by design).
    fn word() -> impl Strategy<Value = String> {
        prop::collection::vec(any::<char>(), 1..16)
            .prop_map(String::from_iter)
            .prop_filter("not blank", |s| !s.trim().is_empty())
    }

    /// A field as CSV: quoted when it must be (a comma, a quote, a line break, or a byte order
    /// mark at the very start), and sometimes when it need not be.
    fn field(text: &str, quote: bool) -> String {
        let must = text.contains([',', '"', '\n', '\r']) || text.starts_with('\u{feff}');
        if quote || must {
            format!("\"{}\"", text.replace('"', "\"\""))
        } else {
            text.to_string()
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

        #[test]
        fn batch_tokens_are_the_signers(
            rows in prop::collection::vec((word(), word(), any::<bool>(), any::<bool>()), 1..8),
            ending in prop::sample::select(vec!["\n", "\r\n", "\r"]),
            last_ending in any::<bool>(),
            exp in NOW + 1..=MAX_EXP,
        ) {
            // The header row is skipped, by design: it is not a guest.
            prop_assume!(!(rows[0].0 == "user_id" && rows[0].1 == "user_name"));
            let mut csv = String::new();
            for (i, (sub, name, quote_sub, quote_name)) in rows.iter().enumerate() {
                csv.push_str(&field(sub, *quote_sub));
                csv.push(',');
                csv.push_str(&field(name, *quote_name));
                if i + 1 < rows.len() || last_ending {
                    csv.push_str(ending);
                }
            }
            let exp_arg = exp.to_string();
            let out = run(
                &["create", "--batch", "-", "-i", ISSUER, "--expires-at", &exp_arg],
                &[("SECRET", SECRET)],
                &csv,
                None,
            );
            prop_assert_eq!(out.code, 0, "{:?}\n{}", csv, out.err);
            let signer = Signer::new(&IssuerSecret::from_base64(SECRET).unwrap());
            let lines: Vec<&str> = out.out.lines().collect();
            prop_assert_eq!(lines.len(), rows.len(), "{:?}", csv);
            for ((sub, name, ..), line) in rows.iter().zip(lines) {
                let line: serde_json::Value = serde_json::from_str(line).unwrap();
                let token = signer.sign(&GuestClaims { sub, name, iss: ISSUER, exp });
                prop_assert_eq!(
                    line,
                    serde_json::json!({"sub": sub, "name": name, "exp": exp, "token": token})
                );
            }
        }
    }
}
