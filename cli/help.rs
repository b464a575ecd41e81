//! One voice for help and argument errors: argh's help text tidied to the tool's style (80
//! columns, "Exit codes", no template residue), argh's parse errors rewritten into the tool's
//! one-line `error: …` with a hint, and the command line made ready for argh (`--opt=value`,
//! `-h`).

use argh::{CommandInfoWithArgs, FlagInfoKind};

/// The width help text is wrapped to.
pub const WIDTH: usize = 80;

/// The long options of `info` (and of its subcommands) that take a value.
fn value_options(info: &CommandInfoWithArgs, out: &mut Vec<String>) {
    for flag in info.flags {
        if matches!(flag.kind, FlagInfoKind::Option { .. }) {
            out.push(flag.long.to_string());
            if let Some(short) = flag.short {
                out.push(format!("-{short}"));
            }
        }
    }
    for sub in &info.commands {
        value_options(&sub.command, out);
    }
}

/// The command line as argh takes it: `--name=value` split in two for every long option that
/// takes a value, and `-h` (where it is not an option's value) as `--help`. Nothing after `--`
/// is touched.
pub fn prepare<'a>(args: &[&'a str], info: &CommandInfoWithArgs) -> Vec<std::borrow::Cow<'a, str>> {
    use std::borrow::Cow;
    let mut takes_value = Vec::new();
    value_options(info, &mut takes_value);
    let mut out: Vec<Cow<str>> = Vec::with_capacity(args.len());
    let mut value_next = false;
    let mut literal = false;
    for arg in args {
        if literal || std::mem::take(&mut value_next) {
            out.push(Cow::Borrowed(arg));
            continue;
        }
        match *arg {
            "--" => {
                literal = true;
                out.push(Cow::Borrowed(arg));
            }
            "-h" | "--help" => {
                // Help is help, whatever follows it (argh refuses options after it).
                out.push(Cow::Borrowed("--help"));
                break;
            }
            a if takes_value.iter().any(|o| o == a) => {
                value_next = true;
                out.push(Cow::Borrowed(arg));
            }
            a => match a.split_once('=') {
                Some((name, value))
                    if name.starts_with('-') && takes_value.iter().any(|o| o == name) =>
                {
                    out.push(Cow::Borrowed(name));
                    out.push(Cow::Borrowed(value));
                }
                _ => out.push(Cow::Borrowed(arg)),
            },
        }
    }
    out
}

/// argh's help, in the tool's style: `{{`/`}}` undone, "Error codes" called "Exit codes" with
/// 0 listed, and every line within [`WIDTH`] columns (an example command wrapped with `\`
/// continuations, so that it still pastes into a shell).
pub fn tidy(text: &str) -> String {
    let text = text
        .replace("{{", "{")
        .replace("}}", "}")
        .replace(
            "--help, help      display usage information",
            "-h, --help        display this help",
        )
        .replace("\nError codes:\n", "\nExit codes:\n  0 ok\n");
    let mut out = String::with_capacity(text.len() + 256);
    let mut section = "";
    for line in text.lines() {
        if !line.starts_with(' ') && line.ends_with(':') {
            section = line;
        } else if line.starts_with("Usage:") {
            section = "Usage:";
        } else if line.is_empty() {
            // A paragraph ends; the section goes on.
        } else if !line.starts_with(' ') {
            section = "";
        }
        if line.chars().count() <= WIDTH {
            out.push_str(line);
            out.push('\n');
            continue;
        }
        let indent = line.len() - line.trim_start().len();
        match section {
            "Examples:" => wrap(line.trim_start(), indent, indent + 4, " \\", &mut out),
            "Usage:" => wrap_groups(line, &mut out),
            "" => wrap(line, 0, 0, "", &mut out),
            _ => wrap(line.trim_start(), indent, indent + 2, "", &mut out),
        }
    }
    out
}

