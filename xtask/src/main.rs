//! Project automation, the cargo xtask way: `cargo xtask dist` (an alias in `.cargo/config.toml`)
//! builds the release artifacts into `target/dist/`:
//!
//! - `guestissuer`: the release binary (dynamically linked to the system's libc);
//! - `guestissuer-x86_64-linux-static`: on x86_64 Linux, the same statically linked
//!   (`-C target-feature=+crt-static`), for machines with an older or no glibc;
//! - `guestissuer.bash`, `_guestissuer` (zsh), `guestissuer.fish`: completion scripts;
//! - `guestissuer.1`: the man page;
//! - `SHA256SUMS`: for `sha256sum -c SHA256SUMS`.
//!
//! The scripts and the page are made by running the built binary, so they describe exactly the
//! binary they ship with. The target directory is `CARGO_TARGET_DIR` when set.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

const USAGE: &str = "usage: cargo xtask dist [--no-static]

  dist         build target/dist/: the release binary, completion scripts for bash, zsh and
               fish, the man page, SHA256SUMS; on x86_64 Linux also a static binary
  --no-static  skip the static binary";

/// The target triple the static binary is built for. Naming it explicitly is what keeps build
/// scripts and proc-macros dynamically linked: with `--target`, RUSTFLAGS reach only the target.
const STATIC_TARGET: &str = "x86_64-unknown-linux-gnu";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let result = match args.as_slice() {
        ["dist"] => dist(true),
        ["dist", "--no-static"] => dist(false),
        ["-h" | "--help" | "help"] => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("xtask: error: {message}");
            ExitCode::FAILURE
        }
    }
}

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask/ is inside the workspace")
        .to_path_buf()
}

fn target_dir(root: &Path) -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        // Relative to where cargo was run, as cargo reads it.
        Some(dir) if !dir.is_empty() => std::path::absolute(&dir).unwrap_or_else(|_| dir.into()),
        _ => root.join("target"),
    }
}

fn dist(with_static: bool) -> Result<(), String> {
    let root = workspace_root();
    let target = target_dir(&root);
    let dist = target.join("dist");
    if dist.exists() {
        std::fs::remove_dir_all(&dist).map_err(|e| format!("{}: {e}", dist.display()))?;
    }
    std::fs::create_dir_all(&dist).map_err(|e| format!("{}: {e}", dist.display()))?;

    cargo_build(&root, None)?;
    let binary = dist.join("guestissuer");
    copy(&target.join("release/guestissuer"), &binary)?;

    let outputs = [
        (&["completions", "bash"][..], "guestissuer.bash"),
        (&["completions", "zsh"][..], "_guestissuer"),
        (&["completions", "fish"][..], "guestissuer.fish"),
        (&["manpage"][..], "guestissuer.1"),
    ];
    for (args, file) in outputs {
        let text = run(&binary, args, true)?;
        write(&dist.join(file), text.as_bytes())?;
    }

    if with_static && cfg!(all(target_os = "linux", target_arch = "x86_64")) {
        cargo_build(&root, Some(STATIC_TARGET))?;
        let static_binary = dist.join("guestissuer-x86_64-linux-static");
        copy(
            &target.join(STATIC_TARGET).join("release/guestissuer"),
            &static_binary,
        )?;
        check_static(&static_binary, &binary)?;
    }

    let sums = sha256sums(&dist)?;
    write(&dist.join("SHA256SUMS"), sums.as_bytes())?;
    println!("{}:", dist.display());
    print!("{sums}");
    Ok(())
}

/// `cargo build --release --locked` of the binary; with a target, statically linked.
fn cargo_build(root: &Path, static_target: Option<&str>) -> Result<(), String> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut command = Command::new(cargo);
    command
        .current_dir(root)
        .args(["build", "--release", "--locked", "--package", "guestissuer"])
        .args(["--bin", "guestissuer"]);
    if let Some(target) = static_target {
        let mut flags = std::env::var("RUSTFLAGS").unwrap_or_default();
        if !flags.is_empty() {
            flags.push(' ');
        }
        flags.push_str("-C target-feature=+crt-static");
        command.args(["--target", target]).env("RUSTFLAGS", flags);
    }
    eprintln!("xtask: {command:?}");
    let status = command
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if !status.success() {
        return Err(format!("cargo build failed ({status})"));
    }
    Ok(())
}

