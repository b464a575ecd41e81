//! `guestissuer manpage`: print the guestissuer(1) man page.

use argh::FromArgs;
use serde_json::json;

use super::{Builtin, Command, BUILTINS};
use crate::{Context, Failure};

#[derive(FromArgs, argh::ArgsInfo)]
/// Print the guestissuer(1) man page, in roff. Made from the same definitions as --help, so it is
/// never out of date with this binary.
#[argh(
    example = "guestissuer manpage | man -l -",
    example = "guestissuer manpage > ~/.local/share/man/man1/guestissuer.1",
    note = "With --json, stdout is {{\"manpage\"}}.",
    error_code(2, "usage error")
)]
pub struct Manpage {}

impl Command for Manpage {
    const NAME: &'static str = "manpage";
    const SUMMARY: &'static str = "print the guestissuer(1) man page (roff)";

    fn run(self, ctx: &mut Context) -> Result<(), Failure> {
        let commands: Vec<_> = BUILTINS.iter().map(Builtin::info).collect();
        let page = crate::manpage::render(&commands, env!("CARGO_PKG_VERSION"));
        if ctx.json {
            writeln!(ctx.out, "{}", json!({ "manpage": page }))?;
        } else {
            ctx.out.write_all(page.as_bytes())?;
        }
        Ok(())
    }
}
