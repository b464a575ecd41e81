//! Build facts for `guestissuer --version`: the target triple, and the git commit when the
//! build runs in a git checkout (a crate built from a registry has none, and says so by
//! omission).

use std::process::Command;

fn main() {
    let target = std::env::var("TARGET").unwrap_or_else(|_| "unknown".into());
    println!("cargo:rustc-env=GUESTISSUER_TARGET={target}");
    let commit = Command::new("git")
        .args(["rev-parse", "--short=12", "HEAD"])
        .output()
        .ok()
        .filter(|out| out.status.success())
        .and_then(|out| String::from_utf8(out.stdout).ok())
        .map(|c| c.trim().to_string())
        .filter(|c| !c.is_empty());
    if let Some(commit) = commit {
        let dirty = Command::new("git")
            .args(["status", "--porcelain", "--untracked-files=no"])
            .output()
            .ok()
            .is_some_and(|out| !out.stdout.is_empty());
        let suffix = if dirty { "-modified" } else { "" };
        println!("cargo:rustc-env=GUESTISSUER_COMMIT={commit}{suffix}");
    }
    // A new commit or branch switch changes HEAD (or the ref it points to).
    for path in [".git/HEAD", ".git/refs/heads", ".git/index"] {
        if std::path::Path::new(path).exists() {
            println!("cargo:rerun-if-changed={path}");
        }
    }
    println!("cargo:rerun-if-changed=cli/build.rs");
}
