"""Identifiers that should not be written down or sent anywhere: UK numbers, names, addresses.

`find_identifiers(text)` is the chat-time reading (a kind warning, never a decision), and the
floor of what the AI path's pseudonymiser replaces. It is pure: the name lists come from
`name_data`, a generated module of string constants (see `bot/assist/data/build_engine_names.py`).

How a name is told from a word. Names are looked up folded (lower case, no accents, so
"Siobhán", "SIOBHAN" and "siobhan" are one). A first name that is not also an everyday word
("mia", "tiago", "jayden-lee") is a name in any case. One that is ("grace", "will", "amber",
"may") is a name only with evidence: capitalised in mid-sentence (and not "the Amber light",
"in May"), a surname after it, "called"/"named" or a title before it, or "Grace's mum".
Surnames count after a first name or a title, or capitalised on their own. Roles ("mum",
"nan", "the little one") and the field's abbreviations (TM, HV, DSL, CP, ...) are never names;
a case reference ("HX-2291") is not an identifier.

`suggest_role` and `replace_with_roles` let the worker swap what was found for a role ("the
child", "mum", "the school", "[NHS number]"), keeping the choice theirs.
"""

from __future__ import annotations

import bisect
import functools
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz import process
from rapidfuzz.distance import OSA
from stdnum.gb import nhs

from bot.engine.signals.name_data import ENGLISH_WORDS, EVERYDAY_WORDS, FIRST_NAMES, SURNAMES


@dataclass(frozen=True)
class IdentifierHit:
    # "nhs_number", "ni_number", "postcode", "date_of_birth", "phone", "email", "address",
    # "name", "school", "car_registration"
    kind: str
    start: int
    end: int


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


