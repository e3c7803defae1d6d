"""People, their chat identities, teams, roles and supervision links.

Sessions are owned by a chat identity ("platform:workspace:user"), because that is all a
platform tells us. This module maps identities to people, so a worker's Slack and Teams
accounts are one person, and a supervisor can be linked to named people or whole teams.

`Directory` is a read-only snapshot the access rules are decided over (it is small: a
council's staff, not its cases). The admin functions below change it, each one audited and
each one refused, kindly, to anyone who is not an admin.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Literal, get_args

from bot.errors import NotFound
from bot.records import audit
from bot.records.access import require_admin
from bot.records.directory import CONSOLE_PREFIX, Directory, Requester
from bot.records.refusals import invalid, not_found
from storage.records_repository import PeopleRepository
from storage.repository import TurnTx

__all__ = ["ROLES", "Directory", "PeopleAdmin", "Requester", "Role", "load_directory"]

Role = Literal["practitioner", "supervisor", "admin"]
ROLES: tuple[Role, ...] = get_args(Role)
_ID = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")


async def load_directory(rtx: PeopleRepository) -> Directory:
    return Directory(await rtx.people_snapshot())


# ---------------------------------------------------------------- admin changes


def valid_id(value: str) -> str:
    """A person or team handle: lower case letters, digits, dot, dash, underscore."""
    cleaned = value.strip().lower()
    if not _ID.fullmatch(cleaned):
        raise NotFound(
            f"bad id {value!r}",
            user_message=(
                f"'{value}' can't be used as a handle: use up to 64 lower-case letters, digits, "
                "dots, dashes or underscores, for example worker-a."
            ),
        )
    return cleaned


def id_from_user(user: str) -> str:
    """A person handle made from a platform user id, e.g. Slack `U07AB12` -> `u07ab12`."""
    cleaned = re.sub(r"[^a-z0-9._-]+", "-", user.lower()).strip("-.") or "person"
    return cleaned[:64]


class PeopleAdmin:
    """Admin changes to people, teams, roles and links, each audited.

    `bootstrap` lets the server's operator create the first admin from the CLI; it is
    refused as soon as any admin exists.
    """

    def __init__(self, tx: TurnTx, actor: Requester, now: datetime) -> None:
        self.tx = tx
        self.rtx = tx.people
        self.actor = actor
        self.now = now

    async def _check(self, doing: str, bootstrap: bool = False) -> None:
        if bootstrap and not await self.rtx.any_admin():
            return
        require_admin(self.actor, doing, anyone_admin=await self.rtx.any_admin())

    async def _audit(self, change: str, target_kind: str, target_id: str, **detail: str | None) -> None:
        await audit.record(
            self.tx.audit,
            self.actor,
            "people_changed",
            target_kind,
            target_id,
            {"change": change, **detail},
            self.now,
        )

    async def _person(self, ref: str) -> str:
        """Read from the database, not a snapshot, so a person added a moment ago is found."""
        ref = ref.strip()
        for candidate in dict.fromkeys((ref, ref.lower())):
            if await self.rtx.person(candidate) is not None:
                return candidate
        for owner in (ref, CONSOLE_PREFIX + ref):
            person_id = await self.rtx.person_for_owner(owner)
            if person_id is not None:
                return person_id
        raise not_found("no_person", name=ref)

    async def _team(self, ref: str) -> str:
        team = await self.rtx.team(ref.strip().lower())
        if team is None:
            raise not_found("no_team", team=ref)
        return team.id

    async def add_person(
        self,
        person_id: str,
        name: str,
        identities: tuple[str, ...] = (),
        roles: tuple[str, ...] = (),
        bootstrap: bool = False,
    ) -> bool:
        """Add a person (or add identities and roles to an existing one). True if new."""
        await self._check("add people", bootstrap=bootstrap and "admin" in roles)
        person_id = valid_id(person_id)
        created = await self.rtx.person(person_id) is None
        if created:
            await self.rtx.add_person(person_id, name.strip() or person_id, self.actor.key, self.now)
            await self._audit("add_person", "person", person_id)
        for owner in identities:
            await self._link_identity(person_id, owner)
        for role in roles:
            await self._grant(person_id, role)
        return created

    async def _link_identity(self, person_id: str, owner: str) -> None:
        if owner.count(":") < 2:
            owner = CONSOLE_PREFIX + owner
        current = await self.rtx.person_for_owner(owner)
        if current == person_id:
            return
        if current is not None:
            raise invalid("identity_taken", current=current)
        await self.rtx.add_identity(owner, person_id, owner.split(":", 1)[0], self.now)
        await self._audit("add_identity", "person", person_id, identity=owner)

    async def add_identity(self, person_ref: str, owner: str) -> None:
        await self._check("link chat accounts to people")
        await self._link_identity(await self._person(person_ref), owner)

    async def ensure_person(self, owner: str) -> str:
        """The person behind a chat identity, created (named after the user id) if new."""
        await self._check("add people")
        existing = await self.rtx.person_for_owner(owner)
        if existing is not None:
            return existing
        base = id_from_user(owner.split(":", 2)[-1])
        person_id, n = base, 1
        while await self.rtx.person(person_id) is not None:
            n += 1
            person_id = f"{base[:60]}-{n}"
        await self.rtx.add_person(person_id, owner.split(":", 2)[-1], self.actor.key, self.now)
        await self._audit("add_person", "person", person_id)
        await self._link_identity(person_id, owner)
        return person_id

    async def rename(self, person_ref: str, name: str) -> None:
        await self._check("rename people")
        person_id = await self._person(person_ref)
        await self.rtx.rename_person(person_id, name.strip())
        await self._audit("rename", "person", person_id)

    async def add_team(self, team_id: str, name: str | None = None) -> bool:
        await self._check("add teams")
        team_id = valid_id(team_id)
        if await self.rtx.team(team_id) is not None:
            return False
        await self.rtx.add_team(team_id, (name or team_id).strip(), self.actor.key, self.now)
        await self._audit("add_team", "team", team_id)
        return True

    async def add_member(self, person_ref: str, team_ref: str) -> bool:
        await self._check("change team membership")
        person_id, team_id = await self._person(person_ref), await self._team(team_ref)
        added = await self.rtx.add_member(team_id, person_id, self.actor.key, self.now)
        if added:
            await self._audit("add_member", "team", team_id, person=person_id)
        return added

    async def remove_member(self, person_ref: str, team_ref: str) -> bool:
        await self._check("change team membership")
        person_id, team_id = await self._person(person_ref), await self._team(team_ref)
        removed = await self.rtx.remove_member(team_id, person_id)
        if removed:
            await self._audit("remove_member", "team", team_id, person=person_id)
        return removed

    async def _grant(self, person_id: str, role: str) -> bool:
        if role not in ROLES:
            raise not_found("no_role", role=role)
        granted = await self.rtx.grant_role(person_id, role, self.actor.key, self.now)
        if granted:
            await self._audit("grant_role", "person", person_id, role=role)
        return granted

    async def grant_role(self, person_ref: str, role: str) -> bool:
        await self._check("give people roles", bootstrap=role == "admin")
        return await self._grant(await self._person(person_ref), role.lower())

    async def revoke_role(self, person_ref: str, role: str) -> bool:
        await self._check("change people's roles")
        person_id = await self._person(person_ref)
        if role.lower() not in ROLES:
            raise not_found("no_role", role=role)
        revoked = await self.rtx.revoke_role(person_id, role.lower())
        if revoked:
            await self._audit("revoke_role", "person", person_id, role=role.lower())
        return revoked

    async def pattern_owners(self, person_ref: str) -> tuple[str, list[str]]:
        """An admin sets someone's working pattern (issue 16): whose, and their chat accounts
        (a pattern is kept per account, as reminders are)."""
        await self._check("set working patterns")
        person_id = await self._person(person_ref)
        owners = sorted((await load_directory(self.rtx)).identities_of(person_id))
        if not owners:
            raise invalid("no_identities", person=person_id)
        await self._audit("set_pattern", "person", person_id)
        return person_id, owners

    async def link(
        self, supervisor_ref: str, person_ref: str | None = None, team_ref: str | None = None
    ) -> bool:
        """Make someone a supervisor of a person or a team (granting the supervisor role)."""
        await self._check("link supervisors")
        supervisor_id = await self._person(supervisor_ref)
        person_id = await self._person(person_ref) if person_ref else None
        team_id = await self._team(team_ref) if team_ref else None
        await self._grant(supervisor_id, "supervisor")
        linked = await self.rtx.add_link(supervisor_id, person_id, team_id, self.actor.key, self.now)
        if linked:
            await self._audit("link_supervisor", "person", supervisor_id, supervisee=person_id, team=team_id)
        return linked

    async def unlink(
        self, supervisor_ref: str, person_ref: str | None = None, team_ref: str | None = None
    ) -> bool:
        await self._check("unlink supervisors")
        supervisor_id = await self._person(supervisor_ref)
        person_id = await self._person(person_ref) if person_ref else None
        team_id = await self._team(team_ref) if team_ref else None
        removed = await self.rtx.remove_link(supervisor_id, person_id, team_id)
        if removed:
            await self._audit(
                "unlink_supervisor", "person", supervisor_id, supervisee=person_id, team=team_id
            )
        return removed
