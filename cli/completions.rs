//! Shell completion scripts for bash, zsh and fish, generated from the built-in commands' argh
//! metadata ([`argh::ArgsInfo`]), the same that makes their `--help`: a flag added to a command
//! is completed without touching this file.
//!
//! The scripts complete the built-in commands, their subcommands (`guests create|count`), their
//! flags (long and short) and the external commands: every executable `guestissuer-<name>` on
//! `PATH`, which the script itself looks for each time it completes, so a plugin installed later
//! is completed without regenerating the script.
//!
//! Every script decides what is being completed the same way the CLI dispatches: global options
//! (`--json`, `-v`, `--verbose`) are skipped wherever they are; the first other word is a built-in,
//! `help`, an external command, or else the start of the default `create` (a user id, or an
//! option such as `-i`). A word after an option that takes a value completes file names.
//!
//! `argh_complete`, argh's own generator, was considered: it looks no external command up, and
//! it tells subcommands apart by their name alone, so `guests create` would complete as the
//! top-level `create`. Hence this small generator.

use std::fmt::Write;
use std::str::FromStr;

use argh::{CommandInfoWithArgs, FlagInfo, FlagInfoKind, Optionality};

/// The shells a completion script can be generated for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shell {
    /// GNU bash (3.2 or later; uses only `complete -F` and `compgen`).
    Bash,
    /// zsh, through its completion system (`compinit`).
    Zsh,
    /// fish.
    Fish,
}

impl Shell {
    /// Every supported shell.
    pub const ALL: [Shell; 3] = [Shell::Bash, Shell::Zsh, Shell::Fish];

    /// The shell's name as typed: `bash`, `zsh`, `fish`.
    pub fn name(self) -> &'static str {
        match self {
            Shell::Bash => "bash",
            Shell::Zsh => "zsh",
            Shell::Fish => "fish",
        }
    }
}

impl FromStr for Shell {
    type Err = String;

    fn from_str(s: &str) -> Result<Shell, String> {
        Shell::ALL
            .into_iter()
            .find(|shell| shell.name() == s)
            .ok_or_else(|| format!("unknown shell '{s}'; expected bash, zsh or fish"))
    }
}

const fn switch(
    long: &'static str,
    short: Option<char>,
    description: &'static str,
) -> FlagInfo<'static> {
    FlagInfo {
        kind: FlagInfoKind::Switch,
        optionality: Optionality::Optional,
        long,
        short,
        description,
        hidden: false,
    }
}

/// Options every command accepts, before or after its name (the dispatcher takes them out).
pub const GLOBAL_FLAGS: &[FlagInfo<'static>] = &[
    switch(
        "--json",
        None,
        "one JSON document on stdout; errors as JSON on stderr",
    ),
    switch(
        "--verbose",
        Some('v'),
        "debug lines on stderr (also DEBUG=guest* or DEBUG=guest:create)",
    ),
];

/// Options that stand in place of a command: `guestissuer --help`, `guestissuer --version`.
pub const ROOT_FLAGS: &[FlagInfo<'static>] = &[
    switch(
        "--help",
        Some('h'),
        "this help; 'guestissuer help <command>' for a command's help",
    ),
    switch("--version", Some('V'), "print the version"),
];

/// Words in the place of a command that are not commands, with what they do.
pub const ROOT_WORDS: &[(&str, &str)] = &[
    ("help", "the list of commands, or a command's help"),
    ("version", "print the version"),
];

/// The command `create` stands for when none is named.
const DEFAULT_COMMAND: &str = "create";

const BIN: &str = "guestissuer";

/// The completion script for `shell`, from the built-in commands' metadata (as
/// [`crate::Builtin::info`] gives it: named as typed on the command line).
pub fn script(shell: Shell, commands: &[CommandInfoWithArgs]) -> String {
    let model = Model::new(commands);
    match shell {
        Shell::Bash => bash(&model),
        Shell::Zsh => zsh(&model),
        Shell::Fish => fish(&model),
    }
}

