//! A strict, bounded, streaming reader of CSV rows (RFC 4180), for `create --batch`.
//!
//! Strict where a lenient reader loses data: a quote still open at the end of the input is an
//! error (it would swallow every row after it), and text after a closing quote (`"ab"c`) or a
//! quote inside an unquoted field (`ab"c`) makes the row bad instead of being glued into the field.
//! Bounded: a row longer than [`MAX_ROW`] is reported bad and skipped without being kept, so
//! memory stays flat whatever the input. Records end at LF, CRLF or a lone CR; blank lines are
//! skipped; a UTF-8 byte order mark at the start is ignored.

use std::fmt;
use std::io::{self, BufRead, Read};

/// The longest row accepted: 64 KiB, generous for a user id and a display name.
pub const MAX_ROW: usize = 64 << 10;

/// Why a row is bad; the rows after it can still be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowProblem {
    /// Text between a closing quote and the next comma or line end.
    TextAfterQuote,
    /// A quote inside a field that does not start with one.
    QuoteInUnquotedField,
    /// More than [`MAX_ROW`] bytes.
    TooLong,
}

impl fmt::Display for RowProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RowProblem::TextAfterQuote => f.write_str(
                "text after a closing quote; a quote inside a quoted field is written twice (\"\")",
            ),
            RowProblem::QuoteInUnquotedField => f.write_str(
                "a quote inside an unquoted field; quote the whole field and write the quote twice (\"\")",
            ),
            RowProblem::TooLong => write!(f, "the row is longer than {} KiB", MAX_ROW >> 10),
        }
    }
}

/// Why reading stopped: nothing after it can be trusted.
#[derive(Debug)]
pub enum ReadError {
    /// The input could not be read.
    Io(io::Error),
    /// A quoted field opened on `line` was still open at the end of the input.
    UnterminatedQuote {
        /// The line where the quote opened.
        line: u64,
    },
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadError::Io(e) => write!(f, "cannot read: {}", crate::input::io_reason(e)),
            ReadError::UnterminatedQuote { line } => write!(
                f,
                "line {line}: a quote opened here is never closed; close it, or write a quote inside a field twice (\"\")"
            ),
        }
    }
}

impl From<io::Error> for ReadError {
    fn from(e: io::Error) -> Self {
        ReadError::Io(e)
    }
}

/// One row: its first line, its fields, or why it is bad.
#[derive(Debug, PartialEq, Eq)]
pub struct Row<'a> {
    /// The line the row starts on, 1-based.
    pub line: u64,
    /// Why the row is bad, if it is; its fields are then incomplete.
    pub problem: Option<RowProblem>,
    data: &'a [u8],
    ends: &'a [usize],
}

impl<'a> Row<'a> {
    /// How many fields.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// Whether the row has no field (never: a row has at least one).
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// Field `i`, unquoted.
    pub fn field(&self, i: usize) -> &'a [u8] {
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        &self.data[start..self.ends[i]]
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum State {
    FieldStart,
    Unquoted,
    Quoted,
    /// A quote inside a quoted field: the end of the field, or the first of two.
    QuoteInQuoted,
}

/// The UTF-8 byte order mark.
const BOM: &[u8] = b"\xef\xbb\xbf";

/// Reads rows from a buffered stream, reusing its buffers from row to row.
pub struct Rows<R> {
    /// The input, after the bytes read while looking for a byte order mark that was not one.
    input: io::Chain<io::Cursor<Vec<u8>>, R>,
    /// The line the next byte is on, 1-based.
    line: u64,
    started: bool,
    /// A CR ended the last row: a LF right after it belongs to it.
    after_cr: bool,
    /// The last row was returned as too long before its end: the rest of it is still to be
    /// skipped, from this state (and the line its open quote, if any, started on).
    unfinished: Option<(State, u64)>,
    data: Vec<u8>,
    ends: Vec<usize>,
}

impl<R: BufRead> Rows<R> {
    /// Rows of `input`.
    pub fn new(input: R) -> Self {
        Rows {
            input: io::Cursor::new(Vec::new()).chain(input),
            line: 1,
            started: false,
            after_cr: false,
            unfinished: None,
            data: Vec::new(),
            ends: Vec::new(),
        }
    }

