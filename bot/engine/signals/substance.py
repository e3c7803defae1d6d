"""What an answer actually says, for the quality indicators and the follow-ups (pure functions).

The quality indicators describe the record, never the worker: "the child's own words recorded"
is ticked because the words are there, not because a step was answered. So these read the
words: a non-answer ("nothing", "n/a", "1", "idk", "not spoken to them yet") is not evidence; a
baby's or a non-verbal child's smile, gaze or reach is their voice; "didn't really say anything,
kept looking at mum" records an observation of a child who speaks, not their words; a challenge
to the leading hypothesis is an argument against it, not "no" or "can't think of one".
"""

from __future__ import annotations

import re
from typing import Literal

ChildVoice = Literal["words", "shown"]


def _clean(text: str) -> str:
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"').replace("\u201d", '"')
    return re.sub(r"\s+", " ", text.lower()).strip()


# --------------------------------------------------------------------------- non-answers

_NON_ANSWER = re.compile(
    r"^(\W*|[a-z0-9]|\d+|n/?a|na|nil|none( really| yet| at all| that i (know|can think) of)?|nothing( really| yet| "
    r"at all| to (add|say|report|note))?|no|nope|nah|not really|not yet|not sure|unsure|no idea|dunno|idk|"
    r"i don'?t know|don'?t know|dont know|d/?k|\?+|-+|x+|\.+|skip|pass|next|tbc|tba|tbd|later|to follow|ok|okay|"
    r"yes|yeah|yep|y|same|same as (above|before|last time)|see above|as above|as before|as per above|no comment|"
    r"can'?t (think|remember|say)( of (one|any(thing)?))?|cannot (think|say)( of (one|any(thing)?))?|"
    r"(i )?(can'?t|cannot|couldn'?t) think of (one|any|anything)( really| right now| at the moment)?|"
    r"not applicable|no answer|blank|test|asdf|will (add|do|fill (it|this) in) later|"
    r"(i )?(haven'?t|have not|didn'?t|did not|not) (yet )?(spoken|talked|asked|got round|had (a )?chance|managed|"
    r"been able)( to)?( (them|him|her|mum|dad|parents?|the parents?|the family|carers?|anyone|it|that|this|"
    r"speak to them|ask(ed)?( them| him| her)?))?( yet| about (it|that|this))?|"
    r"not (spoken|talked) (to|with) (them|him|her|mum|dad|parents?|the parents?|the family|carers?|anyone)"
    r"( yet| about (it|that|this))?|not (asked|seen|known|recorded|done|discussed)( yet)?|"
    r"(to be|will be) (discussed|asked|confirmed|added)( (at|in) (supervision|the next visit|next time))?|"
    r"will ask( (them|him|her|mum|dad|parents?))?( next time| at the next visit)?|ask next time|next time)\W*$"
)


def is_non_answer(text: str) -> bool:
    """True when the answer holds nothing to go on: "nothing", "n/a", "1", "idk", "not spoken to them yet"."""
    cleaned = _clean(text)
    return not re.search(r"[a-z]{2}", cleaned) or bool(_NON_ANSWER.match(cleaned))


# --------------------------------------------------------------------------- quoted and reported speech


_DOUBLE_QUOTED = re.compile(r'"[^"]{1,300}"')
_SINGLE_QUOTED = re.compile(
    r"(?<![a-z0-9])'(?=[a-z0-9])(?:[^']|(?<=[a-z])'(?=[a-z])){1,300}(?<=[a-z0-9.!?,])'(?![a-z0-9])"
)
_REPORTED = re.compile(
    r"\b(said|says|say|saying|told me|tells me|told us|reckons?|claims?|claimed|insists?|insisted|describes? it as|"
    r"described it as|called it|calls it|put it as|thinks?|thought|feels?|felt) (that |it |it's |it was |it is |"
    r"things (are|were) |everything (is|was) |he's |she's |they're |they were |he was |she was )?"
    r"[^.;!?\n]{0,60}"
)


