//! `guestissuer completions <bash|zsh|fish>`: print a shell completion script.

use argh::FromArgs;
use serde_json::json;

use super::{Builtin, Command, BUILTINS};
use crate::completions::{script, Shell};
use crate::{Context, Failure};

#[derive(FromArgs, argh::ArgsInfo)]
/// Print a completion script for bash, zsh or fish: the commands, their subcommands and flags,
/// and the external commands (guestissuer-<name> on PATH, looked for each time a word is
/// completed). Made from the same definitions as --help, so it is never out of date with this
/// binary.
#[argh(
    example = "guestissuer completions bash > ~/.local/share/bash-completion/completions/guestissuer",
    example = "guestissuer completions zsh > \"${{fpath[1]}}/_guestissuer\"",
    example = "guestissuer completions fish > ~/.config/fish/completions/guestissuer.fish",
    note = "bash: or add 'source <(guestissuer completions bash)' to ~/.bashrc. zsh: any directory in $fpath, then restart zsh (or, after compinit, 'source <(guestissuer completions zsh)').",
    note = "With --json, stdout is {{\"shell\", \"script\"}}.",
    error_code(2, "usage error: an unknown shell")
)]
pub struct Completions {
    /// the shell: bash, zsh or fish
    #[argh(positional)]
    shell: Shell,
}

impl Command for Completions {
    const NAME: &'static str = "completions";
    const SUMMARY: &'static str = "print a completion script for bash, zsh or fish";

    fn run(self, ctx: &mut Context) -> Result<(), Failure> {
        let commands: Vec<_> = BUILTINS.iter().map(Builtin::info).collect();
        let text = script(self.shell, &commands);
        if ctx.json {
            writeln!(
                ctx.out,
                "{}",
                json!({ "shell": self.shell.name(), "script": text })
            )?;
        } else {
            ctx.out.write_all(text.as_bytes())?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::run;

    #[test]
    fn an_unknown_shell_is_a_usage_error() {
        let r = run(&["completions", "tcsh"], &[], "", None);
        assert_eq!(r.code, 2);
        assert_eq!(
            r.err,
            "error: <shell> \"tcsh\": unknown shell 'tcsh'; expected bash, zsh or fish; see 'guestissuer completions --help'\n"
        );
        assert_eq!(r.out, "");
    }

    #[test]
    fn json_wraps_the_script() {
        let plain = run(&["completions", "fish"], &[], "", None);
        let json = run(&["--json", "completions", "fish"], &[], "", None);
        let doc: serde_json::Value = serde_json::from_str(&json.out).unwrap();
        assert_eq!(doc["shell"], "fish");
        assert_eq!(doc["script"].as_str(), Some(plain.out.as_str()));
    }
}
