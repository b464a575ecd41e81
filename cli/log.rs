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

/// `*` matches any run of characters; everything else matches itself.
fn glob(pattern: &str, text: &str) -> bool {
    match pattern.split_once('*') {
        None => pattern == text,
        Some((head, rest)) => {
            let Some(text) = text.strip_prefix(head) else {
                return false;
            };
            (0..=text.len())
                .filter(|i| text.is_char_boundary(*i))
                .any(|i| glob(rest, &text[i..]))
        }
    }
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
}