/// The first sentence of a description, on one line: the short form shells show next to a word.
pub fn first_sentence(description: &str) -> String {
    let text = one_line(description);
    let end = text.find(". ").unwrap_or(text.len());
    let sentence = text[..end].trim_end_matches('.');
    // A trailing parenthesis is detail ("(POST {api}/guests/token, scope …)").
    let sentence = sentence.split(" (").next().unwrap_or(sentence);
    sentence.to_string()
}

/// Text from argh's metadata, on one line: whitespace, newlines included, collapsed to single
/// spaces, and braces unescaped (argh keeps descriptions, examples and notes as format strings,
/// where `{{` is `{`).
pub fn one_line(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace("{{", "{")
        .replace("}}", "}")
}

/// A flag as the scripts need it.
struct Flag {
    long: String,
    short: Option<char>,
    takes_value: bool,
    description: String,
}

impl Flag {
    fn from_info(flag: &FlagInfo) -> Flag {
        Flag {
            long: flag.long.to_string(),
            short: flag.short,
            takes_value: matches!(flag.kind, FlagInfoKind::Option { .. }),
            description: one_line(flag.description),
        }
    }

    /// The spellings: `--long`, then `-s`.
    fn words(&self) -> Vec<String> {
        let mut words = vec![self.long.clone()];
        words.extend(self.short.map(|s| format!("-{s}")));
        words
    }
}

/// One place on the command line that completes differently: the root (before any command), a
/// command, or a command's subcommand.
struct Context {
    /// `""` for the root, `"create"`, `"guests create"`.
    key: String,
    flags: Vec<Flag>,
    /// Words completed where no option is being typed: commands or subcommands, with their
    /// short description.
    words: Vec<(String, String)>,
    /// Whether it takes positional arguments (then file names are offered for them).
    positionals: bool,
    /// Whether external commands are completed here too.
    plugins: bool,
}

/// What the scripts are made from.
struct Model {
    /// Built-in command names, then the reserved words: what is not an external command.
    reserved: Vec<String>,
    /// Commands and their subcommands, each as `(command, subcommand)`.
    subcommands: Vec<(String, String)>,
    contexts: Vec<Context>,
}

impl Model {
    fn new(commands: &[CommandInfoWithArgs]) -> Model {
        let globals: Vec<Flag> = GLOBAL_FLAGS.iter().map(Flag::from_info).collect();
        let with_globals = |flags: &[FlagInfo]| -> Vec<Flag> {
            let mut out: Vec<Flag> = flags
                .iter()
                .filter(|f| !f.hidden)
                .map(Flag::from_info)
                .collect();
            out.extend(GLOBAL_FLAGS.iter().map(Flag::from_info));
            out
        };

        // The root: the commands, and the options of the default command, which may come first
        // (`guestissuer -i ISSUER 123 Ann`).
        let mut root_flags: Vec<Flag> = ROOT_FLAGS.iter().map(Flag::from_info).collect();
        root_flags.extend(globals);
        if let Some(default) = commands.iter().find(|c| c.name == DEFAULT_COMMAND) {
            for flag in default.flags.iter().filter(|f| !f.hidden) {
                if !root_flags.iter().any(|f| f.long == flag.long) {
                    root_flags.push(Flag::from_info(flag));
                }
            }
        }
        let mut root_words: Vec<(String, String)> = commands
            .iter()
            .map(|c| (c.name.to_string(), first_sentence(c.description)))
            .chain(
                ROOT_WORDS
                    .iter()
                    .map(|(w, d)| (w.to_string(), d.to_string())),
            )
            .collect();
        root_words.sort();
        let help_words: Vec<(String, String)> = commands
            .iter()
            .map(|c| (c.name.to_string(), first_sentence(c.description)))
            .collect();

        let mut contexts = vec![
            Context {
                key: String::new(),
                flags: root_flags,
                words: root_words,
                positionals: false,
                plugins: true,
            },
            Context {
                key: "help".into(),
                flags: vec![],
                words: sorted(help_words),
                positionals: false,
                plugins: true,
            },
        ];
        let mut subcommands = Vec::new();
        for command in commands {
            contexts.push(Context {
                key: command.name.to_string(),
                flags: with_globals(command.flags),
                words: sorted(
                    command
                        .commands
                        .iter()
                        .map(|s| (s.name.to_string(), first_sentence(s.command.description)))
                        .collect(),
                ),
                positionals: !command.positionals.is_empty(),
                plugins: false,
            });
            for sub in &command.commands {
                subcommands.push((command.name.to_string(), sub.name.to_string()));
                contexts.push(Context {
                    key: format!("{} {}", command.name, sub.name),
                    flags: with_globals(sub.command.flags),
                    words: vec![],
                    positionals: !sub.command.positionals.is_empty(),
                    plugins: false,
                });
            }
        }
        let reserved = commands
            .iter()
            .map(|c| c.name.to_string())
            .chain(ROOT_WORDS.iter().map(|(w, _)| w.to_string()))
            .collect();
        Model {
            reserved,
            subcommands,
            contexts,
        }
    }

