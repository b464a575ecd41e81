//! The Service App credentials file on disk: read only when no one else may read it, written
//! with mode 0600 from the first byte and replaced atomically, and refreshed under a lock so that
//! processes sharing it never lose the pair when Webex rotates refresh tokens.

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

use guestissuer_core::service_app::Credentials;
use guestissuer_core::AccessToken;
use guestissuer_transport::flows;

use crate::input::{io_reason, read_limited, MAX_SMALL_INPUT};
use crate::net::Net;
use crate::{Context, Failure};

/// What a token file holds: a token, or a credentials file (told apart by content).
pub enum TokenFile {
    /// A plain token.
    Token(AccessToken),
    /// A Service App credentials file.
    Credentials(Box<Credentials>),
}

/// Reads a token file: a plain token, or a credentials file (checked for its mode first).
pub fn read_token_file(path: &Path) -> Result<TokenFile, Failure> {
    let text = read(path, "the token file")?;
    match Credentials::parse(&text) {
        Ok(Some(credentials)) => Ok(TokenFile::Credentials(Box::new(credentials))),
        Ok(None) if text.trim().is_empty() => Err(Failure::usage(format!(
            "the token file {} is empty",
            path.display()
        ))),
        Ok(None) => Ok(TokenFile::Token(AccessToken::new(text))),
        Err(e) => Err(malformed(path, &e)),
    }
}

/// Reads a credentials file.
pub fn load(path: &Path) -> Result<Credentials, Failure> {
    let text = read(path, "the credentials file")?;
    match Credentials::parse(&text) {
        Ok(Some(credentials)) => Ok(credentials),
        Ok(None) => Err(Failure::usage(format!(
            "{} is not a credentials file (it holds a plain token?); make one with 'guestissuer service-app token ... --save {}'",
            path.display(),
            path.display()
        ))),
        Err(e) => Err(malformed(path, &e)),
    }
}

fn malformed(path: &Path, e: &serde_json::Error) -> Failure {
    Failure::usage(format!(
        "the credentials file {} is malformed: {}; make it again with 'guestissuer service-app token ... --save'",
        path.display(),
        without_values(&e.to_string())
    ))
}

/// serde's message with every quoted value replaced by `"…"`: it names fields in backticks, and
/// quotes a value it did not expect (`invalid type: string "…"`), which may be a secret put in
/// the wrong field.
fn without_values(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    for (i, part) in message.split('"').enumerate() {
        match i {
            0 => out.push_str(part),
            i if i % 2 == 1 => out.push_str("\"…\""),
            _ => out.push_str(part),
        }
    }
    out
}

/// Reads `path` up to the small-input limit, after checking that no one but its owner may read
/// or write it when it holds credentials (a plain token file is not checked: that was always
/// the user's business).
fn read(path: &Path, what: &str) -> Result<String, Failure> {
    let mut file = File::open(path).map_err(|e| {
        Failure::usage(format!(
            "cannot read {what} {}: {}",
            path.display(),
            io_reason(&e)
        ))
    })?;
    let text = read_limited(
        &mut file,
        MAX_SMALL_INPUT,
        &format!("{what} {}", path.display()),
    )?;
    if text.trim_start().starts_with('{') {
        check_mode(&file, path)?;
    }
    Ok(text)
}

/// Refuses a credentials file that others can read or write, as ssh does with a private key.
#[cfg(unix)]
fn check_mode(file: &File, path: &Path) -> Result<(), Failure> {
    use std::os::unix::fs::PermissionsExt;
    let mode = file
        .metadata()
        .map_err(|e| Failure::usage(format!("cannot stat {}: {}", path.display(), io_reason(&e))))?
        .permissions()
        .mode();
    if mode & 0o077 != 0 {
        return Err(Failure::usage(format!(
            "permissions {:04o} for the credentials file {} are too open: others can read or change it; run 'chmod 600 {}'",
            mode & 0o777,
            path.display(),
            path.display()
        )));
    }
    Ok(())
}

#[cfg(not(unix))]
fn check_mode(_file: &File, _path: &Path) -> Result<(), Failure> {
    Ok(())
}

