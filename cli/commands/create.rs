//! `guestissuer [create] <user_id> <user_name>`: sign a guest token, offline.

use argh::{ArgsInfo, FromArgs};
use guestissuer_core::time::{human_duration, rfc3339};
use guestissuer_core::{GuestClaims, Signer};
use serde_json::json;

use super::Command;
use crate::batch::{self, Batch};
use crate::input::{self, expiry, issuer, non_empty, secret};
use crate::{Context, Failure};

#[derive(FromArgs, ArgsInfo)]
/// Create a guest token: an HS256 JWT {sub, name, iss, exp} signed with the Guest Issuer secret.
/// Offline: nothing is sent anywhere. `create` is the default command, so it may be left out.
#[argh(
    example = "guestissuer create 123456789 \"John Doe\" -i Y2lzY29...ZDY -s AMx/FPI...zD6o=",
    example = "guestissuer 123456789 \"John Doe\" -i Y2lzY29...ZDY -s AMx/FPI...zD6o=",
    example = "ISSUER=Y2lzY29...ZDY SECRET=AMx/FPI...zD6o= guestissuer create 123 \"Stève\" -d 3600",
    example = "guestissuer create 123 \"Stève\" -i Y2lzY29...ZDY --secret-file ./issuer.secret --json",
    example = "guestissuer create --batch guests.csv -d 86400 > tokens.jsonl",
    note = "The token alone goes to stdout, so T=$(guestissuer create ...) works; one line on stderr says for whom and until when.",
    note = "--batch reads CSV rows user_id,user_name (RFC 4180 quoting, UTF-8, an optional header row user_id,user_name) and writes one JSON object per line, {{\"sub\", \"name\", \"exp\", \"token\"}}, in input order. A bad row stops the run with exit 2 naming its line, unless --skip-invalid.",
    note = "Environment: ISSUER applies when -i is absent, SECRET when -s and --secret-file are, EXPIRES (seconds) when -d and --expires-at are.",
    note = "Global options: --json (one JSON document on stdout, JSON errors on stderr), -v/--verbose (debug lines on stderr; also DEBUG=guest*).",
    error_code(1, "the operation failed"),
    error_code(2, "usage or input error")
)]
pub struct Create {
    /// the guest's id, unique within the issuer (the same id is the same
    /// guest), then the display name shown in Webex spaces
    #[argh(positional, arg_name = "user_id user_name")]
    user: Vec<String>,
    /// the Guest Issuer application id (default: $ISSUER)
    #[argh(option, short = 'i')]
    issuer: Option<String>,
    /// the Guest Issuer secret, base64 (default: $SECRET); prefer --secret-file or SECRET
    #[argh(option, short = 's')]
    secret: Option<String>,
    /// read the secret from this file instead (trimmed), or - for stdin
    #[argh(option, arg_name = "path")]
    secret_file: Option<String>,
    /// lifetime in seconds from now (default: $EXPIRES, else 5400 = 90 minutes)
    #[argh(option, short = 'd', arg_name = "seconds")]
    delay: Option<String>,
    /// expiry as an absolute Unix time in seconds, instead of -d
    #[argh(option, arg_name = "unix")]
    expires_at: Option<String>,
    /// sign a token for every row of this CSV file (user_id,user_name), or - for stdin; writes
    /// one JSON object per line
    #[argh(option, arg_name = "file.csv")]
    batch: Option<String>,
    /// with --batch: report bad rows on stderr and go on, instead of stopping at the first
    #[argh(switch)]
    skip_invalid: bool,
}

impl Command for Create {
    const NAME: &'static str = "create";
    const SUMMARY: &'static str = "sign a guest token (offline); the default command";

    fn run(self, ctx: &mut Context) -> Result<(), Failure> {
        if let Some(path) = &self.batch {
            return self.batch(ctx, path);
        }
        if self.skip_invalid {
            return Err(Failure::usage("--skip-invalid goes with --batch"));
        }
        let (sub, name) = match <[String; 2]>::try_from(self.user) {
            Ok([sub, name]) => (sub, name),
            Err(user) => return Err(user_count(&user)),
        };
        non_empty(&sub, "user id", "<user_id>")?;
        non_empty(&name, "user name", "<user_name>")?;
        let issuer = issuer(ctx, self.issuer.as_deref())?;
        let secret = secret(ctx, self.secret.as_deref(), self.secret_file.as_deref())?;
        let exp = expiry(ctx, self.delay.as_deref(), self.expires_at.as_deref())?;
        ctx.debug("guest:create", || {
            format!("signing a guest token for sub {sub:?} with issuer {issuer:?}")
        });

        let claims = GuestClaims {
            sub: &sub,
            name: &name,
            iss: &issuer,
            exp,
        };
        let token = Signer::new(&secret).sign(&claims);
        ctx.debug("guest:create", || {
            format!("signed {}", guestissuer_core::credential::shorten(&token))
        });
        if ctx.json {
            let doc = json!({
                "token": token, "sub": sub, "name": name, "iss": issuer,
                "exp": exp, "expiresAt": rfc3339(exp),
            });
            ctx.data(format_args!("{doc:#}"))?;
        } else {
            ctx.data(&token)?;
        }
        writeln!(
            ctx.err,
            "guest token for {name:?} (user id {sub:?}), valid {}, until {}",
            human_duration(exp.saturating_sub(ctx.now())),
            rfc3339(exp)
        )?;
        Ok(())
    }
}