/// Runs the built binary and returns its stdout; a failure, or any stderr unless `quiet` is
/// false, is an error.
fn run(binary: &Path, args: &[&str], quiet: bool) -> Result<String, String> {
    let out = Command::new(binary)
        .args(args)
        .output()
        .map_err(|e| format!("cannot run {}: {e}", binary.display()))?;
    if !out.status.success() || (quiet && !out.stderr.is_empty()) {
        return Err(format!(
            "guestissuer {} failed ({}): {}",
            args.join(" "),
            out.status,
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    String::from_utf8(out.stdout).map_err(|_| format!("guestissuer {}: not UTF-8", args.join(" ")))
}

/// The static binary has no program interpreter (no dynamic loader), and signs the same token
/// as the dynamic one.
fn check_static(static_binary: &Path, binary: &Path) -> Result<(), String> {
    let bytes =
        std::fs::read(static_binary).map_err(|e| format!("{}: {e}", static_binary.display()))?;
    if has_interpreter(&bytes)? {
        return Err(format!(
            "{} is dynamically linked (it has a PT_INTERP header)",
            static_binary.display()
        ));
    }
    // Fake, public example values (the README's).
    let args = [
        "create",
        "123",
        "Ann",
        "-i",
        "Y2lzY29zcGFyazovL3VzL09SR0FOSVpBVElPTi9mYWtlLW9yZy0wMDAx",
        "-s",
        "c2VjcmV0LWtleS1mb3ItZXhhbXBsZXM=",
        "--expires-at",
        "1800000000",
    ];
    // stderr says for how long the token is valid, from the clock: only stdout is compared.
    let a = run(static_binary, &args, false)?;
    let b = run(binary, &args, false)?;
    if a != b || a.trim().split('.').count() != 3 {
        return Err("the static binary's create differs from the dynamic one's".into());
    }
    eprintln!("xtask: static binary checked: no dynamic loader, create gives the same token");
    Ok(())
}

/// Whether a 64-bit little-endian ELF file has a PT_INTERP program header (asks for a dynamic
/// loader).
fn has_interpreter(elf: &[u8]) -> Result<bool, String> {
    const PT_INTERP: u32 = 3;
    let field = |at: usize, len: usize| -> Result<u64, String> {
        let bytes = elf.get(at..at + len).ok_or("truncated ELF file")?;
        Ok(bytes
            .iter()
            .rev()
            .fold(0u64, |acc, b| (acc << 8) | u64::from(*b)))
    };
    if elf.get(..6) != Some(b"\x7fELF\x02\x01") {
        return Err("not a 64-bit little-endian ELF file".into());
    }
    let phoff = usize::try_from(field(0x20, 8)?).map_err(|_| "bad ELF header")?;
    let phentsize = usize::try_from(field(0x36, 2)?).map_err(|_| "bad ELF header")?;
    let phnum = usize::try_from(field(0x38, 2)?).map_err(|_| "bad ELF header")?;
    for i in 0..phnum {
        if field(phoff + i * phentsize, 4)? == u64::from(PT_INTERP) {
            return Ok(true);
        }
    }
    Ok(false)
}

/// `sha256sum` format: one `<hex>  <name>` line per file, in name order.
fn sha256sums(dir: &Path) -> Result<String, String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(Result::ok)
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|n| n != "SHA256SUMS")
        .collect();
    names.sort();
    let mut out = String::new();
    for name in names {
        let bytes = std::fs::read(dir.join(&name)).map_err(|e| format!("{name}: {e}"))?;
        let digest = ring::digest::digest(&ring::digest::SHA256, &bytes);
        let hex: String = digest.as_ref().iter().map(|b| format!("{b:02x}")).collect();
        out.push_str(&format!("{hex}  {name}\n"));
    }
    Ok(out)
}

fn copy(from: &Path, to: &Path) -> Result<(), String> {
    std::fs::copy(from, to)
        .map(|_| ())
        .map_err(|e| format!("copy {} to {}: {e}", from.display(), to.display()))
}

fn write(path: &Path, bytes: &[u8]) -> Result<(), String> {
    std::fs::write(path, bytes).map_err(|e| format!("{}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha256_of_abc() {
        let dir = std::env::temp_dir().join(format!("xtask-sums-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("abc"), "abc").unwrap();
        let sums = sha256sums(&dir).unwrap();
        std::fs::remove_dir_all(&dir).unwrap();
        assert_eq!(
            sums,
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad  abc\n"
        );
    }

    #[test]
    fn elf_interpreter() {
        assert_eq!(
            has_interpreter(b"not elf"),
            Err("not a 64-bit little-endian ELF file".to_string())
        );
        // This test binary, built by cargo for the host, is dynamically linked unless the
        // host's default is static (musl): only check that the headers parse.
        let me = std::fs::read(std::env::current_exe().unwrap()).unwrap();
        if cfg!(all(
            target_os = "linux",
            target_pointer_width = "64",
            target_endian = "little"
        )) {
            assert!(has_interpreter(&me).is_ok());
        }
    }
}
