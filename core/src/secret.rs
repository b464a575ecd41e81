use std::fmt;

use base64::alphabet;
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig};
use base64::engine::DecodePaddingMode;
use base64::{DecodeError, Engine};

use crate::error::SecretProblem;
use crate::Error;

/// Lenient like Node's `Buffer.from(s, 'base64')` where it is safe: padding optional, non-zero
/// trailing bits accepted. Invalid characters are refused rather than skipped.
const CONFIG: GeneralPurposeConfig = GeneralPurposeConfig::new()
    .with_decode_padding_mode(DecodePaddingMode::Indifferent)
    .with_decode_allow_trailing_bits(true);
const STANDARD: GeneralPurpose = GeneralPurpose::new(&alphabet::STANDARD, CONFIG);
const URL_SAFE: GeneralPurpose = GeneralPurpose::new(&alphabet::URL_SAFE, CONFIG);

/// A Guest Issuer secret: the HMAC-SHA256 key, held as the *decoded* bytes of the base64 text
/// Webex shows.
///
/// `Debug` prints `IssuerSecret([redacted])`; there is no `Display`. The bytes are reached only
/// through [`IssuerSecret::expose_bytes`].
#[derive(Clone)]
pub struct IssuerSecret(Vec<u8>);

impl IssuerSecret {
    /// Decodes the secret from base64 text in the standard (`+/`) or URL-safe (`-_`) alphabet,
    /// padded or not; surrounding whitespace is ignored.
    ///
    /// Errors: [`Error::SecretEmpty`] for empty input, [`Error::SecretNotBase64`] otherwise; the
    /// error never quotes the secret.
    ///
    /// ```
    /// let secret = guestissuer_core::IssuerSecret::from_base64(" c2VjcmV0 ").unwrap();
    /// assert_eq!(secret.expose_bytes(), b"secret");
    /// assert_eq!(format!("{secret:?}"), "IssuerSecret([redacted])");
    /// ```
    pub fn from_base64(text: &str) -> Result<Self, Error> {
        let text = text.trim();
        if text.is_empty() {
            return Err(Error::SecretEmpty);
        }
        let url_safe = text.contains(['-', '_']);
        if url_safe && text.contains(['+', '/']) {
            return Err(Error::SecretNotBase64(SecretProblem::MixedAlphabets));
        }
        let engine = if url_safe { &URL_SAFE } else { &STANDARD };
        let bytes = engine
            .decode(text)
            .map_err(|e| Error::SecretNotBase64(describe(e, text.chars().count())))?;
        if bytes.is_empty() {
            return Err(Error::SecretEmpty);
        }
        Ok(IssuerSecret(bytes))
    }

    /// The decoded key bytes. Named so that every use of the raw secret is easy to find.
    pub fn expose_bytes(&self) -> &[u8] {
        &self.0
    }
}

/// Describes a decode error by position only: `DecodeError`'s own `Display` quotes the offending
/// byte, which is a piece of the secret.
fn describe(e: DecodeError, length: usize) -> SecretProblem {
    match e {
        DecodeError::InvalidByte(offset, b'=') => SecretProblem::MisplacedPadding {
            position: offset + 1,
        },
        DecodeError::InvalidByte(offset, _) => SecretProblem::InvalidCharacter {
            position: offset + 1,
        },
        DecodeError::InvalidLength(_) => SecretProblem::InvalidLength { length },
        DecodeError::InvalidLastSymbol(offset, _) => SecretProblem::InvalidLastCharacter {
            position: offset + 1,
        },
        DecodeError::InvalidPadding => SecretProblem::WrongPadding,
    }
}

impl fmt::Debug for IssuerSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("IssuerSecret([redacted])")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_both_alphabets_padded_or_not() {
        let bytes = [0xfb, 0xff, 0xbf, 0x01];
        for text in ["+/+/AQ==", "+/+/AQ", "-_-_AQ==", "-_-_AQ", "\n +/+/AQ==\t"] {
            assert_eq!(
                IssuerSecret::from_base64(text).unwrap().expose_bytes(),
                bytes,
                "{text}"
            );
        }
    }

    #[test]
    fn accepts_non_zero_trailing_bits_like_node() {
        assert_eq!(
            IssuerSecret::from_base64("AR==").unwrap().expose_bytes(),
            [1]
        );
    }

    #[test]
    fn problems_are_typed() {
        assert_eq!(
            IssuerSecret::from_base64("abc$defg").unwrap_err(),
            Error::SecretNotBase64(SecretProblem::InvalidCharacter { position: 4 })
        );
        assert_eq!(
            IssuerSecret::from_base64("abcde").unwrap_err(),
            Error::SecretNotBase64(SecretProblem::InvalidLength { length: 5 })
        );
    }

    #[test]
    fn refuses_empty_and_invalid_without_quoting() {
        assert_eq!(
            IssuerSecret::from_base64("").unwrap_err(),
            Error::SecretEmpty
        );
        assert_eq!(
            IssuerSecret::from_base64("  \n").unwrap_err(),
            Error::SecretEmpty
        );
        let cases = [
            ("abc$defg", "invalid character at position 4"),
            (
                "abcde",
                "5 characters cannot be base64 (one too many or missing)",
            ),
            ("ab=cdefg", "misplaced padding '=' at position 3"),
            (
                "ab+d-fgh",
                "it mixes the standard (+/) and URL-safe (-_) alphabets",
            ),
            ("abc===", "misplaced padding '=' at position 4"),
            ("==", "misplaced padding '=' at position 1"),
        ];
        for (input, reason) in cases {
            let err = IssuerSecret::from_base64(input).unwrap_err();
            assert_eq!(
                err.to_string(),
                format!("the issuer secret is not valid base64: {reason}"),
                "{input}"
            );
            assert!(!err.to_string().contains(input));
        }
    }

    #[test]
    fn debug_is_redacted() {
        let s = IssuerSecret::from_base64("c2VjcmV0").unwrap();
        assert_eq!(format!("{s:?}"), "IssuerSecret([redacted])");
        assert_eq!(format!("{s:#?}"), "IssuerSecret([redacted])");
    }
}