/// Wraps `text` at spaces to [`WIDTH`] columns: the first line indented by `first`, the next by
/// `rest`, each broken line ending with `mark`.
fn wrap(text: &str, first: usize, rest: usize, mark: &str, out: &mut String) {
    let mut line = " ".repeat(first);
    let mut empty = true;
    let separator = if text.contains('\u{0}') { '\u{0}' } else { ' ' };
    for word in text.split(separator) {
        let fits = line.chars().count() + 1 + word.chars().count() + mark.len() <= WIDTH;
        if !empty && !fits {
            out.push_str(line.trim_end());
            out.push_str(mark);
            out.push('\n');
            line = " ".repeat(rest);
            empty = true;
        }
        if !empty {
            line.push(' ');
        }
        line.push_str(word);
        empty = false;
    }
    out.push_str(&line);
    out.push('\n');
}

/// Wraps a usage line between its bracketed groups, never inside one (`[-d <seconds>]` stays
/// whole), continuation lines under the command.
fn wrap_groups(line: &str, out: &mut String) {
    let mut groups: Vec<String> = Vec::new();
    let (mut current, mut depth) = (String::new(), 0i32);
    for c in line.chars() {
        match c {
            '[' | '<' | '(' => depth += 1,
            ']' | '>' | ')' => depth -= 1,
            ' ' if depth <= 0 => {
                if !current.is_empty() {
                    groups.push(std::mem::take(&mut current));
                }
                continue;
            }
            _ => {}
        }
        current.push(c);
    }
    if !current.is_empty() {
        groups.push(current);
    }
    // Joined by NUL, which `wrap` then breaks at (and writes as a space): only between groups.
    wrap(&groups.join("\u{0}"), 0, 7, "", out);
}

/// Levenshtein distance over characters.
pub fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != *cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}

/// The candidate closest to `word` when it looks like a typo of one (edit distance at most 2,
/// and less than half the word), in any letter case.
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let word = word.to_lowercase();
    candidates
        .into_iter()
        .map(|c| (distance(&word, c), c))
        .filter(|(d, c)| *d <= 2 && *d * 2 < c.chars().count().max(word.chars().count()))
        .min()
        .map(|(_, c)| c)
}

