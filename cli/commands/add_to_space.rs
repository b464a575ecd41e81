//! `guestissuer add-to-space <room_id> (--person-id ID | --guest TOKEN)`: put a guest in a space.

use argh::{ArgsInfo, FromArgs};
use guestissuer_core::AccessToken;
use guestissuer_transport::flows::{self, Member};
use serde_json::Value;

use super::Command;
use crate::net::{Net, NetArgs};
use crate::{input, Context, Failure};

#[derive(FromArgs, ArgsInfo)]
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
    /// the Webex API base URL (default: $WEBEX_API_URL, else https://webexapis.com/v1)
    #[argh(option, arg_name = "url")]
    api_url: Option<String>,
    /// extra trusted root certificates, PEM (default: $SSL_CERT_FILE)
    #[argh(option, arg_name = "pem")]
    ca_file: Option<String>,
    /// overall timeout in seconds, retries included (default 30)
    #[argh(option, arg_name = "seconds")]
    timeout: Option<String>,
}

impl Command for AddToSpace {
    const NAME: &'static str = "add-to-space";
    const SUMMARY: &'static str = "put a guest in a Webex space, by person id or by its token";

    fn run(self, ctx: &mut Context) -> Result<(), Failure> {
        let room_id = input::non_empty(&self.room_id, "room id", "<room_id>")?.trim();
        let stdin_args = [self.guest.as_deref(), self.token.as_deref()]
            .into_iter()
            .flatten()
            .filter(|a| input::is_stdin(a))
            .count();
        if stdin_args > 1 {
            return Err(Failure::usage(
                "only one of --guest and --token can read stdin",
            ));
        }
        let mut net = Net::new(ctx, NetArgs::new(self.api_url, self.ca_file, self.timeout))?;
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
            (None, Some(arg)) => Some(AccessToken::new(input::token(
                ctx,
                arg,
                "guest access token",
            )?)),
        };
        let token = input::webex_token(
            ctx,
            &mut net,
            self.token.as_deref(),
            self.token_file.as_deref(),
        )?;
        let member = match (&guest, &self.person_id) {
            (Some(guest), _) => {
                ctx.debug("guest:add-to-space", || {
                    format!(
                        "looking up the person behind {}, then adding it",
                        guest.shortened()
                    )
                });
                Member::Guest(guest)
            }
            (None, id) => Member::PersonId(id.as_deref().unwrap_or_default().trim()),
        };
        let added = net.session(ctx, |session| {
            flows::add_to_space(session, &token, room_id, member, self.moderator)
        })?;
        if let Some(person) = &added.person {
            ctx.debug("guest:add-to-space", || {
                format!("the guest is person {}", person.id)
            });
        }
        let membership = added.membership;
        let person_id = membership
            .raw
            .get("personId")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        if ctx.json {
            ctx.data(format_args!("{:#}", Value::Object(membership.raw.clone())))?;
        } else {
            ctx.data(&membership.id)?;
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
    use guestissuer_fixtures::Call;

    use crate::testing::{fixture, run};

    #[test]
    fn guest_flow_resolves_the_person_then_adds_it() {
        let f = fixture("add-to-space-guest-200.json");
        let Call::AddToSpaceGuest {
            token,
            guest_token,
            room_id,
        } = &f.call
        else {
            panic!("an add-to-space/guest fixture")
        };
        let (token, guest_token) = (token.secret(), guest_token.secret());
        let args = ["add-to-space", room_id, "--guest", "-", "--token", token];
        let r = run(&args, &[], guest_token, Some("add-to-space-guest-200.json"));
        assert_eq!(r.code, 0, "{}", r.err);
        assert_eq!(r.sent.len(), 2);
        assert_eq!(r.sent[0].uri(), "https://webexapis.com/v1/people/me");
        assert_eq!(
            r.sent[0].headers()["authorization"],
            format!("Bearer {guest_token}").as_str()
        );
        assert_eq!(r.sent[1].uri(), "https://webexapis.com/v1/memberships");
        assert_eq!(
            r.sent[1].headers()["authorization"],
            format!("Bearer {token}").as_str()
        );
        assert_eq!(r.err, "added Stève to the space\n");
    }
}
