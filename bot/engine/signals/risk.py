"""Words that suggest a child may be at immediate risk, so the bot can prompt the worker.

This is prompting, never risk assessment. When it fires, the bot says plainly to follow
local safeguarding procedures now and speak to a manager; it decides nothing about a child,
a threshold or a case. It errs towards prompting: showing the prompt when it was not needed
costs the worker a tap, missing a disclosure costs far more.

How the text is read (all pure, no I/O):

1. Normalise the way workers type on a phone: lower case, text-speak ("w" for with, "hes",
   "yp", "bf", "kms", "18 mth old"), the field's abbreviations (DV, DA, SH, OD, MFH, NAI,
   CSE, CCE, FGM) and misspellings of distinctive words ("sucide", "strangeld", "brusies"),
   corrected with rapidfuzz's optimal-string-alignment distance against a short lexicon.
2. Blank out idioms and ordinary facts that share words with disclosures ("killing it at
   football", "dying her hair", "kill for a cup of tea", "hit it off", "missing school",
   "choked on a grape", "burns unit", "knife block").
3. Look for each category's phrasing: who did what to whom (a harm verb and a person as its
   object, or the passive), injuries by where they are on the body, on a baby or a child who
   is not yet mobile, or with an explanation that does not fit; threats with a modal ("he'll
   kill her", "threatened to burn the house down"); a child alone by age or place; a carer
   drunk or passed out with a child present; and the words of self-harm, sexual abuse,
   exploitation, forced marriage and FGM, and a missing child.
4. Discard a match in the scope of a negation or a resolved past before it in its own clause
   ("no marks or injuries", "denies any hitting", "history of self-harm", "no DV since the
   injunction"); a contrast ("but", "although") starts a new clause, so "she denies it but
   he has bruises" still prompts.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz.distance import OSA

from bot.engine.signals.prefilter import PatternSet

CATEGORIES: tuple[str, ...] = (
    "sexual abuse",
    "physical harm",
    "self-harm or suicide",
    "threat to kill or harm",
    "child left alone",
    "domestic abuse",
    "exploitation",
    "forced marriage or FGM",
    "missing child",
    "injury to a baby",
    "intoxicated carer",
    "neglect",
    "immediate danger",
)


@dataclass(frozen=True)
class RiskSignal:
    """Why the safeguarding prompt is shown: the kind of words, and the words themselves."""

    category: str
    phrase: str


# --------------------------------------------------------------------------- normalising

_SPEAK: dict[str, str] = {
    "w": "with",
    "w/": "with",
    "wiv": "with",
    "u": "you",
    "ur": "your",
    "n": "and",
    "b4": "before",
    "cos": "because",
    "coz": "because",
    "cuz": "because",
    "bc": "because",
    "becos": "because",
    "tho": "though",
    "hes": "he's",
    "shes": "she's",
    "theyre": "they're",
    "im": "i'm",
    "ive": "i've",
    "dont": "don't",
    "didnt": "didn't",
    "doesnt": "doesn't",
    "wasnt": "wasn't",
    "isnt": "isn't",
    "hasnt": "hasn't",
    "havent": "haven't",
    "hadnt": "hadn't",
    "wont": "won't",
    "cant": "can't",
    "couldnt": "couldn't",
    "wouldnt": "wouldn't",
    "werent": "weren't",
    "arent": "aren't",
    "youre": "you're",
    "gonna": "going to",
    "wanna": "want to",
    "tryna": "trying to",
    "kms": "kill myself",
    "kys": "kill yourself",
    "2nite": "tonight",
    "2night": "tonight",
    "tonite": "tonight",
    "yday": "yesterday",
    "yest": "yesterday",
    "bf": "boyfriend",
    "gf": "girlfriend",
    "mam": "mum",
    "mom": "mum",
    "mommy": "mummy",
    "mums": "mum's",
    "dads": "dad's",
    "stepdads": "stepdad's",
    "bros": "brother's",
    "sis": "sister",
    "bro": "brother",
    "nite": "night",
    "od": "overdose",
    "od'd": "overdosed",
    "odd'd": "overdosed",
    "selfharm": "self-harm",
    "selfharming": "self-harming",
    "misper": "missing from home",
    "prolly": "probably",
    "abt": "about",
    "thru": "through",
    "til": "until",
    "till": "until",
    "tmrw": "tomorrow",
    "sed": "said",
    "sez": "says",
    "wen": "when",
    "agen": "again",
    "agin": "again",
    "sum1": "someone",
    "some1": "someone",
    "any1": "anyone",
    "no1": "no one",
    "bein": "being",
    "goin": "going",
    "doin": "doing",
    "sayin": "saying",
    "harmin": "harming",
    "cuttin": "cutting",
    "hittin": "hitting",
    "sum": "some",
    "overnite": "overnight",
    "wkend": "weekend",
    "wknd": "weekend",
    "babys": "baby's",
    "childs": "child's",
    "wacked": "whacked",
    "wacks": "whacks",
    "tryed": "tried",
    "trys": "tries",
    "ppl": "people",
    "bcoz": "because",
    "luv": "love",
    "dunno": "don't know",
    "thay": "they",
    "tuchd": "touched",
    "tuched": "touched",
    "touchd": "touched",
    "tuches": "touches",
    "tuch": "touch",
    "tuching": "touching",
    "pimpd": "pimped",
    "misin": "missing",
    "mising": "missing",
    "missin": "missing",
    "infront": "in front",
    "wit": "with",
    "hed": "head",
    "cnt": "can't",
    "cudnt": "couldn't",
    "wudnt": "wouldn't",
    "shud": "should",
    "gud": "good",
    "skool": "school",
    "lil": "little",
    "bk": "back",
    "fone": "phone",
    "kidz": "kids",
    "hom": "home",
    "alon": "alone",
    "hme": "home",
    "2day": "today",
    "2moro": "tomorrow",
    "da": "the",
    "dem": "them",
    "wat": "what",
    "becuz": "because",
    "rapd": "raped",
    "raipd": "raped",
    "bruse": "bruise",
    "brused": "bruised",
    "bruzes": "bruises",
    "bruses": "bruises",
    "threatnd": "threatened",
    "threatend": "threatened",
    "strangld": "strangled",
    "choakd": "choked",
    "choked": "choked",
    "chokd": "choked",
    "punchd": "punched",
    "kickd": "kicked",
    "slapd": "slapped",
    "smackd": "smacked",
    "smaked": "smacked",
    "beatin": "beating",
    "burnin": "burning",
    "chokin": "choking",
    "drinkin": "drinking",
    "givin": "giving",
    "sellin": "selling",
    "dealin": "dealing",
    "runnin": "running",
    "sleepin": "sleeping",
    "touchin": "touching",
    "cryin": "crying",
    "bleedin": "bleeding",
    "killin": "killing",
    "hurtin": "hurting",
    "stabbin": "stabbing",
    "threatenin": "threatening",
    "smokin": "smoking",
    "usin": "using",
    "takin": "taking",
    "leavin": "leaving",
    "lockin": "locking",
    "kickin": "kicking",
    "punchin": "punching",
    "slappin": "slapping",
    "smackin": "smacking",
    "shakin": "shaking",
    "hidin": "hiding",
    "playin": "playing",
    "livin": "living",
    "thinkin": "thinking",
    "talkin": "talking",
}

# Distinctive words worth correcting when misspelt (never short, common or look-alike words).
_LEXICON: tuple[str, ...] = (
    "suicide",
    "suicidal",
    "strangled",
    "strangling",
    "strangle",
    "strangles",
    "strangulation",
    "bruises",
    "bruised",
    "bruising",
    "unconscious",
    "unresponsive",
    "overdose",
    "overdosed",
    "molested",
    "molesting",
    "threatened",
    "threatening",
    "threatens",
    "exploitation",
    "exploited",
    "injuries",
    "fracture",
    "fractures",
    "fractured",
    "scalded",
    "paracetamol",
    "ligature",
    "intoxicated",
    "assaulted",
    "sexually",
    "inappropriate",
    "inappropriately",
    "disclosed",
    "disclosure",
    "unexplained",
    "punched",
    "stabbed",
    "suffocated",
    "smothered",
    "harming",
    "touching",
    "privates",
    "private",
    "genitals",
    "smacked",
    "touched",
    "touches",
    "missing",
    "cutting",
    "choking",
    "strangling",
    "groomed",
    "grooming",
    "pimped",
    "raping",
    "stabbing",
    "punching",
    "kicking",
    "slapping",
    "beating",
    "drinking",
    "burning",
)
_PROTECTED = frozenset(
    {
        "torches",
        "torched",
        "snacked",
        "stacked",
        "smoked",
        "smashed",
        "tracked",
        "kissing",
        "misting",
        "musting",
        "putting",
        "cutlery",
        "chiming",
        "clocking",
        "cooking",
        "coking",
        "choosing",
        "grooves",
        "groomer",
        "pimples",
        "rapping",
        "ripping",
        "stabling",
        "stubbing",
        "punting",
        "licking",
        "kicker",
        "slipping",
        "slapper",
        "bearing",
        "betting",
        "beading",
        "dinking",
        "drinker",
        "turning",
        "burying",
        "burring",
        "stranger",
        "strangers",
        "strange",
        "strangely",
        "braised",
        "cruised",
        "cruises",
        "bruiser",
        "threaded",
        "exploited",
        "explained",
        "enclosed",
        "disposed",
        "displaced",
        "punches",
        "pinched",
        "bunched",
        "lunched",
        "munched",
        "hunched",
        "stabled",
        "smoothed",
        "touchline",
        "touchy",
        "prime",
        "privacy",
        "arming",
        "charming",
        "farming",
        "warming",
        "harmony",
        "overdone",
        "overdoes",
        "overhead",
        "inspire",
        "injured",
        "infuriated",
        "fractions",
        "fraction",
        "practice",
        "practised",
        "fracas",
        "sexuality",
        "genitive",
        "genuine",
        "unexpected",
        "unexplored",
        "unresolved",
        "unrespectful",
        "uncontious",
        "assured",
        "assisted",
        "assorted",
        "ligatures",
        "literature",
        "suicides",
    }
)
_TOKEN = re.compile(r"[a-z][a-z'/-]*[a-z]|[a-z]|\d+")


@lru_cache(maxsize=4096)
def _corrected(token: str) -> str:
    if len(token) < 6 or token in _PROTECTED or token in _LEXICON:
        return token
    best, best_distance = token, 99
    limit = 2 if len(token) >= 11 else 1
    for word in _LEXICON:
        if word[0] != token[0] or abs(len(word) - len(token)) > limit:
            continue
        distance = OSA.distance(token, word, score_cutoff=limit)
        if distance <= limit and distance < best_distance:
            best, best_distance = word, distance
    return best


_ABBREVIATIONS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(p), r)
    for p, r in (
        (r"\bDA\b", "domestic abuse"),
        (r"\b[Dd][Vv]\b", "domestic violence"),
        (r"\bSH\b", "self-harm"),
        (r"\bOD\b", "overdose"),
        (r"\b(MFH|MISPER)\b", "missing from home"),
        (r"\bNAI\b", "non-accidental injury"),
    )
)
_AGE_FORMS = re.compile(
    r"\b(\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|eighteen)"
    r"\s?-?\s?(yo|y/o|yrs? old|years? old|yr|yrs)\b(?!\s+ago)"
)
_MONTH_FORMS = re.compile(r"\b(\d{1,2})\s?-?\s?(m|mo|mos|mth|mths|mnth|mnths|month|months)\s?-?\s?old\b")
_WEEK_FORMS = re.compile(r"\b(\d{1,2})\s?-?\s?(wk|wks|week|weeks)\s?-?\s?old\b")


def normalise(text: str) -> str:
    """The text as the patterns read it: lower case, text-speak expanded, misspellings fixed."""
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("`", "'")
    for pattern, replacement in _ABBREVIATIONS:
        text = pattern.sub(replacement, text)
    text = text.lower()
    text = re.sub(r"(?<![\w'])['\"](\w[\w' ]{0,30}\w|\w)['\"](?![\w'])", r"\1", text)
    text = re.sub(r"\bstep[ -]?(dad|father|mum|mother)", r"step\1", text)
    text = re.sub(r"\bself[ -]?harm", "self-harm", text)
    text = re.sub(r"\bhead[ -]butt", "headbutt", text)
    text = re.sub(
        r"\b(has|have|had|'s|'ve|he's|she's|they've|i've|hasn't|haven't|not|shes|hes|ive|theyve) bin\b",
        r"\1 been",
        text,
    )
    text = re.sub(r"\b(mum|dad|stepdad|mummy|daddy)s\b", r"\1's", text)
    text = re.sub(r"&|\+", " and ", text)
    text = re.sub(
        r"\b(wants?|wanted|going|trying|tried|has|have|had|got|need|needs) 2 (?=[a-z])", r"\1 to ", text
    )
    text = re.sub(
        r"(?<=[a-z]) 2 (?=(get|be|go|do|kill|die|end|hurt|harm|marry|make|take|have|see|meet|stay|come|live|sleep|send|"
        r"sell|carry|hold|run|pay|cut|stab|hit|touch|leave|stop)\b)",
        " to ",
        text,
    )
    text = _AGE_FORMS.sub(r"\1 year old", text)
    text = _MONTH_FORMS.sub(r"\1 month old", text)
    text = _WEEK_FORMS.sub(r"\1 week old", text)

    def token(match: re.Match[str]) -> str:
        word = match.group(0)
        if word in _SPEAK:
            return _SPEAK[word]
        return _corrected(word)

    return re.sub(r"[a-z][a-z'/-]*[a-z]|\b[a-z]\b|\bb4\b|\b2nite\b|\b2night\b", token, text)


# --------------------------------------------------------------------------- vocabulary

_CHILD = (
    r"(the |a |her |his |their |my |our |this )?(baby|babies|newborn|infant|toddler|little one|kids?|children|child|"
    r"son|daughter|boys|girls|boy|girl|little ones|twins|yp|young person|eldest|youngest|siblings?|brother|sister|"
    r"little (brother|sister)|"
    r"baby (brother|sister)|grandson|granddaughter|step(son|daughter))"
)
_ADULT = (
    r"(both parents|parents|both of them|the adults|friend|family friend|mate|babysitter|teacher|coach|tutor|dad|daddy|father|mum|mummy|mother|stepdad|stepfather|stepmum|stepmother|nan|nana|nanna|gran|granny|grandma|"
    r"grandad|granddad|grandpa|grandfather|grandmother|uncle|aunt|auntie|carer|partner|boyfriend|girlfriend|husband|"
    r"wife|ex|lodger|neighbour|cousin|(mum|dad|mother|father)'s (partner|boyfriend|girlfriend|mate|friend|brother))"
)
_PERSON_OBJ = (
    r"(him|her|them|me|us|you|mum|mummy|mother|dad|daddy|nan|"
    rf"{_CHILD}|(the |a |her |his |their )?\d+ (year|month|week) old|(his|her|their|my|mum's|dad's) {_ADULT}|"
    r"(his|her|their|my) (son|daughter|kids?|children|baby|brother|sister|wife|girlfriend|partner|sibling)|"
    r"[a-z]+'s (son|daughter|baby|kids?|children|mum|partner|girlfriend|wife))"
)
# What may follow a pronoun object, so "grabbed her coat" is not "grabbed her".
_AFTER_OBJ = (
    r"(?=\s*($|[.,;:!?)'\"\-]|\b(with|across|in|on|around|round|against|into|over|onto|off|out|down|up|when|whenever|if|"
    r"to|by|upstairs|downstairs|outside|inside|away|along|around|about|behind|because|cos|so hard|or|and|though|"
    r"tho|apparently|she said|he said|they said|allegedly|every|everyday|whenever|lots|properly|badly|"
    r"and|so|because|until|again|hard|badly|really|a lot|lots|all|every|most|some|sometimes|regularly|often|daily|"
    r"last|yesterday|today|tonight|this|that|at|for|about|then|while|but|too|as|before|after|once|twice|loads|many|"
    r"before|til|until|to the|the other|senseless|unconscious|black and blue|till|or|\d+)\b|\s*"
    r"(face|cheeks?|eyes?|ears?|neck|throat|head|back|bottom|bum|tummy|stomach|belly|chest|ribs|arms?|legs?|hair|"
    r"hands?|fingers?|feet|foot|wrists?|skin)\b))"
)
# Only "her" can be a possessive ("grabbed her coat"); him, them, me and us are always objects.
_AFTER_OBJ = rf"(?:(?<=\bher){_AFTER_OBJ}|(?<!\bher))"


def _inflect(bases: str) -> str:
    """Regular English forms of each base verb: lamp, lamps, lamped, lamping (slap, slapped, slapping)."""
    forms: set[str] = set()
    for base in bases.split():
        forms |= {base, base + "s", base + "es"}
        stem = base[:-1] if base.endswith("e") else base
        double = (
            len(base) > 2 and base[-1] not in "aeiouwxy" and base[-2] in "aeiou" and base[-3] not in "aeiou"
        )
        if double:
            forms |= {base + base[-1] + "ed", base + base[-1] + "ing"}
        forms |= {stem + "ed", stem + "ing"}
    return "(" + "|".join(sorted(forms, key=len, reverse=True)) + ")"


# Slang and plain verbs of hitting and hurting, as workers and children say them.
_HARM_SLANG = _inflect(
    "lamp deck clobber thrash leather pummel pound wallop batter bash boot clout slap smack thump whack punch kick "
    "belt whip cane strap throttle strangle choke smother suffocate scald headbutt elbow knee manhandle restrain "
    "scratch claw nip pinch twist yank shove drag slam hurt harm attack assault brutalise beat chuck hurl fling lob"
)
_PHYS_VERB = (
    r"(hit|hits|hitting|struck|strikes|striking|strike|beat|beats|beating|beaten|batter(s|ed|ing)?|punch(es|ed|ing)?|"
    r"kick(s|ed|ing)?|"
    r"slap(s|ped|ping)?|smack(s|ed|ing)?|thump(s|ed|ing)?|whack(s|ed|ing)?|belt(s|ed|ing)|whip(s|ped|ping)?|"
    r"shook|shakes|shaking|shaken|shake|threw|throws|thrown|throwing|shov(e|es|ed|ing)|"
    r"drag(s|ged|ging)?|pinch(es|ed|ing)?|bit|bites|bitten|biting|burn(s|ed|t|ing)?|scald(s|ed|ing)?|"
    r"stamp(s|ed)? on|stood on|sat on|hurt(s|ing)?|harm(s|ed|ing)?|attack(s|ed|ing)?|assault(s|ed|ing)?|"
    r"strangl(e|es|ed|ing)|chok(e|es|ed|ing)|throttl(e|es|ed|ing)|suffocat(e|es|ed|ing)|smother(s|ed|ing)?|"
    r"stab(s|bed|bing)?|headbutt(s|ed|ing)?|lash(ed|es)? out at|laid into|lays into|went for|goes for|"
    r"pinned|pins|twisted|twists|bashed|bashes|wallop(s|ed)?|clip(s|ped)? round the ear|battered|grab(s|bed|bing)?|"
    r"grip(s|ped|ping)?|squeez(e|es|ed|ing)|"
    r"grab(s|bed|bing)? .{0,12}by the (throat|neck|hair|arm|arms|wrist)|pull(s|ed|ing)? .{0,12}by the hair|"
    r"push(es|ed|ing)?|pushed .{0,10}down the stairs)"
)
_INJURY = (
    r"(bruis(e|es|ed|ing)|black eyes?|marks?|burns?|burnt|scalds?|scalded|fractur(e|es|ed)|broken "
    r"(arm|leg|wrist|ribs?|bones?|collarbone|femur|skull|nose|fingers?|toes?)|welts?|bite marks?|lacerations?|"
    r"swelling|swollen|lumps?|injur(y|ies|ed)|bleeding|bleed|blood(?= (on|in|from|all over|coming|everywhere|stains?)\b)|petechiae|scratch(es)?|graz(e|es|ed)|"
    r"hand ?prints?|finger ?(tip )?marks?|grip marks?|cuts?(?= (on|to|above|below|across|under|near|all)\b)|split lip|cut lip|head injury|bumps?)"
)
_HIGH_SITE = (
    r"(face|cheeks?|eyes?|eye ?lids?|ears?|neck|throat|head|forehead|scalp|back|bottom|bum|buttocks?|tummy|"
    r"stomach|belly|chest|ribs?|torso|genitals?|private parts|privates|inner thighs?|upper arms?|mouth|lips?|"
    r"frenulum|skull|jaw|temple|spine|abdomen)"
)
_BABY = (
    r"(\bbab(y|ies)\b|\bnewborn|\binfant|\b(\d|1[0-1]) (week|month) old|\b([1-9]|1[0-9]|2[0-3]) month old|"
    r"\b(he|she)('s| is) (\d|1\d) (weeks?|months?)\b|\bnon[- ]?mobile|\bnot (yet )?(mobile|crawling|walking|rolling)|"
    r"\bpre-?mobile|\bpremature|\bprem\b|\b(1|one) year old|\bin (his|her|the) cot\b)"
)
_SEXPART = (
    r"(private parts|privates|private area|private place|down there|down below|willy|willie|penis|dick|cock|"
    r"vagina|fanny|minge|front bottom|foo ?foo|tuppence|noo ?noo|bum|boobs?|breasts?|genital\w*|private|"
    r"between (her|his|my|their) legs|nipples?|crotch|groin|bits)"
)
_INTOX = (
    r"(drunk|very drunk|wasted|smashed|hammered|paralytic|legless|steaming|pissed|off (her|his|their) (face|head|"
    r"heads|tits|nut)|intoxicated|under the influence|high|stoned|out of it|out of (her|his) (mind|head|tree)|"
    r"passed out|unconscious|unrousable|slurring|gouching|nodding off|drinking|been drinking|using)"
)
_NUM_CHILD = r"(\d|1[0-2]|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"

# (category, pattern). Earlier entries name the category when several match.
_SPECS: tuple[tuple[str, str], ...] = (
    # --- forced marriage and FGM
    (
        "forced marriage or FGM",
        r"\bfgm\b|\bfemale genital|\bgenital (mutilation|cutting)|\bkhatna\b|\bsunna\b",
    ),
    (
        "forced marriage or FGM",
        r"\b(be|being|get|getting|been|was|were|got|gets|going to be|have her|having her|had her)\s(cut|circumcised)"
        r"\b.{0,40}\b(abroad|summer|holidays?|back home|on holiday|when (she|they) (go|goes|went|visit)|"
        r"like (her|the) (sister|cousins|mum)|special|ceremony|tradition|aunt|auntie|grandma|nan|family)",
    ),
    (
        "forced marriage or FGM",
        r"\b(taking|take|took|send|sending|sent|fly|flying|flew) (her|the girls|them|his daughter|her daughter)\b.{0,50}"
        r"\bfor (the|a|her) (cut|cutting|ceremony|procedure)\b|\bmarried off\b|\bbe married (off|abroad)\b",
    ),
    (
        "forced marriage or FGM",
        r"\b(cutting|cut) (ceremony|abroad|over the summer|in the holidays)|\bspecial (ceremony|procedure|"
        r"celebration|party) (to become|for (girls|her)|when she|to make her)",
    ),
    (
        "forced marriage or FGM",
        r"\bforc(e|es|ed|ing) (her|him|them|me) (in)?to (marr\w*|a marriage|marriage|get married|wed\w*)|"
        r"\bforced (to |into )?(marr\w*|wed\w*)|\bforced marriage|\b(marry|married) (her|him|them) off\b|"
        r"\b(sent|taken|take|send|sending|taking|going|go|gone|went|being sent|been sent|will be sent|flown|fly|flying)\s"
        r"(her |him |them )?(back )?(home |abroad |out )?(to (the )?[a-z]+ )?(this summer |in the summer |in the holidays |(on|this|"
        r"next|at the) \w+ )?"
        r"to (get )?(marr(y|ied)|wed|be married|meet (her|his) (husband|wife|future))|"
        r"\b(pressured|pressurised|forced|coerced|made|being pushed) into (marrying|marriage|getting married|a marriage|"
        r"being married)\b|"
        r"\b(has to|must|made to|being made to|will have to|going to have to|have to|expected to|pressured to|"
        r"pressure to|want(s|ed)? (her|him) to|promised to) (marry|get married|be married)|"
        r"\bengaged to (her|his) (cousin|uncle)|\bmarriage (has been |is |was )?arranged (for her|for him|abroad)",
    ),
    # --- sexual abuse
    (
        "sexual abuse",
        rf"\b(touch(es|ed|ing)?|rub(s|bed|bing)?|lick(s|ed|ing)?|grop(e|es|ed|ing)|fondl\w*|squeez(e|es|ed|ing)|"
        rf"hurt(s|ing)?|grab(s|bed|bing)?|stroke[sd]?|stroking|(put|puts|putting) (his|her) (hand|hands|fingers?|thing|willy|penis) "
        rf"(on|in|inside|down|up)|kiss(es|ed|ing)?)\b(\W+\w+){{0,4}}?\W+{_SEXPART}\b",
    ),
    (
        "sexual abuse",
        r"\b(hand|hands|fingers?) (in|inside|down|up|into) (her|his|my|their) (knickers|pants|underwear|trousers|"
        r"shorts|pyjamas|nappy|skirt|dress|nightie)|\bsexual (stuff|things|acts?|games)\b|\b(do|does|doing|did|done) "
        r"(stuff|things|bad things|rude things|sexual (stuff|things)|favours) (to|with|for) (me|her|him|them|the men|"
        r"men|older|adults?|him and)\b|\b(ask|asks|asked|asking|pressur\w*|wants?|wanted) (her|him|them|me) "
        r"(for|to send) (nudes?|naked|sexual|pics|pictures|photos)",
    ),
    (
        "sexual abuse",
        rf"\b({_ADULT}|he|she|someone|a man|men|his mate|her mate|a boy|an older boy|the lodger)\b( \w+){{0,8}} "
        r"(touch(es|ed|ing)?|fondl\w*|grop\w*|feel(s|ing)? (her|him|me|them) up|felt (her|him|me|them) up|kiss(es|ed|ing)? "
        r"(her|him|me) on the (lips|mouth)) (her|him|me|them|us)?\b(?=\s*($|[.,;:!?'\"]|\b(when|at night|in bed|"
        r"while|and|under|over|inappropriately|where|in the bath|in (her|his|my) (room|bed)|at|every|again|"
        r"sometimes|all the time|a lot|if|until|so|but)\b))|\bmakes? (her|him|me|them) (sit|lie|sleep) (on|in) "
        r"(his|her) (lap|bed|knee|knees)|\bmakes? (her|him|me|them) (lie|sit|sleep|get|lay) (on top of|under|underneath|"
        r"on) (him|her|them)\b|\bspecial (photos|pictures|pics|cuddles|massages|games|touches|secrets)\b",
    ),
    (
        "sexual abuse",
        r"\b(send\w*|sent) (nude |naked |rude |sexy )?(pictures|pics|photos|images|videos|selfies) (of (herself|"
        r"himself|themselves) )?to (a|an|some|this|older|adult) (man|men|guy|adult|stranger|older|\d\d year old)|"
        r"\b(man|men|guy|adult|older (boy|lad|man)|stranger) (she|he|they) (met|meets|talks to|is talking to) "
        r"(online|on (snapchat|instagram|tiktok|the internet|a game|an app|discord|roblox|whatsapp|facebook))|"
        r"\b(texts|messages|calls|snaps) from (a|an) (1[89]|[2-9]\d) year old|\b(1[89]|[2-9]\d) year old\b.{0,40}"
        r"\b(asking to meet|wants to meet|meet up|messaging (her|him)|texting (her|him)|sending (her|him))",
    ),
    (
        "sexual abuse",
        r"\b(made|makes|making|make) (her|him|me|them) (touch|hold|rub|lick|suck|watch)\b|\b(shows?|showed|showing|shown) (her|him|me|"
        r"them|the (kids|children|girls|boys)) (porn\w*|his (willy|penis|privates|thing|bits)|her (privates|bits|breasts)|rude (videos|pictures|"
        r"photos|films)|videos of (people|adults) having sex|sex videos)",
    ),
    (
        "sexual abuse",
        r"\b(sent|sends|send|sending|asked for|asks for|asking for|ask for|shared|sharing|share|request(s|ed|ing)?) "
        r"(her |him |them |me )?(nudes?|naked (pics|pictures|photos|images|selfies)|sexual (pics|pictures|images|"
        r"photos|messages)|pics of (her|his) (body|boobs|privates))",
    ),
    (
        "sexual abuse",
        r"\b(sexual(ly)? (abus\w*|assault\w*|touch\w*|activity|contact|harm\w*)|sexual abuse|rape[ds]?|raping|rapist|"
        r"molest\w*|fiddl(es|ed|ing) with (her|him|me|them)|interfer(es|ed|ing) with (her|him|me|them)|"
        r"inappropriate(ly)? (touch\w*|sexual|contact|photos|pictures|images|messages|texts|behaviour towards)|"
        r"touch(es|ed|ing)? (her|him|me|them) (inappropriately|in a sexual way|sexually|where)|"
        r"indecent (images|exposure|photos|assault)|exposed himself|exposing himself|flash(es|ed) (at )?(her|him|"
        r"them)|sexualised behaviour|sexually harmful|sex with (her|him|me|them|a \d+ year old|an? (adult|older))|"
        r"had sex with|having sex with|sleeping with (an? )?(older|adult|grown)|"
        r"got (her|a girl) pregnant|(sexting|sextortion)|made (her|him) (have sex|do sexual|do stuff))",
    ),
    (
        "sexual abuse",
        r"\bpregnan(t|cy) at (1[0-5]|eleven|twelve|thirteen|fourteen|fifteen)\b|\b(1[0-5]|eleven|twelve|thirteen|"
        r"fourteen|fifteen) year old (is |and |who is |now )?pregnant|\b(she's|she is) (1[0-5]) and pregnant",
    ),
    (
        "sexual abuse",
        r"\b(get|gets|got|getting) into (his|her|their|mum's|dad's) bed (and|at night)|"
        r"\bcomes into (her|his|their) (room|bed) at night",
    ),
    # --- self-harm or suicide (child or parent)
    (
        "self-harm or suicide",
        r"\bsuicid\w*|\bself-harm\w*|\boverdos\w*|\bligatures?\b|\bnoose\b|\bkill(s|ed|ing)? (myself|herself|himself|"
        r"themselves|themself|yourself)|\b(take|taking|took|end|ending|ended) (my|her|his|their) (own )?life|"
        r"\bend (it|it all|everything|things)( all)?\b(?! (with|between|off))|\bending it( all)?\b(?! with)",
    ),
    (
        "self-harm or suicide",
        r"\b(wants?|wanted|wanting|want) to (die|be dead|not be here|not exist|not wake up|disappear forever)\b|"
        r"\b(go to )?sleep and (never|not) wake up|"
        r"\bwish(es|ed)? (she|he|i|they) (was|were|is) dead|\bwish(es|ed)? (she|he|i)('d| had) never been born|"
        r"\bbetter off (dead|without (me|her|him|them|us))|\b(doesn't|does not|don't|do not|didn't) want to "
        r"(live|be alive|be here (any ?more|anymore)|exist|wake up|be here)\b(?! (early|at|in the morning|on|for|so|"
        r"before|when the|until|in (his|her|the) own|with|there))|\bcan't (go on|carry on|cope any ?more)\b|"
        r"\bno (point|reason) (in )?(living|being (here|alive)|going on|carrying on)|"
        r"\bif (i|she|he) (wasn't|weren't|was not|were not) (here|around|alive)\b|"
        r"\b(goodbye|suicide) (note|letter|message|text)|\bwrote (a )?goodbye|\bnot (be )?(around|here) for much longer",
    ),
    (
        "self-harm or suicide",
        r"\b(cut|cuts|cutting|burn(s|ed|t|ing)?|scratch(es|ed|ing)?|hurt(s|ing)?|harm(s|ed|ing)?|starv(e|es|ed|ing)|"
        r"punch(es|ed|ing)?|hit(s|ting)?|stab(s|bed|bing)?|strangl(e|es|ed|ing)|hang(s|ed|ing)?|hung) (herself|himself|"
        r"themselves|themself|myself)|\b(has|have|had|been|is|was|started|starting|keeps|back to|gone back to) "
        r"(been )?cutting\b(?! (up|out|down|back|the|her hair|his hair|food|veg|vegetables|paper|it|them|in|off|"
        r"corners|class|lessons|school|ties|a |an |some |(her|his|their) (hair|fringe|nails|food|meat|sandwich)))|\bslit (her|his|their|my) wrists|"
        r"\b(tied|tie|ties|tying|put|puts|wrapped) (something|a (belt|cord|scarf|lace|rope|tie|charger|cable)|"
        r"(her|his) (belt|scarf|dressing gown cord|lace)) (round|around) (her|his|their|my) neck|\b(life|living) "
        r"(isn't|is not|wasn't|not) worth (living|it)|\bnot worth living\b|\bsleep forever\b|\bnever wake up\b|"
        r"\b(doesn't|does not|don't|can't) see the point (in|of) (living|going on|anything|life|being here)|"
        r"\bcuts (on|up|along|to|all over) (her|his|their|both) (arms?|wrists?|legs?|thighs?|"
        r"stomach|tummy)|\bfresh cuts|\b(tried|trying|try|attempt(s|ed|ing)?) to ((hang|drown|poison|suffocate|"
        r"strangle|cut|burn|starve) (herself|himself|themselves|myself)|jump (off|from|out|in front)|cut (her|his) (wrists|"
        r"arms|throat))|\b('d|would) (rather|sooner) (be dead|die|not be here|not exist|not be alive)\b|\b(want|wants|"
        r"wanted|wanting) to (disappear|vanish|go away forever|not be alive|be with (nan|grandad|grandma|mum|dad) in "
        r"heaven|be with (her|his|my|their) (dead|late) (nan|nana|mum|dad|grandad|grandma|brother|sister|friend|"
        r"grandparents))\b|\b(stopped|stopping|refusing|refuses|refused) (eating|to eat)(?=\s*($|[,.;]|and\b|for (days|a week|"
        r"weeks)|since|altogether|completely))|\bjump(ing|ed|s)? (off|from|out of) (a|the|her|his) (bridge|roof|car park|building|cliff|multi[- ]?stor(e)?y|"
        r"balcony|window|tower|flats|top floor)|"
        r"\b(step|stepped|stepping|walk|walked|walking|jump|jumped|jumping|throw (herself|himself)|throwing "
        r"(herself|himself)) in front of (a|the) (train|car|bus|lorry)|"
        r"\b(took|taken|taking|take|swallowed|necked|swallow) (a lot of|loads of|lots of|all( (her|his|mum's|dad's|the|"
        r"my|their)){1,2}|a handful of|"
        r"a bunch of|a packet of|a box of|a load of|a handful|\d+) (pills|tablets|paracetamol|ibuprofen|meds|medication|painkillers)|"
        r"\bstockpil\w* (pills|tablets|meds|medication|paracetamol)",
    ),
    # --- threats to kill or harm
    (
        "threat to kill or harm",
        r"\b(threat\w*|vow(s|ed)?|swore|swears|promised) (to |that (he|she|they)('d| would| will|'ll) )?(kill|murder|"
        r"hurt|harm|stab|shoot|burn|batter|beat|smash (her|his|their) (face|head)|strangle|knife|slit|snap|"
        r"break (her|his|their) (neck|legs?|arms?|jaw)|do (her|him|them) in|take (the|her|his) (kids|children|baby)|"
        r"snatch|abduct|throw acid|acid|run (her|him) over|jump (off )?(with|from)|drive off (with|a)|walk into the sea|get (her|him|them|rid of)|slash|scar|disfigure|glass|"
        r"cut (her|him|you|them|me)\b(?! (off|out|down|some|a |her hair|his hair|short)))",
    ),
    (
        "threat to kill or harm",
        r"\b(threat(en)?(s|ed|ing)?) (her|him|them|mum|dad|me|the kids|the children|us|the family) with "
        r"(a |the |his |her )?(knife|knives|blade|machete|gun|weapon|hammer|bat|screwdriver|bottle|acid)|"
        r"\bdeath threats?|\bthreats? (to (kill|harm|hurt|stab|burn))|\bthreats? (from|off) (the |some |older |"
        r"her |his )?(boys|lads|men|gang|ex|partner|dealers?|olders)",
    ),
    (
        "threat to kill or harm",
        r"\b(he|she|they|dad|mum|stepdad|partner|boyfriend|ex|i|someone)?('ll| will|'d| would| is going to| was going"
        r" to| going to| wants to| wanted to| tried to| try to| trying to| nearly| almost| could| says he'll| said "
        r"he'd| said she'd| says she'll) (kill|murder|shoot|strangle|knife|stab|batter|kneecap|glass|slit (her|his|their) "
        rf"throat) ({_PERSON_OBJ}|anyone|anybody|everyone|everybody|someone|whoever|all of (you|them|us)|the lot of (you|them|"
        r"us)|them all|you all|the (social worker|sw|worker|teacher|police|officer|nurse|hv|health visitor|doctor|"
        r"neighbour|new boyfriend|new partner))\b",
    ),
    (
        "threat to kill or harm",
        r"\b(slit|cut) (her|his|their|your|my|mum's) throat|\b('ll|will|'d|would|going to|threatened to|said he'd|"
        r"said she'd) (break|snap) (her|his|their|your|my) (neck|legs?|arms?|jaw|face|fingers)",
    ),
    (
        "threat to kill or harm",
        rf"\b(kill|murder|slit (her|his|their|your) throat|break (her|his|your) (neck|legs))\b (you|{_PERSON_OBJ})"
        r"\b(?! (laughing|off))",
    ),
    (
        "threat to kill or harm",
        r"\b(pulled|pulls|pulling|held|holds|holding|waved|waves|waving|brandish\w*|came at \w+ with|comes at \w+ with|"
        r"went for \w+ with|chased \w+ with|attacked \w+ with|hit \w+ with|threatened \w+ with|carr(y|ies|ied|ying)|"
        r"got|had|has|keeps|kept|hides|hid|hiding|picked up) (a |an |the |his |her |their |mum's |dad's |kitchen )*"
        r"(knife|knives|blade|machete|gun|weapon|axe|hammer|baseball bat|bat|crowbar|zombie knife|screwdriver)\b"
        r"(?! (block|drawer|rack|set|collection|skills|crime (workshop|talk|awareness|session)|and fork|at work|in the "
        r"(kitchen|drawer|block)|locked|for (work|cooking)))",
    ),
    (
        "threat to kill or harm",
        r"\b(knife|blade|gun) (to|at|against) (her|his|their|my|mum's|dad's|the baby's) (throat|neck|head|face|"
        r"chest|stomach)|\bknife (at|to) (her|him|them|mum|dad|me)\b|\bburn (the|our|her|his|their) (house|flat|"
        r"home|place) down\b(?=.{0,40}\b(with|kids|children|baby|them|in it|inside)|.{0,3}$)",
    ),
    # --- domestic abuse
    (
        "domestic abuse",
        r"\bstrangulation|\b(hands?|arm|arms|belt|cord|rope) (round|around|on|over) (her|his|my|mum's|their) "
        r"(throat|neck)|\bthrottl\w*|\bnon[- ]fatal|\bcoercive control\w*|\bcontrolling and violent",
    ),
    (
        "domestic abuse",
        r"\b(domestic (violence|abuse|incident|assault|argument|row)|violence|violent|fight(s|ing)?|fought|assault\w*|"
        r"attack\w*)\b.{0,60}\b(in front of|witness\w*|saw|seen|see|heard|hear|watched|present|while (the )?(kids|"
        r"children|baby|girls|boys)|last night|yesterday|this morning|at the weekend|over the weekend|again|ongoing|"
        r"another|police (were |was )?(called|came|attended|out)|called (the )?police|999|kids were|children were|"
        r"baby was|in the room|upstairs|tonight|this week|every (night|day|week|weekend))",
    ),
    (
        "domestic abuse",
        r"\b(police (were |was |had been |have been )?(called|came|attended|out)|called (the )?police|999 call)\b"
        r".{0,40}\b(domestic|fight|fighting|argument|row|assault|violence|incident at (the|their) (house|flat|home)|"
        r"the (house|flat|address|home))|\b(kids|children|baby|girls|boys|son|daughter) "
        r"(saw|see|seen|witnessed|heard|watched|were there when|was there when|hid|hide|hiding) .{0,30}\b(hit|hits|"
        r"hitting|beat|beats|beating|punch\w*|kick\w*|slap\w*|strangl\w*|chok\w*|attack\w*|fight\w*|violen\w*|"
        r"hurt\w*|smash\w*|throw\w*|threw|dragg\w*|push\w*)",
    ),
    (
        "domestic abuse",
        r"\b(hit|hits|hitting|beat|beats|beating|beaten|punch(es|ed|ing)?|kick(s|ed|ing)?|slap(s|ped|ping)?|"
        r"strangl\w*|chok(e|es|ed|ing)|batter\w*|attack\w*|assault\w*|headbutt\w*|shov(e|es|ed|ing)|"
        r"threw|throws|dragg\w*|drag|drags|push(es|ed|ing)?) (mum|mummy|(his|her) (pregnant |heavily pregnant )?(wife|"
        r"partner|girlfriend|gf|ex|fiancee)|her mum|"
        r"my mum|their mum|the mother)\b",
    ),
    # --- exploitation
    (
        "exploitation",
        r"\bcounty lines?\b|\bcuckoo\w*|\btrap ?house|\bplugg(ing|ed)\b|\b(criminal|sexual) exploitation|\bcse\b|"
        r"\bcce\b|\bexploit(ed|ing|ation)\b|\bgroomer\b|\b(being|been|was|were|is|get|got|getting) groomed|"
        r"\bgroom(s|ed|ing) (her|him|them|girls|boys|children|kids)\b|\bonline grooming|\bsex(ual)? trafficking|"
        r"\btraffick\w*|\bmodern slavery",
    ),
    (
        "exploitation",
        r"\b(running|run|runs|ran|deliver\w*|selling|sells|sell|sold|dealing|deals|dealt|holding|holds|held|carrying|"
        r"carries|carried|carry|hold|stash\w*|moving|shotting|doing (runs|drops)|drops|dropping off) (drugs|weed|packages?|"
        r"parcels?|stuff|gear|bags|wraps|food|crack|coke|for (older|the|some|these|local) (boys|lads|men|guys|gang|"
        r"olders|elders|dealers?|people))|\brunning for\b|\b(owes?|owed|owing|in debt to|debt (to|with)) (money "
        r"(to )?)?(the |some |older |these |a )?(boys|lads|men|dealers?|gang|olders|people who)|\bdebt bond",
    ),
    (
        "exploitation",
        r"\b(buys?|bought|buying|gives?|gave|giving|supplies|supplied|supplying|gets?|got|getting|sends?|sent|"
        r"offers?|offered|brings?|brought) (her|him|them|the girls|the boys|girls|kids) (free )?((food|lifts|rides|"
        r"cigarettes|vapes|money|fags) and )?(weed|drugs|alcohol|vodka|"
        r"booze|cocaine|coke|pills|ket|ketamine|spice|mdma|ecstasy|cannabis|drink|money and|gifts)|\b(man|men|older "
        r"(man|men|lads|boys)|adults?|lads|guys)\b( \w+){0,3} (gives?|gave|giving|buys?|bought|buying) (him|her|them) "
        r"(\w+ (and )?)?(games|cigarettes|cigs|vapes|phones?|money|cash|gifts|trainers|clothes|presents|credit)\b",
    ),
    (
        "exploitation",
        r"\b(sleeping|slept|sleeps|staying|stays|stayed|stopping|stops|going|goes|went) (over |round )?(at|to) "
        r"(a |an |some |this |his |her |their )?([a-z]+'s? ){0,2}(older )?(man|men|guy|bloke|dad|uncle|adult|"
        r"older boyfriend|boyfriend who is \d+|lads|males?)'?s? (flat|house|place|home|address)|"
        r"\b(picked up|collected|dropped off|getting into cars|gets into cars|got into (a|the) car) (by|with|in) "
        r"(older|adult|unknown|different) (men|males|lads|boys|guys|cars)|\b(older|adult|\d\d year old) (man|men|"
        r"male|males|boyfriend|guy|guys) (who )?(buys?|bought|gives?|gave|picks? (her|him) up|messages|texts|is "
        r"messaging|sends?)",
    ),
    (
        "exploitation",
        r"\b(met|meets|meeting) (online|on (snapchat|instagram|tiktok|the internet|a game|an app))\b.{0,60}\b(send\w*|"
        r"sent|asking to meet|wants to meet|meet up|gifts|money|pics|photos|nudes)|\b(older|adult|online) (man|men|guy|"
        r"friend|boyfriend)\b.{0,40}\b(asking to meet|wants to meet|meet up|meeting up)|"
        r"\b(older|adult|unknown|different) (men|lads|boys|males|guys|man|lad|male) (pick|picks|picked|picking|"
        r"collect|collects|collected) (him|her|them) up|\b(with|at|for) (his |her |their )?(mum's|dad's|a|the|his|her|their) (drug )?"
        r"dealer'?s?\b|\b(new (trainers|phone|phones|clothes|designer \w+)|money|cash|gifts|jewellery|£\d+).{0,50}\b(won't|"
        r"wouldn't|can't|couldn't|doesn't|didn't) (say|explain|tell)( (me|us|anyone))? (where|how|who)|"
        r"\b(found|stopped|picked up|arrested|located) (him |her |them )?(by police )?(in|at) (\w+ ){0,4}(with|carrying) (cash|drugs|a "
        r"knife|wraps|a (large )?amount of|two phones)|\b(two|2|3|4|three|four|several|multiple|lots of|loads of|second|"
        r"burner|extra) phones?\b.{0,60}\b(cash|money|"
        r"trainers|clothes|won't say|wouldn't say|can't explain|no explanation|where from|older|calls|texts|at all hours|"
        r"where to go)|\b(gang|gangs)\b "
        r"(involvement|member|members|affiliated|related|activity|violence)|\b(in|joined|joining) (a|the) gang\b",
    ),
    # --- missing child
    (
        "missing child",
        r"\b(went|gone|goes|going|been|was|were|is|are|reported|reports|report|found|returned after (going|being)) "
        r"missing\b|\bmissing from (her |his |the |their )?(foster |residential |children's )?(home|care|placement|unit|"
        r"carers?)\b|\bmissing (overnight|since|from (home|care|school overnight|placement|the unit|the home)|for "
        r"(\d+|two|three|a few|several) (days|hours|nights)|all night|all weekend|again|last night|episodes?|"
        r"person)|\bmissing from home|\b(didn't|did not|hasn't|has not|never|not) (come|came|been) (back )?home "
        r"(last night|all night|overnight|since|for (\d+|two|three|days)|in (\d+|two|three|days))|"
        r"\b(didn't|did not|hasn't|has not|never|not) (come|came|return\w*|go|went|been)( back)?( to)? .{0,30}"
        r"\b(last night|overnight|all night|since (friday|saturday|sunday|monday|tuesday|wednesday|thursday|"
        r"yesterday|last)|for (\d+|two|three|a few) (days|nights))|"
        r"\bnot (been )?(home|seen) (since|for (\d+|two|three) (days|nights))|\bwhereabouts (unknown|not known)|"
        r"\b(no one|nobody) knows where (she|he|they) (is|are)|\babscond\w*|\bran away\b|\brunning away|"
        r"\bruns away|\b(has|have|'s|'ve) run (away|off)\b|\bsleep(s|ing)? (rough|in (a|the) (park|street|bus shelter|"
        r"stairwell|tent|doorway|woods|underpass))\b|\bsleeping rough|\bslept rough|\bslept (in a|on the|in the) (park|street|bench|stairwell|car)",
    ),
    # --- injuries (babies first)
    (
        "injury to a baby",
        r"\bshaken baby|\bshook (the |a )?baby|\bshaking (the |a )?baby|\bbaby (was |had been )?shaken",
    ),
    (
        "physical harm",
        rf"\b{_INJURY}\b.{{0,80}}\b(unexplained|no explanation|can't explain|couldn't explain|doesn't know how|"
        r"didn't know how|don't know how|not sure how|no idea how|walked into (a |the )?(door|wall|cupboard|table)|"
        r"(says|said|say|claims?|claimed|reckons?|explained|told (me|us|school|the nurse|police))( that)? (he |she |"
        r"they |the baby |baby |it |her |him )?(had |has |must have |might have )?(walked|fell|fallen|bumped|banged|"
        r"tripped|slipped|rolled|did it|got it|caught|hit|knocked)|off the (sofa|bed|changing)|rolled off|the dog did|"
        r"did it (himself|herself)|self[- ]inflicted|"
        r"story (changed|keeps changing|doesn't add up|didn't add up|didn't match)|inconsistent|shape of|shaped like|"
        r"pattern(ed)?|loop|belt|buckle|cigarette|iron|kettle|lighter|finger ?(tip )?marks|hand ?print|grip marks|"
        r"non[- ]accidental|suspicious|old and new|different (ages|colours)|various stages|wouldn't say how|"
        r"won't say how|wouldn't say|won't say|told (her|him) to say|told to say|scared to say)|"
        r"\b(spiral|metaphyseal|rib|skull|bucket[- ]handle|corner|multiple|healing) fractures?\b|"
        r"\b(unexplained|non[- ]accidental|suspicious|patterned|unusual) (injur\w*|bruis\w*|burns?|marks?|"
        r"fractur\w*|bleeding)|\bcigarette burns?|\b(iron|belt|buckle|loop|hand|finger|grip|slap|bite|stick) "
        r"(shaped )?(mark|marks|burn|burns|bruise|bruises|bruising)|\bblack eyes?\b(?!.{0,30}\bfrom (a |the |his |her )?"
        r"(boxing|sparring|rugby|football|karate|judo|kickboxing|taekwondo|match|game|training|bout|fight at the club))|\bsplit lip|\bfinger ?tip bruis",
    ),
    (
        "physical harm",
        rf"\b{_INJURY}\b (on|to|around|behind|across|under|down|near|inside) (both |each |the |his |her |their |"
        rf"one |my |(the |her |his )?(baby|child|boy|girl|yp)'s )?(left |right |lower |upper |inner |side of (his |"
        rf"her |the )?)?{_HIGH_SITE}\b(?!.{{0,60}}\b(first aid\w*|accident (form|book|report)|(from|after|playing|"
        r"fell|falling|hit by|caught by|collid\w*)( \w+){0,3} (football|rugby|pe|the park|the playground|training|a "
        r"match|the match|netball|hockey|swimming|a ball|the ball|the swing|the slide|the trampoline)|from (his|her|a|the) "
        r"(new )?(shirt|label|collar|necklace|seatbelt|strap|zip|clothes|pillow|car seat|glasses|goggles|helmet|hat|"
        r"elastic|sock|shoe|tights|bra|bag strap|headphones)))|"
        rf"\b(his|her|their) {_HIGH_SITE} (was |is |were |are )?(all )?"
        r"(bruised|swollen|bleeding|cut|marked|burnt|burned|red raw|black and blue)\b|\bblack and blue\b",
    ),
    (
        "physical harm",
        rf"\b{_PHYS_VERB}\b (\w+ )?{_PERSON_OBJ}\b{_AFTER_OBJ}",
    ),
    (
        "physical harm",
        rf"\b{_HARM_SLANG}\b (\w+ )?{_PERSON_OBJ}\b{_AFTER_OBJ}|\b(knocks?|knocked|knocking|throws?|threw|throwing|"
        r"pushes|pushed|pushing|rough(s|ed|ing)?|beat(s|ing)?|smack(s|ed|ing)?) (him|her|them|me|us|the (kids|"
        r"children|boys|girls)) (about|around|up)\b|\b(tie[sd]?|tying) (him|her|them|me) (up|to)\b|\bgagg(ed|ing) "
        r"(him|her|them|me)\b|\b(held|holds|holding|pushed|pushes|pushing|forced) (him|her|them|me|\w+'s head) "
        r"(under|down in|under the) (the )?water\b|\b(was|were|been|being|got|is|gets) (held|pushed|forced|kept) "
        r"(under|down under|down in) (the )?water\b|\btwist(ed|s|ing)? (his|her|their|my) arms? (behind|up|back|"
        r"till|until|so hard)|\b(he|dad|daddy|stepdad|father|uncle|grandad|boyfriend|partner|brother) (\w+ )?(broke|"
        r"fractured|twisted|dislocated|burnt|burned|bruised|cut|split) (her|mum's|their|the baby's) (nose|jaw|ribs?|"
        r"arm|arms|cheekbone|eye socket|fingers?|wrists?|lip|head|face|leg|legs|collarbone)\b|\b(she|mum|mummy|"
        r"stepmum|mother|nan|aunt|auntie|girlfriend|sister) (\w+ )?(broke|fractured|twisted|dislocated|burnt|burned|"
        r"bruised|cut|split) (his|dad's|their|the baby's) (nose|jaw|ribs?|arm|arms|cheekbone|eye socket|fingers?|"
        r"wrists?|lip|head|face|leg|legs|collarbone)\b|\bmade to (stand|kneel|sit) .{0,30}\b(for hours|all (day|night)|"
        r"not fed|no food|without food)|\b(not fed|no food|no dinner|no tea|starved) as (a )?punishment",
    ),
    (
        "physical harm",
        rf"\b({_ADULT}|stepbrother|brother)\b (\w+ )?(broke|broken|twisted|twists|fractured|dislocated|bruised|"
        r"burnt|burned|cut|stamped on|stamps on|knelt on|kneels on|kneeling on|sat on|sits on|sitting on|stood on|"
        r"stands on|squeezed|squeezes|crushed) (his|her|their|the baby's|my) (arm|arms|leg|legs|wrist|wrists|nose|"
        r"jaw|ribs?|fingers?|hand|hands|neck|chest|back|head|face|collarbone|skull|tooth|teeth)\b(?! (falling|playing|"
        r"at (football|rugby|school|the park|training)|on (the )?(trampoline|ice|stairs|pitch)|skiing|skating))",
    ),
    (
        "physical harm",
        rf"\b(he|she|they|him|her|them|{_CHILD}) (has|had|have|'s got|has got|got|came in with|came to school with|"
        r"came to nursery with|turned up with|arrived with|with|covered in|showed me|showed (her|his) teacher)( his| "
        r"her| their)? (a |an |some |several |lots of |loads of |\d+ |two |three |new |fresh |more |another |a few |"
        r"big |large |huge |nasty |bad |dark |purple |red |fading |old |small )*(bruis\w*|marks|burns?|injur\w*|welts|"
        r"scratches|black eye|cuts)\b(?!.{0,50}\b(from|after|playing|fell|falling|fall|at (football|rugby|school|the "
        r"park|nursery|pe|training|the match)|trampoline|climbing|bike|scooter|accident|eczema|chicken ?pox|"
        r"birthmark|vaccin\w*|jabs?|injection|tripped|skat\w*|sport|rugby|football|netball|hockey|judo|karate|"
        r"boxing|dog|cat|puppy|kitten|brambles|nettles)\b)",
    ),
    (
        "physical harm",
        r"\b(was|were|been|being|got|gets|get|is|are|getting)( \w+)? (hit|beaten|punched|kicked|slapped|smacked|"
        r"thumped|whacked|belted|whipped|strangled|choked|burned|burnt|scalded|stabbed|attacked|assaulted|hurt|"
        r"thrown|shaken|pushed|shoved|bitten|battered|dragged|throttled|suffocated|smothered|headbutted|abused|"
        r"physically abused|beaten up|knocked out)\b(?! (at|in|playing|during|by (a|the) (ball|car|bike|door|bus|"
        r"van|swing)|on (the|a) (pitch|trampoline|field|playground|bike)|feelings))",
    ),
    (
        "physical harm",
        rf"\b(gave|gives|giving|give|given) {_PERSON_OBJ} (a |an )?(good |proper |real )?(clout|slap|smack|hiding|"
        r"beating|kicking|whack|punch|thump|backhander|belt|black eye|bloody nose|battering|leathering|good hiding|"
        r"wallop|clip round the (ear|head))\b|\b(clout|clip|whack|smack|slap)(ped|ed|s)? (him|her|them|me) "
        r"(round|around|across|on) the (head|ear|face)|\b(smash|smashed|smashes|smashing|slam|slammed|slams|bash|"
        r"bashed|bashes|bang|banged|bangs) (his|her|their|my) (head|face) (against|into|on|off|in)\b(?! (the|a) "
        r"(cupboard|table|door frame|shelf) (by accident|accidentally))|\b(threw|throws|thrown|throwing|chucked|"
        r"poured|pours|pouring|tipped|tips) (\w+ )?(boiling|hot|scalding|cold|freezing|icy|ice) (cold )?(water|tea|coffee|oil|"
        r"fat)\b(?=.{0,20}\b(over|on|at) (her|him|them|me|the baby|his|her))|\b(threw|throws|thrown|"
        r"chucked|poured) (acid|bleach|boiling water|hot water)",
    ),
    (
        "physical harm",
        r"\b(physical(ly)? (abus\w*|chastis\w*|punish\w*|harm\w*)|non[- ]accidental injur\w*|"
        r"(with|using) (a|the|his|her|dad's|mum's) (belt|slipper|wooden spoon|cane|stick|cable|wire|shoe|hairbrush|"
        r"lead)\b.{0,20}\b(hit|beat|smack|whip|belt)|\b(hit|beat|beats|beaten|smack\w*|whipp\w*|belted|hits) "
        r"(\w+ ){0,3}(with|using) (a|the|his|her|dad's|mum's) (belt|slipper|wooden spoon|cane|stick|cable|wire|shoe|"
        r"hairbrush|lead|hanger|buckle))",
    ),
    # --- a child left alone
    (
        "child left alone",
        r"\bhome alone\b|\b(at home|home|in the (flat|house|car)) (alone|on (his|her|their) own|by (himself|herself|"
        r"themselves))|\b(left|leaves|leaving|leave) (the |her |his |their |a |both |all )?(kids|children|baby|"
        r"babies|toddler|little ones?|twins|siblings|boys|girls|\d+ (year|month|week) old|child|them|him|her|the two)"
        r"( \w+)? "
        r"(alone|on (his|her|their) own|by (himself|herself|themselves)|unattended|unsupervised|with (no one|nobody|"
        r"no adult)|in the (car|bath|flat|house) (alone|on (his|her|their) own|while|and))\b(?! (to (play|get on|"
        r"sleep|settle|think|calm|do)|for a (minute|second|moment)))",
    ),
    (
        "child left alone",
        rf"\b{_CHILD}( (?!not\b|never\b|wasn't|weren't|isn't|aren't)\w+)? (was |were |been |is |are |being |often |always |"
        r"regularly |sometimes |had been |have "
        r"been |has been )*(left )(alone|on (his|her|their|its) own|by (himself|herself|themselves|itself)|unattended|"
        r"unsupervised|in the car|in (a|the) (car|van|pram|buggy) (outside|for)|in the (house|flat|home) (overnight|all "
        r"night|alone|on their own|by themselves|while|when))|"
        rf"\b{_CHILD}\b( \w+){{0,4}} (alone|on (their|his|her) own|by (them|him|her)sel(f|ves)) (in the (house|flat|"
        r"car|home)|at home|all (night|evening|day|weekend)|overnight|for hours|until)|\b(left|leaves|leaving) (me|us) "
        r"(alone|on (my|our) own|by (myself|ourselves)) (all|at|in|overnight|for|until|while)",
    ),
    (
        "child left alone",
        rf"\b(toddler|baby|little one|{_NUM_CHILD} year old|kids|children)\b.{{0,40}}\b(wandering|found (outside|in "
        r"the street|on the street|on the road|in the road|at the (park|shop)))\b|\b(wandering|walking|out|outside|"
        r"on the street|in the street)( \w+){0,3} (alone|on (his|her|their) own|by (himself|herself)) (at|late|in the "
        rf"(night|dark|middle of the night)|after dark|\d+ ?(am|pm)|at night|at midnight)(?<=.)(?=.*)",
    ),
    (
        "child left alone",
        rf"\b{_NUM_CHILD} year old (was |is |were |are |been |had been |has been |left |being left )?(left )?"
        r"(home |at home |in the (flat|house|car) )?(alone|on (his|her|their) own|by (himself|herself|themselves)"
        r"|unsupervised)|\bno (adult|adults|grown[- ]ups?|parent|carer|one|one else)s? (was |were )?(at home|in the "
        r"(house|flat)|present|home|in(?= *($|[.,;]))|looking after (them|him|her|the kids|the baby)|there to look after|"
        r"answering|"
        r"answered|responding|responded|around|in sight|came|coming)(?! (hits|hurts|"
        r"touches|smacks|shouts|is|does|has|knows|would|will|can|could|ever|at all))|\b(nobody|no "
        r"one|noone) (else )?(was |were )?(home|in the (house|flat)|looking after (them|him|her|the kids|the baby))|"
        rf"\b{_NUM_CHILD} year old (was |is |left |has been |had been )?(looking after|in charge of|minding|babysitting|"
        r"caring for) (the |his |her |their |a |an )?(\w+ ){0,2}(\d+ year old|baby|babies|newborn|brothers?|sisters?|siblings|toddler|little ones?|"
        r"kids|children|twins)",
    ),
    # --- neglect
    (
        "neglect",
        r"\bno food (in|at) (the )?(house|flat|home|fridge|cupboards?|kitchen)|\bnothing (to eat|in the fridge|in the "
        r"cupboards)|\b(hasn't|haven't|hadn't|has not|have not|had not|not|wasn't|weren't) (been )?(fed|eaten|had "
        r"(a )?(proper )?(meal|food))( properly| much| anything)? (since|for|all day|today|in)|\bstarving\b|\bstarved\b|\bscaveng\w*|\b(stealing|steals|taking) food|"
        r"\bfood from (the )?bins|\b(faeces|poo|excrement|human waste|dog (mess|poo|faeces|muck)|urine|sewage) "
        r"(all over|smeared|everywhere|in the (cot|bed)|on the (walls|cot|bed|baby)|(on|across) the floor where)|\b(needles|syringes|drug paraphernalia|crack pipe|"
        r"foils?)\b.{0,30}\b(reach|floor|lying around|out|within|next to|near|where)|\bfailure to thrive|"
        r"\bfaltering growth|\b(baby|he|she)('s| is| has been)? losing weight|\bsame nappy|\bnappy (hadn't|hasn't|"
        r"had not|not) been changed|\bsoaked (through )?nappy|\bsoiled (nappy|clothes|bedding)\b|"
        r"\b(not|never|hasn't been|haven't been|wasn't|weren't|didn't|did not|won't|refused to|refuses to) "
        r"(take|taken|been taken|took) (him|her|them|the baby|the child)? ?to (the )?(gp|doctor|hospital|a&e|dentist)"
        r".{0,40}\b(burn|broken|fracture|infection|injur\w*|bleeding|temperature|fever|wound|swollen)|"
        r"\bno (heating|heat|electric|electricity|gas)\b.{0,40}\b(baby|newborn|freezing|cold|winter)",
    ),
    # --- more of the field's phrasing
    (
        "exploitation",
        r"\bmade to (drink|take|smoke|use|snort|try) (alcohol|vodka|drugs|weed|cannabis|pills|spirits|cocaine|coke|ket)\b",
    ),
    (
        "physical harm",
        r"\b(pulled|came|popped|yanked|wrenched) out of (its|the|his|her) socket\b|\bdislocated (his|her|the baby's|a) "
        r"(shoulder|elbow|arm|hip)\b|\bpulled elbow\b",
    ),
    (
        "self-harm or suicide",
        r"\bset (fire to|light to) (herself|himself|themselves|myself)\b|\bset (herself|himself|themselves) (on fire|"
        r"alight)\b|\bpour(ed|ing|s)? petrol (on|over) (herself|himself|themselves)\b",
    ),
    (
        "exploitation",
        r"\b(a man|men|older (men|lads|boys)|someone|an older man|a stranger|adults) in (a|the|their|his) (car|van|taxi) "
        r"(drops|dropped|dropping|picks|picked|picking|brings|brought) (him|her|them) (off|up|home|back)\b",
    ),
    (
        "domestic abuse",
        r"\b(smash\w*|broke|breaks|hit|hits|brought down) (a |the )?(glass|bottle|plate|chair|vase|mug|pan|ashtray) (over|"
        r"on|into|against|across) (her|his|mum's|dad's|their|the baby's|my) (head|face)\b",
    ),
    (
        "intoxicated carer",
        r"\b(smok\w*|chas\w*|doing|using|on) (brown|the brown|the dragon|gear|smack|foil|rocks|pipe)\b",
    ),
    (
        "sexual abuse",
        rf"\b({_ADULT}|he|a man)\b.{{0,10}}\b(comes?|came|coming|goes|went|creeps?|crept) (in|into) (his|her|their|my) "
        r"(room|bedroom|bed)\b",
    ),
    (
        "sexual abuse",
        r"\b(touch(es|ed|ing)?|fondl\w*|grop\w*|abus(es|ed|ing)) (her|his|their|my) (daughter|son|kids|children|child|"
        r"stepdaughter|stepson|niece|nephew|granddaughter|grandson|little girl|little boy)\b|\b(shows?|showed|showing) "
        r"(her|him|them|me|the (kids|children|girls|boys))\b.{0,30}\b(naked|nude|porn\w*|sex)\b",
    ),
    (
        "exploitation",
        r"\b(meet|meeting|meets|met) (up with )?(men|older men|a man|adults|strangers|guys|lads|an older man) (from|off|"
        r"on|she met on|he met on) (an app|the internet|online|snapchat|instagram|tiktok|discord|a website|a game)\b|"
        r"\b(in|to) a (town|city) (\d+|a hundred|two hundred) miles away\b",
    ),
    (
        "threat to kill or harm",
        r"\b('ll|will|'d|would|going to|gonna) do (her|him|them|you|us|mum|the kids)( all)? in\b",
    ),
    (
        "child left alone",
        rf"\b{_NUM_CHILD} year old (is |was |has been )?(doing|does|did) (all|most) (the|of the) (cooking|childcare|caring|"
        r"looking after|housework and childcare)\b",
    ),
    (
        "physical harm",
        r"\b(dangled|dangles|dangling|held|holds|holding|hung|hangs) (the baby|him|her|them|the toddler|the kids?|the "
        r"child) (over|out of|off) (the|a) (balcony|window|bridge|edge|stairs|bannister|banister|railing)\b",
    ),
    (
        "threat to kill or harm",
        r"\b(turning up|turns up|came home|comes home|coming home|came back|comes back|turned up|arrived|arrives) (\w+ )"
        r"{0,5}(knife|knives|blade|machete|gun|weapon)s?\b",
    ),
    (
        "forced marriage or FGM",
        r"\b(to|and) (get|be|getting|being) married (abroad|overseas|back home|in (pakistan|bangladesh|india|somalia|"
        r"yemen|afghanistan|iraq|syria|nigeria|egypt|turkey|morocco))\b",
    ),
    (
        "exploitation",
        r"\b(a|an|some|this|that|older) (man|guy|adult|stranger|person|someone|woman) (she|he)('s| has| had| have)? "
        r"(never|not) met\b|\b(a|an|some|this|that) (man|men)'s (flat|house|place|car|address)\b|\b(lads|men|guys|"
        r"males|boys|adults|people) in their (20s|twenties|30s|thirties|40s|forties)\b|\b(car|flat|house|bag|room) full "
        r"of (drugs|weed|cash|weapons|knives|money)\b",
    ),
    (
        "forced marriage or FGM",
        r"\b(take|taking|send|sending|took|taken|fly|flying|sent) (her|them|the girls|his daughter|her daughter) (\w+ )"
        r"{0,4}to be (cut|circumcised)\b",
    ),
    (
        "self-harm or suicide",
        r"\b(written|wrote|writing|made|making) (a|her|his) will\b|\bgiv(ing|en|es) (away|out) (her|his|all (her|his)|"
        r"their) (things|stuff|belongings|possessions|toys|clothes|games)\b|\bgiven (her|his|their) (things|stuff|"
        r"belongings) away\b",
    ),
    (
        "threat to kill or harm",
        r"\b('ll|will|'d|would|going to|gonna|threatened to|threatening to) (throw|chuck|pour|use) acid\b|\bacid (in|on|"
        r"at) (her|his|your|their|my) face\b",
    ),
    (
        "child left alone",
        r"\b(let|lets|letting) (himself|herself|themselves) out\b(?! (into|to) the (garden|yard))|\bout past midnight\b",
    ),
    (
        "sexual abuse",
        r"\b(has to |have to |had to |made to |makes (her|him) |making (her|him) |forced to )sleep (in|with) ((her|his|their) )?"
        r"(dad|daddy|stepdad|uncle|grandad|brother|stepbrother|cousin|lodger|mum's (partner|boyfriend))('s)?( bed| room)?\b|"
        r"\b(says|said|claims|claimed|pretending|pretends|pretended) (he's|he is|to be|she's|she is) (1[0-7]|a (boy|girl|"
        r"teenager|kid))\b.{0,60}\b(grown|adult|older|man|men|really|actually)\b",
    ),
    (
        "self-harm or suicide",
        r"\b(been \w+ and|and|been) cutting\b(?= *($|[.,;]|since|again|every|daily|at night|a lot|more|herself|himself))",
    ),
    (
        "exploitation",
        r"\b(seen|spotted|found|picked up|hanging around|hangs around|been) (\w+ ){0,3}with (older|adult|unknown|grown) "
        r"(men|males|lads|man|guys|boys)\b|\b(seized|found|recovered|confiscated) (a |an |some )?(machete|knife|knives|"
        r"guns?|weapons?|drugs|cannabis|cocaine|heroin|crack|zombie knife|ammunition|bullets|wraps|cash)\b.{0,40}\b(kids'|"
        r"children's|his|her|their|the child's|bedroom|school bag|rucksack)",
    ),
    (
        "threat to kill or harm",
        r"\b(pointed|points|pointing|aimed|aims|aiming|held|holds|holding) (a|the|his|her) (gun|knife|shotgun|rifle|pistol|"
        r"crossbow|weapon|air rifle|blade) (at|to)\b",
    ),
    (
        "physical harm",
        rf"\b(bruises|marks|black eye|injuries|burns|cuts|welts) ({_ADULT}|he|she|they|his \w+|her \w+) (gave|caused|"
        r"left|made|did)\b|\bcovered in blood\b|\bblood (on|all over) (the )?(walls|floor|her|him|them|his|the baby)\b|"
        rf"\b({_ADULT}|he|she)( was| is|'s| were) (killing|murdering|strangling|stabbing|choking|battering|beating|"
        r"smothering) (mum|her|him|them|the (baby|kids|children)|me|us)\b",
    ),
    (
        "sexual abuse",
        r"\b(puts?|putting|pushes|pushed|pushing|sticks?|stuck|sticking|inserts?|inserted) (things|something|stuff|his "
        r"finger|fingers|objects|a finger|toys) (up|in|into|inside) (her|his|my|their) (bottom|bum|vagina|privates|front "
        r"bottom|private parts|mouth)\b",
    ),
    (
        "exploitation",
        r"\b(paid|pays|paying|gets paid|getting paid) (\w+ ){0,3}to (stand|wait|watch|look out|keep watch|deliver|carry|"
        r"hold|sell|drop|run|move)\b|\bstreet corners?\b.{0,30}\b(for|paid|cash|money|man|men|lads)\b",
    ),
    (
        "missing child",
        r"\b(won't|wouldn't|refuses to|refused to|will not|would not) (say|tell (me|us|anyone|mum|dad)) where (she|he|"
        r"they)('s| has| is| have| are)? ?(been|goes|going|staying|sleeping|go|went|stays)\b|\b(won't|wouldn't|refuses "
        r"to|refused to) (say|tell (me|us|anyone|mum|dad)) where(?=\s*($|[.,;!]))",
    ),
    (
        "neglect",
        r"\b(left|leaving|leaves) (crying |screaming )?(in|with) (a |her |his )?(dirty|soiled|wet|full|soaking|filthy) "
        r"nappy|\b(dirty|soiled|filthy) nappy for (hours|days|ages|most of the day)|\bleft (crying|screaming) for "
        r"(hours|ages|a long time)\b",
    ),
    (
        "self-harm or suicide",
        r"\bcut (her|his|their|my) (wrists|arms|legs|thighs|stomach)\b(?! (on|falling|when (she|he) fell|by accident|"
        r"climbing))|\b(be |being |been )?sick on purpose\b|\bmak(e|es|ing) (herself|himself|themselves) sick\b|"
        r"\bpurging\b",
    ),
    (
        "threat to kill or harm",
        r"\b(turned up|came round|came|showed up|arrived|appeared|was at the door|outside the house)( \w+)? with (a|an) "
        r"(knife|machete|gun|bat|hammer|weapon|blade|axe)\b|\b('ll|will|'d|would|going to|gonna) (cut|slash|scar|"
        r"mark|ruin|smash|burn) (her|his|your|their|my|mum's) face\b",
    ),
    (
        "missing child",
        r"\b(hasn't|has not|haven't|have not|not|never) been heard (from|of)\b|\bdisappeared from (school|home|the "
        r"unit|placement|care|the house|the home|her placement|his placement)\b|\b(taken|took|taking) (\w+ )?(out of "
        r"the country|abroad|overseas)\b.{0,40}\b(without (consent|permission|(mum's|dad's|her|his) (consent|"
        r"permission|knowledge)|telling)|and (won't|isn't|hasn't) (come|coming|been) back|no return)",
    ),
    (
        "forced marriage or FGM",
        r"\b(planning|plan|plans|going|want|wants|wanted|arranging|arranged) to (have (her|them) |get (her|them) )?"
        r"(cut|circumcis\w*)( her| them)?\b|\b(cut|cutting|circumcis\w*) (her|the girls|his daughter|her daughter)\b"
        r".{0,40}\b(when (they|we) (visit|go)|abroad|holiday|summer|easter|trip|family)\b",
    ),
    (
        "exploitation",
        r"\b(tells|told|telling) (him|her|them) where to (go|be|take|drop|meet)\b|\b(men|man|adults|strangers|different "
        r"men|lots of men|older men|people)( \w+){0,3} (going|coming) in and out\b|\b(dealing|selling drugs|selling "
        r"weed|dealing drugs|deals|sells drugs) (from|at|in|out of) (the|their|his|her) (house|flat|home|address)\b",
    ),
    (
        "sexual abuse",
        r"\b(keep|keeping|keeps|kept) (it |a |our |the )?(little |special )?secrets?\b.{0,30}\b(touch\w*|body|privates|"
        r"bed|bath|what (happens|he does|she does)|games?)|\b(makes?|made|tells?|told|asks?|asked) (her|him|me|them) (to )?"
        r"keep (it |a |our |the )?(little |special )?secrets?\b|\bpay(s|ing|ed)? (mum|dad|her mum|his mum|them|her|him) "
        r"to be alone with (them|her|him|the (kids|girls|boys|children))\b|\b(genitals|private parts|privates|down "
        r"there|vagina|labia|clitoris)\b.{0,20}\b(cut|cutting|stitched|sewn|mutilat\w*|damaged|scarred|altered)\b",
    ),
    (
        "physical harm",
        r"\b(tied|ties|tying|tie|strapped|straps|strapping|chained|chains|chaining) (\w+ ){0,3}(to|onto) (the|their|his|her|"
        r"a) (beds?|chairs?|radiator|cot|pushchair|table|door)\b|\b(put|puts|putting|made|makes|making|forced|forces|"
        r"held|holds|poured|pours|rubbed|rubs|washed|scrubbed|stuffed|taped|tied|locked|shut|burnt|burned|cut|pulled|"
        r"shaved)\b.{0,60}\b(as (a )?punishment|to punish (him|her|them))\b|\bmade to (eat|drink|sleep|live|sit|stand|"
        r"kneel)\b.{0,30}\b(dog|bowl|floor|garden|shed|cage|kennel|bin|cold|outside|naked|corner)\b",
    ),
    (
        "exploitation",
        r"\b(asking|asked|asks|invit\w*|getting|gets|got|tries to get|trying to get) (them|her|him|the (girls|boys|kids|"
        r"children)) (to|into) (his|a|the|their) (car|van|flat|house)\b|\b(older |adult |strange |unknown )?(man|men|"
        r"stranger|strangers) (hanging around|loitering|waiting|lurking) (at|outside|near|by) (the )?(school|park|"
        r"playground|gates|school gates)\b|\b(she's|she has|he's|he has|yp has|yp's)( been)? (staying|sleeping|stopping) "
        r"(at|with) .{0,40}\b(is|who is|who's|aged) ([2-9]\d)\b",
    ),
    (
        "self-harm or suicide",
        r"\bvoices (telling|tell|tells|told|that tell) (him|her|me|them) to (jump|kill|hurt|die|end|cut|harm|stab)\b",
    ),
    (
        "physical harm",
        r"\bheld (her|him|them|the baby) (under|down)\b(?! (the )?(covers|duvet|blanket|umbrella|a blanket))|"
        r"\bbeatings\b|\b(a|the) beating\b(?! heart)",
    ),
    (
        "immediate danger",
        r"\b(lock|locks|locked|locking) (her|his|their) (bedroom )?door\b.{0,30}\b(because of|scared of|from|so|to keep "
        r"out) (her|his|their) (stepdad|dad|uncle|mum's (partner|boyfriend)|brother|stepbrother|cousin|grandad|lodger)\b|"
        r"\bloaded (gun|shotgun|rifle|pistol|weapon|crossbow)\b|\b(gun|firearm|pistol|shotgun|handgun|rifle) (was )?"
        r"(lying|left|on|in|under) (the )?(table|side|floor|sofa|bed|kitchen|worktop|bedside|pillow|drawer)\b",
    ),
    (
        "threat to kill or harm",
        r"\b(fighting|fights|fought|fight) with (knives|knife|blades|weapons|machetes|bats|guns|swords)\b|"
        r"\b(take|taking|took|send|sending) (her|him|them|the kids|the children)\b.{0,40}\b(won't|will not|never|wouldn't) "
        r"(come back|return|be back|be coming back|see (her|his|their) (mum|dad) again)",
    ),
    (
        "exploitation",
        r"\b(she|he|yp|the (girl|boy)|she's|he's)( been| is| was)? (smoking|drinking|getting drunk|getting high|hanging "
        r"out|hanging around|staying over|sleeping over|staying|sleeping|partying) (weed |with |at ).{0,20}\b(1[89]|[2-9]\d)"
        r" year old\b",
    ),
    (
        "sexual abuse",
        r"\b(touching|touched|touches|touch) (his|her|their) (little |younger |baby |big |older |step ?)?(sister|brother|"
        r"sibling|cousin|niece|nephew)s?\b(?! (on the (arm|shoulder|hand)|'s (hand|arm|hair)))",
    ),
    (
        "neglect",
        r"\b(not|isn't|wasn't|hasn't been|isn't being|not being) (feeding|fed|being fed)( (her|him|them|the baby))?( "
        r"properly| enough| regularly)\b|\b(getting|got|looks|looking|become|becoming|gone) (thinner|skinny|"
        r"underweight|malnourished|skin and bone)\b|\bdropp(ed|ing) (two |2 |three |several )?centiles\b|\bweight "
        r"(has )?(dropped|faltered|faltering)\b|\bmalnourished\b",
    ),
    (
        "physical harm",
        r"\b(covered in|full of|lots of|loads of|so many) (bruis\w*|marks|cuts|burns|scratches|welts|injuries)\b|\b(new|"
        r"another|repeated|recurring|more|fresh) injur(y|ies)\b|\b(different|changing|conflicting) (stories|"
        r"explanations|accounts)\b|\bstor(y|ies) (don't|do not|doesn't|does not|didn't) (match|add up|fit)",
    ),
    (
        "sexual abuse",
        r"\b(abus(es|ed|ing|e)|molests?) (her|him|me|them|the (kids|children|girls|boys))\b|\b(being|been|was|were|is|"
        r"got|get|gets) (sexually |physically )?abused\b|\b(gets?|got|getting|climbs?|climbed|climbing) (into|in) bed "
        r"with (her|him|me|them)\b|\b(does|did|doing|do|done) (rude|secret|sexy|dirty|yucky|private) (things|stuff)\b|"
        r"\babuse of trust\b",
    ),
    (
        "exploitation",
        r"\b(getting|gets|got|get|seen getting) into (different|unknown|strangers'?|older men's|random|various) cars\b|"
        r"\b(scared|frightened|terrified|afraid) of the (men|man|people|lads|boys|guys) who (come|came|visit|visited|"
        r"hang around|stay)",
    ),
    (
        "neglect",
        r"\b(go|goes|went|going|gone) to (bed|school|sleep) (hungry|starving|without (food|dinner|tea|eating))\b|"
        r"\b(often|always|regularly|usually|every (day|night)|most (days|nights)) (have |had |get |got )?no (dinner|tea|"
        r"breakfast|food|meals?)\b",
    ),
    (
        "child left alone",
        rf"\b{_NUM_CHILD} year old\b.{{0,30}}\b(looking after|fending for|caring for|getting) (himself|herself|"
        r"themselves)\b",
    ),
    (
        "child left alone",
        r"\b(goes|went|going|gone) out (at night|all night|every night|clubbing|drinking|partying|to the pub)\b.{0,30}"
        r"\b(leaves|left|leaving) (them|the kids|him|her|the children|the baby)\b",
    ),
    (
        "missing child",
        r"\b(hasn't|has not|haven't|have not|not|never) been seen( at (school|nursery|college))?( since| for| by anyone)?"
        r"(?= *($|[.,;]|and\b|since|for))|"
        r"\b(returned|brought (back|home)|taken home) by (the )?police\b",
    ),
    (
        "exploitation",
        r"\b(found|seen|picked up|located|discovered) (her|him|them) (in|at) (a |an )?(hotel|hotel room|flat|car|b&b|house|"
        r"party) with (\w+ ){0,2}(men|older men|adults|males|strangers|a man|an older man|older males)\b|\b(made|makes|"
        r"forced|forcing|forces|pressured|told|tells|make|making) (him|her|them) (to )?(rob|steal|shoplift|burgle|mug|stab|sell|deal|"
        r"carry|hold|hide)\b",
    ),
    (
        "immediate danger",
        rf"\b({_CHILD}|she|he|\d+ year old)\b.{{0,30}}\bfound (drunk|intoxicated|unconscious|high|passed out|collapsed|"
        r"unresponsive)\b",
    ),
    (
        "forced marriage or FGM",
        r"\bhonour[- ]based (violence|abuse|crime)|\bhonour (killing|crime|violence|abuse)|\b(hbv|hba)\b|\b(bring|brought|"
        r"brings|bringing) shame (on|to) (the|her|his|their) family\b.{0,40}\b(kill|hurt|punish|beat|send|marry|"
        r"disown)|\bdisowned\b.{0,40}\b(marry|married|sent|abroad|village)",
    ),
    (
        "exploitation",
        r"\b(met|meets|meeting) (a |an |this |some )?(man|guy|boy|lad|adult|stranger|person|someone|older \w+) (online|on "
        r"(a|an|the|snapchat|instagram|tiktok|discord|roblox|whatsapp|facebook)\b)|\b(lads|men|males|guys|older boys) "
        r"(at|from|outside|in) the (takeaway|shop|kebab shop|chicken shop|taxi rank|car wash|park|chippy)\b.{0,60}\b(give|"
        r"gives|gave|giving|take|takes|took|buy|buys|bought|lifts|free|parties|alcohol|drugs|money)|\b(given|gave|"
        r"gives|giving) (him |her |them )?a (phone|burner|second phone|sim) by (older|the|some|a)\b|\bhas to answer "
        r"(it|the phone|his phone|her phone) (day and night|all the time|whenever|at all hours|at night)",
    ),
    (
        "sexual abuse",
        r"\b(asking|asks|asked|ask) (her |him |them )?for (pics|pictures|photos|nudes|selfies|videos)\b|\b(posting|"
        r"posts|posted|sharing|shares|shared|sending|sends|sent|making|made) (sexual|explicit|naked|nude|sexy|rude) "
        r"(videos|pics|pictures|photos|images|content)\b",
    ),
    (
        "physical harm",
        r"\b(gets?|got|getting|given|give|gives|gave) (\w+ )?(a )?(good |proper )?(beating|hiding|kicking|battering|"
        r"belting|thrashing|whipping|leathering|hammering|pasting)\b(?! (at|in) (football|fifa|the game|chess|cards|"
        r"the match))|\bmakes? (him|her|them|me) (kneel|stand|squat|hold|sit|stay)\b.{0,40}\b(punishment|for hours|all "
        r"(day|night)|on (rice|stones|salt|gravel|peas))|\bkneel\w* on (rice|stones|salt|gravel|peas)",
    ),
    (
        "self-harm or suicide",
        r"\b(hoarding|hoards|stockpil\w*|saving up|collecting|stashing|hiding) (his |her |their |mum's |dad's |the )?"
        r"(antidepressants|pills|tablets|meds|medication|paracetamol|painkillers|sleeping pills|sleeping tablets)\b",
    ),
    (
        "missing child",
        r"\b(nobody|no one|noone) has seen (the )?(family|kids|children|him|her|them|the baby) (for|since|in)\b|"
        r"\b(didn't|did not|hasn't|has not|never) (come|came) (back )?home (after|from) (school|college|work|the park|a "
        r"party|contact|the shop)\b(?!.{0,50}\b(because|cos|as (he|she) (was|went)|(mum|dad|nan) knew|went to|was at|"
        r"stayed at|arranged|as planned))",
    ),
    (
        "domestic abuse",
        r"\bsmash\w* (up )?(the|his|her|their|our) (house|flat|place|kitchen|room|home|front room|living room)( up)?\b|"
        r"\bsmashed up (the|their|her|his) (house|flat|kitchen|place|home)",
    ),
    (
        "threat to kill or harm",
        r"\b(going to|gonna|will|'ll|coming to) (come and |come round and )?((snatch|grab) (the baby|the kids|the "
        r"children|them|her|him)\b|take (the baby|the kids|the children|them|her|him) (away|from (her|him|mum|me|us|"
        r"you)|off (her|him|mum|me)|and (run|leave|disappear|never|go abroad)|abroad|without)\b|take (the baby|the kids|"
        r"the children|them)(?=\s*($|[.,;!])))",
    ),
    (
        "sexual abuse",
        r"\bforced (himself|herself) (on|onto|upon) (her|him|me|them)\b|\b(made|forced|pressured|coerced|pressurised|"
        r"groomed) (in)?to (have sex|do sexual|perform sexual|sleep with|do things with|do stuff with|have oral)",
    ),
    (
        "physical harm",
        r"\b(threw|throws|thrown|throwing|chucked|chucks|hurled|hurls|lobbed|launched) (a |an |the |his |her |their |"
        r"hot )?(mug|cup|plate|plates|glass|bottle|chair|phone|remote|shoe|knife|pan|ashtray|brick|stone|rock|can|bowl|"
        r"hairbrush|iron|kettle|tea|coffee|drink|things|stuff|furniture)s? (at|towards|across the room at|over) (him|her|"
        r"them|me|us|mum|dad|the baby|the kids|his|her|their|mum's|my)\b|\b(threw|throws|thrown|hurled|chucked) \w+( "
        r"\w+)? at (his|her|their|the baby's) (head|face)",
    ),
    (
        "neglect",
        r"\bleft (strapped )?in (the|a|his|her) (car seat|cot|pram|buggy|high ?chair|bouncer|playpen) (all day|for hours|all "
        r"night|overnight|\d+ hours|for (two|three|four|five|six) hours)|"
        r"\bsleep\w* (on|in) (a |the )?(wet|soiled|urine[- ]soaked|filthy|dirty|stained) (mattress|bed|bedding)|"
        r"\b(come|comes|coming|came|arrive|arrives|arriving) (in|into|to) (school|nursery) (hungry|dirty|smelly|smelling|"
        r"unwashed|in dirty clothes|without (a coat|food|lunch))\b|\bsmell\w* (strongly )?of (urine|wee|faeces|poo)\b",
    ),
    (
        "threat to kill or harm",
        r"\b(coming|come|going|gonna) (round )?to (get|take|snatch) (them|the kids|the children|her|him|the baby)\b.{0,40}"
        r"\b(terrified|scared|frightened|injunction|not allowed|non[- ]molestation|police|tonight)",
    ),
    (
        "sexual abuse",
        r"\b(stepdad|dad|daddy|father|uncle|grandad|granddad|lodger|man|brother|stepbrother|cousin|(mum's|her mum's|his "
        r"mum's) (partner|boyfriend)|mate|friend)\b(\W+\w+){0,5}?\W+(sleep\w*|slept|gets?|got|getting|climbs?|climbed|"
        r"climbing) (in|into) "
        r"(her|his|their|the kids'|the girls') bed\b|\b(willy|penis|dick|cock|thing|privates|tongue|fingers?) (in|into|"
        r"inside|near|on|against) (her|his|my|their) (mouth|face|bum|bottom|vagina|privates)",
    ),
    (
        "child left alone",
        r"\b(leaves|left|leaving) (the |a |her |his )?(\d+ year old|\w+) to (mind|look after|care for|babysit|watch) (the "
        r"|his |her )?(baby|babies|toddler|little|younger|siblings|brothers?|sisters?)",
    ),
    (
        "sexual abuse",
        r"\b(touched|touching|touches|touch|feel|feels|felt|feeling) (her|him|me|them) up\b|\b(been|being|got|get|was) "
        r"(touched|felt) up\b",
    ),
    (
        "child left alone",
        rf"\b(left|leaves|leaving) ({_CHILD}|(the |a |her |his )?\d+ (month|week|year) old|them|him|her)\b( \w+)? on "
        r"(its|his|her|their) own\b",
    ),
    (
        "domestic abuse",
        r"\b(smash\w*|break\w*|broke|kick\w* in|kicked in|put through) (the |all the |her |their )?(windows?|doors?|front "
        r"door)\b.{0,40}\b(kids|children|baby|girls|boys|them|her|mum)\b",
    ),
    (
        "exploitation",
        r"\b(parties|party|gatherings?) with (older |adult |grown )?(men|males|adults|lads)\b|\bdrugs? debt\b|"
        r"\b(stays?|staying|stayed|sleeping|sleeps|slept) (with|at) (unknown|older|random|strange) (adults?|men|people|"
        r"males|lads)('s)?\b",
    ),
    (
        "forced marriage or FGM",
        r"\b(arrang\w*|planning|planned|plans) for (her|him) to (marry|get married|be married|wed)\b|\bmarry (an older|a "
        r"much older|a|an) (man|adult) (abroad|in|from|back home|twice)",
    ),
    (
        "physical harm",
        r"\b(pull|pulls|pulled|pulling|yank\w*|twist\w*|tug\w*) (her|his|their) ears?\b|\b(till|until|so hard) (they|it|"
        r"she|he|her \w+|his \w+) (bleeds?|bled|bruised|cried|screamed|passed out|couldn't breathe|can't breathe|cannot "
        r"breathe|could not breathe|went blue)\b|\bmade to fight (each other|one another|other (kids|children|boys))|"
        r"\bmakes? (them|the (kids|boys|girls|children)) fight (each other|one another)|\bmade to (sleep|stay|stand|sit|"
        r"live|wait) (in|outside|on) (the )?(garden|shed|cold|car|cupboard|hallway|outside|street|floor|doorstep)|"
        r"\b(sleeps|slept|sleeping) (outside|in the garden|in the shed|in the cupboard) (as|because|when)",
    ),
    (
        "sexual abuse",
        r"\b(videos?|pictures|photos|films|clips) of (naked|nude) (people|men|women|adults|children|kids)|"
        r"\b(touch\w*|tickl\w*|hand|hands|rub\w*|strok\w*|feel\w*|put|puts|reach\w*)\b.{0,40}\b(under|inside|up|down) "
        r"(her|his|their|my) (clothes|top|skirt|dress|pyjamas|nightie|knickers|pants|trousers|shorts|jumper|t-shirt|"
        r"shirt|vest)|\b(coerced|pressured|pressurised|forced|made|persuaded|groomed|blackmailed|manipulated|tricked) "
        r"(into|to) (send\w*|shar\w*|tak\w*|mak\w*)\b|\b(explicit|indecent|intimate|sexual) (pics|pictures|photos|images|"
        r"videos|selfies|content|messages|texts|chats)",
    ),
    (
        "self-harm or suicide",
        r"\b(do|doing|done|did) something (stupid|silly|daft|drastic)\b|\b(rope|noose|ligature|belt|cord|cable)\b.{0,40}"
        r"\b(for (him|her|himself|herself|me|myself)|to hang|it's for)\b",
    ),
    (
        "threat to kill or harm",
        r"\bfinish (her|him|them|you|me|mum) off\b|\b(have|get|got|getting) (the kids'|his|her|their|your|somebody's|"
        r"someone's|mum's) (legs?|arms?|neck|knees|kneecaps|face|head) (broken|done in|smashed|kicked in|caved in)|"
        r"\b(with|carrying|holding|waving|armed with|brandishing) (a|an) (baseball bat|machete|zombie knife|crowbar|"
        r"knuckle ?duster|samurai sword|sword|gun|firearm|air rifle|shotgun|pistol|hammer)\b(?!.{0,30}\b(toy|game|"
        r"cosplay|costume|film|fancy dress))",
    ),
    (
        "child left alone",
        r"\bfend(s|ing|ed)? for (themselves|himself|herself)\b|\b(nobody|no one|noone) (collected|picked up|came for|"
        rf"turned up for|came to get) (him|her|them|the (kids|children|twins|baby)|{_CHILD}|(the )?\d+ year old)\b",
    ),
    (
        "domestic abuse",
        r"\b(hides?|hid|hiding|barricades?|barricaded|locks? (herself|themselves)|locked (herself|themselves)) (\w+ )"
        r"{0,4}(in|under|behind) (the )?(bathroom|bedroom|cupboard|bed|loo|toilet|table|stairs|duvet|covers|sofa)\b.{0,40}\b(when|while|from|until) (he|dad|"
        r"him|stepdad|partner|her (partner|boyfriend|husband)|mum's (partner|boyfriend))\b",
    ),
    (
        "exploitation",
        r"\b(handing|hands|handed|passing|passes|passed|giving|gives|gave) (out )?(packages|parcels|bags|wraps|stuff|"
        r"drugs|baggies) (to|out)\b|\b(paying|pays|paid|giving|gives|gave) (him|her|them) (money |cash |£\d+ )?to "
        r"(keep|hold|hide|store|look after|carry|move|deliver|drop) (stuff|things|packages|bags|drugs|a (bag|package|"
        r"parcel)|weapons|a knife|a gun)|\bkeep(s|ing)? (stuff|bags|packages|drugs|things) (at|in) (his|her|their) "
        r"(house|flat|room|bedroom) for (older|the|some)",
    ),
    (
        "missing child",
        r"\bbed (wasn't|hasn't been|had not been|hadn't been|not|was not) slept in\b",
    ),
    (
        "neglect",
        r"\b(eating|eats|ate|taking food|taking|takes|took|getting food) (out of|from) (the |other people's |neighbours' )?"
        r"bins\b",
    ),
    (
        "exploitation",
        r"\b(sleeping|sleeps|slept|having sex|has sex|had sex|doing stuff|does stuff|did stuff|doing things) (with|w) "
        r"(men|older men|adults|guys|lads|older lads|older boys|strangers) for (money|cash|drugs|weed|gifts|a place to "
        r"stay|somewhere to stay|food|alcohol|vapes)|\b(runs?|running|ran|goes|going|went|disappears?|disappeared) off "
        r"(with|w) (older|adult|unknown) (lads|men|boys|males|guys)",
    ),
    (
        "physical harm",
        r"\b(held|holds|holding|pressed|presses|put|puts|forced) (them|his hands?|her hands?|his fingers|her fingers|"
        r"him|her|his arm|her arm) (on|against|over|under|onto) (the )?(hob|cooker|oven|fire|radiator|iron|heater|"
        r"kettle|hot (tap|water|plate|pan))\b|\b(teeth|tooth) marks\b|\bbite marks? (on|to) (his|her|their|the)\b",
    ),
    (
        "threat to kill or harm",
        r"\bif (i|he|she) (can't|cannot|can not) have (them|her|him|the (kids|children|baby)|you) (no one|nobody|noone) "
        r"(can|will|else)\b",
    ),
    (
        "sexual abuse",
        r"\b(naked|secret|rude|touching|tickling|sexy|special) games?\b|\b(it's|it is|its) (a|our) (little |special )?"
        r"secret\b|\b(makes?|made|making|tells?|told|telling|asks?|asked|asking|gets?|got) (her|him|me|them) (to )?"
        r"(take (her|his|their|my|off (her|his|their)) clothes( off)?|take (her|his|their|my) (trousers|pants|knickers|"
        r"top|shorts|pyjamas|underwear) (down|off)|pull (her|his|their|my) (trousers|pants|knickers|shorts) down|"
        r"get undressed|undress|strip|be naked|show (him |her "
        r")?(her|his|their) (body|privates|private parts|bits|boobs|bum))",
    ),
    (
        "sexual abuse",
        r"\btouch(es|ed|ing) (himself|herself|themselves)\b.{0,30}\b(in front of|while|when) .{0,20}\b(kids|children|"
        r"her|him|them|me|the (girls|boys))|\b(exposes|exposed|exposing|flashes|flashed|showed|shows|showing) "
        r"(himself|herself|his (privates|private parts|willy|penis|thing))\b",
    ),
    (
        "exploitation",
        r"\b(drug )?mules?\b|\bpimp(ed|ing|s)?\b|\bpass(ed|ing|es)? (her|him|them) (around|round|between)\b|"
        r"\bpaid (him |her |them )?(in|with) (weed|drugs|cannabis|vapes|alcohol)|\b(dropping|drops|dropped|dropping "
        r"off) (bags|packages|parcels|wraps|stuff) (for|to)|\bsold (her|him) (to|for)|\bbeing sold\b",
    ),
    (
        "forced marriage or FGM",
        r"\b(promised|betrothed|pledged) (to|in marriage)\b|\bpassport (has been |was |is being )?(taken|hidden|"
        r"confiscated|kept)\b.{0,60}\b(wedding|marry|marriage|abroad|leave|travel)|\b(taken|took|confiscated|hid|"
        r"hidden|kept) (her|his) passport\b",
    ),
    (
        "missing child",
        r"\b(didn't|did not|hasn't|has not|never|not) (return|come back|came back|returned) (from|after) (contact|"
        r"school|the visit|college|the park|her (dad's|mum's|friend's)|his (dad's|mum's|friend's))\b",
    ),
    (
        "child left alone",
        rf"\b(left|leaves|leaving) ({_CHILD}|(the |a |her |his )?\d+ (month|week|year) old|them|him|her)\b( \w+)? "
        r"(in the car|in (a|the) (car|van|pram|buggy) outside)\b|\b(left|leaves|leaving) (\w+ ){0,4}with (a|an|the|"
        r"her|his) (drunk|stoned|high|intoxicated|strange|unknown) (neighbour|man|woman|friend|adult|person|stranger)|"
        r"\b(left|leaves|leaving) (\w+ ){0,4}with (a |an )?strangers?\b",
    ),
    (
        "physical harm",
        r"\b(hand|hands|pillow|cushion|tape|a cloth|his hand|her hand) (over|on|across) (her|his|their|my|the baby's) "
        r"(mouth|face|nose)\b|\b(swollen|bruised|split|burnt|burned|bloody|bloodied|scratched|busted|fat) (eye|face|lip|"
        r"nose|cheek|ear|neck|head|jaw)\b",
    ),
    (
        "exploitation",
        r"\b(messages|texts|snaps|dms|calls) from (a|an|some|this) (man|older (man|guy|lad|boy)|adult|guy|stranger)|"
        r"\b(a man|an older man|an adult|a stranger|some guy|an older guy|a grown man|this man|the man)( \w+){0,3} "
        r"(asking|asked|asks|wants|wanted|keeps asking|invited|invites|inviting) (her|him) to (meet|send|come|go)|"
        r"\b(an?|some|this|that) (older|adult|grown) (man|men|guy|bloke|male|lad)'s (flat|house|place|car|address)|"
        r"\b(in|into) (a|the) (stranger's|strangers|unknown man's|older man's|man's) car\b|\b(older|adult|unknown) "
        r"(men|males|lads) and (drugs|cash|weapons|a knife)|\bin (a |an )?(\w+ )?in (another|a different) (county|city|"
        r"town)\b|\b(found|picked up|stopped|arrested) (him |her |them )?(\w+ ){0,4}in (another|a different) (county|"
        r"city)\b|"
        r"\b(parties|party|partying) at (a|an|some|this) (older |adult )?(man|men|guy|bloke|male)'?s? (flat|house|place)",
    ),
    (
        "self-harm or suicide",
        r"\b(thought|thinking|thinks|think|talked|talking|talks) (about|of) (ending (it|things|it all|everything|my life|"
        r"her life|his life)|killing (herself|himself|myself|themselves)|suicide|dying|not being here|taking (her|his|my|"
        r"their) (own )?life|hurting (herself|himself|myself))|\bending (it|things|everything)( all)?\b(?! (with|off))",
    ),
    (
        "child left alone",
        rf"\b(toddler|baby|little one|{_NUM_CHILD} year old|kids|children|little ones)\b.{{0,60}}\bfound\b.{{0,40}}\b"
        r"(road|street|streets|outside|park|canal|river|shop|estate|car park|in the dark|at night|midnight|\d+ ?(am|pm))"
        rf"\b|\b(toddler|baby|little one|{_NUM_CHILD} year old)\b.{{0,60}}\b(road|street|streets|canal|river|estate|car "
        r"park|in the dark|at night|midnight)\b.{0,30}\b(on (his|her|their) own|alone|by (himself|herself|themselves))\b",
    ),
    (
        "missing child",
        r"\b(sent|taken|gone|went|flown) abroad\b.{0,80}\b(hasn't|has not|haven't|didn't|not|never) (come|came|"
        r"returned|been back)|(?<=school |police )(can't|cannot|couldn't|haven't been able to|have not been able to) "
        r"(contact|reach|trace|locate) (her|him|them|the family|the child|the kids)\b",
    ),
    (
        "sexual abuse",
        r"\b(watches|watched|watching|films|filmed|filming|photographs|photographed|takes (photos|pictures|pics) of|"
        r"took (photos|pictures|pics) of|peeps at|spies on) (her|him|them|the (girls|boys|kids|children)) (in the "
        r"(bath|shower|bathroom)|getting (changed|dressed|undressed)|undress\w*|naked|while (she|he|they) (changes?|"
        r"showers?|baths?|(is|are) in the (bath|shower)))|\bcomes (in|into) the bathroom when (she's|he's|they're|she "
        r"is|he is|they are) in the (bath|shower)",
    ),
    (
        "physical harm",
        r"\b(hiding|hides|hid|covering|covers|covered|cover) (up )?(the |her |his |their )?(bruis\w*|marks|cuts|"
        r"injur\w*|burns|scars|black eye)\b|\b(wouldn't|won't|would not|will not|refused to|refuses to|didn't|"
        r"doesn't) let (me|us|the (nurse|school|teacher|hv|doctor|gp)) (see|look at|look|check)( (his|her|their|the) "
        r"(arm|arms|leg|legs|back|body|tummy|face|bruis\w*|injur\w*|marks|neck))?(?=.{0,80}\b(screamed|cried|"
        r"flinched|winced|bruis\w*|mark|marks|injur\w*|hurt|pain|sore|limp\w*|swollen)\b|$)|\b(previous|previous convictions?|"
        r"convictions?|convicted|charged|arrested|history|record) (for|of) (child cruelty|cruelty to (a )?child(ren)?|"
        r"neglect of a child|child abuse|sexual (offences?|assault)|offences against children|rape|assaulting a "
        r"child|violence against (women|children)|dv|domestic (violence|abuse)|child sex(ual)? (offences?|abuse)|sex(ual)? "
        r"offences?|indecent images|grooming)",
    ),
    (
        "sexual abuse",
        rf"\b(her|his|my) {_SEXPART} (hurts|is sore|was sore|bleeds|is bleeding|was bleeding|is red|itches|stings)\b|"
        r"\b(blackmail\w*|sextort\w*|threaten\w* to (share|send|post|leak|show)) .{0,30}\b(nudes?|naked|photos|pics|"
        r"images|videos)",
    ),
    (
        "threat to kill or harm",
        r"\b(threatened|attacked|chased|held up|robbed|cornered|jumped) (\w+ ){0,2}with (a|an) (knife|gun|machete|"
        r"weapon|blade|bat|hammer|zombie knife)\b",
    ),
    (
        "self-harm or suicide",
        r"\bfound hanging|\bwas hanging from|\bhanging (herself|himself|themselves)",
    ),
    (
        "missing child",
        r"\b(we|police|mum|dad|nobody|no one|school|i) (don't|do not|doesn't|does not|didn't) know where (they|he|she|"
        r"the (kids|children|baby|boys|girls)) (are|is|were|was)\b|\b(has|have|hasn't|haven't|has not|have not|did not|"
        r"didn't|never) (not )?return(ed)? (them|the (kids|children|baby)|him|her)\b",
    ),
    (
        "physical harm",
        r"\b(stabbed|knifed|glassed|been shot|got shot|was shot|were shot)\b(?! in the back\b)|\bpull(ed|s|ing)? "
        r"(her|his|their|my) hair (out|so hard)|\b(clumps|chunks|handfuls) of (her|his) hair|\b(fell|fallen|falling|"
        r"fall|dropped) (out of|from|off|down) (a|the) (\w+ ){0,2}(window|balcony|stairs|roof|bunk bed|changing "
        r"(table|mat)|worktop|wall)\b(?=.{0,60}\b(no one|nobody|unsupervised|alone|toddler|baby|\d year old|drunk|"
        r"asleep))",
    ),
    (
        "child left alone",
        rf"\b({_CHILD}|{_NUM_CHILD} year old)\b.{{0,30}}\b(was|were|got|been|gets|is|are) locked (out|in)\b|"
        r"\b(no one|nobody|noone) (was )?(watching|supervising|looking after|with|keeping an eye on) (him|her|them|the "
        r"(kids|children|baby|toddler|little ones?))\b",
    ),
    (
        "domestic abuse",
        r"\b(being|is|was|feels|felt) controlled\b|\bcontrolling (behaviour|relationship|partner)|\b(won't|doesn't|"
        r"does not|will not|wouldn't|never) let (her|him|mum) (out|leave|go out|see (her|his) (friends|family|mum))|"
        r"\btakes (all )?(her|his|mum's) (money|phone|bank card|benefits|keys|passport)|\b(checks|tracks|monitors) "
        r"(her|his|mum's) (phone|location|messages)|\b(kill(s|ed)?|kicked|kicks|beat|beats|hurt|hurts|strangled|"
        r"drowned|stabbed|threw|booted|boots|punched|strangles|killed) (the|their|her|his) (dog|cat|pet|puppy|kitten|"
        r"hamster|rabbit)\b",
    ),
    (
        "threat to kill or harm",
        r"\b(said|says|told (them|her|him|the kids))( that)? (they're|you're|she's|he's|they are|you are) next\b|"
        r"\bshoot up (the|a|his|her) (school|college|class|place)|\b(bomb|blow up|set fire to|burn down|torch) "
        r"(the|his|her|their|our) (school|house|flat|home|car)\b|\b('ll|will|'d|would|going to|threatened to|said "
        r"he'd|said she'd) (put|throw|drop|drown|shake|lock) (the baby|the kids|him|her|them|the children|the "
        r"toddler) (in|into|out of|off|down) (the )?(oven|river|canal|fire|freezer|microwave|bin|window|sea|"
        r"stairs|ground)\b",
    ),
    (
        "sexual abuse",
        r"\b(forces?|forced|forcing|makes?|made|making|pressur\w*) (her|him|me|them) (to )?(have sex|into sex|do "
        r"sexual|do things|perform|give (him|her) (oral|a blow ?job)|sleep with|send (nudes|pics|photos))|"
        r"\b(offered|offers|offering|paid|pays|paying|gave|gives|giving|promised|sends|sent|sending) (her|him|them) "
        r"(money|cash|£\d+|"
        r"gifts|vapes|weed|a phone|drugs|alcohol) (for (photos|pics|pictures|nudes|videos|sex|favours|special|her to|him "
        r"to|doing|sending|meeting|keeping quiet|not telling)|to (send|meet|do|have|come|take|keep quiet|not tell))",
    ),
    (
        "exploitation",
        r"\b(seen|hanging around|hangs around|hanging out|hangs out|associating|associates|mixing) with (known )?"
        r"(dealers?|gang members|older (men|males|lads|boys)|adults? who|nominals)\b",
    ),
    (
        "immediate danger",
        r"\b(fed|feeds|feeding|gave|gives|giving|put|puts) (the baby|him|her|them|the kids|the toddler|baby|the "
        r"children) (some )?(vodka|alcohol|gin|wine|beer|whisky|rum|drugs|weed|sleeping (pills|tablets)|"
        r"(medicine|calpol|piriton|phenergan) to (make|keep))",
    ),
    (
        "domestic abuse",
        r"\b(smash\w*|throw\w*|threw|screaming at|shouting at (her|him|mum|dad)|kick(ed|ing|s)? off at|hitting|"
        r"punching|strangling|chok\w*|violen\w*|fight\w*|rows?|rowing|abus\w*|assault\w*|attack\w*|battering|"
        r"beating)\b.{0,50}\b(in front of|while) (the |her |his |their )?(kids|children|baby|girls|boys|little ones?|"
        r"twins|son|daughter|youngest|eldest)\b",
    ),
    (
        "domestic abuse",
        r"\b(punched|punches|kicked|kicks|smashed|smashes|hit|put (his|her) fist through) (a hole in |through )?(the |a )?"
        r"(wall|door|window|mirror)\b.{0,20}\b(next to|beside|by|near|behind|inches from|right by) (her|his|their|"
        r"the baby's|mum's|my) (head|face)",
    ),
    (
        "self-harm or suicide",
        r"\b(rather|sooner) (die|be dead|kill (myself|herself|himself)) than (go|going|be|live|stay)\b|"
        r"\b(drive|driving|crash|crashing|drove|steer) (the car )?(into|off) (a|the) (wall|tree|bridge|river|lorry|cliff|"
        r"road|motorway|canal)|\bstarv(e|es|ed|ing) (herself|himself|themselves)\b",
    ),
    (
        "threat to kill or harm",
        r"\bthreat\w* (to )?(throw|drown|suffocate|smother|poison|set fire|put (her|him|them) in|crash|push (her|him)|"
        r"chuck) |\bthreat\w* (\w+ ){0,2}with (it|them|that|one)\b|\b(put|putting) (her|him|you|them|me) in (the "
        r"ground|a box|a coffin|hospital)|\bsix feet under\b|\b(gang|gangs|they|the boys|the olders|dealers?|the "
        r"lads|them)( \w+)?( will|'ll| are going to| are gonna| is going to| is gonna| might| could| would|'d) (come for|"
        r"come after|get|hurt|stab|kill|find|shoot|do|go after|batter) (him|her|them|his family|her family|us|me|his mum|"
        r"her mum|his (sister|brother|little sister|little brother)|her (sister|brother))\b",
    ),
    (
        "sexual abuse",
        r"\b(holiday|trip|visit|went|been|taken) (to|abroad|back home)\b.{0,60}\b(came back|come back|returned|since)\b.{0,40}"
        r"\b(in pain|can't walk|cannot walk|walking (differently|strangely|funny|oddly)|struggling to walk|sore|"
        r"bleeding|infection|pain (when|weeing)|wee(ing)? hurts|hurts to wee)|"
        r"\b(blood|bleeding|discharge|soreness|sore|redness|bruising) (in|on|from|around|to) (her|his) (knickers|pants|"
        r"underwear|nappy|bottom|bum|vagina|private parts|privates|genitals|front bottom|anus)|\bsore (down there|"
        r"bottom|front bottom|privates)|\b(registered sex offender|sex offenders? register|schedule 1 offender|"
        r"schedule one offender|convicted (paedophile|sex offender)|paedophile|nonce|risk to children (conviction|"
        r"offender))\b|\b(watch|watching|watched|shows?|showed|showing) (\w+ )?(dirty|rude|sex|sexy|adult|porn\w*|"
        r"x[- ]rated) (films?|videos?|movies?|pictures|stuff|clips?)|\b(man|men|boyfriend|bf|partner) (twice|three "
        r"times|much more than) (her|his) age\b|\blove bites?\b.{0,60}\b(1[0-5]|eleven|twelve|thirteen|fourteen|"
        r"fifteen)\b",
    ),
    (
        "exploitation",
        r"\b(taken|takes|taking|took|driven|goes|going|went) (her |him |them )?to (hotels?|b&bs?|parties|flats|"
        r"houses|other towns|other cities)\b.{0,30}\b(by|with) (older|adult|unknown|grown|different) (men|males|lads|"
        r"man)|\btaken to hotels?\b|\b(takes|taking|took|taken) (her|him|them) to (hotels?|b&bs?|a hotel)\b|\b(recruit\w*|groomed|made|forced|pressured|paid|asked|told|used) (\w+ )?to "
        r"(sell|deal|move|carry|hold|run|deliver|stash|hide|keep|look after|store|mind) (a |the |some )?(drugs|weed|packages?|stuff|"
        r"gear|crack|for|gun|guns|knife|knives|weapons?|bags?|parcels?)|\bolder (boyfriend|bf)\b|\b(selling|sells|"
        r"dealing|deals|sold|moving) (drugs|weed|crack|coke|cocaine|cannabis|heroin|pills)\b|\bin a car with (\w+ )?"
        r"(older|adult|unknown) (men|males|lads|boys)|\b(came back|come home|comes home|coming home|came home|coming back|comes back|"
        r"found|returned) with (cash|money|new (phone|phones|trainers|clothes)|gifts|expensive \w+|£\d{3,}|large amounts? of (cash|money)|loads of (cash|money)|wads of (cash|money)|"
        r"rolls of (cash|money))|\b(radicalis\w*|extremis\w*|join (isis|is|the fighters)|jihad\w*)\b|\b(taking|take|"
        r"took|flee|fleeing|move|moving) (them|the kids|the children|her|him) to (syria|iraq|afghanistan|yemen|libya)",
    ),
    (
        "physical harm",
        r"\b(locked|locks|locking|lock|shut|shuts|shutting) (\w+ ){0,4}(in|into) (their|his|her|the) (\w+ )?(bedroom|room|"
        r"cupboard|shed|cellar|garage|bathroom|coal shed|cage)\b|\b(locked|locks|locking) (him|her|them|the kids) out\b"
        rf"|\b{_PHYS_VERB}\b.{{0,60}}\b(as a punishment|to punish (her|him|them)|as punishment)",
    ),
    (
        "child left alone",
        rf"\b(left|leaves|leaving) ({_CHILD}|(the |a |her |his )?\d+ (month|week|year) old|(the |her |his |their )?\d+ "
        rf"(kids|children|little ones)|him|her|them)( \w+)? with (a|an|her|his|their)"
        rf" ({_NUM_CHILD} year old|(little|young|older) (brother|sister|sibling))|\b(left|been left|leaves|is left|"
        r"was left) to (get (the baby|them|the kids|the little ones|her (brother|sister)|his (brother|sister)) (up|ready|"
        r"fed|dressed|to school)|feed (the baby|them|the kids)|(look after|mind|care for|babysit|watch) (her|his|their|"
        r"the) (baby|little|younger|brothers?|sisters?|siblings|toddler))",
    ),
    (
        "neglect",
        r"\b(with|had) no food\b|\bwithout (food|water)\b|\bno food (or|and) (water|drink)|\b(dropped|fell|fall|burnt|"
        r"scalded|hit (his|her) head|banged (his|her) head|seizures?|fits|"
        r"fitting|not breathing|broken|fracture|burns?|bleeding|temperature|fever|infection|infected|head injury|"
        r"swollen|vomiting|unwell|poorly|rash)\b.{0,60}\b(hasn't|haven't|hadn't|not|never|didn't|wouldn't|won't|"
        r"nobody|no one|noone|refused to|refuses to) (been |has |had )?(take|taken|took|call|called|ring|rang|seek|sought|get|got) (him |her |them "
        r"|the baby |the child )?(to (the )?(hospital|gp|doctor|a&e)|an ambulance|a doctor|medical (help|attention)|"
        r"help)|\bsleeping (in a tent|rough|in (a|the|their|his|her) car|in the woods|on the streets?|in a park|"
        r"outside)\b",
    ),
    (
        "immediate danger",
        r"\b(found|got hold of|drank|drunk|swallowed|ate|eaten|took|taken|ingested)( some of)? ((\w+'s|her|his|the|"
        r"their) ){0,2}(methadone|heroin|cocaine|crack|ketamine|edibles|bleach|dishwasher tablets?|washing tablets?|"
        r"button batter(y|ies))\b|\b(toddler|baby|little one|\d year old)\b.{0,30}\b(drank|swallowed|ate|took|"
        r"got into|found) .{0,20}\b(pills|tablets|meds|medication|drugs|weed|alcohol|vodka|spirits)\b",
    ),
    # --- general immediate danger
    (
        "immediate danger",
        r"\b(not safe|unsafe|in danger|at risk) (to go home|at home|tonight|right now|now|with (him|her|dad|mum|"
        r"stepdad|them))|\b(afraid|scared|frightened|terrified) (to go|of going|to be) (back )?home\b|"
        r"\b(doesn't|does not|won't|will not|didn't) want to go (back )?home\b|\bbegged (me|us|them) not to "
        r"(send|make|take) (her|him|them) (back )?home|\b(immediate|imminent) (risk|danger|harm)|"
        r"\bin (immediate |serious )?danger\b|\bpolice protection|\bemergency protection order|\bepo\b|"
        r"\b(not breathing|stopped breathing|unconscious|unresponsive|limp and floppy|floppy and)\b|"
        r"\b(terrified|petrified|scared|frightened) of (dad|daddy|mum|mummy|stepdad|(mum|dad)'s (partner|boyfriend)|"
        r"her stepdad|his stepdad|going home)|\b(made|make|makes|making|has made|had made) a (further |new |serious |worrying )?disclosure\b|"
        r"\bdisclos(ed|es|ing|ure)( that| of| about)? (abuse|being (hit|hurt|touched|abused|raped|assaulted|harmed|"
        r"beaten|strangled)|(he|she|they) (was|were|is|are|had been|has been|have been|gets|got) (hit|hurt|touched|"
        r"abused|raped|assaulted|harmed|beaten|strangled|sexually|physically))|"
        r"\b(begged|asked|pleaded with) (me|us|them) not to (send|make|take) (her|him|them) (go )?(back )?home|"
        r"\b(told|tells|telling) (her |his )?(teacher|dsl|school|the school|nursery|me|police|a friend|her friend|"
        r"his friend) (that )?(dad|daddy|mum|mummy|stepdad|someone|a man|he|she) (hits|hit|hurts|hurt|touches|"
        r"touched|beats|kicks|kicked)",
    ),
)
# Written after rounds of disclosures nobody had tuned for: the forms that kept slipping
# through, each widened to its family (hands at a neck, violence "in front of" the children,
# a carer who went out and did not come back, a child minded by a child).
_BROAD_SPECS: tuple[tuple[str, str], ...] = (
    (
        "domestic abuse",
        r"\bby (the |her |his |my |mum'?s |mummy'?s |their |your )(throat|neck)\b|"
        r"\b(grabbed|grabs|grabbing|held|holds|holding|pinned|pins|pinning|squeez\w*|put (his|her) hands?|hands?|arms?|grip)"
        r"(\W+\w+){0,3}?\W+(round|around|on) (the |her |his |my |mum'?s |mummy'?s |their |your )?(throat|neck)\b|"
        r"\b(fight|fights|fighting|scrap|scrapping|brawl\w*|violence|violent|punch\w*|hitting|beating|battering|"
        r"kicking off|smashing (the place|things) up|throwing (things|stuff|plates))\b(\W+\w+){0,6}?\W+in front of "
        r"(the |her |his |their |all the )?(kids|children|child|baby|babies|little ones?|boys|girls|twins|toddler)\b",
    ),
    (
        "self-harm or suicide",
        r"\b(throw|throws|threw|throwing|jump|jumps|jumped|jumping) (herself|himself|myself|themselves)\b"
        r"(\W+\w+){0,5}?\W+(off|under|in front of|into)\b|\b(kill|hurt|harm|drown|gas) (herself|himself|myself|themselves) "
        r"and (the|her|his|my|their) (kids|children|baby|babies|child|little ones?|son|daughter)\b",
    ),
    (
        "sexual abuse",
        r"\b(photos?|pics?|pictures?|images?|videos?|vids?|snaps?) of (his|her|their|a man'?s|an adult'?s) "
        r"(private parts|privates|private bits|bits|willy|penis|dick|cock|genitals|boobs|breasts|bum|naked body)\b",
    ),
    (
        "child left alone",
        r"\b(mum|mummy|mam|dad|daddy|parents?|carers?|nan|nana|gran|step ?(mum|dad)|mum'?s (partner|boyfriend))"
        r"\b(\W+\w+){0,3}?\W+(went|gone|goes|left|go|going) out\b(\W+\w+){0,6}?\W+(and |n |but )?"
        r"(hasn'?t|hasnt|has not|had not|hadn'?t|never|didn'?t|didnt|did not|not) (come|came|been|got) (back|home)\b|"
        rf"\bleft (with|in the care of|minded by|looked after by) (a|an|her|his|their|the) {_NUM_CHILD} ?(yr|yrs|year|years)"
        r"s?( |-)old\b|\b(left|leaves|leaving|was left|were left|been left) (alone |on (his|her|their) own )?"
        r"(in|inside) (the|a|mum'?s|dad'?s|his|her) (car|van|taxi)\b",
    ),
    (
        "sexual abuse",
        r"\b(comes|coming|came|come|walks|walking|walked|goes|going|went) (in|into) (the |her |his |their )?(bathroom|shower|"
        r"bedroom|room)\b(\W+\w+){0,3}?\W+when (she|he|they)('s|'re| is| are)? (shower\w*|bath\w*|in the (bath|shower)|"
        r"undress\w*|get(s|ting)? (changed|dressed|undressed)|changing)\b|\bwatch(es|ed|ing)? (her|him|them) (shower\w*|in the "
        r"(bath|shower)|undress\w*|get(ting)? (changed|undressed|dressed)|chang\w*|naked)\b",
    ),
    (
        "neglect",
        r"\b(nobody|no one|no-one|noone|no adult) (has |had |ever |even )?(fed|feeds|feed) (him|her|them|"
        r"the (baby|kids|children|boy|girl))\b(?! (too much|late))|\b(ate|eats|eating|eat|scavenging|scavenges|takes? food) "
        r"(food )?(from|out of|out the|in) (the |a )?bins?\b|\b(hasn'?t|hasnt|has not|haven'?t|havent|have not|wasn'?t|"
        r"weren'?t|not) (been )?fed (since|yesterday|today|all day|for (a |two |2 |three |3 )?(day|days|while|ages))\b",
    ),
    (
        "physical harm",
        r"\b(waterboard\w*|tortur(e|es|ed|ing) (her|him|them|me|the (kids|children|boy|girl))|"
        r"(burnt|burned|burns|scald(s|ed)?|branded) (her|him|them|me) with)\b",
    ),
)
_COMPILED: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (c, re.compile(p)) for c, p in (*_SPECS, *_BROAD_SPECS)
)

_CHILD_PRESENT = re.compile(
    rf"\b{_CHILD}\b|{_BABY}|\b\d+ year old|\b(looking after|in charge of|caring for|on (her|his) own with|"
    r"cot|pram|buggy|bath ?time|school run|nursery|bedtime)\b"
)
_ADULT_AGE = re.compile(
    r"\b((boyfriend|bf|partner|girlfriend) (is|who is|who's|aged|age) ((1[89]|[2-9]\d)\b|much older|an adult|in "
    r"his)|(1[89]|[2-9]\d) year old|in (his|her) (20s|twenties|30s|thirties|40s|forties)|(an? )?adult (man|male|"
    r"woman)|grown (man|men)|older man|much older|(he's|he is|she's|she is) (1[89]|[2-9]\d)\b)"
)
_MINOR_AGE = re.compile(
    r"\b((she's|she is|he's|he is|aged|age|only) (1[0-5]|[1-9])\b|(1[0-5]|[1-9]) year old)"
)
# (category, anchor, context): the anchor must not be negated, and the context must be in the text.
_WITH_CONTEXT: tuple[tuple[str, re.Pattern[str], re.Pattern[str]], ...] = (
    (
        "sexual abuse",
        re.compile(
            r"\b(boyfriend|bf|girlfriend|partner|relationship|going out with|seeing (a|an|this) (man|older)|dating|kiss\w*|"
            r"snog\w*|in his car|stay(s|ing|ed)? over|sleep(s|ing)? over|lets (her|him) stay|"
            r"sleeping with|having sex with|sex with)\b"
        ),
        _ADULT_AGE,
    ),
    (
        "intoxicated carer",
        re.compile(
            r"\b(taking|using|snorting|smoking|doing|injecting|on) (coke|cocaine|crack|heroin|drugs|ket|ketamine|spice|"
            r"mdma|pills|speed|meth|smack|gear)\b"
        ),
        _CHILD_PRESENT,
    ),
    (
        "injury to a baby",
        re.compile(
            rf"\b{_INJURY}\b(?! (on the (wall|floor|carpet|sofa|chart)|of (the|a) (pen|felt|marker)|out of|for|"
            r"in (his|her) (book|work)))(?!.{0,60}\b(witnessed|accident (form|book|report)|first aid|recorded by "
            r"(staff|nursery)|(nursery|staff|teachers?) saw (it|her|him))\b)"
        ),
        re.compile(_BABY),
    ),
    (
        "sexual abuse",
        re.compile(
            r"\b(chlamydia|gonorrh(o)?ea|syphilis|herpes|genital warts|an sti|stis?|stds?|sexually transmitted)\b"
        ),
        re.compile(
            r"\b(she's|he's|she is|he is|aged|age|only) ([1-9]|1[0-5])\b|\b([1-9]|1[0-5]) year old|\b(baby|toddler|"
            r"little one|child|in year [1-9])\b"
        ),
    ),
    (
        "injury to a baby",
        re.compile(
            r"\b(arm|leg|limb|hand|foot)s? (isn't|is not|wasn't|was not|not|won't) (moving|being used|move|working)|"
            r"\bnot (using|moving) (his|her) (arm|leg|hand|foot)|\b(screams|screamed|cries|cried|screaming|crying) "
            r"(when|if) (his|her|you|i|we|mum|dad) (arm|leg|side|chest|touch\w*|move\w*|pick\w* (him|her) up)|"
            r"\bfloppy\b|\blimp\b|\b(turned|went|was|is) (blue|grey)\b|\bvomiting and (drowsy|sleepy|floppy)|\bbulging (fontanelle|soft spot)|\b(fontanelle|soft spot) (is |was )?bulging|\bbloodshot (eye|eyes)|"
            r"\b(vomit\w*|sick) and (sleepy|drowsy|floppy|lethargic)|\blethargic\b|\bhard to (wake|rouse)|"
            r"\b(fitting|seizures?)\b|\bbleeding from (the |her |his )?(nose|ear|ears|mouth)"
        ),
        re.compile(_BABY),
    ),
    (
        "physical harm",
        re.compile(
            rf"\b({_ADULT}|he|she|they)\b (did it|did that|done it|done that|caused it|did this|gave (him|her|them) "
            r"(it|that|them|those))\b"
        ),
        re.compile(rf"\b{_INJURY}\b"),
    ),
    (
        "child left alone",
        re.compile(
            r"\b(found|left|discovered)( \w+){0,2} (alone|unsupervised|unattended|on (their|his|her|its) own|by (themselves|"
            r"himself|herself|itself))"
            r" (in|at|on|inside)\b"
        ),
        _CHILD_PRESENT,
    ),
    (
        "forced marriage or FGM",
        re.compile(
            r"\b(getting|get|gets|be|being|got|is|was) (married|engaged)\b|\b(wedding|marriage) (is )?(next|in|this)\b"
        ),
        re.compile(r"\b((she's|he's|she is|he is|aged|age|only) (1[0-7]|[1-9])\b|(1[0-7]|[1-9]) year old)"),
    ),
    (
        "missing child",
        re.compile(
            r"\b(kick(s|ed|ing)?|throw(s|n|ing)?|threw|chuck(s|ed|ing)?|put(s|ting)?) (her|him|them) out\b"
        ),
        re.compile(
            r"\b(teen|teenager|yp|young person|\d+ year old|(she's|he's|she is|he is) 1[0-7]|her (dad|mum)|his (dad|mum)|"
            r"the (girl|boy))\b"
        ),
    ),
    (
        "missing child",
        re.compile(
            r"\b(been )?gone for ((1[2-9]|[2-9]\d|\d{3}) hours|(\d+|two|three|four|five|several|a few) (days|nights))\b|"
            r"\b(\d+|two|three) (days|nights) (gone|away from home)"
        ),
        _CHILD_PRESENT,
    ),
    (
        "child left alone",
        re.compile(
            r"\b(found )?wandering (the streets|the street|the roads|outside|around the estate|about)\b"
        ),
        re.compile(
            rf"\b({_CHILD}|toddler|(he's|she's|he is|she is|aged) ([1-9]|1[0-2])\b|{_NUM_CHILD} year old)"
        ),
    ),
    (
        "exploitation",
        re.compile(
            r"\bclass (a|b)( drugs)?\b|\b(arrested|caught|stopped) (with|for) (drugs|possession|supply)\b"
        ),
        _MINOR_AGE,
    ),
    (
        "child left alone",
        re.compile(
            r"\b(with|and) no (adult|adults|grown[- ]ups?|parent|carer)( present| there| around| in| at home)?\b"
        ),
        _CHILD_PRESENT,
    ),
    (
        "neglect",
        re.compile(r"\b(maggots|rats|rat droppings|cockroaches|rotting food|rotten food|flies everywhere)\b"),
        _CHILD_PRESENT,
    ),
    (
        "forced marriage or FGM",
        re.compile(
            r"\b(have|has|had|get|gets|got|getting|having) (it|this|that|the procedure|the operation|the ceremony)( done)?\b|"
            r"\bthe procedure\b|\b(cut|cutting|circumcis\w*|ceremony)\b"
        ),
        re.compile(
            r"\b(all the girls|the girls in (the|her|our|their) family|her (sisters?|cousins) (all )?(had|have)|"
            r"(somalia|sudan|egypt|ethiopia|eritrea|mali|guinea|sierra leone|gambia|djibouti|kenya|nigeria|yemen|"
            r"kurdistan|burkina faso|chad|senegal|liberia|ivory coast)\b)"
        ),
    ),
    (
        "missing child",
        re.compile(
            r"\b(out|stayed out|staying out|stays out|gone) (all night|overnight|until \d+ ?am|till \d+ ?am)|"
            r"\bdisappear(s|ed|ing)? (for (hours|days|nights|a day|a few days|the night|the weekend)|overnight|all night|"
            r"again)"
        ),
        _CHILD_PRESENT,
    ),
    (
        "neglect",
        re.compile(
            r"\b(cannabis|weed) (factory|farm|grow)|\bgrow(ing)? (room|tent)|\bdrugs? (den|lab)|\bmeth lab|\bdrugs "
            r"(stored|stashed|kept|hidden) in the (house|flat|home|bedroom)"
        ),
        _CHILD_PRESENT,
    ),
    (
        "forced marriage or FGM",
        re.compile(
            r"\b(doesn't want|does not want|didn't want|don't want|won't|against (her|his|their) will|forced|made to|"
            r"has to|have to|scared|frightened|terrified|no choice|pressur\w*|refus\w*|not allowed|crying|begged)"
        ),
        re.compile(
            r"\b(wedding|marriage|marry|married|engaged|engagement|husband|wife)\b.{0,80}\b(she's|she is|he's|he is|"
            r"aged|age|only|just) (1[0-7]|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen)\b|"
            r"\b(1[0-7]) year old\b.{0,80}\b(wedding|marriage|marry|married|engaged)|\b(wedding|marriage|marry|married|"
            r"engaged|engagement)\b.{0,60}\b(abroad|back home|cousin|overseas|chosen for (her|him)|to a man)"
        ),
    ),
    (
        "intoxicated carer",
        re.compile(
            rf"\b{_ADULT}\b( \w+){{0,5}}? ?((was|is|were|are|'s|got|getting|gets|seemed|looked|appeared|sounded|"
            r"came home|turned up|arrived|answered the door|very|really|so|completely|totally|clearly|obviously|too|keeps "
            r"turning up|turning up|turns up|comes home|coming home|"
            r"and) )*(very |really |so |completely |totally |absolutely |quite |a bit |clearly |obviously )?(drunk|"
            r"wasted|smashed|hammered|paralytic|legless|steaming|pissed|off (her|his|their) (face|head|tits|nut)|"
            r"intoxicated|under the influence|stoned|out of it|out of (her|his) (mind|head|tree)|passed out|"
            r"unconscious|unrousable|(couldn't|wouldn't|won't|can't|could not|would not) (be )?(wake|woken|roused)( up)?|"
            r"slurring|gouching|nodding off|high)\b"
            r"(?! (a|the|some|his|her|their|my|water|tea|coffee|milk|juice|it|all(?! (day|night|weekend|afternoon|morning|"
            r"evening|the time))|half|chair|school|street|risk|"
            r"temperature|levels?|five|energy|spirits|pitched|up)\b)"
            r"|\b(heroin|crack|drug|cocaine|coke|alcohol|smack) (user|addict)\b|\b(is|are|was) (a |an )?(drug|heroin|crack|"
            r"alcohol|cocaine) (user|addict|dependent)\b|\b(alcoholic|drug addict|junkie)\b"
            r"|\b(she's|he's|they're|she is|he is|they are|is|was|were) (always |often |usually |regularly |again )?(passed "
            r"out|unconscious|comatose|unrousable|out cold|too drunk|too high|off (her|his|their) face)\b"
            r"|\b(sleeping it off|sleeps it off|slept it off|sleep it off)\b"
            r"|\b(on a bender|on the piss|on the drink|binge drinking|bingeing|binging|on a binge)\b"
            r"|\b(comatose|out cold|spark out|dead to the world|incoherent|staggering|couldn't stand( up)?|"
            r"could not stand|falling over drunk)\b|\b(had been|been|was|is|has been|were) drinking (all day|since|"
            r"heavily|a lot|loads|all night|from \w+|all afternoon|all morning)\b"
            r"|\bempty (bottles|cans|vodka bottles)\b.{0,30}\b(everywhere|all over|on the floor)|"
            r"\b(empty (bottles|cans|vodka bottles|beer cans|cider bottles|wine bottles))\b|\b(passed out|unconscious|"
            r"collapsed|out cold|sprawled|asleep drunk) on the (floor|sofa|kitchen floor|bathroom floor|settee|stairs)\b|"
            r"\basleep on the (floor|kitchen floor|bathroom floor|stairs)\b|"
            r"\b(on the|been on the|drinking|necking) (cider|vodka|wine|beer|lager|cans|booze|drink|spirits|gin|whisky|rum)"
            r"\b(?=.{0,20}\b(since|all day|all night|from|again))|"
            r"\b(smel(t|led|ls|ling)|stank|stinks|stinking|reeked|reeks|reeking) (strongly |heavily )?of (alcohol|booze|drink|weed|"
            r"cannabis|spirits|vodka)|\b(injected|injects|shooting up|shot up|injecting|smoking crack|using heroin|using crack|taking heroin|smoking heroin|"
            r"on the gear|using smack)\b"
        ),
        _CHILD_PRESENT,
    ),
)
_DRINK_DRIVING = re.compile(
    r"\b(drove|driving|drives|drive|took|takes|taking|take) (the kids|the children|them|him|her|the baby)( in the car)?\b.{0,20}\b(drunk|after "
    r"drinking|over the limit|high|stoned)|\bdrink[- ]?driv\w*|\bdrunk[- ]?driv\w*"
)

# --------------------------------------------------------------------------- idioms and facts

_IDIOMS = re.compile(
    "|".join(
        (
            # kill
            r"\b(could|would|i'd|he'd|she'd|i'll)? ?kill(ing|s|ed)? for (a|an|some|the|it)\b",
            r"\bkilling it\b",
            r"\bkill(ing)? (the |some )?time\b",
            r"\b(stress|exams?|work|job|this|that|it|school|revision|commute|case|caseload|heat|wait|waiting|"
            r"suspense|traffic|feet|back|legs|head|knees?|hangover|week|day|shift|drive|journey|paperwork|travel|"
            r"running|training|gym|uni|course|college|deadlines?|workload|diet|boredom|noise|cold)('s| is| are| was| "
            r"were) (really |literally |absolutely )?killing (me|him|her|them|us)\b",
            r"\bkill(ing|s|ed)? (me|him|her|them|us|myself|herself|himself|themselves) (laughing|with laughter)\b",
            r"\bslapped with (a|an) (fine|detention|ban|charge|bill|asbo|exclusion|sanction|warning|penalty)\b|"
            r"\b(stork marks?|salmon patch(es)?|mongolian (blue )?spots?|slate grey (naevi|patches)|strawberry (marks?|"
            r"birthmarks?|naevus)|birth ?marks?)\b|\b(small |tiny |little )?(bruis\w*|marks?)( was| is| were)? (where|from|after) "
            r"(the |"
            r"her |his )?(needle|jabs?|injections?|blood tests?|vaccinations?|immunisations?|cannula|heel prick)\b|"
            r"\b(bit|bites|hit|hits|kicked|kicks|pushed|pushes|scratched|scratches|slapped|thumped) (her|his|their) "
            r"(little |big |older |younger |baby |twin )?(brother|sister|sibling|cousin|friend)s? (over|for|because|"
            r"when they were|while playing|playing)\b",
            r"\b(he|she|it|that|this|they) kills me\b",
            # a worker's own judgement of an everyday knock: "small bruise on his shin ... consistent with his age"
            r"\b(small |little |tiny |minor )?(bruis\w*|bumps?|grazes?|scrapes?|scratch(es)?)\b[^.;]{0,80}?\bconsistent with "
            r"(his|her|their|the) (age|account|explanation|play|development|activity|mobility|being (a toddler|active))\b[^.;]*",
            # safe storage is good practice, not a child shut in: "meds locked in a box in the cupboard"
            r"\b(medication|medicines?|meds|tablets|pills|methadone|knives|keys|cleaning (stuff|products)|bleach|"
            r"chemicals|alcohol|drink|cash|money|valuables|documents|passports?|phones?|lighters?|matches)\b"
            r"(\W+\w+){0,3}?\W+(kept |are |is |now |all )?(locked|shut|stored) (away |up )?(in|inside) (a|the|their|her|his) "
            r"(\w+ )?(box|safe|tin|cabinet|drawer|cupboard|case)\b(\W+(in|under|on) (the|a) (\w+ )?\w+)?",
            # "battered" for worn out: "i was battered after the run", "feeling battered by the week"
            r"\b(was|were|am|i'm|im|is|are|felt|feel|feeling|looked|looking|proper|absolutely|totally) (absolutely |totally |"
            r"proper |well |completely )?(battered|knackered|destroyed|wrecked) (after|from|by) (the|a|this|that|my|her|his|"
            r"all|cross|work|school|training|football|the match|pe)\b",
            r"\bkill(s|ed|ing)? (the|a|that) (mood|vibe|buzz|battery|joke|conversation|spider|wasp|fly|bug|bugs|germs|"
            r"weeds|plants?|engine|lights?|music|tv|game|zombies|baddies|enemies|monsters|boss)\b",
            r"\bkiller (heels|app|question|line)\b|\bdressed to kill\b|\bkill two birds\b|\boverkill\b|\broadkill\b|"
            r"\bkilljoy\b",
            r"\b(mum|my mum|her mum|his mum|dad|my dad|her dad|his dad|nan|my nan|my wife|my husband|my manager|my tm|"
            r"the tm|my partner|the boss|teacher)('ll| will| would|'d| is going to| is gonna|'s going to|'s gonna) (kill|murder) (me|him|"
            r"her|us|you) (if|when) (i|he|she|we|you|they)( ?('m|am|is|'s|are|was|get|gets|comes?|turns? up))? "
            r"(late|find|finds|found|see|sees|saw|hear|hears|know|knows|forget|forgets|lose|loses|break|breaks|"
            r"spend|spends|miss|misses|vape|vapes|vaping|smok\w+|get home late|home late|wreck|wrecks|ruin|ruins)\b",
            r"\b(murder|kill) (for|on) (a|an|some) ",
            r"\bmurder (mystery|on the dancefloor|documentar\w*|podcasts?)\b",
            # die, dead
            r"\bdying to\b|\bdie (to|for) (see|go|get|have|meet|try|start|know)\b",
            r"\b(dye|dyed|dyeing|dyes|die|died|dying|dies) (her|his|my|their|your|the) (hair|fringe|roots|clothes|"
            r"top|t-shirt|shirt|jeans|eggs|easter eggs)\b",
            r"\b(hair|fringe) (dye|die|dyeing|dying)\b",
            r"\b(dying|die|died|dies) (of|from|with) (laughter|laughing|embarrassment|shame|boredom|thirst|hunger|the "
            r"heat|cold|cringe)\b",
            r"\b(could|would|nearly|almost|literally) (have )?(died|die) (laughing|of|when|with|at)\b",
            r"\b(bored|scared|worried|sick|frightened|tickled) to death\b|\bto die for\b|\bdeath of me\b",
            r"\bdead (tired|good|nice|funny|easy|serious|proud|keen|set|lucky|excited|chuffed|happy|right|on|cute|"
            r"sweet|quiet|busy|posh|loud|heavy|end|line|ringer|cert|on time)\b|\bdeadlines?\b",
            r"\b(battery|phone|laptop|tablet|ipad|plant|plants|fish|goldfish|hamster|dog|cat|rabbit|pet|budgie|"
            r"tortoise|guinea pig|car|tv|signal|wifi)( has| had| was| is)? (died|dead|dying)\b",
            r"\b(grandad|granddad|grandpa|grandma|nan|nana|nanna|gran|granny|uncle|aunt|auntie|great \w+|"
            r"(his|her|their) (grandad|grandma|nan|dad|mum) who) (died|passed away|is dying|has died|passed)\b",
            r"\b(death|died|passing|loss|funeral) of (her|his|their|mum's|dad's) (grandad|granddad|grandma|nan|nana|"
            r"gran|uncle|aunt|auntie|dog|cat|pet|hamster|great)\b",
            r"\bend (it|things) (with|between) ",
            r"\bend of (the|it|term|the day|story)\b",
            r"\b(at the end of my|end my) (shift|day|tether)\b",
            # hit, beat, kick, punch, slap
            r"\bhit (the|a|an|rock|his|her|their|my) (road|roof|wall|ceiling|jackpot|target|targets|milestones?|nail|"
            r"sack|hay|shops|gym|deadline|ground|bottle|books|spot|note|bump|pothole|bottom|big time|headlines|"
            r"button|brakes|snooze|send|puberty|teens|terrible twos|right note|ball)\b",
            r"\bhit it off\b|\bhit and miss\b|\bhit (me|him|her|us) up\b|\bhits? home\b|\bhit-and-run\b",
            r"\b(it|this|that|the news|news|the death|her death|his death|the loss|reality|the move|the diagnosis|"
            r"the verdict|the decision|the change|lockdown|grief|it all|tiredness|the tiredness|the fatigue)( really| "
            r"has| had|'s)? (hit|hits|hitting) (me|him|her|them|us)\b( hard)?",
            r"\b(she|he|i|they) (hit|banged|bumped|knocked|cut|grazed|scraped|burnt|burned|scalded|trapped|caught|"
            r"twisted|sprained|broke|hurt) (her|his|my|their) (own )?(head|knee|"
            r"arm|elbow|leg|toe|shin|face|chin|hand|finger|lip)s? (on|against|when|while|playing|at)\b",
            r"\b(hit|struck|knocked over|knocked down) by (a|the) (car|ball|football|bike|door|bus|van|swing|cricket "
            r"ball|scooter)\b",
            r"\bbeat(s|en|ing)? (me|him|her|them|us|his|her|my|their|dad|mum|everyone|[a-z]+) (\w+ )?(at|in) "
            r"(fifa|chess|football|cards|a game|the game|games|the race|races|monopoly|uno|mario|mario kart|fortnite|"
            r"minecraft|draughts|pool|snooker|darts|tennis|ping pong|table tennis|a race|running|sprint|swimming|"
            r"maths|spelling|quiz|the quiz|connect 4|connect four|jenga|scrabble|arm wrestling)\b",
            r"\bbeat(s|ing)? (my|her|him|them|your|our)sel(f|ves) up\b|\bbeating (herself|himself|myself) up\b",
            r"\bbeat (the|a) (traffic|record|queue|rush|odds|system|deadline|clock|heat|bugs?|drum)\b|"
            r"\b(it|that) beats me\b|\bheart ?beats?\b|\bupbeat\b|\boffbeat\b|\bbeat (around|round) the bush\b",
            r"\bkick(s|ed|ing)? (a|the|his|her) (ball|football|can|habit|leaves)\b|\bkick(s|ed|ing)? off\b|"
            r"\bkick-?off\b|\bkick(s|ed|ing)? about\b|\bkick(s|ed|ing)? (him|her|them|me) out of (the )?(kitchen|room|"
            r"lounge|bathroom|game|team|class|lesson|club|group)\b|\bkicked out of (school|college|class|the club|the "
            r"team|the game|the lesson)\b|"
            r"\bkicking (myself|herself|himself)\b|\bkicks? in\b|\bkickbox\w*|\bkicked in\b",
            r"\bpunchlines?\b|\bpunch(es|ing)? above\b|\bpunch(ed|es|ing)? (the|a) (wall|door|bag|pillow|air|clock)\b|"
            r"\bslap ?(bang|dash|stick)\b|\bsmack ?bang\b|\bsmacked (his|her) lips\b",
            # choke, strangle, stab, shoot, burn, cut, touch
            r"\bchok(e|es|ed|ing) (up|back tears)\b|\bchoked up\b|\bchok(e|es|ed|ing) on (a|an|his|her|the|some|my|"
            r"their) (food|grape|grapes|sweet|toy|bit|piece|crisp|sausage|drink|water|dinner|tea|breakfast|lunch|"
            r"popcorn|biscuit|apple|carrot|lego|coin|button|bottle|milk)\b|\bchoking (hazard|risk)s?\b",
            r"\b(could|would) (have )?strangled (him|her|them|it)\b|\bstabbed (me|him|her|us) in the back\b",
            r"\b(have|had|has|take|took|make|made|having) a stab at\b|\bstab in the dark\b|\bstabbing pains?\b|"
            r"\bback ?stab\w*",
            r"\bphoto ?shoot\b|\bshoot (you|me|him|her) (a|an) (text|email|message|msg|line)\b|\bshoot(s|ing)? "
            r"(hoops|goals|baskets|videos?|film|a film|at goal)\b|\bshoot off\b",
            r"\bburn(ed|t|s|ing)? ?out\b|\bburnout\b|\bburns? (unit|ward|clinic|centre|center|team|specialist)\b|"
            r"\bheartburn\b|\bsunburn\w*|\bburn(ed|t|s|ing)? (the |his |her |my )?(toast|dinner|food|tea|chips|pan|"
            r"pizza|candles?|bridges|calories|cd|dvd|rubbish|leaves|wood|logs|midnight oil|sausages)\b|"
            r"\bburning (question|desire|ambition)\b|\bcandles? burning\b",
            r"\b(cut|cuts|cutting) (her|his|my|their|the) (hair|fringe|nails|toenails|food|meat|sandwich|cake|grass|"
            r"lawn|hedge|toast|pizza|paper|card|crap)\b|\b(cut|cuts|cutting) (down|back|off|out|ties|contact|corners|"
            r"it fine|short|a deal|in)\b|\bcut up about\b|\b(budget|funding|service|benefit|money) cuts?\b|"
            r"\bcuts (to|in) (the |her |his |their )?(budget|funding|services?|benefits?|hours|staff)\b|"
            r"\bhair ?cut|\bshort ?cut|\bpaper cuts?\b|\bclean[- ]cut\b",
            r"\bkeep(s|ing)? in touch\b|\bin touch\b|\btouch(ed|ing)? base\b|\btouching (story|moment|gesture|scene)\b|"
            r"\ba touch of\b|\b(was|felt|is|were) (really |very |so )?touched by\b|\btouch ?wood\b|\btouch screen\b|"
            r"\btouch rugby\b|\btouch typing\b",
            # knives and guns as household and school facts
            r"\b(knife|knives) (block|drawer|rack|set|collection|skills|and forks?|stand)\b|\bknives and forks\b|"
            r"\b(butter|bread|kitchen|cutlery|plastic|cheese|table|steak|chef's|chefs|craft|stanley) knife\b(?! "
            r"(to|at|against) )|\bknife crime (workshop|talk|awareness|session|lesson|project|programme|assembly)\b|"
            r"\b(water|nerf|toy|glue|bb|cap|squirt|water pistol) guns?\b|\bgun ?shot wound\b",
            # missing, alone, drunk, high, groomed, others
            r"\bmissing (school|lessons?|class|classes|nursery|college|appointments?|out|(his|her|their|my) (dad|mum|"
            r"nan|grandad|friends|family|sister|brother|dog|old school|old life|home|appointments?|medication|meds|"
            r"tablets|bus|lessons)|home|the bus|a tooth|teeth|tooth|work|sessions?|contact|meetings?|the point|you|"
            r"him|her|them|days|data|information|paperwork|pieces|bits|link|piece|sock|shoe|coat|front teeth|"
            r"a few days of school|pe)\b|\bthe missing (form|piece|information|link|bits)\b",
            r"\b(leave|left|leaves|leaving) (me|her|him|us|them) alone\b(?! (in|at|with|for hours|all|overnight|"
            r"until))|\b(wants|wanted|want|likes|like|needs|needed|asked) to be left alone\b|\btime (on her own|on his own|alone)\b",
            r"\b(walks?|walked|walking|gets?|got|goes|went|comes|came|cycles?|cycled|travels?|travelled|gets the bus) "
            r"(home )?(alone|on (his|her|their) own|by (himself|herself))( home)? (from|to|after) (school|college|"
            r"the bus|the station|the shop|clubs?|practice|training)\b|"
            r"\b(i'm|i am|we're|we are|i was|we were|i'd be) (absolutely |literally |so )?(starving|starved)\b|"
            r"\b(nan|nana|grandad|granddad|grandma|gran|grandpa|granny|great \w+|grandparents?) (has|had|with|got|'s "
            r"got) (a )?(black eye|bruis\w*|cuts?|graze|broken \w+|fracture\w*|burns?) (from|after) (a |her |his )?"
            r"(fall|falling|fell|tripping|a trip|the stairs|slipping)\b|"
            r"\b(my|the|her|his) (manager|boss|tm|team manager|teacher|coach|wife|husband|partner|mum|dad|nan)('ll| will|"
            r" would|'d|'s going to| is going to|'s gonna) (kill|murder) (me|you|us)( if| when)\b|"
            r"\b(cut|cuts|cutting|trim|trimmed|trims|trimming) ((the|her|his|my|their|baby's|[a-z]+'s) ){1,2}(nails|"
            r"toenails|fingernails|hair|fringe|food|meat|toast|sandwich)\b|"
            r"\bhit (hard )?by (the )?(cost of living|news|loss|death|cuts|bills|prices|recession|pandemic|covid|"
            r"lockdown|flu|a bug|the bug|virus|sickness|redundancy|the benefit cap)\b|"
            r"\bcut(ting|s)? (a |her |his |their |new |its |some )?(teeth|tooth|molars?)\b|"
            r"\bcut (himself|herself|myself|themselves) (shaving|cooking|chopping|on (a|the) (tin|knife|glass|paper|can))\b|"
            r"\brunning for (student council|school council|office|election|mayor|president|the bus|the train|captain|"
            r"head (girl|boy)|charity|a charity|the team)\b|"
            r"\b(kill|murder|strangle) (her|his|my|their) (little |big |older |younger |baby )?(brother|sister|bro|sis|"
            r"cousin|mate|best friend) (for|if) \w+ing\b|"
            r"\b(plan|plans|cpp|cp plan|cp plans|registration|category|categories|conference|icpc|rcpc|s47|section 47|"
            r"strat|strategy|enquiry|enquiries|referral|assessment|investigation|cin|threshold)s? (\w+ ){0,4}(under|for|"
            r"re|regarding|into|of|on the grounds of) (the )?(category of )?(neglect|physical abuse|sexual abuse|"
            r"emotional abuse|physical harm|sexual harm|dv|domestic (abuse|violence)|cse|cce|exploitation|fgm)\b|"
            r"\b(lifted|lifts|lifting|swung|swings|swinging|threw|throws|jumped|jumps|jumping|climbed|climbs|kicked|"
            r"bounced|bounces|flew|flies|flying|pushed) (\w+ ){0,4}(so |too |really |very )?high\b|"
            r"\bdrunk (a|the|some|his|her|their|my|water|tea|coffee|milk|juice|it|all|half|plenty|enough|his bottle|her "
            r"bottle)\b|\bdrinking (water|tea|coffee|milk|juice|squash|pop|fizzy|lemonade|coke|from a cup|from a "
            r"bottle|her bottle|his bottle|his milk|her milk)\b|\b(was|is) drinking (his|her) (bottle|milk)\b",
            r"\bhigh(?= (chair|school|street|risk|temperature|levels?|five|energy|spirits|pitched|vis|hopes|standards)\b)",
            r"\bdog groom\w*|\bgroom(ing|ed|s)? (the|her|his) (dog|horse|pony|cat|pets?|hair|beard)\b|"
            r"\bgrooming (salon|parlour|course|business|kit)\b|\bbride and groom\b|\bwell[- ]groomed\b",
            r"\b(slash|slashed|slashing) (prices|budgets)\b|\bbloody (hell|nightmare|annoying|awful)\b",
            r"\b(he|she|they) (was |were |is |are |got )?(hurt|upset) (that|by (what|the way)|because|when (dad|mum|"
            r"his|her))\b|\bhurt (her|his|their|my) feelings\b|\bhurt(ing)? (her|his|my|their) (back|knee|ankle|"
            r"wrist|foot|leg|arm|shoulder|bum|bottom) (playing|at|in|on|when|doing|falling)\b",
            r"\bpush(es|ed|ing)? (him|her|them|me) (to|into) (do|go|get|try|be|join|work|eat|apply|talk|speak|"
            r"engage)\b|\bpush(es|ed|ing)? (\w+ ){1,3}on (the|a) (swing|swings|roundabout|scooter|bike|trike|trolley)\b|\bpushchair\b|"
            r"\bpush(ed|es|ing)? (him|her) (in|round in) (the|a|his|her) (pram|buggy|pushchair|wheelchair)\b",
            r"\bgrab(s|bed|bing)? (a|some|the) (coffee|lunch|bite|drink|chat)\b|\bthrew (a|the) (ball|party|tantrum|"
            r"strop|wobbly)\b|\bthrow(s|ing)? (a|the) (ball|party|tantrum|strop|wobbly)\b|\bthrown (a|the) ball\b",
            r"\bbite[- ]size\w*|\bbit(e|es|ing)? (her|his|their|my) (nails|lip|tongue)\b|\ba bit\b|\bbit of\b",
            r"\b(shook|shaking|shakes|shake) (his|her|my|their|our) (head|hand|hands|fist)\b|\bshook hands\b|"
            r"\bshaking with (nerves|laughter|cold)\b|\bshaken up\b|\bshook up\b|\bshake (it|things) up\b",
            r"\b(killing|kill) (it|them) (at|in|on)\b",
            r"\bfight(s|ing)? (over|about) (the )?(remote|tv|xbox|ps5|playstation|toys?|ipad|tablet|phone|sweets|who|"
            r"whose|the front seat|bedtime)\b|\bsibling (rivalry|fights?|squabbles?)\b|\bpillow fight\b|\bwater fight\b|"
            r"\bfight(ing)? (for|against) (her|his|their|the) (rights|place|corner|benefits|case|kids|children)\b",
            r"\bpolice (came|attended|were called|called) (to|about|for|re|regarding) (a|an|the) "
            r"(noise complaint|car|burglary|break[- ]in|theft|stolen|parking)\b",
            r"\b(watch|watched|watching|plays?|played|playing|game|games|film|movie|programme|book|story|fortnite|"
            r"call of duty|gta|minecraft|roblox)\b.{0,30}\b(kill(s|ed|ing)?|shoot(s|ing)?|murder(s|ed)?|dies|died|"
            r"stab(s|bed|bing)?|fight(s|ing)?)\b",
            r"\b(it|that|this|which|what (he|she|they|dad|mum) said|the (news|comment|comments|remark|rejection|"
            r"breakup|split|move|loss))( really| has| had|'s)? (hurt|hurts|upset|upsets) (him|her|them|me|us)\b|"
            r"\b\w+ (him|her|them|me|us) with (a|his|her|the|their|my) (pillow|cushion|balloon|sponge|foam \w+|teddy|"
            r"pillows|cushions|balloons)\b|"
            r"\b(bit|bites|nipped|nips|scratched|scratches)( \w+)? (her|his|my|their) (finger|hand|toe|thumb)s? "
            r"(playing|when|while|by accident)\b|\b(dog|puppy|cat|kitten|hamster|rabbit|guinea pig)s? (\w+ ){0,3}(bit|"
            r"bites|scratched|scratches|nipped)\b|"
            r"\b(film|movie|game|programme|show|book|scene|cartoon|video|tv|telly)\b.{0,30}\b(guns?|knife|knives|swords?|"
            r"machetes?|weapons?|baseball bat)\b|"
            r"\bself-harm (policy|training|awareness|leaflet|course|module|workshop|risk assessment|assessment|"
            r"screening|plan|safety plan)\b",
        )
    )
)

# --------------------------------------------------------------------------- negation and the past

_NEGATION = re.compile(
    r"\b(no|not|never|none|nil|without|nor|neither|denies|denied|deny|denying|ruled out|rule out|free of|unfounded|"
    r"unsubstantiated|nothing to suggest|no evidence of|no signs? of|no concerns?|no indication|no longer|none of|"
    r"wasn't|weren't|isn't|aren't|hasn't|haven't|hadn't|doesn't|don't|didn't|won't|wouldn't|couldn't|can't|"
    r"cannot|mustn't|shouldn't|nobody|no one|noone|absence of|negative for|clear of)\b"
)
# Negation words that do not negate what follows ("doesn't know how he got the bruise").
_NOT_A_NEGATION = re.compile(
    r"(\w+n't|\bnot|\bno|\bnever|\bcannot) (been |be |being |yet |even )?(know|sure|explain|remember|understand|"
    r"idea|explanation|account|clear|only|just|want|wanting|like|happy|coping|cope|safe|fed|eaten|come|came|home|"
    r"say how|said how|say who|said who|tell (me |us )?how|to (send|make|take|go|let)|say where|said where|"
    r"tell (me |us |anyone )?where|say (me |us |anyone )?where|explain where|tell (me |us |anyone )?who|"
    r"seen since|responding|respond|breathing|waking|wake|woken|let|allowed|stop|stopped|leave|left|"
    r"changed|taken|take|took|food|adult|adults|heating|heat|electric|electricity|gas|here|alive|"
    r"exist|live|around|point|reason|mobile|crawling|walking|rolling|sitting|go|going|make|send|stand|get up|"
    r"move|cry|crying|feed|fed|look after|looking after|sleep|settle|stand up|nobody|anyone|anybody|knows|"
    r"wanted|moving|using|move|use|call|called|ring|rang|seek|sought|get|got|feed|be woken|let (her|him|them) "
    r"(out|leave|go|see)|let (me|us|the \w+) (see|look|check)|return\w*|worth|slept in|walk|walk properly|feeding|"
    r"breathe|met|"
    r"tell (daddy|mummy|mum|dad|anyone|anybody|the teacher|nan|my mum|my dad|them|him|her)|really "
    r"(his|her|their) (uncle|aunt|auntie|cousin|brother|sister|boyfriend|friend|dad|mum)|have (them|her|him|the (kids|"
    r"children|baby)|you) (no one|nobody|noone)|(say|said|tell)(?=\s*$))\b|\bno (idea|explanation|account|reason given|one knows|one home|adult|food)\b|\bnot (sure|certain)\b"
)
_INTERNAL_NEGATION = re.compile(
    r"\b(no|not|never|denies|denied|deny|wasn't|weren't|isn't|aren't|hasn't|haven't|hadn't|doesn't|don't|didn't|"
    r"won't|wouldn't|couldn't|can't|cannot)\b"
)
_PAST = re.compile(
    r"\b(history of|historic(al)?|historically|used to|years ago|as a (child|teenager|kid)|when (she|he|mum|dad) "
    r"was (younger|little|small|a (child|teenager|kid|baby))|in (her|his|mum's|dad's|their) (own )?(childhood|teens|"
    r"past|youth)|growing up|in the past|back in (19|20)\d\d|previous (partner|relationship|husband|boyfriend)|"
    r"previously|(mum|dad|she|he) (herself|himself) was|her own (mum|dad|father|mother|stepdad|childhood)|his own "
    r"(mum|dad|father|mother|childhood)|(her|his) (mum|dad|father|mother) (used to|would) )"
)
_RESOLVED_AFTER = re.compile(
    r"\b(low risk|no current (thoughts|concerns|intent|plans?)|no concerns?|no issues|no further action|nfa|not (substantiated|a concern|an issue)|came back clear|"
    r"as a (child|teenager|kid)|when (she|he|mum|dad) was (little|younger|a child|small|a baby|a teenager|a kid)|"
    r"from when (she|he) was|years ago|in (her|his|their) (own )?childhood|in the past|back in (19|20)\d\d|"
    r"in recovery|sober (for|since|now)|clean for|abstinent|(old|healed|faded) scars?|is (historic|historical|from years ago)|(were|was|have been|has been|got) (arrested|"
    r"charged|convicted|jailed|sent to prison|remanded)|(is|are) (now )?in prison|(have|has|had) (now )?(healed|faded|"
    r"gone|cleared)|explained by (a |an )?(medical|blood|skin|bone|clotting|genetic|bleeding) (condition|disorder|"
    r"problem))\b"
)
_PAST_TIME_AFTER = re.compile(
    r"\b(last (year|summer|spring|winter|autumn)|(two|three|four|five|\d+|a few|several|many) (years|months) ago|in "
    r"(19|20)\d\d|when (she|he) was (younger|little|\d+))\b"
)
_RESOLUTION = re.compile(
    r"\b(settled|stopped|no longer|not since|hasn't since|has not since|healed|resolved|closed|safe now|now safe|is "
    r"safe|he's safe|she's safe|in prison|arrested|convicted|moved away|no contact since|hasn't (been|happened) since|"
    r"has not (been|happened) since|nothing since|none since|not been (missing|back) since)\b"
)
# Conditionals and training: talking about risk is not a disclosure of it.
_HYPOTHETICAL = re.compile(
    r"\b((book|film|story|novel|show|programme|documentary|play|article|video|lesson|assembly|episode|song|poem) "
    r"(about|on|where|in which|called)|what to do if|if (she|he|they) (made|makes|make|were to make|discloses|disclosed|ever said|ever says|ever told|"
    r"ever tells)|respond if|what (she|he|they|we|i) (would|should|could) do if|in case|if (she|he|they) ever|"
    r"what would happen if|safety plan(ning)? (for|about|covers|if)|(course|training|workshop|session|programme|"
    r"leaflets?|awareness|toolkit|screening|screening tool|assessment tool|module|lesson|assembly|talk|video) "
    r"(on|about|covering|re|around)|(taught|teaching|talked about|talking about|discussed|discussing|explained|"
    r"learning about|learnt about|learned about) (online safety|consent|keeping safe|healthy relationships|"
    r"stranger danger|what|how to|the signs|signs of|county lines|grooming|cse|exploitation|knife crime)|"
    r"how to (spot|recognise|keep safe|report)|signs of (grooming|exploitation|abuse|cse|cce)|worried (she|he) "
    r"(might|could|will) be (groomed|exploited)|at risk of becoming)"
)
_CLAUSE_BREAK = re.compile(
    r"[.;!?\n]|\band (?=(was|were|is|are|had|has|have|then|also|now|kept|keeps|went|said|says|told|got|gets|sleep|"
    r"sleeps|slept|eat|eats|ate|live|lives|smell|smells|cry|cries|cried|look|looks|seem|seems|go|goes|come|comes|came|"
    r"wet|wets|hide|hides|hid)\b)|\b(but|although|though|however|whereas|yet|except|still|whilst|while|then|despite this)\b|"
    r",\s*(?=(he|she|they|dad|mum|the|his|her|baby|i|we|and|so|now|today|yesterday|last|this|it|there|school|"
    r"nursery|police|also|plus)\b)|\band (then |now |today |yesterday |also )?(?=(he|she|they|dad|mum|stepdad|"
    r"i|we|the baby|baby|school|nursery|police|her|his)\b)|\s-\s|:\s"
)


def _clause_start(text: str, at: int) -> int:
    start = 0
    for match in _CLAUSE_BREAK.finditer(text):  # the whole text: a break's lookahead may read past `at`
        if match.end() > at:
            break
        start = match.end()
    return start


def _negated(text: str, match: re.Match[str]) -> bool:
    start = _clause_start(text, match.start())
    before = text[start : match.start()]
    words = before.split()
    window = " ".join(words[-9:])
    cleaned = _NOT_A_NEGATION.sub(" ", window)
    if _NEGATION.search(cleaned) or _PAST.search(before) or _HYPOTHETICAL.search(before):
        return True
    if _HYPOTHETICAL.search(text[max(0, match.start() - 80) : match.end()]):
        return True
    inside = match.group(0).split(maxsplit=1)
    if len(inside) == 2 and _INTERNAL_NEGATION.search(_NOT_A_NEGATION.sub(" ", inside[1])):
        return True
    if _PAST_TIME_AFTER.search(text[match.end() : match.end() + 60]) and _RESOLUTION.search(text):
        return True
    rest = text[match.end() :]
    clause_end = _CLAUSE_BREAK.search(rest)
    if clause_end and rest[: clause_end.start()].strip(" ,"):
        rest = rest[: clause_end.start()]
    if _RESOLVED_AFTER.search(rest[:80]):
        return True
    after = text[match.end() : match.end() + 40]
    return bool(
        re.match(
            r"\W{0,3}(\b(was|were|is|are|has been|have been)\s)?(none|nil|not (seen|observed|found|present|noted|"
            r"reported|disclosed|evident|an issue|a concern|substantiated)|ruled out|unfounded|denied|negative|"
            r"resolved|historic|in the past|years ago|when (she|he) was (younger|little|small))\b",
            after,
        )
    )


def _mask(text: str) -> str:
    """Idioms and ordinary facts blanked to spaces (offsets unchanged, so phrases stay readable)."""
    return _IDIOMS.sub(lambda m: " " * len(m.group(0)), text)


# Most answers match none of the patterns: RE2 says which may, in one pass (signals.prefilter).
# By index: _COMPILED's, then each _WITH_CONTEXT anchor, each context, and the idioms.
_PREFILTERED: tuple[re.Pattern[str], ...] = (
    *(pattern for _, pattern in _COMPILED),
    *(anchor for _, anchor, _ in _WITH_CONTEXT),
    *(context for _, _, context in _WITH_CONTEXT),
    _IDIOMS,
)
_ANCHORS = len(_COMPILED)
_CONTEXTS = _ANCHORS + len(_WITH_CONTEXT)
_IDIOMS_AT = len(_PREFILTERED) - 1
_MAY_MATCH = PatternSet(_PREFILTERED)


def risk_signal(text: str) -> RiskSignal | None:
    """The kind of immediate-risk wording in the text, or None. Prompting, not assessment.

    When several kinds are there, the most specific is named (an injury to a baby before physical
    harm, abuse before the general "immediate danger")."""
    if not text or not text.strip():
        return None
    normal = normalise(text)
    maybe = _MAY_MATCH.candidates(normal)
    if _IDIOMS_AT in maybe:  # else nothing would be blanked
        masked = _mask(normal)
        maybe = _MAY_MATCH.candidates(masked)
    else:
        masked = normal
    found = list(_signals(normal, masked, maybe))
    if not found:
        return None
    return min(found, key=lambda signal: _PRIORITY.index(signal.category))


_PRIORITY: tuple[str, ...] = (
    "sexual abuse",
    "forced marriage or FGM",
    "injury to a baby",
    "self-harm or suicide",
    "threat to kill or harm",
    "domestic abuse",
    "exploitation",
    "child left alone",
    "missing child",
    "physical harm",
    "intoxicated carer",
    "neglect",
    "immediate danger",
)


_CHILDREN_ELSEWHERE = re.compile(
    r"\b(kids|children|baby|babies|they|the (boys|girls|twins)) (were|was) (with|at) (mum|dad|nan|nana|grandma|gran|"
    r"their (mum|dad|nan|grandparents)|school|nursery|a friend's|friends|home with (mum|dad|nan))\b|\b(mum|dad|nan|"
    r"grandma|grandad|someone else|another adult|the other parent|her partner|his partner) (was|were) (looking after|"
    r"caring for|with|minding) (the )?(kids|children|baby|them|her|him)\b|\b(mum|dad|nan|grandma|grandad) (looked|"
    r"was looking) after (the )?(kids|children|baby|them)\b"
)


def _matches(pattern: re.Pattern[str], text: str) -> Iterator[re.Match[str]]:
    """Every match, including those starting inside an earlier one (a negated long match must not hide a
    shorter one within it)."""
    position = 0
    while (match := pattern.search(text, position)) is not None:
        yield match
        position = match.start() + 1


def _unnegated(pattern: re.Pattern[str], text: str) -> re.Match[str] | None:
    """The first match that is not negated. Most texts match none of the patterns: one search
    says so, before any generator is made (a fifth of a turn's risk check went on those)."""
    if pattern.search(text) is None:
        return None
    return next((match for match in _matches(pattern, text) if not _negated(text, match)), None)


# "going to marry her boyfriend next summer, she's 24": an adult's own marriage, with no word of force.
_ADULT_CHOOSING = re.compile(
    r"\b((she's|she is|he's|he is|they're|aged|both) (1[89]|[2-9]\d)|(1[89]|[2-9]\d) ?(yr|year)s? old)\b"
)
_COERCION = re.compile(
    r"\b(forc\w*|made to|mak(e|es|ing) (her|him)|pressur\w*|coerc\w*|against (her|his|their) will|doesn'?t want|"
    r"does not want|scared|frightened|threat\w*|sent|send|taken|taking|abroad|back home|cousin|uncle|fgm|cut|"
    r"circumcis\w*|arranged)\b"
)
_OLD_ENOUGH = re.compile(r"\b((she's|he's|she is|he is|they're|aged) (1[3-9])\b|(1[3-9]) year old)")


def _signals(normal: str, masked: str, maybe: frozenset[int]) -> Iterator[RiskSignal]:
    """`maybe`: the indices in _PREFILTERED of the patterns that may match the masked text
    (the others cannot)."""
    seen: set[str] = set()
    old_enough = _OLD_ENOUGH.search(masked) and not re.search(
        rf"\b{_NUM_CHILD} year old|{_BABY}|\btoddler", masked
    )
    for index in sorted(i for i in maybe if i < _ANCHORS):  # in _COMPILED's order
        category, pattern = _COMPILED[index]
        if category in seen or (category == "child left alone" and old_enough):
            continue
        if (
            category == "forced marriage or FGM"
            and _ADULT_CHOOSING.search(masked)
            and not _COERCION.search(masked)
        ):
            continue
        if (match := _unnegated(pattern, masked)) is not None:
            seen.add(category)
            yield RiskSignal(category, normal[match.start() : match.end()].strip())
    for index, (category, anchor, context) in enumerate(_WITH_CONTEXT):
        if _ANCHORS + index not in maybe or _CONTEXTS + index not in maybe:
            continue
        if category in seen or not context.search(masked):
            continue
        if category == "sexual abuse" and context is _ADULT_AGE and not _MINOR_AGE.search(masked):
            her_older_partner = re.search(
                r"\bher (boyfriend|bf|partner) (is|who is|who's|aged) ([2-9]\d)\b", masked
            )
            if not her_older_partner or re.search(r"\b(she's|she is|aged) (1[89]|[2-9]\d)\b", masked):
                continue
        if category == "intoxicated carer" and _CHILDREN_ELSEWHERE.search(masked):
            continue
        if (match := _unnegated(anchor, masked)) is not None:
            seen.add(category)
            yield RiskSignal(category, normal[match.start() : match.end()].strip())
    for match in _DRINK_DRIVING.finditer(masked):
        if not _negated(masked, match):
            yield RiskSignal("intoxicated carer", normal[match.start() : match.end()].strip())
            break


def suggests_immediate_risk(text: str) -> bool:
    """True when the text's words suggest a child may be at immediate risk (a prompt, never a decision)."""
    return risk_signal(text) is not None
