//! The `guestissuer(1)` man page, in roff (the `man` macros), generated from the built-in
//! commands' argh metadata ([`argh::ArgsInfo`]): each command's description, usage, options,
//! examples, notes and exit codes are the ones its `--help` shows. The sections that belong to
//! no command (environment, exit status, files) are written here, from the README.

use std::fmt::Write;

use argh::{CommandInfoWithArgs, FlagInfo, FlagInfoKind, Optionality, PositionalInfo};

use crate::completions::{GLOBAL_FLAGS, ROOT_FLAGS};

/// The environment variables the tool reads, with what they mean (README, "Environment
/// variables").
pub const ENVIRONMENT: &[(&str, &str)] = &[
    ("ISSUER", "The Guest Issuer id, for create and quick, when -i is absent."),
    ("SECRET", "The Guest Issuer secret (base64), for create, quick and verify when -s and --secret-file are absent. With it, verify checks every token (HS256 only) unless --decode-only."),
    ("EXPIRES", "The token lifetime in seconds, for create, when -d and --expires-at are absent. An invalid value is an error."),
    ("WEBEX_TOKEN", "The Service App access token (guests), a space member's access token (add-to-space) or an integration's token (service-app token), when --token and --token-file are absent."),
    ("WEBEX_CLIENT_SECRET", "The Service App's client secret, for service-app token, when --client-secret and --client-secret-file are absent."),
    ("WEBEX_API_URL", "The Webex API base URL, for the network commands, when --api-url is absent (default https://webexapis.com/v1)."),
    ("SSL_CERT_FILE", "Extra trusted root certificates (PEM), added to the built-in web PKI roots, when --ca-file is absent."),
    ("HTTPS_PROXY, https_proxy, ALL_PROXY, all_proxy", "The proxy for the network commands, as curl reads them; requests go through an HTTP CONNECT tunnel, and credentials in the proxy URL are sent as Proxy-Authorization: Basic. Loopback hosts are never proxied."),
    ("NO_PROXY, no_proxy", "Hosts and domains reached without the proxy."),
    ("DEBUG", "Debug lines on stderr, the original tool's convention: DEBUG=guest* for all, DEBUG=guest:login for one command, DEBUG=guest*,-guest:http to leave one out. Secrets never appear; tokens are shortened."),
    ("GUESTISSUER_NOW", "Fixes the wall clock at these Unix seconds, for reproducible output (tests, demonstrations); timeouts still run on real time. A value that is not Unix seconds up to year 9999 is an error."),
    ("PATH", "Where external commands (guestissuer-<name>) are looked for."),
];

/// The exit statuses, the same for every command.
pub const EXIT_STATUS: &[(&str, &str)] = &[
    ("0", "Success (also when stdout is closed early, as by | head)."),
    ("1", "The operation failed: an invalid signature, an expired token, Webex refused, the network failed."),
    ("2", "A usage or input error: a missing or invalid argument, secret, token or file."),
];

