//! `guestissuer add-to-space <room_id> (--person-id ID | --guest TOKEN)`: put a guest in a space.

use argh::FromArgs;
use guestissuer_core::webex::{AddMembership, PeopleMe};
use serde_json::Value;

use super::Command;
use crate::log::shorten;
use crate::net::{with_net_options, Net};
use crate::{input, Context, Failure};

with_net_options! {
    #[derive(FromArgs, argh::ArgsInfo)]
    /// Add a guest (or anyone) to a Webex space (POST {api}/memberships), authorised by a member of the
    /// space. Guests cannot be added by email: give their person id, or their access token with
    /// --guest and guestissuer looks the person id up first (GET {api}/people/me with the guest's
    /// token). stdout: the membership id; --json: the membership.
    #[argh(
        name = "add-to-space",
        example = "guestissuer add-to-space Y2lzY29...ROOM --guest \"$GUEST_ACCESS\" --token-file ./member.token",
        example = "guestissuer add-to-space Y2lzY29...ROOM --person-id Y2lzY29...PERSON --moderator",
        note = "The member's token comes from --token (- reads stdin), --token-file or $WEBEX_TOKEN; it needs the spark:memberships_write scope (a user or bot token of a member of the space). The guest's own token, with --guest, needs spark:people_read, which guest tokens have.",
        note = "Network options: --api-url, --ca-file, --timeout (see 'guestissuer login --help'). Global options: --json, -v/--verbose.",
        error_code(1, "Webex refused (room or person not found, already a member, not allowed), or the network failed"),
        error_code(2, "usage or input error")
    )]
    pub struct AddToSpace {
        /// the space (room) id
        #[argh(positional)]
        room_id: String,
        /// the person id to add
        #[argh(option, arg_name = "id")]
        person_id: Option<String>,
        /// the guest's access token (or - for stdin): its person id is looked up first
        #[argh(option, arg_name = "access_token")]
        guest: Option<String>,
        /// make them a moderator of the space
        #[argh(switch)]
        moderator: bool,
        /// access token of a member of the space, or - for stdin (default: $WEBEX_TOKEN)
        #[argh(option)]
        token: Option<String>,
        /// read the member's token from this file
        #[argh(option, arg_name = "path")]
        token_file: Option<String>,
    }
}

impl Command for AddToSpace {
    const NAME: &'static str = "add-to-space";
    const SUMMARY: &'static str =
        "add a guest to a Webex space (by person id or by the guest's token)";

    fn run(self, ctx: &mut Context) -> Result<(), Failure> {
        if self.room_id.trim().is_empty() {
            return Err(Failure::usage(
                "the room id is empty: pass the space's <room_id>",
            ));
        }
        let stdin_args = [self.guest.as_deref(), self.token.as_deref()]
            .iter()
            .filter(|a| matches!(a, Some("-") | Some(input::STDIN_ARG)))
            .count();
        if stdin_args > 1 {
            return Err(Failure::usage(
                "only one of --guest and --token can read stdin",
            ));
        }
        let args = self.net_args();
        let mut net = Net::new(ctx, args)?;
        let guest = match (&self.person_id, &self.guest) {
            (Some(_), Some(_)) => {
                return Err(Failure::usage(
                    "use either --person-id or --guest, not both",
                ))
            }
            (None, None) => {
                return Err(Failure::usage(
                    "who to add? pass --person-id ID or --guest ACCESS_TOKEN",
                ))
            }
            (Some(id), None) if id.trim().is_empty() => {
                return Err(Failure::usage("the person id is empty"))
            }
            (Some(_), None) => None,
            (None, Some(arg)) => Some(input::token(ctx, arg, "guest access token")?),
        };
        let token = input::webex_token(ctx, self.token.as_deref(), self.token_file.as_deref())?;
        let person_id = match guest {
            Some(guest) => {
                ctx.debug("guest:add-to-space", || {
                    format!("looking up the person behind {}", shorten(&guest))
                });
                let person = net.run(
                    ctx,
                    &PeopleMe {
                        access_token: &guest,
                    },
                )?;
                ctx.debug("guest:add-to-space", || {
                    format!("the guest is person {}", person.id)
                });
                person.id
            }
            None => self.person_id.unwrap_or_default().trim().to_string(),
        };
        let add = AddMembership {
            token: &token,
            room_id: self.room_id.trim(),
            person_id: &person_id,
            is_moderator: self.moderator,
        };
        let membership = net.run(ctx, &add)?;
        if ctx.json {
            writeln!(ctx.out, "{:#}", Value::Object(membership.raw.clone()))?;
        } else {
            writeln!(ctx.out, "{}", membership.id)?;
        }
        let who = membership
            .raw
            .get("personDisplayName")
            .and_then(Value::as_str)
            .unwrap_or(&person_id);
        let role = if self.moderator {
            " as a moderator"
        } else {
            ""
        };
        writeln!(ctx.err, "added {who} to the space{role}")?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::{fixture, run};

    #[test]
    fn guest_flow_resolves_the_person_then_adds_it() {
        let f = fixture("add-to-space-guest-200.json");
        let args = [
            "add-to-space",
            f.input("roomId"),
            "--guest",
            "-",
            "--token",
            f.input("token"),
        ];
        let r = run(
            &args,
            &[],
            f.input("guestToken"),
            Some("add-to-space-guest-200.json"),
        );
        assert_eq!(r.code, 0, "{}", r.err);
        assert_eq!(r.sent.len(), 2);
        assert_eq!(r.sent[0].uri(), "https://webexapis.com/v1/people/me");
        assert_eq!(
            r.sent[0].headers()["authorization"],
            format!("Bearer {}", f.input("guestToken")).as_str()
        );
        assert_eq!(r.sent[1].uri(), "https://webexapis.com/v1/memberships");
        assert_eq!(
            r.sent[1].headers()["authorization"],
            format!("Bearer {}", f.input("token")).as_str()
        );
        assert_eq!(r.err, "added Stève to the space\n");
    }
}
