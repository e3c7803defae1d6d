"""Who an action belongs to, read from the worker's words: "me", "TM", "my manager", roles.

Every owner comes back as one readable canonical label ("me", "team manager", "health
visitor", "paediatrician", "family support worker", "school", "DSL", ...). The worker
themself is always "me" ("I", "I'll", "ill", "myself", "I will"); "we" is a joint action
that includes the worker.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.engine.understand.words import Token, same_word, tokens

# canonical label -> what workers type for it
OWNERS: dict[str, tuple[str, ...]] = {
    "me": (
        "me",
        "i",
        "ill",
        "i will",
        "myself",
        "my self",
        "im",
        "i am",
        "i shall",
        "yours truly",
        "me sw",
        "sw me",
        "allocated sw me",
        "self",
        "mine",
        "my job",
        "my action",
    ),
    "we": (
        "we",
        "us",
        "both of us",
        "jointly",
        "me and tm",
        "me and my manager",
        "me and the hv",
        "together",
    ),
    "team manager": (
        "tm",
        "my tm",
        "the tm",
        "team manager",
        "team mgr",
        "my team manager",
        "manager",
        "my manager",
        "the manager",
        "mgr",
        "my mgr",
        "boss",
        "my boss",
        "supervisor",
        "my supervisor",
        "team leader",
        "tl",
        "practice manager",
        "line manager",
        "my line manager",
    ),
    "assistant team manager": ("atm", "assistant team manager", "deputy team manager", "assistant manager"),
    "senior practitioner": ("senior practitioner", "advanced practitioner", "senior sw", "sp", "the sp"),
    "service manager": ("service manager", "head of service", "hos", "group manager"),
    "health visitor": ("hv", "the hv", "health visitor", "health visiting", "hv team", "health visitors"),
    "paediatrician": (
        "paediatrician",
        "the paediatrician",
        "paed",
        "paeds",
        "pead",
        "peads",
        "paediatrics",
        "pediatrician",
        "community paed",
        "consultant paediatrician",
        "cp medical team",
    ),
    "family support worker": (
        "fsw",
        "the fsw",
        "family support worker",
        "family support",
        "family worker",
        "support worker",
        "fsws",
    ),
    "school": (
        "school",
        "the school",
        "teacher",
        "class teacher",
        "head",
        "headteacher",
        "head teacher",
        "college",
        "sixth form",
        "school office",
        "form tutor",
        "head of year",
        "pastoral",
        "pastoral lead",
    ),
    "DSL": (
        "dsl",
        "the dsl",
        "safeguarding lead",
        "designated safeguarding lead",
        "school dsl",
        "deputy dsl",
    ),
    "SENCO": ("senco", "the senco"),
    "school nurse": ("school nurse", "school nursing", "the school nurse"),
    "police": (
        "police",
        "the police",
        "pc",
        "officer",
        "the officer",
        "police officer",
        "cid",
        "ppu",
        "mash police",
        "public protection",
        "dc",
        "cops",
    ),
    "GP": ("gp", "the gp", "doctor", "the doctor", "gp surgery", "surgery", "practice nurse", "doc"),
    "duty": (
        "duty",
        "duty team",
        "duty sw",
        "duty worker",
        "the duty team",
        "duty social worker",
        "out of hours",
        "edt",
    ),
    "nursery": ("nursery", "the nursery", "nursery manager", "pre school", "preschool", "childminder"),
    "housing": (
        "housing",
        "housing officer",
        "the housing",
        "housing association",
        "council housing",
        "landlord",
    ),
    "midwife": ("midwife", "the midwife", "midwifery", "mw", "community midwife", "safeguarding midwife"),
    "CAMHS": ("camhs", "cahms", "camhs worker", "camhs team"),
    "social worker": (
        "sw",
        "social worker",
        "allocated sw",
        "allocated worker",
        "the sw",
        "allocated social worker",
    ),
    "early help": ("eh", "early help", "eh worker", "early help worker", "family hub", "the eh worker"),
    "IRO": ("iro", "the iro", "conference chair", "cp chair", "the chair", "chair"),
    "legal": ("legal", "legal team", "solicitor", "la solicitor", "legal services", "the solicitor"),
    "MASH": ("mash", "the mash", "front door"),
    "youth justice": (
        "yot",
        "yot worker",
        "youth offending",
        "youth justice",
        "yjs",
        "youth offending team",
        "youth justice worker",
    ),
    "virtual school": ("virtual school", "the virtual school", "vs"),
    "LADO": ("lado", "the lado"),
    "probation": ("probation", "probation officer", "the probation officer"),
    "IDVA": (
        "idva",
        "the idva",
        "da worker",
        "dv worker",
        "womens aid",
        "domestic abuse worker",
        "refuge worker",
    ),
    "substance misuse worker": (
        "cgl",
        "drug worker",
        "drugs worker",
        "substance misuse worker",
        "substance misuse",
        "alcohol worker",
        "drug and alcohol",
        "drug and alcohol worker",
    ),
    "adult mental health": (
        "cmht",
        "crisis team",
        "mental health team",
        "perinatal team",
        "perinatal",
        "amhs",
    ),
    "adult social care": ("adult social care", "adult services", "asc", "adults team"),
    "foster carer": ("foster carer", "foster carers", "fc", "the foster carer", "carers", "the carers"),
    "fostering team": (
        "fostering",
        "fostering team",
        "placements",
        "placements team",
        "sswfc",
        "supervising sw",
    ),
    "educational psychologist": ("ed psych", "educational psychologist", "ep", "the ep"),
    "speech and language": ("salt", "speech and language", "speech therapist"),
    "hospital": ("hospital", "the hospital", "ward", "a&e", "the ward", "consultant"),
    "interpreter": ("interpreter", "the interpreter"),
    "business support": ("admin", "business support", "bs"),
    "advocate": ("advocate", "advocacy", "the advocate", "independent visitor"),
    "mum": ("mum", "mother", "mam", "mom", "mummy"),
    "dad": ("dad", "father", "daddy"),
    "parents": ("parents", "both parents", "mum and dad", "the parents", "carer", "parent"),
    "step-dad": ("step dad", "stepdad", "step father", "stepfather"),
    "mum's partner": (
        "mums partner",
        "mum's partner",
        "mums bf",
        "mums boyfriend",
        "mums fella",
        "partner",
        "the partner",
    ),
    "nan": (
        "nan",
        "nana",
        "nanna",
        "gran",
        "grandma",
        "granny",
        "nanny",
        "grandad",
        "grandpa",
        "grandparents",
    ),
    "family": ("family", "the family", "wider family", "aunt", "auntie", "aunty", "uncle"),
    "young person": ("yp", "the yp", "young person", "child", "the child", "the young person"),
}
_WORKER = frozenset({"me", "we"})
# Owners that are people in a role: at the start of a line they own what follows even
# without a verb ("TM legal gateway", "school nurse weight check").
PEOPLE = frozenset(
    {"me", "we", "team manager", "assistant team manager", "senior practitioner", "service manager",
     "health visitor", "paediatrician", "family support worker", "DSL", "SENCO", "school nurse", "police",
     "midwife", "social worker", "IRO", "IDVA", "foster carer", "youth justice", "probation",
     "educational psychologist", "LADO", "CAMHS", "early help"}
)  # fmt: skip


@dataclass(frozen=True)
class OwnerMatch:
    owner: str
    start: int  # token indexes, end exclusive
    end: int


_ALIASES: list[tuple[tuple[str, ...], str]] = sorted(
    (
        (tuple(t.word for t in tokens(alias)), canonical)
        for canonical, aliases in OWNERS.items()
        for alias in aliases
    ),
    key=lambda pair: -len(pair[0]),
)
_SHORT_AMBIGUOUS = frozenset(
    {"i", "im", "ill", "us", "we", "head", "chair", "self", "doc", "pc", "dc", "fc", "bs"}
)


def owner_at(toks: list[Token], start: int, *, loose: bool = False) -> OwnerMatch | None:
    """The owner named by the words starting at `start`, longest alias first."""
    for alias, canonical in _ALIASES:
        end = start + len(alias)
        if end > len(toks):
            continue
        typed = [t.word for t in toks[start:end]]
        if all(_alias_word(w, a, loose) for w, a in zip(typed, alias, strict=True)):
            return OwnerMatch(canonical, start, end)
    return None


def _alias_word(typed: str, alias: str, loose: bool) -> bool:
    if typed == alias:
        return True
    if len(alias) >= 6 and typed[:1] == alias[:1]:
        return same_word(typed, alias)
    return loose and len(alias) >= 4 and typed.rstrip("s") == alias.rstrip("s")


def parse_owner(text: str) -> str | None:
    """The first owner named anywhere in `text`, as its canonical label ("my manager" ->
    "team manager"), or None. For an answer to "who?", where any role named is the owner."""
    toks = tokens(text)
    for i in range(len(toks)):
        found = owner_at(toks, i, loose=True)
        if found is None:
            continue
        if toks[i].word in _SHORT_AMBIGUOUS and i > 0 and found.owner not in _WORKER:
            continue
        if toks[i].word in {"i", "im", "ill"} and i > 0:
            continue  # "i" mid-sentence is rarely the owner of an answer to "who?"
        return found.owner
    return None


def canonical_owner(text: str) -> str | None:
    """The canonical label when the whole of `text` names one owner, else None."""
    toks = [t for t in tokens(text) if t.word not in {"the", "my", "our", "a", "to", "by", "for"}]
    if not toks:
        return None
    found = owner_at(toks, 0, loose=True)
    if found is not None and found.end == len(toks):
        return found.owner
    return None


def is_worker(owner: str | None) -> bool:
    """Whether an action's owner is the worker themself ("me"; "we" includes them)."""
    if not owner:
        return False
    canonical = canonical_owner(owner) or owner.strip().lower()
    return canonical in _WORKER
