//! The built-in commands. Each lives in its own file with its arguments, validation, `run` and
//! tests; registering one is a `mod` line and a line in [`BUILTINS`], nothing else.

use argh::{ArgsInfo, CommandInfoWithArgs, FromArgs};

use crate::{help, input, Context, Failure};

mod add_to_space;
mod completions;
mod create;
mod guests;
mod login;
mod manpage;
mod quick;
mod service_app;
mod verify;
mod whoami;

/// The registry of built-in commands, in the order `--help` lists them.
pub const BUILTINS: &[Builtin] = &[
    builtin::<create::Create>(),
    builtin::<login::Login>(),
    builtin::<quick::Quick>(),
    builtin::<verify::Verify>(),
    builtin::<whoami::Whoami>(),
    builtin::<guests::Guests>(),
    builtin::<add_to_space::AddToSpace>(),
    builtin::<service_app::ServiceAppCommand>(),
    builtin::<completions::Completions>(),
    builtin::<manpage::Manpage>(),
];

/// A built-in command: its argh arguments are the implementing type; their argh metadata
/// ([`ArgsInfo`]) is also the source of the completion scripts and the man page.
pub trait Command: FromArgs + ArgsInfo + Sized {
    /// The name typed on the command line.
    const NAME: &'static str;
    /// One line for `guestissuer --help`.
    const SUMMARY: &'static str;
    /// Runs the parsed command. Writes data to `ctx.out`, the human line to `ctx.err`.
    fn run(self, ctx: &mut Context) -> Result<(), Failure>;
}

/// A registered built-in command, type-erased.
#[derive(Clone, Copy)]
pub struct Builtin {
    /// The name typed on the command line.
    pub name: &'static str,
    /// One line for `guestissuer --help`.
    pub summary: &'static str,
    run: fn(&[&str], &mut Context) -> Result<(), Failure>,
    info: fn() -> CommandInfoWithArgs,
}

impl Builtin {
    /// Parses `args` (everything after the command name) and runs the command.
    pub fn run(&self, args: &[&str], ctx: &mut Context) -> Result<(), Failure> {
        (self.run)(args, ctx)
    }

    /// The command's argh metadata (description, flags, positionals, subcommands, examples,
    /// notes, exit codes), the same that makes its `--help`, named as typed on the command line
    /// (argh names a top-level command after its Rust type).
    pub fn info(&self) -> CommandInfoWithArgs {
        CommandInfoWithArgs {
            name: self.name,
            ..(self.info)()
        }
    }

    /// Looks a built-in up by name.
    pub fn find(name: &str) -> Option<&'static Builtin> {
        BUILTINS.iter().find(|b| b.name == name)
    }
}

const fn builtin<C: Command>() -> Builtin {
    Builtin {
        name: C::NAME,
        summary: C::SUMMARY,
        run: parse_and_run::<C>,
        info: C::get_args_info,
    }
}

fn parse_and_run<C: Command>(args: &[&str], ctx: &mut Context) -> Result<(), Failure> {
    let command = format!("guestissuer {}", C::NAME);
    let info = C::get_args_info();
    // `--opt=value` and `-h` as argh takes them; a lone `-` (read stdin) is handed over so that
    // argh does not take it for an unknown option.
    let prepared = help::prepare(args, &info);
    let args: Vec<&str> = prepared
        .iter()
        .map(|a| {
            if a == "-" {
                input::STDIN_ARG
            } else {
                a.as_ref()
            }
        })
        .collect();
    match C::from_args(&[&command], &args) {
        Ok(parsed) => {
            ctx.debug(&format!("guest:{}", C::NAME), || "arguments parsed".into());
            parsed.run(ctx)
        }
        Err(exit) if exit.status.is_ok() => {
            // --help: the help text is the data the user asked for.
            ctx.out.write_all(help::tidy(&exit.output).as_bytes())?;
            Ok(())
        }
        Err(exit) => Err(Failure::usage(help::rewrite_error(
            &exit.output,
            C::NAME,
            &info,
            &args,
        ))),
    }
}
