"""Which option a typed answer means, in the worker's own words.

`read_choice` reads, in this order:

1. an option number or ordinal ("2", "the first one", "probably the second", "number one i
   think", "the 2nd one", "option 3", "the last one");
2. the option's value or label typed whole;
3. words anywhere in the message: the label's own key words, the synonyms declared with the
   choice in the model YAML, and built-in yes/no words for options whose value is "yes" or
   "no" ("nope", "yeah briefly on the stairs"). A word is not counted when it is negated
   ("not planned" does not mean planned; declare "not planned" as a synonym of the option it
   does mean), nor when it names who did something rather than the answer ("the school rang",
   "after school raised concerns"). When the worker changes their mind ("meant to be planned
   but she forgot so basically unannounced"), the last clause that is not hypothetical wins;
4. failing all that, a fuzzy comparison with each label (rapidfuzz), which also reads
   "the one about dad" against leading-hypothesis options whose labels are statements.

Two or more options named with "or", "and", "between" ("somewhere between ticking clock and
crisis") are a tie: `value` is None and `candidates` holds them, in option order. Hedged
answers ("sort of", "kind of", "ish") to a yes/no question are a tie of yes and no.

A message that is a command ("stop", "finish", "hlep") is not an option: `value` is None,
so the engine reads it as the command; only an option's own synonym typed as the whole
message beats that ("keep going" at "keep, change or close the pledge?").

`rest` holds the worker's words beyond the choice itself ("no she's a baby" -> "she's a
baby"), so the engine can keep them as a comment. When nothing is chosen (a tie or no
match), `rest` is the whole message.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from rapidfuzz import fuzz
from rapidfuzz.distance import OSA

from bot.engine.commands import Command, parse_command
from bot.engine.understand.words import (
    FILLERS,
    NUMBER_WORDS,
    ORDINAL_WORDS,
    Token,
    is_negator,
    negated,
    tokens,
)
from supervision_models.schema import Choice


@dataclass(frozen=True)
class ChoiceReading:
    value: str | None
    candidates: tuple[str, ...] = ()
    rest: str = ""


# Built-in words for options whose value is "yes" or "no".
_YES_WORDS = (
    "yes",
    "y",
    "yeah",
    "yea",
    "yeh",
    "yep",
    "yup",
    "ya",
    "yh",
    "ye",
    "aye",
    "yes please",
    "i did",
    "did",
    "definitely",
    "absolutely",
    "of course",
    "correct",
    "yess",
    "yesss",
    "yas",
    "defo",
    "deffo",
    "def",
    "sure",
    "sure did",
    "yes def",
)
_NO_WORDS = (
    "no",
    "n",
    "nope",
    "nah",
    "na",
    "nop",
    "noo",
    "nooo",
    "not really",
    "no i didnt",
    "i didnt",
    "never",
    "negative",
    "didnt",
    "did not",
    "nay",
    "naw",
    "nae",
)
_HEDGES = ("sort of", "kind of", "kinda", "sorta", "ish", "partly", "half", "not exactly", "not really alone")
_HEDGE_WORDS = frozenset(
    {"sort", "kind", "kinda", "sorta", "ish", "at", "met", "her", "him", "them", "about"}
)

# Words that never name an option on their own (kept out of the label key words).
_STOP = frozenset(
    {
        "a",
        "an",
        "the",
        "and",
        "or",
        "of",
        "on",
        "in",
        "at",
        "to",
        "it",
        "its",
        "my",
        "me",
        "i",
        "with",
        "for",
        "is",
        "was",
        "be",
        "this",
        "that",
        "them",
        "their",
        "they",
        "now",
        "yet",
        "more",
        "less",
        "about",
        "always",
        "keeping",
        "something",
        "else",
        "home",
        "visit",
        "yes",
        "no",
        "not",
        "use",
        "go",
        "going",
        "work",
        "working",
        "up",
        "date",
        "shared",
        "clear",
        "s",
    }
)
# "the school rang": the option is who did something, not the answer.
_REPORTING = frozenset(
    {
        "rang",
        "rung",
        "called",
        "phoned",
        "said",
        "says",
        "raised",
        "reported",
        "referred",
        "emailed",
        "flagged",
        "asked",
        "told",
        "contacted",
        "messaged",
        "texted",
        "informed",
        "mentioned",
        "sent",
        "wanted",
        "requested",
        "alerted",
        "worried",
        "concerned",
        "noticed",
        "shared",
    }
)
_AUXILIARY = frozenset({"had", "has", "have", "was", "were", "just", "already", "then", "also", "first"})
_TIME_BEFORE = frozenset({"after", "before", "from", "by", "since", "til", "till", "until"})
_CONTRAST = frozenset(
    {
        "but",
        "though",
        "although",
        "however",
        "actually",
        "instead",
        "basically",
        "ended",
        "turned",
        "eventually",
    }
)
_HYPOTHETICAL = frozenset({"meant", "supposed", "could", "might", "may", "should", "would", "if", "going"})
_TIE_WORDS = frozenset({"or", "and", "between", "either", "vs", "versus", "maybe", "both", "somewhere"})
_NEVER_FUZZ = frozenset(
    {"officer", "officers", "nursing", "shared", "sharing", "kept", "done", "dine", "share", "close", "chose"}
)

_ORDINALS = {w: n for w, n in ORDINAL_WORDS.items() if w.isalpha()}
_NUMBER_WORDS = NUMBER_WORDS
_INDEX_PREFIX = frozenset({"number", "option", "no", "point", "choice", "num", "nr"})
# What a number is counting when it is not an option ("4 months", "5 mins").
_UNITS = re.compile(
    r"^(?:months?|mths?|mo|weeks?|wks?|days?|years?|yrs?|y/?o|yo|mins?|minutes?|hours?|hrs?|kids|children|"
    r"times?|pm|am|oclock|o'clock|people|adults|of|or|and|to|x)$"
)


_EMOJI_WORDS = {
    "👍": "yes",
    "✅": "yes",
    "👌": "yes",
    "✔️": "yes",
    "✔": "yes",
    "👎": "no",
    "❌": "no",
    "✖️": "no",
}
_EMOJI = re.compile("|".join(re.escape(e) for e in sorted(_EMOJI_WORDS, key=len, reverse=True)))


@dataclass(frozen=True)
class _Match:
    choice: int
    start: int  # token indexes, end exclusive
    end: int
    units: int = 1


def match_choice(text: str, choices: tuple[Choice, ...]) -> str | None:
    """The choice a typed answer clearly means, or None (see `read_choice`)."""
    return read_choice(text, choices).value


def read_choice(text: str, choices: tuple[Choice, ...]) -> ChoiceReading:
    """What a typed answer to a choice question means: see the module docstring."""
    whole = text.strip()
    text = _EMOJI.sub(lambda m: f" {_EMOJI_WORDS[m.group(0)]} ", text)
    toks = tokens(text)
    if not toks or not choices:
        return ChoiceReading(None, rest=whole)
    index = _index(toks, len(choices))
    if index is not None:
        number, span = index
        return ChoiceReading(choices[number - 1].value, rest=_rest(text, toks, span))
    typed = " ".join(t.word for t in toks)
    for choice in choices:
        if typed in {_plain(choice.value.replace("_", " ")), _plain(_label(choice))}:
            return ChoiceReading(choice.value)
    whole_synonym = [c.value for c in choices if typed in {_plain(x) for x in c.synonyms}]
    if len(whole_synonym) == 1:
        return ChoiceReading(whole_synonym[0])  # "keep going" at "keep, change or close?"
    if isinstance(parse_command(text), Command):
        return ChoiceReading(None, rest=whole)  # "stop", "finish", "hlep": a command, not an answer
    vocab = _Vocabulary(choices)
    mapped = [vocab.canonical(t.word) for t in toks]
    matches = _drop_contained(_find(mapped, toks, vocab))
    if matches:
        return _decide(text, toks, mapped, matches, choices)
    if _is_yes_no(choices) and _hedged(mapped):
        both = tuple(c.value for c in choices if c.value in {"yes", "no"})
        return ChoiceReading(None, both, whole)
    if len(choices) <= 4 and any(w in {"both", "either", "all"} for w in mapped):
        return ChoiceReading(None, tuple(c.value for c in choices), whole)
    return _fuzzy(text, toks, choices)


# ----------------------------------------------------------------- numbers and ordinals


def _index(toks: list[Token], count: int) -> tuple[int, tuple[int, int]] | None:
    """An option number: the message is only a number (with hedges), or a number is named as
    one ("number 2", "the 2nd one", "probably the second")."""
    words = [t.word for t in toks]
    found: tuple[int, tuple[int, int]] | None = None
    for i, word in enumerate(words):
        value = _number_value(word)
        if value is None:
            continue
        before = words[i - 1] if i > 0 else ""
        after = words[i + 1] if i + 1 < len(words) else ""
        ordinal = word in _ORDINALS or re.fullmatch(r"\d{1,2}(?:st|nd|rd|th)", word) is not None
        if word == "one" and before != "number" and before != "option" and len(words) > 1:
            continue
        if before == "no" and not (i == 1 and len(words) <= 3):
            continue  # "no 2" is "number 2" only in a message that short
        named = before in _INDEX_PREFIX or (ordinal and (before == "the" or after in {"one", ""}))
        leading = all(w in FILLERS or w in _INDEX_PREFIX for w in words[:i]) and (
            not after or after in FILLERS or after in {"one", "i"}
        )
        if after and _UNITS.match(after):
            continue
        if (
            ordinal
            and after
            and after not in FILLERS
            and after not in {"one", "i", "option", "choice"}
            and not (before == "the" and after in {"about", "with", "where", "that", "on"})
        ):
            continue
        if (named or leading) and 1 <= value <= count:
            end = i + 2 if after == "one" else i + 1
            start = i - 1 if before in _INDEX_PREFIX or before == "the" else i
            found = (value, (start, end))
            break
    if found is None and "last" in words:
        i = words.index("last")
        before = words[i - 1] if i > 0 else ""
        after = words[i + 1] if i + 1 < len(words) else ""
        if before == "the" and after in {"one", "option", ""}:
            found = (count, (i - 1, i + 2 if after else i + 1))
    return found


def _number_value(word: str) -> int | None:
    if word.isdigit() and len(word) <= 2:
        return int(word)
    if word in _ORDINALS:
        return _ORDINALS[word]
    if word in _NUMBER_WORDS:
        return _NUMBER_WORDS[word]
    match = re.fullmatch(r"(\d{1,2})(?:st|nd|rd|th)", word)
    return int(match.group(1)) if match else None


# ----------------------------------------------------------------- words and phrases


def _label(choice: Choice) -> str:
    return re.sub(r"^\s*\d+\.\s*", "", choice.label)


def _plain(text: str) -> str:
    return " ".join(t.word for t in tokens(text))


def _is_yes_no(choices: tuple[Choice, ...]) -> bool:
    return any(c.value in {"yes", "no"} for c in choices)


def _phrases(choice: Choice) -> list[tuple[str, ...]]:
    found = [_label(choice), choice.value.replace("_", " "), *choice.synonyms]
    if choice.value == "yes":
        found.extend(_YES_WORDS)
    if choice.value == "no":
        found.extend(_NO_WORDS)
    return [tuple(t.word for t in tokens(p)) for p in found if tokens(p)]


class _Vocabulary:
    """The words of every option's phrases, and each option's own key words."""

    def __init__(self, choices: tuple[Choice, ...]) -> None:
        self.phrases = [_phrases(c) for c in choices]
        label_words = [self._label_keys(c) for c in choices]
        self.keywords: list[set[str]] = []
        for i, keys in enumerate(label_words):
            others = set().union(*(k for j, k in enumerate(label_words) if j != i))
            self.keywords.append({k for k in keys if k not in others})
        self.words = {w for ps in self.phrases for p in ps for w in p} | {w for k in self.keywords for w in k}

    @staticmethod
    def _label_keys(choice: Choice) -> set[str]:
        toks = [t.word for t in tokens(_label(choice))]
        keys: set[str] = set()
        for i, word in enumerate(toks):
            if is_negator(word) or (i > 0 and is_negator(toks[i - 1])):
                continue  # "not alone" is a phrase, never the word "alone"
            if word in _STOP or word in FILLERS or len(word) < 3 or word.isdigit():
                continue
            keys.add(word)
        return keys

    def canonical(self, word: str) -> str:
        """The vocabulary word a typed word means, allowing a slip of the keyboard, a plural
        or possessive ("dad" = "dad's") and another ending of the same word ("depression" =
        "depressed")."""
        if word in self.words or word in _NEVER_FUZZ or word.isdigit():
            return word
        if len(word) >= 3:
            for known in self.words:
                if len(known) >= 3 and word.rstrip("s") == known.rstrip("s"):
                    return known
            stem = _stem(word)
            if len(stem) >= 5:
                same = [k for k in self.words if _stem(k) == stem]
                if len(same) == 1:
                    return same[0]
        if len(word) < 4:
            return word
        best: list[str] = []
        best_distance = 3
        for known in self.words:
            if len(known) < 4 or (known[0] != word[0] and len(known) < 7):
                continue
            if word.rstrip("s") == known.rstrip("s"):
                return known
            allowed = 1 if len(known) < 8 else 2
            distance = OSA.distance(word, known, score_cutoff=allowed)
            if distance <= allowed:
                if distance < best_distance:
                    best, best_distance = [known], distance
                elif distance == best_distance:
                    best.append(known)
        return best[0] if len(best) == 1 else word


def _stem(word: str) -> str:
    for ending in (
        "ation",
        "ition",
        "ssion",
        "sion",
        "tion",
        "ness",
        "ment",
        "ing",
        "ive",
        "ed",
        "es",
        "s",
        "ion",
    ):
        if word.endswith(ending) and len(word) - len(ending) >= 4:
            return word[: -len(ending)] + ("ss" if ending == "ssion" else "")
    return word


def _find(mapped: list[str], toks: list[Token], vocab: _Vocabulary) -> list[_Match]:
    found: list[_Match] = []
    for ci, phrases in enumerate(vocab.phrases):
        for phrase in phrases:
            for start in range(len(mapped)):
                end = _phrase_at(mapped, start, phrase)
                if end is None:
                    continue
                if phrase[0] != "not" and negated(toks, start):
                    continue
                if end - start == 1 and _mentions_agent(mapped, start):
                    continue
                found.append(_Match(ci, start, end))
        for start, word in enumerate(mapped):
            if word in vocab.keywords[ci] and not negated(toks, start) and not _mentions_agent(mapped, start):
                found.append(_Match(ci, start, start + 1))
    return found


def _phrase_at(mapped: list[str], start: int, phrase: tuple[str, ...]) -> int | None:
    i = start
    for k, want in enumerate(phrase):
        if i >= len(mapped):
            return None
        if want == "not" and is_negator(mapped[i]):
            i += 1
            while k + 1 < len(phrase) and i < len(mapped) and mapped[i] in {"really", "been", "be", "even"}:
                i += 1
            continue
        if mapped[i] != want:
            return None
        i += 1
    return i


def _mentions_agent(mapped: list[str], index: int) -> bool:
    """ "the school rang", "after school raised concerns", "from nursery": who, not where."""
    if index > 0 and mapped[index - 1] in _TIME_BEFORE:
        return True
    j = index + 1
    while j < len(mapped) and mapped[j] in _AUXILIARY:
        j += 1
    return j < len(mapped) and mapped[j] in _REPORTING


def _drop_contained(matches: list[_Match]) -> list[_Match]:
    """A match inside a longer one is part of it ("half done" is not "done")."""
    kept = []
    for m in matches:
        inside = any(
            o.start <= m.start and m.end <= o.end and (o.end - o.start) > (m.end - m.start) for o in matches
        )
        if not inside:
            kept.append(m)
    unique = {(m.choice, m.start, m.end): m for m in kept}
    return sorted(unique.values(), key=lambda m: (m.start, m.end))


def _hedged(mapped: list[str]) -> bool:
    text = " ".join(mapped)
    return any(re.search(rf"\b{re.escape(h)}\b", text) for h in _HEDGES)


# ----------------------------------------------------------------- deciding


def _decide(
    text: str, toks: list[Token], mapped: list[str], matches: list[_Match], choices: tuple[Choice, ...]
) -> ChoiceReading:
    clauses = _clauses(mapped, _question_breaks(text, toks))
    by_clause: list[tuple[int, list[_Match]]] = []
    for ci, (start, end) in enumerate(clauses):
        inside = [m for m in matches if start <= m.start < end]
        if inside:
            by_clause.append((ci, inside))
    real = [(ci, ms) for ci, ms in by_clause if not _hypothetical(mapped, clauses[ci])]
    ci, chosen = (real or by_clause)[-1]
    clause_start = clauses[ci][0]
    distinct = sorted({m.choice for m in chosen})
    yes_no = _is_yes_no(choices)
    if len(distinct) > 1:
        counts = {c: sum(m.units for m in chosen if m.choice == c) for c in distinct}
        top = max(counts.values())
        leaders = [c for c in distinct if counts[c] == top]
        first = chosen[0]
        lead = all(w in FILLERS and w not in {"yeah"} for w in mapped[clause_start : first.start])
        between = mapped[first.start : chosen[-1].end]
        tie_words = any(w in _TIE_WORDS for w in between) or any(
            w in {"between", "either", "somewhere"} for w in mapped[clause_start : first.start]
        )
        if (lead and not tie_words) or (not tie_words and yes_no and first.start == clause_start):
            distinct = [first.choice]
        elif len(leaders) == 1 and top >= 2 and not tie_words:
            distinct = leaders
        else:
            return ChoiceReading(None, tuple(choices[c].value for c in distinct), text.strip())
    winner = distinct[0]
    if yes_no and choices[winner].value == "yes" and _hedged(mapped):
        both = tuple(c.value for c in choices if c.value in {"yes", "no"})
        return ChoiceReading(None, both, text.strip())
    spans = [(m.start, m.end) for m in chosen if m.choice == winner]
    if choices[winner].value == "other" and not _empty(toks[: spans[0][0]] + toks[spans[-1][1] :]):
        return ChoiceReading("other", rest=text.strip())  # "something else": their words say what
    return ChoiceReading(choices[winner].value, rest=_rest(text, toks, *spans))


def _question_breaks(text: str, toks: list[Token]) -> set[int]:
    """Tokens after a "?": "alone? no" echoes the question, then answers it."""
    return {i for i in range(1, len(toks)) if "?" in text[toks[i - 1].end : toks[i].start]}


def _clauses(mapped: list[str], breaks: set[int]) -> list[tuple[int, int]]:
    cuts = [0]
    for i, word in enumerate(mapped):
        if (word in _CONTRAST or i in breaks) and i > 0:
            cuts.append(i)
    cuts.append(len(mapped))
    return [(a, b) for a, b in itertools.pairwise(cuts) if b > a]


def _hypothetical(mapped: list[str], clause: tuple[int, int]) -> bool:
    words = mapped[clause[0] : clause[1]]
    return any(w in _HYPOTHETICAL for w in words) and len(words) > 1 and words[0] not in {"yes", "no"}


def _rest(text: str, toks: list[Token], *spans: tuple[int, int]) -> str:
    """The worker's words beyond the choice: what follows an answer given first ("no she's a
    baby" -> "she's a baby"); the whole message when the choice sits inside a sentence of
    their own ("the school rang so went unannounced"); nothing when the rest is only hedges."""
    if not spans:
        return text.strip()
    ordered = sorted(spans)
    first_start, first_end = ordered[0]
    for start, end in ordered[1:]:
        punctuated = start < len(toks) and bool(
            re.search(r"[,.;:!-]", text[toks[start - 1].end : toks[start].start])
        )
        if _empty(toks[first_end:start]) and (punctuated or start > first_end):
            first_end = max(first_end, end)  # "dropped, not needed": one answer said twice
    last_end = max(end for _, end in spans)
    before = toks[:first_start]
    if _empty(before):
        after = toks[first_end:]
        if _empty(after):
            return ""
        return text[after[0].start :].strip(" ,.-;:")
    if _empty(toks[last_end:]) and _empty(before):
        return ""
    return text.strip()


def _empty(part: list[Token]) -> bool:
    return all(t.word in FILLERS or t.word in _STOP or t.word in _HEDGE_WORDS for t in part)


def _fuzzy(text: str, toks: list[Token], choices: tuple[Choice, ...]) -> ChoiceReading:
    """Compare the content words with every label: "the one about dad" for hypotheses."""
    content = " ".join(t.word for t in toks if t.word not in FILLERS and t.word not in _STOP)
    if len(content) < 3 or any(is_negator(t.word) for t in toks):
        return ChoiceReading(None, rest=text.strip())
    scores = []
    for choice in choices:
        label = " ".join(w for w in _plain(_label(choice)).split() if w not in _STOP)
        scores.append(max(fuzz.token_set_ratio(content, label), _partial(content, label)))
    best = max(scores)
    if best < 85:
        return ChoiceReading(None, rest=text.strip())
    close = [i for i, s in enumerate(scores) if s >= best - 5]
    if len(close) == 1:
        return ChoiceReading(choices[close[0]].value)
    return ChoiceReading(None, tuple(choices[i].value for i in close), text.strip())


def _partial(content: str, label: str) -> float:
    if len(content) < 5 or len(label) < 5:
        return 0.0
    return float(fuzz.partial_ratio(content, label)) if len(content) <= len(label) else 0.0