def without_quotes(text: str) -> str:
    """The text with quoted speech taken out: "it's fine" in mum said "it's fine" is mum's, not the worker's."""
    cleaned = _clean(text)
    cleaned = _DOUBLE_QUOTED.sub(" ", cleaned)
    return _SINGLE_QUOTED.sub(" ", cleaned)


def has_quoted_speech(text: str) -> bool:
    cleaned = _clean(text)
    return bool(_DOUBLE_QUOTED.search(cleaned) or _SINGLE_QUOTED.search(cleaned))


def without_reported_speech(text: str) -> str:
    """Quotes and what others are reported as saying taken out ("mum said it was fine"); what the
    worker felt or thought ("felt like walking on eggshells") stays."""

    def keep_own(match: re.Match[str]) -> str:
        before = match.string[max(0, match.start() - 12) : match.start()]
        if re.search(r"(^|\b)(i|it|we|i'?ve|i'?d|i just|i also|i really)\s*$", before) or match.start() == 0:
            return match.group(0)
        return " "

    return _REPORTED.sub(keep_own, without_quotes(text))


# --------------------------------------------------------------------------- babies and children without words

_BABY_OR_PREVERBAL = re.compile(
    r"\b(bab(y|ies|y's)|newborn|infant|neonate|(\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
    r"eighteen|twenty)[ -]?(months?|mths?|mnths?|mos?|m|weeks?|wks?|days?)( old)?|(1|one)[ -]?(year|yr)s?[ -]?old|"
    r"(he|she)('s| is) (1|one)\b|non[- ]?verbal|pre[- ]?verbal|non[- ]?speaking|minimally verbal|no (words|speech) "
    r"yet|not (talking|speaking|saying words) yet|too (young|little|small) to (talk|speak|say)|(doesn'?t|does not|"
    r"can'?t|cannot) (talk|speak)( yet)?|only (babbles|babbling|coos)|babbl\w*|coo(s|ed|ing)\b|makaton|pecs|"
    r"\baac\b|communication (aid|device|book)|signs? (for|to)|selective(ly)? mut\w*|speech delay|no verbal)\b"
)


def mentions_baby_or_preverbal(text: str) -> bool:
    """True for "shes 4 months", "the baby", "18 month old", "non verbal": the child may not have words yet."""
    return bool(_BABY_OR_PREVERBAL.search(_clean(text)))


# --------------------------------------------------------------------------- the child's voice

