//! Operations of several exchanges, each one library function that a program (the CLI) and the
//! tests call alike.

use guestissuer_core::service_app::{Credentials, TokenAnswer};
use guestissuer_core::webex::{AddMembership, Membership, PeopleMe, Person};
use guestissuer_core::AccessToken;

use crate::{Error, Session};

/// Who to add to a space.
#[derive(Debug, Clone, Copy)]
pub enum Member<'a> {
    /// A person id, as it is.
    PersonId(&'a str),
    /// A guest's access token: its person id is looked up first (`GET /people/me` with it).
    Guest(&'a AccessToken),
}

/// What [`add_to_space`] did.
#[derive(Debug, Clone)]
pub struct Added {
    /// The person looked up, when the member was given by its token.
    pub person: Option<Person>,
    /// The membership Webex created.
    pub membership: Membership,
}

/// Adds `member` to the space `room_id`, authorised by `token` (a member of the space): for a
/// guest given by its access token, `GET /people/me` with the guest's token first, then
/// `POST /memberships` with the member's token.
pub fn add_to_space(
    session: &mut Session,
    token: &AccessToken,
    room_id: &str,
    member: Member,
    is_moderator: bool,
) -> Result<Added, Error> {
    let (person, person_id) = match member {
        Member::PersonId(id) => (None, id.to_string()),
        Member::Guest(guest) => {
            let person = session.execute(&PeopleMe {
                access_token: guest,
            })?;
            let id = person.id.clone();
            (Some(person), id)
        }
    };
    let membership = session.execute(&AddMembership {
        token,
        room_id,
        person_id: &person_id,
        is_moderator,
    })?;
    Ok(Added { person, membership })
}

/// Refreshes the access token of `credentials` (`POST /access_token`) and returns the
/// credentials to keep: the new access token, and the refresh token the answer carries (a new
/// one, when Webex rotates them, or the same one). Expiries count from the clock's time when the
/// answer arrived. On any error the caller's credentials are untouched.
pub fn refresh(
    session: &mut Session,
    credentials: &Credentials,
) -> Result<(Credentials, TokenAnswer), Error> {
    let answer = session.execute(&credentials.refresh())?;
    let now = session.clock().unix_seconds();
    Ok((credentials.refreshed(&answer, now)?, answer))
}
