//! `glob(pattern, text)` (the `DEBUG` namespace patterns) against the textbook dynamic-programming
//! matcher, and `Log::enabled` for a one-pattern `DEBUG` against the same.
//!
//! Input: UTF-8 (lossy) `pattern`, a line break, `text`; at most 48 and 160 characters, so the
//! reference (quadratic) stays fast.

#![no_main]

use guestissuer::{glob, Log};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let input = String::from_utf8_lossy(data);
    let (pattern, text) = input.split_once('\n').unwrap_or((&input, ""));
    let pattern: String = pattern.chars().take(48).collect();
    let text: String = text.chars().take(160).collect();
    let expected = reference(&pattern, &text);
    assert_eq!(glob(&pattern, &text), expected, "{pattern:?} {text:?}");
    if !pattern.is_empty() && !pattern.contains([',', ' ']) {
        match pattern.strip_prefix('-') {
            // An exclusion alone enables nothing, and with -v everything it does not exclude.
            Some(excluded) => {
                assert!(!Log::new(false, Some(&pattern)).enabled(&text));
                assert_eq!(
                    Log::new(true, Some(&pattern)).enabled(&text),
                    !reference(excluded, &text)
                );
            }
            None => assert_eq!(Log::new(false, Some(&pattern)).enabled(&text), expected),
        }
    }
});

/// `*` matches any run of characters, anything else itself: `m[i][j]` is whether the first `i`
/// characters of the pattern match the first `j` of the text.
fn reference(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    let mut m = vec![vec![false; t.len() + 1]; p.len() + 1];
    m[0][0] = true;
    for i in 1..=p.len() {
        m[i][0] = m[i - 1][0] && p[i - 1] == '*';
        for j in 1..=t.len() {
            m[i][j] = if p[i - 1] == '*' {
                m[i - 1][j] || m[i][j - 1]
            } else {
                m[i - 1][j - 1] && p[i - 1] == t[j - 1]
            };
        }
    }
    m[p.len()][t.len()]
}