_CHILD_SPOKE = re.compile(
    r"\b(he|she|they|yp|young person|eldest|youngest|twins|(the|my|our) (child|boy|girl|yp|young person|baby|toddler|"
    r"little one|eldest|youngest|twins|kids|children|older one|younger one)|"
    r"[a-z]+ year old|son|daughter|his sister|her brother)\b(\W+\w+){0,3}?\W+(chatted|chatty|talkative|said|says|say|told|tells|asked|asks|"
    r"shouted|whispered|explained|described|mentioned|answered|replied|called (me|mum|dad|it|him|her)|"
    r"talked about|talks about|spoke about|wrote|writes|typed|texted|chose the words|kept saying|keeps saying|"
    r"repeated|sang|signed|talked|talks|talking|spoke|speaks|chatted|chats|chattered|used makaton|pointed to the (word|picture|card|symbol)|(wants|wanted|would like|"
    r"likes|loves|hates|misses|doesn't like|didn't like|does not like|is scared of|is worried about|worries about)"
    r"\b)"
)
_CHILD_SPOKE_PASSIVE = re.compile(
    r"\b(in (his|her|their) (own )?words|(his|her|their) (own )?words\s*$|- (his|her|their) (own )?words|(his|her|their) words (were|was)|(his|her|their) (wish|wishes|wishes and "
    r"feelings|view|views) (is|are|was|were)|(he|she|they) (would|wants|wanted) to (live|stay|go|see|be)|"
    r"(he|she|they) (is|are|was|were) (clear|adamant|firm) (that|about))\b"
)
_FIRST_PERSON = re.compile(r"(^|[\"'\s])(i|i'm|im|i've|i'd|i'll|me|my|mummy|daddy)\b.{2,}")
# Communication without words: what a baby or a non-verbal child shows is their voice.
_SHOWN_EXPRESSIVE = re.compile(
    r"\b(smil(e|ed|es|ing)|laugh(ed|s|ing)?|giggl(e|ed|es|ing)|babbl(e|ed|es|ing)|coo(s|ed|ing)?|gurgl\w*|"
    r"track(ed|s|ing)|follow(ed|s|ing) (my|mum's|dad's|her|his|the) (face|voice|eyes|gaze|finger)|eye contact|"
    r"reach(ed|es|ing) (out |up )?(for|to|towards)|point(ed|s|ing) (at|to)|wav(e|ed|es|ing)|nodd(ed|ing)|nods|"
    r"shook (his|her) head|shakes (his|her) head|shrugg\w*|hugg(ed|ing)|cuddl(ed|es|ing) (into|up)|"
    r"lit up|brightened|turned (to|towards) (mum|dad|me|her|his|the)|settled (quickly|well|in|with|when)|calmed "
    r"(down|when|with)|(cried|cries|crying|screamed|screams|whimpered) (when|as|for|until|and)|kicked (his|her) "
    r"legs|grabbed my finger|held (my|mum's|dad's) (finger|hand)|drew (me )?(a|her|his|their)|drawing of|"
    r"showed me (his|her|their)|took my hand|led me (to|by)|played|snuggled|nuzzled|startled|flinched|"
    r"froze|stiffened|arched|pushed (mum|dad|me|nan) away|pushed (my|mum's|dad's|her|his) hands? away|turned away|clung|clinging|hid (behind|under|her face|his face)|"
    r"hiding (behind|under)|ran to (mum|dad|me|nan)|went to (mum|dad|nan) for comfort|sought comfort|"
    r"(looked|looking|looks) (at|to|for|towards) (mum|dad|me|nan|her mum|his mum|her dad|his dad)( for| before| "
    r"when| every)?|kept looking at|watch(ed|es|ing) (mum|dad|me) (closely|carefully|all the time|the whole time)|"
    r"fixed (on|her eyes|his eyes)|fixated on|gaz(e|ed|ing)|went (still|quiet|rigid|stiff|floppy)|stared at (mum|dad|"
    r"me|her|him)|eyes (followed|on)|"
    r"root(ed|ing)|fed (well|calmly|happily)|suck(ed|ing)|(calm|content|relaxed|settled|peaceful) (in|with|on|when|"
    r"for)|nestled|"
    r"wide[- ]eyed|vocalis\w*|made (sounds|noises)|squeal\w*|rocking|hand[- ]flapp\w*|stimming|used (his|her) "
    r"(tablet|device|aac|communication (book|device))|gestur\w*)\b"
)
_EXPLICIT_NONE = re.compile(
    r"\b((didn'?t|did not|wouldn'?t|would not|couldn'?t|could not|doesn'?t|does not|won'?t) (really )?(say|speak|"
    r"talk|tell|engage|answer|open up|respond)( (anything|much|a word|to me|with me|at all))?|"
    r"(said|say|says) (nothing|very little|not a word|no words)|no (words|voice|chance|time|opportunity)|"
    r"(not|haven'?t|have not|hadn'?t|had not) (seen|spoken to|met|talked to) (him|her|them|the child|the kids|"
    r"the children|the baby)( yet)?|nothing (said|to say|recorded|in (his|her|their) words)|(was|were) (asleep|"
    r"sleeping|at school|at nursery|out|not there|not home|not present|not in|upstairs asleep)|asleep the "
    r"whole time|slept (through|the whole)|(wasn'?t|was not|weren'?t|were not) (there|home|present|seen|"
    r"available|in)|didn'?t (see|get to see|meet) (him|her|them|the child|the kids|the children|the baby)|"
    r"mute|silent|(too )?(young|little|shy) to (say|talk|speak)|kept quiet|stayed quiet|(mum|dad|parents?) "
    r"(answered|spoke|talked) for (him|her|them)|no (real )?(conversation|chance to talk))\b"
)