impl Create {
    fn batch(&self, ctx: &mut Context, path: &str) -> Result<(), Failure> {
        if !self.user.is_empty() {
            return Err(Failure::usage(
                "use either <user_id> <user_name> or --batch, not both",
            ));
        }
        // --batch writes JSON lines whatever --json says; --json still makes errors JSON.
        if input::is_stdin(path) && self.secret_file.as_deref().is_some_and(input::is_stdin) {
            return Err(Failure::usage(
                "only one of --batch and --secret-file can read stdin: give one of them a file",
            ));
        }
        let issuer = issuer(ctx, self.issuer.as_deref())?;
        let secret = secret(ctx, self.secret.as_deref(), self.secret_file.as_deref())?;
        let exp = expiry(ctx, self.delay.as_deref(), self.expires_at.as_deref())?;
        let signer = Signer::new(&secret);
        ctx.debug("guest:create", || format!("batch from {path}"));
        let batch = Batch {
            signer: &signer,
            iss: &issuer,
            exp,
            skip_invalid: self.skip_invalid,
            now: ctx.now(),
        };
        if input::is_stdin(path) {
            return batch::run(
                &batch,
                &mut *ctx.stdin,
                "stdin",
                &mut *ctx.out,
                &mut *ctx.err,
            );
        }
        let file_path = ctx.path(path);
        let shown = file_path.display().to_string();
        let mut file = std::fs::File::open(&file_path).map_err(|e| {
            Failure::usage(format!(
                "cannot read the batch file {shown}: {}",
                input::io_reason(&e)
            ))
        })?;
        batch::run(&batch, &mut file, &shown, &mut *ctx.out, &mut *ctx.err)
    }
}

fn user_count(user: &[String]) -> Failure {
    const USAGE: &str = "guestissuer create <user_id> <user_name> -i ISSUER -s SECRET";
    match user {
        [] => Failure::usage(format!("missing <user_id> and <user_name>: {USAGE}")),
        [_] => Failure::usage(format!("missing <user_name>: {USAGE}")),
        more => Failure::usage(format!(
            "unexpected argument {:?} after <user_id> <user_name>; quote a name with spaces: \"John Doe\"",
            crate::help::shown_word(more.get(2).map_or("", String::as_str))
        )),
    }
}

#[cfg(test)]
mod tests {
    use guestissuer_core::{GuestClaims, IssuerSecret, Signer};

    use crate::testing::{run, ISSUER, NOW, SECRET};

    fn expected(exp: u64) -> String {
        let secret = IssuerSecret::from_base64(SECRET).unwrap();
        Signer::new(&secret).sign(&GuestClaims {
            sub: "123",
            name: "Stève",
            iss: ISSUER,
            exp,
        })
    }

    #[test]
    fn signs_with_the_default_lifetime_from_the_environment() {
        let r = run(
            &["123", "Stève"],
            &[("ISSUER", ISSUER), ("SECRET", SECRET)],
            "",
            None,
        );
        assert_eq!((r.code, r.out), (0, format!("{}\n", expected(NOW + 5400))));
        assert_eq!(
            r.err,
            "guest token for \"Stève\" (user id \"123\"), valid 1h30m, until 2026-11-28T05:03:20Z\n"
        );
    }

    #[test]
    fn expires_env_and_flags() {
        let env = [("ISSUER", ISSUER), ("SECRET", SECRET), ("EXPIRES", "60")];
        assert_eq!(
            run(&["create", "123", "Stève"], &env, "", None).out,
            format!("{}\n", expected(NOW + 60))
        );
        let flags = run(&["create", "123", "Stève", "-d", "120"], &env, "", None);
        assert_eq!(flags.out, format!("{}\n", expected(NOW + 120)));
    }

    #[test]
    fn json_document() {
        let r = run(
            &[
                "create", "123", "Stève", "-i", ISSUER, "-s", SECRET, "--json",
            ],
            &[],
            "",
            None,
        );
        let doc: serde_json::Value = serde_json::from_str(&r.out).unwrap();
        let keys: Vec<&str> = doc
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(keys, ["token", "sub", "name", "iss", "exp", "expiresAt"]);
        assert_eq!(doc["token"], expected(NOW + 5400));
        assert_eq!(doc["expiresAt"], "2026-11-28T05:03:20Z");
    }
}