/// The page for `guestissuer` `version`, from the built-in commands' metadata (as
/// [`crate::Builtin::info`] gives it: named as typed on the command line).
pub fn render(commands: &[CommandInfoWithArgs], version: &str) -> String {
    let mut page = String::new();
    let p = &mut page;
    line(
        p,
        &format!(
            ".TH GUESTISSUER 1 \"\" \"guestissuer {}\" \"User Commands\"",
            escape(version)
        ),
    );
    // Left-aligned, no hyphenation: options and tokens stay whole, as they are typed.
    line(p, ".ad l");
    line(p, ".nh");
    section(p, "NAME");
    line(
        p,
        "guestissuer \\- create, verify and use Webex guest tokens",
    );

    section(p, "SYNOPSIS");
    line(p, ".B guestissuer");
    line(
        p,
        "[\\fBcreate\\fR] \\fIuser_id\\fR \\fIuser_name\\fR [\\fIoptions\\fR]",
    );
    line(p, ".br");
    line(p, ".B guestissuer");
    line(p, "\\fIcommand\\fR [\\fIargs\\fR ...]");
    line(p, ".br");
    line(p, ".B guestissuer help");
    line(p, "[\\fIcommand\\fR]");

    section(p, "DESCRIPTION");
    text(p, "guestissuer signs the guest tokens of a Webex Guest Issuer application (HS256 JWTs with sub, name, iss and exp, signed with the issuer secret's decoded bytes), exchanges them for Webex access tokens, decodes and verifies any JWT, asks Webex who is behind an access token, manages Service App guests (Webex's successor to Guest Issuer) and adds guests to spaces.");
    paragraph(p);
    text(p, "Data goes to stdout, one human line to stderr, so T=$(guestissuer create ...) works. Errors are one line on stderr and nothing on stdout. Secrets never appear in any output.");
    subsection(p, "Global options");
    text(p, "Accepted before or after any command name:");
    for flag in GLOBAL_FLAGS.iter().chain(ROOT_FLAGS) {
        flag_item(p, flag);
    }

    section(p, "COMMANDS");
    text(p, "create is the default command: guestissuer 123 \"Ann\" -i ISSUER means guestissuer create 123 \"Ann\" -i ISSUER. 'guestissuer help COMMAND' or 'guestissuer COMMAND --help' shows a command's help.");
    for command in commands {
        command_page(p, &[command.name], command);
    }

    section(p, "EXTERNAL COMMANDS");
    text(p, "Like git and cargo, guestissuer runs guestissuer-NAME for 'guestissuer NAME [args...]' when NAME is not a built-in command: the first executable of that name on PATH, with the remaining arguments untouched, stdin, stdout and stderr inherited, and its exit status passed back (128 + the signal number when it was killed by a signal). Its environment is the caller's plus GUESTISSUER_BIN, the path of the running guestissuer; --json or -v typed before its name reach it as GUESTISSUER_JSON=1 and GUESTISSUER_VERBOSE=1. 'guestissuer --help' lists the external commands found; built-in commands win a name clash.");

    section(p, "ENVIRONMENT");
    text(p, "An empty variable counts as unset.");
    for (name, meaning) in ENVIRONMENT {
        line(p, ".TP");
        line(p, &format!("\\fB{}\\fR", escape(name)));
        text(p, meaning);
    }

    section(p, "EXIT STATUS");
    for (code, meaning) in EXIT_STATUS {
        line(p, ".TP");
        line(p, &format!("\\fB{code}\\fR"));
        text(p, meaning);
    }
    paragraph(p);
    text(
        p,
        "An external command's exit status is passed back unchanged.",
    );

    section(p, "FILES");
    text(p, "guestissuer reads no configuration file. It reads a file only when one is named: --secret-file (the issuer secret), --token-file (an access token, or a Service App credentials file), --ca-file (PEM certificates), create --batch (CSV rows), --client-secret-file. Secrets and tokens in files stay out of the process list and the shell history. Each read has a limit (64 KiB for secrets, tokens and credentials files, 4 MiB for a CA file, 64 KiB for a batch row).");
    line(p, ".TP");
    line(
        p,
        "\\fIcredentials file\\fR (service\\-app token \\-\\-save)",
    );
    text(p, "JSON: a Service App's application, client and org ids, client secret, API base URL, and its access and refresh tokens with their expiries. Written with mode 0600 and replaced atomically; refreshed under an exclusive lock on the sibling file <credentials file>.lock; refused when others may read or write it.");
    line(p, ".TP");
    line(
        p,
        "\\fIdirectory in PATH\\fR\\fB/guestissuer\\-\\fR\\fIname\\fR",
    );
    text(p, "An external command.");

    section(p, "SEE ALSO");
    line(
        p,
        "\\fBguestissuer completions\\fR (shell completion scripts),",
    );
    text(
        p,
        "the README at https://github.com/guestissuer/guestissuer.",
    );
    page
}

/// One command and, after it, its subcommands.
fn command_page(p: &mut String, path: &[&str], command: &CommandInfoWithArgs) {
    let name = path.join(" ");
    if path.len() == 1 {
        line(p, &format!(".SS {}", escape(&name)));
    } else {
        line(p, &format!(".SS \"{}\"", escape(&name)));
    }
    for (i, part) in command.description.split("\n\n").enumerate() {
        if i > 0 {
            paragraph(p);
        }
        text(p, part);
    }
    paragraph(p);
    usage(p, &name, command);
    let positionals: Vec<&PositionalInfo> =
        command.positionals.iter().filter(|x| !x.hidden).collect();
    for positional in positionals {
        line(p, ".TP");
        line(p, &format!("\\fI{}\\fR", escape(positional.name)));
        text(p, positional.description);
    }
    for flag in command.flags.iter().filter(|f| !f.hidden) {
        flag_item(p, flag);
    }
    if !command.examples.is_empty() {
        line(p, ".PP");
        line(p, "Examples:");
        line(p, ".PP");
        line(p, ".RS 4");
        line(p, ".nf");
        for example in command.examples {
            for example_line in unformat(example, &name).lines() {
                line(p, &escape(example_line));
            }
        }
        line(p, ".fi");
        line(p, ".RE");
    }
    for note in command.notes {
        paragraph(p);
        text(
            p,
            &note.replace("{command_name}", &format!("guestissuer {name}")),
        );
    }
    if !command.error_codes.is_empty() {
        paragraph(p);
        let codes: Vec<String> = command
            .error_codes
            .iter()
            .map(|e| format!("{} {}", e.code, e.description))
            .collect();
        text(p, &format!("Exit status: 0 ok, {}.", codes.join(", ")));
    }
    for sub in &command.commands {
        let mut sub_path = path.to_vec();
        sub_path.push(sub.name);
        command_page(p, &sub_path, &sub.command);
    }
}