def _has_child_words(cleaned: str) -> bool:
    if has_quoted_speech(cleaned):
        return True
    for match in _CHILD_SPOKE.finditer(cleaned):
        before = cleaned[max(0, match.start() - 30) : match.start()]
        inside = match.group(0)
        negation = r"(\b(not|never|nothing|no|didnt|dont|doesnt|wouldnt|couldnt|wont|cant|wasnt)\b|n't\b)"
        if re.search(negation, inside) or re.search(negation + r"\s*$", before):
            continue
        if re.search(r"\b(said|says|told|tells|asked|asks)\b", inside) and re.search(
            r"\b(said|says|told|tells|asked|asks)( me| us| mum| dad)? (nothing|very little|not a word|no words)",
            cleaned,
        ):
            continue
        return True
    for match in _CHILD_SPOKE_PASSIVE.finditer(cleaned):
        if not re.search(
            r"\b(nothing|no|not|none)\b( \w+){0,1}\s*$", cleaned[max(0, match.start() - 20) : match.start()]
        ):
            return True
    return bool(_FIRST_PERSON.search(cleaned) and re.search(r"^\s*[\"']|\b(said|says|told me)\b", cleaned))


def child_voice(text: str) -> ChildVoice | None:
    """ "words" for the child's words (quoted, reported or signed), "shown" for what a baby or a
    non-verbal child showed, None when neither is recorded (a non-answer, or "didn't say anything"
    about a child who speaks, even with an observation such as "kept looking at mum")."""
    if is_non_answer(text):
        return None
    cleaned = _clean(text)
    if _has_child_words(cleaned):
        return "words"
    shown = [m for m in _SHOWN_EXPRESSIVE.finditer(cleaned) if not _shown_negated(cleaned, m)]
    if not shown:
        return None
    if mentions_baby_or_preverbal(cleaned):
        return "shown"
    if _EXPLICIT_NONE.search(cleaned):
        return None  # a child who speaks did not: what they did is an observation, not their words
    ambiguous = re.compile(
        r"\b(look\w*|watch\w*|kept looking|clung|clinging|hid|hiding|froze|flinched|stiffened|stared|went|fixed|gaz\w*|turned|"
        r"eyes)\b"
    )
    if all(ambiguous.match(m.group(0)) for m in shown):
        return None
    return "shown"


def _shown_negated(cleaned: str, match: re.Match[str]) -> bool:
    before = cleaned[max(0, match.start() - 25) : match.start()]
    return bool(re.search(r"\b(no|not|never|didn'?t|did not|wouldn'?t|without)\b( \w+)?\s*$", before))


def records_no_child_words(text: str) -> bool:
    """True when an answer about the child's own words records none (what a baby showed is their voice)."""
    return child_voice(text) is None


# --------------------------------------------------------------------------- the parent's view

