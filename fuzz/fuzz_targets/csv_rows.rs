//! `rows::Rows` over arbitrary bytes, through a `BufReader` of a small fuzzed capacity so that rows
//! straddle reads.
//!
//! Input: one byte for the capacity (1 to 32), one for inflation (0xff repeats the middle byte
//! of the CSV past `MAX_ROW`, to reach the long-row path), then the CSV. Checks: no panic; reading
//! ends (at most one row per input byte, and `Ok(None)` stays `Ok(None)`); a row's fields together
//! hold at most `MAX_ROW` bytes, and are at most `MAX_ROW + 1` (memory stays flat); line numbers
//! increase and stay within the input's line count; the rows are the same whatever the capacity;
//! every good row (of the first 64), written back as quoted CSV, reads back the same.

#![no_main]

use std::io::BufReader;

use guestissuer::rows::{RowProblem, Rows, MAX_ROW};
use libfuzzer_sys::fuzz_target;

/// A row as seen: its line, its fields, its problem.
type Seen = (u64, Vec<Vec<u8>>, Option<RowProblem>);

fuzz_target!(|data: &[u8]| {
    let [capacity, inflate, csv @ ..] = data else {
        return;
    };
    let capacity = 1 + usize::from(*capacity) % 32;
    let csv = if *inflate == 0xff && !csv.is_empty() {
        // One row past MAX_ROW: the middle byte repeated, a comma (many fields), a quote or a
        // letter as the fuzzer chooses.
        let mid = csv.len() / 2;
        let mut long = csv[..mid].to_vec();
        long.resize(mid + MAX_ROW + 2, csv[mid]);
        long.extend_from_slice(&csv[mid..]);
        long
    } else {
        csv.to_vec()
    };
    let (rows, error) = read(&csv, capacity);
    let whole = read(&csv, csv.len() + 8);
    assert_eq!(
        (&rows, &error),
        (&whole.0, &whole.1),
        "capacity {capacity} changes the rows"
    );

    let breaks = csv.iter().filter(|&&b| b == b'\n' || b == b'\r').count() as u64;
    let mut last = 0;
    for (n, (line, fields, problem)) in rows.iter().enumerate() {
        assert!(
            *line > last && *line <= breaks + 1,
            "line {line} after {last}"
        );
        last = *line;
        assert!(!fields.is_empty());
        // The first rows are enough: an inflated input has thousands, alike.
        if problem.is_none() && n < 64 {
            let mut again = Vec::new();
            for (i, field) in fields.iter().enumerate() {
                if i > 0 {
                    again.push(b',');
                }
                again.push(b'"');
                for &b in field {
                    if b == b'"' {
                        again.push(b'"');
                    }
                    again.push(b);
                }
                again.push(b'"');
            }
            again.push(b'\n');
            let (back, error) = read(&again, capacity);
            assert_eq!(error, None);
            assert_eq!(back.len(), 1);
            assert_eq!(
                (&back[0].1, back[0].2),
                (fields, None),
                "quoted again: {again:?}"
            );
        }
    }
});

fn read(input: &[u8], capacity: usize) -> (Vec<Seen>, Option<String>) {
    let mut rows = Rows::new(BufReader::with_capacity(capacity, input));
    let mut seen = Vec::new();
    for _ in 0..=input.len() + 1 {
        match rows.next_row() {
            Ok(Some(row)) => {
                let fields: Vec<Vec<u8>> = (0..row.len()).map(|i| row.field(i).to_vec()).collect();
                let size: usize = fields.iter().map(Vec::len).sum();
                assert!(size <= MAX_ROW, "a row keeps {size} bytes");
                // Memory stays flat: at most as many fields as MAX_ROW bytes can hold.
                assert!(
                    fields.len() <= MAX_ROW + 1,
                    "a row keeps {} fields",
                    fields.len()
                );
                seen.push((row.line, fields, row.problem));
            }
            Ok(None) => {
                assert!(matches!(rows.next_row(), Ok(None)), "the end stays the end");
                return (seen, None);
            }
            Err(e) => return (seen, Some(e.to_string())),
        }
    }
    panic!("more rows than input bytes: reading does not end");
}