/// The usage line: the command, its positionals and its options, as argh's `--help` shows them.
fn usage(p: &mut String, name: &str, command: &CommandInfoWithArgs) {
    let mut parts = vec![format!("\\fBguestissuer {}\\fR", escape(name))];
    for x in command.positionals.iter().filter(|x| !x.hidden) {
        let arg = format!("\\fI{}\\fR", escape(x.name));
        parts.push(match x.optionality {
            Optionality::Required => arg,
            Optionality::Optional => format!("[{arg}]"),
            Optionality::Repeating | Optionality::Greedy => format!("[{arg}...]"),
        });
    }
    for flag in command
        .flags
        .iter()
        .filter(|f| !f.hidden && f.long != "--help")
    {
        let spelled = match flag.short {
            Some(short) => format!("\\fB\\-{}\\fR", escape(&short.to_string())),
            None => format!("\\fB{}\\fR", escape(flag.long)),
        };
        let with_value = match flag.kind {
            FlagInfoKind::Switch => spelled,
            FlagInfoKind::Option { arg_name } => {
                format!("{spelled} \\fI{}\\fR", escape(value_name(flag, arg_name)))
            }
        };
        parts.push(match flag.optionality {
            Optionality::Required => with_value,
            Optionality::Repeating | Optionality::Greedy => format!("[{with_value}...]"),
            Optionality::Optional => format!("[{with_value}]"),
        });
    }
    if !command.commands.is_empty() {
        let names: Vec<String> = command
            .commands
            .iter()
            .map(|s| format!("\\fB{}\\fR", escape(s.name)))
            .collect();
        parts.push(format!("{} [\\fIargs\\fR ...]", names.join("|")));
    }
    // No filling inside the usage: one word per argument, broken only between them.
    line(p, &parts.join(" "));
}

fn value_name<'a>(flag: &'a FlagInfo, arg_name: &'a str) -> &'a str {
    if arg_name.is_empty() {
        flag.long.trim_start_matches('-')
    } else {
        arg_name
    }
}

/// A tagged paragraph for one flag: `-s, --long value`, then its description.
fn flag_item(p: &mut String, flag: &FlagInfo) {
    let mut tag = String::new();
    // argh's own help flag: `-h` works too (the CLI takes it everywhere), and it says so.
    let is_help = flag.long == "--help";
    let short = if is_help { Some('h') } else { flag.short };
    if let Some(short) = short {
        let _ = write!(tag, "\\fB\\-{}\\fR, ", escape(&short.to_string()));
    }
    let _ = write!(tag, "\\fB{}\\fR", escape(flag.long));
    if let FlagInfoKind::Option { arg_name } = flag.kind {
        let _ = write!(tag, " \\fI{}\\fR", escape(value_name(flag, arg_name)));
    }
    line(p, ".TP");
    line(p, &tag);
    text(
        p,
        if is_help {
            "display this help"
        } else {
            flag.description
        },
    );
}

/// argh's examples and notes are format strings: `{command_name}` and doubled braces. (Running
/// text goes through [`text`], which undoes the braces; this is for lines kept as they are.)
fn unformat(text: &str, name: &str) -> String {
    text.replace("{command_name}", &format!("guestissuer {name}"))
        .replace("{{", "{")
        .replace("}}", "}")
}

fn section(p: &mut String, name: &str) {
    line(p, &format!(".SH {name}"));
}

fn subsection(p: &mut String, name: &str) {
    line(p, &format!(".SS \"{name}\""));
}

fn paragraph(p: &mut String) {
    line(p, ".PP");
}

/// Running text: whitespace collapsed (roff fills the lines), argh's doubled braces undone,
/// escaped.
fn text(p: &mut String, text: &str) {
    line(p, &escape(&crate::completions::one_line(text)));
}

fn line(p: &mut String, text: &str) {
    p.push_str(text);
    p.push('\n');
}

/// Escapes text for roff: a backslash is `\e`, a hyphen `\-` (so that options copy and paste as
/// typed), other than ASCII `\[uXXXX]` (so the page needs no input encoding), and a line may not
/// start with a control character (`.` or `'`).
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        if line.starts_with(['.', '\'']) {
            out.push_str("\\&");
        }
        for c in line.chars() {
            match c {
                '\\' => out.push_str("\\e"),
                '-' => out.push_str("\\-"),
                c if c.is_ascii() => out.push(c),
                c => {
                    let _ = write!(out, "\\[u{:04X}]", u32::from(c));
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping() {
        assert_eq!(escape(r"a\b"), r"a\eb");
        assert_eq!(escape("--json"), r"\-\-json");
        assert_eq!(escape("Stève"), r"St\[u00E8]ve");
        assert_eq!(escape(".hidden\n'quote"), "\\&.hidden\n\\&'quote");
    }

    #[test]
    fn argh_format_strings_are_undone() {
        assert_eq!(
            unformat("{{\"sub\"}} via {command_name}", "create"),
            "{\"sub\"} via guestissuer create"
        );
    }
}