_PARENT = (
    r"(mum|mummy|mother|dad|daddy|father|parents?|both parents|stepdad|stepmum|step[- ]?(dad|mum|father|mother)|"
    r"nan|nana|gran|granny|grandma|grandad|grandparents?|carers?|foster carers?|kinship carer|aunt|auntie|uncle|"
    r"mum's partner|dad's partner|partner|she|he|they|both of them|the family|family|m|d)"
)
_PARENT_VIEW = re.compile(
    rf"\b{_PARENT}\b( \w+){{0,3}}? (said|says|say|saying|feels?|felt|thinks?|thought|believes?|believed|told (me|us|"
    r"the|her|him)|tells|wants?|wanted|would like|reckons?|sees? (it|this|things|the problem)|saw it|describes?|"
    r"described|sees? \w+( \w+)? as|saw \w+( \w+)? as|puts? it down to|put it down to|blames?|blamed|denies|denied|accepts?|accepted|acknowledges?|"
    r"acknowledged|explained|explains|understands?|understood|agrees?|agreed|disagrees?|disagreed|is worried|was "
    r"worried|worries|is angry|was angry|is upset|was upset|is frustrated|was frustrated|is happy|was happy|is "
    r"relieved|feels|views?|view is|sees herself|sees himself|is clear|was clear|insists?|insisted|claims?|claimed|"
    r"admits?|admitted|minimis\w*|asked (for|us|me|if|whether)|hopes?|hoped|is scared|was scared|is fed up|"
    r"was fed up|doesn'?t (think|see|agree|accept|believe|want|understand)|does not (think|see|agree|accept|"
    r"believe|want)|didn'?t (think|agree|accept|believe|want)|can'?t see (why|what|the problem)|won'?t accept)\b"
)
_PARENT_FEELING = re.compile(
    rf"\b{_PARENT}('s| is| was| are| were| seems| seemed| feels| felt| sounded| looked)( \w+)? (worried|angry|upset|"
    r"frustrated|happy|relieved|scared|fed up|clear|adamant|keen|desperate|sure|convinced|pleased|unhappy|annoyed|"
    r"cross|furious|worried sick|anxious|concerned|hopeful|positive|negative|against|for|opposed|in favour|"
    r"determined|willing|unwilling|open to|resistant)\b(?! to (talk|speak|discuss|engage|answer|say|give|share|"
    r"think))"
)
_PARENT_VIEW_NOUN = re.compile(
    rf"\b({_PARENT}'s|(her|his|their)) (view|views|opinion|perspective|position|worry|worries|concern|concerns|wish|"
    r"wishes|account|side|version|story|understanding|explanation|feeling|feelings|hope|hopes)\s*(:|-|is\b|are\b|"
    r"was\b|were\b|that\b)|\b(in|from) (mum's|dad's|the parents'|their|her|his) (view|eyes|words|perspective|point of view)"
)
_NO_PARENT_VIEW = re.compile(
    r"\b((haven'?t|have not|hadn'?t|didn'?t|did not|not|couldn'?t|could not|wasn'?t able to|unable to) (yet )?"
    r"(spoken|talked|asked|seen|met|got|get|ask|speak|talk|managed)( to| with)?|(mum|dad|parents?|she|he|they) "
    r"(didn'?t|did not|wouldn'?t|would not|won'?t|refused to|declined to) (say|give|share|discuss|talk|engage|"
    r"answer|comment)|(not|wasn'?t|weren'?t) (there|home|available|present)|no (view|chance|opportunity)|"
    r"(no|not) (yet )?(known|recorded|asked|clear)|don'?t know (what|how) (mum|dad|they|she|he))\b"
)


def records_parent_view(text: str) -> bool:
    """True when the answer records how a parent or carer sees things (their words, feelings or wishes)."""
    if is_non_answer(text):
        return False
    cleaned = _clean(text)
    views = [m for m in _PARENT_VIEW.finditer(cleaned) if not _view_negated(cleaned, m)]
    feelings = [m for m in _PARENT_FEELING.finditer(cleaned) if not _view_negated(cleaned, m)]
    if views or feelings or _PARENT_VIEW_NOUN.search(cleaned):
        return True
    return bool(has_quoted_speech(cleaned) and not _NO_PARENT_VIEW.search(cleaned))


def _view_negated(cleaned: str, match: re.Match[str]) -> bool:
    inside = match.group(0)
    after = cleaned[match.end() : match.end() + 30]
    if re.match(r"\s*to (talk|discuss|speak|say|engage|answer|share|give|comment|go into|meet)", after):
        return True  # "mum didn't want to talk about it" records no view
    if re.search(r"\b(doesn'?t|does not|didn'?t|did not|can'?t|won'?t)\b", inside) and re.search(
        r"\b(think|see|agree|accept|believe|want|understand)\b", inside
    ):
        # "mum doesn't think there's a problem" is a view; "mum didn't say" is not.
        return False
    clause_start = max(cleaned.rfind(".", 0, match.start()), cleaned.rfind(",", 0, match.start()), 0)
    before = cleaned[clause_start : match.start()] + inside
    return bool(_NO_PARENT_VIEW.search(before))


