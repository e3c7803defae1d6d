"""Who is who: a read-only snapshot of people, identities, teams, roles and supervision links,
with the lookups access decisions need (it is small: a council's staff, not its cases).

The access rules (bot.records.access), the audit trail (bot.records.audit) and the admin
functions (bot.records.people) all decide over it; it imports none of them.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from storage.records_repository import PeopleSnapshot, PersonRecord, TeamRecord

CONSOLE_PREFIX = "console:local:"  # how `reflect chat --user NAME` identities are spelled


@dataclass(frozen=True)
class Requester:
    """Who is asking. Unregistered chat users are still themselves: they own their notes."""

    key: str  # the person id, or the identity when the person is not registered
    person_id: str | None
    name: str
    identities: frozenset[str]
    roles: frozenset[str]

    @property
    def is_admin(self) -> bool:
        return "admin" in self.roles


class Directory:
    """People, identities, teams, roles and links, with the lookups access decisions need."""

    def __init__(self, snapshot: PeopleSnapshot) -> None:
        self.snapshot = snapshot
        self._people = {p.id: p for p in snapshot.people}
        self._teams = {t.id: t for t in snapshot.teams}
        self._person_of = dict(snapshot.identities)
        self._identities: dict[str, set[str]] = defaultdict(set)
        for owner, person_id in snapshot.identities:
            self._identities[person_id].add(owner)
        self._roles: dict[str, set[str]] = defaultdict(set)
        for person_id, role in snapshot.roles:
            self._roles[person_id].add(role)
        self._members: dict[str, set[str]] = defaultdict(set)
        self._teams_of: dict[str, set[str]] = defaultdict(set)
        for team_id, person_id in snapshot.members:
            self._members[team_id].add(person_id)
            self._teams_of[person_id].add(team_id)

    # ------------------------------------------------------------ lookups

    def person(self, person_id: str) -> PersonRecord | None:
        return self._people.get(person_id)

    def team(self, team_id: str) -> TeamRecord | None:
        return self._teams.get(team_id.lower())

    def teams(self) -> list[TeamRecord]:
        return list(self._teams.values())

    def people(self) -> list[PersonRecord]:
        return list(self._people.values())

    def person_of(self, owner: str) -> str | None:
        return self._person_of.get(owner)

    def identities_of(self, person_id: str) -> frozenset[str]:
        return frozenset(self._identities.get(person_id, ()))

    def roles_of(self, person_id: str) -> frozenset[str]:
        return frozenset(self._roles.get(person_id, ()))

    def members_of(self, team_id: str) -> frozenset[str]:
        return frozenset(self._members.get(team_id, ()))

    def teams_of(self, person_id: str) -> frozenset[str]:
        return frozenset(self._teams_of.get(person_id, ()))

    def teams_supervised_by(self, person_id: str) -> frozenset[str]:
        if "supervisor" not in self.roles_of(person_id):
            return frozenset()
        return frozenset(
            link.team_id
            for link in self.snapshot.links
            if link.supervisor_id == person_id and link.team_id is not None
        )

    def supervisees_of(self, person_id: str) -> frozenset[str]:
        """People a supervisor supervises: named ones, and every member of their teams."""
        if "supervisor" not in self.roles_of(person_id):
            return frozenset()
        found: set[str] = set()
        for link in self.snapshot.links:
            if link.supervisor_id != person_id:
                continue
            if link.supervisee_id is not None:
                found.add(link.supervisee_id)
            elif link.team_id is not None:
                found |= self.members_of(link.team_id)
        found.discard(person_id)
        return frozenset(found)

    def supervisors_of_team(self, team_id: str) -> frozenset[str]:
        return frozenset(
            link.supervisor_id
            for link in self.snapshot.links
            if link.team_id == team_id and "supervisor" in self.roles_of(link.supervisor_id)
        )

    def owners_of(self, person_ids: frozenset[str]) -> frozenset[str]:
        found: set[str] = set()
        for person_id in person_ids:
            found |= self.identities_of(person_id)
        return frozenset(found)

    def name_of(self, key: str) -> str:
        """A person's display name, for a person id or a chat identity."""
        person_id = key if key in self._people else self._person_of.get(key)
        if person_id is not None:
            return self._people[person_id].display_name
        return key.split(":", 2)[-1]  # an unregistered identity: its user id

    def id_for_owner(self, owner: str) -> str:
        """The person id behind a session owner, or the owner itself when unregistered."""
        return self._person_of.get(owner, owner)

    def resolve(self, ref: str) -> str | None:
        """A person id for something typed: a person id, an identity, or a console user name."""
        ref = ref.strip()
        if ref in self._people:
            return ref
        if ref.lower() in self._people:
            return ref.lower()
        if ref in self._person_of:
            return self._person_of[ref]
        return self._person_of.get(CONSOLE_PREFIX + ref)

    def requester(self, ref: str) -> Requester:
        """Who `ref` is: a person id, an identity, or a console user name (`reflect chat --user`)."""
        person_id = self.resolve(ref)
        if person_id is not None:
            return Requester(
                key=person_id,
                person_id=person_id,
                name=self._people[person_id].display_name,
                identities=self.identities_of(person_id),
                roles=self.roles_of(person_id),
            )
        owner = ref if ref.count(":") >= 2 else CONSOLE_PREFIX + ref
        return Requester(
            key=owner,
            person_id=None,
            name=owner.split(":", 2)[-1],
            identities=frozenset({owner}),
            roles=frozenset(),
        )