    /// The next row, `Ok(None)` at the end of the input. A row longer than [`MAX_ROW`] is
    /// returned as soon as it passes the limit, with [`RowProblem::TooLong`] and the fields read
    /// so far; the rest of it is skipped, without being kept, by the next call.
    pub fn next_row(&mut self) -> Result<Option<Row<'_>>, ReadError> {
        if !self.started {
            self.started = true;
            // The mark may come over several reads (a pipe, a small buffer): its bytes are
            // taken while they match, and given back when they turn out not to be one.
            let (given_back, input) = self.input.get_mut();
            let mut seen = Vec::new();
            while seen.len() < BOM.len() {
                let chunk = input.fill_buf()?;
                let want = &BOM[seen.len()..];
                let n = chunk.len().min(want.len());
                if n == 0 || chunk[..n] != want[..n] {
                    break;
                }
                seen.extend_from_slice(&chunk[..n]);
                input.consume(n);
            }
            if seen != BOM {
                *given_back = io::Cursor::new(seen);
            }
        }
        loop {
            self.data.clear();
            self.ends.clear();
            let line = self.line;
            let skipping = self.unfinished.take();
            let (mut state, mut quote_line) = skipping.unwrap_or((State::FieldStart, line));
            let (mut size, mut problem, mut read_any) = (0usize, None, false);
            let ended = loop {
                let chunk = self.input.fill_buf()?;
                if chunk.is_empty() {
                    if state == State::Quoted {
                        return Err(ReadError::UnterminatedQuote { line: quote_line });
                    }
                    break false;
                }
                let (mut used, mut ended) = (0, false);
                while used < chunk.len() {
                    // The common case first: a run of plain bytes inside a field, copied whole.
                    if !self.after_cr && skipping.is_none() && size < MAX_ROW {
                        let rest = &chunk[used..chunk.len().min(used + (MAX_ROW - size))];
                        let run = match state {
                            State::FieldStart | State::Unquoted => rest
                                .iter()
                                .position(|b| matches!(b, b',' | b'\n' | b'\r' | b'"')),
                            State::Quoted => rest.iter().position(|b| matches!(b, b'"' | b'\n')),
                            State::QuoteInQuoted => Some(0),
                        }
                        .unwrap_or(rest.len());
                        if run > 0 {
                            self.data.extend_from_slice(&rest[..run]);
                            if state == State::FieldStart {
                                state = State::Unquoted;
                            }
                            read_any = true;
                            size += run;
                            used += run;
                            continue;
                        }
                    }
                    let byte = chunk[used];
                    used += 1;
                    if std::mem::take(&mut self.after_cr) && byte == b'\n' {
                        continue;
                    }
                    read_any = true;
                    size += 1;
                    if size > MAX_ROW && skipping.is_none() {
                        // Hand the row over now: an endless row must not be read to its end
                        // before the caller can stop.
                        used -= 1;
                        self.unfinished = Some((state, quote_line));
                        // A row already bad (a stray quote) says so; else it is too long.
                        problem.get_or_insert(RowProblem::TooLong);
                        ended = true;
                        break;
                    }
                    // Kept until the row is handed over at the limit; nothing of the rest.
                    let keep = skipping.is_none();
                    match (state, byte) {
                        (State::Quoted, b'"') => state = State::QuoteInQuoted,
                        (State::Quoted, _) => {
                            if byte == b'\n' {
                                self.line += 1;
                            }
                            if keep {
                                self.data.push(byte);
                            }
                        }
                        (State::QuoteInQuoted, b'"') => {
                            state = State::Quoted;
                            if keep {
                                self.data.push(b'"');
                            }
                        }
                        (_, b',') => {
                            if keep {
                                self.ends.push(self.data.len());
                            }
                            state = State::FieldStart;
                        }
                        (_, b'\n' | b'\r') => {
                            self.line += 1;
                            self.after_cr = byte == b'\r';
                            ended = true;
                            break;
                        }
                        (State::FieldStart, b'"') => {
                            state = State::Quoted;
                            quote_line = self.line;
                        }
                        (State::QuoteInQuoted, _) => {
                            problem.get_or_insert(RowProblem::TextAfterQuote);
                            state = State::Unquoted;
                        }
                        (State::Unquoted, b'"') => {
                            problem.get_or_insert(RowProblem::QuoteInUnquotedField);
                        }
                        (State::FieldStart | State::Unquoted, _) => {
                            state = State::Unquoted;
                            if keep {
                                self.data.push(byte);
                            }
                        }
                    }
                }
                self.input.consume(used);
                if ended {
                    break true;
                }
            };
            let blank = size == 1 && ended || !read_any;
            if !read_any && !ended {
                return Ok(None);
            }
            if blank || skipping.is_some() {
                continue;
            }
            self.ends.push(self.data.len());
            return Ok(Some(Row {
                line,
                problem,
                data: &self.data,
                ends: &self.ends,
            }));
        }
    }
}

