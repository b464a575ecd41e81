//! External commands: an executable `guestissuer-<name>` on PATH is the command `<name>`, as
//! `cargo-<name>` is for cargo. Discovery takes its directories as a parameter, so tests point it
//! at temporary directories.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::Failure;

/// The file name prefix of an external command.
pub const PREFIX: &str = "guestissuer-";

/// An external command found on PATH.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plugin {
    /// The command name (the file name without the prefix).
    pub name: String,
    /// Where it is.
    pub path: PathBuf,
}

/// The directories of a PATH value, in order.
pub fn path_dirs(path: Option<&std::ffi::OsStr>) -> Vec<PathBuf> {
    path.map(|p| {
        std::env::split_paths(p)
            .filter(|d| !d.as_os_str().is_empty())
            .collect()
    })
    .unwrap_or_default()
}

/// The first executable `guestissuer-<name>` in `dirs`: one metadata look-up per directory, no
/// directory listing.
pub fn find(dirs: &[PathBuf], name: &str) -> Option<Plugin> {
    if name.is_empty() || name.contains(['/', '\\']) {
        return None;
    }
    dirs.iter()
        .map(|dir| dir.join(format!("{PREFIX}{name}")))
        .find(|path| is_executable(path))
        .map(|path| Plugin {
            name: name.to_string(),
            path,
        })
}

/// A `guestissuer-<name>` in `dirs` that is a file but cannot be executed, for the message that
/// says so.
pub fn not_executable(dirs: &[PathBuf], name: &str) -> Option<PathBuf> {
    if name.is_empty() || name.contains(['/', '\\']) {
        return None;
    }
    dirs.iter()
        .map(|dir| dir.join(format!("{PREFIX}{name}")))
        .find(|path| path.is_file() && !is_executable(path))
}

/// Every external command in `dirs`; for a name found twice, the first in PATH order wins.
pub fn list(dirs: &[PathBuf]) -> Vec<Plugin> {
    let mut found: Vec<Plugin> = Vec::new();
    for dir in dirs {
        let Ok(entries) = std::fs::read_dir(dir) else {
            continue;
        };
        let mut here: Vec<Plugin> = entries
            .filter_map(Result::ok)
            .filter_map(|e| {
                let file = e.file_name().into_string().ok()?;
                let name = file.strip_prefix(PREFIX)?.to_string();
                (!name.is_empty() && is_executable(&e.path())).then(|| Plugin {
                    name,
                    path: e.path(),
                })
            })
            .filter(|p| !found.iter().any(|f| f.name == p.name))
            .collect();
        here.sort_by(|a, b| a.name.cmp(&b.name));
        found.extend(here);
    }
    found.sort_by(|a, b| a.name.cmp(&b.name));
    found
}

#[cfg(unix)]
fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

#[cfg(not(unix))]
fn is_executable(path: &Path) -> bool {
    std::fs::metadata(path).is_ok_and(|m| m.is_file())
}

/// Runs the plugin with `args`, stdin, stdout and stderr inherited, and `extra_env` added to the
/// environment (`GUESTISSUER_BIN` among them). Returns its exit code; a plugin killed by a signal
/// gives 128 + the signal number, as a shell does.
pub fn run(
    plugin: &Plugin,
    args: &[OsString],
    extra_env: &[(&str, OsString)],
) -> Result<u8, Failure> {
    let mut command = Command::new(&plugin.path);
    command.args(args);
    for (k, v) in extra_env {
        command.env(k, v);
    }
    let status = command.status().map_err(|e| {
        Failure::failed(format!(
            "cannot run {}: {}",
            plugin.path.display(),
            crate::input::io_reason(&e)
        ))
    })?;
    if let Some(code) = status.code() {
        return Ok(u8::try_from(code & 0xff).unwrap_or(1));
    }
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        if let Some(signal) = status.signal() {
            return Ok(u8::try_from(128 + signal).unwrap_or(255));
        }
    }
    Ok(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plugin_dir(tag: &str, names: &[(&str, u32)]) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("guestissuer-plugins-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        for (name, mode) in names {
            let path = dir.join(name);
            std::fs::write(&path, "#!/bin/sh\n").unwrap();
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                std::fs::set_permissions(&path, std::fs::Permissions::from_mode(*mode)).unwrap();
            }
        }
        dir
    }

    #[test]
    fn finds_executables_in_path_order() {
        let a = plugin_dir(
            "a",
            &[
                ("guestissuer-hello", 0o755),
                ("guestissuer-noexec", 0o644),
                ("other", 0o755),
            ],
        );
        let b = plugin_dir(
            "b",
            &[
                ("guestissuer-hello", 0o755),
                ("guestissuer-zeta", 0o755),
                ("guestissuer-", 0o755),
            ],
        );
        let dirs = vec![
            a.clone(),
            PathBuf::from("/nonexistent/guestissuer"),
            b.clone(),
        ];
        assert_eq!(
            find(&dirs, "hello").unwrap().path,
            a.join("guestissuer-hello")
        );
        assert_eq!(
            find(&dirs, "zeta").unwrap().path,
            b.join("guestissuer-zeta")
        );
        assert_eq!(find(&dirs, "noexec"), None);
        assert_eq!(find(&dirs, "../a/guestissuer-hello"), None);
        let names: Vec<(String, PathBuf)> =
            list(&dirs).into_iter().map(|p| (p.name, p.path)).collect();
        assert_eq!(
            names,
            vec![
                ("hello".into(), a.join("guestissuer-hello")),
                ("zeta".into(), b.join("guestissuer-zeta"))
            ]
        );
        std::fs::remove_dir_all(a).unwrap();
        std::fs::remove_dir_all(b).unwrap();
    }

    #[test]
    fn path_dirs_skip_empty_entries() {
        assert_eq!(
            path_dirs(Some("/a::/b".as_ref())),
            vec![PathBuf::from("/a"), PathBuf::from("/b")]
        );
        assert!(path_dirs(None).is_empty());
    }
}
