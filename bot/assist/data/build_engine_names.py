"""Regenerate `bot/engine/signals/name_data.py`: the name lists the chat-time detector embeds.

    python -m bot.assist.data.build_engine_names [/usr/share/dict/british-english]

Why a generated module: the engine is pure (no I/O at import or call), so it cannot read
Faker's package files or ours; a plain Python module of string constants is imported like
code, reviewed like data, and the same on every machine. Sources:

* first names and surnames: Faker's curated per-locale lists (MIT; the UK, Ireland and the
  UK's largest communities) plus ours in this folder (`uk_first_names.txt`, `uk_surnames.txt`);
* everyday words: the lower-case entries of a British English word list (SCOWL, Debian's
  `wbritish` package, `apt-get install wbritish`), to mark which names are also ordinary
  words ("grace", "amber", "will"), so lower-case ordinary usage is not taken for a name,
  and to know a word that is in no list at all ("Kaydence kept asking"): possibly a name.

Everything is folded to lower case without accents ("Siobhán" -> "siobhan"), as the
detector folds what the worker typed.
"""

from __future__ import annotations

import importlib
import sys
import unicodedata
from pathlib import Path

HERE = Path(__file__).parent
TARGET = HERE.parents[1] / "engine" / "signals" / "name_data.py"

LOCALES = (
    "en_GB", "en_IE", "en_US", "en_IN", "en_PK", "pl_PL", "ro_RO", "pt_PT", "pt_BR", "it_IT",
    "tr_TR", "lt_LT", "yo_NG", "tw_GH", "fr_FR", "es_ES", "lv_LV", "cs_CZ", "sk_SK", "hu_HU",
)  # fmt: skip


def words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# In some locale's list, but in UK workers' writing always an ordinary word.
NEVER_NAMES = words(
    """
    ale ales ante ascension canal cord corona divan edit else eta forum grit harm harsh laze loot
    lope lore mad made man mar mare marine mate nail over pal peer raid sad said salami server
    sever side sole tome toy us veer wadi albino comfort imam pastor baptist nacho toms martins
    girts rares maxima meta till urban diamond lucky harry
    """
)
# Ordinary words that, typed in lower case in a note about a family, are still far more often
# a child's or parent's name: not marked as everyday words.
NAMES_FIRST = words("tom ben jack jimmy billy bobby josh mike nick peter john terry tony")


def fold(word: str) -> str:
    decomposed = unicodedata.normalize("NFKD", word.strip().lower().replace("’", "'"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _ours(name: str) -> set[str]:
    text = (HERE / name).read_text(encoding="utf-8")
    return {fold(w) for line in text.splitlines() if not line.startswith("#") for w in line.split()}


def _faker(attributes: tuple[str, ...]) -> set[str]:
    found: set[str] = set()
    for locale in LOCALES:
        provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
        for attribute in attributes:
            found |= {fold(str(n)) for n in getattr(provider, attribute, None) or ()}
    return found


def _clean(names: set[str]) -> set[str]:
    return {
        n
        for n in names
        if len(n) > 1 and n.replace("-", "").replace("'", "").isalpha() and n not in NEVER_NAMES
    }


def build(dictionary: Path) -> str:
    first = _clean(
        _faker(("first_names_male", "first_names_female", "first_names")) | _ours("uk_first_names.txt")
    )
    last = _clean(_faker(("last_names", "last_names_male", "last_names_female")) | _ours("uk_surnames.txt"))
    last = {n for n in last if len(n) > 2}
    words = {fold(w) for w in dictionary.read_text(encoding="utf-8").split() if w.islower() and "'" not in w}
    everyday = ((first | last) & words) - NAMES_FIRST
    plain = {w for w in words if w.isalpha() and len(w) > 2} - first - last

    def block(values: set[str]) -> str:
        items = sorted(values)
        lines = [" ".join(items[i : i + 14]) for i in range(0, len(items), 14)]
        return '"""\n' + "\n".join(lines) + '\n"""'

    return (
        '"""Name lists for the chat-time identifier detector. GENERATED: do not edit by hand.\n\n'
        "Regenerate with `python -m bot.assist.data.build_engine_names` (sources and reasons are\n"
        "in that script). Folded: lower case, no accents.\n"
        '"""\n\n'
        "# ruff: noqa\n# fmt: off\n"
        "from __future__ import annotations\n\n"
        f"FIRST_NAMES = frozenset(\n    {block(first)}.split()\n)\n"
        f"SURNAMES = frozenset(\n    {block(last)}.split()\n)\n"
        "# Names (first or last) that are also everyday English words: a name only with evidence.\n"
        f"EVERYDAY_WORDS = frozenset(\n    {block(everyday)}.split()\n)\n"
        "# Other English words (three letters or more) that are in no name list: a word the\n"
        "# detector does not know is one of neither, so possibly a name it has never seen.\n"
        f"ENGLISH_WORDS = frozenset(\n    {block(plain)}.split()\n)\n"
    )


def main() -> None:
    dictionary = Path(sys.argv[1] if len(sys.argv) > 1 else "/usr/share/dict/british-english")
    TARGET.write_text(build(dictionary), encoding="utf-8")
    print(f"wrote {TARGET}")


if __name__ == "__main__":
    main()