#[cfg(test)]
mod tests {
    use std::io::Read;

    use super::*;

    /// A row as the tests see it: its line, its fields as text, its problem.
    type Seen = (u64, Vec<String>, Option<RowProblem>);

    /// Every row, and the error that stopped the reading.
    fn read(input: &[u8]) -> (Vec<Seen>, Option<String>) {
        // A tiny buffer, so that rows straddle the reads.
        let mut rows = Rows::new(io::BufReader::with_capacity(3, input));
        let mut out = Vec::new();
        loop {
            match rows.next_row() {
                Ok(Some(row)) => {
                    let fields = (0..row.len())
                        .map(|i| String::from_utf8_lossy(row.field(i)).into_owned())
                        .collect();
                    out.push((row.line, fields, row.problem));
                }
                Ok(None) => return (out, None),
                Err(e) => return (out, Some(e.to_string())),
            }
        }
    }

    fn fields(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn rfc_4180_rows() {
        let (rows, err) = read(
            b"\xef\xbb\xbfid,name\r\n1,\"Doe, John \"\"JD\"\"\"\n\n2,\"two\nlines\"\r3,\r\n\"\",x",
        );
        assert_eq!(err, None);
        assert_eq!(
            rows,
            vec![
                (1, fields(&["id", "name"]), None),
                (2, fields(&["1", "Doe, John \"JD\""]), None),
                (4, fields(&["2", "two\nlines"]), None),
                (6, fields(&["3", ""]), None),
                (7, fields(&["", "x"]), None),
            ]
        );
    }

    #[test]
    fn an_open_quote_at_the_end_stops_the_reading_at_its_line() {
        let (rows, err) = read(b"0,ok\n1,\"abc\n2,b\n");
        assert_eq!(rows, vec![(1, fields(&["0", "ok"]), None)]);
        assert_eq!(
            err.unwrap(),
            "line 2: a quote opened here is never closed; close it, or write a quote inside a field twice (\"\")"
        );
    }

    #[test]
    fn stray_quotes_make_a_row_bad_and_the_next_one_is_read() {
        let (rows, err) = read(b"1,\"ab\"c\n2,ab\"c\n3,ok\n");
        assert_eq!(err, None);
        assert_eq!(rows[0].2, Some(RowProblem::TextAfterQuote));
        assert_eq!(rows[1].2, Some(RowProblem::QuoteInUnquotedField));
        assert_eq!(rows[2], (3, fields(&["3", "ok"]), None));
    }

    #[test]
    fn an_endless_row_is_handed_over_at_the_limit() {
        let endless = std::io::repeat(0).take(u64::MAX);
        let mut rows = Rows::new(io::BufReader::new(endless));
        let row = rows.next_row().unwrap().unwrap();
        assert_eq!((row.line, row.problem), (1, Some(RowProblem::TooLong)));
        assert_eq!(row.field(0).len(), MAX_ROW);
    }

    #[test]
    fn a_long_row_is_bad_and_not_kept() {
        let mut input = b"1,".to_vec();
        input.extend(vec![b'x'; 3 * MAX_ROW]);
        input.extend_from_slice(b"\n2,\"");
        input.extend(vec![b'y'; 2 * MAX_ROW]);
        input.extend_from_slice(b"\"\n3,ok\n");
        let mut rows = Rows::new(io::BufReader::new(&input[..]));
        for line in [1, 2] {
            let row = rows.next_row().unwrap().unwrap();
            assert_eq!((row.line, row.problem), (line, Some(RowProblem::TooLong)));
            assert!(row.field(1).len() < MAX_ROW);
        }
        assert!(rows.data.capacity() <= 2 * MAX_ROW);
        let row = rows.next_row().unwrap().unwrap();
        assert_eq!((row.line, row.field(1)), (3, &b"ok"[..]));
        assert!(rows.next_row().unwrap().is_none());
    }

    /// Found by `fuzz/` (target `csv_rows`): with fewer than 3 bytes in the first read (a
    /// buffer of 1 or 2 bytes, or a pipe delivering the mark in pieces) the byte order mark was
    /// kept in the first field, so a header row `user_id,user_name` was signed as a guest.
    #[test]
    fn a_byte_order_mark_split_over_reads_is_ignored() {
        /// Gives one byte per read, as a slow pipe may.
        struct Trickle<'a>(&'a [u8]);
        impl Read for Trickle<'_> {
            fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
                let n = self.0.len().min(buf.len()).min(1);
                buf[..n].copy_from_slice(&self.0[..n]);
                self.0 = &self.0[n..];
                Ok(n)
            }
        }
        let csv = b"\xef\xbb\xbfuser_id,user_name\n1,Ann\n";
        let expected = vec![
            (1, fields(&["user_id", "user_name"]), None),
            (2, fields(&["1", "Ann"]), None),
        ];
        for capacity in [1, 2, 3, 64] {
            let mut rows = Rows::new(io::BufReader::with_capacity(capacity, Trickle(csv)));
            let mut seen = Vec::new();
            while let Some(row) = rows.next_row().unwrap() {
                let fields = (0..row.len())
                    .map(|i| String::from_utf8_lossy(row.field(i)).into_owned())
                    .collect();
                seen.push((row.line, fields, row.problem));
            }
            assert_eq!(seen, expected, "capacity {capacity}");
        }
        // The start of a mark that is not one is kept, whole.
        for capacity in [1, 2, 3, 64] {
            let mut rows = Rows::new(io::BufReader::with_capacity(
                capacity,
                Trickle(b"\xef\xbbx,y\n"),
            ));
            let row = rows.next_row().unwrap().unwrap();
            assert_eq!(row.field(0), b"\xef\xbbx", "capacity {capacity}");
        }
    }

    /// Found by `fuzz/` (target `csv_rows`): the commas of a row past `MAX_ROW` were still
    /// kept as field ends, 8 bytes each, so a long line of commas took memory without bound.
    #[test]
    fn a_long_row_of_commas_is_not_kept() {
        let mut input = vec![b','; 3 * MAX_ROW];
        input.extend_from_slice(b"\n1,ok\n");
        let mut rows = Rows::new(io::BufReader::new(&input[..]));
        let row = rows.next_row().unwrap().unwrap();
        assert_eq!((row.line, row.problem), (1, Some(RowProblem::TooLong)));
        assert!(row.len() <= MAX_ROW + 1, "{} fields kept", row.len());
        assert!(rows.ends.capacity() <= 2 * (MAX_ROW + 1));
        let row = rows.next_row().unwrap().unwrap();
        assert_eq!((row.line, row.field(1)), (2, &b"ok"[..]));
    }

    /// Found by `fuzz/` (target `csv_rows`): a row with a stray quote before `MAX_ROW` kept
    /// reporting that problem, and so kept every byte after `MAX_ROW` too, without bound.
    #[test]
    fn a_bad_row_past_max_row_is_not_kept_either() {
        for (start, problem) in [
            (&b"1,a\"b"[..], RowProblem::QuoteInUnquotedField),
            (&b"1,\"a\"b"[..], RowProblem::TextAfterQuote),
        ] {
            let mut input = start.to_vec();
            input.extend(vec![b'x'; 3 * MAX_ROW]);
            input.extend_from_slice(b"\n2,ok\n");
            let mut rows = Rows::new(io::BufReader::new(&input[..]));
            let row = rows.next_row().unwrap().unwrap();
            assert_eq!((row.line, row.problem), (1, Some(problem)));
            let kept: usize = (0..row.len()).map(|i| row.field(i).len()).sum();
            assert!(kept <= MAX_ROW, "{kept} bytes kept");
            assert!(rows.data.capacity() <= 2 * MAX_ROW);
            let row = rows.next_row().unwrap().unwrap();
            assert_eq!((row.line, row.field(1)), (2, &b"ok"[..]));
        }
    }

    #[test]
    fn empty_input_and_blank_lines() {
        assert_eq!(read(b""), (vec![], None));
        assert_eq!(read(b"\n\r\n\n"), (vec![], None));
        assert_eq!(read(b"a"), (vec![(1, fields(&["a"]), None)], None));
    }
}
