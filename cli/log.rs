/// Debug logging on stderr, enabled by `-v/--verbose` (everything) or by the original tool's
/// `DEBUG` convention: a comma- or space-separated list of namespace patterns where `*` matches
/// anything and a leading `-` excludes, e.g. `DEBUG=guest*` or `DEBUG=guest:login,guest:http`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Log {
    all: bool,
    include: Vec<String>,
    exclude: Vec<String>,
}

impl Log {
    /// Builds the filter from the `-v` flag and the `DEBUG` variable.
    pub fn new(verbose: bool, debug: Option<&str>) -> Self {
        let mut log = Log {
            all: verbose,
            ..Log::default()
        };
        for pattern in debug
            .unwrap_or("")
            .split([',', ' '])
            .filter(|p| !p.is_empty())
        {
            match pattern.strip_prefix('-') {
                Some(p) => log.exclude.push(p.to_string()),
                None => log.include.push(pattern.to_string()),
            }
        }
        log
    }

    /// Whether lines of namespace `ns` (like `guest:login`) are shown.
    pub fn enabled(&self, ns: &str) -> bool {
        if self.exclude.iter().any(|p| glob(p, ns)) {
            return false;
        }
        self.all || self.include.iter().any(|p| glob(p, ns))
    }
}

/// `*` matches any run of characters; everything else matches itself. Linear in the lengths of
/// `pattern` and `text`: the literal pieces between stars are found left to right, each at its
/// first place after the previous one (for a pattern of literals and stars only, the leftmost
/// placement is never worse than another), with the standard library's linear substring search.
pub fn glob(pattern: &str, text: &str) -> bool {
    let mut pieces = pattern.split('*');
    let first = pieces.next().unwrap_or_default();
    let Some(mut rest) = text.strip_prefix(first) else {
        return false;
    };
    let middle_and_last: Vec<&str> = pieces.collect();
    let Some((last, middle)) = middle_and_last.split_last() else {
        return rest.is_empty(); // no star: the whole pattern was the prefix
    };
    for piece in middle.iter().filter(|p| !p.is_empty()) {
        match rest.find(piece) {
            Some(at) => rest = &rest[at + piece.len()..],
            None => return false,
        }
    }
    rest.len() >= last.len() && rest.ends_with(last)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_patterns() {
        let log = Log::new(false, Some("guest*"));
        assert!(log.enabled("guest:login") && log.enabled("guest"));
        let log = Log::new(false, Some("guest:login, -guest:http"));
        assert!(log.enabled("guest:login") && !log.enabled("guest:create"));
        let log = Log::new(true, Some("-guest:http"));
        assert!(log.enabled("guest:create") && !log.enabled("guest:http"));
        assert!(!Log::new(false, None).enabled("guest:create"));
        assert!(Log::new(false, Some("*")).enabled("guest:create"));
        assert!(!Log::new(false, Some("other*")).enabled("guest:create"));
    }

    #[test]
    fn glob_matches_like_the_backtracking_definition() {
        let cases = [
            ("*", "", true),
            ("", "", true),
            ("", "a", false),
            ("guest*", "guest", true),
            ("guest*", "gues", false),
            ("*:login", "guest:login", true),
            ("g*t:*n", "guest:login", true),
            ("g*t:*n", "guest:logi", false),
            ("a*a", "a", false),
            ("a*a", "aa", true),
            ("*a*b*", "xxaxxbxx", true),
            ("*a*b", "xxbxxa", false),
            ("**x", "x", true),
            ("ab*ab", "ab", false),
            ("ab*ab", "abab", true),
            ("guest:http", "guest:http", true),
        ];
        for (pattern, text, expected) in cases {
            assert_eq!(glob(pattern, text), expected, "{pattern:?} {text:?}");
        }
    }

    #[test]
    fn many_stars_cost_nothing() {
        // 10,000 stars and a long name: matched in linear time (a backtracking matcher takes
        // exponential time here).
        let pattern = format!("{}x", "*".repeat(10_000));
        let text = "guest:".repeat(10_000);
        assert!(!glob(&pattern, &text));
        assert!(glob(&pattern, &format!("{text}x")));
    }
}