def fold(word: str) -> str:
    """Lower case without accents, curly apostrophes straightened: how names are compared."""
    decomposed = unicodedata.normalize("NFKD", word.lower().replace("’", "'"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


# Words that are never a person's name here: roles, family words, the field's abbreviations,
# days and months, organisations, and text-speak. (Some are in a locale's name list.)
NEVER_NAMES = _words(
    """
    mum mam mom mummy mommy mother mums dad daddy father dads nan nana nanna nanny gran granny grandma
    grandmother grandad granddad grandpa grandfather grandparent grandparents auntie aunty aunt uncle
    brother sister bro sis sibling siblings baby babies child children kid kids son daughter partner
    stepdad stepmum step-dad step-mum stepfather stepmother boyfriend girlfriend husband wife ex
    cousin niece nephew carer carers parent parents family yp cyp eldest youngest middle twins twin
    monday tuesday wednesday thursday friday saturday sunday mon tues weds thurs fri sat sun
    january february march july september october november december
    jan feb mar apr jun jul aug sep sept oct nov dec christmas easter eid diwali ramadan
    tm sw hv fsw dsl cp cin cpp icpc rcpc s47 plo lac cla eh mash dv da cse cce ehcp gp ae epds
    camhs nhs sen senco send iro cafcass ofsted police court council duty legal strat core group
    social worker manager supervisor team hospital clinic paediatrician midwife nurse doctor
    teacher head headteacher school nursery college academy health visitor gateway conference
    tesco asda aldi lidl sainsbury sainsburys morrisons greggs mcdonalds kfc primark argos boots
    facebook snapchat tiktok instagram whatsapp youtube xbox playstation netflix roblox fortnite
    childline nspcc samaritans barnardos shelter refuge women's aid
    english british welsh scottish irish polish romanian lithuanian portuguese turkish muslim
    christian catholic god jesus allah lord
    england scotland wales ireland britain uk poland romania lithuania latvia portugal turkey italy
    spain france germany india pakistan bangladesh nigeria ghana somalia eritrea syria afghanistan
    iran iraq jamaica albania ukraine kurdistan london leeds bradford halifax huddersfield wakefield
    manchester liverpool birmingham sheffield bristol cardiff glasgow belfast york hull derby
    preston lancaster chester lincoln kendal carlisle durham blackburn burnley bolton oldham rochdale
    wigan stockport salford bury barnsley doncaster rotherham leicester nottingham coventry luton
    reading swindon exeter plymouth norwich ipswich cambridge oxford newcastle sunderland middlesbrough
    dewsbury keighley batley brighouse calderdale kirklees
    tbh lol omg pls plz thx ta tmrw tomoz tmw asap btw imo fyi wk wks hr hrs min mins ok okay
    yeah yep nope yes no not im ive id ill hes shes theyre dont didnt doesnt cant wont wasnt
    i a an the he she they we you it his her hers their them this that these those there here
    if when what why how who where which whether and but or so then also next just only even
    ring call check ask visit see tell speak book send write email chase refer referral plan
    review meeting home house flat room bedroom kitchen garden car bus school's
    little one ones other another someone anyone everyone nobody somebody
    lad lads lass guy guys judge magistrate cook chef nurse foster master boss officer sergeant
    nans grans mams dads' mums'
    """
)
# After a title: words that show there is no surname ("Mr and Mrs Smith", "the Dr said").
_NOT_AFTER_TITLE = _words(
    "and or & the a an is was said says told has had will would can could did does to of in on at"
    " for with from about today tomorrow yesterday appointment appt surgery letter called rang"
)
# Everyday names that are followed by these are probably a person at the start of a sentence.
_NAME_VERBS = _words(
    "is was has had said says told seemed seems looked looks cried smiled laughed wants wanted"
    " refused ran came went lives lived goes went sleeps slept loves likes hates showed shows"
    " asked answered stayed stays"
)
# Verbs that follow a person more than a thing, for names no list knows.
_PERSON_VERBS = _NAME_VERBS | _words(
    "kept keeps told tells wanted wants cried cries hid hides ran runs hit hits shouted shouts screamed"
    " smiled laughed whispered talked talks spoke speaks refused refuses answered opened sat stood"
    " walked climbed played plays ate eats slept sleeps woke wakes goes went says said was is has had"
    " didnt doesnt wasnt isnt hasnt won't wont can't cant couldnt wouldnt"
)
# A role right before a word: "mum's boyfriend Tyreek", "baby Kaydence", "her mate Jaxx".
_ROLE_RIGHT_BEFORE = (
    r"\b(?:mum|mam|dad|nan|gran|brother|sister|son|daughter|baby|partner|boyfriend|girlfriend|bf|gf"
    r"|friend|mate|cousin|uncle|aunt|auntie|neighbour|teacher|sibling|twin|eldest|youngest|child|yp)"
    r"(?:'s)?\s*[,(]?\s*$"
)
TEXT_SPEAK = _words(
    """
    shes hes theyre dont didnt doesnt cant wont wasnt werent isnt arent hasnt havent hadnt couldnt
    wouldnt shouldnt thats theres whats whos ive youre youve weve theyve itll itd youd hed shed
    gonna wanna gotta dunno tho cos coz innit tbh lol atm tmrw tomoz thru ppl pls plz bcos bc ur
    prob probs def defo obvs abt govt appt appts asap mins hrs wks yrs dept wrt etc
    bby bbys lo paed paeds bubs bub bubba bubbas mammy mammys hubby hubbys kiddo kiddos kiddies lil
    hun babe bae bestie fella bloke missus grandkids grandkid stepson stepdaughter stepkids nanny's
    granda grampy grandma's xmas bday tues weds thurs sw's hv's tm's fsw's dsl's
    """
)
# Words before a capitalised everyday word that show it is a thing, a month or a season.
_THING_BEFORE = _words(
    "the a an this that some any no every in on by of since until till from before after during"
    " end early mid late next last our my your his her their its"
    " was is were are be been being seemed seems looked looks felt feels very so quite really more"
    " less too most rather pretty fairly bit"
)
_FAMILY_AFTER = _words(
    "mum mam mom dad nan gran grandad grandma brother sister sibling siblings dad's mum's nan's"
    " partner school nursery teacher class room bedroom cot bed dad's father mother auntie uncle"
    " cousin baby carer friend friends boyfriend girlfriend"
)
_ROLE_DEFINED = re.compile(
    r"\s+(?:is|was|=|-)\s+(?:(?:mum|dad|nan)'?s\s+|the\s+|her\s+|his\s+|their\s+|my\s+)?(?:new\s+)?"
    r"(?:mum|dad|nan|gran|partner|boyfriend|girlfriend|brother|sister|baby|eldest|youngest|sibling"
    r"|step[\s-]?dad|step[\s-]?mum|aunt|auntie|uncle|cousin|teacher|hv|dsl|child)\b",
    re.IGNORECASE,
)
_NAME_CUES = re.compile(
    r"\b(?:called|named|name\s+is|name's|names\s+are|known\s+as|goes\s+by|nicknamed"
    r"|calls\s+(?:him|her|them)(?:sel(?:f|ves))?)\s+[\"'“‘]?$",
    re.IGNORECASE,
)
_TITLE = re.compile(r"\b(mr|mrs|ms|mx|miss|dr|mister|master)\.?\s+$", re.IGNORECASE)

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*(?:-[^\W\d_]+(?:['’][^\W\d_]+)*)*")
_SENTENCE_START = re.compile(r"(?:^|[.!?;\n]|^\s*(?:[-*•]|\d{1,2}[.)]))[\s\"'“‘(*_]*$")
_MONTH_NAMES = _words("january february march april may june july august september october november december")
_SCHOOL_TAIL = re.compile(r"\s+(?:school|primary\s+school|academy|nursery)\b", re.IGNORECASE)
_ROLE_IN_BRACKETS = re.compile(
    r"\s*\(\s*(?:the\s+)?(?:yp|mum|dad|nan|baby|child|eldest|youngest|brother|sister|partner|step[\s-]?dad"
    r"|boyfriend|girlfriend|bf|gf|uncle|aunt|auntie|cousin|grandad|grandma|teacher|dsl|hv)\s*\)",
    re.IGNORECASE,
)
_AGE_AFTER = re.compile(r"\s*\(\s*\d{1,2}\s*\)|,?\s+aged\s+\d")
_JOINED_AFTER = re.compile(r"\s*(?:,|\band\b|&)\s*")
_SENTENCE_START_INSIDE = re.compile(r"(?:[.!?;\n]|\n\s*(?:[-*•]|\d{1,2}[.)]))[\s\"'“‘(*_]*$")
_IRISH = re.compile(r"^(?:o|d)'[a-z]{3,}$")

# ---------------------------------------------------------------------------- numbers and places

_MONTHS = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_ORDINAL_WORDS = (
    r"(?:(?:twenty|thirty)[\s-]?(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth)"
    r"|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth"
    r"|thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|twentieth|thirtieth"
    r"|thirty[\s-]?first)"
)
_DAY = rf"(?:\d{{1,2}}(?:st|nd|rd|th)?|{_ORDINAL_WORDS})"
_YEAR = r"(?:'?\d{2}|\d{4})"
# A calendar date as typed: 3/5/19, 03.05.2019, 2019-05-03, the third of may 2019, 12th march
# 2018, march 12th 2018, may 2019.
DATE = (
    rf"(?:\d{{1,2}}[/.-]\d{{1,2}}[/.-]\d{{2,4}}|\d{{4}}-\d{{2}}-\d{{2}}"
    rf"|(?:the\s+)?{_DAY}(?:\s+of)?\s+{_MONTHS}\b(?:,?\s+{_YEAR}\b)?"
    rf"|{_MONTHS}\s+(?:the\s+)?{_DAY}\b(?:,?\s+{_YEAR}\b)?"
    rf"|{_MONTHS}\s+\d{{4}}\b|\d{{4}}\b)"
)
_BIRTH = re.compile(
    r"\b(?:d\.?o\.?b\.?|date\s+of\s+birth|birth\s*date|born(?:\s+(?:on|in))?"
    r"|(?:birthday|b'?day)(?:\s+is|'s|\s+was)?(?:\s+on)?)\s*[:=-]?\s*"
    rf"({DATE})",
    re.IGNORECASE,
)
_PHONE = re.compile(
    r"(?<![\w+])(?:(?:\+|00)\s?44\s?(?:\(0\)\s?)?\(?\d{2,5}\)?|\(?0\d{2,5}\)?)"
    r"[\s-]?\d{3,4}(?:[\s-]?\d{3,4})?(?![\w])"
)
_STREET_WORDS = sorted(
    _words(
        "street st road rd lane ln avenue ave close drive dr way crescent cres court ct place gardens gdns"
        " terrace grove row walk mews square sq hill park rise vale view parade croft fold meadow meadows"
        " gate green estate towers house lodge heights wharf boulevard crest chase"
    )
)
_STREET = "(?:" + "|".join(_STREET_WORDS) + ")"
_STREET_CAPITALISED = "(?:" + "|".join(w.capitalize() for w in _STREET_WORDS) + ")"
_ADDRESS_WORD = r"[^\W\d_]+(?:['’-][^\W\d_]+)*"
_HOUSE_NUMBER = re.compile(
    rf"\b\d{{1,4}}[a-z]?,?\s+((?:{_ADDRESS_WORD}\s+){{1,3}}){_STREET}\b\.?", re.IGNORECASE
)
_NAMED_STREET = re.compile(rf"\b((?:[A-Z][\w'’-]*\s+){{1,3}})({_STREET_CAPITALISED})\b")
_HOUSE_ON_THE = re.compile(rf"\b\d{{1,4}}[a-z]?,?\s+The\s+{_STREET_CAPITALISED}\b")
_LIVES_ON = re.compile(
    rf"\b(?:lives?|living|staying|moved|moving|address\s+is)\s+(?:on|in|at|to)\s+((?:{_ADDRESS_WORD}\s+){{1,3}})"
    rf"{_STREET}\b",
    re.IGNORECASE,
)
_FLAT = re.compile(
    r"\b(?:flat|apartment|apt|unit|maisonette|bungalow|room)\s*(?:no\.?\s*|number\s+)?\d{1,4}[a-z]?\b",
    re.IGNORECASE,
)
_HOUSE_NO = re.compile(
    r"\b(?:(?:lives?|living|staying|moved|moving|she's|he's|they're|they\s+are|is|are)\s+(?:at|to|in)"
    r"|house|door|at|address)\s+(?:no\.?|number|#)\s*\d{1,4}[a-z]?\b",
    re.IGNORECASE,
)
_ADDRESS_STOP = _words(
    "the a an and or of in on at to for with by from up down into this that my your his her their our"
    " kids children people times days weeks months years hours minutes mins min minute hour day week"
    " month year mile miles metres yards cars dogs cats men women boys girls bags steps stairs floors"
    " floor other more less few many very really just was is were are been be had has have"
)
_COURTS = _words("family crown county magistrates magistrates' youth high supreme district civil")
_SCHOOL_TYPE = re.compile(
    r"\b(primary|academy|nursery|infants?|juniors?|college|school|high|secondary|grammar|prep"
    r"|pre-?school|montessori|sixth\s+form|c\s+of\s+e|ce\s+primary|rc\s+primary|pru)\b",
    re.IGNORECASE,
)
_SCHOOL_STOP = _words(
    """
    the a an at to from in of for into about with after before by on and or but so her his their my
    our your its this that another other different same new old local nearby previous current last
    next main special mainstream primary secondary catholic faith church private state independent
    village free day boarding full part time first second reception year years go goes going went
    attend attends attending attended started starting start moved move left leave excluded back off
    out up until since when while then also still now both all any some no not never is was are were
    be been has have had does did said says told spoke called rang phoned emailed contacted visited
    meeting met saw see seen from school schools nursery college infant junior high sixth form pre
    she he they we i you it them him who what which where pick picked drop dropped collect collected
    because cos as if only just even very really pretty quite
    """
)
_SCHOOL_CAPITAL_STOP = _words(
    "the a an at to from in of for and or her his their my our she he they i it we you this that"
    " mum dad nan new old local school nursery college academy virtual hospital"
)
_SCHOOL_NEEDS_SCHOOL = _words("high secondary grammar prep infant infants junior juniors")
_AFTER_PRIMARY = _words("carer care concern concerns worry worries issue issues aim goal reason focus need")
_CAR_REG = re.compile(
    r"\b(?:[A-Z]{2}\d{2}\s?[A-Z]{3}|[a-z]{2}\d{2}\s?[a-z]{3})\b"
    r"|(?:\b(?:reg|registration|plate|number\s+plate|car)\b[^\n.]{0,20}?)"
    r"\b(?P<id>[A-Z]\d{1,3}\s?[A-Z]{3}|[A-Z]{3}\s?\d{1,3}[A-Z])\b",
    re.IGNORECASE,
)

_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("email", re.compile(r"\b[\w.+-]+@[\w-]+(\.[\w-]+)+\b")),
    (
        "ni_number",
        re.compile(r"\b[A-Z]{2}\s?\d{2}\s?\d{2}\s?\d{2}\s?[A-D]\b", re.IGNORECASE),
    ),
    (
        "ni_number",
        re.compile(
            r"\b(?:ni|nino|n\.i\.|national\s+insurance)(?:\s+(?:number|no\.?))?\W{0,4}"
            r"(?P<id>[A-Z]{2}\s?\d{2}\s?\d{2}\s?\d{2})\b",
            re.IGNORECASE,
        ),
    ),
    (
        "postcode",
        re.compile(r"\b(GIR ?0AA|[A-PR-UWYZ][A-HK-Y]?\d[A-Z\d]? ?\d[ABD-HJLNP-UW-Z]{2})\b", re.IGNORECASE),
    ),
    ("car_registration", _CAR_REG),
)
_NHS_CANDIDATE = re.compile(r"(?<![\d+])(\d{3}[\s-]?\d{3}[\s-]?\d{4})(?!\d)")


# ---------------------------------------------------------------------------- the reading


def find_identifiers(text: str, *, colleagues: Iterable[str] = ()) -> list[IdentifierHit]:
    """UK identifiers and names in free text, for a warning (never for a decision).

    `colleagues`: names that are not the family's (group members, the worker's manager), so
    "Sarah, what do you think?" in a group session is not flagged. Matched folded, whole name
    or any part of it.
    """
    hits: list[IdentifierHit] = []
    known = {part for name in colleagues for part in fold(name).split() if len(part) > 1}

    def add(kind: str, start: int, end: int) -> None:
        while end > start and text[end - 1] in " ,.;:":
            end -= 1
        if kind == "name" and _hyphenated_phrase(text[start:end]):
            return
        if end > start and not any(h.start < end and start < h.end for h in hits):
            hits.append(IdentifierHit(kind, start, end))

    for match in _NHS_CANDIDATE.finditer(text):
        if nhs.is_valid(re.sub(r"\D", "", match.group(1))):
            add("nhs_number", match.start(1), match.end(1))
    for kind, pattern in _PATTERNS[:3]:
        for match in pattern.finditer(text):
            add(kind, *_span(match))
    for match in _PHONE.finditer(text):
        if _is_phone(match.group(0)):
            add("phone", match.start(), match.end())
    for match in _BIRTH.finditer(text):
        add("date_of_birth", match.start(1), match.end(1))  # "born on [the third of may 2019]"
    for kind, pattern in _PATTERNS[3:]:
        for match in pattern.finditer(text):
            add(kind, *_span(match))
    for start, end in _schools(text):
        add("school", start, end)
    for start, end in _addresses(text):
        add("address", start, end)
    for start, end in _names(text):
        if known and all(part in known for part in fold(text[start:end]).split()):
            continue
        add("name", start, end)
    return sorted(hits, key=lambda h: h.start)


_LINKING_WORDS = frozenset({"the", "a", "an", "of", "and", "to", "in", "on", "for", "with", "at", "by"})


def _hyphenated_phrase(found: str) -> bool:
    """ "the-child-drew-a-green-kite" is words joined by hyphens, not a name: names have at
    most three hyphenated parts ("Mary-Jo", "Jayden-Lee") and no linking words."""
    parts = fold(found).split("-")
    return len(parts) > 3 or (len(parts) > 1 and any(part in _LINKING_WORDS for part in parts))


def _span(match: re.Match[str]) -> tuple[int, int]:
    """The identifier itself where the pattern also matched the words that show what it is."""
    if "id" in match.re.groupindex and match.group("id") is not None:
        return match.span("id")
    return match.span()


def _is_phone(candidate: str) -> bool:
    digits = re.sub(r"\D", "", candidate)
    if digits.startswith("0044"):
        digits = "0" + digits[4:]
    elif digits.startswith("44") and candidate.lstrip().startswith("+"):
        digits = "0" + digits[2:]
    if digits.startswith("00"):
        digits = digits[1:]
    return digits.startswith("0") and len(digits) in (10, 11) and not digits.startswith("00")


def _schools(text: str) -> list[tuple[int, int]]:
    found: list[tuple[int, int]] = []
    tokens = list(_WORD.finditer(text))
    ends = [t.end() for t in tokens]
    for match in _SCHOOL_TYPE.finditer(text):
        kind = match.group(1)
        lowered = fold(kind)
        after = text[match.end() : match.end() + 12].lower().split()
        next_word = after[0].strip(",.;:") if after else ""
        capital = kind[:1].isupper()
        if lowered in _SCHOOL_NEEDS_SCHOOL and not capital and next_word != "school":
            continue
        if lowered == "primary" and next_word in _AFTER_PRIMARY:
            continue
        # Walk back over the words that name the school ("St Mary's", "Oakfield", "Greenbank").
        first_after = bisect.bisect_left(ends, match.start() + 1)
        before = tokens[max(0, first_after - 4) : first_after]
        start = match.start()
        named: list[re.Match[str]] = []
        for token in reversed(before[-4:]):
            gap = text[token.end() : start]
            if gap.strip(" ") not in ("", "-"):
                break
            word = token.group(0)
            key = fold(word)
            possessive = key.endswith("'s")
            if word[:1].isupper() and capital:
                if key in _SCHOOL_CAPITAL_STOP:
                    break
            elif key in _SCHOOL_STOP or key in NEVER_NAMES:
                break
            if possessive and not capital and not _saint_before(text, token.start()):
                break
            if not word[:1].isupper() and named and named[-1].group(0)[:1].isupper():
                break
            named.append(token)
            start = token.start()
            if _saint_before(text, token.start()):
                saint = re.search(r"(?:\bst\.?|\bsaint)\s+$", _window(text, token.start()), re.IGNORECASE)
                if saint is not None:
                    start = token.start() - len(_window(text, token.start())) + saint.start()
                break
        if not named:
            continue
        if all(not t.group(0)[:1].isupper() for t in named) and lowered in ("school", "college"):
            continue  # "his old school", "at college": too easily an ordinary phrase in lower case
        end = match.end()
        tail = _SCHOOL_TAIL.match(text, end)
        if tail is not None:
            end = tail.end()
        found.append((start, end))
    return found


def _saint_before(text: str, index: int) -> bool:
    return re.search(r"(?:\bst\.?|\bsaint)\s+$", _window(text, index), re.IGNORECASE) is not None


def _window(text: str, index: int, size: int = 60) -> str:
    """The text just before `index`: what the look-behind rules read (keeps long texts linear)."""
    return text[max(0, index - size) : index]


def _at_sentence_start(text: str, index: int) -> bool:
    if index <= 12:
        return _SENTENCE_START.search(text[:index]) is not None
    return _SENTENCE_START_INSIDE.search(_window(text, index, 12)) is not None


def _addresses(text: str) -> list[tuple[int, int]]:
    found: list[tuple[int, int]] = []
    for match in _HOUSE_NUMBER.finditer(text):
        between = match.group(1).split()
        if any(fold(w) in _ADDRESS_STOP for w in between):
            continue
        found.append((match.start(), match.end()))
    for match in _HOUSE_ON_THE.finditer(text):
        found.append((match.start(), match.end()))  # "5 The Crescent"
    for match in _LIVES_ON.finditer(text):
        if any(fold(w) in _ADDRESS_STOP for w in match.group(1).split()):
            continue
        found.append((match.start(1), match.end()))
    for match in _NAMED_STREET.finditer(text):
        first = match.group(1).split()
        keys = [fold(w) for w in first]
        if keys[0] in ("the", "a", "an", "my", "her", "his", "their") or any(k in NEVER_NAMES for k in keys):
            continue
        if fold(match.group(2)) in ("court", "ct") and keys[-1] in _COURTS:
            continue
        found.append((match.start(), match.end()))
    for pattern in (_FLAT, _HOUSE_NO):
        for match in pattern.finditer(text):
            start = match.start()
            if pattern is _HOUSE_NO:
                start = re.search(r"(?:no\.?|number|#)\s*\d", match.group(0), re.IGNORECASE).start() + start  # type: ignore[union-attr]
            found.append((start, match.end()))
    return found


@dataclass(frozen=True)
class _Token:
    text: str
    start: int
    end: int  # without a possessive 's
    key: str  # folded, without a possessive
    possessive: bool


def _tokens(text: str) -> list[_Token]:
    out: list[_Token] = []
    for match in _WORD.finditer(text):
        word = match.group(0)
        end = match.end()
        key = fold(word)
        possessive = False
        if key.endswith("'s") and len(key) > 3 and not _IRISH.match(key):
            key, end, possessive = key[:-2], end - 2, True
        elif text[end : end + 1] == "'" and key.endswith("s"):
            possessive = True  # "the twins' room"
        out.append(_Token(word, match.start(), end, key, possessive))
    return out


def _is_first(key: str) -> bool:
    if key in FIRST_NAMES:
        return True
    # "Tilly-Mae", "Jayden-Lee", "Mary-Jane": one part a first name, none a role.
    parts = key.split("-")
    if len(parts) < 2 or any(p in NEVER_NAMES or len(p) < 2 for p in parts):
        return False
    return all(p in FIRST_NAMES for p in parts) or any(
        p in FIRST_NAMES and p not in EVERYDAY_WORDS for p in parts
    )


def _is_surname(key: str) -> bool:
    if key in SURNAMES or (_IRISH.match(key) is not None and key != "o'clock"):
        return True
    if re.match(r"^ma?c[a-z]{3,}$", key) and key[2:] in SURNAMES | FIRST_NAMES:
        return True
    parts = key.split("-")
    return len(parts) > 1 and all(p in SURNAMES or p in FIRST_NAMES for p in parts)


def _acronym(word: str) -> bool:
    return word.isupper() and len(word) <= 4


def _capitalised(word: str) -> bool:
    return word[:1].isupper()


def _names(text: str) -> list[tuple[int, int]]:
    tokens = _tokens(text)
    spans: list[tuple[int, int]] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if _is_name_at(text, tokens, index):
            end = token.end
            # A surname (or a second name) after it: "Kerry Hollins", "jayden-lee o'connor".
            last = index
            while last + 1 < len(tokens) and last - index < 2:
                following = tokens[last + 1]
                if text[tokens[last].end : following.start] != " " or tokens[last].possessive:
                    break
                if not _surname_follows(following):
                    break
                last += 1
                end = following.end
            spans.append((token.start, end))
            index = last + 1
            continue
        index += 1
    return _lists_of_names(text, tokens, spans)


def _lists_of_names(text: str, tokens: list[_Token], spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """In a list with a name, other first names are names too: "kenzo, aria and rex"."""
    found = sorted(spans)
    changed = True
    while changed:
        changed = False
        for token in tokens:
            if any(s <= token.start < e for s, e in found) or len(token.key) < 3:
                continue
            if not (_is_first(token.key) or (_unknown_word(token) and not is_typo(token.key))):
                continue
            if token.key in NEVER_NAMES or _acronym(token.text):
                continue
            after = _JOINED_AFTER.match(text, token.end)
            joined_after = (
                after is not None and after.end() > token.end and any(s == after.end() for s, _ in found)
            )
            before = re.search(r"(?:,|\band|&)\s*$", _window(text, token.start, 8))
            joined_before = before is not None and any(
                text[e : token.start].strip() in (",", "and", "&") for _, e in found if e <= token.start
            )
            if joined_after or joined_before:
                found.append((token.start, token.end))
                found.sort()
                changed = True
    return found


def _surname_follows(token: _Token) -> bool:
    key = token.key
    if key in NEVER_NAMES or key in _NOT_AFTER_TITLE or _acronym(token.text) or len(key) < 2:
        return False
    if _capitalised(token.text):
        return key not in _NAME_VERBS
    return (_is_surname(key) or _is_first(key)) and key not in EVERYDAY_WORDS


def _unknown_word(token: _Token) -> bool:
    """In no name list and no word list: "Kaydence", "jaxxon" (or a typo, or text-speak)."""
    key = token.key
    return (
        len(key) > 2
        and key.replace("-", "").isalpha()
        and key not in ENGLISH_WORDS
        and key not in NEVER_NAMES
        and key not in TEXT_SPEAK
        and not _acronym(token.text)
        and re.search(r"[aeiouy]", key) is not None
        and not (key.endswith("s") and key[:-1] in ENGLISH_WORDS)
    )


@functools.cache
def _english_sorted() -> list[str]:
    return sorted(ENGLISH_WORDS)  # built on the first typo check, not at import


@functools.lru_cache(maxsize=8192)
def is_typo(key: str) -> bool:
    """One slip (a letter added, dropped, changed or swapped) from an English word: "hosue"."""
    if len(key) < 5:
        return False  # short names are one slip from too many words ("olly", "ally")
    return process.extractOne(key, _english_sorted(), scorer=OSA.distance, score_cutoff=1) is not None


def _unknown_name(text: str, tokens: list[_Token], index: int) -> bool:
    """A word we have never seen, used the way a person is: "Kaydence kept asking", "rylan was"."""
    token = tokens[index]
    if not _unknown_word(token):
        return False
    return _used_like_a_person(text, tokens, index) and not is_typo(token.key)


def _used_like_a_person(text: str, tokens: list[_Token], index: int) -> bool:
    token = tokens[index]
    following = tokens[index + 1] if index + 1 < len(tokens) else None
    if following is not None and text[token.end : following.start] in (" ", "'s ", "’s "):
        if token.possessive and following.key in _FAMILY_AFTER:
            return True  # "tyreece's mum"
        if not token.possessive and following.key in _PERSON_VERBS:
            return True
    if _AGE_AFTER.match(text, token.end) or _ROLE_IN_BRACKETS.match(text, token.end):
        return True  # "Kaydence (4)", "jaxxon aged 6"
    before = text[max(0, token.start - 30) : token.start]
    return _capitalised(token.text) and re.search(_ROLE_RIGHT_BEFORE, before, re.IGNORECASE) is not None


def _in_a_title_phrase(text: str, tokens: list[_Token], index: int) -> bool:
    """Next to a capitalised word that is in no name list: "Early Help", "Red Cross"."""
    for other in (index - 1, index + 1):
        if not 0 <= other < len(tokens):
            continue
        neighbour = tokens[other]
        left, right = (neighbour, tokens[index]) if other < index else (tokens[index], neighbour)
        if text[left.end : right.start] != " " or left.possessive:
            continue
        word = neighbour.text
        known = _is_first(neighbour.key) or _is_surname(neighbour.key) or neighbour.key in NEVER_NAMES
        if _capitalised(word) and not _acronym(word) and not known:
            return True
    return False


def _strong_name(token: _Token) -> bool:
    """A first name that is not also a word or a role ("Tobi", "MIA"; not "Grace", "TM")."""
    key = token.key
    return _is_first(key) and key not in EVERYDAY_WORDS and key not in NEVER_NAMES and len(key) > 2


def _with_a_name(text: str, tokens: list[_Token], index: int) -> bool:
    """Joined by "and"/"&"/"," to a name that is not also a word: "Precious and Tobi"."""
    token = tokens[index]
    after = _JOINED_AFTER.match(text, token.end)
    if after is not None:
        starts = after.end()
        if any(t.start == starts and _strong_name(t) for t in tokens[index + 1 : index + 3]):
            return True
    before = re.search(r"(?:,|\band|&)\s*$", _window(text, token.start))
    if before is not None:
        ends = token.start - len(_window(text, token.start)) + before.start()
        while ends > 0 and text[ends - 1] == " ":
            ends -= 1
        if any(t.end == ends and _strong_name(t) for t in tokens[max(0, index - 2) : index]):
            return True
    return False


def _is_name_at(text: str, tokens: list[_Token], index: int) -> bool:
    token = tokens[index]
    word, key = token.text, token.key
    before = _window(text, token.start)
    title = _TITLE.search(before)
    if title is not None and len(word) == 1 and word.isupper() and not _acronym(title.group(1)):
        return True  # "Mrs K"
    if _acronym(word) and _strong_name(token) and len(key) > 2:
        following = tokens[index + 1] if index + 1 < len(tokens) else None
        return following is not None and following.key in _PERSON_VERBS  # "MIA said"
    if key in NEVER_NAMES or _acronym(word) or len(key) < 2:
        return False
    # After a title: any surname-like word ("Mr O'Sullivan", "mrs kowalska").
    if title is not None and key not in _NOT_AFTER_TITLE:
        if fold(title.group(1)) in ("mr", "mrs", "ms", "mx", "mister") and not _acronym(title.group(1)):
            return True
        # "miss" is also a verb and "dr" a drive: the word after must look like a name.
        if _capitalised(word) or ((_is_surname(key) or _is_first(key)) and key not in EVERYDAY_WORDS):
            return True
    # After "called", "named", "known as".
    if _NAME_CUES.search(before) and (_capitalised(word) or _is_first(key) or _is_surname(key)):
        return True
    first, surname = _is_first(key), _is_surname(key)
    if not (first or surname):
        return _unknown_name(text, tokens, index)
    everyday = key in EVERYDAY_WORDS or key in _MONTH_NAMES  # "April said" yes, "in April" no
    if len(key) < 3 and not _capitalised(word):
        return False
    at_start = _at_sentence_start(text, token.start)
    following = tokens[index + 1] if index + 1 < len(tokens) else None
    after_text = text[token.end : token.end + 12]
    if not everyday:
        if first:
            return True
        # A surname on its own counts capitalised ("Okafor said"), not "bates" or "from Poland".
        previous_word = tokens[index - 1].key if index > 0 else ""
        return _capitalised(word) and previous_word not in ("in", "from", "to", "at", "near")
    # An everyday word: a name only with evidence.
    if token.possessive and following is not None and following.key in _FAMILY_AFTER:
        return True  # "Grace's mum"
    if (
        _capitalised(word)
        and following is not None
        and text[token.end : following.start] == " "
        and (
            _capitalised(following.text)
            and _surname_follows(following)
            and following.key not in EVERYDAY_WORDS
            and (_is_surname(following.key) or _is_first(following.key))
        )
    ):
        return True  # "Grace Hollins"
    if _with_a_name(text, tokens, index):
        return True  # "Precious and Tobi", "jayden and grace"
    if _ROLE_DEFINED.match(text, token.end):
        return True  # "dawn is mum's partner", "hope was the baby"
    if not _capitalised(word) or word.isupper():
        return False
    previous = tokens[index - 1] if index > 0 else None
    if (
        key in _MONTH_NAMES and re.match(r"\s*(?:\d|the\s+\d|of\s+\d)", after_text, re.IGNORECASE)
    ) or re.search(r"\d(?:st|nd|rd|th)?\s+(?:of\s+)?$", before, re.IGNORECASE):
        return False  # "May 3rd", "3 May", "the 3rd of May"
    if at_start:
        return following is not None and following.key in _NAME_VERBS | {"from"} and not following.possessive
    # "Early Help", "Red Cross", "Hebden Bridge": part of a proper name that is not a person.
    if _in_a_title_phrase(text, tokens, index):
        return False
    # "the Amber light", "in May", "by Summer": a thing, a month or a season.
    thing = previous is not None and previous.key in _THING_BEFORE
    return not (thing and previous is not None and text[previous.end : token.start].strip() == "")


# ---------------------------------------------------------------------------- roles

_ROLE_CUES: tuple[tuple[str, str], ...] = (
    (r"mum'?s\s+(?:new\s+)?(?:partner|boyfriend|bf)", "mum's partner"),
    (r"dad'?s\s+(?:new\s+)?(?:partner|girlfriend|gf)", "dad's partner"),
    (r"step[\s-]?dad|stepfather", "step-dad"),
    (r"step[\s-]?mum|stepmother", "step-mum"),
    (r"mum|mam|mom|mother", "mum"),
    (r"dad|father", "dad"),
    (r"nan|nana|nanny|gran|granny|grandma|grandmother", "nan"),
    (r"grandad|granddad|grandpa|grandfather", "grandad"),
    (r"brother", "the brother"),
    (r"sister", "the sister"),
    (r"(?:half|step)[\s-]?(?:brother|sister|sibling)", "the sibling"),
    (r"aunt|auntie|aunty", "the aunt"),
    (r"uncle", "the uncle"),
    (r"cousin", "the cousin"),
    (r"boyfriend|bf", "the boyfriend"),
    (r"girlfriend|gf", "the girlfriend"),
    (r"partner", "the partner"),
    (r"baby|the\s+little\s+one", "the baby"),
    (r"dsl", "the DSL"),
    (r"senco", "the SENCO"),
    (r"teacher|head\s*teacher|head", "the teacher"),
    (r"hv|health\s+visitor", "the health visitor"),
    (r"neighbour", "the neighbour"),
    (r"friend|mate", "a friend"),
    (r"foster\s+carer", "the foster carer"),
    (r"yp|young\s+person|child|eldest|youngest|son|daughter", "the child"),
)
_ROLE_BEFORE = [
    (
        re.compile(
            rf"\b(?:{pattern})(?:'s\s+name)?\s*[,(:-]?\s*(?:(?:is|was)\s+)?(?:(?:called|named)\s+)?$",
            re.IGNORECASE,
        ),
        role,
    )
    for pattern, role in _ROLE_CUES
]
_ROLE_AFTER = [
    (re.compile(rf"^\s*(?:,|\()\s*(?:(?:the|her|his|their|my)\s+)?(?:{pattern})\b", re.IGNORECASE), role)
    for pattern, role in _ROLE_CUES
]
_CUE_GAP = re.compile(r"(?:\s+(?:is|was))?[\s,(:-]*$", re.IGNORECASE)
_CALLED_BEFORE = re.compile(
    r",?\s+(?:(?:is|was|'s|are)\s+)?(?:called|named|known\s+as|nicknamed)\s+[\"'“‘]?$", re.IGNORECASE
)
_PLACEHOLDERS = {
    "nhs_number": "[NHS number]",
    "ni_number": "[NI number]",
    "postcode": "[postcode]",
    "phone": "[phone number]",
    "email": "[email]",
    "date_of_birth": "[date of birth]",
    "car_registration": "[car registration]",
}


def _cued_role(text: str, hit: IdentifierHit) -> str | None:
    before = text[max(0, hit.start - 40) : hit.start]
    if _TITLE.search(before):
        before = before[: _TITLE.search(before).start()]  # type: ignore[union-attr]
    after = text[hit.end : hit.end + 40]
    for pattern, role in _ROLE_BEFORE:
        if pattern.search(before):
            return role
    for pattern, role in _ROLE_AFTER:
        if pattern.search(after):
            return role
    return None


def _person_roles(text: str, hits: list[IdentifierHit]) -> dict[str, str]:
    """One role per person in the text (the same name is the same role everywhere)."""
    people: dict[str, str | None] = {}
    titled: set[str] = set()
    for hit in hits:
        if hit.kind != "name":
            continue
        person = fold(text[hit.start : hit.end])
        cued = _cued_role(text, hit)
        if people.get(person) is None:
            people[person] = cued
        if _TITLE.search(text[max(0, hit.start - 10) : hit.start]):
            titled.add(person)
    # Parts of a full name are the same person ("Kerry Hollins" ... "Kerry").
    for person in list(people):
        for other in people:
            if other != person and person in other.split() and people[person] is None:
                people[person] = people[other]
    roles: dict[str, str] = {}
    uncued = [p for p, role in people.items() if role is None and p not in titled]
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    for person, role in people.items():
        if role is not None:
            roles[person] = role
        elif person in titled:
            roles[person] = "the adult"
        elif len(uncued) == 1:
            roles[person] = "the child"
        else:
            roles[person] = f"child {letters[uncued.index(person) % 26]}"
    return roles


def suggest_role(text: str, hit: IdentifierHit) -> str:
    """A role to write instead of what was found: "the child", "mum", "the school", "[NHS number]"."""
    if hit.kind in _PLACEHOLDERS:
        return _PLACEHOLDERS[hit.kind]
    found = text[hit.start : hit.end]
    lowered = found.lower()
    if hit.kind == "school":
        for word in ("nursery", "college", "academy", "pre-school", "preschool"):
            if word in lowered:
                return "the " + word
        return "the school"
    if hit.kind == "address":
        if re.match(r"(?:flat|apartment|apt|maisonette)\b", lowered):
            return "the flat"
        return "the address"
    if hit.kind == "name":
        hits = find_identifiers(text)
        if hit not in hits:
            hits = [*hits, hit]
        return _person_roles(text, hits).get(fold(found), "the child")
    return f"[{hit.kind.replace('_', ' ')}]"


def replace_with_roles(text: str, hits: list[IdentifierHit]) -> str:
    """The text with each hit replaced by its role; a name right after its own role is dropped.

    "mum (Kerry) said" becomes "mum said", "her brother is called Kai" "her brother", "Mia's
    nan" "the child's nan", "Mr O'Sullivan" "the adult"; a role opening a sentence is capitalised.
    """
    roles = {hit: suggest_role(text, hit) for hit in hits}
    out = text
    for hit in sorted(hits, key=lambda h: h.start, reverse=True):
        role = roles[hit]
        start, end = hit.start, hit.end
        if hit.kind == "name":
            title = _TITLE.search(_window(out, start))
            if title is not None:
                start -= len(_window(out, start)) - title.start()
            before = _window(out, start)
            called = _CALLED_BEFORE.search(before)
            cued = any(pattern.search(before) for pattern, _ in _ROLE_BEFORE)
            if called is not None or cued:
                # "her brother is called Kai", "a man called Tyreece", "mum (Kerry)", "the DSL,
                # Mrs Ahmed,": the words before already say who it is, so the name goes.
                cut = called.start() if called is not None else _cue_end(before)
                opened = before[cut:]
                start -= len(before) - cut
                if "(" in opened:
                    closing = re.match(r"[\"'”’]?\s*\)", out[end:])
                elif "," in opened:
                    closing = re.match(r"[\"'”’]?\s*,(?=\s)", out[end:])
                else:
                    closing = re.match(r"[\"'”’]", out[end:])
                if closing is not None:
                    end += closing.end()
                out = _join(out[:start], out[end:])
                continue
        if (
            _SENTENCE_START.search(_window(out, start, 12) if start > 12 else out[:start])
            and role[:1].islower()
        ):
            role = role[:1].upper() + role[1:]
        out = out[:start] + role + out[end:]
    return out


def _cue_end(before: str) -> int:
    """Where the role word ends in the text before a name ("mum (", "HV is ", "the DSL, ")."""
    gap = _CUE_GAP.search(before)
    return gap.start() if gap is not None else len(before)


def _join(left: str, right: str) -> str:
    """Two pieces of a sentence after a cut, without a doubled comma or space."""
    if left.endswith(",") and right.startswith(","):
        right = right[1:]
    if left.endswith(" ") and right.startswith(" "):
        right = right[1:]
    return left + right