/// Writes `credentials` to `path` atomically: a temporary file in the same directory, created
/// with mode 0600 (never readable by others, even for an instant), written, synced, then renamed
/// over `path`, and the directory synced. A crash leaves the old file or the new one.
pub fn save(path: &Path, credentials: &Credentials) -> Result<(), Failure> {
    let failed = |what: &str, e: std::io::Error| {
        Failure::failed(format!(
            "cannot save the credentials to {}: {what}: {}",
            path.display(),
            io_reason(&e)
        ))
    };
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = path.file_name().map_or_else(
        || "credentials".into(),
        |n| n.to_string_lossy().into_owned(),
    );
    let temp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let written = (|| {
        let mut file = options.open(&temp).map_err(|e| failed("create", e))?;
        file.write_all(credentials.to_json().as_bytes())
            .map_err(|e| failed("write", e))?;
        file.sync_all().map_err(|e| failed("sync", e))?;
        std::fs::rename(&temp, path).map_err(|e| failed("rename", e))
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    written?;
    if let Ok(dir) = File::open(&dir) {
        let _ = dir.sync_all();
    }
    Ok(())
}

/// An exclusive advisory lock on `<path>.lock` (a sibling, since the file itself is replaced by
/// rename), held until dropped. Blocks while another process holds it.
pub struct Lock {
    /// The lock file: closing it releases the lock.
    _held: File,
}

impl Lock {
    /// Takes the lock of the credentials file at `path`.
    pub fn take(path: &Path) -> Result<Lock, Failure> {
        let lock_path = {
            let mut name = path.as_os_str().to_owned();
            name.push(".lock");
            PathBuf::from(name)
        };
        let mut options = OpenOptions::new();
        options.read(true).write(true).create(true).truncate(false);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        let file = options.open(&lock_path).map_err(|e| {
            Failure::failed(format!(
                "cannot lock {}: {}",
                lock_path.display(),
                io_reason(&e)
            ))
        })?;
        file.lock().map_err(|e| {
            Failure::failed(format!(
                "cannot lock {}: {}",
                lock_path.display(),
                io_reason(&e)
            ))
        })?;
        Ok(Lock { _held: file })
    }
}

/// The access token of the credentials file at `path`, refreshed first when it expires within
/// five minutes (or `always`): under the file's lock, the file is read again (another process
/// may have refreshed it while this one waited), refreshed if still needed, and replaced. A
/// failed refresh leaves the file as it was.
pub fn fresh_access_token(
    ctx: &mut Context,
    net: &mut Net,
    path: &Path,
    credentials: Credentials,
    always: bool,
) -> Result<(Credentials, bool), Failure> {
    if !always && !credentials.needs_refresh(ctx.now()) {
        return Ok((credentials, false));
    }
    let _lock = Lock::take(path)?;
    let current = load(path)?;
    if !always && !current.needs_refresh(ctx.now()) {
        ctx.debug("guest:service-app", || {
            "another process refreshed the credentials while this one waited".into()
        });
        return Ok((current, false));
    }
    if ctx.now() >= current.refresh_token_expires_at {
        return Err(Failure::failed(format!(
            "the refresh token in {} expired at {}: get a new pair with 'guestissuer service-app token ... --save {}'",
            path.display(),
            guestissuer_core::time::rfc3339(current.refresh_token_expires_at),
            path.display()
        )));
    }
    ctx.debug("guest:service-app", || {
        format!(
            "refreshing access token {} with refresh token {}",
            current.access_token.shortened(),
            current.refresh_token.shortened()
        )
    });
    let api = guestissuer_core::webex::ApiBase::parse(&current.api)
        .map_err(|e| Failure::usage(format!("the credentials file {}: {e}", path.display())))?;
    let refreshed = net.session_at(ctx, &api, |session| flows::refresh(session, &current));
    let (refreshed, _) = refreshed.map_err(|mut failure| {
        failure.message = format!("{}; {} is unchanged", failure.message, path.display());
        failure
    })?;
    save(path, &refreshed)?;
    ctx.debug("guest:service-app", || {
        format!(
            "saved access token {} to {}",
            refreshed.access_token.shortened(),
            path.display()
        )
    });
    Ok((refreshed, true))
}

#[cfg(test)]
mod tests {
    use super::without_values;

    #[test]
    fn errors_never_quote_a_value() {
        let e = serde_json::from_str::<guestissuer_core::service_app::Credentials>(
            r#"{"kind": "guestissuer-service-app-credentials", "version": "s3cr3t-value"}"#,
        )
        .unwrap_err();
        let shown = without_values(&e.to_string());
        assert!(!shown.contains("s3cr3t"), "{shown}");
        assert!(
            shown.starts_with("invalid type: string \"…\", expected u32 at line 1"),
            "{shown}"
        );
        assert_eq!(without_values("unknown field `x`"), "unknown field `x`");
    }
}
