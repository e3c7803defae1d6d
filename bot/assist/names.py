"""Which capitalised words are people's names: the curated name lists that ship with Faker.

Why this source: Faker is maintained (MIT), its per-locale first- and last-name lists are
compiled from public sources and ship inside the package, so nothing is fetched at run time,
and they load in a fraction of a second. The locales cover the UK's largest communities.
Presidio was evaluated and not chosen: without a spaCy model (a hub download, not possible
here) it finds no person names at all, and its e-mail recognizer fetches the public-suffix
list over the network on first use. names-dataset was evaluated and not chosen: about 1 GB
in memory, and its data was scraped from a social network leak, which a council's data
protection officer would rightly refuse. A council that can install a spaCy model may add
an NER pass; the list plus the capitalised-word rules in `pseudonymise` is the floor.

The list is read once, off the event loop. Callers await `NameIndex.ready()`; until it is
ready no text is sent anywhere.

Words that are names but far more often something else ("Mum", "Friday", "Tesco") are in
`NOT_NAMES`, so they are not replaced.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterable

from bot.engine.signals.identifiers import fold
from bot.engine.signals.name_data import FIRST_NAMES, SURNAMES

# Faker locales whose name lists we use: the UK and Ireland, and large UK communities.
LOCALES = ("en_GB", "en_IE", "en_US", "en_IN", "pl_PL", "ro_RO", "pt_PT", "it_IT", "tr_TR", "lt_LT")


def words(text: str) -> frozenset[str]:
    """A set of words written as a block of text (easier to read and review than a list)."""
    return frozenset(text.split())


# Capitalised words a worker writes that are not people (or that name a role, not a person).
NOT_NAMES = words(
    """
    i a an the he she they we you it his her hers their them this that these those there here
    mum mam mom mummy mother dad daddy father nan nana nanny gran granny grandma grandad grandpa
    auntie aunt uncle brother sister baby child children son daughter partner stepdad stepmum
    monday tuesday wednesday thursday friday saturday sunday january february march april may june
    july august september october november december christmas easter eid diwali ramadan
    school nursery college police court council health visitor midwife doctor nurse teacher
    gp nhs camhs social worker manager supervisor team hospital clinic hub office centre
    tesco asda aldi lidl sainsbury morrisons facebook snapchat tiktok instagram whatsapp youtube
    english british welsh scottish irish polish romanian
    if when what why how who where which whether yes no not and but or so then also next
    ring call check ask visit see tell speak book send write email
    mostly maybe perhaps still just only even nothing something everything anything
    """
)


class NameIndex:
    """First and last names, loaded once in a background thread."""

    def __init__(self, names: Iterable[str] | None = None) -> None:
        self._names: frozenset[str] | None = frozenset(fold(n) for n in names) if names is not None else None
        self._lock = threading.Lock()
        self._task: asyncio.Future[frozenset[str]] | None = None

    def is_name(self, word: str) -> bool:
        lowered = fold(word)
        if lowered in NOT_NAMES or self._names is None:
            return False
        return lowered in self._names

    @property
    def loaded(self) -> bool:
        return self._names is not None

    async def ready(self) -> None:
        """Load the list if needed, without blocking the event loop."""
        if self._names is not None:
            return
        if self._task is None:
            self._task = asyncio.ensure_future(asyncio.to_thread(self._load))
        self._names = await asyncio.shield(self._task)

    def load_now(self) -> None:
        """Load synchronously (tests, start-up warm-up)."""
        if self._names is None:
            self._names = self._load()

    def _load(self) -> frozenset[str]:
        with self._lock:
            if self._names is not None:
                return self._names
            import importlib

            found: set[str] = set()
            for locale in LOCALES:
                provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
                for attribute in ("first_names_male", "first_names_female", "first_names", "last_names"):
                    values = getattr(provider, attribute, None) or ()
                    found |= {
                        fold(str(name)) for name in values if str(name).isalpha() and len(str(name)) > 1
                    }
            found |= _bundled_names()
            found |= FIRST_NAMES | SURNAMES  # the chat detector's lists, ours included
            found -= NOT_NAMES
            return frozenset(found)


def _bundled_names() -> set[str]:
    """Our own list of names common in UK families, shipped with the package."""
    from importlib.resources import files

    text = files("bot.assist").joinpath("data/uk_first_names.txt").read_text(encoding="utf-8")
    return {fold(word) for line in text.splitlines() if not line.startswith("#") for word in line.split()}


_shared: NameIndex | None = None


def shared_index() -> NameIndex:
    """One index per process: the list is the same for everyone."""
    global _shared
    if _shared is None:
        _shared = NameIndex()
    return _shared
