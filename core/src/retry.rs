//! Retry decisions as pure functions: the caller says what happened and how much time is left,
//! and carries out the decision (waits, then sends again).

use std::time::{Duration, UNIX_EPOCH};

use http::{HeaderMap, StatusCode};

/// At most this many attempts of one request.
pub const MAX_ATTEMPTS: u32 = 3;

/// Base of the exponential backoff for 502/503/504 without `Retry-After`: 250 ms, then 500 ms.
pub const BACKOFF_BASE: Duration = Duration::from_millis(250);

/// What to do after an answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// Hand the answer to the endpoint's parser (success, a final error, or no retry left).
    Done,
    /// Wait this long, then send the same request again.
    RetryAfter(Duration),
}

/// Decides whether to retry after attempt number `attempt` (1-based) got `status`.
///
/// 429 waits for `Retry-After` (seconds or an HTTP date, read against `now`, Unix seconds), or
/// backs off without one; 502, 503 and 504 back off exponentially (honouring `Retry-After` when
/// present). Never more than [`MAX_ATTEMPTS`] attempts, and never a wait that would end past
/// `remaining`, the time left before the command's overall timeout.
pub fn decide(
    attempt: u32,
    status: StatusCode,
    headers: &HeaderMap,
    now: u64,
    remaining: Duration,
) -> Decision {
    if attempt >= MAX_ATTEMPTS {
        return Decision::Done;
    }
    let backoff = BACKOFF_BASE * 2u32.saturating_pow(attempt.saturating_sub(1));
    let wait = match status.as_u16() {
        429 | 502..=504 => retry_after(headers, now).unwrap_or(backoff),
        _ => return Decision::Done,
    };
    if wait >= remaining {
        return Decision::Done;
    }
    Decision::RetryAfter(wait)
}

/// Reads `Retry-After` as delay-seconds or an HTTP date (relative to `now`, Unix seconds). A date
/// in the past means "now": zero.
pub fn retry_after(headers: &HeaderMap, now: u64) -> Option<Duration> {
    let value = headers
        .get(http::header::RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let at = httpdate::parse_http_date(value).ok()?;
    let now = UNIX_EPOCH + Duration::from_secs(now);
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(retry_after: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(http::header::RETRY_AFTER, retry_after.parse().unwrap());
        h
    }

    const MINUTE: Duration = Duration::from_secs(60);
    const NOW: u64 = 1_795_836_800; // Sat, 28 Nov 2026 03:33:20 GMT

    #[test]
    fn too_many_requests_waits_for_retry_after() {
        let s = StatusCode::TOO_MANY_REQUESTS;
        assert_eq!(
            decide(1, s, &headers("2"), NOW, MINUTE),
            Decision::RetryAfter(Duration::from_secs(2))
        );
        let date = headers("Sat, 28 Nov 2026 03:33:27 GMT");
        assert_eq!(
            decide(1, s, &date, NOW, MINUTE),
            Decision::RetryAfter(Duration::from_secs(7))
        );
        let past = headers("Sat, 28 Nov 2026 03:00:00 GMT");
        assert_eq!(
            decide(2, s, &past, NOW, MINUTE),
            Decision::RetryAfter(Duration::ZERO)
        );
        assert_eq!(
            decide(1, s, &HeaderMap::new(), NOW, MINUTE),
            Decision::RetryAfter(BACKOFF_BASE)
        );
        assert_eq!(
            decide(1, s, &headers("soon"), NOW, MINUTE),
            Decision::RetryAfter(BACKOFF_BASE)
        );
    }

    #[test]
    fn gateway_errors_back_off_exponentially() {
        for status in [502, 503, 504] {
            let s = StatusCode::from_u16(status).unwrap();
            let none = HeaderMap::new();
            assert_eq!(
                decide(1, s, &none, NOW, MINUTE),
                Decision::RetryAfter(Duration::from_millis(250))
            );
            assert_eq!(
                decide(2, s, &none, NOW, MINUTE),
                Decision::RetryAfter(Duration::from_millis(500))
            );
            assert_eq!(decide(3, s, &none, NOW, MINUTE), Decision::Done);
        }
    }

    #[test]
    fn never_past_the_timeout_nor_the_attempt_limit() {
        let s = StatusCode::TOO_MANY_REQUESTS;
        assert_eq!(
            decide(1, s, &headers("30"), NOW, Duration::from_secs(30)),
            Decision::Done
        );
        assert_eq!(
            decide(1, s, &headers("29"), NOW, Duration::from_secs(30)),
            Decision::RetryAfter(Duration::from_secs(29))
        );
        assert_eq!(
            decide(MAX_ATTEMPTS, s, &headers("1"), NOW, MINUTE),
            Decision::Done
        );
    }

    #[test]
    fn other_statuses_are_final() {
        for status in [200, 201, 400, 401, 403, 404, 409, 500, 501] {
            let s = StatusCode::from_u16(status).unwrap();
            assert_eq!(
                decide(1, s, &headers("1"), NOW, MINUTE),
                Decision::Done,
                "{status}"
            );
        }
    }
}
