"""The few words the Teams surface adds around the engine's messages.

Everything said *in* a reflection or a group session comes from the templates in prompts/.
These are Teams' own chrome: the hello when the bot is installed, and what to say when Teams
or the database fails. They live together so a council can review (or translate) them.
"""

from __future__ import annotations

from typing import Final

WELCOME_PERSONAL: Final = (
    "Hello. I help you reflect after a visit, one question at a time, and keep a note for "
    "supervision.\n\n"
    "Type *reflect* to start a post-visit reflection, *start checkin* for two minutes after a hard "
    "visit, or *help* to see everything. Use case references and roles, not names."
)
WELCOME_GROUP: Final = (
    "Hello. I can facilitate group supervision here as an action learning set: ground rules, "
    "roles, rounds, actions and minutes that everyone checks before they are filed.\n\n"
    "To start, the facilitator @mentions me and types *group*, then @mentions the presenter "
    "first and the other members, e.g. _@Reflect group @presenter @member @member_. "
    "Type *help* (with an @mention) to see how it works. Case references only, please: no names."
)