# --------------------------------------------------------------------------- a challenge to the leading view

_AGREEMENT = re.compile(
    r"^\W*((i )?(agree|agreed|concur)( with (it|that|this|the (leading|main|first|second) (one|hypothesis|view)|"
    r"everyone|all|the rest))?|(i )?(think|thought) (it'?s|that'?s|the (leading|main) one is|we'?re|we are) "
    r"(right|correct|spot on|about right)|(no|none|nothing)( (challenge|challenges|argument|counter|to add|"
    r"against it|from me))?|(can'?t|cannot|couldn'?t) (think of|find|see) (one|any|anything|a challenge|a reason)|"
    r"(i )?don'?t (think so|have one|have any)|not really|happy with (it|that|the leading one)|same|fair|fine|"
    r"nothing comes to mind|no other (view|explanation|ideas?))\W*$"
)
_ARGUMENT = re.compile(
    r"\b(but|what if|could (also |just |actually |equally )?be|might (also |just |actually )?be|may (also )?be|"
    r"maybe|perhaps|possibly|alternatively|an? (other|different|alternative) (explanation|reason|view|reading|way)|"
    r"other explanations?|the opposite|on the other hand|against (this|that|it|the leading)|doesn'?t (fit|explain|"
    r"match|add up)|does not (fit|explain|match)|wouldn'?t (explain|fit)|(we )?(haven'?t|have not|hasn'?t) "
    r"(considered|looked at|checked|tested|asked|seen|heard)|not (considered|checked|verified|corroborated|tested)|"
    r"assum\w*|no (real )?evidence|(only|just)( got| have| had| heard| seen)? (one|mum's|dad's|the school's|her|his|"
    r"their) (source|side|account|word|version|report|view)|(nobody|no one|noone|we) (has|have|hasn'?t|haven'?t) "
    r"(checked|asked|seen|verified|spoken|tested)|evidence\b.{0,50}\b(is|was|seems|looks) (thin|weak|mixed|limited|"
    r"patchy|one[- ]sided)|(it'?s|it is) all from|disguised compliance|over-?optimis\w*|start again|(if|were) (it|this|that|that one) "
    r"(true|right|the case)|we would (expect|see)|(i'?d|i would|you'?d|you would) expect|instead|rather than|"
    r"or (is it|could it|it could|maybe)|is it possible|is it (really|just)|could it (just|actually|also|be)|"
    r"unless|except|however|although|though|not necessarily|too (quick|early|soon)|jump(ed|ing)? to|"
    r"confirmation bias|pervasive|we might be wrong|we (could|may) be wrong|what about|actually|playing devil|"
    r"devil'?s advocate|(the )?other side( of (it|this|the coin|that))?|flip side|push(ed)? back|pushback|to be fair|"
    r"in (his|her|their|mum's|dad's) defen[cs]e|counter|contrary|question (whether|if)|i wonder|wonder (if|whether)|challenge (is|would be)|"
    r"the case against|argues? (that|against)|argued|the evidence (is|was) (thin|weak|mixed)|"
    r"why (would|wouldn'?t|hasn'?t|haven'?t|isn'?t|doesn'?t)|how do we know|we don'?t know|explain(s)? (it|that) "
    r"(just as|equally) well|equally|just as likely|more likely|less likely|not (convinced|sure that|so sure))\b"
)


def is_real_challenge(text: str) -> bool:
    """True when the answer argues against the leading view (an alternative, counter-evidence, a doubt
    with reasons); not "1", "no", "I agree" or "can't think of one"."""
    if is_non_answer(text):
        return False
    cleaned = _clean(text)
    if _AGREEMENT.match(cleaned):
        return False
    words = re.findall(r"[a-z']+", cleaned)
    if len(words) < 4:
        return False
    return bool(_ARGUMENT.search(cleaned))


# --------------------------------------------------------------------------- strengths, uncertainties, owners