    fn builtin_names(&self) -> impl Iterator<Item = &str> {
        self.reserved
            .iter()
            .map(String::as_str)
            .filter(|w| !ROOT_WORDS.iter().any(|(r, _)| r == w))
    }
}

fn sorted(mut words: Vec<(String, String)>) -> Vec<(String, String)> {
    words.sort();
    words
}

/// The `case` pattern that matches a word ending the search for a command: the root options.
fn root_flag_words() -> Vec<String> {
    ROOT_FLAGS
        .iter()
        .map(Flag::from_info)
        .flat_map(|f| f.words())
        .collect()
}

fn global_flag_words() -> Vec<String> {
    GLOBAL_FLAGS
        .iter()
        .map(Flag::from_info)
        .flat_map(|f| f.words())
        .collect()
}

fn value_words(flags: &[Flag]) -> Vec<String> {
    flags
        .iter()
        .filter(|f| f.takes_value)
        .flat_map(Flag::words)
        .collect()
}

fn bash(model: &Model) -> String {
    let mut s = String::new();
    let builtins: Vec<&str> = model.builtin_names().collect();
    let sub_patterns: Vec<String> = model
        .subcommands
        .iter()
        .map(|(c, s)| format!("\"{c} {s}\""))
        .collect();
    let _ = write!(
        s,
        r#"# bash completion for {BIN}, generated by '{BIN} completions bash' from the commands' own
# definitions. External commands ({BIN}-<name> on PATH) are looked for at completion time.
# Install: {BIN} completions bash > ~/.local/share/bash-completion/completions/{BIN}

# The external commands: executable {BIN}-<name> files on PATH, first one wins, built-ins excluded.
_{BIN}_plugins() {{
    local dir file name seen=" " IFS=:
    for dir in $PATH; do
        [[ -n $dir ]] || continue
        while IFS= read -r file; do
            [[ -f $file && -x $file ]] || continue
            name=${{file##*/{BIN}-}}
            case $name in
                ""|{reserved}) continue ;;
            esac
            case $seen in
                *" $name "*) ;;
                *) seen+="$name "; printf '%s\n' "$name" ;;
            esac
        done < <(compgen -G "$dir/{BIN}-*")
    done
}}

_{BIN}() {{
    local cur=${{COMP_WORDS[COMP_CWORD]}} prev=${{COMP_WORDS[COMP_CWORD-1]}}
    local cmd="" sub="" word i
    # Which command is being completed, as the dispatcher would see it.
    for ((i = 1; i < COMP_CWORD; i++)); do
        word=${{COMP_WORDS[i]}}
        if [[ -z $cmd ]]; then
            case $word in
                {globals}) ;;
                {builtins}) cmd=$word ;;
                help) cmd=help ;;
                version|{root_flags}) cmd=none ;;
                -*) cmd={DEFAULT_COMMAND} ;;
                *)
                    if [[ $'\n'$(_{BIN}_plugins)$'\n' == *$'\n'"$word"$'\n'* ]]; then
                        cmd=plugin
                    else
                        cmd={DEFAULT_COMMAND}
                    fi
                    ;;
            esac
        elif [[ -z $sub && $word != -* ]]; then
            case "$cmd $word" in
                {subs}) sub=$word ;;
            esac
        fi
    done

    local opts="" words="" values="" plugins=""
    case $cmd${{sub:+ $sub}} in
