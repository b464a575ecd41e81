//! Unix times: the one checked expiry computation, and formatting for human messages. Pure
//! functions: the caller supplies every time.

use crate::{Error, MAX_EXP};

/// The expiry `lifetime` seconds after `now` (both Unix seconds): every expiry guestissuer
/// computes (a guest token's `exp`, when an access or refresh token runs out) comes from here.
/// Errors with [`Error::ExpiryTooLate`] past [`MAX_EXP`] (9999-12-31T23:59:59Z), overflow
/// included.
///
/// ```
/// use guestissuer_core::{time::expiry, Error};
/// assert_eq!(expiry(1_800_000_000, 60), Ok(1_800_000_060));
/// assert_eq!(expiry(u64::MAX, 60), Err(Error::ExpiryTooLate));
/// ```
pub fn expiry(now: u64, lifetime: u64) -> Result<u64, Error> {
    now.checked_add(lifetime)
        .filter(|exp| *exp <= MAX_EXP)
        .ok_or(Error::ExpiryTooLate)
}

/// Formats Unix seconds as an RFC 3339 UTC timestamp, e.g. `2026-11-28T05:03:21Z`.
///
/// Valid up to [`MAX_EXP`] (year 9999); larger values are clamped to it, so callers check
/// first ([`expiry`] does).
///
/// ```
/// assert_eq!(guestissuer_core::time::rfc3339(0), "1970-01-01T00:00:00Z");
/// assert_eq!(guestissuer_core::time::rfc3339(1_795_837_451), "2026-11-28T03:44:11Z");
/// ```
pub fn rfc3339(unix_seconds: u64) -> String {
    let secs = unix_seconds.min(MAX_EXP);
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// Days since 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's `civil_from_days`).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

/// Formats a duration in seconds with its two largest units, e.g. `1h29m`, `3m`, `2d4h`, `45s`.
///
/// ```
/// use guestissuer_core::time::human_duration;
/// assert_eq!(human_duration(5340), "1h29m");
/// assert_eq!(human_duration(180), "3m");
/// assert_eq!(human_duration(0), "0s");
/// ```
pub fn human_duration(seconds: u64) -> String {
    const UNITS: [(u64, &str); 4] = [(86_400, "d"), (3600, "h"), (60, "m"), (1, "s")];
    let Some(first) = UNITS.iter().position(|(n, _)| seconds >= *n) else {
        return "0s".into();
    };
    let (n, unit) = UNITS[first];
    let mut out = format!("{}{unit}", seconds / n);
    if let Some(&(n2, unit2)) = UNITS.get(first + 1) {
        let rest = seconds % n / n2;
        if rest > 0 {
            out.push_str(&format!("{rest}{unit2}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3339_known_dates() {
        assert_eq!(rfc3339(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(rfc3339(1_709_208_000), "2024-02-29T12:00:00Z");
        assert_eq!(rfc3339(4_102_444_799), "2099-12-31T23:59:59Z");
        assert_eq!(rfc3339(MAX_EXP), "9999-12-31T23:59:59Z");
        assert_eq!(rfc3339(u64::MAX), "9999-12-31T23:59:59Z");
    }

    #[test]
    fn durations() {
        let cases = [
            (1, "1s"),
            (59, "59s"),
            (60, "1m"),
            (90, "1m30s"),
            (3600, "1h"),
            (5400, "1h30m"),
            (3601, "1h"),
            (86_400 * 2 + 3600 * 4 + 5, "2d4h"),
            (21_599, "5h59m"),
        ];
        for (secs, text) in cases {
            assert_eq!(human_duration(secs), text, "{secs}");
        }
    }
}