/// argh's parse error for `guestissuer <path…>` (whose arguments were `args`), as the tool's
/// one line: what is wrong, a did-you-mean where one fits, and where the help is.
pub fn rewrite_error(
    output: &str,
    path: &str,
    info: &CommandInfoWithArgs,
    args: &[&str],
) -> String {
    // The subcommand the error is about, when there is one.
    let (path, info) = match args
        .iter()
        .find_map(|a| info.commands.iter().find(|c| c.name == *a))
    {
        Some(sub) => (format!("{path} {}", sub.name), &sub.command),
        None => (path.to_string(), info),
    };
    let see = format!("see 'guestissuer {path} --help'");
    let text = output.trim();
    let list = |header: &str| -> Vec<String> {
        text.split_once(header)
            .map(|(_, rest)| rest.split_whitespace().map(str::to_string).collect())
            .unwrap_or_default()
    };
    if let Some(rest) = text.strip_prefix("Unrecognized argument: ") {
        let word = rest
            .split(". Did you mean")
            .next()
            .unwrap_or(rest)
            .trim_matches('"');
        if word.starts_with('-') {
            // Only the option's name is shown: what follows it (`--secrett=…`, `-sSECRET`) may
            // be a secret typed in the wrong form.
            let name = match word.split_once('=') {
                _ if !word.starts_with("--") => word.get(..2).unwrap_or(word),
                Some((name, _)) => name,
                None => word,
            };
            let shown = if name.len() < word.len() {
                format!("{name}…")
            } else {
                name.to_string()
            };
            let flags = info.flags.iter().map(|f| f.long);
            return match closest(name, flags) {
                Some(s) => format!(
                    "unknown option '{shown}' for 'guestissuer {path}'; did you mean '{s}'? {see}"
                ),
                None => format!("unknown option '{shown}' for 'guestissuer {path}'; {see}"),
            };
        }
        if !info.commands.is_empty() {
            let names = info.commands.iter().map(|c| c.name);
            return match closest(word, names) {
                Some(s) => format!("unknown subcommand '{word}' for 'guestissuer {path}'; did you mean '{s}'? {see}"),
                None => format!("unknown subcommand '{word}' for 'guestissuer {path}': {}; {see}", subcommands(info)),
            };
        }
        return format!(
            "unexpected argument '{}' for 'guestissuer {path}' (quote a value with spaces); {see}",
            shown_word(word)
        );
    }
    if text.starts_with("Required positional arguments not provided:") {
        let names: Vec<String> = list("not provided:")
            .iter()
            .map(|n| format!("<{n}>"))
            .collect();
        return format!(
            "missing {} for 'guestissuer {path}'; {see}",
            names.join(" ")
        );
    }
    if text.starts_with("Required options not provided:") {
        return format!(
            "missing {} for 'guestissuer {path}'; {see}",
            list("not provided:").join(" and ")
        );
    }
    if text.starts_with("One of the following subcommands must be present:") {
        return format!(
            "'guestissuer {path}' needs a subcommand: {}; {see}",
            subcommands(info)
        );
    }
    if let Some(rest) = text.strip_prefix("No value provided for option '") {
        let name = rest.trim_end_matches("'.");
        return format!("{name} needs a value; {see}");
    }
    for (prefix, open, close) in [
        ("Error parsing positional argument '", "<", ">"),
        ("Error parsing option '", "", ""),
    ] {
        if let Some(rest) = text.strip_prefix(prefix) {
            if let Some((name, rest)) = rest.split_once("' with value '") {
                if let Some((value, why)) = rest.split_once("': ") {
                    let why = why.trim_end_matches('.');
                    return format!("{open}{name}{close} {value:?}: {why}; {see}");
                }
            }
        }
    }
    if text.starts_with("Trailing arguments are not allowed after `help`") {
        return format!("nothing may follow --help; {see}");
    }
    let mut one: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    if let Some(first) = one.first_mut() {
        *first = first.trim_end_matches('.');
    }
    let mut line = one.join(" ");
    if let Some(c) = line.get(..1) {
        line = c.to_lowercase() + &line[1..];
    }
    format!("{line}; {see}")
}

/// A word the user typed, as an error may show it: whole when short, else its first four
/// characters and its length (it may be a token or a secret pasted in the wrong place).
pub fn shown_word(word: &str) -> String {
    let length = word.chars().count();
    if length <= 16 {
        word.to_string()
    } else {
        let head: String = word.chars().take(4).collect();
        format!("{head}… ({length} characters)")
    }
}

/// `create or count`.
fn subcommands(info: &CommandInfoWithArgs) -> String {
    let names: Vec<&str> = info.commands.iter().map(|c| c.name).collect();
    match names.split_last() {
        Some((last, [])) => last.to_string(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapping_keeps_examples_pasteable() {
        let long = format!(
            "Examples:\n  guestissuer create {} --json\n",
            "word ".repeat(20)
        );
        let tidy = tidy(&long);
        assert!(tidy.lines().all(|l| l.chars().count() <= WIDTH), "{tidy}");
        let lines: Vec<&str> = tidy.lines().collect();
        assert!(lines[1].ends_with(" \\") && lines[2].starts_with("      word"));
        assert_eq!(
            tidy.replace(" \\\n", " ")
                .split_whitespace()
                .collect::<Vec<_>>(),
            long.split_whitespace().collect::<Vec<_>>()
        );
    }

    #[test]
    fn closest_in_any_case() {
        assert_eq!(closest("VERIFY", ["create", "verify"]), Some("verify"));
        assert_eq!(closest("craete", ["create", "count"]), Some("create"));
        assert_eq!(closest("x", ["create"]), None);
    }
}