"#,
        reserved = model.reserved.join("|"),
        globals = global_flag_words().join("|"),
        builtins = builtins.join("|"),
        root_flags = root_flag_words().join("|"),
        subs = if sub_patterns.is_empty() {
            "\"\"".to_string()
        } else {
            sub_patterns.join("|")
        },
    );
    for context in &model.contexts {
        let opts: Vec<String> = context.flags.iter().flat_map(Flag::words).collect();
        let words: Vec<&str> = context.words.iter().map(|(w, _)| w.as_str()).collect();
        let _ = writeln!(s, "        \"{}\")", context.key);
        let _ = writeln!(s, "            opts=\"{}\"", opts.join(" "));
        if !words.is_empty() {
            let _ = writeln!(s, "            words=\"{}\"", words.join(" "));
        }
        let values = value_words(&context.flags);
        if !values.is_empty() {
            let _ = writeln!(s, "            values=\" {} \"", values.join(" "));
        }
        if context.plugins {
            let _ = writeln!(s, "            plugins=1");
        }
        let _ = writeln!(s, "            ;;");
    }
    let _ = write!(
        s,
        r#"        *) return 0 ;; # an external command's arguments: file names
    esac
    # The value of an option: file names (complete -o default).
    [[ $values == *" $prev "* ]] && return 0
    if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "$opts" -- "$cur"))
    else
        [[ -n $plugins ]] && words+=" $(_{BIN}_plugins)"
        [[ -n $words ]] && COMPREPLY=($(compgen -W "$words" -- "$cur"))
    fi
    return 0
}}

complete -o default -F _{BIN} {BIN}
"#
    );
    s
}

/// A zsh single-quoted string.
fn zsh_quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', r"'\''"))
}