_NOTHING_THERE = re.compile(
    r"^\W*(no|none|nothing|not many|not much|very few|hardly any|can'?t think of any|cannot think of any|"
    r"i can'?t (see|think of) any|i don'?t (see|think there are) any|none (really|that i can see|i can think of)|"
    r"there (are|were|is) (no|none|nothing))\b( (real|obvious|positive|strengths?|worries|uncertainties|"
    r"noted|seen|identified|observed|recorded|found|springs? to mind|comes? to mind|stands? out|unknowns|concerns|gaps|unchecked|unknown|outstanding|to check|missing|at all|really|to (note|add|say|report)|good|positives?|i can (see|think of)|that i "
    r"can (see|think of)|this time|today|right now)\b)*\W*$"
)


def names_something(text: str) -> bool:
    """True when the answer names something (a strength, a worry) rather than none or a non-answer."""
    if is_non_answer(text):
        return False
    return not _NOTHING_THERE.match(_clean(text))


_UNREAL_OWNER = re.compile(
    r"^\W*(\?+|-+|x|n/?a|na|none|nobody|no one|noone|someone|somebody|anyone|anybody|whoever|tbc|tba|tbd|unknown|"
    r"not sure|unsure|idk|dunno|don'?t know|\d+|to be (confirmed|decided|agreed)|not decided|not agreed|"
    r"not known|not set|nothing|n)\W*$"
)
_OWNER_IN_TEXT = re.compile(
    r"\b(i'?ll|i will|i am going to|i'm going to|im going to|i need to|i'?ve (got|agreed) to|me to|me:|myself|"
    r"(the )?(tm|team manager|my manager|manager|sw|social worker|hv|health visitor|fsw|family support( worker)?|"
    r"dsl|school|nursery|police|gp|paediatrician|duty|camhs|midwife|mum|dad|nan|iro|chair|legal|housing|"
    r"youth worker|school nurse|teacher|senco|ew|eho|probation|idva|the worker|we|us|both of us|together)"
    r"( will| to| are going to| is going to| need to| agreed to|:| -| –)|^\W*(me|myself|tm|hv|dsl|fsw|sw|iro)\b)"
)
_EVENT_DATE = re.compile(
    r"\b(before|by|at|after|for) (the )?(next )?(conference|review|rcpc|icpc|cp conference|core group|cla review|"
    r"lac review|strat|strategy|court|hearing|panel|visit|half term|christmas|easter|end of term|the holidays|"
    r"supervision|meeting)\b|\b(tomorrow|tmrw|tomoz|today|tonight|this (week|wk|afternoon|evening|morning)|next "
    r"(week|wk|month|mon|tue|wed|thu|fri|monday|tuesday|wednesday|thursday|friday)|end of (the )?(week|wk|month|"
    r"day)|(mon|tues?|wed|weds|thurs?|fri|sat|sun)(day)?|(the |on |by )\d{1,2}(st|nd|rd|th)?|\d{1,2}(st|nd|rd|th)|"
    r"\d{1,2}/\d{1,2}|(in|within) (\d+|a|two|three|ten|fifteen) (working )?(days?|weeks?|wks?|months?)|tomoz|tmrw|wk|eow|eod|am|pm|"
    r"(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*)\b"
)


def is_real_owner(who: str | None) -> bool:
    """True when an action's owner names someone ("me", "TM", "HV", "school"), not "?", "tbc" or "someone"."""
    return bool(who and who.strip() and not _UNREAL_OWNER.match(_clean(who)))


def owner_in_text(text: str) -> bool:
    """True when the action's own words say who does it ("I'll ring school", "TM to book strat")."""
    return bool(_OWNER_IN_TEXT.search(_clean(text)))


def is_real_date_words(text: str | None) -> bool:
    """True when words that are not a calendar date still fix a time ("before conference", "by the review");
    not "asap", "soon" or "tbc"."""
    if not text:
        return False
    cleaned = _clean(text)
    if re.fullmatch(
        r"\W*(asap|soon|when possible|tbc|tba|tbd|at some point|sometime|later|ongoing|n/?a|\?+|-+)\W*",
        cleaned,
    ):
        return False
    return bool(_EVENT_DATE.search(cleaned))