fn zsh(model: &Model) -> String {
    let mut s = String::new();
    let builtins: Vec<&str> = model.builtin_names().collect();
    let sub_patterns: Vec<String> = model
        .subcommands
        .iter()
        .map(|(c, s)| format!("'{c} {s}'"))
        .collect();
    let _ = write!(
        s,
        r#"#compdef {BIN}
# zsh completion for {BIN}, generated by '{BIN} completions zsh' from the commands' own
# definitions. External commands ({BIN}-<name> on PATH) are looked for at completion time.
# Install: {BIN} completions zsh > "${{fpath[1]}}/_{BIN}" (any directory in $fpath), then
# restart zsh; or, after compinit, source <({BIN} completions zsh).

# The external commands: executable {BIN}-<name> files on PATH, first one wins, built-ins excluded.
_{BIN}_plugins() {{
    local file name
    local -a found
    for file in ${{^path}}/{BIN}-*(N-*); do
        name=${{file:t}}
        name=${{name#{BIN}-}}
        case $name in
            (''|{reserved}) continue ;;
        esac
        (( ${{found[(Ie)$name]}} )) || found+=("$name")
    done
    (( $#found )) && print -rl -- "${{found[@]}}"
}}

_{BIN}() {{
    local cur=${{words[CURRENT]}} prev=${{words[CURRENT-1]}} cmd= sub= word i
    local -a plugins
    # Which command is being completed, as the dispatcher would see it.
    for (( i = 2; i < CURRENT; i++ )); do
        word=${{words[i]}}
        if [[ -z $cmd ]]; then
            case $word in
                ({globals}) ;;
                ({builtins}) cmd=$word ;;
                (help) cmd=help ;;
                (version|{root_flags}) cmd=none ;;
                (-*) cmd={DEFAULT_COMMAND} ;;
                (*)
                    plugins=(${{(f)"$(_{BIN}_plugins)"}})
                    if (( ${{plugins[(Ie)$word]}} )); then
                        cmd=plugin
                    else
                        cmd={DEFAULT_COMMAND}
                    fi
                    ;;
            esac
        elif [[ -z $sub && $word != -* ]]; then
            case "$cmd $word" in
                ({subs}) sub=$word ;;
            esac
        fi
    done

    local -a opts cmds values
    local p with_plugins= files=
    case "$cmd${{sub:+ $sub}}" in
"#,
        reserved = model.reserved.join("|"),
        globals = global_flag_words().join("|"),
        builtins = builtins.join("|"),
        root_flags = root_flag_words().join("|"),
        subs = if sub_patterns.is_empty() {
            "''".to_string()
        } else {
            sub_patterns.join("|")
        },
    );
    for context in &model.contexts {
        let _ = writeln!(s, "        ({})", zsh_quote(&context.key));
        let opts: Vec<String> = context
            .flags
            .iter()
            .flat_map(|f| {
                f.words()
                    .into_iter()
                    .map(|w| zsh_quote(&format!("{w}:{}", f.description)))
            })
            .collect();
        let _ = writeln!(
            s,
            "            opts=(\n                {}\n            )",
            opts.join("\n                ")
        );
        if !context.words.is_empty() {
            let words: Vec<String> = context
                .words
                .iter()
                .map(|(w, d)| zsh_quote(&format!("{w}:{d}")))
                .collect();
            let _ = writeln!(
                s,
                "            cmds=(\n                {}\n            )",
                words.join("\n                ")
            );
        }
        let values = value_words(&context.flags);
        if !values.is_empty() {
            let _ = writeln!(s, "            values=({})", values.join(" "));
        }
        if context.plugins {
            let _ = writeln!(s, "            with_plugins=1");
        }
        if context.positionals {
            let _ = writeln!(s, "            files=1");
        }
        let _ = writeln!(s, "            ;;");
    }
    let _ = write!(
        s,
        r#"        (*) _files; return ;; # an external command's arguments: file names
    esac
    # The value of an option: file names.
    if (( ${{values[(Ie)$prev]}} )); then
        _files
        return
    fi
    if [[ $cur == -* ]]; then
        _describe -t options option opts
    else
        if [[ -n $with_plugins ]]; then
            for p in ${{(f)"$(_{BIN}_plugins)"}}; do
                cmds+=("${{p}}:external command")
            done
        fi
        if (( $#cmds )); then
            _describe -t commands command cmds
        elif [[ -n $files ]]; then
            _files
        fi
    fi
}}

if [[ $funcstack[1] == _{BIN} ]]; then
    _{BIN} "$@"
else
    compdef _{BIN} {BIN}
fi
"#
    );
    s
}

/// A fish single-quoted string.
fn fish_quote(text: &str) -> String {
    format!("'{}'", text.replace('\\', r"\\").replace('\'', r"\'"))
}

fn fish(model: &Model) -> String {
    let mut s = String::new();
    let builtins: Vec<&str> = model.builtin_names().collect();
    let sub_patterns: Vec<String> = model
        .subcommands
        .iter()
        .map(|(c, s)| fish_quote(&format!("{c} {s}")))
        .collect();
    let _ = write!(
        s,
        r#"# fish completion for {BIN}, generated by '{BIN} completions fish' from the commands' own
# definitions. External commands ({BIN}-<name> on PATH) are looked for at completion time.
# Install: {BIN} completions fish > ~/.config/fish/completions/{BIN}.fish

# The external commands: executable {BIN}-<name> files on PATH, first one wins, built-ins excluded.
function __{BIN}_plugins
    set -l seen
    for dir in $PATH
        for file in $dir/{BIN}-*
            test -f $file -a -x $file; or continue
            set -l name (string replace -r '^.*/{BIN}-' '' -- $file)
            contains -- "$name" '' {reserved} $seen; and continue
            set -a seen $name
            echo $name
        end
    end
end

# Which command is being completed, as the dispatcher would see it: '' before any, 'create',
# 'guests create', 'help', 'plugin' for an external command, 'none' after --version.
function __{BIN}_context
    set -l cmd ''
    set -l sub ''
    for word in (commandline -opc)[2..-1]
        if test -z "$cmd"
            switch $word
                case {globals}
                case {builtins}
                    set cmd $word
                case help
                    set cmd help
                case version {root_flags}
                    set cmd none
                case '-*'
                    set cmd {DEFAULT_COMMAND}
                case '*'
                    if contains -- $word (__{BIN}_plugins)
                        set cmd plugin
                    else
                        set cmd {DEFAULT_COMMAND}
                    end
            end
        else if test -z "$sub"; and not string match -q -- '-*' $word
            switch "$cmd $word"
                case {subs}
                    set sub $word
            end
        end
    end
    if test -n "$sub"
        echo "$cmd $sub"
    else
        echo $cmd
    end
end

function __{BIN}_in
    set -l context (__{BIN}_context)
    test "$context" = "$argv[1]"
end

# No file names unless a rule below allows them.
complete -c {BIN} -f
complete -c {BIN} -n '__{BIN}_in plugin' -F
"#,
        reserved = model.reserved.join(" "),
        globals = global_flag_words().join(" "),
        builtins = builtins.join(" "),
        root_flags = root_flag_words().join(" "),
        subs = if sub_patterns.is_empty() {
            "''".to_string()
        } else {
            sub_patterns.join(" ")
        },
    );
    for context in &model.contexts {
        let condition = fish_quote(&format!("__{BIN}_in {}", fish_quote(&context.key)));
        let head = format!("complete -c {BIN} -n {condition}");
        let _ = writeln!(s);
        for (word, description) in &context.words {
            let _ = writeln!(
                s,
                "{head} -a {} -d {}",
                fish_quote(word),
                fish_quote(description)
            );
        }
        if context.plugins {
            let _ = writeln!(s, "{head} -a '(__{BIN}_plugins)' -d 'external command'");
        }
        if context.positionals {
            let _ = writeln!(s, "{head} -F");
        }
        for flag in &context.flags {
            let mut line = head.clone();
            if let Some(long) = flag.long.strip_prefix("--") {
                let _ = write!(line, " -l {long}");
            }
            if let Some(short) = flag.short {
                let _ = write!(line, " -s {short}");
            }
            if flag.takes_value {
                line.push_str(" -r -F");
            }
            let _ = writeln!(s, "{line} -d {}", fish_quote(&flag.description));
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shells_by_name() {
        assert_eq!("zsh".parse::<Shell>(), Ok(Shell::Zsh));
        assert_eq!(
            "tcsh".parse::<Shell>(),
            Err("unknown shell 'tcsh'; expected bash, zsh or fish".to_string())
        );
    }

    #[test]
    fn first_sentences() {
        assert_eq!(
            first_sentence("Count the Service App's guests (GET {api}/guests/count). stdout: n."),
            "Count the Service App's guests"
        );
        assert_eq!(first_sentence("Print\n  the version."), "Print the version");
        assert_eq!(first_sentence("A JWT {{sub, exp}}."), "A JWT {sub, exp}");
    }

    #[test]
    fn quoting() {
        assert_eq!(zsh_quote("it's"), r"'it'\''s'");
        assert_eq!(fish_quote(r"it's a \ "), r"'it\'s a \\ '");
    }
}
